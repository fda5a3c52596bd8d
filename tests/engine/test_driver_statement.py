"""engine.store.DriverStatement: the hot writes sent as compiled SQL text must store exactly
what SQLAlchemy's own ``execute`` stores (same columns, same values, dates in the same form),
so a row written either way reads back the same and sorts the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from engine.status import TaskState
from engine.store import FAR_FUTURE, DriverStatement, Store, audit, instances, tasks

WIB = timezone(timedelta(hours=7))


def _instance(conn: sa.Connection) -> int:
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    conn.execute(sa.text(
        "INSERT INTO definitions (key, name, version, sha256, xml, meta, filename, "
        "deployed_at, deployed_by) VALUES ('k', 'K', 1, 'x', :xml, '{}', '', :at, '')"),
        {"xml": b"<x/>", "at": now.replace(tzinfo=None)})  # fmt: skip
    values = dict(definition_id=1, process_key="k", title="T", business_key="", status="running",
                  started_by="", started_at=now, ended_at=None, cancel_reason="", state="{}",
                  spiff_version="3", serializer_version="1", version_counter=1,
                  next_timer_at=None, updated_at=now)  # fmt: skip
    return int(conn.execute(instances.insert(), values).inserted_primary_key[0])  # type: ignore[index]


def _task(task_id: str, instance_id: int, created: datetime) -> dict[str, object]:
    return dict(id=task_id, instance_id=instance_id, definition_id=1, process_key="k",
                process_name="Proses", instance_title="Kasus", business_key="BK-1",
                element_id="t1", name="Memeriksa", role="Staf", state=TaskState.READY,
                assignee=None, created=created, due=None, due_order=FAR_FUTURE,
                completed=None, completed_by=None, decision=None, comment="")  # fmt: skip


def test_rows_written_as_text_equal_rows_written_by_sqlalchemy(store: Store) -> None:
    created = datetime(2026, 12, 7, 9, 30, 0, tzinfo=WIB)  # aware, not UTC, no microseconds
    insert = DriverStatement(tasks.insert())
    with store.begin() as conn:
        instance_id = _instance(conn)
        conn.execute(tasks.insert(), _task("a", instance_id, created))
        insert.execute(conn, _task("b", instance_id, created))
        read = {r.id: r for r in conn.execute(sa.select(tasks))}
        columns = [c.name for c in tasks.c if c.name != "id"]
        assert [getattr(read["a"], c) for c in columns] == [getattr(read["b"], c) for c in columns]
        assert read["b"].created == created  # the same instant, back as aware UTC
        if store.dialect == "sqlite":  # the stored text itself: same form, so it sorts alike
            raw = conn.exec_driver_sql("SELECT id, created, due_order FROM tasks").all()
            assert raw[0][1:] == raw[1][1:]


def test_statement_literals_and_row_counts(store: Store) -> None:
    """The values written into the statement (``state == 'ready'``) are bound too, and the
    row count tells a version check that lost."""
    finish = DriverStatement(
        tasks.update().where(tasks.c.id == sa.bindparam("b_id"), tasks.c.state == TaskState.READY)
    )
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    with store.begin() as conn:
        instance_id = _instance(conn)
        conn.execute(tasks.insert(), _task("a", instance_id, now))
        done = {"b_id": "a", "state": TaskState.COMPLETED, "completed": now}
        assert finish.execute(conn, done).rowcount == 1
        assert finish.execute(conn, done).rowcount == 0  # no longer ready: nothing changes
        row = conn.execute(sa.select(tasks).where(tasks.c.id == "a")).one()
        assert (row.state, row.completed) == (TaskState.COMPLETED, now)


def test_a_column_left_to_its_default_is_refused(store: Store) -> None:
    log = DriverStatement(audit.insert())
    with store.begin() as conn, pytest.raises(ValueError, match="comment"):
        log.execute(conn, {"instance_id": 1, "at": datetime.now(UTC), "user": "x",
                           "action": "start", "attachments": "[]"})  # fmt: skip
