"""The official SOP AP document: structure checked from the SVG, plus every output format."""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
from pathlib import Path

import pytest
import yaml

from converters.drawing.document import document_pages, render_document, render_pages_svg
from converters.drawing.paper import PAPERS
from converters.drawing.sop_table import layout_table, symbol_kind
from converters.drawing.text_metrics import fit_lines, line_height, text_width, wrap
from converters.model import ConversionError, Sop
from tests.converters.drawing.test_document_svg_inspect import Drawing, near_box, segment_hits_box

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "sops"


def _load(name: str) -> Sop:
    return Sop.from_dict(yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def sop25() -> Sop:
    return _load("f-25-steps.yaml")


@pytest.fixture(scope="module")
def iku() -> Sop:
    return _load("f-singkawang-iku.yaml")


@pytest.fixture(scope="module")
def svg25(sop25: Sop) -> Drawing:
    return Drawing(render_document(sop25, "svg"))


@pytest.fixture(scope="module")
def svg_iku(iku: Sop) -> Drawing:
    return Drawing(render_document(iku, "svg"))


def _page_of(d: Drawing, box) -> int:
    for page in d.with_class("page"):
        if page.y0 - 1 <= box.cy <= page.y1 + 1:
            return int(page.id.split("-")[1])
    raise AssertionError(f"{box.id} on no page")


# -- structure of the flowchart table ----------------------------------------------------------


def test_25_steps_paginate_with_identity_page_first(sop25: Sop, svg25: Drawing) -> None:
    pages = sorted(svg25.with_class("page"), key=lambda b: b.y0)
    assert len(pages) >= 3  # identity + at least two flowchart pages
    assert "page-identity" in pages[0].classes
    assert all("page-flow" in p.classes for p in pages[1:])
    layout = layout_table(sop25, "a4", first_page=2)
    assert len(layout.pages) == len(pages) - 1
    # every step once, on the page the layout put it on
    for step in sop25.steps:
        row = svg25.boxes[f"row-{step.number}"]
        assert _page_of(svg25, row) == layout.page_of_step[step.number]
        assert row.texts == (str(step.number),)


def test_one_row_per_step_in_order(sop25: Sop, svg25: Drawing) -> None:
    rows = svg25.with_class("row")
    assert len(rows) == len(sop25.steps)
    ordered = sorted(rows, key=lambda b: b.y0)
    assert [r.id for r in ordered] == [f"row-{s.number}" for s in sop25.steps]
    for a, b in itertools.pairwise(ordered):
        assert a.y1 <= b.y0 + 0.5  # rows never overlap


def test_header_repeated_with_one_column_per_role(sop25: Sop, svg25: Drawing) -> None:
    n_flow = len(svg25.with_class("page-flow"))
    for i, role in enumerate(sop25.roles):
        heads = [b for b in svg25.with_class(f"col-{i}") if "head" in b.classes]
        assert len(heads) == n_flow
        # the role name is written in its header (possibly wrapped over lines)
        assert "".join(heads[0].texts).replace(" ", "") == role.replace(" ", "")
    lefts = [svg25.boxes[f"col-{i}"].x0 for i in range(len(sop25.roles))]
    assert lefts == sorted(lefts)


def test_symbols_of_each_kind_sit_in_their_role_column_and_row(
    sop25: Sop, svg25: Drawing
) -> None:
    kinds = {"terminator": 0, "process": 0, "decision": 0}
    for step in sop25.steps:
        sym = svg25.boxes[f"step-{step.number}"]
        kind = symbol_kind(sop25, step)
        kinds[kind] += 1
        assert f"symbol-{kind}" in sym.classes
        col = sop25.roles.index(step.role)
        head = svg25.boxes[f"col-{col}"]
        assert head.x0 < sym.x0 and sym.x1 < head.x1, step.number
        assert abs(sym.cx - head.cx) < 1.0
        row = svg25.boxes[f"row-{step.number}"]
        assert row.y0 < sym.y0 and sym.y1 < row.y1
    assert kinds == {"terminator": 2, "process": 20, "decision": 3}


def _segments(points):
    # Graphviz paths: M p0 C c1 c2 p1 C ... ; our pieces are straight, so on-curve points
    # are every third point after the first
    on_curve = [points[0], *points[3::3]]
    return list(itertools.pairwise(on_curve))


def test_arrows_join_the_right_symbols_with_right_angles(sop25: Sop, svg25: Drawing) -> None:
    layout = layout_table(sop25, "a4", first_page=2)
    same_page = [f for f in layout.flows
                 if layout.page_of_step[f.source] == layout.page_of_step[f.target]]
    assert same_page
    for f in same_page:
        line = svg25.lines[f"arrow-{f.source}-{f.target}"]
        assert f"arrow-{f.kind}" in line.classes
        assert near_box(line.points[0], svg25.boxes[f"step-{f.source}"])
        assert near_box(line.tip, svg25.boxes[f"step-{f.target}"])
    for line in svg25.lines.values():
        for a, b in _segments(line.points):
            assert abs(a[0] - b[0]) < 0.05 or abs(a[1] - b[1]) < 0.05, line.id


def test_no_arrow_crosses_a_symbol(svg25: Drawing, svg_iku: Drawing) -> None:
    for d in (svg25, svg_iku):
        symbols = d.with_class("symbol") + d.with_class("offpage")
        for line in d.lines.values():
            ends = {b.id for b in symbols if near_box(line.points[0], b) or near_box(line.tip, b)}
            for a, b in _segments([*line.points, line.tip]):
                for sym in symbols:
                    if sym.id not in ends:
                        assert not segment_hits_box(a, b, sym), (line.id, sym.id)


def test_offpage_connectors_come_in_pairs_across_pages(sop25: Sop, svg25: Drawing) -> None:
    layout = layout_table(sop25, "a4", first_page=2)
    assert layout.connectors  # 25 steps do not fit one page
    outs = {b.id.split("-")[1]: b for b in svg25.with_class("offpage-out")}
    ins = {b.id.split("-")[1]: b for b in svg25.with_class("offpage-in")}
    assert set(outs) == set(ins) == set(layout.connectors)
    for label in layout.connectors:
        o, i = outs[label], ins[label]
        assert label in o.texts and label in i.texts
        assert _page_of(svg25, o) != _page_of(svg25, i)
        # the arrows on both sides of the break
        to_conn = [ln for ln in svg25.lines.values() if ln.id.endswith(f"-{label}")]
        from_conn = [ln for ln in svg25.lines.values() if ln.id.startswith(f"arrow-{label}-")]
        assert len(to_conn) == 1 and len(from_conn) == 1
        assert near_box(to_conn[0].tip, o)
        assert near_box(from_conn[0].points[0], i)
    # the flow from the last row of a page continues into the first row of the next one
    first_break = next(
        s.number for s, t in itertools.pairwise(sop25.steps)
        if layout.page_of_step[s.number] != layout.page_of_step[t.number]
    )
    assert any(ln.startswith(f"arrow-{first_break}-") for ln in svg25.lines)


def test_reject_loops_back_up_with_the_branch_labels(iku: Sop, svg_iku: Drawing) -> None:
    reject = svg_iku.lines["arrow-5-4"]
    assert "arrow-reject" in reject.classes
    assert reject.tip[1] < reject.points[0][1]  # goes up
    approve = svg_iku.lines["arrow-5-6"]
    assert "arrow-approve" in approve.classes
    for ident, label in (("arrow-5-4", "Tidak setuju"), ("arrow-5-6", "Setuju"),
                         ("arrow-6-4", "Tidak setuju"), ("arrow-6-7", "Setuju")):
        assert " ".join(svg_iku.node_texts(f"label-{ident}")) == label


def test_a_last_decision_ends_in_a_closing_terminator(iku: Sop) -> None:
    d = iku.to_dict()
    d["steps"] = d["steps"][:5]
    d["steps"][4]["decision"]["approve_to"] = "end"
    sop = Sop.from_dict(d)
    drawing = Drawing(render_document(sop, "svg"))
    end = drawing.boxes["step-end"]
    assert "symbol-terminator" in end.classes
    assert drawing.boxes["row-end"].y0 >= drawing.boxes["row-5"].y1 - 0.5
    arrow = drawing.lines["arrow-5-end"]
    assert near_box(arrow.tip, end)
    assert drawing.node_texts("label-arrow-5-end") == ("Setuju",)
    assert "Selesai" in drawing.node_texts("cell-end-activity")


def test_identity_page_holds_the_identity_and_the_grid(iku: Sop, svg_iku: Drawing) -> None:
    texts = " ".join(svg_iku.texts())
    for expected in (
        "Nomor SOP", "000.8.3.3/46/Set-B/2023", "Tanggal Pembuatan", "Januari 2023",
        "Tanggal Revisi", "Tanggal Efektif", "Disahkan oleh", "Eva Eranda, S.Kom",
        "NIP. 19710312 200502 1 001", "Nama SOP", "Dasar Hukum", "Kualifikasi Pelaksana",
        "Keterkaitan", "Peralatan/Perlengkapan", "Peringatan", "Pencatatan dan Pendataan",
        "PEMERINTAH KOTA SINGKAWANG",
    ):
        assert expected in texts, expected
    signed = svg_iku.boxes["id-value-disahkan-oleh"]
    assert signed.y1 - signed.y0 > 60  # room for the signature


# -- text fits -------------------------------------------------------------------------------


def test_every_text_fits_its_cell_on_every_page(sop25: Sop, iku: Sop) -> None:
    long = Sop.from_dict({
        **iku.to_dict(),
        "legal_basis": [f"Peraturan nomor {i} tentang hal yang sangat panjang " * 3
                        for i in range(12)],
    })
    for sop in (sop25, iku, long):
        for paper in PAPERS:
            for page in document_pages(sop, paper):
                for s in page.shapes:
                    assert s.x >= 0 and s.x + s.w <= page.width + 0.01, s.id
                    assert s.y >= 0 and s.y + s.h <= page.height + 0.01, s.id
                    if s.kind == "box" and s.lines:
                        assert len(s.lines) * line_height(s.size) + 2 * s.pad <= s.h + 0.5, s.id
                        for line in s.lines:
                            assert text_width(line, s.size, s.bold) <= s.w - 2 * s.pad + 0.5


def test_wrap_breaks_words_and_long_tokens() -> None:
    lines = wrap("Menerima konsep IKU dari masing-masing Seksi kemudian memeriksa", 80, 8)
    assert len(lines) > 1 and all(text_width(ln, 8) <= 80 for ln in lines)
    assert " ".join(lines) == "Menerima konsep IKU dari masing-masing Seksi kemudian memeriksa"
    url = wrap("https://ppid.example.go.id/layanan/informasi/permohonan", 50, 8)
    assert "".join(url) == "https://ppid.example.go.id/layanan/informasi/permohonan"
    assert all(text_width(ln, 8) <= 50 for ln in url)
    assert fit_lines(["a", "b", "c"], 2) == ["a", "b …"]


# -- formats ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf25(sop25: Sop) -> bytes:
    return render_document(sop25, "pdf")


def test_pdf_has_every_page_landscape_with_embedded_fonts(sop25: Sop, pdf25: bytes) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf25))
    assert len(reader.pages) == len(document_pages(sop25))
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 842) < 2 and abs(h - 595) < 2
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            desc = ref.get_object()["/FontDescriptor"].get_object()
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert "Kegiatan" in reader.pages[1].extract_text()


def test_f4_paper_is_larger(iku: Sop) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_document(iku, "pdf", paper="f4")))
    page = reader.pages[0]
    assert abs(float(page.mediabox.width) - 935.4) < 2
    assert abs(float(page.mediabox.height) - 609.4) < 2


def test_png_stacks_the_pages(iku: Sop) -> None:
    png = render_document(iku, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert abs(width - 842 * 150 / 72) < 20
    assert height > 2 * 595 * 150 / 72  # identity page + flowchart page


def test_docx_has_identity_table_and_page_pictures(iku: Sop) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT

    data = render_document(iku, "docx")
    doc = Document(io.BytesIO(data))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "Nomor SOP" in cells and "000.8.3.3/46/Set-B/2023" in cells
    assert any("Dasar Hukum" in c for c in cells)
    flow_pages = len(document_pages(iku)) - 1
    assert len(doc.inline_shapes) == flow_pages
    assert all(s.orientation == WD_ORIENT.LANDSCAPE for s in doc.sections)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        png = z.read(media[0])
    width_px = struct.unpack(">I", png[16:20])[0]
    assert width_px >= 842 * 150 / 72  # print resolution


def test_html_preview_is_self_contained(iku: Sop) -> None:
    page = render_document(iku, "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "src=" not in page and "<link" not in page
    assert page.count("<svg") == len(document_pages(iku)) - 1
    assert "<th>Nomor SOP</th><td>000.8.3.3/46/Set-B/2023</td>" in page


def test_svg_per_page_is_the_page_size(iku: Sop) -> None:
    pages = render_pages_svg(iku, "a4")
    assert len(pages) == 2
    for svg in pages:
        d = Drawing(svg)
        assert d.root.get("width") == "842pt" and d.root.get("height") == "595pt"
    assert b"<script" not in pages[1]


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "paper", "message"),
    [("odt", "a4", "format dokumen tidak dikenal"), ("pdf", "letter", "ukuran kertas")],
)
def test_bad_format_or_paper_is_one_clear_line(iku: Sop, fmt: str, paper: str,
                                               message: str) -> None:
    with pytest.raises(ConversionError, match=message) as info:
        render_document(iku, fmt, paper)
    assert "\n" not in str(info.value)


def test_sop_without_steps_is_refused(iku: Sop) -> None:
    empty = Sop(identity=iku.identity, roles=iku.roles, steps=())
    with pytest.raises(ConversionError, match="tidak memiliki langkah"):
        render_document(empty, "pdf")


def test_many_roles_still_fit_the_page(iku: Sop) -> None:
    roles = tuple(f"Jabatan Nomor {i}" for i in range(10))
    d = iku.to_dict()
    d["roles"] = list(roles)
    for i, s in enumerate(d["steps"]):
        s["role"] = roles[(i * 3) % 10]
    sop = Sop.from_dict(d)
    drawing = Drawing(render_document(sop, "svg"))
    page = drawing.boxes["page-2"]
    for i in range(10):
        head = drawing.boxes[f"col-{i}"]
        assert page.x0 < head.x0 and head.x1 < page.x1
    for step in sop.steps:
        sym = drawing.boxes[f"step-{step.number}"]
        head = drawing.boxes[f"col-{roles.index(step.role)}"]
        assert head.x0 < sym.x0 and sym.x1 < head.x1
