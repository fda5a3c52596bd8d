"""Waktu values as Tesseract damages them at 150 dpi (issue 11, helper ocrmutu): a one-word
value with its last letter lost ("sehar"), a range glued whole with its
second number in letters ("5s.dIo"), and a no-time phrase whose first word lost its last
letter. Each token is shaped like the harness's OCR texts, not copied from one document."""

from __future__ import annotations

import pytest

from converters.reading.durations import parse_duration
from converters.reading.readers.ocr import waktu
from tests.support.ocr_text import ocr_rows


def _found(tokens: list[str], follow: list[str] | None = None) -> waktu.Waktu:
    found = waktu.find(["Nota", "Dinas", *tokens, "Arsip"], follow or [])
    assert found is not None, tokens
    return found


def _minutes(tokens: list[str], follow: list[str] | None = None) -> int | None:
    found = _found(tokens, follow)
    text = found.text
    if found.pending == "unit":
        text = f"{text} {follow[0] if follow else ''}"
    return parse_duration(text).max_minutes


@pytest.mark.parametrize(
    ("tokens", "minutes"),
    [
        (["sehar"], 480),  # "sehari" with its last letter lost (no "5 hari")
        (["Sehar"], 480),  # the same opening a cell
    ],
)
def test_a_value_that_lost_its_last_letter_is_read_whole(tokens: list[str], minutes: int) -> None:
    assert _minutes(tokens) == minutes


def test_a_glued_range_with_its_second_number_in_letters_waits_for_its_unit() -> None:
    assert _minutes(["5s.dIo"], ["menit"]) == 10


@pytest.mark.parametrize("head", ["Sesuar", "Sesua"])
def test_a_no_time_phrase_is_known_by_its_second_word(head: str) -> None:
    assert _found([head, "kebutuhan"]).text == "Sesuai kebutuhan"
    wrapped = _found([head], ["kebutuhan"])
    assert (wrapped.text, wrapped.pending) == ("Sesuai", "word:kebutuhan")


@pytest.mark.parametrize(
    "tokens",
    [
        ["Tahun"],  # a word, not "1 ahun"
        ["Sore"],  # a word opening with an "S", no "5"
        ["Tomorrow"],  # two look-alike letters before no unit
        ["Sesuai", "anggaran"],  # "sesuai" in running text
    ],
)
def test_words_in_a_cell_are_no_damaged_value(tokens: list[str]) -> None:
    assert waktu.find(["Nota", "Dinas", *tokens, "Arsip"], []) is None


def test_a_damaged_value_is_the_rows_waktu_and_leaves_the_output_whole() -> None:
    rows = ocr_rows(
        "1 | Menyusun konsep surat masuk Disposisi 15 menit | Nota Dinas\n"
        "2 | Mencatat surat masuk ke buku agenda Disposisi Sesuar kebutuhan Arsip\n"
        "3 | Memaraf konsep surat keluar Draf Surat sehar | Surat keluar\n"
    )
    assert [r.duration for r in rows][1:] == ["Sesuai kebutuhan", "sehari"]
    assert [r.output for r in rows] == ["Nota Dinas", "Arsip", "Surat keluar"]
