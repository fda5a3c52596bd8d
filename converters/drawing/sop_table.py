"""Layout of the SOP AP flowchart table (Permenpan RB 35/2012): rows, columns, symbols, arrows.

This module only computes geometry; :mod:`converters.drawing.page` draws it with Graphviz.
The table has the columns No | Kegiatan | one column per Pelaksana | Mutu Baku (Kelengkapan,
Waktu, Output) | Keterangan and one row per step. Each step's symbol sits centred in its role's
cell: a capsule for the first and last step, a rectangle for a process step, a diamond for a
decision. Arrows have right-angle bends only:

* to the next row: straight down, or out of the symbol's side and down into the next symbol;
* any other jump (a reject loop back up, a forward jump, a branch to the end): out of a side
  into a *lane*, a vertical track near a column edge where no symbol can be (symbols are
  centred and narrower than their column), then along the target's row into its side (or
  over its top). Rows hold one symbol each, so a horizontal run along a row meets no symbol.

When rows do not fit on one page the table continues on the next page with the header
repeated; each arrow that crosses a page break is cut into two, joined by a pair of off-page
connectors (pentagons) labelled with the same letter, in an extra strip row at the bottom of
one page and the top of the other.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from converters.drawing.page import Arrow, Page, Point, Shape
from converters.drawing.paper import MARGIN, PAD, PAPERS
from converters.drawing.text_metrics import fit_lines, line_height, text_width, wrap
from converters.model import END, Sop, Step, StepRef

FONT_SIZE = 7.5
HEAD_SIZE = 8.0
CAPTION_H = 18.0
FOOTER_H = 12.0
STRIP_H = 34.0
LANE_STEP = 4.0
LANE_EDGE = 4.0

# (key, title, preferred width, minimum width) of the fixed columns; roles go after "activity".
_LEFT = (("no", "No", 22.0, 18.0), ("activity", "Kegiatan", 210.0, 110.0))
_RIGHT = (
    ("requirements", "Kelengkapan", 82.0, 50.0),
    ("duration", "Waktu", 52.0, 38.0),
    ("output", "Output", 72.0, 46.0),
    ("notes", "Keterangan", 82.0, 46.0),
)
_ROLE_PREF, _ROLE_MIN, _ROLE_MAX = 74.0, 48.0, 96.0
_GROW = {"activity": 0.55, "notes": 0.2, "requirements": 0.15, "output": 0.1}

SYMBOL_SIZE = {  # (w, h) in points at full size
    "terminator": (42.0, 18.0),
    "process": (40.0, 20.0),
    "decision": (34.0, 26.0),
}
CONNECTOR_SIZE = (18.0, 18.0)


@dataclass(frozen=True)
class Column:
    key: str  # "no", "activity", "role-<i>", "requirements", "duration", "output", "notes"
    title: str
    x: float
    w: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@dataclass(frozen=True)
class Flow:
    """One arrow of the SOP flow between two steps, before pagination."""

    source: int
    target: int
    kind: str  # "next" | "approve" | "reject" | "branch" (a decision's third, fourth, ...)
    label: str = ""


@dataclass(frozen=True)
class RowText:
    step: Step
    cells: dict[str, list[str]]
    height: float


@dataclass(frozen=True)
class FlowchartTable:
    """The laid-out flowchart table: its pages plus what tests and other views need."""

    pages: tuple[Page, ...]
    columns: tuple[Column, ...]
    flows: tuple[Flow, ...]
    page_of_step: dict[int, int]
    connectors: tuple[str, ...]  # labels of the off-page connector pairs


# -- columns and text --------------------------------------------------------------------------


def columns_for(sop: Sop, width: float) -> tuple[Column, ...]:
    """Column positions across the usable page width, shrinking/growing to fit exactly."""
    n = max(1, len(sop.roles))
    specs = [*_LEFT]
    specs += [(f"role-{i}", r, _ROLE_PREF, _ROLE_MIN) for i, r in enumerate(sop.roles or ("",))]
    specs += [*_RIGHT]
    usable = width - 2 * MARGIN
    pref = sum(s[2] for s in specs)
    widths: list[float]
    if pref <= usable:
        extra = usable - pref
        role_extra = min(extra * 0.3, n * (_ROLE_MAX - _ROLE_PREF))
        extra -= role_extra
        widths = []
        for key, _t, p, _m in specs:
            if key.startswith("role-"):
                widths.append(p + role_extra / n)
            else:
                widths.append(p + extra * _GROW.get(key, 0.0))
    else:
        slack = sum(s[2] - s[3] for s in specs)
        need = pref - usable
        if need <= slack:
            ratio = need / slack
            widths = [p - (p - m) * ratio for _k, _t, p, m in specs]
        else:
            total_min = sum(s[3] for s in specs)
            widths = [m * usable / total_min for _k, _t, _p, m in specs]
    cols = []
    x = MARGIN
    for (key, title, _p, _m), w in zip(specs, widths, strict=True):
        cols.append(Column(key=key, title=title, x=x, w=w))
        x += w
    return tuple(cols)


def head_size(column: Column) -> float:
    """Header font size of a column: smaller when its longest word would not fit the width."""
    longest = max(column.title.split() or [""], key=len)
    size = HEAD_SIZE
    while size > 6.0 and text_width(longest, size, bold=True) > column.w - 2 * PAD:
        size -= 0.5
    return size


def _cell_lines(text: str, width: float, size: float = FONT_SIZE) -> list[str]:
    return wrap(text, max(8.0, width - 2 * PAD), size)


def _text_height(lines: list[str], size: float = FONT_SIZE) -> float:
    return len(lines) * line_height(size) + 2 * PAD + 2


# -- flow --------------------------------------------------------------------------------------


def flows_of(sop: Sop) -> tuple[Flow, ...]:
    """The arrows of the flowchart: next-step arrows and every branch of each decision.

    A branch to :data:`END` goes to the last step (the closing terminator), or, when the last
    step is itself a decision, to an extra closing terminator (:data:`END_ROW`, "Selesai");
    a branch to a step that does not exist is dropped (the reader has already warned).
    """
    numbers = [s.number for s in sop.steps]
    if not numbers:
        return ()
    last = numbers[-1]
    known = set(numbers)
    if sop.steps[-1].decision is not None:
        last = END_ROW
        known.add(END_ROW)

    def resolve(ref: StepRef, source: int) -> int | None:
        target = last if ref == END else ref
        if not isinstance(target, int) or target not in known or target == source:
            return None
        return target

    flows: list[Flow] = []
    for i, step in enumerate(sop.steps):
        if step.decision is not None:
            for k, branch in enumerate(step.decision.branches):
                kind = ("approve", "reject")[k] if k < 2 else "branch"
                target = resolve(branch.target, step.number)
                if target is not None:
                    flows.append(Flow(step.number, target, kind, branch.label))
        elif i + 1 < len(sop.steps):
            flows.append(Flow(step.number, sop.steps[i + 1].number, "next"))
    return tuple(flows)


END_ROW = -1
"""Step number of the extra closing terminator row (drawn only when the last step decides)."""


def sid(number: int) -> str:
    """Id of a step's symbol in the drawing: ``step-N``, or ``step-end`` for :data:`END_ROW`."""
    return "step-end" if number == END_ROW else f"step-{number}"


def _ref(number: int) -> str:
    return "end" if number == END_ROW else str(number)


def symbol_kind(sop: Sop, step: Step) -> str:
    if step.number == END_ROW:
        return "terminator"
    if step.decision is not None:
        return "decision"
    if step.number in (sop.steps[0].number, sop.steps[-1].number):
        return "terminator"
    return "process"


# -- routing on one page -----------------------------------------------------------------------


@dataclass
class _Node:
    id: str
    row: int  # visual row index on the page (strips: -1 top, len(rows) bottom)
    col: int  # index into columns
    shape: Shape
    row_top: float
    row_bottom: float
    used: set[str] = field(default_factory=set)


@dataclass
class _Router:
    columns: tuple[Column, ...]
    nodes: dict[str, _Node]
    lanes: dict[tuple[int, str], list[tuple[float, float, int]]] = field(default_factory=dict)

    def port(self, node: _Node, side: str) -> Point:
        s = node.shape
        return {
            "top": (s.cx, s.y),
            "bottom": (s.cx, s.y + s.h),
            "left": (s.x, s.cy),
            "right": (s.x + s.w, s.cy),
        }[side]

    def _lane_x(self, col: int, side: str, y0: float, y1: float) -> float | None:
        """A free vertical track at a column edge for the span y0..y1, or None if all taken."""
        column = self.columns[col]
        widest = max(
            (n.shape.w for n in self.nodes.values() if n.col == col), default=0.0
        )
        room = (column.w - widest) / 2 - LANE_EDGE
        lo, hi = min(y0, y1), max(y0, y1)
        taken = self.lanes.setdefault((col, side), [])
        k = 0
        while k * LANE_STEP <= room - 2:
            if all(hi < a - 3 or lo > b + 3 or kk != k for a, b, kk in taken):
                offset = LANE_EDGE + k * LANE_STEP
                return column.x + offset if side == "left" else column.right - offset
            k += 1
        return None

    def _take_lane(self, col: int, side: str, y0: float, y1: float, x: float) -> None:
        column = self.columns[col]
        offset = (x - column.x) if side == "left" else (column.right - x)
        k = round((offset - LANE_EDGE) / LANE_STEP)
        self.lanes.setdefault((col, side), []).append((min(y0, y1), max(y0, y1), k))

    def route(self, a: _Node, b: _Node) -> tuple[list[Point], str]:
        """Points of a right-angled path from ``a`` to ``b`` and the side it leaves ``a`` by."""
        sa, sb = a.shape, b.shape
        if b.row == a.row + 1:
            if abs(sa.cx - sb.cx) < 0.5 and "bottom" not in a.used:
                a.used.add("bottom")
                return [self.port(a, "bottom"), self.port(b, "top")], "bottom"
            side = "right" if sb.cx > sa.cx else "left"
            p = self.port(a, side)
            if side not in a.used and self._clear(p[1], p[0], sb.cx, a, b):
                a.used.add(side)
                return [p, (sb.cx, p[1]), self.port(b, "top")], side
            if "bottom" not in a.used:
                a.used.add("bottom")
                p = self.port(a, "bottom")
                gy = (p[1] + a.row_bottom) / 2
                return [p, (p[0], gy), (sb.cx, gy), self.port(b, "top")], "bottom"
        return self._lane_route(a, b)

    def _clear(self, y: float, x0: float, x1: float, a: _Node, b: _Node) -> bool:
        """Whether a level line at ``y`` from ``x0`` to ``x1`` passes by every symbol but
        ``a`` and ``b``. An arrow into a symbol's side that ran through a neighbour (two
        off-page connectors set side by side in one strip) would seem to end in the
        neighbour: drawn over by its white fill, the arrow's last stretch is not seen, and a
        reader of the printed page (a person or a scan) takes the wrong connector."""
        lo, hi = min(x0, x1), max(x0, x1)
        return not any(n is not a and n is not b
                       and n.shape.y - 1 <= y <= n.shape.y + n.shape.h + 1
                       and n.shape.x < hi - 0.5 and n.shape.x + n.shape.w > lo + 0.5
                       for n in self.nodes.values())  # fmt: skip

    def _lane_route(self, a: _Node, b: _Node) -> tuple[list[Point], str]:
        sa, sb = a.shape, b.shape
        toward = "right" if sb.cx >= sa.cx else "left"
        sides = (toward, "left" if toward == "right" else "right")
        exits = [s for s in sides if s not in a.used]
        if not exits:
            # a decision with three or more branches has used both sides: leave by the bottom
            # into the gap below the symbol, else share a side (the arrows part at their lanes)
            exits = ["bottom"] if "bottom" not in a.used else list(sides)
        ya, yb = sa.cy, sb.cy
        gap_y = (self.port(a, "bottom")[1] + a.row_bottom) / 2  # a bottom exit turns here
        if exits == ["bottom"]:
            ya = gap_y

        def search(exits: list[str], ya: float) -> tuple[float, str, str, int, str, float] | None:
            best: tuple[float, str, str, int, str, float] | None = None
            for exit_side in exits:
                pa = self.port(a, exit_side)
                for ci in range(len(self.columns)):
                    if not self.columns[ci].key.startswith("role-"):
                        continue
                    for lside in ("left", "right"):
                        x = self._lane_x(ci, lside, ya, yb)
                        if x is None:
                            continue
                        if exit_side == "right" and x <= pa[0] + 3:
                            continue
                        if exit_side == "left" and x >= pa[0] - 3:
                            continue
                        if exit_side != "bottom" and not self._clear(pa[1], pa[0], x, a, b):
                            continue  # out through a neighbour: another exit
                        if (x > sb.x + sb.w + 3 and "right" not in b.used
                                and self._clear(sb.cy, x, sb.x + sb.w, a, b)):
                            entry = "right"
                        elif (x < sb.x - 3 and "left" not in b.used
                                and self._clear(sb.cy, x, sb.x, a, b)):
                            entry = "left"
                        else:
                            entry = "top" if b.row > a.row else "bottom"
                        cost = abs(x - sa.cx) + abs(x - sb.cx)
                        cost += 150 if entry in ("top", "bottom") else 0
                        cost += 15 if exit_side != toward else 0
                        cand = (cost, exit_side, lside, ci, entry, x)
                        if best is None or cand[0] < best[0] - 1e-6:
                            best = cand
            return best

        best = search(exits, ya)
        if best is None and exits != ["bottom"] and "bottom" not in a.used:
            # every side's way out runs through a neighbour: down into the gap first
            exits, ya = ["bottom"], gap_y
            best = search(exits, ya)
        if best is None:  # no free lane: go straight over the column (last resort)
            side = exits[0] if exits else "bottom"
            a.used.add(side)
            pa = self.port(a, side)
            return [pa, (sb.cx, pa[1]), self.port(b, "top" if b.row > a.row else "bottom")], side
        _cost, exit_side, lside, ci, entry, x = best
        a.used.add(exit_side)
        self._take_lane(ci, lside, ya, yb, x)
        pa = self.port(a, exit_side)
        if exit_side == "bottom":  # down into the gap, then along it to the lane
            head: list[Point] = [pa, (pa[0], gap_y), (x, gap_y)]
        else:
            head = [pa, (x, pa[1])]
        if entry in ("left", "right"):
            b.used.add(entry)
            pb = self.port(b, entry)
            return [*head, (x, pb[1]), pb], exit_side
        # over the top (or under the bottom) of the target, joining its incoming arrow
        if entry == "top":
            pb = self.port(b, "top")
            gy = (b.row_top + pb[1]) / 2
        else:
            pb = self.port(b, "bottom")
            gy = (b.row_bottom + pb[1]) / 2
        return [*head, (x, gy), (pb[0], gy), pb], exit_side


def _label_for(points: list[Point], side: str, text: str, ident: str,
               bounds: tuple[float, float], under: float | None = None,
               shared: bool = False) -> Shape:
    """A branch label next to where the arrow leaves the decision diamond.

    Kept inside the role columns (``bounds``) so it never sits on the Kegiatan or Mutu Baku
    text. When the words do not fit beside the arrow even stacked, the label goes under the
    symbol (``under`` is the y just below it, given when nothing leaves by the bottom).
    ``shared``: another branch already leaves by this side (a decision with four or more
    branches) and has its label above the line, so this one goes below it.
    """
    size = FONT_SIZE - 0.5
    lo, hi = bounds
    x0, y0 = points[0]
    lines = [text]
    if side in ("left", "right"):
        room = (x0 - 2 - (lo + 1)) if side == "left" else (hi - 1 - (x0 + 2))
        if text_width(text, size) + 2 > room:  # stack the words in the room beside the arrow
            for smaller in (size, 6.0, 5.5):
                stacked = wrap(text, max(room - 2, 8.0), smaller)
                whole_words = " ".join(stacked) == " ".join(text.split())
                if whole_words and all(text_width(ln, smaller) + 2 <= room for ln in stacked):
                    lines, size = stacked, smaller
                    break
    w = max(text_width(ln, size) for ln in lines) + 2
    h = line_height(size) * len(lines) + 2
    if side == "right":
        x, y = x0 + 2, (y0 + 1 if shared else y0 - h - 1)
    elif side == "left":
        x, y = x0 - w - 2, (y0 + 1 if shared else y0 - h - 1)
    else:
        x, y = x0 + 3, y0 + 1
    squeezed = x < lo + 1 or x + w > hi - 1
    if squeezed and side in ("left", "right") and under is not None and len(points) > 1:
        bend = points[1][0]
        x = bend + 2 if side == "left" else bend - 2 - w
        y = under + 1
    if x < lo + 1:
        x, y = lo + 1, (y0 + 1 if side != "bottom" else y)
    if x + w > hi - 1:
        x, y = hi - 1 - w, (y0 + 1 if side != "bottom" else y)
    return Shape(
        id=ident, x=x, y=y, w=w, h=h, kind="text", lines=tuple(lines), size=size,
        pad=0.5, classes=("branch-label",), valign="center",
    )


# -- the table ---------------------------------------------------------------------------------


def _connector_labels() -> list[str]:
    letters = list(string.ascii_uppercase)
    return letters + [a + b for a in letters for b in letters]


def layout_table(sop: Sop, paper: str = "a4", first_page: int = 1) -> FlowchartTable:
    """Lay out the flowchart table of ``sop`` on landscape pages of ``paper`` (a4 | f4).

    ``first_page`` is the page number of the first flowchart page (the identity page comes
    before it in the document).
    """
    if paper not in PAPERS:
        raise ValueError(paper)
    width, height = PAPERS[paper]
    columns = columns_for(sop, width)
    col_index = {c.key: i for i, c in enumerate(columns)}
    role_col = {r: col_index[f"role-{i}"] for i, r in enumerate(sop.roles)}
    header = _header(columns)
    body_top = header.top + (header.h1 + header.h2)  # this order: the same float sums as ever
    avail = height - MARGIN - FOOTER_H - body_top

    flows = flows_of(sop)
    steps = list(sop.steps)
    if any(f.target == END_ROW for f in flows):
        steps.append(Step(number=END_ROW, activity="Selesai", role=sop.steps[-1].role))
    rows = [_row_text(sop, step, columns, col_index, avail - 2 * STRIP_H) for step in steps]
    page_rows = _paginate(rows, avail)
    page_of_step = {
        r.step.number: first_page + pi for pi, pr in enumerate(page_rows) for r in pr
    }
    labels = iter(_connector_labels())
    crossing: dict[int, str] = {}
    for fi, f in enumerate(flows):
        if page_of_step[f.source] != page_of_step[f.target]:
            crossing[fi] = next(labels)

    table = _Table(
        sop=sop,
        width=width,
        height=height,
        columns=columns,
        col_index=col_index,
        role_col=role_col,
        role_of={s.number: s.role for s in steps},
        header=header,
        body_top=body_top,
        flows=flows,
        page_of_step=page_of_step,
        crossing=crossing,
        sym_scale=min(
            1.0, min((columns[c].w - 18) / 42 for c in role_col.values()) if role_col else 1.0
        ),
        first_page=first_page,
    )
    pages = [_flow_page(table, first_page + pi, prs) for pi, prs in enumerate(page_rows)]
    return FlowchartTable(
        pages=tuple(pages),
        columns=columns,
        flows=flows,
        page_of_step=page_of_step,
        connectors=tuple(crossing.values()),
    )


@dataclass(frozen=True)
class _Header:
    """The repeated table header: two rows (group titles, then role names and Mutu Baku
    parts), the wrapped title of every column, and where it starts."""

    role_lines: dict[str, list[str]]
    h1: float
    h2: float
    top: float


def _header(columns: tuple[Column, ...]) -> _Header:
    role_lines = {c.key: wrap(c.title, c.w - 2 * PAD, head_size(c), bold=True) for c in columns}
    sub_keys = [c.key for c in columns if c.key.startswith("role-")] + [
        "requirements",
        "duration",
        "output",
    ]
    h1 = line_height(HEAD_SIZE) + 2 * PAD + 4
    h2 = max(len(role_lines[k]) for k in sub_keys) * line_height(HEAD_SIZE) + 2 * PAD + 4
    return _Header(role_lines, h1, h2, MARGIN + CAPTION_H)


def _row_text(sop: Sop, step: Step, columns: tuple[Column, ...], col_index: dict[str, int],
              max_row: float) -> RowText:
    """A step's wrapped cell texts and its row height (text or symbol, whichever is taller);
    text taller than ``max_row`` is cut so a single row always fits a page."""
    kind = symbol_kind(sop, step)
    texts = {
        "no": str(step.number) if step.number != END_ROW else "",
        "activity": step.activity,
        "requirements": step.requirements,
        "duration": step.duration.text,
        "output": step.output,
        "notes": step.notes,
    }
    cells = {k: _cell_lines(v, columns[col_index[k]].w) for k, v in texts.items()}
    max_lines = int((max_row - 2 * PAD - 2) // line_height(FONT_SIZE))
    cells = {k: fit_lines(v, max_lines) for k, v in cells.items()}
    text_h = max(_text_height(v) for v in cells.values())
    sym_h = SYMBOL_SIZE[kind][1] + 20
    return RowText(step=step, cells=cells, height=max(text_h, sym_h))


def _paginate(rows: list[RowText], avail: float) -> list[list[RowText]]:
    """Rows per page, greedily, keeping room for connector strips at page breaks."""
    page_rows: list[list[RowText]] = [[]]
    used = 0.0
    for i, row in enumerate(rows):
        is_last = i == len(rows) - 1
        reserve = 0.0 if is_last else STRIP_H
        if page_rows[-1] and used + row.height + reserve > avail:
            page_rows.append([])
            used = STRIP_H
        page_rows[-1].append(row)
        used += row.height
    return page_rows


@dataclass(frozen=True)
class _Table:
    """What every page of one table shares while it is laid out."""

    sop: Sop
    width: float
    height: float
    columns: tuple[Column, ...]
    col_index: dict[str, int]
    role_col: dict[str, int]  # role name -> column index
    role_of: dict[int, str]  # step number -> role name
    header: _Header
    body_top: float
    flows: tuple[Flow, ...]
    page_of_step: dict[int, int]
    crossing: dict[int, str]  # flow index -> off-page connector label
    sym_scale: float
    first_page: int

    def column_of(self, role: str) -> int:
        return self.role_col.get(role, _first_role(self.col_index))


_Connector = tuple[str, str, int, Flow]  # (label, "in" | "out", column index, flow)


def _flow_page(table: _Table, number: int, prs: list[RowText]) -> Page:
    """One page: header, connector strips, the rows with their symbols, routed arrows."""
    suffix = "" if number == table.first_page else f"-p{number}"
    shapes: list[Shape] = []
    shapes += _header_shapes(table.columns, table.header.role_lines, table.header.top,
                             table.header.h1, table.header.h2, suffix)
    top_conn, bottom_conn = _page_connectors(table, number)
    y = table.body_top
    nodes: dict[str, _Node] = {}
    visual = 0
    if top_conn:
        shapes += _strip_cells(table.columns, y, f"strip-top{suffix}")
        nodes.update(_connectors(top_conn, table.columns, y, -1, up_strip=True))
        y += STRIP_H
    for row in prs:
        shapes += _row_cells(table.columns, table.col_index, row, y)
        sym = _symbol(table, row, y)
        nodes[sym.id] = _Node(sym.id, visual, _col_of_symbol(table, row), sym, y, y + row.height)
        y += row.height
        visual += 1
    if bottom_conn:
        shapes += _strip_cells(table.columns, y, f"strip-bottom{suffix}")
        for cid, node in _connectors(bottom_conn, table.columns, y, visual,
                                     up_strip=False).items():
            nodes[cid] = node
        y += STRIP_H
    arrows, labels = _page_arrows(table, number, nodes)
    shapes += labels
    symbols = [n.shape for n in nodes.values()]
    caption = Shape(
        id=f"caption{suffix or '-p' + str(number)}", x=MARGIN, y=MARGIN,
        w=table.width - 2 * MARGIN, h=CAPTION_H - 4, kind="text", lines=(_caption(table.sop),),
        bold=True, size=9, align="center", classes=("caption",), pad=0, valign="center",
    )
    return Page(number=number, kind="flow", width=table.width, height=table.height,
                shapes=(caption, *shapes, *symbols), arrows=tuple(arrows))


def _page_connectors(table: _Table, number: int) -> tuple[list[_Connector], list[_Connector]]:
    """The off-page connectors of this page, in the top strip and in the bottom strip."""
    top_conn: list[_Connector] = []
    bottom_conn: list[_Connector] = []
    for fi, label in table.crossing.items():
        f = table.flows[fi]
        ps, pt = table.page_of_step[f.source], table.page_of_step[f.target]
        down = pt > ps
        if ps == number:
            col = table.column_of(table.role_of[f.source])
            (bottom_conn if down else top_conn).append((label, "out", col, f))
        if pt == number:
            col = table.column_of(table.role_of[f.target])
            (top_conn if down else bottom_conn).append((label, "in", col, f))
    return top_conn, bottom_conn


def _col_of_symbol(table: _Table, row: RowText) -> int:
    return table.column_of(row.step.role)


def _symbol(table: _Table, row: RowText, y: float) -> Shape:
    """The step's flowchart symbol, centred in its role's cell of the row starting at ``y``."""
    step = row.step
    kind = symbol_kind(table.sop, step)
    col = _col_of_symbol(table, row)
    sw, sh = SYMBOL_SIZE[kind]
    sw *= table.sym_scale
    return Shape(
        id=sid(step.number),
        x=table.columns[col].cx - sw / 2,
        y=y + row.height / 2 - sh / 2,
        w=sw,
        h=sh,
        kind={"terminator": "rounded", "process": "box", "decision": "diamond"}[kind],
        classes=("symbol", f"symbol-{kind}", f"col-{col - 2}"),
        fill="white",
        pen=0.9,
    )


_PageFlow = tuple[str, str, str, str, str]  # (id, tail, head, kind, label)


def _page_flows(table: _Table, number: int) -> list[_PageFlow]:
    """The arrows drawn on this page: whole flows, or the halves of flows cut by a page break
    (step to its off-page connector, connector to step)."""
    page_flows: list[_PageFlow] = []
    page_of_step = table.page_of_step
    for fi, f in enumerate(table.flows):
        src, dst = _ref(f.source), _ref(f.target)
        base = f"arrow-{src}-{dst}"
        if fi in table.crossing:
            lab = table.crossing[fi]
            if page_of_step[f.source] == number:
                page_flows.append(
                    (f"arrow-{src}-{lab}", sid(f.source), f"offpage-{lab}-out", f.kind, f.label)
                )
            if page_of_step[f.target] == number:
                page_flows.append(
                    (f"arrow-{lab}-{dst}", f"offpage-{lab}-in", sid(f.target), f.kind, "")
                )
        elif page_of_step[f.source] == number:
            twin = _twin_index(table.flows, fi)
            ident = base if twin == 0 else f"{base}-{string.ascii_lowercase[twin % 26]}"
            page_flows.append((ident, sid(f.source), sid(f.target), f.kind, f.label))
    return page_flows


def _page_arrows(table: _Table, number: int,
                 nodes: dict[str, _Node]) -> tuple[list[Arrow], list[Shape]]:
    """Route this page's arrows (in flow order) and place their labels."""
    router = _Router(table.columns, nodes)
    role_cols = [c for c in table.columns if c.key.startswith("role-")]
    role_bounds = (role_cols[0].x, role_cols[-1].right)
    page_flows = _page_flows(table, number)
    # route next/approve arrows first so loops (and further branches) take what is left
    order = sorted(
        range(len(page_flows)),
        key=lambda k: (page_flows[k][3] in ("reject", "branch"), _span(nodes, page_flows[k]), k),
    )
    routed: dict[int, Arrow] = {}
    labels: list[Shape] = []
    for k in order:
        ident, tail, head, kind, label = page_flows[k]
        taken = set(nodes[tail].used)
        points, side = router.route(nodes[tail], nodes[head])
        routed[k] = Arrow(id=ident, tail=tail, head=head, points=tuple(points),
                          classes=("arrow", f"arrow-{kind}"))
        if label:
            tail_node = nodes[tail]
            under = (
                tail_node.shape.y + tail_node.shape.h
                if "bottom" not in tail_node.used else None
            )
            labels.append(_label_for(points, side, label, f"label-{ident}", role_bounds, under,
                                     shared=side in taken))
    return [routed[k] for k in range(len(page_flows))], labels


def _twin_index(flows: tuple[Flow, ...], index: int) -> int:
    """How many earlier flows join the same two steps: 0 for the first (id ``arrow-S-T``),
    1 for the second (``arrow-S-T-b``), ... so branches of one decision that meet again at
    the same step keep distinct arrow ids."""
    f = flows[index]
    return sum(1 for g in flows[:index] if g.source == f.source and g.target == f.target)


def _span(nodes: dict[str, _Node], pf: tuple[str, str, str, str, str]) -> int:
    a, b = nodes.get(pf[1]), nodes.get(pf[2])
    return abs(a.row - b.row) if a and b else 0


def _first_role(col_index: dict[str, int]) -> int:
    return col_index.get("role-0", 2)


def _caption(sop: Sop) -> str:
    name = sop.identity.name.strip()
    if not name:
        return "SOP"
    return name if name.lower().startswith("sop") else f"SOP {name}"


def _cell(ident: str, x: float, y: float, w: float, h: float, lines: list[str] | tuple[str, ...],
          classes: tuple[str, ...], *, center: bool = False, bold: bool = False,
          size: float = FONT_SIZE, vcenter: bool = False) -> Shape:
    return Shape(
        id=ident, x=x, y=y, w=w, h=h, kind="box", lines=tuple(lines),
        align="center" if center else "left", valign="center" if vcenter else "top",
        size=size, bold=bold, classes=classes, pad=PAD,
    )


def _header_shapes(columns: tuple[Column, ...], role_lines: dict[str, list[str]], top: float,
                   h1: float, h2: float, suffix: str) -> list[Shape]:
    shapes: list[Shape] = []

    def head(ident: str, x: float, y: float, w: float, h: float, lines: list[str]) -> Shape:
        return _cell(ident, x, y, w, h, lines, ("head",), center=True, bold=True,
                     size=HEAD_SIZE, vcenter=True)

    roles = [c for c in columns if c.key.startswith("role-")]
    mutu = [c for c in columns if c.key in ("requirements", "duration", "output")]
    for c in columns:
        if c.key in ("no", "activity", "notes"):
            shapes.append(head(f"head-{c.key}{suffix}", c.x, top, c.w, h1 + h2, role_lines[c.key]))
    if roles:
        x0, x1 = roles[0].x, roles[-1].right
        shapes.append(head(f"head-pelaksana{suffix}", x0, top, x1 - x0, h1, ["Pelaksana"]))
    x0, x1 = mutu[0].x, mutu[-1].right
    shapes.append(head(f"head-mutu{suffix}", x0, top, x1 - x0, h1, ["Mutu Baku"]))
    for c in [*roles, *mutu]:
        classes: tuple[str, ...]
        if c.key.startswith("role-"):
            i = c.key.split("-", 1)[1]
            ident, classes = f"col-{i}{suffix}", ("head", "col", f"col-{i}")
        else:
            ident, classes = f"head-{c.key}{suffix}", ("head",)
        shapes.append(_cell(ident, c.x, top + h1, c.w, h2, role_lines[c.key], classes,
                            center=True, bold=True, size=head_size(c), vcenter=True))
    return shapes


def _row_cells(columns: tuple[Column, ...], col_index: dict[str, int], row: RowText,
               y: float) -> list[Shape]:
    n = _ref(row.step.number)
    shapes = []
    for c in columns:
        if c.key.startswith("role-"):
            shapes.append(_cell(f"cell-{n}-{c.key}", c.x, y, c.w, row.height, [], ("cell",)))
            continue
        lines = row.cells.get(c.key, [])
        if c.key == "no":
            shapes.append(_cell(f"row-{n}", c.x, y, c.w, row.height, lines, ("cell", "row"),
                                center=True))
        else:
            shapes.append(_cell(f"cell-{n}-{c.key}", c.x, y, c.w, row.height, lines,
                                ("cell", f"cell-{c.key}")))
    return shapes


def _strip_cells(columns: tuple[Column, ...], y: float, ident: str) -> list[Shape]:
    return [
        _cell(f"{ident}-{c.key}", c.x, y, c.w, STRIP_H, [], ("cell", "strip"))
        for c in columns
    ]


def _connectors(items: list[tuple[str, str, int, Flow]], columns: tuple[Column, ...], y: float,
                row: int, up_strip: bool) -> dict[str, _Node]:
    """Off-page pentagons in a strip; several in one column are set side by side."""
    nodes: dict[str, _Node] = {}
    per_col: dict[int, int] = {}
    w, h = CONNECTOR_SIZE
    for label, direction, col, f in sorted(items, key=lambda t: (t[2], t[0])):
        k = per_col.get(col, 0)
        per_col[col] = k + 1
        cx = columns[col].cx + ((k + 1) // 2) * (1 if k % 2 else -1) * (w + 6)
        going_down = f.target == END_ROW or (f.source != END_ROW and f.target > f.source)
        kind = "invhouse" if going_down else "house"
        ident = f"offpage-{label}-{direction}"
        shape = Shape(
            id=ident, x=cx - w / 2, y=y + STRIP_H / 2 - h / 2, w=w, h=h, kind=kind,
            lines=(label,), align="center", valign="center", size=FONT_SIZE, bold=True,
            classes=("offpage", f"offpage-{direction}"), pad=0, fill="white", pen=0.9,
        )
        nodes[ident] = _Node(ident, row, col, shape, y, y + STRIP_H)
    return nodes
