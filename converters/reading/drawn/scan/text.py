"""OCR words of a scanned SOP table made readable for the interpreter: header words repaired.

Tesseract reads a table's header at 150–200 dpi with one letter wrong often enough
("Kegiatam", "Imum", "Kabia/"): the interpreter then finds no ``Kegiatan`` column, or names a
role column "Pengadministrasian Imum". The header of the form has a small, known vocabulary —
the column titles of Permenpan RB 35/2012 and the jabatan words
(:mod:`converters.reading.vocabulary`, the same lists :mod:`converters.reading.roles` parses
with) — so a header word within one or two edits of exactly one vocabulary word is that word.
Body text is left alone: activities use a free vocabulary, and a repair there would be a guess.

Which words are the header is decided by the grid, not by the words: the cells above the first
band whose number cell holds a step number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from converters.reading.drawn.scan.words import PxWord
from converters.reading.vocabulary import (
    ABBREVIATION_DISPLAY,
    JABATAN_KINDS,
    MUTU_COLUMNS,
    OTHER_COLUMN_HEADS,
    UNIT_NOUNS,
)

_TITLES = ("no", "kegiatan", "aktivitas", "uraian", "prosedur", "langkah", "pelaksana", "mutu",
           "baku")
_EDGE = re.compile(r"^([^\w]*)(.*?)([^\w]*)$")


@functools.cache
def vocabulary() -> frozenset[str]:
    """Every word a header cell of the form is made of: titles and jabatan words."""
    words: set[str] = set(_TITLES)
    for col in MUTU_COLUMNS:
        words.update(col.form_titles + col.other_titles)
    for kind in JABATAN_KINDS:
        for spelling in kind.spellings.split("|"):
            words.update(w for w in re.split(r"[\s/]+", spelling) if w.isalpha())
    words.update(UNIT_NOUNS)
    words.update(OTHER_COLUMN_HEADS)
    for name in ABBREVIATION_DISPLAY.values():
        words.update(name.lower().split())
    words.update(("sub", "umum", "tim", "kerja", "teknis", "terkait", "dan"))
    # the region a unit serves ("BPS Kab/Kota", "Dinas ... Provinsi"), and the subject a
    # team's name abbreviates ("Tim Stat Produksi": one edit from "Staf", yet no misreading)
    words.update(("kab", "kabupaten", "kota", "prov", "provinsi", "stat", "statistik"))
    return frozenset(w for w in words if len(w) >= 2)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i]
        for j, cb in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _limit(word: str) -> int:
    """Edits allowed: none for short words (``Tim``/``Tin`` could be anything), one from four
    letters, two from eight (long titles like ``Kelengkapan`` lose two letters to OCR)."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def _cased(like: str, word: str) -> str:
    """``word`` in the case of the misread ``like``: capitals kept, and a capital anywhere
    (``mMUM`` for ``Umum``: the first letter is the misread one) makes a title word."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if any(ch.isupper() for ch in like):
        return word[:1].upper() + word[1:]
    return word


def repair_word(text: str, vocab: Iterable[str] | None = None, short: bool = False) -> str:
    """``text`` with its letters replaced by the one vocabulary word within reach, if any.

    Punctuation around the word stays ("Kabia/" → "Kabid/"); a word already in the vocabulary,
    or near two different ones, or cut short with a full stop ("Stat.") is kept as read.
    ``short`` lets three-letter words take one edit too (for a document's own repeated words,
    where "PEK" next to "PEKK" is no guess).
    """
    m = _EDGE.match(text)
    if not m:
        return text
    lead, core, trail = m.groups()
    if trail.startswith("."):
        return text  # an abbreviation ("Stat.", "Kab.") is no misread word
    low = core.lower()
    words = vocabulary() if vocab is None else frozenset(vocab)
    if not low.isalpha() or low in words:
        return text
    limit = max(_limit(low), 1 if short and len(low) >= 3 else 0)
    if limit == 0:
        return text
    best: list[tuple[int, str]] = []
    for w in words:
        d = edit_distance(low, w, limit)
        if d <= limit:
            best.append((d, w))
    if not best:
        return text
    # equally near: a word of the same length first (OCR misreads a letter far more often
    # than it adds one: "Kasuhbag" is "Kasubbag", not its spelling "Kasubag")
    best.sort(key=lambda dw: (dw[0], abs(len(dw[1]) - len(low)), dw[1]))
    if len(best) > 1 and best[1][0] == best[0][0] and (
            abs(len(best[1][1]) - len(low)) == abs(len(best[0][1]) - len(low))):
        return text  # two words equally near: not ours to choose
    return lead + _cased(core, best[0][1]) + trail


def header_bottom(
    words: Sequence[PxWord], cells: Sequence[tuple[int, int, int, int]]
) -> int | None:
    """The pixel row where the table's body starts: the top of the first band whose leftmost
    (number) cell holds a step number; ``None`` on a page with no numbered band."""
    if not cells:
        return None
    left = min(c[0] for c in cells)
    tol = max(4, (max(c[2] for c in cells) - left) // 100)
    firsts = sorted((c for c in cells if abs(c[0] - left) <= tol), key=lambda c: c[1])
    for x0, top, x1, bottom in firsts:
        for w in words:
            cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
            if x0 <= cx <= x1 and top <= cy <= bottom and re.fullmatch(r"\d{1,3}\.?", w.text):
                return top
    return None


def repair_header(words: Sequence[PxWord], cells: Sequence[tuple[int, int, int, int]],
                  ) -> list[PxWord]:
    """Words with the header's words (above the first numbered band) repaired, and header
    "words" without a letter or digit dropped."""
    bottom = header_bottom(words, cells)
    if bottom is None:
        return list(words)
    top = min(c[1] for c in cells) - 4
    head = [w for w in words if top <= (w.top + w.bottom) / 2 < bottom]
    body = [w for w in words if not top <= (w.top + w.bottom) / 2 < bottom]
    out = []
    own = _document_words(body)
    vocab = vocabulary()
    for w in _rejoined(head, cells):
        if not any(ch.isalnum() for ch in w.text):
            continue  # a rule's remnant ("|", "—") read as a word: no title is made of it
        fixed = repair_word(w.text)
        if fixed == w.text and not _known(w.text, vocab):
            # the document's own words only for what the form's vocabulary does not know: a
            # title read right ("Kepala", "Sekretaris") stays, however often the activities
            # write a word one or two letters off ("kepada", "Sekretariat")
            fixed = repair_word(w.text, own, short=True)
        if fixed != w.text:
            w = PxWord(fixed, w.x0, w.top, w.x1, w.bottom, w.line, w.confidence)
        out.append(w)
    return out + body


def _known(text: str, vocab: frozenset[str]) -> bool:
    m = _EDGE.match(text)
    return m is not None and m.group(2).lower() in vocab


def _document_words(body: Sequence[PxWord]) -> frozenset[str]:
    """Words the table's body writes at least twice: the unit names of its jabatan
    ("PEKK", "Umpar"), which no vocabulary can know but the activities repeat."""
    counts: dict[str, int] = {}
    for w in body:
        m = _EDGE.match(w.text)
        core = m.group(2).lower() if m else ""
        if len(core) >= 3 and core.isalpha():
            counts[core] = counts.get(core, 0) + 1
    return frozenset(k for k, n in counts.items() if n >= 2)


def _cell_of(w: PxWord, cells: Sequence[tuple[int, int, int, int]]) -> int:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return next((i for i, c in enumerate(cells) if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]),
                -1)


def _rejoined(words: Sequence[PxWord], cells: Sequence[tuple[int, int, int, int]],
              ) -> list[PxWord]:
    """Header words that OCR split in two ("Pengadi" "Iministrasian") joined again.

    Two neighbours on one line of one header cell, neither a vocabulary word, whose joined
    letters are a vocabulary word within reach (:func:`repair_word`), are one word.
    """
    vocab = vocabulary()
    ordered = sorted(words, key=lambda w: (_cell_of(w, cells), w.top // 4, w.x0))
    out: list[PxWord] = []
    for w in ordered:
        if out:
            last = out[-1]
            height = max(w.bottom - w.top, last.bottom - last.top, 1)
            same_line = abs((w.top + w.bottom) - (last.top + last.bottom)) / 2 < 0.5 * height
            close = -2 <= w.x0 - last.x1 <= height
            if same_line and close and _cell_of(w, cells) == _cell_of(last, cells):
                a, b = last.text.strip("/,.:").lower(), w.text.strip("/,.:").lower()
                if a not in vocab and b not in vocab and a.isalpha() and b.isalpha():
                    joined = last.text + w.text
                    fixed = repair_word(joined)
                    if fixed != joined or joined.lower() in vocab:
                        out[-1] = PxWord(joined, last.x0, min(last.top, w.top), w.x1,
                                         max(last.bottom, w.bottom), last.line,
                                         min(last.confidence, w.confidence))
                        continue
        out.append(w)
    return out


__all__ = ["edit_distance", "header_bottom", "repair_header", "repair_word", "vocabulary"]
