"""Users in the store: roles, passwords, activity, admin flag."""

from __future__ import annotations

import pytest

from engine.errors import BadInput, NotFound
from engine.store import Store
from engine.users import Users, check_password, hash_password


def test_add_and_get_keeps_roles_in_order(store: Store) -> None:
    users = Users(store)
    added = users.add("budi", ["Kepala Dinas", "Staf", "Staf"], full_name="Budi S")
    got = users.get("budi")
    assert got == added
    assert got.roles == ("Kepala Dinas", "Staf")
    assert got.full_name == "Budi S"
    assert users.get_by_id(got.id).username == "budi"


def test_authenticate_checks_password_and_activity(store: Store) -> None:
    users = Users(store)
    users.add("sari", ["Sekretaris"], password="rahasia")
    assert users.authenticate("sari", "rahasia") is not None
    assert users.authenticate("sari", "salah") is None
    assert users.authenticate("tidakada", "rahasia") is None
    users.set_active("sari", False)
    assert users.authenticate("sari", "rahasia") is None


def test_updates_roles_admin_password(store: Store) -> None:
    users = Users(store)
    users.add("andi", ["Staf"])
    assert users.authenticate("andi", "") is None  # no password set: cannot log in
    users.set_roles("andi", ["Kasubbag Umum"])
    users.set_admin("andi", True)
    users.set_password("andi", "baru")
    andi = users.get("andi")
    assert andi.roles == ("Kasubbag Umum",) and andi.is_admin
    assert users.authenticate("andi", "baru") is not None
    assert [u.username for u in users.list()] == ["andi"]


def test_bad_input_messages(store: Store) -> None:
    users = Users(store)
    users.add("budi", ["Staf"])
    with pytest.raises(BadInput, match="sudah ada"):
        users.add("budi", ["Staf"])
    with pytest.raises(BadInput, match="tidak valid"):
        users.add("bu di", ["Staf"])
    with pytest.raises(NotFound, match="tidak ditemukan"):
        users.get("siapa")
    with pytest.raises(NotFound):
        users.set_roles("siapa", ["Staf"])


def test_password_hash_is_salted() -> None:
    a, b = hash_password("x"), hash_password("x")
    assert a != b
    assert check_password(a, "x") and not check_password(a, "y")
    assert not check_password("rusak", "x")
