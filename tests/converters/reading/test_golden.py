"""The five samples end to end (reader + inference) against reviewed golden models.

Each ``tests/golden/<example-stem>.json`` is ``Sop.to_dict()`` of a result that a person read
step by step (number, activity, role, Mutu Baku, decisions). When the code changes a result,
the test prints a readable diff; fix the code, not the golden. After a *reviewed* intended
change, rewrite them with ``ALUR_UPDATE_GOLDEN=1`` and read the git diff before committing.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from converters.reading.sop_file import read_sop

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def _dump(d: dict[str, Any]) -> str:
    return json.dumps(d, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _summary(d: dict[str, Any]) -> list[str]:
    """One line per step: what a reviewer checks first."""
    lines = [f"roles: {d['roles']}"]
    for s in d["steps"]:
        dec = s["decision"]
        dec_text = f" | {dec['labels'][0]}->{dec['approve_to']} {dec['labels'][1]}->" \
                   f"{dec['reject_to']}" if dec else ""
        lines.append(f"{s['number']:>2} {s['role']} ({s['role_confidence']}) "
                     f"[{s['duration']['text']}] {s['activity'][:60]}{dec_text}")
    return lines


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_matches_golden(example: Path) -> None:
    got = read_sop(example).to_dict()
    golden = GOLDEN / f"{example.stem}.json"
    if os.environ.get("ALUR_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(_dump(got), encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}; review the output, then ALUR_UPDATE_GOLDEN=1")
    want = json.loads(golden.read_text(encoding="utf-8"))
    if got != want:
        summary = "\n".join(difflib.unified_diff(
            _summary(want), _summary(got), "golden", "now", lineterm="", n=1))
        full = "\n".join(difflib.unified_diff(
            _dump(want).splitlines(), _dump(got).splitlines(), "golden", "now", lineterm="",
            n=2))
        pytest.fail(f"{example.name} differs from {golden.name}\n"
                    f"-- steps --\n{summary or '(steps equal)'}\n-- full --\n{full}")
