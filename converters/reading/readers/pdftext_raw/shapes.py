"""What a line or a block looks like: titles, numbers, Waktu values, jabatan, activities."""

from __future__ import annotations

import re

from converters.reading.durations import parse_duration
from converters.reading.readers.pdftext_raw.blocks import _Block
from converters.reading.roles import parse_role
from converters.reading.vocabulary import (
    CONNECTOR_LETTERS,
    LOANWORD_VERBS,
    MUTU_GROUP_TITLE,
    NO_LABELS,
    NOTES_OPENERS,
    PELAKSANA_TITLE,
    WAKTU_NO_TIME,
    WAKTU_VALUE,
    YES_LABELS,
    is_verb,
    mutu_kind,
    mutu_titles,
)

_ACTIVITY_TITLE = re.compile(
    r"^(kegiatan|aktivitas(\s*/\s*kegiatan)?|uraian\s+(prosedur|kegiatan))$", re.I
)
# a whole line: one title of the form ("Persyaratan / Perlengkapan" joins two)
_MUTU_TITLE = re.compile(
    rf"^(?:{mutu_titles()})\.?(?:\s*/?\s*(?:{mutu_titles('requirements')}))?\s*/?$", re.I
)
_GROUP_TITLE = re.compile(rf"^({PELAKSANA_TITLE}|{MUTU_GROUP_TITLE}|no\.?)$", re.I)
_INDEX_CELL = re.compile(r"^\(\d{1,2}\)$")
_NUMBER = re.compile(r"^(\d{1,2})\.?$")
_WAKTU = re.compile(rf"^(?:{WAKTU_VALUE.pattern}).*$|^(segera|-)$", re.I)


def _waktu(text: str) -> bool:
    """A Waktu cell: a value with digits ("2 hr"), in words ("sehari", "dua hari"), or one
    that states no time ("Segera", "Sesuai kebutuhan")."""
    text = text.strip()
    if _WAKTU.match(text) or WAKTU_NO_TIME.match(text):
        return True
    words = text.split()
    return (
        0 < len(words) <= 3
        and words[0].lower() not in NOTES_OPENERS
        and parse_duration(text).max_minutes is not None
    )


_LABEL = re.compile(rf"^({'|'.join(sorted(YES_LABELS | NO_LABELS))}|[\w ]{{1,25}}\?|r/t)$", re.I)
# what an activity block starts with besides a verb: a process noun ("Penulisan ...")
_PROCESS_NOUN = re.compile(r"^pe[a-z]{4,}an$")
_LOANWORD = frozenset(LOANWORD_VERBS)
_SECTION_START = re.compile(
    r"^(dasar\s+hukum|kualifikasi|keterkaitan|peralatan|perlengkapan|peringatan|pencatatan)",
    re.I,
)
_CONNECTOR = CONNECTOR_LETTERS  # off-page connectors' letters ("D F")


def _is_title(line: str) -> bool:
    """A column title of the header. A title starts with a capital: "perlengkapan" on a
    line of its own is a word of a wrapped cell ("Daftar kebutuhan / bahan dan /
    perlengkapan")."""
    return bool(
        (line[:1].isupper() or not line[:1].isalpha())
        and (
            _ACTIVITY_TITLE.match(line)
            or _MUTU_TITLE.match(line)
            or _GROUP_TITLE.match(line)
            or _INDEX_CELL.match(line)
        )
    )


def _short(block: _Block) -> bool:
    return len(block.lines) <= 4 and all(len(ln.split()) <= 4 for ln in block.lines)


def _jabatan(text: str) -> bool:
    return bool(parse_role(text).kinds)


def _role_like(b: _Block) -> bool:
    """A short title-like block: few words, no sentence punctuation, mostly capitalised."""
    text = b.text
    words = text.split()
    if not words or len(words) > 7 or re.search(r"[.,;:()]", text) or _verb_first(text):
        return False
    if _CONNECTOR.match(text) or re.match(r"sop\b", text, re.I):
        return False  # a connector's letter; the "SOP <name>" title above the table
    if any(_LABEL.match(x) or _waktu(x) or _NUMBER.match(x) for x in b.lines):
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return _jabatan(text) or caps * 2 >= len(words)


def _role_text(lines: list[str]) -> str:
    """A role title wrapped over lines, with a word the cell's edge cut mended
    ("Pengadministra" / "si Umum") when only the mended name reads as a jabatan."""
    text = lines[0] if lines else ""
    for line in lines[1:]:
        spaced, joined = f"{text} {line}", f"{text}{line}"
        if line[:1].islower() and not parse_role(spaced).kinds and parse_role(joined).kinds:
            text = joined
        else:
            text = spaced
    return re.sub(r"\s+", " ", text).strip()


def _mutu_column_title(line: str) -> bool:
    """A Kelengkapan, Waktu or Output title (not Keterangan, which may stand anywhere)."""
    return bool(_MUTU_TITLE.match(line)) and mutu_kind(line) not in (None, "notes")


def _role_line(line: str) -> bool:
    """A line that names a jabatan on its own (not the "SOP <name>" title above the table)."""
    return _jabatan(line) and len(line.split()) <= 5 and _role_like(_Block([line], 0))


def _is_number_block(b: _Block) -> bool:
    return all(_NUMBER.match(x) for x in b.lines)


_NOT_PROCESS_NOUNS = frozenset({"pemohon", "pengantar"})  # people and papers, not processes


def _verb_first(text: str) -> bool:
    words = text.split()
    if not words:
        return False
    w = re.sub(r"[^\w]", "", words[0]).lower()
    # "Diterimanya surat ..." is a noun phrase (an Output), not an activity
    if w.endswith("nya"):
        return False
    if _PROCESS_NOUN.match(w):
        return w not in _NOT_PROCESS_NOUNS
    return is_verb(w) or w in _LOANWORD


def _activity_like(b: _Block, min_words: int = 2) -> bool:
    """An activity starts with a verb or process noun ("Menerima", "Penulisan"), or with
    its subject and then an active verb ("PPK melakukan ...", "Pengguna layanan menentukan")."""
    words = b.text.split()
    if len(words) < min_words or _waktu(b.text) or _LABEL.match(b.text):
        return False
    if _verb_first(b.text):
        return True
    if any(_active_verb(re.sub(r"[^\w]", "", w).lower()) for w in words[1:3]):
        return True
    # a longer subject: a jabatan and its unit ("Kepala Bagian Kepegawaian merekapitulasi")
    for k in range(3, min(6, len(words))):
        if not words[k - 1][:1].isupper():
            break
        if _active_verb(re.sub(r"[^\w]", "", words[k]).lower()):
            return _jabatan(" ".join(words[:k]))
    return False


def _active_verb(word: str) -> bool:
    """A verb that makes its subject the actor: after a noun, a ter- word is a state ("Data
    terverifikasi", an Output) and a di- word without a suffix rarely a predicate."""
    if not is_verb(word) or word.startswith("ter"):
        return False
    return not word.startswith("di") or word.endswith(("kan", "i", "nya"))


def _holds_number(b: _Block) -> bool:
    """A block with a step number on a line of its own; not a Waktu broken after its
    number ("2" / "menit/berkas")."""
    return any(_NUMBER.match(x) for x in b.lines) and not (len(b.lines) > 1 and _waktu(b.text))


def _labels(b: _Block) -> bool:
    """A block of branch labels beside a diamond ("Tidak", "Sesuai?"), maybe with the
    letter of an off-page connector drawn next to them ("Tidak" / "E"), or that letter
    alone."""
    return all(_LABEL.match(x) or _CONNECTOR.match(x) for x in b.lines)
