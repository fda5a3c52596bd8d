"""Files of the compliance report and the monitoring form: CSV, XLSX, PDF, DOCX (issue 15).

Why one module: the web page's downloads and ``alur report`` must hand out the same tables,
so both call these functions. The PDFs are laid out as positioned boxes
(:mod:`converters.drawing.page`) and drawn by Graphviz, the way the SOP document is, so no
other PDF library is needed at run time; the DOCX is a real Word table the official can edit
before signing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from converters.drawing.page import Page, Shape, render_pages
from converters.drawing.text_metrics import wrap
from engine.compliance import ComplianceReport, format_minutes
from engine.monitoring import BASIS, COLUMNS, TITLE, MonitoringForm

TABLES = ("langkah", "peran", "pengguna", "kasus", "bulan")
A4 = (841.89, 595.28)


def _pct(share: float | None) -> str:
    return "" if share is None else f"{round(share * 100)}%"


def _num(value: float | None) -> float | str:
    return "" if value is None else round(value, 1)


def table(report: ComplianceReport, name: str) -> tuple[list[str], list[list[object]]]:
    """(headers, rows) of one table; minutes are office minutes (numbers, for spreadsheets)."""
    if name == "langkah":
        head = ["No", "Langkah", "Peran", "Mutu Baku", "Mutu Baku (menit kantor)", "Selesai",
                "Terbuka", "Terbuka terlambat", "Median (menit)", "p90 (menit)",
                "Maks (menit)", "Tepat waktu", "Dengan batas waktu", "% tepat waktu",
                "Ditolak", "Kasus ditolak 1x", "Kasus ditolak 2x", "Kasus ditolak 3x+",
                "Tunggu klaim median (menit)", "Tunggu klaim p90 (menit)"]  # fmt: skip
        rows: list[list[object]] = [
            [s.number or "", s.name, s.role, s.mutu_baku_text, _num(s.mutu_baku_minutes),
             s.executions, s.open, s.open_overdue, _num(s.duration.median),
             _num(s.duration.p90), _num(s.duration.max), s.on_time, s.with_due,
             _pct(s.on_time_share), s.rejections, s.loops.once, s.loops.twice, s.loops.more,
             _num(s.waiting.median), _num(s.waiting.p90)]
            for s in report.steps
        ]  # fmt: skip
        return head, rows
    if name in ("peran", "pengguna"):
        parties = report.roles if name == "peran" else report.users
        head = ["Peran" if name == "peran" else "Pengguna", "Terbuka", "Terlambat", "Selesai",
                "Tepat waktu", "Dengan batas waktu", "% tepat waktu"]  # fmt: skip
        return head, [[p.name, p.open, p.overdue, p.completed, p.on_time, p.with_due,
                       _pct(p.on_time_share)] for p in parties]  # fmt: skip
    if name == "kasus":
        head = ["Kasus", "Judul", "Versi", "Status", "Mulai (UTC)", "Selesai (UTC)",
                "Waktu tempuh (menit kantor)", "Jumlah Mutu Baku (menit kantor)",
                "Tepat waktu", "Ditolak"]  # fmt: skip
        return head, [
            [c.instance_id, c.title, c.version, str(c.status),
             c.started_at.strftime("%Y-%m-%d %H:%M"),
             c.ended_at.strftime("%Y-%m-%d %H:%M") if c.ended_at else "",
             _num(c.lead_minutes), _num(c.mutu_baku_minutes),
             "" if c.on_time is None else ("ya" if c.on_time else "tidak"), c.rejections]
            for c in report.cases
        ]  # fmt: skip
    if name == "bulan":
        head = ["Bulan", "Selesai", "Tepat waktu", "Dengan batas waktu", "% tepat waktu",
                "Median (menit)"]  # fmt: skip
        return head, [[m.month, m.completed, m.on_time, m.with_due, _pct(m.on_time_share),
                       _num(m.median_minutes)] for m in report.months]  # fmt: skip
    raise ValueError(f"tabel tidak dikenal: {name!r} (pilih: {', '.join(TABLES)})")


def to_csv(report: ComplianceReport, name: str) -> bytes:
    head, rows = table(report, name)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(head)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: ComplianceReport) -> bytes:
    """Every table on its own sheet, with a first sheet saying what the figures cover."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    info = wb.active
    info.title = "Ringkasan"
    for row in _summary(report):
        info.append(list(row))
    info.column_dimensions["A"].width = 34
    info.column_dimensions["B"].width = 60
    for name in TABLES:
        head, rows = table(report, name)
        ws = wb.create_sheet(name.capitalize())
        ws.append(head)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append(r)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary(report: ComplianceReport) -> list[tuple[str, str]]:
    f = report.filter
    return [
        ("Proses", f"{report.process_name} ({f.process_key})"),
        ("Periode", f"{f.start or 'awal'} s.d. {f.end or 'sekarang'}"),
        ("Versi", ", ".join(map(str, report.versions)) or "–"),
        ("Peran", f.role or "semua"),
        ("Kasus", str(len(report.cases))),
        ("Langkah selesai", str(report.completed)),
        ("Tepat waktu", f"{report.on_time} dari {report.with_due} ({_pct(report.on_time_share)})"),
        ("Ditolak (tidak setuju)", str(report.rejections)),
        ("Dibuat", report.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("Satuan waktu", f"menit kantor (1 hari kerja = {report.office_day_minutes} menit)"),
    ]


# -- PDF ----------------------------------------------------------------------------------------


def _rows_pages(title: str, intro: Sequence[str], head: Sequence[str],
                rows: Sequence[Sequence[str]], widths: Sequence[float], size: float = 7.5,
                footer: Sequence[str] = ()) -> list[Page]:  # fmt: skip
    """Pages of a table: a title and intro lines on the first page, the header on each."""
    width, height = A4
    margin = 30.0
    lh = size * 1.25
    pages: list[Page] = []
    shapes: list[Shape] = []
    y = margin
    number = 0

    def new_page() -> None:
        nonlocal shapes, y, number
        if shapes:
            pages.append(Page(number, "flow", width, height, tuple(shapes)))
        number += 1
        shapes = []
        y = margin

    def put_row(cells: Sequence[str], bold: bool = False, fill: str = "") -> None:
        nonlocal y
        wrapped = [wrap(str(c), w - 6, size, bold) or [""] for c, w in zip(cells, widths,
                                                                              strict=False)]
        h = max(len(w) for w in wrapped) * lh + 6
        if y + h > height - margin:
            new_page()
            put_header()
        x = margin
        for lines, w in zip(wrapped, widths, strict=False):
            shapes.append(Shape(f"c{number}-{len(shapes)}", x, y, w, h, lines=tuple(lines),
                                size=size, bold=bold, fill=fill, pen=0.5))  # fmt: skip
            x += w
        y += h

    def put_header() -> None:
        put_row(head, bold=True, fill="#eeeeee")

    new_page()
    shapes.append(Shape("title", margin, y, width - 2 * margin, 20, kind="text",
                        lines=(title,), size=13, bold=True, align="center"))  # fmt: skip
    y += 24
    for line in intro:
        for part in wrap(line, width - 2 * margin, 8.5) or [""]:
            shapes.append(Shape(f"i{len(shapes)}", margin, y, width - 2 * margin, 12,
                                kind="text", lines=(part,), size=8.5))  # fmt: skip
            y += 12
    y += 6
    put_header()
    for r in rows:
        put_row([str(c) for c in r])
    if footer:
        if y + 14 * len(footer) + 20 > height - margin:
            new_page()
        y += 16
        for line in footer:
            shapes.append(Shape(f"f{len(shapes)}", width / 2, y, width / 2 - margin, 14,
                                kind="text", lines=(line,), size=9))  # fmt: skip
            y += 14
    new_page()
    return pages


def _pdf(pages: Sequence[Page]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in pages:
        for p in PdfReader(io.BytesIO(render_pages([page], "pdf"))).pages:
            writer.add_page(p)
    writer.add_metadata({"/Producer": "Alur (Graphviz + pypdf)"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def report_pdf(report: ComplianceReport) -> bytes:
    """The report for print: summary, the step table (actual vs Mutu Baku), roles, months."""
    day = report.office_day_minutes
    intro = [f"{k}: {v}" for k, v in _summary(report)]
    head = ["No", "Langkah", "Peran", "Mutu Baku", "Selesai", "Median", "p90", "Maks",
            "% tepat waktu", "Ditolak (1x/2x/3x+)", "Tunggu klaim", "Terbuka (terlambat)"]
    rows = [[str(s.number or i), s.name, s.role, s.mutu_baku_text or "–", str(s.executions),
             format_minutes(s.duration.median, day), format_minutes(s.duration.p90, day),
             format_minutes(s.duration.max, day), _pct(s.on_time_share) or "–",
             f"{s.rejections} ({s.loops.once}/{s.loops.twice}/{s.loops.more})",
             format_minutes(s.waiting.median, day), f"{s.open} ({s.open_overdue})"]
            for i, s in enumerate(report.steps, start=1)]  # fmt: skip
    widths = [26, 170, 100, 70, 44, 56, 56, 56, 52, 70, 56, 66]
    pages = _rows_pages(f"Laporan Kepatuhan SOP: {report.process_name}", intro, head, rows,
                        widths)  # fmt: skip
    roles = [[p.name, str(p.open), str(p.overdue), str(p.completed), _pct(p.on_time_share) or "–"]
             for p in report.roles]  # fmt: skip
    months = [[m.month, str(m.completed), _pct(m.on_time_share) or "–",
               format_minutes(m.median_minutes, day)] for m in report.months]  # fmt: skip
    more = _rows_pages("Per peran (jabatan)", [], ["Peran", "Terbuka", "Terlambat", "Selesai",
                       "% tepat waktu"], roles, [260, 80, 80, 80, 80])  # fmt: skip
    trend = _rows_pages("Tren per bulan", [], ["Bulan", "Selesai", "% tepat waktu", "Median"],
                        months, [120, 100, 100, 120])  # fmt: skip
    all_pages = [*pages, *more, *trend]
    return _pdf([Page(i, p.kind, p.width, p.height, p.shapes)
                 for i, p in enumerate(all_pages, start=1)])  # fmt: skip


def _form_intro(form: MonitoringForm) -> list[str]:
    return [
        f"Nama SOP AP: {form.sop_name}",
        f"Nomor SOP: {form.sop_number or '....................'}",
        f"Unit kerja: {form.unit or '....................'}",
        "Nama pelaksana yang dimonitor: ....................",
        f"Periode monitoring: {form.period_text}   (versi proses: "
        f"{', '.join(map(str, form.versions)) or '–'}; {form.cases} kasus tercatat)",
        "Isian penilaian dan catatan diisi awal oleh Alur dari catatan pelaksanaan; periksa, "
        "lengkapi dan tandatangani.",
    ]


def _followed(value: bool | None) -> str:
    return "Ya" if value else "Tidak" if value is False else "–"


def monitoring_pdf(form: MonitoringForm) -> bytes:
    rows = [[str(r.number), r.procedure, _followed(r.followed), r.note, r.action]
            for r in form.rows]  # fmt: skip
    footer = ["Yang melakukan monitoring,", "", "", "(....................................)",
              "NIP. ...............................", "", f"Dasar: {BASIS}"]  # fmt: skip
    pages = _rows_pages(TITLE, _form_intro(form), COLUMNS, rows, [30, 190, 100, 260, 200],
                        size=8, footer=footer[:5])  # fmt: skip
    return _pdf(pages)


def monitoring_docx(form: MonitoringForm) -> bytes:
    """The form as an editable Word document (landscape A4)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    heading = doc.add_paragraph()
    run = heading.add_run(TITLE)
    run.bold = True
    run.font.size = Pt(13)
    for line in _form_intro(form):
        doc.add_paragraph(line)
    grid = doc.add_table(rows=1, cols=len(COLUMNS))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
        for p in cell.paragraphs:
            for r in p.runs:
                r.bold = True
    for row in form.rows:
        cells = grid.add_row().cells
        values = (str(row.number), row.procedure, _followed(row.followed), row.note, row.action)
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    doc.add_paragraph("")
    for line in ("Yang melakukan monitoring,", "", "", "(....................................)",
                 "NIP. ..............................."):  # fmt: skip
        doc.add_paragraph(line)
    note = doc.add_paragraph(f"Dasar: {BASIS}")
    note.runs[0].font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
