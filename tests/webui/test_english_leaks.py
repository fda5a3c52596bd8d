"""No English from the converters or the engine on the Indonesian pages (real engine)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask

from tests.webui.conftest import session_client, text
from webui.converter_text import plain_message, provenance_source

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GLOSSES = ("(role guessed)", "(not an SOP)", "(number guessed)", "(role added)",
           "(decision target guessed)", "step has no activity text")


def test_a_missing_case_is_a_case_not_an_agency(real_app: Flask) -> None:
    c = session_client(real_app, "admin")
    r = c.get("/kasus/9999")
    assert r.status_code == 404
    page = text(r)
    assert "Kasus #9999 tidak ditemukan" in page
    assert "Instansi" not in page


def test_broken_bpmn_xml_reads_in_indonesian(real_app: Flask) -> None:
    c = session_client(real_app, "analis")
    broken = (b'<?xml version="1.0"?><bpmn:definitions xmlns:bpmn='
              b'"http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p">')
    r = c.post("/proses/unggah", data={"bpmn": (io.BytesIO(broken), "rusak.bpmn")},
               content_type="multipart/form-data", follow_redirects=True)
    page = text(r)
    assert "Berkas bukan XML yang sah" in page
    # lxml's English detail is at most in parentheses after the Indonesian sentence
    for detail in ("Premature end of data", "expected", "not found"):
        if detail in page:
            assert page.index("Berkas bukan XML yang sah") < page.index(detail)
            assert "(" in page[page.index("Berkas bukan XML yang sah"):page.index(detail)]


def test_a_text_that_is_no_sop_is_refused_without_the_english_gloss(real_app: Flask) -> None:
    c = session_client(real_app, "analis")
    r = c.post("/proses/sop", data={"sop": (io.BytesIO(b"Halo, ini surat biasa.\n" * 5),
                                             "surat.txt")},
               content_type="multipart/form-data")
    assert r.status_code == 400
    page = text(r)
    assert "tidak dapat dibaca" in page
    assert "not an SOP" not in page and "no steps" not in page


@pytest.mark.parametrize("name", ["jateng-kesbangpol-penyusunan-iku.txt",
                                  "mentawai-kominfo-penyusunan-iku.txt",
                                  "rejanglebong-dpmptsp-penyusunan-iku.txt"])
def test_review_page_shows_warnings_and_guesses_in_indonesian(real_app: Flask, name: str) -> None:
    c = session_client(real_app, "analis")
    r = c.post("/proses/sop", data={"sop": ((EXAMPLES / name).open("rb"), name)},
               content_type="multipart/form-data", follow_redirects=True)
    assert r.status_code == 200
    page = text(r)
    assert "ditebak" in page  # the page does show the reader's guesses
    for gloss in GLOSSES:
        assert gloss not in page, gloss
    for n in range(1, 30):
        assert f"Langkah {n}: Langkah {n}:" not in page
        assert f"Baris {n}: Baris {n}:" not in page
    for code in ("instruction,", "handover,", "clerical,", "subject,", "(order,", "(text,"):
        assert code not in page, code


def test_plain_message_drops_only_english_glosses() -> None:
    assert plain_message("Langkah 3: pelaksana ditebak “Staf” (keyakinan 0.52) (role guessed)",
                         step=3) == "pelaksana ditebak “Staf” (keyakinan 0.52)"
    assert plain_message("Langkah 4 tanpa uraian kegiatan / step has no activity text") == (
        "Langkah 4 tanpa uraian kegiatan")
    assert plain_message("Baris 23: batas ditebak", line=23) == "batas ditebak"
    kept = "Berkas bukan XML yang sah (baris 1): isinya (Start tag expected, '<' not found)"
    assert plain_message(kept) == kept  # a detail that is no known gloss stays
    assert plain_message("Langkah 2: x", step=3) == "Langkah 2: x"


def test_provenance_codes_have_words(real_app: Flask) -> None:
    with real_app.test_request_context():
        assert provenance_source("handover") == "serah terima dari langkah sebelumnya"
        assert provenance_source("instruction") == "perintah kepada bawahan"
        assert provenance_source("something-new") == "something-new"


def test_a_corrupt_pdf_reads_without_the_library_gloss(real_app: Flask) -> None:
    c = session_client(real_app, "analis")
    junk = b"%PDF-1.7\n" + b"\x00garbage" * 200
    r = c.post("/proses/sop", data={"sop": (io.BytesIO(junk), "rusak.pdf")},
               content_type="multipart/form-data")
    assert r.status_code == 400
    page = text(r)
    assert "PDF rusak atau tidak dapat dibaca" in page
    assert "corrupt PDF" not in page and "Error" not in page
    # a parenthesis that is not an English gloss stays
    assert plain_message("Nilai tidak sah (lihat langkah 3)") == "Nilai tidak sah (lihat langkah 3)"


def test_the_reader_is_named_in_words(real_app: Flask) -> None:
    from webui.converter_text import source_format

    with real_app.test_request_context("/"):
        assert source_format("tabbed") == "teks bertabulasi"
        assert source_format("pdf-vector").startswith("PDF dengan bagan alir vektor")
        assert source_format("unknown-thing") == "unknown-thing"
        assert source_format("") == "–"
    c = session_client(real_app, "analis")
    sample = EXAMPLES / "singkawang-kominfo-penyusunan-iku.txt"
    r = c.post("/proses/sop", data={"sop": (io.BytesIO(sample.read_bytes()), sample.name)},
               content_type="multipart/form-data")
    page = text(c.get(r.headers["Location"]))
    assert "teks bertabulasi" in page and "tabbed" not in page
