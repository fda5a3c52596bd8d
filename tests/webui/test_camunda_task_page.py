"""Issue 17 on the task page: a model drawn from scratch in bpmn-js (JUEL, lanes, a generated
form) shows its form and one button per outgoing flow, validates on the server (HTTP 400-class
answer on the same page, never a traceback) and routes by what was chosen. Real engine on
SQLite, Flask test client; the model is drawn by tests/engine/camunda_models.py in chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.engine.camunda_models import CUTI
from tests.webui.conftest import make_app, session_client, text
from webui.backend import Backend


def _ready(be: Backend, instance_id: int) -> Any:
    (task,) = [t for t in be.runtime.instance_tasks(instance_id) if t.state == "ready"]
    return task


@pytest.mark.browser  # the model is drawn through bpmn-js in chromium
def test_drawn_form_and_decision_buttons_work_through_the_task_page(
    tmp_path: Path, real_backend: Backend, bpmnjs: Any
) -> None:
    be = real_backend
    xml = bpmnjs.build(CUTI).encode()
    d = be.definitions.deploy(xml, "cuti.bpmn", "analis").definition
    for name, role in (("pegawai1", "Pegawai"), ("kasubag1", "Kasubag Umum")):
        be.users.add(name, [role])
    app = make_app(tmp_path, be)
    inst = be.runtime.start(d.key, "pegawai1", title="Cuti tahunan")
    task = _ready(be, inst.id)
    pegawai = session_client(app, "pegawai1")

    page = pegawai.get(f"/tugas/{task.id}")
    html = page.get_data(as_text=True)
    assert 'name="field-jumlah_hari"' in html and 'type="number"' in html and 'max="12"' in html
    assert 'type="date"' in html and 'name="field-mendesak"' in html
    assert '<option value="tahunan" selected>Cuti tahunan</option>' in html
    assert 'name="decision"' not in html  # no gateway decides after this task

    bad = pegawai.post(f"/tugas/{task.id}/selesai", data={"field-jumlah_hari": "dua",
                                                          "field-mulai": "2026-12-01"})  # fmt: skip
    assert bad.status_code == 400 and "harus bilangan bulat" in text(bad)  # same page, with
    assert 'value="2026-12-01"' in bad.get_data(as_text=True)  # what was typed kept
    assert _ready(be, inst.id).id == task.id  # nothing happened

    ok = pegawai.post(f"/tugas/{task.id}/selesai", data={
        "field-jenis": "tahunan", "field-jumlah_hari": "3", "field-mulai": "2026-12-01",
        "field-alasan": "acara keluarga"})  # fmt: skip
    assert ok.status_code == 302
    check = _ready(be, inst.id)
    kasubag = session_client(app, "kasubag1")
    html = kasubag.get(f"/tugas/{check.id}").get_data(as_text=True)
    buttons = re.findall(
        r'<button type="submit" name="decision" value="([^"]+)" class="([^"]+)"'
        r'( data-needs-comment="1")?[^>]*>([^<]+)<', html)  # fmt: skip
    assert buttons == [("ya", "primary", "", "Ya"), ("tidak", "danger", ' data-needs-comment="1"',
                                                      "Tidak")]  # fmt: skip
    history = kasubag.get(f"/tugas/{check.id}")
    assert "Jumlah hari: 3" in text(history) and "Mendesak: tidak" in text(history)

    no_reason = kasubag.post(f"/tugas/{check.id}/selesai", data={"decision": "tidak"})
    assert no_reason.status_code == 400 and "memerlukan komentar" in text(no_reason)
    kasubag.post(f"/tugas/{check.id}/selesai", data={"decision": "tidak", "comment": "kurang"})
    assert _ready(be, inst.id).element_id == "Ajukan"  # the "Tidak" flow went back
    back = pegawai.get(f"/tugas/{_ready(be, inst.id).id}")  # returned: banner, form pre-filled
    assert "Dikembalikan oleh kasubag1 (Kasubag Umum)" in text(back) and "kurang" in text(back)
    assert 'name="field-jumlah_hari" value="3"' in back.get_data(as_text=True)
