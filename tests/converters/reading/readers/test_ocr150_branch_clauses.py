"""A decision's clauses and step references as Tesseract damages them at 150 dpi (issue 11).

The no-branch's "jika tidak" loses its narrow letters at low resolution: "jika" its "j" (the
"i" left of it then read as the capital "I" its stroke is) and "tidak" its "i" ("Ika tdak");
where the yes-branch fills the row's first line, the no-branch opens the next line with no
comma before its "jika" to be known by, and the page mode may read it after the row's
Mutu Baku cells. The diamond of a decision with named branches leaves pieces of its labels
("ekni" of "Teknis") at a line's end between "langkah" and the number that opens the next
line. The texts are made up in those shapes, not copied from a document.
"""

from __future__ import annotations

from converters.model import END
from converters.reading.inference import infer
from converters.reading.readers import ocr
from converters.reading.readers.ocr.words import mend_conditions, mend_wrapped_negative
from tests.support.ocr_text import OCR_HEADER


def _decisions(body: str) -> dict[int, tuple[object, object]]:
    sop = infer(ocr.read(OCR_HEADER + body))
    return {s.number: (s.decision.approve_to, s.decision.reject_to)
            for s in sop.steps if s.decision}


def _rows(first: int, last: int) -> str:
    return "".join(
        f"{n} | Staf mengagendakan surat masuk nomor {n} Buku agenda 1 jam Arsip\n"
        for n in range(first, last + 1)
    )


def test_a_capital_i_read_for_jika_and_tdak_for_tidak_are_mended() -> None:
    assert mend_conditions("hadir jika ya diteruskan kepada Kadis, Ika tdak dikembalikan") == (
        "hadir jika ya diteruskan kepada Kadis, jika tidak dikembalikan")
    assert mend_conditions("jika tldak lengkap kembali") == "jika tidak lengkap kembali"
    # a word that is not "tidak" stays, nor is a name like "Ikan" a "jika"
    assert mend_conditions("jika tindak lanjut diperlukan") == "jika tindak lanjut diperlukan"
    assert mend_conditions("Memeriksa berkas, Ikan tdak") == "Memeriksa berkas, Ikan tdak"


def test_a_wrapped_line_opening_with_a_misread_jika_tidak_is_mended() -> None:
    assert mend_wrapped_negative("ika tidak sesuai permohonan ditolak") == (
        "jika tidak sesuai permohonan ditolak")
    assert mend_wrapped_negative("Ika tdak lengkap kembali ke langkah 2") == (
        "jika tidak lengkap kembali ke langkah 2")
    assert mend_wrapped_negative("ika sesuai diteruskan") == "ika sesuai diteruskan"
    assert mend_wrapped_negative("Paling lambat ika tidak") == "Paling lambat ika tidak"


def test_a_no_branch_misread_after_the_comma_still_makes_the_decision() -> None:
    body = _rows(1, 3) + (
        "4 | Memeriksa daftar hadir jika ya diteruskan kepada Kadis, Ika tdak Buku agenda "
        "1 jam Arsip\n"
        "dikembalikan kepada Staf untuk diperbaiki\n"
        "5 | Kadis menandatangani surat keluar Buku agenda 1 jam Arsip\n")
    assert _decisions(body)[4] == (5, 3)


def test_a_no_branch_wrapped_below_the_cells_is_the_activitys() -> None:
    """The yes-branch ends the first line with its comma; the no-branch's misread "jika"
    opens the next line, below a Keterangan: it goes on with the activity, and the
    decision's reject branch ends the process."""
    body = _rows(1, 3) + (
        "4 | Memeriksa usulan kegiatan: jika sesuai diteruskan kepada Kadis, Disposisi 2 jam "
        "Laporan (Rangkap dua\n"
        "\n"
        "ika tidak sesuai permohonan ditolak dan proses selesai\n"
        "5 | Kadis menandatangani surat keluar Buku agenda 1 jam Arsip\n")
    assert _decisions(body)[4] == (5, END)


def test_a_label_piece_between_langkah_and_its_number_is_taken_out() -> None:
    """ "ke langkah" ends the line, the number opens the next; the diamond's label
    "Teknis" was read as "ekni" between them."""
    body = _rows(1, 5) + (
        "6 | Memilah berkas sesuai jenisnya: jika teknis Buku agenda 1 jam Arsip\n"
        "diteruskan ke langkah 7, jika administratif diteruskan ke langkah ekni Jumat\n"
        "12\n"
    ) + _rows(7, 13)
    assert _decisions(body)[6] == (7, 12)
