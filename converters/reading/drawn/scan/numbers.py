"""Step numbers of a scanned table: the ``No`` column read again and kept in sequence.

Without its number a row is no step (the interpreter joins it to the step above), and the
numbers are the smallest print on the page: a lone ``1`` is one thin stroke, ``17`` comes
back as ``147`` when a speck sits between the digits. What the form promises is used to put
them right: the number column is the grid's leftmost narrow one, and steps are numbered one
by one down the table, over all its pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

import cv2
import numpy as np

from converters.reading.drawn.picture import Box, Page, TextRun
from converters.reading.drawn.scan.raster import Gray
from converters.reading.drawn.scan.rulings import PxBox
from converters.reading.drawn.scan.words import PxWord, ocr_cells

NUMBER = re.compile(r"^\d{1,3}\.?$")
"""A step number as written in its cell ("7" or "7.")."""

NUMBER_SHARE = 0.09
"""The number column is narrower than this share of the table's width."""

Edges = tuple[float, float, float, float]


def number_column(cells: Sequence[Edges]) -> list[int]:
    """Indexes of the cells of the grid's number column (leftmost and narrow), any unit."""
    if not cells:
        return []
    left = min(c[0] for c in cells)
    right = max(c[2] for c in cells)
    tol = max(4.0, (right - left) / 100)
    return [i for i, c in enumerate(cells)
            if abs(c[0] - left) <= tol and c[2] - c[0] < NUMBER_SHARE * (right - left)]


def sequence_repairs(numbers: Sequence[int | None]) -> dict[int, int]:
    """The number each cell of the column must hold where its neighbours say so: index →
    number, for the cells (top to bottom, page after page) read wrong or not at all.

    Steps are numbered one by one, so a number read between ``n - 1`` and ``n + 1`` is ``n``
    whatever the OCR saw (``1`` for ``7``, ``147`` for ``17``), even with unnumbered sub-rows
    in between. An *empty* cell is filled only when its own neighbours are ``n - 1`` and
    ``n + 1``: an unnumbered sub-row sits between ``n`` and ``n + 1`` and is left alone.
    """
    fixes: dict[int, int] = {}
    for i in range(1, len(numbers) - 1):
        a, b, after = numbers[i - 1], numbers[i], numbers[i + 1]
        if b is None and a is not None and after == a + 2:
            fixes[i] = a + 1
    numbered = [i for i, n in enumerate(numbers) if n is not None]
    for p, i, q in zip(numbered, numbered[1:], numbered[2:], strict=False):
        a, b, after = numbers[p], numbers[i], numbers[q]
        if a is not None and after == a + 2 and b != a + 1:
            fixes[i] = a + 1
    return fixes


def _value(text: str) -> int | None:
    return int(text.rstrip(".")) if NUMBER.match(text) else None


# -- one page, in pixels -----------------------------------------------------------------------


def with_numbers(
    words: list[PxWord], gray: Gray, cells: Sequence[PxBox], dpi: float
) -> list[PxWord]:
    """Words with the step numbers the page-wide OCR missed, read again cell by cell.

    The number column's cells without a number word are read once more together
    (:func:`.words.ocr_cells`, digits only), then the first number and the sequence are
    put right (:func:`_first_number`, :func:`in_sequence`).
    """
    column = [cells[i] for i in number_column(cells)]

    def inside(w: PxWord, c: PxBox) -> bool:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        return c[0] <= cx <= c[2] and c[1] <= cy <= c[3]

    empty = [c for c in column if not any(inside(w, c) and NUMBER.match(w.text) for w in words)]
    if not empty:
        return in_sequence(words, column, inside)
    inset = 1  # rulings are already whitened; a right-aligned digit touches its rule
    boxes = [(c[0] + inset, c[1] + inset, c[2] - inset, c[3] - inset) for c in empty]
    found = [w for w in ocr_cells(gray, boxes, dpi, whitelist="0123456789.")
             if NUMBER.match(w.text)]
    filled = [c for c in empty if any(inside(w, c) for w in found)]
    kept = [w for w in words if not any(inside(w, c) for c in filled)]
    return in_sequence(_first_number(kept + found, gray, column, inside, dpi / 72), column,
                       inside)


def _first_number(
    words: list[PxWord], gray: Gray, column: Sequence[PxBox],
    inside: Callable[[PxWord, PxBox], bool], scale: float,
) -> list[PxWord]:
    """The first step's number when OCR saw nothing there ("1" is one thin stroke, easily
    taken for a speck or a rule): the number cell right above the first number ``n > 1``,
    holding no word but one small mark of ink, is ``n - 1``."""
    cells = sorted(column, key=lambda b: b[1])
    numbered = [(i, int(w.text.rstrip("."))) for i, c in enumerate(cells)
                for w in words if inside(w, c) and NUMBER.match(w.text)]
    if not numbered:
        return words
    i, n = min(numbered)
    if i == 0 or n <= 1:
        return words
    x0, top, x1, bottom = cells[i - 1]
    if abs(cells[i][1] - bottom) > 5 * scale or any(inside(w, cells[i - 1]) for w in words):
        return words
    inset = 1  # the rulings are whitened already; a top-aligned digit touches its rule
    crop = gray[top + inset : bottom - inset, x0 + inset : x1 - inset]
    if crop.size == 0:
        return words
    ink = (crop < 128).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = [st for st in stats[1:] if st[4] >= 4]
    if len(marks) != 1:
        return words
    mx, my, mw, mh, _ = (int(v) for v in marks[0])
    if mh < 2.5 * scale or mw > 0.8 * (x1 - x0):
        return words
    ax, ay = x0 + inset + mx, top + inset + my
    return [*words, PxWord(str(n - 1), ax, ay, ax + mw, ay + mh, (0, 0, 0), 0.0)]


def in_sequence(
    words: list[PxWord], column: Sequence[PxBox], inside: Callable[[PxWord, PxBox], bool]
) -> list[PxWord]:
    """The page's step numbers put right by :func:`sequence_repairs` (a number added in an
    empty cell stands in its middle)."""
    cells = sorted(column, key=lambda b: b[1])
    at = [next((w for w in words if inside(w, box) and NUMBER.match(w.text)), None)
          for box in cells]
    repairs = sequence_repairs([None if w is None else _value(w.text) for w in at])
    fixes: dict[int, str] = {}
    added: list[PxWord] = []
    for i, n in repairs.items():
        w = at[i]
        if w is not None:
            fixes[id(w)] = str(n)
        else:
            x0, top, x1, bottom = cells[i]
            cy, h = (top + bottom) // 2, max((x1 - x0) // 4, 4)
            added.append(PxWord(str(n), x0 + 2, cy - h, x1 - 2, cy + h, (0, 0, 0), 0.0))
    return [
        PxWord(fixes[id(w)], w.x0, w.top, w.x1, w.bottom, w.line, w.confidence)
        if id(w) in fixes else w
        for w in words
    ] + added


# -- the whole table, in points ----------------------------------------------------------------


def pages_in_sequence(pages: Sequence[Page]) -> list[Page]:
    """The pages with the step numbers put right over the page breaks: the last number of a
    page and the first of the next are neighbours too (one page alone cannot see that the
    ``147`` closing it stands between ``16`` above and the next page's ``18``)."""
    chain: list[tuple[int, Box, TextRun | None]] = []
    for index, page in enumerate(pages):
        cells = list(page.cells)
        column = [cells[i] for i in number_column([(c.x0, c.top, c.x1, c.bottom)
                                                   for c in cells])]
        for cell in sorted(column, key=lambda c: c.top):
            run = next((t for t in page.texts if cell.contains(t.box.cx, t.box.cy)
                        and NUMBER.match(t.text)), None)
            chain.append((index, cell, run))
    repairs = sequence_repairs([None if r is None else _value(r.text) for _, _, r in chain])
    if not repairs:
        return list(pages)
    texts = [list(p.texts) for p in pages]
    for i, n in repairs.items():
        index, cell, run = chain[i]
        if run is not None:
            texts[index] = [TextRun(str(n), t.box) if t is run else t for t in texts[index]]
        else:
            h = min(cell.width / 4, cell.height / 2)
            texts[index].append(TextRun(str(n), Box(cell.x0 + 1, cell.cy - h, cell.x1 - 1,
                                                    cell.cy + h)))
    return [replace(p, texts=tuple(t)) for p, t in zip(pages, texts, strict=True)]


__all__ = ["NUMBER", "number_column", "pages_in_sequence", "sequence_repairs", "with_numbers"]
