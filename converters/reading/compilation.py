"""A compilation's text ("Kumpulan SOP": one SOP after another) cut into one text per SOP.

The text readers read one SOP table per text; a compilation read whole merges its tables.
Its pages (``pdftotext`` ends each with a form feed) are cut where the form shows a new SOP:
a page that carries an **identity block** (at least :data:`MIN_LABELS` of the identity labels
of :mod:`converters.reading.header`: Nomor SOP, Nama SOP, Disahkan oleh, the dates) naming
another SOP than the one being read (its number or name differ). One SOP's identity block
repeated on each page is no cut. The drawn reader cuts its pictures by the same labels
(:mod:`converters.reading.drawn.documents`), where it also sees a table numbered from 1 again.

A piece that does not read as an SOP on its own (a title page whose table follows, an annex)
is joined to its neighbour by :func:`converters.reading.sop_file.read_sops`.
"""

from __future__ import annotations

import re

from converters.reading.header import label_pattern
from converters.reading.header_layout import read_layout_header

PAGE_BREAK = "\f"
IDENTITY_LABEL_KINDS = ("number", "name", "approved", "created", "effective")
"""The identity labels whose presence says "an identity block is here"."""
_LABELS = [
    re.compile(rf"(?<!\w)(?:{label_pattern(k)})(?!\w)", re.IGNORECASE) for k in IDENTITY_LABEL_KINDS
]
MIN_LABELS = 2
"""Identity labels a page must show to hold an identity block (one label alone may be a
cross-reference in a cell: "lihat Nomor SOP ...")."""


def identity_labels(text: str) -> int:
    """How many kinds of identity label ``text`` shows (see :data:`IDENTITY_LABEL_KINDS`)."""
    return sum(1 for label in _LABELS if label.search(text))


def identity_marks(lines: list[str]) -> set[str] | None:
    """The SOP number and name of the identity block in ``lines`` (layout text), lower case;
    ``None`` when the lines hold no identity block, an empty set when no value was read."""
    if identity_labels("\n".join(lines)) < MIN_LABELS:
        return None
    ident = read_layout_header(lines).identity
    return {v.strip().lower() for v in (ident.number, ident.name) if v and v.strip()}


def another_sop(marks: set[str] | None, current: set[str]) -> bool:
    """An identity block (``marks``) that names another SOP than ``current``'s: not the same
    block repeated on a continuation page (its values all among the current ones)."""
    return marks is not None and not (marks and current and marks <= current)


def split_text(text: str) -> list[str]:
    """``text`` in pieces, one per identity block naming a new SOP (``[text]`` when there is
    one, or the text has no page breaks). Each piece keeps its pages' form feeds."""
    if PAGE_BREAK not in text:
        return [text]
    pieces: list[list[str]] = [[]]
    current: set[str] = set()
    for page in text.split(PAGE_BREAK):
        marks = identity_marks(page.splitlines())
        if current and another_sop(marks, current):
            pieces.append([])
            current = set()
        pieces[-1].append(page)
        if marks and not current:
            current = marks
    return [PAGE_BREAK.join(p) for p in pieces]


__all__ = [
    "IDENTITY_LABEL_KINDS",
    "MIN_LABELS",
    "PAGE_BREAK",
    "another_sop",
    "identity_labels",
    "identity_marks",
    "split_text",
]
