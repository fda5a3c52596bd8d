"""The deploy record: one per new version, written with it, carried by export/import."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from engine.backup import export_archive, import_archive
from engine.deployments import Deployments, DeployNote
from engine.store import deployments
from tests.engine.conftest import SURAT, EngineKit, make_store

KEY = "sop_surat_keluar"


def _changed(xml: bytes) -> bytes:
    """The same process with other bytes (a comment), so a deploy makes a new version."""
    return xml.replace(b"</bpmn:definitions>", b"<!-- v2 --></bpmn:definitions>")


def test_each_new_version_is_recorded_with_its_source(kit: EngineKit) -> None:
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum", "Kepala Dinas"])
    xml = SURAT.read_bytes()
    first = kit.definitions.deploy(
        xml, "surat.bpmn", "analis", DeployNote(source="upload:surat.bpmn", changes=None)
    )
    kit.runtime.start(KEY, lanes["Staf"], title="Surat 1")
    kit.runtime.start(KEY, lanes["Staf"], title="Surat 2")
    second = kit.definitions.deploy(
        _changed(xml), "surat-v2.bpmn", "admin", DeployNote(source="draft:7", changes=3)
    )

    records = Deployments(kit.store).of_process(KEY)

    assert [r.version for r in records] == [2, 1]  # newest first
    newest, oldest = records
    assert (newest.definition_id, newest.user, newest.source, newest.filename) == (
        second.definition.id, "admin", "draft:7", "surat-v2.bpmn",
    )  # fmt: skip
    assert newest.changes == 3 and newest.cases_on_previous == 2
    assert (oldest.definition_id, oldest.source, oldest.changes) == (
        first.definition.id, "upload:surat.bpmn", None,
    )  # fmt: skip
    assert oldest.cases_on_previous == 0
    assert newest.at == second.definition.deployed_at


def test_an_identical_deploy_records_nothing(kit: EngineKit) -> None:
    xml = SURAT.read_bytes()
    kit.definitions.deploy(xml, "surat.bpmn", "analis", DeployNote(source="upload:surat.bpmn"))
    again = kit.definitions.deploy(xml, "surat.bpmn", "analis", DeployNote(source="upload:x"))
    assert not again.created
    assert [r.source for r in Deployments(kit.store).of_process(KEY)] == ["upload:surat.bpmn"]


def test_a_deploy_that_does_not_say_is_recorded_too(kit: EngineKit) -> None:
    kit.definitions.deploy(SURAT.read_bytes(), "surat.bpmn", "cli")
    (record,) = Deployments(kit.store).of_process(KEY)
    assert (record.user, record.source, record.filename) == ("cli", "", "surat.bpmn")
    assert Deployments(kit.store).of_process("tidak-ada") == []


def test_a_long_source_is_cut_to_the_column(kit: EngineKit) -> None:
    kit.definitions.deploy(SURAT.read_bytes(), "s.bpmn", "a", DeployNote(source="x" * 900))
    (record,) = Deployments(kit.store).of_process(KEY)
    assert record.source == "x" * 500


def test_export_and_import_carry_the_records(kit: EngineKit, tmp_path: Path) -> None:
    kit.definitions.deploy(SURAT.read_bytes(), "surat.bpmn", "analis", DeployNote("draft:1", 4))
    archive = tmp_path / "cadangan.zip"
    exported = export_archive(kit.store, archive, tmp_path / "uploads")
    assert exported.rows["deployments"] == 1
    (tmp_path / "restored").mkdir()
    restored, _schema = make_store("sqlite", tmp_path / "restored")
    try:
        import_archive(restored, archive, tmp_path / "restored-uploads")
        (record,) = Deployments(restored).of_process(KEY)
        assert (record.source, record.changes, record.user) == ("draft:1", 4, "analis")
        with restored.begin(write=False) as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(deployments)).scalar() == 1
    finally:
        restored.dispose()
