"""Roles from text: why generated SOPs are easier than real ones, in figures (issue 11).

Run: ``.venv/bin/python bench/roles_realistic.py [--n 100] [--forms layout,plain,tsv,flipbook]``
from the repository root.

``bench/text_fidelity.py`` finds 91-96 % of roles right on generated SOPs, ``bench/
corpus_text.py`` about half on the real corpus. Three things differ, and this script prints
each apart, per text form, on the same seeds:

* **what is counted**: the fidelity harness scores a role only on the steps whose text names
  the performer (a subject, or the previous step's handover); the corpus bench scores every
  step. Row "default, named steps" is the harness's figure, row "default, every step" the same
  readings scored on every step;
* **what the text says**: :func:`tests.support.sop_generator.generate` names the actor in a
  quarter of its steps and announces most changes of actor; real tables mostly do neither.
  Row "realistic, every step" reads :func:`~tests.support.sop_generator.generate_realistic`
  SOPs, written with the clue rates and the flow of the reviewed corpus;
* **how the work flows**: the default generator draws each step's actor at random, while a
  real flow stays in a column or moves one column right (``REAL_FLOW``); the realistic variant
  flows that way, which is also what :mod:`converters.reading.inference` assumes, so its row
  is an upper bound of what that assumption buys, not a held-out check (that is the corpus's
  even half, ``bench/corpus_text.py --split``).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from tests.support.sop_generator import (
    GeneratedSop,
    Tally,
    generate,
    generate_realistic,
    score,
    truth_of,
)
from tests.support.text_forms import FORM_BY_NAME, read_contract, render_pdf

FIRST_SEED = 5000
"""Seeds FIRST_SEED, FIRST_SEED + 1, ...: apart from the fidelity harness's (1100...)."""

FORM_KEYS = {
    "layout": "pdftotext -layout",
    "plain": "pdftotext",
    "tsv": "word table (tsv)",
    "flipbook": "flipbook basic html",
}


def _every_step(g: GeneratedSop) -> GeneratedSop:
    """The same SOP with every step's role in the truth."""
    return dataclasses.replace(g, known_roles=frozenset(s.number for s in g.sop.steps))


ROWS: tuple[tuple[str, Callable[[int], GeneratedSop], bool], ...] = (
    ("default, named steps", generate, False),
    ("default, every step", generate, True),
    ("realistic, every step", generate_realistic, True),
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100, help="SOPs per row")
    ap.add_argument(
        "--forms", default=",".join(FORM_KEYS), help="comma-separated: " + ",".join(FORM_KEYS)
    )
    args = ap.parse_args()
    keys = [k.strip() for k in args.forms.split(",") if k.strip()]
    unknown = [k for k in keys if k not in FORM_KEYS]
    if unknown:
        print(f"bentuk teks tidak dikenal / unknown form: {', '.join(unknown)}")
        return 2
    started = time.perf_counter()
    tallies: dict[tuple[str, str], Tally] = {}
    for label, make, every in ROWS:
        for seed in range(FIRST_SEED, FIRST_SEED + args.n):
            g = make(seed)
            truth = truth_of(_every_step(g) if every else g)
            pdf: bytes | None = None
            for key in keys:
                form = FORM_BY_NAME[FORM_KEYS[key]]
                if form.from_pdf:
                    pdf = pdf or render_pdf(g)[1]
                    text = form.make(pdf)
                else:
                    text = form.make(g.sop, g.header, g.seed)
                result = read_contract(text, form.filename)
                tallies.setdefault((label, key), Tally()).merge(score(truth, result.data))
    print(
        f"Roles from text: seeds {FIRST_SEED}..{FIRST_SEED + args.n - 1}, "
        f"{time.perf_counter() - started:.0f} s; roles right / roles counted"
    )
    for key in keys:
        print(f"== {FORM_KEYS[key]}")
        for label, _, _ in ROWS:
            t = tallies[(label, key)]
            pct = t.percent("roles")
            shown = "   n/a" if pct is None else f"{pct:5.1f}%"
            print(f"  {label:24s} {shown}  ({t.hits['roles']}/{t.totals['roles']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
