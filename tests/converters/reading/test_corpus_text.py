"""The text readers held to today's figures on a fixed slice of the real corpus (issue 11).

``bench/corpus_text.py`` measures every text form on all 38 signed PDFs with reviewed truth;
this module holds three of them, as ``pdftotext -layout`` and plain ``pdftotext`` texts, to
floors at the figures of the day it was written, so that reader work cannot quietly lose
ground: every document is read, and the truth's step numbers are found (exactly, where they
were all found that day). The texts are made from the corpus PDFs in place (never copied)
and read as the bytes of an uploaded ``sop.txt``, the drawn reader kept out (a text has no
drawing; the test checks that it is not the one answering). Skipped without the corpus or
without poppler's ``pdftotext``.

Not exact today, and why (plain ``pdftotext`` keeps content-stream order, not the page's):

* 05 plain: 4 of 5. The identity block's "Kualifikasi Pelaksana" list (``1.`` ``2.`` ``3.``)
  comes before the table and is read as steps 1-3; the table's own rows run column-wise
  (numbers, then activities, then Waktu cells), so only step 5 is matched to a row, and step 4
  is lost. The step numbers 1-3 that count here are the wrong rows.
* 15 plain: 3 of 7. The numbered header row ``(1)..(8)`` and the "Kelengkapan"/"Waktu"/
  "Output" header words come *after* rows 1-3 in content order, so the table is taken to start
  after them and rows 1-3 are dropped; step 5's Mutu Baku cells interleave with its activity
  and the row is merged into step 4.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import cache

import pytest

from converters.model import Sop
from converters.reading.drawn.reading import picture_of
from converters.reading.sop_file import read_sop
from tests.support.corpus import ABSENT, CORPUS
from tests.support.drawn_golden import Golden, load
from tests.support.text_forms import pdftotext_layout, pdftotext_plain


@dataclass(frozen=True)
class Floor:
    """Today's figure for one document in one form: truth steps whose number was read, and
    whether every truth step is found with no step the truth lacks (exact)."""

    number: str
    folder: str
    form: str
    steps_found: int
    exact: bool


FLOORS = (
    Floor("01", "drawn", "layout", 11, True),
    Floor("05", "drawn", "layout", 5, True),
    Floor("15", "more", "layout", 7, True),
    Floor("01", "drawn", "plain", 11, True),
    Floor("05", "drawn", "plain", 4, False),
    Floor("15", "more", "plain", 3, False),
)
CORPUS_FOLDER = {"drawn": "pdf", "more": "more"}
MAKERS = {"layout": pdftotext_layout, "plain": pdftotext_plain}


@cache
def _read(number: str, folder: str, form: str) -> tuple[Golden, Sop]:
    golden = load(folder, number)
    pdf = CORPUS / CORPUS_FOLDER[folder] / golden.file
    data = MAKERS[form](pdf.read_bytes()).encode("utf-8")
    assert picture_of(data) is None, "a text must not reach the drawn reader"
    return golden, read_sop(data, "sop.txt")


@pytest.mark.skipif(not (CORPUS / "pdf").is_dir() or not (CORPUS / "more").is_dir(),
                    reason=ABSENT)
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) tidak ada")
@pytest.mark.parametrize("floor", FLOORS, ids=lambda f: f"{f.number}-{f.form}")
def test_text_of_a_real_sop_keeps_its_steps(floor: Floor) -> None:
    golden, sop = _read(floor.number, floor.folder, floor.form)  # a refusal fails here
    want = {s.number for s in golden.steps}
    got = {s.number for s in sop.steps}
    assert sop.steps, "read, but no step"
    found = len(want & got)
    assert found >= floor.steps_found, (
        f"{floor.number} {floor.form}: {found} of {len(want)} truth steps found, "
        f"floor {floor.steps_found}; missing {sorted(want - got)}")
    if floor.exact:
        assert got == want, f"{floor.number} {floor.form}: read {sorted(got)}, truth {sorted(want)}"


ROLE_FLOORS = {"odd": 72, "even": 104}
"""Steps whose role ``pdftotext -layout`` text yields right, per half of the 38 documents with
a reviewed truth (``bench/corpus_text.py --split``): inference rules are made on the odd
half and kept only when the held-out even half does not lose by them."""


@pytest.mark.skipif(not (CORPUS / "pdf").is_dir() or not (CORPUS / "more").is_dir(),
                    reason=ABSENT)
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) tidak ada")
def test_roles_from_layout_text_hold_on_both_halves() -> None:
    from converters.model import ConversionError
    from tests.support.drawn_golden import numbers

    right = {"odd": 0, "even": 0}
    for folder in ("drawn", "more"):
        for number in numbers(folder):
            golden = load(folder, number)
            pdf = CORPUS / CORPUS_FOLDER[folder] / golden.file
            try:
                sop = read_sop(pdftotext_layout(pdf.read_bytes()).encode("utf-8"), "sop.txt")
            except ConversionError:
                continue  # four documents are not read as text today; they count as missed
            got = {s.number: " ".join(s.role.split()).casefold() for s in sop.steps}
            half = "odd" if int(number) % 2 else "even"
            right[half] += sum(1 for s in golden.steps
                               if got.get(s.number) == " ".join(s.role.split()).casefold())
    assert right["odd"] >= ROLE_FLOORS["odd"], right
    assert right["even"] >= ROLE_FLOORS["even"], right
