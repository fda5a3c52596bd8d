"""Clues in one activity text: who acts, who acts next, and where a decision branches.

Inference (:mod:`converters.reading.inference`) chooses each step's role for the whole sequence, but
the clues it weighs come from reading single sentences the way a careful person reads an SOP:

* an explicit subject: "Kepala Dinas menandatangani ...", "... oleh Kaban";
* a handover: "... diserahkan ke Kepala Dinas", "melaporkannya kepada Sesdep", "mengajukan
  Pengadministrasian Umum untuk ..." — the named role acts in the *next* step;
* an instruction: "memberikan arahan kepada Kabag", "Menugaskan staf" — the actor is a superior
  of the one instructed (who then acts next);
* a source: "Menerima ... dari X" — X acted in the previous step;
* clerical verbs (mengagendakan, mengarsipkan, menggandakan, mengetik, mengirim...) that point
  to a staff column, and signing verbs that point to the top;
* decision branches: "jika setuju ... jika tidak setuju dikembalikan kepada X", "jika ada
  perbaikan ... disampaikan kembali ke X", "jika benar maka ...".

This module only reads; it decides nothing about the sequence.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from converters.model import END, StepRef
from converters.reading.roles import Mention, RoleBook, normalize
from converters.reading.vocabulary import (
    CONDITION_WORDS,
    CORRECTING_WORDS,
    HANDOVER_WORDS,
    NO_LABELS,
    ORDERING_VERBS,
    SIGNING_VERBS,
    YES_LABELS,
    is_verb,
    word_regex,
)

_INSTRUCTION_VERBS = re.compile(
    r"^(?:menugaskan|menugaskannya|menginstruksikan|memerintahkan|memerintahkannya|"
    r"mendisposisikan|mendisposisi|mengajukan|meminta|memberi|memberikan|menunjuk|"
    r"mengarahkan)$"
)
_DIRECT_HANDOVER_VERBS = re.compile(r"^(?:mengajukan|meminta|menugaskan|menginstruksikan|"
                                    r"memerintahkan|menunjuk|mengarahkan)$")
_NON_HANDOVER_VERBS = re.compile(r"^(?:mengundang|diundang|berkoordinasi|koordinasi|"
                                 r"berkonsultasi|konsultasi|bersama)$")
_CLERICAL = re.compile(
    r"\b(mengagendakan|diagendakan|mengagenda|agenda|mengarsip\w*|diarsip\w*|pengarsipan|"
    r"menggandakan|digandakan|penggandaan|mengetik|diketik|pengetikan|mengirim\w*|dikirim\w*|"
    r"pengiriman|mengantar\w*|diantar\w*|mencetak|dicetak|memfotokopi|difotokopi|menscan|"
    r"memindai|menginput|menginputkan|mencatat|dicatat|pencatatan|penomoran|menomori|"
    r"menyimpan|disimpan|menggandakannya|mendistribusikan|didistribusikan|mengemas)\b"
)
_LEADER = word_regex(SIGNING_VERBS + ORDERING_VERBS)
_DRAFTING = re.compile(
    r"^(?:membuat|menyusun|menyiapkan|mengumpulkan|menghimpun|merekap\w*|mengolah|"
    r"menginventarisasi|menganalisis|menginput|mengisi|mendata)$"
)
_ORDERING = word_regex(ORDERING_VERBS)
_REVIEW = re.compile(
    r"^(?:meneliti|memeriksa|mengoreksi|memverifikasi|mengevaluasi|menelaah|mereview|"
    r"mengecek|menilai|mencermati)$"
)
_CLAUSE = re.compile(r"\b(?:" + "|".join(sorted(CONDITION_WORDS, key=len, reverse=True)) + r")\b")
_NEGATIVE = re.compile(
    r"\b(?:tidak|belum|perbaikan|revisi|salah|ditolak|menolak|kurang|keliru|koreksi|"
    r"dikembalikan|kembali)\b"
)
_STEP_REF = re.compile(r"\b(?:langkah|nomor|no|kegiatan|tahap|prosedur|butir)\s*(\d{1,3})\b")
STEP_REFERENCE = _STEP_REF
"""A step named by its number ("kembali ke langkah 7"); readers use it to keep a number that
wrapped onto the next line with its sentence."""
_END_WORDS = re.compile(r"\b(?:selesai|berakhir|dihentikan|ditutup|proses berhenti)\b")
_CONSEQUENCE = re.compile(
    r"\b(?:dikembalikan|kembali|ditolak|menolak|diperbaiki|memperbaiki|perbaikan|dikoreksi|"
    r"diulang|mengulang|dibatalkan|diteruskan|dilanjutkan|lanjut|selesai|berakhir|berhenti|"
    r"dihentikan|ditutup)\b"
)
_YES = YES_LABELS
_NO = NO_LABELS


@dataclass(frozen=True)
class Branch:
    """One "jika ..." clause of a decision."""

    condition: str  # "setuju", "tidak setuju", "ada perbaikan", "teknis"
    negative: bool
    text: str  # the whole clause
    role: Mention | None = None  # "dikembalikan kepada X" / "diteruskan ke X"
    target: StepRef | None = None  # an explicit "ke langkah 9" or "selesai"

    @property
    def goes_somewhere(self) -> bool:
        """The clause says what becomes of the work (returned, mended, refused, ended, sent
        to someone or to a step): a branch. "jika tidak ada sanggahan" alone only states when
        the step happens."""
        return (self.role is not None or self.target is not None
                or bool(_CONSEQUENCE.search(self.text)))


@dataclass(frozen=True)
class Clues:
    """Everything one activity says about its actor and its links to its neighbours."""

    subjects: tuple[tuple[Mention, float, str], ...] = ()
    handovers: tuple[Mention, ...] = ()  # these act next
    instructed: tuple[Mention, ...] = ()  # the actor is their superior
    received_from: tuple[Mention, ...] = ()  # these acted before
    not_actor: tuple[Mention, ...] = ()  # named as someone else (targets, sources)
    clerical: str = ""  # the clerical verb found
    leader: str = ""  # the signing / instructing verb found
    branches: tuple[Branch, ...] = ()
    drafting: str = ""  # a preparing verb near the start (membuat, menyusun...): staff work
    ordering: str = ""  # the actor hands the work down (memerintahkan, menugaskan...)
    review: str = ""  # a checking verb near the start: the actor checks a subordinate's work
    unit_subject: tuple[str, ...] = field(default=())  # leading words naming a unit


_COND_STOP = frozenset({"maka", "akan", "lalu", "/", "lanjut", "langsung", "ke", "kepada",
                        "untuk", "proses", "kemudian", "segera", "harus", "perlu"})
_QUANTIFIERS = frozenset({"semua", "setiap", "masing", "seluruh", "para", "tiap", "sang"})


def _words_before(norm: str, pos: int, n: int = 3) -> list[str]:
    """The ``n`` words before ``pos``, skipping quantifiers ("ke semua bidang" → "ke")."""
    words = norm[:pos].split()
    while words and words[-1] in _QUANTIFIERS:
        words.pop()
    return words[-n:]


def _word_after(norm: str, pos: int) -> str:
    rest = norm[pos:].split()
    return rest[0] if rest else ""


def _branches(norm: str, book: RoleBook) -> tuple[Branch, ...]:
    parts = _CLAUSE.split(norm)
    if len(parts) < 2:
        return ()
    out: list[Branch] = []
    for clause in parts[1:]:
        clause = clause.strip()
        words = clause.split()
        cond: list[str] = []
        for w in words[:6]:
            if w in _COND_STOP or (cond and is_verb(w)):
                break
            cond.append(w)
        condition = " ".join(cond[:4])
        negative = bool(_NEGATIVE.search(condition)) or (
            not condition and bool(_NEGATIVE.search(clause))
        )
        role = None
        for m in book.mentions(clause):  # the role the work goes to: "... ke/kepada X",
            # or who mends it: "diperbaiki oleh X" (the rejected work returns to X)
            before = _words_before(clause, m.start, 2)
            if before[-1:] in (["ke"], ["kepada"]) or (
                    before[-1:] == ["oleh"] and CORRECTING_WORDS.match(before[0])):
                role = m
                break
        target: StepRef | None = None
        ref = _STEP_REF.search(clause)
        if ref:
            target = int(ref.group(1))
        elif _END_WORDS.search(clause):
            target = END
        out.append(Branch(condition, negative, clause, role, target))
    return tuple(out)


def read_clues(activity: str, book: RoleBook) -> Clues:
    """Read the clues of one activity against the header's columns.

    Steps: the decision branches; what each role mention says (subject, handover, source,
    object); the unit named before the first verb; the verbs of the actor's own clause.
    """
    norm = normalize(activity)
    branches = _branches(norm, book)
    first_clause_end = _CLAUSE.search(norm)
    main_end = first_clause_end.start() if first_clause_end else len(norm)
    found = _read_mentions(norm, book.mentions(activity), _reject_spans(norm))
    words = norm.split()
    # a clerical verb after a handover ("... ke Kasubbag untuk didistribusikan") is the next
    # actor's work, not this one's
    own_end = min([main_end] + [m.start for m in found.handovers])
    clerical = _CLERICAL.search(norm[:own_end])
    review = next((w for w in words[:4] if _REVIEW.match(w)), "")
    drafting = next((w for w in words[:2] if _DRAFTING.match(w)), "")
    ordering = _ORDERING.search(norm[:main_end])
    leader = _LEADER.search(norm[:main_end])
    return Clues(
        subjects=tuple(found.subjects),
        handovers=tuple(found.handovers),
        instructed=tuple(found.instructed),
        received_from=tuple(found.received),
        not_actor=tuple(found.not_actor),
        clerical=clerical.group(1) if clerical else "",
        leader=leader.group(1) if leader else "",
        branches=branches,
        review=review,
        drafting=drafting,
        ordering=ordering.group(1) if ordering else "",
        unit_subject=_unit_subject(words),
    )


@dataclass
class _MentionClues:
    """What the role mentions of one activity say, gathered while reading them in order."""

    subjects: list[tuple[Mention, float, str]] = field(default_factory=list)
    handovers: list[Mention] = field(default_factory=list)
    instructed: list[Mention] = field(default_factory=list)
    received: list[Mention] = field(default_factory=list)
    not_actor: list[Mention] = field(default_factory=list)


def _read_mentions(
    norm: str, mentions: list[Mention], reject_spans: list[tuple[int, int]]
) -> _MentionClues:
    """Classify every role mention by the words around it.

    Read in order because a mention joined to the one before it ("ke Kabag dan Kasubbag")
    takes that one's part: each step returns the mention the next one may join."""
    found = _MentionClues()
    prev_object: Mention | None = None
    for m in mentions:
        prev_object = _read_mention(norm, m, prev_object, reject_spans, found)
    return found


def _read_mention(
    norm: str,
    m: Mention,
    prev_object: Mention | None,
    reject_spans: list[tuple[int, int]],
    found: _MentionClues,
) -> Mention | None:
    """Record what mention ``m`` says in ``found``; return ``m`` when it is the object of a
    handover or instruction (a following "dan Y" shares its part), else None."""
    before = _words_before(norm, m.start, 3)
    after = _word_after(norm, m.end)
    last = before[-1] if before else ""
    in_reject = any(a <= m.start < b for a, b in reject_spans)
    joined = prev_object is not None and norm[prev_object.end : m.start].strip() in (
        "dan", "serta", "atau", "/", "dan atau")
    if last == "oleh" and "yang" in before[:-1]:
        found.not_actor.append(m)  # "... yang diberikan oleh X": X acts in a relative clause
    elif last == "oleh":
        found.subjects.append((m, 4.0, f"pelaku disebut: \u201coleh {m.text}\u201d"))
    elif (m.start == 0 or last in ("maka", "kemudian", "lalu", "selanjutnya")) and (
        is_verb(after)
    ):
        weight = 4.0 if m.start == 0 else 2.0
        found.subjects.append((m, weight, f"subjek kalimat: \u201c{m.text} {after}\u201d"))
    elif last == "dari" or (len(before) >= 2 and before[-2] == "dari"):
        found.received.append(m)
        found.not_actor.append(m)
    elif in_reject:
        found.not_actor.append(m)
    elif joined and prev_object is not None:
        if prev_object in found.handovers:
            found.handovers.append(m)
        if prev_object in found.instructed:
            found.instructed.append(m)
        found.not_actor.append(m)
        return m
    elif last in HANDOVER_WORDS or (last == "kembali" and len(before) >= 2):
        _read_hand_word(norm, m, before, found)
        return m
    elif last and _DIRECT_HANDOVER_VERBS.match(last):
        found.handovers.append(m)
        found.not_actor.append(m)
        if last not in ("mengajukan", "meminta"):
            found.instructed.append(m)
        return m
    elif is_verb(last) and not last.startswith("di"):
        found.not_actor.append(m)  # the object of the verb ("Mengundang Kaban"): not the actor
    return None


def _read_hand_word(norm: str, m: Mention, before: list[str], found: _MentionClues) -> None:
    """A mention after "ke"/"kepada": the work goes to it (it acts next), unless the verb is
    one of meeting or consulting; an instruction verb also makes the actor its superior."""
    verbs = [w for w in before[:-1] if is_verb(w)]
    clause_verbs = [w for w in norm[: m.start].split()[-8:] if is_verb(w)]
    if any(_NON_HANDOVER_VERBS.match(v) for v in clause_verbs[-1:]):
        found.not_actor.append(m)
        return
    found.handovers.append(m)
    found.not_actor.append(m)
    if any(v in ("arahan", "petunjuk", "disposisi") for v in before) or any(
        _INSTRUCTION_VERBS.match(v) and v not in ("memberi", "memberikan", "mengajukan", "meminta")
        for v in verbs
    ):
        found.instructed.append(m)


def _unit_subject(words: list[str]) -> tuple[str, ...]:
    """Up to three leading non-verb words right before the first verb ("Bagian Umum
    mengirimkan ..."): a unit named as the subject, which the role columns may not name."""
    if not words or is_verb(words[0]):
        return ()
    lead: list[str] = []
    for w in words[:4]:
        if is_verb(w):
            break
        lead.append(w)
    if 0 < len(lead) <= 3 and len(lead) < len(words) and is_verb(words[len(lead)]):
        return tuple(lead)
    return ()


def _reject_spans(norm: str) -> list[tuple[int, int]]:
    spans = []
    positions = [m.start() for m in _CLAUSE.finditer(norm)] + [len(norm)]
    for a, b in itertools.pairwise(positions):
        clause = norm[a:b]
        words = clause.split()[1:6]
        cond = " ".join(words)
        if _NEGATIVE.search(cond):
            spans.append((a, b))
    return spans


def split_label(text: str) -> tuple[str, str]:
    """Classify a mark: ("question", "Setuju?"), ("yes"|"no"|"label", word), ("arrow", "_<")
    for a remnant of a connecting line, or ("symbol", x) for a remnant of a box or diamond."""
    t = " ".join(text.split())
    low = t.lower().strip(" .:")
    if not t:
        return ("symbol", t)
    if t.endswith("?") and re.search(r"[A-Za-z]{2,}", t):
        return ("question", t)
    if low in _YES:
        return ("yes", t)
    if low in _NO or re.match(r"(?:tidak|belum|bukan)\s+[a-z]+$", low):
        return ("no", t)  # "Belum Benar", "Tidak Valid": a negated answer is the no branch
    if re.match(r"sudah\s+[a-z]+$", low):
        return ("yes", t)  # "Sudah Benar"
    if re.fullmatch(r"[A-Za-z][A-Za-z /]{2,}", t) and low not in ("v", "x"):
        return ("label", t)
    if re.fullmatch(r"[<>_\-|^~=.,:;'`\u2190-\u21ff\u2500-\u257f]+|\$?\\overline\{\}\$?", t):
        return ("arrow", t)  # a piece of a connecting line: near an actor, not one
    return ("symbol", t)


def states_decision(activity: str) -> bool:
    """Whether the activity states a decision in words: two conditions, one that says where
    the work goes when it fails, or one that names a branch label ("jika sesuai ..."). A
    condition that names no branch ("jika ditemukan barang rusak", "bila terdapat
    selisih") only says when the step happens: no decision of its own.

    Why here: every text reader that places floating yes/no labels must tell a step that
    decides in words (its labels are its own) from one that does not."""
    branches = read_clues(activity, _NO_BOOK).branches
    return len(branches) >= 2 or any(
        (b.negative and b.goes_somewhere) or split_label(b.condition)[0] in ("yes", "no")
        for b in branches
    )


_NO_BOOK = RoleBook(())


__all__ = ["Branch", "Clues", "is_verb", "read_clues", "split_label", "states_decision"]
