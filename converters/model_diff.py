"""What changes between two versions of one SOP: the diff an analyst reads before a deploy.

Two BPMN files are compared as what they mean, not as XML: both are read into the SOP model
(:func:`converters.bpmn.reader.read_bpmn`) and compared step by step, so a moved shape or a
re-indented file is no change, while a task moved to another lane is a role change.

Steps are matched by their activity text (a longest-common-subsequence alignment, as
``difflib`` does for lines): inserting a step does not make every later step "changed" just
because its number moved. Steps whose text changed in place pair up one to one. Branch
targets are compared through that matching (old step 5 that became step 6 is the same
target). A role that disappears while a new one takes exactly its steps is a rename, and
those steps are then not reported again as role changes.

Gateway conditions are not in the SOP model (the writer derives them); they are compared
from the XML by sequence flow id, which every editor keeps.

The result is data (:class:`Change` with a :class:`ChangeKind`), worded by the web page in
the user's language.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterator
from dataclasses import dataclass

from converters.bpmn.names import BPMN, q
from converters.bpmn.reader import read_bpmn
from converters.bpmn.xml import parse_safely
from converters.model import END, Decision, Sop, Step, StepRef


class ChangeKind(enum.Enum):
    """One kind of difference, in the order a reader wants them."""

    IDENTITY = "identity"  # a field of the identity block (name, number, unit, agency)
    ROLE_ADDED = "role-added"
    ROLE_REMOVED = "role-removed"
    ROLE_RENAMED = "role-renamed"
    STEP_ADDED = "step-added"
    STEP_REMOVED = "step-removed"
    ACTIVITY = "activity"
    ROLE = "role"  # the performer of a step
    OTHER_ROLES = "other-roles"
    MUTU_BAKU = "mutu-baku"  # field: requirements / duration / output / notes
    DECISION_ADDED = "decision-added"
    DECISION_REMOVED = "decision-removed"
    DECISION_QUESTION = "decision-question"
    BRANCH_ADDED = "branch-added"
    BRANCH_REMOVED = "branch-removed"
    BRANCH_TARGET = "branch-target"
    CONDITION = "condition"  # a gateway condition of a sequence flow


MUTU_BAKU_FIELDS = ("requirements", "duration", "output", "notes")
"""The per-step Mutu Baku fields compared (``field`` of a MUTU_BAKU change); ``notes`` is the
Keterangan column beside them."""
IDENTITY_FIELDS = ("name", "number", "unit", "agency")


@dataclass(frozen=True)
class Change:
    """One difference. ``step`` is the step number in the new version (in the old one for a
    removed step); ``field`` names the Mutu Baku or identity field, the branch label, or the
    flow of a condition; ``before``/``after`` are the values as text ("" for none). A branch
    target reads "end", a step number of the new version, or "~N" (step N of the old version,
    gone from the new one); a decision's before/after is its question."""

    kind: ChangeKind
    step: int | None = None
    field: str = ""
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class ModelDiff:
    """Every difference between the version in use and the new one; empty: same meaning."""

    changes: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of_kind(self, kind: ChangeKind) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind is kind)


@dataclass(frozen=True)
class FlowCondition:
    """The condition a sequence flow carries, with its name for display."""

    flow_id: str
    name: str
    expression: str


def diff_bpmn(old_xml: bytes, new_xml: bytes) -> ModelDiff:
    """The diff of two BPMN files Alur can read (raises ConversionError otherwise)."""
    changes = list(diff_sops(read_bpmn(old_xml), read_bpmn(new_xml)).changes)
    changes += _condition_changes(flow_conditions(old_xml), flow_conditions(new_xml))
    return ModelDiff(tuple(changes))


def diff_sops(old: Sop, new: Sop) -> ModelDiff:
    """The diff of two SOP models."""
    pairs, removed, added = _match_steps(old.steps, new.steps)
    number_map = {o.number: n.number for o, n in pairs}
    renamed = _renamed_roles(old, new, pairs)
    changes: list[Change] = list(_identity_changes(old, new))
    changes += _role_changes(old.roles, new.roles, renamed)
    changes += [Change(ChangeKind.STEP_ADDED, s.number, after=s.activity) for s in added]
    changes += [Change(ChangeKind.STEP_REMOVED, s.number, before=s.activity) for s in removed]
    for o, n in pairs:
        changes += _step_changes(o, n, renamed, number_map)
    return ModelDiff(tuple(changes))


# -- steps -----------------------------------------------------------------------------------


def _key(step: Step) -> str:
    return " ".join(step.activity.split()).casefold()


def _match_steps(
    old: tuple[Step, ...], new: tuple[Step, ...]
) -> tuple[list[tuple[Step, Step]], list[Step], list[Step]]:
    """(old, new) pairs of the same step, the removed and the added steps."""
    matcher = difflib.SequenceMatcher(
        a=[_key(s) for s in old], b=[_key(s) for s in new], autojunk=False
    )
    pairs: list[tuple[Step, Step]] = []
    removed: list[Step] = []
    added: list[Step] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(old[i1:i2], new[j1:j2], strict=True)
            continue
        common = min(i2 - i1, j2 - j1)  # rewritten in place: the same step, new words
        pairs += zip(old[i1 : i1 + common], new[j1 : j1 + common], strict=True)
        removed += old[i1 + common : i2]
        added += new[j1 + common : j2]
    pairs.sort(key=lambda p: p[1].number)
    return pairs, removed, added


def _step_changes(
    old: Step, new: Step, renamed: dict[str, str], number_map: dict[int, int]
) -> Iterator[Change]:
    n = new.number
    if _key(old) != _key(new):
        yield Change(ChangeKind.ACTIVITY, n, before=old.activity, after=new.activity)
    if renamed.get(old.role, old.role) != new.role:
        yield Change(ChangeKind.ROLE, n, before=old.role, after=new.role)
    old_others = tuple(renamed.get(r, r) for r in old.other_roles)
    if old_others != new.other_roles:
        yield Change(
            ChangeKind.OTHER_ROLES,
            n,
            before=", ".join(old.other_roles),
            after=", ".join(new.other_roles),
        )
    for name in MUTU_BAKU_FIELDS:
        before, after = _mutu_baku(old, name), _mutu_baku(new, name)
        if before != after:
            yield Change(ChangeKind.MUTU_BAKU, n, field=name, before=before, after=after)
    yield from _decision_changes(old.decision, new.decision, n, number_map)


def _mutu_baku(step: Step, name: str) -> str:
    if name == "duration":
        return " ".join(step.duration.text.split())
    return " ".join(str(getattr(step, name)).split())


def _decision_changes(
    old: Decision | None, new: Decision | None, n: int, number_map: dict[int, int]
) -> Iterator[Change]:
    """A decision switched on or off is one change plus one per branch; otherwise the
    question and each branch by label (added, removed, or leading elsewhere)."""
    if old is None and new is None:
        return
    if old is None or new is None:
        kind = ChangeKind.DECISION_ADDED if old is None else ChangeKind.DECISION_REMOVED
        yield Change(
            kind,
            n,
            before="" if old is None else old.question,
            after="" if new is None else new.question,
        )
    if old is not None and new is not None and old.question.strip() != new.question.strip():
        yield Change(ChangeKind.DECISION_QUESTION, n, before=old.question, after=new.question)
    before = {b.label.strip().casefold(): b for b in (old.branches if old else ())}
    after = {b.label.strip().casefold(): b for b in (new.branches if new else ())}
    for label, branch in after.items():
        if label not in before:
            yield Change(
                ChangeKind.BRANCH_ADDED, n, field=branch.label, after=_target(branch.target)
            )
            continue
        was = _target(before[label].target, number_map)
        if was != _target(branch.target):
            yield Change(
                ChangeKind.BRANCH_TARGET,
                n,
                field=branch.label,
                before=was,
                after=_target(branch.target),
            )
    for label, branch in before.items():
        if label not in after:
            yield Change(
                ChangeKind.BRANCH_REMOVED,
                n,
                field=branch.label,
                before=_target(branch.target, number_map),
            )


def _target(ref: StepRef, number_map: dict[int, int] | None = None) -> str:
    """A branch target as text (see :class:`Change`): "end", the step number in the new
    numbering, or "~N" for step N of the old version that the new one no longer has.
    ``number_map`` (old → new numbers) is given for targets read from the old version."""
    if ref == END or not isinstance(ref, int):
        return END
    if number_map is None:
        return str(ref)
    mapped = number_map.get(ref)
    return f"~{ref}" if mapped is None else str(mapped)


# -- roles -----------------------------------------------------------------------------------


def _renamed_roles(old: Sop, new: Sop, pairs: list[tuple[Step, Step]]) -> dict[str, str]:
    """old name → new name for a role that left while a new one took exactly its steps
    (all of them, and no step of another role)."""
    gone = [r for r in old.roles if r not in new.roles]
    came = [r for r in new.roles if r not in old.roles]
    out: dict[str, str] = {}
    for role in gone:
        takers = {n.role for o, n in pairs if o.role == role}
        if len(takers) != 1:
            continue
        (taker,) = takers
        givers = {o.role for o, n in pairs if n.role == taker}
        if taker in came and givers == {role} and taker not in out.values():
            out[role] = taker
    # the rest, when one left and one came at the same column: a rename without steps
    left = [r for r in gone if r not in out]
    new_left = [r for r in came if r not in out.values()]
    if len(left) == 1 and len(new_left) == 1 and not any(o.role == left[0] for o, _n in pairs):
        out[left[0]] = new_left[0]
    return out


def _role_changes(
    old: tuple[str, ...], new: tuple[str, ...], renamed: dict[str, str]
) -> Iterator[Change]:
    for before, after in renamed.items():
        yield Change(ChangeKind.ROLE_RENAMED, before=before, after=after)
    for role in new:
        if role not in old and role not in renamed.values():
            yield Change(ChangeKind.ROLE_ADDED, after=role)
    for role in old:
        if role not in new and role not in renamed:
            yield Change(ChangeKind.ROLE_REMOVED, before=role)


def _identity_changes(old: Sop, new: Sop) -> Iterator[Change]:
    for name in IDENTITY_FIELDS:
        before = " ".join(str(getattr(old.identity, name)).split())
        after = " ".join(str(getattr(new.identity, name)).split())
        if before != after:
            yield Change(ChangeKind.IDENTITY, field=name, before=before, after=after)


# -- gateway conditions ----------------------------------------------------------------------


def flow_conditions(xml: bytes) -> dict[str, FlowCondition]:
    """Every sequence flow with a condition, by flow id (the first condition expression
    below the flow, as the engine reads it)."""
    root = parse_safely(xml).getroot()
    out: dict[str, FlowCondition] = {}
    for flow in root.iter(q(BPMN, "sequenceFlow")):
        cond = next(flow.iter(q(BPMN, "conditionExpression")), None)
        if cond is None:
            continue
        flow_id = flow.get("id", "")
        out[flow_id] = FlowCondition(
            flow_id, " ".join((flow.get("name") or "").split()), " ".join((cond.text or "").split())
        )
    return out


def _condition_changes(
    old: dict[str, FlowCondition], new: dict[str, FlowCondition]
) -> list[Change]:
    """Conditions changed on a flow both versions have (a flow added or removed shows as a
    branch change already)."""
    return [
        Change(
            ChangeKind.CONDITION,
            field=new[flow_id].name or flow_id,
            before=old[flow_id].expression,
            after=new[flow_id].expression,
        )
        for flow_id in sorted(old.keys() & new.keys())
        if old[flow_id].expression != new[flow_id].expression
    ]


__all__ = [
    "IDENTITY_FIELDS",
    "MUTU_BAKU_FIELDS",
    "Change",
    "ChangeKind",
    "FlowCondition",
    "ModelDiff",
    "diff_bpmn",
    "diff_sops",
    "flow_conditions",
]
