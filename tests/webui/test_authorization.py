"""The authorization matrix: each role × each action, checked on the server.

Users: admin (admin, no lane), kasubbag (Kasubbag PEKK: starts the IKU process), pengadm
(Pengadministrasian Umum), kadis (Kepala Dinas), analis (Analis: deploys processes),
bendahara (Bendahara: no lane in the process). The first task of a case belongs to
Kasubbag PEKK. A refused action must answer 403 and change nothing.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask

from tests.webui.conftest import FIXTURES, session_client

KEY = "sop_penyusunan_iku"
USERS = ("admin", "kasubbag", "pengadm", "kadis", "analis", "bendahara")


def case(app: Flask) -> tuple[Any, Any]:
    be = app.config["ALUR_BACKEND"]
    inst = be.runtime.start(KEY, "kasubbag", title="IKU", business_key="B-1")
    task = be.runtime.inbox("kasubbag")[0][0]
    return inst, task


def status_of(app: Flask, user: str, method: str, url: str, **kw: Any) -> int:
    client = session_client(app, user)
    return getattr(client, method)(url, **kw).status_code


READS = {
    # url template → users allowed (all others 403); {i} instance id, {t} task id
    "/kotak-masuk": set(USERS),
    "/mulai": set(USERS),
    "/kasus/": set(USERS),
    "/proses/": set(USERS),
    f"/proses/{KEY}": set(USERS),
    f"/proses/{KEY}/v1.bpmn": set(USERS),
    "/proses/unggah": {"admin", "analis"},
    "/proses/sop": {"admin", "analis"},
    "/admin/pengguna": {"admin"},
    "/admin/pengguna/kadis": {"admin"},
    "/tugas/{t}": {"admin", "kasubbag"},
    "/tugas/{t}/diagram.svg": {"admin", "kasubbag"},
    "/kasus/{i}": {"admin", "analis", "kasubbag", "pengadm", "kadis"},
    "/kasus/{i}/diagram.svg": {"admin", "analis", "kasubbag", "pengadm", "kadis"},
}


@pytest.mark.parametrize("url", sorted(READS))
def test_read_matrix(real_app: Flask, url: str) -> None:
    inst, task = case(real_app)
    target = url.format(i=inst.id, t=task.id)
    for user in USERS:
        expected = 200 if user in READS[url] else 403
        assert status_of(real_app, user, "get", target) == expected, (user, target)


def test_anonymous_is_sent_to_login_everywhere(real_app: Flask) -> None:
    inst, task = case(real_app)
    c = real_app.test_client()
    for url in READS:
        r = c.get(url.format(i=inst.id, t=task.id))
        assert r.status_code == 302 and r.headers["Location"].startswith("/masuk"), url
    r = c.post(f"/tugas/{task.id}/selesai")
    assert r.status_code == 302 and r.headers["Location"].startswith("/masuk")


def test_start_matrix(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    allowed = {"admin", "kasubbag"}
    for user in USERS:
        before = be.runtime.instances()[1]
        code = status_of(real_app, user, "post", f"/mulai/{KEY}", data={"title": f"oleh {user}"})
        after = be.runtime.instances()[1]
        if user in allowed:
            assert code == 302 and after == before + 1, user
        else:
            assert code == 403 and after == before, user


@pytest.mark.parametrize("action", ["ambil", "selesai"])
def test_task_action_matrix(real_app: Flask, action: str) -> None:
    be = real_app.config["ALUR_BACKEND"]
    _, task = case(real_app)
    for user in ("pengadm", "kadis", "analis", "bendahara"):
        assert status_of(real_app, user, "post", f"/tugas/{task.id}/{action}") == 403, user
        assert be.runtime.task(task.id).state == "ready"
        assert be.runtime.task(task.id).assignee is None
    assert status_of(real_app, "kasubbag", "post", f"/tugas/{task.id}/{action}") == 302
    after = be.runtime.task(task.id)
    assert after.assignee == "kasubbag" or after.state == "completed"


def test_unclaim_of_someone_elses_task_is_refused(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    be.users.add("kasubbag2", ["Kasubbag PEKK"], password="rahasia-123")
    _, task = case(real_app)
    be.runtime.claim(task.id, "kasubbag")
    assert status_of(real_app, "kasubbag2", "post", f"/tugas/{task.id}/lepas") == 403
    assert be.runtime.task(task.id).assignee == "kasubbag"


def test_reassign_matrix(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    _, task = case(real_app)
    for user in ("kasubbag", "pengadm", "kadis", "analis", "bendahara"):
        code = status_of(
            real_app, user, "post", f"/tugas/{task.id}/alihkan", data={"to_user": user}
        )
        assert code == 403, user
    assert be.runtime.task(task.id).assignee is None
    code = status_of(
        real_app, "admin", "post", f"/tugas/{task.id}/alihkan", data={"to_user": "kasubbag"}
    )
    assert code == 302 and be.runtime.task(task.id).assignee == "kasubbag"


def test_cancel_matrix(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    inst, _ = case(real_app)
    for user in ("kasubbag", "pengadm", "kadis", "analis", "bendahara"):
        code = status_of(
            real_app, user, "post", f"/kasus/{inst.id}/batalkan", data={"reason": "x"}
        )
        assert code == 403, user
    assert be.runtime.instance(inst.id).status == "running"
    code = status_of(real_app, "admin", "post", f"/kasus/{inst.id}/batalkan", data={"reason": "x"})
    assert code == 302 and be.runtime.instance(inst.id).status == "cancelled"


def test_deploy_matrix(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    xml = (FIXTURES / "iku.bpmn").read_bytes().replace(b"Penyusunan IKU", b"Penyusunan IKU v2")
    for user in USERS:
        code = status_of(
            real_app,
            user,
            "post",
            "/proses/unggah",
            data={"bpmn": (io.BytesIO(xml), "iku.bpmn")},
            content_type="multipart/form-data",
        )
        assert code == (302 if user in {"admin", "analis"} else 403), user
    assert len(be.definitions.versions(KEY)) == 2  # the second upload was identical


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/pengguna/baru", {"username": "baru", "password": "rahasia-123"}),
        ("/admin/pengguna/kadis", {"action": "deactivate"}),
        ("/admin/pengguna/kadis", {"action": "password", "password": "baru-rahasia"}),
        ("/admin/pengguna/kadis", {"action": "roles", "roles": ["Kepala Dinas"], "is_admin": "1"}),
    ],
)
def test_admin_actions_matrix(real_app: Flask, url: str, data: dict[str, Any]) -> None:
    be = real_app.config["ALUR_BACKEND"]
    for user in ("kasubbag", "pengadm", "kadis", "analis", "bendahara"):
        assert status_of(real_app, user, "post", url, data=data) == 403, user
    assert be.users.find("baru") is None
    kadis = be.users.get("kadis")
    assert kadis.active and not kadis.is_admin
    assert be.users.authenticate("kadis", "rahasia-123") is not None
    assert status_of(real_app, "admin", "post", url, data=data) == 302

