"""How BPMN elements look in Alur's drawings: their kinds, symbols and live status colours.

Both process drawings (the one Graphviz lays out with ``dot`` and the one that redraws the
BPMN's own DI layout with ``neato -n2``) colour a case the same way, so the element kinds,
the gateway symbols and the colours of each state are said here once. Parsing goes through
:func:`converters.bpmn.xml.parse_safely` (no DOCTYPE, entities, DTDs or network access):
uploads are untrusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

from converters.bpmn.names import BPMN
from converters.bpmn.xml import UnsafeXml, parse_safely, syntax_error_text
from converters.model import ConversionError

B = f"{{{BPMN}}}"

State = Literal["completed", "active", "not_reached"]


@dataclass(frozen=True)
class StepStatus:
    """How far an instance got at one BPMN element: its state and how often it ran."""

    state: State
    count: int = 0


@dataclass(frozen=True)
class Look:
    """Fill, border and text colour and pen width of a flow node."""

    fill: str
    border: str
    text: str
    pen: float


COLOURS: dict[str, Look] = {
    "completed": Look("#dcefdc", "#2e7d32", "#1b3d1c", 1.4),
    "active": Look("#fff1c2", "#e08a00", "#3d2a00", 2.6),
    "not_reached": Look("#ffffff", "#a0a0a0", "#8a8a8a", 1.0),
}
PLAIN = Look("#ffffff", "#333333", "#111111", 1.2)
"""A node of a process view without a case (no status)."""
HIGHLIGHT = "#1565c0"

TASKS = {
    "task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask", "receiveTask",
    "businessRuleTask",
}
CONTAINERS = {"subProcess", "callActivity", "transaction", "adHocSubProcess"}
GATEWAYS = {
    "exclusiveGateway": "×",
    "parallelGateway": "+",
    "inclusiveGateway": "○",
    "eventBasedGateway": "⬠",
    "complexGateway": "✱",
}
EVENTS = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
}
FLOW_NODES = TASKS | CONTAINERS | set(GATEWAYS) | EVENTS


def node_state(ident: str, status: dict[str, StepStatus] | None) -> tuple[str, int]:
    """The state class of a node ("" without a case) and how often it ran."""
    if status is None:
        return "", 0
    st = status.get(ident)
    return (st.state, st.count) if st else ("not_reached", 0)


def look_of(state: str) -> Look:
    return COLOURS.get(state, PLAIN)


def parse_bpmn(bpmn: bytes) -> etree._Element:
    """The BPMN's root element, parsed by the shared safe parser (no DOCTYPE, no entities)."""
    if not bpmn or not bpmn.strip():
        raise ConversionError("berkas BPMN kosong")
    try:
        root = parse_safely(bpmn, remove_comments=True).getroot()
    except UnsafeXml as exc:
        raise ConversionError(f"berkas BPMN ditolak / BPMN file refused: {exc}") from None
    except etree.XMLSyntaxError as exc:
        raise ConversionError(syntax_error_text(exc)) from exc
    if root.tag != f"{B}definitions":
        raise ConversionError("berkas bukan BPMN 2.0 (elemen akar bukan bpmn:definitions)")
    return root


def local(tag: object) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)
