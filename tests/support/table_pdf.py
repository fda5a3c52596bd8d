"""A small reportlab renderer of SOP AP tables in the header variants real SOPs use.

Alur's official renderer (:mod:`converters.drawing.document`) always writes one template
("No | Kegiatan | Pelaksana | Mutu Baku: Kelengkapan, Waktu, Output | Keterangan"), but the
documents people bring say "Uraian Prosedur", "Mutu Buku", "Persyaratan/Perlengkapan", number
the header columns "(1) … (8)", omit the word "Pelaksana", or do not repeat the header on the
next page. The fidelity harness needs those variants as PDFs to turn into text, so this module
draws them: an identity page, then the table with vector flowchart symbols (terminator,
process, diamond with its branch labels) in the performer's column, like a word processor's
export would.
"""

from __future__ import annotations

import io

from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from converters.model import Sop, Step
from tests.support.sop_generator import HeaderVariant

PAGES: dict[str, tuple[float, float]] = {
    "a4": (841.89, 595.28),
    "f4": (935.43, 609.45),
}
MARGIN = 28.0
FONT = "Helvetica"
SIZE = 7.0
LEAD = 8.6
PAD = 3.0


def _lines(text: str, width: float, size: float = SIZE) -> list[str]:
    out: list[str] = []
    for para in (text or "").split("\n"):
        out.extend(simpleSplit(para, FONT, size, max(width - 2 * PAD, 10)) or [""])
    return out


def _identity_page(c: Canvas, sop: Sop, w: float, h: float) -> None:
    ident = sop.identity
    rows: list[tuple[str, str]] = [
        ("Nomor SOP", ident.number),
        ("Tanggal Pembuatan", ident.created.text if ident.created else ""),
        ("Tanggal Revisi", ident.revised.text if ident.revised else ""),
        ("Tanggal Efektif", ident.effective.text if ident.effective else ""),
    ]
    ab = ident.approved_by
    if ab:
        who = f"{ab.position} {ab.name} {ab.rank} {ab.id_kind}. {ab.id_number}".strip()
        rows.append(("Disahkan oleh", " ".join(who.split())))
    else:
        rows.append(("Disahkan oleh", ""))
    rows.append(("Nama SOP", ident.name))
    left = MARGIN
    mid = MARGIN + (w - 2 * MARGIN) * 0.45
    y = h - MARGIN
    c.setFont(FONT, 9)
    for i, line in enumerate(_lines(f"{ident.agency} {ident.unit}".strip(), mid - left, 9)):
        c.drawCentredString((left + mid) / 2, y - 40 - i * 11, line)
    for label, value in rows:
        c.rect(mid, y - 22, 140, 22)
        c.rect(mid + 140, y - 22, w - MARGIN - mid - 140, 22)
        c.drawString(mid + PAD, y - 14, label)
        c.drawString(mid + 140 + PAD, y - 14, value)
        y -= 22
    sections = (("Dasar Hukum", sop.legal_basis), ("Kualifikasi Pelaksana", sop.qualifications),
                ("Keterkaitan", sop.related_sops), ("Peralatan/Perlengkapan", sop.equipment),
                ("Peringatan", sop.cautions), ("Pencatatan dan Pendataan", sop.records))
    y -= 16
    half = (w - 2 * MARGIN) / 2
    for k in range(0, len(sections), 2):
        top = y
        low = y
        for j, (title, items) in enumerate(sections[k:k + 2]):
            x = MARGIN + j * half
            c.setFont(FONT, 9)
            c.drawString(x + PAD, top - 11, title)
            yy = top - 24
            c.setFont(FONT, 7.5)
            for n, item in enumerate(items, 1):
                for line in _lines(f"{n}. {item}", half, 7.5):
                    c.drawString(x + PAD, yy, line)
                    yy -= 9
            low = min(low, yy)
        for j in range(2):
            c.rect(MARGIN + j * half, low - 4, half, top - low + 4)
        y = low - 4


def render_table_pdf(sop: Sop, header: HeaderVariant, paper: str = "a4") -> bytes:
    """The SOP as a PDF: identity page, then the flowchart table with ``header``'s wording."""
    w, h = PAGES[paper]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(w, h))
    c.setTitle(sop.identity.name or "SOP")
    _identity_page(c, sop, w, h)
    c.showPage()

    k = len(sop.roles)
    avail = w - 2 * MARGIN
    fixed = {"no": 24.0, "req": 72.0, "waktu": 56.0, "output": 64.0, "notes": 60.0}
    activity_w = max(150.0, 0.38 * (avail - sum(fixed.values())))
    role_w = (avail - sum(fixed.values()) - activity_w) / k
    xs = [MARGIN, MARGIN + fixed["no"], MARGIN + fixed["no"] + activity_w]
    for _ in range(k):
        xs.append(xs[-1] + role_w)
    for key in ("req", "waktu", "output", "notes"):
        xs.append(xs[-1] + fixed[key])
    role_x = xs[2:2 + k + 1]

    def draw_header(top: float) -> float:
        c.setFont(FONT, SIZE)
        role_lines = [_lines(r, role_w) for r in sop.roles]
        req_lines = _lines(header.requirements, fixed["req"])
        h2 = max(LEAD * max(len(x) for x in [*role_lines, req_lines]) + 2 * PAD, 18)
        h1 = 16.0
        bottom = top - h1 - h2
        # cells spanning both rows
        spans = ((0, header.no), (1, header.activity), (k + 5, header.notes))
        for col, text in spans:
            x0, x1 = xs[col], xs[col + 1]
            c.rect(x0, bottom, x1 - x0, h1 + h2)
            for i, line in enumerate(_lines(text, x1 - x0)):
                c.drawCentredString((x0 + x1) / 2, top - (h1 + h2) / 2 - i * LEAD, line)
        c.rect(role_x[0], top - h1, role_x[-1] - role_x[0], h1)
        if header.pelaksana_text:
            c.drawCentredString((role_x[0] + role_x[-1]) / 2, top - h1 + 5, "Pelaksana")
        c.rect(xs[k + 2], top - h1, xs[k + 5] - xs[k + 2], h1)
        c.drawCentredString((xs[k + 2] + xs[k + 5]) / 2, top - h1 + 5, header.mutu)
        seconds = [*role_lines, req_lines, ["Waktu"], ["Output"]]
        for j, lines in enumerate(seconds):
            x0, x1 = xs[2 + j], xs[3 + j]
            c.rect(x0, bottom, x1 - x0, h2)
            for i, line in enumerate(lines):
                c.drawCentredString((x0 + x1) / 2, top - h1 - PAD - LEAD * (i + 1) + 2, line)
        if header.numbered_row:
            c.setFont(FONT, 6.5)
            for j in range(len(xs) - 1):
                c.rect(xs[j], bottom - 11, xs[j + 1] - xs[j], 11)
                c.drawCentredString((xs[j] + xs[j + 1]) / 2, bottom - 8, f"({j + 1})")
            bottom -= 11
            c.setFont(FONT, SIZE)
        return bottom

    c.setFont(FONT, 9)
    c.drawCentredString(w / 2, h - MARGIN + 8 - 14, f"SOP {sop.identity.name}")
    y = draw_header(h - MARGIN - 14)
    last = sop.steps[-1].number if sop.steps else 0
    prev: tuple[float, float] | None = None
    for s in sop.steps:
        cells = [
            _lines(str(s.number), fixed["no"]),
            _lines(s.activity, activity_w),
            _lines(s.requirements, fixed["req"]),
            _lines(s.duration.text, fixed["waktu"]),
            _lines(s.output, fixed["output"]),
            _lines(s.notes, fixed["notes"]),
        ]
        rh = max(max(len(x) for x in cells) * LEAD + 2 * PAD, 34.0)
        if y - rh < MARGIN:
            c.showPage()
            y = draw_header(h - MARGIN) if header.repeat_header else h - MARGIN
            prev = None
        c.setFont(FONT, SIZE)
        order = [0, 1, *range(2 + k, 6 + k)]
        texts = [cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]]
        for col, lines in zip(order, texts, strict=True):
            x0, x1 = xs[col], xs[col + 1]
            for i, line in enumerate(lines):
                if col == 0:
                    c.drawCentredString((x0 + x1) / 2, y - PAD - LEAD * (i + 1) + 2, line)
                else:
                    c.drawString(x0 + PAD, y - PAD - LEAD * (i + 1) + 2, line)
        for j in range(len(xs) - 1):
            c.rect(xs[j], y - rh, xs[j + 1] - xs[j], rh)
        prev = _symbols(c, s, sop, role_x, y, rh, s.number in (1, last), prev)
        y -= rh
    c.showPage()
    c.save()
    return buf.getvalue()


def _symbols(c: Canvas, s: Step, sop: Sop, role_x: list[float], top: float, rh: float,
             terminal: bool, prev: tuple[float, float] | None) -> tuple[float, float]:
    """Draw the step's symbol (and its extra roles' boxes); return the main symbol's anchor."""
    anchor = (0.0, 0.0)
    for n, role in enumerate((s.role, *s.other_roles)):
        col = sop.roles.index(role)
        x0, x1 = role_x[col], role_x[col + 1]
        cx, cy = (x0 + x1) / 2, top - rh / 2
        sw, sh = min(x1 - x0 - 8, 40), 14.0
        if s.decision is not None and n == 0:
            dw, dh = min(x1 - x0 - 6, 30), 20.0
            p = c.beginPath()
            p.moveTo(cx, cy + dh / 2)
            p.lineTo(cx + dw / 2, cy)
            p.lineTo(cx, cy - dh / 2)
            p.lineTo(cx - dw / 2, cy)
            p.close()
            c.drawPath(p)
            c.setFont(FONT, 6)
            c.drawString(cx + 2, cy - dh / 2 - 6, s.decision.labels[0])
            c.drawRightString(cx - dw / 2 - 1, cy + 2, s.decision.labels[1])
        elif terminal and n == 0:
            c.roundRect(cx - sw / 2, cy - sh / 2, sw, sh, sh / 2)
        else:
            c.rect(cx - sw / 2, cy - sh / 2, sw, sh)
        if n == 0:
            anchor = (cx, cy)
    if prev is not None:
        c.line(prev[0], prev[1] - 7, prev[0], anchor[1] + rh / 2 - 2)
        c.line(prev[0], anchor[1] + rh / 2 - 2, anchor[0], anchor[1] + rh / 2 - 2)
        c.line(anchor[0], anchor[1] + rh / 2 - 2, anchor[0], anchor[1] + 7)
    return anchor


__all__ = ["PAGES", "render_table_pdf"]
