"""First-run setup for ``alur serve``: deploy the process library, create demo accounts.

A fresh database gets every ``bpmn/*.bpmn`` deployed, so the UI has something to run at once.
In demo mode each role (lane) of the deployed processes gets one account with a predictable
password, plus an administrator and an analyst; the rule is documented in
``webui/DEMO_USERS.md`` so the README can list the accounts without anyone reading code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEMO_PASSWORD = "alur-demo"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-demo"
ANALYST_USERNAME = "analis"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    roles: tuple[str, ...]
    is_admin: bool = False
    created: bool = True  # False when the account already existed (its password is unchanged)


@dataclass(frozen=True)
class LibraryResult:
    deployed: tuple[str, ...]  # "name v1" of each definition deployed
    failed: tuple[str, ...]  # one line per file that could not be deployed


def slug(role: str) -> str:
    """A username from a role: ``Kasubbag PEKK`` → ``kasubbag-pekk``."""
    ascii_text = unicodedata.normalize("NFKD", role).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "peran"


def deploy_library(definitions: Any, folder: Path, user: str = "alur") -> LibraryResult:
    """Deploy every ``*.bpmn`` of ``folder`` (sorted); a bad file is reported, not fatal."""
    deployed: list[str] = []
    failed: list[str] = []
    for path in sorted(folder.glob("*.bpmn")):
        try:
            result = definitions.deploy(path.read_bytes(), filename=path.name, user=user)
        except Exception as exc:  # engine DefinitionInvalid carries a one-line message
            failed.append(f"{path.name}: {exc}")
            continue
        deployed.append(f"{result.definition.name} v{result.definition.version}")
    return LibraryResult(tuple(deployed), tuple(failed))


def demo_accounts(roles: tuple[str, ...], analyst_role: str = "Analis") -> list[DemoAccount]:
    """The accounts demo mode creates for these roles, admin and analyst first."""
    accounts = [
        DemoAccount(ADMIN_USERNAME, ADMIN_PASSWORD, (), is_admin=True),
        DemoAccount(ANALYST_USERNAME, DEMO_PASSWORD, (analyst_role,)),
    ]
    taken = {a.username for a in accounts}
    for role in roles:
        name = slug(role)
        base, n = name, 2
        while name in taken:  # two roles with the same slug get -2, -3, ...
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        accounts.append(DemoAccount(name, DEMO_PASSWORD, (role,)))
    return accounts


def create_demo_users(users: Any, roles: tuple[str, ...], analyst_role: str = "Analis") -> list[
    DemoAccount
]:
    """Create the demo accounts that do not exist yet; existing ones are left untouched."""
    out: list[DemoAccount] = []
    for acc in demo_accounts(roles, analyst_role):
        if users.find(acc.username) is not None:
            out.append(DemoAccount(acc.username, acc.password, acc.roles, acc.is_admin, False))
            continue
        users.add(
            acc.username,
            acc.roles,
            password=acc.password,
            full_name=", ".join(acc.roles) or "Administrator",
            is_admin=acc.is_admin,
        )
        out.append(acc)
    return out
