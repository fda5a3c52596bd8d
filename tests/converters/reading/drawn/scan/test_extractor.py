"""The scan extractor against Alur's own SOP drawing, rasterised and degraded (known truth).

The default slice is geometry only (no Tesseract) on one small SOP at 200 dpi, damaged; the
full runs (marker ``bench``: ``--bench`` or ``ALUR_BENCH=1``, and ``bench/scan_reading.py``)
add OCR, 150/300 dpi, the other samples, the PDF route and the real scans when present.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from converters.model import ConversionError
from converters.reading.drawn.picture import Picture, ShapeKind
from converters.reading.drawn.scan.extractor import extract_image, extract_pdf, extract_rasters
from converters.reading.drawn.scan.raster import MAX_PIXELS, load_image
from converters.reading.drawn.scan.words import parse_tsv
from tests.support.scan_fixtures import (
    SAMPLES,
    ScanFixture,
    as_pdf,
    load_sample,
    render_scan,
    score,
)

SCANS = Path("/work/shared/sop-corpus/scans")


def _geometry(fx: ScanFixture) -> Picture:
    return extract_rasters([r for img in fx.images for r in load_image(img)], ocr=False)


@pytest.fixture(scope="module")
def iku():
    return load_sample(SAMPLES[0])


@pytest.mark.parametrize(
    ("dpi", "damage"),
    [
        (200, {"rotate": 1.5, "jpeg": 45, "stamp": True}),
        pytest.param(200, {}, marks=pytest.mark.bench),
        pytest.param(150, {"rotate": -0.7}, marks=pytest.mark.bench),
        pytest.param(300, {"rotate": 2.0, "jpeg": 40, "stamp": True}, marks=pytest.mark.bench),
    ],
)
def test_every_symbol_in_its_row_and_role_cell(iku, dpi: int, damage: dict) -> None:
    fx = render_scan(iku, dpi=dpi, flow_only=True, **damage)
    picture = _geometry(fx)
    sc = score(fx, list(picture.pages))
    assert sc.symbols_right == sc.symbols, sc
    assert sc.decisions == 2 and sc.decisions_right == 2
    # every arrow with its head; a stray headless fragment may come with damage
    assert sc.arrows_with_head == sc.arrows and sc.arrows_found <= sc.arrows + 2, sc
    assert picture.extractor == "scan"


def test_arrows_run_from_symbol_to_symbol_and_heads_are_ends(iku) -> None:
    fx = render_scan(iku, dpi=200, flow_only=True, rotate=1.0)
    page = _geometry(fx).pages[0]
    symbols = [s for s in page.shapes if s.kind is not ShapeKind.ARROW]
    for arrow in (s for s in page.shapes if s.kind is ShapeKind.ARROW):
        assert arrow.head == arrow.path[-1]
        # both ends touch a symbol (within an arrowhead's length)
        for x, y in (arrow.path[0], arrow.path[-1]):
            assert any(s.box.contains(x, y, slack=8) for s in symbols), arrow


@pytest.mark.bench
def test_cells_hold_the_role_header_and_rows(iku) -> None:
    fx = render_scan(iku, dpi=200, flow_only=True)
    page = _geometry(fx).pages[0]
    for t in fx.truth[0].symbols:
        x0, y0, x1, y1 = t.cell
        assert any(
            abs(c.x0 - x0) < 2
            and abs(c.top - y0) < 2
            and abs(c.x1 - x1) < 2
            and abs(c.bottom - y1) < 2
            for c in page.cells
        ), t
    # points, not pixels: an A4 landscape page
    assert abs(page.width - 841.9) < 2 and abs(page.height - 595.3) < 2


def test_decompression_bomb_is_refused_before_decoding() -> None:
    side = int(MAX_PIXELS**0.5) + 100
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n"
    for kind, body in ((b"IHDR", ihdr), (b"IDAT", zlib.compress(b"\x00" * 64)), (b"IEND", b"")):
        png += (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )
    with pytest.raises(ConversionError, match="terlalu besar"):
        extract_image(png)


def test_garbage_is_one_clear_error() -> None:
    with pytest.raises(ConversionError):
        extract_image(b"not an image at all")
    with pytest.raises(ConversionError):
        extract_pdf(b"%PDF-1.4 broken")


def test_tesseract_tsv_words_keep_boxes_and_drop_noise() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t91.5\tKasubbag\n"
        "5\t1\t1\t1\t1\t2\t45\t20\t5\t12\t3.0\t|\n"
        "4\t1\t1\t1\t1\t0\t10\t20\t40\t12\t-1\t\n"
    )
    words = parse_tsv(tsv)
    assert [(w.text, w.x0, w.top, w.x1, w.bottom) for w in words] == [("Kasubbag", 10, 20, 40, 32)]


# -- bench: OCR, other samples, PDFs, real scans -----------------------------------------------


@pytest.mark.bench
@pytest.mark.parametrize("dpi", [200, 300])
def test_words_are_read_inside_their_cells(iku, dpi: int) -> None:
    fx = render_scan(iku, dpi=dpi, flow_only=True, jpeg=60, stamp=True)
    picture = extract_image(fx.images[0])
    text = " ".join(t.text for t in picture.pages[0].texts)
    for role in iku.roles:
        for word in role.split():
            assert word in text, word
    assert "Menyampaikan" in text and "setuju" in text


@pytest.mark.bench
@pytest.mark.parametrize("sample", SAMPLES[1:], ids=lambda p: p.stem)
def test_other_samples_all_pages(sample: Path) -> None:
    sop = load_sample(sample)
    fx = render_scan(sop, dpi=200, flow_only=True, rotate=0.8, jpeg=60)
    sc = score(fx, list(_geometry(fx).pages))
    assert sc.symbols_right / sc.symbols >= 0.95, sc
    assert sc.decisions_right == sc.decisions, sc


@pytest.mark.bench
def test_scanned_pdf_identity_page_is_header_text(iku) -> None:
    fx = render_scan(iku, dpi=200)
    picture = extract_pdf(as_pdf(fx))
    assert len(picture.pages) == len(fx.images)
    assert "Singkawang" in picture.header_text or "SINGKAWANG" in picture.header_text.upper()
    flow = [p for p in picture.pages if any(s.kind is ShapeKind.DECISION for s in p.shapes)]
    assert flow


@pytest.mark.bench
@pytest.mark.skipif(not SCANS.is_dir(), reason="real scans (sop-corpus/scans) absent")
@pytest.mark.parametrize("n", range(1, 9))
def test_real_scans_give_a_table_with_symbols(n: int) -> None:
    path = SCANS / f"S0{n}_satpolpp-kalbar.pdf"
    if not path.exists():
        pytest.skip("absent")
    picture = extract_pdf(path.read_bytes())
    flow = [
        p for p in picture.pages if p.cells and any(s.kind is not ShapeKind.ARROW for s in p.shapes)
    ]
    assert flow, [len(p.cells) for p in picture.pages]
    assert picture.header_text
