"""Backup and restore: an export restored into a new database continues every open case."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from engine.backup import export_archive, import_archive
from engine.errors import BadInput
from engine.store import Store
from tests.engine.conftest import SURAT, EngineKit, make_kit, make_store


def _open_cases(kit: EngineKit, lanes: dict[str, str]) -> dict[int, int]:
    """Three cases at different points, one finished; returns instance id -> ready tasks."""
    kit.definitions.deploy(SURAT.read_bytes(), "surat.bpmn", "analis")
    ids = []
    for n in range(4):
        inst = kit.runtime.start("sop_surat_keluar", lanes["Staf"], title=f"Surat {n}")
        ids.append(inst.id)
    # case 1: one step done with an attachment; case 2: rejected once; case 3: finished
    first = next(t for t in kit.runtime.instance_tasks(ids[1]) if t.state == "ready")
    kit.runtime.complete(first.id, lanes[first.role], attachments=[f"{ids[1]}/ab12cd34-konsep.pdf"])
    kit.drive(ids[3], lanes)
    return {
        i: len([t for t in kit.runtime.instance_tasks(i) if t.state == "ready"]) for i in ids
    }


@pytest.mark.parametrize(
    "target", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_restored_database_continues_every_open_case(
    kit: EngineKit, tmp_path: Path, target: str
) -> None:
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum", "Kepala Dinas"])
    before = _open_cases(kit, lanes)
    open_ids = [i for i, ready in before.items() if ready]
    assert len(open_ids) == 3
    uploads = tmp_path / "uploads"
    (uploads / str(open_ids[1])).mkdir(parents=True)
    (uploads / str(open_ids[1]) / "ab12cd34-konsep.pdf").write_bytes(b"%PDF-1.4 konsep")
    archive = tmp_path / "cadangan.zip"

    exported = export_archive(kit.store, archive, uploads)
    assert exported.attachments == 1 and exported.rows["instances"] == 4

    (tmp_path / "restored").mkdir()
    restored_store, _schema = make_store(target, tmp_path / "restored")
    try:
        restored_uploads = tmp_path / "restored-uploads"
        summary = import_archive(restored_store, archive, restored_uploads)
        assert summary.rows == exported.rows
        copied = restored_uploads / str(open_ids[1]) / "ab12cd34-konsep.pdf"
        assert copied.read_bytes() == b"%PDF-1.4 konsep"
        again = make_kit(restored_store)
        history_before = {i: len(kit.runtime.history(i)) for i in before}
        assert {i: len(again.runtime.history(i)) for i in before} == history_before
        for instance_id in open_ids:  # every open case runs on to its end
            again.drive(instance_id, lanes)
            assert again.runtime.instance(instance_id).status == "completed"
        # new rows get fresh ids after the restored ones (sequences moved on PostgreSQL)
        new = again.runtime.start("sop_surat_keluar", lanes["Staf"], title="Baru")
        assert new.id > max(before)
        assert again.users.authenticate("u1", "x") is None  # users came back, same hashes
        assert again.users.get("admin").is_admin
    finally:
        restored_store.dispose()


def test_import_refuses_a_database_that_is_not_empty(kit: EngineKit, tmp_path: Path) -> None:
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum", "Kepala Dinas"])
    _open_cases(kit, lanes)
    archive = tmp_path / "cadangan.zip"
    export_archive(kit.store, archive, None)
    with pytest.raises(BadInput, match="tidak kosong"):
        import_archive(kit.store, archive, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"lain.txt": b"x"}, "bukan ekspor Alur"),
        ({"alur-export.json": b"{rusak"}, "rusak"),
        ({"alur-export.json": b'{"format": 99, "tables": {}}'}, "Format ekspor"),
    ],
)
def test_import_refuses_what_is_not_an_export(
    sqlite_store: Store, tmp_path: Path, content: dict[str, bytes], message: str
) -> None:
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, data in content.items():
            z.writestr(name, data)
    with pytest.raises(BadInput, match=message):
        import_archive(sqlite_store, archive, tmp_path)
