"""Session end: after each way a session ends, a copied cookie no longer logs anyone in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.webui.conftest import PASSWORD, login


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second client holding a copy of ``client``'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def _admin(app: Flask) -> FlaskClient:
    admin = app.test_client()
    assert login(admin, "admin").status_code == 302
    return admin


ENDINGS: dict[str, Callable[[Flask, FlaskClient], object]] = {
    "logout": lambda app, c: c.post("/keluar"),
    "log out everywhere": lambda app, c: c.post("/keluar-semua"),
    "password changed by admin": lambda app, c: _admin(app).post(
        "/admin/pengguna/kadis", data={"action": "password", "password": "sandi-baru-456"}
    ),
    "deactivated by admin": lambda app, c: _admin(app).post(
        "/admin/pengguna/kadis", data={"action": "deactivate"}
    ),
    "admin ends all sessions": lambda app, c: _admin(app).post(
        "/admin/pengguna/kadis", data={"action": "sessions"}
    ),
}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_copied_cookie_dies_with_the_session(real_app: Flask, ending: str) -> None:
    client = real_app.test_client()
    assert login(client, "kadis", PASSWORD).status_code == 302
    thief = _copy(real_app, client)
    other_device = real_app.test_client()
    assert login(other_device, "kadis", PASSWORD).status_code == 302
    assert thief.get("/kotak-masuk").status_code == 200  # the copy works while logged in

    ENDINGS[ending](real_app, client)

    for c in (thief, other_device):
        response = c.get("/kotak-masuk")
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_logging_in_again_after_logout_works(real_app: Flask) -> None:
    client = real_app.test_client()
    login(client, "kadis")
    client.post("/keluar")
    assert login(client, "kadis").status_code == 302
    assert client.get("/kotak-masuk").status_code == 200


def test_an_admin_changing_his_own_password_stays_logged_in(real_app: Flask) -> None:
    admin = _admin(real_app)
    admin.post("/admin/pengguna/admin", data={"action": "password", "password": "sandi-baru-456"})
    assert admin.get("/kotak-masuk").status_code == 200
