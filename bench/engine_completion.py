"""Figures for the engine (issue 4): not a test, a script that prints numbers.

1. The cost of one task completion through Runtime + Store (lock, checks, deserialize,
   complete, serialize, task-table sync, audit, commit) against raw SpiffWorkflow doing the
   same work on the same process (deserialize, complete, serialize), in the same run.
2. The inbox / task-list query time with 100 and with 100 000 open instances in the store
   (the large case is bulk-inserted straight into the tables).

Usage: python bench/engine_completion.py [--url URL] [--rounds N] [--big 100000]
Default store: a temporary SQLite file. For PostgreSQL pass e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/alur_bench (the database must exist; the script
creates its tables in a fresh schema and drops it afterwards).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from scratch_store import drop_schemas, fresh_store  # noqa: E402

from engine.definitions import Definitions  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.serializer import workflow_serializer  # noqa: E402
from engine.store import FAR_FUTURE, Store, instances, tasks  # noqa: E402
from engine.users import Users  # noqa: E402

PROCESS = ROOT / "tests" / "engine" / "fixtures" / "surat_keluar.bpmn"
MY_ROLES = ["Peran 0", "Peran 1"]  # the bench user's desk: the same 100 tasks in both cases
OTHER_ROLES = [f"Bagian {i}" for i in range(50)]  # where the other 99 900 open tasks sit
PAGE = 10


def ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.2f} ms (n={len(samples)})"


def bench_completion(store: Store, rounds: int) -> tuple[float, float]:
    from SpiffWorkflow.util.task import TaskState

    users = Users(store)
    users.add("staf", ["Staf"])
    definitions = Definitions(store)
    definitions.deploy(PROCESS.read_bytes())
    runtime = Runtime(store, definitions)
    started = [runtime.start("sop_surat_keluar", "staf").id for _ in range(rounds)]
    ready = [runtime.instance_tasks(i)[0].id for i in started]

    engine_times = []
    for task_id in ready:
        t0 = time.perf_counter()
        runtime.complete(task_id, "staf")
        engine_times.append(time.perf_counter() - t0)

    with store.begin(write=False) as conn:
        state = conn.execute(
            sa.select(instances.c.state).where(instances.c.id == started[0])
        ).scalar_one()
    fresh = runtime.codec.load(state)  # the state before step 1 was completed is gone: rebuild one
    spec, subs = definitions.spec(definitions.get("sop_surat_keluar").id)
    from SpiffWorkflow.bpmn import BpmnWorkflow

    wf = BpmnWorkflow(spec, subs, script_engine=runtime.script_engine)
    wf.do_engine_steps()
    stock = workflow_serializer()  # plain SpiffWorkflow: the whole spec inside every state
    state = stock.serialize_json(wf)
    del fresh
    raw_times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        workflow = stock.deserialize_json(state)
        workflow.script_engine = runtime.script_engine
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.run()
        workflow.do_engine_steps()
        stock.serialize_json(workflow)
        raw_times.append(time.perf_counter() - t0)
    print(f"completion via runtime+store : {ms(engine_times)}")
    print(f"raw SpiffWorkflow (de/ser+run): {ms(raw_times)}")
    ratio = statistics.median(engine_times) / statistics.median(raw_times)
    print(f"ratio runtime/raw            : {ratio:.2f}x")
    with store.begin(write=False) as conn:
        stored = conn.execute(
            sa.select(instances.c.state).where(instances.c.id == started[-1])
        ).scalar_one()
    print(f"state size, plain SpiffWorkflow: {len(state) / 1024:.1f} KiB")
    print(f"state size, as the store keeps it: {len(stored) / 1024:.1f} KiB (spec by reference)")
    return statistics.median(engine_times), statistics.median(raw_times)


def bulk_open_instances(
    store: Store, definition_id: int, count: int, roles: list[str], seed: int = 1
) -> None:
    """``count`` running instances with one ready task each (lanes from ``roles``)."""
    rng = random.Random(seed)
    mine = roles == MY_ROLES
    now = datetime.now(UTC)
    state = json.dumps({"bench": True})
    with store.begin() as conn:
        start_id = (conn.execute(sa.select(sa.func.max(instances.c.id))).scalar() or 0) + 1
    batch = 5000
    for lo in range(0, count, batch):
        ids = range(start_id + lo, start_id + min(lo + batch, count))
        inst_rows = [
            {"id": i, "definition_id": definition_id, "process_key": "sop_surat_keluar",
             "title": f"Bench {i}", "business_key": f"B-{i}", "status": "running",
             "started_by": "bench", "started_at": now, "ended_at": None, "cancel_reason": "",
             "state": state, "spiff_version": "3.2.0", "serializer_version": "1.5",
             "version_counter": 1, "next_timer_at": None, "updated_at": now}
            for i in ids
        ]  # fmt: skip
        task_rows = []
        for i in ids:
            due = now + timedelta(minutes=rng.randint(-3000, 30000)) if rng.random() < 0.9 else None
            task_rows.append(
                {"id": str(uuid.uuid4()), "instance_id": i, "definition_id": definition_id,
                 "process_key": "sop_surat_keluar", "process_name": "Bench",
                 "instance_title": f"Bench {i}", "business_key": f"B-{i}",
                 "element_id": "step_1", "name": "Menyusun konsep surat",
                 "role": rng.choice(roles), "state": "ready",
                 "assignee": "bench_user" if mine and rng.random() < 0.05 else None,
                 "created": now, "due": due, "due_order": due or FAR_FUTURE, "comment": ""}
            )  # fmt: skip
        with store.begin() as conn:
            conn.execute(instances.insert(), inst_rows)
            conn.execute(tasks.insert(), task_rows)
    if store.dialect == "postgresql":  # the steady state autovacuum keeps: stats + visibility
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE tasks")
            conn.exec_driver_sql("VACUUM ANALYZE instances")
    else:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def bench_queries(store: Store, label: str, repeats: int = 50) -> dict[str, float]:
    runtime = Runtime(store, Definitions(store))
    out = {}
    for name, call in (
        ("inbox(user) page+total", lambda: runtime.inbox("bench_user", limit=PAGE)[0]),
        ("count_inbox(user)", lambda: runtime.count_inbox("bench_user")),
        ("tasks(roles=[mine]) page", lambda: runtime.tasks(roles=[MY_ROLES[0]], limit=PAGE)),
        ("tasks(overdue) page", lambda: runtime.tasks(overdue=True, limit=PAGE)),
    ):
        call()  # warm
        samples = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            call()
            samples.append(time.perf_counter() - t0)
        out[name] = statistics.median(samples)
        print(f"  {label:>8} open instances, {name:<24}: {ms(samples)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--big", type=int, default=100_000)
    args = parser.parse_args()
    store, schema = fresh_store(
        args.url, Path(tempfile.mkdtemp(prefix="alur-bench-")) / "bench.db")
    print(f"store: {store.dialect}")
    try:
        bench_completion(store, args.rounds)
        Users(store).add("bench_user", MY_ROLES)
        definition_id = Definitions(store).get("sop_surat_keluar").id
        with store.begin() as conn:  # start from an empty task list for the query figures
            conn.execute(tasks.delete())
        bulk_open_instances(store, definition_id, 100, MY_ROLES)
        small = bench_queries(store, "100")
        t0 = time.perf_counter()
        bulk_open_instances(store, definition_id, args.big - 100, OTHER_ROLES, seed=2)
        print(f"  (bulk insert of {args.big - 100} instances+tasks: "
              f"{time.perf_counter() - t0:.1f} s)")  # fmt: skip
        big = bench_queries(store, f"{args.big}")
        for name in small:
            print(f"  growth {name:<24}: {big[name] / small[name]:.2f}x")
        runtime = Runtime(store, Definitions(store))
        crowded = [lambda: runtime.tasks(roles=[OTHER_ROLES[0]], limit=PAGE)] * 50
        samples = []
        for call in crowded:
            t0 = time.perf_counter()
            call()
            samples.append(time.perf_counter() - t0)
        print(f"  page of a lane holding ~{(args.big - 100) // len(OTHER_ROLES)} open tasks: "
              f"{ms(samples)}")  # fmt: skip
    finally:
        store.dispose()
        if schema and args.url:
            drop_schemas(args.url, [schema])
    return 0


if __name__ == "__main__":
    sys.exit(main())
