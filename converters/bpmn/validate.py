"""Checks a BPMN 2.0 file before anyone trusts it: safe XML, the OMG schema, references, flows.

Used by ``alur validate`` and by the engine at deploy time, so it never raises on bad input:
every finding comes back as a :class:`Problem` with the line and element it concerns, in
Bahasa Indonesia. The XML goes through :func:`converters.bpmn.xml.parse_safely` (no DOCTYPE,
no entities, no network, no huge trees), the parser the reader and the process view share,
because BPMN files arrive as uploads from people we do not control.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from lxml import etree

from converters.bpmn import names as ns
from converters.bpmn.expressions import expression_elements, expression_limit_problem
from converters.bpmn.names import BPMN, BPMNDI, q
from converters.bpmn.xml import line_of, parse_safely, syntax_error_text

XSD_PATH = Path(__file__).resolve().parent / "xsd" / "BPMN20.xsd"

# Attributes whose value is the id of another element (xsd:IDREF or QName in the schema).
_REF_ATTRIBUTES = (
    "sourceRef",
    "targetRef",
    "default",
    "attachedToRef",
    "processRef",
    "bpmnElement",
)
# Elements whose text is the id of another element.
_REF_ELEMENTS = ("flowNodeRef", "incoming", "outgoing")

_FLOW_NODES = ns.FLOW_NODE_TAGS


@dataclass(frozen=True)
class Problem:
    """One finding. ``severity`` is "error" (the file must not be deployed) or "warning"."""

    message: str
    element_id: str = ""
    element_name: str = ""
    line: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"baris {self.line}: " if self.line else ""
        what = ""
        if self.element_id:
            what = f" [{self.element_id}" + (f" “{self.element_name}”" if self.element_name else "")
            what += "]"
        return f"{where}{self.message}{what}"


@functools.cache
def _schema() -> etree.XMLSchema:
    """The OMG schema, loaded once per process (it takes a moment to compile)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(XSD_PATH), parser))


def validate_bpmn(data: bytes) -> list[Problem]:
    """All problems found in ``data`` (empty list: valid). Never raises for bad input."""
    if isinstance(data, str):  # tolerated: callers sometimes hand over text
        data = data.encode("utf-8")
    if not data.strip():
        return [Problem("Berkas kosong; bukan dokumen BPMN.")]
    try:
        tree = parse_safely(data)
    except ValueError as exc:
        return [Problem(str(exc))]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        return [Problem(syntax_error_text(exc), line=line)]
    root = tree.getroot()
    if root.tag != q(BPMN, "definitions"):
        return [
            Problem(
                f"Elemen akar bukan bpmn:definitions (namespace {BPMN}); bukan dokumen BPMN 2.0.",
                line=line_of(root),
            )
        ]
    problems = _schema_problems(tree)
    problems += _reference_problems(root)
    problems += _flow_problems(root)
    problems += _expression_problems(root)
    return problems


def _expression_problems(root: etree._Element) -> list[Problem]:
    """Expressions too long or too deep to parse safely; the engine applies the same bound at
    deploy (converters.bpmn.expressions), so validate and deploy agree on them."""
    out: list[Problem] = []
    for el in expression_elements(root):
        reason = expression_limit_problem((el.text or "").strip())
        if reason:
            owner = el.getparent()
            while owner is not None and not owner.get("id"):
                owner = owner.getparent()
            holder = owner if owner is not None else el
            out.append(
                Problem(
                    f"{etree.QName(el).localname}: {reason}",
                    element_id=holder.get("id", ""),
                    element_name=holder.get("name", ""),
                    line=line_of(el),
                )
            )
    return out


def _schema_problems(tree: etree._ElementTree) -> list[Problem]:
    schema = _schema()
    if schema.validate(tree):
        return []
    out = []
    # lxml-stubs declare the error log as an empty class; lxml iterates its entries
    entries = cast("Iterable[Any]", schema.error_log)
    for err in entries:
        element_id = element_name = ""
        if err.path:
            try:
                found = tree.xpath(err.path, namespaces=_path_namespaces(tree))
            except etree.XPathError:
                found = []
            if isinstance(found, list) and found and isinstance(found[0], etree._Element):
                element_id = found[0].get("id", "")
                element_name = found[0].get("name", "")
        out.append(
            Problem(
                f"Tidak sesuai skema BPMN 2.0: {err.message}",
                element_id=element_id,
                element_name=element_name,
                line=err.line or None,
            )
        )
    return out


def _path_namespaces(tree: etree._ElementTree) -> dict[str, str]:
    return {k: v for k, v in tree.getroot().nsmap.items() if k}


def _local(ref: str) -> str:
    """A QName reference may carry a prefix ("bpmn:Flow_1"); ids never do."""
    return ref.split(":", 1)[1] if ":" in ref else ref


def _reference_problems(root: etree._Element) -> list[Problem]:
    ids: set[str] = set()
    for el in root.iter():
        element_id = el.get("id")
        if isinstance(el.tag, str) and element_id:
            ids.add(element_id)
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in _REF_ATTRIBUTES:
            ref = el.get(attr)
            if ref is not None and _local(ref) not in ids:
                out.append(_unresolved(el, attr, ref))
        local = etree.QName(el).localname
        if etree.QName(el).namespace == BPMN and local in _REF_ELEMENTS:
            ref = (el.text or "").strip()
            parent = el.getparent()
            if ref and _local(ref) not in ids and parent is not None:
                out.append(_unresolved(parent, local, ref, line=line_of(el)))
    return out


def _unresolved(el: etree._Element, what: str, ref: str, line: int | None = None) -> Problem:
    return Problem(
        f"Rujukan {what}=“{ref}” tidak menunjuk elemen mana pun.",
        element_id=el.get("id", ""),
        element_name=el.get("name", ""),
        line=line or line_of(el),
    )


def _flow_problems(root: etree._Element) -> list[Problem]:
    """incoming/outgoing lists must match the sequence flows; nodes must be connected."""
    out: list[Problem] = []
    for container in root.iter(q(BPMN, "process"), q(BPMN, "subProcess")):
        nodes = {
            el.get("id", ""): el
            for el in container
            if etree.QName(el).localname in _FLOW_NODES and el.get("id")
        }
        flows = [el for el in container if el.tag == q(BPMN, "sequenceFlow")]
        real_in: dict[str, set[str]] = {n: set() for n in nodes}
        real_out: dict[str, set[str]] = {n: set() for n in nodes}
        for f in flows:
            fid = f.get("id", "")
            src, tgt = _local(f.get("sourceRef", "")), _local(f.get("targetRef", ""))
            if src in nodes:
                real_out[src].add(fid)
            if tgt in nodes:
                real_in[tgt].add(fid)
        for nid, node in nodes.items():
            listed_in = {(c.text or "").strip() for c in node.iter(q(BPMN, "incoming"))}
            listed_out = {(c.text or "").strip() for c in node.iter(q(BPMN, "outgoing"))}
            if node.tag == q(BPMN, "subProcess"):  # its children list their own flows
                listed_in = {(c.text or "").strip() for c in node.findall(q(BPMN, "incoming"))}
                listed_out = {(c.text or "").strip() for c in node.findall(q(BPMN, "outgoing"))}
            for kind, listed, real in (
                ("incoming", listed_in, real_in[nid]),
                ("outgoing", listed_out, real_out[nid]),
            ):
                if not listed:
                    continue  # the lists are optional in BPMN; only wrong lists are errors
                for missing in sorted(real - listed):
                    out.append(_node_problem(node, f"Alur {missing} tidak tercantum di {kind}."))
                for extra in sorted(listed - real):
                    out.append(
                        _node_problem(node, f"{kind} “{extra}” bukan alur yang terhubung ke sini.")
                    )
            local = etree.QName(node).localname
            if (
                not real_in[nid]
                and local not in ("startEvent", "boundaryEvent")
                and not (local == "subProcess" and node.get("triggeredByEvent") == "true")
            ):
                out.append(_node_problem(node, "Tidak ada alur masuk; elemen tak terjangkau."))
            if not real_out[nid] and local != "endEvent":
                out.append(_node_problem(node, "Tidak ada alur keluar; proses berhenti di sini."))
            default = node.get("default")
            if default and _local(default) not in real_out[nid]:
                out.append(_node_problem(node, f"Alur default “{default}” bukan alur keluarnya."))
            if local == "exclusiveGateway" and len(real_out[nid]) > 1:
                for f in flows:
                    if (
                        _local(f.get("sourceRef", "")) == nid
                        and f.find(q(BPMN, "conditionExpression")) is None
                        and f.get("id") != _local(default or "")
                    ):
                        out.append(
                            _node_problem(
                                f, "Alur keluar gateway tanpa kondisi dan bukan alur default."
                            )
                        )
    lanes_of: dict[str, list[str]] = {}
    for lane in root.iter(q(BPMN, "lane")):
        if lane.find(q(BPMN, "childLaneSet")) is not None:
            continue  # a parent lane repeats its children's nodes by design
        for ref in lane.findall(q(BPMN, "flowNodeRef")):
            lanes_of.setdefault((ref.text or "").strip(), []).append(lane.get("name", ""))
    for node_id, names in lanes_of.items():
        if len(names) > 1:
            out.append(
                Problem(
                    "Elemen berada di lebih dari satu lane: " + ", ".join(names) + ".",
                    element_id=node_id,
                    severity="warning",
                )
            )
    if root.find(f".//{q(BPMNDI, 'BPMNDiagram')}") is None:
        out.append(
            Problem(
                "Tidak ada diagram (BPMNDI); Camunda Modeler tidak dapat menampilkannya.",
                severity="warning",
            )
        )
    return out


def _node_problem(el: etree._Element, message: str) -> Problem:
    return Problem(
        message,
        element_id=el.get("id", ""),
        element_name=el.get("name", ""),
        line=line_of(el),
    )


def errors(problems: list[Problem]) -> list[Problem]:
    """Only the problems that make a file unusable."""
    return [p for p in problems if p.severity == "error"]


# parse_safely is re-exported: engine.definitions imports it from here
__all__ = ["XSD_PATH", "Problem", "errors", "parse_safely", "validate_bpmn"]
