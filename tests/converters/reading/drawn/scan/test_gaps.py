"""Arrows a scan broke into pieces (a hairline too light for the ink mask), joined again only
where the page between the pieces is the line's faint grey, never across white paper."""

from __future__ import annotations

import numpy as np

from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.gaps import join_broken, reach_symbols
from converters.reading.drawn.scan.symbols import PxArrow, PxSymbol

SCALE = 200 / 72


def _page() -> np.ndarray:
    page = np.full((400, 600), 255, np.uint8)
    page[300:340, 400:560] = 0  # some real ink, as every page has (words, rules)
    return page


def _arrow(path: tuple[tuple[float, float], ...], head: bool, label: int) -> PxArrow:
    xs, ys = [p[0] for p in path], [p[1] for p in path]
    return PxArrow(path, path[-1] if head else None,
                   (int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))), (label,))


def test_pieces_of_one_faint_line_are_one_arrow() -> None:
    page = _page()
    page[99:101, 10:300] = 160  # the photocopied hairline, all of it lighter than the ink threshold
    pieces = [_arrow(((10, 100), (60, 100)), False, 1),
              _arrow(((150, 100), (120, 100)), False, 2),
              _arrow(((200, 100), (300, 100)), True, 3)]
    (joined,) = join_broken(pieces, [], page, SCALE)
    assert joined.path == ((10, 100), (300, 100)) and joined.head == (300, 100)
    assert sorted(joined.labels) == [1, 2, 3]


def test_a_line_turning_in_its_gap_is_joined_at_the_corner() -> None:
    page = _page()
    page[99:101, 10:81] = 160
    page[99:200, 79:81] = 160
    pieces = [_arrow(((10, 100), (60, 100)), False, 1),
              _arrow(((80, 120), (80, 200)), True, 2)]
    (joined,) = join_broken(pieces, [], page, SCALE)
    assert joined.path == ((10, 100), (80, 100), (80, 200)) and joined.head == (80, 200)


def test_arrows_that_merely_line_up_across_paper_stay_apart() -> None:
    page = _page()
    pieces = [_arrow(((10, 100), (60, 100)), True, 1),  # ends in its head
              _arrow(((90, 100), (150, 100)), False, 2),
              _arrow(((180, 100), (250, 100)), True, 3)]  # white paper from 150 to 180
    assert join_broken(pieces, [], page, SCALE) == pieces


def test_a_loose_end_reaches_the_symbol_the_faint_line_runs_into() -> None:
    page = _page()
    page[99:101, 60:200] = 160
    diamond = PxSymbol(ShapeKind.DECISION, (200, 60, 280, 140), np.zeros((1, 1, 2), np.int32))
    arrow = _arrow(((150, 100), (60, 100)), False, 1)  # tail 50 px short of the vertex
    (reached,) = reach_symbols([arrow], [diamond], page, SCALE)
    assert reached.path == ((200, 100), (60, 100))
    blank = _page()  # no line on the page there: the end stays where it is
    assert reach_symbols([arrow], [diamond], blank, SCALE) == [arrow]


# -- a box blotted in one corner, labels beside a diamond ------------------------------------


def test_a_box_with_a_blot_in_one_corner_is_still_a_box() -> None:
    from converters.reading.drawn.scan.symbols import classify

    hole = np.full((38, 92), 255, np.uint8)
    hole[:3, :3] = 0  # toner at the top-left corner eats into the hole (a third of the
    hole[3, :2] = 0  # corner square the classifier looks at)
    assert classify(hole) is ShapeKind.PROCESS
    capsule = np.zeros((38, 92), np.uint8)
    import cv2

    cv2.rectangle(capsule, (19, 0), (72, 37), 255, -1)
    cv2.circle(capsule, (19, 19), 19, 255, -1)
    cv2.circle(capsule, (72, 19), 19, 255, -1)
    assert classify(capsule) is ShapeKind.TERMINATOR


def test_a_lone_label_beside_a_diamond_is_read_and_long_words_are_left() -> None:
    import cv2

    from converters.reading.drawn.scan.labels import with_labels
    from converters.reading.drawn.scan.words import PxWord

    page = np.full((500, 700), 255, np.uint8)
    diamond = np.array([[300, 200], [360, 240], [300, 280], [240, 240]], np.int32)
    cv2.polylines(page, [diamond], True, 0, 2)
    cv2.putText(page, "Y", (312, 318), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
    cv2.putText(page, "Menyiapkan", (150, 175), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
    symbol = PxSymbol(ShapeKind.DECISION, (240, 200, 360, 280), diamond.reshape(-1, 1, 2))
    known = PxWord("Ok", 600, 20, 640, 40, (1, 1, 1), 90.0)
    got = with_labels([known], page, [symbol], 200.0)
    assert got[0] is known
    added = [(w.text, w.x0 // 10, w.top // 10) for w in got[1:]]
    assert added == [("Y", 31, 30)], added
