"""Sending e-mail: the SMTP settings and one connection that sends a batch of messages.

Why a wrapper over :mod:`smtplib`: the three ways an office server wants to be spoken to
(STARTTLS on 587, implicit TLS on 465, plain inside a trusted network) and the sender's name
are settings, not code, and the outbox needs one distinction the library does not make for
it: an error that will pass (server down, timeout, 4xx) is retried, one that will not (the
server refuses the recipient or the sender with a 5xx) is not.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from enum import StrEnum
from typing import Any

from engine.errors import BadInput


class Security(StrEnum):
    """How the SMTP connection is protected (``ALUR_SMTP_SECURITY``)."""

    STARTTLS = "starttls"  # plain connect, then STARTTLS (port 587); the default
    TLS = "tls"  # TLS from the first byte (implicit TLS, port 465)
    NONE = "none"  # no TLS: only for a relay inside a trusted network


DEFAULT_PORTS = {Security.STARTTLS: 587, Security.TLS: 465, Security.NONE: 25}

SETTING_NAMES = (
    "ALUR_SMTP_HOST",
    "ALUR_SMTP_PORT",
    "ALUR_SMTP_SECURITY",
    "ALUR_SMTP_USER",
    "ALUR_SMTP_PASSWORD",
    "ALUR_SMTP_SENDER",
    "ALUR_SMTP_SENDER_NAME",
    "ALUR_SMTP_CA_FILE",
    "ALUR_SMTP_TIMEOUT",
)
"""The settings an operator sets (environment or app config); README lists their meaning."""


@dataclass(frozen=True)
class MailSettings:
    """Where and as whom mail is sent. ``None`` from :meth:`from_mapping` means: no mail."""

    host: str
    port: int
    security: Security
    sender: str
    sender_name: str = "Alur"
    user: str = ""
    password: str = ""
    ca_file: str = ""  # a CA bundle for an office's own certificate authority
    timeout: float = 10.0  # seconds: a hanging server must not hold the worker up for long

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> MailSettings | None:
        """Read the ``ALUR_SMTP_*`` names of :data:`SETTING_NAMES` (an environment or an app
        config); None when no host is set. Wrong values are :class:`BadInput` in Indonesian."""

        def text(name: str) -> str:
            return str(values.get(name) or "").strip()

        host = text("ALUR_SMTP_HOST")
        if not host:
            return None
        try:
            security = Security(text("ALUR_SMTP_SECURITY").lower() or Security.STARTTLS)
        except ValueError:
            choices = ", ".join(s.value for s in Security)
            raise BadInput(
                f"ALUR_SMTP_SECURITY harus salah satu dari {choices}: "
                f"{text('ALUR_SMTP_SECURITY')!r}"
            ) from None
        try:
            port = int(text("ALUR_SMTP_PORT") or DEFAULT_PORTS[security])
            timeout = float(text("ALUR_SMTP_TIMEOUT") or 10.0)
        except ValueError:
            raise BadInput("ALUR_SMTP_PORT dan ALUR_SMTP_TIMEOUT harus berupa angka") from None
        if not 0 < port < 65536 or timeout <= 0:
            raise BadInput(f"Port SMTP {port} atau batas waktu {timeout} tidak sah")
        sender = text("ALUR_SMTP_SENDER") or text("ALUR_SMTP_USER")
        if "@" not in sender:
            raise BadInput("ALUR_SMTP_SENDER (alamat pengirim) harus berupa alamat surel")
        return cls(
            host=host,
            port=port,
            security=security,
            sender=sender,
            sender_name=text("ALUR_SMTP_SENDER_NAME") or "Alur",
            user=text("ALUR_SMTP_USER"),
            password=str(values.get("ALUR_SMTP_PASSWORD") or ""),
            ca_file=text("ALUR_SMTP_CA_FILE"),
            timeout=timeout,
        )


@dataclass(frozen=True)
class Letter:
    """One e-mail to send: the outbox hands these to :meth:`Mailer.session`."""

    recipient: str
    subject: str
    body: str


class MailError(Exception):
    """Sending failed; ``permanent`` when trying again cannot help (refused by the server)."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Mailer:
    """Opens SMTP connections with :class:`MailSettings` and sends :class:`Letter` s."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def message(self, letter: Letter) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = formataddr((self.settings.sender_name, self.settings.sender))
        msg["To"] = letter.recipient
        msg["Subject"] = letter.subject
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain=self.settings.sender.rsplit("@", 1)[1])
        msg.set_content(letter.body)
        return msg

    @contextmanager
    def session(self) -> Iterator[_Session]:
        """One connection (connected, secured, logged in) for a batch of letters.

        A failure to connect or log in is a (retryable) :class:`MailError`."""
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file or None)
        try:
            smtp: smtplib.SMTP
            if s.security == Security.TLS:
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"Server SMTP {s.host}:{s.port} tidak dapat dihubungi: {exc}") from exc
        try:
            try:
                if s.security == Security.STARTTLS:
                    smtp.starttls(context=context)
                if s.user:
                    smtp.login(s.user, s.password)
            except (OSError, smtplib.SMTPException) as exc:
                raise MailError(f"Server SMTP {s.host}:{s.port} menolak sambungan: {exc}") from exc
            yield _Session(self, smtp)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


class _Session:
    def __init__(self, mailer: Mailer, smtp: smtplib.SMTP) -> None:
        self._mailer = mailer
        self._smtp = smtp

    def send(self, letter: Letter) -> None:
        """Send one letter; :class:`MailError` (``permanent`` for a 5xx refusal) if not."""
        try:
            self._smtp.send_message(self._mailer.message(letter))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise MailError(
                f"Alamat {letter.recipient} ditolak server: {exc.recipients}",
                permanent=all(c >= 500 for c in codes),
            ) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise MailError(f"Server menolak surel: {exc}", permanent=exc.smtp_code >= 500) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"Pengiriman terputus: {exc}") from exc


__all__ = ["SETTING_NAMES", "Letter", "MailError", "MailSettings", "Mailer", "Security"]
