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

import re
from collections import Counter

from converters.reading.raw import RawRow
from converters.reading.readers.ocr.words import CONNECTIVES, head_key
from converters.reading.roles import display_name, insert_by_rank, parse_role
from converters.reading.vocabulary import is_verb

_MAX_NAME_WORDS = 4  # a performer's name is short: "Pejabat Pengadaan", "Tim Persiapan"
_MAX_NAMES = 8  # more than this are not a table's columns
_MIN_OPENINGS = 2  # activities a name must open to count without the qualification section
_EDGE = "([{|!\"'.,;:"


def subject_names(rows: list[RawRow], qualifications: tuple[str, ...] = ()) -> list[str]:
    """The performers named as the subjects of the rows' activities, in column order (by
    rank where the jabatan have one, else in order of first use); a name counts as often as
    the activities open with it or hand the work to it ("kemudian diserahkan kepada
    Pelaksana"), so a performer that opens one activity and receives the work in others is
    a column too, not a name inference would share with another staff column."""
    found = [name for row in rows for name in _subjects(row.activity)]
    plain = set(found)
    seen: Counter[str] = Counter()
    order: list[str] = []
    for name in found:
        name = _unruled(name, plain)
        seen[name] += 1
        if name not in order:
            order.append(name)
    for name in (n for row in rows for n in _handed_to(row.activity)):
        seen[name] += 1
        if seen[name] >= _MIN_OPENINGS and name not in order:
            order.append(name)
    order = _one_spelling(order, seen, " ".join(" ".join(r.activity.split()) for r in rows))
    qualified = " ".join(qualifications).casefold()
    names = [
        n for n in order
        if seen[n] >= _MIN_OPENINGS or (qualified and n.casefold() in qualified)
    ][:_MAX_NAMES]
    ranked: tuple[str, ...] = ()
    for name in names:  # columns stand by rank, as tables order them, not by first use
        ranked = insert_by_rank(ranked, name)
    return list(ranked)


def _one_spelling(order: list[str], seen: Counter[str], text: str = "") -> list[str]:
    """One name for each performer the activities write two ways: "Kadis" and "Kepala Dinas"
    (the spelling written most), "Sekretaris" and "Sekdin" (the one that names the office:
    OCR cut the other short, "kepada Sekretaris Gl Buku"); at the place of the first, with
    all the mentions of both. A shorter name that already names its unit ("Tim Persiapan")
    is no jabatan cut short: the longer ("Tim Persiapan Swakelola") may be the shorter with
    the sentence's next word taken in, so the one ``text`` (the activities) writes more often
    on its own wins, case folded (a subject OCR read in lower case counts too), the longer
    on a tie."""
    out: list[str] = []
    for name in order:
        same = next((o for o in out if _same_performer(o, name)), None)
        if same is None:
            out.append(name)
            continue
        a, b = display_name(same).split(), display_name(name).split()
        if len(a) != len(b):
            short, long = (name, same) if len(a) > len(b) else (same, name)
            keep = long
            if len(display_name(short).split()) > 1 and _written_alone(short, long, text) > (
                _written_alone(long, "", text)
            ):
                keep = short
        else:
            keep = same if seen[same] >= seen[name] else name
        seen[keep] = seen[same] + seen[name]
        out[out.index(same)] = keep
    return out


def _written_alone(name: str, longer: str, text: str) -> int:
    """How often ``text`` writes ``name`` (case folded), not as the start of ``longer``."""
    folded = text.casefold()
    starts = [m.start() for m in re.finditer(rf"\b{re.escape(name.casefold())}\b", folded)]
    return sum(1 for at in starts if not (longer and folded.startswith(longer.casefold(), at)))


def _same_performer(a: str, b: str) -> bool:
    """The same name written out, or one the other's beginning ("Sekretaris" of "Sekretaris
    Dinas"), of one jabatan."""
    x, y = display_name(a).split(), display_name(b).split()
    short, long = sorted((x, y), key=len)
    return long[: len(short)] == short and parse_role(a).kinds == parse_role(b).kinds


_HANDED_TO = re.compile(rf"\b(?:kepada|ke)\s+([A-Z]\S*(?:\s+\S+){{0,{_MAX_NAME_WORDS - 1}}})")


def _handed_to(activity: str) -> list[str]:
    """The jabatan the activity hands the work to ("kepada Kepala Seksi Keuangan"), its
    name's Capitalised words only: OCR runs a hand-over into the next cell or a symbol's
    debris ("kepada Pelaksana Aa", "kepada Sekretaris Gl Buku")."""
    names = []
    for m in _HANDED_TO.finditer(activity):
        words: list[str] = []
        for w in m.group(1).split():
            bare = w.rstrip(",.;:")
            if not _name_word(bare, first=not words):
                break
            words.append(bare)
            if bare != w:
                break  # a name ends at its punctuation
        if words and head_key(words[0]) == words[0].lower():  # spelt as written: no "Stat"
            names.append(" ".join(words))
    return names


def _name_word(word: str, first: bool) -> bool:
    """A word of a jabatan's name: Capitalised letters, three or more, or a jabatan's own
    short spelling ("JF", "PA")."""
    if head_key(word) is not None and (first or len(word) > 2):
        return True
    return word[:1].isupper() and word.isalpha() and len(word) >= 3 and not word.isupper()


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
    for k, w in enumerate(words[: 2 * _MAX_NAME_WORDS + 1]):
        if not w:
            return []
        if is_verb(w.lower()) and w[:1].islower():
            if current:
                names.append(" ".join(current))
            return names if names and all(len(n.split()) <= _MAX_NAME_WORDS for n in names) else []
        if w.lower() in CONNECTIVES and w.lower() not in ("/", "&") and current:
            if k + 1 < len(words) and is_verb(words[k + 1]) and words[k + 1][:1].islower():
                return []  # "Menerima dan memeriksa": the connective joins verbs, not names
            names.append(" ".join(current))
            current = []
            continue
        if not w[:1].isupper():
            return []
        current.append(w)
    return []
