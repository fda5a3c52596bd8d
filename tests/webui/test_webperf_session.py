"""The session cookie and the CSRF token made with less work (issue 14, the HTTP completion
row): the same bytes as Flask's and Flask-WTF's, read by any process, and no less safe.

:mod:`webui.sessions` keeps what depends only on the keys (the signer, its derived keys),
each payload by its JSON text, and the cookies this process signed; these tests hold the
cookie to Flask's own format (another web process reads it, and this one reads theirs), an
expired or altered cookie to a logged-out request, and the kept cookies to their age.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import itsdangerous
import pytest
from flask import Flask, g, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf, validate_csrf
from markupsafe import Markup

from tests.webui.conftest import make_app, session_client
from webui.backend import Backend
from webui.sessions import CookieSessions, KeptSerializer

NOW = 1_800_000_000


@pytest.fixture()
def frozen(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """itsdangerous's clock (and the kept cookies' age check) at ``NOW``, movable."""
    now = [NOW]
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now[0])
    return now


def flasks_serializer(app: Flask) -> itsdangerous.URLSafeTimedSerializer:
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    return serializer


SESSIONS: list[dict[str, Any]] = [
    {"_permanent": True, "uid": 1, "gen": 0, "lang": "id", "csrf_token": "ab" * 20},
    {"uid": 7, "lang_of": 7, "lang": "en", "_fresh": False, "note": None},
    {"_flashes": [("success", "\u201cMenerima\u201d selesai. <b>&</b>")], "uid": 2},
    {" t": "a key that is a tag's name"},
    {"uid": 3, "when": (1, "two"), "markup": Markup("<i>x</i>"), "raw": b"\x00\xff"},
    {"_flashes": [], "uid": 4},
    {"_flashes": [("info", "satu"), ("warning", "dua"), ("error", None, 3)], "lang": "en"},
    {"_flashes": [("info", Markup("<b>tebal</b>"))]},
    {"pairs": [["a", "b"]], "one": [{" t": ["a"]}], "deep": {"k": ("v",)}},
]


@pytest.mark.parametrize("data", SESSIONS)
def test_the_cookie_is_flasks_byte_for_byte(
    tmp_path: Path, backend: Backend, frozen: list[int], data: dict[str, Any]
) -> None:
    """Written by this process or by Flask's own serializer (another web process, another
    version of this one), the cookie is the same text, and each reads the other's."""
    app = make_app(tmp_path, backend)
    interface = app.session_interface
    assert isinstance(interface, CookieSessions)
    ours = interface.get_signing_serializer(app)
    assert isinstance(ours, KeptSerializer)
    theirs = flasks_serializer(app)
    with app.app_context():
        text = ours.dumps(data)
        assert text == theirs.dumps(data)
        assert ours.dumps(data) == text  # the kept payload is the same text again
        assert theirs.loads(text, max_age=60) == data
        assert ours.loads(text, max_age=60) == data
        assert ours.serializer.loads(theirs.serializer.dumps(data)) == data
        fresh = interface.get_signing_serializer(app)
        assert fresh is ours
        assert KeptSerializer(
            ours.secret_keys, salt=ours.salt, serializer=ours.serializer,
            signer_kwargs=ours.signer_kwargs,
        ).loads(theirs.dumps(data), max_age=60) == data  # fmt: skip


def test_a_cookie_this_process_signed_is_read_back_without_checking_it_again(
    tmp_path: Path, backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The completion's flash and the inbox that takes it out again each read the cookie the
    request before wrote: no signature check or decoding of a text this process signed."""
    app = make_app(tmp_path, backend)
    client = session_client(app, "kadis")
    assert client.get("/kotak-masuk").status_code == 200  # a cookie this process wrote
    checked: list[object] = []
    verify = itsdangerous.Signer.verify_signature

    def counted(self: Any, value: Any, sig: Any) -> bool:
        checked.append(value)
        return verify(self, value, sig)

    monkeypatch.setattr(itsdangerous.Signer, "verify_signature", counted)
    for _ in range(3):
        page = client.get("/kotak-masuk")
        assert page.status_code == 200 and "Kadis" in page.get_data(as_text=True)
    assert checked == []


def test_a_cookie_from_another_process_is_checked_and_read(
    tmp_path: Path, backend: Backend
) -> None:
    app = make_app(tmp_path, backend)
    uid = backend.users.get("kadis").id
    with app.app_context():
        cookie = flasks_serializer(app).dumps({"uid": uid, "_permanent": True})
    client = app.test_client()
    client.set_cookie("alur_session", cookie)
    page = client.get("/kotak-masuk")
    assert page.status_code == 200 and "Kadis" in page.get_data(as_text=True)


def test_an_expired_cookie_logs_out_even_when_this_process_signed_it(
    tmp_path: Path, backend: Backend, frozen: list[int]
) -> None:
    app = make_app(tmp_path, backend)
    client = session_client(app, "kadis")
    assert client.get("/kotak-masuk").status_code == 200
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    frozen[0] += lifetime + 1  # the cookie the last page wrote is now too old
    assert client.get("/kotak-masuk").status_code == 302
    frozen[0] = NOW - 10  # a cookie signed "in the future" is refused as itsdangerous does
    client = session_client(app, "kadis")
    frozen[0] = NOW - 20
    assert client.get("/kotak-masuk").status_code == 302


def test_an_altered_cookie_logs_out(tmp_path: Path, backend: Backend) -> None:
    app = make_app(tmp_path, backend)
    client = session_client(app, "kadis")
    assert client.get("/kotak-masuk").status_code == 200
    cookie = client.get_cookie("alur_session")
    assert cookie is not None
    payload, stamp, sig = cookie.value.rsplit(".", 2)
    forged = f"{payload}.{stamp}.{'A' if sig[0] != 'A' else 'B'}{sig[1:]}"
    client.set_cookie("alur_session", forged)
    assert client.get("/kotak-masuk").status_code == 302


def test_a_new_secret_key_reads_no_kept_cookie(tmp_path: Path, backend: Backend) -> None:
    """A cookie signed under the old key is refused once the key changed (no fallback), even
    though this process signed it: the kept cookies belong to the old key's serializer."""
    app = make_app(tmp_path, backend)
    client = session_client(app, "kadis")
    assert client.get("/kotak-masuk").status_code == 200
    app.secret_key = "another-secret"
    assert client.get("/kotak-masuk").status_code == 302


def test_a_read_session_shares_nothing_with_the_kept_cookie(
    tmp_path: Path, backend: Backend
) -> None:
    """Reading the same kept cookie twice gives two sessions: a flash added to one (its list
    changed in place) is not in the other."""
    app = make_app(tmp_path, backend)
    interface = app.session_interface
    assert isinstance(interface, CookieSessions)
    with app.test_request_context():
        serializer = interface.get_signing_serializer(app)
        assert serializer is not None
        cookie = serializer.dumps({"uid": 1, "_flashes": [("info", "satu")]})
        first = serializer.loads(cookie, max_age=60)
        first["_flashes"].append(("info", "dua"))
        first["uid"] = 2
        assert serializer.loads(cookie, max_age=60) == {"uid": 1, "_flashes": [("info", "satu")]}


def test_a_flash_is_shown_once(tmp_path: Path, real_backend: Backend) -> None:
    app = make_app(tmp_path, real_backend)
    client = session_client(app, "kasubbag")
    with client.session_transaction() as s:
        s["_flashes"] = [("success", "Tugas <selesai>.")]
    first = client.get("/kotak-masuk").get_data(as_text=True)
    assert '<p class="flash success">Tugas &lt;selesai&gt;.</p>' in first
    assert "flash success" not in client.get("/kotak-masuk").get_data(as_text=True)


def test_the_pages_csrf_token_is_flask_wtfs(
    tmp_path: Path, backend: Backend, frozen: list[int]
) -> None:
    """The token the frame writes is the one Flask-WTF's ``generate_csrf`` writes for the
    session at that second, and Flask-WTF's check accepts it (and a form posted with it)."""
    app = make_app(tmp_path, backend, WTF_CSRF_ENABLED=True)
    client = session_client(app, "kadis")
    page = client.get("/kotak-masuk").get_data(as_text=True)
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
    assert len(tokens) == 1
    (token,) = tokens
    with client.session_transaction() as s:
        raw = s["csrf_token"]
    with app.test_request_context():
        session["csrf_token"] = raw
        assert generate_csrf() == token
        validate_csrf(token)
        g.pop("csrf_token")
        assert app.jinja_env.globals["csrf_token"]() == token  # type: ignore[operator]
    posted = client.post("/bahasa", data={"lang": "en", "csrf_token": token})
    assert posted.status_code == 302


def test_a_page_builds_no_serializer(
    tmp_path: Path, backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither the session cookie nor the page's CSRF token builds a serializer per request
    (each built one, which serialized an empty dict to check itself, and derived its key)."""
    app = make_app(tmp_path, backend, WTF_CSRF_ENABLED=True)
    client = session_client(app, "kadis")
    client.get("/kotak-masuk")
    built: list[object] = []
    init = itsdangerous.Serializer.__init__

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(itsdangerous.Serializer, "__init__", counted)
    for _ in range(3):
        page = client.get("/kotak-masuk").get_data(as_text=True)
        assert 'name="csrf_token" value="' in page
    assert built == []
