"""Branch labels beside a scan's diamonds, read again where the page-wide pass missed them.

A branch label is the shortest print on the page: "Y" and "T", "Ya", "Tidak", set alone in
the paper beside a diamond's vertex. Tesseract's sparse-text pass drops such a lone letter
as readily as a lone step number, and without its label a branch can only be guessed (which
way is "yes"). The surroundings of every diamond are read once more together, enlarged, as
a block; a word found there is added only where the first pass read nothing and only when
it is short, as labels are (a longer word there is some activity's, already read or not).
"""

from __future__ import annotations

from collections.abc import Sequence

from converters.reading.drawn.geometry import prefix
from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.raster import Gray
from converters.reading.drawn.scan.rulings import PxBox
from converters.reading.drawn.scan.symbols import PxArrow, PxSymbol
from converters.reading.drawn.scan.words import PxWord, ocr_cells

REACH = 30.0
"""Points around a diamond's box in which its labels stand (the interpreter's reach too)."""
LONGEST = 6
"""Letters of the longest label word taken from the second reading ("Tidak", "Belum")."""
STRETCH = 60.0
"""Points of a way out, from its diamond, along which its label stands (the interpreter's
first stretch)."""
SURE = 60.0
"""Tesseract's confidence below which a short word is an arrowhead or a speck read as letters
("KY" for the head entering a diamond's vertex); a printed label reads at 90 and more."""
ZOOM = 2.0
"""Enlargement of the crops: a one-letter label is a few pixels tall at 200 dpi."""


def _stretch(arrow: PxArrow, diamond: PxBox, reach: float, length: float) -> PxBox | None:
    """The box of the first ``length`` pixels of ``arrow`` from the end at ``diamond``, or
    ``None`` when neither end is there: a label may stand anywhere along it (the "Y" halfway
    down a long way out under the diamond)."""
    x0, y0, x1, y1 = diamond
    path = list(arrow.path)
    if not any(x0 - reach <= p[0] <= x1 + reach and y0 - reach <= p[1] <= y1 + reach
               for p in (path[0], path[-1])):
        return None
    if not (x0 - reach <= path[0][0] <= x1 + reach and y0 - reach <= path[0][1] <= y1 + reach):
        path.reverse()
    first = prefix(path, length)
    xs = [p[0] for p in first]
    ys = [p[1] for p in first]
    return (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys)))


def with_labels(words: list[PxWord], text: Gray, symbols: Sequence[PxSymbol],
                dpi: float, arrows: Sequence[PxArrow] = ()) -> list[PxWord]:
    """``words`` with the short words read again around each diamond and along the first
    stretch of each way out of it (see the module doc)."""
    reach = round(REACH * dpi / 72.0)
    h, w = text.shape
    near = [s.box for s in symbols if s.kind is ShapeKind.DECISION]
    near += [b for d in list(near) for a in arrows
             if (b := _stretch(a, d, reach / 3, STRETCH * dpi / 72.0)) is not None]
    boxes = [(max(b[0] - reach, 0), max(b[1] - reach, 0), min(b[2] + reach, w),
              min(b[3] + reach, h)) for b in near]
    if not boxes:
        return words

    def free(n: PxWord, among: Sequence[PxWord]) -> bool:
        return not any(m.x0 < n.x1 and n.x0 < m.x1 and m.top < n.bottom and n.top < m.bottom
                       for m in among)

    out = list(words)
    for found in ocr_cells(text, boxes, dpi, zoom=ZOOM):
        letters = found.text.strip(".,:;")
        if (letters.isalpha() and len(letters) <= LONGEST and found.confidence >= SURE
                and free(found, out)):
            out.append(PxWord(letters, found.x0, found.top, found.x1, found.bottom,
                              found.line, found.confidence))
    return out


__all__ = ["with_labels"]
