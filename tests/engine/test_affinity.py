"""ALUR_CPU_CORE: a process and its PostgreSQL backends kept on one core, or neither of them
(``engine.affinity``: pinning one side alone is slower than no pinning at all)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from engine import affinity
from engine.affinity import CPU_CORE_ENV, CorePin, core_setting
from tests.engine.conftest import PG_SERVER, pg_available

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Calls:
    """The affinity calls a pin made, and its notices."""

    made: list[tuple[int, set[int]]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    refuse_backends: bool = False

    def setaffinity(self, pid: int, cores: set[int]) -> None:
        if pid and self.refuse_backends:
            raise PermissionError(1, "Operation not permitted")
        self.made.append((pid, set(cores)))

    def pin(self, core: int = 0) -> CorePin:
        return CorePin(core, warn=self.notices.append, setaffinity=self.setaffinity)


@dataclass
class Info:
    host: str
    backend_pid: int


@dataclass
class FakeConnection:
    info: Info


def test_unset_means_no_pinning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CPU_CORE_ENV, raising=False)
    assert core_setting() is None
    monkeypatch.setenv(CPU_CORE_ENV, "  ")
    assert core_setting() is None


def test_a_core_of_this_machine_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    core = max(os.sched_getaffinity(0))
    monkeypatch.setenv(CPU_CORE_ENV, f" {core} ")
    assert core_setting() == core


@pytest.mark.parametrize("raw", ["satu", "-1", "0,1", "4096"])
def test_a_value_that_is_no_core_here_is_refused_clearly(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv(CPU_CORE_ENV, raw)
    with pytest.raises(ValueError) as refused:
        core_setting()
    text = str(refused.value)
    assert CPU_CORE_ENV in text and "inti CPU" in text and "CPU cores" in text
    assert repr(raw) in text


def test_sqlite_pins_the_process_alone(tmp_path: Path) -> None:
    calls = Calls()
    engine = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    calls.pin(1).hold(engine)
    assert calls.made == [(0, {1})]
    assert calls.notices == []


def test_a_local_backend_joins_the_process_on_its_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(affinity, "_is_server_process", lambda pid: pid == 4242)
    calls = Calls()
    pin = calls.pin(1)
    for host in ("127.0.0.1", "/var/run/postgresql", "localhost"):
        assert pin.pin_backend(FakeConnection(Info(host, 4242)))
    assert calls.made == [(4242, {1})] * 3
    assert not pin.given_back and calls.notices == []


def test_a_remote_server_gives_the_process_pin_back_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(affinity, "_is_server_process", lambda pid: True)
    calls = Calls()
    pin = calls.pin(1)
    pin._before = {0, 1}
    assert not pin.pin_backend(FakeConnection(Info("10.1.2.3", 4242)))
    assert not pin.pin_backend(FakeConnection(Info("10.1.2.3", 4243)))
    assert calls.made == [(0, {0, 1})]  # the process back on every core it had, once
    assert len(calls.notices) == 1 and "10.1.2.3" in calls.notices[0]
    assert "not on this host" in calls.notices[0]


def test_a_local_pid_that_is_no_server_process_is_not_touched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A backend number reported by a server elsewhere (behind a tunnel on the loopback, say)
    may be the number of any process here: only a PostgreSQL process is pinned."""
    monkeypatch.setattr(affinity, "_is_server_process", lambda pid: False)
    calls = Calls()
    pin = calls.pin(0)
    pin._before = {0, 1}
    assert not pin.pin_backend(FakeConnection(Info("127.0.0.1", os.getpid())))
    assert (os.getpid(), {0}) not in calls.made
    assert pin.given_back


def test_no_permission_over_the_backend_gives_the_pin_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(affinity, "_is_server_process", lambda pid: True)
    calls = Calls(refuse_backends=True)
    pin = calls.pin(1)
    pin._before = {0, 1}
    assert not pin.pin_backend(FakeConnection(Info("/run/postgresql", 4242)))
    assert calls.made == [(0, {0, 1})]
    assert len(calls.notices) == 1 and "CAP_SYS_NICE" in calls.notices[0]


def test_a_real_backend_is_recognised_as_a_server_process() -> None:
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn) as conn:
        assert affinity._is_server_process(conn.info.backend_pid)
    assert not affinity._is_server_process(os.getpid())


PROBE = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
from engine.store import Store
store = Store.from_url(sys.argv[2])
with store.engine.connect() as conn:
    pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
print(json.dumps({"me": sorted(os.sched_getaffinity(0)),
                  "backend": sorted(os.sched_getaffinity(pid))}))
"""


def test_store_from_url_pins_the_process_and_its_backend_on_a_local_server() -> None:
    """In a child process (pinning this one would slow the rest of the suite)."""
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    cores = sorted(os.sched_getaffinity(0))
    core = cores[-1]
    env = {**os.environ, CPU_CORE_ENV: str(core)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT), PG_SERVER + "/postgres"],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    seen = json.loads(done.stdout)
    if os.geteuid() == 0:  # may set any process's affinity: both on the core
        assert seen == {"me": [core], "backend": [core]}
        assert done.stderr == ""
    else:  # the server's processes are another user's: neither pinned, and a notice says so
        assert seen["me"] == cores
        assert CPU_CORE_ENV in done.stderr
