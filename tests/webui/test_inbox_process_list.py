"""The process list of the inbox's filter and of the start page (issue 14): known current
from the stamp the request's header counts read (:data:`engine.definitions.DEFINITION_ROWS`),
so a page whose list is current sends no read of it, and a process another web process
deploys is listed on this process's very next page (multi-host: nothing kept here that
another process could make stale without the stamp saying so)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.definitions import Definitions
from engine.store import Store
from tests.engine.conftest import SURAT
from tests.webui.conftest import session_client
from tests.webui.test_http_completion_statements import statements, web  # noqa: F401 (fixture)

OTHER = (
    SURAT.read_bytes()
    .replace(b"sop_surat_keluar", b"sop_lain")
    .replace(b"Penyusunan Surat Keluar", b"Penerimaan Surat Lain")
)
"""Another process whose first step is in the Staf lane (its key and name changed)."""


def _lists(client: FlaskClient, path: str) -> tuple[bool, bool, int, int]:
    """(lists the first process, lists the other one, how many statements the page sent,
    how many of them read the process list)."""
    store: Store = client.application.config["ALUR_BACKEND"].store
    with statements(store) as seen:
        page = client.get(path).get_data(as_text=True)
    reads = [s for s in seen if s.endswith("ORDER BY definitions.name, definitions.key")
             or s.endswith('ORDER BY definitions.name, definitions."key"')]  # fmt: skip
    return "Penyusunan Surat Keluar" in page, "Penerimaan Surat Lain" in page, len(seen), len(reads)


@pytest.mark.parametrize("path", ["/kotak-masuk", "/mulai"])
def test_a_process_another_web_process_deploys_is_listed_on_the_next_page(
    web: Flask, path: str  # noqa: F811 (the fixture of test_http_completion_statements)
) -> None:
    client = session_client(web, "staf")
    client.get(path)  # the list read once, with its stamp
    # the user, then the page's (or the header's) one statement: the list is current (SQLite
    # reads the inbox's page and its header's counts apart: Queries._inbox_apart)
    apart = web.config["ALUR_BACKEND"].store.dialect == "sqlite" and path == "/kotak-masuk"
    sent = 3 if apart else 2
    assert _lists(client, path) == (True, False, sent, 0)
    elsewhere = Store.from_url(str(web.config["ALUR_BACKEND"].store.engine.url))
    try:
        assert Definitions(elsewhere).deploy(OTHER).created
    finally:
        elsewhere.dispose()
    first, other, _, reads = _lists(client, path)
    assert (first, other, reads) == (True, True, 1)  # the stamp moved: the list read again
    assert _lists(client, path) == (True, True, sent, 0)  # then current again
