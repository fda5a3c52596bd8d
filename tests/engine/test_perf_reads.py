"""Issue 14: the reads every page makes are one statement each, with no transaction around
them, and what they remember between calls never outlives the data it came from.

Counted, not timed: a regression that wraps a page's user read in BEGIN/COMMIT again, or
that serves a stale process from the memo, fails here whatever the machine's load.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from engine.calendar import WorkingCalendar
from engine.definitions import Definitions
from engine.notifications import Notifications
from engine.store import definitions
from engine.users import Users

from .conftest import FIXTURES
from .test_perf_statements import statements

SURAT = (FIXTURES / "surat_keluar.bpmn").read_bytes()
KEY = "sop_surat_keluar"


def test_the_reads_of_every_page_are_one_statement_without_begin(kit) -> None:  # type: ignore[no-untyped-def]
    """The logged-in user (twice per POST + redirect), the process filter, the bell and the
    returned-work lookup: one SELECT each, no BEGIN/COMMIT of their own."""
    staf = kit.users.add("staf", ["Staf"], full_name="Siti Staf")
    kit.definitions.deploy(SURAT)
    rows = kit.runtime.instance_tasks(kit.runtime.start(KEY, "staf").id)
    box = Notifications(kit.store)
    reads = {
        "get_by_id": lambda: kit.users.get_by_id(staf.id),
        "get": lambda: kit.users.get("staf"),
        "list users": kit.users.list,
        "list processes": kit.definitions.list,
        "bell": lambda: box.unread_count("staf"),
        "returned": lambda: kit.runtime.returned(rows),
    }
    for name, read in reads.items():
        read()  # warm
        with statements(kit.store) as seen:
            read()
        assert seen == ["SELECT"], (name, seen)
    assert kit.users.get_by_id(staf.id).full_name == "Siti Staf"
    assert kit.users.get("staf").id == staf.id
    assert kit.users.authenticate("staf", "salah") is None


def test_the_process_list_follows_new_versions_and_replaced_rows(store) -> None:  # type: ignore[no-untyped-def]
    """list() takes a version it has seen from the memo, but a new version is listed at once,
    and a row replaced under the same id (a restored backup) is read again, not remembered."""
    defs = Definitions(store)
    first = defs.deploy(SURAT).definition
    assert [d.id for d in defs.list()] == [first.id]
    second = defs.deploy(SURAT.replace(b"Surat", b"Surat Dinas", 1)).definition
    assert second.version == first.version + 1
    assert [(d.id, d.version) for d in defs.list()] == [(second.id, second.version)]
    with store.begin() as conn:  # the same id now holds other content with other lanes
        meta = json.loads(conn.execute(sa.select(definitions.c.meta).where(
            definitions.c.id == second.id)).scalar_one())  # fmt: skip
        meta["lanes"] = ["Lane Baru"]
        conn.execute(definitions.update().where(definitions.c.id == second.id).values(
            sha256="0" * 64, meta=json.dumps(meta)))  # fmt: skip
    listed = Definitions(store).list()[0].lanes, defs.list()[0].lanes
    assert listed == (("Lane Baru",), ("Lane Baru",))


def test_a_user_read_sees_a_change_made_by_another_process(store) -> None:  # type: ignore[no-untyped-def]
    """No user is remembered between reads: a deactivation or a new session generation made
    through another Users (another web process) is seen by the very next read."""
    here, there = Users(store), Users(store)
    user = here.add("staf", ["Staf"])
    assert here.get_by_id(user.id).active
    there.end_sessions("staf")
    there.set_active("staf", False)
    again = here.get_by_id(user.id)
    assert not again.active and again.session_generation == user.session_generation + 2


def test_due_dates_from_remembered_step_times_follow_each_steps_own_properties() -> None:
    """The step time is parsed once per set of properties; two steps (or an edited text)
    with other properties get their own due dates."""
    from converters.bpmn.names import text_check

    cal = WorkingCalendar(national_holidays=False)
    monday = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 WIB
    hours = {"waktu": "2 jam"}  # a text alone is parsed
    day = {"waktu": "1 hari", "waktu_iso": "P1D", "waktu_cek": text_check("1 hari")}
    for _ in range(2):
        assert cal.due_for_task(monday, hours) == datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
        assert cal.due_for_task(monday, day) == datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    edited = dict(day, waktu="3 jam")  # changed in Camunda Modeler, numbers left stale
    assert cal.due_for_task(monday, edited) == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
