"""Due dates on the office calendar: wall-clock minutes/hours, working days and weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from converters.bpmn.properties import duration_from_iso, duration_from_properties
from converters.model import Duration
from engine.calendar import WorkingCalendar

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_minutes_and_hours_are_wall_clock_even_after_office_hours() -> None:
    cal = WorkingCalendar()
    start = wib(2026, 11, 27, 15, 55)  # Friday, five minutes before closing
    due = cal.due(start, Duration(max_minutes=10))
    assert due == wib(2026, 11, 27, 16, 5).astimezone(UTC)


def test_one_working_day_skips_the_weekend() -> None:
    cal = WorkingCalendar()
    due = cal.due(wib(2026, 11, 27, 10, 0), Duration(max_minutes=480, working_days=True))
    assert due is not None and due.astimezone(WIB) == wib(2026, 11, 30, 10, 0)  # Monday


def test_work_started_outside_office_hours_counts_from_the_next_opening() -> None:
    cal = WorkingCalendar()
    due = cal.due(wib(2026, 11, 28, 20, 0), Duration(max_minutes=480, working_days=True))
    assert due is not None and due.astimezone(WIB) == wib(2026, 11, 30, 16, 0)


def test_national_holiday_and_extra_closed_days_are_skipped() -> None:
    # 17 August 2026 (Monday) is Independence Day
    cal = WorkingCalendar(closed_days=frozenset({date(2026, 8, 18)}))
    assert not cal.is_working_day(date(2026, 8, 17))
    due = cal.due(wib(2026, 8, 14, 9, 0), Duration(max_minutes=480, working_days=True))
    assert due is not None and due.astimezone(WIB) == wib(2026, 8, 19, 9, 0)
    assert WorkingCalendar(national_holidays=False).is_working_day(date(2026, 8, 17))


def test_a_week_is_five_working_days_and_office_hours_are_configurable() -> None:
    cal = WorkingCalendar.from_config({"ALUR_OFFICE_START": "07:30", "ALUR_OFFICE_END": "16:00"})
    assert cal.office_start == time(7, 30)
    due = cal.due(wib(2026, 11, 23, 7, 30), Duration(max_minutes=2400, working_days=True))
    assert due is not None and due.astimezone(WIB) == wib(2026, 11, 27, 16, 0)
    closed = WorkingCalendar.from_config({"ALUR_CLOSED_DAYS": "2026-11-24, 2026-11-25"})
    assert closed.closed_days == {date(2026, 11, 24), date(2026, 11, 25)}


def test_no_time_means_no_due_date() -> None:
    assert WorkingCalendar().due(wib(2026, 11, 23, 9, 0), Duration(text="Sesuai kebutuhan")) is None


def test_iso_durations_and_bpmn_properties() -> None:
    d = duration_from_iso("P2D")
    assert d is not None and d.working_days and d.max_minutes == 960
    h = duration_from_iso("PT1H30M")
    assert h is not None and not h.working_days and h.max_minutes == 90
    assert duration_from_iso("kemarin") is None
    from_text = duration_from_properties({"waktu": "1 x 24 jam"})
    assert from_text.max_minutes == 1440 and not from_text.working_days
    numeric = duration_from_properties({"waktu_menit_maks": "960", "waktu_hari_kerja": "true"})
    assert numeric.max_minutes == 960 and numeric.working_days
    assert duration_from_properties({"waktu": "-"}).max_minutes is None


def test_environment_configures_the_calendar_when_the_app_config_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALUR_OFFICE_END", "15:00")
    monkeypatch.setenv("ALUR_CLOSED_DAYS", "2026-12-24")
    cal = WorkingCalendar.from_config(None)
    assert cal.office_end == time(15, 0) and not cal.is_working_day(date(2026, 12, 24))
    assert WorkingCalendar.from_config({"ALUR_OFFICE_END": "16:30"}).office_end == time(16, 30)


def test_an_edited_waktu_text_wins_over_the_stale_numbers():
    from converters.bpmn.names import text_check

    props = {"waktu": "1 hari", "waktu_iso": "P1D", "waktu_cek": text_check("1 hari")}
    assert duration_from_properties(props).max_minutes == 480
    edited = dict(props, waktu="2 jam")  # changed in Camunda Modeler; iso and check left stale
    duration = duration_from_properties(edited)
    assert duration.max_minutes == 120
    assert duration.working_days is False
