"""A flipbook's "basic HTML" page text: every text box of the page on its own lines.

Online flipbooks (the viewers that publish a signed SOP PDF as a page-turning book) offer a
"basic HTML" version of each page: the page's text boxes one after the other, each wrapped at
the width of its box. No position survives and nothing separates the cells, but the order is
the table's own: the header titles, the Pelaksana column titles, then per row the number, the
activity, the branch labels of a diamond, Kelengkapan, Waktu, Output and Keterangan. Narrow
boxes cut words ("Kelengkap" / "an", "Tida" / "k"), so the reader

* finds the header by joining up to four consecutive lines into a known title (with or without
  a space), and takes the lines between the titles that are not titles as the role columns,
  a new role starting at each jabatan word;
* anchors rows on the lines holding only the next step number;
* takes the activity as the first line and every line that continues it (the previous line was
  too full for its first word, and the text reads on), skips branch labels (words of the
  activity's "jika ..." clauses or the usual yes/no words, cut or not), takes the Waktu as the
  lines that read as a duration, what stands before it as the Kelengkapan, and what follows it
  as the Output and then the Keterangan (a line that starts with a capital after a complete
  one starts the Keterangan).
"""

from __future__ import annotations

import re

from converters.model import ConversionError, ReaderWarning
from converters.reading.durations import parse_duration
from converters.reading.header import parse_header
from converters.reading.raw import RawDocument, RawRow, warn_missing_activity
from converters.reading.vocabulary import (
    ACTIVITY_TITLE,
    JABATAN_KINDS,
    MUTU_GROUP_TITLE,
    NOTES_OPENERS,
    NUMBER_TITLE,
    OTHER_COLUMN_HEADS,
    PAGE_MARKER,
    PELAKSANA_TITLE,
    WAKTU_NO_TIME,
    mutu_kind,
    mutu_titles,
    time_unit_pattern,
)

FORMAT = "flipbook"

_PAGE = re.compile(r"^(?:p\s*:\s*\d+|-\s*\d+\s*-)$", re.I)
_NUMBER = re.compile(r"^(\d{1,2})\.?$")
_INDEX_CELL = re.compile(r"^\(\d{1,2}\)$")
_NO_TITLE = re.compile(rf"^(?:{NUMBER_TITLE})$", re.I)
_ACTIVITY = re.compile(rf"^(?:{ACTIVITY_TITLE})$", re.I)
_PELAKSANA = re.compile(rf"^(?:{PELAKSANA_TITLE})$", re.I)
_MUTU_GROUP = re.compile(rf"^(?:{MUTU_GROUP_TITLE})$", re.I)
_MUTU = re.compile(
    rf"^(?:{mutu_titles()})\.?(?:\s*/\s*(?:{mutu_titles('requirements')}))*$", re.I
)
_YES_NO = ("ya", "tidak", "y", "t", "ada", "tidak ada", "setuju", "tidak setuju", "sesuai",
           "tidak sesuai", "lengkap", "tidak lengkap", "belum sesuai")
_JIKA = re.compile(r"\bjika\s+(\w+(?:\s+\w+)?)", re.I)
_FUNCTION_END = re.compile(
    r"\b(?:kepada|ke|dan|atau|untuk|dengan|yang|di|dari|oleh|bersama|serta|beserta|jika"
    r"|kemudian|langkah|melalui|dalam|pada|sesuai)$",
    re.I,
)
_UNIT_WORD = re.compile(rf"^(?:{time_unit_pattern(abbreviations=True)}|kerja)\b", re.I)
_MAX_TITLE_PIECES = 4
_LABEL_PIECE = 6  # branch labels stand in a diamond: their boxes are narrow


def _head_words() -> tuple[str, ...]:
    words: list[str] = []
    for kind in JABATAN_KINDS:
        for spelling in kind.spellings.split("|"):
            word = spelling.strip().split(" ")[0]
            if len(word) >= 2 and word not in words:
                words.append(word)
    return (*words, *OTHER_COLUMN_HEADS)


_HEADS = _head_words()
_NAME_GOES_ON = frozenset({"kepala", "sub", "ketua", "kuasa", "pejabat"})
"""Last words of a line after which a capitalised line still belongs to the same name."""


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    for n, raw in enumerate(text.replace("\f", "\n").splitlines(), 1):
        line = " ".join(raw.split())
        if line and not _PAGE.match(line) and not PAGE_MARKER.match(line):
            out.append((n, line))
    return out


def _title_kind(text: str) -> str | None:
    if _NO_TITLE.match(text):
        return "no"
    if _ACTIVITY.match(text):
        return "activity"
    if _PELAKSANA.match(text):
        return "pelaksana"
    if _MUTU_GROUP.match(text):
        return "mutu"
    if _MUTU.match(text):
        return mutu_kind(text)
    return None


def _title_at(lines: list[tuple[int, str]], i: int) -> tuple[str, int] | None:
    """The header title that starts at line ``i`` and how many lines it takes, longest
    first (a cut word is joined without a space, whole words with one)."""
    for j in range(min(_MAX_TITLE_PIECES, len(lines) - i), 0, -1):
        parts = [t for _, t in lines[i : i + j]]
        for joined in ("".join(parts), " ".join(parts)):
            kind = _title_kind(joined)
            if kind is not None:
                return kind, j
    return None


def _header(lines: list[tuple[int, str]]) -> tuple[int, int, list[str]] | None:
    """(first header line, first body line, role titles) of the table, or None."""
    for start in range(len(lines)):
        found = _title_at(lines, start)
        if found is None or found[0] not in ("no", "activity"):
            continue
        kinds: set[str] = set()
        roles: list[str] = []
        i = start
        while i < len(lines):
            text = lines[i][1]
            if _NUMBER.match(text):
                break
            hit = _title_at(lines, i)
            if hit is not None and hit[0] == "pelaksana" and (roles or kinds & {"pelaksana",
                                                                               "mutu"}):
                # a role named Pelaksana (Jabatan Pelaksana): the group title comes before the
                # role names, once; its lines join as every role's do (_group_roles)
                roles.extend(t for _, t in lines[i : i + hit[1]])
                i += hit[1]
                continue
            if hit is not None:
                kinds.add(hit[0])
                i += hit[1]
                continue
            if _INDEX_CELL.match(text):
                i += 1
                continue
            if "activity" in kinds and not kinds & {"requirements", "duration", "output"}:
                roles.append(text)
            elif len(kinds) < 2:
                break
            i += 1
        if "activity" in kinds and len(kinds & {"requirements", "duration", "output",
                                                 "notes"}) >= 2:
            return start, i, _group_roles(roles)
    return None


def _starts_role(piece: str) -> bool:
    word = piece.split(" ")[0].lower().strip(".,")
    return any(h == word or (len(word) >= 4 and h.startswith(word)) for h in _HEADS)


def _group_roles(pieces: list[str]) -> list[str]:
    """Role titles from the lines of the Pelaksana boxes: a new title at each jabatan word; a
    lower-case line after a full line is the rest of a word the box cut."""
    width = max((len(p) for p in pieces), default=0)
    roles: list[list[str]] = []
    for piece in pieces:
        if not roles or (_starts_role(piece) and not piece[0].islower()):
            roles.append([piece])
        elif piece[0].islower() and len(roles[-1][-1]) >= width:
            roles[-1][-1] += piece
        else:
            roles[-1].append(piece)
    return [" ".join(r) for r in roles]


def sniff(text: str) -> float:
    """How much ``text`` looks like a flipbook's basic HTML text of an SOP (0..1)."""
    if "\t" in text or ("<" in text[:2000] and ">" in text[:2000]):
        return 0.0
    raw = text.replace("\f", "\n").splitlines()
    lines = _lines(text)
    if len(lines) < 10:
        return 0.0
    wide = sum(1 for _, ln in lines if re.search(r"\S {3,}\S", ln))
    blank = sum(1 for ln in raw if not ln.strip())
    if wide > len(lines) / 20:
        return 0.0
    head = _header(lines[:400])
    if head is None:
        return 0.0
    numbers = sum(1 for _, ln in lines[head[1] :] if _NUMBER.match(ln))
    score = 0.5 + (0.2 if numbers >= 2 else 0.0) + (0.1 if blank < len(raw) / 10 else 0.0)
    return round(score, 3)


def _fits(prev: str, nxt: str, width: int) -> bool:
    """Whether ``nxt``'s first word would have fitted on ``prev``'s line of ``width``."""
    return len(prev) + 1 + len(nxt.split(" ")[0]) <= width


def _continues(prev: str, nxt: str, width: int) -> bool:
    """Whether line ``nxt`` is the rest of the cell whose last line is ``prev``."""
    if nxt[0].islower() or nxt[0] in ",.;:)/-":
        return True
    if _fits(prev, nxt, width):
        return False
    last = prev.split(" ")[-1].lower()
    return bool(_FUNCTION_END.search(prev)) or last in _NAME_GOES_ON or _acronym(nxt)


def _acronym(text: str) -> bool:
    word = text.split(" ")[0]
    return len(word) >= 2 and word.isupper()


def _join(parts: list[str], width: int = 0) -> str:
    out = ""
    for p in parts:
        if out and p[:1].islower() and " " not in out.split("\n")[-1] and len(out) >= width > 0:
            out += p  # a word longer than the box, cut
        else:
            out = f"{out} {p}" if out else p
    return out


def _labels(activity: str) -> list[str]:
    words = [m.group(1).lower() for m in _JIKA.finditer(activity)]
    found = [*words, *(w.split(" ")[0] for w in words), *_YES_NO]
    return sorted({w.replace(" ", "") for w in found}, key=len, reverse=True)


def _skip_labels(pieces: list[str], activity: str) -> list[str]:
    """``pieces`` without the branch labels that stand first (cut or not)."""
    if not _JIKA.search(activity):
        return pieces
    labels = _labels(activity)
    i, taken = 0, 0
    while i < len(pieces) and taken < 2:
        for j in range(min(_MAX_TITLE_PIECES, len(pieces) - i), 0, -1):
            run = pieces[i : i + j]
            if any(len(p) > _LABEL_PIECE for p in run):
                continue
            if "".join(run).replace(" ", "").lower() in labels:
                i += j
                taken += 1
                break
        else:
            break
    return pieces[i:]


def _minutes(text: str) -> int | None:
    return parse_duration(text).max_minutes


def _meaning(text: str) -> tuple[object, ...]:
    d = parse_duration(text)
    return d.min_minutes, d.max_minutes, d.working_days


def _waktu_span(pieces: list[str]) -> tuple[int, int] | None:
    """Where the Waktu cell stands among ``pieces``: the first line that reads as a duration
    (alone or with the next line), with the lines that add to it."""
    for i, piece in enumerate(pieces):
        pair = " ".join(pieces[i : i + 2])
        if WAKTU_NO_TIME.match(piece) or WAKTU_NO_TIME.match(pair):
            return i, i + (1 if WAKTU_NO_TIME.match(piece) else 2)
        if _minutes(piece) is None and not (piece[:1].isdigit() and _minutes(pair)):
            continue
        j = i + 1
        while j < len(pieces):
            run, nxt = " ".join(pieces[i:j]), pieces[j]
            if not (nxt[:1].islower() or _UNIT_WORD.match(nxt)
                    or _meaning(f"{run} {nxt}") != _meaning(run)):
                break
            j += 1
        return i, j
    return None


def _cell_end(pieces: list[str], width: int) -> int:
    """How many of ``pieces`` make the first cell. A capitalised line joins a one-word cell
    when it could not have stood on its line ("Surat" / "Edaran") and does not itself start
    a cell of several lines."""
    k = 1
    while k < len(pieces):
        prev, nxt = pieces[k - 1], pieces[k]
        if _continues(prev, nxt, width):
            k += 1
            continue
        one_word = " " not in " ".join(pieces[:k])
        starts_cell = k + 1 < len(pieces) and pieces[k + 1][:1].islower()
        if one_word and not _fits(prev, nxt, width) and not starts_cell and not _remark(nxt):
            k += 1
            continue
        break
    return k


def _remark(text: str) -> bool:
    return text.split(" ")[0].lower() in NOTES_OPENERS


def _split_cells(pieces: list[str], width: int) -> list[str]:
    cells = []
    while pieces:
        cut = _cell_end(pieces, width)
        cells.append(_join(pieces[:cut], width))
        pieces = pieces[cut:]
    return cells


def _row(number: int, line: int, pieces: list[str], act_width: int, mutu_width: int) -> RawRow:
    act_end = 1 if pieces else 0
    while act_end < len(pieces) and (
        _continues(pieces[act_end - 1], pieces[act_end], act_width)
        or (len(pieces[act_end]) > act_width // 2
        and not _fits(pieces[act_end - 1], pieces[act_end], act_width))
    ):
        act_end += 1
    activity = _join(pieces[:act_end])
    rest = _skip_labels(pieces[act_end:], activity)
    row = RawRow(number=number, activity=activity, line=line)
    span = _waktu_span(rest)
    if span is None:  # no Waktu: the cells in their order
        cells = _split_cells(rest, mutu_width)
        if len(cells) > 3:
            cells = [*cells[:2], " ".join(cells[2:])]
        for name, cell in zip(("requirements", "output", "notes"), cells, strict=False):
            setattr(row, name, cell)
        return row
    row.requirements = _join(rest[: span[0]], mutu_width)
    row.duration = re.sub(r"(/\w*) (?=[a-z])", r"\1", _join(rest[span[0] : span[1]]))
    after = rest[span[1] :]
    if after:
        cut = 0 if _remark(after[0]) else _cell_end(after, mutu_width)
        row.output = _join(after[:cut], mutu_width)
        row.notes = _join(after[cut:], mutu_width)
    return row


def read(text: str) -> RawDocument:
    """Read a flipbook's basic HTML page text into a :class:`RawDocument`."""
    lines = _lines(text)
    head = _header(lines)
    if head is None:
        raise ConversionError("Tabel SOP tidak ditemukan dalam teks flipbook (no table header)")
    start, body_at, roles = head
    header = parse_header([t for _, t in lines[:start]])
    starts: list[tuple[int, int]] = []  # (index in lines, number)
    expected = 1
    for i in range(body_at, len(lines)):
        m = _NUMBER.match(lines[i][1])
        if m and int(m.group(1)) == expected and i + 1 < len(lines):
            starts.append((i, expected))
            expected += 1
    if not starts:
        raise ConversionError("Tabel SOP ditemukan tetapi tidak berisi langkah (no steps)")
    chunks = []
    for k, (i, number) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        chunks.append((number, lines[i][0], [t for _, t in lines[i + 1 : end]]))
    act_width = max((len(p) for _, _, ps in chunks for p in ps), default=40)
    # the Mutu Baku boxes are the narrow ones; an activity's last line is sometimes short too,
    # so their width is a high quantile of the short lines rather than the widest
    short = sorted(len(p) for _, _, ps in chunks for p in ps[1:] if len(p) <= act_width // 2)
    mutu_width = short[int(len(short) * 0.85)] if short else 12
    warnings: list[ReaderWarning] = []
    rows = []
    for number, line, pieces in chunks:
        row = _row(number, line, pieces, act_width, mutu_width)
        warn_missing_activity(row, warnings)
        rows.append(row)
    return header.document(FORMAT, rows, [*header.warnings, *warnings], roles=roles)


__all__ = ["FORMAT", "read", "sniff"]
