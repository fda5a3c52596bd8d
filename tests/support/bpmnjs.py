"""bpmn-js, the engine of Camunda Modeler, driven from Python through headless chromium.

Why: "opens cleanly in Camunda Modeler" and "survives an analyst's edit" can only be checked
by the modeler's own code. The harness page (tests/js/bpmnjs-harness.html + harness.js) runs a
bpmn-js ``Modeler`` with the Camunda 7 moddle extension (camunda-bpmn-moddle), so Camunda
attributes and extension elements survive ``saveXML`` exactly as they do in Camunda Modeler.

The page and its scripts are served from the repository through Playwright request routing
(``http://alur.test/...`` mapped to files under node_modules/ and tests/js/); every other request
is aborted, so a test can never reach the network.

Typical use in a test (fixture ``bpmnjs`` from tests/support/fixtures.py)::

    result = bpmnjs.import_xml(xml)
    assert result.ok and result.warnings == []
    edited = bpmnjs.edit(xml, [Rename("Task_3", "Memeriksa draf")])
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from playwright.sync_api import Browser, BrowserContext, Page, Route

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://alur.test"
HARNESS_URL = f"{ORIGIN}/tests/js/bpmnjs-harness.html"
SERVED = ("node_modules/bpmn-js/dist/", "node_modules/camunda-bpmn-moddle/resources/", "tests/js/")
"""Only these repository folders are served to the page."""


@dataclass(frozen=True)
class ImportResult:
    """What ``modeler.importXML`` said: ``ok`` is False when the import failed (``error`` says
    why); ``warnings`` are bpmn-js's import warnings (unknown elements, broken references, DI
    without a model element, ...), first line of each."""

    ok: bool
    warnings: list[str]
    error: str | None = None


# -- scripted edits (sent to harness.js as JSON) ---------------------------------------------


@dataclass(frozen=True)
class MoveToLane:
    """Move flow node ``element`` (an id) into lane ``lane`` (a lane id or a lane name)."""

    element: str
    lane: str
    kind: str = "move_to_lane"


@dataclass(frozen=True)
class Rename:
    """Rename ``element`` through ``modeling.updateLabel`` (what double-click editing does)."""

    element: str
    name: str
    kind: str = "rename"


@dataclass(frozen=True)
class AppendTask:
    """Insert a new ``bpmn:UserTask`` named ``name`` right after ``after``: room is made to the
    right, the task is appended with ``modeling.appendShape``, and ``after``'s old outgoing flows
    leave from the new task, so the flow stays a sequence. ``id`` fixes the new task's id
    (empty: bpmn-js generates one, as in the modeler)."""

    after: str
    name: str
    id: str = ""
    kind: str = "append_task"


@dataclass(frozen=True)
class SetProperty:
    """Set ``property`` of ``element`` to ``value``. ``"camunda:property:NAME"`` edits (or adds)
    the camunda:property NAME in the element's camunda:properties; any other name
    ("name", "camunda:candidateGroups", ...) goes through ``modeling.updateProperties``."""

    element: str
    property: str
    value: str
    kind: str = "set_property"


Edit = MoveToLane | Rename | AppendTask | SetProperty


def missing_reason() -> str | None:
    """Why the harness cannot run here (node_modules missing), or None."""
    for rel in (
        "node_modules/bpmn-js/dist/bpmn-modeler.development.js",
        "node_modules/camunda-bpmn-moddle/resources/camunda.json",
    ):
        if not (ROOT / rel).is_file():
            return f"{rel} tidak ada (run `npm ci` or scripts/setup)"
    return None


class BpmnJs:
    """One harness page with a bpmn-js Modeler; reuse it for many diagrams (import replaces)."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context = context
        self.page = page
        self.page_errors: list[str] = []
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    @classmethod
    def open(cls, browser: Browser, width: int = 1600, height: int = 1000) -> BpmnJs:
        """A new context + page on ``browser`` with the harness loaded and the modeler ready."""
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route("**/*", _serve)
        page = context.new_page()
        harness = cls(context, page)
        page.goto(HARNESS_URL)
        page.wait_for_function("window.alur !== undefined")
        page.evaluate("() => window.alur.ready().then(() => true)")
        return harness

    def close(self) -> None:
        self.context.close()

    def import_xml(self, xml: str | bytes) -> ImportResult:
        """Import a diagram (replacing the current one) and report bpmn-js's verdict."""
        raw = self.page.evaluate("xml => window.alur.importXML(xml)", _text(xml))
        return ImportResult(ok=bool(raw["ok"]), warnings=list(raw["warnings"]), error=raw["error"])

    def save_xml(self) -> str:
        """The current diagram as Camunda Modeler would save it (``saveXML({format: true})``)."""
        return str(self.page.evaluate("() => window.alur.saveXML()"))

    def apply(self, edits: list[Edit]) -> list[Any]:
        """Apply scripted edits to the current diagram; returns one result per edit (the new
        task's id for :class:`AppendTask`, None otherwise)."""
        payload = [asdict(e) for e in edits]
        return list(self.page.evaluate("edits => window.alur.applyEdits(edits)", payload))

    def edit(self, xml: str | bytes, edits: list[Edit]) -> str:
        """Import ``xml``, apply ``edits`` through the modeling API, and return the saved XML.

        Raises ValueError when the import fails, so an edit is never applied to a stale diagram.
        """
        result = self.import_xml(xml)
        if not result.ok:
            raise ValueError(f"bpmn-js tidak dapat membuka diagram / import failed: {result.error}")
        self.apply(edits)
        return self.save_xml()

    def build(self, spec: dict[str, Any]) -> str:
        """A process drawn from scratch through the bpmn-js modeling API (``window.alur.build``
        in tests/js/harness.js: pool, lanes, shapes, flows, conditions, forms) and saved as
        Camunda Modeler saves it."""
        return str(self.page.evaluate("spec => window.alur.build(spec)", spec))

    def screenshot(
        self,
        path: str | Path,
        width: int = 1800,
        height: int | None = None,
        region: tuple[float, float, float, float] | None = None,
    ) -> Path:
        """Fit the current diagram into a ``width``-wide viewport and write a PNG of it.

        Without ``height`` the viewport takes the diagram's aspect ratio (plus a margin), so a
        wide swimlane diagram is not squeezed into a square. ``region`` (x, y, width, height in
        diagram coordinates) shows only that part, for a close look at labels and bends.
        Palette and logo are hidden.
        """
        self.page.evaluate("() => window.alur.presentation()")
        if region is not None:
            x, y, w, h = region
            height = height or max(100, round(width * h / max(w, 1)))
            self.page.set_viewport_size({"width": width, "height": height})
            box = {"x": x, "y": y, "width": w, "height": h}
            self.page.evaluate("box => window.alur.viewbox(box)", box)
            out = Path(path)
            self.page.screenshot(path=str(out), full_page=False)
            return out
        if height is None:
            self.page.set_viewport_size({"width": width, "height": 1000})
            box = self.page.evaluate("() => window.alur.fit()")
            ratio = box["height"] / max(box["width"], 1)
            height = max(200, min(4000, round(width * ratio)))
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.evaluate("() => window.alur.fit()")
        out = Path(path)
        self.page.screenshot(path=str(out), full_page=False)
        return out


# -- module-level helpers (the agreed names) ---------------------------------------------------

_harnesses: dict[int, BpmnJs] = {}


def harness_for(target: Browser | BpmnJs) -> BpmnJs:
    """The harness to use: ``target`` itself, or one page per Browser, opened once and reused."""
    if isinstance(target, BpmnJs):
        return target
    cached = _harnesses.get(id(target))
    if cached is None or cached.page.is_closed():
        cached = BpmnJs.open(target)
        _harnesses[id(target)] = cached
    return cached


def import_xml(browser: Browser | BpmnJs, xml: str | bytes) -> ImportResult:
    """Import ``xml`` into a bpmn-js Modeler; see :meth:`BpmnJs.import_xml`."""
    return harness_for(browser).import_xml(xml)


def edit(browser: Browser | BpmnJs, xml: str | bytes, edits: list[Edit]) -> str:
    """Apply scripted edits in a bpmn-js Modeler and return the saved XML; see
    :meth:`BpmnJs.edit`."""
    return harness_for(browser).edit(xml, edits)


# -- serving the harness -----------------------------------------------------------------------


def _text(xml: str | bytes) -> str:
    return xml.decode("utf-8") if isinstance(xml, bytes) else xml


def _serve(route: Route) -> None:
    """Serve allowed repository files for ``http://alur.test/``; abort everything else."""
    url = route.request.url
    if not url.startswith(ORIGIN + "/"):
        route.abort()
        return
    rel = url[len(ORIGIN) + 1 :].split("?", 1)[0].split("#", 1)[0]
    path = (ROOT / rel).resolve()
    allowed = any(str(path).startswith(str(ROOT / p)) for p in SERVED)
    if not allowed or not path.is_file():
        route.fulfill(status=404, body=json.dumps({"missing": rel}))
        return
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    route.fulfill(status=200, body=path.read_bytes(), headers={"content-type": ctype})
