"""The official SOP AP document (Permenpan RB 35/2012): identity page and flowchart table.

:func:`render_document` draws an :class:`~converters.model.Sop` as the document reviewers put
into the signed SOP: landscape A4 (or F4), the identity page first, then the flowchart table
over as many pages as it needs. The layout is Alur's own (:mod:`converters.drawing.sop_table`,
:mod:`converters.drawing.identity_page`); Graphviz (``neato -n2``) draws it.

Formats and what they hold:

* ``pdf`` — every page, one PDF page each, print-ready, fonts embedded (Graphviz's cairo PDF
  output per page, merged with pypdf).
* ``svg`` — ONE SVG document with all pages stacked top to bottom (24 pt apart, each framed
  by a light grey page border, ``<g id="page-N" class="node page ...">``). Elements carry ids
  and classes for inspection: ``step-N`` (``symbol symbol-terminator|process|decision
  col-I``), ``row-N`` (the No cell of step N), ``col-I`` (role header I; ``col-I-pP`` on later
  pages), ``arrow-A-B`` (``arrow arrow-next|approve|reject``), ``offpage-X-out`` /
  ``offpage-X-in`` and ``arrow-A-X`` / ``arrow-X-B`` around page breaks. Use
  :func:`render_pages_svg` for one SVG per page.
* ``png`` — the same stacked picture as the SVG, at 150 dpi.
* ``docx`` — a Word document: the identity block as a real Word table, then each flowchart
  page as a 170 dpi picture, in landscape sections, so reviewers can add the signature.
* ``html`` — a self-contained preview: the identity block as an HTML table and the flowchart
  pages as inline SVG; no scripts, no external files.
"""

from __future__ import annotations

import html
import io
import re

from converters.drawing.identity_page import (
    agency_lines_of,
    grid_sections,
    identity_rows,
    layout_identity,
    numbered,
)
from converters.drawing.page import Page, render_pages
from converters.drawing.paper import PAPERS
from converters.drawing.sop_table import layout_table
from converters.model import ConversionError, Sop

FORMATS = ("pdf", "svg", "png", "docx", "html")
PNG_DPI = 150
DOCX_DPI = 170


def document_pages(sop: Sop, paper: str = "a4") -> tuple[Page, ...]:
    """All pages of the document: the identity page, then the flowchart pages."""
    _check(sop, "pdf", paper)
    identity = layout_identity(sop, paper, number=1)
    table = layout_table(sop, paper, first_page=2)
    return (identity, *table.pages)


def render_document(sop: Sop, fmt: str = "pdf", paper: str = "a4") -> bytes:
    """The official SOP AP document of ``sop`` as ``fmt`` (pdf|svg|png|docx|html) bytes."""
    _check(sop, fmt, paper)
    pages = document_pages(sop, paper)
    if fmt == "pdf":
        return _pdf(pages)
    if fmt == "svg":
        return render_pages(pages, "svg", frames=True)
    if fmt == "png":
        return render_pages(pages, "png", dpi=PNG_DPI, frames=True)
    if fmt == "html":
        return _html(sop, pages)
    return _docx(sop, pages)


def render_pages_svg(sop: Sop, paper: str = "a4") -> list[bytes]:
    """One SVG document per page (identity page first), each exactly the page size."""
    return [render_pages([p], "svg") for p in document_pages(sop, paper)]


def _check(sop: Sop, fmt: str, paper: str) -> None:
    if fmt not in FORMATS:
        raise ConversionError(
            f"format dokumen tidak dikenal: {fmt!r} (pilih salah satu: {', '.join(FORMATS)})"
        )
    if paper not in PAPERS:
        raise ConversionError(f"ukuran kertas tidak dikenal: {paper!r} (pilih a4 atau f4)")
    if not sop.steps:
        raise ConversionError("SOP tidak memiliki langkah kegiatan; dokumen tidak dapat dibuat")


def _pdf(pages: tuple[Page, ...]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in pages:
        data = render_pages([page], "pdf")
        for p in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(p)
    writer.add_metadata({"/Producer": "Alur (Graphviz + pypdf)"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_XML_PROLOGUE = re.compile(rb"^.*?(?=<svg)", re.S)


def _inline_svg(svg: bytes) -> str:
    """An SVG file as an element to paste into HTML (no XML declaration, no DOCTYPE)."""
    return _XML_PROLOGUE.sub(b"", svg, count=1).decode("utf-8")


_CSS = """
body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;font-size:10pt;color:#000;
background:#eee;margin:0;padding:16px}
.page{background:#fff;margin:0 auto 16px auto;padding:12px;max-width:1100px;
box-shadow:0 1px 4px rgba(0,0,0,.25)}
table.identitas{border-collapse:collapse;width:100%}
table.identitas td,table.identitas th{border:1px solid #000;padding:4px 6px;vertical-align:top;
text-align:left}
table.identitas th{font-weight:bold}
td.instansi{text-align:center;vertical-align:middle;font-weight:bold;font-size:12pt;width:50%}
td.ttd{text-align:center}
.ttd .ruang{height:48px}
ol{margin:0;padding-left:18px}
svg{width:100%;height:auto;display:block}
"""


def _html(sop: Sop, pages: tuple[Page, ...]) -> bytes:
    e = html.escape
    rows = identity_rows(sop)
    agency = "<br>".join(e(t.upper()) for t in agency_lines_of(sop))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="id"><head><meta charset="utf-8">',
        f"<title>{e(sop.identity.name or 'Dokumen SOP')}</title>",
        f"<style>{_CSS}</style></head><body>",
        '<section class="page identitas">',
        '<table class="identitas">',
    ]
    for i, (label, values) in enumerate(rows):
        parts.append("<tr>")
        if i == 0:
            parts.append(f'<td class="instansi" rowspan="{len(rows)}">{agency}</td>')
        if label == "Disahkan oleh":
            cells = []
            for v in values:
                cells.append('<div class="ruang"></div>' if v == "" else f"<div>{e(v)}</div>")
            parts.append(f'<th>{e(label)}</th><td class="ttd">{"".join(cells)}</td>')
        else:
            value = "<br>".join(e(v) for v in values)
            if label == "Nama SOP":
                value = f"<b>{value}</b>"
            parts.append(f"<th>{e(label)}</th><td>{value}</td>")
        parts.append("</tr>")
    parts.append("</table>")
    parts.append('<table class="identitas" style="margin-top:-1px">')
    for left, right in grid_sections(sop):
        parts.append(f"<tr><th>{e(left[0])}</th><th>{e(right[0])}</th></tr><tr>")
        for _title, items in (left, right):
            if len(items) > 1:
                body = "<ol>" + "".join(f"<li>{e(t)}</li>" for t in items) + "</ol>"
            else:
                body = "".join(e(t) for t in items)
            parts.append(f'<td style="width:50%">{body}</td>')
        parts.append("</tr>")
    parts.append("</table></section>")
    for page in pages[1:]:
        svg = render_pages([page], "svg")
        parts.append(f'<section class="page alur" id="halaman-{page.number}">')
        parts.append(_inline_svg(svg))
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def _docx(sop: Sop, pages: tuple[Page, ...]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paper_w, paper_h = pages[0].width, pages[0].height
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Pt(paper_w), Pt(paper_h)
    margin = Pt(28)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)

    rows = identity_rows(sop)
    table = doc.add_table(rows=len(rows), cols=3)
    table.style = "Table Grid"
    agency = table.cell(0, 0).merge(table.cell(len(rows) - 1, 0))
    agency.text = ""
    para = agency.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run("\n".join(t.upper() for t in agency_lines_of(sop)))
    run.bold = True
    for i, (label, values) in enumerate(rows):
        table.cell(i, 1).text = label
        cell = table.cell(i, 2)
        cell.text = ""
        p = cell.paragraphs[0]
        if label == "Disahkan oleh":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            text = "\n".join(v if v else "\n\n\n" for v in values)
        else:
            text = "\n".join(values)
        r = p.add_run(text)
        r.bold = label == "Nama SOP"
    grid = doc.add_table(rows=6, cols=2)
    grid.style = "Table Grid"
    for i, (left, right) in enumerate(grid_sections(sop)):
        for j, (title, items) in enumerate((left, right)):
            head = grid.cell(2 * i, j)
            head.text = ""
            head.paragraphs[0].add_run(title).bold = True
            grid.cell(2 * i + 1, j).text = "\n".join(numbered(items))

    for page in pages[1:]:
        png = render_pages([page], "png", dpi=DOCX_DPI)
        new = doc.add_section()
        new.orientation = WD_ORIENT.LANDSCAPE
        new.page_width, new.page_height = Pt(paper_w), Pt(paper_h)
        new.left_margin = new.right_margin = Pt(14)
        new.top_margin = new.bottom_margin = Pt(14)
        scale = min((paper_w - 28) / paper_w, (paper_h - 40) / paper_h)
        doc.add_picture(io.BytesIO(png), width=Pt(paper_w * scale))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["FORMATS", "document_pages", "render_document", "render_pages_svg"]
