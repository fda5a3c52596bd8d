"""An SOP table written one cell per line: ``docx2txt``, Apache Tika's plain text, a browser's
copy of some tables.

These tools walk a table's cells in reading order and write each cell's paragraphs on their
own lines with a blank line after every cell, row after row, so no line holds two cells and
nothing marks where a row ends. What is left to read a row by:

* ``docx2txt`` writes an empty cell as an empty paragraph, so each empty cell adds blank
  lines and every row has the same number of cells. The step numbers then recur at a fixed
  period, the table's width: cut there, each row is a tab line again, and the tab reader
  (:mod:`converters.reading.readers.tabbed`) reads the table as a copied Word table;
* a browser copy drops the empty cells: a step row is its number cell, its activity, and its
  filled Mutu Baku cells in column order. The Waktu cell is told by its value
  (:func:`converters.reading.durations.parse_duration`, or a "no time" word); the cells
  before it are the columns the header puts before Waktu, those after it the columns after,
  a Keterangan told from an Output by its opening word
  (:data:`converters.reading.vocabulary.NOTES_OPENERS`). The header's cells name the columns,
  and whatever title is none of the known ones is a role.

Either way the lines above the table go to the tab reader's header parser as lines.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass

from converters.model import ConversionError
from converters.reading.durations import parse_duration
from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed
from converters.reading.vocabulary import (
    ACTIVITY_TITLE,
    MUTU_GROUP_TITLE,
    NOTES_OPENERS,
    NUMBER_TITLE,
    PELAKSANA_TITLE,
    WAKTU_NO_TIME,
    mutu_kind,
)

_NO = re.compile(rf"^(?:{NUMBER_TITLE})$", re.IGNORECASE)
_ACTIVITY = re.compile(rf"^(?:{ACTIVITY_TITLE})$", re.IGNORECASE)
_MUTU_TITLE = re.compile(rf"^{MUTU_GROUP_TITLE}$", re.IGNORECASE)
_PELAKSANA = re.compile(rf"^{PELAKSANA_TITLE}$", re.IGNORECASE)
_STEP_NO = re.compile(r"^(\d{1,3})[.)]?$")
_NUMBERING = re.compile(r"^\(\d{1,2}\)$")
_MIN_STEPS = 2


@dataclass(frozen=True)
class _Cells:
    """The text as cells: ``cells[i]`` one cell's text (its lines joined by spaces), empty
    for an empty cell where the writer kept them (``kept_empty``)."""

    cells: list[str]
    kept_empty: bool


def _cells(text: str) -> _Cells:
    """Cells between blank lines; a run of ``2m + 1`` blank lines holds ``m`` empty cells."""
    lines = tabbed.prepare(text).split("\n")
    blocks: list[tuple[int, str]] = []  # (blank lines before, text)
    blank, current = 0, []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
            continue
        if current:
            blocks.append((blank, " ".join(current)))
            current, blank = [], 0
        blank += 1
    kept = any(b >= 3 for b, _ in blocks[1:])
    cells: list[str] = []
    for n, (b, cell) in enumerate(blocks):
        if kept and n:
            cells += [""] * ((b - 1) // 2)
        cells.append(cell)
    return _Cells(cells, kept)


def _header_at(cells: list[str]) -> int | None:
    """Where the table's header starts: a "No" cell before an activity title, or an
    activity title with a Mutu Baku title among the next cells."""
    filled = [i for i, c in enumerate(cells) if c]
    for n, i in enumerate(filled[:-1]):
        if _NO.match(cells[i]) and _ACTIVITY.match(cells[filled[n + 1]]):
            return i
    return None


def _step_cells(cells: list[str], start: int) -> list[int]:
    """The cells that open a step row: a bare number, 1, 2, 3 … in order, followed by a
    cell of text (the activity)."""
    out: list[int] = []
    want = 1
    for i in range(start, len(cells) - 1):
        m = _STEP_NO.match(cells[i])
        if not m or int(m.group(1)) != want:
            continue
        after = next((c for c in cells[i + 1 :] if c), "")
        if after and not _STEP_NO.match(after):
            out.append(i)
            want += 1
    return out


def _periodic_lines(cells: list[str], head: int, steps: list[int]) -> list[str] | None:
    """Rows cut at the table's width when the step numbers recur at one period (empty cells
    kept); ``None`` when they do not."""
    period = steps[1] - steps[0]
    if period < 3 or any(b - a != period for a, b in itertools.pairwise(steps)):
        return None
    if (steps[0] - head) % period:
        return None
    return ["\t".join(cells[i : i + period]) for i in range(head, len(cells), period)]


@dataclass(frozen=True)
class _Header:
    """The columns the header cells name, in order: "no", "activity", roles, Mutu kinds."""

    titles: list[str]
    kinds: list[str]  # "no", "activity", "role", or a Mutu Baku kind


def _header(cells: list[str]) -> _Header:
    """The columns in order. A two-row header (a "Pelaksana" or "Mutu Baku" title over its
    sub-columns) is read row by row: the first row's titles after a group title and before
    the second row's first role stand right of the groups (Keterangan), so they go last."""
    titles: list[str] = []
    kinds: list[str] = []
    trailing: list[tuple[str, str]] = []
    grouped = mutu_seen = False
    for cell in cells:
        if not cell or _NUMBERING.match(cell):
            continue
        if _MUTU_TITLE.match(cell) or (_PELAKSANA.match(cell) and not mutu_seen):
            # "Pelaksana" after the Mutu Baku title is in the second row: a role's name
            grouped = True
            mutu_seen = mutu_seen or bool(_MUTU_TITLE.match(cell))
            continue
        if _NO.match(cell):
            kind = "no"
        elif _ACTIVITY.match(cell):
            kind = "activity"
        else:
            kind = mutu_kind(cell, other=True) or "role"
        if grouped and kind != "role" and "role" not in kinds and kind not in ("no", "activity"):
            trailing.append((cell, kind))
            continue
        titles.append(cell)
        kinds.append(kind)
    for cell, kind in trailing:
        titles.append(cell)
        kinds.append(kind)
    return _Header(titles, kinds)


def _is_waktu(cell: str) -> bool:
    return parse_duration(cell).max_minutes is not None or bool(WAKTU_NO_TIME.match(cell))


def _is_note(cell: str) -> bool:
    first = cell.split()[0].lower() if cell.split() else ""
    return first in NOTES_OPENERS


def _row_line(cells: list[str], header: _Header) -> str:
    """One step row of a copy without empty cells, put back at its header's columns."""
    out = [""] * len(header.kinds)
    if "no" in header.kinds:
        out[header.kinds.index("no")] = cells[0]
    rest = cells[1:]
    if "activity" in header.kinds and rest:
        out[header.kinds.index("activity")] = rest[0]
        rest = rest[1:]
    mutu = [i for i, k in enumerate(header.kinds) if k not in ("no", "activity", "role")]
    at = next((n for n, c in enumerate(rest) if _is_waktu(c)), None)
    waktu_col = next((i for i in mutu if header.kinds[i] == "duration"), None)
    if at is None or waktu_col is None:  # no cell reads as a time: the Waktu cell is empty
        before, after, cols_after = rest, [], []
        cols_before = [i for i in mutu if i != waktu_col]
    else:
        out[waktu_col] = rest[at]
        before, after = rest[:at], rest[at + 1 :]
        cols_before = [i for i in mutu if i < waktu_col]
        cols_after = [i for i in mutu if i > waktu_col]
    _place(out, before, cols_before, header)
    _place(out, after, cols_after, header)
    return "\t".join(out)


def _place(out: list[str], cells: list[str], cols: list[int], header: _Header) -> None:
    """Fill ``cols`` with ``cells`` in order; fewer cells than columns leave the notes
    column empty unless a cell reads as a remark; more cells join into the last column."""
    if not cells or not cols:
        return
    if len(cells) < len(cols):
        notes = [i for i in cols if header.kinds[i] == "notes"]
        if notes and not any(_is_note(c) for c in cells):
            cols = [i for i in cols if i not in notes]
        elif notes and _is_note(cells[-1]):
            cols = [*[i for i in cols if i not in notes][: len(cells) - 1], notes[0]]
    for n, col in enumerate(cols[: len(cells)]):
        out[col] = cells[n] if n < len(cols[: len(cells)]) - 1 else " ".join(cells[n:])


def as_tab_lines(text: str) -> list[str] | None:
    """The text as tab lines the tab reader reads, or ``None`` when it holds no table
    written a cell per line."""
    parsed = _cells(text)
    cells = parsed.cells
    head = _header_at(cells)
    if head is None:
        return None
    steps = _step_cells(cells, head + 2)
    if len(steps) < _MIN_STEPS:
        return None
    before = [c for c in cells[:head] if c]
    if parsed.kept_empty:
        rows = _periodic_lines(cells, head, steps)
        if rows is not None:
            return [*before, *rows]
    header = _header([c for c in cells[head : steps[0]] if c])
    lines = [*before, "\t".join(header.titles)]
    ends = [*steps[1:], len(cells)]
    for a, b in zip(steps, ends, strict=True):
        row = [c for c in cells[a:b] if c]
        lines.append(_row_line(row, header))
    return lines


def sniff(text: str) -> float:
    """How much the text looks like an SOP table written a cell per line: no tabs, no form
    feeds (pdftotext's pages), the header's "No" and activity title as cells of their own,
    and numbered rows after them."""
    if "\t" in text or "\f" in text:
        return 0.0
    lines = text.replace("\r\n", "\n").split("\n")
    filled = [ln for ln in lines if ln.strip()]
    if not filled or len(lines) - len(filled) < len(filled) // 2:
        return 0.0  # a cell per line leaves a blank line after every cell
    tab_lines = as_tab_lines(text)
    if tab_lines is None or tabbed.find_header(tab_lines) is None:
        return 0.0
    return 0.85


def read(text: str) -> RawDocument:
    """Read a table written a cell per line by handing its rows to the tab reader."""
    lines = as_tab_lines(text)
    if lines is None:
        raise ConversionError(
            "Tabel sel per baris tanpa kepala tabel SOP (No/Kegiatan) / "
            "cell-per-line table without an SOP header"
        )
    doc = tabbed.read("\n".join(lines))
    return dataclasses.replace(doc, source_format="cell-lines")
