"""The SOP AP monitoring form of Permenpan RB 35/2012, pre-filled from what the engine recorded.

Why: the regulation asks the unit that owns an SOP to monitor its implementation with a
prescribed form ("Formulir Monitoring Pelaksanaan SOP AP"), today filled by hand from memory.
Alur knows, for every step, whether and how it was carried out, so it drafts the form and the
responsible official reviews, completes and signs it. The draft never decides for the
official: every verdict is marked as pre-filled and the action column is only a suggestion.

The form's shape follows the annex of Permenpan RB 35/2012 (the monitoring form for SOP AP
implementation) as Alur's authors know it; it was *not* re-checked against the published text
for this version (see ``docs/reports.md``):

* identity: Nama SOP AP, Nomor SOP, Unit kerja, Nama pelaksana (filled by hand), periode /
  tanggal monitoring, versi proses;
* one row per procedure: No, Prosedur (kegiatan), Penilaian terhadap penerapan — berjalan
  dengan baik: Ya / Tidak, Catatan hasil penilaian, Tindakan yang harus diambil;
* the monitoring official's name, NIP and signature.

Verdict rule (documented so the official can check it): a step "berjalan dengan baik" (Ya)
when it was carried out in the period and at least :data:`DEFAULT_THRESHOLD` of its timed
executions met the Mutu Baku and it has no overdue open work; "Tidak" otherwise; no verdict
when it was not carried out at all in the period (nothing to judge).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.compliance import ComplianceReport, StepFigures, format_minutes

DEFAULT_THRESHOLD = 0.8
TITLE = "FORMULIR MONITORING PELAKSANAAN SOP AP"
COLUMNS = (
    "No",
    "Prosedur",
    "Penilaian terhadap penerapan: berjalan dengan baik (Ya / Tidak)",
    "Catatan hasil penilaian",
    "Tindakan yang harus diambil",
)
BASIS = (
    "Permenpan RB No. 35 Tahun 2012, lampiran: Formulir Monitoring Pelaksanaan SOP AP "
    "(kolom: No, Prosedur, Penilaian terhadap penerapan, Catatan hasil penilaian, "
    "Tindakan yang harus diambil)"
)


@dataclass(frozen=True)
class MonitoringRow:
    number: int
    procedure: str
    role: str
    followed: bool | None  # None: not carried out in the period, the official judges
    note: str
    action: str


@dataclass(frozen=True)
class MonitoringForm:
    sop_name: str
    sop_number: str
    unit: str
    period_start: date | None
    period_end: date | None
    versions: tuple[int, ...]
    cases: int
    rows: tuple[MonitoringRow, ...]
    threshold: float
    generated_at: datetime

    @property
    def period_text(self) -> str:
        start = self.period_start.strftime("%d-%m-%Y") if self.period_start else "awal"
        end = self.period_end.strftime("%d-%m-%Y") if self.period_end else "sekarang"
        return f"{start} s.d. {end}"

    @property
    def followed(self) -> int:
        return sum(1 for r in self.rows if r.followed)

    @property
    def not_followed(self) -> int:
        return sum(1 for r in self.rows if r.followed is False)


def verdict(step: StepFigures, threshold: float = DEFAULT_THRESHOLD) -> bool | None:
    """Ya / Tidak / no verdict for one step (the rule in the module docstring)."""
    if step.executions == 0 and step.open == 0:
        return None
    if step.open_overdue:
        return False
    if step.executions == 0:
        return None
    share = step.on_time_share
    return share is None or share + 1e-9 >= threshold


def note_of(step: StepFigures, day_minutes: int) -> str:
    """The facts behind the verdict, in the words of the form."""
    if step.executions == 0 and step.open == 0:
        return "Tidak dilaksanakan pada periode ini."
    parts = [f"Dilaksanakan {step.executions} kali"]
    if step.with_due:
        share = round(100 * step.on_time / step.with_due)
        parts.append(f"{step.on_time} tepat waktu ({share}%), {step.late} melewati Mutu Baku")
    if step.duration.median is not None:
        mb = step.mutu_baku_text or "–"
        parts.append(
            f"median {format_minutes(step.duration.median, day_minutes)}, "
            f"p90 {format_minutes(step.duration.p90, day_minutes)} (Mutu Baku: {mb})"
        )
    if step.rejections:
        parts.append(f"dikembalikan (tidak setuju) {step.rejections} kali "
                     f"pada {step.loops.cases} kasus")  # fmt: skip
    if step.open:
        parts.append(f"{step.open} masih terbuka, {step.open_overdue} terlambat")
    return "; ".join(parts) + "."


def action_of(step: StepFigures, followed: bool | None) -> str:
    """A suggested action (the official decides); empty when the step runs well."""
    if followed is None:
        return ""
    if followed:
        return ""
    reasons = []
    if step.open_overdue:
        reasons.append("selesaikan pekerjaan yang terlambat")
    if step.with_due and step.late:
        reasons.append("telusuri penyebab keterlambatan; tinjau beban pelaksana "
                       "atau Mutu Baku waktu")  # fmt: skip
    if step.loops.cases:
        reasons.append("tinjau kelengkapan/persyaratan yang menyebabkan pengembalian")
    return "Usulan: " + "; ".join(reasons) + "." if reasons else ""


def build_form(
    report: ComplianceReport,
    *,
    sop_number: str = "",
    unit: str = "",
    threshold: float = DEFAULT_THRESHOLD,
) -> MonitoringForm:
    """The form for the report's period, one row per SOP step in SOP order."""
    rows = []
    for i, step in enumerate(report.steps, start=1):
        followed = verdict(step, threshold)
        rows.append(
            MonitoringRow(
                number=step.number if step.number is not None else i,
                procedure=step.name,
                role=step.role,
                followed=followed,
                note=note_of(step, report.office_day_minutes),
                action=action_of(step, followed),
            )
        )
    return MonitoringForm(
        sop_name=report.process_name,
        sop_number=sop_number,
        unit=unit,
        period_start=report.filter.start,
        period_end=report.filter.end,
        versions=report.versions,
        cases=len(report.cases),
        rows=tuple(rows),
        threshold=threshold,
        generated_at=report.generated_at,
    )
