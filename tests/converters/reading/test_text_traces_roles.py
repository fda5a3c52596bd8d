"""Issue 11 on real text extractions: what the header and the empty role columns still say.

Small hand-written texts in the shapes ``pdftotext -layout`` gives for signed PDFs whose
flowchart is a vector drawing: the header keeps its titles and group titles, the role columns
keep almost nothing. Each test pins one rule of the layout reader or of role inference.
"""

from __future__ import annotations

from pathlib import Path

from converters.reading.evidence import split_label
from converters.reading.inference import infer
from converters.reading.raw import RawDocument, RawRow
from converters.reading.readers import pdftext_layout as layout

_P = "Pelaksana"
_M = "Mutu Baku"


def _table(header: list[str], body: list[str]) -> str:
    return "\n".join([*header, "", *body, ""])


def _line(*cells: tuple[int, str]) -> str:
    out = ""
    for x, text in cells:
        out = out.ljust(x) + text
    return out


# Columns of the synthetic table (character positions).
NO, ACT, R1, R2, M1, M2, M3 = 2, 8, 40, 56, 90, 110, 122


_BODY = [
    _line((NO, "1"), (ACT, "Menyusun konsep surat"), (M1, "Berkas"), (M2, "1 jam"),
          (M3, "Konsep")),
    "",
    _line((NO, "2"), (ACT, "Memeriksa konsep surat"), (M1, "Konsep"), (M2, "30 menit"),
          (M3, "Paraf")),
]


def test_an_unknown_title_under_the_mutu_baku_title_is_its_first_column() -> None:
    """'Input' (or any word) heads the first Mutu Baku column when the group title is centred
    over it and the Waktu/Output columns: it is Kelengkapan, never a role."""
    header = [
        _line((56, _P), (104, _M)),
        _line((NO, "No"), (ACT, "Kegiatan"), (R1, "Staf"), (R2, "Kasubbag Umum"),
              (M1, "Input"), (M2, "Waktu"), (M3, "Output")),
    ]
    doc = layout.read(_table(header, _BODY))
    assert doc.roles == ["Staf", "Kasubbag Umum"]
    assert doc.rows[0].requirements == "Berkas"
    assert doc.rows[1].duration == "30 menit"


def test_a_role_left_of_a_mutu_baku_title_centred_on_its_own_columns_stays_a_role() -> None:
    """The group title centred over Waktu and Output only: the column left of them lies
    outside the block, so it is a role column (an agency's own jabatan, however named)."""
    header = [
        _line((56, _P), (115, _M)),
        _line((NO, "No"), (ACT, "Kegiatan"), (R1, "Staf"), (R2, "Kasubbag Umum"),
              (M1, "Operator"), (M2, "Waktu"), (M3, "Output")),
    ]
    doc = layout.read(_table(header, _BODY))
    assert doc.roles == ["Staf", "Kasubbag Umum", "Operator"]


def test_a_header_title_wrapped_inside_a_word_is_joined_again() -> None:
    header = [
        _line((56, _P), (112, _M)),
        _line((NO, "No"), (ACT, "Kegiatan"), (R1, "Staf"), (R2, "Sub"), (M1, "Kelengkapan"),
              (M2, "Waktu"), (M3, "Output")),
        _line((R2, "Koordinato")),
        _line((R2, "r Umum")),
    ]
    doc = layout.read(_table(header, _BODY))
    assert doc.roles == ["Staf", "Sub Koordinator Umum"]


def test_a_short_lower_case_word_of_a_title_is_kept() -> None:
    """Only a lone letter joins the word before it: "Tim di Lapangan" keeps its "di"."""
    header = [
        _line((56, _P), (112, _M)),
        _line((NO, "No"), (ACT, "Kegiatan"), (R1, "Staf"), (R2, "Tim di"), (M1, "Kelengkapan"),
              (M2, "Waktu"), (M3, "Output")),
        _line((R2, "Lapangan")),
    ]
    doc = layout.read(_table(header, _BODY))
    assert doc.roles == ["Staf", "Tim di Lapangan"]


# -- inference: the head of the table ----------------------------------------------------------


def _raw(roles: list[str], activities: list[str]) -> RawDocument:
    rows = [RawRow(i + 1, a) for i, a in enumerate(activities)]
    return RawDocument("layout", roles=roles, rows=rows)


def test_without_any_clue_a_working_step_is_not_given_to_the_head_of_the_table() -> None:
    """The head ranks above every other column; with no clue in the text the guess goes to
    the next column, with a low confidence and evidence that says there was no clue."""
    sop = infer(_raw(["Kepala Dinas", "Tim Pengolahan", "Staf"],
                     ["Pengolahan data survei", "Penyajian tabel hasil"]))
    assert [s.role for s in sop.steps] == ["Tim Pengolahan", "Tim Pengolahan"]
    first = sop.step(1).role_provenance
    assert first.confidence < 0.6
    assert any("tidak ada petunjuk" in e and "Kepala Dinas" in e for e in first.evidence)
    assert any(w.code == "role-guessed" and w.step == 1 for w in sop.warnings)


def test_the_head_still_does_what_the_text_gives_it() -> None:
    sop = infer(_raw(["Kepala Dinas", "Tim Pengolahan", "Staf"],
                     ["Kepala Dinas menandatangani surat keputusan", "Pengolahan data survei"]))
    assert sop.step(1).role == "Kepala Dinas"
    assert sop.step(1).role_provenance.source == "subject"


def test_two_heads_of_equal_rank_are_not_told_apart_by_rank() -> None:
    """Two Ketua Tim columns: neither is 'the' head, so the column order decides as before."""
    sop = infer(_raw(["Ketua Tim Produksi", "Ketua Tim Distribusi", "Operator"],
                     ["Pengolahan data survei"]))
    assert sop.step(1).role == "Ketua Tim Produksi"


# -- a continuation page laid out with other widths ---------------------------------------------

_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sops"


def test_words_inside_a_symbol_do_not_pull_the_mutu_baku_columns_left() -> None:
    """A symbol's own words in a role column ("Berkas" / "diterima", two lines at one x) are
    no Kelengkapan edge: the refitted page keeps its Mutu Baku cells and the role mark."""
    text = (_FIXTURES / "a2-layout-refit.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, ln in enumerate(lines) if "mengirim ke BUD" in ln) + 1
    lines[at:at] = ["", " " * 50 + "Berkas", " " * 50 + "diterima", ""]
    doc = layout.read("\n".join(lines))
    r4, r6 = doc.rows[3], doc.rows[5]
    assert (r4.requirements, r4.duration, r4.output) == (
        "SPP lengkap dan terverifikasi", "1 hari kerja", "SPM terbit")
    assert (r6.requirements, r6.duration, r6.output) == ("SPM sah dan SPP", "30 menit", "Arsip")
    marks = " ".join(m for r in doc.rows for m in r.marks.values())
    assert "Berkas" in marks and "diterima" in marks


def test_a_branch_label_beside_a_neighbours_diamond_is_evidence_for_that_step() -> None:
    """Extracted text puts a diamond's "Tidak" on the row below it; the label sits by the
    diamond's symbol, so it speaks for the deciding step's column, not for the row it fell on."""
    rows = [
        RawRow(1, "Kepala Seksi menyusun konsep surat"),
        RawRow(2, "Memeriksa kelengkapan berkas?"),
        RawRow(3, "Kepala Seksi menandatangani surat", marks={"Staf": "Tidak"}),
    ]
    sop = infer(RawDocument("layout", roles=["Kepala Seksi", "Staf"], rows=rows))
    deciding, next_step = sop.step(2), sop.step(3)
    assert deciding.decision is not None
    assert deciding.role == "Staf"
    assert any("label cabang di kolom Staf" in e for e in deciding.role_provenance.evidence)
    assert not any("Staf" in e for e in next_step.role_provenance.evidence)


def test_activity_words_run_over_a_role_column_are_no_evidence() -> None:
    """A wide activity cell spills its last words ("yang dikirim") into the next column; a
    lower-case phrase that is no branch label says nothing about who acts."""
    rows = [RawRow(1, "Pengolahan data hasil survei", marks={"Tim Diseminasi": "yang dikirim"})]
    sop = infer(RawDocument("layout", roles=["Tim Pengolahan", "Tim Diseminasi"], rows=rows))
    step = sop.step(1)
    assert step.role == "Tim Pengolahan"
    assert step.role_provenance.source == "default"


def test_a_capitalised_label_in_a_role_column_still_counts() -> None:
    rows = [RawRow(1, "Pengolahan data hasil survei", marks={"Tim Diseminasi": "Via Email"})]
    sop = infer(RawDocument("layout", roles=["Tim Pengolahan", "Tim Diseminasi"], rows=rows))
    assert sop.step(1).role == "Tim Diseminasi"


def test_a_condition_that_sends_the_work_nowhere_is_no_decision() -> None:
    """"... jika tidak ada sanggahan" only says when the step happens; a clause that returns,
    refuses, mends or ends the work is a branch."""
    rows = [
        RawRow(1, "Pokja mengundang peserta 1 hari setelah masa sanggah jika tidak ada sanggahan"),
        RawRow(2, "Pokja memeriksa berkas; jika tidak lengkap dikembalikan untuk diperbaiki"),
        RawRow(3, "Pokja mengumumkan hasil"),
    ]
    sop = infer(RawDocument("layout", roles=["Pokja", "Peserta"], rows=rows))
    assert sop.step(1).decision is None
    decision = sop.step(2).decision
    assert decision is not None and decision.approve_to == 3


def test_negated_and_affirmed_answers_are_branch_labels() -> None:
    assert split_label("Belum Benar") == ("no", "Belum Benar")
    assert split_label("Tidak valid") == ("no", "Tidak valid")
    assert split_label("Sudah Benar") == ("yes", "Sudah Benar")
    assert split_label("Tujuan Disposisi")[0] == "label"


def test_labels_above_and_below_a_row_make_its_diamond() -> None:
    """The text lost the diamond's question; "Belum Benar" stands on the row above it (the
    arrow back) and "Sudah Benar" on the row below (the arrow on): the row between decides."""
    rows = [
        RawRow(1, "Perbaikan peralatan"),
        RawRow(2, "Pencatatan perbaikan", marks={"Teknisi": "Belum Benar"}),
        RawRow(3, "Pengujian hasil perbaikan"),
        RawRow(4, "Penyerahan peralatan", marks={"Pegawai": "Sudah Benar"}),
        RawRow(5, "Penutupan tiket"),
    ]
    sop = infer(RawDocument("layout", roles=["Pegawai", "Teknisi"], rows=rows))
    assert [s.number for s in sop.steps if s.decision] == [3]
    decision = sop.step(3).decision
    assert decision is not None
    assert [b.label for b in decision.branches] == ["Sudah Benar", "Belum Benar"]


def test_a_continuation_page_whose_waktu_values_moved_right_is_refitted() -> None:
    """Page 2 repeats no header and was laid out wider: its Waktu values stand where page 1
    had the Output column. Nothing crosses a column edge, yet a Waktu value outside the Waktu
    column is a misfit, so the page's own ranges are taken."""
    header = [
        _line((50, _P), (85, _M)),
        _line((NO, "No"), (ACT, "Kegiatan"), (R1, "Staf"), (R2, "Kasubbag"),
              (72, "Kelengkapan"), (90, "Waktu"), (104, "Output")),
    ]
    page1 = [_line((NO, "1"), (ACT, "Menyusun konsep"), (72, "Map"), (90, "2 jam"), (104, "SK")),
             ""]
    page2 = ["\f" + _line((NO, "2"), (ACT, "Memeriksa konsep"), (84, "Map"), (102, "1 jam"),
                          (116, "SK")),
             "",
             _line((NO, "3"), (ACT, "Mengirim surat"), (84, "Map"), (102, "30 menit"),
                   (116, "Surat")),
             ""]
    doc = layout.read("\n".join([*header, "", *page1, *page2]))
    assert [(r.requirements, r.duration, r.output) for r in doc.rows] == [
        ("Map", "2 jam", "SK"), ("Map", "1 jam", "SK"), ("Map", "30 menit", "Surat")]


def test_a_column_named_after_its_work_takes_the_steps_of_that_work() -> None:
    """"(Operator)" and "(Approver)" columns: entering data is the operator's step, approving
    it the approver's, even where nothing else in the text names who acts."""
    roles = ["Tim Gudang", "Tim Laporan (Operator)", "Tim Laporan (Approver)"]
    rows = [
        RawRow(1, "Menyerahkan barang persediaan"),
        RawRow(2, "Menginput data transaksi persediaan"),
        RawRow(3, "Menyetujui data transaksi persediaan"),
    ]
    sop = infer(RawDocument("layout", roles=roles, rows=rows))
    assert [s.role for s in sop.steps][1:] == ["Tim Laporan (Operator)", "Tim Laporan (Approver)"]
    assert any("Approver" in e for e in sop.step(3).role_provenance.evidence)


def test_work_done_earlier_by_someone_else_points_to_no_column() -> None:
    """"yang telah disetujui": approved before, by someone; the approver does not act here."""
    roles = ["Tim Gudang", "Tim Laporan (Approver)"]
    rows = [RawRow(1, "Menyiapkan barang persediaan yang telah disetujui")]
    sop = infer(RawDocument("layout", roles=roles, rows=rows))
    assert sop.step(1).role == "Tim Gudang"
