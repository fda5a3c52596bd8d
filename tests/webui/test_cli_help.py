"""Every ``alur`` sub-command explains itself: a description, and a help text on each option."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from webui.cli import build_parser, main


def _commands(parser: argparse.ArgumentParser, path: str = "alur"
              ) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{path} {name}")


COMMANDS = dict(_commands(build_parser()))


def test_the_walk_finds_every_command() -> None:
    for name in ("alur inspect", "alur complete", "alur processes", "alur user add",
                 "alur db upgrade", "alur serve", "alur export"):
        assert name in COMMANDS


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_description_and_every_option_a_help(name: str) -> None:
    parser = COMMANDS[name]
    assert (parser.description or "").strip(), f"{name}: no description"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        assert (action.help or "").strip() and action.help != argparse.SUPPRESS, (
            f"{name} {'/'.join(action.option_strings) or action.dest}: no help text")


def test_complete_help_lists_the_valid_decisions(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["complete", "--help"])
    out = capsys.readouterr().out
    assert "setuju" in out and "tidak_setuju" in out


def test_processes_lists_deployed_keys_names_and_versions(
        tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.webui.conftest import FIXTURES

    monkeypatch.setenv("ALUR_DATABASE_URL", f"sqlite:///{tmp_path / 'alur.db'}")
    assert main(["processes"]) == 0
    assert "Belum ada proses terpasang" in capsys.readouterr().out
    bpmn = FIXTURES / "iku.bpmn"
    assert main(["deploy", str(bpmn)]) == 0
    changed = tmp_path / "iku2.bpmn"
    changed.write_bytes(bpmn.read_bytes().replace(b'name="Menerima konsep IKU"',
                                                  b'name="Menerima konsep IKU baru"'))
    assert main(["deploy", str(changed)]) == 0
    capsys.readouterr()
    assert main(["processes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["KUNCI", "VERSI", "NAMA"]
    assert lines[1].split(None, 2) == ["sop_penyusunan_iku", "2", "Penyusunan IKU"]
    assert main(["processes", "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert [(p["key"], p["definition_version"]) for p in data["processes"]] == [
        ("sop_penyusunan_iku", 2)]
