"""A start made from its version's template (engine.start_template) is a fresh start with other
ids and times: the same state, the same task rows, the same road to the end; and a version
whose start runs anything that may differ from one start to the next never uses one."""

from __future__ import annotations

import json
import re
import time
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import engine.commands as commands_module
from converters.bpmn.writer import write_bpmn
from converters.reading.sop_file import read_sop
from engine.conditions import SafeEnvironment
from engine.definitions import Definitions
from engine.runtime import Runtime
from engine.start_template import StartTemplates, fresh_ids, make_template, refusal
from engine.store import Store, instances, tasks
from engine.users import Users
from tests.engine.conftest import FIXTURES, EngineKit, FakeClock
from tests.support.sop_generator import generate, generate_realistic

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
SEEDS = [("generate", 1), ("generate", 4), ("generate", 7), ("realistic", 0),
         ("realistic", 3), ("realistic", 11)]  # fmt: skip
SOURCES = ([f"example:{p.name}" for p in EXAMPLES]
           + ["fixture:surat_keluar.bpmn", "fixture:from_scratch.bpmn"]
           + [f"{kind}:{seed}" for kind, seed in SEEDS]
           + ["inline:parallel"])  # fmt: skip
_TIMES = ("last_state_change", "event_value")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@cache
def bpmn_of(source: str) -> bytes:
    """The BPMN of a test source: an example SOP converted as Alur converts it, an engine
    fixture, or a generated SOP's BPMN."""
    kind, _, name = source.partition(":")
    if kind == "example":
        return write_bpmn(read_sop(ROOT / "examples" / name))
    if kind == "fixture":
        return (FIXTURES / name).read_bytes()
    if kind == "inline":
        return PARALLEL_FIRST
    made = generate(int(name)) if kind == "generate" else generate_realistic(int(name))
    return write_bpmn(made.sop)


def kit_of(store: Store, config: dict[str, Any] | None = None) -> EngineKit:
    clock = FakeClock()
    definitions = Definitions(store, config)
    return EngineKit(store, Users(store), definitions, Runtime(store, definitions, clock=clock),
                     clock)  # fmt: skip


@pytest.fixture
def spiff_starts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the workflows the start path makes (SpiffWorkflow's start run again)."""
    made: list[int] = []
    real = commands_module.BpmnWorkflow

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(commands_module, "BpmnWorkflow", counted)
    return made


def state_of(kit: EngineKit, instance_id: int) -> str:
    with kit.store.begin(write=False) as conn:
        return str(conn.execute(sa.select(instances.c.state)
                                .where(instances.c.id == instance_id)).scalar_one())  # fmt: skip


def rows_of(kit: EngineKit, instance_id: int) -> list[dict[str, Any]]:
    """The instance's task rows in the order they were written, ids left out."""
    with kit.store.begin(write=False) as conn:
        found = conn.execute(sa.select(tasks).where(tasks.c.instance_id == instance_id)
                             .order_by(tasks.c.created, tasks.c.element_id)
                             ).mappings().all()  # fmt: skip
    return [{k: v for k, v in row.items() if k not in ("id", "instance_id")} for row in found]


def task_ids(state: str) -> list[str]:
    return list(json.loads(state)["tasks"])


def canonical(state: str) -> Any:
    """The parsed state with every task id replaced by the task's path in the task tree
    (root "r", its children "r.0", "r.1" ...), every state-change time and every timer's
    due time (``event_value``, from the clock when the timer began waiting) by None: two
    states that are the same apart from ids and times are then equal. The task map's order
    is kept (as a list of paths)."""
    dct = json.loads(state)
    names: dict[str, str] = {}

    def walk(workflow: dict[str, Any], prefix: str) -> None:
        found = workflow["tasks"]

        def visit(task_id: str, path: str) -> None:
            names[task_id] = path
            for i, child in enumerate(found[task_id]["children"]):
                visit(child, f"{path}.{i}")

        visit(workflow["root"], prefix)

    walk(dct, "r")
    for key, sub in dct["subprocesses"].items():
        walk(sub, names[key] + "/")

    def mapped(value: Any) -> Any:
        if isinstance(value, dict):
            return {names.get(k, k): (None if k in _TIMES else mapped(v))
                    for k, v in value.items()}  # fmt: skip
        if isinstance(value, list):
            return [mapped(v) for v in value]
        if isinstance(value, str):
            return names.get(value, value)
        return value

    out = mapped(dct)
    left = [s for s in re.findall(r'"([0-9a-f-]{36})"', json.dumps(out)) if _UUID.match(s)]
    assert not left, f"ids outside the task tree: {left}"
    out["order"] = [names[k] for k in dct["tasks"]]
    return out


def deployed(kit: EngineKit, source: str) -> tuple[Any, dict[str, str], str]:
    d = kit.definitions.deploy(bpmn_of(source), filename="uji.bpmn").definition
    users = kit.user_per_lane(d.lanes)
    return d, users, users[d.first_lanes[0]]


def drive(kit: EngineKit, instance_id: int, users: dict[str, str], branch: int) -> None:
    """Work an instance to its end: the first decision met takes its option ``branch``
    (the last one when it has fewer) once, every other decision its first option."""
    taken = False
    for _ in range(200):
        ready = [t for t in kit.runtime.instance_tasks(instance_id) if t.state == "ready"]
        if not ready:
            return
        task = min(ready, key=lambda t: t.element_id)  # (not by id: ids are random)
        decision, comment = None, ""
        if task.allowed_decisions:
            pick = 0
            if not taken:
                pick = min(branch, len(task.allowed_decisions) - 1)
                taken = True
            decision = task.allowed_decisions[pick]
            comment = "catatan" if pick else ""
        kit.runtime.complete(task.id, users[task.role], decision, comment)
    raise AssertionError("the instance did not end")


# -- a templated start is a fresh start ---------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_a_templated_start_is_a_fresh_start_with_other_ids(
    store: Store, source: str, spiff_starts: list[int]
) -> None:
    kit = kit_of(store)
    d, _users, starter = deployed(kit, source)
    first = kit.runtime.start(d.key, starter, title="Surat", business_key="B-1")
    assert len(spiff_starts) == 1  # the version's first start: SpiffWorkflow's own
    before = time.time()
    second = kit.runtime.start(d.key, starter, title="Surat", business_key="B-1")
    after = time.time()
    assert len(spiff_starts) == 1, "the second start ran SpiffWorkflow: no template was used"

    fresh, made = state_of(kit, first.id), state_of(kit, second.id)
    assert canonical(made) == canonical(fresh)
    assert not set(task_ids(made)) & set(task_ids(fresh))
    stamps = [t["last_state_change"] for t in json.loads(made)["tasks"].values()]
    firsts = [t["last_state_change"] for t in json.loads(fresh)["tasks"].values()]
    assert before <= max(stamps) <= after  # the start's own times, in the first's order
    assert sorted(range(len(stamps)), key=stamps.__getitem__) == sorted(
        range(len(firsts)), key=firsts.__getitem__)
    assert max(stamps) - min(stamps) == pytest.approx(max(firsts) - min(firsts), abs=1e-5)
    assert rows_of(kit, second.id) == rows_of(kit, first.id)
    ready = {k for k, t in json.loads(made)["tasks"].items() if t["state"] == 16}
    with kit.store.begin(write=False) as conn:
        written = set(conn.execute(sa.select(tasks.c.id)
                                   .where(tasks.c.instance_id == second.id)).scalars())  # fmt: skip
    assert written == ready and written  # the rows carry the state's ids
    assert kit.runtime.commands.codec.dump(kit.runtime.commands.codec.load(made)) == made
    assert kit.runtime.check_consistency(second.id) == []
    assert (second.status, second.title, second.business_key) == (
        first.status, first.title, first.business_key)


@pytest.mark.parametrize("branch", [0, 1, 2])
@pytest.mark.parametrize("source", SOURCES)
def test_a_templated_instance_ends_as_a_fresh_one(
    store: Store, source: str, branch: int, spiff_starts: list[int]
) -> None:
    kit = kit_of(store)
    d, users, starter = deployed(kit, source)
    fresh = kit.runtime.start(d.key, starter, title="Uji")
    made = kit.runtime.start(d.key, starter, title="Uji")
    assert len(spiff_starts) == 1
    drive(kit, fresh.id, users, branch)
    drive(kit, made.id, users, branch)

    def audit(instance_id: int) -> list[tuple[Any, ...]]:
        return [(h.action, h.element_id, h.task_name, h.decision, h.comment, h.user, h.at)
                for h in kit.runtime.history(instance_id)]  # fmt: skip

    assert audit(made.id) == audit(fresh.id)
    assert len(audit(made.id)) > 2
    assert kit.runtime.instance(made.id).status == "completed"
    assert kit.runtime.instance(fresh.id).status == "completed"
    assert canonical(state_of(kit, made.id)) == canonical(state_of(kit, fresh.id))
    assert rows_of(kit, made.id) == rows_of(kit, fresh.id)
    assert kit.runtime.check_consistency(made.id) == []


def test_starts_from_one_template_never_share_an_id(store: Store,
                                                    spiff_starts: list[int]) -> None:  # fmt: skip
    kit = kit_of(store)
    d, _users, starter = deployed(kit, "fixture:surat_keluar.bpmn")
    kit.runtime.start(d.key, starter)
    seen: list[str] = []
    for _ in range(25):
        state = state_of(kit, kit.runtime.start(d.key, starter).id)
        dct = json.loads(state)
        ids = list(dct["tasks"])
        for task in dct["tasks"].values():  # every reference is a task of the same state
            assert task["id"] in ids
            assert task["parent"] is None or task["parent"] in ids
            assert all(child in ids for child in task["children"])
        assert dct["root"] in ids and dct["last_task"] in ids
        seen.extend(ids)
    assert len(spiff_starts) == 1
    assert len(seen) == len(set(seen)) == 25 * len(ids)
    assert all(uuid.UUID(i).version == 4 and uuid.UUID(i).variant == uuid.RFC_4122
               for i in seen)  # fmt: skip


def test_fresh_ids_are_uuid4() -> None:
    ids = fresh_ids(500)
    assert len(set(ids)) == 500
    assert all(i.version == 4 and i.variant == uuid.RFC_4122 for i in ids)
    assert all(uuid.UUID(str(i)) == i for i in ids)


# -- the state cache (PostgreSQL) ---------------------------------------------------------------


def test_a_templated_start_leaves_the_workflow_its_state_loads_to(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch, spiff_starts: list[int]
) -> None:
    kit = kit_of(pg_store)
    d, users, starter = deployed(kit, "fixture:surat_keluar.bpmn")
    kit.runtime.start(d.key, starter)
    made = kit.runtime.start(d.key, starter)
    assert len(spiff_starts) == 1
    commands = kit.runtime.commands
    ready = [t for t in kit.runtime.instance_tasks(made.id) if t.state == "ready"]
    entry = commands.states.for_task(ready[0].id)
    assert entry is not None and entry.state == state_of(kit, made.id)
    kept = commands.states.take_workflow(entry)
    assert kept is not None
    assert commands.codec.dump(kept) == entry.state  # the object the entry's text loads to
    commands.states.put(entry, kept)

    def no_load(state: str, conn: object = None) -> None:
        raise AssertionError("the first completion deserialized the state")

    monkeypatch.setattr(commands.codec, "load", no_load)
    kit.runtime.complete(ready[0].id, users[ready[0].role])
    monkeypatch.undo()
    assert kit.runtime.check_consistency(made.id) == []


# -- versions that never use a template ---------------------------------------------------------

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D" targetNamespace="urn:t">
  <bpmn:process id="{key}" name="Uji" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="L" name="Staf">{refs}</bpmn:lane></bpmn:laneSet>
"""


def _process(key: str, nodes: str, flows: list[tuple[str, str, str]], ids: list[str]) -> bytes:
    refs = "".join(f"<bpmn:flowNodeRef>{i}</bpmn:flowNodeRef>" for i in ids)
    body = "".join(
        f'<bpmn:sequenceFlow id="{fid}" sourceRef="{a}" targetRef="{b}"/>'
        if not cond else
        f'<bpmn:sequenceFlow id="{fid}" sourceRef="{a}" targetRef="{b}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{cond}'
        f"</bpmn:conditionExpression></bpmn:sequenceFlow>"
        for fid, (a, b, cond) in ((f"f{i}", flow) for i, flow in enumerate(flows))
    )  # fmt: skip
    return (_HEAD.format(key=key, refs=refs) + nodes + body
            + "</bpmn:process></bpmn:definitions>").encode()  # fmt: skip


SCRIPT_FIRST = _process(
    "skrip",
    '<bpmn:startEvent id="s"/><bpmn:scriptTask id="sc" name="Undian"><bpmn:script>'
    'token = __import__("random").random()</bpmn:script></bpmn:scriptTask>'
    '<bpmn:userTask id="t" name="Periksa"/><bpmn:endEvent id="e"/>',
    [("s", "sc", ""), ("sc", "t", ""), ("t", "e", "")],
    ["s", "sc", "t", "e"],
)
TIMER_ON_FIRST = _process(
    "timer",
    '<bpmn:startEvent id="s"/><bpmn:userTask id="t" name="Periksa"/>'
    '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition>'
    '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration>'
    "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
    '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>',
    [("s", "t", ""), ("t", "e", ""), ("b", "e2", "")],
    ["s", "t", "b", "e", "e2"],
)
TIMER_FIRST = _process(
    "tunggu",
    '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="w" name="Tunggu">'
    '<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H'
    "</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
    '<bpmn:userTask id="t" name="Periksa"/><bpmn:endEvent id="e"/>',
    [("s", "w", ""), ("w", "t", ""), ("t", "e", "")],
    ["s", "w", "t", "e"],
)
PARALLEL_FIRST = _process(  # two tasks ready at once: their rows in the tree's order
    "paralel",
    '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="p1"/><bpmn:parallelGateway id="p2"/>'
    '<bpmn:userTask id="tb" name="Menyiapkan"/><bpmn:userTask id="ta" name="Memeriksa"/>'
    '<bpmn:endEvent id="e"/>',
    [("s", "p1", ""), ("p1", "tb", ""), ("p1", "ta", ""), ("tb", "p2", ""), ("ta", "p2", ""),
     ("p2", "e", "")],
    ["s", "p1", "p2", "tb", "ta", "e"],
)
CONDITION_FIRST = _process(
    "kondisi",
    '<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g" name="Ada?"/>'
    '<bpmn:userTask id="t1" name="Isi"><bpmn:extensionElements><camunda:formData>'
    '<camunda:formField id="berkas" type="string"/></camunda:formData>'
    "</bpmn:extensionElements></bpmn:userTask>"
    '<bpmn:userTask id="t2" name="Periksa"/><bpmn:endEvent id="e"/>',
    [("s", "g", ""), ("g", "t1", "berkas is None"), ("g", "t2", "berkas is not None"),
     ("t1", "e", ""), ("t2", "e", "")],
    ["s", "g", "t1", "t2", "e"],
)


def _timer_values(state: str) -> list[Any]:
    return [t["internal_data"].get("event_value") for t in json.loads(state)["tasks"].values()
            if "event_value" in t["internal_data"]]  # fmt: skip


@pytest.mark.parametrize("data", [SCRIPT_FIRST, TIMER_ON_FIRST, TIMER_FIRST, CONDITION_FIRST],
                         ids=["script", "boundary-timer", "timer", "condition"])  # fmt: skip
def test_a_start_that_runs_what_may_differ_never_uses_a_template(
    sqlite_store: Store, data: bytes, spiff_starts: list[int]
) -> None:
    kit = kit_of(sqlite_store, {"ALLOW_SCRIPTS": True})
    d = kit.definitions.deploy(data, filename="uji.bpmn").definition
    kit.users.add("u1", ["Staf"])
    first = kit.runtime.start(d.key, "u1")
    spec, _ = kit.definitions.spec_by_sha(d.sha256)
    templates = kit.runtime.commands.templates
    assert templates.judged(d.sha256, spec) and templates.get(d.sha256, spec) is None
    time.sleep(0.002)  # a timer's due time is the clock's
    second = kit.runtime.start(d.key, "u1")
    assert len(spiff_starts) == 2  # SpiffWorkflow ran for each start
    one, two = state_of(kit, first.id), state_of(kit, second.id)
    if data is SCRIPT_FIRST:  # what a template would have copied: the first start's draw
        draws = [json.loads(s)["tasks"] for s in (one, two)]
        tokens = [{t["delta"]["updates"].get("token") for t in ts.values() if t["delta"]}
                  - {None} for ts in draws]  # fmt: skip
        assert tokens[0] and tokens[1] and tokens[0] != tokens[1]
    if data in (TIMER_ON_FIRST, TIMER_FIRST):  # each start's own due time
        assert _timer_values(one) and _timer_values(one) != _timer_values(two)


def test_a_condition_before_the_first_wait_is_evaluated_on_every_start(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = kit_of(sqlite_store)
    d = kit.definitions.deploy(CONDITION_FIRST, filename="uji.bpmn").definition
    kit.users.add("u1", ["Staf"])
    kit.runtime.start(d.key, "u1")
    evaluated: list[str] = []
    real = SafeEnvironment.evaluate

    def counted(self: SafeEnvironment, expression: str, *args: Any, **kwargs: Any) -> Any:
        evaluated.append(expression)
        return real(self, expression, *args, **kwargs)

    monkeypatch.setattr(SafeEnvironment, "evaluate", counted)
    second = kit.runtime.start(d.key, "u1")
    assert any("berkas" in e for e in evaluated)
    assert [t.element_id for t in kit.runtime.instance_tasks(second.id)] == ["t1"]


# -- the template's own rules and checks --------------------------------------------------------


def _first_start(kit: EngineKit, source: str) -> tuple[Any, Any, Any, str, list[str]]:
    """(spec, subprocess specs, workflow, state, ready ids) of a fresh SpiffWorkflow start."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    d = kit.definitions.deploy(bpmn_of(source), filename="uji.bpmn").definition
    spec, subs = kit.definitions.spec_by_sha(d.sha256)
    workflow = BpmnWorkflow(spec, subs, script_engine=kit.runtime.script_engine)
    workflow.do_engine_steps()
    ready = [str(t.id) for t in workflow.get_tasks(state=TaskState.READY, manual=True)]
    return spec, subs, workflow, kit.runtime.commands.codec.dump(workflow), ready


def _make(kit: EngineKit, spec: Any, subs: Any, workflow: Any, state: str,
          ready: list[str]) -> Any:  # fmt: skip
    codec = kit.runtime.commands.codec
    return make_template(spec, subs, workflow, state, ready, codec.load, codec.dump)


def test_a_template_renders_the_first_start_with_the_ids_it_is_given(sqlite_store: Store) -> None:
    kit = kit_of(sqlite_store)
    spec, subs, workflow, state, ready = _first_start(kit, "fixture:surat_keluar.bpmn")
    assert refusal(workflow) is None
    template = _make(kit, spec, subs, workflow, state, ready)
    assert template is not None and template.size == len(workflow.tasks)
    # the first start's own ids and times give back exactly its text
    ids = tuple(workflow.tasks)
    last = max(t.last_state_change for t in workflow.tasks.values())
    again = template.fresh(ids=ids, now=last)
    assert json.loads(again.state) == json.loads(state)
    assert list(again.ready) == ready


def test_a_state_whose_data_holds_a_task_id_is_no_template(sqlite_store: Store) -> None:
    kit = kit_of(sqlite_store)
    spec, subs, workflow, _state, ready = _first_start(kit, "fixture:surat_keluar.bpmn")
    root = workflow.task_tree
    for written in (str(root.id), f"nomor {root.id}"):  # a reference, or inside a text
        root.data["ref"] = written
        state = kit.runtime.commands.codec.dump(workflow)
        assert refusal(workflow) is None  # nothing but the check can tell
        assert _make(kit, spec, subs, workflow, state, ready) is None


def test_templates_are_used_only_with_the_spec_they_were_made_with(sqlite_store: Store) -> None:
    kit = kit_of(sqlite_store)
    spec, subs, workflow, state, ready = _first_start(kit, "fixture:surat_keluar.bpmn")
    template = _make(kit, spec, subs, workflow, state, ready)
    templates = StartTemplates(size=2)
    templates.keep("a", spec, template)
    assert templates.get("a", spec) is template
    assert templates.get("a", object()) is None  # the spec cache parsed the version again
    assert not templates.judged("a", object())
    templates.keep("b", spec, None)  # judged: no template
    assert templates.judged("b", spec) and templates.get("b", spec) is None
    templates.keep("c", spec, template)  # the oldest goes
    assert not templates.judged("a", spec) and len(templates) == 1
