"""Decisions, rows and role titles in the shapes Tesseract gives of real signed SOPs (issue 11).

The texts are short and made up (agencies, units and activities invented), written the way
``tesseract --psm 4`` reads a rendered signed SOP table: a diamond's labels read as words
among the row's cells, in lower case ("ya") or as "Sudah ..." / "Belum ..." answers, a
question mark inside the row's text, a conditional clause elsewhere that names no branch; a
row whose number and Waktu stand level with its activity's second line; a header whose
titles' second lines are read on one line, a symbol's digit misread as a letter beside them.
"""

from __future__ import annotations

import pytest

from converters.reading.inference import infer
from converters.reading.raw import UNPLACED
from converters.reading.readers import ocr
from converters.reading.readers.ocr.words import head_key

HEAD = """\
Nomor SOP 21/DPMPTSP/2024
Tanggal Pembuatan 4 Juni 2024
Disahkan oleh Kepala Dinas Penanaman Modal
NAMA SOP Penerbitan Izin Reklame
KUALIFIKASI PELAKSANA :
1. Memahami peraturan perizinan
PERINGATAN PENCATATAN DAN PENDATAAN
- Izin terlambat diterbitkan - Arsip izin tersimpan

Pelaksana Mutu Baku

No Kegiatan i isti i Keterangan
9 Kepala Dinas Tim Teknis Loket Pelayanan Kelengkapan Waktu Output 9
"""

CHECK_WITH_FAR_CONDITION = (
    HEAD
    + """\
1 Menerima berkas permohonan jika dikirim melalui pos Berkas permohonan 1 Hari Berkas diterima

2 Memverifikasi kelengkapan berkas permohonan Tidak Berkas permohonan 1 Hari Berkas terverifikasi

3 Melengkapi berkas permohonan yang kurang ya Berkas permohonan 2 Hari Berkas lengkap

4 Menandatangani izin reklame Konsep izin 1 Hari Izin reklame
"""
)


def _decisions(text: str) -> dict[int, tuple[str, ...]]:
    sop = infer(ocr.read(text))
    return {s.number: s.decision.labels for s in sop.steps if s.decision}


def test_a_condition_that_names_no_branch_leaves_the_labels_to_the_check():
    """ "jika dikirim melalui pos" says when step 1 happens, not a branch: the "Tidak" of step
    2 and the lower-case "ya" a small "Ya" was read as in step 3 are step 2's diamond."""
    raw = ocr.read(CHECK_WITH_FAR_CONDITION)
    assert [r.marks for r in raw.rows] == [{}, {UNPLACED: "Ya\nTidak"}, {}, {}]
    assert _decisions(CHECK_WITH_FAR_CONDITION) == {2: ("Ya", "Tidak")}


def test_a_condition_naming_a_label_keeps_the_labels_beside_it():
    """ "jika lengkap" names a branch label: step 3 states its decision in words, and the
    labels beside it are its own, not the checking step's before it."""
    text = CHECK_WITH_FAR_CONDITION.replace(
        "3 Melengkapi berkas permohonan yang kurang ya",
        "3 Meneruskan berkas jika lengkap, jika tidak dikembalikan ya",
    )
    raw = ocr.read(text)
    assert not any(r.marks for r in raw.rows)


ANSWERS = (
    HEAD
    + """\
1 Memperbaiki papan reklame rusak Berkas permohonan 1 Hari Papan diperbaiki
Belum Benar
2 Testing Perbaikan papan reklame Papan diperbaiki 1 Hari Hasil uji
3 Sudah Benar Menyerahkan papan reklame , Hasil uji 1 Hari Berita acara
"""
)


def test_sudah_and_belum_answers_beside_a_test_are_its_labels():
    """A test ("Testing ...") is a check; its diamond answers "Sudah Benar" / "Belum Benar"
    are read where their lines fall, in the rows above and below it."""
    raw = ocr.read(ANSWERS)
    assert raw.rows[1].marks == {UNPLACED: "Sudah Benar\nBelum Benar"}
    assert _decisions(ANSWERS) == {2: ("Sudah Benar", "Belum Benar")}


QUESTION_INSIDE = (
    HEAD
    + """\
1 Menerima berkas permohonan Berkas permohonan 1 Hari Berkas diterima

Tidak Berkas permohonan
2 Mengklasifikasikan jenis reklame Ya Perlu 1 Hari Klasifikasi reklame
survei? lokasi

3 Melakukan survei lokasi reklame Klasifikasi reklame 2 Hari Laporan survei
"""
)


def test_a_question_read_inside_the_row_marks_its_diamond():
    """The diamond's question ("Perlu survei?") is read among the row's cells, not at the
    end of its activity, and the activity opens with no verb of checking: the labels beside
    the question are its decision."""
    raw = ocr.read(QUESTION_INSIDE)
    assert raw.rows[1].marks == {UNPLACED: "Ya\nTidak"}
    assert _decisions(QUESTION_INSIDE) == {2: ("Ya", "Tidak")}


def test_letters_in_a_row_that_checks_nothing_make_no_decision():
    """ "Y" and "T" a symbol's outline may leave, in a row that neither checks nor asks, are
    no diamond."""
    text = (
        QUESTION_INSIDE.replace("Tidak Berkas", "T Berkas")
        .replace("Ya Perlu 1 Hari", "Y Perlu 1 Hari")
        .replace("survei? lokasi", "survei lokasi")
    )
    assert _decisions(text) == {}


CENTRED_FIRST_LINE = (
    HEAD
    + """\
Melakukan pemeriksaan
1 IKelengkapan dan Keabsahan Berkas permohonan 1 Hari Berkas diperiksa
Berkas Permohonan

Menyusun konsep
2 I|Izin Reklame dan Nota Berkas diperiksa 2 Hari Konsep izin
Dinas
"""
)


def test_a_row_opens_with_the_verb_line_above_its_centred_number():
    """The number and the Waktu stand level with the activity's second line, which opens
    with no verb ("IKelengkapan": the rule read before it); the line above, opening with a
    Capitalised verb and holding no Waktu, is the row's first line."""
    raw = ocr.read(CENTRED_FIRST_LINE)
    assert [r.number for r in raw.rows] == [1, 2]
    assert raw.rows[0].activity.startswith("Melakukan pemeriksaan")
    assert raw.rows[1].activity.startswith("Menyusun konsep")
    assert [r.duration for r in raw.rows] == ["1 Hari", "2 Hari"]


def test_a_kelengkapan_cell_opening_with_a_check_is_no_first_line():
    """A Mutu Baku cell above a number line ("Pemeriksaan Standar") opens with a noun of
    checking, no verb: the row keeps its own first line."""
    text = CENTRED_FIRST_LINE.replace("Melakukan pemeriksaan\n", "Pemeriksaan Standar\n")
    raw = ocr.read(text)
    assert not raw.rows[0].activity.startswith("Pemeriksaan")


WRAPPED_TITLES = """\
Pelaksana Mutu Baku
No Kegiatan i istil i i Keterangan
{titles}
Reklame DPM Provinsi Provinsi Provinsi
1 Menerima berkas permohonan Berkas permohonan 1 Hari Berkas diterima
2 Melakukan survei lokasi reklame Berkas diterima 2 Hari Laporan survei
"""


@pytest.mark.parametrize(
    "titles",
    [
        # a symbol's "9" misread as "g" before the titles, a cell's debris after them
        "g Ketua Tim Perizinan Tim Teknis DPM Tim Survei DPM DPM Kabupaten Kelengkapan Waktu "
        "Output Kej",
        "Ketua Tim Perizinan Tim Teknis DPM Tim Survei DPM DPM Kabupaten Kelengkapan Waktu Output",
    ],
)
def test_titles_second_lines_are_cut_where_a_word_is_read_twice(titles: str):
    """The titles' second lines read as one line ("Reklame DPM Provinsi Provinsi Provinsi")
    go to the titles that wrap, cut where a word repeats, even when they hold more words
    than there are titles; a lone lower-case letter is no column."""
    raw = ocr.read(WRAPPED_TITLES.format(titles=titles))
    assert raw.roles == [
        "Ketua Tim Perizinan Reklame DPM Provinsi",
        "Tim Teknis DPM Provinsi",
        "Tim Survei DPM Provinsi",
        "DPM Kabupaten",
    ]


def test_a_jabatan_word_with_more_letters_is_another_word():
    """ "Analisis" (analysis, a unit's name) is no misspelt "Analis"; OCR damages letters, it
    does not add a syllable."""
    assert head_key("Analisis") is None
    assert head_key("Analis") == "analis"


SECTIONS_WITH_BARS = """\
Nomor SOP 3/PBJ/2024
Nama SOP : PERSIAPAN SWAKELOLA
Dasar Hukum: Kualifikasi Pelaksanaan:
1. Peraturan Presiden Nomor 12 Tahun 2021 1. KPA: mampu menetapkan rencana swakelola
Keterkaitan: Peralatan/Perlengkapan:
1. Rincian jadwal pelaksanaan kegiatan/subkegiatan/output,
Peringatan: Pencatatan dan Pendataan:
1. Pelaksana bertanggungjawab atas pelaksanaan aktivitas swakelola tipe | dicatat
2. Segala bentuk penyimpangan atas mutu baku terkait perlengkapan, waktu maupun output

1. (KPA menyerahkan rencana swakelola kepada PPK. Rencana swakelola. 1 hari kerja Rencana.

2. (PPK menyusun jadwal pelaksanaan kegiatan. Rencana. 2 hari kerja Jadwal.
persiapan teknis dan jadwal Tim Pelaksana, dan Tim

3. (KPA menetapkan jadwal pelaksanaan kegiatan. Jadwal. 1 hari kerja Penetapan.

4. (PPK menyampaikan penetapan kepada pelaksana. Penetapan. 1 hari kerja Surat.
"""


def test_list_items_and_wrapped_cells_above_a_lost_header_are_no_table():
    """A section's numbered item naming "Pelaksana" with an "I" read as a bar, a list item
    naming "kegiatan/.../output", a wrapped cell line naming "Tim Pelaksana,": none is a
    table header or a row; the rows are the numbered ones holding their Waktu."""
    raw = ocr.read(SECTIONS_WITH_BARS)
    assert [r.number for r in raw.rows] == [1, 2, 3, 4]
    assert raw.rows[0].activity.startswith("KPA menyerahkan")
    assert raw.roles == ["KPA", "PPK"]
