"""Decisions stated by the drawing alone, in OCR text (issue 11).

Many signed SOPs write a checking step's row as "Memeriksa berkas permohonan" and leave the
decision to the flowchart: the diamond and the labels on its arrows. Tesseract reads those
labels as lone words on the row's wrapped lines, often damaged by the arrow drawn through
them ("Tiddk setuju", "Tigak lengkap", "(Tidak"), sometimes one of them lost altogether. The
texts are short and made up, in the shape ``tesseract --psm 4`` gives of such a table; each
rule is checked beside a text it must leave alone.
"""

from __future__ import annotations

from converters.reading.inference import infer
from converters.reading.raw import UNPLACED
from converters.reading.readers import ocr
from converters.reading.readers.ocr.words import spelt_label

HEAD = """\
SOP Pengelolaan Arsip Dinamis

Pelaksana Mutu Baku
No Kegiatan Keterangan
Kabid Kasi Staf Kelengkapan Waktu Output
"""


def _text(body: str) -> str:
    return HEAD + body


def _marks(text: str) -> list[dict[str, str]]:
    return [dict(r.marks) for r in ocr.read(text).rows]


def _decisions(text: str) -> dict[int, tuple[str, ...]]:
    sop = infer(ocr.read(text))
    return {s.number: s.decision.labels for s in sop.steps if s.decision}


GARBLED_NO = _text("""\
1 Menerima berkas usulan dari unit pengolah Berkas usulan 1 jam Berkas diterima
2 Memeriksa berkas usulan Berkas usulan 2 jam Paraf
Setuju
Tiddk setuju
3 Menyusun daftar arsip yang diusulkan Daftar arsip 1 Hari Daftar arsip
""")


def test_a_no_label_the_arrow_garbled_is_read_as_the_label_it_spells():
    """ "Tiddk setuju" on a line of its own is the no label "Tidak setuju", not lost: both
    answers go to the checking step."""
    assert _marks(GARBLED_NO)[1] == {UNPLACED: "Setuju\nTidak setuju"}
    decisions = _decisions(GARBLED_NO)
    assert list(decisions) == [2] and decisions[2][0] == "Setuju"


def test_label_spellings():
    assert spelt_label("Tigak") == "tidak"
    assert spelt_label("lengkg") == "lengkap"
    assert spelt_label("Keuangan") == ""
    assert spelt_label("Arsip") == ""


def test_a_cell_line_that_spells_no_label_stays_a_cell():
    """A wrapped Mutu Baku line ("Tindak lanjut") is not a garbled "Tidak"."""
    text = _text("""\
1 Menerima berkas usulan dari unit pengolah Berkas usulan 1 jam Berkas diterima
2 Memeriksa berkas usulan Berkas usulan 2 jam Laporan
Tindak lanjut
3 Menyusun daftar arsip yang diusulkan Daftar arsip 1 Hari Daftar arsip
""")
    assert _marks(text) == [{}, {}, {}]
    assert _decisions(text) == {}


TWO_CHECKS = _text("""\
1 Menerima berkas usulan dari unit pengolah Berkas usulan 1 jam Berkas diterima
2 Memeriksa berkas usulan Berkas usulan 2 jam Paraf
ldal
Lengkap
3 Memeriksa daftar arsip Daftar arsip 1 Hari Paraf
Tidak dokumen
Ya
4 Menyusun daftar arsip yang diusulkan Daftar arsip 1 Hari Daftar arsip
""")


def test_a_step_with_both_answers_in_its_row_keeps_them():
    """Step 3 holds both its answers; step 2 lost its "Tidak" to the arrow ("ldal"). Step 2
    must not take step 3's "Tidak": step 3 takes its pair first, step 2 keeps its own
    "Lengkap" alone."""
    marks = _marks(TWO_CHECKS)
    assert marks[2] == {UNPLACED: "Ya\nTidak"}
    assert marks[1] == {UNPLACED: "Lengkap"}
    assert _decisions(TWO_CHECKS) == {2: ("Lengkap", "Tidak lengkap"), 3: ("Ya", "Tidak")}


ONE_ANSWER = _text("""\
1 Menerima berkas usulan dari unit pengolah Berkas usulan 1 jam Berkas diterima
2 Memeriksa berkas usulan Berkas usulan 2 jam Paraf
Lengkap?
Y
3 Menyusun daftar arsip yang diusulkan Daftar arsip 1 Hari Daftar arsip
""")


def test_a_check_that_kept_one_answer_beside_its_question_is_a_decision():
    assert _marks(ONE_ANSWER)[1] == {UNPLACED: "Y"}
    assert _decisions(ONE_ANSWER) == {2: ("Y", "T")}


def test_a_lone_letter_without_a_question_is_no_answer():
    """A "Y" alone on a checking step's line, no question beside it: as often what OCR makes
    of an arrow's junction; no decision."""
    text = ONE_ANSWER.replace("Lengkap?\n", "")
    assert _marks(text) == [{}, {}, {}]
    assert _decisions(text) == {}


def test_a_lone_answer_beside_no_checking_step_stays_unplaced():
    text = ONE_ANSWER.replace("Memeriksa berkas usulan", "Mengirim berkas usulan").replace(
        "Lengkap?\nY", "Ada")
    assert _decisions(text) == {}


MISSPELT_NEIGHBOURS = _text("""\
1 Menerima berkas usulan dari unit pengolah Berkas usulan 1 jam Berkas diterima
2 Melengkapi berkas usulan yang kurang Tidat Berkas usulan 1 Hari Berkas lengkap
3 Memeriksa berkas usulan Sesuai? Berkas usulan 2 jam Paraf
4 Menyusun daftar arsip yang diusulkan —-Ya Daftar arsip 1 Hari Daftar arsip
""")


def test_a_no_label_with_one_letter_misread_is_the_no_label():
    """ "Tidat" in the row above the check is its "Tidak" with one letter misread."""
    assert _marks(MISSPELT_NEIGHBOURS)[2] == {UNPLACED: "Ya\nTidak"}
    assert _decisions(MISSPELT_NEIGHBOURS) == {3: ("Ya", "Tidak")}


def test_a_word_more_than_one_letter_from_the_no_label_is_no_label():
    text = MISSPELT_NEIGHBOURS.replace("Tidat", "Tindak")
    assert _marks(text)[2] == {}


QUESTION_BELOW = _text("""\
1 Menerima berkas usulan dari unit pengolah Berkas usulan 1 jam Berkas diterima
2 Menerima dan memeriksa daftar arsip dari unit pengolah T Daftar arsip 1 Hari Arsip
3 Memeriksa berkas usulan Berkas usulan 2 jam Paraf
Setuju?
Y
4 Menyusun daftar arsip yang diusulkan Daftar arsip 1 Hari Daftar arsip
""")


def test_of_two_checks_with_one_answer_each_the_one_asking_the_question_takes_the_pair():
    """Step 2 holds a "T", step 3 a "Y" beside the diamond's question: the diamond is step
    3's, the "T" above it its no arrow's label; step 2 is no decision."""
    marks = _marks(QUESTION_BELOW)
    assert marks[2] == {UNPLACED: "Y\nT"} and marks[1] == {}
    assert _decisions(QUESTION_BELOW) == {3: ("Y", "T")}
