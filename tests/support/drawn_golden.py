"""Reviewed truth of a drawn SOP (``tests/golden/{drawn,more}/NN.json``) and how a reading scores.

A golden holds, per step, what a person saw on the rendered page: the main role, the other
roles (symbols in other role columns of the same row, in column order) and the decision (the
branch labels and the step each branch reaches, ``"end"`` for the end). Diamonds with more than
two ways out list the branches after the first two under ``more`` as ``[label, target]`` pairs,
as :attr:`converters.model.Decision.more` holds them. Step numbers are the printed ones (a page
that skips a number keeps the gap). The golden also holds the SOP's name as page 1 writes it
and the role columns left to right, which the ``more/`` test compares whole. The test and the
bench script compare through this one module so that "right" means the same thing in both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from converters.model import Sop, StepRef

GOLDEN_ROOT = Path(__file__).resolve().parents[1] / "golden"


@dataclass(frozen=True)
class GoldenDecision:
    """A diamond's branches: labels in (approve, reject, more...) order, each with its target."""

    branches: tuple[tuple[str, StepRef], ...]
    question: str


@dataclass(frozen=True)
class GoldenStep:
    number: int
    role: str
    other_roles: tuple[str, ...]
    decision: GoldenDecision | None


@dataclass(frozen=True)
class Golden:
    number: str
    file: str
    reviewed: bool
    name: str
    roles: tuple[str, ...]
    steps: tuple[GoldenStep, ...]


@dataclass(frozen=True)
class Score:
    """How one reading compares with its golden, counted the way the bench table prints it."""

    steps: int
    role_right: int  # main role exact
    roles_right: int  # main role and other roles exact
    decisions: int  # diamonds in the truth
    decisions_found: int  # truth diamonds the reading also has a decision for
    branches: int  # branches in the truth
    targets_right: int  # branches whose label and target the reading matches
    differences: tuple[str, ...]  # one line per wrong step, for the assertion message

    def plus(self, other: Score) -> Score:
        """The counts of both (for a total line); differences are per file and not summed."""
        return Score(self.steps + other.steps, self.role_right + other.role_right,
                     self.roles_right + other.roles_right, self.decisions + other.decisions,
                     self.decisions_found + other.decisions_found,
                     self.branches + other.branches, self.targets_right + other.targets_right, ())

    @classmethod
    def unread(cls, golden: Golden) -> Score:
        """A file the reader refused: every step and branch of the truth counts as missed."""
        branches = sum(len(s.decision.branches) for s in golden.steps if s.decision)
        decisions = sum(1 for s in golden.steps if s.decision)
        return cls(len(golden.steps), 0, 0, decisions, 0, branches, 0, ("not read",))


def _ref(value: object) -> StepRef:
    return "end" if value == "end" else int(str(value))


def _decision(raw: dict[str, object] | None) -> GoldenDecision | None:
    if raw is None:
        return None
    labels = [str(x) for x in raw["labels"]]  # type: ignore[attr-defined]
    branches = [(labels[0], _ref(raw["approve_to"])), (labels[1], _ref(raw["reject_to"]))]
    branches += [(str(lab), _ref(tgt)) for lab, tgt in raw.get("more", [])]  # type: ignore[attr-defined]
    return GoldenDecision(tuple(branches), str(raw.get("question", "")))


def load(folder: str, number: str) -> Golden:
    raw = json.loads((GOLDEN_ROOT / folder / f"{number}.json").read_text(encoding="utf-8"))
    steps = tuple(
        GoldenStep(int(s["number"]), str(s["role"]), tuple(s["other_roles"]),
                   _decision(s["decision"]))
        for s in raw["steps"])
    return Golden(number, raw["file"], bool(raw["reviewed"]), str(raw.get("name") or ""),
                  tuple(raw["roles"]), steps)


def numbers(folder: str) -> list[str]:
    """The golden files present in a folder, by their two-digit number."""
    return sorted(p.stem for p in (GOLDEN_ROOT / folder).glob("*.json"))


def read_as_golden(sop: Sop) -> dict[int, GoldenStep]:
    """The reading in the golden's terms, by step number."""
    out = {}
    for s in sop.steps:
        d = s.decision
        dec = None if d is None else GoldenDecision(
            tuple((b.label, b.target) for b in d.branches), d.question)
        out[s.number] = GoldenStep(s.number, s.role, tuple(s.other_roles), dec)
    return out


def score(golden: Golden, sop: Sop) -> Score:
    got = read_as_golden(sop)
    role_right = roles_right = decisions = found = branches = targets = 0
    diffs = []
    for want in golden.steps:
        have = got.get(want.number)
        if have is None:
            diffs.append(f"step {want.number}: not read")
        elif have != want:
            diffs.append(f"step {want.number}: want {want}, got {have}")
        if have is not None and have.role == want.role:
            role_right += 1
            roles_right += have.other_roles == want.other_roles
        if want.decision is not None:
            decisions += 1
            branches += len(want.decision.branches)
            if have is not None and have.decision is not None:
                found += 1
                targets += len(set(want.decision.branches) & set(have.decision.branches))
    extra = sorted(set(got) - {s.number for s in golden.steps})
    diffs += [f"step {n}: read but not in the truth" for n in extra]
    return Score(len(golden.steps), role_right, roles_right, decisions, found, branches, targets,
                 tuple(diffs))
