"""What an off-page connector is, in a picture's pixels: a small outline about as wide as it
is tall, on small drawings made here. A strip of paper fenced in by crossing lines, or a
patch as large as a row of symbols, two of its corners cut, has a pentagon's silhouette too."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.symbols import find_symbols

DPI = 150  # the photographed page where the fence was taken for a connector
SCALE = DPI / 72
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _pentagon(
    draw: ImageDraw.ImageDraw, x0: int, top: int, x1: int, bottom: int, letter: str
) -> None:
    """An off-page connector pointing down, as the official table draws it (19 x 17 pt)."""
    point = bottom + round(5 * SCALE)
    draw.line(
        [(x0, top), (x1, top), (x1, bottom), ((x0 + x1) // 2, point), (x0, bottom), (x0, top)],
        fill=255,
        width=2,
    )
    if letter:
        font = ImageFont.truetype(FONT, int(8 * SCALE))
        draw.text(((x0 + x1) // 2, (top + bottom) // 2), letter, fill=255, font=font, anchor="mm")


def _kinds(img: Image.Image) -> list[ShapeKind]:
    return [s.kind for s in find_symbols(np.array(img), SCALE, ())]


def test_a_strip_fenced_in_by_lines_with_its_corners_cut_is_no_connector() -> None:
    """A reject loop and a hand-over run side by side 17 pt apart, joined at one end by a line
    down and at the other by a head's wings that cut both corners: a 60 x 17 pt pentagon."""
    ink = np.zeros((300, 600), np.uint8)
    top, bottom = 100, 100 + round(17 * SCALE)
    cv2.line(ink, (40, top), (560, top), 255, 2)  # the lines run on past the strip
    cv2.line(ink, (40, bottom), (560, bottom), 255, 2)
    left, right = 120, 120 + round(60 * SCALE)
    cv2.line(ink, (left, 60), (left, 250), 255, 2)
    mid = (top + bottom) // 2
    for end in (top, bottom):  # a head's wings close the strip: its right end comes to a point
        cv2.line(ink, (right - 24, end), (right, mid), 255, 2)
    img = Image.fromarray(ink)
    assert ShapeKind.CONNECTOR not in _kinds(img)


def test_a_connector_stays_with_its_letter_or_with_the_letter_a_faint_copy_lost() -> None:
    for letter in ("C", ""):
        img = Image.new("L", (300, 200), 0)
        w, h = round(19 * SCALE), round(12 * SCALE)
        _pentagon(ImageDraw.Draw(img), 40, 40, 40 + w, 40 + h, letter)
        assert _kinds(img) == [ShapeKind.CONNECTOR]


def test_a_fence_around_a_diamond_is_no_connector_and_the_diamond_stays() -> None:
    """A reject loop, the line up from a diamond and two hand-overs fence in a patch as large
    as a row of symbols, with the diamond inside it; two corners cut make it a "pentagon",
    and the diamond inside that hole was dropped with it."""
    ink = np.zeros((400, 700), np.uint8)
    top, bottom = 60, 60 + round(86 * SCALE)
    cv2.line(ink, (20, top), (680, top), 255, 2)
    cv2.line(ink, (20, bottom), (680, bottom), 255, 2)
    left, right = 60, 60 + round(160 * SCALE)
    cv2.line(ink, (left, 20), (left, 380), 255, 2)
    mid = (top + bottom) // 2
    for end in (top, bottom):
        cv2.line(ink, (right - 60, end), (right, mid), 255, 2)
    cx, half_w, half_h = (left + right) // 2, round(20 * SCALE), round(13 * SCALE)
    diamond = np.array(
        [[cx - half_w, mid], [cx, mid - half_h], [cx + half_w, mid], [cx, mid + half_h]], np.int32
    )
    cv2.polylines(ink, [diamond], True, 255, 2)
    assert _kinds(Image.fromarray(ink)) == [ShapeKind.DECISION]
