"""Checks of an SOP model's flow, for an analyst correcting it.

The readers never produce a broken flow silently (they warn), but an analyst editing a draft
can: point a branch at a step that was just removed, close a loop whose only exit was the
branch they changed, leave a role column with nobody in it. These checks run on every save
so the editor shows such mistakes at once, before the BPMN writer quietly turns a missing
target into an end event or the engine refuses the deploy.

The flow follows the SOP table's own rule, the one the BPMN writer uses: a step without a
decision goes on to the next row, the last row ends the process, and a decision goes where
its branches say.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from converters.model import END, Sop, StepRef


class CheckCode(StrEnum):
    """What kind of problem a :class:`Problem` is (stable tags for the UI and tests)."""

    MISSING_TARGET = "missing-target"  # a branch goes to a step number that does not exist
    NO_WAY_OUT = "no-way-out"  # steps from which the process can never end (a closed loop)
    UNREACHABLE = "unreachable"  # a step the process never arrives at
    UNUSED_ROLE = "unused-role"  # a role (column) no step is performed by or involves
    UNKNOWN_ROLE = "unknown-role"  # a step's role that is not one of the roles
    DUPLICATE_NUMBER = "duplicate-number"  # two steps with the same number


@dataclass(frozen=True)
class Problem:
    """One finding. ``steps`` are the steps concerned in flow order, ``role`` the role,
    ``target`` the missing step number a branch points to, ``label`` that branch's label."""

    code: CheckCode
    steps: tuple[int, ...] = ()
    role: str = ""
    target: int | None = None
    label: str = ""

    @property
    def message(self) -> str:
        """The finding in one Indonesian line (the web UI words its own, translated)."""
        listed = ", ".join(map(str, self.steps))
        if self.code is CheckCode.MISSING_TARGET:
            return (
                f"Langkah {listed}: cabang '{self.label}' menuju langkah {self.target} "
                "yang tidak ada"
            )
        if self.code is CheckCode.NO_WAY_OUT:
            return f"Langkah {listed} membentuk putaran tanpa jalan keluar ke akhir proses"
        if self.code is CheckCode.UNREACHABLE:
            return f"Langkah {listed} tidak pernah dicapai dari langkah pertama"
        if self.code is CheckCode.UNUSED_ROLE:
            return f"Pelaksana '{self.role}' tidak melaksanakan langkah apa pun"
        if self.code is CheckCode.UNKNOWN_ROLE:
            return f"Langkah {listed}: pelaksana '{self.role}' tidak ada di daftar pelaksana"
        return f"Nomor langkah {listed} dipakai lebih dari sekali"


def successors(sop: Sop) -> dict[int, tuple[StepRef, ...]]:
    """Where each step can go next (step numbers or :data:`END`), in the table's rule."""
    out: dict[int, tuple[StepRef, ...]] = {}
    steps = sop.steps
    for i, step in enumerate(steps):
        if step.decision is not None:
            out[step.number] = tuple(dict.fromkeys(b.target for b in step.decision.branches))
        else:
            out[step.number] = (steps[i + 1].number,) if i + 1 < len(steps) else (END,)
    return out


def check(sop: Sop) -> tuple[Problem, ...]:
    """Every problem of ``sop``'s flow and roles, in a stable order (empty: none)."""
    numbers = [s.number for s in sop.steps]
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    if twice:  # the flow is ambiguous: nothing else can be said about it
        return (Problem(CheckCode.DUPLICATE_NUMBER, steps=tuple(twice)),)
    problems: list[Problem] = []
    known = set(numbers)
    for step in sop.steps:
        for branch in step.decision.branches if step.decision else ():
            if branch.target != END and branch.target not in known:
                problems.append(
                    Problem(CheckCode.MISSING_TARGET, steps=(step.number,),
                            target=int(branch.target), label=branch.label)
                )  # fmt: skip
    problems.extend(_flow_problems(sop))
    problems.extend(_role_problems(sop))
    return tuple(problems)


def _flow_problems(sop: Sop) -> list[Problem]:
    if not sop.steps:
        return []
    nexts = successors(sop)
    reached = _reachable(sop.steps[0].number, nexts)
    ending = _can_end(nexts)
    order = [s.number for s in sop.steps]
    stuck = tuple(n for n in order if n in reached and n not in ending)
    never = tuple(n for n in order if n not in reached)
    out: list[Problem] = []
    if stuck:
        out.append(Problem(CheckCode.NO_WAY_OUT, steps=stuck))
    if never:
        out.append(Problem(CheckCode.UNREACHABLE, steps=never))
    return out


def _reachable(start: int, nexts: dict[int, tuple[StepRef, ...]]) -> set[int]:
    seen = {start}
    todo = [start]
    while todo:
        for target in nexts.get(todo.pop(), ()):
            if target != END and target in nexts and target not in seen:
                seen.add(int(target))
                todo.append(int(target))
    return seen


def _can_end(nexts: dict[int, tuple[StepRef, ...]]) -> set[int]:
    """Steps from which some path reaches the end (a branch to a missing step ends too, as
    the BPMN writer draws it; that branch is reported on its own)."""
    ending = {n for n, targets in nexts.items() if any(t == END or t not in nexts
                                                       for t in targets)}  # fmt: skip
    changed = True
    while changed:
        changed = False
        for n, targets in nexts.items():
            if n not in ending and any(t in ending for t in targets):
                ending.add(n)
                changed = True
    return ending


def _role_problems(sop: Sop) -> list[Problem]:
    out: list[Problem] = []
    roles = set(sop.roles)
    for step in sop.steps:
        if step.role not in roles:
            out.append(Problem(CheckCode.UNKNOWN_ROLE, steps=(step.number,), role=step.role))
    used = {r for s in sop.steps for r in (s.role, *s.other_roles)}
    out.extend(Problem(CheckCode.UNUSED_ROLE, role=r) for r in sop.roles if r not in used)
    return out


__all__ = ["CheckCode", "Problem", "check", "successors"]
