"""Reader for plain ``pdftotext`` output (no ``-layout``): text runs in content-stream order.

This is the hardest shape: every text run is its own line, blocks are separated by blank
lines, and the cells come column by column or out of row order (a row's number can stand far
from its activity; two rows' numbers can follow each other with their activities elsewhere).
No position survives, so the reader does what it honestly can and warns about the rest:

* **roles** come from the header blocks: the short blocks between the step column title
  ("Kegiatan", "Aktivitas", "Uraian Prosedur") and the first Mutu Baku title, plus the short
  blocks that share a block with a header title ("Pelaksana / Pengguna / Layanan") or name a
  jabatan next to the header;
* **steps** are anchored on lines holding only a number; the text block right after a number
  is its activity when it reads like one (a verb or a process noun first). Activities left
  without a number are given, in reading order, to the numbers left without an activity,
  with a ``activity-guessed`` warning;
* **Mutu Baku** is taken only where it can be associated: the blocks right after an anchored
  activity, up to the next number, with a Waktu value among them (before it the Kelengkapan,
  after it the Output). Other rows get a ``mutu-unassigned`` warning;
* the **identity** label block ("Nomor SOP", "Tanggal ...") is paired with the value block that
  follows it before the shared header parser reads the text above the table.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from converters.model import ConversionError, ReaderWarning
from converters.reading.durations import parse_duration
from converters.reading.header import parse_header
from converters.reading.raw import RawDocument, RawRow, warn_missing_activity
from converters.reading.roles import parse_role
from converters.reading.vocabulary import (
    LOANWORD_VERBS,
    MUTU_GROUP_TITLE,
    NOTES_OPENERS,
    PELAKSANA_TITLE,
    SIGNED_FOOTER,
    WAKTU_NO_TIME,
    WAKTU_VALUE,
    is_verb,
    mutu_kind,
    mutu_titles,
)

FORMAT = "raw"

_ACTIVITY_TITLE = re.compile(
    r"^(kegiatan|aktivitas(\s*/\s*kegiatan)?|uraian\s+(prosedur|kegiatan))$", re.I
)
# a whole line: one title of the form ("Persyaratan / Perlengkapan" joins two)
_MUTU_TITLE = re.compile(
    rf"^(?:{mutu_titles()})\.?(?:\s*/?\s*(?:{mutu_titles('requirements')}))?\s*/?$", re.I
)
_GROUP_TITLE = re.compile(rf"^({PELAKSANA_TITLE}|{MUTU_GROUP_TITLE}|no\.?)$", re.I)
_INDEX_CELL = re.compile(r"^\(\d{1,2}\)$")
_NUMBER = re.compile(r"^(\d{1,2})\.?$")
_FOOTER = re.compile(SIGNED_FOOTER, re.I)
_WAKTU = re.compile(rf"^(?:{WAKTU_VALUE.pattern}).*$|^(segera|-)$", re.I)


def _waktu(text: str) -> bool:
    """A Waktu cell: a value with digits ("2 hr"), in words ("sehari", "dua hari"), or one
    that states no time ("Segera", "Sesuai kebutuhan")."""
    text = text.strip()
    if _WAKTU.match(text) or WAKTU_NO_TIME.match(text):
        return True
    words = text.split()
    return (
        0 < len(words) <= 3
        and words[0].lower() not in NOTES_OPENERS
        and parse_duration(text).max_minutes is not None
    )

_LABEL = re.compile(
    r"^(ya|tidak|y|t|ada|tidak ada|setuju|tidak setuju|belum sesuai|[\w ]{1,25}\?|r/t)$", re.I
)
# what an activity block starts with besides a verb: a process noun ("Penulisan ...")
_PROCESS_NOUN = re.compile(r"^pe[a-z]{4,}an$")
_LOANWORD = frozenset(LOANWORD_VERBS)
_ID_LABEL = re.compile(
    r"^(nomor\s+sop|no\.?\s+sop|tanggal\s+(pembuatan|revisi|efektif)|disahkan\s+oleh"
    r"|nama\s+sop|judul\s+sop)\s*:?$",
    re.I,
)
_NAME_LABEL = re.compile(r"^(nama|judul)\s+sop\s*:?$", re.I)
_SECTION_START = re.compile(
    r"^(dasar\s+hukum|kualifikasi|keterkaitan|peralatan|perlengkapan|peringatan|pencatatan)",
    re.I,
)
_SOP_NUMBER_LINE = re.compile(r"^(?=.*\d)[\w.-]+(?:\s*/\s*[\w.-]+){2,}$")
_SOP_NUMBER = re.compile(r"\S*\d\S*[/-]\S*\d")
_CONNECTOR = re.compile(r"^[A-Z]$")  # an off-page connector's letter
_HEADER_REACH = 120
"""Blocks after the step column title within which its Mutu Baku titles must stand."""


def sniff(text: str) -> float:
    """How much ``text`` looks like plain ``pdftotext`` output of an SOP (0..1)."""
    lines = text.splitlines()
    full = [ln for ln in lines if ln.strip()]
    if not full:
        return 0.0
    titles = sum(1 for ln in full if _ACTIVITY_TITLE.match(ln.strip()))
    mutu = sum(1 for ln in full if _MUTU_TITLE.match(ln.strip()))
    numbers = sum(1 for ln in full if _NUMBER.match(ln.strip()))
    wide = sum(1 for ln in full if re.search(r"\S {4,}\S", ln))
    pipes = sum(ln.count("|") for ln in full)
    score = 0.0
    if titles and mutu >= 2:
        score += 0.4
    if numbers >= 3:
        score += 0.3
    if "\f" in text:
        score += 0.1
    if wide > len(full) / 10 or pipes > len(full) / 4 or "\t" in text:
        score *= 0.2
    return round(min(1.0, score), 3)


@dataclass
class _Block:
    lines: list[str]
    first_line: int  # 1-based line of the input
    page: int = 0  # pages are separated by form feeds

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.lines)).strip()


def read(text: str) -> RawDocument:
    """Read plain ``pdftotext`` text into a :class:`RawDocument`."""
    blocks = _blocks(text)
    start = _table_start(blocks)
    if start is None:
        raise ConversionError(
            "Tabel SOP tidak ditemukan: tidak ada judul kolom Kegiatan dan Mutu Baku / "
            "no SOP table header found"
        )
    warnings: list[ReaderWarning] = []
    pre = parse_header(_pair_identity(blocks[:start]))
    warnings.extend(pre.warnings)
    if not pre.identity.number:
        number = next(
            (ln for b in blocks[:start] for ln in b.lines if _SOP_NUMBER_LINE.match(ln)), ""
        )
        if number:
            pre = dataclasses.replace(
                pre, identity=dataclasses.replace(pre.identity, number=number)
            )
            warnings.append(
                ReaderWarning(
                    f"Nomor SOP diambil dari baris lepas {number!r} / SOP number taken from a "
                    "loose line",
                    code="identity-guessed",
                )
            )
    body = blocks[start:]
    roles, header_ids = _roles(body)
    rows = _rows(body, header_ids, warnings)
    if not rows:
        raise ConversionError(
            "Tabel SOP tidak berisi langkah bernomor / the SOP table has no steps"
        )
    return pre.document(FORMAT, rows, warnings, roles=roles)


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    first = 0
    page = 0
    for i, raw in enumerate(text.replace("\r\n", "\n").replace("\f", "\n\f\n").split("\n"), 1):
        line = raw.strip()
        if not line or _FOOTER.match(line):
            if current:
                blocks.append(_Block(current, first, page))
                current = []
            page += raw == "\f"
            continue
        if not current:
            first = i
        current.append(line)
    if current:
        blocks.append(_Block(current, first, page))
    return blocks


def _table_start(blocks: list[_Block]) -> int | None:
    """Index of the first block of the table header (a title block near a Mutu Baku one)."""
    for i, b in enumerate(blocks):
        if any(_ACTIVITY_TITLE.match(ln) for ln in b.lines):
            # plain pdftotext may give the whole step column (every activity of the page)
            # before the Mutu Baku titles, so the window reaches far
            window = blocks[max(0, i - 3) : i + _HEADER_REACH]
            if sum(1 for w in window for ln in w.lines if _MUTU_TITLE.match(ln)) >= 2:
                j = i
                while (
                    j > 0
                    and i - j < 3
                    and any(
                        _GROUP_TITLE.match(ln) or _MUTU_TITLE.match(ln) or _NUMBER.match(ln)
                        for ln in blocks[j - 1].lines
                    )
                ):
                    j -= 1
                return j
    return None


# -- identity ----------------------------------------------------------------------------------


def _pair_identity(blocks: list[_Block]) -> list[str]:
    """The text above the table as lines, with label blocks joined to their value blocks.

    Plain pdftotext writes "Nomor SOP / Tanggal Pembuatan / ..." as one block and the values
    as a later block. When the counts agree each label gets its value; otherwise only the
    SOP number is paired (the first value that looks like one).
    """
    out: list[str] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        labels = [ln for ln in b.lines if _ID_LABEL.match(ln)]
        if labels and len(labels) == len(b.lines):
            values: list[str] = []
            j = i + 1
            while j < len(blocks) and not values:
                values = [v for v in blocks[j].lines if v.strip(": ")]
                if not values:
                    j += 1
            values = [v.lstrip(": ").strip() for v in values]
            if len(values) >= len(labels):
                out.extend(
                    f"{lab.rstrip(' :')}\t{v}" for lab, v in zip(labels, values, strict=False)
                )
                out.extend(values[len(labels) :])
                i = j + 1
                continue
            number = next((v for v in values if _SOP_NUMBER.search(v)), None)
            if number and re.match(r"no", labels[0], re.I):
                out.append(f"{labels[0].rstrip(' :')}\t{number}")
                out.extend(lab for lab in labels[1:])
                out.extend(v for v in values if v != number)
                i = j + 1
                continue
        at = next((k for k, ln in enumerate(b.lines) if _NAME_LABEL.match(ln)), None)
        if at is not None:
            # "NAMA SOP" then the name: on the next line, or first in the next block
            label = b.lines[at].rstrip(" :")
            if at + 1 < len(b.lines) and _name_value(b.lines[at + 1]):
                out.extend(b.lines[:at])
                out.append(f"{label}\t{_name_value(b.lines[at + 1])}")
                out.extend(b.lines[at + 2 :])
                out.append("")
                i += 1
                continue
            if at + 1 == len(b.lines) and i + 1 < len(blocks):
                nxt = blocks[i + 1].lines
                if _name_value(nxt[0]):
                    out.extend(b.lines[:at])
                    out.append(f"{label}\t{_name_value(nxt[0])}")
                    out.extend(nxt[1:])
                    out.append("")
                    i += 2
                    continue
        out.extend(b.lines)
        out.append("")
        i += 1
    return out


def _name_value(line: str) -> str:
    """``line`` as an SOP name, or "" when it is a label, a heading or a list number."""
    value = line.lstrip(": ").strip()
    if not value or _ID_LABEL.match(value) or _SECTION_START.match(value):
        return ""
    if re.fullmatch(r"[\d.,)(]+", value):
        return ""
    return value


# -- header ------------------------------------------------------------------------------------


def _is_title(line: str) -> bool:
    return bool(
        _ACTIVITY_TITLE.match(line)
        or _MUTU_TITLE.match(line)
        or _GROUP_TITLE.match(line)
        or _INDEX_CELL.match(line)
    )


def _short(block: _Block) -> bool:
    return len(block.lines) <= 4 and all(len(ln.split()) <= 4 for ln in block.lines)


def _jabatan(text: str) -> bool:
    return bool(parse_role(text).kinds)


def _role_like(b: _Block) -> bool:
    """A short title-like block: few words, no sentence punctuation, mostly capitalised."""
    text = b.text
    words = text.split()
    if not words or len(words) > 7 or re.search(r"[.,;:()]", text) or _verb_first(text):
        return False
    if _CONNECTOR.match(text) or re.match(r"sop\b", text, re.I):
        return False  # a connector's letter; the "SOP <name>" title above the table
    if any(_LABEL.match(x) or _waktu(x) or _NUMBER.match(x) for x in b.lines):
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return _jabatan(text) or caps * 2 >= len(words)


def _side_by_side(b: _Block) -> list[str] | None:
    """Two header cells that start alike come out as "A / A / a1 a2" (pdftotext joins their
    last lines): "Aplikasi FRS MFD" twice, then "Online level kab/kota Online level provinsi".
    Split the last line where its first word comes back and give each part to one copy."""
    if len(b.lines) < 3:
        return None
    k = len(b.lines) - 1
    if len({ln for ln in b.lines[:k]}) != 1:
        return None
    words = b.lines[-1].split()
    starts = [i for i, w in enumerate(words) if w == words[0]]
    if len(starts) != k:
        return None
    parts = [" ".join(words[a:c]) for a, c in zip(starts, [*starts[1:], len(words)], strict=True)]
    return [f"{b.lines[0]} {p}" for p in parts]


def _roles(body: list[_Block]) -> tuple[list[str], set[int]]:
    """Role titles in reading order, and the indexes of the blocks that make the header.

    The role titles are the run of title-like blocks right after the step column title
    (header title blocks may stand among them), plus the non-title lines of short header
    blocks ("Pelaksana / Pengguna / Layanan") and jabatan blocks next to header blocks.
    """
    header: set[int] = set()
    act = next(i for i, b in enumerate(body) if any(_ACTIVITY_TITLE.match(x) for x in b.lines))
    # the role titles end at the first Kelengkapan / Waktu / Output title: Keterangan, the
    # last column, may come out first ("Keterangan / Kepala Dinas" as one block)
    first_mutu = next(
        (i for i, b in enumerate(body) if any(_mutu_column_title(x) for x in b.lines)),
        len(body),
    )
    for i, b in enumerate(body):
        if any(_is_title(x) for x in b.lines):
            header.add(i)
    split = {i: _side_by_side(b) for i, b in enumerate(body[:first_mutu])}
    candidates = {
        i
        for i, b in enumerate(body[:first_mutu])
        if i not in header and ((_role_like(b) and _short(b)) or split[i])
    }
    # the run right after the step column title, then blocks touching the header
    i = act + 1
    while i < first_mutu and (i in header or i in candidates):
        header.add(i)
        i += 1
    changed = True
    while changed:
        changed = False
        for i in sorted(candidates - header):
            if i - 1 in header or i + 1 in header:
                header.add(i)
                changed = True
    roles: list[str] = []
    for i in sorted(header):
        b = body[i]
        if i > first_mutu:
            continue
        lines = b.lines
        if i == first_mutu:  # the cells after the first Mutu Baku title are its own
            lines = lines[: next(k for k, x in enumerate(lines) if _mutu_column_title(x))]
        rest = [x for x in lines if not _is_title(x)]
        if i in (act, first_mutu):
            # the step column title or the first Mutu Baku title joined to a role title
            roles.extend(x for x in rest if _role_line(x))
        elif split.get(i):
            roles.extend(split[i] or [])
        elif len(rest) == len(b.lines):
            roles.append(b.text)
        elif rest and _short(b) and _role_like(_Block(rest, b.first_line)):
            roles.append(" ".join(rest))
        else:
            # a header block that also holds other text ("Nama SOP: ... / Kaban / No"):
            # its lines that name a jabatan on their own
            roles.extend(x for x in rest if _role_line(x))
    return _unique(roles), header


def _mutu_column_title(line: str) -> bool:
    """A Kelengkapan, Waktu or Output title (not Keterangan, which may stand anywhere)."""
    return bool(_MUTU_TITLE.match(line)) and mutu_kind(line) not in (None, "notes")


def _role_line(line: str) -> bool:
    """A line that names a jabatan on its own (not the "SOP <name>" title above the table)."""
    return _jabatan(line) and len(line.split()) <= 5 and _role_like(_Block([line], 0))


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        n = re.sub(r"\s+", " ", n).strip()
        if n and n not in out:
            out.append(n)
    return out


# -- rows --------------------------------------------------------------------------------------


def _is_number_block(b: _Block) -> bool:
    return all(_NUMBER.match(x) for x in b.lines)


_NOT_PROCESS_NOUNS = frozenset({"pemohon", "pengantar"})  # people and papers, not processes


def _verb_first(text: str) -> bool:
    words = text.split()
    if not words:
        return False
    w = re.sub(r"[^\w]", "", words[0]).lower()
    # "Diterimanya surat ..." is a noun phrase (an Output), not an activity
    if w.endswith("nya"):
        return False
    if _PROCESS_NOUN.match(w):
        return w not in _NOT_PROCESS_NOUNS
    return is_verb(w) or w in _LOANWORD


def _activity_like(b: _Block, min_words: int = 2) -> bool:
    """An activity starts with a verb or process noun ("Menerima", "Penulisan"), or with
    its subject and then an active verb ("PPK melakukan ...", "Pengguna layanan menentukan")."""
    words = b.text.split()
    if len(words) < min_words or _waktu(b.text) or _LABEL.match(b.text):
        return False
    if _verb_first(b.text):
        return True
    return any(_active_verb(re.sub(r"[^\w]", "", w).lower()) for w in words[1:3])


def _active_verb(word: str) -> bool:
    """A verb that makes its subject the actor: after a noun, a ter- word is a state ("Data
    terverifikasi", an Output) and a di- word without a suffix rarely a predicate."""
    if not is_verb(word) or word.startswith("ter"):
        return False
    return not word.startswith("di") or word.endswith(("kan", "i", "nya"))


@dataclass
class _Pairing:
    """Which body block holds the activity of which step: ``activity`` maps a step to a block
    index, ``inline`` to the rest of its own number's block, ``taken`` the blocks used."""

    activity: dict[int, int] = dataclasses.field(default_factory=dict)
    inline: dict[int, _Block] = dataclasses.field(default_factory=dict)
    taken: set[int] = dataclasses.field(default_factory=set)

    def has(self, n: int) -> bool:
        return n in self.activity or n in self.inline

    def take(self, n: int, bi: int) -> None:
        self.activity[n] = bi
        self.taken.add(bi)


def _rows(body: list[_Block], header: set[int], warnings: list[ReaderWarning]) -> list[RawRow]:
    """The table's rows: find the step numbers, pair each with its activity (three passes,
    surest first), then read each row's Mutu Baku and say what could not be placed."""
    anchors = _anchors(body, header)
    if not anchors:
        return []
    steps = _steps(anchors)
    pairing = _nearest_activities(body, header, anchors, steps)
    guessed = _pair_orphans(body, header, steps, pairing)
    _pair_following(body, header, anchors, steps, pairing)
    if guessed:
        warnings.append(
            ReaderWarning(
                "Uraian kegiatan tanpa nomor di dekatnya dipasangkan menurut urutan pada langkah "
                f"{', '.join(map(str, guessed))} / activities paired with step numbers by order",
                code="activity-guessed",
            )
        )
    rows = _build_rows(body, header, anchors, steps, pairing, guessed, warnings)
    _warn_extra_numbers(anchors, steps, warnings)
    return rows


def _anchors(body: list[_Block], header: set[int]) -> dict[int, tuple[int, int]]:
    """Step number -> (block index, line inside the block) of its first sighting.

    The numbers are the one thing pdftotext keeps whole, so they anchor every row; numbers
    of 100 and over are years, amounts or page numbers, not steps."""
    anchors: dict[int, tuple[int, int]] = {}
    for i, b in enumerate(body):
        if i in header and not _titles_then_number(b):
            continue
        for k, ln in enumerate(b.lines):
            m = _NUMBER.match(ln)
            if m and int(m.group(1)) not in anchors and 0 < int(m.group(1)) < 100:
                anchors[int(m.group(1))] = (i, k)
    return anchors


def _titles_then_number(b: _Block) -> bool:
    """A header block that ends with a step number ("(1) / 4"): the first cell of a page's
    first row joined to the index cell above it."""
    return (
        len(b.lines) >= 2
        and bool(_NUMBER.match(b.lines[-1]))
        and all(_is_title(x) for x in b.lines[:-1])
    )


def _steps(anchors: dict[int, tuple[int, int]]) -> list[int]:
    """The step numbers: 1 up to the first gap when 1 is there (stray numbers after a gap are
    other text), else every number found, in order."""
    last = (
        max(n for n in anchors if all(m in anchors for m in range(1, n + 1))) if 1 in anchors else 0
    )
    return list(range(1, last + 1)) if last else sorted(anchors)


def _nearest_activities(
    body: list[_Block], header: set[int], anchors: dict[int, tuple[int, int]], steps: list[int]
) -> _Pairing:
    """First pass, the surest: the activity written right after its number, in the rest of
    the number's block or in the block that follows it."""
    pairing = _Pairing()
    for n in steps:
        bi, k = anchors[n]
        block = body[bi]
        if k + 1 < len(block.lines):
            # "3." then "Pengolahan Data" in one block: the rest of the block may be it
            rest = _Block(block.lines[k + 1 :], block.first_line + k + 1)
            if k == 0 and _activity_like(rest, min_words=1):
                pairing.inline[n] = rest
            continue
        j = bi + 1
        if (
            j < len(body)
            and j not in header
            and _activity_like(body[j], 1)
            and j not in pairing.taken
        ):
            pairing.take(n, j)
    return pairing


def _pair_orphans(
    body: list[_Block], header: set[int], steps: list[int], pairing: _Pairing
) -> list[int]:
    """Second pass: activities standing away from any number go, in reading order, to the
    steps still without one. Returns those steps, whose pairing is a guess."""
    # a one-word block counts when it is a process noun or verb on its own ("Perencanaan")
    orphans = [
        i
        for i, b in enumerate(body)
        if i not in header
        and i not in pairing.taken
        and (_activity_like(b) or (len(b.lines) == 1 and _activity_like(b, 1)))
    ]
    missing = [n for n in steps if not pairing.has(n)]
    guessed: list[int] = []
    for n, bi in zip(missing, orphans, strict=False):
        pairing.take(n, bi)
        guessed.append(n)
    return guessed


def _pair_following(
    body: list[_Block],
    header: set[int],
    anchors: dict[int, tuple[int, int]],
    steps: list[int],
    pairing: _Pairing,
) -> None:
    """Last pass: a step still without an activity takes the text block right after its
    number, even when it does not start with a verb ("Analisis Tabel Evaluasi Seruti")."""
    for n in steps:
        if pairing.has(n):
            continue
        bi, k = anchors[n]
        j = bi + 1
        if (
            k + 1 == len(body[bi].lines)
            and j < len(body)
            and j not in header
            and j not in pairing.taken
        ):
            b = body[j]
            if not (_is_number_block(b) or _waktu(b.text) or _LABEL.match(b.text)):
                pairing.take(n, j)


def _build_rows(
    body: list[_Block],
    header: set[int],
    anchors: dict[int, tuple[int, int]],
    steps: list[int],
    pairing: _Pairing,
    guessed: list[int],
    warnings: list[ReaderWarning],
) -> list[RawRow]:
    """One row per step with its activity and the Mutu Baku after it; a guessed pairing gets
    no Mutu Baku from the blocks after it (they need not be its own). Rows still without
    Mutu Baku take, page by page, the run of Mutu Baku cells pdftotext wrote apart."""
    rows: list[RawRow] = []
    used: set[int] = set()
    for n in steps:
        at = pairing.activity.get(n)
        inline = pairing.inline
        act = body[at].text if at is not None else (inline[n].text if n in inline else "")
        row = RawRow(number=n, activity=act, line=body[anchors[n][0]].first_line)
        if at is not None and n not in guessed:
            used |= _mutu_after(body, at, header, row)
        warn_missing_activity(row, warnings)
        rows.append(row)
    placed = _mutu_runs(body, header, anchors, rows, pairing.taken | used)
    if placed:
        warnings.append(
            ReaderWarning(
                "Mutu Baku yang tertulis terpisah dari kegiatannya dipasangkan menurut urutan "
                f"pada langkah {', '.join(map(str, placed))} / Mutu Baku written apart from its "
                "rows paired by order",
                code="mutu-guessed",
            )
        )
    no_mutu = [r.number for r in rows if not (r.duration or r.requirements or r.output)]
    if no_mutu:
        warnings.append(
            ReaderWarning(
                "Mutu Baku tidak dapat dikaitkan pada langkah "
                f"{', '.join(map(str, no_mutu))} / Mutu Baku could not be associated",
                code="mutu-unassigned",
            )
        )
    return rows


def _mutu_piece(b: _Block) -> bool:
    """A block that can be a Mutu Baku cell: not a number, a branch label, an off-page
    connector letter or an activity."""
    return not (
        any(_NUMBER.match(x) for x in b.lines)
        or all(_LABEL.match(x) for x in b.lines)
        or _CONNECTOR.match(b.text)
        or _activity_like(b)
    )


def _mutu_runs(
    body: list[_Block],
    header: set[int],
    anchors: dict[int, tuple[int, int]],
    rows: list[RawRow],
    used: set[int],
) -> list[int]:
    """Plain pdftotext often writes a page column by column: all the page's activities,
    then its Mutu Baku cells as one run of Kelengkapan / Waktu / Output groups in row order.
    Cut the page's left-over cells at the Waktu values and give the groups, in order, to the
    page's rows that got no Mutu Baku, when there are as many groups as rows. Returns the
    steps that got one."""
    placed: list[int] = []
    pages = sorted({b.page for b in body})
    for page in pages:
        missing = [
            r
            for r in rows
            if r.number is not None
            and body[anchors[r.number][0]].page == page
            and not (r.duration or r.requirements or r.output)
        ]
        if not missing:
            continue
        pieces = [
            b.text
            for i, b in enumerate(body)
            if b.page == page and i not in header and i not in used and _mutu_piece(b)
        ]
        groups = _mutu_groups(pieces)
        if len(groups) != len(missing):
            continue
        for row, (req, waktu, out, notes) in zip(missing, groups, strict=True):
            row.requirements, row.duration, row.output = req, waktu, out
            row.notes = row.notes or notes
            placed.append(row.number or 0)
    return placed


def _mutu_groups(pieces: list[str]) -> list[tuple[str, str, str, str]]:
    """(Kelengkapan, Waktu, Output, Keterangan) groups of a run of cells, cut at the Waktu
    values: after a Waktu its Output (unless the cell reads as a remark), then remarks, and
    what is left before the next Waktu is that row's Kelengkapan."""
    at = [k for k, p in enumerate(pieces) if _waktu(p)]
    groups: list[tuple[str, str, str, str]] = []
    for g, k in enumerate(at):
        before = pieces[at[g - 1] + 1 : k] if g else pieces[:k]
        # the first group keeps the one cell before its Waktu; a later one what follows the
        # previous row's Output and remarks
        before = before[_row_tail(before) :] if g else before[-1:]
        after = pieces[k + 1 : at[g + 1]] if g + 1 < len(at) else pieces[k + 1 :]
        tail = after[: _row_tail(after)] if g + 1 < len(at) else after
        out = tail[0] if tail and not _remark(tail[0]) else ""
        notes = " ".join(p for p in tail if _remark(p))
        groups.append((" ".join(before), pieces[k], out, notes))
    return groups


def _remark(text: str) -> bool:
    return text.split()[0].lower() in NOTES_OPENERS if text.split() else False


def _row_tail(between: list[str]) -> int:
    """Where, in the cells between two Waktu values, the next row's Kelengkapan starts: after
    the first row's Output and remarks."""
    k = 0
    if k < len(between) and not _remark(between[k]):
        k += 1  # the Output
    while k < len(between) and _remark(between[k]):
        k += 1
    return k


def _warn_extra_numbers(
    anchors: dict[int, tuple[int, int]], steps: list[int], warnings: list[ReaderWarning]
) -> None:
    """Numbers found but left out of the step sequence: the user should know they were seen."""
    extra = sorted(set(anchors) - set(steps))
    if extra:
        warnings.append(
            ReaderWarning(
                f"Nomor di luar urutan langkah diabaikan: {', '.join(map(str, extra))} / "
                "numbers outside the step sequence ignored",
                code="line-unused",
            )
        )


def _mutu_after(body: list[_Block], bi: int, header: set[int], row: RawRow) -> set[int]:
    """Kelengkapan, Waktu and Output from the blocks right after the activity, when a Waktu
    value stands among them before the next number or activity. Returns the blocks used."""
    pieces: list[tuple[int, str]] = []
    for j in range(bi + 1, min(len(body), bi + 6)):
        b = body[j]
        if j in header or _is_number_block(b) or _activity_like(b):
            break
        if any(_NUMBER.match(x) for x in b.lines):
            break
        if all(_LABEL.match(x) for x in b.lines) or _CONNECTOR.match(b.text):
            continue
        pieces.append((j, b.text))
    at = next((k for k, (_, p) in enumerate(pieces) if _waktu(p)), None)
    if at is None:
        return set()
    row.duration = pieces[at][1]
    row.requirements = " ".join(p for _, p in pieces[:at])
    row.output = " ".join(p for _, p in pieces[at + 1 : at + 2])
    return {j for j, _ in pieces[: at + 2]}
