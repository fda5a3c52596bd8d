"""An SOP table saved as CSV: Excel's "Save as CSV", a spreadsheet export, a web system's download.

A CSV file is the same table the tab reader reads, with other cell borders: a comma, or a
semicolon where the spreadsheet's locale writes decimal commas (Excel in Indonesian saves
``;``). Cells that hold the separator, a quote or a line break are quoted,
so a wrapped activity text stays one cell instead of breaking the row over several lines as
a copied Word table does. That makes CSV *easier* than tab text once it is parsed: each record
becomes one tab line (line breaks inside a cell become spaces; a row a copied table broke at
a cell's line break before it was saved is joined back by
:func:`converters.reading.readers.wrapped_rows.join_rows`) and the tab reader
(:mod:`converters.reading.readers.tabbed`) reads the table, its header and the identity block
above it.

Why the separator is chosen by the table header and not by :class:`csv.Sniffer`: prose above
the table (Dasar Hukum, the agency's address) is full of commas, and the sniffer guesses from
character counts. A separator is right when splitting by it yields the SOP table's header
row ("No", "Kegiatan", ...) as cells; only then is the text read as CSV.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re

from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed, wrapped_rows

SEPARATORS = (";", ",")
"""The separators spreadsheets write, in the order they are tried (``;`` first: with it, the
decimal commas of an Indonesian locale stay inside their cells). Not ``|``: OCR text draws the
table's rulings as bars, and its own reader knows their noise."""

_MAX_FIELD = 1_000_000
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]?\t\s*\S")


def _records(text: str, separator: str) -> list[list[str]]:
    """The CSV records as cells; an unparsable text gives no records."""
    csv.field_size_limit(_MAX_FIELD)
    try:
        return list(csv.reader(io.StringIO(text), delimiter=separator, quotechar='"'))
    except csv.Error:
        return []


def as_tab_lines(text: str, separator: str) -> list[str]:
    """Each record as one tab-separated line: the shape :mod:`tabbed` reads."""
    return [
        "\t".join(" ".join(cell.replace("\t", " ").split()) for cell in record)
        for record in _records(text, separator)
    ]


def separator_of(text: str) -> str | None:
    """The separator whose cells give the SOP table's header row, or ``None``.

    A text with tabs is the tab reader's; a text where no separator yields a header is not
    CSV (prose with commas)."""
    sample = tabbed.prepare(text)
    if "\t" in sample:
        return None
    for separator in SEPARATORS:
        if separator not in sample:
            continue
        if tabbed.find_header(as_tab_lines(sample, separator)) is not None:
            return separator
    return None


def sniff(text: str) -> float:
    """How much the text looks like an SOP table saved as CSV: a header row made of cells."""
    separator = separator_of(text)
    if separator is None:
        return 0.0
    numbered = sum(1 for line in as_tab_lines(text, separator) if _NUMBERED.match(line))
    return 0.9 if numbered >= 1 else 0.5


def read(text: str) -> RawDocument:
    """Read CSV SOP text by handing its records to the tab reader as tab lines."""
    separator = separator_of(text) or ","
    lines, _ = wrapped_rows.join_rows(
        "\n".join(as_tab_lines(tabbed.prepare(text), separator)), "\t"
    )
    doc = tabbed.read("\n".join(lines))
    return dataclasses.replace(doc, source_format="csv")
