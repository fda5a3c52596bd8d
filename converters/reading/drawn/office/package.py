"""Opening Word and Excel packages safely, and the DrawingML geometry both formats share.

A .docx or .xlsx is a zip of XML parts. Uploaded files are untrusted, so the zip is checked
before anything is inflated (a few kilobytes can declare gigabytes: a zip bomb) and every part
is parsed with entities, network access and huge trees switched off (billion laughs, XXE).

Word (``wps:wsp``) and Excel (``xdr:sp``) draw their shapes with the same DrawingML vocabulary
(``a:xfrm``, ``a:prstGeom``, ``a:ln`` with ``a:headEnd``/``a:tailEnd``), so the mapping from a
preset geometry to a :class:`ShapeKind` and the polyline of a connector live here once.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from converters.model import ConversionError
from converters.reading.archive import MAX_ENTRIES, MAX_UNCOMPRESSED, open_zip
from converters.reading.drawn.picture import Box, Picture, Shape, ShapeKind, TextRun

EMU_PER_POINT = 12700.0

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)


class Package:
    """A checked Office zip: parts are read only through :meth:`xml` / :meth:`has`."""

    def __init__(self, data: bytes, what: str) -> None:
        self.what = what
        self.zip = open_zip(data, what)  # the shared zip bomb guard (converters.reading.archive)
        self.names = {i.filename for i in self.zip.infolist()}

    def has(self, name: str) -> bool:
        return name in self.names

    def xml(self, name: str) -> etree._Element:
        """Parse one part; the read is capped by the declared size the guard already checked."""
        try:
            with self.zip.open(name) as handle:
                raw = handle.read(MAX_UNCOMPRESSED + 1)
            return etree.fromstring(raw, _PARSER)
        except (KeyError, zipfile.BadZipFile, OSError, etree.XMLSyntaxError, ValueError) as exc:
            raise ConversionError(
                f"Bagian {name} dari berkas {self.what} rusak (bad part)"
            ) from exc

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """rId -> (type, target path resolved against the part's folder)."""
        folder, _, base = part.rpartition("/")
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if not self.has(rels):
            return {}
        out: dict[str, tuple[str, str]] = {}
        for rel in self.xml(rels).iter(f"{{{PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            out[rel.get("Id", "")] = (rel.get("Type", ""), resolve(folder, target))
        return out


def resolve(folder: str, target: str) -> str:
    """A relationship target as a zip name ("../drawings/drawing1.xml" from "xl/worksheets")."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def drop_fallbacks(root: etree._Element) -> None:
    """Keep the DrawingML choice of every ``mc:AlternateContent`` and drop its VML fallback.

    Word writes each shape twice (DrawingML in ``mc:Choice``, VML in ``mc:Fallback``); reading
    both would count every symbol twice. A fallback stays only when there is no choice.
    """
    for alt in list(root.iter(f"{{{MC}}}AlternateContent")):
        if alt.find(f"{{{MC}}}Choice") is None:
            continue
        for fallback in alt.findall(f"{{{MC}}}Fallback"):
            alt.remove(fallback)


# --- preset geometries -------------------------------------------------------------------

_TERMINATORS = {"flowChartTerminator", "roundRect", "flowChartAlternateProcess", "snipRoundRect",
                "round2SameRect", "can"}  # fmt: skip
_DECISIONS = {"flowChartDecision", "diamond"}
_CONNECTORS = {"flowChartOffpageConnector", "homePlate", "pentagon", "flowChartConnector",
               "chevron", "flowChartOnlineStorage"}  # fmt: skip
_BLOCK_ARROWS = {"rightArrow": "right", "leftArrow": "left", "upArrow": "up", "downArrow": "down"}


def is_line_preset(prst: str) -> bool:
    return prst == "line" or ("Connector" in prst and not prst.startswith("flowChart"))


def kind_of_preset(prst: str, width: float, height: float) -> ShapeKind:
    """The SOP symbol a preset geometry draws. Unknown closed shapes count as process boxes:
    templates use many rectangle variants (document, predefined process) for activities."""
    if is_line_preset(prst) or prst in _BLOCK_ARROWS:
        return ShapeKind.ARROW
    if prst in _TERMINATORS:
        return ShapeKind.TERMINATOR
    if prst in _DECISIONS:
        return ShapeKind.DECISION
    if prst in _CONNECTORS:
        return ShapeKind.CONNECTOR
    if prst == "ellipse":
        # an oval is a start/end capsule in many templates; a circle is an on-page connector
        return ShapeKind.TERMINATOR if width > 1.4 * height else ShapeKind.CONNECTOR
    return ShapeKind.PROCESS

_BLOCK_PATHS: dict[str, list[tuple[float, float]]] = {
    "right": [(0, 0.5), (1, 0.5)], "left": [(1, 0.5), (0, 0.5)],
    "down": [(0.5, 0), (0.5, 1)], "up": [(0.5, 1), (0.5, 0)],
}  # fmt: skip


@dataclass(frozen=True)
class Transform:
    """Where a shape's own ``a:xfrm`` box lands on the page: rotation and flips included."""

    box: Box
    rot: float = 0.0  # degrees, clockwise, about the box centre
    flip_h: bool = False
    flip_v: bool = False

    def point(self, u: float, v: float) -> tuple[float, float]:
        """A point given as fractions (0..1) of the unrotated, unflipped shape box."""
        if self.flip_h:
            u = 1 - u
        if self.flip_v:
            v = 1 - v
        x = self.box.x0 + u * self.box.width
        y = self.box.top + v * self.box.height
        if self.rot:
            a = math.radians(self.rot)
            dx, dy = x - self.box.cx, y - self.box.cy
            x = self.box.cx + dx * math.cos(a) - dy * math.sin(a)
            y = self.box.cy + dx * math.sin(a) + dy * math.cos(a)
        return (round(x, 2), round(y, 2))

    def bounds(self) -> Box:
        """The drawn extent (a rotated box's corners)."""
        return bounding([self.point(u, v) for u in (0, 1) for v in (0, 1)])


def bounding(points: Iterable[tuple[float, float]]) -> Box:
    pts = list(points)
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return Box(min(xs), min(ys), max(xs), max(ys))


def xfrm_flags(xfrm: etree._Element | None) -> tuple[float, bool, bool]:
    if xfrm is None:
        return 0.0, False, False
    rot = int(xfrm.get("rot", "0") or 0) / 60000.0
    return rot, xfrm.get("flipH") in ("1", "true"), xfrm.get("flipV") in ("1", "true")


def adjust(geom: etree._Element | None, name: str, default: float) -> float:
    """A preset geometry adjust value (``<a:gd name="adj1" fmla="val 50000"/>``) as a fraction."""
    if geom is not None:
        for gd in geom.iter(f"{{{A}}}gd"):
            if gd.get("name") == name:
                fmla = (gd.get("fmla") or "").split()
                if len(fmla) == 2 and fmla[0] == "val":
                    try:
                        return float(fmla[1]) / 100000.0
                    except ValueError:
                        break
    return default


def line_path(
    prst: str, geom: etree._Element | None, t: Transform
) -> tuple[tuple[float, float], ...]:
    """The polyline a connector preset draws, from its start (head end) to its end (tail end)."""
    fractions: list[tuple[float, float]]
    if prst.startswith("bentConnector"):
        n = prst.removeprefix("bentConnector")
        if n == "2":
            fractions = [(0, 0), (1, 0), (1, 1)]
        elif n == "3":
            a = adjust(geom, "adj1", 0.5)
            fractions = [(0, 0), (a, 0), (a, 1), (1, 1)]
        elif n == "4":
            a, b = adjust(geom, "adj1", 0.5), adjust(geom, "adj2", 0.5)
            fractions = [(0, 0), (a, 0), (a, b), (1, b), (1, 1)]
        else:
            a, b = adjust(geom, "adj1", 0.5), adjust(geom, "adj2", 0.5)
            c = adjust(geom, "adj3", 0.5)
            fractions = [(0, 0), (a, 0), (a, b), (c, b), (c, 1), (1, 1)]
    elif prst in _BLOCK_ARROWS:
        fractions = _BLOCK_PATHS[_BLOCK_ARROWS[prst]]
    else:  # line, straightConnector1, curvedConnectorN (drawn as its chord)
        fractions = [(0, 0), (1, 1)]
    return tuple(t.point(u, v) for u, v in fractions)


def arrow_head(
    ln: etree._Element | None, path: tuple[tuple[float, float], ...], block: bool = False
) -> tuple[float, float] | None:
    """The end with an arrowhead: DrawingML's ``tailEnd`` decorates the path's end, ``headEnd``
    its start. A block arrow always points to its end."""
    if block:
        return path[-1]
    if ln is None or not path:
        return None

    def decorated(tag: str) -> bool:
        end = ln.find(f"{{{A}}}{tag}")
        return end is not None and end.get("type", "none") != "none"

    if decorated("tailEnd"):
        return path[-1]
    if decorated("headEnd"):
        return path[0]
    return None


def has_outline(sppr: etree._Element | None) -> bool:
    """False when the shape's outline is switched off (``a:ln/a:noFill``): a bare text box."""
    if sppr is None:
        return True
    ln = sppr.find(f"{{{A}}}ln")
    return ln is None or ln.find(f"{{{A}}}noFill") is None


def drawing_text(el: etree._Element, p_tag: str, t_tag: str) -> str:
    """The text of a text body: paragraphs joined by a space, runs of spaces collapsed."""
    paragraphs = []
    for p in el.iter(p_tag):
        text = "".join(t.text or "" for t in p.iter(t_tag))
        if text.strip():
            paragraphs.append(text.strip())
    return " ".join(" ".join(paragraphs).split())


def _open_path(cust: etree._Element) -> bool:
    """A freeform that is not closed is a drawn line (an elbow arrow), not a symbol."""
    path = cust.find(f"{{{A}}}pathLst/{{{A}}}path")
    return path is not None and path.find(f"{{{A}}}close") is None and path.find(
        f"{{{A}}}lnTo") is not None  # fmt: skip


def _custom_path(cust: etree._Element, t: Transform) -> tuple[tuple[float, float], ...]:
    """The points of a freeform's first path (``moveTo``/``lnTo``), scaled into the shape box."""
    path = cust.find(f"{{{A}}}pathLst/{{{A}}}path")
    if path is None:
        return ()
    try:
        w = float(path.get("w", "0")) or 1.0
        h = float(path.get("h", "0")) or 1.0
        pts = []
        for step in path:
            if _local(step) in ("moveTo", "lnTo"):
                pt = step.find(f"{{{A}}}pt")
                if pt is not None:
                    x, y = float(pt.get("x", "0")), float(pt.get("y", "0"))
                    pts.append(t.point(x / w, y / h))
    except ValueError:
        return ()
    return tuple(pts)


@dataclass(frozen=True)
class Mapper:
    """An axis-aligned map from a source rectangle (EMU, or group child units) onto a page box."""

    src: Box
    dst: Box

    def box(self, x: float, y: float, cx: float, cy: float) -> Box:
        sx = self.dst.width / self.src.width if self.src.width else 1.0 / EMU_PER_POINT
        sy = self.dst.height / self.src.height if self.src.height else 1.0 / EMU_PER_POINT
        x0 = self.dst.x0 + (x - self.src.x0) * sx
        y0 = self.dst.top + (y - self.src.top) * sy
        return Box(x0, y0, x0 + cx * sx, y0 + cy * sy)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el: etree._Element, name: str) -> etree._Element | None:
    for c in el:
        if _local(c) == name:
            return c
    return None


def _xfrm_rect(xfrm: etree._Element | None, child: bool = False) -> Box | None:
    if xfrm is None:
        return None
    off = xfrm.find(f"{{{A}}}{'chOff' if child else 'off'}")
    ext = xfrm.find(f"{{{A}}}{'chExt' if child else 'ext'}")
    if off is None or ext is None:
        return None
    try:
        x, y = float(off.get("x", "0")), float(off.get("y", "0"))
        cx, cy = float(ext.get("cx", "0")), float(ext.get("cy", "0"))
    except ValueError:
        return None
    return Box(x, y, x + cx, y + cy)


def drawing_items(el: etree._Element, frame: Box) -> list[Shape | TextRun]:
    """The symbols, connectors and label text boxes of one drawing object placed in ``frame``.

    ``el`` is a Word ``wps:wsp``/``wpg:wgp`` or an Excel ``xdr:sp``/``xdr:cxnSp``/``xdr:grpSp``:
    the same DrawingML underneath, matched by local name. The object's own ``a:xfrm`` rectangle
    is mapped onto ``frame`` (the anchor's box, which the host format positions); children of a
    group are mapped through the group's child coordinate space.
    """
    name = _local(el)
    if name in ("wgp", "grpSp"):
        sppr = _child(el, "grpSpPr")
        xfrm = sppr.find(f"{{{A}}}xfrm") if sppr is not None else None
        outer = _xfrm_rect(xfrm)
        inner = _xfrm_rect(xfrm, child=True) or outer
        out: list[Shape | TextRun] = []
        # the group's own box is ``frame``; its children live in its child coordinate space
        mapper = Mapper(inner or Box(frame.x0 * EMU_PER_POINT, frame.top * EMU_PER_POINT,
                                     frame.x0 * EMU_PER_POINT, frame.top * EMU_PER_POINT), frame)
        for child in el:
            cname = _local(child)
            if cname in ("wsp", "sp", "cxnSp", "grpSp", "wgp"):
                cxfrm = _child(child, "grpSpPr" if cname in ("grpSp", "wgp") else "spPr")
                rect = _xfrm_rect(cxfrm.find(f"{{{A}}}xfrm") if cxfrm is not None else None)
                sub = mapper.box(rect.x0, rect.top, rect.width, rect.height) if rect else frame
                out.extend(drawing_items(child, sub))
        return out
    if name == "wpc":  # a Word drawing canvas: children in EMU from the canvas corner
        canvas = Mapper(Box(0, 0, frame.width * EMU_PER_POINT, frame.height * EMU_PER_POINT),
                        frame)  # fmt: skip
        items: list[Shape | TextRun] = []
        for child in el:
            cname = _local(child)
            if cname in ("wsp", "wgp", "grpSp"):
                cxfrm = _child(child, "grpSpPr" if cname != "wsp" else "spPr")
                rect = _xfrm_rect(cxfrm.find(f"{{{A}}}xfrm") if cxfrm is not None else None)
                if rect is not None:
                    items.extend(drawing_items(
                        child, canvas.box(rect.x0, rect.top, rect.width, rect.height)))
        return items
    if name not in ("wsp", "sp", "cxnSp"):
        return []
    sppr = _child(el, "spPr")
    geom = sppr.find(f"{{{A}}}prstGeom") if sppr is not None else None
    xfrm = sppr.find(f"{{{A}}}xfrm") if sppr is not None else None
    prst = geom.get("prst", "rect") if geom is not None else ""
    rot, flip_h, flip_v = xfrm_flags(xfrm)
    t = Transform(frame, rot, flip_h, flip_v)
    connector = name == "cxnSp" or any(_local(c) == "cNvCnPr" for c in el)
    if geom is None and sppr is not None and sppr.find(f"{{{A}}}custGeom") is not None:
        prst = "line" if connector else "rect"
    if connector and not is_line_preset(prst):
        prst = "straightConnector1"
    text = ""
    for c in el.iter():
        if _local(c) in ("txbxContent", "txBody"):
            text = " ".join(
                " ".join("".join(r.text or "" for r in p.iter() if _local(r) == "t").split())
                for p in c.iter() if _local(p) == "p"
            ).strip()
            break
    drawn = t.bounds()  # a shape turned a quarter shows its sides swapped
    kind = kind_of_preset(prst, drawn.width, drawn.height)
    cust = sppr.find(f"{{{A}}}custGeom") if sppr is not None else None
    if cust is not None and (connector or _open_path(cust)):
        path = _custom_path(cust, t)
        if len(path) >= 2:
            ln = sppr.find(f"{{{A}}}ln") if sppr is not None else None
            return [Shape(ShapeKind.ARROW, bounding(path), path, arrow_head(ln, path), text)]
    if kind is ShapeKind.ARROW:
        path = line_path(prst, geom, t)
        ln = sppr.find(f"{{{A}}}ln") if sppr is not None else None
        head = arrow_head(ln, path, block=prst in _BLOCK_ARROWS)
        return [Shape(ShapeKind.ARROW, bounding(path), path, head, text)]
    nv = next((c for c in el.iter() if _local(c) == "cNvSpPr"), None)
    text_box = nv is not None and nv.get("txBox") in ("1", "true")
    if (text_box or not has_outline(sppr)) and prst in ("rect", ""):
        return [TextRun(text, drawn)] if text else []
    return [Shape(kind, drawn, text=text)]


def extract(data: bytes) -> Picture | None:
    """The drawing of a Word or Excel file (both are zips: one registered extractor looks
    inside), or ``None`` when it is neither or draws no flowchart, so the text readers run."""
    package = Package(data, "Office")
    if package.has("word/document.xml"):
        from converters.reading.drawn.office.docx_shapes import read_docx_picture

        picture = read_docx_picture(data)
    elif package.has("xl/workbook.xml"):
        from converters.reading.drawn.office.xlsx_shapes import read_xlsx_picture

        picture = read_xlsx_picture(data)
    else:
        return None
    # a logo or a stray text box is no flowchart: ask for two symbols standing in table cells
    in_cells = sum(
        1
        for page in picture.pages
        for s in page.shapes
        if s.kind is not ShapeKind.ARROW and any(c.contains(s.box.cx, s.box.cy) for c in page.cells)
    )
    return picture if in_cells >= 2 else _pasted(package, data, picture.header_text)


def _pasted(package: Package, data: bytes, header: str) -> Picture | None:
    """A file with no SOP table of its own (no table text a text reader reads, no drawn
    symbols) whose flowchart is pasted as a large picture: read from its pixels
    (:mod:`.pictures`). ``None`` otherwise, so the text readers run as before."""
    from converters.reading.drawn.office.pictures import (
        docx_pictures,
        large,
        read_pictures,
        xlsx_pictures,
    )
    from converters.reading.readers import tabbed

    word = package.has("word/document.xml")
    found = docx_pictures(package) if word else xlsx_pictures(package)
    if not any(large(e) for e in found):
        return None
    if word:
        from converters.reading.readers.docx_reader import docx_to_text

        texts = [docx_to_text(data)]
    else:
        from converters.reading.readers.xlsx_reader import sheets_to_text

        texts = [text for _name, text in sheets_to_text(data)]
        header = "\n".join(t for t in texts if t.strip())
    if any(tabbed.sniff(t) >= TABLE_SNIFF for t in texts):
        return None  # a typed table: the text readers read it
    return read_pictures(package, found, header)


TABLE_SNIFF = 0.4
""":func:`converters.reading.readers.tabbed.sniff` score from which a Word or Excel file's
text holds an SOP table of its own (numbered rows, or the Kegiatan header)."""


JOIN_SLACK = 1.0
"""Points within which two drawn line ends are one junction (EMU rounding, snapping)."""


def _on_outline(box: Box, p: tuple[float, float]) -> bool:
    """``p`` on (or, with rounding, next to) the edge of ``box``: where lines meet symbols."""
    if not box.contains(p[0], p[1], JOIN_SLACK):
        return False
    inner = Box(box.x0 + JOIN_SLACK, box.top + JOIN_SLACK, box.x1 - JOIN_SLACK,
                box.bottom - JOIN_SLACK)  # fmt: skip
    return not (inner.width > 0 and inner.height > 0 and inner.contains(p[0], p[1]))


def join_lines(shapes: tuple[Shape, ...]) -> tuple[Shape, ...]:
    """Lines drawn one stretch at a time, joined back into the arrows they draw.

    Word and Excel have no polyline tool people reach for: an elbow arrow is often two or
    three separate ``line`` shapes (or VML ``v:line``s) meeting end to end, the arrowhead on
    the last one only. A junction is a point where exactly two line ends meet, neither with
    an arrowhead, and off every symbol's outline (two lines leaving one symbol at one point
    are two arrows; a bend that a line makes while crossing a symbol is still a bend).
    Joined paths run towards the arrowhead when one of the parts has one."""
    symbols = [s.box for s in shapes if s.kind is not ShapeKind.ARROW]
    lines = [s for s in shapes if s.kind is ShapeKind.ARROW and len(s.path) >= 2]
    if len(lines) < 2:
        return shapes

    def near(p: tuple[float, float], q: tuple[float, float]) -> bool:
        return abs(p[0] - q[0]) <= JOIN_SLACK and abs(p[1] - q[1]) <= JOIN_SLACK

    def free_end(s: Shape, end: int) -> bool:  # no arrowhead on that end
        return s.head is None or not near(s.head, s.path[end])

    joins = 0
    changed = True
    while changed:
        changed = False
        ends = [(i, e, s.path[e]) for i, s in enumerate(lines) for e in (0, -1)]
        for _, _, p in ends:
            meeting = [(j, f) for j, f, q in ends if near(p, q)]
            if len(meeting) != 2 or any(_on_outline(b, p) for b in symbols):
                continue
            (a, ea), (b, eb) = meeting
            if a == b or not free_end(lines[a], ea) or not free_end(lines[b], eb):
                continue
            first = lines[a].path if ea == -1 else lines[a].path[::-1]  # ends at the junction
            second = lines[b].path if eb == 0 else lines[b].path[::-1]  # starts there
            path = (*first, *second[1:])
            head = lines[a].head or lines[b].head
            if head is not None and near(head, path[0]):
                path = path[::-1]
            text = " ".join(t for t in (lines[a].text, lines[b].text) if t)
            joined = Shape(ShapeKind.ARROW, bounding(path), path, head and path[-1], text)
            lines = [s for k, s in enumerate(lines) if k not in (a, b)] + [joined]
            changed = True
            joins += 1
            break
    if not joins:
        return shapes
    kept = [s for s in shapes if s.kind is not ShapeKind.ARROW or len(s.path) < 2]
    return tuple(kept + lines)


__all__ = [
    "EMU_PER_POINT",
    "MAX_ENTRIES",
    "MAX_UNCOMPRESSED",
    "Mapper",
    "Package",
    "Transform",
    "arrow_head",
    "bounding",
    "drawing_items",
    "drawing_text",
    "drop_fallbacks",
    "extract",
    "has_outline",
    "is_line_preset",
    "join_lines",
    "kind_of_preset",
    "line_path",
    "xfrm_flags",
]

