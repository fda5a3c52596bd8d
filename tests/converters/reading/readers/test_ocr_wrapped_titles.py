"""Role titles that wrap over two or three header lines, read by OCR as one line of first
lines and lines of the words below (issue 11): each wrapped word goes to the title whose cell
it stands in, told by how jabatan are named (a rank's unit noun under the rank, a unit's name
under a unit's head, nothing under the head of the whole office or the requester), by the
cell's width and by the lines a title runs over, not to the leftmost or the longest titles.

The header lines are shaped like Tesseract's ``--psm 3`` and ``--psm 4`` texts of generated
SOPs at 150 dpi (``bench/text_fidelity.py``), with made-up units: no document's own words."""

from __future__ import annotations

from converters.model import ReaderWarning
from converters.reading.raw import RawRow
from converters.reading.readers.ocr.role_columns import read_roles
from converters.reading.readers.ocr.role_units import rehome_units


def _roles(*header: str) -> list[str]:
    warnings: list[ReaderWarning] = []
    return read_roles(list(header), warnings, 0)


def test_a_unit_noun_under_a_bare_rank_and_a_units_name_under_staff() -> None:
    """ "Kadis Sekdin Kepala Bagian Kepala Sub ... Pengadministrasi" over "Pertamanan Bagian
    Umum": "Bagian" completes the bare "Kepala Sub" (after "Sekdin" it names no post), a
    unit's name goes under the unit's head, not the whole office's, and "Umum" under the one
    title as wide as its cell ("Pelaksana Umum" would have stood on one line)."""
    roles = _roles(
        "No Kegiatan Kadis Sekdin Kepala Bagian Kepala Sub Bendahara Pengadministrasi "
        "Pelaksana Pemohon Mutu Baku",
        "Pertamanan Bagian Umum Keterangan",
        "Kelengkapan Waktu Output",
    )
    assert roles == [
        "Kadis",
        "Sekdin",
        "Kepala Bagian Pertamanan",
        "Kepala Sub Bagian",
        "Bendahara",
        "Pengadministrasi Umum",
        "Pelaksana",
        "Pemohon",
    ]


def test_bare_ranks_take_their_posts_from_the_line_below_the_mutu_titles() -> None:
    """The first lines stand on one line with the Mutu Baku titles; every "Kepala" is a bare
    rank whose post ("Dinas", "Bidang", "Seksi") is on the line below, in order; the third
    line's word goes on a title that wrapped on the second, never the office's head, and a
    cell's rule read as ")" is dropped."""
    roles = _roles(
        "Pelaksana Mutu Buku",
        "No. Aktivitas Kepala Sekdin Kepala Ketua Tim Kepala Bendahara Staf Pemohon "
        "Persyaratan Waktu Output Keterangan",
        "Dinas Bidang Perikanan) Seksi",
        "Peternakan",
    )
    assert roles[:2] == ["Kepala Dinas", "Sekdin"]
    assert roles[2].startswith("Kepala Bidang")
    assert roles[3].startswith("Ketua Tim Perikanan")
    assert roles[4].startswith("Kepala Seksi")
    assert roles[5:] == ["Bendahara", "Staf", "Pemohon"]
    assert sum("Peternakan" in r for r in roles[2:5]) == 1


def test_a_units_name_goes_under_the_unit_head_not_the_last_titles() -> None:
    """ "Kaban Kepala Bagian PPK Fungsional pengadministrasi Pelaksana Pemohon" over
    "Pertamanan Umum": the unit's head and the staff title as wide as its cell wrapped, not
    the two rightmost titles."""
    roles = _roles(
        "Kaban Kepala Bagian PPK Fungsional Pengadministrasi Pelaksana Pemohon Mutu Baku",
        "No Aktivitas Pertamanan Umum Keterangan",
        "Persyaratan/ Waktu Output",
        "Perlengkapan",
    )
    assert roles == [
        "Kaban",
        "Kepala Bagian Pertamanan",
        "PPK",
        "Fungsional",
        "Pengadministrasi Umum",
        "Pelaksana",
        "Pemohon",
    ]


def test_a_unit_given_to_two_titles_stays_with_the_one_named_so() -> None:
    """The third header line's word went on the wrong one of two titles that wrapped; the
    other title already has it (from the activities): it leaves the title the activities
    never name with it, but name without it, both named twice or more."""
    rows = [
        RawRow(number=1, activity="Memeriksa berkas bersama Kepala Bidang Peternakan"),
        RawRow(number=2, activity="Menyerahkan berkas kepada Kepala Seksi"),
        RawRow(number=3, activity="Mengirim surat kepada Kepala Bidang Peternakan"),
        RawRow(number=4, activity="Kepala Seksi memeriksa surat"),
    ]
    roles = rehome_units(["Kepala Bidang Peternakan", "Kepala Seksi Peternakan"], rows)
    assert roles == ["Kepala Bidang Peternakan", "Kepala Seksi"]


def test_two_units_names_in_a_row_go_one_to_each_unit_head() -> None:
    """Whole first lines with the Mutu Baku titles over "Pertamanan Perikanan": two names
    wider together than any cell, one under each title a unit's name follows, not both
    under the longest title."""
    roles = _roles(
        "Pelaksana Mutu Baku",
        "No Kegiatan Keterangan",
        "Kadis Kasubbag Kasi Ketua Tim Pelaksana Arsiparis Persyaratan/Perlengkapan Waktu Output",
        "Pertamanan Perikanan",
    )
    assert roles == [
        "Kadis",
        "Kasubbag Pertamanan",
        "Kasi Perikanan",
        "Ketua Tim",
        "Pelaksana",
        "Arsiparis",
    ]


def test_a_jabatan_word_whose_first_letter_or_bars_ocr_lost() -> None:
    """ "Rengadministradi" is the Pengadministrasi column (its first letter misread) and "JI"
    the JF column (the F's bars lost): neither is a unit of the title before it."""
    roles = _roles(
        "No Kegiatan Keterangan",
        "Fungsional Bendahara Rengadministradi JI Kasi Persyaratan Waktu Output",
    )
    assert roles == ["Fungsional", "Bendahara", "Pengadministrasi", "JF", "Kasi"]
