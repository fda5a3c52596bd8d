"""People (issue 13) through the web UI on the real engine: returned work, people by name,
the profile page, the admin's open tasks, delegation, notes, and nothing typed is lost.

Users of the template database: kasubbag (Kasubbag PEKK), pengadm (Pengadministrasian Umum),
kadis (Kepala Dinas), admin, analis, bendahara; each full name is the user name titled.
"""

from __future__ import annotations

import io
import re
from typing import Any

from flask import Flask

from engine.users import Profile
from tests.engine.test_people import iku_with_form
from tests.webui.conftest import PASSWORD, login, session_client, text

KEY = "sop_penyusunan_iku"


def ready(be: Any, instance_id: int) -> Any:
    return next(t for t in be.runtime.instance_tasks(instance_id) if t.state == "ready")


def returned_case(app: Flask, with_form: bool = False) -> tuple[Any, Any]:
    """A case whose recapitulation (step_2) Kasubbag PEKK sent back: (instance, task)."""
    be = app.config["ALUR_BACKEND"]
    if with_form:
        be.definitions.deploy(iku_with_form(), "iku.bpmn", "analis")
    be.users.set_profile("kasubbag", Profile(full_name="Rina Wati", jabatan="Kasubbag PEKK"))
    inst = be.runtime.start(KEY, "kasubbag", title="IKU 2027")
    be.runtime.complete(ready(be, inst.id).id, "kasubbag")
    form = {"nomor_rekap": "R-7", "jumlah_iku": "12"} if with_form else None
    be.runtime.complete(ready(be, inst.id).id, "pengadm", form=form)
    be.runtime.complete(ready(be, inst.id).id, "kasubbag", "tidak_setuju", "Angka IKU 3 salah")
    return inst, ready(be, inst.id)


def test_returned_task_shows_who_why_and_when(real_app: Flask) -> None:
    _inst, back = returned_case(real_app)
    pengadm = session_client(real_app, "pengadm")
    page = text(pengadm.get(f"/tugas/{back.id}"))
    found = re.search(r"Dikembalikan oleh Rina Wati \(Kasubbag PEKK\) pada (\d+ \w+ \d{4} "
                      r"\d\d\.\d\d WIB): Angka IKU 3 salah", page)  # fmt: skip
    assert found, page
    html = pengadm.get("/kotak-masuk").get_data(as_text=True)
    row = re.search(r'<tr class="[^"]*returned[^"]*">.*?</tr>', html, re.S)
    assert row and "Merekapitulasi" in row.group(0) and "dikembalikan" in row.group(0)
    assert "oleh Rina Wati" in text(pengadm.get("/kotak-masuk"))
    # a first pass is not marked: another case's recapitulation arrives for the first time
    be = real_app.config["ALUR_BACKEND"]
    other = be.runtime.start(KEY, "kasubbag", title="Baru")
    be.runtime.complete(ready(be, other.id).id, "kasubbag")
    first = ready(be, other.id)
    assert "Dikembalikan oleh" not in text(pengadm.get(f"/tugas/{first.id}"))
    assert len(re.findall(r'<tr class="[^"]*returned', pengadm.get("/kotak-masuk").get_data(
        as_text=True))) == 1  # fmt: skip


def test_history_tells_approval_from_return_by_class_and_sign(real_app: Flask) -> None:
    inst, back = returned_case(real_app)
    be = real_app.config["ALUR_BACKEND"]
    be.runtime.complete(back.id, "pengadm")
    be.runtime.complete(ready(be, inst.id).id, "kasubbag", "setuju")
    html = session_client(real_app, "kasubbag").get(f"/kasus/{inst.id}").get_data(as_text=True)
    reject = re.findall(r'<span class="badge decision reject">([^<]+)</span>', html)
    approve = re.findall(r'<span class="badge decision approve">([^<]+)</span>', html)
    assert reject == ["Tidak setuju"] and approve == ["Setuju"]
    css = session_client(real_app, "kasubbag").get("/static/alur.css").get_data(as_text=True)
    assert '.badge.decision.reject::before { content: "↩ "; }' in css  # a sign, not colour only
    assert '.badge.decision.approve::before { content: "✓ "; }' in css
    assert 'title="kasubbag · Kasubbag PEKK">Rina Wati</span>' in html  # the person, by name


def test_a_returned_form_is_prefilled_with_last_values(real_app: Flask) -> None:
    _inst, back = returned_case(real_app, with_form=True)
    html = session_client(real_app, "pengadm").get(f"/tugas/{back.id}").get_data(as_text=True)
    assert re.search(r'name="field-nomor_rekap" value="R-7"', html)
    assert re.search(r'name="field-jumlah_iku" value="12"', html)


def test_catatan_is_kept_when_an_attachment_is_refused(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    inst = be.runtime.start(KEY, "kasubbag", title="IKU")
    task = ready(be, inst.id)
    c = session_client(real_app, "kasubbag")
    r = c.post(f"/tugas/{task.id}/selesai", content_type="multipart/form-data",
               data={"comment": "Sudah dicek bersama Tim <b>A</b>",
                     "attachments": (io.BytesIO(b"MZ\x90\x00"), "virus.exe")})  # fmt: skip
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert ">Sudah dicek bersama Tim &lt;b&gt;A&lt;/b&gt;</textarea>" in html
    assert "exe" in text(r)  # the refusal says why
    assert be.runtime.task(task.id).state == "ready"


def test_profile_password_change_ends_the_other_sessions(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    here, elsewhere = real_app.test_client(), real_app.test_client()
    for c in (here, elsewhere):
        assert login(c, "pengadm").status_code == 302
    assert here.get("/profil").status_code == 200
    wrong = here.post("/profil/kata-sandi", data={"current": "salah-salah", "new": "baru-rahasia-9",
                                                   "repeat": "baru-rahasia-9"})  # fmt: skip
    assert wrong.status_code == 400 and "Kata sandi saat ini salah" in text(wrong)
    short = here.post("/profil/kata-sandi", data={"current": PASSWORD, "new": "pendek",
                                                   "repeat": "pendek"})  # fmt: skip
    assert short.status_code == 400 and "minimal 8 karakter" in text(short)
    assert be.users.authenticate("pengadm", PASSWORD) is not None
    r = here.post("/profil/kata-sandi", data={"current": PASSWORD, "new": "baru-rahasia-9",
                                               "repeat": "baru-rahasia-9"})  # fmt: skip
    assert r.status_code == 302
    assert here.get("/profil").status_code == 200  # this session goes on
    gone = elsewhere.get("/kotak-masuk")
    assert gone.status_code == 302 and gone.headers["Location"].startswith("/masuk")
    assert be.users.authenticate("pengadm", "baru-rahasia-9") is not None


def test_language_is_the_users_own(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    c = real_app.test_client()
    login(c, "kadis")
    assert "Kotak masuk" in text(c.get("/kotak-masuk"))
    assert c.post("/profil/bahasa", data={"lang": "en"}).status_code == 302
    assert be.users.get("kadis").language == "en"
    assert "Inbox" in text(c.get("/kotak-masuk"))
    fresh = real_app.test_client()  # the next login starts in the chosen language
    login(fresh, "kadis")
    assert "Inbox" in text(fresh.get("/kotak-masuk"))
    assert c.post("/profil/bahasa", data={"lang": "fr"}).status_code == 400


def test_admin_edits_name_nip_jabatan(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    admin = session_client(real_app, "admin")
    r = admin.post("/admin/pengguna/kadis", data={
        "action": "profile", "full_name": "Dr. Budi Santoso", "nip": "197001012000031001",
        "jabatan": "Kepala Dinas Kominfo", "language": "id"})  # fmt: skip
    assert r.status_code == 302
    kadis = be.users.get("kadis")
    assert (kadis.full_name, kadis.nip, kadis.jabatan) == (
        "Dr. Budi Santoso", "197001012000031001", "Kepala Dinas Kominfo")  # fmt: skip
    bad = admin.post("/admin/pengguna/kadis", data={"action": "profile", "nip": "123"},
                     follow_redirects=True)  # fmt: skip
    assert "NIP harus 18 angka" in text(bad) and be.users.get("kadis").nip == kadis.nip
    r = admin.post("/admin/pengguna/baru", data={
        "username": "sari", "password": "rahasia-123", "full_name": "Sari Dewi",
        "nip": "198501012010012003", "jabatan": "Staf", "language": "en"})  # fmt: skip
    sari = be.users.get("sari")
    assert (sari.nip, sari.jabatan, sari.language) == ("198501012010012003", "Staf", "en")
    assert "Dr. Budi Santoso" in text(admin.get("/admin/pengguna"))


def test_admin_open_tasks_filter_and_reassign(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    be.users.add("kasubbag2", ["Kasubbag PEKK"], full_name="Kasubbag Dua")
    a = be.runtime.start(KEY, "kasubbag", title="Kasus A")
    b = be.runtime.start(KEY, "kasubbag", title="Kasus B")
    be.runtime.complete(ready(be, b.id).id, "kasubbag")  # B waits for Pengadministrasian Umum
    be.runtime.claim(ready(be, a.id).id, "kasubbag")
    admin = session_client(real_app, "admin")
    listing = admin.get("/admin/tugas").get_data(as_text=True)
    form = f'action="/tugas/{ready(be, a.id).id}/alihkan"'
    assert form in listing
    assert re.search(r'<option value="kasubbag2"\s*>Kasubbag Dua \(kasubbag2\)', listing)
    everything = text(admin.get("/admin/tugas"))
    assert "Kasus A" in everything and "Kasus B" in everything and "2 tugas" in everything
    by_role = text(admin.get("/admin/tugas", query_string={"peran": "Pengadministrasian Umum"}))
    assert "Kasus B" in by_role and "Kasus A" not in by_role
    free = text(admin.get("/admin/tugas", query_string={"pemegang": "-", "proses": KEY}))
    assert "1 tugas" in free
    assert "Tidak ada tugas terbuka" in text(admin.get("/admin/tugas",
                                                         query_string={"terlambat": "1"}))
    task = ready(be, a.id)
    r = admin.post(f"/tugas/{task.id}/alihkan", data={"to_user": "kasubbag2"},
                   headers={"Referer": "/admin/tugas?peran=Kasubbag+PEKK"})  # fmt: skip
    assert r.status_code == 302 and r.headers["Location"] == "/admin/tugas?peran=Kasubbag+PEKK"
    assert be.runtime.task(task.id).assignee == "kasubbag2"
    mine = text(admin.get("/admin/tugas", query_string={"pemegang": "kasubbag2"}))
    assert "Kasus A" in mine and "Kasubbag Dua (kasubbag2)" in mine
    assert session_client(real_app, "kasubbag").get("/admin/tugas").status_code == 403


def test_delegation_to_a_same_role_colleague(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    be.users.add("kasubbag2", ["Kasubbag PEKK"], full_name="Kasubbag Dua")
    inst = be.runtime.start(KEY, "kasubbag", title="IKU")
    task = ready(be, inst.id)
    be.runtime.claim(task.id, "kasubbag")
    c = session_client(real_app, "kasubbag")
    page = c.get(f"/tugas/{task.id}").get_data(as_text=True)
    assert f'action="/tugas/{task.id}/serahkan"' in page and 'value="kasubbag2"' in page
    refused = c.post(f"/tugas/{task.id}/serahkan", data={"to_user": "pengadm"})
    assert refused.status_code == 403
    assert "tidak memegang peran Kasubbag PEKK" in text(refused)
    assert be.runtime.task(task.id).assignee == "kasubbag"
    r = c.post(f"/tugas/{task.id}/serahkan", data={"to_user": "kasubbag2"}, follow_redirects=True)
    assert "Tugas diserahkan kepada Kasubbag Dua" in text(r)
    assert be.runtime.task(task.id).assignee == "kasubbag2"
    last = be.runtime.history(inst.id)[-1]
    assert (last.action, last.user, last.target_user) == ("delegate", "kasubbag", "kasubbag2")
    history = text(c.get(f"/kasus/{inst.id}"))
    assert "Kasubbag menyerahkan → Kasubbag Dua" in history
    # somebody else's task cannot be handed on
    assert session_client(real_app, "kasubbag").post(
        f"/tugas/{task.id}/serahkan", data={"to_user": "kasubbag"}).status_code == 403


def test_a_note_and_attachment_without_completing(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    inst = be.runtime.start(KEY, "kasubbag", title="IKU")
    task = ready(be, inst.id)
    c = session_client(real_app, "kasubbag")
    r = c.post(f"/tugas/{task.id}/catatan", content_type="multipart/form-data",
               data={"note": "Menunggu data Seksi B",
                     "attachments": (io.BytesIO(b"%PDF-1.4 data"), "data seksi.pdf")},
               follow_redirects=True)  # fmt: skip
    assert r.status_code == 200 and "Catatan ditambahkan" in text(r)
    assert be.runtime.task(task.id).state == "ready"  # not completed
    last = be.runtime.history(inst.id)[-1]
    assert (last.action, last.comment) == ("comment", "Menunggu data Seksi B")
    assert len(last.attachments) == 1 and last.attachments[0].endswith("data_seksi.pdf")
    assert "memberi catatan" in text(r) and "data_seksi.pdf" in text(r)
    empty = c.post(f"/tugas/{task.id}/catatan", data={"note": "  "})
    assert empty.status_code == 400 and "Tulis catatan" in text(empty)
    other = session_client(real_app, "kadis").post(f"/tugas/{task.id}/catatan",
                                                   data={"note": "x"})  # fmt: skip
    assert other.status_code == 403


def test_inbox_received_age_sorting_and_agency(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    xml = iku_with_form().replace(
        b'isExecutable="true">',
        b'isExecutable="true"><bpmn:extensionElements><camunda:properties>'
        b'<camunda:property name="instansi" value="Dinas Kominfo Kota Singkawang"/>'
        b'</camunda:properties></bpmn:extensionElements>', 1)
    be.definitions.deploy(xml, "iku.bpmn", "analis")
    for title in ("Pertama", "Kedua"):
        be.runtime.start(KEY, "kasubbag", title=title)
    c = session_client(real_app, "kasubbag")
    page = c.get("/kotak-masuk")
    body = text(page)
    assert "Diterima" in body and "baru saja" in body
    assert "Dinas Kominfo Kota Singkawang" in body
    assert "Penyusunan IKU · Dinas Kominfo Kota Singkawang" in page.get_data(as_text=True)
    for key in ("diterima", "proses", "tenggat", "ngawur"):
        r = c.get("/kotak-masuk", query_string={"urut": key})
        assert r.status_code == 200 and "Pertama" in text(r)
    rows, _ = be.runtime.inbox("kasubbag", sort="received")
    assert [t.instance_title for t in rows] == ["Pertama", "Kedua"]
