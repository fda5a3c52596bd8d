"""The diff of two SOP versions: each kind of change, found once, and nothing for the same SOP."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings

from converters.bpmn.reader import read_bpmn
from converters.bpmn.writer import write_bpmn
from converters.model import END, Decision, Duration, Identity, Sop, Step
from converters.model_diff import Change, ChangeKind, diff_bpmn, diff_sops
from tests.converters.strategies import sops

K = ChangeKind
LIBRARY = Path(__file__).resolve().parents[2] / "bpmn" / "singkawang-kominfo-penyusunan-iku.bpmn"


def base() -> Sop:
    return Sop(
        identity=Identity(number="1/SOP/2024", name="Penyusunan IKU"),
        roles=("Kepala Dinas", "Kasubbag", "Staf"),
        steps=(
            Step(1, "Menyusun konsep IKU", "Staf", output="Konsep", duration=Duration("1 hari")),
            Step(
                2, "Memeriksa konsep IKU", "Kasubbag", decision=Decision(3, 1, question="Sesuai?")
            ),
            Step(3, "Menandatangani IKU", "Kepala Dinas", other_roles=("Kasubbag",)),
            Step(4, "Mengarsipkan IKU", "Staf"),
        ),
    )


def with_steps(sop: Sop, *steps: Step, roles: tuple[str, ...] | None = None) -> Sop:
    return dataclasses.replace(sop, steps=steps, roles=roles or sop.roles)


def step(sop: Sop, number: int, **changes: object) -> Step:
    return dataclasses.replace(sop.step(number), **changes)  # type: ignore[arg-type]


def test_the_same_sop_has_no_changes() -> None:
    assert diff_sops(base(), base()).changes == ()
    assert not diff_sops(base(), base())


def test_a_changed_activity_role_and_other_roles_are_one_change_each() -> None:
    old = base()
    s1, s2, s3, s4 = old.steps
    new = with_steps(
        old,
        dataclasses.replace(s1, activity="Menyusun konsep IKU tahunan"),
        dataclasses.replace(s2, role="Kepala Dinas"),
        dataclasses.replace(s3, other_roles=()),
        s4,
    )
    assert diff_sops(old, new).changes == (
        Change(K.ACTIVITY, 1, before="Menyusun konsep IKU", after="Menyusun konsep IKU tahunan"),
        Change(K.ROLE, 2, before="Kasubbag", after="Kepala Dinas"),
        Change(K.OTHER_ROLES, 3, before="Kasubbag", after=""),
    )


def test_an_inserted_step_does_not_make_the_later_ones_changed() -> None:
    old = base()
    s1, s2, s3, s4 = old.steps
    renumbered = [dataclasses.replace(s, number=s.number + 1) for s in (s2, s3, s4)]
    renumbered[0] = dataclasses.replace(renumbered[0], decision=Decision(4, 1, question="Sesuai?"))
    added = Step(2, "Memaraf konsep IKU", "Kasubbag")
    new = with_steps(old, s1, added, *renumbered)
    assert diff_sops(old, new).changes == (Change(K.STEP_ADDED, 2, after="Memaraf konsep IKU"),)


def test_a_removed_step_and_a_branch_that_pointed_to_it() -> None:
    old = base()
    s1, s2, _s3, s4 = old.steps
    new = with_steps(
        old,
        s1,
        dataclasses.replace(s2, decision=Decision(3, 1, question="Sesuai?")),
        dataclasses.replace(s4, number=3),
    )
    changes = diff_sops(old, new).changes
    assert Change(K.STEP_REMOVED, 3, before="Menandatangani IKU") in changes
    # "Setuju" led to old step 3 (gone); now to step 3, which is the old step 4
    assert Change(K.BRANCH_TARGET, 2, field="Setuju", before="~3", after="3") in changes
    assert len(changes) == 2


def test_mutu_baku_fields_each_reported() -> None:
    old = base()
    new = with_steps(
        old,
        step(
            old,
            1,
            output="Konsep IKU",
            duration=Duration("2 hari"),
            requirements="Renstra",
            notes="Rangkap 2",
        ),
        *old.steps[1:],
    )
    changes = diff_sops(old, new).of_kind(K.MUTU_BAKU)
    assert {(c.field, c.before, c.after) for c in changes} == {
        ("requirements", "", "Renstra"),
        ("duration", "1 hari", "2 hari"),
        ("output", "Konsep", "Konsep IKU"),
        ("notes", "", "Rangkap 2"),
    }
    assert all(c.step == 1 for c in changes)


def test_decision_switched_on_and_off_with_its_branches() -> None:
    old = base()
    on = step(old, 4, decision=Decision(END, 1, labels=("Ya", "Tidak"), question="Lengkap?"))
    off = step(old, 2, decision=None)
    new = with_steps(old, old.steps[0], off, old.steps[2], on)
    changes = diff_sops(old, new).changes
    assert changes == (
        Change(K.DECISION_REMOVED, 2, before="Sesuai?"),
        Change(K.BRANCH_REMOVED, 2, field="Setuju", before="3"),
        Change(K.BRANCH_REMOVED, 2, field="Tidak setuju", before="1"),
        Change(K.DECISION_ADDED, 4, after="Lengkap?"),
        Change(K.BRANCH_ADDED, 4, field="Ya", after="end"),
        Change(K.BRANCH_ADDED, 4, field="Tidak", after="1"),
    )


def test_a_branch_target_question_and_a_third_branch() -> None:
    old = base()
    decision = Decision.of_branches(
        [*old.step(2).decision.branches[:1],  # type: ignore[union-attr]
         dataclasses.replace(old.step(2).decision.branches[1], target=END),  # type: ignore[union-attr]
         type(old.step(2).decision.branches[0])("Perlu revisi", 1)],  # type: ignore[union-attr]
        question="Konsep sesuai?",
    )  # fmt: skip
    new = with_steps(old, old.steps[0], step(old, 2, decision=decision), *old.steps[2:])
    assert diff_sops(old, new).changes == (
        Change(K.DECISION_QUESTION, 2, before="Sesuai?", after="Konsep sesuai?"),
        Change(K.BRANCH_TARGET, 2, field="Tidak setuju", before="1", after="end"),
        Change(K.BRANCH_ADDED, 2, field="Perlu revisi", after="1"),
    )


def test_a_renamed_role_is_one_change_not_one_per_step() -> None:
    old = base()
    renamed = tuple(
        dataclasses.replace(s, role="Kasubbag Umum" if s.role == "Kasubbag" else s.role,
                            other_roles=tuple("Kasubbag Umum" if r == "Kasubbag" else r
                                              for r in s.other_roles))
        for s in old.steps
    )  # fmt: skip
    new = with_steps(old, *renamed, roles=("Kepala Dinas", "Kasubbag Umum", "Staf"))
    assert diff_sops(old, new).changes == (
        Change(K.ROLE_RENAMED, before="Kasubbag", after="Kasubbag Umum"),
    )


def test_roles_added_and_removed() -> None:
    old = base()
    moved = step(old, 4, role="Arsiparis")
    new = with_steps(old, *old.steps[:3], moved, roles=("Kepala Dinas", "Kasubbag", "Arsiparis"))
    changes = diff_sops(old, new).changes
    # Staf keeps step 1, so Arsiparis is a new role, not Staf renamed
    assert Change(K.ROLE_ADDED, after="Arsiparis") in changes
    assert Change(K.ROLE, 4, before="Staf", after="Arsiparis") in changes
    back = diff_sops(new, old).changes
    assert Change(K.ROLE_REMOVED, before="Arsiparis") in back
    assert not diff_sops(new, old).of_kind(K.ROLE_RENAMED)


def test_identity_fields() -> None:
    old = base()
    new = dataclasses.replace(old, identity=Identity(number="2/SOP/2025", name="Penyusunan IKU"))
    assert diff_sops(old, new).changes == (
        Change(K.IDENTITY, field="number", before="1/SOP/2024", after="2/SOP/2025"),
    )


def test_bpmn_files_compare_by_meaning_and_gateway_conditions_by_flow() -> None:
    xml = LIBRARY.read_bytes()
    assert diff_bpmn(xml, xml).changes == ()
    assert diff_bpmn(xml, write_bpmn(read_bpmn(xml))).changes == ()  # rewritten: same meaning
    # a hand-edited condition on one flow (the reader ignores it; the engine does not)
    marker = b'>keputusan == "setuju"<'
    assert marker in xml
    edited = xml.replace(marker, b'>keputusan == "setuju" or keputusan == "ok"<', 1)
    (change,) = diff_bpmn(xml, edited).changes
    assert change.kind is K.CONDITION and change.field  # the flow's name or id
    assert change.before == 'keputusan == "setuju"'
    assert change.after == 'keputusan == "setuju" or keputusan == "ok"'


def test_a_lane_move_in_the_file_is_a_role_change() -> None:
    xml = LIBRARY.read_bytes()
    sop = read_bpmn(xml)
    moved = dataclasses.replace(sop.steps[1], role=sop.roles[0])
    new = write_bpmn(dataclasses.replace(sop, steps=(sop.steps[0], moved, *sop.steps[2:])))
    assert diff_bpmn(xml, new).changes == (
        Change(K.ROLE, 2, before=sop.steps[1].role, after=sop.roles[0]),
    )


@settings(max_examples=40, deadline=None)
@given(sops())
def test_any_sop_compared_with_itself_is_unchanged(sop: Sop) -> None:
    assert diff_sops(sop, sop).changes == ()
