"""The OCR text above the table: the header sections OCR serialised column by column."""

from __future__ import annotations

import re
from dataclasses import dataclass

from converters.reading.header import Header, parse_header


def take_title(lines: list[str]) -> tuple[list[str], str]:
    """The table caption "SOP : PENYUSUNAN ..." just above the table, if any."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
        m = re.match(r"^\s*SOP\s*:\s*(.+)$", lines[i])
        if m:
            return lines[:i] + lines[i + 1 :], m.group(1).strip()
    return lines, ""


_SECTION = (
    ("legal_basis", re.compile(r"^dasar\s+hukum\b", re.I), "Dasar Hukum"),
    ("qualifications", re.compile(r"^kualifikasi\s+pelaksana", re.I), "Kualifikasi Pelaksana"),
    ("related_sops", re.compile(r"^keterkaitan\b", re.I), "Keterkaitan"),
    ("equipment", re.compile(r"^(peralatan|perlengkapan)\b", re.I), "Peralatan/Perlengkapan"),
    ("cautions", re.compile(r"^peringatan\b", re.I), "Peringatan"),
    ("records", re.compile(r"^pencatatan\b", re.I), "Pencatatan dan Pendataan"),
)
_LEGAL = re.compile(
    r"^(peraturan|undang|keputusan|instruksi|surat\s+edaran|permen|perda|perpres|pp\b|uu\b"
    r"|perbup|pergub|perwal)",
    re.I,
)
_NUMBER_ONLY = re.compile(r"^\s*\d{1,2}\s*[.)]\s*$")
_NUMBERED = re.compile(r"^\s*\d{1,2}\s*[.)]\s*(\S.*)$")
_LOST_NUMBER = re.compile(r"^\s*[.,]\s+(\S.*)$")


@dataclass
class _Item:
    text: str
    numbered: bool  # the number stood on the item's own line


def read_pretable(lines: list[str]) -> Header:
    """Rebuild the header sections OCR serialised column by column, then parse them.

    OCR reads a two-column grid block by block: the heading pair ("Keterkaitan",
    "Peralatan/Perlengkapan"), the left column's numbers alone ("1.", "2."), the left items
    without numbers, then the right items with theirs ("1. Renstra"). So under a pair of
    headings the unnumbered items are the left section's and the numbered ones the right's;
    legal acts (Peraturan, Undang-Undang...) are Dasar Hukum wherever they stand, even when
    the page with the "Dasar Hukum" heading is missing.
    """
    first_section = next(
        (i for i, ln in enumerate(lines) if any(rx.match(ln.strip()) for _, rx, _ in _SECTION)),
        len(lines),
    )
    identity_lines = lines[:first_section]
    groups: list[tuple[list[str], list[str]]] = []  # (section kinds, lines)
    i = first_section
    while i < len(lines):
        kinds: list[str] = []
        while i < len(lines):
            s = lines[i].strip()
            found = _headings(s)
            if found and len(s) < 60:
                kinds.extend(found)
                i += 1
            elif not s:
                i += 1
            else:
                break
        body: list[str] = []
        while i < len(lines):
            s = lines[i].strip()
            if _headings(s) and len(s) < 60:
                break
            body.append(lines[i])
            i += 1
        if kinds:
            groups.append((kinds, body))
    sections: dict[str, list[str]] = {}
    has_legal_heading = any("legal_basis" in k for k, _ in groups)
    for kinds, body in groups:
        items = _items(body)
        legal = [it for it in items if _LEGAL.match(it.text)]
        others = [it for it in items if not _LEGAL.match(it.text)]
        if legal and "legal_basis" not in kinds:
            sections.setdefault("legal_basis", []).extend(it.text for it in legal)
            items = others
        if len(kinds) == 1 and not has_legal_heading and kinds[0] == "qualifications":
            sections.setdefault("qualifications", []).extend(it.text for it in items)
            continue
        if len(kinds) >= 2:
            left = [it.text for it in items if not it.numbered]
            right = [it.text for it in items if it.numbered]
            if not left or not right:
                left, right = _split_restart(items)
            sections.setdefault(kinds[0], []).extend(left)
            sections.setdefault(kinds[1], []).extend(right)
        else:
            sections.setdefault(kinds[0], []).extend(it.text for it in items)
    rebuilt = list(identity_lines)
    for kind, _, label in _SECTION:
        if kind in sections:
            rebuilt.append(label)
            rebuilt.extend(f"{n}. {t}" for n, t in enumerate(sections[kind], 1))
    return parse_header(rebuilt)


def is_section_heading(line: str) -> bool:
    """A heading line of the sections above the table ("Peringatan: Pencatatan dan
    Pendataan:"): the table starts below the last of them."""
    s = line.strip()
    return bool(_headings(s)) and len(s) < 60


def _headings(line: str) -> list[str]:
    """The section headings a line consists of ("Dasar Hukum Kualifikasi Pelaksana" = two)."""
    rest = line.strip().rstrip(":").strip()
    found: list[str] = []
    while rest:
        for kind, rx, _ in _SECTION:
            m = rx.match(rest)
            if m:
                found.append(kind)
                rest = re.sub(
                    r"^[\s:/]*(dan\s+pendataan|/?\s*perlengkapan)?[\s:]*",
                    "",
                    rest[m.end() :],
                    flags=re.I,
                )
                break
        else:
            return []
    return found


def _items(body: list[str]) -> list[_Item]:
    items: list[_Item] = []
    for raw in body:
        s = raw.strip()
        if not s or _NUMBER_ONLY.match(s):
            continue
        m = _NUMBERED.match(s)
        if m:
            items.append(_Item(m.group(1).strip(), True))
            continue
        m = _LOST_NUMBER.match(s)
        if m:
            items.append(_Item(m.group(1).strip(), False))
            continue
        s = re.sub(r"^[-\u2022*]\s*", "", s)
        if not s:
            continue
        prev = items[-1] if items else None
        # a new item: after a finished one, or in parallel with the previous item's first
        # word ("SOP Rapat Internal" / "SOP Pengumpulan Data")
        starts_new = (
            prev is None
            or (prev.text.rstrip().endswith((";", ".")) and (_LEGAL.match(s) or s[:1].isupper()))
            or (s.split()[0].lower() == (prev.text.split() or [""])[0].lower() and s[:1].isupper())
        )
        if starts_new or prev is None:
            items.append(_Item(s, False))
        else:
            prev.text = f"{prev.text} {s}"
    return items


def _split_restart(items: list[_Item]) -> tuple[list[str], list[str]]:
    """Two sections' items in one run: cut where the numbering would restart."""
    half = len(items) // 2
    return [it.text for it in items[:half]], [it.text for it in items[half:]]
