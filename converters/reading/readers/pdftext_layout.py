"""Reader for ``pdftotext -layout`` text: table columns lined up with spaces.

The flowchart symbols of a signed PDF are vector drawings, so the text keeps only what was
written: the column headers, the cell texts (wrapped over several lines) and the labels that
float among the role columns ("Ya", "Tidak", "Sesuai?"). The reader finds the header lines,
builds each column's x-range from the positions of its title, and gives every piece of the body
to the column it sits in and to the row whose number is nearest (cells are either centred on the
row's number or start on its line; the reader tells which from the text); the branch labels of
one diamond, which the text often splits over two rows, are given back to one row. Pages that
continue the table without repeating the header reuse the last column ranges. The identity block
and the side-by-side header sections of page 1 are split by x before the shared header parser
sees them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from converters.model import ConversionError, ReaderWarning
from converters.reading.evidence import split_label
from converters.reading.header_layout import FOOTER, read_layout_header
from converters.reading.raw import RawDocument, RawRow, warn_missing_activity
from converters.reading.readers.textgrid import (
    Chunk,
    Column,
    boundaries,
    chunks,
    column_of,
    header_columns,
    split_words,
)
from converters.reading.vocabulary import (
    MUTU_GROUP_TITLE,
    PELAKSANA_TITLE,
    WAKTU_VALUE,
    mutu_titles,
)

FORMAT = "layout"

_ACTIVITY = re.compile(r"^(kegiatan|aktivitas(\s*/\s*kegiatan)?|uraian(\s+(prosedur|kegiatan))?)$")
# whole header cells: the titles of home-made tables count too
_REQUIREMENTS = re.compile(mutu_titles("requirements", other=True))
_DURATION = re.compile(rf"^(?:{mutu_titles('duration', other=True)})$")
_OUTPUT = re.compile(rf"^(?:{mutu_titles('output', other=True)})$")
_NOTES = re.compile(rf"^(?:{mutu_titles('notes', other=True)})\.?$")
_NUMBER_COL = re.compile(r"^no\.?$")
_GROUP = re.compile(rf"^(?:{PELAKSANA_TITLE}|{MUTU_GROUP_TITLE})$")
_MUTU_GROUP = re.compile(rf"^(?:{MUTU_GROUP_TITLE})$")
_PELAKSANA = re.compile(rf"^(?:{PELAKSANA_TITLE})$")
_KEYWORD = re.compile(
    r"^(no\.?|kegiatan|aktivitas(\s*/\s*kegiatan)?|uraian(\s+(prosedur|kegiatan))?"
    rf"|{PELAKSANA_TITLE}|{MUTU_GROUP_TITLE}"
    rf"|(?:{mutu_titles(other=True)})\.?(?:\s*/?\s*(?:{mutu_titles('requirements')}))?\s*/?)$"
)
_ROW_NUMBER = re.compile(r"^(\d{1,3})\.?$")
_ROW_NUMBER_PREFIX = re.compile(r"^(\d{1,3})\.?\s+(?=\S)")
_INDEX_CELL = re.compile(r"^\(?\d{1,2}\)?$")
_BULLET = re.compile(r"^[\u2022\u25cf\-*]\s*")
_PAGE_GAP = 4  # blank lines put between pages so no cell run crosses a page break
_HEADER_REACH = 8  # lines a header with wrapped titles may span, group titles included
_DOWN_ARROW = 1.5  # lines a label hangs below its diamond beyond what it could stand above:
# the downward arrow that carries it is longer than the diamond's upper half
_WRAP_REACH = 3  # lines a wrapped "24" may stand below its sentence (less than _PAGE_GAP)


def _is_label(text: str) -> bool:
    """A branch label or a diamond's question standing alone ("Ya", "Tidak lengkap",
    "Sesuai?"): the one vocabulary of :func:`split_label`, so a label style the drawn reader
    knows is known here too."""
    return split_label(text)[0] in ("yes", "no", "question")


def sniff(text: str) -> float:
    """How much ``text`` looks like ``pdftotext -layout`` output (0..1)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return 0.0
    wide = sum(1 for ln in lines if re.search(r"\S {4,}\S", ln))
    pipes = sum(ln.count("|") for ln in lines)
    tabs = text.count("\t")
    all_lines = text.replace("\f", "\n").split("\n")
    header = any(
        _find_header(all_lines, i) is not None
        for i, ln in enumerate(all_lines[:400])
        if re.search(r"kegiatan|aktivitas|uraian|pelaksana|mutu", ln, re.I)
    )
    score = min(1.0, wide / max(1, len(lines)) * 1.5)
    score = 0.5 * score + (0.4 if header else 0.0) + (0.1 if "\f" in text else 0.0)
    if pipes > len(lines) / 4 or tabs > len(lines) / 4:
        score *= 0.3
    return round(min(1.0, score), 3)


@dataclass
class _Grid:
    """Column ranges of the table, as read from a header."""

    titles: list[str]
    kinds: list[str]  # "activity", "role", "requirements", "duration", "output", "notes"
    cuts: list[float]
    activity_x: int
    centers: list[float] = field(default_factory=list)

    def kind_of(self, x: float) -> tuple[int, str]:
        i = column_of(x, self.cuts)
        return i, self.kinds[i]


@dataclass
class _Piece:
    line: int  # index in the body line list
    col: int
    kind: str
    text: str


@dataclass
class _Body:
    lines: list[int] = field(default_factory=list)  # original 1-based line numbers
    pieces: list[_Piece] = field(default_factory=list)
    numbers: list[tuple[int, int]] = field(default_factory=list)  # (body line, step number)
    page_breaks: list[int] = field(default_factory=list)
    headed: list[int] = field(default_factory=list)  # body line after each repeated header
    text_x: dict[int, int] = field(default_factory=dict)  # body line -> x of its activity text
    number_x: list[int] = field(default_factory=list)  # x of every row number taken so far


_TITLE_WORD = re.compile(rf"(?<![\w/])(?:{mutu_titles()})[\w/]*", re.IGNORECASE)
_WAKTU_TITLE = re.compile(rf"(?<!\w)(?:{mutu_titles('duration')})(?!\w)", re.IGNORECASE)


def columns_touch(text: str) -> bool:
    """Whether the text's columns fail to part its cells: on the header line with the Waktu
    title (a line laid out by spaces), two Mutu Baku titles stand one space apart
    ("Kelengkapan Waktu Output"). A tool that places words on a character grid of its own
    (pdfplumber's ``layout=True``) squeezes narrow columns together, so a row's cells run
    into each other as in a plain text; a ``pdftotext -layout`` text always keeps two
    spaces between columns."""
    for line in text.split("\n"):
        if not _WAKTU_TITLE.search(line) or "\t" in line or "|" in line or "    " not in line:
            continue  # not a line laid out in columns
        titles = list(_TITLE_WORD.finditer(line))
        if any(b.start() - a.end() < 2 for a, b in itertools.pairwise(titles)):
            return True
    return False


def read(text: str) -> RawDocument:
    """Read ``pdftotext -layout`` text into a :class:`RawDocument`.

    A text whose columns touch (:func:`columns_touch`) is not read by position: its lines,
    spaces collapsed, are plain text lines, read by whichever reader fits them best."""
    if columns_touch(text) and re.search(r"\S {4,}\S", text):
        from converters.reading.readers import read_text

        plain = (re.sub(r"[ \t]+", " ", ln).strip(" \t") for ln in text.split("\n"))
        return read_text("\n".join(ln for ln in plain if ln))
    lines, pages = _split_pages(text)
    first = None
    for i in range(len(lines)):
        first = _find_header(lines, i)
        if first is not None:
            break
    if first is None:
        raise ConversionError(
            "Tabel SOP tidak ditemukan: tidak ada baris judul kolom (Kegiatan, Pelaksana, "
            "Mutu Baku) / no SOP table header found"
        )
    start, end, grid = first
    grid = _refine(grid, _page_lines(lines, pages, end) if end < len(lines) else [])
    warnings: list[ReaderWarning] = []
    pre = read_layout_header(lines[:start], name_around_label=True)
    warnings.extend(pre.warnings)
    body = _collect_body(lines, pages, end, grid, warnings)
    rows = _rows(body, grid, warnings)
    if not any(r.number is not None for r in rows):
        raise ConversionError(
            "Tabel SOP tidak berisi langkah bernomor / the SOP table has no steps"
        )
    roles = [t for t, k in zip(grid.titles, grid.kinds, strict=True) if k == "role"]
    return pre.document(FORMAT, rows, warnings, roles=roles)


# -- pages and header ---------------------------------------------------------------------------


def _split_pages(text: str) -> tuple[list[str], list[int]]:
    """Lines without form feeds, plus the page index of each line."""
    lines: list[str] = []
    pages: list[int] = []
    page = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        while raw.startswith("\f"):
            page += 1
            raw = raw[1:]
        extra = raw.count("\f")
        lines.append(raw.replace("\f", ""))
        pages.append(page)
        page += extra
    return lines, pages


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().strip(":").strip()).lower()


def _is_keyword(chunk: Chunk) -> bool:
    return bool(_KEYWORD.match(_norm(chunk.text)))


def _find_header(lines: list[str], i: int) -> tuple[int, int, _Grid] | None:
    """If a table header starts at line ``i``: (first line, line after it, grid)."""
    if i >= len(lines) or not any(_is_keyword(c) for c in chunks(lines[i])):
        return None
    window = range(i, min(len(lines), i + 6))
    if not any(any(_ACTIVITY.match(_norm(c.text)) for c in chunks(lines[j])) for j in window):
        return None
    last_kw = i
    act_x = min(c.x for j in window for c in chunks(lines[j]) if _ACTIVITY.match(_norm(c.text)))
    # Header cells wrap over up to three lines under the group titles ("Pelaksana" / blank /
    # "Ketua Tim" / "Metodologi dan" / "Analisis Statistik"), so keyword lines may reach past
    # the activity title's window; there the header has surely ended if a numbered index row
    # "(1) (2) ..." or a numbered row came first, whose wrapped text may hold a keyword
    # ("kegiatan", "Pelaksana").
    ended = False
    for j in range(i, min(len(lines), i + _HEADER_REACH)):
        cs = chunks(lines[j])
        if any(_ROW_NUMBER.match(c.text) and c.x < 12 for c in cs):
            break
        ended = ended or _index_row(cs) or _numbered_row(cs, act_x)
        if j >= window.stop and ended:
            break
        if any(_is_keyword(c) for c in cs):
            last_kw = j
    pieces: list[Chunk] = []
    mutu_title: Chunk | None = None
    rows = [chunks(lines[j], j) for j in range(i, last_kw + 1)]
    for r, row in enumerate(rows):
        for c in row:
            if not _GROUP.match(_norm(c.text)) or _pelaksana_role(c, row, rows[r + 1:]):
                pieces.append(c)
            elif _MUTU_GROUP.match(_norm(c.text)):
                mutu_title = c
    pieces = [p for p in pieces if not _INDEX_CELL.match(p.text)]
    cols = header_columns(pieces)
    grid = _grid(cols, mutu_title)
    if grid is None:
        return None
    end = last_kw + 1
    # Role titles on the lines under the last keyword line ("Pengguna" / "Layanan").
    kinds = _kinds(cols)
    act = next(c for c, k in zip(cols, kinds, strict=True) if k == "activity")
    mutu_x = min(
        (c.x for c, k in zip(cols, kinds, strict=True) if k in _MUTU and c.x > act.end),
        default=10**6,
    )
    while end < len(lines):
        cs = chunks(lines[end], end)
        if not cs:
            break
        inside = all(c.x > act.end + 2 and c.end <= mutu_x for c in cs)
        if inside and not any(_ROW_NUMBER.match(c.text) or _is_label(c.text) for c in cs):
            pieces.extend(cs)
            end += 1
            continue
        break
    if end > last_kw + 1:
        grid = _grid(header_columns(pieces), mutu_title)
        if grid is None:
            return None
    # A numbered index row "(1) (2) ... (8)" or "1 2 3 ... 10" right under the header.
    while end < len(lines):
        cs = chunks(lines[end])
        if not cs:
            end += 1
            continue
        if _index_row(cs):
            end += 1
        break
    return i, end, grid


def _pelaksana_role(c: Chunk, line: list[Chunk], below: list[list[Chunk]]) -> bool:
    """A "Pelaksana" that names a role (Jabatan Pelaksana), not the title over the roles: it
    stands among role names on its line and no header text stands under it (the title spans
    the role names on the lines below)."""
    if not _PELAKSANA.match(_norm(c.text)):
        return False
    named = [o for o in line if o is not c and not _is_keyword(o) and not _INDEX_CELL.match(
        o.text)]
    return bool(named) and not any(c.overlaps(o) for row in below for o in row)


def _index_row(cs: list[Chunk]) -> bool:
    """A numbered index row under the header: "(1) (2) ... (8)" or "1 2 3 ... 10"."""
    cells = [w for c in cs for w in c.text.split()]
    return len(cells) >= 3 and all(_INDEX_CELL.match(w) for w in cells)


def _numbered_row(cs: list[Chunk], activity_x: int) -> bool:
    """The line starts with a row number left of the activity column."""
    return bool(cs) and cs[0].x < activity_x and bool(
        _ROW_NUMBER.match(cs[0].text) or _ROW_NUMBER_PREFIX.match(cs[0].text))


def _kinds(cols: list[Column]) -> list[str]:
    kinds = []
    for c in cols:
        t = _norm(c.title)
        if _NUMBER_COL.match(t):
            kinds.append("number")
        elif _ACTIVITY.match(t) or t.startswith(("kegiatan", "aktivitas", "uraian")):
            kinds.append("activity")
        elif _REQUIREMENTS.search(t):
            kinds.append("requirements")
        elif _DURATION.match(t):
            kinds.append("duration")
        elif _OUTPUT.match(t):
            kinds.append("output")
        elif _NOTES.match(t):
            kinds.append("notes")
        else:
            kinds.append("role")
    return kinds


def _grid(cols: list[Column], mutu_title: Chunk | None = None) -> _Grid | None:
    kinds = _kinds(cols)
    if "activity" not in kinds or not ({"duration", "output"} & set(kinds)):
        return None
    if mutu_title is not None:
        kinds = _mutu_group(cols, kinds, mutu_title)
    keep = [(c, k) for c, k in zip(cols, kinds, strict=True) if k != "number"]
    a = next(i for i, (_, k) in enumerate(keep) if k == "activity")
    keep = keep[a:]
    # Anything between the activity column and the first Mutu Baku column is a role column;
    # unknown titles right of the Mutu Baku block are notes.
    first_mutu = next(
        (i for i, (_, k) in enumerate(keep) if k in ("requirements", "duration", "output")),
        len(keep),
    )
    fixed = []
    for i, (c, k) in enumerate(keep):
        if k == "role" and i > first_mutu:
            k = "notes"
        fixed.append((c, k))
    columns = [c for c, _ in fixed]
    return _Grid(
        titles=[_clean_title(c.title) for c in columns],
        kinds=[k for _, k in fixed],
        cuts=boundaries(columns),
        activity_x=columns[0].x,
        centers=[c.center for c in columns],
    )


_MUTU = ("requirements", "duration", "output", "notes")


def _mutu_group(cols: list[Column], kinds: list[str], title: Chunk) -> list[str]:
    """The unknown title under the "Mutu Baku" group title is its first column, not a role.

    The form's Mutu Baku block opens with the requirements column, which tables title in
    their own words ("Input", "Bahan"); a title no vocabulary knows would otherwise become a
    role. The group title is centred over its columns, so the block reaches as far left of the
    title's centre as its last column reaches right of it: the one unknown column just left of
    the first known Mutu Baku column joins the block when its centre lies inside that reach.
    Only when the block has no requirements column yet and another role column stays left of
    it: the table keeps at least one role.
    """
    if "requirements" in kinds:
        return kinds
    known = [i for i, k in enumerate(kinds) if k in ("duration", "output")]
    if not known or known[0] == 0 or kinds[known[0] - 1] != "role":
        return kinds
    last = known[-1]
    right = cols[last + 1].x if last + 1 < len(cols) else cols[last].end
    right = min(right, cols[last].end + (cols[last].end - cols[last].x))
    left = 2 * title.center - right
    cand = known[0] - 1
    if cols[cand].center <= left or cand == 0 or kinds[cand - 1] != "role":
        return kinds
    out = list(kinds)
    out[cand] = "requirements"
    return out


def _refine(grid: _Grid, body: list[str]) -> _Grid:
    """Move each cut between two Mutu Baku columns into the gutter of the body text.

    Titles are centred over their columns but the cells are often left-aligned and wide
    (a long Keterangan under a short "Ket"), so halfway between titles can fall inside a
    cell. The gutter is the x between the two title centres that the fewest body lines
    have text at; ties keep the cut nearest to the halfway point.
    """
    width = max((len(ln) for ln in body), default=0)
    ink = [0] * (width + 1)
    for ln in body[:400]:
        for x, ch in enumerate(ln):
            if ch not in " \f":
                ink[x] += 1
    cuts = list(grid.cuts)
    edges = _left_edges(body[:400], grid.cuts[0]) if grid.cuts else []
    for i, cut in enumerate(cuts):
        if grid.kinds[i + 1] not in _MUTU or grid.kinds[i] == "activity":
            continue
        lo, hi = int(grid.centers[i]) + 1, int(grid.centers[i + 1])
        if hi <= lo or hi > width:
            continue
        # left-aligned cells: the next column starts where many of its lines start
        starts = [x for x, n in edges if lo < x <= hi]
        if starts:
            x = min(starts)  # indented lines start right of the column's edge, never left
            if ink[x - 1] <= ink[x] // 3:
                cuts[i] = x - 0.5
                continue
        if grid.kinds[i] not in _MUTU:
            continue  # role | Mutu Baku: only a clear text edge moves this cut
        # A frequent left edge without a clear gutter (tight cells, a Waktu value running up
        # to the next column) still bounds the cut: right of it, the cells starting there
        # would fall into the left column.
        right = min(starts) + 1 if starts else hi
        best = min(range(lo, right), key=lambda x: (ink[x], abs(x - cut)))
        cuts[i] = best + 0.5
    return _Grid(grid.titles, grid.kinds, cuts, grid.activity_x, grid.centers)


def _clean_title(title: str) -> str:
    """One space between words, none just inside brackets: a wrapped cell joined line by
    line leaves "(Approver )" where the PDF kept a space before the line break. A narrow
    header cell also wraps inside a word without a hyphen ("Koordinato" / "r Fungsi"): a lone
    lower-case letter after a word is the end of that word, as no jabatan word is one letter."""
    title = re.sub(r"\s+", " ", title).strip()
    title = re.sub(r"(?<=[A-Za-z]{3}) ([a-z])(?= |$)", r"\1", title)
    return re.sub(r"\s+\)", ")", re.sub(r"\(\s+", "(", title))


# -- body ------------------------------------------------------------------------------------


def _collect_body(
    lines: list[str], pages: list[int], start: int, grid: _Grid, warnings: list[ReaderWarning]
) -> _Body:
    body = _Body()
    page = pages[start] if start < len(pages) else 0
    i = start
    grid_lines = _page_lines(lines, pages, start) if start < len(lines) else []
    while i < len(lines):
        if pages[i] != page:
            page = pages[i]
            for _ in range(_PAGE_GAP):
                body.lines.append(0)
            body.page_breaks.append(len(body.lines))
            found = None
            for j in range(i, min(len(lines), i + 8)):
                if pages[j] != page:
                    break
                found = _find_header(lines, j)
                if found:
                    break
            if found:
                _, i, grid = found
                body.headed.append(len(body.lines))
                grid_lines = _page_lines(lines, pages, i) if i < len(lines) else []
                grid = _refine(grid, grid_lines)
                continue
            here = _page_lines(lines, pages, i)
            refit = _refit(grid, grid_lines, here)
            if refit is not grid:
                warnings.append(
                    ReaderWarning(
                        f"Halaman {page + 1} melanjutkan tabel dengan lebar kolom lain; kolom Mutu "
                        "Baku disesuaikan dari posisi teksnya / continuation page with other "
                        "column widths: Mutu Baku columns refitted",
                        code="columns-refitted",
                        line=i + 1,
                    )
                )
                grid, grid_lines = refit, here
        line = lines[i]
        i += 1
        if FOOTER.search(line.strip()):
            continue
        idx = len(body.lines)
        body.lines.append(i)  # i is now the 1-based number of the line just taken
        _take_line(line, idx, grid, body, page_top=_page_top(lines, pages, i - 1))
    return body


def _page_lines(lines: list[str], pages: list[int], i: int) -> list[str]:
    """The lines from ``i`` to the end of its page."""
    j = i
    while j < len(lines) and pages[j] == pages[i]:
        j += 1
    return [ln for ln in lines[i:j] if not FOOTER.search(ln.strip())]


def _left_edges(lines: list[str], after: float) -> list[tuple[int, int]]:
    """Frequent chunk start positions right of ``after``: (x, count), left to right."""
    counts: dict[int, int] = {}
    for ln in lines:
        for c in chunks(ln):
            if c.x > after and not _is_label(c.text) and not _ROW_NUMBER.match(c.text):
                counts[c.x] = counts.get(c.x, 0) + 1
    merged: list[tuple[int, int]] = []
    for x in sorted(counts):
        if merged and x - merged[-1][0] <= 2:
            px, pc = merged[-1]
            merged[-1] = (px if pc >= counts[x] else x, pc + counts[x])
        else:
            merged.append((x, counts[x]))
    return [(x, n) for x, n in merged if n >= 2]


def _straddles(grid: _Grid, lines: list[str]) -> int:
    """How badly ``lines`` fit the ranges: chunks crossing a Mutu Baku cut, text other than
    branch labels standing in role columns (Mutu Baku text pushed left), and Waktu values
    ("15 menit") outside the Waktu column (Mutu Baku text pushed right)."""
    first = next((i for i, k in enumerate(grid.kinds) if k in _MUTU), None)
    if first is None or first == 0:
        return 0
    cuts = grid.cuts[first - 1 :]
    bad = 0
    for ln in lines:
        for c in chunks(ln):
            if c.x <= grid.cuts[0]:
                continue
            kind = grid.kind_of(c.x)[1]
            crosses = any(c.x < cut < c.end - 1 for cut in cuts)
            in_role = kind == "role" and not _is_label(c.text)
            astray = (kind in _MUTU and kind != "duration" and "duration" in grid.kinds
                      and WAKTU_VALUE.fullmatch(c.text) is not None)
            bad += crosses or in_role or astray
    return bad


def _refit(grid: _Grid, before: list[str], here: list[str]) -> _Grid:
    """Column ranges for a continuation page that repeats no header but was laid out with
    other column widths (corpus 06). The Waktu values ("1 hari kerja") show where the Waktu
    column starts on this page; the frequent left edges of the text left and right of it
    give the Kelengkapan and the Output / Keterangan columns. The refit is kept unless the
    page's text fits the previous ranges better."""
    kinds = grid.kinds
    if "duration" not in kinds:
        return grid
    w = kinds.index("duration")
    starts: dict[int, int] = {}
    for ln in here:
        for m in WAKTU_VALUE.finditer(ln):
            if m.start() > grid.cuts[0]:
                starts[m.start()] = starts.get(m.start(), 0) + 1
    if not starts:
        return grid
    x_w = max(starts, key=lambda x: (starts[x], -x))
    found = _left_edges(here, grid.cuts[0])
    edges = [x for x, _n in found]
    cuts = list(grid.cuts)
    cuts[w - 1] = min(x_w, min(starts)) - 0.5
    # a Kelengkapan edge recurs row after row; a symbol's own words in a role column
    # ("Laporan" / "pekerjaan" / "selesai") start a few lines at one x, no more
    counted = [(x, n) for x, n in found if x < cuts[w - 1] - 2]
    most = max((n for _, n in counted), default=0)
    left = [x for x, n in counted if 2 * n > most]
    if w - 1 >= 1 and kinds[w - 1] == "requirements" and left:
        cuts[w - 2] = max(left) - 0.5 if len(left) == 1 else min(left) - 0.5
    right = [x for x in edges if x > x_w + 2]
    for k, i in enumerate(range(w, len(cuts))):
        if k < len(right):
            cuts[i] = right[k] - 0.5
    first_mutu = next(i for i, k in enumerate(kinds) if k in _MUTU)
    new_first, old_first = cuts[first_mutu - 1], grid.cuts[first_mutu - 1]
    if first_mutu >= 2 and new_first != old_first:
        scale = (new_first - grid.cuts[0]) / max(1.0, old_first - grid.cuts[0])
        for i in range(1, first_mutu - 1):
            cuts[i] = grid.cuts[0] + (grid.cuts[i] - grid.cuts[0]) * scale
    if any(b <= a for a, b in itertools.pairwise(cuts)):
        return grid
    refit = _Grid(grid.titles, grid.kinds, cuts, grid.activity_x, grid.centers)
    # on a tie the ranges measured on this page's own text win
    return refit if _straddles(refit, here) <= _straddles(grid, here) else grid


def _page_top(lines: list[str], pages: list[int], i: int) -> bool:
    """True when no text precedes line ``i`` on its page (a lone page number sits there)."""
    j = i - 1
    while j >= 0 and pages[j] == pages[i]:
        if lines[j].strip():
            return False
        j -= 1
    return True


def _take_line(line: str, idx: int, grid: _Grid, body: _Body, page_top: bool) -> None:
    cs = chunks(line)
    if not cs:
        return
    if page_top and len(cs) == 1 and _ROW_NUMBER.match(cs[0].text) and cs[0].x > grid.activity_x:
        return  # page number
    first = cs[0]
    if (first.x < grid.activity_x + 2 and not _wrapped_number(cs, idx, grid, body)
            and not _list_item(first, idx, body)):
        m = _ROW_NUMBER.match(first.text)
        if m:
            body.numbers.append((idx, int(m.group(1))))
            body.number_x.append(first.x)
            cs = cs[1:]
        else:
            m = _ROW_NUMBER_PREFIX.match(first.text)
            if m and first.x < grid.activity_x:
                body.numbers.append((idx, int(m.group(1))))
                body.number_x.append(first.x)
                rest = first.text[m.end() :]
                cs[0] = Chunk(first.end - len(rest), first.end, rest)
    mutu_cut = _mutu_cut(grid)
    taken: list[Chunk] = []  # this line's activity chunks so far
    for c in cs:
        col, kind = grid.kind_of(c.x)
        if kind == "role" and _justified_on(taken, c):
            col, kind = grid.kind_of(taken[0].x)
        if kind == "activity":
            taken.append(c)
            body.text_x.setdefault(idx, c.x)
            body.pieces.append(_Piece(idx, col, kind, c.text))
            continue
        if _is_label(c.text) and c.x < mutu_cut + 6 and (c.x >= mutu_cut or c.end > mutu_cut):
            # A branch label drawn just right of the last role column.
            col = max(i for i, k in enumerate(grid.kinds) if k == "role")
            body.pieces.append(_Piece(idx, col, "role", c.text))
            continue
        if c.x >= mutu_cut or c.end > mutu_cut:
            # Mutu Baku cells are sometimes one space apart: give each word its column, and
            # keep a Waktu value ("1 hari kerja") whole in the Waktu column it touches.
            ws = split_words(c)
            placed = []
            for w in ws:
                wc, wk = grid.kind_of(w.center)
                if wk == "role":
                    wc, wk = grid.kind_of(max(w.center, mutu_cut))
                placed.append((wc, wk))
            for a, b in _waktu_spans(ws):
                hit = [p for p in placed[a:b] if p[1] == "duration"]
                if hit:
                    placed[a:b] = [hit[0]] * (b - a)
            for w, (wc, wk) in zip(ws, placed, strict=True):
                _append_word(body, idx, wc, wk, w.text)
            continue
        col, kind = grid.kind_of(c.center)
        body.pieces.append(_Piece(idx, col, kind, c.text))


def _wrapped_number(cs: list[Chunk], idx: int, grid: _Grid, body: _Body) -> bool:
    """A lone number under the activity text of the lines just above it, at that text's left
    edge or right of it, is the wrapped end of the sentence ("... ke langkah" / "24"), not
    the number of a new row: row numbers stand left of their activity text. A branch label
    drawn between the two lines may push the number one or two lines further down."""
    first = cs[0]
    if not _ROW_NUMBER.match(first.text):
        return False
    if len(cs) > 1 and grid.kind_of(cs[1].x)[1] == "activity":
        return False
    for back in range(1, _WRAP_REACH + 1):
        above = body.text_x.get(idx - back)
        if above is not None:
            return first.x >= above - 1
    return False


def _justified_on(taken: list[Chunk], c: Chunk) -> bool:
    """A justified activity line spreads its words with wide gaps, and its last word can
    reach into the first role column ("Menyetujui    permintaan      barang    sesuai"). A
    lower-case word no farther from the text than the line's own widest gap between words
    goes on the sentence: a branch label or a symbol's text starts with a capital."""
    if len(taken) < 2 or not c.text[:1].islower():
        return False
    widest = max(b.x - a.end for a, b in itertools.pairwise(taken))
    return c.x - taken[-1].end <= widest


def _list_item(first: Chunk, idx: int, body: _Body) -> bool:
    """A numbered item of a list written inside the activity cell ("Ketentuan Tambahan :" /
    "1. Sisa barang ..."), not the number of a new row: it stands at the left edge of the
    activity text of the lines just above it, right of where the row numbers stood so far.
    Read as a row number it would end the step mid-cell and shift every number after it."""
    m = _ROW_NUMBER_PREFIX.match(first.text) or _ROW_NUMBER.match(first.text)
    if m is None or not body.number_x or first.x < min(body.number_x) + 2:
        return False
    for back in range(1, _WRAP_REACH + 1):
        above = body.text_x.get(idx - back)
        if above is not None:
            return abs(first.x - above) <= 1
    return False


def _waktu_spans(ws: list[Chunk]) -> list[tuple[int, int]]:
    """Word index ranges of the Waktu values among ``ws`` ("1 hari kerja" = 3 words)."""
    text = " ".join(w.text for w in ws)
    spans = []
    for m in WAKTU_VALUE.finditer(text):
        a = text[: m.start()].count(" ") if m.start() else 0
        b = a + len(m.group(0).split())
        spans.append((a, b))
    return spans


def _append_word(body: _Body, idx: int, col: int, kind: str, word: str) -> None:
    last = body.pieces[-1] if body.pieces else None
    if last is not None and last.line == idx and last.col == col:
        last.text = f"{last.text} {word}"
    else:
        body.pieces.append(_Piece(idx, col, kind, word))


def _mutu_cut(grid: _Grid) -> float:
    for i, k in enumerate(grid.kinds):
        if k in ("requirements", "duration", "output", "notes"):
            return grid.cuts[i - 1] if i > 0 else 0.0
    return float("inf")


# -- rows ------------------------------------------------------------------------------------


def _rows(body: _Body, grid: _Grid, warnings: list[ReaderWarning]) -> list[RawRow]:
    if not body.numbers:
        return []
    activity_at: dict[int, str] = {}
    for p in body.pieces:
        if p.kind == "activity":
            activity_at.setdefault(p.line, p.text)
    # Cells centred on their number: some number line has no activity text or one that starts
    # mid-sentence, or text stands above the first number (top-aligned cells cannot).
    first_number = min(ln for ln, _ in body.numbers)
    centred = any(
        not activity_at.get(ln) or _starts_lower(activity_at[ln]) for ln, _ in body.numbers
    ) or any(p.line < first_number and p.kind != "role" for p in body.pieces)
    starts: list[tuple[int, int | None]] = list(body.numbers)
    if not centred:
        # top-aligned cells start on their number's line: words in the role columns above
        # the first number are the header's, the wrapped ends of role titles the column
        # ranges missed ("Program" under "Kepala Bidang"), no marks of step 1
        body.pieces = [p for p in body.pieces
                       if p.kind != "role" or not _above_page_rows(p.line, body, first_number)]
        starts = _with_unnumbered(starts, body, activity_at, warnings)
    starts.sort()
    owner = _owners(body, starts, centred)
    _join_split_labels(body, starts, owner)
    rows: list[RawRow] = []
    cells: list[dict[tuple[int, str], list[str]]] = [{} for _ in starts]
    marks: list[dict[int, list[_Piece]]] = [{} for _ in starts]
    for p in sorted(body.pieces, key=lambda p: (p.line, p.col)):
        r = owner[id(p)]
        cells[r].setdefault((p.col, p.kind), []).append(p.text)
        if p.kind == "role":
            marks[r].setdefault(p.col, []).append(p)
    for r, (ln, number) in enumerate(starts):
        row = RawRow(number=number, activity="", line=body.lines[ln] or None)
        for (col, kind), texts in sorted(cells[r].items()):
            text = _join(texts)
            if kind == "activity":
                row.activity = text
            elif kind == "role":
                row.marks[grid.titles[col]] = _mark(marks[r][col])
            elif kind == "requirements":
                row.requirements = _join([row.requirements, text])
            elif kind == "duration":
                row.duration = _join([row.duration, text])
            elif kind == "output":
                row.output = _join([row.output, text])
            else:
                row.notes = _join([row.notes, text])
        warn_missing_activity(row, warnings)
        rows.append(row)
    return rows


def _polarity(piece: _Piece) -> str | None:
    """The branch a label piece in a role column stands for ("yes" or "no"), else None."""
    if piece.kind != "role":
        return None
    kind = split_label(piece.text)[0]
    return kind if kind in ("yes", "no") else None


def _join_split_labels(
    body: _Body, starts: list[tuple[int, int | None]], owner: dict[int, int]
) -> None:
    """Give the branch labels of one diamond to one row.

    A diamond's labels float on its outgoing arrows, above and below the symbol, so the
    text often puts its "Tidak" with one row and its "Ya" with the next. A row whose labels
    all stand for one branch cannot be a decision of its own (a decision has both); next to
    a row holding the other branch, it is part of that row's diamond:

    * two such rows with opposite labels are one diamond split in two: all go to the row
      whose number line (where a centred diamond stands) is nearest the labels' midpoint,
      the lower row counted a little farther (``_DOWN_ARROW``, labels hang below diamonds);
    * a one-branch row next to a row that already has both branches, in the same words
      (one diamond's labels share one style: "Y"/"T" or "Ya"/"Tidak"), joins it.

    Rows beside a written question ("Sesuai?") are left to the inference, which lends
    floating labels to the question's row.
    """
    labels: dict[int, list[_Piece]] = {}
    questions: set[int] = set()
    for p in body.pieces:
        r = owner[id(p)]
        if p.kind == "role":
            if _polarity(p) is not None:
                labels.setdefault(r, []).append(p)
            elif split_label(p.text)[0] == "question":
                questions.add(r)

    def branches(r: int) -> set[str | None]:
        return {_polarity(p) for p in labels.get(r, [])}

    def distance(pieces: list[_Piece], row: int, below: bool) -> float:
        mid = (min(p.line for p in pieces) + max(p.line for p in pieces)) / 2
        return abs(mid - starts[row][0]) + (_DOWN_ARROW if below else 0.0)

    def move(pieces: list[_Piece], target: int) -> None:
        for p in pieces:
            owner[id(p)] = target

    for r in sorted(labels):
        nxt = r + 1
        if questions & {r - 1, r, nxt, nxt + 1} or len(branches(r)) != 1:
            continue
        if len(branches(nxt)) == 1 and branches(nxt) != branches(r):
            pieces = labels[r] + labels[nxt]
            target = nxt if distance(pieces, nxt, True) < distance(pieces, r, False) else r
            move(pieces, target)
            labels[target] = pieces
            labels[r if target == nxt else nxt] = []
    for r in sorted(labels):
        mine = branches(r)
        if len(mine) != 1 or questions & {r - 2, r - 1, r, r + 1, r + 2}:
            continue
        words = {p.text.strip().lower() for p in labels[r]}
        full = [n for n in (r - 1, r + 1) if len(branches(n)) == 2
                and words <= {p.text.strip().lower() for p in labels[n]}]
        if full:
            target = min(full, key=lambda n: distance(labels[r], n, n > r))
            move(labels[r], target)
            labels[target] = labels[target] + labels[r]
            labels[r] = []


def _starts_lower(text: str) -> bool:
    t = _BULLET.sub("", text.strip())
    return bool(t) and t[0].islower()


def _with_unnumbered(
    starts: list[tuple[int, int | None]],
    body: _Body,
    activity_at: dict[int, str],
    warnings: list[ReaderWarning],
) -> list[tuple[int, int | None]]:
    """Top-aligned tables: an activity that starts after a gap, on a line with its own Mutu
    Baku text, and has no number is a row of its own whose number was never written."""
    numbered = {ln for ln, _ in starts}
    mutu_lines = {p.line for p in body.pieces if p.kind in ("requirements", "duration", "output")}
    first = min(numbered)
    out = list(starts)
    for ln in sorted(activity_at):
        if ln <= first or ln in numbered or (ln - 1) in activity_at:
            continue
        if ln in mutu_lines and activity_at[ln][:1].isupper():
            out.append((ln, None))
            prev = max(n for n in numbered if n < ln)
            number = dict(starts)[prev]
            warnings.append(
                ReaderWarning(
                    f"Baris tanpa nomor setelah langkah {number}: dibaca sebagai baris sendiri "
                    f"/ unnumbered row after step {number}",
                    code="number-missing",
                    line=body.lines[ln] or None,
                    step=number,
                )
            )
    return out


def _owners(body: _Body, starts: list[tuple[int, int | None]], centred: bool) -> dict[int, int]:
    """Row index for every piece."""
    start_lines = [ln for ln, _ in starts]
    owner: dict[int, int] = {}
    if not centred:
        for p in body.pieces:
            r = 0
            for i, ln in enumerate(start_lines):
                if ln <= p.line:
                    r = i
            owner[id(p)] = r
        return owner
    # Centred cells: group each column's pieces into runs of adjacent lines; a run holding
    # one row number belongs to that row, a run holding several is cut line by line, and a
    # run holding none goes to the row whose activity lines are nearest.
    by_col: dict[int, list[_Piece]] = {}
    for p in body.pieces:
        by_col.setdefault(p.col, []).append(p)
    spans = [[ln, ln] for ln in start_lines]
    order = sorted(by_col, key=lambda c: 0 if by_col[c][0].kind == "activity" else 1)
    for col in order:
        for run in _runs(sorted(by_col[col], key=lambda p: p.line), body.page_breaks):
            lo, hi = run[0].line, run[-1].line
            inside = [i for i, ln in enumerate(start_lines) if lo <= ln <= hi]
            if len(inside) == 1:
                for p in run:
                    owner[id(p)] = inside[0]
            elif inside:
                for p, r in zip(run, _split_run(run, inside, start_lines), strict=True):
                    owner[id(p)] = r
            else:
                r = _nearest_span(lo, hi, spans, body.page_breaks, upper=run[0].kind == "role")
                for p in run:
                    owner[id(p)] = r
            if run[0].kind == "activity":
                for p in run:
                    s = spans[owner[id(p)]]
                    s[0], s[1] = min(s[0], p.line), max(s[1], p.line)
    return owner


def _title_word(text: str) -> bool:
    """The text starts with a capitalised word ("Link", "Draft"), not an acronym ("PWA")."""
    words = _BULLET.sub("", text).split()
    if not words:
        return False
    w = words[0]
    return w[:1].isupper() and (len(w) == 1 or not w.isupper())


def _split_run(run: list[_Piece], inside: list[int], start_lines: list[int]) -> list[int]:
    """Cut a run of lines that holds several row numbers into centred cells.

    A centred cell reaches as far below its number as above it, which gives an expected cut;
    a cell's first line usually starts with a capital ("Link draft paparan" after
    "diselaraskan"), so the cut moves to the nearest such line between the two numbers.
    """
    first_text: dict[int, str] = {}
    for p in run:
        first_text.setdefault(p.line, p.text)
    lines = sorted(first_text)
    owner_of: dict[int, int] = {}
    lower = lines[0]
    for k, r in enumerate(inside):
        num = start_lines[r]
        if k + 1 == len(inside):
            for ln in lines:
                owner_of.setdefault(ln, r)
            break
        nxt = start_lines[inside[k + 1]]
        above = sum(1 for ln in lines if lower <= ln < num)
        reach = num + max(above, 1)
        expected = next((ln for ln in lines if ln > reach), nxt)
        expected = min(expected, nxt)
        capitals = [ln for ln in lines if num < ln <= nxt and _title_word(first_text[ln])]
        cut = min(capitals, key=lambda ln: (abs(ln - expected), -ln)) if capitals else expected
        for ln in lines:
            if ln < cut:
                owner_of.setdefault(ln, r)
        lower = cut
    return [owner_of[p.line] for p in run]


def _runs(pieces: list[_Piece], page_breaks: list[int]) -> list[list[_Piece]]:
    runs: list[list[_Piece]] = []
    for p in pieces:
        if (
            runs
            and p.line - runs[-1][-1].line <= 2
            and not _crosses(runs[-1][-1].line, p.line, page_breaks)
        ):
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def _crosses(a: int, b: int, page_breaks: list[int]) -> bool:
    return any(a < pb <= b for pb in page_breaks)


def _nearest_span(
    lo: int, hi: int, spans: list[list[int]], page_breaks: list[int], upper: bool = False
) -> int:
    """The row whose activity lines are nearest lines ``lo``..``hi``; on a tie the lower row,
    or with ``upper`` the upper one: a branch label midway between two rows hangs below the
    diamond it leaves (its arrow runs on down to the next step), so it is the upper row's."""

    def distance(i: int) -> tuple[float, int]:
        s0, s1 = spans[i]
        d = 0 if hi >= s0 and lo <= s1 else min(abs(lo - s1), abs(s0 - hi))
        if _crosses(min(lo, s0), max(hi, s1), page_breaks):
            d += 1000
        return (d, i if upper else -i)

    return min(range(len(spans)), key=distance)


def _above_page_rows(line: int, body: _Body, first_number: int) -> bool:
    """Whether a body line of top-aligned cells stands above its page's first row: above
    the table's first number, or between a header a later page repeats and that page's first
    number. Role-column words there are the header's (the second lines of role titles the
    column ranges missed: "Keuangan Perencanaan" under "Kabid  Ketua Tim"), no branch labels:
    a top-aligned row starts on its number's line."""
    if line < first_number:
        return True
    for top in body.headed:
        first = min((ln for ln, _ in body.numbers if ln >= top), default=None)
        if first is not None and top <= line < first:
            return True
    return False


def _mark(pieces: list[_Piece]) -> str:
    """A role column's texts for one row, a line of the mark for each line of the text: what
    stands on lines of its own is a thing of its own (a branch label, a diamond's question, a
    connector's letter), so "Tidak setuju" / "E" / "Setuju" must not run together into one
    label the inference cannot split again. But a yes or no word whose next line starts
    lower-case is the first line of a wrapped cell pushed into the column ("Sesuai" /
    "kebutuhan"), no label: labels stand alone, and a line of their own starts with a
    capital or is a yes or no of its own ("tidak").
    Texts on one line stay apart only when each is a yes, no or question label ("Setuju
    Tidak setuju"); other words on one line are one text (a justified sentence's "SAKTI
    Modul" reaching into the column, Mutu Baku cells pushed left, "Disposisi  Sesuai")."""
    lines: dict[int, list[str]] = {}
    for p in pieces:
        if p.text.strip():
            lines.setdefault(p.line, []).append(p.text.strip())
    out: list[str] = []
    for _, texts in sorted(lines.items()):
        text = ("  " if all(_is_label(t) for t in texts) else " ").join(texts)
        if (out and text[:1].islower() and split_label(text)[0] not in ("yes", "no")
                and split_label(out[-1])[0] in ("yes", "no")):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return "\n".join(out)


def _join(texts: list[str]) -> str:
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if out.endswith("-") and not out.endswith(" -") and t[:1].islower():
            out = out[:-1] + t
        else:
            out = f"{out} {t}" if out else t
    return out
