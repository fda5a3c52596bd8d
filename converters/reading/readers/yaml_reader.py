"""The YAML authoring format: an SOP written by hand, with nothing left to guess.

Analysts who write a new SOP (or fix one the readers could not read) describe it in plain YAML
(documented in ``docs/yaml-format.md``). Every step names its role and every decision its
targets, so the reader returns complete :class:`~converters.model.Step` objects
(``RawDocument.authored_steps``, provenance "author") and inference only validates them.

Mistakes are reported as one-line :class:`ConversionError` messages that name the step and
the key, because a person will fix the file by hand. Only ``yaml.safe_load`` is used: a YAML
file is untrusted input.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from converters.model import (
    AUTHORED,
    END,
    Approver,
    Branch,
    ConversionError,
    Decision,
    Duration,
    Identity,
    Step,
    StepRef,
)
from converters.reading.dates import parse_date
from converters.reading.durations import parse_duration
from converters.reading.raw import RawDocument, RawRow

# accepted keys -> canonical names (English as in the model, Indonesian as on the form)
_TOP_KEYS = {
    "identity": "identity", "identitas": "identity",
    "roles": "roles", "pelaksana": "roles",
    "steps": "steps", "langkah": "steps", "kegiatan": "steps",
    "legal_basis": "legal_basis", "dasar_hukum": "legal_basis",
    "qualifications": "qualifications", "kualifikasi_pelaksana": "qualifications",
    "related_sops": "related_sops", "keterkaitan": "related_sops",
    "equipment": "equipment", "peralatan": "equipment", "perlengkapan": "equipment",
    "cautions": "cautions", "peringatan": "cautions",
    "records": "records", "pencatatan": "records", "pencatatan_dan_pendataan": "records",
    "version": "version", "versi": "version",
}  # fmt: skip
_IDENTITY_KEYS = {
    "number": "number", "nomor": "number", "nomor_sop": "number",
    "name": "name", "nama": "name", "nama_sop": "name", "judul": "name",
    "agency": "agency", "instansi": "agency",
    "unit": "unit",
    "created": "created", "tanggal_pembuatan": "created",
    "revised": "revised", "tanggal_revisi": "revised",
    "effective": "effective", "tanggal_efektif": "effective",
    "approved_by": "approved_by", "disahkan_oleh": "approved_by",
}  # fmt: skip
_APPROVER_KEYS = {
    "position": "position", "jabatan": "position",
    "name": "name", "nama": "name",
    "nip": "nip", "nrp": "nrp", "id_number": "id_number", "id_kind": "id_kind",
    "rank": "rank", "pangkat": "rank",
}  # fmt: skip
_STEP_KEYS = {
    "number": "number", "no": "number", "nomor": "number",
    "activity": "activity", "kegiatan": "activity", "uraian": "activity",
    "role": "role", "pelaksana": "role",
    "other_roles": "other_roles", "pelaksana_lain": "other_roles",
    "requirements": "requirements", "kelengkapan": "requirements", "persyaratan": "requirements",
    "duration": "duration", "waktu": "duration",
    "output": "output",
    "notes": "notes", "keterangan": "notes", "ket": "notes",
    "decision": "decision", "keputusan": "decision",
}  # fmt: skip
_DECISION_KEYS = {
    "approve_to": "approve_to", "setuju_ke": "approve_to", "ya_ke": "approve_to",
    "reject_to": "reject_to", "tidak_setuju_ke": "reject_to", "tidak_ke": "reject_to",
    "labels": "labels", "label": "labels",
    "question": "question", "pertanyaan": "question",
    "branches": "branches", "cabang": "branches",
}  # fmt: skip
_END_WORDS = {"end", "selesai", "akhir"}


def _err(message: str) -> ConversionError:
    return ConversionError("YAML SOP: " + " ".join(message.split()))


def _canon(mapping: Any, keys: dict[str, str], where: str) -> dict[str, Any]:
    if not isinstance(mapping, dict):
        raise _err(f"{where} harus berupa pasangan kunci: nilai (expected a mapping)")
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        norm = re.sub(r"[\s-]+", "_", str(key).strip().lower())
        if norm not in keys:
            raise _err(f"kunci tidak dikenal '{key}' di {where} (unknown key)")
        out[keys[norm]] = value
    return out


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return " ".join(str(value).split())
    if hasattr(value, "isoformat"):  # YAML turns 2018-05-07 into a date
        return value.isoformat()
    raise _err(f"{where} harus berupa teks (expected text)")


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (_text(value, where),) if value.strip() else ()
    if not isinstance(value, list):
        raise _err(f"{where} harus berupa daftar (expected a list)")
    return tuple(t for i, v in enumerate(value) if (t := _text(v, f"{where}[{i + 1}]")))


def _duration(text: str) -> Duration:
    if not text:
        return Duration()
    return parse_duration(text)


def _identity(raw: Any) -> Identity:
    if raw is None:
        return Identity()
    d = _canon(raw, _IDENTITY_KEYS, "identity")
    approver = None
    if d.get("approved_by") is not None:
        a = d["approved_by"]
        if isinstance(a, str):
            approver = Approver(position=_text(a, "approved_by"))
        else:
            ad = _canon(a, _APPROVER_KEYS, "approved_by")
            kind, number = _text(ad.get("id_kind"), "id_kind"), _text(ad.get("id_number"), "id")
            for key in ("nip", "nrp"):
                if ad.get(key) is not None:
                    kind, number = key.upper(), _text(ad[key], key)
            approver = Approver(
                position=_text(ad.get("position"), "position"),
                name=_text(ad.get("name"), "name"),
                id_number=number,
                id_kind=kind,
                rank=_text(ad.get("rank"), "rank"),
            )
    return Identity(
        number=_text(d.get("number"), "number"),
        name=_text(d.get("name"), "name"),
        agency=_text(d.get("agency"), "agency"),
        unit=_text(d.get("unit"), "unit"),
        created=parse_date(_text(d.get("created"), "created")),
        revised=parse_date(_text(d.get("revised"), "revised")),
        effective=parse_date(_text(d.get("effective"), "effective")),
        approved_by=approver,
    )


def _target(value: Any, where: str) -> StepRef:
    if isinstance(value, bool) or value is None:
        raise _err(f"{where} harus nomor langkah atau 'end' (expected a step number or end)")
    if isinstance(value, int):
        return value
    text = str(value).strip().lower()
    if text in _END_WORDS:
        return END
    if text.isdigit():
        return int(text)
    raise _err(f"{where} harus nomor langkah atau 'end' (expected a step number or end)")


def _branches(d: dict[str, Any], where: str) -> Decision:
    """A decision written as ``branches``: a list of {label, to}, for diamonds with three or
    more ways out (the first two become approve/reject, as with the pair of keys)."""
    if any(key in d for key in ("approve_to", "reject_to", "labels")):
        raise _err(f"{where}: 'branches' menggantikan approve_to/reject_to/labels (use one form)")
    items = d["branches"]
    if not isinstance(items, list) or len(items) < 2:
        raise _err(f"{where}.branches harus daftar dua cabang atau lebih (expected 2+ branches)")
    branches = []
    for i, item in enumerate(items, 1):
        at = f"{where}.branches[{i}]"
        b = _canon(item, {"label": "label", "to": "to", "ke": "to"}, at)
        label = _text(b.get("label"), f"{at}.label")
        if not label or "to" not in b:
            raise _err(f"{at} perlu label dan to (expected label and to)")
        branches.append(Branch(label, _target(b["to"], f"{at}.to")))
    return Decision.of_branches(branches, question=_text(d.get("question"), f"{where}.question"))


def _decision(raw: Any, number: int) -> Decision:
    where = f"langkah {number}: decision"
    d = _canon(raw, _DECISION_KEYS, where)
    if d.get("branches") is not None:
        return _branches(d, where)
    for key in ("approve_to", "reject_to"):
        if key not in d:
            raise _err(f"{where} tanpa {key} (missing {key})")
    labels: tuple[str, str] = ("Setuju", "Tidak setuju")
    if d.get("labels") is not None:
        got = _texts(d["labels"], f"{where}.labels")
        if len(got) != 2:
            raise _err(f"{where}.labels harus tepat dua label (expected two labels)")
        labels = (got[0], got[1])
    return Decision(
        approve_to=_target(d["approve_to"], f"{where}.approve_to"),
        reject_to=_target(d["reject_to"], f"{where}.reject_to"),
        labels=labels,
        question=_text(d.get("question"), f"{where}.question"),
        provenance=AUTHORED,
    )


def _role_of(name: str, roles: list[str], declared: bool, number: int) -> str:
    """The declared role a step names (case and spacing ignored); undeclared ones are added
    when the file has no ``roles`` list, and an error otherwise."""
    key = " ".join(name.lower().split())
    for role in roles:
        if " ".join(role.lower().split()) == key:
            return role
    if declared:
        raise _err(f"langkah {number}: pelaksana '{name}' tidak ada di 'roles' (unknown role)")
    roles.append(name)
    return name


def _steps(raw: Any, roles: list[str]) -> tuple[list[Step], list[str]]:
    """The steps, plus roles first named by a step when the file lists no ``roles``."""
    if not isinstance(raw, list) or not raw:
        raise _err("'steps' harus daftar langkah yang tidak kosong (no steps)")
    declared = bool(roles)
    roles = list(roles)
    steps: list[Step] = []
    seen: set[int] = set()
    previous = 0
    for i, item in enumerate(raw):
        d = _canon(item, _STEP_KEYS, f"langkah ke-{i + 1}")
        number_raw = d.get("number", previous + 1)
        if isinstance(number_raw, bool) or not str(number_raw).strip().rstrip(".").isdigit():
            raise _err(f"langkah ke-{i + 1}: nomor '{number_raw}' bukan angka (bad number)")
        number = int(str(number_raw).strip().rstrip("."))
        if number in seen:
            raise _err(f"nomor langkah {number} dipakai dua kali (duplicate step number)")
        seen.add(number)
        previous = number
        activity = _text(d.get("activity"), f"langkah {number}: activity")
        if not activity:
            raise _err(f"langkah {number} tanpa kegiatan (missing activity)")
        role_name = _text(d.get("role"), f"langkah {number}: role")
        if not role_name:
            raise _err(f"langkah {number} tanpa pelaksana (missing role)")
        role = _role_of(role_name, roles, declared, number)
        others = tuple(
            _role_of(r, roles, declared, number)
            for r in _texts(d.get("other_roles"), f"langkah {number}")
        )
        decision = None
        if d.get("decision") is not None:
            decision = _decision(d["decision"], number)
        steps.append(
            Step(
                number=number,
                activity=activity,
                role=role,
                other_roles=others,
                role_provenance=AUTHORED,
                requirements=_text(d.get("requirements"), f"langkah {number}: requirements"),
                duration=_duration(_text(d.get("duration"), f"langkah {number}: duration")),
                output=_text(d.get("output"), f"langkah {number}: output"),
                notes=_text(d.get("notes"), f"langkah {number}: notes"),
                decision=decision,
            )
        )
    numbers = {s.number for s in steps}
    for s in steps:
        if s.decision is None:
            continue
        for key, target in (
            ("approve_to", s.decision.approve_to),
            ("reject_to", s.decision.reject_to),
            *((f"branches[{i}].to", b.target) for i, b in enumerate(s.decision.more, 3)),
        ):
            if target != END and target not in numbers:
                raise _err(
                    f"langkah {s.number}: {key} menuju langkah {target} yang tidak ada "
                    "(decision target does not exist)"
                )
    return steps, roles


def load(text: str) -> dict[str, Any]:
    """Parse the YAML safely; a one-line error for syntax mistakes."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" baris {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "sintaks tidak valid"
        raise _err(f"YAML tidak valid{where}: {problem} (invalid YAML)") from exc
    except (ValueError, RecursionError) as exc:
        raise _err("YAML tidak valid (invalid YAML)") from exc
    if not isinstance(data, dict):
        raise _err("isi berkas harus berupa pemetaan dengan kunci 'steps' (expected a mapping)")
    return _canon(data, _TOP_KEYS, "berkas")


def read(text: str) -> RawDocument:
    """Read the YAML authoring format (see ``docs/yaml-format.md``)."""
    d = load(text)
    roles = list(_texts(d.get("roles"), "roles"))
    if len({" ".join(r.lower().split()) for r in roles}) != len(roles):
        raise _err("ada pelaksana yang ditulis dua kali di 'roles' (duplicate role)")
    steps, roles = _steps(d.get("steps"), roles)
    rows = [
        RawRow(
            number=s.number,
            activity=s.activity,
            marks={r: "author" for r in (s.role, *s.other_roles)},
            requirements=s.requirements,
            duration=s.duration.text,
            output=s.output,
            notes=s.notes,
        )
        for s in steps
    ]
    return RawDocument(
        source_format="yaml",
        identity=_identity(d.get("identity")),
        roles=roles,
        rows=rows,
        legal_basis=_texts(d.get("legal_basis"), "legal_basis"),
        qualifications=_texts(d.get("qualifications"), "qualifications"),
        related_sops=_texts(d.get("related_sops"), "related_sops"),
        equipment=_texts(d.get("equipment"), "equipment"),
        cautions=_texts(d.get("cautions"), "cautions"),
        records=_texts(d.get("records"), "records"),
        authored_steps=tuple(steps),
    )


def sniff(text: str) -> float:
    """YAML with a top-level ``steps:`` (or ``langkah:``) list."""
    head = text[:100_000]
    if "\t" in head.split("steps:")[0][:2000] and head.count("\t") > 5:
        return 0.0
    if re.search(r"^(?:steps|langkah|kegiatan)\s*:\s*$", head, re.MULTILINE) and re.search(
        r"^\s*-\s+(?:activity|kegiatan|uraian|number|no|nomor)\s*:", head, re.MULTILINE
    ):
        return 0.97
    return 0.0


__all__ = ["load", "read", "sniff"]
