"""A table header OCR garbled beyond spelling, found by the shape of its words.

At low resolution a small, faint header may come out with every title misspelt ("pebtsana
penobon Mu atu" / "x Atas Kaorangan" / "pesyaraas (waru | oma" for "Pelaksana Pemohon Mutu
Baku" / "No Aktivitas Keterangan" / "Persyaratan Waktu Output") while the rows under it are
still read. No title is spelt right, but several words of a few short lines are each close to
a different column title, and rows follow at once: that is the header, and the table starts
after it. Running text may use a title word ("usulan kegiatan", "pelaksanaan"), so lines with
a verb, numbered lines and lines after the first row never count.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from converters.reading.readers.ocr.rows import loose_start
from converters.reading.readers.ocr.words import row_start
from converters.reading.vocabulary import (
    ACTIVITY_TITLE,
    MUTU_COLUMNS,
    PELAKSANA_TITLE,
    is_verb,
)

_CLOSE = 0.7
"""How alike a garbled word and a column title must be (letters only, case folded):
"pebtsana" ~ "pelaksana", "Kaorangan" ~ "keterangan", "pesyaraas" ~ "persyaratan"."""
_MIN_LETTERS = 5  # shorter words are too easily close to a title
_TITLES = 3  # distinct titles a garbled header shows at least
_LINES = 4  # lines a header spans at most
_TO_FIRST_ROW = 3  # lines between the header's last title and the first row at most


@cache
def _title_words() -> tuple[str, ...]:
    """The column titles' words of five letters or more, from the form's vocabulary."""
    words = {w for col in MUTU_COLUMNS for w in col.form_titles}
    words |= set(re.findall(r"[a-z]+", f"{PELAKSANA_TITLE} {ACTIVITY_TITLE}"))
    return tuple(sorted(w for w in words if len(w) >= _MIN_LETTERS))


def header(lines: list[str]) -> list[tuple[int, int]]:
    """The (first, after-last) lines of a garbled table header with rows right under it, or
    [] when there is none."""
    for i in range(len(lines)):
        found: set[str] = set()
        last = i
        for j in range(i, min(len(lines), i + _LINES)):
            titles = _titles(lines[j])
            if titles is None:
                break
            if titles:
                found |= titles
                last = j
        if len(found) < _TITLES or not _titles(lines[i]):
            continue
        for k in range(last + 1, min(len(lines), last + 1 + _TO_FIRST_ROW)):
            if row_start(lines[k].strip()) or loose_start(lines[k]):
                return [(i, k)]
        return []
    return []


def _titles(line: str) -> set[str] | None:
    """The column titles the words of ``line`` are close to; None for a line that cannot be
    a header line (a row, or running text with a verb)."""
    text = line.strip()
    if row_start(text) or loose_start(line):
        return None
    words = [re.sub(r"[^a-z]", "", w.lower()) for w in text.split()]
    if any(is_verb(w) for w in words if w):
        return None
    if any(w in _title_words() for w in words):
        return None  # a title spelt right: the header finders of the reader read it
    out = set()
    for w in words:
        if len(w) >= _MIN_LETTERS:
            out.update(difflib.get_close_matches(w, _title_words(), n=1, cutoff=_CLOSE))
    return out
