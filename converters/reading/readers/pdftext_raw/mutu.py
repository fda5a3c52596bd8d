"""The Mutu Baku blocks that follow an anchored activity, and the branch lines kept out of them."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from converters.reading.raw import RawRow
from converters.reading.readers.pdftext_raw.blocks import _Block
from converters.reading.readers.pdftext_raw.cells import _COLUMNS, _align, _kind, _Piece, _remark
from converters.reading.readers.pdftext_raw.shapes import (
    _CONNECTOR,
    _INDEX_CELL,
    _MUTU_TITLE,
    _NUMBER,
    _activity_like,
    _holds_number,
    _is_number_block,
    _is_title,
    _labels,
    _role_line,
    _role_text,
    _waktu,
)
from converters.reading.readers.pdftext_raw.waktu import _cells
from converters.reading.vocabulary import NO_LABELS, TERMINATOR_WORDS, YES_LABELS, mutu_kind


def _mutu_piece(b: _Block) -> bool:
    """A block that can be a Mutu Baku cell: not a number, a branch label, an off-page
    connector letter, an activity or the word of a start or end capsule ("Selesai")."""
    return not (
        _holds_number(b) or _labels(b) or _activity_like(b) or b.text.casefold() in TERMINATOR_WORDS
    )


def _without_connectors(b: _Block) -> str:
    """The block's text without the letters of an off-page connector beside it."""
    return " ".join(x for x in b.lines if not _CONNECTOR.match(x)) or b.text


def _mutu_runs(
    body: list[_Block],
    header: set[int],
    anchors: dict[int, tuple[int, int]],
    rows: list[RawRow],
    used: set[int],
    homes: dict[int, int],
    joined: set[int] | None = None,
) -> list[int]:
    """Plain pdftotext often writes a page column by column: the page's activities, then its
    Mutu Baku cells as runs of Kelengkapan / Waktu / Output / Keterangan groups in row order,
    some cells left behind at the end of the page. Align, page by page, the left-over cells
    with the page's rows (:func:`_align`) and fill the cells each row still lacks. Returns
    the steps that got a cell this way."""
    placed: list[int] = []
    for page in sorted({b.page for b in body}):
        page_rows = [
            r for r in rows if r.number is not None and body[anchors[r.number][0]].page == page
        ]
        pieces: list[_Piece] = []
        for i, b in enumerate(body):
            if b.page != page or i in used:
                continue
            if i in header:
                pieces.extend(_Piece(t, k, None) for t, k in _under_title(b))
                pieces.extend(_Piece(t, _kind(t), None) for t in _under_index(b))
            elif _mutu_piece(b):
                pieces.extend(_Piece(cell, _kind(cell), homes.get(i)) for cell in _cells(b))
        if not page_rows or not pieces:
            continue
        last = page_rows[-1].number
        pieces = [dataclasses.replace(x, tail=x.home == last) for x in pieces]
        aligned = _align(page_rows, pieces, joined)
        first = page_rows[0]
        titled = [
            x
            for x in pieces
            if x.kind.startswith("=")
            and not getattr(first, x.kind[1:])
            and getattr(aligned[0], x.kind[1:]) != x.text
        ]
        if titled:
            # the cell right below its column's title is the page's first row's, wherever
            # pdftotext wrote the title's block: when the alignment put it elsewhere, give
            # it to that row and align the rest
            for x in titled:
                setattr(first, x.kind[1:], x.text)
                pieces.remove(x)
            placed.append(first.number or 0)
            aligned = _align(page_rows, pieces, joined)
        for row, cells in zip(page_rows, aligned, strict=True):
            if cells.fill(row):
                placed.append(row.number or 0)
    return placed


def _under_title(b: _Block) -> list[tuple[str, str]]:
    """The cell pdftotext joined to the Mutu Baku title above it ("Output" / "Rekap data":
    the page's first cell of that column), with the column it belongs to."""
    at = max((k for k, x in enumerate(b.lines) if _MUTU_TITLE.match(x)), default=None)
    if at is None or at + 1 == len(b.lines):
        return []
    rest = b.lines[at + 1 :]
    column = mutu_kind(b.lines[at])  # the kinds are the cell fields' names
    if column not in _COLUMNS or any(
        _is_title(x) or _NUMBER.match(x) or _role_line(x) for x in rest
    ):
        return []
    return [(" ".join(rest), "=" + column)]


def _under_index(b: _Block) -> list[str]:
    """The cell pdftotext joined to a column's index cell above the first row ("(13)" /
    "Draf Surat"): a cell of the first row, whose column its kind and the row's other cells
    tell (the index may be a neighbour column's: the two blocks only touch)."""
    if len(b.lines) < 2 or not _INDEX_CELL.match(b.lines[0]):
        return []
    rest = b.lines[1:]
    if any(_is_title(x) or _NUMBER.match(x) or _INDEX_CELL.match(x) or _role_line(x) for x in rest):
        return []
    return [" ".join(rest)]


def _strays(body: list[_Block], roles: list[str]) -> set[int]:
    """Blocks that are no cell of a row: a role title of a repeated page header (a known
    column or a jabatan on its own), and the branch labels beside a diamond
    (:func:`_branch_words`)."""
    known = _branch_words(b.text for b in body) | {r.casefold() for r in roles}
    return {
        i
        for i, b in enumerate(body)
        if _without_connectors(b).casefold() in known
        or _role_text(b.lines).casefold() in known
        or (
            len(b.lines) > 1
            and all(x.casefold() in known or _CONNECTOR.match(x) for x in b.lines)
            and any(x.casefold() in known for x in b.lines)
        )
        or (len(b.lines) <= 2 and _role_line(b.text) and not _activity_like(b))
    }


def _without_branch_lines(body: list[_Block], header: set[int]) -> list[_Block]:
    """A named branch the decisions' text names ("jika administratif ...") written below
    the cell beside its label ("Disposisi" / "Administratif") is no part of the cell: drop
    such last lines. A yes/no word goes only as a label, capitalised ("KTP dan KK" /
    "Tidak lengkap"): "Berkas" / "lengkap" is one wrapped cell."""
    named = _branch_words(b.text for b in body)
    words = named - YES_LABELS - NO_LABELS
    out: list[_Block] = []
    for i, b in enumerate(body):
        kept = list(b.lines)
        while len(kept) > 1 and (
            kept[-1].casefold() in words
            or (kept[-1][:1].isupper() and kept[-1].casefold() in named)
        ):
            kept.pop()
        out.append(
            b if i in header or len(kept) == len(b.lines) else _Block(kept, b.first_line, b.page)
        )
    return out


def _branch_words(activities: Iterable[str]) -> set[str]:
    """The branch labels a page's decisions name in their text ("jika kotak pengaduan
    diteruskan ..."): the labels beside a diamond echo them, and are no Mutu Baku cell."""
    words: set[str] = set()
    for act in activities:
        for m in re.finditer(
            r"\bjika\s+((?:\w+\s+){0,3}?\w+)\s+(?:di|ke|dan|maka|,)", act.casefold()
        ):
            said = m.group(1).split()
            # a label pdftotext joined into the decision's text ("jika Tatap muka kotak
            # pengaduan diteruskan"): the branch's name is the last words
            words.update(" ".join(said[k:]) for k in range(max(1, len(said) - 1)))
    return words


def _mutu_after(body: list[_Block], bi: int, header: set[int], row: RawRow) -> set[int]:
    """Kelengkapan, Waktu, Output and Keterangan from the blocks right after the activity,
    when a Waktu value stands among them before the next number or activity. Returns the
    blocks used."""
    pieces: list[tuple[int, str]] = []
    for j in range(bi + 1, len(body)):
        b = body[j]
        if j in header or _is_number_block(b) or _activity_like(b):
            break
        if _holds_number(b):
            break
        if _CONNECTOR.match(b.text) and any(_waktu(p) for _, p in pieces):
            break  # an off-page connector after the row's Waktu: another part of the page
        if _labels(b) or b.text.casefold() in TERMINATOR_WORDS:
            continue
        pieces.extend((j, cell) for cell in _cells(b))
    if sum(1 for _, p in pieces if _waktu(p)) > 1:
        return set()  # the run of several rows' cells: the page's alignment places them
    pieces = [(j, p) for j, p in pieces if j < bi + 6]
    at = next((k for k, (_, p) in enumerate(pieces) if _waktu(p)), None)
    if at is None:
        # the Waktu went to the page's run: the one cell right after the activity is the
        # column beside it, the Kelengkapan
        if (
            len(pieces) == 2
            and not _remark(pieces[0][1])
            and _remark(pieces[1][1])
            and _whole_row(body, bi, pieces, past_labels=True)
        ):
            # a cell and a remark, then the next row: the columns go Kelengkapan, Waktu,
            # Output, Keterangan, so the cell beside the remark is the Output (the
            # Kelengkapan and Waktu went to the page's run)
            row.output, row.notes = pieces[0][1], pieces[1][1]
            return {j for j, _ in pieces}
        if len(pieces) > 1 and _page_end(body, bi, pieces):
            # the page's last row, several of its cells written at the page's end with no
            # Waktu among them: poppler's lone cells, written after its table (an Output and
            # Keterangan whose Kelengkapan and Waktu went to the run, or a Kelengkapan and
            # Keterangan around a run Waktu and Output); the page's alignment, which sees
            # the run, tells which. A single cell there stays the Kelengkapan: measured,
            # handing it over too is a coin toss (it is as often a row's only Kelengkapan)
            return set()
        if pieces and not _remark(pieces[0][1]):
            row.requirements = pieces[0][1]
            if _whole_row(body, bi, pieces) and len(pieces) > 1 and not _remark(pieces[1][1]):
                # the row's cells all written after it and none a Waktu: the row has none,
                # and the cell after the Kelengkapan is its Output
                row.output = pieces[1][1]
                rest = pieces[2:]
                while rest and _remark(rest[0][1]):
                    row.notes = " ".join((row.notes, rest[0][1])).strip()
                    rest = rest[1:]
                return {j for j, _ in pieces[: len(pieces) - len(rest)]}
            return {pieces[0][0]}
        return set()
    row.duration = pieces[at][1]
    row.requirements = " ".join(p for _, p in pieces[:at])
    end = at + 1
    if end < len(pieces) and not _remark(pieces[end][1]) and not _waktu(pieces[end][1]):
        row.output = pieces[end][1]
        end += 1
    while end < len(pieces) and _remark(pieces[end][1]):
        row.notes = " ".join((row.notes, pieces[end][1])).strip()
        end += 1
    return {j for j, _ in pieces[:end]}


def _no_cell(b: _Block) -> bool:
    """A block that is no cell of a row: a branch label or a terminator's word."""
    return bool(_labels(b)) or b.text.casefold() in TERMINATOR_WORDS


def _whole_row(
    body: list[_Block], bi: int, pieces: list[tuple[int, str]], past_labels: bool = False
) -> bool:
    """The cells after activity ``bi`` run, without a gap, up to the next step number on the
    same page: pdftotext wrote the whole row in its order, so none of its cells is elsewhere."""
    last = pieces[-1][0]
    after = last + 1
    while past_labels and after < len(body) and _no_cell(body[after]):
        after += 1  # a decision's branch labels after its row's cells
    return (
        after < len(body)
        and _is_number_block(body[after])
        and body[after].page == body[bi].page
        and all(j in {p for p, _ in pieces} for j in range(bi + 1, last + 1))
    )


def _page_end(body: list[_Block], bi: int, pieces: list[tuple[int, str]]) -> bool:
    """The cells after activity ``bi`` run, with nothing but branch labels or connector
    letters between them, to the page's end: they are the page's tail."""
    last = pieces[-1][0]
    after = last + 1
    while after < len(body) and _no_cell(body[after]):
        after += 1
    return (after == len(body) or body[after].page != body[bi].page) and all(
        j in {p for p, _ in pieces} or _no_cell(body[j]) for j in range(bi + 1, last + 1)
    )
