"""Flowchart symbols and arrows in a scanned page, once the rulings are gone.

A symbol is an outline around a patch of paper, so symbols are found as *holes* in the ink
(contours with a parent), whatever touches them from outside: arrows end on their edges,
arrowheads sit on them. The hole's silhouette says the kind: a rectangle fills its box with
square corners; a capsule or ellipse leaves all four corners empty; a diamond fills half its
box; a pentagon (off-page connector) leaves two corners of one side empty; a circle is a
round connector.

Arrows are what stays once rulings, symbol outlines and text are gone: components holding a
long straight run. They are orthogonal polylines, so they are split into horizontal and
vertical runs; the arrowhead is the end next to a thick blob (a filled triangle is wider than
the stroke, which a distance transform sees).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.raster import Gray
from converters.reading.drawn.scan.rulings import PxBox

Px = tuple[float, float]


@dataclass(frozen=True)
class PxSymbol:
    """A symbol in pixels: its kind, its outer box and the hole's contour (for erasing)."""

    kind: ShapeKind
    box: PxBox
    contour: np.ndarray


@dataclass(frozen=True)
class PxArrow:
    """An arrow in pixels: the polyline tail → head, the head when seen, and its pixels' box."""

    path: tuple[Px, ...]
    head: Px | None
    box: PxBox
    labels: tuple[int, ...]  # its components in the arrows' label image (pieces joined)


def _corner_fill(hole: Gray, frac: float = 0.18) -> tuple[float, float, float, float]:
    """Filled share of the four corner squares (top-left, top-right, bottom-left, bottom-right)."""
    h, w = hole.shape
    k = max(int(min(w, h) * frac), 2)
    corners = (hole[:k, :k], hole[:k, w - k :], hole[h - k :, :k], hole[h - k :, w - k :])
    return tuple(float(np.count_nonzero(c)) / c.size for c in corners)  # type: ignore[return-value]


def _bottom_reach(hole: Gray) -> float:
    """Share of the hole's columns that reach its bottom rows."""
    h = hole.shape[0]
    return float(hole[h - max(h // 12, 1) :, :].any(axis=0).mean())


def classify(hole: Gray) -> ShapeKind | None:
    """The symbol a hole's silhouette shows (``None``: not a flowchart symbol).

    ``hole`` is the filled hole cropped to its box (255 inside).
    """
    h, w = hole.shape
    fill = float(np.count_nonzero(hole)) / hole.size
    tl, tr, bl, br = _corner_fill(hole)
    full = [c >= 0.75 for c in (tl, tr, bl, br)]
    empty = [c <= 0.45 for c in (tl, tr, bl, br)]
    aspect = w / h
    if fill >= 0.88 and all(full):
        return ShapeKind.PROCESS
    if fill >= 0.95 and min(tl, tr, bl, br) >= 0.6:
        # nearly all its box: a rectangle with a speck or a blot of toner in one corner
        # (a capsule or a pentagon leaves far more of its box empty)
        return ShapeKind.PROCESS
    if 0.38 <= fill <= 0.66 and all(c <= 0.15 for c in (tl, tr, bl, br)):
        # a diamond's edge midpoints reach the box; a hexagon or blob does not fill them so
        mid = (
            hole[h // 2, : max(w // 8, 1)].any(),
            hole[h // 2, w - max(w // 8, 1) :].any(),
            hole[: max(h // 8, 1), w // 2].any(),
            hole[h - max(h // 8, 1) :, w // 2].any(),
        )
        return ShapeKind.DECISION if all(mid) else None
    if fill >= 0.62 and all(empty):
        if 0.8 <= aspect <= 1.25 and fill <= 0.85:
            return ShapeKind.CONNECTOR  # on-page circle
        return ShapeKind.TERMINATOR if aspect >= 1.1 else None
    if fill >= 0.87 and aspect >= 1.3 and min(tl, tr) >= 0.9 and (
            max(bl, br) >= 0.6 and min(bl, br) <= 0.15) and _bottom_reach(hole) <= 0.6:
        # a document (the front page of a multi-document stack): square top, wavy bottom
        # edge that dips at one corner and rises over the rest (a box with a blot in one
        # corner still reaches its bottom along most of its width); it stands for the
        # step's work like a box (the pages stacked behind are slivers, no symbol)
        return ShapeKind.PROCESS
    if 0.6 <= fill <= 0.95:
        # pentagon: one side pointed (its two corners empty), the opposite side square
        sides = ((tl, tr, bl, br), (bl, br, tl, tr), (tl, bl, tr, br), (tr, br, tl, bl))
        for a, b, c, d in sides:
            if a <= 0.45 and b <= 0.45 and c >= 0.75 and d >= 0.75:
                return ShapeKind.CONNECTOR
    return None


def find_symbols(ink: Gray, scale: float, cells: tuple[PxBox, ...]) -> list[PxSymbol]:
    """Flowchart symbols: holes of symbol size and shape, not table cells (see module doc)."""
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    contours, hierarchy = cv2.findContours(closed, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return []
    out: list[PxSymbol] = []
    found: list[tuple[ShapeKind, PxBox, np.ndarray]] = []
    min_w, min_h = 9 * scale, 6 * scale
    max_w, max_h = 220 * scale, 140 * scale
    for i, c in enumerate(contours):
        if hierarchy[0][i][3] < 0:
            continue  # an outer boundary, not a hole
        x, y, w, h = cv2.boundingRect(c)
        if not (min_w <= w <= max_w and min_h <= h <= max_h):
            continue
        if any(_same_box((x, y, x + w, y + h), cell, 3 * scale) for cell in cells):
            continue  # a cell whose rulings were kept in the ink (should not happen)
        hole = np.zeros((h, w), np.uint8)
        cv2.drawContours(hole, [c - np.array([x, y])], -1, 255, thickness=-1)
        kind = classify(hole)
        if kind is ShapeKind.CONNECTOR and not _connector_like(hole, scale):
            continue  # paper fenced in by lines and an arrowhead that cut its corners
        if kind is not None:
            found.append((kind, (x, y, x + w, y + h), c))
    # the outline's thickness, measured on square-edged symbols (a diamond's vertex, where
    # arrows attach, is no place to measure it) and shared by the page's symbols
    strokes = [
        _stroke_around(closed, b)
        for k, b, _ in found
        if k in (ShapeKind.PROCESS, ShapeKind.TERMINATOR)
    ]
    stroke = int(np.median(strokes)) if strokes else max(round(0.9 * scale), 1)
    found = [f for f in found
             if f[0] is not ShapeKind.PROCESS or not _between_lines(closed, f[1], stroke, scale)]
    for kind, (x0, y0, x1, y1), c in found:
        # a diamond's vertices stick out further than its edges' thickness
        grow = round(stroke * 1.4) if kind is ShapeKind.DECISION else stroke
        out.append(PxSymbol(kind, (x0 - grow, y0 - grow, x1 + grow, y1 + grow), c))
    return _not_between(_outermost(out))


SLANTS = (-75, -60, -45, -30, -15, 15, 30, 45, 60, 75)
"""Degrees: the slopes along which a worn copy's slanted strokes are closed (a diamond's
sides lean by 25-65 degrees, whatever its width to height)."""
SLANT_GAP = 3.2
"""Points: breaks in a slanted stroke up to about this long are closed."""


def leaking_diamonds(ink: Gray, scale: float, cells: tuple[PxBox, ...],
                     symbols: list[PxSymbol]) -> list[PxSymbol]:
    """Diamonds of a worn copy whose outline leaks, apart from the ``symbols`` found.

    A diamond's sides are thin slanted strokes; where toner is missing, the two pieces of a
    broken side are often offset by a pixel across it, a break that the mask's round and
    axis closings leave open, and the hole that is the symbol runs out into the cell. Closed
    along the sides' own slopes, the hole is whole again. Only diamonds are taken from this
    pass (every other symbol has square sides, which the axis closings mend), and only where
    no symbol stands already, so letters joined by the slanted closings add nothing."""
    r = max(round(SLANT_GAP * scale) | 1, 3)
    # a 1-px side at a slope between two of the closings' is not covered by either line:
    # thickened by a pixel each way, it is
    thick = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    closed = thick.copy()
    for degrees in SLANTS:
        closed = cv2.bitwise_or(closed, cv2.morphologyEx(thick, cv2.MORPH_CLOSE,
                                                         _line(r, degrees)))

    def overlaps(a: PxBox, b: PxBox) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    out = []
    for d in find_symbols(closed, scale, cells):
        if d.kind is not ShapeKind.DECISION or any(overlaps(d.box, s.box) for s in symbols):
            continue
        x0, y0, x1, y1 = d.box  # the hole of the thickened outline: a pixel or two short
        out.append(PxSymbol(d.kind, (x0 - 2, y0 - 2, x1 + 2, y1 + 2), d.contour))
    return out


def _line(length: int, degrees: float) -> np.ndarray:
    """A one-pixel line ``length`` long through the kernel's centre at ``degrees``."""
    kernel = np.zeros((length, length), np.uint8)
    c = (length - 1) / 2
    dx, dy = c * np.cos(np.radians(degrees)), -c * np.sin(np.radians(degrees))
    cv2.line(kernel, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1, 1)
    return kernel


CONNECTOR_ASPECT = (0.5, 2.0)
"""Width to height of a connector: a circle or a pentagon about as wide as it is tall (the
official table draws 19 x 17 pt, its point below), never a strip."""
CONNECTOR_SIZE = 48.0
"""Points: a connector is at most this wide or tall (2.5 times the official table's): it holds
one letter or number, where a box holds a sentence."""


def _connector_like(hole: Gray, scale: float) -> bool:
    """Whether a hole the silhouette calls a connector is one: a small outline about as wide
    as it is tall (made to hold one letter or number).

    Crossing lines fence in patches of paper (a reject loop running back beside a hand-over);
    where an arrowhead or a diamond's side cuts two corners of the patch, its silhouette
    passes for a pentagon. Such a patch is a strip far wider than tall, or as large as a
    row of symbols (it may hold a whole diamond, which would be dropped as a hole inside
    it). Its letter is no test: a faint copy loses it from the ink, where the connector's
    own OCR still reads it from the grey page (:mod:`.connectors`)."""
    h, w = hole.shape
    return max(w, h) <= CONNECTOR_SIZE * scale and (
        CONNECTOR_ASPECT[0] <= w / h <= CONNECTOR_ASPECT[1])


def _same_box(a: PxBox, b: PxBox, tol: float) -> bool:
    return all(abs(p - q) <= tol for p, q in zip(a, b, strict=True))


def _outermost(symbols: list[PxSymbol]) -> list[PxSymbol]:
    """Drop holes inside other symbols (a letter ``O`` in a capsule's label, a double outline)."""

    def inside(a: PxBox, b: PxBox) -> bool:
        return a != b and b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]

    return [s for s in symbols if not any(inside(s.box, o.box) for o in symbols)]


BETWEEN_SHARE = 0.15
"""Of a symbol's box: a hole covering this much of two other symbols lies between them."""


def _not_between(symbols: list[PxSymbol]) -> list[PxSymbol]:
    """Drop holes that are paper enclosed *between* symbols, not inside one.

    Arrows that leave a diamond both ways and meet again below (a reject loop through one
    box, the way on through another, both into a third) close a ring of lines and outlines
    around a patch of paper: a hole of symbol size whose silhouette may pass for a pentagon.
    A drawn symbol stands apart from the others; such a ring runs through them, so its box
    covers a good share of two or more of their boxes."""

    def share(a: PxBox, b: PxBox) -> float:
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        area = (b[2] - b[0]) * (b[3] - b[1])
        return w * h / area if w > 0 and h > 0 and area > 0 else 0.0

    return [s for s in symbols
            if sum(1 for o in symbols
                   if o is not s and share(s.box, o.box) >= BETWEEN_SHARE) < 2]


RUN_ON = 4.0
"""Points: a side's stroke that goes on this far past the corner belongs to a longer line."""


def _between_lines(ink: Gray, hole: PxBox, stroke: int, scale: float) -> bool:
    """Whether a rectangular hole is paper fenced in by crossing lines, not a drawn box.

    Arrows that cross (a reject loop running up beside the column, the hand-overs running
    across it) fence in rectangles of paper with nothing drawn around them. A drawn box's
    sides end at its corners; the fence's sides are pieces of longer lines, so they run on
    past the corners. Two or more sides running on, across both directions, is a fence (an
    arrow that leaves a box in line with one of its sides runs on one side only)."""
    x0, y0, x1, y1 = hole
    h, w = ink.shape
    reach = max(round(RUN_ON * scale), 3)
    gap = stroke + 2  # past the corner's own ink

    def run_on(y: int, x: int, dy: int, dx: int) -> bool:
        ys = [y + dy * (gap + k) for k in range(reach)]
        xs = [x + dx * (gap + k) for k in range(reach)]
        pts = [(yy, xx) for yy, xx in zip(ys, xs, strict=True) if 0 <= yy < h and 0 <= xx < w]
        return len(pts) == reach and sum(1 for yy, xx in pts if ink[yy, xx]) >= 0.8 * reach

    mid = max(stroke // 2, 0)
    top, bottom = y0 - 1 - mid, y1 + mid
    left, right = x0 - 1 - mid, x1 + mid
    across = sum((run_on(top, x0, 0, -1) or run_on(top, x1 - 1, 0, 1),
                  run_on(bottom, x0, 0, -1) or run_on(bottom, x1 - 1, 0, 1)))
    down = sum((run_on(y0, left, -1, 0) or run_on(y1 - 1, left, 1, 0),
                run_on(y0, right, -1, 0) or run_on(y1 - 1, right, 1, 0)))
    return across >= 1 and down >= 1 and across + down >= 3


def _stroke_around(ink: Gray, box: PxBox) -> int:
    """Outline thickness of a symbol: the thinnest ink run outwards from its edges.

    Several places are sampled and the smallest run kept, since an arrow may leave the
    symbol exactly where one sample looks (its run would be the arrow's length).
    """
    x0, y0, x1, y1 = box
    cy = int(y0 + (y1 - y0) * 0.5)
    runs = [_ink_run(ink, y, int(x0 + (x1 - x0) * fx), dy, 0)
            for fx in (0.3, 0.5, 0.7) for y, dy in ((y0 - 1, -1), (y1, 1))]  # above, below
    runs += [_ink_run(ink, cy, x, 0, dx) for x, dx in ((x0 - 1, -1), (x1, 1))]  # left, right
    good = [r for r in runs if r > 0]
    return max(min(good), 1) if good else 1


def _ink_run(ink: Gray, y: int, x: int, dy: int, dx: int, most: int = 40) -> int:
    """How many ink pixels follow each other from ``(x, y)`` in the direction ``(dx, dy)``
    (at most ``most``: past that it is an arrow leaving the symbol, not its outline)."""
    h, w = ink.shape
    run = 0
    while 0 <= y < h and 0 <= x < w and ink[y, x] and run < most:
        run, y, x = run + 1, y + dy, x + dx
    return run


# -- arrows ----------------------------------------------------------------------------------


def erase_symbols(ink: Gray, symbols: list[PxSymbol], scale: float, outline_only: bool) -> Gray:
    """Ink without the symbols: their whole box, or only their outline (to keep text inside)."""
    out = ink.copy()
    grow = max(int(1.2 * scale), 2)
    for s in symbols:
        x0, y0, x1, y1 = s.box
        if outline_only:
            cv2.drawContours(
                out,
                [s.contour],
                -1,
                0,
                thickness=2 * (grow + (x1 - x0 - cv2.boundingRect(s.contour)[2]) // 2) + 1,
            )
        else:
            cv2.rectangle(out, (x0 - grow, y0 - grow), (x1 + grow, y1 + grow), 0, -1)
    return out


def outline_ink(ink: Gray, symbols: list[PxSymbol], scale: float) -> Gray:
    """The ink of the symbols' outlines, without the words written close inside them.

    Every flowchart symbol is convex, so its outline runs along the convex hull of its hole:
    the ink from just inside that hull out to the symbol's grown box is the outline (with
    the arrows and heads that touch it). A word set close to the outline (a diamond's
    question "Layak" reaching its vertices, a letter whose serif touches the line) dents the
    hole but stays inside the hull, where it is kept for the OCR; a band along the hole's own
    contour would take it with the outline."""
    out = np.zeros_like(ink)
    grow = max(int(1.2 * scale), 2)
    nip = np.ones((5, 5), np.uint8)
    height, width = ink.shape
    for s in symbols:
        x, y, w, h = cv2.boundingRect(s.contour)
        x0, y0, x1, y1 = s.box
        reach = max(x - x0, y - y0, x1 - (x + w), y1 - (y + h), 1) + grow
        # the symbol's own neighbourhood, not the page: a page holds dozens of symbols
        left, top = max(x - reach - 1, 0), max(y - reach - 1, 0)
        right, bottom = min(x + w + reach + 1, width), min(y + h + reach + 1, height)
        inside = np.zeros((bottom - top, right - left), np.uint8)
        cv2.fillPoly(inside, [cv2.convexHull(s.contour) - np.array([left, top])], 255)
        ring = cv2.dilate(inside, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8))
        ring = cv2.bitwise_and(ring, cv2.bitwise_not(cv2.erode(inside, nip)))
        out[top:bottom, left:right] |= ring
    return cv2.bitwise_and(ink, out)


@dataclass(frozen=True)
class _Run:
    horizontal: bool
    pos: float
    start: float
    end: float
    thickness: float

    def ends(self) -> tuple[Px, Px]:
        if self.horizontal:
            return (self.start, self.pos), (self.end, self.pos)
        return (self.pos, self.start), (self.pos, self.end)


def _runs(mask: Gray, scale: float) -> list[_Run]:
    """Horizontal and vertical straight runs of a component (at least 4 pt long)."""
    k = max(int(4 * scale), 5)
    runs: list[_Run] = []
    for horizontal in (True, False):
        size = (k, 1) if horizontal else (1, k)
        opened = cv2.morphologyEx(
            mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size)
        )
        n, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
        for i in range(1, n):
            x, y, w, h, _a = (int(v) for v in stats[i])
            if horizontal:
                runs.append(_Run(True, y + h / 2, x, x + w - 1, h))
            else:
                runs.append(_Run(False, x + w / 2, y, y + h - 1, w))
    return runs


def _walk(runs: list[_Run], start: Px, tol: float, used: list[_Run]) -> list[Px]:
    """The polyline from ``start`` through runs that meet end to end (``used`` collects them)."""
    path = [start]
    left = list(runs)
    point = start
    while left:
        best = None
        for r in left:
            a, b = r.ends()
            for near, far in ((a, b), (b, a)):
                d = abs(near[0] - point[0]) + abs(near[1] - point[1])
                if d <= tol and (best is None or d < best[0]):
                    best = (d, r, near, far)
        if best is None:
            break
        _, r, near, far = best
        left.remove(r)
        used.append(r)
        # the corner is where the previous run's line meets this one
        if len(path) > 1:
            if r.horizontal:
                path[-1] = (path[-1][0], r.pos)
            else:
                path[-1] = (r.pos, path[-1][1])
        far = (far[0], r.pos) if r.horizontal else (r.pos, far[1])
        path.append(far)
        point = far
    return path


SHORT_ARROW = 0.7
"""Of a long run: an arrow with a filled head between boxes a row apart may be this short."""


def find_arrows(ink: Gray, scale: float) -> tuple[list[PxArrow], np.ndarray]:
    """Arrows among the ink left after rulings and symbols are gone, and their label image."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    long_run = max(int(12 * scale), 10)
    dist = cv2.distanceTransform(ink, cv2.DIST_L2, 3)
    out: list[PxArrow] = []
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if max(w, h) < SHORT_ARROW * long_run:
            continue
        comp = (labels[y : y + h, x : x + w] == i).astype(np.uint8) * 255
        runs = [r for r in _runs(comp, scale) if r.end - r.start + 1 >= long_run * 0.6]
        if not runs or (max(w, h) < long_run and not any(
                r.end - r.start + 1 >= SHORT_ARROW * long_run for r in runs)):
            continue
        # a short arrow between two boxes a row apart (its shaft shorter than a long run)
        # counts when its end carries a filled head
        short = not any(r.end - r.start + 1 >= long_run for r in runs)
        stroke = float(min(r.thickness for r in runs))  # a head widens its run: take the thinnest
        if stroke > 3.5 * scale or (area > 0.6 * w * h and min(w, h) > 3 * stroke + 2):
            continue  # a filled blob or a bold word, not a line
        if len({r.horizontal for r in runs}) == 1 and _lettered(
                comp, max(runs, key=lambda r: r.end - r.start), stroke, scale):
            continue  # a bold word whose letters run together along their baseline
        runs = [
            _Run(
                r.horizontal,
                r.pos + (y if r.horizontal else x),
                r.start + (x if r.horizontal else y),
                r.end + (x if r.horizontal else y),
                r.thickness,
            )
            for r in runs
        ]
        tol = max(3 * scale, 2 * stroke + 2)
        free = _free_ends(runs, tol)
        local = dist[y : y + h, x : x + w] * (comp > 0)
        # the ends a head widens are heads; where a line has one at each end (a fan drawn
        # from nowhere into two boxes), the thicker one claims the line first, as before
        thick = _heads(local, free, stroke, (x, y), scale)
        spread = sorted(_spread_heads(comp, runs, free, stroke, (x, y), scale),
                        key=lambda p: thick.index(p) if p in thick else len(thick))
        heads = spread + [p for p in thick if p not in spread]
        if short and (len(runs) != 1 or not heads):
            continue
        keep[i] = True
        for path, head in _polylines(runs, free, heads, tol, scale):
            xs = [p[0] for p in path]
            ys = [p[1] for p in path]
            pad = stroke
            out.append(
                PxArrow(
                    tuple(path),
                    head,
                    (
                        int(min(xs) - pad),
                        int(min(ys) - pad),
                        int(max(xs) + pad),
                        int(max(ys) + pad),
                    ),
                    (i,),
                )
            )
    return out, labels * keep[labels]


LETTERED = 0.5
"""Share of a straight run's length with ink off its line: beyond it, the run is a word's."""


def _lettered(comp: Gray, run: _Run, stroke: float, scale: float) -> bool:
    """Whether a straight run is the baseline (or top line) of a word, not an arrow.

    Bold print blurred by a scan joins its letters into one blob whose foot is a straight
    run as long as an arrow. An arrow's ink beside its line is all at its ends (the head, the
    corner into the next stretch); a word's letters stand on the run all along it. Counted
    along the run, with its end stretches (where a head may be) left out."""
    margin = round(min(HEAD_LENGTH * scale, (run.end - run.start) / 4))
    a, b = int(run.start) + margin, int(run.end) - margin
    if b - a < 3:
        return False
    pos, half = run.pos, stroke / 2 + max(1.0, 0.5 * scale)
    if run.horizontal:
        band = comp[:, a:b]
        rows = np.arange(comp.shape[0])[:, None]
        off = (band > 0) & (np.abs(rows - pos) > half)
        beside = off.any(axis=0)
    else:
        band = comp[a:b, :]
        cols = np.arange(comp.shape[1])[None, :]
        off = (band > 0) & (np.abs(cols - pos) > half)
        beside = off.any(axis=1)
    return float(beside.mean()) > LETTERED


def _free_ends(runs: list[_Run], tol: float) -> list[Px]:
    """Ends of runs that meet no other run: the polyline's terminals."""
    out: list[Px] = []
    for r in runs:
        for p in r.ends():
            touching = False
            for o in runs:
                if o is r:
                    continue
                if o.horizontal:
                    touching |= abs(p[1] - o.pos) <= tol and o.start - tol <= p[0] <= o.end + tol
                else:
                    touching |= abs(p[0] - o.pos) <= tol and o.start - tol <= p[1] <= o.end + tol
            if not touching:
                out.append(p)
    return out


def _polylines(
    runs: list[_Run], free: list[Px], heads: list[Px], tol: float, scale: float
) -> list[tuple[list[Px], Px | None]]:
    """Split a component into polylines: first walked back from each arrowhead, then the rest.

    Arrows cross (a reject loop over a forward arrow) and merge (two branches into one trunk),
    so one blob of ink can hold several arrows; each head starts its own walk.
    """
    left = list(runs)
    out: list[tuple[list[Px], Px | None]] = []
    for head in heads:
        used: list[_Run] = []
        path = _walk(left, head, tol, used)
        for r in used:
            left.remove(r)
        if len(path) >= 2:
            out.append((path[::-1], path[0]))
    while left:
        ends = [p for p in free if any(_is_end(r, p, tol) for r in left)]
        start = ends[0] if ends else left[0].ends()[0]
        used = []
        path = _walk(left, start, tol, used)
        if not used:
            left.pop(0)
            continue
        for r in used:
            left.remove(r)
        if len(path) >= 2 and _length(path) >= 10 * scale:
            out.append((path, None))
    return out


def _is_end(r: _Run, p: Px, tol: float) -> bool:
    return any(abs(e[0] - p[0]) + abs(e[1] - p[1]) <= tol for e in r.ends())


def _length(path: list[Px]) -> float:
    return sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in itertools.pairwise(path))


HEAD_LENGTH = 6.0
"""Points: an arrowhead's wings reach this far back from its tip (a drawn head is 3-5 pt)."""
HEAD_WING = 0.6
"""Points: ink this far beside the line (past its half stroke) on each side, behind an end,
is a head's wing (what is left of one cut short by a symbol erased under it too)."""


def _spread_heads(comp: Gray, runs: list[_Run], free: list[Px], stroke: float,
                  origin: tuple[int, int], scale: float) -> list[Px]:
    """Free ends whose ink widens on both sides of the line just behind them: arrowheads,
    open (two strokes, ``>``) or filled, the widest first.

    An open head is as thin as its line, so a thickness test does not see it; what every
    head has is ink spreading to both sides of the shaft within a few points back from the
    tip. The tail of a line has none there: what touches it (a diamond's vertex left after
    erasing, the symbol it leaves) lies *beyond* its end, and a label touching the line
    stands on one side only."""
    if not free:
        return []
    ys, xs = np.nonzero(comp)
    px = xs.astype(float) + origin[0]
    py = ys.astype(float) + origin[1]
    reach = HEAD_LENGTH * scale
    beside = stroke / 2 + max(HEAD_WING * scale, 1.5)
    ranked: list[tuple[int, Px]] = []
    for p in free:
        run = next((r for r in runs if p in r.ends()), None)
        if run is None:
            continue
        a, b = run.ends()
        other = a if p == b else b
        length = abs(p[0] - other[0]) + abs(p[1] - other[1])
        if length <= 0:
            continue
        ux, uy = (p[0] - other[0]) / length, (p[1] - other[1]) / length
        back = (p[0] - px) * ux + (p[1] - py) * uy  # how far behind the tip
        side = (px - p[0]) * -uy + (py - p[1]) * ux  # signed offset across the line
        wing = (back >= -stroke) & (back <= reach) & (np.abs(side) <= back + stroke + 1)
        left = int(np.count_nonzero(wing & (side > beside)))
        right = int(np.count_nonzero(wing & (side < -beside)))
        if min(left, right) >= max(HEAD_WING * scale, 3):
            ranked.append((min(left, right), p))
    ranked.sort(key=lambda t: -t[0])
    return [p for _, p in ranked]


def _heads(
    local_dist: np.ndarray, free: list[Px], stroke: float, origin: tuple[int, int], scale: float
) -> list[Px]:
    """Free ends beside a blob thicker than the stroke: the filled arrowheads, the strongest
    first.

    A remnant of an erased symbol's outline (a diamond's vertex left on the line leaving it)
    or a stamp's letter touching the line can also look thick at an end. A filled triangle
    holds far more thick pixels than such a remnant, so the ends are ranked by the thick ink
    around them: when both ends of one line qualify, the walk from the stronger one claims
    the line (:func:`_polylines`) and the weaker end stays its tail."""
    if not free:
        return []
    thick = local_dist >= max(stroke * 0.95, 1.6)
    ys, xs = np.nonzero(thick)
    if len(xs) == 0:
        return []
    pts = np.stack([xs + origin[0], ys + origin[1]], axis=1).astype(float)
    reach = 7 * scale
    ranked: list[tuple[int, Px]] = []
    for p in free:
        d = np.abs(pts[:, 0] - p[0]) + np.abs(pts[:, 1] - p[1])
        if float(np.min(d)) <= reach:
            ranked.append((int(np.count_nonzero(d <= reach)), p))
    ranked.sort(key=lambda t: -t[0])
    return [p for _, p in ranked]
