"""The SOP AP table in a picture: its columns (what each holds) and its rows (which step).

The form fixes the layout (Permenpan RB 35/2012): ``No`` | activity | one column per role |
the Mutu Baku columns (requirements, time, output) | ``Keterangan``. The header names the
columns; the role columns are whatever stands between the activity column and the first Mutu
Baku column, with or without a ``Pelaksana`` title above them. A page that continues the table
without repeating the header keeps the previous page's columns, matched by position. Rows are
the ruled bands under the header; a band's step number is the number written in its ``No``
cell (a band without one is an unnumbered row).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from converters.reading.drawn.geometry import cluster
from converters.reading.drawn.picture import Box, Page, ShapeKind, TextRun

NUMBER = "number"
ACTIVITY = "activity"
ROLE = "role"
REQUIREMENTS = "requirements"
DURATION = "duration"
OUTPUT = "output"
NOTES = "notes"

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (NUMBER, re.compile(r"^no\.?$")),
    (ACTIVITY, re.compile(r"^(kegiatan|aktivitas|uraian|prosedur|langkah)\b")),
    (REQUIREMENTS, re.compile(r"^(kelengkapan|persyaratan|perlengkapan|syarat|input)")),
    (DURATION, re.compile(r"^waktu")),
    (OUTPUT, re.compile(r"^(output|keluaran|hasil)")),
    (NOTES, re.compile(r"^(keterangan|ket\.?)$")),
)
_GROUP = re.compile(r"^(pelaksana|mutu|baku|buku)$", re.I)
_INDEX = re.compile(r"^\(?\d{1,2}\)?$")
_ROW_NUMBER = re.compile(r"^(\d{1,3})\.?$")
MUTU = (REQUIREMENTS, DURATION, OUTPUT, NOTES)
MIN_WIDTH = 8.0  # points: narrower gaps between ruled x positions are double rulings
SAME_EDGE = 3.0  # points: rulings of two pages this close are the template's same line


@dataclass(frozen=True)
class Column:
    x0: float
    x1: float
    kind: str
    title: str = ""

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Row:
    """One ruled band of the table body on one page."""

    page: int
    top: float
    bottom: float
    number: int | None

    def box(self, col: Column) -> Box:
        return Box(col.x0, self.top, col.x1, self.bottom)


@dataclass(frozen=True)
class PageTable:
    """The part of the SOP table drawn on one page."""

    page: Page
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    top: float  # where the table (its header, when drawn here) starts
    bottom: float

    def column_at(self, x: float) -> Column | None:
        for c in self.columns:
            if c.x0 - 0.5 <= x <= c.x1 + 0.5:
                return c
        return None

    def row_at(self, y: float) -> Row | None:
        for r in self.rows:
            if r.top - 0.5 <= y <= r.bottom + 0.5:
                return r
        return None

    def roles(self) -> list[Column]:
        return [c for c in self.columns if c.kind == ROLE]


def words_in(texts: Sequence[TextRun], box: Box, slack: float = 0.5) -> list[TextRun]:
    """The words whose centre lies in ``box``."""
    return [t for t in texts if box.contains(t.box.cx, t.box.cy, slack)]


def text_lines(
    words: Sequence[TextRun], *, floor: float = 2.0, share: float = 0.4
) -> list[list[TextRun]]:
    """Words as lines, top to bottom, each left to right: a word joins the line above when its
    vertical centre lies within ``max(floor, share × its height)`` of that line's first word
    (callers differ only in how far a line may wave, never in how lines are found)."""
    lines: list[list[TextRun]] = []
    for w in sorted(words, key=lambda t: (t.box.cy, t.box.x0)):
        if lines and abs(w.box.cy - lines[-1][0].box.cy) <= max(floor, share * w.box.height):
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(ln, key=lambda t: t.box.x0) for ln in lines]


def join_words(words: Sequence[TextRun]) -> str:
    """Words in reading order (lines by their vertical centre, then left to right)."""
    return " ".join(" ".join(t.text for t in ln) for ln in text_lines(words)).strip()


def _norm(text: str) -> str:
    return " ".join(text.lower().replace(":", " ").split())


def _bands(cells: Sequence[Box]) -> list[tuple[float, float]]:
    seen: dict[tuple[int, int], tuple[float, float]] = {}
    for c in cells:
        seen.setdefault((round(c.top), round(c.bottom)), (c.top, c.bottom))
    return sorted(seen.values())


def _row_bands(cells: Sequence[Box]) -> list[tuple[float, float]]:
    """The body's ruled rows: the bands without the extent of a cell that spans several rows
    (a merged Keterangan cell, or a column whose rulings a flow line running down it hides
    from a scan), which is no row of its own."""
    bands = _bands(cells)
    return [(a, b) for a, b in bands
            if sum(1 for c, d in bands if (c, d) != (a, b) and a - 1 <= c and d <= b + 1) < 2]


def _xs(cells: Sequence[Box]) -> list[float]:
    groups = cluster([c.x0 for c in cells] + [c.x1 for c in cells], 2.5)
    return [sum(g) / len(g) for g in groups]


TITLE_WORDS = 4
"""A column title is a few words alone in its cell ("Uraian Prosedur", "Aktivitas/Kegiatan")."""


def _title_cell(page: Page, word: TextRun) -> bool:
    """``word`` opens a short text alone in its ruled cell, as a column title does; the same
    word inside running text ("... atas pelaksanaan aktivitas ..." under Peringatan, with
    "waktu" further on) is no title."""
    cells = [c for c in page.cells if c.contains(word.box.cx, word.box.cy, 0.5)]
    if not cells:
        return True  # an unruled header: nothing to tell by
    cell = min(cells, key=lambda c: c.width * c.height)
    inside = sorted(words_in(page.texts, cell), key=lambda t: (round(t.box.cy), t.box.x0))
    return len(inside) <= TITLE_WORDS and bool(inside) and inside[0] is word


def _header_tops(page: Page) -> list[tuple[float, float]]:
    """Bands that may hold the column titles, top to bottom: an activity title (``Kegiatan``,
    ``Aktivitas``, ``Uraian Prosedur``...) inside the ruled cells with a Mutu Baku title
    (``Kelengkapan``, ``Waktu``, ``Output``, ``Keterangan``) on the same header, to its right.
    The ``No`` title is not required: some tables leave the number column untitled."""
    if not page.cells:
        return []
    bands = _bands(page.cells)
    activity_rx = _KINDS[1][1]
    mutu_rx = [rx for k, rx in _KINDS if k in MUTU]
    left = min(c.x0 for c in page.cells) - 2
    out: list[tuple[float, float]] = []
    for w in page.texts:
        if w.box.x0 < left or not activity_rx.match(_norm(w.text)):
            continue
        if not _title_cell(page, w):
            continue
        beside = [v for v in page.texts if v.box.x0 > w.box.x1 and abs(v.box.cy - w.box.cy) < 40
                  and any(rx.match(_norm(v.text)) for rx in mutu_rx)]
        if not beside:
            continue
        for top, bottom in bands:
            if top - 1 <= w.box.cy <= bottom + 1:
                out.append((top, bottom))
                break
    return sorted(set(out))


def _numbered(page: Page, col: Column, top: float, bottom: float) -> int | None:
    for w in words_in(page.texts, Box(col.x0, top, col.x1, bottom)):
        m = _ROW_NUMBER.match(w.text)
        if m:
            return int(m.group(1))
    return None


def _in_symbol(page: Page, word: TextRun) -> bool:
    """A word drawn inside a symbol (an off-page connector's letter above the first row of a
    continuation page) names no column. Only connectors count: a shaded header cell drawn as
    a filled rectangle is read as a box, and its title must stay."""
    return any(s.kind is ShapeKind.CONNECTOR and s.box.contains(word.box.cx, word.box.cy)
               for s in page.shapes)


FILLED = 0.7
"""A line of one word this wide a share of its cell is a long word broken across lines."""


def _title(words: Sequence[TextRun], x0: float, x1: float) -> str:
    # a group title ("Pelaksana", "Mutu Baku") stands on the header's top line, above the
    # column's own name; below a name it is part of it ("Fungsional/" over "Pelaksana");
    # alone it is the column's name (a role called "Pelaksana", a jabatan of its own)
    top = min((w.box.cy for w in words), default=0.0)

    def on_top(w: TextRun) -> bool:
        return w.box.cy - top <= max(2.0, 0.4 * w.box.height)

    named_below = any(not on_top(w) for w in words)
    kept = [w for w in words if not (_GROUP.match(w.text) and named_below and on_top(w))]
    return _BRACKET_SPACE.sub("", _unbroken(join_words(kept), kept, x1 - x0))


_BRACKET_SPACE = re.compile(r"(?<=\()\s+|\s+(?=\))")
"""A space just inside a bracket ("(Approver )", a typist's stray space) is no word break."""


def _unbroken(text: str, words: Sequence[TextRun], width: float) -> str:
    """A title whose long word the writer broke across lines without a hyphen
    ("Pengadministr" over "asi Umum" in a narrow role column) joined back: a line holding one
    word that fills the cell, followed by a line that goes on in lower case, is one word."""
    for w in words:
        if w.box.width < FILLED * width or w.text[-1:] in "-/:":
            continue
        alone = all(abs(v.box.cy - w.box.cy) > max(2.0, 0.4 * w.box.height)
                    for v in words if v is not w)
        below = sorted((v for v in words if 0 < v.box.cy - w.box.cy <= 1.8 * w.box.height),
                       key=lambda v: v.box.x0)
        if alone and below and below[0].text[:1].islower():
            text = text.replace(f"{w.text} {below[0].text}", f"{w.text}{below[0].text}", 1)
    return text


TITLE_GAP = 5.0
"""Points: paper this wide down the whole header between two groups of title words parts
two titles (a word space is a third of it)."""


def _word_columns(words: Sequence[TextRun], a: float, b: float,
                  ) -> list[tuple[float, float, list[TextRun]]]:
    """A header cell's words parted where paper runs down all their lines, a gap wider than
    any word space: two titles whose column rule the picture lost ("Kasat" beside "Kepala
    Bidang Terkait"). Each part is ``(x0, x1, words)``, the parts meeting halfway across the
    gap; one part when the words make one title (a title wrapped over lines is centred, so
    its lines cover each other's gaps)."""
    named = [w for w in words if not _GROUP.match(w.text)]
    if len(named) < 2:
        return [(a, b, list(words))]
    heights = sorted(w.box.height for w in named)
    gap = max(TITLE_GAP, 1.2 * heights[len(heights) // 2])
    spans = sorted((w.box.x0, w.box.x1) for w in named)
    cuts: list[float] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= gap:
            cuts.append((x0 + reach) / 2)
        reach = max(reach, x1)
    if not cuts:
        return [(a, b, list(words))]
    edges = [a, *cuts, b]
    return [(lo, hi, [w for w in words if lo <= w.box.cx < hi])
            for lo, hi in itertools.pairwise(edges)]


def _columns(page: Page, top: float, bottom: float, xs: Sequence[float]) -> list[Column]:
    cols: list[Column] = []
    for a, b in itertools.pairwise(xs):
        if b - a < MIN_WIDTH:
            continue
        box = Box(a, top, b, bottom)
        words = words_in(page.texts, box)
        # a group title centred over several columns is not this column's name
        words = [w for w in words if w.box.x0 >= a - 3 and w.box.x1 <= b + 3
                 and not _INDEX.match(w.text) and not _in_symbol(page, w)]
        parts = [(a, b, words)]
        if _kind(_title(words, a, b)) == ROLE:
            parts = _word_columns(words, a, b)
        for lo, hi, mine in parts:
            title = _title(mine, lo, hi)
            cols.append(Column(lo, hi, _kind(title), title))
    kinds = [c.kind for c in cols]
    if NUMBER not in kinds and ACTIVITY in kinds and kinds.index(ACTIVITY) > 0:
        # an untitled first column (the activity title spans it): the step numbers
        i = kinds.index(ACTIVITY) - 1
        cols[i] = Column(cols[i].x0, cols[i].x1, NUMBER, cols[i].title)
        kinds[i] = NUMBER
    # roles only between the activity column and the first Mutu Baku column
    start = kinds.index(ACTIVITY) + 1 if ACTIVITY in kinds else 0
    end = next((i for i, k in enumerate(kinds) if k in MUTU and i >= start), len(cols))
    out = []
    for i, c in enumerate(cols):
        if c.kind == ROLE and not start <= i < end:
            c = Column(c.x0, c.x1, NOTES if i >= end else ACTIVITY, c.title)
        elif c.kind == ROLE and not c.title:
            continue  # an empty spacer column
        out.append(c)
    return out


def _kind(title: str) -> str:
    """The column a title names: one of the form's own columns, else a role."""
    norm = _norm(title)
    for k, rx in _KINDS:
        if rx.search(norm):
            return k
    return ROLE


def _refit(prev: Sequence[Column], page: Page, top: float) -> list[Column]:
    """A continuation page's columns: its own ruled x positions, named after the nearest
    column of the previous page (same template, possibly shifted a little)."""
    xs = _xs([c for c in page.cells if c.top >= top - 1])
    cols = []
    for a, b in itertools.pairwise(xs):
        if b - a < MIN_WIDTH:
            continue
        mid = (a + b) / 2
        best = min(prev, key=lambda c: abs(c.cx - mid))
        if abs(best.cx - mid) > max(12.0, 0.5 * (best.x1 - best.x0)):
            continue
        cols.append(Column(a, b, best.kind, best.title))
    return cols


def _rows(page: Page, cols: Sequence[Column], top: float) -> list[Row]:
    number_col = next((c for c in cols if c.kind == NUMBER), None)
    rows = []
    for a, b in _row_bands(page.cells):
        if a < top - 1:
            continue
        num = None if number_col is None else _numbered(page, number_col, a, b)
        rows.append(Row(page.number, a, b, num))
    return rows


def find_tables(pages: Sequence[Page]) -> list[PageTable]:
    """The SOP table on each page that draws part of it, in page order."""
    out: list[PageTable] = []
    headed: dict[int, tuple[float, list[float]]] = {}  # table index -> (body top, ruled xs)
    prev: list[Column] | None = None
    for page in pages:
        heads = _header_tops(page)
        cols: list[Column] = []
        found = False
        for top, title_bottom in heads:
            body = [c for c in page.cells if c.top >= top - 1]
            xs = _xs(body)
            probe = _columns(page, top, title_bottom, xs)
            number_col = next((c for c in probe if c.kind == NUMBER), None)
            if number_col is None:
                continue
            # the first numbered row (a cell spanning the body, a merged Keterangan or a
            # sliver beside the table, is no row and would start the body at the header)
            first = next((a for a, b in _row_bands(body)
                          if _numbered(page, number_col, a, b) is not None), None)
            if first is None:
                continue
            cols = _columns(page, top, first, xs)
            body_top = first
            found = True
            break
        if found:
            pass
        elif prev is not None and page.cells:
            top = min(c.top for c in page.cells)
            cols = _refit(prev, page, top)
            body_top = top
        else:
            continue
        if not any(c.kind == ROLE for c in cols):
            continue
        rows = _rows(page, cols, body_top)
        if not rows:
            continue
        out.append(PageTable(page, tuple(cols), tuple(rows), top, max(r.bottom for r in rows)))
        if found:
            headed[len(out) - 1] = (body_top, list(xs))
        prev = list(cols)
    return _ruled_alike(out, headed)


def _ruled_alike(tables: list[PageTable],
                 headed: dict[int, tuple[float, list[float]]]) -> list[PageTable]:
    """Role columns split where another page of the same table draws a ruling between them.

    The pages of one SOP repeat one template; a scan or a pasted screenshot may lose a
    column ruling on one page (two role columns with no line between them, their titles read
    as one). A ruling another page draws at that x, with the same outer edges, is the
    template's: the column is split there and its titles read again from the header cells."""
    out = list(tables)
    for i, (body_top, xs) in headed.items():
        t = tables[i]
        roles = t.roles()
        extra: list[float] = []
        for j, other in enumerate(tables):
            if j == i or abs(other.columns[0].x0 - t.columns[0].x0) > SAME_EDGE or abs(
                    other.columns[-1].x1 - t.columns[-1].x1) > SAME_EDGE:
                continue
            for c in other.roles():
                for x in (c.x0, c.x1):
                    if any(r.x0 + MIN_WIDTH < x < r.x1 - MIN_WIDTH for r in roles) and all(
                            abs(x - y) > SAME_EDGE for y in xs + extra):
                        extra.append(x)
        if extra:
            cols = _columns(t.page, t.top, body_top, sorted(xs + extra))
            out[i] = PageTable(t.page, tuple(cols), t.rows, t.top, t.bottom)
    return out
