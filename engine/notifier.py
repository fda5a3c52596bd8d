"""The notification pass: derive notifications from what the engine records, queue the mail.

Why derived and not raised by the commands: a completion already writes everything a
notification needs (the new ``tasks`` rows with their lanes and due dates, the audit entry
with the decision and catatan, the instance's status), so a pass that reads those rows later
keeps the completion as fast as before and unable to fail because of mail. The pass runs in
``alur worker`` (every interval, with sending) and, throttled, in the web process (deriving
only, so the bell is current even without a worker).

Each notification is recorded at most once per (kind, what, user) by the table's unique key
with ``ON CONFLICT DO NOTHING``: two passes racing each other write it once, and the mail is
queued only by the pass whose insert won. Candidates are found with anti-joins against the
notifications already recorded, within :data:`LOOKBACK` (a worker that was down over a
weekend catches up; older events are not announced any more).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.mail import Letter, Mailer, MailSettings
from engine.notification_text import Composer
from engine.notifications import (
    DEFAULT_CHANNELS,
    Channel,
    DigestLine,
    Kind,
    Notice,
    Recipient,
    load_channels,
)
from engine.outbox import Outbox, SendReport, enqueue
from engine.status import InstanceStatus, TaskState
from engine.store import (
    Store,
    audit,
    definitions,
    instances,
    notifications,
    tasks,
    users,
    utcnow,
)

LOOKBACK = timedelta(days=3)
"""How far back the pass looks for new tasks, deadlines passed and finished cases."""
DUE_SOON = timedelta(hours=24)
""""Due soon" is within this; a task born with no more time than this is not announced twice
(its new-task message already names the due date)."""
BATCH = 500
"""At most this many candidates per kind and pass: the write transaction stays short."""
DIGEST_LINES = 20
WRITE_CHUNK = 200
"""Notifications recorded per write transaction."""
NOBODY = ""
"""The user name of a sentinel row: a task or case nobody could be told about (an empty lane,
a starter since deactivated) is recorded once under it, so later passes skip it instead of
finding it again and again; it is never shown and never mailed."""


@dataclass(frozen=True)
class NotifySettings:
    """What the pass needs from the installation's configuration."""

    base_url: str = "http://localhost:5000"
    timezone: str = "Asia/Jakarta"
    digest_hour: int = 7  # local hour from which the day's digest goes out
    mail: MailSettings | None = None

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> NotifySettings:
        """From the environment or an app config (``ALUR_BASE_URL``, ``ALUR_TIMEZONE``,
        ``ALUR_DIGEST_HOUR`` and the ``ALUR_SMTP_*`` of :mod:`engine.mail`)."""
        hour = str(values.get("ALUR_DIGEST_HOUR") or "7").strip()
        if not hour.isdigit() or int(hour) > 23:
            from engine.errors import BadInput

            raise BadInput(f"ALUR_DIGEST_HOUR harus jam 0–23: {hour!r}")
        return cls(
            base_url=str(values.get("ALUR_BASE_URL") or cls.base_url).strip().rstrip("/"),
            timezone=str(values.get("ALUR_TIMEZONE") or cls.timezone),
            digest_hour=int(hour),
            mail=MailSettings.from_mapping(values),
        )


@dataclass(frozen=True)
class DigestContent:
    """A user's open tasks for the digest: the first lines and how many there are."""

    lines: tuple[DigestLine, ...]
    total: int


InboxReader = Callable[[str, datetime], DigestContent]


def runtime_inbox(runtime: Any) -> InboxReader:
    """The digest's view of a user's inbox, read through the runtime's own inbox query."""

    def read(username: str, now: datetime) -> DigestContent:
        rows, total = runtime.inbox(username, limit=DIGEST_LINES)
        return DigestContent(
            tuple(
                DigestLine(t.id, t.name, t.instance_title, t.process_name, t.due,
                           t.due is not None and t.due < now)
                for t in rows
            ),
            int(total),
        )  # fmt: skip

    return read


class Notifier:
    """Derives and records notifications (and queues their mail) for one store."""

    def __init__(
        self,
        store: Store,
        settings: NotifySettings,
        inbox: InboxReader | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        """``inbox``: how to read a user's open tasks for the digest (None: no digests, as in
        the web process, which must stay cheap)."""
        self.store = store
        self.settings = settings
        self.inbox = inbox
        self.clock = clock
        self.composer = Composer(settings.base_url, settings.timezone)

    def derive(self, now: datetime | None = None) -> int:
        """One pass: returns how many notifications it recorded (0 when nothing is new)."""
        now = now or self.clock()
        with self.store.begin(write=False) as conn:
            people = _recipients(conn)
            channels = load_channels(conn)
            notices = [
                *self._new_tasks(conn, now, people),
                *self._deadlines(conn, now, people),
                *self._finished_cases(conn, now, people),
            ]
            due_digests = self._digest_users(conn, now, people, channels)
        notices += self._digests(due_digests, now)
        if not notices:
            return 0
        return self._record(notices, people, channels, now)

    # -- deriving --------------------------------------------------------------------------

    def _new_tasks(
        self, conn: Connection, now: datetime, people: Mapping[str, Recipient]
    ) -> list[Notice]:
        rows = _unannounced_ready(
            conn, (Kind.NEW_TASK, Kind.RETURNED), tasks.c.created >= now - LOOKBACK,
            order=(tasks.c.created, tasks.c.id),
        )  # fmt: skip
        out: list[Notice] = []
        for row in rows:
            before = _last_completion(conn, row.instance_id, row.created)
            actor = before.user if before is not None else ""
            returnee = _previous_doer(conn, row)
            base = _task_notice(Kind.NEW_TASK, row)
            found: list[Notice] = []
            for person in _task_people(row, people):
                if person.username == returnee and before is not None:
                    found.append(
                        replace(base, kind=Kind.RETURNED, username=person.username,
                                actor=_name(people, actor), comment=before.comment)
                    )  # fmt: skip
                elif person.username != actor:  # who just handed it on knows already
                    found.append(replace(base, username=person.username))
            out += found or [base]  # nobody to tell: the sentinel marks the task as seen
        return out

    def _deadlines(
        self, conn: Connection, now: datetime, people: Mapping[str, Recipient]
    ) -> list[Notice]:
        soon = _unannounced_ready(
            conn, (Kind.DUE_SOON,), tasks.c.due_order > now, tasks.c.due_order <= now + DUE_SOON,
            order=(tasks.c.due_order,),
        )  # fmt: skip
        late = _unannounced_ready(
            conn, (Kind.OVERDUE,), tasks.c.due_order <= now, tasks.c.due_order >= now - LOOKBACK,
            order=(tasks.c.due_order,),
        )  # fmt: skip
        out: list[Notice] = []
        for kind, rows in ((Kind.DUE_SOON, soon), (Kind.OVERDUE, late)):
            for row in rows:
                base = _task_notice(kind, row)
                if kind == Kind.DUE_SOON and row.due - row.created <= DUE_SOON:
                    out.append(base)  # born with less than a day left: seen, not announced
                    continue
                found = [replace(base, username=p.username) for p in _task_people(row, people)]
                out += found or [base]
        return out

    def _finished_cases(
        self, conn: Connection, now: datetime, people: Mapping[str, Recipient]
    ) -> list[Notice]:
        rows = conn.execute(
            sa.select(instances.c.id, instances.c.title, instances.c.started_by,
                      instances.c.ended_at, definitions.c.name.label("process_name"))
            .join(definitions, definitions.c.id == instances.c.definition_id)
            .where(
                instances.c.ended_at >= now - LOOKBACK,
                instances.c.status == InstanceStatus.COMPLETED,
                instances.c.started_by != "",
                ~_announced((Kind.CASE_FINISHED,), sa.cast(instances.c.id, sa.String)),
            )
            .order_by(instances.c.ended_at)
            .limit(BATCH)
        ).all()  # fmt: skip
        out: list[Notice] = []
        for row in rows:
            last = _last_completion(conn, row.id, row.ended_at)
            out.append(
                Notice(
                    kind=Kind.CASE_FINISHED,
                    username=row.started_by if row.started_by in people else NOBODY,
                    ref=str(row.id),
                    instance_id=row.id,
                    title=row.title or row.process_name,
                    process_name=row.process_name,
                    case_title=row.title,
                    actor=_name(people, last.user) if last is not None else "",
                )
            )
        return out

    def _digest_users(
        self,
        conn: Connection,
        now: datetime,
        people: Mapping[str, Recipient],
        channels: Mapping[tuple[str, Kind], Channel],
    ) -> list[str]:
        """Who gets today's digest now: it is on, mail is set up, the hour has come, and
        today's has not gone out yet."""
        if self.inbox is None or self.settings.mail is None:
            return []
        local = now.astimezone(ZoneInfo(self.settings.timezone))
        if local.hour < self.settings.digest_hour:
            return []
        wanted = [
            name
            for name, person in people.items()
            if person.email and channels.get((name, Kind.DIGEST), DEFAULT_CHANNELS[Kind.DIGEST])
            .by_email
        ]
        if not wanted:
            return []
        done = set(
            conn.execute(
                sa.select(notifications.c.username).where(
                    notifications.c.kind == Kind.DIGEST,
                    notifications.c.ref == local.date().isoformat(),
                    notifications.c.username.in_(wanted),
                )
            ).scalars()
        )
        return [name for name in wanted if name not in done]

    def _digests(self, names: Iterable[str], now: datetime) -> list[Notice]:
        if self.inbox is None:
            return []
        day = now.astimezone(ZoneInfo(self.settings.timezone)).date().isoformat()
        out: list[Notice] = []
        for name in names:
            content = self.inbox(name, now)
            if content.total:  # nothing open: no mail
                out.append(Notice(kind=Kind.DIGEST, username=name, ref=day,
                                  digest=content.lines, digest_total=content.total))  # fmt: skip
        return out

    # -- recording -------------------------------------------------------------------------

    def _record(
        self,
        notices: list[Notice],
        people: Mapping[str, Recipient],
        channels: Mapping[tuple[str, Kind], Channel],
        now: datetime,
    ) -> int:
        """Insert each notice once (a conflict means another pass did: skip it) and queue
        the mail of those this pass inserted. The letters are written before any lock is
        taken, and the rows go in transactions of :data:`WRITE_CHUNK`, so a pass with
        thousands to record never holds the write lock for long."""
        mail = self.settings.mail is not None
        prepared: list[tuple[dict[str, Any], Letter | None, bool]] = []
        for notice in notices:
            person = people.get(notice.username)
            channel = channels.get((notice.username, notice.kind), DEFAULT_CHANNELS[notice.kind])
            letter = None
            if mail and person is not None and person.email and channel.by_email:
                letter = self.composer.letter(notice, person, now)
            values = dict(
                username=notice.username,
                kind=notice.kind.value,
                ref=notice.ref,
                instance_id=notice.instance_id,
                task_id=notice.task_id,
                title=notice.title[:500],
                process_name=notice.process_name[:300],
                case_title=notice.case_title[:500],
                actor=notice.actor[:80],
                comment=notice.comment,
                due=notice.due,
                in_app=channel.in_app and person is not None,
                created_at=now,
            )
            prepared.append((values, letter, person is not None))
        recorded = 0
        for start in range(0, len(prepared), WRITE_CHUNK):
            with self.store.begin() as conn:
                insert = _insert_ignoring_duplicates(conn)
                for values, letter, someone in prepared[start : start + WRITE_CHUNK]:
                    new_id = conn.execute(insert, values).scalar()
                    if new_id is None or not someone:  # another pass's, or the sentinel
                        continue
                    recorded += 1
                    if letter is not None:
                        enqueue(conn, new_id, letter, now)
        return recorded


@dataclass(frozen=True)
class PassReport:
    """One worker pass: notifications recorded and what the outbox did."""

    recorded: int
    mail: SendReport


class NotificationPass:
    """Derive, then send: what ``alur worker`` runs after the timers."""

    def __init__(self, notifier: Notifier, outbox: Outbox) -> None:
        self.notifier = notifier
        self.outbox = outbox
        mail = notifier.settings.mail
        self.mailer = Mailer(mail) if mail is not None else None

    @classmethod
    def from_env(cls, runtime: Any, environ: Mapping[str, str] | None = None) -> NotificationPass:
        """Settings from the environment (the worker runs without the web app's config)."""
        settings = NotifySettings.from_mapping(os.environ if environ is None else environ)
        store = runtime.store
        notifier = Notifier(store, settings, runtime_inbox(runtime), lambda: runtime.clock())
        return cls(notifier, Outbox(store))

    def run(self, now: datetime | None = None) -> PassReport:
        now = now or self.notifier.clock()
        recorded = self.notifier.derive(now)
        sent = self.outbox.send_due(self.mailer, now) if self.mailer else SendReport()
        return PassReport(recorded, sent)


# -- helpers ---------------------------------------------------------------------------------


def _unannounced_ready(
    conn: Connection, kinds: tuple[Kind, ...], *window: Any, order: tuple[Any, ...]
) -> list[Any]:
    """Ready task rows in ``window`` that no notification of ``kinds`` names yet, a batch
    at a time in ``order``: what every task-derived kind starts from."""
    return list(
        conn.execute(
            sa.select(tasks)
            .where(tasks.c.state == TaskState.READY, *window, ~_announced(kinds, tasks.c.id))
            .order_by(*order)
            .limit(BATCH)
        ).all()
    )


def _announced(kinds: tuple[Kind, ...], ref: Any) -> Any:
    """EXISTS a notification of ``kinds`` about ``ref`` (an index lookup on the unique key)."""
    return (
        sa.select(notifications.c.id)
        .where(notifications.c.kind.in_([k.value for k in kinds]), notifications.c.ref == ref)
        .exists()
    )


def _insert_ignoring_duplicates(conn: Connection) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: the id, or None when the row exists.
    Built once per dialect, so SQLAlchemy compiles it once."""
    found = _INSERTS.get(conn.dialect.name)
    if found is None:
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            found = pg_insert(notifications).on_conflict_do_nothing()
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            found = sqlite_insert(notifications).on_conflict_do_nothing()
        found = found.returning(notifications.c.id)
        _INSERTS[conn.dialect.name] = found
    return found


_INSERTS: dict[str, Any] = {}


def _recipients(conn: Connection) -> dict[str, Recipient]:
    """Every active user, by name (a few hundred rows: read once per pass)."""
    display = users.c.get("display_name")
    columns: list[Any] = [users.c.username, users.c.full_name, users.c.email, users.c.roles,
                          users.c.language]  # fmt: skip
    if display is not None:  # the "people" work adds display names; use them when present
        columns.append(display.label("display_name"))
    out: dict[str, Recipient] = {}
    for row in conn.execute(sa.select(*columns).where(users.c.active.is_(True))):
        name = getattr(row, "display_name", "") or row.full_name or row.username
        out[row.username] = Recipient(
            username=row.username,
            name=name,
            email=row.email or "",
            language=row.language or "id",
            roles=frozenset(json.loads(row.roles or "[]")),
        )
    return out


def _task_people(row: Any, people: Mapping[str, Recipient]) -> list[Recipient]:
    """Who a task is for: its assignee, else every holder of its lane."""
    if row.assignee:
        person = people.get(row.assignee)
        return [person] if person is not None else []
    return [p for p in people.values() if row.role in p.roles]


def _task_notice(kind: Kind, row: Any) -> Notice:
    return Notice(
        kind=kind,
        username=NOBODY,
        ref=row.id,
        instance_id=row.instance_id,
        task_id=row.id,
        title=row.name,
        process_name=row.process_name,
        case_title=row.instance_title,
        role=row.role,
        due=row.due,
    )


def _last_completion(conn: Connection, instance_id: int, at: datetime) -> Any:
    """The latest start or completion in the case up to ``at``: who moved it on last (user,
    comment)."""
    return conn.execute(
        sa.select(audit.c.user, audit.c.comment)
        .where(audit.c.instance_id == instance_id, audit.c.action.in_(("start", "complete")),
               audit.c.at <= at)
        .order_by(audit.c.at.desc(), audit.c.id.desc())
        .limit(1)
    ).first()  # fmt: skip


def _previous_doer(conn: Connection, row: Any) -> str | None:
    """Who completed this step of the case before: a task that comes round again was sent
    back (a rejection re-enters the loop through its merge gateway)."""
    return conn.execute(
        sa.select(tasks.c.completed_by)
        .where(tasks.c.instance_id == row.instance_id, tasks.c.element_id == row.element_id,
               tasks.c.state == TaskState.COMPLETED, tasks.c.id != row.id)
        .order_by(tasks.c.completed.desc())
        .limit(1)
    ).scalar()  # fmt: skip


def _name(people: Mapping[str, Recipient], username: str) -> str:
    person = people.get(username)
    return person.name if person is not None else username


__all__ = [
    "DUE_SOON",
    "LOOKBACK",
    "DigestContent",
    "NotificationPass",
    "Notifier",
    "NotifySettings",
    "PassReport",
    "runtime_inbox",
]
