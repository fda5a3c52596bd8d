"""A PDF whose pages show sideways or upside down, turned upright.

An SOP table is landscape; the PDF that carries it is often made so that a page *shows*
turned: a landscape page given ``/Rotate 90`` by a viewer's "rotate and save", a table drawn
turned on a portrait page by a print driver, a page assembled upside down. A person turns
the view and reads on; every reader of ours sees columns as rows and finds no table.

The page's characters say which way is up: pdfplumber gives each one's text matrix in the
page as it shows (``/Rotate`` applied), so the direction of the text line, ``atan2(b, a)``,
is 0° on an upright page, 90° when the text runs up the page, 270° when it runs down and
180° upside down. Setting the page's ``/Rotate`` further by that angle shows it upright,
with its drawing untouched: the same file, turned as the person reading it turns it.
"""

from __future__ import annotations

import collections
import io
import math

from converters.reading.drawn.pdf.vector import MAX_PAGES, page_count

MIN_CHARS = 20
"""A page with fewer characters says nothing about its direction (a scan, a logo page)."""

MIN_SHARE = 0.6
"""Share of a page's characters that must run one way for the page to be turned that way
(vertical labels in a narrow column, stamps and signatures run other ways)."""


def text_direction(chars: list[dict[str, object]]) -> int:
    """The way most characters run: 0, 90, 180 or 270 degrees (0 when unclear)."""
    if len(chars) < MIN_CHARS:
        return 0
    ways: collections.Counter[int] = collections.Counter()
    for ch in chars:
        matrix = ch.get("matrix")
        if not isinstance(matrix, tuple | list) or len(matrix) < 2:
            continue
        a, b = float(matrix[0]), float(matrix[1])
        ways[round(math.degrees(math.atan2(b, a)) / 90) % 4 * 90] += 1
    way, count = ways.most_common(1)[0] if ways else (0, 0)
    return way if count >= MIN_SHARE * len(chars) else 0


def upright_pdf(data: bytes) -> bytes | None:
    """The PDF with every page whose text runs sideways or upside down turned upright, or
    ``None`` when every page already reads upright (or the file cannot be read or is longer
    than the readers take: they have said what is wrong with it)."""
    import pdfplumber
    from pypdf import PdfWriter

    turns: dict[int, int] = {}
    try:
        # the catalogue's count first: pdfplumber parses every page to count them, seconds
        # for a file of thousands that the readers refuse at once
        if page_count(data) > MAX_PAGES:
            return None
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                return None
            for index, page in enumerate(pdf.pages):
                way = text_direction(page.chars)
                if way:
                    turns[index] = way
                page.close()
        if not turns:
            return None
        writer = PdfWriter(clone_from=io.BytesIO(data))
        for index, way in turns.items():
            writer.pages[index].rotate(way)
        out = io.BytesIO()
        writer.write(out)
    except Exception:  # pdfminer and pypdf raise many types for broken files
        return None
    return out.getvalue()


__all__ = ["MIN_CHARS", "MIN_SHARE", "text_direction", "upright_pdf"]
