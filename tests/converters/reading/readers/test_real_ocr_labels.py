"""A diamond's label read between two rows, joined to the next row (issue 11, realocr).

In Tesseract's ``--psm 4`` text of a real signed SOP, a diamond whose "no" arrow leaves
sideways and whose "yes" arrow leaves downwards shows its "Tidak" among its own row's cells
and its "Ada" on a line of its own under the row; when the next row lost its number, that
line is joined to the next row's first line ("Ada Mengolah data ..."). The texts are made up
in that shape.
"""

from __future__ import annotations

from converters.reading.inference import infer
from converters.reading.raw import UNPLACED
from converters.reading.readers import ocr
from tests.support.ocr_text import OCR_HEADER, ocr_rows

BETWEEN = """\
1 Menerima berkas permohonan dari pemohon Formulir 1 jam Berkas diterima
2 Selesai melakukan pendataan lapangan Tidak Daftar sampel 1 hari Data terkumpul

Ada
Mengolah data hasil pendataan Data terkumpul 2 hari Tabel olahan
4 Menyusun laporan hasil pendataan Tabel olahan 1 hari Laporan
5 Mengirimkan laporan kepada Kadis Laporan 1 jam Laporan terkirim
"""


def test_an_answer_opening_the_next_row_completes_the_diamond_above() -> None:
    """Step 2 holds "Tidak", the row after it opens with "Ada" before its verb: step 2's
    diamond, and the label leaves the next row's activity."""
    rows = ocr_rows(BETWEEN)
    assert rows[1].marks == {UNPLACED: "Ada\nTidak"}
    assert rows[2].activity == "Mengolah data hasil pendataan"
    sop = infer(ocr.read(OCR_HEADER + BETWEEN))
    decisions = {s.number: s.decision.labels for s in sop.steps if s.decision}
    assert decisions == {2: ("Ada", "Tidak")}


def test_an_answer_alone_makes_no_diamond() -> None:
    """Without the other answer in the row above, "Ada" before a verb is no decision."""
    text = BETWEEN.replace(" Tidak Daftar", " Daftar")
    rows = ocr_rows(text)
    assert not any(r.marks for r in rows)


def test_an_answer_word_not_before_a_verb_stays_in_the_activity() -> None:
    """ "Ada" followed by no Capitalised verb is the activity's own word (a row whose
    activity opens "Ada perubahan ..."), not a label."""
    text = BETWEEN.replace("Ada\nMengolah data", "Ada perubahan data")
    rows = ocr_rows(text)
    assert not any(r.marks for r in rows)
