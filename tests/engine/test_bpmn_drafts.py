"""BPMN drafts of the embedded modeler: one per deployed version, replaced on save, refused
when the modeler could not reopen them, carried by a backup (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.backup import export_archive, import_archive
from engine.bpmn_drafts import BpmnDrafts
from engine.definitions import Definitions
from engine.errors import BadInput, NotFound
from engine.store import Store
from tests.engine.conftest import SURAT, make_store


def _deployed(store: Store) -> int:
    return int(Definitions(store).deploy(SURAT.read_bytes(), "surat.bpmn", "analis").definition.id)


def test_a_draft_is_saved_replaced_and_discarded(store: Store) -> None:
    drafts = BpmnDrafts(store)
    definition_id = _deployed(store)
    assert drafts.get(definition_id) is None
    first = SURAT.read_bytes()
    saved = drafts.save(definition_id, first, "analis")
    assert drafts.get(definition_id) == saved and saved.xml == first
    second = first.replace(b"Surat", b"Nota", 1)
    drafts.save(definition_id, second, "admin")
    found = drafts.get(definition_id)
    assert found is not None and found.xml == second and found.saved_by == "admin"
    assert found.saved_at >= saved.saved_at
    assert drafts.discard(definition_id) is True
    assert drafts.get(definition_id) is None and drafts.discard(definition_id) is False


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b"  ", "kosong"),
        (b"<bpmn:definitions", "bukan XML"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', "DOCTYPE"),
        (b"<definitions/>", "bukan dokumen BPMN"),
    ],
)
def test_what_the_modeler_could_not_reopen_is_refused(
    sqlite_store: Store, xml: bytes, reason: str
) -> None:
    drafts = BpmnDrafts(sqlite_store)
    definition_id = _deployed(sqlite_store)
    with pytest.raises(BadInput, match=reason):
        drafts.save(definition_id, xml, "analis")
    assert drafts.get(definition_id) is None


def test_a_draft_needs_a_deployed_version(sqlite_store: Store) -> None:
    with pytest.raises(NotFound):
        BpmnDrafts(sqlite_store).save(4242, SURAT.read_bytes(), "analis")


def test_a_backup_carries_the_drafts(sqlite_store: Store, tmp_path: Path) -> None:
    definition_id = _deployed(sqlite_store)
    BpmnDrafts(sqlite_store).save(definition_id, SURAT.read_bytes(), "analis")
    archive = tmp_path / "cadangan.zip"
    assert export_archive(sqlite_store, archive, None).rows["bpmn_drafts"] == 1
    (tmp_path / "restored").mkdir()
    restored, _schema = make_store("sqlite", tmp_path / "restored")
    try:
        import_archive(restored, archive, None)
        found = BpmnDrafts(restored).get(definition_id)
        assert found is not None and found.xml == SURAT.read_bytes()
        assert found.saved_by == "analis"
    finally:
        restored.dispose()
