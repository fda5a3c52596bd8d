"""Word (.docx) SOPs: the document body turned into tabbed text for the tab reader.

Most SOP AP documents are written in Word: the identity block and the step table are Word
tables, the flowchart symbols are shapes anchored in the role cells. Rather than a second
table reader, the body is written out as the text the tab reader already understands: one
line per paragraph, one line per table row with a tab between cells. Word details are
resolved on the way:

* a cell spanning columns (``gridSpan``) is followed by empty cells, so later columns stay
  aligned with the header; the lower parts of a vertically merged cell are empty;
* automatic list numbers (which are not in the text) are written as "1. ", "2. ", ...;
* a shape in a cell becomes a symbol mark ("◇" decision, "○" start/end, "□" process,
  "⬠" off-page connector) plus any text inside it ("Ya", "Tidak").
"""

from __future__ import annotations

import io
import re

from lxml import etree

from converters.model import ConversionError
from converters.reading.archive import check_archive
from converters.reading.drawn.office import docx_vml
from converters.reading.drawn.picture import SHAPE_MARKS, ShapeKind
from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_V = "urn:schemas-microsoft-com:vml"
_NS = {"w": _W, "a": _A, "v": _V}

_SYMBOLS = {
    "flowChartDecision": "◇",
    "diamond": "◇",
    "flowChartTerminator": "○",
    "ellipse": "○",
    "roundRect": "○",
    "flowChartAlternateProcess": "○",
    "flowChartConnector": "○",
    "flowChartOffpageConnector": "⬠",
    "homePlate": "⬠",
    "pentagon": "⬠",
}
_CONNECTORS = ("line", "straightConnector", "bentConnector", "curvedConnector", "Arrow")


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{_NS[prefix]}}}{name}"


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(_q("w:t"), _q("w:tab"), _q("w:br"), _q("w:txbxContent")):
        if el.tag == _q("w:txbxContent"):
            continue
        # skip text inside text boxes (shapes): read separately as marks
        if any(anc.tag == _q("w:txbxContent") for anc in el.iterancestors()):
            continue
        if el.tag == _q("w:t"):
            parts.append(el.text or "")
        else:
            parts.append(" ")
    return "".join(parts)


def _formats(numbering) -> dict[tuple[str, str], str]:
    """(numId, level) -> number format ("decimal", "bullet", ...) from numbering.xml."""
    if numbering is None:
        return {}
    val = _q("w:val")
    abstract: dict[str, dict[str, str]] = {}
    for an in numbering.iter(_q("w:abstractNum")):
        levels = {}
        for lvl in an.iter(_q("w:lvl")):
            fmt = lvl.find(_q("w:numFmt"))
            levels[lvl.get(_q("w:ilvl"), "0")] = fmt.get(val, "decimal") if fmt is not None else ""
        abstract[an.get(_q("w:abstractNumId"), "")] = levels
    out: dict[tuple[str, str], str] = {}
    for num in numbering.iter(_q("w:num")):
        ref = num.find(_q("w:abstractNumId"))
        levels = abstract.get(ref.get(val, "") if ref is not None else "", {})
        for ilvl, fmt in levels.items():
            out[(num.get(_q("w:numId"), ""), ilvl)] = fmt
    return out


class _Numbering:
    """Counters for automatic list numbers, per list and level."""

    def __init__(self, styles=None, numbering=None) -> None:
        self.counts: dict[tuple[str, str], int] = {}
        self.formats = _formats(numbering)
        # list styles ("List Number") carry their numbering in the style, not the paragraph
        self.style_num: dict[str, object] = {}
        if styles is not None:
            for style in styles.iter(_q("w:style")):
                num = style.find(f"{_q('w:pPr')}/{_q('w:numPr')}")
                if num is not None:
                    self.style_num[style.get(_q("w:styleId"), "")] = num

    def prefix(self, p) -> str:
        num = p.find(f"{_q('w:pPr')}/{_q('w:numPr')}")
        if num is None:
            style = p.find(f"{_q('w:pPr')}/{_q('w:pStyle')}")
            if style is not None:
                num = self.style_num.get(style.get(_q("w:val"), ""))
        if num is None:
            return ""
        num_id = num.find(_q("w:numId"))
        ilvl = num.find(_q("w:ilvl"))
        key = (
            num_id.get(_q("w:val"), "") if num_id is not None else "",
            ilvl.get(_q("w:val"), "0") if ilvl is not None else "0",
        )
        if key[0] == "0":  # numbering switched off
            return ""
        if self.formats.get(key, "decimal") in {"bullet", "none"}:
            return "- "
        self.counts[key] = self.counts.get(key, 0) + 1
        return f"{self.counts[key]}. "


def _symbols(tc) -> str:
    marks: list[str] = []
    for geom in tc.iter(_q("a:prstGeom")):
        prst = geom.get("prst", "")
        if any(c in prst for c in _CONNECTORS):
            continue
        marks.append(_SYMBOLS.get(prst, "□"))
    for tag in ("v:shape", "v:roundrect", "v:oval", "v:rect"):
        for el in tc.iter(_q(tag)):
            kind = docx_vml.symbol_kind(el)
            # a connector line, a picture or a text box is no symbol
            if kind is not None and kind is not ShapeKind.ARROW:
                marks.append(SHAPE_MARKS[kind])
    texts = []
    for box in tc.iter(_q("w:txbxContent")):
        text = " ".join(
            "".join(t.text or "" for t in p.iter(_q("w:t"))) for p in box.iter(_q("w:p"))
        )
        if text.strip():
            texts.append(" ".join(text.split()))
    return " ".join(dict.fromkeys(marks + texts))


def cell_paragraphs(tc: etree._Element) -> list[etree._Element]:
    """A cell's paragraphs, those of tables nested in it included (a template's role header
    holding the name in a table of its own), text box contents excluded (they belong to their
    shape, read with it)."""
    out = []
    for p in tc.iter(_q("w:p")):
        parent = p.getparent()
        while parent is not None and parent is not tc and parent.tag != _q("w:txbxContent"):
            parent = parent.getparent()
        if parent is tc:
            out.append(p)
    return out


def _cell_text(tc, numbering: _Numbering) -> str:
    parts = []
    for p in cell_paragraphs(tc):
        text = _paragraph_text(p).strip()
        if text:
            parts.append(numbering.prefix(p) + text)
    text = " ".join(" ".join(parts).replace("\t", " ").split())
    symbol = _symbols(tc)
    return f"{symbol} {text}".strip() if symbol else text


MAX_GRID_SPAN = 60
"""A cell never spans more grid columns than this (a hostile gridSpan must not blow a row up)."""


def cell_span(tc: etree._Element) -> tuple[int, str | None]:
    """A table cell's grid span and its ``w:vMerge`` value (``"restart"``, ``"continue"``, or
    ``None`` when it is not vertically merged), as Word writes them; the text reader and the
    reader of drawn shapes place cells by the same rule."""
    props = tc.find(_q("w:tcPr"))
    if props is None:
        return 1, None
    span = 1
    gs = props.find(_q("w:gridSpan"))
    if gs is not None and (gs.get(_q("w:val")) or "1").isdigit():
        span = max(1, min(int(gs.get(_q("w:val")) or "1"), MAX_GRID_SPAN))
    vm = props.find(_q("w:vMerge"))
    return span, None if vm is None else vm.get(_q("w:val"), "continue")


def _table_lines(tbl, numbering: _Numbering) -> list[str]:
    lines = []
    for tr in tbl.findall(_q("w:tr")):
        cells: list[str] = []
        for tc in tr.findall(_q("w:tc")):
            span, merge = cell_span(tc)
            cells.append("" if merge == "continue" else _cell_text(tc, numbering))
            cells.extend([""] * (span - 1))
        lines.append("\t".join(cells))
    return lines


def names_sop_columns(tbl: etree._Element) -> bool:
    """Whether a table's words name the SOP table's columns (Pelaksana and Kegiatan/Uraian):
    the step table, drawn or not."""
    text = " ".join(t.text or "" for t in tbl.iter(_q("w:t"))).lower()
    return "pelaksana" in text and ("kegiatan" in text or "uraian" in text)


def _is_frame(tbl: etree._Element) -> bool:
    """A layout table around the SOP (a template's border frame): its cells hold tables, and
    it is either one column wide (each row one cell: a frame, never data) or one of the
    tables it holds is the SOP table. Its cells' contents are the document's real body."""
    cells = [tc for tr in tbl.findall(_q("w:tr")) for tc in tr.findall(_q("w:tc"))]
    inner = [t for tc in cells for t in tc.findall(_q("w:tbl"))]
    if not inner:
        return False
    one_column = all(len(tr.findall(_q("w:tc"))) == 1 for tr in tbl.findall(_q("w:tr")))
    return one_column or any(names_sop_columns(t) for t in inner)


def body_blocks(body: etree._Element) -> list[etree._Element]:
    """The body's paragraphs, tables and section properties in order, layout frames opened
    (:func:`_is_frame`, at any depth): an SOP nested in a template's frame reads as if the
    author had written it in the body. The text reader and the reader of drawn shapes walk
    the same blocks."""
    out: list[etree._Element] = []

    def walk(elements: list[etree._Element]) -> None:
        for el in elements:
            if el.tag == _q("w:tbl") and _is_frame(el):
                for tr in el.findall(_q("w:tr")):
                    for tc in tr.findall(_q("w:tc")):
                        walk([c for c in tc if c.tag in (_q("w:p"), _q("w:tbl"))])
            else:
                out.append(el)

    walk(list(body))
    return out


def docx_to_text(data: bytes, pages: bool = False) -> str:
    """The body of a .docx as tabbed text (see the module docstring). ``pages``: a form feed
    where the author starts a new page (:func:`_page_breaks`), so a compilation's text can be
    cut per SOP (:func:`read_docx_all`)."""
    from docx import Document

    check_archive(data, "DOCX")  # zip bomb guard before python-docx inflates anything
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx, zipfile and lxml raise many kinds on broken files
        raise ConversionError("Berkas DOCX rusak atau tidak dapat dibuka (bad docx)") from exc
    try:
        styles = document.styles.element
    except Exception:  # a document without a styles part
        styles = None
    try:
        numbering_xml = document.part.numbering_part.element
    except Exception:  # no numbering part: no automatic lists
        numbering_xml = None
    numbering = _Numbering(styles, numbering_xml)
    lines: list[str] = []
    for el in body_blocks(document.element.body):
        before, after = _page_breaks(el) if pages and lines else (False, False)
        if before:
            lines.append(PAGE_BREAK)
        if el.tag == _q("w:p"):
            lines.append((numbering.prefix(el) + _paragraph_text(el)).replace("\t", "  "))
        elif el.tag == _q("w:tbl"):
            lines.extend(_table_lines(el, numbering))
        if after:
            lines.append(PAGE_BREAK)
    return "\n".join(lines)


PAGE_BREAK = "\f"


def _page_breaks(el: etree._Element) -> tuple[bool, bool]:
    """Whether a body element starts a new page before it (``pageBreakBefore``; a table
    that holds an identity block: a new SOP's first page) and after it (a page break run,
    the end of a section: ``w:sectPr`` in the paragraph's properties)."""
    from converters.reading.compilation import MIN_LABELS, identity_labels

    if el.tag == _q("w:tbl"):
        text = " ".join(t.text or "" for t in el.iter(_q("w:t")))
        return identity_labels(text) >= MIN_LABELS, False
    if el.tag != _q("w:p"):
        return False, False
    ppr = el.find(_q("w:pPr"))
    brk = ppr.find(_q("w:pageBreakBefore")) if ppr is not None else None
    before = brk is not None and brk.get(_q("w:val"), "true") not in ("0", "false", "off")
    after = any(br.get(_q("w:type")) == "page" for br in el.iter(_q("w:br"))) or (
        ppr is not None and ppr.find(_q("w:sectPr")) is not None)  # fmt: skip
    return before, after


def read_docx(data: bytes) -> RawDocument:
    """Read a Word SOP through the tab reader."""
    doc = tabbed.read(docx_to_text(data))
    doc.source_format = "docx"
    return doc


_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]?\t")


def _first_step(lines: list[str]) -> int | None:
    """The number of the first numbered row under a table header in ``lines``."""
    start = tabbed.find_header(lines)
    if start is None:
        return None
    for line in lines[start + 1 :]:
        found = _NUMBERED.match(line)
        if found:
            return int(found.group(1))
    return None


def split_pages(text: str) -> list[str]:
    """A Word body's text (form feeds where pages start) in one piece per SOP: cut at a page
    whose identity block names another SOP (:func:`converters.reading.compilation.
    another_sop`, the rule a PDF's text is cut by), or whose table is numbered from 1 again
    after steps were read (two SOPs whose identity blocks read alike; the drawn reader cuts
    by the same rule, :mod:`converters.reading.drawn.documents`)."""
    from converters.reading.compilation import another_sop, identity_marks

    pieces: list[list[str]] = [[]]
    current: set[str] = set()
    steps = False  # the piece being read has a numbered table row
    for page in text.split(PAGE_BREAK):
        lines = page.splitlines()
        marks = identity_marks(lines)
        first = _first_step(lines)
        if steps and ((bool(current) and another_sop(marks, current)) or first == 1):
            pieces.append([])
            current, steps = set(), False
        pieces[-1].append(page)
        if marks and not current:
            current = marks
        steps = steps or first is not None
    return [PAGE_BREAK.join(p) for p in pieces]


def read_docx_all(data: bytes) -> list[RawDocument] | None:
    """Every SOP table of a Word compilation ("Kumpulan SOP": an identity block and a table,
    a new page, the next SOP), cut by :func:`split_pages`; ``None`` when the file holds one
    SOP (or none), so :func:`read_docx` reads it as before. A piece that holds no table of
    its own (a title page) is read with the piece after it."""
    pieces = split_pages(docx_to_text(data, pages=True))
    if len(pieces) < 2:
        return None
    docs = read_pieces(pieces)
    for doc in docs:
        doc.source_format = "docx"
    return docs if len(docs) > 1 else None


def read_pieces(pieces: list[str]) -> list[RawDocument]:
    """The SOPs of a document's pieces (:func:`split_pages`) as the tab reader reads them; a
    piece that is no table on its own (a title page) is read with the piece after it. Shared
    by every Word-like compilation (.docx, and the .doc's text in ``legacy``)."""
    docs: list[RawDocument] = []
    pending = ""
    for piece in pieces:
        try:
            doc = tabbed.read((pending + piece).replace(PAGE_BREAK, ""))
        except ConversionError:
            pending += piece
            continue
        pending = ""
        if doc.rows or doc.authored_steps:
            docs.append(doc)
    return docs


__all__ = ["PAGE_BREAK", "docx_to_text", "read_docx", "read_docx_all", "split_pages"]
