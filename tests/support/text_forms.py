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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from converters.model import ConversionError, Sop
from tests.support.sop_generator import (
    GeneratedSop,
    HeaderVariant,
    Tally,
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


def word_tsv(sop: Sop, header: HeaderVariant, seed: int = 0) -> str:
    """A Word table copied as text: one line per row, cells separated by tabs.

    The identity block is the two-column grid of the first page (agency cell, then label and
    value cells); the flowchart symbols are drawn shapes, so role cells are empty. Merged
    header cells give their text once followed by empty cells, as Word does.
    """
    rng = random.Random(seed)
    i = sop.identity
    ab = i.approved_by
    approver = " ".join(f"{ab.position} {ab.name} {ab.rank} {ab.id_kind}. {ab.id_number}"
                        .split()) if ab else ""
    lines = [
        f"{i.agency} {i.unit}".strip() + f"\tNomor SOP\t{i.number}",
        f"\tTanggal Pembuatan\t{i.created.text if i.created else ''}",
        f"\tTanggal Revisi\t{i.revised.text if i.revised else ''}",
        f"\tTanggal Efektif\t{i.effective.text if i.effective else ''}",
        f"\tDisahkan oleh\t{approver}",
        f"Nama SOP\t{i.name}\t",
    ]
    for left, right in (("Dasar Hukum", "Kualifikasi Pelaksana"),
                        ("Keterkaitan", "Peralatan/Perlengkapan"),
                        ("Peringatan", "Pencatatan dan Pendataan")):
        lines.append(f"{left}\t{right}")
        field_of = {"Dasar Hukum": sop.legal_basis, "Kualifikasi Pelaksana": sop.qualifications,
                    "Keterkaitan": sop.related_sops, "Peralatan/Perlengkapan": sop.equipment,
                    "Peringatan": sop.cautions, "Pencatatan dan Pendataan": sop.records}
        a = " ".join(f"{n} {x}" for n, x in enumerate(field_of[left], 1))
        b = " ".join(f"{n} {x}" for n, x in enumerate(field_of[right], 1))
        lines.append(f"{a}\t{b}")
    lines += ["", f"SOP {i.name}", ""]
    k = len(sop.roles)
    pel = "Pelaksana" if header.pelaksana_text else ""
    lines.append("\t".join([header.no, header.activity, pel, *[""] * (k - 1), header.mutu,
                            "", "", header.notes]))
    lines.append("\t".join(["", "", *sop.roles, header.requirements, "Waktu", "Output", ""]))
    if header.numbered_row:
        lines.append("\t".join(f"({n})" for n in range(1, k + 7)))
    for s in sop.steps:
        cells = [str(s.number), _word_cell(s.activity, rng), *[""] * k,
                 _word_cell(s.requirements, rng), s.duration.text, s.output,
                 _word_cell(s.notes, rng)]
        lines.append("\t".join(cells))
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


FORMS: tuple[TextForm, ...] = (
    TextForm("pdftotext -layout", "sop.txt", True, False, pdftotext_layout),
    TextForm("pdftotext", "sop.txt", True, False, pdftotext_plain),
    TextForm("pdftotext -raw (viewer copy)", "sop.txt", True, False, pdftotext_raw_order),
    TextForm("pdftohtml -s -i -noframes", "sop.html", True, False, pdftohtml_positioned),
    TextForm("pdftohtml -xml", "sop.xml", True, False, pdftohtml_xml),
    TextForm("word table (tsv)", "sop.txt", False, False, word_tsv),
    TextForm("flipbook basic html", "sop.txt", False, False, flipbook_text),
    TextForm("spreadsheet csv", "sop.csv", False, False, spreadsheet_csv),
    TextForm("markdown table", "sop.md", False, False, markdown_table),
    TextForm("word web page (html)", "sop.htm", False, False, word_web_page),
    TextForm("tesseract 150dpi psm 6", "sop.txt", True, True, _ocr(150, 6)),
    TextForm("tesseract 150dpi psm 4", "sop.txt", True, True, _ocr(150, 4)),
    TextForm("tesseract 150dpi psm 3", "sop.txt", True, True, _ocr(150, 3)),
    TextForm("tesseract 300dpi psm 6", "sop.txt", True, True, _ocr(300, 6)),
    TextForm("tesseract 300dpi psm 4", "sop.txt", True, True, _ocr(300, 4)),
    TextForm("tesseract 300dpi psm 3", "sop.txt", True, True, _ocr(300, 3)),
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
                cached.write_text(text, encoding="utf-8")
        else:
            renderer, text = "model", form.make(g.sop, g.header, g.seed)
        out.append((renderer, text))
    return out


def run_seed(seed: int, form_names: tuple[str, ...] | list[str]) -> list[CaseResult]:
    """Generate SOP ``seed``, draw it once, and read and score it in each of ``form_names``."""
    g = generate(seed)
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
