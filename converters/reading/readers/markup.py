"""What web editors and copy-paste leave in SOP text: HTML markup and damaged encodings.

Text copied out of web-based SOP systems keeps fragments of their editor's HTML: ``<p>``,
``<u>`` around the signing official's name, ``<ol><li>`` lists whose numbers are sometimes
written and sometimes left to the browser, ``<input type="checkbox">`` from form templates.
:func:`clean_html` turns such text back into plain lines *without moving tabs or line
breaks*, because the tab cells are what the table reader relies on. A document that is itself
an HTML table (``<table><tr><td>``) becomes the same tabbed text (:func:`table_to_tabbed`).

Symbol remnants also arrive in ``cat -v`` notation or as UTF-8 read as cp1252
(:func:`decode_catv`, :func:`fix_mojibake`). Nothing here reads an SOP: the readers
(:mod:`~converters.reading.readers.tabbed`, :mod:`~converters.reading.readers.html`) do.
"""

from __future__ import annotations

import html as _html
import re

from converters.reading.drawn.office.docx_vml import kind_of_type
from converters.reading.drawn.picture import SHAPE_MARKS

_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^<>]*)>")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_SCRIPT_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_STARTS_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]?\s")
_CATV_RE = re.compile(r"(?:M-\^?.|\^.)+")

_SOFT = "\ue001"  # where a tag stood: a word break
_BREAK = "\ue000"  # where <u> stood: a piece break
_SOFT_RUN = re.compile(f" *{_SOFT}[{_SOFT} ]*")

_KNOWN_TAGS = {
    "p", "u", "b", "i", "em", "strong", "span", "div", "br", "ol", "ul", "li", "input",
    "font", "sup", "sub", "a", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "html",
    "body", "head", "meta", "title", "center", "small", "big", "s", "strike", "hr", "h1", "h2",
    "h3", "h4", "h5", "h6", "label", "col", "colgroup", "caption", "o", "section", "article",
}  # fmt: skip


def has_html(text: str) -> bool:
    """Whether the text contains tags of the kinds SOP editors leave behind."""
    return any(m.group(2).lower() in _KNOWN_TAGS for m in _TAG_RE.finditer(text))


def clean_html(text: str) -> str:
    """Remove HTML fragments, keeping tabs and line breaks where they are.

    ``<u>``/``</u>`` become two spaces, so the underlined name of the signing official stays
    a piece of its own for the header parser; list items without a written number get one;
    checkboxes disappear (they are form decoration, never SOP content).
    """
    if "<" not in text and "&" not in text:
        return text
    text = _COMMENT_RE.sub(" ", text)
    text = _SCRIPT_RE.sub(" ", text)
    out: list[str] = []
    counters: list[int | None] = []  # one per open list: next number, None for <ul>
    pos = 0
    for m in _TAG_RE.finditer(text):
        name = m.group(2).lower()
        if name not in _KNOWN_TAGS:
            continue
        out.append(text[pos : m.start()])
        pos = m.end()
        closing = m.group(1) == "/"
        if name == "ol":
            if closing:
                if counters:
                    counters.pop()
            else:
                counters.append(1)
            out.append(_SOFT)
        elif name == "ul":
            if closing and counters:
                counters.pop()
            elif not closing:
                counters.append(None)
            out.append(_SOFT)
        elif name == "li" and not closing:
            following = text[pos : pos + 40]
            number = counters[-1] if counters else None
            if counters and number is not None:
                counters[-1] = number + 1
                if not _STARTS_NUMBERED.match(following):
                    out.append(f"{_SOFT}{number}. ")
                    continue
            elif counters and not _STARTS_NUMBERED.match(following):
                out.append(f"{_SOFT}- ")
                continue
            out.append(_SOFT)
        elif name == "u":
            out.append(_BREAK)
        elif name in {"b", "i", "em", "strong", "span", "font", "a", "sup", "sub", "small",
                      "big", "s", "strike", "label", "o"}:  # fmt: skip
            continue
        else:
            out.append(_SOFT)
    out.append(text[pos:])
    cleaned = _html.unescape("".join(out)).replace("\u00a0", " ")
    # a tag is a word break; it becomes a piece break (two spaces) only where the text
    # already had one, or for <u>
    cleaned = _SOFT_RUN.sub(lambda m: "  " if m.group().count(" ") >= 2 else " ", cleaned)
    cleaned = re.sub(f" *{_BREAK}[{_BREAK} ]*", "  ", cleaned)
    lines = []
    for line in cleaned.split("\n"):
        lines.append("\t".join(c.strip(" ") for c in line.split("\t")))
    return "\n".join(lines)


def decode_catv(text: str) -> str:
    """Undo ``cat -v`` notation ("M-PM-^S" is the bytes D0 93, i.e. "Г") in symbol remnants."""
    if "M-" not in text and "^" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        raw = m.group(0)
        data = bytearray()
        i = 0
        while i < len(raw):
            meta = raw.startswith("M-", i)
            if meta:
                i += 2
            if raw.startswith("^", i) and i + 1 < len(raw):
                ch = raw[i + 1]
                byte = 0x7F if ch == "?" else (ord(ch) ^ 0x40) & 0x7F
                i += 2
            elif i < len(raw):
                byte = ord(raw[i]) & 0x7F
                i += 1
            else:
                break
            data.append(byte | (0x80 if meta else 0))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return raw

    if not re.search(r"M-", text):
        return text
    return _CATV_RE.sub(repl, text)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as cp1252 once ("Ð“" back to "Г")."""
    if not re.search(r"[ÃÂÐÑâ][\x80-\xbf\u0152-\u2122]", text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


# -- whole HTML tables -----------------------------------------------------------------------

_ROW_RE = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</table>|$)", re.DOTALL | re.IGNORECASE)
_CELL_RE = re.compile(r"<t([dh])\b([^>]*)>(.*?)(?=<t[dh]\b|</tr>|$)", re.DOTALL | re.IGNORECASE)
_COLSPAN_RE = re.compile(r"colspan\s*=\s*[\"']?(\d+)", re.IGNORECASE)
_ROWSPAN_RE = re.compile(r"rowspan\s*=\s*[\"']?(\d+)", re.IGNORECASE)
_MAX_SPAN = 50


def _span(pattern: re.Pattern[str], attributes: str) -> int:
    found = pattern.search(attributes)
    return max(1, min(int(found.group(1)), _MAX_SPAN)) if found else 1


def _fill_held(cells: list[str], held: dict[int, int]) -> None:
    """Empty cells for the columns a rowspan above still holds, from the row's next column."""
    while held.get(len(cells), 0) > 0:
        cells.append("")


def _table_lines(table: str) -> list[str]:
    """One tab line per ``<tr>``, each cell at its grid column.

    A ``colspan`` adds empty cells after the cell; a ``rowspan`` holds its columns in the rows
    below, which then get an empty cell there. Without the rowspans, a two-row header ("No" and
    "Kegiatan" spanning both rows, the role names in the second) would put the role names under
    "No" and "Kegiatan", and every role would be read two columns off.
    """
    held: dict[int, int] = {}  # grid column -> rows it is still held by a rowspan above
    lines: list[str] = []
    for row in _ROW_RE.finditer(table):
        cells: list[str] = []
        spans: list[tuple[int, int, int]] = []  # (first column, width, rows)
        for cell in _CELL_RE.finditer(row.group(1)):
            _fill_held(cells, held)
            inner = re.sub(r"<br\s*/?>|</p>|</li>|</div>", "  ", cell.group(3), flags=re.I)
            width = _span(_COLSPAN_RE, cell.group(2))
            spans.append((len(cells), width, _span(_ROWSPAN_RE, cell.group(2))))
            cells.append(" ".join(clean_html(inner.replace("\t", " ")).split()))
            cells.extend([""] * (width - 1))
        if spans:
            _fill_held(cells, held)
        held = {col: rows - 1 for col, rows in held.items() if rows > 1}
        for first, width, rows in spans:
            for col in range(first, first + width):
                if rows > 1:
                    held[col] = rows - 1
        lines.append("\t".join(cells))
    return lines


# -- drawings in HTML that Word wrote ("Save as Web Page") ------------------------------------

_VML_BLOCK = re.compile(r"<!--\[if gte vml 1\]>(.*?)<!\[endif\]-->", re.DOTALL | re.IGNORECASE)
_VML_FALLBACK = re.compile(r"\s*<!\[if !vml\]>.*?<!\[endif\]>", re.DOTALL | re.IGNORECASE)
_VML_ITEM = re.compile(
    r"<v:(shape|rect|roundrect|oval|line|polyline)\b([^>]*)>(.*?)(?:</v:\1>|(?=<v:(?:shape|rect"
    r"|roundrect|oval|line|polyline)\b)|$)",
    re.DOTALL | re.IGNORECASE,
)
_VML_TYPE = re.compile(r"""\btype\s*=\s*["']?#?_x0000_t(\d+)|\bo:spt\s*=\s*["']?(\d+)""", re.I)
_VML_TEXT = re.compile(r"<v:textbox\b[^>]*>(.*?)</v:textbox>", re.DOTALL | re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_DOWNLEVEL = re.compile(r"<!\[(?:if\b[^\]]*|endif)\]>", re.IGNORECASE)
"""Word's downlevel-revealed conditionals (``<![if !supportLists]>1.<![endif]>``): the
markers go, what they enclose stays."""
_TAG_MARKS = {"oval": "○", "roundrect": "○", "rect": "□", "line": "→", "polyline": "→"}
_ALT_MARKS = (
    (re.compile(r"decision|keputusan|diamond|belah ketupat", re.I), "◇"),
    (re.compile(r"terminator|oval|ellipse|elips|rounded|terminal", re.I), "○"),
    (re.compile(r"connector|arrow|panah|konektor|line|garis", re.I), "→"),
    (re.compile(r"text ?box|kotak teks", re.I), ""),
)
"""Words of a shape's name or alt text (Word writes "Flowchart: Decision 7") and its mark."""
_IMG_SIZE = re.compile(r"\b(width|height)\s*=\s*[\"']?(\d+)", re.I)
_IMG_WORDS = re.compile(r"""\b(?:alt|title|v:shapes)\s*=\s*["']([^"']*)["']""", re.I)
THIN = 0.3
"""A picture this much narrower than it is long (or flatter than wide) is a drawn line."""


def _vml_marks(block: str) -> str:
    """The shapes of one VML block as marks, each followed by the text inside it."""
    out: list[str] = []
    for item in _VML_ITEM.finditer(block):
        tag, attributes, inner = item.group(1).lower(), item.group(2), item.group(3)
        typed = _VML_TYPE.search(attributes)
        number = int(typed.group(1) or typed.group(2)) if typed else None
        kind = kind_of_type(number) if number is not None else None
        mark = SHAPE_MARKS[kind] if kind is not None else _TAG_MARKS.get(tag, "")
        if tag == "shape" and kind is None and number != 202 and "path=" in attributes:
            mark = "→"  # a freeform line (a bent connector drawn by hand)
        boxed = _VML_TEXT.search(inner)
        text = " ".join(clean_html(_DOWNLEVEL.sub(" ", boxed.group(1))).split()) if boxed else ""
        out.append(f" {mark} {text} ".replace("  ", " "))
    return "".join(out)


def drawings_as_marks(text: str) -> str:
    """Word's drawings in an HTML export as the symbol marks a copied table would carry.

    "Save as Web Page" keeps each shape as VML inside a ``<!--[if gte vml 1]>`` comment, in
    the paragraph of the table cell it is anchored to (for a flowchart drawn over the SOP
    table: the step's role cell), followed by a picture of it for other browsers
    (``<![if !vml]><img ...><![endif]>``). The shape's Office type number tells a decision
    from a process or a terminator, and its text box holds "Ya"/"Tidak" labels. Each VML
    block becomes its marks and text, its fallback picture is dropped, and a picture with no
    VML (the "filtered" export, or a web system's symbol icons) becomes a plain symbol mark:
    without this, every role cell of such an export was empty and every role a guess.
    """
    text = _VML_BLOCK.sub(lambda m: _vml_marks(m.group(1)) + "\ue012", text)
    text = re.sub("\ue012" + _VML_FALLBACK.pattern, "", text, flags=re.DOTALL | re.IGNORECASE)
    text = _DOWNLEVEL.sub("", text.replace("\ue012", ""))
    return _IMG.sub(lambda m: f" {_picture_mark(m.group())} ", text)


def _picture_mark(img: str) -> str:
    """The mark of a picture without VML: its name or alt text's kind, a line when it is
    thin, else a plain symbol."""
    words = " ".join(w.replace("_x0020_", " ") for w in _IMG_WORDS.findall(img))
    for pattern, mark in _ALT_MARKS:
        if pattern.search(words):
            return mark
    size = {k.lower(): int(v) for k, v in _IMG_SIZE.findall(img)}
    w, h = size.get("width", 0), size.get("height", 0)
    if w and h and min(w, h) < THIN * max(w, h):
        return "→"
    return "□"


def table_to_tabbed(text: str) -> str:
    """An HTML document with tables as tabbed text: one line per row, one tab per cell.

    Text outside tables becomes lines as well (paragraphs and line breaks), so the identity
    block written as paragraphs is kept. Cells stand at their grid columns
    (:func:`_table_lines`), so every column stays aligned with the header.
    """
    text = drawings_as_marks(text)
    text = _COMMENT_RE.sub(" ", text)
    text = _SCRIPT_RE.sub(" ", text)
    parts = re.split(r"(<table\b.*?</table\s*>)", text, flags=re.DOTALL | re.IGNORECASE)
    lines: list[str] = []
    for part in parts:
        if re.match(r"<table\b", part, re.IGNORECASE):
            lines.extend(_table_lines(part))
        else:
            block = re.sub(r"<br\s*/?>|</p>|</div>|</h\d>|</li>|</tr>", "\n", part, flags=re.I)
            for line in clean_html(block).split("\n"):
                if line.strip():
                    lines.append(line.strip())
    return "\n".join(lines)


__all__ = ["clean_html", "decode_catv", "drawings_as_marks", "fix_mojibake", "has_html",
           "table_to_tabbed"]
