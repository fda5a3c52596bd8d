"""One entry point for "give me the SOP in this file": :func:`read_sop`.

Callers (the CLI, the web upload, the tests) should not care whether a file is an SOP table
(text, HTML, OCR, DOCX, XLSX, YAML) or a BPMN process edited in Camunda Modeler. BPMN goes to
:func:`converters.bpmn.reader.read_bpmn`; a drawn SOP (a PDF whose flowchart is vector paths)
is read from its drawing by :func:`converters.reading.drawn.reading.read_drawn`, so roles and
branches come from the symbols; everything else is read into a
:class:`~converters.reading.raw.RawDocument` by :func:`converters.reading.readers.read_raw`
and then completed by :func:`converters.reading.inference.infer`. Both are imported lazily so
reading a text SOP does not load the XML stack, and the other way round.

A file may hold several SOPs (a compilation, "Kumpulan SOP"): :func:`read_sops` reads each
(cut by :mod:`converters.reading.drawn.documents` for a drawing, by
:mod:`converters.reading.compilation` for text); :func:`read_sop` gives the first with a
``several-sops`` warning, so no caller gets a merged SOP without being told.

Anything the user can get wrong (a missing file, a folder, an empty or binary file, a document
that is not an SOP) ends as a one-line :class:`~converters.model.ConversionError`.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from pathlib import Path

from converters.model import ConversionError, ReaderWarning, Sop
from converters.reading.raw import RawDocument

MAX_BYTES = 50 * 1024 * 1024
"""Larger inputs are refused: no SOP document comes near this, a mistaken upload may."""

MAX_TEXT_BYTES = 2 * 1024 * 1024
"""Larger *text* SOPs (txt, HTML, YAML, OCR text) are refused before reading: a real one is
tens of kilobytes, and a 9.5 MB text once held a web thread for 52 s."""
MAX_STEPS = 500
"""Rows (steps) an SOP may have; a real SOP has at most a few hundred. Checked as soon as the
table is read, before the role inference, whose work grows with the steps."""

_BPMN_NS = b"http://www.omg.org/spec/BPMN/20100524/MODEL"
# formats read as binaries (their own readers bound them): zip (docx/xlsx), PDF, images, OLE
_BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*",
                 b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def looks_like_bpmn(data: bytes, filename: str = "") -> bool:
    """A ``.bpmn`` name, or XML that declares the BPMN 2.0 model namespace near its top."""
    if filename.lower().endswith(".bpmn"):
        return True
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and _BPMN_NS in head and re.search(
        rb"<(?:\w+:)?definitions\b", head) is not None


def _load(source: str | Path | bytes, filename: str) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), filename
    path = Path(source)
    try:
        if not path.exists():
            raise ConversionError(f"Berkas tidak ditemukan: {path} (file not found)")
        if path.is_dir():
            raise ConversionError(f"{path} adalah folder, bukan berkas SOP (a directory)")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ConversionError(
                f"Berkas terlalu besar: {size // (1024 * 1024)} MB (file too large)")
        return path.read_bytes(), filename or path.name
    except OSError as exc:
        raise ConversionError(
            f"Berkas tidak dapat dibaca: {path}: {exc.strerror or exc} (cannot read file)"
        ) from None


SEVERAL_SOPS = "several-sops"
"""The code of the warning :func:`read_sop` adds when the file holds more SOPs than the one
it returns (``docs/json.md``)."""


def read_sop(source: str | Path | bytes, filename: str = "") -> Sop:
    """Read an SOP from a path (``str``/``Path``) or from the file's bytes.

    ``filename`` helps format detection for bytes (an upload's name); for paths it defaults
    to the path's name. A file that holds several SOPs (a compilation) gives its first, with
    a ``several-sops`` warning that says how many there are: :func:`read_sops` reads them all.
    """
    return first_sop(read_sops(source, filename))


def first_sop(sops: list[Sop]) -> Sop:
    """The first of the SOPs :func:`read_sops` read, with the ``several-sops`` warning when
    there are more (for a caller that shows one SOP but read them all once)."""
    first = sops[0]
    if len(sops) == 1:
        return first
    note = ReaderWarning(
        f"Berkas ini memuat {len(sops)} SOP; hanya SOP pertama"
        f"{f' ({first.identity.name})' if first.identity.name else ''} yang dibaca di sini. "
        "Untuk semuanya: `alur convert` (satu berkas BPMN per SOP), `alur inspect --all`, "
        "atau unggah berkas ini di editor SOP (satu draf per SOP) "
        f"(the file holds {len(sops)} SOPs; only the first is read here)",
        SEVERAL_SOPS)
    return replace(first, warnings=(note, *first.warnings))


def read_sops(source: str | Path | bytes, filename: str = "") -> list[Sop]:
    """Every SOP in a file, in document order: one for most files, several for a compilation
    of drawn SOPs (a PDF or scan of one SOP after another, cut where a new identity block or
    a table numbered from 1 again begins: :mod:`converters.reading.drawn.documents`).

    Same arguments and errors as :func:`read_sop`; never an empty list.
    """
    data, filename = _load(source, filename)
    if len(data) > MAX_BYTES:
        raise ConversionError("Berkas terlalu besar (file too large)")
    if not data.strip():
        raise ConversionError("Berkas kosong: tidak ada isi SOP (empty file)")
    if looks_like_bpmn(data, filename):
        from converters.bpmn.reader import read_bpmn

        return [read_bpmn(data)]
    if not data.startswith(_BINARY_MAGIC) and len(data) > MAX_TEXT_BYTES:
        raise ConversionError(
            f"Teks SOP terlalu besar: {len(data) // 1024} KB, batas {MAX_TEXT_BYTES // 1024} KB"
            " (SOP text too large)"
        )
    try:
        return _read_document(data, filename)
    except ConversionError:
        if not data[:1024].lstrip().startswith(b"%PDF-"):
            raise
        from converters.reading.drawn.pdf.upright import upright_pdf

        turned = upright_pdf(data)  # a page that shows sideways: read it as a person turns it
        if turned is None:
            raise
        try:
            return _read_document(turned, filename)
        except ConversionError:
            pass
        raise


def _read_document(data: bytes, filename: str) -> list[Sop]:
    """:func:`read_sops` of checked bytes: the drawing when there is one, else the text."""
    from converters.reading.readers import OLE_MAGIC, opendocument

    if data.startswith(OLE_MAGIC):
        return _legacy_sops(data)
    odf = opendocument.kind_of(data)
    if odf is not None:  # LibreOffice's own file: read as the .docx/.xlsx it converts to
        data, filename = opendocument.as_office(data, odf)
    from converters.reading.drawn.reading import read_drawn_sops

    drawn = read_drawn_sops(data, filename)
    if drawn is not None:
        for sop in drawn:
            _check_steps(len(sop.steps))
        return drawn
    from converters.reading.inference import infer
    from converters.reading.readers import read_raw, read_text

    text = _plain_text(data, filename)
    if text is None:
        office = _office_raws(data)
        if office is not None:  # a Word compilation, a workbook of one SOP per sheet
            for one in office:
                _check_raw(one)
            return [infer(one) for one in office]
        raw = read_raw(data, filename)
    else:  # the text made once (pdftotext for a PDF) serves the cut and the reading
        several = _text_sops(text)
        if several is not None:
            return several
        raw = read_text(text, extracted=data.startswith(b"%PDF-"))
    _check_raw(raw)
    return [infer(raw)]


def _legacy_sops(data: bytes) -> list[Sop]:
    """An old .doc/.xls read from its text and, where LibreOffice is installed, converted to
    .docx/.xlsx and read as one (the drawing too): the converted reading is kept when it
    reads as much as the text (:func:`~converters.reading.readers.legacy.prefer_converted`).
    Each SOP says which path it took (:mod:`converters.reading.readers.legacy`)."""
    from converters.reading.inference import infer
    from converters.reading.readers import legacy

    what, modern = legacy.converted(data)
    drawn: list[Sop] | None = None
    problem = modern.problem if modern is not None else ""
    if modern is not None and modern.data is not None:
        try:
            drawn = _read_document(modern.data, modern.filename)
        except ConversionError as exc:
            problem = f"hasil LibreOffice tidak terbaca: {exc}"
    try:
        raws = legacy.read_text_path(data, problem)
        for raw in raws:
            _check_raw(raw)
        text = [infer(raw) for raw in raws]
    except ConversionError:
        if drawn is None:
            raise
        text = []
    if drawn is not None and legacy.prefer_converted(drawn, text):
        note = legacy.converted_warning(what)
        return [replace(s, warnings=(note, *s.warnings)) for s in drawn]
    if drawn is not None:  # LibreOffice's reading lost what the text has: say so
        note = legacy.text_warning(what, "hasil LibreOffice membaca lebih sedikit")
        return [replace(s, warnings=(note, *(w for w in s.warnings
                                             if w.code != legacy.TEXT_PATH))) for s in text]
    return text


def _plain_text(data: bytes, filename: str) -> str | None:
    """The text the text readers read, as :func:`converters.reading.readers.read_raw` makes
    it (``pdftotext -layout`` for a PDF, decoded bytes else); ``None`` for what is read
    otherwise: a zip (Word/Excel: one table each), an image, an old .doc/.xls
    (:func:`_legacy_sops`), the YAML authoring format."""
    from converters.reading.readers import OLE_MAGIC, decode_text, pdf_text

    pdf = data.startswith(b"%PDF-")
    if (data.startswith((*_BINARY_MAGIC, OLE_MAGIC)) and not pdf) or Path(
            filename).suffix.lower() in {".yaml", ".yml"}:
        return None
    return pdf_text(data) if pdf else decode_text(data)


def _office_raws(data: bytes) -> list[RawDocument] | None:
    """The SOP tables of a Word or Excel file that holds several (one per identity block
    after a page break; one per sheet), ``None`` for one, or for no Word/Excel file."""
    import io
    import zipfile

    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # read_raw gives the message
    if "word/document.xml" in names:
        from converters.reading.readers.docx_reader import read_docx_all

        return read_docx_all(data)
    if "xl/workbook.xml" in names:
        from converters.reading.readers.xlsx_reader import read_xlsx_all

        return read_xlsx_all(data)
    return None


def _text_sops(text: str) -> list[Sop] | None:
    """The SOPs of a compilation's text (a typed PDF's ``pdftotext -layout`` text, or that
    text saved), cut at the pages that carry a new identity block
    (:func:`converters.reading.compilation.split_text`); ``None`` when the text holds one
    SOP or is no paged text, so the one-SOP readers run as before. A piece that does not
    read as an SOP on its own (a title page, an annex) is read with the piece after it
    (the last with the one before)."""
    from converters.reading.compilation import PAGE_BREAK, split_text
    from converters.reading.inference import infer
    from converters.reading.readers import read_text

    pieces = split_text(text)
    if len(pieces) < 2:
        return None
    read: list[tuple[str, RawDocument]] = []
    pending = ""
    for piece in pieces:
        joined = pending + piece
        try:
            read.append((joined, read_text(joined)))
            pending = ""
        except ConversionError:
            pending = joined + PAGE_BREAK
    if pending and read:  # an annex after the last SOP: read with it
        whole = read[-1][0] + PAGE_BREAK + pending
        with contextlib.suppress(ConversionError):
            read[-1] = (whole, read_text(whole))
    if len(read) < 2:
        return None
    for _, raw in read:
        _check_raw(raw)
    return [infer(raw) for _, raw in read]


def _check_raw(raw: RawDocument) -> None:
    _check_steps(len(raw.authored_steps) if raw.authored_steps is not None else len(raw.rows))


def _check_steps(count: int) -> None:
    if count > MAX_STEPS:
        raise ConversionError(
            f"SOP memuat terlalu banyak langkah: {count}, batas {MAX_STEPS} (too many steps)"
        )


__all__ = ["MAX_BYTES", "MAX_STEPS", "MAX_TEXT_BYTES", "SEVERAL_SOPS", "first_sop",
           "looks_like_bpmn", "read_sop", "read_sops"]
