"""Defects found walking issues 12 and 13 as a new user, each pinned by the Flask client:
engine refusals in the reader's language, the admin setting a user's notification address,
the SOP editor's times and people, the deploy preview's origin in words, the way back from a
process to its SOP drafts, and the instansi beside a process name."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from engine.notifications import Notifications
from tests.conftest import ROOT
from tests.webui.conftest import PASSWORD, make_app, session_client, text
from webui import engine_text

SAMPLE = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"
TRANSLATIONS = ROOT / "webui" / "translations"
AGENCY = "PEMERINTAH KOTA SINGKAWANG"


def _english_catalogue(folder: Path) -> Path:
    """The English catalogue as committed (messages.po), compiled into ``folder``."""
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="en")
    mo = folder / "en" / "LC_MESSAGES" / "messages.mo"
    mo.parent.mkdir(parents=True)
    with mo.open("wb") as f:
        write_mo(f, catalog)
    return folder


@pytest.fixture()
def english_app(tmp_path: Path, backend: Any) -> Flask:
    folder = _english_catalogue(tmp_path / "translations")
    return make_app(tmp_path, backend, BABEL_TRANSLATION_DIRECTORIES=str(folder))


def _in_english(app: Flask, username: str) -> FlaskClient:
    app.config["ALUR_BACKEND"].users.set_language(username, "en")
    return session_client(app, username)


def test_a_refused_password_change_is_said_in_english(english_app: Flask) -> None:
    """The engine refuses in Indonesian; the English page says it in English."""
    client = _in_english(english_app, "kasubbag")
    r = client.post("/profil/kata-sandi", data={"current": PASSWORD, "new": PASSWORD,
                                                 "repeat": PASSWORD})  # fmt: skip
    assert r.status_code == 400
    page = text(r)
    assert "must differ from the old one" in page
    assert "harus berbeda" not in page


def test_the_same_refusal_stays_indonesian_by_default(app: Flask) -> None:
    client = session_client(app, "kasubbag")
    r = client.post("/profil/kata-sandi", data={"current": PASSWORD, "new": PASSWORD,
                                                 "repeat": PASSWORD})  # fmt: skip
    assert r.status_code == 400
    assert "Kata sandi baru harus berbeda dari yang lama." in text(r)


def test_every_known_engine_sentence_has_an_english_translation() -> None:
    """A sentence added to engine_text without its English would leak Indonesian again."""
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="en")
    source = (ROOT / "webui" / "engine_text.py").read_text(encoding="utf-8")
    said = re.findall(r'lambda v: _\(((?:"[^"]*"\s*)+)', source)
    assert len(said) == len(engine_text.KNOWN)
    for chunk in said:
        msgid = "".join(re.findall(r'"([^"]*)"', chunk))
        found = catalog.get(msgid)
        assert found is not None and found.string, msgid


def test_an_unknown_engine_sentence_is_shown_as_written(app: Flask) -> None:
    with app.test_request_context("/"):
        assert engine_text.shown("Sesuatu yang baru") == "Sesuatu yang baru"
        assert engine_text.shown("Draf bukan XML yang sah: Start tag expected, '<' not found") \
            == "Draf bukan XML yang sah; simpan ulang dari modeler."


def test_the_admin_sets_a_users_notification_address(app: Flask) -> None:
    admin = session_client(app, "admin")
    box = Notifications(app.config["ALUR_BACKEND"].store)
    r = admin.post("/admin/pengguna/kasubbag",
                   data={"action": "email", "email": "kasubbag@dinas.go.id"})  # fmt: skip
    assert r.status_code == 302
    assert box.preferences("kasubbag").email == "kasubbag@dinas.go.id"
    page = admin.get("/admin/pengguna/kasubbag").get_data(as_text=True)
    assert 'value="kasubbag@dinas.go.id"' in page
    r = admin.post("/admin/pengguna/kasubbag", data={"action": "email", "email": "bukan surel"},
                   follow_redirects=True)  # fmt: skip
    assert "Alamat surel tidak sah" in text(r)
    assert box.preferences("kasubbag").email == "kasubbag@dinas.go.id"


def test_setting_the_address_keeps_the_users_channel_choices(app: Flask) -> None:
    from engine.notifications import Channel, Kind

    box = Notifications(app.config["ALUR_BACKEND"].store)
    box.set_preferences("kasubbag", {Kind.NEW_TASK: Channel.NONE}, "")
    session_client(app, "admin").post(
        "/admin/pengguna/kasubbag", data={"action": "email", "email": "kasubbag@dinas.go.id"}
    )
    assert box.preferences("kasubbag").channel(Kind.NEW_TASK) is Channel.NONE


def _upload(client: FlaskClient) -> str:
    r = client.post("/proses/sop", data={"sop": (io.BytesIO(SAMPLE.read_bytes()), SAMPLE.name)},
                    content_type="multipart/form-data")  # fmt: skip
    assert r.status_code == 302
    return str(r.headers["Location"])


def test_the_sop_editor_shows_local_times_and_people(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    draft_url = _upload(analis)
    for page in (text(analis.get(draft_url)), text(analis.get("/proses/sop"))):
        assert "UTC" not in page
        assert "WIB" in page
        assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", page)  # no raw ISO stamps


def _deploy_from_draft(analis: FlaskClient) -> tuple[str, str]:
    draft_url = _upload(analis)
    r = analis.post(draft_url + "/terapkan")
    assert r.status_code == 302
    return draft_url, str(r.headers["Location"])


def test_the_deploy_preview_names_its_origin_in_words(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    draft_url, preview_url = _deploy_from_draft(analis)
    html = analis.get(preview_url).get_data(as_text=True)
    assert "draft:" not in text(analis.get(preview_url))
    origin = re.search(r'id="deploy-source">(.*?)</dd>', html, re.S)
    assert origin is not None
    assert f'href="{draft_url}"' in origin.group(1) and "Draf SOP" in origin.group(1)


def test_the_process_page_leads_to_its_sop_drafts_and_agency(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    draft_url, preview_url = _deploy_from_draft(analis)
    r = analis.post(preview_url, data={"versi": "0"})
    assert r.status_code == 302
    process_url = str(r.headers["Location"])
    html = analis.get(process_url).get_data(as_text=True)
    history = re.search(r'id="deploy-history">(.*?)</section>', html, re.S)
    assert history is not None and f'href="{draft_url}"' in history.group(1)
    assert 'id="open-sop-drafts"' in html
    assert AGENCY in html
    assert AGENCY in analis.get("/proses/").get_data(as_text=True)


def test_the_start_page_shows_the_agency(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    _draft, preview_url = _deploy_from_draft(analis)
    analis.post(preview_url, data={"versi": "0"})
    starter = session_client(real_app, "kasubbag")
    page = starter.get("/mulai").get_data(as_text=True)
    assert "Penyusunan Indikator Kinerja Utama" in page
    assert AGENCY in page
