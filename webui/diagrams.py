"""The Graphviz process view for pages, cached per definition version.

Rendering runs ``neato -n2`` (a BPMN with its own diagram) or ``dot``, which takes tens to
hundreds of milliseconds for a large SOP, while the same definition is shown on every task
page; so the plain view is cached per definition id (a definition version never changes) and
coloured views per (definition, status).
A BPMN that cannot be drawn shows a placeholder instead of taking the page down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from xml.sax.saxutils import escape

from converters.drawing import process_view as diagrams
from converters.drawing.bpmn_look import State
from webui.lru import BytesCache

_cache = BytesCache(256)


_PLACEHOLDER_MARK = b'<svg xmlns="http://www.w3.org/2000/svg" data-alur="placeholder"'


def placeholder(message: str = "Diagram belum tersedia") -> bytes:
    text = escape(message)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" data-alur="placeholder" '
        'width="480" height="80" viewBox="0 0 480 80">'
        '<rect x="1" y="1" width="478" height="78" rx="8" fill="#f5f7fa" stroke="#9aa5b1"/>'
        f'<text x="240" y="45" text-anchor="middle" font-family="sans-serif" font-size="16" '
        f'fill="#52606d">{text}</text></svg>'
    ).encode()


def clear_cache() -> None:
    _cache.clear()


def process_svg(
    definition_id: int,
    xml_of: Callable[[int], bytes],
    status: Mapping[str, tuple[str, int]] | None = None,
) -> bytes:
    """SVG of a definition; ``status`` maps element id → (state, count) for colouring."""
    frozen = tuple(sorted((status or {}).items()))
    key = ("svg", definition_id, frozen)
    svg = _cache.get(key, lambda: _render(xml_of(definition_id), status))
    if svg.startswith(_PLACEHOLDER_MARK):  # not drawable now: try again next time
        _cache.forget(key)
    return svg


def render_uncached(xml: bytes) -> bytes:
    """SVG of a BPMN that has no definition id (an SOP draft under review)."""
    return _render(xml, None)


_STATES: dict[str, State] = {
    "completed": "completed", "active": "active", "not_reached": "not_reached"}
"""The engine's element states (``engine.status.ElementState`` values) as the drawing names them."""


def _render(xml: bytes, status: Mapping[str, tuple[str, int]] | None) -> bytes:
    step_status = None
    if status:
        step_status = {k: diagrams.StepStatus(state=_STATES[s], count=c)
                       for k, (s, c) in status.items() if s in _STATES}
    try:
        return diagrams.render_process(xml, step_status, fmt="svg")
    except Exception:  # a diagram must never take the page down
        return placeholder("Diagram tidak dapat digambar")
