"""The ways a drawn SOP reaches Alur as a Word or Excel file, each one renderer.

:mod:`tests.support.office_fixtures` writes one layout one way per format (every shape
anchored in its own cell, python-docx and openpyxl). Real files vary in how the author
placed the drawing and which program saved it, so each :class:`OfficeForm` here writes the
same layout (:func:`tests.support.office_fixtures.layout`) as another kind of file, and a
seed draws the secondary choices (connector geometry, preset names, anchor frames, row
heights) so a run covers their mix:

* Word, DrawingML: shapes anchored in their own cells (``column``/``character`` from the
  cell, ``paragraph`` down); anchored to the page or margin with absolute offsets (in their
  own cells, or all in one paragraph above the table); one drawing canvas (``wpc``) or one
  group (``wpg``, its own child coordinate space ``chOff``/``chExt``) holding everything.
* Word, VML: ``v:shape`` types, ``v:line``/``v:polyline`` or a line per stretch.
* Word, as long documents are laid out: the identity page in a portrait section and the
  flowchart in a landscape one of its own margins (positions absolute or as shares of the
  frame, ``wp14:pctPos*Offset``); a table over a page break, every line crossing it cut at
  a pair of off-page connectors (one table Word splits, or two, the header repeated).
* Excel: ``twoCellAnchor``/``oneCellAnchor``/``absoluteAnchor``; connectors as ``cxnSp``
  with ``stCxn``/``endCxn`` or as plain ``line`` shapes; rows with explicit heights.

* How other agencies' files differ (session 8): a second table after a page break, its
  header repeated (``tblHeader`` or plain) or not; the SOP in a template's layout frame,
  role names in nested tables; decision rows over two rows (``vMerge``, Excel merged
  ranges); text boxes over empty symbols; everything anchored to one paragraph above the
  table; WPS Office's and LibreOffice's markup; a sheet's header typed again after a break.

Connectors are written as a real program writes them: ``straightConnector1``,
``bentConnector2/3/4`` with their adjust values, a freeform, or one ``line`` per stretch with
the arrowhead (``a:tailEnd``, or ``a:headEnd`` on a line drawn backwards) on the last one.

The Word files are written as raw WordprocessingML (no python-docx): the table header with
``gridSpan``/``vMerge``, rows ``exact``/``atLeast``, header rows repeated (``tblHeader``).
Truth comes from :func:`tests.support.sop_generator.truth_of`, with every step's role and
every decision's targets known (the drawing shows them).
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import math
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from converters.model import ConversionError, Sop
from converters.reading.drawn.picture import Box, ShapeKind
from tests.support.office_fixtures import (
    _NS,
    CELL_PAD,
    EMU,
    MARGIN,
    Layout,
    Line,
    Symbol,
    _add_drawing,
    _add_drawings,
    _grid_anchor,
    _ln,
    _txbx,
    _vml_label,
    _vml_line,
    _vml_symbol,
    col_points,
    headers,
    layout,
    row_values,
)
from tests.support.sop_generator import GeneratedSop, Tally, Truth, generate, score, truth_of

Points = tuple[tuple[float, float], ...]

# -- symbols and connectors as DrawingML --------------------------------------------------------

PRESETS: dict[ShapeKind, tuple[str, ...]] = {
    ShapeKind.TERMINATOR: ("flowChartTerminator", "roundRect", "ellipse"),
    ShapeKind.PROCESS: ("flowChartProcess", "rect"),
    ShapeKind.DECISION: ("flowChartDecision", "diamond"),
}
"""Preset geometries people draw each symbol with (an oval start/end is wider than tall)."""

CONNECTOR_STYLES = ("connector", "bent", "segments", "reversed")
"""``connector``: straight/bentConnector2/freeform; ``bent``: bentConnector2/3/4 with
adjust values; ``segments``: one ``line`` per stretch, the head on the last; ``reversed``:
straight lines drawn from the head end with ``a:headEnd``."""


@dataclass(frozen=True)
class Geometry:
    """One DrawingML line: its box (page points), flips, geometry XML and which end has the
    arrowhead (``tail`` = the path's end)."""

    box: Box
    flips: str
    geom: str
    head: str  # "tail", "head" or ""


def _prst(name: str, adjusts: dict[str, float] | None = None) -> str:
    gds = "".join(f'<a:gd name="{k}" fmla="val {round(v * 100000)}"/>'
                  for k, v in (adjusts or {}).items())  # fmt: skip
    return f'<a:prstGeom prst="{name}"><a:avLst>{gds}</a:avLst></a:prstGeom>'


def _span(points: Points) -> tuple[Box, str, float, float]:
    (x0, y0), (x1, y1) = points[0], points[-1]
    box = Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    flips = (' flipH="1"' if x1 < x0 else "") + (' flipV="1"' if y1 < y0 else "")
    return box, flips, x1 - x0, y1 - y0


def _freeform(points: Points) -> Geometry:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    box = Box(min(xs), min(ys), max(xs), max(ys))
    w, h = max(1, round(box.width * EMU)), max(1, round(box.height * EMU))
    steps = "".join(
        f'<a:{"moveTo" if i == 0 else "lnTo"}><a:pt x="{round((x - box.x0) * EMU)}" '
        f'y="{round((y - box.top) * EMU)}"/></a:{"moveTo" if i == 0 else "lnTo"}>'
        for i, (x, y) in enumerate(points)
    )
    return Geometry(box, "", f'<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" '
                    f't="0" r="r" b="b"/><a:pathLst><a:path w="{w}" h="{h}">{steps}</a:path>'
                    "</a:pathLst></a:custGeom>", "tail")  # fmt: skip


def connector(points: Points, style: str) -> list[Geometry]:
    """The DrawingML shapes that draw one arrow (tail first, head at the last point)."""
    box, flips, dx, dy = _span(points)
    if len(points) == 2:
        if style == "reversed":
            back = _span(points[::-1])
            return [Geometry(back[0], back[1], _prst("line"), "head")]
        name = "line" if style == "segments" else "straightConnector1"
        return [Geometry(box, flips, _prst(name), "tail")]
    if style in ("segments", "reversed"):
        out = []
        for i in range(len(points) - 1):
            seg = points[i : i + 2]
            last = i == len(points) - 2
            if style == "reversed":
                back = _span(seg[::-1])
                out.append(Geometry(back[0], back[1], _prst("line"), "head" if last else ""))
            else:
                s = _span(seg)
                out.append(Geometry(s[0], s[1], _prst("line"), "tail" if last else ""))
        return out
    horizontal_first = abs(points[1][1] - points[0][1]) < 0.01
    if len(points) == 3 and horizontal_first and abs(points[1][0] - points[2][0]) < 0.01:
        return [Geometry(box, flips, _prst("bentConnector2"), "tail")]
    if style == "bent" and horizontal_first and abs(dx) > 0.5 and abs(dy) > 0.5:
        (x0, y0) = points[0]
        if len(points) == 4:
            a = (points[1][0] - x0) / dx
            return [Geometry(box, flips, _prst("bentConnector3", {"adj1": a}), "tail")]
        if len(points) == 5:
            a, b = (points[1][0] - x0) / dx, (points[2][1] - y0) / dy
            return [Geometry(box, flips, _prst("bentConnector4", {"adj1": a, "adj2": b}),
                             "tail")]  # fmt: skip
    return [_freeform(points)]


def _ln_xml(head: str, visible: bool = True) -> str:
    if not visible:
        return _ln(False, False)
    end = {"tail": '<a:tailEnd type="triangle"/>', "head": '<a:headEnd type="arrow"/>'}.get(
        head, ""
    )
    return f'<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill>{end}</a:ln>'


def _xfrm(box: Box, origin: tuple[float, float], flips: str = "", scale: float = 1.0) -> str:
    k = EMU * scale
    return (f'<a:xfrm{flips}><a:off x="{round((box.x0 - origin[0]) * k)}" y="'
            f'{round((box.top - origin[1]) * k)}"/><a:ext cx="{round(box.width * k)}" cy="'
            f'{round(box.height * k)}"/></a:xfrm>')  # fmt: skip


# -- Word ---------------------------------------------------------------------------------------

_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_WPC = "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas"
_WP14 = "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing"
_DOC_NS = (
    f'{_NS} xmlns:wpg="{_WPG}" xmlns:wpc="{_WPC}" xmlns:wp14="{_WP14}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _wsp(kind: str, box: Box, origin: tuple[float, float] | None, body: str, text: str = "",
         label: bool = False, scale: float = 1.0, flips: str = "") -> str:  # fmt: skip
    """One ``wps:wsp``: a symbol (``body`` = its geometry and outline) or a label text box."""
    nv = '<wps:cNvSpPr txBox="1"/>' if label else ("<wps:cNvCnPr/>" if kind == "line"
                                                    else "<wps:cNvSpPr/>")  # fmt: skip
    txbx = f"<wps:txbx>{_txbx(text)}</wps:txbx>" if text else ""
    at = origin if origin is not None else (box.x0, box.top)  # a lone shape's box at 0,0
    return (f"<wps:wsp>{nv}<wps:spPr>{_xfrm(box, at, flips, scale)}{body}</wps:spPr>{txbx}"
            "<wps:bodyPr/></wps:wsp>")  # fmt: skip


def _shape_xml(lay: Layout, rng: random.Random, style: str, origin: tuple[float, float] | None,
               scale: float = 1.0) -> list[tuple[str, Box, tuple[int, int] | None]]:  # fmt: skip
    """Every symbol, connector and label as a ``wps:wsp`` placed from ``origin`` (table
    points; None: each at its own corner, as in a lone anchor), with its box and the
    table cell that anchors it (the symbol's, the arrow's source)."""
    presets = {k: rng.choice(v) for k, v in PRESETS.items()}
    out: list[tuple[str, Box, tuple[int, int] | None]] = []
    for s in lay.symbols:
        prst = presets[s.kind]
        box = s.box
        if prst == "ellipse":  # an oval start/end: wider than the capsule, as drawn
            box = Box(box.x0 - 4, box.top, box.x1 + 4, box.bottom)
        box, turn = turned(box, rng)
        body = _prst(prst) + _ln_xml("")
        out.append((_wsp("sp", box, origin, body, s.text, scale=scale, flips=turn), box,
                    _cell_of(lay, s)))  # fmt: skip
    for line in lay.lines:
        for g in connector(line.points, style):
            out.append((_wsp("line", g.box, origin, g.geom + _ln_xml(g.head), scale=scale,
                             flips=g.flips), g.box, line.anchor))  # fmt: skip
        if line.label and line.label_box is not None:
            body = _prst("rect") + "<a:noFill/>" + _ln_xml("", visible=False)
            out.append((_wsp("sp", line.label_box, origin, body, line.label, label=True,
                             scale=scale), line.label_box, line.anchor))  # fmt: skip
    return out


def turned(box: Box, rng: random.Random) -> tuple[Box, str]:
    """A symbol as some authors leave it: turned a quarter (``rot``, the stored box is the
    unturned one, its sides swapped about the same centre) or flipped; every SOP symbol is
    symmetric, so the drawing looks the same."""
    pick = rng.random()
    if pick < 0.15:
        w, h = box.height / 2, box.width / 2
        rot = rng.choice((5400000, 16200000))
        return Box(box.cx - w, box.cy - h, box.cx + w, box.cy + h), f' rot="{rot}"'
    if pick < 0.25:
        return box, rng.choice((' flipH="1"', ' flipV="1"'))
    return box, ""


def _cell_of(lay: Layout, s: Symbol) -> tuple[int, int]:
    numbers = [st.number for st in lay.sop.steps]
    return 2 + numbers.index(s.step), 2 + lay.sop.roles.index(s.role)


def _anchor(box: Box, h: tuple[str, float], v: tuple[str, float], uri: str, body: str,
            uid: int, in_cell: bool = True) -> str:  # fmt: skip
    """A floating ``wp:anchor``. ``in_cell`` (``layoutInCell``) off: a page- or
    margin-positioned drawing held by a table cell stands where its offsets say."""
    return (
        f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        f'relativeHeight="{uid}" behindDoc="0" locked="0" layoutInCell="{int(in_cell)}" '
        'allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="{h[0]}"><wp:posOffset>'
        f"{round(h[1] * EMU)}</wp:posOffset></wp:positionH><wp:positionV relativeFrom="
        f'"{v[0]}"><wp:posOffset>{round(v[1] * EMU)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{round(box.width * EMU)}" cy="{round(box.height * EMU)}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="{uid}" name='
        f'"Shape {uid}"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{uri}">{body}'
        "</a:graphicData></a:graphic></wp:anchor>"
    )


def _run_drawing(anchor: str) -> str:
    return f"<w:r><w:drawing>{anchor}</w:drawing></w:r>"


@dataclass(frozen=True)
class WordPage:
    """The page (points) and where the flowchart table's top-left corner lands on it."""

    width: float
    height: float
    left: float = MARGIN
    top: float = MARGIN


def _tc(width: float, text: str, extra: str = "", runs: str = "", blank: int = 0) -> str:
    t = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{round(width * 20)}" w:type="dxa"/>{extra}</w:tcPr>'
        f"<w:p>{t}{runs}</w:p>{'<w:p/>' * blank}</w:tc>"
    )


AUTO_BLANKS = 5
"""Empty paragraphs under a step's number when its row is left to Word ("auto"): how
authors make such a row tall enough for its symbol (10 pt lines, about the row)."""


def word_table(lay: Layout, rule: str, runs: dict[tuple[int, int], list[str]],
               steps: range | None = None, halves: frozenset[int] = frozenset(),
               header: str = "marked", role_tables: bool = False) -> str:  # fmt: skip
    """The flowchart table as WordprocessingML: merged header cells (``gridSpan`` over the
    Pelaksana and Mutu Baku columns, ``vMerge`` down No/Kegiatan/Keterangan), header rows
    repeated on every page, step rows of height ``rule`` (exact/atLeast/auto: then padded
    with :data:`AUTO_BLANKS` empty paragraphs), and the runs
    that anchor drawings in each cell's first paragraph. ``steps``: only those step rows (a
    table continued in another one), the header rows repeated above them (``header``:
    ``marked`` with ``tblHeader``, ``plain`` without, ``none``: not repeated).
    ``halves``: the step rows (indexes) drawn as two table rows of half the height,
    No/Kegiatan/Mutu Baku/Keterangan merged down both (``vMerge``), the role cells not (a
    decision given room for its branches); the drawings stay in the first. ``role_tables``:
    each role's header cell holds its name in a nested one-cell table (template frames)."""
    sop = lay.sop
    n = len(sop.roles)
    top, second = headers(sop)
    widths = lay.widths
    grid = "".join(f'<w:gridCol w:w="{round(w * 20)}"/>' for w in widths)
    rows = []
    merged = {0, 1, *range(2 + n, len(widths))}
    for r, height in enumerate(lay.heights):
        if steps is not None and r >= 2 and r - 2 not in steps:
            continue
        if steps is not None and header == "none" and r < 2:
            continue
        if r >= 2 and r - 2 in halves:
            rows.extend(_half_rows(lay, r, rule, runs, merged))
            continue
        hrule = "exact" if r < 2 else rule
        tr_h = "" if hrule == "auto" else (
            f'<w:trHeight w:val="{round(height * 20)}" w:hRule="{hrule}"/>')  # fmt: skip
        head = "<w:tblHeader/>" if r < 2 and header == "marked" else "<w:cantSplit/>"
        cells = []
        c = 0
        while c < len(widths):
            extra, span = "", 1
            if r == 0 and c in (2, 2 + n):
                span = n if c == 2 else 3
                extra = f'<w:gridSpan w:val="{span}"/>'
            if c in (0, 1, len(widths) - 1) and r < 2:
                extra = '<w:vMerge w:val="restart"/>' if r == 0 else "<w:vMerge/>"
            if r == 0:
                text = top[c]
            elif r == 1:
                text = "" if c in (0, 1, len(widths) - 1) else second[c]
            else:
                text = row_values(sop, r - 2)[c]
            blank = AUTO_BLANKS if hrule == "auto" and c == 0 else 0
            if role_tables and r == 1 and 2 <= c < 2 + n:
                cells.append(_nested_cell(widths[c], text))
            else:
                cells.append(_tc(sum(widths[c : c + span]), text, extra,
                                 "".join(runs.get((r, c), [])), blank))  # fmt: skip
            c += span
        rows.append(f"<w:tr><w:trPr>{head}{tr_h}</w:trPr>{''.join(cells)}</w:tr>")
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{round(sum(widths) * 20)}" w:type="dxa"/><w:tblBorders>'
            + "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + f'</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}'
            f"</w:tblGrid>{''.join(rows)}</w:tbl>")  # fmt: skip


def _half_rows(lay: Layout, r: int, rule: str, runs: dict[tuple[int, int], list[str]],
               merged: set[int]) -> list[str]:  # fmt: skip
    """Step row ``r`` as two table rows of half its height (see :func:`word_table`)."""
    rule = "atLeast" if rule == "auto" else rule
    tr_h = f'<w:trHeight w:val="{round(lay.heights[r] * 10)}" w:hRule="{rule}"/>'
    values = row_values(lay.sop, r - 2)
    out = []
    for half in (0, 1):
        cells = []
        for c, width in enumerate(lay.widths):
            if c in merged:
                extra = '<w:vMerge w:val="restart"/>' if half == 0 else "<w:vMerge/>"
            else:
                extra = ""
            text = values[c] if half == 0 else ""
            held = "".join(runs.get((r, c), [])) if half == 0 else ""
            cells.append(_tc(width, text, extra, held))
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{tr_h}</w:trPr>{''.join(cells)}</w:tr>")
    return out


def _nested_cell(width: float, text: str) -> str:
    """A header cell holding ``text`` in a one-cell table of its own (Word needs a paragraph
    after a nested table, the cell's last)."""
    inner = round((width - 2 * CELL_PAD) * 20)
    return (f'<w:tc><w:tcPr><w:tcW w:w="{round(width * 20)}" w:type="dxa"/></w:tcPr><w:tbl>'
            f'<w:tblPr><w:tblW w:w="{inner}" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="'
            f'{inner}"/></w:tblGrid><w:tr>{_tc((width - 2 * CELL_PAD), text)}</w:tr></w:tbl><w:p/>'
            "</w:tc>")  # fmt: skip


def _identity(sop: Sop) -> str:
    i = sop.identity
    para = f"<w:p><w:r><w:t>{escape(i.agency or 'PEMERINTAH KABUPATEN CONTOH')}</w:t></w:r></w:p>"
    rows = "".join(
        f"<w:tr>{_tc(120, a)}{_tc(300, b)}</w:tr>"
        for a, b in (("Nomor SOP", i.number or "-"), ("Nama SOP", i.name or "-"))
    )
    return (
        f'{para}<w:tbl><w:tblPr><w:tblW w:w="8400" w:type="dxa"/></w:tblPr><w:tblGrid>'
        f'<w:gridCol w:w="2400"/><w:gridCol w:w="6000"/></w:tblGrid>{rows}</w:tbl>'
    )


def sect_pr(page: WordPage) -> str:
    """A section's ``w:sectPr``: its page size (``w:orient`` landscape when wider than tall)
    and margins (``page.left`` left and right, ``page.top`` top and bottom)."""
    orient = ' w:orient="landscape"' if page.width > page.height else ""
    side, edge = round(page.left * 20), round(page.top * 20)
    return (f'<w:sectPr><w:pgSz w:w="{round(page.width * 20)}" w:h="{round(page.height * 20)}"'
            f'{orient}/><w:pgMar w:top="{edge}" w:right="{side}" w:bottom="{edge}" w:left="'
            f'{side}" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>')  # fmt: skip


def docx_package(body: str, page: WordPage, media: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx (content types, package and document parts): what generators other
    than Word write; landscape when the page is wider than tall. ``media``: pictures by
    relationship id (``rIdImgN``), stored as ``word/media/imageN.png``/``.jpeg`` by their
    magic bytes, with the document's relationships part that names them."""
    doc = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_DOC_NS}>'
        f"<w:body>{body}{sect_pr(page)}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/><Default Extension='
                '"png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/'
                'jpeg"/><Override PartName='
                '"/word/document.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.wordprocessingml.document.main+xml"/></Types>'
            ),
        )
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'))  # fmt: skip
        z.writestr("word/document.xml", doc)
        if media:
            rels = "".join(
                f'<Relationship Id="{rid}" Type="{_IMAGE_REL}" Target="media/'
                f'{_media_name(rid, b)}"/>' for rid, b in media.items())  # fmt: skip
            z.writestr(
                "word/_rels/document.xml.rels",
                (
                    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                    f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
                ),
            )
            for rid, b in media.items():
                z.writestr(f"word/media/{_media_name(rid, b)}", b)
    return out.getvalue()


_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _media_name(rid: str, data: bytes) -> str:
    ext = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"{rid.removeprefix('rId').lower()}.{ext}"


def _page_for(lay: Layout, tall: bool) -> WordPage:
    width = max(842.0, sum(lay.widths) + 2 * MARGIN)
    height = sum(lay.heights) + 2 * MARGIN + 60 if tall else 595.0
    return WordPage(width, max(height, 595.0))


def docx_in_cells(lay: Layout, rng: random.Random) -> bytes:
    """Every shape anchored in its cell: ``column`` or ``character`` from the cell's text
    area, ``paragraph`` down; step rows exact, at least, or left to Word."""
    return docx_package(in_cells_body(lay, rng), _page_for(lay, False))


def in_cells_body(lay: Layout, rng: random.Random, first_uid: int = 1) -> str:
    """The body of :func:`docx_in_cells`: identity block, then the table with its shapes."""
    style = rng.choice(CONNECTOR_STYLES)
    rule = rng.choice(("exact", "atLeast", "exact", "auto"))
    hfrom = rng.choice(("column", "character"))
    runs: dict[tuple[int, int], list[str]] = {}
    for uid, (xml, box, cell) in enumerate(_shape_xml(lay, rng, style, None), first_uid):
        assert cell is not None
        c = lay.cell(*cell)
        origin = (c.x0 + CELL_PAD, c.top)
        anchor = _anchor(box, (hfrom, box.x0 - origin[0]), ("paragraph", box.top - origin[1]),
                         _WPS, xml, uid)  # fmt: skip
        runs.setdefault(cell, []).append(_run_drawing(anchor))
    return _identity(lay.sop) + "<w:p/>" + word_table(lay, rule, runs)


def docx_on_page(lay: Layout, rng: random.Random) -> bytes:
    """Shapes anchored to the page or the margin with absolute offsets, held by their own
    cells or all by one paragraph above the table. The table starts the document on a page
    tall enough for it (exact rows), so where it lies on the page is known; the identity
    block follows it."""
    style = rng.choice(CONNECTOR_STYLES)
    page = _page_for(lay, True)
    one_holder = rng.random() < 0.5
    origin = (-page.left, -page.top)  # table points -> page points
    runs: dict[tuple[int, int], list[str]] = {}
    lead: list[str] = []
    for uid, (xml, box, cell) in enumerate(_shape_xml(lay, rng, style, None), 1):
        frame = rng.choice(("page", "margin"))
        shift = 0.0 if frame == "margin" else MARGIN
        page_box = Box(box.x0 - origin[0], box.top - origin[1], box.x1 - origin[0],
                       box.bottom - origin[1])  # fmt: skip
        anchor = _anchor(page_box, (frame, page_box.x0 - MARGIN + shift),
                         (frame, page_box.top - MARGIN + shift), _WPS, xml, uid,
                         in_cell=False)  # fmt: skip
        if one_holder:
            lead.append(_run_drawing(anchor))
        else:
            assert cell is not None
            runs.setdefault(cell, []).append(_run_drawing(anchor))
    # the holding paragraph above the table must not move the table down: a zero-height one
    # is impossible in Word, so it goes in the first header cell instead
    if lead:
        runs.setdefault((0, 0), []).extend(lead)
    body = word_table(lay, "exact", runs) + _identity(lay.sop)
    return docx_package(body, page)


def percent_position(anchor: str, axis: str, share: float) -> str:
    """``anchor`` with its ``wp:position{axis}`` given as a share of its frame, as Word 2010
    and later write it: ``wp14:pctPos{axis}Offset`` (thousandths of a percent) in an
    ``mc:Choice`` needing wp14, the absolute offset kept as the ``mc:Fallback``."""
    start = anchor.index(f"<wp:position{axis} ")
    end = anchor.index(f"</wp:position{axis}>") + len(f"</wp:position{axis}>")
    old = anchor[start:end]
    frame = old.split('relativeFrom="')[1].split('"')[0]
    pct = (f'<wp:position{axis} relativeFrom="{frame}"><wp14:pctPos{axis}Offset>'
           f"{round(share * 100000)}</wp14:pctPos{axis}Offset></wp:position{axis}>")  # fmt: skip
    alt = (f'<mc:AlternateContent><mc:Choice Requires="wp14">{pct}</mc:Choice><mc:Fallback>'
           f"{old}</mc:Fallback></mc:AlternateContent>")  # fmt: skip
    return anchor[:start] + alt + anchor[end:]


PORTRAIT = WordPage(595.3, 841.9, 72.0, 72.0)
"""A4 portrait with Word's 2.54 cm margins: the identity page of most SOP documents."""


def docx_sections(lay: Layout, rng: random.Random) -> bytes:
    """The identity page in a portrait section and the flowchart in a landscape section of
    its own margins (a section break in the last paragraph of each section: its ``w:sectPr``
    in that paragraph's ``w:pPr``); sometimes a portrait closing section after it, so the
    body's final ``w:sectPr`` is not the flowchart's. Shapes are anchored in their cells
    (``column``/``paragraph``) or to the landscape page or its margin (``layoutInCell``
    off, rows exact: the table starts its section's first page, so its place is known)."""
    style = rng.choice(CONNECTOR_STYLES)
    first = dataclasses.replace(PORTRAIT, left=rng.choice((72.0, 85.05, 56.7)),
                                top=rng.choice((72.0, 56.7)))  # fmt: skip
    margin = rng.choice((36.0, 28.35, 42.55, 56.7))
    on_page = rng.random() < 0.5
    percent = rng.random() < 0.5  # positions as shares of their frame (Word 2010 on)
    width = max(841.9, sum(lay.widths) + 2 * margin)
    height = max(595.3, sum(lay.heights) + 2 * margin + 60) if on_page else 595.3
    flow = WordPage(width, height, margin, margin)
    rule = "exact" if on_page else rng.choice(("exact", "atLeast", "exact", "auto"))
    runs: dict[tuple[int, int], list[str]] = {}
    for uid, (xml, box, cell) in enumerate(_shape_xml(lay, rng, style, None), 1):
        assert cell is not None
        c = lay.cell(*cell)
        if on_page:
            frame = rng.choice(("page", "margin"))
            shift = margin if frame == "page" else 0.0
            anchor = _anchor(box, (frame, box.x0 + shift), (frame, box.top + shift), _WPS, xml,
                             uid, in_cell=False)  # fmt: skip
            if percent:
                inset = 0.0 if frame == "page" else 2 * margin
                anchor = percent_position(anchor, "H", (box.x0 + shift) / (width - inset))
                anchor = percent_position(anchor, "V", (box.top + shift) / (height - inset))
        else:
            origin = (c.x0 + CELL_PAD, c.top)
            anchor = _anchor(box, ("column", box.x0 - origin[0]),
                             ("paragraph", box.top - origin[1]), _WPS, xml, uid)  # fmt: skip
        runs.setdefault(cell, []).append(_run_drawing(anchor))
    closing = rng.random() < 0.5
    body = (_identity(lay.sop) + f"<w:p><w:pPr>{sect_pr(first)}</w:pPr></w:p>"
            + word_table(lay, rule, runs))  # fmt: skip
    if closing:  # the flowchart section ends in the paragraph after the table
        body += f"<w:p><w:pPr>{sect_pr(flow)}</w:pPr></w:p><w:p/>"
        return docx_package(body, first)
    return docx_package(body + "<w:p/>", flow)


OFF_PAGE = 9.0
"""Points across an off-page connector: small, to fit between a symbol and its row's border."""

ROOM = 6.0
"""Points an author leaves between an off-page connector and any other symbol."""


@dataclass(frozen=True)
class _Cut:
    """One line cut where the page breaks: the part on the source's page, ending on a
    connector, and the part from the twin connector on; each with the cell anchoring it."""

    before: Points
    after: Points
    at: Box  # the connector the first part runs into
    twin: Box  # the one the second part leaves
    anchor: tuple[int, int]  # the cell holding the twin and the second part


def _cut(lay: Layout, points: Points, edge: float) -> _Cut | None:
    """``points`` cut at the first stretch that crosses ``edge`` (a row border, the page
    break): the connector stands on the line just this side of the border, its twin just
    the other side, both on the line's course."""
    for i in range(len(points) - 1):
        (x0, y0), (x1, y1) = points[i], points[i + 1]
        if (y0 - edge) * (y1 - edge) >= 0 or abs(x1 - x0) > 0.5:
            continue
        down = y1 > y0
        near, far = (edge - 1.5, edge + 1.5) if down else (edge + 1.5, edge - 1.5)
        sign = 1 if down else -1
        at = Box(x0 - OFF_PAGE / 2, min(near, near - sign * OFF_PAGE), x0 + OFF_PAGE / 2,
                 max(near, near - sign * OFF_PAGE))  # fmt: skip
        twin = Box(x0 - OFF_PAGE / 2, min(far, far + sign * OFF_PAGE), x0 + OFF_PAGE / 2,
                   max(far, far + sign * OFF_PAGE))  # fmt: skip
        before = (*points[: i + 1], (x0, near - sign * OFF_PAGE))
        after = ((x0, far + sign * OFF_PAGE), *points[i + 1 :])
        col = next(c for c in range(len(lay.widths)) if lay.col_x(c + 1) > x0)
        row = next(r for r in range(len(lay.heights)) if lay.row_y(r + 1) > (twin.cy))
        return _Cut(before, after, at, twin, (row, col))
    return None


def _near(a: Box, b: Box, gap: float) -> bool:
    return (
        a.x0 - gap < b.x1
        and b.x0 - gap < a.x1
        and a.top - gap < b.bottom
        and (b.top - gap < a.bottom)
    )


def split_layout(lay: Layout, rng: random.Random) -> tuple[Layout, int, list[tuple[Box, str,
                 tuple[int, int]]]] | None:  # fmt: skip
    """The layout as printed over two pages: the page breaks before one step row (one the
    fewest lines cross, their crossings well apart), every line that crosses the break cut
    into two joined by a pair of off-page connectors of the same letter or number. Returns
    the new layout, the first step on the second page, and the connectors (box, text, the
    cell holding each); ``None`` when no break leaves connectors room."""
    n = len(lay.sop.steps)
    options = []
    for k in range(2, n - 1):
        edge = lay.row_y(2 + k)
        cuts = [c for c in (_cut(lay, ln.points, edge) for ln in lay.lines) if c is not None]
        crossings = sorted(c.at.cx for c in cuts)
        crossed = sum(1 for ln in lay.lines
                      if any((a[1] - edge) * (b[1] - edge) < 0
                             for a, b in itertools.pairwise(ln.points)))  # fmt: skip
        roomy = not any(_near(box, sym.box, ROOM) for c in cuts for box in (c.at, c.twin)
                        for sym in lay.symbols)  # fmt: skip
        if (
            cuts
            and roomy
            and crossed == len(cuts)
            and all(b - a >= OFF_PAGE + 6 for a, b in itertools.pairwise(crossings))
        ):
            options.append((len(cuts), k))  # fmt: skip
    if not options:
        return None
    fewest = min(o[0] for o in options)
    k = rng.choice([o[1] for o in options if o[0] == fewest])
    edge = lay.row_y(2 + k)
    names = iter("ABCDEFGH" if rng.random() < 0.5 else "12345678")
    lines: list[Line] = []
    marks: list[tuple[Box, str, tuple[int, int]]] = []
    for ln in lay.lines:
        cut = _cut(lay, ln.points, edge)
        if cut is None:
            lines.append(ln)
            continue
        name = next(names)
        lines.append(dataclasses.replace(ln, points=cut.before))
        lines.append(Line(cut.after, cut.anchor))
        marks.append((cut.at, name, ln.anchor))
        marks.append((cut.twin, name, cut.anchor))
    return dataclasses.replace(lay, lines=tuple(lines)), k, marks


def docx_pages(lay: Layout, rng: random.Random, header: str = "") -> bytes:
    """A table too long for one page: the break falls before a step row, and every line
    crossing it ends on an off-page connector (``flowChartOffpageConnector``, a pentagon,
    or a small circle) with a letter or number, its twin at the top of the next page. Word
    either splits the one table (rows simply go on; the header rows, ``tblHeader``, are
    repeated by Word on screen only) or the author made two tables, the second with the
    header repeated, a page break between them. Shapes are anchored in their cells.
    ``header`` (``marked``, ``plain``, ``none``): always two tables, the second's header
    rows as :func:`word_table` writes them."""
    split = split_layout(lay, rng)
    if split is None:
        return docx_in_cells(lay, rng)
    lay, k, marks = split
    style = rng.choice(CONNECTOR_STYLES)
    rule = rng.choice(("exact", "atLeast", "exact", "auto"))
    prst = rng.choice(("flowChartOffpageConnector", "homePlate", "flowChartConnector"))
    runs: dict[tuple[int, int], list[str]] = {}

    def hold(cell: tuple[int, int], xml: str, box: Box, uid: int) -> None:
        c = lay.cell(*cell)
        origin = (c.x0 + CELL_PAD, c.top)
        anchor = _anchor(box, ("column", box.x0 - origin[0]), ("paragraph", box.top - origin[1]),
                         _WPS, xml, uid)  # fmt: skip
        runs.setdefault(cell, []).append(_run_drawing(anchor))

    uid = 0
    for uid, (xml, box, cell) in enumerate(_shape_xml(lay, rng, style, None), 1):
        assert cell is not None
        hold(cell, xml, box, uid)
    for box, name, cell in marks:
        uid += 1
        hold(cell, _wsp("sp", box, None, _prst(prst) + _ln_xml(""), name), box, uid)
    n = len(lay.sop.steps)
    if not header and rng.random() < 0.5:
        table = word_table(lay, rule, runs)
    else:
        brk = rng.choice(('<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
                          '<w:p><w:pPr><w:pageBreakBefore/></w:pPr></w:p>'))  # fmt: skip
        table = (word_table(lay, rule, runs, range(0, k)) + brk
                 + word_table(lay, rule, runs, range(k, n), header=header or "marked"))  # fmt: skip
    body = _identity(lay.sop) + "<w:p/>" + table
    return docx_package(body, _page_for(lay, False))


FITTING = 0.8
"""Characters per point of column width that surely fit a row in ``atLeast`` rows: a 10 pt
line holds about one character per 5 pt, five lines fill a 66 pt row, so a cell text of up to
0.8 x its column's width in points stays within it. A longer text grows its row in Word, and
a drawing held as one piece (a group or canvas) would then no longer lie over its rows, which
no author would leave so."""


def _text_fits(lay: Layout) -> bool:
    return all(
        len(text) <= FITTING * width
        for i in range(len(lay.sop.steps))
        for text, width in zip(row_values(lay.sop, i), lay.widths, strict=True)
    )


def _one_drawing(lay: Layout, rng: random.Random, group: bool) -> bytes:
    """Everything in one canvas or one group, anchored in the first step row's first role
    cell (``column``/``paragraph``, negative offsets reach back to the table's corner)."""
    style = rng.choice(CONNECTOR_STYLES)
    rule = rng.choice(("exact", "atLeast")) if _text_fits(lay) else "exact"
    area = Box(lay.col_x(2) - 4, lay.row_y(2) - 4, lay.col_x(2 + len(lay.sop.roles)) + 4,
               lay.row_y(len(lay.heights)) + 4)  # fmt: skip
    scale = rng.choice((1.0, 0.5, 2.0)) if group else 1.0
    ch_off = (rng.randint(0, 3) * 100000, rng.randint(0, 3) * 100000) if group else (0, 0)
    origin = (area.x0 - ch_off[0] / (EMU * scale), area.top - ch_off[1] / (EMU * scale))
    children = "".join(x for x, _, _ in _shape_xml(lay, rng, style, origin, scale))
    if group:
        inner = ("<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/>"
                 f'<a:ext cx="{round(area.width * EMU)}" cy="{round(area.height * EMU)}"/>'
                 f'<a:chOff x="{ch_off[0]}" y="{ch_off[1]}"/><a:chExt cx="'
                 f'{round(area.width * EMU * scale)}" cy="{round(area.height * EMU * scale)}"/>'
                 f"</a:xfrm></wpg:grpSpPr>{children}</wpg:wgp>")  # fmt: skip
        uri = _WPG
    else:
        inner = f"<wpc:wpc><wpc:bg/><wpc:whole/>{children}</wpc:wpc>"
        uri = _WPC
    first = lay.cell(2, 2)
    anchor = _anchor(area, ("column", area.x0 - first.x0 - CELL_PAD),
                     ("paragraph", area.top - first.top), uri, inner, 1)  # fmt: skip
    runs = {(2, 2): [_run_drawing(anchor)]}
    body = _identity(lay.sop) + "<w:p/>" + word_table(lay, rule, runs)
    return docx_package(body, _page_for(lay, False))


def docx_canvas(lay: Layout, rng: random.Random) -> bytes:
    """One drawing canvas (``wpc``) holding every shape, children in EMU from its corner."""
    return _one_drawing(lay, rng, group=False)


def docx_group(lay: Layout, rng: random.Random) -> bytes:
    """One group (``wpg``) holding every shape in its child space (``chOff``/``chExt``)."""
    return _one_drawing(lay, rng, group=True)


def docx_vml(lay: Layout, rng: random.Random) -> bytes:
    """Legacy VML (what Word 2007 and converted .doc files hold): ``v:shape`` types in their
    cells, lines as ``v:line``/``v:polyline`` or one ``v:line`` per stretch; or everything
    in one ``v:group`` (:func:`vml_group`)."""
    per_stretch = rng.random() < 0.5
    rule = rng.choice(("exact", "atLeast"))
    runs: dict[tuple[int, int], list[str]] = {}

    def add(cell: tuple[int, int], xml: str) -> None:
        runs.setdefault(cell, []).append(f"<w:r><w:pict>{xml}</w:pict></w:r>")

    for s in lay.symbols:
        cell = _cell_of(lay, s)
        c = lay.cell(*cell)
        add(cell, _vml_symbol(s.box, s.kind, s.text, (c.x0 + CELL_PAD, c.top)))
    for line in lay.lines:
        c = lay.cell(*line.anchor)
        origin = (c.x0 + CELL_PAD, c.top)
        if per_stretch and len(line.points) > 2:
            for i in range(len(line.points) - 1):
                xml = _vml_line(line.points[i : i + 2], origin)
                if i < len(line.points) - 2:
                    xml = xml.replace('<v:stroke endarrow="block"/>', "")
                add(line.anchor, xml)
        else:
            add(line.anchor, _vml_line(line.points, origin))
        if line.label and line.label_box is not None:
            add(line.anchor, _vml_label(line.label_box, line.label, origin))
    if rng.random() < 0.4:  # everything in one v:group instead
        runs = {(2, 2): [f"<w:r><w:pict>{vml_group(lay, rng)}</w:pict></w:r>"]}
        rule = rule if _text_fits(lay) else "exact"
    body = _identity(lay.sop) + "<w:p/>" + word_table(lay, rule, runs)
    return docx_package(body, _page_for(lay, False))


_VML_TYPE = {ShapeKind.TERMINATOR: 116, ShapeKind.PROCESS: 109, ShapeKind.DECISION: 110}


def vml_group(lay: Layout, rng: random.Random) -> str:
    """One ``v:group`` over the role columns, held by the first step row's first role cell:
    its children in the group's own space (``coordorigin``/``coordsize``, bare numbers),
    lines by ``from``/``to`` and ``points`` in that space."""
    area = Box(lay.col_x(2) - 4, lay.row_y(2) - 4, lay.col_x(2 + len(lay.sop.roles)) + 4,
               lay.row_y(len(lay.heights)) + 4)  # fmt: skip
    k = rng.choice((1.0, 20.0, 12700.0 / 1000))  # units per point: points, twips, others
    ox, oy = rng.randint(0, 5) * 100, rng.randint(0, 5) * 100

    def u(x: float, y: float) -> str:
        return f"{round(ox + (x - area.x0) * k)},{round(oy + (y - area.top) * k)}"

    def place(b: Box) -> str:
        return (f"position:absolute;left:{round(ox + (b.x0 - area.x0) * k)};top:"
                f"{round(oy + (b.top - area.top) * k)};width:{round(b.width * k)};height:"
                f"{round(b.height * k)}")  # fmt: skip

    parts = []
    for sym in lay.symbols:
        tb = f"<v:textbox>{_txbx(sym.text)}</v:textbox>" if sym.text else ""
        parts.append(f'<v:shape type="#_x0000_t{_VML_TYPE[sym.kind]}" style="{place(sym.box)}">'
                     f"{tb}</v:shape>")  # fmt: skip
    for line in lay.lines:
        stroke = '<v:stroke endarrow="block"/>'
        if len(line.points) == 2:
            parts.append(f'<v:line style="position:absolute" from="{u(*line.points[0])}" to="'
                         f'{u(*line.points[1])}">{stroke}</v:line>')  # fmt: skip
        else:
            pts = ",".join(u(x, y) for x, y in line.points)
            parts.append(f'<v:polyline style="position:absolute" points="{pts}" filled="f">'
                         f"{stroke}</v:polyline>")  # fmt: skip
        if line.label and line.label_box is not None:
            parts.append(f'<v:shape type="#_x0000_t202" style="{place(line.label_box)}" '
                         f'filled="f" stroked="f"><v:textbox>{_txbx(line.label)}</v:textbox>'
                         "</v:shape>")  # fmt: skip
    first = lay.cell(2, 2)
    return (
        f'<v:group style="position:absolute;margin-left:{area.x0 - first.x0 - CELL_PAD:.2f}pt;'
        f"margin-top:{area.top - first.top:.2f}pt;width:{area.width:.2f}pt;height:"
        f"{area.height:.2f}pt;z-index:1;mso-position-horizontal-relative:text;"
        f'mso-position-vertical-relative:text" coordorigin="{ox},{oy}" coordsize="'
        f'{round(area.width * k)},{round(area.height * k)}">{"".join(parts)}</v:group>'
    )


# -- Excel --------------------------------------------------------------------------------------


def xlsx_form(lay: Layout, rng: random.Random, anchor_kind: str) -> bytes:
    """The table in sheet cells (merged header, wrapped text, rows of explicit height) and
    the drawing anchored as ``anchor_kind``; connectors as ``cxnSp`` glued to their symbols
    (``stCxn``/``endCxn``) or as plain line shapes."""
    from openpyxl import Workbook

    wb = Workbook()
    drawing = xlsx_sheet(wb.active, lay, rng, anchor_kind)
    buf = io.BytesIO()
    wb.save(buf)
    return _add_drawing(buf.getvalue(), drawing)


@dataclass(frozen=True)
class SheetDefaults:
    """What a sheet leaves to its defaults (a program that writes no ``ht``/``col``): the
    step rows take ``sheetFormatPr/@defaultRowHeight`` (``None``: not written, Excel's
    15 pt), the role columns ``defaultColWidth`` (characters; ``None``: not written, then
    ``baseColWidth`` digits plus padding)."""

    row_height: float | None
    col_width: float | None
    base_width: int = 8


@dataclass(frozen=True)
class SheetRows:
    """How the layout's rows become sheet rows: ``halves`` (step indexes) take two sheet rows
    of half the height, their No/Kegiatan/Mutu Baku/Keterangan cells merged down both;
    ``repeat_at`` (a step index): a page-break row and the two header rows again stand
    before that step (a sheet printed over two pages, its header repeated by hand);
    ``marks``: off-page connectors (box, text) drawn with the shapes."""

    halves: frozenset[int] = frozenset()
    repeat_at: int | None = None
    marks: tuple[tuple[Box, str], ...] = ()

    def plan(self, lay: Layout, top_rows: int) -> tuple[list[tuple[int, int]], int | None]:
        """Per layout row its first sheet row (0-based) and how many it takes; and the
        page-break row's index (None: no break)."""
        out, at, brk = [], top_rows, None
        for r in range(len(lay.heights)):
            if self.repeat_at is not None and r == 2 + self.repeat_at:
                brk = at
                at += 3  # the break row and the two header rows
            parts = 2 if r >= 2 and r - 2 in self.halves else 1
            out.append((at, parts))
            at += parts
        return out, brk


BREAK_ROW_H = 8.0
"""The height of the empty row an author leaves where the page breaks."""


def xlsx_sheet(ws: Any, lay: Layout, rng: random.Random, anchor_kind: str,
               title: str | None = None, defaults: SheetDefaults | None = None,
               rows: SheetRows | None = None) -> str:  # fmt: skip
    """Fill ``ws`` with the identity rows and the table of ``lay``; the drawing part's XML.
    ``title``: the sheet's name (else drawn from the seed); ``defaults``: rows and columns
    left without a stored size (:class:`SheetDefaults`); ``rows``: steps over two sheet
    rows, a header repeated after a page break (:class:`SheetRows`)."""
    from openpyxl.utils import get_column_letter

    top_rows = rng.randint(2, 6)
    style = rng.choice(CONNECTOR_STYLES)
    glued = rng.random() < 0.5
    sop = lay.sop
    picked = rng.choice(("SOP", "Sheet1", "Flowchart"))
    ws.title = title or picked
    ws["A1"] = sop.identity.agency or "PEMERINTAH KABUPATEN CONTOH"
    if top_rows > 2:
        ws["A2"], ws["C2"] = "Nama SOP", sop.identity.name or "-"
    widths_pt: list[float] = []
    n = len(sop.roles)
    if defaults is not None:
        fmt = ws.sheet_format
        fmt.baseColWidth = defaults.base_width
        fmt.defaultColWidth = defaults.col_width
        fmt.defaultRowHeight = defaults.row_height or 15
        fmt.customHeight = defaults.row_height is not None
        if defaults.col_width is not None:
            default_w = col_points(defaults.col_width)
        else:
            default_w = math.ceil((defaults.base_width * 7 + 5) / 8) * 8 * 0.75
    for c, width in enumerate(lay.widths):
        if defaults is not None and 2 <= c < 2 + n:
            widths_pt.append(default_w)  # a role column: no <col> written
            continue
        chars = round((width / 0.75 - 5) / 7, 2)
        ws.column_dimensions[get_column_letter(c + 1)].width = chars
        widths_pt.append(col_points(chars))
    row_default = (defaults.row_height or 15.0) if defaults is not None else 15.0
    heights_pt = [row_default] * top_rows
    rows = rows or SheetRows()
    plan, brk = rows.plan(lay, top_rows)
    for r, h in enumerate(lay.heights):
        if defaults is not None and r >= 2:
            heights_pt.append(row_default)  # a step row: no ht written
            continue
        if brk is not None and plan[r][0] == brk + 3:
            for extra in (BREAK_ROW_H, lay.heights[0], lay.heights[1]):
                ws.row_dimensions[len(heights_pt) + 1].height = extra
                heights_pt.append(extra)
        parts = plan[r][1]
        for _ in range(parts):
            ws.row_dimensions[len(heights_pt) + 1].height = h / parts
            heights_pt.append(h / parts)
    return _sheet_cells_and_drawing(
        ws, lay, rng, anchor_kind, top_rows, style, glued, widths_pt, heights_pt, rows
    )


def _sheet_header(ws: Any, lay: Layout, base: int) -> None:
    """The two header rows from sheet row ``base`` (1-based), merged as authors merge them."""
    top, second = headers(lay.sop)
    for c, text in enumerate(top):
        if text:
            ws.cell(base, c + 1, text)
    for c, text in enumerate(second):
        if text:
            ws.cell(base + 1, c + 1, text)
    n = len(lay.sop.roles)
    ws.merge_cells(start_row=base, start_column=3, end_row=base, end_column=2 + n)
    ws.merge_cells(start_row=base, start_column=3 + n, end_row=base, end_column=5 + n)
    for c in (1, 2, len(lay.widths)):
        ws.merge_cells(start_row=base, start_column=c, end_row=base + 1, end_column=c)


def _sheet_cells_and_drawing(ws: Any, lay: Layout, rng: random.Random, anchor_kind: str,
                             top_rows: int, style: str, glued: bool, widths_pt: list[float],
                             heights_pt: list[float],
                             rows: SheetRows | None = None) -> str:  # fmt: skip
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.pagebreak import Break

    sop = lay.sop
    rows = rows or SheetRows()
    plan, brk = rows.plan(lay, top_rows)
    base = top_rows + 1
    wrap = Alignment(wrap_text=True, vertical="top")
    _sheet_header(ws, lay, base)
    n = len(sop.roles)
    for i in range(len(sop.steps)):
        first, span = plan[2 + i]
        for c, text in enumerate(row_values(sop, i)):
            if text:
                cell = ws.cell(first + 1, c + 1, int(text) if c == 0 else text)
                cell.alignment = wrap
            if span > 1 and not 2 <= c < 2 + n:
                ws.merge_cells(start_row=first + 1, start_column=c + 1, end_row=first + span,
                               end_column=c + 1)  # fmt: skip
    if brk is not None:
        ws.row_breaks.append(Break(id=brk + 1))
        _sheet_header(ws, lay, brk + 2)
    xs, ys = [0.0], [0.0]
    for w in widths_pt:
        xs.append(xs[-1] + w)
    for h in heights_pt:
        ys.append(ys[-1] + h)

    def sx(x: float) -> float:
        for c in range(len(lay.widths)):
            lx, lw = lay.col_x(c), lay.widths[c]
            if x <= lx + lw + 1e-6:
                return xs[c] + (x - lx) * widths_pt[c] / lw
        return xs[-1]

    def sy(y: float) -> float:
        for r in range(len(lay.heights)):
            ly, lh = lay.row_y(r), lay.heights[r]
            if y <= ly + lh + 1e-6:
                first, span = plan[r]
                return ys[first] + (y - ly) * (ys[first + span] - ys[first]) / lh
        return ys[-1]

    def sheet(b: Box) -> Box:
        return Box(sx(b.x0), sy(b.top), sx(b.x1), sy(b.bottom))

    def anchored(b: Box, body: str) -> str:
        c0, dx0 = _grid_anchor(xs, b.x0)
        r0, dy0 = _grid_anchor(ys, b.top)
        frm = (f"<xdr:from><xdr:col>{c0}</xdr:col><xdr:colOff>{dx0}</xdr:colOff><xdr:row>{r0}"
               f"</xdr:row><xdr:rowOff>{dy0}</xdr:rowOff></xdr:from>")  # fmt: skip
        ext = f'<xdr:ext cx="{round(b.width * EMU)}" cy="{round(b.height * EMU)}"/>'
        if anchor_kind == "oneCellAnchor":
            return f"<xdr:oneCellAnchor>{frm}{ext}{body}<xdr:clientData/></xdr:oneCellAnchor>"
        if anchor_kind == "absoluteAnchor":
            return (
                f'<xdr:absoluteAnchor><xdr:pos x="{round(b.x0 * EMU)}" y="'
                f'{round(b.top * EMU)}"/>{ext}{body}<xdr:clientData/></xdr:absoluteAnchor>'
            )
        c1, dx1 = _grid_anchor(xs, b.x1)
        r1, dy1 = _grid_anchor(ys, b.bottom)
        return (f'<xdr:twoCellAnchor editAs="{rng.choice(("oneCell", "twoCell", "absolute"))}">'
                f"{frm}<xdr:to><xdr:col>{c1}</xdr:col><xdr:colOff>{dx1}</xdr:colOff><xdr:row>"
                f"{r1}</xdr:row><xdr:rowOff>{dy1}</xdr:rowOff></xdr:to>{body}<xdr:clientData/>"
                "</xdr:twoCellAnchor>")  # fmt: skip

    def txt(text: str) -> str:
        if not text:
            return ""
        return (f'<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="id-ID" sz="700"/>'
                f"<a:t>{escape(text)}</a:t></a:r></a:p></xdr:txBody>")  # fmt: skip

    presets = {k: rng.choice(v) for k, v in PRESETS.items()}
    parts: list[str] = []
    ids: dict[int, int] = {}  # step number -> the id of its main symbol
    uid = 1
    for s in lay.symbols:
        uid += 1
        b = sheet(s.box)
        if s.role == sop.steps[[x.number for x in sop.steps].index(s.step)].role:
            ids.setdefault(s.step, uid)
        b, turn = turned(b, rng)
        parts.append(anchored(b, (
            f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{uid}" name="Shape {uid}"/>'
            f"<xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr>{_xfrm(b, (0, 0), turn)}{_prst(presets[s.kind])}"
            f"{_ln_xml('')}</xdr:spPr>{txt(s.text)}</xdr:sp>")))  # fmt: skip
    for box, name in rows.marks:
        uid += 1
        b = sheet(box)
        parts.append(anchored(b, (
            f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{uid}" name="Shape {uid}"/>'
            f"<xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr>{_xfrm(b, (0, 0))}"
            f"{_prst('flowChartOffpageConnector')}{_ln_xml('')}</xdr:spPr>{txt(name)}"
            "</xdr:sp>")))  # fmt: skip
    row_step = {2 + i: st.number for i, st in enumerate(sop.steps)}
    for line in lay.lines:
        pts = tuple((sx(x), sy(y)) for x, y in line.points)
        src = ids.get(row_step.get(line.anchor[0], -1))
        for g in connector(pts, style):
            uid += 1
            glue = f'<a:stCxn id="{src}" idx="3"/>' if glued and src else ""
            if "custGeom" in g.geom:
                body = (f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{uid}" name='
                        f'"Freeform {uid}"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr>'
                        f"{_xfrm(g.box, (0, 0), g.flips)}{g.geom}{_ln_xml(g.head)}</xdr:spPr>"
                        "</xdr:sp>")  # fmt: skip
            elif glued:
                body = (f'<xdr:cxnSp macro=""><xdr:nvCxnSpPr><xdr:cNvPr id="{uid}" name="'
                        f'Connector {uid}"/><xdr:cNvCxnSpPr>{glue}</xdr:cNvCxnSpPr>'
                        f"</xdr:nvCxnSpPr><xdr:spPr>{_xfrm(g.box, (0, 0), g.flips)}{g.geom}"
                        f"{_ln_xml(g.head)}</xdr:spPr></xdr:cxnSp>")  # fmt: skip
            else:
                body = (f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{uid}" name='
                        f'"Line {uid}"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr>'
                        f"{_xfrm(g.box, (0, 0), g.flips)}{g.geom}{_ln_xml(g.head)}</xdr:spPr>"
                        "</xdr:sp>")  # fmt: skip
            parts.append(anchored(g.box, body))
        if line.label and line.label_box is not None:
            uid += 1
            lb = sheet(line.label_box)
            parts.append(anchored(lb, (
                f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{uid}" name="Text '
                f'{uid}"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr>{_xfrm(lb, (0, 0))}'
                f'{_prst("rect")}<a:noFill/>{_ln_xml("", visible=False)}</xdr:spPr>'
                f"{txt(line.label)}</xdr:sp>")))  # fmt: skip
    drawing = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr='
               '"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a='
               f'"http://schemas.openxmlformats.org/drawingml/2006/main">{"".join(parts)}'
               "</xdr:wsDr>")  # fmt: skip
    return drawing


# -- pictures: the flowchart pasted as a screenshot or a scanned page -----------------------------

_PIC_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_PIC_NS = f'xmlns:pic="{_PIC_URI}"'


@dataclass(frozen=True)
class Shot:
    """One page of the SOP's official document (:mod:`converters.drawing.document`) as the
    picture an author pastes: its bytes and the size it shows at (points)."""

    data: bytes
    width: float
    height: float
    kind: str  # "identity" or "flow"


def page_shots(sop: Sop, rng: random.Random) -> list[Shot]:
    """The document's pages as pictures, the way they reach a Word or Excel file: a
    screenshot (PNG without a stated dpi), a picture exported at a dpi (PNG or JPEG that
    states it), or a scanned page (JPEG, a slight skew)."""
    from PIL import Image

    from converters.drawing.document import document_pages
    from tests.support.scan_fixtures import render_scan

    how = rng.choice(("screenshot", "export", "export", "scan"))
    dpi = rng.choice((150, 200)) if how != "scan" else 200
    jpeg = rng.choice((None, 85)) if how == "export" else (rng.randint(60, 85) if how == "scan"
                                                            else None)  # fmt: skip
    rotate = rng.uniform(-1.2, 1.2) if how == "scan" else 0.0
    fx = render_scan(sop, dpi=dpi, rotate=rotate, jpeg=jpeg)
    kinds = [p.kind for p in document_pages(sop)]
    out = []
    for data, kind in zip(fx.images, kinds, strict=True):
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
            if how == "screenshot":  # a screen grab states no dpi
                buf = io.BytesIO()
                im.save(buf, format="PNG")
                data = buf.getvalue()
        out.append(Shot(data, w * 72.0 / dpi, h * 72.0 / dpi, kind))
    return out


def _fit(shot: Shot, width: float, height: float) -> tuple[float, float]:
    """The size a picture shows at when Word shrinks it into ``width`` x ``height``."""
    k = min(1.0, width / shot.width, height / shot.height)
    return shot.width * k, shot.height * k


def _pic(rid: str, w: float, h: float, uid: int) -> str:
    """A DrawingML ``pic:pic`` that shows the picture of relationship ``rid``."""
    return (f'<pic:pic {_PIC_NS}><pic:nvPicPr><pic:cNvPr id="{uid}" name="Picture {uid}"/>'
            f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch>'
            f'<a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{round(w * EMU)}" cy="{round(h * EMU)}"/></a:xfrm><a:prstGeom prst='
            '"rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>')  # fmt: skip


def picture_run(rid: str, w: float, h: float, uid: int, holder: str) -> str:
    """The run that shows one picture: ``inline`` (Word's default for a pasted picture),
    ``anchor`` (floating, at the margin), or ``vml`` (``v:imagedata``, older Word)."""
    if holder == "vml":
        return (f'<w:r><w:pict><v:shape id="_x0000_i{1024 + uid}" type="#_x0000_t75" style="'
                f'width:{w:.1f}pt;height:{h:.1f}pt"><v:imagedata r:id="{rid}" o:title=""/>'
                "</v:shape></w:pict></w:r>")  # fmt: skip
    if holder == "anchor":
        return _run_drawing(_anchor(Box(0, 0, w, h), ("margin", 0.0), ("paragraph", 0.0),
                                    _PIC_URI, _pic(rid, w, h, uid), uid))  # fmt: skip
    return (f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent '
            f'cx="{round(w * EMU)}" cy="{round(h * EMU)}"/><wp:docPr id="{uid}" name="Picture '
            f'{uid}"/><a:graphic><a:graphicData uri="{_PIC_URI}">{_pic(rid, w, h, uid)}'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")  # fmt: skip


_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def docx_picture(lay: Layout, rng: random.Random) -> bytes:
    """The flowchart pasted as pictures, one per page of the official document (a
    screenshot, an exported PNG/JPEG or a scanned page), shown inline, floating or as VML;
    in its own paragraphs or in a one-cell table. The identity block is a picture too, a
    Word table of its own, or left out."""
    shots = page_shots(lay.sop, rng)
    holder = rng.choice(("inline", "inline", "anchor", "vml"))
    in_table = rng.random() < 0.25
    identity = rng.choice(("picture", "text", "none"))
    page = WordPage(842.0, 595.0, 28.0, 28.0)
    media: dict[str, bytes] = {}
    parts: list[str] = []
    if identity == "text":
        parts.append(_identity(lay.sop) + _PAGE_BREAK)
    for i, shot in enumerate(shots, 1):
        if shot.kind == "identity" and identity != "picture":
            continue
        rid = f"rIdImg{i}"
        media[rid] = shot.data
        w, h = _fit(shot, page.width - 2 * page.left, page.height - 2 * page.top - 20)
        para = f"<w:p>{picture_run(rid, w, h, i, holder)}</w:p>"
        if in_table:
            para = (f'<w:tbl><w:tblPr><w:tblW w:w="{round(w * 20 + 220)}" w:type="dxa"/></w:tblPr>'
                    f'<w:tblGrid><w:gridCol w:w="{round(w * 20 + 220)}"/></w:tblGrid><w:tr>'
                    f"{_tc(w + 11, '', runs=picture_run(rid, w, h, i, holder))}</w:tr></w:tbl>"
                    "<w:p/>")  # fmt: skip
        parts.append(para if not parts else _PAGE_BREAK + para)
    return docx_package("".join(parts), page, media)


def xlsx_picture(lay: Layout, rng: random.Random) -> bytes:
    """The flowchart pasted into a sheet as pictures (``xdr:pic``, ``xl/media``), one below
    the other, anchored ``oneCell`` or ``twoCell``; the identity block in cells above them or
    as a picture too."""
    from openpyxl import Workbook

    shots = page_shots(lay.sop, rng)
    anchor_kind = rng.choice(("oneCellAnchor", "twoCellAnchor"))
    identity = rng.choice(("cells", "picture"))
    wb = Workbook()
    ws = wb.active
    ws.title = rng.choice(("SOP", "Sheet1"))
    top_rows = 0
    if identity == "cells":
        i = lay.sop.identity
        ws["A1"] = i.agency or "PEMERINTAH KABUPATEN CONTOH"
        ws["A2"], ws["C2"] = "Nomor SOP", i.number or "-"
        ws["A3"], ws["C3"] = "Nama SOP", i.name or "-"
        top_rows = 4
    buf = io.BytesIO()
    wb.save(buf)
    col_w, row_h = 48.0, 15.0  # openpyxl's defaults: 64 px columns, 15 pt rows
    parts: list[str] = []
    media: dict[str, bytes] = {}
    y = top_rows * row_h
    for i, shot in enumerate(shots, 1):
        if shot.kind == "identity" and identity != "picture":
            continue
        rid = f"rIdImg{i}"
        media[rid] = shot.data
        w, h = shot.width * 0.8, shot.height * 0.8  # shrunk a little to fit the screen
        body = (f'<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="{i + 1}" name="Picture {i}"/><xdr:cNvPicPr>'
                '<a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr><xdr:blipFill>'
                f'<a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships" r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
                f'</xdr:blipFill><xdr:spPr><a:xfrm><a:off x="0" y="{round(y * EMU)}"/><a:ext cx="'
                f'{round(w * EMU)}" cy="{round(h * EMU)}"/></a:xfrm><a:prstGeom prst="rect">'
                "<a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>")  # fmt: skip
        r0 = int(y // row_h)
        frm = (
            f"<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r0}</xdr:row>"
            f"<xdr:rowOff>{round((y - r0 * row_h) * EMU)}</xdr:rowOff></xdr:from>"
        )
        if anchor_kind == "oneCellAnchor":
            parts.append(
                f'<xdr:oneCellAnchor>{frm}<xdr:ext cx="{round(w * EMU)}" cy="'
                f'{round(h * EMU)}"/>{body}<xdr:clientData/></xdr:oneCellAnchor>'
            )
        else:
            c1, r1 = int(w // col_w), int((y + h) // row_h)
            to = (
                f"<xdr:to><xdr:col>{c1}</xdr:col><xdr:colOff>{round((w - c1 * col_w) * EMU)}"
                f"</xdr:colOff><xdr:row>{r1}</xdr:row><xdr:rowOff>"
                f"{round((y + h - r1 * row_h) * EMU)}</xdr:rowOff></xdr:to>"
            )
            parts.append(
                f'<xdr:twoCellAnchor editAs="oneCell">{frm}{to}{body}<xdr:clientData/>'
                "</xdr:twoCellAnchor>"
            )
        y += h + row_h
    drawing = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr='
               '"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a='
               f'"http://schemas.openxmlformats.org/drawingml/2006/main">{"".join(parts)}'
               "</xdr:wsDr>")  # fmt: skip
    return _with_media(_add_drawing(buf.getvalue(), drawing), "xl/drawings/drawing1.xml", media)


def _with_media(xlsx: bytes, part: str, media: dict[str, bytes]) -> bytes:
    """``xlsx`` with pictures ``media`` (by relationship id) as ``xl/media`` files, named by
    the relationships part of drawing ``part``, their content types declared."""
    folder, _, base = part.rpartition("/")
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                for ext in ("png", "jpeg"):
                    if f'Extension="{ext}"'.encode() not in data:
                        data = data.replace(b"</Types>", (
                            f'<Default Extension="{ext}" ContentType="image/{ext}"/></Types>'
                        ).encode())  # fmt: skip
            dst.writestr(info, data)
        rels = "".join(
            f'<Relationship Id="{rid}" Type="{_IMAGE_REL}" Target="../media/'
            f'{_media_name(rid, b)}"/>' for rid, b in media.items())  # fmt: skip
        dst.writestr(f"{folder}/_rels/{base}.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            f'"http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            "</Relationships>"))  # fmt: skip
        for rid, b in media.items():
            dst.writestr(f"xl/media/{_media_name(rid, b)}", b)
    return out.getvalue()


# -- session 8: how other agencies' files differ ---------------------------------------------------


def docx_split_tables(lay: Layout, rng: random.Random) -> bytes:
    """The step table continued in a second Word table after a page break (off-page
    connectors join the lines that cross it), the second table's header rows repeated and
    marked ``tblHeader``, repeated as plain rows (an author's copy-paste), or not repeated."""
    return docx_pages(lay, rng, rng.choice(("marked", "plain", "none")))


def _frame_table(width: float, rows: list[str]) -> str:
    """An outer layout table (a template's border frame): one column, each of ``rows`` (body
    XML: paragraphs and tables) one row's only cell, closed by the paragraph Word requires."""
    w = round((width + 2 * CELL_PAD) * 20)
    trs = "".join(f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{body}<w:p/>'
                  "</w:tc></w:tr>" for body in rows)  # fmt: skip
    borders = "".join(f'<w:{s} w:val="double" w:sz="4" w:space="0" w:color="000000"/>'
                      for s in ("top", "left", "bottom", "right"))  # fmt: skip
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{w}" w:type="dxa"/><w:tblBorders>{borders}'
            f'</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="{w}"/></w:tblGrid>{trs}'
            "</w:tbl>")  # fmt: skip


def _cell_runs(lay: Layout, rng: random.Random, style: str) -> dict[tuple[int, int], list[str]]:
    """Every shape anchored in its own cell (``column``/``paragraph``), as :func:`docx_in_cells`."""
    runs: dict[tuple[int, int], list[str]] = {}
    for uid, (xml, box, cell) in enumerate(_shape_xml(lay, rng, style, None), 1):
        assert cell is not None
        c = lay.cell(*cell)
        origin = (c.x0 + CELL_PAD, c.top)
        anchor = _anchor(box, ("column", box.x0 - origin[0]), ("paragraph", box.top - origin[1]),
                         _WPS, xml, uid)  # fmt: skip
        runs.setdefault(cell, []).append(_run_drawing(anchor))
    return runs


def docx_nested(lay: Layout, rng: random.Random, drawn: bool = True) -> bytes:
    """A template with a border frame: an outer one-column table holding the identity block
    and the whole SOP table in its one cell, or each in a row of its own, or only the
    identity block (the flowchart table after it in the body); sometimes each role's header
    cell holds the role's name in a nested table of its own. Shapes in their cells
    (``drawn`` off: none, the table alone)."""
    style = rng.choice(CONNECTOR_STYLES)
    rule = rng.choice(("exact", "atLeast", "exact"))
    runs = _cell_runs(lay, rng, style) if drawn else {}
    table = word_table(lay, rule, runs, role_tables=rng.random() < 0.4)
    width = sum(lay.widths)
    ident = _identity(lay.sop)
    mode = rng.choice(("one cell", "rows", "identity"))
    if mode == "one cell":
        body = _frame_table(width, [ident + "<w:p/>" + table])
    elif mode == "rows":
        body = _frame_table(width, [ident, table])
    else:
        body = _frame_table(width, [ident]) + "<w:p/>" + table
    return docx_package(body, _page_for(lay, False))


def decision_rows(lay: Layout) -> frozenset[int]:
    """The step indexes of the decisions: the rows an author gives two table rows."""
    return frozenset(i for i, s in enumerate(lay.sop.steps) if s.decision is not None)


def docx_merged(lay: Layout, rng: random.Random) -> bytes:
    """Each decision's row drawn as two table rows, No/Kegiatan/Mutu Baku/Keterangan merged
    down both (``vMerge``), the diamond and its arrows anchored in the first; rows exact or at
    least their height."""
    style = rng.choice(CONNECTOR_STYLES)
    rule = rng.choice(("exact", "atLeast"))
    runs = _cell_runs(lay, rng, style)
    body = _identity(lay.sop) + "<w:p/>" + word_table(lay, rule, runs, halves=decision_rows(lay))
    return docx_package(body, _page_for(lay, False))


def _turned_line(g: Geometry, rng: random.Random) -> Geometry:
    """A straight line as another program stores the same stroke: flipped both ways as a
    half turn (``rot="10800000"``), or a vertical line as a level one turned a quarter."""
    if "prstGeom" not in g.geom or ("straightConnector1" not in g.geom and '"line"' not in g.geom):
        return g
    if g.flips == ' flipH="1" flipV="1"' and rng.random() < 0.7:
        return dataclasses.replace(g, flips=' rot="10800000"')
    if g.box.width < 0.01 and g.box.height > 1 and rng.random() < 0.7:
        b = g.box
        level = Box(b.cx - b.height / 2, b.cy, b.cx + b.height / 2, b.cy)
        down = not g.flips  # drawn top to bottom: the level line's start turns to the top
        rot = 5400000 if down else 16200000
        return dataclasses.replace(g, box=level, flips=f' rot="{rot}"')
    return g


def docx_text_over(lay: Layout, rng: random.Random) -> bytes:
    """Text boxes laid over shapes: each decision's question (or every symbol's text) in a
    borderless text box over an empty symbol, the Ya/Tidak labels beside their connectors;
    lines turned (``rot``) or flipped, freeforms, or a plain line with an arrowhead."""
    style = rng.choice(CONNECTOR_STYLES)
    rule = rng.choice(("exact", "atLeast", "exact"))
    presets = {k: rng.choice(v) for k, v in PRESETS.items()}
    label_body = _prst("rect") + "<a:noFill/>" + _ln_xml("", visible=False)
    items: list[tuple[str, Box, tuple[int, int]]] = []
    for s in lay.symbols:
        items.append((_wsp("sp", s.box, None, _prst(presets[s.kind]) + _ln_xml("")), s.box,
                      _cell_of(lay, s)))  # fmt: skip
        if s.text:
            inner = Box(s.box.x0 + 6, s.box.top + 6, s.box.x1 - 6, s.box.bottom - 6)
            items.append((_wsp("sp", inner, None, label_body, s.text, label=True), inner,
                          _cell_of(lay, s)))  # fmt: skip
    for line in lay.lines:
        for g in connector(line.points, style):
            g = _turned_line(g, rng)
            items.append((_wsp("line", g.box, None, g.geom + _ln_xml(g.head), flips=g.flips),
                          g.box, line.anchor))  # fmt: skip
        if line.label and line.label_box is not None:
            items.append((_wsp("sp", line.label_box, None, label_body, line.label, label=True),
                          line.label_box, line.anchor))  # fmt: skip
    runs: dict[tuple[int, int], list[str]] = {}
    for uid, (xml, box, cell) in enumerate(items, 1):
        c = lay.cell(*cell)
        origin = (c.x0 + CELL_PAD, c.top)
        anchor = _anchor(box, ("column", box.x0 - origin[0]), ("paragraph", box.top - origin[1]),
                         _WPS, xml, uid)  # fmt: skip
        runs.setdefault(cell, []).append(_run_drawing(anchor))
    body = _identity(lay.sop) + "<w:p/>" + word_table(lay, rule, runs)
    return docx_package(body, _page_for(lay, False))


def _wps_anchor(box: Box, cell: Box, body: str, uid: int, centred: bool) -> str:
    """A ``wp:anchor`` as WPS Office writes one in a table cell: ``wp14:anchorId`` and
    ``wp14:editId``, a non-zero ``effectExtent``, ``column``/``paragraph`` frames, and a
    symbol the author centred in its cell as ``wp:align`` center (no offset)."""
    dx = round((box.x0 - cell.x0 - CELL_PAD) * EMU)
    where = "<wp:align>center</wp:align>" if centred else f"<wp:posOffset>{dx}</wp:posOffset>"
    h = f'<wp:positionH relativeFrom="column">{where}</wp:positionH>'
    return (
        f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        f'relativeHeight="{251658240 + uid}" behindDoc="0" locked="0" layoutInCell="1" '
        f'allowOverlap="1" wp14:anchorId="{uid:08X}" wp14:editId="{uid + 7:08X}">'
        f'<wp:simplePos x="0" y="0"/>{h}<wp:positionV relativeFrom="paragraph"><wp:posOffset>'
        f"{round((box.top - cell.top) * EMU)}</wp:posOffset></wp:positionV>"
        f'<wp:extent cx="{round(box.width * EMU)}" cy="{round(box.height * EMU)}"/>'
        '<wp:effectExtent l="6350" t="6350" r="6350" b="6350"/><wp:wrapNone/>'
        f'<wp:docPr id="{uid}" name="{"Flowchart" if centred else "Straight Arrow Connector"} '
        f'{uid}"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{_WPS}">{body}'
        "</a:graphicData></a:graphic></wp:anchor>"
    )


def docx_wps(lay: Layout, rng: random.Random) -> bytes:
    """The SOP as WPS Office (Kingsoft) saves it: shapes as bare ``wps:wsp`` (no
    ``mc:AlternateContent``, no VML fallback) anchored in their cells, each symbol centred
    in its cell by ``wp:align`` (the alignment WPS's "centre in cell" writes), its text box
    with WPS's ``wps:bodyPr`` insets and centring, start/end drawn as WPS's
    ``flowChartAlternateProcess`` or a terminator; connectors ``straightConnector1``/
    ``bentConnector3`` with flips, as the WPS arrow tools draw them."""
    style = rng.choice(("connector", "bent"))
    rule = rng.choice(("exact", "atLeast"))
    body_pr = ('<wps:bodyPr rot="0" spcFirstLastPara="0" vertOverflow="overflow" horzOverflow='
               '"overflow" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns='
               '"45720" numCol="1" spcCol="0" rtlCol="0" fromWordArt="0" anchor="ctr" anchorCtr='
               '"0" forceAA="0" compatLnSpc="1"><a:noAutofit/></wps:bodyPr>')
    start = rng.choice(("flowChartAlternateProcess", "flowChartTerminator"))
    prst = {ShapeKind.TERMINATOR: start, ShapeKind.PROCESS: "flowChartProcess",
            ShapeKind.DECISION: "flowChartDecision"}  # fmt: skip
    fill = '<a:solidFill><a:schemeClr val="bg1"/></a:solidFill>'
    runs: dict[tuple[int, int], list[str]] = {}
    uid = 0
    for s in lay.symbols:
        uid += 1
        cell_rc = _cell_of(lay, s)
        xml = _wsp("sp", s.box, None, _prst(prst[s.kind]) + fill + _ln_xml(""), s.text)
        xml = xml.replace("<wps:bodyPr/>", body_pr)
        anchor = _wps_anchor(s.box, lay.cell(*cell_rc), xml, uid, True)
        runs.setdefault(cell_rc, []).append(_run_drawing(anchor))
    for line in lay.lines:
        pieces: list[tuple[str, Box]] = [
            (_wsp("line", g.box, None, g.geom + _ln_xml(g.head), flips=g.flips), g.box)
            for g in connector(line.points, style)
        ]
        if line.label and line.label_box is not None:
            body = _prst("rect") + "<a:noFill/>" + _ln_xml("", visible=False)
            pieces.append((_wsp("sp", line.label_box, None, body, line.label, label=True)
                           .replace("<wps:bodyPr/>", body_pr), line.label_box))  # fmt: skip
        for xml, box in pieces:
            uid += 1
            anchor = _wps_anchor(box, lay.cell(*line.anchor), xml, uid, False)
            runs.setdefault(line.anchor, []).append(_run_drawing(anchor))
    body = _identity(lay.sop) + "<w:p/>" + word_table(lay, rule, runs)
    return docx_package(body, _page_for(lay, False))


def _alternate(anchor: str, box: Box) -> str:
    """A drawing run as LibreOffice and Word 2010+ write it: the DrawingML in
    ``mc:Choice Requires="wps"`` and a VML copy (``v:rect`` of the same size, offsets lost)
    as the ``mc:Fallback`` that older readers show."""
    vml = (f'<w:pict><v:rect style="position:absolute;margin-left:0;margin-top:0;width:'
           f'{box.width:.1f}pt;height:{box.height:.1f}pt;z-index:1" filled="f"/></w:pict>')
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{anchor}'
            f"</w:drawing></mc:Choice><mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent>"
            "</w:r>")  # fmt: skip


def docx_libreoffice(lay: Layout, rng: random.Random) -> bytes:
    """The SOP as LibreOffice Writer saves it: every drawing in ``mc:AlternateContent`` with a
    VML fallback; the flowchart either one ``wpg:wgp`` group whose children keep the absolute
    EMU coordinates they had on the page (``chOff`` = where the group stands, ``chExt`` =
    ``ext``), anchored in the first step row's first role cell, or each shape in its own
    cell (``character`` frame horizontally, as Writer's "to character" anchoring)."""
    style = rng.choice(CONNECTOR_STYLES)
    rule = "exact" if not _text_fits(lay) else rng.choice(("exact", "atLeast"))
    runs: dict[tuple[int, int], list[str]] = {}
    if rng.random() < 0.5:
        area = Box(lay.col_x(2) - 4, lay.row_y(2) - 4, lay.col_x(2 + len(lay.sop.roles)) + 4,
                   lay.row_y(len(lay.heights)) + 4)  # fmt: skip
        page_x, page_y = MARGIN + area.x0, MARGIN + 60 + area.top  # where the group stood
        origin = (area.x0 - page_x, area.top - page_y)
        children = "".join(x for x, _, _ in _shape_xml(lay, rng, style, origin))
        off = (round(page_x * EMU), round(page_y * EMU))
        ext = (round(area.width * EMU), round(area.height * EMU))
        inner = ('<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x="'
                 f'{off[0]}" y="{off[1]}"/><a:ext cx="{ext[0]}" cy="{ext[1]}"/><a:chOff x="'
                 f'{off[0]}" y="{off[1]}"/><a:chExt cx="{ext[0]}" cy="{ext[1]}"/></a:xfrm>'
                 f"</wpg:grpSpPr>{children}</wpg:wgp>")  # fmt: skip
        first = lay.cell(2, 2)
        anchor = _anchor(area, ("column", area.x0 - first.x0 - CELL_PAD),
                         ("paragraph", area.top - first.top), _WPG, inner, 1)  # fmt: skip
        runs[(2, 2)] = [_alternate(anchor, area)]
    else:
        for uid, (xml, box, cell) in enumerate(_shape_xml(lay, rng, style, None), 1):
            assert cell is not None
            c = lay.cell(*cell)
            anchor = _anchor(box, ("character", box.x0 - c.x0 - CELL_PAD),
                             ("paragraph", box.top - c.top), _WPS, xml, uid)  # fmt: skip
            runs.setdefault(cell, []).append(_alternate(anchor, box))
    body = _identity(lay.sop) + "<w:p/>" + word_table(lay, rule, runs)
    return docx_package(body, _page_for(lay, False))


def _xlsx_rows(lay: Layout, rng: random.Random, rows: SheetRows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    kind = rng.choice(("twoCellAnchor", "oneCellAnchor", "absoluteAnchor"))
    drawing = xlsx_sheet(wb.active, lay, rng, kind, rows=rows)
    buf = io.BytesIO()
    wb.save(buf)
    return _add_drawing(buf.getvalue(), drawing)


def xlsx_merged(lay: Layout, rng: random.Random) -> bytes:
    """Each decision's row as two sheet rows, No/Kegiatan/Mutu Baku/Keterangan merged down
    both (merged ranges), the diamond in the first; anchors of each kind."""
    return _xlsx_rows(lay, rng, SheetRows(halves=decision_rows(lay)))


def xlsx_repeat(lay: Layout, rng: random.Random) -> bytes:
    """A sheet laid out for printing over two pages: before one step a row with a manual
    page break (``rowBreaks``) and the two header rows typed again; every line crossing
    there cut at a pair of off-page connectors (:func:`split_layout`)."""
    split = split_layout(lay, rng)
    if split is None:
        return _xlsx_rows(lay, rng, SheetRows())
    cut, k, marks = split
    return _xlsx_rows(cut, rng, SheetRows(repeat_at=k, marks=tuple((b, t) for b, t, _ in marks)))

HOLDER_LINE = 11.5
"""The height Word gives an empty paragraph in its default font when a document has no
styles part (Times New Roman 10 pt, single spacing): how far a holding paragraph above the
table pushes the table down."""


def docx_above(lay: Layout, rng: random.Random) -> bytes:
    """The whole flowchart anchored to one empty paragraph above the table, every shape at
    ``page``/``margin`` offsets (``layoutInCell`` off: the paragraph is not in a cell), the
    table below that paragraph on the same page (rows exact, so its place is known); the
    identity block after the table."""
    style = rng.choice(CONNECTOR_STYLES)
    page = _page_for(lay, True)
    page = dataclasses.replace(page, height=page.height + HOLDER_LINE)
    dx, dy = page.left, page.top + HOLDER_LINE  # table points -> page points
    anchors: list[str] = []
    for uid, (xml, box, _cell) in enumerate(_shape_xml(lay, rng, style, None), 1):
        frame = rng.choice(("page", "margin"))
        shift = 0.0 if frame == "page" else -page.left
        vshift = 0.0 if frame == "page" else -page.top
        page_box = Box(box.x0 + dx, box.top + dy, box.x1 + dx, box.bottom + dy)
        anchors.append(_run_drawing(_anchor(page_box, (frame, page_box.x0 + shift),
                                            (frame, page_box.top + vshift), _WPS, xml, uid,
                                            in_cell=False)))  # fmt: skip
    body = f"<w:p>{''.join(anchors)}</w:p>" + word_table(lay, "exact", {}) + _identity(lay.sop)
    return docx_package(body, page)

def xlsx_tables_printed(lay: Layout, rng: random.Random) -> bytes:
    """A table-only sheet (no drawing) laid out for printing: each decision over two sheet
    rows (merged ranges) and, before one step, a page-break row and the header typed again."""
    from openpyxl import Workbook

    n = len(lay.sop.steps)
    rows = SheetRows(halves=decision_rows(lay), repeat_at=rng.randrange(2, max(3, n - 1)))
    wb = Workbook()
    xlsx_sheet(wb.active, lay, rng, "twoCellAnchor", rows=rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

# -- several SOPs in one file, and sheets that leave sizes to their defaults --------------------

_BREAKS = (
    _PAGE_BREAK,
    "<w:p><w:pPr><w:pageBreakBefore/></w:pPr></w:p>",
    '<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/><w:pgSz w:w="16840" w:h="11900" '
    'w:orient="landscape"/><w:pgMar w:top="720" w:right="720" w:bottom="720" w:left="720" '
    'w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:pPr></w:p>',
)
"""What authors put between two SOPs of a compilation: a page break, a paragraph that
starts on a new page, or a section break."""


def docx_several(lays: list[Layout], rng: random.Random) -> bytes:
    """An agency's compilation in one Word file: each SOP's identity block and its drawn
    table (shapes in cells), a page or section break before the next SOP."""
    bodies = [in_cells_body(lay, rng, 1 + 1000 * i) for i, lay in enumerate(lays)]
    body = "".join(b if i == 0 else rng.choice(_BREAKS) + b for i, b in enumerate(bodies))
    widest = max(lays, key=lambda lay: sum(lay.widths))
    return docx_package(body, _page_for(widest, False))


def docx_tables_several(lays: list[Layout], rng: random.Random) -> bytes:
    """A compilation of table-only SOPs (no drawn flowchart: the role columns empty), each
    identity block and table after a page or section break."""
    bodies = [_identity(lay.sop) + "<w:p/>" + word_table(lay, rng.choice(("atLeast", "auto")), {})
              for lay in lays]  # fmt: skip
    body = "".join(b if i == 0 else rng.choice(_BREAKS) + b for i, b in enumerate(bodies))
    widest = max(lays, key=lambda lay: sum(lay.widths))
    return docx_package(body, _page_for(widest, False))


def xlsx_sheets(lays: list[Layout], rng: random.Random) -> bytes:
    """One SOP per sheet, each sheet drawn (its own drawing part, shapes anchored
    ``twoCell``)."""
    from openpyxl import Workbook

    wb = Workbook()
    drawings = []
    for i, lay in enumerate(lays):
        ws = wb.active if i == 0 else wb.create_sheet()
        drawings.append(xlsx_sheet(ws, lay, rng, "twoCellAnchor", title=f"SOP {i + 1}"))
    buf = io.BytesIO()
    wb.save(buf)
    return _add_drawings(buf.getvalue(), drawings)


def xlsx_table_sheets(lays: list[Layout], rng: random.Random) -> bytes:
    """One table-only SOP per sheet (no drawing): what a spreadsheet of an office's SOPs
    looks like when the flowchart was left out."""
    from openpyxl import Workbook

    wb = Workbook()
    for i, lay in enumerate(lays):
        ws = wb.active if i == 0 else wb.create_sheet()
        xlsx_sheet(ws, lay, rng, "twoCellAnchor", title=rng.choice(("SOP", "Prosedur")) +
                   f" {i + 1}")  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_defaults(lay: Layout, rng: random.Random) -> bytes:
    """A sheet written by a program that stores no ``ht`` for the step rows (they take
    ``defaultRowHeight``) and no width for the role columns (``defaultColWidth``, or only
    ``baseColWidth``); the drawing anchored ``oneCell``, ``twoCell`` or absolute."""
    from openpyxl import Workbook

    kind = rng.choice(("oneCellAnchor", "twoCellAnchor", "absoluteAnchor"))
    width, base = rng.choice(((13.7, 8), (11.0, 8), (None, 12), (None, 10)))
    defaults = SheetDefaults(rng.choice((60.0, 66.0, 72.0, 80.0)), width, base)
    wb = Workbook()
    drawing = xlsx_sheet(wb.active, lay, rng, kind, defaults=defaults)
    buf = io.BytesIO()
    wb.save(buf)
    return _add_drawing(buf.getvalue(), drawing)


# -- the registry and one case --------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeForm:
    """One way a drawn SOP is saved as an office file: ``make`` writes one SOP, ``make_many``
    (instead) a compilation of :func:`sop_count` SOPs. ``text_truth``: the file holds no
    drawing, so a step's role is known only where its text names it. ``stride``: the bench
    reads only every ``stride``-th seed of a form that costs OCR."""

    name: str
    filename: str
    make: Callable[[Layout, random.Random], bytes] | None = None
    make_many: Callable[[list[Layout], random.Random], bytes] | None = None
    text_truth: bool = False
    stride: int = 1


PICTURE_STRIDE = 10
"""The picture forms are read by OCR (seconds per page): the bench reads every tenth seed."""

FORMS: tuple[OfficeForm, ...] = (
    OfficeForm("docx in cells", "sop.docx", docx_in_cells),
    OfficeForm("docx on page", "sop.docx", docx_on_page),
    OfficeForm("docx canvas", "sop.docx", docx_canvas),
    OfficeForm("docx group", "sop.docx", docx_group),
    OfficeForm("docx vml", "sop.docx", docx_vml),
    OfficeForm("docx sections", "sop.docx", docx_sections),
    OfficeForm("docx pages", "sop.docx", docx_pages),
    OfficeForm("xlsx twoCell", "sop.xlsx", lambda lay, rng: xlsx_form(lay, rng, "twoCellAnchor")),
    OfficeForm("xlsx oneCell", "sop.xlsx", lambda lay, rng: xlsx_form(lay, rng, "oneCellAnchor")),
    OfficeForm("xlsx absolute", "sop.xlsx", lambda lay, rng: xlsx_form(lay, rng, "absoluteAnchor")),
    OfficeForm("xlsx defaults", "sop.xlsx", xlsx_defaults),
    OfficeForm("docx several", "sop.docx", make_many=docx_several),
    OfficeForm("docx tables several", "sop.docx", make_many=docx_tables_several, text_truth=True),
    OfficeForm("xlsx sheets", "sop.xlsx", make_many=xlsx_sheets),
    OfficeForm("xlsx table sheets", "sop.xlsx", make_many=xlsx_table_sheets, text_truth=True),
    OfficeForm("docx split tables", "sop.docx", docx_split_tables),
    OfficeForm("docx nested", "sop.docx", docx_nested),
    OfficeForm("docx merged", "sop.docx", docx_merged),
    OfficeForm("docx text over", "sop.docx", docx_text_over),
    OfficeForm("docx above", "sop.docx", docx_above),
    OfficeForm("docx wps", "sop.docx", docx_wps),
    OfficeForm("docx libreoffice", "sop.docx", docx_libreoffice),
    OfficeForm("docx tables nested", "sop.docx", lambda lay, rng: docx_nested(lay, rng, False),
               text_truth=True),
    OfficeForm("xlsx merged", "sop.xlsx", xlsx_merged),
    OfficeForm("xlsx repeat", "sop.xlsx", xlsx_repeat),
    OfficeForm("xlsx tables printed", "sop.xlsx", xlsx_tables_printed, text_truth=True),
    OfficeForm("docx picture", "sop.docx", docx_picture, stride=PICTURE_STRIDE),
    OfficeForm("xlsx picture", "sop.xlsx", xlsx_picture, stride=PICTURE_STRIDE),
)
"""Every office form, in the order the bench prints them."""

FORM_BY_NAME = {f.name: f for f in FORMS}


def drawn_truth(g: GeneratedSop) -> Truth:
    """The generator's truth with what a drawing shows: every step's role (its symbol's
    column) and every decision's targets (where its arrows go)."""
    t = truth_of(g)
    steps = tuple(dataclasses.replace(s, role=g.sop.steps[i].role,
                                      targets_known=s.targets is not None)
                  for i, s in enumerate(t.steps))  # fmt: skip
    return Truth(t.roles, steps)


@dataclass(frozen=True)
class CaseResult:
    seed: int
    form: str
    tally: Tally
    error: str = ""
    crash: str = ""


def read_office(data: bytes, filename: str) -> tuple[dict[str, Any] | None, str, str]:
    """The ``alur inspect --json`` object of a file (``read_sop(...).to_dict()``), or the
    refusal / the crash."""
    from converters.reading.sop_file import read_sop

    try:
        return read_sop(data, filename).to_dict(), "", ""
    except ConversionError as exc:
        return None, str(exc), ""
    except Exception as exc:  # a reader bug: counted, not raised, so a run finishes
        return None, "", f"{type(exc).__name__}: {exc}"


def sop_count(seed: int) -> int:
    """SOPs in a compilation form's file: two or three."""
    return 2 + seed % 2


def render(seed: int, form_name: str) -> tuple[GeneratedSop, bytes]:
    """Seed ``seed``'s SOP saved in one form; the form's own choices follow the seed."""
    gs, data = render_all(seed, form_name)
    return gs[0], data


def render_all(seed: int, form_name: str) -> tuple[list[GeneratedSop], bytes]:
    """The SOPs of seed ``seed`` (one, or :func:`sop_count` for a compilation form: seeds
    ``seed``, ``seed + 100000``, ...) saved in one form."""
    form = FORM_BY_NAME[form_name]
    rng = random.Random(f"{seed}-{form_name}")
    if form.make_many is not None:
        gs = [generate(seed + 100000 * k) for k in range(sop_count(seed))]
        return gs, form.make_many([layout(g.sop) for g in gs], rng)
    assert form.make is not None
    g = generate(seed)
    return [g], form.make(layout(g.sop), rng)


def read_office_all(data: bytes, filename: str) -> tuple[list[dict[str, Any]], str, str]:
    """Every SOP of a file as ``alur inspect --all --json`` gives them
    (``read_sops(...)``), or the refusal / the crash."""
    from converters.reading.sop_file import read_sops

    try:
        return [s.to_dict() for s in read_sops(data, filename)], "", ""
    except ConversionError as exc:
        return [], str(exc), ""
    except Exception as exc:  # a reader bug: counted, not raised, so a run finishes
        return [], "", f"{type(exc).__name__}: {exc}"


def run_seed(seed: int, form_names: tuple[str, ...] | list[str]) -> list[CaseResult]:
    out = []
    for name in form_names:
        form = FORM_BY_NAME[name]
        gs, data = render_all(seed, name)
        truths = [truth_of(g) if form.text_truth else drawn_truth(g) for g in gs]
        if form.make_many is None:
            read, error, crash = read_office(data, form.filename)
            out.append(CaseResult(seed, name, score(truths[0], read), error, crash))
            continue
        reads, error, crash = read_office_all(data, form.filename)
        tally = Tally()
        for k, truth in enumerate(truths):
            tally.merge(score(truth, reads[k] if k < len(reads) else None))
        for _ in reads[len(truths) :]:  # a cut too many: one more document that is not one
            tally.add("documents read", False)
        if reads and len(reads) != len(truths) and not error:
            error = f"{len(reads)} SOPs read of {len(truths)}"
        out.append(CaseResult(seed, name, tally, error, crash))
    return out


__all__ = ["CONNECTOR_STYLES", "FORMS", "FORM_BY_NAME", "PICTURE_STRIDE", "PRESETS", "CaseResult",
           "OfficeForm", "Pick", "SheetDefaults", "SheetRows", "Shot", "connector",
           "decision_rows", "docx_above", "docx_libreoffice", "docx_merged", "docx_nested",
           "docx_package", "docx_picture", "docx_several", "docx_split_tables", "docx_text_over",
           "docx_wps", "drawn_truth", "page_shots", "read_office", "read_office_all", "render",
           "render_all", "run_seed", "sop_count", "word_table", "xlsx_merged", "xlsx_picture",
           "xlsx_repeat", "xlsx_sheet", "xlsx_sheets", "xlsx_tables_printed"]  # fmt: skip


class Pick(random.Random):
    """A Random for tests that want one form of file: ``choice`` takes a wanted value whenever
    the sequence offers it (else the first), ``random`` returns just under ``below`` (0.99
    when ``below`` is 1), so every coin the writer tosses falls the wanted way."""

    def __init__(self, *wanted: object, below: float = 1.0) -> None:
        super().__init__(7)
        self.wanted = wanted
        self.below = below

    def choice(self, seq: Any) -> Any:
        for w in self.wanted:
            if w in seq:
                return w
        return seq[0]

    def random(self) -> float:
        return self.below - 1e-9 if self.below < 1.0 else 0.99
