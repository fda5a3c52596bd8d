"""Many threads and several processes completing the same tasks; a worker killed mid-work."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from engine.errors import AlreadyCompleted
from engine.store import audit, tasks

HERE = Path(__file__).resolve().parent
SURAT = (HERE / "fixtures" / "surat_keluar.bpmn").read_bytes()
LANES = ["Staf", "Kasubbag Umum", "Kepala Dinas"]


def completions_per_task(store) -> tuple[Counter, int]:  # type: ignore[no-untyped-def]
    with store.begin(write=False) as conn:
        rows = conn.execute(
            sa.select(audit.c.task_id).where(audit.c.action == "complete")
        ).all()
        completed = conn.execute(
            sa.select(sa.func.count()).select_from(tasks).where(tasks.c.state == "completed")
        ).scalar_one()
    return Counter(r.task_id for r in rows), int(completed)


def test_threads_racing_on_the_same_task_exactly_one_wins(kit) -> None:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT)
    racers = [f"staf{i}" for i in range(8)]
    for name in racers:
        kit.users.add(name, ["Staf"])
    rt = kit.runtime
    instances = [rt.start("sop_surat_keluar", racers[0]).id for _ in range(3)]
    for instance_id in instances:
        task = rt.instance_tasks(instance_id)[0]
        barrier = threading.Barrier(len(racers))
        outcome: dict[str, str] = {}

        def race(name: str, task_id: str = task.id, barrier=barrier, outcome=outcome) -> None:  # type: ignore[no-untyped-def]
            barrier.wait()
            try:
                rt.complete(task_id, name)
                outcome[name] = "won"
            except AlreadyCompleted as exc:
                outcome[name] = exc.message

        threads = [threading.Thread(target=race, args=(n,)) for n in racers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [n for n, o in outcome.items() if o == "won"]
        assert len(winners) == 1 and len(outcome) == len(racers)
        assert all(o == f"Tugas ini sudah diselesaikan oleh {winners[0]}"
                   for n, o in outcome.items() if n != winners[0])  # fmt: skip
        assert rt.task(task.id).completed_by == winners[0]
        assert rt.check_consistency(instance_id) == []
    per_task, completed = completions_per_task(kit.store)
    assert completed == len(instances) and set(per_task.values()) == {1}


def _child(url: str, user: str, seed: int, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(HERE.parents[1]))
    return subprocess.Popen(
        [sys.executable, str(HERE / "child_complete.py"), url, user, str(seed), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )


def test_processes_complete_each_task_exactly_once(kit) -> None:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT)
    workers = [f"p{i}" for i in range(3)]
    for name in workers:
        kit.users.add(name, LANES)
    rt = kit.runtime
    instances = [rt.start("sop_surat_keluar", "p0").id for _ in range(4)]
    children = [_child(kit.store.url, name, seed) for seed, name in enumerate(workers)]
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(rt.instance(i).status == "completed" for i in instances)
    per_task, completed = completions_per_task(kit.store)
    assert completed == 4 * 5  # five human tasks per instance on the approve path
    assert sum(r["won"] for r in results) == completed
    assert set(per_task.values()) == {1} and len(per_task) == completed
    for instance_id in instances:
        assert rt.check_consistency(instance_id) == []
        assert [h.action for h in rt.history(instance_id)].count("complete") == 5


def test_a_worker_killed_mid_work_leaves_instances_consistent(kit) -> None:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT)
    kit.users.add("victim", LANES)
    users = kit.user_per_lane(LANES)
    rt = kit.runtime
    for _ in range(3):
        rt.start("sop_surat_keluar", "victim")
    child = _child(kit.store.url, "victim", 7, "forever")
    try:
        seen = 0
        for _ in range(3000):  # wait (poll) until it has done real work, then kill it
            seen = sum(completions_per_task(kit.store)[0].values())
            if seen >= 12 or child.poll() is not None:
                break
            threading.Event().wait(0.01)
        assert child.poll() is None, child.stderr.read() if child.stderr else ""
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert seen >= 12
    all_instances, total = rt.instances(limit=1000)
    assert total >= 3
    per_task, completed = completions_per_task(kit.store)
    assert set(per_task.values()) == {1} and len(per_task) == completed
    for inst in all_instances:
        assert rt.check_consistency(inst.id) == [], inst.id
    for inst in all_instances:  # resumable: everything left can still be finished
        if inst.status == "running":
            kit.drive(inst.id, users)
        assert rt.instance(inst.id).status == "completed"


def test_two_workers_fire_a_due_timer_exactly_once(kit) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from engine.definitions import Definitions
    from engine.runtime import Runtime
    from engine.store import utcnow

    kit.definitions.deploy(SURAT)
    users = kit.user_per_lane(LANES)
    rt = kit.runtime
    started = [rt.start("sop_surat_keluar", users["Staf"]).id for _ in range(3)]
    for instance_id in started:
        kit.drive(instance_id, users, max_steps=3)  # up to the parallel split with the timer
    later = utcnow() + timedelta(days=4)
    hosts = [Runtime(kit.store, Definitions(kit.store)) for _ in range(4)]
    barrier = threading.Barrier(len(hosts))
    fired: list[int] = []

    def host(runtime) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        fired.append(runtime.fire_timers(later))

    threads = [threading.Thread(target=host, args=(h,)) for h in hosts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(fired) == len(started)
    for instance_id in started:
        timers = [h for h in rt.history(instance_id) if h.action == "timer"]
        assert len(timers) == 1
        assert rt.check_consistency(instance_id) == []
