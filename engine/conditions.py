"""Safe gateway conditions: what an uploaded BPMN may ask SpiffWorkflow to evaluate.

SpiffWorkflow evaluates conditions and scripts as full Python, and an uploaded BPMN is
untrusted input. SOP processes only need to compare form fields with literals, so that is all
this module allows: names (not dunder), literals, comparisons, ``and``/``or``/``not``,
``in``/``not in`` with literal tuples or lists, parentheses. No calls, attributes, subscripts,
lambdas, comprehensions. The check runs at deploy (:func:`check_condition`) and again at every
evaluation (:class:`SafeScriptEngine`), which then evaluates with empty builtins, so a BPMN that
slipped past deploy (edited row, old version) still cannot run code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from converters.bpmn.expressions import expression_limit_problem

_ALLOWED_CMP: tuple[type[ast.cmpop], ...] = (
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
)  # fmt: skip
_LITERAL_TYPES = (str, int, float, bool, type(None))
# Timer expressions as Camunda Modeler writes them: bare ISO 8601 ("PT1H", "2026-01-01T08:00").
# Nothing may follow: "PT0S/<anything>" passed an earlier pattern and failed every case at run
# time. (Recurring "R/…" cycles are refused at deploy, so they need no pattern here.)
_ISO_TIMER = re.compile(r"^(P[0-9WYMDTHS.]+|\d{4}-\d{2}-\d{2}(T[0-9:.+\-Z]*)?)$")


class UnsafeExpression(Exception):
    """The expression is not in the allowed subset; the message says why (Indonesian)."""


def check_condition(expression: str) -> str | None:
    """None when ``expression`` is allowed, else a one-line reason."""
    try:
        _checked_tree(expression)
    except UnsafeExpression as exc:
        return str(exc)
    return None


def _checked_tree(expression: str) -> ast.Expression:
    text = (expression or "").strip()
    if not text:
        raise UnsafeExpression("kondisi kosong")
    too_big = expression_limit_problem(text)  # before parsing: depth is what breaks the parser
    if too_big:
        raise UnsafeExpression(too_big)
    try:
        tree = ast.parse(text, mode="eval")
        _check(tree.body, text)
    except SyntaxError as exc:
        raise UnsafeExpression(f"kondisi tidak dapat diurai: {text[:80]!r} ({exc.msg})") from None
    except (RecursionError, MemoryError):  # belt and braces behind the lexical bound
        raise UnsafeExpression("kondisi bersarang terlalu dalam (nested too deeply)") from None
    return tree


def _check(node: ast.AST, text: str) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, text)
    elif isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            _check(node.operand, text)
        elif isinstance(node.op, ast.USub | ast.UAdd) and _is_number(node.operand):
            return
        else:
            raise UnsafeExpression(f"operator tidak diizinkan dalam kondisi {text!r}")
    elif isinstance(node, ast.Compare):
        for op in node.ops:
            if not isinstance(op, _ALLOWED_CMP):
                raise UnsafeExpression(f"perbandingan tidak diizinkan dalam kondisi {text!r}")
        _check_operand(node.left, text)
        for operand, op in zip(node.comparators, node.ops, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                if not isinstance(operand, ast.Tuple | ast.List):
                    raise UnsafeExpression(
                        f"'in' hanya boleh dengan daftar nilai tetap dalam kondisi {text!r}"
                    )
                for elt in operand.elts:
                    _check_literal(elt, text)
            else:
                _check_operand(operand, text)
    else:
        _check_operand(node, text)


def _check_operand(node: ast.AST, text: str) -> None:
    if isinstance(node, ast.Name):
        if node.id.startswith("__") or node.id.startswith("_"):
            raise UnsafeExpression(f"nama {node.id!r} tidak diizinkan dalam kondisi {text!r}")
        return
    if isinstance(node, ast.Constant | ast.UnaryOp):
        _check_literal(node, text)
        return
    if isinstance(node, ast.BoolOp | ast.Compare):
        _check(node, text)
        return
    what = {
        ast.Call: "pemanggilan fungsi",
        ast.Attribute: "akses atribut",
        ast.Subscript: "subskrip",
        ast.Lambda: "lambda",
        ast.ListComp: "comprehension",
        ast.SetComp: "comprehension",
        ast.DictComp: "comprehension",
        ast.GeneratorExp: "comprehension",
        ast.NamedExpr: "penugasan",
    }.get(type(node), type(node).__name__)
    raise UnsafeExpression(f"{what} tidak diizinkan dalam kondisi {text!r}")


def _check_literal(node: ast.AST, text: str) -> None:
    if isinstance(node, ast.Constant) and isinstance(node.value, _LITERAL_TYPES):
        return
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub | ast.UAdd)
        and _is_number(node.operand)
    ):
        return
    raise UnsafeExpression(f"hanya nilai tetap (teks/angka) yang diizinkan dalam kondisi {text!r}")


def _is_number(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    )


class _Missing(dict):
    """Form fields not filled in (yet) read as None instead of raising NameError."""

    def __missing__(self, key: str) -> None:
        return None


def safe_evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """Check ``expression`` again, then evaluate it with no builtins over ``context``."""
    text = (expression or "").strip()
    if _ISO_TIMER.match(text):
        return text
    tree = _checked_tree(text)
    code = compile(tree, "<kondisi>", "eval")
    return eval(code, {"__builtins__": {}}, _Missing(context))


def is_timer_literal(expression: str) -> bool:
    """A bare ISO 8601 timer value, which :func:`safe_evaluate` returns as text."""
    return bool(_ISO_TIMER.match((expression or "").strip()))


class ScriptsDisabled(Exception):
    """Script execution was attempted while ALLOW_SCRIPTS is off."""


class SafeEnvironment(TaskDataEnvironment):
    """Evaluation environment: only checked conditions; scripts only when enabled."""

    def __init__(self, allow_scripts: bool = False) -> None:
        super().__init__({})
        self.allow_scripts = allow_scripts

    def evaluate(self, expression: str, context: Any, external_context: Any = None) -> Any:
        merged = dict(external_context or {})
        merged.update(context or {})
        return safe_evaluate(expression, merged)

    def execute(self, script: str, context: Any, external_context: Any = None) -> bool:
        if not self.allow_scripts:
            raise ScriptsDisabled("Skrip tidak diizinkan (ALLOW_SCRIPTS tidak aktif)")
        return super().execute(script, context, external_context)

    def call_service(self, context: Any, **kwargs: Any) -> Any:
        raise ScriptsDisabled("Service task tidak didukung")


class SafeScriptEngine(PythonScriptEngine):
    """The script engine the runtime gives every workflow (see module docstring)."""

    def __init__(self, allow_scripts: bool = False) -> None:
        super().__init__(environment=SafeEnvironment(allow_scripts))
        self.allow_scripts = allow_scripts

    def validate(self, expression: str) -> None:
        _checked_tree(expression)
