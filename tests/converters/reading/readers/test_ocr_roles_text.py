"""Roles of OCR text whose header was lost or misdealt (issue 11, Tesseract ``--psm 6``): names
run into the next cell or a symbol's debris in the hand-overs, a header block that runs into
a row, a unit word dealt to the wrong title. Texts are shaped like the fidelity harness's OCR
texts (``bench/text_fidelity.py --forms 'psm 6'``), not copied from one document."""

from __future__ import annotations

from converters.model import ReaderWarning
from converters.reading.inference import infer
from converters.reading.raw import RawDocument, RawRow
from converters.reading.readers.ocr.role_columns import read_roles
from converters.reading.readers.ocr.role_units import rehome_units
from converters.reading.readers.ocr.subjects import subject_names


def test_a_name_written_once_with_debris_after_it_is_the_role_without_it() -> None:
    """ "kepada Sekretaris Gl Buku agenda" (the next cell read on the same line) and "kepada
    PPK Nn Hari" / "kepada PPK Mena" (a symbol's debris) are Sekretaris and PPK, not three
    more lanes."""
    rows = [
        RawRow(1, "Kepala Dinas menerima surat, kemudian diserahkan kepada Sekretaris Gl Buku "
                  "agenda"),
        RawRow(2, "Sekretaris memeriksa surat, kemudian diserahkan kepada Sekretaris Na"),
        RawRow(3, "Sekretaris menyusun konsep, kemudian diserahkan kepada Kepala Dinas"),
        RawRow(4, "Kepala Dinas menandatangani surat, kemudian diserahkan kepada PPK Nn Hari"),
        RawRow(5, "PPK memeriksa, kemudian diserahkan kepada PPK Mena"),
    ]
    sop = infer(RawDocument(source_format="ocr", roles=["Kepala Dinas"], rows=rows))
    assert sop.roles == ("Kepala Dinas", "Sekretaris", "PPK")
    assert [s.role for s in sop.steps] == ["Kepala Dinas", "Sekretaris", "Sekretaris",
                                           "Kepala Dinas", "PPK"]


def test_a_longer_name_of_another_jabatan_is_kept() -> None:
    """ "Kepala Sub Bagian" written once beside a column "Kepala Sub" is a Kasubbag, not the
    column's Kepala with debris."""
    rows = [
        RawRow(1, "Kepala Sub menyusun konsep, kemudian diserahkan kepada Kepala Sub Bagian"),
        RawRow(2, "Memeriksa konsep"),
    ]
    sop = infer(RawDocument(source_format="ocr", roles=["Kepala Sub"], rows=rows))
    assert len(sop.roles) == 2  # "Kepala Sub" and the Kasubbag, as added roles are written


def test_a_row_read_above_the_titles_is_no_title() -> None:
    """psm 6 may put a row's first line inside a repeated header block: its capitalised verb
    ("Menerima", like "Menteri") and its words ("kepada Disposisi") open no column."""
    warnings: list[ReaderWarning] = []
    assert read_roles(["No Uraian Prosedur Keterangan",
                       "Menerima dan memeriksa rencana kerja anggaran sesuai dengan ketentuan",
                       "Ketua Tim Umum"], warnings, 0) == []
    assert read_roles(["No Kegiatan Keterangan",
                       "Memaraf surat masuk dalam rangka tertib administrasi HA PA 5 s.d 10"],
                      warnings, 0) == []


def test_a_row_after_the_titles_ends_the_header() -> None:
    warnings: list[ReaderWarning] = []
    assert read_roles(["No Kegiatan Keterangan", "Kepala Dinas Sekretaris Staf Waktu Output",
                       "Menyusun konsep surat keluar, kemudian diserahkan kepada Staf"],
                      warnings, 0) == ["Kepala Dinas", "Sekretaris", "Staf"]


def test_a_unit_word_goes_to_the_title_the_table_names_with_it_more_often() -> None:
    """ "Umum Perencanaan" under the titles went to "Kepala Sub Bagian"; the table writes
    "Kepala Seksi Perencanaan" twice (in lines OCR could not cut into rows too) and "Kepala
    Sub Bagian Umum" once, "Pengadministrasi Umum" twice."""
    lines = [
        "jika tidak dikembalikan kepada Kepala Seksi Perencanaan untuk diperbaiki",
        "kemudian diserahkan kepada Kepala Seksi Perencanaan",
        "kemudian diserahkan kepada Pengadministrasi Umum",
        "Pengadministrasi Umum mengarsipkan surat",
        "bersama Kepala Sub Bagian Umum",
    ]
    roles = ["Pengadministrasi", "Kepala Seksi", "Kepala Sub Bagian Umum Perencanaan"]
    assert rehome_units(roles, [], lines) == [
        "Pengadministrasi Umum", "Kepala Seksi Perencanaan", "Kepala Sub Bagian"]
    # a title the table names as often as the other keeps its word
    assert rehome_units(["Staf", "Kepala Bagian Umum"], [],
                        ["kepada Staf Umum", "kepada Kepala Bagian Umum"]) == [
        "Staf", "Kepala Bagian Umum"]


def test_with_the_header_lost_the_performers_handed_the_work_are_columns_too() -> None:
    """ "Pelaksana" opens one activity and is handed the work twice (once with a symbol's
    debris after it): a column of its own, not a name shared with the other staff column.
    "Kadis" and "Kepala Dinas" are one performer, written as most often; a misread "Stat"
    is no name of its own."""
    rows = [RawRow(i, a) for i, a in enumerate([
        "Pengadministrasi Umum mengarsipkan surat, kemudian diserahkan kepada Pelaksana Aa",
        "Pelaksana menelaah daftar hadir, kemudian diserahkan kepada Kadis",
        "Kepala Dinas memeriksa konsep, kemudian diserahkan kepada Pelaksana",
        "Pengadministrasi Umum menandatangani rencana, kemudian diserahkan kepada Kepala Dinas",
        "Menyusun laporan, kemudian diserahkan kepada Stat",
    ], 1)]
    # in column order: by rank, the head of the office first
    assert subject_names(rows) == ["Kepala Dinas", "Pengadministrasi Umum", "Pelaksana"]


def test_a_name_cut_short_and_the_name_of_its_office_are_one_performer() -> None:
    """ "kepada Sekretaris Gl Buku" (cut short at the debris) and "Sekdin" are the same
    Sekretaris: one column, named by the spelling that says its office."""
    rows = [RawRow(i, a) for i, a in enumerate([
        "Sekdin memeriksa konsep, kemudian diserahkan kepada Bendahara",
        "Bendahara mencetak surat, kemudian diserahkan kepada Sekretaris Gl Buku",
        "Bendahara menyusun laporan, kemudian diserahkan kepada Sekretaris",
    ], 1)]
    assert subject_names(rows) == ["Sekdin", "Bendahara"]  # by rank
