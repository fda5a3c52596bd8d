"""A pasted flowchart picture cut by the page break, read as one: the two halves of a row
(half a diamond on each page) joined again, drawn here as two rendered pages."""

from __future__ import annotations

import cv2
import numpy as np

from converters.reading.drawn.pdf.raster import Pasted, _Sheet, _stitched
from converters.reading.drawn.picture import Box, TextRun
from converters.reading.drawn.scan.extractor import TextLayer
from converters.reading.drawn.scan.raster import Raster

DPI = 144.0  # 2 px a point
SCALE = DPI / 72


def _pages(closed: bool) -> tuple[_Sheet, _Sheet]:
    """Page 1 ends with a picture of a table whose last row the break cuts through a
    diamond; page 2 starts with the rest of the picture (same column, width and scale).
    ``closed``: the first picture ends on a rule of its own (a table pasted whole)."""
    w, h = 1200, 1600
    one = np.full((h, w), 255, np.uint8)
    two = np.full((h, w), 255, np.uint8)
    x0, x1 = 100, 1100
    top1, cut1 = 600, 1400  # the picture on page 1, in pixels
    top2, end2 = 200, 500  # its rest on page 2
    for x in (x0, 300, 700, x1):  # the column rules run through the cut
        one[top1:cut1, x : x + 2] = 0
        two[top2:end2, x : x + 2] = 0
    one[top1 : top1 + 2, x0:x1] = 0
    two[end2 - 2 : end2, x0:x1] = 0
    if closed:
        one[cut1 - 2 : cut1, x0:x1] = 0
    # a diamond centred on the cut: its upper half on page 1, its lower half on page 2
    cx, half = 500, 60
    cv2.line(one, (cx - 80, cut1), (cx, cut1 - half), 0, 3)
    cv2.line(one, (cx, cut1 - half), (cx + 80, cut1), 0, 3)
    cv2.line(two, (cx - 80, top2), (cx, top2 + half), 0, 3)
    cv2.line(two, (cx, top2 + half), (cx + 80, top2), 0, 3)

    def pasted(top: int, bottom: int) -> Pasted:
        return Pasted(
            Box(x0 / SCALE, top / SCALE, x1 / SCALE, bottom / SCALE), (x1 - x0, bottom - top)
        )

    footer = TextRun("halaman", Box(100, 760, 140, 770))
    word = TextRun("Ya", Box(260, 120, 270, 126))  # a word of page 2, below its cut
    first = _Sheet(1, Raster(one, DPI), TextLayer((footer,)), (pasted(top1, cut1),))
    second = _Sheet(2, Raster(two, DPI), TextLayer((footer, word)), (pasted(top2, end2),))
    return first, second


def test_a_picture_cut_by_the_page_break_is_read_as_one_sheet() -> None:
    first, second = _pages(closed=False)
    (sheet,) = _stitched([first, second])
    assert sheet.number == 1
    gray = sheet.raster.gray
    assert gray.shape[0] == 1400 + (1600 - 200)  # page 1 down to the cut, page 2 from its top
    # the diamond is whole: its vertices left and right of the cut, on one row of pixels
    row = gray[1400, :]
    assert row[420] < 128 and row[580] < 128
    texts = {t.text: t.box for t in sheet.layer.words}
    assert set(texts) == {"Ya", "halaman"}  # page 1's footer below its cut is gone
    moved = texts["Ya"]
    assert abs(moved.top - (120 + (1400 - 200) / SCALE)) < 0.01  # page 2's words moved down
    (picture,) = sheet.pictures
    assert abs(picture.box.bottom - (1400 + 300) / SCALE) < 0.01


def test_a_picture_closed_by_its_own_rule_stays_on_its_page() -> None:
    first, second = _pages(closed=True)
    assert [s.number for s in _stitched([first, second])] == [1, 2]


def test_pictures_of_another_width_are_not_one_picture() -> None:
    first, second = _pages(closed=False)
    narrow = Pasted(Box(50, 100, 400, 250), second.pictures[0].pixels)
    other = _Sheet(2, second.raster, second.layer, (narrow,))
    assert [s.number for s in _stitched([first, other])] == [1, 2]
