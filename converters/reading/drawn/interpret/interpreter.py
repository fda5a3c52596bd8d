"""One interpreter for every drawn SOP: a :class:`Picture` becomes the :class:`Sop` model.

How each thing is decided (the form's rules, not any sample's words):

* **Columns and rows** — :mod:`.table`: titles name the columns, role
  columns are the ones between the activity column and the Mutu Baku columns; rows are the
  ruled bands, numbered by their ``No`` cell. A band without a number joins the step above it
  (as the text readers do: it cannot be a step without renumbering the SOP), and so does a
  band that repeats the number above (a step continued on the next page).
* **Role** — every symbol (capsule, box, diamond) sits in one role column of one row. A row
  with one symbol has that role. With several, the main role is the diamond's (a decision is
  taken by one person), else the symbol most drawn lines join to other symbols (the flow runs
  through it; lines drawn short of a box or merging into another line count, :mod:`.flow`;
  the others are joint or parallel work, or a document beside the box), else the leftmost;
  the others become ``other_roles`` in column order. Symbols of a joined unnumbered row are
  other roles of the step above.
* **Decision** — the arrows leaving a diamond are followed (:mod:`.arrows`) to the symbol they
  reach, through merging lines and off-page connectors; the target is that symbol's step. The
  label nearest each branch's first stretch names it. The approve branch is the positive one
  (Ya, Y, Ada, Lengkap, Setuju...), the reject branch the negative (Tidak, T, Belum...); when
  neither or both are negative, the order is the labels' reading order (top, then left).
  Branches beyond the first two go to ``Decision.more``. A row with several diamonds keeps
  the one the flow enters from another row (else the leftmost) as its decision; each other
  diamond is reported with its branches (``decision-dropped``), as the model holds one
  decision per step.
* **Mutu Baku, activity, notes** — the words inside each cell of the row.
* **A row without a symbol** — the text inference chooses its role, with a warning.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from converters.model import (
    END,
    NO_DURATION,
    ConversionError,
    Decision,
    Duration,
    Identity,
    Provenance,
    ReaderWarning,
    Sop,
    Step,
    StepRef,
)
from converters.model import Branch as ModelBranch
from converters.reading.drawn.geometry import Point, dist
from converters.reading.drawn.interpret.arrows import (
    Branch,
    label_text,
    page_branches,
    touches,
)
from converters.reading.drawn.interpret.flow import links
from converters.reading.drawn.interpret.header_text import FOOTER, layout_lines, read_header
from converters.reading.drawn.interpret.table import (
    ACTIVITY,
    DURATION,
    NOTES,
    OUTPUT,
    REQUIREMENTS,
    ROLE,
    Column,
    PageTable,
    Row,
    find_tables,
    join_words,
    text_lines,
    words_in,
)
from converters.reading.drawn.interpret.titles import named_titles
from converters.reading.drawn.picture import Box, Page, Picture, Shape, ShapeKind
from converters.reading.durations import parse_duration
from converters.reading.evidence import Branch as Clause
from converters.reading.evidence import read_clues
from converters.reading.readers.ocr.waktu import find as find_waktu
from converters.reading.roles import RoleBook
from converters.reading.vocabulary import answer_label

STEP_SYMBOLS = (ShapeKind.TERMINATOR, ShapeKind.PROCESS, ShapeKind.DECISION)
SOURCE = "symbol"
_NEGATIVE = re.compile(
    r"^(tidak|t|n|no|belum|tolak|ditolak|salah|kurang|gagal|bukan)\b", re.IGNORECASE)


@dataclass
class _Placed:
    """A step symbol and where it stands."""

    shape: Shape
    page: Page
    column: Column
    row: Row
    joined: bool  # in an unnumbered row joined to the step above


@dataclass
class _StepRows:
    number: int
    rows: list[tuple[PageTable, Row]] = field(default_factory=list)
    symbols: list[_Placed] = field(default_factory=list)
    first_line: int = 0


def _evidence(p: _Placed) -> str:
    b = p.shape.box
    return f"halaman {p.page.number}, kotak {b.x0:.0f},{b.top:.0f}\u2013{b.x1:.0f},{b.bottom:.0f}"


def _entered_from_outside(p: _Placed) -> bool:
    """An arrow ends with its head on the symbol and starts outside the symbol's row: the
    flow from an earlier (or later) step comes in here."""
    for a in p.page.shapes:
        if a.kind != ShapeKind.ARROW or a.head is None or len(a.path) < 2:
            continue
        if not touches(a.head, p.shape.box, 4.0):
            continue
        tail = a.path[0] if dist(a.path[-1], a.head) < dist(a.path[0], a.head) else a.path[-1]
        if not p.row.top - 1 <= tail[1] <= p.row.bottom + 1:
            return True
    return False


def _decision_diamond(diamonds: Sequence[_Placed]) -> _Placed:
    """The diamond a row's decision is read from when the row draws several: the one the
    flow enters from another row (the others are reached only through it), else the
    leftmost."""
    entered = [d for d in diamonds if _entered_from_outside(d)]
    return min(entered or diamonds, key=lambda s: s.shape.box.cx)


class _Flow:
    """What each symbol is linked to by the drawn lines (:func:`.flow.links`): the symbol
    or the bare point at each line's other end, read page by page on first use."""

    def __init__(self) -> None:
        self.done: dict[int, dict[int, list[tuple[Shape | None, Point]]]] = {}

    def of(self, p: _Placed) -> list[tuple[Shape | None, Point]]:
        if p.page.number not in self.done:
            linked: dict[int, list[tuple[Shape | None, Point]]] = {}
            for k in links(p.page):
                if k.a is not None:
                    linked.setdefault(id(k.a), []).append((k.b, k.b_end))
                if k.b is not None:
                    linked.setdefault(id(k.b), []).append((k.a, k.a_end))
            self.done[p.page.number] = linked
        return self.done[p.page.number].get(id(p.shape), [])


def _main(symbols: Sequence[_Placed], flow: _Flow) -> _Placed:
    """The symbol whose column is the step's actor: a diamond's, else the one the flow runs
    through: the most drawn lines joining it to other symbols (a line drawn a few points
    short of its box or merging into another line still counts; a document symbol hanging
    beside the box has one line, the box has the lines from the step before, to the next
    and from the document), then the leftmost."""
    own = [s for s in symbols if not s.joined] or list(symbols)
    diamonds = [s for s in own if s.shape.kind == ShapeKind.DECISION]
    if diamonds:
        return _decision_diamond(diamonds)
    return max(own, key=lambda s: (len(flow.of(s)), -s.shape.box.cx))


def _cell_text(table: PageTable, row: Row, kinds: Sequence[str]) -> str:
    parts = []
    for col in table.columns:
        if col.kind in kinds:
            text = join_words(words_in(table.page.texts, row.box(col)))
            if text:
                parts.append(text)
    return " ".join(parts)


def _group_rows(tables: Sequence[PageTable],
                warnings: list[ReaderWarning]) -> list[_StepRows]:
    steps: list[_StepRows] = []
    for t in tables:
        for r in t.rows:
            if r.number is not None and (not steps or r.number > steps[-1].number):
                steps.append(_StepRows(r.number, [(t, r)]))
            elif steps:
                steps[-1].rows.append((t, r))
                if r.number is None and _cell_text(t, r, (ACTIVITY,)):
                    warnings.append(ReaderWarning(
                        f"Baris tanpa nomor di halaman {t.page.number} digabung ke langkah "
                        f"{steps[-1].number} (unnumbered row merged)", "row-merged", None,
                        steps[-1].number))
    return steps


def _place(steps: Sequence[_StepRows]) -> dict[int, int]:
    """Each step symbol put in its step; returns the step number of every symbol (by id)."""
    where: dict[int, int] = {}
    for st in steps:
        for i, (t, r) in enumerate(st.rows):
            for s in t.page.shapes:
                if s.kind not in STEP_SYMBOLS or not r.top <= s.box.cy <= r.bottom:
                    continue
                col = t.column_at(s.box.cx)
                if col is None or col.kind != ROLE:
                    continue
                st.symbols.append(_Placed(s, t.page, col, r, i > 0 and r.number is None))
                where[id(s)] = st.number
        work = any(p.shape.kind != ShapeKind.TERMINATOR for p in st.symbols)
        for p in st.symbols:
            if work and st is not steps[0] and _ends_flow(p.shape, p.page):
                del where[id(p.shape)]
    return where


def _ends_flow(shape: Shape, page: Page) -> bool:
    """An end capsule: a terminator that lines enter and none leaves. Drawn beside a box or a
    diamond of a step's row (past the first step, where a start capsule may stand beside the
    first box), it is no step of its own: a branch into it ends the process (in a row of
    capsules only, it is the row's step, "Selesai").

    A line whose arrowhead the picture lost (traced from pixels, the head merges with the
    capsule's outline) joins the capsule without saying which way it runs; past the first
    step a capsule beside a step's work closes the flow, so only a line that shows its head
    at its other end leaves it."""
    if shape.kind != ShapeKind.TERMINATOR:
        return False
    joined = False
    for a in page.shapes:
        if a.kind != ShapeKind.ARROW or len(a.path) < 2:
            continue
        near = [e for e in (a.path[0], a.path[-1]) if touches(e, shape.box)]
        if len(near) != 1:
            continue
        joined = True
        if a.head is not None and dist(near[0], a.head) >= 0.5:
            return False  # its head at the other end: the flow leaves the capsule
    return joined


def _header(pic: Picture, tables: Sequence[PageTable]) -> list[str]:
    if pic.header_text:
        return pic.header_text.splitlines()
    first = tables[0]
    lines: list[str] = []
    for page in pic.pages:
        if page.number > first.page.number:
            break
        limit = first.top if page.number == first.page.number else page.height
        lines += layout_lines([w for w in page.texts if w.box.bottom <= limit + 1])
    return [ln for ln in lines if not FOOTER.search(ln.strip())]


_NAME_LABEL = re.compile(r"^(nama|judul)$", re.IGNORECASE)


def _name_block(page: Page, limit: float) -> str:
    """The SOP name as the identity block writes it: the lines right of the ``Nama SOP``
    (``Judul SOP``) label, level with it, wrapped lines included. A name of two or three lines
    is centred on its label, so the line-by-line header text finds only the line level with
    the label (or none); here the value is the line nearest the label plus the lines just
    above and below it that start in the same column."""
    words = [w for w in page.texts if w.box.bottom <= limit + 1]
    for w in words:
        if not _NAME_LABEL.match(w.text):
            continue
        sop = [v for v in words if v.text.upper() == "SOP" and abs(v.box.cy - w.box.cy) < 2
               and 0 <= v.box.x0 - w.box.x1 < 8]
        if not sop:
            continue
        label = sop[0]
        lh = max(w.box.height, 4.0)
        band = [v for v in words if v.box.x0 > label.box.x1 + 2
                and abs(v.box.cy - w.box.cy) <= 2.5 * lh and v.text != ":"]
        lines = text_lines(band, floor=2.5, share=0.0)
        if not lines:
            continue
        at = min(range(len(lines)), key=lambda i: abs(lines[i][0].box.cy - w.box.cy))
        x0 = lines[at][0].box.x0
        lo = hi = at  # wrapped lines start in the value's column, one line apart
        while lo > 0 and abs(lines[lo - 1][0].box.x0 - x0) <= 3 and (
                lines[lo][0].box.cy - lines[lo - 1][0].box.cy <= 1.6 * lh):
            lo -= 1
        while hi + 1 < len(lines) and abs(lines[hi + 1][0].box.x0 - x0) <= 3 and (
                lines[hi + 1][0].box.cy - lines[hi][0].box.cy <= 1.6 * lh):
            hi += 1
        col = [v for ln in lines[lo:hi + 1] for v in ln]
        text = join_words(col).lstrip(": ").strip()
        if text:
            return " ".join(text.split())
    return ""


def _named(identity: Identity, pic: Picture, tables: Sequence[PageTable]) -> Identity:
    first = tables[0]
    for page in pic.pages:
        if page.number > first.page.number:
            break
        limit = first.top if page.number == first.page.number else page.height
        name = _name_block(page, limit)
        if name and (not identity.name or name.lower().startswith(identity.name.lower())):
            return replace(identity, name=name)
    return identity


def _target(branch: Branch, where: dict[int, int]) -> StepRef | None:
    if branch.target is None:
        return None
    return where.get(id(branch.target), END)


def _order(bs: list[Branch], activity: str = "") -> list[Branch]:
    """The branches, the approving way first: a yes label before a no label; branches
    whose labels are neither ("Teknis" / "Administratif") in the order the step's activity
    names them ("jika teknis …, jika administratif …"), which is how the author ranked
    them, else in the order they leave the diamond."""

    def rank(b: Branch) -> int:
        """0 a yes label, 2 a no label, 1 neither (a label misread or not written): a "Y"
        beside a label the scan spoilt is still the approving way. A label written as a
        state ("Sudah Benar" / "Belum Benar") answers yes or no like a bare one."""
        said = answer_label(b.label)
        if said == "no" or _NEGATIVE.match(b.label.strip()):
            return 2
        return 0 if said == "yes" else 1

    if len({rank(b) for b in bs}) > 1:
        return sorted(bs, key=lambda b: (rank(b), b.path[0][1], b.path[0][0]))
    drawn = sorted(bs, key=lambda b: (b.path[0][1], b.path[0][0]))
    named = [_named_at(b.label, activity) for b in drawn]
    starts = {(round(b.path[0][0]), round(b.path[0][1])) for b in drawn}
    # only where each way leaves the diamond at its own point: ways that leave together
    # share their labels' place, so which label is whose is not drawn
    if (drawn and rank(drawn[0]) == 1 and all(at >= 0 for at in named)
            and len(set(named)) == len(named) and len(starts) == len(drawn)):
        return [b for _, b in sorted(zip(named, drawn, strict=True), key=lambda p: p[0])]
    return drawn


def _named_at(label: str, activity: str) -> int:
    """Where the activity text names a branch label (-1: it does not): as a whole phrase,
    else as the condition of one of its "jika …" clauses the label's letters begin, a letter
    or two misread or lost ("Tat" for "Tatap muka", "Adminis ratif", "Kotak “engaduan"), or
    end ("atif": the label's start lost)."""
    words = label.lower().split()
    if not words:
        return -1
    found = re.search(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", activity.lower())
    if found:
        return found.start()
    key = "".join(c for c in label.lower() if c.isalpha())
    if len(key) < LABEL_LETTERS:
        return -1
    for clause in _CLAUSE.finditer(activity.lower()):
        condition = clause.group(1).replace(" ", "")
        head = condition[: len(key)]
        first = clause.group(1).split()[0]
        if condition.startswith(key) or (
                len(key) >= 2 * LABEL_LETTERS
                and difflib.SequenceMatcher(None, key, head).ratio() >= LABEL_LIKE) or (
                len(key) > LABEL_LETTERS and first.endswith(key)):  # its start lost: "atif"
            return clause.start()
    return -1


_CLAUSE = re.compile(r"\bjika\s+([a-z]+(?:\s+[a-z]+)?)")
"""A "jika …" clause and the first two words of its condition."""
LABEL_LETTERS = 3
"""Letters a label cut short must keep to stand for a condition it begins ("Tat")."""
LABEL_LIKE = 0.8
"""How alike a misread label and a condition's first letters must be ("adminisratif")."""


class _Branches:
    """The branches of every diamond in the table, read page by page on first use (labels
    are paired over a whole page at once: :func:`.arrows.page_branches`)."""

    def __init__(self, pages: Sequence[Page], tables: Sequence[PageTable]) -> None:
        self.pages = pages
        self.tables = tables
        self.done: dict[int, dict[int, list[Branch]]] = {}

    def of(self, placed: _Placed) -> list[Branch]:
        page = placed.page
        if page.number not in self.done:
            roles = [c for t in self.tables if t.page is page for c in t.roles()]
            rows = [r for t in self.tables if t.page is page for r in t.rows]
            region = Box(min(c.x0 for c in roles), min(r.top for r in rows),
                         max(c.x1 for c in roles), max(r.bottom for r in rows))
            diamonds = [s for s in page.shapes if s.kind == ShapeKind.DECISION
                        and region.contains(s.box.cx, s.box.cy)]
            self.done[page.number] = page_branches(self.pages, page, diamonds, region)
        return self.done[page.number].get(id(placed.shape), [])


def _decision(st: _StepRows, placed: _Placed, found: list[Branch], where: dict[int, int],
              numbers: list[int], warnings: list[ReaderWarning],
              traced: bool = False, closing: int | None = None) -> Decision:  # fmt: skip
    activity = " ".join(filter(None, (_cell_text(t, r, (ACTIVITY,)) for t, r in st.rows)))
    bs = _order(found, activity)
    question = label_text(placed.shape, placed.page)
    nxt: StepRef = next((n for n in numbers if n > st.number), END)
    targets: list[StepRef] = []
    labels: list[str] = []
    for b in bs:
        t = _target(b, where)
        if t is None:
            warnings.append(ReaderWarning(
                f"Langkah {st.number}: cabang \u201c{b.label}\u201d tidak sampai ke simbol; "
                "dianggap selesai (branch target not found)", "decision-target-guessed",
                None, st.number))
            t = END
        targets.append(t)
        labels.append(b.label)
    if traced and closing is not None:
        _into_closing(targets, nxt, closing)
    looped = len(targets) == 1 and isinstance(targets[0], int) and targets[0] < st.number
    while len(targets) < 2:
        warnings.append(ReaderWarning(
            f"Langkah {st.number}: keputusan dengan kurang dari dua cabang tergambar "
            "(decision branch missing)", "decision-target-guessed", None, st.number))
        # the way on to the next step is the one a picture loses most (a short arrow straight
        # down into the next box); a diamond whose one drawn way loops back goes on there
        targets.append(nxt if nxt not in targets else END)
        labels.append("")
    if looped and answer_label(labels[0]) != "yes":
        targets[:2], labels[:2] = targets[1::-1], labels[1::-1]  # the way on approves
    clauses = _clauses(activity)
    _twins(targets, labels, clauses)
    _stated(st.number, targets, clauses, warnings, traced)
    _approval_goes_on(st.number, nxt, targets, labels, warnings)
    if all(t == st.number for t in targets) and nxt != st.number:
        # Every branch runs on to other symbols of the same row (a chain of diamonds): the
        # approving one goes on where the row's flow leaves it, the next step. Kept as the row
        # itself, the case could never leave it and every later step would be unreachable.
        warnings.append(ReaderWarning(
            f"Langkah {st.number}: cabang \u201c{labels[0] or 'Ya'}\u201d berlanjut di baris "
            f"yang sama; diteruskan ke langkah berikutnya (branch stays in its row)",
            "decision-target-guessed", None, st.number))
        targets[0] = nxt
    default = ("Ya", "Tidak")
    pair = (labels[0] or default[0], labels[1] or default[1])
    more = tuple(ModelBranch(label or f"Cabang {i}", t)
                 for i, (label, t) in enumerate(zip(labels[2:], targets[2:], strict=True),
                                                start=3))
    return Decision(
        approve_to=targets[0], reject_to=targets[1], labels=pair, question=question,
        provenance=Provenance(SOURCE, 1.0, tuple(
            f"halaman {b.page}: cabang \u201c{b.label}\u201d dari {b.path[0][0]:.0f},"
            f"{b.path[0][1]:.0f}" for b in bs)), more=more)


TRACED = ("scan", "pdf-raster")
"""The extractors whose lines are traced from pixels (:func:`_stated`)."""


def _closing(rows: Sequence[_StepRows]) -> int | None:
    """The last step when it is drawn as the closing capsule alone (lines enter it, none
    leaves): the end of the process as the table draws it (:func:`_into_closing`)."""
    last = rows[-1] if rows else None
    if last is None or not last.symbols or not all(
            _ends_flow(p.shape, p.page) for p in last.symbols):
        return None
    return last.number


def _into_closing(targets: list[StepRef], nxt: StepRef, closing: int) -> None:
    """Branches drawn into the closing capsule end the process, except the approving way
    into the very next step (the work goes on to the last step).

    The official table draws a branch to the end into the last step's capsule, so the line
    alone cannot tell "the last step" from "the end"; a way that jumps there over other
    steps, or the rejecting way, is the end ("jika tidak, proses selesai"). An activity that
    names the last step for it still wins (:func:`_stated`)."""
    for i, t in enumerate(targets):
        if t == closing and not (i == 0 and t == nxt):
            targets[i] = END


def _approval_goes_on(number: int, nxt: StepRef, targets: list[StepRef], labels: list[str],
                      warnings: list[ReaderWarning]) -> None:
    """The approving way drawn back into its own step (a line merged with another on its
    way) and no step named for it in the activity: it goes on to the next step, as an
    approval does."""
    if targets[0] == number and nxt not in (number, targets[1]):
        warnings.append(ReaderWarning(
            f"Langkah {number}: cabang \u201c{labels[0] or 'Ya'}\u201d tergambar kembali ke "
            "langkahnya sendiri; diteruskan ke langkah berikutnya (branch drawn into its own "
            "step)", "decision-target-guessed", None, number))
        targets[0] = nxt


def _clauses(activity: str) -> list[Clause]:
    """The activity's "jika …" clauses that name where their branch goes (a step, or the
    end), read once for :func:`_twins` and :func:`_stated`."""
    return [b for b in read_clues(activity, RoleBook(())).branches if b.target is not None]


def _twins(targets: list[StepRef], labels: list[str], clauses: Sequence[Clause]) -> None:
    """Two ways whose labels read alike ("lengkap" and "Lengkap": the scan lost the "Tidak"
    of one) ordered by the activity: the way that goes where its negative clause sends the
    work ("jika tidak lengkap kembali ke langkah 1") rejects."""
    if len(labels) < 2 or labels[0].strip().casefold() != labels[1].strip().casefold():
        return
    negative = next((b.target for b in clauses if b.negative), None)
    if negative is not None and negative == targets[0] and negative != targets[1]:
        targets[:2], labels[:2] = targets[1::-1], labels[1::-1]


def _stated(number: int, targets: list[StepRef], clauses: Sequence[Clause],
            warnings: list[ReaderWarning], traced: bool = False) -> None:
    """Targets the drawing gave two ways at once, or its own step, put right from the
    activity where it states them ("jika tidak kembali ke langkah 1", "… proses selesai").

    Two ways out of one diamond that reach one place say nothing, and a way back into the
    diamond's own step is a line that merged with another on its way: the drawing lost that
    branch. The step's own words, where they name a step or the end for a branch, are the
    author's; they replace the doubtful target only (the approving way first, the negative
    clause for the rejecting one).

    ``traced``: the lines were traced from a picture's pixels (a scan, a pasted picture),
    where a line that crosses or runs beside others is followed the wrong way far more often
    than an author's text names the wrong step: there every drawn target the activity
    contradicts is doubtful."""

    positive = [b.target for b in clauses if not b.negative]
    negative = [b.target for b in clauses if b.negative]
    if not negative and len(positive) >= 2:  # two named branches ("jika teknis … jika …")
        positive, negative = positive[:1], positive[1:2]
    for i, stated in ((0, positive[0] if positive else None),
                      (1, negative[0] if negative else None)):
        if stated is None or stated in (targets[i], targets[1 - i]):
            continue
        if not (traced or targets[i] == number or targets[i] == targets[1 - i]):
            warnings.append(ReaderWarning(  # a vector drawing: followed as it stands
                f"Langkah {number}: cabang tergambar menuju {targets[i]}, teks kegiatan "
                f"menyebut {stated}; diikuti gambarnya (the drawing and the activity text "
                "disagree)", "decision-text-disagrees", None, number))
            continue
        warnings.append(ReaderWarning(
            f"Langkah {number}: cabang tergambar menuju {targets[i]}; tujuannya diambil "
            f"dari teks kegiatan: {stated} (branch target from the activity text)",
            "decision-target-guessed", None, number))
        targets[i] = stated


def _unkept(st: _StepRows, kept: _Placed, diamonds: Sequence[_Placed], found: _Branches,
            where: dict[int, int]) -> list[ReaderWarning]:
    """One warning for each further diamond of a row: the model holds one decision per step,
    so a second diamond's branches would otherwise vanish without a trace."""
    out = []
    for d in diamonds:
        if d is kept:
            continue
        ways = ", ".join(f"\u201c{b.label or '?'}\u201d \u2192 {_target(b, where) or '?'}"
                         for b in _order(found.of(d)))
        question = label_text(d.shape, d.page)
        out.append(ReaderWarning(
            f"Langkah {st.number}: belah ketupat kedua di kolom {d.column.title}"
            f"{f' ({question})' if question else ''} tidak disimpan sebagai keputusan; "
            f"cabangnya: {ways or '-'} (second decision in one row not kept)",
            "decision-dropped", None, st.number))
    return out


def _duration(text: str, traced: bool) -> Duration:
    """The Waktu cell's value. Read by OCR (``traced``), its words may be glued or misread
    ("1jam30 menit", "1 han kerja"): the OCR reader's Waktu finder
    (:func:`converters.reading.readers.ocr.waktu.find`) spells them out, and its value is
    kept when it takes the whole cell and gives a time the cell as read does not."""
    if not text:
        return NO_DURATION
    read = parse_duration(text)
    if not traced:
        return read
    tokens = text.split()
    found = find_waktu(tokens, [])
    if found is None or found.start != 0 or found.end != len(tokens):
        return read
    spelt = parse_duration(found.text)
    if spelt.max_minutes is None or spelt.max_minutes == read.max_minutes:
        return read
    return spelt


def _guessed_roles(rows: Sequence[_StepRows], roles: tuple[str, ...], header_lines: list[str],
                   ) -> dict[int, tuple[str, Provenance]]:
    """Roles for rows without a symbol, from the text inference over the whole table."""
    from converters.reading.inference import infer
    from converters.reading.raw import RawDocument, RawRow

    raw_rows = [RawRow(st.number, " ".join(_cell_text(t, r, (ACTIVITY,)) for t, r in st.rows))
                for st in rows]
    doc = RawDocument("drawn", roles=list(roles), rows=raw_rows)
    try:
        sop = infer(doc)
    except ConversionError:
        return {}
    return {s.number: (s.role, s.role_provenance) for s in sop.steps}


def interpret(pic: Picture) -> Sop:
    """The SOP drawn in ``pic``; :class:`ConversionError` when it holds no SOP table."""
    tables = find_tables(pic.pages)
    if not tables:
        raise ConversionError(
            "Gambar tidak memuat tabel SOP (kolom Kegiatan dan pelaksana tidak ditemukan) "
            "(no SOP table in the drawing)")
    warnings: list[ReaderWarning] = []
    role_names: list[str] = []
    for t in tables:
        for c in t.roles():
            if c.title and c.title not in role_names:
                role_names.append(c.title)
    rows = _group_rows(tables, warnings)
    if not rows:
        raise ConversionError("Tabel SOP tidak berisi langkah bernomor (no numbered steps)")
    traced = pic.extractor in TRACED
    titles: dict[str, str] = {}
    if traced:  # titles read by OCR: cut short or garbled, never typed
        titles = named_titles(
            role_names, [_cell_text(t, r, (ACTIVITY,)) for st in rows for t, r in st.rows],
            [[c.title for c in t.roles()] for t in tables])

    def named(title: str) -> str:
        return titles.get(title, title)

    roles = tuple(dict.fromkeys(named(r) for r in role_names))
    where = _place(rows)
    numbers = [st.number for st in rows]
    header = read_header(_header(pic, tables))
    missing = [st for st in rows if not st.symbols]
    guessed = _guessed_roles(rows, roles, []) if missing else {}
    found = _Branches(pic.pages, tables)
    flow = _Flow()
    closing = _closing(rows)
    steps: list[Step] = []
    for st in rows:
        texts = {k: " ".join(filter(None, (_cell_text(t, r, (k,)) for t, r in st.rows)))
                 for k in (ACTIVITY, REQUIREMENTS, DURATION, OUTPUT, NOTES)}
        decision = None
        if st.symbols:
            main = _main(st.symbols, flow)
            role = named(main.column.title)
            others = tuple(dict.fromkeys(
                n for n in (named(p.column.title)
                            for p in sorted(st.symbols, key=lambda p: p.column.x0))
                if n != role))
            prov = Provenance(SOURCE, 1.0, tuple(_evidence(p) for p in st.symbols))
            diamonds = [p for p in st.symbols if p.shape.kind == ShapeKind.DECISION]
            if diamonds:
                kept = main if main.shape.kind == ShapeKind.DECISION else (
                    _decision_diamond(diamonds))
                decision = _decision(st, kept, found.of(kept), where, numbers, warnings,
                                     traced, closing)
                warnings += _unkept(st, kept, diamonds, found, where)
        else:
            role, prov = guessed.get(st.number, (roles[0] if roles else "Pelaksana",
                                                 Provenance("default", 0.1)))
            others = ()
            warnings.append(ReaderWarning(
                f"Langkah {st.number}: tidak ada simbol di kolom pelaksana; pelaksana ditebak "
                "dari teks (no symbol: role guessed)", "role-guessed", None, st.number))
        steps.append(Step(
            number=st.number, activity=texts[ACTIVITY], role=role, other_roles=others,
            role_provenance=prov, requirements=texts[REQUIREMENTS],
            duration=_duration(texts[DURATION], traced),
            output=texts[OUTPUT], notes=texts[NOTES], decision=decision))
    return Sop(
        identity=_named(header.identity, pic, tables), roles=roles, steps=tuple(steps),
        legal_basis=header.legal_basis, qualifications=header.qualifications,
        related_sops=header.related_sops, equipment=header.equipment,
        cautions=header.cautions, records=header.records,
        warnings=tuple(header.warnings) + tuple(warnings), source_format=pic.extractor)
