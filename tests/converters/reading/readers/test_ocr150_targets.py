"""Where a decision's branches go, in the shapes Tesseract gives a row at 150 dpi (issue 11).

A decision names its targets in its activity ("dikembalikan kepada Kabid", "kembali ke
langkah 2"). Tesseract reads the row line by line across the table, so the words at the
right end of a line that stops on "kepada" (a Mutu Baku cell's wrapped piece, the diamond's
labels) come between the hand-over word and its object. The texts are made up in that
shape, not copied from one document.
"""

from __future__ import annotations

from converters.reading.inference import infer
from converters.reading.readers import ocr
from converters.reading.readers.ocr import orphans
from tests.support.ocr_text import OCR_HEADER


def _rows_and_targets(body: str) -> tuple[list[str], dict[int, tuple[object, object]]]:
    raw = ocr.read(OCR_HEADER + body)
    sop = infer(raw)
    return ([r.activity for r in raw.rows],
            {s.number: (s.decision.approve_to, s.decision.reject_to)
             for s in sop.steps if s.decision})


CELL_PIECE_BEFORE_THE_OBJECT = """\
1 | Kabid menyusun konsep surat keluar Berkas permohonan 1 jam Draf Surat Paling lambat hari Jumat
2 | Staf mengagendakan surat masuk Berkas permohonan 2 jam Arsip Paling lambat hari Jumat
3 | PPK mencetak nota dinas Berkas permohonan 1 jam Nota Dinas Paling lambat hari Jumat
4 | Memeriksa nota dinas: jika lengkap diteruskan kepada Staf, Berkas 1 jam Disposisi Paling lambat
jika tidak lengkap dikembalikan kepada permohonan hari Jumat
Kabid untuk diperbaiki
5 | Staf mengarsipkan nota dinas Buku agenda 1 jam Arsip
"""


def test_a_cell_piece_read_between_kepada_and_the_role_leaves_the_activity() -> None:
    """"permohonan" ends the Kelengkapan "Berkas permohonan" the document writes in other
    rows: it is no word of the sentence, and the rejected work goes back to the Kabid's step."""
    activities, targets = _rows_and_targets(CELL_PIECE_BEFORE_THE_OBJECT)
    assert activities[3].endswith("dikembalikan kepada Kabid untuk diperbaiki")
    assert targets[4] == (5, 1)


GARBLED_LABEL_BEFORE_THE_OBJECT = """\
1 | Kabid menyusun konsep surat keluar, kemudian diserahkan Buku agenda 1 jam Draf Surat
kepada Staf
2 | Staf mengagendakan surat masuk, kemudian diserahkan kepada Disposisi 2 jam Arsip
PPK
3 | PPK mencetak nota dinas, kemudian diserahkan kepada Kadis Disposisi 1 jam Nota Dinas
4 | Memeriksa nota dinas: jika setuju diteruskan kepada Staf, Disposisi 1 jam Disposisi
jika tidak setuju dikembalikan kepada seuul
Kabid untuk diperbaiki
5 | Staf mengarsipkan nota dinas Buku agenda 1 jam Arsip
"""


def test_a_garbled_label_read_between_kepada_and_the_role_leaves_the_activity() -> None:
    """"seuul" is the diamond's "setuju" as small text at low resolution, read at the line's
    end where the diamond stands beside the activity."""
    activities, targets = _rows_and_targets(GARBLED_LABEL_BEFORE_THE_OBJECT)
    assert activities[3].endswith("dikembalikan kepada Kabid untuk diperbaiki")
    assert targets[4] == (5, 1)


SENTENCE_WORDS_BEFORE_THE_OBJECT = """\
1 | Kabid menyusun konsep surat keluar, kemudian diserahkan kepada Buku agenda 1 jam Draf Surat
seluruh Staf
2 | Staf mengagendakan surat masuk Buku agenda 1 jam Arsip
"""


def test_a_word_of_the_sentence_before_the_role_stays() -> None:
    activities, _ = _rows_and_targets(SENTENCE_WORDS_BEFORE_THE_OBJECT)
    assert activities[0].endswith("diserahkan kepada seluruh Staf")


def _with_block_above_header(block: str, rows: str) -> str:
    return (f"SOP Pengelolaan Surat Masuk\n\n{block}\n\nPelaksana Mutu Baku\n"
            "No Kegiatan Keterangan\nKadis PPK Kabid Staf Kelengkapan Waktu Output\n" + rows)


def test_a_decisions_end_read_above_the_header_joins_the_row_that_stops_on_a_condition() -> None:
    """Page mode 3 read the no-branch's clause as a block at the top of the page; the row
    stops on its condition, with no verb after it ("jika tidak lengkap")."""
    text = _with_block_above_header(
        "dikembalikan kepada Staf untuk diperbaiki",
        "1 | Staf menerima surat masuk dari Pemohon Disposisi 1 jam Arsip\n"
        "2 | Kabid memeriksa berkas: jika lengkap diteruskan kepada Kadis, Disposisi 1 jam Arsip\n"
        "jika tidak lengkap\n"
        "3 | Kadis menandatangani surat Disposisi 3 jam Arsip\n")
    rows = ocr.read(text).rows
    assert rows[1].activity.endswith("jika tidak lengkap dikembalikan kepada Staf untuk diperbaiki")
    assert "dikembalikan" not in rows[0].activity + rows[2].activity


def test_a_row_that_stops_on_a_comma_takes_the_block_above_the_header() -> None:
    text = _with_block_above_header(
        "kemudian diserahkan kepada Kabid untuk ditandatangani",
        "1 | Staf menerima surat masuk dari Pemohon Disposisi 1 jam Arsip\n"
        "2 | Staf mengarsipkan rekapitulasi data, Disposisi 1 jam Arsip\n"
        "3 | Kabid menandatangani surat Disposisi 3 jam Arsip\n")
    rows = ocr.read(text).rows
    assert rows[1].activity == ("Staf mengarsipkan rekapitulasi data, kemudian diserahkan "
                                "kepada Kabid untuk ditandatangani")


def test_a_cells_piece_after_the_clause_word_does_not_hide_where_the_row_stops() -> None:
    """The row's line after "jika" held only the Keterangan's end ("hari Jumat"), and the
    row took its "hari"; a word the rows' cells write, in lower case, after the last word."""
    cells = frozenset({"paling", "lambat", "hari", "jumat", "arsip"})
    activity = "Kabid memeriksa berkas: jika lengkap diteruskan kepada Kadis, jika hari"
    assert not orphans.unfinished(activity)
    assert orphans.cut_short(activity, cells)
    assert not orphans.cut_short("Staf mengirim surat setiap hari", cells)
    assert not orphans.cut_short("Staf menyimpan berkas ke Arsip", cells)


def test_a_finished_row_leaves_the_block_above_the_header() -> None:
    text = _with_block_above_header(
        "kemudian diserahkan kepada Kabid untuk ditandatangani",
        "1 | Staf menerima surat masuk dari Pemohon Disposisi 1 jam Arsip\n"
        "2 | Staf mengarsipkan rekapitulasi data Disposisi 1 jam Arsip\n")
    rows = ocr.read(text).rows
    assert [r.activity for r in rows] == ["Staf menerima surat masuk dari Pemohon",
                                          "Staf mengarsipkan rekapitulasi data"]
