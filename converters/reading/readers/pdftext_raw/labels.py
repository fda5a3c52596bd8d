"""Floating branch labels (yes/no) placed beside the checking step they answer."""

from __future__ import annotations

import re

from converters.model import ReaderWarning
from converters.reading.evidence import states_decision
from converters.reading.raw import UNPLACED, RawRow
from converters.reading.readers.pdftext_raw.blocks import _Block
from converters.reading.readers.pdftext_raw.shapes import _CONNECTOR, _GROUP_TITLE
from converters.reading.vocabulary import answer_label, checks_work, corrects_work

_QUESTION = re.compile(r"\?\s*$")


def _yes_no(b: _Block) -> tuple[list[str], list[str]] | None:
    """The yes and the no labels of a block made of branch labels only ("Y" / "T",
    "Tidak", "Sudah Benar" / "Belum Benar"), besides connector letters; None for any other
    block."""
    yes: list[str] = []
    no: list[str] = []
    for x in b.lines:
        kind = answer_label(x)
        if kind == "no":
            no.append(x.strip())
        elif kind == "yes":
            yes.append(x.strip())
        elif not _CONNECTOR.match(x):
            return None
    return (yes, no) if yes or no else None


def _place_floating_labels(
    body: list[_Block],
    rows: list[RawRow],
    homes: dict[int, int],
    warnings: list[ReaderWarning],
    header: frozenset[int] | set[int] = frozenset(),
) -> None:
    """A diamond's "Y" / "T" float in plain pdftotext wherever its reading order puts them,
    and where no activity states the decision ("jika sesuai ..., jika tidak ...", "...?")
    they are the only trace of it. Pair the yes and no labels in reading order and give
    each pair, as marks without a column, to the checking step ("Memeriksa", "Pemeriksaan
    ...", "Evaluasi") nearest the row the labels follow, one that a correcting step
    follows first ("Memverifikasi ..." then "Melakukan perbaikan ...": the no branch's way
    back); a checking step is where a diamond asks. A block of the table's header
    (``header``, indices into ``body``) that is the number column's title ("No") is no
    label."""
    if any(_QUESTION.search(r.activity) or states_decision(r.activity) for r in rows):
        # the document writes its decisions: a question, or "jika sesuai ..., jika tidak
        # ..." (inference reads them, and the floating labels are theirs); a condition that
        # names no branch ("jika ditemukan ...", "bila terdapat ...") only says when a step
        # happens, and leaves the labels to the checking steps
        return
    yes: list[tuple[str, int | None]] = []
    no: list[tuple[str, int | None]] = []
    for i, b in enumerate(body):
        if i in header and _GROUP_TITLE.match(b.lines[0].strip()):
            continue  # the number column's title "No" is no English "no" branch
        found = _yes_no(b)  # a block of yes/no labels alone is never a page's header
        if found:
            yes.extend((x, homes.get(i)) for x in found[0])
            no.extend((x, homes.get(i)) for x in found[1])
    checking = [r for r in rows if r.number is not None and checks_work(r.activity)]
    by_number = {r.number: r for r in rows if r.number is not None}
    placed: list[int] = []
    for (y, home), (n, no_home) in _pairs(yes, no):
        free = [r for r in checking if r.number not in placed]
        mended = [r for r in free if _mended_next(r, by_number)]
        own = (
            by_number.get(home)
            if home is not None and home == no_home and home not in placed
            else None
        )
        if mended:  # a check whose failure the next step mends: the strongest sign of a
            # diamond, above the row the labels happen to follow (at a page's end, the last)
            row = _nearest(mended, home)
        elif own is not None and not any(
            abs((r.number or 0) - (own.number or 0)) <= 1 for r in checking
        ):
            # both labels follow one row's cells and no checking step stands beside it: a
            # diamond's labels stand beside it or on its arrows, a row away at most, so the
            # row they follow asks (a diamond's question without its question mark)
            row = own
        elif not free:
            break
        else:
            row = _nearest(free, home)
        row.marks[UNPLACED] = f"{y}\n{n}"
        placed.append(row.number or 0)
    if placed:
        warnings.append(
            ReaderWarning(
                "Label cabang tanpa letak dipasangkan pada langkah pemeriksaan "
                f"{', '.join(map(str, sorted(placed)))} / branch labels placed on the checking "
                "steps",
                code="labels-guessed",
            )
        )


def _nearest(rows: list[RawRow], home: int | None) -> RawRow:
    """The row numbered nearest ``home`` (the row the labels follow), the first of ``rows``
    when they follow none."""
    return min(rows, key=lambda r: abs((r.number or 0) - home) if home else 0)


def _mended_next(row: RawRow, by_number: dict[int, RawRow]) -> bool:
    """Whether the step after ``row`` corrects work: a check whose failure is mended next."""
    after = by_number.get((row.number or 0) + 1)
    return after is not None and corrects_work(after.activity)


def _pairs(
    yes: list[tuple[str, int | None]], no: list[tuple[str, int | None]]
) -> list[tuple[tuple[str, int | None], tuple[str, int | None]]]:
    """Yes and no labels paired in reading order, a no label that follows the same row's
    cells as the yes label first (the two labels of one diamond stand near each other)."""
    left = list(no)
    out: list[tuple[tuple[str, int | None], tuple[str, int | None]]] = []
    for y in yes:
        if not left:
            break
        same = next((x for x in left if y[1] is not None and x[1] == y[1]), left[0])
        left.remove(same)
        out.append((y, same))
    return out
