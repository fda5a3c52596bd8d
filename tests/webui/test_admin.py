"""Admin user management: create, roles from the deployed lanes, password reset, deactivate."""

from __future__ import annotations

from flask import Flask

from tests.webui.conftest import session_client, text


def test_role_choices_are_the_lanes_of_deployed_processes(real_app: Flask) -> None:
    html = session_client(real_app, "admin").get("/admin/pengguna").get_data(as_text=True)
    for lane in ("Kasubbag PEKK", "Pengadministrasian Umum", "Kepala Dinas", "Analis"):
        assert f'value="{lane}"' in html


def test_create_user_then_log_in(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    admin = session_client(real_app, "admin")
    r = admin.post(
        "/admin/pengguna/baru",
        data={
            "username": "sekretaris",
            "full_name": "Ibu Sekretaris",
            "password": "kata-sandi-1",
            "roles": ["Kepala Dinas", "Kasubbag PEKK"],
        },
        follow_redirects=True,
    )
    assert "Pengguna sekretaris dibuat." in text(r)
    user = be.users.get("sekretaris")
    assert user.roles == ("Kasubbag PEKK", "Kepala Dinas") and not user.is_admin
    c = real_app.test_client()
    r = c.post("/masuk", data={"username": "sekretaris", "password": "kata-sandi-1"})
    assert r.status_code == 302


def test_create_user_bad_inputs(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    admin = session_client(real_app, "admin")
    cases = [
        ({"username": "A B", "password": "kata-sandi-1"}, "Nama pengguna 2–40 karakter"),
        ({"username": "baru", "password": "pendek"}, "Kata sandi minimal 8 karakter."),
        ({"username": "baru", "password": "kata-sandi-1", "roles": ["Raja"]}, "tidak dikenal"),
        ({"username": "kadis", "password": "kata-sandi-1"}, "sudah dipakai"),
    ]
    for data, message in cases:
        r = admin.post("/admin/pengguna/baru", data=data, follow_redirects=True)
        assert message in text(r), message
    assert be.users.find("baru") is None


def test_edit_roles_reset_password_deactivate(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    admin = session_client(real_app, "admin")
    url = "/admin/pengguna/kadis"
    r = admin.post(url, data={"action": "roles", "roles": ["Kepala Dinas", "Analis"]},
                   follow_redirects=True)
    assert "Peran kadis disimpan." in text(r)
    assert be.users.get("kadis").roles == ("Kepala Dinas", "Analis")
    r = admin.post(url, data={"action": "password", "password": "baru-sekali"},
                   follow_redirects=True)
    assert "Kata sandi kadis diganti." in text(r)
    assert be.users.authenticate("kadis", "baru-sekali") is not None
    r = admin.post(url, data={"action": "deactivate"}, follow_redirects=True)
    assert "kadis dinonaktifkan." in text(r)
    assert not be.users.get("kadis").active
    r = admin.post(url, data={"action": "activate"}, follow_redirects=True)
    assert "kadis diaktifkan." in text(r) and be.users.get("kadis").active
    r = admin.post(url, data={"action": "hapus"}, follow_redirects=True)
    assert "Tindakan tidak dikenal." in text(r)


def test_admin_cannot_lock_themselves_out(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    admin = session_client(real_app, "admin")
    r = admin.post("/admin/pengguna/admin", data={"action": "deactivate"}, follow_redirects=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in text(r)
    admin.post("/admin/pengguna/admin", data={"action": "roles", "roles": []})
    user = be.users.get("admin")
    assert user.active and user.is_admin
