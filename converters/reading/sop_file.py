"""One entry point for "give me the SOP in this file": :func:`read_sop`.

Callers (the CLI, the web upload, the tests) should not care whether a file is an SOP table
(text, HTML, OCR, DOCX, XLSX, YAML) or a BPMN process edited in Camunda Modeler. BPMN goes to
:func:`converters.bpmn.reader.read_bpmn`; everything else is read into a
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

_BPMN_NS = b"http://www.omg.org/spec/BPMN/20100524/MODEL"


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
    from converters.reading.inference import infer
    from converters.reading.readers import read_raw

    return infer(read_raw(data, filename))


__all__ = ["MAX_BYTES", "looks_like_bpmn", "read_sop"]
