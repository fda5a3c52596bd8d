"""Rows at 150 dpi whose number or rule OCR damaged so that the row was folded into the one
above (issue 11): the table's rule between the number and the activity read as a "1" glued
to the activity's first word, a number lost with only the rule left before the activity, a
number read as letters that stand for no number of the sequence with the rule read as a
"1" after them. Each text is shaped like the harness's OCR texts, not copied from one
document; each repair is checked beside a line it must leave alone."""

from __future__ import annotations

from tests.support.ocr_text import ocr_rows


def _numbered(first: int, last: int) -> str:
    return "".join(f"{n} | Mencatat surat masuk nomor {n} ke buku agenda Disposisi 2 jam "
                   "Arsip\n" for n in range(first, last + 1))


def test_a_rule_read_as_a_one_glued_to_the_subject_is_no_part_of_the_number() -> None:
    rows = ocr_rows(_numbered(1, 3)
                    + "4 1Bendahara mengarsipkan nota dinas, kemudian C7 Laporan IKU 2 Hari "
                    "Surat Edaran\n"
                    + "diserahkan kepada Sekretaris\n"
                    + _numbered(5, 6))
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[3].activity.startswith("Bendahara mengarsipkan nota dinas")


def test_a_row_that_lost_its_number_and_kept_its_rule_opens_a_row() -> None:
    rows = ocr_rows(_numbered(1, 3)
                    + " |Mengoreksi laporan realisasi anggaran, kemudian T Nota Dinas 2 Hari "
                    "(Disposisi Rangkap dua\n"
                    + "diserahkan kepada Sekretaris\n"
                    + _numbered(5, 6))
    assert [r.number for r in rows] == [1, 2, 3, None, 5, 6]
    assert rows[3].activity.startswith("Mengoreksi laporan realisasi anggaran")


def test_a_wrapped_line_after_a_rule_stays_in_its_row() -> None:
    rows = ocr_rows(_numbered(1, 3)
                    + "4 | Mengoreksi laporan realisasi anggaran, kemudian Nota Dinas 2 Hari\n"
                    + " |diserahkan kepada Sekretaris untuk diperiksa\n"
                    + _numbered(5, 6))
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6]


def test_letters_that_fit_no_number_keep_the_one_place_the_rows_around_leave() -> None:
    rows = ocr_rows(_numbered(15, 18)
                    + "TO 1 Menyusun konsep Indikator Kinerja Utama untuk Buku agenda Arsip\n"
                    + "dibahas bersama tim, kemudian diserahkan kepada Staf\n"
                    + _numbered(20, 21))
    assert [r.number for r in rows] == list(range(15, 22))
    assert rows[4].activity.startswith("Menyusun konsep Indikator")


def test_letters_before_a_verb_where_no_place_is_left_stay_in_the_row_above() -> None:
    rows = ocr_rows(_numbered(15, 18)
                    + "TO 1 Menyusun konsep Indikator Kinerja Utama untuk Buku agenda Arsip\n"
                    + _numbered(19, 20))
    assert [r.number for r in rows] == list(range(15, 21))


def test_a_number_whose_eight_was_read_as_an_e_is_a_row() -> None:
    rows = ocr_rows(_numbered(16, 17)
                    + "Te |Memverifikasi rencana kerja anggaran C7 Draf Surat 1 jam Arsip\n"
                    + _numbered(19, 20))
    assert [r.number for r in rows] == list(range(16, 21))
    assert rows[2].activity.startswith("Memverifikasi rencana kerja")


def test_a_verb_whose_capital_went_with_the_rule_opens_its_row() -> None:
    rows = ocr_rows(_numbered(16, 18)
                    + "To | emeriksa laporan realisasi anggaran Nota Dinas 2 jam Arsip\n"
                    + "kemudian diserahkan kepada Staf\n"
                    + _numbered(20, 21))
    assert [r.number for r in rows] == list(range(16, 22))
    assert rows[3].activity.startswith("emeriksa laporan")


def test_a_word_of_those_letters_that_is_no_verb_stays_in_the_row_above() -> None:
    rows = ocr_rows(_numbered(16, 18)
                    + "To | enam lembar salinan dokumen\n"
                    + _numbered(19, 20))
    assert [r.number for r in rows] == list(range(16, 21))


def test_a_closed_digit_read_as_a_sign_before_the_rule_read_as_a_one_is_a_row() -> None:
    rows = ocr_rows(_numbered(1, 5)
                    + "& 1 Memeriksa dokumen pertanggungjawaban Formulir isian 1 jam Arsip\n"
                    + "kepada Arsiparis\n"
                    + _numbered(7, 8))
    assert [r.number for r in rows] == list(range(1, 9))


def test_a_ruled_row_that_lost_its_tens_and_its_subjects_capital_keeps_its_place() -> None:
    rows = ocr_rows(_numbered(14, 16)
                    + "7. (bengadministrasi Umum merekapitulasi nota dinas , Nota Dinas 1 bulan "
                    "Arsip\n"
                    + _numbered(18, 19))
    assert [r.number for r in rows] == list(range(14, 20))


def test_a_step_reference_that_wraps_onto_a_number_stays_in_its_row() -> None:
    rows = ocr_rows(_numbered(14, 16)
                    + "7, jika tidak dikembalikan kepada Staf untuk diperbaiki\n"
                    + _numbered(18, 19))
    assert [r.number for r in rows] == [14, 15, 16, 18, 19]


def test_the_last_rows_number_read_far_past_the_sequence_is_the_next_one() -> None:
    rows = ocr_rows(_numbered(1, 11)
                    + "72 | Menerima dan memeriksa daftar hadir Nota Dinas 15 menit Arsip\n"
                    + "sesuai dengan ketentuan peraturan\n")
    assert [r.number for r in rows] == list(range(1, 13))
    assert rows[11].activity.startswith("Menerima dan memeriksa daftar hadir")


def test_a_lone_number_before_its_own_numbered_row_is_a_remnant() -> None:
    blocks = ("\n8\n\n"
              "Staf menyusun rekapitulasi data,\nkemudian diserahkan kepada Kepala\nBidang\n\n"
              "Draf Surat\n\nSesuai kebutuhan\n\nArsip\n\n"
              "Memaraf usulan kegiatan, kemudian\ndiserahkan kepada Kepala Bidang\n\n"
              "Draf Surat\n\n3 bulan\n\nSurat Edaran\n\n")
    rows = ocr_rows(_numbered(1, 5) + blocks
                    + "8 (Kepala Bidang mencetak nota dinas Laporan IKU dua hari Laporan IKU\n"
                    + _numbered(9, 10))
    eight = next(r for r in rows if r.number == 8)
    assert eight.activity.startswith("Kepala Bidang mencetak nota dinas")
    assert [r.number for r in rows][-2:] == [9, 10]


def test_a_closed_digit_misread_past_the_gap_is_the_expected_number() -> None:
    rows = ocr_rows(_numbered(10, 12)
                    + "18 | Pemohon menyusun laporan realisasi anggaran Y 2 Hari Nota Dinas\n"
                    + "TI | Menyampaikan konsep surat keluar beserta lampiran Formulir isian 1 jam "
                    "Arsip\n"
                    + "TS | Sekretaris menyusun Surat Perintah Membayar Laporan IKU 3 bulan Arsip\n"
                    + _numbered(16, 17))
    assert [r.number for r in rows] == list(range(10, 18))
    assert rows[3].activity.startswith("Pemohon menyusun")
