"""The typed deploy-time analysis: what deploy stores as JSON reads back, old rows included."""

from __future__ import annotations

import json
from pathlib import Path

from engine.analysis import NO_TASK, Analysis, HumanTask
from engine.definitions import analyse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SURAT = (FIXTURES / "surat_keluar.bpmn").read_bytes()


def test_the_stored_json_round_trips() -> None:
    analysis, problems = analyse(SURAT)
    assert problems == [] and analysis is not None
    stored = json.dumps(analysis.to_dict(), ensure_ascii=False)
    again = Analysis.from_dict(json.loads(stored))
    assert again == analysis
    assert json.dumps(again.to_dict(), ensure_ascii=False) == stored


def test_a_decision_task_reads_as_typed_fields() -> None:
    analysis, _ = analyse(SURAT)
    assert analysis is not None
    decided = [t for t in analysis.tasks.values() if t.decision is not None]
    assert decided, "surat_keluar has an approval step"
    task = decided[0]
    assert task.decision is not None
    assert task.decisions == task.decision.values and task.decisions[0] == "setuju"
    enum = next(f for f in task.fields if f.id == task.decision.field)
    assert enum.type == "enum" and [c.id for c in enum.choices] == list(task.decisions)
    assert task.decision_labels == {c.id: c.name for c in enum.choices}
    assert analysis.first_lanes and set(analysis.first_lanes) <= set(analysis.lanes)


def test_rows_written_before_some_keys_existed_still_load() -> None:
    old = {
        "key": "p",
        "name": "Lama",
        "lanes": ["Staf"],
        "tasks": {
            "t": {"name": "Periksa", "type": "userTask", "lane": "Staf",
                  "fields": [{"id": "k", "label": "", "type": "enum",
                              "values": [{"id": "ya"}, {"id": "tidak", "name": "Tidak"}]}],
                  "decision_field": "k", "decisions": ["ya", "tidak"]},
        },
    }  # fmt: skip
    analysis = Analysis.from_dict(old)
    assert analysis.elements == {} and analysis.first_lanes == ()
    task = analysis.task("t")
    assert task.properties == {} and task.documentation == ""
    assert task.decisions == ("ya", "tidak") and task.decision_labels == {}
    assert task.fields[0].choices[0].name == "ya"  # a value without a name shows its id
    assert analysis.task("unknown") is NO_TASK and NO_TASK.decisions == ()


def test_a_task_without_a_form_asks_for_no_decision() -> None:
    task = HumanTask.from_dict({"name": "Arsipkan", "lane": "Staf"})
    assert task.decision is None and task.to_dict()["decision_field"] is None
    assert task.to_dict()["decisions"] == [] and task.to_dict()["decision_labels"] == {}
