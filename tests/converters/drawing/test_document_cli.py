"""``alur document`` and ``alur diagram``: outputs next to the input, one-line errors, exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from webui.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent.parent
SAMPLE = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"

BPMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <process id="p"><startEvent id="s"/><userTask id="t" name="Memeriksa"/><endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/></process>
</definitions>
"""


def _one_line_error(capsys: pytest.CaptureFixture[str], command: str) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"alur {command}: ")
    assert "\n" not in err and "Traceback" not in err
    return err


def test_diagram_defaults_to_svg_next_to_the_input(tmp_path: Path) -> None:
    src = tmp_path / "proses.bpmn"
    src.write_bytes(BPMN)
    assert main(["diagram", str(src)]) == 0
    out = tmp_path / "proses.svg"
    assert out.read_bytes().lstrip().startswith(b"<?xml")
    assert b'id="t"' in out.read_bytes()


def test_diagram_format_from_output_suffix(tmp_path: Path) -> None:
    src = tmp_path / "proses.bpmn"
    src.write_bytes(BPMN)
    assert main(["diagram", str(src), "-o", str(tmp_path / "gambar.png")]) == 0
    assert (tmp_path / "gambar.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["diagram", str(src), "--format", "pdf"]) == 0
    assert (tmp_path / "proses.pdf").read_bytes()[:5] == b"%PDF-"


def test_diagram_of_bad_xml_is_one_line_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "rusak.bpmn"
    src.write_text("<definitions", encoding="utf-8")
    assert main(["diagram", str(src)]) == 2
    assert "XML" in _one_line_error(capsys, "diagram")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rusak.bpmn"]


def test_missing_input_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["document", str(tmp_path / "tidak-ada.txt")]) == 2
    assert "tidak ditemukan" in _one_line_error(capsys, "document")


def test_output_into_missing_folder_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "proses.bpmn"
    src.write_bytes(BPMN)
    assert main(["diagram", str(src), "-o", str(tmp_path / "nope" / "x.svg")]) == 2
    assert "folder" in _one_line_error(capsys, "diagram")


def test_document_of_a_sample_sop(tmp_path: Path) -> None:
    src = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, src)
    code = main(["document", str(src), "--paper", "f4"])
    assert code == 0
    pdf = src.with_suffix(".pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert abs(float(reader.pages[0].mediabox.width) - 935.4) < 2


def test_document_html_of_a_bpmn(tmp_path: Path) -> None:
    pytest.importorskip("converters.bpmn.reader")
    writer = pytest.importorskip("converters.bpmn.writer")
    import yaml

    from converters.model import Sop

    fixture = ROOT / "tests" / "fixtures" / "sops" / "f-singkawang-iku.yaml"
    sop = Sop.from_dict(yaml.safe_load(fixture.read_text(encoding="utf-8")))
    src = tmp_path / "iku.bpmn"
    src.write_bytes(writer.write_bpmn(sop))
    out = tmp_path / "iku.html"
    assert main(["document", str(src), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Penyusunan Indikator Kinerja Utama (IKU)" in page
    # Graphviz writes the hyphen of the ids as a character reference
    assert page.count('id="step&#45;') == len(sop.steps)


def test_outputs_get_the_permissions_of_a_plain_file_not_mkstemps_0600(tmp_path: Path) -> None:
    import os

    src = tmp_path / "proses.bpmn"
    src.write_bytes(BPMN)
    old = os.umask(0o022)
    try:
        assert main(["diagram", str(src)]) == 0
    finally:
        os.umask(old)
    assert (tmp_path / "proses.svg").stat().st_mode & 0o777 == 0o644
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind
