"""Inference on the five samples' activity texts, built by hand (no reader involved)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from converters.model import END, ConversionError
from converters.reading.inference import GUESS_THRESHOLD, infer
from converters.reading.raw import RawDocument

_spec = importlib.util.spec_from_file_location(
    "b_inference_samples", Path(__file__).with_name("test_inference_samples.py"))
assert _spec and _spec.loader
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)
SINGKAWANG, KEMENKO, MENTAWAI, REJANG, JATENG = (
    samples.SINGKAWANG, samples.KEMENKO, samples.MENTAWAI, samples.REJANG, samples.JATENG)


def roles_of(raw: RawDocument) -> list[str]:
    return [s.role for s in infer(raw).steps]


def test_singkawang_roles_follow_the_handovers_and_add_kepala_kantor() -> None:
    sop = infer(SINGKAWANG)
    assert [s.role for s in sop.steps] == [
        "Kasubbag PEKK", "Pengadministrasian Umum", "Kasubbag PEKK", "Pengadministrasian Umum",
        "Kasubbag PEKK", "Kepala Kantor", "Kasubbag PEKK", "Pengadministrasian Umum",
    ]
    # the head of the office ranks above every column of a table ordered top-down
    assert sop.roles == ("Kepala Kantor", "Kasubbag PEKK", "Pengadministrasian Umum", "Staf")
    added = [w for w in sop.warnings if w.code == "role-added"]
    assert [(w.step, "Kepala Kantor" in w.message) for w in added] == [(6, True)]
    assert sop.step(6).role_provenance.source == "handover"
    assert any("langkah 5" in e for e in sop.step(6).role_provenance.evidence)


def test_singkawang_decisions() -> None:
    sop = infer(SINGKAWANG)
    d5, d6 = sop.step(5).decision, sop.step(6).decision
    assert d5 is not None and (d5.approve_to, d5.reject_to) == (6, 4)
    assert d5.labels == ("Setuju", "Tidak setuju")
    # "dikembalikan untuk diperbaiki" names nobody: back to the one who handed it over
    assert d6 is not None and (d6.approve_to, d6.reject_to) == (7, 5)
    guessed = [w.step for w in sop.warnings if w.code == "decision-target-guessed"]
    assert guessed == [6]
    assert [s.number for s in sop.steps if s.decision] == [5, 6]


def test_kemenko_instruction_and_reporting_chain() -> None:
    sop = infer(KEMENKO)
    assert [s.role for s in sop.steps] == [
        "Sesdep", "Kabag Program & Evaluasi", "Kasubbag Penyusunan Program",
        "Kabag Program & Evaluasi", "Sesdep",
    ]
    assert sop.step(1).role_provenance.source == "instruction"
    # "menugaskan Kasubbag dan Pelaksana": both work on step 3
    assert sop.step(3).other_roles == ("Pelaksana (JP)",)
    d = sop.step(5).decision
    assert d is not None and (d.approve_to, d.reject_to) == (END, 4)
    assert sop.roles == tuple(KEMENKO.roles)  # "Deputi" only receives the result: not added


def test_mentawai_unit_names_and_revision_decision() -> None:
    sop = infer(MENTAWAI)
    assert [s.role for s in sop.steps] == [
        "Kasubag Program", "Staf", "Kasubag Program", "Kabid/ Kasubag Terkait",
        "Kasubag Program", "Kepala Dinas", "Kasubag Program", "Staf",
    ]
    d = sop.step(7).decision
    assert d is not None and (d.approve_to, d.reject_to) == (8, 6)
    assert [s.number for s in sop.steps if s.decision] == [7]
    assert sop.step(8).duration.iso == "PT10M"


def test_rejang_lost_numbers_and_ahli_muda() -> None:
    sop = infer(REJANG)
    assert [s.number for s in sop.steps] == list(range(1, 9))
    guessed = sorted(w.step for w in sop.warnings if w.code == "number-guessed")
    assert guessed == [1, 2, 3, 7]
    roles = [s.role for s in sop.steps]
    assert roles[1:4] == ["Kasi", "Staf", "Kasi"]  # Perencana Ahli Muda stands in the Kasi column
    assert roles[6:] == ["Sekretaris", "Kepala Dinas"]
    assert sop.step(8).role_provenance.confidence > 0.8
    assert not any(s.decision for s in sop.steps)


def test_jateng_symbol_remnants_and_oleh() -> None:
    sop = infer(JATENG)
    roles = [s.role for s in sop.steps]
    assert roles[0] == "Kepala Badan"
    assert roles[1] == roles[2] == roles[6] == roles[7] == "Staf Fungsional Umum"
    assert roles[9:] == ["Sekretaris", "Kepala Badan", "Kasubag Program", "Staf Fungsional Umum"]
    assert sop.step(11).role_provenance.source == "subject"
    assert sop.step(2).role_provenance.source == "column"


@pytest.mark.parametrize("raw", [SINGKAWANG, KEMENKO, MENTAWAI, REJANG, JATENG])
def test_every_step_has_provenance_and_low_confidence_is_flagged(raw: RawDocument) -> None:
    sop = infer(raw)
    flagged = {w.step for w in sop.warnings if w.code == "role-guessed"}
    for s in sop.steps:
        assert s.role in sop.roles
        assert 0.0 <= s.role_confidence <= 1.0
        assert s.role_provenance.evidence, s.number
        assert (s.number in flagged) == (s.role_confidence < GUESS_THRESHOLD)


def test_no_rows_is_a_conversion_error() -> None:
    with pytest.raises(ConversionError, match="langkah"):
        infer(RawDocument(source_format="tabbed", roles=["Staf"], rows=[]))
