"""Two role columns whose titles share their first line, read by OCR (issue 11, realtext).

A header of two applications or two levels of one unit ("Aplikasi SIPW" over "Level
kab/kota", "Aplikasi SIPW" over "Level provinsi") reads in Tesseract's ``--psm 4`` text as
the shared first line twice on the line of titles, and the two second lines as the table's
first line, with or without the cell border OCR kept between them. Two columns never share
a title: the second lines tell them apart. The text is made up in that shape.
"""

from __future__ import annotations

from converters.reading.readers import read_raw
from converters.reading.readers.ocr.role_units import rehome_units


def _text(second_line: str) -> str:
    return f"""Nomor SOP SOP-101/2025
Nama SOP Pemutakhiran Wilayah

Pelaksana Mutu Baku

No Kegiatan Keterangan
BPS Kab/Kota Aplikasi SIPW Aplikasi SIPW Waktu Output
{second_line}

1 Melakukan identifikasi perubahan wilayah 1 minggu Laporan petugas
2 Mengajukan tiket perubahan wilayah 1 jam Tiket
3 Memeriksa tiket perubahan wilayah level kabupaten 1 jam Tiket diperiksa
4 Memeriksa tiket perubahan wilayah level provinsi 1 jam Tiket disetujui
5 Membuat laporan kegiatan 1 jam Laporan
"""


_BOTH = ["BPS Kab/Kota", "Aplikasi SIPW Level kab/kota", "Aplikasi SIPW Level provinsi"]


def test_the_second_lines_split_at_the_cell_border() -> None:
    raw = read_raw(_text("Level kab/kota | Level provinsi").encode("utf-8"), "sop.txt")
    assert raw.source_format == "ocr"
    assert raw.roles == _BOTH


def test_the_second_lines_split_where_their_first_word_comes_again() -> None:
    raw = read_raw(_text("Level kab/kota Level provinsi").encode("utf-8"), "sop.txt")
    assert raw.roles == _BOTH


def test_a_title_read_twice_with_nothing_to_tell_it_apart_stays_once() -> None:
    """What was right is left alone: no second lines (or a row's text under the header),
    one column as before."""
    assert rehome_units(["BPS Kab/Kota", "Aplikasi SIPW", "Aplikasi SIPW"], [],
                        ["1 Melakukan identifikasi perubahan wilayah 1 minggu"]) == [
        "BPS Kab/Kota", "Aplikasi SIPW"]
    assert rehome_units(["Kepala Dinas", "Sekretaris"], [], ["Level a | Level b"]) == [
        "Kepala Dinas", "Sekretaris"]
