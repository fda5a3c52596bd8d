"""Drawn-SOP reading: median time per page and share of steps whose role came from a symbol.

Run: ``.venv/bin/python bench/drawn_reading.py [SEEDS]`` from the repository root. First the
project's own vector fixtures with known truth (one line per template, SEEDS seeded SOPs each,
100 by default), then the Word/Excel fixtures (every sample in every form, exact or not), then
the shared corpus read in place when present: the reviewed goldens of ``pdf/``, one line per
extractor and folder, and one line per file of ``more/``. Target: under 1 s for a 3-page SOP.
The suite runs the same sets under ``pytest --bench`` (marker ``bench``).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from converters.model import ConversionError  # noqa: E402
from converters.reading.drawn.reading import extractor_for, read_drawn  # noqa: E402
from tests.support.corpus import CORPUS  # noqa: E402


def main() -> None:
    rows: dict[tuple[str, str], list[tuple[float, int, int, int]]] = defaultdict(list)
    for folder in ("pdf", "more"):
        for f in sorted((CORPUS / folder).glob("*.pdf")):
            data = f.read_bytes()
            ex = extractor_for(data)
            name = ex.name if ex else "-"
            t = time.perf_counter()
            try:
                sop = read_drawn(data, f.name)
            except ConversionError:
                sop = None
            dt = time.perf_counter() - t
            pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages") or 1
            name = sop.source_format if sop else name  # a text PDF may paste a raster
            steps = len(sop.steps) if sop else 0
            sym = sum(1 for s in sop.steps if s.role_provenance.source == "symbol") if sop else 0
            rows[(name, folder)].append((dt / max(pages, 1), steps, sym, 1 if sop else 0))
            if folder == "more":
                fmt = sop.source_format if sop else "-"
                print(f"  more/{f.name[:48]:48s} {fmt:12s} role from symbol {sym:3d}/{steps:<3d}"
                      f" {dt:6.2f} s")
    for (name, folder), rs in sorted(rows.items()):
        per_page = statistics.median(r[0] for r in rs)
        steps = sum(r[1] for r in rs)
        sym = sum(r[2] for r in rs)
        read = sum(r[3] for r in rs)
        print(f"{name:12s} {folder:5s} files {len(rs):3d} read {read:3d}"
              f"  median {per_page:.3f} s/page"
              f"  role from symbol {sym}/{steps} ({100 * sym / max(steps, 1):.0f}%)")


def fixtures(seeds: int = 100) -> None:
    """The project's own drawn PDFs (:mod:`tests.support.drawn_fixtures`), with known truth:
    per template, steps whose role came from a symbol, roles right (role and joint roles),
    decisions right (targets, labels, question) and the median reading time per page."""
    from converters.reading.sop_file import read_sop
    from tests.support.drawn_fixtures import cases, compare

    per: dict[str, list[tuple[dict[str, int], float, int]]] = defaultdict(list)
    for c in cases(seeds):
        data = c.pdf()
        t = time.perf_counter()
        try:
            got = read_sop(data, "sop.pdf")
        except ConversionError:
            per[c.template].append(({"steps": len(c.sop.steps)}, 0.0, 0))
            continue
        dt = time.perf_counter() - t
        pages = max(data.count(b"/Type /Page") - data.count(b"/Type /Pages"), 1)
        _, counts = compare(c.sop, got)
        per[c.template].append((counts, dt / pages, 1))
    print(f"{'template':16s} {'files':>5s} {'read':>4s} {'steps':>6s} {'symbol':>7s} "
          f"{'roles':>7s} {'decisions':>10s} {'s/page':>7s}")
    for name, rs in per.items():
        tot: dict[str, int] = defaultdict(int)
        for counts, _, _ in rs:
            for k, v in counts.items():
                tot[k] += v
        steps = max(tot["steps"], 1)
        print(f"{name:16s} {len(rs):5d} {sum(r[2] for r in rs):4d} {tot['steps']:6d} "
              f"{100 * tot['symbol'] / steps:6.1f}% {100 * tot['roles'] / steps:6.1f}% "
              f"{tot['decisions_right']:4d}/{tot['decisions']:<4d} "
              f"{statistics.median(r[1] for r in rs if r[2]) if any(r[2] for r in rs) else 0:7.3f}")


def office() -> None:
    """The Word and Excel fixtures (:mod:`tests.support.office_fixtures`): every sample in
    every form, read back exactly (roles, joint roles, decision targets, activities)."""
    from tests.support.office_fixtures import SAMPLES, sample, sample_file

    names = {"docx": "sop.docx", "docx-vml": "sop.docx", "xlsx": "sop.xlsx",
             # Word files without row heights: Word sizes the rows, the reader estimates
             "docx-estimated": "sop.docx", "docx-vml-estimated": "sop.docx"}
    for form, filename in names.items():
        exact = steps = right = decisions = decisions_right = 0
        times = []
        for path in SAMPLES:
            truth = sample(path)
            data = sample_file(path, form)
            t = time.perf_counter()
            got = read_drawn(data, filename)
            times.append(time.perf_counter() - t)
            flows = [(s.number, s.role, s.other_roles, s.decision and (
                s.decision.approve_to, s.decision.reject_to), s.activity)
                for s in (got.steps if got else ())]
            want = [(s.number, s.role, s.other_roles, s.decision and (
                s.decision.approve_to, s.decision.reject_to), s.activity) for s in truth.steps]
            steps += len(want)
            right += sum(1 for a, b in zip(want, flows, strict=False) if a == b)
            exact += flows == want
            have = {f[0]: f[3] for f in flows}
            for number, _, _, branches, _ in want:
                if branches:
                    decisions += 1
                    decisions_right += have.get(number) == branches
        print(f"{form:18s} {len(SAMPLES):3d} exact {exact:3d}  steps right {right}/{steps}"
              f"  decisions {decisions_right}/{decisions}"
              f"  median {statistics.median(times):.3f} s/file")


def goldens() -> None:
    """The reviewed goldens of the real PDFs (``tests/golden/drawn``): steps read as the
    golden says (role, joint roles, decision targets, labels, question)."""
    from converters.reading.sop_file import read_sop

    for g in sorted((ROOT / "tests" / "golden" / "drawn").glob("*.json")):
        found = sorted((CORPUS / "pdf").glob(f"{g.stem}_*.pdf"))
        if not found:
            continue
        golden = json.loads(g.read_text())
        sop = read_sop(found[0])
        got = [{"number": s.number, "role": s.role, "other_roles": list(s.other_roles),
                "decision": None if s.decision is None else {
                    "approve_to": s.decision.approve_to, "reject_to": s.decision.reject_to,
                    "labels": list(s.decision.labels), "question": s.decision.question}}
               for s in sop.steps]
        right = sum(1 for a, b in zip(golden["steps"], got, strict=False) if a == b)
        print(f"golden {g.stem}  {found[0].name[:40]:40s} steps {right}/{len(golden['steps'])}"
              f"{'' if len(got) == len(golden['steps']) else f' (read {len(got)})'}")


if __name__ == "__main__":
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    fixtures(seeds)
    office()
    if Path(CORPUS).exists():
        goldens()
        main()
    else:
        print(f"corpus absent: {CORPUS}")
