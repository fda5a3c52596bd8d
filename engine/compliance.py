"""Is the SOP kept? Compliance of recorded work against the SOP's Mutu Baku (issue 15).

Permenpan RB 35/2012 asks agencies to monitor whether their SOP AP are followed. The engine
already records every step of every case (``tasks``: created, due, completed, by whom, the
decision; ``audit``: claims), so the figures are pure queries over the store plus the office
calendar; nothing is stored for them and nothing here writes.

Rules, said once (``docs/reports.md`` repeats them for readers of the report):

* **Durations are office time**: minutes while the office is open on the
  :class:`~engine.calendar.WorkingCalendar` (weekdays, office hours, Indonesian holidays,
  closed days), the calendar that set the due dates. A step started Friday 15:00 and finished
  Monday 09:00 took 120 office minutes, not 66 hours.
* **Mutu Baku in the same unit**: a time in working days counts one office day per day
  (``max_minutes / 480`` days × the office day); minutes and hours are taken as they are.
* **On time** means completed no later than the task's stored ``due``, the very instant the
  inbox showed as the deadline; a step without a Mutu Baku time is neither on time nor late.
* **Rejected**: a decision step completed with any value other than its first (approving)
  one; the loop histogram counts, per case, how often that step sent the case back.
* **Waiting before claim**: office minutes from the task's creation to its first ``claim``
  in the audit trail (tasks completed without a claim have no waiting time).
* **Period**: tasks belong to the period their work *started* in (``tasks.created``); cases
  to the period they were started in. Both in the office's time zone, end date inclusive.
* **Percentiles**: median as :func:`statistics.median`; p90 by nearest rank
  (the ``ceil(0.9 n)``-th smallest value), so a hand count gives the same number.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from converters.bpmn.names import P_NUMBER
from converters.bpmn.properties import MINUTES_PER_WORKING_DAY, duration_from_properties
from engine.analysis import Analysis, HumanTask
from engine.calendar import WorkingCalendar
from engine.status import InstanceStatus, TaskState
from engine.store import Store, audit, definitions, instances, tasks


@dataclass(frozen=True)
class ReportFilter:
    """Which work a report covers: one process, optionally a period, a version and a role."""

    process_key: str
    start: date | None = None  # first day (office time zone), inclusive
    end: date | None = None  # last day, inclusive
    version: int | None = None
    role: str | None = None


@dataclass(frozen=True)
class Spread:
    """Median, p90 (nearest rank) and maximum of some office-minute values."""

    count: int
    median: float | None
    p90: float | None
    max: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            return cls(0, None, None, None)
        ordered = sorted(values)
        rank = max(1, math.ceil(0.9 * len(ordered)))
        return cls(len(ordered), float(statistics.median(ordered)), ordered[rank - 1],
                   ordered[-1])  # fmt: skip


@dataclass(frozen=True)
class Loops:
    """How many cases a decision step sent back once, twice, three times or more."""

    once: int = 0
    twice: int = 0
    more: int = 0

    @property
    def cases(self) -> int:
        return self.once + self.twice + self.more


@dataclass(frozen=True)
class StepFigures:
    """One SOP step (BPMN element) over the period."""

    element_id: str
    number: int | None
    name: str
    role: str
    mutu_baku_text: str
    mutu_baku_minutes: float | None  # office minutes (see the module docstring)
    executions: int  # completed
    open: int
    open_overdue: int
    duration: Spread
    with_due: int  # completed executions that had a due date
    on_time: int
    rejections: int
    loops: Loops
    waiting: Spread  # before the first claim

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.with_due if self.with_due else None

    @property
    def late(self) -> int:
        return self.with_due - self.on_time

    @property
    def label(self) -> str:
        """"N. name": the activity as the SOP numbers it (the event log uses it too)."""
        return f"{self.number}. {self.name}" if self.number is not None else self.name


@dataclass(frozen=True)
class PartyFigures:
    """One role (jabatan) or one user: open work, overdue work, completed work on time."""

    name: str
    open: int
    overdue: int
    completed: int
    with_due: int
    on_time: int

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.with_due if self.with_due else None


@dataclass(frozen=True)
class CaseFigures:
    """One case: lead time against the sum of the Mutu Baku of the steps it went through."""

    instance_id: int
    title: str
    version: int
    status: InstanceStatus
    started_at: datetime
    ended_at: datetime | None
    lead_minutes: float  # office minutes, to the end or (running) to now
    mutu_baku_minutes: float | None  # each step it reached counted once
    rejections: int

    @property
    def on_time(self) -> bool | None:
        """Only a completed case with a Mutu Baku can be judged."""
        if self.status != InstanceStatus.COMPLETED or self.mutu_baku_minutes is None:
            return None
        return self.lead_minutes <= self.mutu_baku_minutes + 1e-9


@dataclass(frozen=True)
class MonthFigures:
    """Completed steps of one calendar month (by completion, office time zone)."""

    month: str  # "2026-01"
    completed: int
    with_due: int
    on_time: int
    median_minutes: float | None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.with_due if self.with_due else None


@dataclass(frozen=True)
class ComplianceReport:
    """Everything the report page, the exports and the monitoring form show."""

    filter: ReportFilter
    process_name: str
    versions: tuple[int, ...]  # versions the covered work ran on
    generated_at: datetime
    office_day_minutes: int
    steps: tuple[StepFigures, ...]
    roles: tuple[PartyFigures, ...]
    users: tuple[PartyFigures, ...]
    cases: tuple[CaseFigures, ...]
    months: tuple[MonthFigures, ...]
    tasks_total: int = 0
    lead: Spread = field(default_factory=lambda: Spread(0, None, None, None))

    @property
    def completed(self) -> int:
        return sum(s.executions for s in self.steps)

    @property
    def with_due(self) -> int:
        return sum(s.with_due for s in self.steps)

    @property
    def on_time(self) -> int:
        return sum(s.on_time for s in self.steps)

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.with_due if self.with_due else None

    @property
    def rejections(self) -> int:
        return sum(s.rejections for s in self.steps)

    @property
    def cases_completed(self) -> int:
        return sum(1 for c in self.cases if c.status == InstanceStatus.COMPLETED)

    @property
    def cases_on_time(self) -> int:
        return sum(1 for c in self.cases if c.on_time)


class OfficeClock:
    """Office minutes between two instants on one :class:`WorkingCalendar`.

    The calendar knows how to *add* office time (due dates); a report needs the inverse,
    *measure* it, for a hundred thousand intervals. Every instant is mapped once to its
    *office position*: the office microseconds on the office's wall clock from a fixed day up
    to it (:meth:`position`); the office time between two instants is the difference of their
    positions. The per-day table behind it (office time before the day, working day or not,
    its month) and the time zone's offset per UTC day are built once per day met, so the
    holiday lookup and the time-zone arithmetic are not repeated per interval.
    """

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self.zone = ZoneInfo(calendar.timezone)
        start, end = calendar.office_start, calendar.office_end
        self.day_minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        self._open = _time_us(start)
        self._length = _time_us(end) - self._open
        self._working: dict[date, bool] = {}
        # local day number (days since 1970-01-01) -> (office µs before it, working, "YYYY-MM")
        self._days: dict[int, tuple[int, bool, str]] = {}
        self._first = self._last = 0  # the contiguous range of day numbers in ``_days``
        self._offsets: dict[int, int] = {}  # UTC day number -> the zone's offset all day (µs)
        self._changing: set[int] = set()  # UTC days in which the offset changes (DST)

    def is_working_day(self, day: date) -> bool:
        found = self._working.get(day)
        if found is None:
            found = self._working[day] = self.calendar.is_working_day(day)
        return found

    def minutes(self, start: datetime, end: datetime) -> float:
        """Office minutes in [start, end] (0 when ``end`` is not after ``start``)."""
        return self.between(instant_us(start), instant_us(end))

    def between(self, start: int, end: int) -> float:
        """:meth:`minutes` of two instants in µs since 1970 UTC (:func:`instant_us`)."""
        if end <= start:
            return 0.0
        office = self.position(end) - self.position(start)
        return office / 60_000_000 if office > 0 else 0.0

    def position(self, instant: int) -> int:
        """Office µs up to ``instant`` (µs since 1970 UTC) counted on the office's wall clock
        from an arbitrary fixed day: only differences of positions mean anything."""
        offset = self._offsets.get(instant // _DAY_US)
        if offset is None:
            offset = self._offset(instant)
        day, clock = divmod(instant + offset, _DAY_US)
        entry = self._days.get(day) or self._day(day)
        if not entry[1]:
            return entry[0]
        into = clock - self._open
        if into <= 0:
            return entry[0]
        return entry[0] + (into if into < self._length else self._length)

    def position_month(self, instant: int) -> tuple[int, str]:
        """:meth:`position` and :meth:`month_us` of one instant at once."""
        offset = self._offsets.get(instant // _DAY_US)
        if offset is None:
            offset = self._offset(instant)
        day, clock = divmod(instant + offset, _DAY_US)
        entry = self._days.get(day) or self._day(day)
        into = clock - self._open
        if not entry[1] or into <= 0:
            return entry[0], entry[2]
        return entry[0] + (into if into < self._length else self._length), entry[2]

    def month_us(self, instant: int) -> str:
        """The month ("YYYY-MM") of ``instant`` (µs since 1970 UTC) in the office time zone."""
        day = (instant + self._offset(instant)) // _DAY_US
        return (self._days.get(day) or self._day(day))[2]

    def local_day_start(self, day: date) -> datetime:
        """Midnight of ``day`` in the office time zone, as UTC (period bounds)."""
        return datetime.combine(day, time(0, 0), self.zone).astimezone(UTC)

    def month_of(self, instant: datetime) -> str:
        local = _aware(instant).astimezone(self.zone)
        return f"{local.year:04d}-{local.month:02d}"

    def _offset(self, instant: int) -> int:
        utc_day = instant // _DAY_US
        found = self._offsets.get(utc_day)
        if found is not None:
            return found
        if utc_day not in self._changing:
            first = self._offset_at(utc_day * _DAY_US)
            if first == self._offset_at((utc_day + 1) * _DAY_US - 1):
                self._offsets[utc_day] = first
                return first
            self._changing.add(utc_day)
        return self._offset_at(instant)

    def _offset_at(self, instant: int) -> int:
        offset = (_EPOCH_UTC + timedelta(microseconds=instant)).astimezone(self.zone).utcoffset()
        return (offset or timedelta(0)) // _ONE_US

    def _day(self, day: int) -> tuple[int, bool, str]:
        """Extend the day table to ``day`` (contiguously, so positions stay cumulative)."""
        days = self._days
        if not days:
            self._first = self._last = day
            days[day] = (0, *self._about(day))
            return days[day]
        while self._last < day:
            before, working, _month = days[self._last]
            self._last += 1
            days[self._last] = (before + (self._length if working else 0),
                                *self._about(self._last))  # fmt: skip
        while self._first > day:
            working, month = self._about(self._first - 1)
            self._first -= 1
            days[self._first] = (days[self._first + 1][0] - (self._length if working else 0),
                                 working, month)  # fmt: skip
        return days[day]

    def _about(self, day: int) -> tuple[bool, str]:
        local = date.fromordinal(_ORDINAL_1970 + day)
        return self.is_working_day(local), f"{local.year:04d}-{local.month:02d}"


_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = _EPOCH.replace(tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_DAY_US = 86_400_000_000
_ORDINAL_1970 = _EPOCH.toordinal()


def _time_us(value: time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond


def instant_us(value: datetime) -> int:
    """µs since 1970 UTC of an instant (a naive one is UTC, as the store keeps them)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return (value - _EPOCH) // _ONE_US


def stored_us(value: datetime | str) -> int:
    """:func:`instant_us` of a timestamp as the driver returns the raw column: SQLite's text
    (``2026-01-05 01:00:00.000000``, naive UTC) or PostgreSQL's datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return (value - _EPOCH) // _ONE_US
    return instant_us(value)


def mutu_baku_minutes(task: HumanTask, day_minutes: int) -> tuple[str, float | None]:
    """(Waktu text, its maximum in office minutes) of a step, read like the engine reads due
    dates (:func:`converters.bpmn.properties.duration_from_properties`)."""
    duration = duration_from_properties(task.properties)
    if duration.max_minutes is None:
        return duration.text, None
    if duration.working_days:
        return duration.text, duration.max_minutes / MINUTES_PER_WORKING_DAY * day_minutes
    return duration.text, float(duration.max_minutes)


def step_number(task: HumanTask) -> int | None:
    raw = task.properties.get(P_NUMBER, "").strip()
    return int(raw) if raw.isdigit() else None


def is_rejection(task: HumanTask, decision: str | None) -> bool:
    """A decision other than the step's first (approving) value sends the case back."""
    return task.decision is not None and decision is not None and decision != task.decisions[0]


# -- the query -------------------------------------------------------------------------------


class Compliance:
    """Compliance figures of one store on one calendar (read-only, one transaction)."""

    def __init__(self, store: Store, calendar: WorkingCalendar) -> None:
        self.store = store
        self.calendar = calendar
        self.clock = OfficeClock(calendar)

    def definitions_of(self, process_key: str) -> list[tuple[int, int, str, Analysis]]:
        """(definition id, version, name, analysis) of every version of a process, oldest
        first."""
        with self.store.begin(write=False) as conn:
            rows = conn.execute(
                sa.select(definitions.c.id, definitions.c.version, definitions.c.name,
                          definitions.c.meta)
                .where(definitions.c.key == process_key)
                .order_by(definitions.c.version)
            ).all()
        import json

        return [(r.id, r.version, r.name, Analysis.from_dict(json.loads(r.meta))) for r in rows]

    def report(self, flt: ReportFilter, now: datetime | None = None) -> ComplianceReport:
        """The figures of ``flt``; ``now`` decides what is overdue (default: the clock)."""
        now = _aware(now or datetime.now(UTC))
        versions = self.definitions_of(flt.process_key)
        if flt.version is not None:
            versions = [v for v in versions if v[1] == flt.version]
        if not versions:
            from engine.errors import NotFound

            raise NotFound(f"Proses {flt.process_key} tidak ditemukan")
        def_ids = [v[0] for v in versions]
        version_of = {v[0]: v[1] for v in versions}
        meta = {v[0]: v[3] for v in versions}
        lo = self.clock.local_day_start(flt.start) if flt.start else None
        hi = self.clock.local_day_start(flt.end + timedelta(days=1)) if flt.end else None

        task_where = [tasks.c.process_key == flt.process_key, tasks.c.definition_id.in_(def_ids)]
        if lo is not None:
            task_where.append(tasks.c.created >= lo)
        if hi is not None:
            task_where.append(tasks.c.created < hi)
        if flt.role:
            task_where.append(tasks.c.role == flt.role)
        case_where = [instances.c.process_key == flt.process_key,
                      instances.c.definition_id.in_(def_ids)]  # fmt: skip
        if lo is not None:
            case_where.append(instances.c.started_at >= lo)
        if hi is not None:
            case_where.append(instances.c.started_at < hi)
        if flt.role:  # the cases the role took part in
            case_where.append(
                instances.c.id.in_(
                    sa.select(tasks.c.instance_id).where(
                        tasks.c.process_key == flt.process_key, tasks.c.role == flt.role
                    )
                )
            )
        # plain tuples with the timestamps as the driver returns them (SQLite: text), parsed
        # once each below: SQLAlchemy's row and UTCDateTime processing cost more than the
        # figures themselves at ten thousand cases
        cols = (tasks.c.id, tasks.c.instance_id, tasks.c.definition_id, tasks.c.element_id,
                tasks.c.role, tasks.c.state, tasks.c.assignee, _raw(tasks.c.created),
                _raw(tasks.c.due), _raw(tasks.c.completed), tasks.c.completed_by,
                tasks.c.decision)  # fmt: skip
        with self.store.begin(write=False) as conn:
            task_rows = _tuples(conn.execute(sa.select(*cols).where(*task_where)))
            # by the instance index: ``audit.task_id`` has none, and a join on it scans the
            # audit table once per task (seconds at ten thousand cases)
            claims = dict(
                _tuples(
                    conn.execute(
                        sa.select(audit.c.task_id, _raw(sa.func.min(audit.c.at)))
                        .where(
                            audit.c.action == "claim",
                            audit.c.instance_id.in_(
                                sa.select(instances.c.id).where(
                                    instances.c.process_key == flt.process_key
                                )
                            ),
                        )
                        .group_by(audit.c.task_id)
                    )
                )
            )
            case_rows = _tuples(
                conn.execute(
                    sa.select(instances.c.id, instances.c.definition_id, instances.c.title,
                              instances.c.status, _raw(instances.c.started_at),
                              _raw(instances.c.ended_at))
                    .where(*case_where)
                    .order_by(instances.c.started_at, instances.c.id)
                )
            )  # fmt: skip
            case_steps: Sequence[tuple[Any, ...]] = ()
            if case_rows and lo is None and hi is None and not flt.role:
                # no period, no role: the cases' steps are exactly the task rows above (a task
                # row carries its instance's process key and definition), less the cancelled
                cancelled = TaskState.CANCELLED.value
                case_steps = [(r[1], r[2], r[3], r[11]) for r in task_rows if r[5] != cancelled]
            elif case_rows:
                case_steps = _tuples(
                    conn.execute(
                        sa.select(tasks.c.instance_id, tasks.c.definition_id,
                                  tasks.c.element_id, tasks.c.decision)
                        .where(
                            tasks.c.instance_id.in_(
                                sa.select(instances.c.id).where(*case_where)
                            ),
                            tasks.c.state != TaskState.CANCELLED,
                        )
                    )
                )  # fmt: skip
        return self._figures(flt, versions, meta, version_of, task_rows, claims, case_rows,
                             case_steps, now)  # fmt: skip

    # -- the arithmetic (no database below) --------------------------------------------------

    def _figures(
        self,
        flt: ReportFilter,
        versions: list[tuple[int, int, str, Analysis]],
        meta: Mapping[int, Analysis],
        version_of: Mapping[int, int],
        task_rows: Sequence[tuple[Any, ...]],
        claims: Mapping[str, Any],
        case_rows: Sequence[tuple[Any, ...]],
        case_steps: Sequence[tuple[Any, ...]],
        now: datetime,
    ) -> ComplianceReport:
        clock = self.clock
        day = clock.day_minutes
        # steps known to the definitions (newest version wins for the name and Mutu Baku)
        info: dict[str, tuple[int, HumanTask]] = {}
        order: dict[str, int] = {}
        for def_id, _v, _n, analysis in versions:
            for i, (element, task) in enumerate(analysis.tasks.items()):
                info[element] = (def_id, task)
                order.setdefault(element, i)
        # plain lists as counters, one per step / role / user / month (see _STEP, _PARTY, _MONTH)
        counts: dict[str, list[int]] = {}
        roles: dict[str, list[int]] = {}
        users: dict[str, list[int]] = {}
        months: dict[str, list[int]] = {}
        durations: dict[str, list[float]] = defaultdict(list)
        waits: dict[str, list[float]] = defaultdict(list)
        month_minutes: dict[str, list[float]] = defaultdict(list)
        rejects_per_case: dict[str, Counter[int]] = defaultdict(Counter)
        rejecting = _Rejections(meta)
        used: set[int] = set()
        step_roles: dict[str, str] = {}
        now_us = instant_us(now)
        position, position_month = clock.position, clock.position_month
        ready, completed_state = TaskState.READY.value, TaskState.COMPLETED.value
        for (task_id, instance_id, def_id, element, role_name, state, assignee, created, due,
             completed, completed_by, decision) in task_rows:  # fmt: skip
            used.add(def_id)
            if element not in step_roles:
                step_roles[element] = role_name
            if element not in info:
                info[element] = (def_id, meta[def_id].task(element))
                order.setdefault(element, len(order))
            c = counts.get(element)
            if c is None:
                c = counts[element] = [0] * _STEP
            role = roles.get(role_name)
            if role is None:
                role = roles[role_name] = [0] * _PARTY
            if state == ready:
                late = due is not None and stored_us(due) < now_us
                c[_OPEN] += 1
                role[_OPEN] += 1
                if late:
                    c[_OVERDUE] += 1
                    role[_OVERDUE] += 1
                if assignee:
                    who = users.get(assignee)
                    if who is None:
                        who = users[assignee] = [0] * _PARTY
                    who[_OPEN] += 1
                    who[_OVERDUE] += late
                continue
            if state != completed_state or completed is None:
                continue
            # OfficeClock.between, unrolled: the start's position serves the wait too
            start = stored_us(created)
            end = stored_us(completed)
            start_at = position(start)
            end_at, month = position_month(end)
            office = end_at - start_at
            minutes = office / 60_000_000 if end > start and office > 0 else 0.0
            durations[element].append(minutes)
            month_minutes[month].append(minutes)
            m = months.get(month)
            if m is None:
                m = months[month] = [0] * _MONTH
            who_name = completed_by or ""
            who = users.get(who_name)
            if who is None:
                who = users[who_name] = [0] * _PARTY
            c[_DONE] += 1
            role[_DONE] += 1
            who[_DONE] += 1
            m[_DONE] += 1
            if due is not None:
                on_time = end <= stored_us(due)
                c[_WITH_DUE] += 1
                role[_WITH_DUE] += 1
                who[_WITH_DUE] += 1
                m[_WITH_DUE] += 1
                if on_time:
                    c[_ON_TIME] += 1
                    role[_ON_TIME] += 1
                    who[_ON_TIME] += 1
                    m[_ON_TIME] += 1
            if decision is not None and rejecting(def_id, element, decision):
                c[_REJECTED] += 1
                rejects_per_case[element][instance_id] += 1
            claimed = claims.get(task_id)
            if claimed is not None:
                claim = stored_us(claimed)
                office = position(claim) - start_at
                waits[element].append(
                    office / 60_000_000 if claim > start and office > 0 else 0.0
                )
        steps = []
        empty = [0] * _STEP
        for element in sorted(info, key=lambda e: (_num_key(info[e][1]), order[e])):
            _d, task = info[element]
            if flt.role and (step_roles.get(element) or task.lane) != flt.role:
                continue
            c = counts.get(element, empty)
            text, mb = mutu_baku_minutes(task, day)
            per_case = Counter(min(n, 3) for n in rejects_per_case[element].values())
            steps.append(
                StepFigures(
                    element_id=element,
                    number=step_number(task),
                    name=task.name or element,
                    role=step_roles.get(element) or task.lane,
                    mutu_baku_text=text,
                    mutu_baku_minutes=mb,
                    executions=c[_DONE],
                    open=c[_OPEN],
                    open_overdue=c[_OVERDUE],
                    duration=Spread.of(durations[element]),
                    with_due=c[_WITH_DUE],
                    on_time=c[_ON_TIME],
                    rejections=c[_REJECTED],
                    loops=Loops(per_case[1], per_case[2], per_case[3]),
                    waiting=Spread.of(waits[element]),
                )
            )
        cases = self._cases(case_rows, case_steps, meta, version_of, now, day, rejecting)
        used.update(r[1] for r in case_rows)
        return ComplianceReport(
            filter=flt,
            process_name=versions[-1][2],
            versions=tuple(sorted(version_of[d] for d in used)),
            generated_at=now,
            office_day_minutes=day,
            steps=tuple(steps),
            roles=_parties(roles),
            users=_parties(users),
            cases=cases,
            months=tuple(
                MonthFigures(name, m[_DONE], m[_WITH_DUE], m[_ON_TIME],
                             Spread.of(month_minutes[name]).median)
                for name, m in sorted(months.items())
            ),
            tasks_total=len(task_rows),
            lead=Spread.of(
                [c.lead_minutes for c in cases if c.status == InstanceStatus.COMPLETED]
            ),
        )

    def _cases(
        self,
        case_rows: Sequence[tuple[Any, ...]],
        case_steps: Sequence[tuple[Any, ...]],
        meta: Mapping[int, Analysis],
        version_of: Mapping[int, int],
        now: datetime,
        day: int,
        rejecting: _Rejections,
    ) -> tuple[CaseFigures, ...]:
        wanted = {r[0] for r in case_rows}
        reached: dict[int, set[tuple[int, str]]] = defaultdict(set)
        rejections: Counter[int] = Counter()
        for instance_id, def_id, element, decision in case_steps:
            if instance_id not in wanted:
                continue
            reached[instance_id].add((def_id, element))
            if decision is not None and def_id in meta and rejecting(def_id, element, decision):
                rejections[instance_id] += 1
        mb_cache: dict[tuple[int, str], float | None] = {}
        out = []
        between, now_us = self.clock.between, instant_us(now)
        no_steps: set[tuple[int, str]] = set()
        statuses = {s.value: s for s in InstanceStatus}
        for instance_id, def_id, title, status, started_at, ended_at in case_rows:
            total: float | None = None
            for key in reached.get(instance_id, no_steps):
                if key not in mb_cache:
                    analysis = meta.get(key[0])
                    mb_cache[key] = (
                        mutu_baku_minutes(analysis.task(key[1]), day)[1] if analysis else None
                    )
                value = mb_cache[key]
                if value is not None:
                    total = (total or 0.0) + value
            started, start = _stored(started_at)
            ended, end = _stored(ended_at) if ended_at is not None else (None, now_us)
            out.append(
                CaseFigures(
                    instance_id=instance_id,
                    title=title,
                    version=version_of.get(def_id, 0),
                    status=statuses.get(status) or InstanceStatus(status),
                    started_at=started,
                    ended_at=ended,
                    lead_minutes=between(start, end),
                    mutu_baku_minutes=total,
                    rejections=rejections[instance_id],
                )
            )
        return tuple(out)


# indexes into the counters of _figures
_OPEN, _OVERDUE, _DONE, _WITH_DUE, _ON_TIME, _REJECTED = range(6)
_STEP, _PARTY = 6, 5
_MONTH = 5  # uses _DONE, _WITH_DUE, _ON_TIME


class _Rejections:
    """:func:`is_rejection` for (definition id, element id, decision), the step looked up
    once per step rather than once per row."""

    def __init__(self, meta: Mapping[int, Analysis]) -> None:
        self.meta = meta
        self.approving: dict[tuple[int, str], str | None] = {}

    def __call__(self, def_id: int, element: str, decision: str | None) -> bool:
        key = (def_id, element)
        if key in self.approving:
            approving = self.approving[key]
        else:
            task = self.meta[def_id].task(element)
            approving = self.approving[key] = (
                task.decisions[0] if task.decision is not None and task.decisions else None
            )
        return approving is not None and decision is not None and decision != approving


def _raw(column: Any) -> Any:
    """A timestamp column read as the driver returns it (no per-row type processing)."""
    return sa.type_coerce(column, sa.String).label(getattr(column, "name", None) or "at")


def _tuples(result: Any) -> Sequence[tuple[Any, ...]]:
    """The rows of ``result`` (SQLAlchemy's rows unpack like the tuples they are)."""
    rows: Sequence[tuple[Any, ...]] = result.all()
    return rows


def _stored(value: datetime | str) -> tuple[datetime, int]:
    """A raw stored timestamp as the aware UTC datetime the store's type returns, and as
    :func:`instant_us`."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(tzinfo=UTC), (value - _EPOCH) // _ONE_US


def _num_key(task: HumanTask) -> int:
    number = step_number(task)
    return number if number is not None else 10**6


def _parties(counters: Mapping[str, list[int]]) -> tuple[PartyFigures, ...]:
    return tuple(
        PartyFigures(name, c[_OPEN], c[_OVERDUE], c[_DONE], c[_WITH_DUE], c[_ON_TIME])
        for name, c in sorted(counters.items())
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def roles_of_process(store: Store, process_key: str) -> tuple[str, ...]:
    """Every role that has work recorded in a process (for the report's role filter)."""
    with store.begin(write=False) as conn:
        return tuple(
            r[0]
            for r in conn.execute(
                sa.select(tasks.c.role).where(tasks.c.process_key == process_key)
                .distinct().order_by(tasks.c.role)
            )
            if r[0]
        )


def processes_of_role(store: Store, role: str) -> tuple[str, ...]:
    """Process keys in which ``role`` has recorded work (the role page lists these)."""
    with store.begin(write=False) as conn:
        return tuple(
            r[0]
            for r in conn.execute(
                sa.select(tasks.c.process_key).where(tasks.c.role == role)
                .distinct().order_by(tasks.c.process_key)
            )
        )


def format_minutes(minutes: float | None, day_minutes: int = MINUTES_PER_WORKING_DAY) -> str:
    """Office minutes as people read them: "45 mnt", "3 jam 10 mnt", "2 hari 1 jam"."""
    if minutes is None:
        return "–"
    total = round(minutes)
    days, rest = divmod(total, day_minutes)
    hours, mins = divmod(rest, 60)
    parts: list[str] = []
    if days:
        parts.append(f"{days} hari")
    if hours:
        parts.append(f"{hours} jam")
    if mins or not parts:
        parts.append(f"{mins} mnt")
    return " ".join(parts[:2])

