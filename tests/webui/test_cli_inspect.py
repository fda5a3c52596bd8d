"""``alur inspect``: the readable table, the JSON contract, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from webui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SINGKAWANG = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"
KEMENKO = ROOT / "examples" / "kemenkopolhukam-deputi-kominfotur-usulan-iku.txt"


def test_table_shows_roles_confidence_decisions_and_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["inspect", str(SINGKAWANG), "--width", "220"]) == 0
    out = capsys.readouterr().out
    assert "Setuju\u21926 / Tidak setuju\u21924" in out
    assert "Setuju\u21927 / Tidak setuju\u21925" in out
    assert "Kepala Kantor (0.9" in out
    assert "[role-added]" in out and "[decision-target-guessed]" in out
    assert "000.8.3.3/46/Set-B/2023" in out  # identity summary
    assert "Bukti pelaksana" in out and "langkah 5 menyerahkan ke Kepala Kantor" in out


def test_last_step_decision_reads_selesai(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(KEMENKO), "--width", "220"]) == 0
    assert "Setuju\u2192selesai / Tidak setuju\u21924" in capsys.readouterr().out


def test_json_is_the_public_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(SINGKAWANG), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"identity", "roles", "steps", "warnings"} <= doc.keys()
    assert {"number", "name", "created", "revised", "effective", "approved_by"} <= doc[
        "identity"].keys()
    step = doc["steps"][4]
    assert {"number", "activity", "role", "other_roles", "role_confidence", "requirements",
            "duration", "output", "notes", "decision"} <= step.keys()
    assert {"text", "iso", "min_minutes", "max_minutes", "working_days"} <= step[
        "duration"].keys()
    assert step["decision"]["approve_to"] == 6 and step["decision"]["reject_to"] == 4
    assert step["decision"]["labels"] == ["Setuju", "Tidak setuju"]
    assert doc["steps"][0]["decision"] is None
    assert doc["roles"][0] == "Kepala Kantor"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "kosong"), (bytes(range(256)) * 8, "biner"), (b"Halo,\nini bukan SOP.\n", "SOP")],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    f = tmp_path / "in.txt"
    f.write_bytes(content)
    assert main(["inspect", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alur inspect: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_file_through_the_installed_command(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("alur")
    if not exe.exists():
        pytest.skip("the alur console script is not installed in this environment")
    done = subprocess.run([str(exe), "inspect", str(tmp_path / "hilang.txt")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("alur inspect: Berkas tidak ditemukan")
    assert done.stderr.count("\n") == 1


def test_reads_stdin_with_a_dash(monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    import io

    class FakeStdin:
        buffer = io.BytesIO(KEMENKO.read_bytes())

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    assert main(["inspect", "-", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [s["role"] for s in doc["steps"]][:2] == ["Sesdep", "Kabag Program & Evaluasi"]
