"""The SOP model's JSON contract and essence (what a round trip must keep)."""

from datetime import date

from converters.model import (
    END,
    Approver,
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
