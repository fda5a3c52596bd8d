"""Following the arrows of a drawn flowchart: where each branch of a diamond leads.

A branch leaves the diamond on an arrow whose near end carries no arrowhead. The arrow may
end on a symbol, on another arrow (two branches or a loop merging into a line that goes on:
then the flow follows that line towards its arrowhead), or on an off-page connector (then it
continues from the connector with the same label on another page). The branch label is the
free text (inside no symbol) nearest to the first stretch of the branch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from converters.reading.drawn.geometry import Point, dist, point_polyline_distance, prefix
from converters.reading.drawn.interpret.table import join_words, words_in
from converters.reading.drawn.picture import Box, Page, Shape, ShapeKind, TextRun

TOUCH = 5.0  # points: an arrow end this close to a symbol's box touches it
JOIN = 3.0  # points: an arrow end this close to another arrow joins it
GAP = 10.0  # points: an arrow stopping this short of a symbol still points at it
LABEL_REACH = 30.0  # points: a branch label stands this close to its branch's first stretch
ON_LINE = 6.0  # points: a label farther along its branch stands by the line (plus its height)
SYMBOLS = (ShapeKind.TERMINATOR, ShapeKind.PROCESS, ShapeKind.DECISION, ShapeKind.CONNECTOR)


@dataclass(frozen=True)
class Branch:
    """One way out of a diamond: the arrow as drawn from it, its label and its target."""

    page: int
    path: tuple[Point, ...]
    target: Shape | None
    target_page: int
    label: str = ""


def touches(p: Point, box: Box, slack: float = TOUCH) -> bool:
    return box.contains(p[0], p[1], slack)


def _oriented(arrow: Shape, start: Point) -> tuple[Point, ...]:
    path = arrow.path
    return path if dist(path[0], start) <= dist(path[-1], start) else path[::-1]


def leaving(page: Page, shape: Shape) -> list[tuple[Point, ...]]:
    """Arrows that leave ``shape``: one end touches it and that end is not the head."""
    out = []
    for a in page.shapes:
        if a.kind != ShapeKind.ARROW or len(a.path) < 2:
            continue
        for end in (a.path[0], a.path[-1]):
            if touches(end, shape.box) and not (a.head is not None and dist(end, a.head) < 0.5):
                other = a.path[-1] if end is a.path[0] else a.path[0]
                if touches(other, shape.box):
                    continue
                out.append(_oriented(a, end))
                break
    return out


def _symbol_at(page: Page, p: Point, exclude: Shape | None) -> Shape | None:
    best: tuple[float, Shape] | None = None
    for s in page.shapes:
        if s.kind not in SYMBOLS or s is exclude or not touches(p, s.box):
            continue
        d = dist(p, (s.box.cx, s.box.cy))
        if best is None or d < best[0]:
            best = (d, s)
    return best[1] if best else None


def _ahead(path: Sequence[Point], reach: float) -> Point:
    """The point ``reach`` beyond the end of ``path``, along its last stretch."""
    a, b = path[-2], path[-1]
    d = dist(a, b)
    if d == 0:
        return b
    return (b[0] + (b[0] - a[0]) / d * reach, b[1] + (b[1] - a[1]) / d * reach)


def follow(page: Page, path: tuple[Point, ...], origin: Shape | None,
           seen: set[int]) -> Shape | None:
    """The symbol a path leads to (through arrows it merges into), or ``None``.

    An arrow drawn short of its symbol (a gap of a few points, common in hand-placed
    drawings) still points at it: when nothing touches the end, the symbol just ahead counts.
    """
    end = path[-1]
    hit = _symbol_at(page, end, origin)
    if hit is None and len(path) >= 2 and not _on_arrow(page, end, seen):
        hit = _symbol_at(page, _ahead(path, GAP), origin)
    if hit is not None:
        return hit
    for a in page.shapes:
        if a.kind != ShapeKind.ARROW or id(a) in seen or len(a.path) < 2:
            continue
        if point_polyline_distance(end, a.path) > JOIN:
            continue
        seen.add(id(a))
        # joined at one of its ends, the other line goes on from there to its far end (an
        # arrowhead drawn at the meeting corner is the corner's, not the way back); joined
        # midway, it goes on towards its arrowhead (or its far end when it shows none)
        near = min(dist(a.path[0], end), dist(a.path[-1], end))
        if a.head is not None and near > JOIN:
            nxt = a.path if dist(a.path[-1], a.head) < 0.5 else a.path[::-1]
        else:
            nxt = a.path if dist(a.path[0], end) <= dist(a.path[-1], end) else a.path[::-1]
        found = follow(page, nxt, origin, seen)
        if found is not None:
            return found
    return None


def inside(shape: Shape, x: float, y: float, slack: float = 0.5) -> bool:
    """The point lies within the symbol as drawn: for a diamond, within the rhombus, since a
    branch label ("Ya" by a corner) often stands in the diamond's bounding box but outside
    its sides."""
    b = shape.box
    if not b.contains(x, y, slack):
        return False
    if shape.kind != ShapeKind.DECISION or b.width <= 0 or b.height <= 0:
        return True
    return (abs(x - b.cx) / (b.width / 2 + slack)
            + abs(y - b.cy) / (b.height / 2 + slack)) <= 1.0


def _on_arrow(page: Page, p: Point, seen: set[int]) -> bool:
    return any(a.kind == ShapeKind.ARROW and id(a) not in seen and len(a.path) >= 2
               and point_polyline_distance(p, a.path) <= JOIN
               and not (dist(a.path[0], p) < 0.5 or dist(a.path[-1], p) < 0.5)
               for a in page.shapes)


def free_words(page: Page) -> list[TextRun]:
    """Words drawn inside no symbol: branch labels and the like."""
    symbols = [s for s in page.shapes if s.kind in SYMBOLS]
    return [t for t in page.texts
            if not any(inside(s, t.box.cx, t.box.cy) for s in symbols)]


def phrases(words: Sequence[TextRun]) -> list[TextRun]:
    """Neighbouring words on one line joined ("Tidak lengkap", "Kotak Pengaduan")."""
    ws = sorted(words, key=lambda t: (round(t.box.cy), t.box.x0))
    out: list[TextRun] = []
    for w in ws:
        if out:
            last = out[-1]
            gap = w.box.x0 - last.box.x1
            if abs(w.box.cy - last.box.cy) <= 2.5 and -1 <= gap <= 0.6 * w.box.height + 2:
                out[-1] = TextRun(f"{last.text} {w.text}", Box(
                    last.box.x0, min(last.box.top, w.box.top), w.box.x1,
                    max(last.box.bottom, w.box.bottom)))
                continue
        out.append(w)
    return _stacked(out)


def _stacked(runs: list[TextRun]) -> list[TextRun]:
    """A label wrapped under itself ("Tidak" over "setuju" in a narrow column) is one
    phrase: the lower line starts in lower case, flush with the upper one and just under it."""
    out: list[TextRun] = []
    for w in sorted(runs, key=lambda t: (t.box.top, t.box.x0)):
        above = next((a for a in reversed(out)
                      if 0 <= w.box.top - a.box.bottom <= 0.4 * w.box.height
                      and (abs(w.box.x0 - a.box.x0) <= 2 or abs(w.box.cx - a.box.cx) <= 3)
                      and w.text[:1].islower()), None)
        if above is None:
            out.append(w)
            continue
        out[out.index(above)] = TextRun(f"{above.text} {w.text}", Box(
            min(above.box.x0, w.box.x0), above.box.top, max(above.box.x1, w.box.x1),
            w.box.bottom))
    return out


def label_text(shape: Shape, page: Page) -> str:
    """The words written in the symbol (a diamond's question, a connector's number): the
    text the source ties to the shape (a Word or Excel text box), else the words inside it."""
    if shape.text:
        return " ".join(shape.text.split())
    return join_words([w for w in words_in(page.texts, shape.box)
                       if inside(shape, w.box.cx, w.box.cy)])


def branches(pages: Sequence[Page], page: Page, diamond: Shape,
             region: Box) -> list[Branch]:
    """Every branch of ``diamond`` with its target and label, in the order drawn."""
    return page_branches(pages, page, [diamond], region).get(id(diamond), [])


def page_branches(pages: Sequence[Page], page: Page, diamonds: Sequence[Shape],
                  region: Box) -> dict[int, list[Branch]]:
    """The branches of every diamond of one page (by ``id`` of the diamond), labelled together.

    Labels are paired over the whole page at once, closest pair first, each label used once:
    where two branch lines run side by side (a loop back beside a way forward), each label
    stands on its own line's side, and only a page-wide pairing sees both lines. A label
    counts for a branch when it stands near the branch's first stretch, or by the line
    further along (the line breaks for it); the pair is scored by the distance to the line."""
    found: list[tuple[int, Branch, list[tuple[Point, ...]]]] = []
    for diamond in diamonds:
        for paths in _ways(leaving(page, diamond)):
            resolved = [(path, *_resolve(pages, page, path, diamond)) for path in paths]
            for way in _forks(resolved):
                path, target, tpage = next((r for r in way if r[1] is not None), way[0])
                found.append((id(diamond), Branch(page.number, path, target, tpage),
                               [r[0] for r in way]))
    found = _reaching(found)
    if not found:
        return {}
    # a label beside a diamond in the last role column runs on into the Mutu Baku column:
    # join the phrase first, then keep it when it starts (or centres) in the role columns
    reach = Box(region.x0 - LABEL_REACH, region.top, region.x1 + 2 * LABEL_REACH,
                region.bottom)
    candidates = [p for p in phrases([w for w in free_words(page)
                                      if reach.contains(w.box.cx, w.box.cy)])
                  if region.contains(p.box.cx, p.box.cy)
                  or region.contains(p.box.x0 + 0.5, p.box.cy)]
    pairs = []
    for i, (_, b, paths) in enumerate(found):
        stretch = prefix(b.path, 60.0)
        first = first_run(b.path)
        for j, w in enumerate(candidates):
            probes = ((w.box.cx, w.box.cy), (w.box.x0, w.box.cy), (w.box.x1, w.box.cy))
            near = min(point_polyline_distance(q, stretch) for q in probes)
            on = min(point_polyline_distance(q, path) for q in probes for path in paths)
            start = dist((w.box.cx, w.box.cy), b.path[0])
            if (near <= LABEL_REACH and start <= 80) or on <= ON_LINE + w.box.height:
                # scored along the first run: a label stands by the start of its own branch,
                # and may lie across another branch's lane further on (that line passes it,
                # it does not start there); one by the line further along costs its reach
                along = min(point_polyline_distance(q, first) for q in probes)
                pairs.append((min(along, on + LABEL_REACH) + 0.01 * start, i, j))
    labels = {i: candidates[j].text for i, j in _assign(pairs).items()}
    out: dict[int, list[Branch]] = {}
    for i, (key, b, _) in enumerate(found):
        out.setdefault(key, []).append(
            Branch(b.page, b.path, b.target, b.target_page, labels.get(i, "")))
    return out


def first_run(path: Sequence[Point]) -> tuple[Point, ...]:
    """The first straight run of a line: from its start while it keeps its first heading
    (a path may repeat a point or split one straight stretch in two)."""
    heading = _heading(path)
    out = [path[0]]
    for p in path[1:]:
        dx, dy = p[0] - out[-1][0], p[1] - out[-1][1]
        if len(out) > 1 and (abs(dx) > 1.0 or abs(dy) > 1.0):
            if heading[0] and (abs(dy) > 1.0 or dx * heading[0] < 0):
                break
            if heading[1] and (abs(dx) > 1.0 or dy * heading[1] < 0):
                break
        out.append(p)
    return tuple(out)


def _reaching(found: list[tuple[int, Branch, list[tuple[Point, ...]]]],
              ) -> list[tuple[int, Branch, list[tuple[Point, ...]]]]:
    """Ways out that reach no symbol dropped from a diamond with two that do.

    A line into the diamond whose arrowhead the picture lost (a faint scan, a head under the
    vertex) looks like one more way out, and where its tail is lost too it leads nowhere: a
    third "branch" to the end. A diamond whose two ways out reach their symbols has its
    decision; a line to nowhere beside them is that lost way in."""
    reached: dict[int, int] = {}
    for key, b, _ in found:
        reached[key] = reached.get(key, 0) + (b.target is not None)
    return [f for f in found if f[1].target is not None or reached[f[0]] < 2]


def _assign(pairs: list[tuple[float, int, int]]) -> dict[int, int]:
    """Labels for branches (branch -> label): the most branches labelled at the least total
    distance, closest pair first beyond small groups.

    Closest-first alone goes wrong when one label stands near two lines (a label under a
    diamond, beside the lane of its other branch): it takes that label for the wrong branch
    and leaves the right one its neighbour's. Branches competing for labels form small groups,
    so every assignment within a group of up to four branches is tried."""
    groups: list[tuple[set[int], set[int]]] = []  # (branches, labels) sharing candidates
    for _, i, j in pairs:
        hit = [g for g in groups if i in g[0] or j in g[1]]
        merged = ({i}, {j})
        for g in hit:
            merged[0].update(g[0])
            merged[1].update(g[1])
            groups.remove(g)
        groups.append(merged)
    out: dict[int, int] = {}
    for branches_, _labels in groups:
        mine = sorted(p for p in pairs if p[1] in branches_)
        if len(branches_) > 4:
            for _, i, j in mine:
                if i not in out and j not in out.values():
                    out[i] = j
            continue
        order = sorted(branches_)
        best: tuple[int, float, dict[int, int]] = (0, 0.0, {})

        def walk(k: int, chosen: dict[int, int], total: float,
                 mine: list[tuple[float, int, int]] = mine, order: list[int] = order) -> None:
            nonlocal best
            if k == len(order):
                if (len(chosen), -total) > (best[0], -best[1]):
                    best = (len(chosen), total, dict(chosen))
                return
            walk(k + 1, chosen, total)
            for c, i, j in mine:
                if i == order[k] and j not in chosen.values():
                    chosen[i] = j
                    walk(k + 1, chosen, total + c)
                    del chosen[i]

        walk(0, {}, 0.0)
        out.update(best[2])
    return out


def _ways(paths: Sequence[tuple[Point, ...]]) -> list[list[tuple[Point, ...]]]:
    """Leaving lines grouped into ways out: lines that leave from one point in one direction
    are one branch that forks further on (work handed to two roles at once), not two."""
    groups: list[list[tuple[Point, ...]]] = []
    for path in paths:
        for g in groups:
            if dist(path[0], g[0][0]) <= 3.0 and _heading(path) == _heading(g[0]):
                g.append(path)
                break
        else:
            groups.append([path])
    return groups


Resolved = tuple[tuple[Point, ...], Shape | None, int]


def _forks(resolved: Sequence[Resolved]) -> list[list[Resolved]]:
    """The lines of one way out split where they are two branches drawn over each other.

    A line that forks hands the work to symbols of one row (joint work, several role
    columns); lines that start together but end on symbols of different rows are two
    branches whose first stretches coincide (a way down and a loop back that run along the
    same side of the diamond before they part), each with its own label and target."""
    ways: list[list[Resolved]] = []
    for r in resolved:
        for way in ways:
            if all(_same_row(r, o) for o in way):
                way.append(r)
                break
        else:
            ways.append([r])
    return ways


def _same_row(a: Resolved, b: Resolved) -> bool:
    if a[1] is None or b[1] is None:
        return True
    if a[2] != b[2]:
        return False
    return a[1].box.top < b[1].box.bottom and b[1].box.top < a[1].box.bottom


def _heading(path: Sequence[Point]) -> tuple[int, int]:
    """The direction of a line's first stretch, as a unit step on the axes."""
    for p in path[1:]:
        dx, dy = p[0] - path[0][0], p[1] - path[0][1]
        if abs(dx) > 1.0 or abs(dy) > 1.0:
            if abs(dx) >= abs(dy):
                return (1 if dx > 0 else -1, 0)
            return (0, 1 if dy > 0 else -1)
    return (0, 0)


def _resolve(pages: Sequence[Page], page: Page, path: tuple[Point, ...],
             origin: Shape, depth: int = 0) -> tuple[Shape | None, int]:
    target = follow(page, path, origin, set())
    if target is None or target.kind != ShapeKind.CONNECTOR or depth > 3:
        return target, page.number
    # an off-page (or on-page) connector: go on from its twin, the one with the same label
    label = label_text(target, page)
    for other in pages:
        for s in other.shapes:
            if s.kind != ShapeKind.CONNECTOR or s is target:
                continue
            if label and label_text(s, other) != label:
                continue
            for nxt in leaving(other, s):
                t, tp = _resolve(pages, other, nxt, s, depth + 1)
                if t is not None:
                    return t, tp
    # a connector with an arrow leaving it on the same page
    for nxt in leaving(page, target):
        t, tp = _resolve(pages, page, nxt, target, depth + 1)
        if t is not None:
            return t, tp
    return target, page.number
