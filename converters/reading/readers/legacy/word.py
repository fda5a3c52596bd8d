"""Word 97-2003 (.doc): the main text of the WordDocument stream as tabbed text.

Why our own reader and not ``catdoc``: catdoc 0.95 (Debian 12) loses most table rows of a
.doc that LibreOffice wrote and puts a line break inside each row, so the tab reader could
not find the cells. The Word binary format keeps everything the tab reader needs in plain
sight ([MS-DOC]):

* the text, in pieces (the piece table in the table stream, ``Clx``), each piece either
  8-bit (Windows-1252) or UTF-16;
* a table cell ends with the character 0x07, and a row ends with one more 0x07 whose
  paragraph has the "table terminating paragraph" property (``sprmPFTtp`` in the paragraph's
  PAPX, found through the ``PlcBtePapx`` pages by the character's file offset);
* that row-end paragraph also carries the row's cell edges (``sprmTDefTable``), so a cell
  that spans several columns of the table's grid is followed by empty cells, as
  :mod:`converters.reading.readers.docx_reader` does with ``gridSpan``: later columns stay
  under their header.

The text written is the one :func:`~converters.reading.readers.docx_reader.docx_to_text`
writes for a .docx: one line per paragraph, one line per table row with a tab between cells,
a form feed at a page or section break. A flowchart symbol anchored in a cell becomes a
symbol mark there (:mod:`.shapes`), as in a .docx; the text of text boxes is not read.
"""

from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass, field

from converters.model import ConversionError
from converters.reading.readers.legacy.shapes import Shape, anchored_shapes, cell_of

PAGE_BREAK = "\f"
MAX_CHARS = 4_000_000
"""More main-document characters than any SOP has; a hostile FIB must not make us read more."""
MAX_PIECES = 100_000
MAX_CELLS = 64

_F_WHICH_TABLE = 0x0200
_F_ENCRYPTED = 0x0100
_F_OBFUSCATED = 0x8000
_NFIB_WORD97 = 0x00C1  # Word 97 and later; Word 6/95 files have a smaller nFib
_CCP_TEXT = 0x004C  # FibRgLw97.ccpText
_FC_PLCF_BTE_PAPX = 0x0102  # FibRgFcLcb97.fcPlcfBtePapx / lcbPlcfBtePapx
_FC_CLX = 0x01A2  # FibRgFcLcb97.fcClx / lcbClx

_SPRM_P_F_PAGE_BREAK_BEFORE = 0x2407  # the paragraph starts a new page
_SPRM_P_F_IN_TABLE = 0x2416  # the paragraph is in a table cell
_SPRM_P_F_TTP = 0x2417  # the paragraph ends a table row
_SPRM_P_HUGE_PAPX = 0x6646  # the paragraph's properties are in the Data stream
_SPRM_T_DEF_TABLE = 0xD608  # a row's cell edges

_CELL = "\x07"
_ANCHOR = "\x08"  # where a floating shape is anchored
_PARA = "\r"
_DROPPED = {0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x1F}  # pictures, notes, drawn objects, soft hyphen


class WordError(ConversionError):
    """A .doc that cannot be read: encrypted, too old, damaged."""


@dataclass(frozen=True)
class _Piece:
    cp_start: int
    cp_end: int
    fc: int  # file offset of the piece's first character in the WordDocument stream
    wide: bool  # UTF-16 (else 8-bit Windows-1252)


@dataclass(frozen=True)
class _Row:
    """A table row's cell texts and its cell edges (twips; one more than the cells)."""

    cells: list[str]
    edges: list[int]


@dataclass
class _Body:
    """The document as blocks in order: paragraph lines (``str``) and table rows."""

    blocks: list[str | _Row] = field(default_factory=list)


def _u16(data: bytes, at: int) -> int:
    return int(struct.unpack_from("<H", data, at)[0])


def _u32(data: bytes, at: int) -> int:
    return int(struct.unpack_from("<I", data, at)[0])


def _streams(data: bytes) -> tuple[bytes, bytes, bytes]:
    """The WordDocument, table and Data streams; :class:`WordError` for what is no Word 97+
    file we can read."""
    from converters.reading.readers.legacy.ole import open_ole, stream

    ole = open_ole(data)
    try:
        doc = stream(ole, "WordDocument")
        if doc is None:
            raise WordError("Berkas .doc ini tidak memuat dokumen Word (no WordDocument stream)")
        if len(doc) < 0x01AA or _u16(doc, 0) != 0xA5EC:
            raise WordError("Berkas .doc rusak: kepala dokumen Word tidak dikenali (bad FIB)")
        flags = _u16(doc, 0x000A)
        if flags & (_F_ENCRYPTED | _F_OBFUSCATED):
            raise WordError(
                "Berkas .doc ini terkunci kata sandi: buka di Word, hapus kata sandinya, lalu "
                "unggah lagi (encrypted .doc)"
            )
        if _u16(doc, 0x0002) < _NFIB_WORD97:
            raise WordError(
                "Format Word 6/95 terlalu lama untuk dibaca: simpan sebagai .docx (Word 6/95 file)"
            )
        table = stream(ole, "1Table" if flags & _F_WHICH_TABLE else "0Table")
        if table is None:
            raise WordError("Berkas .doc rusak: tabel dokumen Word hilang (no table stream)")
        extra = stream(ole, "Data") or b""
        return doc, table, extra
    finally:
        ole.close()


def _pieces(doc: bytes, table: bytes) -> list[_Piece]:
    """The piece table: which file bytes hold which characters of the text."""
    fc, lcb = _u32(doc, _FC_CLX), _u32(doc, _FC_CLX + 4)
    clx = table[fc : fc + lcb]
    if lcb == 0 or len(clx) != lcb:
        raise WordError("Berkas .doc rusak: daftar potongan teks hilang (no piece table)")
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: direct formatting, skipped
        at += 3 + _u16(clx, at + 1)
    if at + 5 > len(clx) or clx[at] != 0x02:
        raise WordError("Berkas .doc rusak: daftar potongan teks tidak terbaca (bad piece table)")
    size = _u32(clx, at + 1)
    plc = clx[at + 5 : at + 5 + size]
    count = (len(plc) - 4) // 12
    if count <= 0 or count > MAX_PIECES:
        raise WordError("Berkas .doc rusak: daftar potongan teks tidak terbaca (bad piece table)")
    cps = [_u32(plc, 4 * i) for i in range(count + 1)]
    pieces = []
    for i in range(count):
        raw_fc = _u32(plc, 4 * (count + 1) + 8 * i + 2)
        wide = not raw_fc & 0x40000000
        start = raw_fc & 0x3FFFFFFF
        pieces.append(_Piece(cps[i], cps[i + 1], start if wide else start // 2, wide))
    return pieces


def _main_text(doc: bytes, pieces: list[_Piece]) -> tuple[str, list[int]]:
    """The main document's characters and each one's file offset (to find its paragraph's
    properties)."""
    ccp = min(_u32(doc, _CCP_TEXT), MAX_CHARS)
    chars: list[str] = []
    offsets: list[int] = []
    for p in pieces:
        if p.cp_start >= ccp:
            break
        n = min(p.cp_end, ccp) - p.cp_start
        if n <= 0:
            continue
        width = 2 if p.wide else 1
        raw = doc[p.fc : p.fc + n * width]
        text = raw.decode("utf-16-le", "replace") if p.wide else raw.decode("cp1252", "replace")
        chars.append(text)
        offsets.extend(range(p.fc, p.fc + len(raw), width)[: len(text)])
    text = "".join(chars)
    return text, offsets[: len(text)]


@dataclass(frozen=True)
class _Paragraphs:
    """The paragraph property runs of the file: ``starts[i] <= fc < ends[i]`` has
    ``grpprls[i]``."""

    starts: list[int]
    ends: list[int]
    grpprls: list[bytes]

    def at(self, fc: int) -> bytes:
        i = bisect.bisect_right(self.starts, fc) - 1
        return self.grpprls[i] if i >= 0 and fc < self.ends[i] else b""


def _paragraphs(doc: bytes, table: bytes, extra: bytes) -> _Paragraphs:
    fc, lcb = _u32(doc, _FC_PLCF_BTE_PAPX), _u32(doc, _FC_PLCF_BTE_PAPX + 4)
    plc = table[fc : fc + lcb]
    count = (len(plc) - 4) // 8 if len(plc) >= 12 else 0
    runs: list[tuple[int, int, bytes]] = []
    for i in range(count):
        pn = _u32(plc, 4 * (count + 1) + 4 * i) & 0x3FFFFF
        page = doc[pn * 512 : pn * 512 + 512]
        if len(page) < 512:
            continue
        crun = page[511]
        if 4 * (crun + 1) + 13 * crun > 511:
            continue
        fcs = [_u32(page, 4 * k) for k in range(crun + 1)]
        for k in range(crun):
            offset = page[4 * (crun + 1) + 13 * k] * 2
            runs.append((fcs[k], fcs[k + 1], _papx(page, offset, extra)))
    runs.sort(key=lambda r: r[0])
    return _Paragraphs([r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs])


def _papx(page: bytes, offset: int, extra: bytes) -> bytes:
    """The sprms of one paragraph (its style index dropped); a huge PAPX is read from the
    Data stream."""
    if offset == 0 or offset >= 511:
        return b""
    cb = page[offset]
    if cb:
        body = page[offset + 1 : offset + 2 * cb]
    else:
        body = page[offset + 2 : offset + 2 + 2 * page[offset + 1]]
    sprms = body[2:]
    for sprm, operand in _sprms(sprms):
        if sprm == _SPRM_P_HUGE_PAPX and len(operand) == 4:
            at = _u32(operand, 0)
            if at + 2 <= len(extra):
                size = _u16(extra, at)
                return extra[at + 2 : at + 2 + size]  # PrcData: a size, then the sprms
    return sprms


def _sprms(grpprl: bytes) -> list[tuple[int, bytes]]:
    """Each property (sprm) with its operand, by the operand sizes [MS-DOC] gives."""
    out: list[tuple[int, bytes]] = []
    at = 0
    while at + 2 <= len(grpprl):
        sprm = _u16(grpprl, at)
        at += 2
        spra = sprm >> 13
        if spra in (0, 1):
            size = 1
        elif spra in (2, 4, 5):
            size = 2
        elif spra == 3:
            size = 4
        elif spra == 7:
            size = 3
        elif sprm == _SPRM_T_DEF_TABLE and at + 2 <= len(grpprl):
            size, at = _u16(grpprl, at) - 1, at + 2
        elif at < len(grpprl):  # sprmPChgTabs too: its long form (255) is not in a paragraph
            size, at = grpprl[at], at + 1
        else:
            break
        out.append((sprm, grpprl[at : at + size]))
        at += size
    return out


def _row_end(grpprl: bytes) -> list[int] | None:
    """The cell edges of a row-end paragraph (``[]`` when it gives none); ``None`` for any
    other paragraph."""
    ttp = False
    edges: list[int] = []
    for sprm, operand in _sprms(grpprl):
        if sprm == _SPRM_P_F_TTP and operand[:1] == b"\x01":
            ttp = True
        elif sprm == _SPRM_T_DEF_TABLE and operand:
            n = min(operand[0], MAX_CELLS)
            if len(operand) >= 1 + 2 * (n + 1):
                edges = [struct.unpack_from("<h", operand, 1 + 2 * k)[0] for k in range(n + 1)]
    return edges if ttp else None


def _has(grpprl: bytes, flag: int) -> bool:
    """Whether a paragraph's properties set a yes/no property."""
    return any(sprm == flag and operand[:1] == b"\x01" for sprm, operand in _sprms(grpprl))


def _clean(text: str) -> str:
    """A cell's or paragraph's characters as the reader sees them: field codes dropped (their
    results kept), special characters dropped, line breaks and tabs as spaces."""
    out: list[str] = []
    depth = 0
    hidden: list[bool] = []  # per open field: still in its code part
    for ch in text:
        code = ord(ch)
        if code == 0x13:
            hidden.append(True)
            depth += 1
            continue
        if code == 0x14 and hidden:
            hidden[-1] = False
            continue
        if code == 0x15 and hidden:
            hidden.pop()
            depth -= 1
            continue
        if any(hidden):
            continue
        if code in _DROPPED:
            continue
        if code == 0x1E:
            out.append("-")
        elif code in (0x09, 0x0B, 0x0D, 0x0C, 0xA0, 0x07):
            out.append(" ")
        elif code < 0x20:
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def _marked(cells: list[str], edges: list[int], placed: list[tuple[int, Shape]]) -> list[str]:
    """The row's cells with the marks of the symbols standing in them before their text, as
    the .docx reader writes them."""
    marks: dict[int, list[str]] = {}
    for anchor_cell, shape in placed:
        k = cell_of(shape, anchor_cell, edges) if len(edges) == len(cells) + 1 else None
        if k is not None and k < len(cells):
            marks.setdefault(k, []).append(shape.mark)
    return [f"{' '.join(dict.fromkeys(marks[k]))} {c}".strip() if k in marks else c
            for k, c in enumerate(cells)]  # fmt: skip


def _body(text: str, offsets: list[int], paragraphs: _Paragraphs,
          shapes: dict[int, Shape]) -> _Body:  # fmt: skip
    body = _Body()
    cells: list[str] = []
    placed: list[tuple[int, Shape]] = []  # the symbols anchored in this row, by cell
    start = 0
    for i, ch in enumerate(text):
        if ch == _ANCHOR and i in shapes:
            placed.append((len(cells), shapes[i]))
        elif ch == _CELL:
            grpprl = paragraphs.at(offsets[i]) if i < len(offsets) else b""
            edges = _row_end(grpprl)
            if edges is None:
                cells.append(_clean(text[start:i]))
            else:
                body.blocks.append(_Row(_marked(cells, edges, placed), edges))
                cells, placed = [], []
            start = i + 1
        elif ch in (_PARA, PAGE_BREAK):
            grpprl = paragraphs.at(offsets[i]) if i < len(offsets) else b""
            if _has(grpprl, _SPRM_P_F_IN_TABLE):
                continue  # a paragraph inside a cell: the cell goes on
            if _has(grpprl, _SPRM_P_F_PAGE_BREAK_BEFORE) and body.blocks:
                body.blocks.append(PAGE_BREAK)
            line = _clean(text[start:i])
            if line or ch == _PARA:
                body.blocks.append(line)
            if ch == PAGE_BREAK:
                body.blocks.append(PAGE_BREAK)
            start = i + 1
    if cells:  # a table that lost its last row mark
        body.blocks.append(_Row(cells, []))
    tail = _clean(text[start:])
    if tail:
        body.blocks.append(tail)
    return body


def _grid_lines(rows: list[_Row]) -> list[str]:
    """One table's rows as tab lines, a spanning cell followed by empty cells (the columns of
    the table's grid: every cell edge of every row)."""
    grid = sorted({e for r in rows if len(r.edges) == len(r.cells) + 1 for e in r.edges})
    lines = []
    for r in rows:
        if len(r.edges) != len(r.cells) + 1 or len(grid) < 2:
            lines.append("\t".join(r.cells))
            continue
        out: list[str] = []
        for k, cell in enumerate(r.cells):
            left, right = r.edges[k], r.edges[k + 1]
            span = sum(1 for e in grid if left < e <= right)
            out.append(cell)
            out.extend([""] * (min(max(span, 1), MAX_CELLS) - 1))
        lines.append("\t".join(out))
    return lines


def doc_to_text(data: bytes) -> str:
    """The body of a .doc as tabbed text (module docstring); :class:`WordError` for a file
    that is not one we can read."""
    doc, table, extra = _streams(data)
    try:
        text, offsets = _main_text(doc, _pieces(doc, table))
        body = _body(text, offsets, _paragraphs(doc, table, extra), anchored_shapes(doc, table))
    except (struct.error, IndexError, ValueError) as exc:
        raise WordError("Berkas .doc rusak dan tidak dapat dibaca (damaged .doc)") from exc
    lines: list[str] = []
    table_rows: list[_Row] = []
    for block in body.blocks:
        if isinstance(block, _Row):
            table_rows.append(block)
            continue
        if table_rows:
            lines.extend(_table(table_rows, bool(lines)))
            table_rows = []
        lines.append(block)
    lines.extend(_table(table_rows, bool(lines)))
    return "\n".join(lines)


def _table(rows: list[_Row], after_text: bool) -> list[str]:
    """A table's lines; a table that holds an identity block starts a new page, as
    :func:`~converters.reading.readers.docx_reader.docx_to_text` has it (a compilation's
    next SOP)."""
    from converters.reading.compilation import MIN_LABELS, identity_labels

    lines = _grid_lines(rows)
    if after_text and lines and identity_labels("\n".join(lines)) >= MIN_LABELS:
        return [PAGE_BREAK, *lines]
    return lines


__all__ = ["PAGE_BREAK", "WordError", "doc_to_text"]
