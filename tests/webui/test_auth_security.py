"""Login, logout, rate limiting, CSRF, cookies, headers and error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.webui.conftest import PASSWORD, login, make_app, text
from webui.security import LoginLimiter


def test_login_with_good_password_opens_the_inbox(client: Any) -> None:
    r = login(client, "kadis")
    assert r.status_code == 302 and r.headers["Location"] == "/kotak-masuk"
    assert "Selamat datang, Kadis." in text(client.get("/kotak-masuk"))


def test_login_with_wrong_password_says_so_in_indonesian(client: Any) -> None:
    r = login(client, "kadis", "salah")
    assert r.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in text(r)
    assert client.get("/kotak-masuk").status_code == 302


def test_login_empty_fields(client: Any) -> None:
    r = client.post("/masuk", data={"username": "", "password": ""})
    assert r.status_code == 400 and "Isi nama pengguna dan kata sandi." in text(r)


def test_login_next_is_followed_only_on_this_site(client: Any) -> None:
    r = client.post(
        "/masuk", data={"username": "kadis", "password": PASSWORD, "next": "/kasus/"}
    )
    assert r.headers["Location"] == "/kasus/"
    client.post("/keluar")
    r = client.post(
        "/masuk",
        data={"username": "kadis", "password": PASSWORD, "next": "https://evil.example/x"},
    )
    assert r.headers["Location"] == "/kotak-masuk"
    client.post("/keluar")
    r = client.post("/masuk", data={"username": "kadis", "password": PASSWORD, "next": "//evil"})
    assert r.headers["Location"] == "/kotak-masuk"


def test_logout_ends_the_session(as_user: Any) -> None:
    c = as_user("kadis")
    r = c.post("/keluar", follow_redirects=True)
    assert "Anda telah keluar." in text(r)
    assert c.get("/kotak-masuk").status_code == 302


def test_inactive_user_cannot_log_in_and_is_logged_out(as_user: Any, backend: Any) -> None:
    c = as_user("kadis")
    backend.users.set_active("kadis", False)
    assert c.get("/kotak-masuk").status_code == 302  # the open session ends too
    assert login(c, "kadis").status_code == 401


def test_login_rate_limit_blocks_after_repeated_failures(client: Any) -> None:
    for _ in range(5):
        assert login(client, "kadis", "salah").status_code == 401
    r = login(client, "kadis")  # even the right password waits now
    assert r.status_code == 429
    assert "Terlalu banyak percobaan masuk" in text(r)


def test_login_limiter_window_expires() -> None:
    now = [0.0]
    limiter = LoginLimiter(max_failures=2, window_seconds=60, clock=lambda: now[0])
    limiter.fail("ip:1")
    limiter.fail("ip:1")
    assert limiter.retry_after("ip:1") == 61
    now[0] = 30.0
    assert 0 < limiter.retry_after("ip:1") <= 31
    now[0] = 61.0
    assert limiter.retry_after("ip:1") == 0
    limiter.fail("ip:2")
    limiter.succeed("ip:2")
    limiter.fail("ip:2")
    assert limiter.retry_after("ip:2") == 0


def test_security_headers_and_csp_without_inline(client: Any) -> None:
    r = client.get("/masuk")
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in r.headers  # plain http
    assert "max-age" in client.get("/masuk", base_url="https://localhost").headers[
        "Strict-Transport-Security"
    ]
    html = r.get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_no_template_has_inline_scripts_or_styles() -> None:
    templates = Path(__file__).resolve().parents[2] / "webui" / "templates"
    for path in templates.glob("*.html"):
        src = path.read_text("utf-8")
        assert "<script>" not in src and "style=" not in src and "<style" not in src, path
        assert " onclick=" not in src and " onsubmit=" not in src, path


def test_session_cookie_is_secure_httponly_lax_by_default(tmp_path: Any, backend: Any) -> None:
    app = make_app(tmp_path, backend, SESSION_COOKIE_SECURE=True)
    c = app.test_client()
    r = login(c, "kadis")
    cookie = r.headers["Set-Cookie"]
    assert "alur_session=" in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_csrf_is_required_on_every_post_route(tmp_path: Any, backend: Any) -> None:
    app = make_app(tmp_path, backend, WTF_CSRF_ENABLED=True)
    c = app.test_client()
    posts = [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or set()) and rule.endpoint != "static"
    ]
    assert len(posts) >= 14
    for rule in posts:
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<{arg}>", "1").replace(f"<int:{arg}>", "1")
        r = c.post(url, data={})
        assert r.status_code == 400, url
        assert "Formulir kedaluwarsa" in text(r), url


def test_csrf_token_in_form_is_accepted(tmp_path: Any, backend: Any) -> None:
    import re

    app = make_app(tmp_path, backend, WTF_CSRF_ENABLED=True)
    c = app.test_client()
    page = c.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    r = c.post(
        "/masuk", data={"username": "kadis", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert r.status_code == 302


def test_error_pages_are_indonesian(as_user: Any) -> None:
    c = as_user("kadis")
    r = c.get("/tidak-ada")
    assert r.status_code == 404 and "Halaman tidak ditemukan" in text(r)
    r = c.get("/admin/pengguna")
    assert r.status_code == 403 and "Akses ditolak" in text(r)
    r = c.get("/keluar")
    assert r.status_code == 405 and "Metode tidak diizinkan" in text(r)


def test_too_large_upload_gets_413_page(tmp_path: Any, backend: Any) -> None:
    import io

    app = make_app(tmp_path, backend, MAX_CONTENT_LENGTH=1000)
    c = app.test_client()
    login(c, "analis")
    r = c.post(
        "/proses/unggah",
        data={"bpmn": (io.BytesIO(b"x" * 5000), "big.bpmn")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 413
    assert "Berkas terlalu besar" in text(r) and "Paling besar 0,001 MB per berkas." in text(r)


def test_unexpected_error_gives_500_page_not_traceback(tmp_path: Any, backend: Any) -> None:
    app = make_app(tmp_path, backend, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("internal detail")

    backend.runtime.inbox = boom  # type: ignore[method-assign]
    c = app.test_client()
    login(c, "kadis")
    r = c.get("/kotak-masuk")
    assert r.status_code == 500
    assert "Terjadi kesalahan pada server" in text(r)
    assert "internal detail" not in r.get_data(as_text=True)


def test_english_is_available(as_user: Any) -> None:
    c = as_user("kadis")
    c.post("/bahasa", data={"lang": "en"})
    body = text(c.get("/kotak-masuk"))
    assert "Inbox" in body and "Kotak masuk" not in body
    c.post("/bahasa", data={"lang": "id"})
    assert "Kotak masuk" in text(c.get("/kotak-masuk"))


def test_healthz(client: Any) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.data == b"ok"


def test_english_catalog_covers_every_message() -> None:
    from babel.messages.pofile import read_po

    from webui.translations.update_catalog import HERE

    with (HERE / "en" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    with (HERE / "messages.pot").open("rb") as f:
        template = read_po(f)
    ids = {m.id for m in catalog if m.id and m.string}
    assert {m.id for m in template if m.id} <= ids


def test_dates_are_indonesian_in_wib(app: Any) -> None:
    from datetime import UTC, datetime

    from webui.i18n import fmt_date, fmt_datetime

    with app.test_request_context("/"):
        assert fmt_datetime(datetime(2026, 8, 17, 3, 5, tzinfo=UTC)) == "17 Agu 2026 10.05 WIB"
        assert fmt_datetime(datetime(2026, 8, 17, 3, 5)) == "17 Agu 2026 10.05 WIB"  # naive = UTC
        assert fmt_date(datetime(2026, 8, 17, 20, 0, tzinfo=UTC)) == "18 Agustus 2026"
        assert fmt_datetime(None) == "–"


def test_english_pages_name_the_zone_too(app: Any) -> None:
    from datetime import UTC, datetime

    from webui.i18n import fmt_datetime

    with app.test_request_context("/?lang=en"):
        from flask_babel import refresh

        refresh()
        assert fmt_datetime(datetime(2026, 8, 17, 3, 5, tzinfo=UTC)) == "17 Aug 2026 10.05 WIB"


def test_time_zone_is_configurable(tmp_path: Any, backend: Any) -> None:
    from datetime import UTC, datetime

    from webui.i18n import fmt_datetime

    app = make_app(tmp_path, backend, ALUR_TIMEZONE="Asia/Makassar")
    with app.test_request_context("/"):
        assert fmt_datetime(datetime(2026, 8, 17, 3, 5, tzinfo=UTC)) == "17 Agu 2026 11.05 WITA"
