"""The agency (instansi) that owns a deployed process, read from its SOP identity.

Why: two offices often have an SOP with the same name ("Penyusunan IKU" at the Dinas
Kominfo and at the Bappeda); a process name alone cannot tell them apart in an inbox or a
filter. The BPMN Alur writes keeps the SOP's identity block as process-level
camunda:properties (:data:`converters.bpmn.names.IDENTITY_KEYS`); a BPMN drawn elsewhere has
none, and its agency is simply blank.
"""

from __future__ import annotations

from converters.bpmn import names as ns
from converters.bpmn.names import BPMN, q
from converters.bpmn.properties import read_properties
from converters.bpmn.xml import parse_safely

_AGENCY_KEY = dict((attr, key) for attr, key in ns.IDENTITY_KEYS)["agency"]


def agency_of(xml: bytes) -> str:
    """The ``instansi`` of the first executable process in ``xml`` ("" when not stated)."""
    try:
        root = parse_safely(xml).getroot()
    except Exception:  # a stored definition was valid at deploy; a blank agency is harmless
        return ""
    processes = root.findall(q(BPMN, "process"))
    chosen = next((p for p in processes if p.get("isExecutable") == "true"), None)
    if chosen is None and processes:
        chosen = processes[0]
    if chosen is None:
        return ""
    return " ".join(read_properties(chosen).get(_AGENCY_KEY, "").split())
