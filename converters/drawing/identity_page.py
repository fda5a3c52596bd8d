"""Layout of the identity page of an SOP AP document (Permenpan RB 35/2012).

Top: the agency block on the left (instansi, unit), the identity rows on the right (Nomor SOP,
Tanggal Pembuatan / Revisi / Efektif, Disahkan oleh with room for the signature, Nama SOP).
Below: the two-column grid Dasar Hukum | Kualifikasi Pelaksana, Keterkaitan |
Peralatan/Perlengkapan, Peringatan | Pencatatan dan Pendataan. Everything must fit one page, so
the font shrinks a little for long legal bases before anything is shortened.
"""

from __future__ import annotations

from converters.drawing.page import Page, Shape
from converters.drawing.paper import MARGIN, PAD, PAPERS
from converters.drawing.text_metrics import fit_lines, line_height, wrap
from converters.model import Sop, SopDate

SIGNATURE_SPACE = 42.0


def identity_rows(sop: Sop) -> list[tuple[str, list[str]]]:
    """The right-hand identity rows as (label, value lines); shared with the DOCX/HTML output."""
    ident = sop.identity
    approver = ident.approved_by
    signed: list[str] = []
    if approver is not None:
        if approver.position:
            signed.append(approver.position)
        signed.append("")  # the signature goes here
        if approver.name:
            signed.append(approver.name)
        if approver.rank:
            signed.append(approver.rank)
        if approver.id_number:
            kind = approver.id_kind or "NIP"
            signed.append(f"{kind}. {approver.id_number}")
    return [
        ("Nomor SOP", [ident.number or "-"]),
        ("Tanggal Pembuatan", [_date(ident.created)]),
        ("Tanggal Revisi", [_date(ident.revised)]),
        ("Tanggal Efektif", [_date(ident.effective)]),
        ("Disahkan oleh", signed or ["", ""]),
        ("Nama SOP", [ident.name or "-"]),
    ]


Section = tuple[str, tuple[str, ...]]


def grid_sections(sop: Sop) -> list[tuple[Section, Section]]:
    """The three rows of the two-column grid, as ((title, items), (title, items))."""
    return [
        (("Dasar Hukum", sop.legal_basis), ("Kualifikasi Pelaksana", sop.qualifications)),
        (("Keterkaitan", sop.related_sops), ("Peralatan/Perlengkapan", sop.equipment)),
        (("Peringatan", sop.cautions), ("Pencatatan dan Pendataan", sop.records)),
    ]


def numbered(items: tuple[str, ...]) -> list[str]:
    """List items as the SOP prints them: "1. ..." when there are several, bare when one."""
    if len(items) == 1:
        return [items[0]]
    return [f"{i}. {text}" for i, text in enumerate(items, 1)]


def agency_lines_of(sop: Sop) -> list[str]:
    """Instansi and unit as the header prints them: one line per comma-separated part."""
    parts: list[str] = []
    for text in (sop.identity.agency, sop.identity.unit):
        parts += [p.strip() for p in text.split(",") if p.strip()]
    return parts


def _date(d: SopDate | None) -> str:
    return d.text if d is not None and d.text.strip() else "-"


def _wrap_items(items: list[str], width: float, size: float) -> list[str]:
    lines: list[str] = []
    for item in items:
        lines += wrap(item, width, size) or [""]
    return lines


def layout_identity(sop: Sop, paper: str = "a4", number: int = 1) -> Page:
    """The identity page as positioned shapes."""
    width, height = PAPERS[paper]
    for size in (8.0, 7.5, 7.0, 6.5, 6.0):
        page = _layout(sop, width, height, number, size, shorten=False)
        if page is not None:
            return page
    page = _layout(sop, width, height, number, 6.0, shorten=True)
    assert page is not None
    return page


def _layout(sop: Sop, width: float, height: float, number: int, size: float,
            shorten: bool) -> Page | None:
    lh = line_height(size)
    usable_w = width - 2 * MARGIN
    left_w = usable_w * 0.5
    label_w = usable_w * 0.15
    value_w = usable_w - left_w - label_w
    x0 = MARGIN
    y = MARGIN
    shapes: list[Shape] = []

    def cell(ident: str, x: float, yy: float, w: float, h: float, lines: list[str], *,
             bold: bool = False, center: bool = False, vcenter: bool = False,
             classes: tuple[str, ...] = ("cell",), sz: float = size) -> None:
        shapes.append(Shape(
            id=ident, x=x, y=yy, w=w, h=h, lines=tuple(lines), bold=bold, size=sz,
            align="center" if center else "left", valign="center" if vcenter else "top",
            classes=classes, pad=PAD + 1,
        ))

    # right-hand identity rows
    row_y = y
    for label, values in identity_rows(sop):
        value_lines: list[str] = []
        for v in values:
            value_lines += wrap(v, value_w - 2 * PAD - 2, size, bold=label == "Nama SOP") or [""]
        h = max(1, len(value_lines)) * lh + 2 * PAD + 4
        if label == "Disahkan oleh":
            h += SIGNATURE_SPACE
            value_lines = _with_signature_gap(value_lines, lh)
        key = label.lower().replace(" ", "-")
        cell(f"id-label-{key}", x0 + left_w, row_y, label_w, h, [label],
             classes=("cell", "id-label"))
        cell(f"id-value-{key}", x0 + left_w + label_w, row_y, value_w, h, value_lines,
             bold=label == "Nama SOP", center=label == "Disahkan oleh",
             classes=("cell", "id-value"))
        row_y += h
    # the agency block spans the identity rows on the left
    agency = agency_lines_of(sop)
    agency_lines: list[str] = []
    for t in agency:
        agency_lines += wrap(t.upper(), left_w - 40, size + 2, bold=True)
    cell("id-agency", x0, y, left_w, row_y - y, agency_lines, bold=True, center=True,
         vcenter=True, classes=("cell", "id-agency"), sz=size + 2)
    y = row_y

    # two-column grid
    half = usable_w / 2
    budget = height - MARGIN - y
    blocks = []
    for left, right in grid_sections(sop):
        lines_l = _wrap_items(numbered(left[1]), half - 2 * PAD - 2, size)
        lines_r = _wrap_items(numbered(right[1]), half - 2 * PAD - 2, size)
        blocks.append((left[0], lines_l, right[0], lines_r))
    title_h = lh + 2 * PAD + 2
    min_body = 2 * lh + 2 * PAD
    needed = sum(
        title_h + max(min_body, max(len(a), len(b)) * lh + 2 * PAD + 4) for _, a, _, b in blocks
    )
    if needed > budget and not shorten:
        return None
    extra = max(0.0, budget - needed) / 3 if not shorten else 0.0
    max_lines = int(((budget / 3) - title_h - 2 * PAD - 4) // lh) if shorten else 10_000
    for title_l, lines_l, title_r, lines_r in blocks:
        lines_l, lines_r = fit_lines(lines_l, max_lines), fit_lines(lines_r, max_lines)
        body_h = max(min_body, max(len(lines_l), len(lines_r)) * lh + 2 * PAD + 4) + extra
        for title, lines, x in ((title_l, lines_l, x0), (title_r, lines_r, x0 + half)):
            key = title.lower().replace(" ", "-").replace("/", "-")
            cell(f"id-title-{key}", x, y, half, title_h, [title], bold=True,
                 classes=("cell", "id-title"))
            cell(f"id-body-{key}", x, y + title_h, half, body_h, lines,
                 classes=("cell", "id-body"))
        y += title_h + body_h
    return Page(number=number, kind="identity", width=width, height=height, shapes=tuple(shapes))


def _with_signature_gap(lines: list[str], lh: float) -> list[str]:
    """Put blank lines where the signature goes (after the jabatan, before the name)."""
    out: list[str] = []
    gap_lines = int(SIGNATURE_SPACE // lh)
    for i, line in enumerate(lines):
        if line == "" and i > 0 and not any(o == "" for o in out):
            out += [""] * (gap_lines + 1)
        else:
            out.append(line)
    return out
