"""Issue 17: any BPMN an analyst draws in Camunda Modeler runs.

JUEL conditions translated (a table: translated and evaluated, or refused), decisions read
from the drawing, roles from lanes or candidate groups, generated task forms, ``camunda:dueDate``.
The models are drawn from scratch through the bpmn-js modeling API (tests/engine/camunda_models.py
+ ``window.alur.build``), deployed, and every branch is run to its end.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from engine.conditions import UnsafeExpression, safe_evaluate
from engine.definitions import analyse
from engine.errors import BadInput, CommentRequired, DefinitionInvalid, InvalidDecision
from engine.juel import condition_source, translate
from tests.engine.camunda_models import MODELS

# -- the JUEL table -------------------------------------------------------------------------

V = {"lengkap": True, "x": "a", "jumlah": 1500000, "n": 3, "kosong": "", "nihil": None,
     "setuju": False}  # fmt: skip

TRANSLATED = [
    ("${lengkap}", "lengkap", True),
    ("${!lengkap}", "not lengkap", False),
    ("${not lengkap}", "not lengkap", False),
    ("${empty kosong}", "kosong in (None, '')", True),
    ("${empty nihil}", "nihil in (None, '')", True),
    ("${empty x}", "x in (None, '')", False),
    ("${not empty x}", "not x in (None, '')", True),
    ("${x == 'a'}", "x == 'a'", True),
    ('${x eq "b"}', "x == 'b'", False),
    ("${x != 'a'}", "x != 'a'", False),
    ("${x ne 'b'}", "x != 'b'", True),
    ("${lengkap && x == 'a'}", "lengkap and x == 'a'", True),
    ("${lengkap and setuju}", "lengkap and setuju", False),
    ("${setuju || lengkap}", "setuju or lengkap", True),
    ("${setuju or n > 5}", "setuju or n > 5", False),
    ("${jumlah > 1000000}", "jumlah > 1000000", True),
    ("${jumlah gt 2000000}", "jumlah > 2000000", False),
    ("${n >= 3}", "n >= 3", True),
    ("${n ge 4}", "n >= 4", False),
    ("${n < 3.5}", "n < 3.5", True),
    ("${n lt 3}", "n < 3", False),
    ("${n <= 3}", "n <= 3", True),
    ("${n le 2}", "n <= 2", False),
    ("${n > -1}", "n > -1", True),
    ("${(setuju || lengkap) && n == 3}", "(setuju or lengkap) and n == 3", True),
    ("${!(lengkap && setuju)}", "not (lengkap and setuju)", True),
    ("${nihil == null}", "nihil == None", True),
    ("${lengkap == true}", "lengkap == True", True),
    ("${setuju eq false}", "setuju == False", True),
    ("#{lengkap}", "lengkap", True),
    ("  ${ lengkap }  ", "lengkap", True),
    ("${x == 'it\\'s'}", 'x == "it\'s"', False),
]

REFUSED = [
    ("${execution.getVariable('x')}", "execution.getVariable"),
    ("${execution}", "execution"),
    ("${bean.property}", "bean.property"),
    ("${myBean.check(x)}", "myBean.check"),
    ("${approve()}", "approve"),
    ("${x[0]}", "indeks"),
    ("${n + 1 > 3}", "aritmetika '+'"),
    ("${n * 2}", "aritmetika"),
    ("${n mod 2 == 0}", "mod"),
    ("${lengkap ? 'a' : 'b'}", "?:"),
    ("${x} dan ${n}", "lebih dari satu"),
    ("teks ${x}", "composite"),
    ("${}", "kosong"),
    ("${lengkap &&}", "tidak lengkap"),
    ("${__class__}", "__class__"),
    ("${import}", "import"),
    ("${x instanceof y}", "instanceof"),
    ("${-x}", "minus"),
    ("${x == 'a'", "${…}"),
    ("${" + "!" * 40 + "x}", "terlalu dalam"),
    ("${" + " || ".join(["x"] * 800) + "}", "terlalu panjang"),
]


@pytest.mark.parametrize(("juel", "python", "value"), TRANSLATED)
def test_juel_is_translated_and_evaluates_as_camunda_would(juel: str, python: str, value: bool):
    assert translate(juel) == python
    assert safe_evaluate(translate(juel), V) is value


@pytest.mark.parametrize(("juel", "named"), REFUSED)
def test_juel_outside_the_subset_is_refused_naming_the_construct(juel: str, named: str):
    with pytest.raises(UnsafeExpression) as exc:
        translate(juel)
    assert named in str(exc.value)
    assert "\n" not in str(exc.value)


def test_an_alur_condition_is_left_as_written() -> None:
    assert condition_source(' keputusan == "setuju" ') == 'keputusan == "setuju"'


# -- deploy analysis of hand-written Camunda XML ---------------------------------------------

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="D" targetNamespace="urn:t">
<bpmn:process id="p" name="P" isExecutable="true">"""


def _xml(body: str) -> bytes:
    return (HEAD + body + "</bpmn:process></bpmn:definitions>").encode()


def _gateway(yes: str, no: str, task_attrs: str = 'camunda:candidateGroups="Staf"') -> bytes:
    return _xml(f"""
  <bpmn:startEvent id="s"/><bpmn:userTask id="t" name="Periksa" {task_attrs}/>
  <bpmn:exclusiveGateway id="g" name="Lengkap?"/>
  <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
  <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="g"/>
  <bpmn:sequenceFlow id="ya" name="Ya" sourceRef="g" targetRef="e1">
    <bpmn:conditionExpression>{yes}</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="tidak" name="Tidak" sourceRef="g" targetRef="e2">
    <bpmn:conditionExpression>{no}</bpmn:conditionExpression></bpmn:sequenceFlow>""")


def _messages(data: bytes) -> list[str]:
    return [p.message for p in analyse(data)[1]]


def test_a_method_call_is_refused_naming_the_construct_and_the_flow() -> None:
    messages = _messages(_gateway("${execution.getVariable('ok')}", "${!ok}"))
    assert any("execution.getVariable" in m and "Ya" in m and "ya" in m for m in messages)


def test_flows_that_cannot_be_told_apart_are_refused_naming_the_gateway() -> None:
    messages = _messages(_gateway("${ok}", "${ok == true}"))
    assert any("Gateway “Lengkap?” (g)" in m and "tidak dapat dibedakan" in m for m in messages)


def test_a_gateway_mixing_form_data_and_a_decision_is_refused() -> None:
    form = (
        'camunda:candidateGroups="Staf"><bpmn:extensionElements><camunda:formData>'
        '<camunda:formField id="jumlah" type="long"/></camunda:formData>'
        "</bpmn:extensionElements></bpmn:userTask><bpmn:userTask id='unused' "
        'camunda:candidateGroups="Staf"'
    )
    messages = _messages(_gateway("${ok and jumlah gt 5}", "${!ok}", form))
    assert any("mencampur field formulir (jumlah)" in m for m in messages)


def test_a_task_without_lane_group_or_assignee_is_refused() -> None:
    messages = _messages(_gateway("${ok}", "${!ok}", task_attrs=""))
    assert any("tidak memiliki camunda:candidateGroups atau camunda:assignee" in m
               for m in messages)  # fmt: skip


@pytest.mark.parametrize(
    ("attrs", "said"),
    [
        ('camunda:candidateGroups="Staf" camunda:dueDate="${tenggat}"', "ekspresi"),
        ('camunda:candidateGroups="Staf" camunda:dueDate="besok"', "bukan tanggal"),
        ('camunda:candidateGroups="${grup}"', "ekspresi"),
        ('camunda:candidateGroups="Staf, Sekretaris"', "lebih dari satu grup"),
        ('camunda:assignee="${initiator}"', "ekspresi"),
    ],
)
def test_expressions_where_a_fixed_value_is_needed_are_refused(attrs: str, said: str) -> None:
    messages = _messages(_gateway("${ok}", "${!ok}", attrs))
    assert any(said in m for m in messages), messages


def test_form_field_types_and_bounds_are_checked_at_deploy() -> None:
    form = (
        'camunda:candidateGroups="Staf"><bpmn:extensionElements><camunda:formData>'
        '<camunda:formField id="a" type="file"/>'
        '<camunda:formField id="b" type="long"><camunda:validation>'
        '<camunda:constraint name="min" config="satu"/></camunda:validation></camunda:formField>'
        '<camunda:formField id="c" type="long" defaultValue="x"/>'
        "</camunda:formData></bpmn:extensionElements></bpmn:userTask><bpmn:userTask id='u' "
        'camunda:candidateGroups="Staf"'
    )
    messages = " | ".join(_messages(_gateway("${ok}", "${!ok}", form)))
    assert "berjenis 'file'" in messages
    assert "batas 'satu'" in messages
    assert "nilai bawaan tidak sah" in messages


def test_the_stored_json_round_trips_and_old_rows_still_load() -> None:
    from engine.analysis import Analysis, HumanTask

    analysis, problems = analyse(_gateway("${ok}", "${!ok}"))
    assert problems == [] and analysis is not None
    again = Analysis.from_dict(analysis.to_dict())
    assert again == analysis
    option = again.task("t").decision.options  # type: ignore[union-attr]
    assert [(o.value, o.label, dict(o.sets)) for o in option] == [
        ("ya", "Ya", {"ok": True}), ("tidak", "Tidak", {"ok": False}),
    ]  # fmt: skip
    old = HumanTask.from_dict({"name": "x", "lane": "Staf", "decision_field": "keputusan",
                               "decisions": ["setuju", "tidak_setuju"], "fields": []})  # fmt: skip
    assert old.decision is not None and old.decision.needs_comment == ("tidak_setuju",)
    assert dict(old.decision.options[0].sets) == {"keputusan": "setuju"}


# -- models drawn from scratch in bpmn-js: deploy and run every branch -----------------------


@pytest.fixture(scope="module")
def drawn(bpmnjs: Any) -> dict[str, bytes]:
    """Both models, drawn through the bpmn-js modeling API as an analyst would."""
    return {name: bpmnjs.build(spec).encode() for name, spec in MODELS.items()}


@pytest.mark.browser  # drawn through bpmn-js in chromium
def test_drawn_models_keep_their_juel_and_carry_no_alur_properties(drawn) -> None:  # type: ignore[no-untyped-def]
    cuti = drawn["cuti"].decode()
    assert "${!lengkap}" in cuti and "camunda:property " not in cuti
    assert "camunda:candidateGroups" in drawn["surat"].decode()
    assert "bpmn:lane " not in drawn["surat"].decode()


@pytest.mark.browser  # drawn through bpmn-js in chromium
def test_the_leave_request_runs_every_branch(kit, drawn) -> None:  # type: ignore[no-untyped-def]
    definition = kit.definitions.deploy(drawn["cuti"]).definition
    assert definition.lanes == ("Pegawai", "Kasubag Umum", "Kepala Dinas")
    assert kit.definitions.xml(definition.id) == drawn["cuti"]  # the JUEL text is kept
    users = kit.user_per_lane(definition.lanes)
    pegawai, kasubag, kadis = (users[x] for x in definition.lanes)
    form = {"jenis": "tahunan", "jumlah_hari": "3", "mulai": "2026-12-01", "alasan": "keluarga"}

    def ready(instance_id: int) -> Any:
        tasks = [t for t in kit.runtime.instance_tasks(instance_id) if t.state == "ready"]
        assert len(tasks) == 1
        return tasks[0]

    # branch 1: incomplete (back to the start, comment required), then short leave → recorded
    inst = kit.runtime.start(definition.key, pegawai, title="Cuti A")
    task = ready(inst.id)
    assert [f.id for f in task.form_fields] == ["jenis", "jumlah_hari", "mulai", "mendesak",
                                                "alasan"]  # fmt: skip
    assert task.allowed_decisions == ()
    with pytest.raises(BadInput, match="Jumlah hari"):
        kit.runtime.complete(task.id, pegawai, form={**form, "jumlah_hari": "20"})
    with pytest.raises(BadInput, match="wajib"):
        kit.runtime.complete(task.id, pegawai, form={**form, "mulai": ""})
    kit.runtime.complete(task.id, pegawai, form=form)
    task = ready(inst.id)
    assert task.element_id == "Periksa" and task.allowed_decisions == ("ya", "tidak")
    assert task.decision_labels == {"ya": "Ya", "tidak": "Tidak"}
    assert task.needs_comment == ("tidak",)  # the branch that goes back
    with pytest.raises(CommentRequired):
        kit.runtime.complete(task.id, kasubag, decision="Tidak")
    with pytest.raises(InvalidDecision):
        kit.runtime.complete(task.id, kasubag, decision="mungkin")
    kit.runtime.complete(task.id, kasubag, decision="Tidak", comment="lampirkan surat")
    task = ready(inst.id)
    assert task.element_id == "Ajukan"
    kit.runtime.complete(task.id, pegawai, form=form)
    kit.runtime.complete(ready(inst.id).id, kasubag, decision="ya")
    task = ready(inst.id)  # 3 days, not urgent: straight to recording
    assert task.element_id == "Catat" and task.role == "Kasubag Umum"
    assert task.due is not None and task.due > kit.clock.now  # camunda:dueDate P2D
    kit.runtime.complete(task.id, kasubag)
    assert kit.runtime.instance(inst.id).status == "completed"
    history = kit.runtime.history(inst.id)
    assert any("Jumlah hari: 3" in h.comment and "Jenis cuti: Cuti tahunan" in h.comment
               for h in history)  # fmt: skip
    assert [h.decision for h in history if h.decision] == ["tidak", "ya"]

    # branches 2 and 3: long leave → the head decides: approve (recorded) or reject (default)
    for choice, end in (("Setuju", "completed"), ("Tolak", "completed")):
        inst = kit.runtime.start(definition.key, pegawai, title=f"Cuti {choice}")
        kit.runtime.complete(ready(inst.id).id, pegawai, form={**form, "jumlah_hari": "10"})
        kit.runtime.complete(ready(inst.id).id, kasubag, decision="Ya")
        task = ready(inst.id)
        assert task.element_id == "Setujui" and task.allowed_decisions == ("setuju", "tolak")
        kit.runtime.complete(task.id, kadis, decision=choice)
        if choice == "Setuju":
            kit.runtime.complete(ready(inst.id).id, kasubag)
        assert kit.runtime.instance(inst.id).status == end
        visited = {h.element_id for h in kit.runtime.history(inst.id) if h.element_id}
        assert ("Catat" in visited) == (choice == "Setuju")

    # an urgent short leave goes to the head too (a form boolean in a JUEL condition)
    inst = kit.runtime.start(definition.key, pegawai, title="Cuti mendesak")
    kit.runtime.complete(ready(inst.id).id, pegawai, form={**form, "mendesak": "true"})
    kit.runtime.complete(ready(inst.id).id, kasubag, decision="Ya")
    assert ready(inst.id).element_id == "Setujui"


@pytest.mark.browser  # drawn through bpmn-js in chromium
def test_the_model_without_lanes_runs_on_candidate_groups_and_an_assignee(kit, drawn) -> None:  # type: ignore[no-untyped-def]
    definition = kit.definitions.deploy(drawn["surat"]).definition
    assert definition.lanes == ("Staf", "Sekretaris")
    users = kit.user_per_lane(definition.lanes)
    kit.users.add("kadis", [])
    for revise in (True, False):
        inst = kit.runtime.start(definition.key, users["Staf"], title="Surat")
        task = kit.runtime.instance_tasks(inst.id)[-1]
        assert task.role == "Staf"
        kit.runtime.complete(task.id, users["Staf"], form={"perihal": "Undangan rapat"})
        task = next(t for t in kit.runtime.instance_tasks(inst.id) if t.state == "ready")
        assert task.role == "Sekretaris"
        assert task.due == datetime(2030, 1, 31, 9, 0, tzinfo=UTC)  # 16:00 WIB that day
        assert task.allowed_decisions == ("perlu_revisi", "tidak_perlu_revisi")
        if revise:
            kit.runtime.complete(task.id, users["Sekretaris"], "Perlu revisi", "ubah perihal")
            task = next(t for t in kit.runtime.instance_tasks(inst.id) if t.state == "ready")
            assert task.element_id == "Tulis"
            kit.runtime.complete(task.id, users["Staf"], form={"perihal": "Undangan"})
            task = next(t for t in kit.runtime.instance_tasks(inst.id) if t.state == "ready")
        kit.runtime.complete(task.id, users["Sekretaris"], "tidak perlu revisi")
        task = next(t for t in kit.runtime.instance_tasks(inst.id) if t.state == "ready")
        assert task.element_id == "Tandatangani" and task.assignee == "kadis"
        inbox, _total = kit.runtime.inbox("kadis")
        assert task.id in [t.id for t in inbox]
        kit.runtime.complete(task.id, "kadis")
        assert kit.runtime.instance(inst.id).status == "completed"


@pytest.mark.browser  # drawn through bpmn-js in chromium
def test_the_drawn_models_print_as_official_sop_documents(drawn, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from converters.drawing.document import render_document
    from converters.reading.sop_file import read_sop

    for name, data in drawn.items():
        sop = read_sop(data, f"{name}.bpmn")
        assert len(sop.steps) == (4 if name == "cuti" else 3), name
        assert "Pelaksana" not in {s.role for s in sop.steps}
        pdf = render_document(sop, "pdf")
        assert pdf.startswith(b"%PDF")
        (tmp_path / f"{name}.pdf").write_bytes(pdf)


def test_a_definition_whose_juel_became_unsafe_is_refused_when_parsed() -> None:
    from engine.definitions import parse_spec

    bad = _gateway("${ok}", "${x.y}").replace(b'isExecutable="true"', b'isExecutable="true"')
    with pytest.raises(DefinitionInvalid):
        parse_spec(bad, "p")
