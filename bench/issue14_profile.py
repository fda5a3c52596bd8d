"""Where one HTTP completion (POST + redirect to the inbox, the issue-14 row) and one start
spend their Python calls: cProfile over a batch of each, printed by cumulative time.

Not a test: a script that prints a profile. Counted calls per request do not change with the
machine's load, so this shows what a change saved even when timings drown in noise.

Usage: python bench/issue14_profile.py [--root CODE] [--url URL] [--n 20] [--top 40]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CODE = Path(sys.argv[2]).resolve() if sys.argv[1:2] == ["--root"] else ROOT
sys.path.insert(0, str(CODE))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from issue14 import KEY, Stores, first_task, setup, web_client  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--url", default=None)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    stores = Stores(args.url)
    try:
        store = stores.new()
        runtime = setup(store)
        client = web_client(store, runtime, "staf")
        sent = [0]  # statements while a request runs

        def count(*_: object) -> None:
            sent[0] += prof_on[0]

        prof_on = [0]
        if store.dialect == "sqlite":  # as SQLite sees them: the store's own BEGIN/COMMIT too
            def trace(dbapi_conn: Any, *_: object) -> None:
                dbapi_conn.set_trace_callback(count)

            sa.event.listen(store.engine, "checkout", trace)
        else:
            sa.event.listen(store.engine, "before_cursor_execute", count)

        def post() -> None:
            task_id = first_task(runtime, runtime.start(KEY, "staf").id)
            prof_on[0] = 1
            prof.enable()
            got = client.post(f"/tugas/{task_id}/selesai", data={"csrf_token": client.csrf},
                              follow_redirects=True)  # fmt: skip
            prof.disable()
            prof_on[0] = 0
            assert got.status_code == 200 and "/kotak-masuk" in got.request.path, (
                got.status_code, got.request.path, got.get_data(as_text=True)[-800:])

        prof = cProfile.Profile()
        for _ in range(5):
            post()
        prof = cProfile.Profile()
        sent[0] = 0
        for _ in range(args.n):
            post()
        stats = pstats.Stats(prof)
        print(f"code: {CODE}; store {store.dialect}")
        print(f"POST+redirect: {stats.total_calls / args.n:.0f} Python calls each, "  # type: ignore[attr-defined]
              f"{sent[0] / args.n:.0f} statements")  # fmt: skip
        stats.sort_stats(args.sort).print_stats(args.top)
        prof = cProfile.Profile()
        for _ in range(5):
            runtime.start(KEY, "staf")
        prof.enable()
        for _ in range(args.n):
            runtime.start(KEY, "staf")
        prof.disable()
        stats = pstats.Stats(prof)
        print(f"start: {stats.total_calls / args.n:.0f} Python calls each")  # type: ignore[attr-defined]
        stats.sort_stats(args.sort).print_stats(args.top // 2)
    finally:
        stores.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
