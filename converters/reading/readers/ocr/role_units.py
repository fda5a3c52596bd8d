"""Role names cleared of the neighbouring cells' words, and completed from the running text
when OCR lost their wrapped unit words.

A name read where the header was lost (from the activities' subjects) or from a header line
OCR ran into the table may carry what stood beside it: a Mutu Baku cell ("Pemohon Nota
Dinas" where "Nota Dinas" is the document's Output), another column's title misread ("Ketua
Tim Stat"), or debris with punctuation ("Bendahara NIK."). A role's name is its jabatan word
and the unit words after it, no more.

A role column's title wraps in its narrow header cell ("Pengadministrasi" over "Umum",
"Ketua Tim" over "Pelayanan"). At low resolution Tesseract may read the first line of the
header and lose the second, so the column is read as "Pengadministrasi". The activities
still name the performer in full, as subject or in a hand-over ("kepada Pengadministrasi
Umum"). When they add the same Capitalised unit word after the title every time they add
one, that word is the title's lost second line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from converters.reading.raw import RawRow
from converters.reading.readers.ocr.words import head_key
from converters.reading.roles import display_name
from converters.reading.vocabulary import TEAM_WORDS, UNIT_NOUNS, is_verb, mutu_kind

_MIN_MENTIONS = 2
"""The unit must follow the title this often: once may be a misread neighbour."""
_MAX_UNIT_WORDS = 2
_ACRONYM = 3
_BARE_SHARE = 2
"""A mention without the unit may be one whose unit OCR garbled ("Pengadministasi U"), but the
unit must follow the title more than twice as often as it is missing."""


def complete_roles(roles: list[str], rows: list[RawRow]) -> list[str]:
    """``roles`` with each one-line title that the activities consistently name with a
    unit after it completed by that unit; the others as they were."""
    text = "\n".join(r.activity for r in rows)  # a row's end is no unit of a name
    out: list[str] = []
    for role in roles:
        unit = _unit_after(role, text, roles)
        full = f"{role} {unit}" if unit else role
        out.append(full if full not in out and full not in roles else role)
    return out


def rehome_units(roles: list[str], rows: list[RawRow]) -> list[str]:
    """``roles`` with the unit words OCR dealt to the wrong column moved to the column the
    activities name with them. A header's second line of unit words ("Kepegawaian Umum"
    under "Kadis Kabid Kabag PPK Kepala Seksi") has no positions left, so it may go to the
    wrong titles; a title the activities never name with its unit ("PPK Kepegawaian Umum")
    gives each last unit word to the one other title they do name with it ("Kepala Seksi
    Umum", "Kepala Bidang Kepegawaian" for "Kabid")."""
    text = " ".join(" ".join(r.activity.split()) for r in rows).casefold()
    out = list(roles)

    def named(name: str) -> bool:
        return any(re.search(rf"\b{re.escape(n.casefold())}\b", text)
                   for n in {name, display_name(name)})

    for i in range(len(out)):
        while len(out[i].split()) > 1 and not named(out[i]):
            *head, unit = out[i].split()
            if head_key(unit) is not None:
                break
            takers = [j for j, r in enumerate(out) if j != i and not r.endswith(f" {unit}")
                      and named(f"{r} {unit}")]
            if len(takers) != 1:
                break
            out[takers[0]] = f"{out[takers[0]]} {unit}"
            out[i] = " ".join(head)
    return out


def _unit_after(role: str, text: str, roles: list[str]) -> str | None:
    """The Capitalised words the text writes after ``role`` whenever it writes any."""
    pattern = re.compile(rf"\b{re.escape(role)}\b((?:[ \t]+[A-Z][a-z]+){{1,{_MAX_UNIT_WORDS}}})?")
    units: Counter[str] = Counter()
    for m in pattern.finditer(text):
        words = (m.group(1) or "").split()
        kept: list[str] = []
        for w in words:
            if (
                head_key(w) is not None
                or is_verb(w.lower())
                or mutu_kind(w)
                or any(r.startswith(w) for r in roles)
            ):
                break
            kept.append(w)
        units[" ".join(kept)] += 1
    if not units:
        return None
    (best, count), *rest = units.most_common()
    others = sum(n for unit, n in rest if unit)
    if not best or count < _MIN_MENTIONS or units[""] * _BARE_SHARE >= count or others >= count:
        return None
    return best


def tidy_roles(
    roles: list[str], starts_cell: Callable[[str], bool], rows: list[RawRow]
) -> list[str]:
    """``roles`` cut before the first word that is no part of a jabatan's name: a word
    ``starts_cell`` says opens one of the document's Mutu Baku cells (unless the activities
    name the role with it: "Kepala Dinas" where a damaged "Nota Dinas" left "Dinas" as a
    cell), a lower-case word, a word ending in punctuation, another jabatan; names that
    open with running text are dropped ("kepada Draf Surat"). The first word is Capitalised
    as titles are."""
    text = " ".join(r.activity for r in rows).casefold()
    out: list[str] = []
    for role in roles:
        words = role.split()
        first = words[0].strip(",.;:") if words else ""
        if not first or not _opens_name(first, len(words)):
            continue
        # an acronym title is written in capitals ("JF", "PPK"), a word Capitalised
        short = len(first) <= _ACRONYM and first.isalpha() and first.lower() not in TEAM_WORDS
        kept = [first.upper() if short else first[:1].upper() + first[1:]]
        for k, w in enumerate(words[1:], 1):
            bare = w.strip(",.;:")
            key = head_key(bare)
            named = f"{' '.join(kept)} {bare}".casefold() in text
            if (
                bare != w
                or not bare[:1].isupper()
                or (starts_cell(" ".join(words[k:])) and not named)
                or (key is not None and key not in UNIT_NOUNS and k > 1)
            ):
                break
            kept.append(bare)
        name = " ".join(kept)
        if name not in out:
            out.append(name)
    return out


def _opens_name(word: str, words: int) -> bool:
    """A Capitalised word (a title: "Kepala", "Pejabat", "UPT"), a team word with the
    team's name after it, or a lower-case jabatan word spelt exactly ("ketua"; "kepada"
    is no "Kepala")."""
    if word.lower() in TEAM_WORDS:
        return words > 1
    return word[:1].isupper() or head_key(word) == word.lower()
