"""Word (.docx) SOPs as drawn: the flowchart table's cells, words and shapes on one page plane.

The SOP AP table is a Word table; its symbols are shapes anchored in the role cells, DrawingML
(``wps:wsp``, groups ``wpg:wgp``) or legacy VML (``v:rect``, ``v:shape``, ``v:line``, see
:mod:`.docx_vml`). Word does not store where it laid anything out, so positions are rebuilt:

* column x positions are exact: ``w:tblGrid`` widths, ``w:gridSpan``, table indent;
* row heights are known only approximately: ``w:trHeight`` when given (exact, or a minimum),
  otherwise estimated from the text lines, and grown so every symbol anchored in the row fits
  (authors size rows around their symbols). So a shape is first tied to its anchoring CELL
  (the cell whose paragraph holds the anchor) and its offsets are applied inside that cell;
  an estimation error then moves a symbol with its row instead of into a neighbour's;
* the body is one tall page: Word's pagination is not stored either, and the table reads the
  same without it (off-page connectors stay shapes).

Only tables that carry shapes, or whose text has the "Pelaksana" and "Kegiatan" headers, become
``Page.cells``/``texts``; every other paragraph and table goes to ``Picture.header_text`` as
tab-separated lines, the text the header parser already reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lxml import etree

from converters.reading.drawn.office.docx_vml import VML, vml_items, vml_offsets
from converters.reading.drawn.office.package import (
    EMU_PER_POINT,
    Package,
    drawing_items,
    drop_fallbacks,
    join_lines,
)
from converters.reading.drawn.picture import Box, Page, Picture, Shape, ShapeKind, TextRun
from converters.reading.readers.docx_reader import _Numbering, _paragraph_text, cell_span

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_DRAG = 24.0  # points below the text beyond which a symbol belongs to a later row


def _twips(el: etree._Element | None, attr: str = "w", default: float = 0.0) -> float:
    """A twentieth-of-a-point measure as points; percentages and "auto" give the default."""
    if el is None:
        return default
    raw = el.get(_w(attr))
    if raw is None or el.get(_w("type")) in ("pct", "auto", "nil"):
        return default
    try:
        return float(raw) / 20.0
    except ValueError:
        return default


@dataclass(frozen=True)
class _Section:
    width: float = 595.3
    height: float = 841.9
    left: float = 72.0
    right: float = 72.0
    top: float = 72.0
    bottom: float = 72.0


@dataclass(frozen=True)
class _Anchor:
    """A drawing held by a paragraph: how its box is positioned, and the XML that draws it.

    ``x``/``y`` are offsets from the reference named by ``x_from``/``y_from``: "cell" (the
    anchoring cell's text area, Word's ``column``), "paragraph", "margin", "page".
    """

    x_from: str
    x: float
    y_from: str
    y: float
    width: float
    height: float
    graphic: etree._Element
    vml: bool = False
    align_x: str = ""
    align_y: str = ""
    line: bool = False  # a VML line (DrawingML lines are recognised from their XML)
    in_cell: bool = True  # ``layoutInCell``: laid out inside the table cell that holds it


@dataclass
class _Para:
    """A paragraph's estimated band inside its cell (or on the body)."""

    text: str
    top: float
    height: float
    anchors: list[_Anchor] = field(default_factory=list)


@dataclass
class _Cell:
    row: int
    col: int
    span: int
    rows: int
    paras: list[_Para]
    owner: _Cell | None = None  # the restarting cell of a vertical merge


class _Reader:
    """One document's reading state: fonts, numbering, section, and the growing results."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.doc = pkg.xml("word/document.xml")
        drop_fallbacks(self.doc)
        styles = pkg.xml("word/styles.xml") if pkg.has("word/styles.xml") else None
        numbering = pkg.xml("word/numbering.xml") if pkg.has("word/numbering.xml") else None
        self.numbering = _Numbering(styles, numbering)
        # paragraph spacing and font size by style: docDefaults, then the default paragraph
        # style, then (in tables) the table style, then the paragraph's style, then its own
        self.styles: dict[str, tuple[dict[str, str], float | None]] = {}
        self.base: dict[str, str] = {}
        self.font = 10.0  # Word's size when nothing states one
        if styles is not None:
            defaults = styles.find(_w("docDefaults"))
            if defaults is not None:
                self.base = _spacing(defaults.find(f".//{_w('pPr')}"))
                size = _size(defaults.find(f".//{_w('rPr')}"))
                self.font = size or self.font
            for style in styles.iter(_w("style")):
                ppr, rpr = style.find(_w("pPr")), style.find(_w("rPr"))
                if style.get(_w("type")) == "table":
                    tbl_ppr = style.find(_w("pPr"))
                    ppr = tbl_ppr if tbl_ppr is not None else ppr
                entry = (_spacing(ppr), _size(rpr))
                self.styles[style.get(_w("styleId"), "")] = entry
                if style.get(_w("default")) in ("1", "true") and style.get(_w("type")) == (
                        "paragraph"):  # fmt: skip
                    self.base = {**self.base, **entry[0]}
                    self.font = entry[1] or self.font
        self.table_style = ""  # the style of the table being laid out
        self.section = self._section()
        self.notes: list[str] = []
        self.estimated = False  # some flowchart row's height is our estimate, not Word's

    def _section(self) -> _Section:
        body = self.doc.find(_w("body"))
        sect = body.find(_w("sectPr")) if body is not None else None
        if sect is None:
            return _Section()
        size, mar = sect.find(_w("pgSz")), sect.find(_w("pgMar"))
        d = _Section()
        return _Section(
            _twips(size, "w", d.width), _twips(size, "h", d.height),
            _twips(mar, "left", d.left), _twips(mar, "right", d.right),
            _twips(mar, "top", d.top), _twips(mar, "bottom", d.bottom),
        )  # fmt: skip

    # --- paragraphs -------------------------------------------------------------------

    def paragraph(self, p: etree._Element, width: float, top: float) -> _Para:
        """Text, estimated height (lines of an average glyph width) and anchored drawings."""
        text = _paragraph_text(p).strip()
        prefix = self.numbering.prefix(p) if text else ""
        ppr = p.find(_w("pPr"))
        pstyle = ppr.find(_w("pStyle")) if ppr is not None else None
        own_style = self.styles.get(pstyle.get(_w("val"), "") if pstyle is not None else "")
        table_style = self.styles.get(self.table_style) if self.table_style else None
        spacing = dict(self.base)
        size = self.font
        for layer in (table_style, own_style):
            if layer is not None:
                spacing.update(layer[0])
                size = layer[1] or size
        spacing.update(_spacing(ppr))
        for sz in p.iter(_w("sz")):
            if (sz.get(_w("val")) or "").isdigit():
                size = max(size, int(sz.get(_w("val")) or "0") / 2.0)
        single = size * 1.17
        rule, value = spacing.get("lineRule", "auto"), _number(spacing.get("line"))
        if value is None:
            line = single
        elif rule == "exact":
            line = value / 20.0
        elif rule == "atLeast":
            line = max(single, value / 20.0)
        else:
            line = single * value / 240.0
        per_line = max(1, int(width / (size * 0.5)))
        breaks = sum(1 for _ in p.iter(_w("br")))
        lines = max(1, math.ceil(len(text) / per_line) + breaks) if text else 1
        height = lines * line + (_number(spacing.get("before")) or 0.0) / 20.0
        height += (_number(spacing.get("after")) or 0.0) / 20.0
        anchors = self.anchors(p)
        inline = [a.height for a in anchors if a.y_from == "inline"]
        height = max([height, *inline])
        return _Para(prefix + text, top, height, anchors)

    def anchors(self, p: etree._Element) -> list[_Anchor]:
        out: list[_Anchor] = []
        for drawing in p.iter(_w("drawing")):
            for holder in drawing:
                anchor = self._drawingml(holder)
                if anchor is not None:
                    out.append(anchor)
        for pict in p.iter(_w("pict")):
            for el in pict:
                vml = isinstance(el.tag, str) and el.tag.startswith(f"{{{VML}}}")
                if vml and not el.tag.endswith("shapetype"):
                    ref, top, height, line = vml_offsets(el)
                    out.append(_Anchor("vml", 0, ref, top, 0, height, el, vml=True, line=line))
        return out

    def _drawingml(self, holder: etree._Element) -> _Anchor | None:
        extent = holder.find(f"{{{WP}}}extent")
        data = holder.find(f"{{{A}}}graphic/{{{A}}}graphicData")
        if extent is None or data is None or len(data) == 0:
            return None
        try:
            width = float(extent.get("cx", "0")) / EMU_PER_POINT
            height = float(extent.get("cy", "0")) / EMU_PER_POINT
        except ValueError:
            return None
        if holder.tag == f"{{{WP}}}inline":
            return _Anchor("cell", 0, "inline", 0, width, height, data[0])
        refs: list[tuple[str, float, str]] = []
        for axis in ("positionH", "positionV"):
            pos = holder.find(f"{{{WP}}}{axis}")
            rel = pos.get("relativeFrom", "") if pos is not None else ""
            off = pos.find(f"{{{WP}}}posOffset") if pos is not None else None
            align = pos.find(f"{{{WP}}}align") if pos is not None else None
            try:
                value = float(off.text or "0") / EMU_PER_POINT if off is not None else 0.0
            except ValueError:
                value = 0.0
            refs.append((rel, value, (align.text or "").strip() if align is not None else ""))
        (hrel, hoff, halign), (vrel, voff, valign) = refs
        x_from = {"column": "cell", "character": "cell", "page": "page"}.get(hrel, "margin")
        y_from = {"paragraph": "paragraph", "line": "paragraph", "page": "page"}.get(
            vrel, "margin"
        )
        in_cell = holder.get("layoutInCell", "1") not in ("0", "false", "off")
        return _Anchor(x_from, hoff, y_from, voff, width, height, data[0], False, halign, valign,
                       in_cell=in_cell)  # fmt: skip

    # --- tables -----------------------------------------------------------------------

    def is_flowchart(self, tbl: etree._Element) -> bool:
        if any(True for _ in tbl.iter(_w("drawing"), _w("pict"))):
            return True
        text = " ".join(t.text or "" for t in tbl.iter(_w("t"))).lower()
        return "pelaksana" in text and ("kegiatan" in text or "uraian" in text)

    def table(
        self, tbl: etree._Element, left: float, top: float
    ) -> tuple[float, list[Box], list[TextRun], list[Shape | TextRun]]:
        """Lay one flowchart table out: (height, cell boxes, cell texts, shapes and labels)."""
        props = tbl.find(_w("tblPr"))
        style = props.find(_w("tblStyle")) if props is not None else None
        self.table_style = style.get(_w("val"), "") if style is not None else ""
        cols = [_twips(g, "w", 0.0) for g in tbl.findall(f"{_w('tblGrid')}/{_w('gridCol')}")]
        margins = {"left": 5.4, "right": 5.4, "top": 0.0, "bottom": 0.0}
        if props is not None:
            mar = props.find(_w("tblCellMar"))
            if mar is not None:
                for side, alt in (("left", "start"), ("right", "end"), ("top", ""), ("bottom", "")):
                    el = mar.find(_w(side))
                    if el is None and alt:
                        el = mar.find(_w(alt))
                    if el is not None:
                        margins[side] = _twips(el, "w", margins[side])
            left += _twips(props.find(_w("tblInd")), "w", 0.0)
        rows_xml = tbl.findall(_w("tr"))
        grid: dict[tuple[int, int], _Cell] = {}
        cells: list[_Cell] = []
        specs: list[tuple[int, float, bool]] = []  # (row, trHeight, exact)
        for r, tr in enumerate(rows_xml):
            trpr = tr.find(_w("trPr"))
            c = 0
            if trpr is not None:
                before = trpr.find(_w("gridBefore"))
                if before is not None and (before.get(_w("val")) or "").isdigit():
                    c = int(before.get(_w("val")) or "0")
            height_el = trpr.find(_w("trHeight")) if trpr is not None else None
            exact = height_el is not None and height_el.get(_w("hRule")) == "exact"
            self.estimated = self.estimated or not exact
            specs.append((r, _twips(height_el, "val", 0.0), exact))
            for tc in tr.findall(_w("tc")):
                tcpr = tc.find(_w("tcPr"))
                span, merge = cell_span(tc)
                while len(cols) < c + span:  # a grid shorter than the rows: use the cell width
                    width = _twips(tcpr.find(_w("tcW")) if tcpr is not None else None, "w", 72.0)
                    cols.append(width / span)
                width = sum(cols[c : c + span]) - margins["left"] - margins["right"]
                paras: list[_Para] = []
                y = margins["top"]
                for p in _cell_paragraphs(tc):
                    para = self.paragraph(p, max(width, 10.0), y)
                    paras.append(para)
                    y += para.height
                cell = _Cell(r, c, span, 1, paras)
                if merge == "continue" and (r - 1, c) in grid:
                    owner = grid[(r - 1, c)]
                    owner = owner.owner or owner
                    owner.rows += 1
                    cell.owner = owner
                for k in range(span):
                    grid[(r, c + k)] = cell
                cells.append(cell)
                c += span
        xs = [left]
        for w in cols:
            xs.append(xs[-1] + w)
        heights: list[float] = []
        for r, tr_height, exact in specs:
            need = tr_height
            if not exact:
                row_cells = [cell for cell in cells if cell.row == r]
                for cell in row_cells:
                    if cell.owner is None and cell.rows == 1:
                        need = max(need, sum(p.height for p in cell.paras) + margins["top"]
                                   + margins["bottom"])  # fmt: skip
                text_need = need
                for cell in row_cells:
                    for para in cell.paras:
                        for a in para.anchors:
                            top_in_row = para.top + max(a.y, 0.0)
                            # a symbol that starts inside the row grows it to fit; one pushed
                            # far below the row's text (more than its own height plus a margin,
                            # about a row) was dragged into a later row: Word keeps the anchor
                            # where it was, so it must not stretch this row
                            # a group or canvas holds the flowchart of many rows: it spans
                            # them by design and sizes none
                            if (a.y_from == "paragraph" and not _is_line(a)
                                    and not _holds_many(a)
                                    and top_in_row < max(text_need, a.height + _DRAG)):  # fmt: skip
                                need = max(need, top_in_row + a.height + 2.0)
            heights.append(max(need, self.font * 1.17))
        ys = [top]
        for h in heights:
            ys.append(ys[-1] + h)

        boxes: list[Box] = []
        texts: list[TextRun] = []
        items: list[Shape | TextRun] = []
        for cell in cells:
            x0, x1 = xs[cell.col], xs[min(cell.col + cell.span, len(cols))]
            row_top, row_bottom = ys[cell.row], ys[cell.row + 1]
            if cell.owner is None:
                box = Box(x0, row_top, x1, ys[min(cell.row + cell.rows, len(heights))])
                boxes.append(box)
                for para in cell.paras:
                    if para.text:
                        band_top = min(box.top + para.top, box.bottom - 1.0)
                        band = Box(box.x0 + 1.0, band_top, box.x1 - 1.0,
                                   min(band_top + para.height, box.bottom))  # fmt: skip
                        texts.append(TextRun(para.text, band))
            inner = Box(x0 + margins["left"], row_top + margins["top"], x1 - margins["right"],
                        row_bottom)  # fmt: skip
            for para in cell.paras:
                for a in para.anchors:
                    items.extend(self.place(a, inner, inner.top + para.top - margins["top"],
                                            in_table=True))  # fmt: skip
        self.table_style = ""
        return ys[-1] - top, boxes, texts, items

    # --- placing anchors --------------------------------------------------------------

    def place(
        self, a: _Anchor, cell: Box, para_top: float, in_table: bool = False
    ) -> list[Shape | TextRun]:
        """The drawing of one anchor on the page; ``cell`` is the anchoring cell's text area
        (the body text area for paragraphs outside tables).

        A page- or margin-positioned drawing held by a table cell with ``layoutInCell`` on is
        laid out inside that cell (Word keeps it there); with it off, or held by a body
        paragraph, it stands where its offsets put it on the page."""
        s = self.section
        if a.vml:
            return vml_items(a.graphic, cell.x0, para_top, self._page_top(cell.top), s.left)
        if a.x_from == "page":
            ref_x0, ref_x1 = 0.0, s.width
        elif a.x_from == "margin":
            ref_x0, ref_x1 = s.left, s.width - s.right
        else:
            ref_x0, ref_x1 = cell.x0, cell.x1
        x = _aligned(a.align_x, ref_x0, ref_x1, a.width, ref_x0 + a.x)
        if a.y_from == "inline":
            y = para_top
        elif a.y_from == "paragraph":
            y = _aligned(a.align_y, para_top, cell.bottom, a.height, para_top + a.y)
        else:  # page or margin: which page is unknown, take the page the cell is on
            page_top = self._page_top(cell.top)
            if a.y_from == "margin":
                page_top += s.top
            y = _aligned(a.align_y, page_top, page_top + s.height, a.height, page_top + a.y)
            if (in_table and a.in_cell and not _is_line(a)
                    and not (cell.top - a.height <= y <= cell.bottom)):  # fmt: skip
                y = min(max(y, cell.top), max(cell.top, cell.bottom - a.height))
                self.notes.append("docx: a page-anchored symbol was kept in its anchoring cell")
        return drawing_items(a.graphic, Box(x, y, x + a.width, y + a.height))

    def _page_top(self, y: float) -> float:
        return math.floor(y / self.section.height) * self.section.height

    # --- the body -------------------------------------------------------------------

    def read(self) -> Picture:
        body = self.doc.find(_w("body"))
        s = self.section
        y = s.top
        header: list[str] = []
        boxes: list[Box] = []
        texts: list[TextRun] = []
        items: list[Shape | TextRun] = []
        text_area = s.width - s.left - s.right
        for el in body if body is not None else ():
            if el.tag == _w("p"):
                para = self.paragraph(el, text_area, y)
                header.append(para.text.replace("\t", "  "))
                area = Box(s.left, y, s.width - s.right, y + para.height)
                for a in para.anchors:
                    items.extend(self.place(a, area, y))
                y += para.height
            elif el.tag == _w("tbl"):
                if self.is_flowchart(el):
                    height, b, t, i = self.table(el, s.left, y)
                    boxes += b
                    texts += t
                    items += i
                    y += height
                else:
                    lines = self.plain_table(el)
                    header.extend(lines)
                    y += len(lines) * self.font * 1.17
        shapes = join_lines(tuple(i for i in items if isinstance(i, Shape)))
        if self.estimated:
            shapes = reseat_heads(shapes)
            self.notes.append("docx: tinggi baris diperkirakan; ujung panah disandarkan ke "
                              "simbol yang dituju (row heights estimated)")
        labels = tuple(i for i in items if isinstance(i, TextRun))
        page = Page(1, s.width, max(s.height, y + s.bottom), tuple(boxes), tuple(texts) + labels,
                    shapes)  # fmt: skip
        return Picture("docx-shapes", (page,), "\n".join(header).strip(),
                       tuple(dict.fromkeys(self.notes)))  # fmt: skip

    def plain_table(self, tbl: etree._Element) -> list[str]:
        """A table outside the flowchart as tabbed lines (identity block, header grid)."""
        lines = []
        for tr in tbl.findall(_w("tr")):
            cells: list[str] = []
            for tc in tr.findall(_w("tc")):
                span, merge = cell_span(tc)
                parts = []
                for p in tc.findall(_w("p")):
                    text = _paragraph_text(p).strip()
                    if text:
                        parts.append(self.numbering.prefix(p) + text)
                cells.append("" if merge == "continue" else " ".join(" ".join(parts).split()))
                cells.extend([""] * (span - 1))
            lines.append("\t".join(cells))
        return lines


ESTIMATE_SLACK = 60.0
"""Points by which a connector's head may miss its symbol when row heights are estimates."""


def reseat_heads(shapes: tuple[Shape, ...]) -> tuple[Shape, ...]:
    """Connectors whose head misses every symbol, their last stretch ended on the symbol it
    runs at.

    Word stores where a connector starts (offsets in the row that anchors it), not where the
    rows below lie; when their heights are estimated, a line drawn down three rows ends a
    little above or below its symbol, which moved with its own row. The symbol the head
    runs at is the nearest one across that last stretch's line, within
    :data:`ESTIMATE_SLACK` of the head, and ahead of where the stretch starts."""
    symbols = [s for s in shapes if s.kind is not ShapeKind.ARROW]
    out = []
    for a in shapes:
        if a.kind is not ShapeKind.ARROW or a.head is None or len(a.path) < 2:
            out.append(a)
            continue
        path = list(a.path) if a.path[-1] == a.head else list(a.path)[::-1]
        (px, py), (qx, qy) = path[-2], path[-1]
        if path[-1] != a.head or any(s.box.contains(qx, qy, 1.0) for s in symbols):
            out.append(a)
            continue
        best: tuple[float, tuple[float, float]] | None = None
        for s in symbols:
            b = s.box
            if abs(px - qx) < 0.5 and b.x0 <= qx <= b.x1:  # a vertical last stretch
                edge = b.top if qy > py else b.bottom
                end = (qx, edge)
                ahead = (edge - py) * (qy - py) > 0
            elif abs(py - qy) < 0.5 and b.top - ESTIMATE_SLACK <= qy <= b.bottom + ESTIMATE_SLACK:
                # a horizontal one: at the symbol's height, or (the row under a loop's
                # vertical stretch was estimated) level with it once that stretch is longer
                edge = b.x0 if qx > px else b.x1
                level = qy if b.top <= qy <= b.bottom else b.cy
                if level != qy and (len(path) < 3 or abs(path[-3][0] - px) >= 0.5):
                    continue  # only a vertical stretch before it can take up the change
                end = (edge, level)
                ahead = (edge - px) * (qx - px) > 0
            else:
                continue
            miss = abs(end[0] - qx) + abs(end[1] - qy)
            if ahead and miss <= ESTIMATE_SLACK and (best is None or miss < best[0]):
                best = (miss, end)
        if best is None:
            out.append(a)
            continue
        corner = path[-2] if best[1][1] == qy or abs(px - qx) < 0.5 else (px, best[1][1])
        moved = (*path[:-2], corner, best[1])
        xs, ys = [p[0] for p in moved], [p[1] for p in moved]
        out.append(Shape(a.kind, Box(min(xs), min(ys), max(xs), max(ys)), moved, best[1],
                         a.text))
    return tuple(out)


def _spacing(ppr: etree._Element | None) -> dict[str, str]:
    """The ``w:spacing`` attributes (before, after, line, lineRule) a ``w:pPr`` states."""
    el = ppr.find(_w("spacing")) if ppr is not None else None
    if el is None:
        return {}
    out = {}
    for key in ("before", "after", "line", "lineRule"):
        value = el.get(_w(key))
        if value is not None:
            out[key] = value
    return out


def _size(rpr: etree._Element | None) -> float | None:
    el = rpr.find(_w("sz")) if rpr is not None else None
    value = _number(el.get(_w("val")) if el is not None else None)
    return value / 2.0 if value else None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _cell_paragraphs(tc: etree._Element) -> list[etree._Element]:
    """The cell's paragraphs, nested tables included, text box contents excluded (they belong
    to their shape)."""
    out = []
    for p in tc.iter(_w("p")):
        parent = p.getparent()
        while parent is not None and parent is not tc and parent.tag != _w("txbxContent"):
            parent = parent.getparent()
        if parent is tc:
            out.append(p)
    return out


def _is_line(a: _Anchor) -> bool:
    if a.vml:
        return a.line
    return any(
        isinstance(el.tag, str) and (el.tag.endswith("}cNvCnPr") or el.get("prst", "").endswith(
            ("Connector1", "Connector2", "Connector3", "Connector4", "Connector5")) or el.get(
            "prst") == "line")
        for el in a.graphic.iter()
    )  # fmt: skip


def _holds_many(a: _Anchor) -> bool:
    """A drawing that holds other shapes: a DrawingML group or canvas, a VML group."""
    name = etree.QName(a.graphic).localname if isinstance(a.graphic.tag, str) else ""
    return name in ("wgp", "wpc", "grpSp", "group")


def _aligned(align: str, lo: float, hi: float, size: float, offset: float) -> float:
    """``wp:align`` (left/center/right, top/center/bottom) inside a reference, else the offset."""
    if align in ("center",):
        return (lo + hi - size) / 2
    if align in ("right", "bottom", "outside"):
        return hi - size
    if align in ("left", "top", "inside"):
        return lo
    return offset


def read_docx_picture(data: bytes) -> Picture:
    """The drawn picture of a Word SOP (see the module docstring for how shapes are placed)."""
    return _Reader(Package(data, "DOCX")).read()


__all__ = ["read_docx_picture"]
