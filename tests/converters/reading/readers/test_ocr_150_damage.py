"""The OCR reader on more damage Tesseract does at 150 dpi (issue 11): each test holds a small
OCR-like text showing one kind of damage the reader repairs. The lines are shaped like the
fidelity harness's OCR texts (``bench/text_fidelity.py --forms 'tesseract 150' --oracle``),
not copied from one document: what they show is what low resolution does to any table."""

from __future__ import annotations

import pytest

from converters.reading.readers import ocr
from converters.reading.readers.ocr import garbled, waktu
from converters.reading.readers.ocr.words import misspelt_label
from tests.converters.reading.readers.test_ocr_low_resolution import _HEADER, _rows


@pytest.mark.parametrize(
    ("tokens", "value"),
    [
        (["1", "-S", "hari", "Kerja"], "1 - 5 hari Kerja"),  # the "5" glued to the range sign
        (["1-S", "hari"], "1 - 5 hari"),
    ],
)
def test_a_five_read_as_s_after_the_range_sign_is_still_a_five(
    tokens: list[str], value: str
) -> None:
    found = waktu.find(["Nota", "Dinas", *tokens], [])
    assert found is not None
    assert found.text == value


def test_an_s_after_a_range_sign_is_a_letter_when_no_unit_follows() -> None:
    found = waktu.find(["Nota", "-S", "Arsip"], [])
    assert found is None


@pytest.mark.parametrize(
    ("tokens", "value"),
    [
        (["Nota", "Dinas", "“hari", "kerja"], "1 hari kerja"),  # the thin "1" read as a quote
        (["Nota", "Dinas", "2br", "Arsip"], "2 hr"),  # "h" read as "b"
        (["Nota", "Dinas", "Than", "kerja"], "1 hari kerja"),  # "1" as "T", "ri" as "n"
        (["Nota", "Dinas", "1Omn", "Arsip"], "10 mnit"),  # "0" as "O", the unit's end lost
    ],
)
def test_a_waktu_value_damaged_at_low_resolution_is_read(tokens: list[str], value: str) -> None:
    found = waktu.find(tokens, [])
    assert found is not None
    assert found.text == value


@pytest.mark.parametrize("tokens", [["Nota", "2", "“hari"], ["Tim", "Iman", "2se", "Arsip"]])
def test_no_one_is_added_before_a_number_nor_a_rare_unit_guessed(tokens: list[str]) -> None:
    """A quote before a unit that has its number is the number's debris; a piece that begins
    a rare unit ("se" of "semester") is no unit."""
    found = waktu.find(tokens, [])
    assert found is None or found.text == "2 hari"


_STEPS = """1 | Menerima surat masuk dari Pemohon Disposisi 1 jam Arsip
2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip
{third} surat masuk kepada Kabid Disposisi 1 jam Arsip
{fourth} rekapitulasi data kepada Kadis Disposisi 3 jam Arsip
"""


@pytest.mark.parametrize(
    ("third", "fourth"),
    [
        ("& | Mendistribusikan", "@ | Menyampaikan"),  # closed digits read as signs
        ("3 1 Mendistribusikan", "4 1 Menyampaikan"),  # the rule read as a "1"
        ("3 | Mendistribusikan", "Z | Menyampaikan"),  # a number fitting no step: lost
    ],
)
def test_rows_whose_number_or_rule_was_misread_are_kept(third: str, fourth: str) -> None:
    rows = _rows(_STEPS.format(third=third, fourth=fourth))
    assert len(rows) == 4
    assert rows[2].activity.startswith("Mendistribusikan surat masuk")
    assert rows[3].activity.startswith("Menyampaikan rekapitulasi")
    assert rows[3].duration == "3 jam"


def test_a_number_with_a_stray_digit_is_the_step_the_sequence_expects() -> None:
    """ "1O6 |" for 16 ("O" a stray tick between the digits): the reading the sequence
    expects, among the numbers left when one character is dropped."""
    body = "".join(f"{n} | Menyusun surat nomor {n} kepada Kabid Disposisi 1 jam Arsip\n"
                   for n in range(1, 19))
    rows = _rows(body.replace("16 | Menyusun", "186 | Menyusun"))
    assert [r.number for r in rows] == list(range(1, 19))
    assert rows[15].activity.startswith("Menyusun surat nomor 16")


def test_an_acronym_glued_to_the_rule_read_as_one_keeps_its_row() -> None:
    rows = _rows(_STEPS.format(third="3 1JF menyusun", fourth="4 | Menyampaikan"))
    assert [r.number for r in rows] == [1, 2, 3, 4]
    assert rows[2].activity.startswith("JF menyusun surat masuk")


@pytest.mark.parametrize(
    ("tokens", "value"),
    [
        (["Nota", "Dinas", "T", "minggu"], "1 minggu"),  # a lone stroke letter for "1"
        (["Nota", "Dinas", "duahan", "Arsip"], "dua hari"),  # a number word glued to its unit
        (["Nota", "Dinas", "6O", "Men", "Arsip"], "60 menit"),  # "0" as "O", the unit cut
        (["Nota", "Dinas", "T-Shan", "Kerja"], "1 - 5 hari Kerja"),  # "1" as "T", "5" as "S"
        (["Nota", "Dinas", "TMinggu", "Arsip"], "1 Minggu"),
        (["Nota", "Dinas", "tjam", "Arsip"], "1 jam"),  # a small "t" for the "1"
        (["Nota", "Dinas", "5s", "10", "menit"], "5 s.d 10 menit"),  # the ".d" lost
        (["Nota", "Dinas", "5sd", "Io", "menit"], "5 sd 10 menit"),  # "10" read as letters
        (["Nota", "Dinas", "S-1Omenit", "Arsip"], "5 - 10 menit"),  # the first "5" as "S"
    ],
)
def test_a_waktu_number_read_as_a_letter_or_glued_word_is_read(
    tokens: list[str], value: str
) -> None:
    found = waktu.find(tokens, [])
    assert found is not None
    assert found.text == value


@pytest.mark.parametrize(("sixth", "seventh"), [
    ("8 (Menyusun", "7 | Menyusun"),
    ("8 (kadis menyusun", "7 (kabid menyusun"),  # the capitals lost too
])
def test_a_misread_number_between_two_read_ones_keeps_its_place(sixth: str, seventh: str) -> None:
    """ "5", "8", "7": the "8" is a misread "6" (the next row goes back into the gap), so the
    row is step 6 and the real step 8 is not swallowed by it."""
    body = "".join(f"{n} | Menyusun surat nomor {n} kepada Kabid Disposisi 1 jam Arsip\n"
                   for n in range(1, 10))
    rows = _rows(body.replace("6 | Menyusun", sixth).replace("7 | Menyusun", seventh))
    assert [r.number for r in rows] == list(range(1, 10))
    assert "surat nomor 6" in rows[5].activity


@pytest.mark.parametrize("opening", ["BI Menyusun", "B Wenyusun", "8 | Wenyusun"])
def test_a_row_whose_number_and_verb_were_read_as_letters_is_kept(opening: str) -> None:
    """ "BI" is "8" and its rule; "W" is the verb's "M" at low resolution."""
    body = "".join(f"{n} | Menyusun surat nomor {n} kepada Kabid Disposisi 1 jam Arsip\n"
                   for n in range(1, 10))
    rows = _rows(body.replace("8 | Menyusun", opening))
    assert [r.number for r in rows] == list(range(1, 10))
    assert "surat nomor 8" in rows[7].activity


_DECISION = """1 | Menerima surat masuk dari Pemohon Disposisi 1 jam Arsip
2 | Memeriksa berkas, jika setuju diteruskan ke langkah 3, jika tidak Disposisi 1 jam Berkas lengkap
setuju kembali ke langkah 1
{labels}
3 | Memilah surat: jika kotak pengaduan diteruskan ke langkah 4, jika tatap muka 2 jam SPM
diteruskan ke langkah 1
Tatap nuka
Kotak Pengakluan
4 | Mencetak surat masuk kepada Kabid Disposisi 3 jam Arsip
"""


@pytest.mark.parametrize("labels", ["Garap Srida fetuju", "Setuju? denda etuju"])
def test_branch_labels_garbled_at_low_resolution_stay_out_of_the_output(labels: str) -> None:
    rows = _rows(_DECISION.format(labels=labels))
    assert rows[1].output == "Berkas lengkap"
    assert rows[2].output == "SPM"  # "Tatap nuka": "muka" with one letter misread


@pytest.mark.parametrize(("word", "misspelt"),
                         [("etuju", True), ("fetuju", True), ("lengkap", False),
                          ("setuju", False), ("surat", False), ("Setujv", False)])
def test_only_a_lower_case_label_word_spelt_wrong_marks_garbled_labels(
    word: str, misspelt: bool
) -> None:
    """A cell spelt right ("Berkas lengkap") keeps its label word."""
    assert misspelt_label(word) is misspelt


def test_a_decisions_end_read_above_the_page_header_goes_back_to_its_row() -> None:
    """Tesseract's page mode (psm 3) may read the end of a tall row's activity as a block of
    its own at the top of the page, above the table header; the row stops on "jika"."""
    text = """SOP Pengelolaan Surat Masuk

lengkap diteruskan kepada Kabid, jika tidak lengkap
dikembalikan kepada Staf untuk
diperbaiki

Tidak lengkap

Pelaksana Mutu Baku
No Kegiatan Keterangan
Kadis PPK Kabid Staf Kelengkapan Waktu Output
1 | Menerima surat masuk dari Pemohon Disposisi 1 jam Arsip
2 | Memeriksa berkas permohonan: jika Disposisi 1 jam Berkas lengkap
3 | Mencetak surat masuk kepada Kabid Disposisi 3 jam Arsip
"""
    rows = ocr.read(text).rows
    assert rows[1].activity == (
        "Memeriksa berkas permohonan: jika lengkap diteruskan kepada Kabid, jika tidak "
        "lengkap dikembalikan kepada Staf untuk diperbaiki")
    assert rows[1].output == "Berkas lengkap"
    assert [r.number for r in rows] == [1, 2, 3]


def test_running_text_above_the_header_stays_when_no_row_stops_mid_sentence() -> None:
    text = """SOP Pengelolaan Surat Masuk

dikembalikan kepada Staf untuk diperbaiki

Pelaksana Mutu Baku
No Kegiatan Keterangan
Kadis PPK Kabid Staf Kelengkapan Waktu Output
1 | Menerima surat masuk dari Pemohon Disposisi 1 jam Arsip
2 | Memeriksa berkas permohonan Disposisi 1 jam Berkas lengkap
"""
    rows = ocr.read(text).rows
    assert rows[1].activity == "Memeriksa berkas permohonan"


def test_wrapped_lines_of_rows_above_a_repeated_header_are_no_orphans() -> None:
    """Only the top of a page (no row between the block and the header) holds a block read
    out of its place: a row's own wrapped lines above a repeated header stay its own."""
    header = ("Pelaksana Mutu Baku\nNo Kegiatan Keterangan\n"
              "Kadis PPK Kabid Staf Kelengkapan Waktu Output\n")
    text = ("SOP Pengelolaan Surat Masuk\n\n" + header
            + "1 | Menerima surat masuk Disposisi 1 jam Arsip\n"
            + "dan data dukung, kemudian diserahkan kepada Kabid\n"
            + header
            + "2 | Memeriksa berkas permohonan: jika Disposisi 1 jam Berkas lengkap\n")
    rows = ocr.read(text).rows
    assert rows[0].activity.endswith("kemudian diserahkan kepada Kabid")
    assert rows[1].activity == "Memeriksa berkas permohonan: jika"


def test_a_bracket_glued_to_the_waktu_number_is_the_cells_edge() -> None:
    """ "(1 jam 30" / "menit": the cell's edge read as "(" before a lone digit."""
    rows = _rows("1 | Menerima surat masuk dari Pemohon Disposisi (1 jam 30 Arsip\nmenit\n"
                 "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n")
    assert rows[0].duration == "1 jam 30 menit"



def test_a_short_activity_read_as_a_block_of_its_own_starts_its_row() -> None:
    """The page mode reads each cell as a block and may lose the number column: a block of
    three words opening with a meN- verb is a row's activity, not a cell of the row above."""
    text = _HEADER + """
Menyusun notulen rapat beserta lampiran, kemudian diserahkan kepada Kabid

Formulir isian

1jam

Disposisi

Mencetak surat undangan

Nota Dinas

2jam

Arsip

3 | Mengarsipkan berkas permohonan kepada Staf Buku agenda 1 jam Draf Surat
"""
    rows = ocr.read(text).rows
    assert len(rows) == 3
    assert rows[1].activity == "Mencetak surat undangan"
    assert (rows[1].duration, rows[1].output) == ("2 jam", "Arsip")


_GARBLED = """STANDAR OPERASIONAL PROSEDUR
Nama SOP: Pengajuan Cuti Pegawai

pebtsana penobon Mu atu
x Atas Kaorangan
pesyaraas (waru | oma
1 | Menerima berkas permohonan dari Pemohon Formulir isian 1 jam Arsip
2 | Menyampaikan notulen rapat kepada Kabid Disposisi 2 jam Arsip
3“ Mencetak surat undangan kepada Kabid Disposisi 3 jam Arsip
"""


def test_a_header_garbled_beyond_spelling_still_starts_the_table() -> None:
    """Every title misspelt ("pebtsana", "Kaorangan", "pesyaraas"), the rows under it read:
    the text is still OCR of an SOP table, and its rows are read (a rule's tick stuck to a
    number as a quote, "3“", too)."""
    assert ocr.sniff(_GARBLED) >= 0.25
    doc = ocr.read(_GARBLED)
    assert [r.number for r in doc.rows] == [1, 2, 3]
    assert doc.rows[2].activity.startswith("Mencetak surat undangan")
    assert "header-missing" in {w.code for w in doc.warnings}


def test_running_text_with_title_words_is_no_garbled_header() -> None:
    """ "pelaksanaan", "kegiatan" in sentences with a verb are no column titles."""
    text = ("Jika SOP tidak dilaksanakan, pelaksanaan kegiatan terhambat\n"
            "dan keterangan persyaratan diperiksa\n"
            "1 | Menerima berkas permohonan dari Pemohon Formulir isian\n")
    assert garbled.header(text.split("\n")) == []


def test_a_ranges_second_number_read_as_letters_is_no_remnant() -> None:
    """ "5sd Io" / "menit": "Io" is the "10" of the range (after its sign only)."""
    rows = _rows("1 | Menerima surat masuk dari Pemohon Disposisi 5sd Io Arsip\nmenit\n"
                 "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Io Arsip\n")
    assert rows[0].duration == "5 sd 10 menit"
    assert rows[1].duration == "2 jam"


def test_a_lower_case_sentence_after_a_stray_dot_goes_on_with_the_activity() -> None:
    """ "bersama." / "tim, kemudian diserahkan kepada": OCR ended the sentence with a dot,
    but a line with a clause word and a verb is no Mutu Baku cell."""
    rows = _rows("1 | Mengagendakan rencana kerja untuk dibahas Disposisi 1 jam Arsip\n"
                 "bersama.\n"
                 "tim, kemudian diserahkan kepada Kabid\n"
                 "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n")
    assert rows[0].output == "Arsip"
    assert rows[0].activity.endswith("tim, kemudian diserahkan kepada Kabid")


def test_a_first_header_read_as_blocks_starts_the_table() -> None:
    """The page mode may read the first page's header one title a block ("No" / "Aktivitas"
    / the roles / "Mutu Baku" / "Waktu" ...), and the rows as blocks with their numbers lost:
    the table starts there all the same."""
    titles = ["No", "Aktivitas", "Kepala Badan", "Sekretaris", "Staf", "Mutu Baku",
              "Persyaratan/", "Perlengkapan", "Waktu", "Output", "Keterangan"]
    rows = [["Menyusun konsep Indikator Kinerja Utama", "kemudian diserahkan kepada Staf",
             "", "Draf Surat", "", "1x24 Jam", "", "Berkas lengkap"],
            ["Memverifikasi berkas permohonan,", "kemudian diserahkan kepada Sekretaris", "",
             "Nota Dinas", "", "2 jam", "", "Arsip"]]
    text = ("STANDAR OPERASIONAL PROSEDUR\n\nNama SOP: Penyusunan Laporan Keuangan\n\n"
            + "\n\n".join(titles) + "\n\n" + "\n\n".join("\n".join(r) for r in rows) + "\n\n"
            + "3 | Mencetak surat undangan kepada Staf Disposisi 3 jam Arsip\n")
    doc = ocr.read(text)
    assert [r.activity.split()[0] for r in doc.rows] == ["Menyusun", "Memverifikasi",
                                                          "Mencetak"]
    assert doc.rows[1].duration == "2 jam"


def test_a_wrapped_word_goes_on_the_keterangan_not_on_a_whole_output_name() -> None:
    """ "Surat keluar" is written whole in other rows and never longer: the "hari" of a
    wrapped "Paling lambat" / "hari Jumat" goes on the Keterangan, not on the Output."""
    rows = _rows(
        "1 | Menerima surat masuk dari Pemohon Disposisi 1 jam Surat keluar Rangkap dua\n"
        "2 | Mencatat surat masuk Disposisi 2 jam Surat keluar Paling lambat\n"
        "ke buku agenda | hari Jumat\n")
    assert rows[1].output == "Surat keluar"
    assert rows[1].notes == "Paling lambat hari Jumat"


def test_a_two_digit_number_that_lost_its_first_digit_keeps_its_row() -> None:
    """ "7 (Menandatangani" after row 16: the thin "1" of 17 lost; a debris line "0 DAN Ka"
    before row 20 is no row (no verb)."""
    body = "".join(f"{n} | Menyusun surat nomor {n} kepada Kabid Disposisi 1 jam Arsip\n"
                   for n in range(1, 22))
    body = body.replace("17 | Menyusun", "7 (Menyusun").replace("20 | Menyusun",
                                                                "0 DAN Ka\n20 | Menyusun")
    rows = _rows(body)
    assert [r.number for r in rows] == list(range(1, 22))
    assert "surat nomor 17" in rows[16].activity
    assert rows[19].activity.startswith("Menyusun surat nomor 20")


def test_a_number_misread_as_a_sign_before_a_dash_rule_keeps_its_row() -> None:
    """ "& —Menyusun": a closed "6" read as "&", the rule after it as a dash."""
    body = "".join(f"{n} | Menyusun surat nomor {n} kepada Kabid Disposisi 1 jam Arsip\n"
                   for n in range(1, 9))
    rows = _rows(body.replace("6 | Menyusun", "& —Menyusun"))
    assert [r.number for r in rows] == list(range(1, 9))
    assert "surat nomor 6" in rows[5].activity


_TWO_BLOCK_ROWS = """
Mencetak surat undangan kepada Staf

Nota Dinas

2 jam

Arsip

3 | Mengarsipkan berkas permohonan kepada Staf Buku agenda 1 jam Draf Surat
"""
"""The end of a page read as blocks: a row whose number OCR lost, one cell a block, then a
row read whole."""


def test_a_waktu_cell_on_a_line_of_its_own_is_no_row() -> None:
    """ "2 Hani" ("2 Hari", "ri" read as "n") in a page read as blocks is the Waktu cell, not
    row 2: the rows before it, their numbers lost, keep theirs."""
    text = _HEADER + """
Menyusun notulen rapat beserta lampiran, kemudian diserahkan kepada Kabid

Formulir isian

2 Hani

Disposisi
""" + _TWO_BLOCK_ROWS
    rows = ocr.read(text).rows
    assert [r.activity.split()[0] for r in rows] == ["Menyusun", "Mencetak", "Mengarsipkan"]


def test_a_line_inside_an_activity_block_is_no_new_row() -> None:
    """ "Surat Perintah" / "Membayar dalam ...": in a page read as blocks a verb-like word
    opening a line inside the block goes on the name; the next row opens a block."""
    text = _HEADER + """
Kabid merekapitulasi Surat Perintah
Membayar dalam rangka tertib administrasi,
kemudian diserahkan kepada Staf

Nota Dinas

2 jam

Arsip
""" + _TWO_BLOCK_ROWS
    rows = ocr.read(text).rows
    assert len(rows) == 3
    assert "Surat Perintah Membayar dalam rangka" in rows[0].activity


def test_rows_with_the_rule_read_after_their_number_mark_ocr_text() -> None:
    """ "19 | Bendahara ...": only OCR writes a table's drawn rule as a bar; a table written
    with bars between its cells is no such text (it has bars on most lines)."""
    block = "kemudian diserahkan kepada Staf\n\nNota Dinas\n\n2 jam\n\nArsip\n\n"
    ocr_rows = "".join(f"{n} | Menyusun surat nomor {n}\n" + block for n in range(1, 4))
    assert ocr.sniff(ocr_rows) > ocr.sniff(ocr_rows.replace(" | ", " ")) + 0.3
    barred = ocr_rows.replace("Nota Dinas\n\n2 jam", "| Nota Dinas | 2 jam | Arsip |")
    assert ocr.sniff(barred) < ocr.sniff(ocr_rows)  # bars on most lines: no rules read
