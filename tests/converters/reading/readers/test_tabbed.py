"""The tab reader on the four tabbed samples and on fixtures in other shapes."""

from pathlib import Path

import pytest

from converters.model import ConversionError
from converters.reading.raw import RawDocument
from converters.reading.readers import tabbed

ROOT = Path(__file__).resolve().parents[4]
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures" / "sops"


def _read(name: str) -> RawDocument:
    path = EXAMPLES / name if (EXAMPLES / name).exists() else FIXTURES / name
    return tabbed.read(path.read_text(encoding="utf-8"))


def test_mentawai_roles_steps_and_mutu_baku() -> None:
    doc = _read("mentawai-kominfo-penyusunan-iku.txt")
    assert doc.roles == [
        "Kasubag Program",
        "Staf",
        "Kabid/Kasubag Terkait",
        "Sekretaris",
        "Kepala Dinas",
    ]
    assert [r.number for r in doc.rows] == list(range(1, 9))
    assert doc.rows[0].activity.startswith("Menginstruksikan staf untuk membuat surat edaran")
    assert doc.rows[6].activity.startswith("menerima laporan jika ada revisi")
    assert (doc.rows[0].requirements, doc.rows[0].duration, doc.rows[0].output) == (
        "Disposisi",
        "1 jam",
        "Surat Edaran",
    )
    assert (doc.rows[7].duration, doc.rows[7].output) == ("10 mnt", "Arsip")
    assert all(r.marks == {} for r in doc.rows)
    assert doc.identity.number == "11 /SOP-KOMINFO/2020"
    assert len(doc.legal_basis) == 6 and len(doc.qualifications) == 3
    assert doc.related_sops == ("SOP Surat Masuk", "SOP Surat Keluar", "SOP Pengarsipan")
    assert doc.equipment == ("Komputer", "Printer", "Meja dan Kursi", "ATK dan lain-lain")
    assert doc.records == ("Laporan indikator kerja utama (IKU)",)


def test_singkawang_roles_from_both_header_rows_in_column_order() -> None:
    doc = _read("singkawang-kominfo-penyusunan-iku.txt")
    assert doc.roles == ["Kasubbag PEKK", "Pengadministrasian Umum", "Staf"]
    assert [r.number for r in doc.rows] == list(range(1, 9))
    assert "jika tidak setuju dikembalikan kepada Pengadministrasian Umum" in doc.rows[4].activity
    assert doc.identity.created is not None and doc.identity.created.text == "Januari 2023"
    assert doc.identity.approved_by is not None
    assert doc.identity.approved_by.name == "Eva Eranda, S.Kom"
    assert len(doc.legal_basis) == 5
    assert doc.legal_basis[2].endswith("Administrasi Pemerintahan")
    assert "Nomor 35 Tahun 2012" in doc.legal_basis[2]
    assert len(doc.qualifications) == 3
    assert doc.equipment[0] == "Lembar Kerja"
    assert doc.records == (
        "Kepala SKPD : Lembar Disposisi/Arahan; Tanda Tangan",
        "Kasubbag Tata Usaha : Lembar Disposisi; Paraf",
    )


def test_rejanglebong_lost_numbers_remnants_and_short_row() -> None:
    doc = _read("rejanglebong-dpmptsp-penyusunan-iku.txt")
    assert doc.roles == ["Kepala Dinas", "Sekretaris", "Kabid", "Kasi", "Staf"]
    assert [r.number for r in doc.rows] == [None, None, None, 4, 5, 6, None, 8]
    assert doc.rows[5].marks == {"Sekretaris": "Г", "Kasi": "$\\overline{}$"}
    assert doc.rows[6].marks == {"Sekretaris": "_<", "Kabid": ">"}
    short = doc.rows[7]
    assert short.activity.startswith("Menandatangani Indikator Kinerja Utama")
    assert (short.requirements, short.duration, short.output) == (
        "Dokumen IKU",
        "10 Menit",
        "Dokumen IKU",
    )
    assert short.marks == {}
    assert any(w.code == "row-realigned" and w.line == short.line for w in doc.warnings)
    assert doc.rows[4].duration == "1 Minggu"
    # the two lists sharing lines stay apart
    assert (
        doc.legal_basis[1]
        == "PP No. 60 Tahun 2008 tentang Sistem Pengendalian Intern Pemerintah (SPIP)"
    )
    assert doc.qualifications[1] == "Memahami sasaran dan capaian program"
    assert doc.related_sops == (
        "SOP Evaluasi Akuntabilitas Kinerja Internal",
        "Teknis Pengukuran Kinerja dan Pengumpulan Data Kinerja",
    )
    assert len(doc.equipment) == 2


def test_kemenkopolhukam_html_lists_side_by_side() -> None:
    doc = _read("kemenkopolhukam-deputi-kominfotur-usulan-iku.txt")
    assert doc.roles == [
        "Sesdep",
        "Kabag Program & Evaluasi",
        "Kasubbag Penyusunan Program",
        "Pelaksana (JP)",
    ]
    assert [r.number for r in doc.rows] == [1, 2, 3, 4, 5]
    assert doc.rows[3].duration == "60 Menit"
    assert doc.rows[4].output.endswith("(paraf Sesdep)")
    assert len(doc.legal_basis) == 5 and len(doc.qualifications) == 5
    assert doc.legal_basis[0].endswith("Tahun 2005 - 2025")
    assert doc.equipment[3] == "Telepon, Faksimile, dsb"
    ident = doc.identity
    assert ident.name.startswith("Penyiapan usulan Indikator Kinerja Utama")
    assert ident.effective is not None and ident.effective.text == "Rabu, 02 Mei 2018"
    assert ident.revised is None


def test_other_agency_fixture_with_two_pages_and_symbols() -> None:
    doc = _read("a1-dinkes-pengadaan-obat.txt")
    assert doc.roles == [
        "Kepala Dinas",
        "Kepala Bidang SDK",
        "Kasi Farmasi",
        "PPK",
        "Apoteker/Staf Farmasi",
    ]
    assert [r.number for r in doc.rows] == [1, 2, 3, 4, None, 6, 7, 8, 9, 10, 11, 12, 13]
    assert doc.rows[2].marks == {"Kepala Bidang SDK": "Ya", "Kasi Farmasi": "Tidak"}
    assert (
        doc.rows[5].activity == "Memilih penyedia melalui e-katalog sesuai ketentuan yang berlaku"
    )
    assert doc.rows[9].notes == "Aplikasi"
    last = doc.rows[12]
    assert (last.marks, last.duration, last.output) == (
        {"Kepala Dinas": "○"},
        "15 menit",
        "Disposisi",
    )
    assert doc.identity.agency == "PEMERINTAH PROVINSI NUSA MAKMUR, DINAS KESEHATAN"
    assert doc.identity.unit == "Bidang Sumber Daya Kesehatan"
    assert doc.identity.approved_by is not None
    assert doc.identity.approved_by.rank == "Pembina Utama Muda"
    assert doc.legal_basis[1].startswith("Peraturan Presiden Nomor 12 Tahun 2021")
    assert doc.qualifications == ("Memahami pengadaan barang/jasa", "Bersertifikat PBJ")
    assert doc.related_sops == ("SOP Penerimaan Barang",)
    assert doc.equipment == ("Komputer", "Aplikasi SPSE")


def test_single_header_row_and_untabbed_garbage_line_is_reported() -> None:
    text = "\n".join(
        [
            "No\tKegiatan\tKasubbag\tStaf\tKelengkapan\tWaktu\tOutput\tKet",
            "1\tMenyiapkan berkas\t\tv\tBerkas\t5 menit\tDraf\t",
            "@@ ## tidak terbaca ##",
            "2\tMemeriksa berkas\tГ\t\tDraf\t10 menit\tParaf\t",
        ]
    )
    doc = tabbed.read(text)
    assert doc.roles == ["Kasubbag", "Staf"]
    assert [(r.number, r.marks) for r in doc.rows] == [(1, {"Staf": "v"}), (2, {"Kasubbag": "Г"})]
    assert [(w.code, w.line) for w in doc.warnings] == [("line-unused", 3)]


def test_catv_notation_in_a_role_column_is_decoded() -> None:
    text = "No\tKegiatan\tKadis\tStaf\tWaktu\n1\tMengetik surat\t\tM-PM-^S\t5 menit\n"
    doc = tabbed.read(text)
    assert doc.rows[0].marks == {"Staf": "Г"}


def test_headerless_numbered_rows_are_read_with_a_warning() -> None:
    doc = tabbed.read("1\tMenerima surat\n2\tMencatat surat\n")
    assert [r.activity for r in doc.rows] == ["Menerima surat", "Mencatat surat"]
    assert doc.roles == []
    assert [w.code for w in doc.warnings] == ["no-header"]


def test_header_without_rows_is_an_error() -> None:
    with pytest.raises(ConversionError, match="tidak berisi langkah"):
        tabbed.read("No\tKegiatan\tStaf\tWaktu\tOutput\n\nPage 1\n")


def test_sniff_prefers_tab_tables() -> None:
    assert tabbed.sniff((EXAMPLES / "mentawai-kominfo-penyusunan-iku.txt").read_text()) >= 0.9
    assert tabbed.sniff((EXAMPLES / "jateng-kesbangpol-penyusunan-iku.txt").read_text()) == 0.0


def test_three_header_lines_numbering_row_and_colon_cells() -> None:
    doc = _read("a1-bbpp-pelatihan.txt")
    assert doc.roles == ["Kepala Balai", "Kepala Bidang Penyelenggaraan", "Panitia", "Widyaiswara"]
    assert [r.number for r in doc.rows] == list(range(1, 8))
    assert [r.duration for r in doc.rows][4:] == [
        "1 - 5 hari Kerja",
        "1 x 24 Jam",
        "2 menit/berkas",
    ]
    assert doc.rows[4].notes == "per angkatan"
    assert doc.rows[2].marks == {"Kepala Balai": "◇"}
    ident = doc.identity
    assert ident.number == "SOP-07/BBPP/2021"
    assert ident.name == "Pelaksanaan Pelatihan Teknis Petani"
    assert ident.revised is None
    assert ident.effective is not None and ident.effective.text == "01/11/2021"
    assert ident.approved_by is not None
    assert ident.approved_by.name == "Ir. Siti Aminah, M.P."
    assert doc.legal_basis[1] == (
        "Peraturan Menteri Pertanian Nomor 37 Tahun 2018 tentang Pedoman Pelatihan Pertanian."
    )
    assert doc.related_sops == ("SOP Seleksi Peserta", "SOP Evaluasi Pelatihan")
    assert doc.equipment == ("LCD Proyektor", "Modul")
    assert [(w.code, w.line) for w in doc.warnings] == [("line-unused", 36)]


def test_long_digit_runs_in_cells_are_read_as_text() -> None:
    """A regression: a duration pattern with nested repetition hung on digit runs."""
    digits = "1" * 3000
    doc = tabbed.read(f"No\tKegiatan\tStaf\tKasi\tKelengkapan\tWaktu\tOutput\n1\tA\t{digits}x\n")
    assert doc.rows[0].marks == {"Staf": f"{digits}x"}


def test_single_pelaksana_column_with_role_names_as_text() -> None:
    text = (
        "No\tTahapan Kegiatan\tPelaksana\tWaktu\tOutput\n"
        "1\tMenerima surat\tStaf\t5 menit\tAgenda\n"
        "2\tMendisposisi surat\tKepala Dinas\t1 hari\tDisposisi\n"
        "3\tMenindaklanjuti disposisi\tKabid dan Kasi, Staf\t\t\n"
    )
    doc = tabbed.read(text)
    assert doc.roles == ["Staf", "Kepala Dinas", "Kabid", "Kasi"]
    assert [sorted(r.marks) for r in doc.rows] == [
        ["Staf"],
        ["Kepala Dinas"],
        ["Kabid", "Kasi", "Staf"],
    ]
    assert doc.rows[1].duration == "1 hari"


def test_a_role_named_pelaksana_is_a_role_not_the_group_title() -> None:
    """Jabatan Pelaksana is a real jabatan: under the "Pelaksana" title, among other role
    names, it is one of the roles; the title alone in its row is not."""
    text = (
        "No\tKegiatan\tPelaksana\t\t\tMutu Baku\t\t\tKet\n"
        "\t\tKepala Dinas\tPelaksana\tSekretaris\tKelengkapan\tWaktu\tOutput\t\n"
        "1\tMenerima surat\t\t\t\tSurat\t1 jam\tAgenda\t\n"
        "2\tMemeriksa surat\t\t\t\tAgenda\t1 hari\tNota\t\n"
    )
    doc = tabbed.read(text)
    assert doc.roles == ["Kepala Dinas", "Pelaksana", "Sekretaris"]
    assert [r.output for r in doc.rows] == ["Agenda", "Nota"]


def test_a_table_without_a_number_column_keeps_its_role_row_in_the_header() -> None:
    """The table starts with the activity column; its second header row names the roles and
    is not a step."""
    text = (
        "Kegiatan\tPelaksana\t\tMutu Baku\t\t\tKeterangan\n"
        "\tKepala Dinas\tStaf\tKelengkapan\tWaktu\tOutput\t\n"
        "Menerima surat masuk\t\t\tSurat\t1 jam\tAgenda\t\n"
        "Mendisposisikan surat\t\t\tAgenda\t1 hari\tDisposisi\t\n"
    )
    doc = tabbed.read(text)
    assert doc.roles == ["Kepala Dinas", "Staf"]
    assert [r.activity for r in doc.rows] == ["Menerima surat masuk", "Mendisposisikan surat"]
    assert [r.output for r in doc.rows] == ["Agenda", "Disposisi"]
