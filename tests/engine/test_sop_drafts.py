"""The stored SOP drafts: create, save with history, concurrent saves, states (SQLite and
PostgreSQL through the ``store`` fixture)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from converters.model import Decision, Identity, Provenance, Sop, Step
from engine.errors import Conflict, NotFound
from engine.sop_drafts import DraftState, SopDrafts
from engine.store import Store


def sample() -> Sop:
    guessed = Provenance("order", 0.4, ("kolom ke-2",))
    return Sop(
        Identity(name="Penyusunan IKU", number="1/SOP"),
        ("Kasubbag", "Staf"),
        (
            Step(1, "Menyusun konsep", "Kasubbag"),
            Step(2, "Merekap", "Staf", role_provenance=guessed,
                 decision=Decision(3, 1, ("Ya", "Tidak"))),
            Step(3, "Selesai", "Kasubbag"),
        ),
        source_format="tabbed",
    )  # fmt: skip


def test_create_get_and_list(store: Store) -> None:
    drafts = SopDrafts(store)
    d = drafts.create(sample(), filename="iku.txt", user="analis")
    assert (d.title, d.filename, d.state, d.revision) == (
        "Penyusunan IKU", "iku.txt", DraftState.OPEN, 1)
    assert d.created_by == d.updated_by == "analis" and d.created_at.tzinfo is not None
    again = drafts.get(d.id)
    assert again.sop == sample()  # provenance and evidence kept exactly
    assert again.sop.step(2).role_provenance.evidence == ("kolom ke-2",)
    assert [x.id for x in drafts.in_state()] == [d.id]
    (first,) = drafts.history(d.id)
    assert (first.revision, first.user, first.summary) == (1, "analis", "iku.txt")


def test_saves_make_a_history_with_who_and_when(store: Store) -> None:
    drafts = SopDrafts(store)
    d = drafts.create(sample(), filename="iku.txt", user="analis")
    changed = dataclasses.replace(
        d.sop, steps=(dataclasses.replace(d.sop.steps[0], role="Staf"), *d.sop.steps[1:]))
    d2 = drafts.save(d.id, changed, user="analis2", summary="Langkah 1: pelaksana", revision=1)
    assert d2.revision == 2 and d2.updated_by == "analis2" and d2.created_by == "analis"
    assert d2.sop.step(1).role == "Staf"
    history = drafts.history(d.id)
    assert [(h.revision, h.user, h.summary) for h in history] == [
        (2, "analis2", "Langkah 1: pelaksana"), (1, "analis", "iku.txt")]
    assert history[0].at >= history[1].at
    assert drafts.model_at(d.id, 1) == sample()
    assert drafts.model_at(d.id, 2).step(1).role == "Staf"


def test_the_title_follows_the_sop_name(store: Store) -> None:
    drafts = SopDrafts(store)
    d = drafts.create(sample(), filename="iku.txt", user="analis")
    renamed = dataclasses.replace(d.sop, identity=Identity(name="IKU 2027"))
    assert drafts.save(d.id, renamed, user="a", summary="s", revision=1).title == "IKU 2027"
    unnamed = dataclasses.replace(d.sop, identity=Identity())
    assert drafts.save(d.id, unnamed, user="a", summary="s", revision=2).title == "iku.txt"


def test_a_save_from_an_old_revision_loses(store: Store) -> None:
    drafts = SopDrafts(store)
    d = drafts.create(sample(), filename="iku.txt", user="analis")
    drafts.save(d.id, d.sop, user="satu", summary="a", revision=1)
    with pytest.raises(Conflict, match="satu"):
        drafts.save(d.id, d.sop, user="dua", summary="b", revision=1)
    assert drafts.get(d.id).revision == 2 and len(drafts.history(d.id)) == 2


def test_states_close_the_draft(store: Store) -> None:
    drafts = SopDrafts(store)
    a = drafts.create(sample(), filename="a.txt", user="analis")
    b = drafts.create(sample(), filename="b.txt", user="analis")
    deployed = drafts.set_state(a.id, DraftState.DEPLOYED, user="analis")
    assert deployed.state is DraftState.DEPLOYED and deployed.revision == 2
    assert drafts.history(a.id)[0].summary == "Diterapkan sebagai proses"
    drafts.set_state(b.id, DraftState.DISCARDED, user="analis")
    assert drafts.in_state() == []
    assert {d.id for d in drafts.in_state(None)} == {a.id, b.id}
    assert [d.id for d in drafts.in_state(DraftState.DEPLOYED)] == [a.id]
    with pytest.raises(Conflict):
        drafts.save(a.id, a.sop, user="analis", summary="x", revision=2)


def test_unknown_drafts_are_not_found(store: Store) -> None:
    drafts = SopDrafts(store)
    for call in (
        lambda: drafts.get(404),
        lambda: drafts.history(404),
        lambda: drafts.model_at(404, 1),
        lambda: drafts.save(404, sample(), user="a", summary="s", revision=1),
        lambda: drafts.set_state(404, DraftState.DISCARDED, user="a"),
    ):
        with pytest.raises(NotFound):
            call()


def test_backup_carries_drafts_and_their_history(store: Store, tmp_path: Path) -> None:
    from engine.backup import export_archive, import_archive

    drafts = SopDrafts(store)
    d = drafts.create(sample(), filename="iku.txt", user="analis")
    drafts.save(d.id, d.sop, user="analis2", summary="Langkah 1 diubah", revision=1)
    summary = export_archive(store, tmp_path / "backup.zip", None)
    assert summary.rows["sop_drafts"] == 1 and summary.rows["sop_draft_saves"] == 2
    target = Store.from_url(f"sqlite:///{tmp_path / 'restored.db'}")
    target.upgrade()
    try:
        import_archive(target, tmp_path / "backup.zip", None)
        restored = SopDrafts(target)
        assert restored.get(d.id).sop == sample() and restored.get(d.id).revision == 2
        assert [h.user for h in restored.history(d.id)] == ["analis2", "analis"]
        again = restored.create(sample(), filename="b.txt", user="x")  # ids continue
        assert again.id == d.id + 1
    finally:
        target.dispose()
