"""Pelaksana columns from the OCR lines of a table header (see the package docstring)."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from converters.model import ReaderWarning
from converters.reading.readers.ocr.words import (
    CONNECTIVES,
    HEADS,
    garbled,
    head_key,
    index_row,
)
from converters.reading.roles import parse_role, role_rank
from converters.reading.vocabulary import (
    JABATAN_KINDS,
    MUTU_COLUMNS,
    OFFICE_NOUNS,
    PELAKSANA_TITLE,
    TEAM_WORDS,
    UNIT_HEAD_WORDS,
    UNIT_NOUNS,
    WAKTU_VALUE,
    is_verb,
    mutu_kind,
    mutu_titles,
)

_GROUP_WORDS = rf"no|{PELAKSANA_TITLE}|mutu|baku|buku|uraian|prosedur|kegiatan|aktivitas"
_HEADER_TOKENS = re.compile(rf"^(?:{_GROUP_WORDS}|{mutu_titles()})$", re.I)
_GROUP_TOKENS = re.compile(rf"^(?:{_GROUP_WORDS})$", re.I)
_MAX_SPLIT_WORDS = 12  # header continuation lines longer than this are dealt evenly
_MAX_SPLIT_GROUPS = 8


@dataclass
class _Col:
    head: str  # as written (OCR spelling)
    key: str | None  # jabatan key, None when garbled
    order: int  # position on its line
    line: int
    units: list[str] = field(default_factory=list)
    garbled: bool = False
    wrapped: int = -1  # the last header line whose words continued this title
    line_length: int = 0  # the characters of that line's piece (0: the head line's)


def column_titles_line(line: str) -> bool:
    """The header line that ends in the Mutu Baku column titles ("9 Kepala Dinas Tim
    Verifikasi Kelengkapan Waktu Output 9"): two kinds of them Capitalised, and no verb. A
    drawn symbol beside the header may leave a digit at its start, so it can look like a
    row; a row never names two Mutu Baku titles, and running text spells them lower-case."""
    words = [w.strip("/:.,|!") for w in line.split()]
    if any(is_verb(w.lower()) for w in words):
        return False
    kinds = {k for w in words if w[:1].isupper() and (k := _mutu_kind(w))}
    return len(kinds) >= 2


_GLUED_TITLES = re.compile(r"(?<=[a-z]{4})(?=[A-Z][a-z]{3})")
"""Two header words OCR read without the space between them ("KepalaDinas"): a capital
after four lower-case letters starts the next word (short mixed-case titles, "KaSubBag",
are written that way and stay)."""


def read_roles(header: list[str], warnings: list[ReaderWarning], offset: int) -> list[str]:
    """The pelaksana column titles of one table header, in column order.

    Steps: sort the header's lines into the index row, cell-split lines and word lines; find
    the column heads; deal the continuation lines' words to them; resolve the garbled heads;
    order the titles by rank; check them against the column index row.
    """
    lines, index_cells, split_names = _header_lines([_GLUED_TITLES.sub(" ", h) for h in header])
    if split_names is not None:
        return split_names
    found: list[ReaderWarning] = []
    names, staggered = _read_titles(lines, index_cells, found, offset)
    if not staggered:
        warnings.extend(found)  # the guesses of a reading the staggered one replaced go
    return names


_MUTU_GROUP = re.compile(r"^mutu\s+b[au]ku$", re.I)
_BLOCK_TITLE_LINES = 4  # a role title wraps over this many lines of its cell at most


def block_titles(header: list[str]) -> list[str] | None:
    """The titles of a header the page mode (``--psm 3``) read as blocks, each cell's title
    a block of its own between blank lines, in the order of the cells: the group titles
    ("No", "Kegiatan", "Pelaksana", "Mutu Baku") first, as their cells top the header, then
    the role titles left to right, then the Mutu Baku column titles. So the blocks after the
    "Mutu Baku" block up to the first Mutu Baku column title are the roles, a title each; a
    title's word cut at its cell's edge goes on at the start of the next line in lower case
    ("Pengadministr" / "asi Umum"), as no title's word begins. None when the header is not
    read so: a block that opens with no jabatan word, or holds two titles (two cells read
    as one block, "Sub Ketua Tim" / "Bagian | Pelayanan")."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in [*header, ""]:
        if raw.strip():
            current.append(raw.strip())
        elif current:
            blocks.append(current)
            current = []
    group = next((k for k, b in enumerate(blocks) if _MUTU_GROUP.match(" ".join(b))), None)
    if group is None:
        return None
    end = next((k for k in range(group + 1, len(blocks))
                if len(blocks[k]) == 1 and _mutu_kind(blocks[k][0].split()[0])), None)
    if end is None or end == group + 1:
        return None
    titles = []
    for block in blocks[group + 1 : end]:
        title = _block_title(block)
        if title is None:
            return None
        titles.append(title)
    return _unique(titles)


def with_block_titles(titles: list[str], blocked: list[str]) -> list[str]:
    """The role titles of a table some page header of which was read as blocks
    (``blocked``, :func:`block_titles`) and ``titles`` read from its other headers, line by
    line: a title read from a block of its own is whole, where the lines deal each title's
    wrapped words among the columns and may misdeal them ("Pengadministrasi Program Umum"
    for "Kepala Bidang Program" and "Pengadministrasi Umum"); but the page mode may lose a
    small title from its blocks ("PPK") that the lines kept. So the blocks' titles, with
    each title of the lines whose jabatan no block names put in after the titles it
    followed; not a rank ("Kepala"), whose unit the lines may have misdealt too."""
    heads = {_head_of(t) for t in blocked}
    out = list(blocked)
    after = 0
    for t in titles:
        head = _head_of(t)
        if head in heads:
            after = max(after, next(k + 1 for k, b in enumerate(out) if _head_of(b) == head))
        elif head is not None and head.split()[0] not in _RANKS and _opens_column(
                t.split()[0]) and not garbled(t.split()[0]):
            out.insert(after, t)
            after += 1
            heads.add(head)
    return out


def _head_of(title: str) -> str | None:
    """The jabatan a title names: its jabatan word, with the next word when it is a rank
    that needs its unit ("Kepala Bidang", "Ketua Tim")."""
    words = title.split()
    key = head_key(words[0]) if words else None
    if key is None:
        return None
    return f"{key} {words[1].lower()}" if key in _RANKS and len(words) > 1 else key


_RANKS = frozenset({"kepala", "ketua"})
"""Jabatan words that name a post only with the unit after them."""


def _block_title(block: list[str]) -> str | None:
    """One title read as a block (see :func:`block_titles`), or None when the block is no
    single title."""
    if len(block) > _BLOCK_TITLE_LINES or any("|" in ln for ln in block):
        return None
    words: list[str] = []
    for ln in block:
        parts = ln.split()
        if words and parts and parts[0][:1].islower():
            words[-1] += parts.pop(0)  # a word cut at the cell's edge
        words += parts
    if not words or not _opens_column(words[0]) or garbled(words[0]) or any(
            _opens_column(w) and not _continues_head(words[:k], w)
            for k, w in enumerate(words) if k):
        return None
    return _title(_Col(words[0], head_key(words[0]), 0, 0, words[1:]))


def _read_titles(
    lines: list[list[str]], index_cells: int, warnings: list[ReaderWarning], offset: int
) -> tuple[list[str], bool]:
    """The titles, and whether they were read line by line (:func:`_staggered`: no guess
    was needed, so the warnings of the reading it replaced do not apply)."""
    cols, head_lines, mutu_kinds = _head_columns(lines)
    if not any(c.key != "mutu" for c in cols):
        return _titles_without_jabatan(lines, mutu_kinds), False
    first = head_lines[0]
    multi = [c for c in cols if c.line == first]
    cols += _deal_continuations(lines, head_lines, multi)
    cols = [c for c in cols if c.key != "mutu"]
    multi = [c for c in multi if c.key != "mutu"]
    single = [c for c in cols if c.line != first]
    slots = index_cells - 2 - len(mutu_kinds) if index_cells else None
    _merge_garbled(cols, multi, single, slots, warnings, offset)
    _guess_garbled(cols, multi, warnings, offset)
    _warn_unread(cols, warnings, offset)
    ordered = _merge_by_rank(
        [c for c in multi if not c.garbled], [c for c in single if not c.garbled]
    )
    names = _unique([_title(c) for c in ordered])
    if slots is not None and len(names) != slots:
        staggered = _staggered(lines, slots)
        if staggered is not None:
            return staggered, True
    _check_slots(names, slots, warnings, offset)
    return names, False


def _staggered(lines: list[list[str]], slots: int) -> list[str] | None:
    """The titles of a header whose role titles wrap over different numbers of lines, read
    line by line, or None when they do not come out as the column index row counts them.

    Tesseract reads a header row as lines across all its cells, and each cell's title is
    centred in its height: a title of four lines starts a line above a title of three, so
    its first line stands alone ("Tim Layanan") and the others open on the next line, after
    its second line ("Gudang/Bagian Tim Laporan Tim Laporan"). So on every line the words
    before the line's first jabatan or team word continue the titles opened above, the
    columns the line opens stand right of them, and a line without one holds the wrapped
    lines of the open titles, left to right: as many pieces as titles, one each (a piece
    OCR garbled keeps its place and adds nothing); a word read twice in a row, the same
    line of titles opened together ("Persediaan Persediaan"); fewer pieces, the tallest
    titles (opened first), whose lines stand where the others have none."""
    cols: list[list[str]] = []
    opened: list[int] = []
    for li, words in enumerate(lines):
        pieces = [w for w in words if not _mutu_kind(w)]
        lead: list[str] = []
        new: list[list[str]] = []
        for w in pieces:
            # a word in brackets qualifies the title it stands under ("(Operator)")
            if (
                _opens_column(w)
                and not w.startswith("(")
                and not (new and _continues_head(new[-1], w))
            ):
                new.append([w])
            elif new:
                if not garbled(w) and _unit_word(w):
                    new[-1].append(w)
            else:
                lead.append(w)
        if lead and not _deal_lines(lead, cols, opened):
            return None
        at = max((k + 1 for k, c in enumerate(cols) if c and c[-1] in lead), default=len(cols))
        cols[at:at] = new
        opened[at:at] = [li] * len(new)
    if len(cols) != slots:
        return None
    return _unique([" ".join(c) for c in cols])


def _continues_head(col: list[str], word: str) -> bool:
    """A team word after the jabatan it completes, the column's only word so far ("Ketua
    Tim"): no column of its own."""
    return len(col) == 1 and _team_word(word) and col[0].lower() in _TEAM_TAKERS


def _deal_lines(words: list[str], cols: list[list[str]], opened: list[int]) -> bool:
    """Give a line's wrapped title pieces to the open columns (see :func:`_staggered`);
    False when they cannot be placed."""
    placed = [w for w in words if w[:1].isalpha() or w[:1] in "(/"]
    if len(placed) == len(cols):
        for col, w in zip(cols, placed, strict=True):
            if not garbled(w) and _unit_word(w):
                col.append(w)
        return True
    kept = [w for w in placed if not garbled(w) and _unit_word(w)]
    if not kept:
        return True
    if len(kept) > len(cols):
        return False
    if len(kept) > 1 and len({w.lower() for w in kept}) == 1:
        together = [k for k in range(len(cols)) if opened.count(opened[k]) == len(kept)]
        if len(together) == len(kept):
            for k in together:
                cols[k].append(kept[0])
            return True
    tallest = sorted(sorted(range(len(cols)), key=lambda k: opened[k])[: len(kept)])
    for k, w in zip(tallest, kept, strict=True):
        cols[k].append(w)
    return True


def _titles_without_jabatan(lines: list[list[str]], mutu_kinds: set[str]) -> list[str]:
    """The titles of a header whose columns name no jabatan ("Pegawai Admin/ PJK TI Teknisi
    Rekanan/Vendor Input Waktu Output"): the Capitalised words before the Mutu Baku titles
    on the line that ends in two of them, a title to each word, a word continuing the title
    before it after a "/" ("Admin/ PJK"), as an acronym ("PJK TI", "Aplikasi FRS MFD") or as
    an acronym's region ("BPS Kab/Kota"). The Mutu Baku group always has its requirements
    column: when no title names it, a lone word before "Waktu" is that column's own name
    ("Input"; a table without it ends its titles in a longer one). A title read twice in a
    row is kept twice: two columns whose second lines differ."""
    for words in lines:
        titles = [i for i, w in enumerate(words) if w[:1].isupper() and _mutu_kind(w)]
        if len(titles) < 2 or len({_mutu_kind(words[i]) for i in titles}) < 2:
            continue
        before = [w for w in words[: titles[0]] if (_WORD.fullmatch(w.rstrip("/!"))
                  and not garbled(w.rstrip("/"))) or _acronym(w)]
        names: list[list[str]] = []
        for w in before:
            prev = names[-1] if names else None
            continues = prev is not None and (
                prev[-1].endswith("/") or _acronym(w)
                or (len(prev) == 1 and _acronym(prev[0]) and not _acronym(w)))
            if continues and prev is not None:
                prev.append(w)
            else:
                names.append([w])
        if ("requirements" not in mutu_kinds and _mutu_kind(words[titles[0]]) == "duration"
                and names and len(names[-1]) == 1 and not _acronym(names[-1][0])):
            names.pop()  # the requirements column under a name of its own
        return _unique([" ".join(n) for n in names], keep_twice=True)
    return []


def _header_lines(header: list[str]) -> tuple[list[list[str]], int, list[str] | None]:
    """The header's word lines (group titles dropped), the column count of its index row
    (0 when none), and the role names when one line already had its cells kept apart.

    The index row ("1 2 3 ...") says how many columns there are, so it is counted, not read;
    a line OCR kept split by "|" names its columns outright, and then nothing else is needed.
    """
    index_cells = 0
    lines: list[list[str]] = []
    for raw in header:
        if row_text(raw) and not column_titles_line(raw):
            if any(ws for ws in lines):
                break  # a first row whose number was lost, taken into the header: no titles
            continue  # a row's line read above the header's titles
        if index_row(raw):
            index_cells = max(index_cells, len(raw.split()))
            continue
        if raw.count("|") >= 4:
            # a header whose cells OCR kept apart: each cell naming a jabatan is one column
            cells = [c.split() for c in raw.split("|")]
            titled = [[w for w in c if not _is_title_token(w)] for c in cells]
            named = [c for c in titled if c and head_key(c[0])]
            if len(named) >= 2:
                names = _unique([_title(_Col(c[0], head_key(c[0]), 0, 0, c[1:])) for c in named])
                return lines, index_cells, names
        # a bar between two letters is a "/" misread ("Gudang|Bagian"); a cell's rule has
        # space around it
        unbarred = _SLASH_READ.sub("/", raw).replace("|", " ")
        lines.append(_title_words(_titles_beside_titles(unbarred.split())))
    return lines, index_cells, None


_SLASH_READ = re.compile(r"(?<=[a-z])\|(?=[A-Z])")


def _opens_column(word: str) -> bool:
    key = head_key(word)
    return (key is not None and key not in UNIT_NOUNS) or _team_word(word)


def row_text(line: str) -> bool:
    """A line of a row's cells rather than of titles: a Waktu value ("2 minggu"), a verb,
    or running text (two lower-case words of four letters or more that are not connectives;
    shorter ones are OCR debris of a title, "kab ola rasi", and so may be one longer word,
    "adan Program Umum")."""
    if WAKTU_VALUE.search(line):
        return True
    words = re.findall(r"[^\W\d_]+", line)
    lower = [w for w in words if w[:1].islower() and w not in CONNECTIVES and len(w) >= 4]
    return len(lower) >= 2 or any(is_verb(w) for w in lower)


def _head_columns(lines: list[list[str]]) -> tuple[list[_Col], list[int], set[str]]:
    """The columns the head lines open, the indexes of those lines, and the Mutu Baku kinds
    seen anywhere in the header.

    What stays of a line: jabatan words, unit words, garbled pieces and the Mutu Baku titles,
    which are columns too (their second lines, "dan Peralatan", must not go to a role).
    """
    cols: list[_Col] = []
    head_lines: list[int] = []
    mutu_kinds: set[str] = set()
    for li, words in enumerate(lines):
        # "Dinas Bagian Umum" under "Kepala Kepala Sub" continues titles: unit nouns alone
        # do not make a line of column heads
        if not any(_opens_column(w) for w in words):
            continue
        head_lines.append(li)
        wraps = any(_WORD.fullmatch(w) and not garbled(w) and not _mutu_kind(w)
                    for ws in lines[li + 1 :] for w in ws)
        _read_head_line(words, li, cols, mutu_kinds, wraps)
    for words in lines:
        mutu_kinds.update(k for k in map(_mutu_kind, words) if k)
    return cols, head_lines, mutu_kinds


_WORD = re.compile(r"[A-Z][A-Za-z/.-]{2,}")
"""A title's word on a line of its own: Capitalised, three letters or more."""


def _read_head_line(
    words: list[str], li: int, cols: list[_Col], mutu_kinds: set[str], wraps: bool = False
) -> None:
    """Open a column at each jabatan word, Mutu Baku title or garbled piece of head line
    ``li``; the words between go to the column before them as its unit. ``wraps``: lines of
    the titles' second lines follow."""
    current: _Col | None = None
    for k, w in enumerate(words):
        key = head_key(w)
        mutu = _mutu_kind(w)
        if mutu:
            mutu_kinds.add(mutu)
            current = _Col(w, "mutu", len(cols), li)
            cols.append(current)
        elif _team_word(w) and current is not None and _named_before_team(
            words[k + 1 : k + 2], current
        ):
            # "Event Team": a team named before its team word, English-wise
            name = current.units.pop()
            current = _Col(name, name.lower(), len(cols), li, [w])
            cols.append(current)
        elif (_team_word(w) and not _takes_team(current)) or _acronym_start(
            words[k + 1 : k + 2], w, current, wraps
        ):
            current = _Col(w, w.lower(), len(cols), li)
            cols.append(current)
        elif (
            key in UNIT_NOUNS
            and current is not None
            and _team_word(current.head)
            and not current.units
        ):
            current.units.append(w)  # "Tim Bagian Umum": the team of that unit
        elif (
            key in UNIT_NOUNS
            and current is not None
            and current.key == "kepala"
            and all(u.lower() == "sub" for u in current.units)
        ):
            current.units.append(w)  # "Kepala (Sub) Bidang ..." is one jabatan
        elif key is not None and current is not None and _names_team(current, w, key):
            current.units.append(w)  # "Ketua Tim Stat. Produksi": the team's name
        elif key is not None:
            current = _Col(w, key, len(cols), li)
            cols.append(current)
        elif garbled(w):
            if current is not None and current.garbled and not current.units:
                current.head += " " + w
            else:
                current = _Col(w, None, len(cols), li, garbled=True)
                cols.append(current)
        elif current is not None and _unit_word(w):
            current.units.append(w)


def _team_word(word: str) -> bool:
    return word.strip("/:.,|").lower() in TEAM_WORDS


_TEAM_PAIRS = frozenset(
    words[0]
    for kind in JABATAN_KINDS
    for spelling in kind.spellings.split("|")
    if len(words := spelling.split()) >= 2 and words[1] in TEAM_WORDS
)
_TEAM_TAKERS = _TEAM_PAIRS | frozenset(
    s for kind in JABATAN_KINDS if kind.key in _TEAM_PAIRS
    for s in kind.spellings.split("|") if " " not in s
)
"""The jabatan words a team word completes ("Ketua Tim", "Anggota Tim", "Koordinator Tim"):
those the vocabulary spells with a team word after them, and the other one-word spellings of
a kind named by one of them. After any other title the team word opens a column of its own
("Fungsional | Tim Kerja")."""


def _takes_team(col: _Col | None) -> bool:
    """The column's last word is a jabatan that a team word completes, and it has no team
    word yet: "Tim" after "Ketua" is "Ketua Tim", after "PJK Survei/Anggota" it is that
    "Anggota Tim"."""
    if col is None or col.key in (None, "mutu"):
        return False
    last = (col.units or [col.head])[-1].split("/")[-1]
    return head_key(last) is not None and last.lower() in _TEAM_TAKERS and not any(
        _team_word(u) for u in col.units
    )


def _names_team(col: _Col, word: str, key: str) -> bool:
    """A word only like a jabatan ("Stat." like "Staf") right after a team word that has no
    name yet: a team word is followed by its team's name, and a jabatan opening a column
    there is spelt as written."""
    if col.key in (None, "mutu"):
        return False
    last = (col.units or [col.head])[-1]
    return _team_word(last) and re.sub(r"[^a-z]", "", word.lower()) != key


def _named_before_team(after: list[str], col: _Col) -> bool:
    """A team word with no name after it (the line's titles end, or another title starts)
    that follows a name the column before took as its second unit word: "Bagian Umum Event
    Team" is "Bagian Umum" and "Event Team"."""
    if len(col.units) < 2 or col.key in (None, "mutu"):
        return False
    name = col.units[-1]
    if not name[:1].isupper() or name.lower() in CONNECTIVES or head_key(name) is not None:
        return False
    nxt = after[0] if after else None
    return nxt is None or _mutu_kind(nxt) is not None or _opens_column(nxt)


def _acronym(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word.isupper()


def _acronym_start(after: list[str], word: str, col: _Col | None, wraps: bool = False) -> bool:
    """An office's acronym that starts a column of its own inside a run of titles on one
    line ("Tim Verifikasi Lapangan | UPT Kecamatan"): after a title that already has
    its unit, and before a Capitalised name of its own. After a jabatan it is that
    jabatan's office ("Kepala UPT Kecamatan"), before a jabatan or team word it ends the
    title before it ("Tim Pengawas UPT | Tim ...")."""
    if _acronym(word) and col is None:
        return True  # the line's first title: "UPT Tim Teknis ..."
    if (word.lower() in OFFICE_NOUNS and col is not None and col.units
            and col.key not in (None, "mutu") and after and after[0][:1].isupper()
            and head_key(after[0]) is None and _mutu_kind(after[0]) is None):
        return True  # an office after a titled column: "Tim Statistik | Dinas Pertanian"
    if not _acronym(word) or col is None or col.key in (None, "mutu") or not col.units:
        return False
    if not after or _mutu_kind(after[0]):
        # the last title of the line: its own column when the titles wrap below, the
        # office's name on the next line ("Kepala Bagian | BPS" over "Umum Kabupaten/Kota")
        return wraps
    nxt = after[0]
    return (nxt[:1].isupper() and not _acronym(nxt) and head_key(nxt) is None
            and not _team_word(nxt) and _mutu_kind(nxt) is None)


def _unit_word(word: str) -> bool:
    """A word of a unit's name ("Umum", "dan", "Program"): Capitalised like a title, or a
    connective; a lower-case piece in a header line is OCR debris ("kab ola rasi")."""
    return word[:1].isupper() or word.lower() in CONNECTIVES or not word[:1].isalpha()


def _deal_continuations(
    lines: list[list[str]], head_lines: list[int], multi: list[_Col]
) -> list[_Col]:
    """Give the words of every line below the first head line that is not itself a head line
    to the columns of the first head line: those are the titles that run over several lines
    (Mutu Baku words excepted, they continue the Mutu Baku titles; a line with a word ending
    in a comma is a row's running text: no title holds one; a line half of whose words are
    garbled is a symbol's debris). Returns the columns whose one-line titles stand
    at the end of such a line ("BPS RI" after the second lines of the titles)."""
    found: list[_Col] = []
    for li in range(head_lines[0] + 1, len(lines)):
        if li in head_lines:
            continue
        if any(w.endswith(",") for w in lines[li]):
            continue  # a row's running text OCR read above its number ("N DSBS, Jumlah")
        if 2 * sum(1 for w in lines[li] if garbled(w)) >= len(lines[li]):
            continue  # the debris of the symbols drawn under the header ("Sena NN Ke Nan")
        words = [w for w in lines[li] if not _mutu_kind(w)]
        # a bare rank ("Kepala") is never a whole title: its post is on the lines below, so
        # the titles do not stand whole on the head line with only their ends wrapped
        # (nor when a line below was dealt so: the next one goes on the titles it continued)
        if (any(_fit(c, []) < 0 or c.wrapped >= 0 for c in multi)
                or not _deal_wrapped(words, multi)):
            found += _deal_units(words, multi, li)
    return found


_BARE_RANK = -3.0
"""What a title left a bare rank costs ("Kepala", "Kepala Sub"): no post is named so."""
_STRANGER = -3.0
"""What a unit or office noun costs after a title that is a post already ("Sekdin Bagian")."""
_NO_UNIT = -1.5
"""What a unit's name costs after the head of the whole office or the requester ("Kadis
Kepegawaian", "Pemohon Umum"): they head no unit of the table."""
_UNIT_OPENERS = frozenset({*UNIT_NOUNS, *OFFICE_NOUNS, "sub"})
_SKIPPED_LINE = -1.5
"""What a wrapped word costs given to a title that took nothing on the line above: a title's
lines follow each other, so a title that ended above takes no more."""


def _fit(col: _Col, group: list[str]) -> float:
    """How well ``group``, a title's piece on the next header line, continues ``col``'s
    title (0 when neither well nor badly), by how jabatan are named: a rank ("Kepala",
    "Kepala Sub", "Ketua") names a post only with the unit or office noun after it ("Kepala
    Bidang", "Kepala Sub Bagian", "Ketua Tim"), which no other title takes but a team's
    ("Tim Verifikasi Dinas ...") and a Sekretaris its office ("Sekretaris Dinas"); a unit's
    name ("Umum") follows a unit's head or staff, not the head of the whole office (Kadis,
    Kaban) nor the requester."""
    if col.key in (None, "mutu"):
        return 0.0
    words = [col.head, *col.units]
    last = words[-1].strip("/:.,|()").lower()
    bare = last in _RANKS or last == "sub"
    if not group:
        return _BARE_RANK if bare else 0.0
    first = group[0].strip("/:.,|()").lower()
    opener = first in _UNIT_OPENERS or (last == "ketua" and _team_word(first))
    if bare:
        return 1.0 if opener else -1.0
    kinds = parse_role(" ".join(words)).kinds
    if opener:
        team = any(_team_word(w) for w in words)
        office = first in OFFICE_NOUNS and kinds == {"sekretaris"}
        return 0.0 if team or office else _STRANGER
    if kinds and kinds <= {"kepala", "sekretaris", "pemohon"}:
        return _NO_UNIT
    unnamed = last in UNIT_NOUNS or head_key(last) in UNIT_HEAD_WORDS
    return _UNIT_WANTED if unnamed and kinds & _UNIT_HEADS else 0.0


_UNREAD_TAKER = -0.5
"""What a wrapped end costs given to a garbled piece of a line of whole titles: it is more
often a symbol's debris or a Mutu Baku title misread than a title."""
_UNIT_WANTED = 0.5
"""What a unit's name is worth after a unit's head that names none yet ("Kepala Bagian"
over "Kepegawaian"): such titles are the ones that go on."""
_UNIT_HEADS = frozenset({*UNIT_NOUNS.values(), "ketua"})
"""The jabatan kinds that head a unit of the table (a team's Ketua among them)."""
_ROOM_LEFT = -1.0
"""What a wrapped word costs given to a title whose line would have held it: the cells are
as wide as the widest piece of a title read on a line, and a word that fits is not wrapped
("Pelaksana" | "Umum" under a "Pengadministrasi" as wide as the cell)."""
_ROOM_MARGIN = 2
"""Characters of that width left for OCR's letters (proportional type reads as letters)."""


def _line_length(col: _Col) -> int:
    """The characters of the title's last line read so far."""
    return col.line_length or len(" ".join([col.head, *col.units]))


_ACRONYM_ROOM = 10
"""How much a title ending in an office's acronym ("Tim Pengawas UPT") is taken to want its
wrapped end, in characters: the acronym is followed by the office's region or unit."""


def _deal_wrapped(words: list[str], multi: list[_Col]) -> bool:
    """The wrapped ends of titles read on one line with the Mutu Baku titles ("Kepala Dinas
    Tim Verifikasi Lapangan UPT Kecamatan Kelengkapan Waktu Output" over "Dinas
    Lingkungan"). The line splits into one piece per wrapped title (a word read twice in a
    row, "Provinsi Provinsi", ends a piece; a jabatan or team word starts one), and the
    pieces go, in order, to the titles they continue best (:func:`_fit`: "Kasubbag" over
    "Keuangan"; not a title whose line had room for the piece, nor a garbled piece; two
    units' names in a row go one to each title when those fit them better), then to the
    titles most likely to wrap: the longest, those ending in an acronym first. False when
    the header is not of that shape."""
    roles = [c for c in multi if c.key != "mutu"]
    if sum(1 for c in multi if c.key == "mutu") < 2 or not roles:
        return False
    words = [w for w in words if (not garbled(w) and _unit_word(w))]
    groups: list[list[str]] = []
    repeated = False
    for w in words:
        prev = groups[-1][-1] if groups else None
        again = prev is not None and w.lower() == prev.lower()
        repeated = repeated or again
        starts = prev is None or again or (
            (head_key(w) is not None or _team_word(w)) and head_key(prev) is None
        )
        if starts:
            groups.append([w])
        else:
            groups[-1].append(w)
    if not groups or len(groups) > len(roles) or (
            len(words) >= len(roles) > 1 and not repeated):
        # as many words as titles: every title wrapped, each to its word (dealt evenly);
        # unless a word read twice cut the pieces ("Sosial BPS Provinsi Provinsi Provinsi")
        return not groups

    def room(col: _Col) -> int:
        last = (col.units or [col.head])[-1]
        return len(_title(col)) + (_ACRONYM_ROOM if _acronym(last) else 0)

    by_room = sorted(roles, key=room, reverse=True)
    if len(roles) > _MAX_SPLIT_WORDS:
        takers = sorted(by_room[: len(groups)], key=lambda c: c.order)
        for col, group in zip(takers, groups, strict=True):
            col.units.extend(group)
        return True

    width = max((len(_title(c)) for c in roles if c.key is not None), default=0)

    def fits(col: _Col, g: list[str]) -> float:
        """What ``g`` is worth under ``col``, its title's line too short to have held it."""
        if col.key is None:
            return _UNREAD_TAKER
        held = len(_title(col)) + 1 + len(g[0]) <= width - _ROOM_MARGIN
        return _fit(col, g) + (_ROOM_LEFT if held else 0.0)

    def best(pieces: list[list[str]]) -> tuple[tuple[float, int], list[_Col]]:
        """The titles the pieces fit best (a unit's head over its unit's name), then the
        longest; a piece wider than the widest title is no one cell's line."""
        too_wide = _ROOM_LEFT * sum(
            1 for g in pieces if len(" ".join(g)) > width + _ROOM_MARGIN)
        return max(
            (((too_wide + sum(fits(c, g) for c, g in zip(cs, pieces, strict=True)),
               -sum(by_room.index(c) for c in cs)), list(cs))
             for cs in itertools.combinations(roles, len(pieces))),
            key=lambda scored: scored[0],
        )

    (fit, _), takers = best(groups)
    if len(groups) < len(words) <= len(roles) and all(
            w[:1].isupper() and head_key(w) is None for w in words):
        # two units' names in a row ("Keuangan Kepegawaian") may be one title's or two
        # titles' ends: each a title's when the titles fit them better so
        single = [[w] for w in words]
        (apart, _), spread = best(single)
        if apart > fit:
            groups, takers = single, spread
    for col, group in zip(takers, groups, strict=True):
        col.units.extend(group)
    return True


def _guess_garbled(
    cols: list[_Col], multi: list[_Col], warnings: list[ReaderWarning], offset: int
) -> None:
    """A garbled head with a unit under it is most probably the jabatan of its neighbours:
    take that guess, and say so."""
    for c in cols:
        if c.garbled:
            donor = _donor(c, multi)
            if donor is not None and c.units:
                warnings.append(
                    ReaderWarning(
                        f"Judul kolom pelaksana tidak terbaca ({c.head!r}); dibaca sebagai "
                        f"{donor} {' '.join(c.units)} / unreadable role header guessed",
                        code="header-guessed",
                        line=offset + 1 + c.line,
                    )
                )
                c.head, c.key, c.garbled = donor, donor.lower(), False


def _warn_unread(cols: list[_Col], warnings: list[ReaderWarning], offset: int) -> None:
    """The garbled heads still left are dropped; the user must hear of each."""
    for c in cols:
        if c.garbled:
            warnings.append(
                ReaderWarning(
                    f"Judul kolom tidak terbaca dan diabaikan: {c.head!r} / unreadable header "
                    "piece ignored",
                    code="header-unread",
                    line=offset + 1 + c.line,
                )
            )


def _check_slots(
    names: list[str], slots: int | None, warnings: list[ReaderWarning], offset: int
) -> None:
    """The column index row is the one count OCR does not garble: when the titles read do
    not match it, a column was lost or invented, and the user must check."""
    if slots is not None and len(names) != slots:
        warnings.append(
            ReaderWarning(
                f"Baris nomor kolom menyebut {slots} kolom pelaksana, terbaca {len(names)} / "
                "the column index row counts another number of role columns",
                code="header-mismatch",
                line=offset + 1,
            )
        )


def _title_words(words: list[str]) -> list[str]:
    """A header line without its group titles. "Pelaksana" after a jabatan on the same line
    is a column of its own (the JP staff), not the title over the role columns. A number
    alone is a drawn symbol's debris ("9 Kepala ... Output 9"): no title is a number, nor a
    lone lower-case letter (the same digit misread, "g Ketua Tim ... Output g")."""
    out: list[str] = []
    after_jabatan = False
    # initials read as "Ia" stand among titles, not on a line of symbols' debris
    titled = any(_opens_column(w) and not garbled(w) for w in words)
    for w in words:
        if w.endswith(")") and "(" not in w and len(w) > 1:
            w = w[:-1]  # a cell's rule read as a bracket after the word ("Kepegawaian)")
        w = (titled and _two_letter_jabatan(w)) or _first_letter_misread(w)
        key = head_key(w)
        if w.isdigit() or (len(w) == 1 and w.islower()) or (
                _is_group_token(w) and not (after_jabatan and key == "pelaksana")):
            continue
        after_jabatan = after_jabatan or (key not in (None, "pelaksana") and not _mutu_kind(w))
        out.append(w)
    return out


_J_TITLE = re.compile(r"^[JI][FfIlPpRrka]$")
"""A two-letter title "J" + letter as OCR reads the JF and JP columns (Jabatan Fungsional,
Jabatan Pelaksana) at low resolution: the J's hook lost ("I"), the F's bars lost or a bowl
added ("JI", "Ia", "JR", "Jk"). No jabatan is spelt so; a unit's acronym after a title
("Staf IT") has other letters."""


def _two_letter_jabatan(word: str) -> str | None:
    """The JP or JF column a damaged two-letter title names (see :data:`_J_TITLE`): a "P"
    read is JP, any other letter JF, whose F is the letter small type damages most
    (:func:`.role_units.abbreviation_by_text` lets the activities settle a "P" read for an
    "F"). None for any other word, and for a title read as written."""
    if not _J_TITLE.match(word) or head_key(word) is not None:
        return None
    return "JP" if word[1] in "Pp" else "JF"


_LONG_HEAD = 8
"""Letters from which a jabatan word is told by all its letters but the first."""
_LONG_HEADS = tuple(h for h in HEADS if len(h) >= _LONG_HEAD)


def _first_letter_misread(word: str) -> str:
    """A long jabatan word whose first letter OCR misread ("Rengadministradi"), as that
    word; :func:`.words.head_key` keeps the first letter, which running text needs, but on
    a header line a long word spelt like a jabatan but for its first letter is that title.
    A word of the same first letter is another word ("Perencanaan" is no "Perencana"). One
    letter inside may be read as a sign too ("Rengadministra$i")."""
    signs = sum(1 for ch in word if not ch.isalpha())
    if (len(word) < _LONG_HEAD or not (word[:1].isalpha() and word[-1:].isalpha())
            or signs > 1 or head_key(word) is not None):
        return word
    w = word.lower()
    tails = difflib.get_close_matches(w[1:], [h[1:] for h in _LONG_HEADS], n=1, cutoff=_MISSPELT)
    head = next((h for h in _LONG_HEADS if tails and h[1:] == tails[0]), None)
    return head.capitalize() if head is not None and head[0] != w[0] else word


def _is_group_token(word: str) -> bool:
    w = word.strip("/:.,|!")
    return bool(_GROUP_TOKENS.match(w)) or _misspelt(w, _GROUP_SPELLINGS) is not None


_GROUP_SPELLINGS = ("pelaksana", "uraian", "prosedur", "kegiatan", "aktivitas")
_MUTU_SPELLINGS = {t: col.kind for col in MUTU_COLUMNS for t in col.form_titles if len(t) > 3}
_MISSPELT = 0.85
"""How close a header word must be to a title to be that title misspelt ("Akivitas",
"Waku", "Persyartan"): closer than any unit name comes to a title ("Keuangan" and
"Keterangan", "Peralatan" and "Persyaratan" are 0.8 alike)."""


_MISSPELT_PAIR = 0.7
"""How close each part of a title pair joined by "/" must be, or a word on a line beside
another Mutu Baku title ("Oupat" after "Waku"): the line or the pair says it is a title."""


def _titles_beside_titles(words: list[str]) -> list[str]:
    """The words of a header line, a Capitalised word that spells a Mutu Baku title badly
    written as that title when another title stands on the line ("Persyartan/ Waku Oupat")."""
    if not any(_mutu_kind(w) for w in words):
        return words
    out = []
    for w in words:
        title = None
        if w[:1].isupper() and not _mutu_kind(w):
            title = _misspelt(w.strip(" /:.,|!"), _MUTU_SPELLINGS, _MISSPELT_PAIR)
        out.append(title.capitalize() if title else w)
    return out


def _misspelt(
    word: str, titles: tuple[str, ...] | dict[str, str], cutoff: float = _MISSPELT
) -> str | None:
    """The title ``word`` spells with OCR damage (same first letter, close enough), or
    None. Jabatan words are never titles."""
    w = word.lower()
    if len(w) < 4 or not w.isalpha() or head_key(w) is not None:
        return None
    ratio, best = max((difflib.SequenceMatcher(None, w, t).ratio(), t) for t in titles)
    return best if ratio >= cutoff and best[0] == w[0] else None


def _is_title_token(word: str) -> bool:
    return bool(_HEADER_TOKENS.match(word.strip("/:.,|")))


def _mutu_kind(word: str) -> str | None:
    # one OCR word: only the form's own titles, a loose "hasil" is more often running text;
    # a title joined by "/" counts by any of its parts ("Pkrsyaratan/Perlengkapan")
    found = mutu_kind(word) or next(
        (k for part in word.split("/")[1:] if part and (k := mutu_kind(part))), None
    )
    if found is None and word[:1].isupper():  # a title misspelt by OCR is Capitalised too
        parts = [p for p in word.strip(" :.,|!").split("/") if p]
        # two titles joined by "/" ("Persyaratan/Perlengkapan") are a title even spelt worse
        cutoff = _MISSPELT_PAIR if len(parts) == 2 else _MISSPELT
        titles = [_misspelt(p, _MUTU_SPELLINGS, cutoff) for p in parts]
        if titles and all(titles):
            found = _MUTU_SPELLINGS[str(titles[0])]
    return found


def _merge_garbled(
    cols: list[_Col],
    multi: list[_Col],
    single: list[_Col],
    slots: int | None,
    warnings: list[ReaderWarning],
    offset: int,
) -> None:
    """More role titles than the column index row allows: a garbled head on the first line
    and a title on the middle line are one column ("S LD" over "Fungsional" over "Umum").
    The middle-line title is the one whose rank follows the garbled column's left neighbour."""
    if slots is None:
        return
    while len(cols) > slots:
        garbled = next((c for c in multi if c.garbled and c in cols), None)
        if garbled is None:
            return
        named_multi = [c for c in multi if not c.garbled and c in cols]
        named_single = [c for c in single if not c.garbled and c in cols]
        order = _merge_by_rank(named_multi, named_single)
        left = [c for c in named_multi if c.order < garbled.order]
        start = order.index(left[-1]) + 1 if left else 0
        partner = next((c for c in order[start:] if c in named_single), None)
        if partner is None:
            return
        partner.units.extend(garbled.units)
        cols.remove(garbled)
        multi.remove(garbled)
        warnings.append(
            ReaderWarning(
                f"Judul kolom tidak terbaca ({garbled.head!r}) digabung dengan "
                f"{_title(partner)!r}: satu kolom menurut baris nomor kolom / unreadable header "
                "piece joined to the title below it",
                code="header-guessed",
                line=offset + 1 + garbled.line,
            )
        )


def _deal_units(words: list[str], multi: list[_Col], line: int = 0) -> list[_Col]:
    """Deal the words of a header continuation line to the columns of the first head line;
    the columns of one-line titles that end the line, new. Two capitals are a symbol's debris
    ("NN", "TA") unless they follow an office's acronym as its region ("BPS RI")."""
    words = [w for i, w in enumerate(words)
             if (not garbled(w) and _unit_word(w)) or w.lower() in CONNECTIVES
             or (_acronym(w) and i and _acronym(words[i - 1]) and len(words[i - 1]) > 2)]
    if not words:
        return []
    takers = list(multi)
    latest = max((c.wrapped for c in takers), default=-1)
    if len(words) == 1 and latest >= 0 and len(takers) > 1 and not any(
            c.garbled for c in takers):
        # a lone word goes on a title that wrapped on the line above, the one it fits best
        # (after a title OCR garbled: that one is read least)
        above = [c for c in takers if c.wrapped == latest and c.key != "mutu"]
        if above:
            target = max(reversed(above), key=lambda c: _fit(c, words))
            target.units.extend(words)
            target.wrapped, target.line_length = line, len(words[0])
            return []
    if len(words) == 1 or len(takers) == 1:
        # a lone word completes the title we can least read, else the one it comes before
        target = next(
            (c for c in takers if c.garbled),
            next(
                (c for c in takers if c.units and c.units[0].lower() in CONNECTIVES),
                next((c for c in reversed(takers) if c.key != "mutu"), takers[-1]),
            ),
        )
        if target.units and target.units[0].lower() in CONNECTIVES:
            target.units[:0] = words  # "Umum" read after "dan Peralatan": it comes first
        else:
            target.units.extend(words)
        return []
    *groups, rest = _best_split(words, takers)
    for c, g in zip(takers, groups, strict=True):
        c.units.extend(g)
        if g:
            c.wrapped, c.line_length = line, len(" ".join(g))
    return _one_line_titles(rest, line, len(multi))


def _one_line_titles(words: list[str], line: int, order: int) -> list[_Col]:
    """The columns of the titles ``words`` hold, each opening at an office's acronym or a
    column's head word ("BPS RI", "BPS Kab/Kota")."""
    cols: list[_Col] = []
    for w in words:
        # an acronym after a bare acronym is its office's region ("BPS RI")
        if not cols or (_title_opener(w) and (cols[-1].units or not _acronym(cols[-1].head))):
            key = head_key(w) if head_key(w) not in (None, *UNIT_NOUNS) else w.lower()
            cols.append(_Col(w, key, order + len(cols), line))
        else:
            cols[-1].units.append(w)
    return cols


def _title_opener(word: str) -> bool:
    return _acronym(word) or _opens_column(word)


_SHARED_UNIT = 1.5
"""What two titles naming the same unit under two jabatan are worth in a split ("Ketua Tim
Statistik Sosial", "Anggota Tim Statistik Sosial"): tables give a team's or a unit's posts a
column each."""


def _unit_part(units: list[str]) -> tuple[str, ...]:
    """The unit a title names, without its jabatan: what follows its team word ("Survei/
    Anggota Tim | Statistik Sosial"), else all its unit words."""
    teams = [i for i, u in enumerate(units) if _team_word(u)]
    return tuple(u.lower() for u in units[teams[-1] + 1 if teams else 0 :])


def _best_split(words: list[str], takers: list[_Col]) -> list[list[str]]:
    """Split ``words`` into one contiguous group per taker (some may be empty), and a last
    group of one-line titles of their own that end the line, best read.

    A jabatan on the first of several header lines expects its unit below it, so leaving it
    empty costs most; a garbled piece less; a Mutu Baku title least, and only a Mutu Baku
    title may take a piece that starts with "dan" ("Kelengkapan / dan Peralatan"). An
    office's acronym inside a unit's name starts another title ("Wilayah | BPS RI"); two
    titles that name the same unit are likely (see :data:`_SHARED_UNIT`); the titles of
    their own open with an acronym or a head word and have a second word.
    """
    k = len(takers)
    if len(words) > _MAX_SPLIT_WORDS:
        size = -(-len(words) // k)
        return [words[i * size : (i + 1) * size] for i in range(k)] + [[]]
    latest = max((c.wrapped for c in takers), default=-1)
    width = max([_line_length(c) for c in takers if c.key not in (None, "mutu")]
                + [len(w) for w in words])

    def piece(col: _Col, g: list[str]) -> float:
        """What giving ``g`` to ``col`` is worth, on its own."""
        s = _fit(col, g)
        if not g:
            return s - (0.5 if col.key == "mutu" else 1.0 if col.garbled else 2.0)
        if latest >= 0 and col.wrapped != latest:
            s += _SKIPPED_LINE
        if col.key not in (None, "mutu") and (
                _line_length(col) + 1 + len(g[0]) <= width - _ROOM_MARGIN):
            s += _ROOM_LEFT
        if g[-1].lower() in CONNECTIVES:
            s -= 2
        starts_dan = g[0].lower() in CONNECTIVES
        if starts_dan != (col.key == "mutu"):
            s -= 1  # roles take unit words, Mutu Baku titles only "dan ..." endings
        if any(_acronym(w) and g[i - 1].lower() not in CONNECTIVES
               for i, w in enumerate(g) if i):
            s -= 1.5
        return s

    def rest_score(rest: list[str]) -> float:
        if not rest:
            return 0.0
        titled = _title_opener(rest[0]) and (len(rest) >= 2 or _acronym(rest[0]))
        return 0.5 if titled else -10.0

    if k > _MAX_SPLIT_GROUPS:
        return _split_by_pieces(words, takers, piece, rest_score)
    best: tuple[float, list[list[str]]] | None = None

    def score(groups: list[list[str]]) -> float:
        s = 0.0
        units: list[tuple[str, ...]] = []
        for col, g in zip(takers, groups[:-1], strict=True):
            if col.key not in (None, "mutu"):
                units.append(_unit_part([*col.units, *g]))
            s += piece(col, g)
        s += _SHARED_UNIT * sum(
            1 for i, u in enumerate(units) for v in units[i + 1 :] if u and u == v
        )
        return s + rest_score(groups[-1])

    def rec(start: int, left: int, acc: list[list[str]]) -> None:
        nonlocal best
        if left == 1:
            cand = [*acc, words[start:]]
            sc = score(cand)
            if best is None or sc > best[0]:
                best = (sc, cand)
            return
        for end in range(start, len(words) + 1):
            rec(end, left - 1, [*acc, words[start:end]])

    rec(0, k + 1, [])
    assert best is not None
    return best[1]


def _split_by_pieces(
    words: list[str],
    takers: list[_Col],
    piece: Callable[[_Col, list[str]], float],
    rest_score: Callable[[list[str]], float],
) -> list[list[str]]:
    """:func:`_best_split` for more takers than its every split can be tried for: each
    taker's piece scored on its own (no shared units), the best split found by dynamic
    programming over (words dealt, takers served)."""
    n, k = len(words), len(takers)
    # best[j][i]: the best score of dealing words[:i] to takers[:j], with the cut before it
    best = [[float("-inf")] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(n + 1):
            for a in range(i + 1):
                if best[j - 1][a] == float("-inf"):
                    continue
                sc = best[j - 1][a] + piece(takers[j - 1], words[a:i])
                if sc > best[j][i]:
                    best[j][i], cut[j][i] = sc, a
    end = max(range(n + 1), key=lambda i: (best[k][i] + rest_score(words[i:]), -i))
    groups: list[list[str]] = [words[end:]]
    i = end
    for j in range(k, 0, -1):
        a = cut[j][i]
        groups.insert(0, words[a:i])
        i = a
    return groups


def _donor(col: _Col, multi: list[_Col]) -> str | None:
    """The jabatan a garbled head most probably spells: that of the nearest unit-bearing
    column of the same header line other than the head of the whole office."""
    cands = [c for c in multi if c.key in UNIT_HEAD_WORDS and not c.garbled and c is not col]
    lower = [c for c in cands if c.key != "kepala"] or cands
    if not lower:
        return None
    near = min(lower, key=lambda c: abs(c.order - col.order))
    return near.head


def _rank(col: _Col) -> int | None:
    name = _title(col)
    return role_rank(name)


def _merge_by_rank(multi: list[_Col], single: list[_Col]) -> list[_Col]:
    """Interleave the single-line titles among the multi-line ones by jabatan rank.

    OCR gives each header line left to right but loses where the lines' pieces stand; tables
    order their columns by rank (highest first or lowest first), so the direction is read
    from the multi-line columns and each single-line title goes where its rank fits.
    """
    if not multi:
        return single
    if not single:
        return multi
    ranks = [_rank(c) for c in multi]
    known = [r for r in ranks if r is not None]
    descending = not known or known[0] <= known[-1]
    out = list(multi)
    for s in single:
        r = _rank(s)
        if r is None:
            out.append(s)
            continue
        pos = len(out)
        for i, c in enumerate(out):
            rc = _rank(c)
            if rc is None:
                continue
            if (descending and rc > r) or (not descending and rc < r):
                pos = i
                break
        out.insert(pos, s)
    return out


def _title(col: _Col) -> str:
    head = col.head
    if col.key and col.key != head.lower():
        head = col.key.capitalize() if not col.key.isupper() else col.key
    words = [head, *col.units]
    text = " ".join(words)
    return re.sub(r"\s+", " ", text).strip()


def _unique(names: list[str], keep_twice: bool = False) -> list[str]:
    """Each name once; with ``keep_twice`` a name read twice in a row stays twice: two
    columns whose titles share their first line ("Aplikasi FRS MFD" over "Online level
    kab/kota" and over "Online level provinsi"), told apart later by the line below
    (:func:`.role_units.rehome_units`)."""
    out: list[str] = []
    for n in names:
        if n not in out or (keep_twice and out[-1] == n and out.count(n) == 1):
            out.append(n)
    return out
