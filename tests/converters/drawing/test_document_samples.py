"""Every sample SOP renders to every document format, with the right structure.

The structure is read from the SVG (rows, role columns, symbols in their role's column,
the arrows' count), not from pixels; the other formats are checked for what makes them
usable: PDF pages landscape with embedded fonts, PNG and DOCX real files, HTML self-contained.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from converters.drawing.document import render_document
from converters.drawing.sop_table import symbol_kind
from converters.reading.sop_file import read_sop
from tests.converters.drawing.test_document_svg_inspect import Drawing

ROOT = Path(__file__).resolve().parent.parent.parent.parent
SAMPLES = sorted((ROOT / "examples").glob("*.txt"))


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def sample(request: pytest.FixtureRequest):
    return read_sop(request.param)


def test_svg_has_one_row_per_step_and_each_symbol_in_its_role_column(sample) -> None:
    drawing = Drawing(render_document(sample, "svg"))
    for step in sample.steps:
        row = drawing.boxes[f"row-{step.number}"]
        symbol = drawing.boxes[f"step-{step.number}"]
        assert f"symbol-{symbol_kind(sample, step)}" in symbol.classes
        column = drawing.boxes[f"col-{sample.roles.index(step.role)}"]
        assert column.x0 < symbol.cx < column.x1, step.number
        assert row.y0 < symbol.cy < row.y1, step.number
    decisions = [s for s in sample.steps if s.decision]
    assert len(drawing.with_class("symbol-decision")) == len(decisions)


@pytest.mark.parametrize("fmt", ["pdf", "png", "docx", "html"])
def test_every_format_is_a_real_file(sample, fmt: str) -> None:
    data = render_document(sample, fmt)
    if fmt == "pdf":
        pages = PdfReader(io.BytesIO(data)).pages
        assert len(pages) >= 2
        assert all(p.mediabox.width > p.mediabox.height for p in pages)
        fonts = pages[1]["/Resources"]["/Font"]
        assert fonts, "the flowchart page has fonts"
    elif fmt == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    elif fmt == "docx":
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "word/document.xml" in names
        assert any(n.startswith("word/media/") for n in names)
    else:
        html = data.decode("utf-8")
        assert "<script" not in html and "http://" not in html.replace(
            "http://www.w3.org", ""
        )
        assert sample.steps[0].activity.split()[0] in html
