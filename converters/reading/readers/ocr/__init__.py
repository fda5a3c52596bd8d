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

Tesseract on a rasterised page drops or misreads the rule after a row's number ("1 Menyusun",
"3 IMencetak"), loses a number now and then (the row keeps its place: a Capitalised activity
with a Waktu after it still starts a row, and so does a block of its own that opens with a
Capitalised word and an active verb between two numbered rows; inference numbers it), may read
a row as blocks after a lone number (unless a later row still holds a smaller number: then the
lone number is an arrow tip), and at low resolution loses the small header words altogether
(the table is then found from its numbered rows, with a ``header-missing`` warning).

Symbol remnants cannot be placed in a role column without positions, so ``marks`` stay empty
(inference then uses the text); one ``marks-unplaced`` warning names the steps that had some.

Real signed SOPs add their own shapes: the role titles on one line with the Mutu Baku titles,
a drawn symbol's digit at both ends ("9 Kepala Dinas Tim Verifikasi ... Kelengkapan Waktu
Output 9": a header, not row 9); step numbers centred beside a row's second line, its first
line above them; tables whose header OCR lost altogether, below the identity sections, their
rows numbered like a list ("1. (Panitia Seleksi membuat ...").

At low resolution (a page rasterised at 150 dpi) Tesseract damages more: a number's digits
come out as letters ("TO |" for 10, "1g |"), an activity loses its capital ("2 pp
mengarsipkan"), a one-line row level with a symbol comes out as debris ("Ma mp Lol Ka Mono":
the rows after it number on past it), a symbol's outline is read as letters ("Lol", "CD"), the
first page's header or a role title's second line is lost (a later page's header and the
hand-overs in the activities still name them), a Waktu's "/" is read as a letter or lost
("2 menitvberkas") and its "5" as a lone "S" ("1- S hari Kerja"), a decision's second "jika"
loses its "j" ("ika tidak"), a wrapped activity line opens with the performer "Pelaksana" (no
header for all that), and a short page keeps only some of its numbers and no header. What
cannot be recovered is said once, with an ``ocr-coarse`` warning that asks for a better scan.
Unseen pages show more of the same: a number read as signs before the rule ("TO |", "& |"),
a whole page's numbers lost (both still mark the text as OCR), the thin "1" of "1jam" dropped
whole (a unit alone between two cells is "1 jam"), a number line holding only its Mutu Baku
cells with the activity as a block below it, a two-digit number with its last digit lost
("2" for 27, 28 after it). And at 150 dpi still: a Waktu's digits misread or glued ("1Smenit",
"ZHan", "110 mnt" for "1-10", "5-0 menit", "1jam30" with its "menit" lost), "jikatidak" glued,
a row read as blocks (activity | Kelengkapan | Output, no Waktu), the rule read twice after
a number ("12 (|"), and a cell's word damaged by one letter ("Parat", "Taporan") while the
activities write it whole ("memaraf", "laporan"): :class:`.cells.RunningWords` mends it.
The page read as one block (``--psm 6``) at 150 dpi damages rows most: a verb's "M" read as
strokes after the rule ("Iemverifikasi", "btengagendakan", "1 (herekapitulasi"), a number's
last digit lost ("1. | Mengoreksi" for 13) or read as letters just behind the sequence
("z2. |" for 23), rows lost as debris after the last number read (a line of debris that spans
a row's cells keeps the row's place), a page's first rows and group titles lost (the table
then starts at the rows above its first number, or at its one line of column titles), the
diamond's named labels garbled in part ("Tatap myjja"), a cell's rule read as a capital "I"
("IRekap data"), a Keterangan opener misspelt or glued ("Melaut", "patingtambarhari"), and
Waktu values glued ("1smenitper", "1 -Shari",
"CI jam 30 menit", "dua har").
The automatic page mode (``--psm 3``) at 150 dpi reads a page's rows as blocks more often:
a header read as blocks ends at the first short block that opens with a verb, and the
column numbers under it ("(1)" ... "(13)") read a block each are no rows; a row's block may
open with a jabatan named in full before its verb, and a last row read as blocks after the
last number read is a row when a Waktu block follows it. Numbers come out as look-alikes
("8" for the last row's 6, "& |" for 4, "G IMemverifikasi" for 6), Waktu values as letters
("TO mnt", "T5 menit", "Tx 24 Jam", "sehan", "kera"), a wrapped "menit" is no verb, a
Capitalised verb under a name the line above cut ("Surat Perintah" / "Membayar") opens no
row, and a lone number under "ke langkah" is that step's reference. It may read a whole table
as blocks, a cell a block and the numbers on lines of their own, as plain ``pdftotext`` writes
a table: its Waktu digits read as letters ("Ijam", "T Minggu") still tell OCR (:mod:`.signs`);
a header so read gives a title a block (``Pengadministr`` / ``asi Umum`` one word), and role
titles it set apart by a blank line above "No Kegiatan" are the header's still.

This module finds the table headers and puts the pieces together: :mod:`.role_columns` reads
the Pelaksana columns, :mod:`.rows` the rows and their cells, :mod:`.phrases` the document's own
phrases, :mod:`.labels` the branch labels a diamond leaves among them, :mod:`.diamonds` the
yes/no labels beside a checking step, :mod:`.subjects` the performers the activities name when
the header is lost, :mod:`.role_units` role names cleared of neighbouring cells and completed
from the hand-overs, :mod:`.cells` damaged copies of the cells the document repeats,
:mod:`.coarse` whether the text is too coarse to read well, :mod:`.pretable` the sections above
the table, :mod:`.words` single OCR words, :mod:`.orphans` a row's lines the page mode read
above the page header, :mod:`.garbled` a header garbled beyond spelling, :mod:`.signs` what
marks a text as OCR output whatever its shape, :mod:`.strays` other cells' words read between
a hand-over word and its object.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import re

from converters.model import ConversionError, ReaderWarning
from converters.reading.raw import RawDocument
from converters.reading.readers.ocr import garbled, orphans
from converters.reading.readers.ocr.cells import KnownCells, RunningWords
from converters.reading.readers.ocr.coarse import coarse_warning
from converters.reading.readers.ocr.diamonds import place_labels
from converters.reading.readers.ocr.phrases import Phrases
from converters.reading.readers.ocr.pretable import is_section_heading, read_pretable, take_title
from converters.reading.readers.ocr.role_columns import (
    block_titles,
    column_titles_line,
    read_roles,
    row_text,
    with_block_titles,
)
from converters.reading.readers.ocr.role_units import (
    complete_roles,
    rehome_units,
    split_runs,
    tidy_roles,
)
from converters.reading.readers.ocr.rows import (
    LONE_NUMBER,
    WAKTU,
    Cells,
    first_cells,
    holds_waktu,
    loose_start,
    read_row,
    split_rows,
    unnumbered_start,
)
from converters.reading.readers.ocr.signs import digits_read_as_letters
from converters.reading.readers.ocr.strays import drop_strays
from converters.reading.readers.ocr.subjects import subject_names
from converters.reading.readers.ocr.words import (
    CONNECTIVES,
    INDEX_ROW,
    debris_line,
    head_key,
    join_parts,
    mangled_start,
    mend_wrapped_negative,
    norm,
    row_start,
)
from converters.reading.roles import display_name
from converters.reading.vocabulary import ACTIVITY_TITLE, CLAUSE_WORDS, is_verb, mutu_kind

FORMAT = "ocr"


_LIST_ITEM = re.compile(r"^\s*\d{1,2}\.\s+[^|\s][^|]*(?:\|[^|]*)?$")
"""A numbered list item ("1. ATK"): a bar read for an "I" inside it ("swakelola tipe |") may
stand once, never right after the number ("1. | Menerima": a table's rule)."""
_RULE_READ = re.compile(r"^\s*\d{1,2}\s*(?:\||[Il\[(](?=[A-Z][a-z]))\S")
"""A row whose number and activity have the table's rule between them read as a character
glued to the activity ("21 |Merekapitulasi", "22 IMencetak", at 150 dpi "4 (Fungsional"):
only OCR reads a drawn rule as text, so a few such rows mark OCR output even where most rows
were read as blocks (as plain ``pdftotext`` writes them). In a text with few bars, a bar
after the number counts with a space after it too ("19 | Bendahara ..."): a table written with
bars between its cells ("1 | Menerima" / "... | Disposisi | 1 jam | Arsip |") has many."""
_SPACED_RULE = re.compile(r"^\s*\d{1,2}\s*\|\s+[A-Z]")
_SHORT_BEFORE_RULE = re.compile(r"^\s*\S{1,2}\s*\|")
"""A row's number read as look-alike signs or letters before the rule ("TO | Memeriksa",
"& |Sekdin", "B | Merekapitulasi" at 150 dpi): in a text with few bars, a rule read too."""
_FEW_BARS = 4  # lines per bar at least in a text whose "N | Word" rows are rules read
_RULED_ROWS = 2
_MARKED = 0.95  # a text with OCR's own damage is OCR output, whatever its shape


def sniff(text: str) -> float:
    """How much ``text`` looks like OCR output of an SOP table (0..1)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return 0.0
    few_bars = text.count("|") * _FEW_BARS <= len(lines)
    ruled = sum(1 for ln in lines if _RULE_READ.match(ln)
                or (few_bars and (_SPACED_RULE.match(ln) or _mangled_ruled(ln))))
    rows = sum(1 for ln in lines if re.match(r"^\s*\d{1,2}\s*\.?\s*\|", ln))
    if rows < 6:  # Tesseract may drop the rule after the number: "1 Mengagendakan ..."
        # counted in the table only, and not the numbered lists above it ("1. ATK")
        titled = _header_blocks(lines)
        heads = titled or _headerless(lines) or garbled.header(lines) or _titles_only(lines)
        table = lines[heads[0][1] :] if heads else []
        bare = sum(1 for ln in table if row_start(ln) and not _LIST_ITEM.match(ln))
        if heads and (not titled or ruled >= _RULED_ROWS):
            # rows that lost their number count where no header is, or where rules read as
            # characters show OCR (a page's numbers lost at low resolution)
            bare += len(_unnumbered_rows(lines, heads[0][1]))
        rows = max(rows, bare)
    header = (bool(re.search(r"pelaksana", text, re.I)) and bool(
        re.search(r"mutu\s+b[au]ku|uraian\s+prosedur", text, re.I)
    )) or any(_step_title_row(lines, i) for i in range(len(lines))) or bool(
        garbled.header(lines) or _titles_only(lines))
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
    if ruled >= _RULED_ROWS:
        score += 0.4  # no other tool writes a drawn rule as a character
    if header and score < _MARKED and (
            digits := digits_read_as_letters(lines, _RULED_ROWS)) and ruled + digits >= _RULED_ROWS:
        score = _MARKED  # nor a digit as a letter: OCR, though read as blocks (.signs)
    if tabs > len(lines) / 4 or wide > len(lines) / 3:
        score *= 0.3
    return round(min(1.0, score), 3)


def _mangled_ruled(line: str) -> bool:
    """A row's first line whose number OCR read as look-alikes, the rule after it read as a
    bar (:data:`_SHORT_BEFORE_RULE`)."""
    return bool(_SHORT_BEFORE_RULE.match(line)) and mangled_start(line) is not None


def read(text: str) -> RawDocument:
    """Read OCR text of an SOP AP table into a :class:`RawDocument`."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    lines = [mend_wrapped_negative(ln) for ln in lines]
    warnings: list[ReaderWarning] = []
    blocks, lost = _table_blocks(lines)
    if blocks and lost:
        warnings.append(
            ReaderWarning(
                "Judul kolom tabel tidak terbaca; tabel dikenali dari baris langkahnya "
                "/ table header unreadable, table found from its numbered rows",
                code="header-missing",
                line=blocks[0][1] + 1,
            )
        )
    if not blocks:
        raise ConversionError(
            "Tabel SOP tidak ditemukan dalam teks OCR: tidak ada judul kolom PELAKSANA / "
            "MUTU BAKU / no SOP table header found in the OCR text"
        )
    roles = _roles(lines, blocks, warnings)
    in_header = {i for a, b in blocks for i in range(a, b)}
    rows = split_rows(lines, blocks[0][1], in_header, warnings)
    if not rows:
        raise ConversionError(
            "Tabel SOP tidak berisi langkah bernomor / the SOP table has no steps"
        )
    pre_lines = lines[: blocks[0][0]]
    pre_lines, title = take_title(pre_lines)
    pre = read_pretable(pre_lines)
    warnings = list(pre.warnings) + warnings
    identity = pre.identity
    if title and not identity.name:
        identity = dataclasses.replace(identity, name=title)

    def learned(firsts: list[Cells]) -> Phrases:
        """The document's own phrases, from its sections and the rows' first lines."""
        phrases = Phrases.for_title(title or identity.name)
        phrases.roles = [norm(r).split()[0] for r in roles if norm(r)]
        phrases.unit_words = {w for r in roles for w in norm(r).split()[1:] if not head_key(w)}
        phrases.add_cells(
            [*pre.legal_basis, *pre.related_sops, *pre.equipment, *pre.records]
            + [join_parts(c) for f in firsts for c in (f.requirements, f.output, f.notes)]
        )
        phrases.add_running([join_parts(f.activity) for f in firsts])
        anchored = [f for f in firsts if f.duration]
        phrases.add_kinds([join_parts(f.requirements) for f in anchored],
                          [join_parts(f.output) for f in anchored])
        phrases.add_widths([(join_parts(f.requirements), join_parts(f.output),
                             join_parts(f.notes)) for f in anchored])
        return phrases

    # the first lines read twice: the second time with the cells and running text of all
    # of them, so that a cell starting inside a Capitalised name is found ("Surat Perintah"
    # | "Nota Dinas")
    unaware = learned([])
    phrases = learned([first_cells(r, unaware) for r in rows])
    firsts = [first_cells(r, phrases) for r in rows]
    phrases = learned(firsts)
    raw_rows = []
    for r, f in zip(rows, firsts, strict=True):
        raw = read_row(r, f, phrases, warnings)
        phrases.add_cells([raw.requirements, raw.output, raw.notes])
        raw_rows.append(raw)
    orphans.give_back(orphans.find(lines, blocks, orphans.page_starts(text)), rows, raw_rows,
                      lambda r: read_row(r, first_cells(r, phrases), phrases, []))
    running = RunningWords([r.activity for r in raw_rows],
                           [c for r in raw_rows for c in (r.requirements, r.output)])
    for raw in raw_rows:
        raw.requirements, raw.output = running.mend(raw.requirements), running.mend(raw.output)
    known = KnownCells([*(c for r in raw_rows for c in (r.requirements, r.output)),
                        *pre.equipment, *pre.records])
    for raw in raw_rows:
        raw.requirements, raw.output = known.tidy(raw.requirements), known.tidy(raw.output)
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
    place_labels(rows, raw_rows, lines, orphans.page_starts(text))
    if not roles:  # the header lost: the performers the activities name as subjects
        roles = subject_names(raw_rows, pre.qualifications)
    table = [ln for i, ln in enumerate(lines) if i >= blocks[0][1] and i not in in_header]
    roles = rehome_units(complete_roles(tidy_roles(roles, known.starts, raw_rows), raw_rows),
                         raw_rows, table)
    roles = split_runs(roles, table)
    drop_strays(rows, raw_rows, roles, phrases.known)
    coarse = coarse_warning(lines, blocks)
    if coarse is not None:
        warnings.insert(0, coarse)  # first: it explains the warnings after it
    return pre.document(FORMAT, raw_rows, warnings, roles=roles, identity=identity)


def _roles(
    lines: list[str], blocks: list[tuple[int, int]], warnings: list[ReaderWarning]
) -> list[str]:
    """The role columns of the page header that read them best: the columns are the same
    on every page, and at low resolution OCR may lose or garble the small role titles of
    one page and read them on the next. Best: the most titles that open with a jabatan word
    as written ("Staf", not "stat"), less twice the titles read twice (a garbled "KSI" read as
    "Kasi" beside "Kepala Seksi"); between equals, the fewer titles guessed and pieces left
    unread (a clean header over a garbled one); then the first. (Subtracting the guessed
    titles from the count instead gained on one real document and lost four roles in 354 on
    generated SOPs held out, seeds 2000-2029 at 150 dpi.)"""
    best: tuple[tuple[int, int], list[str], list[ReaderWarning]] = ((0, 0), [], [])
    for a, b in blocks:
        found: list[ReaderWarning] = []
        roles = read_roles(lines[a:b], found, a)
        shown = [display_name(r) for r in roles]
        twice = len(shown) - len(set(shown))
        guessed = sum(1 for w in found if w.code in ("header-guessed", "header-unread"))
        score = (sum(1 for r in roles if _spelt_title(r)) - 2 * twice, -guessed)
        if roles and (not best[1] or score > best[0]):
            best = (score, roles, found)
    warnings.extend(best[2])
    blocked = max((t for a, b in blocks if (t := block_titles(lines[a:b]))), key=len, default=None)
    return with_block_titles(best[1], blocked) if blocked else best[1]


def _spelt_title(role: str) -> bool:
    """A role title whose jabatan word OCR read as written and whose other words are
    Capitalised words of letters, bare or in brackets ("(Operator)"). Not words joined by
    "/": a Mutu Baku title misread and glued to the last role ("Pelaksana
    Fersyaratan/Kelengkapdh") has that shape."""
    words = role.split()
    return head_key(words[0]) == words[0].lower() and all(
        w.strip("()")[:1].isupper() and w.strip("()").isalpha()
        for w in words[1:]
    )


def _table_blocks(lines: list[str]) -> tuple[list[tuple[int, int]], bool]:
    """The table's header blocks, and whether the first page's header was lost: then the
    table starts at its first rows (:func:`_headerless`), before the first header read when
    a later page's header was (its rows number on from the rows above it)."""
    blocks = _header_blocks(lines)
    if not blocks:
        found = _headerless(lines) or garbled.header(lines) or _titles_only(lines)
        return found, bool(found)
    before = _headerless(lines[: blocks[0][0]])
    if before and _numbers_on(lines, before[0][1], blocks[0]):
        return before + blocks, True
    return blocks, False


def _titles_only(lines: list[str]) -> list[tuple[int, int]]:
    """The header of a page whose group titles ("Pelaksana", "Kegiatan", "Mutu Baku") OCR
    lost, found by its one line of column titles ("Kepala Badan PPK Kelengkapan Waktu
    Output": two Mutu Baku titles and no verb) with a row after it that opens with its
    number or, its number lost, with a verb and holds a Waktu value."""
    for i, line in enumerate(lines):
        if column_titles_line(line) and not row_start(line) and any(
                row_start(ln) or (unnumbered_start(ln.strip()) and holds_waktu(ln))
                for ln in lines[i + 1 :]):
            return [(i, i + 1)]
    return []


def _numbers_on(lines: list[str], start: int, header: tuple[int, int]) -> bool:
    """Whether the rows from ``start`` up to ``header`` come before the rows after it: each
    of their numbers is below the first number read after the header."""
    above = [s[0] for ln in lines[start : header[0]] if (s := row_start(ln))]
    below = next((s[0] for ln in lines[header[1] :] if (s := row_start(ln))), None)
    return bool(above) and below is not None and max(above) < below


_NO_AND_STEP_TITLE = re.compile(rf"^\s*no\.?\s*\|?\s*(?:{ACTIVITY_TITLE})\b", re.I)
"""A header line that starts with "No" and the step column title: at low resolution the small
role and Mutu Baku titles may be lost, but this line still marks the table."""


_STEP_TITLES = ("kegiatan", "aktivitas", "uraian", "prosedur")
_MUTU_TITLE_WORD = re.compile(r"\b(?:kelengkapan|persyaratan|waktu|output|keterangan)\b", re.I)


def _step_title_row(lines: list[str], i: int) -> bool:
    """A header line without "Pelaksana" or "No" (small titles lost at low resolution): the
    step column title, spelt as OCR reads it ("Akivitas"), with a Mutu Baku or Keterangan
    title on it or on the next line."""
    if _LIST_ITEM.match(lines[i]):
        return False  # "5. Rincian jadwal pelaksanaan kegiatan/output," of a section's list
    words = re.findall(r"[a-z]+", lines[i].lower())
    if not any(difflib.get_close_matches(w, _STEP_TITLES, n=1, cutoff=0.8) for w in words[:4]):
        return False
    near = " ".join(lines[i : i + 2] if not _title_alone(lines[i]) else itertools.islice(
        (ln for ln in lines[i:] if ln.strip()), _BLOCK_TITLES))
    # or the Keterangan title cut short as the form prints it in a narrow column ("Ket")
    return bool(_MUTU_TITLE_WORD.search(near)) or any(
        mutu_kind(w) == "notes" for w in near.split()[1:] if w[:1].isupper())


_BLOCK_TITLES = 24
"""Lines a header read as blocks (one title a block, blank lines between) spans from its
step column's title to the Mutu Baku titles, blank lines not counted (eight role titles of a
few lines each)."""


def _title_alone(line: str) -> bool:
    """A step column's title on a line of its own ("Aktivitas"): the page mode read the
    header as blocks, one title a block."""
    words = re.findall(r"[a-z]+", line.lower())
    return 0 < len(words) <= 2 and all(
        difflib.get_close_matches(w, _STEP_TITLES, n=1, cutoff=0.8) for w in words)


_QUALIFICATION = re.compile(r"kualifikasi\s+pelaksana", re.I)
"""The "Kualifikasi Pelaksana" section heading above the table, no column title."""


def _header_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, after-last) line of every table header (one per page)."""
    blocks: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if (
            re.search(r"\bpelaksana\b", lines[i], re.I)
            and not _table_row(lines[i])  # "1 | Pelaksana mendistribusikan …" is a row
            and not loose_start(lines[i])  # "1 (pelaksana mendistribusikan …" too (150 dpi)
            and not _LIST_ITEM.match(lines[i])  # "1. Pelaksana bertanggungjawab …" (Peringatan)
            and not _QUALIFICATION.search(lines[i])
            and not _running_text(lines[i])  # "Pelaksana, jika tidak lengkap dikembalikan …"
            and not _WRAPPED_TEXT.match(lines[i])  # "persiapan ... Tim Pelaksana, dan Tim"
            and _looks_like_header(lines, i)
        ) or _NO_AND_STEP_TITLE.match(lines[i]) or _step_title_row(lines, i):
            lowest = blocks[-1][1] if blocks else 0
            while i - 1 >= lowest and i - 1 >= 0 and _role_title_line(lines[i - 1]):
                i -= 1  # the role titles above "No Kegiatan" when "Pelaksana" is not written
            if i - 2 >= max(lowest, 0) and not lines[i - 1].strip() and _role_title_line(
                    lines[i - 2]) and not re.search(r"(?<![\w/])[a-z]", lines[i - 2]):
                i -= 2  # set apart as a block of their own, Capitalised all ("kepada JF" ends
                # a row's activity)
            j = i + 1
            titled = centred = False
            while j < len(lines) and j < i + 9:
                if column_titles_line(lines[j]):
                    # a number before it is a drawn symbol's debris; the rows' cells may
                    # then stand above their centred numbers
                    titled = True
                    centred = centred or bool(row_start(lines[j]))
                elif (row_start(lines[j]) or loose_start(lines[j])) and not _numbered_titles(
                        lines[j]):
                    break  # (a drawn symbol's digit before a line of titles is no row)
                elif INDEX_ROW.match(lines[j]):
                    j += 1
                    break
                elif centred and not _title_continuation(lines[j]):
                    break  # the first row's cells, read above its centred number
                elif titled and row_text(lines[j]):
                    break  # the first row, its number lost or read below its first line
                elif _opens_with_verb(lines[j]) and row_text(lines[j]):
                    break  # the first row, its number lost: no title opens with a verb
                j += 1
            if blocks or _title_alone(lines[i]) or _PELAKSANA_ALONE.match(lines[i]):
                # a header read as blocks, a title a block
                i, j = _repeated_header(lines, i, j, blocks[-1][1] if blocks else 0)
            blocks.append((i, j))
            i = j
            continue
        i += 1
    return blocks


def _opens_with_verb(line: str) -> bool:
    """A line whose first word is a verb ("Menandatangani rencana kerja ..."): an activity's
    first line, never a column title (titles are jabatan and Mutu Baku nouns)."""
    first = next(iter(re.findall(r"[^\W\d_]+", line)), "")
    return first[:1].isupper() and is_verb(first.lower())


_PELAKSANA_ALONE = re.compile(r"^\s*pelaksana\s*$", re.I)
"""The group title over the role columns on a line of its own: the header read as blocks."""


_WRAPPED_TEXT = re.compile(r"^\s*[a-z]{3,}\b")
"""A line opening with a lower-case word: a wrapped line of a cell's running text ("persiapan
teknis dan penyiapan metode Tim Pelaksana, ..."), never a header's titles."""


def _title_continuation(line: str) -> bool:
    """A line under the Mutu Baku titles line that still belongs to the header: the wrapped
    ends of the role titles ("Dinas Lingkungan"), Capitalised names without a verb. A first
    row whose cells OCR read above its number has running text ("Berkas diterima melalui")."""
    words = re.findall(r"[^\W\d_]+", line)
    return bool(words) and all(
        w[:1].isupper() or w.lower() in CONNECTIVES for w in words
    ) and not any(is_verb(w.lower()) for w in words)


_HEADER_PIECE_WORDS = 4  # a header title read as a block of its own is this short
_HEADER_REACH = 40  # lines a header read as blocks may span


def _repeated_header(lines: list[str], i: int, j: int, lowest: int) -> tuple[int, int]:
    """The whole of a page's repeated header when Tesseract read it as blocks, a title per
    block ("SOP <name>", "No", "Kegiatan", "Pelaksana", each role, "Waktu", "Output"): up
    over the page's title lines, down over short lines without a verb to the next row (its
    number, or its activity when the number was lost)."""
    while i - 1 > lowest and (not lines[i - 1].strip() or _page_title_line(lines[i - 1])):
        i -= 1
    k, reach = j, j + _HEADER_REACH
    while k < len(lines) and k < reach:
        line = lines[k].strip()
        if row_start(line) or (LONE_NUMBER.match(line) and not _in_index_row(lines, k)):
            return i, k
        if _index_piece(line):
            reach += 1  # the column numbers under the titles, a block each, reach further
        words = line.split()
        if len(words) > _HEADER_PIECE_WORDS or any(is_verb(w) for w in words) or (
                _opens_activity(words)):
            while k - 1 > j and lines[k - 1].strip():
                k -= 1  # the block this line is part of: the next row's activity
            return i, k
        k += 1
    return i, j


_INDEX_PIECE = 4
"""Characters a piece of the numbered row under the titles ("(1)" ... "(13)") read as a
block of its own has at most ("(10)", "1)", "&)")."""


def _in_index_row(lines: list[str], k: int) -> bool:
    """Whether the lone number at line ``k`` is one of the column numbers of the row under
    the titles, read a block each: the next block is another short piece of it, where a
    row's lone number is followed by its activity."""
    return _index_piece(next((ln.strip() for ln in lines[k + 1 :] if ln.strip()), ""))


def _index_piece(line: str) -> bool:
    """A short piece of the column numbers' row ("(10)", "&)", "»"), or a blank line."""
    return len(line) <= _INDEX_PIECE and not re.search(r"[^\W\d_]{3}", line)


def _opens_activity(words: list[str]) -> bool:
    """A short block that opens with a Capitalised verb ("Mengarsipkan konsep surat keluar"):
    a row's activity (a column title is a noun), where the header read as blocks ends."""
    first = re.sub(r"[^\w]", "", words[0]) if words else ""
    return len(words) > 1 and first[:1].isupper() and is_verb(first.lower())


def _page_title_line(line: str) -> bool:
    """A line of a page's header above its "Pelaksana": "No", the step column's title, or
    the SOP's name repeated ("SOP Penyusunan Laporan Keuangan")."""
    return bool(re.match(rf"^\s*(?:no\.?|{ACTIVITY_TITLE}|sop\s+\S.*)\s*$", line, re.I))


_MIN_ROWS = 3
"""Rows read as a row's first line (a number and a Capitalised activity, Waktu values among
them) that make a table of a text whose header Tesseract lost."""
_MIN_NUMBERED = 2
"""Of those, the rows that must keep their number (the others open with a verb and hold a
Waktu value)."""


def _headerless(lines: list[str]) -> list[tuple[int, int]]:
    """The table of OCR text whose header words were all lost (a faint, small header at low
    resolution): it starts at its first row, under the role titles still read above it."""
    below = max((i + 1 for i, ln in enumerate(lines) if is_section_heading(ln)), default=0)
    firsts = [
        i
        for i, ln in enumerate(lines)
        if row_start(ln) and (not _LIST_ITEM.match(ln) or (i >= below and WAKTU.search(ln)))
    ]
    if sum(1 for i in firsts if i >= below) >= _MIN_ROWS:
        firsts = [i for i in firsts if i >= below]  # the table comes after the sections
    # a short table may have lost numbers too: its rows still open with a Capitalised verb
    # and hold their Waktu ("Menyampaikan notulen rapat, ... Disposisi dua hari Disposisi")
    unnumbered = _unnumbered_rows(lines, below)
    enough = len(firsts) >= _MIN_ROWS or (
        len(firsts) >= _MIN_NUMBERED and len(firsts) + len(unnumbered) >= _MIN_ROWS
    )
    if not enough or not any(WAKTU.search(lines[i]) for i in firsts):
        return []  # a numbered list, not a table whose rows hold their Waktu
    start = firsts[0]
    while start > 0 and unnumbered_start(lines[start - 1].strip()):
        start -= 1  # the first rows may have lost their numbers too
    start = _rows_above(lines, start, (row_start(lines[firsts[0]]) or (1, ""))[0]
                        - (firsts[0] - start) - 1)
    top = start
    while top > 0 and _role_title_line(lines[top - 1]):
        top -= 1
    return [(top, start)]


def _rows_above(lines: list[str], start: int, room: int) -> int:
    """Where the table starts when the first numbered row read leaves ``room`` rows above it
    (its number is 4, three rows came first): up over blank lines and a row's wrapped lines
    (lower-case running text, debris) to the highest of at most ``room`` lines that open a
    row whose number was lost, as the page's first rows lose theirs with its header."""
    top, k = start, start - 1
    while k >= 0 and room > 0:
        line = lines[k].strip()
        if line and unnumbered_start(line):
            top, room = k, room - 1
        elif line and not (_lower_start_line(line) or debris_line(line)):
            break
        k -= 1
    return top


def _lower_start_line(line: str) -> bool:
    """A line that goes on with running text: its first word opens in lower case."""
    return bool(re.match(r"[a-z]", line))


def _unnumbered_rows(lines: list[str], start: int) -> list[int]:
    """The lines from ``start`` on that read as a row's first line whose number was lost:
    a Capitalised verb opens them and they hold a Waktu value."""
    return [
        i
        for i in range(start, len(lines))
        if not row_start(lines[i])
        and unnumbered_start(lines[i].strip())
        and holds_waktu(lines[i])
    ]


def _numbered_titles(line: str) -> bool:
    """A header line of role titles that a drawn symbol's digit opens ("5 Kepala Kepala
    Ketua Tim Sub"): after the number, jabatan words and no verb, no row's activity."""
    rest = re.sub(r"^\s*\d{1,2}\s*[.|(]?\s*", "", line)
    words = re.findall(r"[^\W\d_]+", rest)
    return rest != line.strip() and sum(1 for w in words if head_key(w)) >= _TITLES_AT_LEAST \
        and _role_title_line(rest) and not any(is_verb(w.lower()) for w in words)


_TITLES_AT_LEAST = 2
"""Jabatan words a numbered line of titles holds: one is as likely a row's subject."""


def _role_title_line(line: str) -> bool:
    """A header line of role titles ("Kadis PPK Kabid Kasubbag Perencanaan Staf Mutu
    Baku"): most of its words are jabatan or Mutu Baku words, and it is no row."""
    words = re.findall(r"[^\W\d_]+", line)
    if not words or row_start(line):
        return False
    titled = sum(1 for w in words if head_key(w) or w.lower() in ("mutu", "baku", "buku"))
    return titled * 2 >= len(words)


def _table_row(line: str) -> bool:
    """A numbered table row, not an item of a numbered list ("3. Tim Pelaksana")."""
    return bool(row_start(line)) and not _LIST_ITEM.match(line)


_TITLE_JOINERS = frozenset({"dan", "serta", "yang"})
"""Clause words a column title may hold ("Kasubbag Umum dan Kepegawaian")."""


def _running_text(line: str) -> bool:
    """Whether ``line`` reads as an activity's sentence: a lower-case verb or clause word
    ("jika", "kepada … dikembalikan"), which no column title holds. A wrapped activity line
    may open with a performer named "Pelaksana"."""
    words = [w.strip(",.;:!?") for w in line.split()]
    return any(
        w.islower() and (is_verb(w) or (w in CLAUSE_WORDS and w not in _TITLE_JOINERS))
        for w in words
    )


def _looks_like_header(lines: list[str], i: int) -> bool:
    window = " ".join(lines[i : i + 6])
    return bool(re.search(r"mutu\s+b[au]ku|uraian|kegiatan|aktivitas", window, re.I))
