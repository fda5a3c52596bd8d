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
from typing import Any

from converters.model import ConversionError
from converters.reading.drawn.picture import Box, Page, Picture, ShapeKind, TextRun
from converters.reading.drawn.scan.extractor import TextLayer, extract_page, has_text_layer
from converters.reading.drawn.scan.raster import MAX_PAGES, rasterise_pdf

NAME = "pdf-raster"
PICTURE_SHARE = 0.04
"""A pasted picture covers at least this share of its page (logos and QR codes do not)."""
PICTURE_SIDE = 30.0
"""Points: and is at least this tall and wide (a scanned signature line is not a table)."""


def _pictures(page: Any) -> list[Box]:
    """The large pictures drawn on a pdfplumber page, clipped to it (points, top-left)."""
    w, h = float(page.width), float(page.height)
    out = []
    for im in page.images:
        x0, top = max(float(im["x0"]), 0.0), max(float(im["top"]), 0.0)
        x1, bottom = min(float(im["x1"]), w), min(float(im["bottom"]), h)
        if x1 - x0 < PICTURE_SIDE or bottom - top < PICTURE_SIDE:
            continue
        if (x1 - x0) * (bottom - top) >= PICTURE_SHARE * w * h:
            out.append(Box(x0, top, x1, bottom))
    return out


def _words(page: Any) -> list[TextRun]:
    return [TextRun(str(w["text"]), Box(float(w["x0"]), float(w["top"]), float(w["x1"]),
                                       float(w["bottom"])))
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
            if str(w["text"]).strip()]


def _layers(data: bytes) -> list[TextLayer] | None:
    """Each page's text layer and blind regions, or ``None`` when no page has a picture."""
    import pdfplumber

    layers: list[TextLayer] = []
    any_picture = False
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                return None  # the vector extractor has said what is wrong with it
            for page in pdf.pages:
                pictures = _pictures(page)
                words = _words(page)
                any_picture = any_picture or bool(pictures)
                blind = tuple(b for b in pictures
                              if not any(b.contains(t.box.cx, t.box.cy) for t in words))
                layers.append(TextLayer(tuple(words), blind))
                page.close()
    except Exception:  # pdfminer raises many unrelated types; the vector extractor reports
        return None
    return layers if any_picture else None


def _is_flow(page: Page) -> bool:
    return bool(page.cells) and any(
        s.kind in (ShapeKind.TERMINATOR, ShapeKind.PROCESS, ShapeKind.DECISION)
        for s in page.shapes)


def extract(data: bytes) -> Picture | None:
    """The hybrid picture of a typed PDF with a pasted flowchart, else ``None`` (a PDF
    without a text layer is a scan; one without a large picture is vector or text only)."""
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        return None
    layers = _layers(data)
    if layers is None or not has_text_layer(data):
        return None
    try:
        rasters = rasterise_pdf(data)
    except ConversionError:
        return None
    pages = [extract_page(raster, number, layer=layer)[0]
             for number, (raster, layer) in enumerate(zip(rasters, layers, strict=False),
                                                      start=1)]
    if not any(_is_flow(p) for p in pages):
        return None
    return Picture(NAME, tuple(pages))


__all__ = ["NAME", "extract"]
