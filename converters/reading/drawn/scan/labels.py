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

from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.raster import Gray
from converters.reading.drawn.scan.symbols import PxSymbol
from converters.reading.drawn.scan.words import PxWord, ocr_cells

REACH = 30.0
"""Points around a diamond's box in which its labels stand (the interpreter's reach too)."""
LONGEST = 6
"""Letters of the longest label word taken from the second reading ("Tidak", "Belum")."""
ZOOM = 2.0
"""Enlargement of the crops: a one-letter label is a few pixels tall at 200 dpi."""


def with_labels(words: list[PxWord], text: Gray, symbols: Sequence[PxSymbol],
                dpi: float) -> list[PxWord]:
    """``words`` with the short words read again around each diamond (see the module doc)."""
    reach = round(REACH * dpi / 72.0)
    h, w = text.shape
    boxes = [(max(s.box[0] - reach, 0), max(s.box[1] - reach, 0), min(s.box[2] + reach, w),
              min(s.box[3] + reach, h)) for s in symbols if s.kind is ShapeKind.DECISION]
    if not boxes:
        return words

    def free(n: PxWord, among: Sequence[PxWord]) -> bool:
        return not any(m.x0 < n.x1 and n.x0 < m.x1 and m.top < n.bottom and n.top < m.bottom
                       for m in among)

    out = list(words)
    for found in ocr_cells(text, boxes, dpi, zoom=ZOOM):
        letters = found.text.strip(".,:;")
        if letters.isalpha() and len(letters) <= LONGEST and free(found, out):
            out.append(PxWord(letters, found.x0, found.top, found.x1, found.bottom,
                              found.line, found.confidence))
    return out


__all__ = ["with_labels"]
