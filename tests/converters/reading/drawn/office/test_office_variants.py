"""How other agencies' Word and Excel files differ (session 8 forms of
:mod:`tests.support.office_forms`): the markup each form claims to write, and the reader rules
that read them (layout frames opened, nested role names, a header typed again after a page
break, values merged down two rows). Every form read exactly: test_office_fidelity.py."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from converters.reading.drawn.office.docx_shapes import read_docx_picture
from converters.reading.drawn.office.xlsx_shapes import _repeated_header_rows
from converters.reading.readers.docx_reader import body_blocks, docx_to_text
from tests.support.office_fixtures import layout
from tests.support.office_forms import (
    Pick,
    WordPage,
    _identity,
    docx_libreoffice,
    docx_merged,
    docx_nested,
    docx_package,
    docx_split_tables,
    docx_text_over,
    docx_wps,
    read_office,
    word_table,
    xlsx_merged,
    xlsx_repeat,
)
from tests.support.sop_generator import generate

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SEED = 1100  # a SOP with three decisions


def _document(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def _body(xml: str) -> etree._Element:
    root = etree.fromstring(
        f'<w:document xmlns:w="{W}"><w:body>{xml}</w:body></w:document>'.encode()
    )
    body = root.find(f"{{{W}}}body")
    assert body is not None
    return body


def _cell(inner: str) -> str:
    return f"<w:tc>{inner}<w:p/></w:tc>"


def test_a_one_column_frame_is_opened_and_a_data_table_is_not() -> None:
    inner = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Nama SOP</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    frame = f"<w:tbl><w:tr>{_cell('<w:p/>' + inner)}</w:tr></w:tbl>"
    tags = [etree.QName(e).localname for e in body_blocks(_body(frame))]
    assert tags == ["p", "tbl", "p"]  # the frame's cell content, the closing paragraph
    # two columns, the nested table no SOP table: a data table with a table in a cell stays
    data = f"<w:tbl><w:tr>{_cell(inner)}{_cell('')}</w:tr></w:tbl>"
    assert [etree.QName(e).localname for e in body_blocks(_body(data))] == ["tbl"]
    # two columns around the SOP table (a logo column beside it): opened
    sop = inner.replace("Nama SOP", "No Kegiatan Pelaksana")
    beside = f"<w:tbl><w:tr>{_cell('')}{_cell(sop)}</w:tr></w:tbl>"
    assert "tbl" in [etree.QName(e).localname for e in body_blocks(_body(beside))]
    # the empty cell's paragraph, the SOP table, the paragraph closing its cell
    assert len(body_blocks(_body(beside))) == 3


def test_role_names_in_nested_header_tables_reach_the_text() -> None:
    sop = generate(SEED).sop
    lay = layout(sop)
    body = _identity(sop) + "<w:p/>" + word_table(lay, "atLeast", {}, role_tables=True)
    text = docx_to_text(docx_package(body, _page()))
    role_line = next(line for line in text.splitlines() if "Kelengkapan" in line)
    assert all(role in role_line.split("\t") for role in sop.roles)


def _page() -> WordPage:
    return WordPage(842.0, 595.0)


def test_the_whole_sop_inside_a_frame_reads_like_the_bare_one() -> None:
    g = generate(SEED)
    data = docx_nested(layout(g.sop), Pick("one cell"))
    assert _document(data).startswith("<?xml") and "<w:tbl>" in _document(data)
    read, error, crash = read_office(data, "sop.docx")
    assert read is not None, (error, crash)
    assert [s["activity"] for s in read["steps"]] == [s.activity for s in g.sop.steps]


def test_the_forms_write_the_markup_they_claim() -> None:
    lay = layout(generate(SEED).sop)
    merged = _document(docx_merged(lay, Pick("exact")))
    decisions = sum(1 for s in lay.sop.steps if s.decision is not None)
    # header: No, Kegiatan, Keterangan restart once; each decision: 6 cells restart
    assert merged.count('<w:vMerge w:val="restart"/>') == 3 + 6 * decisions
    plain = _document(docx_split_tables(lay, Pick("plain")))
    assert plain.count("<w:tbl>") >= 3 and plain.count("<w:tblHeader/>") == 2
    over = _document(docx_text_over(lay, Pick("connector", "exact", below=0.5)))
    assert 'txBox="1"' in over and 'rot="' in over
    wps = _document(docx_wps(lay, Pick("connector")))
    assert "<wp:align>center</wp:align>" in wps and "mc:AlternateContent" not in wps
    group = _document(docx_libreoffice(lay, Pick("connector", below=0.3)))
    assert "<mc:Fallback><w:pict>" in group and "<wpg:wgp>" in group
    cells = _document(docx_libreoffice(lay, Pick("connector")))
    assert '<wp:positionH relativeFrom="character">' in cells and "<wpg:wgp>" not in cells
    sheet = zipfile.ZipFile(io.BytesIO(xlsx_repeat(lay, Pick("twoCellAnchor"))))
    xml = sheet.read("xl/worksheets/sheet1.xml").decode()
    assert "<rowBreaks" in xml
    assert "flowChartOffpageConnector" in sheet.read("xl/drawings/drawing1.xml").decode()
    merged_xlsx = zipfile.ZipFile(io.BytesIO(xlsx_merged(lay, Pick("twoCellAnchor"))))
    ranges = merged_xlsx.read("xl/worksheets/sheet1.xml").decode().count("<mergeCell ")
    assert ranges == 5 + 6 * decisions  # the header's five, six a decision


def test_a_header_typed_again_below_is_known_by_its_words() -> None:
    values = [
        ["PEMDA"],
        ["No", "Kegiatan", "Pelaksana", ""],
        ["", "", "Staf", "Kabid"],
        ["1", "Menerima", "", ""],
        ["", "", "", ""],
        ["No", "Kegiatan", "Pelaksana", ""],
        ["", "", "Staf", "Kabid"],
        ["2", "Memeriksa", "", ""],
    ]
    assert _repeated_header_rows(values, 2) == {6, 7}
    assert _repeated_header_rows(values, 9) == set()


def test_a_symbol_in_a_merged_step_sizes_its_band_not_its_first_row() -> None:
    # rows "at least" half a step each: the diamond (taller than half) fits the two rows the
    # decision's No/Kegiatan cells are merged over, so neither grows and the band keeps the
    # step's height; growing the first row to hold it would push every later step down
    sop = generate(SEED).sop
    lay = layout(sop)
    picture = read_docx_picture(docx_merged(lay, Pick("atLeast")))
    page = picture.pages[0]
    first = next(i for i, s in enumerate(sop.steps) if s.decision is not None)
    activity = next(t for t in page.texts if t.text == sop.steps[first].activity)
    cell = next(b for b in page.cells if b.x0 <= activity.box.cx <= b.x1
                and b.top <= activity.box.cy <= b.bottom)  # fmt: skip
    assert abs(cell.height - lay.heights[2 + first]) < 1.0
