"""Migration 0014: on PostgreSQL a completion's UPDATE of its case row is a HOT update (no new
entry in the instance indexes), because the table's pages keep room for the new version.

Measured with the server's own counters (``pg_stat_user_tables``): without the fill factor
about 40 % of the completions' instance updates were not HOT (``bench/issue14.py`` workers)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.store import DriverStatement, Store
from tests.engine.conftest import SURAT, drop_schema, make_kit, make_store

pytestmark = pytest.mark.postgres


def _reloptions(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        found = conn.execute(sa.text(
            "SELECT c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relname = 'instances' AND n.nspname = current_schema()")).scalar()
    return list(found or [])


def _updates(store: Store) -> tuple[int, int]:
    """(updates, HOT updates) of ``instances`` in this schema, as the server counted them."""
    with store.engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
            " WHERE relname = 'instances' AND schemaname = current_schema()")).one()
    return int(row[0]), int(row[1])


def test_migration_0014_sets_and_resets_the_fill_factor(tmp_path: Path) -> None:
    store, schema = make_store("postgresql", tmp_path, "0013")
    try:
        assert _reloptions(store) == []
        store.upgrade()
        assert _reloptions(store) == ["fillfactor=70"]
        store.downgrade("0013")
        assert _reloptions(store) == []
        assert store.current_revision() == "0013"
    finally:
        store.dispose()
        if schema:
            drop_schema(schema)


def test_completions_update_the_case_row_in_place(tmp_path: Path) -> None:
    store, schema = make_store("postgresql", tmp_path)
    try:
        kit = make_kit(store)
        kit.definitions.deploy(SURAT.read_bytes())
        staff = kit.user_per_lane(["Staf"])["Staf"]
        # enough cases to fill many pages (a row is ~1.4 kB: five or six to a packed page)
        firsts = [kit.runtime.instance_tasks(kit.runtime.start("sop_surat_keluar", staff).id)[0]
                  for _ in range(60)]  # fmt: skip
        updated_before, _ = _updates_settled(store, 0)
        for task in firsts:
            kit.runtime.complete(task.id, staff)
        updated, hot = _updates_settled(store, updated_before + len(firsts))
        assert updated - updated_before >= len(firsts)
        assert hot == updated  # every update of a case row stayed on its page
    finally:
        store.dispose()
        if schema:
            drop_schema(schema)


def _updates_settled(store: Store, at_least: int) -> tuple[int, int]:
    """The counters once the backends have reported (they report when idle, within ~1 s)."""
    deadline = time.monotonic() + 15
    flush = DriverStatement(sa.select(sa.func.pg_stat_force_next_flush()))
    while True:
        # the pooled connection and the one the store keeps apart for completions report
        # now, not when idle for ten seconds
        with store.engine.connect() as conn:
            conn.execute(flush.statement)
        store.first_row_alone(flush, {})
        counted = _updates(store)
        if counted[0] >= at_least or time.monotonic() > deadline:
            return counted
        time.sleep(0.3)
