"""The OCR reader's cells: branch labels, a Waktu of "-", cells told apart without a Waktu,
names broken over lines, rows and headers read as blocks (issue 11, Tesseract texts).

Each text is shaped as Tesseract gives it: one visual line of the table per line, the cells
of a row in reading order, symbols and rules read as stray characters.
"""

from __future__ import annotations

from converters.reading.readers import ocr

_HEADER = """SOP Pengelolaan Surat Masuk

Kadis PPK Kabid Kasubbag Perencanaan Staf Mutu Baku
No Aktivitas Keterangan
Persyaratan/ Waktu Output
Perlengkapan
"""


def _rows(body: str) -> list:
    return ocr.read(_HEADER + body).rows


# -- branch labels ---------------------------------------------------------------------------


def test_named_branch_labels_are_the_conditions_of_the_activity():
    """A decision with named branches labels its diamond with the conditions it states;
    OCR misspells them or reads a rule between their words, and they are no Output."""
    rows = _rows(
        "1 | Memilah surat masuk sesuai jenisnya, jika kotak pengaduan diteruskan Buku agenda "
        "2 jam SPM\n"
        "ke langkah 2, jika tatap muka diteruskan ke langkah 3 Tatap|muka\n"
        "Kotak Pengdduan\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi 1 hari Arsip\n"
        "3 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar\n"
    )
    assert rows[0].output == "SPM"
    assert rows[0].activity.endswith("jika tatap muka diteruskan ke langkah 3")


def test_a_named_label_cut_into_blocks_is_left_out_of_a_row_read_as_blocks():
    rows = _rows(
        "1 | Menyusun laporan realisasi anggaran Disposisi 1 hari Arsip\n"
        "2\n\n"
        "Memilah konsep surat keluar sesuai\n"
        "jenisnya, jika teknis diteruskan ke langkah 3, jika\n"
        "administratif diteruskan ke langkah 1\n\n"
        "Teknis\n\nAdmin\n\nstratif\n\n"
        "Nota Dinas\n\n1 hari kerja\n\nSPM\n\nRangkap dua\n\n"
        "3 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar\n"
    )
    assert rows[1].number == 2
    assert rows[1].activity.endswith("jika administratif diteruskan ke langkah 1")
    assert (rows[1].requirements, rows[1].duration, rows[1].output, rows[1].notes) == (
        "Nota Dinas", "1 hari kerja", "SPM", "Rangkap dua")


def test_a_line_of_labels_split_by_a_rule_or_misread_is_no_mutu_baku():
    rows = _rows(
        "1 | Memeriksa surat undangan, jika setuju diteruskan Buku agenda 2 jam Arsip\n"
        "kepada Kabid, jika tidak setuju permohonan ditolak\n"
        "Tidak| setuju\n"
        "2 | Memeriksa nota dinas, jika setuju diteruskan Disposisi 1 hari Rekap data\n"
        "kepada Staf, jika tidak setuju Sesuai? HIIPK setuju\n"
        "dikembalikan kepada Kabid\n"
        "3 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar Tid\n"
    )
    assert [r.output for r in rows] == ["Arsip", "Rekap data", "Surat keluar"]
    assert rows[0].activity.endswith("permohonan ditolak")


# -- the Waktu ---------------------------------------------------------------------------------


def test_times_sign_and_a_number_word_waiting_for_its_unit():
    rows = _rows(
        "1 | Mengoreksi nota dinas Buku agenda 2 x 24 jam Arsip\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi setengah Rekap data Rangkap dua\n"
        "bersama tim jam\n"
    )
    assert [r.duration for r in rows] == ["2 x 24 jam", "setengah jam"]
    assert (rows[1].output, rows[1].notes) == ("Rekap data", "Rangkap dua")


def test_a_copies_count_after_the_output_is_no_waktu():
    rows = _rows(
        "1 | Mengoreksi nota dinas Buku agenda 2 jam Arsip\n"
        "2 | Menyusun laporan realisasi anggaran Disposisi Rekap data Rangkap dua\n"
        "bersama tim kemudian diserahkan kepada Kabid jam\n"
    )
    assert rows[1].duration == ""


def test_a_keterangan_opener_right_after_the_waktu_is_no_output():
    rows = _rows("1 | Mengoreksi nota dinas Buku agenda 2 Hari Rangkap dua\n")
    assert (rows[0].output, rows[0].notes) == ("", "Rangkap dua")


def test_a_dash_between_two_cells_is_the_waktu():
    rows = _rows(
        "1 | Mengoreksi nota dinas Buku agenda 2 jam Arsip\n"
        "2 | Menerima surat masuk, jika ada diteruskan kepada . Nota Dinas - Surat Edaran "
        "Melalui aplikasi\n"
    )
    assert (rows[1].requirements, rows[1].duration, rows[1].output, rows[1].notes) == (
        "Nota Dinas", "-", "Surat Edaran", "Melalui aplikasi")


# -- cells without a Waktu ---------------------------------------------------------------------


def test_cells_without_a_waktu_are_told_apart_by_the_cells_of_other_rows():
    """The "-" of an empty Waktu is lost: the Keterangan opens with its own word, and two
    Capitalised cells meet where one of them is a cell another row holds."""
    rows = _rows(
        "1 | Mengoreksi nota dinas Laporan IKU 2 jam Arsip\n"
        "2 | Mengarsipkan konsep surat keluar beserta lampiran Laporan IKU Draf Surat "
        "Melalui aplikasi\n"
        "dan data dukung\n"
    )
    assert (rows[1].requirements, rows[1].output, rows[1].notes) == (
        "Laporan IKU", "Draf Surat", "Melalui aplikasi")
    assert rows[1].activity.endswith("beserta lampiran dan data dukung")


def test_one_unknown_cell_without_a_waktu_stays_whole():
    rows = _rows(
        "1 | Mengoreksi nota dinas Buku agenda 2 jam Arsip\n"
        "2 | Mengarsipkan konsep surat keluar Surat Edaran Rangkap dua\n"
    )
    assert rows[1].requirements == "Surat Edaran"
    assert rows[1].notes == "Rangkap dua"


def test_a_cell_starting_inside_a_capitalised_name_on_the_first_line():
    """ "Surat Perintah" / "Membayar": the activity's name wrapped, and the Kelengkapan
    "Nota Dinas" (a cell of another row) starts right after its first words."""
    rows = _rows(
        "1 | Mengoreksi nota dinas Nota Dinas 2 jam Arsip\n"
        "2 | Mengarsipkan Surat Perintah Nota Dinas Segera SPM\n"
        "Membayar bersama Kasi\n"
        "3 | Memaraf Surat Perintah Membayar beserta lampiran Disposisi 1 jam Paraf\n"
    )
    assert rows[1].activity == "Mengarsipkan Surat Perintah Membayar bersama Kasi"
    assert (rows[1].requirements, rows[1].output) == ("Nota Dinas", "SPM")


# -- names broken over lines -------------------------------------------------------------------


def test_a_capitalised_name_broken_off_goes_on_with_its_sentence():
    rows = _rows(
        "1 | Menyampaikan konsep Indikator Kinerja Y Surat Edaran 1 Minggu Draf Surat\n"
        "Utama, kemudian diserahkan kepada\n"
        "Kabid\n"
        "2 | Memverifikasi surat masuk melalui aplikasi Nota Dinas 1 jam Arsip\n"
        "SRIKANDI, kemudian diserahkan kepada Staf\n"
    )
    assert rows[0].activity.endswith("Kinerja Utama, kemudian diserahkan kepada Kabid")
    assert rows[0].output == "Draf Surat"
    assert rows[1].activity.endswith("aplikasi SRIKANDI, kemudian diserahkan kepada Staf")
    assert rows[1].output == "Arsip"


def test_a_wrapped_word_without_evidence_goes_to_the_fuller_cell():
    """ "hari Jumat" after the Output "Arsip" and the Keterangan "Paling lambat": the
    fuller cell is the one that wrapped."""
    rows = _rows(
        "1 | Mencetak notulen rapat sesuai dengan ketentuan Buku agenda 2 hr Arsip Paling lambat\n"
        "peraturan yang berlaku | | hari Jumat\n"
    )
    assert (rows[0].output, rows[0].notes) == ("Arsip", "Paling lambat hari Jumat")


def test_a_circle_read_as_letters_and_a_bracket_is_a_remnant():
    rows = _rows(
        "1 | Menyusun notulen rapat beserta lampiran Buku agenda 1 jam Disposisi\n"
        "dan data dukung C0)\n"
    )
    assert rows[0].output == "Disposisi"


# -- rows and headers read as blocks ----------------------------------------------------------


def test_a_lone_number_takes_the_activity_block_after_it():
    rows = _rows(
        "1 | Mengoreksi nota dinas Buku agenda 2 jam Arsip\n"
        "2\n\n"
        "Menyusun laporan realisasi anggaran tahun berjalan\n\n"
        "Disposisi\n\n1 hari\n\nRekap data\n\n"
        "4 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar\n"
    )
    # a later row's number lost as well leaves room for a row here: the block is still 2's
    assert [r.number for r in rows] == [1, 2, 4]
    assert (rows[1].activity, rows[1].duration, rows[1].output) == (
        "Menyusun laporan realisasi anggaran tahun berjalan", "1 hari", "Rekap data")


def test_a_repeated_header_read_as_blocks_is_no_part_of_a_row():
    rows = _rows(
        "1 | Mengoreksi nota dinas Buku agenda 2 jam Arsip\n"
        "2 | Menggandakan konsep surat keluar melalui Disposisi 1 jam SPM\n"
        "aplikasi SRIKANDI\n\n"
        "SOP Pengelolaan Surat Masuk\n\nNo\n\nKegiatan\n\nPelaksana\n\nMutu Baku\n\n"
        "Kadis\n\nPPK\n\nKasubbag\nPerencanaan\n\nKelengkapan\n\nWaktu\n\nOutput\n\n"
        "Keterangan\n\n"
        "Staf mendistribusikan draf laporan kinerja,\n"
        "kemudian diserahkan kepada Kabid\n\n"
        "Nota Dinas\n\n5 Menit\n\nLaporan IKU\n\n"
        "4 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar\n"
    )
    assert rows[1].output == "SPM"
    assert "Pelaksana" not in rows[1].activity
    assert rows[2].activity == (
        "Staf mendistribusikan draf laporan kinerja, kemudian diserahkan kepada Kabid")
    assert (rows[2].duration, rows[2].output) == ("5 Menit", "Laporan IKU")


def test_a_waktu_in_words_read_as_blocks_keeps_the_output_after_it():
    rows = _rows(
        "1 | Mengoreksi nota dinas Buku agenda 2 jam Arsip\n"
        "2\n\n"
        "Staf mengagendakan rencana kerja anggaran\n\n"
        "Berkas\npermohonan\n\nSesuai\nkebutuhan\n\nRekap data\n\n"
        "3 | Mencetak rekapitulasi data Nota Dinas 1 jam Surat keluar\n"
    )
    assert (rows[1].requirements, rows[1].duration, rows[1].output) == (
        "Berkas permohonan", "Sesuai kebutuhan", "Rekap data")


def test_an_arrow_tip_read_as_a_digit_before_the_waktu_is_no_part_of_it():
    rows = _rows(
        "1 | Memeriksa laporan: jika sesuai proses 1 1 minggu 2 Berkas lengkap\n"
        "selesai, jika tidak sesuai dikembalikan kepada Staf T hari\n"
    )
    assert rows[0].duration == "1 minggu 2 hari"
    assert rows[0].activity.startswith("Memeriksa laporan: jika sesuai proses selesai,")


# -- recognising OCR text ----------------------------------------------------------------------

_BLOCKS = (
    "SOP Pengelolaan Surat Masuk\n\nNo\n\nKegiatan\n\nPelaksana\n\nMutu Baku\n\n"
    "Kadis\n\nStaf\n\nKelengkapan\n\nWaktu\n\nOutput\n\nKeterangan\n\n"
    "Staf mengagendakan surat masuk\n\nBuku agenda\n\n1 jam\n\nArsip\n\n"
    "Kadis memeriksa surat masuk\n\nDisposisi\n\n2 jam\n\nNota Dinas\n\n"
    "3\n\nMengarsipkan surat masuk\n\nBuku agenda\n\n1 hari\n\nArsip\n\n"
)


def test_rows_with_their_rule_read_as_a_character_mark_ocr_text():
    """Read as blocks, an OCR page looks like plain ``pdftotext``; a row whose rule was read
    as "|" or "I" glued to its activity is written by no other tool."""
    ruled = _BLOCKS + (
        "4 |Mencetak surat keluar Nota Dinas 1 jam Arsip\n"
        "5 IMenandatangani surat keluar Nota Dinas 1 jam Arsip\n"
    )
    plain = _BLOCKS + (
        "4\n\nMencetak surat keluar\n\nNota Dinas\n\n1 jam\n\nArsip\n\n"
        "5\n\nMenandatangani surat keluar\n\nNota Dinas\n\n1 jam\n\nArsip\n"
    )
    assert ocr.sniff(ruled) >= ocr.sniff(plain) + 0.4
