"""Users of the engine and the roles (BPMN lane names) they hold.

The web UI manages users too, so they live in the store, not in a config file. Passwords are
hashed with the standard library's scrypt so the engine needs no web framework.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from engine.errors import BadInput, NotFound
from engine.store import DriverQuery, Store, users, utcnow

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,80}$")
_NIP = re.compile(r"^[0-9]{18}$")
LANGUAGES = ("id", "en")
"""The UI languages a user may choose (Bahasa Indonesia first, the default)."""
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_NEXT_GENERATION = users.c.session_generation + 1
# built once: every page reads the logged-in user, and building the statement cost as much
# as running it
_BY_ID = DriverQuery(sa.select(users).where(users.c.id == sa.bindparam("key")))
"""Every web request's user read (webui.access.load_user): sent through the driver's own
cursor, not SQLAlchemy's execute (see :class:`engine.store.DriverQuery`), as the read by
user name is."""
_BY_USERNAME = DriverQuery(sa.select(users).where(users.c.username == sa.bindparam("key")))
_ALL = sa.select(users).order_by(users.c.username)
MIN_PASSWORD = 8
"""The shortest password a person may choose (the admin pages ask the same)."""


class WrongPassword(BadInput):
    """The current password given for a change is not the user's (its own class, so the web
    UI can say it in the user's language without reading the message)."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    is_admin: bool
    active: bool
    session_generation: int = 0
    """Sessions issued under another generation are over (see :meth:`Users.end_sessions`)."""
    nip: str = ""
    """Nomor Induk Pegawai: 18 digits, or empty (contract staff, outside users)."""
    jabatan: str = ""
    """The position as the office writes it ("Kasubbag Perencanaan"), shown beside the name."""
    language: str = "id"

    @property
    def display_name(self) -> str:
        """How the person is called on every page: the full name, else the user name."""
        return self.full_name or self.username


@dataclass(frozen=True)
class Profile:
    """What identifies a person besides the user name (one argument, checked in one place)."""

    full_name: str = ""
    nip: str = ""
    jabatan: str = ""
    language: str = "id"

    def cleaned(self) -> Profile:
        """Whitespace squashed and each field checked; bad input is :class:`BadInput`."""
        nip = "".join(self.nip.split())
        if nip and not _NIP.match(nip):
            raise BadInput("NIP harus 18 angka (atau dikosongkan)")
        language = self.language or "id"
        if language not in LANGUAGES:
            raise BadInput(f"Bahasa tidak dikenal: {language} (pilihan: {', '.join(LANGUAGES)})")
        full_name = " ".join(self.full_name.split())
        jabatan = " ".join(self.jabatan.split())
        if len(full_name) > 200 or len(jabatan) > 200:
            raise BadInput("Nama lengkap dan jabatan paling panjang 200 karakter")
        return Profile(full_name=full_name, nip=nip, jabatan=jabatan, language=language)


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex), so parameters can be raised later."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def check_password(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    try:
        _scheme, n, r, p, salt, digest = stored.split("$")
        got = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


def _clean_roles(roles: Iterable[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for role in roles:
        role = " ".join(str(role).split())
        if role and role not in seen:
            seen.append(role)
    return tuple(seen)


def _row_to_user(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        full_name=row.full_name or "",
        roles=tuple(json.loads(row.roles or "[]")),
        is_admin=bool(row.is_admin),
        active=bool(row.active),
        session_generation=int(getattr(row, "session_generation", 0) or 0),
        nip=getattr(row, "nip", "") or "",
        jabatan=getattr(row, "jabatan", "") or "",
        language=getattr(row, "language", "") or "id",
    )


class Users:
    """Create, find and authenticate users; each method is one transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        username: str,
        roles: Iterable[str],
        password: str | None = None,
        full_name: str = "",
        is_admin: bool = False,
        profile: Profile | None = None,
    ) -> User:
        """``profile`` (NIP, jabatan, language; its name wins over ``full_name``)."""
        username = username.strip()
        person = (profile or Profile(full_name=full_name)).cleaned()
        if not _USERNAME.match(username):
            raise BadInput(
                f"Nama pengguna tidak valid: {username!r} (huruf, angka, titik, garis bawah, -, @)"
            )
        with self.store.begin() as conn:
            exists = conn.execute(sa.select(users.c.id).where(users.c.username == username))
            if exists.first() is not None:
                raise BadInput(f"Pengguna {username} sudah ada")
            conn.execute(
                users.insert().values(
                    username=username,
                    full_name=person.full_name,
                    nip=person.nip,
                    jabatan=person.jabatan,
                    language=person.language,
                    password_hash=hash_password(password) if password else None,
                    roles=json.dumps(list(_clean_roles(roles))),
                    is_admin=is_admin,
                    active=True,
                    created_at=utcnow(),
                )
            )
            row = conn.execute(sa.select(users).where(users.c.username == username)).one()
            return _row_to_user(row)

    def get(self, username: str) -> User:
        return self._one(_BY_USERNAME, username, f"Pengguna {username} tidak ditemukan")

    def find(self, username: str) -> User | None:
        """Like :meth:`get` but None when absent (for optional checks)."""
        try:
            return self.get(username)
        except NotFound:
            return None

    def get_by_id(self, user_id: int) -> User:
        return self._one(_BY_ID, user_id, f"Pengguna #{user_id} tidak ditemukan")

    def _one(self, query: DriverQuery, key: int | str, missing: str) -> User:
        """The one user ``query`` (by a unique column) finds for ``key``, else
        NotFound(``missing``). One statement: no transaction of its own (no BEGIN)."""
        with self.store.begin(write=False, snapshot=False) as conn:
            row = query.first(conn, {"key": key})
        if row is None:
            raise NotFound(missing)
        return _row_to_user(row)

    def authenticate(self, username: str, password: str) -> User | None:
        with self.store.begin(write=False, snapshot=False) as conn:
            row = _BY_USERNAME.first(conn, {"key": username})
        if row is None or not row.active or not check_password(row.password_hash, password):
            return None
        return _row_to_user(row)

    def _update(self, username: str, **values: Any) -> User:
        with self.store.begin() as conn:
            result = conn.execute(
                users.update().where(users.c.username == username).values(**values)
            )
            if result.rowcount == 0:
                raise NotFound(f"Pengguna {username} tidak ditemukan")
            return _row_to_user(
                conn.execute(sa.select(users).where(users.c.username == username)).one()
            )

    def set_roles(self, username: str, roles: Iterable[str]) -> User:
        return self._update(username, roles=json.dumps(list(_clean_roles(roles))))

    def set_password(self, username: str, password: str) -> User:
        """A new password also ends every session (whoever knew the old one is logged out)."""
        if not password:
            raise BadInput("Kata sandi tidak boleh kosong")
        return self._update(
            username, password_hash=hash_password(password), session_generation=_NEXT_GENERATION
        )

    def change_password(self, username: str, current: str, new: str) -> User:
        """The user's own change: the current password must be right (a session left open on
        a shared computer must not be enough to take the account over). Ends every other
        session, as :meth:`set_password` does."""
        with self.store.begin(write=False) as conn:
            row = conn.execute(
                sa.select(users.c.password_hash).where(users.c.username == username)
            ).first()
        if row is None:
            raise NotFound(f"Pengguna {username} tidak ditemukan")
        if not check_password(row.password_hash, current):
            raise WrongPassword("Kata sandi saat ini salah")
        if len(new) < MIN_PASSWORD:
            raise BadInput(f"Kata sandi baru minimal {MIN_PASSWORD} karakter")
        if new == current:
            raise BadInput("Kata sandi baru harus berbeda dari yang lama")
        return self.set_password(username, new)

    def set_profile(self, username: str, profile: Profile) -> User:
        person = profile.cleaned()
        return self._update(username, full_name=person.full_name, nip=person.nip,
                            jabatan=person.jabatan, language=person.language)  # fmt: skip

    def set_language(self, username: str, language: str) -> User:
        if language not in LANGUAGES:
            raise BadInput(f"Bahasa tidak dikenal: {language} (pilihan: {', '.join(LANGUAGES)})")
        return self._update(username, language=language)

    def directory(self) -> dict[str, User]:
        """Every user by user name: one read for a page that names many people."""
        return {u.username: u for u in self.list()}

    def set_active(self, username: str, active: bool) -> User:
        """Deactivating also ends every session of the user."""
        if active:
            return self._update(username, active=True)
        return self._update(username, active=False, session_generation=_NEXT_GENERATION)

    def end_sessions(self, username: str) -> User:
        """End every session of ``username`` on every device: the web UI keeps the generation
        in the (signed) session and refuses a session whose generation is no longer current,
        so a copied cookie dies with the logout too."""
        return self._update(username, session_generation=_NEXT_GENERATION)

    def set_admin(self, username: str, is_admin: bool) -> User:
        return self._update(username, is_admin=bool(is_admin))

    def list(self) -> list[User]:
        with self.store.begin(write=False, snapshot=False) as conn:
            rows = conn.execute(_ALL).all()
        return [_row_to_user(r) for r in rows]
