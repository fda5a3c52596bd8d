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
* **Mutu Baku**: the blocks right after an anchored activity, up to the next number, are its
  row's cells when one Waktu value stands among them (before it the Kelengkapan, after it the
  Output and remarks); a lone cell there is the Kelengkapan, the column beside the activity.
  pdftotext writes the rest of a page column by column, but each column top to bottom, so the
  Waktu values of a page come in row order: the page's other cells are aligned with its rows
  at their Waktu values (a least-cost split into Kelengkapan? Waktu? Output? Keterangan*
  groups, :func:`_align`), with a ``mutu-guessed`` warning. Rows left without any get a
  ``mutu-unassigned`` warning;
* the **identity** label block ("Nomor SOP", "Tanggal ...") is paired with the value block that
  follows it before the shared header parser reads the text above the table.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from converters.model import ConversionError, ReaderWarning
from converters.reading.durations import parse_duration
from converters.reading.header import parse_header
from converters.reading.raw import RawDocument, RawRow, warn_missing_activity
from converters.reading.roles import parse_role
from converters.reading.vocabulary import (
    CHECKING_WORDS,
    LOANWORD_VERBS,
    MUTU_GROUP_TITLE,
    NO_LABELS,
    NOTES_OPENERS,
    PELAKSANA_TITLE,
    SIGNED_FOOTER,
    TERMINATOR_WORDS,
    WAKTU_NO_TIME,
    WAKTU_VALUE,
    YES_LABELS,
    is_verb,
    mutu_kind,
    mutu_titles,
    time_unit_pattern,
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
_NO_TITLE = re.compile(r"^no\.?$", re.I)
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
    rf"^({'|'.join(sorted(YES_LABELS | NO_LABELS))}|[\w ]{{1,25}}\?|r/t)$", re.I
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
_CONNECTOR = re.compile(r"^[A-Z](?: [A-Z])*$")  # off-page connectors' letters ("D F")
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
    if titles and mutu >= 2 and numbers >= 3 and "\f" in text:
        # header titles and step numbers each a whole line on form-feed pages: pdftotext's
        # own shape (OCR keeps a row's number with its text and garbles or joins the titles;
        # a flipbook page has no form feeds)
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
    body = _split_step_numbers([_split_joined_title(b) for b in blocks[start:]])
    roles, header_ids = _roles(body)
    header_ids |= _strays(body, roles)
    body = _without_branch_lines(body, header_ids)
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
                return _role_titles_before(blocks, j)
    return None


def _role_titles_before(blocks: list[_Block], j: int) -> int:
    """The table's first block when role titles stand between the "No." title and block
    ``j`` ("No." / "PPK" / "Tim Persiapan" / "Mutu Baku" / "Kegiatan": pdftotext wrote the
    role cells, higher on the page, before the step column title): back to the "No." title
    (the table's first column), else ``j``. Role titles after another title ("Mutu Baku" /
    "Staf") are only some of the roles: the others stand after the step column title."""
    k = start = j
    while k > 0 and j - k < 6:
        prev = blocks[k - 1]
        if all(_NO_TITLE.match(x) for x in prev.lines):
            start = k - 1
            break
        if not (_role_like(prev) and _short(prev)):
            break
        k -= 1
    return start


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

_JOINED_TITLE = re.compile(
    rf"^(?P<role>.*\S)\s+(?P<title>(?:{mutu_titles()})\.?"
    rf"(?:\s*/?\s*(?:{mutu_titles('requirements')}))?\s*/?)$",
    re.I,
)


def _split_joined_title(b: _Block) -> _Block:
    """pdftotext joins a role title and the Mutu Baku title beside it when they share a
    baseline ("Sekretaris Persyaratan/Kelengkapan"): put each on its own line."""
    lines: list[str] = []
    for x in b.lines:
        m = _JOINED_TITLE.match(x)
        if m and _jabatan(m["role"]) and not _MUTU_TITLE.match(x):
            lines.extend((m["role"], m["title"]))
        else:
            lines.append(x)
    return b if lines == b.lines else _Block(lines, b.first_line, b.page)



def _is_title(line: str) -> bool:
    """A column title of the header. A title starts with a capital: "perlengkapan" on a
    line of its own is a word of a wrapped cell ("Daftar kebutuhan / bahan dan /
    perlengkapan")."""
    return bool(
        (line[:1].isupper() or not line[:1].isalpha())
        and (
            _ACTIVITY_TITLE.match(line)
            or _MUTU_TITLE.match(line)
            or _GROUP_TITLE.match(line)
            or _INDEX_CELL.match(line)
        )
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
    named = _pelaksana_roles(body)
    # the role titles end at the first Kelengkapan / Waktu / Output title: Keterangan, the
    # last column, may come out first ("Keterangan / Kepala Dinas" as one block)
    first_mutu = next(
        (i for i, b in enumerate(body) if any(_mutu_column_title(x) for x in b.lines)),
        len(body),
    )
    for i, b in enumerate(body):
        if any(_is_title(x) for x in b.lines) and i not in named:
            header.add(i)
    headings = {i for i, b in enumerate(body) if _section_heading(b)}
    header |= headings
    split = {i: _side_by_side(b) for i, b in enumerate(body[:first_mutu])}
    candidates = {
        i
        for i, b in enumerate(body[:first_mutu])
        if i not in header and ((_role_like(b) and _short(b)) or split[i])
    }
    # the run right after the step column title, then blocks touching the header; the
    # first row's number may stand inside the run (pdftotext writes the "No" column's
    # first cell on the baseline of the role titles beside it): the run goes over it
    i = act + 1
    while i < first_mutu and (
        i in header
        or i in candidates
        or (
            _is_number_block(body[i])
            and i - 1 in header
            and i + 1 in candidates
            and _jabatan(body[i + 1].text)
            and not _activity_like(body[i + 1])
        )
    ):
        if not _is_number_block(body[i]):
            header.add(i)
        i += 1
    changed = True
    while changed:
        changed = False
        for i in sorted(candidates - header):
            if _touches(body, header, i) and not _row_cell_beside(body, header, i):
                header.add(i)
                changed = True
    roles: list[str] = []
    for i in sorted(header - headings):
        b = body[i]
        if i > first_mutu:
            continue
        lines = b.lines
        if i == first_mutu:  # the cells after the first Mutu Baku title are its own
            lines = lines[: next(k for k, x in enumerate(lines) if _mutu_column_title(x))]
        rest = [x for x in lines if not _is_title(x)]
        if i in named:
            roles.append(b.text)
        elif i in (act, first_mutu):
            # the step column title or the first Mutu Baku title joined to a role title
            roles.extend(x for x in rest if _role_line(x))
        elif split.get(i):
            roles.extend(split[i] or [])
        elif len(rest) == len(b.lines):
            roles.append(_role_text(b.lines))
        elif rest and _short(b) and _role_like(_Block(rest, b.first_line)):
            roles.append(_role_text(rest))
        else:
            # a header block that also holds other text ("Nama SOP: ... / Kaban / No"):
            # its lines that name a jabatan on their own
            roles.extend(x for x in rest if _role_line(x))
    return _unique(roles), header


def _section_heading(b: _Block) -> bool:
    """A header section's title in capitals ("PENCATATAN DAN PENDATAAN"), alone or over
    its list ("PERALATAN/ PERLENGKAPAN" / "1. Alat Tulis"): the section box stands beside
    the table in many forms, so pdftotext writes it among the role titles or the rows; it
    is neither a role nor an activity."""
    head = b.lines[0]
    return head.isupper() and bool(_SECTION_START.match(head))


def _pelaksana_roles(body: list[_Block]) -> set[int]:
    """Blocks that name the jabatan "Pelaksana" rather than the group title of the role
    columns: the group title stands once above the role cells of each page, so a second
    "Pelaksana" block on its own on the same page is a column of its own."""
    seen: set[int] = set()  # pages whose group title was met
    named: set[int] = set()
    for i, b in enumerate(body):
        titles = [x for x in b.lines if re.fullmatch(PELAKSANA_TITLE, x, re.I)]
        if not titles:
            continue
        if b.page in seen and len(b.lines) == 1:
            named.add(i)
        seen.add(b.page)
    return named


def _touches(body: list[_Block], header: set[int], i: int) -> bool:
    """Block ``i`` stands next to a header block, over the branch labels or connector
    letters drawn between the role titles ("Bendahara" / "T" / "Staf")."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(body) and j not in header and _labels(body[j]):
            j += step
        if j in header:
            return True
    return False


def _row_cell_beside(body: list[_Block], header: set[int], i: int) -> bool:
    """Block ``i`` names no jabatan and follows a Waktu value or comes before a step
    number: it is the Output that ends a row (a "Nota Dinas" before the role titles pdftotext
    wrote after the page's rows), not a role title. A block after an activity may well be a
    role title ("... melalui aplikasi" / "Pegawai" / "Pelaksana")."""
    if _jabatan(body[i].text):
        return False
    before = body[i - 1] if i > 0 and i - 1 not in header else None
    after = body[i + 1] if i + 1 < len(body) and i + 1 not in header else None
    return bool(
        (before is not None and _waktu(before.text))
        or (after is not None and _is_number_block(after))
    )


def _role_text(lines: list[str]) -> str:
    """A role title wrapped over lines, with a word the cell's edge cut mended
    ("Pengadministra" / "si Umum") when only the mended name reads as a jabatan."""
    text = lines[0] if lines else ""
    for line in lines[1:]:
        spaced, joined = f"{text} {line}", f"{text}{line}"
        if (
            line[:1].islower()
            and not parse_role(spaced).kinds
            and parse_role(joined).kinds
        ):
            text = joined
        else:
            text = spaced
    return re.sub(r"\s+", " ", text).strip()


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
    if any(_active_verb(re.sub(r"[^\w]", "", w).lower()) for w in words[1:3]):
        return True
    # a longer subject: a jabatan and its unit ("Kepala Bagian Kepegawaian merekapitulasi")
    for k in range(3, min(6, len(words))):
        if not words[k - 1][:1].isupper():
            break
        if _active_verb(re.sub(r"[^\w]", "", words[k]).lower()):
            return _jabatan(" ".join(words[:k]))
    return False


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
    homes = _homes(body, anchors, {bi: n for n, bi in pairing.activity.items()})
    _place_floating_labels(body, header, rows, homes, warnings)
    _warn_extra_numbers(anchors, steps, warnings)
    return rows


def _anchors(body: list[_Block], header: set[int]) -> dict[int, tuple[int, int]]:
    """Step number -> (block index, line inside the block) of its first sighting.

    The numbers are the one thing pdftotext keeps whole, so they anchor every row; numbers
    of 100 and over are years, amounts or page numbers, not steps."""
    anchors: dict[int, tuple[int, int]] = {}
    for i, b in enumerate(body):
        if (i in header and not _titles_then_number(b)) or not _holds_number(b):
            continue
        for k, ln in enumerate(b.lines):
            m = _NUMBER.match(ln)
            if m and int(m.group(1)) not in anchors and 0 < int(m.group(1)) < 100:
                anchors[int(m.group(1))] = (i, k)
    return anchors


_NUMBERED_LINE = re.compile(r"^(\d{1,2})\.?\s+(\S.*)$")


def _split_step_numbers(body: list[_Block]) -> list[_Block]:
    """pdftotext keeps a wider number on the activity's first line ("10. PPK menerbitkan
    SPMK.") when the number column is narrow: split it onto a line of its own, as the
    shorter numbers stand, when it is the next step of the sequence read so far and the
    text after it opens a row (a numbered list inside a cell, "1. Kontrak yang telah ...",
    repeats numbers already seen). A block that ends with the next step number, above an
    activity, gives the number a block of its own."""
    seen: set[int] = set()
    out: list[_Block] = []
    for i, b in enumerate(body):
        last = _NUMBER.match(b.lines[-1])
        if (
            last
            and len(b.lines) > 1
            and int(last.group(1)) == max(seen, default=0) + 1
            and not any(_NUMBER.match(x) or _is_title(x) for x in b.lines[:-1])
            and i + 1 < len(body)
            and _activity_like(body[i + 1])
        ):
            # a role title and the first step number below it on one baseline run
            # ("Ketua Tim Pelayanan" / "1"): the number opens the row after it
            seen.add(int(last.group(1)))
            out.append(_Block(b.lines[:-1], b.first_line, b.page))
            out.append(_Block(b.lines[-1:], b.first_line + len(b.lines) - 1, b.page))
            continue
        for x in b.lines:
            m = _NUMBER.match(x)
            if m:
                seen.add(int(m.group(1)))
        m = _NUMBERED_LINE.match(b.lines[0])
        if m and not _NUMBER.match(b.lines[0]) and not WAKTU_VALUE.match(b.lines[0]):
            n = int(m.group(1))
            rest = _Block([m.group(2), *b.lines[1:]], b.first_line, b.page)
            if n == max(seen, default=0) + 1 and _opens_row(rest):
                seen.add(n)
                out.append(_Block([f"{n}.", *rest.lines], b.first_line, b.page))
                continue
        out.append(b)
    return out


def _opens_row(b: _Block) -> bool:
    """Text after a step number: an activity, or a capitalised phrase of a few words
    ("PPK (PA/KPA dapat menetapkan ...", "Denda dan ganti rugi ...")."""
    words = b.text.split()
    return _activity_like(b) or (len(words) >= 3 and words[0][:1].isupper())


def _holds_number(b: _Block) -> bool:
    """A block with a step number on a line of its own; not a Waktu broken after its
    number ("2" / "menit/berkas")."""
    return any(_NUMBER.match(x) for x in b.lines) and not (len(b.lines) > 1 and _waktu(b.text))


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
    other text), then the numbers after a gap of one number when two or more follow it in
    order (a document that skips a number), else every number found, in order."""
    last = (
        max(n for n in anchors if all(m in anchors for m in range(1, n + 1))) if 1 in anchors else 0
    )
    if not last:
        return sorted(anchors)
    steps = list(range(1, last + 1))
    # a document that skips one number ("7." then "9."): the rows go on when at least two
    # numbers follow the gap in a row, each further down the text than the one before
    run: list[int] = []
    n = last + 2
    while n in anchors and anchors[n] > anchors[run[-1] if run else last]:
        run.append(n)
        n += 1
    return [*steps, *run] if len(run) >= 2 else steps


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
            if k == 0 and (_activity_like(rest, min_words=1) or _opens_row(rest)):
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
    homes = _homes(body, anchors, {bi: n for n, bi in pairing.activity.items()})
    placed = _mutu_runs(body, header, anchors, rows, pairing.taken | used, homes)
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
    connector letter, an activity or the word of a start or end capsule ("Selesai")."""
    return not (
        _holds_number(b)
        or _labels(b)
        or _activity_like(b)
        or b.text.casefold() in TERMINATOR_WORDS
    )


def _labels(b: _Block) -> bool:
    """A block of branch labels beside a diamond ("Tidak", "Sesuai?"), maybe with the
    letter of an off-page connector drawn next to them ("Tidak" / "E"), or that letter
    alone."""
    return all(_LABEL.match(x) or _CONNECTOR.match(x) for x in b.lines)


def _without_connectors(b: _Block) -> str:
    """The block's text without the letters of an off-page connector beside it."""
    return " ".join(x for x in b.lines if not _CONNECTOR.match(x)) or b.text


def _mutu_runs(
    body: list[_Block],
    header: set[int],
    anchors: dict[int, tuple[int, int]],
    rows: list[RawRow],
    used: set[int],
    homes: dict[int, int],
) -> list[int]:
    """Plain pdftotext often writes a page column by column: the page's activities, then its
    Mutu Baku cells as runs of Kelengkapan / Waktu / Output / Keterangan groups in row order,
    some cells left behind at the end of the page. Align, page by page, the left-over cells
    with the page's rows (:func:`_align`) and fill the cells each row still lacks. Returns
    the steps that got a cell this way."""
    placed: list[int] = []
    for page in sorted({b.page for b in body}):
        page_rows = [
            r for r in rows if r.number is not None and body[anchors[r.number][0]].page == page
        ]
        pieces: list[_Piece] = []
        for i, b in enumerate(body):
            if b.page != page or i in used:
                continue
            if i in header:
                pieces.extend(_Piece(t, k, None) for t, k in _under_title(b))
            elif _mutu_piece(b):
                pieces.extend(_Piece(cell, _kind(cell), homes.get(i)) for cell in _cells(b))
        if not page_rows or not pieces:
            continue
        for row, cells in zip(page_rows, _align(page_rows, pieces), strict=True):
            if cells.fill(row):
                placed.append(row.number or 0)
    return placed


def _under_title(b: _Block) -> list[tuple[str, str]]:
    """The cell pdftotext joined to the Mutu Baku title above it ("Output" / "Rekap data":
    the page's first cell of that column), with the column it belongs to."""
    at = max((k for k, x in enumerate(b.lines) if _MUTU_TITLE.match(x)), default=None)
    if at is None or at + 1 == len(b.lines):
        return []
    rest = b.lines[at + 1 :]
    column = mutu_kind(b.lines[at])  # the kinds are the cell fields' names
    if column not in _COLUMNS or any(
        _is_title(x) or _NUMBER.match(x) or _role_line(x) for x in rest
    ):
        return []
    return [(" ".join(rest), "=" + column)]


def _strays(body: list[_Block], roles: list[str]) -> set[int]:
    """Blocks that are no cell of a row: a role title of a repeated page header (a known
    column or a jabatan on its own), and the branch labels beside a diamond
    (:func:`_branch_words`)."""
    known = _branch_words(b.text for b in body) | {r.casefold() for r in roles}
    return {
        i
        for i, b in enumerate(body)
        if _without_connectors(b).casefold() in known
        or _role_text(b.lines).casefold() in known
        or (len(b.lines) <= 2 and _role_line(b.text) and not _activity_like(b))
    }


def _without_branch_lines(body: list[_Block], header: set[int]) -> list[_Block]:
    """A named branch the decisions' text names ("jika administratif ...") written below
    the cell beside its label ("Disposisi" / "Administratif") is no part of the cell: drop
    such last lines. A yes/no word goes only as a label, capitalised ("KTP dan KK" /
    "Tidak lengkap"): "Berkas" / "lengkap" is one wrapped cell."""
    named = _branch_words(b.text for b in body)
    words = named - YES_LABELS - NO_LABELS
    out: list[_Block] = []
    for i, b in enumerate(body):
        kept = list(b.lines)
        while len(kept) > 1 and (
            kept[-1].casefold() in words
            or (kept[-1][:1].isupper() and kept[-1].casefold() in named)
        ):
            kept.pop()
        out.append(b if i in header or len(kept) == len(b.lines)
                   else _Block(kept, b.first_line, b.page))
    return out


def _branch_words(activities: Iterable[str]) -> set[str]:
    """The branch labels a page's decisions name in their text ("jika kotak pengaduan
    diteruskan ..."): the labels beside a diamond echo them, and are no Mutu Baku cell."""
    words: set[str] = set()
    for act in activities:
        for m in re.finditer(r"\bjika\s+((?:\w+\s+){0,2}?\w+)\s+(?:di|ke|dan|maka|,)",
                             act.casefold()):
            words.add(m.group(1))
    return words


_K_WAKTU, _K_REMARK, _K_CELL = "W", "N", "X"
_COLUMNS = ("requirements", "duration", "output", "notes")
_COST: dict[tuple[str, str], float] = {
    # (piece kind, column) -> cost; a missing pair cannot be
    (_K_WAKTU, "duration"): 0.0,
    (_K_CELL, "requirements"): 0.01,  # a lone cell between two rows is the Output before it
    (_K_CELL, "output"): 0.0,
    (_K_CELL, "notes"): 1.0,
    (_K_REMARK, "notes"): 0.0,
    (_K_REMARK, "output"): 1.5,
    (_K_REMARK, "requirements"): 1.5,
    # a cell written under its column's title: that column only
    **{("=" + col, col): 0.0 for col in ("requirements", "duration", "output", "notes")},
}
"""How well a kind of left-over cell fits a column. Waktu values are the surest anchors."""
_SKIP = 1.2  # a cell left unplaced
_NO_WAKTU = 1.0  # a row without any Waktu (rare: most SOPs fill it)
_NO_OUTPUT = 0.02
"""A row that takes all its cells from the run and no Output: most rows name one, but many
do not, so this only breaks ties."""
_CHUNK = 6  # most cells one row can take
_LATE_OUTPUT = 0.5
"""An Output read after the row's Keterangan: dearer than in its place, cheaper than a
document name kept as a remark (``notes``)."""
_AWAY = 0.005
"""A cell that follows one row's activity placed on another row: only ever a tie-breaker, the
Waktu values decide."""
_BELOW_TITLE = 1.0
"""A cell joined to its column's title placed on a row other than the page's first: the
cell pdftotext joins to a title is the one right below it."""
_LATER = 1e-4
"""Between two equal readings, the cells go to the earlier rows: the cells pdftotext leaves
at a page's end are those of rows it had passed."""


@dataclass
class _Cells:
    """The Mutu Baku cells a row gets from the page's left-over run."""

    requirements: str = ""
    duration: str = ""
    output: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)

    def fill(self, row: RawRow) -> bool:
        """Fill the row's empty cells; True when one was filled."""
        filled = False
        for col in ("requirements", "duration", "output"):
            value = getattr(self, col)
            if value and not getattr(row, col):
                setattr(row, col, value)
                filled = True
        if self.notes:
            row.notes = " ".join([row.notes, *self.notes]).strip()
        return filled


def _kind(piece: str) -> str:
    return _K_WAKTU if _waktu(piece) else _K_REMARK if _remark(piece) else _K_CELL


@dataclass(frozen=True)
class _Piece:
    """A left-over cell: its text, kind (:func:`_kind`, or "=column" under a title) and the
    step whose activity it follows before the next number (None: after none)."""

    text: str
    kind: str
    home: int | None


def _homes(
    body: list[_Block], anchors: dict[int, tuple[int, int]], activity_of: dict[int, int]
) -> dict[int, int]:
    """Block -> the step whose activity the block follows, with no step number between."""
    numbers = {bi for bi, _ in anchors.values()}
    homes: dict[int, int] = {}
    home: int | None = None
    for i in range(len(body)):
        if i in activity_of:
            home = activity_of[i]
        elif i in numbers:
            home = None
        elif home is not None:
            homes[i] = home
    return homes


_PARTITIONS: tuple[tuple[tuple[str, ...], ...], ...] = tuple(
    tuple(_COLUMNS[a:b] for a, b in zip((0, *cuts), (*cuts, len(_COLUMNS)), strict=True))
    for cuts in (
        tuple(c for c in range(1, len(_COLUMNS)) if mask >> (c - 1) & 1)
        for mask in range(2 ** (len(_COLUMNS) - 1))
    )
)
"""The ways pdftotext may split a page's Mutu Baku columns into passes over its rows: all
four together row by row, or Kelengkapan and Waktu row by row, then the Output column, then
the Keterangan column ..."""
_PASS = 0.3
"""What one more pass over the rows costs: one pass reads the page unless more read it
clearly better."""


def _align(rows: list[RawRow], pieces: list[_Piece]) -> list[_Cells]:
    """Split the run of left-over cells into groups, one per row and pass, each group read
    as the pass's columns in order (Kelengkapan? Waktu? Output? Keterangan*), at the least
    cost (:data:`_COST`); a column the row already has from beside its activity takes
    nothing. pdftotext writes the run row by row, but sometimes a few columns row by row and
    then the others (:data:`_PARTITIONS`); Waktu values tell the rows apart, so the split
    follows them."""
    cache: dict[tuple[int, int, int, tuple[str, ...]], tuple[float, list[str]]] = {}
    best_cost, best_out = float("inf"), [_Cells() for _ in rows]
    for passes in sorted(_PARTITIONS, key=len):
        extra = _PASS * (len(passes) - 1)
        if extra >= best_cost:
            break  # no reading with more passes can be cheaper
        cost, out = _align_passes(rows, pieces, passes, cache)
        cost += extra
        if cost < best_cost:
            best_cost, best_out = cost, out
    return best_out


def _align_passes(
    rows: list[RawRow],
    pieces: list[_Piece],
    passes: tuple[tuple[str, ...], ...],
    cache: dict[tuple[int, int, int, tuple[str, ...]], tuple[float, list[str]]],
) -> tuple[float, list[_Cells]]:
    """The least-cost reading of ``pieces`` as ``passes`` over ``rows`` one after another."""
    kinds = [p.kind for p in pieces]
    n, m, k = len(pieces), len(rows), len(passes)
    inf = float("inf")
    best = [[[inf] * (n + 1) for _ in range(m + 1)] for _ in range(k)]
    back: dict[tuple[int, int, int], tuple[int, int, int, list[str]]] = {}
    best[0][0][0] = 0.0
    for p, allowed in enumerate(passes):
        for j in range(m + 1):
            for i in range(n + 1):
                here = best[p][j][i]
                if here == inf:
                    continue
                if i < n and here + _SKIP < best[p][j][i + 1]:  # a cell of no row
                    best[p][j][i + 1] = here + _SKIP
                    back[p, j, i + 1] = (p, j, i, [])
                if j == m:
                    if p + 1 < k and here < best[p + 1][0][i]:  # the next pass
                        best[p + 1][0][i] = here
                        back[p + 1, 0, i] = (p, j, i, [])
                    continue
                for size in range(min(_CHUNK, n - i) + 1):
                    key = (j, i, size, allowed)
                    if key not in cache:
                        cache[key] = _chunk(rows[j], kinds[i : i + size], allowed)
                    cost, cols = cache[key]
                    cost += _LATER * j * size + _AWAY * sum(
                        _distance(x.home, rows[j].number) for x in pieces[i : i + size]
                    )
                    if j and any(x.kind.startswith("=") for x in pieces[i : i + size]):
                        cost += _BELOW_TITLE
                    if here + cost < best[p][j + 1][i + size]:
                        best[p][j + 1][i + size] = here + cost
                        back[p, j + 1, i + size] = (p, j, i, cols)
    out = [_Cells() for _ in rows]
    state = (k - 1, m, n)
    total = best[k - 1][m][n]
    while state != (0, 0, 0):
        pp, pj, pi, cols = back[state]
        if pp == state[0] and pj != state[1]:
            cells = out[pj]
            for piece, col in zip(pieces[pi : state[2]], cols, strict=True):
                if col == "notes":
                    cells.notes.append(piece.text)
                else:
                    setattr(cells, col, piece.text)
        state = (pp, pj, pi)
    return total, out


def _distance(home: int | None, number: int | None) -> int:
    """How far a cell lands from the row whose activity it follows, in rows (at most 3;
    0 for a cell that follows none)."""
    if home is None or number is None:
        return 0
    return min(3, abs(number - home))


def _chunk(
    row: RawRow, kinds: list[str], allowed: tuple[str, ...] = _COLUMNS
) -> tuple[float, list[str]]:
    """The cheapest reading of ``kinds`` as one row's cells in column order, and the column
    of each; columns the row already has, and those outside ``allowed`` (the pass's), are
    closed. A row without a Waktu costs more, in the pass that reads the Waktu column. A
    document cell after the row's Keterangan may still be its Output (:data:`_LATE_OUTPUT`):
    pdftotext writes a one-line remark before an Output cell that wraps, its first baseline
    being lower."""
    inf = float("inf")
    out_c = _COLUMNS.index("output")
    # states: (index of the last column used (-1: none), the Output taken); notes may repeat
    best: dict[tuple[int, bool], tuple[float, list[str]]] = {(-1, False): (0.0, [])}
    for kind in kinds:
        nxt: dict[tuple[int, bool], tuple[float, list[str]]] = {}
        for (last, has_out), (cost, cols) in best.items():
            for c, col in enumerate(_COLUMNS):
                late = c == out_c and c < last and kind == _K_CELL and not has_out
                if (c < last and not late) or (c == last and col != "notes"):
                    continue
                if col not in allowed or (col != "notes" and getattr(row, col)):
                    continue
                step = _COST.get((kind, col), inf) + (_LATE_OUTPUT if late else 0.0)
                if step == inf:
                    continue
                state = (max(c, last), has_out or c == out_c)
                if state not in nxt or cost + step < nxt[state][0]:
                    nxt[state] = (cost + step, [*cols, col])
        best = nxt
        if not best:
            return inf, []
    cost, cols = min(best.values(), key=lambda t: t[0])
    if not row.duration and "duration" in allowed and "duration" not in cols:
        cost += _NO_WAKTU
    if not (row.duration or row.requirements) and "output" in allowed and "output" not in cols:
        cost += _NO_OUTPUT
    return cost, cols


def _remark(text: str) -> bool:
    return text.split()[0].lower() in NOTES_OPENERS if text.split() else False


_CONDITIONAL = re.compile(r"\b(?:jika|apabila|bila|kalau|bilamana)\b|\?\s*$", re.I)
UNPLACED = ""
"""The :attr:`RawRow.marks` key of branch labels whose role column the text does not keep."""


def _yes_no(b: _Block) -> tuple[list[str], list[str]] | None:
    """The yes and the no labels of a block made of branch labels only ("Y" / "T",
    "Tidak"), besides connector letters; None for any other block."""
    yes: list[str] = []
    no: list[str] = []
    for x in b.lines:
        key = x.strip().casefold()
        if key in NO_LABELS:
            no.append(x.strip())
        elif key in YES_LABELS:
            yes.append(x.strip())
        elif not _CONNECTOR.match(x):
            return None
    return (yes, no) if yes or no else None


def _place_floating_labels(
    body: list[_Block],
    header: set[int],
    rows: list[RawRow],
    homes: dict[int, int],
    warnings: list[ReaderWarning],
) -> None:
    """A diamond's "Y" / "T" float in plain pdftotext wherever its reading order puts them,
    and when no activity says its condition ("jika ...", "...?") they are the only trace of
    the decisions. Pair the yes and no labels in reading order and give each pair, as marks
    without a column, to the checking step ("Memeriksa", "Pemeriksaan ...", "Evaluasi")
    nearest the row the labels follow; a checking step is where a diamond asks."""
    if any(_CONDITIONAL.search(r.activity) for r in rows):
        return
    yes: list[tuple[str, int | None]] = []
    no: list[tuple[str, int | None]] = []
    for i, b in enumerate(body):
        if i in header:
            continue
        found = _yes_no(b)
        if found:
            yes.extend((x, homes.get(i)) for x in found[0])
            no.extend((x, homes.get(i)) for x in found[1])
    checking = [r for r in rows if r.number is not None and _checks(r.activity)]
    by_number = {r.number: r for r in rows if r.number is not None}
    placed: list[int] = []
    for (y, home), (n, no_home) in _pairs(yes, no):
        free = [r for r in checking if r.number not in placed]
        own = (
            by_number.get(home)
            if home is not None and home == no_home and home not in placed
            else None
        )
        if own is not None and not any(
            abs((r.number or 0) - (own.number or 0)) <= 1 for r in checking
        ):
            # both labels follow one row's cells and no checking step stands beside it: a
            # diamond's labels stand beside it or on its arrows, a row away at most, so the
            # row they follow asks (a diamond's question without its question mark)
            row = own
        elif not free:
            break
        else:
            row = min(free, key=lambda r: abs((r.number or 0) - (home or 0)) if home else 0)
        row.marks[UNPLACED] = f"{y}\n{n}"
        placed.append(row.number or 0)
    if placed:
        warnings.append(
            ReaderWarning(
                "Label cabang tanpa letak dipasangkan pada langkah pemeriksaan "
                f"{', '.join(map(str, sorted(placed)))} / branch labels placed on the checking "
                "steps",
                code="labels-guessed",
            )
        )


def _pairs(
    yes: list[tuple[str, int | None]], no: list[tuple[str, int | None]]
) -> list[tuple[tuple[str, int | None], tuple[str, int | None]]]:
    """Yes and no labels paired in reading order, a no label that follows the same row's
    cells as the yes label first (the two labels of one diamond stand near each other)."""
    left = list(no)
    out: list[tuple[tuple[str, int | None], tuple[str, int | None]]] = []
    for y in yes:
        if not left:
            break
        same = next((x for x in left if y[1] is not None and x[1] == y[1]), left[0])
        left.remove(same)
        out.append((y, same))
    return out


def _checks(activity: str) -> bool:
    """The activity checks work: a checking word among its first three."""
    return any(CHECKING_WORDS.match(re.sub(r"[^\w]", "", w)) for w in activity.split()[:3])


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
    """Kelengkapan, Waktu, Output and Keterangan from the blocks right after the activity,
    when a Waktu value stands among them before the next number or activity. Returns the
    blocks used."""
    pieces: list[tuple[int, str]] = []
    for j in range(bi + 1, len(body)):
        b = body[j]
        if j in header or _is_number_block(b) or _activity_like(b):
            break
        if _holds_number(b):
            break
        if _CONNECTOR.match(b.text) and any(_waktu(p) for _, p in pieces):
            break  # an off-page connector after the row's Waktu: another part of the page
        if _labels(b) or b.text.casefold() in TERMINATOR_WORDS:
            continue
        pieces.extend((j, cell) for cell in _cells(b))
    if sum(1 for _, p in pieces if _waktu(p)) > 1:
        return set()  # the run of several rows' cells: the page's alignment places them
    pieces = [(j, p) for j, p in pieces if j < bi + 6]
    at = next((k for k, (_, p) in enumerate(pieces) if _waktu(p)), None)
    if at is None:
        # the Waktu went to the page's run: the one cell right after the activity is the
        # column beside it, the Kelengkapan
        if pieces and not _remark(pieces[0][1]):
            row.requirements = pieces[0][1]
            if _whole_row(body, bi, pieces) and len(pieces) > 1 and not _remark(pieces[1][1]):
                # the row's cells all written after it and none a Waktu: the row has none,
                # and the cell after the Kelengkapan is its Output
                row.output = pieces[1][1]
                rest = pieces[2:]
                while rest and _remark(rest[0][1]):
                    row.notes = " ".join((row.notes, rest[0][1])).strip()
                    rest = rest[1:]
                return {j for j, _ in pieces[: len(pieces) - len(rest)]}
            return {pieces[0][0]}
        return set()
    row.duration = pieces[at][1]
    row.requirements = " ".join(p for _, p in pieces[:at])
    end = at + 1
    if end < len(pieces) and not _remark(pieces[end][1]) and not _waktu(pieces[end][1]):
        row.output = pieces[end][1]
        end += 1
    while end < len(pieces) and _remark(pieces[end][1]):
        row.notes = " ".join((row.notes, pieces[end][1])).strip()
        end += 1
    return {j for j, _ in pieces[:end]}


def _whole_row(body: list[_Block], bi: int, pieces: list[tuple[int, str]]) -> bool:
    """The cells after activity ``bi`` run, without a gap, up to the next step number on the
    same page: pdftotext wrote the whole row in its order, so none of its cells is elsewhere."""
    last = pieces[-1][0]
    after = last + 1
    return (
        after < len(body)
        and _is_number_block(body[after])
        and body[after].page == body[bi].page
        and all(j in {p for p, _ in pieces} for j in range(bi + 1, last + 1))
    )


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
    wrapped = _wrapped_waktu(lines)
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
