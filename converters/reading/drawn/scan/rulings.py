"""The table's ruling lines in a scanned page, and the cells they enclose.

Long horizontal and vertical strokes come out of a morphological opening. Not every long
stroke is a ruling, though: flowchart arrows are straight too. Rulings are told apart by how
the table is built: rows run across the whole table and columns down most of it, and the
shorter rulings (under ``Pelaksana`` and ``Mutu Baku``) end on those long ones at both ends;
an arrow's segment starts and ends inside cells, at symbols or bends.

The cells are the regions of paper the rulings enclose (a merged cell is one region), found
by drawing the accepted rulings clean and labelling the paper between them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from converters.reading.drawn.scan.raster import Gray

PxBox = tuple[int, int, int, int]
"""x0, top, x1, bottom in pixels (x1, bottom exclusive)."""


@dataclass(frozen=True)
class Ruling:
    """One ruling line in pixels: horizontal (``y`` fixed) or vertical (``x`` fixed)."""

    horizontal: bool
    pos: float  # y of a horizontal line, x of a vertical one
    start: int  # x0 or top
    end: int  # x1 or bottom
    thickness: int

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Rulings:
    """Accepted rulings, the mask of their ink, and the cells they enclose (pixels)."""

    lines: tuple[Ruling, ...]
    mask: Gray
    cells: tuple[PxBox, ...]


def _segments(ink: Gray, horizontal: bool, length: int, scale: float,
              along: int = 0) -> list[Ruling]:
    """Straight strokes at least ``length`` px long, pieces of one broken line joined.

    ``along`` (px): breaks up to this long are closed along the direction first (a worn
    copy's rules are cut by toner drop-outs every few millimetres, shorter than ``length``
    between them)."""
    if along > 1:
        size = (along, 1) if horizontal else (1, along)
        ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE,
                               cv2.getStructuringElement(cv2.MORPH_RECT, size))
    size = (length, 1) if horizontal else (1, length)
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
    # bridge small breaks (scan dropouts, JPEG) along the line before labelling
    bridge = max(int(3 * scale), 3)
    size = (bridge, 1) if horizontal else (1, bridge)
    opened = cv2.morphologyEx(
        opened, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, size)
    )
    n, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    found: list[Ruling] = []
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if horizontal:
            found.append(Ruling(True, y + h / 2, x, x + w, h))
        else:
            found.append(Ruling(False, x + w / 2, y, y + h, w))
    return _join(found, gap=int(15 * scale), drift=max(3.0, 1.5 * scale))


def _join(parts: list[Ruling], gap: int, drift: float) -> list[Ruling]:
    """Collinear pieces less than ``gap`` apart become one line (a ruling broken by noise)."""
    parts = sorted(parts, key=lambda r: (round(r.pos), r.start))
    out: list[Ruling] = []
    for r in sorted(parts, key=lambda r: r.start):
        for i, o in enumerate(out):
            if abs(o.pos - r.pos) <= drift and r.start <= o.end + gap and o.start <= r.end + gap:
                out[i] = Ruling(
                    o.horizontal,
                    (o.pos * o.length + r.pos * r.length) / max(o.length + r.length, 1),
                    min(o.start, r.start),
                    max(o.end, r.end),
                    max(o.thickness, r.thickness),
                )
                break
        else:
            out.append(r)
    return out


def _ends_on(line: Ruling, others: list[Ruling], tol: float) -> bool:
    """Both ends of ``line`` lie on lines of the other direction (within ``tol`` px)."""

    def on(p: float) -> bool:
        return any(
            abs(o.pos - p) <= tol and o.start - tol <= line.pos <= o.end + tol for o in others
        )

    return on(line.start) and on(line.end)


def _meets(line: Ruling, others: list[Ruling], tol: float, touch: float) -> bool:
    """Both ends of ``line`` run into the ink of lines of the other direction.

    A row ruling joins its columns' rules: its stroke goes on into theirs. The top and bottom
    of a process box filling a narrow role column also end beside the column's rules, but
    short of them, with paper in between: taken for rulings, they would be erased and the
    box lost. ``touch`` (px) is the paper a ruling may leave at a junction (a dropout)."""

    def at_start(o: Ruling) -> bool:
        return o.pos - tol <= line.start <= o.pos + o.thickness / 2 + touch

    def at_end(o: Ruling) -> bool:
        return o.pos - o.thickness / 2 - touch <= line.end <= o.pos + tol

    def along(o: Ruling) -> bool:
        return o.start - tol <= line.pos <= o.end + tol

    return (any(at_start(o) and along(o) for o in others)
            and any(at_end(o) and along(o) for o in others))


def _cut_off(line: Ruling, others: list[Ruling], long_v: list[Ruling], tol: float) -> bool:
    """A column ruling of a table that runs on over the page break: one end on a row, the
    other level with the end of the table's long outer rulings, where no row closes it."""

    def on(p: float) -> bool:
        return any(
            abs(o.pos - p) <= tol and o.start - tol <= line.pos <= o.end + tol for o in others
        )

    bottoms = [v.end for v in long_v]
    tops = [v.start for v in long_v]
    return (on(line.start) and any(abs(line.end - b) <= tol for b in bottoms)) or (
        on(line.end) and any(abs(line.start - t) <= tol for t in tops))


def find_rulings(ink: Gray, scale: float, along: int = 0) -> Rulings:
    """The table's rulings in an ink mask and the cells between them (see the module doc).

    ``along`` (px): a worn copy's breaks this long are closed along each direction before
    the long strokes are looked for (:func:`_segments`); a closing in every direction at
    once would join the letters of a row's first line to the rule above them, and the rule
    thickened by them would no longer line up with its other pieces."""
    min_len = max(int(20 * scale), 20)
    hs = _segments(ink, True, min_len, scale, along)
    vs = _segments(ink, False, min_len, scale, along)
    tol = max(4.0 * scale, 4.0)
    flow = _beside_rules(vs, scale)
    vs = [v for v in vs if v not in flow]
    long_h = [h for h in hs if hs and h.length >= 0.55 * max(x.length for x in hs)]
    long_v = [v for v in vs if vs and v.length >= 0.6 * max(x.length for x in vs)]
    # long verticals must cross the table's rows, not float beside it (a border, a stamp bar)
    long_v = [
        v
        for v in long_v
        if sum(
            v.start - tol <= h.pos <= v.end + tol and h.start - tol <= v.pos <= h.end + tol
            for h in long_h
        )
        >= 2
    ] or long_v
    touch = max(2.0, 0.5 * scale)
    kept_h = long_h + [h for h in hs if h not in long_h and _meets(h, long_v, tol, touch)]
    kept_v = long_v + [v for v in vs if v not in long_v
                       and (_ends_on(v, kept_h, tol) or _cut_off(v, kept_h, long_v, tol))]
    # a column rule broken where the scan lost it: its pieces are ink of the rule (not
    # arrows), and the whole rule divides the cells
    broken = _broken_columns([v for v in vs if v not in kept_v], kept_h, 15 * scale,
                             max(3.0, 1.5 * scale))
    spare = [v for v in vs if v not in kept_v and not any(v is p for _, ps in broken for p in ps)]
    carried = _carried(kept_v, spare, kept_h, CARRY_DRIFT * scale, tol)
    lines = tuple(kept_h + kept_v + [p for _, pieces in broken for p in pieces]
                  + [p for _, _, pieces in carried for p in pieces])
    mask = _line_mask(ink, lines, scale)
    bridges = tuple(w for w, _ in broken) + tuple(b for _, bs, _ in carried for b in bs)
    columns = [_whole(v, carried) for v in kept_v] + [w for w, _ in broken]
    bridges += tuple(_numbered_rows(kept_h, columns, tol))
    return Rulings(lines, mask, _cells(ink.shape, lines + bridges, scale))


BESIDE = 6.0
"""Points: two vertical strokes closer than this bound no column (no cell is that narrow)."""
SHORT_END = 12.0
"""Points: a stroke beside a rule that stops this far short of the rule's end is no rule."""


def _beside_rules(verticals: list[Ruling], scale: float) -> list[Ruling]:
    """Vertical flow lines drawn along a column's rule, which look like rules themselves.

    A loop back over many rows, or a hand-over from an off-page connector down to its step,
    is routed along the edge of a column, a few points from its rule: a long straight
    vertical stroke that crosses the row rules as a column rule does. Taken for a rule, it
    is erased with the rulings and the arrow is lost. It is told apart by what a rule never
    is: a stroke a few points beside a longer rule (no column is that narrow) that starts or
    stops well inside the rule's length (a double border's two lines run together end to
    end)."""
    near, short = BESIDE * scale, SHORT_END * scale
    return [v for v in verticals
            if any(r is not v and abs(r.pos - v.pos) < near and r.length > v.length
                   and (v.start - r.start > short or r.end - v.end > short)
                   and r.start - short <= v.start and v.end <= r.end + short
                   for r in verticals)]  # fmt: skip


def _whole(column: Ruling, carried: list[tuple[Ruling, list[Ruling], list[Ruling]]]) -> Ruling:
    """A column rule over its whole length once carried (:func:`_carried`)."""
    for rule, bridges, pieces in carried:
        if rule is column:
            parts = (rule, *bridges, *pieces)
            return Ruling(False, rule.pos, min(r.start for r in parts),
                          max(r.end for r in parts), rule.thickness)
    return column


def _numbered_rows(rows: list[Ruling], columns: list[Ruling], tol: float) -> list[Ruling]:
    """Row rules carried over the number column where the scan lost them.

    The form gives every step row a cell of its own in the ``No`` column, the table's
    leftmost and narrowest. A row rule that runs across most of the table from the rule
    right of that column, while the column's own two rules run on past it, was lost only
    there (a faded 1-px stroke): without it two rows share one number cell and the second
    step's number joins the first's. The header's rules under a group title (``Pelaksana``)
    start further right and are left as they are."""
    if len(columns) < 3 or not rows:
        return []
    xs = sorted(columns, key=lambda c: c.pos)
    left, inner = xs[0], xs[1]
    width = xs[-1].pos - left.pos
    if width <= 0 or inner.pos - left.pos > NUMBER_SHARE * width:
        return []
    out = []
    for h in rows:
        if abs(h.start - inner.pos) > tol or h.end - h.start < (1 - BROKEN_SHARE) * width:
            continue
        if all(c.start - tol <= h.pos <= c.end + tol for c in (left, inner)):
            out.append(Ruling(True, h.pos, round(left.pos), h.start, h.thickness))
    return out


NUMBER_SHARE = 0.09
"""Of the table's width: the number column is narrower than this (as
:data:`..numbers.NUMBER_SHARE` says of the cells)."""


CARRY_DRIFT = 4.0
"""Points: how far across a column rule its piece in other rows may lie (a page scanned
warped bends its long rules by a few pixels between the top and the bottom)."""


def _carried(columns: list[Ruling], pieces: list[Ruling], rows: list[Ruling], drift: float,
             tol: float) -> list[tuple[Ruling, list[Ruling], list[Ruling]]]:
    """Column rules carried over the rows where the scan lost them: for each accepted
    column rule that stops short of the table's top or foot, the pieces of it found in the
    other rows (a little off its line: the page is warped) and the stretches between those
    pieces and the rule, which the scan lost (bridges).

    A column rule seen in most rows of a table runs through all of them; where a scan loses
    a stretch (a 1-px rule faded between two rows), the rows there merge two columns (``No``
    and ``Kegiatan``: the step number lost to its activity). The rule is carried only as far
    as a piece of it is seen, and only when rule and pieces together cover most of the way
    (:data:`BROKEN_SHARE`), so a rule that truly stops (a role column under its group title)
    and an arrow beside a rule stay as they are. Returns ``(rule, bridges, pieces)`` per
    rule carried."""
    out: list[tuple[Ruling, list[Ruling], list[Ruling]]] = []
    used: set[int] = set()
    for v in columns:
        across = sorted(h.pos for h in rows if h.start - tol <= v.pos <= h.end + tol)
        if len(across) < 3:
            continue
        top, foot = across[0], across[-1]
        if v.start <= top + tol and v.end >= foot - tol:
            continue  # whole already
        near = sorted((p for p in pieces if id(p) not in used and abs(p.pos - v.pos) <= drift
                       and p.start >= top - tol and p.end <= foot + tol
                       and (p.end <= v.start + tol or p.start >= v.end - tol)),
                      key=lambda p: p.start)
        if not near:
            continue
        chain = sorted([v, *near], key=lambda r: r.start)
        covered = sum(r.length for r in chain)
        span = max(r.end for r in chain) - min(r.start for r in chain)
        if span <= 0 or covered < (1 - BROKEN_SHARE) * (foot - top):
            continue
        bridges = [Ruling(False, (a.pos + b.pos) / 2, a.end, b.start, v.thickness)
                   for a, b in itertools.pairwise(chain) if b.start > a.end]
        used.update(id(p) for p in near)
        out.append((v, bridges, near))
    return out


def remasked(rulings: Rulings, ink: Gray, scale: float) -> Rulings:
    """The same rulings with their mask taken from another ink mask of the page (a worn
    copy's mended one, whose rules are whole: the breaks left unmasked would stay as stubs)."""
    return Rulings(rulings.lines, _line_mask(ink, rulings.lines, scale), rulings.cells)


BROKEN_SHARE = 0.25
"""Of a column rule's length: the most its pieces may leave unruled between them."""


def _broken_columns(pieces: list[Ruling], rows: list[Ruling], reach: float,
                    drift: float) -> list[tuple[Ruling, list[Ruling]]]:
    """Column rules whose pieces, none of which ends on row rules at both ends, do so
    together: collinear pieces that cover most of the way from the header (the table's top
    rule or the one under the group titles) to the table's last row rule.

    A faint or dropped-out stretch cuts a column rule into pieces that each stop short of the
    row rules they run between, so none is taken, the two columns read as one and their
    titles merge ("Kepala/Bidang Kasat Terkait"). An arrow's segments are seldom collinear
    pieces that fill the height between two row rules. ``reach`` (px) is how far a chain's
    end may stop short of its row rule (the faint stretch may be at the end). Each whole rule
    comes with its pieces."""
    out: list[tuple[Ruling, list[Ruling]]] = []
    left = sorted(pieces, key=lambda r: (r.pos, r.start))
    while left:
        first = left.pop(0)
        line = sorted([first] + [r for r in left if abs(r.pos - first.pos) <= drift],
                      key=lambda r: r.start)
        chain = [line[0]]
        for r in line[1:]:
            if r.start >= chain[-1].end:
                chain.append(r)
        if len(chain) < 2:
            continue
        pos = sum(r.pos for r in chain) / len(chain)
        across = sorted((h for h in rows if h.start - reach <= pos <= h.end + reach),
                        key=lambda h: h.pos)
        # from the header down to the table's foot, as a column rule runs; a line of arrows
        # down a role column (through its boxes and diamonds) starts among the body rows
        tops = [h.pos for h in across[:2] if abs(h.pos - chain[0].start) <= reach]
        bottoms = [h.pos for h in across[-1:] if abs(h.pos - chain[-1].end) <= reach]
        if not tops or not bottoms:
            continue
        top = min(tops, key=lambda y: abs(y - chain[0].start))
        bottom = min(bottoms, key=lambda y: abs(y - chain[-1].end))
        covered = sum(r.length for r in chain)
        if bottom - top > 0 and covered >= (1 - BROKEN_SHARE) * (bottom - top):
            out.append((Ruling(False, pos, round(top), round(bottom),
                               max(r.thickness for r in chain)), chain))
            left = [r for r in left if not any(r is c for c in chain)]
    return out


def _line_mask(ink: Gray, lines: tuple[Ruling, ...], scale: float) -> Gray:
    """The ink pixels of the accepted rulings, grown by a pixel to take their blurred edges."""
    band = np.zeros_like(ink)
    pad = max(int(0.6 * scale), 1)
    for r in lines:
        half = r.thickness / 2 + pad
        if r.horizontal:
            cv2.rectangle(
                band, (r.start - pad, int(r.pos - half)), (r.end + pad, int(r.pos + half)), 255, -1
            )
        else:
            cv2.rectangle(
                band, (int(r.pos - half), r.start - pad), (int(r.pos + half), r.end + pad), 255, -1
            )
    grown = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    return cv2.bitwise_and(band, grown)


def _cells(shape: tuple[int, ...], lines: tuple[Ruling, ...], scale: float) -> tuple[PxBox, ...]:
    """Paper regions enclosed by the rulings (drawn clean, ends stretched to close corners)."""
    h, w = shape[:2]
    canvas = np.zeros((h, w), np.uint8)
    stretch = int(3 * scale)
    for r in lines:
        t = max(r.thickness, 2)
        p = round(r.pos)
        if r.horizontal:
            cv2.line(canvas, (r.start - stretch, p), (r.end + stretch, p), 255, t)
        else:
            cv2.line(canvas, (p, r.start - stretch), (p, r.end + stretch), 255, t)
    # a table that runs over the page break has no rule closing it there, and a border that
    # falls on the edge of a pasted picture may be lost: the table's columns end where its
    # rows do, and its rows where its columns do
    verticals = [r for r in lines if not r.horizontal]
    horizontals = [r for r in lines if r.horizontal]
    if len(verticals) >= 2 and len(horizontals) >= 2:
        left = round(min(r.pos for r in verticals))
        right = round(max(r.pos for r in verticals))
        for y in (_most([r.start for r in verticals], stretch),
                  _most([r.end for r in verticals], stretch)):
            cv2.line(canvas, (left, y), (right, y), 255, 2)
        top = round(min(r.pos for r in horizontals))
        bottom = round(max(r.pos for r in horizontals))
        for x in (_most([r.start for r in horizontals], stretch),
                  _most([r.end for r in horizontals], stretch)):
            cv2.line(canvas, (x, top), (x, bottom), 255, 2)
    n, _, stats, _ = cv2.connectedComponentsWithStats(255 - canvas, connectivity=4)
    min_side = 4 * scale
    out: list[PxBox] = []
    for i in range(1, n):
        x, y, bw, bh, _area = (int(v) for v in stats[i])
        if x == 0 or y == 0 or x + bw >= w or y + bh >= h:
            continue  # the paper around the table
        if bw < min_side or bh < min_side:
            continue
        out.append((x, y, x + bw, y + bh))
    return tuple(sorted(out, key=lambda b: (b[1], b[0])))


def _most(values: list[int], tol: int) -> int:
    """The value most of ``values`` share (within ``tol``): where most columns end."""
    best = max(values, key=lambda v: (sum(abs(w - v) <= tol for w in values), v))
    return int(best)


def remove_rulings(ink: Gray, rulings: Rulings, scale: float) -> Gray:
    """Ink without the rulings, strokes that crossed a ruling joined again across it.

    An arrow from one role column to the next crosses the column's ruling; cutting the ruling
    out would cut the arrow in two. A closing across the ruling's thickness puts back exactly
    the pixels where ink continues on both sides.
    """
    rest = cv2.bitwise_and(ink, cv2.bitwise_not(rulings.mask))
    thick = max((r.thickness for r in rulings.lines), default=2) + 2 * max(int(0.6 * scale), 1) + 2
    across_v = cv2.morphologyEx(
        rest, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (thick, 1))
    )
    across_h = cv2.morphologyEx(
        rest, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, thick))
    )
    v_mask = np.zeros_like(ink)
    h_mask = np.zeros_like(ink)
    for r in rulings.lines:
        half = r.thickness / 2 + max(int(0.6 * scale), 1)
        target = h_mask if r.horizontal else v_mask
        if r.horizontal:
            cv2.rectangle(target, (r.start, int(r.pos - half)), (r.end, int(r.pos + half)), 255, -1)
        else:
            cv2.rectangle(target, (int(r.pos - half), r.start), (int(r.pos + half), r.end), 255, -1)
    back = cv2.bitwise_or(cv2.bitwise_and(across_v, v_mask), cv2.bitwise_and(across_h, h_mask))
    return cv2.bitwise_or(rest, cv2.bitwise_and(back, rulings.mask))
