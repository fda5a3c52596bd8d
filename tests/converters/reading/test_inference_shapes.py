"""Inference rules one by one, and SOPs of other agencies and shapes than the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.model import END, Sop
from converters.reading.inference import infer, number_rows
from converters.reading.raw import RawDocument, RawRow
from converters.reading.sop_file import read_sop

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sops"

Row = tuple[int | None, str, dict[str, str]]


def raw(roles: list[str], rows: list[Row]) -> RawDocument:
    return RawDocument(
        source_format="tabbed", roles=roles,
        rows=[RawRow(n, a, dict(m), line=i + 1) for i, (n, a, m) in enumerate(rows)],
    )


# -- a 17-step SOP of another agency, through the real reader -----------------------------------

@pytest.fixture(scope="module")
def dinkes() -> Sop:
    return read_sop(FIXTURES / "b-dinkes-izin-praktik.txt")


def test_long_sop_roles(dinkes: Sop) -> None:
    expected = {
        1: "Pemohon", 2: "Petugas Loket", 3: "Kasi Perizinan", 7: "Kabid Pelayanan",
        8: "Kepala Dinas", 9: "Kasi Perizinan", 10: "Petugas Loket", 11: "Kasi Perizinan",
        12: "Kabid Pelayanan", 13: "Kepala Dinas", 14: "Petugas Loket", 16: "Pemohon",
        17: "Petugas Loket",
    }
    assert len(dinkes.steps) == 17
    assert {n: dinkes.step(n).role for n in expected} == expected


def test_requester_rejection_goes_back_to_the_requester(dinkes: Sop) -> None:
    d = dinkes.step(2).decision
    assert (d.approve_to, d.reject_to, d.labels) == (3, 1, ("Lengkap", "Tidak lengkap"))


def test_teknis_administratif_branch_jumps_forward(dinkes: Sop) -> None:
    d = dinkes.step(3).decision
    assert (d.approve_to, d.reject_to, d.labels) == (4, 6, ("Teknis", "Administratif"))


def test_two_decisions_in_a_row(dinkes: Sop) -> None:
    d7, d8 = dinkes.step(7).decision, dinkes.step(8).decision
    assert (d7.approve_to, d7.reject_to) == (8, 6)  # back to the Kasi's latest step
    assert (d8.approve_to, d8.reject_to) == (9, 7)  # back to the Kabid's latest step
    assert [s.number for s in dinkes.steps if s.decision] == [2, 3, 7, 8]


def test_durations_are_parsed_per_step(dinkes: Sop) -> None:
    assert dinkes.step(8).duration.iso == "PT24H"
    assert dinkes.step(14).duration.per_unit == "berkas"
    assert dinkes.step(10).duration.min_minutes == 5 and dinkes.step(10).duration.max_minutes == 10
    assert dinkes.step(15).duration.max_minutes is None


# -- single rules -------------------------------------------------------------------------------

ROLES = ["Kepala Dinas", "Sekretaris", "Kabid Umum", "Kasubbag Umum", "Staf"]


def test_instruction_is_given_by_the_nearest_superior() -> None:
    sop = infer(raw(ROLES, [(1, "Memberikan arahan kepada Kasubbag Umum untuk menyusun", {}),
                            (2, "Menyusun konsep", {})]))
    assert sop.step(1).role == "Kabid Umum"
    assert sop.step(1).role_provenance.source == "instruction"
    assert sop.step(2).role == "Kasubbag Umum"


def test_clerical_verbs_point_to_the_staff_column() -> None:
    sop = infer(raw(ROLES, [(1, "Mengagendakan surat masuk", {}),
                            (2, "Kepala Dinas mendisposisikan surat", {})]))
    assert sop.step(1).role == "Staf"
    assert sop.step(1).role_provenance.source == "clerical"
    assert sop.step(2).role == "Kepala Dinas"


def test_oleh_names_the_actor() -> None:
    sop = infer(raw(["Kepala Badan", "Staf"], [(1, "Penandatanganan dokumen oleh Kaban", {})]))
    assert sop.step(1).role == "Kepala Badan"
    assert sop.step(1).role_provenance.source == "subject"


def test_several_marks_keep_all_and_the_flow_decides_the_performer() -> None:
    sop = infer(raw(ROLES, [
        (1, "Menyerahkan berkas kepada Kasubbag Umum", {"Staf": "v"}),
        (2, "Membahas konsep bersama", {"Kasubbag Umum": "\u25a1", "Kabid Umum": "\u25a1"}),
    ]))
    assert sop.step(2).role == "Kasubbag Umum"
    assert sop.step(2).other_roles == ("Kabid Umum",)


def test_yes_no_marks_and_question_make_a_decision() -> None:
    sop = infer(raw(ROLES, [
        (1, "Menyusun konsep dan menyerahkan kepada Kabid Umum", {"Staf": "v"}),
        (2, "Memeriksa konsep", {"Kabid Umum": "Sesuai?", "Staf": "Tidak", "Kasubbag Umum": "Ya"}),
        (3, "Menandatangani konsep", {}),
    ]))
    d = sop.step(2).decision
    assert d is not None and d.question == "Sesuai?" and d.labels == ("Ya", "Tidak")
    assert (d.approve_to, d.reject_to) == (3, 1)
    assert any(w.code == "decision-target-guessed" and w.step == 2 for w in sop.warnings)


def test_explicit_targets_end_and_step_numbers() -> None:
    sop = infer(raw(ROLES, [
        (1, "Menerima surat", {"Staf": "v"}),
        (2, "Meneliti surat, jika tidak sesuai proses selesai, jika sesuai lanjut ke langkah 4",
         {}),
        (3, "Mengetik balasan", {}),
        (4, "Menandatangani balasan", {}),
    ]))
    d = sop.step(2).decision
    assert (d.approve_to, d.reject_to) == (4, END)


def test_unnumbered_rows_get_numbers_or_merge() -> None:
    rows = [RawRow(None, "a"), RawRow(None, "b"), RawRow(3, "c"), RawRow(None, "c lanjutan"),
            RawRow(4, "d"), RawRow(None, "e")]
    out, warnings = number_rows(rows)
    assert [(n, r.activity) for n, r in out] == [
        (1, "a"), (2, "b"), (3, "c c lanjutan"), (4, "d"), (5, "e")]
    assert sorted(w.code for w in warnings) == [
        "number-guessed", "number-guessed", "number-guessed", "row-merged"]


def test_a_row_of_marks_only_joins_the_previous_step() -> None:
    out, warnings = number_rows([RawRow(1, "a"), RawRow(None, "", {"Staf": "Ya"}),
                                 RawRow(None, "b")])
    assert [(n, r.activity, r.marks) for n, r in out] == [(1, "a", {"Staf": "Ya"}), (2, "b", {})]
    assert [w.code for w in warnings] == ["row-merged", "number-guessed"]


def test_out_of_order_numbers_are_renumbered_with_a_warning() -> None:
    out, warnings = number_rows([RawRow(1, "a"), RawRow(1, "b"), RawRow(3, "c")])
    assert [n for n, _ in out] == [1, 2, 3]
    assert [w.step for w in warnings] == [2]


def test_role_named_in_text_but_not_in_header_is_added_by_rank() -> None:
    sop = infer(raw(["Staf", "Kasi Pelayanan", "Kabid Pelayanan"], [
        (1, "Menyusun konsep", {"Staf": "v"}),
        (2, "Memeriksa konsep lalu menyerahkan ke Kabid Pelayanan", {"Kasi Pelayanan": "v"}),
        (3, "Memaraf konsep lalu menyerahkan kepada Kadis untuk ditandatangani", {}),
        (4, "Menandatangani surat", {}),
    ]))
    assert sop.roles == ("Staf", "Kasi Pelayanan", "Kabid Pelayanan", "Kepala Dinas")
    assert sop.step(4).role == "Kepala Dinas"
    assert [w.step for w in sop.warnings if w.code == "role-added"] == [4]


def test_nothing_to_go_on_is_flagged_as_guessed() -> None:
    sop = infer(raw(ROLES, [(1, "Melaksanakan kegiatan", {}), (2, "Menyelesaikan kegiatan", {})]))
    assert all(s.role_confidence < 0.6 for s in sop.steps)
    assert {w.step for w in sop.warnings if w.code == "role-guessed"} == {1, 2}


def test_branch_labels_beside_the_diamond_row_join_it() -> None:
    # pdftotext -layout puts "Ya"/"Tidak" where the arrows run: rows above and below
    sop = infer(raw(["Ketua Tim", "Anggota"], [
        (1, "Menyusun draft", {"Anggota": "v"}),
        (2, "Mengisi data", {"Anggota": "Tidak"}),
        (3, "Memeriksa data", {"Ketua Tim": "Sesuai?"}),
        (4, "Menyusun laporan", {"Ketua Tim": "Ya"}),
    ]))
    assert [s.number for s in sop.steps if s.decision] == [3]
    d = sop.step(3).decision
    assert (d.question, d.labels, d.approve_to, d.reject_to) == ("Sesuai?", ("Ya", "Tidak"), 4, 2)


def test_a_lone_no_label_gets_its_counterpart() -> None:
    sop = infer(raw(["Ketua", "Anggota"], [(1, "Mengolah data", {"Anggota": "v"}),
                                           (2, "Menulis analisis", {"Ketua": "T"}),
                                           (3, "Merilis", {})]))
    d = sop.step(2).decision
    assert d is not None and d.labels == ("Y", "T")


def test_without_role_columns_roles_come_from_the_text_or_a_default() -> None:
    sop = infer(raw([], [(1, "Staf mengagendakan surat lalu menyerahkan ke Kasubbag Umum", {}),
                         (2, "Memeriksa surat", {})]))
    assert sop.roles == ("Kepala Sub Bagian Umum", "Staf")  # highest first, by rank
    assert [w.code for w in sop.warnings] == ["role-added", "role-added"]
    assert [s.role for s in sop.steps] == ["Staf", "Kepala Sub Bagian Umum"]
    bare = infer(raw([], [(1, "Melaksanakan kegiatan", {})]))
    assert bare.roles == ("Pelaksana",) and bare.steps[0].role == "Pelaksana"
    assert any(w.code == "role-guessed" for w in bare.warnings)
