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

import collections
import contextlib
import fcntl
import operator
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

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
from sqlalchemy.engine import Connection, CursorResult, Dialect, Engine
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.sql import Select
from sqlalchemy.sql.base import Executable
from sqlalchemy.types import TypeDecorator

from engine.affinity import hold_core_from_env

DEFAULT_SQLITE = Path("instance") / "alur.db"
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)  # tasks.due_order of a task without a due date
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def utcnow() -> datetime:
    """Aware UTC now; every timestamp the engine stores is UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (SQLite has no time zones).

    The time zone is put on and taken off by ``datetime.combine`` of the date and the time,
    not ``datetime.replace(tzinfo=...)``: CPython's ``replace`` parses its keywords and
    builds the object through the type's constructor, 2.5-6 µs a value against well under
    one, and a start binds nine of them, a completion's read converts as many."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        value = value.astimezone(UTC)
        return _combine(value.date(), value.time())  # naive, the fold kept

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # pragma: no cover - raw SQLite text
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return _combine(value.date(), value.time(), UTC)
        return value.astimezone(UTC)


_combine = datetime.combine


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
    Column("nip", String(30), nullable=False, default="", server_default=""),
    Column("jabatan", String(200), nullable=False, default="", server_default=""),
    Column("language", String(5), nullable=False, default="id", server_default="id"),  # UI
    # where notifications are mailed ("" = in-app only); migration 0005
    Column("email", String(254), nullable=False, default="", server_default=""),
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
    # no index: every query of a step also names its case (migration 0013)
    Column("element_id", String(200), nullable=False),
    Column("name", String(500), nullable=False, default=""),
    Column("role", String(200), nullable=False, default="", index=True),
    # no index of its own: every query of ``state`` takes one of the composites below, led by
    # it (migration 0011 dropped the one-column indexes no query used: each cost a write per
    # task row written, and on SQLite a page read again after another worker's commit)
    Column("state", String(20), nullable=False),
    Column("assignee", String(80), index=True),
    Column("created", UTCDateTime, nullable=False, index=True),
    Column("due", UTCDateTime),
    # ``due`` or the far future: a NOT NULL sort key, so "due first, undated last" is an index
    # range scan on SQLite and PostgreSQL alike (NULLS LAST is not index-friendly everywhere)
    Column("due_order", UTCDateTime, nullable=False),
    Column("completed", UTCDateTime),  # no index: sorted within a case only (migration 0013)
    Column("completed_by", String(80)),
    Column("decision", String(200)),
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
    Column("target_user", String(80)),  # reassign / delegate: the user the task went to
)

sop_drafts = Table(
    "sop_drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(500), nullable=False, default=""),
    Column("filename", String(300), nullable=False, default=""),
    Column("model", Text, nullable=False),  # the current SOP model, JSON (docs/json.md)
    Column("state", String(20), nullable=False, index=True),  # open / deployed / discarded
    Column("revision", Integer, nullable=False, default=1),  # optimistic lock: saves so far
    Column("created_by", String(80), nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_by", String(80), nullable=False, default=""),
    Column("updated_at", UTCDateTime, nullable=False),
)

sop_draft_saves = Table(
    "sop_draft_saves",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, ForeignKey("sop_drafts.id"), nullable=False, index=True),
    Column("revision", Integer, nullable=False),  # the draft's revision this save made
    Column("at", UTCDateTime, nullable=False),
    Column("user", String(80), nullable=False, default=""),
    Column("summary", String(500), nullable=False, default=""),  # what changed, for people
    Column("model", Text, nullable=False),  # the SOP model after this save, JSON
    UniqueConstraint("draft_id", "revision", name="uq_sop_draft_saves_revision"),
)

# -- deployments (migration 0007): one row per deployed version, engine.deployments ---------

deployments = Table(
    "deployments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("definition_id", Integer, ForeignKey("definitions.id"), nullable=False, index=True),
    Column("process_key", String(200), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("user", String(80), nullable=False, default=""),
    # upload:<filename> / draft:<id> / modeler:<key>/v<n> ("" when the caller did not say)
    Column("source", String(500), nullable=False, default=""),
    Column("filename", String(300), nullable=False, default=""),
    Column("changes", Integer),  # differences the preview showed (NULL: not computed)
    Column("cases_on_previous", Integer, nullable=False, default=0),  # running at deploy
)


# -- notifications (migration 0005): derived from the rows above by engine.notifications ---

notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False),
    Column("kind", String(20), nullable=False),  # engine.notifications.Kind
    # what it is about: a task id, an instance id or (digest) a day; with kind and user the
    # key that makes each notification happen at most once, whoever derives it
    Column("ref", String(40), nullable=False),
    Column("instance_id", Integer, ForeignKey("instances.id")),
    Column("task_id", String(36)),
    Column("title", String(500), nullable=False, default=""),  # task name or case title
    Column("process_name", String(300), nullable=False, default=""),
    Column("case_title", String(500), nullable=False, default=""),
    Column("actor", String(80), nullable=False, default=""),  # who returned / who finished
    Column("comment", Text, nullable=False, default=""),  # the returner's catatan
    Column("due", UTCDateTime),
    Column("in_app", Boolean, nullable=False),  # shown under the bell (the user's choice)
    Column("created_at", UTCDateTime, nullable=False),
    Column("read_at", UTCDateTime),
    UniqueConstraint("kind", "ref", "username", name="uq_notifications_kind_ref_user"),
    Index("ix_notifications_unread", "username", "in_app", "read_at"),
    Index("ix_notifications_user_id", "username", "id"),
    # "was this task/case announced already?": the pass's anti-joins probe by ref
    Index("ix_notifications_ref_kind", "ref", "kind"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("notification_id", Integer, ForeignKey("notifications.id"), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),  # engine.outbox.MailStatus
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text, nullable=False, default=""),
    UniqueConstraint("notification_id", name="uq_outbox_notification"),
    Index("ix_outbox_status_next", "status", "next_attempt_at"),
)

notification_preferences = Table(
    "notification_preferences",
    metadata,
    Column("username", String(80), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("channel", String(10), nullable=False),  # engine.notifications.Channel
)

bpmn_drafts = Table(  # engine/bpmn_drafts.py: one draft per deployed version (modeler)
    "bpmn_drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("definition_id", Integer, ForeignKey("definitions.id"), nullable=False, unique=True),
    Column("xml", LargeBinary, nullable=False),
    Column("saved_by", String(80), nullable=False, default=""),
    Column("saved_at", UTCDateTime, nullable=False),
)

# engine/login_failures.py (migration 0009): failed logins, shared by every web process;
# transient, so not in an export
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False),  # "ip:<address>" or "user:<name>"
    Column("at", UTCDateTime, nullable=False),
    Index("ix_login_failures_key_at", "key", "at"),
)

# engine/reading_jobs.py (migration 0010): an uploaded SOP being read in a web process, its
# progress shared by every web process; transient, so not in an export
reading_jobs = Table(
    "reading_jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uploader", String(80), nullable=False),
    Column("filename", String(300), nullable=False, default=""),
    Column("state", String(10), nullable=False),  # engine.reading_jobs.JobState
    Column("stage", String(20), nullable=False, default=""),  # converters.reading.progress
    Column("pages_done", Integer, nullable=False, default=0),
    Column("pages_total", Integer, nullable=False, default=0),
    Column("message", Text, nullable=False, default=""),  # the reader's refusal
    Column("draft_ids", String(2000), nullable=False, default=""),  # "3,4,5"
    Column("data", LargeBinary),  # the uploaded bytes, dropped when the job ends
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("heartbeat_at", UTCDateTime, nullable=False),
    Index("ix_reading_jobs_state_updated", "state", "updated_at"),
)

# finished cases in a time window, for the "case I started finished" notification
Index("ix_instances_ended_at", instances.c.ended_at)


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row a single-row INSERT just wrote."""
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - only for executemany or a table without a key
        raise RuntimeError("INSERT did not report the new primary key")
    return int(key[0])


class DriverStatement:
    """A Core write statement of the hot path, compiled once per dialect and set of columns
    and sent as its SQL text (``Connection.exec_driver_sql``), the bound values converted by
    the columns' own types.

    Why: SQLAlchemy's ``Connection.execute`` rebuilds the parameters and the execution context
    of a cached statement on every call, about as much Python as SQLite spends writing the
    row; the text form skips that and still runs through the connection (its events, error
    translation and transaction). Only for statements whose result needs no type conversion
    (row counts, ``lastrowid``, integers); a value for a column the statement would fill from
    a Python-side default must be given (refused at the first call, so a test sees it)."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._forms: dict[tuple[str, tuple[str, ...]], _DriverForm] = {}

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> CursorResult[Any]:
        return self._execute(conn, self._form(conn, params), params)

    def first_row(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row of a statement that returns rows, as a plain tuple (None: no row).

        Why: on psycopg, the one write of a start or a completion goes straight to a
        ``RawCursor`` kept with the pooled connection (:func:`_kept_raw_cursor`), not through
        ``exec_driver_sql``, whose execution context and result object per call cost about
        80 µs of client CPU, more than the server spends on the statement. What SQLAlchemy
        would add still holds: an error is translated by the connection as its own execute
        does (the same exception classes; a dropped connection invalidated), and the
        statement runs inside the connection's transaction (or in autocommit). Whenever that
        could differ, it takes the ordinary path: a cursor event listened for (tests and
        benches count statements so), statement logging on, no transaction begun."""
        form = self._form(conn, params)
        cursor = _kept_raw_cursor(conn) if form.cursor is not None else None
        if cursor is None:
            row = self._execute(conn, form, params).first()
            return None if row is None else tuple(row)
        values = form.bind(params)
        try:
            cursor.execute(form.sql, values)
            return cursor.fetchone()
        except conn.dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy's own execute would
            conn._handle_dbapi_exception(exc, form.sql, values, cursor, None)  # raises

    def send(self, conn: Connection, params: Mapping[str, Any]) -> int | None:
        """Send a write whose answer is at most the rowid SQLite gave the row it inserted
        (returned; None elsewhere, or when nothing was inserted): on SQLite straight to the
        ``sqlite3`` cursor kept with the pooled connection (:func:`_kept_raw_cursor`), as
        :meth:`first_row` sends to psycopg's, for the same reason (``exec_driver_sql``'s
        execution context and result cost more than SQLite's own insert of the row); a
        failure raised as SQLAlchemy's execute raises it. Elsewhere, or whenever a cursor
        event is listened for, through :meth:`execute`."""
        form = self._form(conn, params)
        cursor = _kept_raw_cursor(conn) if form.raw and form.cursor is None else None
        if cursor is None:
            result = self._execute(conn, form, params)
            return result.lastrowid if conn.dialect.name == "sqlite" else None
        values = form.bind(params)
        try:
            cursor.execute(form.sql, values)
        except conn.dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy's own execute would
            conn._handle_dbapi_exception(exc, form.sql, values, cursor, None)  # raises
        rowid: int | None = cursor.lastrowid
        return rowid

    def _form(self, conn: Connection, params: Mapping[str, Any]) -> _DriverForm:
        return self._form_for(conn.dialect, params)

    def _form_for(self, dialect: Dialect, params: Mapping[str, Any]) -> _DriverForm:
        key = (dialect.name, tuple(params))
        form = self._forms.get(key)
        if form is None:
            form = self._forms[key] = _DriverForm(self.statement, dialect, key[1])
        return form

    @staticmethod
    def _execute(
        conn: Connection, form: _DriverForm, params: Mapping[str, Any]
    ) -> CursorResult[Any]:
        if form.cursor is None:
            return conn.exec_driver_sql(form.sql, form.bind(params))
        driver = conn.connection.driver_connection
        factory = driver.cursor_factory  # type: ignore[union-attr]
        driver.cursor_factory = form.cursor  # type: ignore[union-attr]
        try:
            return conn.exec_driver_sql(form.sql, form.bind(params))
        finally:
            driver.cursor_factory = factory  # type: ignore[union-attr]


class DriverQuery:
    """A Core SELECT of the hot path whose first row is read, on psycopg, through the
    ``RawCursor`` kept with the pooled connection (as :meth:`DriverStatement.first_row` sends
    a write), the columns' own result conversions applied (an aware UTC datetime, say); the
    row is a named tuple with the select's column keys as attributes. Elsewhere (SQLite, a
    cursor event listened for, no transaction begun) it is SQLAlchemy's own ``Row``.

    Why: ``Connection.execute`` of a cached select costs 50-100 µs of client CPU per call
    (cache key, execution context, result object), about what the round trip itself costs;
    a completion that was not this process's last write reads its task this way first, and
    a start the latest version of its key. On SQLite the same holds for its ``sqlite3``
    cursor (:func:`_kept_raw_cursor`): a start's read cost about 0.3 ms of client CPU in
    place through ``Connection.execute``."""

    def __init__(self, select: Select[Any]) -> None:
        self.select = select
        self._statement = DriverStatement(select)
        columns = list(select.selected_columns)
        self._row: Any = collections.namedtuple("DriverRow", [c.key for c in columns])  # type: ignore[misc]
        self._types = [c.type for c in columns]
        self._converts: dict[str, list[tuple[int, Callable[[Any], Any]]]] = {}

    def first(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        raws = self._driver_rows(conn, params, one=True)
        if raws is None:
            return conn.execute(self.select, params).first()
        return self.made(raws[0] if raws else None, conn.dialect)

    def all(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Every row, each as :meth:`first` makes its one (SQLAlchemy's ``Row`` where the
        kept cursor cannot be used). Why: the inbox page reads 20-50 task rows on every visit;
        SQLAlchemy's result builds each row through its processors and ``Row`` machinery, about
        as much client CPU again as the statement's round trip."""
        raws = self._driver_rows(conn, params, one=False)
        if raws is None:
            return list(conn.execute(self.select, params).all())
        return [self.made(raw, conn.dialect) for raw in raws]

    def _driver_rows(self, conn: Connection, params: Mapping[str, Any], *,
                     one: bool) -> list[tuple[Any, ...]] | None:  # fmt: skip
        """The driver's rows of the statement sent through the kept cursor (``one``: the
        first only, where the driver can stop there), or None where it must go through
        SQLAlchemy's execute (:func:`_kept_raw_cursor`)."""
        cursor: Any = _kept_raw_cursor(conn)
        form = self._statement._form(conn, params) if cursor is not None else None
        if form is None or not form.raw:  # (no $n form: never expected)
            return None
        values = form.bind(params)
        try:
            cursor.execute(form.sql, values)
            # SQLite: every row read, so the statement is done (reset) and holds no read
            # transaction open, as SQLAlchemy's result closes it after its first row
            if one and form.cursor is not None:
                raw = cursor.fetchone()
                return [raw] if raw is not None else []
            return list(cursor.fetchall())
        except conn.dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy's own execute would
            conn._handle_dbapi_exception(exc, form.sql, values, cursor, None)  # raises

    def made(self, raw: tuple[Any, ...] | None, dialect: Dialect) -> Any:
        """The row the driver gave, its columns converted as their types say, as a named
        tuple (None: no row)."""
        if raw is None:
            return None
        converts = self._converts.get(dialect.name)
        if converts is None:
            converts = self._converts[dialect.name] = [
                (i, f) for i, t in enumerate(self._types)
                if (f := t.dialect_impl(dialect).result_processor(dialect, None))
            ]  # fmt: skip
        if not converts:
            return self._row._make(raw)
        values = list(raw)
        for index, convert in converts:
            values[index] = convert(values[index])
        return self._row._make(values)


def _one_value(name: str) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    return lambda params: (params[name],)


def _no_values(params: Mapping[str, Any]) -> tuple[Any, ...]:
    return ()


_RAW_CURSOR = "alur_raw_cursor"  # the pooled connection's info key of its kept RawCursor


def _kept_raw_cursor(conn: Connection) -> Any:
    """The driver's cursor kept with ``conn``'s pooled connection (a ``psycopg.RawCursor``,
    or a ``sqlite3`` cursor; made at its first use; the pool clears a connection's ``info``
    when it replaces the connection), or None when a statement must go through SQLAlchemy's
    execute: a cursor event listened for, statement logging on, or no transaction begun
    (SQLAlchemy would autobegin one, and end it), unless on SQLite in a block that sends no
    BEGIN (:func:`_sqlite_begin` with ""), where SQLAlchemy's autobegun transaction sends
    nothing and each statement is its own anyway. A kept cursor also keeps psycopg's
    per-cursor adapter lookups from call to call."""
    dispatch = conn.dispatch
    if dispatch.before_cursor_execute or dispatch.after_cursor_execute or conn.engine.echo:
        return None
    sqlite = conn.dialect.name == "sqlite"
    if not (conn.in_transaction() or (sqlite and conn.info.get("alur_begin") == "")):
        return None
    if sqlite:
        return _sqlite_cursor_of(conn.connection)
    if conn.dialect.driver != "psycopg":
        return None
    return _raw_cursor_of(conn.connection)


def _sqlite_cursor_of(pooled: Any) -> Any:
    """The ``sqlite3`` cursor kept in the pooled connection's ``info``."""
    driver = pooled.driver_connection
    cursor = pooled.info.get(_RAW_CURSOR)
    if cursor is None or cursor.connection is not driver:
        cursor = pooled.info[_RAW_CURSOR] = driver.cursor()
    return cursor


def _raw_cursor_of(pooled: Any) -> Any:
    """The ``psycopg.RawCursor`` kept in the pooled connection's ``info`` (made at its first
    use, and again when the pool replaced the connection under it)."""
    driver = pooled.driver_connection
    cursor = pooled.info.get(_RAW_CURSOR)
    if cursor is None or cursor.connection is not driver or cursor.closed:
        from psycopg import RawCursor

        cursor = pooled.info[_RAW_CURSOR] = RawCursor(driver)
    return cursor


def _statements_watched(engine: Engine) -> bool:
    """Whether something wants to see each statement the engine sends: a cursor event
    listened for (tests and benches count statements so) or statement logging."""
    dispatch = engine.dispatch
    return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute or engine.echo)


_PYFORMAT = re.compile(r"%\((\w+)\)s|%%")  # psycopg's named placeholder, or an escaped %


class _DriverForm:
    """One compiled form of a :class:`DriverStatement`: its SQL and how to bind a call's
    values (positional for SQLite's ``?``; for psycopg, PostgreSQL's own ``$n``).

    Why ``$n`` for psycopg: its cursors turn ``%(name)s`` into ``$n`` on every call, and do
    not cache that for a statement longer than 4096 characters or with more than 50 values,
    which our one-statement writes can be (then a regex pass over the whole text per call).
    The ``$n`` text is made here, once, and sent through a ``psycopg.RawCursor``
    (``cursor`` here), which passes it on as it is; the values go as a tuple in ``$n`` order,
    a name bound twice sent once."""

    def __init__(self, statement: Executable, dialect: Dialect, keys: tuple[str, ...]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))  # type: ignore[attr-defined]
        prefetched = [*compiled.insert_prefetch, *compiled.update_prefetch]
        if prefetched:
            missing = ", ".join(c.key for c in prefetched)
            raise ValueError(f"DriverStatement needs a value for every defaulted column: {missing}")
        self.sql: str = compiled.string
        rendered = set()
        for bind in compiled.literal_execute_params:  # a value SQLAlchemy renders per call
            literal = compiled.render_literal_value(bind.effective_value, bind.type)
            self.sql = self.sql.replace(f"__[POSTCOMPILE_{compiled.bind_names[bind]}]", literal)
            rendered.add(compiled.bind_names[bind])
        # written into the text now: no longer a value to send (a positional form would
        # otherwise send one value more than it has placeholders)
        names = [n for n in (compiled.positiontup or compiled.binds) if n not in rendered]
        # values written into the statement itself (``state == "ready"``): bound once, here
        self._fixed = {n: compiled.binds[n].effective_value for n in names if n not in keys}
        unknown = [n for n, v in self._fixed.items() if v is None]
        if unknown:
            raise ValueError(f"DriverStatement has no value for {', '.join(unknown)}")
        escaped = compiled.escaped_bind_names or {}
        self._names = [(n, escaped.get(n, n)) for n in names]
        self._processors = {
            n: p for n in names if (p := compiled.binds[n].type.dialect_impl(dialect)
                                     .bind_processor(dialect)) is not None
        }  # fmt: skip
        self._positional = compiled.positiontup is not None
        self.cursor: type | None = None
        if not self._positional and dialect.driver == "psycopg":
            self._to_dollar()
        # whether the form can go to the driver's own cursor: psycopg's ``$n`` form
        # (:attr:`cursor`), or SQLite's ``?`` (the sqlite3 module takes it as it is)
        self.raw = self.cursor is not None or (
            dialect.name == "sqlite" and self._positional
            and self.sql.count("?") == len(self._names)  # (a "?" in a literal: never expected)
        )  # fmt: skip
        self._layout()

    def _to_dollar(self) -> None:
        """``%(name)s`` -> ``$n`` (``%%`` -> ``%``), numbered by first use. The compiler's
        binds may hold names the text does not use (an anonymous literal's unrendered key):
        only the text's own are sent. Left named when the text holds a placeholder the
        compiler did not report (never expected)."""
        from psycopg import RawCursor

        by_sent = {sent: name for name, sent in self._names}
        order: dict[str, int] = {}

        def number(match: re.Match[str]) -> str:
            sent = match.group(1)
            if sent is None:
                return "%"
            return f"${order.setdefault(sent, len(order) + 1)}"

        sql = _PYFORMAT.sub(number, self.sql)
        if not set(order) <= set(by_sent):
            return  # pragma: no cover - compiler and text disagree: keep psycopg's own form
        self.sql = sql
        self._names = [(by_sent[sent], sent) for sent in order]
        self._positional = True
        self.cursor = RawCursor

    def _layout(self) -> None:
        """Per sent value, once: where it comes from (the call's values, taken all at once by
        one ``itemgetter`` in sent order; or written into the statement, converted here), and
        which of the call's values a bind processor converts, so :meth:`bind` is one C-level
        lookup of every value plus a call per converted one (a datetime, say)."""
        processors = self._processors
        self._sent = [sent for _, sent in self._names]
        taken: list[str] = []
        self._convert: list[tuple[int, Callable[[Any], Any]]] = []  # index in the taken values
        self._insert: list[tuple[int, Any]] = []  # (index in the values sent, fixed value)
        for position, (name, _) in enumerate(self._names):
            processor = processors.get(name)
            if name in self._fixed:
                value = self._fixed[name]
                self._insert.append((position, value if processor is None else processor(value)))
                continue
            if processor is not None:
                self._convert.append((len(taken), processor))
            taken.append(name)
        # itemgetter of one name gives the value itself, of none fails: a tuple each way
        self._take: Callable[[Mapping[str, Any]], Any] = (
            operator.itemgetter(*taken) if len(taken) > 1 else _one_value(taken[0]) if taken
            else _no_values
        )  # fmt: skip

    def bind(self, params: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        values = list(self._take(params))
        for index, processor in self._convert:
            values[index] = processor(values[index])
        for index, value in self._insert:  # in ascending order: each lands where it is sent
            values.insert(index, value)
        if self._positional:
            return tuple(values)
        return dict(zip(self._sent, values, strict=True))


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
        self._writers = _WriterQueue.for_url(url) if self.dialect == "sqlite" else None
        # PostgreSQL (psycopg): the connection for statements sent alone, made at first use
        self._alone = (
            _AloneConnection(engine)
            if self.dialect == "postgresql" and engine.dialect.driver == "psycopg" else None
        )  # fmt: skip

    @classmethod
    def from_url(cls, url: str | None = None, *, busy_timeout: float = 30.0) -> Store:
        """Open ``url`` (None: ``ALUR_DATABASE_URL`` or ``instance/alur.db``).

        ``busy_timeout`` (SQLite only): seconds a writer waits for the lock before the call
        fails with :class:`engine.errors.Busy`."""
        url = url or default_url()
        if url.startswith("sqlite"):
            sqlite = _sqlite_engine(url, busy_timeout)
            hold_core_from_env(sqlite)
            return cls(sqlite, url)
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        # LIFO: a process that writes one statement at a time reuses the one connection it
        # used last (its objects, its kept cursor, its prepared statements still in the CPU
        # caches), not each pooled connection in turn; the ones left idle are pinged before
        # their next use (_ping_when_idle)
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_use_lifo=True)
        _ping_when_idle(engine)
        delay = commit_delay_setting()
        if delay:
            _group_commit(engine, delay)
        hold_core_from_env(engine)
        return cls(engine, url)

    @contextmanager
    def begin(self, write: bool = True, *, snapshot: bool = True) -> Iterator[Connection]:
        """One transaction; ``write`` takes SQLite's write lock up front (BEGIN IMMEDIATE).

        ``snapshot=False`` (reads only): the reads need no common snapshot (one statement, or
        statements that do not have to agree), so each sees its own, as every PostgreSQL read
        does, and SQLite gets no BEGIN/COMMIT either.
        A lock that outlasts the busy timeout surfaces as the engine's retryable
        :class:`~engine.errors.Busy`, never as a raw "database is locked" OperationalError;
        the transaction is rolled back, so nothing is half-written."""
        if not write:
            shared = self._shared_reader()
            if shared is not None:
                with _busy_on_lock(), shared.read(snapshot) as conn:
                    yield conn
                return
        with _busy_on_lock(), self.engine.connect() as conn:
            # PostgreSQL: READ COMMITTED gives every statement its own snapshot anyway, so a
            # read transaction only adds a BEGIN and a COMMIT round trip: autocommit reads
            autocommit = not write and self.dialect == "postgresql"
            begin = "BEGIN IMMEDIATE" if write else "BEGIN" if snapshot else ""
            with (
                _pg_autocommit(conn, autocommit),
                self._queue(write, conn),
                _sqlite_begin(conn, begin),
                conn.begin(),
            ):
                yield conn

    @contextmanager
    def one_reader(self) -> Iterator[None]:
        """Within this block, this thread's reads (``begin(write=False)``) share one pooled
        connection, checked out at the first read and returned at the end, instead of one
        checkout each: a web request makes several reads (the user, the page's query, the
        header's counts), and a checkout with its reset costs about as much as a one-row read
        (SQLite ~35 µs, PostgreSQL ~70 µs of client CPU).

        Nothing else changes: each read is still its own statement or transaction, so no
        snapshot is held between them (SQLite's checkpoints are never blocked) and every read
        sees what was committed before it; writes check out their own connection. A read made
        while another is open on the shared connection (nested) checks out its own, and a
        read that fails gives the shared connection up. Blocks nest (the outer one owns it)."""
        if _SHARED.get() is not None:
            yield
            return
        shared = _SharedReader(self)
        token = _SHARED.set(shared)
        try:
            yield
        finally:
            _SHARED.reset(token)
            shared.close()

    def _shared_reader(self) -> _SharedReader | None:
        shared = _SHARED.get()
        if shared is None or shared.store is not self or shared.busy:
            return None
        return shared

    def _queue(
        self, write: bool, conn: Connection | None = None
    ) -> contextlib.AbstractContextManager[None]:
        """A SQLite write waits its turn in :class:`_WriterQueue` (reads never wait);
        ``conn`` is the writing connection (it checkpoints after the turn when one is due)."""
        if write and self._writers is not None:
            return self._writers.turn(conn)
        return contextlib.nullcontext()

    @contextmanager
    def read_then_write(self, *, one_write_statement: bool = False) -> Iterator[ReadThenWrite]:
        """Optimistic work on one connection: reads that lock nothing, the caller's work
        outside the database (SpiffWorkflow's), then :meth:`ReadThenWrite.write`, whose
        statements must check that what was read is still so (a version counter).

        SQLite: the reads run without a transaction (each statement its own snapshot) and only
        the write holds the write lock (BEGIN IMMEDIATE), so a second worker's SpiffWorkflow
        work overlaps this one's. PostgreSQL: one READ COMMITTED transaction from the first
        read to the commit (its writes take the row locks): no BEGIN/COMMIT of its own for the
        reads, no isolation level switched on the connection.

        ``one_write_statement``: the caller's write is a single statement on PostgreSQL, atomic
        on its own (nothing to roll back after it), so reads and write run in autocommit:
        no BEGIN and no COMMIT round trip, the statement durable when it returns."""
        with _busy_on_lock(), self.engine.connect() as conn:
            if self.dialect == "sqlite":
                with _sqlite_begin(conn, ""):
                    yield ReadThenWrite(conn, sqlite=True, queue=self._queue)
            else:
                with _pg_autocommit(conn, one_write_statement), conn.begin():
                    yield ReadThenWrite(conn, sqlite=False)

    def first_row_alone(
        self, statement: DriverStatement, params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        """PostgreSQL: ``statement`` sent on its own in autocommit, and its first row (None:
        no row). The statement must be atomic by itself, as one statement is, and is durable
        when it returns: the one write of a warm start (:func:`engine.commands._start_write`)
        or of a warm completion (:func:`engine.commands._write_completion`), which read
        nothing before it.

        Why not :meth:`read_then_write`: around one statement, the pool's checkout and checkin
        with their events and reset, SQLAlchemy's ``Connection`` and its transaction (a begin,
        and a commit that reaches psycopg as a no-op), and switching psycopg's autocommit on
        and off again cost about 0.3 ms of client CPU on a start, measured in place (after
        the SpiffWorkflow work, with the caches cold): more than sending the statement and
        reading its answer, and as much as all else the engine adds to SpiffWorkflow's own
        start. So the statement goes to the connection the store keeps for statements sent
        alone (:class:`_AloneConnection`: always in autocommit, its cursor kept); a thread
        that finds it busy takes one from the pool (:meth:`_first_row_pooled`).

        What SQLAlchemy adds still holds: a failure is raised as its own execute raises it,
        by a ``Connection`` made around the same connection (the same exception classes, its
        ``handle_error`` events; a dropped connection reported invalidated), and the kept
        connection is then dropped, the next call on a fresh one. When a cursor event is
        listened for or statements are logged, the ordinary path is taken: they see the
        statement."""
        engine = self.engine
        alone = self._alone
        if alone is None or _statements_watched(engine):
            with self.read_then_write(one_write_statement=True) as phases, phases.write() as conn:
                return statement.first_row(conn, params)
        if not alone.lock.acquire(blocking=False):
            return self._first_row_pooled(statement, params)
        try:
            return self._on_alone(alone, statement, params)
        finally:
            alone.lock.release()

    def _on_alone(
        self, alone: _AloneConnection, statement: DriverStatement, params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        """``statement`` sent on the kept connection (its lock held by the caller): the
        driver's first row; a failure raised as SQLAlchemy raises it, the connection dropped
        (:meth:`_AloneConnection.failed`)."""
        dialect = self.engine.dialect
        cursor = alone.cursor()
        form = statement._form_for(dialect, params)
        values = form.bind(params)
        try:
            cursor.execute(form.sql, values)
            row: tuple[Any, ...] | None = cursor.fetchone()
        except dialect.loaded_dbapi.Error as exc:
            alone.failed(exc, form.sql, values)
        return row

    def first_alone(self, query: DriverQuery, params: Mapping[str, Any]) -> Any:
        """PostgreSQL: ``query``'s first row (as :meth:`DriverQuery.first` gives it; None: no
        row), read on the connection the store keeps for statements sent alone
        (:meth:`first_row_alone`), in autocommit: what a completion that did not write the
        case last reads before its one write statement, which then goes the same way, and a
        cold start's read of its definition (the first start of a key in a process, or the
        first after a deploy) before its one insert statement.

        Why: the read used to take a pooled connection for itself and the write after it
        (:meth:`read_then_write`): the checkout and checkin with their events, SQLAlchemy's
        ``Connection`` and its transaction and the autocommit switched on and off again, 20-30
        µs of client CPU a completion, for a statement that needs none of it (each is its own
        transaction; the write checks that what was read still holds). Elsewhere, with
        statements watched, or the kept connection busy in another thread: one read on a
        pooled connection in autocommit (:meth:`begin` ``write=False, snapshot=False``), as
        :meth:`Commands.open_task` reads."""
        engine = self.engine
        alone = self._alone
        if alone is None or _statements_watched(engine) or not alone.lock.acquire(blocking=False):
            with self.begin(write=False, snapshot=False) as conn:
                return query.first(conn, params)
        try:
            return query.made(self._on_alone(alone, query._statement, params), engine.dialect)
        finally:
            alone.lock.release()

    def _first_row_pooled(
        self, statement: DriverStatement, params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        """:meth:`first_row_alone` on a connection of the pool, taken without a
        ``Connection`` around it and switched to autocommit for the statement."""
        engine = self.engine
        dialect = engine.dialect
        error = dialect.loaded_dbapi.Error
        try:
            pooled = engine.raw_connection()
        except error as exc:  # as Connection() raises a failed checkout
            Connection._handle_dbapi_exception_noconnection(exc, dialect, engine)
        driver: Any = pooled.driver_connection
        try:
            driver.autocommit = True
            form = statement._form_for(dialect, params)
            cursor = _raw_cursor_of(pooled)
            values = form.bind(params)
            try:
                cursor.execute(form.sql, values)
                row: tuple[Any, ...] | None = cursor.fetchone()
            except error as exc:  # raised (and the connection invalidated) as SQLAlchemy's
                Connection(engine, connection=pooled)._handle_dbapi_exception(  # execute
                    exc, form.sql, values, cursor, None
                )
            return row
        finally:
            if pooled.is_valid:  # back to the pool as it came: not in autocommit
                try:
                    driver.autocommit = False
                except Exception:  # a broken connection: dropped, never pooled in autocommit
                    pooled.invalidate()
            pooled.close()

    def upgrade(self, revision: str = "head") -> None:
        """Run the Alembic migrations up to ``revision`` (creates the tables on a new store)."""
        from alembic import command

        self._migrate(command.upgrade, revision)

    def downgrade(self, revision: str) -> None:
        """Run the Alembic migrations down to ``revision`` (the way back each one promises)."""
        from alembic import command

        self._migrate(command.downgrade, revision)

    def _migrate(self, step: Callable[[Any, str], None], revision: str) -> None:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            step(cfg, revision)
            conn.commit()

    def current_revision(self) -> str | None:
        """The Alembic revision the database is at (None before the first upgrade)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def dispose(self) -> None:
        if self._alone is not None:
            self._alone.close()
        self.engine.dispose()


class _SharedReader:
    """The connection of one :meth:`Store.one_reader` block (checked out at its first read)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.busy = False
        self._conn: Connection | None = None
        self._autocommit: contextlib.ExitStack | None = None

    @contextmanager
    def read(self, snapshot: bool) -> Iterator[Connection]:
        """One read on the shared connection, as :meth:`Store.begin` makes it."""
        if self._conn is None:
            self._conn = self.store.engine.connect()
            if self.store.dialect == "postgresql":  # reads only: autocommit for the block
                self._autocommit = contextlib.ExitStack()
                self._autocommit.enter_context(_pg_autocommit(self._conn, True))
        conn = self._conn
        self.busy = True
        try:
            with _sqlite_begin(conn, "BEGIN" if snapshot else ""), conn.begin():
                yield conn
        except BaseException:
            self.close()  # whatever state it was left in, no later read inherits it
            raise
        finally:
            self.busy = False

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if self._autocommit is not None:
                self._autocommit.close()
        finally:
            self._autocommit = None
            conn.close()


_SHARED: ContextVar[_SharedReader | None] = ContextVar("alur_shared_reader", default=None)


IDLE_PING_SECONDS = 10.0
"""A pooled connection idle longer than this is pinged before use (a restarted server or a
dropped network leaves dead connections in the pool); a busy one is not, saving a round trip
per transaction that ``pool_pre_ping`` would spend."""

CHECKPOINT_EVERY = 24
"""SQLite: the write transactions of a process between two of its WAL checkpoints. A
completion writes ~36 WAL frames, so about 850 frames (SQLite's own default is 1000)."""


COMMIT_DELAY_ENV = "ALUR_PG_COMMIT_DELAY"
"""Microseconds a PostgreSQL commit waits, while another transaction is writing, for that
one's commit to share its WAL flush (``commit_delay`` with ``commit_siblings = 1``, set per
session); unset or 0: the server's own settings. See docs/deployment.md."""


def commit_delay_setting() -> int:
    """:data:`COMMIT_DELAY_ENV` as whole microseconds (0: unset); a clear error when it is not
    a number PostgreSQL takes (0 to 100000)."""
    raw = os.environ.get(COMMIT_DELAY_ENV, "").strip()
    if not raw:
        return 0
    if not raw.isdigit() or int(raw) > 100_000:
        raise ValueError(
            f"{COMMIT_DELAY_ENV} harus bilangan bulat mikrodetik 0-100000 "
            f"(must be whole microseconds, 0-100000): {raw!r}"
        )
    return int(raw)


def _group_commit(engine: Engine, delay_us: int) -> None:
    """Each new PostgreSQL session sets ``commit_delay`` to ``delay_us`` and then
    ``commit_siblings`` to 1, where the role may set ``commit_delay`` (a superuser, or PG 15's
    ``GRANT SET ON PARAMETER commit_delay``); a role that may not keeps the server's settings
    without a word (a DBA sets them in postgresql.conf instead).

    Why siblings 1: a commit then waits only while at least one other transaction is
    writing, whose commit can join its flush (two workers' flushes otherwise never combine:
    PostgreSQL flushes up to the WAL inserted when the flush starts); a lone writer never
    waits. The server's default, 5, can never trigger with two workers. Durability is
    unchanged: every commit still returns only once its WAL is flushed."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        import psycopg

        autocommit = dbapi_conn.autocommit
        dbapi_conn.autocommit = True  # SET takes effect for the session, outside a transaction
        try:
            with dbapi_conn.cursor() as cur:
                # one round trip; after a refused commit_delay the rest is not run
                cur.execute(f"SET commit_delay = {int(delay_us)}; SET commit_siblings = 1")
        except psycopg.errors.InsufficientPrivilege:
            pass  # the server's own settings stay
        finally:
            dbapi_conn.autocommit = autocommit


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


class ReadThenWrite:
    """The connection of :meth:`Store.read_then_write`, and its write phase."""

    def __init__(
        self,
        conn: Connection,
        *,
        sqlite: bool,
        queue: Callable[[bool, Connection], contextlib.AbstractContextManager[None]] | None = None,
    ) -> None:
        self.conn = conn
        self._sqlite = sqlite
        self._queue = queue or (lambda write, conn: contextlib.nullcontext())

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """The write transaction (SQLite: BEGIN IMMEDIATE now; PostgreSQL: the one open)."""
        if not self._sqlite:
            yield self.conn
            return
        if self.conn.in_transaction():
            self.conn.commit()  # the reads' autobegun transaction (SQLite: no BEGIN was sent)
        with (
            self._queue(True, self.conn),
            _sqlite_begin(self.conn, "BEGIN IMMEDIATE"),
            self.conn.begin(),
        ):
            yield self.conn


class _AloneConnection:
    """The connection a PostgreSQL :class:`Store` keeps for statements sent alone
    (:meth:`Store.first_row_alone`): one per store, made by the pool (its ``connect`` events
    ran: the session settings) and then detached from it, so the pool's own connections all
    stay for everything else; in autocommit for its whole life, its ``RawCursor`` kept; used
    by one thread at a time (:attr:`lock`; a thread that finds it busy uses the pool).

    Idle longer than :data:`IDLE_PING_SECONDS`, it is pinged before use (as the pool's
    connections are, :func:`_ping_when_idle`), and made again if the ping fails: a write is
    never sent on a connection that may have died unseen. A failed statement drops it
    (:meth:`failed`); a process forked from this one makes its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lock = threading.Lock()
        self._pooled: Any = None  # the detached pool connection (SQLAlchemy's proxy of it)
        self._driver: Any = None  # its psycopg connection
        self._cursor: Any = None
        self._pid = 0
        self._used = 0.0  # time.monotonic() of its last use

    def cursor(self) -> Any:
        """The kept cursor, its connection made (again) or pinged as needed. Hold :attr:`lock`."""
        now = time.monotonic()
        if self._pooled is not None:
            if self._pid != os.getpid():  # a forked child: the parent's socket is not its own
                self._pooled = self._driver = self._cursor = None
            elif now - self._used >= IDLE_PING_SECONDS and not self._answers():
                self.close()
        if self._pooled is None:
            self._connect()
        self._used = now
        return self._cursor

    def _answers(self) -> bool:
        try:
            self._cursor.execute("SELECT 1")
            self._cursor.fetchone()
        except Exception:
            return False
        return True

    def _connect(self) -> None:
        from psycopg import RawCursor

        engine = self.engine
        dialect = engine.dialect
        try:
            pooled = engine.raw_connection()
        except dialect.loaded_dbapi.Error as exc:  # as Connection() raises a failed checkout
            Connection._handle_dbapi_exception_noconnection(exc, dialect, engine)
        driver: Any = pooled.driver_connection
        try:
            pooled.detach()  # from now on closed by us (_close_quietly), never pooled
            driver.autocommit = True
            self._cursor = RawCursor(driver)
        except BaseException:
            _close_quietly(driver)
            raise
        self._pooled, self._driver, self._pid = pooled, driver, os.getpid()

    def failed(self, exc: Exception, sql: str, values: Any) -> NoReturn:
        """Raise ``exc`` as SQLAlchemy's execute would (its exception classes, ``handle_error``
        events, the pool invalidated on a disconnect), the connection dropped whatever the
        failure: the next statement goes on a fresh one. Hold :attr:`lock`."""
        pooled, driver, cursor = self._pooled, self._driver, self._cursor
        self._pooled = self._driver = self._cursor = None
        try:
            Connection(self.engine, connection=pooled)._handle_dbapi_exception(
                exc, sql, values, cursor, None
            )
        finally:
            _close_quietly(driver)

    def close(self) -> None:
        driver = self._driver
        self._pooled = self._driver = self._cursor = None
        if driver is not None:
            _close_quietly(driver)


def _close_quietly(driver: Any) -> None:
    """Close a psycopg connection detached from the pool (no pool takes it back: a pool
    connection's proxy would roll back and log on a dead one first)."""
    with contextlib.suppress(Exception):  # a dead connection: nothing left to close
        driver.close()


class _WriterQueue:
    """The SQLite writers of one database file take turns in the kernel (``flock`` on a side
    file, ``<db>-writers``) before ``BEGIN IMMEDIATE``.

    Why: a writer that finds the write lock taken waits in SQLite's busy handler, which sleeps
    in steps of up to 100 ms and so leaves the lock idle long after it was released; with two
    workers, completions/s fell below one worker's. A blocked ``flock`` wakes the moment the
    holder is done. SQLite's lock still guards the data (and other programs, who do not queue
    here); a killed holder's turn ends with its process. Re-entrant per thread: a write opened
    inside another write of the same thread does not wait for itself."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._held = threading.local()
        self._writes = 0  # this process's write transactions (a race only shifts a checkpoint)

    @classmethod
    def for_url(cls, url: str) -> _WriterQueue | None:
        path = url.split("///", 1)[1].split("?", 1)[0] if "///" in url else ""
        if not path or path == ":memory:":
            return None
        return cls(path + "-writers")

    @contextmanager
    def turn(self, conn: Connection | None = None) -> Iterator[None]:
        """This thread's turn to write; ``conn`` (the writing connection) checkpoints the WAL
        after the turn when one is due (:meth:`_checkpoint_when_due`)."""
        if self.held():
            yield
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # a read-only folder: SQLite's busy handler alone, as before
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._held.fd = fd
            yield
        finally:
            self._held.fd = None
            os.close(fd)  # ends the turn
        if conn is not None:  # only after a write that did not fail
            self._checkpoint_when_due(conn)

    def held(self) -> bool:
        """Whether this thread is inside its turn now."""
        return getattr(self._held, "fd", None) is not None

    def _checkpoint_when_due(self, conn: Connection) -> None:
        """Every :data:`CHECKPOINT_EVERY` write transactions of this process, a PASSIVE
        checkpoint, after the turn ended.

        Why: SQLite's own automatic checkpoint (switched off on our connections, see
        :func:`_sqlite_engine`) runs inside the COMMIT that crosses its threshold, so the
        writer copies the WAL into the database and waits for two fsyncs (milliseconds) while
        it still holds the turn, and every other worker waits with it. A PASSIVE checkpoint
        made after the turn overlaps the next writer's work (it never blocks a writer or a
        reader); one that cannot finish now is finished by a later one."""
        self._writes += 1
        if self._writes % CHECKPOINT_EVERY:
            return
        try:
            conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                "PRAGMA wal_checkpoint(PASSIVE)"
            ).close()
        except sqlite3.Error:  # busy, say: the next checkpoint does it
            return


@contextmanager
def _sqlite_begin(conn: Connection, statement: str) -> Iterator[None]:
    """What SQLite's begin (``_do_begin``) sends for transactions begun inside this block ("" for
    none: autocommit statements). Kept in the pooled connection's ``info``, so put back as
    it was: a later checkout's transactions get the plain BEGIN."""
    previous = conn.info.get("alur_begin")
    conn.info["alur_begin"] = statement
    try:
        yield
    finally:
        if previous is None:
            conn.info.pop("alur_begin", None)
        else:
            conn.info["alur_begin"] = previous


@contextmanager
def _pg_autocommit(conn: Connection, on: bool) -> Iterator[None]:
    """``on``: this checkout's statements run without BEGIN/COMMIT (PostgreSQL), psycopg's own
    autocommit switched on, and off again before the connection goes back to the pool.

    Why not SQLAlchemy's ``isolation_level="AUTOCOMMIT"`` option: its bookkeeping at checkout
    and at checkin cost about 0.1 ms of client CPU per read, as much as the read itself.
    SQLAlchemy's own begin/commit around the block reach psycopg as no-ops (a connection in
    autocommit is never inside a transaction)."""
    if not on:
        yield
        return
    driver = conn.connection.driver_connection
    driver.autocommit = True  # type: ignore[union-attr]
    try:
        yield
    finally:
        try:
            driver.autocommit = False  # type: ignore[union-attr]
        except Exception:  # a broken connection: dropped, never pooled in autocommit
            conn.invalidate()


@contextmanager
def _busy_on_lock() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        if _is_lock_error(exc):
            from engine.errors import Busy

            raise Busy() from None
        raise


def _is_lock_error(exc: OperationalError) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return any(m in text for m in ("database is locked", "database is busy", "table is locked"))


def _sqlite_engine(url: str, busy_timeout: float = 30.0) -> Engine:
    path = url.split("///", 1)[1] if "///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout}, pool_use_lifo=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        # checkpoints are made after a writer's turn (_WriterQueue._checkpoint_when_due), not
        # inside the COMMIT that crosses SQLite's threshold
        cur.execute("PRAGMA wal_autocheckpoint=0")
        cur.close()

    def _do_begin(dbapi_conn: Any) -> None:
        # the dialect's begin, not a "begin" event listener: any connection event makes
        # SQLAlchemy dispatch four (empty) event lists around every statement of the app
        begin = dbapi_conn.info.get("alur_begin", "BEGIN")  # set by Store.begin
        if begin:
            cursor = dbapi_conn.cursor()
            try:
                cursor.execute(begin)
            finally:
                cursor.close()

    engine.dialect.do_begin = _do_begin  # type: ignore[method-assign,assignment]
    return engine
