"""A role column named "Pelaksana" (Jabatan Pelaksana) under the "Pelaksana" group title.

Jabatan Pelaksana is a real jabatan (the staff grade since the 2019 simplification), so SOP
tables have a role column titled just "Pelaksana", under the group title of the same word or
without it. Every text form once read the word as the group title only and lost the column:
75 of the 101 roles `pdftotext -layout` missed on the harness.
"""

from __future__ import annotations

import pytest

from tests.support.sop_generator import generate
from tests.support.text_forms import FORM_BY_NAME, read_contract, render_pdf

# seeds whose roles include "Pelaksana": with the group title (1106, 1110) and without (1105)
SEEDS = (1105, 1106, 1110)


@pytest.mark.parametrize("form", ["pdftotext -layout", "pdftohtml -xml", "flipbook basic html",
                                  "word table (tsv)"])  # fmt: skip
@pytest.mark.parametrize("seed", SEEDS)
def test_the_pelaksana_column_is_a_role(form: str, seed: int) -> None:
    g = generate(seed)
    assert "Pelaksana" in g.sop.roles
    spec = FORM_BY_NAME[form]
    text = spec.make(render_pdf(g)[1]) if spec.from_pdf else spec.make(g.sop, g.header, seed)
    got = read_contract(text, spec.filename)
    assert got.data is not None, got.error or got.crash
    assert got.data["roles"] == list(g.sop.roles)
