"""Jabatan (role) names: normalising, ranking, and finding them in running text.

SOP tables head their Pelaksana columns with one spelling of a jabatan ("Kasubbag PEKK",
"Kabag Program & Evaluasi", "Pelaksana (JP)") and then the activities name the same people
with another ("Kasubag PEKK", "Kabag", "Pelaksana", "bagian penyusunan program"), or OCR breaks
them ("I;epala"). Inference needs to know that these are one column, and how columns rank
(who can instruct whom), so this module turns a name into a :class:`RoleName` (its *kind*, such
as ``kasubbag``, plus the unit words that follow, such as ``pekk``) and matches mentions to the
header columns with a :class:`RoleBook`.

Ranks go from 0 (pimpinan tinggi: Menteri, Deputi, Bupati, Sekda) through 1 (Kepala
Dinas/Badan/Kantor), 2 (Sekretaris), 3 (Kabag/Kabid, eselon III), 4 (Kasubbag/Kasi/Ketua Tim,
eselon IV) and 5 (jabatan fungsional) to 6 (Staf/Pelaksana/Pengadministrasi). "Perencana Ahli
Muda" and other *Ahli Muda* functional posts rank 4: the 2021 penyetaraan jabatan (PermenPAN-RB
17/2021) turned eselon IV posts into Ahli Muda ones, so in a table without a JF column such a
person stands where the Kasi/Kasubbag column is; *Ahli Madya* likewise ranks 3.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from converters.reading.vocabulary import (
    ABBREVIATION_DISPLAY,
    GOVERNMENT_TIERS,
    JABATAN_KINDS,
    OFFICE_NOUNS,
    TEAM_WORDS,
    UNIT_NOUNS,
    VERB,
    JabatanKind,
)

# -- normalising ---------------------------------------------------------------------------

_OCR_FIXES: tuple[tuple[str, str], ...] = (
    (r"\b(?:i;|l<|i<|1<|\|<|k)epa[l1i|]a\b", "kepala"),
    (r"\bkepaia\b", "kepala"),
    (r"\bsekretar[il1]s\b", "sekretaris"),
    (r"\bsub\s+bagian\b", "subbagian"),
    (r"\bsub\s+bidang\b", "subbidang"),
    (r"\bkasub\s+bag\b", "kasubbag"),
    (r"\bkasub\s+bid\b", "kasubbid"),
    (r"\bka\s*\.\s*(?=sub|bag|bid|si\b)", "ka"),
)


@functools.lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Lower case, OCR look-alikes repaired, punctuation as spaces, one space between words.

    "/" survives (it separates alternatives in a column head such as "Kabid/ Kasubag
    Terkait"), "&" becomes "dan".
    """
    t = (text or "").lower().replace("&", " dan ")
    for pattern, repl in _OCR_FIXES:
        t = re.sub(pattern, repl, t)
    t = re.sub(r"[^\w/]+", " ", t)
    t = re.sub(r"\s*/\s*", " / ", t)
    return " ".join(t.split())


# -- kinds ---------------------------------------------------------------------------------


# The jabatan kinds, their spellings and ranks, and the unit nouns are listed in
# :mod:`converters.reading.vocabulary`; this module applies them.

_STOP_WORDS = """
untuk dan yang dengan kemudian selanjutnya serta agar guna ke kepada dari jika maka apabila bila
oleh pada dalam di atas sebagai setelah lalu atau bersama tersebut ini itu masing setiap semua
seluruh para lain sudah telah akan
"""
_RANK_WORDS = frozenset({"ahli", "muda", "madya", "pertama", "utama", "terampil", "mahir",
                         "penyelia"})
_STOP = frozenset(
    _STOP_WORDS.split()
)

_KIND_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<k{i}>{k.spellings})" for i, k in enumerate(JABATAN_KINDS)) + r")\b"
)
_UNIT_NOUN_RE = re.compile(r"\b(?P<noun>" + "|".join(UNIT_NOUNS) + r")\b")
_TEAM_RE = re.compile(r"\b(?:" + "|".join(TEAM_WORDS) + r")\b")


def _is_unit_word(word: str) -> bool:
    return (
        word not in _STOP
        and not VERB.match(word)  # by shape: "dinas" names the office, not a unit
        and not word.isdigit()
        and len(word) > 1
        and word != "/"
    )


@dataclass(frozen=True)
class RoleName:
    """A jabatan as parsed: its kinds ("kabid", "kasubbag"...), unit words, and rank."""

    text: str
    kinds: frozenset[str]
    units: frozenset[str]
    rank: int | None


def _ahli_rank(norm: str, rank: int | None) -> int | None:
    if "ahli madya" in norm or "ahli utama" in norm:
        return 3
    if "ahli muda" in norm:
        return 4
    return rank


@functools.lru_cache(maxsize=4096)
def parse_role(name: str) -> RoleName:
    """Parse a column head or a mention: "Kabid/ Kasubag Terkait" → kinds {kabid, kasubbag}."""
    norm = normalize(name)
    kinds: set[str] = set()
    units: set[str] = set()
    ranks: list[int] = []
    for alt in norm.split(" / "):
        consumed: list[tuple[int, int]] = []
        for m in _KIND_RE.finditer(alt):
            kind = _kind_of(m)
            kinds.add(kind.key)
            if kind.rank is not None:
                ranks.append(kind.rank)
            consumed.append(m.span())
        if not consumed:
            for m in _UNIT_NOUN_RE.finditer(alt):
                kinds.add(UNIT_NOUNS[m["noun"]])
                ranks.append(_kind_by_key(UNIT_NOUNS[m["noun"]]).rank or 6)
                consumed.append(m.span())
                break
        rest = alt
        for a, b in reversed(consumed):
            rest = rest[:a] + " " + rest[b:]
        units.update(w for w in rest.split()
                     if _is_unit_word(w) and w not in UNIT_NOUNS and w not in _RANK_WORDS)
    rank = min(ranks) if ranks else None
    return RoleName(text=name, kinds=frozenset(kinds), units=frozenset(units),
                    rank=_ahli_rank(norm, rank))


def _kind_of(m: re.Match[str]) -> JabatanKind:
    for i, kind in enumerate(JABATAN_KINDS):
        if m.group(f"k{i}") is not None:
            return kind
    raise AssertionError("no kind group matched")  # pragma: no cover


def _kind_by_key(key: str) -> JabatanKind:
    for kind in JABATAN_KINDS:
        if kind.key == key:
            return kind
    raise KeyError(key)


def role_rank(name: str) -> int | None:
    """0 (pimpinan tinggi) … 6 (staf); None for a requester or an unknown jabatan."""
    return parse_role(name).rank


def is_staff_like(name: str) -> bool:
    """True for the columns that do clerical work (Staf, Pelaksana, Pengadministrasi...)."""
    return parse_role(name).rank == 6


def display_name(mention: str) -> str:
    """How a role found only in the text is written when added: "kaban" → "Kepala Badan"."""
    norm = normalize(mention)
    words = norm.split()
    if words and words[0] in ABBREVIATION_DISPLAY:
        head = ABBREVIATION_DISPLAY[words[0]]
        rest = " ".join(w.upper() if len(w) <= 4 and w.isalpha() and w not in _STOP
                        and w not in ("umum", "tim") else w.title() for w in words[1:])
        return f"{head} {rest}".strip()
    return " ".join(w.upper() if w in ("ppk", "kpa", "jf", "jp", "skpd", "opd", "bps") else
                    w.title() for w in words)


# -- mentions in text ----------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A jabatan named in an activity; ``column`` is the header column it means, if any."""

    start: int  # offsets in the *normalized* text
    end: int
    text: str
    column: str | None
    name: RoleName


@dataclass(frozen=True)
class RoleBook:
    """The header columns of one SOP, able to say which column a mention means."""

    columns: tuple[str, ...]

    def _parsed(self) -> list[tuple[str, RoleName, str]]:
        return [(c, parse_role(c), normalize(c)) for c in self.columns]

    def match(self, mention: str | RoleName) -> str | None:
        """The column a mention means, or None when no column (or several equally) fits."""
        name = mention if isinstance(mention, RoleName) else parse_role(mention)
        norm = normalize(name.text)
        parsed = self._parsed()
        for col, _, cnorm in parsed:  # the column's own name, however written
            if cnorm == norm or cnorm.replace(" ", "") == norm.replace(" ", ""):
                return col
        if name.kinds:
            cands = [(col, p) for col, p, _ in parsed if p.kinds & name.kinds]
            if not cands and name.kinds & set(UNIT_NOUNS.values()) and name.units:
                # "bagian penyusunan program": a unit named by its words, whatever its head
                cands = [(col, p) for col, p, _ in parsed if _shared(p, name)]
            if not cands and "fungsional" in name.kinds and name.rank in (3, 4):
                # an Ahli Madya / Ahli Muda post stands where eselon III / IV columns are
                heads = {"kabag", "kabid"} if name.rank == 3 else {"kasi", "kasubbag", "kasubbid"}
                cands = [(col, p) for col, p, _ in parsed if p.kinds & heads]
            if not cands and name.kinds <= {"staf", "fungsional"}:
                # staff-like names share work: "Pelaksana" may be the "Staf" column
                related = {"staf", "fungsional"}
                cands = [(col, p) for col, p, _ in parsed if p.kinds & related]
            if not cands and name.kinds <= {"staf", "fungsional"} and name.units:
                # "petugas gudang" where the table heads a team "Tim Layanan Gudang": the
                # staff of a unit are its team, found by the unit's own words
                cands = [(col, p) for col, p, _ in parsed if _shared(p, name)]
                return _best(cands, name, need_overlap=True)
            return _best(cands, name)
        if name.units:
            cands = [(col, p) for col, p, _ in parsed if _shared(p, name)]
            return _best(cands, name, need_overlap=True)
        return None

    def mentions(self, text: str) -> list[Mention]:
        """Every jabatan named in ``text`` (normalized first), left to right, not overlapping.

        A column's own name, written out, wins over a shorter kind word inside it.
        """
        norm = normalize(text)
        spans: list[tuple[int, int]] = []
        found: list[Mention] = []

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in spans)

        for col in sorted(self.columns, key=lambda c: -len(normalize(c))):
            cnorm = normalize(col)
            if not cnorm:
                continue
            for m in re.finditer(rf"\b{re.escape(cnorm)}\b", norm):
                if free(*m.span()):
                    spans.append(m.span())
                    found.append(Mention(m.start(), m.end(), m.group(), col, parse_role(col)))
        for regex in (_KIND_RE, _UNIT_NOUN_RE):
            for m in regex.finditer(norm):
                if not free(*m.span()):
                    continue
                end = _extend_units(norm, m.end())
                if not free(m.start(), end):
                    end = m.end()
                phrase = norm[m.start() : end]
                name = parse_role(phrase)
                if regex is _UNIT_NOUN_RE and not name.units and m["noun"] == "bagian":
                    continue  # "bagian" alone is a word, not a unit
                spans.append((m.start(), end))
                found.append(Mention(m.start(), end, phrase, self.match(name), name))
        for m in _TEAM_RE.finditer(norm):
            end = _extend_units(norm, m.end())
            if free(m.start(), end):
                phrase = norm[m.start() : end]
                column = self._team(phrase)
                if column is not None:
                    spans.append((m.start(), end))
                    found.append(Mention(m.start(), end, phrase, column, parse_role(phrase)))
        found.sort(key=lambda x: x.start)
        return found

    def _team(self, phrase: str) -> str | None:
        """The team column a team named in the text means: "tim penyusun" is the column "Tim
        Penyusunan" (the words through their affixes); a bare "tim" is the one team column.
        A team no column shares a word with is no role of the table."""
        teams = [(c, p) for c, p, n in self._parsed()
                 if not names_jabatan(c) and _TEAM_RE.search(n)]
        words = frozenset(w for w in parse_role(phrase).units if w not in TEAM_WORDS)
        if not words:
            return teams[0][0] if len(teams) == 1 else None
        cands = [(c, p) for c, p in teams
                 if _overlap(frozenset(w for w in p.units if w not in TEAM_WORDS), words)]
        return _best(cands, parse_role(phrase), need_overlap=True)


def _extend_units(norm: str, pos: int, limit: int = 3) -> int:
    """Take up to ``limit`` unit words after a kind word ("kasubbag penyusunan program")."""
    end = pos
    for _ in range(limit):
        m = re.match(r"\s+([\w]+)", norm[end:])
        if m and m.group(1) in OFFICE_NOUNS:  # "kepala dinas": one name, whatever its shape
            end += m.end()
            continue
        if not m or not _is_unit_word(m.group(1)) or _KIND_RE.fullmatch(m.group(1)):
            break
        end += m.end()
    return end


def _same_word(a: str, b: str) -> bool:
    """Unit words match through Indonesian affixes: "pelayanan" ~ "layanan"."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 5 and short in long_


def _overlap(a: frozenset[str], b: frozenset[str]) -> int:
    """How many words of ``a`` have a match in ``b``."""
    return sum(1 for x in a if any(_same_word(x, y) for y in b))


def _shared(column: RoleName, name: RoleName) -> int:
    """How many unit words of a column a name shares, an abbreviation counting for the
    words it shortens ("Kasubbag TU" and "Kepala Sub Bagian Tata Usaha")."""
    return (_overlap(column.units, name.units) + _abbreviations(column, name)
            + _abbreviations(name, column))


def _abbreviations(short: RoleName, full: RoleName) -> int:
    """Unit words of ``short`` written as the initials of consecutive words of ``full``."""
    words = [w for w in normalize(full.text).split() if w in full.units and len(w) >= 3]
    initials = {"".join(w[0] for w in words[i:j]) for i in range(len(words))
                for j in range(i + 2, len(words) + 1)}
    return sum(1 for w in short.units if 2 <= len(w) <= 5 and w.isalpha() and w in initials)


def _best(cands: list[tuple[str, RoleName]], name: RoleName, need_overlap: bool = False
          ) -> str | None:
    if not cands:
        return None
    scored = sorted(
        ((_shared(p, name), _shared(p, name) - len(p.units), i, col)
         for i, (col, p) in enumerate(cands)),
        reverse=True,
    )
    top = scored[0]
    if need_overlap and top[0] == 0:
        return None
    if len(scored) > 1 and scored[1][:2] == top[:2]:
        return None  # a tie: "Kabid" against "Kabid Program" and "Kabid Umum" says nothing
    return top[3]


def names_jabatan(name: str) -> bool:
    """Whether a name spells a jabatan ("Kabag Umum", "Staf Gudang"), rather than naming a
    unit or a team as a body of people ("Bagian Umum", "Tim Layanan Gudang/Bagian Umum"),
    which takes its head's rank only when the text sends work to it."""
    return _KIND_RE.search(normalize(name)) is not None


def unit_column(columns: tuple[str, ...], unit: str) -> str | None:
    """The one column that names the SOP's own unit as a body ("Bagian Umum", "Tim Bagian
    Umum" in an SOP of the Bagian Umum), not a jabatan in it ("Kabag Umum" heads the unit,
    it is not the unit). The identity block says whose work the SOP describes, so that
    column is the one whose people do the steps no clue gives to anyone else."""
    own = normalize(unit)
    if not own or names_jabatan(own):
        return None
    found = [c for c in columns if re.search(rf"\b{re.escape(own)}\b", normalize(c))
             and not names_jabatan(c)]
    return found[0] if len(found) == 1 else None


def _tier(text: str) -> int | None:
    """The lowest tier of regional government a name names ("BPS Kabupaten/Kota" → 1)."""
    words = set(normalize(text).split())
    found = [i for i, tier in enumerate(GOVERNMENT_TIERS) if words & set(tier)]
    return max(found) if found else None


def field_office(columns: tuple[str, ...], agency: str) -> str | None:
    """The one column that is an office of the tier below the SOP's own agency ("BPS
    Kabupaten/Kota" in an SOP of a provincial office), named as an office, not a jabatan in
    it: the office nearest to the field, where the field work is done. When the identity
    block names no tier (or was not read), the highest tier among the columns is the SOP's own
    ("Tim Produksi BPS Provinsi" beside "BPS Kabupaten/Kota")."""
    own = _tier(agency)
    if own is None:
        tiers = [t for t in map(_tier, columns) if t is not None]
        own = min(tiers) if tiers else None
    if own is None:
        return None
    found = [c for c in columns if _tier(c) == own + 1 and not names_jabatan(c)]
    return found[0] if len(found) == 1 else None


def insert_by_rank(roles: tuple[str, ...], new: str) -> tuple[str, ...]:
    """Put a role found in the text where its rank suggests among the header's columns.

    Tables order columns from the highest jabatan to the lowest or the other way round; the
    direction is read from the columns' own ranks (more descending pairs = descending).
    """
    rank = role_rank(new)
    ranks = [role_rank(r) for r in roles]
    if rank is None or not roles:
        return (*roles, new)
    pairs = [(a, b) for a, b in itertools.pairwise(ranks)
             if a is not None and b is not None and a != b]
    ascending = sum(1 for a, b in pairs if a > b) > sum(1 for a, b in pairs if a < b)
    for i, r in enumerate(ranks):
        if r is None:
            continue
        if (not ascending and r > rank) or (ascending and r < rank):
            return (*roles[:i], new, *roles[i:])
    return (*roles, new)


__all__ = [
    "Mention",
    "RoleBook",
    "RoleName",
    "display_name",
    "field_office",
    "insert_by_rank",
    "is_staff_like",
    "names_jabatan",
    "normalize",
    "parse_role",
    "role_rank",
    "unit_column",
]
