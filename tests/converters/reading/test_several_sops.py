"""A document that holds several SOPs (a compilation) is read as several SOPs.

The compilations are made here: SOPs with known truth (``tests/support/sop_generator``) drawn
by Alur's own renderers and joined with ``pdfunite`` into one PDF, the way an agency binds
"Kumpulan SOP" from its single SOPs. A single long SOP over several pages stays one SOP.
The real scan S08 (two flowchart tables under one identity page) runs on the bench.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from converters.drawing.document import render_document
from converters.model import Sop
from converters.reading.compilation import split_text
from converters.reading.drawn import documents
from converters.reading.drawn.documents import split_pages
from converters.reading.drawn.interpret.table import PageTable, find_tables
from converters.reading.drawn.picture import Page, Picture, TextRun
from converters.reading.drawn.reading import picture_of
from converters.reading.sop_file import SEVERAL_SOPS, read_sop, read_sops
from tests.support.sop_generator import generate
from tests.support.table_pdf import render_table_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdfunite") is None, reason="poppler-utils absent")

SHORT = (2, 11, 4)
"""Seeds of short generated SOPs (10, 4 and 3 steps: one or two pages each)."""
LONG = 5
"""A generated SOP of 30 steps: its table runs over four pages."""


def unite(tmp: Path, parts: list[bytes], name: str = "kumpulan.pdf") -> Path:
    """The PDFs ``parts`` bound into one file, as pdfunite does it."""
    files = []
    for i, data in enumerate(parts):
        f = tmp / f"part{i}.pdf"
        f.write_bytes(data)
        files.append(f)
    out = tmp / name
    subprocess.run(["pdfunite", *map(str, files), str(out)], check=True, capture_output=True)
    return out


def drop_first_page(tmp: Path, data: bytes) -> bytes:
    """``data`` without its first page (an SOP whose identity page is not in the file)."""
    src = tmp / "whole.pdf"
    src.write_bytes(data)
    pages = int(
        subprocess.run(["pdfinfo", str(src)], capture_output=True, text=True, check=True)
        .stdout.split("Pages:")[1]
        .split()[0]
    )
    subprocess.run(["pdfseparate", "-f", "2", str(src), str(tmp / "p%d.pdf")], check=True)
    out = tmp / "rest.pdf"
    subprocess.run(
        ["pdfunite", *(str(tmp / f"p{i}.pdf") for i in range(2, pages + 1)), str(out)], check=True
    )
    return out.read_bytes()


def assert_same_sop(got: Sop, truth: Sop) -> None:
    assert [s.number for s in got.steps] == [s.number for s in truth.steps]
    assert [s.role for s in got.steps] == [s.role for s in truth.steps]
    assert [s.decision is not None for s in got.steps] == [
        s.decision is not None for s in truth.steps
    ]


def test_a_compilation_of_three_drawn_sops_is_read_as_three(tmp_path: Path) -> None:
    truths = [generate(seed).sop for seed in SHORT]
    path = unite(tmp_path, [render_document(t, "pdf") for t in truths])
    sops = read_sops(path)
    assert len(sops) == 3
    for got, truth in zip(sops, truths, strict=True):
        assert got.identity.number == truth.identity.number
        assert got.identity.name == truth.identity.name
        assert_same_sop(got, truth)
        assert SEVERAL_SOPS not in {w.code for w in got.warnings}


def test_read_sop_gives_the_first_and_says_how_many_there_are(tmp_path: Path) -> None:
    truths = [generate(seed).sop for seed in SHORT[:2]]
    data = unite(tmp_path, [render_document(t, "pdf") for t in truths]).read_bytes()
    sop = read_sop(data, "kumpulan.pdf")
    assert_same_sop(sop, truths[0])
    notes = [w for w in sop.warnings if w.code == SEVERAL_SOPS]
    assert len(notes) == 1
    assert "memuat 2 SOP" in notes[0].message and "alur convert" in notes[0].message


def test_a_long_sop_over_several_pages_stays_one(tmp_path: Path) -> None:
    truth = generate(LONG)
    for data in (render_document(truth.sop, "pdf"), render_table_pdf(truth.sop, truth.header)):
        pic = picture_of(data)
        assert pic is not None and len(pic.pages) >= 3  # continuation pages: header repeated
        sops = read_sops(data, "panjang.pdf")
        assert len(sops) == 1
        assert_same_sop(sops[0], truth.sop)
        assert SEVERAL_SOPS not in {w.code for w in read_sop(data, "p.pdf").warnings}


def test_a_long_sop_between_short_ones_is_cut_only_at_its_edges(tmp_path: Path) -> None:
    truths = [generate(seed).sop for seed in (SHORT[0], LONG, SHORT[1])]
    path = unite(tmp_path, [render_document(t, "pdf") for t in truths])
    sops = read_sops(path)
    assert [len(s.steps) for s in sops] == [len(t.steps) for t in truths]
    for got, truth in zip(sops, truths, strict=True):
        assert_same_sop(got, truth)


def test_a_table_numbered_from_one_again_starts_a_new_sop_without_a_title_page(
    tmp_path: Path,
) -> None:
    """Two tables under one identity page (as in the real scan S08): the second table's
    rows numbered from 1 again are a second SOP, not rows of the first's last step."""
    first, second = generate(SHORT[0]).sop, generate(SHORT[1]).sop
    path = unite(
        tmp_path,
        [render_document(first, "pdf"), drop_first_page(tmp_path, render_document(second, "pdf"))],
    )
    sops = read_sops(path)
    assert len(sops) == 2
    assert_same_sop(sops[0], first)
    assert_same_sop(sops[1], second)
    assert sops[0].identity.number == first.identity.number
    assert sops[1].identity.number != first.identity.number  # no identity of its own to read


def test_compilations_of_typed_table_pdfs_are_cut_too(tmp_path: Path) -> None:
    gens = [generate(seed) for seed in SHORT]
    path = unite(tmp_path, [render_table_pdf(g.sop, g.header) for g in gens])
    sops = read_sops(path)
    assert [s.identity.number for s in sops] == [g.sop.identity.number for g in gens]
    for got, g in zip(sops, gens, strict=True):
        assert_same_sop(got, g.sop)


# -- the cut itself, on pictures -----------------------------------------------------------


def test_the_identity_block_repeated_on_each_page_of_one_sop_is_no_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page whose identity block names the SOP already being read (some templates repeat
    it above every page of the table) continues that SOP; so does a page whose block reads
    another value (an OCR slip) while its table goes on numbering."""
    truth = generate(LONG).sop
    pic = picture_of(render_document(truth, "pdf"))
    assert pic is not None and len(pic.pages) >= 4
    whole = [[p.number for p in pic.pages]]
    marks = {truth.identity.number.lower(), truth.identity.name.lower()}
    monkeypatch.setattr(documents, "_identity", lambda page, table: set(marks))
    assert [[p.number for p in g] for g in split_pages(pic.pages)] == whole
    monkeypatch.setattr(
        documents, "_identity", lambda page, table: {"lain"} if page.number == 3 else set(marks)
    )
    assert [[p.number for p in g] for g in split_pages(pic.pages)] == whole


def test_a_title_page_after_the_last_step_starts_the_next_sop() -> None:
    a = picture_of(render_document(generate(SHORT[0]).sop, "pdf"))
    b = picture_of(render_document(generate(SHORT[1]).sop, "pdf"))
    assert a is not None and b is not None
    n = len(a.pages)
    renumbered = [
        Page(p.number + n, p.width, p.height, p.cells, p.texts, p.shapes) for p in b.pages
    ]
    groups = split_pages([*a.pages, *renumbered])
    assert [[p.number for p in g] for g in groups] == [
        [p.number for p in a.pages],
        [p.number for p in renumbered],
    ]


def _plain_column_numbers(page: Page) -> Page:
    """The page with its "(1) (2) ..." column numbers written "1 2 ..." (as the BPS corpus
    writes them: then the row's ``1`` stands in the No column like a step number)."""
    texts = tuple(TextRun(re.sub(r"^\((\d+)\)$", r"\1", t.text), t.box) for t in page.texts)
    return replace(page, texts=texts)


def _renumbered(page: Page, table: PageTable, shift: int, number: int) -> Page:
    """The page again as page ``number``, its step numbers (not the column numbers) moved on
    by ``shift``: a continuation page that repeats the whole header."""
    no = table.columns[0]
    texts = []
    for t in page.texts:
        row = table.row_at(t.box.cy)
        if (
            row is not None
            and row.number is not None
            and no.x0 <= t.box.cx <= no.x1
            and not documents._index_row(table, row)
            and t.text.isdigit()
        ):
            t = TextRun(str(int(t.text) + shift), t.box)
        texts.append(t)
    return replace(page, number=number, texts=tuple(texts))


def test_a_row_of_column_numbers_is_no_step_one() -> None:
    """The "1 2 3 ..." row under the column titles puts a 1 in the No column; a page whose
    header repeats it goes on numbering all the same (no cut)."""
    g = generate(LONG)
    assert g.header.numbered_row
    pic = picture_of(render_table_pdf(g.sop, g.header))
    assert pic is not None
    title, first = pic.pages[0], _plain_column_numbers(pic.pages[1])
    table = find_tables([first])[0]
    assert [r.number for r in table.rows if r.number is not None][:2] == [1, 1]
    steps = documents._numbers(table)
    assert steps[:3] == [1, 2, 3]
    again = _renumbered(first, table, len(steps), 3)
    assert documents._numbers(find_tables([again])[0])[0] == len(steps) + 1
    assert [[p.number for p in grp] for grp in split_pages([title, first, again])] == [[1, 2, 3]]


CORPUS = [
    *sorted(Path("/work/shared/sop-corpus/pdf").glob("*.pdf")),
    *sorted(Path("/work/shared/sop-corpus/more").glob("*.pdf")),
]
ONE_SOP_SCANS = [
    p
    for p in sorted(Path("/work/shared/sop-corpus/scans").glob("S0*.pdf"))
    if not p.name.startswith("S08")  # two SOPs: test_the_real_scan_s08_holds_two_sops
]


@pytest.mark.bench
@pytest.mark.parametrize("path", CORPUS + ONE_SOP_SCANS, ids=lambda p: p.name[:3])
def test_each_real_single_sop_pdf_stays_one(path: Path) -> None:
    """The BPS corpus PDFs hold one SOP each, some over several pages with the header (and
    its row of column numbers) repeated: none may be cut."""
    pic = picture_of(path.read_bytes())
    assert pic is not None
    assert len(split_pages(pic.pages)) == 1


def test_a_single_page_picture_is_never_cut() -> None:
    pic = Picture("pdf-vector", (Page(1, 595, 842),))
    from converters.reading.drawn.documents import split_picture

    assert split_picture(pic) == [pic]


# -- the real scan S08: two tables numbered 1-4 under one identity page ---------------------

S08 = Path("/work/shared/sop-corpus/scans/S08_satpolpp-kalbar.pdf")


@pytest.mark.bench
@pytest.mark.skipif(not S08.exists(), reason="real scans (sop-corpus/scans) absent")
def test_the_real_scan_s08_holds_two_sops() -> None:
    sops = read_sops(S08)
    assert len(sops) == 2
    # the second table's four rows are steps of their own, not rows of the first's step 4
    assert [s.number for s in sops[1].steps] == [1, 2, 3, 4]
    cited = [
        {
            e.split(",")[0]
            for s in sop.steps
            for e in s.role_provenance.evidence
            if e.startswith("halaman ")
        }
        for sop in sops
    ]
    assert cited == [{"halaman 2"}, {"halaman 3"}]
    assert read_sop(S08).warnings[0].code == SEVERAL_SOPS


# -- text readers: the pdftotext -layout text of a compilation ------------------------------


def test_the_layout_text_of_a_compilation_is_read_as_its_sops(tmp_path: Path) -> None:
    """No drawing to read: the text is cut at each page with a new identity block, and each
    SOP reads as it reads alone (the same steps and roles as its own text gives)."""
    gens = [generate(seed) for seed in SHORT]
    pdfs = [render_table_pdf(g.sop, g.header) for g in gens]
    united = unite(tmp_path, pdfs)
    text = subprocess.run(
        ["pdftotext", "-layout", str(united), "-"], capture_output=True, check=True
    ).stdout
    sops = read_sops(text, "kumpulan.txt")
    assert [s.identity.number for s in sops] == [g.sop.identity.number for g in gens]
    for got, pdf in zip(sops, pdfs, strict=True):
        alone = read_sop(
            subprocess.run(
                ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
            ).stdout,
            "satu.txt",
        )
        assert [(s.number, s.role) for s in got.steps] == [(s.number, s.role) for s in alone.steps]
    first = read_sop(text, "kumpulan.txt")
    assert first.warnings[0].code == SEVERAL_SOPS and "memuat 3 SOP" in first.warnings[0].message


def test_text_pages_repeating_one_identity_block_are_one_sop() -> None:
    g = generate(LONG)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=render_table_pdf(g.sop, g.header),
        capture_output=True,
        check=True,
    ).stdout.decode()
    pages = text.split("\f")
    identity = pages[0]
    repeated = "\f".join([pages[0], *(identity + p for p in pages[1:])])
    assert split_text(repeated) == [repeated]


@pytest.mark.bench
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:2])
def test_each_real_single_sop_text_stays_one(path: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert split_text(text) == [text]


# -- a scanned compilation: page pictures, no text layer -----------------------------------


def test_a_scanned_compilation_is_read_as_its_sops() -> None:
    """Two scanned SOPs in one image-only PDF: cut at the second identity page, each SOP's
    identity read from its own identity page (the scan's header text holds both)."""
    from tests.support.scan_fixtures import ScanFixture, as_pdf, render_scan

    truths = [generate(seed).sop for seed in SHORT[1:]]
    scans = [render_scan(t, dpi=200) for t in truths]
    both = ScanFixture(truths[0], scans[0].images + scans[1].images, (), 200)
    sops = read_sops(as_pdf(both), "pindaian.pdf")
    assert sops[0].source_format == "scan"
    assert [s.identity.name for s in sops] == [t.identity.name for t in truths]
    assert [[s.number for s in got.steps] for got in sops] == [
        [s.number for s in t.steps] for t in truths
    ]
    for got, truth in zip(sops, truths, strict=True):
        right = sum(a.role == b.role for a, b in zip(got.steps, truth.steps, strict=True))
        assert right >= len(truth.steps) - 1, (got.steps, truth.steps)
