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
from converters.reading.readers.textgrid import Chunk, chunks, two_columns
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
    """A long SOP name wraps in its cell, and the cell's label stands centred on it: the
    name's lines may start above the label's line, on it or below it ("Standar ... Survei"
    / "NAMA SOP  Triwulanan ..." / "Ikan"; "Alur ... Cara" / "NAMA SOP" / "Transfer
    Keluar"). The value's lines are those next to the label's line, right of the label,
    that line up with the value: the same left edge (left-aligned) or the same middle
    (centred). They are joined, top to bottom, onto the label's line."""
    out = list(lines)
    for i, ln in enumerate(out):
        cs = chunks(ln)
        at = next((k for k, c in enumerate(cs) if _NAME_LABEL.match(c.text)), None)
        if at is None:
            continue
        label = cs[at]
        value = [c for c in cs[at + 1 :] if c.text != ":"]
        if len(value) > 1:
            continue
        own = value[0] if value else None
        parts = _name_parts(out, i, label, own)
        if not parts:
            continue
        joined = " ".join(c.text for _, c in sorted([*parts, *([(i, own)] if own else [])],
                                                    key=lambda p: p[0]))  # fmt: skip
        head = ln[: own.x].rstrip() if own else ln.rstrip()
        out[i] = f"{head}  {joined}"
        for j, c in parts:
            out[j] = (out[j][: c.x] + out[j][c.end :]).rstrip()
    return [ln for ln in out if ln.strip()]


def _name_parts(lines: list[str], i: int, label: Chunk,
                own: Chunk | None) -> list[tuple[int, Chunk]]:  # fmt: skip
    """The name's other lines around the label's line ``i`` (at most two each way), each
    the one chunk right of the label on its line, lined up with the name (see
    :func:`_name_around_label`)."""

    def beside(j: int) -> Chunk | None:
        if lines[j][label.x : label.end].strip():  # the next label's line (Nomor SOP ...)
            return None
        right = [c for c in chunks(lines[j]) if c.x > label.end + 2]
        return right[0] if len(right) == 1 else None

    def side(step: int) -> list[tuple[int, Chunk]]:
        out = []
        for j in (i + step, i + 2 * step):
            c = beside(j) if 0 <= j < len(lines) else None
            if c is None:
                break
            out.append((j, c))
        return out

    above, below = side(-1), side(1)
    # the label stands centred on its cell (as many of the name's lines above it as below)
    # or at its top (the name starts on the label's line): never more lines above than
    # below, so a value of the cell above (the approver's name) is not taken
    above = above[: len(below)]
    if not below:
        return []
    # a label standing at its cell's top with the name (a middle-aligned cell) below it
    first = own or (above[0][1] if above else below[0][1])
    # one alignment for every line of the name, told by the first two: a left edge shared
    # by chance with the cell above, or a middle, must not join that cell's text
    second = below[0][1] if below[0][1] is not first else below[min(1, len(below) - 1)][1]
    mode = _alignment(first, second)
    if mode is None:
        return []

    def run(part: list[tuple[int, Chunk]]) -> list[tuple[int, Chunk]]:
        """The part's lines up to the first that does not line up with ``first``."""
        out = []
        for j, c in part:
            if c is not first and _alignment(first, c) != mode:
                break
            out.append((j, c))
        return out

    kept_below, kept_above = run(below), run(above)
    return kept_above[: len(kept_below)] + kept_below


def _alignment(a: Chunk, b: Chunk) -> str | None:
    """How two lines of one cell line up: "left" (the same left edge), "centre" (the same
    middle), None (neither)."""
    if abs(a.x - b.x) <= 2:
        return "left"
    if abs(a.center - b.center) <= 1.5:
        return "centre"
    return None


def _cut_at_section(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, ln in enumerate(lines):
        if _SECTION_HEADING.match(ln.strip()):
            return lines[:i], lines[i:]
    return lines, []


__all__ = ["FOOTER", "read_layout_header"]
