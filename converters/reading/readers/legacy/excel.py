"""Excel 97-2003 (.xls): each sheet's cells as tabbed text, as the .xlsx reader writes them.

``xlrd`` reads the BIFF8 workbook (values only: a formula gives its cached value). A merged
cell keeps its value in its top-left cell and nothing in the others, exactly as
:mod:`converters.reading.readers.xlsx_reader` finds them in a .xlsx, so the tab reader reads
a spanning "Pelaksana" or "Mutu Baku" header the same way. Dates are stored as numbers with a
date format: they are turned back into dates before they are written as text.

A flowchart drawn on the sheet is kept in the sheet's MSODRAWING records (OfficeArt shapes,
each with the cells it spans): a symbol becomes a mark in the cell under its middle, before
the cell's text, as the .docx reader writes a shape in a cell, so the tab reader takes a
step's role from its symbol's column (:mod:`.shapes` tells the symbols from the lines).
"""

from __future__ import annotations

import io
import struct
from typing import Any

from converters.model import ConversionError
from converters.reading.readers.legacy.shapes import drawing_shapes
from converters.reading.readers.xlsx_reader import MAX_COLS, MAX_ROWS, _value

ENCRYPTED = (
    "Berkas .xls ini terkunci kata sandi: buka di Excel, hapus kata sandinya, lalu unggah lagi "
    "(encrypted .xls)"
)
DAMAGED = "Berkas .xls rusak dan tidak dapat dibuka (damaged .xls)"


def _cell(book: Any, cell: Any) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _value(xlrd.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _value(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return _value(bool(cell.value))
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return _value(cell.value)


_BOF, _EOF, _BOUNDSHEET, _MSODRAWING, _CONTINUE = 0x0809, 0x000A, 0x0085, 0x00EC, 0x003C
MAX_RECORDS = 2_000_000
MAX_SHEETS = 256
"""Sheets whose drawings are read (each is walked record by record)."""


def _biff_records(stream: bytes, at: int) -> list[tuple[int, bytes]]:
    """The BIFF records of one substream from its BOF at ``at`` to its EOF."""
    out: list[tuple[int, bytes]] = []
    while at + 4 <= len(stream) and len(out) < MAX_RECORDS:
        kind, size = struct.unpack_from("<HH", stream, at)
        out.append((kind, stream[at + 4 : at + 4 + size]))
        at += 4 + size
        if kind == _EOF:
            break
    return out


def _sheet_name(body: bytes) -> str:
    """A BOUNDSHEET record's sheet name (a short BIFF8 string after offset and type)."""
    if len(body) < 8:
        return ""
    count, wide = body[6], body[7] & 0x01
    raw = body[8 : 8 + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def _middle_cell(anchor: bytes) -> tuple[int, int] | None:
    """The (row, column) under the middle of a shape's cell anchor: columns in 1024ths of a
    column's width, rows in 256ths of a row's height."""
    if len(anchor) < 18:
        return None
    _flags, col_l, dx_l, row_t, dy_t, col_r, dx_r, row_b, dy_b = struct.unpack_from(
        "<HHhHhHhHh", anchor, 0
    )
    col = (col_l + dx_l / 1024 + col_r + dx_r / 1024) / 2
    row = (row_t + dy_t / 256 + row_b + dy_b / 256) / 2
    return int(row), int(col)


def sheet_marks(data: bytes) -> dict[str, dict[tuple[int, int], list[str]]]:
    """Each sheet's symbol marks by (row, column), by sheet name; ``{}`` when the drawings
    cannot be read (the cells are read without marks then)."""
    from converters.reading.readers.legacy.ole import open_ole, stream

    try:
        ole = open_ole(data)
        try:
            book = stream(ole, "Workbook") or stream(ole, "Book") or b""
        finally:
            ole.close()
        found: dict[str, dict[tuple[int, int], list[str]]] = {}
        for kind, body in _biff_records(book, 0):
            if kind != _BOUNDSHEET or len(body) < 6 or len(found) >= MAX_SHEETS:
                continue
            drawing = bytearray()
            previous = 0
            for sub, part in _biff_records(book, struct.unpack_from("<I", body, 0)[0]):
                if sub == _MSODRAWING or (sub == _CONTINUE and previous == _MSODRAWING):
                    drawing += part
                previous = sub if sub != _CONTINUE else previous
            marks: dict[tuple[int, int], list[str]] = {}
            for shape in drawing_shapes(bytes(drawing)).values():
                cell = _middle_cell(shape.anchor)
                mark = shape.mark
                if cell is not None and mark is not None:
                    marks.setdefault(cell, []).append(mark)
            found[_sheet_name(body)] = marks
        return found
    except (ConversionError, struct.error, IndexError, ValueError):
        return {}


def _with_marks(cells: list[str], row: int, marks: dict[tuple[int, int], list[str]]) -> list[str]:
    placed = {col: m for (r, col), m in marks.items() if r == row and col < MAX_COLS}
    if not placed:
        return cells
    out = cells + [""] * (max(placed) + 1 - len(cells))
    for col, m in placed.items():
        out[col] = f"{' '.join(dict.fromkeys(m))} {out[col]}".strip()
    return out


def sheets_to_text(data: bytes) -> list[tuple[str, str]]:
    """Each sheet as (name, tabbed text), in the workbook's order."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, logfile=io.StringIO(), on_demand=True)
    except xlrd.XLRDError as exc:
        raise ConversionError(ENCRYPTED if "encrypt" in str(exc).lower() else DAMAGED) from exc
    except Exception as exc:  # xlrd raises many kinds on a damaged BIFF stream
        raise ConversionError(DAMAGED) from exc
    out = []
    drawn = sheet_marks(data)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            marks = drawn.get(sheet.name, {})
            lines = []
            for r in range(min(sheet.nrows, MAX_ROWS)):
                cells = [_cell(book, c) for c in sheet.row_slice(r, 0, min(sheet.ncols, MAX_COLS))]
                cells = _with_marks(cells, r, marks)
                while cells and not cells[-1]:
                    cells.pop()
                lines.append("\t".join(cells))
            out.append((sheet.name, "\n".join(lines)))
            book.unload_sheet(index)
    except Exception as exc:
        raise ConversionError(DAMAGED) from exc
    finally:
        book.release_resources()
    return out


__all__ = ["DAMAGED", "ENCRYPTED", "sheets_to_text"]
