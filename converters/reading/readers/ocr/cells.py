"""Mutu Baku cells tidied against the cells the document itself repeats.

An SOP names the same few documents over and over in its Kelengkapan and Output columns
("Nota Dinas", "Disposisi", "Surat keluar"). At low resolution Tesseract damages one copy
and not the next: a letter misread ("Parat" for "Paraf", "Suratketuar"), words glued, or a
symbol's debris left after the cell ("Disposisi KN", "SPM TG Ta"). A cell the document
writes at least twice is the evidence: a damaged copy close to it is that cell, and a known
cell followed only by short debris is the cell alone.

A cell written once has no copy to compare with, but its words are often written elsewhere:
in an activity ("Memaraf konsep surat" beside an Output read "Parat"), as the stem of an
activity's verb, or in another cell. :class:`RunningWords` mends a word that one letter
low resolution confuses (or one narrow letter lost) keeps from such a word.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable

from converters.reading.vocabulary import is_verb

_RECURS = 2
"""A cell written this often is the document's own (a damaged copy is rarer)."""
_CLOSE = 0.8
"""How alike (letters only, case folded) a damaged copy and the cell it spells must be; two
different documents' names ("Surat keluar", "Surat Edaran") are far less alike."""
_PREFIX = 5
"""A word this long that opens a recurring cell opens that cell."""
_RULE_READ = "JIlf"
"""Letters a cell's rule or a symbol's edge is read as, glued to the cell's first letter
whose capital it took ("Jarsip" for "| Arsip")."""
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
        if text[:1] in _RULE_READ and key[1:] in self._recurring:
            return self._spelling[key[1:]]  # "Jarsip": the cell's rule glued to "Arsip"
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


# -- a cell's word mended by the document's running text ----------------------------------------

_CONFUSED = frozenset({("f", "t"), ("f", "r"), ("l", "t"), ("l", "i"), ("e", "c")})
"""(written, read) letter pairs Tesseract confuses at low resolution, case folded: the thin
cross-bar of an "f" lost ("Parat", "Drat", "Parar"), a capital "L" read as a "T"
("Taporan"), an "l" as an "I", a closed "e" read open. One way only: a pair read both ways
would turn a right word into its damaged copy."""
_THIN = frozenset("fijlrt")
"""Narrow letters a low resolution scan may lose from a word altogether ("Arsp", "Para")."""
_END_MARK = re.compile(r"([^\W\d_]{4,})[.,;:]")
_MIN_WORD = 4
"""A word of the running text this long may be the written form of a damaged cell word;
shorter words are too many alike."""
_SUFFIXES = ("kan", "i")
_NASAL_PREFIXES = (("meng", ("k", "")), ("meny", ("s",)), ("mem", ("p", "")), ("men", ("t", "")),
                   ("me", ("",)), ("di", ("",)))
"""The meN- prefix as written before a stem and the first letter it replaced ("memaraf" =
"paraf", "menandatangani" = "tandatangan(i)", "mengarsipkan" = "arsip"), and the passive
di-: a cell names the thing the activity's verb makes ("Memaraf ..." → "Paraf")."""


class RunningWords:
    """The words the document writes in its running text (the activities), and the stems of
    its verbs: what a Mutu Baku cell's damaged word can be mended to. A name OCR damaged in
    one cell is often written whole in an activity ("Memaraf surat" beside an Output read
    "Parat"), or whole in another cell ("Paraf" once, "Parar" once: too rare for
    :class:`KnownCells`); the letters low resolution confuses are few, and the confusions go
    one way (an "f" read as a "t", never back), so of two spellings the damaged one is
    known, even where OCR damaged an activity's copy too ("Taporan" in a sentence). A word
    with a letter lost that the running text writes ("para pegawai") is a word of its own
    unless what it would be is written more often."""

    def __init__(self, texts: Iterable[str], cells: Iterable[str] = ()) -> None:
        self._count = Counter(w for t in [*texts, *cells] for w in _letter_words([t]))
        self._written = _letter_words(texts)
        self._words = set(self._count) | {
            s for w in self._written if is_verb(w) for s in _stems(w)}

    def mend(self, cell: str) -> str:
        """``cell`` with each word that the running text does not write, and that is one
        confusion or one lost narrow letter away from one word it does (or a stem of its
        verbs), written as that word (its capital kept). A mark after the cell's last word
        ("Rekap data.") is a speck or a rule read beside it: a name ends with no full stop
        (a short abbreviation, "dll.", keeps it)."""
        words = cell.split()
        if words and (end := _END_MARK.fullmatch(words[-1])):
            words[-1] = end[1]
        return " ".join(self._mend_glued(w) for w in words)

    def _mend_glued(self, word: str) -> str:
        """``word`` mended; two words OCR glued are cut apart when a part of them is
        damaged too ("taporanIKU" = "laporan IKU"): the cut is what lets the part be mended.
        A glue of whole words is left as read (it reads the same with or without the
        space)."""
        parts = _unglued(word)
        mended = [self._mend_word(p) for p in parts]
        if len(parts) == 1:
            return mended[0]  # not glued: the word itself, mended once
        return " ".join(mended) if mended != parts else self._mend_word(word)

    def _unwritten(self, low: str) -> bool:
        """Whether no activity writes ``low`` (a damaged cell may be repeated damaged)."""
        return low not in self._written

    def _mend_word(self, word: str) -> str:
        low = word.lower()
        if (len(low) > _MIN_WORD and word[0] in _RULE_READ and word[1:].islower()
                and self._unwritten(low) and low[1:] in self._words):
            return word[1:].capitalize()  # "Jarsip": the cell's rule glued to "Arsip"
        if not word.isalpha() or word.isupper() or len(low) < _MIN_WORD - 1:
            return word  # an acronym ("SPT") is not spelt by letters that can be mended
        # a stem only may be a damaged verb's ("memarat"): the confusions go one way
        found = {w for w in self._words if len(w) >= _MIN_WORD and _damaged(w, low)}
        # "Dra" of "draf" or of "drat": a candidate itself damaged ("drat" of "draf") goes
        found = {w for w in found if not any(_damaged(v, w) for v in self._words)} or found
        if len(found) != 1:
            return word
        fixed = found.pop()
        if low in self._written and len(fixed) > len(low) and (
                self._count[fixed] <= self._count[low]):
            return word  # the running text writes it so ("para pegawai"), as often or more
        return fixed.capitalize() if word[0].isupper() else fixed


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
"""Where two words were glued: a capital after a small letter ("LaporanIKU",
"SuratEdaran"); no word is written with a capital inside it."""


def _unglued(word: str) -> list[str]:
    """``word`` cut where OCR glued two words of a cell (the space between them is narrow
    at low resolution): before a capital that follows a small letter."""
    parts = _CAMEL.split(word)
    return parts if all(len(p) >= _GLUED_PART for p in parts) else [word]


_GLUED_PART = 3


def _letter_words(texts: Iterable[str]) -> set[str]:
    return {w for t in texts for w in re.findall(r"[^\W\d_]+", t.lower())}


def _damaged(written: str, read: str) -> bool:
    """Whether ``read`` is ``written`` with one letter confused or one narrow letter lost
    after its first."""
    if len(written) == len(read):
        diff = [(a, b) for a, b in zip(written, read, strict=True) if a != b]
        return len(diff) == 1 and diff[0] in _CONFUSED
    if len(written) == len(read) + 1:
        return any(written[k] in _THIN and written[:k] + written[k + 1 :] == read
                   for k in range(1, len(written)))  # a word's first letter is seldom lost
    return False


def _stems(verb: str) -> set[str]:
    """The stems ``verb`` may be made of: its prefix taken off (the first letter it replaced
    put back) and a suffix with it."""
    out: set[str] = set()
    for prefix, firsts in _NASAL_PREFIXES:
        if verb.startswith(prefix) and len(verb) > len(prefix) + 2:
            base = verb[len(prefix) :]
            for first in firsts:
                stem = first + base
                out.add(stem)
                out.update(stem[: -len(s)] for s in _SUFFIXES if stem.endswith(s))
            break
    return out
