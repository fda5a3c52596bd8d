"""The vector-PDF reader on the real signed SOPs, read in place (skipped without the corpus).

Golden files (``tests/golden/drawn/NN.json``) hold each step's role, other roles and decision
as seen on the rendered pages; ``reviewed`` says whether a person checked them step by step.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converters.reading.sop_file import read_sop
from tests.support.corpus import ABSENT, CORPUS

GOLDEN = Path(__file__).resolve().parents[3] / "golden" / "drawn"


def _pdf(number: str) -> Path:
    found = sorted((CORPUS / "pdf").glob(f"{number}_*.pdf"))
    if not found:
        pytest.skip(ABSENT)
    return found[0]


def _actual(path: Path) -> tuple[str, list[dict[str, object]]]:
    sop = read_sop(path)
    assert sop.source_format == "pdf-vector"
    out = []
    for s in sop.steps:
        d = s.decision
        out.append({"number": s.number, "role": s.role, "other_roles": list(s.other_roles),
                    "decision": None if d is None else {
                        "approve_to": d.approve_to, "reject_to": d.reject_to,
                        "labels": list(d.labels), "question": d.question}})
        assert s.role_provenance.source == "symbol"
    return sop.identity.name, out


QUICK = {"01", "04", "05"}  # the default run reads three (05: a row of chained diamonds)


@pytest.mark.parametrize("number", [
    n if n in QUICK else pytest.param(n, marks=pytest.mark.bench)
    for n in (f"{i:02d}" for i in range(1, 9))])
def test_golden(number: str) -> None:
    golden = json.loads((GOLDEN / f"{number}.json").read_text())
    assert golden["reviewed"], "a golden is truth only once a person checked it on the page"
    name, actual = _actual(_pdf(number))
    for want, got in zip(golden["steps"], actual, strict=True):
        assert got == want, f"step {want['number']}"
    # a name whose letters the text layer interleaves with the next label cannot be read
    # back exactly; the golden then records what the page's text gives, beside the truth
    assert name == golden.get("name_as_extracted", golden["name"])


@pytest.mark.bench
def test_more_every_role_from_a_symbol() -> None:
    """Every PDF of ``more/`` read from its drawing with every role from a symbol (six of them
    paste the flowchart as a raster picture into a text PDF: those read as ``pdf-raster``)."""
    files = sorted((CORPUS / "more").glob("*.pdf"))
    if not files:
        pytest.skip(ABSENT)
    bad = []
    for f in files:
        sop = read_sop(f)
        guessed = [s.number for s in sop.steps if s.role_provenance.source != "symbol"]
        if sop.source_format not in ("pdf-vector", "pdf-raster") or guessed:
            bad.append(f"{f.name}: {sop.source_format}, {len(guessed)}/{len(sop.steps)} "
                       "steps without a symbol")
    assert not bad, "\n".join(bad)
