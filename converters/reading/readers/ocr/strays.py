"""Words of other cells that OCR read into an activity between a hand-over word and its object.

Tesseract reads a table row line by line across all its columns. Where an activity's line
ends on "kepada" or "ke" and its sentence goes on at the next line ("dikembalikan kepada" /
"Sekretaris untuk diperbaiki"), the words at the right end of that line stand between the
two: a Mutu Baku cell's wrapped piece ("hari" of "Paling lambat hari Jumat", "KTP dan" of
"KTP dan KK"), or the label and question the diamond
beside the row leaves ("Tidak setuju" read "seuul", "dik lengkap", "Sesi?"). Joined back
into the activity they cut the preposition from its object ("dikembalikan kepada seuul
Sekdin"), and the reading of the row no longer sees whom the work goes to, nor which step a
branch returns to.

In an activity the hand-over word is followed by its object: a performer or "langkah N".
Words between the two are taken out of the activity where the row's lines show the break
(the hand-over word and these words on one line, the object opening the next) and each of
them is a word of the document's Mutu Baku cells or of the row's branch labels and question;
any other word there ("seluruh", "Bapak") is the sentence's own and stays.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable

from converters.reading.raw import RawRow
from converters.reading.readers.ocr.labels import conditions
from converters.reading.readers.ocr.rows import Row
from converters.reading.roles import RoleBook
from converters.reading.vocabulary import HANDOVER_WORDS, NO_LABELS, YES_LABELS

_HANDING = HANDOVER_WORDS | {"oleh"}
"""Words that hand the work on, or name who mends it: their object follows them."""
_MAX_STRAYS = 3
"""A wrapped cell piece or a diamond's labels at a line's end: a few words at most."""
_LABEL_WORDS = frozenset(w for label in YES_LABELS | NO_LABELS for w in label.split()
                         if len(w) > 1)
_LABEL_LIKE = 0.7
"""How alike a garbled label and the row's condition word it spells are ("seuul" /
"setuju"): small text beside a diamond loses letters at low resolution."""
_PIECE = 3  # a label word cut by the diamond's edge keeps this many letters ("dik")
_OBJECT_WORDS = 5  # a performer's name is read within this many words
_EDGE = "|([{\"'.,;:!"


def drop_strays(rows: list[Row], raws: list[RawRow], roles: list[str],
                cells: frozenset[str]) -> None:
    """Take the stray words out of each row's activity (see the module docstring);
    ``cells`` are the document's cell texts, normalised (:attr:`.Phrases.known`); the rows'
    own Mutu Baku cells count too, the Waktu's among them ("hari" of "dua hari")."""
    book = RoleBook(tuple(roles))
    words = cell_words(raws, cells)
    for row, raw in zip(rows, raws, strict=True):
        lines = [ln for ln in (row.first, *(text for _, text in row.rest)) if ln.split()]
        raw.activity = _without_strays(raw.activity, lines, book, words)


def cell_words(raws: list[RawRow], cells: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words (lower case, letters only) of the rows' Mutu Baku cells, the Waktu's among
    them, and of ``cells``: what a wrapped cell's piece read into an activity may be."""
    texts = [*cells, *(c for raw in raws
                       for c in (raw.requirements, raw.duration, raw.output, raw.notes))]
    return frozenset(w for c in texts for w in _letters(c).split())


def _without_strays(activity: str, lines: list[str], book: RoleBook,
                    cell_words: frozenset[str]) -> str:
    tokens = activity.split()
    if not (_HANDING | {_STEP_WORD}) & {t.lower() for t in tokens}:
        return activity
    conds = {_letters(w) for c in conditions(activity) for w in c} - {""}
    out: list[str] = []
    i = 0
    while i < len(tokens):
        out.append(tokens[i])
        if tokens[i].lower() == _STEP_WORD:
            i += _strays_before_number(tokens, i, lines, conds,
                                       lambda w: _stray(w, cell_words, conds))
        elif tokens[i].lower() in _HANDING:
            n = _strays_after(tokens, i + 1, book, lambda w: _stray(w, cell_words, conds))
            if not (n and _broken_after(lines, tokens[i : i + 1 + n], tokens[i + 1 + n])):
                n = _garbled_tail(tokens, i, lines, book, lambda w: _stray(w, cell_words, conds))
            i += n
        i += 1
    return " ".join(out) if len(out) < len(tokens) else activity


def _strays_after(tokens: list[str], at: int, book: RoleBook,
                  stray: Callable[[str], bool]) -> int:
    """How many stray words stand at ``at`` before the hand-over's object (0: none): each
    a stray or a fragment beside one ("dik lengkap": "Tidak" with its "Ti" lost)."""
    sure = False
    for n in range(1, _MAX_STRAYS + 1):
        if at + n >= len(tokens) or _object_at(tokens, at + n - 1, book):
            return 0  # the object itself: nothing stands before it
        word = tokens[at + n - 1]
        if stray(word):
            sure = True
        elif not _fragment(word):
            return 0
        if sure and _object_at(tokens, at + n, book):
            return n
    return 0


def _garbled_tail(tokens: list[str], i: int, lines: list[str], book: RoleBook,
                  stray: Callable[[str], bool]) -> int:
    """How many words after the hand-over word ``tokens[i]`` are the diamond's labels read
    beyond their spelling ("kepada Luak A Ya" / "Kepala Badan", "kepada k Lengkap?
    Deratengkap" / "Staf"): the line ends with the hand-over word and a few words, one of
    them a sure stray (a label word, the question, a cell's word), none a lower-case word of
    the sentence ("seluruh"), and the next line opens with the object. The garbled words
    there spell no name the header knows, so they are the diamond's too. 0: none."""
    n = next((k for k in range(1, _MAX_STRAYS + 1)
              if i + 1 + k < len(tokens) and _object_at(tokens, i + 1 + k, book)), 0)
    if not n or _object_at(tokens, i + 1, book):
        return 0
    between, opening = tokens[i + 1 : i + 1 + n], tokens[i + 1 + n].strip(_EDGE)
    for line, after in itertools.pairwise(lines):
        following, words = after.split(), line.split()
        if not following or following[0].strip(_EDGE) != opening or tokens[i] not in words:
            continue
        tail = words[len(words) - 1 - words[::-1].index(tokens[i]) + 1 :]
        if (len(tail) <= _MAX_STRAYS + 1 and _in_order(between, tail)
                and any(stray(w) for w in tail)
                and not any(_letters(w) and _letters(w) == w and not stray(w)
                            and not _fragment(w) for w in tail)):
            return n
    return 0


_STEP_WORD = "langkah"
_STEP_NUMBER = re.compile(r"\d{1,2}[.,;]?")


def _strays_before_number(tokens: list[str], i: int, lines: list[str], conds: set[str],
                          stray: Callable[[str], bool]) -> int:
    """How many words after "langkah" (``tokens[i]``) stand before its step number and are
    the diamond's or the cells' (0: none). "langkah" is always followed by the number of the
    step it names; where the row's line ends on "langkah" and the number opens the next
    line, the words at that line's right end are the labels of the diamond beside the row
    (a named branch's "Teknis" read as "ekni", any piece of it the diamond's edges left) or
    a cell's wrapped piece, never the sentence's own. Left there, the step reference is
    lost and the branch goes to a guessed step."""
    for n in range(1, _MAX_STRAYS + 1):
        if i + 1 + n >= len(tokens):
            return 0
        between = tokens[i + 1 : i + 1 + n]
        if _STEP_NUMBER.fullmatch(between[-1]):
            return 0  # the number itself
        if not all(stray(w) or _fragment(w) or _inner_piece(w, conds) for w in between):
            return 0
        if (_STEP_NUMBER.fullmatch(tokens[i + 1 + n])
                and any(stray(w) or _inner_piece(w, conds) for w in between)
                and _broken_after(lines, tokens[i : i + 1 + n], tokens[i + 1 + n])):
            return n
    return 0


def _inner_piece(token: str, conds: set[str]) -> bool:
    """A piece from inside a word of the row's conditions ("ekni" of "teknis"): the middle
    of a label the diamond's edges cut at both ends."""
    w = _letters(token)
    return len(w) >= _PIECE and token.isalpha() and any(w in c and w != c for c in conds)


def _fragment(token: str) -> bool:
    """A few lower-case letters, what is left of a label word the diamond's edge cut."""
    return token.isalpha() and token.islower() and len(token) <= _PIECE


def _broken_after(lines: list[str], run: list[str], opening: str) -> bool:
    """Whether a line of the row holds ``run`` (the hand-over word, then the strays in
    order, with words the row already gave elsewhere between them: "kepada Tidak, hari") and
    the next line opens with ``opening`` (the object): the sentence broke at that line's end."""
    handing, strays = run[0], run[1:]
    for line, after in itertools.pairwise(lines):
        following = after.split()
        if not following or following[0].strip(_EDGE) != opening.strip(_EDGE):
            continue
        words = line.split()
        if any(w == handing and _in_order(strays, words[k + 1 :]) for k, w in enumerate(words)):
            return True
    return False


def _in_order(wanted: list[str], words: list[str]) -> bool:
    rest = iter(words)
    return all(w in rest for w in wanted)


def _object_at(tokens: list[str], at: int, book: RoleBook) -> bool:
    """A performer's name or a step reference opens ``tokens[at:]``."""
    if tokens[at].lower().startswith("langkah"):
        return True
    mentions = book.mentions(" ".join(tokens[at : at + _OBJECT_WORDS]))
    return bool(mentions) and mentions[0].start == 0


def _stray(token: str, cell_words: frozenset[str], conds: set[str]) -> bool:
    """A word of the document's cells, or of the diamond beside the row: a label word, the
    question, or a word of the row's own conditions (its labels) garbled or cut short."""
    if token.endswith("?"):
        return True
    w = _letters(token)
    if not w or w in _HANDING:
        return False
    if w in cell_words or w in _LABEL_WORDS or w in conds:
        return True
    return any(
        (len(c) >= 5 and difflib.SequenceMatcher(None, w, c).ratio() >= _LABEL_LIKE)
        or (len(w) >= _PIECE and len(c) > len(w) and (c.startswith(w) or c.endswith(w)))
        for c in conds
    )


def _letters(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())


__all__ = ["cell_words", "drop_strays"]
