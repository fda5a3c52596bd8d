"""The compliance report against hand-computed figures (issue 15).

The generated history (tests/support/compliance_history.py) has known durations in office
minutes, known rejections and cases spread over weekends and Indonesian holidays; every
expected number below is worked out from its rules by hand, not by running the code twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engine.calendar import WorkingCalendar
from engine.compliance import Compliance, OfficeClock, ReportFilter, Spread, format_minutes
from engine.definitions import Definitions
from engine.monitoring import build_form, verdict
from engine.status import InstanceStatus
from engine.store import Store
from tests.engine.conftest import FakeClock, make_kit
from tests.support.compliance_history import generate

IKU = Path(__file__).resolve().parents[1] / "webui" / "fixtures" / "iku.bpmn"
WIB = ZoneInfo("Asia/Jakarta")
LATER = datetime(2027, 6, 1, tzinfo=UTC)
N = 300
KEY = "sop_penyusunan_iku"
OPEN = 4


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)  # type: ignore[arg-type,misc]


# -- office time --------------------------------------------------------------------------------


def test_office_minutes_skip_nights_weekends_and_holidays() -> None:
    clock = OfficeClock(WorkingCalendar())
    # Friday 15:00 → Monday 09:00: 60 + 60 office minutes
    assert clock.minutes(wib(2026, 11, 27, 15, 0), wib(2026, 11, 30, 9, 0)) == 120
    # Wednesday 31 Dec 2025 15:00 → Friday 2 Jan 2026 09:00, 1 Jan is Tahun Baru: 60 + 60
    assert clock.minutes(wib(2025, 12, 31, 15, 0), wib(2026, 1, 2, 9, 0)) == 120
    # before opening and after closing count nothing
    assert clock.minutes(wib(2026, 11, 23, 6, 0), wib(2026, 11, 23, 8, 0)) == 0
    assert clock.minutes(wib(2026, 11, 23, 16, 0), wib(2026, 11, 23, 23, 0)) == 0
    # a configured closed day (cuti bersama) is skipped too
    closed = OfficeClock(WorkingCalendar(closed_days=frozenset({date(2026, 11, 24)})))
    assert closed.minutes(wib(2026, 11, 23, 15, 0), wib(2026, 11, 25, 9, 0)) == 120


def test_office_minutes_invert_the_due_date_calendar() -> None:
    """The report measures with the calendar that sets due dates: adding then measuring gives
    back the same minutes across a holiday."""
    cal = WorkingCalendar()
    clock = OfficeClock(cal)
    start = wib(2025, 12, 24, 13, 30)
    for minutes in (10, 150, 480, 1000, 2400):
        assert clock.minutes(start, cal.add_working_minutes(start, minutes)) == pytest.approx(
            minutes
        )


def test_spread_uses_nearest_rank_p90() -> None:
    assert Spread.of([]) == Spread(0, None, None, None)
    s = Spread.of([5, 1, 4, 2, 3, 10, 9, 8, 7, 6])
    assert (s.median, s.p90, s.max) == (5.5, 9, 10)
    assert Spread.of([7]).p90 == 7


def test_format_minutes() -> None:
    assert format_minutes(None) == "–"
    assert format_minutes(45) == "45 mnt"
    assert format_minutes(190) == "3 jam 10 mnt"
    assert format_minutes(1020) == "2 hari 1 jam"


# -- a generated history -------------------------------------------------------------------------


@pytest.fixture
def history(store: Store) -> Iterator[Store]:
    """The generated history on SQLite and on PostgreSQL (conftest's ``store``)."""
    Definitions(store).deploy(IKU.read_bytes(), "iku.bpmn", "analis")
    generate(store, KEY, N, open_cases=OPEN)
    yield store


def _report(store: Store, **kw: object) -> object:
    return Compliance(store, WorkingCalendar()).report(
        ReportFilter(KEY, **kw), now=LATER  # type: ignore[arg-type]
    )


def test_steps_against_hand_computed_figures(history: Store) -> None:
    report = Compliance(history, WorkingCalendar()).report(
        ReportFilter(KEY), now=LATER
    )
    steps = {s.element_id: s for s in report.steps}
    assert [s.element_id for s in report.steps] == ["step_1", "step_2", "step_3", "step_4"]
    # rejections: i % 25 == 0 → 2 (12 cases), other i % 5 == 0 → 1 (48 cases): 72 in all
    s1, s2, s3, s4 = (steps[f"step_{k}"] for k in range(1, 5))
    assert (s1.executions, s1.with_due, s1.on_time) == (300, 300, 225)  # i % 4 == 0 late
    assert (s1.duration.median, s1.duration.p90, s1.duration.max) == (240, 720, 720)
    assert s1.mutu_baku_minutes == 480 and s1.mutu_baku_text == "1 hari kerja"
    assert (s1.waiting.count, s1.waiting.median) == (300, 30)
    assert (s1.open, s1.open_overdue) == (OPEN, OPEN)
    assert (s2.executions, s2.on_time, s2.duration.max, s2.rejections) == (372, 372, 60, 0)
    assert s2.mutu_baku_minutes == 120
    assert (s3.executions, s3.on_time, s3.rejections) == (372, 372, 72)
    assert (s3.loops.once, s3.loops.twice, s3.loops.more) == (48, 12, 0)
    assert (s4.executions, s4.on_time, s4.duration.median, s4.duration.p90) == (300, 200, 120, 600)
    assert (s4.waiting.count, s4.waiting.median) == (150, 15)  # claimed in even cases only
    assert s4.on_time_share == pytest.approx(2 / 3)
    assert report.completed == 300 + 372 + 372 + 300
    assert report.on_time == 225 + 372 + 372 + 200
    assert sum(m.completed for m in report.months) == report.completed


def test_cases_lead_time_against_the_sum_of_mutu_baku(history: Store) -> None:
    report = Compliance(history, WorkingCalendar()).report(
        ReportFilter(KEY), now=LATER
    )
    done = [c for c in report.cases if c.status == InstanceStatus.COMPLETED]
    assert len(report.cases) == N + OPEN and len(done) == N
    # Mutu Baku: 480 + 120 + 30 + 480; lead = step1 + 60 + 20 + 80 × rejections + step4
    assert {c.mutu_baku_minutes for c in done} == {1110}
    case_12 = next(c for c in done if c.title == "Kasus 12")  # 720 + 80 + 600
    assert case_12.lead_minutes == 1400 and case_12.on_time is False
    case_25 = next(c for c in done if c.title == "Kasus 25")  # 240 + 80 + 160 + 120
    assert (case_25.lead_minutes, case_25.rejections, case_25.on_time) == (600, 2, True)
    assert report.cases_on_time == 300 - 25  # late only when i % 12 == 0
    running = [c for c in report.cases if c.status == InstanceStatus.RUNNING]
    assert all(c.on_time is None for c in running)


def test_roles_and_users(history: Store) -> None:
    report = Compliance(history, WorkingCalendar()).report(
        ReportFilter(KEY), now=LATER
    )
    roles = {r.name: r for r in report.roles}
    kasubbag = roles["Kasubbag PEKK"]  # step_1 and step_3
    assert (kasubbag.completed, kasubbag.on_time, kasubbag.open, kasubbag.overdue) == (
        672, 597, OPEN, OPEN)  # fmt: skip
    assert (roles["Kepala Dinas"].completed, roles["Kepala Dinas"].on_time) == (300, 200)
    assert roles["Pengadministrasian Umum"].on_time_share == 1
    users = {u.name: u for u in report.users}
    assert (users["kadis"].completed, users["kadis"].on_time) == (300, 200)


def test_filters_role_period_version(history: Store) -> None:
    report = Compliance(history, WorkingCalendar()).report(
        ReportFilter(KEY, role="Kepala Dinas"), now=LATER
    )
    assert [s.element_id for s in report.steps] == ["step_4"]
    assert len(report.cases) == N  # the open cases never reached Kepala Dinas
    # December 2025: 23 weekdays, Christmas (Thursday 25th) is a holiday → 22 cases started;
    # every step of those cases was started in December too (the last case starts on the
    # 31st and takes at most 1400 office minutes... except it spills into January)
    assert date(2025, 12, 25) in __import__("holidays").country_holidays("ID")
    dec = Compliance(history, WorkingCalendar()).report(
        ReportFilter(KEY, start=date(2025, 12, 1), end=date(2025, 12, 31)),
        now=LATER,
    )
    assert len(dec.cases) == 22
    assert {c.title for c in dec.cases} == {f"Kasus {i}" for i in range(1, 23)}
    assert dec.steps[0].executions == 22  # step_1 of each case starts on its first day
    none = Compliance(history, WorkingCalendar()).report(
        ReportFilter(KEY, version=1, start=date(2020, 1, 1), end=date(2020, 2, 1)),
        now=LATER,
    )
    assert none.cases == () and none.completed == 0
    with pytest.raises(Exception, match="tidak ditemukan"):
        Compliance(history, WorkingCalendar()).report(ReportFilter(KEY, version=9))


def test_monitoring_form_prefilled_from_the_report(history: Store) -> None:
    report = Compliance(history, WorkingCalendar()).report(
        ReportFilter(KEY), now=LATER
    )
    form = build_form(report, sop_number="800/11/SOP/2020")
    rows = {r.procedure: r for r in form.rows}
    assert [r.number for r in form.rows] == [1, 2, 3, 4]
    # step_1: overdue open work → Tidak; step_2/3 always on time → Ya; step_4 67 % < 80 % → Tidak
    followed = [r.followed for r in form.rows]
    assert followed == [False, True, True, False]
    s3 = rows["Meneliti dan memaraf konsep IKU"]
    assert "Dilaksanakan 372 kali" in s3.note and "dikembalikan (tidak setuju) 72 kali" in s3.note
    assert s3.action == ""
    assert form.rows[3].action.startswith("Usulan:")
    assert form.period_text == "awal s.d. sekarang" and form.cases == N + OPEN
    assert verdict(report.steps[3], threshold=0.6) is True


# -- the real runtime feeds the same figures -------------------------------------------------------


def test_report_of_cases_driven_through_the_runtime(store: Store) -> None:
    kit = make_kit(store)
    kit.definitions.deploy(IKU.read_bytes(), "iku.bpmn", "analis")
    lanes = kit.user_per_lane(["Kasubbag PEKK", "Pengadministrasian Umum", "Kepala Dinas"])
    clock: FakeClock = kit.clock  # Monday 23 Nov 2026 09:00 WIB
    inst = kit.runtime.start(KEY, lanes["Kasubbag PEKK"], title="A")
    t1 = kit.runtime.instance_tasks(inst.id)[0]
    clock.advance(minutes=45)
    kit.runtime.claim(t1.id, lanes["Kasubbag PEKK"])
    clock.advance(hours=8)  # 09:45 → 17:45: office time 09:45–16:00 = 375 minutes
    kit.runtime.complete(t1.id, lanes["Kasubbag PEKK"])
    t2 = next(t for t in kit.runtime.instance_tasks(inst.id) if t.state == "ready")
    clock.advance(hours=15, minutes=15)  # Tuesday 09:00: 60 office minutes (from 08:00)
    kit.runtime.complete(t2.id, lanes["Pengadministrasian Umum"])
    t3 = next(t for t in kit.runtime.instance_tasks(inst.id) if t.state == "ready")
    clock.advance(minutes=10)
    kit.runtime.complete(t3.id, lanes["Kasubbag PEKK"], "tidak_setuju", "kurang lengkap")
    report = Compliance(store, WorkingCalendar()).report(
        ReportFilter(KEY), now=clock.now
    )
    steps = {s.element_id: s for s in report.steps}
    assert steps["step_1"].duration.max == 420  # 09:00–16:00 of day 1
    assert steps["step_1"].waiting.max == 45
    assert steps["step_1"].on_time == 1  # due Tuesday 09:00, done Monday 17:45
    assert steps["step_2"].duration.max == 60
    assert steps["step_2"].on_time == 0  # 2 jam wall-clock from 17:45 is 19:45
    assert (steps["step_3"].rejections, steps["step_3"].loops.once) == (1, 1)
    assert steps["step_2"].open == 1  # back for the fix
    assert report.cases[0].rejections == 1
