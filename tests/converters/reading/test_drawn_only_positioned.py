"""Decisions stated by the flowchart alone, in ``pdftotext -layout`` text (and the positioned
forms laid out as such text).

Many signed SOPs say a decision only in the drawing: the row reads "Memilah berkas" and the
diamond's two arrows carry the labels. A text extraction keeps the labels as short texts in
the role columns and loses the arrows. Each text here is small and made up, in the *form*
those documents take; the label words are chosen to be unlike any sample's, since what makes
them labels is where they stand, not what they say.
"""

from __future__ import annotations

from pathlib import Path

from converters.reading.readers import pdftext_layout as layout
from converters.reading.sop_file import read_sop


def _sop(text: str):
    return read_sop(text.encode("utf-8"), "sop.txt")


def _decisions(text: str) -> dict[int, tuple[str, str]]:
    return {s.number: s.decision.labels for s in _sop(text).steps if s.decision is not None}


# -- two named ways: a pair of short texts in the role columns ----------------------------------

_NAMED_WAYS = """\
No    Kegiatan                                  Operator      Verifikator      Waktu      Output

1     Menerima berkas pengaduan                                                1 jam      Berkas

2     Memilah berkas pengaduan                  Daring        Luring           1 jam      Berkas

3     Menanggapi pengaduan daring                                              1 hari     Tanggapan

4     Menanggapi pengaduan luring                                              1 hari     Tanggapan
"""


def test_two_named_ways_beside_a_row_make_its_decision_with_their_names():
    """No yes, no no, no question and no choosing verb: two short capitalised texts alone in
    the role columns of one row are the labels of the arrows leaving its diamond, and the
    branches carry those names."""
    assert _decisions(_NAMED_WAYS) == {2: ("Daring", "Luring")}


_NAMED_BELOW = """\
No    Kegiatan                                  Operator      Verifikator      Waktu      Output

1     Menerima berkas pengaduan                                                1 jam      Berkas

2     Memilah berkas pengaduan                                                 1 jam      Berkas
                                                Daring

                                                              Luring
3     Menanggapi pengaduan                                                     1 hari     Tanggapan
"""


def test_named_ways_hanging_below_the_row_are_its_own():
    assert _decisions(_NAMED_BELOW) == {2: ("Daring", "Luring")}


def test_one_named_text_in_a_role_column_is_no_decision():
    """A lone word there is a symbol's own text (a terminator's "Mulai"), not two arrows."""
    text = _NAMED_WAYS.replace("Luring  ", "        ")
    assert layout.read(text).rows[1].marks == {"Operator": "Daring"}
    assert _decisions(text) == {}


def test_long_text_in_the_role_columns_is_no_pair_of_labels():
    """Cell text pushed into the role columns runs longer than any arrow's label."""
    text = _NAMED_WAYS.replace(
        "Daring        Luring     ", "Daring via laman resmi  Luring ke kantor")
    assert _decisions(text) == {}


# -- one column's texts stay apart ----------------------------------------------------------

_STACKED = """\
No    Kegiatan                                  Operator      Verifikator      Waktu      Output

1     Menyusun konsep surat                                                    1 jam      Konsep

2     Memeriksa konsep surat                                  Belum benar      1 jam      Konsep
                                                              E
                                                              Sudah benar

3     Menandatangani surat                                                     1 hari     Surat
"""


def test_labels_stacked_in_one_column_stay_apart_and_name_the_branches():
    """ "Belum benar", a connector's "E" and "Sudah benar" are three things: run together
    into one line they are no label at all."""
    assert layout.read(_STACKED).rows[1].marks == {"Verifikator": "Belum benar\nE\nSudah benar"}
    assert _decisions(_STACKED) == {2: ("Sudah benar", "Belum benar")}


# -- a row with both labels beside a diamond that has its own ----------------------------------

_TWO_DIAMONDS = """\
No    Kegiatan                                  Operator      Verifikator      Waktu      Output

1     Menyusun konsep surat                                                    1 jam      Konsep

2     Memeriksa konsep surat                    Benar?        Ya               1 jam      Konsep
                                                Tidak

3     Memeriksa lampiran surat                  Valid         Tidak valid      1 jam      Konsep

4     Menandatangani surat                                                     1 hari     Surat
"""


def test_a_row_with_both_labels_next_to_a_question_is_a_second_diamond():
    """Row 3 holds a yes and a no of its own; the question's row beside it already has its
    pair, so they are not its stray labels."""
    assert set(_decisions(_TWO_DIAMONDS)) == {2, 3}


def test_a_lone_label_beside_a_question_still_joins_it():
    """One label alone cannot be a diamond: it goes on joining the question's row."""
    text = _TWO_DIAMONDS.replace("Tidak valid", "           ")
    assert set(_decisions(text)) == {2}


_WRAPPED_TITLES = """\
No    Kegiatan                                  Kepala Seksi  Staf             Waktu      Output

                                                Pelayanan     Lapangan
1     Menerima berkas pengaduan                                                1 jam      Berkas

2     Menyusun konsep surat                                                    1 jam      Konsep
"""


def test_role_words_above_the_first_number_of_a_top_aligned_table_are_the_headers():
    """A cell of a top-aligned table starts on its number's line: the words in the role
    columns above step 1 are what is left of the wrapped role titles."""
    rows = layout.read(_WRAPPED_TITLES).rows
    assert rows[0].marks == {}
    assert _decisions(_WRAPPED_TITLES) == {}


# -- the drawn words name the branches --------------------------------------------------------

_NEGATED_ONLY = """\
No    Kegiatan                                  Operator      Verifikator      Waktu      Output

1     Menyusun konsep surat                                                    1 jam      Konsep

2     Memeriksa konsep surat                    Disetujui?    Tidak setuju     1 jam      Konsep

3     Menandatangani surat                                                     1 hari     Surat
"""


def test_a_negated_label_stays_whole_and_names_its_counterpart():
    """ "Tidak setuju" is one label, not "Tidak" and a yes "setuju"; its lost counterpart
    is the answer it denies."""
    assert _decisions(_NEGATED_ONLY) == {2: ("Setuju", "Tidak setuju")}
    text = _NEGATED_ONLY.replace("Tidak setuju", "Tidak Ada   ")
    assert _decisions(text) == {2: ("Ada", "Tidak Ada")}


_CELLS_IN_ROLE_COLUMN = """\
No    Kegiatan                        Operator                      Verifikator   Waktu   Output

1     Menerima berkas pengaduan       Sesuai                                      1 jam   Berkas
                                      kebutuhan

2     Menyusun konsep surat           Disposisi  Sesuai  Arsip                    1 jam   Konsep
                                      kebutuhan

3     Menandatangani surat                                                        1 hari  Surat
"""


def test_a_wrapped_cell_pushed_into_a_role_column_is_no_yes_label():
    """A grid misread pushes Mutu Baku cells left into a role column: "Sesuai" over
    "kebutuhan" is one wrapped cell, and "Disposisi  Sesuai" two cells on one line,
    not a yes label and its diamond."""
    rows = layout.read(_CELLS_IN_ROLE_COLUMN).rows
    assert rows[0].marks == {"Operator": "Sesuai kebutuhan"}
    assert rows[1].marks == {"Operator": "Disposisi Sesuai\nkebutuhan", "Verifikator": "Arsip"}
    assert _decisions(_CELLS_IN_ROLE_COLUMN) == {}



# -- a header repeated on a later page is no row's marks ---------------------------------------

_REPEATED_HEADER = Path(__file__).parent / "fixtures" / "layout-repeated-header-seed24014.txt"


def test_role_titles_second_lines_on_a_repeated_header_are_no_marks():
    """Top-aligned cells start on their number's line: the words between a header a later
    page repeats and that page's first number are the role titles' second lines ("Keuangan
    Perencanaan", "Seksi") that the column ranges missed. Read as marks they were two named
    "labels", a decision of the previous page's last row (an excerpt of a generated
    document, ``pdftotext -layout`` of the variant-header table)."""
    rows = layout.read(_REPEATED_HEADER.read_text(encoding="utf-8")).rows
    assert [r.number for r in rows] == [1, 2, 3]
    assert "Seksi" not in rows[1].marks.values()
    assert rows[1].marks == {"JF": "Disposisi"}  # a Mutu cell pushed left stays as it was
