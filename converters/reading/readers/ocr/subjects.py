"""The document's own performer names, from the subjects of its activities.

When OCR lost the Pelaksana header (a header printed as a picture, small titles faded, the
table's first page missing), the roles still stand in the text: procurement and service SOPs
write each activity with its performer as the subject ("Panitia Seleksi membuat Pengumuman
Lelang", "Penyedia menyerahkan Jaminan", "PA/KPA menyerahkan ..."). A name that opens
several activities before their verb is one of the table's roles; a name that opens one
activity counts when the Kualifikasi Pelaksana section names it too. Inference then picks
each step's role among these names, as it would among the header's columns.
"""

from __future__ import annotations

from collections import Counter

from converters.reading.raw import RawRow
from converters.reading.readers.ocr.words import CONNECTIVES
from converters.reading.vocabulary import is_verb

_MAX_NAME_WORDS = 4  # a performer's name is short: "Pejabat Pengadaan", "Tim Persiapan"
_MAX_NAMES = 8  # more than this are not a table's columns
_MIN_OPENINGS = 2  # activities a name must open to count without the qualification section
_EDGE = "([{|!\"'.,;:"


def subject_names(rows: list[RawRow], qualifications: tuple[str, ...] = ()) -> list[str]:
    """The performers named as the subjects of the rows' activities, in order of first use."""
    found = [name for row in rows for name in _subjects(row.activity)]
    plain = set(found)
    seen: Counter[str] = Counter()
    order: list[str] = []
    for name in found:
        name = _unruled(name, plain)
        seen[name] += 1
        if name not in order:
            order.append(name)
    qualified = " ".join(qualifications).casefold()
    names = [
        n for n in order
        if seen[n] >= _MIN_OPENINGS or (qualified and n.casefold() in qualified)
    ]
    return names[:_MAX_NAMES]


def _unruled(name: str, names: set[str]) -> str:
    """"PPK" for "IPPK" where "PPK" opens another activity: the table's rule read as an "I"
    before the subject."""
    return name[1:] if name[:1] in "Il|" and name[1:] in names else name


def _subjects(activity: str) -> list[str]:
    """The Capitalised names before the activity's first verb ("Panitia Seleksi dan Peserta
    melakukan" = two), or none when the activity does not open with its subject."""
    words = [w.strip(_EDGE) for w in activity.split()]
    names: list[str] = []
    current: list[str] = []
    for w in words[: 2 * _MAX_NAME_WORDS + 1]:
        if not w:
            return []
        if is_verb(w.lower()) and w[:1].islower():
            if current:
                names.append(" ".join(current))
            return names if names and all(len(n.split()) <= _MAX_NAME_WORDS for n in names) else []
        if w.lower() in CONNECTIVES and w.lower() not in ("/", "&") and current:
            names.append(" ".join(current))
            current = []
            continue
        if not w[:1].isupper():
            return []
        current.append(w)
    return []
