"""Arrows a scan broke into pieces, joined again where the grey line goes on between them.

A photocopied arrow is a hairline of light grey. The threshold that keeps the paper's noise
out of the ink mask keeps only its darker stretches, so one arrow comes out as several
collinear pieces: the branch then ends in the middle of a cell and is lost. Two pieces are
one arrow when their loose ends face each other on one line, neither end is an arrowhead or
stops at a symbol, and the page between them, though too light to pass as ink, is darker
than the paper along the whole gap (a stroke, or a ruling or a label crossing it) - white
paper between two arrows that merely line up keeps them apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import cv2
import numpy as np

from converters.reading.drawn.scan.raster import Gray
from converters.reading.drawn.scan.symbols import Px, PxArrow, PxSymbol

MAX_GAP = 80.0
"""Points: the longest stretch of faint line joined (a third of a wide role column)."""
ALIGN = 2.0
"""Points: the two pieces' lines may lie this far apart across their direction."""
FAINT_SHARE = 0.5
"""Grey darker than this share of the way from the ink threshold up to the paper is a line's
faint ink, not paper."""
COVERED = 0.85
"""Share of the gap's length that must be faint ink (JPEG leaves a few light pixels)."""


def faint_level(gray: Gray) -> float | None:
    """The grey level below which a pixel is (faint) ink, or ``None`` on a page without paper
    lighter than its ink threshold."""
    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    level = min(max(float(otsu), 110.0), 200.0)
    paper = float(np.median(gray[::4, ::4]))
    return None if paper <= level else level + FAINT_SHARE * (paper - level)


def _end(arrow: PxArrow, last: bool) -> tuple[Px, Px]:
    """An end of the arrow and the point before it (the end's segment runs from it)."""
    path = arrow.path
    return (path[-1], path[-2]) if last else (path[0], path[1])


def _near_symbol(p: Px, symbols: Sequence[PxSymbol], reach: float) -> bool:
    return any(s.box[0] - reach <= p[0] <= s.box[2] + reach
               and s.box[1] - reach <= p[1] <= s.box[3] + reach for s in symbols)


def _gap_is_line(gray: Gray, a: Px, b: Px, faint: float, scale: float) -> bool:
    """Whether the page along the axis-parallel stretch ``a``-``b`` is faint ink nearly all
    along (the darkest pixel across a band of a point either side, step by step)."""
    r = max(round(scale), 2)
    h, w = gray.shape
    if abs(a[1] - b[1]) <= abs(a[0] - b[0]):
        y = round((a[1] + b[1]) / 2)
        x0, x1 = sorted((round(a[0]), round(b[0])))
        band = gray[max(y - r, 0) : min(y + r + 1, h), max(x0, 0) : min(x1 + 1, w)]
        along = band.min(axis=0) if band.size else np.zeros(0)
    else:
        x = round((a[0] + b[0]) / 2)
        y0, y1 = sorted((round(a[1]), round(b[1])))
        band = gray[max(y0, 0) : min(y1 + 1, h), max(x - r, 0) : min(x + r + 1, w)]
        along = band.min(axis=1) if band.size else np.zeros(0)
    if along.size <= 2 * r:
        return True  # the ends (nearly) touch
    return float(np.mean(along <= faint)) >= COVERED


def _axis(p: Px, q: Px) -> int | None:
    """0 when ``q``-``p`` runs along x, 1 along y, ``None`` for a slant."""
    if abs(p[1] - q[1]) <= 0.5:
        return 0
    if abs(p[0] - q[0]) <= 0.5:
        return 1
    return None


def _ahead(p: Px, frm: Px, to: Px, k: int, slack: float) -> bool:
    """Whether ``to`` lies ahead of the end ``p`` (running on from ``frm``) along axis ``k``
    (or at most ``slack`` behind it: where two strokes meet, either may end a little short)."""
    out = np.sign(p[k] - frm[k])
    return bool(out != 0 and (to[k] - p[k]) * out >= -slack)


def _bridge(a: Px, a_from: Px, b: Px, b_from: Px, scale: float) -> list[Px] | None:
    """The corner points of the stretch that would join end ``a`` to end ``b`` (none when
    they face each other on one line, one when the line turns between them), or ``None``
    when no orthogonal stretch joins them."""
    ka, kb = _axis(a, a_from), _axis(b, b_from)
    if ka is None or kb is None:
        return None
    if ka == kb:
        if abs(a[1 - ka] - b[1 - ka]) > ALIGN * scale:
            return None
        return [] if _ahead(a, a_from, b, ka, 0) and _ahead(b, b_from, a, kb, 0) else None
    corner = (b[0], a[1]) if ka == 0 else (a[0], b[1])
    slack = ALIGN * scale
    if _ahead(a, a_from, corner, ka, slack) and _ahead(b, b_from, corner, kb, slack):
        return [corner]
    return None


def _length(points: Sequence[Px]) -> float:
    return sum(abs(p[0] - q[0]) + abs(p[1] - q[1]) for p, q in itertools.pairwise(points))


def _joined(first: PxArrow, first_last: bool, second: PxArrow, second_last: bool,
            corner: list[Px]) -> PxArrow:
    """One polyline through both pieces, tail to head when either piece has its head."""
    a = list(first.path) if first_last else list(first.path)[::-1]
    b = list(second.path)[::-1] if second_last else list(second.path)
    path = a[:-1] + corner + b[1:]  # each end lay on the line that now runs on through it
    head = first.head or second.head
    if head is not None and path[0] == head:
        path = path[::-1]
    box = (min(first.box[0], second.box[0]), min(first.box[1], second.box[1]),
           max(first.box[2], second.box[2]), max(first.box[3], second.box[3]))
    return PxArrow(tuple(path), head, box, first.labels + second.labels)


WORN_GAP = 4.0
"""Points: on a worn copy, pieces whose ends are this close (along the way from one to the
other) are joined whatever the page shows between them: a toner drop-out leaves white paper
there, not a faint line."""


def join_broken(arrows: Sequence[PxArrow], symbols: Sequence[PxSymbol], gray: Gray,
                scale: float, worn: bool = False) -> list[PxArrow]:
    """The arrows with pieces of one broken line joined (see the module doc), nearest first;
    on a ``worn`` copy a gap shorter than :data:`WORN_GAP` needs no faint line in it."""
    faint = faint_level(gray)
    out = list(arrows)
    if faint is None:
        return out
    touch = 2.0 * scale
    while True:
        best: tuple[float, int, bool, int, bool, list[Px]] | None = None
        loose = [(k, last, *_end(arrow, last)) for k, arrow in enumerate(out)
                 for last in (False, True)]
        loose = [(k, last, p, frm) for k, last, p, frm in loose
                 if out[k].head != p and not _near_symbol(p, symbols, touch)]
        for (i, i_last, a, a_from), (j, j_last, b, b_from) in itertools.combinations(loose, 2):
            if i == j or (out[i].head is not None and out[j].head is not None):
                continue
            corner = _bridge(a, a_from, b, b_from, scale)
            if corner is None:
                continue
            stretch = [a, *corner, b]
            if max(_length(stretch[:2]), _length(stretch[-2:])) > MAX_GAP * scale:
                continue
            gap = _length(stretch)
            if best is not None and gap >= best[0]:
                continue
            if (worn and gap <= WORN_GAP * scale) or all(
                    _gap_is_line(gray, p, q, faint, scale)
                    for p, q in itertools.pairwise(stretch)):
                best = (gap, i, i_last, j, j_last, corner)
        if best is None:
            return out
        _, i, i_last, j, j_last, corner = best
        merged = _joined(out[i], i_last, out[j], j_last, corner)
        out = [a for k, a in enumerate(out) if k not in (i, j)] + [merged]


def _onto_symbol(arrow: PxArrow, last: bool, symbols: Sequence[PxSymbol], gray: Gray,
                 faint: float, scale: float) -> PxArrow:
    """The arrow with a loose end carried straight on to the symbol it points at, when the
    faint line goes on up to the symbol's box."""
    p, frm = _end(arrow, last)
    k = _axis(p, frm)
    if k is None or arrow.head == p or _near_symbol(p, symbols, 2.0 * scale):
        return arrow
    out = 1.0 if p[k] > frm[k] else -1.0
    best: tuple[float, Px] | None = None
    for s in symbols:
        lo, hi = (s.box[1], s.box[3]) if k == 0 else (s.box[0], s.box[2])
        if not lo <= p[1 - k] <= hi:
            continue
        edge = (s.box[0] if out > 0 else s.box[2]) if k == 0 else (
            s.box[1] if out > 0 else s.box[3])
        gap = (edge - p[k]) * out
        if 0 < gap <= MAX_GAP * scale and (best is None or gap < best[0]):
            best = (gap, (edge, p[1]) if k == 0 else (p[0], edge))
    if best is None or not _gap_is_line(gray, p, best[1], faint, scale):
        return arrow
    path = (*arrow.path[:-1], best[1]) if last else (best[1], *arrow.path[1:])
    return PxArrow(path, arrow.head, arrow.box, arrow.labels)


def reach_symbols(arrows: Sequence[PxArrow], symbols: Sequence[PxSymbol], gray: Gray,
                  scale: float) -> list[PxArrow]:
    """Each arrow's loose ends carried on to the symbols the faint line reaches."""
    faint = faint_level(gray)
    if faint is None:
        return list(arrows)
    out = []
    for arrow in arrows:
        for last in (False, True):
            arrow = _onto_symbol(arrow, last, symbols, gray, faint, scale)
        out.append(arrow)
    return out


__all__ = ["faint_level", "join_broken", "reach_symbols"]
