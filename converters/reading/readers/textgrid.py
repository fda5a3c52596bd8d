"""Space-aligned text: pieces of a line with their x positions, and columns built from headers.

``pdftotext -layout`` (and OCR engines that keep spacing) put each table column at a fixed
character position. A *chunk* is a run of text separated from its neighbours by two or more
spaces (one space separates words inside a cell); a *word* is separated by single spaces. The
readers locate the table's column headers as chunks, merge header pieces that sit above each
other into one column, and then give every chunk of the body to the column whose x-range it
falls in. Keeping this geometry in one module lets the layout and OCR readers share it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_CHUNK_RE = re.compile(r"\S+(?: \S+)*")
_WORD_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class Chunk:
    """A piece of one line: its text, first column ``x`` and the column after it ``end``."""

    x: int
    end: int
    text: str
    line: int = 0  # index of the line in the caller's list

    @property
    def center(self) -> float:
        return (self.x + self.end) / 2

    def overlaps(self, other: Chunk, slack: int = 0) -> bool:
        return self.x < other.end + slack and other.x < self.end + slack


def chunks(line: str, line_no: int = 0) -> list[Chunk]:
    """The runs of text of ``line`` separated by two or more spaces."""
    line = line.expandtabs(8)
    return [Chunk(m.start(), m.end(), m.group(), line_no) for m in _CHUNK_RE.finditer(line)]


def words(line: str, line_no: int = 0) -> list[Chunk]:
    """The single words of ``line`` with their positions."""
    line = line.expandtabs(8)
    return [Chunk(m.start(), m.end(), m.group(), line_no) for m in _WORD_RE.finditer(line)]


def split_words(chunk: Chunk) -> list[Chunk]:
    """The words of a chunk, keeping absolute positions."""
    return [
        Chunk(chunk.x + m.start(), chunk.x + m.end(), m.group(), chunk.line)
        for m in _WORD_RE.finditer(chunk.text)
    ]


@dataclass(frozen=True)
class Column:
    """A header column: its (multi-line) title and the x-extent of the title pieces."""

    title: str
    x: int
    end: int

    @property
    def center(self) -> float:
        return (self.x + self.end) / 2


def header_columns(pieces: list[Chunk]) -> list[Column]:
    """Merge header pieces that stand above one another into columns, left to right.

    A piece that spans two pieces of another header line which do not touch each other
    ("Online level kab/kota Online level provinsi" under two "Aplikasi FRS MFD" headers that
    the extraction joined with a single space) is split into words first, so each word joins
    the column it sits under.
    """
    work = list(pieces)
    split_ids: set[int] = set()
    changed = True
    while changed:
        changed = False
        for piece in work:
            under = [
                o
                for o in work
                if o.line != piece.line and id(o) not in split_ids and o.overlaps(piece)
            ]
            if _has_disjoint_pair(under) and len(piece.text.split()) > 1:
                work.remove(piece)
                parts = split_words(piece)
                split_ids.update(id(p) for p in parts)
                work.extend(parts)
                changed = True
                break
    groups: list[list[Chunk]] = []
    for piece in sorted(work, key=lambda c: (c.x, c.line)):
        hits = [g for g in groups if any(piece.overlaps(o) for o in g)]
        if not hits:
            groups.append([piece])
            continue
        merged = [piece]
        for g in hits:
            merged.extend(g)
            groups.remove(g)
        groups.append(merged)
    columns = []
    for g in groups:
        ordered = sorted(g, key=lambda c: (c.line, c.x))
        title = " ".join(c.text for c in ordered)
        columns.append(Column(title, min(c.x for c in g), max(c.end for c in g)))
    return sorted(columns, key=lambda c: c.x)


def _has_disjoint_pair(items: list[Chunk]) -> bool:
    by_line: dict[int, list[Chunk]] = {}
    for c in items:
        by_line.setdefault(c.line, []).append(c)
    return any(len(v) > 1 for v in by_line.values())


def boundaries(columns: list[Column]) -> list[float]:
    """Cut points between neighbouring columns: halfway across the gap between titles."""
    return [(a.end + b.x) / 2 for a, b in itertools.pairwise(columns)]


def column_of(x: float, cuts: list[float]) -> int:
    """Index of the column whose range holds ``x`` given the cut points."""
    for i, cut in enumerate(cuts):
        if x < cut:
            return i
    return len(cuts)


def two_columns(lines: list[str], right_markers: re.Pattern[str]) -> tuple[list[str], list[str]]:
    """Split side-by-side blocks (Dasar Hukum | Kualifikasi Pelaksana) into two line lists.

    The split position is the leftmost x of a chunk matching ``right_markers`` (the headings of
    the right-hand blocks) that is not at the start of its line. Chunks starting at or right of
    it go to the right-hand list; lines without right-hand text keep their place on the left.
    """
    split: int | None = None
    for i, line in enumerate(lines):
        for c in chunks(line, i):
            if c.x > 10 and right_markers.match(c.text):
                split = c.x if split is None else min(split, c.x)
    if split is None:
        return list(lines), []
    left: list[str] = []
    right: list[str] = []
    for i, line in enumerate(lines):
        parts = chunks(line, i)
        lp = [c.text for c in parts if c.x < split - 2]
        rp = [c.text for c in parts if c.x >= split - 2]
        if lp:
            left.append("\t".join(lp))
        if rp:
            right.append("\t".join(rp))
        if not parts:
            left.append("")
            right.append("")
    return left, right
