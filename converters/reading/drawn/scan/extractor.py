"""The scan extractor: a scanned SOP (PDF without text, PNG/JPEG/TIFF) as a positional picture.

It makes the same :class:`~converters.reading.drawn.picture.Picture` as the vector-PDF
extractor, from pixels: rulings → cells, holes → symbols, thin lines → arrows, Tesseract →
words. Reading the table (which symbol is which step, which column is which role) is left to
the one interpreter, so a scan and a signed PDF of the same SOP are read by the same rules.

Each stage lives in its own module (:mod:`.raster`, :mod:`.rulings`,
:mod:`.symbols`, :mod:`.words`) and works in pixels; only this module converts to
points (``72 / dpi``), so the picture's unit never leaks into the image code.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from converters.model import ConversionError
from converters.reading.drawn.picture import Box, Page, Picture, Shape, ShapeKind, TextRun
from converters.reading.drawn.scan.connectors import with_connector_labels
from converters.reading.drawn.scan.embedded import made_of_page_pictures, scanned_pages
from converters.reading.drawn.scan.gaps import join_broken, reach_symbols
from converters.reading.drawn.scan.labels import with_labels
from converters.reading.drawn.scan.numbers import pages_in_sequence, with_numbers
from converters.reading.drawn.scan.orientation import upright
from converters.reading.drawn.scan.raster import (
    MEND,
    Gray,
    Raster,
    binarise,
    despeckle,
    enlarged,
    load_image,
    mend,
    print_only,
    straighten,
)
from converters.reading.drawn.scan.rulings import PxBox, find_rulings, remasked, remove_rulings
from converters.reading.drawn.scan.symbols import (
    HEAD_LENGTH,
    Px,
    PxArrow,
    PxSymbol,
    erase_symbols,
    find_arrows,
    find_symbols,
    leaking_diamonds,
    outline_ink,
)
from converters.reading.drawn.scan.text import header_bottom, repair_header, vocabulary
from converters.reading.drawn.scan.words import PxWord, ocr_cells, ocr_words
from converters.reading.progress import Stage, report

EXTRACTOR = "scan"


def extract(data: bytes) -> Picture | None:
    """The registry's entry (:mod:`..reading`): a PDF is rasterised, anything else decoded.

    The registry tries this after the vector extractor found no drawn flowchart. A PDF with a
    text layer is then a text SOP (the text readers' job, at a fraction of OCR's cost), and a
    scanned PDF in which no page shows a flowchart table is not ours either: both give
    ``None``. An image has no other reader, so it always gets a picture.

    A scan that carries an OCR text layer is :func:`extract_searchable`'s.
    """
    if data[:1024].lstrip().startswith(b"%PDF-"):
        if has_text_layer(data):
            return None
        picture = extract_pdf(data)
        return picture if any(_is_flow(p) for p in picture.pages) else None
    return extract_image(data)


def extract_searchable(data: bytes) -> Picture | None:
    """A *searchable* scan read as a scan: every page one picture filling it, with the
    invisible words of the scanner's OCR over it; else ``None``.

    The hybrid extractor (:mod:`..pdf.raster`) reads that layer as it is; this one reads the
    pixels with our own OCR (header words repaired against the form's vocabulary, step
    numbers kept in sequence), and the registry keeps the picture that reads more steps from
    their symbols. A scanner's OCR often loses the header ("Kegiatan" read as "ig magetan"),
    and then only this reading finds the table.
    """
    # page pictures first: the registry asks this of every PDF, and a typed one (the usual
    # case) has no page picture, so it is answered without running pdftotext again
    if not data[:1024].lstrip().startswith(b"%PDF-") or not made_of_page_pictures(data):
        return None
    if not has_text_layer(data):
        return None
    picture = extract_pdf(data)
    return picture if any(_is_flow(p) for p in picture.pages) else None


TEXT_LAYER_CHARS = 80
"""Characters per page above which a PDF carries its own text (typed, or a scan already OCR'd
by its scanner with a layer we would only read worse)."""


def has_text_layer(data: bytes) -> bool:
    """Whether the PDF's first pages hold text (``pdftotext``), i.e. it is no bare scan."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            done = subprocess.run(["pdftotext", "-l", "3", tmp.name, "-"], capture_output=True,
                                  timeout=30, check=False)
        except (FileNotFoundError, subprocess.TimeoutExpired):
            return False
    if done.returncode != 0:
        return False
    pages = max(done.stdout.count(b"\f"), 1)
    chars = len(b"".join(done.stdout.split()))
    return chars > TEXT_LAYER_CHARS * pages


def _is_flow(page: Page) -> bool:
    return bool(page.cells) and any(
        s.kind is not ShapeKind.ARROW and s.kind is not ShapeKind.CONNECTOR for s in page.shapes
    )


def extract_pdf(data: bytes) -> Picture:
    """A scanned PDF (pages that are pictures) as a picture, read from the scanner's own
    pixels where it can be (:mod:`.embedded`), else from the pages rendered."""
    report(Stage.OPEN)
    return extract_rasters(scanned_pages(data))


def extract_image(data: bytes) -> Picture:
    """A scanned page image (PNG, JPEG, TIFF; every frame of a multi-page TIFF) as a picture."""
    return extract_rasters(load_image(data))


def extract_rasters(rasters: Sequence[Raster], ocr: bool = True) -> Picture:
    """Pages already decoded as grey rasters; ``ocr=False`` skips Tesseract (geometry only).

    A page coarser than :data:`.raster.LOW_DPI` is enlarged first, whoever decoded it (an
    uploaded image, a picture pasted into a Word or Excel file)."""
    if not rasters:
        raise ConversionError("pindaian tidak berisi halaman (scan has no pages)")
    rasters = [enlarged(r) for r in rasters]
    pages: list[Page] = []
    notes: list[str] = []
    header_lines: list[str] = []
    for number, raster in enumerate(rasters, start=1):
        report(Stage.OCR if ocr else Stage.PAGES, number - 1, len(rasters))
        if ocr:
            raster, turn = upright(raster)
            if turn:
                notes.append(f"halaman {number}: diputar {turn}° agar tegak")
        page, angle, lines = extract_page(raster, number, ocr=ocr)
        pages.append(page)
        if angle:
            notes.append(f"halaman {number}: kemiringan {angle:+.1f}° diluruskan")
        if not _is_flow(page):
            header_lines.extend(lines)  # no flowchart symbol: an identity or header page
    report(Stage.OCR if ocr else Stage.PAGES, len(rasters), len(rasters))
    flows = [i for i, p in enumerate(pages) if _is_flow(p)]
    for i, fixed in zip(flows, pages_in_sequence([pages[i] for i in flows]), strict=True):
        pages[i] = fixed
    return Picture(EXTRACTOR, tuple(pages), "\n".join(header_lines), tuple(notes))


@dataclass(frozen=True)
class TextLayer:
    """A rendered PDF page's own words (points) and the regions (points) where it has none:
    a picture pasted into the page, whose words only OCR can read."""

    words: tuple[TextRun, ...]
    blind: tuple[Box, ...] = ()


def extract_page(raster: Raster, number: int, ocr: bool = True,
                 layer: TextLayer | None = None) -> tuple[Page, float, list[str]]:
    """One page: its picture, the skew removed (degrees) and its text lines in reading order.

    With ``layer`` the raster is a rendering of a PDF page that has its own text: the page is
    not straightened (the text layer would no longer fit), its words are the layer's, exact,
    and OCR reads only the layer's blind regions (:mod:`..pdf.raster`).
    """
    if layer is None:
        raster, ink, angle = straighten(raster)
    else:
        ink, angle = binarise(raster.gray), 0.0
    scale = raster.scale
    paper = raster.gray  # what the OCR reads
    if raster.worn:
        # a worn copy: rules found with their breaks closed along them only, everything
        # else read from the ink mended in every direction (:func:`.raster.mend`)
        along = max(round(MEND * scale) | 1, 3)
        clean = despeckle(ink, scale)
        rulings = find_rulings(clean, scale, along=along)
        paper = print_only(raster.gray, clean)
        ink = mend(ink, scale)
        rulings = remasked(rulings, ink, scale)
    else:
        rulings = find_rulings(ink, scale)
    symbols: list[PxSymbol] = []
    arrows: list[PxArrow] = []
    words: list[PxWord] = []
    if flow_grid(rulings.cells, scale):
        bare = remove_rulings(ink, rulings, scale)
        symbols = find_symbols(bare, scale, rulings.cells)
        symbols += _against_rulings(ink, rulings.cells, symbols, scale)
        if raster.worn:
            symbols += leaking_diamonds(bare, scale, rulings.cells, symbols)
        arrows, arrow_labels = find_arrows(
            erase_symbols(bare, symbols, scale, outline_only=False), scale
        )
        arrows = reach_symbols(join_broken(arrows, symbols, raster.gray, scale, raster.worn),
                               symbols, raster.gray, scale)
        arrows = [_snapped(a, symbols, arrows, scale) for a in arrows]
        arrows = [a for a in arrows if not _stray(a, symbols, arrows, scale)]
        kept = np.zeros(int(arrow_labels.max()) + 1, bool)
        kept[[k for a in arrows for k in a.labels]] = True
        arrow_labels = arrow_labels * kept[arrow_labels]
        if layer is not None:
            words = _layer_words(layer.words, scale)
            if ocr and (layer.blind or any(s.kind is ShapeKind.DECISION for s in symbols)):
                text = _text_only(paper, ink, bare, rulings.mask, arrow_labels, symbols,
                                  scale, arrows, raster.worn)
                if layer.blind:
                    words += _read_blind(text, rulings.cells, layer.blind, raster.dpi, words)
                # a pasted flowchart whose question the layer holds may still draw its branch
                # labels ("Y", "T") in the picture's pixels only
                words = with_labels(words, text, symbols, raster.dpi, arrows)
        elif ocr:
            text = _text_only(paper, ink, bare, rulings.mask, arrow_labels, symbols, scale,
                              arrows, raster.worn)
            words = ocr_words(text, raster.dpi)
            words = with_numbers(words, text, rulings.cells, raster.dpi)
            words = _distinct(repair_header(_with_titles(words, text, rulings.cells,
                                                         raster.dpi), rulings.cells))
            words = with_labels(words, text, symbols, raster.dpi, arrows)
            words = with_connector_labels(words, paper, symbols, raster.dpi)
    elif layer is not None:
        words = _layer_words(layer.words, scale)
    elif ocr:
        # an identity or header page: no symbols to look for (its underlines and boxes would
        # only make spurious arrows), one OCR pass on the page without its rulings
        plain = paper.copy()
        plain[cv2.dilate(rulings.mask, np.ones((3, 3), np.uint8)) > 0] = 255
        words = ocr_words(plain, raster.dpi)

    def box(b: PxBox) -> Box:
        return Box(b[0] / scale, b[1] / scale, b[2] / scale, b[3] / scale)

    def pt(p: tuple[float, float]) -> tuple[float, float]:
        return (round(p[0] / scale, 2), round(p[1] / scale, 2))

    shapes = [Shape(s.kind, box(s.box)) for s in symbols]
    shapes += [
        Shape(
            ShapeKind.ARROW,
            box(a.box),
            tuple(pt(p) for p in a.path),
            pt(a.head) if a.head else None,
        )
        for a in arrows
    ]
    texts = [TextRun(w.text, box((w.x0, w.top, w.x1, w.bottom))) for w in words]
    h, w = raster.gray.shape
    page = Page(
        number,
        w / scale,
        h / scale,
        tuple(box(c) for c in rulings.cells),
        tuple(texts),
        tuple(shapes),
    )
    return page, angle, _lines(words)


def _against_rulings(ink: Gray, cells: Sequence[PxBox], symbols: Sequence[PxSymbol],
                     scale: float) -> list[PxSymbol]:
    """Connectors drawn against a ruling: one side of the outline lies on the column's rule.

    An off-page connector squeezed beside another in a narrow cell often shares its side
    with the ruling; with the rulings removed its outline is open and no hole is left. Looked
    for again in the ink with its rulings, such a symbol is a hole much smaller than the cell
    it stands in (the cells themselves are holes there too) and apart from every symbol
    already found."""
    found = find_symbols(ink, scale, tuple(cells))

    def overlaps(a: PxBox, b: PxBox) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    out = []
    for s in found:
        x0, y0, x1, y1 = s.box
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        home = [c for c in cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]]
        if not home:
            continue
        cell = min(home, key=lambda c: (c[2] - c[0]) * (c[3] - c[1]))
        if (x1 - x0) * (y1 - y0) > 0.5 * (cell[2] - cell[0]) * (cell[3] - cell[1]):
            continue
        if s.kind is not ShapeKind.CONNECTOR or any(overlaps(s.box, o.box) for o in symbols):
            continue  # a rectangle there is as likely an arrow's bend closed by two rules
        out.append(s)
    return out


def _layer_words(words: Sequence[TextRun], scale: float) -> list[PxWord]:
    """A text layer's words in the raster's pixels (one line key per word: the layer's own
    order is not Tesseract's, and the interpreter orders words by position anyway)."""
    return [PxWord(w.text, round(w.box.x0 * scale), round(w.box.top * scale),
                   round(w.box.x1 * scale), round(w.box.bottom * scale), (0, 0, i), 100.0)
            for i, w in enumerate(words)]


def _read_blind(text: Gray, cells: Sequence[PxBox], blind: Sequence[Box], dpi: float,
                known: Sequence[PxWord]) -> list[PxWord]:
    """OCR words of the regions a text layer does not cover, read as a scan's are (step
    numbers and header titles read again), minus any a layer word already stands on."""
    scale = dpi / 72.0
    h, w = text.shape
    regions = [(max(int(b.x0 * scale), 0), max(int(b.top * scale), 0),
                min(int(b.x1 * scale) + 1, w), min(int(b.bottom * scale) + 1, h)) for b in blind]
    only = np.full_like(text, 255)
    found: list[PxWord] = []
    for x0, top, x1, bottom in regions:
        if x1 - x0 < 4 or bottom - top < 4:
            continue
        only[top:bottom, x0:x1] = text[top:bottom, x0:x1]
        for wd in ocr_words(text[top:bottom, x0:x1], dpi):
            found.append(PxWord(wd.text, wd.x0 + x0, wd.top + top, wd.x1 + x0,
                                wd.bottom + top, wd.line, wd.confidence))

    def within(c: PxBox) -> bool:
        cx, cy = (c[0] + c[2]) / 2, (c[1] + c[3]) / 2
        return any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in regions)

    mine = [c for c in cells if within(c)]
    if mine:
        found = with_numbers(found, only, mine, dpi)
        found = repair_header(_with_titles(found, only, mine, dpi), mine)

    def covered(wd: PxWord) -> bool:
        return any(k.x0 < wd.x1 and wd.x0 < k.x1 and k.top < wd.bottom and wd.top < k.bottom
                   for k in known)

    return [wd for wd in found if not covered(wd)]


SNAP = 11.0
"""Points: an arrow end this near a symbol (and near no other arrow) ends on that symbol."""


def _snapped(arrow: PxArrow, symbols: Sequence[PxSymbol], arrows: Sequence[PxArrow],
             scale: float) -> PxArrow:
    """The arrow with each loose end carried onto the symbol it stops short of.

    The last stretch into a symbol is often shorter than a run the arrow finder keeps (an
    arrowhead after a corner, a stub into a diamond's vertex): the polyline then ends a few
    points before the symbol and the interpreter, which wants ends on symbols, loses the
    branch. An end near a symbol and away from every other arrow (where it would be a merge)
    gets a last straight stretch onto the symbol's edge; the head moves with it.
    """
    path = list(arrow.path)
    head = arrow.head
    touch = 4.0 * scale
    for index in (0, -1):
        x, y = path[index]
        best: tuple[float, Px] | None = None
        for s in symbols:
            x0, y0, x1, y1 = s.box
            nx, ny = min(max(x, x0), x1), min(max(y, y0), y1)
            d = abs(nx - x) + abs(ny - y)
            if best is None or d < best[0]:
                best = (d, (float(nx), float(ny)))
        if best is None or best[0] <= touch or best[0] > SNAP * scale:
            continue
        near_arrow = any(
            o is not arrow and any(_seg_dist((x, y), a, b) <= 3 * scale
                                   for a, b in itertools.pairwise(o.path))
            for o in arrows
        )
        if near_arrow:
            continue
        nx, ny = best[1]
        # straight on: keep the axis the end already has, step along the other one
        end = (x, ny) if abs(nx - x) < abs(ny - y) else (nx, y)
        was_head = head is not None and head == (x, y)
        if index == 0:
            path.insert(0, end)
        else:
            path.append(end)
        if was_head:
            head = end
    if path == list(arrow.path):
        return arrow
    return PxArrow(tuple(path), head, arrow.box, arrow.labels)


SHORT_HEADED = 12.0
"""Points: a headed line shorter than this (a long run of :func:`..symbols.find_arrows`) is
an arrow only between two symbols."""
STRAY = 16.0
"""Points: a headless line shorter than this, touching no symbol and no other arrow, is ink
that only looks straight (letters stacked over each other, a descender joined by JPEG blur to
the ``i`` below it), not an arrow."""


def _stray(arrow: PxArrow, symbols: Sequence[PxSymbol], arrows: Sequence[PxArrow],
           scale: float) -> bool:
    """A short, headless line that joins nothing, a short headed one that does not run
    from symbol to symbol (a bold letter of a header looks like one), or any line above
    every symbol: kept as ink for the OCR, not as an arrow (the text-only page must not lose
    the letters it was made of)."""
    length = sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in itertools.pairwise(arrow.path))
    reach = SNAP * scale
    if symbols and max(y for _, y in arrow.path) < min(s.box[1] for s in symbols) - reach:
        return True  # above every symbol: the header's small bold titles a photo's blur ran
        # together into a bar (a flowchart line runs among the symbols it joins)
    if arrow.head is not None:
        if length >= SHORT_HEADED * scale:
            return False
        return not all(any(s.box[0] - reach <= x <= s.box[2] + reach
                           and s.box[1] - reach <= y <= s.box[3] + reach for s in symbols)
                       for x, y in (arrow.path[0], arrow.path[-1]))
    if length >= STRAY * scale:
        return False
    for x, y in (arrow.path[0], arrow.path[-1]):
        for s in symbols:
            x0, y0, x1, y1 = s.box
            if x0 - reach <= x <= x1 + reach and y0 - reach <= y <= y1 + reach:
                return False
        if any(o is not arrow and any(_seg_dist((x, y), a, b) <= 3 * scale
                                      for a, b in itertools.pairwise(o.path))
               for o in arrows):
            return False
    return True


def _seg_dist(p: Px, a: Px, b: Px) -> float:
    """Distance of ``p`` to the axis-parallel segment ``a``–``b``."""
    x = min(max(p[0], min(a[0], b[0])), max(a[0], b[0]))
    y = min(max(p[1], min(a[1], b[1])), max(a[1], b[1]))
    return abs(p[0] - x) + abs(p[1] - y)


MIN_FLOW_COLUMNS = 5
"""No, Kegiatan, at least one role, and the Mutu Baku columns: fewer columns is not the
flowchart table (the identity block is a two- or three-column grid)."""


def flow_grid(cells: Sequence[PxBox], scale: float) -> bool:
    """Whether a page's ruled cells have the shape of the SOP AP flowchart table: at least
    :data:`MIN_FLOW_COLUMNS` cells in a band, and two such bands below each other."""
    if len(cells) < 2 * MIN_FLOW_COLUMNS:
        return False
    tol = 3 * scale
    bands: dict[int, list[PxBox]] = {}
    for c in cells:
        bands.setdefault(round(c[1] / tol), []).append(c)
    wide = [b for b in bands.values() if len(b) >= MIN_FLOW_COLUMNS]
    return len(wide) >= 2  # a continuation page may hold one row and a piece of another


TITLE_ZOOM = 2.0
"""Header cells are read again this much enlarged: role titles are often set small to fit a
narrow column ("Pengadministrasi Umum" in 6 pt), which the page-wide pass drops."""
TITLE_SURE = 60.0
"""Tesseract's confidence from which a word of the sparse second reading of the header cells
counts (below it, a rule's remnant or a split word's piece)."""


def _with_titles(
    words: list[PxWord], gray: Gray, cells: Sequence[PxBox], dpi: float
) -> list[PxWord]:
    """Words with the header's titles read again cell by cell, where that reads more.

    The page-wide sparse-text pass drops small print and letters of centred titles wrapped
    over three lines ("an" for "dan"); the cells above the first numbered band are read
    again together (:func:`ocr_cells`, as a block, enlarged). Word by word, the second
    reading adds what the first did not see, and replaces a word only with a vocabulary word
    read as it stands where the first read none (each pass misreads different letters).
    """
    bottom = header_bottom(words, cells)
    if bottom is None:
        return words
    top = min(c[1] for c in cells)
    head = [c for c in cells if c[3] <= bottom + 3 and c[1] >= top - 3]
    if not head:
        return words
    inset = 2
    boxes = [(c[0] + inset, c[1] + inset, c[2] - inset, c[3] - inset) for c in head]
    again = ocr_cells(gray, boxes, dpi, zoom=TITLE_ZOOM)
    # read once more as sparse text at the page's own size: a block reading of a coarse or
    # blurred title drops what it cannot fit to a line ("Kasubb" for "Kasubbag" over "PEKK",
    # both read whole this way); only its sure words, after the block's (a known word
    # replaces a misread one below)
    again += [w for w in ocr_cells(gray, boxes, dpi, psm=11) if w.confidence >= TITLE_SURE]
    vocab = vocabulary()

    def known(w: PxWord) -> bool:
        parts = [q for q in re.split(r"[/,.:()]+", w.text.lower()) if q]
        return bool(parts) and all(q in vocab for q in parts)

    def over(a: PxWord, b: PxWord) -> bool:
        return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom

    def in_head(w: PxWord) -> bool:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        return any(c[0] <= cx <= c[2] and c[1] <= cy <= c[3] for c in head)

    out = list(words)
    for w in again:
        if not in_head(w):
            continue
        if sum(ch.isalnum() for ch in w.text) < 2:
            continue  # a rule's remnant read as "|" or "I", not a dropped word
        clash = [m for m in out if over(m, w)]
        if not clash:
            out.append(w)  # a word the page-wide pass dropped
        elif known(w) and not any(known(m) for m in clash):
            out = [m for m in out if not any(m is c for c in clash)] + [w]
        elif known(w) and not any(w.text.lower() in m.text.lower() for m in clash):
            out.append(w)  # small print under a tall word ("Umum" below "Pengadministrasian")
    return out


def _text_only(
    gray: Gray,
    ink: Gray,
    bare: Gray,
    rulings_mask: Gray,
    arrow_labels: np.ndarray,
    symbols: list,
    scale: float,
    polylines: Sequence[PxArrow] = (),
    worn: bool = False,
) -> Gray:
    """The page with rulings, arrows and symbol outlines whitened: what Tesseract should read.

    An arrow's stretches too faint for the ink mask (joined by :mod:`.gaps`) are
    whitened along its polyline: left in, a grey line under a label reads as its underline
    and the label is lost."""
    outlines = outline_ink(bare, symbols, scale)
    drop = cv2.bitwise_or(rulings_mask, outlines)
    drop = cv2.dilate(drop, np.ones((3, 3), np.uint8))
    # a letter set across a ruling (a branch label standing on a row's rule) keeps its
    # stroke where it crosses: the ink the rulings' removal joined again across the rule
    crossing = cv2.bitwise_and(bare, rulings_mask)
    drop = cv2.bitwise_and(drop, cv2.bitwise_not(cv2.dilate(crossing, np.ones((3, 3), np.uint8))))
    # of an arrow only its straight runs and its head: a label's letters touching the line stay
    arrows = ((arrow_labels > 0) * 255).astype(np.uint8)
    k = max(int(4 * scale), 5)
    straight = cv2.bitwise_or(
        cv2.morphologyEx(arrows, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1))),
        cv2.morphologyEx(arrows, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k))),
    )
    heads = cv2.morphologyEx(arrows, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    # an open head (two thin wings, ">") survives both openings and reads as a "Y" or "V":
    # the line's own ink close behind its head goes too
    near = np.zeros_like(arrows)
    for a in polylines:
        if a.head is not None:
            cv2.circle(near, (round(a.head[0]), round(a.head[1])),
                       round(HEAD_LENGTH * scale), 255, -1)
    if worn:
        # a worn copy's mended mask joins a label's letters to the line beside them into
        # blobs as thick as a head: only blobs at the heads are heads there
        heads = cv2.bitwise_and(heads, near)
    heads = cv2.bitwise_or(heads, cv2.bitwise_and(arrows, near))
    drop = cv2.bitwise_or(
        drop, cv2.dilate(cv2.bitwise_or(straight, heads), np.ones((3, 3), np.uint8))
    )
    out = gray.copy()
    out[drop > 0] = 255
    for a in polylines:
        line = np.array([[round(x), round(y)] for x, y in a.path], np.int32)
        cv2.polylines(out, [line], False, 255, 3)
    return out


def _distinct(words: list[PxWord]) -> list[PxWord]:
    """Words without a second reading of the same word in the same place (two passes, one
    misread and repaired: "Imum" and "Umum" both become "Umum", and a role is titled
    "Pengadministrasian Umum Umum"); the surer reading stays."""
    out: list[PxWord] = []
    for w in sorted(words, key=lambda w: -w.confidence):
        if any(m.text.lower() == w.text.lower() and m.x0 < w.x1 and w.x0 < m.x1
               and m.top < w.bottom and w.top < m.bottom for m in out):
            continue
        out.append(w)
    order = {id(w): i for i, w in enumerate(words)}
    return sorted(out, key=lambda w: order[id(w)])


def _lines(words: list[PxWord]) -> list[str]:
    """Words joined into Tesseract's lines, top to bottom (for the identity block parser)."""
    groups: dict[tuple[int, int, int], list[PxWord]] = {}
    for w in words:
        groups.setdefault(w.line, []).append(w)
    ordered = sorted(
        groups.values(), key=lambda ws: (min(w.top for w in ws), min(w.x0 for w in ws))
    )
    return [" ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for ws in ordered]
