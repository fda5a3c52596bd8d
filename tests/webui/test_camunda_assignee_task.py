"""A task drawn with a fixed ``camunda:assignee`` and no lane (issue 17) has no role: the pages
name the person instead of printing an empty role ("Menandatangani surat ()" in the flash,
an empty "Peran", "(, bupati)" on the case page), and that person may open the case (and its
attachments) the task page links to: it was 403 because they hold none of its lanes. Found by
tests/e2e/test_camunda_models.py."""

from __future__ import annotations

from pathlib import Path

from tests.webui.conftest import make_app, session_client, text
from webui.backend import Backend

XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="D" targetNamespace="urn:t">
<bpmn:process id="surat_tanpa_lane" name="Surat tanpa lane" isExecutable="true">
  <bpmn:startEvent id="s"/>
  <bpmn:userTask id="tulis" name="Menulis surat" camunda:candidateGroups="Staf"/>
  <bpmn:userTask id="ttd" name="Menandatangani surat" camunda:assignee="bupati"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="tulis"/>
  <bpmn:sequenceFlow id="f2" sourceRef="tulis" targetRef="ttd"/>
  <bpmn:sequenceFlow id="f3" sourceRef="ttd" targetRef="e"/>
</bpmn:process></bpmn:definitions>"""


def test_a_task_with_a_fixed_assignee_names_the_person_not_an_empty_role(
    tmp_path: Path, real_backend: Backend
) -> None:
    be = real_backend
    d = be.definitions.deploy(XML, "surat.bpmn", "analis").definition
    be.users.add("staf1", ["Staf"])
    be.users.add("bupati", [])
    be.users.add("lain", ["Sekretaris"])
    app = make_app(tmp_path, be)
    inst = be.runtime.start(d.key, "staf1", title="Surat edaran")
    (first,) = be.runtime.instance_tasks(inst.id)
    staf = session_client(app, "staf1")
    done = staf.post(f"/tugas/{first.id}/selesai", data={}, follow_redirects=True)
    said = text(done)
    assert "Kasus diteruskan ke: Menandatangani surat (bupati)." in said
    assert "()" not in said

    (task,) = [t for t in be.runtime.instance_tasks(inst.id) if t.state == "ready"]
    assert task.role == "" and task.assignee == "bupati"
    page = session_client(app, "bupati").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "<dt>Peran</dt><dd>–</dd>" in page
    assert session_client(app, "lain").get(f"/kasus/{inst.id}").status_code == 403
    case = text(session_client(app, "bupati").get(f"/kasus/{inst.id}"))
    assert "Menandatangani surat (bupati)" in case and "(, bupati)" not in case
