"""The letter or number inside each off-page connector, read on its own.

A flow cut by a page break goes on from the connector with the same label on the other page,
so the label is all that joins the two halves. On the page it is one letter or digit in a
small pentagon, where the page's OCR does worst: a lone character in sparse text is dropped,
or read with the pentagon's side or the arrowhead touching it ("B'", "Cc", "|A"). Here each
connector's inside is cut out along the hole's own outline (the slanted sides and an arrowhead
at its point stay out), enlarged and read as one mark on a line of such marks; a clean one-
or two-character read replaces whatever the page's OCR found in that connector.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.raster import Gray
from converters.reading.drawn.scan.symbols import PxSymbol
from converters.reading.drawn.scan.words import PxWord, ocr_marks

ZOOM = 3.0
"""A connector's letter is 6–9 pt tall: enlarged, Tesseract reads it as a letter."""

MARGIN = 1.0
"""Points kept clear inside the outline: its grey inner edge reads as an "L" or a "J"."""

LONGEST = 2
"""Characters: a connector's label is a letter or a number ("A", "12"), never a word."""


def with_connector_labels(words: list[PxWord], gray: Gray, symbols: Sequence[PxSymbol],
                          dpi: float) -> list[PxWord]:
    """``words`` with each connector's label read again (see the module doc)."""
    connectors = [s for s in symbols if s.kind is ShapeKind.CONNECTOR]
    if not connectors:
        return words
    margin = max(round(MARGIN * dpi / 72.0), 1)
    crops = [_inside(gray, s, margin) for s in connectors]
    reads = ocr_marks(crops, dpi, zoom=ZOOM, in_a_row=True)
    out = list(words)
    for symbol, read in zip(connectors, reads, strict=True):
        label = _label(read[0]) if read is not None else ""
        if not label:
            continue
        x0, top, x1, bottom = symbol.box
        within = [w for w in out
                  if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom]
        line = within[0].line if within else (0, 0, 0)
        out = [w for w in out if w not in within]
        hx, hy, hw, hh = cv2.boundingRect(symbol.contour)
        out.append(PxWord(label, hx, hy, hx + hw, hy + hh, line, read[1] if read else 0.0))
    return out


def _inside(gray: Gray, symbol: PxSymbol, margin: int) -> Gray:
    """The connector's inside on white paper: its hole, ``margin`` pixels in from the
    outline (the hole's edge is the outline's anti-aliased inner side)."""
    x, y, w, h = cv2.boundingRect(symbol.contour)
    mask = np.zeros((h, w), np.uint8)
    cv2.drawContours(mask, [symbol.contour - np.array([x, y])], -1, 255, thickness=-1)
    # outside the crop is outline too (the hole's box is the crop): eroded as such
    kept = cv2.erode(mask, np.ones((2 * margin + 1, 2 * margin + 1), np.uint8),
                     borderType=cv2.BORDER_CONSTANT, borderValue=0)
    crop = gray[y:y + h, x:x + w].copy()
    crop[kept == 0] = 255
    return crop


def _label(text: str) -> str:
    """A read that can be a connector's label, in capitals; "" for anything else.

    A letter whose capital and small forms differ only in size (C, O, S, V, W, X, Z) is
    sometimes read as both ("Cc"): one letter."""
    kept = "".join(c for c in text if c.isalnum())
    if len(kept) == 2 and kept[0] != kept[1] and kept[0].upper() == kept[1].upper():
        kept = kept[0]
    return kept.upper() if 0 < len(kept) <= LONGEST else ""
