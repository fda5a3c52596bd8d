"""Office fidelity: how much of a drawn SOP survives each way it is saved as Word or Excel.

Run: ``.venv/bin/python bench/office_fidelity.py [--n 200] [--workers 2] [--forms docx,xlsx]``.

Each seed makes a random SOP with known truth (:mod:`tests.support.sop_generator`), lays its
flowchart table out once (:func:`tests.support.office_fixtures.layout`) and saves it in every
form of :mod:`tests.support.office_forms` (shapes in cells, on the page, in one canvas or
group, VML, in a landscape section after a portrait one, over a page break joined by off-page
connectors; Excel anchors of each kind), the form's own choices drawn from the seed. Each
file is read through the public contract (``read_sop(...).to_dict()``, what
``alur inspect --json`` prints) and scored against the truth with every role and branch
target known (the drawing shows them). One table per form; micro averages over true items.

Forms added in session 7: a sheet that leaves row heights and column widths to its
defaults; compilations (several SOPs in one Word file, drawn or table-only; one SOP per
sheet, drawn or table-only: truth per SOP, every SOP of the file read with ``read_sops``);
the flowchart pasted as a picture (a screenshot, an exported PNG/JPEG or a scanned page, in
a .docx or an .xlsx), read by OCR, so only every ``PICTURE_STRIDE``-th seed (10th) is read.

Forms added in session 8 (how other agencies' files differ): the step table continued in a
second Word table, its header repeated with or without ``tblHeader`` or not at all; the SOP
inside a template's layout frame (an outer table), role names in nested header tables
(drawn, and table-only); decision rows over two table rows (``vMerge``; Excel merged
ranges); decision questions in text boxes over empty symbols, lines turned by ``rot``; the
whole flowchart anchored to one paragraph above the table; files as WPS Office and
LibreOffice write them; an Excel sheet with its header typed again under a page-break row
(drawn, and table-only with merged decision rows).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from tests.support.office_forms import FORMS, CaseResult, run_seed
from tests.support.sop_generator import form_table

FIRST_SEED = 1100
"""Seeds are FIRST_SEED, FIRST_SEED + 1, …: fixed, so two runs print the same table."""


def _task(args: tuple[int, tuple[str, ...]]) -> list[CaseResult]:
    seed, forms = args
    return run_seed(seed, forms)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="SOPs per form")
    ap.add_argument("--first", type=int, default=FIRST_SEED, help="first seed")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--forms", default="", help="comma-separated parts of form names")
    args = ap.parse_args()
    wanted = [w.strip() for w in args.forms.split(",") if w.strip()]
    forms = tuple(f.name for f in FORMS if not wanted or any(w in f.name for w in wanted))
    seeds = range(args.first, args.first + args.n)
    started = time.perf_counter()
    by_form: dict[str, list[CaseResult]] = defaultdict(list)
    stride = {f.name: f.stride for f in FORMS}
    tasks = [(s, tuple(f for f in forms if (s - args.first) % stride[f] == 0)) for s in seeds]
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for results in pool.imap_unordered(_task, tasks):
            for r in results:
                by_form[r.form].append(r)
    elapsed = time.perf_counter() - started
    print(
        f"Office fidelity: seeds {args.first}..{args.first + args.n - 1} ({args.n} SOPs per "
        f"form), {args.workers} workers, {elapsed:.0f} s"
    )
    print()
    for form in forms:
        if by_form.get(form):
            print(form_table(form, sorted(by_form[form], key=lambda r: r.seed)))
            print()
    problems = [r for rs in by_form.values() for r in rs if r.crash or r.error]
    if problems:
        print("Not read (refusal or crash):")
        kinds = Counter((r.crash or r.error).split("\n")[0][:160] for r in problems)
        for kind, count in kinds.most_common():
            seeds_of = sorted(
                {
                    (r.seed, r.form)
                    for r in problems
                    if (r.crash or r.error).split("\n")[0][:160] == kind
                }
            )[:5]
            print(f"  {count:4d} x {kind}  e.g. {seeds_of}")
    else:
        print("Not read: none")


if __name__ == "__main__":
    main()
