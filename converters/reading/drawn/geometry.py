"""Plain geometry for drawn SOP pages: paths, centre lines, snapping, distances.

Extractors meet the same drawing habits in every source: a ruling or an arrow shaft drawn as a
thin filled polygon (its outline traced out and back), a symbol's outline stroked or drawn as a
filled ring, an arrowhead as a small filled triangle. These helpers turn such paths into the
few things the rest needs (centre lines, outlines, segments) without knowing what they mean.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Point = tuple[float, float]


def dist(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def dedup(points: Iterable[Point], eps: float = 0.3) -> list[Point]:
    """Consecutive points closer than ``eps`` collapse to one (paths repeat points often)."""
    out: list[Point] = []
    for p in points:
        if not out or dist(out[-1], p) > eps:
            out.append(p)
    return out


def closed(points: Sequence[Point], eps: float = 1.0) -> bool:
    return len(points) >= 3 and dist(points[0], points[-1]) <= eps


def perimeter(points: Sequence[Point]) -> float:
    return sum(dist(points[i], points[i + 1]) for i in range(len(points) - 1))


def area(points: Sequence[Point]) -> float:
    """Shoelace area of a polygon (closing edge implied)."""
    n = len(points)
    s = 0.0
    for i in range(n):
        x0, y0 = points[i]
        x1, y1 = points[(i + 1) % n]
        s += x0 * y1 - x1 * y0
    return abs(s) / 2


def centre_line(points: Sequence[Point]) -> list[Point]:
    """The centre line of a thin closed polygon traced out along one side and back along the
    other: the points up to the vertex halfway round the outline (the far end).

    A line drawn as a filled sliver (common in converted Office drawings) has no other
    trace of its course; for an open path the points are already the line.
    """
    pts = dedup(points)
    if not closed(pts) or len(pts) < 3:
        return pts
    half = perimeter(pts) / 2
    run = 0.0
    best, best_gap = 1, math.inf
    for i in range(1, len(pts)):
        run += dist(pts[i - 1], pts[i])
        gap = abs(run - half)
        if gap < best_gap:
            best, best_gap = i, gap
    return pts[: best + 1]


def snap(points: Sequence[Point], tol: float = 1.6) -> list[Point]:
    """Nearly horizontal/vertical runs made exactly so, and short zig-zags (the width of a
    sliver) dropped, so a centre line becomes the polyline the author drew."""
    pts = dedup(points, 0.5)
    if len(pts) < 2:
        return pts
    out = [pts[0]]
    for p in pts[1:]:
        q = out[-1]
        if dist(p, q) < tol and len(out) > 1:
            continue
        out.append(p)
    # merge collinear axis-aligned runs
    merged = [out[0]]
    for p in out[1:]:
        if len(merged) >= 2:
            a, b = merged[-2], merged[-1]
            if (abs(a[0] - b[0]) < tol and abs(b[0] - p[0]) < tol) or (
                abs(a[1] - b[1]) < tol and abs(b[1] - p[1]) < tol
            ):
                merged[-1] = p
                continue
        merged.append(p)
    return merged


def point_segment_distance(p: Point, a: Point, b: Point) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return dist(p, a)
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2))
    return dist(p, (ax + t * dx, ay + t * dy))


def point_polyline_distance(p: Point, path: Sequence[Point]) -> float:
    if len(path) == 1:
        return dist(p, path[0])
    return min(point_segment_distance(p, path[i], path[i + 1]) for i in range(len(path) - 1))


def prefix(path: Sequence[Point], length: float) -> list[Point]:
    """The first ``length`` points of a polyline (where a branch label is written)."""
    out = [path[0]]
    left = length
    for i in range(1, len(path)):
        d = dist(path[i - 1], path[i])
        if d >= left:
            t = left / d if d else 0.0
            a, b = path[i - 1], path[i]
            out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
            return out
        out.append(path[i])
        left -= d
    return out


def intervals_union(spans: Iterable[tuple[float, float]],
                    gap: float = 1.5) -> list[tuple[float, float]]:
    """Overlapping or nearly touching 1-D intervals merged."""
    out: list[tuple[float, float]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def covered(spans: Sequence[tuple[float, float]], lo: float, hi: float) -> float:
    """Share of ``[lo, hi]`` covered by merged ``spans``."""
    if hi <= lo:
        return 0.0
    total = sum(max(0.0, min(b, hi) - max(a, lo)) for a, b in spans)
    return total / (hi - lo)


def cluster(values: Iterable[float], tol: float) -> list[list[float]]:
    """1-D values grouped where neighbours are within ``tol``."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return out
