"""OpenDocument (.odt / .ods, LibreOffice's own formats): read as the .docx / .xlsx that
LibreOffice converts them to.

Why not a reader of our own: an SOP's flowchart in a Writer or Calc file is drawn with
shapes that LibreOffice writes as DrawingML when it saves as .docx/.xlsx, which the drawn
office readers already read (:mod:`converters.reading.drawn.office`); a second set of
shape readers would say the same thing twice. Where LibreOffice (``soffice``) is not
installed, the file is refused with what to do instead, never taken for a damaged zip.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from converters.model import ConversionError
from converters.reading.readers.legacy import soffice


@dataclass(frozen=True)
class OdfKind:
    """One OpenDocument type: its mimetype, its extension and what it is converted to."""

    mimetype: str
    suffix: str
    target: str  # LibreOffice's "ext:Filter name"
    name: str  # as people call it


KINDS = (
    OdfKind("application/vnd.oasis.opendocument.text", "odt", "docx:MS Word 2007 XML",
            "Writer (.odt)"),
    OdfKind("application/vnd.oasis.opendocument.spreadsheet", "ods",
            "xlsx:Calc MS Excel 2007 XML", "Calc (.ods)"),
)  # fmt: skip


def kind_of(data: bytes) -> OdfKind | None:
    """The OpenDocument type of ``data`` (a zip whose first entry, ``mimetype``, says it),
    None when it is none (or no zip)."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            mimetype = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    for k in KINDS:
        if mimetype == k.mimetype:
            return k
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        raise ConversionError(
            f"Berkas OpenDocument jenis {mimetype.rsplit('.', 1)[-1]} bukan dokumen SOP yang "
            "dapat dibaca: simpan sebagai DOCX, XLSX atau PDF / unsupported OpenDocument file"
        )
    return None


def as_office(data: bytes, kind: OdfKind) -> tuple[bytes, str]:
    """``data`` converted by LibreOffice: the .docx/.xlsx bytes and their file name.

    Raises :class:`ConversionError` saying what to do when LibreOffice is missing or fails."""
    exe = soffice.program()
    if exe is None:
        raise ConversionError(
            f"Berkas LibreOffice {kind.name} dibaca lewat LibreOffice, yang tidak terpasang: "
            "simpan sebagai DOCX/XLSX atau PDF, atau pasang LibreOffice (soffice) / "
            "an OpenDocument file needs LibreOffice: save it as DOCX/XLSX or PDF"
        )
    done = soffice.convert_as(data, kind.suffix, kind.target, exe)
    if done.data is None:
        raise ConversionError(
            f"Berkas LibreOffice {kind.name} tidak dapat diubah ({done.problem}): simpan "
            "sebagai DOCX/XLSX atau PDF / the OpenDocument file could not be converted"
        )
    return done.data, done.filename


__all__ = ["KINDS", "OdfKind", "as_office", "kind_of"]
