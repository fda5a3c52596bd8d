"""Arrows and symbols of a pasted or scanned flowchart picture, each on a small drawing made
here: open (``>``) arrowheads, a ring of lines between symbols that is no symbol, a bold
word that is no arrow, a question set close inside a diamond's outline."""

from __future__ import annotations

import cv2
import numpy as np

from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.symbols import (
    PxSymbol,
    _not_between,
    find_arrows,
    find_symbols,
    outline_ink,
)

SCALE = 200 / 72


def _open_head(
    ink: np.ndarray, tip: tuple[int, int], back: tuple[int, int], width: int = 2
) -> None:
    """Two strokes from the tip back to either side of the line: a ``>`` head."""
    (tx, ty), (dx, dy) = tip, back
    wing = int(4 * SCALE)
    for side in (1, -1):
        end = (tx + dx * wing + dy * side * wing // 2, ty + dy * wing + dx * side * wing // 2)
        cv2.line(ink, (tx, ty), end, 255, width)


def test_an_open_arrowhead_marks_the_end_it_is_drawn_at() -> None:
    ink = np.zeros((300, 400), np.uint8)
    cv2.line(ink, (40, 100), (300, 100), 255, 2)  # left to right, head at the right
    _open_head(ink, (300, 100), (-1, 0))
    cv2.line(ink, (200, 150), (200, 280), 255, 2)  # top to bottom, head at the top
    _open_head(ink, (200, 150), (0, 1))
    arrows, _ = find_arrows(ink, SCALE)
    heads = sorted((round(a.head[0]), round(a.head[1])) for a in arrows if a.head)
    assert len(arrows) == 2 and len(heads) == 2
    assert abs(heads[0][0] - 200) <= 3 and abs(heads[0][1] - 150) <= 3
    assert abs(heads[1][0] - 300) <= 3 and abs(heads[1][1] - 100) <= 3


def test_an_open_head_wins_over_a_heavier_stretch_at_the_tail() -> None:
    """A rendered picture draws one stretch of a bent line a pixel heavier than the other:
    thickness alone then finds "head" ink all along it, at the tail; the head's wings are
    what tells the ends apart."""
    ink = np.zeros((300, 400), np.uint8)
    ink[98:102, 120:301] = 255  # the tail stretch, 4 px
    ink[98:251, 119:121] = 255  # down to the head, 2 px
    _open_head(ink, (120, 250), (0, -1), 1)
    (arrow,) = find_arrows(ink, SCALE)[0]
    assert arrow.head is not None
    assert abs(arrow.head[0] - 120) <= 3 and abs(arrow.head[1] - 250) <= 3


def test_a_vertex_left_beyond_a_tail_is_no_head() -> None:
    """What stands beyond a line's end (a diamond's vertex it leaves) widens the ink too,
    but ahead of the end, not behind it like a head's wings."""
    ink = np.zeros((300, 400), np.uint8)
    cv2.line(ink, (100, 60), (100, 220), 255, 2)
    _open_head(ink, (100, 220), (0, -1))  # the head at the bottom
    cv2.line(ink, (100, 60), (70, 40), 255, 2)  # the vertex's edges go on above the top end
    cv2.line(ink, (100, 60), (130, 40), 255, 2)
    arrows, _ = find_arrows(ink, SCALE)
    heads = [a.head for a in arrows if a.head]
    assert len(heads) == 1 and abs(heads[0][0] - 100) <= 2 and abs(heads[0][1] - 220) <= 2


def test_a_bold_word_whose_letters_run_together_is_no_arrow() -> None:
    ink = np.zeros((200, 400), np.uint8)
    ink[100:104, 50:250] = 255  # the letters' feet, joined by the scan into one long run
    for x in range(50, 250, 6):
        cv2.rectangle(ink, (x, 86), (x + 4, 99), 255, 1)  # the letters ("o") standing on it
    cv2.line(ink, (50, 160), (250, 160), 255, 2)  # a real arrow below it
    _open_head(ink, (250, 160), (-1, 0))
    arrows, _ = find_arrows(ink, SCALE)
    assert [round(a.path[0][1]) for a in arrows] == [160]


def _symbol(kind: ShapeKind, box: tuple[int, int, int, int]) -> PxSymbol:
    return PxSymbol(kind, box, np.zeros((1, 1, 2), np.int32))


def test_a_ring_of_lines_between_symbols_is_no_symbol() -> None:
    diamond = _symbol(ShapeKind.DECISION, (400, 100, 460, 150))
    left = _symbol(ShapeKind.PROCESS, (300, 180, 380, 220))
    right = _symbol(ShapeKind.PROCESS, (420, 260, 500, 300))
    # the paper the loop and the way on enclose, passing through all three symbols
    ring = _symbol(ShapeKind.CONNECTOR, (340, 125, 440, 270))
    apart = _symbol(ShapeKind.CONNECTOR, (600, 100, 640, 130))
    kept = _not_between([diamond, left, right, ring, apart])
    assert ring not in kept and {id(s) for s in kept} == {
        id(diamond),
        id(left),
        id(right),
        id(apart),
    }


def test_a_question_close_to_the_diamond_outline_is_no_outline() -> None:
    ink = np.zeros((300, 400), np.uint8)
    pts = np.array([[200, 60], [320, 150], [200, 240], [80, 150]], np.int32)
    cv2.polylines(ink, [pts], True, 255, 3)
    # an "L" whose foot reaches the left edges: it touches the outline from inside
    ink[135:165, 118:122] = 255
    ink[161:165, 118:135] = 255
    symbols = find_symbols(ink, SCALE, ())
    assert [s.kind for s in symbols] == [ShapeKind.DECISION]
    outline = outline_ink(ink, symbols, SCALE)
    letter = np.zeros_like(ink)
    letter[135:165, 121:122] = 255  # the stem's inner column and the foot, off the outline
    letter[161:165, 124:135] = 255
    assert not np.any(outline[letter > 0])
    assert np.count_nonzero(outline) > 0.9 * np.count_nonzero(ink) - 200
