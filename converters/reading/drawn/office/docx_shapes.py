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
  same without it. What is stored is kept: each section's page size and margins (a portrait
  identity page, a landscape flowchart), where a section or an explicit page break starts a
  new page, so a page- or margin-positioned shape stands on its own section's page. A table
  Word splits over pages simply goes on; an author's second table with the header repeated
  continues the first (its repeated header rows give no cells). The off-page connectors that
  join the halves stay shapes, and the branch reader follows them to their twin.

A template's layout frame around the SOP (an outer table whose cells hold the identity block
and the step table) is opened first (:func:`~converters.reading.readers.docx_reader.body_blocks`).
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
    MC,
    Package,
    drawing_items,
    drop_fallbacks,
    join_lines,
)
from converters.reading.drawn.picture import Box, Page, Picture, Shape, ShapeKind, TextRun
from converters.reading.readers.docx_reader import (
    _Numbering,
    _paragraph_text,
    body_blocks,
    cell_paragraphs,
    cell_span,
    names_sop_columns,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP14 = "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing"


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


@dataclass(frozen=True, eq=False)
class _Section:
    """One section's page (points): size, margins, and how it starts (``w:type``)."""

    width: float = 595.3
    height: float = 841.9
    left: float = 72.0
    right: float = 72.0
    top: float = 72.0
    bottom: float = 72.0
    start: str = "nextPage"


_H_FRAMES = ("page", "margin", "leftMargin", "rightMargin", "insideMargin", "outsideMargin")
_V_FRAMES = ("page", "margin", "topMargin", "bottomMargin", "insideMargin", "outsideMargin")
"""``relativeFrom`` frames of the page (ECMA-376 20.4.3.4/5); ``column``/``character`` and
``paragraph``/``line`` are the anchoring cell's or paragraph's. Inside and outside margins
are taken as on an odd page (left/top inside, right/bottom outside)."""


def _h_frame(name: str, s: _Section) -> tuple[float, float] | None:
    """A horizontal frame of the page as (left, right) in page points; None: the cell's."""
    return {
        "page": (0.0, s.width), "margin": (s.left, s.width - s.right),
        "leftMargin": (0.0, s.left), "insideMargin": (0.0, s.left),
        "rightMargin": (s.width - s.right, s.width), "outsideMargin": (s.width - s.right, s.width),
    }.get(name)  # fmt: skip


def _v_frame(name: str, s: _Section, page_top: float) -> tuple[float, float]:
    """A vertical frame of the page as (top, bottom) on the page starting at ``page_top``."""
    lo, hi = {
        "page": (0.0, s.height), "topMargin": (0.0, s.top), "insideMargin": (0.0, s.top),
        "bottomMargin": (s.height - s.bottom, s.height),
        "outsideMargin": (s.height - s.bottom, s.height),
    }.get(name, (s.top, s.height - s.bottom))  # fmt: skip
    return page_top + lo, page_top + hi


def _section_of(sect: etree._Element) -> _Section:
    """A ``w:sectPr`` as a page: ``pgSz`` (``w:orient`` only tells how to print; the width
    and height already say which way the page lies) and ``pgMar``; what it omits, Word's
    defaults (A4 portrait, 72 pt margins)."""
    size, mar, kind = sect.find(_w("pgSz")), sect.find(_w("pgMar")), sect.find(_w("type"))
    d = _Section()
    width, height = _twips(size, "w", d.width), _twips(size, "h", d.height)
    if size is not None and size.get(_w("w")) is None and size.get(_w("h")) is None and (
            size.get(_w("orient")) == "landscape"):  # fmt: skip
        width, height = height, width  # only the orientation stated: the default page turned
    return _Section(
        width, height,
        _twips(mar, "left", d.left), _twips(mar, "right", d.right),
        abs(_twips(mar, "top", d.top)), abs(_twips(mar, "bottom", d.bottom)),
        (kind.get(_w("val")) or "nextPage") if kind is not None else "nextPage",
    )  # fmt: skip


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
    x_pct: float | None = None  # ``wp14:pctPosHOffset``: the offset as a share of the frame
    y_pct: float | None = None


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
        self.section = _Section()  # the section being laid out
        self.page_origin = 0.0  # where its first page starts on the one tall page
        self.notes: list[str] = []
        self.header_rows: list[str] = []  # the words of the flowchart table's header rows
        self.estimated = False  # some flowchart row's height is our estimate, not Word's

    def _sections(self) -> list[tuple[etree._Element, _Section]]:
        """Each body element with the section it belongs to.

        A section's properties (``w:sectPr``) stand at its end: in the ``w:pPr`` of its last
        paragraph, the last section's as the body's final child (ECMA-376 17.6.17). So an
        element belongs to the first ``sectPr`` at or after it; a document with a portrait
        identity page and a landscape flowchart has two, each with its own page size and
        margins."""
        body = self.doc.find(_w("body"))
        out: list[tuple[etree._Element, _Section]] = []
        waiting: list[etree._Element] = []
        for el in body_blocks(body) if body is not None else ():
            if el.tag == _w("sectPr"):
                section = _section_of(el)
                out.extend((e, section) for e in waiting)
                waiting = []
                continue
            waiting.append(el)
            own = el.find(f"{_w('pPr')}/{_w('sectPr')}") if el.tag == _w("p") else None
            if own is not None:
                section = _section_of(own)
                out.extend((e, section) for e in waiting)
                waiting = []
        default = _Section()  # no final sectPr: Word's defaults
        out.extend((e, default) for e in waiting)
        return out

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
        refs: list[tuple[str, float, str, float | None]] = []
        for axis, pct_name in (("positionH", "pctPosHOffset"), ("positionV", "pctPosVOffset")):
            # Word 2010 writes a percentage position (``wp14:pctPos*Offset``) inside
            # ``mc:AlternateContent``; the choice is kept (:func:`drop_fallbacks`)
            pos = holder.find(f"{{{WP}}}{axis}")
            if pos is None:
                pos = holder.find(f"{{{MC}}}AlternateContent/{{{MC}}}Choice/{{{WP}}}{axis}")
            rel = pos.get("relativeFrom", "") if pos is not None else ""
            off = pos.find(f"{{{WP}}}posOffset") if pos is not None else None
            align = pos.find(f"{{{WP}}}align") if pos is not None else None
            pct_el = pos.find(f"{{{WP14}}}{pct_name}") if pos is not None else None
            value, pct = 0.0, None
            try:
                value = float(off.text or "0") / EMU_PER_POINT if off is not None else 0.0
                if pct_el is not None:  # ST_Percentage: thousandths of a percent
                    pct = float(pct_el.text or "0") / 100000.0
            except ValueError:
                pass
            aligned = (align.text or "").strip() if align is not None else ""
            refs.append((rel, value, aligned, pct))
        (hrel, hoff, halign, hpct), (vrel, voff, valign, vpct) = refs
        x_from = "cell" if hrel in ("column", "character") else (
            hrel if hrel in _H_FRAMES else "margin")  # fmt: skip
        y_from = "paragraph" if vrel in ("paragraph", "line") else (
            vrel if vrel in _V_FRAMES else "margin")  # fmt: skip
        in_cell = holder.get("layoutInCell", "1") not in ("0", "false", "off")
        return _Anchor(x_from, hoff, y_from, voff, width, height, data[0], False, halign, valign,
                       in_cell=in_cell, x_pct=hpct, y_pct=vpct)  # fmt: skip

    # --- tables -----------------------------------------------------------------------

    def is_flowchart(self, tbl: etree._Element) -> bool:
        if any(True for _ in tbl.iter(_w("drawing"), _w("pict"))):
            return True
        return names_sop_columns(tbl)

    def table(
        self, tbl: etree._Element, left: float, top: float, continued: bool = False
    ) -> tuple[float, list[Box], list[TextRun], list[Shape | TextRun]]:
        """Lay one flowchart table out: (height, cell boxes, cell texts, shapes and labels).

        ``continued``: the table goes on from the flowchart table just before it (an author's
        second table on the next page); its leading rows that repeat the header (marked
        ``w:tblHeader``, or with the words of one of the first table's header rows) take
        their room but give no cells or words, or their titles would read as one more line
        of the step above."""
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
        repeats = 0  # leading rows that repeat the continued table's header
        for r, tr in enumerate(rows_xml):
            trpr = tr.find(_w("trPr"))
            if not continued:
                if r == len(self.header_rows) and _is_header(tr):
                    self.header_rows.append(_row_words(tr))
            elif r == repeats and (_is_header(tr) or _row_words(tr) in self.header_rows):
                repeats += 1
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
                for p in cell_paragraphs(tc):
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
        bands: list[tuple[int, int, float]] = []  # (first row, rows, what its symbols need)
        for r, tr_height, exact in specs:
            need = tr_height
            if not exact:
                row_cells = [cell for cell in cells if cell.row == r]
                for cell in row_cells:
                    if cell.owner is None and cell.rows == 1:
                        need = max(need, sum(p.height for p in cell.paras) + margins["top"]
                                   + margins["bottom"])  # fmt: skip
                # a step whose No/Kegiatan cells are merged down several rows (a decision
                # given room): its symbols may fill the whole band, so they size the band,
                # not its first row alone
                spanned = max((c.rows for c in row_cells if c.owner is None), default=1)
                own = need
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
                if spanned > 1 and need > own:
                    bands.append((r, spanned, need))
                    need = own
            heights.append(max(need, self.font * 1.17))
        for r, spanned, need in bands:
            last = min(r + spanned, len(heights)) - 1
            heights[last] += max(0.0, need - sum(heights[r : last + 1]))
        ys = [top]
        for h in heights:
            ys.append(ys[-1] + h)

        boxes: list[Box] = []
        texts: list[TextRun] = []
        items: list[Shape | TextRun] = []
        for cell in cells:
            x0, x1 = xs[cell.col], xs[min(cell.col + cell.span, len(cols))]
            row_top, row_bottom = ys[cell.row], ys[cell.row + 1]
            if cell.owner is None and cell.row >= repeats:
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
        ref_x0, ref_x1 = _h_frame(a.x_from, s) or (cell.x0, cell.x1)
        offset = a.x if a.x_pct is None else a.x_pct * (ref_x1 - ref_x0)
        x = _aligned(a.align_x, ref_x0, ref_x1, a.width, ref_x0 + offset)
        if a.y_from == "inline":
            y = para_top
        elif a.y_from == "paragraph":
            y = _aligned(a.align_y, para_top, cell.bottom, a.height, para_top + a.y)
        else:  # a frame of the page: which page is unknown, take the page the cell is on
            lo, hi = _v_frame(a.y_from, s, self._page_top(cell.top))
            offset = a.y if a.y_pct is None else a.y_pct * (hi - lo)
            y = _aligned(a.align_y, lo, hi, a.height, lo + offset)
            if (in_table and a.in_cell and not _is_line(a)
                    and not (cell.top - a.height <= y <= cell.bottom)):  # fmt: skip
                y = min(max(y, cell.top), max(cell.top, cell.bottom - a.height))
                self.notes.append("docx: a page-anchored symbol was kept in its anchoring cell")
        return drawing_items(a.graphic, Box(x, y, x + a.width, y + a.height))

    def _page_top(self, y: float) -> float:
        """The top of the page ``y`` lies on, counting the current section's pages from where
        the section started."""
        h = self.section.height
        return self.page_origin + math.floor((y - self.page_origin) / h) * h

    # --- the body -------------------------------------------------------------------

    def read(self) -> Picture:
        y = 0.0
        width = 0.0
        header: list[str] = []
        boxes: list[Box] = []
        texts: list[TextRun] = []
        items: list[Shape | TextRun] = []
        current: _Section | None = None
        flowing = False  # only empty paragraphs since a flowchart table: a next one goes on
        lines_at: list[tuple[float, str]] = []  # the header lines, each where it stands
        cuts: list[float] = []  # where a flowchart table that goes on from none begins a part
        table_end: float | None = None  # the bottom of the last flowchart table
        for el, section in self._sections():
            if section is not current:
                y = self._start(section, y, first=current is None, kind=section.start)
                current = section
                width = max(width, section.width)
            s = section
            text_area = s.width - s.left - s.right
            if el.tag == _w("p"):
                ppr = el.find(_w("pPr"))
                if ppr is not None and _on(ppr.find(_w("pageBreakBefore"))):
                    y = self._next_page(y)
                para = self.paragraph(el, text_area, y)
                header.append(para.text.replace("\t", "  "))
                lines_at.append((y, para.text))
                area = Box(s.left, y, s.width - s.right, y + para.height)
                for a in para.anchors:
                    items.extend(self.place(a, area, y))
                y += para.height
                if any(br.get(_w("type")) == "page" for br in el.iter(_w("br"))):
                    y = self._next_page(y)
                flowing = flowing and not para.text and not para.anchors
            elif el.tag == _w("tbl"):
                if self.is_flowchart(el):
                    if table_end is not None and not flowing:
                        cuts.append(table_end)
                    height, b, t, i = self.table(el, s.left, y, continued=flowing)
                    boxes += b
                    texts += t
                    items += i
                    y += height
                    table_end = y
                    flowing = True
                else:
                    flowing = False
                    lines = self.plain_table(el)
                    header.extend(lines)
                    line_h = self.font * 1.17
                    lines_at.extend((y + k * line_h, ln) for k, ln in enumerate(lines))
                    y += len(lines) * line_h
        shapes = join_lines(tuple(i for i in items if isinstance(i, Shape)))
        if self.estimated:
            shapes = reseat_heads(shapes)
            self.notes.append("docx: tinggi baris diperkirakan; ujung panah disandarkan ke "
                              "simbol yang dituju (row heights estimated)")
        labels = tuple(i for i in items if isinstance(i, TextRun))
        last = current or _Section()
        page = Page(1, width or last.width, max(self.page_origin + last.height,
                                                y + last.bottom), tuple(boxes),
                    tuple(texts) + labels, shapes)  # fmt: skip
        notes = tuple(dict.fromkeys(self.notes))
        if cuts:  # several tables that go on from none: one page each (a compilation)
            return Picture("docx-shapes", parts(page, cuts, lines_at, last.left), "", notes)
        return Picture("docx-shapes", (page,), "\n".join(header).strip(), notes)

    def _next_page(self, y: float) -> float:
        """Where text goes on after a page break at ``y``: the next page's top margin."""
        page_top = self._page_top(max(y - 0.01, self.page_origin))
        return page_top + self.section.height + self.section.top

    def _start(self, section: _Section, y: float, first: bool, kind: str) -> float:
        """Where a section's text starts: a new page (``nextPage``, the default, or an even/odd
        page) below the page the previous section ended on; a ``continuous`` one goes on on the
        same page. Word stores no pagination, so the body stays one tall plane, but each
        section's pages start where it starts and its margins and size are its own."""
        if first:
            self.section, self.page_origin = section, 0.0
            return section.top
        if kind == "continuous":
            # the same page goes on: the new section's pages count from the one the text is on
            self.page_origin = self._page_top(y)
            self.section = section
            return y
        page_end = self._next_page(y) - self.section.top
        self.section, self.page_origin = section, page_end
        return page_end + section.top

    def plain_table(self, tbl: etree._Element) -> list[str]:
        """A table outside the flowchart as tabbed lines (identity block, header grid)."""
        lines = []
        for tr in tbl.findall(_w("tr")):
            cells: list[str] = []
            for tc in tr.findall(_w("tc")):
                span, merge = cell_span(tc)
                parts = []
                for p in cell_paragraphs(tc):
                    text = _paragraph_text(p).strip()
                    if text:
                        parts.append(self.numbering.prefix(p) + text)
                cells.append("" if merge == "continue" else " ".join(" ".join(parts).split()))
                cells.extend([""] * (span - 1))
            lines.append("\t".join(cells))
        return lines


CELL_GAP = 160.0
"""Points between the cells of a header line laid out as words (:func:`parts`): wide
enough that the layout text keeps them apart as columns."""
CHAR_WIDTH = 5.0


def parts(page: Page, cuts: list[float], lines: list[tuple[float, str]],
          left: float) -> tuple[Page, ...]:  # fmt: skip
    """``page`` (the whole body on one plane) cut at ``cuts`` into one page per flowchart
    table that goes on from no table before it: a compilation's SOPs, each with its identity
    block (or whatever text stands before it), so :mod:`..documents` cuts them where a new
    identity block or a table numbered from 1 again says a new SOP begins. Each page keeps
    the body's coordinates; the text before each table, which a single SOP gives as
    ``header_text``, becomes words above it (one per tab-separated cell)."""
    bounds = [-math.inf, *cuts, math.inf]
    out = []
    for k in range(len(bounds) - 1):
        lo, hi = bounds[k], bounds[k + 1]

        def inside(b: Box, lo: float = lo, hi: float = hi) -> bool:
            return lo <= b.cy < hi

        words = [
            TextRun(cell, Box(x, top, x + CHAR_WIDTH * len(cell), top + 10.0))
            for top, line in lines
            if lo <= top < hi
            for x, cell in _cells(line, left)
        ]
        out.append(Page(k + 1, page.width, page.height,
                        tuple(b for b in page.cells if inside(b)),
                        tuple(t for t in page.texts if inside(t.box)) + tuple(words),
                        tuple(s for s in page.shapes if inside(s.box))))  # fmt: skip
    return tuple(out)


def _cells(line: str, left: float) -> list[tuple[float, str]]:
    """The tab-separated cells of a header line, each with the x it is laid out at."""
    cells = [c.strip() for c in line.split("\t")]
    return [(left + i * CELL_GAP, c) for i, c in enumerate(cells) if c]


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


def _on(el: etree._Element | None) -> bool:
    """A WordprocessingML on/off property: present and not ``w:val`` false/0/off."""
    return el is not None and el.get(_w("val"), "true") not in ("0", "false", "off")


def _is_header(tr: etree._Element) -> bool:
    """A row Word repeats at the top of every page the table runs over (``w:tblHeader``)."""
    return _on(tr.find(f"{_w('trPr')}/{_w('tblHeader')}"))


def _row_words(tr: etree._Element) -> str:
    return " ".join(" ".join(t.text or "" for t in tr.iter(_w("t"))).split()).lower()


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
