"""From a document as read to an SOP: numbers, roles, decisions, durations.

Readers hand over a :class:`~converters.reading.raw.RawDocument` whose flowchart symbols are
mostly gone: the role columns are empty or hold remnants, so who performs each step must be
inferred. A careful reader does not decide sentence by sentence; "... diserahkan ke Kepala
Dinas" in step 5 *is* the evidence for step 6. So :func:`infer` scores every (step, role) pair
with the clues of :mod:`converters.reading.evidence` and the links between neighbouring
steps, and picks the best sequence of roles at once (a Viterbi pass over the steps). The
same pass gives, per step, the best score of every alternative role; the share of the chosen
one (a softmax over those max-marginals) is the confidence reported in
:class:`~converters.model.Provenance`.

Decision branches are resolved after the roles, because "dikembalikan kepada X" means "the
latest earlier step that X performed". Choices made here, for the analyst:

* a reject branch that names nobody ("jika tidak setuju dikembalikan untuk diperbaiki") returns
  to the step that handed the work over (the latest earlier step whose handover names this
  step's actor, else the previous step): that person sent it, so that person gets it back and
  re-routes it. A hand-over older than the actor's own earlier step brought earlier work, so
  the search stops there and the previous step is redone. When that step is itself a
  decision, its own reject branch lets the work go further back. Such targets carry a
  ``decision-target-guessed`` warning;
* an approve branch goes to the next step (the end after the last step) unless it names a step
  ("lanjut ke langkah 9"), the end ("selesai"), or a role that acts later;
* branches that are not yes/no ("jika teknis ..., jika administratif ...") keep their own labels;
* a row whose number was lost gets the next number, flagged ``number-guessed``; an unnumbered row
  between two consecutive numbers is merged into the previous step, flagged ``row-merged``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from converters.model import (
    END,
    ConversionError,
    Decision,
    Provenance,
    ReaderWarning,
    Sop,
    Step,
    StepRef,
)
from converters.reading.branch_labels import (
    counterpart,
    drawn_diamond,
    label_marks,
    named,
    named_pair,
    second_pair,
)
from converters.reading.durations import parse_duration
from converters.reading.evidence import Branch, Clues, read_clues, split_label
from converters.reading.raw import RawDocument, RawRow, merge_rows
from converters.reading.roles import (
    Mention,
    RoleBook,
    display_name,
    field_office,
    insert_by_rank,
    names_jabatan,
    normalize,
    parse_role,
    unit_column,
)
from converters.reading.vocabulary import (
    CHOOSING_WORDS,
    FIELD_WORK,
    FUNCTION_TITLES,
    SIGNING_VERBS,
    UNIT_HEAD_WORDS,
    answer_label,
    corrects_work,
    word_regex,
)

GUESS_THRESHOLD = 0.6
"""Steps whose role confidence is below this get a ``role-guessed`` warning."""

_TEMPERATURE = 1.5
_SIGNING = word_regex(SIGNING_VERBS)
_FIELD_WORK = re.compile(rf"\b(?:{FIELD_WORK})\b")
_FUNCTIONS = tuple((re.compile(rf"\b(?:{title})\b"), re.compile(rf"\b({verbs})\b"))
                   for title, verbs in FUNCTION_TITLES)


_ENTERING = tuple(title for title, verbs in _FUNCTIONS if verbs.search("menginput"))
_CHECKING_ENTRIES = tuple(title for title, verbs in _FUNCTIONS if not verbs.search("menginput"))


def _checks_entries(checker: str, enterer: str) -> bool:
    """Whether ``checker`` is a column named for approving or checking ("(Approver)",
    "Verifikator") and ``enterer`` one named for entering data ("(Operator)"): such columns
    have no jabatan rank, but the first checks what the second entered, as the two roles
    of one application do."""
    c, e = normalize(checker), normalize(enterer)
    return any(t.search(c) for t in _CHECKING_ENTRIES) and any(t.search(e) for t in _ENTERING)


def _function_columns(names: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """(column, its work's verbs) for every column named after the work it does."""
    return [(s, verbs) for s in names for title, verbs in _FUNCTIONS
            if title.search(normalize(s))]


@dataclass(frozen=True)
class Weights:
    """How much each clue counts for (or against) a role, in log-odds-like points.

    A step's score for a role is the sum of the weights of its clues; the sequence with the
    best total wins. The numbers were tuned on the sample SOPs and the corpus
    (``tests/converters/reading/test_inference_corpus.py``; the flow weights on the odd half
    of the reviewed corpus and checked on the even half, ``bench/corpus_text.py --split``);
    what matters is their order: a symbol in a column or a named subject outweighs any
    verb-based hint, and those outweigh the flow.
    """

    # evidence in the role columns
    column_symbol: float = 3.0  # a flowchart symbol or a diamond question stands in the column
    column_label: float = 1.0  # a branch label ("Ya", "Tidak") sits near the actor's symbol
    column_arrow: float = 0.5  # a piece of connecting line passes through many columns
    # evidence in the activity text
    unit_subject: float = 2.5  # the sentence starts with a unit ("Bagian Umum menyiapkan ...")
    instruction_max: float = 2.0  # instructing X: the actor is X's direct superior ...
    instruction_step: float = 0.5  # ... each rank further up counts this much less ...
    instruction_min: float = 0.5  # ... but a superior is still a superior
    instruction_impossible: float = -2.0  # nobody instructs their superior or their peer
    hand_up_direct: float = 0.5  # handing work to X: the actor is usually one rank below X
    hand_up_skip: float = 0.25  # ... or two ranks below
    named_elsewhere: float = -3.0  # a role named as recipient or source is not the actor
    clerical_staff: float = 1.5  # agenda, archive, copy, send: staff work
    clerical_functional: float = 0.5  # functional posts do some clerical work too
    leader_verb: float = 1.5  # signing, ratifying, ordering unnamed people: the top jabatan
    function_title: float = 2.0  # "menyetujui" in a table with an "(Approver)" column
    field_work: float = 1.5  # collecting data in the field: the office of the tier below
    field_office_idle: float = -0.5  # ... which does nothing else of another office's SOP
    drafting_staff: float = 0.4  # preparing a draft: staff or functional ...
    drafting_eselon_iv: float = 0.2  # ... or the Kasubbag/Kasi who compiles it
    not_in_header: float = -1.0  # a role found only in the text needs more evidence
    head_of_table: float = -0.5  # the one highest jabatan orders, signs, approves: with no
    # clue of its own, a working step is done by someone below it
    own_unit: float = 0.5  # a column named as the SOP's own unit ("Bagian Umum" in an SOP
    # of the Bagian Umum) does the steps that name nobody: it is whose work the SOP is
    # links between neighbouring steps
    handover: float = 4.0  # the previous step hands the work to this role
    handover_second: float = 0.3  # less for the second role named in one handover
    handover_ignored: float = -1.5  # the previous actor handed the work on, yet acts again
    order_repeated: float = -1.0  # who ordered the work does not do it next
    order_obeyed: float = 0.5  # an order is carried out by a subordinate
    # the flow across the columns, as the reviewed real SOPs run (243 step pairs): without a
    # handover the same person usually goes on (53 %), else the work moves one column right
    # (23 %) or back left (21 %); skipping columns to the right is rare (3 %)
    same_actor: float = 0.6
    next_column: float = 0.3  # the work moves on to the column right of the actor's
    column_skip: float = -0.3  # ... moving further right passes over columns (however many)
    review_direct: float = 1.0  # checking the work of the direct subordinate who did it
    review_skip: float = 0.5  # ... or of someone further down
    review_own: float = -0.5  # nobody reviews their own work
    received_from: float = 2.0  # "menerima ... dari X": X acted in the previous step


WEIGHTS = Weights()
"""The weights :func:`choose_roles` uses."""


@dataclass(frozen=True)
class _Item:
    """One piece of evidence for (step, role): its source tag, weight and readable reason."""

    source: str
    weight: float
    text: str


# -- numbering -----------------------------------------------------------------------------


def number_rows(rows: list[RawRow]) -> tuple[list[tuple[int, RawRow]], list[ReaderWarning]]:
    """Give every row a step number; merge unnumbered rows that have no number left.

    A lost number is recovered from the position when the numbers around leave room for it
    (rows 1, 2, 3 before a "4"); an unnumbered row between two consecutive numbers (5, ·, 6)
    cannot be a step of its own without renumbering the SOP, so it joins the previous step.
    """
    warnings: list[ReaderWarning] = []
    out: list[tuple[int, RawRow]] = []
    numbers = [r.number for r in rows]
    for i, row in enumerate(rows):
        prev = out[-1][0] if out else 0
        if row.number is not None and row.number > prev:
            out.append((row.number, row))
            continue
        if row.number is not None:  # repeated or going backwards
            warnings.append(ReaderWarning(
                f"Nomor langkah {row.number} tidak berurutan setelah {prev}; dipakai {prev + 1}"
                f" (step number out of order)", "number-guessed", row.line, prev + 1))
            out.append((prev + 1, row))
            continue
        j = _index_of_next(numbers, i)
        room = (numbers[j] or 0) - prev - 1 if j < len(numbers) else len(rows)
        if (room <= 0 or not row.activity.strip()) and out:
            warnings.append(ReaderWarning(
                f"Baris tanpa nomor digabung ke langkah {prev} (unnumbered row merged)",
                "row-merged", row.line, prev))
            out[-1] = (prev, merge_rows(out[-1][1], row))
            continue
        warnings.append(ReaderWarning(
            f"Nomor langkah hilang; ditebak {prev + 1} dari urutan baris (number guessed)",
            "number-guessed", row.line, prev + 1))
        out.append((prev + 1, row))
    return out, warnings


def _index_of_next(numbers: list[int | None], i: int) -> int:
    for j in range(i + 1, len(numbers)):
        if numbers[j] is not None:
            return j
    return len(numbers)


# -- roles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _States:
    names: tuple[str, ...]
    extra: frozenset[str]  # names found only in the text
    book: RoleBook
    alias: tuple[tuple[str, str], ...] = ()  # a name found once → the name it stands for
    own_unit: str | None = None  # the column that names the SOP's own unit (identity block)
    field_office: str | None = None  # the office of the tier below the agency's

    def column(self, name: str) -> int | None:
        """The place of a header column, left to right (None: a name found only in text)."""
        return None if name in self.extra else self.names.index(name)

    def of(self, m: Mention) -> str | None:
        if m.column is not None:
            return m.column
        name = _extra_name(m)
        name = dict(self.alias).get(name or "", name)
        return name if name in self.names else None


def _extra_name(m: Mention) -> str | None:
    if not m.name.kinds or (m.name.rank is None and "pemohon" not in m.name.kinds):
        return None
    if m.name.kinds <= {"kabid", "kabag", "kasi", "kasubbag", "kasubbid"} and not re.match(
        r"(kepala|ka[a-z]+)\b", m.text
    ):
        return None  # "setiap bidang", "Seksi": a unit, not a person to add as a column
    return display_name(m.text)


_OCR_FORMAT = "ocr"
"""The source format of OCR text (:mod:`converters.reading.readers.ocr`): the one whose
hand-overs run into the next cell or a symbol's debris (see :func:`_once_named`)."""


def _states(raw_roles: list[str], clues: list[Clues], *, once_named: bool = False) -> _States:
    """The role states: the columns, then the names found only in the text. ``once_named``:
    names found once with words after a name found elsewhere stand for that name."""
    columns = tuple(r for r in raw_roles if r.strip())
    book = RoleBook(columns)
    extra: list[str] = []
    seen: dict[str, set[tuple[int, int]]] = {}
    for i, c in enumerate(clues):
        named = [m for m, _, _ in c.subjects] + list(c.handovers)
        for m in named:
            if m.column is None:
                name = _extra_name(m)
                if name and name not in columns:
                    seen.setdefault(name, set()).add((i, m.start))
                if name and name not in extra and name not in columns:
                    extra.append(name)
    alias = _once_named(columns, extra, seen) if once_named else {}
    extra = [e for e in extra if e not in alias]
    for short in alias.values():
        if short not in extra and short not in columns:
            extra.append(short)
    return _States(columns + tuple(extra), frozenset(extra), book, tuple(alias.items()))


def _once_named(
    columns: tuple[str, ...], extra: list[str], seen: dict[str, set[tuple[int, int]]]
) -> dict[str, str]:
    """Names found only in the text, once, that are another name with words after it: that
    other name. A text read by OCR runs a hand-over into the next cell or a symbol's debris
    ("kepada Sekretaris Gl Buku agenda", "kepada PPK Nn Hari"); a role written once with
    words nobody repeats is the role named without them, when they leave its jabatan as it
    is ("Kepala Sub Bagian" is no "Kepala Sub"): a column or another name found,
    else the jabatan two such names share ("PPK" of "PPK Nn Hari" and "PPK Mena"). Never a
    bare "Kepala": it names no column without its office ("Kepala Bagian" where OCR lost
    the header's "Bagian")."""
    alias: dict[str, str] = {}
    once = [e for e in extra if len(seen.get(e, ())) == 1 and len(e.split()) > 1]
    for e in once:
        kinds = parse_role(e).kinds
        shorter = [n for n in (*columns, *extra) if n != e and e.startswith(f"{n} ")
                   and n not in once and n.lower() not in UNIT_HEAD_WORDS
                   and parse_role(n).kinds == kinds]
        if shorter:
            alias[e] = max(shorter, key=len)
            continue
        for other in once:
            common = _common_words(e, other)
            if other != e and common and parse_role(common).kinds == kinds and (
                    common not in once and common.lower() not in UNIT_HEAD_WORDS):
                alias[e] = common
                break
    return alias


def _common_words(a: str, b: str) -> str:
    out: list[str] = []
    for x, y in zip(a.split(), b.split(), strict=False):
        if x != y:
            break
        out.append(x)
    return " ".join(out)


def _head(states: _States) -> str | None:
    """The one column ranked above every other role (the head of the unit), if the table has
    one; a superior known only from the text ("dari pimpinan") is no column to work in, and
    a unit or team heading a column ("Tim Layanan Gudang/Bagian Umum") is its people, not
    its head."""
    ranks = {s: parse_role(s).rank for s in states.names}
    known = [r for r in ranks.values() if r is not None]
    heads = [s for s, r in ranks.items() if known and r == min(known)]
    if len(heads) != 1 or len(states.names) < 2 or heads[0] in states.extra or (
            not names_jabatan(heads[0])):
        return None
    return heads[0]


def _emissions(
    rows: list[RawRow], clues: list[Clues], states: _States
) -> list[dict[str, list[_Item]]]:
    wt = WEIGHTS
    names = states.names
    ranks = {s: parse_role(s).rank for s in names}
    known = [r for r in ranks.values() if r is not None]
    top = min(known) if known else None
    head = _head(states)
    workers = _function_columns(names)
    drafting = {6: wt.drafting_staff, 5: wt.drafting_staff, 4: wt.drafting_eselon_iv}
    out: list[dict[str, list[_Item]]] = [{s: [] for s in names} for _ in rows]
    lent = [d.lent_to for d in _diamonds(rows, clues)]
    for i, (row, c) in enumerate(zip(rows, clues, strict=True)):
        ev = out[i]
        for col, text in row.marks.items():
            if col not in ev:
                continue
            kind, value = split_label(text)
            j = lent[i]
            if j is not None and kind in ("yes", "no"):
                # a branch label beside a neighbour's diamond: near that step's symbol
                out[j][col].append(_Item("column", wt.column_label,
                                         f"label cabang di kolom {col}: \u201c{value}\u201d"))
                continue
            if kind in ("symbol", "question"):
                ev[col].append(_Item("column", wt.column_symbol,
                                     f"simbol di kolom {col}: \u201c{value}\u201d"))
            elif kind == "arrow":
                ev[col].append(
                    _Item("column", wt.column_arrow,
                          f"sisa garis di kolom {col}: \u201c{value}\u201d"))
            elif kind == "label" and value[:1].islower():
                continue  # "yang", "ke sub": the activity's own words run over the column
            else:
                ev[col].append(_Item("column", wt.column_label,
                                     f"label di kolom {col}: \u201c{value}\u201d"))
        for m, weight, why in c.subjects:
            s = states.of(m)
            if s is not None:
                ev[s].append(_Item("subject", weight, why))
        if c.unit_subject and not any(m.start == 0 for m, _, _ in c.subjects):
            s = states.book.match(" ".join(c.unit_subject))
            if s is not None:
                ev[s].append(_Item("subject", wt.unit_subject,
                                   f"subjek kalimat: \u201c{' '.join(c.unit_subject)}\u201d"))
        for m in c.instructed:
            x = states.of(m)
            rx = ranks.get(x) if x else m.name.rank
            who = m.text if not x else x if normalize(x) == m.text else f"{m.text} = {x}"
            if rx is None:
                continue
            for s in names:
                rs = ranks[s]
                if s == x or rs is None:
                    continue
                if rs < rx:
                    w = max(wt.instruction_min,
                            wt.instruction_max - wt.instruction_step * (rx - rs - 1))
                    ev[s].append(_Item("instruction", w,
                                       f"memberi arahan/tugas kepada {who}"
                                       " \u2192 dikerjakan atasannya"))
                else:
                    ev[s].append(_Item("instruction", wt.instruction_impossible,
                                       f"tidak mungkin memberi tugas kepada {who}"))
        for m in c.handovers:  # handing work up: usually to one's direct superior
            x = states.of(m)
            rx = ranks.get(x) if x else None
            if rx is None:
                continue
            for s in names:
                rs = ranks[s]
                if rs is not None and s != x and rs - rx in (1, 2):
                    weight = wt.hand_up_direct if rs - rx == 1 else wt.hand_up_skip
                    ev[s].append(_Item("text", weight, f"menyerahkan ke atasan ({x})"))
        subject_states = {states.of(m) for m, _, _ in c.subjects}
        for m in c.not_actor:
            x = states.of(m)
            if x is not None and x not in subject_states:
                ev[x].append(_Item("text", wt.named_elsewhere,
                                   f"{m.text} disebut sebagai penerima/asal"))
        if c.clerical:
            for s in names:
                if ranks[s] == 6:
                    ev[s].append(_Item("clerical", wt.clerical_staff,
                                       f"kata kerja administratif \u201c{c.clerical}\u201d"))
                elif ranks[s] == 5:
                    ev[s].append(_Item("clerical", wt.clerical_functional,
                                       f"kata kerja administratif \u201c{c.clerical}\u201d"))
        sign = _SIGNING.search(normalize(row.activity))
        verb = sign.group(1) if sign else (c.leader if not c.instructed else "")
        if verb and top is not None:  # signing, or ordering without naming whom
            for s in names:
                if ranks[s] == top:
                    ev[s].append(_Item("text", wt.leader_verb,
                                       f"kata kerja pimpinan \u201c{verb}\u201d"))
        for s, verbs in workers:
            found = verbs.search(normalize(row.activity))
            if found:
                ev[s].append(_Item("text", wt.function_title,
                                   f"\u201c{found.group(1)}\u201d adalah tugas kolom {s}"))
        if states.field_office is not None:
            ev[states.field_office].append(_field_work(row.activity))
        if c.drafting:
            for s in names:
                w = drafting.get(ranks[s] or 0, 0.0)
                if w:
                    ev[s].append(_Item("clerical", w,
                                       f"kata kerja penyusunan \u201c{c.drafting}\u201d"))
        for s in states.extra:
            ev[s].append(_Item("default", wt.not_in_header, "jabatan tidak ada di kepala tabel"))
        if states.own_unit is not None:
            ev[states.own_unit].append(_Item(
                "default", wt.own_unit, f"{states.own_unit} adalah unit pemilik SOP"))
    if head is not None:
        for ev in out:
            if not any(it.weight > 0 for it in ev[head]):
                ev[head].append(_Item(
                    "default", wt.head_of_table,
                    "jabatan tertinggi di tabel jarang mengerjakan langkah kerja"))
    return out


def _field_work(activity: str) -> _Item:
    """The field office's evidence on a step: for it when the step is field work, else a
    little against it (the SOP is another office's; the field office only does its part)."""
    found = _FIELD_WORK.search(normalize(activity))
    if found:
        return _Item("text", WEIGHTS.field_work, f"kerja lapangan \u201c{found.group(0)}\u201d")
    return _Item("default", WEIGHTS.field_office_idle, "bukan kerja lapangan")


def _transition(prev_clues: Clues, clues: Clues, states: _States, p: str, s: str,
                prev_number: int) -> list[_Item]:
    wt = WEIGHTS
    targets = [states.of(m) for m in prev_clues.handovers]
    targets = list(dict.fromkeys(t for t in targets if t is not None))
    items: list[_Item] = []
    if s in targets:  # the first named of several ("Kasubbag dan Pelaksana") leads
        items.append(_Item("handover", wt.handover - wt.handover_second * min(targets.index(s), 1),
                           f"langkah {prev_number} menyerahkan ke {s}"))
    if prev_clues.ordering and not targets:
        rp, rs = parse_role(p).rank, parse_role(s).rank
        if s == p:
            items.append(_Item("order", wt.order_repeated,
                               f"langkah {prev_number} memberi perintah"))
        elif rp is not None and rs is not None and rs > rp:
            items.append(_Item("order", wt.order_obeyed,
                               f"perintah langkah {prev_number} dikerjakan bawahan"))
    if targets and s == p and s not in targets:
        items.append(_Item("handover", wt.handover_ignored,
                           f"langkah {prev_number} menyerahkan ke orang lain"))
    if not targets and s == p:
        items.append(_Item("order", wt.same_actor, f"melanjutkan pelaku langkah {prev_number}"))
    cp, cs = states.column(p), states.column(s)
    if not targets and cp is not None and cs is not None and cs > cp:
        if cs == cp + 1:
            items.append(_Item("order", wt.next_column,
                               f"alur berlanjut ke kolom kanan pelaku langkah {prev_number}"))
        else:
            items.append(_Item("order", wt.column_skip, f"alur melompati {cs - cp - 1} kolom"))
    if clues.review and p != s:
        rp, rs = parse_role(p).rank, parse_role(s).rank
        if rp is not None and rs is not None and rs < rp:
            items.append(_Item("text", wt.review_direct if rp - rs == 1 else wt.review_skip,
                               f"\u201c{clues.review}\u201d pekerjaan bawahan ({p})"))
        elif _checks_entries(s, p):
            items.append(_Item("text", wt.review_direct,
                               f"\u201c{clues.review}\u201d isian {p}: tugas kolom {s}"))
    elif clues.review and p == s:
        items.append(_Item("text", wt.review_own, f"\u201c{clues.review}\u201d pekerjaan sendiri"))
    sources = {states.of(m) for m in clues.received_from}
    if p in sources:
        items.append(_Item("handover", wt.received_from,
                           f"menerima dari {p} (langkah {prev_number})"))
    return items


def _score(items: list[_Item]) -> float:
    return sum(i.weight for i in items)


@dataclass(frozen=True)
class _RoleChoice:
    role: str
    provenance: Provenance
    co_actors: tuple[str, ...]


def choose_roles(
    numbers: list[int], rows: list[RawRow], clues: list[Clues], states: _States
) -> list[_RoleChoice]:
    """The best sequence of roles for the steps, with each step's confidence and evidence."""
    names = states.names
    n = len(rows)
    emis = _emissions(rows, clues, states)
    head = _head(states)
    tie = {s: -0.001 * k for k, s in enumerate(names)}  # stable: earlier column wins a tie
    e = [{s: _score(emis[i][s]) + tie[s] for s in names} for i in range(n)]
    trans: list[dict[tuple[str, str], list[_Item]]] = [{}]
    for i in range(1, n):
        trans.append({
            (p, s): _transition(clues[i - 1], clues[i], states, p, s, numbers[i - 1])
            for p in names for s in names
        })
    t = [{k: _score(v) for k, v in tr.items()} for tr in trans]
    alpha: list[dict[str, float]] = [dict(e[0])]
    back: list[dict[str, str]] = [{}]
    for i in range(1, n):
        a: dict[str, float] = {}
        b: dict[str, str] = {}
        for s in names:
            came = {p: alpha[i - 1][p] + t[i][(p, s)] for p in names}
            best_p = max(names, key=came.__getitem__)
            a[s] = alpha[i - 1][best_p] + t[i][(best_p, s)] + e[i][s]
            b[s] = best_p
        alpha.append(a)
        back.append(b)
    beta: list[dict[str, float]] = [dict.fromkeys(names, 0.0) for _ in range(n)]
    for i in range(n - 2, -1, -1):
        for s in names:
            beta[i][s] = max(t[i + 1][(s, q)] + e[i + 1][q] + beta[i + 1][q] for q in names)
    path = [max(names, key=lambda s: alpha[n - 1][s])]
    for i in range(n - 1, 0, -1):
        path.append(back[i][path[-1]])
    path.reverse()

    out: list[_RoleChoice] = []
    for i, s in enumerate(path):
        marg = {q: alpha[i][q] + beta[i][q] for q in names}
        hi = max(marg.values())
        z = sum(math.exp((v - hi) / _TEMPERATURE) for v in marg.values())
        conf = math.exp((marg[s] - hi) / _TEMPERATURE) / z
        items = list(emis[i][s])
        if i > 0:
            items += trans[i][(path[i - 1], s)]
        positive = [it for it in items if it.weight > 0]
        source = max(positive, key=lambda it: it.weight).source if positive else "default"
        evidence = tuple(dict.fromkeys(it.text for it in positive)) or (
            "tidak ada petunjuk; dipilih dari urutan kolom"
            + (f", bukan jabatan tertinggi ({head})" if head and s != head else ""),
        )
        co: list[str] = []
        elsewhere = {states.of(m) for m in clues[i].not_actor}
        for col, text in rows[i].marks.items():
            if (col != s and col in names and col not in elsewhere
                    and split_label(text)[0] in ("symbol", "question")):
                co.append(col)
        if i > 0:
            targets = [states.of(m) for m in clues[i - 1].handovers]
            if s in targets:
                co += [x for x in targets if x is not None and x != s]
        out.append(_RoleChoice(
            s, Provenance(source, round(conf, 2), evidence), tuple(dict.fromkeys(co))))
    return out


# -- decisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Diamond:
    """What the marks of a row say about a decision there."""

    question: str
    labels: tuple[tuple[str, str], ...]
    is_decision: bool
    lent_to: int | None = None  # the row whose diamond this row's yes/no labels belong to


def _diamonds(rows: list[RawRow], clues: list[Clues]) -> list[_Diamond]:
    """Questions and branch labels per row; labels floating beside a diamond join it.

    Extracted text puts a diamond's "Ya"/"Tidak" where the arrows run, often on the row above
    or below the diamond's own row; a row whose only marks are such labels, next to a row with
    a question or a conditional sentence, lends them to that row (and they count as evidence
    for that row's actor, see :func:`_emissions`). When the question itself was lost, one
    label on the row above and the other on the row below mark the row between as the diamond.
    A lone "jika tidak ..." clause makes a decision only if it says where the work goes.
    """
    info = [label_marks(r) for r in rows]
    anchor = [
        bool(q) or bool(re.search(r"\?\s*$", r.activity.strip())) or drawn_diamond(r, lab)
        or any(b.negative and (b.goes_somewhere or len(c.branches) > 1) for b in c.branches)
        or sum(1 for b in c.branches if not b.negative) >= 2
        for (q, lab), r, c in zip(info, rows, clues, strict=True)
    ]
    for i in range(len(rows)):
        if not any(anchor[max(0, i - 1) : i + 3]) and _between(i, info, anchor):
            anchor[i + 1] = True  # one label above the row, one below: its diamond
    labels: list[list[tuple[str, str]]] = [list(lab) for _, lab in info]
    lent: list[int | None] = [None] * len(rows)
    for i, row in enumerate(rows):
        if anchor[i] or not CHOOSING_WORDS.search(row.activity):
            continue
        # a choice among named ways: its labels float beside it and on the row below
        own = named(labels[i])
        below = named(labels[i + 1]) if i + 1 < len(rows) and not anchor[i + 1] else []
        if len(own) + len(below) >= 2 and own:
            anchor[i] = True
            labels[i] = [x for x in labels[i] if x not in own] + own + below
            if below:
                labels[i + 1] = [x for x in labels[i + 1] if x not in below]
                lent[i + 1] = i
    for i, lab in enumerate(labels):
        if not anchor[i] and named_pair(lab):
            anchor[i] = True  # two named arrows leave the diamond drawn on this row
    standalone = [False] * len(rows)
    for i, lab in enumerate(labels):
        yes_no = [x for x in lab if x[0] in ("yes", "no")]
        if anchor[i] or not yes_no:
            continue
        near = [j for j in (i + 1, i - 1) if 0 <= j < len(rows) and anchor[j]
                and not named_pair(labels[j]) and not second_pair(yes_no, labels[j])]
        if near:
            labels[near[0]] += yes_no
            labels[i] = [x for x in labels[i] if x not in yes_no]
            lent[i] = near[0]
        else:
            standalone[i] = True
    return [
        _Diamond(q, tuple(labels[i]), anchor[i] or standalone[i], lent[i])
        for i, (q, _) in enumerate(info)
    ]


def _between(i: int, info: list[tuple[str, list[tuple[str, str]]]], anchor: list[bool]) -> bool:
    """Row ``i`` holds one branch label, row ``i + 2`` the other and row ``i + 1`` none: the
    diamond stands on row ``i + 1``, one arrow leaving it upwards and one downwards."""
    if i + 2 >= len(info) or anchor[i + 1] or info[i + 1][1]:
        return False
    here = {k for k, _ in info[i][1] if k in ("yes", "no")}
    there = {k for k, _ in info[i + 2][1] if k in ("yes", "no")}
    return len(here) == 1 and len(there) == 1 and here != there


def _own_labels(yes: str, no: str) -> tuple[str, str] | None:
    """The SOP's own pair when it is "X" / "tidak X" other than setuju ("Lengkap", ...)."""
    m = re.search(r"\b(tidak|belum)\s+(\w+)$", no)
    if not m or m.group(2) == "setuju" or not yes.split() or yes.split()[-1] != m.group(2):
        return None
    return (m.group(2).capitalize(), f"{m.group(1).capitalize()} {m.group(2)}")


def _negated_pair(condition: str) -> tuple[str, str] | None:
    """The pair of a lone negated answer ("tidak lengkap kembali ..." → "Lengkap" / "Tidak
    lengkap"): its first two words when they are a no label of an answer word, else None
    ("belum kembali" names no answer)."""
    said = " ".join(condition.split()[:2])
    if answer_label(said) != "no":
        return None
    return _own_labels(said.split()[-1], said)


def _handing_step(i: int, numbers: list[int], roles: list[str], clues: list[Clues],
                  states: _States) -> int | None:
    for j in range(i - 1, -1, -1):
        if roles[j] == roles[i]:
            break  # the actor's own earlier work is what a rejection sends back
        if roles[i] in {states.of(m) for m in clues[j].handovers}:
            return j
    return i - 1 if i > 0 else None


def _resolve(
    branch: Branch | None, i: int, forward: bool, numbers: list[int], roles: list[str],
    clues: list[Clues], states: _States,
) -> tuple[StepRef | None, str]:
    """A branch target: an explicit step, the end, or the step of the role it names."""
    if branch is None:
        return None, ""
    if branch.target is not None and (
        branch.target == END or (branch.target in numbers and branch.target != numbers[i])
    ):
        return branch.target, f"cabang \u201c{branch.condition}\u201d menyebut tujuannya"
    if branch.role is not None:
        x = states.of(branch.role) or states.book.match(branch.role.name)
        if x is not None:
            rng = range(i + 1, len(numbers)) if forward else range(i - 1, -1, -1)
            for j in rng:
                if roles[j] == x:
                    return numbers[j], f"cabang \u201c{branch.condition}\u201d ke {x}"
    return None, ""


def _correction_after(i: int, rows: list[RawRow], numbers: list[int]) -> int | None:
    """The next step's number when that step corrects work ("Melakukan perbaikan ...") and
    this one does not: a check followed by its own correction step sends the rejected work
    there and the approved work past it, the order SOPs write a check-and-fix loop in."""
    if i + 1 >= len(rows) or corrects_work(rows[i].activity):
        return None
    return numbers[i + 1] if corrects_work(rows[i + 1].activity) else None


def _after(target: StepRef, numbers: list[int]) -> StepRef:
    if target == END or target not in numbers:
        return END
    k = numbers.index(target)
    return numbers[k + 1] if k + 1 < len(numbers) else END


def decide(
    i: int, numbers: list[int], rows: list[RawRow], roles: list[str], clues: list[Clues],
    states: _States, diamond: _Diamond | None = None,
) -> tuple[Decision | None, list[ReaderWarning]]:
    """The decision of step ``i`` (index), if its text or marks make it one."""
    row, c, number = rows[i], clues[i], numbers[i]
    if diamond is None:
        diamond = _diamonds(rows, clues)[i]
    if not diamond.is_decision:
        return None, []
    question, mark_labels = diamond.question, list(diamond.labels)
    text_q = re.search(r"([^.;,]*\?)\s*$", row.activity.strip())
    if not question and text_q:
        question = text_q.group(1).strip()
    neg = [b for b in c.branches if b.negative]
    pos = [b for b in c.branches if not b.negative]
    labelled = len(pos) >= 2 and not neg
    warnings: list[ReaderWarning] = []
    evidence: list[str] = []
    labels: tuple[str, str] = ("Setuju", "Tidak setuju")
    yes = next((v for k, v in mark_labels if k == "yes"), None)
    no = next((v for k, v in mark_labels if k == "no"), None)
    others = [v for k, v in mark_labels if k == "label"]
    if yes or no:
        labels = (yes or counterpart(no or ""), no or counterpart(yes or ""))
    elif labelled:
        labels = (pos[0].condition.strip().capitalize() or "Ya",
                  pos[1].condition.strip().capitalize() or "Tidak")
    elif len(others) >= 2 and not neg:
        labels = (others[0], others[1])
    elif neg and pos:
        labels = _own_labels(pos[0].condition, neg[0].condition) or labels
    elif neg:  # "jika tidak lengkap ..." alone: the pair is the SOP's own, its yes unsaid
        labels = _negated_pair(neg[0].condition) or labels
    nxt: StepRef = numbers[i + 1] if i + 1 < len(numbers) else END
    approve_branch = pos[0] if pos else None
    reject_branch = pos[1] if labelled else (neg[0] if neg else None)
    approve, why = _resolve(approve_branch, i, True, numbers, roles, clues, states)
    reject, reject_why = _resolve(reject_branch, i, labelled, numbers, roles, clues, states)
    # both branches say the process ends ("jika sesuai proses selesai, jika tidak ...
    # ditolak dan proses selesai"): one place, but the author's, so both keep it
    both_end = approve == END and reject == END
    fixing = (_correction_after(i, rows, numbers)
              if approve is None and reject is None and not labelled else None)
    if fixing is not None:
        # the next step corrects what this one rejects: "Tidak" goes there, "Ya" past it
        reject, approve = fixing, _after(fixing, numbers)
        why = f"cabang pertama melewati langkah perbaikan {fixing}"
        reject_why = f"langkah {fixing} memperbaiki pekerjaan yang ditolak"
    if approve is None:
        approve = nxt
        why = ("cabang pertama ke langkah berikutnya" if nxt != END
               else "cabang pertama: proses selesai (langkah terakhir)")
    evidence.append(why)
    why = reject_why
    confidence = 0.9 if fixing is None else 0.7
    if reject is None and labelled:
        # two forward branches: the second skips the first one's step
        after = _after(approve, numbers)
        reject = after
        why = (f"cabang kedua melewati langkah {approve} ke langkah {after}" if after != END
               else "cabang kedua: proses selesai")
        confidence = 0.5
        warnings.append(ReaderWarning(
            f"Langkah {number}: tujuan cabang \u201c{labels[1]}\u201d ditebak: {why}"
            " (decision target guessed)", "decision-target-guessed", row.line, number))
    if reject is None:
        j = _handing_step(i, numbers, roles, clues, states)
        confidence = 0.6
        if j is None:
            reject, why = END, "tidak ada langkah sebelumnya: proses berhenti"
        else:
            reject = numbers[j]
            why = f"dikembalikan ke langkah yang menyerahkan pekerjaan (langkah {reject})"
        warnings.append(ReaderWarning(
            f"Langkah {number}: tujuan cabang \u201c{labels[1]}\u201d ditebak: {why}"
            " (decision target guessed)", "decision-target-guessed", row.line, number))
    evidence.append(why)
    if reject == approve and not both_end:  # one place for both, guessed, says nothing:
        # the second branch ends
        alt: StepRef = END if approve != END else (numbers[i - 1] if i > 0 else END)
        if alt == approve:  # a lone step: there is nowhere for a branch to go
            return None, [ReaderWarning(
                f"Langkah {number}: keputusan tanpa tujuan cabang lain diabaikan "
                "(a decision with nowhere to branch)", "decision-target-guessed", row.line,
                number)]
        warnings.append(ReaderWarning(
            f"Langkah {number}: kedua cabang menuju {approve}; cabang \u201c{labels[1]}\u201d"
            f" diarahkan ke {alt} (both branches had one target)", "decision-target-guessed",
            row.line, number))
        reject = alt
        confidence = min(confidence, 0.4)
    if c.branches:
        evidence.insert(0, "kalimat bersyarat: " + "; ".join(
            f"jika {b.condition}" for b in c.branches))
    if question:
        evidence.insert(0, f"pertanyaan keputusan: \u201c{question}\u201d")
    return Decision(
        approve_to=approve, reject_to=reject, labels=labels, question=question,
        provenance=Provenance("text", confidence, tuple(evidence)),
    ), warnings


# -- the whole document --------------------------------------------------------------------


def _authored(raw: RawDocument) -> Sop:
    steps = raw.authored_steps or ()
    warnings = list(raw.warnings)
    roles = tuple(raw.roles)
    numbers = {s.number for s in steps}
    for s in steps:
        if s.role not in roles:
            roles = (*roles, s.role)
            warnings.append(ReaderWarning(
                f"Langkah {s.number}: pelaksana \u201c{s.role}\u201d tidak ada di daftar peran;"
                " ditambahkan (role added)", "role-added", None, s.number))
        if s.decision:
            for t in (b.target for b in s.decision.branches):
                if t != END and t not in numbers:
                    warnings.append(ReaderWarning(
                        f"Langkah {s.number}: tujuan cabang {t} tidak ada (unknown target)",
                        "decision-target-missing", None, s.number))
    return _sop(raw, roles, steps, warnings)


def _sop(raw: RawDocument, roles: tuple[str, ...], steps: tuple[Step, ...],
         warnings: list[ReaderWarning]) -> Sop:
    return Sop(
        identity=raw.identity,
        roles=roles,
        steps=steps,
        legal_basis=tuple(raw.legal_basis),
        qualifications=tuple(raw.qualifications),
        related_sops=tuple(raw.related_sops),
        equipment=tuple(raw.equipment),
        cautions=tuple(raw.cautions),
        records=tuple(raw.records),
        warnings=tuple(warnings),
        source_format=raw.source_format,
    )


def _note_branches(c: Clues, row: RawRow, book: RoleBook) -> Clues:
    """The activity's clues with the branches its Keterangan cell states, when the activity
    states none: a table whose activity column is short names the way a rejected piece of
    work goes in the remarks beside it ("Jika tidak lengkap dikembalikan ke langkah 2").
    Only the branches: a remark's "diserahkan ke ..." is no hand-over of the step (the
    roles are chosen from the activities before this)."""
    if c.branches or not row.notes.strip():
        return c
    found = read_clues(row.notes, book).branches
    if not any(b.negative and b.goes_somewhere for b in found) and sum(
            1 for b in found if not b.negative) < 2:
        return c  # "Jika diperlukan ...": when the step happens, no decision
    return replace(c, branches=found)


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def infer(raw: RawDocument) -> Sop:
    """Number the rows, choose every step's role, resolve decisions, parse durations."""
    if raw.authored_steps is not None:
        if not raw.authored_steps:
            raise ConversionError("Dokumen tidak berisi langkah SOP (no steps found)")
        return _authored(raw)
    # a numbered row keeps its place when its activity text was lost but its cells were not
    rows = [r for r in raw.rows if _clean(r.activity) or r.marks or (
        r.number is not None and (r.duration or r.output or r.requirements))]
    if not rows:
        raise ConversionError("Tabel SOP tidak berisi langkah (the SOP table has no steps)")
    warnings = list(raw.warnings)
    numbered, number_warnings = number_rows(rows)
    warnings += number_warnings
    numbers = [n for n, _ in numbered]
    rows = [r for _, r in numbered]
    columns = list(dict.fromkeys(r for r in raw.roles if r.strip()))
    book = RoleBook(tuple(columns))
    clues = [read_clues(r.activity, book) for r in rows]
    states = _states(columns, clues, once_named=raw.source_format == _OCR_FORMAT)
    states = replace(states, own_unit=unit_column(tuple(columns), raw.identity.unit),
                     field_office=field_office(tuple(columns), raw.identity.agency))
    if not states.names:
        states = _States(("Pelaksana",), frozenset({"Pelaksana"}), book)
        warnings.append(ReaderWarning(
            "Tabel tidak punya kolom pelaksana; semua langkah diberi \u201cPelaksana\u201d"
            " (no role columns)", "role-guessed"))
    choices = choose_roles(numbers, rows, clues, states)
    clues = [_note_branches(c, r, book) for c, r in zip(clues, rows, strict=True)]
    diamonds = _diamonds(rows, clues)
    roles = [c.role for c in choices]

    sop_roles = tuple(columns)
    for name in [n for n in states.names if n in states.extra]:  # stable order
        if name in roles and name != "Pelaksana":
            sop_roles = insert_by_rank(sop_roles, name)
            first = roles.index(name)
            warnings.append(ReaderWarning(
                f"Jabatan \u201c{name}\u201d disebut di teks tetapi tidak ada di kepala tabel;"
                f" ditambahkan (role added)", "role-added", rows[first].line, numbers[first]))
    if not sop_roles:
        sop_roles = ("Pelaksana",)
    sop_roles = tuple(dict.fromkeys(sop_roles))

    steps: list[Step] = []
    for i, (number, row) in enumerate(numbered):
        choice = choices[i]
        decision, dw = decide(i, numbers, rows, roles, clues, states, diamonds[i])
        warnings += dw
        if choice.provenance.confidence < GUESS_THRESHOLD:
            warnings.append(ReaderWarning(
                f"Langkah {number}: pelaksana ditebak \u201c{choice.role}\u201d (keyakinan "
                f"{choice.provenance.confidence:.2f}) (role guessed)", "role-guessed",
                row.line, number))
        steps.append(Step(
            number=number,
            activity=_clean(row.activity),
            role=choice.role,
            other_roles=tuple(r for r in choice.co_actors if r in sop_roles),
            role_provenance=choice.provenance,
            requirements=_clean(row.requirements),
            duration=parse_duration(row.duration),
            output=_clean(row.output),
            notes=_clean(row.notes),
            decision=decision,
        ))
    return _sop(raw, sop_roles, tuple(steps), warnings)


__all__ = ["GUESS_THRESHOLD", "choose_roles", "decide", "infer", "number_rows"]
