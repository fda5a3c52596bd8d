"""An SOP table as pandoc's simple or multiline table: columns told by runs of dashes.

pandoc (``-t plain``, ``-t markdown`` without grid tables) and tools that copy its style write
a table without any ``|``: the header row is underlined by one run of dashes per column, with a
space between runs, so the runs give the columns exactly. A *multiline* table (what long SOP
cells make) opens and closes with a line of dashes across the whole table and ends each row
with a blank line, its cells wrapped inside their columns; a *simple* table has no opening
line and one line per row, ending at a blank line. Either way each row becomes one tab line
and the tab reader (:mod:`converters.reading.readers.tabbed`) reads the table, its header and
the lines around it.
"""

from __future__ import annotations

import dataclasses
import re

from converters.model import ConversionError
from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed
from converters.reading.readers.gridtable import join_cell_lines

_COLUMNS = re.compile(r"^ ?-{2,}(?: -{1,})+ *$")
_FULL = re.compile(r"^ ?-{10,} *$")


def _spans(rule: str) -> list[int]:
    """Where each column starts: the first dash of each run."""
    return [m.start() for m in re.finditer(r"-+", rule)]


def _cells(lines: list[str], starts: list[int]) -> str:
    """One row's lines cut at the column starts, each column's parts joined: a tab line."""
    ends = [*starts[1:], None]
    cells = []
    for a, b in zip(starts, ends, strict=True):
        parts = [line[a:b].strip() for line in lines]
        cells.append(join_cell_lines([p for p in parts if p]))
    return "\t".join(cells)


def as_tab_lines(text: str) -> list[str]:
    """Each row of every dash-ruled table as one tab line; other lines as they are."""
    lines = tabbed.prepare(text).split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not _COLUMNS.match(line):
            out.append(line.strip())
            i += 1
            continue
        starts = _spans(line)
        # the header: the lines above the column rule, up to an opening dashed line or a blank
        head: list[str] = []
        while out and out[-1] and not _FULL.match(out[-1]):
            head.insert(0, out.pop())
        multiline = bool(out) and bool(_FULL.match(out[-1]))
        if multiline:
            out.pop()
        head_lines = lines[i - len(head) : i]
        out.append(_cells(head_lines, starts))
        i += 1
        row: list[str] = []
        while i < len(lines) and not _FULL.match(lines[i]):
            if not lines[i].strip():
                if row:
                    out.append(_cells(row, starts))
                    row = []
                if not multiline:
                    break
            elif multiline:
                row.append(lines[i])
            else:
                out.append(_cells([lines[i]], starts))
            i += 1
        if row:
            out.append(_cells(row, starts))
        if i < len(lines) and _FULL.match(lines[i]):
            i += 1
    return out


def sniff(text: str) -> float:
    """How much the text looks like dash-ruled tables holding the SOP table."""
    if "\t" in text or "|" in text:
        return 0.0
    if not any(_COLUMNS.match(line) for line in text.replace("\r\n", "\n").split("\n")):
        return 0.0
    return 0.95 if tabbed.find_header(as_tab_lines(text)) is not None else 0.0


def read(text: str) -> RawDocument:
    """Read dash-ruled tables by handing their rows to the tab reader."""
    lines = as_tab_lines(text)
    if tabbed.find_header(lines) is None:
        raise ConversionError(
            "Tabel bergaris putus tanpa kepala tabel SOP (No/Kegiatan) / "
            "dash-ruled table without an SOP header"
        )
    doc = tabbed.read("\n".join(lines))
    return dataclasses.replace(doc, source_format="dashed")
