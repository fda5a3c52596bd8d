"""Deploy with care, on the real engine: the preview of a staged BPMN (diff, running cases,
problems), its confirmation, identical content, a new process, stale and foreign tokens."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path
from typing import Any

from flask import Flask

from tests.webui.conftest import FIXTURES, session_client, text
from webui import deploying

KEY = "sop_penyusunan_iku"
IKU = (FIXTURES / "iku.bpmn").read_bytes()


def upload(client: Any, data: bytes, name: str = "iku.bpmn") -> Any:
    return client.post(
        "/proses/unggah",
        data={"bpmn": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def staged_url(client: Any, data: bytes, name: str = "iku.bpmn") -> str:
    r = upload(client, data, name)
    assert r.status_code == 302, text(r)
    url = r.headers["Location"]
    assert re.fullmatch(r"/proses/terapkan/[0-9a-f]{32}", url)
    return url


def rows(page: Any) -> list[str]:
    """The change table's rows as text, one string per row."""
    html = page.get_data(as_text=True)
    found = re.findall(r'<tr data-kind="[^"]+">(.*?)</tr>', html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in found]


def test_the_preview_lists_the_changes_and_the_cases_that_stay(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    be.runtime.start(KEY, "kasubbag", title="a")
    be.runtime.start(KEY, "kasubbag", title="b")
    analis = session_client(real_app, "analis")
    changed = IKU.replace(b"Menerima konsep IKU", b"Menerima konsep IKU dari Seksi")
    url = staged_url(analis, changed)
    page = analis.get(url)
    assert page.status_code == 200
    assert rows(page) == ["1 Kegiatan Menerima konsep IKU Menerima konsep IKU dari Seksi"]
    body = text(page)
    assert "Perubahan terhadap versi 1" in body
    assert "2 kasus berjalan tetap memakai versi lama." in body
    assert "Terapkan sebagai versi 2" in body
    assert analis.get(url + "/diagram.svg").mimetype == "image/svg+xml"
    assert len(be.definitions.versions(KEY)) == 1  # the preview deploys nothing


def test_confirm_deploys_and_records_the_deploy(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    be.runtime.start(KEY, "kasubbag", title="a")
    analis = session_client(real_app, "analis")
    url = staged_url(analis, IKU.replace(b"Menerima konsep IKU", b"Menerima konsep"), "v2.bpmn")
    r = analis.post(url, data={"versi": "1"})
    assert r.status_code == 302 and r.headers["Location"] == f"/proses/{KEY}"
    assert [d.version for d in be.definitions.versions(KEY)] == [1, 2]
    page = analis.get(r.headers["Location"])
    body = text(page)
    assert "Penyusunan IKU versi 2 diterapkan." in body
    history = re.search(r'id="deploy-history">(.*?)</section>', page.get_data(as_text=True), re.S)
    assert history is not None
    cells = " ".join(re.sub(r"<[^>]+>", " ", history.group(1)).split())
    assert "Riwayat penerapan" in cells
    # version 2, by the analyst (by name), from the upload, 1 change, 1 case stayed on v1
    assert re.search(r"\b2 .* Analis Unggahan v2\.bpmn 1 1\b", cells), cells
    assert analis.get(url).status_code == 404  # the staged file is used up


def test_identical_content_says_so_and_creates_nothing(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    analis = session_client(real_app, "analis")
    url = staged_url(analis, IKU)
    page = analis.get(url)
    assert "sama dengan versi 1" in text(page)
    assert 'id="confirm-deploy"' not in page.get_data(as_text=True)
    r = analis.post(url, data={"versi": "1"}, follow_redirects=True)
    assert "sama dengan versi 1; tidak ada versi baru" in text(r)
    assert len(be.definitions.versions(KEY)) == 1
    history = text(r).split("Riwayat penerapan", 1)[1]
    assert "Analis iku.bpmn" in history and " 2 " not in history  # only the fixture's deploy


def test_a_new_process_says_proses_baru(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    analis = session_client(real_app, "analis")
    other = IKU.replace(KEY.encode(), b"sop_iku_baru")
    url = staged_url(analis, other, "baru.bpmn")
    page = analis.get(url)
    assert "proses baru" in text(page) and "Terapkan sebagai versi 1" in text(page)
    assert 'data-kind="' not in page.get_data(as_text=True)
    r = analis.post(url, data={"versi": "0"})
    assert r.headers["Location"] == "/proses/sop_iku_baru"
    assert [d.version for d in be.definitions.versions("sop_iku_baru")] == [1]


def test_a_deploy_in_between_shows_the_preview_again(real_app: Flask) -> None:
    be = real_app.config["ALUR_BACKEND"]
    analis = session_client(real_app, "analis")
    url = staged_url(analis, IKU.replace(b"Menerima konsep IKU", b"Menerima konsep"))
    meanwhile = IKU.replace(b"Penyusunan IKU", b"Penyusunan IKU (rev)")
    be.definitions.deploy(meanwhile, "x.bpmn", "admin")
    r = analis.post(url, data={"versi": "1"})  # the preview read version 1; 2 is in use now
    assert r.status_code == 409
    assert "Versi yang berlaku berubah" in text(r) and "Perubahan terhadap versi 2" in text(r)
    assert len(be.definitions.versions(KEY)) == 2


def test_unknown_malformed_foreign_and_expired_tokens_are_404(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    url = staged_url(analis, IKU.replace(b"Menerima konsep IKU", b"Menerima konsep"))
    admin = session_client(real_app, "admin")
    assert admin.get(url).status_code == 404  # someone else's staged file
    assert admin.post(url, data={"versi": "1"}).status_code == 404
    assert analis.get("/proses/terapkan/" + "0" * 32).status_code == 404
    assert analis.get("/proses/terapkan/bukan-token").status_code == 404
    meta = Path(real_app.config["ALUR_UPLOAD_FOLDER"]) / "_staged" / (url[-32:] + ".json")
    data = json.loads(meta.read_text("utf-8"))
    data["staged_at"] = time.time() - deploying.MAX_AGE_SECONDS - 1
    meta.write_text(json.dumps(data), "utf-8")
    assert analis.get(url).status_code == 404  # a day old


def test_staff_get_403(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    url = staged_url(analis, IKU.replace(b"Menerima konsep IKU", b"Menerima konsep"))
    kadis = session_client(real_app, "kadis")
    assert kadis.get(url).status_code == 403
    assert kadis.post(url, data={"versi": "1"}).status_code == 403


def test_an_invalid_upload_shows_the_problem_table_and_no_button(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    r = upload(analis, (FIXTURES / "invalid.bpmn").read_bytes(), "rusak.bpmn")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'id="problems"' in html and 'id="confirm-deploy"' not in html
    assert "rusak.bpmn tidak diterapkan" in text(r)


def test_a_file_alur_cannot_read_as_an_sop_still_previews(
    real_app: Flask, monkeypatch: Any
) -> None:
    """A BPMN the SOP reader refuses has no diff, but is valid and may be deployed."""
    from converters import model_diff
    from converters.model import ConversionError

    def refuse(old: bytes, new: bytes) -> Any:
        raise ConversionError("bukan BPMN buatan Alur")

    monkeypatch.setattr(model_diff, "diff_bpmn", refuse)
    analis = session_client(real_app, "analis")
    url = staged_url(analis, IKU.replace(b"Menerima konsep IKU", b"Menerima konsep"))
    body = text(analis.get(url))
    assert "Perbedaan tidak dapat dihitung: bukan BPMN buatan Alur" in body
    assert analis.post(url, data={"versi": "1"}).status_code == 302


def test_describe_source(real_app: Flask) -> None:
    with real_app.test_request_context():
        assert deploying.describe_source("upload:a.bpmn") == "Unggahan a.bpmn"
        assert deploying.describe_source("draft:7") == "Draf SOP 7"
        assert deploying.describe_source("modeler:iku/v2") == "Modeler (iku/v2)"
        assert deploying.describe_source("", "x.bpmn") == "x.bpmn"


def test_cancel_leads_back_to_where_the_file_came_from(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    changed = IKU.replace(b"Menerima konsep IKU", b"Menerima konsep")
    expected = {
        "draft:5": "/proses/sop/5",
        f"modeler:{KEY}/v1": f"/proses/{KEY}",
        "upload:iku.bpmn": "/proses/unggah",
    }
    for source, back in expected.items():
        with real_app.test_request_context():
            token = deploying.stage(changed, filename="iku.bpmn", source=source, user="analis")
        html = analis.get(f"/proses/terapkan/{token}").get_data(as_text=True)
        assert f'<a class="button secondary" href="{back}">Batal</a>' in html, source
