"""A case from start to end through the web UI on the real engine, with a Tidak setuju loop,
attachments, double submits and the messages that say where the case went."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask

from tests.webui.conftest import session_client, text

KEY = "sop_penyusunan_iku"


def inbox_task(app: Flask, username: str, name: str) -> Any:
    be = app.config["ALUR_BACKEND"]
    rows, _ = be.runtime.inbox(username)
    found = [t for t in rows if t.name == name]
    assert found, f"{name!r} not in {username}'s inbox: {[t.name for t in rows]}"
    return found[0]


def start(app: Flask, title: str = "IKU 2026") -> Any:
    c = session_client(app, "kasubbag")
    r = c.post(f"/mulai/{KEY}", data={"title": title, "business_key": "000.8/7/2026"})
    assert r.status_code == 302
    return c, r


def test_whole_case_with_a_reject_loop(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    kasubbag, r = start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    assert r.headers["Location"] == f"/tugas/{t1.id}"

    page = text(kasubbag.get(f"/tugas/{t1.id}"))
    assert "Konsep IKU dari Seksi" in page and "1 hari kerja" in page and "WIB" in page

    r = kasubbag.post(f"/tugas/{t1.id}/selesai", data={}, follow_redirects=True)
    assert (
        "“Menerima konsep IKU” selesai. Kasus diteruskan ke: "
        "Merekapitulasi hasil pembahasan IKU (Pengadministrasian Umum)." in text(r)
    )

    pengadm = session_client(real_app, "pengadm")
    t2 = inbox_task(real_app, "pengadm", "Merekapitulasi hasil pembahasan IKU")
    pengadm.post(f"/tugas/{t2.id}/ambil")
    assert be.runtime.task(t2.id).assignee == "pengadm"
    pengadm.post(
        f"/tugas/{t2.id}/selesai",
        data={"attachments": (io.BytesIO(b"%PDF-1.4 rekap"), "rekap iku.pdf")},
        content_type="multipart/form-data",
    )

    t3 = inbox_task(real_app, "kasubbag", "Meneliti dan memaraf konsep IKU")
    page = kasubbag.get(f"/tugas/{t3.id}").get_data(as_text=True)
    assert 'value="setuju"' in page and 'value="tidak_setuju"' in page
    assert ">Tidak setuju</button>" in page and "rekap_iku.pdf" in page

    # a reject without a comment stays on the page with the engine's reason
    r = kasubbag.post(f"/tugas/{t3.id}/selesai", data={"decision": "tidak_setuju"})
    assert r.status_code == 400 and "memerlukan komentar" in text(r)
    assert be.runtime.task(t3.id).state == "ready"

    r = kasubbag.post(
        f"/tugas/{t3.id}/selesai",
        data={"decision": "tidak_setuju", "comment": "Target belum terukur"},
        follow_redirects=True,
    )
    assert "Kasus diteruskan ke: Merekapitulasi hasil pembahasan IKU" in text(r)

    # second pass
    t2b = inbox_task(real_app, "pengadm", "Merekapitulasi hasil pembahasan IKU")
    assert t2b.id != t2.id
    pengadm.post(f"/tugas/{t2b.id}/selesai")
    t3b = inbox_task(real_app, "kasubbag", "Meneliti dan memaraf konsep IKU")
    kasubbag.post(f"/tugas/{t3b.id}/selesai", data={"decision": "setuju"})
    kadis = session_client(real_app, "kadis")
    t4 = inbox_task(real_app, "kadis", "Menandatangani IKU")
    r = kadis.post(f"/tugas/{t4.id}/selesai", data={"decision": "setuju"}, follow_redirects=True)
    assert "“Menandatangani IKU” selesai. Kasus telah selesai." in text(r)

    inst = be.runtime.instance(t1.instance_id)
    assert inst.status == "completed"
    page = text(kadis.get(f"/kasus/{inst.id}"))
    assert "Target belum terukur" in page and "Tidak setuju" in page and "selesai" in page
    status = be.runtime.element_status(inst.id)
    assert status["step_2"].count == 2


def test_double_submit_gives_a_message_not_an_error(real_app: Flask) -> None:
    kasubbag, _ = start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    assert kasubbag.post(f"/tugas/{t1.id}/selesai").status_code == 302
    r = kasubbag.post(f"/tugas/{t1.id}/selesai")
    assert r.status_code == 302 and r.headers["Location"] == "/kotak-masuk"
    assert "sudah diselesaikan oleh kasubbag" in text(kasubbag.get("/kotak-masuk"))


def test_task_completed_by_someone_else_meanwhile(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    admin = session_client(real_app, "admin")
    page = admin.get(f"/tugas/{t1.id}")
    assert page.status_code == 200
    be.runtime.complete(t1.id, "kasubbag")  # the other tab wins the race
    r = admin.post(f"/tugas/{t1.id}/selesai", follow_redirects=True)
    assert r.status_code == 200
    assert "sudah diselesaikan oleh kasubbag" in text(r)


def test_bad_attachments_are_refused_and_the_step_stays_open(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    kasubbag, _ = start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    cases = [
        ((io.BytesIO(b"MZ\x90\x00"), "virus.exe"), "tidak diizinkan"),
        ((io.BytesIO(b"<html>bukan pdf</html>"), "laporan.pdf"), "tidak sesuai dengan jenis .pdf"),
        ((io.BytesIO(b""), "kosong.txt"), "kosong"),
        (
            (io.BytesIO(b"%PDF-" + b"x" * 6_000_000), "besar.pdf"),
            "melebihi batas. Paling besar 5 MB per berkas",
        ),
    ]
    for upload, message in cases:
        r = kasubbag.post(
            f"/tugas/{t1.id}/selesai",
            data={"attachments": upload},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert message in text(r), message
        assert be.runtime.task(t1.id).state == "ready"


def test_attachment_download_is_for_people_of_the_case(real_app: Flask) -> None:
    kasubbag, _ = start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    kasubbag.post(
        f"/tugas/{t1.id}/selesai",
        data={"attachments": (io.BytesIO(b"isi catatan"), "catatan.txt")},
        content_type="multipart/form-data",
    )
    be = real_app.config["ALUR_BACKEND"]
    stored = next(e for e in be.runtime.history(t1.instance_id) if e.attachments).attachments[0]
    inst_id, name = stored.split("/")
    r = kasubbag.get(f"/lampiran/{inst_id}/{name}")
    assert r.status_code == 200 and r.data == b"isi catatan"
    assert 'filename=catatan.txt' in r.headers["Content-Disposition"]
    outsider = session_client(real_app, "bendahara")
    assert outsider.get(f"/lampiran/{inst_id}/{name}").status_code == 403
    assert kasubbag.get(f"/lampiran/{inst_id}/..%2Fsecret_key").status_code == 404


def test_reassign_by_admin(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    be.users.add("kasubbag2", ["Kasubbag PEKK"], password="rahasia-123")
    start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    admin = session_client(real_app, "admin")
    assert "kasubbag2" in admin.get(f"/tugas/{t1.id}").get_data(as_text=True)
    r = admin.post(f"/tugas/{t1.id}/alihkan", data={"to_user": "kasubbag2"}, follow_redirects=True)
    assert "Tugas dialihkan ke kasubbag2." in text(r)
    assert be.runtime.task(t1.id).assignee == "kasubbag2"
    # now only kasubbag2 may complete it; the colleague is told who has it
    kasubbag = session_client(real_app, "kasubbag")
    r = kasubbag.post(f"/tugas/{t1.id}/selesai", follow_redirects=True)
    assert "ditangani oleh kasubbag2" in text(r)
    assert be.runtime.task(t1.id).state == "ready"


def test_unclaim_returns_the_task_to_the_role(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    kasubbag, _ = start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    kasubbag.post(f"/tugas/{t1.id}/ambil")
    assert "Lepaskan tugas" in text(kasubbag.get(f"/tugas/{t1.id}"))
    r = kasubbag.post(f"/tugas/{t1.id}/lepas", follow_redirects=True)
    assert "dikembalikan ke kotak masuk peran Kasubbag PEKK" in text(r)
    assert be.runtime.task(t1.id).assignee is None


def test_cancel_needs_a_reason_and_admin(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    start(real_app)
    inst = be.runtime.instances()[0][0]
    admin = session_client(real_app, "admin")
    r = admin.post(f"/kasus/{inst.id}/batalkan", data={"reason": " "}, follow_redirects=True)
    assert "Isi alasan pembatalan." in text(r)
    r = admin.post(
        f"/kasus/{inst.id}/batalkan", data={"reason": "Salah proses"}, follow_redirects=True
    )
    assert "Kasus dibatalkan." in text(r) and "Salah proses" in text(r)
    assert be.runtime.instance(inst.id).status == "cancelled"


def test_instance_diagram_and_task_diagram_are_svg(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    kasubbag, _ = start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    for url in (f"/kasus/{t1.instance_id}/diagram.svg", f"/tugas/{t1.id}/diagram.svg",
                f"/proses/{KEY}/v1/diagram.svg"):
        r = kasubbag.get(url)
        assert r.status_code == 200 and r.mimetype == "image/svg+xml", url
        assert b"<svg" in r.data and b"Menerima konsep IKU" in r.data, url
    assert be.definitions.get(KEY).version == 1


def test_submitting_a_task_of_a_cancelled_case(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    kasubbag, _ = start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    be.runtime.cancel(t1.instance_id, "admin", "Salah input")
    r = kasubbag.post(f"/tugas/{t1.id}/selesai", follow_redirects=True)
    assert r.status_code == 200
    assert "tidak dapat dikerjakan lagi: kasusnya dibatalkan" in text(r)


def test_colleague_claimed_first_gives_a_message(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    be.users.add("kasubbag2", ["Kasubbag PEKK"], password="rahasia-123")
    start(real_app)
    t1 = inbox_task(real_app, "kasubbag", "Menerima konsep IKU")
    other = session_client(real_app, "kasubbag2")
    assert other.get(f"/tugas/{t1.id}").status_code == 200  # the page was open...
    be.runtime.claim(t1.id, "kasubbag")  # ...while a colleague claimed it
    for action in ("ambil", "selesai"):
        r = other.post(f"/tugas/{t1.id}/{action}", follow_redirects=True)
        assert r.status_code == 200, action
        assert "sudah diambil oleh kasubbag" in text(r) or "ditangani oleh kasubbag" in text(r)
    assert be.runtime.task(t1.id).state == "ready"
