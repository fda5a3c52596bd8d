"""The one write of a PostgreSQL start or completion (``DriverStatement.first_row``) goes to a
psycopg ``RawCursor`` kept with the pooled connection instead of through SQLAlchemy's execute,
and must still behave as SQLAlchemy's execute would: the same row, SQLAlchemy's exception
classes, a dropped connection invalidated (and the next call on a fresh one), nothing written
outside the caller's transaction, and the ordinary path whenever a cursor event is listened
for. Skipped with a message when PostgreSQL cannot be reached."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from engine.store import DriverStatement, Store, tasks

from .conftest import EngineKit
from .test_driver_statement import _instance, _task

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
KEPT = "alur_raw_cursor"  # engine.store's info key of the kept cursor
INSERT = DriverStatement(tasks.insert().returning(tasks.c.id, tasks.c.created))


def _case(store: Store) -> int:
    with store.begin() as conn:
        return _instance(conn)


def _ids(store: Store) -> list[str]:
    with store.begin(write=False) as conn:
        return sorted(conn.execute(sa.select(tasks.c.id)).scalars())


def test_the_row_comes_back_through_a_cursor_kept_with_the_connection(pg_store: Store) -> None:
    case = _case(pg_store)
    with pg_store.read_then_write(one_write_statement=True) as phases, phases.write() as conn:
        first = INSERT.first_row(conn, _task("a", case, NOW))
        kept = conn.connection.info[KEPT]
        second = INSERT.first_row(conn, _task("b", case, NOW))
        assert conn.connection.info[KEPT] is kept  # one cursor for every call
    assert first == ("a", NOW.replace(tzinfo=None)) and second is not None and second[0] == "b"
    assert type(first) is tuple
    assert _ids(pg_store) == ["a", "b"]  # autocommit: durable as the statement returned


def test_an_error_is_sqlalchemys_and_the_connection_stays_usable(pg_store: Store) -> None:
    case = _case(pg_store)
    with pg_store.begin() as conn:
        INSERT.first_row(conn, _task("a", case, NOW))
    with pg_store.begin() as conn:
        with pytest.raises(sa.exc.IntegrityError) as raised:  # the same primary key
            INSERT.first_row(conn, _task("a", case, NOW))
        assert "tasks_pkey" in str(raised.value.orig)
    with pg_store.begin() as conn:  # the failed transaction was rolled back: the pool's
        assert INSERT.first_row(conn, _task("b", case, NOW)) is not None  # connection works
    assert _ids(pg_store) == ["a", "b"]


def test_a_dropped_connection_is_invalidated_and_the_next_call_reconnects(
    pg_store: Store,
) -> None:
    case = _case(pg_store)
    with pg_store.engine.connect() as conn:
        conn.connection.driver_connection.autocommit = True  # type: ignore[union-attr]
        transaction = conn.begin()  # autocommit: each statement durable on its own
        INSERT.first_row(conn, _task("a", case, NOW))  # a cursor kept with this connection
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with pg_store.engine.connect() as other:  # another pooled connection
            other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        with pytest.raises(sa.exc.OperationalError) as raised:
            INSERT.first_row(conn, _task("b", case, NOW))
        assert raised.value.connection_invalidated and conn.invalidated
        transaction.rollback()
    with pg_store.begin() as conn:  # a new connection, and a new cursor kept with it
        assert INSERT.first_row(conn, _task("c", case, NOW)) is not None
        assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid
    assert _ids(pg_store) == ["a", "c"]


def test_without_a_begun_transaction_the_write_is_sqlalchemys_to_commit(pg_store: Store) -> None:
    case = _case(pg_store)
    with pg_store.engine.connect() as conn:  # no begin(): SQLAlchemy autobegins and commits
        assert INSERT.first_row(conn, _task("a", case, NOW)) is not None
        assert KEPT not in conn.connection.info  # the ordinary path was taken
        conn.commit()
    assert _ids(pg_store) == ["a"]


def test_a_listened_cursor_event_sees_the_statement(pg_surat_kit: EngineKit) -> None:
    rt = pg_surat_kit.runtime
    rt.start("sop_surat_keluar", "staf")  # cold: the read tells this process the latest version
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement.split()[0].upper())

    event.listen(pg_surat_kit.store.engine, "before_cursor_execute", record)
    try:
        started = rt.start("sop_surat_keluar", "staf")  # warm: the one write statement
    finally:
        event.remove(pg_surat_kit.store.engine, "before_cursor_execute", record)
    assert sent == ["WITH"]
    task = rt.instance_tasks(started.id)[0]
    rt.complete(task.id, "staf")  # and unlistened again: the kept cursor, the same answers
    assert rt.task(task.id).state == "completed"
    assert [e.action for e in rt.history(started.id)] == ["start", "complete"]
    assert rt.check_consistency(started.id) == []
