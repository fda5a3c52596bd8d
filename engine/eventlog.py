"""Event logs of a process for process mining: XES (IEEE 1849-2016) and CSV.

Why: the engine's records are already an event log; exporting them in the standard format
lets pm4py, ProM, Disco or Celonis discover how the SOP is *really* followed (which steps loop,
which are skipped) without anyone re-typing paper forms.

One event per task lifecycle change, with the XES standard lifecycle model's transitions:

=================  ====================  ============================================
engine             lifecycle:transition  where it comes from
=================  ====================  ============================================
task created       ``schedule``          ``tasks.created``
claim              ``assign``            ``audit`` (action ``claim``)
reassign           ``reassign``          ``audit`` (action ``reassign``)
unclaim            ``withdraw``          ``audit`` (action ``unclaim``)
completed          ``complete``          ``tasks.completed`` / ``completed_by`` / decision
cancelled          ``ate_abort``         ``tasks.completed`` of a cancelled task
=================  ====================  ============================================

The activity (``concept:name``) is "N. step name" (the SOP's step number when the BPMN has
it), the resource (``org:resource``) the user, the role (``org:role``) the lane. A case is one
process instance (trace ``concept:name`` = the instance id). A period selects *cases by their
start date* and keeps their whole traces: a trace cut at the period's edge would show
variants the SOP does not have.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from lxml import etree

from engine.analysis import Analysis
from engine.calendar import WorkingCalendar
from engine.compliance import OfficeClock, is_rejection, step_number
from engine.status import TaskState
from engine.store import Store, audit, definitions, instances, tasks

XES_NS = "http://www.xes-standard.org/"
FORMATS = ("xes", "csv")
CSV_COLUMNS = ("case_id", "activity", "step", "element_id", "role", "resource", "timestamp",
               "lifecycle", "decision", "rejected", "case_title", "version")  # fmt: skip
_ASSIGN = {"claim": "assign", "reassign": "reassign", "unclaim": "withdraw"}
_RANK = {"complete": 0, "ate_abort": 0, "schedule": 1, "assign": 2, "reassign": 2,
         "withdraw": 2}  # fmt: skip
"""Order of events at the same instant: a completion's successor is created in the same
transaction, so the completion comes first."""


@dataclass(frozen=True)
class Event:
    case_id: int
    activity: str
    step: int | None
    element_id: str
    role: str
    resource: str
    timestamp: datetime
    lifecycle: str
    decision: str = ""
    rejected: bool = False


@dataclass(frozen=True)
class Trace:
    case_id: int
    title: str
    business_key: str
    version: int
    status: str
    started_at: datetime
    events: tuple[Event, ...]


@dataclass(frozen=True)
class EventLog:
    process_key: str
    process_name: str
    traces: tuple[Trace, ...]

    @property
    def event_count(self) -> int:
        return sum(len(t.events) for t in self.traces)


def build_log(
    store: Store,
    process_key: str,
    start: date | None = None,
    end: date | None = None,
    calendar: WorkingCalendar | None = None,
    version: int | None = None,
) -> EventLog:
    """The event log of the cases of ``process_key`` started between ``start`` and ``end``
    (office-time-zone dates, inclusive)."""
    clock = OfficeClock(calendar or WorkingCalendar())
    with store.begin(write=False) as conn:
        defs = conn.execute(
            sa.select(definitions.c.id, definitions.c.version, definitions.c.name,
                      definitions.c.meta)
            .where(definitions.c.key == process_key)
            .order_by(definitions.c.version)
        ).all()  # fmt: skip
        if version is not None:
            defs = [d for d in defs if d.version == version]
        if not defs:
            from engine.errors import NotFound

            raise NotFound(f"Proses {process_key} tidak ditemukan")
        where = [instances.c.process_key == process_key,
                 instances.c.definition_id.in_([d.id for d in defs])]  # fmt: skip
        if start is not None:
            where.append(instances.c.started_at >= clock.local_day_start(start))
        if end is not None:
            where.append(instances.c.started_at < clock.local_day_start(end + timedelta(days=1)))
        cases = conn.execute(
            sa.select(instances.c.id, instances.c.definition_id, instances.c.title,
                      instances.c.business_key, instances.c.status, instances.c.started_at)
            .where(*where).order_by(instances.c.started_at, instances.c.id)
        ).all()  # fmt: skip
        chosen = sa.select(instances.c.id).where(*where)
        task_rows = conn.execute(
            sa.select(tasks).where(tasks.c.instance_id.in_(chosen)).order_by(tasks.c.created)
        ).all()
        moves = conn.execute(
            sa.select(audit.c.instance_id, audit.c.task_id, audit.c.at, audit.c.user,
                      audit.c.action, audit.c.comment, audit.c.id)
            .where(audit.c.instance_id.in_(chosen), audit.c.action.in_(tuple(_ASSIGN)))
            .order_by(audit.c.id)
        ).all()  # fmt: skip
    meta = {d.id: Analysis.from_dict(json.loads(d.meta)) for d in defs}
    version_of = {d.id: d.version for d in defs}
    by_task = {r.id: r for r in task_rows}
    events: dict[int, list[tuple[datetime, int, int, Event]]] = {c.id: [] for c in cases}
    seq = 0

    def add(case_id: int, event: Event) -> None:
        nonlocal seq
        seq += 1
        events[case_id].append((event.timestamp, _RANK[event.lifecycle], seq, event))

    for r in task_rows:
        task = meta[r.definition_id].task(r.element_id)
        number = step_number(task)
        name = r.name or task.name or r.element_id
        activity = f"{number}. {name}" if number is not None else name
        base = dict(case_id=r.instance_id, activity=activity, step=number,
                    element_id=r.element_id, role=r.role)  # fmt: skip
        add(r.instance_id, Event(**base, resource="", timestamp=r.created,
                                 lifecycle="schedule"))
        if r.state == TaskState.COMPLETED and r.completed is not None:
            add(r.instance_id, Event(**base, resource=r.completed_by or "",
                                     timestamp=r.completed, lifecycle="complete",
                                     decision=r.decision or "",
                                     rejected=is_rejection(task, r.decision)))
        elif r.state == TaskState.CANCELLED and r.completed is not None:
            add(r.instance_id, Event(**base, resource="", timestamp=r.completed,
                                     lifecycle="ate_abort"))
    for m in moves:
        row = by_task.get(m.task_id)
        if row is None:
            continue
        task = meta[row.definition_id].task(row.element_id)
        number = step_number(task)
        name = row.name or task.name or row.element_id
        who = m.user
        if m.action == "reassign" and m.comment.startswith("dialihkan kepada "):
            who = m.comment[len("dialihkan kepada ") :]
        add(m.instance_id, Event(
            case_id=m.instance_id,
            activity=f"{number}. {name}" if number is not None else name,
            step=number, element_id=row.element_id, role=row.role, resource=who,
            timestamp=m.at, lifecycle=_ASSIGN[m.action]))  # fmt: skip
    traces = tuple(
        Trace(
            case_id=c.id,
            title=c.title,
            business_key=c.business_key,
            version=version_of[c.definition_id],
            status=c.status,
            started_at=c.started_at,
            events=tuple(e for *_k, e in sorted(events[c.id], key=lambda x: x[:3])),
        )
        for c in cases
    )
    return EventLog(process_key, defs[-1].name, traces)


def _ts(value: datetime) -> str:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    text = aware.astimezone(UTC).isoformat(timespec="milliseconds")
    return text


def to_xes(log: EventLog) -> bytes:
    """The log as an XES 1849-2016 document (standard extensions: concept, time, lifecycle,
    org; Alur's own attributes under the ``alur:`` prefix, declared as globals-free keys)."""
    root = etree.Element(f"{{{XES_NS}}}log", nsmap={None: XES_NS})  # type: ignore[dict-item]
    root.set("xes.version", "1849-2016")
    root.set("xes.features", "")
    for name, prefix, uri in (
        ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
        ("Time", "time", "http://www.xes-standard.org/time.xesext"),
        ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
        ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
    ):
        _sub(root, "extension", name=name, prefix=prefix, uri=uri)
    trace_globals = _sub(root, "global", scope="trace")
    _sub(trace_globals, "string", key="concept:name", value="__INVALID__")
    event_globals = _sub(root, "global", scope="event")
    _sub(event_globals, "string", key="concept:name", value="__INVALID__")
    _sub(event_globals, "date", key="time:timestamp", value="1970-01-01T00:00:00.000+00:00")
    _sub(event_globals, "string", key="lifecycle:transition", value="complete")
    _sub(root, "classifier", name="Activity", keys="concept:name")
    _sub(root, "classifier", name="Activity and transition",
         keys="concept:name lifecycle:transition")  # fmt: skip
    _sub(root, "string", key="concept:name", value=log.process_name or log.process_key)
    _sub(root, "string", key="lifecycle:model", value="standard")
    _sub(root, "string", key="alur:process", value=log.process_key)
    for trace in log.traces:
        t = _sub(root, "trace")
        _sub(t, "string", key="concept:name", value=str(trace.case_id))
        _sub(t, "string", key="alur:title", value=trace.title)
        if trace.business_key:
            _sub(t, "string", key="alur:business_key", value=trace.business_key)
        _sub(t, "int", key="alur:version", value=str(trace.version))
        _sub(t, "string", key="alur:status", value=trace.status)
        for e in trace.events:
            ev = _sub(t, "event")
            _sub(ev, "string", key="concept:name", value=e.activity)
            _sub(ev, "string", key="lifecycle:transition", value=e.lifecycle)
            _sub(ev, "date", key="time:timestamp", value=_ts(e.timestamp))
            if e.resource:
                _sub(ev, "string", key="org:resource", value=e.resource)
            if e.role:
                _sub(ev, "string", key="org:role", value=e.role)
            _sub(ev, "string", key="alur:element", value=e.element_id)
            if e.step is not None:
                _sub(ev, "int", key="alur:step", value=str(e.step))
            if e.decision:
                _sub(ev, "string", key="alur:decision", value=e.decision)
                _sub(ev, "boolean", key="alur:rejected", value="true" if e.rejected else "false")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{XES_NS}}}{tag}")
    for k, v in attrs.items():
        el.set(k, v)
    return el


def to_csv(log: EventLog) -> bytes:
    """One row per event (:data:`CSV_COLUMNS`), UTF-8 with a BOM so Excel reads the
    Indonesian text right; timestamps ISO 8601 UTC."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for trace in log.traces:
        for e in trace.events:
            writer.writerow(_csv_row(trace, e))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_row(trace: Trace, e: Event) -> Sequence[object]:
    return (e.case_id, e.activity, "" if e.step is None else e.step, e.element_id, e.role,
            e.resource, _ts(e.timestamp), e.lifecycle, e.decision,
            "ya" if e.rejected else "", trace.title, trace.version)  # fmt: skip


def render(log: EventLog, fmt: str) -> bytes:
    if fmt == "xes":
        return to_xes(log)
    if fmt == "csv":
        return to_csv(log)
    raise ValueError(f"format log tidak dikenal: {fmt!r} (pilih: {', '.join(FORMATS)})")
