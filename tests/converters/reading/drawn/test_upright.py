"""A PDF whose pages show sideways or upside down is read as a person turns it to read it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter, Transformation
from pypdf.generic import RectangleObject

from converters.model import ConversionError
from converters.reading.drawn.pdf.upright import text_direction, upright_pdf
from converters.reading.sop_file import read_sop
from tests.support.drawn_fixtures import case

CASE = "hand:a4-kegiatan:persetujuan"


@pytest.fixture(scope="module")
def upright() -> bytes:
    return case(CASE).pdf()


def _shown_turned(pdf: bytes, degrees: int) -> bytes:
    """The pages given ``/Rotate``: a viewer's "rotate and save"."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for page in writer.pages:
        page.rotate(degrees)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _drawn_turned(pdf: bytes) -> bytes:
    """The landscape table drawn turned on a portrait page, no ``/Rotate`` (a print driver)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        page.add_transformation(Transformation().rotate(90).translate(h, 0))
        page.mediabox = RectangleObject((0, 0, h, w))
        page.cropbox = RectangleObject((0, 0, h, w))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_page_shown_turned_reads_as_the_upright_one(upright: bytes, degrees: int) -> None:
    want = read_sop(upright, "sop.pdf")
    got = read_sop(_shown_turned(upright, degrees), "sop.pdf")
    assert got.source_format == want.source_format == "pdf-vector"
    assert [(s.number, s.role, s.activity) for s in got.steps] == [
        (s.number, s.role, s.activity) for s in want.steps
    ]
    assert [s.decision for s in got.steps] == [s.decision for s in want.steps]


def test_a_table_drawn_turned_on_its_page_reads_too(upright: bytes) -> None:
    want = read_sop(upright, "sop.pdf")
    got = read_sop(_drawn_turned(upright), "sop.pdf")
    assert [(s.number, s.role) for s in got.steps] == [(s.number, s.role) for s in want.steps]


def test_the_text_direction_is_the_way_most_characters_run() -> None:
    def chars(matrix: tuple[float, ...], n: int) -> list[dict[str, object]]:
        return [{"matrix": matrix} for _ in range(n)]

    assert text_direction(chars((1, 0, 0, 1, 0, 0), 50)) == 0
    assert text_direction(chars((0, 1, -1, 0, 0, 0), 50)) == 90
    assert text_direction(chars((-1, 0, 0, -1, 0, 0), 50)) == 180
    assert text_direction(chars((0, -1, 1, 0, 0, 0), 50)) == 270
    # a few vertical labels in an upright table do not turn the page
    mixed = chars((1, 0, 0, 1, 0, 0), 40) + chars((0, 1, -1, 0, 0, 0), 20)
    assert text_direction(mixed) == 0
    assert text_direction(chars((0, 1, -1, 0, 0, 0), 5)) == 0  # too few to say


def test_an_upright_or_unreadable_pdf_is_left_alone(upright: bytes) -> None:
    assert upright_pdf(upright) is None
    assert upright_pdf(b"%PDF-1.4 not really a pdf") is None
    with pytest.raises(ConversionError):
        read_sop(b"%PDF-1.4 not really a pdf", "broken.pdf")
