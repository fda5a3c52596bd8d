"""The inbox page with full pages of tasks (issue 14, the HTTP completion row): what its rows
show, pinned to the HTML the page rendered before its rows were built in Python, and what
a full page costs in statements.

The golden pages (``golden/inbox/*.html``) were written by the template that wrote each row
with the shared macros and filters (``person``, ``task_state``, ``|dt``, ``|age``,
``agency_of``, ``url_for`` per row); a faster row must read the same, character for character:
the same words in both languages, the same escaping of what users typed (titles, business
keys, names, a rejection's reason), the same attributes and order. Task ids are random, so
they are numbered in order of first appearance; the page's wall clock (the age column) is
fixed to the engine's test clock.

``ALUR_WRITE_GOLDEN=1`` writes the golden pages again (only when the page is *meant* to change;
read the diff before keeping it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from engine.users import Profile
from tests.engine.conftest import FIXTURES, EngineKit, make_kit, store_of
from tests.support.statements import sent_statements
from tests.webui.conftest import make_app, session_client
from tests.webui.test_http_completion_statements import (
    PAIR_BUDGET,
    complete,
    first_ready,
    statements,
)
from webui.backend import Backend

GOLDEN = Path(__file__).resolve().parent / "golden" / "inbox"
WRITE = os.environ.get("ALUR_WRITE_GOLDEN") == "1"

SURAT = (FIXTURES / "surat_keluar.bpmn").read_bytes()
KEY = "sop_surat_keluar"
KOMINFO = "sop_surat_kominfo"
AGENCY = 'Dinas Kominfo & "Statistik" <Kab. Contoh>'


def with_agency(xml: bytes) -> bytes:
    """The same process under another key, its SOP naming an agency (what the converter
    writes as a process-level ``instansi`` property): two processes of one name, told
    apart by the agency beside it."""
    text = xml.decode().replace(KEY, KOMINFO)
    opening = re.search(r"<bpmn:process [^>]*>", text)
    assert opening is not None
    value = AGENCY.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    ext = (
        "<bpmn:extensionElements><camunda:properties>"
        f'<camunda:property name="instansi" value="{value}"/>'
        "</camunda:properties></bpmn:extensionElements>"
    )
    return (text[: opening.end()] + ext + text[opening.end() :]).encode()


def fill(kit: EngineKit) -> None:
    """26 cases over five days of the test clock, in two processes (one with an agency):
    returned work (rejected by a named person and by one without a name), tasks claimed by
    the viewer, tasks waiting in the viewer's second lane, overdue and on-time ones, with and
    without a business key; titles, keys, names and reasons carry characters HTML escapes."""
    users = kit.users
    users.add(
        "staf",
        ["Staf", "Kasubbag Umum"],
        profile=Profile(full_name="Sri <Staf> Rahayu", jabatan="Pengadministrasi & Umum"),
    )
    users.add("budi", ["Kasubbag Umum"], profile=Profile(full_name='Budi "Kasubbag"'))
    users.add("nona", ["Staf", "Kasubbag Umum"], profile=Profile(language="en"))  # fmt: skip
    kit.definitions.deploy(SURAT)
    kit.definitions.deploy(with_agency(SURAT))
    rt = kit.runtime
    for i in range(26):
        kit.clock.advance(hours=1 + (i % 5) * 2, minutes=7 * i)
        inst = rt.start(KOMINFO if i % 3 == 0 else KEY, "staf",
                        title=f'Surat {i} <b>&amp;</b> "kutip"',
                        business_key=f"B/{i:03d}&x" if i % 2 else "")  # fmt: skip
        first = rt.instance_tasks(inst.id)[0].id
        if i % 4 == 0:
            rt.complete(first, "staf")
            check = next(t for t in rt.instance_tasks(inst.id) if t.state == "ready")
            by = "budi" if i % 8 == 0 else "nona"
            rt.complete(check.id, by, decision="tidak_setuju",
                        comment=f'perbaiki "judul" <i>{i}</i> & nomor')  # fmt: skip
        elif i % 4 == 1:
            rt.claim(first, "nona" if i % 8 == 5 else "staf")
        elif i % 4 == 2:
            rt.complete(first, "staf")
    kit.clock.advance(minutes=5)  # the first days' tasks overdue, the last ones not yet


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def main_of(html: str) -> str:
    """The page's ``<main>`` (the frame around it is other pages' too), task ids numbered."""
    found = re.search(r"<main>.*</main>", html, flags=re.S)
    assert found is not None
    names: dict[str, str] = {}
    return UUID.sub(lambda m: names.setdefault(m.group(0), f"task-{len(names)}"), found.group(0))


PAGES = {
    "staf_all": ("staf", "/kotak-masuk"),
    "staf_all_en": ("staf", "/kotak-masuk?lang=en"),
    "staf_page2_received": ("staf", "/kotak-masuk?hal=2&urut=diterima"),
    "staf_mine": ("staf", "/kotak-masuk?filter=mine"),
    "staf_overdue_process": ("staf", "/kotak-masuk?filter=overdue&urut=proses"),
    "staf_kominfo_search": ("staf", f"/kotak-masuk?proses={KOMINFO}&cari=Surat"),
    "nona_all_en": ("nona", "/kotak-masuk"),
    "nona_roles_id": ("nona", "/kotak-masuk?filter=roles&lang=id"),
}


@pytest.fixture()
def inbox_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    from webui.blueprints import tasks as tasks_view

    with store_of("sqlite", tmp_path) as store:
        kit = make_kit(store)
        fill(kit)

        class SeenAt(datetime):
            """The page's wall clock (the age column) at the engine's clock."""

            @classmethod
            def now(cls, tz: Any = None) -> Any:
                return kit.clock.now if tz is not None else kit.clock.now.replace(tzinfo=None)

        monkeypatch.setattr(tasks_view, "datetime", SeenAt)
        be = Backend(store=store, users=kit.users, definitions=kit.definitions,
                     runtime=kit.runtime)  # fmt: skip
        yield make_app(tmp_path, be, ALUR_NOTIFY_WEB_SECONDS=0)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_full_inbox_page_reads_as_before(inbox_app: Flask, name: str) -> None:
    user, url = PAGES[name]
    got = session_client(inbox_app, user).get(url)
    assert got.status_code == 200
    page = main_of(got.get_data(as_text=True))
    golden = GOLDEN / f"{name}.html"
    if WRITE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")


def test_the_golden_pages_show_what_the_data_holds() -> None:
    """The golden pages are the tests' truth: they must show every kind of row the data set
    was made to hold (else a page that lost them would be pinned as right)."""
    staf = (GOLDEN / "staf_all.html").read_text(encoding="utf-8")
    assert staf.count('<tr class="') == 20  # a full page (ALUR_PAGE_SIZE)
    assert 'class="badge returned" title="perbaiki &#34;judul&#34; &lt;i&gt;' in staf
    assert "oleh Budi &#34;Kasubbag&#34;" in staf and "oleh nona" in staf
    assert ('diambil oleh <span class="person" title="staf · Pengadministrasi &amp; Umum">'
            "Sri &lt;Staf&gt; Rahayu</span>") in staf  # fmt: skip
    agency = "Dinas Kominfo &amp; &#34;Statistik&#34; &lt;Kab. Contoh&gt;"
    assert f'<small class="muted agency">{agency}</small>' in staf
    assert 'class="overdue' in staf and '<span class="badge late">terlambat</span>' in staf
    assert '<span class="badge running">menunggu</span>' in staf
    assert '<small class="muted">B/' in staf and "&amp;x</small>" in staf
    assert "Surat 3 &lt;b&gt;&amp;amp;&lt;/b&gt; &#34;kutip&#34;" in staf
    assert re.search(r'<td class="nowrap" title="\d+ \w+ 2026 \d\d\.\d\d WIB">\d+ (hari|jam)</td>',
                     staf)  # fmt: skip
    assert "Halaman 1 dari 2" in staf
    english = (GOLDEN / "staf_all_en.html").read_text(encoding="utf-8")
    assert "returned" in english and "waiting" in english and "overdue" in english
    assert 'claimed by <span class="person"' in english
    nona = (GOLDEN / "nona_all_en.html").read_text(encoding="utf-8")
    assert "claimed by nona</small>" in nona  # a person without a full name: the user name, no span


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_full_inbox_page_reads_no_row_alone(kind: str, tmp_path: Path) -> None:
    """A page of 20 rows costs the statements of an empty one (its returned work rides in
    the page's own statement): the agencies, the people and the rows' words are never asked
    for row by row."""
    with store_of(kind, tmp_path) as store:
        kit = make_kit(store)
        kit.users.add("staf", ["Staf", "Kasubbag Umum"], profile=Profile(full_name="Sri"))
        kit.definitions.deploy(SURAT)
        kit.definitions.deploy(with_agency(SURAT))
        be = Backend(store=store, users=kit.users, definitions=kit.definitions,
                     runtime=kit.runtime)  # fmt: skip
        client = session_client(make_app(tmp_path, be, ALUR_NOTIFY_WEB_SECONDS=0), "staf")

        def counted() -> list[str]:
            seen: list[str] = []

            def keep(sql: str) -> None:
                if sql.split(None, 1)[0].upper() not in {"BEGIN", "COMMIT", "ROLLBACK"}:
                    seen.append(" ".join(sql.split()))

            client.get("/kotak-masuk")  # the cached reads (definitions, agencies) made
            with sent_statements(store, keep):
                assert client.get("/kotak-masuk").status_code == 200
            return seen

        empty = counted()
        for i in range(24):
            inst = kit.runtime.start(KOMINFO if i % 2 else KEY, "staf", title=f"Surat {i}")
            if i % 3 == 0:
                kit.runtime.claim(kit.runtime.instance_tasks(inst.id)[0].id, "staf")
        full = counted()
        if kind == "sqlite":  # read apart there (Queries._inbox_apart): + the cases' ended tasks
            added = [s for s in full if s not in empty]
            assert len(full) == len(empty) + 1, full
            assert added[0].startswith("SELECT tasks.instance_id, tasks.definition_id"), added
        else:  # the returned work rides in the page's one statement
            assert len(full) == len(empty), full
            assert not [s for s in full if s.startswith("SELECT tasks.instance_id")], full


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_completion_pair_with_a_full_inbox_adds_no_read(kind: str, tmp_path: Path) -> None:
    """The HTTP completion pair (POST + the inbox it redirects to) with a full page of tasks,
    some claimed by the user: the statements of the pair with an empty inbox
    (:data:`PAIR_BUDGET`), whatever the rows hold (the page's returned work rides in its own
    statement; the claimed ones name the user from the request's own user row, not the
    directory)."""
    with store_of(kind, tmp_path) as store:
        kit = make_kit(store)
        kit.users.add("staf", ["Staf"], profile=Profile(full_name="Sri", jabatan="Staf TU"))
        kit.definitions.deploy(SURAT)
        be = Backend(store=store, users=kit.users, definitions=kit.definitions,
                     runtime=kit.runtime)  # fmt: skip
        app = make_app(tmp_path, be, ALUR_NOTIFY_WEB_SECONDS=0)
        client = session_client(app, "staf")

        def pair() -> list[str]:
            task_id = first_ready(app)
            with statements(store) as seen:
                complete(client, task_id)
            return seen

        complete(client, first_ready(app))  # first reads of the definition and its spec made
        empty = pair()
        for i in range(24):
            inst = kit.runtime.start(KEY, "staf", title=f"Surat {i}")
            if i % 3 == 0:
                kit.runtime.claim(kit.runtime.instance_tasks(inst.id)[0].id, "staf")
        full = pair()
        assert len(empty) <= PAIR_BUDGET[kind], empty
        # SQLite reads the page's cases' ended tasks apart (Queries._inbox_apart)
        assert len(full) == len(empty) + (kind == "sqlite"), full
        assert not [s for s in full if s.startswith("SELECT users.") and "WHERE" not in s], full


def test_a_pages_rows_look_each_agency_and_person_up_once() -> None:
    """What the rows share is asked once per page: each definition's agency once, the viewer
    (who holds every claimed task of their inbox) never from the directory, another holder
    once; a task id is quoted in its address as ``url_for`` quotes a path segment."""
    from babel.support import NullTranslations

    from engine.records import TaskRow
    from engine.status import TaskState
    from engine.users import User
    from webui.inbox_rows import PageParts, inbox_rows

    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

    def task(n: int, definition_id: int, assignee: str | None) -> TaskRow:
        return TaskRow(
            id=f"t {n}/x", instance_id=n, definition_id=definition_id, process_key="p",
            process_name="P", instance_title=f"Kasus {n}", business_key="", element_id="s",
            name="Langkah", role="Staf", state=TaskState.READY, assignee=assignee,
            created=now - timedelta(hours=n), due=None, completed=None, completed_by=None,
            decision=None, allowed_decisions=(), overdue=False, documentation="",
        )  # fmt: skip

    asked: list[str] = []
    viewer = User(1, "sri", "Sri", ("Staf",), False, True, jabatan="Staf TU")
    other = User(2, "budi", "", ("Staf",), False, True)

    def agency_of(definition_id: int) -> str:
        asked.append(f"agency {definition_id}")
        return f"Dinas {definition_id}"

    def person_of(username: str) -> User | None:
        asked.append(f"person {username}")
        return other if username == "budi" else None

    parts = PageParts(
        task_prefix="/akar/tugas/",
        now=now,
        translations=NullTranslations(),
        datetime_text=lambda value: "kapan",
        agency_of=agency_of,
        person_of=person_of,
        display_name=lambda username: username,
        viewer=viewer,
    )
    tasks = [task(1, 7, "sri"), task(2, 7, "budi"), task(3, 8, None), task(4, 8, "budi"),
             task(5, 7, "sri")]  # fmt: skip
    rows = inbox_rows(tasks, {}, parts)
    assert sorted(asked) == ["agency 7", "agency 8", "person budi"]
    assert [r.agency for r in rows] == ["Dinas 7", "Dinas 7", "Dinas 8", "Dinas 8", "Dinas 7"]
    sri = rows[0].holder
    assert sri is not None and (sri.full_name, sri.title) == ("Sri", "sri · Staf TU")
    budi = rows[1].holder
    assert budi is not None and (budi.username, budi.full_name) == ("budi", "")
    assert rows[2].holder is None
    assert rows[0].href == "/akar/tugas/t%201/x"
    assert [r.waited for r in rows[:3]] == ["1 jam", "2 jam", "3 jam"]
    assert rows[2].due == "–" and rows[2].received == "kapan"


def test_the_kept_date_texts_are_the_dates_as_written(real_app: Flask) -> None:
    """``datetime_writer`` keeps each date's text per language and zone: what it gives, first
    time or kept, is exactly ``fmt_datetime`` (``|dt``) in the request's language, naive values
    taken as UTC, no date a dash."""
    from flask_babel import force_locale

    from webui.i18n import datetime_writer, fmt_datetime

    base = datetime(2026, 3, 1, 16, 59, 30, tzinfo=UTC)
    values = [base, base.replace(tzinfo=None), base + timedelta(days=40, minutes=1)]
    for locale, expected in (("id", "1 Mar 2026 23.59 WIB"), ("en", "1 Mar 2026 23.59 WIB")):
        with real_app.test_request_context("/"), force_locale(locale):
            write = datetime_writer()
            first = [write(v) for v in values]
            assert first == [write(v) for v in values] == [fmt_datetime(v) for v in values]
            assert first[0] == first[1] == expected and write(None) == "–"
    with real_app.test_request_context("/"), force_locale("en"):
        assert datetime_writer()(datetime(2026, 8, 17, 3, 0, tzinfo=UTC)) == "17 Aug 2026 10.00 WIB"
    with real_app.test_request_context("/"), force_locale("id"):
        assert datetime_writer()(datetime(2026, 8, 17, 3, 0, tzinfo=UTC)) == "17 Agu 2026 10.00 WIB"
