"""A typed PDF whose flowchart is a pasted picture: pixels for the drawing, the PDF for words.

Some SOPs are written in a word processor with the flowchart table (or only its role columns)
pasted in as a screenshot. The PDF then has a text layer, so the scan extractor declines it,
and the vector extractor finds a table without symbols, or no table at all. Here each page
is rendered (``pdftoppm``, :func:`..scan.raster.rasterise_pdf`) and read with the scan
modules (rulings, symbols, arrows: :func:`..scan.extractor.extract_page`), while the words
come from the PDF's own text layer (pdfplumber, exact). Only where a pasted picture holds no
word of the layer (the whole table is the picture) does OCR read it. Everything ends up in one
:class:`Picture` in page points, read by the one interpreter.

This extractor speaks only for PDFs with a text layer and a large picture on some page; the
registry (:mod:`..reading`) keeps its picture over the vector one only when it reads more
steps from symbols.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np

from converters.model import ConversionError
from converters.reading.drawn.picture import Box, Page, Picture, ShapeKind, TextRun
from converters.reading.drawn.scan.extractor import TextLayer, extract_page, has_text_layer
from converters.reading.drawn.scan.raster import MAX_PAGES, Raster, rasterise_pdf
from converters.reading.progress import Stage, report

NAME = "pdf-raster"
PICTURE_SHARE = 0.04
"""A pasted picture covers at least this share of its page (logos and QR codes do not)."""
PICTURE_SIDE = 30.0
"""Points: and is at least this tall and wide (a scanned signature line is not a table)."""


@dataclass(frozen=True)
class Pasted:
    """A large picture on a page: where it is drawn (points) and its own size (pixels)."""

    box: Box
    pixels: tuple[int, int]  # width, height of the image as stored


def _pictures(page: Any) -> list[Pasted]:
    """The large pictures drawn on a pdfplumber page, clipped to it (points, top-left)."""
    w, h = float(page.width), float(page.height)
    out = []
    for im in page.images:
        x0, top = max(float(im["x0"]), 0.0), max(float(im["top"]), 0.0)
        x1, bottom = min(float(im["x1"]), w), min(float(im["bottom"]), h)
        if x1 - x0 < PICTURE_SIDE or bottom - top < PICTURE_SIDE:
            continue
        if (x1 - x0) * (bottom - top) >= PICTURE_SHARE * w * h:
            size = im.get("srcsize") or (0, 0)
            out.append(Pasted(Box(x0, top, x1, bottom), (int(size[0]), int(size[1]))))
    return out


def _words(page: Any) -> list[TextRun]:
    return [TextRun(str(w["text"]), Box(float(w["x0"]), float(w["top"]), float(w["x1"]),
                                       float(w["bottom"])))
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
            if str(w["text"]).strip()]


@dataclass(frozen=True)
class _Sheet:
    """A page to read: its raster, text layer and pictures; a page continued on the next
    one is this page's top with the next page's picture and what follows it below."""

    number: int
    raster: Raster
    layer: TextLayer
    pictures: tuple[Pasted, ...]


def _layers(data: bytes) -> tuple[list[TextLayer], list[list[Pasted]]] | None:
    """Each page's text layer and blind regions, and its large pictures, or ``None`` when no
    page has a picture."""
    import pdfplumber

    layers: list[TextLayer] = []
    found: list[list[Pasted]] = []
    any_picture = False
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                return None  # the vector extractor has said what is wrong with it
            for page in pdf.pages:
                pictures = _pictures(page)
                words = _words(page)
                any_picture = any_picture or bool(pictures)
                blind = tuple(p.box for p in pictures
                              if not any(p.box.contains(t.box.cx, t.box.cy) for t in words))
                layers.append(TextLayer(tuple(words), blind))
                found.append(pictures)
                page.close()
    except Exception:  # pdfminer raises many unrelated types; the vector extractor reports
        return None
    return (layers, found) if any_picture else None


SAME_EDGE = 1.5
"""Points: two pictures this close at both sides are drawn in the same column."""
SAME_SCALE = 0.02
"""Share: two pictures drawn at the same pixels per point, within this."""
CLOSED = 0.5
"""Share of a picture's width: a horizontal line this long along its cut edge closes it."""


def _continues(first: Pasted, second: Pasted) -> bool:
    """Whether ``second`` (the top picture of a page) is the rest of ``first`` (the bottom
    picture of the page before): one picture cut by the page break, as a word processor
    stores a tall pasted table that does not fit its page. Both halves keep the picture's
    column, pixel width and scale; pictures pasted one per page match in none of these
    unless they are cuts of one image."""
    a, b = first.box, second.box
    if abs(a.x0 - b.x0) > SAME_EDGE or abs(a.x1 - b.x1) > SAME_EDGE:
        return False
    if first.pixels[0] <= 0 or first.pixels != (first.pixels[0], first.pixels[1]) or (
            first.pixels[0] != second.pixels[0]):
        return False
    scales = [p.pixels[1] / p.box.height for p in (first, second) if p.box.height > 0]
    return len(scales) == 2 and abs(scales[0] - scales[1]) <= SAME_SCALE * max(scales)


def _closed_at(gray: np.ndarray, box: Box, scale: float, bottom: bool) -> bool:
    """A ruling runs along the picture's edge: the table ends there (no cut through a row)."""
    x0, x1 = int(box.x0 * scale), int(box.x1 * scale)
    edge = int((box.bottom if bottom else box.top) * scale)
    depth = max(int(2 * scale), 2)
    band = gray[max(edge - depth, 0):edge, x0:x1] if bottom else gray[edge:edge + depth, x0:x1]
    if band.size == 0:
        return True
    longest = 0
    for row in band < 128:
        run = best = 0
        for v in row:
            run = run + 1 if v else 0
            best = max(best, run)
        longest = max(longest, best)
    return longest >= CLOSED * (x1 - x0)


EDGE_SEARCH = 4.0
"""Points: how far inside its placed box a picture's cut edge may show in the rendering
(a word processor clips a cut picture a little inside the box it places)."""


def _inked_edge(gray: np.ndarray, box: Box, scale: float, bottom: bool) -> int:
    """The pixel row where a cut picture's ink stops (bottom) or starts (top), so that the
    two halves meet without the blank rows of their clipping between them; the box's own
    edge when no ink is near it."""
    x0, x1 = int(box.x0 * scale), int(box.x1 * scale)
    edge = round((box.bottom if bottom else box.top) * scale)
    reach = int(EDGE_SEARCH * scale)
    rows = range(edge - 1, edge - 1 - reach, -1) if bottom else range(edge, edge + reach)
    for y in rows:
        if 0 <= y < gray.shape[0] and bool((gray[y, x0:x1] < 128).any()):
            return y + 1 if bottom else y
    return edge


def _stitched(sheets: list[_Sheet]) -> list[_Sheet]:
    """Pages whose bottom picture goes on at the top of the next page read as one sheet.

    A flowchart screenshot taller than the space left on its page is cut by the page break,
    often through a row and its symbols (half a diamond below, half above). Read apart, the
    halves hold no whole symbol and the arrows crossing the cut end in the air; joined, the
    row, its symbols and its arrows are whole again. The sheet is the first page down to its
    picture's cut, then the next page from its picture's top; the second page's words move
    with it."""
    out: list[_Sheet] = []
    for sheet in sheets:
        prev = out[-1] if out else None
        if prev is None or not prev.pictures or not sheet.pictures:
            out.append(sheet)
            continue
        first = max(prev.pictures, key=lambda p: p.box.bottom)
        second = min(sheet.pictures, key=lambda p: p.box.top)
        scale = prev.raster.scale
        if (not _continues(first, second) or abs(sheet.raster.scale - scale) > 1e-6
                or _closed_at(prev.raster.gray, first.box, scale, bottom=True)
                or _closed_at(sheet.raster.gray, second.box, scale, bottom=False)):
            out.append(sheet)
            continue
        cut = _inked_edge(prev.raster.gray, first.box, scale, bottom=True)
        top = _inked_edge(sheet.raster.gray, second.box, scale, bottom=False)
        gray = np.vstack([prev.raster.gray[:cut], sheet.raster.gray[top:]])
        dy = cut / scale - top / scale

        def moved(b: Box, dy: float = dy) -> Box:
            return Box(b.x0, b.top + dy, b.x1, b.bottom + dy)

        words = tuple(w for w in prev.layer.words if w.box.cy <= first.box.bottom) + tuple(
            TextRun(w.text, moved(w.box)) for w in sheet.layer.words
            if w.box.cy >= second.box.top)
        blind = [b for b in prev.layer.blind if b != first.box]
        rest = [moved(b) for b in sheet.layer.blind if b != second.box]
        if first.box in prev.layer.blind and second.box in sheet.layer.blind:
            blind.append(Box(first.box.x0, first.box.top, first.box.x1,
                             second.box.bottom + dy))
        else:
            blind += [b for b in prev.layer.blind if b == first.box]
            rest += [moved(b) for b in sheet.layer.blind if b == second.box]
        whole = Pasted(Box(first.box.x0, first.box.top, first.box.x1, second.box.bottom + dy),
                       first.pixels)
        pictures = (*(p for p in prev.pictures if p is not first), whole,
                    *(Pasted(moved(p.box), p.pixels) for p in sheet.pictures if p is not second))
        out[-1] = _Sheet(prev.number, Raster(np.ascontiguousarray(gray), prev.raster.dpi),
                         TextLayer(words, tuple(blind + rest)), pictures)
    return out


def _is_flow(page: Page) -> bool:
    return bool(page.cells) and any(
        s.kind in (ShapeKind.TERMINATOR, ShapeKind.PROCESS, ShapeKind.DECISION)
        for s in page.shapes)


def extract(data: bytes) -> Picture | None:
    """The hybrid picture of a typed PDF with a pasted flowchart, else ``None`` (a PDF
    without a text layer is a scan; one without a large picture is vector or text only)."""
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        return None
    found = _layers(data)
    if found is None or not has_text_layer(data):
        return None
    layers, pictures = found
    report(Stage.OPEN)
    try:
        rasters = rasterise_pdf(data)
    except ConversionError:
        return None
    sheets = _stitched([_Sheet(number, raster, layer, tuple(pics))
                        for number, (raster, layer, pics)
                        in enumerate(zip(rasters, layers, pictures, strict=False), start=1)])
    pages: list[Page] = []
    for k, s in enumerate(sheets):
        report(Stage.OCR, k, len(sheets))
        pages.append(extract_page(s.raster, s.number, layer=s.layer)[0])
    report(Stage.OCR, len(sheets), len(sheets))
    if not any(_is_flow(p) for p in pages):
        return None
    return Picture(NAME, tuple(pages))


__all__ = ["NAME", "extract"]
