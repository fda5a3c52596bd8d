"""The page header's counts (inbox badges and the bell): one statement, read once per request,
the same numbers as the separate counts, and never kept past the request.

Counted work (statements), not timings: the figures are in bench/issue14*.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from engine.notifications import Notifications
from engine.queries import DeskCounts
from engine.records import KnownUser, known_user
from engine.store import Store, notifications
from tests.webui.conftest import make_app, session_client
from tests.webui.test_notifications import bell, hand_on

KEY = "sop_penyusunan_iku"


def _notify(store: Store, username: str, ref: str, *, read: bool = False) -> None:
    """An in-app notification for ``username``, written as the notifier writes one."""
    now = datetime.now(UTC)
    with store.begin() as conn:
        conn.execute(notifications.insert().values(
            username=username, kind="new_task", ref=ref, title=f"Tugas {ref}", in_app=True,
            created_at=now, read_at=now if read else None))  # fmt: skip


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The SQL statements the store runs inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    sa.event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", count)


def quiet_app(tmp_path: Path, real_app: Flask) -> Flask:
    """The real app without the page view's notification pass (so statements are the page's)."""
    return make_app(tmp_path, real_app.config["ALUR_BACKEND"], ALUR_NOTIFY_WEB_SECONDS=0)


def test_count_desk_gives_the_badges_and_the_bell_in_one_statement(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    hand_on(real_app)  # one task in pengadm's lane
    for n in range(3):
        _notify(be.store, "pengadm", f"t{n}")
    _notify(be.store, "pengadm", "old", read=True)
    _notify(be.store, "kadis", "other")
    roles = tuple(be.users.get("pengadm").roles)
    with known_user(KnownUser("pengadm", roles)), statements(be.store) as seen:
        desk = be.runtime.count_desk("pengadm", 99)  # as a page asks, the user already read
    assert len(seen) == 1
    badges = be.runtime.count_inbox("pengadm")
    assert desk == DeskCounts(unread=3, **badges)
    assert desk.all == 1 and desk.mine == 0
    assert desk.unread == Notifications(be.store).unread_count("pengadm", 99)


def test_the_bell_count_stops_past_its_limit(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    for n in range(5):
        _notify(be.store, "kadis", f"t{n}")
    assert be.runtime.count_desk("kadis", 2).unread == 3  # limit + 1: the bell shows "2+"
    assert be.runtime.count_desk("kadis", 10).unread == 5
    assert be.runtime.count_desk("pengadm", 10) == DeskCounts(0, 0, 0, 0)


@pytest.mark.parametrize("path", ["/kotak-masuk", "/mulai"])
def test_a_page_counts_the_header_once_in_one_statement(
    tmp_path: Path, real_app: Flask, path: str
) -> None:
    """The inbox reads the header's counts with its page; any other page reads them alone;
    either way once, in the statement that also counts the bell."""
    app = quiet_app(tmp_path, real_app)
    be = app.config["ALUR_BACKEND"]
    hand_on(app)
    _notify(be.store, "pengadm", "x")
    client = session_client(app, "pengadm")
    client.get(path)  # warm (statement caches)
    with statements(be.store) as seen:
        page = client.get(path).get_data(as_text=True)
    on_notifications = [s for s in seen if "FROM notifications" in s]
    assert len(on_notifications) == 1  # the bell rides in the badges' statement
    assert "FROM tasks" in on_notifications[0]
    assert bell(page) == 1
    badge = re.search(r'<span class="count" title="Tugas di kotak masuk">(\d+)</span>', page)
    assert badge is not None and badge.group(1) == "1"


def test_what_another_process_writes_shows_on_the_next_page(
    tmp_path: Path, real_app: Flask
) -> None:
    """Nothing of the header is kept between requests: a second store on the same database
    (another web process, or the worker) adds a notification and a task, and the very next
    page of this process shows both."""
    app = quiet_app(tmp_path, real_app)
    be = app.config["ALUR_BACKEND"]
    client = session_client(app, "pengadm")
    page = client.get("/kotak-masuk").get_data(as_text=True)
    assert bell(page) == 0
    other = Store.from_url(str(be.store.engine.url))
    try:
        _notify(other, "pengadm", "elsewhere")
    finally:
        other.dispose()
    hand_on(app)
    page = client.get("/kotak-masuk").get_data(as_text=True)
    assert bell(page) == 1
    assert '<span class="count" title="Tugas di kotak masuk">1</span>' in page


def test_the_header_renders_when_counting_fails(tmp_path: Path, real_app: Flask) -> None:
    app = quiet_app(tmp_path, real_app)
    be = app.config["ALUR_BACKEND"]
    hand_on(app)  # something to count: one task in pengadm's lane, one notification
    _notify(be.store, "pengadm", "x")
    client = session_client(app, "pengadm")
    counted = client.get("/mulai").get_data(as_text=True)
    assert bell(counted) == 1
    assert '<span class="count" title="Tugas di kotak masuk">1</span>' in counted

    def broken(*_: Any) -> DeskCounts:
        raise RuntimeError("database gone")

    be.runtime.count_desk = broken
    page = client.get("/mulai")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert bell(html) == 0
    assert '<span class="count" title="Tugas di kotak masuk">0</span>' in html


def _statements_on(store: Store, call: Any) -> list[str]:
    with statements(store) as seen:
        call()
    return seen


def test_inbox_and_counts_agree_with_the_separate_reads(real_app: Flask) -> None:
    """Every filter, with and without a process or a search: the page and its total are the
    inbox's own, the counts are the header's; the unfiltered total comes from the badge."""
    be = real_app.config["ALUR_BACKEND"]
    for n in range(3):
        be.runtime.start(KEY, "kasubbag", title=f"IKU {n}")
    first = be.runtime.inbox("kasubbag")[0][0]
    be.runtime.claim(first.id, "kasubbag")
    _notify(be.store, "kasubbag", "n1")
    for flt in ("all", "mine", "roles", "overdue"):
        for extra in ({}, {"process_key": KEY}, {"search": "IKU 1"}, {"offset": 2, "limit": 1}):
            page = be.runtime.inbox_and_counts("kasubbag", filter=flt, unread_limit=9, **extra)
            rows, total = be.runtime.inbox("kasubbag", filter=flt, **extra)
            assert ([r.id for r in page.rows], page.total) == ([r.id for r in rows], total)
            assert page.counts == be.runtime.count_desk("kasubbag", 9)
    assert page.counts is not None and (page.counts.all, page.counts.mine) == (3, 1)
    assert page.counts.unread == 1


def test_the_unfiltered_inbox_sends_no_count_of_its_own(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    for n in range(2):
        be.runtime.start(KEY, "kasubbag", title=f"IKU {n}")
    roles = tuple(be.users.get("kasubbag").roles)
    with known_user(KnownUser("kasubbag", roles)):
        plain = _statements_on(be.store, lambda: be.runtime.inbox_and_counts("kasubbag"))
        searched = _statements_on(
            be.store, lambda: be.runtime.inbox_and_counts("kasubbag", search="IKU")
        )
    if be.store.dialect == "sqlite":  # read apart there (Queries._inbox_apart)
        # the page, the header's counts, the cases' ended tasks; a search + its own count
        assert len(plain) == 3 and len(searched) == 4, (plain, searched)
        return
    # one statement: the page with the header (badges + bell); a search counts itself in it
    assert len(plain) == len(searched) == 1, (plain, searched)
    assert "FROM notifications" in plain[0] and "FROM notifications" in searched[0]
    assert "total_0" not in plain[0] and "total_0" in searched[0]


def test_a_page_past_the_badge_limit_counts_itself(real_app: Flask) -> None:
    """The badges stop at the count limit, but a page counts far enough to show the pages
    after it (ten pages' worth): past the badge's limit the page's own count is used."""
    from engine.runtime import Runtime

    be = real_app.config["ALUR_BACKEND"]
    for n in range(4):
        be.runtime.start(KEY, "kasubbag", title=f"IKU {n}")
    capped = Runtime(be.store, be.definitions, count_limit=2)
    top = capped.inbox_and_counts("kasubbag", limit=1)
    assert top.counts is not None and str(top.counts.all) == "2+"
    assert top.total == 4  # not the badge's "2+"
    deep = capped.inbox_and_counts("kasubbag", limit=1, offset=3)
    assert deep.total == capped.inbox("kasubbag", limit=1, offset=3)[1] == 4
    assert len(deep.rows) == 1


def test_static_files_and_the_health_check_read_nothing(tmp_path: Path, real_app: Flask) -> None:
    """A logged-in browser fetching the style sheet, or a load balancer asking /healthz,
    costs no database work: no user read, no header counts."""
    app = quiet_app(tmp_path, real_app)
    be = app.config["ALUR_BACKEND"]
    client = session_client(app, "pengadm")
    client.get("/kotak-masuk")
    with statements(be.store) as seen:
        assert client.get("/static/alur.css").status_code == 200
        assert client.get("/healthz").status_code == 200
    assert seen == []
    with statements(be.store) as seen:
        client.get("/mulai")
    assert seen  # the same client on a page does read (the check above can fail)
