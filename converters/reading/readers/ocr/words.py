"""Words of OCR text: jabatan spelt by OCR, garbled pieces, capitals and row starts."""

from __future__ import annotations

import difflib
import re

from converters.reading.vocabulary import NO_LABELS, WAKTU_VALUE, YES_LABELS, column_head_words

ROW_START = re.compile(r"^\s*(\d{1,2})\s*(?:\.\s*\|?|\|)\s*(.*)$")
_BARE_START = re.compile(r"^\s*(\d{1,2})\s+(?:[Il\[\]!({](?=[A-Z][a-z]))?([A-Z][\w-]*.*)$")
"""A row's number followed by its Capitalised activity with no rule between them: Tesseract
drops the table's vertical rule, or reads it as a letter glued to the word ("3 IMencetak")."""


_OPENING_EDGE = re.compile(r"^[(\[{](?=[A-Z][\w/]{2})")
"""The left edge of the first symbol read as a bracket glued to the activity's subject
("1. (Panitia Seleksi membuat ...", "(PA/KPA menyerahkan"): a remnant no word begins with."""


def row_start(line: str) -> tuple[int, str] | None:
    """The step number and the rest of a row's first line, or None. A wrapped Waktu ("2 Hari",
    "5 s.d 10 menit") is no row start."""
    m = ROW_START.match(line)
    if m:
        return int(m.group(1)), _OPENING_EDGE.sub("", m.group(2))
    m = _BARE_START.match(line)
    if m and not WAKTU_VALUE.match(line.strip()):
        return int(m.group(1)), m.group(2)
    return None
INDEX_ROW = re.compile(r"^\s*(?:\(?\d{1,2}\)?\s+){3,}\(?\d{1,2}\)?\s*$")
CONNECTIVES = frozenset({"dan", "&", "/", "atau", "dengan", "serta"})

# Jabatan words that start a role column head (OCR spellings are matched by similarity).
HEADS = column_head_words()


def head_key(word: str) -> str | None:
    """The jabatan word ``word`` spells, allowing OCR damage ("I;epala" → "kepala")."""
    w = word.lower()
    w = re.sub(r"^(i;|l<|i<|1<|\|<)", "k", w)
    w = re.sub(r"[^a-z/]", "", w)
    if len(w) < 3:
        return w if w in ("jf", "jp", "pa") else None
    if w in HEADS:
        return w
    if w.endswith("an") and w[:-2] in HEADS:
        return None  # the unit's name, not its jabatan: "Perencanaan", not "Perencana"
    best = difflib.get_close_matches(w, HEADS, n=1, cutoff=0.8)
    return best[0] if best else None


def garbled(word: str) -> bool:
    if word.lower() in CONNECTIVES:
        return False
    if re.search(r"[^A-Za-z/&.,()'-]", word):
        return True
    letters = re.sub(r"[^A-Za-z]", "", word)
    return len(letters) <= 2 and not word.isdigit()


def is_lower(word: str) -> bool:
    w = word.strip("\"'(),.;:")
    return bool(w) and w[0].islower()


def is_cap(word: str) -> bool:
    w = word.strip("\"'(),.;:")
    return bool(w) and w[0].isupper()


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w/]+", " ", text.lower()).split())


def join_parts(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()


_LABEL_WORDS = tuple(sorted({w for label in YES_LABELS | NO_LABELS for w in label.split()}))


def _label_word(word: str) -> bool:
    w = word.strip("\"'(),.;:").lower()
    if w in _LABEL_WORDS:
        return True
    if len(w) >= 3 and any(len(label) >= 5 and label.startswith(w) for label in _LABEL_WORDS):
        return True  # a label cut short by the diamond's edge ("Tid", "Setu")
    if len(w) >= 4:  # OCR spellings of "tidak" ("Tidaj", "Tidhk", "Tida")
        near = difflib.get_close_matches(w, _LABEL_WORDS, n=1, cutoff=0.75)
        return bool(near) and len(near[0]) >= 4
    return False


def _misread_label(word: str, after: list[str]) -> bool:
    """A label's first word misread beyond recognition ("HIIPK setuju" for "Tidak
    setuju"): letters in capitals that spell no word, before a lower-case label word."""
    return (len(word) >= 3 and word.isupper() and word.isalpha() and bool(after)
            and is_lower(after[0]) and _label_word(after[0]))


def drop_labels(words: list[str]) -> list[str]:
    """``words`` without the decision's branch labels and question that the diamond beside
    the row left in its line ("Tidak", "Tidak Ada", "Sesuai?"): a Mutu Baku cell never
    starts with a Capitalised label; a lower-case label word ("Berkas lengkap") stays."""
    out: list[str] = []
    in_label = False
    for k, w in enumerate(words):
        if w.endswith("?") or (is_cap(w) and _label_word(w)):
            in_label = True
            continue
        if in_label and is_lower(w) and _label_word(w):
            continue
        if in_label and _misread_label(w, words[k + 1 : k + 2]):
            continue
        in_label = False
        out.append(w)
    return out
