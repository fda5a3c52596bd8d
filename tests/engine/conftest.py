"""Engine test fixtures: a fresh store per test, on SQLite and on the real PostgreSQL.

The PostgreSQL variant uses its own database (``alur_engine_test``, created when missing) and a
new schema per test, so other helpers sharing the server's ``test`` database are never touched;
it skips with a message when 127.0.0.1:5432 cannot be reached.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from engine.definitions import Definitions
from engine.runtime import Runtime
from engine.store import Store
from engine.users import Users

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_SERVER = os.environ.get("ALUR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_DB = "alur_engine_test"
_pg_state: dict[str, str | None] = {}


def pg_available() -> str | None:
    """None when usable, else the reason to skip (checked once per session)."""
    if "reason" in _pg_state:
        return _pg_state["reason"]
    reason: str | None = None
    try:
        import psycopg

        dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn + "/postgres", autocommit=True, connect_timeout=3) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,))
            if found.fetchone() is None:
                with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                    conn.execute(f'CREATE DATABASE "{PG_DB}"')
    except Exception as exc:  # any failure means: no usable server here
        reason = f"PostgreSQL tidak tersedia di {PG_SERVER}: {type(exc).__name__}"
    _pg_state["reason"] = reason
    return reason


def pg_schema_url(schema: str) -> str:
    return f"{PG_SERVER}/{PG_DB}?options=-csearch_path%3D{schema}"


def make_store(
    kind: str, tmp_path: Path, revision: str = "head"
) -> tuple[Store, str | None]:
    """A store of ``kind`` ("sqlite" or "postgresql": a schema of its own) migrated up to
    ``revision``, and its PostgreSQL schema (None for SQLite)."""
    if kind == "sqlite":
        store = Store.from_url(f"sqlite:///{tmp_path / 'alur.db'}")
        store.upgrade(revision)
        return store, None
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/" + PG_DB
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    store = Store.from_url(pg_schema_url(schema))
    store.upgrade(revision)
    return store, schema


def drop_schema(schema: str) -> None:
    import psycopg

    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/" + PG_DB
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextlib.contextmanager
def store_of(kind: str, tmp_path: Path) -> Iterator[Store]:
    """:func:`make_store`'s store for the length of a ``with``, disposed (and its PostgreSQL
    schema dropped) after."""
    store, schema = make_store(kind, tmp_path)
    try:
        yield store
    finally:
        store.dispose()
        if schema:
            drop_schema(schema)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with store_of(request.param, tmp_path) as made:
        yield made


@pytest.fixture
def pg_store(tmp_path: Path) -> Iterator[Store]:
    """A PostgreSQL store of its own (skipped with a message where none can be reached)."""
    with store_of("postgresql", tmp_path) as made:
        yield made


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store, _ = make_store("sqlite", tmp_path)
    yield store
    store.dispose()


# -- an engine over a store, with a controllable clock ------------------------------------------

SURAT = FIXTURES / "surat_keluar.bpmn"
SCRATCH = FIXTURES / "from_scratch.bpmn"
MONDAY_0900_WIB = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand (no sleeping, no timing assertions)."""

    def __init__(self, now: datetime = MONDAY_0900_WIB) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


@dataclass
class EngineKit:
    store: Store
    users: Users
    definitions: Definitions
    runtime: Runtime
    clock: FakeClock
    last_reject_at: str | None = None  # the decision step drive() rejected, if any

    def user_per_lane(self, lanes: tuple[str, ...] | list[str]) -> dict[str, str]:
        """One user per lane (named u1, u2, ...), plus an admin "admin"; returns lane -> user."""
        out: dict[str, str] = {}
        existing = {u.username for u in self.users.list()}
        for i, lane in enumerate(lanes, start=1):
            name = f"u{i}"
            if name not in existing:
                self.users.add(name, [lane])
            out[lane] = name
        if "admin" not in existing:
            self.users.add("admin", [], is_admin=True)
        return out

    def drive(
        self, instance_id: int, lane_users: dict[str, str], reject_first: int = 0,
        max_steps: int = 200,
    ) -> dict[str, int]:  # fmt: skip
        """Work an instance to its end: approve every decision, except that the first
        decision step met is rejected ``reject_first`` times. Returns completions per step."""
        done: dict[str, int] = {}
        reject_at: str | None = None
        rejects = 0
        for _ in range(max_steps):
            ready = [t for t in self.runtime.instance_tasks(instance_id) if t.state == "ready"]
            if not ready:
                break
            task = ready[0]
            decision = None
            comment = ""
            if task.allowed_decisions:
                if reject_at is None:
                    reject_at = task.element_id
                if task.element_id == reject_at and rejects < reject_first:
                    decision, comment = task.allowed_decisions[1], f"perbaiki ({rejects + 1})"
                    rejects += 1
                else:
                    decision = task.allowed_decisions[0]
            self.runtime.complete(task.id, lane_users[task.role], decision, comment)
            done[task.element_id] = done.get(task.element_id, 0) + 1
        self.last_reject_at = reject_at if rejects else None
        return done


def make_kit(store: Store, config: dict | None = None) -> EngineKit:
    clock = FakeClock()
    definitions = Definitions(store, config)
    return EngineKit(store, Users(store), definitions, Runtime(store, definitions, clock=clock),
                     clock)  # fmt: skip


@pytest.fixture
def kit(store: Store) -> EngineKit:
    return make_kit(store)


@pytest.fixture
def pg_surat_kit(pg_store: Store) -> EngineKit:
    """A PostgreSQL kit with the letter process deployed and one Staf user, "staf"."""
    kit = make_kit(pg_store)
    kit.definitions.deploy(SURAT.read_bytes())
    kit.users.add("staf", ["Staf"])
    return kit
