"""Tab-separated SOP table text, as Word and PDF copy-paste or export produce it.

One table row per line, one tab per cell border. What goes wrong in real files, and what this
reader does about it:

* the header is split over two (or more) lines: "Pelaksana" and "Mutu Baku" span their
  sub-columns in the first line, the role names and Kelengkapan / Waktu / Output stand in the
  second. The lines are combined column by column; a first line whose merged cells were
  collapsed (its "Mutu Baku" is not above "Kelengkapan") is not trusted for positions;
* the role columns are empty because the flowchart symbols were drawings, or hold remnants
  of them ("Г", "_<", ">", "$\\overline{}$"): whatever stands there goes to ``RawRow.marks``;
* step numbers are lost (number ``None``), rows have fewer cells than the header (the Waktu
  cell anchors the Mutu Baku block), "Page 1" markers and repeated headers sit in the table;
* HTML fragments are cleaned first (:mod:`converters.reading.readers.markup`).

The lines above the table go to :func:`converters.reading.header.parse_header`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from converters.model import ConversionError, ReaderWarning
from converters.reading.header import parse_header, take_table_title
from converters.reading.raw import RawDocument, RawRow, merge_rows
from converters.reading.readers.markup import clean_html, decode_catv, fix_mojibake, has_html
from converters.reading.vocabulary import (
    ACTIVITY_TITLE,
    MUTU_GROUP_TITLE,
    NUMBER_TITLE,
    PAGE_MARKER,
    PELAKSANA_TITLE,
    WAKTU_VALUE,
    mutu_kind,
)

_ACTIVITY_RE = re.compile(rf"^(?:{ACTIVITY_TITLE})\b", re.IGNORECASE)
_NO_RE = re.compile(rf"^(?:{NUMBER_TITLE})$", re.IGNORECASE)
_MUTU_TITLE_RE = re.compile(rf"^{MUTU_GROUP_TITLE}", re.IGNORECASE)
_PELAKSANA_TITLE_RE = re.compile(rf"^{PELAKSANA_TITLE}\s*:?$", re.IGNORECASE)
_NUMBERING_CELL_RE = re.compile(r"^\(?\d{1,2}\)?$")
_STEP_NO_RE = re.compile(r"^(\d{1,3})\s*[.)]?$")


def _cell(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def normalise_role(text: str) -> str:
    """A role column name as written: trimmed, whitespace collapsed, no spaces at slashes."""
    text = _cell(text).strip(" :")
    return re.sub(r"\s*/\s*", "/", text)


def _join_header_parts(parts: list[str]) -> str:
    """Join a column title broken over header lines; "Widya-" + "iswara" is one word."""
    out = ""
    for part in parts:
        if out.endswith("-") and part[:1].islower():
            out = out[:-1] + part
        else:
            out = f"{out} {part}".strip()
    return out


def _mutu_kind(text: str) -> str | None:
    # a whole header cell: the titles of home-made tables count too
    return mutu_kind(text, other=True)


def _is_header_line(cells: list[str]) -> bool:
    stripped = [_cell(c) for c in cells]
    has_activity = any(_ACTIVITY_RE.match(c) for c in stripped if len(c) < 40)
    if not has_activity or len(cells) < 3:
        return False
    first_nonempty = next((c for c in stripped if c), "")
    return (
        bool(_NO_RE.match(first_nonempty))
        or bool(_ACTIVITY_RE.match(first_nonempty))
        or any(
            _MUTU_TITLE_RE.match(c) or _PELAKSANA_TITLE_RE.match(c) or _mutu_kind(c)
            for c in stripped
        )
    )


def _is_numbering_row(cells: list[str]) -> bool:
    filled = [_cell(c) for c in cells if _cell(c)]
    return len(filled) >= 3 and all(_NUMBERING_CELL_RE.match(c) for c in filled)


@dataclass
class TableColumns:
    """Which cell of a tab row is which column (No, Kegiatan, each role, each Mutu Baku
    column), as read from the header rows."""

    no_col: int | None = 0  # None: the table has no number column (it starts with Kegiatan)
    activity_col: int = 1
    mutu: dict[str, int] = field(default_factory=dict)  # kind -> column
    role_cols: dict[int, str] = field(default_factory=dict)  # column -> role (every col of block)
    roles: list[str] = field(default_factory=list)
    width: int = 0
    role_text_col: int | None = None  # one "Pelaksana" column holding role names as text

    @property
    def first_mutu(self) -> int:
        return min(self.mutu.values()) if self.mutu else self.width


def layout_from_header(rows: list[list[str]]) -> TableColumns:
    """Combine the header rows into one column layout (see the module docstring)."""
    rows = [[_cell(c) for c in r] for r in rows]
    width = max(len(r) for r in rows)
    subs = [{i: k for i, c in enumerate(r) if c and (k := _mutu_kind(c))} for r in rows]
    authority = max(
        (i for i, s in enumerate(subs) if sum(k != "notes" for k in s.values())),
        default=0,
    )
    auth_mutu = {k: i for i, k in subs[authority].items()}
    first_sub = min((i for k, i in auth_mutu.items() if k != "notes"), default=None)

    def aligned(r: int) -> bool:
        if r == authority:
            return True
        row = rows[r]
        title = next((i for i, c in enumerate(row) if _MUTU_TITLE_RE.match(c)), None)
        if title is not None and first_sub is not None and title != first_sub:
            return False
        return all(auth_mutu.get(k, i) == i for i, k in subs[r].items())

    trusted = [r for r in range(len(rows)) if aligned(r)]
    lay = TableColumns(width=width)
    for r in trusted:
        for i, c in enumerate(rows[r]):
            if _NO_RE.match(c):
                lay.no_col = i
            elif _ACTIVITY_RE.match(c) and len(c) < 40:
                lay.activity_col = i
        for i, k in subs[r].items():
            lay.mutu.setdefault(k, i)
    lay.mutu.update(auth_mutu)
    titled_no = any(_NO_RE.match(c) for r in trusted for c in rows[r])
    if not titled_no and lay.activity_col == 0:
        lay.no_col = None
    elif lay.no_col is not None and lay.activity_col <= lay.no_col:
        lay.activity_col = lay.no_col + 1
    if "notes" not in lay.mutu and "output" in lay.mutu and lay.mutu["output"] + 1 < width:
        lay.mutu["notes"] = lay.mutu["output"] + 1
    # the role block: between the activity column and the Mutu Baku block
    end = min((i for i in lay.mutu.values() if i > lay.activity_col), default=width)

    def group_title(r: int, col: int) -> bool:
        """"Pelaksana" over the role block, or a role named Pelaksana (Jabatan Pelaksana):
        the title stands alone in its row's role block or has a role name under it; the
        role stands among the other role names with nothing under it."""
        if not _PELAKSANA_TITLE_RE.match(rows[r][col]):
            return False
        block = rows[r][lay.activity_col + 1 : end]
        if sum(1 for c in block if c and not _NUMBERING_CELL_RE.match(c)) <= 1:
            return True
        below = (rows[b][col] for b in trusted if b > r and col < len(rows[b]))
        return any(c and not _NUMBERING_CELL_RE.match(c) for c in below)

    named: dict[int, str] = {}
    for col in range(lay.activity_col + 1, end):
        parts = []
        for r in trusted:
            c = rows[r][col] if col < len(rows[r]) else ""
            if not c or group_title(r, col) or _MUTU_TITLE_RE.match(c):
                continue
            if _NUMBERING_CELL_RE.match(c):
                continue
            parts.append(c)
        name = normalise_role(_join_header_parts(parts))
        if name:
            named[col] = name
    for col in range(lay.activity_col + 1, end):
        if col in named:
            lay.role_cols[col] = named[col]
            continue
        left = [c for c in named if c < col]
        right = [c for c in named if c > col]
        if left:
            lay.role_cols[col] = named[max(left)]
        elif right:
            lay.role_cols[col] = named[min(right)]
    for col in sorted(named):
        if named[col] not in lay.roles:
            lay.roles.append(named[col])
    if not named and end == lay.activity_col + 2:
        lay.role_text_col = lay.activity_col + 1
    return lay


_ROLE_SPLIT_RE = re.compile(r"\s*(?:,|;|\bdan\b|&|\+)\s*", re.IGNORECASE)


def roles_in_text(text: str) -> list[str]:
    """Role names written in a single "Pelaksana" column ("Kasubbag, Staf", "Kabid dan Kasi")."""
    out = []
    for part in _ROLE_SPLIT_RE.split(text):
        name = normalise_role(part)
        if re.search(r"[A-Za-z]{3}", name) and name not in out:
            out.append(name)
    return out


def find_header(lines: list[str]) -> int | None:
    """Index of the first line that is a table header (a "No" / "Kegiatan" row)."""
    for i, line in enumerate(lines):
        if "\t" in line and _is_header_line(line.split("\t")):
            return i
    return None


def _mark(text: str) -> str:
    return _cell(fix_mojibake(decode_catv(text)))


class _TableReader:
    def __init__(self, lines: list[str], start: int) -> None:
        self.lines = lines
        self.start = start
        self.rows: list[RawRow] = []
        self.warnings: list[ReaderWarning] = []
        self.text_roles: list[str] = []  # roles named in a single "Pelaksana" text column

    def _header_block(self, i: int) -> tuple[list[list[str]], int]:
        rows = [self.lines[i].split("\t")]
        # where the header puts the activity column: a table without a "No" column starts
        # with it, and its role-name row must not be taken for a step
        act_col = next((c for c, cell in enumerate(rows[0])
                        if _ACTIVITY_RE.match(_cell(cell)) and len(_cell(cell)) < 40), 1)
        j = i + 1
        while j < len(self.lines) and len(rows) < 4:
            line = self.lines[j]
            if not line.strip():
                j += 1
                continue
            cells = line.split("\t")
            if "\t" not in line or _is_numbering_row(cells):
                if _is_numbering_row(cells) or PAGE_MARKER.match(_cell(line)):
                    j += 1
                    continue
                break
            no = _cell(cells[act_col - 1]) if act_col > 0 and len(cells) >= act_col else ""
            act = _cell(cells[act_col]) if len(cells) > act_col else ""
            if _STEP_NO_RE.match(no) or (act and not _ACTIVITY_RE.match(act)):
                break
            rows.append(cells)
            j += 1
        return rows, j

    def read(self) -> tuple[TableColumns, list[RawRow]]:
        header, i = self._header_block(self.start)
        lay = layout_from_header(header)
        while i < len(self.lines):
            line = self.lines[i]
            text = _cell(line)
            if not text or PAGE_MARKER.match(text):
                i += 1
                continue
            cells = line.split("\t")
            if "\t" in line and _is_header_line(cells):
                _rows, i = self._header_block(i)  # header repeated on the next page
                continue
            if _is_numbering_row(cells):
                i += 1
                continue
            if "\t" not in line:
                self._untabbed(i, text)
            else:
                self._row(lay, i, cells)
            i += 1
        return lay, _without_trailing_bare(self.rows, self.warnings)

    def _untabbed(self, i: int, text: str) -> None:
        m = re.match(r"^(\d{1,3})[.)]?\s+(\S.*)$", text)
        if m and len(m.group(2)) > 3:
            self.rows.append(RawRow(int(m.group(1)), m.group(2), line=i + 1))
            self.warnings.append(
                ReaderWarning(
                    f"Baris {i + 1}: sel tabel hilang, hanya nomor dan kegiatan yang terbaca",
                    code="cells-lost",
                    line=i + 1,
                )
            )
            return
        if self.rows and text[:1].islower():
            prev = self.rows[-1]
            prev.activity = f"{prev.activity} {text}".strip()
            return
        self.warnings.append(
            ReaderWarning(
                f"Baris {i + 1} tidak dapat dibaca sebagai baris tabel", "line-unused", i + 1
            )
        )

    def _row(self, lay: TableColumns, i: int, cells: list[str]) -> None:
        cells = [_cell(c) for c in cells]
        if not any(cells):
            return
        width = lay.width
        get = cells.__getitem__
        no_col = lay.no_col
        number_text = get(no_col) if no_col is not None and no_col < len(cells) else ""
        activity = get(lay.activity_col) if lay.activity_col < len(cells) else ""
        number: int | None = None
        if m := _STEP_NO_RE.match(number_text):
            number = int(m.group(1))
        elif number_text:
            lead = re.match(r"^(\d{1,3})[.)]?\s+(\S.*)$", number_text)
            if lead and not activity:
                number, activity = int(lead.group(1)), lead.group(2)
            else:
                activity = f"{number_text} {activity}".strip()
        # map the cells after the activity column onto columns, realigning short rows
        mapped: dict[int, str] = {}
        shift = 0
        mutu_start = len(cells)
        if len(cells) < width and "duration" in lay.mutu:
            dur = next(
                (
                    j
                    for j in range(lay.activity_col + 1, len(cells))
                    if WAKTU_VALUE.match(cells[j])
                    or (cells[j] in {"-", "–"} and j + 1 < len(cells) and cells[j + 1])
                ),
                None,
            )
            if dur is not None and dur < lay.mutu["duration"]:
                shift = lay.mutu["duration"] - dur
                mutu_start = dur - (lay.mutu["duration"] - lay.first_mutu)
                self.warnings.append(
                    ReaderWarning(
                        f"Baris {i + 1}: sel lebih sedikit dari kepala tabel; Mutu Baku diluruskan",
                        code="row-realigned",
                        line=i + 1,
                    )
                )
        for j in range(lay.activity_col + 1, len(cells)):
            col = j + shift if j >= mutu_start else j
            if cells[j]:
                mapped[col] = f"{mapped[col]} {cells[j]}" if col in mapped else cells[j]
        marks: dict[str, str] = {}
        if lay.role_text_col is not None:
            for name in roles_in_text(mapped.get(lay.role_text_col, "")):
                marks[name] = name
                if name not in self.text_roles:
                    self.text_roles.append(name)
        for col, role in lay.role_cols.items():
            if col < lay.first_mutu and mapped.get(col):
                mark = _mark(mapped[col])
                marks[role] = f"{marks[role]} {mark}" if role in marks else mark
        fields = {k: mapped.get(c, "") for k, c in lay.mutu.items()}
        extra = [v for c, v in sorted(mapped.items()) if c >= width and c not in lay.mutu.values()]
        if extra:
            fields["notes"] = " ".join([fields.get("notes", ""), *extra]).strip()
        row = RawRow(
            number=number,
            activity=activity,
            marks=marks,
            requirements=fields.get("requirements", ""),
            duration=fields.get("duration", ""),
            output=fields.get("output", ""),
            notes=fields.get("notes", ""),
            line=i + 1,
        )
        prev = self.rows[-1] if self.rows else None
        continuation = (
            number is None and prev is not None and (not activity or activity[:1].islower())
        )
        if continuation and prev is not None:
            self.rows[-1] = merge_rows(prev, row)
            return
        if not activity and number is None:
            self.warnings.append(
                ReaderWarning(f"Baris {i + 1} tidak berisi kegiatan", "line-unused", i + 1)
            )
            return
        self.rows.append(row)


def _without_trailing_bare(rows: list[RawRow], warnings: list[ReaderWarning]) -> list[RawRow]:
    """``rows`` without the unnumbered rows after the table's last numbered step that carry
    nothing a step has besides text in the first columns: no symbol in a role column, no Mutu
    Baku cell, no Keterangan.

    Why: what a Word or HTML page has under the table reaches the tab text as rows too: the
    signature block ("Mengetahui, / Kepala Dinas ... / NIP ...") or an identity block typed
    after the table. Read as rows, each line became a step. A real last step without a number
    still has its Mutu Baku cells or its symbol, so it stays."""
    if not any(r.number is not None for r in rows):
        return rows
    end = len(rows)
    while end and _bare(rows[end - 1]):
        end -= 1
    for row in rows[end:]:
        warnings.append(
            ReaderWarning(
                f"Baris {row.line}: di bawah tabel, bukan langkah (tanda tangan atau identitas) "
                "/ below the table, not a step",
                "line-unused",
                row.line,
            )
        )
    return rows[:end]


def _bare(row: RawRow) -> bool:
    return row.number is None and not row.marks and not (
        row.requirements or row.duration or row.output or row.notes
    )


def prepare(text: str) -> str:
    """Normalise line ends and clean HTML fragments, keeping tabs and line numbers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if has_html(text) or "&" in text:
        text = clean_html(text)
    return text


def sniff(text: str) -> float:
    """How much the text looks like tab-separated SOP table text."""
    lines = text.split("\n")
    tabbed = sum(1 for ln in lines if ln.count("\t") >= 2)
    if not tabbed:
        return 0.0
    if find_header(lines) is not None:
        return 0.9
    numbered = sum(1 for ln in lines if re.match(r"^\s*\d{1,3}[.)]?\t\s*\S", ln))
    return 0.4 if numbered >= 2 else min(0.2, tabbed / max(len(lines), 1))


def read(text: str) -> RawDocument:
    """Read tab-separated SOP text into a :class:`RawDocument` (see the module docstring)."""
    lines = prepare(text).split("\n")
    start = find_header(lines)
    if start is None:
        return _read_headerless(lines)
    reader = _TableReader(lines, start)
    lay, rows = reader.read()
    pre, title = take_table_title(lines[:start])
    header = parse_header(pre)
    identity = header.identity
    if not identity.name and title:
        identity = dataclasses.replace(identity, name=title)
    if not rows:
        raise ConversionError("Tabel SOP ditemukan tetapi tidak berisi langkah (no steps)")
    return header.document(
        "tabbed",
        rows,
        [*header.warnings, *reader.warnings],
        roles=list(lay.roles) or list(reader.text_roles),
        identity=identity,
    )


def _read_headerless(lines: list[str]) -> RawDocument:
    """Numbered tab rows without a recognisable header: number and activity only."""
    rows: list[RawRow] = []
    first = None
    for i, line in enumerate(lines):
        cells = [_cell(c) for c in line.split("\t")]
        if len(cells) >= 2 and (m := _STEP_NO_RE.match(cells[0])) and cells[1]:
            first = i if first is None else first
            rest = [c for c in cells[2:] if c]
            rows.append(RawRow(int(m.group(1)), cells[1], notes=" | ".join(rest), line=i + 1))
    if len(rows) < 2 or first is None:
        raise ConversionError(
            "Bukan dokumen SOP: tidak ada kepala tabel Kegiatan/Uraian/Aktivitas "
            "maupun langkah bernomor (not an SOP)"
        )
    header = parse_header(lines[:first])
    return header.document(
        "tabbed",
        rows,
        [
            *header.warnings,
            ReaderWarning(
                "Kepala tabel tidak ditemukan: kolom pelaksana dan Mutu Baku tidak terbaca",
                code="no-header",
            ),
        ],
    )


__all__ = ["TableColumns", "find_header", "layout_from_header", "normalise_role", "prepare",
           "read", "sniff"]  # fmt: skip
