"""The inbox page in one statement (issue 14): its rows, its total, the header's counts and
the page's returned work come back from one round trip, and are exactly what the separate
reads give, for every filter, order, search, process filter and page, on SQLite and
PostgreSQL; the process list is known current from the stamp read with the header's counts.

Counted work (statements), not timings: the figures are in bench/issue14.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from engine.definitions import Definitions
from engine.records import KnownUser, known_user
from engine.runtime import Runtime
from engine.store import Store
from tests.engine.conftest import SURAT, EngineKit, make_kit

KEY = "sop_surat_keluar"
SHAPES: list[dict[str, Any]] = [
    {"filter": f, "sort": s}
    for f in ("all", "mine", "roles", "overdue")
    for s in ("due", "received", "process")
] + [
    {"filter": "all", "search": "nomor 1"},
    {"filter": "mine", "search": "nomor"},
    {"filter": "all", "process_key": KEY},
    {"filter": "roles", "search": "B-0", "process_key": KEY},
    {"filter": "all", "limit": 4, "offset": 4},
    {"filter": "all", "limit": 4, "offset": 4, "sort": "process"},
    {"filter": "overdue", "limit": 3, "offset": 3},
    {"filter": "all", "search": "tidak ada"},  # an empty page
    {"filter": "all", "limit": 5, "offset": 500},  # past the last page
]


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.split(None, 1)[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK"}:
            seen.append(" ".join(statement.split()))

    sa.event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", count)


@pytest.fixture
def desk(store: Store) -> EngineKit:
    """Two people in the same two lanes; 16 cases: claimed ones, overdue ones, returned ones
    (some rejected in the same instant as the completion before, on the stopped clock, so
    the returned work must take the completions in their order: time, then task id)."""
    kit = make_kit(store)
    kit.definitions.deploy(SURAT.read_bytes())
    kit.users.add("staf", ["Staf", "Kasubbag Umum"])
    kit.users.add("budi", ["Staf", "Kasubbag Umum"])
    rt = kit.runtime
    for i in range(16):
        started = rt.start(KEY, "staf", title=f"Surat nomor {i}", business_key=f"B-{i:03d}")
        first = rt.instance_tasks(started.id)[0].id
        if i % 4 == 0:
            rt.complete(first, "staf")
            if i % 8 == 0:
                kit.clock.advance(minutes=30)
            check = next(t for t in rt.instance_tasks(started.id) if t.state == "ready")
            rt.complete(check.id, "budi", decision="tidak_setuju", comment=f"perbaiki {i}")
        elif i % 4 == 1:
            rt.claim(first, "staf")
        elif i % 4 == 2:
            rt.claim(first, "budi")
        kit.clock.advance(hours=5)  # later tasks received later; the first ones overdue
    return kit


def test_every_inbox_page_is_one_statement_with_what_the_separate_reads_give(
    desk: EngineKit,
) -> None:
    rt, store = desk.runtime, desk.store
    returned_shown = 0
    with known_user(KnownUser("staf", ("Staf", "Kasubbag Umum"))):
        for shape in SHAPES:
            with statements(store) as seen:
                page = rt.inbox_and_counts("staf", unread_limit=9, **shape)
            # PostgreSQL: one statement; SQLite reads the parts apart (Queries._inbox_apart):
            # the page (and its own count), the header's counts, the cases' ended tasks
            assert len(seen) == 1 if store.dialect == "postgresql" else 2 <= len(seen) <= 4, (
                shape, seen)  # fmt: skip
            rows, total = rt.inbox("staf", **shape)
            assert [r.id for r in page.rows] == [r.id for r in rows], shape
            assert page.rows == rows and page.total == total, shape
            assert page.counts == rt.count_desk("staf", 9), shape
            assert dict(page.returned) == rt.returned(rows), shape
            returned_shown += len(page.returned)
    assert returned_shown > 0  # the pages do show returned work


def test_an_empty_page_still_has_its_counts(desk: EngineKit) -> None:
    page = desk.runtime.inbox_and_counts("staf", search="tidak ada", unread_limit=9)
    assert page.rows == [] and page.total == 0 and not page.returned
    assert page.counts is not None and page.counts.all == 12 and page.counts.mine == 4
    nobody = desk.users.add("tamu", ["Tamu"])  # no task at all in their lane
    alone = desk.runtime.inbox_and_counts(nobody.username, filter="roles", unread_limit=9)
    assert alone.rows == [] and alone.counts is not None and alone.counts.all == 0


def test_a_count_without_a_page_reads_the_counts_alone(desk: EngineKit) -> None:
    """``limit=0``: no rows asked for, the total and the header's counts still read."""
    page = desk.runtime.inbox_and_counts("staf", search="nomor", limit=0, unread_limit=9)
    assert page.rows == [] and page.total == desk.runtime.inbox("staf", search="nomor")[1] == 12
    assert page.counts == desk.runtime.count_desk("staf", 9)


def test_capped_counts_stay_capped_in_the_one_statement(desk: EngineKit) -> None:
    """The badges stop at the count limit; a filtered page counts itself as far as its pages
    need, in the same statement."""
    capped = Runtime(desk.store, desk.definitions, clock=desk.clock, count_limit=3)
    top = capped.inbox_and_counts("staf", limit=1)
    assert top.counts is not None and str(top.counts.all) == "3+" and str(top.counts.mine) == "3+"
    assert str(top.total) == "10+"  # the page's own count: ten pages' worth, then "more"
    searched = capped.inbox_and_counts("staf", search="nomor", limit=1, offset=2)
    assert searched.total == capped.inbox("staf", search="nomor", limit=1, offset=2)[1] == 12
    assert str(searched.total) == "12"  # within what the pages after this one need: exact
    assert [r.id for r in searched.rows] == [
        r.id for r in capped.inbox("staf", search="nomor", limit=1, offset=2)[0]
    ]


def test_the_process_list_is_known_current_from_the_header_stamp(desk: EngineKit) -> None:
    """With the stamp a statement of this request read, a list already read with that stamp
    is given without a read; a deploy through another store and Definitions (another
    process) changes the stamp, and the list read after it holds the new process."""
    here = desk.definitions
    stamp = desk.runtime.count_desk("staf", 9).definition_rows
    assert stamp == 1
    listed = here.list(stamp)  # read: nothing listed yet in this process
    with statements(desk.store) as seen:
        again = here.list(stamp)
    assert seen == [] and again == listed and [d.key for d in again] == [KEY]

    other = Store.from_url(str(desk.store.engine.url))
    try:
        there = Definitions(other)
        there.deploy(SURAT.read_bytes().replace(b"Surat Keluar", b"Surat Masuk", 1))
        new = there.deploy(SURAT.read_bytes().replace(b"sop_surat_keluar", b"sop_lain")).definition
    finally:
        other.dispose()
    page = desk.runtime.inbox_and_counts("staf", unread_limit=9)
    assert page.counts is not None and page.counts.definition_rows == 3
    with statements(desk.store) as seen:
        now_listed = here.list(page.counts.definition_rows)
    assert len(seen) == 1  # the stamp moved: read again, with its own stamp
    assert sorted((d.key, d.version) for d in now_listed) == [(new.key, 1), (KEY, 2)]
    with statements(desk.store) as seen:
        assert here.list(page.counts.definition_rows) == now_listed
    assert seen == []


def test_a_list_read_with_another_stamp_is_read_again(store: Store) -> None:
    """A stamp that differs from the memo's, in either direction (a deploy since, or the
    request's statement older than this process's last read), means a read, never a guess."""
    defs = Definitions(store)
    assert defs.list(0) == []  # nothing deployed: read, stamped 0
    with statements(store) as seen:
        assert defs.list(0) == []
    assert seen == []
    first = defs.deploy(SURAT.read_bytes()).definition
    with statements(store) as seen:
        assert [d.id for d in defs.list(1)] == [first.id]  # read: stamped 1 now
        assert [d.id for d in defs.list(1)] == [first.id]  # the memo
        assert [d.id for d in defs.list(0)] == [first.id]  # read again
        assert [d.id for d in defs.list()] == [first.id]  # no stamp: always read
    assert len(seen) == 3


@contextmanager
def sqlite_steps(store: Store) -> Iterator[list[int]]:
    """How many SQLite virtual machine steps (in hundreds) the reads inside the block take:
    work done, whatever the machine's load."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    def watch(dbapi_conn: Any, *_: Any) -> None:
        dbapi_conn.set_progress_handler(tick, 100)

    sa.event.listen(store.engine, "checkout", watch)
    try:
        yield steps
    finally:
        sa.event.remove(store.engine, "checkout", watch)


def _completed_elsewhere(store: Store, cases: int, per_case: int) -> None:
    """``cases`` finished cases of ``per_case`` completed tasks each, none on anyone's desk."""
    with store.begin() as conn:
        for n in range(cases):
            case = 100_000 + n
            conn.exec_driver_sql(
                "INSERT INTO instances (id, definition_id, process_key, title, business_key, "
                "status, started_by, started_at, cancel_reason, state, spiff_version, "
                "serializer_version, version_counter, updated_at) VALUES (?, 1, ?, '', '', "
                "'completed', 'x', '2026-01-01', '', '{}', '3', '1', 1, '2026-01-01')",
                (case, KEY),
            )
            conn.exec_driver_sql(
                "INSERT INTO tasks (id, instance_id, definition_id, process_key, process_name, "
                "instance_title, business_key, element_id, name, role, state, created, "
                "due_order, completed, comment) VALUES (?, ?, 1, ?, '', '', '', 'step_1', '', "
                "'Staf', 'completed', '2026-01-01', '2026-01-01', '2026-01-02', '')",
                [(f"done-{case}-{i}", case, KEY) for i in range(per_case)],
            )


def test_the_returned_work_reads_the_pages_cases_not_every_completed_task(
    sqlite_store: Store,
) -> None:
    """The completed tasks of other cases are not read for a page's returned work, in the
    inbox's one statement or alone (the task page): SQLite, which keeps no statistics, took
    the state's index for "completed tasks of these cases", every completed task of every
    case (~40 ms a page with 100 000 of them)."""
    kit = make_kit(sqlite_store)
    kit.definitions.deploy(SURAT.read_bytes())
    kit.users.add("staf", ["Staf"])
    for i in range(10):
        kit.runtime.start(KEY, "staf", title=f"Surat {i}")
    rows = kit.runtime.inbox("staf")[0]

    def work() -> tuple[int, int]:
        with sqlite_steps(sqlite_store) as page:
            kit.runtime.inbox_and_counts("staf")
        with sqlite_steps(sqlite_store) as alone:
            kit.runtime.returned(rows)
        return page[0], alone[0]

    before = work()
    _completed_elsewhere(sqlite_store, cases=200, per_case=20)  # 4000 completed tasks
    after = work()
    assert after[0] < before[0] + 20 and after[1] < before[1] + 20, (before, after)
