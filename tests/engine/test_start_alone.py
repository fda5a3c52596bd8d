"""A PostgreSQL start that reads nothing first is one statement sent alone
(:meth:`Store.first_row_alone`), on the connection the store keeps for such statements: no
pool checkout, no transaction, no autocommit switched on and off around it. It must behave as
the pooled path it replaced: durable when it returns, SQLAlchemy's exceptions, a dead
connection never reused, the pool's connections left as they were (never in autocommit), a
second thread served while the first is busy, nothing left open after ``dispose``.
Skipped with a message when PostgreSQL cannot be reached."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine import store as store_module
from engine.store import DriverStatement, Store, audit, instances, tasks

from .conftest import EngineKit, drop_schema, make_store
from .test_driver_statement import _instance, _task

pytestmark = pytest.mark.postgres

KEY = "sop_surat_keluar"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PID = DriverStatement(sa.select(sa.func.pg_backend_pid()))
INSERT = DriverStatement(tasks.insert().returning(tasks.c.id))


def _alone_pid(store: Store) -> int:
    row = store.first_row_alone(PID, {})
    assert row is not None
    return int(row[0])


def _pooled_pids(store: Store) -> set[int]:
    """The backends of the pool's connections (each checked out once), and that none of them
    was left in autocommit."""
    pids = set()
    with store.engine.connect() as first, store.engine.connect() as second:
        for conn in (first, second):
            assert conn.connection.driver_connection.autocommit is False  # type: ignore[union-attr]
            pids.add(int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()))
    return pids


def _case(store: Store) -> int:
    with store.begin() as conn:
        return _instance(conn)


def _terminate(store: Store, pid: int) -> None:
    with store.engine.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        conn.commit()


def test_statements_sent_alone_share_one_connection_kept_outside_the_pool(
    pg_store: Store,
) -> None:
    case = _case(pg_store)
    kept = _alone_pid(pg_store)
    assert _alone_pid(pg_store) == kept  # the same connection, call after call
    assert kept not in _pooled_pids(pg_store)  # not one of the pool's
    assert pg_store.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert pg_store.first_row_alone(INSERT, _task("a", case, NOW)) == ("a",)
    with pg_store.engine.connect() as other:  # autocommit: durable as the statement returned
        assert other.execute(sa.select(tasks.c.id)).scalars().all() == ["a"]


def test_a_failed_statement_is_sqlalchemys_error_and_the_next_goes_on_a_fresh_connection(
    pg_store: Store,
) -> None:
    case = _case(pg_store)
    assert pg_store.first_row_alone(INSERT, _task("a", case, NOW)) == ("a",)
    kept = _alone_pid(pg_store)
    with pytest.raises(sa.exc.IntegrityError) as raised:  # the same primary key again
        pg_store.first_row_alone(INSERT, _task("a", case, NOW))
    assert "tasks_pkey" in str(raised.value.orig)
    assert _alone_pid(pg_store) != kept  # whatever failed, that connection is not used again
    assert pg_store.first_row_alone(INSERT, _task("b", case, NOW)) == ("b",)
    with pg_store.engine.connect() as other:
        assert sorted(other.execute(sa.select(tasks.c.id)).scalars()) == ["a", "b"]


def test_a_dropped_connection_is_reported_invalidated_and_replaced(pg_store: Store) -> None:
    case = _case(pg_store)
    kept = _alone_pid(pg_store)
    _terminate(pg_store, kept)
    with pytest.raises(sa.exc.OperationalError) as raised:  # used again at once: no ping
        pg_store.first_row_alone(INSERT, _task("a", case, NOW))
    assert raised.value.connection_invalidated
    assert pg_store.first_row_alone(INSERT, _task("b", case, NOW)) == ("b",)
    assert _alone_pid(pg_store) != kept


def test_an_idle_connection_is_pinged_and_a_dead_one_replaced_before_the_write(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _case(pg_store)
    kept = _alone_pid(pg_store)
    _terminate(pg_store, kept)
    monkeypatch.setattr(store_module, "IDLE_PING_SECONDS", 0.0)  # every use counts as idle
    assert pg_store.first_row_alone(INSERT, _task("a", case, NOW)) == ("a",)  # no error
    assert _alone_pid(pg_store) != kept


def test_a_thread_finding_the_connection_busy_uses_the_pool(pg_store: Store) -> None:
    case = _case(pg_store)
    kept = _alone_pid(pg_store)
    alone = pg_store._alone
    assert alone is not None
    with alone.lock:  # another thread's statement in flight
        assert _alone_pid(pg_store) != kept
        assert pg_store.first_row_alone(INSERT, _task("a", case, NOW)) == ("a",)
    assert pg_store.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    _pooled_pids(pg_store)  # given back as it came: not in autocommit
    assert _alone_pid(pg_store) == kept


def test_dispose_closes_the_kept_connection(tmp_path: Path) -> None:
    store, schema = make_store("postgresql", tmp_path)
    try:
        kept = _alone_pid(store)
        store.dispose()
        probe = Store.from_url(store.url)
        try:
            with probe.engine.connect() as conn:
                alive = conn.exec_driver_sql(
                    f"SELECT count(*) FROM pg_stat_activity WHERE pid = {kept}"
                ).scalar_one()
        finally:
            probe.dispose()
        assert alive == 0
    finally:
        store.dispose()
        if schema:
            drop_schema(schema)


def test_warm_starts_in_several_threads_each_write_once(pg_surat_kit: EngineKit) -> None:
    rt = pg_surat_kit.runtime
    rt.start(KEY, "staf")  # the read tells this process the latest version: the rest are warm
    started: list[int] = []
    failures: list[BaseException] = []

    def starts() -> None:
        try:
            for _ in range(8):
                started.append(rt.start(KEY, "staf").id)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=starts) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(set(started)) == 32
    with pg_surat_kit.store.engine.connect() as conn:
        ids = set(conn.execute(sa.select(instances.c.id)).scalars())
        logged = conn.execute(sa.select(audit.c.instance_id)).scalars().all()
        first = conn.execute(sa.select(tasks.c.instance_id)).scalars().all()
    assert set(started) <= ids and len(ids) == 33
    assert sorted(logged) == sorted(ids) and sorted(first) == sorted(ids)  # one each
    assert all(rt.check_consistency(i) == [] for i in started)
    _pooled_pids(pg_surat_kit.store)  # no pooled connection left in autocommit
