"""The OCR reader on rows Tesseract damages at 150 dpi, above all in its single-block page
mode (``--psm 6``), as the fidelity harness showed them (issue 11): a verb's capital "M" read
as strokes, a row number with its last digit lost or read as letters behind the sequence, the
debris of rows OCR could not read after the last number read, a page's first rows and group
titles lost, Waktu values glued to a sign or a tail, a Keterangan opener misspelt, a role's
a diamond's garbled words up to its question. Each text is shaped
like the harness's OCR texts, not copied from one document; each repair is checked beside a
value it must leave alone."""

from __future__ import annotations

import pytest

from converters.reading.durations import parse_duration
from converters.reading.readers import ocr, read_raw
from converters.reading.readers.ocr import labels, waktu
from converters.reading.readers.ocr.words import drop_labels, mend_verb
from tests.support.ocr_text import OCR_HEADER, ocr_rows

_HEADER = OCR_HEADER


_rows = ocr_rows


@pytest.mark.parametrize(
    ("word", "verb"),
    [
        ("Iemverifikasi", "Memverifikasi"),  # the "M" lost, the rule before it read as "I"
        ("Iengagendakan", "Mengagendakan"),
        ("Itenyampaikan", "Menyampaikan"),  # the "M" read as a "t" after the rule
        ("btengagendakan", "Mengagendakan"),
        ("Nhtemeriksa", "Memeriksa"),
        ("herekapitulasi", "Merekapitulasi"),  # "me-" before an "r"
        ("htemarf", "Memarf"),  # a short stem, its last letter lost too
    ],
)
def test_a_verbs_capital_read_as_strokes_is_mended(word: str, verb: str) -> None:
    assert mend_verb(word) == verb


@pytest.mark.parametrize("word", ["Pemeriksaan", "lemari", "hemat", "Ienis", "kabag"])
def test_words_that_are_no_damaged_verb_stay(word: str) -> None:
    assert mend_verb(word) == word


def test_a_row_whose_verb_lost_its_capital_after_the_rule_is_a_row() -> None:
    rows = _rows(
        "1 (herekapitulasi konsep surat keluar beserta lampiran Nota Dinas 2 Hari Arsip\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "3 —|htemarf laporan realisasi anggaran untuk dibahas Nota Dinas 1 jam Arsip\n"
        "4 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 4]
    assert rows[0].duration == "2 Hari" and rows[2].duration == "1 jam"


def _numbered(first: int, last: int) -> str:
    return "".join(f"{n} | Mencatat surat masuk nomor {n} ke buku agenda Disposisi 2 jam "
                   "Arsip\n" for n in range(first, last + 1))


def test_a_two_digit_number_with_its_last_digit_lost_keeps_its_place() -> None:
    rows = _rows(_numbered(1, 12)
                 + "1. | Mengoreksi usulan kegiatan bersama staf Disposisi 2 Hari Arsip\n"
                 + _numbered(14, 15))
    assert [r.number for r in rows] == list(range(1, 16))
    assert rows[12].activity == "Mengoreksi usulan kegiatan bersama staf"


def test_a_lone_one_under_a_two_digit_row_is_a_wrapped_line() -> None:
    rows = _rows(_numbered(1, 12) + "1. | dan data dukung\n" + _numbered(13, 14))
    assert [r.number for r in rows] == list(range(1, 15))
    assert "dan data dukung" in f"{rows[11].activity} {rows[11].requirements}"


def test_a_number_read_as_letters_just_behind_the_sequence_is_the_expected_one() -> None:
    rows = _rows(_numbered(20, 22).replace("20 |", "1 |", 1)
                 + "z2. | Staf menandatangani dokumen pertanggungjawaban Nota Dinas 1 jam Arsip\n"
                 + _numbered(24, 24))
    assert [r.number for r in rows][-3:] == [22, 23, 24]
    assert rows[-2].activity.startswith("Staf menandatangani")


_UNREAD_ROW = "DN ATA TN DA Ce GE — Na\n"  # a row level with a symbol, read as debris


def test_the_debris_of_lost_rows_after_the_last_number_keeps_the_rows_places() -> None:
    rows = _rows(
        _numbered(1, 2)
        + "Menandatangani surat undangan beserta lampiran Nota Dinas 30 Menit Arsip\n"
        + _UNREAD_ROW
        + "Memverifikasi draf laporan kinerja Laporan IKU 1 jam Surat Edaran\n"
        + "Mengarsipkan berkas permohonan Disposisi 2 Hari Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 5, 6]
    assert rows[3].output == "Surat Edaran"


def test_a_short_remnant_after_the_last_number_counts_no_row() -> None:
    rows = _rows(
        _numbered(1, 2)
        + "Menandatangani surat undangan beserta lampiran Nota Dinas 30 Menit Arsip\n"
        + "Lo | —\n"
        + "Memverifikasi draf laporan kinerja Laporan IKU 1 jam Surat Edaran\n"
    )
    assert [r.number for r in rows][:2] == [1, 2]
    assert all(r.number in (None, 3, 4) for r in rows[2:])
    assert len(rows) == 4


def test_a_page_whose_header_and_first_numbers_were_lost_starts_at_its_first_row() -> None:
    text = (
        "STANDAR OPERASIONAL PROSEDUR\nNama SOP: Layanan Pengaduan Masyarakat\n\n"
        "Mengagendakan konsep surat keluar melalui aplikasi z Buku agenda 1 jam 30 menit | "
        "Surat Edaran\n\n"
        + _numbered(2, 5)
    )
    rows = list(ocr.read(text).rows)
    assert len(rows) == 5
    assert rows[0].activity.startswith("Mengagendakan konsep surat keluar")
    assert rows[0].duration == "1 jam 30 menit"


def test_a_table_known_only_by_its_column_titles_line_is_read() -> None:
    text = (
        "STANDAR OPERASIONAL PROSEDUR\nNama SOP: Pengajuan Cuti Pegawai\n\n"
        "Kepala Badan PPK Kelengkapan Waktu Output\n"
        "Memeriksa dokumen pertanggungjawaban, kemudian diserahkan kepada PPK Berkas 1-5 hari "
        "Rekap data\n"
        "Menginput notulen rapat Surat Edaran 1 jam Surat Edaran\n"
        "3 | Menginput berkas permohonan beserta lampiran KTP dan KK 2 jam Surat Edaran\n"
    )
    doc = read_raw(text.encode(), "sop.txt")
    assert doc.rows[-1].number == 3
    assert doc.rows[-1].duration == "2 jam"


def test_a_text_with_column_titles_but_no_rows_is_still_no_table() -> None:
    assert ocr.sniff("Laporan\nKepala Badan PPK Kelengkapan Waktu Output\nCatatan akhir\n") < (
        0.25)


@pytest.mark.parametrize(
    ("tokens", "minutes"),
    [
        (["1smenitper"], 15),  # "15 menit per", the "5" read as an "s", the tail glued
        (["1", "-Shari", "Kerja"], 2400),  # "1 - 5 hari Kerja", the sign glued to "5hari"
        (["1", "-5hari"], 2400),
        (["dua", "har"], 960),  # a unit cut short after a number in words
        (["duahar"], 960),  # and glued to it
        (["3butan"], 28800),  # "3bulan", the "l" read as a "t"
    ],
)
def test_glued_waktu_values_are_read(tokens: list[str], minutes: int) -> None:
    found = waktu.find(["Nota", "Dinas", *tokens, "Arsip"], [])
    assert found is not None
    assert parse_duration(found.text).max_minutes == minutes


def test_a_dash_glued_to_a_word_is_no_range() -> None:
    assert waktu.find(["Surat", "-lainnya"], []) is None


@pytest.mark.parametrize("word", ["tatap", "batas", "tetap", "Jumat", "tr"])
def test_words_with_a_t_are_no_unit_misread(word: str) -> None:
    assert waktu.unit_word(word) is None


def test_a_misspelt_keterangan_opener_starts_the_keterangan() -> None:
    rows = _rows(
        "1 | Menandatangani laporan realisasi anggaran Nota Dinas 1 minggu Disposisi Melaut "
        "aplikasi\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Laporan Kinerja\n"
    )
    assert (rows[0].output, rows[0].notes) == ("Disposisi", "Melaut aplikasi")
    assert rows[1].output == "Laporan Kinerja"


def test_a_cell_after_kepada_and_a_name_the_document_uses_as_a_cell_stays_a_cell() -> None:
    rows = _rows(
        "1 | Menelaah rekapitulasi data beserta lampiran Disposisi 1 jam Surat\n"
        "kepada Edaran\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Edaran\n"
    )
    assert "Edaran" not in rows[0].activity


def test_a_diamonds_garbled_words_up_to_its_question_are_dropped() -> None:
    assert drop_labels(["Surat", "Edaran", "Tidak", "segju", "AG", "gtap?"]) == [
        "Surat", "Edaran"]
    assert drop_labels(["Surat", "Tugas", "sesuai", "SPT"]) == ["Surat", "Tugas", "sesuai",
                                                                "SPT"]


def test_a_keterangan_opener_glued_to_its_words_starts_the_keterangan() -> None:
    rows = _rows(
        "1 | Mendistribusikan Surat Perintah Membayar KTP dan KK | Laporan IKU "
        "(patingtambathari\nJumat\n"
        "2 | Mencatat surat masuk ke buku agenda KTP dan KK 2 jam Laporan IKU\n"
    )
    assert rows[0].output == "Laporan IKU"
    assert rows[0].notes.startswith("patingtambathari")
    assert rows[1].output == "Laporan IKU"  # a cell's own word is no opener


def test_the_per_noun_of_a_row_read_as_blocks_goes_back_to_its_waktu() -> None:
    rows = _rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam SPM\n\n"
        "Mencetak konsep surat keluar\n\nDisposisi\n\n15menitper | spm\ndokumen\n\n"
        "3 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam SPM\n"
    )
    assert (rows[1].duration, rows[1].output) == ("15 menit per dokumen", "spm")


def test_a_per_noun_on_the_wrapped_line_is_left_to_the_wrapped_line() -> None:
    rows = _rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 15 menit per | spm\n"
        "dan data dukung dokumen\n"
        "2 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
    )
    assert (rows[0].duration, rows[0].output) == ("15 menit per dokumen", "spm")


def test_running_text_after_the_cells_goes_back_to_the_activity() -> None:
    rows = _rows(
        "1 | Mendistribusikan laporan realisasi anggaran sesuai dengan ketentuan\n"
        "peraturan yang berlaku\n\n"
        "Laporan IKU 2 Hari Disposisi\n\n"  # the cells read after the activity's lines
        "kemudian diserahkan kepada Kepala Seksi\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "3 | Mencatat surat keluar ke buku agenda\n\nDisposisi 2 jam Arsip Melalui\n\n"
        "Sekretariat Daerah\n"
    )
    assert rows[0].output == "Disposisi"
    assert rows[0].activity.endswith("kemudian diserahkan kepada Kepala Seksi")
    assert rows[2].notes == "Melalui Sekretariat Daerah"  # a remark's wrapped end stays


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        (["|", "jam", "30", "menit"], "1 jam 30 menit"),  # the "1" read as a symbol's edge
        (["Jam", "30", "menit"], "1 Jam 30 menit"),
        (["setiap", "hari", "2", "jam"], "2 jam"),  # the activity's words, then the Waktu
        (["Dinas", "menit", "2", "jam"], "2 jam"),  # a smaller unit leads no compound
    ],
)
def test_a_compound_value_whose_leading_one_was_lost(tokens: list[str], text: str) -> None:
    found = waktu.find(["Nota", *tokens, "|", "Arsip"], [])
    assert found is not None
    assert found.text == text


_NAMED = ("Memilah surat masuk sesuai jenisnya: jika kotak pengaduan diteruskan ke langkah 2, "
          "jika tatap muka diteruskan ke langkah 3")


@pytest.mark.parametrize(
    ("cells", "kept"),
    [
        (["SPM", "Tatap"], ["SPM"]),  # the label's second word lost at the line's end
        (["Surat", "keluar", "Tatap", "myjja"], ["Surat", "keluar"]),  # garbled beyond it
        (["Rekap", "data", "Kotjik", "Pengaduan"], ["Rekap", "data"]),  # one word near
        (["Laporan", "Kotak", "Surat"], ["Laporan", "Kotak", "Surat"]),  # a cell's word
        (["Tatap", "Arsip"], ["Tatap", "Arsip"]),  # a label word alone, not at the end
    ],
)
def test_a_named_label_garbled_in_part_is_dropped(cells: list[str], kept: list[str]) -> None:
    assert labels.drop_conditions(cells, labels.conditions(_NAMED)) == kept


def test_a_rule_read_as_a_capital_i_before_a_cell_is_a_boundary() -> None:
    rows = _rows(
        "1 | Mengarsipkan draf laporan kinerja Nota Dinas 5-10 menit IRekap data Rangkap dua\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi IMnggu Arsip\n"
    )
    assert rows[0].output == "Rekap data"
    assert parse_duration(rows[1].duration).max_minutes == 2400  # "1 Minggu": a "1" read "I"


def test_a_stroke_or_an_arrow_tip_after_a_cell_is_no_word_of_it() -> None:
    rows = _rows(
        "1 | Menelaah surat masuk untuk dibahas bersama tim Disposisi 1 Minggu Surat keluar 2\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Surat Edaran al\n"
        "3 | Mencatat surat keluar ke buku agenda Disposisi 2 jam Surat Edaran 2x\n"
    )
    assert [r.output for r in rows[:2]] == ["Surat keluar", "Surat Edaran"]
    assert rows[2].output == "Surat Edaran 2x"  # a cell's short word of a digit and a letter


def test_without_a_waktu_the_noun_phrase_after_the_running_text_is_the_kelengkapan() -> None:
    rows = _rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam SuratEdaran\n"
        "2 | Memverifikasi laporan realisasi anggaran dalam 7 Buku agenda Sesuat SuratEdaran "
        "| Paling lambat\n"
        "rangka tertib administrasi, kemudian diserahkan kebutuhan\n"
        "3 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam SuratEdaran\n"
    )
    assert (rows[1].requirements, rows[1].output) == ("Buku agenda", "SuratEdaran")


def test_a_line_of_role_titles_after_a_symbols_digit_stays_in_the_header() -> None:
    text = (
        "SOP Pengelolaan Surat Masuk\n\n"
        "Kegiatan Kepala Kepala Keterangan\n"
        "5 Kepala Kepala Ketua Tim Sub\n"
        "Bagian Bidang Seksi Program Bagian | Pelaksana | Kelengkapan\n"
        "1 | Mengoreksi draf laporan kinerja Surat Edaran 15 menit Paraf\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
    )
    rows = list(ocr.read(text).rows)
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].activity == "Mengoreksi draf laporan kinerja"


def test_a_numbered_line_naming_one_jabatan_is_still_a_row() -> None:
    rows = _rows("1 | Kepala Dinas menandatangani surat Disposisi 2 jam Arsip\n"
                 "2 Kabid Surat Edaran 1 jam Arsip\n")
    assert [r.number for r in rows] == [1, 2]
