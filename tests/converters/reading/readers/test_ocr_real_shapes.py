"""The OCR reader on the shapes Tesseract gives of real signed SOP tables (issue 11).

The texts are written here the way Tesseract (``--psm 4``, 300 dpi) reads real scanned SOPs:
a role header on one line with the Mutu Baku titles, a drawn symbol's digit at both ends,
the wrapped ends of the long titles on the line below; an identity block whose Peringatan
item starts "1. Pelaksana ..."; a table whose header OCR lost, its activities naming their
performers; yes/no labels beside a checking step. Agencies and units are invented.
"""

from __future__ import annotations

from converters.reading.inference import infer
from converters.reading.raw import UNPLACED
from converters.reading.readers import ocr, read_text

ONE_LINE_HEADER = """\
Nomor SOP 12/DLH/2024
Tanggal Pembuatan 3 Maret 2024
Disahkan oleh Kepala Dinas Lingkungan Hidup
NAMA SOP Penerbitan Rekomendasi Teknis
KUALIFIKASI PELAKSANA :
1. Memahami peraturan lingkungan hidup
PERINGATAN PENCATATAN DAN PENDATAAN
- Rekomendasi terlambat diterbitkan - Arsip rekomendasi tersimpan

Pelaksana Mutu Baku

No Kegiatan i isti i Keterangan
9 Kepala Dinas Tim Verifikasi Lapangan UPT Kecamatan Kelengkapan Waktu Output 9
Dinas Lingkungan
1 Menerima berkas permohonan Berkas permohonan 1 Hari Berkas diterima
rekomendasi dari pemohon

2 Melakukan verifikasi lapangan Berkas permohonan 3 Hari Berita acara verifikasi
atas lokasi kegiatan

3 Memeriksa hasil verifikasi Tidak Berita acara verifikasi 1 Hari Hasil pemeriksaan
lapangan
Ya

4 Menandatangani rekomendasi Konsep rekomendasi 1 Hari Rekomendasi teknis
"""


def test_digit_debris_before_the_titles_line_is_no_row():
    raw = ocr.read(ONE_LINE_HEADER)
    assert [r.number for r in raw.rows] == [1, 2, 3, 4]
    assert all("Kelengkapan" not in r.activity for r in raw.rows)


def test_one_line_titles_split_and_the_wrapped_end_goes_to_the_longest():
    raw = ocr.read(ONE_LINE_HEADER)
    assert raw.roles == ["Kepala Dinas", "Tim Verifikasi Lapangan Dinas Lingkungan",
                         "UPT Kecamatan"]


def test_labels_beside_a_checking_step_make_its_decision():
    raw = ocr.read(ONE_LINE_HEADER)
    marks = {r.number: r.marks for r in raw.rows}
    assert marks[3] == {UNPLACED: "Ya\nTidak"}
    assert not any(marks[n] for n in (1, 2, 4))
    sop = infer(raw)
    decisions = {s.number: s.decision for s in sop.steps if s.decision}
    assert list(decisions) == [3]
    assert decisions[3].labels == ("Ya", "Tidak")
    assert decisions[3].approve_to == 4


def test_labels_stay_unplaced_when_the_text_states_its_conditions():
    text = ONE_LINE_HEADER.replace(
        "4 Menandatangani rekomendasi", "4 Menandatangani rekomendasi jika sesuai"
    )
    raw = ocr.read(text)
    assert not any(r.marks for r in raw.rows)


HEADER_LOST = """\
Nomor SOP 7/PBJ/2024
Nama SOP : PENGADAAN LANGSUNG BARANG
Dasar Hukum: Kualifikasi Pelaksanaan:
1. Peraturan Presiden Nomor 12 Tahun 2021 1. Pejabat Pengadaan mampu menilai penawaran
Peringatan: Pencatatan dan Pendataan:
1. Pelaksana bertanggungjawab atas pelaksanaan aktivitas yang telah ditetapkan, Copy berkas
2. Segala bentuk penyimpangan atas mutu baku terkait perlengkapan, waktu maupun output

1. (Pejabat Pengadaan mengundang calon Penyedia. Dokumen Pengadaan. 1 hari kerja Undangan.

2. (Penyedia menyampaikan penawaran. Dokumen Penawaran. 3 hari kerja Penawaran masuk.

3. (Pejabat Pengadaan mengevaluasi penawaran. Dokumen Penawaran. 2 hari kerja Hasil evaluasi.

4. (Pejabat Pengadaan menetapkan Penyedia. Hasil evaluasi. 1 hari kerja Penetapan.
"""


def test_a_peringatan_item_naming_pelaksana_is_no_header():
    raw = ocr.read(HEADER_LOST)
    assert [r.number for r in raw.rows] == [1, 2, 3, 4]
    assert raw.rows[0].activity.startswith("Pejabat Pengadaan mengundang")


def test_lost_header_roles_are_the_activities_subjects():
    raw = ocr.read(HEADER_LOST)
    # "Pejabat Pengadaan" opens three activities; "Penyedia" one, but the Kualifikasi
    # Pelaksana section does not name it, so it is no column of its own
    assert raw.roles == ["Pejabat Pengadaan"]
    sop = infer(raw)
    assert sop.steps[0].role == "Pejabat Pengadaan"


def test_the_shapes_are_read_by_the_ocr_reader():
    assert read_text(ONE_LINE_HEADER).source_format == "ocr"
    assert read_text(HEADER_LOST).source_format == "ocr"


def test_a_misread_first_number_is_one_when_the_next_row_is_two():
    text = ONE_LINE_HEADER.replace("1 Menerima berkas", "4 Menerima berkas")
    raw = ocr.read(text)
    assert [r.number for r in raw.rows] == [1, 2, 3, 4]
    assert raw.rows[0].activity.startswith("Menerima berkas")


def test_a_subject_read_with_rule_debris_counts_as_the_plain_name():
    text = HEADER_LOST.replace("2. (Penyedia menyampaikan", "2. IPenyedia menyampaikan").replace(
        "4. (Pejabat Pengadaan menetapkan Penyedia", "4. (Penyedia menandatangani kontrak"
    )
    raw = ocr.read(text)
    # "IPenyedia" (the table's rule read as "I") and "Penyedia": one performer, two rows
    assert raw.roles == ["Pejabat Pengadaan", "Penyedia"]


def test_an_acronym_opening_the_titles_line_is_a_column_of_its_own():
    text = ONE_LINE_HEADER.replace(
        "9 Kepala Dinas Tim Verifikasi Lapangan UPT Kecamatan",
        "9 UPT Tim Verifikasi Lapangan Bagian Umum",
    ).replace("Dinas Lingkungan\n", "")
    raw = ocr.read(text)
    assert raw.roles == ["UPT", "Tim Verifikasi Lapangan", "Bagian Umum"]


def test_a_row_under_the_titles_is_not_dealt_to_the_roles():
    text = ONE_LINE_HEADER.replace("Dinas Lingkungan\n", "Pendaftaran berkas pada loket\n")
    raw = ocr.read(text)
    assert raw.roles == ["Kepala Dinas", "Tim Verifikasi Lapangan", "UPT Kecamatan"]


CENTRED_NUMBERS = """\
PELAKSANA MUTU BAKU

NO. AKTIVITAS KETERANGAN
Kepala Seksi Tim Pelayanan Kelengkapan Waktu Output
Pendaftaran permohonan izin pada loket Formulir 1 Jam Berkas terdaftar
1 pelayanan

Pemeriksaan berkas permohonan izin Berkas terdaftar 1 Hari Berkas diperiksa
2 | | oleh petugas

Penerbitan izin usaha Berkas diperiksa 2 Hari Izin terbit
3 | | Izin
"""


def test_a_number_centred_beside_the_second_line_takes_the_line_above():
    raw = ocr.read(CENTRED_NUMBERS)
    assert [r.number for r in raw.rows] == [1, 2, 3]
    assert [r.activity.split()[0] for r in raw.rows] == ["Pendaftaran", "Pemeriksaan",
                                                           "Penerbitan"]
    assert [r.duration for r in raw.rows] == ["1 Jam", "1 Hari", "2 Hari"]
    assert raw.roles == ["Kepala Seksi", "Tim Pelayanan"]
