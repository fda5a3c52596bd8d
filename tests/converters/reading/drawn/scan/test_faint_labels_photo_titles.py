"""Branch labels a faint copy or a photo spoils, and header titles a photo's blur hides.

- A worn copy's OCR boxes the words of "Tidak setuju" too far apart for the interpreter to
  join them (a lost stroke of the "k"), and "setuju" alone beside the refusing branch read as
  approval; a blurred photo splits "Sesuai" into "Ses" "ai", reads "Tidak" as "Th" and a
  broken "t" as a dash ("Se-uju"). The label reader joins and repairs them against the
  vocabulary's labels (:mod:`converters.reading.drawn.scan.labels`).
- A photo's blur runs the letters of a small bold title ("Pengadministrasian") together
  into a bar that the arrow finder took for a line: whitened as an arrow, the title was lost
  and the column named "Umum". A line above every symbol is no flowchart line.
- A block reading of a blurred two-line title reads "Kasubb" for "Kasubbag"; the header
  cells are read once more as sparse text.

The pieces are tested on words and on one photographed page's geometry (no OCR); the pages
that showed each damage (sample 0 of the bench) are read end to end (slow).
"""

from __future__ import annotations

import functools

import pytest

from converters.model import Sop
from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.extractor import extract_rasters
from converters.reading.drawn.scan.labels import _joined_label, _label_word, _phrased
from converters.reading.drawn.scan.raster import load_image
from converters.reading.drawn.scan.words import PxWord
from converters.reading.sop_file import read_sop
from tests.support.scan_fixtures import (
    MORE_DAMAGES,
    SAMPLES,
    ScanFixture,
    as_pdf,
    load_sample,
    render_scan,
    score_sop,
)

DPI = 200.0
ZONE = (900, 700, 1300, 850)  # a label zone around a diamond, pixels at 200 dpi


def _word(text: str, x0: int, x1: int, top: int = 767, bottom: int = 781) -> PxWord:
    return PxWord(text, x0, top, x1, bottom, (0, 0, 0), 90.0)


@pytest.fixture(scope="module")
def iku() -> Sop:
    return load_sample(SAMPLES[0])


def test_a_label_phrase_boxed_apart_on_a_faint_copy_is_one_label() -> None:
    """The boxes of the faint 200-dpi copy of sample 0: 5.4 pt apart, where the interpreter
    joins words up to 4.6 pt apart."""
    words = [_word("Tidak", 1051, 1088), _word("setuju", 1103, 1151, 770, 782)]
    assert [w.text for w in _phrased(words, [ZONE], DPI)] == ["Tidak setuju"]
    # outside the label zones nothing is joined
    assert len(_phrased(words, [(0, 0, 100, 100)], DPI)) == 2


def test_two_labels_of_one_diamond_stay_apart() -> None:
    """"Setuju" left of a diamond and "Tidak" right of it (30 pt apart) are two labels, and
    two words that make no label together are never joined."""
    apart = [_word("Setuju", 900, 950), _word("Tidak", 1050, 1088)]
    assert len(_phrased(apart, [ZONE], DPI)) == 2
    close = [_word("Ya", 1000, 1015), _word("setuju", 1022, 1070)]
    assert len(_phrased(close, [ZONE], DPI)) == 2


@pytest.mark.parametrize(
    ("first", "second", "label"),
    [
        ("Tidak", "setuju", "Tidak setuju"),
        ("Tidal", "setuju", "Tidak setuju"),
        ("Th", "setuju", "Tidak setuju"),  # "idak" lost: the only phrase ending in "setuju"
        ("Ses", "ai", "Sesuai"),  # one word cut in two, a letter lost between
        ("Se", "tuju", "Setuju"),
        ("B", "lengkap", "Belum lengkap"),  # the one phrase of that start and ending
    ],
)
def test_words_that_make_a_label_together_are_joined(first: str, second: str,
                                                       label: str) -> None:
    found = _joined_label(first, second)
    assert found is not None and found[0] == label


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ya", "setuju"),  # no label starts so
        ("Kasubbag", "setuju"),  # a long word before a label word is an activity's
        ("laporan", "sesuai"),
        ("T", "ada"),  # "tidak ada" is no phrase of "ada" alone: "ada" is too short a word
    ],
)
def test_words_that_make_no_label_stay_apart(first: str, second: str) -> None:
    assert _joined_label(first, second) is None


def test_a_label_word_with_a_letter_read_as_a_dash_is_repaired() -> None:
    assert _label_word("Se-uju") == "Setuju"
    assert _label_word("Tidal") == "Tidak"
    assert _label_word("laporan") == "laporan"
    assert _label_word("S-tyju") == "S-tyju"  # two letters off: not a guess to make


@functools.cache
def _photo(dpi: int) -> ScanFixture:
    """Sample 0 photographed as the bench does it (the same seed and page index)."""
    return render_scan(load_sample(SAMPLES[0]), dpi=dpi, **MORE_DAMAGES["photo"])  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_photos_blurred_header_title_is_no_arrow() -> None:
    """At 200 dpi the photo runs "Pengadministrasian" into a bar of letters the arrow finder
    takes for a line (it was whitened from the OCR's page with it); no arrow stands above
    the table's first symbol."""
    page = extract_rasters(load_image(_photo(200).images[-1]), ocr=False).pages[0]
    symbols = [s for s in page.shapes if s.kind is not ShapeKind.ARROW]
    top = min(s.box.top for s in symbols)
    arrows = [s for s in page.shapes if s.kind is ShapeKind.ARROW]
    assert arrows and all(max(y for _, y in a.path) >= top - 11 for a in arrows)


@pytest.mark.slow
def test_a_faint_copys_decisions_read_back(iku: Sop) -> None:
    """Sample 0 as a faint copy at 200 dpi: both decisions, both targets each (was 1 of 2:
    "Tidak" and "setuju" read as two labels)."""
    fx = render_scan(iku, dpi=200, **MORE_DAMAGES["faint"])  # type: ignore[arg-type]
    sc = score_sop(iku, read_sop(as_pdf(fx)))
    assert sc.decision_rate == 1.0 and sc.targets_right == sc.targets, sc


@pytest.mark.slow
def test_a_photos_role_titles_read_back(iku: Sop) -> None:
    """Sample 0 photographed at 200 dpi: every role column named, every step's role right
    (was 3 of 4 columns, 5 of 8 roles: "Pengadministrasian" whitened as an arrow)."""
    sc = score_sop(iku, read_sop(as_pdf(_photo(200))))
    assert sc.role_names_right == sc.role_names and sc.role_rate == 1.0, sc


@pytest.mark.slow
def test_a_blurred_two_line_title_is_read_whole() -> None:
    """Sample 0 photographed at 150 dpi: the block reading gives "Kasubb" for the title
    "Kasubbag" over "PEKK"; the sparse reading of the header cells reads it whole."""
    page = extract_rasters(load_image(_photo(150).images[-1])).pages[0]
    assert any(t.text == "Kasubbag" for t in page.texts)
