"""Scanned pages as pixels: rasterising PDFs, decoding images safely, dropping stamps, deskewing.

A scan reaches us as a PDF without a text layer or as a PNG/JPEG/TIFF. Everything after this
module works on one grey page at a known resolution, already straightened, with the ink as a
binary mask; keeping the loading here means the geometry modules never see a file format.

Untrusted input: a tiny compressed file can expand into gigapixels (a decompression bomb), so
dimensions are read from the header *before* decoding, and poppler runs with a page limit and a
timeout.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from converters.model import ConversionError

MAX_PIXELS = 60_000_000
"""Largest page we decode (60 megapixels: an A3 page at 600 dpi), refusing bombs beyond it."""

MAX_PAGES = 30
"""SOP AP documents run to a few pages; a longer PDF is not an SOP scan worth minutes of OCR."""

PDF_DPI = 200
"""Rasterising resolution: Tesseract reads 8–10 pt table text well from 200 dpi up."""

POPPLER_TIMEOUT = 120

Gray = NDArray[Any]
"""A 2-D uint8 image (grey levels or a 0/255 mask); typed loosely as OpenCV returns it."""


@dataclass(frozen=True)
class Raster:
    """One page as pixels: grey levels (0 black … 255 white) and the pixels per inch."""

    gray: Gray
    dpi: float

    @property
    def scale(self) -> float:
        """Pixels per point (the unit of :mod:`converters.reading.drawn.picture`)."""
        return self.dpi / 72.0


# -- loading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfPage:
    """A PDF page as ``pdfinfo`` states it: size in points and its /Rotate (degrees)."""

    width: float
    height: float
    rotation: int = 0


def pdf_pages(data: bytes) -> list[PdfPage]:
    """Each page's size and rotation from ``pdfinfo``, so a huge PDF is refused before
    anything is decoded."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            done = subprocess.run(
                ["pdfinfo", "-f", "1", "-l", str(MAX_PAGES + 1), tmp.name],
                capture_output=True,
                timeout=30,
                check=False,
            )
        except FileNotFoundError as exc:
            raise ConversionError(
                "program pdfinfo tidak ditemukan: pasang poppler-utils (pdfinfo not found)"
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise ConversionError("PDF terlalu lama dibaca (PDF took too long to read)") from exc
    match = re.search(rb"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not match:
        raise ConversionError("berkas PDF rusak atau tidak dapat dibaca (broken or unreadable PDF)")
    pages = int(match.group(1))
    if pages == 0:
        raise ConversionError("PDF tidak berisi halaman (PDF has no pages)")
    if pages > MAX_PAGES:
        raise ConversionError(
            f"PDF terlalu panjang untuk dipindai: {pages} halaman, maks {MAX_PAGES} "
            "(too many pages)"
        )
    sizes = re.findall(rb"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", done.stdout, re.MULTILINE)
    turns = re.findall(rb"^Page\s+\d+ rot:\s+(-?\d+)", done.stdout, re.MULTILINE)
    return [PdfPage(float(w), float(h), int(turns[i]) % 360 if i < len(turns) else 0)
            for i, (w, h) in enumerate(sizes)]


def rasterise_pdf(data: bytes, dpi: int = PDF_DPI) -> list[Raster]:
    """Every page of a PDF as a grey raster, limits checked first.

    Rendered in colour, not ``-gray``: scans carry blue signatures and red stamps, which
    :func:`drop_colour` can only tell from the black ink while the colour is there.

    A page whose size would exceed :data:`MAX_PIXELS` at ``dpi`` is refused (a PDF can
    declare a page of 200 inches square in a few bytes).
    """
    for page in pdf_pages(data):
        if page.width * page.height * (dpi / 72.0) ** 2 > MAX_PIXELS:
            raise ConversionError(
                f"halaman PDF terlalu besar: {page.width:.0f}×{page.height:.0f} pt "
                "(PDF page too large)"
            )
    with tempfile.TemporaryDirectory(prefix="alur-scan-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        try:
            done = subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-png", str(src), str(Path(tmp) / "p")],
                capture_output=True,
                timeout=POPPLER_TIMEOUT,
                check=False,
            )
        except FileNotFoundError as exc:
            raise ConversionError(
                "program pdftoppm tidak ditemukan: pasang poppler-utils (pdftoppm not found)"
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(
                "PDF terlalu lama dirasterisasi "
                "(PDF took too long to render)"
            ) from exc
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if done.returncode != 0 or not files:
            raise ConversionError("PDF tidak dapat dirasterisasi (PDF could not be rendered)")
        out = []
        for f in files:
            colour = cv2.imread(str(f), cv2.IMREAD_COLOR)
            if colour is None:
                raise ConversionError(
                    "halaman PDF tidak dapat dirasterisasi "
                    "(PDF page could not be rendered)"
                )
            out.append(Raster(drop_colour(colour), float(dpi)))
    return out


def _as_gray(img: NDArray[Any]) -> Gray:
    return np.ascontiguousarray(img, dtype=np.uint8)


def _header(data: bytes) -> tuple[int, int, float | None, int]:
    """Width, height, dpi (if the file says) and frame count, from the header only."""
    from PIL import Image  # Pillow comes with pdfplumber; it opens lazily (header only)

    try:
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
            raw = im.info.get("dpi")
            frames = getattr(im, "n_frames", 1)
    except Image.DecompressionBombError as exc:
        raise ConversionError(
            "gambar terlalu besar, bom dekompresi "
            "(image too large: decompression bomb)"
        ) from exc
    except Exception as exc:  # any decoder complaint means: not an image we can read
        raise ConversionError(
            "berkas gambar rusak atau formatnya tidak dikenal "
            "(broken or unknown image file)"
        ) from exc
    dpi: float | None = None
    if isinstance(raw, tuple) and raw and float(raw[0]) >= 50:
        dpi = float(raw[0])
    return width, height, dpi, int(frames)


def load_image(data: bytes) -> list[Raster]:
    """A PNG/JPEG/TIFF (multi-page TIFF: every frame) as grey rasters, stamps dropped.

    Dimensions are checked from the header before decoding. An image that states no dpi is
    taken as a scanned A4/F4 page: its longer side is about 11.7 inches, which puts the
    points of the picture close to the paper's.
    """
    width, height, dpi, frames = _header(data)
    if width * height * max(frames, 1) > MAX_PIXELS:
        raise ConversionError(
            f"gambar terlalu besar: {width}×{height} piksel, maks {MAX_PIXELS // 1_000_000} MP "
            "(image too large: decompression bomb)"
        )
    if frames > MAX_PAGES:
        raise ConversionError(f"TIFF terlalu banyak halaman: {frames} (too many TIFF pages)")
    buf = np.frombuffer(data, dtype=np.uint8)
    images: list[NDArray[Any]]
    if frames > 1:
        ok, decoded = cv2.imdecodemulti(buf, cv2.IMREAD_COLOR)
        images = list(decoded) if ok else []
    else:
        one = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        images = [] if one is None else [one]
    if not images:
        raise ConversionError("berkas gambar tidak dapat dibaca (image could not be decoded)")
    out = []
    for img in images:
        h, w = img.shape[:2]
        page_dpi = dpi if dpi else max(h, w) / 11.69
        out.append(Raster(drop_colour(img), float(page_dpi)))
    return out


def drop_colour(bgr: NDArray[Any]) -> Gray:
    """Grey page with saturated colour (stamps, signatures in blue ink) turned white.

    Round agency stamps sit over role columns and symbols; left in, their rings read as
    circles and their letters as words. Table, symbols and text are black or dark grey, so
    anything clearly coloured is dropped before binarising.
    """
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    # light and saturated: stamp ink on paper; stamp over print stays dark and is kept
    coloured = (hsv[:, :, 1] > 70) & (hsv[:, :, 2] > 120)
    gray[coloured] = 255
    return _as_gray(gray)


# -- binarising and straightening --------------------------------------------------------------


def binarise(gray: Gray) -> Gray:
    """Ink mask (255 = ink): Otsu's threshold, clamped so a blank page stays blank.

    JPEG ringing is lighter than the strokes, so a global threshold between the paper and the
    ink separates them better than an adaptive one, which turns the paper's noise into dots.
    """
    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    level = min(max(otsu, 110.0), 200.0)
    _, ink = cv2.threshold(gray, level, 255, cv2.THRESH_BINARY_INV)
    return _as_gray(ink)


def skew_angle(ink: Gray, scale: float) -> float:
    """The page's rotation in degrees, from the long near-horizontal ruling lines.

    The table's rows are the longest straight strokes of an SOP page; their median slope is
    the skew. A short horizontal opening keeps only line-like pixels (a slanted thick line
    survives as overlapping stair steps, still one component), and a least-squares line
    through each long component gives its slope: far cheaper than a Hough transform of the
    whole page, and as precise on lines this long.
    """
    k = max(int(12 * scale), 15)
    lines_only = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1))
    )
    width = ink.shape[1]
    n, labels, stats, _ = cv2.connectedComponentsWithStats(lines_only, connectivity=8)
    angles: list[float] = []
    weights: list[float] = []
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if w < width // 5 or h > w * 0.1 + 8 * scale:
            continue
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == i)
        step = max(len(xs) // 4000, 1)
        slope = np.polyfit(xs[::step].astype(float), ys[::step].astype(float), 1)[0]
        angles.append(float(np.degrees(np.arctan(slope))))
        weights.append(float(w))
    angles_w = [(a, wt) for a, wt in zip(angles, weights, strict=True) if abs(a) <= 5]
    if not angles_w:
        return 0.0
    angles_w.sort()
    cum = np.cumsum([wt for _, wt in angles_w])
    return angles_w[int(np.searchsorted(cum, cum[-1] / 2))][0]


def deskew(gray: Gray, angle: float) -> Gray:
    """The page rotated by ``-angle`` about its centre, same size, white where nothing was."""
    if abs(angle) < 0.08:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(
        gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
    return _as_gray(out)


def straighten(raster: Raster) -> tuple[Raster, Gray, float]:
    """The page straightened, its ink mask, and the skew that was removed (degrees)."""
    ink = binarise(raster.gray)
    angle = skew_angle(ink, raster.scale)
    if abs(angle) < 0.08:
        return raster, ink, 0.0
    gray = deskew(raster.gray, angle)
    return Raster(gray, raster.dpi), binarise(gray), angle
