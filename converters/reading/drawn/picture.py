"""The positional picture of a drawn SOP page: what every extractor produces.

An SOP AP table is a drawing before it is text: ruled cells, the words inside them, and the
flowchart symbols (capsule, box, diamond, off-page pentagon, arrows) standing in one role
column per step row. PDF with vector paths, scans, Word shapes and Excel drawings all reduce
to this same picture (pdfplumber's lesson: extractors make objects, one layer interprets
them), so :mod:`converters.reading.drawn.interpret.interpreter` reads every form with the
same rules.

Coordinates are in points (1/72 inch) of the page, origin top-left, y growing downwards,
whatever the source unit (PDF user space is flipped, pixels scaled by the dpi, EMU divided).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: ``x0 < x1``, ``top < bottom`` (points, top-left origin)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def contains(self, x: float, y: float, slack: float = 0.0) -> bool:
        return (self.x0 - slack <= x <= self.x1 + slack
                and self.top - slack <= y <= self.bottom + slack)

    def overlaps(self, other: Box) -> bool:
        return (self.x0 < other.x1 and other.x0 < self.x1
                and self.top < other.bottom and other.top < self.bottom)


class ShapeKind(Enum):
    """The flowchart symbols of the SOP AP format (Permenpan RB 35/2012)."""

    TERMINATOR = "terminator"  # capsule / rounded rectangle: start and end
    PROCESS = "process"  # rectangle: an activity
    DECISION = "decision"  # diamond
    CONNECTOR = "connector"  # off-page connector (pentagon) or on-page circle
    ARROW = "arrow"  # a connecting line; ``path`` holds its points, ``head`` its arrow end


SHAPE_MARKS = {ShapeKind.DECISION: "◇", ShapeKind.TERMINATOR: "○", ShapeKind.PROCESS: "□",
               ShapeKind.CONNECTOR: "⬠", ShapeKind.ARROW: "→"}  # fmt: skip
"""The sign a text reader writes into a role cell for a drawn shape it found there (a Word
table's flowchart shapes, a web page's VML): the one sign of each kind, so that inference reads
a diamond the same whichever reader wrote it."""


@dataclass(frozen=True)
class Shape:
    """One drawn symbol or connecting line.

    For arrows ``path`` is the polyline from tail to head as drawn (points), and ``head`` is
    the end that carries the arrowhead when the drawing shows one (``None``: unknown, the
    interpreter then orients the line by the symbols it joins). ``text`` is text drawn inside
    the shape when the source ties it to the shape (Word/Excel text boxes); extractors of
    PDFs and scans leave it empty and the interpreter takes the words inside the box.
    """

    kind: ShapeKind
    box: Box
    path: tuple[tuple[float, float], ...] = ()
    head: tuple[float, float] | None = None
    text: str = ""


@dataclass(frozen=True)
class TextRun:
    """A word or a run of words with its box, as the source placed it."""

    text: str
    box: Box


@dataclass(frozen=True)
class Page:
    """One page: its size, the ruled table cells, the words and the drawn shapes.

    ``cells`` are the table's cells as ruled (merged cells are one box). ``number`` is 1-based.
    """

    number: int
    width: float
    height: float
    cells: tuple[Box, ...] = ()
    texts: tuple[TextRun, ...] = ()
    shapes: tuple[Shape, ...] = ()


@dataclass(frozen=True)
class Picture:
    """A whole document as drawn, with the name of the extractor that saw it.

    ``extractor`` is one of ``"pdf-vector"``, ``"pdf-raster"``, ``"scan"``, ``"docx-shapes"``,
    ``"xlsx-shapes"``
    (shown by ``alur inspect``). ``header_text`` is the text of the document that is not in
    the flowchart table (the identity block and the header sections), in reading order, for
    :func:`converters.reading.header.parse_header`.
    """

    extractor: str
    pages: tuple[Page, ...]
    header_text: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
