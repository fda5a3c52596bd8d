"""Excel (.xlsx) SOPs: a sheet's rows turned into tabbed text for the tab reader.

Some offices keep SOPs in spreadsheets: the identity block in the top rows, the step table
below, one cell per column. Read-only, values only (formulas give their cached values), and
every row becomes one line with a tab between cells, so the tab reader's header and row logic
applies unchanged. Merged cells hold their value in the top-left cell and nothing in the
others, which is exactly what the tab reader expects of a spanning header.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time

from converters.model import ConversionError
from converters.reading.archive import check_archive
from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed

_MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
MAX_ROWS = 5000
MAX_COLS = 60


def _value(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "Ya" if v else "Tidak"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime) and v.time() == time(0, 0):
        v = v.date()
    if isinstance(v, date) and not isinstance(v, datetime):
        return f"{v.day:02d} {_MONTHS[v.month - 1]} {v.year}"
    return " ".join(str(v).replace("\t", " ").split())


def sheets_to_text(data: bytes) -> list[tuple[str, str]]:
    """Each sheet as (name, tabbed text)."""
    from openpyxl import load_workbook

    check_archive(data, "XLSX")  # zip bomb guard before openpyxl inflates anything
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl, zipfile and XML parsers raise many kinds
        raise ConversionError("Berkas XLSX rusak atau tidak dapat dibuka (bad xlsx)") from exc
    out = []
    try:
        for ws in wb.worksheets:
            lines = []
            for i, row in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLS)):
                if i >= MAX_ROWS:
                    break
                cells = [_value(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                lines.append("\t".join(cells))
            out.append((ws.title, "\n".join(lines)))
    except Exception as exc:
        raise ConversionError("Berkas XLSX rusak atau tidak dapat dibaca (bad xlsx)") from exc
    finally:
        wb.close()
    return out


def read_xlsx(data: bytes) -> RawDocument:
    """Read the first sheet that holds an SOP table."""
    sheets = sheets_to_text(data)
    if not any(text.strip() for _n, text in sheets):
        raise ConversionError("Berkas XLSX kosong (empty workbook)")
    ranked = sorted(sheets, key=lambda s: -tabbed.sniff(s[1]))
    doc = tabbed.read(ranked[0][1])
    doc.source_format = "xlsx"
    return doc


SHEET_SNIFF = 0.9
""":func:`tabbed.sniff` score of a sheet that holds an SOP table (its Kegiatan header)."""


def read_sheets(texts: list[str]) -> list[RawDocument]:
    """The SOP of every sheet text that shows an SOP table header and reads with steps, in
    the workbook's order. Shared by .xlsx and the .xls's cells (``legacy``)."""
    docs: list[RawDocument] = []
    for text in texts:
        if tabbed.sniff(text) < SHEET_SNIFF:
            continue
        try:
            doc = tabbed.read(text)
        except ConversionError:
            continue
        if doc.rows or doc.authored_steps:
            docs.append(doc)
    return docs


def read_xlsx_all(data: bytes) -> list[RawDocument] | None:
    """One SOP per sheet of a workbook that keeps an office's SOPs one to a sheet: every
    sheet whose text shows an SOP table header and reads with steps, in the workbook's
    order; ``None`` when fewer than two do, so :func:`read_xlsx` reads the best sheet as
    before."""
    docs = read_sheets([text for _name, text in sheets_to_text(data)])
    for doc in docs:
        doc.source_format = "xlsx"
    return docs if len(docs) > 1 else None


__all__ = ["read_xlsx", "read_xlsx_all", "sheets_to_text"]
