"""Where the SOP table starts, and the identity label blocks paired with their values above it."""

from __future__ import annotations

import re

from converters.reading.readers.pdftext_raw.blocks import _Block
from converters.reading.readers.pdftext_raw.shapes import (
    _ACTIVITY_TITLE,
    _GROUP_TITLE,
    _INDEX_CELL,
    _MUTU_TITLE,
    _NUMBER,
    _SECTION_START,
    _activity_like,
    _is_title,
    _jabatan,
    _role_like,
    _short,
)
from converters.reading.vocabulary import mutu_titles

_NO_TITLE = re.compile(r"^no\.?$", re.I)
_ID_LABEL = re.compile(
    r"^(nomor\s+sop|no\.?\s+sop|tanggal\s+(pembuatan|revisi|efektif)|disahkan\s+oleh"
    r"|nama\s+sop|judul\s+sop)\s*:?$",
    re.I,
)
_NAME_LABEL = re.compile(r"^(nama|judul)\s+sop\s*:?$", re.I)
_SOP_NUMBER = re.compile(r"\S*\d\S*[/-]\S*\d")
_ROWS_REACH = 16
"""Blocks before the step column title among which a page's first rows may stand."""
_HEADER_REACH = 120
"""Blocks after the step column title within which its Mutu Baku titles must stand."""


def _table_start(blocks: list[_Block]) -> int | None:
    """Index of the first block of the table header (a title block near a Mutu Baku one)."""
    for i, b in enumerate(blocks):
        if any(_ACTIVITY_TITLE.match(ln) for ln in b.lines):
            # plain pdftotext may give the whole step column (every activity of the page)
            # before the Mutu Baku titles, so the window reaches far
            window = blocks[max(0, i - 3) : i + _HEADER_REACH]
            if sum(1 for w in window for ln in w.lines if _MUTU_TITLE.match(ln)) >= 2:
                j = i
                while (
                    j > 0
                    and i - j < 3
                    and any(
                        _GROUP_TITLE.match(ln) or _MUTU_TITLE.match(ln) or _NUMBER.match(ln)
                        for ln in blocks[j - 1].lines
                    )
                ):
                    j -= 1
                return _rows_before(blocks, _role_titles_before(blocks, j))
    return None


def _rows_before(blocks: list[_Block], start: int) -> int:
    """The table's first block when pdftotext wrote the first rows' numbers and activities
    before the step column title ("No" / "1" / "Menelaah ..." / "2" / ... / "Kegiatan"):
    back to the "No" title ending a block above them, when step numbers stand between."""
    numbers = False
    for k in range(start - 1, max(-1, start - _ROWS_REACH), -1):
        b = blocks[k]
        if _NO_TITLE.match(b.lines[-1]):
            return k if numbers else start
        if all(_NUMBER.match(x) for x in b.lines):
            numbers = True
        elif not (_activity_like(b) or _is_title(b.lines[0]) or (_role_like(b) and _short(b))):
            break
    return start


def _role_titles_before(blocks: list[_Block], j: int) -> int:
    """The table's first block when role titles stand between the "No." title and block
    ``j`` ("No." / "PPK" / "Tim Persiapan" / "Mutu Baku" / "Kegiatan": pdftotext wrote the
    role cells, higher on the page, before the step column title): back to the "No." title
    (the table's first column), else ``j``. Role titles after another title ("Mutu Baku" /
    "Staf") are only some of the roles: the others stand after the step column title."""
    k = start = j
    while k > 0 and j - k < 7:
        prev = blocks[k - 1]
        if all(_NO_TITLE.match(x) for x in prev.lines):
            start = k - 1
            break
        if _index_then_number(prev):
            start = k - 1  # the first row's number under its index cell opens the table
            k -= 1
            continue
        if not (_role_like(prev) and _short(prev)):
            break
        k -= 1
    return start


def _index_then_number(b: _Block) -> bool:
    """The index cell of the number column and the first step number below it, joined by
    pdftotext ("(1)" / "1"): the table's first row, above the role titles it wrote next."""
    return (
        len(b.lines) >= 2
        and bool(_NUMBER.match(b.lines[-1]))
        and all(_INDEX_CELL.match(x) for x in b.lines[:-1])
    )


def _pair_identity(blocks: list[_Block]) -> list[str]:
    """The text above the table as lines, with label blocks joined to their value blocks.

    Plain pdftotext writes "Nomor SOP / Tanggal Pembuatan / ..." as one block and the values
    as a later block. When the counts agree each label gets its value; otherwise only the
    SOP number is paired (the first value that looks like one).
    """
    out: list[str] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        labels = [ln for ln in b.lines if _ID_LABEL.match(ln)]
        if labels and len(labels) == len(b.lines):
            values: list[str] = []
            j = i + 1
            while j < len(blocks) and not values:
                values = [v for v in blocks[j].lines if v.strip(": ")]
                if not values:
                    j += 1
            values = [v.lstrip(": ").strip() for v in values]
            if len(values) >= len(labels):
                out.extend(
                    f"{lab.rstrip(' :')}\t{v}" for lab, v in zip(labels, values, strict=False)
                )
                out.extend(values[len(labels) :])
                i = j + 1
                continue
            number = next((v for v in values if _SOP_NUMBER.search(v)), None)
            if number and re.match(r"no", labels[0], re.I):
                out.append(f"{labels[0].rstrip(' :')}\t{number}")
                out.extend(lab for lab in labels[1:])
                out.extend(v for v in values if v != number)
                i = j + 1
                continue
        at = next((k for k, ln in enumerate(b.lines) if _NAME_LABEL.match(ln)), None)
        if at is not None:
            # "NAMA SOP" then the name: on the next line, or first in the next block
            label = b.lines[at].rstrip(" :")
            if at + 1 < len(b.lines) and _name_value(b.lines[at + 1]):
                out.extend(b.lines[:at])
                out.append(f"{label}\t{_name_value(b.lines[at + 1])}")
                out.extend(b.lines[at + 2 :])
                out.append("")
                i += 1
                continue
            if at + 1 == len(b.lines) and i + 1 < len(blocks):
                nxt = blocks[i + 1].lines
                if _name_value(nxt[0]):
                    out.extend(b.lines[:at])
                    out.append(f"{label}\t{_name_value(nxt[0])}")
                    out.extend(nxt[1:])
                    out.append("")
                    i += 2
                    continue
        out.extend(b.lines)
        out.append("")
        i += 1
    return out


def _name_value(line: str) -> str:
    """``line`` as an SOP name, or "" when it is a label, a heading or a list number."""
    value = line.lstrip(": ").strip()
    if not value or _ID_LABEL.match(value) or _SECTION_START.match(value):
        return ""
    if re.fullmatch(r"[\d.,)(]+", value):
        return ""
    return value


_JOINED_TITLE = re.compile(
    rf"^(?P<role>.*\S)\s+(?P<title>(?:{mutu_titles()})\.?"
    rf"(?:\s*/?\s*(?:{mutu_titles('requirements')}))?\s*/?)$",
    re.I,
)


def _split_joined_title(b: _Block) -> _Block:
    """pdftotext joins a role title and the Mutu Baku title beside it when they share a
    baseline ("Sekretaris Persyaratan/Kelengkapan"): put each on its own line."""
    lines: list[str] = []
    for x in b.lines:
        m = _JOINED_TITLE.match(x)
        if m and _jabatan(m["role"]) and not _MUTU_TITLE.match(x):
            lines.extend((m["role"], m["title"]))
        else:
            lines.append(x)
    return b if lines == b.lines else _Block(lines, b.first_line, b.page)
