"""What one completion writes on SQLite, and what a second worker costs it: deterministic
counts, not times, so they hold on a loaded machine (issue 14, the workers row).

Printed per completion, for the schema as migrated and, in the same run, with the task
indexes that migration 0011 dropped put back (``--with-dropped``):
- WAL frames written (4 KiB pages: every index a row touches is at least one);
- with ``--preads`` (Linux ``strace`` needed): ``pread64`` calls when another connection
  commits before each completion, as a second worker does. SQLite then discards the whole
  page cache of the worker's connection, so every page the completion touches is read again.

Run: ``.venv/bin/python bench/sqlite_writes.py [--n 200] [--preads]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DROPPED = ("state", "due", "completed_by", "decision")  # migration 0011
KEY = "sop_surat_keluar"


def _setup(restore: bool, n: int) -> tuple[object, Path, list[str]]:
    from engine.definitions import Definitions
    from engine.runtime import Runtime
    from engine.store import Store
    from engine.users import Users

    path = Path(tempfile.mkdtemp(prefix="alur-bench-")) / "b.db"
    store = Store.from_url(f"sqlite:///{path}")
    store.upgrade()
    if restore:
        with store.begin() as conn:
            for column in DROPPED:
                conn.exec_driver_sql(f"CREATE INDEX ix_tasks_{column} ON tasks ({column})")
    Users(store).add("staf", ["Staf"], password="bench-rahasia-1")
    definitions = Definitions(store)
    definitions.deploy((ROOT / "tests/engine/fixtures/surat_keluar.bpmn").read_bytes())
    runtime = Runtime(store, definitions)
    ids = [runtime.instance_tasks(runtime.start(KEY, "staf").id)[0].id for _ in range(n + 2)]
    for task_id in ids[:2]:  # warm: connection, spec cache, statement shapes
        runtime.complete(task_id, "staf")
    return runtime, path, ids[2:]


def wal_frames(restore: bool, n: int) -> float:
    runtime, path, ids = _setup(restore, n)
    store = runtime.store  # type: ignore[attr-defined]
    with store.begin(write=False) as conn:  # an empty WAL to count from
        conn.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = Path(f"{path}-wal")
    before = wal.stat().st_size if wal.exists() else 0
    # no checkpoint within the run (ours come every CHECKPOINT_EVERY writes): count them all
    import engine.store as store_module

    every = store_module.CHECKPOINT_EVERY
    store_module.CHECKPOINT_EVERY = 10**9
    try:
        for task_id in ids:
            runtime.complete(task_id, "staf")  # type: ignore[attr-defined]
    finally:
        store_module.CHECKPOINT_EVERY = every
    frames = (wal.stat().st_size - before) / (4096 + 24)
    store.dispose()
    return frames / n


_POKED = """
import sqlite3, sys
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from sqlite_writes import _setup
runtime, path, ids = _setup({restore!r}, {n!r})
other = sqlite3.connect(str(path), isolation_level=None)
other.execute("CREATE TABLE IF NOT EXISTS poke (x)")
open({marker!r}, "w").close()
for task_id in ids:
    other.execute("INSERT INTO poke VALUES (1)")  # another writer's commit
    runtime.complete(task_id, "staf")
open({marker!r} + ".end", "w").close()
"""


def preads(restore: bool, n: int) -> float:
    work = Path(tempfile.mkdtemp(prefix="alur-bench-"))
    marker, trace = str(work / "start"), work / "trace.txt"
    code = _POKED.format(root=str(ROOT), bench=str(ROOT / "bench"), restore=restore, n=n,
                         marker=marker)  # fmt: skip
    subprocess.run(["strace", "-f", "-e", "trace=pread64,openat", "-o", str(trace),
                    sys.executable, "-c", code], check=True, capture_output=True)  # fmt: skip
    lines = trace.read_text().splitlines()
    start = max(i for i, line in enumerate(lines) if marker in line and ".end" not in line)
    end = max(i for i, line in enumerate(lines) if marker + ".end" in line)
    return sum("pread64(" in line for line in lines[start:end]) / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="completions per variant")
    ap.add_argument("--preads", action="store_true", help="count page reads (needs strace)")
    args = ap.parse_args()
    print(f"SQLite {sqlite3.sqlite_version}; {args.n} completions per variant")
    for restore, name in ((False, "as migrated (0011)"), (True, "with the 4 dropped indexes")):
        line = f"  {name:28} WAL frames/completion {wal_frames(restore, args.n):5.1f}"
        if args.preads:
            if shutil.which("strace") is None:
                line += "  (strace not installed: no page reads)"
            else:
                reads = preads(restore, args.n)
                line += f"  pread64/completion after another's commit {reads:5.1f}"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("ALUR_LOG", "warning")
    sys.exit(main())
