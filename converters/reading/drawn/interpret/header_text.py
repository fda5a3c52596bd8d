"""The identity block and header sections of a drawn SOP, for the shared header parser.

The words outside the flowchart table (the identity page, the blocks above the table) are laid
out as text lines with their columns kept by spaces, the shape ``pdftotext -layout`` gives and
:func:`converters.reading.header.parse_header` reads: side-by-side blocks (Dasar Hukum |
Kualifikasi Pelaksana) are split by x first, so no section swallows the other column's lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from converters.reading.drawn.interpret.table import text_lines
from converters.reading.drawn.picture import TextRun
from converters.reading.header import Header
from converters.reading.header_layout import FOOTER, read_layout_header


def layout_lines(words: Sequence[TextRun]) -> list[str]:
    """Words as text lines, columns kept by runs of spaces (one space inside a phrase)."""
    if not words:
        return []
    widths = sorted(w.box.width / max(len(w.text), 1) for w in words)
    cw = max(widths[len(widths) // 2], 1.0)
    out = []
    for ln in text_lines(words, floor=2.5, share=0.35):
        text = ""
        last: TextRun | None = None
        for w in ln:
            if last is not None and w.box.x0 - last.box.x1 <= 1.5 * cw:
                text += " " + w.text
            else:
                col = round(w.box.x0 / cw)
                text = text.ljust(max(col, len(text) + 2 if text else 0)) + w.text
            last = w
        out.append(text.rstrip())
    return out


def read_header(lines: Sequence[str]) -> Header:
    """The identity and sections written in ``lines`` (layout text, footer lines dropped):
    the one reader of layout text above a table, :mod:`converters.reading.header_layout`."""
    return read_layout_header(lines, name_around_label=True)


__all__ = ["FOOTER", "layout_lines", "read_header"]
