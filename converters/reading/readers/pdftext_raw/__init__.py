"""Reader for plain ``pdftotext`` output (no ``-layout``): text runs in content-stream order.

This is the hardest shape: every text run is its own line, blocks are separated by blank
lines, and the cells come column by column or out of row order (a row's number can stand far
from its activity; two rows' numbers can follow each other with their activities elsewhere).
No position survives, so the reader does what it honestly can and warns about the rest:

* **roles** come from the header blocks: the short blocks between the step column title
  ("Kegiatan", "Aktivitas", "Uraian Prosedur") and the first Mutu Baku title, plus the short
  blocks that share a block with a header title ("Pelaksana / Pengguna / Layanan") or name a
  jabatan next to the header;
* **steps** are anchored on lines holding only a number (not one that ends a wrapped
  "... ke langkah" / "7"); the text block right after a number
  is its activity when it reads like one (a verb or a process noun first). Activities left
  without a number are given, in reading order, to the numbers left without an activity,
  with a ``activity-guessed`` warning;
* **Mutu Baku**: the blocks right after an anchored activity, up to the next number, are its
  row's cells when one Waktu value stands among them (before it the Kelengkapan, after it the
  Output and remarks); a lone cell there is the Kelengkapan, the column beside the activity.
  pdftotext writes the rest of a page column by column, but each column top to bottom, so the
  Waktu values of a page come in row order: the page's other cells are aligned with its rows
  at their Waktu values (a least-cost split into Kelengkapan? Waktu? Output? Keterangan*
  groups, :func:`_align`), with a ``mutu-guessed`` warning. Rows left without any get a
  ``mutu-unassigned`` warning. poppler keeps a cell in its table, row by row, only as a
  corner of a grid of four aligned cells; the lone cells come after the page's last row,
  so such a cell goes to a row whose neighbours in its column are empty
  (``cells._lone_cost``);
* the **identity** label block ("Nomor SOP", "Tanggal ...") is paired with the value block that
  follows it before the shared header parser reads the text above the table.
"""

from __future__ import annotations

import dataclasses
import re

from converters.model import ConversionError, ReaderWarning
from converters.reading.header import parse_header
from converters.reading.raw import UNPLACED as UNPLACED
from converters.reading.raw import RawDocument

# `name as name`: internals the reader's tests reach, kept importable from the package
from converters.reading.readers.pdftext_raw.blocks import _Block as _Block
from converters.reading.readers.pdftext_raw.blocks import _blocks
from converters.reading.readers.pdftext_raw.cells import _align as _align
from converters.reading.readers.pdftext_raw.cells import _kind as _kind
from converters.reading.readers.pdftext_raw.cells import _Piece as _Piece
from converters.reading.readers.pdftext_raw.identity import (
    _pair_identity,
    _split_joined_title,
    _table_start,
)
from converters.reading.readers.pdftext_raw.labels import _labels_apart
from converters.reading.readers.pdftext_raw.mutu import _mutu_piece as _mutu_piece
from converters.reading.readers.pdftext_raw.mutu import _strays, _without_branch_lines
from converters.reading.readers.pdftext_raw.roles import _roles
from converters.reading.readers.pdftext_raw.shapes import (
    _ACTIVITY_TITLE,
    _MUTU_TITLE,
    _NUMBER,
    _SECTION_START,
    _is_title,
)
from converters.reading.readers.pdftext_raw.steps import _rows, _split_step_numbers
from converters.reading.readers.pdftext_raw.waktu import _cells as _cells
from converters.reading.readers.pdftext_raw.waktu import _split_waktu as _split_waktu

FORMAT = "raw"
_SOP_NUMBER_LINE = re.compile(r"^(?=.*\d)[\w.-]+(?:\s*/\s*[\w.-]+){2,}$")


def sniff(text: str) -> float:
    """How much ``text`` looks like plain ``pdftotext`` output of an SOP (0..1)."""
    lines = text.splitlines()
    full = [ln for ln in lines if ln.strip()]
    if not full:
        return 0.0
    titles = sum(1 for ln in full if _ACTIVITY_TITLE.match(ln.strip()))
    mutu = sum(1 for ln in full if _MUTU_TITLE.match(ln.strip()))
    numbers = sum(1 for ln in full if _NUMBER.match(ln.strip()))
    wide = sum(1 for ln in full if re.search(r"\S {4,}\S", ln))
    pipes = sum(ln.count("|") for ln in full)
    score = 0.0
    if titles and mutu >= 2:
        score += 0.4
    if numbers >= 3:
        score += 0.3
    if "\f" in text:
        score += 0.1
    if titles and mutu >= 2 and numbers >= 3 and "\f" in text:
        # header titles and step numbers each a whole line on form-feed pages: pdftotext's
        # own shape (OCR keeps a row's number with its text and garbles or joins the titles;
        # a flipbook page has no form feeds)
        score += 0.1
    if wide > len(full) / 10 or pipes > len(full) / 4 or "\t" in text:
        score *= 0.2
    return round(min(1.0, score), 3)


def _heading_apart(body: list[_Block]) -> list[_Block]:
    """The table's first block with a header section before the column titles (the
    section box "PERINGATAN" stands just above the table, and pdftotext wrote its lines and
    the titles as one block): the section's lines parted from the titles, so the titles are
    not taken for the section's text."""
    if not body or not _SECTION_START.match(body[0].lines[0]):
        return body
    first = body[0]
    at = next((k for k, x in enumerate(first.lines) if k and _is_title(x)), None)
    if at is None:
        return body
    return [_Block(first.lines[:at], first.first_line, first.page),
            _Block(first.lines[at:], first.first_line + at, first.page), *body[1:]]


def read(text: str) -> RawDocument:
    """Read plain ``pdftotext`` text into a :class:`RawDocument`."""
    blocks = _blocks(text)
    start = _table_start(blocks)
    if start is None:
        raise ConversionError(
            "Tabel SOP tidak ditemukan: tidak ada judul kolom Kegiatan dan Mutu Baku / "
            "no SOP table header found"
        )
    warnings: list[ReaderWarning] = []
    pre = parse_header(_pair_identity(blocks[:start]))
    warnings.extend(pre.warnings)
    if not pre.identity.number:
        number = next(
            (ln for b in blocks[:start] for ln in b.lines if _SOP_NUMBER_LINE.match(ln)), ""
        )
        if number:
            pre = dataclasses.replace(
                pre, identity=dataclasses.replace(pre.identity, number=number)
            )
            warnings.append(
                ReaderWarning(
                    f"Nomor SOP diambil dari baris lepas {number!r} / SOP number taken from a "
                    "loose line",
                    code="identity-guessed",
                )
            )
    body = _split_step_numbers([_split_joined_title(b) for b in _heading_apart(blocks[start:])])
    roles, header_ids = _roles(body)
    header_ids |= _strays(body, roles)
    body = _without_branch_lines(body, header_ids)
    body, header_ids = _labels_apart(body, header_ids)
    rows = _rows(body, header_ids, warnings)
    if not rows:
        raise ConversionError(
            "Tabel SOP tidak berisi langkah bernomor / the SOP table has no steps"
        )
    return pre.document(FORMAT, rows, warnings, roles=roles)
