"""The flowchart symbols of a .doc, as marks in the table cells they stand in.

A .doc keeps its drawn shapes apart from the text: the text holds an anchor character (0x08)
where each floating shape is anchored, the table stream a list of the anchors
(``PlcfSpaMom``: the anchor's character position, the shape's id and its rectangle) and the
shapes themselves (OfficeArt records in ``DggInfo``: each shape's type, and for a freeform its
vertices). The .docx reader writes a shape in a cell as a symbol mark ("◇" decision,
"○" start/end, "□" process, "⬠" off-page connector) before the cell's text, so the tab reader
takes the role of a step from its symbol's column; this module gives the .doc reader the same
marks. Lines, connectors, text boxes (branch labels) and groups give none: a group holds a
whole drawing, not one symbol.

Where a symbol stands: a shape laid out in its cell has its rectangle measured from that
cell, and its middle falls within the cell's width; a shape placed on the page is measured
from the page or the text column and is anchored to whatever paragraph Word chose, so it
gives no mark (its row and column are not known from the text).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

_FC_PLCF_SPA_MOM = 0x01DA  # FibRgFcLcb97.fcPlcSpaMom
_FC_DGG_INFO = 0x022A  # FibRgFcLcb97.fcDggInfo
_SPA_SIZE = 26
MAX_SHAPES = 20_000

_RT_SP = 0xF004
_RT_FSP = 0xF00A
_RT_FOPT = 0xF00B
_RT_CLIENT_ANCHOR = 0xF010
_F_GROUP = 0x0001
_F_CHILD = 0x0002
_P_VERTICES = 0x0145
_P_LINE_STYLE = 0x01FF  # line style booleans: fLine (bit 3), fUsefLine (bit 19)
_P_ARROWHEADS = (0x01D0, 0x01D1)  # lineStartArrowhead, lineEndArrowhead

# msospt shape types: https://learn.microsoft.com/openspecs (MSOSPT)
_DECISION = {4, 110}  # diamond, flowChartDecision
_ROUND = {2, 3, 116, 176, 120}  # roundRectangle, ellipse, terminator, alternateProcess, connector
_OFF_PAGE = {177, 15}  # flowChartOffpageConnector, homePlate
_NO_SYMBOL = {0, 20, 32, 33, 34, 35, 36, 37, 38, 39, 40, 75, 202}
"""Not a symbol: lines and connectors, a picture frame, a text box (a branch label)."""


@dataclass(frozen=True)
class Shape:
    """One anchored shape: its mark, and its horizontal middle (twips) as given."""

    mark: str
    middle: int


def _u32(data: bytes, at: int) -> int:
    return int(struct.unpack_from("<I", data, at)[0])


@dataclass(frozen=True)
class ShapeRecord:
    """One shape of an OfficeArt drawing as stored: its type, its FSP flags (group, child),
    its properties (the FOPT record, its property count appended), and its client anchor
    (Excel: the cells it spans; empty in Word, whose anchors are in ``PlcfSpaMom``)."""

    kind: int
    flags: int
    props: bytes
    anchor: bytes

    @property
    def mark(self) -> str | None:
        return _mark(self.kind, self.flags, self.props)


def _records(blob: bytes, at: int, end: int, out: dict[int, ShapeRecord]) -> int:
    """Walk OfficeArt records from ``at``; each shape container's record by shape id into
    ``out``. Returns where the walk stopped."""
    while at + 8 <= end and len(out) < MAX_SHAPES:
        ver_inst, rec_type, length = struct.unpack_from("<HHI", blob, at)
        if rec_type < 0xF000 or at + 8 + length > end:
            return at
        body_at = at + 8
        if rec_type == _RT_SP:
            _shape(blob, body_at, body_at + length, out)
        elif ver_inst & 0xF == 0xF:
            _records(blob, body_at, body_at + length, out)
        at = body_at + length
    return at


def _shape(blob: bytes, at: int, end: int, out: dict[int, ShapeRecord]) -> None:
    spid = kind = flags = -1
    props = anchor = b""
    while at + 8 <= end:
        ver_inst, rec_type, length = struct.unpack_from("<HHI", blob, at)
        body = blob[at + 8 : at + 8 + length]
        if rec_type == _RT_FSP and len(body) >= 8:
            kind, spid, flags = ver_inst >> 4, _u32(body, 0), _u32(body, 4)
        elif rec_type == _RT_FOPT:
            props = bytes(body) + struct.pack("<H", ver_inst >> 4)  # count kept at the end
        elif rec_type == _RT_CLIENT_ANCHOR:
            anchor = bytes(body)
        at += 8 + length
    if spid >= 0:
        out[spid] = ShapeRecord(kind, flags, props, anchor)


def drawing_shapes(blob: bytes) -> dict[int, ShapeRecord]:
    """Every shape of OfficeArt records by shape id (a drawing group and its drawings one
    after the other, a byte between them as Word keeps them), in the order stored."""
    shapes: dict[int, ShapeRecord] = {}
    at = _records(blob, 0, len(blob), shapes)
    while at < len(blob):
        nxt = _records(blob, at + 1, len(blob), shapes)
        if nxt <= at + 1:
            break
        at = nxt
    return shapes


_ARRAYS = {0x0145, 0x0146, 0x0151, 0x0152, 0x0155, 0x0156, 0x0157}
"""The geometry properties that are arrays (vertices, segments, guides...)."""


def _array_header(pid: int, table: bytes, at: int, value: int) -> int:
    """6 when an array property's stated size leaves out its 6-byte header (Word and
    LibreOffice write it so), else 0."""
    if pid not in _ARRAYS or at + 6 > len(table):
        return 0
    n, _alloc, size = struct.unpack_from("<HHH", table, at)
    step = 4 if size == 0xFFF0 else size
    return 6 if n * step == value else 0


def _properties(props: bytes) -> dict[int, bytes | int]:
    """An FOPT's properties: simple values as ints, complex ones as their bytes."""
    if len(props) < 2:
        return {}
    count = struct.unpack_from("<H", props, len(props) - 2)[0]
    table = props[:-2]
    found: dict[int, bytes | int] = {}
    complex_at = 6 * count
    for k in range(min(count, len(table) // 6)):
        pid, value = struct.unpack_from("<HI", table, 6 * k)
        if pid & 0x8000:  # fComplex: the value is the size of data after the table
            size = value + _array_header(pid & 0x3FFF, table, complex_at, value)
            found[pid & 0x3FFF] = table[complex_at : complex_at + size]
            complex_at += size
        else:
            found[pid & 0x3FFF] = value
    return found


def _freeform_mark(props: bytes) -> str | None:
    """A freeform's symbol from its vertices, measured in their own box: four points at the
    middles of its sides are a diamond, four at its corners a box, more points or points
    computed by formulas (curves) a rounded start/end symbol."""
    vertices = _properties(props).get(_P_VERTICES)
    if not isinstance(vertices, bytes) or len(vertices) < 6:
        return "□"
    n, _alloc, size = struct.unpack_from("<HHH", vertices, 0)
    step = 4 if size == 0xFFF0 else size
    if step not in (4, 8):
        return "□"
    fmt = "<HH" if step == 4 else "<II"
    raw = [struct.unpack_from(fmt, vertices, 6 + step * k)
           for k in range(min(n, (len(vertices) - 6) // step))]  # fmt: skip
    formula = 0x8000 if step == 4 else 0x80000000
    if len(set(raw)) >= 4 and any(x >= formula or y >= formula for x, y in raw):
        return "○"  # points the shape's formulas compute: the curves of a rounded symbol
    points = set(raw)
    if len(points) < 4:
        return None  # a line or an open bend: no symbol
    if len(points) != 4:
        return "○" if len(points) > 6 else "□"
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mid_x, mid_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    if all((x == mid_x) != (y == mid_y) for x, y in points):
        return "◇"
    return "□"


def _drawn_symbol(props: bytes) -> bool:
    """Whether the shape can be a symbol: its outline is drawn (the default; a frame with no
    outline holds a branch label) and it has no arrowhead (a connector drawn as a freeform)."""
    found = _properties(props)
    style = found.get(_P_LINE_STYLE)
    if isinstance(style, int) and style & 0x80000 and not style & 0x8:
        return False
    return not any(found.get(pid) for pid in _P_ARROWHEADS)


def _mark(kind: int, flags: int, props: bytes) -> str | None:
    if flags & (_F_GROUP | _F_CHILD) or kind in _NO_SYMBOL or not _drawn_symbol(props):
        return None
    if kind in _DECISION:
        return "◇"
    if kind in _ROUND:
        return "○"
    if kind in _OFF_PAGE:
        return "⬠"
    if kind == 0xFFF or kind == 0:  # msosptNotPrimitive: a freeform, told by its points
        return _freeform_mark(props)
    return "□"


def anchored_shapes(doc: bytes, table: bytes) -> dict[int, Shape]:
    """The symbol shapes by the character position of their anchors ({} when none, or when
    the drawing records cannot be read: the text is read without marks then)."""
    try:
        fc, lcb = _u32(doc, _FC_PLCF_SPA_MOM), _u32(doc, _FC_PLCF_SPA_MOM + 4)
        plc = table[fc : fc + lcb]
        n = (len(plc) - 4) // (4 + _SPA_SIZE) if len(plc) >= 4 + 4 + _SPA_SIZE else 0
        if n == 0 or n > MAX_SHAPES:
            return {}
        fc, lcb = _u32(doc, _FC_DGG_INFO), _u32(doc, _FC_DGG_INFO + 4)
        shapes = drawing_shapes(table[fc : fc + lcb])
        found: dict[int, Shape] = {}
        for k in range(n):
            cp = _u32(plc, 4 * k)
            spid, left, _top, right, _bottom = struct.unpack_from(
                "<Iiiii", plc, 4 * (n + 1) + _SPA_SIZE * k
            )
            record = shapes.get(spid)
            mark = record.mark if record is not None else None
            if mark is not None:
                found[cp] = Shape(mark, (left + right) // 2)
        return found
    except (struct.error, IndexError, ValueError):
        return {}


def cell_of(shape: Shape, anchor_cell: int, edges: list[int]) -> int | None:
    """The cell (index) a shape anchored in ``anchor_cell`` of a row with cell ``edges``
    stands in: its own, when its middle falls within the cell's width (a shape laid out in
    its cell); ``None`` for a shape placed on the page (its position is measured from the
    page or the text column, and its anchor's row need not be the row it stands in)."""
    if not 0 <= anchor_cell < len(edges) - 1:
        return None
    width = edges[anchor_cell + 1] - edges[anchor_cell]
    return anchor_cell if 0 <= shape.middle <= width else None


__all__ = ["Shape", "ShapeRecord", "anchored_shapes", "cell_of", "drawing_shapes"]
