"""The drawing reader against the reviewed truth of ``more/`` (SOPs it was not tuned on).

Run: ``.venv/bin/python bench/corpus_more.py [--save]`` from the repository root. One line per
golden file in ``tests/golden/more``: steps whose main role is right, steps whose main and
other roles are all right, decisions the reader found of those in the truth, and branches
whose label and target both match; then the totals. ``--save`` also writes the table to
``bench/results/corpus_more.txt``. The test ``tests/converters/reading/drawn/test_corpus_more.py``
holds the reader to the same files (exact, with the known failures listed as xfail).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from converters.model import ConversionError  # noqa: E402
from converters.reading.sop_file import read_sop  # noqa: E402
from tests.support.corpus import CORPUS  # noqa: E402
from tests.support.drawn_golden import Score, load, numbers, score  # noqa: E402

FOLDER = "more"
RESULT = ROOT / "bench" / "results" / "corpus_more.txt"


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b}" if b else "-"


def _line(label: str, fmt: str, s: Score, seconds: float) -> str:
    return (f"{label:6s} {fmt:11s} {_ratio(s.role_right, s.steps):>7s} "
            f"{_ratio(s.roles_right, s.steps):>7s} {_ratio(s.decisions_found, s.decisions):>6s} "
            f"{_ratio(s.targets_right, s.branches):>6s} {seconds:6.2f}")


def main() -> int:
    if not (CORPUS / FOLDER).is_dir():
        print(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
        return 2
    lines = ["file   format      role    +others  dec.   target  s",
             "-" * 52]
    total = Score(0, 0, 0, 0, 0, 0, 0, ())
    for number in numbers(FOLDER):
        golden = load(FOLDER, number)
        t = time.perf_counter()
        try:
            sop = read_sop(CORPUS / FOLDER / golden.file)
        except ConversionError as e:
            lines.append(f"{number:6s} not read: {e}")
            total = total.plus(Score.unread(golden))
            continue
        s = score(golden, sop)
        lines.append(_line(number, sop.source_format, s, time.perf_counter() - t))
        total = total.plus(s)
    lines.append("-" * 52)
    lines.append(_line("total", f"{len(numbers(FOLDER))} files", total, 0.0)[:-7])
    lines.append("role: main role exact; +others: main and other roles exact; dec.: truth "
                 "decisions the reader has a decision for; target: branches with label and "
                 "target exact")
    text = "\n".join(lines)
    print(text)
    if "--save" in sys.argv[1:]:
        RESULT.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
