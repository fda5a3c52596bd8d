"""Indonesian dates of the identity block: text kept, value parsed only when certain."""

from datetime import date

import pytest

from converters.reading.dates import parse_date


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Jumat, 01 Desember 2017", date(2017, 12, 1), "day"),
        ("07 Mei 2018", date(2018, 5, 7), "day"),
        ("2 Juni 2025", date(2025, 6, 2), "day"),
        ("Januari 2023", date(2023, 1, 1), "month"),
        ("10 Nopember 2016", date(2016, 11, 10), "day"),
        ("3 Agt. 2021", date(2021, 8, 3), "day"),
        ("07-05-2018", date(2018, 5, 7), "day"),
        ("07/05/2018", date(2018, 5, 7), "day"),
        ("2018-05-07", date(2018, 5, 7), "day"),
        ("Rabu, 02 Mei 2018 ", date(2018, 5, 2), "day"),
        ("2022", date(2022, 1, 1), "year"),
        ("Tahun 2022", date(2022, 1, 1), "year"),
    ],
)
def test_parses_indonesian_dates(text: str, value: date, precision: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert parsed.value == value
    assert parsed.precision == precision
    assert parsed.text == text.strip()


@pytest.mark.parametrize("text", ["", "-", " - ", "--", "Revisi ke", "belum ada"])
def test_no_date_is_none(text: str) -> None:
    assert parse_date(text) is None


def test_impossible_day_keeps_text_without_value() -> None:
    parsed = parse_date("31 Februari 2020")
    assert parsed is not None
    assert parsed.text == "31 Februari 2020"
    assert parsed.value is None
    assert parsed.precision is None


def test_text_with_digits_but_no_date_keeps_text() -> None:
    parsed = parse_date("Revisi ke 2")
    assert parsed is not None and parsed.value is None and parsed.text == "Revisi ke 2"
