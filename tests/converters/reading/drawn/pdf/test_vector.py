"""The drawn reader against the project's own vector PDFs, whose truth is the Sop they were
drawn from (:mod:`tests.support.drawn_fixtures`): every step's role from its symbol, joint
roles, decisions with targets, labels and question, Waktu and Output.

The default slice is a handful of fixtures (every label style, loops, the end, a table over
pages with connectors, a branch cut by a page break, an unnumbered row, Alur's own document);
the full set, a hundred seeded SOPs in every template and thirty of Alur's own documents, is
marked ``bench`` (``--bench`` or ``ALUR_BENCH=1``) and printed by ``bench/drawn_reading.py``.
"""

from __future__ import annotations

import pytest

from converters.reading.sop_file import read_sop
from tests.support.drawn_fixtures import ALUR, TEMPLATES, case, cases, compare

QUICK = (
    "hand:a4-kegiatan:surat-masuk",  # Lengkap/Tidak lengkap loop, Teknis/Administratif,
    "hand:letter-aktivitas:persetujuan",  # Ada/Tidak to the end, Setuju/Tidak setuju loop
    "hand:a4-paged-bare:yt-long",  # Y/T, three pages, no repeated header, connectors
    "hand:f4-uraian:surat-masuk",  # Uraian Prosedur, Mutu Buku, (1)..(n), cells as rects
    "seed:legal-paged:6",
    "seed:a4-kegiatan:940",  # no page break spares every branch: one goes over connectors
    f"hand:{ALUR}:f-singkawang-iku.yaml",
    f"seed:{ALUR}:17",  # two arrows ending under their heads at one vertex
)


@pytest.mark.parametrize("name", QUICK)
def test_fixture_read_step_by_step(name: str) -> None:
    c = case(name)
    got = read_sop(c.pdf(), "sop.pdf")
    assert got.source_format == "pdf-vector"
    errs, counts = compare(c.sop, got)
    assert errs == [], "\n".join(errs)
    assert counts["symbol"] == counts["steps"]


def test_unnumbered_row_joins_the_step_above() -> None:
    got = read_sop(case("hand:a4-kegiatan:surat-masuk").pdf())
    assert [s.number for s in got.steps] == [1, 2, 3, 4, 5, 6]
    assert "(lanjutan)" in got.step(3).activity
    assert any(w.code == "row-merged" for w in got.warnings)


def test_paged_table_spans_three_pages_with_connectors() -> None:
    from converters.reading.drawn.picture import ShapeKind
    from converters.reading.drawn.reading import picture_of

    pic = picture_of(case("hand:a4-paged-bare:yt-long").pdf())
    assert pic is not None and len(pic.pages) >= 3
    assert sum(s.kind is ShapeKind.CONNECTOR for p in pic.pages for s in p.shapes) >= 4


def test_a_branch_cut_by_a_page_break_goes_over_connectors() -> None:
    from converters.reading.drawn.interpret.arrows import label_text
    from converters.reading.drawn.picture import ShapeKind
    from converters.reading.drawn.reading import picture_of

    pic = picture_of(case("seed:a4-kegiatan:940").pdf())
    assert pic is not None
    letters = [label_text(s, p) for p in pic.pages for s in p.shapes
               if s.kind is ShapeKind.CONNECTOR]
    assert len(letters) >= 4 and all(letters.count(x) == 2 for x in letters)


@pytest.mark.bench
@pytest.mark.parametrize("template", [*TEMPLATES])
def test_seeded_fixtures_exact(template: str) -> None:
    bad = []
    for c in cases(100, alur=False):
        if c.template != template or not c.name.startswith("seed:"):
            continue
        errs, _ = compare(c.sop, read_sop(c.pdf()))
        if errs:
            bad.append(f"{c.name}: {errs[:3]}")
    assert bad == [], "\n".join(bad)


@pytest.mark.bench
def test_alur_document_exact() -> None:
    """Alur's own drawing, thirty seeded SOPs and the samples: every role from its symbol and
    every decision right (a long word of a narrow role header broken without a hyphen, two
    arrows entering one vertex)."""
    bad = []
    for c in cases(30):
        if c.template != ALUR:
            continue
        errs, _ = compare(c.sop, read_sop(c.pdf()))
        if errs:
            bad.append(f"{c.name}: {errs[:3]}")
    assert bad == [], "\n".join(bad)


def test_a_word_broken_without_hyphen_in_a_role_header() -> None:
    got = read_sop(case(f"seed:{ALUR}:0").pdf())
    assert "Pengadministrasi Umum" in got.roles
