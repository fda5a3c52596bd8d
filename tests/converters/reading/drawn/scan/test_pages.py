"""A scanned PDF's own pictures (no re-rendering) and step numbers kept in sequence.

The embedded route is checked against PDFs made like scanners make them (one picture a page,
from :mod:`tests.support.scan_fixtures`) and against pages it must leave to the renderer
(a /Rotate, a picture that does not fill its page). The number repairs are pure functions of
the number column read top to bottom, page after page.
"""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import pytest

from converters.reading.drawn.picture import Box, Page, TextRun
from converters.reading.drawn.scan.embedded import (
    Embedded,
    embedded_pages,
    page_dpis,
    parse_list,
    scanned_pages,
)
from converters.reading.drawn.scan.numbers import pages_in_sequence, sequence_repairs
from converters.reading.drawn.scan.raster import PdfPage, pdf_pages
from converters.reading.drawn.scan.words import ocr_cells
from tests.support.scan_fixtures import SAMPLES, as_pdf, load_sample, render_scan

LISTED = """page   num  type   width height color comp bpc  enc interp  object ID x-ppi y-ppi \
size ratio
--------------------------------------------------------------------------------------------
   1     0 image    2339  1654  rgb     3   8  jpeg   no         7  0   200   200  267K 2.4%
   2     1 image    3508  2480  rgb     3   8  jpeg   no         8  0   300   300  263K 2.3%
"""
A4_LANDSCAPE = PdfPage(842.0, 595.0)


def test_pdfimages_rows_are_parsed() -> None:
    assert parse_list(LISTED) == [Embedded(1, "image", 2339, 1654, 200.0, 200.0),
                                  Embedded(2, "image", 3508, 2480, 300.0, 300.0)]


def test_each_page_is_read_at_its_own_scan_resolution() -> None:
    dpis = page_dpis([A4_LANDSCAPE, A4_LANDSCAPE], parse_list(LISTED))
    assert dpis is not None and [round(d) for d in dpis] == [200, 300]


@pytest.mark.parametrize(("pages", "why"), [
    ([PdfPage(842.0, 595.0, 90), A4_LANDSCAPE], "a page turned by /Rotate"),
    ([PdfPage(842.0, 700.0), A4_LANDSCAPE], "a picture that does not fill its page"),
    ([A4_LANDSCAPE], "a page with two pictures"),
])
def test_pages_that_are_not_one_upright_picture_are_rendered(pages: list[PdfPage],
                                                             why: str) -> None:
    pictures = parse_list(LISTED)
    if len(pages) == 1:  # both pictures on page 1
        pictures = [Embedded(1, p.kind, p.width, p.height, 200.0, 200.0) for p in pictures]
    assert page_dpis(pages, pictures) is None, why


def test_a_mask_beside_the_picture_sends_the_page_to_the_renderer() -> None:
    pictures = [Embedded(1, "image", 2339, 1654, 200.0, 200.0),
                Embedded(1, "smask", 2339, 1654, 200.0, 200.0)]
    assert page_dpis([A4_LANDSCAPE], pictures) is None


@pytest.fixture(scope="module")
def scan300() -> bytes:
    return as_pdf(render_scan(load_sample(SAMPLES[0]), dpi=300, jpeg=80))


def test_a_scanned_pdf_gives_back_the_scanners_pixels(scan300: bytes) -> None:
    rasters = embedded_pages(scan300)
    assert rasters is not None and len(rasters) == len(pdf_pages(scan300))
    # 300 dpi as scanned, not the renderer's 200: an A4 landscape page is 3508 pixels wide
    assert [r.dpi for r in rasters] == [300.0] * len(rasters)
    assert all(abs(r.gray.shape[1] - 3508) <= 2 for r in rasters)


def test_a_pdf_drawn_with_vectors_is_rendered_instead() -> None:
    from converters.drawing.document import render_document

    pdf = render_document(load_sample(SAMPLES[0]), "pdf")
    assert embedded_pages(pdf) is None
    assert [r.dpi for r in scanned_pages(pdf)] == [200.0] * len(pdf_pages(pdf))


def test_a_rotated_scan_page_is_rendered_as_shown() -> None:
    from PIL import Image

    img = Image.new("RGB", (1654, 2339), "white")  # portrait picture on a page turned 90°
    out = io.BytesIO()
    img.save(out, format="PDF", resolution=200.0)
    pdf = out.getvalue().replace(b"/Type /Page\n", b"/Type /Page /Rotate 90\n", 1)
    if b"/Rotate 90" not in pdf:
        pdf = out.getvalue().replace(b"/Type /Page", b"/Rotate 90 /Type /Page", 1)
    assert pdf_pages(pdf)[0].rotation == 90
    assert embedded_pages(pdf) is None
    raster = scanned_pages(pdf)[0]
    assert raster.gray.shape[1] > raster.gray.shape[0]  # landscape, as the page shows it


# -- step numbers in sequence -----------------------------------------------------------------


@pytest.mark.parametrize(("numbers", "fixed"), [
    ([5, 6, 1, 8], {2: 7}),  # "1" for "7"
    ([15, 16, 147, None, None, 18], {2: 17}),  # "147" for "17", sub-rows before the next page's
    ([7, None, 9], {1: 8}),  # a number not seen between its neighbours
    ([7, None, 8], {}),  # an unnumbered sub-row of step 7
    ([7, None, None, 9], {}),  # which empty cell holds 8 is not known
    ([1, 2, 3], {}),
])
def test_numbers_are_put_right_from_their_neighbours(numbers: list[int | None],
                                                     fixed: dict[int, int]) -> None:
    assert sequence_repairs(numbers) == fixed


def _numbered_page(number: int, texts: list[str]) -> Page:
    """A table page: a narrow number column beside a wide activity column, one row a text."""
    cells, runs = [], []
    for i, text in enumerate(texts):
        top = 50.0 + 40 * i
        cells += [Box(20, top, 45, top + 40), Box(45, top, 800, top + 40)]
        if text:
            runs.append(TextRun(text, Box(28, top + 5, 38, top + 15)))
    return Page(number, 842, 595, tuple(cells), tuple(runs))


def test_a_number_misread_at_a_page_break_is_put_right_from_the_next_page() -> None:
    pages = [_numbered_page(1, ["15", "16", "147", ""]), _numbered_page(2, ["", "18", "19"])]
    fixed = pages_in_sequence(pages)
    assert [t.text for t in fixed[0].texts] == ["15", "16", "17"]
    assert fixed[1] == pages[1]


NUMBER_CELLS = Path(__file__).parent / "data" / "number_cells.png"
"""The number column of a 25-step fixture's first flowchart page (200 dpi, JPEG 50, turned
0.8° and straightened) as :func:`ocr_cells` stacked it: twelve crops, digits 1–9 in much
paper with the all but white (grey 246–249) remains of the rules at the edges."""


def test_a_lone_digit_beside_paper_noise_is_read() -> None:
    # on the raw sheet Tesseract's own threshold turns that faint grey into ink, groups it
    # with the last digit's line and drops the "9"
    sheet = cv2.imread(str(NUMBER_CELLS), cv2.IMREAD_GRAYSCALE)
    whole = [(0, 0, sheet.shape[1], sheet.shape[0])]
    got = ocr_cells(sheet, whole, 200.0, whitelist="0123456789.")
    assert [w.text for w in sorted(got, key=lambda w: w.top)] == [str(i) for i in range(1, 10)]
