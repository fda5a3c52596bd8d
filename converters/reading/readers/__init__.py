"""SOP readers: one module per input shape, and :func:`read_raw`, which picks the right one.

Binary containers are recognised by their magic bytes (DOCX and XLSX are ZIP files told apart
by their content types; old .doc/.xls are OLE files, read by :mod:`.legacy`; a PDF goes
through ``pdftotext -layout`` when poppler is installed),
``.yaml``/``.yml`` by the file name; any other text is decoded (UTF-8, UTF-16 with a BOM,
else Windows-1252) and every text reader rates how much it looks like its shape
(``sniff(text) -> 0..1``). The best rated reader reads it; if it gives up, the next one tries.

Each text reader is a module with ``sniff(text)`` and ``read(text)``; :data:`TEXT_READERS`
names them in order of preference.
"""

from __future__ import annotations

import importlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import PurePath
from types import ModuleType

from converters.model import ConversionError
from converters.reading.header import label_pattern
from converters.reading.raw import RawDocument, RawRow
from converters.reading.vocabulary import MUTU_GROUP_TITLE

# text readers, in order of preference when two rate a text equally
TEXT_READERS = ("yaml_reader", "word_boxes", "positioned", "html", "markdown", "gridtable",
                "dashed_table", "tabbed", "delimited", "wrapped_rows", "cell_lines", "ocr",
                "pdftext_layout", "pdftext_raw", "flipbook")
CLAIMING_READERS = ("word_boxes",)
"""Readers that tell their form by its structure alone (a dump of word boxes): when one
recognises the text, it is the text's reader and no other is asked, for its refusal is final
(:class:`FormRefused`). Asking the others cost seconds: the OCR reader's sniff looks for a
garbled header in each of the thousands of lines (one per word) of such a dump."""
CLAIM = 0.99
MIN_SCORE = 0.25


class FormRefused(ConversionError):
    """A reader that recognised the text's form refuses it, and no other reader may try: a
    dump of word boxes without an SOP table would otherwise be read by the tab reader as a
    table of hundreds of numbered "steps"."""

NOT_AN_SOP = (
    "Bukan dokumen SOP: tidak ditemukan tabel dengan kolom Kegiatan/Uraian/Aktivitas "
    "maupun langkah bernomor (not an SOP)"
)


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"converters.reading.readers.{name}")


def _control_ratio(text: str) -> float:
    sample = text[:20_000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return bad / max(len(sample), 1)


def decode_text(data: bytes) -> str:
    """Bytes to text; :class:`ConversionError` for binary data."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ConversionError("Berkas biner, bukan teks (binary file)") from exc
    if b"\x00" in data[:65536]:
        raise ConversionError("Berkas biner, bukan teks (binary file)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if _control_ratio(text) > 0.01:
        raise ConversionError("Berkas biner, bukan teks (binary file)")
    return text


def _read_zip(data: bytes) -> RawDocument:
    from converters.reading.readers import opendocument

    odf = opendocument.kind_of(data)
    if odf is not None:
        return _read_zip(opendocument.as_office(data, odf)[0])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            types = zf.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError) as exc:
        raise ConversionError("Berkas ZIP rusak atau bukan DOCX/XLSX (bad zip file)") from exc
    if "wordprocessingml" in types:
        from converters.reading.readers import docx_reader

        return docx_reader.read_docx(data)
    if "spreadsheetml" in types:
        from converters.reading.readers import xlsx_reader

        return xlsx_reader.read_xlsx(data)
    raise ConversionError("Berkas ZIP ini bukan DOCX maupun XLSX (unsupported zip file)")


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of an old Word/Excel file (.doc/.xls): read from its text by
:mod:`converters.reading.readers.legacy` (``read_sop`` converts it with LibreOffice first
when it can)."""


def pdf_text(data: bytes) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ConversionError(
            "Berkas PDF butuh program pdftotext (paket poppler-utils) untuk dibaca"
        )
    try:
        done = subprocess.run(
            [exe, "-layout", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConversionError("PDF tidak dapat diubah menjadi teks (pdftotext failed)") from exc
    text = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0 or not text.strip():
        raise ConversionError("PDF tidak berisi teks yang bisa dibaca (scan? gunakan OCR)")
    return text


def _has_steps(doc: RawDocument) -> bool:
    return bool(doc.rows) or bool(doc.authored_steps)


def checked(doc: RawDocument) -> RawDocument:
    """``doc`` when it holds steps; a reader's table without any is refused (one message for
    every reader: the text readers here, the legacy .doc/.xls text path, the word boxes)."""
    if not _has_steps(doc):
        raise ConversionError("Tabel SOP ditemukan tetapi tidak berisi langkah (no steps)")
    return doc


def rank_readers(text: str) -> list[tuple[float, str, ModuleType]]:
    """Every available text reader with its score for ``text``, best first."""
    ranked: list[tuple[float, int, str, ModuleType]] = []
    for order, name in enumerate(TEXT_READERS):
        mod = _module(name)
        score = float(mod.sniff(text))
        if name in CLAIMING_READERS and score >= CLAIM:
            return [(score, name, mod)]
        ranked.append((score, order, name, mod))
    ranked.sort(key=lambda t: (-t[0], t[1]))
    return [(score, name, mod) for score, _order, name, mod in ranked]


def read_text(text: str, *, extracted: bool = False) -> RawDocument:
    """Read decoded SOP text with the text reader that fits it best. ``extracted``: the text
    is what Alur itself took out of a PDF given to it (no hint to give the PDF instead)."""
    if not text.strip():
        raise ConversionError("Berkas kosong (empty file)")
    first_error: ConversionError | None = None
    for score, _name, mod in rank_readers(text):
        if score < MIN_SCORE:
            break
        try:
            return checked(mod.read(text))
        except FormRefused:
            raise
        except ConversionError as exc:
            first_error = first_error or exc
    if not extracted and _identity_without_table(text):
        raise ConversionError(NO_TABLE_IN_TEXT)
    raise first_error or ConversionError(NOT_AN_SOP)


NO_TABLE_IN_TEXT = (
    "Teks ini memuat identitas SOP (Nomor SOP, tanggal, pengesahan) tetapi tidak memuat "
    "tabel langkahnya: pada dokumen asal tabel itu mungkin berupa gambar. Unggah PDF, "
    "pindaian, atau berkas Word/Excel aslinya agar gambarnya dibaca (the text holds the SOP's "
    "identity but not its table, which may be a picture in the original: give Alur the "
    "original PDF, scan or Office file)"
)
_IDENTITY = re.compile(label_pattern("number", "created", "revised", "effective", "approved",
                                     "name"), re.IGNORECASE)  # fmt: skip
_MUTU_GROUP = re.compile(MUTU_GROUP_TITLE, re.IGNORECASE)
_IDENTITY_AT_LEAST = 2
"""Identity labels that make a text an SOP's cover: one ("Nomor SOP") may be a citation."""


def _identity_without_table(text: str) -> bool:
    """Whether ``text`` is an SOP's identity page without its table (no "Mutu Baku" title
    anywhere): a PDF whose flowchart table is a picture gives its text extraction the cover
    and nothing of the table."""
    labels = {m.group(0).casefold() for m in _IDENTITY.finditer(text)}
    return len(labels) >= _IDENTITY_AT_LEAST and not _MUTU_GROUP.search(text)



def read_raw(data: bytes, filename: str = "") -> RawDocument:
    """Read any supported SOP document into a :class:`RawDocument`.

    Raises :class:`ConversionError` with a one-line message for an empty file, a binary or
    unsupported file, a text that is not an SOP, or an SOP table without steps.
    """
    if not data or not data.strip():
        raise ConversionError("Berkas kosong (empty file)")
    ext = PurePath(filename).suffix.lower() if filename else ""
    if data[:4] == b"PK\x03\x04":
        return checked(_read_zip(data))
    if data.startswith(OLE_MAGIC):
        from converters.reading.readers.legacy import read_text_path

        return read_text_path(data)[0]
    if data[:5] == b"%PDF-":
        return read_text(pdf_text(data), extracted=True)
    text = decode_text(data)
    if ext in {".yaml", ".yml"}:
        from converters.reading.readers import yaml_reader

        return checked(yaml_reader.read(text))
    return read_text(text)


__all__ = ["MIN_SCORE", "OLE_MAGIC", "TEXT_READERS", "FormRefused", "RawDocument", "RawRow",
           "checked", "decode_text", "pdf_text", "rank_readers", "read_raw",
           "read_text"]  # fmt: skip
