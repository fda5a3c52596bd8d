"""An SOP table as a Markdown pipe table: what document-to-text converters write.

Tools that pull the text out of a PDF or a Word file for search and AI pipelines (pandoc,
markitdown, docling, and many web systems' "export as text") write tables as GitHub-style pipe
tables: one row per line between ``|`` borders, the header row followed by a ``|---|---|``
separator. Cells that held several paragraphs keep them with ``<br>``; a merged header cell
becomes one cell followed by empty ones, as in a copied Word table. So the table is the one
the tab reader (:mod:`converters.reading.readers.tabbed`) reads: each pipe row becomes a tab
line, the separator rows are dropped, and the lines around the table (the identity block,
headings with ``#``) stay lines. A row that a copied table broke at a cell's line break before
it was converted (a pipe row of fewer cells, then the rest) is joined back
(:func:`converters.reading.readers.wrapped_rows.join_rows`).

The separator row is what tells a pipe table from OCR text, whose table rulings also come out
as ``|``: no OCR engine writes a row of dashes between bars under the header.
"""

from __future__ import annotations

import dataclasses
import re

from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed, wrapped_rows

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_CELL_BORDER = re.compile(r"(?<!\\)\|")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [
        " ".join(_EMPHASIS.sub(r"\2", _BREAK.sub(" ", cell)).replace("\\|", "|").split())
        for cell in _CELL_BORDER.split(inner)
    ]


def as_tab_lines(text: str) -> list[str]:
    """Pipe rows as tab lines, separator rows dropped, other lines without Markdown marks."""
    lines: list[str] = []
    for line in tabbed.prepare(text).split("\n"):
        if _SEPARATOR.match(line):
            continue
        if _PIPE_ROW.match(line):
            lines.append("\t".join(_cells(line)))
        else:
            lines.append(_EMPHASIS.sub(r"\2", _HEADING.sub("", line)).strip())
    return lines


def sniff(text: str) -> float:
    """How much the text looks like a Markdown pipe table holding the SOP table."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not any(_SEPARATOR.match(line) for line in lines):
        return 0.0
    if sum(1 for line in lines if _PIPE_ROW.match(line)) < 3:
        return 0.0
    return 0.95 if tabbed.find_header(as_tab_lines(text)) is not None else 0.3


def read(text: str) -> RawDocument:
    """Read a Markdown pipe table by handing its rows to the tab reader."""
    lines, _ = wrapped_rows.join_rows("\n".join(as_tab_lines(text)), "\t")
    doc = tabbed.read("\n".join(lines))
    return dataclasses.replace(doc, source_format="markdown")
