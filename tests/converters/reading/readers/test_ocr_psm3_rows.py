"""Steps and roles of OCR text that Tesseract's automatic page mode (``--psm 3``) read at 150
dpi (issue 11): a diamond's labels with a stray digit before them, the column-number row
under the titles garbled into signs, a mark glued before an unnumbered row's capital, the
rule read as a "1" glued to a verb whose "M" became "W", a closed digit read for another
("3" for 8), a whole table read as blocks with its digits read as letters, and a header read
a title a block. Each text is shaped like the harness's OCR texts, not copied from one
document; each repair is checked beside what it must leave alone."""

from __future__ import annotations

import pytest

from converters.reading.readers import ocr, rank_readers
from converters.reading.readers.ocr.role_columns import block_titles, with_block_titles
from converters.reading.readers.ocr.signs import digits_read_as_letters
from converters.reading.readers.ocr.words import index_row, row_start
from tests.support.ocr_text import ocr_rows


def _rows(first: int, last: int) -> str:
    return "".join(
        f"{n} | Mencatat surat masuk nomor {n} ke buku agenda Disposisi 2 jam Arsip\n"
        for n in range(first, last + 1)
    )


# -- a diamond's labels after a stray digit ------------------------------------------------------


@pytest.mark.parametrize("line", ["7 Tidak fengkap", "5 Tidak lengkap", "4 | Ya", "6 Setuju?"])
def test_a_digit_before_a_diamonds_labels_opens_no_row(line: str) -> None:
    assert row_start(line) is None


def test_a_digit_before_an_activity_still_opens_its_row() -> None:
    assert row_start("7 Tidak melanjutkan proses surat masuk") is not None  # an activity
    assert row_start("5 | Memeriksa surat masuk") == (5, "Memeriksa surat masuk")


def test_the_labels_line_does_not_take_the_next_rows_number() -> None:
    rows = ocr_rows(
        _rows(1, 4)
        + "5 | Memeriksa surat masuk: jika lengkap diteruskan kepada Berkas 2jam Arsip\n"
        "Kabid, jika tidak lengkap kembali ke langkah 1 permohonan\n"
        "\n"
        "7 Tidak fengkap\n"
        "Setuju?\n"
        "Lengkap\n"
        "& | Kabid menyampaikan draf laporan kinerja Draf Surat Sesuai Disposisi\n"
        "kebutuhan\n"
        "\n"
        "7 | Menyampaikan konsep surat keluar sesuai dengan Nota Dinas 2jam Rangkap dua\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert rows[5].activity.startswith("Kabid menyampaikan")
    assert rows[6].activity.startswith("Menyampaikan konsep")


# -- the column numbers' row garbled -------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "2 Ie) @ 8 & m (3) » (20) (1) (12)",
        "d) 2 (a) @ 2) & kg) (5) » (20) 1) (12)",
        "(1) (2) (3) (4) (5) (6)",
    ],
)
def test_the_garbled_column_numbers_are_an_index_row_and_no_row(line: str) -> None:
    assert index_row(line)
    assert row_start(line) is None


@pytest.mark.parametrize(
    "line",
    ["T | — C7 | Lo", "DN ATA TN DA Ce GE Na", "2 | Memeriksa surat masuk (SPM) 2 jam"],
)
def test_debris_and_rows_are_no_index_row(line: str) -> None:
    assert not index_row(line)


def test_a_row_whose_capital_lost_stays_before_a_garbled_index_row() -> None:
    rows = ocr_rows(
        _rows(1, 4)
        + "5 (kepala Bidang Perencanaan menyusun konsep Indikator € 5 Menit Parat\n"
        "Kinerja Utama\n"
        "\n"
        "Pelaksana Mutu Buku\n"
        "Uraian Prosedur Keterangan\n"
        "Kadis PPK Kabid Staf Kelengkapan Waktu Output\n"
        "2 Ie) @ 8 & m (3) » (20) (1) (12)\n"
        "6 | Mencatat surat keluar ke buku agenda Disposisi 2 jam Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[4].activity.startswith("kepala Bidang Perencanaan menyusun")


# -- a mark before an unnumbered row's capital ---------------------------------------------------


def test_a_mark_glued_before_an_unnumbered_rows_subject_still_opens_it() -> None:
    rows = ocr_rows(
        _rows(1, 2)
        + "Kadis mendistribusikan berkas permohonan Laporan IKU 10 mnt Arsip\n"
        "'Staf merekapitulasi draf laporan kinerja dalam rangka E Nota Dinas setengah jam | "
        "Paraf\n"
        "tertib administrasi\n"
        "5 | Mengarsipkan surat masuk Disposisi 2 jam Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, None, None, 5]
    assert rows[3].activity.startswith("Staf merekapitulasi")


# -- the rule read as a "1" before a verb whose "M" became "W"; a closed digit misread -----------


def test_the_rule_read_as_a_one_before_a_damaged_verb_opens_the_row() -> None:
    assert row_start("5 1Wemeriksa usulan kegiatan: jika setuju") == (
        5, "Memeriksa usulan kegiatan: jika setuju")
    assert row_start("5 1Wilayah kerja dinas") is None  # no verb's "M" misread
    rows = ocr_rows(
        _rows(1, 3)
        + "A 1Wemaraf daftar hadir Disposisi 2 jam Rangkap dua\n"
        "5 1Wemeriksa usulan kegiatan: jika setuju Draf Surat 60 Menit Laporan IKU\n"
        "diteruskan kepada Kabid, jika tidak setuju kembali ke langkah 3\n"
        "& JWemeriksa surat masuk jika setuju KTP dan KK 2 jam Draf Surat\n"
        "7 | Mencatat surat keluar ke buku agenda Disposisi 2 jam Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6, 7]  # "&" read as the 6 it looks like
    assert rows[3].activity.startswith("Memaraf daftar hadir")
    assert rows[5].activity.startswith("Memeriksa surat masuk")


@pytest.mark.parametrize(("read", "numbers"), [
    ("3", [*range(1, 9), 10, 11]),  # "3" for 8: a closed look-alike
    ("4", [*range(1, 8), 10, 11]),  # "4" is no misreading of 8: the row is lost
])
def test_a_closed_digit_read_for_the_expected_one_keeps_the_sequence(
        read: str, numbers: list[int]) -> None:
    # (10 after it, not 9: a number between 7 and 9 is 8 whatever it reads,
    # test_ocr150_sequence_clauses)
    rows = ocr_rows(
        _rows(1, 7)
        + f"{read} (Kadis merekapitulasi surat undangan Laporan IKU 2 jam Berkas\n"
        + _rows(10, 11)
    )
    assert [r.number for r in rows] == numbers
    assert rows[7].activity.startswith("Kadis merekapitulasi") == (read == "3")


# -- a whole table read as blocks: still OCR ------------------------------------------------------


_BLOCKS_TABLE = (
    "STANDAR OPERASIONAL PROSEDUR\nNama SOP: Pengelolaan Surat Masuk\n\n"
    "No\n\nKegiatan\n\nPelaksana\n\nMutu Baku\n\nKadis\n\nKepala\nSub Bagian\nUmum\n\n"
    "Pengadministr\nasi Umum\n\nKelengkapan\n\nWaktu\n\nOutput\n\nKeterangan\n\n"
    "Mencatat surat masuk ke buku\nagenda\n\nDisposisi\n\n{w1}\n\nArsip\n\n"
    "Menyampaikan surat masuk\nkepada Kadis\n\nNota Dinas\n\n{w2}\n\nArsip\n\n"
    "Kadis mendisposisikan surat\nmasuk\n\nDisposisi\n\n{w3}\n\nArsip\n\n"
    "\fNo\n\nKegiatan\n\nPelaksana\n\nMutu Baku\n\nKadis\n\nKepala\nSub Bagian\nUmum\n\n"
    "Pengadministr\nasi Umum\n\nKelengkapan\n\nWaktu\n\nOutput\n\nKeterangan\n\n"
    "4\n\nMengarsipkan surat masuk\n\nDisposisi\n\n1 hari\n\nArsip\n\n"
    "5\n\nMenyampaikan surat keluar\n\nNota Dinas\n\n2 jam\n\nArsip\n"
)


def test_a_table_read_as_blocks_whose_digits_are_letters_is_read_as_ocr() -> None:
    text = _BLOCKS_TABLE.format(w1="Ijam", w2="T Minggu", w3="Ziam")
    assert digits_read_as_letters(text.splitlines(), 2) == 2
    assert rank_readers(text)[0][1] == "ocr"
    rows = ocr.read(text).rows
    assert len(rows) == 5 and [r.number for r in rows][3:] == [4, 5]


def test_a_table_read_as_blocks_with_its_digits_whole_is_left_to_the_others() -> None:
    text = _BLOCKS_TABLE.format(w1="1 jam", w2="1 Minggu", w3="dua hari")
    assert digits_read_as_letters(text.splitlines(), 2) == 0  # a number word is no damage
    assert rank_readers(text)[0][1] != "ocr"


# -- a header read as blocks, a title a block ----------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.split("\n")


def test_a_header_read_as_blocks_gives_a_title_a_block() -> None:
    header = _lines("No\n\nKegiatan\n\nPelaksana\n\nMutu Baku\n\nPelaksana\n\nKepala\nSub Bagian\n"
              "Program\n\nPengadministr\nasi Umum\n\nKetua Tim\nPelayanan\n\nKelengkapan\n\n"
              "Waktu\n\nOutput\n\nKeterangan\n")
    assert block_titles(header) == [
        "Pelaksana", "Kepala Sub Bagian Program", "Pengadministrasi Umum", "Ketua Tim Pelayanan"]


def test_two_titles_read_as_one_block_are_no_block_reading() -> None:
    header = _lines("Pelaksana\n\nMutu Baku\n\nKadis\n\nKepala\nSub Ketua Tim\n"
                    "Bagian | Pelayanan\n\nKelengkapan\n\nWaktu\n")
    assert block_titles(header) is None
    assert block_titles(_lines("Pelaksana Mutu Baku\nKadis Kabid Staf Kelengkapan Waktu Output")
                        ) is None  # a header read as lines


def test_block_titles_take_over_misdealt_lines_and_keep_a_title_the_blocks_lost() -> None:
    lines = ["Kepala Dinas", "PPK", "Kepala Bidang", "Pengadministrasi Program Umum", "Staf"]
    blocked = ["Kepala Dinas", "Kepala Bidang Program", "Pengadministrasi Umum", "Staf"]
    assert with_block_titles(lines, blocked) == [
        "Kepala Dinas", "PPK", "Kepala Bidang Program", "Pengadministrasi Umum", "Staf"]
    # a rank the blocks do not name is not put in: its unit may be misdealt too
    assert with_block_titles(["Kepala", "Kepala Umum", *blocked], blocked) == blocked


# -- a "7" read as "T"; a first line whose Waktu was lost ----------------------------------------


def test_a_seven_read_as_a_t_opens_row_seven() -> None:
    rows = ocr_rows(
        _rows(1, 6)
        + "\nT Menandatangan rencana kera anggaran KTP dan KK 1 bulan Berkas lengkap\n"
        "beserta lampiran dan data dukung\n"
    )
    assert [r.number for r in rows] == [*range(1, 8)]
    assert rows[6].activity.startswith("Menandatangan rencana")


def test_a_two_letter_number_reads_its_t_as_a_one() -> None:
    rows = ocr_rows(_rows(1, 11) + "T2 | Menandatangani rencana kerja Disposisi 1 jam Arsip\n")
    assert rows[-1].number == 12


def test_a_verb_line_ruled_into_capitalised_cells_is_a_row_whose_waktu_was_lost() -> None:
    rows = ocr_rows(
        _rows(1, 4)
        + "Y Jumat\n"
        "Menandatangani draf laporan kinerja € Buku agenda Rangkap dua\n"
        "6 | Mengarsipkan surat masuk Disposisi 2 jam Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 4, None, 6]
    assert rows[4].activity == "Menandatangani draf laporan kinerja"


# -- role titles set apart above "No Kegiatan" ---------------------------------------------------


def test_role_titles_a_blank_line_above_the_step_title_are_the_header() -> None:
    doc = ocr.read(
        "STANDAR OPERASIONAL PROSEDUR\nNama SOP: Pengelolaan Surat Masuk\n\n"
        "Pemohon Kepala Dinas Mutu Buku\n\nNo Kegiatan Keterangan\nKelengkapan Waktu Output\n"
        + _rows(1, 3)
    )
    assert doc.roles == ["Pemohon", "Kepala Dinas"]


# -- a page whose numbers column page mode 6 lost ------------------------------------------------


def test_a_row_whose_number_was_lost_under_a_one_line_header_is_read_not_refused() -> None:
    """Page mode 6 at 150 dpi may keep one title line and one row of a small table, the
    narrow number column lost: the row opens with a verb, which no column title does, so it
    ends the header and is read as step 1 rather than swallowed as a title line (the text
    was refused as having no steps)."""
    text = (
        "STANDAR OPERASIONAL PROSEDUR\n"
        "Nama SOP: Penyusunan Rencana Kerja\n\n"
        "No Uraian Prosedur Keterangan\n"
        "Menandatangani rencana kerja anggaran sesuai dengan ketentuan yang berlaku"
        " Melalui aplikasi\n"
    )
    raw = ocr.read(text)
    assert len(raw.rows) == 1
    assert raw.rows[0].activity.startswith("Menandatangani rencana kerja")


def test_a_title_line_after_the_step_titles_stays_in_the_header() -> None:
    """The rule above is about verbs: a second header line of jabatan titles is no row."""
    text = (
        "No Uraian Prosedur Pelaksana Mutu Baku Keterangan\n"
        "Kepala Dinas Sekretaris Staf Kelengkapan Waktu Output\n"
        "1 | Menandatangani rencana kerja anggaran Disposisi 1 hari Arsip\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
    )
    raw = ocr.read(text)
    assert [r.activity.split()[0] for r in raw.rows] == ["Menandatangani", "Mencatat"]
