"""``engine.store.DriverQuery`` on psycopg: the task read of a completion (``_WORK_QUERY``)
through the kept raw cursor must give what SQLAlchemy's execute gives, column by column and
type by type (aware UTC datetimes, booleans, the joined user's columns or None, the ready ids),
or None for no row; and SQLAlchemy's own Row where the raw path is not taken. Skipped with a
message when PostgreSQL cannot be reached."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from engine.commands import _WORK_QUERY, _WORK_READ
from engine.store import Store

from .conftest import SURAT, EngineKit, make_kit

pytestmark = pytest.mark.postgres

KEY = "sop_surat_keluar"


@pytest.fixture
def pg_kit(pg_store: Store) -> EngineKit:
    kit = make_kit(pg_store)
    kit.definitions.deploy(SURAT.read_bytes())
    kit.users.add("staf", ["Staf"])
    kit.users.add("staf2", ["Staf"])
    return kit


def _both(store: Store, task_id: str, user: str) -> tuple[Any, Any, bool]:
    """(SQLAlchemy's row, DriverQuery's row, whether the raw cursor was used)."""
    with store.begin(write=False) as conn:
        expected = conn.execute(_WORK_QUERY, {"task_id": task_id, "user": user}).first()
        got = _WORK_READ.first(conn, {"task_id": task_id, "user": user})
        raw = "alur_raw_cursor" in conn.connection.info
    return expected, got, raw


def _same(expected: Any, got: Any) -> None:
    assert got is not None and expected is not None
    assert got._fields == tuple(expected._mapping.keys())
    for name in got._fields:
        want, have = getattr(expected, name), getattr(got, name)
        assert (name, have, type(have)) == (name, want, type(want))


def test_the_task_read_equals_sqlalchemys(pg_kit: EngineKit) -> None:
    rt = pg_kit.runtime
    started = rt.start(KEY, "staf")
    ready = rt.instance_tasks(started.id)[0]
    expected, got, raw = _both(pg_kit.store, ready.id, "staf")
    assert raw  # the raw cursor was used
    _same(expected, got)
    assert got.created.tzinfo is not None and got.u_username == "staf" and got.ready_ids

    rt.claim(ready.id, "staf")
    _same(*_both(pg_kit.store, ready.id, "nobody")[:2])  # no such user: the u_ columns None
    rt.complete(ready.id, "staf")
    expected, got, _ = _both(pg_kit.store, ready.id, "staf2")  # completed, held by another
    _same(expected, got)
    assert got.completed is not None and got.completed.tzinfo is not None
    assert _both(pg_kit.store, "no-such-task", "staf")[1] is None


def test_without_a_transaction_it_is_sqlalchemys_row(pg_kit: EngineKit) -> None:
    started = pg_kit.runtime.start(KEY, "staf")
    task_id = pg_kit.runtime.instance_tasks(started.id)[0].id
    with pg_kit.store.engine.connect() as conn:
        got = _WORK_READ.first(conn, {"task_id": task_id, "user": "staf"})
        assert isinstance(got, sa.Row) and got.id == task_id
        conn.rollback()


def test_an_error_is_sqlalchemys(pg_kit: EngineKit) -> None:
    started = pg_kit.runtime.start(KEY, "staf")
    task_id = pg_kit.runtime.instance_tasks(started.id)[0].id
    with pg_kit.store.engine.connect() as locker:
        locker.exec_driver_sql("LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE")  # until rollback
        with pg_kit.store.begin(write=False) as conn:
            conn.exec_driver_sql("SET lock_timeout = '50ms'")
            try:
                with pytest.raises(sa.exc.OperationalError) as raised:
                    _WORK_READ.first(conn, {"task_id": task_id, "user": "staf"})
                assert "lock timeout" in str(raised.value.orig)
            finally:
                conn.exec_driver_sql("RESET lock_timeout")
        locker.rollback()
    with pg_kit.store.begin(write=False) as conn:  # and the pooled connections work on
        assert _WORK_READ.first(conn, {"task_id": task_id, "user": "staf"}).id == task_id
