"""Web hardening: the trusted-proxy setting and the completion form only for those who may."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.webui.conftest import make_app, session_client


def _fail_logins(app: Flask, forwarded_for: str, times: int) -> int:
    client = app.test_client()
    status = 0
    for _ in range(times):
        status = client.post(
            "/masuk",
            data={"username": "kadis", "password": "salah"},
            headers={"X-Forwarded-For": forwarded_for},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},  # the proxy
        ).status_code
    return status


def _login_status(app: Flask, forwarded_for: str, user: str) -> int:
    return (
        app.test_client()
        .post(
            "/masuk",
            data={"username": user, "password": "salah"},
            headers={"X-Forwarded-For": forwarded_for},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
        .status_code
    )


@pytest.mark.parametrize(("hops", "other_client_blocked"), [(0, True), (1, False)])
def test_the_login_limit_keys_on_the_client_behind_a_trusted_proxy(
    tmp_path: Path, backend, hops: int, other_client_blocked: bool  # type: ignore[no-untyped-def]
) -> None:
    app = make_app(tmp_path, backend, ALUR_TRUSTED_PROXIES=hops)
    assert _fail_logins(app, "203.0.113.5", 5) == 401
    assert _fail_logins(app, "203.0.113.5", 1) == 429  # the guesser is blocked
    other = _login_status(app, "198.51.100.7", "pengadm")  # someone else, same proxy
    assert (other == 429) is other_client_blocked


def test_without_trusted_proxies_a_forged_header_changes_nothing(tmp_path: Path, backend) -> None:  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, backend)
    for n in range(6):  # a new forged address each try must not reset the count
        status = _login_status(app, f"192.0.2.{n}", f"u{n}")
    assert status == 429


def test_an_admin_outside_the_lane_sees_no_completion_form(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    inst = be.runtime.start("sop_penyusunan_iku", "admin", title="Uji")
    task = next(t for t in be.runtime.instance_tasks(inst.id) if t.state == "ready")
    admin = session_client(real_app, "admin")
    page = admin.get(f"/tugas/{task.id}").get_data(as_text=True)
    assert f"/tugas/{task.id}/selesai" not in page
    assert f"/tugas/{task.id}/alihkan" in page  # he may reassign it to the lane
    holder = next(u for u in be.users.list() if task.role in u.roles)
    page = session_client(real_app, holder.username).get(f"/tugas/{task.id}").get_data(
        as_text=True
    )
    assert f"/tugas/{task.id}/selesai" in page
