"""The shared vocabulary: one list of Waktu units, Mutu Baku titles, jabatan words, verbs."""

from converters.reading.raw import RawRow, merge_rows
from converters.reading.vocabulary import (
    WAKTU_IN_CELL,
    WAKTU_VALUE,
    column_head_words,
    is_verb,
    mutu_kind,
    time_unit,
)


def test_waktu_value_finds_every_spelling_readers_meet() -> None:
    for text in ("2 Jam", "1 - 5 hari Kerja", "1 x 24 Jam", "10 mnt", "2 pekan", "1 semester"):
        assert WAKTU_VALUE.search(text), text
    assert not WAKTU_VALUE.search("5 m")  # a bare abbreviation only counts inside a Waktu cell
    assert WAKTU_IN_CELL.search("5 m")
    assert not WAKTU_IN_CELL.search("1 tahun")  # no due date is made of years
    assert time_unit("Hari Kerja").minutes == 480


def test_mutu_titles_of_the_form_and_of_home_made_tables() -> None:
    assert mutu_kind("Persyaratan/Kelengkapan") == "requirements"
    assert mutu_kind("Ket.") == "notes"
    assert mutu_kind("Hasil") is None
    assert mutu_kind("Hasil", other=True) == "output"


def test_column_heads_come_from_the_jabatan_kinds() -> None:
    heads = column_head_words()
    assert {"kepala", "kasubbag", "staf", "bagian", "camat"} <= set(heads)
    assert len(heads) == len(set(heads))


def test_verbs_by_shape_minus_known_nouns() -> None:
    assert is_verb("menerima") and is_verb("melakukan") and is_verb("diserahkan")
    assert not is_verb("berkas") and not is_verb("dinas") and not is_verb("media")


def test_merged_row_keeps_the_first_number_and_joins_cells() -> None:
    a = RawRow(3, "Menerima", marks={"Staf": "Г"}, duration="10", line=7)
    b = RawRow(None, "surat masuk", marks={"Staf": "v", "Kasi": "Ya"}, duration="menit", line=8)
    merged = merge_rows(a, b)
    assert (merged.number, merged.line, merged.activity) == (3, 7, "Menerima surat masuk")
    assert merged.marks == {"Staf": "Г v", "Kasi": "Ya"}
    assert merged.duration == "10 menit"


def test_the_number_column_title_is_one_pattern_for_every_reader() -> None:
    """Said once (``NUMBER_TITLE``): the tab, cell-per-line and flipbook readers used to
    accept different spellings ("Nmr" and "No. Urut" only in the tab reader)."""
    from converters.reading.readers import cell_lines, flipbook, tabbed

    patterns = (tabbed._NO_RE, cell_lines._NO, flipbook._NO_TITLE)
    for title in ("No", "No.", "NO", "Nomor", "No. Urut", "No Urut", "Nmr"):
        assert all(p.match(title) for p in patterns), title
    for other in ("Nama", "Nomor SOP", "Norma"):
        assert not any(p.match(other) for p in patterns), other
