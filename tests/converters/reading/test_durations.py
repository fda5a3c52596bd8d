"""parse_duration: every spelling of Mutu Baku "Waktu" seen in SOPs, and the conventions."""

import pytest

from converters.reading.durations import parse_duration


@pytest.mark.parametrize(
    ("text", "lo", "hi", "iso", "working"),
    [
        ("5 Menit", 5, 5, "PT5M", False),
        ("10 mnt", 10, 10, "PT10M", False),
        ("1jam", 60, 60, "PT1H", False),
        ("60 Menit", 60, 60, "PT1H", False),
        ("30 Menit", 30, 30, "PT30M", False),
        ("1 jam 30 menit", 90, 90, "PT1H30M", False),
        ("setengah jam", 30, 30, "PT30M", False),
        ("1 Minggu", 2400, 2400, "P1W", True),
        ("2 Hari", 960, 960, "P2D", True),
        ("4 Hari", 1920, 1920, "P4D", True),
        ("dua hari", 960, 960, "P2D", True),
        ("2 hr", 960, 960, "P2D", True),
        ("1 hari kerja", 480, 480, "P1D", True),
        ("1 x 24 Jam", 1440, 1440, "PT24H", False),
        ("2 x 24 jam", 2880, 2880, "PT48H", False),
        ("5-10 menit", 5, 10, "PT10M", False),
        ("5 s.d 10 menit", 5, 10, "PT10M", False),
        ("1 - 5 hari Kerja", 480, 2400, "P5D", True),
        ("1 minggu 2 hari", 3360, 3360, "P7D", True),
        ("3 bulan", 28800, 28800, "P3M", True),
    ],
)
def test_times_are_computed(text: str, lo: int, hi: int, iso: str, working: bool) -> None:
    d = parse_duration(text)
    assert (d.text, d.min_minutes, d.max_minutes, d.iso, d.working_days) == (
        text,
        lo,
        hi,
        iso,
        working,
    )
    assert d.per_unit is None


@pytest.mark.parametrize(
    ("text", "unit"), [("2 menit/berkas", "berkas"), ("15 menit per dokumen", "dokumen")]
)
def test_per_unit_is_kept(text: str, unit: str) -> None:
    d = parse_duration(text)
    assert d.per_unit == unit
    assert d.min_minutes == d.max_minutes == int(text.split()[0])


@pytest.mark.parametrize("text", ["Segera", "-", "", "Sesuai kebutuhan", "0 menit"])
def test_text_without_a_time_keeps_only_the_text(text: str) -> None:
    d = parse_duration(text)
    assert d.text == text
    assert (d.min_minutes, d.max_minutes, d.iso, d.working_days) == (None, None, None, False)


def test_whitespace_is_normalised_but_the_words_are_kept() -> None:
    assert parse_duration("  10\n Menit ").text == "10 Menit"
