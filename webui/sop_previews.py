"""What the SOP editor shows of a draft: its BPMN, the BPMN diagram, the official SOP table
and the problems found, each computed once per content.

Every save of a draft changes its model, and the editor page then asks for the diagram and
the table again; drawing them runs Graphviz (tens of milliseconds to a second). Keys are the
SHA-256 of the content (the BPMN, or the SOP model's JSON), never a draft id, so an unchanged
draft, an undo to an earlier state or two drafts of the same SOP draw once, and two
databases can never see each other's pictures.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from converters.bpmn.validate import Problem as BpmnProblem
from converters.model import ConversionError, Sop
from converters.model_checks import Problem, check
from webui import diagrams
from webui.lru import BytesCache

_cache = BytesCache(64)


@dataclass(frozen=True)
class Findings:
    """Everything wrong with a draft: the model's own flow and roles, what the BPMN writer
    refused (``writer_error``) and what the BPMN validator reports of its output."""

    model: tuple[Problem, ...]
    writer_error: str
    bpmn: tuple[BpmnProblem, ...]

    @property
    def count(self) -> int:
        return len(self.model) + bool(self.writer_error) + len(self.bpmn)


def _key(sop: Sop) -> str:
    return hashlib.sha256(
        json.dumps(sop.to_dict(), ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


def bpmn(sop: Sop) -> bytes:
    """The BPMN of the draft as it would be deployed (raises ConversionError)."""
    from converters.bpmn.writer import write_bpmn

    return _cache.get(("bpmn", _key(sop)), lambda: write_bpmn(sop))


def diagram_svg(sop: Sop) -> bytes:
    """The process view of the draft's BPMN; a placeholder when it cannot be written."""
    try:
        xml = bpmn(sop)
    except ConversionError:
        return diagrams.placeholder("Diagram tidak dapat digambar")
    digest = hashlib.sha256(xml).hexdigest()
    return _cache.get(("diagram", digest), lambda: diagrams.render_uncached(xml))


def table_svg(sop: Sop) -> bytes:
    """The official SOP AP document (identity page and flowchart table) as one SVG."""
    from converters.drawing.document import render_document

    def make() -> bytes:
        try:
            return render_document(sop, "svg")
        except (ConversionError, ValueError):
            return diagrams.placeholder("Tabel SOP tidak dapat digambar")

    return _cache.get(("table", _key(sop)), make)


def findings(sop: Sop) -> Findings:
    """The checks of the model, then the writer and the validator on its BPMN."""
    from converters.bpmn.validate import validate_bpmn

    try:
        xml = bpmn(sop)
    except ConversionError as exc:
        return Findings(check(sop), str(exc), ())
    return Findings(check(sop), "", tuple(validate_bpmn(xml)))


def clear_cache() -> None:
    _cache.clear()
