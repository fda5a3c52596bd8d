"""The labels on a diamond's arrows, as a text reader left them in a row's role cells.

Why its own module: every text form keeps a decision's drawing differently (a column of short
texts in ``pdftotext -layout``, a run of words in a Word web page's cell, a label cut in two by
a table extractor's column rule, a lone word in OCR), and :mod:`converters.reading.inference`
needs one answer from all of them: the diamond's question and its labels, each a yes, a no or
a named way (:func:`converters.reading.evidence.split_label` classifies one text). This module
turns a row's marks into those labels and says when two of them make a decision; inference
decides which row's diamond they belong to and where its branches go.
"""

from __future__ import annotations

import re

from converters.reading.drawn.picture import SHAPE_MARKS, ShapeKind
from converters.reading.evidence import split_label
from converters.reading.raw import RawRow
from converters.reading.vocabulary import TERMINATOR_WORDS, answer_label

_YES_NO_WORD = re.compile(r"^(?:ya|tidak|y|t)$", re.IGNORECASE)


def pieces(text: str) -> list[str]:
    """Split a mark into its parts; peel a Ya/Tidak stuck to a question ("Tidak Perlu?");
    a question ends its part ("Sesuai? Ya": the diamond's text, then a label)."""
    out: list[str] = []
    for piece in re.split(r"\s{2,}|\n|(?<=\?)\s+", text):
        words = piece.split()
        run = _label_run(words)
        if run is not None:
            out += run
        elif _whole_answer(words):
            out.append(" ".join(words))  # "Tidak setuju": one label, not "Tidak" + "setuju"
        elif len(words) > 1 and _YES_NO_WORD.match(words[0]):
            out += [words[0], " ".join(words[1:])]
        elif len(words) > 1 and _YES_NO_WORD.match(words[-1]):
            out += [" ".join(words[:-1]), words[-1]]
        elif words:
            out.append(" ".join(words))
    return out


def _whole_answer(words: list[str]) -> bool:
    """Two words that are one answer ("Tidak setuju", "Belum lengkap"): a yes or no label as
    a whole whose second word is no answer of its own ("Tidak Ya" is two labels)."""
    return (len(words) == 2 and not _YES_NO_WORD.match(words[1])
            and split_label(" ".join(words))[0] in ("yes", "no"))


def _label_run(words: list[str]) -> list[str] | None:
    """A diamond's labels written into one cell without a break between them ("◇ Ya Tidak
    →", "Setuju Tidak setuju", "Tidak lengkap Lengkap"): its marks and its labels one by one,
    or None when the words are anything else.

    Why: an HTML export or a table extractor puts the diamond and both its text boxes in the
    role cell they are anchored to, and the words then run together. The run is cut where
    every part is a yes or no label (:func:`split_label`) and the parts hold both kinds: a
    yes and a no beside one diamond. Among such cuts, the fewest parts ("Tidak setuju" is one
    label, not "Tidak" and "setuju"); words that are one label already stay one."""
    marks = [w for w in words if split_label(w)[0] in ("arrow", "symbol")
             and (not w.isalpha() or len(w) == 1)]  # a shape, a line, a connector letter
    rest = [w for w in words if w not in marks]
    if not rest or len(rest) > 2 * _LABEL_WORDS:
        return None
    bare = len(rest) > 1 and all(_YES_NO_WORD.match(w) for w in rest)  # "Tidak Ya": two
    if not bare and split_label(" ".join(rest))[0] in ("yes", "no"):  # one ("Belum Benar")
        return [*marks, " ".join(rest)] if marks else None  # "◇ Tidak →": with its diamond
    best: list[str] | None = None
    for cut in _cuts(rest):
        kinds = {split_label(part)[0] for part in cut}
        if kinds == {"yes", "no"} and (best is None or len(cut) < len(best)):
            best = cut
    if best is None and DIAMOND_MARK in marks and rest[0][:1].isupper():
        best = _capitalised_parts(rest)  # "◇ Teknis Administratif": named labels
    return None if best is None else [*marks, *best]


def _capitalised_parts(words: list[str]) -> list[str]:
    """Words cut where a capitalised word starts ("Teknis Administratif", "Tatap muka"):
    each drawn label starts with a capital, its further words need not."""
    parts: list[list[str]] = []
    for w in words:
        if w[:1].isupper() or not parts:
            parts.append([w])
        else:
            parts[-1].append(w)
    return [" ".join(p) for p in parts]


def _cuts(words: list[str]) -> list[list[str]]:
    """Every way to cut ``words`` into parts of one to :data:`_LABEL_WORDS` words."""
    if not words:
        return [[]]
    out: list[list[str]] = []
    for k in range(1, min(_LABEL_WORDS, len(words)) + 1):
        head = " ".join(words[:k])
        out += [[head, *tail] for tail in _cuts(words[k:])]
    return out


def mend_cut_labels(texts: list[str]) -> list[str]:
    """The role cells of one row with a label that a column rule cut in two put together
    again ("Ti" | "dak lengkap Lengkap" → "Tidak lengkap Lengkap", "Tidak setuj" | "u
    Setuju"): a table extractor splits a text box lying across two columns at the rule.

    A cut is mended when the second cell starts in lower case (a word going on) and a word
    of the first, with that start, makes a yes or no label (:func:`answer_label`, with the
    word before it: "Tidak lengk" + "ap") that the word alone did not make. The rest of
    the second cell follows the mended word; a cell left whole keeps its text as written."""
    cells = list(texts)
    mended = True
    while mended:
        mended = False
        for a, b in ((a, b) for a in range(len(cells)) for b in range(len(cells)) if a != b):
            first, second = cells[a].split(), cells[b].split()
            at = _cut_at(first, second)
            if at is not None:
                cells[a] = " ".join(
                    [*first[:at], first[at] + second[0], *second[1:], *first[at + 1:]])
                cells[b] = ""
                mended = True
                break
    return [c for c in cells if c]


def _cut_at(first: list[str], second: list[str]) -> int | None:
    """The word of ``first`` that ``second``'s opening piece completes into a label."""
    if not first or not second or not second[0][:1].islower():
        return None
    for k, word in enumerate(first):
        before = f"{first[k - 1]} " if k else ""
        whole = word + second[0]
        if (answer_label(word) or answer_label(before + word)) is None and (
            answer_label(whole) or answer_label(before + whole)
        ):
            return k
    return None


def label_marks(row: RawRow) -> tuple[str, list[tuple[str, str]]]:
    """The diamond's question and the (kind, text) branch labels a row's role cells hold,
    kind "yes", "no" or "label" (a named way); labels a column rule cut are mended first."""
    question = ""
    labels: list[tuple[str, str]] = []
    for text in mend_cut_labels(list(row.marks.values())):
        for piece in pieces(text):
            kind, value = split_label(piece)
            if kind == "question" and not question:
                question = value
            elif kind in ("yes", "no", "label"):
                labels.append((kind, value))
    return question, labels


def second_pair(mine: list[tuple[str, str]], theirs: list[tuple[str, str]]) -> bool:
    """A row's yes and no beside a diamond that has its own yes and no in other words
    ("Lengkap" / "Tidak lengkap" next to "Ya" / "Tidak"): one diamond's labels share one
    style, so the row's pair is a second diamond's, not the first one's stray labels. The
    same words twice may be one diamond's labels read twice: they still join it."""

    def words(labels: list[tuple[str, str]]) -> set[str]:
        return {v.casefold() for k, v in labels if k in ("yes", "no")}

    return _both(mine) and _both(theirs) and not words(mine) & words(theirs)


def _both(labels: list[tuple[str, str]]) -> bool:
    """Labels for both branches."""
    kinds = {k for k, _ in labels}
    return "yes" in kinds and "no" in kinds


def named_pair(labels: list[tuple[str, str]]) -> bool:
    """A row's marks are two different named branch labels and no yes or no: a diamond
    whose arrows carry the names of two ways ("Kotak Pengaduan" / "Tatap muka"), its row
    saying only what is sorted. Short texts standing alone in the role columns, where only
    symbols and their labels stand; a terminator's word ("Selesai") is its capsule's, not an
    arrow's, and lone letters are connectors' ("C A": two circles side by side). Any other
    text there (a lower-case "hari Jumat") says the role columns hold cells pushed out of
    their place, not labels. Such a diamond has both its labels: it takes no stray yes or
    no of a neighbour."""
    if any(k in ("yes", "no") for k, _ in labels):
        return False
    texts = [v for k, v in labels if k == "label" and v.casefold() not in TERMINATOR_WORDS
             and any(len(w) > 1 for w in v.split())]
    return (len(texts) == 2 and len({v.casefold() for v in texts}) == 2
            and all(_way_name(v) for v in texts))


def _way_name(text: str) -> bool:
    """Short enough for an arrow's label, capitalised, of words (no connector's letter)."""
    words = text.split()
    return text[:1].isupper() and len(words) <= _LABEL_WORDS and all(len(w) > 1 for w in words)


_LABEL_WORDS = 3  # the most words of a branch label; longer text in a role column is a cell's


DIAMOND_MARK = SHAPE_MARKS[ShapeKind.DECISION]
"""The mark a reader writes for a drawn decision shape (a Word flowchart decision)."""


def drawn_diamond(row: RawRow, labels: list[tuple[str, str]]) -> bool:
    """The row's role cell holds a drawn diamond and a branch label beside it, a named one
    too ("◇ Teknis Administratif"): the drawing states the decision, though the text neither
    asks nor names a choice."""
    return (any(DIAMOND_MARK in m for m in row.marks.values())
            and len(named(labels) + [x for x in labels if x[0] in ("yes", "no")]) >= 1)


def named(labels: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The named branch labels ("Kotak Pengaduan"): capitalised, neither yes nor no (a
    lower-case word in a role column is the activity's own text running over)."""
    return [x for x in labels if x[0] == "label" and x[1][:1].isupper()]


_COUNTERPARTS = {"y": "T", "t": "Y", "ya": "Tidak", "tidak": "Ya", "ada": "Tidak",
                 "sesuai": "Tidak sesuai", "setuju": "Tidak setuju", "lengkap": "Tidak lengkap",
                 "benar": "Salah", "salah": "Benar"}


def counterpart(label: str) -> str:
    """The other branch's label when the text lost it: "T" for "Y", "Ya" for "Tidak", the
    answer a negated label denies ("Ada" for "Tidak Ada")."""
    denied = re.fullmatch(r"(?:tidak|belum|bukan)\s+(\w+)", label.strip(), re.IGNORECASE)
    if denied and label.lower() not in _COUNTERPARTS:
        return denied.group(1).capitalize()
    other = _COUNTERPARTS.get(label.lower(), "Tidak" if label else "Ya")
    return other.lower() if label.islower() else other
