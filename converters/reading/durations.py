"""Mutu Baku "Waktu": turning "10 mnt", "1 - 5 hari Kerja" or "1 x 24 Jam" into numbers.

SOP authors write times freely, so :func:`parse_duration` keeps the text as written and adds
what it can compute: minimum and maximum minutes, an ISO 8601 duration of the maximum, and
whether the time counts *working* days. The engine uses these to put due dates on tasks.

Conventions (one place, so every reader agrees):

* minutes and hours are wall-clock time ("PT10M", "PT1H30M");
* days, weeks and months are office time: one working day = 8 hours = 480 minutes, one week =
  5 working days = 2400 minutes, one month = 20 working days; ``working_days`` is then true and
  ``iso`` is written in the unit the SOP used ("P2D", "P1W", "P1M");
* "1 x 24 jam" is the legal phrasing of "within 24 hours" (the clock keeps running at night),
  so it is **24 wall-clock hours**: 1440 minutes, ``PT24H``, ``working_days`` false;
* a range ("5-10 menit", "1 - 5 hari kerja", "5 s.d. 10 menit") fills min and max;
* "2 menit/berkas" or "2 menit per berkas" keeps ``per_unit="berkas"``;
* text that states no time ("-", "Segera", "Sesuai kebutuhan", "") keeps only ``text``.
"""

from __future__ import annotations

import math
import re

from converters.model import Duration
from converters.reading.vocabulary import WAKTU_IN_CELL, TimeUnit, time_unit

_WORKING = {"day", "week", "month"}

_NUMBER_WORDS = {
    "setengah": 0.5,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "dua belas": 12,
    "lima belas": 15,
    "dua puluh": 20,
    "tiga puluh": 30,
    "empat puluh lima": 45,
    "enam puluh": 60,
}

_PER_UNIT = re.compile(r"(?:/|\bper\s+|\bsetiap\s+|\btiap\s+)\s*(?P<unit>[a-z][a-z ]*[a-z]|[a-z])")


def _number(text: str) -> float:
    if text == "½":
        return 0.5
    if text == "¼":
        return 0.25
    return float(text.replace(",", "."))


def _minutes(parts: list[tuple[float, TimeUnit]]) -> int:
    return math.ceil(sum(a * (u.minutes or 0) for a, u in parts))


def _words_to_digits(text: str) -> str:
    """Rewrite number words ("dua hari", "sehari", "setengah jam") as digits."""
    text = re.sub(r"\bse(hari|jam|minggu|pekan|bulan)\b", r"1 \1", text)
    for word in sorted(_NUMBER_WORDS, key=len, reverse=True):
        value = _NUMBER_WORDS[word]
        digits = f"{value:g}"
        text = re.sub(rf"\b{word}\b", digits, text)
    return text


def _iso(parts: list[tuple[float, TimeUnit]]) -> str | None:
    """ISO 8601 from (amount, unit) parts of the maximum, keeping the SOP's own units."""
    date_part = ""
    months = sum(a for a, u in parts if u.name == "month")
    weeks = sum(a for a, u in parts if u.name == "week")
    days = sum(a for a, u in parts if u.name == "day")
    minutes = sum(a * (u.minutes or 0) for a, u in parts if u.name in ("minute", "hour"))
    if weeks and (days or months or minutes or weeks != int(weeks)):
        days += weeks * 5
        weeks = 0
    if months and months != int(months):
        days += months * 20
        months = 0
    if days and days != int(days):
        minutes += (days - int(days)) * 480
        days = int(days)
    if months:
        date_part += f"{int(months)}M"
    if weeks:
        return f"P{int(weeks)}W"
    if days:
        date_part += f"{int(days)}D"
    time_part = ""
    minutes = math.ceil(minutes)
    if minutes:
        hours, mins = divmod(minutes, 60)
        if hours:
            time_part += f"{hours}H"
        if mins:
            time_part += f"{mins}M"
    if not date_part and not time_part:
        return None
    return "P" + date_part + (("T" + time_part) if time_part else "")


def parse_duration(text: str) -> Duration:
    """Parse a Waktu cell; unknown or empty text yields a Duration with only ``text``."""
    original = " ".join((text or "").split())
    low = _words_to_digits(original.lower())
    matches = list(WAKTU_IN_CELL.finditer(low))
    if not matches:
        return Duration(text=original)
    lo_parts: list[tuple[float, TimeUnit]] = []
    hi_parts: list[tuple[float, TimeUnit]] = []
    for m in matches:
        unit = time_unit(m["unit"])
        lo = _number(m["lo"])
        hi = _number(m["hi"]) if m["hi"] else lo
        mul = _number(m["mul"]) if m["mul"] else None
        if mul is not None:
            # "1 x 24 jam": the multiplier's unit is the unit written after it
            lo, hi = lo * mul, hi * mul
        lo, hi = min(lo, hi), max(lo, hi)
        lo_parts.append((lo, unit))
        hi_parts.append((hi, unit))
    min_minutes = _minutes(lo_parts)
    max_minutes = _minutes(hi_parts)
    if max_minutes <= 0:
        return Duration(text=original)
    working = any(u.name in _WORKING for _, u in hi_parts)
    per_unit = None
    tail = low[matches[-1].end() :]
    per = _PER_UNIT.match(tail.strip())
    if per:
        per_unit = per["unit"].strip()
    return Duration(
        text=original,
        min_minutes=min_minutes,
        max_minutes=max_minutes,
        iso=_iso(hi_parts),
        working_days=working,
        per_unit=per_unit,
    )


__all__ = ["parse_duration"]
