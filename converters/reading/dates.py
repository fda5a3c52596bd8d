"""Indonesian dates as SOP identity blocks write them.

Tanggal Pembuatan / Revisi / Efektif arrive as "Jumat, 01 Desember 2017", "07 Mei 2018",
"Januari 2023", "2 Juni 2025", "07-05-2018", "-" or a form label left blank ("Revisi ke").
The text is always kept (it is what the signed document says); the parsed value is a bonus
that lets the web UI sort and show SOP versions, so anything doubtful parses to ``value=None``
rather than to a wrong date.
"""

from __future__ import annotations

import re
from datetime import date

from converters.model import SopDate

# Month names and the abbreviations / old spellings seen in SOPs (Nopember, Pebruari) plus
# English, because templates are sometimes filled in English.
_MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "agus": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<d>\d{{1,2}})\s*[-./ ]?\s*(?P<m>{_MONTH_ALT})\.?\s*[-./ ]?\s*(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"\b(?P<m>{_MONTH_ALT})\.?\s*[-./ ]?\s*(?P<y>\d{{4}})\b", re.IGNORECASE)
_NUMERIC_DMY = re.compile(r"\b(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>\d{4})\b")
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
_YEAR = re.compile(r"\b(?P<y>(?:19|20)\d{2})\b")


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).strip(" :")


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str) -> SopDate | None:
    """Parse an Indonesian date; ``None`` when the text states no date at all.

    No date means empty, dashes only, or text without a single digit (every real date has a
    year, and a blank form label such as "Revisi ke" has none). Text that has digits but no
    recognisable date keeps its text with ``value=None``. An impossible day ("31 Februari
    2020") also keeps ``value=None`` instead of guessing.
    """
    cleaned = _clean(text)
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None
    if m := _DAY_MONTH_YEAR.search(cleaned):
        value = _make(int(m["y"]), _MONTHS[m["m"].lower()], int(m["d"]))
        return SopDate(cleaned, value, "day" if value else None)
    if m := _ISO.search(cleaned):
        value = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        return SopDate(cleaned, value, "day" if value else None)
    if m := _NUMERIC_DMY.search(cleaned):
        value = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        return SopDate(cleaned, value, "day" if value else None)
    if m := _MONTH_YEAR.search(cleaned):
        return SopDate(cleaned, date(int(m["y"]), _MONTHS[m["m"].lower()], 1), "month")
    if (m := _YEAR.search(cleaned)) and len(cleaned) <= 12:
        return SopDate(cleaned, date(int(m["y"]), 1, 1), "year")
    return SopDate(cleaned)


__all__ = ["parse_date"]
