"""The engine's database: SQLAlchemy 2 Core tables and the :class:`Store` that opens them.

Why Core and not the ORM: every public engine call is one short transaction over a few rows,
and the hot path (task lists) must be a single indexed query on ``tasks``; plain statements
keep that visible. The schema itself is created by Alembic migrations (``engine/migrations``),
never by ``metadata.create_all``, so SQLite offices and PostgreSQL clusters upgrade the same way.

SQLite is the default (one office, one file): WAL so readers never block the writer, a busy
timeout so writers queue instead of failing, foreign keys on, and write transactions opened
with ``BEGIN IMMEDIATE`` so two writers never both read a snapshot they cannot commit.
PostgreSQL is chosen by URL (``ALUR_DATABASE_URL``); there the runtime locks instance rows
with ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.types import TypeDecorator

DEFAULT_SQLITE = Path("instance") / "alur.db"
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)  # tasks.due_order of a task without a due date
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def utcnow() -> datetime:
    """Aware UTC now; every timestamp the engine stores is UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # pragma: no cover - raw SQLite text
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False, default=""),
    Column("password_hash", String(300)),
    Column("roles", Text, nullable=False, default="[]"),  # JSON list of lane names
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    # bumped to end every session of the user (logout, password change, deactivation)
    Column("session_generation", Integer, nullable=False, default=0, server_default="0"),
)

definitions = Table(
    "definitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, index=True),
    Column("name", String(300), nullable=False, default=""),
    Column("version", Integer, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("xml", LargeBinary, nullable=False),
    Column("meta", Text, nullable=False),  # JSON: the deploy-time analysis (lanes, forms, ...)
    Column("filename", String(300), nullable=False, default=""),
    Column("deployed_at", UTCDateTime, nullable=False),
    Column("deployed_by", String(80), nullable=False, default=""),
    UniqueConstraint("key", "version", name="uq_definitions_key_version"),
)

instances = Table(
    "instances",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("definition_id", Integer, ForeignKey("definitions.id"), nullable=False, index=True),
    Column("process_key", String(200), nullable=False, index=True),
    Column("title", String(500), nullable=False, default=""),
    Column("business_key", String(200), nullable=False, default="", index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("started_by", String(80), nullable=False, default=""),
    Column("started_at", UTCDateTime, nullable=False, index=True),
    Column("ended_at", UTCDateTime),
    Column("cancel_reason", Text, nullable=False, default=""),
    Column("state", Text, nullable=False),  # serialized SpiffWorkflow workflow (JSON)
    Column("spiff_version", String(20), nullable=False),
    Column("serializer_version", String(20), nullable=False),
    Column("version_counter", Integer, nullable=False, default=1),  # optimistic lock
    Column("next_timer_at", UTCDateTime, index=True),  # earliest pending timer, for the worker
    Column("updated_at", UTCDateTime, nullable=False),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", String(36), primary_key=True),  # SpiffWorkflow task id (uuid)
    Column("instance_id", Integer, ForeignKey("instances.id"), nullable=False, index=True),
    Column("definition_id", Integer, nullable=False),
    Column("process_key", String(200), nullable=False, index=True),
    Column("process_name", String(300), nullable=False, default=""),
    Column("instance_title", String(500), nullable=False, default=""),
    Column("business_key", String(200), nullable=False, default=""),
    Column("element_id", String(200), nullable=False, index=True),
    Column("name", String(500), nullable=False, default=""),
    Column("role", String(200), nullable=False, default="", index=True),
    Column("state", String(20), nullable=False, index=True),
    Column("assignee", String(80), index=True),
    Column("created", UTCDateTime, nullable=False, index=True),
    Column("due", UTCDateTime, index=True),
    # ``due`` or the far future: a NOT NULL sort key, so "due first, undated last" is an index
    # range scan on SQLite and PostgreSQL alike (NULLS LAST is not index-friendly everywhere)
    Column("due_order", UTCDateTime, nullable=False),
    Column("completed", UTCDateTime, index=True),
    Column("completed_by", String(80), index=True),
    Column("decision", String(200), index=True),
    Column("comment", Text, nullable=False, default=""),
    # the task-list orders (due_order, created, id): each index serves one branch of a list
    Index("ix_tasks_state_role_order", "state", "role", "due_order", "created", "id"),
    Index("ix_tasks_unclaimed_order", "state", "role", "assignee", "due_order", "created", "id"),
    Index("ix_tasks_state_assignee_order", "state", "assignee", "due_order", "created", "id"),
    Index("ix_tasks_state_order", "state", "due_order", "created", "id"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("instance_id", Integer, ForeignKey("instances.id"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("user", String(80), nullable=False, default=""),
    Column("action", String(20), nullable=False),
    Column("task_id", String(36)),
    Column("element_id", String(200)),
    Column("task_name", String(500)),
    Column("decision", String(200)),
    Column("comment", Text, nullable=False, default=""),
    Column("attachments", Text, nullable=False, default="[]"),  # JSON list of stored names
)


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row a single-row INSERT just wrote."""
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - only for executemany or a table without a key
        raise RuntimeError("INSERT did not report the new primary key")
    return int(key[0])


def default_url() -> str:
    """``ALUR_DATABASE_URL`` or a SQLite file in the instance folder."""
    url = os.environ.get("ALUR_DATABASE_URL", "").strip()
    if url:
        return url
    folder = Path(os.environ.get("ALUR_INSTANCE_PATH", "") or DEFAULT_SQLITE.parent)
    return f"sqlite:///{folder / DEFAULT_SQLITE.name}"


class Store:
    """One database: an SQLAlchemy engine plus the transaction discipline of the engine."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.dialect: str = engine.dialect.name

    @classmethod
    def from_url(cls, url: str | None = None, *, busy_timeout: float = 30.0) -> Store:
        """Open ``url`` (None: ``ALUR_DATABASE_URL`` or ``instance/alur.db``).

        ``busy_timeout`` (SQLite only): seconds a writer waits for the lock before the call
        fails with :class:`engine.errors.Busy`."""
        url = url or default_url()
        if url.startswith("sqlite"):
            return cls(_sqlite_engine(url, busy_timeout), url)
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        engine = create_engine(url, pool_size=10, max_overflow=20)
        _ping_when_idle(engine)
        return cls(engine, url)

    @contextmanager
    def begin(self, write: bool = True) -> Iterator[Connection]:
        """One transaction; ``write`` takes SQLite's write lock up front (BEGIN IMMEDIATE).

        A lock that outlasts the busy timeout surfaces as the engine's retryable
        :class:`~engine.errors.Busy`, never as a raw "database is locked" OperationalError;
        the transaction is rolled back, so nothing is half-written."""
        try:
            with self.engine.connect() as conn:
                if not write and self.dialect == "postgresql":
                    # READ COMMITTED gives every statement its own snapshot anyway, so a read
                    # transaction only adds a BEGIN and a COMMIT round trip: autocommit reads
                    conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.info["alur_write"] = write
                with conn.begin():
                    yield conn
        except OperationalError as exc:
            if _is_lock_error(exc):
                from engine.errors import Busy

                raise Busy() from None
            raise

    def upgrade(self, revision: str = "head") -> None:
        """Run the Alembic migrations up to ``revision`` (creates the tables on a new store)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()

    def current_revision(self) -> str | None:
        """The Alembic revision the database is at (None before the first upgrade)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def dispose(self) -> None:
        self.engine.dispose()


IDLE_PING_SECONDS = 10.0
"""A pooled connection idle longer than this is pinged before use (a restarted server or a
dropped network leaves dead connections in the pool); a busy one is not, saving a round trip
per transaction that ``pool_pre_ping`` would spend."""


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_conn: Any, record: Any) -> None:
        record.info["alur_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("alur_idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            cur = dbapi_conn.cursor()
            cur.execute("SELECT 1")
            cur.close()
            dbapi_conn.rollback()
        except Exception:  # dead: the pool replaces it with a fresh connection
            raise DisconnectionError() from None


def _is_lock_error(exc: OperationalError) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return any(m in text for m in ("database is locked", "database is busy", "table is locked"))


def _sqlite_engine(url: str, busy_timeout: float = 30.0) -> Engine:
    path = url.split("///", 1)[1] if "///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("alur_write") else "BEGIN")

    return engine
