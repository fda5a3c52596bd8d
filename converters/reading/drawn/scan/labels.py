"""Branch labels beside a scan's diamonds, read again where the page-wide pass missed them.

A branch label is the shortest print on the page: "Y" and "T", "Ya", "Tidak", set alone in
the paper beside a diamond's vertex. Tesseract's sparse-text pass drops such a lone letter
as readily as a lone step number, and without its label a branch can only be guessed (which
way is "yes"). The surroundings of every diamond are read once more together, enlarged, as
a block; a word found there is added only where the first pass read nothing and only when
it is short, as labels are (a longer word there is some activity's, already read or not).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np

from converters.reading.drawn.geometry import prefix
from converters.reading.drawn.picture import ShapeKind
from converters.reading.drawn.scan.raster import Gray
from converters.reading.drawn.scan.rulings import PxBox
from converters.reading.drawn.scan.symbols import PxArrow, PxSymbol
from converters.reading.drawn.scan.text import edit_distance, repair_word
from converters.reading.drawn.scan.words import PxWord, ocr_cells, ocr_marks
from converters.reading.vocabulary import NO_LABELS, YES_LABELS

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
    return _phrased(_repaired(_lone_marks(out, text, boxes, dpi), boxes), boxes, dpi)


LABEL_WORDS = frozenset(w for label in YES_LABELS | NO_LABELS for w in label.split() if len(w) >= 4)
"""The words branch labels are made of ("setuju", "tidak", "sesuai", ...)."""


def _repaired(words: list[PxWord], zones: Sequence[PxBox]) -> list[PxWord]:
    """Words in the label zones with a misread label word put right ("Tidal" → "Tidak",
    "Sktuju" → "Setuju", "Se-uju" → "Setuju"): a worn or coarse copy's labels come back a
    letter off, and a label the interpreter does not know leaves it to guess which way
    approves. Only within one edit of a label word (:func:`.text.repair_word`), so an
    activity's word stays; a letter read as a dash inside the word is that edit."""
    def inside(m: PxWord) -> bool:
        return _inside(m, zones)

    return [replace(m, text=_label_word(m.text)) if inside(m) else m for m in words]


def _inside(m: PxWord, zones: Sequence[PxBox]) -> bool:
    cx, cy = (m.x0 + m.x1) / 2, (m.top + m.bottom) / 2
    return any(z[0] <= cx <= z[2] and z[1] <= cy <= z[3] for z in zones)


def _label_word(text: str) -> str:
    """``text`` as the label word it misreads, if it is within one edit of one; a dash
    between letters ("Se-uju": a broken letter read as one) counts as a letter lost."""
    fixed = repair_word(text, LABEL_WORDS)
    if fixed != text:
        return fixed
    core = text.strip(".,:;")
    if "-" in core.strip("-") and core.replace("-", "").isalpha():
        joined = core.replace("-", "")
        fixed = repair_word(joined, LABEL_WORDS)
        if fixed != joined:
            return fixed
    return text


LABELS = YES_LABELS | NO_LABELS
SPACE = 8.0
"""Points: the widest space between two words of one label phrase as a worn copy's OCR boxes
them ("Tidak setuju" set in 9 pt spaces its words by 2.5 pt; a letter's lost stroke at the
end of "Tidak" widens the gap between the boxes by as much again)."""


def _phrased(words: list[PxWord], zones: Sequence[PxBox], dpi: float) -> list[PxWord]:
    """Words in the label zones with the words of one label joined into one ("Tidak" +
    "setuju" → "Tidak setuju", "Ses" + "ai" → "Sesuai").

    The interpreter joins neighbouring words by the gap between their boxes, as a clean
    print sets them; a worn or blurred copy's boxes (a letter's faint stroke left out, a word
    boxed by its ink alone) stand further apart, or one word comes back in two, and
    "setuju" alone beside the refusing branch reads as approval. Two words on one line,
    close enough to be one label, are joined only when together they are a branch label of
    the vocabulary (:func:`_joined_label`)."""
    scale = dpi / 72.0
    out = list(words)
    joined = True
    while joined:
        joined = False
        for a, b in itertools.permutations(out, 2):
            if not (_inside(a, zones) and _inside(b, zones)):
                continue
            gap = b.x0 - a.x1
            ay, by = (a.top + a.bottom) / 2, (b.top + b.bottom) / 2
            tall = max(a.bottom - a.top, b.bottom - b.top)
            if not (-scale <= gap and abs(ay - by) <= tall / 2):
                continue
            found = _joined_label(a.text, b.text)
            if found is None:
                continue
            label, lost = found
            letter = (a.x1 - a.x0) / max(len(a.text), 1)
            if gap > SPACE * scale + lost * letter:
                continue  # a label's letters lost widen the gap by as much as they took
            both = PxWord(label, a.x0, min(a.top, b.top), b.x1, max(a.bottom, b.bottom),
                          a.line, min(a.confidence, b.confidence))
            out = [m for m in out if m is not a and m is not b] + [both]
            joined = True
            break
    return out


PHRASES = tuple(label.split() for label in LABELS if " " in label)
"""The branch labels of two words ("tidak setuju", "belum sesuai")."""


def _joined_label(first: str, second: str) -> tuple[str, int] | None:
    """The label two neighbouring words make and the letters of it they lost, or ``None``:
    a label phrase as they stand; one label word cut in two (:func:`_label_word` of the
    pieces run together); or a label word after a short word that starts as every phrase
    ending in it does on one side ("Th setuju": the only phrase ending in "setuju" is
    "tidak setuju")."""
    a, b = first.strip(".,:;"), second.strip(".,:;")
    if f"{a.lower()} {b.lower()}" in LABELS:
        return f"{a} {b}", 0
    if a.isalpha() and b.isalpha() and b.lower() not in LABEL_WORDS:
        run = _label_word(a + b)  # a word cut in two: neither piece a label word
        if run.lower() in LABEL_WORDS and edit_distance((a + b).lower(), run.lower(), 1) <= 1:
            return run, max(len(run) - len(a + b), 0)
    if not (a.isalpha() and b.lower() in LABEL_WORDS) or len(a) > LONGEST:
        return None
    heads = [p[0] for p in PHRASES if len(p) == 2 and p[1] == b.lower()
             and p[0][0] == a[0].lower()]
    sides = {f"{h} {b.lower()}" in NO_LABELS for h in heads}
    if len(sides) != 1:
        return None
    head = min(heads, key=lambda h: (edit_distance(a.lower(), h, len(h)), h))
    return f"{_title(a, head)} {b}", max(len(head) - len(a), 0)


def _title(like: str, word: str) -> str:
    """``word`` capitalised as ``like`` is."""
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


MARK_LOW, MARK_HIGH = 3.0, 14.0
"""Points: the height of a label's letters (a step's small print to a bold capital)."""
MARK_WIDE = 40.0
"""Points: the widest label read mark by mark ("Tidak" set in 10 pt)."""
MARK_GAP = 1.0
"""Points: pieces of ink this close are one mark (a serif ``Y`` whose stem the threshold cut
from its arms, the letters of one word)."""
READ = 85.0
"""Confidence at which a word of the first passes needs no second look."""


def _lone_marks(words: list[PxWord], text: Gray, zones: Sequence[PxBox],
                dpi: float) -> list[PxWord]:
    """Labels read once more as marks: each letter-sized patch of ink in a label zone that
    no confident word covers, cut out alone (its neighbours whitened) and read on its own
    line.

    A label of one capital ("Y", "T") in a serif face beside the lines of a pasted picture is
    what a block reading loses or misreads ("v" for a ``Y`` whose stem came apart from its
    arms): read alone, enlarged, with nothing else in its crop, the letter reads as itself.
    A weak first reading under the mark gives way to a surer second one."""
    scale = dpi / 72.0
    h, w = text.shape
    mask = np.zeros((h, w), np.uint8)
    for x0, y0, x1, y1 in zones:
        mask[y0:y1, x0:x1] = 1
    ink = ((text < 128) & (mask > 0)).astype(np.uint8)
    grow = max(round(MARK_GAP * scale), 1)
    joined = cv2.dilate(ink, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    marks: list[tuple[int, int, int, int, int]] = []
    for i in range(1, n):
        x, y, bw, bh, _area = (int(v) for v in stats[i])
        bw, bh = bw - 2 * grow, bh - 2 * grow  # the ink's own box, not the grown one
        x, y = x + grow, y + grow
        if not (MARK_LOW * scale <= bh <= MARK_HIGH * scale and 1 <= bw <= MARK_WIDE * scale):
            continue
        if any(m.confidence >= READ and m.x0 < x + bw and x < m.x1 and m.top < y + bh
               and y < m.bottom for m in words):
            continue
        marks.append((x, y, x + bw, y + bh, i))
    if not marks:
        return words
    crops: list[np.ndarray] = []
    for x0, y0, x1, y1, i in marks:
        pad = max((y1 - y0) // 2, 2)
        crop = np.full((y1 - y0 + 2 * pad, x1 - x0 + 2 * pad), 255, np.uint8)
        # the mark's grey too, not only its ink: a small "T" keeps its faint crossbar
        a, b = max(y0 - grow, 0), min(y1 + grow, h)
        c, d = max(x0 - grow, 0), min(x1 + grow, w)
        piece = labels[a:b, c:d] == i
        crop[pad - (y0 - a):pad - (y0 - a) + b - a,
             pad - (x0 - c):pad - (x0 - c) + d - c][piece] = text[a:b, c:d][piece]
        crops.append(crop)
    read = ocr_marks(crops, dpi, ZOOM)
    out = list(words)
    for (x0, y0, x1, y1, _), found in zip(marks, read, strict=True):
        if found is None:
            continue
        letters = found[0].strip(".,:;")
        if not (letters.isalpha() and len(letters) <= LONGEST and found[1] >= SURE):
            continue
        under = [m for m in out if m.x0 < x1 and x0 < m.x1 and m.top < y1 and y0 < m.bottom]
        slack = max(round(MARK_GAP * scale), 1)
        if any(m.confidence >= found[1] or m.x0 < x0 - slack or m.x1 > x1 + slack
               for m in under):
            continue  # a surer reading, or a word of which the mark is a part ("Y" of "Ya")
        out = [m for m in out if not any(m is u for u in under)]
        out.append(PxWord(letters, x0, y0, x1, y1, (0, 0, 0), found[1]))
    return out


__all__ = ["with_labels"]
