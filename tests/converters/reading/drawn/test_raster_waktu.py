"""The Waktu cell of a table read from pixels, whose words OCR glued or misread: spelt out by
the OCR reader's Waktu finder where that gives the whole cell a time it did not have."""

from __future__ import annotations

import pytest

from converters.reading.drawn.interpret.interpreter import _duration


@pytest.mark.parametrize(
    ("read", "minutes", "text"),
    [
        ("1jam30 menit", 90, "1 jam 30 menit"),  # glued: read as one hour
        ("1 han kerja", 480, "1 hari kerja"),  # "ri" read as "n"
        ("15 menit per dokumen", 15, "15 menit per dokumen"),  # read right: kept as written
        ("5-10 menit", 10, "5-10 menit"),
    ],
)
def test_a_waktu_read_from_pixels_is_spelt_out(read: str, minutes: int, text: str) -> None:
    duration = _duration(read, traced=True)
    assert (duration.max_minutes, duration.text) == (minutes, text)


def test_a_typed_waktu_is_taken_as_written() -> None:
    """A vector drawing's words are the author's: "1jam30 menit" typed so stays as typed."""
    assert _duration("1jam30 menit", traced=False).text == "1jam30 menit"
    assert _duration("", traced=True).max_minutes is None
