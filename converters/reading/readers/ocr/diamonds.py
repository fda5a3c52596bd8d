"""A decision's yes/no labels in OCR text, given to the checking step they stand beside.

A diamond in a real SOP table is drawn with its labels ("Ya" / "Tidak", "Y" / "T", "Sudah
Benar" / "Belum Benar") at the ends of its arrows, and OCR reads them wherever their line
falls: in the diamond's row, or on a wrapped line of the row above or below ("Memeriksa data
... Tidak", then "Ya" alone on the next row's line, or "ya" in lower case inside it). The
activity seldom says its condition in words, so these labels are the only trace of the
decision. A yes and a no label within one row of a step that checks work ("Memeriksa",
"Verifikasi", "Pemeriksaan") or that holds the diamond's question (a word ending in "?", read
among the row's cells) are that step's diamond; they go to its marks without a column (OCR
keeps none), where inference reads decisions from, never as role evidence. Labels near no such
step stay unplaced: a stray "T" is more often a symbol remnant or a cell's letter than a
branch.

A step whose activity states its decision in words ("jika sesuai ...", "jika lengkap ...,
jika tidak ...") is left to inference's reading of the text, and the labels beside it are its
own: they are not given to a checking step next to it; in such a document the lone letters "Y"
and "T" are no labels at all. A condition that names no branch ("jika ditemukan barang rusak")
only says when the step happens, and leaves the labels beside it free.
"""

from __future__ import annotations

import dataclasses
import re

from converters.reading.evidence import states_decision
from converters.reading.raw import UNPLACED, RawRow
from converters.reading.readers.ocr.rows import Row
from converters.reading.readers.ocr.words import drop_labels, spelt_label
from converters.reading.vocabulary import (
    CONNECTOR_LETTERS,
    NO_LABELS,
    YES_LABELS,
    answer_label,
    checks_work,
    diamond_row_rank,
    is_verb,
)

_YES = frozenset({"Ya", "YA", "Y", "ya"})
"""Yes labels as a word of their own. "ya" is no word of an activity's formal sentences, so
in lower case too it is the label (OCR reads a small "Ya" so)."""
_NO = frozenset({"Tidak", "TIDAK", "T"})
_NO_WORD = "tidak"
"""A Capitalised word that is "Tidak" with one letter misread ("Tidat", "Tiddk") is the no
label: no activity or cell writes "Tidak" Capitalised inside a line. Only one letter: a
longer word near it ("Tindak lanjut") is a cell's."""
_ANSWERED = {"Sudah": "yes", "Belum": "no"}
"""A Capitalised "Sudah" / "Belum" before a yes word ("Sudah Benar", "Belum Benar"): a label
pair; in running text both are lower-case."""
_EDGE = "-—–»«>|.,:;'\""
_QUESTION = re.compile(r"[A-Za-z]{2,}\?$")
_REACH = 1  # rows above and below a checking step whose labels it may take
_ASKED = re.compile(r"^[A-Z][\w-]*(?: [\w-]+){0,3}\?$")
"""A line that is a diamond's question alone ("Sesuai?", "Data lengkap?")."""


def place_labels(rows: list[Row], raws: list[RawRow], lines: list[str] | None = None,
                 pages: list[int] | None = None) -> None:
    """Give each checking step the yes and no labels read in its row or the rows beside it.

    Each label is given once, to the nearest checking step; the steps that state their
    decision in words take the labels beside them first (see the module docstring).
    ``lines`` and ``pages`` (the text's lines and the line each page starts at) tell where
    pages end: a viewer's copy gathers a page's drawing there (:func:`_place_gathered`)."""
    worded = [states_decision(raw.activity) for raw in raws]
    if not any(worded) and lines is not None and pages is not None:
        rows = _place_gathered(rows, raws, _page_ends(lines, pages))
    found = [_labels(r, letters=not any(worded)) for r in rows]
    leading = [_leading(r) for r in rows]
    for (yes_found, no_found), (yes_lead, no_lead) in zip(found, leading, strict=True):
        yes_found.extend(yes_lead)
        no_found.extend(no_lead)
    # a row's answers with the one read at the start of the next row (see _leading)
    after = [*leading[1:], ([], [])]
    between = [(f[0] + a[0], f[1] + a[1]) for f, a in zip(found, after, strict=True)]
    used: set[tuple[int, str]] = set()
    for i in (i for i, w in enumerate(worded) if w):
        used.update((j, kind) for j in _near(i, len(rows)) for kind in ("yes", "no"))
    # a checking step first, one with both answers in its own row before one with one of
    # them, and that before the others (the diamond stands there: a neighbour's answer it
    # would take is the other step's own), and among equals the one that holds the
    # diamond's question; a row that only holds both answers last: they may be a
    # neighbour's
    asking = [
        not worded[i] and (checks_work(raw.activity) or _asks(rows[i]))
        for i, raw in enumerate(raws)
    ]
    checking = sorted(
        (i for i in range(len(raws)) if asking[i] or (not worded[i] and _answered(*between[i]))),
        key=lambda i: (not asking[i], -(bool(found[i][0]) + bool(found[i][1])),
                       not _asks(rows[i])),
    )
    for i in checking:
        raw = raws[i]
        if raw.marks:
            continue
        yes = _nearest(
            i, [(j, w) for j in _near(i, len(rows)) for w in found[j][0] if (j, "yes") not in used]
        )
        no = _nearest(
            i, [(j, w) for j in _near(i, len(rows)) for w in found[j][1] if (j, "no") not in used]
        )
        if yes is None or no is None:
            continue
        used.update({(yes[0], "yes"), (no[0], "no")})
        raw.marks[UNPLACED] = f"{_label(yes[1])}\n{no[1]}"
        for at, word in (yes, no):
            opening = f"{word} "
            if word in (*leading[at][0], *leading[at][1]) and raws[at].activity.startswith(opening):
                raws[at].activity = raws[at].activity[len(opening) :]  # a label, no activity
    for i in checking:
        if asking[i] and not raws[i].marks:
            _one_answer(i, rows[i], raws[i], found[i], used)


def _one_answer(i: int, row: Row, raw: RawRow, found: tuple[list[str], list[str]],
                used: set[tuple[int, str]]) -> None:
    """A checking step whose own row keeps one answer of its diamond, the other lost to
    the arrow drawn through it or to the diamond's edge ("Memeriksa ... // Lengkap? // Ya"):
    its decision. The question stays out of the marks: inference would take it for the
    diamond's own row and lend it a neighbour's answers, the next step's own. Taken after
    every step with both answers has taken them, and only from the step's own row: a
    neighbour's lone answer is that neighbour's. A lone letter is an answer only beside the
    question: alone, it is as often what OCR makes of a symbol's outline or an arrow's
    junction."""
    sides = [(kind, words) for kind, words in zip(("yes", "no"), found, strict=True)
             if words and (i, kind) not in used]
    if len(sides) != 1:
        return
    kind, words = sides[0]
    word = next((w for w in words if len(w) > 1 or _asks(row)), None)
    if word is None:
        return
    used.add((i, kind))
    raw.marks[UNPLACED] = _label(word)


def _near(i: int, n: int) -> list[int]:
    """Row ``i`` and the rows within reach of it, nearest first."""
    return sorted(range(max(0, i - _REACH), min(n, i + _REACH + 1)), key=lambda j: abs(j - i))


def _nearest(i: int, labels: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The label a step at row ``i`` takes: a word before a lone letter (an arrow's junction
    may be read "Y" beside a "ya" read small), then the nearest."""
    return min(labels, key=lambda x: (len(x[1]) == 1, abs(x[0] - i)), default=None)


def _label(word: str) -> str:
    """A label as the diamond writes it: a lower-case "ya" read small is "Ya"."""
    return word[:1].upper() + word[1:] if word.islower() else word


def _lines(row: Row) -> list[str]:
    return [row.first, *(text for _, text in row.rest)]


def _asks(row: Row) -> bool:
    """The row holds the diamond's question: a word ending in "?" among its cells (OCR reads
    the words inside the diamond where they fall on the row's lines)."""
    return any(_QUESTION.search(w.strip(_EDGE)) for line in _lines(row) for w in line.split())


def _one_letter_off(word: str, label: str) -> bool:
    return len(word) == len(label) and sum(a != b for a, b in zip(word, label, strict=True)) == 1


def _answered(yes: list[str], no: list[str]) -> bool:
    """Both answers in the row's own lines, one of them a word ("Tidak" and "Ada", not the
    letters "Y" and "T" a symbol's outline may leave): the diamond stands in this row, a
    question in its activity or not ("Selesai melakukan identifikasi")."""
    return bool(yes) and bool(no) and any(len(w) > 1 for w in [*yes, *no])


def _leading(row: Row) -> tuple[list[str], list[str]]:
    """A Capitalised answer word that opens the row's first line before its Capitalised verb
    ("Ada Mengisi informasi ..."): the label of the arrow that leaves the diamond above
    downwards, read on a line of its own between the rows and joined to the next row's first
    line. No activity opens with an answer before its verb."""
    words = [w.strip(_EDGE) for w in row.first.split()[:2]]
    if len(words) < 2 or len(words[0]) < 2 or not words[0][:1].isupper():
        return [], []
    if not (words[1][:1].isupper() and is_verb(words[1].lower())):
        return [], []
    label = words[0].lower()
    if label in YES_LABELS:
        return [words[0]], []
    if label in NO_LABELS:
        return [], [words[0]]
    return [], []


def _answer_line(line: str) -> str | None:
    """The answer a wrapped line of nothing but one label stands for, however OCR
    misspelt it ("Tigak lengkap", "Tiddk setuju", "(Tidak", "N Ada" with an arrow's
    tip beside it): the label spelt right, or None. The first line is the activity's: a
    label there is read word by word (:func:`_labels`). A question is no answer."""
    words = [w.strip(_EDGE + "()") for w in line.split()]
    words = [w for w in words if len(w) > 1]  # a lone letter: an arrow's tip or a rule
    if not words or not words[0][:1].isupper() or any(w.endswith("?") for w in words):
        return None
    if drop_labels(words):
        return None
    spelt = [spelt_label(w) for w in words]
    if not all(spelt):
        return None
    kept = [w if w.lower() == x else x for w, x in zip(words, spelt, strict=True)]
    answer = " ".join([kept[0][:1].upper() + kept[0][1:], *kept[1:]])  # its words as written
    return answer if answer_label(answer) else None


def _labels(row: Row, letters: bool = True) -> tuple[list[str], list[str]]:
    """The yes and the no labels standing as words of their own in the row's lines, and the
    lines that hold nothing but a label ("Ada"). ``letters``: "Y" and "T" count too; a
    document that states its decisions in words labels its diamonds in words as well, and
    its lone letters are what OCR makes of the symbols' outlines."""
    yes: list[str] = []
    no: list[str] = []
    for at, line in enumerate(_lines(row)):
        alone = line.strip(_EDGE + " ")
        if alone[:1].isupper() and alone.lower() in YES_LABELS | NO_LABELS:
            (yes if alone.lower() in YES_LABELS else no).append(alone)
            continue
        answer = _answer_line(line) if at else None
        if answer is not None:
            (yes if answer_label(answer) == "yes" else no).append(answer)
            continue
        words = [raw.strip(_EDGE) for raw in line.split()]
        for k, w in enumerate(words):
            after = words[k + 1] if k + 1 < len(words) else ""
            if w in _ANSWERED and after[:1].isupper() and after.lower() in YES_LABELS:
                (yes if _ANSWERED[w] == "yes" else no).append(f"{w} {after}")
            elif len(w) == 1 and not letters:
                continue
            elif w in _YES:
                yes.append(w)
            elif w in _NO:
                no.append(w)
            elif w.istitle() and _one_letter_off(w.lower(), _NO_WORD):
                no.append(_NO_WORD.capitalize())  # "Tidat", "Tidal": the no label misspelt
    return yes, no


def _page_ends(lines: list[str], pages: list[int]) -> set[int]:
    """The index of each page's last line with text (of the text's last page too)."""
    ends: set[int] = set()
    for start, stop in zip(pages, [*pages[1:], len(lines)], strict=True):
        filled = [i for i in range(start, stop) if lines[i].strip()]
        if filled:
            ends.add(filled[-1])
    return ends


def _place_gathered(rows: list[Row], raws: list[RawRow], ends: set[int]) -> list[Row]:
    """A viewer's copy (``pdftotext -raw``) writes a page's flowchart texts after the page's
    last row, all together: the questions, the connectors' letters, then the label pairs in
    the order of their diamonds ("Lengkap?" / "A" / "Lengkap" / "Tidak lengkap" / "Setuju" /
    "Tidak setuju"). The row they follow is only the page's last, so reading them as that
    row's labels (or the next's) invents a decision there and misses the diamonds'. Such a
    run of whole lines, each a question, connector letters or a label, with a yes and a no
    label among them, that ends a row's lines and its page (``ends``: the index of each
    page's last line; OCR reads labels where they stand, and a run of them inside a page is
    the diamond's beside it) is the page's gathered drawing: its pairs go to the checking
    steps of the rows it closes (see :func:`_page_checks`), in row order, and the run is
    taken out of the row. Returns the rows without their runs."""
    out: list[Row] = []
    start = 0
    for i, row in enumerate(rows):
        cut = _gathered_from(row)
        if cut is None or row.rest[-1][0] - 1 not in ends:  # a Row counts lines from 1
            out.append(row)
            continue
        run = [text for _, text in row.rest[cut:]]
        pairs = _gathered_pairs(run)
        steps = _page_checks(raws[start : i + 1], len(pairs))
        for raw, (yes, no) in zip(steps, pairs, strict=False):
            raw.marks[UNPLACED] = f"{yes}\n{no}"
        out.append(dataclasses.replace(row, rest=row.rest[:cut]))
        start = i + 1
    return out


def _gathered_from(row: Row) -> int | None:
    """Where the row's closing run of gathered drawing texts starts among its wrapped
    lines, or None when its lines end with no such run (see :func:`_place_gathered`)."""
    cut = len(row.rest)
    while cut > 0 and _drawing_text(row.rest[cut - 1][1]):
        cut -= 1
    kinds = [k for k in (answer_label(text) for _, text in row.rest[cut:]) if k]
    # the copy writes the labels in the drawing's order, a diamond's yes arrow's first
    # (OCR reads them by height: the no label, level with the diamond, before the yes
    # below it), and with the page's other drawing texts, a question or connector letters,
    # or a second diamond's labels (a lone pair at a page's end is as often OCR's reading
    # of the diamond beside the last row)
    shapes = len(row.rest) - cut > len(kinds) or len(kinds) > 2
    return cut if kinds[:1] == ["yes"] and "no" in kinds and shapes else None


def _drawing_text(line: str) -> bool:
    """A line that is one of the flowchart's own texts: a question, connector letters, a
    capitalised branch label."""
    text = line.strip()
    return bool(
        _ASKED.match(text) or CONNECTOR_LETTERS.match(text)
        or (text[:1].isupper() and answer_label(text) is not None)
    )


def _gathered_pairs(run: list[str]) -> list[tuple[str, str]]:
    """The run's yes and no labels paired in their order: each diamond's yes label comes
    before its no label, whether the pairs stand one after the other or all yes labels
    first ("Ada" / "Ada" / "Tidak" / "Tidak")."""
    yes = [t.strip() for t in run if answer_label(t) == "yes"]
    no = [t.strip() for t in run if answer_label(t) == "no"]
    return list(zip(yes, no, strict=False))


def _page_checks(raws: list[RawRow], wanted: int) -> list[RawRow]:
    """The ``wanted`` steps among a page's rows that a gathered run's label pairs belong
    to, in row order: checking steps, the plainest first (a diamond's row names what is
    checked, "Memeriksa berkas", and hands nothing on: its arrows say where the work goes)."""
    checks = [r for r in raws if not r.marks and checks_work(r.activity)]
    best = sorted(checks, key=_plainness)[:wanted]
    return [r for r in raws if any(r is b for b in best)]


def _plainness(raw: RawRow) -> tuple[bool, bool, int]:
    """A checking step's rank as a diamond's row, best first: it hands nothing on, it opens
    with its checking verb, and it says least (the diamond asks the rest: a row that goes on
    to say how or why, "... melalui aplikasi", "... sesuai dengan ketentuan", checks in
    words and goes on without a question)."""
    return (*diamond_row_rank(raw.activity), len(raw.activity.split()))
