"""converters.reading.evidence: the clues one activity gives about its actor and its neighbours."""

from __future__ import annotations

import pytest

from converters.reading.evidence import read_clues, split_label
from converters.reading.inference import infer
from converters.reading.raw import RawDocument, RawRow
from converters.reading.roles import RoleBook

BOOK = RoleBook(("Kepala Dinas", "Sekretaris", "Kabid Teknis", "Kasubbag PEKK",
                 "Pengadministrasian Umum", "Staf"))


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Mengoreksi konsep dan diserahkan ke Kepala Dinas", "Kepala Dinas"),
        ("Meneliti konsep, kemudian menyerahkannya ke Sekretaris", "Sekretaris"),
        ("Meneliti bahan, kemudian melaporkannya kepada Kadis untuk diperiksa", "Kepala Dinas"),
        ("Menghimpun hasil, selanjutnya diteruskan ke Kasubag PEKK untuk koreksi",
         "Kasubbag PEKK"),
        ("Menerima IKU, kemudian mengajukan Pengadministrasian Umum untuk mengagendakan",
         "Pengadministrasian Umum"),
        ("Membagikan format ke semua bidang", "Kabid Teknis"),
        ("Menugaskan staf untuk membuat konsep", "Staf"),
    ],
)
def test_handover_names_the_next_actor(text: str, target: str) -> None:
    clues = read_clues(text, BOOK)
    assert [m.column for m in clues.handovers] == [target]


def test_instruction_object_is_instructed_and_not_the_actor() -> None:
    clues = read_clues("Memberikan arahan kepada Kabid untuk menyiapkan bahan", BOOK)
    assert [m.column for m in clues.instructed] == ["Kabid Teknis"]
    assert [m.column for m in clues.not_actor] == ["Kabid Teknis"]


def test_sources_subjects_and_invitations() -> None:
    c = read_clues("Menerima berkas dari Kasubbag PEKK", BOOK)
    assert [m.column for m in c.received_from] == ["Kasubbag PEKK"] and not c.handovers
    c = read_clues("Kepala Dinas menandatangani surat", BOOK)
    assert [(m.column, w) for m, w, _ in c.subjects] == [("Kepala Dinas", 4.0)]
    c = read_clues("Penandatanganan surat oleh Sekretaris", BOOK)
    assert [m.column for m, _, _ in c.subjects] == ["Sekretaris"]
    c = read_clues("Mengundang Kepala Dinas untuk rapat", BOOK)
    assert not c.handovers and [m.column for m in c.not_actor] == ["Kepala Dinas"]
    c = read_clues("Menerima pengaduan yang diberikan oleh Staf", BOOK)
    assert not c.subjects and [m.column for m in c.not_actor] == ["Staf"]


def test_clerical_verbs_belong_to_this_actor_only_before_a_handover() -> None:
    assert read_clues("Mengarsipkan surat", BOOK).clerical == "mengarsipkan"
    assert read_clues("Menyerahkan ke Staf untuk diarsipkan", BOOK).clerical == ""


def test_branches_are_classified() -> None:
    c = read_clues("Meneliti konsep, jika tidak setuju dikembalikan kepada Staf untuk "
                   "diperbaiki, jika setuju diteruskan ke Sekretaris", BOOK)
    assert [(b.condition, b.negative, b.role.column if b.role else None) for b in c.branches] \
        == [("tidak setuju", True, "Staf"), ("setuju", False, "Sekretaris")]
    c = read_clues("Memeriksa, jika sesuai lanjut ke langkah 9, jika belum sesuai selesai", BOOK)
    assert [(b.negative, b.target) for b in c.branches] == [(False, 9), (True, "end")]


@pytest.mark.parametrize(
    ("mark", "kind"),
    [("Ya", "yes"), ("tidak", "no"), ("Sesuai?", "question"), ("Teknis", "label"),
     ("v", "symbol"), ("@", "symbol"), ("_<", "arrow"), ("$\\overline{}$", "arrow")],
)
def test_marks_are_classified(mark: str, kind: str) -> None:
    assert split_label(mark)[0] == kind


def _doc(rows: list[str]) -> RawDocument:
    return RawDocument("tabbed", roles=["Kepala Dinas", "Sekretaris", "Kabid Teknis", "Staf"],
                       rows=[RawRow(i + 1, a) for i, a in enumerate(rows)])


def test_labelled_branches_go_to_the_roles_they_name() -> None:
    sop = infer(_doc([
        "Staf mengagendakan surat dan menyerahkan ke Sekretaris",
        "Memilah surat, jika teknis diteruskan ke Kabid Teknis, jika administratif diteruskan "
        "ke Staf",
        "Kabid Teknis menindaklanjuti surat teknis",
        "Staf menindaklanjuti surat administratif",
    ]))
    d = sop.step(2).decision
    assert d is not None
    assert (d.labels, d.approve_to, d.reject_to) == (("Teknis", "Administratif"), 3, 4)


def test_labelled_branches_without_targets_never_share_one() -> None:
    sop = infer(_doc([
        "Menerima surat",
        "Memilah surat, jika teknis diproses, jika administratif diarsipkan",
        "Memproses surat teknis",
        "Mengarsipkan surat",
    ]))
    d = sop.step(2).decision
    assert d is not None and (d.approve_to, d.reject_to) == (3, 4)
    assert any(w.code == "decision-target-guessed" and w.step == 2 for w in sop.warnings)
