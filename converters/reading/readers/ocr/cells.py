"""Mutu Baku cells tidied against the cells the document itself repeats.

An SOP names the same few documents over and over in its Kelengkapan and Output columns
("Nota Dinas", "Disposisi", "Surat keluar"). At low resolution Tesseract damages one copy
and not the next: a letter misread ("Parat" for "Paraf", "Suratketuar"), words glued, or a
symbol's debris left after the cell ("Disposisi KN", "SPM TG Ta"). A cell the document
writes at least twice is the evidence: a damaged copy close to it is that cell, and a known
cell followed only by short debris is the cell alone.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

_RECURS = 2
"""A cell written this often is the document's own (a damaged copy is rarer)."""
_CLOSE = 0.8
"""How alike (letters only, case folded) a damaged copy and the cell it spells must be; two
different documents' names ("Surat keluar", "Surat Edaran") are far less alike."""
_PREFIX = 5
"""A word this long that opens a recurring cell opens that cell."""
_DEBRIS_LETTERS = 3
"""A token this short after a complete cell, spelling no word of the known cells, is
debris of the symbol or of a neighbouring cell."""


class KnownCells:
    """The Mutu Baku cells a document repeats, as written (the commonest spelling)."""

    def __init__(self, cells: list[str]) -> None:
        spellings: dict[str, Counter[str]] = {}
        for cell in cells:
            text = " ".join(cell.split())
            if text:
                spellings.setdefault(_squash(text), Counter())[text] += 1
        self._count = {k: sum(c.values()) for k, c in spellings.items()}
        self._spelling = {k: c.most_common(1)[0][0] for k, c in spellings.items()}
        self._recurring = [k for k, n in self._count.items() if n >= _RECURS and _clean(k)]
        self._words = {w for k in self._recurring for w in self._spelling[k].lower().split()}

    def tidy(self, cell: str) -> str:
        """``cell`` as the document writes it elsewhere, when it is a damaged copy of a
        recurring cell; else unchanged."""
        text = " ".join(cell.split())
        key = _squash(text)
        if not key or key in self._recurring:
            return text
        words = text.split()
        for k in range(len(words) - 1, 0, -1):
            head = _squash(" ".join(words[:k]))
            if head in self._recurring and all(self._debris(w) for w in words[k:]):
                return self._spelling[head]
        near = difflib.get_close_matches(key, self._recurring, n=1, cutoff=_CLOSE)
        if near and near[0][0] == key[0]:
            return self._spelling[near[0]]
        return text

    def starts(self, text: str) -> bool:
        """Whether ``text`` opens with a recurring cell, as the document spells it or with
        one letter misread ("Parat Rangkap dua" opens with "Paraf")."""
        words = text.split()
        for k in range(1, len(words) + 1):
            key = _squash(" ".join(words[:k]))
            if key in self._recurring or difflib.get_close_matches(
                key, self._recurring, n=1, cutoff=_CLOSE
            ):
                return True
            if k == 1 and len(key) >= _PREFIX and any(c.startswith(key) for c in self._recurring):
                return True  # "Formulir" of "Formulir isian", its second word wrapped
        return False

    def _debris(self, word: str) -> bool:
        letters = re.sub(r"[^A-Za-z]", "", word)
        return len(letters) <= _DEBRIS_LETTERS and word.lower() not in self._words


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _clean(key: str) -> bool:
    return len(key) >= 3 and key.isalpha()
