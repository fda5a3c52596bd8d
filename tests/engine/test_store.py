"""The store itself: migrations match the table definitions, URLs, SQLite settings."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.store import MIGRATIONS, Store, default_url, metadata


def _head() -> str:
    """The newest migration's revision, read from the scripts (each new migration moves it)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def test_migrations_create_exactly_the_declared_schema(store: Store) -> None:
    inspector = sa.inspect(store.engine)
    for table in metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        declared = {i.name for i in table.indexes}
        assert declared <= indexes, (table.name, declared - indexes)
    assert store.current_revision() == _head()
    store.upgrade()  # idempotent
    assert store.current_revision() == _head()


def test_migrations_step_up_from_an_older_schema(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'old.db'}")
    store.upgrade("0001")
    names = {i["name"] for i in sa.inspect(store.engine).get_indexes("tasks")}
    assert "ix_tasks_completed" not in names
    store.upgrade("0002")
    names = {i["name"] for i in sa.inspect(store.engine).get_indexes("tasks")}
    assert "ix_tasks_completed" in names and store.current_revision() == "0002"
    with store.begin() as conn:  # a user from before session generations existed
        conn.exec_driver_sql(
            "INSERT INTO users (username, full_name, roles, is_admin, active, created_at) "
            "VALUES ('lama', '', '[]', 0, 1, '2026-01-01 00:00:00')"
        )
    store.upgrade()
    assert store.current_revision() == _head()
    with store.begin(write=False) as conn:
        gen = conn.exec_driver_sql("SELECT session_generation FROM users").scalar()
    assert gen == 0
    store.dispose()


def test_default_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setenv("ALUR_DATABASE_URL", "postgresql+psycopg://x@h/db")
    assert default_url() == "postgresql+psycopg://x@h/db"
    monkeypatch.delenv("ALUR_DATABASE_URL")
    monkeypatch.setenv("ALUR_INSTANCE_PATH", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path / 'alur.db'}"


def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_store: Store) -> None:
    with sqlite_store.begin(write=False) as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    with pytest.raises(sa.exc.IntegrityError), sqlite_store.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO audit (instance_id, at, user, action, comment, attachments) "
            "VALUES (999, '2026-01-01', 'x', 'start', '', '[]')"
        )


def test_a_lock_held_past_the_timeout_is_the_engines_retryable_busy(tmp_path: Path) -> None:
    import sqlite3

    from engine.errors import Busy
    from engine.users import Users

    path = tmp_path / "sibuk.db"
    Store.from_url(f"sqlite:///{path}").upgrade()
    store = Store.from_url(f"sqlite:///{path}", busy_timeout=0.05)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with pytest.raises(Busy) as info:
            Users(store).add("budi", ["Staf"])
        assert info.value.retryable and info.value.http_status == 503
        assert "locked" not in info.value.message and "coba lagi" in info.value.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Users(store).add("budi", ["Staf"]).username == "budi"  # retried: it works
    store.dispose()


def test_sqlite_checkpoints_after_the_writers_turn_not_inside_its_commit(tmp_path: Path) -> None:
    """SQLite's automatic checkpoint is off on our connections; every CHECKPOINT_EVERY writes
    a PASSIVE checkpoint runs once the writer's turn is over (another worker never waits for
    its fsyncs)."""
    import sqlite3

    from engine import store as store_module
    from engine.users import Users

    path = tmp_path / "alur.db"
    store = Store.from_url(f"sqlite:///{path}")
    store.upgrade()
    writers = store._writers
    assert writers is not None
    seen: list[tuple[str, bool]] = []

    @sa.event.listens_for(store.engine, "connect")
    def _trace(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.set_trace_callback(lambda sql: seen.append((sql, writers.held())))

    store.engine.dispose()  # every connection from here on is traced
    with store.begin(write=False) as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    users = Users(store)
    for i in range(2 * store_module.CHECKPOINT_EVERY):
        users.add(f"pegawai{i}", ["Staf"])
    checkpoints = [held for sql, held in seen if "wal_checkpoint" in sql]
    assert checkpoints == [False, False]  # two, each outside the turn
    assert any(held for sql, held in seen if sql.startswith("INSERT"))  # writes inside it
    store.dispose()
