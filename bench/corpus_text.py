"""The text readers on real signed SOPs with reviewed truth (issue 11).

Run: ``.venv/bin/python bench/corpus_text.py [--forms layout,plain,...] [--details] [--split]
[--save]`` from the repository root.

``bench/text_fidelity.py`` measures the text forms on SOPs Alur generated itself; this script
measures them on the real PDFs of the shared corpus that have a reviewed truth file
(``tests/golden/drawn`` for ``pdf/``, ``tests/golden/more`` for ``more/``). Each PDF is turned
into text the ways people do it (``pdftotext -layout``, plain ``pdftotext``, ``pdftohtml -s -i
-noframes``, ``pdftohtml -xml``, Tesseract ``-l ind --psm 4`` on pages rendered at 300 dpi),
each text is read through the public entry point :func:`converters.reading.sop_file.read_sop`
as the bytes of a file of that kind, and the reading is scored against the truth. The drawn
reader must not answer: these are texts, and a text that looked like a drawing would measure
the wrong reader, so the script stops if one ever does.

OCR costs tens of seconds a page, so every text is cached under ``/tmp`` (``ALUR_CORPUS_TEXT_
CACHE`` moves it), never in the project; the corpus itself is read in place.

Figures per form: documents read; steps found (truth step numbers the reading has, and steps
it has that the truth has not); main role right, split into roles *read* (provenance
``column``: the text placed the step in a role's column) and *guessed* (any other source:
subject, handover, order, default, ...); decisions found of those in the truth; decision
precision (readings' decisions that sit on a truth diamond); branches whose label and target
are both right. Names are compared with spaces collapsed and case folded, as a wrapped cell
joins its lines with one space. ``--details`` adds the commonest kinds of failure per form
with an example each. ``--split`` adds the roles and decisions lines of the odd- and even-numbered
documents apart: inference rules are developed on the odd half and kept only if the even half (held
out) does not lose by them, so both are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from converters.model import ConversionError, Sop  # noqa: E402
from converters.reading.drawn.reading import picture_of  # noqa: E402
from converters.reading.sop_file import read_sop  # noqa: E402
from tests.support import text_forms  # noqa: E402
from tests.support.corpus import CORPUS  # noqa: E402
from tests.support.drawn_golden import Golden, load, numbers  # noqa: E402

RESULT = ROOT / "bench" / "results" / "corpus_text.txt"
CACHE = Path(os.environ.get("ALUR_CORPUS_TEXT_CACHE") or "/tmp/alur-corpus-text")
FOLDERS = (("drawn", "pdf"), ("more", "more"))
"""Golden folder → corpus folder it describes."""


@dataclass(frozen=True)
class Form:
    """A text form: its name in the table, the short name of ``--forms``, the cache folder,
    the file name a user's file of that kind would have, and the maker (PDF bytes → text)."""

    name: str
    key: str
    cache: str
    filename: str
    make: Callable[[bytes], str]


def _ocr300psm4(pdf: bytes) -> str:
    return text_forms.tesseract(pdf, 300, 4)


FORMS: tuple[Form, ...] = (
    Form("pdftotext -layout", "layout", "layout", "sop.txt", text_forms.pdftotext_layout),
    Form("pdftotext", "plain", "plain", "sop.txt", text_forms.pdftotext_plain),
    Form("pdftohtml -s -i -noframes", "html", "html", "sop.html",
         text_forms.pdftohtml_positioned),
    Form("pdftohtml -xml", "xml", "xml", "sop.xml", text_forms.pdftohtml_xml),
    Form("pdftotext -bbox-layout", "bbox", "bbox", "sop.html", text_forms.pdftotext_bbox),
    Form("pdftotext -tsv", "tsv", "tsv", "sop.tsv", text_forms.pdftotext_tsv),
    Form("tesseract 300dpi psm 4", "ocr", "ocr300psm4", "sop.txt", _ocr300psm4),
)
"""Every form, in the order the tables print."""


@dataclass(frozen=True)
class Document:
    golden: Golden
    pdf: Path


def documents() -> list[Document]:
    """Every corpus PDF that has a truth file, in golden-number order."""
    out = []
    for folder, sub in FOLDERS:
        for number in numbers(folder):
            g = load(folder, number)
            out.append(Document(g, CORPUS / sub / g.file))
    return out


def text_of(form: Form, pdf: Path) -> tuple[str, float | None]:
    """The form's text of ``pdf`` and the seconds it took to make (``None``: from cache)."""
    dest = CACHE / form.cache / f"{pdf.stem}.txt"
    if dest.exists():
        return dest.read_text(encoding="utf-8"), None
    t = time.perf_counter()
    text = form.make(pdf.read_bytes())
    seconds = time.perf_counter() - t
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_suffix(".part")
    part.write_text(text, encoding="utf-8")
    part.rename(dest)
    return text, seconds


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class Tally:
    """Counts of one form over the documents; ``failures`` are (kind, example) pairs."""

    docs: int = 0
    read: int = 0
    steps: int = 0
    steps_found: int = 0
    steps_extra: int = 0
    role_right: int = 0
    role_right_read: int = 0
    role_right_guessed: int = 0
    roles_read: int = 0  # steps whose role came from a column, right or not
    decisions: int = 0
    decisions_found: int = 0
    decisions_read: int = 0
    decisions_on_truth: int = 0
    branches: int = 0
    targets_right: int = 0
    read_seconds: list[float] = field(default_factory=list)
    make_seconds: list[float] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


def score_into(t: Tally, g: Golden, sop: Sop | None, refusal: str = "") -> None:
    """Add one document's reading (``None``: refused with ``refusal``) to the tally."""
    t.docs += 1
    t.steps += len(g.steps)
    truth_dec = [s for s in g.steps if s.decision]
    t.decisions += len(truth_dec)
    t.branches += sum(len(s.decision.branches) for s in truth_dec if s.decision)
    if sop is None:
        t.failures.append(("not read", f"{g.number}: {refusal[:150]}"))
        return
    t.read += 1
    got = {s.number: s for s in sop.steps}
    want_numbers = {s.number for s in g.steps}
    extra = sorted(set(got) - want_numbers)
    t.steps_extra += len(extra)
    if extra:
        t.failures.append(("step read that the truth has not",
                           f"{g.number} step {extra[0]}: {got[extra[0]].activity[:80]!r}"))
    t.roles_read += sum(1 for s in sop.steps if s.role_provenance.source == "column")
    for s in sop.steps:
        if s.decision is not None:
            t.decisions_read += 1
            want = next((w for w in g.steps if w.number == s.number), None)
            if want is not None and want.decision is not None:
                t.decisions_on_truth += 1
            else:
                t.failures.append(("decision where the truth has none",
                                   f"{g.number} step {s.number}: "
                                   f"{[b.label for b in s.decision.branches]} "
                                   f"({s.decision.provenance.source}) {s.activity[:60]!r}"))
    for w in g.steps:
        have = got.get(w.number)
        if have is None:
            t.failures.append(("step not found", f"{g.number} step {w.number}"))
            continue
        t.steps_found += 1
        source = have.role_provenance.source
        how = "read" if source == "column" else "guessed"
        if _norm(have.role) == _norm(w.role):
            t.role_right += 1
            if how == "read":
                t.role_right_read += 1
            else:
                t.role_right_guessed += 1
        else:
            known = _norm(have.role) in {_norm(r) for r in g.roles}
            kind = (f"role {how} wrong ({source})" if known
                    else f"role not a truth role ({source})")
            t.failures.append((kind, f"{g.number} step {w.number}: want {w.role!r}, got "
                               f"{have.role!r}; {have.activity[:60]!r}"))
        if w.decision is None:
            continue
        if have.decision is None:
            t.failures.append(("truth decision missed",
                               f"{g.number} step {w.number}: {w.decision.branches}; "
                               f"{have.activity[:60]!r}"))
            continue
        t.decisions_found += 1
        mine = {(_norm(b.label), b.target) for b in (*have.decision.branches,)}
        theirs = {(_norm(lab), tgt) for lab, tgt in w.decision.branches}
        right = len(mine & theirs)
        t.targets_right += right
        if right < len(theirs):
            t.failures.append(("branch label/target wrong",
                               f"{g.number} step {w.number}: want {w.decision.branches}, got "
                               f"{[(b.label, b.target) for b in have.decision.branches]} "
                               f"({have.decision.provenance.source})"))


def read_text(text: str, filename: str) -> Sop:
    """Read the text as an uploaded file of that name would be; never by the drawn reader."""
    data = text.encode("utf-8")
    if picture_of(data) is not None:  # pragma: no cover - a guard on the measurement itself
        raise SystemExit(f"the drawn reader would read this {filename}: not a text measurement")
    sop = read_sop(data, filename)
    return sop


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f} %)" if b else "-"


def _median(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} s" if xs else "cached"


def table(form: Form, t: Tally) -> str:
    lines = [
        f"== {form.name}  ({t.docs} documents)",
        f"  documents read         {_ratio(t.read, t.docs)}",
        f"  steps found            {_ratio(t.steps_found, t.steps)}; {t.steps_extra} "
        "steps not in the truth",
        f"  roles right            {_ratio(t.role_right, t.steps)}: {t.role_right_read} read "
        f"from a column, {t.role_right_guessed} guessed (all steps: {t.roles_read} read, "
        f"{t.steps_found - t.roles_read} guessed)",
        f"  decisions found        {_ratio(t.decisions_found, t.decisions)}",
        f"  decision precision     {_ratio(t.decisions_on_truth, t.decisions_read)}",
        f"  branch targets right   {_ratio(t.targets_right, t.branches)}",
        f"  median per document    read {_median(t.read_seconds)}, "
        f"make text {_median(t.make_seconds)}",
    ]
    return "\n".join(lines)


def failures(t: Tally, top: int = 5) -> str:
    kinds = Counter(k for k, _ in t.failures)
    lines = []
    for kind, count in kinds.most_common(top):
        example = next(e for k, e in t.failures if k == kind)
        lines.append(f"  {count:4d} x {kind}; e.g. {example}")
    return "\n".join(lines) or "  none"


def half_of(number: str) -> str:
    """The half a document belongs to: rules are made on "odd", checked on "even"."""
    return "odd" if int(number) % 2 else "even"


def split_lines(halves: dict[str, Tally]) -> str:
    """The roles line of each half (see ``--split``), then its decisions line: decisions
    found, their precision and the branch targets right, so a rule made on the odd half
    shows at once whether the held-out half lost by it."""
    lines = []
    for name in ("odd", "even"):
        t = halves[name]
        lines.append(f"  roles right, {name:4s}   {_ratio(t.role_right, t.steps)} of "
                     f"{t.docs} documents: {t.role_right_read} read, {t.role_right_guessed} "
                     "guessed")
    for name in ("odd", "even"):
        t = halves[name]
        lines.append(f"  decisions, {name:4s}     found {t.decisions_found}/{t.decisions}, "
                     f"precise {t.decisions_on_truth}/{t.decisions_read}, "
                     f"targets {t.targets_right}/{t.branches}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--forms", default="", help="comma-separated keys: "
                    + ",".join(f.key for f in FORMS) + " (all by default)")
    ap.add_argument("--details", action="store_true", help="the commonest failures per form")
    ap.add_argument("--cached-only", action="store_true",
                    help="skip a document whose text is not cached yet (OCR takes minutes)")
    ap.add_argument("--split", action="store_true",
                    help="roles of the odd- and even-numbered documents apart")
    ap.add_argument("--save", action="store_true", help=f"also write {RESULT.relative_to(ROOT)}")
    args = ap.parse_args()
    wanted = {w.strip() for w in args.forms.split(",") if w.strip()}
    unknown = wanted - {f.key for f in FORMS}
    if unknown:
        print(f"bentuk teks tidak dikenal / unknown form: {', '.join(sorted(unknown))}")
        return 2
    if not all((CORPUS / sub).is_dir() for _, sub in FOLDERS):
        print(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
        return 2
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    docs = documents()
    out = [f"Text readers on the real corpus: {len(docs)} signed PDFs with reviewed truth "
           f"(tests/golden/drawn + more); texts cached in {CACHE}", ""]
    for form in FORMS:
        if wanted and form.key not in wanted:
            continue
        t = Tally()
        halves = {"odd": Tally(), "even": Tally()}
        for doc in docs:
            if args.cached_only and not (CACHE / form.cache / f"{doc.pdf.stem}.txt").exists():
                continue
            text, made = text_of(form, doc.pdf)
            if made is not None:
                t.make_seconds.append(made)
            started = time.perf_counter()
            try:
                sop: Sop | None = read_text(text, form.filename)
                refusal = ""
            except ConversionError as exc:
                sop, refusal = None, str(exc)
            t.read_seconds.append(time.perf_counter() - started)
            score_into(t, doc.golden, sop, refusal)
            score_into(halves[half_of(doc.golden.number)], doc.golden, sop, refusal)
        out.append(table(form, t))
        if args.split:
            out.append(split_lines(halves))
        if args.details:
            out.append("  commonest failures:")
            out.append(failures(t))
        out.append("")
    text = "\n".join(out).rstrip() + "\n"
    print(text, end="")
    if args.save:
        RESULT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
