"""The OCR reader: rows rebuilt from reading order alone, roles from a broken header."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.model import ConversionError
from converters.reading.readers import MIN_SCORE, ocr
from tests.converters.reading.readers.robustness import robustness_tests

ROOT = Path(__file__).resolve().parents[4]
SAMPLE = ROOT / "examples" / "jateng-kesbangpol-penyusunan-iku.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "sops" / "a2-ocr-dishub-izin-trayek.txt"


@pytest.fixture(scope="module")
def jateng():
    return ocr.read(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dishub():
    return ocr.read(FIXTURE.read_text(encoding="utf-8"))


def test_sample_roles_in_column_order(jateng):
    # The column index row "1 ... 10" leaves four role columns (No, Uraian and four Mutu Baku
    # columns take six); page 2 shows four role heads, the 4th garbled, and "dan Peralatan"
    # under "Kelengkapan". So the garbled "S LD" over "Fungsional" over "Umum" is one column.
    assert jateng.roles == ["Kepala Badan", "Sekretaris", "Kasubag Program", "Fungsional Umum"]
    guessed = [w for w in jateng.warnings if w.code == "header-guessed"]
    assert len(guessed) == 1 and "S LD" in guessed[0].message
    assert not any(w.code == "header-mismatch" for w in jateng.warnings)


def test_sample_all_thirteen_steps_across_the_page_break(jateng):
    assert [r.number for r in jateng.rows] == list(range(1, 14))
    assert jateng.source_format == "ocr"


def test_sample_activities_reassembled_from_broken_lines(jateng):
    act = {r.number: r.activity for r in jateng.rows}
    assert act[2] == (
        "Membuat format pengumpulan data dan informasi Indikator Kinerja Utama dari "
        "masing-masing bidang dan sekretariat"
    )
    assert act[4] == (
        "Mengundang Kaban dan Pejabat Esselon III untuk rapat pembahasan Indikator Kinerja Utama"
    )
    assert act[7] == "Menganalisis data dan informasi Indikator Kinerja Utama yang telah terkumpul"
    assert act[11] == (
        "Penandatanganan dokumen Indikator Kinerja Utama oleh Kaban kemudian diteruskan ke "
        "Kasubbag Program"
    )
    assert act[12].endswith("diserahakan ke staf untuk dikirimkan ke alamat yang dituju")
    assert act[13] == (
        "Mengantar surat, Menggandakan dan mengarsipkan Dokumen Indikator Kinerja Utama"
    )


def test_sample_mutu_baku_pieces_go_to_their_cells(jateng):
    r = {r.number: r for r in jateng.rows}
    assert (r[1].requirements, r[1].duration, r[1].output) == (
        "Disposisi surat",
        "10 Menit",
        "Disposisi surat",
    )
    assert (r[2].requirements, r[2].duration, r[2].output) == (
        "Format Indikator Kinerja Utama",
        "2 Jam",
        "Format IKU",
    )
    assert (r[5].requirements, r[5].output, r[5].notes) == (
        "Draft Indikator Kinerja Utama",
        "Draft IKU",
        "SOP pelaksanaan rapat",
    )
    assert r[6].notes == "SOP Pengumpulan Data"
    assert (r[11].requirements, r[11].output) == ("Konsep surat pengantar", "Surat pengantar")
    assert r[9].requirements == "Dokumen Indikator Kinerja Utama"
    assert r[13].output == "Dokumen IKU"


def test_sample_marks_left_empty_and_reported(jateng):
    assert all(r.marks == {} for r in jateng.rows)
    unplaced = [w for w in jateng.warnings if w.code == "marks-unplaced"]
    assert len(unplaced) == 1 and "8" in unplaced[0].message


def test_sample_side_by_side_sections_kept_apart(jateng):
    assert len(jateng.legal_basis) == 5
    assert all(x.startswith("Peraturan") for x in jateng.legal_basis)
    assert jateng.qualifications == (
        "Memiliki kewenangan dalam penyusunan Indikator Kinerja Utama OPD",
        "Memiliki Kemampuan dalam menyusun Indikator Kinerja Utama OPD",
    )
    assert jateng.related_sops == ("SOP Rapat Internal", "SOP Pengumpulan Data")
    assert jateng.equipment == (
        "Renstra",
        "Renja",
        "Format Indikator Kinerja Utama",
        "Perangkat Komputer",
    )
    assert len(jateng.cautions) == 1 and jateng.cautions[0].startswith("Jika tidak")
    assert len(jateng.records) == 1 and jateng.records[0].startswith("Rumusan rencana")


def test_fixture_misspelt_header_and_repeated_page_header(dishub):
    assert dishub.roles == [
        "Kepala Dinas",
        "Sekretaris",
        "Kabid Angkutan",
        "Kasi Pengujian",
        "Staf",
    ]
    assert [r.number for r in dishub.rows] == list(range(1, 9))
    assert dishub.identity.name == "PENERBITAN IZIN TRAYEK"


def test_fixture_role_names_inside_activities_do_not_end_them(dishub):
    r = {r.number: r for r in dishub.rows}
    assert r[5].activity == (
        "Memeriksa konsep surat izin trayek, jika tidak sesuai dikembalikan kepada Kasi "
        "Pengujian untuk diperbaiki"
    )
    assert (r[5].requirements, r[5].output) == ("Konsep izin trayek", "Konsep diparaf")
    assert r[6].activity == "Memaraf konsep surat izin trayek dan meneruskan kepada Kepala Dinas"


def test_fixture_cells_completed_into_phrases_the_document_uses(dishub):
    r = {r.number: r for r in dishub.rows}
    assert r[1].output == "Tanda terima berkas"
    assert r[1].activity.endswith("mencatat dalam buku register permohonan")
    assert (r[2].requirements, r[2].output) == ("Berkas permohonan", "Berkas terperiksa")
    assert r[3].notes == "SOP Pengujian Kendaraan Bermotor"
    assert r[3].activity == "Menguji kelaikan kendaraan sesuai jadwal"
    assert r[7].output == "Surat izin trayek"


def test_fixture_two_headings_on_one_line(dishub):
    assert len(dishub.legal_basis) == 2
    assert dishub.qualifications == (
        "Memahami ketentuan perizinan angkutan umum",
        "Mampu mengoperasikan aplikasi perizinan",
    )
    assert dishub.related_sops == ("SOP Pengujian Kendaraan Bermotor",)
    assert dishub.equipment == ("Komputer dan printer", "Aplikasi SIMPEL")


PIPED_HEADER = "\n".join(
    [
        "PELAKSANA | MUTU BAKU",
        "NO | URAIAN KEGIATAN | Kepala Dinas | Kepala Bidang Umum | Kepala Seksi Data | Staf "
        "| Kelengkapan | Waktu | Output | Ket",
        "1. | Menerima permohonan surat keterangan v Formulir 5 Menit | Berkas",
        "2. | Menandatangani surat keterangan ! Berkas 10 Menit | Surat",
    ]
)

STACKED_HEADER = """PELAKSANA MUTU BAKU
NO URAIAN KEGIATAN Kepala Kepala Sub Kelengkapan
Staf Waktu Output
Dinas Bagian Umum
1. | Menerima permohonan surat keterangan v Formulir 5 Menit | Berkas
"""


def test_header_cells_kept_apart_by_pipes():
    doc = ocr.read(PIPED_HEADER)
    assert doc.roles == ["Kepala Dinas", "Kepala Bidang Umum", "Kepala Seksi Data", "Staf"]
    assert [(r.number, r.duration, r.output) for r in doc.rows] == [
        (1, "5 Menit", "Berkas"),
        (2, "10 Menit", "Surat"),
    ]


def test_stacked_header_units_and_middle_line_title():
    doc = ocr.read(STACKED_HEADER)
    assert doc.roles == ["Kepala Dinas", "Kepala Sub Bagian Umum", "Staf"]


def test_without_index_row_a_garbled_head_borrows_its_neighbours_jabatan():
    text = SAMPLE.read_text(encoding="utf-8").replace("1 2 3 4 5 6 7 8 9 10\n", "")
    doc = ocr.read(text)
    assert doc.roles == [
        "Kepala Badan",
        "Sekretaris",
        "Kasubag Program",
        "Kasubag Umum",
        "Fungsional",
    ]
    assert [r.number for r in doc.rows] == list(range(1, 14))


def test_sniff_scores_ocr_above_other_shapes():
    assert ocr.sniff(SAMPLE.read_text(encoding="utf-8")) > 0.7
    assert ocr.sniff(FIXTURE.read_text(encoding="utf-8")) > 0.7
    tabbed = (ROOT / "examples" / "mentawai-kominfo-penyusunan-iku.txt").read_text("utf-8")
    assert ocr.sniff(tabbed) < ocr.sniff(SAMPLE.read_text(encoding="utf-8"))
    assert ocr.sniff("") == 0.0


def test_text_without_table_header_is_refused():
    with pytest.raises(ConversionError, match="Tabel SOP"):
        ocr.read("Surat undangan rapat\n1. | Hadir tepat waktu\n")


def test_header_without_rows_is_refused():
    with pytest.raises(ConversionError, match="langkah"):
        ocr.read("PELAKSANA MUTU BAKU\nNO URAIAN PROSEDUR Kepala Staf Waktu Output\n")


# -- robustness: mutated documents and random text -------------------------------------------


test_mutated_document_reads_or_refuses, test_random_text_reads_or_refuses = robustness_tests(
    ocr, SAMPLE
)


# -- Tesseract text of a generated table (issue 11) -------------------------------------------

_TESSERACT = """SOP Pengelolaan Surat Masuk

Kadis PPK Kabid Kasubbag Perencanaan Staf Mutu Baku
No Aktivitas Keterangan
Persyaratan/ Waktu Output
Perlengkapan
1 Mengoreksi nota dinas untuk dibahas Buku agenda 2 Hari Rekap data
bersama tim kemudian diserahkan kepada Kabid
2 IMerekapitulasi rencana kerja anggaran Disposisi 1 Minggu Arsip
beserta lampiran dan data dukung
Menyampaikan daftar hadir melalui aplikasi Formulir isian 10 menit Paraf Rangkap dua
SRIKANDI, kemudian diserahkan kepada Staf
4 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar
5

Mengarsipkan surat masuk

KTP dan KK

Segera

Berkas lengkap
"""


@pytest.fixture(scope="module")
def tess():
    return ocr.read(_TESSERACT)


def test_role_titles_above_the_step_title_when_pelaksana_is_not_written(tess):
    assert tess.roles == ["Kadis", "PPK", "Kabid", "Kasubbag Perencanaan", "Staf"]
    assert ocr.sniff(_TESSERACT) >= MIN_SCORE


def test_rows_whose_rule_after_the_number_was_lost_or_misread(tess):
    assert tess.rows[0].number == 1 and tess.rows[0].activity.startswith("Mengoreksi nota")
    assert tess.rows[1].number == 2
    assert tess.rows[1].activity.startswith("Merekapitulasi rencana")  # "|" read as "I"
    assert (tess.rows[0].duration, tess.rows[1].duration) == ("2 Hari", "1 Minggu")


def test_a_row_whose_number_was_lost_keeps_its_place(tess):
    third = tess.rows[2]
    assert third.number is None and third.activity.startswith("Menyampaikan daftar hadir")
    assert (third.duration, third.output, third.notes) == ("10 menit", "Paraf", "Rangkap dua")
    assert any(w.code == "number-guessed" for w in tess.warnings)
    assert [r.number for r in tess.rows[3:]] == [4, 5]


def test_a_row_read_as_blocks_after_a_lone_number(tess):
    fifth = tess.rows[4]
    assert fifth.activity == "Mengarsipkan surat masuk"
    assert (fifth.requirements, fifth.duration, fifth.output) == (
        "KTP dan KK", "Segera", "Berkas lengkap")


def test_lower_case_debris_in_a_header_line_is_no_unit():
    text = _TESSERACT.replace("Kabid Kasubbag Perencanaan Staf",
                              "Kabid kab ola Kasubbag Perencanaan Staf")
    assert ocr.read(text).roles == ["Kadis", "PPK", "Kabid", "Kasubbag Perencanaan", "Staf"]


def test_a_table_whose_header_words_were_all_lost_is_read_from_its_rows():
    """At 150 dpi Tesseract may lose the small header entirely: the numbered rows with their
    activities and Waktu values still make the table (and the role titles above them)."""
    text = _TESSERACT.split("Kadis PPK")[0] + (
        "Kadis PPK Kabid Staf\n"
        "Mencetak draf laporan kinerja, kemudian diserahkan kepada Kabid Buku agenda 2 Hari Arsip\n"
        "2 | Menyusun dokumen pertanggungjawaban Disposisi 15 menit Rekap data\n"
        "3 (Memeriksa dokumen pertanggungjawaban Nota Dinas 1 jam SPM\n"
        "4 | Mengarsipkan laporan realisasi anggaran KTP dan KK 1 Minggu Arsip\n"
    )
    assert ocr.sniff(text) >= MIN_SCORE
    doc = ocr.read(text)
    assert doc.roles == ["Kadis", "PPK", "Kabid", "Staf"]
    assert [r.number for r in doc.rows] == [None, 2, 3, 4]
    assert doc.rows[0].activity.startswith("Mencetak draf laporan kinerja")
    assert [r.duration for r in doc.rows] == ["2 Hari", "15 menit", "1 jam", "1 Minggu"]
    assert "header-missing" in {w.code for w in doc.warnings}


def test_prose_with_numbered_lines_is_still_no_table():
    with pytest.raises(ConversionError):
        ocr.read("Catatan rapat\n1 Agenda dibuka\n2 Laporan dibacakan\n")


def _rows_of(body: str) -> list:
    """The rows of ``_TESSERACT``'s header followed by ``body``."""
    return ocr.read(_TESSERACT.split("1 Mengoreksi")[0] + body).rows


def test_a_waktu_broken_over_lines_is_finished_by_its_unit():
    """The narrow Waktu column wraps: "1 jam 30" / "menit", "1 - 5 hari" / "Kerja". The
    wrapped unit completes the Waktu and is kept out of the Output."""
    rows = _rows_of(
        "1 | Mengoreksi nota dinas untuk dibahas Buku agenda 1 jam 30 Rekap data\n"
        "bersama tim menit\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 1-5 hari Arsip\n"
        "Kerja\n"
        "3 | Mencetak rekapitulasi data Nota Dinas 5 s.d 10 Surat keluar\n"
        "menit\n"
    )
    assert [r.duration for r in rows] == ["1 jam 30 menit", "1 - 5 hari Kerja", "5 s.d 10 menit"]
    assert [r.output for r in rows] == ["Rekap data", "Arsip", "Surat keluar"]
    assert rows[0].activity == "Mengoreksi nota dinas untuk dibahas bersama tim"


def test_misread_glued_and_worded_waktu_values_are_found():
    rows = _rows_of(
        "1 | Mengoreksi nota dinas Buku agenda 1ljam Rekap data\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 30 menlt Arsip\n"
        "3 | Mencetak rekapitulasi data Nota Dinas dua hari Surat keluar\n"
        "4 | Mengarsipkan surat masuk KTP dan KK sehari Paraf\n"
    )
    assert [r.duration for r in rows] == ["1 jam", "30 menit", "dua hari", "sehari"]
    assert [r.output for r in rows] == ["Rekap data", "Arsip", "Surat keluar", "Paraf"]


def test_a_number_in_the_activity_is_no_waktu_without_a_wrapped_unit():
    rows = _rows_of(
        "1 | Memeriksa nota dinas, jika tidak sesuai kembali ke langkah 1 Buku agenda\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 2 jam Arsip\n"
    )
    assert rows[0].duration == ""
    assert "kembali ke langkah 1" in rows[0].activity


def test_a_step_number_wrapped_alone_stays_with_its_sentence():
    rows = _rows_of(
        "1 | Memeriksa nota dinas, jika sesuai diteruskan Buku agenda 2 jam Arsip\n"
        "kepada Kabid, jika tidak sesuai kembali ke langkah\n"
        "1\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 2 jam Arsip\n"
    )
    assert rows[0].activity.endswith("kembali ke langkah 1")


def test_branch_labels_beside_a_row_are_no_mutu_baku():
    rows = _rows_of(
        "1 | Memeriksa nota dinas, jika lengkap diteruskan Buku agenda 2 jam Berkas lengkap\n"
        "kepada Kabid Tidak lengkap Lengkap?\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 2 jam Arsip Sesuai?\n"
    )
    assert [r.output for r in rows] == ["Berkas lengkap", "Arsip"]


def test_a_row_without_waktu_shares_its_cells_as_the_other_rows_do():
    rows = _rows_of(
        "1 | Mengoreksi nota dinas Buku agenda 2 jam Rekap data\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 1 hari Arsip\n"
        "3 | Mencetak rekapitulasi data Buku agenda Arsip\n"
    )
    # "Arsip" stood in the Output column of row 2, so it is row 3's Output, not Kelengkapan
    assert (rows[2].duration, rows[2].output) == ("", "Arsip")
    assert "Arsip" not in rows[2].requirements


def test_a_step_number_with_its_comma_does_not_end_the_activity():
    """ "ke langkah 3, jika ..." on a row's first line and at the start of a wrapped line: the
    comma does not make the number a symbol remnant that cuts the activity."""
    rows = _rows_of(
        "1 | Memilah surat masuk, jika teknis diteruskan ke langkah 2, jika administratif "
        "diteruskan ke langkah 3 Buku agenda 1 jam Arsip\n"
        "2 | Memeriksa nota dinas, jika lengkap dilanjutkan ke Disposisi 2 jam Rekap data\n"
        "langkah 3, jika tidak lengkap dikembalikan kepada Staf\n"
        "3 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar\n"
    )
    assert rows[0].activity.endswith("jika administratif diteruskan ke langkah 3")
    assert rows[0].requirements == "Buku agenda"
    assert rows[1].activity.endswith("langkah 3, jika tidak lengkap dikembalikan kepada Staf")
    assert rows[1].output == "Rekap data"


def test_a_wrapped_clause_after_a_role_name_goes_on_with_the_activity():
    rows = _rows_of(
        "1 | Memeriksa nota dinas, jika tidak sesuai dikembalikan kepada Kabid T Buku agenda "
        "2 jam Rekap data\n"
        "untuk diperbaiki\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 1 hari Arsip\n"
    )
    assert rows[0].activity.endswith("dikembalikan kepada Kabid untuk diperbaiki")
    assert rows[0].output == "Rekap data"


def test_a_role_name_broken_off_the_activity_is_finished_from_the_header():
    rows = _rows_of(
        "1 | Mengoreksi nota dinas, kemudian diserahkan kepada Kasubbag T Buku agenda 2 jam "
        "Arsip\n"
        "Perencanaan\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 1 hari Rekap data\n"
    )
    assert rows[0].activity.endswith("kepada Kasubbag Perencanaan")
    assert rows[0].output == "Arsip"


def test_a_waktu_per_item_takes_its_wrapped_noun():
    rows = _rows_of(
        "1 | Mengoreksi nota dinas sesuai dengan Buku agenda 15 menit per Arsip\n"
        "ketentuan yang berlaku dokumen\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 1 hari Rekap data\n"
    )
    assert rows[0].duration == "15 menit per dokumen"
    assert rows[0].output == "Arsip"
    assert rows[0].activity == "Mengoreksi nota dinas sesuai dengan ketentuan yang berlaku"


def test_a_numbered_row_naming_pelaksana_is_no_repeated_header():
    rows = _rows_of(
        "1 | Pelaksana mengoreksi nota dinas Buku agenda 2 jam Arsip\n"
        "\n"
        "Pelaksana Mutu Baku\n"
        "No Aktivitas Keterangan\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 1 hari Rekap data\n"
    )
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].activity == "Pelaksana mengoreksi nota dinas"


def test_a_lone_number_before_a_smaller_numbered_row_is_an_arrow_tip():
    rows = _rows_of(
        "1 | Mengoreksi nota dinas Buku agenda 2 jam Arsip\n"
        "\n"
        "4\n"
        "\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 1 hari Rekap data\n"
        "3 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar\n"
    )
    assert [r.number for r in rows] == [1, 2, 3]


def test_a_row_read_as_blocks_without_its_number_between_numbered_rows():
    rows = _rows_of(
        "1 | Mengoreksi nota dinas Buku agenda 2 jam Arsip\n"
        "\n"
        "Staf memverifikasi rekapitulasi data sesuai dengan\n"
        "ketentuan yang berlaku\n"
        "\n"
        "Disposisi\n"
        "\n"
        "10 mnt\n"
        "\n"
        "Rekap data\n"
        "\n"
        "3 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar\n"
    )
    assert [r.number for r in rows] == [1, None, 3]
    assert rows[1].activity == (
        "Staf memverifikasi rekapitulasi data sesuai dengan ketentuan yang berlaku")
    assert (rows[1].requirements, rows[1].duration, rows[1].output) == (
        "Disposisi", "10 mnt", "Rekap data")
