"""Entry point for drawn SOPs: pick the extractor by the file's magic bytes, interpret.

Each extractor turns one kind of file into a :class:`Picture`; the table below is the only
place that knows which file goes where (scan, Word and Excel extractors add their rows). An
extractor returns ``None`` when the file draws no flowchart (a text-only PDF): then
:func:`read_drawn` returns ``None`` and the text readers run as before.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from converters.model import Sop
from converters.reading.drawn.picture import Picture
from converters.reading.progress import Stage, report


@dataclass(frozen=True)
class Extractor:
    name: str
    magic: tuple[bytes, ...]
    module: str  # module with ``extract(data: bytes) -> Picture | None``
    rival: bool = False
    """Tried even after an earlier extractor found a picture; its picture is kept when it
    reads more steps from their symbols (a typed PDF may paste its flowchart as a picture
    into a table the vector extractor finds empty)."""
    entry: str = "extract"
    """The module's function to call (``(data: bytes) -> Picture | None``)."""


EXTRACTORS: tuple[Extractor, ...] = (
    Extractor("pdf-vector", (b"%PDF-",), "converters.reading.drawn.pdf.vector"),
    # a typed PDF with a pasted picture: drawing from its pixels, words from its text layer
    Extractor("pdf-raster", (b"%PDF-",), "converters.reading.drawn.pdf.raster", rival=True),
    # after those: a PDF with no text layer may be a scan (pages that are pictures)
    Extractor("scan", (b"%PDF-", b"\x89PNG", b"\xff\xd8", b"II*\x00", b"MM\x00*"),
              "converters.reading.drawn.scan.extractor"),
    # a scan with an OCR text layer: the hybrid extractor read that layer as it is; this reads
    # the pixels with our own OCR, and the picture with more steps from symbols is kept
    Extractor("scan", (b"%PDF-",), "converters.reading.drawn.scan.extractor", rival=True,
              entry="extract_searchable"),
    Extractor("office-shapes", (b"PK\x03\x04",), "converters.reading.drawn.office.package"),
)


def extractor_for(data: bytes) -> Extractor | None:
    head = data[:1024].lstrip()
    for ex in EXTRACTORS:
        if any(head.startswith(m) for m in ex.magic):
            return ex
    return None


def picture_of(data: bytes) -> Picture | None:
    """The drawing of ``data`` by the first extractor that sees one, else ``None``.

    Several extractors may claim the same magic bytes (a PDF is vector, hybrid or scanned):
    each is tried in table order until one returns a picture; a *rival* extractor is tried
    after that too, and the picture that reads more steps from symbols is kept.
    """
    head = data[:1024].lstrip()
    found: Picture | None = None
    for ex in EXTRACTORS:
        if not any(head.startswith(m) for m in ex.magic):
            continue
        if found is not None and not ex.rival:
            continue
        extract: Callable[[bytes], Picture | None] = getattr(
            importlib.import_module(ex.module), ex.entry)
        picture = extract(data)
        if picture is None:
            continue
        found = picture if found is None else _better(found, picture)
    return found


def _from_symbols(picture: Picture) -> int:
    from converters.model import ConversionError
    from converters.reading.drawn.interpret.interpreter import SOURCE, interpret

    try:
        sop = interpret(picture)
    except ConversionError:
        return -1
    return sum(1 for s in sop.steps if s.role_provenance.source == SOURCE)


def _better(first: Picture, rival: Picture) -> Picture:
    """``rival`` when it reads more steps from their symbols than ``first`` does."""
    return rival if _from_symbols(rival) > _from_symbols(first) else first


def read_drawn(data: bytes, filename: str = "") -> Sop | None:
    """The SOP read from its drawing, or ``None`` when ``data`` draws no flowchart table.

    ``filename`` is accepted for symmetry with the other readers (extractors go by content).
    Raises :class:`~converters.model.ConversionError` for broken or oversized input.
    """
    del filename
    picture = picture_of(data)
    if picture is None:
        return None
    from converters.reading.drawn.interpret.interpreter import interpret

    report(Stage.DRAWING)
    return interpret(picture)


def read_drawn_sops(data: bytes, filename: str = "") -> list[Sop] | None:
    """Every SOP drawn in ``data``, in document order (a compilation holds several:
    :mod:`converters.reading.drawn.documents` cuts it where a new SOP begins), or ``None``
    when ``data`` draws no flowchart table. A part that holds no SOP table of its own is
    left out; when none does, the error of the whole document is raised."""
    del filename
    picture = picture_of(data)
    if picture is None:
        return None
    from converters.model import ConversionError
    from converters.reading.drawn.documents import split_picture
    from converters.reading.drawn.interpret.interpreter import interpret

    report(Stage.DRAWING)
    parts = split_picture(picture)
    if len(parts) == 1:
        return [interpret(picture)]
    sops: list[Sop] = []
    for part in parts:
        try:
            sops.append(interpret(part))
        except ConversionError:
            continue
    return sops or [interpret(picture)]


__all__ = ["EXTRACTORS", "Extractor", "extractor_for", "picture_of", "read_drawn",
           "read_drawn_sops"]
