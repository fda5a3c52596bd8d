"""The embedded modeler's routes: the page, drafts, validation and the way to the deploy
preview, with the real engine (fixtures/iku.bpmn deployed as version 1)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.webui.conftest import FIXTURES, session_client, text
from webui.blueprints import modeler

KEY = "sop_penyusunan_iku"
BASE = f"/proses/{KEY}/v1"
IKU = (FIXTURES / "iku.bpmn").read_bytes()


def post_xml(client: FlaskClient, url: str, xml: bytes) -> Any:
    """What the page's script posts: the diagram as the file field ``xml``."""
    return client.post(
        url, data={"xml": (io.BytesIO(xml), "diagram.bpmn")}, content_type="multipart/form-data"
    )


@pytest.fixture()
def analis(real_app: Flask) -> FlaskClient:
    return session_client(real_app, "analis")


def drafts(app: Flask) -> Any:
    from engine.bpmn_drafts import BpmnDrafts

    return BpmnDrafts(app.config["ALUR_BACKEND"].store)


def definition_id(app: Flask) -> int:
    return int(app.config["ALUR_BACKEND"].definitions.get(KEY, 1).id)


def renamed(xml: bytes, old: str, new: str) -> bytes:
    assert old.encode() in xml
    return xml.replace(old.encode(), new.encode())


def test_page_loads_the_deployed_version_under_its_own_policy(analis: FlaskClient) -> None:
    r = analis.get(f"{BASE}/ubah")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert f'data-source="{BASE}.bpmn"' in html
    assert "modeler/modeler.js" in html and "Simpan draf" in html and "Terapkan" in html
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp
    assert "'unsafe-inline'" not in csp  # only the panel's two style values, by hash
    assert csp.count("'sha256-") == len(modeler.PANEL_STYLES)
    assert csp == modeler.MODELER_CSP


def test_other_pages_keep_the_strict_policy(analis: FlaskClient) -> None:
    csp = analis.get(f"/proses/{KEY}").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp


def test_page_says_when_the_bundle_was_not_built(
    analis: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(modeler, "BUNDLE", Path("modeler") / "belum-ada.js")
    r = analis.get(f"{BASE}/ubah")
    assert r.status_code == 200
    assert "Modeler belum dibangun" in text(r) and "npm run build:modeler" in text(r)
    assert "modeler/modeler.js" not in r.get_data(as_text=True)


def test_saved_draft_survives_and_is_reopened(real_app: Flask, analis: FlaskClient) -> None:
    edited = renamed(IKU, "Menandatangani IKU", "Menandatangani dan mengesahkan IKU")
    r = post_xml(analis, f"{BASE}/draf", edited)
    assert r.status_code == 302 and r.headers["Location"] == f"{BASE}/ubah"
    draft = drafts(real_app).get(definition_id(real_app))
    assert draft is not None and draft.xml == edited and draft.saved_by == "analis"

    page = session_client(real_app, "admin").get(f"{BASE}/ubah")  # another analyst sees it
    assert f'data-source="{BASE}/draf.bpmn"' in page.get_data(as_text=True)
    assert "Draf tersimpan" in text(page) and "analis" in text(page)
    assert analis.get(f"{BASE}/draf.bpmn").data == edited
    original = analis.get(f"{BASE}/ubah?asli=1").get_data(as_text=True)
    assert f'data-source="{BASE}.bpmn"' in original

    process_page = analis.get(f"/proses/{KEY}")
    assert "Lanjutkan draf BPMN" in text(process_page)
    assert f'href="{BASE}/ubah"' in process_page.get_data(as_text=True)

    again = renamed(IKU, "Menandatangani IKU", "Mengesahkan IKU")
    post_xml(analis, f"{BASE}/draf", again)  # a second save replaces the first
    assert analis.get(f"{BASE}/draf.bpmn").data == again


def test_discard_forgets_the_draft(real_app: Flask, analis: FlaskClient) -> None:
    post_xml(analis, f"{BASE}/draf", IKU)
    r = analis.post(f"{BASE}/draf/hapus")
    assert r.status_code == 302
    assert drafts(real_app).get(definition_id(real_app)) is None
    assert analis.get(f"{BASE}/draf.bpmn").status_code == 404
    assert "Ubah di modeler" in text(analis.get(f"/proses/{KEY}"))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "kosong"),
        (b"<bpmn:definitions", "bukan XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "DOCTYPE"),
        (b"<html><body>bukan bpmn</body></html>", "bukan dokumen BPMN"),
    ],
)
def test_a_draft_that_is_no_bpmn_is_refused_with_a_reason(
    real_app: Flask, analis: FlaskClient, body: bytes, reason: str
) -> None:
    r = post_xml(analis, f"{BASE}/draf", body)
    assert r.status_code == 302  # back to the page with the reason, as every refused POST
    with analis.session_transaction() as s:
        flashes = " ".join(m for _c, m in s.get("_flashes", []))
    assert reason in flashes
    assert drafts(real_app).get(definition_id(real_app)) is None


def test_validasi_lists_the_problems_and_keeps_the_posted_diagram(
    real_app: Flask, analis: FlaskClient
) -> None:
    broken = (FIXTURES / "invalid.bpmn").read_bytes()
    r = post_xml(analis, f"{BASE}/validasi", broken)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'id="problems"' in html and "Tanpa lane" in text(r)
    assert '<textarea id="modeler-xml" hidden>' in html
    assert drafts(real_app).get(definition_id(real_app)) is None  # validating stores nothing
    ok = post_xml(analis, f"{BASE}/validasi", IKU)  # deployable, but drawn without BPMNDI
    assert 'id="problems"' not in ok.get_data(as_text=True)
    assert "Tidak ada masalah" in text(ok)
    assert "Dapat diterapkan, dengan 1 peringatan" in text(ok) and "BPMNDI" in text(ok)


def test_terapkan_keeps_the_draft_and_goes_to_the_preview(
    real_app: Flask, analis: FlaskClient
) -> None:
    from webui import deploying

    edited = renamed(IKU, "Menandatangani IKU", "Mengesahkan IKU")
    r = post_xml(analis, f"{BASE}/terapkan", edited)
    assert r.status_code == 302
    found = re.fullmatch(r"/proses/terapkan/([0-9a-f]{32})", r.headers["Location"])
    assert found, r.headers["Location"]
    with real_app.test_request_context():
        staged = deploying.staged(found.group(1), "analis")
    assert staged is not None and staged.xml == edited
    assert staged.source == f"modeler:{KEY}/v1"
    assert drafts(real_app).get(definition_id(real_app)) is not None
    assert len(real_app.config["ALUR_BACKEND"].definitions.versions(KEY)) == 1  # not yet


def test_unknown_version_is_404(analis: FlaskClient) -> None:
    assert analis.get(f"/proses/{KEY}/v9/ubah").status_code == 404
    assert post_xml(analis, f"/proses/{KEY}/v9/draf", IKU).status_code in (302, 404)
