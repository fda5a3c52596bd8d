"""What every table reader hands to inference: the document as read, before any guessing.

Readers deal with the *shape* of the input (tabs, HTML, OCR pipes, pdftotext columns, YAML,
DOCX, XLSX). They fill a :class:`RawDocument`: the identity block and header sections already
parsed, the role columns in order, and one :class:`RawRow` per table row with the text found in
each cell. They never guess who performs a step or where a decision goes: that is
:func:`converters.reading.inference.infer`'s job, so the same rules apply to every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from converters.model import Identity, ReaderWarning, Step

UNPLACED = ""
"""The :attr:`RawRow.marks` key of a mark whose role column the text does not keep (plain
``pdftotext`` and OCR lose the columns): branch labels placed on a row by what it says, which
inference reads as labels only, never as evidence of a role."""


@dataclass
class RawRow:
    """One row of the SOP table as read.

    ``number`` is the step number as written, ``None`` when it was lost. ``marks`` maps a role
    column (a name from ``RawDocument.roles``) to whatever text stood in that column for this
    row: flowchart symbol remnants ("Г", "_<", "v", "@"), branch labels ("Ya", "Tidak"), a
    diamond question ("Setuju?"). Only columns with something in them appear. ``line`` is the
    1-based line of the input where the row starts.
    """

    number: int | None
    activity: str
    marks: dict[str, str] = field(default_factory=dict)
    requirements: str = ""
    duration: str = ""  # the Waktu text exactly as written (durations are parsed by inference)
    output: str = ""
    notes: str = ""
    line: int | None = None


@dataclass
class RawDocument:
    """A whole document as read, ready for :func:`converters.reading.inference.infer`."""

    source_format: str  # "tabbed", "csv", "markdown", "grid", "dashed", "cell-lines", ...
    identity: Identity = field(default_factory=Identity)
    roles: list[str] = field(default_factory=list)  # role columns, in column order
    rows: list[RawRow] = field(default_factory=list)
    legal_basis: tuple[str, ...] = ()
    qualifications: tuple[str, ...] = ()
    related_sops: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    warnings: list[ReaderWarning] = field(default_factory=list)
    authored_steps: tuple[Step, ...] | None = None
    """Set by readers of authored formats (YAML): the steps are complete and need no
    inference beyond validation."""


def warn_missing_activity(row: RawRow, warnings: list[ReaderWarning]) -> None:
    """A numbered row without activity text is kept (its number holds the sequence) but the
    user must fill it in: every table reader says so with this one warning."""
    if not row.activity:
        warnings.append(
            ReaderWarning(
                f"Langkah {row.number} tanpa uraian kegiatan / step has no activity text",
                code="activity-missing",
                line=row.line,
                step=row.number,
            )
        )


def merge_rows(first: RawRow, rest: RawRow) -> RawRow:
    """One row from a row and the row that continues it, joined cell by cell.

    A cell broken over two table lines (tab text), or an unnumbered row that cannot be a step
    of its own (inference), is the rest of the row before it: it keeps the first row's number
    and line.
    """

    def join(a: str, b: str) -> str:
        return " ".join(p for p in (a.strip(), b.strip()) if p)

    marks = dict(first.marks)
    for role, mark in rest.marks.items():
        marks[role] = join(marks.get(role, ""), mark)
    return RawRow(
        number=first.number,
        activity=join(first.activity, rest.activity),
        marks=marks,
        requirements=join(first.requirements, rest.requirements),
        duration=join(first.duration, rest.duration),
        output=join(first.output, rest.output),
        notes=join(first.notes, rest.notes),
        line=first.line,
    )
