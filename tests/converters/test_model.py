"""The SOP model's JSON contract and essence (what a round trip must keep)."""

import json
from datetime import date

import pytest

from converters.model import (
    END,
    Approver,
    Branch,
    Decision,
    Duration,
    Identity,
    Provenance,
    ReaderWarning,
    Sop,
    SopDate,
    Step,
)


def _sample() -> Sop:
    return Sop(
        identity=Identity(
            number="11/SOP-KOMINFO/2020",
            name="Penyusunan IKU",
            created=SopDate("07 Mei 2018", date(2018, 5, 7), "day"),
            approved_by=Approver("Kepala Dinas", "Robertus", "501132001121002", "NIP"),
        ),
        roles=("Kepala Dinas", "Staf"),
        steps=(
            Step(1, "Menyusun konsep", "Staf", duration=Duration("1 jam", 60, 60, "PT1H")),
            Step(
                2,
                "Memeriksa konsep",
                "Kepala Dinas",
                role_provenance=Provenance("handover", 0.7, ("diserahkan ke Kepala Dinas",)),
                decision=Decision(END, 1, question="Setuju?", provenance=Provenance("text", 0.6)),
            ),
        ),
        legal_basis=("UU 25/2004",),
        warnings=(ReaderWarning("peran ditebak", "role-guessed", 12, 2),),
        source_format="tabbed",
    )


def test_json_round_trip_keeps_everything():
    sop = _sample()
    d = sop.to_dict()
    assert d["steps"][1]["decision"] == {
        "approve_to": "end",
        "reject_to": 1,
        "labels": ["Setuju", "Tidak setuju"],
        "question": "Setuju?",
        "provenance": {"source": "text", "confidence": 0.6, "evidence": []},
    }
    assert d["steps"][1]["role_confidence"] == 0.7
    created = d["identity"]["created"]
    assert created == {"text": "07 Mei 2018", "date": "2018-05-07", "precision": "day"}
    assert Sop.from_dict(d) == sop


def test_essence_drops_provenance_and_warnings_only():
    sop = _sample()
    e = sop.essence()
    assert e.warnings == ()
    assert e.steps[1].role_provenance.confidence == 1.0
    assert e.steps[1].decision is not None and e.steps[1].decision.reject_to == 1
    assert e.steps[0].duration.iso == "PT1H"
    assert e != sop
    assert e.essence() == e


# -- decisions with more than two branches ------------------------------------------------------


def _three_way() -> Decision:
    return Decision.of_branches(
        [Branch("Teknis", 3), Branch("Administratif", 4), Branch("Keuangan", END)],
        question="Jenis?",
        provenance=Provenance("text", 0.8, ("tiga panah dari belah ketupat",)),
    )


def test_branches_are_approve_reject_then_more():
    d = _three_way()
    assert (d.approve_to, d.reject_to, d.labels) == (3, 4, ("Teknis", "Administratif"))
    assert d.more == (Branch("Keuangan", END),)
    assert d.branches == (Branch("Teknis", 3), Branch("Administratif", 4), Branch("Keuangan", END))
    two = Decision(approve_to=2, reject_to=1)
    assert two.more == () and two.branches == (Branch("Setuju", 2), Branch("Tidak setuju", 1))
    assert Decision.of_branches(two.branches) == two


def test_a_decision_needs_two_branches():
    with pytest.raises(ValueError, match="two branches"):
        Decision.of_branches([Branch("Ya", 2)])


def test_json_round_trip_keeps_extra_branches():
    sop = _sample()
    steps = (*sop.steps[:1], Step(2, "Memilah", "Kepala Dinas", decision=_three_way()))
    sop = Sop(identity=sop.identity, roles=sop.roles, steps=steps)
    data = sop.to_dict()
    assert data["steps"][1]["decision"]["more"] == [{"label": "Keuangan", "to": "end"}]
    assert data["steps"][1]["decision"]["labels"] == ["Teknis", "Administratif"]
    assert Sop.from_dict(json.loads(json.dumps(data))) == sop


def test_two_branch_json_is_unchanged_and_old_json_still_loads():
    data = _sample().to_dict()
    decisions = [s["decision"] for s in data["steps"] if s["decision"]]
    assert decisions and all("more" not in d for d in decisions)  # no new key for two branches
    assert set(decisions[0]) == {"approve_to", "reject_to", "labels", "question", "provenance"}
    assert Sop.from_dict(data) == _sample()
    old = {"approve_to": 1, "reject_to": "end", "labels": ["Ya", "Tidak"]}  # before `more`
    step = Sop.from_dict({"steps": [{"number": 2, "decision": old}]}).steps[0]
    assert step.decision == Decision(1, END, ("Ya", "Tidak"))
