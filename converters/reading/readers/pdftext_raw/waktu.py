"""A Waktu value split from the cell pdftotext joined it with, or joined over wrapped lines."""

from __future__ import annotations

import re

from converters.reading.readers.pdftext_raw.blocks import _Block
from converters.reading.readers.pdftext_raw.shapes import _CONNECTOR, _LABEL, _waktu
from converters.reading.vocabulary import WAKTU_VALUE, time_unit_pattern

_CONTINUED = re.compile(rf"^(?:{time_unit_pattern(abbreviations=True)}|per|kerja)\b", re.I)


def _cells(b: _Block) -> list[str]:
    """The cells of a Mutu Baku block: pdftotext joins a Waktu and the Output beside it into
    one block when they share their lines ("1 - 5 hari Kerja" / "SPM"); split them where the
    lines after the Waktu value do not continue it ("1 jam 30" / "menit" does). The letters
    of an off-page connector beside a cell ("Tatap muka" / "F") are no part of it."""
    lines: list[str] = []
    for x in b.lines:
        if _CONNECTOR.match(x) or (len(b.lines) > 1 and x.endswith("?") and _LABEL.match(x)):
            continue  # a connector's letter, a diamond's question ("Disposisi" / "Setuju?")
        if lines and re.fullmatch(r"[a-z]{1,2}", x):
            lines[-1] += x  # a word cut at the cell's edge ("kebutuha" / "n")
        else:
            lines.append(x)
    lines = lines or b.lines
    wrapped = _wrapped_waktu(lines) or _waktu_around(lines)
    if wrapped:
        return wrapped
    for k in range(1, len(lines)):
        head, tail = " ".join(lines[:k]), " ".join(lines[k:])
        if not _waktu(head) or _CONTINUED.match(tail) or not tail[:1].isupper():
            continue  # a cell starts with a capital; "per" / "dokumen" go on
        if not _waktu(tail):
            return [*_split_waktu(head), tail]
    return _split_waktu(re.sub(r"\s+", " ", " ".join(lines)).strip())


def _wrapped_waktu(lines: list[str]) -> list[str] | None:
    """A Waktu that wraps beside a one-line Output: pdftotext joins the Waktu's first line
    and the Output on their shared baseline, then writes the Waktu's last word ("1 minggu 2
    SPM" / "hari", "15 menit per Disposisi" / "dokumen"). The value and the cell, or None."""
    if len(lines) < 2:
        return None
    words = lines[0].split()
    if not words or not words[0][:1].isdigit():
        return None
    at = next((k for k, w in enumerate(words) if k and w[:1].isupper()), None)
    if at is None:
        return None
    after_per = words[at - 1].casefold() == "per" and re.fullmatch(r"[a-z]+", lines[1])
    if not (after_per and len(lines) == 2) and not all(_CONTINUED.match(x) for x in lines[1:]):
        return None
    value = " ".join([*words[:at], *lines[1:]])
    cell = " ".join(words[at:])
    if not _waktu(value) or _waktu(cell) or not WAKTU_VALUE.match(value):
        return None
    return [value, cell]


def _waktu_around(lines: list[str]) -> list[str] | None:
    """A one-line cell written between a wrapped Waktu's lines ("Sesuai" / "Surat keluar" /
    "kebutuhan"): the cell beside a Waktu of two lines sits on a baseline between them, and
    pdftotext joins the three lines into one block in baseline order. The value and the
    cell, or None. The lines after the cell go on with a small letter or a digit; a cell
    starts with a capital."""
    if len(lines) < 3 or _waktu(" ".join(lines)):
        return None
    for k in range(1, len(lines) - 1):
        cell, rest = lines[k], lines[k + 1 :]
        value = " ".join([*lines[:k], *rest])
        if (
            cell[:1].isupper()
            and not _waktu(cell)
            and not rest[0][:1].isupper()
            and _waktu(value)
            and not _waktu(" ".join(lines[:k]))
        ):
            return [value, cell]
    return None


_WAKTU_GOES_ON = re.compile(rf"\s*(?:/\s*\w+|per\s+\w+|kerja\b|{WAKTU_VALUE.pattern})", re.I)


def _split_waktu(text: str) -> list[str]:
    """A Waktu value and the Output written on the same line ("2 menit/berkas Surat
    Edaran"): the value with what continues it ("/berkas", "per dokumen", "30 menit"), then
    the cell that starts with a capital. A value in words ("setengah jam Surat Edaran") is
    the fewest words that read as one with a capitalised cell after them (the duration
    parser reads "setengah jam Surat" as a value too)."""
    m = WAKTU_VALUE.match(text)
    if not m:
        words = text.split()
        for k in range(1, min(3, len(words) - 1) + 1):
            head, rest = " ".join(words[:k]), " ".join(words[k:])
            if _waktu(head) and rest[:1].isupper() and not _waktu(rest):
                return [head, rest]
        return [text]
    end = m.end()
    while (more := _WAKTU_GOES_ON.match(text, end)) and more.end() > end:
        end = more.end()
    rest = text[end:].strip()
    if rest[:1].isupper() and not _CONTINUED.match(rest) and not _waktu(rest):
        return [text[:end].strip(), rest]
    return [text]
