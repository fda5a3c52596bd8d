"""The security headers appended to every response: the same headers in the same order as
``Headers.setdefault`` one by one gave, and a header the view set itself is kept."""

from __future__ import annotations

import pytest
from flask import Flask, Response

from webui.security import CSP, add_security_headers


def _one_by_one(response: Response, secure: bool) -> Response:
    """The rule as it was first written: ``setdefault`` per header."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize(
    ("mimetype", "preset"),
    [
        ("text/html", {}),
        ("image/svg+xml", {}),
        ("text/html", {"content-security-policy": "default-src 'none'"}),
        ("text/html", {"Cache-Control": "private, max-age=60", "X-Frame-Options": "SAMEORIGIN"}),
        ("application/pdf", {"Content-Disposition": "attachment"}),
    ],
)
def test_headers_as_setdefault_gave_them(
    mimetype: str, preset: dict[str, str], secure: bool
) -> None:
    app = Flask(__name__)
    base = "https://alur.test/" if secure else "http://alur.test/"
    with app.test_request_context("/", base_url=base):
        ours = add_security_headers(Response("x", mimetype=mimetype, headers=preset))
        reference = _one_by_one(Response("x", mimetype=mimetype, headers=preset), secure)
    assert list(ours.headers.items()) == list(reference.headers.items())
    for name, value in preset.items():
        assert ours.headers[name] == value  # the view's own header wins
    assert ("Strict-Transport-Security" in ours.headers) is secure


def test_a_page_has_them(app: Flask) -> None:
    got = app.test_client().get("/masuk")
    assert got.headers["Content-Security-Policy"] == CSP
    assert got.headers["Cache-Control"] == "no-store"
    assert got.headers.getlist("X-Frame-Options") == ["DENY"]
