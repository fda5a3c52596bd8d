"""Vector PDF extractor: the ruled table, the words and the flowchart symbols of each page.

pdfplumber (pdfminer underneath) gives every path with its points and paint, descending into
form XObjects (the e-signing service wraps each original page in ``/TPL0``, ``/TPL1``...), and
every word with its box. What a path *is* comes from its form, never from its producer:

* a sliver (thin in one direction), a thin filled polygon or an open stroked path is a line:
  a table ruling when it lies on the grid (:mod:`converters.reading.drawn.pdf.ruling`), else an
  arrow piece;
* a small filled triangle is an arrowhead, given to the arrow piece ending nearest to it;
* a closed outline (stroked, or filled as a ring) is a symbol, classified by its vertices:
  four at the mid-sides is a diamond, four at the corners a box, five a pentagon (off-page
  connector), a curved or many-pointed outline a capsule (wide) or a circle (round);
* rectangles whose sides lie on the grid are cells, not symbols; white fills are backgrounds.

Images (signature stamps, QR codes) are never read, and words outside the table (the footer
drawn on top) are left for the interpreter, which reads only the table and the header text.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from converters.model import ConversionError
from converters.reading.drawn.geometry import (
    Point,
    area,
    centre_line,
    closed,
    dedup,
    dist,
    perimeter,
    snap,
)
from converters.reading.drawn.pdf.ruling import Grid, HSeg, VSeg, find_grids
from converters.reading.drawn.picture import Box, Page, Picture, Shape, ShapeKind, TextRun
from converters.reading.progress import Stage, report

NAME = "pdf-vector"
MAX_PAGES = 60
"""More pages than any SOP has: refused before anything is parsed."""
MAX_OBJECTS = 20_000
"""Paths on one page beyond which the page is not an SOP drawing (bounded time)."""

THIN = 2.5  # points: thinner than this in one direction is a line
HEAD_MAX = 10.0  # points: an arrowhead fits in this
JOIN = 2.2  # points: pieces whose ends are this close are one line
WORD_GAP = 0.2  # of the font size: a wider gap between letters is a space
TOUCHING = 0.05  # of the height: runs closer than this are one word


@dataclass
class _Path:
    subpaths: list[list[Point]]
    curved: bool
    fill: bool
    stroke: bool
    white: bool
    box: Box
    rect_op: bool


@dataclass
class _Piece:
    points: list[Point]
    head: Point | None = None


def _white(color: Any) -> bool:
    if color is None:
        return False
    vals = list(color) if isinstance(color, list | tuple) else [color]
    try:
        nums = [float(v) for v in vals]
    except (TypeError, ValueError):
        return False
    if len(nums) == 4:  # CMYK
        return all(v <= 0.05 for v in nums)
    return bool(nums) and all(v >= 0.95 for v in nums)


def _subpaths(obj: dict[str, Any]) -> tuple[list[list[Point]], bool]:
    ops = obj.get("path")
    if not ops:
        pts = [(float(x), float(y)) for x, y in obj.get("pts") or []]
        return ([pts] if pts else []), False
    subs: list[list[Point]] = []
    curved = False
    for op in ops:
        kind = op[0]
        if kind == "m":
            subs.append([(float(op[1][0]), float(op[1][1]))])
        elif kind in ("l", "c", "v", "y") and len(op) > 1:
            if kind != "l":
                curved = True
                # keep the control points: a rounded corner's bulge shows in them
                for p in op[1:]:
                    if not subs:
                        subs.append([])
                    subs[-1].append((float(p[0]), float(p[1])))
                continue
            if not subs:
                subs.append([])
            subs[-1].append((float(op[1][0]), float(op[1][1])))
        elif kind == "h" and subs and subs[-1]:
            subs[-1].append(subs[-1][0])
    return [s for s in subs if s], curved


def _paths(page: Any) -> Iterable[_Path]:
    for kind in ("rects", "lines", "curves"):
        for o in getattr(page, kind):
            box = Box(float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))
            if kind == "rects":
                x0, t, x1, b = box.x0, box.top, box.x1, box.bottom
                subs = [[(x0, t), (x1, t), (x1, b), (x0, b), (x0, t)]]
                curved = False
            else:
                subs, curved = _subpaths(o)
            if not subs:
                continue
            fill = bool(o.get("fill"))
            stroke = bool(o.get("stroke"))
            if kind == "lines":
                fill, stroke = False, True
            yield _Path(subs, curved, fill, stroke,
                        fill and not stroke and _white(o.get("non_stroking_color")),
                        box, kind == "rects")


def _corners(pts: list[Point], box: Box, tol: float) -> int:
    cs = [(box.x0, box.top), (box.x1, box.top), (box.x1, box.bottom), (box.x0, box.bottom)]
    return sum(1 for c in cs if any(dist(c, p) <= tol for p in pts))


def _mids(pts: list[Point], box: Box) -> int:
    tx, ty = max(1.5, 0.12 * box.width), max(1.5, 0.12 * box.height)
    ms = [(box.cx, box.top), (box.x1, box.cy), (box.cx, box.bottom), (box.x0, box.cy)]
    return sum(1 for m in ms
               if any(abs(m[0] - p[0]) <= tx and abs(m[1] - p[1]) <= ty for p in pts))


def _vertices(outline: list[Point]) -> list[Point]:
    pts = dedup(outline, 0.8)
    if len(pts) > 1 and dist(pts[0], pts[-1]) <= 0.8:
        pts = pts[:-1]
    return pts


def classify(outline: list[Point], box: Box, curved: bool) -> ShapeKind | None:
    """The symbol a closed outline draws, or ``None`` when it is no SOP symbol."""
    vs = _vertices(outline)
    tol = max(1.2, 0.08 * min(box.width, box.height))
    if len(vs) == 4 and not curved:
        if _mids(vs, box) == 4:
            return ShapeKind.DECISION
        if _corners(vs, box, tol) == 4:
            return ShapeKind.PROCESS
        return None
    if len(vs) == 5 and not curved:
        return ShapeKind.CONNECTOR
    if curved or len(vs) > 6:
        if _corners(vs, box, tol) >= 3 and not curved:
            return ShapeKind.PROCESS
        ratio = box.width / max(box.height, 0.1)
        round_ = 0.75 <= ratio <= 1.33 and _elliptic(vs, box)
        return ShapeKind.CONNECTOR if round_ else ShapeKind.TERMINATOR
    return None


def _elliptic(points: list[Point], box: Box) -> bool:
    """Every point of the outline lies on the ellipse inscribed in ``box``: a circle (an
    on-page connector), not a capsule drawn nearly as tall as wide (straight sides put its
    corner points well outside that ellipse). Bezier control points of a circle stand at
    about 1.14 radii, a rounded corner's near 1.4."""
    hw, hh = box.width / 2, box.height / 2
    if hw <= 0 or hh <= 0:
        return False
    return all(((p[0] - box.cx) / hw) ** 2 + ((p[1] - box.cy) / hh) ** 2 <= 1.2 ** 2
               for p in points)


def _segments(points: list[Point]) -> tuple[list[HSeg], list[VSeg]]:
    hs: list[HSeg] = []
    vs: list[VSeg] = []
    for a, b in itertools.pairwise(points):
        if abs(a[1] - b[1]) <= 1.2 and abs(a[0] - b[0]) > 0.5:
            hs.append(HSeg((a[1] + b[1]) / 2, min(a[0], b[0]), max(a[0], b[0])))
        elif abs(a[0] - b[0]) <= 1.2 and abs(a[1] - b[1]) > 0.5:
            vs.append(VSeg((a[0] + b[0]) / 2, min(a[1], b[1]), max(a[1], b[1])))
    return hs, vs


def _on_grid(points: list[Point], grid: Grid) -> bool:
    hs, vs = _segments(points)
    if len(hs) + len(vs) < len(points) - 1:
        return False  # a diagonal run: no ruling
    return all(grid.on_row_line(s.y, s.x0, s.x1) for s in hs) and all(
        grid.on_col_line(s.x, s.y0, s.y1) for s in vs)


def _join(pieces: list[_Piece], heads: Sequence[Sequence[Point]] = ()) -> list[_Piece]:
    """Pieces meeting end to end (and nothing else meeting there) become one line; not where
    an arrowhead stands: two arrows entering one symbol at one point end there, each
    under its own head, and are no line running through."""
    tips = [(sum(p[0] for p in t) / len(t), sum(p[1] for p in t) / len(t)) for t in heads]
    ps = [p.points for p in pieces if len(p.points) >= 2]
    changed = True
    while changed:
        changed = False
        ends = [(i, e) for i, p in enumerate(ps) for e in (0, -1)]
        for ai, (i, ei) in enumerate(ends):
            pi = ps[i][ei]
            near = [(j, ej) for j, ej in ends[:ai] + ends[ai + 1:]
                    if dist(ps[j][ej], pi) <= JOIN]
            if len(near) != 1 or near[0][0] == i:
                continue
            j, ej = near[0]
            a = ps[i] if ei == -1 else ps[i][::-1]
            b = ps[j] if ej == 0 else ps[j][::-1]
            if _turns_back(a, b):
                continue  # two lines leaving one point (a branch splitting), not one line
            if any(dist(t, pi) <= HEAD_MAX / 2 + JOIN for t in tips):
                continue
            ps[i] = snap(a + b[1:])
            del ps[j]
            changed = True
            break
    return [_Piece(p) for p in ps]


def _turns_back(a: list[Point], b: list[Point]) -> bool:
    ux, uy = a[-1][0] - a[-2][0], a[-1][1] - a[-2][1]
    vx, vy = b[1][0] - b[0][0], b[1][1] - b[0][1]
    la, lb = (ux * ux + uy * uy) ** 0.5, (vx * vx + vy * vy) ** 0.5
    return la > 0 and lb > 0 and (ux * vx + uy * vy) < -0.5 * la * lb


def _attach_heads(pieces: list[_Piece], heads: list[list[Point]]) -> None:
    for tri in heads:
        c = (sum(p[0] for p in tri) / len(tri), sum(p[1] for p in tri) / len(tri))
        best: tuple[float, int, int] | None = None
        for i, pc in enumerate(pieces):
            if pc.head is not None:
                continue  # two lines merging into one target: each keeps its own head
            for e in (0, -1):
                d = dist(pc.points[e], c)
                if d <= 6 and (best is None or d < best[0]):
                    best = (d, i, e)
        if best is None:
            continue
        _, i, e = best
        pc = pieces[i]
        end = pc.points[e]
        tip = max(tri, key=lambda p: dist(p, end))
        pts = pc.points if e == -1 else pc.points[::-1]
        pc.points = [*pts, tip] if dist(pts[-1], tip) > 0.5 else pts
        pc.head = tip


def _page(page: Any, number: int) -> tuple[Page, bool]:
    n_obj = len(page.objects.get("curve", [])) + len(page.objects.get("rect", [])) + len(
        page.objects.get("line", []))
    if n_obj > MAX_OBJECTS:
        raise ConversionError(
            f"Halaman {number} terlalu rumit untuk dibaca ({n_obj} garis; page too complex)")
    pieces: list[_Piece] = []
    heads: list[list[Point]] = []
    candidates: list[tuple[list[Point], Box, bool, bool]] = []  # outline, box, curved, rect
    hsegs: list[HSeg] = []
    vsegs: list[VSeg] = []
    for p in _paths(page):
        if p.white:
            continue
        w, h = p.box.width, p.box.height
        if w < 0.8 and h < 0.8:
            continue
        outline = p.subpaths[0]
        if min(w, h) < THIN:
            for sub in p.subpaths:
                pieces.append(_Piece(_midline(sub)))
            continue
        is_closed = closed(outline) or p.rect_op or (p.fill and len(outline) >= 3)
        if p.fill and not p.stroke and is_closed and len(_vertices(outline)) > 3:
            ring = area(outline) / max(perimeter([*outline, outline[0]]), 0.1)
            if ring < 1.2 and len(p.subpaths) == 1:
                pieces.append(_Piece(snap(centre_line([*outline, outline[0]]))))
                continue
        if not is_closed:
            if p.stroke:
                for sub in p.subpaths:
                    pieces.append(_Piece(snap(sub)))
            continue
        verts = _vertices(outline)
        if max(w, h) <= HEAD_MAX and len(verts) == 3 and p.fill:
            heads.append(verts)
            continue
        rect_like = p.rect_op or (len(verts) == 4 and not p.curved
                                  and _corners(verts, p.box, 1.5) == 4)
        candidates.append((outline, p.box, p.curved, rect_like))
        if rect_like:
            b = p.box
            hsegs += [HSeg(b.top, b.x0, b.x1), HSeg(b.bottom, b.x0, b.x1)]
            vsegs += [VSeg(b.x0, b.top, b.bottom), VSeg(b.x1, b.top, b.bottom)]
    for pc in pieces:
        hs, vs = _segments(pc.points)
        hsegs += hs
        vsegs += vs
    grids = find_grids(hsegs, vsegs)
    # a word ends where the gap to the next letter is a fifth of the font size: a small label
    # font ("Sudah Benar" at 5 pt) sets its space narrower than a fixed tolerance
    words = page.extract_words(x_tolerance=1.5, x_tolerance_ratio=WORD_GAP, y_tolerance=2.0,
                               keep_blank_chars=False)
    texts = _touching_joined([
        TextRun(str(wd["text"]), Box(float(wd["x0"]), float(wd["top"]), float(wd["x1"]),
                                     float(wd["bottom"])))
        for wd in words if str(wd["text"]).strip()])
    shapes: list[Shape] = []
    for outline, box, curved, rect_like in candidates:
        if rect_like and any(_sides_on_grid(box, g) >= 3 for g in grids):
            continue
        kind = classify(outline, box, curved)
        if kind is None:
            continue
        if not any(_inside(g, box) or (kind is ShapeKind.CONNECTOR and _astride(g, box))
                   for g in grids):
            continue
        if any(s.kind == kind and _same(s.box, box) for s in shapes):
            continue  # the fill and the stroke of one symbol
        shapes.append(Shape(kind, box))
    arrows = []
    for pc in pieces:
        if len(pc.points) < 2 or any(_on_grid(pc.points, g) for g in grids):
            continue
        xs = [p[0] for p in pc.points]
        ys = [p[1] for p in pc.points]
        if any(_inside(g, Box(min(xs), min(ys), max(xs) + 0.01, max(ys) + 0.01))
               for g in grids):
            arrows.append(pc)
    arrows = _join(arrows, heads)
    _attach_heads(arrows, heads)
    arrows += [pc for pc in _image_lines(page)
               if any(_inside(g, Box(pc.points[0][0], pc.points[0][1], pc.points[-1][0] + 0.01,
                                     pc.points[-1][1] + 0.01)) for g in grids)]
    for pc in arrows:
        xs = [p[0] for p in pc.points]
        ys = [p[1] for p in pc.points]
        if max(xs) - min(xs) + max(ys) - min(ys) < 3:
            continue
        shapes.append(Shape(ShapeKind.ARROW, Box(min(xs), min(ys), max(xs) + 0.01,
                                                 max(ys) + 0.01),
                            path=tuple(pc.points), head=pc.head))
    cells = tuple(c for g in grids for c in g.cells)
    symbols = any(s.kind in (ShapeKind.PROCESS, ShapeKind.DECISION, ShapeKind.TERMINATOR)
                  for s in shapes)
    return Page(number, float(page.width), float(page.height), cells, texts,
                tuple(shapes)), symbols


IMAGE_LINE_WIDTH = HEAD_MAX  # points: a picture this narrow (and long) is a pasted line piece
IMAGE_LINE_RATIO = 1.3  # a pasted arrow with its head is at least this much longer than wide


def _touching_joined(runs: list[TextRun]) -> tuple[TextRun, ...]:
    """Runs the text layer splits although their letters touch ("Rekanan/" + "Vendor" with
    no gap on the page) as the one word the reader sees."""
    out: list[TextRun] = []
    for r in runs:
        last = out[-1] if out else None
        if (last is not None and abs(last.box.top - r.box.top) < 0.5
                and abs(last.box.bottom - r.box.bottom) < 0.5
                and 0 <= r.box.x0 - last.box.x1 <= TOUCHING * r.box.height):
            out[-1] = TextRun(last.text + r.text, Box(last.box.x0, min(last.box.top, r.box.top),
                                                      r.box.x1, max(last.box.bottom,
                                                                    r.box.bottom)))
            continue
        out.append(r)
    return tuple(out)


def _image_lines(page: Any) -> list[_Piece]:
    """Pictures drawn as short connector lines (a word processor pastes an arrow it cannot
    export as a path as a narrow image): their middle line, a piece like any other.

    The pixels are not decoded, so the arrowhead is put at the lower (or right) end: the flow
    of an SOP table runs down its rows and, within a row, left to right."""
    out = []
    for im in page.images:
        x0, top, x1, bottom = (float(im[k]) for k in ("x0", "top", "x1", "bottom"))
        w, h = x1 - x0, bottom - top
        if min(w, h) > IMAGE_LINE_WIDTH or max(w, h) < IMAGE_LINE_RATIO * max(min(w, h), 1.0):
            continue
        pts = _midline([(x0, top), (x1, bottom)])
        out.append(_Piece(pts, pts[-1]))
    return out


def _midline(points: list[Point]) -> list[Point]:
    """A sliver's course: the middle line of its bounding box."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    if max(xs) - min(xs) >= max(ys) - min(ys):
        y = (min(ys) + max(ys)) / 2
        return [(min(xs), y), (max(xs), y)]
    x = (min(xs) + max(xs)) / 2
    return [(x, min(ys)), (x, max(ys))]


def _inside(grid: Grid, box: Box) -> bool:
    return grid.inside_x(box.x0, box.x1) and grid.inside_y(box.top, box.bottom)


def _astride(grid: Grid, box: Box) -> bool:
    """An off-page connector drawn under the last row (or over the first) of a page's table,
    across its outer ruling: it belongs to the table whose columns it stands in."""
    return (grid.inside_x(box.x0, box.x1) and bool(grid.rows)
            and box.top < grid.rows[-1] and box.bottom > grid.rows[0])


def _same(a: Box, b: Box, tol: float = 1.5) -> bool:
    return (abs(a.x0 - b.x0) <= tol and abs(a.x1 - b.x1) <= tol
            and abs(a.top - b.top) <= tol and abs(a.bottom - b.bottom) <= tol)


def _sides_on_grid(box: Box, grid: Grid) -> int:
    n = sum(1 for y in (box.top, box.bottom) if any(abs(y - r) <= 2 for r in grid.rows))
    return n + sum(1 for x in (box.x0, box.x1) if any(abs(x - c) <= 2 for c in grid.cols))


def page_count(data: bytes) -> int:
    """The page count from the catalogue, read before any page is parsed."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    doc = PDFDocument(PDFParser(io.BytesIO(data)))
    pages = resolve1(doc.catalog.get("Pages"))
    count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    return int(count) if isinstance(count, int) else 0


def _open_error(exc: Exception) -> ConversionError:
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in name:
        return ConversionError("PDF terkunci kata sandi (encrypted PDF)")
    return ConversionError(f"PDF rusak atau tidak dapat dibaca (corrupt PDF: {name})")


def extract(data: bytes) -> Picture | None:
    """The picture of a vector PDF, or ``None`` when no page draws a flowchart in a table.

    Raises :class:`ConversionError` (one line) for an encrypted or corrupt PDF and for one
    with more than :data:`MAX_PAGES` pages.
    """
    import pdfplumber

    try:
        count = page_count(data)
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise _open_error(exc) from None
    if count > MAX_PAGES:
        raise ConversionError(
            f"PDF terlalu panjang: {count} halaman, batas {MAX_PAGES} (too many pages)")
    pages: list[Page] = []
    drawn = False
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i, page in enumerate(pdf.pages[:MAX_PAGES], start=1):
                report(Stage.PAGES, i - 1, count)
                pg, has = _page(page, i)
                pages.append(pg)
                drawn = drawn or has
                page.close()
    except ConversionError:
        raise
    except Exception as exc:
        raise _open_error(exc) from None
    if not drawn:
        return None
    return Picture(NAME, tuple(pages))
