"""Shared pieces of the attack tables: a deployable BPMN to mutate, the CLI and web clients.

The web fixtures are the web UI suite's own (real users and engine on a copy of one template
database), imported so that an attack is tried against exactly what the other tests run.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.engine.conftest import sqlite_store  # noqa: F401  (fixture)
from tests.webui.conftest import (  # noqa: F401  (fixtures are registered by import)
    make_app,
    real_app,
    real_backend,
    session_client,
    template_db,
)
from webui.cli import main

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D" targetNamespace="urn:t">
  <bpmn:process id="p" name="Uji {name}" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="L" name="Staf">
      <bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>t</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>g</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>e2</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="t" name="Periksa">{task_extra}<bpmn:extensionElements><camunda:formData>
      <camunda:formField id="keputusan" type="enum">
        <camunda:value id="setuju" name="Setuju"/><camunda:value id="tidak" name="Tidak"/>
      </camunda:formField></camunda:formData></bpmn:extensionElements>{loop}</bpmn:userTask>
    <bpmn:exclusiveGateway id="g" name="Setuju?"/>
    <bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="g"/>
    <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e">{flow_extra}
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="e2">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">keputusan == "tidak"
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    {body}
  </bpmn:process>
</bpmn:definitions>
"""


def bpmn(
    *,
    doctype: str = "",
    condition: str = 'keputusan == "setuju"',
    flow_extra: str = "",
    task_extra: str = "",
    loop: str = "",
    body: str = "",
    name: str = "",
) -> bytes:
    """A small deployable decision process; each keyword swaps in one hostile part."""
    return HEAD.format(
        doctype=doctype,
        condition=condition,
        flow_extra=flow_extra,
        task_extra=task_extra,
        loop=loop,
        body=body,
        name=name,
    ).encode()


CliRunner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def alur(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> CliRunner:
    """``alur(*args)`` → (exit code, stdout, stderr), on a fresh SQLite database."""
    monkeypatch.setenv("ALUR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def analyst(real_app: Flask) -> FlaskClient:  # noqa: F811  (the imported fixture)
    """The web UI, logged in as the analyst who may upload BPMN and SOP files."""
    return session_client(real_app, "analis")


def upload(client: FlaskClient, url: str, field: str, name: str, data: bytes) -> tuple[int, str]:
    response = client.post(
        url,
        data={field: (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    return response.status_code, response.get_data(as_text=True)


def assert_one_line_refusal(code: int, err: str) -> None:
    """Exit 2, a message, no traceback."""
    assert code == 2, err
    assert err.strip(), "a refusal must say why"
    assert "Traceback" not in err
