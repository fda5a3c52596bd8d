"""``alur serve`` as a subprocess on 127.0.0.1 with a temporary SQLite database, for the
browser tests. Debian's chromium comes from tests/support (never a downloaded browser).

The server gets its own process library (tests/webui/fixtures/iku.bpmn) so the flow does not
depend on what bpmn/ holds today, and every file it writes (database, uploads, secret key)
goes to a temporary folder, never into the repository.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_BPMN = "singkawang-kominfo-penyusunan-iku.bpmn"
SHOTS = Path(os.environ.get("ALUR_SHOTS", "/tmp/alur-shots"))


@dataclass(frozen=True)
class Server:
    url: str
    folder: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alur_command() -> list[str]:
    """The installed ``alur`` entry point beside this Python, else the same via ``-c``."""
    script = Path(sys.executable).with_name("alur")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from webui.cli import main; sys.exit(main())"]


@contextmanager
def serving(folder: Path, library: Path,
            while_starting: Callable[[], None] = lambda: None) -> Iterator[Server]:
    """``alur serve --demo`` on ``library`` with every file it writes in ``folder``; ready when
    ``/healthz`` answers. ``while_starting`` runs meanwhile (slow preparations overlap the
    server's start)."""
    port = _free_port()
    env = dict(
        os.environ,
        ALUR_DATABASE_URL=f"sqlite:///{folder / 'alur.db'}",
        ALUR_UPLOAD_FOLDER=str(folder / "uploads"),
        ALUR_SECRET_KEY="e2e-secret",
        ALUR_INSTANCE_PATH=str(folder),
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
    )
    log = folder / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*_alur_command(), "serve", "--port", str(port), "--demo",
             "--bpmn-dir", str(library), "--threads", "4"],
            cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        while_starting()
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("alur serve did not start:\n" + log.read_text())
            time.sleep(0.1)
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield Server(url=url, folder=folder, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def alur_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("alur-serve")
    library = folder / "bpmn"
    library.mkdir()
    (library / "penyusunan-iku.bpmn").write_bytes(
        (ROOT / "tests" / "webui" / "fixtures" / "iku.bpmn").read_bytes()
    )
    sample = ROOT / "bpmn" / SAMPLE_BPMN
    if sample.exists():  # the library's own process for the sample SOP, as analysts get it
        (library / SAMPLE_BPMN).write_bytes(sample.read_bytes())
    with serving(folder, library) as server:
        yield server
