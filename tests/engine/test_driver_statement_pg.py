"""engine.store.DriverStatement on psycopg: the statement is sent in PostgreSQL's own ``$n``
form through a raw cursor (no per-call placeholder conversion), and must still bind a name used
twice, keep a literal ``%``, go through SQLAlchemy (events, error translation) and leave the
connection's own cursor type as it found it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from engine.status import TaskState
from engine.store import DriverStatement, Store, tasks

from .test_driver_statement import _instance, _task

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _note() -> DriverStatement:
    """An UPDATE with a literal ``%`` and the bound name ``c`` used twice."""
    return DriverStatement(
        tasks.update()
        .where(tasks.c.id == sa.bindparam("b_id"), tasks.c.state == TaskState.READY)
        .values(
            comment=sa.literal_column("'100% '", sa.String) + sa.bindparam("c", type_=sa.String),
            decision=sa.bindparam("c", type_=sa.String),
        )
    )


def test_dollar_form_binds_a_repeated_name_and_keeps_a_literal_percent(pg_store: Store) -> None:
    note = _note()
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    with pg_store.begin() as conn:
        instance_id = _instance(conn)
        conn.execute(tasks.insert(), _task("a", instance_id, NOW))
        factory = conn.connection.driver_connection.cursor_factory  # type: ignore[union-attr]
        event.listen(pg_store.engine, "before_cursor_execute", record)
        try:
            assert note.execute(conn, {"b_id": "a", "c": "setuju"}).rowcount == 1
        finally:
            event.remove(pg_store.engine, "before_cursor_execute", record)
        assert conn.connection.driver_connection.cursor_factory is factory  # type: ignore[union-attr]
        row = conn.execute(sa.select(tasks).where(tasks.c.id == "a")).one()
    assert (row.comment, row.decision) == ("100% setuju", "setuju")
    [(statement, parameters)] = sent  # the event still sees what is sent
    assert "%(" not in statement and "$1" in statement and "100% " in statement
    assert isinstance(parameters, tuple) and parameters.count("setuju") == 1  # sent once


def test_errors_are_sqlalchemys_and_the_cursor_type_is_restored(pg_store: Store) -> None:
    insert = DriverStatement(tasks.insert())
    with pg_store.begin() as conn:
        instance_id = _instance(conn)
        insert.execute(conn, _task("a", instance_id, NOW))
        factory = conn.connection.driver_connection.cursor_factory  # type: ignore[union-attr]
        with pytest.raises(sa.exc.IntegrityError):
            insert.execute(conn, _task("a", instance_id, NOW))  # the same primary key
        assert conn.connection.driver_connection.cursor_factory is factory  # type: ignore[union-attr]
