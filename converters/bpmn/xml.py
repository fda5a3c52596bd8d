"""The one way BPMN bytes are parsed: BPMN files arrive as uploads from people we do not control.

The validator, the reader and the process view all parse through :func:`parse_safely`, so they
refuse the same hostile documents: anything with a DOCTYPE (external entities, entity bombs),
no network access, no huge trees. Keeping a single parser means a hardening made here protects
every entry point at once.
"""

from __future__ import annotations

import re
from typing import cast

from lxml import etree

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class UnsafeXml(ValueError):
    """The document carries a DOCTYPE/DTD; refused before anything in it is resolved.

    A ValueError so callers written against the earlier ``parse_safely`` keep working.
    """


def _parser(remove_comments: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=remove_comments,
    )


def parse_safely(data: bytes, *, remove_comments: bool = False) -> etree._ElementTree:
    """Parse untrusted BPMN bytes; raises :class:`UnsafeXml` (Indonesian message) or
    ``etree.XMLSyntaxError``.

    The DOCTYPE is refused by a byte search before parsing, and again from the parsed
    document's info in case an encoding hid it from the search.
    """
    if _DOCTYPE.search(data):
        raise UnsafeXml(
            "Dokumen memuat DOCTYPE; ditolak demi keamanan (entitas eksternal / entity bomb)."
        )
    tree = etree.ElementTree(etree.fromstring(data, _parser(remove_comments)))
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise UnsafeXml("Dokumen memuat DTD; ditolak demi keamanan.")
    return tree


def line_of(el: etree._Element) -> int | None:
    """The element's source line; lxml-stubs types ``sourceline`` as ``...``, lxml gives
    ``int | None``."""
    return cast("int | None", el.sourceline)


__all__ = ["UnsafeXml", "line_of", "parse_safely"]
