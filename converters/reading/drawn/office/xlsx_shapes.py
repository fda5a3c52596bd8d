"""Excel (.xlsx) SOPs as drawn: the sheet grid, its cell texts and the drawing's shapes.

Unlike Word, Excel stores where every shape is: a drawing part (``xl/drawings/drawingN.xml``)
anchors each shape to the sheet grid (``xdr:twoCellAnchor`` from/to column and row plus offsets
in EMU, ``xdr:oneCellAnchor`` a corner plus its size). So cells and shapes are mapped to points
with the same grid, and a symbol lands in the cell Excel shows it in even when the grid itself
is only approximate: column widths are stored in characters of the default font's digit
(7 px for Calibri 11, converted as Excel does), row heights in points.

One page per sheet that carries shapes (else the active sheet). Rows above the flowchart
table's header row ("Kegiatan"/"Uraian", with "Pelaksana") are the identity block and go to
``Picture.header_text``; the table's rows become ``Page.cells`` and ``texts``.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from converters.model import ConversionError
from converters.reading.drawn.office.package import (
    EMU_PER_POINT,
    MC,
    Package,
    R,
    drawing_items,
    drop_fallbacks,
    join_lines,
)
from converters.reading.drawn.picture import Box, Page, Picture, Shape, TextRun
from converters.reading.readers.xlsx_reader import _value

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_DIGIT_PX = 7  # maximum digit width of Calibri 11, Excel's default font
_MAX_GRID = 2000  # rows/columns taken into the grid: an SOP table is far smaller


def col_points(width_chars: float) -> float:
    """A column width in characters as points, the way Excel rounds it to whole pixels."""
    px = math.trunc(((256 * width_chars + math.trunc(128 / _DIGIT_PX)) / 256) * _DIGIT_PX)
    return px * 0.75


@dataclass(frozen=True)
class _Grid:
    """Edges of the sheet's columns and rows in points (index 0 = column A / row 1)."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def x(self, col: int, off_emu: float = 0.0) -> float:
        col = min(max(col, 0), len(self.xs) - 2)
        span = self.xs[col + 1] - self.xs[col]
        return self.xs[col] + min(max(off_emu / EMU_PER_POINT, 0.0), span)

    def y(self, row: int, off_emu: float = 0.0) -> float:
        row = min(max(row, 0), len(self.ys) - 2)
        span = self.ys[row + 1] - self.ys[row]
        return self.ys[row] + min(max(off_emu / EMU_PER_POINT, 0.0), span)


def _grid(ws: Any, cols: int, rows: int) -> _Grid:
    fmt = ws.sheet_format
    if fmt.defaultColWidth:
        default_w = col_points(float(fmt.defaultColWidth))
    else:  # baseColWidth digits plus 5 px of padding, rounded up to a multiple of 8 px
        base = int(fmt.baseColWidth or 8)
        default_w = math.ceil((base * _DIGIT_PX + 5) / 8) * 8 * 0.75
    widths = [default_w] * cols
    for dim in ws.column_dimensions.values():
        lo, hi = dim.min or 0, dim.max or 0
        for i in range(max(lo, 1), min(hi, cols) + 1):
            widths[i - 1] = 0.0 if dim.hidden else col_points(float(dim.width or 0))
    default_h = float(fmt.defaultRowHeight or 15)
    heights = [default_h] * rows
    for index, dim in ws.row_dimensions.items():
        if 1 <= index <= rows:
            heights[index - 1] = 0.0 if dim.hidden else float(dim.ht or default_h)
    xs, ys = [0.0], [0.0]
    for w in widths:
        xs.append(xs[-1] + w)
    for h in heights:
        ys.append(ys[-1] + h)
    return _Grid(tuple(xs), tuple(ys))


def _int(el: etree._Element | None, tag: str) -> int:
    child = el.find(f"{{{XDR}}}{tag}") if el is not None else None
    try:
        return int(float((child.text or "0") if child is not None else "0"))
    except ValueError:
        return 0


def _anchors(root: etree._Element) -> list[tuple[str, etree._Element]]:
    return [(etree.QName(a).localname, a) for a in root
            if isinstance(a.tag, str) and a.tag.startswith(f"{{{XDR}}}")]  # fmt: skip


def _anchor_box(kind: str, anchor: etree._Element, grid: _Grid) -> Box | None:
    def corner(tag: str) -> tuple[float, float] | None:
        el = anchor.find(f"{{{XDR}}}{tag}")
        if el is None:
            return None
        return (grid.x(_int(el, "col"), _int(el, "colOff")),
                grid.y(_int(el, "row"), _int(el, "rowOff")))  # fmt: skip

    def size() -> tuple[float, float]:
        ext = anchor.find(f"{{{XDR}}}ext")
        if ext is None:
            return 0.0, 0.0
        try:
            return (float(ext.get("cx", "0")) / EMU_PER_POINT,
                    float(ext.get("cy", "0")) / EMU_PER_POINT)  # fmt: skip
        except ValueError:
            return 0.0, 0.0

    if kind == "twoCellAnchor":
        a, b = corner("from"), corner("to")
        if a is None or b is None:
            return None
        return Box(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
    if kind == "oneCellAnchor":
        a = corner("from")
        if a is None:
            return None
        w, h = size()
        return Box(a[0], a[1], a[0] + w, a[1] + h)
    if kind == "absoluteAnchor":
        pos = anchor.find(f"{{{XDR}}}pos")
        if pos is None:
            return None
        try:
            x = float(pos.get("x", "0")) / EMU_PER_POINT
            y = float(pos.get("y", "0")) / EMU_PER_POINT
        except ValueError:
            return None
        w, h = size()
        return Box(x, y, x + w, y + h)
    return None


def _objects(anchor: etree._Element) -> list[etree._Element]:
    """The drawing objects of an anchor (through ``mc:AlternateContent`` choices)."""
    out: list[etree._Element] = []
    for child in anchor:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{{{MC}}}AlternateContent":
            choice = child.find(f"{{{MC}}}Choice")
            if choice is None:
                choice = child.find(f"{{{MC}}}Fallback")
            if choice is not None:
                out.extend(c for c in choice if etree.QName(c).localname in (
                    "sp", "cxnSp", "grpSp"))  # fmt: skip
        elif etree.QName(child).localname in ("sp", "cxnSp", "grpSp"):
            out.append(child)
    return out


def drawing_parts(pkg: Package) -> dict[str, str]:
    """Sheet name -> its drawing part, following workbook and sheet relationships."""
    if not pkg.has("xl/workbook.xml"):
        raise ConversionError("Berkas XLSX tanpa workbook (no xl/workbook.xml)")
    book = pkg.xml("xl/workbook.xml")
    rels = pkg.relationships("xl/workbook.xml")
    out: dict[str, str] = {}
    for sheet in book.iter(f"{{{SML}}}sheet"):
        target = rels.get(sheet.get(f"{{{R}}}id", ""), ("", ""))[1]
        if not target or not pkg.has(target):
            continue
        for rel_type, part in pkg.relationships(target).values():
            if rel_type == _DRAWING_REL and pkg.has(part):
                out[sheet.get("name", "")] = part
    return out


def _text(value: object) -> str:
    """A cell value as the text readers write it (dates in Indonesian, whole floats as ints)."""
    return _value(value)


def _header_row(values: list[list[str]]) -> int:
    """The 1-based row where the flowchart table starts (its "Kegiatan" header), else 1."""
    for r in range(min(len(values), 200)):
        here = " ".join(values[r]).lower()
        below = " ".join(values[r + 1]).lower() if r + 1 < len(values) else ""
        if ("kegiatan" in here or "uraian" in here) and "pelaksana" in here + " " + below:
            return r + 1
    return 1


HEADER_ROWS = 2
"""Rows an SOP table's header takes at most (the column titles, the role and Mutu Baku names)."""


def _repeated_header_rows(values: list[list[str]], start: int) -> set[int]:
    """The 1-based rows below the header that repeat one of its rows word for word: a sheet
    laid out for printing over pages, its header typed again after a page break. They take
    their room but give no cells or words, or their titles would read as one more line of
    the step above."""
    if start < 1 or start > len(values):
        return set()

    def words(r: int) -> str:
        return " ".join(" ".join(values[r - 1]).split()).lower()

    header = {words(r) for r in range(start, min(start + HEADER_ROWS, len(values) + 1))}
    header.discard("")
    return {r for r in range(start + HEADER_ROWS, len(values) + 1) if words(r) in header}


def _page(number: int, ws: Any, drawing: etree._Element | None
          ) -> tuple[Page, list[str], tuple[TextRun, ...]]:  # fmt: skip
    """The sheet's page, its identity rows as lines, and the same rows as words where their
    cells stand (for a workbook of several SOPs, whose pages are read apart)."""
    anchors = _anchors(drawing) if drawing is not None else []
    rows = min(max(ws.max_row or 1, 1), _MAX_GRID)
    cols = min(max(ws.max_column or 1, 1), _MAX_GRID)
    for _, anchor in anchors:  # the grid must reach every anchor
        for corner in ("from", "to"):
            el = anchor.find(f"{{{XDR}}}{corner}")
            if el is not None:
                cols = min(max(cols, _int(el, "col") + 2), _MAX_GRID)
                rows = min(max(rows, _int(el, "row") + 2), _MAX_GRID)
    grid = _grid(ws, cols, rows)
    used_cols = min(ws.max_column or 1, _MAX_GRID)
    used_rows = min(ws.max_row or 1, _MAX_GRID)
    # read the values once: ws.cell() would create cells (and grow the sheet) as it looks
    values = [[_text(v) for v in row] for row in ws.iter_rows(
        min_row=1, max_row=used_rows, max_col=used_cols, values_only=True)]  # fmt: skip
    start = _header_row(values)
    header: list[str] = []
    above: list[TextRun] = []
    for r in range(1, start):
        line = list(values[r - 1])
        while line and not line[-1]:
            line.pop()
        header.append("\t".join(line))
        above.extend(
            TextRun(text, Box(grid.xs[c], grid.ys[r - 1], grid.xs[c + 1], grid.ys[r]))
            for c, text in enumerate(line)
            if text
        )
    merged: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    repeats = _repeated_header_rows(values, start)
    cells: list[Box] = []
    texts: list[TextRun] = []
    for r in range(start, used_rows + 1):
        if r in repeats:
            continue
        for c in range(1, used_cols + 1):
            if (r, c) in covered:
                continue
            r0, c0, r1, c1 = merged.get((r, c), (r, c, r, c))
            box = Box(grid.xs[c0 - 1], grid.ys[r0 - 1], grid.xs[min(c1, cols)],
                      grid.ys[min(r1, rows)])  # fmt: skip
            if box.width <= 0 or box.height <= 0:
                continue
            cells.append(box)
            text = values[r - 1][c - 1]
            if text:
                # a value merged down several rows is one step's, whose row begins at the
                # range's top: its words stand in the first row, as a step's number does, so
                # the rows below read as that step's continuation and not as its text again
                band = Box(box.x0, box.top, box.x1, grid.ys[min(r0, rows)]) if r1 > r0 else box
                texts.append(TextRun(text, band))
    shapes: list[Shape] = []
    for kind, anchor in anchors:
        frame = _anchor_box(kind, anchor, grid)
        if frame is None:
            continue
        for obj in _objects(anchor):
            for item in drawing_items(obj, frame):
                if isinstance(item, Shape):
                    shapes.append(item)
                elif item.text:
                    texts.append(item)
    width, height = grid.xs[-1], grid.ys[-1]
    return Page(number, width, height, tuple(cells), tuple(texts),
                join_lines(tuple(shapes))), header, tuple(above)  # fmt: skip


def read_xlsx_picture(data: bytes) -> Picture:
    """The drawn picture of an Excel SOP (see the module docstring for the mapping)."""
    from openpyxl import load_workbook

    pkg = Package(data, "XLSX")
    parts = drawing_parts(pkg)
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken workbooks
        raise ConversionError("Berkas XLSX rusak atau tidak dapat dibuka (bad xlsx)") from exc
    pages: list[Page] = []
    header: list[str] = []
    notes: list[str] = []
    words: list[tuple[TextRun, ...]] = []
    sheets = [ws for ws in wb.worksheets if ws.title in parts] or [wb.active]
    for ws in sheets:
        drawing = None
        if ws.title in parts:
            drawing = pkg.xml(parts[ws.title])
            drop_fallbacks(drawing)
        page, lines, above = _page(len(pages) + 1, ws, drawing)
        pages.append(page)
        header.extend(lines)
        words.append(above)
        if drawing is None:
            notes.append(f"xlsx: sheet {ws.title!r} has no drawing: no symbols")
    if len(pages) > 1:  # one SOP per sheet, perhaps: each keeps its identity rows as words
        pages = [replace(p, texts=p.texts + w) for p, w in zip(pages, words, strict=True)]
        return Picture("xlsx-shapes", tuple(pages), "", tuple(notes))
    return Picture("xlsx-shapes", tuple(pages), "\n".join(header).strip(), tuple(notes))


__all__ = ["XDR", "col_points", "drawing_parts", "read_xlsx_picture"]
