"""Pages of the SOP document as positioned shapes, and their drawing through Graphviz.

Alur computes every position itself (rows, columns, symbols, arrow bends); Graphviz only draws
them: ``neato -n2`` keeps each node's ``pos="x,y!"`` and each edge's ``pos`` spline. Keeping the
page as plain frozen data (:class:`Page` of :class:`Shape` and :class:`Arrow`) separates the
layout, which tests can check numerically, from the drawing, which only has to be faithful.

Coordinates here are points with the origin at the page's top-left corner and y growing
downwards (like the printed page); the conversion to Graphviz's y-up space happens in
:func:`to_dot`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from converters.drawing.graphviz import run_graphviz
from converters.drawing.text_metrics import FONT

ARROW_LEN = 6.0
"""Length of an arrow head in points (``arrowsize`` 0.6 × 10 pt)."""

Point = tuple[float, float]


class Placed:
    """Anything placed by its top-left corner and size (a page shape, a BPMNDI bounds box):
    its centre, which arrows and labels aim at, is worked out here once."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Shape(Placed):
    """A node: a table cell, a flowchart symbol, an off-page connector or a free text.

    ``kind`` is one of ``box`` (cell or process step), ``rounded`` (terminator capsule),
    ``diamond`` (decision), ``house`` / ``invhouse`` (off-page connector pointing up / down)
    or ``text`` (no outline). ``x, y`` is the top-left corner, ``w, h`` the size.
    """

    id: str
    x: float
    y: float
    w: float
    h: float
    kind: str = "box"
    lines: tuple[str, ...] = ()
    align: str = "left"  # left | center
    valign: str = "top"  # top | center
    size: float = 8.0
    bold: bool = False
    classes: tuple[str, ...] = ()
    pad: float = 3.0
    fill: str = ""
    pen: float = 0.75
    color: str = "black"


@dataclass(frozen=True)
class Arrow:
    """A polyline with right-angle bends from ``tail`` to ``head`` (shape ids), head at the end."""

    id: str
    tail: str
    head: str
    points: tuple[Point, ...]
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """One printed page: its size in points and what is drawn on it (in drawing order)."""

    number: int
    kind: str  # "identity" | "flow"
    width: float
    height: float
    shapes: tuple[Shape, ...]
    arrows: tuple[Arrow, ...] = ()


# -- DOT -------------------------------------------------------------------------------------


def _q(value: str) -> str:
    """A DOT double-quoted string (escape-string aware: backslashes are doubled)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _html(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _label(shape: Shape) -> str:
    """An HTML-like label: one text line per ``<BR/>``, bold through ``<B>``.

    The lines sit in a borderless one-cell table as wide as the node's inside, so
    left-aligned text starts at the cell's left edge instead of being centred as a block.
    """
    if not shape.lines:
        return '""'
    align = "LEFT" if shape.align == "left" else "CENTER"
    parts = []
    for line in shape.lines:
        text = _html(line) if line else " "
        if shape.bold:
            text = f"<B>{text}</B>"
        parts.append(f'{text}<BR ALIGN="{align}"/>')
    inner = max(1.0, shape.w - 2 * shape.pad)
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
        f'<TR><TD WIDTH="{inner:.0f}" ALIGN="{align}" BALIGN="{align}">'
        + "".join(parts)
        + "</TD></TR></TABLE>>"
    )


_GV_SHAPE = {
    "box": "box",
    "rounded": "box",
    "diamond": "diamond",
    "house": "house",
    "invhouse": "invhouse",
    "text": "plaintext",
}


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _node(name: str, shape: Shape, dy: float, total_h: float) -> str:
    cx, cy = shape.cx, total_h - (shape.cy + dy)
    styles = []
    if shape.kind == "rounded":
        styles.append("rounded")
    if shape.fill:
        styles.append("filled")
    attrs = {
        "id": _q(shape.id),
        "class": _q(" ".join(shape.classes)),
        "shape": _GV_SHAPE.get(shape.kind, "box"),
        "fixedsize": "true",
        "width": _fmt(shape.w / 72),
        "height": _fmt(shape.h / 72),
        "pos": _q(f"{_fmt(cx)},{_fmt(cy)}!"),
        "label": _label(shape),
        "fontsize": _fmt(shape.size),
        "penwidth": _fmt(shape.pen) if shape.kind != "text" else "0",
        "color": _q(shape.color),
        "margin": _q(f"{_fmt(shape.pad / 72)},{_fmt(shape.pad / 72)}"),
        "labelloc": "t" if shape.valign == "top" else "c",
    }
    if styles:
        attrs["style"] = _q(",".join(styles))
    if shape.fill:
        attrs["fillcolor"] = _q(shape.fill)
    if shape.kind == "diamond" or shape.kind in ("house", "invhouse"):
        attrs["fixedsize"] = "shape"
    body = ", ".join(f"{k}={v}" for k, v in attrs.items())
    return f"  {name} [{body}];"


def _spline(points: Sequence[Point], dy: float, total_h: float) -> str:
    """Edge ``pos``: straight cubic pieces through the bends, the last one shortened so the
    arrow head (drawn by Graphviz) ends exactly at the final point."""
    pts = [(x, total_h - (y + dy)) for x, y in points]
    tip = pts[-1]
    bx, by = pts[-2]
    length = ((tip[0] - bx) ** 2 + (tip[1] - by) ** 2) ** 0.5 or 1.0
    cut = min(ARROW_LEN, length * 0.8)
    end = (tip[0] - (tip[0] - bx) / length * cut, tip[1] - (tip[1] - by) / length * cut)
    body = [*pts[:-1], end]
    seq = [body[0]]
    for p, q in itertools.pairwise(body):
        seq.extend([p, q, q])
    coords = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in seq)
    return f"e,{_fmt(tip[0])},{_fmt(tip[1])} {coords}"


def to_dot(pages: Sequence[Page], gap: float = 24.0, frames: bool = False) -> str:
    """DOT source drawing ``pages`` stacked top to bottom, ``gap`` points apart.

    With one page the drawing is exactly the page size (two invisible zero-size corner nodes
    pin the bounding box), which is what a print page needs. ``frames`` draws a light border
    around each page (for the on-screen stacked SVG/PNG).
    """
    total_h = sum(p.height for p in pages) + gap * (len(pages) - 1)
    total_w = max(p.width for p in pages)
    out = [
        "digraph sop {",
        '  graph [pad=0, margin=0, outputorder=edgesfirst, bgcolor=white, splines=true];',
        f"  node [fontname={_q(FONT)}, fontcolor=black];",
        "  edge [arrowsize=0.6, penwidth=0.75, color=black, arrowhead=normal];",
        '  corner0 [shape=point, width=0, height=0, style=invis, label="", pos="0,0!"];',
        f'  corner1 [shape=point, width=0, height=0, style=invis, label="", '
        f'pos="{_fmt(total_w)},{_fmt(total_h)}!"];',
    ]
    names: dict[str, str] = {}
    dy = 0.0
    counter = 0
    for page in pages:
        frame = Shape(
            id=f"page-{page.number}",
            x=0,
            y=0,
            w=page.width,
            h=page.height,
            kind="box",
            classes=("page", f"page-{page.kind}"),
            pen=0.5 if frames else 0,
            color="#b0b0b0" if frames else "white",
        )
        for shape in (frame, *page.shapes):
            counter += 1
            name = f"n{counter}"
            names[shape.id] = name
            out.append(_node(name, shape, dy, total_h))
        for arrow in page.arrows:
            tail = names.get(arrow.tail, "corner0")
            head = names.get(arrow.head, "corner0")
            out.append(
                f"  {tail} -> {head} [id={_q(arrow.id)}, class={_q(' '.join(arrow.classes))}, "
                f"pos={_q(_spline(arrow.points, dy, total_h))}];"
            )
        dy += page.height + gap
    out.append("}")
    return "\n".join(out) + "\n"


def render_pages(pages: Sequence[Page], fmt: str, dpi: int | None = None,
                 frames: bool = False) -> bytes:
    """Draw ``pages`` stacked in one picture (svg/png/pdf) with ``neato -n2``."""
    return run_graphviz(to_dot(pages, frames=frames), fmt, dpi=dpi, extra=["-n2"])

