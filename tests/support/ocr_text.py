"""OCR text written in a test: the header a Tesseract page of an SOP table begins with (the
group titles, the column titles and four role columns on their own lines, as page modes 3 and
4 give them), so that a test writes only the rows it is about."""

from __future__ import annotations

from converters.reading.raw import RawRow
from converters.reading.readers import ocr

OCR_HEADER = """SOP Pengelolaan Surat Masuk

Pelaksana Mutu Baku
No Kegiatan Keterangan
Kadis PPK Kabid Staf Kelengkapan Waktu Output
"""


def ocr_rows(body: str) -> list[RawRow]:
    """The rows the OCR reader reads from :data:`OCR_HEADER` followed by ``body``."""
    return list(ocr.read(OCR_HEADER + body).rows)
