"""A request's reads share one pooled connection (``Store.one_reader`` around each request),
and still see everything committed before them: by this request's own writes, and by
another process (a deactivation, a colleague's completion) on the very next request.

Counted (connection checkouts), not timed: the figures are in bench/issue14*.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event

from engine.store import Store
from engine.users import Users
from tests.webui.conftest import make_app, session_client
from tests.webui.test_notifications import hand_on


@contextmanager
def checkouts(store: Store) -> Iterator[list[int]]:
    seen: list[int] = []

    def count(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        seen.append(id(dbapi_conn))

    event.listen(store.engine, "checkout", count)
    try:
        yield seen
    finally:
        event.remove(store.engine, "checkout", count)


def quiet_app(tmp_path: Path, real_app: Flask) -> Flask:
    return make_app(tmp_path, real_app.config["ALUR_BACKEND"], ALUR_NOTIFY_WEB_SECONDS=0)


def test_a_page_reads_on_one_connection(tmp_path: Path, real_app: Flask) -> None:
    app = quiet_app(tmp_path, real_app)
    be = app.config["ALUR_BACKEND"]
    hand_on(app)
    client = session_client(app, "pengadm")
    client.get("/kotak-masuk")
    for path in ("/kotak-masuk", "/mulai", "/kasus/"):
        with checkouts(be.store) as seen:
            assert client.get(path).status_code == 200
        assert len(seen) == 1, path  # the user, the page's reads, the header's counts
    with checkouts(be.store) as seen:
        client.get("/static/alur.css")
        client.get("/healthz")
    assert seen == []


def test_a_completion_reads_what_it_wrote(tmp_path: Path, real_app: Flask) -> None:
    """The POST reads (the user, the task), writes on its own connection, and the inbox it
    redirects to no longer lists the task; the next user's inbox has the next one."""
    app = quiet_app(tmp_path, real_app)
    be = app.config["ALUR_BACKEND"]
    be.runtime.start("sop_penyusunan_iku", "kasubbag", title="IKU 2027")
    first = be.runtime.inbox("kasubbag")[0][0]
    client = session_client(app, "kasubbag")
    done = client.post(f"/tugas/{first.id}/selesai", follow_redirects=True)
    assert done.status_code == 200 and done.request.path == "/kotak-masuk"
    assert first.id not in done.get_data(as_text=True)
    nxt = be.runtime.inbox("pengadm")[0][0]
    page = session_client(app, "pengadm").get("/kotak-masuk").get_data(as_text=True)
    assert nxt.id in page


def test_what_another_process_changes_is_seen_on_the_next_request(
    tmp_path: Path, real_app: Flask
) -> None:
    """Nothing is held between requests: a deactivation made by another process (a second
    store on the same database) logs the user out on the next request."""
    app = quiet_app(tmp_path, real_app)
    be = app.config["ALUR_BACKEND"]
    client = session_client(app, "pengadm")
    assert client.get("/kotak-masuk").status_code == 200
    other = Store.from_url(str(be.store.engine.url))
    try:
        Users(other).set_active("pengadm", False)
    finally:
        other.dispose()
    gone = client.get("/kotak-masuk")
    assert gone.status_code == 302 and "/masuk" in gone.headers["Location"]
