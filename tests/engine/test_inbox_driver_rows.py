"""The inbox page's rows and counts read through the driver's kept cursor
(``engine.store.DriverQuery.all``) must be exactly what SQLAlchemy's own execute reads: the
same tasks in the same order, the same totals, the same values and types (aware datetimes,
states), for every filter, order, search and process filter, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from engine.records import TaskState
from engine.store import DriverQuery, tasks

from .conftest import SURAT, EngineKit, make_kit

KEY = "sop_surat_keluar"
SHAPES: list[dict[str, Any]] = [
    {"filter": f, "sort": s}
    for f in ("all", "mine", "roles", "overdue")
    for s in ("due", "received", "process")
] + [
    {"filter": "all", "search": "nomor 1"},
    {"filter": "all", "process_key": KEY},
    {"filter": "roles", "search": "B-0", "process_key": KEY},
    {"filter": "all", "limit": 5, "offset": 5},
]


@pytest.fixture
def busy(store: Any) -> EngineKit:
    """Two people in the same lanes; 14 cases: claimed ones, ones due soon and overdue."""
    kit = make_kit(store)
    kit.definitions.deploy(SURAT.read_bytes())
    kit.users.add("staf", ["Staf", "Kasubbag Umum"])
    kit.users.add("budi", ["Staf", "Kasubbag Umum"])
    rt = kit.runtime
    for i in range(14):
        started = rt.start(KEY, "staf", title=f"Surat nomor {i}", business_key=f"B-{i:03d}")
        first = rt.instance_tasks(started.id)[0].id
        if i % 3 == 0:
            rt.claim(first, "staf")
        elif i % 3 == 1:
            rt.claim(first, "budi")
        kit.clock.advance(hours=7)  # later tasks received later; some past their due date
    return kit


def _sqlalchemys(self: DriverQuery, conn: Any, params: Any) -> list[Any]:
    return list(conn.execute(self.select, params).all())


def test_every_inbox_shape_reads_the_same_as_sqlalchemy(
    busy: EngineKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = busy.runtime
    through_driver = [rt.inbox_and_counts("staf", **shape) for shape in SHAPES]
    monkeypatch.setattr(DriverQuery, "all", _sqlalchemys)
    through_sqlalchemy = [rt.inbox_and_counts("staf", **shape) for shape in SHAPES]
    seen = 0
    for shape, got, want in zip(SHAPES, through_driver, through_sqlalchemy, strict=True):
        assert (shape, got.total) == (shape, want.total)
        assert (shape, got.rows) == (shape, want.rows)
        seen += len(got.rows)
        for row in got.rows:
            assert row.created.tzinfo is not None and isinstance(row.state, TaskState)
    assert seen > 50  # the shapes hold rows (an empty page proves nothing)
    overdue = next(p for s, p in zip(SHAPES, through_driver, strict=True)
                   if s["filter"] == "overdue")  # fmt: skip
    assert 0 < len(overdue.rows) < 14


def test_a_page_is_read_through_the_kept_cursor(busy: EngineKit) -> None:
    """Inside a transaction the rows are the driver's, made into named tuples (not
    SQLAlchemy ``Row``s): the path the inbox takes."""
    query = DriverQuery(sa.select(tasks).where(tasks.c.state == sa.bindparam("state"))
                        .order_by(tasks.c.created))  # fmt: skip
    with busy.store.begin(write=False) as conn:
        rows = query.all(conn, {"state": TaskState.READY})
        expected = conn.execute(query.select, {"state": TaskState.READY}).all()
    assert len(rows) == len(expected) == 14
    assert not any(isinstance(r, sa.Row) for r in rows)
    assert [tuple(r) for r in rows] == [tuple(r) for r in expected]
    assert rows[0].created.tzinfo is not None
