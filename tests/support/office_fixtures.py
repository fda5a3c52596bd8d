"""Word and Excel SOP AP tables with drawn flowcharts, generated from an Sop model (known truth).

The layout is computed once in points (:class:`Layout`): header rows with the Pelaksana role
columns and the Mutu Baku columns, one row per step, the step's symbol centred in its role's
cell (capsule for the first and last step, diamond for decisions, box otherwise, the same
symbol again for every ``other_roles``), arrows between symbols, and the decision's branch
labels as text boxes. The same layout is then written three ways:

* :func:`sop_docx` with DrawingML shapes (each inside ``mc:AlternateContent`` with a VML
  fallback, as Word saves them, so reading both would count every symbol twice);
* :func:`sop_docx` with ``vml=True``: legacy VML only (``v:shape type="#_x0000_t110"``, ...);
* :func:`sop_xlsx`: openpyxl cells plus a ``xl/drawings/drawing1.xml`` part added to the zip.

:func:`truth` lists what a reader must find: (step, role, kind) for every symbol.
"""

from __future__ import annotations

import io
import math
import struct
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from lxml import etree

from converters.model import Sop
from converters.reading.drawn.picture import Box, Picture, ShapeKind

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = (
    *sorted((ROOT / "examples").glob("*.txt")),
    ROOT / "tests" / "fixtures" / "sops" / "a1-example.yaml",
    ROOT / "tests" / "fixtures" / "sops" / "f-25-steps.yaml",
    ROOT / "tests" / "fixtures" / "sops" / "f-singkawang-iku.yaml",
)
"""The sample SOPs: the five example documents, an authored YAML with four decisions and a
second role, and the two model dumps (a 25-step SOP with reject loops, Singkawang's IKU)."""


@cache
def sample_file(path: Path, form: str) -> bytes:
    """A sample SOP as "docx" (DrawingML), "docx-vml", "docx-estimated" / "docx-vml-estimated"
    (no row heights) or "xlsx", generated once per test session."""
    sop = sample(path)
    if form == "xlsx":
        return sop_xlsx(sop)
    return sop_docx(sop, vml=form.startswith("docx-vml"), exact_rows=not form.endswith("estimated"))


@cache
def sample(path: Path) -> Sop:
    return load(path)


def lying_zip(name: str, declared: int) -> bytes:
    """A tiny zip whose central directory declares ``declared`` bytes for its one entry: what a
    zip bomb looks like to a guard, without spending the time to deflate one."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, b"<x/>")
    data = bytearray(buf.getvalue())
    at = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, at + 24, declared)
    return bytes(data)


def load(path: Path) -> Sop:
    """A sample SOP: model dumps (``f-*.yaml``) load directly, the others through read_sop."""
    if path.name.startswith("f-"):
        return Sop.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
    from converters.reading.sop_file import read_sop

    return read_sop(path)

EMU = 12700
NO_W, ACTIVITY_W, ROLE_W = 24.0, 150.0, 76.0
MUTU = (("Kelengkapan", 80.0), ("Waktu", 52.0), ("Output", 72.0))
NOTES_W = 60.0
HEAD1_H, HEAD2_H, ROW_H = 22.0, 40.0, 66.0
MARGIN = 36.0
SIZES = {ShapeKind.TERMINATOR: (56.0, 22.0), ShapeKind.PROCESS: (56.0, 28.0),
         ShapeKind.DECISION: (46.0, 36.0)}  # fmt: skip
CELL_PAD = 5.4  # Word's default left/right cell margin: "column" offsets start after it


@dataclass(frozen=True)
class Symbol:
    """One flowchart symbol the reader must find: the step's row, the role's column."""

    step: int
    role: str
    kind: ShapeKind
    box: Box
    text: str = ""


@dataclass(frozen=True)
class Line:
    """One arrow (polyline, head at the last point) with the cell that anchors it."""

    points: tuple[tuple[float, float], ...]
    anchor: tuple[int, int]  # (table row, table column) of the source symbol
    label: str = ""
    label_box: Box | None = None


@dataclass(frozen=True)
class Layout:
    """The whole table in points, relative to the table's top-left corner."""

    sop: Sop
    widths: tuple[float, ...]
    heights: tuple[float, ...]
    symbols: tuple[Symbol, ...]
    lines: tuple[Line, ...]

    def col_x(self, c: int) -> float:
        return sum(self.widths[:c])

    def row_y(self, r: int) -> float:
        return sum(self.heights[:r])

    def cell(self, r: int, c: int) -> Box:
        return Box(self.col_x(c), self.row_y(r), self.col_x(c + 1), self.row_y(r + 1))


def kind_of(sop: Sop, index: int) -> ShapeKind:
    step = sop.steps[index]
    if step.decision is not None:
        return ShapeKind.DECISION
    if index in (0, len(sop.steps) - 1):
        return ShapeKind.TERMINATOR
    return ShapeKind.PROCESS


def layout(sop: Sop) -> Layout:
    """Place every symbol, arrow and label of the SOP's flowchart table."""
    n_roles = len(sop.roles)
    widths = (NO_W, ACTIVITY_W, *([ROLE_W] * n_roles), *(w for _, w in MUTU), NOTES_W)
    heights = (HEAD1_H, HEAD2_H, *([ROW_H] * len(sop.steps)))
    base = Layout(sop, widths, heights, (), ())
    symbols: list[Symbol] = []
    main: dict[int, tuple[Symbol, int, int]] = {}
    for i, step in enumerate(sop.steps):
        kind = kind_of(sop, i)
        w, h = SIZES[kind]
        for role in (step.role, *step.other_roles):
            r, c = 2 + i, 2 + sop.roles.index(role)
            cell = base.cell(r, c)
            box = Box(cell.cx - w / 2, cell.cy - h / 2, cell.cx + w / 2, cell.cy + h / 2)
            text = step.decision.question if step.decision and role == step.role else ""
            symbol = Symbol(step.number, role, kind, box, text)
            symbols.append(symbol)
            if role == step.role:
                main[step.number] = (symbol, r, c)
    numbers = [s.number for s in sop.steps]
    lines: list[Line] = []
    lanes = iter(range(10**6))

    for i, step in enumerate(sop.steps):
        src, r, c = main[step.number]
        if step.decision is not None:
            d = step.decision
            yes = _end_route(src, down=True) if d.approve_to not in main else _route(
                src, main[int(d.approve_to)], next(lanes))  # fmt: skip
            no = _end_route(src, down=False) if d.reject_to not in main else _side_route(
                src, main[int(d.reject_to)], next(lanes))  # fmt: skip
            lines.append(_labelled(yes, (r, c), d.labels[0]))
            lines.append(_labelled(no, (r, c), d.labels[1]))
        elif i + 1 < len(sop.steps):
            lines.append(Line(_route(src, main[numbers[i + 1]], next(lanes)), (r, c)))
    return Layout(sop, widths, heights, tuple(symbols), tuple(lines))


def _end_route(src: Symbol, down: bool) -> tuple[tuple[float, float], ...]:
    """A branch to "end" (the process stops): a short arrow into empty space, down from the
    bottom vertex (approve) or out of the left one (reject)."""
    s = src.box
    if down:
        return ((s.cx, s.bottom), (s.cx, s.bottom + 10))
    return ((s.x0, s.cy), (s.x0 - 12, s.cy))  # the left vertex: the right one may loop back


def _route(src: Symbol, dst: tuple[Symbol, int, int], lane: int) -> tuple[tuple[float, float], ...]:
    """Forward flow: straight down in the same column, else out of the side and down into the
    target's top; backwards flow goes around (see :func:`_side_route`)."""
    t = dst[0].box
    s = src.box
    if t.top <= s.bottom:
        return _side_route(src, dst, lane)
    if abs(t.cx - s.cx) < 1:
        return ((s.cx, s.bottom), (t.cx, t.top))
    start_x = s.x1 if t.cx > s.cx else s.x0
    return ((start_x, s.cy), (t.cx, s.cy), (t.cx, t.top))


def _side_route(
    src: Symbol, dst: tuple[Symbol, int, int], lane: int
) -> tuple[tuple[float, float], ...]:
    """Out of the right vertex, along a vertical lane right of both symbols, into the target:
    a box from its right side, a diamond from above (its right vertex is its own way out).
    Each line gets its own lane so that no two lines share a stretch."""
    s, t = src.box, dst[0].box
    right = max(s.x1, t.x1) + 5.0 + 2.5 * (lane % 3)
    if dst[0].kind is ShapeKind.DECISION:
        above = t.top - 6.0 - 1.5 * (lane % 3)
        return ((s.x1, s.cy), (right, s.cy), (right, above), (t.cx, above), (t.cx, t.top))
    return ((s.x1, s.cy), (right, s.cy), (right, t.cy), (t.x1, t.cy))


def _labelled(points: tuple[tuple[float, float], ...], anchor: tuple[int, int],
              label: str) -> Line:  # fmt: skip
    (x0, y0), (x1, _) = points[0], points[1]
    width = max(18.0, 4.2 * len(label) + 6)
    if abs(x1 - x0) < 0.5:  # leaves downwards: label right of the line, below the vertex
        box = Box(x0 + 2, y0 + 1, x0 + 2 + width, y0 + 12)
    elif x1 > x0:  # leaves to the right: label above the line
        box = Box(x0 + 2, y0 - 12, x0 + 2 + width, y0 - 1)
    else:  # leaves to the left
        box = Box(x0 - 2 - width, y0 - 12, x0 - 2, y0 - 1)
    return Line(points, anchor, label, box)


def truth(sop: Sop) -> list[tuple[int, str, ShapeKind]]:
    """(step, role, kind) of every symbol the table draws."""
    return [(s.step, s.role, s.kind) for s in layout(sop).symbols]


def placed(picture: Picture, sop: Sop) -> list[tuple[int | None, str | None, ShapeKind]]:
    """(step, role, kind) of every symbol in the picture, found from the picture alone.

    A step's row is the cell holding its number in the "No" column, a role's column the header
    cell holding the role's name; a symbol belongs to the row and column its centre falls in.
    """
    page = picture.pages[0]

    def cell_of(x: float, y: float) -> Box | None:
        hits = [c for c in page.cells if c.contains(x, y)]
        return min(hits, key=lambda c: c.width * c.height) if hits else None

    no_x = min((t.box.cx for t in page.texts if t.text == "No"), default=0.0)
    rows: dict[int, Box] = {}
    for t in page.texts:
        if t.text.isdigit() and abs(t.box.cx - no_x) < 15:
            cell = cell_of(t.box.cx, t.box.cy)
            if cell is not None:
                rows.setdefault(int(t.text), cell)
    cols: dict[str, Box] = {}
    for role in sop.roles:
        for t in page.texts:
            if t.text == role:
                cell = cell_of(t.box.cx, t.box.cy)
                if cell is not None:
                    cols[role] = cell
                    break
    out: list[tuple[int | None, str | None, ShapeKind]] = []
    for shape in page.shapes:
        if shape.kind is ShapeKind.ARROW:
            continue
        cx, cy = shape.box.cx, shape.box.cy
        step = next((n for n, b in rows.items() if b.top <= cy <= b.bottom), None)
        column = next((r for r, b in cols.items() if b.x0 <= cx <= b.x1), None)
        out.append((step, column, shape.kind))
    return out


def headers(sop: Sop) -> tuple[list[str], list[str]]:
    """The two header rows' texts per grid column ("" where a merged cell continues)."""
    n = len(sop.roles)
    top = ["No", "Kegiatan", "Pelaksana", *([""] * (n - 1)), "Mutu Baku", "", "", "Keterangan"]
    second = ["", "", *sop.roles, *(m for m, _ in MUTU), ""]
    return top, second


def row_values(sop: Sop, i: int) -> list[str]:
    step = sop.steps[i]
    return [str(step.number), step.activity, *([""] * len(sop.roles)), step.requirements,
            step.duration.text, step.output, step.notes]  # fmt: skip


# --- Word --------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = (
    f'xmlns:w="{W}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)
_PRESET = {ShapeKind.TERMINATOR: "flowChartTerminator", ShapeKind.PROCESS: "flowChartProcess",
           ShapeKind.DECISION: "flowChartDecision"}  # fmt: skip
_VML_TYPE = {ShapeKind.TERMINATOR: 116, ShapeKind.PROCESS: 109, ShapeKind.DECISION: 110}


def _txbx(text: str) -> str:
    return (f"<w:txbxContent><w:p><w:r><w:rPr><w:sz w:val=\"14\"/></w:rPr><w:t>{escape(text)}"
            "</w:t></w:r></w:p></w:txbxContent>")  # fmt: skip


def _ln(arrow: bool, visible: bool = True) -> str:
    if not visible:
        return "<a:ln><a:noFill/></a:ln>"
    tail = '<a:tailEnd type="triangle"/>' if arrow else ""
    return f'<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill>{tail}</a:ln>'


def _anchor_xml(box: Box, origin: tuple[float, float], body: str, uid: int) -> str:
    """A ``wp:anchor`` at ``box`` given the anchoring cell's "column"/"paragraph" origin."""
    dx, dy = round((box.x0 - origin[0]) * EMU), round((box.top - origin[1]) * EMU)
    cx, cy = round(box.width * EMU), round(box.height * EMU)
    return (
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{uid}"'
        ' behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{dx}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{dy}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{uid}" name="Shape {uid}"/><wp:cNvGraphicFramePr/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"{body}</a:graphicData></a:graphic></wp:anchor>"
    )


def _wsp_symbol(box: Box, kind: ShapeKind, text: str) -> str:
    txbx = f"<wps:txbx>{_txbx(text)}</wps:txbx>" if text else ""
    return (f'<wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="'
            f'{round(box.width * EMU)}" cy="{round(box.height * EMU)}"/></a:xfrm><a:prstGeom prst="'
            f'{_PRESET[kind]}"><a:avLst/></a:prstGeom>{_ln(False)}</wps:spPr>{txbx}'
            '<wps:bodyPr/></wps:wsp>')  # fmt: skip


def _wsp_label(box: Box, text: str) -> str:
    return (f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="'
            f'{round(box.width * EMU)}" cy="{round(box.height * EMU)}"/></a:xfrm><a:prstGeom prst='
            f'"rect"><a:avLst/></a:prstGeom><a:noFill/>{_ln(False, False)}</wps:spPr><wps:txbx>'
            f"{_txbx(text)}</wps:txbx><wps:bodyPr/></wps:wsp>")  # fmt: skip


def line_geometry(points: tuple[tuple[float, float], ...]) -> tuple[Box, str]:
    """The bounding box of a polyline and the DrawingML geometry that draws it in that box:
    ``straightConnector1`` (flipped as needed), ``bentConnector2`` for an L, else a freeform."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    box = Box(min(xs), min(ys), max(xs), max(ys))
    (x0, y0), (x1, y1) = points[0], points[-1]
    flips = (' flipH="1"' if x1 < x0 else "") + (' flipV="1"' if y1 < y0 else "")
    if len(points) == 2:
        return box, f'{flips}|<a:prstGeom prst="straightConnector1"><a:avLst/></a:prstGeom>'
    if len(points) == 3 and abs(points[1][1] - y0) < 0.01 and abs(points[1][0] - x1) < 0.01:
        return box, f'{flips}|<a:prstGeom prst="bentConnector2"><a:avLst/></a:prstGeom>'
    w, h = max(1, round(box.width * EMU)), max(1, round(box.height * EMU))
    steps = "".join(
        f'<a:{"moveTo" if i == 0 else "lnTo"}><a:pt x="{round((x - box.x0) * EMU)}" '
        f'y="{round((y - box.top) * EMU)}"/></a:{"moveTo" if i == 0 else "lnTo"}>'
        for i, (x, y) in enumerate(points)
    )
    return box, (f'|<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" '
                 f'r="r" b="b"/><a:pathLst><a:path w="{w}" h="{h}">{steps}</a:path></a:pathLst>'
                 "</a:custGeom>")  # fmt: skip


def _wsp_line(points: tuple[tuple[float, float], ...]) -> tuple[Box, str]:
    box, geometry = line_geometry(points)
    flips, geom = geometry.split("|", 1)
    return box, (f"<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm{flips}><a:off x=\"0\" y=\"0\"/>"
                 f'<a:ext cx="{round(box.width * EMU)}" cy="{round(box.height * EMU)}"/></a:xfrm>'
                 f"{geom}{_ln(True)}</wps:spPr><wps:bodyPr/></wps:wsp>")  # fmt: skip


def _pt(v: float) -> str:
    return f"{round(v, 2)}pt"


def _vml_symbol(box: Box, kind: ShapeKind, text: str, origin: tuple[float, float]) -> str:
    tb = f"<v:textbox>{_txbx(text)}</v:textbox>" if text else ""
    return (f'<v:shape type="#_x0000_t{_VML_TYPE[kind]}" style="position:absolute;margin-left:'
            f"{_pt(box.x0 - origin[0])};margin-top:{_pt(box.top - origin[1])};width:"
            f"{_pt(box.width)};height:{_pt(box.height)};z-index:1;mso-position-horizontal-"
            'relative:text;mso-position-vertical-relative:text" strokeweight=".75pt">'
            f"{tb}</v:shape>")  # fmt: skip


def _vml_label(box: Box, text: str, origin: tuple[float, float]) -> str:
    return (f'<v:shape type="#_x0000_t202" style="position:absolute;margin-left:'
            f"{_pt(box.x0 - origin[0])};margin-top:{_pt(box.top - origin[1])};width:"
            f"{_pt(box.width)};height:{_pt(box.height)};z-index:2;mso-position-horizontal-"
            'relative:text;mso-position-vertical-relative:text" filled="f" stroked="f">'
            f"<v:textbox>{_txbx(text)}</v:textbox></v:shape>")  # fmt: skip


def _vml_line(points: tuple[tuple[float, float], ...], origin: tuple[float, float]) -> str:
    rel = [(_pt(x - origin[0]), _pt(y - origin[1])) for x, y in points]
    style = ('style="position:absolute;z-index:3;mso-position-horizontal-relative:text;'
             'mso-position-vertical-relative:text"')  # fmt: skip
    stroke = '<v:stroke endarrow="block"/>'
    if len(points) == 2:
        return (f'<v:line {style} from="{rel[0][0]},{rel[0][1]}" to="{rel[1][0]},{rel[1][1]}">'
                f"{stroke}</v:line>")  # fmt: skip
    pts = " ".join(f"{x},{y}" for x, y in rel)
    return f'<v:polyline {style} points="{pts}" filled="f">{stroke}</v:polyline>'


def _run(inner: str) -> etree._Element:
    return etree.fromstring(f"<w:r {_NS}>{inner}</w:r>")


def _drawing(anchor: str, fallback: str) -> etree._Element:
    """A DrawingML shape as Word saves it: the choice plus a VML fallback of the same shape."""
    return _run(
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f"{anchor}</w:drawing></mc:Choice><mc:Fallback><w:pict>{fallback}</w:pict>"
        "</mc:Fallback></mc:AlternateContent>"
    )


def sop_docx(sop: Sop, *, vml: bool = False, exact_rows: bool = True) -> bytes:
    """The SOP as a Word document whose flowchart is drawn with shapes (see module docstring).

    ``exact_rows=False`` leaves the step rows without ``w:trHeight``: Word then sizes them
    itself and a reader must estimate them.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Pt

    lay = layout(sop)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    table_w = sum(lay.widths)
    section.page_width = Pt(max(842.0, table_w + 2 * MARGIN))
    section.page_height = Pt(595.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Pt(MARGIN))
    document.add_paragraph(sop.identity.agency or "PEMERINTAH KABUPATEN CONTOH")
    ident = document.add_table(rows=2, cols=2)
    ident.cell(0, 0).text, ident.cell(0, 1).text = "Nomor SOP", sop.identity.number or "-"
    ident.cell(1, 0).text, ident.cell(1, 1).text = "Nama SOP", sop.identity.name or "-"
    document.add_paragraph("")

    n_cols, n_rows = len(lay.widths), len(lay.heights)
    table = document.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(f"{{{W}}}gridCol"), lay.widths, strict=True):
        col.set(f"{{{W}}}w", str(round(width * 20)))
    for r in range(n_rows):
        row = table.rows[r]
        if exact_rows or r < 2:
            row.height = Pt(lay.heights[r])
            row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        for c in range(n_cols):
            row.cells[c].width = Pt(lay.widths[c])
    all_cells = table._cells  # python-docx rebuilds this list on every table.cell() call

    def tcell(r: int, c: int) -> Any:
        return all_cells[r * n_cols + c]

    top, second = headers(sop)
    n = len(sop.roles)
    for c, text in enumerate(top):
        if text:
            tcell(0, c).text = text
    for c, text in enumerate(second):
        if text:
            tcell(1, c).text = text
    for i in range(len(sop.steps)):
        for c, text in enumerate(row_values(sop, i)):
            if text:
                tcell(2 + i, c).text = text
    # anchor every shape in its cell's first paragraph, offsets from the cell's text area
    first_cell = lay.cell
    uid = 100
    for symbol in lay.symbols:
        uid += 1
        r = 2 + [s.number for s in sop.steps].index(symbol.step)
        c = 2 + sop.roles.index(symbol.role)
        cell = first_cell(r, c)
        origin = (cell.x0 + CELL_PAD, cell.top)
        para = tcell(r, c).paragraphs[0]._p
        if vml:
            para.append(_run(f"<w:pict>{_vml_symbol(symbol.box, symbol.kind, symbol.text, origin)}"
                             "</w:pict>"))  # fmt: skip
        else:
            anchor = _anchor_xml(symbol.box, origin, _wsp_symbol(symbol.box, symbol.kind,
                                                                 symbol.text), uid)  # fmt: skip
            para.append(_drawing(anchor, _vml_symbol(symbol.box, symbol.kind, symbol.text,
                                                     origin)))  # fmt: skip
    for line in lay.lines:
        uid += 1
        cell = first_cell(*line.anchor)
        origin = (cell.x0 + CELL_PAD, cell.top)
        para = tcell(*line.anchor).paragraphs[0]._p
        if vml:
            para.append(_run(f"<w:pict>{_vml_line(line.points, origin)}</w:pict>"))
        else:
            box, body = _wsp_line(line.points)
            para.append(_drawing(_anchor_xml(box, origin, body, uid),
                                 _vml_line(line.points, origin)))  # fmt: skip
        if line.label and line.label_box is not None:
            uid += 1
            if vml:
                para.append(_run(f"<w:pict>{_vml_label(line.label_box, line.label, origin)}"
                                 "</w:pict>"))  # fmt: skip
            else:
                label = _wsp_label(line.label_box, line.label)
                anchor = _anchor_xml(line.label_box, origin, label, uid)
                para.append(_drawing(anchor, _vml_label(line.label_box, line.label, origin)))
    # merges last: python-docx moves the text of merged cells together
    table.cell(0, 2).merge(table.cell(0, 1 + n))
    table.cell(0, 2 + n).merge(table.cell(0, 4 + n))
    for c in (0, 1, n_cols - 1):
        table.cell(0, c).merge(table.cell(1, c))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- Excel -------------------------------------------------------------------------------

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
TOP_ROWS = 4  # identity block rows above the table (1-based sheet rows 1..4)


def col_points(width_chars: float) -> float:
    """Excel's column width (characters of the default font's digit, 7 px) in points."""
    px = math.trunc(((256 * width_chars + math.trunc(128 / 7)) / 256) * 7)
    return px * 0.75


def _chars_for(points: float) -> float:
    return round((points / 0.75 - 5) / 7, 2)


def _grid_anchor(edges: list[float], value: float) -> tuple[int, int]:
    """(0-based index, offset EMU) of a coordinate on the sheet grid."""
    for i in range(len(edges) - 1):
        if value < edges[i + 1] or i == len(edges) - 2:
            return i, max(0, round((value - edges[i]) * EMU))
    return 0, 0


def sop_xlsx(sop: Sop) -> bytes:
    """The SOP as an Excel workbook: table cells by openpyxl, the flowchart as a drawing part."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    lay = layout(sop)
    wb = Workbook()
    ws = wb.active
    ws.title = "SOP"
    ws["A1"] = sop.identity.agency or "PEMERINTAH KABUPATEN CONTOH"
    ws["A2"], ws["C2"] = "Nomor SOP", sop.identity.number or "-"
    ws["A3"], ws["C3"] = "Nama SOP", sop.identity.name or "-"
    widths_pt: list[float] = []
    for c, width in enumerate(lay.widths):
        chars = _chars_for(width)
        ws.column_dimensions[get_column_letter(c + 1)].width = chars
        widths_pt.append(col_points(chars))
    heights_pt = [15.0] * TOP_ROWS + list(lay.heights)
    for r, h in enumerate(lay.heights):
        ws.row_dimensions[TOP_ROWS + 1 + r].height = h
    top, second = headers(sop)
    base = TOP_ROWS + 1
    for c, text in enumerate(top):
        if text:
            ws.cell(base, c + 1, text)
    for c, text in enumerate(second):
        if text:
            ws.cell(base + 1, c + 1, text)
    for i in range(len(sop.steps)):
        for c, text in enumerate(row_values(sop, i)):
            if text:
                ws.cell(base + 2 + i, c + 1, int(text) if c == 0 else text)
    n = len(sop.roles)
    ws.merge_cells(start_row=base, start_column=3, end_row=base, end_column=2 + n)
    ws.merge_cells(start_row=base, start_column=3 + n, end_row=base, end_column=5 + n)
    for c in (1, 2, len(lay.widths)):
        ws.merge_cells(start_row=base, start_column=c, end_row=base + 1, end_column=c)
    buf = io.BytesIO()
    wb.save(buf)
    # the layout's table coordinates → sheet points (column widths round to whole pixels)
    xs = [0.0]
    for w in widths_pt:
        xs.append(xs[-1] + w)
    ys = [0.0]
    for h in heights_pt:
        ys.append(ys[-1] + h)
    scale_x = [(lay.col_x(c), lay.widths[c], xs[c], widths_pt[c]) for c in range(len(lay.widths))]
    top_y = ys[TOP_ROWS]

    def sx(x: float) -> float:
        for lx, lw, px, pw in scale_x:
            if x <= lx + lw + 1e-6:
                return px + (x - lx) * pw / lw
        return xs[-1]

    def box_of(b: Box) -> Box:
        return Box(sx(b.x0), b.top + top_y, sx(b.x1), b.bottom + top_y)

    parts: list[str] = []
    uid = 1

    def anchor(b: Box, body: str) -> str:
        c0, dx0 = _grid_anchor(xs, b.x0)
        r0, dy0 = _grid_anchor(ys, b.top)
        c1, dx1 = _grid_anchor(xs, b.x1)
        r1, dy1 = _grid_anchor(ys, b.bottom)
        return (f'<xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>{c0}</xdr:col>'
                f"<xdr:colOff>{dx0}</xdr:colOff><xdr:row>{r0}</xdr:row><xdr:rowOff>{dy0}</xdr:rowOff>"
                f"</xdr:from><xdr:to><xdr:col>{c1}</xdr:col><xdr:colOff>{dx1}</xdr:colOff>"
                f"<xdr:row>{r1}</xdr:row><xdr:rowOff>{dy1}</xdr:rowOff></xdr:to>{body}"
                "<xdr:clientData/></xdr:twoCellAnchor>")  # fmt: skip

    def xfrm(b: Box, flips: str = "") -> str:
        return (f'<a:xfrm{flips}><a:off x="{round(b.x0 * EMU)}" y="{round(b.top * EMU)}"/>'
                f'<a:ext cx="{round(b.width * EMU)}" cy="{round(b.height * EMU)}"/></a:xfrm>')

    def text_body(text: str) -> str:
        if not text:
            return ""
        return (f'<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="id-ID" sz="700"/>'
                f"<a:t>{escape(text)}</a:t></a:r></a:p></xdr:txBody>")  # fmt: skip

    for symbol in lay.symbols:
        uid += 1
        b = box_of(symbol.box)
        parts.append(anchor(b, (
            f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{uid}" name="Shape {uid}"/>'
            f'<xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr>{xfrm(b)}<a:prstGeom prst="'
            f'{_PRESET[symbol.kind]}"><a:avLst/></a:prstGeom>{_ln(False)}</xdr:spPr>'
            f"{text_body(symbol.text)}</xdr:sp>")))  # fmt: skip
    for line in lay.lines:
        uid += 1
        pts = tuple((sx(x), y + top_y) for x, y in line.points)
        b, geometry = line_geometry(pts)
        flips, geom = geometry.split("|", 1)
        if "custGeom" in geom:
            body = (f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{uid}" name="Line '
                    f'{uid}"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr>{xfrm(b)}{geom}{_ln(True)}'
                    "</xdr:spPr></xdr:sp>")  # fmt: skip
        else:
            body = (f'<xdr:cxnSp macro=""><xdr:nvCxnSpPr><xdr:cNvPr id="{uid}" name="Connector '
                    f'{uid}"/><xdr:cNvCxnSpPr/></xdr:nvCxnSpPr><xdr:spPr>{xfrm(b, flips)}{geom}'
                    f"{_ln(True)}</xdr:spPr></xdr:cxnSp>")  # fmt: skip
        parts.append(anchor(b, body))
        if line.label and line.label_box is not None:
            uid += 1
            lb = box_of(line.label_box)
            parts.append(anchor(lb, (
                f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="{uid}" name="Text '
                f'{uid}"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr>{xfrm(lb)}<a:prstGeom '
                f'prst="rect"><a:avLst/></a:prstGeom><a:noFill/>{_ln(False, False)}</xdr:spPr>'
                f"{text_body(line.label)}</xdr:sp>")))  # fmt: skip
    drawing = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="'
               f'{XDR}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
               f"{''.join(parts)}</xdr:wsDr>")  # fmt: skip
    return _add_drawing(buf.getvalue(), drawing)


def _add_drawing(xlsx: bytes, drawing: str) -> bytes:
    """Add ``xl/drawings/drawing1.xml`` to the first sheet: part, relationship, content type."""
    return _add_drawings(xlsx, [drawing])


def _add_drawings(xlsx: bytes, drawings: list[str]) -> bytes:
    """A drawing part per sheet (``xl/drawings/drawingN.xml`` for ``sheetN.xml``): part,
    relationship, content type."""
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheets = {f"xl/worksheets/sheet{i}.xml": i for i in range(1, len(drawings) + 1)}
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b"".join(
                    f'<Override PartName="/xl/drawings/drawing{i}.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.drawing+xml"/>'.encode()
                    for i in sheets.values()) + b"</Types>")  # fmt: skip
            elif info.filename in sheets:
                root = etree.fromstring(data)
                main = root.nsmap[None]
                el = etree.Element(f"{{{main}}}drawing", nsmap={"r": rel_ns})
                el.set(f"{{{rel_ns}}}id", "rIdDrawing1")
                order = ["pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks"]
                last = None
                for child in root:
                    if etree.QName(child).localname in [*order, "mergeCells", "sheetData"]:
                        last = child
                assert last is not None
                last.addnext(el)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)  # fmt: skip
            dst.writestr(info, data)
        for i in sheets.values():
            rels = f"xl/worksheets/_rels/sheet{i}.xml.rels"
            if rels in src.namelist():
                raise AssertionError("openpyxl wrote sheet relationships: merge them")
            dst.writestr(rels, (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
                'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                'Id="rIdDrawing1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/drawing" Target="../drawings/drawing{i}.xml"/></Relationships>'
            ))  # fmt: skip
            dst.writestr(f"xl/drawings/drawing{i}.xml", drawings[i - 1])
    return out.getvalue()


__all__ = ["SAMPLES", "Layout", "Symbol", "layout", "load", "lying_zip", "placed", "sample",
           "sample_file", "sop_docx", "sop_xlsx", "truth"]  # fmt: skip
