"""The ``pdftotext -layout`` reader: columns by x-position, rows by their number."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.model import ConversionError
from converters.reading.readers import pdftext_layout as layout
from tests.converters.reading.readers.robustness import robustness_tests
from tests.support.corpus import CORPUS_TABLE
from tests.support.corpus import CORPUS_TEXT as CORPUS

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sops"


@pytest.fixture(scope="module")
def cuti():
    return layout.read((FIXTURES / "a2-layout-dinkes-cuti.txt").read_text(encoding="utf-8"))


def test_roles_from_header_titles_over_two_lines(cuti):
    assert cuti.roles == [
        "Pegawai",
        "Kasubbag Umum",
        "Kepala Dinas",
        "Pengelola Kepegawaian",
        "Staf Arsip",
    ]
    assert cuti.source_format == "layout"


def test_every_step_in_order_across_the_page_break(cuti):
    assert [r.number for r in cuti.rows] == [1, 2, 3, 4, 5, 6, 7]
    assert cuti.rows[0].activity == "Mengajukan permohonan cuti dengan mengisi formulir cuti"
    assert cuti.rows[4].activity == "Memeriksa dan memaraf konsep surat izin cuti"
    assert cuti.rows[6].activity == (
        "Menyampaikan surat izin cuti kepada pegawai dan mengarsipkan salinannya"
    )


def test_mutu_baku_cells_are_reassembled(cuti):
    row = cuti.rows[2]
    assert row.requirements == "Register cuti"
    assert row.duration == "1 jam"
    assert row.output == "Sisa cuti terverifikasi"
    assert row.notes == "Jika tidak sesuai dikembalikan ke pegawai"
    assert cuti.rows[6].duration == "1 - 2 hari"
    assert cuti.rows[5].output == "Surat izin cuti"


def test_branch_labels_become_marks_of_their_column(cuti):
    assert cuti.rows[2].marks == {
        "Pegawai": "Tidak",
        "Kasubbag Umum": "Ya",
        "Pengelola Kepegawaian": "Sesuai?",
    }
    assert cuti.rows[4].marks == {"Kasubbag Umum": "Tidak", "Kepala Dinas": "Ya"}
    assert cuti.rows[0].marks == {}


def test_identity_from_the_right_hand_column(cuti):
    assert cuti.identity.number == "800/12/SOP-DINKES/2024"
    assert cuti.identity.name == "Pelayanan Izin Cuti Pegawai"
    assert cuti.identity.effective is not None
    assert cuti.identity.effective.text == "15 Januari 2024"


def test_side_by_side_sections_stay_apart(cuti):
    assert len(cuti.legal_basis) == 2
    assert cuti.legal_basis[0].startswith("Undang-Undang Nomor 20 Tahun 2023")
    assert "Sipil Negara" in cuti.legal_basis[0]
    assert len(cuti.qualifications) == 2
    assert cuti.qualifications[0].startswith("Memahami peraturan cuti ASN")
    assert any("Daftar Hadir" in s for s in cuti.related_sops)
    assert [e.strip(". ") for e in cuti.equipment] == ["Komputer", "Printer"]


def test_footer_and_page_number_are_not_cell_text(cuti):
    text = " ".join(
        " ".join([r.activity, r.requirements, r.output, r.notes, *r.marks.values()])
        for r in cuti.rows
    )
    assert "Dokumen ini" not in text
    assert " 2 " not in f" {text} "


def test_unnumbered_row_is_kept_with_a_warning():
    doc = layout.read((FIXTURES / "a2-layout-unnumbered.txt").read_text(encoding="utf-8"))
    assert [r.number for r in doc.rows] == [1, 2, None, 3]
    assert doc.rows[2].activity == "Petugas mencatat permohonan"
    assert doc.rows[2].duration == "5 menit"
    assert doc.rows[1].activity == "Petugas memeriksa formulir yang masuk"
    assert [w.code for w in doc.warnings] == ["number-missing"]
    assert doc.warnings[0].step == 2


def test_sniff_prefers_layout_text():
    text = (FIXTURES / "a2-layout-dinkes-cuti.txt").read_text(encoding="utf-8")
    assert layout.sniff(text) > 0.5
    assert layout.sniff("No\tKegiatan\tWaktu\n1\tMenerima surat\t5 menit\n") < 0.2
    assert layout.sniff("") == 0.0


def test_text_without_a_table_is_refused():
    with pytest.raises(ConversionError, match="Tabel SOP"):
        layout.read("Ini hanya surat biasa.\n\nTidak ada tabel di sini.\n")


# -- the real corpus (outside the project; skipped when absent) -------------------------------



@pytest.mark.parametrize("key", sorted(CORPUS_TABLE))
def test_corpus_document(key):
    if not CORPUS.is_dir():
        pytest.skip(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
    path = next(CORPUS.glob(f"{key}_*.layout.txt"))
    doc = layout.read(path.read_text(encoding="utf-8"))
    number, steps, roles = CORPUS_TABLE[key]
    assert doc.identity.number == number
    assert doc.roles == roles
    numbered = [r.number for r in doc.rows if r.number is not None]
    assert numbered == list(range(1, steps + 1))
    assert all(r.activity for r in doc.rows)


def test_corpus_unnumbered_row_of_04():
    if not CORPUS.is_dir():
        pytest.skip(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
    path = next(CORPUS.glob("04_*.layout.txt"))
    doc = layout.read(path.read_text(encoding="utf-8"))
    assert [r.number for r in doc.rows].index(None) == 5
    assert doc.rows[5].activity.startswith("Pengguna layanan menyampaikan")


# -- robustness: mutated documents and random text -------------------------------------------


test_mutated_document_reads_or_refuses, test_random_text_reads_or_refuses = robustness_tests(
    layout, FIXTURES / "a2-layout-dinkes-cuti.txt"
)


def test_continuation_page_with_other_column_widths_is_refitted():
    doc = layout.read((FIXTURES / "a2-layout-refit.txt").read_text(encoding="utf-8"))
    assert doc.roles == ["Bendahara", "Verifikator", "PPK"]
    assert [r.number for r in doc.rows] == [1, 2, 3, 4, 5, 6]
    r4, r6 = doc.rows[3], doc.rows[5]
    assert (r4.requirements, r4.duration, r4.output) == (
        "SPP lengkap dan terverifikasi",
        "1 hari kerja",
        "SPM terbit",
    )
    # a Waktu joined to the Kelengkapan by one space stays whole
    assert (r6.requirements, r6.duration, r6.output) == ("SPM sah dan SPP", "30 menit", "Arsip")
    assert "PPK" not in r4.marks
    assert [w.code for w in doc.warnings] == ["columns-refitted"]
    assert doc.rows[1].notes == "Memakai daftar uji SPP"


def test_numbered_index_row_and_colon_identity():
    doc = layout.read((FIXTURES / "a2-layout-refit.txt").read_text(encoding="utf-8"))
    assert doc.identity.number == "027/05/SOP-BPKAD/2023"
    assert doc.identity.name == "Verifikasi Surat Permintaan Pembayaran"
    assert all("(" not in r.activity for r in doc.rows)


def test_corpus_06_mutu_baku_on_both_pages():
    if not CORPUS.is_dir():
        pytest.skip(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
    doc = layout.read(next(CORPUS.glob("06_*.layout.txt")).read_text(encoding="utf-8"))
    assert [r.duration for r in doc.rows] == [
        "1 hari kerja",
        "3 hari kerja",
        "3 hari kerja",
        "3 hari kerja",
        "1 hari kerja",
        "1 hari kerja",
        "1 hari kerja",
    ]
    assert doc.rows[4].output == "Surat Usulan Perubahan Pemaketan."


def test_corpus_08_name_centred_on_its_label():
    if not CORPUS.is_dir():
        pytest.skip(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
    doc = layout.read(next(CORPUS.glob("08_*.layout.txt")).read_text(encoding="utf-8"))
    assert doc.identity.name == "Standar Operasional Prosedur Diseminasi dan Evaluasi SERUTI"


_WRAPPED_NUMBER = """\
                                  Kadis   PPK                    Mutu Baku
No          Aktivitas                                                              Keterangan
                                                    Persyaratan/   Waktu   Output
11   Memilah rencana kerja sesuai                   Formulir       1 hari  Draf Surat
     jenisnya; jika teknis ke langkah
     12, jika administratif ke langkah               Administratif

     24
                                    Teknis

12   Mencetak nota dinas                             Laporan IKU    2 Hari  Arsip
"""


def test_a_wrapped_step_reference_under_the_activity_text_is_no_row_number():
    doc = layout.read(_WRAPPED_NUMBER)
    assert [r.number for r in doc.rows] == [11, 12]
    assert doc.rows[0].activity.endswith("jika administratif ke langkah 24")
    assert doc.rows[1].output == "Arsip"


_TIGHT_WAKTU = """\
                                                   Mutu Baku
No          Aktivitas                                                              Keterangan
                                Persyaratan/    Waktu             Output
7    Mengagendakan nota dinas   Surat Edaran    2 hr         Paraf                Rangkap dua
8    Memaraf daftar hadir       Nota Dinas      2 menit/berkas Surat Edaran       Melalui aplikasi
9    Menyampaikan daftar hadir  Disposisi       30 Menit     Laporan IKU
10   Memverifikasi dokumen      Disposisi       5 s.d 10 menit Surat keluar
11   Mengarsipkan konsep surat  Laporan IKU     2 Hari       Arsip
"""


def test_a_waktu_value_running_up_to_the_output_column_keeps_the_output_edge():
    doc = layout.read(_TIGHT_WAKTU)
    assert [r.output for r in doc.rows] == [
        "Paraf", "Surat Edaran", "Laporan IKU", "Surat keluar", "Arsip"]
    assert [r.duration for r in doc.rows][1:4] == ["2 menit/berkas", "30 Menit", "5 s.d 10 menit"]


_THREE_LINE_HEADER = """\
                                        Pelaksana                                 Mutu Baku

No    Aktivitas         Ketua Tim
                                            Ketua Project                        Persyaratan/
                        Metodologi dan                                                        Waktu
                                            Analisis Sektor
                        Analisis Statistik                      Tim Data         Kelengkapan
                                                                (Approver )

1.    Perencanaan           X                                                    POK          1 hari
2.    Persiapan                                 X                                Data         1 hari
"""


def test_a_header_cell_wrapped_over_three_lines_keeps_its_whole_name():
    """The last header line is six lines below the group titles and holds a Mutu Baku title
    too; the bracket of a wrapped "(Approver )" is tidied."""
    doc = layout.read(_THREE_LINE_HEADER)
    assert doc.roles == [
        "Ketua Tim Metodologi dan Analisis Statistik",
        "Ketua Project Analisis Sektor",
        "Tim Data (Approver)",
    ]
    assert [r.number for r in doc.rows] == [1, 2]
    assert doc.rows[0].requirements == "POK"


_SPLIT_LABELS = """\
No    Kegiatan                         Pegawai      Kasubbag     Waktu      Output

1     Menyiapkan berkas                   X                      1 hari     Berkas
                                                       T
2     Memeriksa kelengkapan berkas                     X         1 hari     Hasil periksa

                                                       Y
3     Mengarsipkan berkas                 X                      1 hari     Arsip
"""

_SPLIT_LABELS_NEAR_QUESTION = _SPLIT_LABELS.replace(
    "2     Memeriksa kelengkapan berkas                     X",
    "2     Memeriksa kelengkapan berkas                  Lengkap?")


def test_labels_of_one_diamond_split_over_two_rows_join_the_nearer_one():
    """"T" above step 2 and "Y" above step 3 are the two branches of step 2's diamond."""
    rows = layout.read(_SPLIT_LABELS).rows
    assert rows[1].marks == {"Kasubbag": "T\nX\nY"}
    assert rows[2].marks == {"Pegawai": "X"}


def test_labels_beside_a_written_question_are_left_to_the_inference():
    """The inference lends floating labels to the question's row; the reader keeps them where
    the text put them."""
    rows = layout.read(_SPLIT_LABELS_NEAR_QUESTION).rows
    assert rows[0].marks == {"Pegawai": "X", "Kasubbag": "T"}
    assert rows[1].marks == {"Kasubbag": "Lengkap?\nY"}


_SPILLED_LABELS = """\
No    Kegiatan                         Pegawai      Kasubbag     Waktu      Output

1     Menyiapkan berkas                   X                      1 hari     Berkas

                                          T            T
2     Memeriksa kelengkapan berkas        Y            X         1 hari     Hasil periksa
                                                       T

3     Mengarsipkan berkas                 X                      1 hari     Arsip
"""


def test_a_one_branch_row_joins_the_neighbour_that_has_both_branches_in_its_words():
    """Step 1 holds only the "T"s that spilled from step 2's diamond; "Ya" would not join
    a "Y"/"T" diamond."""
    rows = layout.read(_SPILLED_LABELS).rows
    assert rows[0].marks == {"Pegawai": "X"}
    assert rows[1].marks == {"Pegawai": "T\nY", "Kasubbag": "T\nX\nT"}
    other_words = layout.read(_SPILLED_LABELS.replace("T            T", "Tidak        T")).rows
    assert other_words[0].marks == {"Pegawai": "X\nTidak", "Kasubbag": "T"}


_KEYWORD_IN_FIRST_ROW = """\
                                                                        Mutu Baku
              NO      Aktivitas                                                             Ket
                                                Arsiparis   Kelengkapan   Waktu     Output

              (1)     (2)                       (3)         (4)           (5)       (6)     (7)
              1   Mengoreksi data, lalu           X         Formulir      1 hari    Data
                  diserahkan kepada
                  Pelaksana

              2   Mengarsipkan data               X         Data          1 hari    Arsip
"""


def test_a_header_keyword_wrapped_into_the_first_row_is_no_header():
    """The header may reach eight lines, but not past its index row: "Pelaksana" there is
    the end of step 1's sentence."""
    doc = layout.read(_KEYWORD_IN_FIRST_ROW)
    assert doc.roles == ["Arsiparis"]
    assert [r.number for r in doc.rows] == [1, 2]
    assert doc.rows[0].activity == "Mengoreksi data, lalu diserahkan kepada Pelaksana"


_ACTIVITY_WORD_IN_FIRST_ROW = """\
                                                    Pelaksana
            No        Kegiatan
                                                Kadis       PPK           Waktu     Output

            8     PPK menggandakan usulan                     X           5 menit   Nota

                  kegiatan

            9     Mengoreksi surat                X                       1 jam     Buku
"""


def test_a_row_number_ends_the_header_before_a_wrapped_activity_word():
    """"kegiatan", the wrapped end of step 8, is a header word six lines below the group
    title; the numbered row above it has already ended the header."""
    doc = layout.read(_ACTIVITY_WORD_IN_FIRST_ROW)
    assert [r.number for r in doc.rows] == [8, 9]
    assert doc.rows[0].activity == "PPK menggandakan usulan kegiatan"
    assert doc.rows[0].duration == "5 menit"
