"""A scanned PDF's own pictures: the scanner's pixels taken out of the file, not re-rendered.

A scanner (or "print to PDF" of scanned images) writes each page as one picture that fills
the page. Rendering that page with ``pdftoppm`` at a fixed resolution resamples the picture:
a 300-dpi scan read at 200 dpi loses the thin strokes (arrow shafts broken by their labels,
the ``1`` of a step number), a 154-dpi scan is blown up, and the rendering itself costs more
than a second a page. ``pdfimages`` copies the picture out as it is stored (a JPEG stays the
same JPEG) in milliseconds, at the resolution it was scanned at.

Only pages that are plainly "one upright picture covering the page" are taken this way: no
/Rotate, exactly one picture on the page and no mask, its size at its stated resolution the
page's size. Anything else (a rotated page, a picture placed turned, several pictures, vector
drawing on top) is rendered by :func:`.raster.rasterise_pdf` as before, so what the page
*shows* is what is read.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2

from converters.model import ConversionError
from converters.reading.drawn.scan.raster import (
    LOW_DPI,
    MAX_PIXELS,
    PDF_DPI,
    POPPLER_TIMEOUT,
    PdfPage,
    Raster,
    enlarged,
    load_image,
    pdf_pages,
    rasterise_pdf,
)

MAX_DPI = 400
"""Pictures scanned finer than this are reduced to it: more pixels only cost OCR time."""

FIT = 0.03
"""Share by which a picture's size (at its stated resolution) may differ from its page's and
still be the whole page (scanners round the paper to whole pixels, and crop a margin)."""


@dataclass(frozen=True)
class Embedded:
    """One row of ``pdfimages -list``: a picture on a page, its pixels and resolution."""

    page: int
    kind: str  # "image", or "smask"/"mask"/"stencil" for transparency
    width: int
    height: int
    x_ppi: float
    y_ppi: float


def parse_list(text: str) -> list[Embedded]:
    """The rows of ``pdfimages -list`` (two header lines, then one picture a line)."""
    out = []
    for line in text.splitlines()[2:]:
        cols = line.split()
        if len(cols) < 14:
            continue
        try:
            out.append(Embedded(int(cols[0]), cols[2], int(cols[3]), int(cols[4]),
                                float(cols[12]), float(cols[13])))
        except ValueError:
            continue
    return out


def _run(args: list[str]) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(args, capture_output=True, timeout=POPPLER_TIMEOUT, check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None  # the rendering path reports what is wrong with the file


def page_dpis(pages: list[PdfPage], pictures: list[Embedded]) -> list[float] | None:
    """Each page's scan resolution when every page is one upright picture filling it, else
    ``None`` (see the module doc)."""
    dpis: list[float] = []
    for number, page in enumerate(pages, start=1):
        width, height = page.width, page.height
        mine = [p for p in pictures if p.page == number]
        if page.rotation or len(mine) != 1 or mine[0].kind != "image":
            return None
        pic = mine[0]
        if pic.x_ppi <= 0 or abs(pic.x_ppi - pic.y_ppi) > FIT * pic.x_ppi:
            return None
        if pic.width * pic.height > MAX_PIXELS:
            return None  # rendering refuses or reduces it with its own checks
        w_pt, h_pt = 72.0 * pic.width / pic.x_ppi, 72.0 * pic.height / pic.y_ppi
        if abs(w_pt - width) > FIT * width or abs(h_pt - height) > FIT * height:
            return None
        dpis.append(pic.width * 72.0 / width)  # the page's own scale, from whole pixels
    return dpis


def _listed_dpis(pages: list[PdfPage], src: Path) -> list[float] | None:
    """:func:`page_dpis` of the PDF file ``src`` as ``pdfimages -list`` lists its pictures."""
    listed = _run(["pdfimages", "-list", str(src)])
    if listed is None or listed.returncode != 0:
        return None
    return page_dpis(pages, parse_list(listed.stdout.decode("utf-8", "replace")))


def made_of_page_pictures(data: bytes) -> bool:
    """Whether every page is one upright picture filling it: a scan, even when the scanner
    (or an OCR program run on the scan) added an invisible text layer over the pictures."""
    try:
        pages = pdf_pages(data)
    except ConversionError:
        return False
    with tempfile.TemporaryDirectory(prefix="alur-scan-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        return _listed_dpis(pages, src) is not None


def embedded_pages(data: bytes) -> list[Raster] | None:
    """The pages' own pictures as grey rasters at their scan resolution (kept between
    :data:`.raster.PDF_DPI` and :data:`MAX_DPI`; a scan coarser than :data:`.raster.LOW_DPI`
    enlarged to :data:`.raster.LOW_DPI_TARGET`), or ``None`` when some page is not one
    upright picture filling it. Page count and size limits are checked first."""
    pages = pdf_pages(data)
    with tempfile.TemporaryDirectory(prefix="alur-scan-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        dpis = _listed_dpis(pages, src)
        if dpis is None:
            return None
        # JPEG pictures copied as they are; anything else (Flate, CCITT, JBIG2) as PNG
        done = _run(["pdfimages", "-j", "-png", "-p", str(src), str(Path(tmp) / "i")])
        files = sorted(Path(tmp).glob("i-*"))
        if done is None or done.returncode != 0 or len(files) != len(pages):
            return None
        out = []
        for f, dpi, page in zip(files, dpis, pages, strict=True):
            # decoded as an uploaded image is: its own header's size checked first (the
            # picture's stream may state other dimensions than the PDF's dictionary does)
            frames = load_image(f.read_bytes())
            if len(frames) != 1:
                return None
            gray = frames[0].gray
            if abs(gray.shape[1] * 72.0 / page.width - dpi) > FIT * dpi:
                return None  # not the picture that was listed
            if dpi < LOW_DPI - 1:
                out.append(enlarged(Raster(gray, dpi)))
                continue
            target = min(max(dpi, float(PDF_DPI)), float(MAX_DPI))
            if abs(target - dpi) > 1.0:
                gray = cv2.resize(gray, None, fx=target / dpi, fy=target / dpi,
                                  interpolation=cv2.INTER_AREA if target < dpi
                                  else cv2.INTER_CUBIC)
            out.append(Raster(gray, target))
    return out


def scanned_pages(data: bytes) -> list[Raster]:
    """A scanned PDF's pages as rasters: its own pictures when it is made of page pictures,
    else rendered at :data:`.raster.PDF_DPI`."""
    pages = embedded_pages(data)
    return pages if pages is not None else rasterise_pdf(data)


__all__ = ["MAX_DPI", "Embedded", "embedded_pages", "made_of_page_pictures", "page_dpis",
           "parse_list", "scanned_pages"]
