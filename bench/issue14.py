"""The table of issue 14, measured: every ratio against raw SpiffWorkflow in the same run.

Not a test: a script that prints figures. Every pair is measured interleaved (one sample of
each side per round, so a burst of load from elsewhere hits both) and compared by medians.

Rows printed:
1. one completion through Runtime + Store / the raw SpiffWorkflow cycle (deserialize, complete,
   serialize); and the task read + completion a web POST makes (``open_task`` then
   ``complete(opened=)`` where the code has them, else ``task`` then ``complete``)
2. one start through Runtime + Store / raw start (new workflow, engine steps, serialize); the
   statements and round trips of a warm and of a cold start (counted, not timed); and the
   durable commit floor, a one-row INSERT committed on its own connection in the same rounds
   (on PostgreSQL the WAL flush every start waits for and the raw start never makes), with
   the start's time above that floor / raw start
3. HTTP completion (POST + the redirect to the inbox, Flask test client, CSRF on) / raw cycle
4. HTTP inbox page with ``--big`` open tasks in the user's own lanes / with 100 (two stores,
   pages requested alternately), plus the same for ``runtime.inbox`` and ``count_inbox``
5. completions/s with 2 worker processes / 1 (each worker completes its own share of
   prepared tasks as its own user; short batches of ``--per-worker`` completions, 1 and 2
   workers in turn, ``--worker-runs`` pairs; with the machine's own 2/1 ceiling and where the
   time goes: ``bench/issue14_workers.py``)

Usage: python bench/issue14.py [--url URL] [--rounds N] [--big 100000] [--only rows]
Default store: temporary SQLite files. PostgreSQL e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test (a fresh schema per store, dropped after).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# ``--root DIR`` (first argument): run another copy of the code, e.g. a snapshot from before a
# change, with this script
CODE = Path(sys.argv[2]).resolve() if sys.argv[1:2] == ["--root"] else ROOT
sys.path.insert(0, str(CODE))

from scratch_store import drop_schemas, fresh_store  # noqa: E402

from engine.definitions import Definitions  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.serializer import workflow_serializer  # noqa: E402
from engine.store import Store  # noqa: E402
from engine.users import Users  # noqa: E402

PROCESS = ROOT / "tests" / "engine" / "fixtures" / "surat_keluar.bpmn"
KEY = "sop_surat_keluar"
PASSWORD = "bench-rahasia-1"


clock: Callable[[], float] = time.perf_counter
"""What rows 1-3 time: wall clock, or ``--cpu`` this thread's CPU time (the database's own
work in another process, PostgreSQL, is then left out; SQLite's is in), which a loaded
machine disturbs far less."""


def med(samples: list[float]) -> float:
    return statistics.median(samples)


def line(label: str, num: list[float], den: list[float], target: str) -> float:
    ratio = med(num) / med(den)
    print(f"  {label:<46} {med(num) * 1000:8.2f} ms / {med(den) * 1000:7.2f} ms "
          f"= {ratio:5.2f}x  (target {target}, n={len(num)})", flush=True)  # fmt: skip
    return ratio


class Stores:
    """Fresh stores for one run (temporary SQLite files or PostgreSQL schemas)."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.schemas: list[str] = []
        self.opened: list[Store] = []

    def new(self) -> Store:
        store, schema = fresh_store(
            self.url, Path(tempfile.mkdtemp(prefix="alur-bench-")) / "bench.db")
        if schema:
            self.schemas.append(schema)
        self.opened.append(store)
        return store

    def close(self) -> None:
        for store in self.opened:
            store.dispose()
        if self.url and self.schemas:
            drop_schemas(self.url, self.schemas)


def setup(store: Store) -> Runtime:
    users = Users(store)
    users.add("staf", ["Staf"], password=PASSWORD)
    definitions = Definitions(store)
    definitions.deploy(PROCESS.read_bytes())
    return Runtime(store, definitions)


class Raw:
    """Plain SpiffWorkflow on the same process: the whole spec inside every state."""

    def __init__(self, runtime: Runtime) -> None:
        from SpiffWorkflow.bpmn import BpmnWorkflow

        self.runtime = runtime
        definitions = runtime.definitions
        self.spec, self.subs = definitions.spec(definitions.get(KEY).id)
        self.serializer = workflow_serializer()
        wf = BpmnWorkflow(self.spec, self.subs, script_engine=runtime.script_engine)
        wf.do_engine_steps()
        self.state = self.serializer.serialize_json(wf)

    def cycle(self) -> float:
        from SpiffWorkflow.util.task import TaskState

        t0 = clock()
        workflow = self.serializer.deserialize_json(self.state)
        workflow.script_engine = self.runtime.script_engine
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.run()
        workflow.do_engine_steps()
        self.serializer.serialize_json(workflow)
        return clock() - t0

    def start(self) -> float:
        from SpiffWorkflow.bpmn import BpmnWorkflow

        t0 = clock()
        wf = BpmnWorkflow(self.spec, self.subs, script_engine=self.runtime.script_engine)
        wf.do_engine_steps()
        self.serializer.serialize_json(wf)
        return clock() - t0


def timed(call: Callable[[], Any]) -> float:
    t0 = clock()
    call()
    return clock() - t0


def first_task(runtime: Runtime, instance_id: int) -> str:
    return runtime.instance_tasks(instance_id)[0].id


# -- rows 1-3 ---------------------------------------------------------------------------------


def web_client(store: Store, runtime: Runtime, username: str) -> Any:
    from webui import backend as backend_mod
    from webui.app import create_app

    limit = getattr(backend_mod, "COUNT_LIMIT", None)  # the runtime the web app builds
    web_runtime = Runtime(store, runtime.definitions, **({"count_limit": limit} if limit else {}))
    be = backend_mod.Backend(store=store, users=Users(store), definitions=runtime.definitions,
                             runtime=web_runtime)  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="alur-bench-web-"))
    app = create_app({"INSTANCE_PATH": str(folder), "ALUR_BACKEND": be, "SECRET_KEY": "bench",
                      "ALUR_UPLOAD_FOLDER": str(folder / "uploads")})  # fmt: skip
    client = app.test_client()
    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    got = client.post("/masuk", data={"username": username, "password": PASSWORD,
                                      "csrf_token": token.group(1)})  # fmt: skip
    assert got.status_code == 302, got.status_code
    page = client.get("/kotak-masuk").get_data(as_text=True)  # the session's new token
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token on the inbox page"
    client.csrf = token.group(1)  # type: ignore[attr-defined]
    client.runtime = web_runtime  # type: ignore[attr-defined]
    return client


class CommitFloor:
    """The cheapest durable write the store's database makes: one small row inserted and
    committed on a connection of its own (PostgreSQL: in autocommit, so the one round trip
    and the WAL flush; SQLite: BEGIN IMMEDIATE, INSERT, COMMIT with the store's pragmas).
    What a start cannot go below however little the engine adds, and what the raw start,
    which writes nothing, never pays: on a machine whose disk other work keeps busy it moves
    the start row more than anything the engine does."""

    def __init__(self, store: Store) -> None:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE bench_floor (n INTEGER)")
        self.pooled = store.engine.raw_connection()  # the pool's connect events ran
        driver: Any = self.pooled.driver_connection
        self.driver = driver
        self.sqlite = store.dialect == "sqlite"
        if not self.sqlite:
            self.pooled.rollback()
            driver.autocommit = True

    def write(self) -> float:
        t0 = clock()
        if self.sqlite:
            self.driver.execute("BEGIN IMMEDIATE")
            self.driver.execute("INSERT INTO bench_floor VALUES (1)")
            self.driver.execute("COMMIT")
        else:
            self.driver.execute("INSERT INTO bench_floor VALUES (1)")
        return clock() - t0

    def close(self) -> None:
        if not self.sqlite:
            self.driver.autocommit = False
        self.pooled.close()


def counted_start(store: Store, runtime: Runtime, n: int = 10) -> None:
    """Statements and round trips of one start (counted, not timed): warm (this process
    started the key before) and cold (the latest version read first, as a process's first
    start of a key). PostgreSQL: as :func:`counted_completion` counts them (watched, the
    statements go on a pooled connection instead of the kept one: the same statements), then
    the pool checkouts of the same starts unwatched. SQLite: every statement SQLite runs (its
    trace callback), BEGIN IMMEDIATE and COMMIT included; no start is warm there."""
    from sqlalchemy import event

    seen: list[str] = []
    begins = [0]
    traced: list[Any] = []
    postgresql = store.dialect == "postgresql"

    def pg_seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        import psycopg

        seen.append(statement.split()[0].upper())
        driver = conn.connection.driver_connection
        idle = driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        begins[0] += bool(idle and not driver.autocommit)

    def trace(dbapi_conn: Any, *_: Any) -> None:
        traced.append(dbapi_conn)
        dbapi_conn.set_trace_callback(lambda sql: seen.append(sql.split()[0].upper()))

    def starts(cold: bool, count: int) -> None:
        for _ in range(count):
            if cold:
                runtime.commands._latest.clear()
            runtime.start(KEY, "staf")

    def counted(cold: bool) -> str:
        starts(cold, 3)  # first reads of the definition and its spec, statements made
        seen.clear()
        begins[0] = 0
        starts(cold, n)
        shown = " ".join(seen[: len(seen) // n])
        trips = (len(seen) + 2 * begins[0]) / n
        return (f"{len(seen) / n:.0f} statements ({shown})"
                + (f", {begins[0] / n:.0f} BEGIN/COMMIT pairs, {trips:.0f} round trips"
                   if postgresql else ""))  # fmt: skip

    kind = "before_cursor_execute" if postgresql else "checkout"
    handler = pg_seen if postgresql else trace
    event.listen(store.engine, kind, handler)
    try:
        shown = (f"warm {counted(cold=False)}; cold {counted(cold=True)}" if postgresql
                 else counted(cold=False))  # fmt: skip
    finally:
        event.remove(store.engine, kind, handler)
        for dbapi_conn in traced:
            dbapi_conn.set_trace_callback(None)
    if postgresql:  # unwatched: the connection each statement goes on
        checkouts: list[int] = []

        def checkout(*_: Any) -> None:
            checkouts.append(1)

        pooled = []
        for cold in (False, True):
            starts(cold, 3)
            event.listen(store.engine, "checkout", checkout)
            try:
                starts(cold, n)
            finally:
                event.remove(store.engine, "checkout", checkout)
            pooled.append(f"{len(checkouts) / n:.0f}")
            checkouts.clear()
        shown += f"; pool checkouts warm {pooled[0]}, cold {pooled[1]}"
    print(f"  one start: {shown}", flush=True)


FULL_PAGE = 20
"""Open tasks in the bench user's lane for the second HTTP line: a full inbox page
(``ALUR_PAGE_SIZE``). The first line's inbox holds almost nothing (every case the loop starts
is completed at once), which is not what a working user's inbox looks like: each task row
the page shows costs the request its own work."""


def bench_engine(stores: Stores, rounds: int, http: bool) -> dict[str, float]:
    counting = stores.new()  # a store of its own: the counted starts leave ~50 open tasks in
    counted_start(counting, setup(counting))  # the lane, which would fill the inbox below
    store = stores.new()
    runtime = setup(store)
    raw = Raw(runtime)
    floor = CommitFloor(store)
    client = web_client(store, runtime, "staf") if http else None
    for _ in range(5):  # warm every path (spec cache, statement cache, templates)
        raw.cycle()
        raw.start()
        runtime.complete(first_task(runtime, runtime.start(KEY, "staf").id), "staf")
    keys = ("raw", "raw_start", "done", "read_done", "start", "http", "floor", "raw_full",
            "http_full")
    s: dict[str, list[float]] = {k: [] for k in keys}
    opens = hasattr(runtime.commands, "open_task")

    def read_and_complete(task_id: str) -> None:
        if opens:
            opened = runtime.open_task(task_id, "staf")
            runtime.complete(task_id, "staf", opened=opened)
        else:
            runtime.task(task_id)
            runtime.complete(task_id, "staf")

    def post(task_id: str) -> None:
        assert client is not None
        got = client.post(f"/tugas/{task_id}/selesai", data={"csrf_token": client.csrf},
                          follow_redirects=True)  # fmt: skip
        assert got.status_code == 200 and "/kotak-masuk" in got.request.path, (
            got.status_code, got.request.path, got.get_data(as_text=True)[-1500:])  # fmt: skip

    for _ in range(rounds):
        s["raw"].append(raw.cycle())
        t0 = clock()
        inst = runtime.start(KEY, "staf")
        s["start"].append(clock() - t0)
        s["raw_start"].append(raw.start())
        s["floor"].append(floor.write())
        task_id = first_task(runtime, inst.id)
        s["done"].append(timed(lambda: runtime.complete(task_id, "staf")))  # noqa: B023
        task_id = first_task(runtime, runtime.start(KEY, "staf").id)
        s["read_done"].append(timed(lambda: read_and_complete(task_id)))  # noqa: B023
        if client is not None:
            task_id = first_task(runtime, runtime.start(KEY, "staf").id)
            s["raw"].append(raw.cycle())
            s["http"].append(timed(lambda: post(task_id)))  # noqa: B023
    if client is not None:  # then the inbox the POST redirects to shows a full page
        for _ in range(FULL_PAGE):
            runtime.start(KEY, "staf")
        for _ in range(rounds // 2):
            task_id = first_task(runtime, runtime.start(KEY, "staf").id)
            s["raw_full"].append(raw.cycle())
            s["http_full"].append(timed(lambda: post(task_id)))  # noqa: B023
    out = {
        "completion": line("completion runtime+store / raw cycle", s["done"], s["raw"], "<= 1.5x"),
        "read_completion": line(
            f"task read + completion ({'open_task' if opens else 'task'}) / raw",
            s["read_done"], s["raw"], "-"),
        "start": line("start runtime+store / raw start", s["start"], s["raw_start"], "<= 2x"),
    }
    floor.close()
    above = (med(s["start"]) - med(s["floor"])) / med(s["raw_start"])
    print(f"  {'durable commit floor (one-row INSERT alone)':<46} {med(s['floor']) * 1000:8.2f} ms"
          f"; start above it / raw start = {above:5.2f}x", flush=True)  # fmt: skip
    if client is not None:
        target = "<= 5x" if store.dialect == "sqlite" else "<= 7x"
        out["http"] = line("HTTP completion (POST+inbox) / raw cycle", s["http"], s["raw"], target)
        out["http_full"] = line(f"  the same, {FULL_PAGE} open tasks in my lane (a full page)",
                                s["http_full"], s["raw_full"], target)  # fmt: skip
    return out


# -- row 4 ------------------------------------------------------------------------------------


def fill_my_lanes(store: Store, runtime: Runtime, count: int) -> None:
    """``count`` open instances with one ready task each, all in the bench user's lane."""
    sys.path.insert(0, str(ROOT / "bench"))
    from engine_completion import bulk_open_instances

    definition_id = runtime.definitions.get(KEY).id
    bulk_open_instances(store, definition_id, count, ["Staf"])


def bench_inbox(stores: Stores, big: int, rounds: int) -> dict[str, float]:
    pairs = []
    for count in (100, big):
        store = stores.new()
        runtime = setup(store)
        t0 = time.perf_counter()
        fill_my_lanes(store, runtime, count)
        print(f"  ({count} open tasks in the user's lane: {time.perf_counter() - t0:.1f} s)",
              flush=True)  # fmt: skip
        client = web_client(store, runtime, "staf")
        pairs.append((client.runtime, client))
    samples: dict[str, list[list[float]]] = {k: [[], []] for k in ("http", "inbox", "count")}
    for _runtime, client in pairs:
        for _ in range(5):
            assert client.get("/kotak-masuk").status_code == 200
    for _ in range(rounds):
        for i, (runtime, client) in enumerate(pairs):
            samples["http"][i].append(timed(lambda: client.get("/kotak-masuk")))  # noqa: B023
            samples["inbox"][i].append(timed(lambda: runtime.inbox("staf", limit=20)))  # noqa: B023
            samples["count"][i].append(timed(lambda: runtime.count_inbox("staf")))  # noqa: B023
    out = {}
    out["inbox_http"] = line(f"HTTP inbox page, {big} / 100 in my lanes",
                             samples["http"][1], samples["http"][0], "<= 1.5x")  # fmt: skip
    out["inbox"] = line("  runtime.inbox page+total (as the web app runs it)", samples["inbox"][1],
                        samples["inbox"][0], "-")  # fmt: skip
    out["count"] = line("  runtime.count_inbox", samples["count"][1],
                        samples["count"][0], "-")  # fmt: skip
    return out


# -- row 5 ------------------------------------------------------------------------------------


def counted_completion(store: Store, runtime: Runtime, n: int = 20) -> None:
    """Statements and round trips of one completion as ``rt.complete`` in a worker makes it
    (counted, not timed). A statement is one round trip; psycopg adds a BEGIN before the
    first statement of a transaction and a COMMIT (or ROLLBACK) after it, unless the
    connection is in autocommit. SQLite: statements through SQLAlchemy only."""
    from sqlalchemy import event

    ids = [first_task(runtime, runtime.start(KEY, "staf").id) for _ in range(n)]
    kinds: list[str] = []
    begins = [0]

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        kinds.append(statement.split()[0].upper())
        if store.dialect == "postgresql":
            import psycopg

            driver = conn.connection.driver_connection
            idle = driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
            begins[0] += bool(idle and not driver.autocommit)

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        for tid in ids:
            runtime.complete(tid, "staf")
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    shown = " ".join(kinds[: len(kinds) // n])
    trips = (len(kinds) + 2 * begins[0]) / n
    print(f"  one completion: {len(kinds) / n:.0f} statements ({shown}), "
          f"{begins[0] / n:.0f} BEGIN/COMMIT pairs"
          + (f", {trips:.0f} round trips" if store.dialect == "postgresql" else ""),
          flush=True)  # fmt: skip


def bench_workers(stores: Stores, pairs: int, batch: int, waits: float,
                  path: str = "cold", pin: bool = False) -> float:  # fmt: skip
    """The row and its evidence: see ``bench/issue14_workers.py`` (two worker processes fed
    short batches, 1 and 2 workers in turn, ``pairs`` times). ``path``: "cold", the workers
    complete cases this process started (on PostgreSQL: read, deserialize, write); "warm",
    each worker completes cases it started itself (one statement, nothing read). ``pin``: the
    row once more, pairs interleaved, with each worker and its backends on a core of their own
    (``ALUR_CPU_CORE``)."""
    from issue14_workers import bench_workers as workers_row

    store = stores.new()
    runtime = setup(store)
    counted_completion(store, runtime)
    print(f"  path: {path} ("
          + ("each worker completes cases it started itself" if path == "warm"
             else "the workers complete cases this process started") + ")", flush=True)  # fmt: skip
    return workers_row(store, runtime, pairs, batch, waits, warm=path == "warm", pin=pin)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(ROOT), help="the code to run (first argument)")
    parser.add_argument("--url", default=None)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--worker-runs", type=int, default=15,
                        help="pairs of 1- and 2-worker batches")  # fmt: skip
    parser.add_argument("--per-worker", type=int, default=60,
                        help="completions per worker in a batch")  # fmt: skip
    parser.add_argument("--waits", type=float, nargs="?", const=0.005, default=0.0,
                        help="sample the backends' waits every WAITS s (0.005)")  # fmt: skip
    parser.add_argument("--worker-path", choices=("cold", "warm"), default="cold",
                        help="the workers' cases: started by this process (cold) or by "
                             "the worker itself (warm)")  # fmt: skip
    parser.add_argument("--pin", action="store_true",
                        help="workers row: also with each worker and its backends on a core "
                             "of their own (ALUR_CPU_CORE)")  # fmt: skip
    parser.add_argument("--only", default="engine,inbox,workers")
    parser.add_argument("--cpu", action="store_true", help="rows 1-3 in thread CPU time")
    args = parser.parse_args()
    global clock
    if args.cpu:
        clock = time.thread_time
    only = set(args.only.split(","))
    stores = Stores(args.url)
    load = os.getloadavg()[0]
    print(f"code: {CODE}")
    print(f"store: {args.url or 'sqlite (temporary file)'}; load average {load:.2f} "
          f"{'(CPU time) ' if args.cpu else ''}"
          f"on {os.cpu_count()} cores", flush=True)  # fmt: skip
    try:
        if "engine" in only:
            bench_engine(stores, args.rounds, http=True)
        if "inbox" in only:
            bench_inbox(stores, args.big, args.rounds)
        if "workers" in only:
            bench_workers(stores, args.worker_runs, args.per_worker, args.waits, args.worker_path,
                          args.pin)  # fmt: skip
    finally:
        stores.close()
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
