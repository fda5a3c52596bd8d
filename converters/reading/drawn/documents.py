"""The SOPs one drawn document holds: a picture cut into one picture per SOP.

Agencies publish compilations ("Kumpulan SOP Bidang X"): one SOP after another in one PDF or
one scan, each with its identity block and its own flowchart table numbered from 1. Read as
one SOP, their tables merge into a model that is wrong in a way an analyst may not notice
(the second table's rows join the first's last step). The cut is made where the *form* says
a new SOP begins, page by page:

* **a new identity block** — a page whose words outside the table carry the identity labels
  (Nomor SOP, Nama SOP, Disahkan oleh, the dates: :func:`.compilation.identity_marks`, the
  rule the text compilations are cut by too) and whose SOP number or name is not the one
  already read: a title page, or an identity block above a new table. The same block
  repeated on every page of one SOP is no cut.
* **the numbering starting again** — a page whose table begins with step 1 (or, under its
  own column titles, with a number below the last one read) after steps were read. One SOP's
  continuation pages repeat the header and go on numbering (5, 6, 7 ...), or repeat the last
  number for a step cut by the page break: no cut.

A page before any step belongs to the SOP that follows (a title page, an identity page).
Pages keep their numbers, so the evidence of each SOP still names the page of the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from converters.reading.compilation import another_sop, identity_marks
from converters.reading.drawn.interpret.header_text import layout_lines
from converters.reading.drawn.interpret.table import PageTable, Row, find_tables, words_in
from converters.reading.drawn.picture import Box, Page, Picture

HEADED = 2.0
"""Points between a table's top and its first row when the page draws the column titles."""


@dataclass
class _Document:
    pages: list[Page] = field(default_factory=list)
    last: int = 0  # the highest step number read so far (0: no step yet)
    marks: set[str] = field(default_factory=set)  # the SOP's number and name, lower case


_INDEX = re.compile(r"^\(?\d{1,2}\)?\.?$")
INDEX_CELLS = 3
"""Numbered cells a row of column numbers ("(1) (2) (3) ...", under the column titles) has at
the least: its ``1`` in the No column is no step 1."""


def _index_row(table: PageTable, row: Row) -> bool:
    """The row numbers the columns, not a step: every word in it is a small number."""
    band = Box(table.columns[0].x0, row.top, table.columns[-1].x1, row.bottom)
    words = words_in(table.page.texts, band)
    return len(words) >= INDEX_CELLS and all(_INDEX.match(w.text) for w in words)


def _numbers(table: PageTable) -> list[int]:
    """The step numbers of the table's rows on this page, in order."""
    return [r.number for r in table.rows if r.number is not None and not _index_row(table, r)]


def _first_number(table: PageTable) -> int | None:
    return next(iter(_numbers(table)), None)


def _identity(page: Page, table: PageTable | None) -> set[str] | None:
    """The SOP number and name of the identity block drawn on ``page`` above its table (the
    whole page when it draws none), ``None`` when the page draws no identity block. An
    empty set: labels enough, but no value read. A "table" without a numbered row is no
    flowchart (an identity grid taken for a continuation of the table before it)."""
    limit = table.top if table is not None and _first_number(table) is not None else (page.height)
    return identity_marks(layout_lines([w for w in page.texts if w.box.bottom <= limit + 1]))


def _restarts(table: PageTable, last: int) -> bool:
    """The page's table numbers its steps from the start again (see the module doc)."""
    first = _first_number(table)
    if first is None or last == 0:
        return False
    headed = bool(table.rows) and table.rows[0].top - table.top > HEADED
    return (first == 1 and last > 1) or (headed and first < last)


def split_pages(pages: Sequence[Page]) -> list[list[Page]]:
    """``pages`` in groups, one group per SOP (all of them in one group when the document
    holds one SOP, or no table at all)."""
    tables = {t.page.number: t for t in find_tables(pages)}
    docs: list[_Document] = [_Document()]
    for page in pages:
        cur = docs[-1]
        table = tables.get(page.number)
        marks = _identity(page, table)
        new_block = another_sop(marks, cur.marks)
        first = _first_number(table) if table is not None else None
        goes_on = first is not None and first >= cur.last
        if cur.last and (
            (table is not None and _restarts(table, cur.last)) or (new_block and not goes_on)
        ):
            cur = _Document()
            docs.append(cur)
        cur.pages.append(page)
        if marks and not cur.marks:
            cur.marks = marks
        if table is not None:
            cur.last = max([cur.last, *_numbers(table)])
    if len(docs) > 1 and not docs[-1].last:  # trailing pages without a table (an annex)
        docs[-2].pages += docs.pop().pages
    return [d.pages for d in docs]


def split_picture(pic: Picture) -> list[Picture]:
    """One picture per SOP drawn in ``pic`` (``[pic]`` itself when it holds one).

    An extractor that read the identity pages apart (``header_text``: a scan's OCR lines of
    its pages without a flowchart) keeps that text with the one part that holds such pages;
    when several do, each part's header is read again from its own pages' words."""
    if len(pic.pages) < 2:
        return [pic]
    groups = split_pages(pic.pages)
    if len(groups) < 2:
        return [pic]
    tables = {t.page.number for t in find_tables(pic.pages)}
    titled = [i for i, g in enumerate(groups) if any(p.number not in tables for p in g)]
    keeper = titled[0] if len(titled) == 1 else -1
    return [
        Picture(pic.extractor, tuple(g), pic.header_text if i == keeper else "", pic.notes)
        for i, g in enumerate(groups)
    ]


__all__ = ["split_pages", "split_picture"]
