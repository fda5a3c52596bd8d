"""Word 97-2003 (.doc) and Excel 97-2003 (.xls) SOPs: old files many agencies still send.

Two paths, and the document's warnings say which one was taken:

* **converted** (:mod:`.soffice`): where LibreOffice is installed, the file becomes a .docx
  or .xlsx and is read as one, the drawn flowchart included (warning ``legacy-converted``);
* **text** (:mod:`.word`, :mod:`.excel`): our own readers of the old formats give the tabbed
  text the .docx/.xlsx readers give (cells kept apart, spanning cells followed by empty ones,
  a symbol laid out in a cell as a mark there: :mod:`.shapes`), read by the tab reader; the
  arrows are not read, so decisions come from the text, and so do the roles where no symbol
  stands in a cell (warning ``legacy-text``).

The text path is cheap (a hundredth of a second) and LibreOffice's is not lossless: on files
it wrote itself, its decision diamonds come back as plain boxes (it saves them in the .doc as
freeforms), the drawn reader then finds no decision at all, and a compilation's page breaks
may be lost. So where both run, the converted reading is a *rival* kept only when it reads
as many SOPs and decisions as the text does (:func:`prefer_converted`): a drawing that kept
its symbols gives roles from them, one that lost them does not cost the text's decisions.

As for a .docx/.xlsx, a Word file holding several SOPs (pages with a new identity block) and
a workbook keeping one SOP per sheet give one document each.
"""

from __future__ import annotations

from converters.model import ConversionError, ReaderWarning, Sop
from converters.reading.raw import RawDocument
from converters.reading.readers import checked
from converters.reading.readers.legacy.ole import Kind, kind
from converters.reading.readers.legacy.soffice import Converted, convert, program

TEXT_PATH = "legacy-text"
CONVERTED_PATH = "legacy-converted"

_FORMS: dict[Kind, tuple[str, str, str]] = {
    "word": ("doc", "Word 97-2003", "docx"),
    "excel": ("xls", "Excel 97-2003", "xlsx"),
}


SYMBOL_MARKS = "◇○□⬠"
"""The marks the .doc/.xls text readers write for a symbol in a cell (as the .docx reader)."""


def text_warning(what: Kind, problem: str = "", symbols: bool = False) -> ReaderWarning:
    """The warning of a document read on the text path (``problem``: why LibreOffice did not
    convert it, when it was tried; ``symbols``: symbols were found in the table's cells)."""
    suffix, name, modern = _FORMS[what]
    why = problem or "LibreOffice tidak terpasang"
    advice = "simpan" if problem else "pasang LibreOffice atau simpan"
    if symbols:
        read = ("simbol bagan alir di sel tabel dibaca sebagai pelaksana, panahnya tidak: "
                "cabang keputusan disimpulkan dari teks")  # fmt: skip
        gloss = "symbols in cells read, arrows not"
    else:
        read = "simbol bagan alir tidak dibaca, pelaksana dan keputusan disimpulkan dari teks"
        gloss = "flowchart symbols not read"
    return ReaderWarning(
        f"Berkas .{suffix} ({name}) dibaca sebagai teks ({why}): {read}; {advice} sebagai "
        f".{modern} agar bagannya dibaca utuh (old .{suffix} read as text: {gloss})",
        TEXT_PATH,
    )


def converted_warning(what: Kind) -> ReaderWarning:
    suffix, name, modern = _FORMS[what]
    return ReaderWarning(
        f"Berkas .{suffix} ({name}) diubah ke .{modern} dengan LibreOffice lalu dibaca seperti "
        f".{modern}, bagan alir yang tergambar ikut dibaca (old .{suffix} converted to "
        f".{modern} by LibreOffice)",
        CONVERTED_PATH,
    )


def converted(data: bytes) -> tuple[Kind, Converted | None]:
    """The kind of an OLE file and, where LibreOffice is installed, the file converted to
    .docx/.xlsx (``None`` without LibreOffice). :class:`ConversionError` for an OLE file that
    is neither Word nor Excel, or is damaged."""
    what = kind(data)
    exe = program()
    return what, None if exe is None else convert(data, what, exe)


SYMBOL_SOURCE = "symbol"
"""The provenance source of a role read from its flowchart symbol (the drawn interpreter's)."""


def prefer_converted(drawn: list[Sop], text: list[Sop]) -> bool:
    """Whether LibreOffice's reading (``drawn``) is kept over the text path's: as many SOPs,
    as many decisions, and at least as many steps in all (a conversion that lost a diamond,
    a page break or a row loses to the text)."""

    def decisions(sops: list[Sop]) -> int:
        return sum(1 for sop in sops for step in sop.steps if step.decision is not None)

    def steps(sops: list[Sop]) -> int:
        return sum(len(sop.steps) for sop in sops)

    return (len(drawn) >= len(text) and decisions(drawn) >= decisions(text)
            and steps(drawn) >= steps(text))  # fmt: skip


def read_text_path(data: bytes, problem: str = "") -> list[RawDocument]:
    """Every SOP of a .doc/.xls read from its text (the module's text path), each with the
    ``legacy-text`` warning; never an empty list."""
    what = kind(data)
    docs, text = _word(data) if what == "word" else _excel(data)
    symbols = any(mark in text for mark in SYMBOL_MARKS)
    for doc in docs:
        doc.source_format = _FORMS[what][0]
        doc.warnings.insert(0, text_warning(what, problem, symbols))
    return docs


def _word(data: bytes) -> tuple[list[RawDocument], str]:
    """As :func:`~converters.reading.readers.docx_reader.read_docx_all` cuts a .docx: the text
    in one piece per SOP (:func:`~converters.reading.readers.docx_reader.split_pages`), a piece
    with no table of its own read with the next."""
    from converters.reading.readers import tabbed
    from converters.reading.readers.docx_reader import read_pieces, split_pages
    from converters.reading.readers.legacy.word import PAGE_BREAK, doc_to_text

    text = doc_to_text(data)
    pieces = split_pages(text)
    docs = read_pieces(pieces) if len(pieces) > 1 else []
    if len(docs) > 1:
        return docs, text
    return [checked(tabbed.read(text.replace(PAGE_BREAK, "")))], text


def _excel(data: bytes) -> tuple[list[RawDocument], str]:
    """As :func:`~converters.reading.readers.xlsx_reader.read_xlsx_all` reads a workbook:
    one SOP per sheet that shows an SOP table, else the sheet that looks most like one."""
    from converters.reading.readers import tabbed
    from converters.reading.readers.legacy.excel import sheets_to_text
    from converters.reading.readers.xlsx_reader import read_sheets

    sheets = sheets_to_text(data)
    if not any(text.strip() for _name, text in sheets):
        raise ConversionError("Berkas .xls kosong (empty workbook)")
    docs = read_sheets([t for _name, t in sheets])
    text = "\n".join(t for _name, t in sheets)
    if len(docs) > 1:
        return docs, text
    best = max(sheets, key=lambda s: tabbed.sniff(s[1]))
    return [checked(tabbed.read(best[1]))], text


__all__ = ["CONVERTED_PATH", "TEXT_PATH", "converted", "converted_warning", "prefer_converted",
           "read_text_path", "text_warning"]  # fmt: skip
