"""The role columns: the header blocks between the step column title and the Mutu Baku titles."""

from __future__ import annotations

import re

from converters.reading.readers.pdftext_raw.blocks import _Block
from converters.reading.readers.pdftext_raw.shapes import (
    _ACTIVITY_TITLE,
    _NUMBER,
    _SECTION_START,
    _activity_like,
    _is_number_block,
    _is_title,
    _jabatan,
    _labels,
    _mutu_column_title,
    _role_like,
    _role_line,
    _role_text,
    _short,
    _waktu,
)
from converters.reading.vocabulary import PELAKSANA_TITLE


def _side_by_side(b: _Block) -> list[str] | None:
    """Two header cells that start alike come out as "A / A / a1 a2" (pdftotext joins their
    last lines): "Aplikasi FRS MFD" twice, then "Online level kab/kota Online level provinsi".
    Split the last line where its first word comes back and give each part to one copy."""
    if len(b.lines) < 3:
        return None
    k = len(b.lines) - 1
    if len({ln for ln in b.lines[:k]}) != 1:
        return None
    words = b.lines[-1].split()
    starts = [i for i, w in enumerate(words) if w == words[0]]
    if len(starts) != k:
        return None
    parts = [" ".join(words[a:c]) for a, c in zip(starts, [*starts[1:], len(words)], strict=True)]
    return [f"{b.lines[0]} {p}" for p in parts]


def _roles(body: list[_Block]) -> tuple[list[str], set[int]]:
    """Role titles in reading order, and the indexes of the blocks that make the header.

    The role titles are the run of title-like blocks right after the step column title
    (header title blocks may stand among them), plus the non-title lines of short header
    blocks ("Pelaksana / Pengguna / Layanan") and jabatan blocks next to header blocks.
    """
    header: set[int] = set()
    act = next(i for i, b in enumerate(body) if any(_ACTIVITY_TITLE.match(x) for x in b.lines))
    named = _pelaksana_roles(body)
    # the role titles end at the first Kelengkapan / Waktu / Output title: Keterangan, the
    # last column, may come out first ("Keterangan / Kepala Dinas" as one block)
    first_mutu = next(
        (i for i, b in enumerate(body) if any(_mutu_column_title(x) for x in b.lines)),
        len(body),
    )
    for i, b in enumerate(body):
        if any(_is_title(x) for x in b.lines) and i not in named:
            header.add(i)
    headings = {i for i, b in enumerate(body) if _section_heading(b)}
    header |= headings
    split = {i: _side_by_side(b) for i, b in enumerate(body[:first_mutu])}
    candidates = {
        i
        for i, b in enumerate(body[:first_mutu])
        if i not in header and ((_role_like(b) and _short(b)) or split[i])
    }
    # the run right after the step column title, then blocks touching the header; the
    # first row's number may stand inside the run (pdftotext writes the "No" column's
    # first cell on the baseline of the role titles beside it): the run goes over it
    i = act + 1
    while i < first_mutu and (
        i in header
        or i in candidates
        or (
            _is_number_block(body[i])
            and i - 1 in header
            and i + 1 in candidates
            and _jabatan(body[i + 1].text)
            and not _activity_like(body[i + 1])
        )
    ):
        if not _is_number_block(body[i]):
            header.add(i)
        i += 1
    numbered = _numbered_columns(body, first_mutu)
    for i in numbered:
        header.add(i)
    changed = True
    while changed:
        changed = False
        for i in sorted(candidates - header):
            if _touches(body, header, i) and not _row_cell_beside(body, header, i):
                header.add(i)
                changed = True
    roles: list[str] = []
    for i in sorted(header - headings):
        b = body[i]
        if i > first_mutu:
            continue
        lines = b.lines
        if i == first_mutu:  # the cells after the first Mutu Baku title are its own
            lines = lines[: next(k for k, x in enumerate(lines) if _mutu_column_title(x))]
        rest = [x for x in lines if not _is_title(x)]
        if i in named:
            roles.append(b.text)
        elif i in numbered:
            roles.extend(numbered[i])
        elif i == act == first_mutu and (whole := _titles_in_one_block(b.lines)):
            roles.extend(whole)
        elif i in (act, first_mutu):
            # the step column title or the first Mutu Baku title joined to a role title
            roles.extend(x for x in rest if _role_line(x))
        elif split.get(i):
            roles.extend(split[i] or [])
        elif len(rest) == len(b.lines):
            roles.append(_role_text(b.lines))
        elif rest and _short(b) and _role_like(_Block(rest, b.first_line)):
            roles.append(_role_text(rest))
        else:
            # a header block that also holds other text ("Nama SOP: ... / Kaban / No"):
            # its lines that name a jabatan on their own
            roles.extend(x for x in rest if _role_line(x))
    return _unique(roles), header


def _numbered_columns(body: list[_Block], first_mutu: int) -> dict[int, list[str]]:
    """Role titles told apart by the header's numbered row ("(1)" ... or "1" ... under the
    titles): pdftotext writes the lines of side-by-side title cells baseline by baseline,
    one line of each cell in turn ("Tim Layanan / Tim Laporan / Gudang/Bagian / Persediaan
    / ..."), and the cells' column numbers after them ("3", then "4"). A block of title
    lines ending with the number of its first column, followed by blocks holding just the
    next numbers, holds as many cells as there are numbers: its lines are dealt to them in
    turn. Block index -> the names of its cells (the number blocks map to no name)."""
    out: dict[int, list[str]] = {}
    for i, b in enumerate(body[:first_mutu]):
        number = _NUMBER.match(b.lines[-1]) if len(b.lines) > 1 else None
        if number is None or int(number.group(1)) < 3:  # after No and Kegiatan
            continue
        lines = [x for x in b.lines[:-1] if not _is_title(x)]
        following = 1
        while i + following < len(body) and _column_number(body[i + following]) == int(
                number.group(1)) + following:
            following += 1
        cells = [lines[k::following] for k in range(following)]
        if len(lines) < following or not all(_title_cell(c) for c in cells):
            continue
        out[i] = [re.sub(r"\(\s+|\s+\)", lambda m: m.group(0).strip(), _role_text(c))
                  for c in cells]
        out.update((i + k, []) for k in range(1, following))
    return out


def _column_number(b: _Block) -> int | None:
    """The column number a block holds alone, if it does."""
    found = _NUMBER.match(b.lines[0]) if len(b.lines) == 1 else None
    return int(found.group(1)) if found else None


def _title_cell(lines: list[str]) -> bool:
    """The lines of a role title cell: a few words, a post's kind in brackets allowed
    ("(Operator)"), no sentence."""
    bare = [re.sub(r"\(\s*(\w+)\s*\)", r"\1", x) for x in lines]
    return _role_like(_Block(bare, 0))


def _titles_in_one_block(lines: list[str]) -> list[str] | None:
    """The role titles of a header that pdftotext wrote as one block, baseline by baseline:
    the step column title, the first line of each role cell, the Mutu Baku titles on that
    baseline, then the role cells' second lines ("Kegiatan / Ketua Tim Statistik / Tim
    Hansos BPS / BPS Kabupaten/Kota / Kelengkapan / Waktu / Sosial BPS Provinsi /
    Provinsi"). Every line between the step column title and the first Mutu Baku title is a
    role's first line (a column there is a role, jabatan or team or office); the lines after
    the Mutu Baku titles continue them, left to right (the cells that wrap are the long
    names, and a wrapped name is written from the left of the table). None when the block
    has no such shape (nothing after the Mutu Baku titles, or more second lines than first
    lines)."""
    act = next((k for k, x in enumerate(lines) if _ACTIVITY_TITLE.match(x)), None)
    mutu = next((k for k, x in enumerate(lines) if _mutu_column_title(x)), None)
    if act is None or mutu is None or mutu <= act + 1:
        return None
    firsts = lines[act + 1 : mutu]
    last_title = max(k for k, x in enumerate(lines) if _is_title(x))
    seconds = lines[last_title + 1 :]
    if not seconds or len(seconds) > len(firsts) or any(_is_title(x) for x in firsts):
        return None
    if not all(_role_like(_Block([x], 0)) for x in [*firsts, *seconds]):
        return None
    return [f"{a} {b}" for a, b in zip(firsts, seconds, strict=False)] + firsts[len(seconds):]


def _section_heading(b: _Block) -> bool:
    """A header section's title in capitals ("PENCATATAN DAN PENDATAAN"), alone or over
    its list ("PERALATAN/ PERLENGKAPAN" / "1. Alat Tulis"): the section box stands beside
    the table in many forms, so pdftotext writes it among the role titles or the rows; it
    is neither a role nor an activity."""
    head = b.lines[0]
    return head.isupper() and bool(_SECTION_START.match(head))


def _pelaksana_roles(body: list[_Block]) -> set[int]:
    """Blocks that name the jabatan "Pelaksana" rather than the group title of the role
    columns: the group title stands once above the role cells of each page, so a second
    "Pelaksana" block on its own on the same page is a column of its own."""
    seen: set[int] = set()  # pages whose group title was met
    named: set[int] = set()
    for i, b in enumerate(body):
        titles = [x for x in b.lines if re.fullmatch(PELAKSANA_TITLE, x, re.I)]
        if not titles:
            continue
        if b.page in seen and len(b.lines) == 1:
            named.add(i)
        seen.add(b.page)
    return named


def _touches(body: list[_Block], header: set[int], i: int) -> bool:
    """Block ``i`` stands next to a header block, over the branch labels or connector
    letters drawn between the role titles ("Bendahara" / "T" / "Staf")."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(body) and j not in header and _labels(body[j]):
            j += step
        if j in header:
            return True
    return False


def _row_cell_beside(body: list[_Block], header: set[int], i: int) -> bool:
    """Block ``i`` names no jabatan and follows a Waktu value or comes before a step
    number: it is the Output that ends a row (a "Nota Dinas" before the role titles pdftotext
    wrote after the page's rows), not a role title. A block after an activity may well be a
    role title ("... melalui aplikasi" / "Pegawai" / "Pelaksana")."""
    if _jabatan(body[i].text):
        return False
    before = body[i - 1] if i > 0 and i - 1 not in header else None
    after = body[i + 1] if i + 1 < len(body) and i + 1 not in header else None
    return bool(
        (before is not None and _waktu(before.text))
        or (after is not None and _is_number_block(after))
    )


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        n = re.sub(r"\s+", " ", n).strip()
        if n and n not in out:
            out.append(n)
    return out
