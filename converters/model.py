"""The SOP model: one typed, frozen description of an SOP AP document.

Every reader (tab text, HTML, OCR, pdftotext, YAML, DOCX, XLSX, BPMN) produces this model and
every writer (BPMN, Graphviz diagrams, the official SOP document) consumes it, so the shapes of
the input formats never leak into the rest of Alur.

Values the reader had to guess carry a :class:`Provenance` (where the value came from and how
sure the reader is) so an analyst can review them; provenance and reader warnings are *not*
part of the SOP itself, which is why :meth:`Sop.essence` drops them before comparisons such as
the BPMN round trip.

The JSON form (:meth:`Sop.to_dict` / :meth:`Sop.from_dict`) is the public contract printed by
``alur inspect --json`` and documented in ``docs/json.md``; change it only compatibly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

END: Literal["end"] = "end"
"""Branch target meaning "the process ends here"."""

StepRef = int | Literal["end"]
"""Where a decision branch goes: a step number or :data:`END`."""


class ConversionError(Exception):
    """The input cannot be read as an SOP at all (empty, binary, not an SOP, no steps).

    The message is one line meant for the user; the CLI prints it and exits with code 2.
    A document that is an SOP but partly unreadable does *not* raise: it yields a model plus
    warnings.
    """


@dataclass(frozen=True)
class Provenance:
    """Where an inferred value came from and how sure the reader is of it.

    ``source`` is a short machine-readable tag, one of:
    ``"column"`` (a symbol or mark in the role column, or the value was in its own cell),
    ``"subject"`` (the activity names its actor), ``"handover"`` (the previous step handed the
    work to this role), ``"instruction"`` (an instruction to a subordinate names the actor's
    superior), ``"clerical"`` (a clerical verb points to the staff column), ``"order"``
    (column order / position only), ``"default"`` (nothing better), ``"author"`` (written
    explicitly by a person: YAML, BPMN lanes), ``"text"`` (found in running text).
    ``confidence`` is 0.0–1.0. ``evidence`` holds human-readable reasons, shown by
    ``alur inspect``.
    """

    source: str = "author"
    confidence: float = 1.0
    evidence: tuple[str, ...] = ()


AUTHORED = Provenance()


@dataclass(frozen=True)
class SopDate:
    """A date as the SOP writes it, plus its parsed value when the text allows one.

    ``precision`` tells how much of the date was written: "day" ("07 Mei 2018"),
    "month" ("Januari 2023", ``value`` is the first of the month) or "year".
    """

    text: str
    value: date | None = None
    precision: Literal["day", "month", "year"] | None = None


@dataclass(frozen=True)
class Approver:
    """Disahkan oleh: the official who signed the SOP."""

    position: str = ""  # jabatan, e.g. "Kepala Dinas Kominfo"
    name: str = ""
    id_number: str = ""  # NIP / NRP digits as written (spaces kept)
    id_kind: str = ""  # "NIP", "NRP" or ""
    rank: str = ""  # pangkat/golongan, e.g. "Pembina"


@dataclass(frozen=True)
class Identity:
    """The identity block of an SOP AP document."""

    number: str = ""  # Nomor SOP
    name: str = ""  # Nama SOP
    agency: str = ""  # instansi, e.g. "Pemerintah Kota Singkawang, Dinas Kominfo"
    unit: str = ""  # unit / bagian that owns the SOP
    created: SopDate | None = None  # Tanggal Pembuatan
    revised: SopDate | None = None  # Tanggal Revisi (the latest one written)
    effective: SopDate | None = None  # Tanggal Efektif
    approved_by: Approver | None = None  # Disahkan oleh


@dataclass(frozen=True)
class Duration:
    """Mutu Baku "Waktu": the text as written plus what could be computed from it.

    ``min_minutes``/``max_minutes`` are equal for a single value and differ for a range
    ("5-10 menit"). When ``working_days`` is true the minutes count working time
    (one working day = 8 hours = 480 minutes, one week = 5 working days) and the engine puts
    the due date on the office calendar; otherwise they are wall-clock minutes.
    ``iso`` is an ISO 8601 duration of the maximum ("PT10M", "PT2H", "P5D", "P1W").
    ``per_unit`` keeps "berkas" for "2 menit/berkas". All numeric fields are None for text
    that states no time ("-", "Sesuai kebutuhan").
    """

    text: str = ""
    min_minutes: int | None = None
    max_minutes: int | None = None
    iso: str | None = None
    working_days: bool = False
    per_unit: str | None = None


NO_DURATION = Duration()


@dataclass(frozen=True)
class Branch:
    """One labelled way out of a decision diamond: its label and where it goes."""

    label: str
    target: StepRef


@dataclass(frozen=True)
class Decision:
    """A decision step (diamond): where each branch goes.

    ``labels`` are the branch labels in the order (approve, reject): ("Setuju", "Tidak setuju")
    by default, or the SOP's own ("Ya", "Tidak"; "Teknis", "Administratif"). ``approve_to`` is
    the target of the first label, ``reject_to`` of the second. ``question`` is the text in the
    diamond when the SOP has one ("Setuju?", "Sesuai?").

    ``more`` holds the branches after the first two, for diamonds drawn with three or more
    ways out ("Teknis / Administratif / Keuangan"). They are kept apart, rather than turning
    the first two fields into a list, so that every reader and writer that knows only
    approve/reject keeps working unchanged; code that handles any number of branches uses
    :attr:`branches`.
    """

    approve_to: StepRef
    reject_to: StepRef
    labels: tuple[str, str] = ("Setuju", "Tidak setuju")
    question: str = ""
    provenance: Provenance = AUTHORED
    more: tuple[Branch, ...] = ()

    @property
    def branches(self) -> tuple[Branch, ...]:
        """All branches in order: approve (first label), reject (second), then :attr:`more`."""
        return (
            Branch(self.labels[0], self.approve_to),
            Branch(self.labels[1], self.reject_to),
            *self.more,
        )

    @classmethod
    def of_branches(
        cls,
        branches: tuple[Branch, ...] | list[Branch],
        question: str = "",
        provenance: Provenance = AUTHORED,
    ) -> Decision:
        """The decision with these branches (at least two), in order: the inverse of
        :attr:`branches`, for readers that find any number of ways out of a diamond."""
        if len(branches) < 2:
            raise ValueError("a decision needs at least two branches")
        first, second, *rest = branches
        return cls(
            approve_to=first.target,
            reject_to=second.target,
            labels=(first.label, second.label),
            question=question,
            provenance=provenance,
            more=tuple(rest),
        )


@dataclass(frozen=True)
class Step:
    """One numbered activity of the SOP table."""

    number: int
    activity: str
    role: str  # the performer: one of Sop.roles
    other_roles: tuple[str, ...] = ()  # further roles with a symbol in the same row
    role_provenance: Provenance = AUTHORED
    requirements: str = ""  # Mutu Baku: Kelengkapan / Persyaratan
    duration: Duration = NO_DURATION  # Mutu Baku: Waktu
    output: str = ""  # Mutu Baku: Output
    notes: str = ""  # Keterangan
    decision: Decision | None = None

    @property
    def role_confidence(self) -> float:
        return self.role_provenance.confidence


@dataclass(frozen=True)
class ReaderWarning:
    """Something the reader could not read or had to guess; shown to the analyst.

    ``code`` is a stable tag ("role-guessed", "role-added", "line-unused", "number-guessed",
    "decision-target-guessed", ...). ``line`` is the 1-based line of the input it refers to,
    ``step`` the step number, when known.
    """

    message: str
    code: str = "note"
    line: int | None = None
    step: int | None = None


@dataclass(frozen=True)
class Sop:
    """A whole SOP AP document."""

    identity: Identity
    roles: tuple[str, ...]  # Pelaksana columns in the SOP's column order
    steps: tuple[Step, ...]
    legal_basis: tuple[str, ...] = ()  # Dasar Hukum
    qualifications: tuple[str, ...] = ()  # Kualifikasi Pelaksana
    related_sops: tuple[str, ...] = ()  # Keterkaitan (dengan SOP lain)
    equipment: tuple[str, ...] = ()  # Peralatan / Perlengkapan
    cautions: tuple[str, ...] = ()  # Peringatan
    records: tuple[str, ...] = ()  # Pencatatan dan Pendataan
    warnings: tuple[ReaderWarning, ...] = ()
    source_format: str = ""  # which reader produced it: "tabbed", "ocr", "yaml", "bpmn", ...

    def step(self, number: int) -> Step:
        for s in self.steps:
            if s.number == number:
                return s
        raise KeyError(number)

    def essence(self) -> Sop:
        """The SOP without reader provenance and warnings: what a round trip must preserve."""
        steps = tuple(
            dataclasses.replace(
                s,
                role_provenance=AUTHORED,
                decision=None
                if s.decision is None
                else dataclasses.replace(s.decision, provenance=AUTHORED),
            )
            for s in self.steps
        )
        return dataclasses.replace(self, steps=steps, warnings=(), source_format="")

    # -- JSON contract -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (see docs/json.md)."""
        return {
            "identity": _identity_to_dict(self.identity),
            "roles": list(self.roles),
            "steps": [_step_to_dict(s) for s in self.steps],
            "legal_basis": list(self.legal_basis),
            "qualifications": list(self.qualifications),
            "related_sops": list(self.related_sops),
            "equipment": list(self.equipment),
            "cautions": list(self.cautions),
            "records": list(self.records),
            "warnings": [dataclasses.asdict(w) for w in self.warnings],
            "source_format": self.source_format,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Sop:
        """Inverse of :meth:`to_dict` (used for golden files and the web UI)."""
        return cls(
            identity=_identity_from_dict(d.get("identity") or {}),
            roles=tuple(d.get("roles") or ()),
            steps=tuple(_step_from_dict(s) for s in d.get("steps") or ()),
            legal_basis=tuple(d.get("legal_basis") or ()),
            qualifications=tuple(d.get("qualifications") or ()),
            related_sops=tuple(d.get("related_sops") or ()),
            equipment=tuple(d.get("equipment") or ()),
            cautions=tuple(d.get("cautions") or ()),
            records=tuple(d.get("records") or ()),
            warnings=tuple(ReaderWarning(**w) for w in d.get("warnings") or ()),
            source_format=d.get("source_format", ""),
        )


# -- JSON helpers ----------------------------------------------------------------------------


def _date_to_dict(d: SopDate | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "text": d.text,
        "date": d.value.isoformat() if d.value else None,
        "precision": d.precision,
    }


def _date_from_dict(d: dict[str, Any] | None) -> SopDate | None:
    if d is None:
        return None
    value = date.fromisoformat(d["date"]) if d.get("date") else None
    return SopDate(text=d.get("text", ""), value=value, precision=d.get("precision"))


def _identity_to_dict(i: Identity) -> dict[str, Any]:
    return {
        "number": i.number,
        "name": i.name,
        "agency": i.agency,
        "unit": i.unit,
        "created": _date_to_dict(i.created),
        "revised": _date_to_dict(i.revised),
        "effective": _date_to_dict(i.effective),
        "approved_by": dataclasses.asdict(i.approved_by) if i.approved_by else None,
    }


def _identity_from_dict(d: dict[str, Any]) -> Identity:
    ab = d.get("approved_by")
    return Identity(
        number=d.get("number", ""),
        name=d.get("name", ""),
        agency=d.get("agency", ""),
        unit=d.get("unit", ""),
        created=_date_from_dict(d.get("created")),
        revised=_date_from_dict(d.get("revised")),
        effective=_date_from_dict(d.get("effective")),
        approved_by=Approver(**ab) if ab else None,
    )


def _prov_to_dict(p: Provenance) -> dict[str, Any]:
    return {"source": p.source, "confidence": p.confidence, "evidence": list(p.evidence)}


def _prov_from_dict(d: dict[str, Any] | None) -> Provenance:
    if not d:
        return AUTHORED
    return Provenance(
        source=d.get("source", "author"),
        confidence=float(d.get("confidence", 1.0)),
        evidence=tuple(d.get("evidence") or ()),
    )


def _branch_to_dict(b: Branch) -> dict[str, Any]:
    return {"label": b.label, "to": b.target}


def _branch_from_dict(d: dict[str, Any]) -> Branch:
    target = d["to"]
    return Branch(label=d.get("label", ""), target=target if target == END else int(target))


def _step_to_dict(s: Step) -> dict[str, Any]:
    dec: dict[str, Any] | None = None
    if s.decision is not None:
        dec = {
            "approve_to": s.decision.approve_to,
            "reject_to": s.decision.reject_to,
            "labels": list(s.decision.labels),
            "question": s.decision.question,
            "provenance": _prov_to_dict(s.decision.provenance),
        }
        if s.decision.more:  # only then, so two-branch output stays exactly as it was
            dec["more"] = [_branch_to_dict(b) for b in s.decision.more]
    return {
        "number": s.number,
        "activity": s.activity,
        "role": s.role,
        "other_roles": list(s.other_roles),
        "role_confidence": s.role_provenance.confidence,
        "role_provenance": _prov_to_dict(s.role_provenance),
        "requirements": s.requirements,
        "duration": dataclasses.asdict(s.duration),
        "output": s.output,
        "notes": s.notes,
        "decision": dec,
    }


def _step_from_dict(d: dict[str, Any]) -> Step:
    dec = d.get("decision")
    decision = None
    if dec is not None:
        decision = Decision(
            approve_to=dec["approve_to"],
            reject_to=dec["reject_to"],
            labels=tuple(dec.get("labels") or ("Setuju", "Tidak setuju")),
            question=dec.get("question", ""),
            provenance=_prov_from_dict(dec.get("provenance")),
            more=tuple(_branch_from_dict(b) for b in dec.get("more") or ()),
        )
    prov = d.get("role_provenance")
    if prov is None and "role_confidence" in d:
        prov = {"source": "author", "confidence": d["role_confidence"]}
    return Step(
        number=int(d["number"]),
        activity=d.get("activity", ""),
        role=d.get("role", ""),
        other_roles=tuple(d.get("other_roles") or ()),
        role_provenance=_prov_from_dict(prov),
        requirements=d.get("requirements", ""),
        duration=Duration(**(d.get("duration") or {})),
        output=d.get("output", ""),
        notes=d.get("notes", ""),
        decision=decision,
    )


__all__ = [
    "AUTHORED",
    "END",
    "NO_DURATION",
    "Approver",
    "Branch",
    "ConversionError",
    "Decision",
    "Duration",
    "Identity",
    "Provenance",
    "ReaderWarning",
    "Sop",
    "SopDate",
    "Step",
    "StepRef",
]
