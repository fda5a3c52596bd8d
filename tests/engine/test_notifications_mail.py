"""Mail against a real SMTP server on 127.0.0.1 (aiosmtpd, started by the tests).

The message arrives once, to the right person, with the right subject and link; a dead server
never touches a completion: the letter waits in the outbox and goes once the server is up;
a letter refused for good, or out of tries, is kept as failed with its error. Plain SMTP,
STARTTLS and implicit TLS are each spoken to once.
"""

from __future__ import annotations

import email
import socket
import ssl
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from engine.mail import Letter, Mailer, MailError, MailSettings, Security
from engine.notifications import Notifications
from engine.notifier import NotificationPass, Notifier, NotifySettings
from engine.outbox import MailStatus, Outbox
from engine.worker import run_worker
from tests.engine.conftest import SURAT, EngineKit

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

BASE = "https://alur.contoh.go.id"


class Inbox:
    """An aiosmtpd handler keeping what it received; ``refuse`` addresses get a 550."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # fmt: skip
        if address in self.refuse:
            return "550 5.1.1 Pengguna tidak dikenal"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A real SMTP server on a fixed port that a test can start, stop and start again."""

    def __init__(self, port: int, **kwargs: Any) -> None:
        self.port = port
        self.inbox = Inbox(kwargs.pop("refuse", ()))
        self.kwargs = kwargs
        self.controller: Any = None

    def start(self) -> Server:
        self.controller = aiosmtpd.Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                              **self.kwargs)  # fmt: skip
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[Server]:
    server = Server(free_port()).start()
    yield server
    server.stop()


def settings(port: int, security: Security = Security.NONE, **extra: Any) -> MailSettings:
    return MailSettings("127.0.0.1", port, security, "alur@contoh.go.id",
                        sender_name="Alur Dinas", timeout=5.0, **extra)  # fmt: skip


def make_pass(kit: EngineKit, mail: MailSettings, **outbox: Any) -> NotificationPass:
    notify = NotifySettings(BASE, "Asia/Jakarta", 7, mail)
    return NotificationPass(Notifier(kit.store, notify, clock=kit.clock),
                            Outbox(kit.store, **outbox))  # fmt: skip


def staff_case(kit: EngineKit) -> tuple[Any, str]:
    """Surat Keluar deployed, u1 (Staf) with an address, a case started by the admin: u1 has
    one new task. Returns (instance, task id)."""
    kit.definitions.deploy(SURAT.read_bytes(), SURAT.name, "admin")
    kit.user_per_lane(("Staf", "Kasubbag Umum", "Kepala Dinas"))
    Notifications(kit.store).set_preferences("u1", {}, "u1@contoh.go.id")
    inst = kit.runtime.start("sop_surat_keluar", "admin", title="Surat Edaran 7")
    task = next(t for t in kit.runtime.instance_tasks(inst.id) if t.state == "ready")
    return inst, task.id


def test_the_message_arrives_once_to_the_right_person(kit: EngineKit, smtp: Server) -> None:
    _inst, task_id = staff_case(kit)
    notify = make_pass(kit, settings(smtp.port))
    first = notify.run(kit.clock.now)
    second = notify.run(kit.clock.now)
    assert (first.recorded, first.mail.sent) == (1, 1)
    assert (second.recorded, second.mail.sent) == (0, 0)
    assert len(smtp.inbox.messages) == 1
    to, msg = smtp.inbox.messages[0]
    assert to == ["u1@contoh.go.id"]
    assert msg["To"] == "u1@contoh.go.id"
    assert msg["From"] == "Alur Dinas <alur@contoh.go.id>"
    assert msg["Subject"] == "Tugas baru: Menyusun konsep surat"
    body = msg.get_payload(decode=True).decode()
    assert f"{BASE}/tugas/{task_id}" in body
    assert "Surat Edaran 7" in body and "Staf" in body
    (entry,) = Outbox(kit.store).entries()
    assert entry.status == MailStatus.SENT and entry.attempts == 1 and entry.sent_at is not None


def test_a_dead_server_neither_blocks_nor_fails_a_completion(kit: EngineKit) -> None:
    port = free_port()  # nothing listens here yet
    _inst, task_id = staff_case(kit)
    notify = make_pass(kit, settings(port))
    report = notify.run(kit.clock.now)  # the worker's pass meets the dead server
    assert report.mail.retrying == 1 and report.mail.sent == 0
    started = time.monotonic()
    done = kit.runtime.complete(task_id, "u1")  # work goes on while the mail waits
    assert time.monotonic() - started < 5
    assert done.task.state == "completed"
    (entry,) = Outbox(kit.store).entries()
    assert entry.status == MailStatus.PENDING and entry.attempts == 1
    assert "tidak dapat dihubungi" in entry.last_error
    assert notify.run(kit.clock.now).mail == notify.run(kit.clock.now).mail  # waits its pause
    assert Outbox(kit.store).entries()[0].attempts == 1
    server = Server(port).start()
    try:
        kit.clock.advance(minutes=2)
        assert notify.run(kit.clock.now).mail.sent == 1
        kit.clock.advance(minutes=10)
        notify.run(kit.clock.now)
    finally:
        server.stop()
    assert [m["Subject"] for _, m in server.inbox.messages] == ["Tugas baru: Menyusun konsep surat"]
    (entry,) = Outbox(kit.store).entries()
    assert entry.status == MailStatus.SENT and entry.attempts == 2 and entry.last_error == ""


def test_the_worker_sends_and_survives_a_dead_server(kit: EngineKit, smtp: Server) -> None:
    staff_case(kit)
    logged: list[str] = []
    dead = make_pass(kit, settings(free_port()))
    run_worker(kit.runtime, once=True, now=kit.clock, notify=dead, log=logged.append)
    assert any("dicoba lagi" in line for line in logged)
    kit.clock.advance(minutes=2)
    run_worker(kit.runtime, once=True, now=kit.clock, notify=make_pass(kit, settings(smtp.port)),
               log=logged.append)  # fmt: skip
    assert "1 surel terkirim" in logged
    assert len(smtp.inbox.messages) == 1


def test_the_worker_builds_its_pass_from_the_environment(
    kit: EngineKit, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    _inst, task_id = staff_case(kit)
    for name, value in {"ALUR_SMTP_HOST": "127.0.0.1", "ALUR_SMTP_PORT": str(smtp.port),
                        "ALUR_SMTP_SECURITY": "none", "ALUR_SMTP_SENDER": "alur@contoh.go.id",
                        "ALUR_BASE_URL": "https://alur.lain.go.id/"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    run_worker(kit.runtime, once=True)
    (_to, msg), = smtp.inbox.messages
    assert f"https://alur.lain.go.id/tugas/{task_id}" in msg.get_payload(decode=True).decode()


def test_out_of_tries_the_letter_is_kept_failed_with_its_error(kit: EngineKit) -> None:
    staff_case(kit)
    notify = make_pass(kit, settings(free_port()), max_attempts=3)
    for _ in range(5):
        notify.run(kit.clock.now)
        kit.clock.advance(hours=2)
    (entry,) = Outbox(kit.store).entries()
    assert entry.status == MailStatus.FAILED and entry.attempts == 3
    assert "tidak dapat dihubungi" in entry.last_error


def test_the_pause_between_tries_grows_to_an_hour(kit: EngineKit) -> None:
    outbox = Outbox(kit.store)
    assert [outbox.pause(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert outbox.pause(12) == timedelta(hours=1)


def test_a_refused_address_is_not_tried_again_and_others_still_go(kit: EngineKit) -> None:
    server = Server(free_port(), refuse=("u1@contoh.go.id",)).start()
    try:
        staff_case(kit)
        notify = make_pass(kit, settings(server.port))
        assert notify.run(kit.clock.now).mail.failed == 1
        kit.users.add("staf2", ["Staf"])
        Notifications(kit.store).set_preferences("staf2", {}, "staf2@contoh.go.id")
        kit.runtime.start("sop_surat_keluar", "admin", title="Surat 8")
        kit.clock.advance(minutes=5)
        report = notify.run(kit.clock.now)
    finally:
        server.stop()
    assert report.mail.failed == 1 and report.mail.sent == 1  # u1 refused, staf2 took it
    assert [to for to, _ in server.inbox.messages] == [["staf2@contoh.go.id"]]
    failed = Outbox(kit.store).entries(MailStatus.FAILED)
    assert {e.recipient for e in failed} == {"u1@contoh.go.id"}
    assert all(e.attempts == 1 and "550" in e.last_error for e in failed)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (key, cert)."""
    x509 = pytest.importorskip("cryptography.x509")
    import ipaddress

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    folder = tmp_path_factory.mktemp("tls")
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[1]), str(certificate[0]))
    return context


LETTER = Letter("u1@contoh.go.id", "Uji TLS", "Isi surat\n")


def test_starttls_is_spoken_and_the_certificate_checked(certificate: tuple[Path, Path]) -> None:
    server = Server(free_port(), tls_context=_server_context(certificate),
                    require_starttls=True).start()  # fmt: skip
    try:
        with Mailer(settings(server.port, Security.STARTTLS, ca_file=str(certificate[1]))
                    ).session() as session:  # fmt: skip
            session.send(LETTER)
        unknown_ca = Mailer(settings(server.port, Security.STARTTLS))
        with pytest.raises(MailError, match="menolak sambungan"), unknown_ca.session() as s:
            s.send(LETTER)  # an unknown CA: refused before anything is sent
        plain = Mailer(settings(server.port))
        with pytest.raises(MailError), plain.session() as s:
            s.send(LETTER)  # a server requiring STARTTLS takes no plain mail
    finally:
        server.stop()
    assert [m["Subject"] for _, m in server.inbox.messages] == ["Uji TLS"]


def test_implicit_tls(certificate: tuple[Path, Path]) -> None:
    server = Server(free_port(), ssl_context=_server_context(certificate)).start()
    try:
        with Mailer(settings(server.port, Security.TLS, ca_file=str(certificate[1]))
                    ).session() as session:  # fmt: skip
            session.send(LETTER)
    finally:
        server.stop()
    assert [m["Subject"] for _, m in server.inbox.messages] == ["Uji TLS"]


@pytest.mark.parametrize(
    ("values", "message"),
    [({"ALUR_SMTP_HOST": "h", "ALUR_SMTP_SECURITY": "ssl"}, "ALUR_SMTP_SECURITY"),
     ({"ALUR_SMTP_HOST": "h", "ALUR_SMTP_PORT": "x", "ALUR_SMTP_SENDER": "a@b.id"}, "angka"),
     ({"ALUR_SMTP_HOST": "h"}, "alamat pengirim")],
)  # fmt: skip
def test_wrong_settings_get_an_indonesian_message(values: dict[str, str], message: str) -> None:
    from engine.errors import BadInput

    with pytest.raises(BadInput, match=message):
        MailSettings.from_mapping(values)


def test_settings_defaults() -> None:
    assert MailSettings.from_mapping({}) is None  # no host: no mail
    tls = MailSettings.from_mapping({"ALUR_SMTP_HOST": "smtp.go.id", "ALUR_SMTP_SECURITY": "TLS",
                                     "ALUR_SMTP_USER": "alur@go.id"})  # fmt: skip
    assert tls is not None
    assert (tls.port, tls.sender, tls.sender_name) == (465, "alur@go.id", "Alur")
    plain = MailSettings.from_mapping({"ALUR_SMTP_HOST": "smtp.go.id",
                                       "ALUR_SMTP_SENDER": "a@b.id"})  # fmt: skip
    assert plain is not None and (plain.port, plain.security) == (587, Security.STARTTLS)
