"""Text as words with their boxes: what OCR and PDF tools write when they keep positions.

- ``pdftotext -bbox`` / ``-bbox-layout``: XHTML, ``<word xMin yMin xMax yMax>`` per word;
- Tesseract's (and OCRmyPDF's) hOCR: ``<span class="ocrx_word" title="bbox x0 y0 x1 y1">``;
- ALTO XML (Tesseract ``alto``, library and archive scanners): ``<String CONTENT HPOS VPOS
  WIDTH HEIGHT>``;
- Tesseract's TSV and ``pdftotext -tsv``: one row per word, ``level … left top width
  height conf text``.

Why a reader of its own: each keeps every word where it stood on the page, which is as good
as a drawing's geometry for the table's columns, but a word is not a cell. The words are
joined back into runs (words on one line closer than a space's width or two) and the runs
are laid out on a character grid by :func:`~converters.reading.readers.positioned.lay_out`,
so the table is read as ``pdftotext -layout`` text, by that reader's rules. OCR words (hOCR,
ALTO, TSV) are read by the OCR reader, which knows misread header words, symbol debris and
broken lines, both laid out and in the tool's own reading order (see :func:`read`).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from statistics import median

from converters.model import ConversionError
from converters.reading.raw import RawDocument
from converters.reading.readers import FormRefused, checked, ocr, pdftext_layout
from converters.reading.readers.positioned import Box, lay_out

_MIN_WORDS = 8
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG = re.compile(r"<[^>]+>")
# pdftotext -bbox: pages and words
_BBOX_PAGE = re.compile(r"<page\b[^>]*>(.*?)</page>", re.S | re.I)
_BBOX_WORD = re.compile(r"<word\b([^>]*)>(.*?)</word>", re.S | re.I)
_BBOX_LINE = re.compile(r"<line\b", re.I)
_BBOX_BLOCK = re.compile(r"<block\b", re.I)
# hOCR: a page is a div of class ocr_page; a word a span of class ocrx_word
_HOCR_PAGE = re.compile(r"""<div\b[^>]*class=["']ocr_page["'][^>]*>""", re.I)
_HOCR_WORD = re.compile(
    r"""<span\b([^>]*class=["']ocrx_word["'][^>]*)>(.*?)</span>""", re.S | re.I
)
_HOCR_LINE = re.compile(
    r"""<\w+\b[^>]*class=["'](?:ocr_line|ocr_header|ocr_caption|ocr_textfloat)["']""", re.I
)
_HOCR_PAR = re.compile(r"""<\w+\b[^>]*class=["'](?:ocr_par|ocr_carea)["']""", re.I)
_HOCR_BBOX = re.compile(r"bbox\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")
# ALTO: pages and strings (attributes in any order)
_ALTO_PAGE = re.compile(r"<(?:\w+:)?Page\b[^>]*>(.*?)</(?:\w+:)?Page>", re.S)
_ALTO_STRING = re.compile(r"<(?:\w+:)?String\b([^>]*)/?>", re.S)
_ALTO_LINE = re.compile(r"<(?:\w+:)?TextLine\b")
_ALTO_BLOCK = re.compile(r"<(?:\w+:)?TextBlock\b")
_TSV_HEAD = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left",
             "top", "width", "height", "conf", "text")  # fmt: skip
_GAP = 0.45  # words farther apart than this many line pitches are in different runs


@dataclass(frozen=True)
class Word:
    """One word and its box (x0, y0 top-left, x1, y1 bottom-right; y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    line: int = -1  # the tool's own line (-1: it gives none), numbered within the page
    block: int = -1  # the tool's own paragraph or block, likewise


@dataclass(frozen=True)
class WordPages:
    """A document's words page by page, and the kind of tool that wrote them."""

    kind: str  # "pdftotext-bbox", "pdftotext-tsv", "hocr", "alto", "tesseract-tsv"
    pages: list[list[Word]]

    @property
    def from_ocr(self) -> bool:
        return not self.kind.startswith("pdftotext")


def _attrs(fragment: str) -> dict[str, str]:
    return {k.lower(): a if a else b for k, a, b in _ATTR.findall(fragment)}


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).replace("\xa0", " ").split())


def _line_of(starts: list[int], at: int) -> int:
    """The number of the tool's line that starts last before ``at`` (-1: none)."""
    return bisect.bisect_right(starts, at) - 1


def _bbox_pages(text: str) -> list[list[Word]]:
    pages = []
    for page in _BBOX_PAGE.finditer(text):
        words = []
        starts = [m.start() for m in _BBOX_LINE.finditer(page.group(1))]
        blocks = [m.start() for m in _BBOX_BLOCK.finditer(page.group(1))]
        for m in _BBOX_WORD.finditer(page.group(1)):
            a, content = _attrs(m.group(1)), _plain(m.group(2))
            try:
                box = (float(a["xmin"]), float(a["ymin"]), float(a["xmax"]), float(a["ymax"]))
            except (KeyError, ValueError):
                continue
            if content:
                words.append(Word(*box, content, _line_of(starts, m.start()),
                                  _line_of(blocks, m.start())))
        pages.append(words)
    return pages


def _hocr_pages(text: str) -> list[list[Word]]:
    starts = [m.start() for m in _HOCR_PAGE.finditer(text)] or [0]
    pages = []
    for i, start in enumerate(starts):
        chunk = text[start : starts[i + 1] if i + 1 < len(starts) else len(text)]
        words = []
        lines = [m.start() for m in _HOCR_LINE.finditer(chunk)]
        blocks = [m.start() for m in _HOCR_PAR.finditer(chunk)]
        for m in _HOCR_WORD.finditer(chunk):
            box = _HOCR_BBOX.search(_attrs(m.group(1)).get("title", ""))
            content = _plain(m.group(2))
            if box and content:
                x0, y0, x1, y1 = (float(v) for v in box.groups())
                words.append(Word(x0, y0, x1, y1, content, _line_of(lines, m.start()),
                                  _line_of(blocks, m.start())))
        pages.append(words)
    return pages


def _alto_pages(text: str) -> list[list[Word]]:
    chunks = [m.group(1) for m in _ALTO_PAGE.finditer(text)] or [text]
    pages = []
    for chunk in chunks:
        words = []
        starts = [m.start() for m in _ALTO_LINE.finditer(chunk)]
        blocks = [m.start() for m in _ALTO_BLOCK.finditer(chunk)]
        for m in _ALTO_STRING.finditer(chunk):
            a = _attrs(m.group(1))
            content = " ".join(html.unescape(a.get("content", "")).split())
            try:
                x, y = float(a["hpos"]), float(a["vpos"])
                w, h = float(a["width"]), float(a["height"])
            except (KeyError, ValueError):
                continue
            if content:
                words.append(Word(x, y, x + w, y + h, content, _line_of(starts, m.start()),
                                  _line_of(blocks, m.start())))
        pages.append(words)
    return pages


def _tsv_pages(text: str) -> list[list[Word]]:
    """Tesseract's TSV or poppler's (``pdftotext -tsv``): a row per page, block, line and
    word (levels 1-5; poppler writes no block row but a "###FLOW###" row at level 3). A
    line's or block's own row starts the next words' line or block, so the two tools'
    different numbering of them does not matter."""
    by_page: dict[int, list[Word]] = {}
    line = block = -1
    for row in text.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < len(_TSV_HEAD):
            continue
        if cells[0] in ("2", "3"):
            block += 1
        elif cells[0] == "4":
            line += 1
        if cells[0] != "5":
            continue
        content = " ".join("\t".join(cells[11:]).split())
        try:
            page = int(cells[1])
            x, y, w, h = (float(v) for v in cells[6:10])
        except ValueError:
            continue
        if content:
            by_page.setdefault(page, []).append(Word(x, y, x + w, y + h, content, line, block))
    return [by_page[k] for k in sorted(by_page)]


def _kind(text: str) -> str:
    """Which tool wrote ``text`` (empty: none of these)."""
    first = tuple(text[:200].lstrip("\ufeff").split("\n", 1)[0].strip().split("\t"))
    if sorted(first) == sorted(_TSV_HEAD):  # poppler swaps par_num and block_num
        return "pdftotext-tsv" if "###PAGE###" in text[:2000] else "tesseract-tsv"
    head = text[:400_000].lower()
    counts = {
        "pdftotext-bbox": head.count("<word "),
        "hocr": head.count("ocrx_word"),
        "alto": len(re.findall(r"<(?:\w+:)?string\b[^>]*\bcontent=", head)),
    }
    kind, count = max(counts.items(), key=lambda kv: kv[1])
    return kind if count >= _MIN_WORDS else ""


def word_pages(text: str) -> WordPages | None:
    """The words of ``text`` page by page, or None when it is no word-box text."""
    kind = _kind(text)
    parse = {"pdftotext-bbox": _bbox_pages, "hocr": _hocr_pages, "alto": _alto_pages,
             "tesseract-tsv": _tsv_pages, "pdftotext-tsv": _tsv_pages}.get(kind)  # fmt: skip
    return WordPages(kind, parse(text)) if parse else None


def sniff(text: str) -> float:
    """How much ``text`` looks like word boxes (0..1): these forms are told by their
    structure alone, so a recognised one is this reader's, SOP table or not (its refusal is
    final, see :func:`read`)."""
    return 0.99 if _kind(text) else 0.0


def _lines(words: list[Word], height: float) -> list[list[Word]]:
    """Words grouped into lines: the tool's own lines where it gives them (a line of a
    table cell, not of the page: a one-line cell centred beside a two-line one shares
    neither of its lines), else by their middles, within a third of a word's height of the
    first word of the line (a band that does not grow, so lines never chain together)."""
    if all(w.line >= 0 for w in words):
        given: dict[int, list[Word]] = {}
        for w in words:
            given.setdefault(w.line, []).append(w)
        return [sorted(ws, key=lambda w: w.x0) for ws in given.values()]
    lines: list[tuple[float, list[Word]]] = []  # (the first word's middle, words)
    for w in sorted(words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        mid = (w.y0 + w.y1) / 2
        for first, members in lines:
            if abs(mid - first) <= height / 3:
                members.append(w)
                break
        else:
            lines.append((mid, [w]))
    return [sorted(members, key=lambda w: w.x0) for _, members in lines]


def runs(words: list[Word]) -> list[Box]:
    """The words joined into runs of text: one line's neighbours closer than :data:`_GAP`
    line pitches (about half an em: a space, not a column's gap) are one run. Why: the
    layout reader takes a wide gap for a cell boundary, and words laid out one by one would
    all look so."""
    heights = [w.y1 - w.y0 for w in words if w.y1 > w.y0]
    height = median(heights) if heights else 10.0
    lines = _lines(words, height)
    pitch = _pitch(lines, height)
    boxes = []
    for line in lines:
        run = [line[0]]
        for w in line[1:]:
            if w.x0 - run[-1].x1 > _GAP * pitch:
                boxes.append(_box(run, pitch))
                run = []
            run.append(w)
        boxes.append(_box(run, pitch))
    return boxes


def _pitch(lines: list[list[Word]], height: float) -> float:
    """The distance from one line of text to the next within a cell: the layout's line
    height. Why not the words' height: an OCR word's box is its ink (an "a" is half as
    tall as a "K"), so a grid of word heights would set blank lines inside every wrapped
    cell, and the layout reader takes a blank line for the end of a cell."""
    tops = sorted((min(w.y0 for w in ln), min(w.x0 for w in ln), max(w.x1 for w in ln))
                  for ln in lines)  # fmt: skip
    steps = []
    for i, (top, x0, x1) in enumerate(tops):
        for other, o0, o1 in tops[i + 1 :]:
            if other - top > 2.5 * height:
                break
            if other - top > 0.6 * height and o0 < x1 and x0 < o1:
                steps.append(other - top)
                break
    return median(steps) if len(steps) >= 3 else 1.2 * height


def _box(run: list[Word], pitch: float) -> Box:
    top = min(w.y0 for w in run)
    return Box(top, run[0].x0, run[-1].x1 - run[0].x0, pitch, " ".join(w.text for w in run))


def plain_text(found: WordPages) -> str:
    """The words in the tool's own reading order, as its plain-text output gives them: a
    line per line, a blank line between blocks, a form feed between pages."""
    pages = []
    for words in found.pages:
        out: list[str] = []
        for k, w in enumerate(words):
            before = words[k - 1] if k else None
            if before is None:
                out.append(w.text)
            elif w.line == before.line and w.line >= 0:
                out[-1] += " " + w.text
            else:
                if w.block != before.block:
                    out.append("")
                out.append(w.text)
        pages.append("\n".join(out))
    return "\n\f".join(pages) + "\n"


def _reach(doc: RawDocument) -> tuple[int, int, int]:
    """How much of the table a reading holds: its steps numbered in order from 1, then its
    rows with a Waktu, then with an Output."""
    numbers = [r.number for r in doc.rows]
    run = 0
    while run + 1 in numbers:
        run += 1
    return (run, sum(1 for r in doc.rows if r.duration), sum(1 for r in doc.rows if r.output))


def read(text: str) -> RawDocument:
    """Read word boxes: runs laid out on a character grid and read as layout text; OCR words
    by the OCR reader (see the comment below). A refusal is final (:class:`FormRefused`):
    no other reader makes sense of a dump of word boxes."""
    found = word_pages(text)
    if found is None or not any(found.pages):
        raise FormRefused("Berkas kotak kata tanpa kata (no positioned words)")
    try:
        return checked(_read(found))
    except FormRefused:
        raise
    except ConversionError as exc:
        raise FormRefused(str(exc)) from exc


def _read(found: WordPages) -> RawDocument:
    laid = lay_out([runs(page) for page in found.pages if page])
    if not found.from_ocr:
        doc = pdftext_layout.read(laid)
        doc.source_format = found.kind
        return doc
    # OCR words: read as the OCR reader reads OCR text (it knows misread header words, the
    # debris of symbols and rules), twice: laid out by position, and in the tool's own
    # reading order (a row's number set beside the middle of its cell can fall between two
    # laid-out lines); the reading that holds more of the table is kept, the laid-out one
    # when they hold as much
    readings, errors = [], []
    for text_form in (laid, plain_text(found)):
        try:
            readings.append(ocr.read(text_form))
        except ConversionError as exc:
            errors.append(exc)
    if not readings:
        raise errors[0]
    return max(readings, key=_reach)


__all__ = ["Word", "WordPages", "read", "runs", "sniff", "word_pages"]
