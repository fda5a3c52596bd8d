"""Benchmark of scanned SOPs read end to end: seconds and accuracy per dpi and damage.

Each sample SOP is drawn as Alur's official document (identity page + flowchart pages),
rasterised at a dpi, spoiled (:data:`tests.support.scan_fixtures.DAMAGES`), wrapped as the
file a user uploads (an image-only PDF, or a multi-page TIFF, or the flowchart page as a
PNG/JPEG) and read by :func:`converters.reading.sop_file.read_sop`, the one entry point. The
result is scored against the model it was drawn from: role columns named, each step's role,
decisions with both branch targets right. The default run is the full set: PDFs at every
dpi (100, 150, 200, 300) × damage (:data:`DAMAGES` and :data:`MORE_DAMAGES`: phone photo,
faint photocopy, 2–5° skew, yellowed paper, upside down, sideways) for every sample,
then a dpi × damage table; each image format (PNG, JPEG, multi-page TIFF) at 200 dpi with
every damage at once, the real scans S01–S08 (when present; scored against the reviewed
goldens in ``tests/golden/scans``) and the typed PDFs with a pasted flowchart picture
(``sop-corpus/more``, read by ``pdf-raster``). ``--only`` picks sections. Each reading is
timed twice: wall seconds, and the CPU seconds (user + system, Tesseract and poppler
included) that stay comparable on a machine shared with other work.

    .venv/bin/python bench/scan_reading.py [--quick] [--dpi 100 150 200 300]
        [--damage clean photo ...] [--samples 0 1 2] [--only fixtures formats real hybrid]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from converters.model import ConversionError
from converters.reading.sop_file import read_sop, read_sops
from tests.support.scan_fixtures import (
    DAMAGES,
    MORE_DAMAGES,
    SAMPLES,
    EndToEnd,
    ScanFixture,
    as_pdf,
    as_tiff,
    load_sample,
    render_scan,
    score_sop,
)

ROOT = Path(__file__).resolve().parents[1]
SCANS = Path("/work/shared/sop-corpus/scans")
GOLDENS = ROOT / "tests" / "golden" / "scans"


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (Tesseract, poppler):
    on a shared machine wall time measures the neighbours too, CPU time only the reading."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def upload(fx: ScanFixture, fmt: str) -> bytes:
    """The fixture as the file a user would send."""
    if fmt == "pdf":
        return as_pdf(fx)
    if fmt == "tiff":
        return as_tiff(fx)
    return fx.images[-1]  # png/jpeg: the (last) flowchart page alone


def fixtures(
    args: argparse.Namespace,
    formats: tuple[str, ...],
    dpis: list[int],
    damages: dict[str, dict[str, object]],
) -> None:
    samples: tuple[Path, ...] = SAMPLES[:1] if args.quick else SAMPLES
    if args.samples:
        samples = tuple(SAMPLES[i] for i in args.samples)
    total = EndToEnd(0, 0, 0, 0, 0, 0, 0, 0)
    grid: dict[tuple[int, str], EndToEnd] = {}
    print(
        f"{'sample':30} {'fmt':4} {'dpi':>4} {'damage':8} {'pages':>5} {'s':>6} {'cpu':>6}  result"
    )
    for path in samples:
        sop = load_sample(path)
        for fmt, dpi, (name, damage) in (
            (f, d, kv) for f in formats for d in dpis for kv in damages.items()
        ):
            spoil = dict(damage)
            if fmt == "jpeg" and spoil.get("jpeg") is None:
                spoil["jpeg"] = 70
            fx = render_scan(sop, dpi=dpi, flow_only=fmt in ("png", "jpeg"), **spoil)  # type: ignore[arg-type]
            if fmt in ("png", "jpeg") and len(fx.images) > 1:
                continue  # one image holds one page: only a one-page flowchart is whole
            data = upload(fx, fmt)
            start, cpu = time.perf_counter(), cpu_seconds()
            try:
                got = read_sop(data)
                sc = score_sop(sop, got)
                result = str(sc)
            except ConversionError as exc:
                dec = sum(1 for st in sop.steps if st.decision is not None)
                sc = EndToEnd(len(sop.roles), 0, len(sop.steps), 0, dec, 0, 2 * dec, 0)
                result = f"ERROR {exc}"
            seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            total = _plus(total, sc)
            grid[dpi, name] = _plus(grid.get((dpi, name), EndToEnd(0, 0, 0, 0, 0, 0, 0, 0)), sc)
            print(
                f"{path.stem[:30]:30} {fmt:4} {dpi:4} {name:8} {len(fx.images):5} "
                f"{seconds:6.1f} {cpu:6.1f}  {result}",
                flush=True,
            )
    print(
        f"TOTAL roles {total.roles_right}/{total.steps} ({100 * total.role_rate:.1f} %) "
        f"decisions {total.decisions_right}/{total.decisions} "
        f"({100 * total.decision_rate:.1f} %) targets {total.targets_right}/{total.targets}"
    )
    if len(grid) > 1:
        _table(grid, dpis, list(damages))


def _plus(a: EndToEnd, b: EndToEnd) -> EndToEnd:
    return EndToEnd(*(x + y for x, y in zip(_fields(a), _fields(b), strict=True)))


def _table(grid: dict[tuple[int, str], EndToEnd], dpis: list[int], names: list[str]) -> None:
    """dpi × damage: steps with their role right / decisions with both targets right, in
    percent over the samples (a reading that failed counts zero)."""
    print("dpi x damage: roles % / decisions %")
    print(f"{'damage':9}" + "".join(f"{d:>13}" for d in dpis))
    for name in names:
        cells = []
        for d in dpis:
            sc = grid.get((d, name))
            cells.append(
                f"{'-':>13}"
                if sc is None
                else f"{100 * sc.role_rate:6.0f}/{100 * sc.decision_rate:<6.0f}"
            )
        print(f"{name:9}" + "".join(cells))


def _fields(sc: EndToEnd) -> tuple[int, ...]:
    return (
        sc.role_names,
        sc.role_names_right,
        sc.steps,
        sc.roles_right,
        sc.decisions,
        sc.decisions_right,
        sc.targets,
        sc.targets_right,
    )


def real() -> None:
    """S01–S08: read or not, seconds, and the score against a reviewed golden when there is one."""
    if not SCANS.is_dir():
        print("real scans absent")
        return
    from tests.converters.reading.drawn.scan.test_end_to_end import _golden_part, score_golden

    for path in sorted(SCANS.glob("S0*_*.pdf")):
        start, cpu = time.perf_counter(), cpu_seconds()
        try:
            sops = read_sops(path)  # a file may hold several SOPs (S08: pages 2 and 3)
        except ConversionError as exc:
            print(f"{path.stem[:3]} {time.perf_counter() - start:6.1f}s  ERROR {exc}", flush=True)
            continue
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        got = sops[0]
        line = (
            f"{path.stem[:3]} {seconds:6.1f}s cpu {cpu:5.1f}s  "
            f"{len(sops)} SOP{'s' if len(sops) > 1 else ''}, first: steps {len(got.steps)} "
            f"roles {list(got.roles)}"
        )
        for golden in sorted(GOLDENS.glob(f"{path.stem[:3]}*.json")):  # S08.json, S08-p3.json
            part = _golden_part(sops, golden.stem)
            line += (
                f"  golden {golden.stem}: "
                + score_golden(json.loads(golden.read_text()), part).summary()
            )
        print(line, flush=True)


MORE = Path("/work/shared/sop-corpus/more")
HYBRID = ("11", "12", "13", "34", "18", "19")


def hybrid() -> None:
    """Typed PDFs whose flowchart (or its role columns) is a pasted picture."""
    if not MORE.is_dir():
        print("corpus (sop-corpus/more) absent")
        return
    for number in HYBRID:
        for path in sorted(MORE.glob(f"{number}_*.pdf")):
            start, cpu = time.perf_counter(), cpu_seconds()
            try:
                got = read_sop(path)
            except ConversionError as exc:
                print(f"{number} {time.perf_counter() - start:6.1f}s  ERROR {exc}", flush=True)
                continue
            symbol = sum(1 for s in got.steps if s.role_provenance.source == "symbol")
            decisions = sum(1 for s in got.steps if s.decision is not None)
            print(
                f"{number} {time.perf_counter() - start:6.1f}s cpu {cpu_seconds() - cpu:5.1f}s  "
                f"{got.source_format:10} "
                f"steps {len(got.steps):2} role from a symbol {symbol:2} "
                f"decisions {decisions}  roles {list(got.roles)}",
                flush=True,
            )


SECTIONS = ("fixtures", "formats", "real", "hybrid")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="first sample, damage 'all' only")
    ap.add_argument("--dpi", type=int, nargs="+", default=[100, 150, 200, 300])
    ap.add_argument(
        "--damage",
        nargs="+",
        choices=[*DAMAGES, *MORE_DAMAGES],
        help="only these damages (default: every one)",
    )
    ap.add_argument(
        "--samples", type=int, nargs="+", help="only these samples (indexes into SAMPLES)"
    )
    ap.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    ap.add_argument("--real", action="store_true", help="only the real scans S01–S08")
    args = ap.parse_args()
    only = ["real"] if args.real else args.only
    every = {"all": DAMAGES["all"]} if args.quick else {**DAMAGES, **MORE_DAMAGES}
    if args.damage:
        every = {k: v for k, v in every.items() if k in args.damage}
    if "fixtures" in only:
        print("== scanned PDFs: every dpi x damage")
        fixtures(args, ("pdf",), args.dpi, every)
    if "formats" in only:
        print(
            "== images: each format at 200 dpi, every damage at once (PNG/JPEG: one-page "
            "flowcharts only)"
        )
        fixtures(args, ("png", "jpeg", "tiff"), [200], {"all": DAMAGES["all"]})
    if "real" in only:
        print("== real scans S01-S08")
        real()
    if "hybrid" in only:
        print("== typed PDFs with a pasted flowchart picture (pdf-raster)")
        hybrid()


if __name__ == "__main__":
    main()
