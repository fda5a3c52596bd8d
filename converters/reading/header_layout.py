"""The header of a page laid out as text columns: identity block and sections side by side.

``pdftotext -layout`` text, positioned HTML/XML laid back out on a character grid, and the
words of a drawn SOP outside its table (:mod:`converters.reading.drawn.interpret.header_text`)
all give the block above the table the same shape: the identity labels and the right-hand
sections (Kualifikasi Pelaksana, Peralatan, Pencatatan) stand at one x, the agency lines and the
left-hand sections (Dasar Hukum, Keterkaitan, Peringatan) left of it. This module splits the two
columns by x and hands the lines, identity first, to :func:`converters.reading.header.
parse_header`. It is the one reader of that shape, so each label is said once, in
:mod:`converters.reading.header`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from converters.reading.header import Header, label_pattern, parse_header
from converters.reading.readers.textgrid import chunks, two_columns
from converters.reading.vocabulary import SIGNED_FOOTER

FOOTER = re.compile(rf"{SIGNED_FOOTER}|^(halaman|page)\s+\d+", re.I)
"""A page's footer line (the e-signature note, "Halaman 2"): no header text."""

_RIGHT_BLOCKS = re.compile(
    r"^(nomor\s+sop|tanggal\s|disahkan|nama\s+sop|kualifikasi|peralatan|pencatatan)", re.I
)
_SECTION_HEADING = re.compile(
    r"^(dasar\s+hukum|kualifikasi|keterkaitan|peralatan|peringatan|pencatatan)", re.I
)
_NAME_LABEL = re.compile(rf"^(?:{label_pattern('name')})\s*:?$", re.I)


def read_layout_header(lines: Sequence[str], *, name_around_label: bool = False) -> Header:
    """The identity and sections written in ``lines`` (layout text above the table).

    ``name_around_label``: a long SOP name may stand centred on its label, one part above
    and one below ("Standar ... Evaluasi" / "NAMA SOP" / "SERUTI"), as pdftotext lays a
    wrapped cell out; the parts are joined onto the label's line first.
    """
    kept = [ln for ln in lines if ln.strip() and not FOOTER.search(ln.strip())]
    kept = [ln for ln in kept if not re.fullmatch(r"\s*\d{1,3}\s*", ln)]
    if name_around_label:
        kept = _name_around_label(kept)
    left, right = two_columns(kept, _RIGHT_BLOCKS)
    # Identity lines (right column, above the first section) and the agency lines (left) come
    # first, then each column's sections, so no section swallows the other column's lines.
    left = [re.sub(r"\t:\s*", "\t", ln) for ln in left]
    right = [re.sub(r"\t:\s*", "\t", ln) for ln in right]
    lt, ls = _cut_at_section(left)
    rt, rs = _cut_at_section(right)
    return parse_header(rt + lt + ls + rs)


def _name_around_label(lines: list[str]) -> list[str]:
    """A long SOP name is centred on its label: "Standar ... Evaluasi" above "NAMA SOP" and
    "SERUTI" below it, both at the value's x. Join them onto the label's line."""
    out = list(lines)
    for i, ln in enumerate(out):
        cs = chunks(ln)
        if len(cs) != 1 or not _NAME_LABEL.match(cs[0].text):
            continue
        label = cs[0]
        around = []
        for j in (i - 1, i + 1):
            if 0 <= j < len(out):
                right = [c for c in chunks(out[j]) if c.x > label.end + 2]
                if len(right) == 1:
                    around.append((j, right[0]))
        xs = {c.x for _, c in around}
        if around and (len(around) == 1 or max(xs) - min(xs) <= 2):
            value = " ".join(c.text for _, c in around)
            out[i] = f"{ln.rstrip()}  {value}"
            for j, c in around:
                out[j] = out[j][: c.x].rstrip()
    return [ln for ln in out if ln.strip()]


def _cut_at_section(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, ln in enumerate(lines):
        if _SECTION_HEADING.match(ln.strip()):
            return lines[:i], lines[i:]
    return lines, []


__all__ = ["FOOTER", "read_layout_header"]
