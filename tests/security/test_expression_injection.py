"""Expression injection × every place SpiffWorkflow evaluates: refused at deploy, never run.

Each payload would, if evaluated as Python, create a marker file. Every place is checked at
deploy with the run-time checker (or the construct is refused outright), so the deploy fails
with a problem naming the element, ``check()`` reports the same, and nothing ever ran.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from engine.definitions import Definitions
from engine.errors import DefinitionInvalid
from engine.store import Store
from tests.security.conftest import CliRunner, assert_one_line_refusal, bpmn, upload


def _payloads(marker: Path) -> dict[str, str]:
    m = str(marker)
    return {
        "import": f"__import__('pathlib').Path('{m}').touch()",
        "dunder": f"().__class__.__base__.__subclasses__() or open('{m}', 'w')",
        "call": f"open('{m}', 'w')",
        "lambda": f"(lambda: open('{m}', 'w'))()",
        "walrus": f"(x := open('{m}', 'w'))",
        "deep-not": "not " * 1000 + "keputusan",
        "deep-parens": "(" * 150 + "keputusan" + ")" * 150,
        "long": "keputusan == 'a' or " * 200 + "keputusan == 'b'",
    }


def _hidden_condition(expr: str) -> dict[str, str]:
    """SpiffWorkflow reads the first ``conditionExpression`` below the flow, at any depth."""
    return {
        "flow_extra": "<bpmn:documentation><bpmn:conditionExpression>"
        f"{expr}</bpmn:conditionExpression></bpmn:documentation>"
    }


def _multi_instance(tag: str, expr: str) -> dict[str, str]:
    return {
        "loop": '<bpmn:multiInstanceLoopCharacteristics isSequential="true">'
        f"<bpmn:{tag}>{expr}</bpmn:{tag}></bpmn:multiInstanceLoopCharacteristics>"
    }


def _loop_condition(expr: str) -> dict[str, str]:
    return {
        "loop": "<bpmn:standardLoopCharacteristics>"
        f"<bpmn:loopCondition>{expr}</bpmn:loopCondition></bpmn:standardLoopCharacteristics>"
    }


def _timer(tag: str, expr: str) -> dict[str, str]:
    return {
        "body": '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition>'
        f"<bpmn:{tag}>{expr}</bpmn:{tag}></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        '<bpmn:sequenceFlow id="fb" sourceRef="b" targetRef="e"/>'
    }


PLACES = {
    "gateway condition": lambda e: {"condition": e},
    "condition hidden in documentation": _hidden_condition,
    "loopCardinality": lambda e: _multi_instance("loopCardinality", e),
    "completionCondition": lambda e: _multi_instance("completionCondition", e),
    "loopCondition": _loop_condition,
    "timeDuration": lambda e: _timer("timeDuration", e),
    "timeDate": lambda e: _timer("timeDate", e),
}
PAYLOADS = ("import", "dunder", "call", "lambda", "walrus", "deep-not", "deep-parens", "long")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("place", list(PLACES))
def test_deploy_refuses_every_evaluated_place(
    sqlite_store: Store, tmp_path: Path, place: str, payload: str
) -> None:
    marker = tmp_path / "pwned"
    expr = _escape(_payloads(marker)[payload])
    data = bpmn(**PLACES[place](expr))
    defs = Definitions(sqlite_store)
    with pytest.raises(DefinitionInvalid) as info:
        defs.deploy(data)
    assert info.value.problems
    assert defs.check(data), "check() and deploy() must agree"
    assert not marker.exists(), "nothing in the expression may run"


@pytest.mark.parametrize(
    "timer",
    ["PT0S/../../etc", "PT1H/2026-01-01", "R/PT1H", "besok", "P", "2026-13-45T99:00"],
)
def test_timer_values_spiffworkflow_cannot_read_are_refused(
    sqlite_store: Store, timer: str
) -> None:
    with pytest.raises(DefinitionInvalid, match=r"ISO 8601|timer"):
        Definitions(sqlite_store).deploy(bpmn(**_timer("timeDuration", timer)))


@pytest.mark.parametrize("timer", ["PT1H", "P2D", "'PT30M'", "2026-12-01T08:00:00"])
def test_good_timer_values_still_deploy(sqlite_store: Store, timer: str) -> None:
    result = Definitions(sqlite_store).deploy(bpmn(**_timer("timeDuration", timer)))
    assert result.created


DEEP = "not " * 100 + 'keputusan == "setuju"'  # short enough for the length bound: depth


@pytest.mark.parametrize("command", ["validate", "deploy"])
def test_validate_and_deploy_agree_on_a_deeply_nested_condition(
    alur: CliRunner, tmp_path: Path, command: str
) -> None:
    path = tmp_path / "dalam.bpmn"
    path.write_bytes(bpmn(condition=DEEP))
    code, out, err = alur(command, str(path))
    assert_one_line_refusal(code, err)
    assert "terlalu dalam" in out + err


def test_web_upload_of_a_deeply_nested_condition_is_a_400(analyst: FlaskClient) -> None:
    status, page = upload(analyst, "/proses/unggah", "bpmn", "dalam.bpmn", bpmn(condition=DEEP))
    assert status == 400
    assert "terlalu dalam" in page
