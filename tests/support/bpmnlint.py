"""bpmnlint, the bpmn.io linter, as a Python function for tests.

Why a real client: a BPMN file that passes our own checks can still be one Camunda Modeler
flags (implicit splits, fake joins, missing labels, overlapping shapes). bpmnlint is the tool the
modeler itself runs, so the suite asks it directly, with the project's ``.bpmnlintrc``
(``bpmnlint:recommended`` plus the Camunda moddle extension, so misplaced Camunda elements show
up as import warnings).

The work is done by ``tests/js/lint.cjs`` (bpmnlint's Node API, JSON out); one Node process can
lint many diagrams, see :func:`lint_many`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "js" / "lint.cjs"
PACKAGE = ROOT / "node_modules" / "bpmnlint"


@dataclass(frozen=True)
class LintIssue:
    """One bpmnlint report: ``category`` is "error" or "warning"; ``rule`` is the bpmnlint rule
    name ("label-required", ...) or "import" for a parse error / import warning; ``element_id``
    the offending element's id ("" when unknown)."""

    rule: str
    element_id: str
    message: str
    category: str

    def __str__(self) -> str:
        where = self.element_id or "-"
        return f"{self.category} {self.rule} [{where}]: {self.message}"


class BpmnlintUnavailable(RuntimeError):
    """node or node_modules/bpmnlint is missing (run scripts/setup)."""


def available() -> str | None:
    """Why bpmnlint cannot run here, or None when it can (for ``pytest.skip``)."""
    if shutil.which("node") is None:
        return "node tidak ditemukan (node is not installed; run scripts/setup)"
    if not PACKAGE.is_dir():
        return "node_modules/bpmnlint tidak ada (run `npm ci` or scripts/setup)"
    return None


def lint(path_or_xml: str | bytes | Path) -> list[LintIssue]:
    """Lint one diagram: a path, or the XML itself (str or bytes starting with ``<``)."""
    return lint_many([path_or_xml])[0]


def lint_many(items: list[str | bytes | Path]) -> list[list[LintIssue]]:
    """Lint several diagrams with one Node start-up; results in the same order.

    Node's start-up and bpmnlint's rule loading cost far more than linting one diagram, so
    batch where you can. XML given inline is written to a temporary folder first.
    """
    reason = available()
    if reason:
        raise BpmnlintUnavailable(reason)
    if not items:
        return []
    with tempfile.TemporaryDirectory(prefix="alur-bpmnlint-") as tmp:
        paths: list[str] = []
        for i, item in enumerate(items):
            xml = _as_xml(item)
            if xml is None:
                paths.append(str(Path(item)))  # type: ignore[arg-type]
            else:
                inline = Path(tmp) / f"diagram-{i}.bpmn"
                inline.write_bytes(xml)
                paths.append(str(inline))
        return _run(paths)


def errors(issues: list[LintIssue]) -> list[LintIssue]:
    return [i for i in issues if i.category == "error"]


def warnings(issues: list[LintIssue]) -> list[LintIssue]:
    return [i for i in issues if i.category == "warning"]


def _as_xml(item: str | bytes | Path) -> bytes | None:
    """The XML of an item given inline, or None when the item is a path."""
    if isinstance(item, bytes):
        return item
    if isinstance(item, str) and item.lstrip().startswith("<"):
        return item.encode("utf-8")
    return None


def _run(paths: list[str]) -> list[list[LintIssue]]:
    proc = subprocess.run(
        ["node", str(SCRIPT), *paths],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"bpmnlint gagal / failed: {detail[-1] if detail else proc.returncode}")
    return [
        [
            LintIssue(
                rule=str(i.get("rule", "")),
                element_id=str(i.get("id", "")),
                message=str(i.get("message", "")),
                category=str(i.get("category", "")),
            )
            for i in entry["issues"]
        ]
        for entry in json.loads(proc.stdout)
    ]
