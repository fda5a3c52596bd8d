"""Word and Excel files whose flowchart is a pasted picture (a screenshot, an exported PNG or
JPEG, a scanned page): read from the picture's pixels by the scan extractor.

The pictures are Alur's own SOP document rendered to PNG (:func:`tests.support.office_forms.
page_shots`), so the truth is known; OCR costs seconds a page, so one short SOP is read here
and the bench (``bench/office_fidelity.py``, forms "docx picture" and "xlsx picture") reads
the rest.
"""

from __future__ import annotations

import pytest

from converters.model import ConversionError
from converters.reading.drawn.office.package import Package
from converters.reading.drawn.office.pictures import (
    VECTOR_MESSAGE,
    _vml_size,
    docx_pictures,
    xlsx_pictures,
)
from converters.reading.sop_file import read_sop
from tests.support.office_fixtures import layout
from tests.support.office_forms import (
    Pick,
    WordPage,
    _identity,
    docx_package,
    docx_picture,
    picture_run,
    word_table,
    xlsx_picture,
)
from tests.support.sop_generator import generate

SHORT = 1101
"""A generated SOP of four steps: one flowchart page."""

PAGE = WordPage(842.0, 595.0, 28.0, 28.0)


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def test_a_pasted_flowchart_picture_in_word_is_read_from_its_pixels() -> None:
    """An exported PNG shown inline under a typed identity block: every step comes back
    with the role its symbol's column names, and the identity from the Word text."""
    g = generate(SHORT)
    data = docx_picture(layout(g.sop), Pick("export", 200, None, "inline", "text"))
    sop = read_sop(data, "sop.docx")
    assert sop.source_format == "scan"
    assert [s.number for s in sop.steps] == [s.number for s in g.sop.steps]
    assert [s.role for s in sop.steps] == [s.role for s in g.sop.steps]
    assert sop.identity.name == g.sop.identity.name


def test_a_flowchart_picture_in_an_excel_sheet_is_read() -> None:
    g = generate(SHORT)
    data = xlsx_picture(layout(g.sop), Pick("export", 200, None, "oneCellAnchor", "cells"))
    sop = read_sop(data, "sop.xlsx")
    assert [s.number for s in sop.steps] == [s.number for s in g.sop.steps]
    assert [s.role for s in sop.steps] == [s.role for s in g.sop.steps]


@pytest.mark.parametrize("holder", ["inline", "anchor", "vml"])
def test_pictures_are_found_in_document_order_with_the_size_they_show_at(holder: str) -> None:
    runs = "".join(
        f"<w:p>{picture_run(f'rIdImg{i}', 300.0 + i, 200.0, i, holder)}</w:p>" for i in (1, 2)
    )
    data = docx_package(runs, PAGE, {"rIdImg1": _png(30, 20), "rIdImg2": _png(30, 20)})
    found = docx_pictures(Package(data, "DOCX"))
    assert [e.part for e in found] == ["word/media/img1.png", "word/media/img2.png"]
    assert [round(e.width) for e in found] == [301, 302]
    assert [round(e.height) for e in found] == [200, 200]


def test_excel_pictures_are_found_sheet_by_sheet_top_to_bottom() -> None:
    g = generate(SHORT)
    data = xlsx_picture(layout(g.sop), Pick("export", 200, None, "twoCellAnchor", "picture"))
    found = xlsx_pictures(Package(data, "XLSX"))
    assert len(found) == 2  # the identity page, then the flowchart page
    assert all(e.part.startswith("xl/media/") and e.width > 200 for e in found)


def test_vml_sizes_in_any_unit() -> None:
    assert _vml_size("width:3in;height:144pt") == (216.0, 144.0)
    assert _vml_size("position:absolute;width:400px;height:100") == (300.0, 100.0)


def test_an_emf_flowchart_gives_a_clear_message() -> None:
    """EMF/WMF is not read: a file whose only flowchart is one says so, instead of "not an
    SOP"."""
    emf = b"\x01\x00\x00\x00" + b"\x00" * 200
    run = picture_run("rIdImg1", 700, 400, 1, "inline")
    body = _identity(generate(SHORT).sop) + f"<w:p>{run}</w:p>"
    data = docx_package(body, PAGE, {"rIdImg1": emf})
    with pytest.raises(ConversionError) as err:
        read_sop(data, "sop.docx")
    assert str(err.value) == VECTOR_MESSAGE


def test_a_small_picture_is_no_flowchart() -> None:
    """A letterhead logo in a file without an SOP table: the text readers' message stays."""
    run = picture_run("rIdImg1", 60, 40, 1, "inline")
    body = _identity(generate(SHORT).sop) + f"<w:p>{run}</w:p>"
    data = docx_package(body, PAGE, {"rIdImg1": _png(120, 80)})
    with pytest.raises(ConversionError) as err:
        read_sop(data, "sop.docx")
    assert "EMF" not in str(err.value)
    assert "not an SOP" in str(err.value)


def test_a_typed_table_beside_a_large_picture_is_read_as_text() -> None:
    """A picture (a photo of the signed page, a chart) in a file whose SOP table is typed:
    the table is the SOP, no OCR runs."""
    g = generate(SHORT)
    body = (_identity(g.sop) + word_table(layout(g.sop), "atLeast", {})
            + f"<w:p>{picture_run('rIdImg1', 700, 400, 1, 'inline')}</w:p>")  # fmt: skip
    data = docx_package(body, PAGE, {"rIdImg1": _png(1400, 800)})
    sop = read_sop(data, "sop.docx")
    assert sop.source_format == "docx"
    assert [s.number for s in sop.steps] == [s.number for s in g.sop.steps]
