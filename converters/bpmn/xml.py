"""The one way BPMN bytes are parsed: BPMN files arrive as uploads from people we do not control.

The validator, the reader and the process view all parse through :func:`parse_safely`, so they
refuse the same hostile documents: anything with a DOCTYPE (external entities, entity bombs),
no network access, no huge trees. Keeping a single parser means a hardening made here protects
every entry point at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

from lxml import etree

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)

MAX_BPMN_BYTES = 10 * 1024 * 1024
"""Largest BPMN file any path (CLI, web, engine) accepts. The library's biggest SOP process is
tens of kilobytes; a 150 MB file took 25 s and 1.8 GB to deploy before this bound."""
MAX_BPMN_ELEMENTS = 50_000
"""Most XML elements a BPMN may hold (a few hundred steps with their diagram stay far below)."""


class UnsafeXml(ValueError):
    """The document carries a DOCTYPE/DTD, or is too large; refused before it is used.

    A ValueError so callers written against the earlier ``parse_safely`` keep working.
    """


class TooLarge(UnsafeXml):
    """The BPMN exceeds :data:`MAX_BPMN_BYTES` or :data:`MAX_BPMN_ELEMENTS`."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def check_size(size: int) -> None:
    """Refuse a BPMN of ``size`` bytes before it is read or parsed (:class:`TooLarge`)."""
    if size > MAX_BPMN_BYTES:
        raise TooLarge(
            f"Berkas BPMN terlalu besar: {_mb(size)} MB, batas {_mb(MAX_BPMN_BYTES)} MB"
            " (BPMN file too large)"
        )


def read_bpmn_file(path: Path) -> bytes:
    """The bytes of a BPMN file, its size checked from the file system before reading, so a
    huge file costs a ``stat`` and not its memory. OSError passes to the caller."""
    check_size(path.stat().st_size)
    with path.open("rb") as fh:
        data = fh.read(MAX_BPMN_BYTES + 1)  # the file may grow between stat and read
    check_size(len(data))
    return data


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

    The size is checked before parsing, the element count right after. The DOCTYPE is refused
    by a byte search before parsing, and again from the parsed document's info in case an
    encoding hid it from the search.
    """
    check_size(len(data))
    if _DOCTYPE.search(data):
        raise UnsafeXml(
            "Dokumen memuat DOCTYPE; ditolak demi keamanan (entitas eksternal / entity bomb)."
        )
    tree = etree.ElementTree(etree.fromstring(data, _parser(remove_comments)))
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise UnsafeXml("Dokumen memuat DTD; ditolak demi keamanan.")
    count = sum(1 for _ in tree.getroot().iter())
    if count > MAX_BPMN_ELEMENTS:
        raise TooLarge(
            f"BPMN memuat terlalu banyak elemen: {count}, batas {MAX_BPMN_ELEMENTS}"
            " (too many XML elements)"
        )
    return tree


def syntax_error_text(exc: etree.XMLSyntaxError) -> str:
    """The one Indonesian wording of "this is not well-formed XML"; lxml's own English
    detail ("Start tag expected, '<' not found") only in parentheses, for the analyst."""
    where = f" (baris {exc.lineno})" if exc.lineno else ""
    detail = (exc.msg or "").strip()
    return (f"Berkas bukan XML yang sah{where}: isinya tidak dapat dibaca sebagai BPMN"
            + (f" ({detail})" if detail else ""))


def line_of(el: etree._Element) -> int | None:
    """The element's source line; lxml-stubs types ``sourceline`` as ``...``, lxml gives
    ``int | None``."""
    return cast("int | None", el.sourceline)


__all__ = [
    "MAX_BPMN_BYTES",
    "MAX_BPMN_ELEMENTS",
    "TooLarge",
    "UnsafeXml",
    "check_size",
    "line_of",
    "parse_safely",
    "read_bpmn_file",
]
