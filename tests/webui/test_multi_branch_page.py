"""The task page of a decision with three branches: one button per branch, and the chosen
branch's flow is taken (real engine on SQLite, Flask test client)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from converters.bpmn.writer import task_id, write_bpmn
from converters.model import Sop
from tests.converters.bpmn.multi_branch_sops import MULTI_BRANCH
from tests.webui.conftest import make_app, session_client, text
from webui.backend import Backend

# the template database's users: kasubbag, pengadm, kadis hold these roles
RENAME = {"Staf": "Pengadministrasian Umum", "Kasubbag Umum": "Kasubbag PEKK"}
USER = {"Pengadministrasian Umum": "pengadm", "Kasubbag PEKK": "kasubbag", "Kepala Dinas": "kadis"}


def _sop() -> Sop:
    sop = MULTI_BRANCH["tiga-cabang-maju"]
    return dataclasses.replace(
        sop,
        roles=tuple(RENAME.get(r, r) for r in sop.roles),
        steps=tuple(dataclasses.replace(s, role=RENAME.get(s.role, s.role)) for s in sop.steps),
    )


def test_three_branch_decision_shows_three_buttons_and_takes_the_chosen_one(
    tmp_path: Path, real_backend: Backend
) -> None:
    be = real_backend
    d = be.definitions.deploy(write_bpmn(_sop()), "tiga-cabang.bpmn", "analis").definition
    app = make_app(tmp_path, be)
    inst = be.runtime.start(d.key, "pengadm", title="Pengaduan jalan rusak")
    (first,) = [t for t in be.runtime.instance_tasks(inst.id) if t.state == "ready"]
    be.runtime.complete(first.id, "pengadm")
    (choose,) = [t for t in be.runtime.instance_tasks(inst.id) if t.state == "ready"]

    kasubbag = session_client(app, "kasubbag")
    page = kasubbag.get(f"/tugas/{choose.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    buttons = re.findall(r'<button type="submit" name="decision" value="([^"]+)"[^>]*>([^<]+)<',
                         html)  # fmt: skip
    assert buttons == [
        ("teknis", "Teknis"), ("administratif", "Administratif"), ("keuangan", "Keuangan"),
    ]  # fmt: skip
    assert "(wajib untuk Administratif / Keuangan)" in text(page)

    r = kasubbag.post(
        f"/tugas/{choose.id}/selesai",
        data={"decision": "keuangan", "comment": "Menyangkut anggaran"},
    )
    assert r.status_code == 302
    ready = [t for t in be.runtime.instance_tasks(inst.id) if t.state == "ready"]
    assert [t.element_id for t in ready] == [task_id(5)]  # past steps 3 and 4
    assert ready[0].role == "Kepala Dinas" and USER[ready[0].role] == "kadis"
