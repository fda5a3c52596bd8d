"""The engine CLI: one-line errors with exit codes, and the documented --json contract."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from webui.cli import main

HERE = Path(__file__).resolve().parent
SURAT = HERE / "fixtures" / "surat_keluar.bpmn"
TASK_KEYS = {
    "task_id", "instance_id", "process_key", "process_name", "instance_title", "business_key",
    "step", "step_number", "name", "role", "state", "assignee", "created", "due", "overdue",
    "allowed_decisions", "decision_labels", "completed", "completed_by", "decision",
}  # fmt: skip


@pytest.fixture
def alur(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ALUR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_a_whole_case_from_the_command_line(alur) -> None:  # type: ignore[no-untyped-def]
    assert alur("db", "upgrade")[0] == 0
    code, out, _ = alur("user", "add", "staf", "--role", "Staf", "--password-stdin",
                        stdin="rahasia\n")  # fmt: skip
    assert code == 0 and "staf" in out
    assert alur("user", "add", "kasub", "--role", "Kasubbag Umum")[0] == 0
    code, out, _ = alur("deploy", str(SURAT))
    assert code == 0 and "versi 1" in out
    code, out, _ = alur("deploy", str(SURAT))
    assert code == 0 and "Tidak berubah" in out
    code, out, _ = alur("start", "sop_surat_keluar", "--user", "staf", "--title", "Surat A",
                        "--business-key", "123/2026", "--json")  # fmt: skip
    started = json.loads(out)
    assert code == 0 and started["status"] == "running" and started["business_key"] == "123/2026"

    code, out, _ = alur("tasks", "--user", "staf", "--json")
    listing = json.loads(out)
    assert listing["version"] == 1 and len(listing["tasks"]) == 1
    first = listing["tasks"][0]
    assert set(first) == TASK_KEYS
    assert (first["step"], first["role"], first["instance_id"]) == ("step_1", "Staf", 1)
    assert first["due"].endswith("+00:00") and first["allowed_decisions"] == []

    assert alur("complete", first["task_id"], "--user", "staf")[0] == 0
    code, _, err = alur("complete", first["task_id"], "--user", "staf")
    assert code == 1 and err.strip() == "alur complete: Tugas ini sudah diselesaikan oleh staf"

    code, out, _ = alur("tasks", "--role", "Kasubbag Umum", "--json")
    second = json.loads(out)["tasks"][0]
    assert second["allowed_decisions"] == ["setuju", "tidak_setuju"]
    code, _, err = alur("complete", second["task_id"], "--user", "kasub", "--decision", "x")
    assert code == 2 and "tidak dikenal" in err and len(err.strip().splitlines()) == 1
    code, _, err = alur("complete", second["task_id"], "--user", "kasub",
                        "--decision", "tidak_setuju")  # fmt: skip
    assert code == 2 and "komentar" in err
    code, out, _ = alur("complete", second["task_id"], "--user", "kasub",
                        "--decision", "tidak_setuju", "--comment", "revisi")  # fmt: skip
    assert code == 0 and "Menyusun konsep surat" in out

    code, out, _ = alur("history", "1", "--json")
    history = json.loads(out)
    assert [h["action"] for h in history["history"]] == ["start", "complete", "complete"]
    assert history["history"][-1]["decision"] == "tidak_setuju"
    assert history["history"][-1]["comment"] == "revisi"
    code, out, _ = alur("worker", "--once")
    assert code == 0 and "0 timer" in out
    code, out, _ = alur("tasks", "--overdue")
    assert code == 0 and "Tidak ada tugas" in out


def test_bad_input_is_one_line_per_problem_and_exit_2(alur, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "rusak.bpmn"
    bad.write_bytes(SURAT.read_bytes().replace(b'keputusan == "setuju"', b"os.system('x')"))
    code, _, err = alur("deploy", str(bad))
    lines = err.strip().splitlines()
    assert code == 2 and "Traceback" not in err
    assert any("f_2_yes" in line and "baris" in line for line in lines)
    assert lines[-1].startswith("alur deploy: rusak.bpmn tidak dipasang")
    code, _, err = alur("deploy", str(tmp_path / "tidak-ada.bpmn"))
    assert code == 2 and "tidak dapat dibaca" in err
    code, _, err = alur("start", "tidak_ada")
    assert code == 2 and err.strip() == "alur start: Proses tidak_ada tidak ditemukan"
    code, _, err = alur("user", "add", "bu di", "--role", "Staf")
    assert code == 2 and "tidak valid" in err
    code, _, err = alur("history", "99")
    assert code == 2 and "tidak ditemukan" in err
