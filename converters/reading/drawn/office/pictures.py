"""Word and Excel SOPs whose flowchart is a picture: read from its pixels, as a scan is.

Many agencies do not draw the flowchart in Word or Excel at all: they paste a screenshot of
the table, export it as PNG/JPEG, or insert a scanned page. Such a file has no SOP table of
its own (no table text, no shapes), only a large picture (``w:drawing`` → ``pic:pic`` →
``a:blip`` or VML ``v:imagedata`` in Word, ``xdr:pic`` in an Excel drawing; the bytes in
``word/media``/``xl/media``). Those pictures are decoded and handed, in document order, to
the scan extractor (:func:`converters.reading.drawn.scan.extractor.extract_rasters`, the path
a PNG upload takes), so one set of rules reads every picture of an SOP.

Each picture is decoded as an uploaded image is (:func:`..scan.raster.load_image`: its
stated dpi, else a page's size), not by the size it shows at: measured that way (a screenshot
shrunk to the margins) the figures were no better, some worse. The size it shows at tells a
flowchart from a logo or a signature, which is small and left out (:data:`MIN_WIDTH`,
:data:`MIN_HEIGHT`). EMF/WMF (vector pictures Word and Excel
also paste) are not read: a file whose only flowchart is such a picture gets a clear error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

from converters.model import ConversionError
from converters.reading.drawn.office.package import EMU_PER_POINT, A, Package, R
from converters.reading.drawn.office.xlsx_shapes import XDR, drawing_parts
from converters.reading.drawn.picture import Picture
from converters.reading.drawn.scan.raster import Raster

MIN_WIDTH = 200.0
MIN_HEIGHT = 100.0
"""Points a picture must show at, at the least, to be read as a flowchart: a letterhead logo
or a signature is smaller; a table, even a short one, is wider."""

MIN_PIXELS = (500, 200)
"""Pixels (wide, high) a picture needs when the file does not say how large it shows."""

MAX_PICTURES = 30
"""Pictures (pages) read from one file at the most (the scan extractor's page limit)."""

MAX_TOTAL_PIXELS = 240_000_000
"""Pixels of all pictures of one file together: thirty A4 pages at 300 dpi, far more than an
SOP needs, and a bound on the memory a file of many pasted pictures can claim."""

RASTER_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")
"""PNG, JPEG, TIFF (both byte orders), BMP: the pictures the scan extractor decodes."""

VECTOR_MAGIC = (b"\x01\x00\x00\x00", b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")
"""EMF (its header record), placeable WMF, and plain WMF (memory or disk metafile)."""

VECTOR_MESSAGE = (
    "Bagan alir SOP di berkas ini berupa gambar vektor EMF/WMF, yang belum dapat dibaca: "
    "simpan ulang gambarnya sebagai PNG/JPEG atau ekspor dokumennya ke PDF "
    "(the flowchart is an EMF/WMF picture, which is not read)"
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
VML = "urn:schemas-microsoft-com:vml"


@dataclass(frozen=True)
class Embedded:
    """One picture the file shows: its part in the zip and the size it shows at (points;
    0 when the file does not say)."""

    part: str
    width: float = 0.0
    height: float = 0.0


def _emu(el: etree._Element | None, name: str) -> float:
    try:
        return float(el.get(name, "0")) / EMU_PER_POINT if el is not None else 0.0
    except ValueError:
        return 0.0


def _vml_size(style: str) -> tuple[float, float]:
    """``width``/``height`` of a VML ``style`` attribute in points (pt, in, px, or bare)."""
    size = {"width": 0.0, "height": 0.0}
    for item in style.split(";"):
        key, _, value = item.partition(":")
        key, value = key.strip().lower(), value.strip().lower()
        if key not in size:
            continue
        unit = {"pt": 1.0, "in": 72.0, "px": 0.75, "cm": 72 / 2.54, "mm": 72 / 25.4}
        for suffix, k in unit.items():
            if value.endswith(suffix):
                value, factor = value[: -len(suffix)], k
                break
        else:
            factor = 1.0
        try:
            size[key] = float(value) * factor
        except ValueError:
            continue
    return size["width"], size["height"]


def docx_pictures(pkg: Package) -> list[Embedded]:
    """The pictures of a Word body in document order: DrawingML (inline or floating) and
    VML ``v:imagedata``, each with the size its holder shows it at."""
    doc = pkg.xml("word/document.xml")
    rels = pkg.relationships("word/document.xml")
    out: list[Embedded] = []
    for el in doc.iter(f"{{{A}}}blip", f"{{{VML}}}imagedata"):
        if el.tag == f"{{{A}}}blip":
            rid = el.get(f"{{{R}}}embed", "")
            holder = next((a for a in el.iterancestors(f"{{{WP}}}inline", f"{{{WP}}}anchor")),
                          None)  # fmt: skip
            extent = holder.find(f"{{{WP}}}extent") if holder is not None else None
            width, height = _emu(extent, "cx"), _emu(extent, "cy")
        else:
            rid = el.get(f"{{{R}}}id", "")
            shape = el.getparent()
            width, height = _vml_size(shape.get("style", "") if shape is not None else "")
        target = rels.get(rid, ("", ""))[1]
        if target and pkg.has(target):
            out.append(Embedded(target, width, height))
    return out


def xlsx_pictures(pkg: Package) -> list[Embedded]:
    """The pictures of a workbook's drawings (``xdr:pic``), sheet by sheet in the workbook's
    order, top to bottom on each sheet, with the size each anchor states."""
    if not pkg.has("xl/workbook.xml"):
        return []
    return [pic for part in drawing_parts(pkg).values() for pic in _drawing_pictures(pkg, part)]


def _drawing_pictures(pkg: Package, part: str) -> list[Embedded]:
    rels = pkg.relationships(part)
    placed: list[tuple[tuple[int, int], Embedded]] = []
    for anchor in pkg.xml(part):
        for pic in anchor.iter(f"{{{XDR}}}pic"):
            blip = pic.find(f".//{{{A}}}blip")
            target = rels.get(blip.get(f"{{{R}}}embed", "") if blip is not None else "",
                              ("", ""))[1]  # fmt: skip
            if not target or not pkg.has(target):
                continue
            ext = anchor.find(f"{{{XDR}}}ext")
            if ext is None:
                ext = pic.find(f"{{{XDR}}}spPr/{{{A}}}xfrm/{{{A}}}ext")
            row = anchor.find(f"{{{XDR}}}from/{{{XDR}}}row")
            off = anchor.find(f"{{{XDR}}}from/{{{XDR}}}rowOff")
            try:
                at = (int(row.text or "0") if row is not None else 0,
                      int(off.text or "0") if off is not None else 0)  # fmt: skip
            except ValueError:
                at = (0, 0)
            placed.append((at, Embedded(target, _emu(ext, "cx"), _emu(ext, "cy"))))
    placed.sort(key=lambda p: p[0])
    return [e for _, e in placed]


def _read(pkg: Package, part: str) -> bytes:
    """A picture part's bytes (the zip guard already bounded every declared size)."""
    from converters.reading.archive import MAX_UNCOMPRESSED

    try:
        with pkg.zip.open(part) as handle:
            return handle.read(MAX_UNCOMPRESSED + 1)
    except (KeyError, OSError, ValueError) as exc:
        raise ConversionError(f"Gambar {part} dari berkas {pkg.what} rusak (bad picture)") from exc


def large(e: Embedded) -> bool:
    """Shown large enough to be a flowchart (size unknown: decided from the pixels)."""
    return (e.width == 0 and e.height == 0) or (e.width >= MIN_WIDTH and e.height >= MIN_HEIGHT)


def read_pictures(pkg: Package, pictures: list[Embedded], header: str = "") -> Picture | None:
    """The flowchart of a file whose SOP is pasted as pictures, read from their pixels by the
    scan extractor; ``None`` when no picture is large enough. ``header``: the file's own
    text outside the pictures (an identity block typed in Word cells), exact where OCR is
    not, and so kept as the header when it holds identity labels.

    Raises :class:`ConversionError` when the only large pictures are EMF/WMF."""
    from converters.reading.compilation import MIN_LABELS, identity_labels
    from converters.reading.drawn.scan.extractor import extract_rasters
    from converters.reading.drawn.scan.raster import load_image

    shown = [e for e in pictures if large(e)][:MAX_PICTURES]
    rasters: list[Raster] = []
    vector = False
    broken: ConversionError | None = None
    pixels = 0
    for e in shown:
        data = _read(pkg, e.part)
        if data.startswith(VECTOR_MAGIC) or e.part.lower().endswith((".emf", ".wmf")):
            vector = True
            continue
        if not data.startswith(RASTER_MAGIC):
            continue
        try:
            pages = load_image(data)
        except ConversionError as exc:  # one broken picture: the others may hold the SOP
            broken = broken or exc
            continue
        h, w = pages[0].gray.shape[:2]
        if e.width == 0 and (w < MIN_PIXELS[0] or h < MIN_PIXELS[1]):
            continue
        for page in pages:
            pixels += page.gray.shape[0] * page.gray.shape[1]
            if pixels > MAX_TOTAL_PIXELS or len(rasters) >= MAX_PICTURES:
                raise ConversionError(
                    "Gambar di berkas ini terlalu banyak atau terlalu besar untuk dibaca "
                    "(too many or too large pictures)"
                )
            rasters.append(page)
    if not rasters:
        if vector:
            raise ConversionError(VECTOR_MESSAGE)
        if broken is not None:
            raise broken
        return None
    picture = extract_rasters(rasters)
    notes = (*picture.notes, f"{pkg.what}: bagan alir dibaca dari {len(rasters)} gambar "
             "(flowchart read from pictures)")  # fmt: skip
    if header and identity_labels(header) >= MIN_LABELS:
        return replace(picture, header_text=header, notes=notes)
    return replace(picture, notes=notes)


__all__ = [
    "MIN_HEIGHT",
    "MIN_WIDTH",
    "VECTOR_MESSAGE",
    "Embedded",
    "docx_pictures",
    "large",
    "read_pictures",
    "xlsx_pictures",
]
