"""The safe condition subset: allowed at deploy, re-checked and sandboxed at evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.conditions import (
    SafeEnvironment,
    ScriptsDisabled,
    UnsafeExpression,
    check_condition,
    safe_evaluate,
)

EVIL = "__import__('os').system('touch {path}')"


@pytest.mark.parametrize(
    "expression",
    [
        'keputusan == "setuju"',
        'keputusan != "tidak_setuju" and not revisi',
        'jenis in ("teknis", "administratif")',
        "jumlah >= 3 or (nilai < -1.5)",
        'keputusan not in ["a", "b"]',
        "selesai is None",
    ],
)
def test_sop_conditions_are_allowed(expression: str) -> None:
    assert check_condition(expression) is None


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("__import__('os').system('x')", "pemanggilan fungsi"),
        ("keputusan.upper() == 'A'", "pemanggilan fungsi"),
        ("data.keputusan == 'a'", "akses atribut"),
        ("data['k'] == 'a'", "subskrip"),
        ("(lambda: 1) == 1", "lambda"),
        ("[x for x in y] == []", "comprehension"),
        ("__class__ == 1", "__class__"),
        ("k in daftar", "daftar nilai tetap"),
        ("k in (a, b)", "nilai tetap"),
        ("k == ", "tidak dapat diurai"),
        ("(k := 1)", "penugasan"),
        ("a + 1 == 2", "BinOp"),
        ("", "kosong"),
    ],
)
def test_anything_else_is_refused_with_a_reason(expression: str, reason: str) -> None:
    message = check_condition(expression)
    assert message is not None and reason in message


def test_evaluation_uses_form_values_and_treats_missing_fields_as_none() -> None:
    assert safe_evaluate('keputusan == "setuju"', {"keputusan": "setuju"}) is True
    assert safe_evaluate('keputusan == "setuju"', {}) is False
    assert safe_evaluate("PT2H", {}) == "PT2H"  # Camunda Modeler's bare timer value


def test_code_is_refused_at_evaluation_and_never_runs(tmp_path: Path) -> None:
    target = tmp_path / "x"
    with pytest.raises(UnsafeExpression):
        safe_evaluate(EVIL.format(path=target), {})
    env = SafeEnvironment()
    with pytest.raises(UnsafeExpression):
        env.evaluate(EVIL.format(path=target), {"keputusan": "setuju"})
    assert not target.exists()


def test_builtins_are_not_reachable_even_through_allowed_names(tmp_path: Path) -> None:
    # a bare name that happens to be a builtin resolves to nothing, not to the builtin
    assert safe_evaluate("open is None", {}) is True


def test_scripts_run_only_when_enabled(tmp_path: Path) -> None:
    with pytest.raises(ScriptsDisabled):
        SafeEnvironment(allow_scripts=False).execute("x = 1", {})
    context: dict = {}
    assert SafeEnvironment(allow_scripts=True).execute("x = 1", context)
    assert context["x"] == 1


_PIECES = [
    "keputusan", "x", "__import__", "os", "'setuju'", "1", "-2", "(", ")", "[", "]", ",", ".",
    "==", "!=", "<", "in", "not", "and", "or", "lambda", ":", "for", "if", "else", "__class__",
    "system", "'a'", "None", "True", "*", "+", "**", "=", ":=", "{", "}", "@",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map(" ".join))
@settings(max_examples=400, deadline=None)
def test_whatever_is_accepted_is_only_names_literals_and_comparisons(text: str) -> None:
    import ast

    reason = check_condition(text)  # never raises, whatever the text
    if reason is not None:
        assert isinstance(reason, str) and reason
        return
    allowed = (
        ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
        ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
        ast.Is, ast.IsNot, ast.Name, ast.Load, ast.Constant, ast.Tuple, ast.List,
    )  # fmt: skip
    tree = ast.parse(text.strip(), mode="eval")
    assert all(isinstance(node, allowed) for node in ast.walk(tree)), text
    assert not any(isinstance(n, ast.Name) and n.id.startswith("_") for n in ast.walk(tree))
