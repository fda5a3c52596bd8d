"""Table rows from OCR lines: a numbered first line, then the wrapped ends of its cells."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from converters.model import ReaderWarning
from converters.reading.evidence import STEP_REFERENCE
from converters.reading.raw import RawRow, warn_missing_activity
from converters.reading.readers.ocr import labels, waktu
from converters.reading.readers.ocr.phrases import Phrases
from converters.reading.readers.ocr.words import (
    SUBJECT_WORDS,
    debris_line,
    drop_labels,
    head_key,
    index_row,
    is_cap,
    is_lower,
    join_parts,
    mangled_start,
    mend_conditions,
    mend_verb,
    norm,
    row_start,
)
from converters.reading.vocabulary import (
    CHECKING_WORDS,
    CLAUSE_WORDS,
    LOANWORD_VERBS,
    NOTES_OPENERS,
    WAKTU_VALUE,
    is_verb,
)

# a Waktu value with its "per berkas" tail, or a Waktu in words
WAKTU = re.compile(
    rf"{WAKTU_VALUE.pattern}(?:\s*/\s*\w+)?|(?<![\w/])(?:segera|sesuai\s+kebutuhan)", re.I
)
_KET_WORDS = re.compile(rf"^(sop|lihat|catatan|{'|'.join(NOTES_OPENERS)})$", re.I)
_LONG_OPENERS = tuple(w for w in NOTES_OPENERS if len(w) >= 6)
_OPENER_SPELT = 0.75
"""How close a long Keterangan opener as OCR spells it stays to the word: one letter lost and
one misread ("Melaut" for "Melalui")."""


def _ket_start(word: str) -> bool:
    """A word that opens the Keterangan cell, also as OCR spells the longer openers
    ("Melalu'", "Melalut", "Palng" for "Melalui", "Paling")."""
    return bool(_KET_WORDS.match(word)) or _misspelt_opener(word)


def _misspelt_opener(word: str) -> bool:
    """A long Keterangan opener as OCR spells it: a letter lost or misread ("Melaut"), or
    glued to the words after it ("patingtambarhari")."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if len(w) < 5 or not word[:1].isalpha():
        return False
    if difflib.get_close_matches(w, _LONG_OPENERS, n=1, cutoff=_OPENER_SPELT):
        return True
    # the opener glued to the words after it ("patingtambarhari" for "paling lambat hari")
    return any(len(w) >= len(o) + _GLUED_ON and difflib.SequenceMatcher(
        None, w[: len(o)], o).ratio() >= _GLUED_OPENER for o in _LONG_OPENERS)


_GLUED_ON = 4
"""Letters a glued Keterangan opener has after it at least: a word of its own ("lambat")."""
_GLUED_OPENER = 0.8
_MAX_WRAPPED_LINES = 40  # a row's cells never wrap over more lines than this
_MAX_DEAL_WORDS = 24  # longer wrapped Mutu Baku text is not scored word by word
_WAKTU_WRAP = 2  # a Waktu cell wraps over this many lines at most ("1 jam 30" / "menit")


@dataclass
class Row:
    number: int | None  # None: Tesseract lost it (inference numbers the row by position)
    line: int
    first: str
    rest: list[tuple[int, str]] = field(default_factory=list)


LONE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*\.?\s*$")
_MAX_GAP = 4
"""How many step numbers in a row Tesseract may lose (a faint or cut number column) before a
number is taken for something else than the next step."""


def _number_lost(line: int, step: int) -> ReaderWarning:
    """The warning of a row kept by its position although its step number was not read."""
    return ReaderWarning(
        f"Nomor langkah tidak terbaca pada baris {line}; baris ini dibaca sebagai "
        f"langkah {step} / step number lost, row read by position",
        code="number-guessed",
        line=line,
        step=step,
    )


def split_rows(
    lines: list[str], start: int, in_header: set[int], warnings: list[ReaderWarning]
) -> list[Row]:
    """The table's rows from the lines after its first header.

    A row starts at its number; a number may be lost, so a later one (within
    :data:`_MAX_GAP`) still starts a row, and a line that reads as a row's first line (a
    Capitalised activity with a Waktu value after it) starts one without a number while the
    numbers around leave room for it."""
    rows: list[Row] = []
    unused: list[int] = []
    expected = 1
    starts = {
        i: row_start(lines[i].strip()) for i in range(start, len(lines)) if i not in in_header
    }
    for i, m in starts.items():
        if m and _waktu_not_row(lines[i], m[0], starts, i):
            starts[i] = None
    timed = _rows_hold_waktu(lines, starts)
    # a page read as blocks keeps its numbers on lines of their own: they bound the room
    # for rows read from blocks before them as the numbered rows do
    numbered = {**starts, **{i: (int(lone[1]), "") for i in starts
                             if (lone := LONE_NUMBER.match(lines[i]))}}
    # a table that lost every number (a faint number column) has its blocks alone to go by
    unnumbered = not any(numbered.values())
    for i in range(start, len(lines)):
        if i in in_header:
            continue
        line = lines[i].strip()
        if not line and rows and not rows[-1].first.strip():
            rows[-1].rest.append((i + 1, ""))  # a lone number's row: where a cell ends
            continue
        if not line or index_row(line):
            continue
        m = starts.get(i)
        lone = LONE_NUMBER.match(line)
        if (
            lone
            and expected <= int(lone.group(1)) <= expected + _MAX_GAP
            and not _numbered_later(starts, i, expected, int(lone.group(1)))
            and not _names_step_above(lines, i, lone.group(1))
        ):
            m = (int(lone.group(1)), "")  # the row's cells follow on lines of their own
        elif lone and _last_digit_lost(lines, i, int(lone.group(1)), expected, in_header):
            m = (expected, "")  # "2" for 27: its last digit lost, 28 follows
        if m is None and (n := _centred_start(lines, i, expected, in_header)):
            m = (n, line)  # its first line is the one above (_lift_first_lines)
        if m is None:
            m = _mangled(line, expected, _next_number(starts, i), first=not rows)
            if m and rows and m[0] > expected and _next_reads_between(
                    lines, i, in_header, expected, m[0]):
                m = (expected, m[1])  # "TB" read 18 for 15 where "T7" follows: in its place
        if m is None and rows and (lettered := mangled_start(line)) and (
                _opens_activity(lettered[1]) or _capital_lost(lettered[1])) and _room(
                starts, i, expected):
            m = (expected, lettered[1])  # "TO 1 Menyusun" for 19 before "20 |", "TT (Kasi
            # Pelayanan menerima" for 17: no reading of its letters fits the sequence, the
            # row keeps its place while the numbers after it leave one
        if m is None and rows and (behind := _misread_behind(line, expected)) is not None and (
                (_next_opening(lines, i, in_header) or expected + 1) > expected):
            m = (expected, behind)  # "z2. | pengadministrasi ... menandatangani" for 23
        if m and rows and m[0] > expected + _MAX_GAP and _misread_digit(m[0], expected) and (
                _opens_activity(m[1])) and (
                (_next_opening(lines, i, in_header) or expected + 1) > expected):
            m = (expected, m[1])  # "72 | Menerima" for 12: far past the sequence, a digit
            # read as its look-alike
        if m is None and (low := _lower_start(line, expected, _next_number(starts, i))):
            m = low if rows or low[0] == expected else None  # the first row: number 1 only
        if m and rows and _waktu_not_row(line, m[0], starts, i):
            m = None
        if m and not rows and m[0] > 1 and _next_number(starts, i) == 2:
            m = (1, m[1])  # the first number misread ("4" for "1"): the next row is 2
        if m and rows and m[0] < expected and (
                _tens_lost(m, expected) or _units_lost(m, expected)
                or _closed_behind(m, expected)) and (
                (_next_opening(lines, i, in_header) or expected + 1) > expected):
            m = (expected, m[1])  # "7 (Menandatangani" after 16: the "1" of 17 lost
        elif m and rows and m[0] < expected and _opens_activity(m[1]) and (
                _next_opening(lines, i, in_header) == expected + 1):
            m = (expected, m[1])  # "22 | Memeriksa" between 23 and 25: misread, in its place
        if rows and (m is None or m[0] > expected) and (
                (nxt := _next_opening(lines, i, in_header)) is not None and expected < nxt):
            # a number past the gap while the next row goes back into it ("5", "8", "7"):
            # this one is misread ("8" for "6"), the row keeps its place in the sequence
            found = m or _lower_start(line, expected, None)
            if found and found[0] > nxt:
                warnings.append(_number_lost(i + 1, nxt - 1))
                m = (nxt - 1, found[1])
        if m and (
            not rows
            or expected <= m[0] <= expected + _MAX_GAP
            or _sequence_resumes(starts, i, expected, m[0])
        ):
            number = m[0]
            if rows and number != expected:
                missing = ", ".join(str(n) for n in range(expected, number))
                warnings.append(
                    ReaderWarning(
                        f"Langkah {missing} tidak ditemukan / step {missing} not found",
                        code="step-missing",
                        line=i + 1,
                        step=expected if number == expected + 1 else None,
                    )
                )
            rows.append(Row(number, i + 1, m[1]))
            expected = number + 1
        elif (
            # a lone number's row takes its first block before another row starts
            (not rows or rows[-1].first.strip() or any(t for _, t in rows[-1].rest))
            and not (rows and _awaits_activity(rows[-1]))
            and unnumbered_start(line)
            and (not timed or not rows or _holds_time_cell(line)
                 or _no_time_wrapped(line, lines[i + 1] if i + 1 < len(lines) else "")
                 or bool(_LOST_NUMBER.match(line)) or _verb_ruled(line)
                 or (i > 0 and not lines[i - 1].strip()) or _full_width(line, timed))
            and _room(starts, i, expected)
            and not _inside_block(lines, i, rows)
            and not _continues_name(lines, i)
        ):
            warnings.append(_number_lost(i + 1, expected))
            rows.append(Row(None, i + 1, _GLUED_MARK.sub("", line)))
            expected += 1
        elif (
            (not rows or rows[-1].first.strip() or any(t for _, t in rows[-1].rest))
            and not (rows and _awaits_activity(rows[-1]))
            and _block_start(lines, i, start)
            and (_room(numbered, i, expected, between=not unnumbered)
                 or (_room(numbered, i, expected) and _timed_block_row(lines, i)))
        ):
            warnings.append(_number_lost(i + 1, expected))
            rows.append(Row(None, i + 1, "", [(i + 1, line)]))  # its cells follow as blocks
            expected += 1
        elif rows and len(rows[-1].rest) < _MAX_WRAPPED_LINES:
            rows[-1].rest.append((i + 1, line))
        else:
            unused.append(i + 1)
    _last_number_misread(rows, warnings)
    _lift_first_lines(lines, rows, in_header, unused)
    _count_lost_rows(lines, rows, warnings)
    for row in rows:
        if not row.first.strip() and row.rest:
            # a number on its own line (Tesseract read the row as separate blocks, each cell
            # its own block): the cells in order, a rule between blocks, make the first line;
            # the diamond's labels are blocks of their own too, and are left out
            blocks = " ".join(text or "|" for _, text in row.rest)
            conds = labels.conditions(blocks)
            row.first = " | ".join(
                b.strip() for b in blocks.split("|")
                if b.strip() and not labels.label_line(b.split(), conds))
            row.rest = []
    for first, last in _ranges(unused):
        span = f"{first}" if first == last else f"{first}-{last}"
        warnings.append(
            ReaderWarning(
                f"Baris {span} tidak dapat dipakai sebagai bagian langkah / lines unused",
                code="line-unused",
                line=first,
            )
        )
    return rows


_TIMED_SHARE = 2
_TIMED_MIN = 3


@dataclass(frozen=True)
class _Widths:
    """How wide the rows' first lines run (their median length), where they hold the Waktu."""

    median: float


_FULL = 0.8
"""A line at least this share of the rows' first lines' median width spans the table."""


def _rows_hold_waktu(
    lines: list[str], starts: dict[int, tuple[int, str] | None]
) -> _Widths | None:
    """How wide the rows' first lines run, where the table's rows hold their Waktu on their
    first line, as a page read line by line gives them (every cell of a row's first visual
    line on one text line): most lines that open a row, numbered or not, hold a Waktu value
    or a dash for it; None where they do not. A line that opens with a Capitalised verb and
    holds none is then a wrapped line that goes on with a name the line above broke off
    ("Surat Perintah" / "Membayar melalui aplikasi ..."), not a row whose number was lost,
    unless its number's debris and the rule after it still open it ("Z | Memeriksa ...",
    :data:`_LOST_NUMBER`), it opens a block of its own (a row read as blocks, its cells
    after it), or it runs as wide as the rows' first lines (:func:`_full_width`: coarse OCR
    loses a Waktu, not the cells after it)."""
    opening = [i for i, m in starts.items() if m] + [
        i for i, m in starts.items() if m is None and unnumbered_start(lines[i].strip())]
    with_time = [i for i in opening if _holds_time_cell(lines[i])]
    timed = len(with_time)
    if timed < _TIMED_MIN or timed < _TIMED_SHARE * (len(opening) - timed):
        return None
    return _Widths(median(len(lines[i].strip()) for i in with_time))


_WAKTU_WRAPPED = re.compile(
    r"(\S+)\s+\d{1,3}(?:\s*(?:s\.?\s*d\.?|-|–|sampai)\s*\d{1,3})?\s*$", re.I
)
"""A Waktu's number (or range) ending a line, its unit wrapped onto the next ("5sd 10" /
"menit"); the word before it is kept to tell it from a numbered noun."""
_NUMBERED_NOUNS = frozenset({"langkah", "nomor", "no", "no.", "tahun", "ke", "pasal", "ayat"})
"""Words a number follows in running text ("ke langkah 5", "Tahun 2023"): no Waktu."""


def _full_width(line: str, widths: _Widths) -> bool:
    """Whether ``line`` runs as wide as the rows' first lines do: a row whose Waktu was lost
    in the OCR still spans its Mutu Baku cells, where a wrapped line of the activity holds
    the activity's next words and the cells' short ends."""
    return len(line) >= _FULL * widths.median


def _holds_time_cell(line: str) -> bool:
    """A Waktu value on the line, or a dash standing for an empty Waktu cell, or a unit
    whose number was lost standing after a cell's word ("Formulir isian Hari Paraf"; after
    a symbol's remnant, "—D— hari Jumat", it is a wrapped remark's)."""
    if holds_waktu(line) or re.search(r"(?<!\S)[-–—](?!\S)", line):
        return True
    ending = _WAKTU_WRAPPED.search(line)
    if ending and ending.group(1).lower() not in _NUMBERED_NOUNS:
        return True  # "... kegiatan 5sd 10" / "menit" on the next line: its unit wrapped
    toks = tokens(line)
    lone = waktu.lone_unit(toks)
    return lone is not None and toks[lone.start - 1] != "|"


def _last_digit_lost(
    lines: list[str], i: int, number: int, expected: int, in_header: set[int]
) -> bool:
    """Whether a lone number below the sequence is the expected two-digit number with its
    last digit lost ("2" for 27): its first digit, and the next number read, alone or
    opening a row, is the one after the expected."""
    if expected < 10 or number >= expected or str(expected)[:-1] != str(number):
        return False
    for j in range(i + 1, min(len(lines), i + 1 + _MAX_WRAPPED_LINES)):
        if j in in_header:
            continue
        line = lines[j].strip()
        found = LONE_NUMBER.match(line)
        nxt = int(found.group(1)) if found else (row_start(line) or (None, ""))[0]
        if nxt is not None:
            return nxt == expected + 1
    return False


def _activity_below(row: Row, cells: Cells) -> bool:
    """Whether the words before a row's Waktu are its Kelengkapan, its activity read below
    its number line (:func:`_awaits_activity`): they hold no verb, and the row's next line
    opens as an activity does."""
    if not cells.duration or cells.requirements or not cells.activity:
        return False
    nxt = next((text for _, text in row.rest if text.strip()), "")
    return bool(nxt) and _awaits_activity(Row(row.number, row.line, row.first)) and (
        unnumbered_start(nxt) or _block_start([nxt], 0, 0))


def _awaits_activity(row: Row) -> bool:
    """Whether a numbered row so far holds its Mutu Baku cells and no activity: its number
    line reads "5 Laporan IKU 15 menit Laporan IKU" (a Waktu, no verb) and nothing follows
    yet. The page mode read the row's activity as a block of its own after it; that block
    opens with a Capitalised verb like a row whose number was lost, but it is this row's."""
    if row.number is None or row.rest or not holds_waktu(row.first):
        return False
    words = [re.sub(r"[^\w]", "", mend_verb(w)).lower() for w in row.first.split()]
    return not any(is_verb(w) and waktu.unit_word(w) is None for w in words)


_BLOCK_VERB_AT = 3  # an activity names its verb among its first words ("PPK Umum menyusun")
_BLOCK_MIN_WORDS = 4
_BLOCK_SHORT = 3


def _block_start(lines: list[str], i: int, start: int) -> bool:
    """A row read as blocks with its number lost (Tesseract's page mode sets each cell apart
    by blank lines): a block of its own that opens as an activity does, Capitalised, with an
    active (meN-) verb among its first words. Mutu Baku blocks are noun phrases, and a
    wrapped activity line goes on with a lower-case word or a passive verb. The diamond's
    question or a symbol's debris read just above the activity ("Sesuai?", "c") is no part
    of the block."""
    if _diamond_bit(lines[i]):
        return False
    above = i - 1
    while above > start and _diamond_bit(lines[above]):
        above -= 1
    if i > start and lines[above].strip():
        return False
    block: list[str] = []
    for line in lines[i:]:
        if not line.strip():
            break
        block.extend(line.split())
    if len(block) < _BLOCK_SHORT or not block[0][:1].isupper():
        return False
    heads = [re.sub(r"[^\w]", "", w).lower() for w in block[:SUBJECT_WORDS + 1]]
    if len(block) < _BLOCK_MIN_WORDS:  # a short activity: its verb opens it ("Mencetak
        # surat undangan")
        return _active_verb(heads[0])
    if any(_active_verb(w) for w in heads[:_BLOCK_VERB_AT]):
        return True
    # a jabatan named in full before the verb ("Kepala Sub Bagian Kepegawaian" /
    # "menggandakan ..."): Capitalised words up to it
    verb = next((k for k, w in enumerate(heads) if _active_verb(w)), None)
    return verb is not None and head_key(block[0]) is not None and all(
        is_cap(w) for w in block[:verb])


_BIT_CHARS = 2


def _diamond_bit(line: str) -> bool:
    """A short line a diamond leaves beside a row read as blocks: its question ("Sesuai?",
    "Lengkap?") or its outline read as a letter or two ("c", "Cc")."""
    words = line.split()
    return bool(words) and len(words) <= _BLOCK_SHORT and (
        words[-1].endswith("?") or all(len(w) <= _BIT_CHARS for w in words))


_BLOCK_CELLS = 4
"""Blocks a row read as blocks has after its activity: Kelengkapan, Waktu, Output,
Keterangan."""


def _timed_block_row(lines: list[str], i: int) -> bool:
    """Whether the block at line ``i`` (an activity, :func:`_block_start`) is followed, among
    the few blocks of its cells, by a block that is a Waktu value alone ("Segera", "2 jam"):
    a whole row read as blocks, as a page's last rows are after the last number read."""
    blocks: list[list[str]] = []
    k = i
    while k < len(lines) and len(blocks) <= _BLOCK_CELLS:
        if not lines[k].strip():
            k += 1
            continue
        block = []
        while k < len(lines) and lines[k].strip():
            block.append(lines[k].strip())
            k += 1
        blocks.append(block)
    return any(len(b) == 1 and len(b[0].split()) <= _BLOCK_SHORT and holds_waktu(b[0])
               for b in blocks[1:])


def _active_verb(word: str) -> bool:
    """An active (meN-) verb, lower case; not a time unit of a verb's shape ("menit": a
    Waktu's wrapped unit, "Y menit", opens no activity)."""
    return is_verb(word) and word.startswith("me") and waktu.unit_word(word) is None


def _names_step_above(lines: list[str], i: int, number: str) -> bool:
    """Whether the lone number at line ``i`` ends the sentence of the line above it, a step
    named by its number wrapped apart ("... diteruskan ke langkah" / "25"): no row's
    number."""
    above = next((ln.split() for ln in reversed(lines[max(0, i - 2) : i]) if ln.strip()), [])
    return bool(above) and bool(STEP_REFERENCE.fullmatch(f"{above[-1].lower()} {number}"))


def _no_time_wrapped(line: str, below: str) -> bool:
    """Whether ``line`` holds a Waktu that states no time, its second word wrapped onto the
    line ``below`` ("... Disposisi Sesuai Nota Dinas" / "kebutuhan"): a row's first line
    holds its Waktu, as a wrapped line of the activity does not."""
    words = line.split()
    return any(is_cap(w) and waktu.find([w, *below.split()[:1]], []) is not None
               for w in words[1:]) and bool(below.split())


def _continues_name(lines: list[str], i: int) -> bool:
    """Whether line ``i``, opening with a Capitalised verb right under another line, goes
    on with a name cut at the line's end ("Menerima dan memeriksa Surat Perintah ..." /
    "Membayar beserta lampiran ..."): a Capitalised word of the line above followed by that
    verb is a pair the document writes elsewhere ("Surat Perintah Membayar" in another
    row). A row that opens with the verb follows no such pair."""
    if i == 0 or not lines[i - 1].strip():
        return False
    first = re.sub(r"[^\w]", "", lines[i].split()[0]) if lines[i].split() else ""
    if not is_cap(first) or not is_verb(first.lower()):
        return False
    above = {re.sub(r"[^\w]", "", w) for w in lines[i - 1].split()
             if is_cap(w) and not head_key(w)}  # a jabatan before a verb is its subject
    # in capitals both, on one line, as a name is written inside a sentence (a subject
    # before its verb, "Kabid menyusun", is no name)
    pairs = [re.compile(rf"\b{re.escape(w)}\s+{re.escape(first)}\b") for w in above if w]
    return any(p.search(ln) for k, ln in enumerate(lines) if k not in (i - 1, i) for p in pairs)


def _inside_block(lines: list[str], i: int, rows: list[Row]) -> bool:
    """Whether line ``i`` goes on the block that opened the row before: that row lost its
    number and opened after a blank line with its activity alone (the page read as blocks,
    each cell apart), and no blank line has come since. Such a block is one cell: a line in
    it opening with a verb continues a name ("Surat Perintah" / "Membayar dalam ...")."""
    if not rows or rows[-1].number is not None or holds_waktu(lines[i]):
        return False
    start = rows[-1].line - 1
    return (0 < start < i and not lines[start - 1].strip() and not holds_waktu(lines[start])
            and all(lines[j].strip() for j in range(start, i)))


def unnumbered_start(line: str) -> bool:
    """A row's first line without its number: an activity opens with a Capitalised verb
    ("Menyusun ...", where a wrapped line goes on in lower case), or with its subject and a
    verb when a Waktu value follows (only a row's first line holds the Waktu cell). Marks
    before the capital are a lost number's or a symbol's debris (". Mencetak ...")."""
    lost = _LOST_NUMBER.match(line)
    words = _LOST_NUMBER.sub("", line).split()
    while words and not re.search(r"[^\W_]", words[0]):
        words.pop(0)
    if words:
        words[0] = _GLUED_MARK.sub("", words[0]).lstrip("|")
    if lost and words and head_key(words[0]):
        words[0] = words[0][:1].upper() + words[0][1:]  # "& |sekdin ...": the capital lost too
    if len(words) < 3 or not words[0][:1].isupper():
        return False
    verbs = [is_verb(re.sub(r"[^\w]", "", mend_verb(w)).lower())
             for w in words[:SUBJECT_WORDS + 1]]
    # the verb after a subject: Capitalised words only ("Kepala Bagian Pelayanan mengagendakan")
    subject = next((k for k, v in enumerate(verbs) if v), None)
    named = subject is not None and all(w[:1].isupper() for w in words[:subject])
    return (verbs[0] and len(words) >= 5) or (
        named and (holds_waktu(line) or _ruled_cells(tokens(line), subject or 0))
    )


_GLUED_MARK = re.compile(r"^\s*[^\w\s(\[|]+(?=[A-Z])")
"""A lost number's or a symbol's mark glued to the capital that opens a row ("'Sekdin
merekapitulasi ..."): no word begins so."""
_LOST_NUMBER = re.compile(r"^\s*(?:[^\W\d_]{1,2}|[&@])\s*[|(\[]\s*(?=[A-Za-z])")
"""A step number read as letters that fit no number of the sequence, before the table's rule
("Z | Menandatangani" for 4; the rule read as a bracket at 150 dpi, "Z (Kasubbag ..."; a
closed digit as a sign, "& |sekdin ..." for 4, its subject's capital lost): the row still
opens there, its number lost."""

_RULED_AT = 2
"""Words of running text an activity's first line has before the rule to the Mutu Baku."""


def _ruled_cells(toks: list[str], verb: int) -> bool:
    """Whether a line (its :func:`tokens`) reads on past the activity into the Mutu Baku
    cells, the column rule or a symbol's remnant read as a boundary between them
    ("Pelaksana memverifikasi konsep Indikator Kinerja | Buku agenda Surat Edaran",
    "Fungsional menggandakan surat LoL —D Suratedaan"): only a row's first line reaches the
    Mutu Baku columns with its subject and verb at its start (a wrapped line goes on with the
    activity's words, a remnant at its end at most). A symbol's debris of a capital and a
    digit ("C7") is such a boundary too."""
    bar = next((k for k, w in enumerate(toks) if w == "|" or _DIGIT_DEBRIS.match(w)), None)
    return bar is not None and bar - verb >= _RULED_AT and any(
        is_cap(w) for w in toks[bar + 1 :])


def _verb_ruled(line: str) -> bool:
    """A line that opens with a Capitalised verb and reads on past a rule or a symbol's
    remnant into Capitalised Mutu Baku cells ("Menandatangani draf laporan kinerja € Buku
    agenda Rangkap dua"): a row's first line whose Waktu OCR lost (a wrapped line of the
    activity goes on in lower case). The cell after the rule opens there, Capitalised (a
    wrapped Keterangan goes on in lower case: "Membayar melalui aplikasi —D— hari Jumat" is a
    name's end and cells' ends)."""
    words, toks = line.split(), tokens(line)
    bar = next((k for k, w in enumerate(toks) if w == "|"), None)
    return bool(words) and is_cap(words[0]) and _active_verb(
        re.sub(r"[^\w]", "", words[0]).lower()) and _ruled_cells(toks, 0) and (
        bar is not None and bar + 1 < len(toks) and is_cap(toks[bar + 1]))


def holds_waktu(line: str) -> bool:
    """Whether ``line`` holds a Waktu value, also as low resolution damages one ("sehari",
    "1-5han", "Ljam"): the time-value reader of the cells decides, not a plain pattern."""
    return bool(WAKTU.search(line)) or waktu.find(tokens(line), []) is not None


def _rest_holds_waktu(rest: list[tuple[int, str]]) -> bool:
    """Whether a row's wrapped lines hold a Waktu value, one that waits for its unit on the
    next line too ("5 s.d 10" / "menit")."""
    return any(
        WAKTU.search(text) or waktu.find(
            tokens(text), [w for _, t in rest[k + 1 : k + 1 + _WAKTU_WRAP] for w in t.split()])
        for k, (_, text) in enumerate(rest))


def _mangled(
    line: str, expected: int, after: int | None, first: bool = False
) -> tuple[int, str] | None:
    """A row whose number OCR read as letters ("TO |", "1g |"): the reading of it that comes
    next in the sequence (the smallest at or after the expected number, within the gap, and
    before the next number read; the table's first row only as the first number)."""
    found = mangled_start(line)
    if found is None:
        return None
    top = expected if first else expected + _MAX_GAP
    fits = [n for n in found[0] if expected <= n <= top and (after is None or n < after)]
    return (fits[0], found[1]) if fits else None


def loose_start(line: str) -> bool:
    """Whether ``line`` may open a row whose number OCR damaged (letters for digits, or the
    activity's capital lost), whatever number the sequence expects: a header ends there."""
    return mangled_start(line) is not None or _lower_start(line, 1, None, anywhere=True) is not None


_LOWER_START = re.compile(r"^\s*(\d{1,2})\s*(?:[|(\[—]\s*){0,2}([a-z][A-Za-z-]{1,}\b.*)$")
"""A number, then a word of two letters or more opening in lower case (a jabatan's acronym
loses its capitals too: "2 pp mengarsipkan", "1 (ppK menginput"); the rule may be read as
a dash and a bar ("5 —|htemarf ...")."""
_LOWER_MIN_WORDS = 4


def _lower_start(
    line: str, expected: int, after: int | None, anywhere: bool = False
) -> tuple[int, str] | None:
    """A row's number before an activity whose capital OCR lost at low resolution ("2 pp
    mengarsipkan", "5 (hemverifikasi usulan", "17 pemohon menyusun"): the number is the next
    one of the sequence (before the next number read), and the line reads as a row's first
    line: a verb or a jabatan among its first words, or a Waktu value after them. A wrapped
    line that starts with a number is a Waktu ("2 menit") or a step reference ("7, jika")."""
    m = _LOWER_START.match(line)
    if not m or WAKTU_VALUE.match(line.strip()):
        return None
    number, rest = int(m.group(1)), m.group(2)
    if not anywhere and (
        not expected <= number <= expected + _MAX_GAP or (after is not None and number >= after)
    ):
        return None
    words = rest.split()
    heads = [re.sub(r"[^\w]", "", mend_verb(w)).lower() for w in words[:3]]
    opens = any(is_verb(w) or head_key(w) for w in heads) or bool(WAKTU.search(rest))
    return (number, rest) if opens and len(words) >= _LOWER_MIN_WORDS else None


_LOST_ROW_TOKENS = 3
"""A row read as debris still leaves this many tokens (its cells garbled); a symbol's
remnant between rows is shorter."""


def _count_lost_rows(lines: list[str], rows: list[Row], warnings: list[ReaderWarning]) -> None:
    """Number the unnumbered rows between two numbered ones by counting the rows OCR turned
    into debris among them: a one-line row level with a flowchart symbol comes out as a line
    of debris ("Ma mp Lol Ka Mono"), and the next row's lost number is one more than it
    seems. Only when the debris lines and the unnumbered rows fill the gap between the two
    numbers exactly; the debris leaves the row before it, and the lost row is reported. Between
    two numbered rows the debris of the rows lost between them leaves the first."""
    k = 0
    while k < len(rows):
        if rows[k].number is not None:
            if k + 1 < len(rows) and rows[k + 1].number is not None:
                _place_run(lines, rows, k + 1, k + 1, warnings)  # no row between: only debris
            k += 1
            continue
        end = k
        while end < len(rows) and rows[end].number is None:
            end += 1
        _place_run(lines, rows, k, end, warnings)
        k = end


_LOST_ROW_WORDS = 5
"""A line of debris with this many pieces of letters spans a row's cells: a row OCR could
not read at all ("DN ATA TN DA Ce GE — Na"), where a symbol's remnant or a wrapped cell's
damaged end is shorter ("Lo | —", "C7 hari Jumat")."""


def _lost_row_debris(text: str, strong: bool) -> bool:
    """Whether a row's wrapped line is the debris of a row lost in the OCR (``strong``: one
    that spans a row's cells, :data:`_LOST_ROW_WORDS`)."""
    if len(text.split()) < _LOST_ROW_TOKENS or not debris_line(text):
        return False
    return not strong or sum(
        1 for t in text.split() if re.search(r"[A-Za-z]", t)) >= _LOST_ROW_WORDS


def _place_run(
    lines: list[str], rows: list[Row], k: int, end: int, warnings: list[ReaderWarning]
) -> None:
    """Number the unnumbered rows ``rows[k:end]`` by the debris of lost rows among them:
    between two numbered rows when the debris and the rows fill the gap exactly (a row's
    debris of any length, else only the debris that spans a row's cells); after the last
    numbered row, where nothing bounds them, only that spanning debris counts."""
    before = rows[k - 1] if k else None
    low = before.number if before is not None and before.number is not None else 0
    run = rows[k:end]
    owners = [before, *run] if before is not None else run
    if end == len(rows):
        if before is None or not run:
            return
        debris = [(owner, ln) for owner in [before, *run[:-1]]  # a lost last row: no gap
                  for ln, text in owner.rest if _lost_row_debris(text, strong=True)]
        gap = len(run) + len(debris)
    else:
        gap = (rows[end].number or 0) - low - 1
        if len(run) >= gap:
            return
        debris = [(owner, ln) for owner in owners for ln, text in owner.rest
                  if _lost_row_debris(text, strong=False)]
        if len(run) + len(debris) != gap:
            debris = [(owner, ln) for owner in owners for ln, text in owner.rest
                      if _lost_row_debris(text, strong=True)]
    if not debris or len(run) + len(debris) != gap:
        return
    if not run:  # the lost rows were reported with the gap; their debris is no cell
        for owner, ln in debris:
            owner.rest = [(n, t) for n, t in owner.rest if n != ln]
        return
    events = sorted([(r.line, r) for r in run] + [(ln, None) for _, ln in debris],
                    key=lambda e: e[0])
    for owner, ln in debris:
        owner.rest = [(n, t) for n, t in owner.rest if n != ln]
    renumbered = {}
    for number, (line, row) in enumerate(events, low + 1):
        if row is None:
            warnings.append(ReaderWarning(
                f"Langkah {number} tidak terbaca (baris {line} rusak) / step {number} "
                "unreadable", code="step-missing", line=line, step=number))
        else:
            row.number = number
            renumbered[row.line] = number
    warnings[:] = [_number_lost(w.line, renumbered[w.line])
                   if w.code == "number-guessed" and w.line in renumbered else w
                   for w in warnings]


_CONFIRMING_ROWS = 2


def _sequence_resumes(
    starts: dict[int, tuple[int, str] | None], i: int, expected: int, number: int
) -> bool:
    """Whether a number far past the expected one is where the sequence goes on after OCR
    lost a run of rows (at low resolution a page's short rows may all come out as debris):
    the next numbered rows after it go on from it, and none after it holds a number of the
    gap, which would make this number a stray."""
    later = [m[0] for j, m in sorted(starts.items()) if j > i and m]
    if number <= expected + _MAX_GAP or any(expected <= n < number for n in later):
        return False
    follow = later[:_CONFIRMING_ROWS]
    prev = number
    for n in follow:
        if not prev < n <= prev + _MAX_GAP:
            return False
        prev = n
    return len(follow) == _CONFIRMING_ROWS


def _waktu_not_row(
    line: str, number: int, starts: dict[int, tuple[int, str] | None], i: int
) -> bool:
    """Whether a line that seems to start row ``number`` opens with a time value instead
    ("2 hari", "2 hr Surat keluar": a Waktu cell's wrapped line in a viewer's copy) while a
    later line starts that row: the number is the Waktu's."""
    toks = tokens(line)[:_WAKTU_OPENING]
    found = waktu.find(toks, [])
    return (found is not None and found.start == 0 and toks[:1] == [str(number)]
            and _numbered_later(starts, i, number, number + 1))


_WAKTU_OPENING = 4
"""How many words of a line a time value opening it can take ("1 - 5 hari kerja")."""


def _numbered_later(
    starts: dict[int, tuple[int, str] | None], i: int, low: int, high: int
) -> bool:
    """Whether a row numbered ``low`` .. ``high - 1`` starts after line ``i``: then a lone
    ``high`` here is a symbol remnant (an arrow tip read as "9"), not a row; so is it when
    the next numbered row is ``high`` itself, its cells on its line (a lone "8" between the
    blocks of rows that lost their numbers, "8 (Kepala Bidang mencetak ..." further down)."""
    later = [m for j, m in sorted(starts.items()) if j > i and m]
    return any(low <= m[0] < high for m in later) or bool(
        later and later[0][0] == high and later[0][1].strip())


_CENTRED = re.compile(r"^\s*\d{1,2}\s+(?=[|\s]*[a-z])")
"""A step number before a lower-case word: the number stands at the middle of a row of
several lines, beside the activity's second line ("Pembuatan agenda ..." / "1 pelaksanaan")."""


def _line_above(lines: list[str], number_line: int, in_header: set[int]) -> int | None:
    """The line above a number's line (a blank line may stand between); None at the top or
    in a page header."""
    above = number_line - 1
    if above >= 0 and not lines[above].strip():
        above -= 1
    return None if above < 0 or above in in_header else above


def _first_line_above(lines: list[str], number_line: int, in_header: set[int]) -> int | None:
    """The index of the line a centred number's row starts on: the line above the number
    (a blank line may stand between), a Capitalised activity with the row's Waktu."""
    above = _line_above(lines, number_line, in_header)
    if above is None:
        return None
    text = lines[above].strip()
    if not (text[:1].isupper() and WAKTU.search(text)) or row_start(text):
        return None
    return above


def _centred_start(lines: list[str], i: int, expected: int, in_header: set[int]) -> int:
    """The number of the step whose number line ``i`` is (a number before a lower-case word,
    under the row's first line), or 0. It is the next step or the one after: a centred
    number is a weaker sign than a number opening its row, so it bridges one lost row only."""
    if not _CENTRED.match(lines[i]) or _first_line_above(lines, i, in_header) is None:
        return 0
    n = int(lines[i].split()[0])
    return n if expected <= n <= expected + 1 else 0


def _lift_first_lines(
    lines: list[str], rows: list[Row], in_header: set[int], unused: list[int]
) -> None:
    """A numbered row whose number line goes on in lower case ("4 | | rancangan
    pelaksanaan") or holds no Waktu had its number centred in a taller row: its first line,
    with the activity's Capitalised start and the Waktu, is the line just above (a blank line
    may stand between), which was read as the end of the row before or left unused. Take it
    back; never a row's own first line."""
    for k, row in enumerate(rows):
        if row.number is None:
            continue
        found = _activity_above(lines, row.line - 1, row.first, in_header)
        joined = found is not None
        if found is None and WAKTU.search(row.first) and not _CONTINUES.match(row.first):
            continue
        if found is None and _opens_row(row.first) and _rest_holds_waktu(row.rest):
            continue  # its Mutu Baku cells follow its activity (a viewer's copy): the line
            # above holds the cells of the row before
        found = found if found is not None else _first_line_above(lines, row.line - 1, in_header)
        if found is None:
            continue
        above, text = found, lines[found].strip()
        prev = rows[k - 1] if k else None
        if prev is not None and prev.rest and prev.rest[-1][0] == above + 1:
            if _opens_row(prev.first) and not holds_waktu(prev.first) and not (
                    _rest_holds_waktu(prev.rest[:-1])):
                continue  # the line holds the row before's only Waktu: its cells came last
            prev.rest.pop()
        elif above + 1 in unused:
            unused.remove(above + 1)
        else:
            continue
        if joined:  # one first line: the activity's start, then the line with the Waktu
            row.first = f"{text} {_RULE_BEFORE.sub('', row.first, count=1)}"
            row.line = above + 1
            continue
        row.rest.insert(0, (row.line, row.first))
        row.first, row.line = text, above + 1


_RULE_BEFORE = re.compile(r"^[\s|(\[.,]*(?:[Il](?=[|A-Z]))?[|\s]*")
"""What OCR reads of the rule between a row's number and its activity ("I|", "I", "|")."""


def _opens_with_verb(text: str, checks: bool = False) -> bool:
    """Whether ``text`` opens with a Capitalised verb, a rule read before it or not
    ("IMelaksanakan", "| Melakukan"), or a loanword one ("Update"); ``checks``: or a word
    of checking ("Testing", "Pemeriksaan"), with which an activity opens too (and a
    Kelengkapan cell, "Pemeriksaan Standarisasi")."""
    words = _RULE_BEFORE.sub("", text, count=1).split()[:1]
    word = re.sub(r"[^\w]", "", mend_verb(words[0])) if words else ""
    low = word.lower()
    return word[:1].isupper() and (is_verb(low) or low in LOANWORD_VERBS or (
        checks and bool(CHECKING_WORDS.match(low))))


def _activity_above(
    lines: list[str], number_line: int, first: str, in_header: set[int]
) -> int | None:
    """The line a centred number's row starts on when its activity wraps and its Mutu Baku
    cells do not: the number and the Waktu stand level with the activity's second line
    ("2 I|Kewajaran dan Kebenaran isi ... 3 Hari ..."), the activity's first line, opening
    with its Capitalised verb and holding no Waktu, just above (a blank line may stand
    between). The number line's own text opens with no verb."""
    if not WAKTU.search(first) or _opens_with_verb(first, checks=True):
        return None
    above = _line_above(lines, number_line, in_header)
    if above is None:
        return None
    text = lines[above].strip()
    if row_start(text) or WAKTU.search(text) or not _opens_with_verb(text):
        return None
    return above


_CONTINUES = re.compile(r"^[|\s]*(?:[a-z]|$)")
"""A number line's text that is no row's beginning: nothing, rules, or a lower-case word."""


def _opens_row(first: str) -> bool:
    """Whether a row's number line begins its activity (a Capitalised word after the number,
    if that was kept): the line above it is then no part of this row."""
    return not _CONTINUES.match(re.sub(r"^\s*\d{1,2}\s+", "", first))


_CLOSED_DIGITS = (frozenset("68"), frozenset("38"), frozenset("56"), frozenset("89"),
                  frozenset("08"), frozenset("17"))
"""Digits Tesseract reads one for the other in a small number column at low resolution: the
closed shapes ("8" for "6", "3", "9" or "0"), a "5" closed to a "6", a "1" with a flag."""


def _misread_digit(read: int, meant: int) -> bool:
    """Whether the step number ``read`` is ``meant`` with one digit misread as its look-alike
    (:data:`_CLOSED_DIGITS`)."""
    a, b = str(read), str(meant)
    diff = [frozenset((x, y)) for x, y in zip(a, b, strict=False) if x != y]
    return len(a) == len(b) and len(diff) == 1 and diff[0] in _CLOSED_DIGITS


def _last_number_misread(rows: list[Row], warnings: list[ReaderWarning]) -> None:
    """The table's last row whose number jumps past the sequence to a look-alike of the next
    number ("8" after 5 for 6): nothing after it says rows were lost, and a lost row leaves
    debris among the lines before it (a row OCR could not read, :func:`_lost_row_debris`);
    with none there, the number was misread and the row is the next one."""
    if len(rows) < 2 or rows[-1].number is None or rows[-2].number is None:
        return
    meant = rows[-2].number + 1
    if rows[-1].number <= meant or not _misread_digit(rows[-1].number, meant):
        return
    if any(_lost_row_debris(text, strong=False) for _, text in rows[-2].rest):
        return
    warnings[:] = [w for w in warnings
                   if not (w.code == "step-missing" and w.line == rows[-1].line)]
    warnings.append(_number_lost(rows[-1].line, meant))
    rows[-1].number = meant


def _tens_lost(m: tuple[int, str], expected: int) -> bool:
    """Whether a one-digit number that falls behind the sequence is the expected two-digit
    number with its first digit lost (a thin "1" at low resolution): its last digit, before
    an activity that opens Capitalised."""
    return expected >= 10 and m[0] < 10 and expected % 10 == m[0] and (
        _opens_activity(m[1]) or _ruled_verb(m[1]))


def _ruled_verb(rest: str) -> bool:
    """Whether a row's first line after its number opens with the table's rule and has a
    verb among its first words, its subject's capital lost ("7. (bengadministrasi Umum
    merekapitulasi"): the rule after the number tells a row from a wrapped step reference
    ("7, jika tidak ...")."""
    return bool(re.match(r"[(\[|]", rest)) and _verb_among_first(rest)


def _opens_activity(rest: str) -> bool:
    """Whether a row's first line after its number opens an activity: Capitalised, its verb
    among its first words (a subject before it)."""
    return bool(re.match(r"[(\[]?[A-Z]", rest)) and _verb_among_first(rest)


def _verb_among_first(rest: str) -> bool:
    """Whether a verb (mended as OCR damages verbs) stands among the first words of a row's
    first line after its number: a subject of at most :data:`SUBJECT_WORDS` before it."""
    words = [re.sub(r"[^\w]", "", mend_verb(w)).lower() for w in rest.split()[:SUBJECT_WORDS]]
    return any(is_verb(w) for w in words)


_M_LOST = re.compile(r"^(?:e[mn][a-z]{3,}|e[lrwy][a-z]{4,})$")


def _capital_lost(rest: str) -> bool:
    """Whether a row's first line after its number opens with a meN- verb whose capital "M"
    went with the rule before it ("To | emeriksa laporan", "Ts (engoreksi rencana"): a
    word of the verb's shape less its first letter."""
    words = rest.split()
    return bool(words) and bool(_M_LOST.match(words[0])) and is_verb(f"m{words[0]}")


def _closed_behind(m: tuple[int, str], expected: int) -> bool:
    """Whether a number behind the sequence is the expected one with a digit read as its
    closed look-alike ("3 (Kadis merekapitulasi" for 8, :data:`_CLOSED_DIGITS`), before an
    activity that opens Capitalised with its verb among its first words."""
    return _misread_digit(m[0], expected) and _opens_activity(m[1])


_BEHIND = 2
"""How far behind the expected number a number OCR read as letters and digits may fall and
still be the expected one misread ("z2" for 23)."""


def _misread_behind(line: str, expected: int) -> str | None:
    """The rest of a row's first line whose number OCR read as look-alike letters and whose
    readings all fall just behind the sequence ("z2. | pengadminiswasi Umum menandatangani"
    for 23): the digit beside the letter was misread too. Only a line that opens a row,
    with a verb among its first words (its subject before it), gives it."""
    found = mangled_start(line)
    if found is None or not found[0] or max(found[0]) >= expected or (
            max(found[0]) < expected - _BEHIND):
        return None
    words = [re.sub(r"[^\w]", "", mend_verb(w)).lower() for w in found[1].split()]
    return found[1] if any(is_verb(w) for w in words[:SUBJECT_WORDS]) else None


def _units_lost(m: tuple[int, str], expected: int) -> bool:
    """Whether a one-digit number that falls behind the sequence is the expected two-digit
    number with its last digit lost ("1. | Mengoreksi" for 13: a narrow digit beside the
    rule): its first digit, before an activity that opens with a Capitalised verb."""
    words = m[1].split()
    return (expected >= 10 and str(m[0]) == str(expected)[:-1] and bool(words)
            and _opens_with_verb(m[1]))


def _next_opening(lines: list[str], i: int, in_header: set[int]) -> int | None:
    """The number of the next line after ``i`` that opens a row, its activity's capital lost
    or not ("7 (kepala Sub Bagian ..."): what tells a misread number before it."""
    for j in range(i + 1, min(len(lines), i + 1 + _MAX_WRAPPED_LINES)):
        if j in in_header:
            continue
        line = lines[j].strip()
        found = row_start(line) or _lower_start(line, 1, None, anywhere=True)
        if found:
            return found[0]
    return None


def _next_reads_between(
    lines: list[str], i: int, in_header: set[int], expected: int, read: int
) -> bool:
    """Whether the next line after ``i`` that opens a row, its number read as digits or as
    look-alike letters ("T7 | Sekretaris ..."), may hold a number after ``expected`` and
    up to ``read``: then the letters read as ``read`` before it stand for a number that
    comes earlier ("TB" for 15, a "5" read as "B"), and the row keeps its place."""
    for j in range(i + 1, min(len(lines), i + 1 + _MAX_WRAPPED_LINES)):
        if j in in_header:
            continue
        line = lines[j].strip()
        if found := row_start(line):
            return expected < found[0] <= read
        if mangled := mangled_start(line):
            return any(expected < n <= read for n in mangled[0])
    return False


def _next_number(starts: dict[int, tuple[int, str] | None], i: int) -> int | None:
    """The number of the next numbered row after line ``i``."""
    return next((m[0] for j, m in sorted(starts.items()) if j > i and m), None)


def _room(
    starts: dict[int, tuple[int, str] | None], i: int, expected: int, between: bool = False
) -> bool:
    """Whether the next numbered row after line ``i`` leaves a number free for a row here;
    ``between``: only a gap before a later numbered row does (a row read from a block alone
    is too weak a sign to add rows after the last number)."""
    nxt = next((m[0] for j, m in sorted(starts.items()) if j > i and m and m[0] >= expected),
               None)
    return nxt > expected if nxt is not None else not between


def _ranges(numbers: list[int], gap: int = 3) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for n in numbers:
        if out and n - out[-1][1] <= gap:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


_REMNANT = re.compile(
    r"^(?:[^\w\s]+|[A-Za-z0-9]|[A-Za-z0-9]?[^\w\s]+[A-Za-z0-9]*|_+"
    r"|[A-Za-z0-9]{1,3}[()\[\]{}]|[()\[\]{}][A-Za-z0-9]{1,3}[()\[\]{}]?)$")
"""A symbol remnant: punctuation, a lone character, or a few letters with a bracket (a
circle read as "C0)" or "(Y)")."""

_EDGES = re.compile(r"^[lIiL|()\[\]CDOo0c'\"‘’“”_—–-]{2,4}$")
"""A flowchart symbol's outline read as letters: at low resolution Tesseract reads a box's
or a capsule's vertical edges and rounded corners as the letters that look like them
("Lol", "Lo", "Ll", "CD", "CC)"). No word is written with those strokes alone; a Roman
numeral is ("Eselon III")."""
_ROMAN = re.compile(r"^I+[.,]?$")


def remnant(word: str) -> bool:
    """Whether ``word`` is a symbol's remnant, not a word of a cell."""
    return bool(_REMNANT.match(word)) or (
        bool(_EDGES.match(word)) and bool(re.search(r"[A-Za-z]", word)) and not _ROMAN.match(word)
    )


_OPEN_EDGE = re.compile(r"(?<!\S)[(\[{](?=[^\s()\[\]{}]{2,}(?:\s|$))")
"""A cell's left edge or a symbol's rounded side read as an opening bracket glued to the
next word, never closed ("(30 Menit", "(Segera", "(Surat keluar" at 150 dpi): a boundary,
and the word stays a word (a bracketed word as a whole, "(SPM)", is left alone)."""
_EDGED_DIGIT = re.compile(r"(?<!\S)[(\[{](?=\d\s+(\S+))")
"""The same edge before a one-digit Waktu number ("(1 jam 30"): a boundary only before a
unit word, as a digit in a bracket is a symbol's remnant anywhere else ("(4 D»")."""

_EDGE_LETTER = re.compile(r"(?<!\S)[a-z](?=[A-Z][a-z]{2,}(?:\s|$))")
"""A symbol's or a cell's edge read as a small letter glued to the next cell's Capitalised
word ("fArsip", "lLaporan"): no word is written with a small letter before its capital."""

_RULE_I = re.compile(r"(?<!\S)[IJ](?=([A-Z][a-z]{2,})(?:\s|$))")
"""A cell's rule read as a capital "I" or "J" glued to the cell's Capitalised first word
("IRekap data", "ILaporan IKU", "JLaporan IKU"): no word opens with an "I" or a "J" before
another capital and small letters.
A "1" read as "I" before its unit is a Waktu ("IMnggu", "ISment"), and stays."""

_STEP_NUMBER = re.compile(r"^\d{1,3}[,.;:]?$")
"""A step number as running text writes it after "langkah": "3" or "3," before the next
clause ("ke langkah 3, jika ..."); the comma must not make it a symbol remnant."""


def tokens(text: str, wrapped: bool = False) -> list[str]:
    """Words, with every symbol remnant or ``|`` replaced by a single ``"|"`` boundary.

    On a wrapped line a lone digit is a remnant too (arrow tips read as "7"), unless it
    names a step ("kembali ke langkah 7"); on a row's first line digits are kept for the Waktu
    ("2 Jam"), and so are time tokens full of punctuation ("1-5", "s.d").
    """
    out: list[str] = []
    text = _EDGED_DIGIT.sub(lambda m: "| " if waktu.unit_word(m[1]) else m[0], text)
    text = _RULE_I.sub(lambda m: "| " if waktu.unit_word(m[1]) is None and (
        waktu.find([m[0]], []) is None) else m[0], text)
    words = _OPEN_EDGE.sub("| ", _EDGE_LETTER.sub("| ", text.replace("|", " | "))).split()
    for k, w in enumerate(words):
        step_ref = out and _STEP_NUMBER.match(w) and STEP_REFERENCE.search(f"{out[-1]} {w}")
        if w == "|" or (
            not step_ref
            and not _times_sign(words, k)
            and remnant(w)
            and (wrapped or not w.isdigit() or _before_number(words, k))
            and (w.isdigit() or not waktu.timeish(w))  # "1-5", "s.d" are no remnants
            and not _five_read(words, k)
            and not (k and waktu.lettered_after_range(words[k - 1], w))
        ):
            if not out or out[-1] != "|":
                out.append("|")
        else:
            out.append(w)
    while out and out[-1] == "|":
        out.pop()
    return out


def _five_read(words: list[str], k: int) -> bool:
    """A "5" read as a lone "S" before a time unit ("1- S hari Kerja"), or glued to the range
    sign ("1 -S hari"): the Waktu's number, no remnant (the time-value reader reads it as 5)."""
    return k + 1 < len(words) and waktu.five_read(words[k], words[k + 1])


def _before_number(words: list[str], k: int) -> bool:
    """A lone digit right before another number ("proses 1 1 minggu"): no time value has
    two numbers in a row, so the first is an arrow tip read as a digit."""
    return k + 1 < len(words) and bool(re.fullmatch(r"\d+(?:[.,]\d+)?", words[k + 1]))


def _times_sign(words: list[str], k: int) -> bool:
    """The "x" of "2 x 24 jam" or the dash of "1 - 5 hari" between two numbers: a time
    value's sign, no remnant."""
    return (words[k].lower() in ("x", "×", "-", "–") and 0 < k < len(words) - 1
            and words[k - 1].isdigit() and words[k + 1][:1].isdigit())


@dataclass
class Cells:
    activity: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    duration: str = ""
    output: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remnants: int = 0
    pending: str = ""  # the Waktu waits for a word of a wrapped line (see waktu.complete)
    stage: str = ""  # after a wrapped line's Mutu Baku cells: the last cell it wrote
    # ("waktu", "output", "notes"); "" while the activity may go on


def first_cells(row: Row, phrases: Phrases) -> Cells:
    cells = Cells()
    cells.remnants = _count_remnants(row.first)
    follow = [w for _, line in row.rest[:_WAKTU_WRAP] for w in line.split()]
    _read_first_line(row.first, cells, phrases, follow)
    return cells


def read_row(row: Row, cells: Cells, phrases: Phrases, warnings: list[ReaderWarning]) -> RawRow:
    if _activity_below(row, cells):
        cells.requirements, cells.activity = cells.activity, []
    mutu_at, mutu = None, None
    if not cells.duration and not cells.pending:
        for k, (_, line) in enumerate(row.rest):
            mutu = _mutu_line(line, row.rest[k + 1 :], phrases)
            if mutu is not None:
                mutu_at = k
                if mutu.requirements or mutu.output or mutu.notes:
                    _only_activity(cells)  # (a Waktu alone may be a narrow cell's wrap
                    # beside a first line that holds the other cells, as OCR reads it)
                break
        else:
            mutu_at, mutu = _unanchored_line(row.rest, phrases)
            if mutu is not None:
                _only_activity(cells)
    if not cells.duration and not cells.output and cells.requirements:
        _split_unanchored(cells, phrases)
    for k, (_, line) in enumerate(row.rest):
        if k == mutu_at and mutu is not None:
            _take_mutu(mutu, cells)
            continue
        toks = tokens(line, wrapped=cells.stage != "waktu")  # a Waktu going on keeps digits
        first = line.split()[0] if line.split() else ""
        if _STEP_NUMBER.match(first) and toks[:1] in ([], ["|"]) and STEP_REFERENCE.search(
            f"{join_parts(cells.activity)[-20:]} {first}"
        ):
            toks[:1] = [first]  # "kembali ke langkah" / "7": the number ends the sentence
        words = [t for t in toks if t != "|"]
        cells.remnants += _count_remnants(line)
        if not words or labels.label_line(words, labels.conditions(join_parts(cells.activity))):
            continue  # a line of the diamond's labels ("Tidak| setuju", "Tatap muka")
        if mutu_at is not None and k < mutu_at:  # the activity's lines before its cells
            conds = labels.conditions(join_parts([*cells.activity, *words]))
            kept = [t for t in labels.drop_conditions(toks, conds, phrases.known) if t != "|"]
            if kept:
                cells.activity.append(" ".join(kept))
            continue
        if cells.pending:
            cells.duration, toks, cells.pending = waktu.complete(
                cells.duration, cells.pending, toks, phrases.joins)
            if not any(t != "|" for t in toks):
                if not (cells.stage or cells.output or cells.notes) and cells.pending in (
                        "", "working"):
                    cells.stage = "waktu"  # the Waktu's end on a line of its own: the cells
                    # come one after another (a viewer's copy), the Output next
                continue
        _read_wrapped_line(toks, cells, phrases)
    raw = RawRow(
        number=row.number,
        activity=mend_conditions(_without_trailing_debris(join_parts(cells.activity), phrases)),
        requirements=_without_cell_debris(join_parts(cells.requirements), phrases),
        duration=cells.duration,
        output=_without_cell_debris(join_parts(cells.output), phrases),
        notes=join_parts(cells.notes),
        line=row.line,
    )
    warn_missing_activity(raw, warnings)
    return raw


_TRAILING_DEBRIS = re.compile(r"^[A-Z][A-Za-z0-9]$")


def _without_trailing_debris(activity: str, phrases: Phrases) -> str:
    """The activity without the two-letter debris a symbol left after its last word
    ("diserahkan kepada Kepala Dinas TT", "... Kepala Bagian C7"): after a name it would be
    read as the name's unit. A jabatan ("JF") or a word of the document's cells ("KK" of
    "KTP dan KK") stays."""
    words = activity.split()
    cell_words = {w for c in phrases.cells for w in c.split()}
    while (len(words) > 1 and _TRAILING_DEBRIS.match(words[-1]) and head_key(words[-1]) is None
           and words[-1].lower() not in cell_words):
        words.pop()
    return " ".join(words)


_CELL_DEBRIS = re.compile(r"^[A-Z][a-z0-9]$")
_SMALL_DEBRIS = re.compile(r"^(?:\d|[a-z]{1,2})$")
"""A lone digit (an arrow's tip) or one or two small letters (a symbol's stroke) after a
cell's last word: "Surat keluar 2", "Surat Edaran al" (before its first word a digit may be
the cell's own count, "3 lembar foto")."""
_DIGIT_DEBRIS = re.compile(r"^[A-Z]\d$")


def _without_cell_debris(cell: str, phrases: Phrases) -> str:
    """A Mutu Baku cell without the debris a symbol or a rule left after it (or before it)
    at low resolution, a capital and a small letter or digit ("Laporan IKU Ka", "Draf Surat
    Na", "Laporan IKU C7", "C7 Draf Surat"): no document name ends or starts that way. The
    cells' own short words are capitals ("KTP dan KK") or words other cells of the document
    use as well."""
    words = cell.split()
    seen = Counter(w for c in phrases.cells for w in c.split())

    def debris(word: str, last: bool = False) -> bool:
        return bool(_CELL_DEBRIS.match(word) or (last and _SMALL_DEBRIS.match(word))) and (
            head_key(word) is None and seen[word.lower()] < _RECURRING)

    while len(words) > 1 and debris(words[-1], last=True):
        words.pop()
    # the symbol's debris before the cell too ("C7 Draf Surat"); a capital and a digit is
    # debris however often the symbols left it, even as the whole cell
    while words and ((debris(words[0]) and len(words) > 1) or _DIGIT_DEBRIS.match(words[0])):
        words.pop(0)
    return " ".join(words)


_RECURRING = 2
"""A short word the document's cells use this often is a word of theirs, not debris (the
cell being read counts once)."""


def _count_remnants(text: str) -> int:
    return sum(
        1
        for w in text.replace("|", " ").split()
        if remnant(w) and not w.isdigit() and not re.fullmatch(r"[-–_:.,]+", w)
    )


def _read_first_line(text: str, cells: Cells, phrases: Phrases, follow: list[str]) -> None:
    # a misread "jika" ("Kinerja jka lengkap") mended first: a condition's clause word
    # shows the activity's sentence going on past a Capitalised word
    toks = tokens(mend_conditions(text))
    found = waktu.find(toks, follow)
    dash = _dash_waktu(text, phrases) if found is None else None
    if found is None and dash is None:
        found = waktu.lone_unit(toks)  # "... kepada jam Draf Surat": "1jam", its "1" lost
    if dash is not None:
        btoks, atoks = dash
        cells.duration = "-"
    elif found is None:
        btoks, atoks = toks, []
    else:
        btoks, atoks = toks[: found.start], toks[found.end :]
        cells.duration, cells.pending = found.text, found.pending
        if cells.pending == "per" and not follow and _per_noun_last(atoks, phrases):
            # a row read as blocks: the Waktu's wrapped "dokumen" comes last, after the
            # Output beside the Waktu's first line ("15menitper | spm" / "dokumen")
            cells.duration, noun, cells.pending = waktu.complete(
                cells.duration, cells.pending, atoks[-1:])
            atoks = atoks if noun else atoks[:-1]
            while atoks and atoks[-1] == "|":
                atoks = atoks[:-1]
    btoks = list(btoks)
    while btoks and btoks[-1] == "|":
        btoks.pop()
    activity, requirements = _split_activity(btoks, phrases, anchored=bool(cells.duration))
    while len(activity) > 1 and re.fullmatch(r"\d", activity[-1]) and not (
            _ends_step_reference(activity, len(activity))):
        activity = activity[:-1]  # "... kemudian diserahkan 5 | Laporan IKU": an arrow tip
        # read as a digit where the activity's line meets the cells, no word of it
    cells.activity.append(" ".join([mend_verb(w) for w in activity[:1]] + activity[1:]))
    requirements = drop_labels(requirements)  # "Tidak" of the diamond beside the activity
    if requirements:
        cells.requirements.append(" ".join(requirements))
    parts = _split_at_bars(drop_labels(atoks))
    out: list[str] = []
    notes: list[str] = []
    for k, part in enumerate(parts):
        if k == 0:
            # a Keterangan opener starts the notes even as the first word after the Waktu:
            # the Output cell was empty ("2 Hari | Rangkap dua")
            ket = next((i for i, w in enumerate(part)
                        if (i > 0 and _ket_start(w))
                        or (i == 0 and len(parts) == 1 and w.lower() in NOTES_OPENERS)), None)
            if ket is None:
                out.extend(part)
            else:
                out.extend(part[:ket])
                notes.extend(part[ket:])
        else:
            notes.extend(part)
    if out:
        cells.output.append(" ".join(out))
    if notes:
        cells.notes.append(" ".join(notes))


def _per_noun_last(atoks: list[str], phrases: Phrases) -> bool:
    """Whether the last word after a Waktu that ends in "per" is the noun it waits for, read
    after the Output's block in a row read as blocks (no wrapped line follows): a block of its
    own, or a lower-case word after a cell the document uses whole ("spm dokumen" = the
    Output "SPM" and "dokumen")."""
    parts = _split_at_bars(atoks)
    if not parts or not is_lower(parts[-1][-1]):
        return False
    # (this row's own reading may be among the cells already: counted once)
    if len(parts[-1]) == 1:
        return phrases.cells.count(norm(parts[-1][0])) <= 1  # no cell ("spm" read small)
    cell, whole = norm(" ".join(parts[-1][:-1])), norm(" ".join(parts[-1]))
    return phrases.cells.count(cell) > phrases.cells.count(whole)


_DASH = re.compile(r"^[-–—]$")


def _dash_waktu(text: str, phrases: Phrases) -> tuple[list[str], list[str]] | None:
    """A Waktu cell that holds only "-" (no time set): the line's last dash that stands
    between a Kelengkapan cell (the activity ended before it) and a cell after it. A dash
    right after the activity is a symbol remnant as likely, and is left alone."""
    words = text.replace("|", " | ").split()
    # a hyphen first: a long dash is as often a rule's or a symbol's debris ("SuratEdaran —
    # (paling lambat")
    order = sorted(range(len(words) - 2, 0, -1), key=lambda k: words[k] != "-")
    for k in order:
        if not _DASH.match(words[k]):
            continue
        before, after = tokens(" ".join(words[:k])), tokens(" ".join(words[k + 1 :]))
        while before and before[-1] == "|":
            before.pop()
        mutu = [t for t in _split_activity(before, phrases)[1] if t != "|"]
        cells_after = [t for t in after if t != "|"]
        if cells_after and mutu and not (
            _ket_start(cells_after[0]) and _known_cells_cut(mutu, phrases) < len(mutu)
        ):
            return before, after
        # no Waktu dash when the Keterangan follows it and two cells the document uses
        # stand before it ("Nota Dinas Berkas lengkap — | Melalui aplikasi"): they are the
        # Kelengkapan and the Output, the Waktu cell is empty and the dash a rule's debris
        return None
    return None


def _split_unanchored(cells: Cells, phrases: Phrases) -> None:
    """Share the Mutu Baku words of a first line without a Waktu (an empty Waktu cell, or
    "-" lost as a remnant) among Kelengkapan, Output and Keterangan: the Keterangan starts at
    its opening word, and the rest is cut where both sides are cells the other rows of the
    document hold in those columns (their Waktu told the columns apart there)."""
    words = " ".join(cells.requirements).split()
    if _deal_blocks(words, cells):
        return
    words = [w for w in words if w != "|"]
    ket = next((i for i, w in enumerate(words) if i > 0 and _ket_start(w)), len(words))
    mutu, notes = words[:ket], words[ket:]

    def known(part: list[str], seen: list[str]) -> int:
        return seen.count(norm(" ".join(part))) if part else 0

    best = (0, len(mutu))
    for cut in range(len(mutu) + 1):
        left, right = mutu[:cut], mutu[cut:]
        if right and not known(right, phrases.outputs):
            continue
        if left and not known(left, phrases.requirements):
            continue
        score = known(left, phrases.requirements) + known(right, phrases.outputs)
        if score > best[0]:
            best = (score, cut)
    if best[0] == 0:
        best = (0, _known_cells_cut(mutu, phrases))
    cut = best[1]
    cells.requirements = [" ".join(mutu[:cut])] if cut else []
    if mutu[cut:]:
        cells.output = [" ".join(mutu[cut:])]
    if notes:
        cells.notes = [" ".join(notes), *cells.notes]


def _deal_blocks(words: list[str], cells: Cells) -> bool:
    """Deal cells read as blocks (:func:`_cell_blocks`, a rule between each two): the
    Keterangan from its opening word on, and two blocks before it are the Kelengkapan and
    the Output (the Waktu cell empty between them). Whether they were dealt so."""
    parts = _split_at_bars(words)
    ket = next((i for i, p in enumerate(parts) if i > 0 and _opens_notes(p[0])), len(parts))
    if ket != _REQUIREMENTS_AND_OUTPUT:
        return False
    cells.requirements, cells.output = [" ".join(parts[0])], [" ".join(parts[1])]
    if parts[ket:]:
        cells.notes = [" ".join(w for p in parts[ket:] for w in p), *cells.notes]
    return True


_REQUIREMENTS_AND_OUTPUT = 2


def _known_cells_cut(mutu: list[str], phrases: Phrases) -> int:
    """Where two Mutu Baku cells meet when no Waktu told the columns apart: at a Capitalised
    word, with a cell text the document uses elsewhere on one side at least ("Laporan IKU" +
    "Draf Surat"); else all of it stays one cell (the Kelengkapan, as a first cell is)."""
    best, where = 0, len(mutu)
    for cut in range(1, len(mutu)):
        if not is_cap(mutu[cut]):
            continue  # a cell starts Capitalised
        left, right = " ".join(mutu[:cut]), " ".join(mutu[cut:])
        score = 2 * phrases.whole(left) + 2 * phrases.whole(right) + phrases.starts(right)
        if score > best:
            best, where = score, cut
    return where if best >= _ONE_KNOWN else len(mutu)


_ONE_KNOWN = 2
"""One side of a cut must be a whole cell the document uses: two unknown Capitalised words
("Surat Edaran") are one cell."""


def _split_at_bars(toks: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for t in toks:
        if t == "|":
            if parts[-1]:
                parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


def _split_activity(
    toks: list[str], phrases: Phrases, anchored: bool = True
) -> tuple[list[str], list[str]]:
    """Split the text before the Waktu into the activity and the Kelengkapan.

    Without a Waktu (``anchored`` false) the text runs on to the Keterangan, whose opening
    word ("Melalui", "Rangkap") after a rule or a lower-case word starts that cell, not the
    Kelengkapan."""
    toks = list(toks)
    if not anchored and (blocks := _cell_blocks(toks)) is not None:
        return blocks
    while "|" in toks:
        i = len(toks) - 1 - toks[::-1].index("|")
        left = [t for t in toks[:i] if t != "|"]
        right = [t for t in toks[i + 1 :] if t != "|"]
        if not anchored and left and right and _opens_notes(right[0]):
            toks = toks[:i] + toks[i + 1 :]
            continue
        if left:
            return left, right
        toks = right
        break
    words = [t for t in toks if t != "|"]
    cuts = [
        i for i in range(1, len(words))
        if ((
            (is_lower(words[i - 1]) or _ends_step_reference(words, i) or _arrow_tip(words, i))
            and is_cap(words[i])
            and not phrases.running_phrase_at(words, i)
        ) or phrases.title_broken_at(words, i)) and not _clause_in(words[i:])
    ]
    if not anchored and len(cuts) > 1 and _opens_notes(words[cuts[-1]]):
        cuts.pop()
    known = _known_cut(words, phrases, 1 if anchored else 2)
    if known is not None and not anchored and cuts and cuts[-1] < known and _cell_block(
            words[cuts[-1] : known]) and _made_of_cells(words[known:], phrases, 1):
        # no Waktu between the cells: where the activity's running text turns into a
        # Capitalised noun phrase it ends, and that phrase is the Kelengkapan before a cell
        # the document uses ("diteruskan | Formulir isian | Surat keluar | Paling lambat")
        return words[: cuts[-1]], words[cuts[-1] :]
    if known is not None:
        return words[:known], words[known:]
    if not cuts:
        return words, []
    return words[: cuts[-1]], words[cuts[-1] :]


_CELL_BLOCK_WORDS = 5
"""A Mutu Baku cell read as a block of its own is a short noun phrase."""


def _cell_blocks(toks: list[str]) -> tuple[list[str], list[str]] | None:
    """A row the page mode read as blocks, its activity and then two Mutu Baku cells or more,
    each a block ("Menandatangani daftar hadir ... | Disposisi | Arsip"), and no Waktu among
    them: (the activity, the cells with a rule between each two), or None. Every block after
    the activity is a short Capitalised noun phrase, no jabatan (an activity's last line may
    come as a block of its own: "diserahkan kepada" | "Kepala Badan")."""
    parts = _split_at_bars(toks)
    k = len(parts)
    while k > 1 and _cell_block(parts[k - 1]):
        k -= 1
    if len(parts) - k < 2:
        return None
    return [t for p in parts[:k] for t in p], [t for p in parts[k:] for t in (*p, "|")][:-1]


def _cell_block(words: list[str]) -> bool:
    return (0 < len(words) <= _CELL_BLOCK_WORDS and is_cap(words[0]) and not head_key(words[0])
            and not any(is_lower(w) and (is_verb(w) or w in CLAUSE_WORDS) for w in words))


def _arrow_tip(words: list[str], i: int) -> bool:
    """Whether words[i - 1] is a lone digit after running text that names no step ("...
    kemudian diserahkan 5 Laporan IKU"): an arrow's tip read where the activity's line meets
    the cells, a boundary like a lower-case word's end."""
    return (i >= 2 and bool(re.fullmatch(r"\d", words[i - 1])) and is_lower(words[i - 2])
            and not _ends_step_reference(words, i))


def _clause_in(words: list[str]) -> bool:
    """Whether ``words`` carry a sentence on ("Indikator Kinerja Utama, kemudian
    diserahkan"): a clause word that joins no nouns. A Kelengkapan is a noun phrase, so a
    cut before such words is inside the activity, a name in it Capitalised."""
    return any(w.strip(",.;:") in CLAUSE_WORDS and w.strip(",.;:") not in _NOUN_JOINERS
               for w in words)


def _known_cut(words: list[str], phrases: Phrases, cells: int) -> int | None:
    """The first place after the activity's verb from which the rest is made of at most
    ``cells`` cell texts the document uses elsewhere (and a Keterangan), Capitalised as a
    cell starts: a cell that starts inside a Capitalised name the activity broke off
    ("konsep Indikator Kinerja" | "Buku agenda")."""
    for i in range(2, len(words)):
        if is_cap(words[i]) and _made_of_cells(words[i:], phrases, cells):
            return i
    return None


def _made_of_cells(words: list[str], phrases: Phrases, cells: int) -> bool:
    if not words:
        return True
    if cells == 0:
        return _opens_notes(words[0])
    return any(
        phrases.whole(" ".join(words[:k])) and _made_of_cells(words[k:], phrases, cells - 1)
        for k in range(1, min(len(words), 6) + 1))


def _opens_notes(word: str) -> bool:
    return word.strip(",.;:").lower() in NOTES_OPENERS or _misspelt_opener(word)


def _ends_step_reference(words: list[str], i: int) -> bool:
    """Whether words[i - 1] is the number of a step reference ("ke langkah 3"): it ends the
    running text like a lower-case word does."""
    return i >= 2 and bool(_STEP_NUMBER.match(words[i - 1])) and bool(
        STEP_REFERENCE.search(f"{words[i - 2]} {words[i - 1]}"))


def _mutu_line(line: str, after: list[tuple[int, str]], phrases: Phrases) -> Cells | None:
    """The Mutu Baku cells of a wrapped line that opens them, when the row's first line held
    no Waktu; None when the line is no such line.

    A PDF viewer's copy gives each cell in the content stream's order, so a row whose
    activity wraps gives its cells (Kelengkapan, Waktu, Output, Keterangan) after the
    activity's last line, and OCR gives the same when it reads the activity's block before
    the cells' block. Such a line starts with a cell, Capitalised, or with the Waktu itself,
    and holds the Waktu (or a "-" for it); the cells' ``stage`` tells the row's later lines
    which cell they go on with."""
    toks = tokens(line)
    words = [t for t in toks if t != "|"]
    if not words:
        return None
    follow = [w for _, text in after[:_WAKTU_WRAP] for w in text.split()]
    found = waktu.find(toks, follow)
    if found is None:
        return _dash_line(line)
    if found.start > 0 and not is_cap(words[0]):
        return None
    if any(_continues_sentence(w) and w.strip(",.;:") not in _NOUN_JOINERS
           for w in toks[: found.start]):
        return None  # running text before the time ("jika tidak sesuai kembali ke ..."): the
        # activity goes on, a Kelengkapan is a noun phrase
    mutu = Cells()
    _read_first_line(line, mutu, phrases, follow)
    if not mutu.duration:
        return None
    requirements = " ".join([*mutu.activity, *mutu.requirements]).split()
    mutu.activity = []
    mutu.requirements = [" ".join(requirements)] if requirements else []
    mutu.stage = "notes" if mutu.notes else "output" if mutu.output else "waktu"
    return mutu


def _dash_line(line: str) -> Cells | None:
    """A wrapped line of Mutu Baku cells whose Waktu holds only "-" (no time set): a
    Capitalised Kelengkapan, the dash, and the cells after it ("Surat Edaran - Arsip")."""
    words = line.replace("|", " ").split()
    k = next((i for i, w in enumerate(words) if _DASH.match(w)), 0)
    if not (0 < k < len(words) - 1) or not is_cap(words[0]) or not is_cap(words[k + 1]):
        return None
    if any(not is_cap(w) and not is_lower(w) for w in words[:k]):
        return None  # remnants of a symbol, no cell
    mutu = Cells(requirements=[" ".join(words[:k])], duration="-", stage="waktu")
    _read_after_mutu(words[k + 1 :], mutu)
    return mutu


def _unanchored_line(
    rest: list[tuple[int, str]], phrases: Phrases
) -> tuple[int | None, Cells | None]:
    """A row's wrapped line of Mutu Baku cells whose Waktu cell is empty, when no line of
    the row holds a Waktu: the last line that is made of cells the document's other rows
    hold (one or two, and a Keterangan from its opening word), Capitalised as a cell starts.
    Its words are shared among the cells as a first line's are (:func:`_split_unanchored`)."""
    for k in range(len(rest) - 1, -1, -1):
        words = [t for t in tokens(rest[k][1], wrapped=True) if t != "|"]
        if not words or not is_cap(words[0]):
            continue
        ket = next((i for i, w in enumerate(words) if i > 0 and _ket_start(w)), len(words))
        if _made_of_cells(words[:ket], phrases, 2) and ket > 0:
            mutu = Cells(requirements=[" ".join(words)])
            _split_unanchored(mutu, phrases)
            mutu.stage = "notes" if mutu.notes else "output"
            return k, mutu
    return None, None


def _take_mutu(mutu: Cells, cells: Cells) -> None:
    cells.requirements.extend(mutu.requirements)
    cells.duration, cells.pending, cells.stage = mutu.duration, mutu.pending, mutu.stage
    cells.output.extend(mutu.output)
    cells.notes.extend(mutu.notes)


def _only_activity(cells: Cells) -> None:
    """The first line's words, all of them the activity's: the row's Mutu Baku cells come on
    a later line, so what the first line seemed to hold of them ("konsep Indikator Kinerja
    Utama" read as a Kelengkapan) is the activity going on."""
    words = " ".join([*cells.activity, *cells.requirements, *cells.output, *cells.notes])
    cells.activity = [words] if words else []
    cells.requirements, cells.output, cells.notes = [], [], []


def _read_after_mutu(toks: list[str], cells: Cells) -> None:
    """A line after a wrapped line's Mutu Baku cells goes on with the last of them, in the
    order the cells were written: the Waktu's next cell is the Output, and a Keterangan
    opener starts the Keterangan ("Melalui aplikasi", "Paling lambat" / "hari Jumat")."""
    words = drop_labels([t for t in toks if t != "|"])
    if cells.stage == "waktu" and not cells.pending:
        cells.duration, words, cells.pending = waktu.extend(cells.duration, words)
    if not words:
        return
    ket = 0 if cells.stage == "notes" else next(
        (i for i, w in enumerate(words) if _ket_start(w)), len(words))
    if words[:ket]:
        cells.output.append(" ".join(words[:ket]))
        cells.stage = "output"
    if words[ket:]:
        cells.notes.append(" ".join(words[ket:]))
        cells.stage = "notes"


def _read_wrapped_line(toks: list[str], cells: Cells, phrases: Phrases) -> None:
    """Deal a wrapped line to the activity and the Mutu Baku cells it continues."""
    words = [t for t in toks if t != "|"]
    if cells.stage and words and (words[0] in _SEQUENCE_WORDS or _names_step(words)):
        # "kemudian diserahkan kepada ...", "tidak kembali ke langkah 8": running text
        # opens no cell, and no cell names a step, even after the cells were written (the
        # page mode read the activity's end after them)
        cells.activity.append(" ".join(words))
        return
    if cells.stage:
        _read_after_mutu(toks, cells)
        return
    # the conditions so far and on this line: its labels may follow its own "jika ..."
    conds = labels.conditions(join_parts([*cells.activity, *(t for t in toks if t != "|")]))
    toks = labels.drop_conditions(toks, conds, phrases.known)
    k = _role_completion(toks, cells, phrases)
    if k:
        cells.activity.append(" ".join(toks[:k]))
        toks = toks[k:]
        if not any(t != "|" for t in toks):
            return
    words = [t for t in toks if t != "|"]
    # 1. a boundary symbol inside the line ends the activity part
    act: list[str] = []
    rest = words
    if toks and toks[0] != "|" and "|" in toks:
        i = toks.index("|")
        act = [t for t in toks[:i]]
        rest = [t for t in toks[i + 1 :] if t != "|"]
    elif toks and toks[0] == "|":
        act, rest = [], words
    else:
        act, rest = _activity_prefix(words, cells, phrases)
    if act:
        cells.activity.append(" ".join(act))
    rest = labels.drop_conditions(drop_labels(rest), labels.conditions(join_parts(cells.activity)),
                                  phrases.known)
    if rest:
        _deal_mutu(rest, cells, phrases)


def _activity_prefix(
    words: list[str], cells: Cells, phrases: Phrases
) -> tuple[list[str], list[str]]:
    """Split a wrapped line without symbols into (activity words, Mutu Baku words)."""
    tail: list[str] = []
    for k in range(min(5, len(words)), 0, -1):
        if _supported_deal(words[-k:], cells, phrases):
            tail = words[-k:]
            break
    body = words[: len(words) - len(tail)]
    if not body:
        return [], tail
    i = _transition(body, phrases)
    while i is not None and _title_runs_on(body[i:]):
        # "aplikasi SRIKANDI, kemudian ...": a name in the sentence, no cell starting
        later = _transition(body[i + 1 :], phrases)
        i = None if later is None else i + 1 + later
    if i is None and tail and is_lower(body[-1]) and is_cap(tail[0]):
        return body, tail  # "yang telah terkumpul | Kinerja Utama"
    if i is not None:
        return body[:i], body[i:] + tail
    # "... berkas permohonan permohonan terperiksa": a word read twice is two cells meeting
    for j in range(1, len(body)):
        if body[j].lower() == body[j - 1].lower() and _activity_open(cells):
            return body[:j], body[j:] + tail
    if (_activity_open(cells) or _continues_sentence(body[0]) or _title_runs_on(body)
            or _name_runs_on(cells, body[0], phrases) or _runs_as_sentence(body)
            or _names_step(body)):
        return body, tail
    return [], body + tail


def _names_step(words: list[str]) -> bool:
    """A wrapped line of running text that names a step ("tidak kembali ke langkah 8"): an
    activity's branch, never a Mutu Baku cell."""
    return bool(words) and is_lower(words[0]) and bool(STEP_REFERENCE.search(" ".join(words)))


def _name_runs_on(cells: Cells, word: str, phrases: Phrases) -> bool:
    """A wrapped line opening with the next word of a Capitalised name the activity broke
    off, as the document's running text writes it elsewhere ("Surat Perintah" /
    "Membayar")."""
    parts = [p for p in cells.activity if p.strip()]
    return bool(parts) and phrases.mid_sentence(parts[-1].split()[-1], word)


_RUN_ON_AT = 3
"""How far into a wrapped line a running-text word shows that its Capitalised first words
finished a name the activity broke off."""


def _title_runs_on(words: list[str]) -> bool:
    """A wrapped line opening with the Capitalised end of a name the activity broke off,
    then going on as running text ("Utama, kemudian diserahkan kepada"): a clause word or a
    lower-case verb among its first words, which a Mutu Baku noun phrase never has."""
    return is_cap(words[0]) and any(
        _continues_sentence(w) and w.strip(",.;:") not in _NOUN_JOINERS
        for w in words[1:_RUN_ON_AT + 1])


_NOUN_JOINERS = frozenset({"dan", "serta", "yang"})
"""Clause words that also join the nouns of a Mutu Baku cell ("KTP dan KK")."""
_SEQUENCE_WORDS = frozenset(CLAUSE_WORDS - _NOUN_JOINERS - set(NOTES_OPENERS))
"""Clause words that only carry a sentence on ("kemudian", "selanjutnya"): no Mutu Baku
cell, Keterangan included, opens with one."""


_ROLE_UNIT_WORDS = 3  # a role name's unit part wraps over at most this many words


def _role_completion(toks: list[str], cells: Cells, phrases: Phrases) -> int:
    """How many leading words of a wrapped line finish a role name the activity broke off
    ("… diserahkan kepada Kasubbag" / "Perencanaan"): the activity ends in a jabatan word and
    the words are unit words of a role column of the header."""
    parts = [p for p in cells.activity if p.strip()]
    last = parts[-1].split()[-1].strip(",.;:") if parts else ""
    if not last or not (head_key(last) or norm(last) in phrases.roles):
        return 0
    k = 0
    while k < min(len(toks), _ROLE_UNIT_WORDS) and toks[k] != "|":
        word = norm(toks[k].strip(",.;:"))
        if not (is_cap(toks[k]) and word in phrases.unit_words and not head_key(toks[k])):
            break
        k += 1
    return k


def _runs_as_sentence(words: list[str]) -> bool:
    """A lower-case line with a clause word or a verb among its first words ("tim, kemudian
    diserahkan kepada"): the activity goes on, even after a sentence OCR ended with a stray
    dot ("bersama." / "tim"); no Mutu Baku cell is a sentence."""
    return is_lower(words[0]) and any(
        _continues_sentence(w) for w in words[1 : _RUN_ON_AT + 1])


def _continues_sentence(word: str) -> bool:
    """A wrapped line opening with a clause word or a lower-case verb goes on with the
    activity ("… dikembalikan kepada Ketua Tim" / "untuk diperbaiki"), even after a
    Capitalised role name: Mutu Baku cells are noun phrases."""
    w = word.strip(",.;:")
    return is_lower(word) and (w in CLAUSE_WORDS or is_verb(w))


def _supported_deal(words: list[str], cells: Cells, phrases: Phrases) -> bool:
    """Whether ``words`` can be dealt to open Mutu Baku cells, each piece with evidence."""
    parts = _best_deal(words, cells, phrases)
    targets = (cells.requirements, cells.output, cells.notes)
    used = False
    for cell, part in zip(targets, parts, strict=True):
        if not part:
            continue
        prev = join_parts(cell)
        if not prev or not phrases.supports(prev, " ".join(part)):
            return False
        used = True
    return used


def _transition(words: list[str], phrases: Phrases) -> int | None:
    """Where a lower-case word (or a step reference's number, "ke langkah 3") is followed by
    a Capitalised one that starts no title phrase."""
    for i in range(1, len(words)):
        if (is_lower(words[i - 1]) or _ends_step_reference(words, i)) and is_cap(words[i]):
            if phrases.running_phrase_at(words, i):
                continue
            return i
    return None


def _activity_open(cells: Cells) -> bool:
    """Whether the activity so far reads as unfinished (ends in a lower-case word)."""
    parts = [p for p in cells.activity if p.strip()]
    if not parts:
        return True
    last = parts[-1].split()[-1]
    if last.endswith((".", ";")):
        return False
    return is_lower(last)


_OUTPUT = 1
"""The Output's place among the cells a wrapped line is dealt to."""
_WHOLE_WORDS = 2
"""A document name read this long, and written so in other rows, is whole; a single word may
be a first line the column cut ("Berkas" / "terperiksa")."""


def _named_whole(cell: str, phrases: Phrases) -> bool:
    """Whether ``cell`` is a name of two words or more the document writes as a whole cell
    and never as the start of a longer one."""
    key = norm(cell)
    return (len(key.split()) >= _WHOLE_WORDS and phrases.whole(cell)
            and not any(c.startswith(key + " ") for c in phrases.cells))


_FULLER = 3
"""Characters by which another cell's line must be longer before a word that would have fit
after this cell's line is taken for a piece of that fuller cell."""


def _best_deal(words: list[str], cells: Cells, phrases: Phrases) -> list[list[str]]:
    """The best split of ``words`` into (Kelengkapan, Output, Keterangan) continuations."""
    targets = [cells.requirements, cells.output, cells.notes]
    if len(words) > _MAX_DEAL_WORDS:
        # no real cell wraps that long: keep the cost bounded, give it to the last open cell
        last = max((i for i, c in enumerate(targets) if c), default=0)
        return [words if i == last else [] for i in range(3)]
    scored: list[tuple[float, int, int, list[list[str]]]] = []
    n = len(words)
    for a in range(n + 1):
        for b in range(a, n + 1):
            parts = [words[:a], words[a:b], words[b:]]
            s = 0.0
            for column, (cell, part) in enumerate(zip(targets, parts, strict=True)):
                if not part:
                    continue
                prev = join_parts(cell)
                if not prev:
                    s -= 2
                    continue
                if phrases.would_fit(column, cell[-1], part[0]) and any(
                    len(other[-1]) >= len(cell[-1]) + _FULLER for other in targets if other
                ):
                    s -= 0.5  # a hint only: it breaks ties the phrases leave
                piece = " ".join(part)
                if phrases.joins(prev, piece):
                    s += 2
                if phrases.whole(prev + " " + piece):
                    s += 3
                elif phrases.starts(prev + " " + piece):
                    s += 2
                elif column == _OUTPUT and _named_whole(prev, phrases):
                    s -= 0.5  # a hint: the Output names a document the table writes whole
                    # and never longer ("Surat keluar" / "hari Jumat" goes on the Keterangan)
            # cutting a phrase the document uses costs
            for cut in (a, b):
                if 0 < cut < n and phrases.joins(words[cut - 1], words[cut]):
                    s -= 1
            full = min((len(c[-1]) for c, p in zip(targets, parts, strict=True) if p and c),
                       default=0)
            scored.append((s, sum(1 for p in parts if p), full, parts))
    # ties: a wrapped line usually ends several cells at once (the rightmost cell first) ...
    top = max(s for s, *_ in scored)
    tied = [(k, f, p) for s, k, f, p in scored if s == top]
    best = max(tied, key=lambda t: t[0])  # max keeps the first of equals
    if top <= 0:
        # ... unless, without any evidence, a cell whose line is clearly fuller takes the
        # words: the fullest cell is the one that wraps (every cell given words had a line
        # at least this long)
        fuller = max(tied, key=lambda t: t[1])
        if fuller[1] >= best[1] + _FULLER:
            best = fuller
    return best[2]


def _deal_mutu(words: list[str], cells: Cells, phrases: Phrases) -> None:
    """Share wrapped Mutu Baku words among Kelengkapan, Output and Keterangan."""
    targets = [cells.requirements, cells.output, cells.notes]
    for cell, part in zip(targets, _best_deal(words, cells, phrases), strict=True):
        if part:
            cell.append(" ".join(part))
