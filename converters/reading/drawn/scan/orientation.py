"""Which way up a scanned page is: a page fed into the scanner upside down or on its side.

The geometry of an SOP table looks much the same turned (rulings are rulings, a box is a
box), but its words do not: Tesseract reads upright text with confidence and a turned page
as noise. So the page is asked directly: a square of it dense with print is read as it
stands, and only when that yields too few sure words is it read turned by 180, 90 and 270°,
and the page turned to the reading that finds clearly more. An upright page costs one small
OCR call; a turned one, four.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from converters.reading.drawn.scan.raster import Gray, Raster, binarise
from converters.reading.drawn.scan.words import ocr_words

PROBE = 2.2
"""Inches: the side of the square of print that is read to tell the page's orientation
(a dozen lines of 9-pt text, several cells of a table)."""
SURE = 75.0
"""Tesseract's confidence from which a word counts as read."""
ENOUGH = 20
"""Sure words in the probe that settle it: the page is upright (an upright page of 9-pt
print gives 40 and more; a turned one a handful, Tesseract's guesses at letters upside
down)."""
TURNED = 6
"""Sure words a turned reading needs at the least before the page is turned."""
BETTER = 2.0
"""A turned reading must find this many times the sure words of the upright one (and
:data:`TURNED`) before the page is turned: a page is upright unless clearly not."""

_WORD = re.compile(r"[A-Za-z]{3,}")


def _sure_words(gray: Gray, dpi: float) -> int:
    return sum(
        1
        for w in ocr_words(gray, dpi, psm=11)
        if w.confidence >= SURE and _WORD.fullmatch(w.text.strip(".,:;()"))
    )


def _probe(gray: Gray, dpi: float) -> Gray:
    """The square of the page with the most print in it (rulings left out of the count)."""
    h, w = gray.shape
    side = min(int(PROBE * dpi), h, w)
    ink = binarise(gray)
    long_ = max(int(0.5 * dpi), 10)
    lines = cv2.bitwise_or(
        cv2.morphologyEx(
            ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_, 1))
        ),
        cv2.morphologyEx(
            ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_))
        ),
    )
    text = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(lines, np.ones((5, 5), np.uint8))))
    density = cv2.boxFilter(
        text.astype(np.float32) / 255.0,
        -1,
        (side, side),
        normalize=True,
        borderType=cv2.BORDER_CONSTANT,
    )
    half = side // 2
    inner = density[half : max(h - half, half + 1), half : max(w - half, half + 1)]
    at = np.unravel_index(int(np.argmax(inner)), inner.shape)
    y, x = int(at[0]), int(at[1])  # top-left of the best square (centre offset by half)
    crop = gray[y : y + side, x : x + side].copy()
    crop[cv2.dilate(lines, np.ones((5, 5), np.uint8))[y : y + side, x : x + side] > 0] = 255
    return crop


TURNS = {180: cv2.ROTATE_180, 90: cv2.ROTATE_90_CLOCKWISE, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
"""Clockwise turns that may set a page upright, with OpenCV's rotation for each."""


def upright_turn(gray: Gray, dpi: float) -> int:
    """Degrees (clockwise) the page must be turned to stand upright: 0, 90, 180 or 270."""
    probe = _probe(gray, dpi)
    here = _sure_words(probe, dpi)
    if here >= ENOUGH:
        return 0
    best, found = 0, here
    for turn, code in TURNS.items():
        n = _sure_words(cv2.rotate(probe, code), dpi)
        if n > found:
            best, found = turn, n
    if best and found >= TURNED and found >= BETTER * max(here, 1):
        return best
    return 0


def upright(raster: Raster) -> tuple[Raster, int]:
    """The page turned upright, and the clockwise turn that did it (degrees)."""
    turn = upright_turn(raster.gray, raster.dpi)
    if not turn:
        return raster, 0
    return Raster(np.ascontiguousarray(cv2.rotate(raster.gray, TURNS[turn])), raster.dpi), turn
