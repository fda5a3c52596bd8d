"""Deploy-time validation, versions and the spec cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.definitions import Definitions, spec_cache_info
from engine.errors import DefinitionInvalid, NotFound
from engine.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SURAT = (FIXTURES / "surat_keluar.bpmn").read_bytes()
SCRATCH = (FIXTURES / "from_scratch.bpmn").read_bytes()

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D" targetNamespace="urn:t">
  <bpmn:process id="p" name="Uji" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="L" name="Staf">
      <bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>t</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>g</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>e2</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
"""
FORM = """<bpmn:extensionElements><camunda:formData>
      <camunda:formField id="keputusan" type="enum">
        <camunda:value id="setuju" name="Setuju"/><camunda:value id="tidak" name="Tidak"/>
      </camunda:formField></camunda:formData></bpmn:extensionElements>"""


def bpmn(body: str, task: str = "userTask", condition: str = 'keputusan == "setuju"') -> bytes:
    """A small decision process; ``body`` adds elements, placeholders swap parts."""
    return (
        HEAD
        + f"""
    <bpmn:startEvent id="s"/>
    <bpmn:{task} id="t" name="Periksa">{FORM}</bpmn:{task}>
    <bpmn:exclusiveGateway id="g" name="Setuju?"/>
    <bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="g"/>
    <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="e2">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">keputusan == "tidak"
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    {body}
  </bpmn:process>
</bpmn:definitions>
"""
    ).encode()


def problems_of(defs: Definitions, data: bytes) -> list:
    with pytest.raises(DefinitionInvalid) as info:
        defs.deploy(data)
    assert info.value.problems, "DefinitionInvalid must carry its problems"
    assert defs.check(data), "check() must report what deploy() refuses"
    return info.value.problems


def test_the_small_template_itself_deploys(sqlite_store: Store) -> None:
    result = Definitions(sqlite_store).deploy(bpmn(""))
    assert result.created and result.definition.key == "p" and result.definition.lanes == ("Staf",)


def test_versions_only_when_content_changes(store: Store) -> None:
    defs = Definitions(store)
    v1 = defs.deploy(SURAT, filename="surat.bpmn", user="admin")
    again = defs.deploy(SURAT)
    assert v1.created and not again.created and again.definition.id == v1.definition.id
    changed = SURAT.replace(b"Menyusun konsep surat", b"Menyusun draf surat")
    v2 = defs.deploy(changed)
    assert v2.created and v2.definition.version == 2
    assert [d.version for d in defs.versions("sop_surat_keluar")] == [1, 2]
    assert defs.get("sop_surat_keluar").version == 2
    assert defs.get("sop_surat_keluar", 1).sha256 == v1.definition.sha256
    assert defs.xml(v1.definition.id) == SURAT
    assert [d.key for d in defs.list()] == ["sop_surat_keluar"]
    assert v1.definition.first_lanes == ("Staf",)
    assert v1.definition.deployed_by == "admin"
    defs.deploy(SCRATCH)
    assert set(defs.roles()) >= {"Staf", "Kasubbag Umum", "Kepala Dinas", "Pegawai"}
    with pytest.raises(NotFound, match="tidak ditemukan"):
        defs.get("tidak_ada")
    with pytest.raises(NotFound):
        defs.get("sop_surat_keluar", 9)


def test_parsed_specs_are_cached_by_content_hash(sqlite_store: Store) -> None:
    defs = Definitions(sqlite_store)
    d = defs.deploy(SURAT).definition
    assert d.sha256 in spec_cache_info()
    assert defs.spec(d.id) is defs.spec(d.id)


def test_malformed_xml_gives_its_line(sqlite_store: Store) -> None:
    (p,) = problems_of(Definitions(sqlite_store), b"<?xml version='1.0'?>\n<a>\n<b></a>")
    assert "XML" in p.message and p.line is not None


def test_unsupported_elements_are_named(sqlite_store: Store) -> None:
    problems = problems_of(
        Definitions(sqlite_store), bpmn("", task="serviceTask").replace(b"Periksa", b"Kirim API")
    )
    assert any("service task" in p.message and p.element_id == "t" for p in problems)
    script = bpmn('<bpmn:scriptTask id="sc" name="Hitung"><bpmn:script>x=1</bpmn:script>'
                  "</bpmn:scriptTask>")  # fmt: skip
    problems = problems_of(Definitions(sqlite_store), script)
    assert any("ALLOW_SCRIPTS" in p.message and p.element_id == "sc" for p in problems)


def test_user_task_outside_a_named_lane(sqlite_store: Store) -> None:
    data = bpmn("").replace(b'name="Staf"', b'name=""')
    problems = problems_of(Definitions(sqlite_store), data)
    assert any("lane" in p.message and p.element_id == "t" for p in problems)


def test_gateway_flow_without_condition_or_default(sqlite_store: Store) -> None:
    data = bpmn('<bpmn:sequenceFlow id="f5" sourceRef="g" targetRef="e"/>')
    problems = problems_of(Definitions(sqlite_store), data)
    assert any("tanpa kondisi" in p.message and p.element_id == "f5" for p in problems)


def test_flow_pointing_nowhere(sqlite_store: Store) -> None:
    data = bpmn('<bpmn:sequenceFlow id="f6" sourceRef="t" targetRef="hilang"/>')
    problems = problems_of(Definitions(sqlite_store), data)
    assert any("hilang" in p.message for p in problems)


def test_unreachable_nodes(sqlite_store: Store) -> None:
    island = (
        '<bpmn:manualTask id="m1" name="Pulau A"/><bpmn:manualTask id="m2" name="Pulau B"/>'
        '<bpmn:sequenceFlow id="i1" sourceRef="m1" targetRef="m2"/>'
        '<bpmn:sequenceFlow id="i2" sourceRef="m2" targetRef="m1"/>'
    )
    problems = problems_of(Definitions(sqlite_store), bpmn(island))
    unreachable = {p.element_id for p in problems if "tidak terjangkau" in p.message}
    assert unreachable == {"m1", "m2"}


def test_condition_that_does_not_parse_or_is_code(sqlite_store: Store, tmp_path: Path) -> None:
    defs = Definitions(sqlite_store)
    problems = problems_of(defs, bpmn("", condition="keputusan =="))
    assert any("tidak dapat diurai" in p.message and p.element_id == "f3" for p in problems)
    target = tmp_path / "x"
    evil = f"__import__('os').system('touch {target}')"
    problems = problems_of(defs, bpmn("", condition=evil))
    assert any("pemanggilan fungsi" in p.message and p.element_id == "f3" for p in problems)
    assert not target.exists()
    problems = problems_of(defs, bpmn("", condition='status_x == "a"'))
    assert any("status_x" in p.message for p in problems)


def test_every_problem_is_reported_at_once(sqlite_store: Store) -> None:
    data = bpmn(
        '<bpmn:sequenceFlow id="f6" sourceRef="t" targetRef="hilang"/>'
        '<bpmn:sendTask id="snd" name="Kirim"/>',
        condition="keputusan ==",
    ).replace(b'name="Staf"', b'name=""')
    problems = problems_of(Definitions(sqlite_store), data)
    ids = {p.element_id for p in problems}
    assert {"t", "f3", "snd"} <= ids
    assert all(p.line for p in problems if p.element_id in {"t", "f3", "snd"})


def test_timers_must_be_iso_and_not_cycles(sqlite_store: Store) -> None:
    timer = (
        '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{}</bpmn:timeDuration>'
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        '<bpmn:sequenceFlow id="fb" sourceRef="b" targetRef="e"/>'
    )
    defs = Definitions(sqlite_store)
    problems = problems_of(defs, bpmn(timer.format("besok pagi")))
    assert any("ISO 8601" in p.message and p.element_id == "b" for p in problems)
    assert defs.check(bpmn(timer.format("PT1H"))) == []
    cycle = timer.replace("timeDuration", "timeCycle").format("R3/PT1H")
    assert any("timeCycle" in p.message for p in problems_of(defs, bpmn(cycle)))


def test_message_events_are_refused(sqlite_store: Store) -> None:
    data = bpmn("").replace(
        b'<bpmn:startEvent id="s"/>',
        b'<bpmn:startEvent id="s"><bpmn:messageEventDefinition/></bpmn:startEvent>',
    )
    problems = problems_of(Definitions(sqlite_store), data)
    assert any("start event biasa" in p.message for p in problems)


def test_scripts_are_accepted_only_when_the_operator_enables_them(sqlite_store: Store) -> None:
    body = (
        '<bpmn:scriptTask id="sc" name="Hitung"><bpmn:script>x = 1</bpmn:script>'
        "</bpmn:scriptTask>"
    )
    data = bpmn(body).replace(
        b'<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>',
        b'<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sc"/>'
        b'<bpmn:sequenceFlow id="f0" sourceRef="sc" targetRef="t"/>',
    )
    assert Definitions(sqlite_store).check(data)
    assert Definitions(sqlite_store, {"ALLOW_SCRIPTS": True}).check(data) == []


def test_drawn_from_scratch_bpmn_is_accepted(sqlite_store: Store) -> None:
    d = Definitions(sqlite_store).deploy(SCRATCH).definition
    assert d.key == "Process_cuti" and d.name == "Permohonan Cuti"
    assert d.lanes == ("Pegawai", "Atasan Langsung", "Bagian Kepegawaian")


def test_a_decision_value_no_flow_accepts_is_reported(sqlite_store: Store) -> None:
    data = bpmn("").replace(b'keputusan == "tidak"', b'keputusan == "tolak"')
    problems = problems_of(Definitions(sqlite_store), data)
    assert any("“tidak”" in p.message and p.element_id == "g" for p in problems)
    with_default = data.replace(b'name="Setuju?"', b'name="Setuju?" default="f4"')
    assert Definitions(sqlite_store).check(with_default) == []


def test_concurrent_deploys_get_distinct_versions(store: Store) -> None:
    import threading

    variants = [SURAT.replace(b"Menyusun konsep surat", f"Konsep {i}".encode()) for i in range(4)]
    barrier = threading.Barrier(len(variants))
    results: list = []

    def deploy(data: bytes) -> None:
        barrier.wait()
        results.append(Definitions(store).deploy(data).definition.version)

    threads = [threading.Thread(target=deploy, args=(v,)) for v in variants]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [1, 2, 3, 4]
