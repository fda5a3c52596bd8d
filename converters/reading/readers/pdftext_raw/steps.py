"""Steps anchored on their numbers, and each number paired with its activity block."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from converters.model import ReaderWarning
from converters.reading.evidence import STEP_REFERENCE
from converters.reading.raw import RawRow, warn_missing_activity
from converters.reading.readers.pdftext_raw.blocks import _Block
from converters.reading.readers.pdftext_raw.cells import _homes
from converters.reading.readers.pdftext_raw.labels import _place_floating_labels
from converters.reading.readers.pdftext_raw.mutu import _mutu_after, _mutu_runs
from converters.reading.readers.pdftext_raw.shapes import (
    _LABEL,
    _NUMBER,
    _activity_like,
    _holds_number,
    _is_number_block,
    _is_title,
    _waktu,
)
from converters.reading.readers.pdftext_raw.waktu import _cells
from converters.reading.vocabulary import WAKTU_VALUE


@dataclass
class _Pairing:
    """Which body block holds the activity of which step: ``activity`` maps a step to a block
    index, ``inline`` to the rest of its own number's block, ``taken`` the blocks used."""

    activity: dict[int, int] = dataclasses.field(default_factory=dict)
    inline: dict[int, _Block] = dataclasses.field(default_factory=dict)
    taken: set[int] = dataclasses.field(default_factory=set)

    def has(self, n: int) -> bool:
        return n in self.activity or n in self.inline

    def take(self, n: int, bi: int) -> None:
        self.activity[n] = bi
        self.taken.add(bi)


def _rows(body: list[_Block], header: set[int], warnings: list[ReaderWarning]) -> list[RawRow]:
    """The table's rows: find the step numbers, pair each with its activity (three passes,
    surest first), then read each row's Mutu Baku and say what could not be placed."""
    anchors = _anchors(body, header)
    if not anchors:
        return []
    steps = _steps(anchors)
    pairing = _nearest_activities(body, header, anchors, steps)
    guessed = _pair_orphans(body, header, steps, pairing)
    _pair_following(body, header, anchors, steps, pairing)
    if guessed:
        warnings.append(
            ReaderWarning(
                "Uraian kegiatan tanpa nomor di dekatnya dipasangkan menurut urutan pada langkah "
                f"{', '.join(map(str, guessed))} / activities paired with step numbers by order",
                code="activity-guessed",
            )
        )
    rows = _build_rows(body, header, anchors, steps, pairing, guessed, warnings)
    homes = _homes(body, anchors, {bi: n for n, bi in pairing.activity.items()})
    _place_floating_labels(body, rows, homes, warnings, header)
    _warn_extra_numbers(anchors, steps, warnings)
    return rows


def _anchors(body: list[_Block], header: set[int]) -> dict[int, tuple[int, int]]:
    """Step number -> (block index, line inside the block) of the line that holds it.

    The numbers are the one thing pdftotext keeps whole, so they anchor every row; numbers
    of 100 and over are years, amounts or page numbers, not steps. A number seen twice is
    anchored where an activity follows it: the header's column index row ("1 2 ... 9"
    under the titles) comes out of plain pdftotext as lone numbers among the title cells,
    before the rows, and a step's number stands before its activity."""
    sightings: dict[int, list[tuple[int, int]]] = {}
    for i, b in enumerate(body):
        if (i in header and not _titles_then_number(b)) or not _holds_number(b):
            continue
        for k, ln in enumerate(b.lines):
            m = _NUMBER.match(ln)
            if k and _wrapped_reference(b.lines[k - 1], ln):
                continue
            if m and 0 < int(m.group(1)) < 100:
                sightings.setdefault(int(m.group(1)), []).append((i, k))
    return {n: next((at for at in seen if _opens_activity(body, header, *at)), seen[0])
            for n, seen in sightings.items()}


def _opens_activity(body: list[_Block], header: set[int], i: int, k: int) -> bool:
    """Whether an activity follows the number on line ``k`` of block ``i``: the rest of its
    block, or the next block when the number ends its block."""
    b = body[i]
    if k + 1 < len(b.lines):
        return _activity_like(_Block(b.lines[k + 1 :], b.first_line + k + 1), 1)
    return i + 1 < len(body) and i + 1 not in header and _activity_like(body[i + 1], 1)


def _wrapped_reference(before: str, line: str) -> bool:
    """A number that ends a sentence wrapped onto its own line ("... kembali ke langkah" /
    "7"): a step the text names, not a row's number. The line before it is text (a title
    "No" above a first number is no sentence)."""
    words = before.split()
    return len(words) > 1 and bool(STEP_REFERENCE.fullmatch(f"{words[-1]} {line}".casefold()))


_NUMBERED_LINE = re.compile(r"^(\d{1,2})\.?\s+(\S.*)$")


def _split_step_numbers(body: list[_Block]) -> list[_Block]:
    """pdftotext keeps a wider number on the activity's first line ("10. PPK menerbitkan
    SPMK.") when the number column is narrow: split it onto a line of its own, as the
    shorter numbers stand, when it is the next step of the sequence read so far and the
    text after it opens a row (a numbered list inside a cell, "1. Kontrak yang telah ...",
    repeats numbers already seen). A block that ends with the next step number, above an
    activity, gives the number a block of its own."""
    seen: set[int] = set()
    out: list[_Block] = []
    for i, b in enumerate(body):
        last = _NUMBER.match(b.lines[-1])
        if (
            last
            and len(b.lines) > 1
            and int(last.group(1)) == max(seen, default=0) + 1
            and not any(_NUMBER.match(x) or _is_title(x) for x in b.lines[:-1])
            and not _wrapped_reference(b.lines[-2], b.lines[-1])
            and i + 1 < len(body)
            and _activity_like(body[i + 1])
        ):
            # a role title and the first step number below it on one baseline run
            # ("Ketua Tim Pelayanan" / "1"): the number opens the row after it
            seen.add(int(last.group(1)))
            out.append(_Block(b.lines[:-1], b.first_line, b.page))
            out.append(_Block(b.lines[-1:], b.first_line + len(b.lines) - 1, b.page))
            continue
        for x in b.lines:
            m = _NUMBER.match(x)
            if m:
                seen.add(int(m.group(1)))
        m = _NUMBERED_LINE.match(b.lines[0])
        if m and not _NUMBER.match(b.lines[0]) and not WAKTU_VALUE.match(b.lines[0]):
            n = int(m.group(1))
            rest = _Block([m.group(2), *b.lines[1:]], b.first_line, b.page)
            if n == max(seen, default=0) + 1 and _opens_row(rest):
                seen.add(n)
                out.append(_Block([f"{n}.", *rest.lines], b.first_line, b.page))
                continue
        out.append(b)
    return out


def _opens_row(b: _Block) -> bool:
    """Text after a step number: an activity, or a capitalised phrase of a few words
    ("PPK (PA/KPA dapat menetapkan ...", "Denda dan ganti rugi ...")."""
    words = b.text.split()
    return _activity_like(b) or (len(words) >= 3 and words[0][:1].isupper())


def _titles_then_number(b: _Block) -> bool:
    """A header block that ends with a step number ("(1) / 4"): the first cell of a page's
    first row joined to the index cell above it."""
    return (
        len(b.lines) >= 2
        and bool(_NUMBER.match(b.lines[-1]))
        and all(_is_title(x) for x in b.lines[:-1])
    )


def _steps(anchors: dict[int, tuple[int, int]]) -> list[int]:
    """The step numbers: 1 up to the first gap when 1 is there (stray numbers after a gap are
    other text), then the numbers after a gap of one number when two or more follow it in
    order (a document that skips a number), else every number found, in order."""
    last = (
        max(n for n in anchors if all(m in anchors for m in range(1, n + 1))) if 1 in anchors else 0
    )
    if not last:
        return sorted(anchors)
    steps = list(range(1, last + 1))
    # a document that skips one number ("7." then "9."): the rows go on when at least two
    # numbers follow the gap in a row, each further down the text than the one before
    run: list[int] = []
    n = last + 2
    while n in anchors and anchors[n] > anchors[run[-1] if run else last]:
        run.append(n)
        n += 1
    return [*steps, *run] if len(run) >= 2 else steps


def _nearest_activities(
    body: list[_Block], header: set[int], anchors: dict[int, tuple[int, int]], steps: list[int]
) -> _Pairing:
    """First pass, the surest: the activity written right after its number, in the rest of
    the number's block or in the block that follows it."""
    pairing = _Pairing()
    for n, j in _number_runs(body, header, anchors, steps).items():
        pairing.take(n, j)
    for n in steps:
        if pairing.has(n):
            continue
        bi, k = anchors[n]
        block = body[bi]
        if k + 1 < len(block.lines):
            # "3." then "Pengolahan Data" in one block: the rest of the block may be it
            rest = _Block(block.lines[k + 1 :], block.first_line + k + 1)
            if k == 0 and (_activity_like(rest, min_words=1) or _opens_row(rest)):
                pairing.inline[n] = rest
            continue
        j = bi + 1
        if (
            j < len(body)
            and j not in header
            and _activity_like(body[j], 1)
            and j not in pairing.taken
        ):
            pairing.take(n, j)
    return pairing


def _number_runs(
    body: list[_Block], header: set[int], anchors: dict[int, tuple[int, int]], steps: list[int]
) -> dict[int, int]:
    """Step -> activity block for the steps whose numbers pdftotext wrote as a run of lone
    numbers ("17", "18", "19"): the number column's cells of a page's rows came first, then
    their activity cells in the same order, before the next number. Only when the run is
    followed by as many activities as it has numbers."""
    lone = {anchors[n][0]: n for n in steps
            if anchors[n][1] == 0 and len(body[anchors[n][0]].lines) == 1}
    out: dict[int, int] = {}
    for bi, n in lone.items():
        if lone.get(bi - 1) == n - 1:
            continue  # inside a run, not its start
        run = [n]
        while lone.get(bi + len(run)) == n + len(run):
            run.append(n + len(run))
        if len(run) < 2:
            continue
        acts: list[int] = []
        j = bi + len(run)
        while j < len(body) and len(acts) < len(run):
            if _is_number_block(body[j]) or (j in header and _is_title(body[j].lines[0])):
                break  # the next row, or the next page's header
            if j not in header and _activity_like(body[j]):
                acts.append(j)  # branch labels and symbol letters between are skipped
            j += 1
        if len(acts) == len(run):
            out.update(zip(run, acts, strict=True))
    return out


def _pair_orphans(
    body: list[_Block], header: set[int], steps: list[int], pairing: _Pairing
) -> list[int]:
    """Second pass: activities standing away from any number go, in reading order, to the
    steps still without one. Returns those steps, whose pairing is a guess."""
    # a one-word block counts when it is a process noun or verb on its own ("Perencanaan")
    orphans = [
        i
        for i, b in enumerate(body)
        if i not in header
        and i not in pairing.taken
        and (_activity_like(b) or (len(b.lines) == 1 and _activity_like(b, 1)))
    ]
    missing = [n for n in steps if not pairing.has(n)]
    guessed: list[int] = []
    for n, bi in zip(missing, orphans, strict=False):
        pairing.take(n, bi)
        guessed.append(n)
    return guessed


def _pair_following(
    body: list[_Block],
    header: set[int],
    anchors: dict[int, tuple[int, int]],
    steps: list[int],
    pairing: _Pairing,
) -> None:
    """Last pass: a step still without an activity takes the text block right after its
    number, even when it does not start with a verb ("Analisis Tabel Evaluasi Seruti")."""
    for n in steps:
        if pairing.has(n):
            continue
        bi, k = anchors[n]
        j = bi + 1
        if (
            k + 1 == len(body[bi].lines)
            and j < len(body)
            and j not in header
            and j not in pairing.taken
        ):
            b = body[j]
            if not (_is_number_block(b) or _waktu(b.text) or _LABEL.match(b.text)):
                pairing.take(n, j)


def _build_rows(
    body: list[_Block],
    header: set[int],
    anchors: dict[int, tuple[int, int]],
    steps: list[int],
    pairing: _Pairing,
    guessed: list[int],
    warnings: list[ReaderWarning],
) -> list[RawRow]:
    """One row per step with its activity and the Mutu Baku after it; a guessed pairing gets
    no Mutu Baku from the blocks after it (they need not be its own). Rows still without
    Mutu Baku take, page by page, the run of Mutu Baku cells pdftotext wrote apart."""
    rows: list[RawRow] = []
    used: set[int] = set()
    joined: set[int] = set()  # rows whose Output shares a block with their Waktu
    for n in steps:
        at = pairing.activity.get(n)
        inline = pairing.inline
        act = body[at].text if at is not None else (inline[n].text if n in inline else "")
        row = RawRow(number=n, activity=act, line=body[anchors[n][0]].first_line)
        if at is not None and n not in guessed:
            got = _mutu_after(body, at, header, row)
            used |= got
            if row.output and any(
                row.output in cells and len(cells) > 1 for cells in (_cells(body[j]) for j in got)
            ):
                joined.add(n)
        warn_missing_activity(row, warnings)
        rows.append(row)
    homes = _homes(body, anchors, {bi: n for n, bi in pairing.activity.items()})
    placed = _mutu_runs(body, header, anchors, rows, pairing.taken | used, homes, joined)
    if placed:
        warnings.append(
            ReaderWarning(
                "Mutu Baku yang tertulis terpisah dari kegiatannya dipasangkan menurut urutan "
                f"pada langkah {', '.join(map(str, placed))} / Mutu Baku written apart from its "
                "rows paired by order",
                code="mutu-guessed",
            )
        )
    no_mutu = [r.number for r in rows if not (r.duration or r.requirements or r.output)]
    if no_mutu:
        warnings.append(
            ReaderWarning(
                "Mutu Baku tidak dapat dikaitkan pada langkah "
                f"{', '.join(map(str, no_mutu))} / Mutu Baku could not be associated",
                code="mutu-unassigned",
            )
        )
    return rows


def _warn_extra_numbers(
    anchors: dict[int, tuple[int, int]], steps: list[int], warnings: list[ReaderWarning]
) -> None:
    """Numbers found but left out of the step sequence: the user should know they were seen."""
    extra = sorted(set(anchors) - set(steps))
    if extra:
        warnings.append(
            ReaderWarning(
                f"Nomor di luar urutan langkah diabaikan: {', '.join(map(str, extra))} / "
                "numbers outside the step sequence ignored",
                code="line-unused",
            )
        )
