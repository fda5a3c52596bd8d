"""Table rows whose cells were joined by a separator while keeping their line breaks: what a
"PDF table to text" script writes from pdfplumber's ``extract_tables()`` (``"\\t".join(row)``
or ``" | ".join(row)``), and what a copied Word table gives when a cell holds paragraphs.

Each row is written as its cells with a separator between them, but a cell's own line breaks
stay in its text, so one table row spreads over several lines: the first holds the cells up
to the break, the next lines go on with the broken cell and then the cells after it. What the
form keeps is the count: every row of a table has the same number of cells, so a row is
complete once it has as many separators as the table's header. The lines of the SOP table are
joined back that way (a broken cell's parts joined by a space), and a line without any
separator right after a complete row goes on with its last cell (a wrapped Keterangan); a
line with the full count is a row of its own, never the rest of another (a short row of a
narrower table above, the identity block, is left open until then). The
rows are then tab lines, and the tab reader (:mod:`converters.reading.readers.tabbed`) reads
the table as a copied Word table.

``" | "`` needs the spaces on both sides: OCR text draws table rulings as bare bars, and no
table script writes cells without them.
"""

from __future__ import annotations

import dataclasses
import re

from converters.model import ConversionError
from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed
from converters.reading.vocabulary import (
    ACTIVITY_TITLE,
    MUTU_GROUP_TITLE,
    TERMINATOR_WORDS,
    mutu_kind,
)

SEPARATORS = ("\t", " | ")
_MIN_WIDTH = 4
_MIN_JOINED = 2
_MUTU_GROUP = re.compile(rf"^{MUTU_GROUP_TITLE}", re.IGNORECASE)
_ACTIVITY = re.compile(rf"^(?:{ACTIVITY_TITLE})\b", re.IGNORECASE)


def _split(line: str, separator: str) -> list[str]:
    if separator == "\t":
        return line.split("\t")
    cells = f" {line} ".split(" | ")
    return [c.strip() for c in cells]


_STEP_CELL = re.compile(r"^\s*\d{1,3}[.)]?\s*$")
_CUT_END = re.compile(r"(?:^|\s)([A-Za-z/]+)$")
_CUT_START = re.compile(r"^([a-z][A-Za-z/]*)(?:\s|$)")


def mend_cut_words(cells: list[str]) -> list[str]:
    """A title cut at a cell border, as a table extractor crops text that runs over its
    column ("Pemohon P" | "ersyaratan/Perlengkapa" | "n Waktu"): where a cell ends in letters
    and the next starts with a small letter, the shorter part moves to the longer one.
    Only rows without a step number are mended: header titles are what overflow their
    columns, and a cell of a step row may well start with a small letter."""
    out = list(cells)
    for i in range(len(out) - 1):
        end, start = _CUT_END.search(out[i]), _CUT_START.match(out[i + 1])
        if not end or not start:
            continue
        head, tail = end.group(1), start.group(1)
        if len(head) <= len(tail):
            out[i] = out[i][: end.start(1)].rstrip()
            out[i + 1] = head + out[i + 1]
        else:
            out[i] = out[i] + tail
            out[i + 1] = out[i + 1][len(tail) :].lstrip()
    return out


def _is_header(line: str) -> bool:
    """A table header line; a broken activity going on with "langkah 2" is none (a column
    title holds no number)."""
    title = next((c for c in line.split("\t") if _ACTIVITY.match(c.strip())), "")
    return not any(ch.isdigit() for ch in title) and tabbed.find_header([line]) is not None


def _step_number(cells: list[str], next_step: int) -> bool:
    """The line opens the next step's row: its first cell is the step's number (one or two
    lost numbers allowed)."""
    if len(cells) < 2 or not _STEP_CELL.match(cells[0]):
        return False
    return next_step <= int(cells[0].strip().rstrip(".)")) <= next_step + 2


def _widths(lines: list[list[str]]) -> list[int]:
    """Each line's bound on a row's cells: the most cells a line holds between two table
    headers (a page's table; no row has more cells than its fullest line)."""
    out = [0] * len(lines)
    start = 0
    for i in range(len(lines) + 1):
        if i == len(lines) or (i > start and _is_header("\t".join(lines[i]))):
            width = max(len(cells) for cells in lines[start:i])
            out[start:i] = [width] * (i - start)
            start = i
    return out


def join_rows(text: str, separator: str) -> tuple[list[str], int]:
    """The lines as tab lines with every broken table row joined back, and how many lines
    were joined to the row above them.

    From the SOP table's header on, a row runs from its first line to the next row's start
    (the next step's number, a table header, a row of empty cells, an empty line, a line
    whose first cell is empty: a broken cell goes on with text): every line between goes on
    with the cell the line above broke. The rows above the table (the identity block, whose
    rows start with any label) take only a line without separators as the rest of their
    last cell. A line that would give a row more cells than any line of its table holds
    starts a row of its own (:func:`_widths`)."""
    out: list[str] = []
    row: list[str] | None = None
    step_row = in_table = False
    next_step = 1
    joined = 0

    def flush() -> None:
        nonlocal row, next_step
        if row is not None:
            cells = [" ".join(c.split()) for c in row]
            filled = [c for c in cells if c]
            if step_row:
                next_step = int(cells[0].strip().rstrip(".)")) + 1
            elif len(filled) == 1 and filled[0].lower() in TERMINATOR_WORDS:
                cells = [""]  # a flowchart's end capsule on a row of its own: no cell
            else:
                cells = mend_cut_words(cells)
            out.append("\t".join(cells))
        row = None

    lines = tabbed.prepare(text).split("\n")
    split = [_split(ln, separator) if separator in ln else [ln.strip()] for ln in lines]
    for cells, width in zip(split, _widths(split), strict=True):
        if cells == [""] or not any(c.strip() for c in cells):
            flush()
            out.append("")
            continue
        header = _is_header("\t".join(cells))
        starts = (
            header
            or _step_number(cells, next_step)
            or (len(cells) > 1 and not cells[0].strip())  # a broken cell goes on with text
        )
        if row is not None and not starts and row[-1].strip():  # a broken cell has text
            fits = len(row) + len(cells) - 1 <= width
            if fits and (in_table or len(cells) == 1):
                row[-1] = f"{row[-1]} {cells[0]}".strip()
                row += cells[1:]
                # only a broken step counts: lines typed under the table (an identity or
                # signature block of two cells) join too, but never make the text this shape
                joined += step_row
                continue
        flush()
        if header:
            in_table = True
        if len(cells) > 1:
            row, step_row = cells, _step_number(cells, next_step)
        else:
            out.append(cells[0])
    flush()
    return out, joined


def _mutu_start(head: list[list[str]]) -> int | None:
    """The first Mutu Baku column of a header (its group title or a column title)."""
    for j in range(len(head[0])):
        for row in head:
            cell = row[j].strip()
            if cell and (_MUTU_GROUP.match(cell) or mutu_kind(cell)):
                return j
    return None


def _realign(cells: list[str], width: int, activity: int, mutu: int) -> list[str]:
    """A step row with another count of cells than its header: the surplus (or the lack)
    lies where drawings split the page, between the activity and the Mutu Baku columns,
    so the Mutu Baku cells are counted from the right and the cells between are the roles
    (surplus joined into the last one, missing ones empty)."""
    right = width - mutu
    roles = mutu - activity - 1
    if len(cells) - right <= activity or roles < 1:
        return cells
    middle = cells[activity + 1 : len(cells) - right]
    if len(middle) > roles:
        middle = [*middle[: roles - 1], " ".join(c for c in middle[roles - 1 :] if c)]
    middle += [""] * (roles - len(middle))
    return [*cells[: activity + 1], *middle, *cells[len(cells) - right :]]


def merge_split_columns(lines: list[str]) -> list[str]:
    """Each table's columns as its header names them. A table extractor splits a column
    wherever a line of the page crosses it (a flowchart's connectors and symbols in the role
    columns), so pages of one table get different counts of cells. A column that is empty in
    every line of its header (the title lines, the role names, the column numbers) is such a
    split: its cells join the column to their left. A step row that still has another count
    (a page without a header of its own, split elsewhere) is lined up by :func:`_realign`."""
    out = list(lines)
    starts = [i for i, line in enumerate(out) if _is_header(line)]
    for n, h in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(out)
        width = len(out[h].split("\t"))
        head = [out[h].split("\t")]
        for line in out[h + 1 : min(h + 3, end)]:
            cells = line.split("\t")
            if (
                len(cells) != width
                or sum(1 for c in cells if c.strip()) < 2
                or _STEP_CELL.match(cells[0])
            ):
                break
            head.append(cells)
        if len(head) < 2:  # one title line cannot tell a split from a merged title
            continue
        empty = [j for j in range(1, width) if not any(row[j].strip() for row in head)]
        for i in range(h, end):
            cells = out[i].split("\t")
            if len(cells) != width:
                continue
            for j in reversed(empty):
                cells[j - 1] = f"{cells[j - 1]} {cells[j]}".strip()
                del cells[j]
            out[i] = "\t".join(cells)
        for row in head:
            for j in reversed(empty):
                del row[j]
        width -= len(empty)
        mutu = _mutu_start(head)
        activity = next((j for j, c in enumerate(head[0]) if _ACTIVITY.match(c.strip())), None)
        if mutu is None or activity is None or mutu <= activity:
            continue
        for i in range(h, end):
            cells = out[i].split("\t")
            if len(cells) != width and _STEP_CELL.match(cells[0]):
                out[i] = "\t".join(_realign(cells, width, activity, mutu))
    return out


def _separator(text: str) -> str | None:
    """The separator whose joined rows hold an SOP table header."""
    for separator in SEPARATORS:
        if separator not in text:
            continue
        lines, joined = join_rows(text, separator)
        if joined >= _MIN_JOINED and tabbed.find_header(lines) is not None:
            return separator
    return None


def sniff(text: str) -> float:
    """How much the text looks like table rows broken at their cells' line breaks: a
    separator whose rows, joined back, give an SOP header (just above the tab reader, which
    reads such text row by broken row)."""
    return 0.92 if _separator(text) is not None else 0.0


def read(text: str) -> RawDocument:
    """Join the broken rows and hand them to the tab reader."""
    separator = _separator(text)
    if separator is None:
        raise ConversionError(
            "Tabel SOP dengan pemisah sel tidak ditemukan / no SOP table with cell separators"
        )
    lines, _ = join_rows(text, separator)
    doc = tabbed.read("\n".join(merge_split_columns(lines)))
    return dataclasses.replace(doc, source_format="wrapped-rows")
