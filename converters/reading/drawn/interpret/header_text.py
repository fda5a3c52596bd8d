"""The identity block and header sections of a drawn SOP, for the shared header parser.

The words outside the flowchart table (the identity page, the blocks above the table) are laid
out as text lines with their columns kept by spaces, the shape ``pdftotext -layout`` gives and
:func:`converters.reading.header.parse_header` reads: side-by-side blocks (Dasar Hukum |
Kualifikasi Pelaksana) are split by x first, so no section swallows the other column's lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from converters.reading.drawn.interpret.table import text_lines
from converters.reading.drawn.picture import TextRun
from converters.reading.header import Header, parse_header
from converters.reading.readers.textgrid import two_columns

FOOTER = re.compile(
    r"^\*?\s*(dokumen ini telah ditandatangani|pindai kode qr)|^(halaman|page)\s+\d+", re.I)
_RIGHT_BLOCKS = re.compile(
    r"^(nomor\s+sop|tanggal\s|disahkan|nama\s+sop|kualifikasi|peralatan|pencatatan)", re.I)
_SECTION = re.compile(
    r"^(dasar\s+hukum|kualifikasi|keterkaitan|peralatan|peringatan|pencatatan)", re.I)


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


def _cut(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, ln in enumerate(lines):
        if _SECTION.match(ln.strip()):
            return lines[:i], lines[i:]
    return lines, []


def read_header(lines: Sequence[str]) -> Header:
    """The identity and sections written in ``lines`` (layout text, footer lines dropped)."""
    kept = [ln for ln in lines if ln.strip() and not FOOTER.search(ln.strip())]
    kept = [ln for ln in kept if not re.fullmatch(r"\s*\d{1,3}\s*", ln)]
    left, right = two_columns(kept, _RIGHT_BLOCKS)
    left = [re.sub(r"\t:\s*", "\t", ln) for ln in left]
    right = [re.sub(r"\t:\s*", "\t", ln) for ln in right]
    lt, ls = _cut(left)
    rt, rs = _cut(right)
    return parse_header(rt + lt + ls + rs)
