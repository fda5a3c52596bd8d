"""Reading Graphviz SVG back into boxes and polylines, for structural tests of the drawings.

Graphviz writes each node as ``<g id=... class="node ...">`` with a polygon/path outline and
each edge as ``<g class="edge ...">`` with a path (cubic pieces) and a polygon arrow head, all
under one ``transform="... translate(tx ty)"``. Coordinates returned here are in the page
space of the drawing (y downwards), which is the space the layout computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"
_NUM = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Box:
    id: str
    classes: tuple[str, ...]
    x0: float
    y0: float
    x1: float
    y1: float
    texts: tuple[str, ...]

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Line:
    id: str
    classes: tuple[str, ...]
    points: tuple[tuple[float, float], ...]  # path points (on-curve and control points)
    tip: tuple[float, float]  # the arrow head's tip


def _pairs(text: str) -> list[tuple[float, float]]:
    nums = [float(n) for n in _NUM.findall(text)]
    return list(zip(nums[0::2], nums[1::2], strict=False))


class Drawing:
    def __init__(self, svg: bytes) -> None:
        self.root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
        g = self.root.find(f"{SVG}g")
        m = re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", g.get("transform", ""))
        self.tx, self.ty = (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)
        self.boxes: dict[str, Box] = {}
        self.lines: dict[str, Line] = {}
        for el in g.iter(f"{SVG}g"):
            classes = tuple((el.get("class") or "").split())
            ident = el.get("id") or ""
            if "node" in classes:
                pts: list[tuple[float, float]] = []
                for shape in el.iter():
                    if shape.tag == f"{SVG}polygon":
                        pts += _pairs(shape.get("points", ""))
                    elif shape.tag == f"{SVG}path":
                        pts += _pairs(shape.get("d", ""))
                    elif shape.tag in (f"{SVG}ellipse",):
                        cx, cy = float(shape.get("cx")), float(shape.get("cy"))
                        rx, ry = float(shape.get("rx")), float(shape.get("ry"))
                        pts += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
                texts = tuple(t.text or "" for t in el.iter(f"{SVG}text"))
                if not pts:
                    continue
                xs = [p[0] + self.tx for p in pts]
                ys = [p[1] + self.ty for p in pts]
                self.boxes[ident] = Box(ident, classes, min(xs), min(ys), max(xs), max(ys), texts)
            elif "edge" in classes:
                path = el.find(f"{SVG}path")
                head = el.find(f"{SVG}polygon")
                if path is None:
                    continue
                pts = [(x + self.tx, y + self.ty) for x, y in _pairs(path.get("d", ""))]
                tip = pts[-1]
                if head is not None:
                    hp = [(x + self.tx, y + self.ty) for x, y in _pairs(head.get("points", ""))]
                    # the tip is the head point farthest from the path's end
                    tip = max(hp, key=lambda p: (p[0] - pts[-1][0]) ** 2 + (p[1] - pts[-1][1]) ** 2)
                self.lines[ident] = Line(ident, classes, tuple(pts), tip)

    def with_class(self, cls: str) -> list[Box]:
        return [b for b in self.boxes.values() if cls in b.classes]

    def node_texts(self, ident: str) -> tuple[str, ...]:
        """Texts of the node with id ``ident`` (also nodes without an outline, like labels)."""
        for el in self.root.iter(f"{SVG}g"):
            if el.get("id") == ident:
                return tuple(t.text or "" for t in el.iter(f"{SVG}text"))
        raise KeyError(ident)

    def texts(self) -> list[str]:
        return [t.text or "" for t in self.root.iter(f"{SVG}text")]


def near_box(p: tuple[float, float], b: Box, tol: float = 2.5) -> bool:
    """Is point ``p`` on (or within ``tol`` of) the bounding box of ``b``?"""
    return b.x0 - tol <= p[0] <= b.x1 + tol and b.y0 - tol <= p[1] <= b.y1 + tol


def segment_hits_box(a: tuple[float, float], c: tuple[float, float], b: Box,
                     shrink: float = 1.5) -> bool:
    """Does the axis-aligned segment a–c pass through the inside of ``b`` (shrunk a little)?"""
    x0, y0, x1, y1 = b.x0 + shrink, b.y0 + shrink, b.x1 - shrink, b.y1 - shrink
    if x0 >= x1 or y0 >= y1:
        return False
    sx0, sx1 = sorted((a[0], c[0]))
    sy0, sy1 = sorted((a[1], c[1]))
    return sx0 < x1 and sx1 > x0 and sy0 < y1 and sy1 > y0


# -- the helper's own check --------------------------------------------------------------------


def test_drawing_reads_boxes_and_arrows_in_page_space() -> None:
    from converters.drawing.page import Arrow, Page, Shape, render_pages

    page = Page(
        number=1, kind="flow", width=200, height=100,
        shapes=(
            Shape(id="a", x=10, y=10, w=40, h=20, classes=("symbol",)),
            Shape(id="b", x=100, y=60, w=40, h=20, kind="diamond"),
        ),
        arrows=(Arrow(id="a-b", tail="a", head="b", points=((50, 20), (120, 20), (120, 60))),),
    )
    d = Drawing(render_pages([page], "svg"))
    a = d.boxes["a"]
    assert (round(a.x0), round(a.y0), round(a.x1), round(a.y1)) == (10, 10, 50, 30)
    assert "symbol" in a.classes
    line = d.lines["a-b"]
    assert abs(line.tip[0] - 120) < 0.6 and abs(line.tip[1] - 60) < 0.6
    assert abs(line.points[0][0] - 50) < 0.6 and abs(line.points[0][1] - 20) < 0.6
