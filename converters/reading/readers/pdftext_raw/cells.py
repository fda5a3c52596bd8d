"""A page's Mutu Baku cells aligned with its rows at their Waktu values (a least-cost split)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from converters.reading.raw import RawRow
from converters.reading.readers.pdftext_raw.blocks import _Block
from converters.reading.readers.pdftext_raw.shapes import _waktu
from converters.reading.vocabulary import NOTES_OPENERS

_K_WAKTU, _K_REMARK, _K_CELL = "W", "N", "X"
_COLUMNS = ("requirements", "duration", "output", "notes")
_COST: dict[tuple[str, str], float] = {
    # (piece kind, column) -> cost; a missing pair cannot be
    (_K_WAKTU, "duration"): 0.0,
    (_K_CELL, "requirements"): 0.01,  # a lone cell between two rows is the Output before it
    (_K_CELL, "output"): 0.0,
    (_K_CELL, "notes"): 1.0,
    (_K_REMARK, "notes"): 0.0,
    (_K_REMARK, "output"): 1.5,
    (_K_REMARK, "requirements"): 1.5,
    # a cell written under its column's title: that column only
    **{("=" + col, col): 0.0 for col in ("requirements", "duration", "output", "notes")},
}
"""How well a kind of left-over cell fits a column. Waktu values are the surest anchors."""
_SKIP = 1.2  # a cell left unplaced
_NO_WAKTU = 1.0  # a row without any Waktu (rare: most SOPs fill it)
_NO_OUTPUT = 0.02
"""A row that takes all its cells from the run and no Output: most rows name one, but many
do not, so this only breaks ties."""
_WAKTU_APART = 0.05
"""A Waktu from the run for a row whose Kelengkapan stood beside its activity with no
Waktu after it: poppler keeps a Kelengkapan and the Waktu beside it in its table together
(a corner of an aligned grid), so such a row more often has no Waktu at all."""
_CHUNK = 6  # most cells one row can take
_LATE_OUTPUT = 0.5
"""An Output read after the row's Keterangan: dearer than in its place, cheaper than a
document name kept as a remark (``notes``)."""
_AWAY = 0.005
"""A cell that follows one row's activity placed on another row: only ever a tie-breaker, the
Waktu values decide."""
_BELOW_TITLE = 1.0
"""A cell joined to its column's title placed on a row other than the page's first: the
cell pdftotext joins to a title is the one right below it."""
_LONE = 0.2
"""A tail cell beside a row that holds that column's cell (:func:`_lone_cost`): more than
the tie-breakers, far less than a cell left unplaced."""
_TAIL = "~"
"""Marks the kind of a tail cell that may start the column order again (:data:`_TAIL_APART`)."""
_TAIL_APART = 0.2
"""A row's tail cells read in column order from the first column again, after the run's
cells of the same row (the Output and Keterangan in the run, the lone Kelengkapan after the
last row): poppler writes the lone cells after its whole table, so their order says nothing
about the run's. More than a tie-breaker: one order is still the likelier reading."""
_LATER = 1e-4
"""Between two equal readings, the cells go to the earlier rows: the cells pdftotext leaves
at a page's end are those of rows it had passed."""


@dataclass
class _Cells:
    """The Mutu Baku cells a row gets from the page's left-over run."""

    requirements: str = ""
    duration: str = ""
    output: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)

    def fill(self, row: RawRow) -> bool:
        """Fill the row's empty cells; True when one was filled."""
        filled = False
        for col in ("requirements", "duration", "output"):
            value = getattr(self, col)
            if value and not getattr(row, col):
                setattr(row, col, value)
                filled = True
        if self.notes:
            row.notes = " ".join([row.notes, *self.notes]).strip()
        return filled


def _kind(piece: str) -> str:
    return _K_WAKTU if _waktu(piece) else _K_REMARK if _remark(piece) else _K_CELL


@dataclass(frozen=True)
class _Piece:
    """A left-over cell: its text, kind (:func:`_kind`, or "=column" under a title), the
    step whose activity it follows before the next number (None: after none), and whether
    it stands in the page's tail, after the page's last row (:func:`_lone_cost`)."""

    text: str
    kind: str
    home: int | None
    tail: bool = False


def _homes(
    body: list[_Block], anchors: dict[int, tuple[int, int]], activity_of: dict[int, int]
) -> dict[int, int]:
    """Block -> the step whose activity the block follows, with no step number between."""
    numbers = {bi for bi, _ in anchors.values()}
    homes: dict[int, int] = {}
    home: int | None = None
    for i in range(len(body)):
        if i in activity_of:
            home = activity_of[i]
        elif i in numbers:
            home = None
        elif home is not None:
            homes[i] = home
    return homes


_PARTITIONS: tuple[tuple[tuple[str, ...], ...], ...] = tuple(
    tuple(_COLUMNS[a:b] for a, b in zip((0, *cuts), (*cuts, len(_COLUMNS)), strict=True))
    for cuts in (
        tuple(c for c in range(1, len(_COLUMNS)) if mask >> (c - 1) & 1)
        for mask in range(2 ** (len(_COLUMNS) - 1))
    )
)
"""The ways pdftotext may split a page's Mutu Baku columns into passes over its rows: all
four together row by row, or Kelengkapan and Waktu row by row, then the Output column, then
the Keterangan column ..."""
_PASS = 0.3
"""What one more pass over the rows costs: one pass reads the page unless more read it
clearly better."""


def _align(
    rows: list[RawRow], pieces: list[_Piece], joined: set[int] | None = None
) -> list[_Cells]:
    """Split the run of left-over cells into groups, one per row and pass, each group read
    as the pass's columns in order (Kelengkapan? Waktu? Output? Keterangan*), at the least
    cost (:data:`_COST`); a column the row already has from beside its activity takes
    nothing. pdftotext writes the run row by row, but sometimes a few columns row by row and
    then the others (:data:`_PARTITIONS`); Waktu values tell the rows apart, so the split
    follows them."""
    cache: dict[tuple[int, int, int, tuple[str, ...]], tuple[float, list[str]]] = {}
    best_cost, best_out = float("inf"), [_Cells() for _ in rows]
    for passes in sorted(_PARTITIONS, key=len):
        extra = _PASS * (len(passes) - 1)
        if extra >= best_cost:
            break  # no reading with more passes can be cheaper
        cost, out = _align_passes(rows, pieces, passes, cache, joined or set())
        cost += extra
        if cost < best_cost:
            best_cost, best_out = cost, out
    return best_out


def _align_passes(
    rows: list[RawRow],
    pieces: list[_Piece],
    passes: tuple[tuple[str, ...], ...],
    cache: dict[tuple[int, int, int, tuple[str, ...]], tuple[float, list[str]]],
    joined: set[int],
) -> tuple[float, list[_Cells]]:
    """The least-cost reading of ``pieces`` as ``passes`` over ``rows`` one after another.

    A state is (pass, rows done, pieces done, whether the last row done took an Output
    beside a Waktu it kept in place): the tail's cells are lone cells (:func:`_lone_cost`)."""
    # a tail with a Waktu is the last rows' cells written row by row, in order; one
    # without is the lone cells poppler writes after its table (:data:`_TAIL_APART`)
    apart = not any(p.tail and p.kind == _K_WAKTU for p in pieces)
    kinds = [(_TAIL if p.tail and apart else "") + p.kind for p in pieces]
    n, m, k = len(pieces), len(rows), len(passes)
    inf = float("inf")
    beside = [_filled_beside(rows, j, joined) for j in range(m)]
    best = [[[[inf, inf] for _ in range(n + 1)] for _ in range(m + 1)] for _ in range(k)]
    back: dict[tuple[int, int, int, int], tuple[int, int, int, int, list[str]]] = {}
    best[0][0][0][0] = 0.0
    for p, allowed in enumerate(passes):
        for j in range(m + 1):
            for i in range(n + 1):
                for f in (0, 1):
                    here = best[p][j][i][f]
                    if here == inf:
                        continue
                    if i < n and here + _SKIP < best[p][j][i + 1][f]:  # a cell of no row
                        best[p][j][i + 1][f] = here + _SKIP
                        back[p, j, i + 1, f] = (p, j, i, f, [])
                    if j == m:
                        if p + 1 < k and here < best[p + 1][0][i][0]:  # the next pass
                            best[p + 1][0][i][0] = here
                            back[p + 1, 0, i, 0] = (p, j, i, f, [])
                        continue
                    for size in range(min(_CHUNK, n - i) + 1):
                        key = (j, i, size, allowed)
                        if key not in cache:
                            cache[key] = _chunk(rows[j], kinds[i : i + size], allowed)
                        cost, cols = cache[key]
                        if cost == inf:
                            continue
                        cost += _LATER * j * size + _AWAY * sum(
                            _distance(x.home, rows[j].number) for x in pieces[i : i + size]
                        )
                        if j and any(x.kind.startswith("=") for x in pieces[i : i + size]):
                            cost += _BELOW_TITLE
                        took = int("output" in cols and _paired(rows[j], "output"))
                        cost += _lone_cost(
                            rows[j],
                            beside[j],
                            bool(f) and _next(rows, j - 1),
                            [c for x, c in zip(pieces[i : i + size], cols, strict=True) if x.tail],
                        )
                        if here + cost < best[p][j + 1][i + size][took]:
                            best[p][j + 1][i + size][took] = here + cost
                            back[p, j + 1, i + size, took] = (p, j, i, f, cols)
    out = [_Cells() for _ in rows]
    last = best[k - 1][m][n]
    f_end = 0 if last[0] <= last[1] else 1
    state = (k - 1, m, n, f_end)
    total = last[f_end]
    while state != (0, 0, 0, 0):
        pp, pj, pi, pf, cols = back[state]
        if pp == state[0] and pj != state[1]:
            cells = out[pj]
            for piece, col in zip(pieces[pi : state[2]], cols, strict=True):
                if col == "notes":
                    cells.notes.append(piece.text)
                else:
                    setattr(cells, col, piece.text)
        state = (pp, pj, pi, pf)
    return total, out


def _next(rows: list[RawRow], j: int) -> bool:
    """Row ``j + 1`` is the step right after row ``j`` (no row of another page between)."""
    a, b = rows[j].number, rows[j + 1].number
    return a is not None and b is not None and b == a + 1


def _filled_beside(rows: list[RawRow], j: int, joined: set[int]) -> dict[str, int]:
    """Column -> how many of row ``j``'s neighbours on the page kept that cell in place,
    beside their activity, with the cell beside it (:data:`_PAIR`): a grid of four with a
    cell of row ``j``. An Output that shares its block with the Waktu (``joined``: the
    two on one baseline) is one block to poppler, no corner of such a grid."""
    near = [rows[j - 1]] if j and _next(rows, j - 1) else []
    near += [rows[j + 1]] if j + 1 < len(rows) and _next(rows, j) else []
    return {
        col: sum(
            1
            for r in near
            if getattr(r, col)
            and getattr(r, _PAIR[col])
            and not (col == "output" and r.number in joined)
        )
        for col in _PAIR
    }


_PAIR = {"requirements": "duration", "duration": "requirements", "output": "duration"}
"""The cell beside each column's cell with which poppler's grid of four aligned cells
forms (:func:`_lone_cost`)."""


def _paired(row: RawRow, col: str) -> bool:
    """The row kept the cell beside ``col``'s (:data:`_PAIR`) in place, in poppler's
    table."""
    return bool(getattr(row, _PAIR[col]))


def _lone_cost(row: RawRow, beside: dict[str, int], after_output: bool, cols: list[str]) -> float:
    """What the columns ``cols`` cost on ``row`` for cells of the page's tail (the cells
    after its last row): poppler keeps a cell in its table, written row by row, only when
    the cell is a corner of a grid of four aligned cells (itself, the cell to its right,
    the next cell of its column and the one right of that); it writes the others after the
    table. A tail cell is such a lone cell, so its neighbours in the column are mostly
    empty: a tail cell beside a row that kept that column's cell in place (``beside``, per
    column), or a tail Output right after a row that took one (``after_output``), is a
    dearer reading (:data:`_LONE`). Only a row that kept the cell beside it in place can
    tell (:data:`_PAIR`)."""
    return _LONE * sum(
        beside[col] + (col == "output" and after_output)
        for col in cols
        if col in beside and _paired(row, col)
    )


def _distance(home: int | None, number: int | None) -> int:
    """How far a cell lands from the row whose activity it follows, in rows (at most 3;
    0 for a cell that follows none)."""
    if home is None or number is None:
        return 0
    return min(3, abs(number - home))


_ChunkState = tuple[int, frozenset[int], bool]
"""A reading of a row's cells so far: the index of the last column used (-1: none), the
columns taken (notes may repeat), and whether the row's tail cells began."""


def _chunk(
    row: RawRow, kinds: list[str], allowed: tuple[str, ...] = _COLUMNS
) -> tuple[float, list[str]]:
    """The cheapest reading of ``kinds`` as one row's cells in column order, and the column
    of each; columns the row already has, and those outside ``allowed`` (the pass's), are
    closed. A row without a Waktu costs more, in the pass that reads the Waktu column. A
    document cell after the row's Keterangan may still be its Output (:data:`_LATE_OUTPUT`):
    pdftotext writes a one-line remark before an Output cell that wraps, its first baseline
    being lower. A tail cell (kind marked :data:`_TAIL`) may begin the column order again,
    once per row (:data:`_TAIL_APART`)."""
    inf = float("inf")
    out_c = _COLUMNS.index("output")
    best: dict[_ChunkState, tuple[float, list[str]]] = {(-1, frozenset(), False): (0.0, [])}
    for marked in kinds:
        tail = marked.startswith(_TAIL)
        kind = marked.removeprefix(_TAIL)
        nxt: dict[_ChunkState, tuple[float, list[str]]] = {}
        for (last0, used, in_tail), (cost0, cols) in best.items():
            starts = [(last0, cost0)]
            if tail and not in_tail and last0 >= 0:
                # the row's first cell of the tail: column order begins again
                starts.append((-1, cost0 + _TAIL_APART))
            for last, cost in starts:
                for c, col in enumerate(_COLUMNS):
                    late = c == out_c and c < last and kind == _K_CELL and out_c not in used
                    if (c < last and not late) or (c == last and col != "notes"):
                        continue
                    if col != "notes" and c in used:
                        continue
                    if col not in allowed or (col != "notes" and getattr(row, col)):
                        continue
                    step = _COST.get((kind, col), inf) + (_LATE_OUTPUT if late else 0.0)
                    if step == inf:
                        continue
                    state = (max(c, last), used | {c}, in_tail or tail)
                    if state not in nxt or cost + step < nxt[state][0]:
                        nxt[state] = (cost + step, [*cols, col])
        best = nxt
        if not best:
            return inf, []
    cost, cols = min(best.values(), key=lambda t: t[0])
    return cost + _lacking(row, allowed, cols), cols


def _lacking(row: RawRow, allowed: tuple[str, ...], cols: list[str]) -> float:
    """What a row's reading costs for the cells it still lacks: a Waktu (most rows have
    one), an Output (many have one: a tie-breaker); and a Waktu taken from the run by a
    row that kept its Kelengkapan alone in place (:data:`_WAKTU_APART`)."""
    cost = 0.0
    if not row.duration and "duration" in allowed and "duration" not in cols:
        cost += _NO_WAKTU
    if not (row.duration or row.requirements) and "output" in allowed and "output" not in cols:
        cost += _NO_OUTPUT
    if row.requirements and not row.duration and "duration" in cols:
        cost += _WAKTU_APART
    return cost


def _remark(text: str) -> bool:
    return text.split()[0].lower() in NOTES_OPENERS if text.split() else False
