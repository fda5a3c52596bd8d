"""Issue 14's "workers" row and why it is what it is: completions/s of 2 worker processes / 1,
with the evidence of where a worker's and its database backend's time goes.

Not a test: a script that prints figures (``bench/issue14.py --only workers`` prints the row
through :func:`bench_workers`; run this file for A/B variants).

Two worker processes, A and B, are started once (each in a session of its own: see
:data:`OWN_SESSION`) and given batches: A alone (1 worker), then A and B together (2 workers),
or the other way round, ``pairs`` times. Short alternating batches from the same processes:
the load other programs put on this machine's 2 cores, and the time its disk takes to flush
(0.3 to 5 ms within minutes), change from second to second, and both sides of a pair see the
same moment. Each worker completes its own share of prepared tasks (its own cases, as its own
user: the issue's row is many users completing their own tasks; no row is written by both).
Per side, as medians over the pairs:

- the rate over the whole batch, and while both workers run (with a fixed share each, the one
  that got less CPU finishes last and runs alone at the end: a tail a real queue does not
  have, where the faster worker takes more tasks);
- per completion, a worker's CPU, its wait for a core (``/proc/PID/schedstat``: runnable, not
  running, because the cores are busy) and the rest (asleep: waiting for the database); the
  same for its backends (the one of its pooled connection and the one of the connection its
  store keeps for statements sent alone, summed: a cold completion's read and write go there,
  as a warm one's write does);
- the WAL per completion (``pg_stat_wal``, cluster-wide: another client's writes count too)
  and the time the workers' backends spent flushing it (``track_wal_io_timing``);
- ``--waits``: what the workers' backends wait on, sampled from ``pg_stat_activity`` (row and
  MultiXact locks, buffer and WAL locks, the WAL flush, the client; a worker's backend that
  sends nothing in the batch counts as waiting for the client);
- the machine's own ceiling, measured before each pair by two more processes: a pure-CPU
  Python loop in 2 processes / 1. With other programs using the cores, that is what the
  machine could give two workers at that moment.

Usage: python bench/issue14_workers.py [--root DIR] [--url URL] [--pairs N] [--batch N]
       [--waits [SECONDS]] [--variant NAME=SETTING=VALUE,...]...
A variant runs its workers' sessions with those server settings (libpq ``options``), e.g.
``--variant base= --variant async=synchronous_commit=off``; ``user=shared``: both workers
complete as the same user; ``session=shared``: the processes in the bench's own session (as
before); ``root=DIR``: the workers run that copy of the code (the cases are started by this
process's); ``path=warm``: each worker starts, before each batch and untimed, the cases it
then completes; ``core=pinned``: worker A and its backends on the first core, B and its
backends on the second (``ALUR_CPU_CORE``, :mod:`engine.affinity`). The pairs of all variants
are interleaved.

Which path a completion takes (PostgreSQL): by default the cases are started by the bench
process, so a worker completes a case it did not write last: the cold path (the task and its
case read first, the state deserialized, then the one write statement), as when a user's
completion reaches another web process than the one that wrote the case. ``path=warm``: the
worker wrote the case last (its state cache holds it): one write statement, nothing read,
nothing deserialized.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
CODE = Path(sys.argv[2]).resolve() if sys.argv[1:2] == ["--root"] else ROOT
if str(CODE) not in sys.path:
    sys.path.insert(0, str(CODE))

from engine.runtime import Runtime  # noqa: E402
from engine.store import Store  # noqa: E402
from engine.users import Users  # noqa: E402

KEY = "sop_surat_keluar"
PASSWORD = "bench-rahasia-1"

WORKER = """
import json, os, sys, time
sys.path.insert(0, {root!r})
from engine.definitions import Definitions
from engine.runtime import Runtime
from engine.store import Store
job = json.loads(open(sys.argv[1]).read())  # a file: 30+ pairs of ids outgrow argv
if job["core"] is not None:  # variant core=pinned: this worker and its backends on one core
    os.environ["ALUR_CPU_CORE"] = str(job["core"])
store = Store.from_url({url!r})
rt = Runtime(store, Definitions(store))
user, ids = job["user"], iter(job["ids"])
rt.complete(job["warm"], user)  # warm: connection, spec cache, the write statement's shape
# the warm-up's first reads of the definition open a second pooled connection inside the
# first; the pool hands its connections out in turn, so the backend measured below would see
# every other statement: from here on one connection (nothing nests once the caches are warm)
store.engine.dispose()
# this process's server processes: its one pooled connection (one thread), and the connection
# the store keeps for statements sent alone (Store.first_row_alone: warm starts and
# completions; cold completions too since they read alone), where the code has one
# (the kept one first: it is made from a pooled connection, detached from the pool)
backends = []
alone = None  # the statement that makes the kept connection report its statistics now
if store.dialect == "postgresql":
    if getattr(store, "_alone", None) is not None:
        import sqlalchemy as sa
        from engine.store import DriverStatement
        row = store.first_row_alone(DriverStatement(sa.select(sa.func.pg_backend_pid())), {{}})
        backends += [row[0]] if row is not None else []
        alone = DriverStatement(sa.select(sa.func.pg_stat_force_next_flush()))
    with store.engine.connect() as conn:
        backends.append(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar())
backend = bool(backends)


def stats_now():
    # the backends' WAL figures into pg_stat_wal now, not within the next timed batch
    with store.engine.connect() as conn:
        conn.exec_driver_sql("SELECT pg_stat_force_next_flush()")
    if alone is not None:
        store.first_row_alone(alone, {{}})


def sched(pid):
    # on a core, and runnable but waiting for one, in seconds (the kernel's schedstat); a
    # list of pids: their sum
    if isinstance(pid, list):
        return [sum(v) for v in zip(*(sched(p) for p in pid))] if pid else [0.0, 0.0]
    try:
        on_cpu, waiting, _ = open(f"/proc/{{pid}}/schedstat").read().split()
    except (OSError, TypeError, ValueError):
        return [float("nan"), float("nan")]
    return [int(on_cpu) / 1e9, int(waiting) / 1e9]


print("ready", ",".join(map(str, backends)) or "0", flush=True)
own = []  # first tasks of cases this process started itself ("prep N"): completed first
for line in sys.stdin:  # a batch: complete the next N tasks; 0 or the end of input: stop
    if line.startswith("prep "):  # untimed: start N cases here, so their completions are warm
        own += [rt.instance_tasks(rt.start(job["key"], user).id)[0].id
                for _ in range(int(line.split()[1]))]
        if backend:  # the starts' WAL into pg_stat_wal now, not within the timed batch
            stats_now()
        print("prepared", flush=True)
        continue
    n = int(line)
    if n <= 0:
        break
    t0, c0 = time.perf_counter(), time.process_time()
    m0, b0 = sched("self"), sched(backends)
    stamps = []
    for _ in range(n):
        rt.complete(own.pop(0) if own else next(ids), user)
        stamps.append(time.perf_counter())
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    m1, b1 = sched("self"), sched(backends)
    if backend:
        stats_now()
    print(json.dumps({{"wall": wall, "cpu": cpu, "stamps": stamps,
                      "me": [a - b for a, b in zip(m1, m0)],
                      "be": [a - b for a, b in zip(b1, b0)]}}), flush=True)
"""

LOOP = """
import sys, time
print("ready", 0, flush=True)
for line in sys.stdin:  # a batch: count for N seconds; 0 or the end of input: stop
    seconds = float(line)
    if seconds <= 0:
        break
    t0, n = time.perf_counter(), 0
    while time.perf_counter() - t0 < seconds:
        for _ in range(2000):
            n += 1
    print(n / (time.perf_counter() - t0), flush=True)
"""

OWN_SESSION = True
"""Every worker and CPU-loop process is started in a session of its own. The kernel here
groups a session's processes for fair CPU sharing (``kernel.sched_autogroup_enabled``: a
session gets one share however many processes it runs): with other sessions keeping the cores
busy, two processes in the bench's one session got the CPU of one (a pure-CPU loop, 2
processes / 1: 1.11x in one session, 1.63x in a session each, the same minutes). Worker
processes of a real deployment do not share one scheduler share with each other, and
PostgreSQL starts every backend in a session of its own."""


def med(samples: Iterable[float]) -> float:
    values = list(samples)
    return statistics.median(values) if values else float("nan")


def cpu_pressure() -> float:
    """Microseconds some task has waited for a core since boot (``/proc/pressure/cpu``)."""
    try:
        some = Path("/proc/pressure/cpu").read_text().split("\n")[0].split()
    except OSError:
        return float("nan")
    return float(some[-1].split("=")[1])


WAL_COLUMNS = ("wal_records", "wal_fpi", "wal_bytes", "wal_sync", "wal_sync_time")
"""``pg_stat_wal`` columns; ``wal_sync_time`` (ms) counts only where ``track_wal_io_timing``
is on: the workers' sessions switch it on where the bench's user may (:func:`wal_timing`)."""


def wal_timing(store: Store) -> dict[str, str]:
    """The session setting that makes the workers' backends time their WAL flushes, where
    this user may set it (a superuser); else none."""
    if store.dialect != "postgresql":
        return {}
    with store.engine.connect() as conn:
        su = conn.exec_driver_sql("SELECT current_setting('is_superuser')").scalar()
    return {"track_wal_io_timing": "on"} if su == "on" else {}


def _wal(store: Store) -> dict[str, float] | None:
    if store.dialect != "postgresql":
        return None
    with store.engine.connect() as conn:
        row = conn.exec_driver_sql(f"SELECT {', '.join(WAL_COLUMNS)} FROM pg_stat_wal").one()
    return {k: float(v) for k, v in zip(WAL_COLUMNS, row, strict=True)}


class WaitSampler:
    """What the active side's backends are doing, sampled from ``pg_stat_activity`` every
    ``period`` seconds on a connection of its own, counted per side (1 or 2 workers):
    ``client`` (idle, waiting for the worker's next statement), ``CPU`` (active, no wait
    event) or the wait event (``Lock:tuple``, ``LWLock:MultiXactOffsetSLRU``,
    ``LWLock:BufferContent``, ``LWLock:WALWrite``, ``IO:WALSync``, ...). The sampling costs
    the server a little CPU, on both sides."""

    QUERY = ("SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
             "WHERE pid = ANY(%s)")  # fmt: skip

    def __init__(self, store: Store, period: float) -> None:
        self.store, self.period = store, period
        self.counts: dict[int, collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )
        self.side: tuple[int, list[int]] | None = None  # (workers, backend pids) while a batch runs
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with self.store.engine.connect() as conn:
            driver: Any = conn.connection.driver_connection
            driver.autocommit = True
            with driver.cursor() as cur:
                while not self._stop.is_set():
                    side = self.side
                    if side is not None:
                        counts = self.counts[side[0]]
                        for state, kind, event in cur.execute(self.QUERY, (side[1],),
                                                              prepare=True):  # fmt: skip
                            if state == "idle" and event == "ClientRead":
                                counts["client"] += 1
                            elif event is None:
                                counts["CPU" if state == "active" else f"({state})"] += 1
                            else:
                                counts[f"{kind}:{event}"] += 1
                    time.sleep(self.period)
            driver.autocommit = False

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def shares(self, workers: int) -> str:
        counts = self.counts[workers]
        total = sum(counts.values()) or 1
        return ", ".join(f"{k} {v / total * 100:.1f}%" for k, v in counts.most_common()
                         if v / total >= 0.001) + f" ({total} samples)"  # fmt: skip


@dataclass
class Batch:
    """One batch of one side. Times per completion in ms (medians over the side's
    processes); the CPU and the waits for a core are counted by the kernel."""

    workers: int
    rate: float  # completions/s over the whole batch
    overlap_rate: float  # completions/s while every worker of the side ran
    client_ms: float
    client_core_wait_ms: float  # runnable, waiting for a core
    client_asleep_ms: float  # waiting for the database's answer
    server_ms: float
    server_core_wait_ms: float
    wall_ms: float  # a worker's wall time per completion
    pressure: float  # share of the batch some task on the machine waited for a core
    wal: dict[str, float] = field(default_factory=dict)  # per completion

    @property
    def no_core_wait_ms(self) -> float:
        """A worker's wall time per completion less its and its backend's waits for a core."""
        return self.wall_ms - self.client_core_wait_ms - self.server_core_wait_ms


class Procs:
    """Long-lived child processes fed batches on stdin, each answering one line per batch."""

    def __init__(self, argvs: list[list[str]], own_session: bool) -> None:
        self.procs = [subprocess.Popen([sys.executable, "-c", *argv], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True,
                                       start_new_session=own_session)
                      for argv in argvs]  # fmt: skip
        self.backends: list[list[int]] = []  # per process: its server processes
        for p in self.procs:
            assert p.stdout is not None
            word, backends = p.stdout.readline().split()
            assert word == "ready", word
            self.backends.append([int(b) for b in backends.split(",") if int(b)])

    def run(self, which: list[int], line: str) -> tuple[float, list[str]]:
        """Send ``line`` to the processes ``which`` at once; their answers and the send time."""
        t0 = time.perf_counter()
        for i in which:
            stdin = self.procs[i].stdin
            assert stdin is not None
            stdin.write(line + "\n")
            stdin.flush()
        answers = []
        for i in which:
            stdout = self.procs[i].stdout
            assert stdout is not None
            answers.append(stdout.readline())
        return t0, answers

    def close(self) -> None:
        for p in self.procs:
            if p.stdin is not None:
                p.stdin.close()
        for p in self.procs:
            p.wait()


def prepare(runtime: Runtime, n: int) -> list[str]:
    """``n`` new cases' first (ready, unassigned) tasks."""
    return [runtime.instance_tasks(runtime.start(KEY, "staf").id)[0].id for _ in range(n)]


def worker_users(store: Store, workers: int) -> list[str]:
    """A user per worker (in the tasks' lane), added once per store."""
    names = [f"staf{i + 1}" for i in range(workers)]
    users = Users(store)
    for name in names:
        if users.find(name) is None:
            users.add(name, ["Staf"], password=PASSWORD)
    return names


def session_url(url: str, settings: dict[str, str]) -> str:
    """``url`` with server settings for every session (libpq ``options``, joined to the
    ``search_path`` option a scratch store carries)."""
    if not settings:
        return url
    extra = quote(" ".join(f"-c{k}={v}" for k, v in settings.items()), safe="")
    if "options=" in url:
        head, _, tail = url.partition("options=")
        value, amp, rest = tail.partition("&")
        return f"{head}options={value}%20{extra}{amp}{rest}"
    return f"{url}{'&' if '?' in url else '?'}options={extra}"


def store_url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


@dataclass
class Side:
    """The batches of 1 and of 2 workers of one variant, and the ceilings before each pair."""

    batches: dict[int, list[Batch]] = field(default_factory=lambda: {1: [], 2: []})
    ceilings: list[float] = field(default_factory=list)
    waits: WaitSampler | None = None

    def rate(self, workers: int, overlap: bool = False) -> float:
        return med(b.overlap_rate if overlap else b.rate for b in self.batches[workers])

    def ratio(self, overlap: bool = False) -> float:
        return self.rate(2, overlap) / self.rate(1, overlap)

    def pair_ratios(self) -> list[float]:
        return [two.rate / one.rate
                for one, two in zip(self.batches[1], self.batches[2], strict=True)]  # fmt: skip

    def per_completion(self, workers: int, name: str) -> float:
        return med(getattr(b, name) for b in self.batches[workers])

    def wal(self, workers: int, key: str) -> float:
        return med(b.wal[key] for b in self.batches[workers] if b.wal)


class Fleet:
    """Worker processes A and B of one variant, and two CPU-loop processes, for ``pairs``
    pairs of batches of ``batch`` completions per worker."""

    def __init__(self, store: Store, runtime: Runtime, pairs: int, batch: int,
                 settings: dict[str, str], users: list[str], own_session: bool,
                 sampler: WaitSampler | None, root: Path = CODE,
                 warm: bool = False, pinned: bool = False) -> None:  # fmt: skip
        self.store, self.batch, self.sampler, self.warm = store, batch, sampler, warm
        ids = prepare(runtime, 2 if warm else 3 * pairs * batch + 2)
        warm_up, ids = ids[:2], ids[2:]
        shares = [ids[: 2 * pairs * batch], ids[2 * pairs * batch :]]  # A works on both sides
        url = session_url(store_url(store), {**wal_timing(store), **settings})
        code = WORKER.format(root=str(root), url=url)
        cores = sorted(os.sched_getaffinity(0))
        jobs = [{"user": users[i % len(users)], "warm": warm_up[i], "ids": shares[i], "key": KEY,
                 "core": cores[i % len(cores)] if pinned else None}
                for i in range(2)]  # fmt: skip
        self._jobs = tempfile.TemporaryDirectory(prefix="alur-workers-")
        paths = [Path(self._jobs.name) / f"job{i}.json" for i in range(len(jobs))]
        for path, job in zip(paths, jobs, strict=True):
            path.write_text(json.dumps(job))
        self.workers = Procs([[code, str(path)] for path in paths], own_session)
        self.loops = Procs([[LOOP], [LOOP]], own_session)
        self.side = Side(waits=sampler)

    def ceiling(self, seconds: float = 0.25) -> None:
        """The machine now: a pure-CPU loop's iterations/s in 2 processes / 1."""
        _, one = self.loops.run([0], str(seconds))
        _, two = self.loops.run([0, 1], str(seconds))
        self.side.ceilings.append(sum(map(float, two)) / float(one[0]))

    def run(self, workers: int) -> None:
        which = list(range(workers))
        if self.warm:  # each worker starts the cases it then completes (not timed)
            self.workers.run(which, f"prep {self.batch}")
        wal0, p0 = _wal(self.store), cpu_pressure()
        if self.sampler:
            self.sampler.side = (workers, [b for i in which for b in self.workers.backends[i]])
        t0, answers = self.workers.run(which, str(self.batch))
        if self.sampler:
            self.sampler.side = None
        reports = [json.loads(a) for a in answers]
        wal1 = _wal(self.store)
        last = [r["stamps"][-1] for r in reports]
        within = sum(1 for r in reports for s in r["stamps"] if s <= min(last))
        done = workers * self.batch

        def per(values: Iterable[float]) -> float:
            return med(values) / self.batch * 1000

        self.side.batches[workers].append(Batch(
            workers=workers,
            rate=done / (max(last) - t0),
            overlap_rate=within / (min(last) - t0),
            client_ms=per(r["cpu"] for r in reports),
            client_core_wait_ms=per(r["me"][1] for r in reports),
            client_asleep_ms=per(r["wall"] - r["me"][0] - r["me"][1] for r in reports),
            server_ms=per(r["be"][0] for r in reports),
            server_core_wait_ms=per(r["be"][1] for r in reports),
            wall_ms=per(r["wall"] for r in reports),
            pressure=(cpu_pressure() - p0) / 1e6 / (max(last) - t0),
            wal={k: (wal1[k] - wal0[k]) / done for k in WAL_COLUMNS} if wal0 and wal1 else {},
        ))  # fmt: skip

    def close(self) -> None:
        self.workers.close()
        self.loops.close()
        if self.sampler:
            self.sampler.close()


def measure(store: Store, runtime: Runtime, pairs: int, batch: int,
            variants: dict[str, dict[str, str]],
            waits: float = 0.0) -> dict[str, Side]:  # fmt: skip
    """``pairs`` pairs per variant (1 then 2 workers, or 2 then 1, in turn), the variants'
    pairs interleaved."""
    own = worker_users(store, 2)
    sample = waits > 0 and store.dialect == "postgresql"
    fleets: dict[str, Fleet] = {}
    try:
        for name, settings in variants.items():
            server = {k: v for k, v in settings.items()
                      if k not in ("user", "session", "root", "path", "core")}  # fmt: skip
            users = ["staf"] if settings.get("user") == "shared" else own
            fleets[name] = Fleet(store, runtime, pairs, batch, server, users,
                                 settings.get("session") != "shared",
                                 WaitSampler(store, waits) if sample else None,
                                 Path(settings.get("root", CODE)).resolve(),
                                 settings.get("path") == "warm",
                                 settings.get("core") == "pinned")  # fmt: skip
        for i in range(pairs):
            for fleet in fleets.values():
                fleet.ceiling()
                for workers in (1, 2) if i % 2 == 0 else (2, 1):
                    fleet.run(workers)
    finally:
        for fleet in fleets.values():
            fleet.close()
    return {name: fleet.side for name, fleet in fleets.items()}


def flush_bound(cycle_ms: float, flush_ms: float) -> float:
    """The most 2 workers can do / 1 when each completion waits for a WAL flush of its own
    and the two workers' flushes cannot overlap (PostgreSQL flushes one backend at a time),
    everything else in parallel: mean-value analysis of a closed network of 2 jobs that
    cycle through ``cycle_ms`` (1 job alone), of which ``flush_ms`` at the flushing station.
    The second job finds the station busy for ``flush_ms / cycle_ms`` of its arrivals and
    then waits ``flush_ms`` more."""
    if not flush_ms or cycle_ms <= 0:
        return 2.0
    return 2 * cycle_ms / (cycle_ms + flush_ms * flush_ms / cycle_ms)


def print_side(name: str, side: Side, dialect: str) -> float:
    label = f" [{name}]" if name else ""
    for workers in (1, 2):

        def pc(key: str) -> float:
            return side.per_completion(workers, key)  # noqa: B023

        text = (f"  {workers} worker(s){label}: {side.rate(workers):.0f}/s "
                f"({side.rate(workers, overlap=True):.0f}/s while all run); per completion: "
                f"client CPU {pc('client_ms'):.2f} + waiting for a core "
                f"{pc('client_core_wait_ms'):.2f} + asleep {pc('client_asleep_ms'):.2f} ms, "
                f"server CPU {pc('server_ms'):.2f} + waiting for a core "
                f"{pc('server_core_wait_ms'):.2f} ms; a task waited for a core "
                f"{min(pc('pressure'), 1.0) * 100:.0f}% of the time")  # fmt: skip
        if any(b.wal for b in side.batches[workers]):
            text += (f"\n      WAL per completion: {side.wal(workers, 'wal_records'):.0f} "
                     f"records, {side.wal(workers, 'wal_bytes'):.0f} bytes, "
                     f"{side.wal(workers, 'wal_fpi'):.2f} full pages, "
                     f"{side.wal(workers, 'wal_sync'):.2f} flushes")  # fmt: skip
            if side.wal(workers, "wal_sync_time"):
                text += f" ({side.wal(workers, 'wal_sync_time'):.2f} ms in our backends' flushes)"
        if side.waits is not None:
            text += f"\n      backends: {side.waits.shares(workers)}"
        print(text, flush=True)
    one, two = side.rate(1), side.rate(2)
    target = ">= 1.8x" if dialect == "postgresql" else ">= 1.4x"
    print(f"  {'completions/s, 2 workers / 1' + label:<46} {two:8.1f} /s / {one:7.1f} /s "
          f"= {two / one:5.2f}x  (target {target}, n={len(side.batches[1])} pairs)",
          flush=True)  # fmt: skip
    ratios = sorted(side.pair_ratios())
    print(f"    pairs: median {med(ratios):.2f}x (quartiles {ratios[len(ratios) // 4]:.2f}-"
          f"{ratios[(3 * len(ratios)) // 4]:.2f}); while both run {side.ratio(True):.2f}x; "
          f"the machine's ceiling (pure-CPU Python loop, 2 processes / 1, before each pair): "
          f"median {med(side.ceilings):.2f}x", flush=True)  # fmt: skip
    one_ms, two_ms = (side.per_completion(w, "no_core_wait_ms") for w in (1, 2))
    print(f"    a worker's wall time per completion {side.per_completion(1, 'wall_ms'):.2f} ms "
          f"(1) / {side.per_completion(2, 'wall_ms'):.2f} ms (2); less the waits for a core "
          f"{one_ms:.2f} / {two_ms:.2f} ms: {2 * one_ms / two_ms:.2f}x if no process had "
          f"waited for a core", flush=True)  # fmt: skip
    flush = side.wal(1, "wal_sync_time") if dialect == "postgresql" else 0.0
    if flush:
        cycle = side.per_completion(1, "wall_ms")
        print(f"    the WAL flush: {flush:.2f} ms of the 1-worker {cycle:.2f} ms a completion; "
              f"the two workers' flushes one at a time allow at most "
              f"{flush_bound(cycle, flush):.2f}x", flush=True)  # fmt: skip
    return two / one


def bench_workers(store: Store, runtime: Runtime, pairs: int, batch: int,
                  waits: float = 0.0, warm: bool = False, pin: bool = False) -> float:  # fmt: skip
    """Issue 14's row as ``bench/issue14.py`` prints it: the ratio of the medians. ``pin``:
    the same row with each worker and its backends on a core of their own
    (``engine.affinity``), its pairs interleaved with the unpinned ones."""
    variant = {"path": "warm"} if warm else {}
    variants = {"": variant, "pinned": {**variant, "core": "pinned"}} if pin else {"": variant}
    sides = measure(store, runtime, pairs, batch, variants, waits)
    ratios = [print_side(name, side, store.dialect) for name, side in sides.items()]
    return ratios[0]


def main() -> int:
    from scratch_store import drop_schemas, fresh_store

    from engine.definitions import Definitions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(ROOT), help="the code to run (first argument)")
    parser.add_argument("--url", default=None)
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=60, help="completions per worker a batch")
    parser.add_argument("--waits", type=float, nargs="?", const=0.005, default=0.0,
                        help="sample the backends' waits every WAITS s (0.005)")  # fmt: skip
    parser.add_argument("--variant", action="append", default=[],
                        help="NAME=setting=value,... (see the module's text)")  # fmt: skip
    args = parser.parse_args()
    variants: dict[str, dict[str, str]] = {}
    for text in args.variant or ["base="]:
        name, _, spec = text.partition("=")
        variants[name] = dict(s.split("=", 1) for s in spec.split(",") if s)
    store, schema = fresh_store(args.url, Path(tempfile.mkdtemp(prefix="alur-bench-")) / "b.db")
    print(f"code: {CODE}\nstore: {args.url or 'sqlite (temporary file)'}; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)  # fmt: skip
    try:
        Users(store).add("staf", ["Staf"], password=PASSWORD)
        definitions = Definitions(store)
        definitions.deploy((ROOT / "tests/engine/fixtures/surat_keluar.bpmn").read_bytes())
        runtime = Runtime(store, definitions)
        t0 = time.perf_counter()
        got = measure(store, runtime, args.pairs, args.batch, variants, args.waits)
        for name, side in got.items():
            print_side(name, side, store.dialect)
        print(f"({time.perf_counter() - t0:.0f} s)")
    finally:
        store.dispose()
        if schema:
            drop_schemas(args.url, [schema])
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
