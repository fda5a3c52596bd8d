"""The OCR reader on the damage Tesseract does at 150 dpi (issue 11): glued brackets, stroke
letters for digits, glued header titles, units dealt to the wrong column, short debris after a
cell. The lines are shaped like the fidelity harness's OCR texts (``bench/text_fidelity.py``,
``--oracle`` shows what each text still holds), not copied from one document."""

from __future__ import annotations

import pytest

from converters.reading.raw import RawRow
from converters.reading.readers import ocr
from converters.reading.readers.ocr import waktu
from converters.reading.readers.ocr.role_columns import read_roles
from converters.reading.readers.ocr.role_units import rehome_units
from converters.reading.readers.ocr.rows import tokens, unnumbered_start
from converters.reading.readers.ocr.words import head_key, mend_verb
from tests.support.ocr_text import OCR_HEADER, ocr_rows

_HEADER = OCR_HEADER


_rows = ocr_rows


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("Lminggu2", "1 minggu 2"),  # "1" read as "L", the value goes on in digits
        ("T-5han", "1 - 5 hari"),  # "1" as "T", "ri" as "n"
        ("1-Shari", "1 - 5 hari"),  # "5" as "S" glued to its unit
        ("smenit", "5 menit"),
        ("menitiberkas", "menit/berkas"),  # the "/" read as "i"
    ],
)
def test_waktu_damaged_at_low_resolution_is_still_a_time_value(token: str, value: str) -> None:
    found = waktu.find(
        ["Nota", "Dinas", "2", token, "Arsip"]
        if token.startswith("menit")
        else ["Nota", "Dinas", token, "Arsip"],
        ["hari"],
    )
    assert found is not None
    assert value in found.text


@pytest.mark.parametrize("token", ["J2jam", "Lampiran", "Tim", "sehari"])
def test_words_and_ambiguous_debris_are_not_mended_into_a_time(token: str) -> None:
    """A stroke letter right before a digit may be debris as well as a "1" ("J2jam" is "2
    jam" as often as "12 jam"): it is not taken for one; words stay words."""
    found = waktu.find(["Nota", token, "Arsip"], [])
    assert found is None or ("12" not in found.text and "1 " not in found.text)


def test_an_opening_bracket_glued_to_a_cell_is_a_boundary_not_a_remnant() -> None:
    """A cell's left edge read as "(" glued to the next word ("(30 Menit", "(Segera") used
    to turn the whole word into a symbol remnant, and the Waktu was lost."""
    assert tokens("Berkas permohonan (30 Menit Arsip") == [
        "Berkas",
        "permohonan",
        "|",
        "30",
        "Menit",
        "Arsip",
    ]
    assert tokens("Buku agenda (Segera Arsip (Y)") == ["Buku", "agenda", "|", "Segera", "Arsip"]
    rows = _rows(
        "1 | Mencetak surat masuk bersama Staf E Berkas permohonan (30 Menit Arsip Rangkap dua\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi (Segera (Surat keluar\n"
    )
    assert [r.duration for r in rows] == ["30 Menit", "Segera"]
    assert [r.output for r in rows] == ["Arsip", "Surat keluar"]


def test_rows_opening_with_a_bracket_mark_the_text_as_ocr() -> None:
    """At 150 dpi (psm 4) Tesseract writes each cell on a line of its own, as plain
    ``pdftotext`` does; the symbol's edge glued to the activity ("4 (Fungsional") is what
    only OCR writes, and makes the OCR reader take the text."""
    edged = "".join(f"{n} (Menyusun laporan {n}\nNota Dinas\n2 Hari\n" for n in range(1, 4))
    plain = "".join(f"{n} Menyusun laporan {n}\nNota Dinas\n2 Hari\n" for n in range(1, 4))
    assert ocr.sniff(_HEADER + edged) > ocr.sniff(_HEADER + plain)


def test_a_row_whose_number_was_lost_is_found_after_debris_or_a_long_subject() -> None:
    assert unnumbered_start(". Mencetak nota dinas beserta lampiran dan data dukung 2 Hari")
    assert unnumbered_start("Kepala Bagian Pelayanan mengagendakan nota dinas Surat Edaran 1-5han")
    assert unnumbered_start("Kasi Keuangan menggandakan notulen rapat Berkas sehari Surat keluar")
    # a wrapped activity line goes on in lower case or without a Waktu
    assert not unnumbered_start("diserahkan kepada Kepala Bagian Pelayanan Surat Edaran 2 Hari")
    assert not unnumbered_start("Kepala Bagian Pelayanan untuk diperbaiki dan Laporan IKU")


def test_running_text_is_no_jabatan_with_its_first_syllable_lost() -> None:
    """ "administrasi" (of "tertib administrasi") was read as the jabatan "Pengadministrasi"
    and became a role of a table whose header OCR had lost."""
    assert head_key("administrasi") is None
    assert head_key("Pengadministrasi") == "pengadministrasi"
    assert head_key("I;epala") == "kepala"
    assert head_key("Stat") == "staf"


def test_header_titles_read_without_their_space_are_two_words() -> None:
    roles = read_roles(
        [
            "Pelaksana Mutu Baku",
            "No Kegiatan Keterangan",
            "KepalaDinas | Kepala Bagian Ketua Tim Staf Kelengkapan Waktu Output",
        ],
        [],
        0,
    )
    assert roles == ["Kepala Dinas", "Kepala Bagian", "Ketua Tim", "Staf"]


def _row(activity: str) -> RawRow:
    return RawRow(number=1, activity=activity)


def test_unit_words_go_to_the_titles_the_activities_name_with_them() -> None:
    """The header's second line "Kepegawaian Umum" was dealt to the wrong title; the
    hand-overs name "Kabid Kepegawaian" (as "Kepala Bidang Kepegawaian") and "Kepala Seksi
    Umum", never "PPK Kepegawaian"."""
    rows = [
        _row("Menyusun laporan, kemudian diserahkan kepada Kepala Bidang Kepegawaian"),
        _row("Memaraf nota dinas, kemudian diserahkan kepada Kepala Seksi Umum"),
        _row("PPK memeriksa berkas"),
    ]
    roles = ["Kadis", "Kabid", "PPK Kepegawaian Umum", "Kepala Seksi", "Staf"]
    assert rehome_units(roles, rows) == [
        "Kadis",
        "Kabid Kepegawaian",
        "PPK",
        "Kepala Seksi Umum",
        "Staf",
    ]
    # a title the activities do name with its unit keeps it
    named = [_row("Menyusun laporan, kemudian diserahkan kepada PPK Kepegawaian Umum")]
    assert rehome_units(roles, named) == roles


def test_short_debris_after_a_cell_is_dropped_but_the_cells_own_words_stay() -> None:
    rows = _rows(
        "1 | Menyusun laporan realisasi anggaran Disposisi 2 Hari Laporan IKU Ka\n"
        "2 | Mencetak rekapitulasi data KTP dan KK 1 jam Draf Surat Na\n"
        "3 | Mengarsipkan surat masuk Nota Dinas 2 jam KTP dan KK\n"
    )
    assert [r.output for r in rows] == ["Laporan IKU", "Draf Surat", "KTP dan KK"]
    assert rows[1].requirements == "KTP dan KK"


def test_a_first_row_opening_with_a_lower_case_jabatan_is_no_second_header() -> None:
    """ "1 (pelaksana mendistribusikan …": the row names "Pelaksana" like the header does,
    but a number and a bracket before it make it the table's first row, not a repeated
    header (whose words then became roles: "Kepala", "Sekdin Berkas")."""
    doc = ocr.read(
        _HEADER
        + "1 (pelaksana mendistribusikan rekapitulasi data, kemudian diserahkan kepada Kabid"
        " Nota Dinas 2 Hari Arsip\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 1 jam Surat keluar\n"
    )
    assert [r.number for r in doc.rows] == [1, 2]
    assert doc.rows[0].activity.startswith("pelaksana mendistribusikan")
    assert doc.roles == ["Kadis", "PPK", "Kabid", "Staf"]


def test_a_verb_whose_capital_m_was_misread_starts_its_row() -> None:
    """ "3 htemeriksa rencana kerja anggaran: jika …": the "M" read as "ht" hid the verb, so
    the row was taken for a wrapped line and its decision was lost."""
    assert mend_verb("htemeriksa") == "Memeriksa"
    assert mend_verb("Ihtenginput") == "Menginput"
    assert mend_verb("henna") == "henna"  # no verb with the "M" back
    rows = _rows(
        "1 | Menyusun laporan realisasi anggaran Disposisi 2 Hari Arsip\n"
        "2 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar\n"
        "3 htemeriksa rencana kerja anggaran: jika ada diteruskan kepada Kabid Laporan IKU"
        " 1 jam Paraf\n"
    )
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[2].activity.startswith("Memeriksa rencana kerja anggaran")
