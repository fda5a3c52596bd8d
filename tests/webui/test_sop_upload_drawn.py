""""Unggah dokumen SOP" takes PDFs and scans: a drawn PDF is read from its symbols and shown
for review; a broken PDF is refused with the reader's one-line reason (HTTP 400)."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask

from tests.support.drawn_fixtures import case
from tests.webui.conftest import session_client, text
from tests.webui.test_reading_jobs import through_reading


def sop_upload(client: Any, data: bytes, name: str) -> Any:
    return client.post("/proses/sop", data={"sop": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_form_accepts_pdf_and_images(real_app: Flask) -> None:
    body = session_client(real_app, "analis").get("/proses/sop").get_data(as_text=True)
    for ext in (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"):
        assert ext in body


def test_drawn_pdf_upload_shows_review(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    c = case("hand:a4-kegiatan:persetujuan")
    r = sop_upload(analis, c.pdf(), "persetujuan-cuti.pdf")
    r = through_reading(analis, r)  # on a busy machine the reading may outlast the wait
    assert r.status_code == 302, text(r)
    body = text(analis.get(r.headers["Location"]))
    assert "Menyetujui permohonan" in body and "Kepala Bidang" in body


def test_bad_pdf_is_400_with_reason(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    data = case("hand:a4-kegiatan:persetujuan").pdf()
    r = sop_upload(analis, data[: len(data) // 3], "rusak.pdf")
    assert r.status_code == 400
    body = text(r)
    assert "tidak dapat dibaca" in body and "PDF rusak" in body


def test_image_that_is_no_sop_is_400(real_app: Flask) -> None:
    from tests.converters.reading.drawn.test_bad_input import png_bomb

    r = sop_upload(session_client(real_app, "analis"), png_bomb(), "pindaian.png")
    assert r.status_code == 400 and "tidak dapat dibaca" in text(r)
