"""The text before an SOP table: identity block and the six header sections.

Every reader (tab text, OCR, pdftotext, DOCX, XLSX) meets the same block above the table, in
whatever shape the extraction left it: labels with their values after a colon, in the next tab
cell or far to the right; the *two-column grid* where two sections share lines (Dasar Hukum
beside Kualifikasi Pelaksana, Keterkaitan beside Peralatan, Peringatan beside Pencatatan) and
comes out side by side in cells, side by side in one cell, or one list after the other. This
module reads all of those shapes so the table readers only deal with their table.

The input is a list of lines: tabs separate cells, runs of two or more spaces separate pieces
placed apart on the page. Nothing here raises on odd input: what cannot be placed is dropped
with a :class:`ReaderWarning`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from converters.model import Approver, Identity, ReaderWarning, SopDate
from converters.reading.dates import parse_date
from converters.reading.raw import RawDocument, RawRow
from converters.reading.vocabulary import PAGE_MARKER

# -- labels ----------------------------------------------------------------------------------

_IDENTITY_LABELS: list[tuple[str, str]] = [
    ("number", r"no(?:mor|\.)?\s*sop"),
    ("created", r"tanggal\s+pembuatan|tgl\.?\s*pembuatan"),
    ("revised", r"(?:tanggal|tgl\.?)\s*revisi(?:\s*(?:ke[- ]?)?\d{1,2}(?=\s*:|\s*$))?"),
    ("effective", r"tanggal\s+(?:efektif|berlaku)|tgl\.?\s*efektif"),
    ("approved", r"disahkan\s+oleh"),
    ("name", r"(?:nama|judul)\s+sop(?:\s+(?:mikro|makro|ap))?"),
]

# (kind, pattern, strict): a strict label is a common word, accepted only when nothing but a
# colon, a list marker or another label follows it.
_SECTION_LABELS: list[tuple[str, str, bool]] = [
    ("legal_basis", r"dasar\s+hukum", False),
    ("qualifications", r"kualifikasi\s+pelaksana(?:an)?", False),
    ("related_sops", r"keterkaitan\s+dengan\s+sop(?:\s+lain(?:nya)?)?", False),
    ("related_sops", r"keterkaitan", True),
    (
        "equipment",
        r"(?:peralatan\s*/\s*perlengkapan|perlengkapan\s*/\s*peralatan"
        r"|perlengkapan\s+dan\s+peralatan|peralatan\s+dan\s+perlengkapan)",
        False,
    ),
    ("equipment", r"peralatan|perlengkapan", True),
    ("cautions", r"peringatan", True),
    ("records", r"pencatatan\s+dan\s+pendataan", False),
    ("records", r"pencatatan(?:\s*/\s*pendataan)?", True),
]

SECTION_KINDS = (
    "legal_basis",
    "qualifications",
    "related_sops",
    "equipment",
    "cautions",
    "records",
)

IDENTITY_KINDS = tuple(k for k, _ in _IDENTITY_LABELS)


def label_pattern(*kinds: str) -> str:
    """One regex alternation of the labels of these identity and section kinds (``number``,
    ``approved``, ``qualifications``, ...), so another reader that must recognise a label
    (a block heading, a column split) says no label of its own."""
    pieces = [p for k, p in _IDENTITY_LABELS if k in kinds]
    pieces += [p for k, p, _ in _SECTION_LABELS if k in kinds]
    return "|".join(f"(?:{p})" for p in pieces)


_ID_RES = [(k, re.compile(rf"(?:{p})\b\s*:?\s*", re.IGNORECASE)) for k, p in _IDENTITY_LABELS]
_ID_ANYWHERE = [(k, re.compile(rf"(?<!\S)(?:{p})\s*:\s*", re.IGNORECASE)) for k, p in
                _IDENTITY_LABELS]  # fmt: skip
_SOP_TITLE_RE = re.compile(r"SOP(?:\s+(?:Mikro|Makro|AP))?\s*:\s*", re.IGNORECASE)
_SEC_RES = [
    (k, re.compile(rf"(?:{p})\b\s*:?\s*", re.IGNORECASE), strict)
    for k, p, strict in _SECTION_LABELS
]
_PIECE_RE = re.compile(r"\S+(?: \S+)*")
_BULLET_RE = re.compile(r"^[-•*·▪●◦]+\s*")

# A list marker: "1." / "1)" anywhere, or a bare "1" followed by a capitalised word. Words
# that are followed by numbers inside legal titles ("Nomor 4 Tahun", "No. 60") never precede
# a marker.
_MARKER_RE = re.compile(r"(?<![\w/.-])(\d{1,2})(?:([.)])(?!\d)\s*|\s+(?=[A-Z\"“(]))")
_NO_MARKER_BEFORE = re.compile(
    r"(?:nomor|no|nomer|tahun|pasal|ayat|huruf|angka|bab|ke|lampiran|nopember|tanggal|tgl|"
    r"jilid|romawi|tingkat|tk|golongan|gol|[a-z]+/)\.?:?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Header:
    """The identity block and header sections of one SOP, plus what could not be placed."""

    identity: Identity = field(default_factory=Identity)
    legal_basis: tuple[str, ...] = ()
    qualifications: tuple[str, ...] = ()
    related_sops: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    warnings: list[ReaderWarning] = field(default_factory=list)

    def document(
        self,
        source_format: str,
        rows: list[RawRow],
        warnings: list[ReaderWarning],
        *,
        roles: list[str] | None = None,
        identity: Identity | None = None,
    ) -> RawDocument:
        """The reader's result carrying this header's identity and sections.

        Every table reader ends the same way, so the header-to-document mapping lives here once.
        ``warnings`` are the document's full list (callers decide whether the header's own
        warnings are in it); ``identity`` overrides the parsed one when a reader knows better.
        """
        return RawDocument(
            source_format=source_format,
            identity=self.identity if identity is None else identity,
            roles=list(roles or []),
            rows=rows,
            legal_basis=self.legal_basis,
            qualifications=self.qualifications,
            related_sops=self.related_sops,
            equipment=self.equipment,
            cautions=self.cautions,
            records=self.records,
            warnings=warnings,
        )


# -- small text helpers ----------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("**", " ").split())


@dataclass(frozen=True)
class _Seg:
    line: int  # 0-based index into the caller's lines
    col: int  # tab cell index
    x: int  # character offset (tabs expanded) for space-aligned text
    text: str


def _segments(line: str, idx: int) -> list[_Seg]:
    segs: list[_Seg] = []
    offset = 0
    for col, cell in enumerate(line.split("\t")):
        for m in _PIECE_RE.finditer(cell):
            text = m.group().lstrip(":").strip()
            if text:  # a lone ":" between a label and its far-away value is no piece
                segs.append(_Seg(idx, col, offset + m.start(), text))
        offset += len(cell) + 1
    return segs


def markers(text: str) -> list[tuple[int, int, int]]:
    """Candidate list markers in ``text``: (number, marker start, content start)."""
    found = []
    for m in _MARKER_RE.finditer(text):
        before = text[max(0, m.start() - 24) : m.start()]  # bounded: long lines stay linear
        if (not m.group(2) or m.start() > 0) and _NO_MARKER_BEFORE.search(before):
            continue
        found.append((int(m.group(1)), m.start(), m.end()))
    return found


def split_numbered(
    text: str, last: int | None = None
) -> tuple[str, list[tuple[int, str]], int | None]:
    """Split an inline numbered list ("1 Peraturan ... 2 Peraturan ...") into items.

    Only markers continuing the sequence count (after item n only "n+1" starts an item), so
    numbers inside the text ("Nomor 35 Tahun 2012", "PER/09/M.PAN/5/ 2007") stay put. A marker
    at the very start may also restart at 1. Returns the text before the first item (a
    continuation of the previous item), the items, and the last number.
    """
    items: list[tuple[int, str]] = []
    cuts: list[tuple[int, int, int]] = []
    for num, start, content in markers(text):
        expected = 1 if last is None else last + 1
        at_start = not text[:start].strip(" -•*·")
        if num == expected or (at_start and (num == 1 or last is None)):
            cuts.append((num, start, content))
            last = num
    if not cuts:
        return text.strip(), [], last
    lead = text[: cuts[0][1]].strip()
    for i, (num, _start, content) in enumerate(cuts):
        end = cuts[i + 1][1] if i + 1 < len(cuts) else len(text)
        items.append((num, text[content:end].strip()))
    return lead, items, last


def _clean_item(text: str) -> str:
    text = _norm(text)
    text = _BULLET_RE.sub("", text)
    return text.strip().rstrip(";,").strip()


_ABBREVIATION_END = re.compile(r"(?:\b(?:No|Nom|Kab|Kec|Prov|Jl|Tk|Gol|Hal|hlm)\.|\b\w\.\w+\.)$")


_COMMA_MARKER_RE = re.compile(r"^(\d{1,2}),(\s+[A-Z]|$)")


def _ends_item(text: str) -> bool:
    """Whether an item's text ends like a finished list item ("...;" or "...kerja.")."""
    text = text.rstrip()
    if text.endswith(";"):
        return True
    return text.endswith(".") and not _ABBREVIATION_END.search(text)


class _ListBuilder:
    """Collects the items of one header section from pieces of text arriving in order."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.last: int | None = None
        self.numbered = False
        self.floating = False  # the last item began without its number

    def add(self, text: str, new_paragraph: bool = False) -> None:
        text = _norm(text)
        if not text:
            return
        text = _COMMA_MARKER_RE.sub(r"\1.\2", text)  # "1, Undang-Undang" (a typo for "1.")
        bullet = bool(_BULLET_RE.match(text))
        if bullet:
            text = _BULLET_RE.sub("", text)
            # a bulleted list on one line ("- Komputer - Printer"): one item per bullet
            parts = re.split(r"\s+[-•*·▪●◦]\s+", text)
            if len(parts) > 1:
                for part in parts:
                    self.add(f"- {part}", new_paragraph)
                return
        lead, items, last = split_numbered(text, self.last)
        if items:
            self.numbered = True
            self.last = last
        lead = lead.strip(" -•*·")
        if lead:
            ends_item = bool(self.items) and _ends_item(self.items[-1]) and lead[:1].isupper()
            starts_item = (
                bullet or not self.items or (new_paragraph and not self.numbered) or ends_item
            )
            if starts_item:
                self.items.append(lead)
                self.floating = not bullet and bool(self.numbered or items)
            else:
                self.items[-1] = f"{self.items[-1]} {lead}"
        for i, (_num, item) in enumerate(items):
            if i == 0 and not item and not lead and self.floating and self.items:
                # a number printed at the vertical middle of its item, below the item's
                # first line ("Peraturan ...;" / "3." / "...;"): it belongs to that item
                self.floating = False
                continue
            self.items.append(item)
            self.floating = False

    def starts_new_list(self, text: str, new_paragraph: bool) -> bool:
        """Whether ``text`` begins another list in a stacked grid (numbering restarts)."""
        if not self.result():
            return False
        text = _BULLET_RE.sub("", _norm(text))
        ms = markers(text)
        first = ms[0] if ms and ms[0][1] == 0 else None
        if first is not None:
            if first[0] == 1:
                return True
            return new_paragraph and self.last is not None and first[0] != self.last + 1
        return new_paragraph

    def result(self) -> tuple[str, ...]:
        out: list[str] = []
        for item in self.items:
            cleaned = _clean_item(item)
            if cleaned and cleaned not in out and re.search(r"\w", cleaned):
                out.append(cleaned)
        return tuple(out)


# -- approver --------------------------------------------------------------------------------

_ID_NUMBER_RE = re.compile(r"\b(NIP|NRP)\b\.?\s*:?\s*(\d[\d ]*\d|\d)", re.IGNORECASE)
_BARE_ID_RE = re.compile(r"^\d[\d .]{6,}\d$")
_RANK_RE = re.compile(
    r"(?:(?:Pembina|Penata|Pengatur|Juru)(?:\s+(?:Utama|Madya|Muda))*"
    r"(?:\s+(?:Tingkat|Tk\.?)\s*I)?(?:\s*[,(]?\s*(?:IV|III|II|I)\s*/\s*[a-e]\)?)?"
    r"|(?:IV|III|II|I)\s*/\s*[a-e])$",
    re.IGNORECASE,
)
_PREFIX_TITLE_RE = re.compile(r"(?<!\S)(?:Prof|Dr|dr|Drs|Dra|Ir|Hj|H)\.\s*[A-Z]")
_TITLE_RE = re.compile(
    r",\s*[A-Z][A-Za-z]{0,5}\.|\b(?:Dr|dr|Drs|Dra|Ir|Hj?|Prof)\.\s*[A-Z]|\b[SMD]\.\s?[A-Z][a-z]+"
)


def _parse_approver(pieces: list[str]) -> tuple[Approver | None, list[str]]:
    """Jabatan, nama, NIP/NRP and pangkat from the pieces after "Disahkan oleh".

    Returns the approver and the pieces left after the id number (often the unit line).
    """
    pieces = [_norm(p) for p in pieces if _norm(p)]
    if not pieces:
        return None, []
    before, after, id_kind, id_number = _split_at_id(pieces)
    kept, rank = _take_rank(before)
    position, name = _position_and_name(kept)
    approver = Approver(
        position=position, name=name, id_number=id_number, id_kind=id_kind, rank=rank
    )
    return approver, after


def _split_at_id(pieces: list[str]) -> tuple[list[str], list[str], str, str]:
    """(pieces before the id number, pieces after it, id kind, id number).

    The NIP/NRP line closes the signature block: what stands before it is the jabatan, name
    and pangkat, what follows belongs to the next part of the header. A bare number of 18
    digits is a NIP; without any id number every piece is the signature block's."""
    before: list[str] = []
    for i, piece in enumerate(pieces):
        if m := _ID_NUMBER_RE.search(piece):
            pre = piece[: m.start()].strip(" ,")
            if pre:
                before.append(pre)
            return before, pieces[i + 1 :], m.group(1).upper(), m.group(2).strip()
        if _BARE_ID_RE.match(piece):
            id_kind = "NIP" if len(re.sub(r"\D", "", piece)) == 18 else ""
            return before, pieces[i + 1 :], id_kind, piece
        before.append(piece)
    return pieces, [], "", ""


def _take_rank(before: list[str]) -> tuple[list[str], str]:
    """The pieces without the pangkat, and the pangkat: the first piece (or end of one)
    naming a rank ("Pembina Utama Muda, IV/c"), which is neither jabatan nor name."""
    rank = ""
    kept: list[str] = []
    for piece in before:
        m = _RANK_RE.search(piece)
        if m and not rank and (m.start() == 0 or piece[m.start() - 1] == " "):
            rank = m.group(0).strip()
            piece = piece[: m.start()].strip(" ,")
        if piece:
            kept.append(piece)
    return kept, rank


def _position_and_name(kept: list[str]) -> tuple[str, str]:
    """(jabatan, name) of the remaining pieces: the jabatan comes first, the name is the
    piece carrying an academic title (else the last); a lone titled piece is a name only."""
    name = ""
    if len(kept) == 1 and (m := _PREFIX_TITLE_RE.search(kept[0])) and m.start() > 0:
        # "Kepala Dinas Drs. H. Ahmad" in one piece: the name starts at its first title
        kept = [kept[0][: m.start()].strip(" ,"), kept[0][m.start() :]]
    position = kept[0] if kept else ""
    rest = kept[1:]
    titled = [p for p in rest if _TITLE_RE.search(p)]
    if titled:
        name = titled[0]
    elif rest:
        name = rest[-1]
    elif kept and _TITLE_RE.search(kept[0]) and len(kept) == 1:
        position, name = "", kept[0]
    return position, name


# -- agency / unit ---------------------------------------------------------------------------

_AGENCY_RE = re.compile(
    r"^(?:PEMERINTAH|KEMENTERIAN|KEMENTRIAN|DINAS|BADAN|KANTOR|INSPEKTORAT|LEMBAGA|KOMISI|"
    r"SEKRETARIAT\s+(?:DAERAH|JENDERAL|UTAMA|DPRD|KABINET|NEGARA)|RUMAH\s+SAKIT|RSUD|PUSKESMAS|"
    r"UNIVERSITAS|POLITEKNIK|INSTITUT|KEJAKSAAN|KEPOLISIAN|PENGADILAN|MAHKAMAH|BALAI|DEWAN|"
    r"MAJELIS|OMBUDSMAN|PERPUSTAKAAN|KECAMATAN|KELURAHAN|DESA|PROVINSI|KABUPATEN|KOTA|"
    r"REPUBLIK|SATUAN|KANWIL|PERUSAHAAN)\b",
    re.IGNORECASE,
)
_AGENCY_CONT_RE = re.compile(r"^(?:PROVINSI|KABUPATEN|KOTA|REPUBLIK)\b", re.IGNORECASE)
_UNIT_RE = re.compile(
    r"^(?:SUB\b|SUBBAG|SUB\s*BAGIAN|SUBBAGIAN|BAGIAN|BIDANG|SEKSI|SEKRETARIAT|DEPUTI|"
    r"DIREKTORAT|BIRO|SUB\s*BIDANG|SUBBIDANG|UPTD?\b|INSTALASI|KELOMPOK|UNIT)\b",
    re.IGNORECASE,
)
_UNIT_INSIDE_RE = re.compile(r"\s(?:SUB\s?BAGIAN|SUBBAG|SUB\s?BIDANG|SEKSI|UPTD?)\b")


def _agency_and_unit(lines: list[str]) -> tuple[str, str]:
    agency_parts: list[str] = []
    units: list[str] = []
    for raw in lines:
        text = _norm(raw).strip(" *:")
        if not text:
            continue
        if _AGENCY_RE.match(text):
            if m := _UNIT_INSIDE_RE.search(text):
                units.append(text[m.start() :].strip())
                text = text[: m.start()].strip()
            joined = " ".join(agency_parts).lower()
            if text.lower() in joined:
                continue
            if agency_parts and _AGENCY_CONT_RE.match(text):
                agency_parts[-1] = f"{agency_parts[-1]} {text}"
            else:
                agency_parts.append(text)
        elif _UNIT_RE.match(text):
            units.append(text)
    return ", ".join(agency_parts), (units[-1] if units else "")


# -- the parser ------------------------------------------------------------------------------


@dataclass
class _Label:
    kind: str
    seg: _Seg
    tabbed: bool


class _HeaderParser:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.values: dict[str, str] = {}
        self.revisions: list[str] = []
        self.approver_pieces: list[str] = []
        self.approver_label: _Label | None = None
        self.free: list[str] = []  # unlabelled lines before the sections: agency, unit
        self.titles: list[str] = []
        self.builders = {k: _ListBuilder() for k in SECTION_KINDS}
        self.group: list[_Label] = []
        self.group_has_content = False
        self.pointer: dict[int, int] = {}  # stacked column -> index of the current kind
        self.warnings: list[ReaderWarning] = []
        self.sections_started = False

    # label detection within one segment: [(kind or None, text)]
    def _pieces(self, seg: _Seg) -> list[tuple[str | None, str, bool]]:
        """Split a segment into (kind, value text, is_section) pieces."""
        text = seg.text
        out: list[tuple[str | None, str, bool]] = []
        pos = 0
        found_any = False
        while pos < len(text):
            hit = self._match_label(text, pos, chained=found_any)
            if hit is None:
                break
            kind, end, is_section = hit
            found_any = True
            out.append((kind, "", is_section))
            pos = end
        rest = text[pos:]
        if out:
            out[-1] = (out[-1][0], rest.strip(), out[-1][2])
            if not out[-1][2]:
                # an identity value may hold further "Label :" pairs (single-spaced OCR lines)
                return self._split_identity_value(out)
            return out
        if m := _SOP_TITLE_RE.match(text):
            return [("title", text[m.end() :].strip(), False)]
        for _kind, rx in _ID_ANYWHERE:
            m = rx.search(text)
            if m and m.start() > 0:
                pre = text[: m.start()].strip()
                inner = self._pieces(_Seg(seg.line, seg.col, seg.x, text[m.start() :]))
                return [(None, pre, False), *inner]
        return [(None, text.strip(), False)]

    def _split_identity_value(
        self, out: list[tuple[str | None, str, bool]]
    ) -> list[tuple[str | None, str, bool]]:
        kind, value, is_section = out[-1]
        for _k, rx in _ID_ANYWHERE:
            m = rx.search(value)
            if m and m.start() > 0:
                head = value[: m.start()].strip()
                tail = self._pieces(_Seg(0, 0, 0, value[m.start() :]))
                return [*out[:-1], (kind, head, is_section), *tail]
        return out

    def _match_label(self, text: str, pos: int, chained: bool) -> tuple[str, int, bool] | None:
        for kind, rx in _ID_RES:
            if chained:
                break
            m = rx.match(text, pos)
            if m:
                return kind, m.end(), False
        for kind, rx, strict in _SEC_RES:
            m = rx.match(text, pos)
            if not m:
                continue
            rest = text[m.end() :]
            if strict and rest:
                colon = ":" in text[pos : m.end()]
                next_ok = bool(markers(rest) and markers(rest)[0][1] == 0) or bool(
                    self._match_label(text, m.end(), chained=True)
                )
                if not colon and not next_ok:
                    continue
            return kind, m.end(), True
        return None

    # -- main loop --------------------------------------------------------------------------
    def run(self) -> Header:
        blank_before = False
        for idx, line in enumerate(self.lines):
            if not line.strip():
                blank_before = True
                continue
            if PAGE_MARKER.match(_norm(line)):
                continue
            self._line(idx, line, blank_before)
            blank_before = False
        return self._finish()

    def _line(self, idx: int, line: str, blank_before: bool) -> None:
        tabbed = "\t" in line
        segs = _segments(line, idx)
        parsed = [(seg, self._pieces(seg)) for seg in segs]
        has_label = any(k is not None for _s, ps in parsed for k, _t, _sec in ps)
        if has_label:
            self.approver_label = None
        section_labels = [
            _Label(k, seg, tabbed) for seg, ps in parsed for k, _t, sec in ps if sec and k
        ]
        if section_labels:
            self.sections_started = True
            if self.group and not self.group_has_content and self.group[-1].seg.line != idx:
                self.group.extend(section_labels)
            else:
                self.group = section_labels
                self.pointer = {}
            self.group_has_content = False
        consumed_next = False
        for i, (seg, pieces) in enumerate(parsed):
            if consumed_next:
                consumed_next = False
                continue
            for kind, value, is_section in pieces:
                if kind is None:
                    if value:
                        self._free_piece(seg, value, blank_before, idx)
                    continue
                if is_section:
                    if value:
                        self.builders[kind].add(value, blank_before)
                        self.group_has_content = True
                    continue
                if kind == "title":
                    self.titles.append(value)
                    continue
                if not value and kind != "approved" and i + 1 < len(parsed):
                    _nxt_seg, nxt = parsed[i + 1]
                    if len(nxt) == 1 and nxt[0][0] is None and pieces[-1][0] == kind:
                        value = nxt[0][1]
                        consumed_next = True
                self._identity(kind, value, seg, tabbed)

    def _identity(self, kind: str, value: str, seg: _Seg, tabbed: bool) -> None:
        value = _norm(value).strip(": ")
        if kind == "revised":
            self.revisions.append(value)
        elif kind == "approved":
            self.approver_label = _Label(kind, seg, tabbed)
            self.approver_pieces = [value] if value else []
        elif not self.values.get(kind):
            self.values[kind] = value

    def _free_piece(self, seg: _Seg, text: str, blank_before: bool, idx: int) -> None:
        lab = self.approver_label
        if lab is not None:
            right = seg.col >= lab.seg.col if lab.tabbed else seg.x >= lab.seg.x - 2
            if right:
                self.approver_pieces.append(text)
                return
        if not self.group and re.match(r"^SOP\b", text, re.IGNORECASE) and len(text) < 200:
            self.titles.append(re.sub(r"^SOP\s*(?:(?:Mikro|Makro|AP)\b)?\s*:?\s*", "", text,
                                      flags=re.IGNORECASE))  # fmt: skip
            return
        if not self.group:
            self.free.append(text)
            return
        self._content(seg, text, blank_before, idx)

    def _content(self, seg: _Seg, text: str, blank_before: bool, idx: int) -> None:
        tabbed = "\t" in self.lines[seg.line] and all(lab.tabbed for lab in self.group)
        if tabbed:
            cols = sorted({lab.seg.col for lab in self.group})
            chosen = max((c for c in cols if c <= seg.col), default=cols[0])
            labels = [lab for lab in self.group if lab.seg.col == chosen]
        else:
            xs = sorted({lab.seg.x for lab in self.group})
            chosen = max((x for x in xs if x <= seg.x + 8), default=xs[0])
            labels = [lab for lab in self.group if lab.seg.x == chosen]
        kinds: list[str] = []
        for lab in labels:
            if lab.kind not in kinds:
                kinds.append(lab.kind)
        self.group_has_content = True
        if len(kinds) == 1:
            self.builders[kinds[0]].add(text, blank_before)
            return
        same_line = len({lab.seg.line for lab in labels}) == 1
        if same_line:
            self._inline(kinds, text, blank_before, idx)
        else:
            self._stacked(chosen, kinds, text, blank_before, idx)

    def _stacked(self, col: int, kinds: list[str], text: str, blank: bool, idx: int) -> None:
        """Lists one after the other under labels stacked one above the other."""
        ptr = self.pointer.get(col, 0)
        if self.builders[kinds[ptr]].starts_new_list(text, blank):
            if ptr + 1 < len(kinds):
                ptr += 1
            else:
                self.warnings.append(
                    ReaderWarning(
                        f"Baris {idx + 1} tidak dapat ditempatkan pada bagian kepala SOP",
                        code="line-unused",
                        line=idx + 1,
                    )
                )
                return
        self.pointer[col] = ptr
        self.builders[kinds[ptr]].add(text, blank)

    def _inline(self, kinds: list[str], text: str, blank: bool, idx: int) -> None:
        """Two lists in the same cell on the same lines ("1. Peraturan ... 1. Memahami ...")."""
        text = _norm(text)
        left, right = self.builders[kinds[0]], self.builders[kinds[-1]]
        ms = markers(text)
        if ms and ms[0][1] == 0:
            first = ms[0][0]
            for num, start, _content in ms[1:]:
                if num == first:
                    left.add(text[:start])
                    right.add(text[start:])
                    return
            (left if left.last is None or first == left.last + 1 else right).add(text)
            return
        if not left.result() and not right.result():
            # unnumbered: split where a new sentence starts ("... pelaksanaan Setiap tahap")
            m = re.search(r"(?<=[a-z,)]) (?=[A-Z][a-z])", text)
            if m:
                left.add(text[: m.start()])
                right.add(text[m.end() :])
                self.warnings.append(
                    ReaderWarning(
                        f"Baris {idx + 1}: batas antara dua bagian kepala ditebak",
                        code="header-split-guessed",
                        line=idx + 1,
                    )
                )
                return
        right.add(text, blank)

    def _finish(self) -> Header:
        approver, after = _parse_approver(self.approver_pieces)
        agency, unit = _agency_and_unit(self.free + after)
        revised: SopDate | None = None
        for text in self.revisions:
            parsed = parse_date(text)
            if parsed is not None:
                revised = parsed
        name = self.values.get("name", "")
        if not name and self.titles:
            name = _norm(self.titles[0])
        identity = Identity(
            number=self.values.get("number", ""),
            name=name,
            agency=agency,
            unit=unit,
            created=parse_date(self.values.get("created", "")),
            revised=revised,
            effective=parse_date(self.values.get("effective", "")),
            approved_by=approver,
        )
        lists = {k: b.result() for k, b in self.builders.items()}
        return Header(identity=identity, warnings=self.warnings, **lists)


def parse_header(lines: list[str]) -> Header:
    """Read the identity block and header sections from the lines above the SOP table.

    Lines keep their tabs (cell borders) and runs of spaces (page columns); HTML should be
    cleaned before (see :mod:`converters.reading.readers.markup`). Any line order and label spelling
    seen in SOPs is accepted; nothing raises.
    """
    return _HeaderParser(list(lines)).run()


_TITLE_LINE_RE = re.compile(r"^\s*(?:SOP\b|[A-Z0-9 ,()/&.-]{8,}$)")


def take_table_title(lines: list[str]) -> tuple[list[str], str]:
    """Split off the table title (e.g. "SOP Penyusunan IKU") just above the table.

    Many SOPs repeat the SOP name as a caption between the header sections and the table;
    left in, it would join the last header section. Returns the lines without it and the
    title ("" when there is none).
    """
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or PAGE_MARKER.match(_norm(lines[end - 1]))):
        end -= 1
    start = end
    while start > 0 and lines[start - 1].strip():
        start -= 1
    block = [ln for ln in lines[start:end] if ln.strip()]
    if (
        0 < len(block) <= 2
        and start > 0
        and all("\t" not in ln for ln in block)
        and all(not markers(_norm(ln)) or markers(_norm(ln))[0][1] > 0 for ln in block)
        and _TITLE_LINE_RE.match(block[0])
        and not any(_match_any_label(ln) for ln in block)
    ):
        title = _norm(" ".join(block))
        title = re.sub(r"^SOP\s*(?:(?:Mikro|Makro|AP)\b)?\s*:?\s*", "", title, flags=re.IGNORECASE)
        return lines[:start] + lines[end:], title
    return lines, ""


def _match_any_label(line: str) -> bool:
    text = _norm(line)
    return any(rx.match(text) for _k, rx in _ID_RES) or any(
        rx.match(text) for _k, rx, _s in _SEC_RES
    )


__all__ = ["IDENTITY_KINDS", "SECTION_KINDS", "Header", "label_pattern", "markers",
           "parse_header", "split_numbered", "take_table_title"]  # fmt: skip
