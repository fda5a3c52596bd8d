"""Alur's embedded modeler page (``/proses/<key>/v<n>/ubah``) driven like the bpmn-js harness.

Why: the scripted edits of the round-trip tests (move to lane, rename, set a camunda:property)
are written once, in tests/js/harness.js. Here the same script is run on the modeler Alur
serves, so the embedded modeler is edited exactly as the harness edits Camunda Modeler's
engine: harness.js builds its modeler with ``new BpmnJS(...)``, which on this page hands out
the page's own modeler (``window.alurModeler``), and the Camunda moddle file it fetches is
answered from node_modules by Playwright. ``page.evaluate`` is not bound by the page's CSP, so
the strict policy stays as the analyst gets it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from tests.support.bpmnjs import ROOT, Edit

if TYPE_CHECKING:  # pragma: no cover - typing only
    from playwright.sync_api import Page, Route

HARNESS = ROOT / "tests" / "js" / "harness.js"
CAMUNDA_JSON = ROOT / "node_modules" / "camunda-bpmn-moddle" / "resources" / "camunda.json"
_SHIM = "window.BpmnJS = function () { return window.alurModeler; };"


def wait_ready(page: Page) -> None:
    """Until the page's modeler imported its diagram (``#modeler[data-state]``); fails with
    the page's own message when the import failed."""
    page.wait_for_selector("#modeler[data-state]")
    state = page.get_attribute("#modeler", "data-state")
    if state != "ready":
        raise AssertionError(f"modeler: {page.inner_text('#modeler-status')}")


def install_edits(page: Page) -> None:
    """Give the loaded page ``window.alur`` (tests/js/harness.js) over its own modeler."""

    def camunda(route: Route) -> None:
        route.fulfill(body=CAMUNDA_JSON.read_bytes(), content_type="application/json")

    page.route("**/node_modules/camunda-bpmn-moddle/resources/camunda.json", camunda)
    page.evaluate(_SHIM)
    page.evaluate(HARNESS.read_text(encoding="utf-8"))
    page.evaluate("() => window.alur.ready().then(() => true)")


def apply(page: Page, edits: list[Edit]) -> list[Any]:
    """Apply scripted edits (tests.support.bpmnjs) to the page's diagram."""
    return list(page.evaluate("e => window.alur.applyEdits(e)", [asdict(e) for e in edits]))


def import_xml(page: Page, xml: str | bytes) -> None:
    """Open another diagram in the page's modeler, as if the analyst had opened that file."""
    text = xml.decode("utf-8") if isinstance(xml, bytes) else xml
    page.evaluate("x => window.alurModeler.importXML(x).then(() => true)", text)


def press(page: Page, button: str) -> None:
    """Click one of the page's form buttons (Simpan draf, Validasi, Terapkan) and wait for the
    page the server answers with."""
    with page.expect_navigation():
        page.locator("#modeler-form").get_by_role("button", name=button, exact=True).click()
