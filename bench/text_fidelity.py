"""Text fidelity: how much of an SOP survives each way people turn it into text (issue 11).

Run: ``.venv/bin/python bench/text_fidelity.py [--n 200] [--ocr-n 6] [--workers 2]
[--forms pdftotext,tesseract]``.

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
import multiprocessing
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from tests.support.sop_generator import form_table
from tests.support.text_forms import FORMS, RENDERERS, CaseResult, run_seed

FIRST_SEED = 1100
"""Seeds are FIRST_SEED, FIRST_SEED + 1, …: fixed, so two runs print the same table."""


def _task(args: tuple[int, tuple[str, ...]]) -> list[CaseResult]:
    seed, forms = args
    return run_seed(seed, forms)




def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="SOPs per non-OCR form")
    ap.add_argument("--ocr-n", type=int, default=6, help="SOPs per OCR form (the first ones)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--forms", default="",
                    help="comma-separated form names or parts of names (e.g. "
                         "'pdftotext,tesseract 300'); all forms by default")
    args = ap.parse_args()
    wanted = [w.strip() for w in args.forms.split(",") if w.strip()]

    def chosen(name: str) -> bool:
        """A word naming a form exactly picks that form alone ("pdftotext"), any other
        word every form whose name contains it ("tesseract")."""
        exact = set(wanted) & {f.name for f in FORMS}
        return not wanted or name in exact or any(
            w in name for w in wanted if w not in exact)

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one Tesseract thread per worker

    plain = tuple(f.name for f in FORMS if not f.ocr and chosen(f.name))
    ocr = tuple(f.name for f in FORMS if f.ocr and chosen(f.name))
    seeds = range(FIRST_SEED, FIRST_SEED + args.n)
    # OCR tasks first: they are the long ones, so the pool ends evenly
    tasks: list[tuple[int, tuple[str, ...]]] = [(s, (f,)) for s in seeds[: args.ocr_n] for f in ocr]
    tasks += [(s, plain) for s in seeds if plain]
    started = time.perf_counter()
    by_form: dict[str, list[CaseResult]] = defaultdict(list)
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for results in pool.imap_unordered(_task, tasks):
            for r in results:
                by_form[r.form].append(r)
    elapsed = time.perf_counter() - started

    print(f"Text fidelity: seeds {FIRST_SEED}..{FIRST_SEED + args.n - 1} "
          f"({args.n} SOPs per form; OCR forms on the first {min(args.ocr_n, args.n)} only), "
          f"{args.workers} workers, {elapsed:.0f} s")
    print(f"PDF renderers (seed mod {len(RENDERERS)}): {', '.join(RENDERERS)}")
    print("roles: steps whose text names the performer; waktu: max minutes (or the text when "
          "it states no time); steps: found / max(true, read)")
    print()
    for form in (f.name for f in FORMS):
        if by_form.get(form):
            print(form_table(form, sorted(by_form[form], key=lambda r: r.seed)))
            print()
    crashes = [r for rs in by_form.values() for r in rs if r.crash]
    if crashes:
        print("Reader crashes (an exception other than ConversionError):")
        kinds = Counter(r.crash.split("\n")[0][:160] for r in crashes)
        for kind, count in kinds.most_common():
            seeds_of = sorted({(r.seed, r.form) for r in crashes
                               if r.crash.split("\n")[0][:160] == kind})[:5]
            print(f"  {count:4d} x {kind}  e.g. {seeds_of}")
    else:
        print("Reader crashes: none")
    fallbacks = Counter(r.renderer for rs in by_form.values() for r in rs if "->" in r.renderer)
    for name, count in fallbacks.items():
        print(f"Renderer fallback: {name} ({count} cases)")


if __name__ == "__main__":
    main()
