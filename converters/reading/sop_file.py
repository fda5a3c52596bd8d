"""One entry point for "give me the SOP in this file": :func:`read_sop`.

Callers (the CLI, the web upload, the tests) should not care whether a file is an SOP table
(text, HTML, OCR, DOCX, XLSX, YAML) or a BPMN process edited in Camunda Modeler. BPMN goes to
:func:`converters.bpmn.reader.read_bpmn`; a drawn SOP (a PDF whose flowchart is vector paths)
is read from its drawing by :func:`converters.reading.drawn.reading.read_drawn`, so roles and
branches come from the symbols; everything else is read into a
:class:`~converters.reading.raw.RawDocument` by :func:`converters.reading.readers.read_raw`
and then completed by :func:`converters.reading.inference.infer`. Both are imported lazily so
reading a text SOP does not load the XML stack, and the other way round.

Anything the user can get wrong (a missing file, a folder, an empty or binary file, a document
that is not an SOP) ends as a one-line :class:`~converters.model.ConversionError`.
"""

from __future__ import annotations

import re
from pathlib import Path

from converters.model import ConversionError, Sop

MAX_BYTES = 50 * 1024 * 1024
"""Larger inputs are refused: no SOP document comes near this, a mistaken upload may."""

MAX_TEXT_BYTES = 2 * 1024 * 1024
"""Larger *text* SOPs (txt, HTML, YAML, OCR text) are refused before reading: a real one is
tens of kilobytes, and a 9.5 MB text once held a web thread for 52 s."""
MAX_STEPS = 500
"""Rows (steps) an SOP may have; a real SOP has at most a few hundred. Checked as soon as the
table is read, before the role inference, whose work grows with the steps."""

_BPMN_NS = b"http://www.omg.org/spec/BPMN/20100524/MODEL"
# formats read as binaries (their own readers bound them): zip (docx/xlsx), PDF, images
_BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


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


def read_sop(source: str | Path | bytes, filename: str = "") -> Sop:
    """Read an SOP from a path (``str``/``Path``) or from the file's bytes.

    ``filename`` helps format detection for bytes (an upload's name); for paths it defaults
    to the path's name.
    """
    data, filename = _load(source, filename)
    if len(data) > MAX_BYTES:
        raise ConversionError("Berkas terlalu besar (file too large)")
    if not data.strip():
        raise ConversionError("Berkas kosong: tidak ada isi SOP (empty file)")
    if looks_like_bpmn(data, filename):
        from converters.bpmn.reader import read_bpmn

        return read_bpmn(data)
    if not data.startswith(_BINARY_MAGIC) and len(data) > MAX_TEXT_BYTES:
        raise ConversionError(
            f"Teks SOP terlalu besar: {len(data) // 1024} KB, batas {MAX_TEXT_BYTES // 1024} KB"
            " (SOP text too large)"
        )
    from converters.reading.drawn.reading import read_drawn

    drawn = read_drawn(data, filename)
    if drawn is not None:
        _check_steps(len(drawn.steps))
        return drawn
    from converters.reading.inference import infer
    from converters.reading.readers import read_raw

    raw = read_raw(data, filename)
    _check_steps(len(raw.authored_steps) if raw.authored_steps is not None else len(raw.rows))
    return infer(raw)


def _check_steps(count: int) -> None:
    if count > MAX_STEPS:
        raise ConversionError(
            f"SOP memuat terlalu banyak langkah: {count}, batas {MAX_STEPS} (too many steps)"
        )


__all__ = ["MAX_BYTES", "MAX_STEPS", "MAX_TEXT_BYTES", "looks_like_bpmn", "read_sop"]
