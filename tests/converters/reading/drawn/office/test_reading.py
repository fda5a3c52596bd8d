"""End to end: Word and Excel SOPs drawn from sample SOPs read back through ``read_drawn``.

The generated files carry every step's symbol in its role's column and the decisions' branches
as labelled arrows, so reading them back must give every role and every decision exactly.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from converters.model import Sop
from converters.reading.drawn.reading import read_drawn
from tests.support.office_fixtures import SAMPLES, sample, sample_file

FORMS = {"docx": "sop.docx", "docx-vml": "sop.docx", "xlsx": "sop.xlsx"}


def _flow(sop: Sop) -> list[tuple[object, ...]]:
    return [(s.number, s.role, s.other_roles,
             (s.decision.approve_to, s.decision.reject_to) if s.decision else None)
            for s in sop.steps]  # fmt: skip


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_roles_and_decisions_read_back_exactly(path: Path, form: str) -> None:
    sop = sample(path)
    got = read_drawn(sample_file(path, form), FORMS[form])
    assert got is not None
    assert got.source_format == ("xlsx-shapes" if form == "xlsx" else "docx-shapes")
    assert got.roles == sop.roles
    assert _flow(got) == _flow(sop)
    assert [s.activity for s in got.steps] == [s.activity for s in sop.steps]


def test_word_file_without_shapes_is_left_to_the_text_reader() -> None:
    document = Document()
    document.add_paragraph("SOP tanpa gambar")
    buf = io.BytesIO()
    document.save(buf)
    assert read_drawn(buf.getvalue(), "sop.docx") is None


def test_read_sop_takes_the_drawing_of_a_word_file() -> None:
    from converters.reading.sop_file import read_sop

    path = next(p for p in SAMPLES if p.name == "a1-example.yaml")
    got = read_sop(sample_file(path, "docx"), "sop.docx")
    assert got.source_format == "docx-shapes"
    assert _flow(got) == _flow(sample(path))


def test_a_lone_shape_is_no_flowchart() -> None:
    from docx.oxml import parse_xml

    document = Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = (
        "No", "Kegiatan", "Pelaksana")  # fmt: skip
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "Menerima berkas"
    run = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:drawing><wp:inline><wp:extent cx="254000" cy="254000"/><a:graphic><a:graphicData>'
        '<wps:wsp><wps:cNvSpPr/><wps:spPr><a:prstGeom prst="rect"/></wps:spPr></wps:wsp>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
    table.cell(1, 2).paragraphs[0]._p.append(parse_xml(run))
    buf = io.BytesIO()
    document.save(buf)
    assert read_drawn(buf.getvalue(), "sop.docx") is None
