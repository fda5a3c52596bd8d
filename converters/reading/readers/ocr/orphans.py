"""A row's wrapped activity lines that Tesseract's page mode read out of their place.

In its automatic page mode (``--psm 3``) Tesseract cuts a page into blocks and may read one
block of a tall row apart from the rest: the end of a decision's activity ("lengkap
diteruskan kepada Kepala Sub / Bagian Program, jika tidak lengkap / dikembalikan kepada
Pelaksana untuk / diperbaiki", with the diamond's labels) comes out at the top of the page,
above the page's table header, and the row is left stopping in the middle of its sentence
("Memeriksa berkas permohonan: jika"). Nothing above a table header is running text in lower
case (the identity block and the sections are Capitalised names and items), and an activity
never ends on a word that asks for more ("jika", "kepada", "diteruskan"): such a block is
given back to the row of the same page that stops so, after its own lines; failing such a
row, to one that stops where no sentence ends (:func:`cut_short`: on a comma, on a condition
with no verb after it, or on either before a lower-case piece of a cell its line took).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from converters.reading.raw import RawRow
from converters.reading.readers.ocr.pretable import is_section_heading
from converters.reading.readers.ocr.rows import Row, loose_start
from converters.reading.readers.ocr.strays import cell_words
from converters.reading.readers.ocr.waktu import unit_word
from converters.reading.readers.ocr.words import row_start
from converters.reading.vocabulary import CLAUSE_WORDS, CONDITION_WORDS, is_verb

_PREPOSITIONS = frozenset({"kepada", "ke", "dari", "oleh", "pada", "atau", "dengan", "di"})
"""Words after which a sentence must go on (besides :data:`CLAUSE_WORDS`)."""
_LIST_ITEM = re.compile(r"^\s*\d{1,2}[.)]\s")
_LABEL_WORDS = 3
"""A line this short inside the block is the diamond's labels read with it ("k lengkap")."""


@dataclass(frozen=True)
class Orphan:
    """Lines (1-based, as rows count them) read above a page's header, and the page's span."""

    lines: list[tuple[int, str]]
    page: tuple[int, int]  # first and after-last line index (0-based) of the page


def page_starts(text: str) -> list[int]:
    """The 0-based line index each page starts at, as :func:`ocr.read` splits the lines
    (pages are joined by form feeds)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts, line = [0], 0
    for ch in text:
        if ch in "\n\f":
            line += 1
            if ch == "\f":
                starts.append(line)
    return starts


def find(lines: list[str], headers: list[tuple[int, int]], pages: list[int]) -> list[Orphan]:
    """The blocks of running text read above each page's table header."""
    out = []
    below = 0  # the end of the header before: a page holds one header, at its top
    for top, bottom in headers:
        # the header's page: of its first title (its block reaches up over blank lines,
        # across the page break before it)
        titled = next((i for i in range(top, bottom) if lines[i].strip()), top)
        start = max([p for p in pages if p <= titled] + [below])
        end = min((p for p in pages if p > top), default=len(lines))
        below_before, below = below, bottom
        if bottom <= top:
            continue  # no header read: the table was found from its rows
        first = next((i for i in range(start, top) if _opens_orphan(lines[i])), None)
        if first is not None and any(is_section_heading(ln) or _LIST_ITEM.match(ln)
                                     for ln in lines[start:first]):
            continue  # the wrapped end of a section's item above the table ("Peringatan")
        # rows above the header on its page: no page's top, the rows go on across it (above
        # the first header, only the identity sections and their numbered lists)
        if first is None or any(row_start(ln.strip()) or loose_start(ln)
                                for ln in lines[start if below_before else first : top]):
            continue
        block = []
        for i in range(first, top):
            text = lines[i].strip()
            if text and not (_running(text) or len(text.split()) <= _LABEL_WORDS):
                break
            if text:
                block.append((i + 1, text))
        out.append(Orphan(block, (start, end)))
    return out


def give_back(orphans: list[Orphan], rows: list[Row], raws: list[RawRow],
              reread: Callable[[Row], RawRow]) -> None:
    """Append each orphan block to the first row of its page whose activity stops in the
    middle of its sentence, and read that row again (``reread``); the block's lines leave
    any other row that took them as its own wrapped lines."""
    firsts = {row.line for row in rows}
    pieces = cell_words(raws)
    for orphan in orphans:
        low, high = orphan.page
        if any(n in firsts for n, _ in orphan.lines):
            continue  # rows that lost their numbers, read in their place: no orphan
        on_page = [k for k, row in enumerate(rows) if low < row.line <= high]
        # a row that stops on a word asking for more first; then one that stops on a
        # condition, a comma or a cell's piece (see cut_short)
        k = next((k for k in on_page if unfinished(raws[k].activity)), None)
        if k is None:
            k = next((k for k in on_page if cut_short(raws[k].activity, pieces)), None)
        if k is None:
            continue
        taken = {n for n, _ in orphan.lines}
        for j, row in enumerate(rows):
            if j != k and any(n in taken for n, _ in row.rest):
                row.rest = [(n, t) for n, t in row.rest if n not in taken]
                raws[j] = reread(row)
        rows[k].rest = [*(r for r in rows[k].rest if r[0] not in taken), *orphan.lines]
        raws[k] = reread(rows[k])


def unfinished(activity: str) -> bool:
    """Whether an activity stops on a word that asks for more: a clause word or a
    preposition ("… jika", "… kepada"), or a passive verb of handing on ("… diteruskan")."""
    words = activity.split()
    if not words:
        return False
    last = words[-1].lower().strip(",;:")
    return last in CLAUSE_WORDS or last in _PREPOSITIONS or (
        last.startswith("di") and last.endswith("kan") and is_verb(last))


def cut_short(activity: str, cell_words: frozenset[str] = frozenset()) -> bool:
    """Whether an activity stops where no sentence ends, as :func:`unfinished` does not
    see: on a comma ("Mengarsipkan rekapitulasi data,"), on a condition that says nothing
    of what follows ("..., jika tidak lengkap"), or so before the lower-case piece of a
    wrapped cell that the row's line took ("..., jika hari": "hari Jumat" ends the
    Keterangan "Paling lambat hari Jumat"; ``cell_words``: the words of the rows' cells)."""
    words = activity.split()
    while len(words) > 1 and words[-1].isalpha() and words[-1].islower() and (
            words[-1] in cell_words):
        words.pop()
    if not words:
        return False
    if words[-1].endswith(",") or unfinished(" ".join(words)):
        return True
    clause = max((k for k, w in enumerate(words) if w.lower() in CONDITION_WORDS), default=None)
    tail = words[clause + 1 :] if clause is not None else []
    return bool(tail) and len(tail) <= _CONDITION_WORDS and not any(
        is_verb(w.lower().strip(",;:")) for w in tail)


_CONDITION_WORDS = 3
"""A branch's condition ("tidak lengkap", "tidak sesuai") is a few words before its verb."""


def _opens_orphan(line: str) -> bool:
    """A line of an activity's middle: it opens in lower case and runs on as a sentence."""
    text = line.strip()
    return bool(re.match(r"[a-z]", text)) and _running(text)


def _running(text: str) -> bool:
    """Running text: a lower-case verb or clause word, which no name or heading holds (a
    time unit of a verb's shape, "menit", is a Waktu's wrapped end)."""
    words = [w.strip(",.;:") for w in text.split()]
    return any(w.islower() and ((is_verb(w) and unit_word(w) is None) or w in CLAUSE_WORDS
                                or w in _PREPOSITIONS) for w in words)
