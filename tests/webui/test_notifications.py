"""The bell, the notification list and the settings page, over the real engine.

A page view derives new notifications (throttled, never sending mail), so the bell counts
what happened since; opening one goes straight to its task and marks it read; a user only
ever sees their own; the settings page keeps the choices and refuses nonsense in Indonesian.
"""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

from flask import Flask

from engine.notification_text import CASE_PATH, INBOX_PATH, SETTINGS_PATH, TASK_PATH
from engine.notifications import Channel, Kind, Notifications
from engine.outbox import MailStatus, Outbox
from tests.webui.conftest import make_app, session_client, text

KEY = "sop_penyusunan_iku"


def bell(html: str) -> int:
    """The number on the bell in the top bar (0 when it shows none)."""
    found = re.search(r'class="bell[^"]*".*?</svg>(?:<span class="count late bell-count">(\d+)'
                      r"</span>)?</a>", html, re.S)  # fmt: skip
    assert found is not None, "no bell in the page"
    return int(found.group(1) or 0)


def hand_on(app: Flask) -> tuple[int, str]:
    """kasubbag starts a case and completes its first step: the next one is pengadm's."""
    be = app.config["ALUR_BACKEND"]
    inst = be.runtime.start(KEY, "kasubbag", title="IKU 2027")
    first = be.runtime.inbox("kasubbag")[0][0]
    be.runtime.complete(first.id, "kasubbag")
    nxt = be.runtime.inbox("pengadm")[0][0]
    return inst.id, nxt.id


def test_the_bell_counts_what_is_new_and_opening_one_goes_to_the_task(real_app: Flask) -> None:
    _inst, task_id = hand_on(real_app)
    pengadm = session_client(real_app, "pengadm")
    assert bell(pengadm.get("/kotak-masuk").get_data(as_text=True)) == 1
    assert bell(session_client(real_app, "kadis").get("/kotak-masuk").get_data(as_text=True)) == 0
    page = pengadm.get("/notifikasi/")
    assert page.status_code == 200
    shown = text(page)
    assert "Tugas baru" in shown and "Merekapitulasi hasil pembahasan IKU" in shown
    assert "IKU 2027" in shown
    (item,) = Notifications(real_app.config["ALUR_BACKEND"].store).list("pengadm")
    opened = pengadm.get(f"/notifikasi/{item.id}")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/tugas/{task_id}"
    assert bell(pengadm.get("/kotak-masuk").get_data(as_text=True)) == 0
    assert session_client(real_app, "kadis").get(f"/notifikasi/{item.id}").status_code == 404


def test_mark_all_read(real_app: Flask) -> None:
    hand_on(real_app)
    pengadm = session_client(real_app, "pengadm")
    pengadm.get("/kotak-masuk")
    r = pengadm.post("/notifikasi/baca-semua", follow_redirects=True)
    assert "1 notifikasi ditandai sudah dibaca" in text(r)
    assert bell(r.get_data(as_text=True)) == 0


def test_a_page_never_sends_mail_and_stays_fast_with_a_dead_server(
    tmp_path: Path, real_backend: object
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    app = make_app(tmp_path, real_backend, ALUR_SMTP_HOST="127.0.0.1", ALUR_SMTP_PORT=str(dead),
                   ALUR_SMTP_SECURITY="none", ALUR_SMTP_SENDER="alur@contoh.go.id",
                   ALUR_BASE_URL="https://alur.contoh.go.id")  # fmt: skip
    store = app.config["ALUR_BACKEND"].store
    Notifications(store).set_preferences("pengadm", {}, "pengadm@contoh.go.id")
    _inst, task_id = hand_on(app)
    started = time.monotonic()
    page = session_client(app, "pengadm").get("/kotak-masuk")
    assert page.status_code == 200 and time.monotonic() - started < 5
    (letter,) = Outbox(store).entries()
    assert letter.status == MailStatus.PENDING and letter.attempts == 0  # the worker sends
    assert f"https://alur.contoh.go.id/tugas/{task_id}" in letter.body


def test_with_the_web_pass_off_only_the_worker_derives(
    tmp_path: Path, real_backend: object
) -> None:
    app = make_app(tmp_path, real_backend, ALUR_NOTIFY_WEB_SECONDS=0)
    hand_on(app)
    assert bell(session_client(app, "pengadm").get("/kotak-masuk").get_data(as_text=True)) == 0


def test_settings_are_shown_and_kept(real_app: Flask) -> None:
    c = session_client(real_app, "pengadm")
    page = c.get("/notifikasi/pengaturan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="kind_new_task" value="both" checked' in html
    assert 'name="kind_digest" value="none" checked' in html
    assert 'name="kind_digest" value="app"' not in html  # the digest is a mail only
    form = {f"kind_{k.value}": "app" for k in Kind if k != Kind.DIGEST}
    form.update(kind_overdue="none", kind_digest="email", email="pengadm@contoh.go.id")
    r = c.post("/notifikasi/pengaturan", data=form, follow_redirects=True)
    assert "Pengaturan notifikasi disimpan" in text(r)
    prefs = Notifications(real_app.config["ALUR_BACKEND"].store).preferences("pengadm")
    assert prefs.email == "pengadm@contoh.go.id"
    assert prefs.channel(Kind.OVERDUE) == Channel.NONE
    assert prefs.channel(Kind.NEW_TASK) == Channel.APP
    assert prefs.channel(Kind.DIGEST) == Channel.EMAIL


def test_settings_refuse_nonsense_and_keep_the_old_choices(real_app: Flask) -> None:
    c = session_client(real_app, "pengadm")
    form = {f"kind_{k.value}": "both" for k in Kind if k != Kind.DIGEST}
    form.update(kind_digest="none", email="bukan alamat")
    r = c.post("/notifikasi/pengaturan", data=form)
    assert r.status_code == 400 and "Alamat surel tidak sah" in text(r)
    assert 'value="bukan alamat"' in r.get_data(as_text=True)  # what was typed stays
    form.update(email="", kind_digest="app")
    r = c.post("/notifikasi/pengaturan", data=form)
    assert r.status_code == 400 and "Pilihan notifikasi tidak dikenal" in text(r)
    prefs = Notifications(real_app.config["ALUR_BACKEND"].store).preferences("pengadm")
    assert prefs.channels == {} and prefs.email == ""


def test_the_engine_links_are_the_web_routes(real_app: Flask) -> None:
    from flask import url_for

    with real_app.test_request_context():
        assert url_for("tasks.task", task_id="T") == TASK_PATH.format(task_id="T")
        assert url_for("instances.instance", instance_id=7) == CASE_PATH.format(instance_id=7)
        assert url_for("notifications.settings") == SETTINGS_PATH
        assert url_for("tasks.inbox") == INBOX_PATH
