"""The flow's links: which symbols each drawn line joins, through the lines it merges into.

A row of the SOP table may draw several symbols (joint work, a document handed over, the
start capsule beside the first box); the actor of the step is the one the process *flows
through*: the symbol linked to the steps before and after it, not one hanging beside it
with a line to its neighbour. Arrows are often drawn a few points short of their symbol, or
end on another line that goes on to the symbol (a merge), so each end is followed the way
the branch reader follows it (:func:`.arrows.follow`).
"""

from __future__ import annotations

from dataclasses import dataclass

from converters.reading.drawn.geometry import Point
from converters.reading.drawn.interpret.arrows import follow
from converters.reading.drawn.picture import Page, Shape, ShapeKind


@dataclass(frozen=True)
class Link:
    """One drawn line between two ends: the symbol at each end (``None``: the line ends on
    no symbol, e.g. at an end capsule drawn below the table) and the end points as drawn."""

    a: Shape | None
    b: Shape | None
    a_end: Point
    b_end: Point


def links(page: Page) -> list[Link]:
    """Every drawn line that touches at least one symbol, with what is at its other end."""
    out: list[Link] = []
    for line in page.shapes:
        if line.kind != ShapeKind.ARROW or len(line.path) < 2:
            continue
        b, a = (follow(page, path, None, {id(line)}) for path in (line.path, line.path[::-1]))
        if (a is None and b is None) or a is b:
            continue
        out.append(Link(a, b, line.path[0], line.path[-1]))
    return out
