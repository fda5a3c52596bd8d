"""Migration 0012: PostgreSQL compresses ``instances.state`` with LZ4 (pglz before), so the
server's part of every start and completion costs less CPU; states written before it still
read, and each is stored with LZ4 at its next change. Down again: pglz."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.store import Store

from .conftest import SURAT, drop_schema, make_kit, make_store

pytestmark = pytest.mark.postgres


@pytest.fixture
def old_store(tmp_path: Path) -> Iterator[Store]:
    """A PostgreSQL store of its own at migration 0011 (the revision before LZ4)."""
    store, schema = make_store("postgresql", tmp_path, "0011")
    assert schema is not None
    try:
        yield store
    finally:
        store.dispose()
        drop_schema(schema)


def lz4_built(store: Store) -> bool:
    with store.engine.connect() as conn:
        values = conn.exec_driver_sql(
            "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
        ).scalar_one()
    return "lz4" in values


def column_method(store: Store) -> str:
    """The compression set on ``instances.state`` ("" = the server's default)."""
    with store.engine.connect() as conn:
        return str(conn.exec_driver_sql(
            "SELECT attcompression FROM pg_attribute "
            "WHERE attrelid = 'instances'::regclass AND attname = 'state'"
        ).scalar_one())  # fmt: skip


def stored_methods(store: Store) -> dict[int, str]:
    """Each instance's state as stored: its compression method."""
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, pg_column_compression(state) FROM instances ORDER BY id"
        ).all()
    return {int(i): str(m) for i, m in rows}


def test_states_move_to_lz4_as_they_change_and_old_ones_still_read(old_store: Store) -> None:
    store = old_store
    if not lz4_built(store):
        pytest.skip("PostgreSQL built without LZ4: the migration leaves pglz")
    kit = make_kit(store)
    kit.definitions.deploy(SURAT.read_bytes())
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum", "Kepala Dinas"])
    before = [kit.runtime.start("sop_surat_keluar", lanes["Staf"]).id for _ in range(2)]
    assert column_method(store) == "" and set(stored_methods(store).values()) == {"pglz"}

    store.upgrade()
    assert column_method(store) == "l"
    # another process's runtime: its completion reads the pglz state from the database
    fresh = make_kit(store)
    task = fresh.runtime.instance_tasks(before[0])[0]
    fresh.runtime.complete(task.id, lanes["Staf"])
    after = fresh.runtime.start("sop_surat_keluar", lanes["Staf"]).id
    assert stored_methods(store) == {before[0]: "lz4", before[1]: "pglz", after: "lz4"}
    fresh.drive(before[1], lanes)  # the untouched old state, worked to its end
    assert fresh.runtime.instance(before[1]).status == "completed"
    assert [i for i in (*before, after) if fresh.runtime.check_consistency(i)] == []

    store.downgrade("0011")
    assert column_method(store) == "p"
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE instances SET state = state || '' WHERE id = :i"),
                     {"i": after})  # fmt: skip
    assert stored_methods(store)[after] == "pglz"
