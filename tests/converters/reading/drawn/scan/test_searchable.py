"""A *searchable* scan: page pictures with the invisible words of an OCR layer over them.

Scanners and office copiers OCR by default and write the words invisibly over each page
picture; `tesseract ... pdf` makes exactly such a file. It has a text layer, so the scan
extractor used to leave it to the hybrid extractor, which takes the layer's words as they are:
when that OCR lost the header ("Kegiatan"), no SOP table was found and the file was refused.
Now the scan extractor reads its pixels too and the registry keeps the better picture.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from converters.model import Sop
from converters.reading.drawn.pdf import raster as hybrid
from converters.reading.drawn.scan.embedded import made_of_page_pictures
from converters.reading.drawn.scan.extractor import extract_searchable
from converters.reading.sop_file import read_sop
from tests.support.drawn_fixtures import case
from tests.support.scan_fixtures import SAMPLES, as_pdf, load_sample, render_scan, score_sop

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdfunite") is None,
    reason="needs tesseract and poppler's pdfunite",
)


def _searchable(images: tuple[bytes, ...]) -> bytes:
    """The page images OCR'd into one PDF with an invisible text layer (as a scanner does)."""
    with tempfile.TemporaryDirectory(prefix="alur-searchable-") as tmp:
        parts = []
        for i, image in enumerate(images):
            src = Path(tmp) / f"p{i}.png"
            src.write_bytes(image)
            out = Path(tmp) / f"p{i}"
            subprocess.run(
                ["tesseract", str(src), str(out), "-l", "ind", "pdf"],
                capture_output=True,
                check=True,
                timeout=300,
            )
            parts.append(str(out) + ".pdf")
        if len(parts) == 1:
            return Path(parts[0]).read_bytes()
        joined = Path(tmp) / "all.pdf"
        subprocess.run(["pdfunite", *parts, str(joined)], check=True, timeout=60)
        return joined.read_bytes()


@pytest.fixture(scope="module")
def scanned() -> tuple[Sop, bytes]:
    sop = load_sample(SAMPLES[0])
    fixture = render_scan(sop, dpi=200, flow_only=True)
    return sop, _searchable(fixture.images)


def test_a_searchable_scan_is_told_from_a_typed_pdf(scanned: tuple[Sop, bytes]) -> None:
    _sop, pdf = scanned
    assert made_of_page_pictures(pdf)
    typed = case("hand:a4-kegiatan:persetujuan").pdf()
    assert not made_of_page_pictures(typed)
    assert extract_searchable(typed) is None  # a typed PDF stays the vector extractor's
    image_only = as_pdf(render_scan(load_sample(SAMPLES[0]), dpi=150, flow_only=True))
    assert extract_searchable(image_only) is None  # no text layer: the plain scan path's


def test_a_searchable_scan_reads_from_its_symbols(scanned: tuple[Sop, bytes]) -> None:
    sop, pdf = scanned
    assert hybrid.extract(pdf) is not None  # the layer's words were read as they are
    got = read_sop(pdf, "scan.pdf")
    assert got.source_format == "scan"
    score = score_sop(sop, got)
    assert score.roles_right == score.steps == len(got.steps) == len(sop.steps)
    assert score.decisions_right == score.decisions > 0
