"""The rules added for real documents the reader was not tuned on (issue 10), each on a
small drawing made here: which symbols a line joins, touching text runs, a merged cell that
is no row, a stray space in a bracketed title, a document symbol in a scan, a short arrow."""

from __future__ import annotations

import cv2
import numpy as np

from converters.reading.drawn.interpret.flow import links
from converters.reading.drawn.interpret.table import _row_bands, _title
from converters.reading.drawn.pdf.vector import _touching_joined
from converters.reading.drawn.picture import Box, Page, Shape, ShapeKind, TextRun
from converters.reading.drawn.scan.symbols import classify, find_arrows


def _box(x0: float, top: float, x1: float, bottom: float) -> Shape:
    return Shape(ShapeKind.PROCESS, Box(x0, top, x1, bottom))


def test_a_line_drawn_short_of_its_box_or_merging_into_another_still_joins_them() -> None:
    upper, lower, side = _box(100, 100, 140, 120), _box(100, 200, 140, 220), _box(20, 150, 60, 170)
    down = Shape(ShapeKind.ARROW, Box(119, 120, 121, 192),
                 path=((120, 120), (120, 192)), head=(120, 192))  # 8 pt short of ``lower``
    merge = Shape(ShapeKind.ARROW, Box(60, 159, 120, 161), path=((60, 160), (120, 160)))
    page = Page(1, 600, 800, shapes=(upper, lower, side, down, merge))
    pairs = {frozenset((id(k.a), id(k.b))) for k in links(page)}
    assert frozenset((id(upper), id(lower))) in pairs
    # the side box's line ends on the down arrow and goes on with it to the lower box
    assert frozenset((id(side), id(lower))) in pairs
    assert frozenset((id(side), id(upper))) not in pairs


def test_text_runs_whose_letters_touch_are_one_word_and_a_gap_keeps_two() -> None:
    runs = [TextRun("Rekanan/", Box(390.7, 92.5, 418.63, 98.9)),
            TextRun("Vendor", Box(418.71, 92.5, 440.0, 98.9)),
            TextRun("Belum", Box(332.8, 126.1, 346.7, 131.2)),
            TextRun("Benar", Box(347.7, 126.1, 360.6, 131.2))]
    assert [r.text for r in _touching_joined(runs)] == ["Rekanan/Vendor", "Belum", "Benar"]


def test_a_cell_spanning_several_rows_is_no_row_of_its_own() -> None:
    rows = [Box(0, 100 + 30 * i, 50, 130 + 30 * i) for i in range(4)]
    spanning = Box(50, 130, 90, 220)  # a column whose rulings a flow line hid
    assert _row_bands([*rows, spanning]) == [(r.top, r.bottom) for r in rows]


def test_a_space_inside_a_bracket_of_a_title_is_dropped() -> None:
    words = [TextRun("Tim", Box(0, 0, 10, 6)), TextRun("(Approver", Box(12, 0, 40, 6)),
             TextRun(")", Box(42, 0, 44, 6))]
    assert _title(words, 0, 60) == "Tim (Approver)"


def _document_hole(w: int = 81, h: int = 46) -> np.ndarray:
    """The front page of a document symbol as a scan's hole: square top, the bottom edge
    flat at the left and rising towards the right corner (the wave)."""
    hole = np.zeros((h, w), np.uint8)
    for x in range(w):
        rise = max(0.0, (x - 0.4 * w) / (0.6 * w)) ** 0.5 * 0.25 * h
        hole[: h - int(rise), x] = 255
    return hole


def test_a_document_symbol_is_a_step_symbol_and_a_blotted_box_is_not() -> None:
    assert classify(_document_hole()) is ShapeKind.PROCESS
    notched = np.full((63, 88), 255, np.uint8)
    notched[40:, 60:] = 0  # a box with one corner lost to a stamp
    assert classify(notched) is not ShapeKind.PROCESS


def test_a_short_arrow_with_a_filled_head_is_an_arrow_and_a_short_stroke_is_not() -> None:
    scale = 200 / 72
    ink = np.zeros((200, 200), np.uint8)
    shaft = int(9.5 * scale)  # shorter than a long run (12 pt), longer than 0.7 of one
    cv2.line(ink, (50, 40), (50, 40 + shaft), 255, 2)
    head = np.array([[44, 40 + shaft], [56, 40 + shaft], [50, 52 + shaft]], np.int32)
    cv2.fillPoly(ink, [head], 255)
    cv2.line(ink, (150, 40), (150, 40 + shaft), 255, 2)  # the same stroke, no head
    arrows, _ = find_arrows(ink, scale)
    xs = sorted(round(a.path[0][0]) for a in arrows)
    assert len(arrows) == 1 and abs(xs[0] - 50) <= 2, [a.path for a in arrows]
