"""Worn copies and warped scans: faint print on near-white paper, diamonds whose thin slanted
sides leak, column and row rules a scan lost in a few rows, misread branch labels.

The pieces are tested on drawn masks, and one faint 150-dpi page's geometry is read (no OCR);
the dpi × damage grid is read end to end on the bench (``bench/scan_reading.py``).
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np
import pytest

from converters.reading.drawn.picture import Page, ShapeKind
from converters.reading.drawn.scan.extractor import _distinct, extract_rasters
from converters.reading.drawn.scan.gaps import join_broken
from converters.reading.drawn.scan.labels import _repaired
from converters.reading.drawn.scan.raster import Raster, load_image, print_only, straighten
from converters.reading.drawn.scan.rulings import find_rulings
from converters.reading.drawn.scan.symbols import PxArrow, find_symbols, leaking_diamonds
from converters.reading.drawn.scan.text import repair_word
from converters.reading.drawn.scan.words import PxWord
from tests.support.scan_fixtures import MORE_DAMAGES, SAMPLES, load_sample, render_scan, score

SCALE = 200 / 72


def _faint_page(shape: tuple[int, int] = (600, 800)) -> np.ndarray:
    """A grey-printed page on paper that is nearly white: a ruled box and a line of print."""
    page = np.full(shape, 240, np.uint8)
    cv2.rectangle(page, (50, 50), (750, 550), 130, 3)
    for x in range(80, 700, 24):
        cv2.rectangle(page, (x, 100), (x + 14, 124), 135, -1)
    return page


def test_faint_print_on_white_paper_is_worn_and_a_black_page_not() -> None:
    """A copy low on toner whose paper came out near white is still a worn copy (its print
    darkened, its mask mended): before, only a tinted sheet was ever checked for faintness,
    and a faint 100/150-dpi scan came back with no table at all."""
    worn, _, _ = straighten(Raster(_faint_page(), 200.0))
    assert worn.worn
    assert float(np.percentile(worn.gray[worn.gray < 200], 10)) < 100  # darkened
    black = _faint_page()
    black[black < 200] = 0
    clean, _, _ = straighten(Raster(black, 200.0))
    assert not clean.worn and clean.gray is black


def _leaking_diamond(gap: int, shift: int) -> np.ndarray:
    """A diamond of 1-px sides whose upper-left side breaks halfway: a ``gap`` px drop-out,
    the upper piece ``shift`` px across the side's line from the lower one."""
    ink = np.zeros((300, 400), np.uint8)
    left, top, right, bottom = (140, 150), (200, 105), (260, 150), (200, 195)
    for a, b in ((top, right), (right, bottom), (bottom, left)):
        cv2.line(ink, a, b, 255, 1)
    mx, my = (left[0] + top[0]) / 2, (left[1] + top[1]) / 2
    dx, dy = top[0] - left[0], top[1] - left[1]
    n = (dx * dx + dy * dy) ** 0.5
    ux, uy = dx / n, dy / n
    p1 = (round(mx - ux * gap / 2), round(my - uy * gap / 2))
    p2 = (round(mx + ux * gap / 2 - uy * shift), round(my + uy * gap / 2 + ux * shift))
    cv2.line(ink, left, p1, 255, 1)
    cv2.line(ink, p2, top, 255, 1)
    return ink


@pytest.mark.parametrize(("gap", "shift"), [(4, 0), (4, 1), (5, 2)])
def test_a_diamond_whose_slanted_side_leaks_is_found_on_a_worn_page(gap: int, shift: int) -> None:
    ink = _leaking_diamond(gap, shift)
    assert not any(s.kind is ShapeKind.DECISION for s in find_symbols(ink, SCALE, ()))
    found = leaking_diamonds(ink, SCALE, (), [])
    assert [s.kind for s in found] == [ShapeKind.DECISION]
    x0, y0, x1, y1 = found[0].box  # the outline's box, within a few pixels
    assert abs((x0 + x1) / 2 - 200) <= 2 and abs((y0 + y1) / 2 - 150) <= 2
    assert abs((x1 - x0) - 120) <= 8 and abs((y1 - y0) - 90) <= 8
    # where a symbol stands already, the pass adds nothing
    assert leaking_diamonds(ink, SCALE, (), found) == []


def _table(ink: np.ndarray, rows: list[int], cols: list[int]) -> None:
    for y in rows:
        cv2.line(ink, (cols[0], y), (cols[-1], y), 255, 3)
    for x in cols:
        cv2.line(ink, (x, rows[0]), (x, rows[-1]), 255, 3)


def _cell_at(cells: tuple, x: int, y: int) -> tuple[int, int, int, int]:
    return next(c for c in cells if c[0] <= x <= c[2] and c[1] <= y <= c[3])


ROWS = [100, 220, 400, 580, 760, 940, 1120]
COLS = [100, 160, 700, 900, 1100, 1300, 1500]


def test_a_column_rule_the_scan_lost_in_two_rows_is_carried_over_them() -> None:
    """The ``No | Kegiatan`` rule of a warped scan: seen from the header down, a little off
    its line at the top, lost over a row and a half; rows 1 and 2 must still have their
    number cells (S08's page 2)."""
    ink = np.zeros((1200, 1600), np.uint8)
    _table(ink, ROWS, COLS)
    ink[ROWS[0] + 3 : ROWS[-1] - 2, COLS[1] - 3 : COLS[1] + 4] = 0
    cv2.line(ink, (COLS[1] - 8, ROWS[0]), (COLS[1] - 8, 300), 255, 3)  # header, row 1's top
    cv2.line(ink, (COLS[1], 470), (COLS[1], ROWS[-1]), 255, 3)  # from row 2 down
    cells = find_rulings(ink, SCALE).cells
    for top, bottom in itertools.pairwise(ROWS):
        number = _cell_at(cells, 130, (top + bottom) // 2)
        assert number[2] < COLS[1] + 5, (top, number)  # the number cell stops at the rule
    # an arrow beside a rule, a few rows long, is no rule: nothing is carried for it
    lone = np.zeros_like(ink)
    _table(lone, ROWS, COLS)
    cv2.line(lone, (COLS[3] + 9, 420), (COLS[3] + 9, 560), 255, 3)
    assert len(find_rulings(lone, SCALE).cells) == len(find_rulings(_grid(), SCALE).cells)


def _grid() -> np.ndarray:
    ink = np.zeros((1200, 1600), np.uint8)
    _table(ink, ROWS, COLS)
    return ink


def test_a_row_rule_lost_in_the_number_column_is_carried_across_it() -> None:
    ink = _grid()
    ink[ROWS[2] - 2 : ROWS[2] + 3, COLS[0] + 3 : COLS[1] - 2] = 0  # rows 1 and 2 share "No"
    cells = find_rulings(ink, SCALE).cells
    assert _cell_at(cells, 130, 300)[3] < ROWS[2] + 5
    assert _cell_at(cells, 130, 500)[1] > ROWS[2] - 5
    # a rule under a group title starts further right: the title's cells stay merged
    head = _grid()
    head[ROWS[1] - 2 : ROWS[1] + 3, COLS[0] + 3 : COLS[3] - 2] = 0
    cells = find_rulings(head, SCALE).cells
    assert _cell_at(cells, 130, 150) == _cell_at(cells, 130, 300)


def test_misread_branch_labels_near_a_diamond_are_put_right() -> None:
    def word(text: str, x: int) -> PxWord:
        return PxWord(text, x, 100, x + 40, 115, (0, 0, 0), 80.0)

    zone = [(0, 50, 300, 200)]
    got = _repaired([word("Tidal", 10), word("Sktuju", 60), word("Tidj", 110)], zone)
    assert [w.text for w in got] == ["Tidak", "Setuju", "Tidj"]  # two edits: left alone
    assert _repaired([word("Tidal", 10)], [(500, 0, 600, 50)])[0].text == "Tidal"


def test_a_header_word_a_letter_off_two_spellings_takes_the_same_length_one() -> None:
    assert repair_word("Kasuhbag") == "Kasubbag"  # not its other spelling "Kasubag"
    assert repair_word("Kasubbag") == "Kasubbag"


def test_the_ocr_page_of_a_worn_copy_keeps_only_the_print() -> None:
    gray = np.full((40, 40), 200, np.uint8)
    gray[10:20, 10:12] = 90  # a stroke
    gray[30, 30] = 120  # a speck the despeckled mask no longer holds
    ink = np.zeros_like(gray)
    ink[10:20, 10:12] = 255
    out = print_only(gray, ink)
    assert out[15, 10] == 90 and out[30, 30] == 255 and out[0, 0] == 255


def test_a_faint_copy_at_150_dpi_draws_its_table_and_symbols() -> None:
    """The copy that was refused ("no text: a scan?"): its page at 150 dpi, faint on near
    white paper, now shows the flowchart table, and its symbols stand in their cells (the
    geometry alone, no OCR; the bench reads it end to end)."""
    iku = load_sample(SAMPLES[0])
    fx = render_scan(iku, dpi=150, flow_only=True, **MORE_DAMAGES["faint"])  # type: ignore[arg-type]
    picture = extract_rasters(load_image(fx.images[0]), ocr=False)
    assert len(picture.pages) == 1 and flow_grid_cells(picture.pages[0])
    sc = score(fx, list(picture.pages))
    assert sc.symbols_right >= 6 and sc.decisions_right == sc.decisions == 2, sc


def flow_grid_cells(page: Page) -> bool:
    """The page holds the flowchart table: cells, and symbols that are not arrows."""
    return len(page.cells) >= 20 and any(s.kind is ShapeKind.PROCESS for s in page.shapes)


def test_a_word_read_twice_in_one_place_is_kept_once() -> None:
    """Two passes over a header (one misread and repaired) give the same word twice, a
    pixel apart: the role would be titled "Pengadministrasian Umum Umum"."""
    first = PxWord("Umum", 420, 80, 438, 84, (1, 1, 1), 70.0)
    again = PxWord("Umum", 424, 81, 438, 84, (0, 0, 0), 91.0)
    other = PxWord("Umum", 169, 112, 190, 118, (2, 1, 1), 90.0)  # the same word elsewhere
    assert _distinct([first, other, again]) == [other, again]


def test_a_worn_copys_arrow_broken_at_its_corner_is_joined_again() -> None:
    """A toner drop-out at an arrow's bend leaves white paper, not a faint line: on a worn
    copy pieces a few points apart are one arrow; on a clean page they stay apart."""
    gray = np.full((400, 600), 255, np.uint8)
    scale = 200 / 72
    along = PxArrow(((100.0, 200.0), (300.0, 200.0)), None, (100, 199, 300, 201), (1,))
    up = PxArrow(
        ((307.0, 197.0), (307.0, 80.0), (280.0, 80.0)), (280.0, 80.0), (280, 80, 308, 197), (2,)
    )
    assert len(join_broken([along, up], [], gray, scale)) == 2
    (joined,) = join_broken([along, up], [], gray, scale, worn=True)
    assert joined.path[0] == (100.0, 200.0) and joined.head == (280.0, 80.0)
