"""Two ``alur serve`` and two ``alur worker`` processes on one PostgreSQL (docs/deployment.md).

The web tier must hold no state of its own: whichever process answers, the session is the
same (signed cookie + the session generation in the database), the CSRF token of a page from
one process is good on the other, a logout ends the session on both, failed logins are
counted once for both (``login_failures``), an attachment uploaded through one process is
served by the other (one shared upload folder), and neither shows a stale inbox. Two workers
race over the same due timer, and it fires exactly once.

Each process gets its own instance folder, so nothing can be shared through it by accident.
Skipped with a message where PostgreSQL cannot be reached.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = os.environ.get("ALUR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_DB = "alur_engine_test"
SURAT = (ROOT / "tests" / "engine" / "fixtures" / "surat_keluar.bpmn").read_bytes()
# the boundary timer of "Mengirim surat" due two seconds after the task is reached
SURAT_FAST_TIMER = SURAT.replace(b">P3D<", b">PT2S<")
PASSWORD = "rahasia-bersama-1"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _dsn() -> str:
    return PG_SERVER.replace("postgresql+psycopg://", "postgresql://")


def _pg_reason() -> str | None:
    try:
        import psycopg

        with psycopg.connect(_dsn() + "/postgres", autocommit=True, connect_timeout=3) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,)).fetchone():
                return None
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
        return None
    except Exception as exc:  # any failure means: no usable server here
        return f"PostgreSQL tidak tersedia di {PG_SERVER}: {type(exc).__name__}"


@dataclass
class Browser:
    """One person's browser, reduced: cookies kept across whichever process it talks to."""

    cookies: dict[str, str]

    def request(self, port: int, method: str, path: str, body: bytes | None = None,
                content_type: str = "") -> tuple[int, str, bytes]:  # fmt: skip
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers.get("Location", ""), data
        finally:
            conn.close()

    def get(self, port: int, path: str) -> tuple[int, str, str]:
        status, location, data = self.request(port, "GET", path)
        return status, location, data.decode("utf-8", "replace")

    def post(self, port: int, path: str, form: dict[str, str]) -> tuple[int, str, str]:
        status, location, data = self.request(
            port, "POST", path, urlencode(form).encode(), "application/x-www-form-urlencoded"
        )
        return status, location, data.decode("utf-8", "replace")

    def token(self, port: int, path: str = "/kotak-masuk") -> str:
        status, _, page = self.get(port, path)
        found = _TOKEN.search(page)
        assert status == 200 and found, (status, path)
        return found.group(1)

    def login(self, port: int, username: str, password: str = PASSWORD) -> int:
        token = self.token(port, "/masuk")
        form = {"username": username, "password": password, "csrf_token": token}
        return self.post(port, "/masuk", form)[0]


@dataclass(frozen=True)
class Cluster:
    url: str
    web: tuple[int, int]
    uploads: Path
    logs: tuple[Path, ...]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alur() -> list[str]:
    script = Path(sys.executable).with_name("alur")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from webui.cli import main; sys.exit(main())"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    reason = _pg_reason()
    if reason:
        pytest.skip(reason)
    import psycopg

    from engine.definitions import Definitions
    from engine.store import Store
    from engine.users import Users

    schema = f"t_multi_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_dsn() + "/" + PG_DB, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_SERVER}/{PG_DB}?options=-csearch_path%3D{schema}"
    store = Store.from_url(url)
    store.upgrade()
    Definitions(store).deploy(SURAT_FAST_TIMER, "surat.bpmn", "analis")
    users = Users(store)
    for name, lane in (("staf", "Staf"), ("kasubbag", "Kasubbag Umum"), ("kadis", "Kepala Dinas")):
        users.add(name, [lane], password=PASSWORD)
    store.dispose()

    base = tmp_path_factory.mktemp("multi-host")
    uploads = base / "shared-uploads"  # the one folder every web process writes and reads
    library = base / "bpmn"  # nothing to deploy: the database has its process
    library.mkdir()
    common = dict(os.environ, ALUR_DATABASE_URL=url, ALUR_SECRET_KEY="satu-kunci-bersama",
                  ALUR_UPLOAD_FOLDER=str(uploads), ALUR_LOGIN_MAX_FAILURES="3",
                  PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")  # fmt: skip
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    ports = (_free_port(), _free_port())

    def spawn(name: str, args: list[str]) -> None:
        folder = base / name  # its own instance folder: nothing shared through it
        folder.mkdir()
        log = folder / "log.txt"
        env = dict(common, ALUR_INSTANCE_PATH=str(folder))
        with log.open("wb") as out:
            procs.append(subprocess.Popen([*_alur(), *args], cwd=folder, stdout=out,
                                          stderr=subprocess.STDOUT, env=env))  # fmt: skip
        logs.append(log)

    try:
        for i, port in enumerate(ports):
            spawn(f"web{i}", ["serve", "--port", str(port), "--bpmn-dir", str(library),
                              "--threads", "4"])  # fmt: skip
        for i in range(2):
            spawn(f"worker{i}", ["worker", "--interval", "0.5"])
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                try:
                    if Browser({}).get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                dead = [log for p, log in zip(procs, logs, strict=True) if p.poll() is not None]
                if dead or time.monotonic() > deadline:
                    text = "\n".join(log.read_text() for log in dead or logs)
                    raise RuntimeError("proses alur tidak mulai:\n" + text)
                time.sleep(0.2)
        yield Cluster(url=url, web=ports, uploads=uploads, logs=tuple(logs))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        with psycopg.connect(_dsn() + "/" + PG_DB, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _runtime(cluster: Cluster):  # type: ignore[no-untyped-def]
    from engine.definitions import Definitions
    from engine.runtime import Runtime
    from engine.store import Store

    store = Store.from_url(cluster.url)
    return store, Runtime(store, Definitions(store))


def _multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + data + b"\r\n"
    )  # fmt: skip
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_session_csrf_token_upload_and_logout_hold_on_either_process(cluster: Cluster) -> None:
    a, b = cluster.web
    store, runtime = _runtime(cluster)
    try:
        instance = runtime.start("sop_surat_keluar", "staf", title="Surat lintas server")
        task = runtime.instance_tasks(instance.id)[0]
    finally:
        store.dispose()
    browser = Browser({})
    assert browser.login(a, "staf") == 302
    status, location, page = browser.get(b, "/kotak-masuk")  # logged in on A, answered by B
    assert status == 200 and "Surat lintas server" in page, (status, location)
    token = browser.token(a, f"/tugas/{task.id}")  # A's page, B's form handling
    body, content_type = _multipart({"csrf_token": token}, "attachments", "nota.pdf", PDF)
    status, location, _ = browser.request(b, "POST", f"/tugas/{task.id}/selesai", body,
                                          content_type)  # fmt: skip
    assert status == 302 and location.endswith("/kotak-masuk"), (status, location)
    stored = [p for p in cluster.uploads.rglob("*nota.pdf")]
    assert len(stored) == 1
    # A shows the case without the finished task, and serves the file B stored
    assert f"/tugas/{task.id}" not in browser.get(a, "/kotak-masuk")[2]
    name = stored[0].name
    status, _, data = browser.request(a, "GET", f"/lampiran/{instance.id}/{name}")
    assert status == 200 and data == PDF
    # a logout through B ends the session on A too (the cookie alone no longer logs in)
    assert browser.post(b, "/keluar", {"csrf_token": browser.token(b)})[0] == 302
    stale = Browser(dict(browser.cookies))
    status, location, _ = stale.get(a, "/kotak-masuk")
    assert status == 302 and "/masuk" in location


def test_failed_logins_are_counted_once_for_every_process(cluster: Cluster) -> None:
    a, b = cluster.web
    guesser = Browser({})
    assert guesser.login(a, "kadis", "salah-1") == 401
    assert guesser.login(b, "kadis", "salah-2") == 401
    assert guesser.login(a, "kadis", "salah-3") == 401  # the third, the limit of this cluster
    for port in (b, a):  # refused on both, even with the right password
        assert Browser({}).login(port, "kadis") == 429


def test_two_workers_fire_a_due_timer_exactly_once(cluster: Cluster) -> None:
    from engine.store import audit

    store, runtime = _runtime(cluster)
    try:
        users = {"Staf": "staf", "Kasubbag Umum": "kasubbag", "Kepala Dinas": "kadis"}
        instance = runtime.start("sop_surat_keluar", "staf", title="Surat dengan tenggat")
        for _ in range(10):  # to "Mengirim surat", whose boundary timer is due after 2 s
            ready = [t for t in runtime.instance_tasks(instance.id) if t.state == "ready"]
            if any(t.element_id == "step_5" for t in ready):
                break
            for t in ready:
                decision = "setuju" if t.allowed_decisions else None
                runtime.complete(t.id, users[t.role], decision=decision)
        assert any(t.element_id == "step_5" and t.state == "ready"
                   for t in runtime.instance_tasks(instance.id))  # fmt: skip
        query = sa.select(sa.func.count()).where(
            audit.c.instance_id == instance.id, audit.c.action == "timer"
        )
        deadline = time.monotonic() + 30
        fired = 0
        while time.monotonic() < deadline:
            with store.begin(write=False) as conn:
                fired = int(conn.execute(query).scalar_one())
            if fired:
                break
            time.sleep(0.3)
        time.sleep(1.5)  # both workers have looked again since
        with store.begin(write=False) as conn:
            fired = int(conn.execute(query).scalar_one())
        assert fired == 1
    finally:
        store.dispose()
    for log in cluster.logs:
        text = log.read_text(errors="replace")
        assert "Traceback" not in text, text[-2000:]
