"""Old Word and Excel files (.doc, .xls): read on the text path always, through LibreOffice
when it is installed; damaged, foreign and locked OLE files refused in one line.

The fixtures (``tests/fixtures/legacy``, made by its ``make.py``) are generated SOPs saved as
.docx/.xlsx and converted by LibreOffice, with their truth beside them.
"""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path
from typing import Any

import pytest

from converters.model import ConversionError, Sop
from converters.reading.readers import read_raw
from converters.reading.readers.legacy import CONVERTED_PATH, TEXT_PATH, prefer_converted
from converters.reading.readers.legacy.word import doc_to_text
from converters.reading.sop_file import read_sop, read_sops

LEGACY = Path(__file__).resolve().parents[2] / "fixtures" / "legacy"
FIXTURES = ("cells.doc", "tables-several.doc", "twocell.xls", "table-sheets.xls")


def _truth(name: str) -> list[dict[str, Any]]:
    info = json.loads((LEGACY / f"{name}.truth.json").read_text(encoding="utf-8"))
    return list(info["sops"])


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.fixture
def text_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALUR_SOFFICE", "off")


@pytest.mark.parametrize("name", FIXTURES)
def test_text_path_reads_every_sop_with_its_steps_decisions_and_mutu_baku(
        name: str, text_path: None) -> None:  # fmt: skip
    sops = read_sops(LEGACY / name)
    truths = _truth(name)
    assert len(sops) == len(truths)
    for sop, truth in zip(sops, truths, strict=True):
        assert sop.warnings[0].code == TEXT_PATH
        drawn = name in ("cells.doc", "twocell.xls")  # the others hold tables only
        said = "di sel tabel dibaca" if drawn else "simbol bagan alir tidak dibaca"
        assert said in sop.warnings[0].message
        assert sop.source_format == name.rsplit(".", 1)[1]
        assert list(sop.roles) == truth["roles"]
        assert [s.number for s in sop.steps] == [t["number"] for t in truth["steps"]]
        for step, t in zip(sop.steps, truth["steps"], strict=True):
            assert _squash(step.activity) == _squash(t["activity"])
            assert _squash(step.duration.text) == _squash(t["waktu"])
            assert _squash(step.output) == _squash(t["output"])
            if t["role_in_text"]:  # the drawing is not read: only a role the text names
                assert step.role == t["role"], step.number
            assert (step.decision is not None) == (t["decision"] is not None), step.number


def test_word_cells_spanning_the_grid_are_followed_by_empty_cells() -> None:
    """The "Pelaksana" header spans the role columns and "Mutu Baku" three: the header row keeps the
    columns of the row of role names under it, as a .docx's gridSpan does."""
    lines = doc_to_text((LEGACY / "cells.doc").read_bytes()).splitlines()
    header = next(line for line in lines if line.startswith("No\tKegiatan"))
    assert header.split("\t") == ["No", "Kegiatan", "Pelaksana", "", "Mutu Baku", "", "",
                                  "Keterangan"]  # fmt: skip
    under = lines[lines.index(header) + 1].split("\t")
    assert under[2:7] == ["Staf", "Bendahara", "Kelengkapan", "Waktu", "Output"]
    assert sum(1 for line in lines if line.split("\t")[0].isdigit()) == 15


@pytest.mark.parametrize("name", ["cells.doc", "twocell.xls"])
def test_symbols_drawn_in_their_cells_give_every_role_on_the_text_path(
        name: str, text_path: None) -> None:  # fmt: skip
    """The flowchart's symbols stand in their role cells: each becomes a mark there, so every
    step's role is read from its column, also where the text does not name it."""
    sop = read_sop(LEGACY / name)
    truth = _truth(name)[0]
    assert [s.role for s in sop.steps] == [t["role"] for t in truth["steps"]]
    assert any(not t["role_in_text"] for t in truth["steps"])  # the text alone would not do
    assert any(s.role_provenance.evidence and "simbol" in " ".join(s.role_provenance.evidence)
               for s in sop.steps)  # fmt: skip


def test_word_symbol_kinds_come_from_their_shapes() -> None:
    """A decision's diamond, the start and end capsules and the process boxes keep their kind
    (LibreOffice saves them as freeforms: told apart by their points)."""
    lines = doc_to_text((LEGACY / "cells.doc").read_bytes()).splitlines()
    rows = {int(c[0]): c for line in lines if (c := line.split("\t"))[0].isdigit()}
    truth = _truth("cells.doc")[0]["steps"]
    for t in truth:
        cells = " ".join(rows[t["number"]][2:4])
        expected = "◇" if t["decision"] else "○" if t["number"] in (1, len(truth)) else "□"
        assert expected in cells, (t["number"], cells)


def test_a_compilation_in_one_doc_is_cut_at_its_new_page() -> None:
    text = doc_to_text((LEGACY / "tables-several.doc").read_bytes())
    assert text.count("\f") >= 1
    assert "Pelayanan Izin Usaha" in text.split("\f", 1)[1]


def test_read_raw_reads_an_old_file_from_its_text(text_path: None) -> None:
    raw = read_raw((LEGACY / "twocell.xls").read_bytes(), "sop.xls")
    assert raw.source_format == "xls" and raw.rows
    assert raw.warnings[0].code == TEXT_PATH


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) tidak terpasang: jalur konversi tidak diuji",
)
def test_with_libreoffice_the_file_is_converted_and_the_better_reading_kept() -> None:
    sops = read_sops(LEGACY / "cells.doc")
    truth = _truth("cells.doc")[0]
    assert len(sops) == 1
    assert sops[0].warnings[0].code in (CONVERTED_PATH, TEXT_PATH)
    assert [s.number for s in sops[0].steps] == [t["number"] for t in truth["steps"]]
    decisions = sum(1 for t in truth["steps"] if t["decision"])
    assert sum(1 for s in sops[0].steps if s.decision) == decisions  # none lost on the way
    if sops[0].warnings[0].code == TEXT_PATH:  # LibreOffice read less: said so
        assert "LibreOffice" in sops[0].warnings[0].message


def _sop(decisions: int, steps: int = 5) -> Sop:
    from converters.model import Decision, Identity, Step

    return Sop(Identity(), ("Staf",), tuple(
        Step(number=i, activity="x", role="Staf",
             decision=Decision(approve_to=i + 1, reject_to=1) if i <= decisions else None)
        for i in range(1, steps + 1)))  # fmt: skip


def test_the_converted_reading_is_kept_only_when_it_loses_nothing() -> None:
    assert prefer_converted([_sop(2)], [_sop(2)])
    assert not prefer_converted([_sop(0)], [_sop(2)])  # diamonds lost in the conversion
    assert not prefer_converted([_sop(2)], [_sop(2), _sop(1)])  # a compilation not cut
    assert not prefer_converted([_sop(2, steps=4)], [_sop(2)])  # a row lost


def _patched(data: bytes, at: int, value: bytes) -> bytes:
    return data[:at] + value + data[at + len(value) :]


def _word_stream_start(data: bytes) -> int:
    """Where the WordDocument stream starts in the file (its FIB's magic 0xA5EC)."""
    return data.index(b"\xec\xa5")


def _refusal(data: bytes, name: str) -> str:
    with pytest.raises(ConversionError) as info:
        read_sop(data, name)
    message = str(info.value)
    assert "\n" not in message and " (" in message  # one line, an English gloss
    return message


def test_damaged_foreign_and_locked_files_are_refused_in_one_line(text_path: None) -> None:
    doc = (LEGACY / "cells.doc").read_bytes()
    xls = (LEGACY / "twocell.xls").read_bytes()
    # an OLE header and then rubbish
    assert "rusak" in _refusal(doc[:512] + b"\xff" * 2048, "sop.doc")
    assert "rusak" in _refusal(doc[:8] + b"\x00" * 100, "sop.doc")
    # an OLE file whose streams are neither Word's nor Excel's (a renamed stream)
    foreign = xls.replace("Workbook".encode("utf-16-le"), "Notebook".encode("utf-16-le"))
    assert "bukan dokumen Word (.doc) maupun Excel" in _refusal(foreign, "sop.xls")
    # a password-protected .doc: the FIB's fEncrypted flag
    fib = _word_stream_start(doc)
    flags = struct.unpack_from("<H", doc, fib + 0x0A)[0]
    locked = _patched(doc, fib + 0x0A, struct.pack("<H", flags | 0x0100))
    assert "kata sandi" in _refusal(locked, "sop.doc")
    # a password-protected .xls: a FILEPASS record where the workbook's globals begin
    book = xls.index(b"\x09\x08\x10\x00\x00\x06")  # BIFF8 BOF of the globals
    after_bof = book + 4 + 16
    locked_xls = _patched(xls, after_bof, b"\x2f\x00")
    assert "kata sandi" in _refusal(locked_xls, "sop.xls")
    # a Word 6/95 file
    old = _patched(doc, fib + 0x02, struct.pack("<H", 0x0065))
    assert "Word 6/95" in _refusal(old, "sop.doc")


def test_the_upload_page_accepts_old_office_files() -> None:
    from webui.blueprints.processes import upload_accept

    accepted = upload_accept("sop").split(",")
    assert ".doc" in accepted and ".xls" in accepted


def test_a_failing_libreoffice_falls_back_to_the_text_and_says_why(
        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("ALUR_SOFFICE", shutil.which("false") or "/bin/false")
    sop = read_sop(LEGACY / "twocell.xls")
    assert sop.warnings[0].code == TEXT_PATH
    assert "soffice gagal" in sop.warnings[0].message
    assert len(sop.steps) == len(_truth("twocell.xls")[0]["steps"])


def test_alur_inspect_and_convert_take_an_old_file(
    text_path: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from webui.cli import main

    assert main(["inspect", str(LEGACY / "table-sheets.xls"), "--json", "--all"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [len(d["steps"]) for d in docs] == [len(t["steps"]) for t in _truth("table-sheets.xls")]
    assert docs[0]["source_format"] == "xls"
    assert main(["convert", str(LEGACY / "cells.doc"), "-o", str(tmp_path)]) == 0
    assert b"bpmn" in (tmp_path / "cells.bpmn").read_bytes()[:2000]
