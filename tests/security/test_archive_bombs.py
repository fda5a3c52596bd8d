"""DOCX/XLSX zip bombs × every entry point that reads Office files.

The guard (converters.reading.archive) refuses too many members and too large a declared
size before inflating, then inflates each member once in capped chunks, so a member whose
header lies about its size is refused too. Limits are lowered for the test; the bombs stay
a few kilobytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

import converters.reading.archive as archive
from converters.model import ConversionError
from converters.reading.sop_file import read_sop
from tests.security.conftest import CliRunner, assert_one_line_refusal

MB = 1024 * 1024


def _docx(paragraph: str = "Langkah 1") -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(paragraph)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _xlsx(cell: str = "Langkah 1") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row, start in enumerate(range(0, len(cell), 30_000), start=1):  # a cell holds 32767
        wb.active.cell(row=row, column=1, value=cell[start : start + 30_000])  # type: ignore[union-attr]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, content)
    return out.getvalue()


def _lying(data: bytes, name: str, declared: int) -> bytes:
    """``data`` with ``name``'s uncompressed size rewritten to ``declared`` in both headers."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(name)
    struct.pack_into("<I", buf, info.header_offset + 22, declared)
    pos = 0
    while (pos := bytes(buf).find(b"PK\x01\x02", pos)) != -1:
        length = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46 : pos + 46 + length]).decode() == name:
            struct.pack_into("<I", buf, pos + 24, declared)
        pos += 4
    return bytes(buf)


def _declared_bomb(make: Callable[[], bytes]) -> bytes:
    return _with_member(make(), "media/pad.bin", b"\0" * (2 * MB))


def _lying_bomb(make: Callable[[], bytes]) -> bytes:
    return _lying(_declared_bomb(make), "media/pad.bin", 100)


CASES: dict[str, tuple[Callable[[Callable[[], bytes]], bytes], dict[str, int], str]] = {
    "declared size": (_declared_bomb, {"MAX_UNCOMPRESSED": MB}, "zip bomb"),
    "lying header": (_lying_bomb, {"MAX_UNCOMPRESSED": 8 * MB}, "rusak"),
    "too many members": (lambda make: make(), {"MAX_ENTRIES": 3}, "terlalu banyak bagian"),
    "huge XML part": (
        lambda make: make("a" * 300_000),  # type: ignore[call-arg]
        {"MAX_XML_PART": 100_000},
        "zip bomb",
    ),
}
FORMATS = {"docx": _docx, "xlsx": _xlsx}


def _bomb(case: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, str]:
    build, limits, message = CASES[case]
    for name, value in limits.items():
        monkeypatch.setattr(archive, name, value)
    return build(FORMATS[fmt]), message


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("case", list(CASES))
def test_read_sop_refuses(monkeypatch: pytest.MonkeyPatch, case: str, fmt: str) -> None:
    data, message = _bomb(case, fmt, monkeypatch)
    with pytest.raises(ConversionError, match=message):
        read_sop(data, f"bom.{fmt}")


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("case", list(CASES))
def test_cli_inspect_refuses(
    alur: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, fmt: str
) -> None:
    data, message = _bomb(case, fmt, monkeypatch)
    path = tmp_path / f"bom.{fmt}"
    path.write_bytes(data)
    code, _out, err = alur("inspect", str(path))
    assert_one_line_refusal(code, err)
    assert message in err


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("case", list(CASES))
def test_web_sop_upload_refuses(
    analyst: FlaskClient, monkeypatch: pytest.MonkeyPatch, case: str, fmt: str
) -> None:
    data, message = _bomb(case, fmt, monkeypatch)
    response = analyst.post(
        "/proses/sop",
        data={"sop": (io.BytesIO(data), f"bom.{fmt}")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_ordinary_office_file_passes_the_guard(fmt: str) -> None:
    archive.check_archive(FORMATS[fmt](), fmt.upper())
