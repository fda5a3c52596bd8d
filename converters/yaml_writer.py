"""The SOP model as the YAML authoring format (``docs/yaml-format.md``).

An analyst who corrected a draft in the browser can take it away as a file a person reads
and edits, and that the YAML reader reads back to the same SOP: ``read(write(sop))`` equals
``sop.essence()`` (provenance and reader warnings are not part of the authored SOP, and a
YAML file states everything with certainty). The English keys of the format are written; the
values keep the SOP's own wording (dates and Waktu as text, parsed again when read).
"""

from __future__ import annotations

from typing import Any

import yaml

from converters.model import Approver, Decision, Identity, Sop, SopDate, Step

HEADER = "# SOP dalam format YAML Alur (lihat docs/yaml-format.md)\n"


def write_yaml(sop: Sop) -> str:
    """``sop`` in the YAML authoring format, as text."""
    doc: dict[str, Any] = {}
    identity = _identity(sop.identity)
    if identity:
        doc["identity"] = identity
    for key, values in (
        ("legal_basis", sop.legal_basis),
        ("qualifications", sop.qualifications),
        ("related_sops", sop.related_sops),
        ("equipment", sop.equipment),
        ("cautions", sop.cautions),
        ("records", sop.records),
    ):
        if values:
            doc[key] = list(values)
    roles = list(sop.roles)
    for s in sop.steps:  # the reader refuses a step whose role is not listed
        for r in (s.role, *s.other_roles):
            if r not in roles:
                roles.append(r)
    doc["roles"] = roles
    doc["steps"] = [_step(s) for s in sop.steps]
    return HEADER + yaml.safe_dump(
        doc, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )


def _date(d: SopDate | None) -> str | None:
    return d.text if d is not None and d.text else None


def _approver(a: Approver) -> dict[str, str]:
    out = {"position": a.position, "name": a.name}
    if a.id_kind in ("NIP", "NRP"):
        out[a.id_kind.lower()] = a.id_number
    elif a.id_number or a.id_kind:
        out["id_number"] = a.id_number
        out["id_kind"] = a.id_kind
    out["rank"] = a.rank
    return {k: v for k, v in out.items() if v}


def _identity(i: Identity) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": i.number,
        "name": i.name,
        "agency": i.agency,
        "unit": i.unit,
        "created": _date(i.created),
        "revised": _date(i.revised),
        "effective": _date(i.effective),
    }
    if i.approved_by is not None:
        out["approved_by"] = _approver(i.approved_by)
    return {k: v for k, v in out.items() if v}


def _decision(d: Decision) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if d.question:
        out["question"] = d.question
    if d.more:
        out["branches"] = [{"label": b.label, "to": b.target} for b in d.branches]
        return out
    out["labels"] = list(d.labels)
    out["approve_to"] = d.approve_to
    out["reject_to"] = d.reject_to
    return out


def _step(s: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"number": s.number, "activity": s.activity, "role": s.role}
    if s.other_roles:
        out["other_roles"] = list(s.other_roles)
    for key, value in (
        ("requirements", s.requirements),
        ("duration", s.duration.text),
        ("output", s.output),
        ("notes", s.notes),
    ):
        if value:
            out[key] = value
    if s.decision is not None:
        out["decision"] = _decision(s.decision)
    return out


__all__ = ["write_yaml"]
