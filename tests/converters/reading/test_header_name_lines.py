"""A long SOP name wrapped in its cell, the label "NAMA SOP" centred on it: the name's
lines are found above, on and below the label's line, by their alignment, and nothing of
the cells above is taken (the shapes of four real signed SOPs whose names were cut to one
line, written here with invented words)."""

from __future__ import annotations

from converters.reading.header_layout import read_layout_header

PAD = " " * 60


def name_of(*lines: str) -> str:
    return read_layout_header([PAD + ln for ln in lines], name_around_label=True).identity.name


def test_a_centred_name_around_a_lone_label_under_a_centred_signatory() -> None:
    assert name_of(
        "                                   Dr. Siti Aminah, M.E",
        "                                Alur Berkas Arsip Dengan Cara",
        "NAMA SOP",
        "                                       Pindah Keluar",
        "DASAR HUKUM                  KUALIFIKASI PELAKSANA",
    ) == "Alur Berkas Arsip Dengan Cara Pindah Keluar"


def test_a_left_aligned_name_on_three_lines_around_its_label() -> None:
    assert name_of(
        "                        Standar Operasional Prosedur Evaluasi",
        "NAMA SOP                Data Triwulanan Pasar Ikan dan",
        "                        Tempat Lelang",
    ) == "Standar Operasional Prosedur Evaluasi Data Triwulanan Pasar Ikan dan Tempat Lelang"


def test_a_name_starting_on_the_label_line_continues_below() -> None:
    assert name_of(
        "Nama SOP  :  SELEKSI PENYEDIA JASA KONSULTANSI",
        "             NONKONSTRUKSI (Tahap Pemilihan)",
    ) == "SELEKSI PENYEDIA JASA KONSULTANSI NONKONSTRUKSI (Tahap Pemilihan)"


def test_the_cell_above_sharing_only_the_middle_of_a_left_aligned_name_stays_out() -> None:
    assert name_of(
        "                             NIP. 19700101 199001 1 001",
        "Judul SOP                Penyusunan Publikasi Analisis Lintas Sektor",
        "                         Provinsi Contoh",
    ) == "Penyusunan Publikasi Analisis Lintas Sektor Provinsi Contoh"


def test_a_name_below_a_label_at_the_top_of_its_cell() -> None:
    # the label cell aligned to its top, the name's cell to its middle: every line of the
    # name stands below the label's line
    assert name_of(
        "NAMA SOP",
        "                 Pengelolaan Arsip Inaktif pada",
        "                 Unit Kearsipan",
    ) == "Pengelolaan Arsip Inaktif pada Unit Kearsipan"


def test_the_next_label_row_is_not_taken_for_a_missing_name() -> None:
    # no name written: the row below is the next label's, its value is not the name
    assert name_of(
        "NAMA SOP",
        "NOMOR SOP        800/12/ORG/2025",
    ) == ""
