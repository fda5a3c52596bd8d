"""Uploads take every input the command line reads, and state one limit in one wording.

The SOP page reads a PDF, a scan (PNG), a DOCX, an XLSX, a YAML, a text SOP, a CSV, a BPMN,
Tesseract's hOCR and poppler's word boxes (made by the project's fixture generators); the
BPMN page sends an SOP document to its own page.
The limits: one value each (webui.limits), the same sentence on the upload pages, the task
page, a refusal and the 413 page, which stays a page of the app (nav, user, a way back).
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from flask import Flask

from tests.support.drawn_fixtures import case
from tests.support.office_fixtures import SAMPLES, sample_file
from tests.webui.conftest import FIXTURES, make_app, session_client, text
from tests.webui.test_reading_jobs import through_reading
from webui import limits

KEY = "sop_penyusunan_iku"
YAML = next(p for p in SAMPLES if p.name == "a1-example.yaml")
TEXT = SAMPLES[0]


def post(client: Any, url: str, field: str, data: bytes, name: str) -> Any:
    return client.post(
        url, data={field: (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _csv() -> bytes:
    """The sample tab text saved as a spreadsheet saves CSV in an Indonesian locale (``;``)."""
    import csv

    rows = csv.reader(io.StringIO(TEXT.read_text(encoding="utf-8")), delimiter="\t")
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode()


def _scan_png() -> bytes:
    from tests.support.scan_fixtures import load_sample, render_scan

    return render_scan(load_sample(TEXT), dpi=150, flow_only=True).images[0]


def _hocr() -> bytes:
    """Tesseract's hOCR of a generated SOP (the readers' fixture)."""
    import gzip
    from pathlib import Path

    fixture = (Path(__file__).resolve().parents[1] / "converters" / "reading" / "fixtures"
               / "hocr-300dpi-psm3-seed1100.hocr.gz")  # fmt: skip
    return gzip.decompress(fixture.read_bytes())


def _bbox_xhtml() -> bytes:
    """``pdftotext -bbox-layout`` of the drawn PDF: its words with their boxes."""
    import subprocess

    pdf = case("hand:a4-kegiatan:persetujuan").pdf()
    return subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout  # fmt: skip


FORMATS = {
    "pdf": lambda: case("hand:a4-kegiatan:persetujuan").pdf(),
    "png": _scan_png,
    "docx": lambda: sample_file(YAML, "docx"),
    "xlsx": lambda: sample_file(YAML, "xlsx"),
    "yaml": YAML.read_bytes,
    "txt": TEXT.read_bytes,
    "csv": _csv,
    "bpmn": lambda: (FIXTURES / "iku.bpmn").read_bytes(),
    "hocr": _hocr,
    "xhtml": _bbox_xhtml,
}


@pytest.mark.parametrize("ext", list(FORMATS))
def test_the_sop_page_reads_every_format_the_cli_reads(real_app: Flask, ext: str) -> None:
    analis = session_client(real_app, "analis")
    r = post(analis, "/proses/sop", "sop", FORMATS[ext](), f"sop.{ext}")
    r = through_reading(analis, r)  # a scan outlasts the upload's wait: its job page
    assert r.status_code == 302, text(r)
    draft = analis.get(r.headers["Location"])
    assert draft.status_code == 200
    assert "langkah" in text(draft).lower()


def test_the_sop_form_offers_every_format(real_app: Flask) -> None:
    page = session_client(real_app, "analis").get("/proses/sop").get_data(as_text=True)
    accept = re.search(r'id="sop"[^>]*accept="([^"]+)"', page)
    assert accept is not None
    assert set(accept.group(1).split(",")) >= {
        ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".docx", ".xlsx", ".yaml", ".yml",
        ".txt", ".csv", ".tsv", ".md", ".html", ".htm", ".bpmn", ".hocr", ".xhtml", ".xml",
    }  # fmt: skip


def test_an_sop_document_on_the_bpmn_page_is_sent_to_its_page(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    analis = session_client(real_app, "analis")
    for ext in ("docx", "yaml", "txt"):
        r = post(analis, "/proses/unggah", "bpmn", FORMATS[ext](), f"sop.{ext}")
        assert r.status_code == 400, ext
        assert "bukan berkas BPMN" in text(r) and "Unggah dokumen SOP" in text(r)
        assert 'href="/proses/sop"' in r.get_data(as_text=True)
    assert len(be.definitions.list()) == 1


# -- limits -------------------------------------------------------------------------------


def test_one_value_per_limit_from_one_module(real_app: Flask) -> None:
    cfg = real_app.config
    assert cfg["MAX_CONTENT_LENGTH"] == limits.DOCUMENT_BYTES == 10_000_000
    assert cfg["ALUR_ATTACHMENT_MAX_BYTES"] == limits.ATTACHMENT_BYTES == 5_000_000
    with real_app.test_request_context():
        assert limits.document_rule() == "Paling besar 10 MB per berkas."
        assert limits.attachment_rule() == (
            "Paling besar 5 MB per berkas, 10 MB untuk semua lampiran sekaligus."
        )
        assert limits.megabytes(4_500_000) == "4,5 MB"


def test_the_upload_pages_state_the_document_rule(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    for url in ("/proses/unggah", "/proses/sop"):
        assert "Paling besar 10 MB per berkas." in text(analis.get(url)), url


def _task_page(app: Flask) -> tuple[Any, str]:
    be = app.config["ALUR_BACKEND"]
    be.runtime.start(KEY, "kasubbag", title="IKU")
    task = be.runtime.inbox("kasubbag")[0][0]
    client = session_client(app, "kasubbag")
    return client, task.id


def test_the_attachment_rule_reads_the_same_everywhere(real_app: Flask, tmp_path: Any) -> None:
    rule = "Paling besar 5 MB per berkas, 10 MB untuk semua lampiran sekaligus."
    client, task_id = _task_page(real_app)
    assert rule in text(client.get(f"/tugas/{task_id}"))
    refused = client.post(
        f"/tugas/{task_id}/selesai",
        data={"attachments": (io.BytesIO(b"%PDF-" + b"x" * 5_100_000), "besar.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert f"Berkas 'besar.pdf' melebihi batas. {rule}" in html.unescape(text(refused))
    too_big = client.post(
        f"/tugas/{task_id}/selesai",
        data={"attachments": [(io.BytesIO(b"%PDF-" + b"x" * 4_000_000), f"{n}.pdf")
                              for n in range(3)]},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert too_big.status_code == 413
    assert f"Berkas melebihi batas. {rule}" in text(too_big)


def test_the_413_page_keeps_the_user_and_a_way_back(real_app: Flask, tmp_path: Any) -> None:
    app = make_app(tmp_path, real_app.config["ALUR_BACKEND"], MAX_CONTENT_LENGTH=2_000_000,
                   WTF_CSRF_ENABLED=True)  # fmt: skip
    analis = session_client(app, "analis")
    r = analis.post(
        "/proses/unggah",
        data={"bpmn": (io.BytesIO(b"x" * 2_100_000), "besar.bpmn")},
        content_type="multipart/form-data",
        headers={"Referer": "http://localhost/proses/unggah"},
    )
    assert r.status_code == 413
    page = r.get_data(as_text=True)
    assert "Berkas terlalu besar" in text(r)
    assert "Berkas melebihi batas. Paling besar 2 MB per berkas." in text(r)
    assert 'class="mainnav"' in page and "Keluar" in text(r)  # still logged in, with the nav
    assert 'href="/proses/unggah"' in page  # back to the form


def test_an_opendocument_upload_without_libreoffice_says_what_to_do(
    real_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.converters.reading.readers.test_opendocument import ODT

    monkeypatch.setenv("ALUR_SOFFICE", "off")
    analis = session_client(real_app, "analis")
    r = through_reading(analis, post(analis, "/proses/sop", "sop", ODT, "sop.odt"))
    assert r.status_code == 400
    assert "LibreOffice" in text(r) and "DOCX" in text(r)
