"""An inbox page's per-row and per-request work cut (issue 14, the HTTP completion row):
rows written once and kept by what they show, the page's links built once, the task rows
filled at once, the language object made once; every page as before.

The inbox's golden pages (``golden/inbox``, :mod:`tests.webui.test_inbox_rows`) pin what
the rows read; here the same pages are asked for again in one app, in both languages, so
the kept rows are what is shown, and a row whose data changed is written anew.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, url_for

from engine.analysis import HumanTask
from engine.records import TaskRow, to_task
from tests.webui.conftest import session_client
from tests.webui.test_inbox_rows import GOLDEN, PAGES, inbox_app, main_of  # noqa: F401
from webui.chrome import link
from webui.inbox_rows import InboxRow, PrintedRows, inbox_rows


def page(app: Flask, name: str) -> str:
    user, url = PAGES[name]
    got = session_client(app, user).get(url)
    assert got.status_code == 200
    return main_of(got.get_data(as_text=True))


def golden(name: str) -> str:
    return (GOLDEN / f"{name}.html").read_text(encoding="utf-8")


def test_kept_rows_read_as_the_golden_pages_in_both_languages(inbox_app: Flask) -> None:  # noqa: F811
    """The same rows in Indonesian and English in one app, each page asked for twice: the
    second time its rows come from the kept HTML (none written again), in its language."""
    names = ["staf_all", "staf_all_en", "nona_all_en", "nona_roles_id", "staf_page2_received"]
    for name in names:
        assert page(inbox_app, name) == golden(name), name
    written: list[InboxRow] = []
    keep = PrintedRows.keep

    def counted(self: PrintedRows, row: InboxRow, html: Any) -> Any:
        written.append(row)
        return keep(self, row, html)

    PrintedRows.keep = counted  # type: ignore[method-assign]
    try:
        for name in reversed(names):
            assert page(inbox_app, name) == golden(name), name
    finally:
        PrintedRows.keep = keep  # type: ignore[method-assign]
    assert written == []


def test_a_row_whose_data_changed_is_written_anew(inbox_app: Flask) -> None:  # noqa: F811
    """A task claimed since the last page shows its holder: its row's data is new, so is its
    HTML (nothing kept says what the database held before)."""
    before = page(inbox_app, "staf_all")
    backend = inbox_app.config["ALUR_BACKEND"]
    runtime = backend.runtime
    open_rows, _total = runtime.inbox("staf", limit=20)  # the page's rows, in its order
    free = next(t for t in open_rows if not t.assignee and t.role == "Kasubbag Umum")
    runtime.claim(free.id, "staf")
    after = page(inbox_app, "staf_all")
    assert after != before
    assert after.count("diambil oleh ") == before.count("diambil oleh ") + 1


def test_rows_are_not_kept_while_templates_reload(inbox_app: Flask) -> None:  # noqa: F811
    inbox_app.jinja_env.auto_reload = True
    assert page(inbox_app, "staf_all") == golden("staf_all")
    assert "alur.printed_rows" not in inbox_app.extensions


@pytest.mark.parametrize(
    ("endpoint", "values"),
    [
        ("tasks.inbox", {}),
        ("tasks.inbox", {"filter": "mine", "proses": None, "cari": None}),
        (
            "tasks.inbox",
            {"filter": "all", "proses": "sop_a&b", "cari": "Surat 3 /ü?#", "urut": "x"},
        ),
        ("tasks.inbox", {"urut": "proses", "filter": "roles"}),
        ("tasks.task", {"task_id": "-"}),
        ("tasks.task", {"task_id": "a b/c?"}),
    ],
)
def test_a_link_is_url_for(inbox_app: Flask, endpoint: str, values: dict[str, Any]) -> None:  # noqa: F811
    for root in ("", "/alur"):
        with inbox_app.test_request_context("/kotak-masuk", base_url=f"http://x{root}/"):
            assert link(endpoint, **values) == url_for(endpoint, **values)
            assert link(endpoint, **values) == url_for(endpoint, **values)  # the kept one


def test_a_link_takes_no_relative_endpoint_or_option(inbox_app: Flask) -> None:  # noqa: F811
    with inbox_app.test_request_context("/kotak-masuk"):
        with pytest.raises(ValueError):
            link(".inbox")
        with pytest.raises(ValueError):
            link("tasks.inbox", _anchor="x")


def test_a_task_row_is_filled_with_every_field() -> None:
    """``to_task`` fills the frozen row at once: every field of :class:`TaskRow`, equal to
    the row its ``__init__`` makes."""
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    row = SimpleNamespace(
        id="t-1", instance_id=3, definition_id=2, process_key="k", process_name="P",
        instance_title="Surat", business_key="B/1", element_id="Task_1", name="Menerima",
        role="Staf", state="ready", assignee=None, created=now,
        due=datetime(2026, 12, 6, tzinfo=UTC), completed=None, completed_by=None,
        decision=None, comment=None,
    )  # fmt: skip
    task = HumanTask(name="Menerima", lane="Staf", documentation="doc",
                     properties={"waktu": "1 hari"})  # fmt: skip
    made = to_task(row, task, now)
    assert set(vars(made)) == {f.name for f in dataclasses.fields(TaskRow)}
    assert made == TaskRow(**vars(made))
    assert made.overdue and made.state == "ready" and made.comment == ""
    assert made.properties == {"waktu": "1 hari"} and made.properties is not task.properties
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "x"  # type: ignore[misc]


def test_an_inbox_row_is_filled_with_every_field(inbox_app: Flask) -> None:  # noqa: F811
    from flask import g

    from webui.blueprints.tasks import _page_parts

    with inbox_app.test_request_context("/kotak-masuk"):
        backend = inbox_app.config["ALUR_BACKEND"]
        g.user = backend.users.get("staf")
        tasks, _total = backend.runtime.inbox("staf", limit=20)
        rows = inbox_rows(tasks, backend.runtime.returned(tasks), _page_parts())
    assert rows
    for row in rows:
        assert set(vars(row)) == {f.name for f in dataclasses.fields(InboxRow)}
        assert row == InboxRow(**vars(row)) and hash(row) == hash(InboxRow(**vars(row)))


def test_the_language_is_one_object_per_process(inbox_app: Flask) -> None:  # noqa: F811
    """The request's language is the process's one ``Locale`` of it (not parsed anew)."""
    from flask_babel import get_locale

    seen = []
    for url in ("/kotak-masuk", "/kotak-masuk?lang=en", "/kotak-masuk", "/kotak-masuk?lang=en"):
        with inbox_app.test_request_context(url):
            seen.append(get_locale())
    assert [str(s) for s in seen] == ["id", "en", "id", "en"]
    assert seen[0] is seen[2] and seen[1] is seen[3]
