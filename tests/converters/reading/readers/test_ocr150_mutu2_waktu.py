"""Waktu values at 150 dpi (issue 11, helper ocrmutu, second round): both digits of "15"
read as letters, a "5" read as an "S" before "s.d", a compound's "1" lost before its first
unit with the second unit wrapped. Lines shaped like the harness's OCR texts."""

from __future__ import annotations

import pytest

from converters.reading.readers.ocr import waktu
from tests.support.ocr_text import ocr_rows


@pytest.mark.parametrize(
    ("line", "follow", "value"),
    [
        ("Laporan IKU TS ment Rangkap dua", [], "15 menit"),  # "15": a stroke and an "S"
        ("Buku agenda Ssdio Disposisi", ["menit"], "5 sd 10"),  # "5s.d10": "S" and "io"
        ("Formulir isian Ssd10— (Rekap data", ["menit"], "5 sd 10"),  # the rule as a dash
    ],
)
def test_damaged_waktu_values_are_read(line: str, follow: list[str], value: str) -> None:
    found = waktu.find(line.split(), follow)
    assert found is not None
    assert found.text == value


def test_a_compound_whose_one_was_lost_waits_for_its_wrapped_unit() -> None:
    # "1 minggu 2 hari": the "1" read as a comma, "hari" wrapped onto the next line
    rows = ocr_rows(
        "1 | Menandatangani laporan kinerja, kemudian , minggu 2 Disposisi Melalui aplikasi\n"
        "diserahkan kepada Kabid hari\n"
    )
    assert rows[0].duration == "1 minggu 2 hari"
    assert rows[0].output == "Disposisi"
