"""Decisions read from the drawing: a user task followed by an exclusive gateway.

Why: an analyst who draws "Lengkap?" with flows "Ya" ``${lengkap}`` and "Tidak" ``${!lengkap}``
means "the person doing the task picks a branch"; nobody will type ``lengkap = true``. So
deploy works out, per outgoing flow, which values of the variables the gateway tests make
exactly that flow's condition hold (and, for the default flow, none of them), and the task
page offers one button per flow, labelled with the flow's name. The search is small and
exhaustive over candidate values taken from the conditions themselves (their literals, a
step either side of each number, true/false/null), and every candidate is tried with the
same safe evaluator the engine uses, so a button can only set what the gateway would route.
A gateway whose flows cannot be told apart this way is refused, naming it.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.analysis import Decision, DecisionOption
from engine.conditions import safe_evaluate

MAX_VARIABLES = 4
MAX_COMBINATIONS = 4096
"""Bounds on the search: a real gateway tests a variable or two."""


@dataclass(frozen=True)
class Branch:
    """One outgoing flow of the gateway: its condition in Alur's language (None: default)."""

    flow: str
    name: str
    condition: str | None
    goes_back: bool
    target_name: str = ""


class Undecidable(Exception):
    """The branches cannot be told apart by setting variables; the message says why."""


def names_in(condition: str) -> set[str]:
    """The variable names a (checked, Alur-language) condition reads."""
    try:
        tree = ast.parse(condition.strip(), mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def solve(gateway: str, branches: Sequence[Branch]) -> Decision:
    """The decision the gateway asks of the task before it (see module docstring)."""
    conditions = [b.condition for b in branches if b.condition is not None]
    variables = sorted(set().union(*(names_in(c) for c in conditions)) if conditions else set())
    if not variables:
        raise Undecidable("kondisinya tidak memakai variabel apa pun (no variable to set)")
    if len(variables) > MAX_VARIABLES:
        raise Undecidable(
            f"kondisinya memakai lebih dari {MAX_VARIABLES} variabel (too many variables)"
        )
    words = [_slug(_title(b)) for b in branches]
    candidates = {v: _candidates(v, conditions, words) for v in variables}
    total = 1
    for values in candidates.values():
        total *= len(values)
    if total > MAX_COMBINATIONS:
        raise Undecidable("kondisinya terlalu rumit untuk dipilih (too many combinations)")
    assignments = [
        dict(zip(variables, combo, strict=True))
        for combo in itertools.product(*(candidates[v] for v in variables))
    ]
    options: list[DecisionOption] = []
    used: set[str] = set()
    for branch in branches:
        sets = _first(assignments, branch, branches)
        if sets is None:
            what = "alur bawaan" if branch.condition is None else f"kondisi {branch.condition!r}"
            raise Undecidable(
                f"tidak ada nilai yang memilih hanya alur {_shown(branch)} ({what}) "
                "(flows overlap or cannot be reached)"
            )
        value = _unique(_slug(_title(branch)) or branch.flow, used)
        options.append(DecisionOption(value, _title(branch), sets, branch.goes_back, branch.flow))
    return Decision(
        field="",
        values=tuple(o.value for o in options),
        labels={o.value: o.label for o in options},
        options=tuple(options),
        gateway=gateway,
    )


def _first(
    assignments: list[dict[str, Any]], branch: Branch, branches: Sequence[Branch]
) -> dict[str, Any] | None:
    """The first assignment under which ``branch`` is the only flow taken."""
    for values in assignments:
        taken = []
        try:
            for other in branches:
                if other.condition is not None and bool(safe_evaluate(other.condition, values)):
                    taken.append(other.flow)
        except Exception:  # a condition that fails on these values: not a usable choice
            continue
        if branch.condition is None and not taken:
            return values
        if taken == [branch.flow]:
            return values
    return None


def _candidates(variable: str, conditions: Sequence[str], words: Sequence[str]) -> list[Any]:
    """Values worth trying: the literals compared with anything, a step either side of each
    number (so ``x > 10`` can be made true and false), the flows' names as words when the
    variable is compared with text (a default flow "Tolak" then sets ``keputusan = "tolak"``,
    not some other value), then true, false, null."""
    found: list[Any] = []
    for condition in conditions:
        if variable not in names_in(condition):
            continue
        for node in ast.walk(ast.parse(condition, mode="eval")):
            if isinstance(node, ast.Constant) and node.value is not None:
                found.append(node.value)
            elif (
                isinstance(node, ast.UnaryOp)
                and isinstance(node.op, ast.USub)
                and isinstance(node.operand, ast.Constant)
                and isinstance(node.operand.value, int | float)
            ):
                found.append(-node.operand.value)
    if any(isinstance(v, str) for v in found):
        found += [w for w in words if w]
    out: list[Any] = []
    for value in found:
        steps = [value]
        if isinstance(value, int | float) and not isinstance(value, bool):
            steps += [value + 1, value - 1]
        for v in steps:
            if not any(v == o and type(v) is type(o) for o in out):
                out.append(v)
    for v in (True, False, None):
        if not any(v is o for o in out):
            out.append(v)
    return out


def _title(branch: Branch) -> str:
    return branch.name or branch.target_name or branch.flow


def _shown(branch: Branch) -> str:
    return f"“{branch.name}” ({branch.flow})" if branch.name else branch.flow


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "_", text.casefold()).strip("_")[:60]


def _unique(value: str, used: set[str]) -> str:
    out, n = value, 2
    while out in used:
        out, n = f"{value}_{n}", n + 1
    used.add(out)
    return out


__all__ = ["Branch", "Undecidable", "names_in", "solve"]
