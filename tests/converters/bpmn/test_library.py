"""bpmn/: the process library generated from examples/, and the `alur convert` / `validate` CLI.

The library is what the engine deploys and analysts open, so it must be exactly what the
current converter writes: regenerate with ``alur convert examples/*.txt -o bpmn`` whenever a
reader, the inference or the writer changes, and this test says when someone forgot.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.bpmn.reader import read_bpmn
from converters.bpmn.validate import validate_bpmn
from converters.bpmn.writer import write_bpmn
from converters.reading.sop_file import read_sop
from tests.converters.strategies import EXAMPLES, fixed_sops
from webui.cli import main

ROOT = Path(__file__).resolve().parents[3]
LIBRARY = ROOT / "bpmn"
REGENERATE = "alur convert examples/*.txt -o bpmn"


def test_library_has_one_bpmn_per_example():
    assert sorted(p.stem for p in LIBRARY.glob("*.bpmn")) == sorted(p.stem for p in EXAMPLES)


def test_library_is_up_to_date_with_the_converter(tmp_path: Path, capsys):
    code = main(["convert", "-q", *map(str, EXAMPLES), "-o", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    stale = [
        p.name
        for p in EXAMPLES
        if (tmp_path / f"{p.stem}.bpmn").read_bytes() != (LIBRARY / f"{p.stem}.bpmn").read_bytes()
    ]
    assert stale == [], f"bpmn/ is out of date for {stale}: run `{REGENERATE}`"


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.bpmn")), ids=lambda p: p.stem)
def test_library_files_are_valid_distinct_processes(path: Path):
    data = path.read_bytes()
    assert validate_bpmn(data) == []
    sop = read_bpmn(data)
    assert sop.steps and sop.roles
    ids = [read_process_id(p.read_bytes()) for p in LIBRARY.glob("*.bpmn")]
    assert len(set(ids)) == len(ids), "two library files share a process id (engine key)"


def read_process_id(data: bytes) -> str:
    from lxml import etree

    root = etree.fromstring(data)
    return root.find("{http://www.omg.org/spec/BPMN/20100524/MODEL}process").get("id")


# -- alur convert ---------------------------------------------------------------------------


def _sop_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_convert_writes_next_to_the_input_and_reports_warnings(tmp_path: Path, capsys):
    example = EXAMPLES[0]
    copy = tmp_path / example.name
    copy.write_bytes(example.read_bytes())
    assert main(["convert", str(copy)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / f"{example.stem}.bpmn").is_file()
    assert f"{copy} → {tmp_path / (example.stem + '.bpmn')}" in out
    assert validate_bpmn((tmp_path / f"{example.stem}.bpmn").read_bytes()) == []


def test_convert_keeps_going_after_a_bad_file_and_exits_2(tmp_path: Path, capsys):
    bad = _sop_file(tmp_path, "kosong.txt", "")
    also_bad = _sop_file(tmp_path, "surat.txt", "Yth. Bapak\nDengan hormat, kami sampaikan.\n")
    good = tmp_path / "baik.txt"
    good.write_bytes(EXAMPLES[-1].read_bytes())
    out_dir = tmp_path / "keluaran"
    code = main(["convert", str(bad), str(good), str(also_bad), "-o", str(out_dir)])
    err = capsys.readouterr().err
    assert code == 2
    assert sorted(p.name for p in out_dir.iterdir()) == ["baik.bpmn"]  # no temp leftovers
    assert f"gagal: {bad}:" in err and f"gagal: {also_bad}:" in err
    assert "1 dari 3 berkas dikonversi; 2 gagal." in err
    assert "[" in err and "3/3" in err  # progress for many files
    assert "Traceback" not in err


def test_convert_refuses_to_overwrite_its_input_or_collide(tmp_path: Path, capsys):
    bpmn = tmp_path / "proses.bpmn"
    bpmn.write_bytes(write_bpmn(fixed_sops()["one_step"]))
    before = bpmn.read_bytes()
    assert main(["convert", str(bpmn)]) == 2
    assert "menimpa masukan" in capsys.readouterr().err
    assert bpmn.read_bytes() == before
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "sop.txt").write_bytes(EXAMPLES[0].read_bytes())
    (b / "sop.txt").write_bytes(EXAMPLES[1].read_bytes())
    out = tmp_path / "out"
    assert main(["convert", str(a / "sop.txt"), str(b / "sop.txt"), "-o", str(out)]) == 2
    assert "nama sama" in capsys.readouterr().err
    # the first file won; the second was not allowed to replace it
    assert read_bpmn(out / "sop.bpmn").identity == read_sop(a / "sop.txt").identity


def test_convert_output_must_be_a_folder(tmp_path: Path, capsys):
    not_dir = _sop_file(tmp_path, "berkas", "x")
    assert main(["convert", str(EXAMPLES[0]), "-o", str(not_dir)]) == 2
    assert "bukan folder" in capsys.readouterr().err


# -- alur validate --------------------------------------------------------------------------


def test_validate_says_valid_and_exits_0(capsys):
    path = sorted(LIBRARY.glob("*.bpmn"))[0]
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: valid (BPMN 2.0)"


def test_validate_lists_problems_with_lines_and_ids_and_exits_2(tmp_path: Path, capsys):
    data = write_bpmn(fixed_sops()["one_step"]).replace(
        b'targetRef="EndEvent_Selesai"', b'targetRef="Hilang"'
    )
    path = tmp_path / "rusak.bpmn"
    path.write_bytes(data)
    line = data[: data.index(b'targetRef="Hilang"')].count(b"\n") + 1
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert (
        f"{path}:{line}: kesalahan: Rujukan targetRef=“Hilang” tidak menunjuk elemen mana pun. "
        "[Flow_1]"
    ) in captured.out
    assert "tidak valid" in captured.err


def test_validate_missing_file_is_one_line(tmp_path: Path, capsys):
    assert main(["validate", str(tmp_path / "tidak-ada.bpmn")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alur validate: Berkas tidak dapat dibaca")
    assert err.count("\n") == 1


def test_converted_files_get_ordinary_permissions(tmp_path: Path):
    import os

    old = os.umask(0o022)
    try:
        assert main(["convert", "-q", str(EXAMPLES[0]), "-o", str(tmp_path)]) == 0
    finally:
        os.umask(old)
    (out,) = tmp_path.iterdir()
    assert out.stat().st_mode & 0o777 == 0o644
