"""Whether OCR text is too coarse to read well, measured on the text itself.

Tesseract on a page rasterised at low resolution (150 dpi) loses what an SOP table needs
most, in a way no reader can undo: the small header titles go ("Pelaksana", "Mutu Baku",
"Waktu", "Output"), a row's number is dropped or turned into a letter, and a row whose one
line runs level with a flowchart symbol comes out as debris ("Ma mp Lol Ka Mono"). The
reader still reads what is there, but the analyst must hear that part of the document was
not read, and how to get a better reading: scan at 300 dpi, or hand Alur the picture itself.

The measure looks at what any SOP table has, never at a document's words: the share of the
rows between the lowest and the highest number read whose number opens a line or stands
alone; the kinds of header titles read; and the share of the table's lines that are debris
(most of their tokens no word). Any one of these far from what clean OCR gives (300 dpi:
nearly every number read, the titles read, debris on at most a fifth of the lines) makes
the text coarse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from converters.model import ReaderWarning
from converters.reading.readers.ocr.rows import LONE_NUMBER
from converters.reading.readers.ocr.words import debris_line, row_start
from converters.reading.vocabulary import MUTU_GROUP_TITLE, PELAKSANA_TITLE, mutu_kind

CODE = "ocr-coarse"
MESSAGE = (
    "Teks OCR terlalu kasar: sebagian baris tidak terbaca. Pindai ulang dokumen pada 300 dpi "
    "atau unggah PDF/gambar aslinya agar Alur membaca gambarnya sendiri."
)
"""Indonesian only: the advice is for the person who holds the scan, and the web page would
keep an English gloss with figures in it (webui.converter_text drops only plain ones)."""

_MIN_SPAN = 3
"""Fewer numbered rows than this say nothing about how many numbers were lost."""
_NUMBERED_SHARE = 0.8
"""Clean OCR (300 dpi) opens a line with nearly every row's number; coarse OCR with about
half to two thirds of them."""
_FEW_TITLES = 1
"""Header title kinds read at most this many times: the header's small words were lost."""
_DEBRIS_SHARE = 0.1
"""A lost header alone may be a header OCR cut off; with this share of debris lines it is
the resolution."""
_HEAVY_DEBRIS_SHARE = 0.3
"""Debris on this share of the table's lines is coarse text whatever else was read (clean
OCR leaves a symbol's remnant on at most a fifth of them)."""

_TITLE_KINDS = (
    ("pelaksana", re.compile(rf"\b{PELAKSANA_TITLE}\b", re.I)),
    ("mutu", re.compile(rf"\b{MUTU_GROUP_TITLE}\b", re.I)),
)


@dataclass(frozen=True)
class Coarseness:
    """What the measure saw: the row numbers read, out of the span from the lowest to the
    highest of them (a page whose whole number column was lost, as Tesseract's page mode
    may at any resolution, is no sign of coarse text; numbers lost here and there are);
    the header title kinds read; debris lines out of the table's lines."""

    numbered: int
    span: int
    titles: int
    debris: int
    lines: int

    @property
    def coarse(self) -> bool:
        lost_numbers = self.span >= _MIN_SPAN and self.numbered < _NUMBERED_SHARE * self.span
        lost_header = self.titles <= _FEW_TITLES and self.debris >= _DEBRIS_SHARE * self.lines
        heavy_debris = self.debris >= _HEAVY_DEBRIS_SHARE * self.lines
        return lost_numbers or lost_header or heavy_debris


def measure(lines: list[str], header: list[tuple[int, int]]) -> Coarseness:
    """The coarseness of the table that starts at the first of the ``header`` blocks
    ((first, after-last) line of each page's header, as the reader found them)."""
    in_header = {i for a, b in header for i in range(a, b)}
    start = header[0][0] if header else 0
    table = [ln for i, ln in enumerate(lines) if i >= start and i not in in_header and ln.strip()]
    numbers = {n for ln in table if (n := _number(ln)) is not None}
    span = max(numbers) - min(numbers) + 1 if numbers else 0
    head_text = " ".join(lines[i] for i in sorted(in_header))
    titles = {kind for kind, pattern in _TITLE_KINDS if pattern.search(head_text)}
    titles |= {k for w in head_text.split() if (k := mutu_kind(w)) and k != "notes"}
    return Coarseness(len(numbers), span, len(titles), sum(map(debris_line, table)), len(table))


def _number(line: str) -> int | None:
    """The row number a line opens with, or holds alone (a row read as blocks)."""
    start = row_start(line)
    if start is not None:
        return start[0]
    lone = LONE_NUMBER.match(line)
    return int(lone.group(1)) if lone else None


def coarse_warning(lines: list[str], header: list[tuple[int, int]]) -> ReaderWarning | None:
    """The ``ocr-coarse`` warning when the text is too coarse to read well, else None."""
    if not measure(lines, header).coarse:
        return None
    return ReaderWarning(MESSAGE, code=CODE, line=header[0][0] + 1 if header else None)
