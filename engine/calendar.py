"""The office calendar: when a step's Mutu Baku time runs out.

Minutes and hours are wall-clock time ("10 menit" after 15:55 is 16:05). Days and weeks are
*working* time: Monday–Friday, office hours (default 08:00–16:00 WIB), minus Indonesian
national holidays (the ``holidays`` package, country "ID") and any extra closed days the office
configures (cuti bersama, local holidays). One working day is one office day, whatever its
length, because converters.reading.durations counts a day as 480 minutes by convention.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from converters.bpmn.properties import (
    MINUTES_PER_WORKING_DAY,
    duration_from_iso,
    duration_from_properties,
)
from converters.model import Duration


@dataclass(frozen=True)
class WorkingCalendar:
    """Office hours, working weekdays and closed days of one office."""

    office_start: time = time(8, 0)
    office_end: time = time(16, 0)
    timezone: str = "Asia/Jakarta"
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday=0
    closed_days: frozenset[date] = field(default_factory=frozenset)
    national_holidays: bool = True
    country: str = "ID"

    @classmethod
    def from_config(cls, config: Mapping[str, object] | None) -> WorkingCalendar:
        """From ``ALUR_OFFICE_START`` / ``ALUR_OFFICE_END`` ("08:00") / ``ALUR_TIMEZONE`` /
        ``ALUR_CLOSED_DAYS`` (ISO dates, comma separated or a list): the config mapping wins
        over environment variables of the same names."""
        import os

        keys = ("ALUR_OFFICE_START", "ALUR_OFFICE_END", "ALUR_TIMEZONE", "ALUR_CLOSED_DAYS")
        merged: dict[str, object] = {k: os.environ[k] for k in keys if os.environ.get(k)}
        merged.update({k: v for k, v in (config or {}).items() if k in keys and v})
        config = merged
        kwargs: dict[str, object] = {}
        if config.get("ALUR_OFFICE_START"):
            kwargs["office_start"] = time.fromisoformat(str(config["ALUR_OFFICE_START"]))
        if config.get("ALUR_OFFICE_END"):
            kwargs["office_end"] = time.fromisoformat(str(config["ALUR_OFFICE_END"]))
        if config.get("ALUR_TIMEZONE"):
            kwargs["timezone"] = str(config["ALUR_TIMEZONE"])
        closed = config.get("ALUR_CLOSED_DAYS")
        if closed:
            items: Iterable[object] = closed.split(",") if isinstance(closed, str) else closed  # type: ignore[assignment]
            kwargs["closed_days"] = frozenset(
                d if isinstance(d, date) else date.fromisoformat(str(d).strip())
                for d in items
                if str(d).strip()
            )
        return cls(**kwargs)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if self.office_end <= self.office_start:
            raise ValueError("Jam kantor tidak valid: jam selesai harus setelah jam mulai")

    @cached_property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _holidays(self) -> object | None:
        if not self.national_holidays:
            return None
        import holidays

        return holidays.country_holidays(self.country)

    @cached_property
    def _days(self) -> dict[date, tuple[datetime, datetime] | None]:
        """What :meth:`_hours` found so far, by local day (the calendar is frozen, so an answer
        never changes). Why: every new task's due date asks about the same few days around
        today, and the holidays lookups and the zone-aware ``datetime.combine`` calls cost
        most of a due date; a start's whole share of the engine's own time is counted in
        tens of microseconds."""
        return {}

    @cached_property
    def _openings_after(self) -> dict[date, datetime]:
        """What :meth:`_opening_after` found so far, by local day."""
        return {}

    def is_working_day(self, day: date) -> bool:
        return self._hours(day) is not None

    def _hours(self, day: date) -> tuple[datetime, datetime] | None:
        """The office's opening and closing on ``day`` (local, in the office's zone); None
        when it does not open that day."""
        known = self._days
        if day in known:
            return known[day]
        if len(known) >= _DAYS_KEPT:  # years of days: start again
            known.clear()
        zone = self._zone
        hours = (
            (datetime.combine(day, self.office_start, zone),
             datetime.combine(day, self.office_end, zone))
            if self._working(day) else None
        )  # fmt: skip
        known[day] = hours
        return hours

    def _working(self, day: date) -> bool:
        if day.weekday() not in self.workdays or day in self.closed_days:
            return False
        hol = self._holidays
        return not (hol is not None and day in hol)  # type: ignore[operator]

    def _office_minutes(self) -> int:
        start = self.office_start.hour * 60 + self.office_start.minute
        end = self.office_end.hour * 60 + self.office_end.minute
        return end - start

    def _next_open(self, local: datetime) -> datetime:
        """``local`` (in the office's zone) if the office is open then, else the next opening
        time."""
        hours = self._hours(local.date())
        if hours is not None and local < hours[1]:
            return max(local, hours[0])
        return self._opening_after(local.date())

    def _opening_after(self, day: date) -> datetime:
        """The first opening time on a working day after ``day``."""
        known = self._openings_after
        found = known.get(day)
        if found is not None:
            return found
        following = day
        for _ in range(3660):  # ten years of closed days would be a configuration error
            following += timedelta(days=1)
            hours = self._hours(following)
            if hours is not None:
                if len(known) >= _DAYS_KEPT:
                    known.clear()
                known[day] = hours[0]
                return hours[0]
        raise ValueError("Kalender kantor tidak memiliki hari kerja")

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """``start`` plus ``minutes`` of office time (counted only while the office is open)."""
        local = self._next_open(_aware(start).astimezone(self._zone))
        remaining = float(minutes)
        while True:
            day = local.date()
            closing = self._hours(day)[1]  # type: ignore[index]  # open: _next_open said so
            left_today = (closing - local).total_seconds() / 60
            if remaining <= left_today:
                return (local + timedelta(minutes=remaining)).astimezone(UTC)
            remaining -= left_today
            local = self._opening_after(day)

    def add_working_days(self, start: datetime, days: float) -> datetime:
        return self.add_working_minutes(start, days * self._office_minutes())

    def due(self, start: datetime, duration: Duration | None) -> datetime | None:
        """When a step started at ``start`` with Mutu Baku ``duration`` is due (None: no time)."""
        if duration is None or duration.max_minutes is None:
            return None
        if duration.working_days:
            return self.add_working_days(start, duration.max_minutes / MINUTES_PER_WORKING_DAY)
        return _aware(start).astimezone(UTC) + timedelta(minutes=duration.max_minutes)

    def due_from_properties(self, start: datetime, props: Mapping[str, str]) -> datetime | None:
        """When a task is due, from its camunda:properties; the step's time is read by
        :func:`converters.bpmn.properties.duration_from_properties`, the rule the BPMN reader
        uses too, so the engine and an SOP read back from BPMN agree on every step's time."""
        return self.due(start, _duration(tuple(props.items())))

    def due_for_task(
        self, start: datetime, props: Mapping[str, str], due_date: str = ""
    ) -> datetime | None:
        """When a task is due: ``camunda:dueDate`` when the analyst set one in Camunda
        Modeler (a duration counts on this calendar as a Mutu Baku time does; a date without
        a time means the end of that office day), else the Mutu Baku time."""
        parsed = parse_due_date(due_date) if due_date else None
        if isinstance(parsed, Duration):
            return self.due(start, parsed)
        if isinstance(parsed, datetime):
            local = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=self._zone)
            return local.astimezone(UTC)
        if isinstance(parsed, date):
            closing = datetime.combine(parsed, self.office_end, self._zone)
            return closing.astimezone(UTC)
        return self.due_from_properties(start, props)


_DAYS_KEPT = 4096  # days a WorkingCalendar remembers (about 11 years), then starts again


@lru_cache(maxsize=4096)
def _duration(props: tuple[tuple[str, str], ...]) -> Duration:
    """:func:`duration_from_properties` remembered per set of properties: every new task of a
    step has the same ones, and reading its time text again cost more than the rest of the
    due date (a pure function of the properties, and Duration is frozen)."""
    return duration_from_properties(dict(props))


def parse_due_date(text: str) -> Duration | datetime | date | None:
    """``camunda:dueDate`` as an ISO 8601 duration (``P3D``, ``PT4H``), a date
    (``2026-12-31``) or a date-time; None for anything else (an expression included)."""
    text = (text or "").strip()
    if text.upper().startswith("P"):
        return duration_from_iso(text)
    try:
        if "T" in text:
            return datetime.fromisoformat(text)
        return date.fromisoformat(text)
    except ValueError:
        return None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
