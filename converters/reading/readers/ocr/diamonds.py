"""A decision's yes/no labels in OCR text, given to the checking step they stand beside.

A diamond in a real SOP table is drawn with its labels ("Ya" / "Tidak", "Y" / "T") at the
ends of its arrows, and OCR reads them wherever their line falls: in the diamond's row, or on
a wrapped line of the row above or below ("Memeriksa data ... Tidak", then "Ya" alone on the
next row's line). The activity seldom says its condition in words, so these labels are the
only trace of the decision. A yes and a no label within one row of a step that checks work
("Memeriksa", "Verifikasi", "Pemeriksaan") are that step's diamond; they go to its marks
without a column (OCR keeps none), where inference reads decisions from, never as role
evidence. Labels near no checking step stay unplaced: a stray "T" is more often a symbol
remnant or a cell's letter than a branch.
"""

from __future__ import annotations

import re

from converters.reading.raw import UNPLACED, RawRow
from converters.reading.readers.ocr.rows import Row
from converters.reading.vocabulary import checks_work

_YES = frozenset({"Ya", "YA", "Y"})
_NO = frozenset({"Tidak", "TIDAK", "T"})
_EDGE = "-—–»«>|.,:;'\""
_CONDITIONAL = re.compile(r"\b(?:jika|apabila|bila|kalau|bilamana)\b", re.I)
_REACH = 1  # rows above and below a checking step whose labels it may take


def place_labels(rows: list[Row], raws: list[RawRow]) -> None:
    """Give each checking step the yes and no labels read in its row or the rows beside it.

    A document whose activities state their conditions in words ("jika ...") is left to
    inference's reading of the text: its labels are the conditions' words, already read
    (:mod:`.labels`). Each label is given once, to the nearest checking step."""
    if any(_CONDITIONAL.search(r.activity) for r in raws):
        return
    found = [_labels(r) for r in rows]
    used: set[tuple[int, str]] = set()
    # a checking step with a label in its own row first: the diamond stands there
    checking = sorted((i for i, raw in enumerate(raws) if checks_work(raw.activity)),
                      key=lambda i: not (found[i][0] or found[i][1]))
    for i in checking:
        raw = raws[i]
        if raw.marks:
            continue
        near = sorted(range(max(0, i - _REACH), min(len(rows), i + _REACH + 1)),
                      key=lambda j: abs(j - i))
        yes = next(((j, w) for j in near for w in found[j][0] if (j, "yes") not in used), None)
        no = next(((j, w) for j in near for w in found[j][1] if (j, "no") not in used), None)
        if yes is None or no is None:
            continue
        used.update({(yes[0], "yes"), (no[0], "no")})
        raw.marks[UNPLACED] = f"{yes[1]}\n{no[1]}"


def _labels(row: Row) -> tuple[list[str], list[str]]:
    """The yes and the no labels standing as words of their own in the row's lines."""
    yes: list[str] = []
    no: list[str] = []
    for line in [row.first, *(text for _, text in row.rest)]:
        for raw in line.split():
            w = raw.strip(_EDGE)
            if w in _YES:
                yes.append(w)
            elif w in _NO:
                no.append(w)
    return yes, no

