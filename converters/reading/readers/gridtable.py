"""An SOP table as a grid table: what pandoc (``-t plain``, ``-t rst``), docling's text export and
many "docx to text" converters write.

A grid table draws every cell: ``+-----+------+`` rules above and below each row (``+=====+``
under the header row), ``|`` at every cell border, and a cell's text wrapped over as many lines
as it needs inside its column. The rule's ``+`` marks give the column borders exactly, so the
table is read by position, not by splitting on ``|`` (a cell may hold a bar): each row is the
lines between two rules, each cell the text between two borders on those lines, joined. A row
becomes one tab line and the tab reader (:mod:`converters.reading.readers.tabbed`) reads the
table, its header and the identity block; the lines outside grid tables stay lines.

A merged cell (pandoc 3 writes spans) has no ``|`` under a border of the rule above it: its
text is one cell followed by an empty one for each column it spans, as in a copied Word
table.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

from converters.model import ConversionError
from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed

_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_GRID_LINE = re.compile(r"^\s*[|+].*[|+]\s*$")


def _borders(rule: str) -> list[int]:
    """The columns of a rule's ``+`` marks: the cell borders of the rows under it."""
    return [i for i, ch in enumerate(rule) if ch == "+"]


def _row_cells(lines: list[str], borders: list[int]) -> list[str]:
    """The cells of one grid row: the text between each pair of borders, over its lines.

    A border that no line of the row marks with ``|`` runs through a merged cell: the merged
    text is one cell, followed by an empty one for each column it spans."""
    kept = [
        b
        for n, b in enumerate(borders)
        if n in (0, len(borders) - 1) or any(line[b : b + 1] in ("|", "+") for line in lines)
    ]
    out: list[str] = []
    for a, b in itertools.pairwise(kept):
        parts = [line[a + 1 : b].strip() for line in lines]
        out.append(join_cell_lines([p for p in parts if p]))
        out += [""] * sum(1 for x in borders if a < x < b)
    return out


def join_cell_lines(parts: list[str]) -> str:
    """A wrapped cell's lines as one text; a word cut at a hyphen joins its rest."""
    out = ""
    for part in parts:
        if out.endswith("-") and part[:1].islower() and not out.endswith(" -"):
            out += part
        else:
            out = f"{out} {part}".strip()
    return out


def as_tab_lines(text: str) -> list[str]:
    """Each grid row as one tab line; the lines outside grids as they are."""
    out: list[str] = []
    rule: str | None = None
    row: list[str] = []
    for line in tabbed.prepare(text).split("\n"):
        if _RULE.match(line):
            if rule is not None and row:
                out.append("\t".join(_row_cells(row, _borders(rule))))
            rule, row = line, []
        elif rule is not None and _GRID_LINE.match(line):
            row.append(line)
        else:
            if rule is not None and row:  # a grid left unclosed: keep what it held
                out.append("\t".join(_row_cells(row, _borders(rule))))
            rule, row = None, []
            out.append(line.strip())
    if rule is not None and row:
        out.append("\t".join(_row_cells(row, _borders(rule))))
    return out


def sniff(text: str) -> float:
    """How much the text looks like grid tables holding the SOP table."""
    lines = text.replace("\r\n", "\n").split("\n")
    rules = sum(1 for line in lines if _RULE.match(line))
    if rules < 4:
        return 0.0
    return 0.95 if tabbed.find_header(as_tab_lines(text)) is not None else 0.3


def read(text: str) -> RawDocument:
    """Read grid tables by handing their rows to the tab reader."""
    lines = as_tab_lines(text)
    if tabbed.find_header(lines) is None:
        raise ConversionError(
            "Tabel grid tanpa kepala tabel SOP (No/Kegiatan) / grid table without an SOP header"
        )
    doc = tabbed.read("\n".join(lines))
    return dataclasses.replace(doc, source_format="grid")
