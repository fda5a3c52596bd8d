"""Inference on real signed SOPs (pdftotext -layout text of the shared corpus).

The corpus stays outside the project (its licence forbids redistribution); these tests skip
when the shared SOP corpus (tests/support/corpus.py) is absent. They check what the corpus
README states: who acts where the activity names its actor, and where the diamonds are.
"""

from __future__ import annotations

import pytest

from converters.model import Sop
from converters.reading.sop_file import read_sop
from tests.support.corpus import CORPUS_TEXT as CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="SOP corpus not available")


def read(stem: str) -> Sop:
    path = CORPUS / f"{stem}.layout.txt"
    if not path.exists():
        pytest.skip(f"{path.name} not in the corpus")
    return read_sop(path)


def test_06_subjects_name_every_actor() -> None:
    sop = read("06_konsolidasi-oleh-ppk")
    assert [s.role for s in sop.steps] == ["PA/KPA", "PPK", "PPK", "PPK", "PPK", "PA/KPA", "PPK"]
    assert all(s.role_provenance.source == "subject" for s in sop.steps)
    assert not any(s.decision for s in sop.steps)  # the condition is prose only


def test_02_floating_labels_join_their_diamonds() -> None:
    sop = read("02_unit-kerja-pimpinan")
    decisions = {s.number: s.decision for s in sop.steps if s.decision}
    assert sorted(decisions) == [5, 8]
    for n, d in decisions.items():
        assert d.question == "Sesuai?" and d.labels == ("Ya", "Tidak")
        assert (d.approve_to, d.reject_to) == (n + 1, n - 1)


def test_03_two_diamonds() -> None:
    sop = read("03_update-perubahan-wilayah")
    decisions = [s for s in sop.steps if s.decision]
    assert len(decisions) == 2
    assert {d.decision.labels for d in decisions} == {("Ada", "Tidak"), ("Ya", "Tidak")}


def test_04_relative_clause_agent_and_affixed_unit_names() -> None:
    sop = read("04_layanan-pengaduan")
    # "Petugas layanan menerima pengaduan yang diberikan oleh pengguna layanan"
    assert sop.step(5).role == "Petugas Layanan"
    # "Petugas pelayanan menyampaikan ..." is the Petugas Layanan column
    assert sop.step(7).role == "Petugas Layanan"
    assert sop.step(2).decision is not None
    assert any(w.code == "row-merged" for w in sop.warnings)  # the unnumbered row after 5
