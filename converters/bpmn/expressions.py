"""Where a BPMN file carries expressions, and how large one may be before anyone parses it.

SpiffWorkflow evaluates the text of these elements (it takes the *first descendant* it finds,
so an expression hidden inside a ``documentation`` still counts). The validator and the engine
both bound every such text here, with one rule, so ``alur validate`` and ``alur deploy`` agree:
a condition of a thousand nested ``not`` is refused as too deep by both, instead of crashing
the Python parser with a RecursionError in one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from converters.bpmn.names import BPMN

MAX_EXPRESSION_CHARS = 2000
"""A real SOP condition compares one form field with a value or two; 2000 characters is lavish."""
MAX_EXPRESSION_DEPTH = 32
"""Nesting (brackets plus unary ``not``/``!``) a condition may have."""

CONDITION_TAGS = ("conditionExpression", "loopCardinality", "completionCondition", "loopCondition")
"""Elements whose text SpiffWorkflow evaluates as an expression."""
TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")
"""Elements whose text SpiffWorkflow evaluates, then reads as an ISO 8601 time."""

_UNARY = re.compile(r"(?<![\w.])not(?![\w])|!(?!=)")


def expression_depth(text: str) -> int:
    """A lexical nesting bound: the deepest bracket level plus the unary negations.

    Lexical on purpose: it is computed without parsing (parsing is what a hostile depth
    breaks) and means the same for any expression language a future engine may accept.
    """
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth = max(0, depth - 1)
    return deepest + len(_UNARY.findall(text))


def expression_limit_problem(text: str) -> str | None:
    """A one-line Indonesian reason when ``text`` is too long or too deep, else None."""
    if len(text) > MAX_EXPRESSION_CHARS:
        return (
            f"ekspresi terlalu panjang: {len(text)} karakter, batas {MAX_EXPRESSION_CHARS}"
            " (expression too long)"
        )
    depth = expression_depth(text)
    if depth > MAX_EXPRESSION_DEPTH:
        return (
            f"ekspresi bersarang terlalu dalam: {depth} tingkat, batas {MAX_EXPRESSION_DEPTH}"
            " (expression nested too deeply)"
        )
    return None


def expression_elements(root: etree._Element) -> Iterator[etree._Element]:
    """Every BPMN element below ``root`` whose text SpiffWorkflow may evaluate, at any depth."""
    tags = [f"{{{BPMN}}}{t}" for t in (*CONDITION_TAGS, *TIMER_TAGS)]
    yield from root.iter(*tags)


__all__ = [
    "CONDITION_TAGS",
    "MAX_EXPRESSION_CHARS",
    "MAX_EXPRESSION_DEPTH",
    "TIMER_TAGS",
    "expression_depth",
    "expression_elements",
    "expression_limit_problem",
]
