"""Two things a printed flowchart's pixels hide, each on a small drawing made here: paper
fenced in by crossing arrows, which is no box, and the letter inside an off-page connector,
the only thing that joins a flow cut by a page break to its other half."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.connectors import _label, with_connector_labels
from converters.reading.drawn.scan.rulings import find_rulings
from converters.reading.drawn.scan.symbols import find_symbols
from converters.reading.drawn.scan.words import PxWord

DPI = 200
SCALE = DPI / 72
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _box_with_arrows(ink: np.ndarray) -> tuple[int, int, int, int]:
    """A drawn box, an arrow into the middle of its top and one out of its right side."""
    x0, y0, x1, y1 = 100, 100, 211, 156
    cv2.rectangle(ink, (x0, y0), (x1, y1), 255, 2)
    cv2.line(ink, (155, 40), (155, y0), 255, 2)
    cv2.line(ink, (x1, 128), (330, 128), 255, 2)
    return x0, y0, x1, y1


def test_paper_fenced_in_by_crossing_lines_is_no_box() -> None:
    """A reject loop running up beside a column crosses the hand-overs running across it: the
    rectangle of paper between them has the size and the square corners of a box, but its
    sides go on past its corners."""
    ink = np.zeros((700, 800), np.uint8)
    box = _box_with_arrows(ink)
    for y in (400, 500):
        cv2.line(ink, (50, y), (700, y), 255, 2)
    for x in (300, 450):
        cv2.line(ink, (x, 350), (x, 650), 255, 2)
    found = find_symbols(ink, SCALE, ())
    assert [s.kind for s in found] == [ShapeKind.PROCESS]
    x0, _top, _x1, bottom = found[0].box
    assert abs(x0 - box[0]) <= 4 and abs(bottom - box[3]) <= 4


def test_a_box_left_in_line_with_one_side_stays_a_box() -> None:
    """An arrow leaving a box at its corner along a side runs on past one corner only."""
    ink = np.zeros((400, 600), np.uint8)
    _box_with_arrows(ink)
    cv2.line(ink, (211, 100), (400, 100), 255, 2)  # the top side goes on to the right
    assert [s.kind for s in find_symbols(ink, SCALE, ())] == [ShapeKind.PROCESS]


def _connector_page(letter: str) -> tuple[np.ndarray, np.ndarray]:
    """A page (grey) with one off-page connector pointing down, ``letter`` inside and an
    arrow into its flat top whose head touches the outline; and its ink mask."""
    img = Image.new("L", (400, 300), 255)
    draw = ImageDraw.Draw(img)
    x0, top, x1, bottom = 150, 100, 202, 146  # 19 x 17 pt, as the official table draws it
    point = bottom + 14
    draw.line([(x0, top), (x1, top), (x1, bottom), ((x0 + x1) // 2, point), (x0, bottom),
               (x0, top)], fill=0, width=3)
    draw.line([(176, 40), (176, top)], fill=0, width=3)
    draw.polygon([(170, top - 12), (182, top - 12), (176, top)], fill=0)
    font = ImageFont.truetype(FONT, int(8 * SCALE))
    draw.text((176, 124), letter, fill=0, font=font, anchor="mm")
    gray = np.array(img)
    return gray, ((gray < 128) * 255).astype(np.uint8)


@pytest.mark.parametrize("letter", ["C", "B", "A"])
def test_a_connectors_letter_is_read_on_its_own(letter: str) -> None:
    """The page's OCR read the connector's letter with a piece of the outline ("B'") or
    twice ("Cc"), or not at all: read again alone, it is the letter."""
    gray, ink = _connector_page(letter)
    symbols = [s for s in find_symbols(ink, SCALE, ()) if s.kind is ShapeKind.CONNECTOR]
    assert len(symbols) == 1
    x0, top, x1, bottom = symbols[0].box
    garbled = PxWord(letter + "'", x0 + 10, top + 10, x1 - 10, top + 40, (1, 1, 1), 40.0)
    elsewhere = PxWord("Kegiatan", 10, 10, 90, 30, (1, 1, 2), 95.0)
    words = with_connector_labels([garbled, elsewhere], gray, symbols, DPI)
    inside = [w.text for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1
              and top <= (w.top + w.bottom) / 2 <= bottom]
    assert inside == [letter]
    assert elsewhere in words


@pytest.mark.parametrize(("read", "label"), [
    ("Cc", "C"), ("B'", "B"), ("|A", "A"), ("12", "12"), ("Oo", "O"), ("AA", "AA"),
    ("Kepala", ""), ("", ""), ("'", ""),
])
def test_what_counts_as_a_connectors_label(read: str, label: str) -> None:
    assert _label(read) == label


def _table(ink: np.ndarray) -> list[int]:
    """A ruled table: nine row rules and five column rules the table's full height; the
    column rules' x positions."""
    xs = [40, 140, 240, 340, 440]
    for y in range(60, 661, 75):
        cv2.line(ink, (40, y), (440, y), 255, 2)
    for x in xs:
        cv2.line(ink, (x, 60), (x, 660), 255, 2)
    return xs


def test_a_flow_line_drawn_along_a_column_rule_is_no_rule() -> None:
    """A loop back over several rows routed 4 pt inside a column's edge: a long straight
    stroke crossing the row rules as a rule does, but beside a longer rule (no column is that
    narrow) and starting two rows below the table's top. Erased as a rule, the arrow was
    lost and its branch read as the end of the process."""
    ink = np.zeros((720, 500), np.uint8)
    xs = _table(ink)
    beside = xs[2] - round(4 * SCALE)
    cv2.line(ink, (beside, 180), (beside, 620), 255, 2)
    verticals = [r.pos for r in find_rulings(ink, SCALE).lines if not r.horizontal]
    assert all(abs(x - beside) > 3 for x in verticals)
    assert all(any(abs(x - c) <= 3 for x in verticals) for c in xs)


def test_a_double_border_stays_a_rule() -> None:
    """Two lines end to end a couple of points apart (a double border) are both rules."""
    ink = np.zeros((720, 500), np.uint8)
    xs = _table(ink)
    double = xs[-1] + round(2 * SCALE)
    cv2.line(ink, (double, 60), (double, 660), 255, 2)
    verticals = [r.pos for r in find_rulings(ink, SCALE).lines if not r.horizontal]
    assert any(abs(x - double) <= 3 for x in verticals)
