"""Text fidelity: how much of an SOP survives each way people turn it into text (issue 11).

Run: ``.venv/bin/python bench/text_fidelity.py [--n 200] [--ocr-n 6] [--workers 2]
[--forms pdftotext,tesseract] [--seed 1100] [--oracle] [--drawn-decisions]``.

Each seed makes a random SOP with known truth (:mod:`tests.support.sop_generator`), draws it
as a PDF (Alur's official document on A4/F4, the variant-header table of
:mod:`tests.support.table_pdf`, or a template of :mod:`tests.support.drawn_fixtures`), turns
it into text in every form of :mod:`tests.support.text_forms`, reads it through the public
contract (``alur inspect --json``) and scores it. One table per form; figures are micro
averages over all true items, so a document that was not read counts all its items as missed.
OCR costs ~15–30 s per document on this machine, so the Tesseract forms run on the first
``--ocr-n`` seeds only (the header of each table says how many documents it covers).
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from converters.model import END, Step, StepRef
from tests.support.sop_generator import (
    JABATAN,
    METRICS,
    GeneratedSop,
    Tally,
    Truth,
    TruthStep,
    form_table,
    generate,
    norm,
    score,
    truth_of,
)
from tests.support.text_forms import (
    FORM_BY_NAME,
    FORMS,
    RENDERERS,
    CaseResult,
    read_contract,
    run_seed,
    texts_of,
)

FIRST_SEED = 1100
"""Seeds are FIRST_SEED, FIRST_SEED + 1, …: fixed, so two runs print the same table."""


def _task(args: tuple[int, tuple[str, ...], bool]) -> list[CaseResult]:
    seed, forms, drawn_decisions = args
    return run_seed(seed, forms, drawn_decisions)


# -- the oracle: what the text holds (--oracle) --------------------------------------------------
#
# A reader cannot give back what its text lost. For each true step the oracle asks whether the
# text still holds its row number, half its activity's words, its Waktu and its Output, and
# whether its performer's name is there to be read; for a decision, whether its row still holds
# a branch label or condition ("Tidak lengkap", "jika sesuai") and where each branch goes
# ("langkah 4", "selesai", the role it returns to). The figures are the ceiling of any reader
# of that text, printed beside what Alur reads. Matching is fuzzy the way OCR errs: a word may
# differ by one edit, a digit only by a look-alike letter ("l" for "1", "O" for "0"); a digit
# lost or added is a different fact ("Hari" is not "4 Hari").

_LOOKALIKE = {
    frozenset(p)
    for p in ("1l", "1i", "1|", "1L", "1I", "0o", "0O", "5s", "5S", "2z", "2Z", "8B", "6b", "9g")
}


def _sub_cost(a: str, b: str) -> int:
    """One edit, except that a digit turns only into its look-alikes (a changed number is
    a different fact, not damage)."""
    if a == b:
        return 0
    if (a.isdigit() or b.isdigit()) and frozenset((a, b)) not in _LOOKALIKE:
        return 9
    return 1


def _distance_within(a: str, b: str, k: int) -> bool:
    """Whether ``a`` and ``b`` are at most ``k`` weighted edits apart."""
    if abs(len(a) - len(b)) > k:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + _sub_cost(ca, cb)))
        prev = cur
    return prev[-1] <= k


def _occurs_within(needle: str, hay: str, k: int) -> bool:
    """Whether ``needle`` occurs in ``hay`` with at most ``k`` weighted edits (Sellers)."""
    if not needle:
        return True
    if needle in hay:
        return True
    prev = [0] * (len(hay) + 1)
    for cn in needle:
        cur = [prev[0] + _gap_cost(cn)]
        for j, ch in enumerate(hay, 1):
            cur.append(
                min(
                    prev[j] + _gap_cost(cn),
                    cur[j - 1] + _gap_cost(ch),
                    prev[j - 1] + _sub_cost(cn, ch),
                )
            )
        prev = cur
    return min(prev) <= k


def _glued_in(word: str, tokens: list[str], flat: str) -> bool:
    """Whether ``word`` of a cell is among ``tokens`` though OCR glued it to its neighbour
    ("2jam", "menitiberkas"): a number opens a token and no digit follows it; a word of four
    letters or more stands in the squashed text with one edit."""
    if any(ch.isdigit() for ch in word):
        return any(re.match(rf"{re.escape(word)}(?!\d)", t) for t in tokens)
    return _occurs_within(word, flat, 1 if len(word) > 3 else 0)


def _gap_cost(c: str) -> int:
    """A lost or an added digit changes the fact ("Hari" for "4 Hari", "15" for "5")."""
    return 9 if c.isdigit() else 1


_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _squashed(text: str) -> str:
    return re.sub(r"[\s\-|]+", "", text).casefold()


class _Fuzzy:
    """Fuzzy word equality with a cache: the words of one document repeat a lot."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], bool] = {}

    def same(self, word: str, token: str) -> bool:
        if word == token:
            return True
        if len(word) <= 2:
            return False
        key = (word, token)
        if key not in self._seen:
            self._seen[key] = _distance_within(word, token, 1)
        return self._seen[key]

    def share(self, words: list[str], tokens: list[str]) -> float:
        """The part of ``words`` (distinct) that occurs among ``tokens``."""
        wanted = set(words)
        if not wanted:
            return 1.0
        have = set(tokens)
        found = sum(1 for w in wanted if w in have or any(self.same(w, t) for t in have))
        return found / len(wanted)


_ROW_START = re.compile(r"^\W{0,3}?(\d{1,2})(?![\d.,:/])")
_REGION_LINES = 8
"""A step's cells wrap over a few lines: the last step's region (no row after it) ends after
this many non-empty lines."""


def _mentions(head: str) -> set[str]:
    """The ways the text may name the role ``head`` (its full name and its abbreviation)."""
    out = {head}
    for j in JABATAN:
        for form in (j.full, j.short):
            if head == form or head.startswith(form + " "):
                unit = head[len(form) :]
                out |= {j.full + unit, j.short + unit}
    return out


def _phrase_in(phrase: str, tokens: list[str], fz: _Fuzzy) -> bool:
    ws = _words(phrase)
    n = len(ws)
    return any(
        all(fz.same(w, t) for w, t in zip(ws, tokens[i : i + n], strict=True))
        for i in range(len(tokens) - n + 1)
    )


@dataclass(frozen=True)
class StepCeiling:
    """What the text holds of one true step (None: the truth asks nothing there)."""

    number: int
    numbered: bool
    present: bool
    role: bool | None
    waktu: bool | None
    output: bool | None
    decision: bool | None = None
    targets: bool | None = None


def oracle_steps(g: GeneratedSop, text: str) -> list[StepCeiling]:
    """What ``text`` (the generated SOP ``g`` in some form) holds of each true step.

    present: the row number starts a line, or half the activity's words are there where the
    row should be (between its neighbours' rows), so a reader can count it back; role: the
    step is there, its performer is named where the generator named it (this step's activity
    or the hand-over of the one before) and the header's name for it is in the text; waktu:
    the cell's text is in the step's lines, up to one edit a word (a unit can be mended), or
    each of its words is (a wrapped cell); output: the cell's text is in the step's lines as
    it is, or each of its words is (no dictionary mends a name); decision: the step is there
    and its lines hold a branch label or a condition of its activity; targets: the decision
    is held and its lines state where each branch goes (:func:`_target_held`)."""
    truth = truth_of(g)
    fz = _Fuzzy()
    lines = text.replace("\f", "\n").split("\n")
    line_tokens = [_words(ln) for ln in lines]
    all_tokens = [t for ts in line_tokens for t in ts]
    numbered: dict[int, list[int]] = defaultdict(list)
    for i, ln in enumerate(lines):
        m = _ROW_START.match(ln)
        if m:
            numbered[int(m.group(1))].append(i)

    def share(step_words: list[str], at: int, stop: int | None = None) -> float:
        window = [t for ts in line_tokens[at : min(at + 4, stop or len(lines))] for t in ts]
        return fz.share(step_words, window)

    # each step's first line, in order: its numbered line if one follows the previous step's
    anchors: dict[int, int] = {}
    last = -1
    for s in truth.steps:
        ws = _words(g.sop.steps[s.number - 1].activity)
        cands = [i for i in numbered.get(s.number, []) if i > last]
        if cands:
            anchors[s.number] = last = max(cands, key=lambda i: (share(ws, i), -i))
    with_number = set(anchors)
    # steps without a number line: the best window between their neighbours' lines
    present = set(with_number)
    for s in truth.steps:
        if s.number in anchors:
            continue
        ws = _words(g.sop.steps[s.number - 1].activity)
        lo = max((a for n, a in anchors.items() if n < s.number), default=-1) + 1
        hi = min((a for n, a in anchors.items() if n > s.number), default=len(lines))
        best_at, best = -1, 0.0
        for i in range(lo, hi):
            v = share(ws, i, hi)  # never words of the next row found
            if v > best:
                best_at, best = i, v
        if best >= 0.5:
            anchors[s.number] = best_at
            present.add(s.number)
    starts = sorted(anchors.values())

    def region(number: int) -> list[str]:
        if number not in anchors:
            return []
        a = anchors[number]
        later = [b for b in starts if b > a]
        if later:  # up to the next row found: cells read as blocks may stand far below
            return lines[a : later[0]]
        filled = [i for i in range(a, len(lines)) if lines[i].strip()][:_REGION_LINES]
        return lines[a : filled[-1] + 1] if filled else []

    out = []
    for s in truth.steps:
        here = region(s.number) if s.number in present else []
        flat = _squashed(" ".join(here))
        role = waktu = output = None
        if s.role is not None:
            near = [w for ln in here + region(s.number - 1) for w in _words(ln)]
            named = [m for m in _mentions(s.role) if _phrase_in(m, near, fz)]
            role = (
                bool(here)
                and bool(named)
                and (
                    any(norm(m) == norm(s.role) for m in named)
                    or _phrase_in(s.role, all_tokens, fz)
                )
            )
        # a narrow cell wraps ("setengah" / "jam", "Berkas" / "lengkap") with other cells'
        # words between its lines: whole in the row's text, or each word there
        cell_words = [w for ln in here for w in _words(ln)]
        if s.waktu_text:
            k = max(1, len(s.waktu_text.split()))
            waktu = bool(here) and (
                _occurs_within(_squashed(s.waktu_text), flat, k)
                or fz.share(_words(s.waktu_text), cell_words) == 1.0
                or all(_glued_in(w, cell_words, flat) for w in _words(s.waktu_text))
            )
        if s.output:
            output = bool(here) and (
                _squashed(s.output) in flat or set(_words(s.output)) <= set(cell_words)
            )
        decision = targets = None
        if s.targets is not None:
            step = g.sop.steps[s.number - 1]
            row_words = [w for ln in here for w in _words(ln)]
            decision = bool(here) and any(
                _phrase_in(p, row_words, fz) for p in _branch_phrases(step)
            )
            if s.targets_known:
                targets = decision and all(_target_held(step, t, row_words, fz) for t in s.targets)
        out.append(
            StepCeiling(
                s.number,
                s.number in with_number,
                s.number in present,
                role,
                waktu,
                output,
                decision,
                targets,
            )
        )
    return out


_CONDITION = re.compile(r"\bjika\s+((?:tidak\s+)?[^\W\d_]+)", re.I)
_STEP_REFERENCE = re.compile(r"\blangkah\s+(\d+)", re.I)
_RETURNED_TO = re.compile(r"\bdikembalikan\s+kepada\s+(.+?)\s+untuk\b", re.I)
_DIGIT_LOOKS = str.maketrans("lIi|Oo", "111100")


def _branch_phrases(step: Step) -> list[str]:
    """The words that mark ``step`` as a decision: its drawn branch labels ("Tidak lengkap",
    "Y") and the conditions its activity states ("jika tidak lengkap")."""
    assert step.decision is not None
    conds = [f"jika {c}" for c in _CONDITION.findall(step.activity)]
    return [*step.decision.labels, *conds]


def _target_held(step: Step, target: StepRef, row_words: list[str], fz: _Fuzzy) -> bool:
    """Whether the row still states where the branch to ``target`` goes: the next row needs
    nothing (it is where the flow goes on), the end needs "selesai", another row "langkah N"
    (its number up to a look-alike letter) or, when the activity names the role it returns
    to, that role's name."""
    if target == step.number + 1:
        return True
    if target == END:
        return any(fz.same("selesai", w) for w in row_words)
    if int(target) in {int(n) for n in _STEP_REFERENCE.findall(step.activity)}:
        # the number may wrap to the next line, after other cells' words ("langkah" /
        # "Administratif" / "24")
        return any(
            fz.same("langkah", w)
            and str(target) in (n.translate(_DIGIT_LOOKS) for n in row_words[i + 1 : i + 4])
            for i, w in enumerate(row_words)
        ) or any(w.startswith("langkah") and w[7:] == str(target) for w in row_words)
    named = _RETURNED_TO.search(step.activity)
    # each word of it: a name wraps over lines with other cells' words between
    return named is not None and fz.share(_words(named.group(1)), row_words) == 1.0


def oracle_tally(g: GeneratedSop, text: str, read: dict[str, Any] | None = None) -> Tally:
    """The ceiling of reading ``text``: :func:`oracle_steps` summed as the bench's metrics
    (decision precision has no ceiling: it is n/a). What the reader got right (``read``, the
    JSON contract) the text held, whatever the oracle's matching missed."""
    got = {int(s["number"]): s for s in (read or {}).get("steps", [])}
    steps = [
        _or_read(c, t, got.get(c.number))
        for c, t in zip(oracle_steps(g, text), truth_of(g).steps, strict=True)
    ]
    t = Tally()
    t.add("documents read", True)
    t.add("steps", sum(s.present for s in steps), len(steps))
    for s in steps:
        for metric, hit in (
            ("roles", s.role),
            ("waktu", s.waktu),
            ("output", s.output),
            ("decision recall", s.decision),
            ("branch targets", s.targets),
        ):
            if hit is not None:
                t.add(metric, hit)
    return t


def _or_read(c: StepCeiling, t: TruthStep, r: dict[str, Any] | None) -> StepCeiling:
    """``c`` with each item the reader got right (``r``, the step as read) counted as held."""
    if r is None:
        return c
    one = score(Truth((), (t,)), {"steps": [r]})

    def held(flag: bool | None, metric: str) -> bool | None:
        return flag if flag is None or one.hits[metric] == 0 else True

    return dataclasses.replace(
        c,
        present=True,
        role=held(c.role, "roles"),
        waktu=held(c.waktu, "waktu"),
        output=held(c.output, "output"),
        decision=held(c.decision, "decision recall"),
        targets=held(c.targets, "branch targets"),
    )


def _oracle_task(args: tuple[int, tuple[str, ...]]) -> list[tuple[CaseResult, Tally]]:
    """Read and score ``seed`` in each form, and measure the ceiling of each text."""
    seed, forms = args
    g = generate(seed)
    truth = truth_of(g)
    out = []
    for name, (renderer, text) in zip(forms, texts_of(g, forms), strict=True):
        read = read_contract(text, FORM_BY_NAME[name].filename)
        tally = score(truth, read.data)
        result = CaseResult(seed, name, renderer, tally, read.error, read.crash)
        out.append((result, oracle_tally(g, text, read.data)))
    return out


def oracle_table(form: str, pairs: list[tuple[CaseResult, Tally]]) -> str:
    """Achieved and ceiling side by side, and what is left between them."""
    got, cap = Tally(), Tally()
    for read, ceiling in pairs:
        got.merge(read.tally)
        cap.merge(ceiling)
    lines = [f"== {form}  ({len(pairs)} SOPs): achieved / ceiling (what the text holds)"]
    for m in METRICS:
        a, c = got.percent(m), cap.percent(m)
        if c is None:
            tail = "" if a is None else f"{a:6.1f}%"
            lines.append(f"  {m:20s} {tail:>7s}       n/a")
            continue
        a = a or 0.0
        lines.append(
            f"  {m:20s} {a:6.1f}%  {c:6.1f}%  ({got.hits[m]} / {cap.hits[m]} of "
            f"{cap.totals[m]}; gap {c - a:+.1f})"
        )
    return "\n".join(lines)


def run_oracle(forms: tuple[str, ...], seeds: range, workers: int) -> None:
    tasks = [(s, forms) for s in seeds]
    by_form: dict[str, list[tuple[CaseResult, Tally]]] = defaultdict(list)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for pairs in pool.imap_unordered(_oracle_task, tasks):
            for r, c in pairs:
                by_form[r.form].append((r, c))
    print(
        f"Text oracle: seeds {seeds.start}..{seeds.stop - 1}; ceiling = the true steps whose "
        "row number or half their activity's words, Waktu, Output and performer's name "
        "survive in the text (one edit a word); decisions whose row holds a branch label or "
        "condition, and targets whose row states where each branch goes"
    )
    print()
    for form in forms:
        print(oracle_table(form, sorted(by_form[form], key=lambda p: p[0].seed)))
        print()
    print(ceiling_summary({f: by_form[f] for f in forms}))


CEILING_METRICS = ("steps", "branch targets", "waktu", "output")
"""The items whose ceiling the issue note states beside each other: what a reader of the
text can still gain on each, and what only a better text (a better scan) can."""


def ceiling_summary(by_form: dict[str, list[tuple[CaseResult, Tally]]]) -> str:
    """One line per form: achieved / ceiling of :data:`CEILING_METRICS`, and the points the
    text itself cannot reach (100 less the ceiling) beside those a reader can (the gap)."""
    head = "".join(f" {m[:14]:>22s}" for m in CEILING_METRICS)
    lines = [
        "Ceilings (achieved / what the text holds; 'lost' = points no reader of the text "
        "can reach)",
        f"  {'form':32s}{head}",
    ]
    for form, pairs in by_form.items():
        got, cap = Tally(), Tally()
        for read, ceiling in pairs:
            got.merge(read.tally)
            cap.merge(ceiling)
        cells = []
        for m in CEILING_METRICS:
            a, c = got.percent(m), cap.percent(m)
            cells.append("n/a" if c is None else f"{a or 0.0:5.1f} / {c:5.1f} lost {100 - c:4.1f}")
        lines.append(f"  {form[:32]:32s}" + "".join(f" {c:>22s}" for c in cells))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="SOPs per non-OCR form")
    ap.add_argument("--ocr-n", type=int, default=6, help="SOPs per OCR form (the first ones)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--forms",
        default="",
        help="comma-separated form names or parts of names (e.g. "
        "'pdftotext,tesseract 300'); all forms by default",
    )
    ap.add_argument(
        "--seed",
        type=int,
        default=FIRST_SEED,
        help=f"first seed ({FIRST_SEED}); another range checks a gain held out",
    )
    ap.add_argument(
        "--oracle",
        action="store_true",
        help="for the OCR forms (or --forms), print what each text holds beside "
        "what is read (--ocr-n SOPs each)",
    )
    ap.add_argument(
        "--drawn-decisions",
        action="store_true",
        help="decisions stated by the drawing alone: no 'jika ..., jika ...' clauses in the "
        "decision rows, only the labels beside the arrows (as many signed SOPs); branch "
        "targets are then not scored (no text fixes them)",
    )
    args = ap.parse_args()
    wanted = [w.strip() for w in args.forms.split(",") if w.strip()]

    def chosen(name: str) -> bool:
        """A word naming a form exactly picks that form alone ("pdftotext"), any other
        word every form whose name contains it ("tesseract")."""
        exact = set(wanted) & {f.name for f in FORMS}
        return not wanted or name in exact or any(w in name for w in wanted if w not in exact)

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one Tesseract thread per worker

    plain = tuple(f.name for f in FORMS if not f.ocr and chosen(f.name))
    ocr = tuple(f.name for f in FORMS if f.ocr and chosen(f.name))
    if args.oracle:
        names = tuple(f.name for f in FORMS if (f.ocr or wanted) and chosen(f.name))
        run_oracle(names, range(args.seed, args.seed + args.ocr_n), args.workers)
        return
    seeds = range(args.seed, args.seed + args.n)
    # OCR tasks first: they are the long ones, so the pool ends evenly
    bare = args.drawn_decisions
    tasks: list[tuple[int, tuple[str, ...], bool]] = [
        (s, (f,), bare) for s in seeds[: args.ocr_n] for f in ocr]
    tasks += [(s, plain, bare) for s in seeds if plain]
    started = time.perf_counter()
    by_form: dict[str, list[CaseResult]] = defaultdict(list)
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for results in pool.imap_unordered(_task, tasks):
            for r in results:
                by_form[r.form].append(r)
    elapsed = time.perf_counter() - started

    print(
        f"Text fidelity: seeds {args.seed}..{args.seed + args.n - 1} "
        f"({args.n} SOPs per form; OCR forms on the first {min(args.ocr_n, args.n)} only), "
        f"{args.workers} workers, {elapsed:.0f} s"
        + ("; decisions stated by the drawing alone (--drawn-decisions)" if bare else "")
    )
    print(f"PDF renderers (seed mod {len(RENDERERS)}): {', '.join(RENDERERS)}")
    print(
        "roles: steps whose text names the performer; waktu: max minutes (or the text when "
        "it states no time); steps: found / max(true, read)"
    )
    print()
    for form in (f.name for f in FORMS):
        if by_form.get(form):
            ordered: list[CaseResult] = sorted(by_form[form], key=lambda r: r.seed)
            print(form_table(form, ordered))
            print()
    crashes = [r for rs in by_form.values() for r in rs if r.crash]
    if crashes:
        print("Reader crashes (an exception other than ConversionError):")
        kinds = Counter(r.crash.split("\n")[0][:160] for r in crashes)
        for kind, count in kinds.most_common():
            seeds_of = sorted(
                {(r.seed, r.form) for r in crashes if r.crash.split("\n")[0][:160] == kind}
            )[:5]
            print(f"  {count:4d} x {kind}  e.g. {seeds_of}")
    else:
        print("Reader crashes: none")
    fallbacks = Counter(r.renderer for rs in by_form.values() for r in rs if "->" in r.renderer)
    for name, count in fallbacks.items():
        print(f"Renderer fallback: {name} ({count} cases)")


if __name__ == "__main__":
    main()
