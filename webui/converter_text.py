"""Texts from the converters as the web UI shows them: in the user's language, said once.

The converters keep machine-readable codes (a provenance ``source`` like ``"handover"``, a
branch target ``"end"``) and write their messages for the command line, in Indonesian with a
short English gloss for the analyst ("... (role guessed)", "... / step has no activity
text"). A civil servant reading the web page needs neither: the codes are translated here,
and the glosses and a repeated "Langkah N:" prefix (the page already shows the step) are
dropped at display.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

_SOURCES = {
    "author": _l("ditulis di dokumen"),
    "column": _l("tanda di kolom pelaksana"),
    "symbol": _l("simbol bagan alir"),
    "subject": _l("subjek kalimat kegiatan"),
    "handover": _l("serah terima dari langkah sebelumnya"),
    "instruction": _l("perintah kepada bawahan"),
    "clerical": _l("kata kerja administrasi"),
    "order": _l("urutan kolom"),
    "default": _l("tanpa petunjuk lain"),
    "text": _l("teks uraian"),
}

_FORMATS = {
    "pdf-vector": _l("PDF dengan bagan alir vektor (dibaca dari simbolnya)"),
    "pdf-raster": _l("PDF dengan bagan alir berupa gambar (dibaca dari simbolnya)"),
    "scan": _l("pindaian (dibaca dari simbolnya)"),
    "docx-shapes": _l("Word dengan bagan alir (dibaca dari simbolnya)"),
    "xlsx-shapes": _l("Excel dengan bagan alir (dibaca dari simbolnya)"),
    "docx": _l("tabel Word"),
    "xlsx": _l("tabel Excel"),
    "doc": _l("tabel Word 97-2003 (.doc, dibaca sebagai teks)"),
    "xls": _l("tabel Excel 97-2003 (.xls, dibaca sebagai teks)"),
    "yaml": _l("YAML"),
    "bpmn": _l("BPMN"),
    "tabbed": _l("teks bertabulasi"),
    "csv": _l("teks CSV dari lembar kerja"),
    "markdown": _l("tabel Markdown"),
    "grid": _l("tabel grid (+---+) dari konverter dokumen"),
    "dashed": _l("tabel bergaris putus-putus (pandoc)"),
    "cell-lines": _l("teks satu sel per baris"),
    "wrapped-rows": _l("baris tabel dengan sel terpotong baris (ekstraksi tabel PDF)"),
    "html": _l("HTML"),
    "positioned": _l("HTML/XML berposisi dari PDF"),
    "flipbook": _l("teks HTML dasar (flipbook)"),
    "ocr": _l("teks hasil OCR"),
    "layout": _l("teks pdftotext -layout"),
    "raw": _l("teks pdftotext"),
}

_ENGLISH = frozenset({
    "a", "activities", "activity", "added", "an", "bad", "binary", "both", "branch", "branches",
    "by", "columns", "decision", "empty", "expected", "failed", "file", "found", "guessed",
    "had", "has", "merged", "no", "not", "nowhere", "number", "of", "one", "order", "out",
    "paired", "pdftotext", "role", "row", "sop", "step", "steps", "table", "target", "text",
    "the", "to", "unknown", "unnumbered", "unsupported", "with", "workbook", "xlsx", "zip",
    "refused", "corrupt", "encrypted", "pdf", "image", "page", "pages", "password",
})
"""Words of the converters' English glosses: a gloss is dropped only if every word is one."""

_GLOSS_PARENS = re.compile(r"\s*\(([^()]*)\)")
_GLOSS_SLASH = re.compile(r"\s+/\s+([^/]+)$")
_WORD = re.compile(r"[A-Za-z]+")


_EXCEPTION = re.compile(r"^[A-Z]\w*(?:Error|Exception)$")
"""A library's exception name in a gloss ("corrupt PDF: PDFSyntaxError"): for the CLI only."""


def _is_gloss(text: str) -> bool:
    words = _WORD.findall(text)
    return bool(words) and len(words) == len(text.split()) and all(
        w.lower() in _ENGLISH or _EXCEPTION.match(w) for w in words)


def plain_message(message: object, step: int | None = None, line: int | None = None) -> str:
    """A converter message for the page: English glosses dropped, and a leading
    "Langkah N:" / "Baris N:" dropped when the page already names that step / line."""
    text = str(message).strip()
    text = _GLOSS_PARENS.sub(lambda m: "" if _is_gloss(m.group(1)) else m.group(0), text)
    slash = _GLOSS_SLASH.search(text)
    if slash and _is_gloss(slash.group(1)):
        text = text[: slash.start()]
    if step is not None:
        text = re.sub(rf"^(?:Langkah|Step)\s+{int(step)}\s*:\s*", "", text)
    elif line is not None:
        text = re.sub(rf"^(?:Baris|Line)\s+{int(line)}\s*:\s*", "", text)
    return text.strip()


def provenance_source(code: str) -> str:
    """Where an inferred value came from, in words (the code itself if unknown)."""
    found = _SOURCES.get(code)
    return str(found) if found is not None else code


def source_format(code: str) -> str:
    """Which reader or extractor read a document, in words (the code itself if unknown)."""
    found = _FORMATS.get(code)
    return str(found) if found is not None else (code or "–")


def branch_target(value: object) -> str:
    """A branch target: a step number as "langkah N", the end of the process in words."""
    if value == "end":
        return _("selesai")
    return _("langkah %(n)s", n=value)


__all__ = ["branch_target", "plain_message", "provenance_source", "source_format"]
