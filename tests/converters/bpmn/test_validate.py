"""validate_bpmn: safe parsing, the OMG schema, references and flow consistency."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from converters.bpmn.validate import Problem, errors, validate_bpmn

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'id="Defs" targetNamespace="http://example.org/alur">\n'
)

VALID = HEAD + (
    '  <bpmn:process id="P" isExecutable="true">\n'
    '    <bpmn:startEvent id="S" name="Mulai"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>\n'
    '    <bpmn:userTask id="T" name="Tugas"><bpmn:incoming>F1</bpmn:incoming>'
    "<bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>\n"
    '    <bpmn:endEvent id="E" name="Selesai"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>\n'
    '    <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T"/>\n'
    '    <bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="E"/>\n'
    "  </bpmn:process>\n"
    "</bpmn:definitions>\n"
)


def test_valid_process_has_no_errors_only_the_missing_diagram_warning():
    problems = validate_bpmn(VALID.encode())
    assert errors(problems) == []
    assert [p.severity for p in problems] == ["warning"]
    assert "BPMNDI" in problems[0].message


def test_malformed_xml_reports_its_line():
    broken = VALID.replace("</bpmn:process>", "</bpmn:proses>")
    (problem,) = validate_bpmn(broken.encode())
    assert problem.message.startswith("Berkas bukan XML yang sah")
    assert problem.line == VALID.splitlines().index("  </bpmn:process>") + 1


def test_entity_bomb_and_external_entities_are_refused_before_parsing():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        "&lol2;</bpmn:definitions>"
    )
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;'
        "</bpmn:definitions>"
    )
    for doc in (bomb, xxe):
        (problem,) = validate_bpmn(doc.encode())
        assert "DOCTYPE" in problem.message
        assert "root:" not in problem.message


def test_not_bpmn_and_empty_input_are_one_clear_problem():
    (p,) = validate_bpmn(b"<html><body>halo</body></html>")
    assert "bukan dokumen BPMN" in p.message
    (p,) = validate_bpmn(b"   ")
    assert p.message == "Berkas kosong; bukan dokumen BPMN."


def test_schema_violation_names_the_element_and_line():
    bad = VALID.replace('<bpmn:userTask id="T" name="Tugas">', '<bpmn:userTask id="T" warna="x">')
    problems = errors(validate_bpmn(bad.encode()))
    schema = [p for p in problems if p.message.startswith("Tidak sesuai skema")]
    assert len(schema) == 1
    assert "warna" in schema[0].message
    assert schema[0].element_id == "T"
    assert schema[0].line == 5


def test_unresolved_references_are_reported_with_the_referring_element():
    bad = VALID.replace('targetRef="E"', 'targetRef="Hilang"').replace(
        "<bpmn:incoming>F1</bpmn:incoming>", "<bpmn:incoming>F9</bpmn:incoming>"
    )
    messages = {(p.element_id, p.message) for p in errors(validate_bpmn(bad.encode()))}
    assert ("F2", "Rujukan targetRef=“Hilang” tidak menunjuk elemen mana pun.") in messages
    assert ("T", "Rujukan incoming=“F9” tidak menunjuk elemen mana pun.") in messages


def test_incoming_outgoing_lists_must_match_the_flows():
    bad = VALID.replace("<bpmn:outgoing>F2</bpmn:outgoing>", "<bpmn:outgoing>F1</bpmn:outgoing>")
    found = {(p.element_id, p.message) for p in errors(validate_bpmn(bad.encode()))}
    assert ("T", "Alur F2 tidak tercantum di outgoing.") in found
    assert ("T", "outgoing “F1” bukan alur yang terhubung ke sini.") in found


def test_disconnected_node_and_unconditional_fork_are_errors():
    extra = VALID.replace(
        "  </bpmn:process>",
        '    <bpmn:userTask id="Lost" name="Yatim"/>\n'
        '    <bpmn:exclusiveGateway id="G" name="Setuju?"/>\n'
        '    <bpmn:sequenceFlow id="Fa" sourceRef="G" targetRef="T"/>\n'
        '    <bpmn:sequenceFlow id="Fb" sourceRef="G" targetRef="E"/>\n'
        "  </bpmn:process>",
    )
    found = [(p.element_id, p.message) for p in errors(validate_bpmn(extra.encode()))]
    assert ("Lost", "Tidak ada alur masuk; elemen tak terjangkau.") in found
    assert ("Lost", "Tidak ada alur keluar; proses berhenti di sini.") in found
    forks = [eid for eid, msg in found if msg.startswith("Alur keluar gateway tanpa kondisi")]
    assert sorted(forks) == ["Fa", "Fb"]


def test_problem_prints_line_message_and_element():
    p = Problem("Salah", element_id="Task_1", element_name="Periksa", line=7)
    assert str(p) == "baris 7: Salah [Task_1 “Periksa”]"


def test_node_in_two_lanes_is_a_warning():
    doc = VALID.replace(
        '<bpmn:process id="P" isExecutable="true">\n',
        '<bpmn:process id="P" isExecutable="true">\n<bpmn:laneSet id="LS">'
        '<bpmn:lane id="L1" name="Staf"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane>'
        '<bpmn:lane id="L2" name="Kasi"><bpmn:flowNodeRef>T</bpmn:flowNodeRef></bpmn:lane>'
        "</bpmn:laneSet>\n",
    )
    problems = validate_bpmn(doc.encode())
    assert errors(problems) == []
    (lanes,) = [p for p in problems if p.element_id == "T"]
    assert lanes.message == "Elemen berada di lebih dari satu lane: Staf, Kasi."
    assert lanes.severity == "warning"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_input_gives_problems_not_exceptions(data: bytes):
    problems = validate_bpmn(data)
    assert problems and all(isinstance(p, Problem) for p in problems)
    assert errors(problems)  # random bytes are never a valid BPMN


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=len(VALID) - 2))
def test_a_truncated_file_is_malformed_with_a_line(cut: int):
    problems = validate_bpmn(VALID[:cut].encode())
    assert errors(problems)
    first = problems[0]
    assert first.message.startswith(("Berkas bukan XML yang sah", "Berkas kosong"))
    assert first.line is not None or first.message.startswith("Berkas kosong")
