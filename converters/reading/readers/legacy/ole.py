"""The OLE compound file (.doc, .xls): opened once, its streams read by name.

Both old Office formats are OLE "structured storage": a little file system whose streams
hold the document (``WordDocument`` and a table stream for Word, ``Workbook`` or ``Book``
for Excel). :func:`kind` tells them apart by their streams, not by the file's name.
"""

from __future__ import annotations

import io
from typing import Any, Literal

from converters.model import ConversionError

Kind = Literal["word", "excel"]

MAX_STREAM = 64 * 1024 * 1024
"""A stream larger than this is no SOP (the whole file is at most 50 MB; olefile's own
checks keep a hostile sector chain from growing past the file)."""

DAMAGED = "Berkas .doc/.xls rusak dan tidak dapat dibuka (damaged OLE file)"
NEITHER = (
    "Berkas Office lama ini bukan dokumen Word (.doc) maupun Excel (.xls): simpan sebagai "
    ".docx/.xlsx atau PDF (OLE file that is neither Word nor Excel)"
)


def open_ole(data: bytes) -> Any:
    """An ``olefile.OleFileIO`` of ``data``; :class:`ConversionError` for a damaged file."""
    import olefile

    try:
        return olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError... on damage
        raise ConversionError(DAMAGED) from exc


def stream(ole: Any, name: str) -> bytes | None:
    """The bytes of a top-level stream (``None`` when there is none)."""
    try:
        if not ole.exists(name) or ole.get_type(name) != 2:  # 2: STGTY_STREAM
            return None
        if ole.get_size(name) > MAX_STREAM:
            raise ConversionError(DAMAGED)
        with ole.openstream(name) as f:
            return bytes(f.read())
    except ConversionError:
        raise
    except Exception as exc:
        raise ConversionError(DAMAGED) from exc


def kind(data: bytes) -> Kind:
    """Whether an OLE file is a Word or an Excel document; :class:`ConversionError` for a
    damaged file or for any other OLE file (PowerPoint, Outlook message, installer...)."""
    ole = open_ole(data)
    try:
        names = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception as exc:
        raise ConversionError(DAMAGED) from exc
    finally:
        ole.close()
    if "WordDocument" in names:
        return "word"
    if "Workbook" in names or "Book" in names:
        return "excel"
    raise ConversionError(NEITHER)


__all__ = ["DAMAGED", "NEITHER", "Kind", "kind", "open_ole", "stream"]
