"""Branch labels a decision's diamond leaves in OCR text, told apart from Mutu Baku words.

OCR reads a row line by line across the whole table, so the words written beside a diamond
(its labels, its question) land between the activity and the Mutu Baku cells, or on wrapped
lines of their own. Yes/no labels are vocabulary (:func:`.words.drop_labels`); a decision with
named branches labels them with the very conditions its activity states ("jika teknis
diteruskan ke langkah 5, jika administratif ..." beside a diamond labelled "Teknis" and
"Administratif"). So the row's own conditions, as :mod:`converters.reading.evidence` reads
them, are its labels, however OCR misspells them ("Adminfstratif", "Kotak Pengdduan") or cuts
them into pieces ("Admin" / "stratif").
"""

from __future__ import annotations

import difflib
import re

from converters.reading.evidence import STEP_REFERENCE, read_clues
from converters.reading.readers.ocr.words import drop_labels, is_cap, misspelt_label, norm
from converters.reading.roles import RoleBook
from converters.reading.vocabulary import CONDITION_WORDS

_NO_COLUMNS = RoleBook(())
_CLAUSE = CONDITION_WORDS
_SAME_WORD = 0.75  # one or two letters misread in a label word of five or more
_PIECE = 4  # a label word cut in two leaves pieces of at least this many letters
_SHORT = 4  # a label word this long may have one letter misread
_GARBLED_LABEL = 4  # a line of the diamond's garbled labels is this short


def conditions(activity: str) -> list[list[str]]:
    """The conditions the activity's "jika ..." clauses name, as word lists."""
    if not _CLAUSE & set(re.findall(r"[a-z]+", activity.lower())):
        return []
    clues = read_clues(activity, _NO_COLUMNS)
    return [b.condition.split() for b in clues.branches if b.condition]


def _letters(word: str) -> str:
    return re.sub(r"[^a-z]", "", word.lower())


def _same(word: str, label: str) -> bool:
    w = _letters(word)
    if not w:
        return False
    if w == label:
        return True
    if len(label) == len(w) == _SHORT and sum(a != b for a, b in zip(w, label, strict=True)) == 1:
        return True  # one letter misread in a short word ("nuka" for "muka")
    return len(label) >= 5 and difflib.SequenceMatcher(None, w, label).ratio() >= _SAME_WORD


def _piece(word: str, label: str) -> bool:
    """A piece of a label word cut over two lines or blocks ("Admin" / "stratif")."""
    w = _letters(word)
    return len(w) >= _PIECE and len(label) > len(w) and (
        label.startswith(w) or label.endswith(w))


def drop_conditions(words: list[str], conds: list[list[str]],
                    keep: frozenset[str] = frozenset()) -> list[str]:
    """``words`` without the runs that spell one of the row's branch conditions, written
    Capitalised as a label is, even with a rule read between its words ("Tatap|muka"); a
    run that is a cell text the document uses (``keep``, normalised) stays, since a
    condition may name a document."""
    if not conds:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        n = _label_at(words, i, conds, keep)
        if n:
            i += n
            continue
        out.append(words[i])
        i += 1
    return out


def _label_at(words: list[str], i: int, conds: list[list[str]], keep: frozenset[str],
              alone: bool = False) -> int:
    """How many words from ``i`` spell a condition; ``alone``: the words stand on a line or
    block of their own, where a label's second piece starts in lower case."""
    if alone and len(words) == 1 and any(len(c) == 1 and _piece(words[0], c[0]) for c in conds):
        return 1
    if not is_cap(words[i]) or (i > 0 and words[i - 1].lower() in _CLAUSE):
        return 0  # "Jika SOP tersebut ...": the condition in its own sentence
    for cond in sorted(conds, key=len, reverse=True):
        n = len(cond)
        at = [j for j in range(i, len(words)) if words[j] != "|"][:n]  # a rule may split it
        run = [words[j] for j in at]
        if len(run) == n and all(_same(w, c) for w, c in zip(run, cond, strict=True)):
            if norm(" ".join(run)) in keep:
                return 0
            return at[-1] + 1 - i
        if n == 1 and _piece(words[i], cond[0]):
            return 1
    for cond in sorted(conds, key=len, reverse=True):
        if (n := _label_within(words, i, cond)) and norm(" ".join(words[i : i + n])) not in keep:
            return n
    for cond in sorted(conds, key=len, reverse=True):
        if (n := _label_garbled(words, i, cond)) and norm(" ".join(words[i : i + n])) not in keep:
            return n
    return 0


_NEAR_WORD = 0.6  # a label word with two letters misread ("Kotjik" for "Kotak")
_LENGTH_SLACK = 2


def _label_garbled(words: list[str], i: int, cond: list[str]) -> int:
    """How many words from ``i`` spell a label of two words or more that OCR garbled past
    :func:`_same` in part: one word spelt right at least, the others near it ("Kotjik
    Pengaduan"); at the line's end, its last word may be garbled beyond that ("Tatap myjja")
    or lost ("Tatap"), as a diamond's small label text is at low resolution."""
    n = len(cond)
    run = [w for w in words[i : i + n] if w != "|"]
    if n < _MIN_WITHIN or not run or not is_cap(run[0]):
        return 0
    at_end = i + len(run) == len(words)
    if len(run) < n and not (at_end and _same(run[0], cond[0])):
        return 0
    strict = 0
    for k, (w, c) in enumerate(zip(run, cond, strict=False)):
        if _same(w, c):
            strict += 1
        elif not (difflib.SequenceMatcher(None, _letters(w), c).ratio() >= _NEAR_WORD or (
                at_end and k == len(run) - 1 and k > 0 and w.islower()
                and abs(len(w) - len(c)) <= _LENGTH_SLACK)):
            return 0
    return len(run) if strict else 0


_MIN_WITHIN = 2


def _label_within(words: list[str], i: int, cond: list[str]) -> int:
    """How many words from ``i`` spell the label of a condition that a wrapped cell's word
    came into ("jika tatap muka permohonan": "permohonan" the Kelengkapan's, read between the
    activity's lines; the label is "Tatap muka"): two words or more, the condition's first
    among them, the others following it in the condition's order, and fewer than all."""
    if len(cond) <= _MIN_WITHIN or i + _MIN_WITHIN > len(words) or not _same(words[i], cond[0]):
        return 0
    n, at = 1, 1
    while i + n < len(words) and at < len(cond):
        k = next((k for k in range(at, len(cond)) if _same(words[i + n], cond[k])), None)
        if k is None:
            break
        n, at = n + 1, k + 1
    return n if _MIN_WITHIN <= n < len(cond) else 0


def label_line(words: list[str], conds: list[list[str]]) -> bool:
    """Whether a wrapped line holds nothing but branch labels ("Tidak| setuju",
    "Kotak Pengdduan")."""
    plain = [w for w in words if w != "|"]
    if STEP_REFERENCE.search(" ".join(plain).lower()):
        return False  # "langkah 3 Tidak tetuju": the activity's end, the labels beside it
    if len(plain) == 1 and _label_at(plain, 0, conds, frozenset(), alone=True):
        return True
    if conds and 1 < len(plain) <= _GARBLED_LABEL and misspelt_label(plain[-1]):
        return True  # the labels garbled beyond their words ("Srida fetuju" = "Tidak setuju")
    return bool(plain) and not drop_labels(drop_conditions(plain, conds))


__all__ = ["conditions", "drop_conditions", "label_line"]
