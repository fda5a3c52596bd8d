"""The SOP editor's forms read into model values, with the analyst's mistakes worded.

The editor is plain HTML forms (it works without JavaScript), so every value arrives as text:
this module turns a posted step, decision or identity block into the model's frozen values
and refuses, with one translated sentence, what a person can get wrong (an empty activity, a
decision with fewer than two branches, a branch to a step that does not exist, a text far too
long). The model edits themselves are :mod:`converters.model_edits`.
"""

from __future__ import annotations

import dataclasses

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from converters.model import (
    END,
    Approver,
    Branch,
    Decision,
    Identity,
    Sop,
    SopDate,
    Step,
    StepRef,
)
from converters.model_edits import set_decision, set_role
from converters.reading.dates import parse_date
from converters.reading.durations import parse_duration

MAX_TEXT = 2000
"""The longest activity, Mutu Baku value or identity field the editor takes."""
MAX_NAME = 200
"""The longest role name (the store's lane column is 200 characters)."""
MAX_BRANCHES = 8
"""Branch rows offered and read for one decision (diamonds in SOPs have two to four)."""
MAX_LIST = 50
"""Lines read from one list field (Dasar Hukum, Peralatan, ...)."""

Form = MultiDict[str, str]


class FormError(Exception):
    """A posted value the editor refuses; ``str(e)`` is the translated message."""


def text(form: Form, name: str, limit: int = MAX_TEXT) -> str:
    value = " ".join((form.get(name) or "").split())
    if len(value) > limit:
        raise FormError(_("Isian terlalu panjang (paling banyak %(n)s karakter).", n=limit))
    return value


def role_choice(form: Form, sop: Sop, select: str = "role", new: str = "new_role") -> str:
    """The role chosen from the lanes, or a new one typed beside them (which wins)."""
    typed = text(form, new, MAX_NAME)
    if typed:
        return typed
    chosen = text(form, select, MAX_NAME)
    if chosen not in sop.roles:
        raise FormError(_("Pilih pelaksana dari daftar atau tulis pelaksana baru."))
    return chosen


def activity(form: Form) -> str:
    value = text(form, "activity")
    if not value:
        raise FormError(_("Kegiatan tidak boleh kosong."))
    return value


def _target(raw: str, numbers: set[int]) -> StepRef:
    if raw == END:
        return END
    if not raw.isdigit() or int(raw) not in numbers:
        raise FormError(_("Langkah tujuan %(n)s tidak ada.", n=raw[:12]))
    return int(raw)


def decision(form: Form, numbers: set[int]) -> Decision | None:
    """The posted decision, or None when the step is no decision (switched off)."""
    if not form.get("decision"):
        return None
    branches = []
    for i in range(MAX_BRANCHES):
        label = text(form, f"branch_label_{i}", MAX_NAME)
        raw = (form.get(f"branch_to_{i}") or "").strip()
        if not label and not raw:
            continue
        if not label:
            raise FormError(_("Setiap cabang keputusan perlu label."))
        if not raw:
            raise FormError(_("Cabang %(label)s belum punya tujuan.", label=label))
        branches.append(Branch(label, _target(raw, numbers)))
    if len(branches) < 2:
        raise FormError(_("Keputusan perlu paling sedikit dua cabang."))
    return Decision.of_branches(branches, question=text(form, "question", MAX_TEXT))


def step(form: Form, sop: Sop, current: Step, user: str) -> Step:
    """Step ``current`` as the posted form changes it; a changed role or decision counts
    as confirmed by ``user``."""
    numbers = {s.number for s in sop.steps}
    role = role_choice(form, sop)
    others = tuple(
        dict.fromkeys(r for r in form.getlist("other_roles") if r in sop.roles and r != role)
    )
    waktu = text(form, "duration", MAX_NAME)
    duration = current.duration if waktu == current.duration.text else parse_duration(waktu)
    changed = dataclasses.replace(
        current,
        activity=activity(form),
        other_roles=others,
        requirements=text(form, "requirements"),
        duration=duration,
        output=text(form, "output"),
        notes=text(form, "notes"),
    )
    changed = set_role(changed, role, user)
    return set_decision(changed, decision(form, numbers), user)


def _date(form: Form, name: str) -> SopDate | None:
    value = text(form, name, MAX_NAME)
    return parse_date(value) if value else None


def _lines(form: Form, name: str) -> tuple[str, ...]:
    raw = (form.get(name) or "").splitlines()
    lines = tuple(" ".join(line.split()) for line in raw if line.strip())
    if len(lines) > MAX_LIST or any(len(line) > MAX_TEXT for line in lines):
        raise FormError(_("Daftar terlalu panjang."))
    return lines


LIST_FIELDS = ("legal_basis", "qualifications", "related_sops", "equipment", "cautions",
               "records")  # fmt: skip
"""The list-valued parts of an SOP, one line per entry in the identity form."""


def identity(form: Form, sop: Sop) -> Sop:
    """``sop`` with the posted identity block and lists (Dasar Hukum, ...)."""
    approver = Approver(
        position=text(form, "approver_position", MAX_NAME),
        name=text(form, "approver_name", MAX_NAME),
        id_number=text(form, "approver_id_number", MAX_NAME),
        id_kind=text(form, "approver_id_kind", 8).upper(),
        rank=text(form, "approver_rank", MAX_NAME),
    )
    ident = Identity(
        number=text(form, "number", MAX_NAME),
        name=text(form, "name", MAX_TEXT),
        agency=text(form, "agency", MAX_TEXT),
        unit=text(form, "unit", MAX_TEXT),
        created=_date(form, "created"),
        revised=_date(form, "revised"),
        effective=_date(form, "effective"),
        approved_by=approver if approver != Approver() else None,
    )
    lists = {name: _lines(form, name) for name in LIST_FIELDS}
    return dataclasses.replace(sop, identity=ident, **lists)  # type: ignore[arg-type]
