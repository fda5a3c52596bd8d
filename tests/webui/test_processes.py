"""Analyst pages on the real engine: BPMN upload with every problem listed, versions,
downloads, and the SOP document upload → review → deploy / download BPMN."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.webui.conftest import FIXTURES, session_client, text

KEY = "sop_penyusunan_iku"
ROOT = Path(__file__).resolve().parents[2]


def upload(client: Any, data: bytes, name: str = "proses.bpmn") -> Any:
    return client.post(
        "/proses/unggah",
        data={"bpmn": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_invalid_bpmn_lists_every_problem_and_deploys_nothing(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    analis = session_client(real_app, "analis")
    r = upload(analis, (FIXTURES / "invalid.bpmn").read_bytes(), "rusak.bpmn")
    assert r.status_code == 400
    body = text(r)
    assert "rusak.bpmn tidak diterapkan" in body
    assert "tidak_ada" in body and "Tanpa lane" in body  # both problems, with element names
    assert "Tidak ada yang diterapkan" in body
    assert [d.key for d in be.definitions.list()] == [KEY]


@pytest.mark.parametrize(
    "data",
    [
        b"bukan xml sama sekali",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<x>&b;</x>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    ],
)
def test_hostile_or_broken_xml_is_refused_with_a_message(real_app: Flask, data: bytes) -> None:
    be = real_app.config["ALUR_BACKEND"]
    r = upload(session_client(real_app, "analis"), data)
    assert r.status_code == 400
    assert "tidak diterapkan" in text(r)
    assert "root:" not in r.get_data(as_text=True)  # no file contents leaked
    assert len(be.definitions.list()) == 1


def test_upload_wrong_extension_or_empty(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    r = upload(analis, b"<x/>", "proses.exe")
    assert r.status_code == 400 and "tidak didukung" in text(r)
    r = upload(analis, b"   ", "kosong.bpmn")
    assert r.status_code == 400 and "kosong" in text(r)
    r = analis.post("/proses/unggah", data={}, content_type="multipart/form-data")
    assert r.status_code == 400 and "Pilih berkas" in text(r)


def test_new_version_and_identical_upload(real_app: Flask) -> None:
    """An upload opens the preview; only its confirmation deploys (tests/webui/test_deploy.py
    has the preview itself)."""
    be = real_app.config["ALUR_BACKEND"]
    analis = session_client(real_app, "analis")
    same = (FIXTURES / "iku.bpmn").read_bytes()
    r = upload(analis, same, "iku.bpmn")
    assert r.status_code == 302
    assert "sama dengan versi 1" in text(analis.get(r.headers["Location"]))
    changed = same.replace(b"Menerima konsep IKU", b"Menerima konsep IKU dari Seksi")
    r = upload(analis, changed, "iku.bpmn")
    assert len(be.definitions.versions(KEY)) == 1  # nothing deployed before the confirmation
    done = analis.post(r.headers["Location"], data={"versi": 1})
    page = text(analis.get(done.headers["Location"]))
    assert "Penyusunan IKU versi 2 diterapkan." in page
    assert [d.version for d in be.definitions.versions(KEY)] == [1, 2]
    old = analis.get(f"/proses/{KEY}?versi=1")
    assert "versi 1" in text(old)
    assert analis.get(f"/proses/{KEY}/v1.bpmn").data == same


def test_process_list_shows_running_counts(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    be.runtime.start(KEY, "kasubbag", title="a")
    be.runtime.start(KEY, "kasubbag", title="b")
    html = session_client(real_app, "kadis").get("/proses/").get_data(as_text=True)
    assert "<td>2</td>" in html




def sop_upload(client: Any, data: bytes, name: str) -> Any:
    return client.post(
        "/proses/sop",
        data={"sop": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_sop_upload_of_junk_says_why(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    r = sop_upload(analis, b"\x00\x01\x02 ini bukan SOP", "acak.txt")
    assert r.status_code == 400
    assert "tidak dapat dibaca" in text(r)


def test_sop_upload_wrong_type(real_app: Flask) -> None:
    r = sop_upload(session_client(real_app, "analis"), b"MZ\x90\x00", "sop.exe")
    assert r.status_code == 400 and "tidak didukung" in text(r)


def test_unknown_draft_is_404(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    assert analis.get("/proses/sop/" + "0" * 32).status_code == 404
    assert analis.get("/proses/sop/../../etc").status_code == 404


def test_sop_document_pdf_docx_and_html_preview(real_app: Flask) -> None:
    import io
    import zipfile

    from pypdf import PdfReader

    be = real_app.config["ALUR_BACKEND"]
    (definition,) = be.definitions.list()
    base = f"/proses/{definition.key}/v{definition.version}"
    staff = session_client(real_app, "kadis")
    page = staff.get(f"/proses/{definition.key}").get_data(as_text=True)
    assert f"{base}/dokumen.pdf" in page and f"{base}/dokumen.docx" in page

    pdf = staff.get(f"{base}/dokumen.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    pages = PdfReader(io.BytesIO(pdf.data)).pages
    assert len(pages) >= 2  # identity page + flowchart table
    assert all(p.mediabox.width > p.mediabox.height for p in pages)  # landscape
    f4 = PdfReader(io.BytesIO(staff.get(f"{base}/dokumen.pdf?kertas=f4").data)).pages[0]
    assert f4.mediabox.width > pages[0].mediabox.width

    docx = staff.get(f"{base}/dokumen.docx")
    assert docx.status_code == 200
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(docx.data)).namelist()

    html = staff.get(f"{base}/dokumen.html")
    assert html.status_code == 200 and b"<svg" in html.data and b"<script" not in html.data
    assert "script-src" not in html.headers["Content-Security-Policy"]
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]


def test_sop_document_bad_format_paper_or_anonymous(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    (definition,) = be.definitions.list()
    base = f"/proses/{definition.key}/v{definition.version}"
    staff = session_client(real_app, "kadis")
    assert staff.get(f"{base}/dokumen.exe").status_code == 404
    assert staff.get(f"{base}/dokumen.pdf?kertas=a0").status_code == 400
    assert staff.get(f"/proses/{definition.key}/v99/dokumen.pdf").status_code == 404
    anonymous = real_app.test_client().get(f"{base}/dokumen.pdf")
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]
