"""A fresh start made from the first start of the same definition, not by SpiffWorkflow again.

Why: a start ran SpiffWorkflow's own start (a new workflow, its engine steps up to the first
human tasks, the state serialized), about three quarters of a millisecond of CPU, for every
start of the same definition, and for most definitions it is the same work with the same
result each time. What a start puts into the state (SpiffWorkflow 3.2, serializer format 1.5,
:mod:`engine.serializer`), read off the serializer's converters:

- the workflow: its data (nothing from the start: Alur gives SpiffWorkflow no start data;
  the title, business key and user are columns of the instance row only; the data objects of
  the spec, each None), ``correlations``, ``last_task`` (a task id), ``success``,
  ``completed``, ``tasks`` keyed by id, ``root`` (a task id), the spec (a reference by
  content hash), ``subprocess_specs``, ``subprocesses`` keyed by their call activity's task
  id (each with tasks, ids and times of its own), ``bpmn_events``;
- each task: ``id``, ``parent`` and ``children`` (task ids), ``last_state_change``
  (``time.time()`` when its state last changed), ``state``, its spec's name, ``triggered``,
  ``internal_data`` (the plain start event's ``event_fired``; a timer's due time, a
  multi-instance item, an event's payload), and its data.

So where every task that ran during the start is of a kind whose result depends on nothing
but the definition (see :func:`refusal`), two starts differ only in the task ids (uuid4)
and the state-change times. The first start of a definition version runs SpiffWorkflow as
always; its serialized state becomes the version's :class:`StartTemplate`, and later starts
take the template's text with fresh ids and times (:meth:`StartTemplate.fresh`): a few tens
of microseconds. Where the state cache keeps the live workflow beside the state it wrote
(PostgreSQL, :mod:`engine.state_cache`), :meth:`FreshStart.workflow` builds that object as
SpiffWorkflow's deserializer would from the text, without the JSON work.

Every template checks itself once, when it is made: the text's ids and times are found where
the serializer writes them and nowhere else, and a workflow built for a fresh start's ids
serializes to exactly that start's text. A definition whose first start fails a rule or the
check always starts the normal way. Templates are kept per content hash with the parsed spec
they were made with, and used only while the spec cache still hands out that same spec
object, so a template lives no longer than its spec in :mod:`engine.definitions`' cache.
"""

from __future__ import annotations

import copy
import os
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BpmnStartTask
from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.manual_task import ManualTask
from SpiffWorkflow.bpmn.specs.mixins.none_task import NoneTask
from SpiffWorkflow.bpmn.specs.mixins.parallel_gateway import ParallelGateway
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.util.task import TaskState

from engine.state_cache import release

DEFAULT_SIZE = 64
"""Definition versions whose template a process keeps: as many as the spec cache keeps specs
(``engine.definitions``), which a template never outlives. A template is its state text
(a few kB) cut in pieces, and its tasks' specs, states and data to build live ones from."""

_FORESEEN = TaskState.PREDICTED_MASK | TaskState.FUTURE
"""Tasks SpiffWorkflow only foresaw from the spec's structure (predicted, or created as the
children of a task that ran): nothing of theirs ran yet."""

_ID = re.compile(r'"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})"')
"""A task id where the serializer writes one: a quoted uuid4 (task keys, ``id``,
``parent``, ``children``, ``root``, ``last_task``)."""

_TIME = re.compile(r'"last_state_change": ([^,}\s]+)')
"""A task's state-change time (json writes a float with ``repr``, after ``": "``)."""


def refusal(workflow: BpmnWorkflow) -> str | None:
    """Why a start that left ``workflow`` cannot be a template (None: it can).

    Allowed to have run (completed) during the start, as nothing but the definition decides
    their result:

    - SpiffWorkflow's root task (``BpmnStartTask``) and a plain start event (no event
      definition);
    - exclusive, inclusive and parallel gateways none of whose outgoing flows has a
      condition (the merges and forks an SOP's BPMN has before its first task).

    Left ready: human tasks (user, manual and plain tasks; nothing of theirs has run yet).
    Foreseen tasks (``MAYBE``, ``LIKELY``, ``FUTURE``) of any kind: SpiffWorkflow predicts
    them from the spec's structure alone, nothing of theirs ran.

    Excluded, each because its result can differ from one start to the next:

    - script and service tasks, and any task with a pre- or post-script (SpiffWorkflow's
      extension): a script may read the clock, draw random numbers or write anything into
      the data;
    - timers (start, intermediate, boundary): a waiting timer's due time is computed from
      the clock when it starts waiting;
    - message, signal and other events, event-based gateways, send and receive tasks:
      their waits, payloads and correlations come from outside or are kept in the workflow;
    - boundary events on a ready task (SpiffWorkflow's ``BoundaryEventSplit`` ran): they wait
      (a timer's due time from the clock);
    - a gateway with a condition on an outgoing flow: Alur's condition language is pure
      today (names, literals, comparisons: ``engine.conditions``) and reads only data every
      start has alike, but the template should not rest on another module's promise, and an
      SOP's decisions follow their tasks, so a condition before the first wait is rare;
    - multi-instance and loop tasks: the task that runs them is left started, its instances
      carry an item or index computed from data;
    - call activities and subprocesses: a subprocess is a workflow of its own (tasks, ids
      and times of its own, keyed by its task's id) the template does not rebuild;
    - any other task left waiting (what it waits for, and since when, is kept in its state),
      started (a subprocess or multi-instance at work), in error or cancelled;
    - a start that ends the process or leaves no human task: no later start would take it
      up, and it is no start an SOP has.
    """
    if workflow.subprocesses:
        return "subprocess"
    if workflow.bpmn_events or workflow.correlations:
        return "event"
    ready = 0
    for task in workflow.tasks.values():
        state = task.state
        spec = task.task_spec
        if state & _FORESEEN:
            continue
        if getattr(spec, "prescript", None) or getattr(spec, "postscript", None):
            return f"script on {spec.name}"
        if state == TaskState.READY:
            if not (spec.manual and isinstance(spec, UserTask | ManualTask | NoneTask)):
                return f"ready {type(spec).__name__} {spec.name}"
            ready += 1
        elif state == TaskState.COMPLETED:
            reason = _ran_refusal(spec)
            if reason:
                return reason
        else:
            return f"{TaskState.get_name(state)} {type(spec).__name__} {spec.name}"
    if not ready:
        return "no human task"
    return None


def _ran_refusal(spec: Any) -> str | None:
    """Why a task of ``spec`` that ran during a start makes it no template (None: fine)."""
    if isinstance(spec, BpmnStartTask):
        return None
    if isinstance(spec, StartEvent):
        if type(spec.event_definition) is NoneEventDefinition:
            return None
        return f"start event {spec.name}"
    if isinstance(spec, ExclusiveGateway | InclusiveGateway):
        if any(condition is not None for condition, _ in spec.cond_task_specs):
            return f"condition at {spec.name}"
        return None
    if isinstance(spec, ParallelGateway):
        return None
    return f"ran {type(spec).__name__} {spec.name}"


@dataclass(frozen=True)
class ReadyTask:
    """A ready human task of a templated start as the start's task rows need it (the rows
    read only its spec: element id, name, lane), in place of a live SpiffWorkflow task."""

    task_spec: Any


@dataclass(frozen=True)
class FreshStart:
    """One start made from a template: its serialized state, its ready human tasks by their
    new ids (in the order a start writes their rows), and the ids and times it was given."""

    template: StartTemplate
    state: str
    ready: dict[str, ReadyTask]
    ids: tuple[uuid.UUID, ...]
    times: tuple[float, ...]

    def workflow(self, script_engine: Any) -> BpmnWorkflow:
        """The live workflow of :attr:`state`, as deserializing it would give."""
        return self.template.build(self.ids, self.times, script_engine)


@dataclass(frozen=True)
class _Shape:
    """One task of the template, as the deserializer restores it (ids as slots)."""

    slot: int
    cls: type
    spec: Any
    state: int
    parent: int | None
    children: tuple[int, ...]
    triggered: bool
    internal_data: Any
    data: Any


class StartTemplate:
    """The serialized state of a version's first start, ready to be given fresh ids and times.

    ``pieces``/``slots``: the state text cut at every id and time, and which value fills each
    cut (an index into the fresh ids, then the times). ``offsets``: each task's time before
    the latest (zero or less), kept so a fresh start's times are in the first start's order
    and as far apart, the latest being the fresh start's own time (none in the future)."""

    def __init__(self, spec: Any, subprocess_specs: Any, pristine: BpmnWorkflow,
                 pieces: tuple[str, ...], slots: tuple[int, ...],
                 offsets: tuple[float, ...],
                 ready: tuple[tuple[int, Any], ...]) -> None:  # fmt: skip
        self.spec = spec
        self.subprocess_specs = subprocess_specs
        self._pieces = pieces
        self._slots = slots
        self._offsets = offsets
        self._ready = ready
        index = {task.id: i for i, task in enumerate(pristine.tasks.values())}
        self._shapes = tuple(
            _Shape(slot=index[task.id], cls=type(task), spec=task.task_spec, state=task.state,
                   parent=index[task._parent] if task._parent is not None else None,
                   children=tuple(index[c] for c in task._children),
                   triggered=task.triggered, internal_data=task.internal_data,
                   data=task.data)
            for task in pristine.tasks.values()
        )  # fmt: skip
        self._root = index[pristine.task_tree.id]
        self._last = index[pristine.last_task.id] if pristine.last_task is not None else None
        self._data = pristine.data
        self._success = pristine.success
        self._completed = pristine.completed

    @property
    def size(self) -> int:
        """How many tasks (and fresh ids) a start from this template has."""
        return len(self._offsets)

    def fresh(self, ids: tuple[uuid.UUID, ...] | None = None,
              now: float | None = None) -> FreshStart:  # fmt: skip
        """A start: the template's state with fresh uuid4 task ids (``ids``, for a test)
        and state-change times up to ``now`` (``time.time()``, SpiffWorkflow's own clock)."""
        if ids is None:
            ids = fresh_ids(len(self._offsets))
        now = time.time() if now is None else now
        times = tuple(now + offset for offset in self._offsets)
        values = [str(i) for i in ids] + [repr(t) for t in times]
        parts = [self._pieces[0]]
        for slot, piece in zip(self._slots, self._pieces[1:], strict=True):
            parts.append(values[slot])
            parts.append(piece)
        ready = {values[slot]: ReadyTask(spec) for slot, spec in self._ready}
        return FreshStart(template=self, state="".join(parts), ready=ready, ids=ids,
                          times=times)  # fmt: skip

    def build(self, ids: tuple[uuid.UUID, ...], times: tuple[float, ...],
              script_engine: Any) -> BpmnWorkflow:  # fmt: skip
        """The workflow SpiffWorkflow's deserializer makes of the state with ``ids`` and
        ``times`` (``BpmnWorkflowConverter.from_dict`` and ``TaskConverter.from_dict`` of
        SpiffWorkflow 3.2, step by step, from the template's own deserialized tasks instead
        of JSON); checked once against the serializer when the template is made."""
        workflow = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=script_engine,
                                deserializing=True)  # fmt: skip
        for shape, when in zip(self._shapes, times, strict=True):
            task = shape.cls(workflow, shape.spec, state=shape.state, id=ids[shape.slot])
            task._parent = ids[shape.parent] if shape.parent is not None else None
            task._children = [ids[c] for c in shape.children]
            task.last_state_change = when
            task.triggered = shape.triggered
            task.internal_data = _copied(shape.internal_data)
            task.data = _copied(shape.data)
        workflow.task_tree = workflow.tasks[ids[self._root]]
        workflow.success = self._success
        workflow.completed = self._completed
        workflow.correlations = {}
        workflow.last_task = workflow.tasks[ids[self._last]] if self._last is not None else None
        workflow.data = _copied(self._data)
        workflow.bpmn_events = []
        return workflow


def fresh_ids(count: int) -> tuple[uuid.UUID, ...]:
    """``count`` random uuid4s: :func:`uuid.uuid4`'s own making, from one read of the
    system's random source instead of one per id."""
    raw = os.urandom(16 * count)
    return tuple(uuid.UUID(bytes=raw[i:i + 16], version=4) for i in range(0, 16 * count, 16))


def _copied(value: Any) -> Any:
    """A copy of task or workflow data as deserializing gives it anew: JSON values (dicts,
    lists, immutable scalars) copied directly, anything else by :func:`copy.deepcopy`
    (deepcopy of the template's few empty dicts was most of a build's time)."""
    kind = type(value)
    if kind is dict:
        return {k: _copied(v) for k, v in value.items()}
    if kind is list:
        return [_copied(v) for v in value]
    if value is None or kind in (str, int, float, bool):
        return value
    return copy.deepcopy(value)


def make_template(spec: Any, subprocess_specs: Any, workflow: BpmnWorkflow, state: str,
                  ready: list[str], load: Callable[[str], BpmnWorkflow],
                  dump: Callable[[Any], str]) -> StartTemplate | None:  # fmt: skip
    """The template of a start that left ``workflow``, serialized as ``state``, with its
    ready human task ids ``ready`` in the order the start writes their rows; None when a
    rule (:func:`refusal`) or the template's check refuses it. ``load``/``dump``: the
    runtime's serializer (the template must match what it reads and writes)."""
    if refusal(workflow) is not None:
        return None
    order = [str(task_id) for task_id in workflow.tasks]
    cut = _cut(state, {task_id: i for i, task_id in enumerate(order)})
    if cut is None:
        return None
    pieces, slots, times = cut
    pristine = load(state)
    if [str(task_id) for task_id in pristine.tasks] != order or pristine.spec is not spec:
        return None  # pragma: no cover - the serializer keeps the task map's order
    latest = max(times)
    offsets = tuple(t - latest for t in times)
    shown = tuple((order.index(t), pristine.tasks[uuid.UUID(t)].task_spec) for t in ready)
    template = StartTemplate(spec, subprocess_specs, pristine, pieces, slots, offsets, shown)
    release(pristine)  # the template kept what it builds from, not the workflow
    # the check: for fresh ids and times, the text and the workflow built for them agree
    # with the serializer
    fresh = template.fresh()
    if dump(template.build(fresh.ids, fresh.times, None)) != fresh.state:
        return None
    return template


def _cut(state: str, index: dict[str, int]) -> tuple[tuple[str, ...], tuple[int, ...],
                                                      list[float]] | None:  # fmt: skip
    """The state text cut at every task id and time: the pieces, the value slot of each cut
    (a task's index for its id, the task count + its index for its time) and the times in
    task order; None when an id or a time is written anywhere the serializer would not."""
    count = len(index)
    cuts: list[tuple[int, int, int]] = []  # (start, end, slot)
    for found in _ID.finditer(state):
        slot = index.get(found.group(1))
        if slot is None:
            return None  # a uuid that is no task id of this workflow
        cuts.append((found.start(1), found.end(1), slot))
    quoted = [0] * count
    for _, _, slot in cuts:
        quoted[slot] += 1
    if any(state.count(task_id) != quoted[i] for task_id, i in index.items()):
        return None  # an id inside some longer text
    stamps = list(_TIME.finditer(state))
    if len(stamps) != count:
        return None  # one per task, in the task map's order, or something else wrote one
    times: list[float] = []
    for i, found in enumerate(stamps):
        try:
            times.append(float(found.group(1)))
        except ValueError:
            return None
        cuts.append((found.start(1), found.end(1), count + i))
    cuts.sort()
    pieces: list[str] = []
    at = 0
    for start, end, _ in cuts:
        pieces.append(state[at:start])
        at = end
    pieces.append(state[at:])
    return tuple(pieces), tuple(slot for _, _, slot in cuts), times


class StartTemplates:
    """The templates of one runtime, by definition content hash (bounded LRU; thread-safe).

    A version is judged once per spec object: its template, or None when its starts must
    run SpiffWorkflow (kept too, so a refused version is not judged again)."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._judged: OrderedDict[str, tuple[Any, StartTemplate | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: str, spec: Any) -> StartTemplate | None:
        """The template of the version, if it has one made with ``spec`` (the spec cache's
        current object for it)."""
        with self._lock:
            found = self._judged.get(sha256)
            if found is None or found[0] is not spec:
                return None
            self._judged.move_to_end(sha256)
            return found[1]

    def judged(self, sha256: str, spec: Any) -> bool:
        """Whether the version was judged with ``spec`` already (template or not)."""
        with self._lock:
            found = self._judged.get(sha256)
            return found is not None and found[0] is spec

    def keep(self, sha256: str, spec: Any, template: StartTemplate | None) -> None:
        """Remember the judgement of a version (its template, or None)."""
        if self.size <= 0:
            return
        with self._lock:
            self._judged[sha256] = (spec, template)
            self._judged.move_to_end(sha256)
            while len(self._judged) > self.size:
                self._judged.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for _, template in self._judged.values() if template is not None)
