"""The official SOP AP document of a deployed process, for download and preview.

Drawing the flowchart pages runs Graphviz once per page and, for PDF and DOCX, merges or
rasterises them: about a second for a large SOP. A deployed version never changes, so each
(BPMN content, format, paper) is drawn once and kept in a small cache; the key is the
content's hash, not the definition id, so two databases (tests, several offices) can never
see each other's documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from webui.lru import BytesCache

_cache = BytesCache(32)


class DocumentError(Exception):
    """The process cannot be drawn as an SOP document; the message is for the user."""


def sop_document(
    definition_id: int, xml_of: Callable[[int], bytes], fmt: str, paper: str = "a4"
) -> bytes:
    """The document of one definition version in ``fmt`` (pdf, docx, html) on ``paper``."""
    xml = xml_of(definition_id)
    key = (hashlib.sha256(xml).hexdigest(), fmt, paper)
    return _cache.get(key, lambda: _render(xml, fmt, paper))


def _render(xml: bytes, fmt: str, paper: str) -> bytes:
    from converters.bpmn.reader import read_bpmn
    from converters.drawing.document import render_document
    from converters.model import ConversionError

    try:
        sop = read_bpmn(xml)
        return render_document(sop, fmt, paper)
    except (ConversionError, ValueError) as exc:
        raise DocumentError(str(exc)) from None


def clear_cache() -> None:
    _cache.clear()
