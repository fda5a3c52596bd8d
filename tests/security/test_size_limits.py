"""Size limits × every entry point: too large is refused early with a clear message.

Limits are lowered for the test (a 150 MB file test must not write 150 MB); the CLI cases use
a *sparse* file whose size the file system reports without it taking any space, which also
proves the size is checked from ``stat`` before the file is read or parsed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

import converters.bpmn.xml as bpmn_xml
import converters.reading.sop_file as sop_file
from converters.model import ConversionError
from converters.reading.sop_file import read_sop
from tests.security.conftest import (
    CliRunner,
    assert_one_line_refusal,
    bpmn,
    make_app,
    session_client,
    upload,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mentawai-kominfo-penyusunan-iku.txt"
BPMN_COMMANDS = {
    "validate": lambda f, o: ("validate", f),
    "deploy": lambda f, o: ("deploy", f),
    "diagram": lambda f, o: ("diagram", f, "-o", o),
    "inspect": lambda f, o: ("inspect", f),
}


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


@pytest.mark.parametrize("command", list(BPMN_COMMANDS))
def test_cli_refuses_a_bpmn_over_the_limit_before_reading(
    alur: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setattr(bpmn_xml, "MAX_BPMN_BYTES", 1024 * 1024)
    monkeypatch.setattr(sop_file, "MAX_BYTES", 1024 * 1024)
    big = _sparse(tmp_path / "besar.bpmn", 1024 * 1024 + 1)
    code, out, err = alur(*BPMN_COMMANDS[command](str(big), str(tmp_path / "keluar.svg")))
    assert_one_line_refusal(code, err)
    assert "terlalu besar" in (out + err).lower()
    assert not (tmp_path / "keluar.svg").exists()


@pytest.mark.parametrize(
    ("limit", "attribute", "message"),
    [
        (1000, "MAX_BPMN_BYTES", "terlalu besar"),
        (20, "MAX_BPMN_ELEMENTS", "terlalu banyak elemen"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "deploy", "diagram", "inspect"])
def test_cli_refuses_a_bpmn_over_the_byte_or_element_limit(
    alur: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    limit: int,
    attribute: str,
    message: str,
) -> None:
    monkeypatch.setattr(bpmn_xml, attribute, limit)
    path = tmp_path / "proses.bpmn"
    path.write_bytes(bpmn())
    code, out, err = alur(*BPMN_COMMANDS[command](str(path), str(tmp_path / "k.svg")))
    assert_one_line_refusal(code, err)
    assert message in (out + err).lower()


@pytest.mark.parametrize(
    ("attribute", "limit", "message"),
    [("MAX_BPMN_BYTES", 1000, "terlalu besar"), ("MAX_BPMN_ELEMENTS", 20, "terlalu banyak")],
)
def test_web_bpmn_upload_over_the_limit_is_a_400(
    analyst: FlaskClient, monkeypatch: pytest.MonkeyPatch, attribute: str, limit: int,
    message: str,
) -> None:  # fmt: skip
    monkeypatch.setattr(bpmn_xml, attribute, limit)
    status, page = upload(analyst, "/proses/unggah", "bpmn", "p.bpmn", bpmn())
    assert status == 400 and message in page


def test_web_upload_over_the_request_limit_is_a_413(real_app: Flask, tmp_path: Path) -> None:
    app = make_app(tmp_path, real_app.config["ALUR_BACKEND"], MAX_CONTENT_LENGTH=1000)
    client = session_client(app, "analis")
    status, page = upload(client, "/proses/unggah", "bpmn", "p.bpmn", bpmn() * 2)
    assert status == 413 and "batas" in page


SOP_LIMITS = {
    "text bytes": ("MAX_TEXT_BYTES", 1000, "terlalu besar"),
    "steps": ("MAX_STEPS", 3, "terlalu banyak langkah"),
}


@pytest.mark.parametrize("case", list(SOP_LIMITS))
def test_read_sop_bounds_text_and_steps(monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    attribute, limit, message = SOP_LIMITS[case]
    monkeypatch.setattr(sop_file, attribute, limit)
    with pytest.raises(ConversionError, match=message):
        read_sop(EXAMPLE)


@pytest.mark.parametrize("case", list(SOP_LIMITS))
@pytest.mark.parametrize("command", ["inspect", "convert"])
def test_cli_bounds_sop_text_and_steps(
    alur: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, case: str
) -> None:
    attribute, limit, message = SOP_LIMITS[case]
    monkeypatch.setattr(sop_file, attribute, limit)
    args = (command, str(EXAMPLE)) + (("-o", str(tmp_path)) if command == "convert" else ())
    code, _out, err = alur(*args)
    assert_one_line_refusal(code, err)
    assert message in err
    assert not list(tmp_path.glob("*.bpmn"))


@pytest.mark.parametrize("case", list(SOP_LIMITS))
def test_web_sop_upload_bounds_text_and_steps(
    analyst: FlaskClient, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    attribute, limit, message = SOP_LIMITS[case]
    monkeypatch.setattr(sop_file, attribute, limit)
    response = analyst.post(
        "/proses/sop",
        data={"sop": (io.BytesIO(EXAMPLE.read_bytes()), EXAMPLE.name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_real_sop_stays_within_the_limits() -> None:
    sop = read_sop(EXAMPLE)
    assert 0 < len(sop.steps) <= sop_file.MAX_STEPS
    assert len(EXAMPLE.read_bytes()) <= sop_file.MAX_TEXT_BYTES
