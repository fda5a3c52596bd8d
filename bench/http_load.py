"""HTTP load against a real ``alur serve`` on 127.0.0.1: p50/p95 at 1, 10 and 50 users.

Not a test: a script that prints figures. It prepares a throw-away store (a temporary SQLite
file, or a fresh schema on ``--url`` PostgreSQL), deploys the bench process, adds one account
per virtual user (all in the lane "Staf") and starts enough cases, then starts ``alur serve``
on a free port of 127.0.0.1 (never another host) and, for each level of concurrency, runs
that many users for ``--seconds``. Each user is a thread with its own keep-alive connection
and session cookie, and loops: the inbox page, a task page, the completion of that task (POST
with the CSRF token, then the inbox it redirects to). Tasks are handed out from one queue, so
no two users race for the same task; when they run out, users only read their inbox.

Bounded: every level stops after ``--seconds``, every request times out after 30 s, and the
server is stopped (SIGTERM, then SIGKILL) however the run ends.

Usage: python bench/http_load.py [--root CODE] [--url URL] [--users 1,10,50] [--seconds 8]
[--tasks 600]
``--root`` (first argument) serves another copy of the code, e.g. a snapshot from before a
change, so two trees are compared on the same machine in turn (the store is prepared by this
one).
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
CODE = Path(sys.argv[2]).resolve() if sys.argv[1:2] == ["--root"] else ROOT
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scratch_store import drop_schemas, fresh_store  # noqa: E402

from engine.definitions import Definitions  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.store import Store  # noqa: E402
from engine.store import users as user_rows  # noqa: E402
from engine.users import Users, hash_password  # noqa: E402

PROCESS = ROOT / "tests" / "engine" / "fixtures" / "surat_keluar.bpmn"
KEY = "sop_surat_keluar"
PASSWORD = "beban-rahasia-1"
HOST = "127.0.0.1"  # the only host this script ever talks to
TIMEOUT = 30.0
INBOX = "/kotak-masuk"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


Reply = tuple[int, str, str]
"""status, Location header, body"""


@dataclass
class Results:
    """Latencies (seconds) per kind of request, and the failures, of one level."""

    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.samples[kind].append(seconds)

    def fail(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Client:
    """One user's browser, reduced: a keep-alive connection and the cookies it was given."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Reply:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text

    def login(self, username: str) -> None:
        status, _, page = self.request("GET", "/masuk")
        found = _TOKEN.search(page)
        assert status == 200 and found, f"halaman masuk: {status}"
        status, _, _ = self.request("POST", "/masuk", {"username": username, "password": PASSWORD,
                                                       "csrf_token": found.group(1)})  # fmt: skip
        assert status == 302, f"masuk {username}: {status}"
        self.remember_token(self.request("GET", "/kotak-masuk")[2])

    def remember_token(self, page: str) -> None:
        found = _TOKEN.search(page)
        if found:
            self.token = found.group(1)

    def close(self) -> None:
        self.conn.close()


def timed(results: Results, kind: str, call: Callable[[], Reply]) -> Reply:
    t0 = time.perf_counter()
    got = call()
    results.add(kind, time.perf_counter() - t0)
    return got


def user_loop(client: Client, work: queue.Queue[str], until: float, results: Results) -> None:
    """Inbox, task page, completion (+ the inbox it redirects to), until the level ends."""
    while time.monotonic() < until:
        try:
            status, _, page = timed(results, "inbox GET", partial(client.request, "GET", INBOX))
            if status != 200:
                results.fail(f"inbox {status}")
                continue
            client.remember_token(page)
            try:
                task_id = work.get_nowait()
            except queue.Empty:
                continue
            task_page = partial(client.request, "GET", f"/tugas/{task_id}")
            status, _, page = timed(results, "task GET", task_page)
            if status != 200:
                results.fail(f"task page {status}")
                continue
            client.remember_token(page)

            def complete() -> Reply:
                got = client.request("POST", f"/tugas/{task_id}/selesai",  # noqa: B023
                                     {"csrf_token": client.token})  # fmt: skip
                if got[0] == 302:
                    return client.request("GET", got[1].replace(f"http://{HOST}", "", 1) or "/")
                return got

            status, _, page = timed(results, "complete POST+redirect", complete)
            if status != 200:
                results.fail(f"complete {status}")
        except (OSError, http.client.HTTPException) as exc:
            results.fail(f"{type(exc).__name__}: {exc}")
            client.close()


def prepare(
    url: str | None, folder: Path, users: int, task_count: int
) -> tuple[Store, str | None, list[str]]:
    store, schema = fresh_store(url, folder / "alur.db")
    definitions = Definitions(store)
    definitions.deploy(PROCESS.read_bytes())
    accounts = Users(store)
    for i in range(users):
        accounts.add(f"beban{i}", ["Staf"])
    with store.begin() as conn:  # one scrypt hash for every account: preparing stays quick
        conn.execute(user_rows.update().values(password_hash=hash_password(PASSWORD)))
    runtime = Runtime(store, definitions)
    task_ids: list[str] = []
    for _ in range(task_count):
        instance = runtime.start(KEY, "beban0")
        task_ids.extend(t.id for t in runtime.instance_tasks(instance.id) if t.role == "Staf")
    return store, schema, task_ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(store_url: str, folder: Path, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    (folder / "bpmn").mkdir(exist_ok=True)  # nothing to deploy: the store has its process
    env = dict(os.environ, ALUR_DATABASE_URL=store_url, ALUR_INSTANCE_PATH=str(folder),
               ALUR_UPLOAD_FOLDER=str(folder / "uploads"), ALUR_SECRET_KEY="beban",
               PYTHONPATH=str(CODE))  # fmt: skip
    alur = Path(sys.executable).with_name("alur")
    command = (
        [str(alur)]
        if alur.exists() and CODE == ROOT
        else [sys.executable, "-c", "import sys; from webui.cli import main; sys.exit(main())"]
    )
    log = (folder / "serve.log").open("wb")
    proc = subprocess.Popen([*command, "serve", "--host", HOST, "--port", str(port),
                             "--bpmn-dir", str(folder / "bpmn"), "--threads", str(threads)],
                            cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            probe = http.client.HTTPConnection(HOST, port, timeout=2)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                probe.close()
                return proc, port
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("alur serve tidak mulai:\n" + (folder / "serve.log").read_text())
        time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def run_level(port: int, users: int, seconds: float, work: queue.Queue[str]) -> Results:
    results = Results()
    clients = []
    for i in range(users):
        client = Client(port)
        client.login(f"beban{i}")
        clients.append(client)
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=user_loop, args=(c, work, until, results), daemon=True)
               for c in clients]  # fmt: skip
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + TIMEOUT + 5)
    wall = time.perf_counter() - t0
    for c in clients:
        c.close()
    total = sum(len(v) for v in results.samples.values())
    failed = ""
    if results.errors:
        failed = f", {len(results.errors)} failed: {sorted(set(results.errors))[:3]}"
    print(f"  {users:>3} users, {wall:4.1f} s: {total / wall:6.1f} requests/s{failed}", flush=True)
    for kind, values in sorted(results.samples.items()):
        p50, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
        print(f"      {kind:<24} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
              f"max {max(values) * 1000:7.1f} ms   (n={len(values)})", flush=True)  # fmt: skip
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(ROOT), help="the code to serve (first argument)")
    parser.add_argument("--url", default=None, help="PostgreSQL URL (default: SQLite file)")
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--tasks", type=int, default=600, help="cases started beforehand")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    args = parser.parse_args()
    levels = [int(x) for x in args.users.split(",")]
    if not levels or min(levels) < 1 or max(levels) > 200 or not 0 < args.seconds <= 120:
        raise SystemExit("--users 1..200, --seconds 0..120")
    folder = Path(tempfile.mkdtemp(prefix="alur-beban-"))
    store, schema, task_ids = prepare(args.url, folder, max(levels), args.tasks)
    store_url = store.engine.url.render_as_string(hide_password=False)
    store.dispose()
    print(f"code: {CODE}; store: {args.url or 'sqlite (temporary file)'}; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {len(task_ids)} tasks; "
          f"waitress threads {args.threads}", flush=True)  # fmt: skip
    work: queue.Queue[str] = queue.Queue()
    for task_id in task_ids:
        work.put(task_id)
    proc, port = start_server(store_url, folder, args.threads)
    try:
        for users in levels:
            run_level(port, users, args.seconds, work)
    finally:
        stop(proc)
        if schema and args.url:
            drop_schemas(args.url, [schema])
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
