"""The identity block and the header sections, in the shapes SOP extractions produce."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converters.reading.header import parse_header, split_numbered, take_table_title
from tests.support.corpus import CORPUS_TEXT as CORPUS


def test_labels_with_colons_on_their_own_lines() -> None:
    h = parse_header(
        [
            "PEMERINTAH KABUPATEN KEPULAUAN MENTAWAI",
            "DINAS KOMUNIKASI DAN INFORMATIKA",
            "NOMOR SOP : 11 /SOP-KOMINFO/2020",
            "TANGGAL PEMBUATAN : 07 Mei 2018",
            "TANGGAL REVISI 1 : 04 Mei 2020",
            "TANGGAL REVISI 2 : -",
            "TANGGAL EFEKTIF : 11 Mei 2020",
            "DISAHKAN OLEH :",
            "",
            "KEPALA DINAS KOMINFO",
            "ROBERTUS S., S.Kom., M.Kom",
            "501132001121002",
            "SUB UMUM, PROGRAM DAN KEUANGAN",
            "NAMA SOP : PENYUSUNAN IKU",
        ]
    )
    ident = h.identity
    assert ident.number == "11 /SOP-KOMINFO/2020"
    assert ident.name == "PENYUSUNAN IKU"
    assert ident.created is not None and ident.created.value == date(2018, 5, 7)
    assert ident.revised is not None and ident.revised.value == date(2020, 5, 4)
    assert ident.effective is not None and ident.effective.text == "11 Mei 2020"
    assert (
        ident.agency == "PEMERINTAH KABUPATEN KEPULAUAN MENTAWAI, DINAS KOMUNIKASI DAN INFORMATIKA"
    )
    assert ident.unit == "SUB UMUM, PROGRAM DAN KEUANGAN"
    ab = ident.approved_by
    assert ab is not None
    assert (ab.position, ab.name, ab.id_number) == (
        "KEPALA DINAS KOMINFO",
        "ROBERTUS S., S.Kom., M.Kom",
        "501132001121002",
    )


def test_values_in_the_next_cell_and_approver_with_rank_and_nip() -> None:
    h = parse_header(
        [
            "PEMERINTAH KOTA SINGKAWANG DINAS KOMINFO SUBBAGIAN KEUANGAN\tNomor SOP\t000.8/46/2023",
            "\tTanggal Pembuatan\tJanuari 2023",
            "\tTanggal Revisi\t",
            "\tDisahkan oleh\t Kepala Dinas  Eva Eranda, S.Kom  Pembina NIP.19710312 200502 1 001",
            "Judul SOP Mikro\tPenyusunan IKU\t",
        ]
    )
    ident = h.identity
    assert ident.number == "000.8/46/2023"
    assert ident.created is not None and ident.created.precision == "month"
    assert ident.revised is None
    assert ident.name == "Penyusunan IKU"
    assert ident.agency == "PEMERINTAH KOTA SINGKAWANG DINAS KOMINFO"
    assert ident.unit == "SUBBAGIAN KEUANGAN"
    ab = ident.approved_by
    assert ab is not None
    assert ab.position == "Kepala Dinas"
    assert ab.name == "Eva Eranda, S.Kom"
    assert ab.rank == "Pembina"
    assert (ab.id_kind, ab.id_number) == ("NIP", "19710312 200502 1 001")


def test_nrp_after_name_in_one_piece() -> None:
    h = parse_header(
        ["Disahkan oleh\tDeputi Bidang Koordinasi  Suwandi Miharja, M.D.S NRP. 507778"]
    )
    ab = h.identity.approved_by
    assert ab is not None
    assert (ab.position, ab.name, ab.id_kind, ab.id_number) == (
        "Deputi Bidang Koordinasi",
        "Suwandi Miharja, M.D.S",
        "NRP",
        "507778",
    )


def test_grid_labels_first_then_lists_one_after_the_other() -> None:
    h = parse_header(
        [
            "DASAR HUKUM",
            "",
            "KUALIFIKASI PELAKSANA",
            "",
            "1. Undang-undang No. 25 Tahun 2004 tentang Sistem Perencanaan",
            "2. Peraturan Pemerintah No. 24 Tahun 2005 tentang Standar Akuntansi",
            "",
            "1. Memahami proses penyusunan IKU",
            "2. Mampu berkoordinasi",
            "- 3.",
            "",
            "PERINGATAN",
            "",
            "PENCATATAN DAN PENDATAAN",
            "",
            "Jika SOP tidak dilaksanakan maka IKU tidak tersusun",
            "",
            "Laporan IKU",
        ]
    )
    assert h.legal_basis == (
        "Undang-undang No. 25 Tahun 2004 tentang Sistem Perencanaan",
        "Peraturan Pemerintah No. 24 Tahun 2005 tentang Standar Akuntansi",
    )
    assert h.qualifications == ("Memahami proses penyusunan IKU", "Mampu berkoordinasi")
    assert h.cautions == ("Jika SOP tidak dilaksanakan maka IKU tidak tersusun",)
    assert h.records == ("Laporan IKU",)


def test_grid_second_list_inline_after_its_label_in_the_next_cell() -> None:
    h = parse_header(
        [
            "Dasar Hukum\tKualifikasi Pelaksana 1 Mengetahui tugas 2 Memiliki kemampuan data\t",
            "1 Peraturan Menteri PER/09/M.PAN/5/ 2007 tentang IKU 2 Peraturan Menteri Nomor 35"
            " Tahun 2012 tentang SOP 3 Peraturan Daerah Nomor 6 Tahun 2008 tentang Organisasi\t\t",
            "Keterkaitan\tPeralatan/Perlengkapan 1 Lembar Kerja 2 Alat Tulis Kantor;\t",
        ]
    )
    assert h.qualifications == ("Mengetahui tugas", "Memiliki kemampuan data")
    assert h.legal_basis == (
        "Peraturan Menteri PER/09/M.PAN/5/ 2007 tentang IKU",
        "Peraturan Menteri Nomor 35 Tahun 2012 tentang SOP",
        "Peraturan Daerah Nomor 6 Tahun 2008 tentang Organisasi",
    )
    assert h.related_sops == ()
    assert h.equipment == ("Lembar Kerja", "Alat Tulis Kantor")


def test_grid_both_lists_on_the_same_line_of_one_cell() -> None:
    h = parse_header(
        [
            "Dasar Hukum : Kualifikasi Pelaksana :\t\t",
            "1. Peraturan Pemerintah No. 8 Tahun 2006 tentang Pelaporan 1. Memahami peraturan\t",
            "2. PP No. 60 Tahun 2008 tentang SPIP 2. Memahami sasaran program\t\t",
            "Keterkaitan : Perlengkapan dan Peralatan :\tPerlengkapan dan Peralatan :",
            "1. SOP Evaluasi Kinerja 1. Komputer\t1. Komputer",
        ]
    )
    assert h.legal_basis == (
        "Peraturan Pemerintah No. 8 Tahun 2006 tentang Pelaporan",
        "PP No. 60 Tahun 2008 tentang SPIP",
    )
    assert h.qualifications == ("Memahami peraturan", "Memahami sasaran program")
    assert h.related_sops == ("SOP Evaluasi Kinerja",)
    assert h.equipment == ("Komputer",)


def test_grid_side_by_side_cells_and_unnumbered_paragraphs() -> None:
    h = parse_header(
        [
            "Peringatan :\tPencatatan dan pendataan :",
            "Apabila tidak sesuai SOP maka hasilnya kurang maksimal\tDisimpan secara elektronik",
        ]
    )
    assert h.cautions == ("Apabila tidak sesuai SOP maka hasilnya kurang maksimal",)
    assert h.records == ("Disimpan secara elektronik",)


def test_unnumbered_pair_in_one_cell_is_split_with_a_warning() -> None:
    h = parse_header(
        [
            "Peringatan : Pencatatan dan Pendataan :",
            "Apabila kegiatan tidak berjalan maka target gagal Setiap tahap terdokumentasi",
        ]
    )
    assert h.cautions == ("Apabila kegiatan tidak berjalan maka target gagal",)
    assert h.records == ("Setiap tahap terdokumentasi",)
    assert [w.code for w in h.warnings] == ["header-split-guessed"]


def test_space_aligned_columns() -> None:
    pad = " " * 40
    h = parse_header(
        [
            f"{pad}{pad}Nomor SOP          SOP-025/17000/2025",
            f"{pad}{pad}Disahkan oleh          Kepala BPS Provinsi",
            f"{pad}BADAN PUSAT STATISTIK",
            f"   BAGIAN UMUM{pad}{pad}      Ir. Win Rizal, M.E.",
            f"{pad}{pad}               NIP 196608251988021001",
            f"{pad}{pad}NAMA SOP          Pengelolaan Surat Masuk",
            f"     DASAR HUKUM :{pad}{pad}KUALIFIKASI PELAKSANA :",
            f" 1. Undang-Undang Nomor 16 Tahun 1997 tentang Statistik;{pad}1. Mengetahui tugas",
            f" 2. Undang-Undang Nomor 43 Tahun 2009{pad}{pad[:30]}2. Mampu bekerja sama",
            " tentang Kearsipan;",
        ]
    )
    ident = h.identity
    assert ident.number == "SOP-025/17000/2025"
    assert ident.agency == "BADAN PUSAT STATISTIK"
    assert ident.unit == "BAGIAN UMUM"
    ab = ident.approved_by
    assert ab is not None
    assert (ab.position, ab.name, ab.id_number, ab.id_kind) == (
        "Kepala BPS Provinsi",
        "Ir. Win Rizal, M.E.",
        "196608251988021001",
        "NIP",
    )
    assert h.legal_basis == (
        "Undang-Undang Nomor 16 Tahun 1997 tentang Statistik",
        "Undang-Undang Nomor 43 Tahun 2009 tentang Kearsipan",
    )
    assert h.qualifications == ("Mengetahui tugas", "Mampu bekerja sama")


def test_split_numbered_keeps_numbers_inside_titles() -> None:
    lead, items, last = split_numbered(
        "1 Peraturan Menko Nomor 4 Tahun 2015 tentang Organisasi 2 Peraturan PER/15/M.PAN/7/2008"
        " tentang 3 Hal 4. Undang-Undang No. 5 Tahun 2014"
    )
    assert lead == ""
    assert [n for n, _t in items] == [1, 2, 3, 4]
    assert items[0][1] == "Peraturan Menko Nomor 4 Tahun 2015 tentang Organisasi"
    assert last == 4


def test_revision_keeps_the_latest_written_one() -> None:
    h = parse_header(
        ["Tanggal Revisi 1 : 04 Mei 2020", "Tanggal Revisi 2 : 9 Juni 2021", "Tanggal Revisi 3 : -"]
    )
    assert h.identity.revised is not None
    assert h.identity.revised.value == date(2021, 6, 9)


def test_table_title_is_taken_off_the_header() -> None:
    lines = ["Peringatan", "", "Jika tidak sesuai", "", "SOP Penyusunan IKU", "", ""]
    rest, title = take_table_title(lines)
    assert title == "Penyusunan IKU"
    assert "SOP Penyusunan IKU" not in rest


def test_garbage_lines_do_not_raise_and_give_no_sections() -> None:
    h = parse_header(["\x00\x01 ::: \t\t", "1. 2. 3.", "Page 1", "", "Nomor SOP"])
    assert h.identity.number == ""
    assert h.legal_basis == ()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="sop-corpus tidak tersedia (folder absent)")
def test_real_signed_sops_identity() -> None:
    """The BPS corpus (pdftotext -layout): every SOP number and approver is found."""
    found = 0
    for path in sorted(CORPUS.glob("*.layout.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        end = next(i for i, ln in enumerate(lines) if "mutu b" in ln.lower())
        h = parse_header([ln for ln in lines[:end] if not ln.startswith("* ")])
        assert h.identity.number.startswith("SOP-"), path.name
        assert h.identity.approved_by is not None
        assert "Kepala B" in h.identity.approved_by.position, path.name
        assert h.legal_basis, path.name
        found += 1
    assert found == 8


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(list("Dasar Hukum:Nomor SOP1. 2\tKualifikasi-NIP9 Mei<u>")),
            max_size=80,
        ),
        max_size=25,
    )
)
def test_any_lines_give_a_header(lines: list[str]) -> None:
    h = parse_header(lines)
    for kind in ("legal_basis", "qualifications", "equipment"):
        assert all(item.strip() == item and item for item in getattr(h, kind))
    assert all(w.line is None or 1 <= w.line <= len(lines) for w in h.warnings)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Disahkan oleh\tKepala Badan  Drs. Ahmad Yani, M.Si Pembina Tk. I (IV/b) NIP. 1965 002",
            ("Kepala Badan", "Drs. Ahmad Yani, M.Si", "Pembina Tk. I (IV/b)", "NIP", "1965 002"),
        ),
        (
            "Disahkan oleh : Kepala Dinas Drs. H. Ahmad NIP 19650101199003 1 002",
            ("Kepala Dinas", "Drs. H. Ahmad", "", "NIP", "19650101199003 1 002"),
        ),
        (
            "Disahkan oleh\tKEPALA DINAS\tBUDI HARTONO, SE\tPenata Tingkat I\tNIP. 1980 001",
            ("KEPALA DINAS", "BUDI HARTONO, SE", "Penata Tingkat I", "NIP", "1980 001"),
        ),
        (
            "Disahkan oleh\tKepala Puskesmas dr. Rina Wati",
            ("Kepala Puskesmas", "dr. Rina Wati", "", "", ""),
        ),
    ],
)
def test_approver_shapes(line: str, expected: tuple[str, ...]) -> None:
    ab = parse_header([line]).identity.approved_by
    assert ab is not None
    assert (ab.position, ab.name, ab.rank, ab.id_kind, ab.id_number) == expected


def test_numbers_printed_at_the_middle_of_multi_line_items() -> None:
    """pdftotext -layout puts an item's number beside its middle line, not its first."""
    h = parse_header(
        [
            "DASAR HUKUM :",
            "    1.    Undang-Undang Nomor 16 Tahun 1997 tentang Statistik;",
            "          Peraturan Pemerintah Nomor 51 Tahun 1999 tentang Statistik;",
            "    2.",
            "          Peraturan Pemerintah Nomor 28 Tahun 2012 tentang Pelaksanaan Undang-Undang",
            "    3.",
            "          Nomor 43 Tahun 2009 tentang Kearsipan;",
            "    4.    Peraturan Presiden Nomor 86 Tahun 2007 tentang BPS;",
            "   5,   Peraturan BPS No. 1 Tahun 2024.",
        ]
    )
    assert h.legal_basis == (
        "Undang-Undang Nomor 16 Tahun 1997 tentang Statistik",
        "Peraturan Pemerintah Nomor 51 Tahun 1999 tentang Statistik",
        "Peraturan Pemerintah Nomor 28 Tahun 2012 tentang Pelaksanaan Undang-Undang"
        " Nomor 43 Tahun 2009 tentang Kearsipan",
        "Peraturan Presiden Nomor 86 Tahun 2007 tentang BPS",
        "Peraturan BPS No. 1 Tahun 2024.",
    )


def test_item_continuation_after_an_abbreviation_stays_in_the_item() -> None:
    h = parse_header(
        ["Dasar Hukum:", "1. Peraturan Bupati Kab.", "Lembah Hijau Nomor 3", "2. Perda"]
    )
    assert h.legal_basis == ("Peraturan Bupati Kab. Lembah Hijau Nomor 3", "Perda")
