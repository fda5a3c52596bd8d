"""Branch labels as real SOPs write them, read from text (issue 11, helper realtext).

A diamond is often labelled with a state rather than a bare answer: "Sudah Benar" / "Belum
Benar", "Sudah lengkap" / "Belum lengkap". Plain ``pdftotext`` floats such labels away from
their step, as it floats "Y" / "T"; they are the same yes and no and go to the same checking
step. The number column's title "No" standing alone in the header is no English "no" branch.
The texts here are small and made up, in the shape plain ``pdftotext`` writes.
"""

from __future__ import annotations

from converters.reading.readers import pdftext_raw
from converters.reading.sop_file import read_sop
from converters.reading.vocabulary import answer_label


def _text(*blocks: str) -> str:
    """Blocks as plain pdftotext writes them: one blank line between blocks."""
    return "\n\n".join(blocks) + "\n"


_IDENTITY = ("Nomor SOP", "800/12/2024", "Nama SOP", "Perbaikan Perangkat")
_HEADER = ("\f No", "Kegiatan", "Kepala Seksi", "Teknisi", "Mutu Baku", "Kelengkapan",
           "Waktu", "Output")
_ROWS = (
    "1", "Menerima laporan kerusakan perangkat", "Formulir", "5 menit", "Laporan",
    "2", "Memperbaiki perangkat yang rusak", "Laporan", "1 hari", "Perangkat",
    "3", "Menguji hasil perbaikan perangkat", "Perangkat", "30 menit", "Hasil uji",
    "4", "Menyerahkan perangkat kepada pemohon", "Perangkat", "10 menit", "Tanda terima",
)


def test_answer_labels_said_as_a_state() -> None:
    """A yes word said to be so ("Sudah Benar") is the yes branch, said not (yet) so
    ("Belum Benar", "Tidak Valid") the no branch; the bare answers keep their kinds."""
    assert answer_label("Sudah Benar") == "yes"
    assert answer_label("Telah sesuai") == "yes"
    assert answer_label("Belum Benar") == "no"
    assert answer_label("belum  lengkap") == "no"
    assert answer_label("Tidak Valid") == "no"
    assert answer_label("Ya") == "yes" and answer_label("T") == "no"
    assert answer_label("Tidak ada") == "no" and answer_label("Ada") == "yes"


def test_words_that_are_no_answer_stay_unread() -> None:
    """A state of anything else ("Sudah dibaca"), a lone "Sudah", or running text is no
    branch label."""
    assert answer_label("Sudah dibaca") is None
    assert answer_label("Sudah") is None
    assert answer_label("Belum Benar sama sekali") is None
    assert answer_label("Perangkat rusak") is None


def test_floating_state_labels_go_to_the_checking_step() -> None:
    """"Belum Benar" and "Sudah Benar" floating in plain pdftotext mark the checking step
    ("Menguji ...") as the diamond's row, as a floating "T" / "Y" does."""
    doc = pdftext_raw.read(_text(*_IDENTITY, *_HEADER, *_ROWS, "Belum Benar", "Sudah Benar"))
    assert doc.rows[2].marks == {pdftext_raw.UNPLACED: "Sudah Benar\nBelum Benar"}
    assert not any(r.marks for k, r in enumerate(doc.rows) if k != 2)
    sop = read_sop(_text(*_IDENTITY, *_HEADER, *_ROWS, "Belum Benar", "Sudah Benar")
                   .encode("utf-8"), "sop.txt")
    decision = sop.steps[2].decision
    assert decision is not None
    assert decision.labels == ("Sudah Benar", "Belum Benar")
    assert [s.number for s in sop.steps if s.decision] == [3]


def test_floating_yes_no_letters_are_read_as_before() -> None:
    """What was right is left alone: a "T" / "Y" pair still marks the checking step."""
    doc = pdftext_raw.read(_text(*_IDENTITY, *_HEADER, *_ROWS, "T", "Y"))
    assert doc.rows[2].marks == {pdftext_raw.UNPLACED: "Y\nT"}


def test_the_number_column_title_is_no_branch_label() -> None:
    """The header's "No" alone in its block is the number column's title: paired with a
    floating yes label it would make a decision out of a title. Only the real pair counts."""
    doc = pdftext_raw.read(_text(*_IDENTITY, *_HEADER, *_ROWS, "Sudah Benar"))
    assert not any(r.marks for r in doc.rows)
    doc = pdftext_raw.read(_text(*_IDENTITY, *_HEADER, *_ROWS, "Belum Benar", "Sudah Benar"))
    assert doc.rows[2].marks == {pdftext_raw.UNPLACED: "Sudah Benar\nBelum Benar"}
