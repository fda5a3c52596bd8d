"""A viewer's copy of a signed SOP (``pdftotext -raw``, select-all and copy) gathers each
page's flowchart texts after the page's last row: the diamonds' questions, the connectors'
letters, then the label pairs in the drawing's order. Those pairs are the page's checking
steps', not the last row's. The texts are short and made up, in the shape the viewer's copy
gives; each rule is checked beside a text it must leave alone.
"""

from __future__ import annotations

from converters.reading.inference import infer
from converters.reading.raw import UNPLACED
from converters.reading.readers import ocr

TITLE = """\
STANDAR OPERASIONAL PROSEDUR
Nama SOP: Pengelolaan Arsip Dinamis
"""

TABLE_HEAD = """\
No Kegiatan
Pelaksana
Kabid Kasi Staf
Mutu Baku
Kelengkapan Waktu Output
Keterangan
(1) (2) (3) (4) (5) (6) (7) (8)
"""

HEAD = TITLE + TABLE_HEAD

PAGE_ONE = """\
1 Menerima berkas usulan, kemudian diserahkan kepada Kasi Berkas usulan 1 jam Berkas
2 Meneliti berkas usulan Berkas usulan 2 jam Paraf
3 Menyusun daftar arsip yang diusulkan Daftar arsip 1 Hari Daftar arsip
4 Mengevaluasi daftar arsip Daftar arsip 1 Hari Paraf
5 Mengirim daftar arsip kepada unit kearsipan Daftar arsip 1 jam Surat
"""

GATHERED = """\
Benar?
Valid?
A
Benar
Tidak benar
Valid
Tidak valid
"""

PAGE_TWO = """\
6 Mencatat daftar arsip dalam buku register Buku register 1 jam Register
"""


def _marks(text: str) -> dict[int, str]:
    return {r.number or 0: r.marks.get(UNPLACED, "") for r in ocr.read(text).rows}


def _decisions(text: str) -> dict[int, tuple[str, ...]]:
    sop = infer(ocr.read(text))
    return {s.number: s.decision.labels for s in sop.steps if s.decision}


def test_labels_gathered_at_a_page_end_go_to_the_pages_checking_steps():
    """The two pairs after row 5 belong to the page's two checking steps, in order; the row
    they follow hands its work on and decides nothing."""
    text = HEAD + PAGE_ONE + GATHERED + "\f" + TABLE_HEAD + PAGE_TWO
    marks = _marks(text)
    assert marks[2] == "Benar\nTidak benar"
    assert marks[4] == "Valid\nTidak valid"
    assert marks[5] == "" and marks[6] == ""
    # the branches carry the drawn words, not "Ya" / "Tidak"
    assert _decisions(text) == {2: ("Benar", "Tidak benar"), 4: ("Valid", "Tidak valid")}


def test_at_the_texts_end_too():
    text = HEAD + PAGE_ONE + GATHERED
    assert sorted(_decisions(text)) == [2, 4]


def test_a_run_inside_a_page_is_left_to_the_rows_beside_it():
    """The same lines in the middle of a page (another row follows on the page) are no
    gathered drawing: the checking steps far from them get nothing."""
    text = HEAD + PAGE_ONE + GATHERED + PAGE_TWO
    marks = _marks(text)
    assert marks[2] == ""


def test_a_lone_pair_no_label_first_is_ocrs_reading_of_the_diamond_beside_it():
    """OCR reads a diamond's labels by height, the no label level with it first: a pair so
    at a page's end is the last row's neighbour's, not handed to a check further up."""
    text = HEAD + PAGE_ONE + "Tidak benar\nBenar\n"
    assert _marks(text)[2] == ""


def test_a_document_that_writes_its_decisions_is_left_alone():
    worded = PAGE_ONE.replace(
        "2 Meneliti berkas usulan Berkas", "2 Meneliti berkas usulan, jika benar lanjut ke "
        "langkah 3, jika tidak benar kembali ke langkah 1 Berkas")
    text = HEAD + worded + GATHERED
    assert _marks(text)[4] == ""


def test_the_pair_goes_to_the_check_that_says_least():
    """One pair, two checking steps: the one that only names what it checks is the
    diamond's row; the one that goes on to say how checks in words."""
    page = """\
1 Meneliti berkas usulan melalui aplikasi sesuai dengan ketentuan Berkas usulan 2 jam Paraf
2 Meneliti daftar arsip Daftar arsip 1 Hari Paraf
3 Mengirim daftar arsip Daftar arsip 1 jam Surat
"""
    text = HEAD + page + "Benar?\nBenar\nTidak benar\n"
    assert sorted(_decisions(text)) == [2]
