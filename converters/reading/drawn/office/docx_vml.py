"""Legacy VML shapes in Word documents (``w:pict``): what templates saved by Word 2007 and
converted .doc files draw their flowcharts with.

VML places a top-level shape with CSS in its ``style`` (``margin-left``/``margin-top`` from the
reference named by ``mso-position-horizontal-relative``/``-vertical-relative``: ``text`` is the
anchoring cell and paragraph). Lines give ``from``/``to`` and polylines ``points`` relative to
the same reference. Preset symbols are ``v:shape type="#_x0000_tNNN"`` where NNN is the Office
shape type number (110 decision, 116 terminator, 109 process, 177 off-page, 202 text box).
"""

from __future__ import annotations

import re

from lxml import etree

from converters.reading.drawn.office.package import bounding
from converters.reading.drawn.picture import Box, Shape, ShapeKind, TextRun

VML = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"

_TYPES: dict[int, ShapeKind] = {
    1: ShapeKind.PROCESS, 109: ShapeKind.PROCESS, 112: ShapeKind.PROCESS,
    114: ShapeKind.PROCESS, 2: ShapeKind.TERMINATOR, 116: ShapeKind.TERMINATOR,
    176: ShapeKind.TERMINATOR, 4: ShapeKind.DECISION, 110: ShapeKind.DECISION,
    15: ShapeKind.CONNECTOR, 56: ShapeKind.CONNECTOR, 120: ShapeKind.CONNECTOR,
    177: ShapeKind.CONNECTOR, 20: ShapeKind.ARROW, 32: ShapeKind.ARROW, 33: ShapeKind.ARROW,
    34: ShapeKind.ARROW, 35: ShapeKind.ARROW, 36: ShapeKind.ARROW, 37: ShapeKind.ARROW,
    38: ShapeKind.ARROW, 39: ShapeKind.ARROW, 40: ShapeKind.ARROW,
}  # fmt: skip
_TEXT_BOX = 202
_PICTURE = 75
_UNITS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, "pc": 12.0,
          "emu": 1 / 12700}  # fmt: skip
_LENGTH = re.compile(r"^\s*(-?[\d.]+)\s*([a-z]*)\s*$")


def _v(name: str) -> str:
    return f"{{{VML}}}{name}"


def length(text: str, default_unit: float = 1.0) -> float:
    """A CSS/VML length in points ("12pt", "0.5in", "-3.2mm"); a bare number is ``default_unit``."""
    m = _LENGTH.match(text or "")
    if not m:
        return 0.0
    try:
        value = float(m.group(1))
    except ValueError:
        return 0.0
    return value * (_UNITS.get(m.group(2), default_unit) if m.group(2) else default_unit)


def _style(el: etree._Element) -> dict[str, str]:
    out = {}
    for part in (el.get("style") or "").split(";"):
        key, _, value = part.partition(":")
        if key.strip():
            out[key.strip().lower()] = value.strip()
    return out


def _pair(text: str, unit: float) -> tuple[float, float]:
    parts = (text or "0,0").split(",")
    x = length(parts[0], unit)
    y = length(parts[1], unit) if len(parts) > 1 else 0.0
    return x, y


def _type_number(el: etree._Element) -> int | None:
    ref = (el.get("type") or "").lstrip("#")
    m = re.search(r"_x0000_t(\d+)$", ref)
    if m:
        return int(m.group(1))
    spt = el.get(f"{{{_O}}}spt")
    try:
        return int(float(spt)) if spt else None
    except ValueError:
        return None


def _text(el: etree._Element) -> str:
    paragraphs = []
    for box in el.iter(_v("textbox")):
        for p in box.iter():
            if isinstance(p.tag, str) and p.tag.endswith("}p"):
                t = "".join(t.text or "" for t in p.iter() if isinstance(t.tag, str)
                            and t.tag.endswith("}t"))  # fmt: skip
                if t.strip():
                    paragraphs.append(t.strip())
    return " ".join(" ".join(paragraphs).split())


def _head(el: etree._Element, path: tuple[tuple[float, float], ...]) -> tuple[float, float] | None:
    stroke = el.find(_v("stroke"))
    if stroke is None or not path:
        return None
    if stroke.get("endarrow", "none") != "none":
        return path[-1]
    if stroke.get("startarrow", "none") != "none":
        return path[0]
    return None


def _path_points(path: str, box: Box, coordsize: tuple[float, float]) -> list[tuple[float, float]]:
    """Absolute points of a VML path ("m0,0 l0,100,200,100 e") scaled from its coordsize."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path or "")]
    sx = box.width / coordsize[0] if coordsize[0] else 1.0
    sy = box.height / coordsize[1] if coordsize[1] else 1.0
    return [(round(box.x0 + numbers[i] * sx, 2), round(box.top + numbers[i + 1] * sy, 2))
            for i in range(0, len(numbers) - 1, 2)]  # fmt: skip


class _Frame:
    """Maps the coordinates of one VML level onto the page: the top level in points from the
    anchor reference, a group's children in its ``coordorigin``/``coordsize`` space."""

    def __init__(self, x0: float, y0: float, sx: float = 1.0, sy: float = 1.0,
                 ox: float = 0.0, oy: float = 0.0, unit: float = 1.0) -> None:  # fmt: skip
        self.x0, self.y0, self.sx, self.sy, self.ox, self.oy = x0, y0, sx, sy, ox, oy
        self.unit = unit  # points per bare number (1 at the top level, 1 in a group's space)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (round(self.x0 + (x - self.ox) * self.sx, 2),
                round(self.y0 + (y - self.oy) * self.sy, 2))  # fmt: skip

    def box(self, style: dict[str, str]) -> Box:
        left = length(style.get("margin-left") or style.get("left", "0"), self.unit)
        top = length(style.get("margin-top") or style.get("top", "0"), self.unit)
        width = length(style.get("width", "0"), self.unit)
        height = length(style.get("height", "0"), self.unit)
        x0, y0 = self.point(left, top)
        x1, y1 = self.point(left + width, top + height)
        return Box(x0, y0, x1, y1)


def _items(el: etree._Element, frame: _Frame) -> list[Shape | TextRun]:
    tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
    style = _style(el)
    if tag == "group":
        box = frame.box(style)
        ox, oy = _pair(el.get("coordorigin", "0,0"), 1.0)
        cw, ch = _pair(el.get("coordsize", "1000,1000"), 1.0)
        sub = _Frame(box.x0, box.top, box.width / cw if cw else 1.0,
                     box.height / ch if ch else 1.0, ox, oy)  # fmt: skip
        out: list[Shape | TextRun] = []
        for child in el:
            out.extend(_items(child, sub))
        return out
    if tag == "line":
        a = frame.point(*_pair(el.get("from", "0,0"), frame.unit))
        b = frame.point(*_pair(el.get("to", "0,0"), frame.unit))
        path = (a, b)
        return [Shape(ShapeKind.ARROW, bounding(path), path, _head(el, path), _text(el))]
    if tag == "polyline":
        numbers = re.findall(r"-?[\d.]+[a-z]*", el.get("points", ""))
        pts = tuple(frame.point(length(numbers[i], frame.unit), length(numbers[i + 1], frame.unit))
                    for i in range(0, len(numbers) - 1, 2))  # fmt: skip
        if len(pts) < 2:
            return []
        return [Shape(ShapeKind.ARROW, bounding(pts), pts, _head(el, pts), _text(el))]
    if tag not in ("rect", "roundrect", "oval", "shape"):
        return []
    box = frame.box(style)
    text = _text(el)
    kind = symbol_kind(el)
    if kind is None:  # a picture (a logo, a scanned signature), or a text box
        return [TextRun(text, box)] if text and _type_number(el) == _TEXT_BOX else []
    if tag == "oval":
        kind = ShapeKind.TERMINATOR if box.width > 1.4 * box.height else ShapeKind.CONNECTOR
    if el.get("stroked") in ("f", "false") and kind is ShapeKind.PROCESS:
        return [TextRun(text, box)] if text else []  # an outline-less rectangle: a label
    if kind is ShapeKind.ARROW:
        coords = _pair(el.get("coordsize", "21600,21600"), 1.0)
        pts = tuple(_path_points(el.get("path", ""), box, coords)) if el.get("path") else (
            (box.x0, box.top), (box.x1, box.bottom))  # fmt: skip
        if style.get("flip", "") and len(pts) >= 2:
            flips = style["flip"]
            pts = tuple(
                (box.x0 + box.x1 - x if "x" in flips else x,
                 box.top + box.bottom - y if "y" in flips else y)
                for x, y in pts
            )  # fmt: skip
        if len(pts) < 2:
            return []
        return [Shape(ShapeKind.ARROW, bounding(pts), pts, _head(el, pts), text)]
    return [Shape(kind, box, text=text)]


def vml_offsets(el: etree._Element) -> tuple[str, float, float, bool]:
    """(vertical reference, top offset, height, is a line) of a top-level VML element, for
    sizing the row that anchors it before it is placed."""
    style = _style(el)
    ref = "paragraph" if style.get("mso-position-vertical-relative", "text") in (
        "text", "line") else "page"  # fmt: skip
    tag = etree.QName(el).localname
    number = _type_number(el)
    line = tag in ("line", "polyline") or (
        tag == "shape" and (_TYPES.get(number or 0) is ShapeKind.ARROW
                            or (number not in _TYPES and bool(el.get("path")))))  # fmt: skip
    return ref, length(style.get("margin-top", "0")), length(style.get("height", "0")), line


def vml_items(
    el: etree._Element, cell_x0: float, para_top: float, page_top: float, margin_left: float
) -> list[Shape | TextRun]:
    """The shapes of one top-level VML element anchored in a paragraph.

    ``text`` references (Word's default) are the anchoring cell's text area and paragraph;
    ``page``/``margin`` references use the page the anchoring cell is on.
    """
    style = _style(el)
    h = style.get("mso-position-horizontal-relative", "text")
    v = style.get("mso-position-vertical-relative", "text")
    x0 = {"page": 0.0, "margin": margin_left}.get(h, cell_x0)
    y0 = {"page": page_top, "margin": page_top}.get(v, para_top)
    return _items(el, _Frame(x0, y0))


def symbol_kind(el: etree._Element) -> ShapeKind | None:
    """What a VML ``rect``/``roundrect``/``oval``/``shape`` draws, as far as its markup tells
    (an oval is a terminator here: only its placed size tells a connector circle apart);
    ``None`` for a picture, a text box or another element.

    Why one place: the drawn reader places these shapes, and the Word table reader only
    marks the cell that holds one; both must agree that a connector line (a ``v:shape``
    with a ``path``, or an arrow type) is no symbol of a role."""
    tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
    if tag not in ("rect", "roundrect", "oval", "shape"):
        return None
    number = _type_number(el)
    if number == _PICTURE or el.find(_v("imagedata")) is not None:
        return None
    if tag == "rect":
        return ShapeKind.PROCESS
    if tag in ("roundrect", "oval"):
        return ShapeKind.TERMINATOR
    if number == _TEXT_BOX:
        return None
    if number in _TYPES:
        return _TYPES[number]
    return ShapeKind.ARROW if el.get("path") else ShapeKind.PROCESS


def kind_of_type(number: int) -> ShapeKind | None:
    """The flowchart kind of an Office shape type number (VML's ``#_x0000_tNNN``/``o:spt``,
    also in the VML that Word's "Save as Web Page" writes), ``None`` for other shapes."""
    return _TYPES.get(number)


__all__ = ["VML", "kind_of_type", "length", "symbol_kind", "vml_items", "vml_offsets"]
