"""The case list: it counts what the user sees, and it searches (real engine, SQLite + PG)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from engine.definitions import Definitions
from engine.runtime import Runtime
from engine.users import Users
from tests.engine.conftest import drop_schema, make_store
from tests.webui.conftest import FIXTURES, make_app, session_client, text
from webui.backend import Backend

ROOT = Path(__file__).resolve().parents[2]
JATENG = ROOT / "bpmn" / "jateng-kesbangpol-penyusunan-iku.bpmn"  # no lane of kadis's


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    store, schema = make_store(request.param, tmp_path)
    users = Users(store)
    users.add("analis", ("Analis",), full_name="Rina Analis")
    users.add("kasubbag", ("Kasubbag PEKK",), full_name="Dewi Kasubbag")
    users.add("kadis", ("Kepala Dinas",), full_name="Budi Santoso")
    users.add("kaban", ("Kepala Badan",), full_name="Agus Kaban")
    users.add("wakil", ("Kepala Badan",), full_name="Sari Wulandari")
    definitions = Definitions(store)
    definitions.deploy((FIXTURES / "iku.bpmn").read_bytes(), "iku.bpmn", "analis")
    jateng = definitions.deploy(JATENG.read_bytes(), JATENG.name, "analis").definition
    runtime = Runtime(store, definitions)
    runtime.start("sop_penyusunan_iku", "kasubbag", title="IKU Dinas 2026", business_key="B-1")
    for n in (1, 2, 3):
        runtime.start(jateng.key, "kaban", title=f"IKU Kesbangpol {n}")
    runtime.start(jateng.key, "wakil", title="Usulan Sari")
    be = Backend(store=store, users=users, definitions=definitions, runtime=runtime)
    try:
        yield make_app(tmp_path, be, ALUR_PAGE_SIZE=2)
    finally:
        store.dispose()
        if schema:
            drop_schema(schema)


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return re.findall(r'href="/kasus/(\d+)"', body)


def test_staff_count_is_what_they_see(app: Flask) -> None:
    c = session_client(app, "kadis")
    r = c.get("/kasus/")
    assert r.status_code == 200
    assert len(_rows(r.get_data(as_text=True))) == 1  # only the case in kadis's lanes
    assert "1 kasus" in text(r) and "5 kasus" not in text(r)
    assert "Halaman 1 dari" not in text(r)  # one case: no pager over invisible cases


def test_pages_count_visible_cases(app: Flask) -> None:
    kaban = text(session_client(app, "kaban").get("/kasus/"))
    assert "4 kasus" in kaban and "Halaman 1 dari 2" in kaban
    analyst = text(session_client(app, "analis").get("/kasus/"))
    assert "5 kasus" in analyst and "Halaman 1 dari 3" in analyst


@pytest.mark.parametrize(("query", "titles"), [
    ("Kesbangpol 2", {"IKU Kesbangpol 2"}),  # title
    ("b-1", {"IKU Dinas 2026"}),  # business key, any case
    ("INDIKATOR KINERJA", {"IKU Kesbangpol 1", "IKU Kesbangpol 2", "IKU Kesbangpol 3",
                           "Usulan Sari"}),  # process name
    ("Sari", {"Usulan Sari"}),  # the starter's display name
    ("wakil", {"Usulan Sari"}),  # the starter's user name
    ("#1", {"IKU Dinas 2026"}),  # case number
])
def test_search_by_number_title_process_and_starter(
        app: Flask, query: str, titles: set[str]) -> None:
    c = session_client(app, "analis")
    app.config["ALUR_PAGE_SIZE"] = 20
    r = c.get("/kasus/", query_string={"cari": query})
    page = r.get_data(as_text=True)
    shown = {t for t in ("IKU Dinas 2026", "IKU Kesbangpol 1", "IKU Kesbangpol 2",
                         "IKU Kesbangpol 3", "Usulan Sari") if t in page}
    assert shown == titles
    assert f"{len(titles)} kasus" in text(r)
    assert f'value="{query}"' in page  # the search box keeps the text


def test_search_within_what_staff_may_see(app: Flask) -> None:
    c = session_client(app, "kadis")
    r = c.get("/kasus/", query_string={"cari": "Kesbangpol"})
    assert "Tidak ada kasus yang cocok" in text(r)
    assert "IKU Dinas 2026" in text(c.get("/kasus/", query_string={"cari": "dinas"}))


def test_a_long_or_odd_search_is_harmless(app: Flask) -> None:
    c = session_client(app, "analis")
    for q in ("%", "_", "' OR 1=1 --", "x" * 5000, "#99999999999999999999"):
        r = c.get("/kasus/", query_string={"cari": q})
        assert r.status_code == 200
    assert "Tidak ada kasus yang cocok" in text(c.get("/kasus/", query_string={"cari": "%"}))
