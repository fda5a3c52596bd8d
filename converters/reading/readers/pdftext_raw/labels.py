"""Floating branch labels (yes/no) placed beside the checking step they answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from converters.model import ReaderWarning
from converters.reading.evidence import states_decision
from converters.reading.raw import UNPLACED, RawRow
from converters.reading.readers.pdftext_raw.blocks import _Block
from converters.reading.readers.pdftext_raw.shapes import _CONNECTOR, _GROUP_TITLE
from converters.reading.vocabulary import (
    answer_label,
    checks_work,
    corrects_work,
    diamond_row_rank,
    hands_on,
)

_QUESTION = re.compile(r"\?\s*$")


@dataclass(frozen=True)
class _Label:
    """A floating branch label: its text, the row whose cells it follows (None: none), its
    page, and whether it stands after its page's last row (where pdftotext gathers a page's
    floating words, so the row it follows says nothing of its diamond)."""

    text: str
    home: int | None
    page: int
    gathered: bool


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


def _labels_apart(
    body: list[_Block], header: set[int]
) -> tuple[list[_Block], set[int]]:
    """Branch labels pdftotext wrote as the last lines of a cell's block ("Nota Dinas" /
    "Ya", "Memeriksa berkas" / "T") parted into a block of their own, so they are read as
    labels and not as the cell's words. A label line is capitalised (a wrapped cell goes on
    in lower case: "Berkas" / "lengkap") and a yes or no answer; the table's header is left
    whole. Returns the blocks and the header's indices among them."""
    out: list[_Block] = []
    kept_header: set[int] = set()
    for i, b in enumerate(body):
        cut = len(b.lines)
        while cut > 1 and _label_line(b.lines[cut - 1]):
            cut -= 1
        tail = {answer_label(x) for x in b.lines[cut:]}
        if i in header or tail != {"yes", "no"} or _yes_no(b):
            if i in header:
                kept_header.add(len(out))
            out.append(b)
            continue
        out.append(_Block(b.lines[:cut], b.first_line, b.page))
        out.append(_Block(b.lines[cut:], b.first_line + cut, b.page))
    return out, kept_header


def _label_line(line: str) -> bool:
    """A capitalised yes or no answer alone on its line ("Ya", "T", "Tidak lengkap")."""
    return line[:1].isupper() and answer_label(line) is not None


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
    page_of = _row_pages(body, rows)
    yes: list[_Label] = []
    no: list[_Label] = []
    for i, b in enumerate(body):
        if i in header and _GROUP_TITLE.match(b.lines[0].strip()):
            continue  # the number column's title "No" is no English "no" branch
        found = _yes_no(b)  # a block of yes/no labels alone is never a page's header
        if found:
            gathered = _after_page_rows(b, rows, page_of)
            yes.extend(_Label(x, homes.get(i), b.page, gathered) for x in found[0])
            no.extend(_Label(x, homes.get(i), b.page, gathered) for x in found[1])
    checking = [r for r in rows if r.number is not None and checks_work(r.activity)]
    by_number = {r.number: r for r in rows if r.number is not None}
    placed: list[int] = []
    for ye, ne in _pairs(yes, no):
        y, n = ye.text, ne.text
        # a label that follows a row's cells says more than one gathered at the page's end
        gathered = ye.gathered and ne.gathered
        home = ne.home if ye.gathered else ye.home
        # labels gathered at a page's end are that page's; others may float over a break
        near = [r for r in rows if r.number not in placed
                and (not gathered or page_of.get(id(r), ye.page) == ye.page)]
        free = [r for r in near if r in checking]
        mended = [r for r in free if _mended_next(r, by_number)]
        own = (
            by_number.get(home)
            if home is not None and home == ne.home and home not in placed
            and not gathered
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
            continue  # no checking step left on the labels' page
        elif gathered:
            row = min(free, key=lambda r: _plainest(r, home))
        else:
            row = _nearest([r for r in free if not hands_on(r.activity)] or free, home)
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


def _plainest(row: RawRow, home: int | None) -> tuple[bool, bool, int]:
    """How well a checking step fits a pair of labels gathered at its page's end (which row
    they follow says little), best first: as a diamond's row
    (:func:`~converters.reading.vocabulary.diamond_row_rank`), then the step nearest the row
    the labels follow (the page's last: a diamond's labels come late in the page's words)."""
    return (*diamond_row_rank(row.activity), abs((row.number or 0) - home) if home else 0)


def _row_pages(body: list[_Block], rows: list[RawRow]) -> dict[int, int]:
    """id of a row -> the page its number stands on (a row's line is its number block's)."""
    page_at = {b.first_line: b.page for b in body}
    return {id(r): page_at[r.line] for r in rows if r.line in page_at}


def _after_page_rows(b: _Block, rows: list[RawRow], page_of: dict[int, int]) -> bool:
    """Whether block ``b`` stands after the last row of its page: plain pdftotext gathers the
    page's floating words (the flowchart's labels) there, so the row they follow is only
    the page's last, not the diamond's."""
    on_page = [r for r in rows if page_of.get(id(r)) == b.page]
    return bool(on_page) and all((r.line or 0) < b.first_line for r in on_page)


def _nearest(rows: list[RawRow], home: int | None) -> RawRow:
    """The row numbered nearest ``home`` (the row the labels follow), the first of ``rows``
    when they follow none."""
    return min(rows, key=lambda r: abs((r.number or 0) - home) if home else 0)


def _mended_next(row: RawRow, by_number: dict[int, RawRow]) -> bool:
    """Whether the step after ``row`` corrects work: a check whose failure is mended next."""
    after = by_number.get((row.number or 0) + 1)
    return after is not None and corrects_work(after.activity)


def _pairs(yes: list[_Label], no: list[_Label]) -> list[tuple[_Label, _Label]]:
    """Yes and no labels paired in reading order, a no label that follows the same row's
    cells as the yes label first (the two labels of one diamond stand near each other).
    Both labels of a pair stand on one page: a diamond is never drawn across a page break."""
    left = list(no)
    out: list[tuple[_Label, _Label]] = []
    for y in yes:
        mates = [x for x in left if x.page == y.page]
        if not mates:
            continue
        same = next((x for x in mates if y.home is not None and x.home == y.home), mates[0])
        left.remove(same)
        out.append((y, same))
    return out
