"""Signs that a text is OCR output whatever shape the page mode gave it.

Tesseract's automatic page mode (``--psm 3``) may read a whole table as blocks, a cell a
block: the step numbers and the column titles then stand on lines of their own, as plain
``pdftotext`` writes them. The shape no longer tells the two apart, the characters still do:
a tool that reads a PDF's text writes the digits the document holds, while OCR at low
resolution reads a Waktu value's digit as its look-alike letter ("Ijam", "Ziam", "T Minggu",
"1 - S hari Kerja"). The time-value reader of the cells (:func:`.waktu.find`) reads such a
value back: a value it reads with more digits than its characters hold is such a misreading.
"""

from __future__ import annotations

import re

from converters.reading.readers.ocr import waktu
from converters.reading.readers.ocr.rows import tokens

_DIGIT = re.compile(r"\d")
_UNIT_HINT = re.compile(r"(?i)j[a-z]?m|h[a-z]?r|ha[nr]|m[a-z]?n|nit|ming|mgg|bul|bln")
"""Letters a time unit leaves however OCR damages it: only lines holding them are read
(the time-value reader is too slow for every line of a long text)."""


def digits_read_as_letters(lines: list[str], enough: int) -> int:
    """How many Waktu values of ``lines`` hold a digit read as a letter, counted up to
    ``enough``."""
    found = 0
    for line in lines:
        if not _UNIT_HINT.search(line):
            continue
        toks = tokens(line)
        value = waktu.find(toks, [])
        if value is None:
            continue
        source = " ".join(toks[value.start : value.end])
        if len(_DIGIT.findall(value.text)) > len(_DIGIT.findall(source)):
            found += 1
            if found >= enough:
                break
    return found


__all__ = ["digits_read_as_letters"]
