"""The Waktu cell in OCR text: a time value found among a row's words, and finished on the
row's wrapped lines.

The Waktu column is narrow, so Tesseract hands its value over in pieces: "1 jam 30" on the
row's first line and "menit" on the next, "1 - 5 hari" and then "Kerja", "2" and then
"menit/berkas". It also glues and misreads the words ("1ljam", "menlt", "harikerja", "1-5"
read as one word), and a value written in words ("dua hari", "sehari") has no digit to find.

So the value is read from *tokens*, each classed by what it can be in a time value (a number,
a number word, a range sign, the "x" of "1 x 24 jam", a unit, "kerja" after a day, a "per"
tail), and a run of classes that spells a value is the Waktu. Which word is a unit or a number
word is not listed here: :func:`converters.reading.durations.parse_duration` and
:mod:`converters.reading.vocabulary` decide, so the OCR reader knows exactly the units the
other readers know. A run that ends before its unit ("1 jam 30", "5 s.d 10") is *pending*: the
first unit word on the following wrapped lines completes it, and is taken out of those lines
so that it does not end up in the Output or the Kelengkapan.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from converters.reading.durations import parse_duration
from converters.reading.evidence import STEP_REFERENCE
from converters.reading.vocabulary import (
    CLAUSE_WORDS,
    NOTES_OPENERS,
    RANGE_SEPARATOR,
    TIME_UNITS,
    WAKTU_NO_TIME,
    is_verb,
    time_unit,
)

_GLUED = re.compile(r"\d+(?:[.,]\d+)?|s\.?/?d\.?(?![a-z])|[^\W\d_]+|[^\w\s]+", re.I)
"""Pieces of a glued token: "1-5" → 1, -, 5; "2x24" → 2, x, 24; "1jam" → 1, jam."""

_OCR_LETTERS = str.maketrans({"1": "i", "l": "i", "!": "i", "|": "i", "0": "o", "b": "h"})
"""Letters Tesseract confuses inside a word ("menlt" = "menit", "harl" = "hari", "br" =
"hr")."""

_RANGE = re.compile(rf"^(?:{RANGE_SEPARATOR.strip()})$".replace(r"\s*", ""), re.I)
_DAY = next(u for u in TIME_UNITS if u.name == "day")
_WORKING_WORD = next(
    w for w in re.findall(r"[a-z]+", _DAY.spellings) if w != "hari" and len(w) > 3
)  # "kerja" of "hari kerja", read from the day unit's own spelling


@cache
def _unit_words() -> tuple[str, ...]:
    """Every plain-letter spelling of a time unit (for OCR-damaged words)."""
    words = []
    for unit in TIME_UNITS:
        for alt in unit.spellings.split("|"):
            if re.fullmatch(r"[a-z]{3,}", alt):
                words.append(alt)
    return tuple(words)


_QUOTES = "\"'“”‘’"
"""A symbol's edge read as a quote beside a word ("60 Menit”")."""
_EDGE_MARKS = ".,;:" + _QUOTES
"""Punctuation a unit word carries in OCR text: the cell's end, or a quote (:data:`_QUOTES`)."""


@cache
def unit_word(token: str) -> str | None:
    """The unit ``token`` spells, allowing OCR damage ("menlt", "Harl", "jarn"), or None.
    A unit with a per-tail ("menit/berkas") is a unit too; the tail is kept by the caller."""
    word = token.lower().strip(_EDGE_MARKS)
    if not word:
        return None
    try:
        time_unit(word)
        return token.strip(_EDGE_MARKS)  # as written: "10 Menit" stays "10 Menit"
    except ValueError:
        pass
    if not word.isalpha() and not re.fullmatch(r"[a-z1l!|0]+", word):
        return None
    fixed = word.translate(_OCR_LETTERS).replace("rn", "m")
    guesses = itertools.chain(
        # "1am": the "j" of "jam" read as a "1" (a whole spelling only: "j" alone is an hour)
        (fixed, "j" + fixed[1:] if fixed[:1] == "i" and len(fixed) >= 3 else ""),
        _read_back(fixed, "n", ("ri",)),  # "han": "ri" read as one "n"
        # an "l" or an "h" read as a "t" ("butan" for "bulan")
        *(_read_back(spelt, "t", ("l", "h")) for spelt in (word, fixed) if len(word) >= _T_READ),
    )
    for guess in guesses:
        if _is_unit(guess):
            return guess
    if len(fixed) >= 4:  # one letter misread, never a longer word ("sehari" is no "hari")
        near = difflib.get_close_matches(fixed, _unit_words(), n=1, cutoff=0.75)
        if near and len(near[0]) == len(fixed):
            return near[0]
        # or its last letter lost at low resolution ("Meni", "Ment" for "Menit")
        near = difflib.get_close_matches(fixed, _unit_words(), n=1, cutoff=_CUT_UNIT)
        if near and len(near[0]) == len(fixed) + 1 and near[0][0] == fixed[0]:
            return near[0]
    return None


def _read_back(word: str, misread: str, letters: tuple[str, ...]) -> Iterator[str]:
    """``word`` with one of its ``misread`` letters put back as each of ``letters``, place by
    place from the first."""
    return (word[:k] + letter + word[k + 1 :]
            for k, ch in enumerate(word) if ch == misread for letter in letters)  # fmt: skip


def _is_unit(spelling: str) -> bool:
    try:
        time_unit(spelling)
    except ValueError:
        return False
    return True


_CUT_UNIT = 0.85
_T_READ = 4
"""A unit spelling this long may have its one "l" or "h" read as a "t" at low resolution;
a shorter one is too little to tell ("tr")."""


@cache
def _number_word(token: str) -> str | None:
    """'W' for a number written in words ("dua", "setengah"), 'V' for a whole value in one
    word ("sehari"), as the duration parser reads them; None otherwise."""
    word = token.lower()
    if not word.isalpha() or unit_word(word):
        return None
    if parse_duration(word).max_minutes is not None or _whole_value_read(word):
        return "V"
    if parse_duration(f"{word} jam").max_minutes is not None:
        return "W"
    return None


def _whole_value_read(word: str) -> str | None:
    """A value in one word whose "ri" low resolution read as one "n" ("sehan" for
    "sehari"), or whose narrow last letter it lost ("sehar"), spelt right; None for any
    other word."""
    for k in range(len(word) - 1, 0, -1):
        if word[k] == "n":
            spelt = word[:k] + "ri" + word[k + 1 :]
            if parse_duration(spelt).max_minutes is not None:
                return spelt
    if len(word) >= _WHOLE_CUT and not unit_word(word):
        for letter in _THIN_LAST:
            if parse_duration(word + letter).max_minutes is not None:
                return word + letter
    return None


_WHOLE_CUT = 5
"""A one-word value read this long may have lost its last letter; a shorter piece is too
little to tell ("sej")."""
_THIN_LAST = "ijlt"
"""The narrow letters a low resolution scan loses at a word's end (the cell's rule beside
them swallows their one stroke)."""


@dataclass(frozen=True)
class Piece:
    """One token of a row's line as a time value sees it: its class and its text."""

    kind: str  # N number, W number word, R range sign, X times, U unit, K "kerja",
    # V whole value, S a Waktu that states no time ("Segera"), . other
    text: str


def _pieces(token: str) -> list[Piece]:
    if token == "|":
        return [Piece(".", token)]
    if re.fullmatch(r"\d+(?:[.,]\d+)?|½|¼", token):
        return [Piece("N", token)]
    tail = ""
    if "/" in token and not _RANGE.match(token):  # "menit/berkas": a unit and its per-tail
        token, _, rest = token.partition("/")
        tail = "/" + rest
    if _RANGE.match(token):
        return [Piece("R", token)]
    if (signed := _SIGN_GLUED.fullmatch(token)) and (on := _pieces(signed[2])) and all(
            q.kind in "NU" for q in on) and on[0].kind == "N":
        return [Piece("R", signed[1]), *on]  # "1 -Shari": the range's "-5hari" glued
    if token.lower() in ("x", "×"):
        return [Piece("X", token)]
    if stroked := _STROKED_NUMBER.fullmatch(token):  # "TO", "T5": 10, 15; "Tx" of "1 x 24"
        one = "1" if stroked[1] else stroked[2]
        tail = stroked[3]
        if tail.lower() in ("x", "×"):
            return [Piece("N", one), Piece("X", tail)]
        return [Piece("N", one + tail.translate(_ZERO))]
    unit = unit_word(token)
    if unit:
        return [Piece("U", unit + tail)]
    glued = re.fullmatch(r"(.+?)(per)", token, re.I)  # "15 menitper dokumen"
    if glued and unit_word(glued[1]):
        return [Piece("U", f"{unit_word(glued[1])} {glued[2]}")]
    fifteen = _FIFTEEN_GLUED.fullmatch(token)  # "ISment", "Tsment": "15 menit", both digits
    if fifteen and (unit := unit_word(fifteen[1])):  # read as letters
        return [Piece("N", "15"), Piece("U", unit)]
    one = _ONE_GLUED.fullmatch(token)  # "ljam", "Ljam": the "1" of "1jam" read as a letter
    if one and unit_word(one[1]) and (one[1] == unit_word(one[1]) or len(one[1]) >= 3):
        return [Piece("N", "1"), Piece("U", unit_word(one[1]) or one[1])]  # "Than": 1 hari
    if one and (tailed := _glued_tail(one[1])):  # "Lharikera": "1harikerja", the "j" lost
        return [Piece("N", "1"), *tailed]
    if stroke := _STROKE_ONE.match(token):  # "Lminggu2", "T-5han": the same "1" before more
        out = _pieces("1" + token[stroke.end():])
        if all(q.kind != "." for q in out) and any(q.kind == "U" for q in out):
            return out
    if worded := _word_glued(token):  # "duahari", "duahan": a number word and its unit
        return worded
    if (ranged := _LETTERED_RANGE.fullmatch(token)) and (
            second := _lettered_number(ranged[3])):  # "5s.dIo": "5 s.d 10", glued
        return [Piece("N", ranged[1]), Piece("R", ranged[2]), Piece("N", second)]
    opening = _FIVE_OPENING.fullmatch(token)
    fived = _pieces("5" + opening[1]) if opening else []
    if fived and all(q.kind != "." for q in fived):
        return fived  # "S-1Omenit": "5-10 menit"
    if token.isalpha() and (whole := _whole_value_read(token.lower())):
        return [Piece("V", whole)]  # "sehar": "sehari", no "5" before "ehar"
    five = _FIVE_GLUED.fullmatch(token)  # "smenit", "Shari", "Shan": a "5" read as an "s"
    if five and (unit := unit_word(five[1])):
        return [Piece("N", "5"), Piece("U", unit if unit != five[1].lower() else five[1])]
    two = _TWO_GLUED.fullmatch(token)  # "ZHan", "Zjam": a "2" read as a "Z"
    if two and (unit := unit_word(two[1])):
        return [Piece("N", "2"), Piece("U", unit if unit != two[1].lower() else two[1])]
    if tailed := _glued_tail(token):  # "menitiberkas", "menitberkas", "harikerja"
        return tailed
    if token.lower().strip(".,") == _WORKING_WORD:
        return [Piece("K", token.strip(".,"))]
    if token.isalpha() and _working_spelt(token):  # "kera": its "j" lost
        return [Piece("K", _WORKING_WORD)]
    kind = _number_word(token)
    if kind:
        return [Piece(kind, _whole_value_read(token.lower()) or token)]
    if WAKTU_NO_TIME.match(token):
        return [Piece("S", token)]
    if re.match(r"\d", token):
        if re.search(r"[^\W\d_]", token):  # "60Menit”": a symbol's edge read as a quote
            token = token.rstrip(_QUOTES) or token
        token = re.sub(r"(?<=\d)[Oo](?=[\dOo]*(?:\D|$))", "0", token)  # "1Omenit": "O" for 0
        token = re.sub(r"(?<=\d[x×]\d)a(?=[a-z])", "4", token)  # "2x2ajam": "4" for "a"
        if token.isdigit():
            return [Piece("N", token)]  # "6O": 60
        if cut_range := re.fullmatch(r"(\d+)s", token):
            return [Piece("N", cut_range[1]), Piece("R", "s.d")]  # "5s" / "10": ".d" lost
        last_five = _LAST_FIVE.fullmatch(token)  # "1Smenit": "15 menit", its "5" an "S"
        if last_five and (unit := unit_word(last_five[2])):
            return [Piece("N", last_five[1] + "5"), Piece("U", unit)]
        if last_five and (tailed := _unit_run(last_five[2])):  # "1smenitper": a tail on too
            return [Piece("N", last_five[1] + "5"), *tailed]
    parts = _GLUED.findall(token)
    if len(parts) > 1 and re.match(r"\d", token):  # "1jam", "1-5", "2x24", "1ljam"
        stray = re.fullmatch(r"(\d+)[lI|!]([a-z]+)", token, re.I)
        if stray and unit_word(stray[2]) and not unit_word(parts[-1]):
            parts = [stray[1], stray[2]]  # "1ljam": a stray "l" between number and unit
        if (len(parts) > 1 and re.fullmatch(r"\d{2,}", parts[-2]) and parts[-2][-1] == "1"
                and not unit_word(parts[-1]) and unit_word("1" + parts[-1])):
            parts = [*parts[:-2], parts[-2][:-1], "1" + parts[-1]]  # "241am": "24" + "jam"
        out = [q for p in parts for q in _pieces(p)]
        if out[-1].kind == "." and (cut := _cut_unit(parts[-1])):
            out[-1] = Piece("U", cut)  # "1Omn": "10 mnt" with its last letter lost
        if all(q.kind != "." for q in out):
            return out
    return [Piece(".", token)]


def _unit_run(token: str) -> list[Piece] | None:
    """The pieces of a unit with what is glued after it ("menitper", "menitiberkas"), when
    the token opens with the unit and holds nothing else."""
    pieces = _pieces(token)
    return pieces if pieces[0].kind == "U" and all(q.kind != "." for q in pieces) else None


_CUT_APART = 3
"""A unit's piece standing apart after its number has at least this many letters ("60 Men")."""


def _cut_after_number(token: str, prev: str) -> list[Piece] | None:
    """A unit whose end low resolution lost, after its number ("6O Men" for "60 Menit"), or
    a three-letter unit with its middle letter misread ("10 mat" for "10 mnt")."""
    if len(token) < _CUT_APART or unit_word(token) or not (
            re.fullmatch(r"\d+[Oo]?", prev) or _number_word(prev) == "W"):
        return None  # after a digit, or a number in words ("dua har" for "dua hari")
    cut = _cut_unit(token) or _short_unit_misread(token)
    return [Piece("U", cut)] if cut else _cut_tailed(token)


def _cut_tailed(token: str) -> list[Piece] | None:
    """A unit with its last letter lost and its per-tail glued on, after a number ("2
    menivberkas", "2 meniberkas" for "2 menit/berkas"): the number before it is what lets a
    unit spelt short carry a tail (:func:`_glued_tail` wants the unit in full)."""
    if not token.isalpha() or _glued_tail(token):
        return None
    for k in range(3, 6):
        unit = unit_word(token[:k])
        if unit is None or len(unit) != k + 1:
            continue
        rest = token[k:]
        if rest[:1].lower() == unit[-1]:
            continue  # the unit whole after all ("menitkan"): :func:`_glued_tail` judged it
        for tail in (rest[1:] if rest[:1].lower() in _SLASH_LOOKS else "", rest):
            if len(tail) >= _TAIL_LETTERS and not unit_word(tail) and _per_noun(tail):
                return [Piece("U", f"{unit}/{tail}")]
    return None


_TAIL_LETTERS = 4


_SHORT_UNIT = 3


def _short_unit_misread(token: str) -> str | None:
    """The one three-letter unit spelling ("mnt", "jam", "bln", "mgg") that ``token`` spells
    with its middle letter misread: its first and last letters kept, as the narrow strokes
    between them are what low resolution blurs."""
    w = token.lower()
    if len(w) != _SHORT_UNIT or not w.isalpha():
        return None
    found = {alt for u in TIME_UNITS if u.minutes is not None for alt in u.spellings.split("|")
             if re.fullmatch(r"[a-z]{3}", alt) and alt[0] == w[0] and alt[2] == w[2]}
    return found.pop() if len(found) == 1 else None


def _cut_unit(word: str) -> str | None:
    """The unit a word glued to a number begins, its end lost ("mn" of "10mn" = "mnt"):
    only two letters or more that begin the spellings of one unit alone, of the units a due
    date is counted in (the rarer ones, "semester", are not guessed from a piece)."""
    w = word.lower()
    if len(w) < 2 or not w.isalpha():
        return None
    owners = {u.name for u in TIME_UNITS for alt in u.spellings.split("|")
              if u.minutes is not None and re.fullmatch(r"[a-z]+", alt) and alt.startswith(w)}
    if len(owners) != 1:
        return None
    unit = next(u for u in TIME_UNITS if u.name in owners)
    return next(alt for alt in unit.spellings.split("|")
                if re.fullmatch(r"[a-z]+", alt) and alt.startswith(w))


def _word_glued(token: str) -> list[Piece] | None:
    """A number in words glued to its unit ("duahari", "duahan" for "dua hari")."""
    if not token.isalpha() or len(token) < 5:
        return None
    for k in range(2, len(token) - 1):
        if _number_word(token[:k]) == "W" and (
                unit := unit_word(token[k:]) or (len(token) - k >= _CUT_APART and _cut_unit(
                    token[k:]))):  # "duahar": the unit's end lost too
            return [Piece("W", token[:k]), Piece("U", unit)]
    return None


_ONE_GLUED = re.compile(r"[lI|iLTJt]([A-Za-z][a-z]+)")
"""A unit glued to a "1" that low resolution turned into a stroke letter: "ljam", "Ljam",
"Tjam", "tjam", "ijam" (no time unit starts with one of those letters and then spells a unit)."""

_STROKE_ONE = re.compile(r"[lILTJit|](?=[-–][\dS]|[a-z]+\d)")
"""A "1" read as a stroke letter before a glued value that goes on with a range sign or
more digits ("T-5han" = "1-5 hari", "Lminggu2" = "1 minggu 2", "Tjam30"): the token is a
time value only with the "1" back."""
_STROKED_NUMBER = re.compile(r"(?:([lILTJ|])|([1-9]))([0-9O]|(?<=[lILTJ|])[x×])")
"""A two-digit number whose "1" low resolution read as a stroke letter or whose "0" as an
"O" ("TO mnt", "T5 menit", "5O menit"), or a "1" read so before the "x" of "1 x 24 jam"
("Tx 24 Jam"): one token, a letter beside a digit or a stroke beside a round letter. A number
only before a unit (:func:`find` asks for one)."""
_ZERO = str.maketrans("O", "0")
_FIVE_GLUED = re.compile(r"[Ss]([a-z]{3,})")
"""A unit glued to a "5" read as an "s" ("smenit", "1-Shari"): no word is an "s" before a
time unit spelt in full ("sehari" is "se" + "hari", a whole value read before this)."""
_TWO_GLUED = re.compile(r"[Zz]([A-Za-z][a-z]{2,})")
"""A unit glued to a "2" read as a "Z" ("ZHan" for "2Hari"): no word is a "z" before a time
unit. Only glued: a "z" standing apart is a symbol's debris as often as a number."""
_FIFTEEN_GLUED = re.compile(r"[lI|LT][Ss]([a-z]{3,})")
"""A "15" glued to its unit with both digits read as letters, a stroke and an "S" ("ISment",
"Tsment"): no word opens with a capital stroke letter and an "s" before a time unit."""
_LAST_FIVE = re.compile(r"(\d+)[Ss]([A-Za-z]{3,})")
"""A number whose last digit "5" was read as an "S", glued to its unit ("1Smenit" for
"15menit")."""
_SIGN_GLUED = re.compile(r"([-–])(\w{2,})")
"""A range sign glued to the second number and its unit ("1 -Shari", "1 -5hari")."""
_FIVE_OPENING = re.compile(r"[Ss]([-–]\d.*|s\.?/?d\.?[\dIlTOoi]{1,2})[-–—]*")
"""A range whose first number "5" was read as an "S" ("S-1Omenit", "Ssdio" or "Ssd10—" for
"5s.d10", the cell's rule read as a dash after it)."""
_LETTERED_RANGE = re.compile(r"(\d+)(s\.?/?d\.?|[-–])([A-Za-z]{1,2})")
"""A range glued whole whose second number was read as letters ("5s.dIo" = "5 s.d 10"):
the letters are read as a number only in that place (:func:`_lettered_number`)."""
_SLASH_LOOKS = "il1|!v"
"""What Tesseract makes of the thin "/" between a unit and its per-tail at low resolution."""


def _glued_tail(token: str) -> list[Piece] | None:
    """A unit glued to the word after it: its per-tail with the "/" read as a stroke letter
    or lost ("menitiberkas", "menitvberkas", "menitberkas" = "menit/berkas"), or "kerja"
    ("harikerja"). The unit is spelt in full and the tail is a word of four letters or more
    that is no unit itself. Before "kerja" the day unit may be misspelt too ("hankeja" for
    "harikerja"): the two words together leave no doubt."""
    if not re.fullmatch(r"[A-Za-z1|!]{7,}", token):
        return None
    for k in range(3, 7):
        head = token[:k]
        unit = unit_word(head)
        if unit is None or (unit != head.lower() and not head.isalpha()):
            continue
        rest = token[k:]
        for tail in (rest[1:] if rest[:1].lower() in _SLASH_LOOKS else "", rest):
            if len(tail) < 4 or unit_word(tail):
                continue
            if _working_spelt(tail) and _is_day(unit):
                return [Piece("U", unit), Piece("K", _WORKING_WORD)]
            if unit != head.lower():
                continue  # a per-tail only after a unit spelt in full
            if _per_noun(tail):
                return [Piece("U", f"{head}/{tail}")]
    return None


_WORKING_SPELT = 0.8


def _working_spelt(word: str) -> bool:
    """ "kerja" after a day unit, also with one letter lost or misread ("kera", "kenja")."""
    w = word.lower()
    return w == _WORKING_WORD or (
        len(w) >= len(_WORKING_WORD) - 1 and w[0] == _WORKING_WORD[0]
        and difflib.SequenceMatcher(None, w, _WORKING_WORD).ratio() >= _WORKING_SPELT)


_VALUE = re.compile(r"(?:(?:[NW](?:R[NW])?(?:X[NW])?U|V)K?)+|S")
"""A whole value: "1 jam 30 menit" = NUNU, "1 - 5 hari Kerja" = NRNUK, "sehari" = V."""
_OPEN = re.compile(r"(?:(?:[NW](?:R[NW])?(?:X[NW])?U|V)K?)*[NW](?:R[NW])?(?:X[NW])?")
"""A value still waiting for its unit: "1 jam 30" = NUN, "5 s.d 10" = NRN, "setengah" = W
(the narrow column wraps "setengah" / "jam")."""


@dataclass(frozen=True)
class Waktu:
    """A Waktu value found on a row's first line: its text, the token span it took, and
    whether it waits for a unit (or "kerja") from the row's wrapped lines."""

    text: str
    start: int
    end: int
    pending: str  # "" complete, "unit": ends in a number, "working": a day value, "per": a noun,
    # "word:<w>": the wrapped word <w> ends it


def find(tokens: list[str], follow: list[str]) -> Waktu | None:
    """The last time value among ``tokens`` (activities may mention times too).

    A value whose unit is missing counts only when a unit word stands in ``follow`` (the
    row's next wrapped lines): a bare number is otherwise no Waktu ("ke langkah 7").
    """
    merged, spans = _merge_no_time(tokens)
    found = _find(merged, follow)
    if found is None:
        return None
    # back to the caller's tokens: a merged "Sesuai kebutuhan" took two of them
    end = spans[found.end - 1][1] if found.end > found.start else spans[found.start][0]
    start, text = spans[found.start][0], found.text
    if (lead := _lost_one_before(tokens, start, text)) is not None:
        start, text = start - 1, f"1 {lead} {text}"
    return Waktu(text, start, end, found.pending)


def _lost_one_before(tokens: list[str], start: int, text: str) -> str | None:
    """The unit of a compound value's first part whose "1" was lost ("CI jam 30 menit" for
    "1 jam 30 menit", the thin "1" read as a symbol's edge): a unit word alone right before
    the value, after no number, and a larger unit than the value's (a compound runs from
    the larger unit to the smaller). The unit opens its cell: a rule or a remnant before it,
    or its capital ("setiap hari 2 jam" is the activity's time and then the Waktu)."""
    if start < 1 or not tokens[start - 1].isalpha() or not (
            start == 1 or tokens[start - 2] == "|" or tokens[start - 1][:1].isupper()):
        return None
    unit = unit_word(tokens[start - 1])
    if unit is None or (start >= 2 and any(p.kind in "NWRX" for p in _pieces(tokens[start - 2]))):
        return None
    lead, value = parse_duration(f"1 {unit}").max_minutes, parse_duration(text).max_minutes
    if lead is not None and value is None and text.isdigit():
        return unit  # "minggu 2" / "hari": the smaller unit wrapped (the caller waits for it)
    return unit if lead is not None and value is not None and lead > value else None


def _find(tokens: list[str], follow: list[str]) -> Waktu | None:
    # a "5" read as an "S" on its own before a unit ("1- S hari Kerja", "S hari"), or glued
    # to the range sign before it ("1 -S hari", "1-S hari")
    after = [*tokens[1:], ""] if tokens else []
    before = ["", *tokens[:-1]] if tokens else []
    pieces: list[list[Piece]] = []
    for t, nxt, prev in zip(tokens, after, before, strict=True):
        if pieces and pieces[-1] and pieces[-1][-1].kind in "RX" and (
                number := _lettered_number(t)):
            pieces.append([Piece("N", number)])  # "5sd Io": the range's "10" as letters
            continue
        pieces.append(_five_before_unit(t, nxt) or _edged_number(t, nxt) or _stroke_one(t, prev)
                      or _cut_after_number(t, prev) or _pieces(t))
    kinds = "".join(p.kind for ps in pieces for p in ps)
    owner = [i for i, ps in enumerate(pieces) for _ in ps]
    texts = [p.text for ps in pieces for p in ps]
    # "5s 10": the "s.d" of a range with its ".d" lost, an "s" between two numbers
    kinds = re.sub(r"(?<=[NW])\.(?=[NW])", lambda m: "R" if texts[m.start()].lower() == "s"
                   else ".", kinds)
    texts = [("s.d" if k == "R" and t.lower() == "s" else t) for k, t in zip(kinds, texts,
                                                                          strict=True)]
    texts = _lost_ranges(kinds, texts)
    best = None
    for m in _VALUE.finditer(kinds):
        best = m
    open_run = None
    for m in _OPEN.finditer(kinds):
        if (best is None or m.start() >= best.start()) and (
            m.end() == len(kinds) or kinds[m.end()] not in "URXK"
        ) and not _counted_noun(m.group(), tokens, owner[m.start()]) and not _step_number(
                tokens, owner[m.start()]):
            open_run = m
    if (
        open_run is not None
        and (best is None or open_run.end() > best.end())
        and any(_unit_piece(w) for w in follow)
    ):
        return Waktu(_join(texts[open_run.start() : open_run.end()]),
                     owner[open_run.start()], owner[open_run.end() - 1] + 1, "unit")
    if best is not None and (smaller := _glued_compound(kinds, texts, owner, best.end())):
        return Waktu(f"{_join(texts[best.start() : best.end() + 1])} {smaller}",
                     owner[best.start()], owner[best.end()] + 1, "")
    if best is None:
        return _no_time_opening(tokens, follow)
    last = texts[best.end() - 1]
    text, end = _join(texts[best.start() : best.end()]), owner[best.end() - 1] + 1
    if end < len(tokens) and tokens[end].lower() == _PER:
        text, end = f"{text} {tokens[end]}", end + 1  # "15 menit per" / "dokumen"
    if text.lower().endswith(f" {_PER}"):
        return Waktu(text, owner[best.start()], end, _PER)
    return Waktu(text, owner[best.start()], end, "working" if _is_day(last) else "")


_HOUR = 60
_HALF_HOUR = 30
_HALF_HOURS_WRITTEN = 240
"""Minutes up to which an author may count half hours in minutes ("90 menit", "150 menit");
beyond it a half-hour count is written in hours ("5,5 jam"), never "330 menit"."""


def _lost_ranges(kinds: str, texts: list[str]) -> list[str]:
    """``texts`` with each count of minutes that no author writes read as the range it was
    ("110 mnt" = "1-10 mnt", "510 menit" = "5-10 menit"): at low resolution the range's sign
    is lost, or the cell's rule is read as a "1" glued before the number. Three digits whose
    first is less than the other two, no whole count of hours, and no half hour an author
    counts in minutes. As a range its largest value is the last two digits, whichever it
    was."""
    out = list(texts)
    for i in range(len(kinds) - 1):
        if kinds[i : i + 2] != "NU" or (i and kinds[i - 1] in "RX"):
            continue
        number, unit = texts[i], texts[i + 1].split("/")[0]
        if not re.fullmatch(r"[1-9][1-9]\d", number) or _unit_name(unit) != "minute":
            continue
        value, first, rest = int(number), int(number[0]), int(number[1:])
        half_hours = value % _HALF_HOUR == 0 and value <= _HALF_HOURS_WRITTEN
        if first < rest and value % _HOUR and not half_hours:
            out[i] = f"{first}-{rest}"
    for i in range(len(kinds) - 2):  # "5 - 0 menit": a range cannot fall, its "1" was lost
        if kinds[i : i + 3] == "NRN" and texts[i].isdigit() and texts[i + 2].isdigit() and (
                int(texts[i + 2]) < int(texts[i]) < int("1" + texts[i + 2])):
            out[i + 2] = "1" + texts[i + 2]
    return out


def _glued_compound(kinds: str, texts: list[str], owner: list[int], end: int) -> str | None:
    """The unit of a compound value's last number, lost at low resolution, when that number
    is glued to the unit before it ("1jam30" = "1 jam 30 menit", "Lminggu2" = "1 minggu 2
    hari"): the next smaller unit, of which the number is less than one of the larger. Only
    glued: a number standing apart after a value may be a remnant of anything."""
    if end < 2 or kinds[end - 1 : end + 1] != "UN" or owner[end] != owner[end - 1] or (
            kinds[end + 1 : end + 2] == "U"):
        return None
    counted = [u for u in TIME_UNITS if u.minutes is not None]
    larger = next((k for k, u in enumerate(counted) if u.name == _unit_name(
        texts[end - 1].split("/")[0])), None)
    number = texts[end]
    if not larger or not number.isdigit():
        return None
    smaller = counted[larger - 1]
    if int(number) * (smaller.minutes or 0) >= (counted[larger].minutes or 0):
        return None
    return next(alt for alt in smaller.spellings.split("|") if re.fullmatch(r"[a-z]+", alt))


def _unit_name(unit: str) -> str | None:
    try:
        return time_unit(unit).name
    except ValueError:
        return None


def lone_unit(tokens: list[str]) -> Waktu | None:
    """A time unit standing alone where the Waktu cell is, its number lost: a thin "1"
    glued to the unit ("1jam", "1hari") is what low resolution drops whole, and no Waktu
    cell states a unit without its number. The unit stands between two cells: after some
    word that is no number, and before a rule, the line's end or a Capitalised cell (a
    unit in running text goes on in lower case: "pada jam kerja"); never inside the
    Keterangan ("Paling lambat hari Jumat"). Read as "1 <unit>"."""
    for i in range(1, len(tokens)):
        word, prev = tokens[i], tokens[i - 1]
        if prev[:1].isupper() and prev.strip(_EDGE_MARKS).lower() in NOTES_OPENERS:
            return None  # the Keterangan has started: what follows is a remark
        if not word.isalpha() or unit_word(word) is None:
            continue
        if all(p.kind in "NWRX" for p in _pieces(prev)):
            continue  # a number (or its sign) before it: a whole value, or none
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        unit = unit_word(word) or word  # "Han": "hari", as the duration parser reads it
        if nxt.lower() == _WORKING_WORD and _is_day(unit):
            return Waktu(f"1 {unit} {nxt}", i, i + 2, "")
        if nxt in ("", "|") or (nxt[:1].isupper() and not unit_word(nxt)):
            return Waktu(f"1 {unit}", i, i + 1, "working" if _is_day(unit) else "")
    return None


_STROKE_ONES = ("T", "I", "l", "L")
"""A lone "1" as low resolution reads it: a stroke letter standing alone before a unit."""
_STROKED_FIFTEEN = re.compile(r"[lILTJ|][Ss]")
"""A "15" with both digits read as letters, a stroke and an "S" ("TS menit"), standing apart
from its unit: a number only right before a unit word."""
_FIVE_AFTER_RANGE = re.compile(r"(\d*\s*[-–])[Ss]")
"""A range's second number "5" read as an "S" and glued to the range sign ("-S", "1-S")."""


def _five_before_unit(token: str, nxt: str) -> list[Piece] | None:
    """The pieces of a token whose "5" Tesseract read as an "S" before a unit word: a lone
    "S" ("S hari") or one glued to the range sign before it ("1 -S hari"); None otherwise.
    Only before a unit: an "S" is a letter anywhere else."""
    if not _unit_piece(nxt):
        return None
    if token in ("S", "s"):
        return [Piece("N", "5")]
    if token in _STROKE_ONES:  # "T minggu 2": a "1" read as a stroke letter on its own
        return [Piece("N", "1")]
    if _STROKED_FIFTEEN.fullmatch(token):  # "TS ment": both digits of "15" read as letters
        return [Piece("N", "15")]
    if stroke := _STROKE_ONE.match(token):  # "T-5 han": the range's "1" as a stroke letter
        ranged = _pieces("1" + token[stroke.end() :])
        if len(ranged) > 1 and all(q.kind in "NR" for q in ranged):
            return ranged
    glued = _FIVE_AFTER_RANGE.fullmatch(token)
    if glued is None:
        return None
    head = _pieces(glued[1]) if re.match(r"\d", glued[1]) else [Piece("R", glued[1])]
    if any(p.kind not in "NR" for p in head):
        return None
    return [*head, Piece("N", "5")]


_EDGED_NUMBER = re.compile(r"[J\[(]([1-9])")


def _edged_number(token: str, nxt: str) -> list[Piece] | None:
    """A one-digit number with the cell's left edge glued before it as a hook or a bracket
    ("J1 hari kerja", "[2 jam"): the number, only before a unit word. (A stroke that looks
    like a "1", "l2", may be the number's own first digit, and is left alone.)"""
    glued = _EDGED_NUMBER.fullmatch(token)
    return [Piece("N", glued[1])] if glued and _unit_piece(nxt) else None


_STROKE_MARK = re.compile(r"[“”\"'‘’`]([^\W\d_]{2,})")


def _stroke_one(token: str, prev: str) -> list[Piece] | None:
    """A "1" read as a quote mark glued to its unit ("“hari kerja" for "1 hari kerja"): the
    thin digit is what low resolution turns into a stroke; only where no number stands
    before the unit already."""
    glued = _STROKE_MARK.fullmatch(token)
    if glued is None or unit_word(glued[1]) is None or re.search(r"\d", prev):
        return None
    return [Piece("N", "1"), Piece("U", unit_word(glued[1]) or glued[1])]


_LETTER_DIGITS = {"I": "1", "l": "1", "i": "1", "T": "1", "O": "0", "o": "0"}
"""Letters a small number is read as: strokes for "1", rings for "0"."""


def _lettered_number(token: str) -> str | None:
    """A number of one or two digits read as letters ("Io" for 10), which only after a range
    sign or the "x" of "1 x 24" is taken for one."""
    if not 0 < len(token) <= 2 or any(ch not in _LETTER_DIGITS for ch in token):
        return None
    number = "".join(_LETTER_DIGITS[ch] for ch in token)
    return number if number[0] != "0" else None


def lettered_after_range(prev: str, token: str) -> bool:
    """Whether ``token`` is a number read as letters right after a range sign or a time
    value that ends with one ("5sd" "Io"): the range's second number, no remnant."""
    ps = _pieces(prev)
    return bool(ps) and ps[-1].kind in "RX" and _lettered_number(token) is not None


def five_read(token: str, nxt: str) -> bool:
    """Whether ``token`` holds a "5" read as an "S" before the unit word ``nxt``."""
    return _five_before_unit(token, nxt) is not None


def _counted_noun(run: str, tokens: list[str], first: int) -> bool:
    """A number word after a Keterangan's opening word counts copies ("Rangkap dua"), and
    is no Waktu waiting for its unit."""
    return run == "W" and first > 0 and tokens[first - 1].lower() in NOTES_OPENERS


def _step_number(tokens: list[str], first: int) -> bool:
    """A number that names the step the work goes to ("diteruskan ke langkah 15"), no Waktu
    waiting for its unit on the next line. Only after "ke": "usulan kegiatan 5 s.d 10" /
    "menit" is a Waktu after an activity's last word."""
    return first > 1 and tokens[first - 2].lower() == "ke" and bool(STEP_REFERENCE.fullmatch(
        f"{tokens[first - 1].lower()} {tokens[first].strip(',.;:')}"))


def _no_time_opening(tokens: list[str], follow: list[str]) -> Waktu | None:
    """A Waktu in words that states no time, its second word wrapped ("Sesuai" /
    "kebutuhan"): the first word here, the rest among the wrapped words."""
    for i in range(len(tokens) - 1, -1, -1):
        for w in follow:
            if WAKTU_NO_TIME.match(f"{tokens[i]} {w}"):
                return Waktu(tokens[i], i, i + 1, f"word:{w}")
            if mended := _no_time_head(tokens[i], w):
                return Waktu(mended, i, i + 1, f"word:{w}")
    return None


_HEAD_LETTERS = 4
"""A no-time phrase's first word this long may be mended by its last letter; a shorter one
is too little to tell."""


@cache
def _no_time_head(head: str, word: str) -> str | None:
    """``head`` mended, when it and ``word`` name a whole no-time Waktu
    (:data:`WAKTU_NO_TIME`) with ``head``'s last letter misread or lost at low resolution
    ("Sesuar kebutuhan", "Sesua" / "kebutuhan"): the cell's rule beside a word's end blurs
    its last letter, and the second word, read whole, tells which phrase it is."""
    if len(head) < _HEAD_LETTERS or not head.isalpha() or not word.isalpha():
        return None
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for mended in (head[:-1] + letter, head + letter):
            if WAKTU_NO_TIME.match(f"{mended} {word}"):
                return mended
    return None


def _merge_no_time(tokens: list[str]) -> tuple[list[str], list[tuple[int, int]]]:
    """ "Sesuai" "kebutuhan" → one token, as :data:`WAKTU_NO_TIME` names the whole cell;
    with the span of the caller's tokens each merged token stands for."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for i, t in enumerate(tokens):
        if out and WAKTU_NO_TIME.match(f"{out[-1]} {t}"):
            out[-1] = f"{out[-1]} {t}"
            spans[-1] = (spans[-1][0], i + 1)
        elif out and spans[-1][1] - spans[-1][0] == 1 and (mended := _no_time_head(out[-1], t)):
            out[-1] = f"{mended} {t}"
            spans[-1] = (spans[-1][0], i + 1)
        else:
            out.append(t)
            spans.append((i, i + 1))
    return out, spans


def _unit_piece(word: str) -> bool:
    ps = _pieces(word)
    return len(ps) == 1 and ps[0].kind == "U"


def timeish(token: str) -> bool:
    """Whether every piece of ``token`` belongs to a time value ("1-5", "s.d", "2x24"): such
    a token is no symbol remnant, however much punctuation it has."""
    pieces = _pieces(token)
    return bool(re.search(r"[^\W_]", token)) and all(p.kind != "." for p in pieces) and any(
        p.kind in "NRUV" for p in pieces)


def _is_day(unit: str) -> bool:
    try:
        return time_unit(unit.split("/")[0]).name == "day" and _WORKING_WORD not in unit
    except ValueError:
        return False


_PER = "per"
"""The word before the thing a time is counted for ("15 menit per dokumen"): that noun often
wraps onto the next line of the narrow Waktu column."""


def _per_noun(word: str) -> bool:
    """A word that can end "… per": a lower-case noun, not a verb or a clause word."""
    return bool(re.fullmatch(r"[a-z]{3,}", word)) and not is_verb(word) and (
        word not in CLAUSE_WORDS)


def _join(texts: list[str]) -> str:
    return re.sub(r"\s+([/])", r"\1", " ".join(texts))


def complete(
    waktu: str, pending: str, words: list[str], running: Callable[[str, str], bool] | None = None
) -> tuple[str, list[str], str]:
    """Finish a pending Waktu from a wrapped line's ``words``: (waktu, words left, pending).

    A value waiting for its unit takes the first unit word of the line ("menit",
    "menit/berkas"); a day value takes a "kerja" that stands as the line's first word or
    Capitalised ("Kerja"), the way the narrow column wraps it. Given ``running`` (whether
    the document's running text writes two words one after the other), it takes a
    lower-case "kerja" inside the line too, after a word the running text never writes
    before it ("peraturan kerja", not "rencana kerja"): the Waktu's column stands between
    the activity's wrapped words and the Output's, so a "|" marks where it was.
    """
    if pending == "unit":
        for i, w in enumerate(words):
            if _unit_piece(w):
                unit = _pieces(w)[0].text
                rest = words[:i] + words[i + 1 :]
                return f"{waktu} {unit}", rest, "working" if _is_day(unit) else ""
        return waktu, words, pending
    if pending.startswith("word:"):
        word = pending.partition(":")[2]
        if word in words:
            i = words.index(word)
            return f"{waktu} {word}", words[:i] + words[i + 1 :], ""
        return waktu, words, pending
    if pending == _PER:
        for i in range(len(words) - 1, -1, -1):
            # a unit word is the Keterangan's wrapped end ("Paling lambat" / "hari Jumat"):
            # a time is counted per thing, not per time
            if _per_noun(words[i]) and not unit_word(words[i]):
                return f"{waktu} {words[i]}", words[:i] + words[i + 1 :], ""
        return waktu, words, pending
    if pending == "working":
        for i, w in enumerate(words):
            if w.strip(".,").lower() == _WORKING_WORD and (i == 0 or w[:1].isupper()):
                return f"{waktu} {w.strip('.,')}", words[:i] + words[i + 1 :], ""
        for i, w in enumerate(words[1:], 1):
            prev = words[i - 1]
            if (running is not None and w.strip(".,") == _WORKING_WORD and prev.islower()
                    and not running(prev, w)):
                return f"{waktu} {_WORKING_WORD}", [*words[:i], "|", *words[i + 1 :]], ""
    return waktu, words, ""


def extend(waktu: str, words: list[str]) -> tuple[str, list[str], str]:
    """Go on with a whole Waktu on the next line of its cell: ``words`` that open with a
    further time value ("1 minggu" / "2 hari") or with "per" and its noun ("15 menit" /
    "per dokumen", or "per" alone, its noun on the line after). Returns (waktu, words left,
    what it still waits for, as :func:`complete` takes it)."""
    if words and words[0].lower() == _PER:
        if len(words) == 1:
            return f"{waktu} {words[0]}", [], _PER
        if _per_noun(words[1]):
            return f"{waktu} {words[0]} {words[1]}", words[2:], ""
    found = find(words, [])
    if found is None or found.start != 0 or found.pending not in ("", "working"):
        return waktu, words, ""
    return f"{waktu} {found.text}", words[found.end :], ""


__all__ = ["Waktu", "complete", "extend", "find", "five_read", "lettered_after_range", "lone_unit",
           "timeish", "unit_word"]
