"""The e-mail outbox: letters wait in a table until an SMTP server takes them.

Why a table and not a send at the moment something happens: the SMTP server may be slow or
down, and a completion must neither wait for it nor fail because of it. Letters are queued in
the same transaction that records their notification and sent by the worker's pass; a failed
try is retried with growing pauses (1, 2, 4 … minutes, at most an hour apart) until
:attr:`Outbox.max_attempts`, after which the letter is kept as failed with its last error.

Several workers may send at once: a letter is *leased* (its next try moved a few minutes
ahead) in a short transaction before the SMTP conversation, with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two workers do not send the same letter; no transaction is open while talking
to the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.mail import Letter, Mailer, MailError
from engine.store import Store, outbox


class MailStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) try
    SENT = "sent"
    FAILED = "failed"  # refused for good, or out of tries: ``last_error`` says why


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    notification_id: int
    recipient: str
    subject: str
    body: str
    status: MailStatus
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str


@dataclass(frozen=True)
class SendReport:
    """What one :meth:`Outbox.send_due` did."""

    sent: int = 0
    retrying: int = 0  # failed this time, will be tried again
    failed: int = 0  # given up on
    error: str = ""  # the last error met, for the worker's log


def enqueue(conn: Connection, notification_id: int, letter: Letter, now: datetime) -> None:
    """Queue ``letter`` inside the caller's transaction (the one recording the notification)."""
    conn.execute(
        _INSERT,
        dict(
            notification_id=notification_id,
            recipient=letter.recipient,
            subject=letter.subject,
            body=letter.body,
            status=MailStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            last_error="",
        ),
    )


_INSERT = outbox.insert()


class Outbox:
    """Sends the letters that are due, one short transaction before and one after each batch."""

    def __init__(
        self,
        store: Store,
        *,
        max_attempts: int = 20,
        first_pause: timedelta = timedelta(minutes=1),
        longest_pause: timedelta = timedelta(hours=1),
        lease: timedelta = timedelta(minutes=5),
        batch: int = 50,
    ) -> None:
        """20 tries an hour apart at most: an SMTP server down for most of a day loses
        nothing."""
        self.store = store
        self.max_attempts = max_attempts
        self.first_pause = first_pause
        self.longest_pause = longest_pause
        self.lease = lease
        self.batch = batch

    def pause(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed try."""
        return min(self.first_pause * (2 ** max(attempts - 1, 0)), self.longest_pause)

    def send_due(self, mailer: Mailer, now: datetime) -> SendReport:
        """Send every pending letter whose time has come, over one SMTP connection."""
        rows = self._lease(now)
        if not rows:
            return SendReport()
        outcome: dict[int, MailError | None] = {}
        try:
            with mailer.session() as session:
                for row in rows:
                    try:
                        session.send(Letter(row.recipient, row.subject, row.body))
                        outcome[row.id] = None
                    except MailError as exc:
                        outcome[row.id] = exc
                        if not exc.permanent:  # the connection is likely gone: stop here
                            break
        except MailError as exc:  # could not connect or log in: every letter waits
            for row in rows:
                outcome.setdefault(row.id, exc)
        return self._record(rows, outcome, now)

    def _lease(self, now: datetime) -> list[Any]:
        query = (
            sa.select(outbox.c.id, outbox.c.recipient, outbox.c.subject, outbox.c.body,
                      outbox.c.attempts)
            .where(outbox.c.status == MailStatus.PENDING, outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(self.batch)
        )  # fmt: skip
        if self.store.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        with self.store.begin() as conn:
            rows = list(conn.execute(query).all())
            if rows:
                conn.execute(
                    outbox.update()
                    .where(outbox.c.id.in_([r.id for r in rows]))
                    .values(next_attempt_at=now + self.lease)
                )
        return rows

    def _record(
        self, rows: list[Any], outcome: dict[int, MailError | None], now: datetime
    ) -> SendReport:
        sent = retrying = failed = 0
        error = ""
        with self.store.begin() as conn:
            for row in rows:
                where = outbox.update().where(outbox.c.id == row.id)
                if row.id not in outcome:  # not tried (the batch stopped): next pass
                    conn.execute(where.values(next_attempt_at=now))
                    continue
                exc = outcome[row.id]
                attempts = row.attempts + 1
                if exc is None:
                    conn.execute(where.values(status=MailStatus.SENT, sent_at=now,
                                              attempts=attempts, last_error=""))  # fmt: skip
                    sent += 1
                    continue
                error = str(exc)
                if exc.permanent or attempts >= self.max_attempts:
                    conn.execute(where.values(status=MailStatus.FAILED, attempts=attempts,
                                              last_error=error[:2000]))  # fmt: skip
                    failed += 1
                else:
                    conn.execute(
                        where.values(attempts=attempts, last_error=error[:2000],
                                     next_attempt_at=now + self.pause(attempts))
                    )  # fmt: skip
                    retrying += 1
        return SendReport(sent, retrying, failed, error)

    def entries(self, status: MailStatus | None = None) -> list[OutboxEntry]:
        """The queue as it stands (oldest first), for operators and tests."""
        query = sa.select(outbox).order_by(outbox.c.id)
        if status is not None:
            query = query.where(outbox.c.status == status)
        with self.store.begin(write=False) as conn:
            return [
                OutboxEntry(
                    id=r.id,
                    notification_id=r.notification_id,
                    recipient=r.recipient,
                    subject=r.subject,
                    body=r.body,
                    status=MailStatus(r.status),
                    attempts=r.attempts,
                    next_attempt_at=r.next_attempt_at,
                    sent_at=r.sent_at,
                    last_error=r.last_error or "",
                )
                for r in conn.execute(query)
            ]


__all__ = ["MailStatus", "Outbox", "OutboxEntry", "SendReport", "enqueue"]
