"""Words of OCR text: jabatan spelt by OCR, garbled pieces, capitals and row starts."""

from __future__ import annotations

import difflib
import re

from converters.reading.readers.ocr import waktu
from converters.reading.vocabulary import (
    NO_LABELS,
    WAKTU_VALUE,
    YES_LABELS,
    column_head_words,
    is_verb,
)

ROW_START = re.compile(r"^\s*(\d{1,2})\s*(?:\.\s*\|?|[(\[]?\|)\s*(.*)$")
"""A row's number and its rule ("3 |", "3. |"), the rule read twice at low resolution
("12 (| Sekretaris ...": a bracket and a bar)."""
_BARE_START = re.compile(
    r"^\s*(\d{1,2})[”“’‘\"']?\s+"
    r"(?:[Il\]!](?=[A-Z][a-z])|[({\[](?=[A-Z])|1\s+(?=[A-Z][\w-])|1(?=[A-Z]{2}\b))?"
    r"([A-Z][\w-]*.*)$")
"""A row's number followed by its Capitalised activity with no rule between them: Tesseract
drops the table's vertical rule, or reads it as a letter glued to the word ("3 IMencetak",
"2 (PPK mengarsipkan"), or at low resolution as a "1", apart or glued to an acronym ("4 1
Menelaah", "7 1JF menyusun"): no step number is followed by a second number and then the
activity. A tick of the rule may stick to the number as a quote ("5“ Menginput")."""
_GLUED_ONE = re.compile(r"^\s*(\d{1,2})\s+1([A-Z][a-z][\w-]*\s.*)$")
"""The same "1" glued to a Capitalised word that is the activity's subject ("4 1Bendahara
mendistribusikan"): a row only when a verb follows the subject (:func:`row_start`)."""


_RULED_VERB = re.compile(r"^\s*(\d{1,2})\s+([|Il1J(\[]\S+)(.*)$")
"""A row's number, then its activity's verb with the rule glued before it as a stroke and
the verb's "M" misread ("5 1Wemeriksa", "7 1Wemverifikasi"): the verb mended is the row's
(:func:`mend_verb`)."""
_OPENING_EDGE = re.compile(r"^[(\[{](?=[A-Z][\w/]{2})")
"""The left edge of the first symbol read as a bracket glued to the activity's subject
("1. (Panitia Seleksi membuat ...", "(PA/KPA menyerahkan"): a remnant no word begins with."""


_CAPITAL_M_READ = re.compile(
    r"^[|Il1J(\[]?(?:I?ht|[NP]ht|[bm]t|It|lh|Ih|h|W|(?<=^)I)(?=e[mn][a-z]{3,}$|e[lrwy][a-z]{4,}$)")
"""The capital "M" of an activity's verb as low resolution reads it, with the rule before it:
"ht", "Iht", "Ih", "h" or "W" ("htemeriksa", "Ihtenginput", "hemverifikasi", "Wenyusun"),
a stroke letter before the "t" it became ("Nhtemeriksa", "btengagendakan", "Itenyampaikan"),
or lost with only the rule left of it ("Iemverifikasi", "Iengagendakan"); before a meN-
verb's "em"/"en" or its "me-" before l, r, w, y ("herekapitulasi", "htemarf"). The rule may
be read as a "1" or a "J" too ("1Wemarar", "JWemeriksa" at 150 dpi)."""


def mend_verb(word: str) -> str:
    """``word`` with the "M" of its meN- verb back ("htemeriksa" → "Memeriksa"), when that
    spells a verb; any other word as it is."""
    m = _CAPITAL_M_READ.match(word)
    if not m:
        return word
    fixed = "M" + word[m.end() :]
    return fixed if is_verb(fixed.lower()) else word


_CONDITION_READ = re.compile(
    r"(?<=[,;:!.] )(?:[ijlI1|]ka|[jJ][il1|!]?ka|[jJ]ik[a-z]?)(?= [a-z])")
"""The "jika" of a decision's second clause as low resolution reads it after the clause's
comma ("ika tidak", "Jka sesuai", "jlka ada", "jik tidak"; its "j" lost and the "i" read as
the capital "I" its stroke is, "Ika tidak"): a short word of "j", "i" and "ka" letters after
a comma and before a lower-case word is no other word of an activity."""
_J_CONDITION_READ = re.compile(r"(?<![\w|])[jJ][Il1|!iK]?[kK]a(?![\w|])")
"""The same "jika" anywhere when it keeps its "j" and its "ka" ("Jka ya", "jka ada",
"JKa", "JIka"): no other word is spelt so, so no comma need stand before it."""


_NEGATIVE_CONDITION_READ = re.compile(
    r"(?<!\S)(?:[ijlI1|]ka|[jJ][il1|!]?ka)(?= t[a-z1|!]?[di]?ak\b)"
)
"""The same "jika" where the comma before it was lost too, before the no-branch's "tidak"
("Staf jka tidak", "Draf Surat ika tdak", "Ika tdak"), or where it opens a line: the
no-branch wrapped onto the row's next line ("..., jika sesuai diteruskan kepada X," /
"ika tidak sesuai ...")."""


_GLUED_NEGATIVE = re.compile(r"\b([jJ][il1|!]?ka)(?=t[a-z]?[di]?ak\b)")
"""The same "jika" with the space before "tidak" lost ("jikatidak lengkap"): no word is
"jika" and "tidak" in one."""


_BRANCH_WORDS = "|".join(sorted({w for label in YES_LABELS | NO_LABELS for w in label.split()
                                 if len(w) > 2}, key=len, reverse=True))
_CUT_CONDITION = re.compile(
    rf"(?:(?<=[:,;] )ka|(?<=\s)ika(?=.*\bjika\b))(?= (?:{_BRANCH_WORDS})\b)")
"""The "jika" of a clause cut short: "ka" after the colon or comma that opens the clause
("ka setuju"; a named branch below), or "ika" with no comma before it where another clause
of the decision follows ("surat undangan ika setuju ..., jika tidak setuju ...")."""
_CUT_NEGATIVE = re.compile(rf"(?<=\bjika )dak(?= (?:{_BRANCH_WORDS})\b)")
"""The "tidak" of a no-branch with its "ti" lost ("jika dak setuju")."""
_NEGATIVE_READ = re.compile(r"(?<=\bjika )t(?:[l1|!]dak|dak|iak|idk|[l1|!]ak)(?![\w|!])")
"""The same "tidak" with its narrow "i" or "d" lost or read as a stroke ("jika tdak",
"jika tldak", "jika tiak"): after "jika" a word of those letters is the no-branch's "tidak",
which the reading of the branches must spell right to tell the no-branch."""
_NAMED_CONDITION = re.compile(r"(?<=: )ka(?= [a-z]{4,} (?:di[a-z]+kan|ke)\b)")
"""The same "ka" before a named branch and where it goes ("jenisnya: ka teknis diteruskan
ke langkah 22"): no word "ka" opens what a colon introduces."""


def mend_conditions(activity: str) -> str:
    """``activity`` with each misread "jika" of a clause written as "jika" again: the
    clause is how a decision's branches are read."""
    activity = _GLUED_NEGATIVE.sub("jika ", activity)
    activity = _NAMED_CONDITION.sub("jika", _CUT_CONDITION.sub("jika", activity))
    activity = _CUT_NEGATIVE.sub("tidak", activity)
    activity = _J_CONDITION_READ.sub(_jika, activity)
    activity = _NEGATIVE_CONDITION_READ.sub(_jika, _CONDITION_READ.sub("jika", activity))
    return _NEGATIVE_READ.sub("tidak", activity)


def _jika(m: re.Match[str]) -> str:
    """A misread "jika" spelt right; one spelt right already keeps its capital ("Jika
    tidak ..." opening a sentence of its own)."""
    return m[0] if m[0] in ("jika", "Jika") else "jika"


_WRAPPED_NEGATIVE = re.compile(r"(?<=^)(?:[ijlI1|]ka|[jJ][il1|!]?ka)(?= t[a-z1|!]?[di]?ak\b)")
"""A line that opens with the no-branch's misread "jika" ("ika tidak sesuai ...")."""


def mend_wrapped_negative(line: str) -> str:
    """``line`` with the misread "jika tidak" it opens with spelt right: the no-branch of a
    decision often wraps onto the row's next line (the yes-branch fills the first), and its
    "jika" there has no comma before it to be known by. Such a line is read with the row's
    other wrapped lines, before any activity is joined, so it is mended on its own; spelt
    right, it is known as the activity's sentence going on, not a cell."""
    if not _WRAPPED_NEGATIVE.match(line.lstrip()):
        return line
    line = line.lstrip()
    return _NEGATIVE_READ.sub("tidak", _WRAPPED_NEGATIVE.sub(_jika, line, count=1))


def row_start(line: str) -> tuple[int, str] | None:
    """The step number and the rest of a row's first line, or None. A wrapped Waktu ("2 Hari",
    "5 s.d 10 menit") is no row start."""
    if index_row(line):
        return None
    m = ROW_START.match(line)
    if m and not _labels_only(m.group(2)):
        return int(m.group(1)), _OPENING_EDGE.sub("", m.group(2))
    m = _RULED_VERB.match(line)
    if m and (verb := mend_verb(m.group(2))) != m.group(2):
        return int(m.group(1)), verb + m.group(3)
    m = _GLUED_ONE.match(line)
    if m and any(is_verb(w.lower()) for w in m.group(2).split()[1:SUBJECT_WORDS]):
        return int(m.group(1)), m.group(2)
    m = _BARE_START.match(line)
    if m and not WAKTU_VALUE.match(line.strip()) and not WAKTU_VALUE.match(
            line.strip()[len(m.group(1)):].strip()) and not _waktu_cell(m.group(2)) and (
            not _labels_only(m.group(2))):
        # nor "2 1 Hari" ("1 Hari" is a Waktu) nor "2 Hani", a Waktu cell of its own
        return int(m.group(1)), m.group(2)
    return None


SUBJECT_WORDS = 4
"""A performer named as an activity's subject is at most this many words long: the verb
comes among an activity's first this many words (a subject glued to the rule's "1" too)."""


def _labels_only(rest: str) -> bool:
    """Whether what follows a number is a diamond's branch labels alone ("7 Tidak fengkap",
    "5 | Tidak lengkap"): the page mode reads the diamond beside a row as a block of its
    own, an arrow's tip or the diamond's corner before it as a digit. A row's number opens
    its activity, which is never a bare answer."""
    words = [w for w in rest.split() if w != "|"]
    return bool(words) and not drop_labels(words)


def _waktu_cell(rest: str) -> bool:
    """Whether what follows a number is a time unit alone, as low resolution spells it
    ("Hani", "Menlt"): the number and the unit are a Waktu cell read on a line of its own."""
    words = rest.split()
    return len(words) == 1 and waktu.unit_word(words[0]) is not None


_DIGIT_LOOKALIKES: dict[str, str] = {
    **dict.fromkeys("TIli|!J[]", "1"), **dict.fromkeys("OoDQ", "0"), **dict.fromkeys("zZ", "2"),
    **dict.fromkeys("Ss", "5"), "G": "468", "b": "6", "g": "489", "B": "83", "a": "4", "A": "4",
    "@": "469", "&": "468", "e": "8", "E": "8",
}
"""Digits as Tesseract reads them from a small, faint number column at low resolution:
"1" as a stroke letter ("TO" for 10, "T2" for 12), "0" as a round one, "2" as "z", "4",
"6", "8" and "9" as "G", "g", "B", "8" as the "e" or "E" its loops make ("Te" for 18), a
closed digit as a sign ("@", "&": "& |memaraf" for 4). A letter may stand for more than
one digit."""
_MANGLED_RULED = re.compile(r"^\s*([\w\[\]!@&]{1,3})[”\"'’.,]?\s*[|(—]\s*(.*)$")
_MANGLED_BARE = re.compile(
    r"^\s*(\d[A-Za-z]|[A-Za-z]\d|\d\d)[”\"'’]\s*\|?\s*(.*)$"  # "26” Merekap", "1g” |"
    r"|^\s*(\d[A-Za-z])\s+([(\[]?[A-Za-z].*)$"  # "1g (Menelaah"
)
_MANGLED_LETTERS = re.compile(r"^\s*([A-Z&@][A-Za-z]?)\s+(?:[Il1J]\s*)?([A-Z][a-z]{4,}\b.*)$")
"""A number read as letters only, with no rule after it ("TO Memeriksa", "BI Menandatangani"
for 8 and its rule) or the rule read as an "I" or a "1", glued to the verb or apart ("G
IMemverifikasi" for 6, "TO 1 Menyusun", "& 1 Memeriksa" for 6, a closed digit read as a
sign): a number only before an activity's Capitalised meN- verb."""
_RULE_LETTERS = "Il|[(C"
"""What the rule after a number becomes when it is read glued to it ("BI", "GC")."""


def mangled_start(line: str) -> tuple[tuple[int, ...], str] | None:
    """The step numbers a row's first line may open with when OCR turned the number's digits
    into letters ("1g |", "z2 |", "TO |", "26” Merekap..."), and the rest of the line; None
    when the line opens no such way. Without the table's rule after it, the number must keep
    one digit: a short word before a "|" is a number only if every letter looks like one."""
    m = _MANGLED_RULED.match(line)
    token, rest = (m.group(1), m.group(2)) if m else ("", "")
    if not m or (token.isdigit() and len(token) < 3):
        b = _MANGLED_BARE.match(line)
        if not b:
            return _lettered(line)
        token, rest = (b.group(1), b.group(2)) if b.group(1) else (b.group(3), b.group(4))
    if len(token) > 2 and not token.isdigit():
        return None
    # three digits: a rule or a tick read as a digit beside the number ("286 |" for 26)
    tokens = [token[:k] + token[k + 1:] for k in range(3)] if len(token) > 2 else [token]
    numbers = set()
    for tok in tokens:
        numbers |= _readings(tok) if m or len(token) < 3 else set()
    if not numbers or (token.isdigit() and len(token) < 3 and m
                       and not _MANGLED_BARE.match(line)):
        return None
    found = tuple(sorted(n for n in numbers if n > 0))
    opens = re.match(r"[(\[]?[A-Za-z]", rest) and len(rest.split()) >= _MANGLED_MIN_WORDS
    return (found, rest) if found and opens else None


def _lettered(line: str) -> tuple[tuple[int, ...], str] | None:
    """A row opening with a number read as letters alone and its activity's verb (see
    :data:`_MANGLED_LETTERS`): the numbers the letters may stand for, with the rule's letter
    at the end or without it."""
    m = _MANGLED_LETTERS.match(line)
    if m is None or not is_verb(mend_verb(m.group(2).split()[0]).lower()):
        return None
    token = m.group(1)
    numbers = _readings(token)
    if len(token) > 1 and token[-1] in _RULE_LETTERS:
        numbers |= _readings(token[:-1])
    found = tuple(sorted(n for n in numbers if n > 0))
    return (found, m.group(2)) if found else None


_ALONE_LOOKALIKES: dict[str, str] = {"T": "7"}
"""Digits a letter stands for too when it is the whole number: a "7" read as the "T" its bar
makes ("T Menandatangani" for 7); as a tens digit the "T" is the thin "1" ("T2")."""


def _readings(token: str) -> set[int]:
    """The numbers a step number's characters may stand for (none if one is no digit's
    look-alike)."""
    if token in _ALONE_LOOKALIKES:
        return {int(d) for d in _DIGIT_LOOKALIKES[token] + _ALONE_LOOKALIKES[token]}
    options = [[ch] if ch.isdigit() else list(_DIGIT_LOOKALIKES.get(ch, "")) for ch in token]
    if not all(options):
        return set()
    numbers = {0}
    for opts in options:
        numbers = {n * 10 + int(d) for n in numbers for d in opts}
    return numbers


_MANGLED_MIN_WORDS = 3
"""A row's first line after a mangled number holds its activity's first words, not a
label or a remnant ("T | —", "Tidak | Ya")."""


_WORD = re.compile(r"^[(\"'“‘\[]?([A-Za-z]{3,})[)\"'”’\].,:;/!?]*$")


def debris_line(line: str) -> bool:
    """Most of the line's tokens with letters are no word: too short, or letters mixed
    with digits and signs in a way no word is written (a row OCR could not read, level with
    a flowchart symbol: "Ma mp Lol Ka Mono")."""
    tokens = [t for t in line.split() if re.search(r"[A-Za-z]", t)]
    return not tokens or 2 * sum(map(_word, tokens)) < len(tokens)


def _word(token: str) -> bool:
    m = _WORD.match(token)
    if not m:
        return False
    w = m.group(1)
    return w.islower() or w.istitle() or (w.isupper() and len(w) <= 6)


INDEX_ROW = re.compile(r"^\s*(?:\(?\d{1,2}\)?\s+){3,}\(?\d{1,2}\)?\s*$")
_INDEX_TOKENS = 6  # the column numbers under the titles: one per column, six at least
_INDEX_LETTERS = 3  # letters a column number read as signs and letters holds at most ("(eni)")


def index_row(line: str) -> bool:
    """The row of column numbers under the titles ("(1) (2) ... (13)"), also as low
    resolution garbles it ("(el 2 Ie) @ 8 & m (3) » (20) (1) (12)"): many short pieces,
    none holding a word's letters, most holding a digit, a bracket or a sign, some still a
    digit and a bracket. No row's line is made of such pieces (a row read as debris has
    letters and no brackets), and its first digit is no step number."""
    if INDEX_ROW.match(line):
        return True
    toks = line.split()
    if len(toks) < _INDEX_TOKENS or any(
            len(re.findall(r"[A-Za-z]", t)) > _INDEX_LETTERS for t in toks):
        return False
    signed = sum(1 for t in toks if re.search(r"[^A-Za-z]", t))
    digits = sum(1 for t in toks if re.search(r"\d", t))
    brackets = sum(1 for t in toks if re.search(r"[()]", t))
    return 2 * signed >= len(toks) and digits >= 2 and brackets >= 1
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
    # OCR damages letters, it does not drop a word's first syllable: "administrasi" is
    # running text, not "Pengadministrasi" (the "I;epala" of a damaged "K" is mended above)
    best = [h for h in difflib.get_close_matches(w, HEADS, n=1, cutoff=0.8) if h[0] == w[0]
            and not (w.startswith(h) and len(w) > len(h) + 1)]  # "Analisis" is no "Analis"
    if not best and w.endswith("t") and w[:-1] + "f" in HEADS:
        return w[:-1] + "f"  # "Stat": a final "f" read as "t" at low resolution
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


def spelt_label(word: str) -> str:
    """The label word (of :data:`YES_LABELS` / :data:`NO_LABELS`) that ``word`` spells as OCR
    read it, cut short or misspelt ("Tigak" and "Tiddk" for "tidak", "lengkg" for
    "lengkap"), or "" for none: the same tolerance as :func:`drop_labels`, naming the word."""
    w = word.strip("\"'(),.;:").lower()
    if w in _LABEL_WORDS:
        return w
    if len(w) >= 3:
        cut = [x for x in _LABEL_WORDS if len(x) >= 5 and x.startswith(w)]
        if len(cut) == 1:
            return cut[0]
    if len(w) >= 4:
        near = difflib.get_close_matches(w, _LABEL_WORDS, n=1, cutoff=0.75)
        if near and len(near[0]) >= 4:
            return near[0]
    return ""


def misspelt_label(word: str) -> bool:
    """A lower-case label word OCR misspelt ("etuju", "fetuju" for "setuju"): close to a label
    word of five letters or more, and no such word itself."""
    w = word.strip("\"'(),.;:")
    return (is_lower(w) and w.isalpha() and w.lower() not in _LABEL_WORDS
            and any(len(x) >= 5 for x in difflib.get_close_matches(
                w.lower(), _LABEL_WORDS, n=1, cutoff=_MISSPELT)))


_MISSPELT = 0.8


def _misread_label(word: str, after: list[str]) -> bool:
    """A label's first word misread beyond recognition ("HIIPK setuju" for "Tidak
    setuju"): letters in capitals that spell no word, or a label word shortened ("Tak
    sesuai"), before a lower-case label word."""
    return (len(word) >= 3 and word.isalpha() and (word.isupper() or _shortened_label(word))
            and bool(after) and is_lower(after[0]) and _label_word(after[0]))


def _shortened_label(word: str) -> bool:
    """A label word with letters lost from its middle ("Tak", "Tdk" for "Tidak"): its first
    and last letters kept, the others in order."""
    w = word.lower()
    return any(len(label) > len(w) and label[0] == w[0] and label[-1] == w[-1]
               and _in_order(w, label) for label in _LABEL_WORDS)


def _in_order(short: str, word: str) -> bool:
    letters = iter(word)
    return all(ch in letters for ch in short)


_TO_QUESTION = 2
"""Garbled words a diamond's label may leave before its question on one line."""


def drop_labels(words: list[str]) -> list[str]:
    """``words`` without the decision's branch labels and question that the diamond beside
    the row left in its line ("Tidak", "Tidak Ada", "Sesuai?"): a Mutu Baku cell never
    starts with a Capitalised label; a lower-case label word ("Berkas lengkap") stays."""
    out: list[str] = []
    in_label = False
    for k, w in enumerate(words):
        if w.endswith("?") or (is_cap(w) and _label_word(w)) or (
                is_cap(w) and _shortened_label(w) and _misread_label(w, words[k + 1 : k + 2])):
            in_label = True
            continue
        if in_label and is_lower(w) and _label_word(w):
            continue
        if in_label and is_lower(w) and is_lower(words[k + 1] if k + 1 < len(words) else "") \
                and _label_word(words[k + 1]):
            continue  # a two-word label's first word garbled ("Lengkap? denda etuju")
        if in_label and _misread_label(w, words[k + 1 : k + 2]):
            continue
        if in_label and any(x.endswith("?") for x in words[k + 1 : k + 1 + _TO_QUESTION]):
            continue  # the diamond's words garbled up to its question ("Tidak segju AG
            # gtap?"): the diamond stands left of the Mutu Baku cells, so nothing of a
            # cell comes between a label and the question
        in_label = False
        out.append(w)
    return out
