"""Rows and role titles as Tesseract's page modes (``--psm 3``/``4``) damage them at 150 dpi.

A faint page top loses the first page's first rows with its header, and the first row read
may have lost its activity's capital ("5 bendahara menyusun ..."); a later page's header
repeats the SOP's name above the column titles; a title's word cut at its narrow cell's
edge comes out as two words ("Pelayan an"); a wrapped title's second line is lost and the
activities name the column in full once or twice, with a neighbouring cell's debris after
it. The texts are made up in those shapes, not copied from a document.
"""

from __future__ import annotations

from collections import Counter

from converters.reading.raw import RawRow
from converters.reading.readers.ocr.role_units import _supported_unit, complete_roles


def _row(activity: str) -> RawRow:
    return RawRow(number=1, activity=activity)


def test_a_lost_unit_is_completed_though_a_mention_runs_on_into_debris() -> None:
    rows = [
        _row("Menginput berkas permohonan, kemudian diserahkan kepada Pengadministrasi Umum"),
        _row("Menelaah draf laporan, kemudian diserahkan kepada Pengadministrasi Umum Ts aplikasi"),
    ]
    assert complete_roles(["Sekdin", "Pengadministrasi"], rows) == [
        "Sekdin", "Pengadministrasi Umum"]


def test_the_longer_unit_wins_between_equal_mentions() -> None:
    assert _supported_unit(Counter({"Penyusunan Program": 2})) == ("Penyusunan Program", 2)
    assert _supported_unit(Counter({"Umum": 1, "Umum Ts": 1})) == ("Umum", 2)
