"""Integer overflow in routes and query strings: a 404 or 400, never a 500."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.security.conftest import session_client

HUGE = "99999999999999999999999"
CASES = [
    (f"/kasus/{HUGE}", 404),
    (f"/kasus/{HUGE}/diagram.svg", 404),
    ("/kasus/9223372036854775808", 404),
    ("/kasus/2147483648", 404),
    (f"/kasus/?hal={HUGE}", 400),
    (f"/kotak-masuk?hal={HUGE}", 400),
    ("/kotak-masuk?hal=-5", 200),
    ("/kotak-masuk?hal=abc", 200),
    (f"/proses/sop_penyusunan_iku?versi={HUGE}", 400),
    ("/proses/sop_penyusunan_iku?versi=abc", 400),
    ("/proses/sop_penyusunan_iku?versi=2147483647", 404),
    (f"/proses/sop_penyusunan_iku/v{HUGE}/diagram.svg", 404),
    (f"/proses/sop_penyusunan_iku/v{HUGE}.bpmn", 404),
    (f"/proses/sop_penyusunan_iku/v{HUGE}/dokumen.pdf", 404),
    (f"/lampiran/{HUGE}/x.pdf", 404),
]


@pytest.mark.parametrize(("url", "status"), CASES)
def test_huge_numbers_are_not_a_server_error(real_app: Flask, url: str, status: int) -> None:
    client = session_client(real_app, "admin")
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("url", [f"/kasus/{HUGE}/batalkan"])
def test_huge_numbers_in_posts_are_a_404(real_app: Flask, url: str) -> None:
    client = session_client(real_app, "admin")
    assert client.post(url, data={"reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    "args",
    [("history", "99999999999999999999999"), ("start", "p", "--version", "99999999999999999999")],
)
def test_cli_huge_numbers_are_a_clean_refusal(alur, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = alur(*args)
    assert code == 2 and "Traceback" not in err and err.strip()
