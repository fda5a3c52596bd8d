"""Edits of the SOP model: renumbering keeps every branch on its step, roles rename and merge
everywhere, confirmation keeps the evidence."""

from __future__ import annotations

import pytest

from converters.model import END, Branch, Decision, Identity, Provenance, Sop, Step
from converters.model_edits import (
    EditError,
    add_step,
    confirm_step,
    merge_roles,
    move_role,
    move_step,
    needs_review,
    remove_role,
    remove_step,
    rename_role,
)

GUESS = Provenance("order", 0.4, ("kolom ke-1",))


def sop() -> Sop:
    return Sop(Identity(), ("A", "B", "C"), (
        Step(1, "Satu", "A", role_provenance=GUESS),
        Step(2, "Dua", "B", other_roles=("C",)),
        Step(3, "Tiga", "C", decision=Decision.of_branches(
            [Branch("Ya", 4), Branch("Tidak", 2), Branch("Batal", END)])),
        Step(4, "Empat", "A"),
    ))  # fmt: skip


def targets(s: Sop, number: int) -> list[object]:
    d = s.step(number).decision
    assert d is not None
    return [b.target for b in d.branches]


def test_add_step_renumbers_and_branches_follow() -> None:
    s = add_step(sop(), 1, "Baru", "D")
    assert [x.activity for x in s.steps] == ["Satu", "Baru", "Dua", "Tiga", "Empat"]
    assert [x.number for x in s.steps] == [1, 2, 3, 4, 5]
    assert targets(s, 4) == [5, 3, END] and s.roles[-1] == "D"
    assert add_step(sop(), 0, "Awal", "A").step(1).activity == "Awal"


def test_move_step_keeps_targets_on_their_steps() -> None:
    s = move_step(sop(), 4, -1)
    assert [x.activity for x in s.steps] == ["Satu", "Dua", "Empat", "Tiga"]
    assert targets(s, 4) == [3, 2, END]
    assert move_step(sop(), 1, -1) == sop()  # already first


def test_move_role_moves_the_column_and_stops_at_the_edges() -> None:
    assert move_role(sop(), "C", -1).roles == ("A", "C", "B")
    assert move_role(sop(), "A", 1).roles == ("B", "A", "C")
    assert move_role(sop(), "A", -1).roles == ("A", "B", "C")  # already first
    assert move_role(sop(), "C", 5).roles == ("A", "B", "C")  # past the right edge
    assert move_role(sop(), "C", -1).steps == sop().steps  # steps keep their roles


def test_remove_step_sends_its_branches_to_the_next_row() -> None:
    s = remove_step(sop(), 2)
    assert targets(s, 2) == [3, 2, END]  # "Tidak" went to Dua → now to Tiga (itself)
    assert targets(remove_step(sop(), 4), 3) == [END, 2, END]
    with pytest.raises(EditError):
        remove_step(Sop(Identity(), ("A",), (Step(1, "x", "A"),)), 1)


def test_rename_and_merge_roles_everywhere() -> None:
    s = rename_role(sop(), "C", "Kasubbag")
    assert s.roles == ("A", "B", "Kasubbag") and s.step(2).other_roles == ("Kasubbag",)
    assert s.step(3).role == "Kasubbag"
    m = merge_roles(sop(), "C", "B")
    assert m.roles == ("A", "B") and m.step(3).role == "B" and m.step(2).other_roles == ()
    with pytest.raises(EditError):
        rename_role(sop(), "A", "B")
    with pytest.raises(EditError):
        remove_role(sop(), "A")


def test_confirm_keeps_the_evidence() -> None:
    assert needs_review(sop().step(1).role_provenance)
    s = confirm_step(sop(), 1, "analis")
    p = s.step(1).role_provenance
    assert not needs_review(p) and p.evidence == ("kolom ke-1", "dikonfirmasi oleh analis")
    assert s.step(1).role == "A"
