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
from collections.abc import Callable, Sequence
from itertools import pairwise

from converters.reading.raw import RawRow
from converters.reading.readers.ocr.words import head_key
from converters.reading.roles import display_name, parse_role
from converters.reading.vocabulary import (
    OFFICE_NOUNS,
    TEAM_WORDS,
    UNIT_NOUNS,
    is_verb,
    mutu_kind,
)

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
    for role in abbreviation_by_text(roles, text):
        unit = _unit_after(role, text, roles)
        full = f"{role} {unit}" if unit else role
        out.append(full if full not in out and full not in roles else role)
    return out


_JABATAN_ABBREVIATIONS = {"JF": r"jf|fungsional", "JP": r"jp|pelaksana"}
"""The two "Jabatan X" columns written by their initials and how activities name each:
Jabatan Fungsional, Jabatan Pelaksana."""


def abbreviation_by_text(roles: list[str], text: str) -> list[str]:
    """``roles`` with a JP column read where the activities name only JF's performer ("kepada
    Fungsional"), and never JP's, as JF, and the other way round: at low resolution the F
    of "JF" reads as a "P" (:func:`.role_columns._two_letter_jabatan`), and no table names
    a performer its columns do not hold; so too a JP column beside a "Pelaksana" column, one
    column read twice. Not when another column is already the other one."""
    said = {k: len(re.findall(rf"\b(?:{v})\b", text, re.I))
            for k, v in _JABATAN_ABBREVIATIONS.items()}

    def names(role: str, abbreviation: str) -> bool:
        return re.match(rf"(?:{_JABATAN_ABBREVIATIONS[abbreviation]})\b", role, re.I) is not None

    out = list(roles)
    for k, role in enumerate(roles):
        other = next((o for o in _JABATAN_ABBREVIATIONS if o != role), None)
        if role not in _JABATAN_ABBREVIATIONS or other is None or any(
                names(r, other) for r in roles):
            continue
        twice = any(names(r, role) for j, r in enumerate(roles) if j != k)
        if twice or (not said[role] and said[other] >= _MIN_MENTIONS):
            out[k] = other
    return out


def rehome_units(roles: list[str], rows: list[RawRow], lines: Sequence[str] = ()) -> list[str]:
    """``roles`` with the unit words OCR dealt to the wrong column moved to the column the
    activities name with them. A header's second line of unit words ("Kepegawaian Umum"
    under "Kadis Kabid Kabag PPK Kepala Seksi") has no positions left, so it may go to the
    wrong titles; a title the activities name with its unit less often than another title
    with that unit, named at least twice ("PPK Kepegawaian Umum" never, "Kepala Seksi Umum"
    twice), gives its last unit word to that one other title ("Kepala Seksi Umum", "Kepala
    Bidang Kepegawaian" for "Kabid"). A unit read under two titles (a third header line's
    word given to the wrong one of the titles that wrapped) leaves the one the activities
    never name with it but name without it, when the other is named with it (both twice or
    more). ``lines``: the table's lines, rows OCR could not cut apart included, where the
    names count too."""
    text = " ".join([*(" ".join(r.activity.split()) for r in rows),
                     *(" ".join(ln.split()) for ln in lines)]).casefold()
    out = _told_apart(list(roles), lines)

    def named(name: str) -> int:
        return max(len(re.findall(rf"\b{re.escape(n.casefold())}\b", text))
                   for n in {name, display_name(name)})

    # again while a unit moves: a title may take one only once its own misdealt unit went
    # ("Kasubbag Kepegawaian" takes "Keuangan" from "Kabag Program" after giving its own)
    for _ in range(len(out)):
        before = list(out)
        for i in range(len(out)):
            _rehome_from(out, i, named)
        if out == before:
            break
    return out


def _rehome_from(out: list[str], i: int, named: Callable[[str], int]) -> None:
    """Move the misdealt unit words of title ``i`` (see :func:`rehome_units`)."""
    while len(out[i].split()) > 1:
        *head, unit = out[i].split()
        if head_key(unit) is not None:
            return
        own = named(out[i])
        takers = [j for j, r in enumerate(out) if j != i and not r.endswith(f" {unit}")
                  and named(f"{r} {unit}") > own
                  and (own == 0 or named(f"{r} {unit}") >= _MIN_MENTIONS)]
        if not takers and own == 0 and named(" ".join(head)) >= _MIN_MENTIONS and any(
                j != i and r.endswith(f" {unit}") and named(r) >= _MIN_MENTIONS
                for j, r in enumerate(out)):
            out[i] = " ".join(head)  # the unit is another title's, named so: given twice
            continue
        if len(takers) != 1:
            return
        out[takers[0]] = f"{out[takers[0]]} {unit}"
        out[i] = " ".join(head)


def _told_apart(roles: list[str], lines: Sequence[str]) -> list[str]:
    """``roles`` with a title read twice in a row told apart by the line under the header:
    two columns whose titles share their first line ("Aplikasi FRS MFD") differ in their
    second, which OCR reads as the table's first line, one piece a column ("Online level
    kab/kota | Online level provinsi": cut at the cell border OCR kept, else where the
    first piece's first word comes again). When that line does not split in two such
    pieces, the title stays once."""
    out: list[str] = []
    first = next((ln for ln in lines if ln.strip()), "")
    for k, role in enumerate(roles):
        if not (k and roles[k - 1] == role and out and out[-1] == role):
            out.append(role)
            continue
        pieces = _two_pieces(first)
        if pieces is None:
            continue  # nothing tells them apart: one column, as read
        out[-1] = f"{role} {pieces[0]}"
        out.append(f"{role} {pieces[1]}")
    return out


def _two_pieces(line: str) -> tuple[str, str] | None:
    """The line's two second-line titles: split at its one "|", else at the second start of
    its first word ("Online level kab/kota Online level provinsi"); each a few words that
    open Capitalised and hold no verb."""
    if line.count("|") == 1:
        a, b = (p.strip() for p in line.split("|"))
    else:
        words = line.split()
        again = [k for k in range(1, len(words)) if words[k] == words[0]]
        if len(again) != 1:
            return None
        a, b = " ".join(words[: again[0]]), " ".join(words[again[0] :])
    for piece in (a, b):
        words = piece.split()
        if (not words or len(words) > _MAX_SECOND_LINE or not words[0][:1].isupper()
                or any(is_verb(w.lower()) for w in words)):
            return None
    return a, b


_MAX_SECOND_LINE = 4
"""Words of a title's second line: a few ("Online level kab/kota")."""


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
    best, count = _supported_unit(units)
    others = sum(n for unit, n in units.items() if unit and not _extends(unit, best))
    if not best or count < _MIN_MENTIONS or units[""] * _BARE_SHARE >= count or others >= count:
        return None
    return best


def _extends(unit: str, base: str) -> bool:
    """Whether the unit words ``unit`` open with all of ``base``'s."""
    return unit.split()[: len(base.split())] == base.split()


def _supported_unit(units: Counter[str]) -> tuple[str, int]:
    """The unit the most mentions hold, counting a mention that runs on into the next
    Capitalised word ("Pengadministrasi Umum Ts", a neighbouring cell's debris after the
    name) for each unit it opens with; between equals the longer ("Penyusunan Program"
    over "Penyusunan")."""
    support: Counter[str] = Counter()
    for unit, n in units.items():
        words = unit.split()
        for k in range(1, len(words) + 1):
            support[" ".join(words[:k])] += n
    if not support:
        return "", 0
    return max(support.items(), key=lambda kv: (kv[1], len(kv[0].split())))


def tidy_roles(
    roles: list[str], starts_cell: Callable[[str], bool], rows: list[RawRow]
) -> list[str]:
    """``roles`` cut before the first word that is no part of a jabatan's name: a word
    ``starts_cell`` says opens one of the document's Mutu Baku cells (unless the activities
    name the role with it: "Kepala Dinas" where a damaged "Nota Dinas" left "Dinas" as a
    cell), a lower-case word (but "dan" between two Capitalised parts of a unit's name),
    a word ending in punctuation, another jabatan (a Capitalised word in brackets ends the
    name but is part of it, :data:`_QUALIFIER`); names that open with running text are
    dropped ("kepada Draf Surat"). The first word is Capitalised
    as titles are."""
    text = " ".join(r.activity for r in rows).casefold()
    out: list[str] = []
    for k_role, role in enumerate(roles):
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
            joins = bare.lower() in _NAME_JOINERS and k + 1 < len(words) and (
                words[k + 1][:1].isupper() and head_key(words[k + 1]) is None)
            if _QUALIFIER.fullmatch(w):
                kept.append(w)  # "(Operator)": it ends the name
                break
            if (
                bare != w
                or (not bare[:1].isupper() and not joins)
                or (starts_cell(" ".join(words[k:])) and not named)
                or (key is not None and key not in UNIT_NOUNS and k > 1)
            ):
                break
            kept.append(bare)
        name = " ".join(kept)
        if name not in out or (k_role and roles[k_role - 1] == role and out[-1] == name
                               and out.count(name) == 1):
            out.append(name)  # a title read twice in a row: two columns (rehome_units)
    return out


_QUALIFIER = re.compile(r"\([A-Z][a-z]+\)")
"""A Capitalised word in brackets closing a title ("Tim Laporan Persediaan (Approver)"): two
columns of one team told apart by the part each plays; part of the name."""
_NAME_JOINERS = frozenset({"dan", "&"})
"""Words that join two parts of one unit's name ("Statistik Distribusi dan Jasa") when a
Capitalised word follows."""


def _opens_name(word: str, words: int) -> bool:
    """A Capitalised word (a title: "Kepala", "Pejabat", "UPT"), a team word with the
    team's name after it, or a lower-case jabatan word spelt exactly ("ketua"; "kepada"
    is no "Kepala")."""
    if word.lower() in TEAM_WORDS:
        return words > 1
    return word[:1].isupper() or head_key(word) == word.lower()


_MIN_RUN = 4
"""Words of a role name from which it may be several titles read as one: a title is a jabatan
and its unit, rarely more than three words."""
_PERFORMER_BEFORE = frozenset({"kepada", "ke", "oleh", "dari", "bersama", "dengan", "dan",
                               "para", "antara"})
"""Words after which the activities name a performer ("diserahkan kepada Layouter",
"menentukan supplier data dan layouter")."""


def split_runs(roles: list[str], lines: list[str]) -> list[str]:
    """``roles`` with each long name the activities never write whole cut into the titles
    they do write as performers. OCR reads a header's titles that stand on one line as one
    line of words ("Ketua Proyek Supplier Data Layouter"); the activities name the columns
    on their own ("menentukan supplier data dan layouter"): each piece after the first is
    written in the table after a verb, a preposition or "dan", and never after a word of
    the long name (see :func:`_attested`). The first piece keeps the jabatan with a word of
    its unit; a piece never opens with a connective, a unit or office noun or an office's
    acronym (those end a title: "Tim Statistik Produksi BPS Provinsi"). The split covering
    most words by such pieces wins, then the one with fewer pieces. ``lines``: the table's
    lines below its header, rows OCR could not cut apart included."""
    activities = [" ".join(re.findall(r"[^\W_]+(?:/[^\W_]+)*", line.casefold()))
                  for line in lines]
    out: list[str] = []
    for role in roles:
        words = role.split()
        pieces = _run_pieces(words, activities) if len(words) >= _MIN_RUN else None
        for piece in pieces or [role]:
            if piece not in out:
                out.append(piece)
    return out


def _run_pieces(words: list[str], activities: list[str]) -> list[str] | None:
    whole = " ".join(words).casefold()
    if any(re.search(rf"\b{re.escape(whole)}\b", a) for a in activities):
        return None
    n = len(words)
    run = {part for w in words for part in w.casefold().split("/")}
    best: tuple[int, int, list[str]] | None = None
    for mask in range(1, 1 << (n - 2)):
        cuts = [k for k in range(2, n) if mask >> (k - 2) & 1]
        bounds = [0, *cuts, n]
        pieces = [words[a:b] for a, b in pairwise(bounds)]
        if any(words[k - 1].isupper() for k in cuts):
            continue  # an office's acronym is followed by its region: "BPS Provinsi"
        if not all(_attested(p, run, activities) for p in pieces[1:]):
            continue
        covered = sum(len(p) for p in pieces[1:])
        key = (covered, -len(pieces))
        if best is None or key > best[:2]:
            best = (*key, [" ".join(p) for p in pieces])
    return best[2] if best else None


def _attested(piece: list[str], run: set[str], activities: list[str]) -> bool:
    """Whether the lines name ``piece`` as a performer, and never as the end of a name begun
    by a word of the ``run`` ("desa cantik" where the run holds "Desa/Kelurahan") or by a
    jabatan ("pengguna layanan"). One word
    needs a hand-over's preposition or "dan" before it; after a verb it may be what is
    worked on ("membutuhkan layanan"). A line's first word is no evidence: OCR lines are
    wrapped cells."""
    first = piece[0]
    if (not first[:1].isupper() or first.isupper() or first.lower() in _NAME_JOINERS
            or first.lower() in UNIT_NOUNS or first.lower() in OFFICE_NOUNS):
        return False
    text = " ".join(piece).casefold()
    phrase, own = re.escape(text), parse_role(text).kinds
    seen = False
    for a in activities:
        for m in re.finditer(rf"(?:^|(\S+) ){phrase}\b", a):
            prev = m.group(1) or ""
            if prev in run or (prev and parse_role(f"{prev} {text}").kinds - own):
                return False  # the end of another name: "pengguna layanan"
            seen = seen or prev in _PERFORMER_BEFORE or (
                len(piece) > 1 and is_verb(prev))
    return seen
