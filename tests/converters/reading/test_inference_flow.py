"""The flow across the role columns: who acts when the text says nothing of the actor.

Real SOP tables are drawn so that the work runs through the columns: the same person usually
goes on, and a change of actor mostly moves one column to the right (``Weights.same_actor``,
``next_column``, ``column_skip`` in :mod:`converters.reading.inference`). These tests hold
that prior where the text leaves the choice open, and check that it never outweighs what
the text does say.
"""

from __future__ import annotations

from converters.reading.inference import WEIGHTS, infer
from converters.reading.raw import RawDocument, RawRow

TEAMS = ["Tim Data", "Tim Lapangan", "Tim Rilis", "Tim Arsip"]
"""Columns without a rank: no jabatan rule can tell them apart, only the flow."""

BOX = "\u25a1"


def raw(rows: list[tuple[int, str, dict[str, str]]], roles: list[str] = TEAMS) -> RawDocument:
    return RawDocument(
        source_format="tabbed",
        roles=roles,
        rows=[RawRow(n, a, dict(m), line=i + 1) for i, (n, a, m) in enumerate(rows)],
    )


def test_the_flow_prefers_staying_to_moving_on() -> None:
    assert WEIGHTS.same_actor > WEIGHTS.next_column > 0 > WEIGHTS.column_skip


def test_with_no_clue_the_same_actor_goes_on() -> None:
    sop = infer(
        raw(
            [
                (1, "Tim Lapangan menyusun rencana pendataan", {}),
                (2, "Pengumpulan data lapangan", {}),
                (3, "Pengolahan data", {}),
            ]
        )
    )
    assert [s.role for s in sop.steps] == ["Tim Lapangan"] * 3
    assert sop.step(2).role_provenance.source == "order"
    assert "melanjutkan pelaku langkah 1" in sop.step(2).role_provenance.evidence


def test_a_tie_goes_to_the_next_column_right_not_back_left() -> None:
    # two symbol remnants on step 2, left and right of step 1's actor: the work moves on
    sop = infer(
        raw(
            [
                (1, "Tim Lapangan mengumpulkan data", {}),
                (2, "Pengolahan data", {"Tim Data": BOX, "Tim Rilis": BOX}),
            ]
        )
    )
    assert sop.step(2).role == "Tim Rilis"
    assert any("kolom kanan" in e for e in sop.step(2).role_provenance.evidence)
    assert sop.step(2).other_roles == ("Tim Data",)


def test_a_tie_goes_to_the_next_column_rather_than_over_it() -> None:
    sop = infer(
        raw(
            [
                (1, "Tim Data menyusun rencana", {}),
                (2, "Pengolahan data", {"Tim Lapangan": BOX, "Tim Rilis": BOX}),
            ]
        )
    )
    assert sop.step(2).role == "Tim Lapangan"
    sop = infer(
        raw(
            [
                (1, "Tim Data menyusun rencana", {}),
                (2, "Pengolahan data", {"Tim Rilis": BOX, "Tim Arsip": BOX}),
            ]
        )
    )
    assert sop.step(2).role == "Tim Rilis"  # both skip: the nearer one, as before


def test_a_handover_outweighs_the_flow() -> None:
    sop = infer(
        raw(
            [
                (1, "Tim Data menyusun rencana, kemudian diserahkan kepada Tim Arsip", {}),
                (2, "Mengarsipkan rencana", {}),
            ]
        )
    )
    assert sop.step(2).role == "Tim Arsip"
    assert sop.step(2).role_provenance.source == "handover"


def test_a_named_subject_outweighs_the_flow() -> None:
    sop = infer(
        raw(
            [
                (1, "Tim Data menyusun rencana", {}),
                (2, "Pengumpulan data", {}),
                (3, "Tim Arsip menyimpan berkas", {}),
                (4, "Tim Data merekap hasil", {}),
            ]
        )
    )
    assert [s.role for s in sop.steps] == ["Tim Data", "Tim Data", "Tim Arsip", "Tim Data"]


def test_roles_found_only_in_the_text_have_no_place_in_the_flow() -> None:
    # "Kepala Dinas" is no column: the flow prior neither helps nor hinders it
    sop = infer(
        raw([(1, "Tim Data menyusun konsep", {}), (2, "Kepala Dinas menandatangani konsep", {})])
    )
    assert sop.step(2).role == "Kepala Dinas"
    assert not any("kolom" in e for e in sop.step(2).role_provenance.evidence)


def test_both_branches_stated_to_end_keep_the_end() -> None:
    # "jika sesuai proses selesai, jika tidak sesuai ... proses selesai": the author sends
    # both branches to the end; only a guessed second target is moved off the first one's
    from converters.model import END

    sop = infer(raw([
        (1, "Tim Data menerima permohonan data", {}),
        (2, "Tim Lapangan memeriksa permohonan, jika sesuai proses selesai, jika tidak sesuai "
            "permohonan ditolak dan proses selesai", {}),
    ]))
    d = sop.step(2).decision
    assert d is not None and (d.approve_to, d.reject_to) == (END, END)
    assert not [w for w in sop.warnings if w.step == 2 and w.code == "decision-target-guessed"]
