"""On SQLite a start's read and its three INSERTs go straight to the ``sqlite3`` cursor kept
with the pooled connection (``DriverQuery.first``, ``DriverStatement.send``), not through
SQLAlchemy's execute, and must leave everything as that did: the same rows, no read
transaction held open after the read (a checkpoint can still reset the whole WAL), the same
errors, and the ordinary path whenever a cursor event is listened for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from engine.errors import NotAllowed, NotFound
from engine.store import Store, audit, instances, tasks

from .conftest import SURAT, EngineKit, make_kit, make_store

KEY = "sop_surat_keluar"
KEPT = "alur_raw_cursor"  # engine.store's info key of the kept cursor


@pytest.fixture
def kit(tmp_path: Path) -> Any:
    store, _ = make_store("sqlite", tmp_path)
    made = make_kit(store)
    made.definitions.deploy(SURAT.read_bytes())
    made.users.add("staf", ["Staf"])
    made.users.add("kadis", ["Kepala Dinas"])
    yield made
    store.dispose()


def _rows(store: Store) -> tuple[list[Any], list[Any], list[Any]]:
    with store.begin(write=False) as conn:
        return (conn.execute(sa.select(instances).order_by(instances.c.id)).all(),
                conn.execute(sa.select(tasks).order_by(tasks.c.created)).all(),
                conn.execute(sa.select(audit).order_by(audit.c.id)).all())  # fmt: skip


def test_a_start_goes_to_the_kept_cursor_and_leaves_no_reader_behind(kit: EngineKit) -> None:
    rt = kit.runtime
    inst = rt.start(KEY, "staf", title="  Surat   undangan ", business_key="B-1")
    with kit.store.engine.connect() as conn:  # the pooled connection the start used
        assert KEPT in conn.connection.info
    found, first, logged = _rows(kit.store)
    assert [(r.id, r.title, r.business_key, r.status, r.started_by) for r in found] == [
        (inst.id, "Surat undangan", "B-1", "running", "staf")]  # fmt: skip
    assert [(t.instance_id, t.element_id, t.role, t.state) for t in first] == [
        (inst.id, "step_1", "Staf", "ready")]  # fmt: skip
    assert first[0].due is not None and first[0].created == found[0].started_at
    assert [(a.instance_id, a.action, a.user) for a in logged] == [(inst.id, "start", "staf")]
    assert rt.check_consistency(inst.id) == []
    # nothing holds a snapshot: the whole WAL can be written back and reset
    with kit.store.engine.connect() as conn:
        busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    assert busy == 0


def test_the_rows_equal_those_sent_through_sqlalchemy(kit: EngineKit) -> None:
    rt = kit.runtime
    fast = rt.start(KEY, "staf", title="Sama")
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement.split()[0].upper())

    event.listen(kit.store.engine, "before_cursor_execute", record)
    try:  # a cursor event listened for: every statement through SQLAlchemy's execute
        slow = rt.start(KEY, "staf", title="Sama")
    finally:
        event.remove(kit.store.engine, "before_cursor_execute", record)
    assert seen.count("SELECT") == 1 and seen.count("INSERT") == 3
    found, first, logged = _rows(kit.store)
    skip = {"id", "instance_id", "state", "started_at", "updated_at", "created", "due",
            "due_order", "at"}  # fmt: skip

    def same(rows: list[Any]) -> None:
        a, b = (dict(r._mapping) for r in rows)
        assert {k: v for k, v in a.items() if k not in skip} == {
            k: v for k, v in b.items() if k not in skip}  # fmt: skip

    same(found)
    same(first)
    same(logged)
    assert [r.instance_id for r in logged] == [fast.id, slow.id]


def test_a_start_refused_by_the_read_writes_nothing(kit: EngineKit) -> None:
    rt = kit.runtime
    with pytest.raises(NotAllowed):
        rt.start(KEY, "kadis")  # holds none of the first lanes
    with pytest.raises(NotFound):
        rt.start("tidak_ada", "staf")
    assert _rows(kit.store) == ([], [], [])
    with kit.store.engine.connect() as conn:  # the refused read holds no snapshot either
        busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    assert busy == 0
    assert rt.start(KEY, "staf").id > 0  # and the connection is still good
