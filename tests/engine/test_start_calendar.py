"""Every new task's due date is counted on the office calendar, which remembers each day's
opening hours and the next opening after it (``WorkingCalendar._hours``,
``_opening_after``) instead of asking the holidays and the time zone again on every start.
What it answers must be what counting afresh answers: here against the day-by-day count the
calendar made before it remembered anything, at every start time of three weeks around
national holidays and an office's own closed days, with one calendar asked again and again."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.calendar import WorkingCalendar

# Christmas (national holiday), an office's cuti bersama the day after, a weekend between
CLOSED = frozenset({date(2026, 12, 24)})


def _counted_afresh(cal: WorkingCalendar, start: datetime, minutes: float) -> datetime:
    """The count as the calendar made it before it remembered days: each day asked anew."""
    zone = ZoneInfo(cal.timezone)

    def working(day: date) -> bool:
        if day.weekday() not in cal.workdays or day in cal.closed_days:
            return False
        import holidays

        return not (cal.national_holidays and day in holidays.country_holidays(cal.country))

    def next_open(local: datetime) -> datetime:
        for _ in range(3660):
            day = local.date()
            opening = datetime.combine(day, cal.office_start, local.tzinfo)
            closing = datetime.combine(day, cal.office_end, local.tzinfo)
            if working(day) and local < closing:
                return max(local, opening)
            local = datetime.combine(day + timedelta(days=1), cal.office_start, local.tzinfo)
        raise ValueError("no working day")

    local = next_open(start.astimezone(zone))
    remaining = float(minutes)
    while True:
        closing = datetime.combine(local.date(), cal.office_end, local.tzinfo)
        left_today = (closing - local).total_seconds() / 60
        if remaining <= left_today:
            return (local + timedelta(minutes=remaining)).astimezone(UTC)
        remaining -= left_today
        local = next_open(closing + timedelta(seconds=1))


@pytest.mark.parametrize("calendar", [
    WorkingCalendar(closed_days=CLOSED),
    WorkingCalendar(office_start=time(7, 30), office_end=time(15, 0), national_holidays=False),
])  # fmt: skip
def test_remembered_days_count_as_counting_afresh(calendar: WorkingCalendar) -> None:
    start = datetime(2026, 12, 14, 0, 0, tzinfo=UTC)  # a Monday, 07:00 in Jakarta
    asked = 0
    while start < datetime(2027, 1, 4, tzinfo=UTC):
        for minutes in (30, 240, 480, 3 * 480, 5.5 * 480):
            assert calendar.add_working_minutes(start, minutes) == _counted_afresh(
                calendar, start, minutes
            ), (start, minutes)
            asked += 1
        start += timedelta(minutes=97)  # every time of day, the office's edges among them
    assert asked > 1500
    assert calendar.is_working_day(date(2026, 12, 23))
    assert not calendar.is_working_day(date(2026, 12, 26))  # a Saturday
    if calendar.national_holidays:
        assert not calendar.is_working_day(date(2026, 12, 25))  # Christmas
        assert not calendar.is_working_day(date(2026, 12, 24))  # the office's own closed day


def test_a_start_at_the_close_of_the_last_working_day_before_a_holiday() -> None:
    cal = WorkingCalendar(closed_days=CLOSED)
    closing = datetime(2026, 12, 23, 9, 0, tzinfo=UTC)  # 16:00 in Jakarta, a Wednesday
    # Thursday (closed), Friday (Christmas), the weekend: Monday 28 December 08:00 + 30 min
    assert cal.add_working_minutes(closing, 30) == datetime(2026, 12, 28, 1, 30, tzinfo=UTC)
    assert cal.add_working_minutes(closing, 30) == _counted_afresh(cal, closing, 30)
