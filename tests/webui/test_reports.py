"""Report pages, downloads and `alur report` / `alur export-log` (issue 15), on the real engine
with a generated history (tests/support/compliance_history.py)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from flask import Flask

from tests.support.compliance_history import generate
from tests.webui.conftest import session_client, text

KEY = "sop_penyusunan_iku"


@pytest.fixture()
def app(real_app: Flask) -> Flask:
    generate(real_app.config["ALUR_BACKEND"].store, KEY, 40)
    return real_app


def test_report_page_has_figures_charts_and_no_scripts(app: Flask) -> None:
    c = session_client(app, "analis")
    r = c.get(f"/laporan/{KEY}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert "style=" not in html.split("<svg", 1)[1]  # presentation attributes only (CSP)
    assert "<script>" not in html and "cdn" not in html.lower()
    page = text(r)
    # 40 cases: step_1 late when i % 4 == 0 → 30 of 40 on time = 75 %
    assert "Menerima konsep IKU" in page and "75%" in page
    for link in ("laporan.pdf", "laporan.xlsx", "langkah.csv", "monitoring", "log.xes"):
        assert f"/laporan/{KEY}/{link}" in html
    assert c.get(f"/laporan/{KEY}?dari=kemarin").status_code == 400


def test_process_page_links_to_the_report(app: Flask) -> None:
    html = session_client(app, "analis").get(f"/proses/{KEY}").get_data(as_text=True)
    assert f"/laporan/{KEY}" in html and f"/laporan/{KEY}/log.xes" in html


def test_downloads(app: Flask) -> None:
    c = session_client(app, "analis")
    rows = list(csv.reader(io.StringIO(c.get(f"/laporan/{KEY}/langkah.csv").data.decode(
        "utf-8-sig"))))
    assert rows[0][:2] == ["No", "Langkah"] and len(rows) == 5
    assert rows[1][5] == "40"  # step_1 done 40 times
    xlsx = c.get(f"/laporan/{KEY}/laporan.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.data))
    assert wb.sheetnames == ["Ringkasan", "Langkah", "Peran", "Pengguna", "Kasus", "Bulan"]
    assert wb["Kasus"].max_row == 41
    pdf = c.get(f"/laporan/{KEY}/laporan.pdf")
    assert pdf.data.startswith(b"%PDF")
    from pypdf import PdfReader

    assert "Menerima konsep IKU" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    svg = c.get(f"/laporan/{KEY}/diagram.svg")
    assert b"late-poor" in svg.data or b"late-fair" in svg.data  # step_4: 2/3 on time
    log = c.get(f"/laporan/{KEY}/log.xes?dari=2025-12-01&sampai=2025-12-05")
    assert log.data.count(b"<trace>") == 5


def test_monitoring_form(app: Flask) -> None:
    c = session_client(app, "analis")
    page = text(c.get(f"/laporan/{KEY}/monitoring"))
    assert "FORMULIR MONITORING PELAKSANAAN SOP AP" in page
    assert "Catatan hasil penilaian" in page and "Tindakan yang harus diambil" in page
    assert c.get(f"/laporan/{KEY}/monitoring.pdf").data.startswith(b"%PDF")
    from docx import Document

    doc = Document(io.BytesIO(c.get(f"/laporan/{KEY}/monitoring.docx").data))
    table = doc.tables[0]
    assert len(table.rows) == 5 and table.rows[0].cells[1].text == "Prosedur"
    assert table.rows[2].cells[2].text == "Ya"  # step_2 always on time


def test_access(app: Flask) -> None:
    staff = session_client(app, "kadis")
    assert staff.get(f"/laporan/{KEY}").status_code == 403
    assert staff.get(f"/laporan/{KEY}/log.csv").status_code == 403
    assert staff.get("/laporan/peran/Kasubbag PEKK").status_code == 403
    own = staff.get("/laporan/peran/Kepala Dinas")
    assert own.status_code == 200 and "Menandatangani IKU" in text(own)
    assert "/laporan/" in staff.get("/laporan/").get_data(as_text=True)


def test_english_page(app: Flask) -> None:
    c = session_client(app, "analis")
    c.post("/bahasa", data={"lang": "en"})
    html = c.get(f"/laporan/{KEY}").get_data(as_text=True)
    assert re.search(r"Compliance|On time", html)


def test_cli_report_and_export_log(app: Flask, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    from webui.cli import main

    monkeypatch.setenv("ALUR_DATABASE_URL", app.config["ALUR_BACKEND"].store.url)
    assert main(["report", KEY]) == 0
    out = capsys.readouterr().out
    assert "Menerima konsep IKU" in out and "kasus 40" in out
    target = tmp_path / "log.xes"
    assert main(["export-log", KEY, "--from", "2025-12-01", "--to", "2025-12-05",
                 "--format", "xes", "-o", str(target)]) == 0
    assert target.read_bytes().count(b"<trace>") == 5
    assert main(["export-log", KEY, "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") > 40
    assert main(["report", "tidak-ada"]) == 2
    assert main(["report", KEY, "--monitoring", "--format", "docx", "-o",
                 str(tmp_path / "m.docx")]) == 0
