"""Row numbers and decision clauses as Tesseract damages them at 150 dpi (issue 11).

Two kinds of damage cost the most steps and branch targets on generated tables read at 150 dpi:
a row's number read as look-alike letters, a number from elsewhere in the sequence or lost
with only the rule or a letter left of it (the row then merges into the row above and every
later number shifts, so a decision's "kembali ke langkah N" points at the wrong row), and a
decision's clauses broken ("Jka ya ...", "Ika tdak ...", the second clause read below the
row's cells, the diamond's question read above the row, its labels garbled between
"kepada" and the role). The texts are made up in those shapes, not copied from a document.
"""

from __future__ import annotations

from converters.reading.inference import infer
from converters.reading.readers import ocr
from converters.reading.readers.ocr.words import mend_conditions
from tests.support.ocr_text import OCR_HEADER


def _read(body: str) -> tuple[list[int | None], dict[int, tuple[object, object]]]:
    raw = ocr.read(OCR_HEADER + body)
    sop = infer(raw)
    return (
        [r.number for r in raw.rows],
        {s.number: (s.decision.approve_to, s.decision.reject_to) for s in sop.steps if s.decision},
    )


def _rows(first: int, last: int) -> str:
    """Plain rows ``first``..``last`` (numbers read well) with their cells."""
    return "".join(
        f"{n} | Staf mengagendakan surat masuk nomor {n} Buku agenda 1 jam Arsip\n"
        for n in range(first, last + 1)
    )


# -- numbers ----------------------------------------------------------------------------------

THIRTEEN_READ_TS = (
    _rows(1, 12)
    + """\
TS Mengarsipkan notulen rapat untuk dibahas bersama tim Buku agenda 1 jam Arsip
TA Kabid mengoreksi rencana kerja anggaran Buku agenda 1 jam Arsip
T5 | Mencetak konsep surat keluar Buku agenda 1 jam Arsip
TG | Memeriksa surat keluar: jika lengkap diteruskan kepada Staf, Buku agenda 1 jam Arsip
jika tidak lengkap kembali ke langkah 13
"""
)


def test_letters_read_ahead_of_the_row_below_keep_their_place() -> None:
    """ "TS" after 12 reads 15 (an "S" for "5"), but "TA" below it reads 14: "TS" stands for
    13 (its "3" read as "S"), and the decision after them goes back to the right row."""
    sop = infer(ocr.read(OCR_HEADER + THIRTEEN_READ_TS))
    assert [s.activity.split()[0] for s in sop.steps[12:]] == [
        "Mengarsipkan",
        "TA",
        "Mencetak",
        "Memeriksa",
    ]
    assert sop.steps[15].decision is not None and sop.steps[15].decision.reject_to == 13


NUMBER_FROM_BEHIND = (
    _rows(1, 22)
    + """\
23 | Memeriksa daftar hadir: jika ya diteruskan kepada Kabid, Buku agenda 1 jam Arsip
jika tidak kembali ke langkah 21
22 | Memeriksa rencana kerja anggaran: jika ada diteruskan kepada Kabid, Buku agenda 1 jam Arsip
jika tidak ada kembali ke langkah 22
25 | Mengagendakan usulan kegiatan Buku agenda 1 jam Arsip
"""
)


def test_a_number_behind_the_sequence_between_its_neighbours_is_the_missing_one() -> None:
    """ "22 | Memeriksa" between 23 and 25 is 24 misread: it opens a row with its verb, and
    the rows around it leave only 24 free."""
    numbers, targets = _read(NUMBER_FROM_BEHIND)
    assert numbers[22:] == [23, 24, 25]
    assert targets[24] == (25, 22)


LETTERS_READ_AHEAD = (
    _rows(1, 14)
    + """\
TB Memaraf usulan kegiatan sesuai dengan ketentuan Buku agenda 1 jam Arsip
TG Kabid mendistribusikan notulen rapat melalui aplikasi Buku agenda 1 jam Arsip
T7 | Staf menerima dan memeriksa surat masuk Buku agenda 1 jam Arsip
TB Mencetak laporan realisasi anggaran Buku agenda 1 jam Arsip
19 | Menginput nota dinas, kemudian diserahkan Buku agenda 1 jam Arsip
"""
)


def test_letters_read_ahead_of_a_later_number_keep_their_place() -> None:
    """ "TB" after 14 may be 18 (a "B" for "8"), but "T7" two rows below shows it stands for
    15 (its "5" read as "B"): the rows keep their places."""
    sop = infer(ocr.read(OCR_HEADER + LETTERS_READ_AHEAD))
    assert [s.activity.split()[0] for s in sop.steps[14:]] == [
        "Memaraf",
        "TG",
        "Staf",
        "Mencetak",
        "Menginput",
    ]


# -- clauses ----------------------------------------------------------------------------------


def test_a_jika_that_keeps_its_j_and_ka_is_mended_anywhere() -> None:
    """ "Jka ya" with no comma before it (the colon lost), "JIka", "JKa": no other word is
    spelt so; "Jika" opening a sentence stays as written."""
    assert mend_conditions("Memeriksa datar hadir Jka ya diteruskan kepada Kabid") == (
        "Memeriksa datar hadir jika ya diteruskan kepada Kabid"
    )
    assert mend_conditions("surat, JIka sesuai diteruskan, JKa tidak") == (
        "surat, jika sesuai diteruskan, jika tidak"
    )
    assert mend_conditions("Jika sesuai diteruskan") == "Jika sesuai diteruskan"


CLAUSE_AFTER_A_CAPITALISED_WORD = """\
1 | Kadis menyusun konsep surat keluar Buku agenda 1 jam Arsip
2 | Memeriksa draf laporan Kinerja jka lengkap proses 15 menit Arsip Melalui aplikasi
selesai, jika tidak lengkap permohonan ditolak dan proses selesai
"""


def test_a_misread_jika_after_a_capitalised_word_keeps_the_sentence_in_the_activity() -> None:
    """ "Kinerja jka lengkap proses" on the row's first line: mended before the line is cut
    into cells, the clause word shows the sentence going on past the Capitalised word, so
    the yes-branch's "proses selesai" is no Kelengkapan."""
    raw = ocr.read(OCR_HEADER + CLAUSE_AFTER_A_CAPITALISED_WORD)
    assert "jika lengkap proses selesai" in raw.rows[1].activity
    assert _read(CLAUSE_AFTER_A_CAPITALISED_WORD)[1][2] == ("end", "end")


QUESTION_ABOVE_A_BLOCK_ROW = """\
1 | Kadis menyusun konsep surat keluar, kemudian diserahkan Buku agenda 2jam Arsip Melalui aplikasi

kepada Kabid
2 | Memeriksa surat undangan: jika sesuai diteruskan kepada Staf, Nota Dinas 5 menit Arsip

ika tidak sesuai dikembalikan kepada Kadis untuk diperbaiki

Sesuai?
c
Memeriksa usulan kegiatan: jika ya diteruskan kepada Kabid, jika Buku agenda - Arsip Melalui
tidak kembali ke langkah 1
Lengkap?
Ya

4 | Kabid menelaah rekapitulasi data Buku agenda 2 Hari Arsip
"""


def test_a_diamond_question_above_a_row_read_as_a_block_is_no_row() -> None:
    """ "Sesuai?" and the outline's "c" stand above the row whose number was lost: the row
    opens at its verb, and its "kembali ke langkah 1" stays its own."""
    raw = ocr.read(OCR_HEADER + QUESTION_ABOVE_A_BLOCK_ROW)
    assert raw.rows[2].activity.startswith("Memeriksa usulan kegiatan")
    assert _read(QUESTION_ABOVE_A_BLOCK_ROW)[1][3] == (4, 1)


GARBLED_LABELS_BEFORE_THE_ROLE = """\
1 | Kadis menyusun konsep surat keluar Buku agenda 1 jam Arsip
2 | PPK mengagendakan surat masuk Buku agenda 1 jam Arsip
3 | Kabid mencetak nota dinas Buku agenda 1 jam Arsip
4 | Memeriksa konsep surat keluar jika ya diteruskan Buku agenda 1 jam Arsip
kepada Staf, jika tidak dikembalikan kepada Luak A Ya
PPK untuk diperbaiki
5 | Staf mengarsipkan nota dinas Buku agenda 1 jam Arsip
"""


def test_labels_garbled_beyond_spelling_before_the_role_leave_the_activity() -> None:
    """ "Luak" is the diamond's "Tidak" read beyond its spelling, beside its "Ya": at the end
    of the line that stops after "kepada", with the role opening the next line."""
    raw = ocr.read(OCR_HEADER + GARBLED_LABELS_BEFORE_THE_ROLE)
    assert "kepada PPK untuk diperbaiki" in raw.rows[3].activity
    assert _read(GARBLED_LABELS_BEFORE_THE_ROLE)[1][4] == (5, 2)
