"""Event logs (issue 15): XES read back by pm4py, the directly-follows graph against the SOP's
sequence flows, and the CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from engine.definitions import Definitions
from engine.eventlog import XES_NS, build_log, render, to_csv, to_xes
from engine.store import Store
from tests.support.compliance_history import generate, rejections

IKU = Path(__file__).resolve().parents[1] / "webui" / "fixtures" / "iku.bpmn"
KEY = "sop_penyusunan_iku"
CASES = 60
NAMES = {"step_1": "Menerima konsep IKU", "step_2": "Merekapitulasi hasil pembahasan IKU",
         "step_3": "Meneliti dan memaraf konsep IKU", "step_4": "Menandatangani IKU"}  # fmt: skip


def sop_directly_follows(bpmn: bytes) -> set[tuple[str, str]]:
    """Task → next task pairs the BPMN's sequence flows allow (through gateways)."""
    root = etree.fromstring(bpmn)
    b = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    out_flows: dict[str, list[str]] = {}
    for f in root.iter(f"{b}sequenceFlow"):
        out_flows.setdefault(f.get("sourceRef", ""), []).append(f.get("targetRef", ""))
    tasks = {t.get("id", ""): t.get("name", "") for t in root.iter(f"{b}userTask")}
    pairs = set()
    for tid, name in tasks.items():
        seen: set[str] = set()
        todo = list(out_flows.get(tid, []))
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in tasks:
                pairs.add((name, tasks[node]))
            else:
                todo.extend(out_flows.get(node, []))
    return pairs


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    Definitions(sqlite_store).deploy(IKU.read_bytes(), "iku.bpmn", "analis")
    generate(sqlite_store, KEY, CASES)
    return sqlite_store


def expected_counts() -> tuple[int, int]:
    """(task executions, events): each case runs 4 steps plus 2 per rejection; each task has
    a schedule and a complete event; step_1 is claimed in every case, step_4 in even ones."""
    executions = sum(4 + 2 * rejections(i) for i in range(1, CASES + 1))
    claims = CASES + CASES // 2
    return executions, 2 * executions + claims


def test_xes_read_by_pm4py(store: Store, tmp_path: Path) -> None:
    pm4py = pytest.importorskip("pm4py")
    path = tmp_path / "iku.xes"
    path.write_bytes(to_xes(build_log(store, KEY)))
    df = pm4py.read_xes(str(path))
    executions, events = expected_counts()
    assert df["case:concept:name"].nunique() == CASES
    assert len(df) == events
    complete = df[df["lifecycle:transition"] == "complete"]
    assert len(complete) == executions
    assert set(df["lifecycle:transition"]) == {"schedule", "assign", "complete"}
    assert set(complete["org:role"]) == {"Kasubbag PEKK", "Pengadministrasian Umum",
                                         "Kepala Dinas"}  # fmt: skip
    dfg, starts, ends = pm4py.discover_dfg(complete)
    allowed = sop_directly_follows(IKU.read_bytes())
    s = NAMES
    assert set(dfg) <= allowed
    # every flow was taken except Kepala Dinas' rejection, which the history never makes
    assert allowed - set(dfg) == {(s["step_4"], s["step_2"])}
    # hand count: step_3 → step_2 once per rejection (i ≤ 60: 10 cases once, 25 and 50 twice)
    assert dfg[(s["step_3"], s["step_2"])] == 10 + 2 * 2
    assert dfg[(s["step_1"], s["step_2"])] == CASES
    assert starts == {s["step_1"]: CASES} and ends == {s["step_4"]: CASES}


def test_xes_follows_ieee_1849_structure(store: Store) -> None:
    root = etree.fromstring(to_xes(build_log(store, KEY)))
    assert root.tag == f"{{{XES_NS}}}log" and root.get("xes.version") == "1849-2016"
    prefixes = {e.get("prefix") for e in root.findall(f"{{{XES_NS}}}extension")}
    assert prefixes == {"concept", "time", "lifecycle", "org"}
    assert {g.get("scope") for g in root.findall(f"{{{XES_NS}}}global")} == {"trace", "event"}
    first = root.find(f"{{{XES_NS}}}trace")
    assert first is not None
    event = first.find(f"{{{XES_NS}}}event")
    assert event is not None
    keys = {c.get("key"): c for c in event}
    assert keys["time:timestamp"].tag == f"{{{XES_NS}}}date"
    assert keys["time:timestamp"].get("value", "").endswith("+00:00")
    assert keys["concept:name"].get("value") == NAMES["step_1"]


def test_period_selects_whole_cases_and_csv(store: Store) -> None:
    log = build_log(store, KEY, start=date(2025, 12, 1), end=date(2025, 12, 5))
    assert [t.case_id for t in log.traces] == [1, 2, 3, 4, 5]  # Mon–Fri, one case a day
    rows = list(csv.DictReader(io.StringIO(to_csv(log).decode("utf-8-sig"))))
    assert len(rows) == log.event_count
    per_case = Counter(r["case_id"] for r in rows)
    # case 5 rejects once: 6 tasks × 2 events + 1 claim; case 4: 4 × 2 + 2 claims
    assert per_case["5"] == 13 and per_case["4"] == 10
    rejected = [r for r in rows if r["rejected"] == "ya"]
    assert len(rejected) == 1 and rejected[0]["decision"] == "tidak_setuju"
    assert render(log, "csv") == to_csv(log)
    with pytest.raises(ValueError):
        render(log, "json")
