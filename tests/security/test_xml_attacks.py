"""XML attacks × every entry point that reads BPMN: all refused by the one safe parser.

Entry points: ``alur validate``, ``deploy``, ``diagram``, ``inspect``, ``document``,
``convert`` and the web BPMN upload. Each must refuse with a one-line message (exit 2 or HTTP
400), never expand an entity, never read a local file, never write an output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.security.conftest import CliRunner, assert_one_line_refusal, bpmn, upload

SECRET = "RAHASIA-DARI-BERKAS-LOKAL"


def _attacks(secret_file: Path) -> dict[str, bytes]:
    laughs = '<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("bcdefgh", "cdefghi", strict=True)
    )
    return {
        "external DTD": bpmn(doctype='<!DOCTYPE d SYSTEM "http://127.0.0.1:9/x.dtd">\n'),
        "XXE local file": bpmn(
            doctype=f'<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret_file}">]>\n',
            name="&x;",
        ),
        "billion laughs": bpmn(doctype=f"<!DOCTYPE d [{laughs}]>\n", name="&i;"),
        "parameter entity": bpmn(
            doctype=f'<!DOCTYPE d [<!ENTITY % p SYSTEM "file://{secret_file}"> %p;]>\n'
        ),
        "UTF-16 DOCTYPE": bpmn(
            doctype='<!DOCTYPE d SYSTEM "http://127.0.0.1:9/x.dtd">\n'
        ).replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16"),
    }


ATTACKS = ("external DTD", "XXE local file", "billion laughs", "parameter entity", "UTF-16 DOCTYPE")
COMMANDS = {
    "validate": lambda f, o: ("validate", f),
    "deploy": lambda f, o: ("deploy", f),
    "diagram": lambda f, o: ("diagram", f, "-o", o + ".svg"),
    "inspect": lambda f, o: ("inspect", f),
    "document": lambda f, o: ("document", f, "-o", o + ".pdf"),
    "convert": lambda f, o: ("convert", f, "-o", o),
}


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "rahasia.txt"
    path.write_text(SECRET)
    return path


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_cli_refuses(
    alur: CliRunner, tmp_path: Path, secret_file: Path, command: str, attack: str
) -> None:
    source = tmp_path / "serangan.bpmn"
    source.write_bytes(_attacks(secret_file)[attack])
    out_base = str(tmp_path / "keluar")
    code, out, err = alur(*COMMANDS[command](str(source), out_base))
    assert_one_line_refusal(code, err)
    assert "DOCTYPE" in out + err or "DTD" in out + err
    assert SECRET not in out + err and "hahaha" not in out + err
    written = [p.name for p in tmp_path.iterdir() if p.name.startswith("keluar")]
    assert written in ([], ["keluar"]) and not any(
        (tmp_path / "keluar").glob("*")
    ), "nothing half-written"


@pytest.mark.parametrize("attack", ATTACKS)
def test_web_bpmn_upload_refuses(analyst: FlaskClient, secret_file: Path, attack: str) -> None:
    status, page = upload(
        analyst, "/proses/unggah", "bpmn", "serangan.bpmn", _attacks(secret_file)[attack]
    )
    assert status == 400
    assert "DOCTYPE" in page or "DTD" in page
    assert SECRET not in page
