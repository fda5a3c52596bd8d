"""A file that holds several SOPs through the CLI and the web upload: each SOP is converted,
shown or stored on its own, and the user is told how many there were.

The compilation is two generated SOPs drawn by Alur's renderer and joined by ``pdfunite``.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from converters.bpmn.reader import read_bpmn
from converters.drawing.document import render_document
from converters.model import Sop
from converters.reading.sop_file import read_sop
from engine.sop_drafts import SopDrafts
from tests.conftest import ROOT
from tests.support.sop_generator import generate
from tests.webui.conftest import session_client, text
from tests.webui.test_reading_jobs import through_reading
from webui.cli import main

pytestmark = pytest.mark.skipif(shutil.which("pdfunite") is None, reason="poppler-utils absent")

SEEDS = (11, 4)
"""Two short generated SOPs (4 and 3 steps)."""
SINGLE = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"


@pytest.fixture(scope="module")
def truths() -> list[Sop]:
    return [generate(seed).sop for seed in SEEDS]


@pytest.fixture(scope="module")
def compilation(tmp_path_factory: pytest.TempPathFactory, truths: list[Sop]) -> Path:
    tmp = tmp_path_factory.mktemp("kumpulan")
    parts = []
    for i, sop in enumerate(truths):
        part = tmp / f"sop{i}.pdf"
        part.write_bytes(render_document(sop, "pdf"))
        parts.append(str(part))
    out = tmp / "kumpulan-sop.pdf"
    subprocess.run(["pdfunite", *parts, str(out)], check=True, capture_output=True)
    return out


def steps_of(sop: Sop) -> list[tuple[int, str]]:
    return [(s.number, s.role) for s in sop.steps]


# -- alur convert ------------------------------------------------------------------------------


def test_convert_writes_one_bpmn_per_sop_and_lists_them(
    compilation: Path, truths: list[Sop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", str(compilation), "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    written = [tmp_path / "kumpulan-sop-1.bpmn", tmp_path / "kumpulan-sop-2.bpmn"]
    assert sorted(tmp_path.glob("*.bpmn")) == written
    assert "memuat 2 SOP" in out
    for k, (path, truth) in enumerate(zip(written, truths, strict=True), 1):
        assert str(path) in out and f"SOP {k}/2 {truth.identity.name}" in out
        assert steps_of(read_bpmn(path.read_bytes())) == steps_of(truth)


def test_document_draws_one_official_document_per_sop(
    compilation: Path, truths: list[Sop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewer signs each SOP's own document: ``alur document`` of a compilation writes
    OUT-1.pdf, OUT-2.pdf, each the document of one SOP, and lists them."""
    out = tmp_path / "dok.pdf"
    assert main(["document", str(compilation), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    written = [tmp_path / "dok-1.pdf", tmp_path / "dok-2.pdf"]
    assert sorted(tmp_path.glob("*.pdf")) == written and "memuat 2 SOP" in printed
    for k, (path, truth) in enumerate(zip(written, truths, strict=True), 1):
        assert path.read_bytes().startswith(b"%PDF")
        assert f"SOP {k}/2 {truth.identity.name}" in printed
        assert steps_of(read_sop(path)) == steps_of(truth)


def test_convert_of_a_one_sop_file_keeps_its_single_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / SINGLE.name
    src.write_bytes(SINGLE.read_bytes())
    assert main(["convert", str(src)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.bpmn")) == [SINGLE.stem + ".bpmn"]
    assert "SOP 1/" not in capsys.readouterr().out


def test_convert_refuses_a_compilation_whose_names_another_file_took(
    compilation: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``kumpulan-sop-1.bpmn`` from a file of that stem is not overwritten by the
    compilation's first SOP: the compilation fails whole, exit 2, nothing of it written."""
    other = tmp_path / "src" / "kumpulan-sop-1.txt"
    other.parent.mkdir()
    other.write_bytes(SINGLE.read_bytes())
    out = tmp_path / "out"
    assert main(["convert", str(other), str(compilation), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "gagal: " + str(compilation) in err and "nama sama" in err
    assert sorted(p.name for p in out.glob("*.bpmn")) == ["kumpulan-sop-1.bpmn"]
    kept = read_bpmn((out / "kumpulan-sop-1.bpmn").read_bytes())
    assert steps_of(kept) == steps_of(read_sop(SINGLE))  # the text SOP's, not overwritten


# -- alur inspect ------------------------------------------------------------------------------


def test_inspect_says_how_many_and_shows_the_first(
    compilation: Path, truths: list[Sop], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", str(compilation), "--width", "120"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Berkas ini memuat 2 SOP; ditampilkan SOP pertama (--all")
    assert truths[0].identity.name in out and truths[1].identity.name not in out
    assert "[several-sops]" in out


def test_inspect_all_shows_each(
    compilation: Path, truths: list[Sop], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", str(compilation), "--all"]) == 0
    out = capsys.readouterr().out
    assert "SOP 1 dari 2" in out and "SOP 2 dari 2" in out
    assert (
        out.index(truths[0].identity.name)
        < out.index("SOP 2 dari 2")
        < out.index(truths[1].identity.name)
    )
    assert "[several-sops]" not in out


def test_inspect_json_stays_one_object_and_all_gives_a_list(
    compilation: Path, truths: list[Sop], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", str(compilation), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert isinstance(doc, dict) and doc["identity"]["number"] == truths[0].identity.number
    assert doc["warnings"][0]["code"] == "several-sops"
    assert main(["inspect", str(compilation), "--json", "--all"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [d["identity"]["number"] for d in docs] == [t.identity.number for t in truths]
    assert main(["inspect", str(SINGLE), "--json", "--all"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


# -- the web upload ----------------------------------------------------------------------------


def test_upload_of_a_compilation_makes_one_draft_per_sop(
    real_app: Flask, compilation: Path, truths: list[Sop]
) -> None:
    analis = session_client(real_app, "analis")
    r = analis.post(
        "/proses/sop",
        data={"sop": (io.BytesIO(compilation.read_bytes()), compilation.name)},
        content_type="multipart/form-data",
    )
    r = through_reading(analis, r)  # on a busy machine the reading may outlast the wait
    assert r.status_code == 302 and r.headers["Location"].endswith("/proses/sop#draf-terbuka")
    drafts = sorted(SopDrafts(real_app.config["ALUR_BACKEND"].store).in_state(), key=lambda d: d.id)
    assert [steps_of(d.sop) for d in drafts] == [steps_of(t) for t in truths]
    assert {d.filename for d in drafts} == {compilation.name}
    page = analis.get("/proses/sop")
    said = text(page)
    assert f"Berkas {compilation.name} memuat 2 SOP; dibuat 2 draf, satu per SOP" in said
    for d in drafts:
        assert f'href="/proses/sop/{d.id}"' in page.get_data(as_text=True)
        assert d.title in said


def test_upload_of_one_sop_still_opens_its_draft(real_app: Flask) -> None:
    analis = session_client(real_app, "analis")
    r = analis.post(
        "/proses/sop",
        data={"sop": (io.BytesIO(SINGLE.read_bytes()), SINGLE.name)},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302 and re.fullmatch(r"/proses/sop/\d+", r.headers["Location"])
    assert len(SopDrafts(real_app.config["ALUR_BACKEND"].store).in_state()) == 1
