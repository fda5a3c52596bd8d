"""Edits of an SOP model, as an analyst makes them in the SOP editor.

The model is frozen, so each edit returns a new :class:`~converters.model.Sop`. What needs
care, and is therefore said here once, is what an edit does to the rest of the SOP: steps
are numbered by their row (1, 2, 3 ...) so adding, removing or moving one renumbers the
others and every decision branch follows the step it pointed to; a removed step's incoming
branches go to the row that took its place; renaming or merging roles changes every step
that names them.

A value an analyst confirmed or wrote is certain: its provenance becomes ``author``
(confidence 1.0) and keeps the reader's evidence, plus who confirmed it, so the editor stops
highlighting it and the reason it was once a guess is still there to read. That provenance is
the draft's "confirmed" mark.

Callers validate what a person typed (empty texts, unknown targets) and word the errors for
them; :class:`EditError` here only guards the model against an edit that cannot apply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypeVar

from converters.model import END, Decision, Identity, Provenance, Sop, Step, StepRef

_T = TypeVar("_T")

LOW_CONFIDENCE = 0.8
"""Below this a guessed role or decision stays highlighted in the editor until confirmed."""


class EditError(ValueError):
    """The edit does not apply to this model (unknown step or role, a role still in use)."""


def needs_review(provenance: Provenance) -> bool:
    """A guessed value nobody has confirmed yet."""
    return provenance.source != "author" and provenance.confidence < LOW_CONFIDENCE


def confirmed(provenance: Provenance, user: str) -> Provenance:
    """``provenance`` as confirmed by ``user``: certain, the evidence kept."""
    if provenance.source == "author" and provenance.confidence >= 1.0:
        return provenance
    note = f"dikonfirmasi oleh {user}"
    return Provenance("author", 1.0, (*provenance.evidence, note))


def _index(sop: Sop, number: int) -> int:
    for i, s in enumerate(sop.steps):
        if s.number == number:
            return i
    raise EditError(f"langkah {number} tidak ada")


def _renumbered(steps: list[Step], removed: dict[int, StepRef] | None = None) -> tuple[Step, ...]:
    """``steps`` numbered 1..n in their order; branch targets follow their steps (and a
    target in ``removed`` goes where that map says, itself followed)."""
    new_of = {s.number: i for i, s in enumerate(steps, 1)}
    gone = removed or {}

    def follow(target: StepRef) -> StepRef:
        seen: set[int] = set()
        while target != END and target in gone and target not in seen:
            seen.add(int(target))
            target = gone[int(target)]
        if target == END:
            return END
        return new_of.get(int(target), target)

    out = []
    for i, s in enumerate(steps, 1):
        d = s.decision
        if d is not None:
            d = dataclasses.replace(
                d,
                approve_to=follow(d.approve_to),
                reject_to=follow(d.reject_to),
                more=tuple(dataclasses.replace(b, target=follow(b.target)) for b in d.more),
            )
        out.append(dataclasses.replace(s, number=i, decision=d))
    return tuple(out)


def replace_step(sop: Sop, step: Step) -> Sop:
    """``sop`` with the step of ``step.number`` replaced (roles it names are added)."""
    i = _index(sop, step.number)
    steps = list(sop.steps)
    steps[i] = step
    roles = list(sop.roles)
    for r in (step.role, *step.other_roles):
        if r not in roles:
            roles.append(r)
    return dataclasses.replace(sop, steps=tuple(steps), roles=tuple(roles))


def add_step(sop: Sop, after: int, activity: str, role: str) -> Sop:
    """A new step after step ``after`` (0: first), performed by ``role``."""
    position = 0 if after == 0 else _index(sop, after) + 1
    steps = list(sop.steps)
    steps.insert(position, Step(number=-1, activity=activity, role=role))
    roles = sop.roles if role in sop.roles else (*sop.roles, role)
    return dataclasses.replace(sop, steps=_renumbered(steps), roles=roles)


def remove_step(sop: Sop, number: int) -> Sop:
    """``sop`` without step ``number``; branches to it go to the row that follows it (the
    end when it was the last)."""
    i = _index(sop, number)
    if len(sop.steps) == 1:
        raise EditError("SOP perlu paling sedikit satu langkah")
    successor: StepRef = sop.steps[i + 1].number if i + 1 < len(sop.steps) else END
    steps = [s for s in sop.steps if s.number != number]
    return dataclasses.replace(sop, steps=_renumbered(steps, {number: successor}))


def move_step(sop: Sop, number: int, offset: int) -> Sop:
    """Step ``number`` moved ``offset`` rows (−1 up, +1 down), kept within the table."""
    return dataclasses.replace(
        sop, steps=_renumbered(_moved(sop.steps, _index(sop, number), offset))
    )


def confirm_step(sop: Sop, number: int, user: str) -> Sop:
    """The guessed role and decision of step ``number`` confirmed as they are."""
    s = sop.steps[_index(sop, number)]
    d = s.decision
    if d is not None:
        d = dataclasses.replace(d, provenance=confirmed(d.provenance, user))
    step = dataclasses.replace(s, role_provenance=confirmed(s.role_provenance, user), decision=d)
    return replace_step(sop, step)


def _role_index(sop: Sop, role: str) -> int:
    try:
        return sop.roles.index(role)
    except ValueError:
        raise EditError(f"pelaksana '{role}' tidak ada") from None


def _map_roles(sop: Sop, old: str, new: str) -> tuple[Step, ...]:
    out = []
    for s in sop.steps:
        others = tuple(dict.fromkeys(new if r == old else r for r in s.other_roles))
        role = new if s.role == old else s.role
        out.append(dataclasses.replace(
            s, role=role, other_roles=tuple(r for r in others if r != role)))  # fmt: skip
    return tuple(out)


def rename_role(sop: Sop, old: str, new: str) -> Sop:
    """Role ``old`` called ``new`` everywhere (``new`` must not be another role)."""
    i = _role_index(sop, old)
    if new != old and new in sop.roles:
        raise EditError(f"pelaksana '{new}' sudah ada")
    roles = list(sop.roles)
    roles[i] = new
    return dataclasses.replace(sop, roles=tuple(roles), steps=_map_roles(sop, old, new))


def merge_roles(sop: Sop, source: str, into: str) -> Sop:
    """Role ``source`` is the same jabatan as ``into``: its steps go to ``into``."""
    _role_index(sop, source)
    _role_index(sop, into)
    if source == into:
        raise EditError("pelaksana tidak dapat digabung dengan dirinya sendiri")
    roles = tuple(r for r in sop.roles if r != source)
    return dataclasses.replace(sop, roles=roles, steps=_map_roles(sop, source, into))


def move_role(sop: Sop, role: str, offset: int) -> Sop:
    """Role column ``role`` moved ``offset`` places (−1 left, +1 right)."""
    return dataclasses.replace(
        sop, roles=tuple(_moved(sop.roles, _role_index(sop, role), offset))
    )


def _moved(items: Sequence[_T], i: int, offset: int) -> list[_T]:
    """``items`` with the one at ``i`` moved ``offset`` places, stopping at either end (a
    row or a column pushed past the edge of the table stays at the edge)."""
    j = max(0, min(len(items) - 1, i + offset))
    moved = list(items)
    moved.insert(j, moved.pop(i))
    return moved


def add_role(sop: Sop, role: str) -> Sop:
    if role in sop.roles:
        raise EditError(f"pelaksana '{role}' sudah ada")
    return dataclasses.replace(sop, roles=(*sop.roles, role))


def remove_role(sop: Sop, role: str) -> Sop:
    """Role ``role`` dropped; only a role no step names can go (merge it otherwise)."""
    _role_index(sop, role)
    if any(role in (s.role, *s.other_roles) for s in sop.steps):
        raise EditError(f"pelaksana '{role}' masih dipakai")
    return dataclasses.replace(sop, roles=tuple(r for r in sop.roles if r != role))


def set_identity(sop: Sop, identity: Identity) -> Sop:
    return dataclasses.replace(sop, identity=identity)


def set_decision(step: Step, decision: Decision | None, user: str) -> Step:
    """``step`` with ``decision``; a changed decision counts as written by ``user``."""
    old = step.decision
    if decision is None or old is None:
        if decision is None and old is None:
            return step
    elif dataclasses.replace(decision, provenance=old.provenance) == old:
        return step
    if decision is not None:
        previous = step.decision.provenance if step.decision else Provenance()
        decision = dataclasses.replace(decision, provenance=confirmed(previous, user))
    return dataclasses.replace(step, decision=decision)


def set_role(step: Step, role: str, user: str) -> Step:
    """``step`` performed by ``role``; a changed role counts as confirmed by ``user``."""
    if role == step.role:
        return step
    others = tuple(r for r in step.other_roles if r != role)
    provenance = confirmed(step.role_provenance, user)
    return dataclasses.replace(step, role=role, other_roles=others, role_provenance=provenance)


__all__ = [
    "LOW_CONFIDENCE",
    "EditError",
    "add_role",
    "add_step",
    "confirm_step",
    "confirmed",
    "merge_roles",
    "move_role",
    "move_step",
    "needs_review",
    "remove_role",
    "remove_step",
    "rename_role",
    "replace_step",
    "set_decision",
    "set_identity",
    "set_role",
]
