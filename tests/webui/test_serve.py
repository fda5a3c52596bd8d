"""``alur serve`` set-up pieces and demo accounts (the server itself runs in tests/e2e)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from tests.webui.conftest import FIXTURES
from webui.cli import CliError, build_parser
from webui.cli.serve import _safe_url, _secure_cookies, run
from webui.demo import (
    ADMIN_PASSWORD,
    DEMO_PASSWORD,
    create_demo_users,
    demo_accounts,
    deploy_library,
    slug,
)


def test_slug_of_roles() -> None:
    assert slug("Kasubbag PEKK") == "kasubbag-pekk"
    assert slug("Pengadministrasian Umum") == "pengadministrasian-umum"
    assert slug("Kepala Sub Bagian (Kasubbag) Umum & Kepegawaian") == (
        "kepala-sub-bagian-kasubbag-umum-kepegawaian"
    )
    assert slug("Perencana Ahli Muda/JF") == "perencana-ahli-muda-jf"
    assert slug("Éselon") == "eselon" and slug("!!!") == "peran"


def test_demo_accounts_one_per_role_plus_admin_and_analyst() -> None:
    accounts = demo_accounts(("Kepala Dinas", "Staf", "Staf!"))
    names = [a.username for a in accounts]
    assert names == ["admin", "analis", "kepala-dinas", "staf", "staf-2"]
    assert accounts[0].is_admin and accounts[0].password == ADMIN_PASSWORD
    assert all(a.password == DEMO_PASSWORD for a in accounts[1:])
    assert accounts[2].roles == ("Kepala Dinas",)


def test_library_deploy_and_demo_users_are_idempotent(real_backend: Any, tmp_path: Path) -> None:
    lib = tmp_path / "bpmn"
    lib.mkdir()
    (lib / "a.bpmn").write_bytes((FIXTURES / "iku.bpmn").read_bytes())
    (lib / "b.bpmn").write_bytes((FIXTURES / "invalid.bpmn").read_bytes())
    result = deploy_library(real_backend.definitions, lib)
    assert result.deployed == ("Penyusunan IKU v1",)
    assert len(result.failed) == 1 and result.failed[0].startswith("b.bpmn: ")
    roles = real_backend.definitions.roles()
    made = create_demo_users(real_backend.users, roles)
    # admin and the role users already exist in the template database except these
    created = {a.username for a in made if a.created}
    assert created == {"kasubbag-pekk", "pengadministrasian-umum", "kepala-dinas"}
    assert real_backend.users.authenticate("kepala-dinas", DEMO_PASSWORD).roles == (
        "Kepala Dinas",
    )
    again = create_demo_users(real_backend.users, roles)
    assert not any(a.created for a in again)


def test_secure_cookie_default_depends_on_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALUR_SECURE_COOKIES", raising=False)
    ns = argparse.Namespace
    assert _secure_cookies(ns(host="127.0.0.1", secure_cookies=None)) is False
    assert _secure_cookies(ns(host="0.0.0.0", secure_cookies=None)) is True
    assert _secure_cookies(ns(host="127.0.0.1", secure_cookies=True)) is True
    monkeypatch.setenv("ALUR_SECURE_COOKIES", "1")
    assert _secure_cookies(ns(host="127.0.0.1", secure_cookies=None)) is True


def test_safe_url_hides_the_password() -> None:
    class S:
        url = "postgresql+psycopg://alur:geheim@db:5432/alur"

    class B:
        store = S()

    assert _safe_url(B()) == "postgresql+psycopg://alur:***@db:5432/alur"


def test_serve_arguments_and_bad_port() -> None:
    args = build_parser().parse_args(["serve", "--port", "70000"])
    assert args.host == "127.0.0.1" and args.demo is False
    with pytest.raises(CliError, match="port tidak sah"):
        run(args)


def test_serve_with_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    args = build_parser().parse_args(["serve", "--port", "8123"])
    with pytest.raises(CliError, match="basis data tidak dapat dibuka") as err:
        run(args)
    assert "\n" not in str(err.value)


def test_the_repository_library_deploys_without_failures(real_backend: Any) -> None:
    library = Path(__file__).resolve().parents[2] / "bpmn"
    if not any(library.glob("*.bpmn")):
        pytest.skip("bpmn/ is empty")
    result = deploy_library(real_backend.definitions, library)
    assert result.failed == ()
    assert len(result.deployed) == len(list(library.glob("*.bpmn")))
    # every process can be started by some demo account
    accounts = demo_accounts(real_backend.definitions.roles())
    roles = {r for a in accounts for r in a.roles}
    for definition in real_backend.definitions.list():
        assert set(definition.first_lanes) & roles, definition.key
