"""Role titles of real signed SOP headers as Tesseract reads them (issue 11, realocr).

The texts are made up (teams, units and activities invented) in the shapes ``tesseract --psm
4`` gives of rendered signed SOP tables: role titles that wrap over different numbers of lines
in their cells, each centred in its height, so the tallest title's first line stands alone and
the others open on the next line after its second line; two columns of one team told apart by
a word in brackets ("(Pengolah)", "(Penyetuju)"); a "/" inside a title read as a bar; a page
whose header came out garbled before a page whose header reads; and, where the header was
lost, a team the activities name both short and with the next word of the sentence taken in.
"""

from __future__ import annotations

from converters.reading.raw import RawRow
from converters.reading.readers import read_raw
from converters.reading.readers.ocr.role_columns import read_roles
from converters.reading.readers.ocr.subjects import subject_names

# the tallest title (four lines) starts alone; the two three-line titles open beside its
# second line; their second lines read twice in a row; its third line alone, with a symbol's
# debris; the last line of each, its own a letter pair OCR garbled
STAGGERED = """\
Pelaksana Mutu Baku
. Tim Pelayanan . .
No. Kegiatan Loket|Bagian Tim Arsip Tim Arsip Ket.
. Dokumen Dokumen Kelengkapan Waktu Output
Umum/Subbagian o G A
Un (Pengolah) (Penyetuju)
1 2 3 4 5 6 7 8 9
"""

ROWS = """\
1 Menerima berkas permohonan arsip dari pemohon Formulir 1 jam Berkas diterima -
2 Mencatat berkas permohonan pada buku agenda Buku agenda 10 menit Agenda tercatat -
3 Menginput data arsip pada aplikasi Berkas 1 jam Data terinput -
4 Memverifikasi data arsip pada aplikasi Data terinput 1 jam Data terverifikasi -
5 Menyetujui data arsip pada aplikasi Data terverifikasi 1 jam Data disetujui -
"""

_TITLES = [
    "Tim Pelayanan Loket/Bagian Umum/Subbagian",
    "Tim Arsip Dokumen (Pengolah)",
    "Tim Arsip Dokumen (Penyetuju)",
]


def test_titles_of_different_heights_are_read_line_by_line() -> None:
    """The column index row counts three role columns (9 cells less No, Kegiatan and four
    Mutu Baku columns): the titles read line by line are those three, with their bracketed
    parts, and no guess is reported."""
    warnings: list = []
    assert read_roles(STAGGERED.splitlines(), warnings, 0) == _TITLES
    assert not warnings


def test_the_bracketed_part_stays_in_the_role_name() -> None:
    """Two columns of one team differ only by their bracketed part: cut, they would be one."""
    raw = read_raw(("Nama SOP Pengelolaan Arsip\n\n" + STAGGERED + ROWS).encode("utf-8"), "sop.txt")
    assert raw.source_format == "ocr"
    assert raw.roles == _TITLES


def test_a_header_read_without_guesses_beats_a_garbled_page_before_it() -> None:
    """Page 1's header came out garbled (a piece unread); page 2 repeats the header readably.
    Neither page has more titles spelt as written than the other, so the one read without
    guesses or unread pieces wins: page 2's titles are the columns (before, the first page's)."""
    garbled_page = """\
Pelaksana Mutu Baku
No. Kegiatan Cuana sasian Tim Arsip Tim Arsi: n Ket.
Umum/Subbagian Dokumen Dokumen Kelengkapan Waktu Output
Ga (pengolah) (penyetuju)
1 2 3 4 5 6 7 8 9
"""
    first, second = ROWS.splitlines(keepends=True)[:3], ROWS.splitlines(keepends=True)[3:]
    text = (
        "Nama SOP Pengelolaan Arsip\n\n"
        + garbled_page
        + "".join(first)
        + "\n-2-\n\n"
        + STAGGERED
        + "".join(second)
    )
    raw = read_raw(text.encode("utf-8"), "sop.txt")
    assert raw.roles == _TITLES


def test_titles_that_agree_with_the_index_row_are_left_as_read() -> None:
    """Line by line is only tried when the usual reading disagrees with the column index row:
    a header of one-line titles whose count the index row confirms reads as before."""
    header = """\
Pelaksana Mutu Baku
No Kegiatan Keterangan
Kepala Dinas Sekretaris Staf Kelengkapan Waktu Output
1 2 3 4 5 6 7 8 9
"""
    assert read_roles(header.splitlines(), [], 0) == ["Kepala Dinas", "Sekretaris", "Staf"]


def _rows(*activities: str) -> list[RawRow]:
    return [RawRow(number=i, activity=a) for i, a in enumerate(activities, 1)]


def test_a_named_team_written_short_more_often_keeps_its_short_name() -> None:
    """ "Tim Persiapan Swakelola menyusun" once, "Tim Persiapan merinci" and "Tim persiapan
    melakukan" (lower case as OCR read it): the team is "Tim Persiapan"; "Swakelola" is the
    sentence's word, not the team's."""
    rows = _rows(
        "PPK menyusun rencana kegiatan",
        "KPA menetapkan rencana swakelola",
        "Tim Persiapan Swakelola menyusun persiapan teknis",
        "Tim Persiapan merinci jadwal pelaksanaan",
        "Tim persiapan melakukan reviu spesifikasi teknis",
        "PPK menetapkan spesifikasi teknis",
    )
    assert "Tim Persiapan" in subject_names(rows)
    assert "Tim Persiapan Swakelola" not in subject_names(rows)


def test_a_named_team_written_long_more_often_keeps_its_long_name() -> None:
    rows = _rows(
        "Tim Persiapan Swakelola menyusun persiapan teknis",
        "Tim Persiapan Swakelola merinci jadwal pelaksanaan",
        "Tim Persiapan melakukan reviu spesifikasi teknis",
        "PPK menetapkan spesifikasi teknis",
        "PPK menandatangani kontrak",
    )
    names = subject_names(rows)
    assert "Tim Persiapan Swakelola" in names
    assert "Tim Persiapan" not in names


def test_a_bare_jabatan_still_gives_way_to_the_name_of_its_office() -> None:
    """ "Sekretaris" alone names no unit: the longer spelling is kept, however often the
    short one is written (OCR cuts a name short more often than it adds to it)."""
    rows = _rows(
        "Sekretaris memeriksa konsep surat",
        "Sekretaris memaraf konsep surat",
        "Sekretaris Dinas meneruskan konsep surat",
        "Kepala Dinas menandatangani surat",
        "Kepala Dinas menetapkan surat",
    )
    names = subject_names(rows)
    assert "Sekretaris Dinas" in names
    assert "Sekretaris" not in names
