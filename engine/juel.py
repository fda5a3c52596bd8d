"""JUEL conditions (Camunda 7's ``${…}``) translated into Alur's safe condition language.

Why: Camunda Modeler, its templates and every Camunda 7 example write gateway conditions in
JUEL, so a process an analyst draws there says ``${lengkap}`` or ``${jumlah gt 1000000}``.
The BPMN file keeps that text (it must round-trip to the Modeler); at deploy, and whenever the
spec is parsed, each condition is translated here into the Python subset that
:mod:`engine.conditions` accepts, and the translation then passes the very same checker and
length/depth limits (:mod:`converters.bpmn.expressions`) as a hand-written condition. Nothing is
evaluated that the safe checker did not accept.

Only the JUEL that process models actually use is translated: identifiers, ``!``/``not``,
``empty``, ``==``/``eq``, ``!=``/``ne``, ``<``/``lt``, ``>``/``gt``, ``<=``/``le``, ``>=``/``ge``,
``&&``/``and``, ``||``/``or``, parentheses, string and number literals, ``true``/``false``/
``null``, unary minus on numbers. Everything else (method calls, ``execution.…``, bean
properties, indexing, arithmetic, the ``?:`` operator, ``#{…}`` mixed with text) is refused
with a one-line reason naming the construct.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass

from converters.bpmn.expressions import expression_limit_problem
from engine.conditions import UnsafeExpression, check_condition

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
      | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>&&|\|\||==|!=|<=|>=|[<>!()?:.\[\],+\-*/%])
      | (?P<name>[^\W\d]\w*)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
_WORD_OPS = {
    "and": "&&", "or": "||", "not": "!", "eq": "==", "ne": "!=",
    "lt": "<", "gt": ">", "le": "<=", "ge": ">=",
}  # fmt: skip
_COMPARE: dict[str, ast.cmpop] = {
    "==": ast.Eq(), "!=": ast.NotEq(), "<": ast.Lt(), ">": ast.Gt(), "<=": ast.LtE(),
    ">=": ast.GtE(),
}  # fmt: skip
_CONSTANTS = {"true": True, "false": False, "null": None}
_OBJECTS = {"execution", "task", "variables", "authenticatedUserId", "processEngine"}
"""Names Camunda binds to engine objects, not process variables: refused by name."""
_ARITHMETIC = {"+", "-", "*", "/", "%", "div", "mod"}
_Level = Callable[[], ast.expr]


@dataclass(frozen=True)
class _Tok:
    kind: str  # number, string, op, name, end
    text: str


def is_juel(text: str) -> bool:
    """Whether ``text`` is meant as JUEL (it holds ``${`` or ``#{``), not an Alur condition."""
    return "${" in (text or "") or "#{" in (text or "")


def translate(text: str) -> str:
    """The Alur (safe Python) condition equivalent to the JUEL ``text``.

    Raises :class:`UnsafeExpression` with a one-line Indonesian reason (English in
    parentheses) when the text is not in the translated subset; the translation is then run
    through :func:`engine.conditions.check_condition`, so it is refused just as a hand-written
    condition with the same shape would be.
    """
    stripped = (text or "").strip()
    too_big = expression_limit_problem(stripped)
    if too_big:
        raise UnsafeExpression(too_big)
    body = _body(stripped)
    parser = _Parser(_tokens(body), stripped)
    tree = parser.expression()
    parser.expect_end()
    python = ast.unparse(ast.fix_missing_locations(ast.Expression(tree)))
    reason = check_condition(python)
    if reason:
        raise UnsafeExpression(reason)
    return python


def condition_source(text: str) -> str:
    """The condition the engine evaluates: JUEL translated, an Alur condition as written."""
    return translate(text) if is_juel(text) else (text or "").strip()


def _body(text: str) -> str:
    if not is_juel(text) or not text.endswith("}"):
        raise UnsafeExpression(
            f"ekspresi JUEL harus berbentuk ${{…}} saja: {text[:80]!r} (composite expression)"
        )
    inner = text[2:-1]
    if "${" in inner or "#{" in inner:
        raise UnsafeExpression(
            f"lebih dari satu ekspresi JUEL dalam {text[:80]!r} (composite expression)"
        )
    if not inner.strip():
        raise UnsafeExpression("ekspresi JUEL kosong (empty expression)")
    return inner


def _tokens(body: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(body):
        if not body[pos:].strip():
            break
        m = _TOKEN.match(body, pos)
        if m is None:  # pragma: no cover - the "bad" alternative matches any character
            raise UnsafeExpression("ekspresi JUEL tidak dapat diurai (cannot parse)")
        pos = m.end()
        kind = m.lastgroup or "bad"
        value = m.group(kind)
        if kind == "bad":
            raise UnsafeExpression(
                f"karakter {value!r} tidak didukung dalam JUEL (unsupported character)"
            )
        if kind == "name" and value in _WORD_OPS:
            kind, value = "op", _WORD_OPS[value]
        out.append(_Tok(kind, value))
    out.append(_Tok("end", ""))
    return out


class _Parser:
    """Recursive descent over JUEL's precedence: ``||`` < ``&&`` < equality < relational <
    unary; each level builds the Python AST node, so :func:`ast.unparse` adds exactly the
    parentheses Python needs."""

    def __init__(self, tokens: list[_Tok], source: str) -> None:
        self.tokens = tokens
        self.pos = 0
        self.source = source

    @property
    def tok(self) -> _Tok:
        return self.tokens[self.pos]

    def take(self) -> _Tok:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def at(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def expect_end(self) -> None:
        if self.tok.kind != "end":
            raise self.unexpected()

    def unexpected(self) -> UnsafeExpression:
        tok = self.tok
        if tok.kind == "end":
            return UnsafeExpression("ekspresi JUEL tidak lengkap (incomplete expression)")
        if tok.kind == "op" and tok.text in ("?", ":"):
            return UnsafeExpression("operator ?: tidak didukung (conditional operator)")
        if tok.text in _ARITHMETIC or tok.text in ("div", "mod"):
            return UnsafeExpression(f"operator aritmetika {tok.text!r} tidak didukung (arithmetic)")
        return UnsafeExpression(f"{tok.text!r} tidak terduga dalam JUEL (unexpected token)")

    def expression(self) -> ast.expr:
        return self.boolean("||", ast.Or, self.conjunction)

    def conjunction(self) -> ast.expr:
        return self.boolean("&&", ast.And, self.equality)

    def boolean(self, op: str, kind: type[ast.boolop], operand: _Level) -> ast.expr:
        values = [operand()]
        while self.at(op):
            self.take()
            values.append(operand())
        return values[0] if len(values) == 1 else ast.BoolOp(op=kind(), values=values)

    def equality(self) -> ast.expr:
        return self.comparison(("==", "!="), self.relational)

    def relational(self) -> ast.expr:
        return self.comparison(("<", ">", "<=", ">="), self.unary)

    def comparison(self, ops: tuple[str, ...], operand: _Level) -> ast.expr:
        left = operand()
        while self.at(*ops):
            op = _COMPARE[self.take().text]
            left = ast.Compare(left=left, ops=[op], comparators=[operand()])
        return left

    def unary(self) -> ast.expr:
        if self.at("!"):
            self.take()
            return ast.UnaryOp(op=ast.Not(), operand=self.unary())
        if self.tok.kind == "name" and self.tok.text == "empty":
            self.take()
            value = self.unary()
            empties = ast.Tuple(elts=[ast.Constant(None), ast.Constant("")], ctx=ast.Load())
            return ast.Compare(left=value, ops=[ast.In()], comparators=[empties])
        if self.at("-"):
            self.take()
            if self.tok.kind != "number":
                raise UnsafeExpression("minus hanya untuk angka tetap (arithmetic on a variable)")
            return ast.UnaryOp(op=ast.USub(), operand=self.number(self.take()))
        return self.primary()

    def primary(self) -> ast.expr:
        tok = self.tok
        if self.at("("):
            self.take()
            inner = self.expression()
            if not self.at(")"):
                raise self.unexpected()
            self.take()
            return self.no_suffix(inner, "(…)")
        if tok.kind == "number":
            return self.number(self.take())
        if tok.kind == "string":
            return ast.Constant(_unquote(self.take().text))
        if tok.kind == "name":
            return self.name(self.take().text)
        raise self.unexpected()

    def name(self, word: str) -> ast.expr:
        if word in _CONSTANTS:
            return ast.Constant(_CONSTANTS[word])
        if self.at("."):
            member = self.tokens[self.pos + 1].text if self.pos + 1 < len(self.tokens) else ""
            call = self.pos + 2 < len(self.tokens) and self.tokens[self.pos + 2].text == "("
            if call:
                raise UnsafeExpression(
                    f"pemanggilan metode {word}.{member}(…) tidak didukung (method call)"
                )
            raise UnsafeExpression(f"akses properti {word}.{member} tidak didukung (bean property)")
        if self.at("("):
            raise UnsafeExpression(f"pemanggilan fungsi {word}(…) tidak didukung (function call)")
        if self.at("["):
            raise UnsafeExpression(f"indeks {word}[…] tidak didukung (index access)")
        if word in _OBJECTS:
            raise UnsafeExpression(f"objek mesin {word!r} tidak didukung (engine object)")
        if word in ("instanceof", "div", "mod"):
            raise UnsafeExpression(f"operator {word!r} tidak didukung")
        if keyword.iskeyword(word) or word.startswith("_") or word in ("True", "False", "None"):
            raise UnsafeExpression(
                f"nama variabel {word!r} tidak dapat dipakai (reserved or private name)"
            )
        return ast.Name(id=word, ctx=ast.Load())

    def no_suffix(self, node: ast.expr, shown: str) -> ast.expr:
        if self.at(".", "[", "("):
            raise UnsafeExpression(
                f"akses properti/metode pada {shown} tidak didukung (method call)"
            )
        return node

    def number(self, tok: _Tok) -> ast.expr:
        text = tok.text
        value: int | float = float(text) if any(c in text for c in ".eE") else int(text)
        return ast.Constant(value)


def _unquote(text: str) -> str:
    """A JUEL string literal's value: ``\\'``, ``\\"`` and ``\\\\`` are its only escapes."""
    body = text[1:-1]
    return re.sub(r"\\(['\"\\])", r"\1", body)


__all__ = ["condition_source", "is_juel", "translate"]
