"""The ruled table of a page, from its horizontal and vertical strokes.

Every source rules the SOP table differently: one sliver per row, one per cell, stroked cell
rectangles, a scan's detected lines. What they share is the form itself: a row line runs
across (nearly) the whole table, while arrow shafts and symbol sides span a column or two; a
column line runs down the full height of every row it separates (in the header only its lower
part: the group titles "Pelaksana" and "Mutu Baku" span several columns), while an arrow
crosses a few rows at most and a symbol's side covers part of one row. So lines are kept by
coverage, and the cells are the bands between row lines split at the column lines.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from converters.reading.drawn.geometry import cluster, covered, intervals_union
from converters.reading.drawn.picture import Box

ROW_COVER = 0.55  # share of the widest horizontal line a row line must cover
COL_COVER = 0.8  # share of a band's lower part a column line must cover
LANE = 8.0  # points: a line this close beside a column line runs along it (or doubles it)


@dataclass(frozen=True)
class HSeg:
    y: float
    x0: float
    x1: float


@dataclass(frozen=True)
class VSeg:
    x: float
    y0: float
    y1: float


@dataclass(frozen=True)
class Grid:
    """Row lines (top to bottom), column lines (left to right) and the cells between them."""

    rows: tuple[float, ...]
    cols: tuple[float, ...]
    cells: tuple[Box, ...]

    def on_row_line(self, y: float, x0: float, x1: float, tol: float = 2.0) -> bool:
        return any(abs(y - r) <= tol for r in self.rows) and self.inside_x(x0, x1)

    def on_col_line(self, x: float, y0: float, y1: float, tol: float = 2.0) -> bool:
        return any(abs(x - c) <= tol for c in self.cols) and self.inside_y(y0, y1)

    def inside_x(self, x0: float, x1: float) -> bool:
        return bool(self.cols) and x0 >= self.cols[0] - 3 and x1 <= self.cols[-1] + 3

    def inside_y(self, y0: float, y1: float) -> bool:
        return bool(self.rows) and y0 >= self.rows[0] - 3 and y1 <= self.rows[-1] + 3


def _band_part(top: float, bottom: float) -> tuple[float, float]:
    h = bottom - top
    return top + 0.45 * h, bottom - min(1.0, 0.05 * h)


def _same_table(a: set[float], b: set[float]) -> bool:
    """Two neighbouring bands belong to one table when most column lines run through both."""
    if len(a) < 2 or len(b) < 2:
        return False
    shared = sum(1 for x in a if any(abs(x - y) <= 2.5 for y in b))
    return shared >= 0.6 * max(len(a), len(b))


def find_grids(hsegs: Sequence[HSeg], vsegs: Sequence[VSeg]) -> list[Grid]:
    """Every ruled table of a page, top to bottom (the identity block is often one too).

    Row lines are cut into tables where neighbouring bands share few column lines (a header
    block of two wide columns above the flowchart table), or where nothing vertical joins them.
    """
    groups = cluster((s.y for s in hsegs), 2.5)
    lines: list[tuple[float, list[tuple[float, float]]]] = []
    for g in groups:
        lo, hi = g[0], g[-1]
        spans = intervals_union((s.x0, s.x1) for s in hsegs if lo <= s.y <= hi)
        lines.append((sorted(g)[len(g) // 2], spans))
    if not lines:
        return []
    widest = max(sum(b - a for a, b in sp) for _, sp in lines)
    if widest <= 0:
        return []
    rows = [y for y, sp in lines if sum(b - a for a, b in sp) >= ROW_COVER * widest]
    rows = [y for i, y in enumerate(rows) if i == 0 or y - rows[i - 1] > 3]
    if len(rows) < 2:
        return []
    x_lo = min(a for y, sp in lines if y in rows for a, _ in sp)
    x_hi = max(b for y, sp in lines if y in rows for _, b in sp)
    vgroups = cluster((s.x for s in vsegs if x_lo - 3 <= s.x <= x_hi + 3), 2.0)
    vspans: list[tuple[float, list[tuple[float, float]]]] = []
    for g in vgroups:
        lo, hi = g[0], g[-1]
        vspans.append((sorted(g)[len(g) // 2],
                       intervals_union((s.y0, s.y1) for s in vsegs if lo <= s.x <= hi)))
    bands = [(a, b) for a, b in itertools.pairwise(rows) if b - a >= 4]
    sets = [{x for x, sp in vspans if covered(sp, *_band_part(a, b)) >= COL_COVER}
            for a, b in bands]
    runs: list[list[int]] = []
    for i in range(len(bands)):
        joined = (runs and runs[-1][-1] == i - 1 and bands[i - 1][1] == bands[i][0]
                  and _same_table(sets[i - 1], sets[i]))
        if joined:
            runs[-1].append(i)
        elif len(sets[i]) >= 2:
            runs.append([i])
    grids = []
    for run in runs:
        grid = _grid([bands[i] for i in run], [sets[i] for i in run])
        if grid is not None:
            grids.append(grid)
    return grids


def _grid(bands: list[tuple[float, float]], sets: list[set[float]]) -> Grid | None:
    every = sorted({x for s in sets for x in s})
    need = len(bands) if len(bands) <= 2 else math.floor(len(bands) / 2) + 1
    count = {x: sum(1 for s in sets if x in s) for x in every}
    cols = [x for x in every if count[x] >= need]
    # a line running beside a column line through fewer rows is an arrow's lane drawn along
    # the ruling (a loop back), not a ruling: a double ruling runs through the same rows
    cols = [x for x in cols if not any(0 < abs(x - y) < LANE and count[y] > count[x]
                                       for y in cols)]
    if len(cols) < 2:
        return None
    cells: list[Box] = []
    for (top, bottom), s in zip(bands, sets, strict=True):
        splits = [x for x in cols if x in s]
        for a, b in itertools.pairwise(splits):
            if b - a > 2:
                cells.append(Box(a, top, b, bottom))
    rows = tuple([bands[0][0]] + [b for _, b in bands])
    return Grid(rows, tuple(cols), tuple(cells))
