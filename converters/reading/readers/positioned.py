"""Text with positions: ``pdftohtml -s -i -noframes`` (absolutely positioned ``<p>``/``<div>``
boxes with ``top``/``left`` in their CSS) and ``pdftohtml -xml`` (``<text top left width
height>`` elements, one page element per page).

The positions are as good as a drawing's geometry for the columns, so the boxes are laid back
out on a character grid, page by page: a box's left edge gives its column (x divided by the
pages' typical character width), its top gives its line (y divided by the typical line
height; boxes whose tops are within half a line share it), and a vertical gap of more than a
line leaves blank lines, as ``pdftotext -layout`` does. Pages are joined by form feeds. The
result *is* ``pdftotext -layout`` text, so :mod:`~converters.reading.readers.pdftext_layout`
reads the table from it (header words → column ranges, numbered rows, cells by position),
with every rule of that reader and nothing copied.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from statistics import median

from converters.model import ConversionError
from converters.reading.raw import RawDocument
from converters.reading.readers import pdftext_layout

_XML_PAGE = re.compile(r"<page\b[^>]*>(.*?)</page>", re.S | re.I)
_XML_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.S | re.I)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_HTML_PAGE = re.compile(r"<div\b[^>]*id=\"page\d+-div\"[^>]*>(.*?)</div>", re.S | re.I)
_HTML_BOX = re.compile(
    r"<(p|div|span)\b[^>]*style=\"([^\"]*position:\s*absolute[^\"]*)\"[^>]*>(.*?)</\1>",
    re.S | re.I,
)
_CSS_CLASS = re.compile(r"\.(ft\w+)\s*\{([^}]*)\}", re.I)
_CLASS_ATTR = re.compile(r"class=\"([^\"]+)\"", re.I)
_PX = {"top": re.compile(r"top:\s*(-?[\d.]+)px", re.I),
       "left": re.compile(r"left:\s*(-?[\d.]+)px", re.I)}
_FONT_SIZE = re.compile(r"font-size:\s*([\d.]+)px", re.I)
_LINE_HEIGHT = re.compile(r"line-height:\s*([\d.]+)px", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_MIN_BOXES = 8
_MAX_BLANK = 3  # blank lines kept for one vertical gap
_CHAR_RATIO = 0.5  # a proportional font's mean character width, in font sizes
_SLACK = 0.85  # grid columns a little narrower than a character, so close cells do not touch


@dataclass
class Box:
    """A run of text on a page, where it stands (any unit, the same for every box of a
    document: pixels, points)."""

    top: float
    left: float
    width: float  # 0 when unknown (positioned HTML gives no widths)
    height: float
    text: str


def _plain(fragment: str) -> str:
    text = html.unescape(_TAG.sub("", fragment)).replace("\xa0", " ")
    return " ".join(text.split())


def _xml_pages(text: str) -> list[list[Box]]:
    pages = []
    for page in _XML_PAGE.finditer(text):
        boxes = []
        for m in _XML_TEXT.finditer(page.group(1)):
            attrs = dict(_ATTR.findall(m.group(1)))
            content = _plain(m.group(2))
            if not content:
                continue
            try:
                boxes.append(Box(float(attrs["top"]), float(attrs["left"]),
                                  float(attrs.get("width", 0)), float(attrs.get("height", 0)),
                                  content))
            except (KeyError, ValueError):
                continue
        pages.append(boxes)
    return pages


def _html_pages(text: str) -> list[list[Box]]:
    classes: dict[str, tuple[float, float]] = {}
    for m in _CSS_CLASS.finditer(text):
        size = _FONT_SIZE.search(m.group(2))
        height = _LINE_HEIGHT.search(m.group(2))
        fs = float(size.group(1)) if size else 12.0
        classes[m.group(1).lower()] = (fs, float(height.group(1)) if height else fs + 1)
    chunks = [m.group(1) for m in _HTML_PAGE.finditer(text)] or [text]
    pages = []
    for chunk in chunks:
        boxes = []
        for m in _HTML_BOX.finditer(chunk):
            style = m.group(2)
            top, left = _PX["top"].search(style), _PX["left"].search(style)
            if top is None or left is None:
                continue
            cls = _CLASS_ATTR.search(m.group(0)[: m.group(0).find(">") + 1])
            font_size, line_h = classes.get(cls.group(1).split()[0].lower() if cls else "",
                                       (12.0, 13.0))
            for k, part in enumerate(_BR.split(m.group(3))):
                content = _plain(part)
                if content:
                    boxes.append(Box(float(top.group(1)) + k * line_h, float(left.group(1)),
                                      len(content) * font_size * _CHAR_RATIO, line_h, content))
        pages.append(boxes)
    return pages


def _pages(text: str) -> list[list[Box]]:
    head = text[:4000].lower()
    if "<pdf2xml" in head or ("<page" in head and "<text " in text[:200_000].lower()):
        return _xml_pages(text)
    return _html_pages(text)


def sniff(text: str) -> float:
    """How much ``text`` looks like positioned text boxes holding an SOP table (0..1)."""
    sample = text[:400_000]
    lowered = sample.lower()
    xml = len(re.findall(r"<text\s+top=", lowered))
    css = len(re.findall(r"position:\s*absolute", lowered))
    boxes = max(xml, css)
    if boxes < _MIN_BOXES:
        return 0.0
    table = re.search(r">\s*(?:<[^>]+>\s*)*(kegiatan|uraian|aktivitas)", lowered)
    return 0.97 if table else 0.4


def _char_width(pages: list[list[Box]]) -> float:
    widths = [b.width / len(b.text) for page in pages for b in page
              if b.width > 0 and len(b.text) >= 3]
    return (median(widths) if widths else 6.0) * _SLACK


def _line_height(pages: list[list[Box]]) -> float:
    heights = [b.height for page in pages for b in page if b.height > 0]
    return median(heights) if heights else 13.0


def layout_text(text: str) -> str:
    """The positioned boxes laid out as ``pdftotext -layout`` text (pages split by form
    feeds)."""
    return lay_out(_pages(text))


def lay_out(pages: list[list[Box]]) -> str:
    """Boxes, page by page, on a character grid as ``pdftotext -layout`` text: shared with
    :mod:`~converters.reading.readers.word_boxes` (OCR and poppler word boxes)."""
    cw, lh = _char_width(pages), _line_height(pages)
    out_pages = []
    for boxes in pages:
        lines: list[tuple[float, list[Box]]] = []
        for b in sorted(boxes, key=lambda b: (b.top, b.left)):
            if lines and b.top - lines[-1][0] < lh * 0.5:
                lines[-1][1].append(b)
            else:
                lines.append((b.top, [b]))
        out: list[str] = []
        prev_top: float | None = None
        for top, row in lines:
            if prev_top is not None:
                gap = round((top - prev_top) / lh) - 1
                out.extend([""] * max(0, min(gap, _MAX_BLANK)))
            prev_top = top
            line = ""
            for b in sorted(row, key=lambda b: b.left):
                col = round(b.left / cw)
                if line:
                    col = max(col, len(line) + 2)
                line = line.ljust(col) + b.text
            out.append(line.rstrip())
        out_pages.append("\n".join(out))
    return "\n\f".join(out_pages) + "\n"


def read(text: str) -> RawDocument:
    """Read positioned text boxes: laid out on a character grid, then read as layout text."""
    laid = layout_text(text)
    if not laid.strip():
        raise ConversionError("Halaman HTML/XML tanpa teks berposisi (no positioned text)")
    doc = pdftext_layout.read(laid)
    doc.source_format = "positioned"
    return doc


__all__ = ["Box", "lay_out", "layout_text", "read", "sniff"]
