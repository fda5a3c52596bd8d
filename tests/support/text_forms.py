"""The ways an SOP reaches Alur as text, each one function, and reading one back.

People rarely upload the SOP's source: they copy a Word table, run ``pdftotext`` over the
signed PDF, OCR a scan, or save a flipbook's "basic HTML" page. Each form loses something
different (the flowchart symbols always; column order in plain ``pdftotext``; whole words in
OCR), so the fidelity harness reads every generated SOP through every form. PDF forms take the
PDF bytes; the Word and flipbook forms are written from the model directly, because their text
does not come from a PDF at all.

:func:`read_contract` reads a text the way ``alur inspect --json`` does (the CLI's own
function, :func:`webui.cli.inspect.run`) and returns the JSON object, or why it failed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import io
import json
import os
import random
import subprocess
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from converters.model import ConversionError, Sop
from tests.support.sop_generator import (
    GeneratedSop,
    HeaderVariant,
    Tally,
    drawn_only,
    generate,
    score,
    truth_of,
)

# -- forms made from a PDF -------------------------------------------------------------------


def _run(cmd: list[str], data: bytes | None = None, timeout: float = 120) -> bytes:
    return subprocess.run(cmd, input=data, capture_output=True, check=True,
                          timeout=timeout).stdout


def _with_pdf(pdf: bytes, fn: Callable[[Path], str]) -> str:
    with tempfile.TemporaryDirectory(prefix="alur-fidelity-") as tmp:
        path = Path(tmp) / "sop.pdf"
        path.write_bytes(pdf)
        return fn(path)


def pdftotext_layout(pdf: bytes) -> str:
    """``pdftotext -layout``: columns lined up with spaces, a cell wrapped over lines."""
    return _run(["pdftotext", "-layout", "-", "-"], pdf).decode("utf-8", "replace")


def pdftotext_plain(pdf: bytes) -> str:
    """Plain ``pdftotext``: content-stream order, one text run per line, no positions."""
    return _run(["pdftotext", "-", "-"], pdf).decode("utf-8", "replace")


def pdftotext_raw_order(pdf: bytes) -> str:
    """``pdftotext -raw``: the content stream's own order, a line's cells joined by single
    spaces; what copying the page out of a PDF viewer gives."""
    return _run(["pdftotext", "-raw", "-", "-"], pdf).decode("utf-8", "replace")


def pdftohtml_positioned(pdf: bytes) -> str:
    """``pdftohtml -s -i -noframes``: one HTML page, every text run absolutely positioned."""
    return _with_pdf(pdf, lambda p: _run(
        ["pdftohtml", "-s", "-i", "-noframes", "-stdout", "-q", str(p)]).decode("utf-8",
                                                                                  "replace"))


def pdftohtml_xml(pdf: bytes) -> str:
    """``pdftohtml -xml``: ``<text top left width height>`` elements per page."""
    return _with_pdf(pdf, lambda p: _run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", str(p)]).decode("utf-8", "replace"))


def pdftotext_bbox(pdf: bytes) -> str:
    """``pdftotext -bbox-layout``: XHTML with every word's box (``<word xMin yMin xMax
    yMax>``) inside blocks and lines; what a script that wants positions asks poppler for."""
    return _run(["pdftotext", "-bbox-layout", "-", "-"], pdf).decode("utf-8", "replace")


def pdftotext_tsv(pdf: bytes) -> str:
    """``pdftotext -tsv``: a row per word with its box (poppler's columns are Tesseract's
    TSV columns with ``par_num`` and ``block_num`` swapped; "###PAGE###", "###FLOW###" and
    "###LINE###" rows mark pages, blocks and lines)."""
    return _run(["pdftotext", "-tsv", "-", "-"], pdf).decode("utf-8", "replace")


def _plumber_pages(pdf: bytes, fn: Callable[[Any], str]) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(fn(page) for page in doc.pages)


def pdfplumber_text(pdf: bytes) -> str:
    """pdfplumber's ``page.extract_text()`` (what many Python and RAG pipelines keep): each
    visual line's words joined by single spaces, left to right, so the cells of a row run
    together in one line; pages joined by a line break, as ``"\\n".join(...)`` does."""
    return _plumber_pages(pdf, lambda page: page.extract_text() or "") + "\n"


def pdfplumber_layout(pdf: bytes) -> str:
    """pdfplumber's ``page.extract_text(layout=True)``: words placed at their x on a
    character grid, like ``pdftotext -layout`` but with pdfplumber's own spacing."""
    return _plumber_pages(pdf, lambda page: page.extract_text(layout=True) or "") + "\n"


def pdfplumber_tables(sep: str) -> Callable[[bytes], str]:
    """What a "PDF table to text" script writes from pdfplumber's ``page.extract_tables()``:
    each table row's cells joined by ``sep`` (a tab, or " | "), ``None`` (a merged cell's
    other parts) as an empty cell, a cell's wrapped lines left as line breaks, the tables one
    after the other with a blank line between them; text outside tables is lost."""

    def page_tables(page: Any) -> str:
        return "\n\n".join(
            "\n".join(sep.join(cell or "" for cell in row) for row in table)
            for table in page.extract_tables()
        )

    return lambda pdf: _plumber_pages(pdf, page_tables) + "\n"


def tesseract(pdf: bytes, dpi: int = 150, psm: int = 6) -> str:
    """Rasterise each page with ``pdftoppm -r dpi`` and OCR it with ``tesseract -l ind``;
    pages are joined by form feeds as ``pdftotext`` does."""
    def ocr(path: Path) -> str:
        _run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(path.with_suffix(""))])
        pages = sorted(path.parent.glob("sop-*.png"))
        texts = [
            _run(["tesseract", "-", "-", "-l", "ind", "--psm", str(psm)], pg.read_bytes(),
                 timeout=300).decode("utf-8", "replace")
            for pg in pages
        ]
        return "\f".join(texts)

    return _with_pdf(pdf, ocr)


def tesseract_boxes(pdf: bytes, dpi: int, psm: int, fmt: str) -> str:
    """Tesseract's word boxes (``fmt``: ``hocr``, ``alto`` or ``tsv``) of each page
    rasterised at ``dpi``: what OCRmyPDF and archive scanners keep beside the text. Pages
    are concatenated as written (hOCR and ALTO documents one after the other; TSV's header
    once, its page numbers continued)."""
    def ocr(path: Path) -> str:
        _run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(path.with_suffix(""))])
        out = []
        for k, pg in enumerate(sorted(path.parent.glob("sop-*.png")), start=1):
            base = pg.with_suffix("")
            _run(["tesseract", str(pg), str(base), "-l", "ind", "--psm", str(psm), fmt],
                 timeout=300)  # fmt: skip
            text = base.with_suffix("." + ("xml" if fmt == "alto" else fmt)).read_text(
                encoding="utf-8", errors="replace")
            if fmt == "tsv":
                rows = text.splitlines()
                head, body = rows[:1], rows[1:]
                body = ["\t".join([r.split("\t")[0], str(k), *r.split("\t")[2:]])
                        for r in body if r.count("\t") >= 11]  # fmt: skip
                text = "\n".join((head if k == 1 else []) + body) + "\n"
            out.append(text)
        return "".join(out)

    return _with_pdf(pdf, ocr)


# -- forms made from the model -------------------------------------------------------------------


def _word_cell(text: str, rng: random.Random) -> str:
    """A cell as Word's plain-text copy gives it: paragraph breaks stay as line breaks
    (which break the row over several lines); tabs inside a cell become spaces."""
    text = text.replace("\t", " ")
    if len(text) > 60 and rng.random() < 0.25:
        cut = text.rfind(" ", 0, len(text) // 2)
        if cut > 0:
            text = text[:cut] + "\n" + text[cut + 1:]
    return text


Block = str | list[list[str]]
"""A piece of a Word document as a text form sees it: a paragraph, or a table as rows of
cells (a cell's paragraph breaks kept as ``\\n``)."""


def word_document(sop: Sop, header: HeaderVariant, seed: int = 0) -> list[Block]:
    """The generated SOP as the Word document the project's Word forms are written from.

    The identity block is the two-column grid of the first page (agency cell, then label and
    value cells); the flowchart symbols are drawn shapes, so role cells are empty. Merged
    header cells give their text once followed by empty cells, as Word does.
    """
    rng = random.Random(seed)
    i = sop.identity
    ab = i.approved_by
    approver = " ".join(f"{ab.position} {ab.name} {ab.rank} {ab.id_kind}. {ab.id_number}"
                        .split()) if ab else ""
    ident: list[list[str]] = [
        [f"{i.agency} {i.unit}".strip(), "Nomor SOP", i.number],
        ["", "Tanggal Pembuatan", i.created.text if i.created else ""],
        ["", "Tanggal Revisi", i.revised.text if i.revised else ""],
        ["", "Tanggal Efektif", i.effective.text if i.effective else ""],
        ["", "Disahkan oleh", approver],
        ["Nama SOP", i.name, ""],
    ]
    field_of = {"Dasar Hukum": sop.legal_basis, "Kualifikasi Pelaksana": sop.qualifications,
                "Keterkaitan": sop.related_sops, "Peralatan/Perlengkapan": sop.equipment,
                "Peringatan": sop.cautions, "Pencatatan dan Pendataan": sop.records}
    for left, right in (("Dasar Hukum", "Kualifikasi Pelaksana"),
                        ("Keterkaitan", "Peralatan/Perlengkapan"),
                        ("Peringatan", "Pencatatan dan Pendataan")):
        ident.append([left, right])
        a = " ".join(f"{n} {x}" for n, x in enumerate(field_of[left], 1))
        b = " ".join(f"{n} {x}" for n, x in enumerate(field_of[right], 1))
        ident.append([a, b])
    k = len(sop.roles)
    pel = "Pelaksana" if header.pelaksana_text else ""
    table: list[list[str]] = [
        [header.no, header.activity, pel, *[""] * (k - 1), header.mutu, "", "", header.notes],
        ["", "", *sop.roles, header.requirements, "Waktu", "Output", ""],
    ]
    if header.numbered_row:
        table.append([f"({n})" for n in range(1, k + 7)])
    for s in sop.steps:
        table.append([str(s.number), _word_cell(s.activity, rng), *[""] * k,
                      _word_cell(s.requirements, rng), s.duration.text, s.output,
                      _word_cell(s.notes, rng)])
    return [ident, "", f"SOP {i.name}", "", table]


def word_tsv(sop: Sop, header: HeaderVariant, seed: int = 0) -> str:
    """A Word table copied as text: one line per row, cells separated by tabs (a cell's
    paragraph break breaks its row over two lines), paragraphs as lines."""
    lines: list[str] = []
    for block in word_document(sop, header, seed):
        if isinstance(block, str):
            lines.append(block)
        else:
            lines += ["\t".join(row) for row in block]
    return "\n".join(lines) + "\n"


def spreadsheet_csv(sop: Sop, header: HeaderVariant, seed: int = 0) -> str:
    """The table saved as CSV by a spreadsheet: the Word table's cells, ``;`` as Excel writes
    it in an Indonesian locale (``,`` for every third seed), quoted where a cell needs it."""
    import csv

    rows = csv.reader(io.StringIO(word_tsv(sop, header, seed)), delimiter="\t")
    out = io.StringIO()
    csv.writer(out, delimiter="," if seed % 3 == 0 else ";").writerows(rows)
    return out.getvalue()


def markdown_table(sop: Sop, header: HeaderVariant, seed: int = 0) -> str:
    """The table as a document converter writes Markdown: a pipe row per table row, the
    separator under the first header row, cell line breaks as ``<br>``."""
    lines = []
    for n, line in enumerate(word_tsv(sop, header, seed).split("\n")):
        cells = [c.replace("|", "\\|") for c in line.split("\t")]
        lines.append("| " + " | ".join(cells) + " |" if line.strip() else "")
        if n == 0:
            lines.append("|" + " --- |" * len(cells))
    return "\n".join(lines) + "\n"


def word_web_page(sop: Sop, header: HeaderVariant, seed: int = 0) -> str:
    """Word's "Save as Web Page" of the drawn SOP (:mod:`tests.support.word_html`)."""
    from tests.support.sop_generator import GeneratedSop
    from tests.support.word_html import word_html

    return word_html(GeneratedSop(seed, sop, header, frozenset()), alt=False, seed=seed)


def cell_per_line(sop: Sop, header: HeaderVariant, seed: int = 0) -> str:
    """A table as ``docx2txt``, Apache Tika's plain text or a browser copy of some tables
    writes it: every cell's text on its own line(s), cells separated by a blank line, row
    after row. ``docx2txt`` keeps an empty cell as an empty paragraph (one more blank line
    for each, even seeds); a browser copy drops them (odd seeds), so a blank line is all that
    is left between two filled cells."""
    keep_empty = seed % 2 == 0
    parts: list[str] = []
    for block in word_document(sop, header, seed):
        if isinstance(block, str):
            if block:
                parts.append(block)
            continue
        for row in block:
            parts += [cell for cell in row if keep_empty or cell.strip()]
    return "\n\n".join(parts) + "\n"


def _grid_widths(table: list[list[str]], limit: int) -> list[int]:
    """Column widths as a converter chooses them: the longest word at least, the longest
    line at most, no wider than ``limit`` (a wide cell wraps)."""
    n = max(len(r) for r in table)
    widths = []
    for c in range(n):
        cells = [r[c] for r in table if c < len(r)]
        lines = [ln for cell in cells for ln in cell.split("\n")]
        longest_word = max((len(w) for ln in lines for w in ln.split()), default=1)
        widths.append(max(longest_word, min(limit, max((len(ln) for ln in lines), default=1)), 1))
    return widths


def _grid_cell_lines(text: str, width: int) -> list[str]:
    out: list[str] = []
    for para in text.split("\n"):
        out += textwrap.wrap(para, width=width, break_long_words=False) or [""]
    return out


def _column_tables(
    sop: Sop, header: HeaderVariant, seed: int, salt: int
) -> Iterator[str | tuple[list[int], list[list[list[str]]]]]:
    """The Word document's blocks for a writer of tables in fixed text columns (grid tables,
    pandoc's multiline tables): a paragraph as it is (empty ones dropped), a table as its
    column widths and, per row, its lines, each line a text per column: every cell wrapped
    inside its column (at most a random width, ``salt`` picking the draw) and the row as high
    as its highest cell."""
    rng = random.Random(seed * 7 + salt)
    limit = rng.choice((18, 24, 30, 40))
    for block in word_document(sop, header, seed):
        if isinstance(block, str):
            if block:
                yield block
            continue
        n = max(len(r) for r in block)
        rows = [r + [""] * (n - len(r)) for r in block]
        widths = _grid_widths(rows, limit)
        laid: list[list[list[str]]] = []
        for row in rows:
            cells = [_grid_cell_lines(c, w) for c, w in zip(row, widths, strict=True)]
            height = max(len(c) for c in cells)
            laid.append([[c[h] if h < len(c) else "" for c in cells] for h in range(height)])
        yield widths, laid


def grid_table(sop: Sop, header: HeaderVariant, seed: int = 0) -> str:
    """Tables as grid tables (pandoc ``-t plain``/``rst``, docling's text export, many "docx to
    text" converters): ``+----+-----+`` rules around every row, ``|`` between cells, a cell's
    text wrapped over lines inside its column, the first row closed by ``+====+``. Paragraphs
    stay lines with blank lines between them. Merged cells are written as their first cell
    and empty ones (as a converter that knows no spans does)."""
    parts: list[str] = []
    for block in _column_tables(sop, header, seed, 1):
        if isinstance(block, str):
            parts.append(block)
            continue
        widths, rows = block
        rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        lines = [rule]
        for i, row in enumerate(rows):
            for texts in row:
                lines.append("|" + "|".join(
                    f" {t:<{w}} " for t, w in zip(texts, widths, strict=True)) + "|")
            lines.append(rule.replace("-", "=") if i == 0 else rule)
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def simple_table(sop: Sop, header: HeaderVariant, seed: int = 0) -> str:
    """Tables as pandoc's multiline tables (``-t plain`` or ``markdown`` without grid tables):
    no ``|`` at all; a dashed line above and below each table, the header row underlined by
    one dash run per column (a space between runs), each row's cells wrapped inside their
    columns and a blank line after every row."""
    parts: list[str] = []
    for block in _column_tables(sop, header, seed, 2):
        if isinstance(block, str):
            parts.append(block)
            continue
        widths, rows = block
        full = "-" * (sum(widths) + len(widths) - 1)
        lines = [full]
        for i, row in enumerate(rows):
            for texts in row:
                lines.append(" ".join(
                    f"{t:<{w}}" for t, w in zip(texts, widths, strict=True)).rstrip())
            if i == 0:
                lines.append(" ".join("-" * w for w in widths))
            elif i < len(rows) - 1:
                lines.append("")
        lines.append(full)
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _chop(text: str, width: int) -> list[str]:
    """Wrap like a narrow text box: words longer than the box are cut ("Tida" / "k")."""
    return textwrap.wrap(text, width=width, break_long_words=True) or []


def flipbook_text(sop: Sop, header: HeaderVariant, seed: int = 0) -> str:
    """A flipbook's "basic HTML" page text: every text box of the page on its own lines,
    wrapped at the box's width, so header words and branch labels are cut mid-word
    ("Kelengkap" / "an", "Tida" / "k"), and the symbols' labels sit between the cells."""
    rng = random.Random(seed)
    role_w = rng.choice((8, 10, 12))
    out = ["P: 1", sop.identity.agency, f"Nomor SOP {sop.identity.number}",
           f"Nama SOP {sop.identity.name}", "", "P: 2", f"SOP {sop.identity.name}"]
    out += _chop(header.no, 3) + _chop(header.activity, 12)
    if header.pelaksana_text:
        out.append("Pelaksana")
    out += _chop(header.mutu, 6)
    for role in sop.roles:
        out += _chop(role, role_w)
    out += [*_chop(header.requirements, 9), "Waktu", "Output", *_chop(header.notes, 9)]
    if header.numbered_row:
        out += [f"({n})" for n in range(1, len(sop.roles) + 7)]
    page = 2
    for n, s in enumerate(sop.steps, 1):
        if n % 12 == 0:
            page += 1
            out += ["", f"P: {page}"]
        out.append(str(s.number))
        out += _chop(s.activity, 48)
        if s.decision is not None:
            out += _chop(s.decision.labels[1], 4) + _chop(s.decision.labels[0], 6)
        out += _chop(s.requirements, 12) + _chop(s.duration.text, 9)
        out += _chop(s.output, 10) + _chop(s.notes, 9)
    return "\n".join(out) + "\n"


# -- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextForm:
    """One way to turn a document into text. ``from_pdf`` forms take PDF bytes; the others
    take the model and its header wording. ``filename`` is the name a user's file would have
    (the readers use its extension as a hint)."""

    name: str
    filename: str
    from_pdf: bool
    ocr: bool
    make: Callable[..., str]


def _ocr(dpi: int, psm: int) -> Callable[[bytes], str]:
    return lambda pdf: tesseract(pdf, dpi, psm)


def _ocr_boxes(dpi: int, psm: int, fmt: str) -> Callable[[bytes], str]:
    return lambda pdf: tesseract_boxes(pdf, dpi, psm, fmt)


FORMS: tuple[TextForm, ...] = (
    TextForm("pdftotext -layout", "sop.txt", True, False, pdftotext_layout),
    TextForm("pdftotext", "sop.txt", True, False, pdftotext_plain),
    TextForm("pdftotext -raw (viewer copy)", "sop.txt", True, False, pdftotext_raw_order),
    TextForm("pdftohtml -s -i -noframes", "sop.html", True, False, pdftohtml_positioned),
    TextForm("pdftohtml -xml", "sop.xml", True, False, pdftohtml_xml),
    TextForm("pdftotext -bbox-layout", "sop.html", True, False, pdftotext_bbox),
    TextForm("pdftotext -tsv", "sop.tsv", True, False, pdftotext_tsv),
    TextForm("word table (tsv)", "sop.txt", False, False, word_tsv),
    TextForm("flipbook basic html", "sop.txt", False, False, flipbook_text),
    TextForm("spreadsheet csv", "sop.csv", False, False, spreadsheet_csv),
    TextForm("markdown table", "sop.md", False, False, markdown_table),
    TextForm("word web page (html)", "sop.htm", False, False, word_web_page),
    TextForm("pdfplumber text", "sop.txt", True, False, pdfplumber_text),
    TextForm("pdfplumber layout", "sop.txt", True, False, pdfplumber_layout),
    TextForm("pdfplumber tables (tab)", "sop.txt", True, False, pdfplumber_tables("\t")),
    TextForm("pdfplumber tables (bars)", "sop.txt", True, False, pdfplumber_tables(" | ")),
    TextForm("cell per line", "sop.txt", False, False, cell_per_line),
    TextForm("grid table", "sop.txt", False, False, grid_table),
    TextForm("pandoc multiline table", "sop.txt", False, False, simple_table),
    TextForm("tesseract 150dpi psm 6", "sop.txt", True, True, _ocr(150, 6)),
    TextForm("tesseract 150dpi psm 4", "sop.txt", True, True, _ocr(150, 4)),
    TextForm("tesseract 150dpi psm 3", "sop.txt", True, True, _ocr(150, 3)),
    TextForm("tesseract 300dpi psm 6", "sop.txt", True, True, _ocr(300, 6)),
    TextForm("tesseract 300dpi psm 4", "sop.txt", True, True, _ocr(300, 4)),
    TextForm("tesseract 300dpi psm 3", "sop.txt", True, True, _ocr(300, 3)),
    TextForm("hOCR 300dpi (psm 3)", "sop.hocr", True, True, _ocr_boxes(300, 3, "hocr")),
    TextForm("hOCR 150dpi (psm 3)", "sop.hocr", True, True, _ocr_boxes(150, 3, "hocr")),
    TextForm("ALTO 300dpi (psm 3)", "sop.xml", True, True, _ocr_boxes(300, 3, "alto")),
    TextForm("OCR words tsv 300dpi (psm 3)", "sop.tsv", True, True, _ocr_boxes(300, 3, "tsv")),
)
"""Every text form, in the order the bench prints them."""

FORM_BY_NAME = {f.name: f for f in FORMS}


@dataclass(frozen=True)
class ReadResult:
    """The ``alur inspect --json`` object, or what went wrong: ``error`` is the
    ConversionError message (the reader refused), ``crash`` the exception of any other kind
    (a reader bug)."""

    data: dict[str, Any] | None
    error: str = ""
    crash: str = ""


def read_contract(text: str, filename: str) -> ReadResult:
    """Read ``text`` as ``alur inspect FILE --json`` would, in process."""
    from webui.cli import inspect

    with tempfile.TemporaryDirectory(prefix="alur-fidelity-") as tmp:
        path = Path(tmp) / filename
        path.write_text(text, encoding="utf-8")
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                inspect.run(argparse.Namespace(file=str(path), json=True, width=0, all=False))
        except ConversionError as exc:
            return ReadResult(None, error=str(exc))
        except Exception as exc:
            return ReadResult(None, crash=f"{type(exc).__name__}: {exc}")
    return ReadResult(json.loads(out.getvalue()))




# -- one case: a generated SOP, drawn, turned into text, read and scored --------------------------


def _drawn_templates() -> tuple[str, ...]:
    """The templates of the other harness's vector-PDF fixtures (tests/support/
    drawn_fixtures.py), when that module is there: more header variants, drawn another way."""
    if importlib.util.find_spec("tests.support.drawn_fixtures") is None:
        return ()
    from tests.support import drawn_fixtures

    return tuple(f"drawn {name}" for name in drawn_fixtures.TEMPLATES)


RENDERERS: tuple[str, ...] = ("official a4", "official f4", "table a4", "table f4",
                              *_drawn_templates())
"""The PDF a seed is drawn as: Alur's own document (fixed header wording), the variant table
of :mod:`tests.support.table_pdf` (the seed's header wording), on A4 or F4, or one of the
templates of :mod:`tests.support.drawn_fixtures`."""


def render_pdf(g: GeneratedSop) -> tuple[str, bytes]:
    """The seed's PDF and the renderer's name; the choice follows the seed so every
    renderer gets an equal share of any run. A drawn-fixture template that cannot draw this
    SOP falls back to the variant table (the name says so)."""
    name = RENDERERS[g.seed % len(RENDERERS)]
    kind, _, rest = name.partition(" ")
    if kind == "official":
        from converters.drawing.document import render_document

        return name, render_document(g.sop, "pdf", rest)
    from tests.support.table_pdf import render_table_pdf

    if kind == "drawn":
        from tests.support import drawn_fixtures

        try:
            return name, drawn_fixtures.draw(g.sop, drawn_fixtures.TEMPLATES[rest])
        except Exception:
            return f"{name} -> table a4", render_table_pdf(g.sop, g.header, "a4")
    return name, render_table_pdf(g.sop, g.header, rest)


@dataclass(frozen=True)
class CaseResult:
    """One (seed, form) run: the score and how the read went."""

    seed: int
    form: str
    renderer: str
    tally: Tally
    error: str = ""
    crash: str = ""


OCR_CACHE = Path(os.environ.get("ALUR_OCR_CACHE") or "/tmp/alur-ocr-cache")
"""Tesseract texts of generated SOPs (15-30 s a document), kept outside the project."""


def _ocr_cache(seed: int, form: str, g: GeneratedSop) -> Path:
    """The cache file of one seed's OCR text: keyed by the seed, the form and a digest of the
    generated SOP, so a changed generator never reads an old text."""
    digest = hashlib.sha1(repr((g.sop, g.header)).encode()).hexdigest()[:12]
    return OCR_CACHE / f"{seed}-{form.replace(' ', '_')}-{digest}.txt"


def texts_of(g: GeneratedSop,
             form_names: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """The generated SOP ``g`` in each of ``form_names``: (the renderer's name, the text).
    The PDF is drawn once; OCR texts come from (and go to) the cache."""
    pdf: tuple[str, bytes] | None = None
    out = []
    for name in form_names:
        form = FORM_BY_NAME[name]
        cached = _ocr_cache(g.seed, name, g) if form.ocr else None
        if cached is not None and cached.exists():
            renderer, text = "cached OCR", cached.read_text(encoding="utf-8")
        elif form.from_pdf:
            pdf = pdf or render_pdf(g)
            renderer, text = pdf[0], form.make(pdf[1])
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                # written aside and renamed: a run reading the cache at the same time never
                # sees half a text
                part = cached.with_suffix(f".{os.getpid()}.part")
                part.write_text(text, encoding="utf-8")
                part.replace(cached)
        else:
            renderer, text = "model", form.make(g.sop, g.header, g.seed)
        out.append((renderer, text))
    return out


def run_seed(seed: int, form_names: tuple[str, ...] | list[str],
             drawn_decisions: bool = False) -> list[CaseResult]:  # fmt: skip
    """Generate SOP ``seed``, draw it once, and read and score it in each of ``form_names``.
    ``drawn_decisions``: its decisions stated by the drawing alone (:func:`drawn_only`)."""
    g = drawn_only(generate(seed)) if drawn_decisions else generate(seed)
    truth = truth_of(g)
    out = []
    for name, (renderer, text) in zip(form_names, texts_of(g, form_names), strict=True):
        form = FORM_BY_NAME[name]
        result = read_contract(text, form.filename)
        out.append(CaseResult(seed, name, renderer, score(truth, result.data), result.error,
                              result.crash))
    return out


def run_case(seed: int, form_name: str) -> CaseResult:
    """One SOP in one form (see :func:`run_seed`)."""
    return run_seed(seed, [form_name])[0]
