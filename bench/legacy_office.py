"""Legacy office fidelity: generated SOPs saved as Word/Excel 97-2003 (.doc/.xls), read on
both paths.

Run: ``.venv/bin/python bench/legacy_office.py [--n 20] [--first 1100] [--forms ...]``
(held out: ``--first 2000``). Needs LibreOffice (``soffice``) to make the old files; skipped
with a message when it is absent.

Each seed's SOP (:mod:`tests.support.sop_generator`) is saved in an office form of
:mod:`tests.support.office_forms` (.docx/.xlsx, the drawn flowchart included), converted to
.doc/.xls by LibreOffice (all files of a run in one call), and read three ways through the
public contract (``read_sops(...).to_dict()``):

* ``original``: the .docx/.xlsx itself, the reference;
* ``libreoffice``: LibreOffice's .docx/.xlsx made back from the .doc/.xls, read alone;
* ``converted``: the .doc/.xls as ``read_sops`` reads it with LibreOffice on PATH (its
  reading kept only when it reads as much as the text: ``legacy.prefer_converted``);
* ``text``: the .doc/.xls with ``ALUR_SOFFICE=off`` (our own text readers: the symbols are not
  read, roles and decisions come from the text).

Every path is scored against the same truth, the form's (``office_forms``: a drawn form's
every role and branch target is known, as the drawing shows them).

The scoring is :func:`tests.support.sop_generator.score` and the table
:func:`~tests.support.sop_generator.form_table`, as ``bench/office_fidelity.py`` prints them.
CPU seconds per file are printed per path (LibreOffice's own CPU time counted on the
converted path).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from tests.support.office_forms import (
    FORM_BY_NAME,
    CaseResult,
    drawn_truth,
    read_office_all,
    render_all,
)
from tests.support.sop_generator import GeneratedSop, Tally, Truth, form_table, score, truth_of

FIRST_SEED = 1100
HELD_OUT = 2000
DEFAULT_FORMS = ("docx in cells", "docx on page", "docx vml", "docx tables several",
                 "xlsx twoCell", "xlsx table sheets", "xlsx sheets")  # fmt: skip
CONVERT_SECONDS = 60
PATHS = ("original", "libreoffice", "converted", "text")
KEPT: Counter[str] = Counter()
"""On the converted path: how many files kept LibreOffice's reading, how many the text's."""


@dataclass(frozen=True)
class Case:
    seed: int
    form: str
    sops: list[GeneratedSop]
    modern: Path
    legacy: Path


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _save_old(files: list[Path], suffix: str, exe: str, out: Path) -> list[str]:
    """Each file converted to ``suffix`` (doc/xls) by LibreOffice, one run per file with a
    time limit (LibreOffice loops on some files: seed 2000..2019 held one); the names of the
    files it could not convert."""
    failed = []
    profile = (out / "profile").as_uri()
    for file in files:
        proc = subprocess.Popen([exe, "--headless", "--norestore",
                                 f"-env:UserInstallation={profile}", "--convert-to", suffix,
                                 "--outdir", str(out), str(file)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip
        try:
            proc.wait(timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            failed.append(file.name)
    return failed


def _truths(case: Case) -> list[Truth]:
    """The form's truth, the same for every path: what the document shows (its drawing's
    roles and targets too, when it has one), so the paths compare like for like."""
    if FORM_BY_NAME[case.form].text_truth:
        return [truth_of(g) for g in case.sops]
    return [drawn_truth(g) for g in case.sops]


def _read(case: Case, path: str) -> tuple[CaseResult, float]:
    """One file read on one path, scored, and the CPU seconds it took."""
    file = case.modern if path == "original" else case.legacy
    if path == "text":
        os.environ["ALUR_SOFFICE"] = "off"
    else:
        os.environ.pop("ALUR_SOFFICE", None)
    started = _cpu()
    if path == "libreoffice":  # LibreOffice's .docx/.xlsx alone, no rival
        from converters.reading.readers.legacy.ole import kind
        from converters.reading.readers.legacy.soffice import convert, program

        exe = program()
        assert exe is not None
        data = file.read_bytes()
        back = convert(data, kind(data), exe)
        reads, error, crash = (read_office_all(back.data, back.filename) if back.data
                               else ([], back.problem, ""))  # fmt: skip
    else:
        reads, error, crash = read_office_all(file.read_bytes(), file.name)
    spent = _cpu() - started
    if path == "converted" and reads:
        KEPT[reads[0]["warnings"][0]["code"]] += 1
    tally = Tally()
    truths = _truths(case)
    for k, truth in enumerate(truths):
        tally.merge(score(truth, reads[k] if k < len(reads) else None))
    for _ in reads[len(truths) :]:
        tally.add("documents read", False)
    if reads and len(reads) != len(truths) and not error:
        error = f"{len(reads)} SOPs read of {len(truths)}"
    return CaseResult(case.seed, case.form, tally, error, crash), spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20, help="SOPs per form")
    ap.add_argument(
        "--first", type=int, default=FIRST_SEED, help=f"first seed ({HELD_OUT}: held out)"
    )
    ap.add_argument("--forms", default=",".join(DEFAULT_FORMS), help="comma-separated form names")
    args = ap.parse_args()
    exe = shutil.which("soffice")
    if exe is None:
        print(
            "legacy_office: skipped, LibreOffice (soffice) is not installed: it makes the "
            ".doc/.xls files (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"
        )
        return
    forms = [f.strip() for f in args.forms.split(",") if f.strip() in FORM_BY_NAME]
    seeds = range(args.first, args.first + args.n)
    with tempfile.TemporaryDirectory(prefix="alur-legacy-bench-") as tmp:
        work = Path(tmp)
        cases: list[Case] = []
        for seed in seeds:
            for form in forms:
                sops, data = render_all(seed, form)
                suffix = Path(FORM_BY_NAME[form].filename).suffix
                modern = work / f"s{seed}-{form.replace(' ', '_')}{suffix}"
                modern.write_bytes(data)
                old = modern.with_suffix(".doc" if suffix == ".docx" else ".xls")
                cases.append(Case(seed, form, sops, modern, old))
        started = _cpu()
        failed = _save_old(
            [c.modern for c in cases if c.modern.suffix == ".docx"], "doc", exe, work
        )
        failed += _save_old(
            [c.modern for c in cases if c.modern.suffix == ".xlsx"], "xls", exe, work
        )
        made = _cpu() - started
        results: dict[tuple[str, str], list[CaseResult]] = defaultdict(list)
        cpu: dict[str, list[float]] = defaultdict(list)
        sizes: dict[str, list[int]] = defaultdict(list)
        for case in cases:
            sizes[case.legacy.suffix].append(
                case.legacy.stat().st_size if case.legacy.exists() else 0
            )
            for path in PATHS:
                if path != "original" and not case.legacy.exists():
                    results[(case.form, path)].append(
                        CaseResult(case.seed, case.form, Tally(), "not converted")
                    )
                    continue
                result, spent = _read(case, path)
                results[(case.form, path)].append(result)
                cpu[f"{case.legacy.suffix} {path}"].append(spent)
    print(
        f"Legacy office fidelity: seeds {args.first}..{args.first + args.n - 1} "
        f"({args.n} SOPs per form); making the old files took {made:.1f} CPU s"
    )
    print()
    for form in forms:
        for path in PATHS:
            rs = results.get((form, path))
            if rs:
                print(form_table(f"{form} -> {path}", rs))
                print()
    print("CPU seconds per file (this process and its children):")
    for key in sorted(cpu):
        times = sorted(cpu[key])
        print(
            f"  {key:16s} mean {sum(times) / len(times):5.2f}  max {times[-1]:5.2f}  "
            f"({len(times)} files)"
        )
    for suffix, sz in sorted(sizes.items()):
        print(
            f"  {suffix} size: mean {sum(sz) / len(sz) / 1024:.0f} kB, max {max(sz) / 1024:.0f} kB"
        )
    print(f"Converted path, reading kept: {dict(KEPT)}")
    print(f"LibreOffice could not make (killed after {CONVERT_SECONDS} s): {failed or 'none'}")
    problems = [(path, r) for (_f, path), rs in results.items() for r in rs if r.error or r.crash]
    print("Not read:", "none" if not problems else "")
    for path, r in problems[:20]:
        print(f"  {r.seed} {r.form} ({path}): {(r.crash or r.error)[:160]}")


if __name__ == "__main__":
    main()
