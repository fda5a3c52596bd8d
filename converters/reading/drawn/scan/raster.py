"""Scanned pages as pixels: rasterising PDFs, decoding images safely, dropping stamps, squaring
a photographed page, flattening uneven paper, mending a faint copy, enlarging low dpi, deskewing.

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
    worn: bool = False
    """The print is faint and its strokes broken (a worn copy, :func:`flatten`): symbols
    whose slanted outline leaks are looked for again (:func:`..symbols.leaking_diamonds`)."""

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


PAPER_WHITE = 235
"""Grey level of the paper below which a page counts as unevenly lit or tinted (a phone
photo's fall-off and shadow, yellowed paper, a grey photocopy) and is flattened first; a
flatbed scan's paper is whiter than this, and is left as it was scanned."""
FAINT_INK = 100
"""Grey level of the darkest print above which the print counts as faint (a photocopy low on
toner) and the page's contrast is stretched after flattening."""


def flatten(gray: Gray, scale: float) -> tuple[Gray, bool]:
    """The page with its paper made white and, where the print is faint, its print darkened.

    A binarising threshold is one grey level for the page; it fails when the paper itself
    varies (the light falls off across a phone photo, a shadow lies on one part, the sheet
    has yellowed unevenly), and when the print is as grey as a shadow. The paper's own level
    is estimated everywhere by a grey closing with a window wider than any stroke (print
    vanishes, paper and its slow changes stay), and the page is divided by it. Only a page
    whose paper is not white already is changed, so a clean scan is read as it was.

    Also says whether the print was faint (its contrast stretched): a worn copy's strokes
    are broken too, which :func:`straighten` mends in the ink mask.
    """
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    k = max(int(4.0 * scale), 7)  # 4 pt at quarter size: a 16-pt window, wider than strokes
    paper_small = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    paper_small = cv2.GaussianBlur(paper_small, (0, 0), k / 2)
    if float(np.percentile(paper_small, 10)) >= PAPER_WHITE and not _faint_print(gray):
        return gray, False
    paper = cv2.resize(paper_small, (gray.shape[1], gray.shape[0]),
                       interpolation=cv2.INTER_LINEAR).astype(np.float32)
    flat = np.clip(gray.astype(np.float32) * 255.0 / np.maximum(paper, 1.0), 0, 255)
    faint = False
    ink = _print_level(flat)
    if ink is not None and ink > FAINT_INK:
        gain = 215.0 / max(255.0 - ink, 1.0)
        flat = np.clip(255.0 - (255.0 - flat) * gain, 0, 255)
        faint = True
    return _as_gray(flat), faint


def _print_level(gray: NDArray[Any]) -> float | None:
    """How dark the print is: a low percentile of what is clearly not paper (``None`` when
    the page holds next to no print)."""
    dark = gray[gray < 200]
    if dark.size <= 0.002 * gray.size:
        return None
    return float(np.percentile(dark, 10))


def _faint_print(gray: Gray) -> bool:
    """Whether the print is faint on paper that is white enough not to need flattening: a
    worn copy whose grey paper an enlarging (its sharpening) or the copier left near white
    still needs its print darkened and its strokes mended."""
    ink = _print_level(gray)
    return ink is not None and ink > FAINT_INK


def print_only(gray: Gray, ink: Gray) -> Gray:
    """A worn copy's page as the OCR should see it: the print alone on white paper.

    The copy's paper is grainy and dusted with specks; Tesseract takes a speck beside a
    lone digit for part of it and reads no number. Only the pixels on or next to the
    despeckled ink mask keep their grey, every other one is paper. The grey itself is
    kept (spreading it down to black as well read the headers of 150-dpi copies worse)."""
    near = cv2.dilate(ink, np.ones((3, 3), np.uint8)) > 0
    out = np.full_like(gray, 255)
    out[near] = gray[near]
    return _as_gray(out)


MEND = 2.5
"""Points: gaps in a faint copy's strokes up to about this wide are closed in its ink mask
(toner drop-outs break 1-pt rulings, arrow shafts and symbol outlines every few mm)."""


SPECK = 1.6
"""Points: a blot of ink no wider or taller than this, standing alone, is a speck of dust or
toner on a copy (a letter's dot is smaller, but the geometry does not need it; the words are
read from the grey page)."""


def despeckle(ink: Gray, scale: float) -> Gray:
    """The ink mask without lone specks (a worn copy's dust and drum scratches), which
    mending would otherwise grow into stubs of lines beside the rulings and arrows."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    side = SPECK * scale
    small = (stats[:, cv2.CC_STAT_WIDTH] <= side) & (stats[:, cv2.CC_STAT_HEIGHT] <= side)
    small[0] = False
    out = ink.copy()
    out[small[labels]] = 0
    return _as_gray(out)


def mend(ink: Gray, scale: float) -> Gray:
    """The ink mask with small breaks in its strokes closed: along the rows and columns
    (rulings, arrow shafts, box sides) and, with a smaller round closing, in any direction
    (a diamond's slanted sides). Only the geometry reads the mask; the words are read from
    the grey page, where letters the closing would join stay apart."""
    k = max(round(MEND * scale) | 1, 3)
    ink = despeckle(ink, scale)
    rect = cv2.MORPH_RECT
    along = cv2.bitwise_or(
        cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(rect, (k, 1))),
        cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(rect, (1, k))),
    )
    r = k + 2
    round_ = cv2.morphologyEx(ink, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (r, r)))
    return _as_gray(cv2.bitwise_or(along, round_))


BACKDROP = 0.6
"""Share of the picture's outer rim that must be darker than the paper before the page is
looked for as a quadrilateral on a backdrop (a photo of the page on a desk); a scanner's
picture is paper to its edges."""
PAGE_SHARE = (0.3, 0.97)
"""The page found must cover this share of the picture (less: a piece of paper, not the
page; more: no backdrop around it)."""
PAPER_INCHES = (5.0, 17.0)
"""Long side of a page in inches at its stated dpi that is plausible paper (A5 to folio and
A3's short side); outside it the stated dpi is a camera's 72 and the page is taken as A4."""


SMOOTH = 20.0
"""Grey levels: the spread (standard deviation over a few pixels) above which a bright patch
is texture, not paper."""


def _corners(quad: NDArray[Any]) -> NDArray[Any]:
    """Four points ordered top-left, top-right, bottom-right, bottom-left."""
    pts = quad.reshape(4, 2).astype(np.float32)
    total, diff = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(total)], pts[np.argmin(diff)], pts[np.argmax(total)],
                     pts[np.argmax(diff)]], np.float32)


def page_quad(gray: Gray) -> NDArray[Any] | None:
    """The corners of the sheet of paper in a photo of it (top-left, top-right, bottom-right,
    bottom-left, in pixels), or ``None`` when the picture is the page itself (a scan).

    The paper is the largest bright region; it counts as a page on a backdrop only when the
    picture's rim is mostly darker than it and its outline is close to a quadrilateral."""
    f = 600.0 / max(gray.shape)
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    h, w = bright.shape
    rim = max(int(0.02 * max(h, w)), 2)
    edge = np.concatenate([bright[:rim].ravel(), bright[-rim:].ravel(),
                           bright[:, :rim].ravel(), bright[:, -rim:].ravel()])
    if float(np.mean(edge == 0)) < BACKDROP:
        return None
    # the sheet's margins are smooth paper; what else passes the threshold is speckled (a
    # light wood grain, a desk that :func:`drop_colour` whitened in part as if it were stamp
    # ink): only smooth bright pixels count, and the print inside is closed over below
    raw = cv2.resize(gray, (w, h), interpolation=cv2.INTER_NEAREST).astype(np.float32)
    mean = cv2.blur(raw, (5, 5))
    spread = np.sqrt(np.maximum(cv2.blur(raw * raw, (5, 5)) - mean * mean, 0))
    bright[spread > SMOOTH] = 0
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = cv2.convexHull(max(contours, key=cv2.contourArea))
    share = cv2.contourArea(sheet) / float(h * w)
    if not PAGE_SHARE[0] <= share <= PAGE_SHARE[1]:
        return None
    quad = cv2.approxPolyDP(sheet, 0.02 * cv2.arcLength(sheet, True), True)
    if len(quad) != 4:
        return None
    return _corners(quad) / f


def unwarp(raster: Raster) -> Raster:
    """A photographed page cut from its backdrop and seen square on (its quadrilateral mapped
    to a rectangle: keystone and turn undone); any other page as it is.

    The rectangle's sides are the quadrilateral's longer opposite sides. Its resolution is
    the picture's stated dpi when that makes a plausible sheet of paper, else the page is
    taken as A4 (a phone states 72 dpi or nothing)."""
    quad = page_quad(raster.gray)
    if quad is None:
        return raster
    tl, tr, br, bl = quad
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)) + 0.5)
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)) + 0.5)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]],
                      np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    page = cv2.warpPerspective(raster.gray, m, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    dpi = raster.dpi
    if not PAPER_INCHES[0] <= max(width, height) / dpi <= PAPER_INCHES[1]:
        dpi = max(width, height) / 11.69
    return Raster(_as_gray(page), dpi)


LOW_DPI = 200
"""Below this a page is enlarged before it is read: the geometry's sizes and Tesseract want
letters of 20 px and more, and a 100- or 150-dpi scan draws 9-pt print at 12–19 px."""
LOW_DPI_TARGET = 200
"""The resolution a low-resolution page is enlarged to (bicubic, then sharpened). Enlarging
further (300) read the header words of 150-dpi scans worse on the bench, not better."""


def enlarged(raster: Raster) -> Raster:
    """A page scanned below :data:`LOW_DPI` enlarged to :data:`LOW_DPI_TARGET`, then
    sharpened (an unsharp mask: enlarging blurs each stroke's edge over the pixels it adds,
    and Tesseract splits a blurred bold word into pieces); any other page as it is."""
    if raster.dpi >= LOW_DPI - 1:
        return raster
    f = LOW_DPI_TARGET / raster.dpi
    if raster.gray.size * f * f > MAX_PIXELS:
        return raster
    big = cv2.resize(raster.gray, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    soft = cv2.GaussianBlur(big, (0, 0), 0.5 * f)
    sharp = cv2.addWeighted(big, 1.8, soft, -0.8, 0)
    return Raster(_as_gray(sharp), float(LOW_DPI_TARGET))


def straighten(raster: Raster) -> tuple[Raster, Gray, float]:
    """The page straightened, its ink mask, and the skew that was removed (degrees).

    A photographed page is cut from its backdrop and squared (:func:`unwarp`), then an
    unevenly lit or tinted page flattened (:func:`flatten`). A page whose print was faint
    comes back ``worn``: its ink mask is as binarised, and the reader mends it
    (:func:`mend`) once its rulings are found."""
    raster = unwarp(raster)
    flat, faint = flatten(raster.gray, raster.scale)
    if flat is not raster.gray:
        raster = Raster(flat, raster.dpi, worn=faint)
    ink = binarise(raster.gray)
    angle = skew_angle(ink, raster.scale)
    if abs(angle) >= 0.08:
        raster = Raster(deskew(raster.gray, angle), raster.dpi, worn=faint)
        ink = binarise(raster.gray)
    else:
        angle = 0.0
    return raster, ink, angle

