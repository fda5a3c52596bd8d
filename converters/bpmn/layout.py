"""Swimlane geometry for the BPMN diagram (BPMNDI): where every shape, edge and label goes.

The layout is computed, not searched: the SOP already says what a person expects to see.
Lanes are horizontal bands in role order; flow nodes run left to right, **one node per
column**, so a vertical line through a node's centre meets no other node. That single rule
makes routing simple and safe:

* an edge between neighbouring columns bends once, in the free gap just before its target;
* any other edge (a reject loop back, a skip forward) leaves its gateway from the bottom (or
  the top), runs along a free horizontal *track* in a channel below (above) the lane's row
  of nodes, and enters its target from the same side; tracks of overlapping edges are
  stacked, shorter spans nearer the row, so loops nest instead of crossing.

A decision with three or more branches has more edges than a gateway has free sides (right
only toward the next column, then bottom, top): edges beyond that share a side, leaving from
the same vertex to different tracks, with their labels stacked beside the shared segment.

Nothing here knows about SOPs or XML: the writer describes nodes and edges, this module
returns coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

TASK_W, TASK_H = 140, 90
GATEWAY = 50
EVENT = 36
ROW_H = TASK_H
HEADER = 30  # participant and lane header width (where bpmn-js writes the name)
LEFT_MARGIN = 40
GAP = 50
BEND = 25  # a neighbouring-column edge bends this far before its target
TRACK = 18
LABEL_LINE = 14
CHAR_W = 6.5
LABEL_MAX_W = 120
LABEL_STACK_GAP = 2  # between branch labels stacked on one side of a diamond
ORIGIN_X, ORIGIN_Y = 150, 80


@dataclass(frozen=True)
class Bounds:
    x: float
    y: float
    width: float
    height: float

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Bounds) -> bool:
        return not (
            self.right <= other.x
            or other.right <= self.x
            or self.bottom <= other.y
            or other.bottom <= self.y
        )


@dataclass(frozen=True)
class NodeSpec:
    """A flow node to place. ``kind``: "start", "end", "task", "gateway"."""

    id: str
    kind: str
    lane: int
    label: str = ""  # an external label (events, gateways); tasks carry their text inside


@dataclass(frozen=True)
class EdgeSpec:
    id: str
    source: str
    target: str
    label: str = ""


@dataclass(frozen=True)
class Layout:
    participant: Bounds
    lanes: list[Bounds]
    nodes: dict[str, Bounds]
    node_labels: dict[str, Bounds] = field(default_factory=dict)
    edges: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    edge_labels: dict[str, Bounds] = field(default_factory=dict)


def text_size(text: str, max_width: float = LABEL_MAX_W) -> tuple[float, float]:
    """Rough size of an external label as bpmn-js draws it (11px Arial, wrapped)."""
    if not text:
        return 0.0, 0.0
    width = min(max_width, len(text) * CHAR_W + 8)
    chars_per_line = max(1, int((width - 8) / CHAR_W))
    lines = 0
    for para in text.split("\n"):
        lines += max(1, math.ceil(len(para) / chars_per_line))
    return round(width), lines * LABEL_LINE


def _size(kind: str) -> tuple[float, float]:
    if kind == "task":
        return TASK_W, TASK_H
    if kind == "gateway":
        return GATEWAY, GATEWAY
    return EVENT, EVENT


@dataclass
class _Channel:
    """An edge routed along a track: side "bottom" or "top", in lane ``lane``."""

    edge: EdgeSpec
    side: str
    lane: int
    lo: float = 0.0
    hi: float = 0.0
    track: int = 0


def layout(
    lane_names: list[str], nodes: list[NodeSpec], edges: list[EdgeSpec], title: str = ""
) -> Layout:
    """Place ``nodes`` (in column order) in lanes and route ``edges`` between them."""
    column = {n.id: i for i, n in enumerate(nodes)}
    by_id = {n.id: n for n in nodes}
    direct, channels = _split_edges(edges, column, by_id)
    tops = {ch.edge.source for ch in channels if ch.side == "top"}
    xs, widths, content_right = _columns(nodes, edges, column, tops)
    right = content_right + LEFT_MARGIN
    centre_x = {n.id: xs[i] + widths[i] / 2 for i, n in enumerate(nodes)}
    tracks = _assign_tracks(channels, centre_x)
    rows = _rows(lane_names, nodes, channels, tracks, by_id, title)

    participant = Bounds(ORIGIN_X, ORIGIN_Y, right - ORIGIN_X, rows.total_h)
    lanes = [
        Bounds(ORIGIN_X + HEADER, rows.lane_y[i], right - ORIGIN_X - HEADER, rows.lane_h[i])
        for i in range(len(rows.lane_y))
    ]
    shapes: dict[str, Bounds] = {}
    for i, n in enumerate(nodes):
        w, h = _size(n.kind)
        cy = rows.row_top[n.lane] + ROW_H / 2
        shapes[n.id] = Bounds(xs[i], cy - h / 2, w, h)
    result = Layout(participant, lanes, shapes)
    sides_used = _route_edges(result, edges, direct, channels, rows)
    _place_node_labels(result, nodes, sides_used)
    return result


_FIRST_X = ORIGIN_X + HEADER + HEADER + LEFT_MARGIN
"""x of the first column: past the participant's and the lane's name headers."""


def _split_edges(
    edges: list[EdgeSpec], column: dict[str, int], by_id: dict[str, NodeSpec]
) -> tuple[set[str], list[_Channel]]:
    """Which edges go straight to the next column (ids), which along a channel.

    Only one edge per node may leave to the right; the others alternate bottom and top.
    """
    outs: dict[str, list[EdgeSpec]] = {}
    for e in edges:
        outs.setdefault(e.source, []).append(e)
    direct: set[str] = set()
    channels: list[_Channel] = []
    for source, out_edges in outs.items():
        used_right = False
        sides = iter(("bottom", "top", "bottom", "top"))
        for e in out_edges:
            adjacent = column[e.target] == column[source] + 1
            if adjacent and not used_right:
                direct.add(e.id)
                used_right = True
                continue
            side = next(sides, "bottom")
            ls, lt = by_id[source].lane, by_id[e.target].lane
            channels.append(_Channel(e, side, max(ls, lt) if side == "bottom" else min(ls, lt)))
    return direct, channels


def _columns(
    nodes: list[NodeSpec], edges: list[EdgeSpec], column: dict[str, int], tops: set[str]
) -> tuple[list[float], list[float], float]:
    """x and width of every column, with room for the labels of edges leaving to the right,
    and the right end of the last column.

    ``tops`` are the nodes a line leaves upwards: their label goes up and to the left
    (see :func:`_place_node_labels`), so the gap before them must hold all of it.
    """
    widths = [float(_size(n.kind)[0]) for n in nodes]
    gaps = [float(GAP)] * len(nodes)
    for e in edges:
        if e.label:
            w, _ = text_size(e.label)
            i = column[e.source]
            gaps[i] = max(gaps[i], w + BEND + 20)
    # a gateway label centred on its diamond may stick out: keep neighbours clear of it
    for i, n in enumerate(nodes):
        if n.kind == "gateway" and n.label:
            w, _ = text_size(n.label)
            spill = max(0.0, (w - GATEWAY) / 2 - 5)
            if n.id in tops:
                spill = max(spill, w + 6 - GATEWAY / 2)
            if i > 0:
                gaps[i - 1] = max(gaps[i - 1], spill + 20)
    xs: list[float] = []
    cursor = float(_FIRST_X)
    for i in range(len(nodes)):
        xs.append(cursor)
        cursor += widths[i] + gaps[i]
    return xs, widths, (cursor - gaps[-1] if nodes else cursor)


def _assign_tracks(
    channels: list[_Channel], centre_x: dict[str, float]
) -> dict[tuple[int, str], list[list[_Channel]]]:
    """Interval colouring per (lane, side): each channel gets the nearest free track, shorter
    spans first so they sit nearer the row and longer loops nest around them."""
    for ch in channels:
        a, b = centre_x[ch.edge.source], centre_x[ch.edge.target]
        ch.lo, ch.hi = min(a, b), max(a, b)
    tracks: dict[tuple[int, str], list[list[_Channel]]] = {}
    for ch in sorted(channels, key=lambda c: (c.hi - c.lo, c.lo)):
        stack = tracks.setdefault((ch.lane, ch.side), [])
        for level, taken in enumerate(stack):
            if all(ch.hi + 10 < t.lo or t.hi + 10 < ch.lo for t in taken):
                taken.append(ch)
                ch.track = level
                break
        else:
            ch.track = len(stack)
            stack.append([ch])
    return tracks


@dataclass(frozen=True)
class _Rows:
    """Vertical geometry: each lane's band, the top of its row of nodes, its label heights."""

    lane_y: list[float]
    lane_h: list[float]
    row_top: list[float]
    label_above: list[float]
    label_below: list[float]
    total_h: float

    def track_y(self, ch: _Channel) -> float:
        """The y of a channel's track, below or above its lane's row."""
        if ch.side == "bottom":
            base = self.row_top[ch.lane] + ROW_H + max(20.0, self.label_below[ch.lane] - 10) + 4
            return base + ch.track * TRACK
        base = self.row_top[ch.lane] - max(20.0, self.label_above[ch.lane] - 10) - 4
        return base - ch.track * TRACK


def _rows(
    lane_names: list[str],
    nodes: list[NodeSpec],
    channels: list[_Channel],
    tracks: dict[tuple[int, str], list[list[_Channel]]],
    by_id: dict[str, NodeSpec],
    title: str,
) -> _Rows:
    """Lane heights from their tracks and labels, tall enough for the names on the headers."""
    lane_count = max(1, len(lane_names))
    label_above = [0.0] * lane_count
    label_below = [0.0] * lane_count
    for n in nodes:
        if n.kind == "gateway" and n.label:
            label_above[n.lane] = max(label_above[n.lane], text_size(n.label)[1])
        if n.kind in ("start", "end") and n.label:
            label_below[n.lane] = max(label_below[n.lane], text_size(n.label)[1])
    for (source, side), h in _stacked_label_heights(channels).items():
        src_lane = by_id[source].lane
        if side == "bottom":
            label_below[src_lane] = max(label_below[src_lane], h)
        else:
            label_above[src_lane] = max(label_above[src_lane], h)
    lane_y: list[float] = []
    lane_h: list[float] = []
    row_top: list[float] = []
    y = float(ORIGIN_Y)
    for li in range(lane_count):
        n_top = len(tracks.get((li, "top"), []))
        n_bottom = len(tracks.get((li, "bottom"), []))
        above = max(20.0, label_above[li] - (ROW_H - GATEWAY) / 2 + 12)
        below = max(20.0, label_below[li] - (ROW_H - EVENT) / 2 + 12)
        top_zone = above + (n_top * TRACK + 8 if n_top else 0)
        bottom_zone = below + (n_bottom * TRACK + 8 if n_bottom else 0)
        name = lane_names[li] if li < len(lane_names) else ""
        # bpmn-js writes the lane name on one line along the 30 px header: the lane must be
        # at least that long, or the name wraps into the lane's content
        min_h = max(130.0, math.ceil(len(name) * 7.0) + 24)
        h = top_zone + ROW_H + bottom_zone
        extra = max(0.0, min_h - h)
        top_zone += extra / 2
        h = max(h, min_h)
        lane_y.append(y)
        lane_h.append(h)
        row_top.append(y + top_zone)
        y += h
    total_h = y - ORIGIN_Y
    # one line along the pool header when it fits a few lanes' height, else two lines
    title_len = math.ceil(len(title) * 7.0)
    title_h = (title_len if title_len <= 420 else math.ceil(title_len / 2)) + 24 if title else 0
    if total_h < title_h:  # a long participant name needs a taller pool to stay readable
        lane_h[-1] += title_h - total_h
        total_h = title_h
    return _Rows(lane_y, lane_h, row_top, label_above, label_below, total_h)


def _stacked_label_heights(channels: list[_Channel]) -> dict[tuple[str, str], float]:
    """Height of the labels each node's channel edges stack on one side of it.

    A decision with three or more branches sends two edges out of the same side of its
    diamond; their labels are stacked (in edge order) between the diamond and the tracks, so
    the lane must leave room for all of them, not just the tallest.
    """
    out: dict[tuple[str, str], float] = {}
    for ch in channels:
        if ch.edge.label:
            key = (ch.edge.source, ch.side)
            h = text_size(ch.edge.label)[1]
            out[key] = out[key] + LABEL_STACK_GAP + h if key in out else h
    return out


def _route_edges(
    result: Layout,
    edges: list[EdgeSpec],
    direct: set[str],
    channels: list[_Channel],
    rows: _Rows,
) -> dict[str, set[str]]:
    """Waypoints and labels of every edge into ``result``; returns, per node, the sides
    ("right", "top", "bottom") where a line leaves or enters it."""
    shapes = result.nodes
    used: dict[str, set[str]] = {}
    for e in edges:
        if e.id not in direct:
            continue
        s, t = shapes[e.source], shapes[e.target]
        bend = t.x - BEND
        pts = [(s.right, s.cy)]
        if abs(s.cy - t.cy) > 0.5:
            pts += [(bend, s.cy), (bend, t.cy)]
        pts.append((t.x, t.cy))
        result.edges[e.id] = pts
        used.setdefault(e.source, set()).add("right")
        if e.label:
            w, h = text_size(e.label)
            # above the first segment, unless the edge then climbs through that spot
            above = t.cy >= s.cy
            ly = s.cy - 4 - h if above else s.cy + 4
            result.edge_labels[e.id] = Bounds(s.right + 5, ly, w, h)
    stacked: dict[tuple[str, str], float] = {}  # labels already placed per (node, side)
    for ch in channels:
        e = ch.edge
        s, t = shapes[e.source], shapes[e.target]
        ty = rows.track_y(ch)
        if ch.side == "bottom":
            pts = [(s.cx, s.bottom), (s.cx, ty), (t.cx, ty), (t.cx, t.bottom)]
        else:
            pts = [(s.cx, s.y), (s.cx, ty), (t.cx, ty), (t.cx, t.y)]
        result.edges[e.id] = pts
        used.setdefault(e.source, set()).add(ch.side)
        used.setdefault(e.target, set()).add(ch.side)
        if e.label:
            w, h = text_size(e.label)
            key = (e.source, ch.side)
            offset = stacked[key] + LABEL_STACK_GAP if key in stacked else 0.0
            stacked[key] = offset + h
            ly = s.bottom + 3 + offset if ch.side == "bottom" else s.y - 3 - h - offset
            result.edge_labels[e.id] = Bounds(s.cx + 6, ly, w, h)
    return used


def _place_node_labels(
    result: Layout, nodes: list[NodeSpec], sides_used: dict[str, set[str]]
) -> None:
    """External labels of events and gateways, on a side no line uses."""
    for n in nodes:
        if not n.label or n.kind == "task":
            continue
        b = result.nodes[n.id]
        w, h = text_size(n.label)
        used = sides_used.get(n.id, set())
        if n.kind == "gateway":
            if "top" in used:  # a line leaves upwards: put the question up and to the left
                result.node_labels[n.id] = Bounds(b.cx - 6 - w, b.y - 4 - h, w, h)
            else:
                result.node_labels[n.id] = Bounds(b.cx - w / 2, b.y - 4 - h, w, h)
        elif "bottom" in used:
            result.node_labels[n.id] = Bounds(b.cx - w / 2, b.y - 4 - h, w, h)
        else:
            result.node_labels[n.id] = Bounds(b.cx - w / 2, b.bottom + 5, w, h)
