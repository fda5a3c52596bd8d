"""The web pages of issue 14, counted and captured: Python calls and SQL statements per inbox
page, task page and POST + redirect, and the pages' HTML on a fixed data set.

Not a test: a script that prints figures and writes files. Counted work (cProfile calls,
statements) does not change with the machine's load, so it shows what a change saved even
when timings drown in noise; the HTML is written so a speed change can be checked to leave
every page identical (``diff`` the two output folders; CSRF tokens are masked).

Usage: python bench/issue14_pages.py [--root CODE] --out DIR [--url URL]
``--root`` (first argument) runs another copy of the code, e.g. a snapshot from before.
The data set is fixed: same users, cases, decisions, and every task/audit time rewritten to
fixed dates, and the pages are looked at on a fixed day (the age column), so two runs of two
trees produce comparable pages.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CODE = Path(sys.argv[2]).resolve() if sys.argv[1:2] == ["--root"] else ROOT
sys.path.insert(0, str(CODE))
sys.path.insert(1, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from scratch_store import drop_schemas, fresh_store  # noqa: E402

from engine.definitions import Definitions  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.store import Store, audit, instances, tasks  # noqa: E402
from engine.users import Users  # noqa: E402

PROCESS = ROOT / "tests" / "engine" / "fixtures" / "surat_keluar.bpmn"
KEY = "sop_surat_keluar"
PASSWORD = "bench-rahasia-1"
BASE = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)


def fixed_data(store: Store) -> Runtime:
    """Two people sharing the Staf and Kasubbag lanes, 30 cases in several states: returned
    work, claimed tasks, tasks with and without due dates; all times rewritten to fixed ones."""
    users = Users(store)
    users.add("staf", ["Staf", "Kasubbag Umum"], password=PASSWORD, full_name="Sri Staf")
    users.add("budi", ["Staf", "Kasubbag Umum"], password=PASSWORD, full_name="Budi <Kasubbag>")
    definitions = Definitions(store)
    definitions.deploy(PROCESS.read_bytes())
    runtime = Runtime(store, definitions)
    for i in range(30):
        inst = runtime.start(KEY, "staf", title=f"Surat nomor {i} <b>&</b>",
                             business_key=f"B-{i:03d}" if i % 2 else "")  # fmt: skip
        first = runtime.instance_tasks(inst.id)[0].id
        if i % 3 == 0:
            runtime.complete(first, "staf", comment=f"konsep {i}")
            second = runtime.instance_tasks(inst.id)
            ready = next(t for t in second if t.state == "ready")
            runtime.complete(ready.id, "budi", decision="tidak_setuju", comment="perbaiki <i>")
        elif i % 3 == 1:
            runtime.claim(first, "staf")
    with store.begin() as conn:
        rows = conn.execute(sa.select(tasks.c.id, tasks.c.completed)
                            .order_by(tasks.c.created, tasks.c.id)).all()  # fmt: skip
        for n, (tid, completed) in enumerate(rows):
            created = BASE + timedelta(hours=n)
            due = created + timedelta(days=2) if n % 2 else None
            conn.execute(
                tasks.update()
                .where(tasks.c.id == tid)
                .values(
                    created=created,
                    due=due,
                    due_order=due or datetime(9999, 1, 1, tzinfo=UTC),
                    completed=created + timedelta(minutes=30) if completed else None,
                )
            )
        for iid in conn.execute(sa.select(instances.c.id)).scalars().all():
            conn.execute(
                instances.update()
                .where(instances.c.id == iid)
                .values(started_at=BASE + timedelta(minutes=iid), updated_at=BASE)
            )
        ids = conn.execute(sa.select(audit.c.id).order_by(audit.c.id)).scalars().all()
        for n, aid in enumerate(ids):
            conn.execute(
                audit.update().where(audit.c.id == aid).values(at=BASE + timedelta(minutes=7 * n))
            )
    return runtime


SEEN_AT = BASE + timedelta(days=70)
"""When the pages are looked at: the inbox's "Diterima" column ("66 hari") counts from the
wall clock, so two runs on either side of a day boundary would differ by a day."""


class _SeenAt(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return SEEN_AT if tz is not None else SEEN_AT.replace(tzinfo=None)


def client_for(store: Store, runtime: Runtime, username: str) -> Any:
    from webui import backend as backend_mod
    from webui.app import create_app
    from webui.blueprints import tasks as tasks_view

    tasks_view.datetime = _SeenAt  # type: ignore[misc]  # the age column only (received_age)

    limit = getattr(backend_mod, "COUNT_LIMIT", None)
    web_runtime = Runtime(store, runtime.definitions, **({"count_limit": limit} if limit else {}))
    be = backend_mod.Backend(store=store, users=Users(store), definitions=runtime.definitions,
                             runtime=web_runtime)  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="alur-bench-web-"))
    app = create_app({"INSTANCE_PATH": str(folder), "ALUR_BACKEND": be, "SECRET_KEY": "bench",
                      "ALUR_UPLOAD_FOLDER": str(folder / "uploads")})  # fmt: skip
    client = app.test_client()
    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    got = client.post("/masuk", data={"username": username, "password": PASSWORD,
                                      "csrf_token": token.group(1)})  # fmt: skip
    assert got.status_code == 302, got.status_code
    page = client.get("/kotak-masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    client.csrf = token.group(1)  # type: ignore[attr-defined]
    return client


class Statements:
    """Counts the SQL statements the store's engine runs."""

    def __init__(self, store: Store, show: bool) -> None:
        self.n = 0
        self.show = show
        sa.event.listen(store.engine, "before_cursor_execute", self._count)

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.n += 1
        if self.show:
            print("    SQL", " ".join(statement.split())[:150])


def counted(call: Any, stmts: Statements) -> tuple[int, int, float]:
    """(Python calls, SQL statements, ms) of one call, the calls by cProfile."""
    before = stmts.n
    prof = cProfile.Profile()
    prof.enable()
    call()
    prof.disable()
    calls = pstats.Stats(prof).total_calls  # type: ignore[attr-defined]
    n = stmts.n - before
    t0 = time.perf_counter()
    call()
    return calls, n, (time.perf_counter() - t0) * 1000


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def mask(html: str) -> str:
    """CSRF tokens masked, task ids (random uuids) numbered in order of first appearance."""
    names: dict[str, str] = {}
    html = UUID.sub(lambda m: names.setdefault(m.group(0), f"task-{len(names)}"), html)
    return re.sub(r'(name="csrf_token" value=")[^"]+"', r'\1…"', html)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--out", required=True, help="folder for the pages' HTML")
    parser.add_argument("--url", default=None)
    parser.add_argument("--sql", action="store_true", help="print every counted statement")
    parser.add_argument("--profile", default=None, help="write the inbox page's pstats here")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    store, schema = fresh_store(args.url, Path(tempfile.mkdtemp(prefix="alur-bench-")) / "p.db")
    try:
        runtime = fixed_data(store)
        client = client_for(store, runtime, "staf")
        stmts = Statements(store, args.sql)
        mine = runtime.inbox("staf", limit=200)[0]
        returned = [t for t in mine if t.element_id == "step_1" and runtime.returned([t])]
        claimed = [t for t in mine if t.assignee == "staf"]
        pages = {
            "inbox": "/kotak-masuk",
            "inbox_en": "/kotak-masuk?lang=en",
            "inbox_p2": "/kotak-masuk?hal=2&urut=diterima",
            "task_returned": f"/tugas/{returned[0].id}",
            "task_claimed": f"/tugas/{claimed[0].id}",
            "task_plain": f"/tugas/{mine[-1].id}",
        }
        for name, url in pages.items():
            got = client.get(url)
            assert got.status_code == 200, (url, got.status_code)
            (out / f"{name}.html").write_text(mask(got.get_data(as_text=True)))
        client.get("/kotak-masuk?lang=id")
        print(f"code: {CODE}; store {store.dialect}")
        for name, url in (("inbox GET", "/kotak-masuk"), ("task GET", pages["task_plain"])):
            for _ in range(3):
                client.get(url)
            calls, n, ms = counted(lambda: client.get(url), stmts)  # noqa: B023
            print(f"  {name:<22} {calls:7d} Python calls  {n:3d} statements  {ms:6.2f} ms")
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(lambda: client.get("/kotak-masuk"))
            prof.dump_stats(args.profile)
        fresh = [t.id for t in runtime.inbox("staf", limit=200)[0] if t.assignee is None
                 and t.element_id == "step_1"]  # fmt: skip
        posts = iter(fresh)

        def post() -> None:
            got = client.post(f"/tugas/{next(posts)}/selesai", data={"csrf_token": client.csrf},
                              follow_redirects=True)  # fmt: skip
            assert got.status_code == 200 and "/kotak-masuk" in got.request.path

        post()
        calls, n, ms = counted(post, stmts)
        print(f"  {'POST+redirect':<22} {calls:7d} Python calls  {n:3d} statements  {ms:6.2f} ms")
    finally:
        store.dispose()
        if schema and args.url:
            drop_schemas(args.url, [schema])
    return 0


if __name__ == "__main__":
    sys.exit(main())
