"""write_bpmn: the structure Camunda Modeler, SpiffWorkflow and bpmnlint expect."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from converters.bpmn.names import short_name
from converters.bpmn.validate import validate_bpmn
from converters.bpmn.writer import process_id, write_bpmn
from converters.model import ConversionError, Decision, Identity, Sop, Step
from tests.converters.strategies import fixed_sops, model, model_names, sops

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
    "modeler": "http://camunda.org/schema/modeler/1.0",
}


def _root(sop: Sop) -> etree._Element:
    return etree.fromstring(write_bpmn(sop))


def _props(el: etree._Element) -> dict[str, str]:
    return {
        p.get("name"): p.get("value")
        for p in el.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)
    }


@pytest.mark.parametrize("name", model_names())
def test_every_model_gives_schema_valid_connected_bpmn(name: str):
    assert validate_bpmn(write_bpmn(model(name))) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sops())
def test_random_models_give_valid_bpmn(sop: Sop):
    assert validate_bpmn(write_bpmn(sop)) == []


def test_definitions_carry_exporter_and_camunda_platform():
    root = _root(fixed_sops()["two_loops"])
    assert root.nsmap["camunda"] == NS["camunda"]
    assert {"bpmndi", "dc", "di"} <= set(root.nsmap)
    assert root.get("exporter") == "Alur"
    assert root.get("exporterVersion")
    assert root.get(f"{{{NS['modeler']}}}executionPlatform") == "Camunda Platform"
    assert root.get(f"{{{NS['modeler']}}}executionPlatformVersion", "").startswith("7.")
    (proc,) = root.findall("bpmn:process", NS)
    assert proc.get("isExecutable") == "true"
    assert proc.get(f"{{{NS['camunda']}}}historyTimeToLive")
    (participant,) = root.findall("bpmn:collaboration/bpmn:participant", NS)
    assert (
        participant.get("processRef")
        == proc.get("id")
        == "Proses_Penyusunan_Laporan_Kinerja_800_12_SOP_2024"
    )
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    assert plane.get("bpmnElement") == root.find("bpmn:collaboration", NS).get("id")


def test_one_lane_per_role_in_column_order_holding_its_tasks():
    sop = fixed_sops()["two_loops"]
    root = _root(sop)
    lanes = root.findall("bpmn:process/bpmn:laneSet/bpmn:lane", NS)
    assert [lane.get("name") for lane in lanes] == list(sop.roles)
    members = {
        lane.get("name"): [r.text for r in lane.findall("bpmn:flowNodeRef", NS)] for lane in lanes
    }
    for step in sop.steps:
        assert f"Task_Langkah_{step.number}" in members[step.role]
    assert members["Staf"] == []  # a role column without steps stays an (empty) lane


def test_user_tasks_have_short_names_full_documentation_and_mutu_baku():
    sop = fixed_sops()["two_loops"]
    root = _root(sop)
    task = root.find("bpmn:process/bpmn:userTask[@id='Task_Langkah_8']", NS)
    assert task.get("name") == "Melaksanakan kegiatan 8"
    assert task.findtext("bpmn:documentation", namespaces=NS) == sop.step(8).activity
    assert task.get(f"{{{NS['camunda']}}}candidateGroups") == "Pengadministrasi Umum"
    props = _props(task)
    assert props["langkah"] == "8"
    assert props["waktu"] == "2 menit/berkas"
    assert props["waktu_iso"] == "PT2M"
    assert props["waktu_per_satuan"] == "berkas"
    assert {"kelengkapan", "output", "keterangan"} <= set(props)
    notes = _props(root.find("bpmn:process/bpmn:userTask[@id='Task_Langkah_4']", NS))
    assert notes["keterangan"] == "Rangkap dua\nuntuk arsip"


def test_decision_is_task_form_gateway_conditional_and_default_flow():
    root = _root(fixed_sops()["two_loops"])
    proc = root.find("bpmn:process", NS)
    field = proc.find("bpmn:userTask[@id='Task_Langkah_5']//camunda:formField", NS)
    assert field.get("id") == "keputusan" and field.get("type") == "enum"
    values = [(v.get("id"), v.get("name")) for v in field.findall("camunda:value", NS)]
    assert values == [("setuju", "Setuju"), ("tidak_setuju", "Tidak setuju")]
    gateway = proc.find("bpmn:exclusiveGateway[@id='Gateway_Langkah_5']", NS)
    assert gateway.get("name") == "Setuju?"
    assert gateway.get("default") == "Flow_5_tidak_setuju"
    approve = proc.find("bpmn:sequenceFlow[@id='Flow_5_setuju']", NS)
    assert approve.get("name") == "Setuju"
    assert approve.findtext("bpmn:conditionExpression", namespaces=NS) == 'keputusan == "setuju"'
    assert approve.get("targetRef") == "Task_Langkah_6"
    reject = proc.find("bpmn:sequenceFlow[@id='Flow_5_tidak_setuju']", NS)
    assert reject.get("name") == "Tidak setuju"
    assert reject.find("bpmn:conditionExpression", NS) is None
    # steps 5 and 6 both send the work back to step 4: it is entered through a merge gateway
    assert reject.get("targetRef") == "Gateway_Gabung_4"
    merge = proc.find("bpmn:exclusiveGateway[@id='Gateway_Gabung_4']", NS)
    assert sorted(x.text for x in merge.findall("bpmn:incoming", NS)) == [
        "Flow_3",
        "Flow_5_tidak_setuju",
        "Flow_6_tidak_setuju",
    ]
    assert [x.text for x in merge.findall("bpmn:outgoing", NS)] == ["Flow_Gabung_4"]


def test_no_task_or_event_joins_and_no_gateway_joins_and_forks():
    for sop in fixed_sops().values():
        proc = _root(sop).find("bpmn:process", NS)
        for el in proc:
            tag = etree.QName(el).localname
            n_in = len(el.findall("bpmn:incoming", NS))
            n_out = len(el.findall("bpmn:outgoing", NS))
            if tag in ("userTask", "startEvent", "endEvent"):
                assert n_in <= 1, el.get("id")
                assert n_out <= 1, el.get("id")
            if tag == "exclusiveGateway":
                assert not (n_in > 1 and n_out > 1), el.get("id")
                assert n_in + n_out > 2, el.get("id")  # never a superfluous gateway


def test_reject_to_end_and_own_labels():
    proc = _root(fixed_sops()["skip_and_end"]).find("bpmn:process", NS)
    ya = proc.find("bpmn:sequenceFlow[@id='Flow_4_ya']", NS)
    tidak = proc.find("bpmn:sequenceFlow[@id='Flow_4_tidak']", NS)
    assert ya.findtext("bpmn:conditionExpression", namespaces=NS) == 'keputusan == "ya"'
    assert tidak.get("targetRef") == "Gateway_Gabung_Selesai"
    lengkap = proc.find("bpmn:sequenceFlow[@id='Flow_2_lengkap']", NS)
    assert lengkap.get("targetRef") == "Gateway_Gabung_4"  # skips step 3
    assert proc.find("bpmn:exclusiveGateway[@id='Gateway_Langkah_2']", NS).get("name") == (
        "Lengkap?"
    )


def test_ids_are_stable_across_conversions():
    sop = fixed_sops()["two_loops"]
    assert write_bpmn(sop) == write_bpmn(sop)


def test_process_id_is_readable_and_overridable():
    sop = Sop(Identity(name="Penyusunan IKU (2023)"), ("Staf",), (Step(1, "Kerja", "Staf"),))
    assert process_id(sop) == "Proses_Penyusunan_IKU_2023"
    assert b'id="Proses_Lain"' in write_bpmn(sop, process="Proses_Lain")


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (
            "Menerima konsep IKU dari masing-masing Seksi kemudian memeriksa bersama Tim",
            "Menerima konsep IKU dari masing-masing Seksi",
        ),
        ("Meneliti konsep IKU dan jika tidak setuju dikembalikan", "Meneliti konsep IKU"),
        (
            "Merekapitulasi Hasil Pembahasan IKU untuk kemudian diperiksa",
            "Merekapitulasi Hasil Pembahasan IKU",
        ),
        (  # the bracket is never closed in the source (Mentawai)
            "Membuat draft surat (Lanjut ke : SOP Pembuatan dan Pengesahan Surat",
            "Membuat draft surat",
        ),
        (
            "Membuat draft surat (Lanjut ke : SOP Pembuatan dan Pengesahan Surat)",
            "Membuat draft surat…",
        ),
        (
            "Rapat (koordinasi, evaluasi) bersama Tim, kemudian melapor",
            "Rapat (koordinasi, evaluasi) bersama Tim",
        ),
        ("", "Langkah 3"),
        ("   \n ", "Langkah 3"),
    ],
)
def test_short_name_is_the_first_clause(activity: str, expected: str):
    assert short_name(activity, 3) == expected


def test_short_name_of_a_long_clause_is_cut_at_a_word():
    name = short_name(
        "Menyampaikan Indikator Kinerja Utama ke Sekretariat Daerah Kota Singkawang", 8
    )
    assert name == "Menyampaikan Indikator Kinerja Utama…"
    assert len(name) <= 60


def test_text_xml_cannot_carry_is_dropped_not_fatal():
    sop = Sop(Identity(name="OCR\x0c"), ("Staf\x01",), (Step(1, "Ker\x00ja", "Staf\x01"),))
    root = _root(sop)
    assert root.find("bpmn:process/bpmn:laneSet/bpmn:lane", NS).get("name") == "Staf"
    assert root.find("bpmn:process/bpmn:userTask", NS).get("name") == "Kerja"


def test_step_role_missing_from_roles_still_gets_a_lane():
    sop = Sop(Identity(name="X"), ("Staf",), (Step(1, "A", "Staf"), Step(2, "B", "Kasi")))
    lanes = _root(sop).findall("bpmn:process/bpmn:laneSet/bpmn:lane", NS)
    assert [lane.get("name") for lane in lanes] == ["Staf", "Kasi"]


def test_branch_to_a_missing_step_ends_the_process():
    sop = Sop(Identity(name="X"), ("Staf",), (Step(1, "A", "Staf", decision=Decision(2, 9)),))
    proc = _root(sop).find("bpmn:process", NS)
    assert proc.find("bpmn:sequenceFlow[@id='Flow_1_tidak_setuju']", NS).get("targetRef") == (
        "Gateway_Gabung_Selesai"
    )


def test_sop_without_steps_or_with_duplicate_numbers_is_refused_clearly():
    with pytest.raises(ConversionError, match="tidak memuat langkah"):
        write_bpmn(Sop(Identity(name="X"), ("Staf",), ()))
    twice = (Step(1, "A", "Staf"), Step(2, "B", "Staf"), Step(2, "C", "Staf"))
    with pytest.raises(ConversionError, match=r"Nomor langkah ganda: 2\.$"):
        write_bpmn(Sop(Identity(name="X"), ("Staf",), twice))


def test_lane_ids_stay_unique_when_a_name_has_no_id_characters() -> None:
    """A role named ":" falls back to a numbered id, which must not take the id of a role
    named "2" (found by hypothesis: two lanes with one id broke the BPMNDI)."""
    sop = Sop(identity=Identity(), roles=("2", ":"), steps=(Step(1, "Menerima", "2"),))
    root = etree.fromstring(write_bpmn(sop))
    ids = [lane.get("id") for lane in root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}lane")]
    assert len(ids) == 2 and len(set(ids)) == 2
