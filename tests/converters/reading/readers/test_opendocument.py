"""OpenDocument files (.odt/.ods): read as the .docx/.xlsx LibreOffice converts them to, or
refused with what to do, never taken for a damaged zip.

LibreOffice is not on the test machine, so a stand-in ``soffice`` (a script that writes the
project's own .docx/.xlsx sample where LibreOffice would write its conversion) checks the
path through the conversion; the command line it is called with is checked too."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from converters.model import ConversionError
from converters.reading.readers import read_raw
from converters.reading.readers.opendocument import KINDS, kind_of
from converters.reading.sop_file import read_sops
from tests.support.office_fixtures import SAMPLES, sample_file

YAML = next(p for p in SAMPLES if p.name == "a1-example.yaml")


def odf(mimetype: str) -> bytes:
    """A minimal OpenDocument package: ``mimetype`` first and stored, as the format asks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        z.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


ODT = odf("application/vnd.oasis.opendocument.text")
ODS = odf("application/vnd.oasis.opendocument.spreadsheet")


def stand_in(tmp_path: Path, converted: bytes, ext: str) -> Path:
    """A ``soffice`` that logs its arguments and writes ``converted`` as out/sop.<ext>."""
    (tmp_path / f"converted.{ext}").write_bytes(converted)
    script = tmp_path / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > "{tmp_path}/args"\n'
        'while [ "$1" != "--outdir" ]; do shift; done\n'
        f'mkdir -p "$2" && cp "{tmp_path}/converted.{ext}" "$2/sop.{ext}"\n'
    )
    script.chmod(0o755)
    return script


def test_the_kind_comes_from_the_mimetype_entry() -> None:
    assert kind_of(ODT) is KINDS[0] and kind_of(ODS) is KINDS[1]
    assert kind_of(sample_file(YAML, "docx")) is None
    with pytest.raises(ConversionError, match="OpenDocument"):
        kind_of(odf("application/vnd.oasis.opendocument.presentation"))


@pytest.mark.parametrize("data", [ODT, ODS])
def test_without_libreoffice_it_says_what_to_do(monkeypatch: pytest.MonkeyPatch,
                                                data: bytes) -> None:  # fmt: skip
    monkeypatch.setenv("ALUR_SOFFICE", "off")
    for read in (lambda: read_sops(data, "sop.odt"), lambda: read_raw(data, "sop.odt")):
        with pytest.raises(ConversionError) as err:
            read()
        message = str(err.value)
        assert "LibreOffice" in message and "DOCX" in message
        assert "rusak" not in message  # not a damaged zip


@pytest.mark.parametrize(("data", "ext"), [(ODT, "docx"), (ODS, "xlsx")])
def test_with_libreoffice_it_reads_the_conversion(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path, data: bytes,
                                                  ext: str) -> None:  # fmt: skip
    monkeypatch.setenv("ALUR_SOFFICE", str(stand_in(tmp_path, sample_file(YAML, ext), ext)))
    (sop,) = read_sops(data, "sop.odt")
    assert len(sop.steps) >= 3 and sop.steps[0].activity
    args = (tmp_path / "args").read_text()
    assert "--headless" in args and f"--convert-to {KINDS[ext == 'xlsx'].target}" in args
    assert os.path.basename(args.split()[-1]) == f"sop.{KINDS[ext == 'xlsx'].suffix}"
    assert len(read_raw(data, "sop.odt").rows) == len(sop.steps)


def test_a_failing_libreoffice_is_a_clear_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_SOFFICE", "/bin/false")
    with pytest.raises(ConversionError, match="tidak dapat diubah"):
        read_sops(ODT, "sop.odt")
