"""Issue 14, the HTTP completion row: what one completion costs through the web (the POST and
the inbox it redirects to), counted where a busy machine cannot blur it.

The statements of the pair are pinned per database (SQLite and PostgreSQL): a change that adds
a user read, a task read or an inbox query per request fails here long before a benchmark
notices (figures: bench/issue14.py, row "HTTP completion (POST+inbox) / raw cycle"). The
flash that says where the case went is checked in both languages, since it is said through
the request's catalogue rather than Flask-Babel's ``gettext``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.definitions import Definitions
from engine.queries import DeskCounts
from engine.runtime import Runtime
from engine.store import Store
from engine.users import Users
from tests.engine.conftest import FIXTURES, make_kit, store_of
from tests.support.statements import sent_statements
from tests.webui.conftest import PASSWORD, make_app, session_client
from webui.backend import Backend

KEY = "sop_surat_keluar"

PAIR_BUDGET = {"sqlite": 9, "postgresql": 5}
"""Statements of one POST + inbox pair, BEGIN/COMMIT aside: each request's user read, the
task read, the completion's write (PostgreSQL: one statement; SQLite: the instance, the two
task rows and the audit row), the inbox's one statement (its page, counts and returned work;
its filter's process list known current from it, so not read)."""


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    with store_of(request.param, tmp_path) as store:
        users = Users(store)
        users.add("staf", ["Staf"], password=PASSWORD)
        definitions = Definitions(store)
        definitions.deploy((FIXTURES / "surat_keluar.bpmn").read_bytes())
        be = Backend(
            store=store,
            users=users,
            definitions=definitions,
            runtime=Runtime(store, definitions),
        )
        yield make_app(tmp_path, be, ALUR_NOTIFY_WEB_SECONDS=0)


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The statements the store sends inside the block, whitespace folded, transaction
    control (BEGIN, COMMIT) left out (:func:`tests.support.statements.sent_statements`)."""
    seen: list[str] = []

    def keep(sql: str) -> None:
        text = " ".join(sql.split())
        if text.split(" ", 1)[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK"}:
            seen.append(text)

    with sent_statements(store, keep):
        yield seen


def first_ready(app: Flask) -> str:
    be = app.config["ALUR_BACKEND"]
    instance = be.runtime.start(KEY, "staf", title="Surat 1")
    return str(be.runtime.instance_tasks(instance.id)[0].id)


def complete(client: FlaskClient, task_id: str) -> Any:
    got = client.post(f"/tugas/{task_id}/selesai", follow_redirects=True)
    assert got.status_code == 200 and got.request.path == "/kotak-masuk"
    return got


def test_a_completion_pair_stays_within_its_statements(web: Flask) -> None:
    store = web.config["ALUR_BACKEND"].store
    client = session_client(web, "staf")
    complete(client, first_ready(web))  # first reads of the definition and its spec made
    task_id = first_ready(web)
    with statements(store) as seen:
        page = complete(client, task_id).get_data(as_text=True)
    user_reads = [s for s in seen if s.startswith("SELECT users.")]
    assert len(user_reads) == 2, seen  # one per request, shared by everything it reads
    assert len(seen) <= PAIR_BUDGET[store.dialect], seen
    assert "Kasus diteruskan ke: Memeriksa konsep surat (Kasubbag Umum)." in page
    assert task_id not in page  # the inbox read after the write: the task is gone


def test_the_second_completion_of_one_task_is_told_not_failed(web: Flask) -> None:
    """Two tabs (or a double submit): the second POST writes nothing and says who did it."""
    store = web.config["ALUR_BACKEND"].store
    client = session_client(web, "staf")
    task_id = first_ready(web)
    complete(client, task_id)
    with statements(store) as seen:
        page = complete(client, task_id).get_data(as_text=True)
    assert not [s for s in seen if s.split(" ", 1)[0] in {"INSERT", "UPDATE", "DELETE"}], seen
    assert "Tugas ini sudah diselesaikan oleh staf." in page


def test_where_the_case_went_is_said_in_the_users_language(web: Flask) -> None:
    client = session_client(web, "staf")
    said = complete(client, first_ready(web)).get_data(as_text=True)
    assert "\u201cMenyusun konsep surat\u201d selesai. Kasus diteruskan ke: " in said
    assert client.post("/profil/bahasa", data={"lang": "en"}).status_code == 302
    said = complete(client, first_ready(web)).get_data(as_text=True)
    assert (
        "\u201cMenyusun konsep surat\u201d done. The case went on to: "
        "Memeriksa konsep surat (Kasubbag Umum)." in said
    )


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_the_header_counts_one_row_per_user_of_two_roles(kind: str, tmp_path: Path) -> None:
    """The header's counts (read as one row: each range's count and overdue count, then the
    bell) agree with the inbox's own totals for a user of two roles with a task claimed."""
    with store_of(kind, tmp_path) as store:
        kit = make_kit(store)
        kit.definitions.deploy((FIXTURES / "surat_keluar.bpmn").read_bytes())
        kit.users.add("dua", ["Staf", "Kasubbag Umum"])
        rt = kit.runtime
        started = [rt.start(KEY, "dua", title=f"Surat {i}") for i in range(4)]
        firsts = [rt.instance_tasks(inst.id)[0].id for inst in started]
        rt.complete(firsts[0], "dua")  # on to the Kasubbag Umum lane, unclaimed
        rt.claim(firsts[1], "dua")  # the user's own
        assert rt.count_desk("dua", 9) == DeskCounts(all=4, mine=1, overdue=0, unread=0)
        kit.clock.advance(days=30)
        counts = rt.count_desk("dua", 9)
        assert counts == DeskCounts(all=4, mine=1, overdue=4, unread=0)
        totals = {f: rt.inbox("dua", filter=f)[1] for f in ("all", "mine", "overdue")}
        assert totals == {"all": counts.all, "mine": counts.mine, "overdue": counts.overdue}
        page = rt.inbox_and_counts("dua", filter="all", limit=10, unread_limit=9)
        assert (page.total, page.counts) == (4, counts)


def test_the_session_cookie_follows_the_secret_key(web: Flask) -> None:
    """The signing serializer is kept between requests, yet a new SECRET_KEY ends the
    sessions signed with the old one (unless the old key is among the fallbacks), and a
    cookie signed by Flask's own session interface still opens a session here."""
    from flask.sessions import SecureCookieSessionInterface

    client = session_client(web, "staf")
    assert client.get("/kotak-masuk").status_code == 200
    old = web.secret_key
    web.secret_key = "another-secret"
    assert client.get("/kotak-masuk").status_code == 302  # signed with the old key: logged out
    client = session_client(web, "staf")
    web.config["SECRET_KEY_FALLBACKS"] = ["another-secret"]
    web.secret_key = old
    assert client.get("/kotak-masuk").status_code == 200  # the fallback still verifies it
    web.config["SECRET_KEY_FALLBACKS"] = []
    uid = web.config["ALUR_BACKEND"].users.get("staf").id
    cookie = SecureCookieSessionInterface().get_signing_serializer(web)
    assert cookie is not None
    plain = web.test_client()
    plain.set_cookie(web.config["SESSION_COOKIE_NAME"], cookie.dumps({"uid": uid}))
    assert plain.get("/kotak-masuk").status_code == 200
