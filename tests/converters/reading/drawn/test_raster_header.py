"""Header titles of adjacent role columns kept apart when a scan loses a stretch of the rule
between them, on a table drawn here: two header cells whose titles wrap over three lines,
and the column rule under them broken by a dropout in the body."""

from __future__ import annotations

import numpy as np

from converters.reading.drawn.interpret.table import ROLE, find_tables
from converters.reading.drawn.picture import Box, Page, TextRun
from converters.reading.drawn.scan.rulings import find_rulings

SCALE = 2.0  # 144 dpi: 2 px a point
XS = (50, 90, 300, 450, 600, 700, 800, 950)  # No | Kegiatan | A | B | Kelengkapan | ...
ROWS = (160, 260, 360, 460)


def _grid(dropout: bool, arrows: bool = False) -> np.ndarray:
    ink = np.zeros((560, 1000), np.uint8)
    ink[50:52, 50:951] = 255  # the table's top
    ink[80:82, 300:951] = 255  # under the group titles (Pelaksana, Mutu Baku)
    for y in ROWS:
        ink[y : y + 2, 50:951] = 255
    for x in XS:
        top = 80 if x in (450, 700, 800) else 50
        ink[top:461, x : x + 2] = 255
    if dropout:  # the rule between the two role columns loses a stretch in the body
        ink[240:290, 450:452] = 0
    if arrows:  # a flow line down column A, broken by the boxes it runs through
        ink[180:240, 375:377] = 255
        ink[280:340, 375:377] = 255
        ink[380:445, 375:377] = 255
    return ink


def _xs(cells: tuple[tuple[int, int, int, int], ...]) -> set[int]:
    return {c[0] for c in cells} | {c[2] for c in cells}


def test_a_column_rule_broken_by_a_dropout_still_divides_the_columns() -> None:
    whole = find_rulings(_grid(dropout=False), SCALE)
    broken = find_rulings(_grid(dropout=True), SCALE)
    assert any(abs(x - 452) <= 3 for x in _xs(whole.cells))
    assert any(abs(x - 452) <= 3 for x in _xs(broken.cells))
    assert len(broken.cells) == len(whole.cells)


def test_a_flow_line_down_a_column_is_no_column_rule() -> None:
    rulings = find_rulings(_grid(dropout=False, arrows=True), SCALE)
    assert not any(abs(x - 376) <= 4 for x in _xs(rulings.cells))


def _words(line: str, x0: float, x1: float, top: float) -> list[TextRun]:
    """A centred line of words in a cell (points): each word as wide as its letters."""
    words, width = line.split(), 3.0
    total = sum(len(w) * width for w in words) + 2.0 * (len(words) - 1)
    x = (x0 + x1 - total) / 2
    out = []
    for w in words:
        out.append(TextRun(w, Box(x, top, x + len(w) * width, top + 5)))
        x += len(w) * width + 2.0
    return out


def test_titles_wrapped_over_three_lines_stay_with_their_own_columns() -> None:
    rulings = find_rulings(_grid(dropout=True), SCALE)
    cells = tuple(
        Box(c[0] / SCALE, c[1] / SCALE, c[2] / SCALE, c[3] / SCALE) for c in rulings.cells
    )
    pt = [x / SCALE for x in XS]
    texts = [
        *_words("No", pt[0], pt[1], 50),
        *_words("Kegiatan", pt[1], pt[2], 50),
        *_words("Pelaksana", pt[2], pt[4], 28),
        *_words("Mutu Baku", pt[4], pt[7], 28),
    ]
    for i, line in enumerate(("Tim Layanan", "Gudang/Bagian", "Umum")):
        texts += _words(line, pt[2], pt[3], 44 + 8 * i)
    for i, line in enumerate(("Tim Laporan", "Persediaan", "(Operator)")):
        texts += _words(line, pt[3], pt[4], 44 + 8 * i)
    for title, a, b in (("Kelengkapan", 4, 5), ("Waktu", 5, 6), ("Output", 6, 7)):
        texts += _words(title, pt[a], pt[b], 55)
    for n, y in enumerate(ROWS[:-1], start=1):
        texts += _words(str(n), pt[0], pt[1], y / SCALE + 10)
    page = Page(1, 500, 280, cells, tuple(texts))
    (table,) = find_tables([page])
    assert [c.title for c in table.columns if c.kind == ROLE] == [
        "Tim Layanan Gudang/Bagian Umum",
        "Tim Laporan Persediaan (Operator)",
    ]


def test_titles_with_no_rule_between_them_are_parted_by_the_paper_between() -> None:
    """No rule at all between two role columns (a picture that never drew it): the header's
    word groups, one beside the other with paper down all their lines, are two titles, and a
    title wrapped over lines stays one."""
    ink = _grid(dropout=False)
    ink[80:461, 450:452] = 0  # the rule between the role columns was never drawn
    rulings = find_rulings(ink, SCALE)
    cells = tuple(
        Box(c[0] / SCALE, c[1] / SCALE, c[2] / SCALE, c[3] / SCALE) for c in rulings.cells
    )
    pt = [x / SCALE for x in XS]
    texts = [
        *_words("No", pt[0], pt[1], 50),
        *_words("Kegiatan", pt[1], pt[2], 50),
        *_words("Kasat", pt[2], pt[3], 52),
        *_words("Kepala Bidang", pt[3], pt[4], 48),
        *_words("Terkait", pt[3], pt[4], 56),
    ]
    for title, a, b in (("Kelengkapan", 4, 5), ("Waktu", 5, 6), ("Output", 6, 7)):
        texts += _words(title, pt[a], pt[b], 55)
    for n, y in enumerate(ROWS[:-1], start=1):
        texts += _words(str(n), pt[0], pt[1], y / SCALE + 10)
    page = Page(1, 500, 280, cells, tuple(texts))
    (table,) = find_tables([page])
    roles = [c for c in table.columns if c.kind == ROLE]
    assert [c.title for c in roles] == ["Kasat", "Kepala Bidang Terkait"]
    assert roles[0].x1 == roles[1].x0 and pt[2] + 10 < roles[0].x1 < pt[4] - 10
