"""A document that is itself an HTML table (``<table><tr><td>``), as web SOP systems export.

The tables are flattened to tabbed text (:func:`~converters.reading.readers.markup.table_to_tabbed`)
so the tab reader's row and column logic applies unchanged.
"""

from __future__ import annotations

import re

from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed
from converters.reading.readers.markup import table_to_tabbed


def sniff(text: str) -> float:
    """How much the text looks like an HTML document holding the SOP table."""
    lowered = text[:200_000].lower()
    if "<table" not in lowered or "<td" not in lowered:
        return 0.0
    hit = re.search(r"<t[dh][^>]*>\s*(?:<[^>]+>\s*)*(kegiatan|uraian|aktivitas)", lowered)
    return 0.95 if hit else 0.3


def read(text: str) -> RawDocument:
    """Read an HTML table document through the tab reader."""
    doc = tabbed.read(table_to_tabbed(text))
    doc.source_format = "html"
    return doc


__all__ = ["read", "sniff"]
