"""The OCR reader on damage Tesseract does at 150 dpi that the fidelity harness still showed
(issue 11): Waktu values whose digits or signs were misread, a decision's "jika" glued to
"tidak", labels left in a cell, cells read as blocks of their own, and a cell's word that
one letter damaged while the activities write it whole. Each text is shaped like the
harness's OCR texts, not copied from one document."""

from __future__ import annotations

import pytest

from converters.reading.durations import parse_duration
from converters.reading.readers.ocr import labels, waktu
from converters.reading.readers.ocr.cells import RunningWords
from converters.reading.readers.ocr.words import drop_labels, mend_conditions
from tests.support.ocr_text import OCR_HEADER, ocr_rows

_HEADER = OCR_HEADER


_rows = ocr_rows


def _minutes(tokens: list[str]) -> int | None:
    found = waktu.find(["Nota", "Dinas", *tokens, "Arsip"], [])
    assert found is not None, tokens
    return parse_duration(found.text).max_minutes


@pytest.mark.parametrize(
    ("tokens", "minutes"),
    [
        (["1Smenit"], 15),  # the last digit "5" read as an "S"
        (["ISment"], 15),  # both digits of "15" read as letters, the unit's "i" lost
        (["ZHan"], 960),  # "2" read as "Z", "ri" as "n"
        (["110", "mnt"], 10),  # the rule read as a "1" before "10", or "1-10"
        (["130", "Menit"], 30),
        (["510", "menit"], 10),  # "5-10" with its sign lost
        (["5-0", "menit"], 10),  # a range cannot fall: the thin "1" of "10" lost
        (["2", "menivberkas"], 2),  # the unit's "t" lost, the "/" read as "v"
        (["1jam30"], 90),  # the compound's "menit" lost
        (["Lminggu2", "—"], 3360),  # "1 minggu 2 hari", "hari" lost; a dash after it
        (["T-5", "han", "Kerja"], 2400),  # "1 - 5 hari kerja", the "1" as a stroke letter
    ],
)
def test_damaged_waktu_values_are_read_at_their_value(tokens: list[str], minutes: int) -> None:
    assert _minutes(tokens) == minutes


@pytest.mark.parametrize(
    ("tokens", "minutes"),
    [
        (["120", "menit"], 120),  # whole hours
        (["150", "menit"], 150),  # a half hour an author still counts in minutes
        (["105", "menit"], 105),  # no range starts "1-05"
        (["1", "jam", "30", "Nota"], 60),  # a number apart may be anything's remnant
    ],
)
def test_counts_an_author_writes_stay(tokens: list[str], minutes: int) -> None:
    assert _minutes(tokens) == minutes


def test_a_unit_without_its_number_is_spelt_as_the_parser_reads_it() -> None:
    found = waktu.lone_unit(["Surat", "Edaran", "Han", "Laporan"])
    assert found is not None
    assert parse_duration(found.text).max_minutes == 480


def test_a_unit_whole_with_a_verb_suffix_is_no_per_tail() -> None:
    assert waktu.find(["Surat", "2", "menitkan"], []) is None


def test_a_jika_glued_to_tidak_is_two_words() -> None:
    text = "Memeriksa draf: jika lengkap diteruskan kepada Kabag, jikatidak lengkap dikembalikan"
    assert "jika tidak lengkap" in mend_conditions(text)
    assert mend_conditions("jikalau perlu") == "jikalau perlu"


def test_a_shortened_no_label_is_dropped_from_a_cell() -> None:
    assert drop_labels(["Rekap", "data", "Tak", "sesuai"]) == ["Rekap", "data"]
    assert drop_labels(["Surat", "Tugas", "sesuai"]) == ["Surat", "Tugas", "sesuai"]


def test_a_named_label_is_found_when_a_cell_word_came_into_its_condition() -> None:
    conds = [["kotak", "berkas", "pengaduan"], ["tatap", "muka", "permohonan"]]
    words = ["diteruskan", "ke", "langkah", "30", "Tatap", "muka"]
    assert labels.drop_conditions(words, conds) == ["diteruskan", "ke", "langkah", "30"]


def test_a_cell_word_is_mended_to_the_word_the_activities_write() -> None:
    running = RunningWords(["Memaraf konsep surat", "Mengarsipkan laporan kinerja"])
    assert running.mend("Parat") == "Paraf"  # the "f" read as a "t"; the verb's stem
    assert running.mend("Para") == "Paraf"  # the narrow "f" lost
    assert running.mend("Taporan kinerja") == "Laporan kinerja"
    assert running.mend("Arsp") == "Arsip"
    assert running.mend("Rekap data.") == "Rekap data"


def test_a_cell_word_is_left_when_nothing_it_could_be_is_written() -> None:
    running = RunningWords(["Memaraf konsep surat", "Menerima para tamu"])
    assert running.mend("Para") == "Para"  # the running text writes "para" itself
    assert running.mend("SPT") == "SPT"  # an acronym
    assert running.mend("Data dukung") == "Data dukung"


def test_a_damaged_verb_does_not_protect_its_damaged_noun() -> None:
    running = RunningWords(["Memaraf konsep surat", "Memarat laporan"])
    assert running.mend("Parat") == "Paraf"  # an "f" is read as a "t", never back


def test_another_cell_spells_the_word_once() -> None:
    running = RunningWords(["Menerima surat"], ["Paraf", "Parar"])
    assert running.mend("Parar") == "Paraf"


def test_cells_read_as_blocks_are_the_kelengkapan_and_the_output() -> None:
    rows = _rows(
        "1 | Menerima surat masuk dari Pemohon Disposisi 1 jam Arsip\n"
        "2\n\nMenandatangani daftar hadir beserta\nlampiran dan data dukung\n\n"
        "Nota Dinas\n\nSurat Edaran\n\n"
        "3 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
    )
    second = rows[1]
    assert second.activity == "Menandatangani daftar hadir beserta lampiran dan data dukung"
    assert (second.requirements, second.output) == ("Nota Dinas", "Surat Edaran")


def test_ocr_output_cells_are_mended_in_a_whole_reading() -> None:
    rows = _rows(
        "1 | Memaraf konsep surat keluar Disposisi 1 jam Parat\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
    )
    assert rows[0].output == "Paraf"


def test_a_rule_read_twice_after_the_number_still_starts_the_row() -> None:
    rows = _rows(
        "1 | Menerima surat masuk dari Pemohon Disposisi 1 jam Arsip\n"
        "2 (| Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "3 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[1].activity == "Mencatat surat masuk ke buku agenda"


def test_a_symbols_debris_before_a_cell_is_dropped() -> None:
    rows = _rows(
        "1 | Mencatat surat masuk ke buku agenda C7 Draf Surat 1 jam Arsip\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
    )
    assert rows[0].requirements == "Draf Surat"


def test_a_subject_and_verb_before_a_symbols_debris_open_a_row_without_its_number() -> None:
    from converters.reading.readers.ocr.rows import unnumbered_start

    assert unnumbered_start("Sekretaris menginput rencana kerja anggaran C7 Sesuai Melalui")
    assert not unnumbered_start("Sekretaris menginput rencana kerja anggaran")


def test_a_per_tail_is_a_thing_not_the_keterangans_day() -> None:
    text, rest, pending = waktu.complete(
        "15 menit per", "per", ["dibahas", "bersama", "dokumen", "hari", "Jumat"])
    assert text == "15 menit per dokumen"
    assert pending == ""
    assert "hari" in rest


def test_a_table_that_lost_every_number_is_read_from_its_blocks() -> None:
    """The page mode read each cell as a block and the faint number column not at all: an
    activity's block (a Capitalised meN- verb after a blank line) starts each row."""
    rows = _rows(
        "\nMenerima surat masuk dari\nPemohon untuk dicatat\n\nDisposisi\n\n1 jam\n\nArsip\n\n"
        "Menelaah Surat Perintah Membayar\nbeserta lampiran\n\nNota Dinas\n\n3 hari\n\n"
        "Mengoreksi berkas permohonan\n\nDisposisi\n\nsehari\n\nBerkas lengkap\n"
    )
    assert [r.activity.split()[0] for r in rows] == ["Menerima", "Menelaah", "Mengoreksi"]
    assert [r.duration for r in rows] == ["1 jam", "3 hari", "sehari"]


@pytest.mark.parametrize(
    ("read", "mended"),
    [
        ("Memeriksa surat undangan ika setuju diteruskan kepada Kadis, jika dak setuju "
         "dikembalikan", "jika setuju diteruskan kepada Kadis, jika tidak setuju"),
        ("Memilah surat sesuai jenisnya: ka teknis diteruskan ke langkah 5, jika administratif",
         "jenisnya: jika teknis diteruskan"),
    ],
)
def test_a_cut_jika_and_a_cut_tidak_are_mended(read: str, mended: str) -> None:
    assert mended in mend_conditions(read)


def test_ka_and_ika_as_names_stay() -> None:
    assert mend_conditions("Bhinneka Tunggal Ika, Ka Subbag Umum") == (
        "Bhinneka Tunggal Ika, Ka Subbag Umum")


def test_a_lone_stroke_l_before_a_unit_is_a_one() -> None:
    assert _minutes(["L", "jam", "30", "menit"]) == 90


def test_a_number_read_as_a_sign_before_a_lowercase_jabatan_still_opens_a_row() -> None:
    rows = _rows(
        "1 | Menerima surat masuk dari Pemohon Disposisi 1 jam Arsip\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "& |kabid mendistribusikan surat masuk kepada Staf Disposisi 3 jam Arsip\n"
        "4 | Menyampaikan surat masuk kepada Kadis Disposisi 4 jam Arsip\n"
    )
    assert len(rows) == 4
    assert rows[2].activity.startswith("kabid mendistribusikan")
    assert rows[2].duration == "3 jam"
