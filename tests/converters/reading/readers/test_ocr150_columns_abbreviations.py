"""The JF and JP columns (Jabatan Fungsional, Jabatan Pelaksana) written by their initials,
as Tesseract damages them at 150 dpi (issue 11): the J's hook lost ("I"), the F's bars lost
or a bowl added ("JI", "Ia", "JR", "Jk", "IP"). The column is kept, not dropped as a garbled
piece (then the hand-overs "kepada Fungsional" add a column of their own); a "P" read for the
"F" is settled by the performers the activities name.

The header lines are shaped like Tesseract's ``--psm 3`` / ``--psm 4`` texts of generated SOPs
at 150 dpi; titles and activities are made up."""

from __future__ import annotations

import pytest

from converters.model import ReaderWarning
from converters.reading.raw import RawRow
from converters.reading.readers.ocr.role_columns import read_roles
from converters.reading.readers.ocr.role_units import abbreviation_by_text, complete_roles


def _roles(*header: str) -> list[str]:
    warnings: list[ReaderWarning] = []
    return read_roles(list(header), warnings, 0)


@pytest.mark.parametrize("read", ["Ia", "JR", "Jk", "Jr", "JI"])
def test_a_damaged_jf_title_is_the_jf_column(read: str) -> None:
    roles = _roles(
        "No Kegiatan Keterangan",
        f"Kasubbag Kasi Bendahara {read} Persyaratan Waktu Output",
        "Kelengkapan",
    )
    assert roles == ["Kasubbag", "Kasi", "Bendahara", "JF"]


def test_a_p_read_after_a_lost_hook_is_the_jp_column_by_its_letters() -> None:
    assert _roles("Kabid Arsiparis IP Mutu Baku")[-1] == "JP"


def test_a_symbols_debris_under_the_titles_opens_no_column() -> None:
    """The line of drawn column numbers under the titles ("(1) (2) ..." read as "(en) Ia)
    (el @"): its "Ia" stands among no titles, so it is debris, not the JF column."""
    roles = _roles(
        "No. Kegiatan Ket",
        "Kasi Pelaksana Persyaratan/Kelengkapan Waktu Output",
        "(en) Ia) (el @ & @ ku (el",
    )
    assert roles == ["Kasi", "Pelaksana"]


def test_a_units_acronym_after_a_title_stays_its_unit() -> None:
    """ "Staf IT": a letter no F is read as; the column is the Staf of the IT unit."""
    assert "JF" not in _roles("Kabid Staf IT Kelengkapan Waktu Output")


def _rows(*activities: str) -> list[RawRow]:
    return [RawRow(number=k, activity=a) for k, a in enumerate(activities, 1)]


def test_the_activities_settle_a_jp_read_for_jf() -> None:
    """The activities hand work to "Fungsional" and never name JP's performer: the column
    read "JP" is the JF column."""
    rows = _rows(
        "Memeriksa berkas, kemudian diserahkan kepada Fungsional",
        "Menyusun laporan, kemudian diserahkan kepada Kasi",
        "Memaraf surat: jika sesuai diteruskan kepada Fungsional",
    )
    assert complete_roles(["Kasi", "Bendahara", "JP"], rows) == ["Kasi", "Bendahara", "JF"]


def test_a_jp_column_beside_a_pelaksana_column_is_the_jf_column() -> None:
    """"Pelaksana" is JP written out: a JP read beside it is one column read twice, the
    other abbreviation damaged."""
    text = "Menyusun laporan, kemudian diserahkan kepada Pelaksana"
    assert abbreviation_by_text(["PPK", "JP", "Pelaksana"], text) == ["PPK", "JF", "Pelaksana"]


def test_a_jp_column_the_activities_name_stays() -> None:
    text = "Menyusun laporan, kemudian diserahkan kepada JP; menelaah, diserahkan kepada Fungsional"
    assert abbreviation_by_text(["Kasi", "JP"], text) == ["Kasi", "JP"]
    text = "diserahkan kepada Fungsional; diteruskan kepada Fungsional"
    assert abbreviation_by_text(["Kasi", "JP", "Fungsional"], text) == ["Kasi", "JP", "Fungsional"]

