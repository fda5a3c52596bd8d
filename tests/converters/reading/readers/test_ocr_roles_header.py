"""Role titles of OCR'd table headers (issue 11): titles that stand on one line read as one
run of words, titles whose second lines OCR gave as a line of their own, a team named after
the unit or before its team word, and performers named as an activity's subject.

The header lines are shaped like Tesseract's ``--psm 4`` and ``--psm 6`` texts of real signed
SOPs (``bench/corpus_text.py --forms ocr``) and of the generated ones
(``bench/text_fidelity.py``), with made-up units: no document's own words."""

from __future__ import annotations

from converters.model import ReaderWarning
from converters.reading.raw import RawRow
from converters.reading.readers.ocr.role_columns import read_roles
from converters.reading.readers.ocr.role_units import split_runs, tidy_roles
from converters.reading.readers.ocr.subjects import subject_names


def _roles(*header: str) -> list[str]:
    warnings: list[ReaderWarning] = []
    return read_roles(["Pelaksana Mutu Baku", *header], warnings, 0)


def test_second_lines_of_narrow_titles_go_one_to_each_title() -> None:
    """Four titles wrapped in four narrow cells: OCR gives their first lines on one line and
    their second lines on the next. Each title takes its own word, not the longest title all
    of them."""
    roles = _roles(
        "No Aktivitas . . . .",
        "Ketua Tim Pangan PJ Pangan Fungsional Tim Kerja Persyaratan/ Waktu Output",
        "Daerah Olahan Penyuluh Pendukung Kelengkapan",
    )
    assert roles == ["Ketua Tim Pangan Daerah", "PJ Pangan Olahan", "Fungsional Penyuluh",
                     "Tim Kerja Pendukung"]


def test_titles_naming_the_same_unit_share_their_second_line_words() -> None:
    """ "Ketua Tim Statistik" and "Anggota Tim" over "Harga Statistik Harga": the two posts of
    one team name the same unit, so the second title takes "Statistik Harga"; an office's
    acronym at the end of the first line ("BPS") is a column of its own over its region."""
    roles = _roles(
        "No Kegiatan Ketua Tim Statistik Anggota Tim Kepala Bagian BPS Keterangan",
        "Harga Statistik Harga Umum Kabupaten/Kota Kelengkapan Waktu Output",
    )
    assert roles == ["Ketua Tim Statistik Harga", "Anggota Tim Statistik Harga",
                     "Kepala Bagian Umum", "BPS Kabupaten/Kota"]


def test_a_one_line_title_after_the_second_lines_is_a_column() -> None:
    """ "BPS RI" ends the line of second lines: a title of one line, centred in its cell,
    not the end of the title before it."""
    roles = _roles(
        "No Kegiatan Ketua Tim Statistik Anggota Tim Ketua Tim Neraca Keterangan",
        "Harga Statistik Harga Wilayah BPS RI Kelengkapan Waktu Output",
    )
    assert roles[-2:] == ["Ketua Tim Neraca Wilayah", "BPS RI"]


def test_debris_lines_under_the_header_are_no_title_words() -> None:
    """A symbol's debris ("Sena NN Ke Nan") and a row's text read above its number (a word
    ending in a comma) are not the titles' second lines."""
    assert _roles(
        "No Aktivitas Keterangan",
        "Kasubbag Umum Pengadministrasi Umum Persyaratan Waktu Output",
        "Sena NN Ke Nan",
    ) == ["Kasubbag Umum", "Pengadministrasi Umum"]
    assert _roles(
        "No Kegiatan Ketua Tim Gizi Anggota Tim Keterangan",
        "Keluarga Gizi Keluarga Kelengkapan Waktu Output",
        "N DSBS, Jumlah",
    ) == ["Ketua Tim Gizi Keluarga", "Anggota Tim Gizi Keluarga"]


def test_a_team_word_starts_its_own_column_after_a_jabatan_that_takes_none() -> None:
    """ "Ketua Tim" and "Anggota Tim" are jabatan; "Fungsional Tim Kerja" is two columns."""
    assert _roles(
        "No Kegiatan Ketua Tim Pangan Fungsional Tim Kerja Kelengkapan Waktu Output",
    ) == ["Ketua Tim Pangan", "Fungsional", "Tim Kerja"]
    assert _roles(
        "No Kegiatan PJK Survei/Anggota Tim Pangan Kelengkapan Waktu Output",
    ) == ["PJK Survei/Anggota Tim Pangan"]


def test_a_team_of_a_unit_and_a_team_named_before_its_team_word() -> None:
    assert _roles(
        "Uraian Prosedur Tim Promosi Wisata Tim Bagian Umum Kelengkapan Waktu Output",
    ) == ["Tim Promosi Wisata", "Tim Bagian Umum"]
    assert _roles(
        "NO. AKTIVITAS KETERANGAN",
        "CAN Tim Konsumsi Bagian Umum Event Team Kelengkapan Waktu Output",
    ) == ["CAN", "Tim Konsumsi", "Bagian Umum", "Event Team"]


def test_a_word_only_like_a_jabatan_after_a_team_word_names_the_team() -> None:
    """ "Stat." after "Ketua Tim" is the team's name shortened, not the jabatan "Staf"."""
    assert _roles(
        "No Aktivitas Ketua Tim Stat. Anggota Tim Stat. Kelengkapan Waktu Output",
    )[:2] == ["Ketua Tim Stat.", "Anggota Tim Stat."]


def test_an_office_after_a_titled_column_starts_a_column() -> None:
    assert _roles(
        "No Aktivitas Tim Statistik Dinas Perikanan Kelengkapan Waktu Output",
    ) == ["Tim Statistik", "Dinas Perikanan"]


def test_one_line_of_titles_is_cut_where_the_activities_name_its_pieces() -> None:
    """ "Ketua Proyek Desainer Grafis Penerjemah": the activities name "desainer grafis" and
    "penerjemah" as the ones chosen and handed the work, so they are columns of their own."""
    lines = [
        "2 Menentukan desainer grafis dan penerjemah",
        "3 Menyerahkan draf kepada penerjemah",
    ]
    assert split_runs(["Ketua Tim", "Ketua Proyek Desainer Grafis Penerjemah"], lines) == [
        "Ketua Tim", "Ketua Proyek", "Desainer Grafis", "Penerjemah"]


def test_a_long_title_the_activities_write_as_a_name_is_kept() -> None:
    """Pieces the text writes as the end of another name ("pengguna layanan"), after a word of
    the title itself, or an office's region after its acronym ("BPS Provinsi") cut nothing."""
    assert split_runs(["Tim Statistik Produksi BPS Provinsi"],
                      ["diserahkan kepada provinsi", "data dari provinsi"]) == [
        "Tim Statistik Produksi BPS Provinsi"]
    assert split_runs(["Resepsionis Loket Sarana Pelayanan Layanan"],
                      ["3 Pengguna layanan menyampaikan", "langsung ke layanan"]) == [
        "Resepsionis Loket Sarana Pelayanan Layanan"]
    assert split_runs(["Ketua Tim Kerja Statistik Sosial"],
                      ["menyusun statistik sosial", "kepada tim statistik sosial"]) == [
        "Ketua Tim Kerja Statistik Sosial"]


def test_dan_inside_a_unit_name_is_kept() -> None:
    rows = [RawRow(number=1, activity="Menyusun laporan")]
    assert tidy_roles(["Ketua Tim Distribusi dan Jasa", "Kasi dan"], lambda _: False,
                      rows) == ["Ketua Tim Distribusi dan Jasa", "Kasi"]


def test_an_activity_opening_with_two_verbs_names_no_subject() -> None:
    """ "Menerima dan memeriksa ..." opens with its verbs: "Menerima" is no performer."""
    rows = [RawRow(number=i, activity=a) for i, a in enumerate([
        "Menerima dan memeriksa usulan kegiatan",
        "Menerima dan memeriksa surat undangan",
        "Panitia Seleksi dan Peserta melakukan rapat",
        "Panitia Seleksi membuat pengumuman",
    ], 1)]
    assert subject_names(rows) == ["Panitia Seleksi"]


def test_titles_that_name_no_jabatan_are_read_from_the_line_of_the_mutu_titles() -> None:
    """No title opens with a jabatan word: the words before the Mutu Baku titles are the
    columns, a word after "/", an acronym and an acronym's region continuing a title. A lone
    word before "Waktu" where no title names the requirements is that column ("Masukan")."""
    assert _roles(
        "Pegawai Admin/ PJK TI Montir Mitra/Vendor Masukan Waktu Output",
        "No Kegiatan Keterangan",
    ) == ["Pegawai", "Admin/ PJK TI", "Montir", "Mitra/Vendor"]
    # a title read twice in a row stays twice here: the line under the header tells the two
    # columns apart, or makes them one again (role_units.rehome_units)
    assert _roles(
        "No Kegiatan Keterangan",
        "g BPS Kab/Kota Aplikasi SIG Aplikasi SIG Waktu Output g",
    ) == ["BPS Kab/Kota", "Aplikasi SIG", "Aplikasi SIG"]
