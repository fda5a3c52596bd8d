"""Reader for OCR text of a scanned SOP AP table.

OCR keeps the reading order of each visual line but loses every position: a row's first line
holds ``No | activity  symbols  Kelengkapan  Waktu | Output | Keterangan`` and the following
lines hold the wrapped ends of *all* those cells, one after the other ("Indikator Kinerja Utama
dari masing-masing bidang dan v Kinerja Utama" = activity words, a symbol remnant, then the end
of the Kelengkapan cell). Header words come split over lines and misspelt ("I;epala", "MUTU
BUKU", a garbled "S:zf;;:izit;n"), and a second page repeats the header.

With no x positions the reader works from what a careful human reader uses:

* the Waktu value ("2 Jam", "10 Menit") anchors the first line: before it stand the activity
  and the Kelengkapan, after it the Output and the Keterangan;
* symbol remnants and ``|`` mark where the activity ends;
* an activity is lower-case running text after its first verb, while Mutu Baku cells are short
  Capitalised noun phrases; a lower-case word followed by a Capitalised one is where a wrapped
  line passes from the activity column to the Mutu Baku columns, unless the capitals spell a
  phrase the document uses in running text (its own title, "Indikator Kinerja Utama");
* a wrapped piece belongs to the cell it completes into a phrase the document uses elsewhere
  ("Disposisi" + "surat" = the Kelengkapan "Disposisi surat"; "SOP Pengumpulan" + "Data" =
  the Keterkaitan item "SOP Pengumpulan Data").

Role columns are read from the header lines: jabatan words start columns (OCR misspellings
matched by similarity), unit words on the following lines are dealt to the columns that started
on the first header line, single-line titles are placed among them by jabatan rank, and a
garbled title followed by unit words borrows the jabatan of its neighbour ("S:zf;;:izit;n …
Umum dan Peralatan" next to "Kasubag Program" = "Kasubag Umum dan Peralatan").

Symbol remnants cannot be placed in a role column without positions, so ``marks`` stay empty
(inference then uses the text); one ``marks-unplaced`` warning names the steps that had some.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field

from converters.model import ConversionError, ReaderWarning
from converters.reading.header import Header, parse_header
from converters.reading.raw import RawDocument, RawRow
from converters.reading.roles import role_rank

FORMAT = "ocr"

_ROW_START = re.compile(r"^\s*(\d{1,2})\s*(?:\.\s*\|?|\|)\s*(.*)$")
_INDEX_ROW = re.compile(r"^\s*(?:\(?\d{1,2}\)?\s+){3,}\(?\d{1,2}\)?\s*$")
_WAKTU = re.compile(
    r"(?<![\w/])(\d+(?:[.,]\d+)?(?:\s*(?:-|s/?d|sampai)\s*\d+(?:[.,]\d+)?)?\s*(?:x\s*\d+\s*)?"
    r"(?:menit|mnt|jam|hari(?:\s+kerja)?|minggu|bulan|tahun|detik)\b(?:\s*/\s*\w+)?"
    r"|segera|sesuai\s+kebutuhan)",
    re.I,
)
_HEADER_TOKENS = re.compile(
    r"^(no|pelaksana|mutu|baku|buku|uraian|prosedur|kegiatan|aktivitas|kelengkapan"
    r"|persyaratan|perlengkapan|waktu|output|keterangan|ket)$",
    re.I,
)
_GROUP_TOKENS = re.compile(
    r"^(no|pelaksana|mutu|baku|buku|uraian|prosedur|kegiatan|aktivitas)$", re.I
)
_KET_START = re.compile(r"^(sop|lihat|sesuai|jika|apabila|melalui|via|catatan|untuk)$", re.I)
_MAX_WRAPPED_LINES = 40  # a row's cells never wrap over more lines than this
_MAX_DEAL_WORDS = 24  # longer wrapped Mutu Baku text is not scored word by word
_MAX_SPLIT_WORDS = 12  # header continuation lines longer than this are dealt evenly
_MAX_SPLIT_GROUPS = 8
_CONNECTIVES = frozenset({"dan", "&", "/", "atau", "dengan", "serta"})

# Jabatan words that start a role column head (OCR spellings are matched by similarity).
_HEADS = (
    "kepala", "kadis", "kaban", "kakan", "sekretaris", "sekdin", "sekban", "sesdep", "sekda",
    "kabag", "kabid", "kasubag", "kasubbag", "kasubbid", "kasubid", "kasi", "kasie", "ketua",
    "koordinator", "fungsional", "staf", "staff", "pelaksana", "pengadministrasi",
    "pengadministrasian", "bendahara", "ppk", "kpa", "arsiparis", "operator", "petugas",
    "pemohon", "analis", "pranata", "perencana", "jfu", "jft", "anggota", "bupati", "walikota",
    "gubernur", "menteri", "deputi", "direktur", "camat", "lurah", "asisten", "sekretariat",
    "pengelola", "verifikator", "bagian", "bidang", "seksi",
)  # fmt: skip
_UNIT_NOUNS = ("bagian", "bidang", "seksi")
_UNIT_BEARING = ("kepala", "kabag", "kabid", "kasubag", "kasubbag", "kasubbid", "kasi", "ketua")


def sniff(text: str) -> float:
    """How much ``text`` looks like OCR output of an SOP table (0..1)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return 0.0
    rows = sum(1 for ln in lines if re.match(r"^\s*\d{1,2}\s*\.?\s*\|", ln))
    header = bool(re.search(r"pelaksana", text, re.I)) and bool(
        re.search(r"mutu\s+b[au]ku|uraian\s+prosedur", text, re.I)
    )
    garble = len(re.findall(r"[A-Za-z][;:][a-z]", text))
    tabs = text.count("\t")
    wide = sum(1 for ln in lines if re.search(r"\S {4,}\S", ln))
    score = 0.0
    if rows:
        score += min(0.6, 0.1 * rows)
    if header:
        score += 0.25
    if garble:
        score += 0.1
    if tabs > len(lines) / 4 or wide > len(lines) / 3:
        score *= 0.3
    return round(min(1.0, score), 3)


@dataclass
class _Row:
    number: int
    line: int
    first: str
    rest: list[tuple[int, str]] = field(default_factory=list)


def read(text: str) -> RawDocument:
    """Read OCR text of an SOP AP table into a :class:`RawDocument`."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    blocks = _header_blocks(lines)
    if not blocks:
        raise ConversionError(
            "Tabel SOP tidak ditemukan dalam teks OCR: tidak ada judul kolom PELAKSANA / "
            "MUTU BAKU / no SOP table header found in the OCR text"
        )
    warnings: list[ReaderWarning] = []
    roles = _roles(lines[blocks[0][0] : blocks[0][1]], warnings, blocks[0][0])
    in_header = {i for a, b in blocks for i in range(a, b)}
    rows = _split_rows(lines, blocks[0][1], in_header, warnings)
    if not rows:
        raise ConversionError(
            "Tabel SOP tidak berisi langkah bernomor / the SOP table has no steps"
        )
    pre_lines = lines[: blocks[0][0]]
    pre_lines, title = _take_title(pre_lines)
    pre = _pretable(pre_lines)
    warnings = list(pre.warnings) + warnings
    identity = pre.identity
    if title and not identity.name:
        identity = dataclasses.replace(identity, name=title)
    phrases = _Phrases.for_title(title or identity.name)
    phrases.roles = [_norm(r).split()[0] for r in roles if _norm(r)]
    firsts = [_first_cells(r, phrases) for r in rows]
    phrases.add_cells(
        [*pre.legal_basis, *pre.related_sops, *pre.equipment, *pre.records]
        + [_join(c) for f in firsts for c in (f.requirements, f.output, f.notes)]
    )
    phrases.add_running([_join(f.activity) for f in firsts])
    raw_rows = []
    for r, f in zip(rows, firsts, strict=True):
        raw = _read_row(r, f, phrases, warnings)
        phrases.add_cells([raw.requirements, raw.output, raw.notes])
        raw_rows.append(raw)
    with_remnants = [str(r.number) for r, f in zip(rows, firsts, strict=True) if f.remnants]
    if with_remnants:
        warnings.append(
            ReaderWarning(
                "Sisa simbol bagan tanpa posisi kolom pada langkah "
                f"{', '.join(with_remnants)}; pelaksana dibaca dari teks / flowchart symbol "
                "remnants cannot be placed in a role column",
                code="marks-unplaced",
            )
        )
    return pre.document(FORMAT, raw_rows, warnings, roles=roles, identity=identity)


# -- header ----------------------------------------------------------------------------------


def _header_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, after-last) line of every table header (one per page)."""
    blocks: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if re.search(r"\bpelaksana\b", lines[i], re.I) and _looks_like_header(lines, i):
            j = i + 1
            while j < len(lines) and j < i + 9:
                if _ROW_START.match(lines[j]):
                    break
                if _INDEX_ROW.match(lines[j]):
                    j += 1
                    break
                j += 1
            # drop trailing blank / remnant lines that belong to the body
            blocks.append((i, j))
            i = j
            continue
        i += 1
    return blocks


def _looks_like_header(lines: list[str], i: int) -> bool:
    window = " ".join(lines[i : i + 6])
    return bool(re.search(r"mutu\s+b[au]ku|uraian|kegiatan|aktivitas", window, re.I))


def _head_key(word: str) -> str | None:
    """The jabatan word ``word`` spells, allowing OCR damage ("I;epala" → "kepala")."""
    w = word.lower()
    w = re.sub(r"^(i;|l<|i<|1<|\|<)", "k", w)
    w = re.sub(r"[^a-z/]", "", w)
    if len(w) < 3:
        return w if w in ("jf", "jp", "pa") else None
    if w in _HEADS:
        return w
    best = difflib.get_close_matches(w, _HEADS, n=1, cutoff=0.8)
    return best[0] if best else None


def _garbled(word: str) -> bool:
    if word.lower() in _CONNECTIVES:
        return False
    if re.search(r"[^A-Za-z/&.,()'-]", word):
        return True
    letters = re.sub(r"[^A-Za-z]", "", word)
    return len(letters) <= 2 and not word.isdigit()


@dataclass
class _Col:
    head: str  # as written (OCR spelling)
    key: str | None  # jabatan key, None when garbled
    order: int  # position on its line
    line: int
    units: list[str] = field(default_factory=list)
    garbled: bool = False


def _roles(header: list[str], warnings: list[ReaderWarning], offset: int) -> list[str]:
    index_cells = 0
    lines = []
    for raw in header:
        if _INDEX_ROW.match(raw):
            index_cells = max(index_cells, len(raw.split()))
            continue
        if raw.count("|") >= 4:
            # a header whose cells OCR kept apart: each cell naming a jabatan is one column
            cells = [c.split() for c in raw.split("|")]
            titled = [[w for w in c if not _is_title_token(w)] for c in cells]
            named = [c for c in titled if c and _head_key(c[0])]
            if len(named) >= 2:
                return _unique([_title(_Col(c[0], _head_key(c[0]), 0, 0, c[1:])) for c in named])
        words = [w for w in raw.replace("|", " ").split() if not _is_group_token(w)]
        lines.append(words)
    # What stays: jabatan words, unit words, garbled pieces and the Mutu Baku titles, which
    # are columns too (their second lines, "dan Peralatan", must not go to a role).
    cols: list[_Col] = []
    head_lines: list[int] = []
    mutu_kinds: set[str] = set()
    for li, words in enumerate(lines):
        # "Dinas Bagian Umum" under "Kepala Kepala Sub" continues titles: unit nouns alone
        # do not make a line of column heads
        if not any(_head_key(w) and _head_key(w) not in _UNIT_NOUNS for w in words):
            continue
        head_lines.append(li)
        current: _Col | None = None
        for w in words:
            key = _head_key(w)
            mutu = _mutu_kind(w)
            if mutu:
                mutu_kinds.add(mutu)
                current = _Col(w, "mutu", len(cols), li)
                cols.append(current)
            elif (
                key in _UNIT_NOUNS
                and current is not None
                and current.key == "kepala"
                and all(u.lower() == "sub" for u in current.units)
            ):
                current.units.append(w)  # "Kepala (Sub) Bidang ..." is one jabatan
            elif key is not None:
                current = _Col(w, key, len(cols), li)
                cols.append(current)
            elif _garbled(w):
                if current is not None and current.garbled and not current.units:
                    current.head += " " + w
                else:
                    current = _Col(w, None, len(cols), li, garbled=True)
                    cols.append(current)
            elif current is not None:
                current.units.append(w)
    for words in lines:
        mutu_kinds.update(k for k in map(_mutu_kind, words) if k)
    if not any(c.key != "mutu" for c in cols):
        return []
    first = head_lines[0]
    multi = [c for c in cols if c.line == first]
    for li in range(first + 1, len(lines)):
        if li in head_lines:
            continue
        _deal_units([w for w in lines[li] if not _mutu_kind(w)], multi)
    cols = [c for c in cols if c.key != "mutu"]
    multi = [c for c in multi if c.key != "mutu"]
    single = [c for c in cols if c.line != first]
    slots = index_cells - 2 - len(mutu_kinds) if index_cells else None
    _merge_garbled(cols, multi, single, slots, warnings, offset)
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
    ordered = _merge_by_rank(
        [c for c in multi if not c.garbled], [c for c in single if not c.garbled]
    )
    names = _unique([_title(c) for c in ordered])
    if slots is not None and len(names) != slots:
        warnings.append(
            ReaderWarning(
                f"Baris nomor kolom menyebut {slots} kolom pelaksana, terbaca {len(names)} / "
                "the column index row counts another number of role columns",
                code="header-mismatch",
                line=offset + 1,
            )
        )
    return names


def _is_group_token(word: str) -> bool:
    return bool(_GROUP_TOKENS.match(word.strip("/:.,|")))


def _is_title_token(word: str) -> bool:
    return bool(_HEADER_TOKENS.match(word.strip("/:.,|")))


def _mutu_kind(word: str) -> str | None:
    w = word.strip("/:.,|").lower()
    if w in ("kelengkapan", "persyaratan", "perlengkapan"):
        return "requirements"
    return {"waktu": "duration", "output": "output", "keterangan": "notes", "ket": "notes"}.get(w)


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


def _deal_units(words: list[str], multi: list[_Col]) -> None:
    """Deal the words of a header continuation line to the columns of the first head line."""
    words = [w for w in words if not _garbled(w) or w.lower() in _CONNECTIVES]
    if not words:
        return
    takers = list(multi)
    if len(words) == 1 or len(takers) == 1:
        # a lone word completes the title we can least read, else the one it comes before
        target = next(
            (c for c in takers if c.garbled),
            next(
                (c for c in takers if c.units and c.units[0].lower() in _CONNECTIVES),
                next((c for c in reversed(takers) if c.key != "mutu"), takers[-1]),
            ),
        )
        if target.units and target.units[0].lower() in _CONNECTIVES:
            target.units[:0] = words  # "Umum" read after "dan Peralatan": it comes first
        else:
            target.units.extend(words)
        return
    groups = _best_split(words, takers)
    for c, g in zip(takers, groups, strict=True):
        c.units.extend(g)


def _best_split(words: list[str], takers: list[_Col]) -> list[list[str]]:
    """Split ``words`` into one contiguous group per taker (some may be empty), best read.

    A jabatan on the first of several header lines expects its unit below it, so leaving it
    empty costs most; a garbled piece less; a Mutu Baku title least, and only a Mutu Baku
    title may take a piece that starts with "dan" ("Kelengkapan / dan Peralatan").
    """
    k = len(takers)
    if len(words) > _MAX_SPLIT_WORDS or k > _MAX_SPLIT_GROUPS:
        size = -(-len(words) // k)
        return [words[i * size : (i + 1) * size] for i in range(k)]
    best: tuple[float, list[list[str]]] | None = None

    def score(groups: list[list[str]]) -> float:
        s = 0.0
        for col, g in zip(takers, groups, strict=True):
            if not g:
                s -= 0.5 if col.key == "mutu" else 1.0 if col.garbled else 2.0
                continue
            if g[-1].lower() in _CONNECTIVES:
                s -= 2
            starts_dan = g[0].lower() in _CONNECTIVES
            if starts_dan != (col.key == "mutu"):
                s -= 1  # roles take unit words, Mutu Baku titles only "dan ..." endings
        return s

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

    rec(0, k, [])
    assert best is not None
    return best[1]


def _donor(col: _Col, multi: list[_Col]) -> str | None:
    """The jabatan a garbled head most probably spells: that of the nearest unit-bearing
    column of the same header line other than the head of the whole office."""
    cands = [c for c in multi if c.key in _UNIT_BEARING and not c.garbled and c is not col]
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


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


# -- rows --------------------------------------------------------------------------------------


def _split_rows(
    lines: list[str], start: int, in_header: set[int], warnings: list[ReaderWarning]
) -> list[_Row]:
    rows: list[_Row] = []
    unused: list[int] = []
    expected = 1
    for i in range(start, len(lines)):
        if i in in_header:
            continue
        line = lines[i].strip()
        if not line or _INDEX_ROW.match(line):
            continue
        m = _ROW_START.match(line)
        if m and (not rows or int(m.group(1)) in (expected, expected + 1)):
            number = int(m.group(1))
            if rows and number != expected:
                warnings.append(
                    ReaderWarning(
                        f"Langkah {expected} tidak ditemukan / step {expected} not found",
                        code="step-missing",
                        line=i + 1,
                    )
                )
            rows.append(_Row(number, i + 1, m.group(2)))
            expected = number + 1
        elif rows and len(rows[-1].rest) < _MAX_WRAPPED_LINES:
            rows[-1].rest.append((i + 1, line))
        else:
            unused.append(i + 1)
    for first, last in _ranges(unused):
        span = f"{first}" if first == last else f"{first}-{last}"
        warnings.append(
            ReaderWarning(
                f"Baris {span} tidak dapat dipakai sebagai bagian langkah / lines unused",
                code="line-unused",
                line=first,
            )
        )
    return rows


def _ranges(numbers: list[int], gap: int = 3) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for n in numbers:
        if out and n - out[-1][1] <= gap:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


_REMNANT = re.compile(r"^(?:[^\w\s]+|[A-Za-z0-9]|[A-Za-z0-9]?[^\w\s]+[A-Za-z0-9]*|_+)$")


def _tokens(text: str, wrapped: bool = False) -> list[str]:
    """Words, with every symbol remnant or ``|`` replaced by a single ``"|"`` boundary.

    On a wrapped line a lone digit is a remnant too (arrow tips read as "7"); on a row's
    first line digits are kept for the Waktu ("2 Jam").
    """
    out: list[str] = []
    for w in text.replace("|", " | ").split():
        if w == "|" or (_REMNANT.match(w) and (wrapped or not w.isdigit())):
            if not out or out[-1] != "|":
                out.append("|")
        else:
            out.append(w)
    while out and out[-1] == "|":
        out.pop()
    return out


@dataclass
class _Phrases:
    """Word sequences the document itself uses: to tell which cell a wrapped piece completes.

    ``cells`` are whole cell texts (first-line Mutu Baku cells of every row, header section
    items); ``running`` is running text (activities, the title) used only for word pairs;
    ``title`` holds the phrases an activity may repeat in capitals ("Indikator Kinerja Utama").
    """

    cells: list[str] = field(default_factory=list)
    running: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @classmethod
    def for_title(cls, title: str) -> _Phrases:
        t = _norm(title)
        words = t.split()
        titles = [t] if t else []
        if len(words) > 2:
            titles.append(" ".join(words[1:]))  # "penyusunan indikator kinerja utama" → tail
        return cls(title=titles, running=list(titles))

    def add_cells(self, texts: list[str]) -> None:
        self.cells.extend(_norm(t) for t in texts if t.strip())

    def add_running(self, texts: list[str]) -> None:
        self.running.extend(_norm(t) for t in texts if t.strip())

    def joins(self, left: str, right: str, cells_only: bool = False) -> bool:
        """True when the last word of ``left`` followed by the first of ``right`` occurs."""
        lw, rw = _norm(left[-80:]).split(), _norm(right[:80]).split()
        if not lw or not rw:
            return False
        pair = f" {lw[-1]} {rw[0]} "
        texts = self.cells if cells_only else self.cells + self.running
        return any(pair in f" {t} " for t in texts)

    def whole(self, text: str) -> bool:
        t = _norm(text)
        return bool(t) and t in self.cells

    def starts(self, text: str) -> bool:
        """True when ``text`` (two words or more) is the beginning of a known cell."""
        t = _norm(text)
        return len(t.split()) >= 2 and any(c.startswith(t + " ") for c in self.cells)

    def supports(self, prev: str, piece: str) -> bool:
        """Evidence, from cell texts only, that ``piece`` continues the cell ``prev``.

        Running text is left out on purpose: "rapat pembahasan" in an activity says nothing
        about whether "pembahasan" continues the Kelengkapan "Undangan rapat".
        """
        whole = f"{prev} {piece}"
        return self.joins(prev, piece, cells_only=True) or self.whole(whole) or self.starts(whole)

    def running_phrase_at(self, words: list[str], i: int) -> bool:
        """Whether words[i:] starts with a phrase that running text uses in capitals: the
        title's tail ("Indikator Kinerja Utama") or a jabatan ("Kasi Pengujian", "Kaban")."""
        tail = _norm(" ".join(words[i:]))
        if any(tail.startswith(p) for p in self.title if len(p.split()) >= 2):
            return True
        first = tail.split()[0] if tail else ""
        return first in self.roles or _head_key(words[i]) is not None


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w/]+", " ", text.lower()).split())


@dataclass
class _Cells:
    activity: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    duration: str = ""
    output: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remnants: int = 0


def _first_cells(row: _Row, phrases: _Phrases) -> _Cells:
    cells = _Cells()
    cells.remnants = _count_remnants(row.first)
    _read_first_line(row.first, cells, phrases)
    return cells


def _read_row(row: _Row, cells: _Cells, phrases: _Phrases, warnings: list[ReaderWarning]) -> RawRow:
    for _, line in row.rest:
        toks = _tokens(line, wrapped=True)
        words = [t for t in toks if t != "|"]
        cells.remnants += _count_remnants(line)
        if not words:
            continue
        _read_wrapped_line(toks, cells, phrases)
    raw = RawRow(
        number=row.number,
        activity=_join(cells.activity),
        requirements=_join(cells.requirements),
        duration=cells.duration,
        output=_join(cells.output),
        notes=_join(cells.notes),
        line=row.line,
    )
    if not raw.activity:
        warnings.append(
            ReaderWarning(
                f"Langkah {row.number} tanpa uraian kegiatan / step has no activity text",
                code="activity-missing",
                line=row.line,
                step=row.number,
            )
        )
    return raw


def _count_remnants(text: str) -> int:
    return sum(
        1
        for w in text.replace("|", " ").split()
        if _REMNANT.match(w) and not w.isdigit() and not re.fullmatch(r"[-–_:.,]+", w)
    )


def _read_first_line(text: str, cells: _Cells, phrases: _Phrases) -> None:
    joined = " ".join(t for t in _tokens(text))
    m = None
    for cand in _WAKTU.finditer(joined):
        m = cand  # the last time value: activities may mention times too
    if m is None:
        before, after = joined, ""
    else:
        before, after = joined[: m.start()], joined[m.end() :]
        cells.duration = m.group(0).strip()
    btoks = [t for t in before.split()]
    while btoks and btoks[-1] == "|":
        btoks.pop()
    activity, requirements = _split_activity(btoks, phrases)
    cells.activity.append(" ".join(activity))
    if requirements:
        cells.requirements.append(" ".join(requirements))
    atoks = [t for t in after.split()]
    parts = _split_at_bars(atoks)
    out: list[str] = []
    notes: list[str] = []
    for k, part in enumerate(parts):
        if k == 0:
            ket = next((i for i, w in enumerate(part) if i > 0 and _KET_START.match(w)), None)
            if ket is None:
                out.extend(part)
            else:
                out.extend(part[:ket])
                notes.extend(part[ket:])
        else:
            notes.extend(part)
    if out:
        cells.output.append(" ".join(out))
    if notes:
        cells.notes.append(" ".join(notes))


def _split_at_bars(toks: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for t in toks:
        if t == "|":
            if parts[-1]:
                parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


def _split_activity(toks: list[str], phrases: _Phrases) -> tuple[list[str], list[str]]:
    """Split the text before the Waktu into the activity and the Kelengkapan."""
    if "|" in toks:
        i = len(toks) - 1 - toks[::-1].index("|")
        left = [t for t in toks[:i] if t != "|"]
        right = [t for t in toks[i + 1 :] if t != "|"]
        if left:
            return left, right
        toks = right
    words = [t for t in toks if t != "|"]
    cut = None
    for i in range(1, len(words)):
        if (
            _is_lower(words[i - 1])
            and _is_cap(words[i])
            and not phrases.running_phrase_at(words, i)
        ):
            cut = i
    if cut is None:
        return words, []
    return words[:cut], words[cut:]


def _is_lower(word: str) -> bool:
    w = word.strip("\"'(),.;:")
    return bool(w) and w[0].islower()


def _is_cap(word: str) -> bool:
    w = word.strip("\"'(),.;:")
    return bool(w) and w[0].isupper()


def _read_wrapped_line(toks: list[str], cells: _Cells, phrases: _Phrases) -> None:
    """Deal a wrapped line to the activity and the Mutu Baku cells it continues."""
    words = [t for t in toks if t != "|"]
    # 1. a boundary symbol inside the line ends the activity part
    act: list[str] = []
    rest = words
    if toks and toks[0] != "|" and "|" in toks:
        i = toks.index("|")
        act = [t for t in toks[:i]]
        rest = [t for t in toks[i + 1 :] if t != "|"]
    elif toks and toks[0] == "|":
        act, rest = [], words
    else:
        act, rest = _activity_prefix(words, cells, phrases)
    if act:
        cells.activity.append(" ".join(act))
    if rest:
        _deal_mutu(rest, cells, phrases)


def _activity_prefix(
    words: list[str], cells: _Cells, phrases: _Phrases
) -> tuple[list[str], list[str]]:
    """Split a wrapped line without symbols into (activity words, Mutu Baku words)."""
    tail: list[str] = []
    for k in range(min(5, len(words)), 0, -1):
        if _supported_deal(words[-k:], cells, phrases):
            tail = words[-k:]
            break
    body = words[: len(words) - len(tail)]
    if not body:
        return [], tail
    i = _transition(body, phrases)
    if i is None and tail and _is_lower(body[-1]) and _is_cap(tail[0]):
        return body, tail  # "yang telah terkumpul | Kinerja Utama"
    if i is not None:
        return body[:i], body[i:] + tail
    # "... berkas permohonan permohonan terperiksa": a word read twice is two cells meeting
    for j in range(1, len(body)):
        if body[j].lower() == body[j - 1].lower() and _activity_open(cells):
            return body[:j], body[j:] + tail
    if _activity_open(cells):
        return body, tail
    return [], body + tail


def _supported_deal(words: list[str], cells: _Cells, phrases: _Phrases) -> bool:
    """Whether ``words`` can be dealt to open Mutu Baku cells, each piece with evidence."""
    parts = _best_deal(words, cells, phrases)
    targets = (cells.requirements, cells.output, cells.notes)
    used = False
    for cell, part in zip(targets, parts, strict=True):
        if not part:
            continue
        prev = _join(cell)
        if not prev or not phrases.supports(prev, " ".join(part)):
            return False
        used = True
    return used


def _transition(words: list[str], phrases: _Phrases) -> int | None:
    """Where a lower-case word is followed by a Capitalised one that starts no title phrase."""
    for i in range(1, len(words)):
        if _is_lower(words[i - 1]) and _is_cap(words[i]):
            if phrases.running_phrase_at(words, i):
                continue
            return i
    return None


def _activity_open(cells: _Cells) -> bool:
    """Whether the activity so far reads as unfinished (ends in a lower-case word)."""
    parts = [p for p in cells.activity if p.strip()]
    if not parts:
        return True
    last = parts[-1].split()[-1]
    if last.endswith((".", ";")):
        return False
    return _is_lower(last)


def _best_deal(words: list[str], cells: _Cells, phrases: _Phrases) -> list[list[str]]:
    """The best split of ``words`` into (Kelengkapan, Output, Keterangan) continuations."""
    targets = [cells.requirements, cells.output, cells.notes]
    if len(words) > _MAX_DEAL_WORDS:
        # no real cell wraps that long: keep the cost bounded, give it to the last open cell
        last = max((i for i, c in enumerate(targets) if c), default=0)
        return [words if i == last else [] for i in range(3)]
    best: tuple[tuple[float, int], list[list[str]]] | None = None
    n = len(words)
    for a in range(n + 1):
        for b in range(a, n + 1):
            parts = [words[:a], words[a:b], words[b:]]
            s = 0.0
            for cell, part in zip(targets, parts, strict=True):
                if not part:
                    continue
                prev = _join(cell)
                if not prev:
                    s -= 2
                    continue
                piece = " ".join(part)
                if phrases.joins(prev, piece):
                    s += 2
                if phrases.whole(prev + " " + piece):
                    s += 3
                elif phrases.starts(prev + " " + piece):
                    s += 2
            # cutting a phrase the document uses costs
            for cut in (a, b):
                if 0 < cut < n and phrases.joins(words[cut - 1], words[cut]):
                    s -= 1
            # ties: a wrapped line usually ends several cells at once
            key = (s, sum(1 for p in parts if p))
            if best is None or key > best[0]:
                best = (key, parts)
    assert best is not None
    return best[1]


def _deal_mutu(words: list[str], cells: _Cells, phrases: _Phrases) -> None:
    """Share wrapped Mutu Baku words among Kelengkapan, Output and Keterangan."""
    targets = [cells.requirements, cells.output, cells.notes]
    for cell, part in zip(targets, _best_deal(words, cells, phrases), strict=True):
        if part:
            cell.append(" ".join(part))


def _join(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()


# -- text before the table ---------------------------------------------------------------------


def _take_title(lines: list[str]) -> tuple[list[str], str]:
    """The table caption "SOP : PENYUSUNAN ..." just above the table, if any."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
        m = re.match(r"^\s*SOP\s*:\s*(.+)$", lines[i])
        if m:
            return lines[:i] + lines[i + 1 :], m.group(1).strip()
    return lines, ""


_SECTION = (
    ("legal_basis", re.compile(r"^dasar\s+hukum\b", re.I), "Dasar Hukum"),
    ("qualifications", re.compile(r"^kualifikasi\s+pelaksana", re.I), "Kualifikasi Pelaksana"),
    ("related_sops", re.compile(r"^keterkaitan\b", re.I), "Keterkaitan"),
    ("equipment", re.compile(r"^(peralatan|perlengkapan)\b", re.I), "Peralatan/Perlengkapan"),
    ("cautions", re.compile(r"^peringatan\b", re.I), "Peringatan"),
    ("records", re.compile(r"^pencatatan\b", re.I), "Pencatatan dan Pendataan"),
)
_LEGAL = re.compile(
    r"^(peraturan|undang|keputusan|instruksi|surat\s+edaran|permen|perda|perpres|pp\b|uu\b"
    r"|perbup|pergub|perwal)",
    re.I,
)
_NUMBER_ONLY = re.compile(r"^\s*\d{1,2}\s*[.)]\s*$")
_NUMBERED = re.compile(r"^\s*\d{1,2}\s*[.)]\s*(\S.*)$")
_LOST_NUMBER = re.compile(r"^\s*[.,]\s+(\S.*)$")


@dataclass
class _Item:
    text: str
    numbered: bool  # the number stood on the item's own line


def _pretable(lines: list[str]) -> Header:
    """Rebuild the header sections OCR serialised column by column, then parse them.

    OCR reads a two-column grid block by block: the heading pair ("Keterkaitan",
    "Peralatan/Perlengkapan"), the left column's numbers alone ("1.", "2."), the left items
    without numbers, then the right items with theirs ("1. Renstra"). So under a pair of
    headings the unnumbered items are the left section's and the numbered ones the right's;
    legal acts (Peraturan, Undang-Undang...) are Dasar Hukum wherever they stand, even when
    the page with the "Dasar Hukum" heading is missing.
    """
    first_section = next(
        (i for i, ln in enumerate(lines) if any(rx.match(ln.strip()) for _, rx, _ in _SECTION)),
        len(lines),
    )
    identity_lines = lines[:first_section]
    groups: list[tuple[list[str], list[str]]] = []  # (section kinds, lines)
    i = first_section
    while i < len(lines):
        kinds: list[str] = []
        while i < len(lines):
            s = lines[i].strip()
            found = _headings(s)
            if found and len(s) < 60:
                kinds.extend(found)
                i += 1
            elif not s:
                i += 1
            else:
                break
        body: list[str] = []
        while i < len(lines):
            s = lines[i].strip()
            if _headings(s) and len(s) < 60:
                break
            body.append(lines[i])
            i += 1
        if kinds:
            groups.append((kinds, body))
    sections: dict[str, list[str]] = {}
    has_legal_heading = any("legal_basis" in k for k, _ in groups)
    for kinds, body in groups:
        items = _items(body)
        legal = [it for it in items if _LEGAL.match(it.text)]
        others = [it for it in items if not _LEGAL.match(it.text)]
        if legal and "legal_basis" not in kinds:
            sections.setdefault("legal_basis", []).extend(it.text for it in legal)
            items = others
        if len(kinds) == 1 and not has_legal_heading and kinds[0] == "qualifications":
            sections.setdefault("qualifications", []).extend(it.text for it in items)
            continue
        if len(kinds) >= 2:
            left = [it.text for it in items if not it.numbered]
            right = [it.text for it in items if it.numbered]
            if not left or not right:
                left, right = _split_restart(items)
            sections.setdefault(kinds[0], []).extend(left)
            sections.setdefault(kinds[1], []).extend(right)
        else:
            sections.setdefault(kinds[0], []).extend(it.text for it in items)
    rebuilt = list(identity_lines)
    for kind, _, label in _SECTION:
        if kind in sections:
            rebuilt.append(label)
            rebuilt.extend(f"{n}. {t}" for n, t in enumerate(sections[kind], 1))
    return parse_header(rebuilt)


def _headings(line: str) -> list[str]:
    """The section headings a line consists of ("Dasar Hukum Kualifikasi Pelaksana" = two)."""
    rest = line.strip().rstrip(":").strip()
    found: list[str] = []
    while rest:
        for kind, rx, _ in _SECTION:
            m = rx.match(rest)
            if m:
                found.append(kind)
                rest = re.sub(
                    r"^[\s:/]*(dan\s+pendataan|/?\s*perlengkapan)?[\s:]*",
                    "",
                    rest[m.end() :],
                    flags=re.I,
                )
                break
        else:
            return []
    return found


def _items(body: list[str]) -> list[_Item]:
    items: list[_Item] = []
    for raw in body:
        s = raw.strip()
        if not s or _NUMBER_ONLY.match(s):
            continue
        m = _NUMBERED.match(s)
        if m:
            items.append(_Item(m.group(1).strip(), True))
            continue
        m = _LOST_NUMBER.match(s)
        if m:
            items.append(_Item(m.group(1).strip(), False))
            continue
        s = re.sub(r"^[-\u2022*]\s*", "", s)
        if not s:
            continue
        prev = items[-1] if items else None
        # a new item: after a finished one, or in parallel with the previous item's first
        # word ("SOP Rapat Internal" / "SOP Pengumpulan Data")
        starts_new = (
            prev is None
            or (prev.text.rstrip().endswith((";", ".")) and (_LEGAL.match(s) or s[:1].isupper()))
            or (s.split()[0].lower() == (prev.text.split() or [""])[0].lower() and s[:1].isupper())
        )
        if starts_new:
            items.append(_Item(s, False))
        else:
            prev.text = f"{prev.text} {s}"
    return items


def _split_restart(items: list[_Item]) -> tuple[list[str], list[str]]:
    """Two sections' items in one run: cut where the numbering would restart."""
    half = len(items) // 2
    return [it.text for it in items[:half]], [it.text for it in items[half:]]
