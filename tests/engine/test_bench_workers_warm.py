"""Issue 14's workers bench, ``path=warm``: each worker completes cases it started itself (on
PostgreSQL the warm path: its state cache holds them), by default cases the bench process
started (the cold path). A wrong split would not fail, only print a figure of the other path:
so the cases each side completed are checked here, on SQLite (same worker program)."""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa

from engine.store import Store, audit, instances

from .conftest import SURAT, make_kit

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import issue14_workers as workers  # noqa: E402


def _completed_cases(store: Store) -> dict[str, list[str]]:
    """Who started each case a worker completed: completing user -> the cases' starters."""
    query = (
        sa.select(audit.c.user, instances.c.started_by)
        .join(instances, instances.c.id == audit.c.instance_id)
        .where(audit.c.action == "complete")
    )
    out: dict[str, list[str]] = {}
    with store.begin(write=False) as conn:
        for user, starter in conn.execute(query):
            out.setdefault(user, []).append(starter)
    return out


def test_warm_workers_complete_the_cases_they_started(sqlite_store: Store) -> None:
    kit = make_kit(sqlite_store)
    kit.users.add("staf", ["Staf"])
    kit.definitions.deploy(SURAT.read_bytes())
    sides = workers.measure(sqlite_store, kit.runtime, 1, 2, {"w": {"path": "warm"}})
    assert len(sides["w"].batches[1]) == len(sides["w"].batches[2]) == 1
    done = _completed_cases(sqlite_store)
    # the warm-up completion of each worker is a case the bench started; every other one is
    # the worker's own: A did 2 (alone) + 2 (with B), B did 2
    assert sorted(done) == ["staf1", "staf2"]
    assert sorted(done["staf1"]) == ["staf"] + ["staf1"] * 4
    assert sorted(done["staf2"]) == ["staf"] + ["staf2"] * 2


def test_by_default_workers_complete_cases_the_bench_started(sqlite_store: Store) -> None:
    kit = make_kit(sqlite_store)
    kit.users.add("staf", ["Staf"])
    kit.definitions.deploy(SURAT.read_bytes())
    workers.measure(sqlite_store, kit.runtime, 1, 2, {"c": {}})
    done = _completed_cases(sqlite_store)
    assert {starter for starters in done.values() for starter in starters} == {"staf"}
    assert len(done["staf1"]) == 5 and len(done["staf2"]) == 3
