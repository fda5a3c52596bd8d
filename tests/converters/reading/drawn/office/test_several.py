"""Several SOPs in one Word file or workbook (an agency's "Kumpulan SOP"): one SOP each.

Word: an identity block and a table per SOP, a page or section break before the next, the
tables drawn (shapes in cells) or typed only. Excel: one SOP per sheet, drawn or typed.
:func:`converters.reading.sop_file.read_sops` gives one SOP per table, as it does for a PDF;
:func:`read_sop` the first, with the ``several-sops`` warning.
"""

from __future__ import annotations

import random

import pytest

from converters.reading.readers.docx_reader import PAGE_BREAK, split_pages
from converters.reading.sop_file import SEVERAL_SOPS, read_sop, read_sops
from tests.support.office_fixtures import layout
from tests.support.office_forms import (
    FORM_BY_NAME,
    _page_for,
    docx_package,
    in_cells_body,
    render_all,
    run_seed,
)
from tests.support.sop_generator import METRICS, generate

COMPILATIONS = ("docx several", "docx tables several", "xlsx sheets", "xlsx table sheets")


@pytest.mark.parametrize("form", COMPILATIONS)
def test_each_sop_of_a_compilation_is_read_on_its_own(form: str) -> None:
    gs, data = render_all(1101, form)  # three SOPs: 4, 29 and 26 steps
    sops = read_sops(data, FORM_BY_NAME[form].filename)
    assert len(sops) == len(gs) == 3
    for g, sop in zip(gs, sops, strict=True):
        assert [s.number for s in sop.steps] == [s.number for s in g.sop.steps]
        if form.startswith("docx"):
            assert sop.identity.name == g.sop.identity.name
        else:  # a sheet writes the name only when it has room for it (three top rows)
            assert sop.identity.name in ("", g.sop.identity.name)
    assert any(sop.identity.name for sop in sops)


@pytest.mark.parametrize("form", COMPILATIONS)
def test_the_first_sop_comes_with_the_several_sops_warning(form: str) -> None:
    gs, data = render_all(1100, form)
    sop = read_sop(data, FORM_BY_NAME[form].filename)
    assert [s.number for s in sop.steps] == [s.number for s in gs[0].sop.steps]
    assert sop.warnings[0].code == SEVERAL_SOPS
    assert f"memuat {len(gs)} SOP" in sop.warnings[0].message


@pytest.mark.parametrize("form", ["docx several", "xlsx sheets"])
def test_drawn_compilations_keep_every_role_and_branch(form: str) -> None:
    for seed in (1100, 1102):
        (r,) = run_seed(seed, [form])
        assert not r.error and not r.crash, (seed, r.error, r.crash)
        for m in ("documents read", "steps", "roles", "decision recall"):
            assert r.tally.hits[m] == r.tally.totals[m], (seed, m)


def test_one_drawn_sop_in_word_stays_one() -> None:
    g = generate(1101)
    lay = layout(g.sop)
    data = docx_package(in_cells_body(lay, random.Random(3)), _page_for(lay, False))
    sops = read_sops(data, "sop.docx")
    assert len(sops) == 1 and not any(w.code == SEVERAL_SOPS for w in sops[0].warnings)


def test_the_slice_of_the_sheet_defaults_form_reads_exactly() -> None:
    """Rows without ``ht`` take ``defaultRowHeight``; columns without a width take
    ``defaultColWidth`` or the width ``baseColWidth`` makes."""
    for seed in (1100, 1101, 1102, 1103):
        (r,) = run_seed(seed, ["xlsx defaults"])
        missed = {m for m in METRICS if m != "branch targets"
                  and r.tally.hits[m] != r.tally.totals[m]}  # fmt: skip
        assert not missed and not r.error, (seed, missed, r.error)


def test_two_sops_whose_identity_blocks_read_alike_are_cut_where_numbering_restarts() -> None:
    """Seed 1192: two table-only SOPs, both "Layanan Pengaduan Masyarakat" with no number;
    the identity blocks cannot tell them apart, the table numbered from 1 again does."""
    gs, data = render_all(1192, "docx tables several")
    assert gs[0].sop.identity.name == gs[1].sop.identity.name
    sops = read_sops(data, "sop.docx")
    assert [len(s.steps) for s in sops] == [len(g.sop.steps) for g in gs]


IDENTITY = "Nomor SOP\t12/SOP/2024\nNama SOP\tPelayanan Surat\n"
HEADER = (
    "No\tKegiatan\tPelaksana\t\tMutu Baku\t\t\tKeterangan\n"
    "\t\tKasi\tStaf\tKelengkapan\tWaktu\tOutput\t\n"
)


def test_a_continuation_page_that_repeats_identity_and_header_stays_with_its_sop() -> None:
    first = IDENTITY + HEADER + "1\tMenerima surat\t\t\t\t1 hari\tSurat\t\n"
    again = IDENTITY + HEADER + "2\tMengarsipkan surat\t\t\t\t1 hari\tArsip\t\n"
    other = IDENTITY.replace("12/", "13/") + HEADER + "1\tMenerima berkas\t\t\t\t1 hari\t-\t\n"
    assert len(split_pages(PAGE_BREAK.join([first, again]))) == 1
    assert len(split_pages(PAGE_BREAK.join([first, again, other]))) == 2
    restart = first + PAGE_BREAK + first
    assert len(split_pages(restart)) == 2  # the same block, the table from 1 again
