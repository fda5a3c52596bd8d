"""The authorization matrix: each role × each action, checked on the server.

Users: admin (admin, no lane), kasubbag (Kasubbag PEKK: starts the IKU process), pengadm
(Pengadministrasian Umum), kadis (Kepala Dinas), analis (Analis: deploys processes),
bendahara (Bendahara: no lane in the process). The first task of a case belongs to
Kasubbag PEKK. A refused action must answer 403 and change nothing.
"""

from __future__ import annotations

import io
from pathlib import Path
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
    f"/proses/{KEY}/v1/ubah": {"admin", "analis"},
    "/admin/pengguna": {"admin"},
    "/admin/pengguna/kadis": {"admin"},
    "/admin/tugas": {"admin"},
    "/profil": set(USERS),
    "/tugas/{t}": {"admin", "kasubbag"},
    "/tugas/{t}/diagram.svg": {"admin", "kasubbag"},
    "/kasus/{i}": {"admin", "analis", "kasubbag", "pengadm", "kadis"},
    "/kasus/{i}/diagram.svg": {"admin", "analis", "kasubbag", "pengadm", "kadis"},
    "/notifikasi/": set(USERS),  # each sees only their own (test_notifications_are_own)
    "/notifikasi/pengaturan": set(USERS),
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


def test_delegate_and_note_matrix(real_app: Flask) -> None:
    """Only the holder hands a task on; notes: holders of the lane and admins."""
    be = real_app.config["ALUR_BACKEND"]
    be.users.add("kasubbag2", ["Kasubbag PEKK"], password="rahasia-123")
    inst, task = case(real_app)
    for user in ("admin", "kasubbag", "pengadm", "kadis", "analis", "bendahara"):
        code = status_of(real_app, user, "post", f"/tugas/{task.id}/serahkan",
                         data={"to_user": "kasubbag2"})  # fmt: skip
        assert code == 403, user  # nobody holds it yet
    for user in ("pengadm", "kadis", "analis", "bendahara"):
        code = status_of(real_app, user, "post", f"/tugas/{task.id}/catatan", data={"note": "x"})
        assert code == 403, user
    assert [h.action for h in be.runtime.history(inst.id)] == ["start"]
    for user in ("admin", "kasubbag"):
        code = status_of(real_app, user, "post", f"/tugas/{task.id}/catatan", data={"note": "x"})
        assert code == 302, user
    be.runtime.claim(task.id, "kasubbag")
    code = status_of(real_app, "kasubbag", "post", f"/tugas/{task.id}/serahkan",
                     data={"to_user": "kasubbag2"})  # fmt: skip
    assert code == 302 and be.runtime.task(task.id).assignee == "kasubbag2"


def test_profile_posts_need_a_login(real_app: Flask) -> None:
    c = real_app.test_client()
    for url in ("/profil/kata-sandi", "/profil/bahasa"):
        r = c.post(url, data={"lang": "en"})
        assert r.status_code == 302 and r.headers["Location"].startswith("/masuk"), url


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
    """Upload stages (302 to the preview), the preview's POST deploys: analysts and admins
    only; a second analyst's confirmation of the same content creates nothing."""
    be = real_app.config["ALUR_BACKEND"]
    xml = (FIXTURES / "iku.bpmn").read_bytes().replace(b"Penyusunan IKU", b"Penyusunan IKU v2")
    for user in USERS:
        client = session_client(real_app, user)
        r = client.post(
            "/proses/unggah",
            data={"bpmn": (io.BytesIO(xml), "iku.bpmn")},
            content_type="multipart/form-data",
        )
        if user not in {"admin", "analis"}:
            assert r.status_code == 403, user
            continue
        assert r.status_code == 302 and "/proses/terapkan/" in r.headers["Location"], user
        versi = len(be.definitions.versions(KEY))
        assert client.post(r.headers["Location"], data={"versi": versi}).status_code == 302
    assert len(be.definitions.versions(KEY)) == 2  # the second confirmation was identical


def test_deploy_preview_matrix(real_app: Flask) -> None:
    """A staged file is its stager's: another analyst gets 404, staff 403, for every route."""
    from webui import deploying

    xml = (FIXTURES / "iku.bpmn").read_bytes().replace(b"Penyusunan IKU", b"Penyusunan IKU v2")
    with real_app.test_request_context():
        token = deploying.stage(xml, filename="iku.bpmn", source="upload:iku.bpmn", user="analis")
    expected = {"analis": 200, "admin": 404}
    for url in (f"/proses/terapkan/{token}", f"/proses/terapkan/{token}/diagram.svg"):
        for user in USERS:
            assert status_of(real_app, user, "get", url) == expected.get(user, 403), (user, url)
    be = real_app.config["ALUR_BACKEND"]
    for user in USERS:
        if user != "analis":
            code = status_of(real_app, user, "post", f"/proses/terapkan/{token}", data={"versi": 1})
            assert code == expected.get(user, 403), user
    assert len(be.definitions.versions(KEY)) == 1  # nobody but the stager deployed


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



SOP_EDITOR_READS = ("", "/diagram.svg", "/tabel.svg", "/bpmn", "/yaml")
SOP_EDITOR_WRITES = ("/langkah/1", "/langkah/1/konfirmasi", "/langkah/1/pindah",
                     "/langkah/1/hapus", "/langkah", "/identitas", "/pelaksana", "/terapkan",
                     "/buang")  # fmt: skip


def test_sop_editor_matrix(real_app: Flask) -> None:
    """The SOP drafts and their editor: analysts and admins only; a refused POST saves
    nothing (the draft's revision stays)."""
    from converters.reading.sop_file import read_sop
    from engine.sop_drafts import SopDrafts
    from tests.conftest import EXAMPLES

    drafts = SopDrafts(real_app.config["ALUR_BACKEND"].store)
    draft = drafts.create(read_sop(EXAMPLES[0]), filename="sop.txt", user="analis")
    base = f"/proses/sop/{draft.id}"
    for user in USERS:
        allowed = user in {"admin", "analis"}
        for url in SOP_EDITOR_READS:
            assert status_of(real_app, user, "get", base + url) == (200 if allowed else 403), (
                user, url)
        if not allowed:
            for url in SOP_EDITOR_WRITES:
                code = status_of(real_app, user, "post", base + url, data={"revision": "1"})
                assert code == 403, (user, url)
    assert drafts.get(draft.id).revision == 1
    code = status_of(real_app, "admin", "post", base + "/langkah/1/konfirmasi",
                     data={"revision": "1"})  # fmt: skip
    assert code == 302 and drafts.get(draft.id).revision == 2


MODELER_WRITES = ("/draf", "/validasi", "/terapkan", "/draf/hapus")


def test_modeler_matrix(real_app: Flask) -> None:
    """The embedded modeler: analysts and admins only; a refused POST stores, stages and
    discards nothing."""
    from engine.bpmn_drafts import BpmnDrafts

    be = real_app.config["ALUR_BACKEND"]
    definition = be.definitions.get(KEY, 1)
    drafts = BpmnDrafts(be.store)
    xml = (FIXTURES / "iku.bpmn").read_bytes()
    drafts.save(definition.id, xml, "analis")
    base = f"/proses/{KEY}/v1"
    edited = xml.replace(b"Penyusunan IKU", b"Penyusunan IKU v2")
    staged = Path(real_app.config["ALUR_UPLOAD_FOLDER"]) / "_staged"
    for user in USERS:
        allowed = user in {"admin", "analis"}
        for url in ("/ubah", "/draf.bpmn"):
            code = status_of(real_app, user, "get", base + url)
            assert code == (200 if allowed else 403), (user, url)
        if not allowed:
            for url in MODELER_WRITES:
                code = status_of(
                    real_app, user, "post", base + url,
                    data={"xml": (io.BytesIO(edited), "diagram.bpmn")},
                    content_type="multipart/form-data",
                )
                assert code == 403, (user, url)
    found = drafts.get(definition.id)
    assert found is not None and found.xml == xml
    assert not staged.exists() or not any(staged.iterdir())
    assert status_of(real_app, "admin", "post", base + "/draf/hapus") == 302
    assert drafts.get(definition.id) is None


def test_notifications_are_own(real_app: Flask) -> None:
    """A notification opens for its user only: anyone else gets a 404 (its existence is not
    told), marks nothing read, and "mark all read" touches only the caller's own."""
    from engine.notifications import Notifications

    _, task = case(real_app)
    be = real_app.config["ALUR_BACKEND"]
    be.runtime.complete(task.id, "kasubbag")
    session_client(real_app, "pengadm").get("/kotak-masuk")  # the page derives it
    box = Notifications(be.store)
    (mine,) = box.list("pengadm")
    for user in ("admin", "kasubbag", "kadis", "analis", "bendahara"):
        assert status_of(real_app, user, "get", f"/notifikasi/{mine.id}") == 404, user
        assert status_of(real_app, user, "post", "/notifikasi/baca-semua") == 302, user
    assert box.unread_count("pengadm") == 1
    assert status_of(real_app, "pengadm", "get", f"/notifikasi/{mine.id}") == 302
    assert box.unread_count("pengadm") == 0
    anonymous = real_app.test_client().post("/notifikasi/baca-semua")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/masuk")
