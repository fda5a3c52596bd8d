"""Notifications as the user sees them: the kinds, each user's choices, the in-app list.

Why the kinds and channels are enums: the database columns, the preferences page and the
e-mail texts all name them, and one list keeps them agreeing. The rows themselves are written
by :mod:`engine.notifier` (the deriving pass); this module reads them for the bell and the
list, marks them read, and keeps each user's choices and e-mail address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.errors import BadInput, NotFound
from engine.store import Store, notification_preferences, notifications, users, utcnow


class Kind(StrEnum):
    """What happened (``notifications.kind``, ``notification_preferences.kind``)."""

    NEW_TASK = "new_task"  # a task arrived in one of my lanes (or for me by name)
    RETURNED = "returned"  # a rejection sent back a task I did before
    DUE_SOON = "due_soon"  # an open task of mine falls due within a day
    OVERDUE = "overdue"  # an open task of mine is past its due date
    CASE_FINISHED = "case_finished"  # a case I started has ended
    DIGEST = "digest"  # once a day: what is open and due (e-mail only)


class Channel(StrEnum):
    """Where a kind of notification reaches the user."""

    BOTH = "both"
    APP = "app"
    EMAIL = "email"
    NONE = "none"

    @property
    def in_app(self) -> bool:
        return self in (Channel.BOTH, Channel.APP)

    @property
    def by_email(self) -> bool:
        return self in (Channel.BOTH, Channel.EMAIL)


EVENT_KINDS = (Kind.NEW_TASK, Kind.RETURNED, Kind.DUE_SOON, Kind.OVERDUE, Kind.CASE_FINISHED)
"""The kinds a user can get both in the app and by e-mail (the digest is e-mail only)."""

DEFAULT_CHANNELS: Mapping[Kind, Channel] = {
    **{kind: Channel.BOTH for kind in EVENT_KINDS},
    Kind.DIGEST: Channel.NONE,
}
"""Without a choice of their own users get every event in the app and by e-mail (when they
have an address), and no digest."""

_EMAIL = re.compile(r"^[^@\s<>,;]{1,64}@[A-Za-z0-9.-]{1,180}\.[A-Za-z]{2,24}$")


@dataclass(frozen=True)
class Notification:
    """One in-app notification (the bell's list)."""

    id: int
    kind: Kind
    title: str
    process_name: str
    case_title: str
    actor: str
    comment: str
    due: datetime | None
    task_id: str | None
    instance_id: int | None
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class Preferences:
    """A user's choices: a channel per kind, and the address mail goes to ("" = none)."""

    channels: Mapping[Kind, Channel]
    email: str

    def channel(self, kind: Kind) -> Channel:
        return self.channels.get(kind, DEFAULT_CHANNELS[kind])


@dataclass(frozen=True)
class Recipient:
    """An active user as the pass needs them: who, in which lanes, where mail goes."""

    username: str
    name: str
    email: str
    language: str
    roles: frozenset[str]


@dataclass(frozen=True)
class DigestLine:
    """One open task in a daily digest."""

    task_id: str
    name: str
    case_title: str
    process_name: str
    due: datetime | None
    overdue: bool


@dataclass(frozen=True)
class Notice:
    """One notification the pass decided on, before it is stored (and perhaps mailed)."""

    kind: Kind
    username: str
    ref: str  # with kind and username the once-only key (task id, instance id or day)
    instance_id: int | None = None
    task_id: str | None = None
    title: str = ""
    process_name: str = ""
    case_title: str = ""
    role: str = ""
    actor: str = ""  # who returned the work / who finished the case
    comment: str = ""
    due: datetime | None = None
    digest: tuple[DigestLine, ...] = ()
    digest_total: int = 0


def clean_email(value: str) -> str:
    """The address as stored ("" clears it); a malformed one is :class:`BadInput`."""
    value = value.strip()
    if value and (len(value) > 254 or not _EMAIL.match(value)):
        raise BadInput(f"Alamat surel tidak sah: {value[:80]!r}")
    return value


def load_channels(conn: Connection) -> dict[tuple[str, Kind], Channel]:
    """Every stored choice, (user, kind) → channel (one small table, read once per pass)."""
    out: dict[tuple[str, Kind], Channel] = {}
    for row in conn.execute(sa.select(notification_preferences)):
        try:
            out[(row.username, Kind(row.kind))] = Channel(row.channel)
        except ValueError:  # a kind or channel of a newer version: ignored, not fatal
            continue
    return out


def unread_count_query(username: Any, cap: Any) -> sa.Select[Any]:
    """``count(*)`` of ``username``'s unread in-app notifications, reading at most ``cap`` of
    them: what the bell counts, said once (:data:`_UNREAD` alone; the page header's counts
    in one statement with the inbox badges, :meth:`engine.queries.Queries.count_desk`)."""
    return sa.select(sa.func.count()).select_from(
        sa.select(notifications.c.id)
        .where(
            notifications.c.username == username,
            notifications.c.in_app.is_(True),
            notifications.c.read_at.is_(None),
        )
        .limit(cap)
        .subquery()
    )


_UNREAD = unread_count_query(sa.bindparam("username"), sa.bindparam("cap", type_=sa.Integer))
"""A user's unread in-app notifications up to ``cap`` (built once: the bell is on every page)."""


class Notifications:
    """The in-app side for one store; each method is one transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def unread_count(self, username: str, limit: int = 99) -> int:
        """Unread in-app notifications, counted up to ``limit`` (the bell shows "99+")."""
        with self.store.begin(write=False, snapshot=False) as conn:
            got = conn.execute(_UNREAD, {"username": username, "cap": limit + 1})
            return int(got.scalar_one())

    def list(self, username: str, limit: int = 50, offset: int = 0) -> list[Notification]:
        """The user's in-app notifications, newest first."""
        query = (
            sa.select(notifications)
            .where(notifications.c.username == username, notifications.c.in_app.is_(True))
            .order_by(notifications.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self.store.begin(write=False) as conn:
            return [_to_notification(r) for r in conn.execute(query)]

    def get(self, username: str, notification_id: int) -> Notification:
        """One of the user's own notifications; anyone else's is :class:`NotFound`."""
        with self.store.begin(write=False) as conn:
            row = conn.execute(
                sa.select(notifications).where(
                    notifications.c.id == notification_id,
                    notifications.c.username == username,
                    notifications.c.in_app.is_(True),
                )
            ).first()
        if row is None:
            raise NotFound(f"Notifikasi #{notification_id} tidak ditemukan")
        return _to_notification(row)

    def mark_read(self, username: str, ids: Iterable[int] | None = None) -> int:
        """Mark the user's notifications ``ids`` (None: all) read; returns how many changed."""
        where = [notifications.c.username == username, notifications.c.read_at.is_(None)]
        if ids is not None:
            where.append(notifications.c.id.in_(list(ids)))
        with self.store.begin() as conn:
            result = conn.execute(notifications.update().where(*where).values(read_at=utcnow()))
            return int(result.rowcount or 0)

    def preferences(self, username: str) -> Preferences:
        with self.store.begin(write=False) as conn:
            email = conn.execute(
                sa.select(users.c.email).where(users.c.username == username)
            ).scalar()
            if email is None:
                raise NotFound(f"Pengguna {username} tidak ditemukan")
            rows = conn.execute(
                sa.select(notification_preferences).where(
                    notification_preferences.c.username == username
                )
            ).all()
        channels: dict[Kind, Channel] = {}
        for row in rows:
            try:
                channels[Kind(row.kind)] = Channel(row.channel)
            except ValueError:
                continue
        return Preferences(channels, email)

    def set_preferences(
        self, username: str, channels: Mapping[Kind, Channel], email: str
    ) -> Preferences:
        """Store the user's choices (every kind given) and address, in one transaction."""
        email = clean_email(email)
        for kind, channel in channels.items():
            if kind == Kind.DIGEST and channel.in_app:
                raise BadInput("Ringkasan harian hanya dikirim lewat surel")
        with self.store.begin() as conn:
            changed = conn.execute(
                users.update().where(users.c.username == username).values(email=email)
            )
            if changed.rowcount == 0:
                raise NotFound(f"Pengguna {username} tidak ditemukan")
            conn.execute(
                notification_preferences.delete().where(
                    notification_preferences.c.username == username,
                    notification_preferences.c.kind.in_([k.value for k in channels]),
                )
            )
            if channels:
                conn.execute(
                    notification_preferences.insert(),
                    [
                        {"username": username, "kind": k.value, "channel": c.value}
                        for k, c in channels.items()
                    ],
                )
        return self.preferences(username)


def _to_notification(row: Any) -> Notification:
    return Notification(
        id=row.id,
        kind=Kind(row.kind),
        title=row.title or "",
        process_name=row.process_name or "",
        case_title=row.case_title or "",
        actor=row.actor or "",
        comment=row.comment or "",
        due=row.due,
        task_id=row.task_id,
        instance_id=row.instance_id,
        created_at=row.created_at,
        read=row.read_at is not None,
    )


__all__ = [
    "DEFAULT_CHANNELS",
    "EVENT_KINDS",
    "Channel",
    "DigestLine",
    "Kind",
    "Notice",
    "Notification",
    "Notifications",
    "Preferences",
    "Recipient",
    "clean_email",
    "load_channels",
]
