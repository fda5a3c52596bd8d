"""The ``alur`` command line: one sub-command module per capability.

Each module in :data:`COMMAND_MODULES` has ``register(subparsers)`` that adds its
sub-commands; a sub-command's handler takes the parsed ``argparse.Namespace`` and returns an
exit code. Modules are imported lazily per run so ``alur inspect`` does not pay for Flask or
SQLAlchemy. Errors meant for the user are raised as :class:`CliError` (or
:class:`converters.model.ConversionError`) and printed as one line, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "webui.cli.inspect",  # inspect
    "webui.cli.convert",  # convert, validate
    "webui.cli.document",  # document, diagram
    "webui.cli.engine",  # user, deploy, start, tasks, complete, history, worker, export, import, db
    "webui.cli.serve",  # serve
    "webui.cli.report",  # report, export-log
)


class CliError(Exception):
    """A one-line message for the user; ``code`` is the exit code (2 = bad input)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alur",
        description="Alur: SOP AP (Permenpan RB 35/2012) → BPMN 2.0, run, draw.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    _describe(parser)
    return parser


def _describe(parser: argparse.ArgumentParser) -> None:
    """A sub-command's one-line ``help`` (shown in its parent's list) is also the first line
    of its own ``--help`` when the module gave no longer description: said once, shown both
    places."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {a.dest: a.help for a in action._choices_actions}
        for name, sub in action.choices.items():
            if not sub.description and helps.get(name):
                text = str(helps[name])
                sub.description = text[:1].upper() + text[1:] + "."
            _describe(sub)


def main(argv: Sequence[str] | None = None) -> int:
    from converters.model import ConversionError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CliError, ConversionError) as exc:
        print(f"alur {args.command}: {exc}", file=sys.stderr)
        return getattr(exc, "code", 2)
    except KeyboardInterrupt:
        print("alur: dihentikan (interrupted)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
