"""Who does a step whose text names nobody: what the SOP itself says about its columns.

When the flowchart symbols are lost, a step such as "Menginput agenda surat" names no actor.
The table still says whose work the SOP is: the identity block names the unit that owns it
(a column named as that unit does the unnamed work), and the columns name offices of the
tiers of government (the office of the tier below the SOP's own does the field work, and
nothing else of the SOP). A staff word with a unit's words ("petugas gudang") names the team
column of that unit ("Tim Layanan Gudang").
"""

from __future__ import annotations

from converters.model import Identity
from converters.reading.inference import WEIGHTS, infer
from converters.reading.raw import RawDocument, RawRow
from converters.reading.roles import RoleBook, field_office, unit_column


def raw(
    rows: list[tuple[int, str]], roles: list[str], identity: Identity | None = None
) -> RawDocument:
    return RawDocument(
        source_format="tabbed",
        identity=identity or Identity(),
        roles=roles,
        rows=[RawRow(n, a, {}, line=i + 1) for i, (n, a) in enumerate(rows)],
    )


# -- the SOP's own unit --------------------------------------------------------------------

UNITS = ["Tim Arsip", "Bagian Keuangan", "Bagian Perencanaan", "Kepala Kantor"]
ROWS = [
    (1, "Menginput usulan kegiatan ke aplikasi"),
    (2, "Merekapitulasi usulan kegiatan"),
    (3, "Mengunggah rekapitulasi ke aplikasi"),
]


def test_a_column_named_as_the_sops_own_unit_does_the_unnamed_work() -> None:
    sop = infer(raw(ROWS, UNITS, Identity(unit="BAGIAN PERENCANAAN")))
    assert [s.role for s in sop.steps] == ["Bagian Perencanaan"] * 3
    assert any("unit pemilik SOP" in e for e in sop.step(1).role_provenance.evidence)


def test_without_the_unit_in_the_identity_block_the_column_order_decides() -> None:
    sop = infer(raw(ROWS, UNITS))
    assert sop.step(1).role != "Bagian Perencanaan"


def test_the_own_unit_never_outweighs_a_named_subject() -> None:
    rows = [(1, "Bagian Keuangan memeriksa usulan kegiatan"), *ROWS[1:]]
    sop = infer(raw(rows, UNITS, Identity(unit="Bagian Perencanaan")))
    assert sop.step(1).role == "Bagian Keuangan"
    assert WEIGHTS.own_unit < WEIGHTS.unit_subject


def test_a_jabatan_heading_the_unit_is_not_the_unit() -> None:
    # "Kepala Bagian Perencanaan" leads the unit; its staff, not its head, do the work
    assert unit_column(("Kepala Bagian Perencanaan", "Staf"), "Bagian Perencanaan") is None
    assert unit_column(("Tim Bagian Perencanaan", "Staf"), "Bagian Perencanaan") == (
        "Tim Bagian Perencanaan")
    assert unit_column(("Bagian Perencanaan", "Tim Bagian Perencanaan"),
                       "Bagian Perencanaan") is None  # two: neither is sure


# -- the office of the tier below ----------------------------------------------------------

OFFICES = ["Kepala Dinas Provinsi", "Tim Teknis Provinsi", "Dinas Kabupaten/Kota"]


def test_field_work_is_done_by_the_office_of_the_tier_below() -> None:
    rows = [
        (1, "Menyiapkan instrumen kegiatan"),
        (2, "Melaksanakan pendataan keluarga"),
        (3, "Mengolah hasil kegiatan"),
        (4, "Menyusun laporan"),
    ]
    sop = infer(raw(rows, OFFICES, Identity(agency="DINAS SOSIAL PROVINSI JAMBI")))
    assert [s.role for s in sop.steps] == [
        "Tim Teknis Provinsi", "Dinas Kabupaten/Kota", "Tim Teknis Provinsi",
        "Tim Teknis Provinsi"]
    assert any("kerja lapangan" in e for e in sop.step(2).role_provenance.evidence)


def test_without_field_work_the_office_below_does_nothing() -> None:
    # first in the table, yet no step of the province's SOP without field work is its
    rows = [(1, "Menyiapkan instrumen kegiatan"), (2, "Mengolah hasil kegiatan")]
    columns = ["Dinas Kabupaten/Kota", "Tim Teknis Provinsi"]
    sop = infer(raw(rows, columns, Identity(agency="DINAS SOSIAL PROVINSI JAMBI")))
    assert [s.role for s in sop.steps] == ["Tim Teknis Provinsi"] * 2


def test_the_field_office_is_a_tier_below_the_agency_or_the_highest_column() -> None:
    assert field_office(tuple(OFFICES), "Dinas Sosial Provinsi Jambi") == (
        "Dinas Kabupaten/Kota")
    assert field_office(tuple(OFFICES), "") == "Dinas Kabupaten/Kota"  # the columns say it
    # a kabupaten's SOP: its own kind of office is no field office, a kecamatan is
    assert field_office(("Tim Teknis", "Dinas Kabupaten/Kota"), "Pemerintah Kabupaten Bogor"
                        ) is None
    assert field_office(("Tim Teknis", "Kecamatan"), "Pemerintah Kabupaten Bogor"
                        ) == "Kecamatan"
    # a jabatan of the tier below is a person, not the office
    assert field_office(("Tim Teknis Provinsi", "Kepala Dinas Kabupaten"), "") is None


# -- staff of a unit -----------------------------------------------------------------------


def test_staff_named_with_a_units_words_are_that_units_team() -> None:
    book = RoleBook(("Pemohon", "Tim Layanan Gudang", "Tim Laporan Persediaan"))
    assert book.match("petugas gudang") == "Tim Layanan Gudang"
    assert book.match("petugas arsip") is None  # no column shares its words


def test_a_handover_to_the_staff_of_a_unit_reaches_its_team_column() -> None:
    rows = [
        (1, "Mengajukan permintaan barang dan menyerahkannya kepada petugas gudang"),
        (2, "Mencatat barang keluar"),
    ]
    sop = infer(raw(rows, ["Pemohon", "Tim Layanan Gudang", "Tim Laporan Persediaan"]))
    assert sop.step(2).role == "Tim Layanan Gudang"
    assert sop.roles == ("Pemohon", "Tim Layanan Gudang", "Tim Laporan Persediaan")


# -- abbreviated units ----------------------------------------------------------------------


def test_a_unit_abbreviated_by_its_initials_is_the_column_written_out() -> None:
    book = RoleBook(("Kepala Sub Bagian Tata Usaha", "Kepala Sub Bagian Keuangan", "Staf"))
    assert book.match("Kasubbag TU") == "Kepala Sub Bagian Tata Usaha"
    book = RoleBook(("Kasubbag TU", "Kasubbag Keuangan", "Staf"))
    assert book.match("Kepala Sub Bagian Tata Usaha") == "Kasubbag TU"
    assert book.match("Kasubbag Keuangan") == "Kasubbag Keuangan"


def test_a_handover_to_the_unit_written_out_reaches_its_abbreviated_column() -> None:
    rows = [(1, "Staf menyiapkan konsep surat dan menyerahkannya kepada Kepala Sub Bagian"
                " Tata Usaha"), (2, "Memaraf konsep surat")]
    sop = infer(raw(rows, ["Kasubbag Keuangan", "Kasubbag TU", "Staf"]))
    assert sop.step(2).role == "Kasubbag TU"


# -- teams named in part --------------------------------------------------------------------

TEAMS = ["Ketua Tim Kerja", "Tim Penyusunan", "Tim Publikasi"]


def test_a_team_named_in_part_is_its_column() -> None:
    book = RoleBook(tuple(TEAMS))
    assert [m.column for m in book.mentions("menugaskan tim penyusun")] == ["Tim Penyusunan"]
    assert book.mentions("diserahkan kepada tim teknis") == []  # no such team
    assert book.mentions("diserahkan kepada tim") == []  # which of two teams?
    assert [m.column for m in RoleBook(("Kepala Kantor", "Tim Penyusunan")).mentions(
        "diserahkan kepada tim")] == ["Tim Penyusunan"]


def test_work_handed_to_a_team_named_in_part_is_done_by_it() -> None:
    rows = [(1, "Menugaskan tim penyusun untuk menyusun publikasi"),
            (2, "Melakukan pengolahan data dan penyusunan naskah")]
    sop = infer(raw(rows, ["Tim Penyusunan", "Ketua Tim Kerja", "Tim Publikasi"]))
    assert sop.step(2).role == "Tim Penyusunan"
    assert sop.step(1).role != "Tim Penyusunan"


# -- a unit's team heads no table ---------------------------------------------------------


def test_a_team_named_after_a_unit_is_not_the_head_of_the_table() -> None:
    # "Bagian" gives the team a Kabag's rank, but it is a body of people that works
    rows = [(1, "Pemohon mengajukan permintaan barang kepada Tim Layanan Gudang"),
            (2, "Menyiapkan barang"), (3, "Menghitung jumlah barang")]
    columns = ["Pemohon", "Tim Layanan Gudang/Bagian Umum", "Tim Laporan"]
    sop = infer(raw(rows, columns))
    assert [s.role for s in sop.steps][1:] == ["Tim Layanan Gudang/Bagian Umum"] * 2
    assert not any("jabatan tertinggi" in e for s in sop.steps
                   for e in s.role_provenance.evidence)


# -- a rejection returns the actor's own work -----------------------------------------------


def test_a_rejection_after_the_actors_own_step_returns_to_that_step() -> None:
    # step 1 hands the work to the team, which works (2) and checks its work (3): a rejection
    # sends back the team's own work of step 2, not step 1's order
    rows = [
        (1, "Kepala Kantor menugaskan Tim Penyusunan menyusun laporan"),
        (2, "Tim Penyusunan menyusun konsep laporan"),
        (3, "Tim Penyusunan mengecek konsep laporan, jika tidak sesuai diperbaiki"),
        (4, "Kepala Kantor menandatangani laporan"),
    ]
    sop = infer(raw(rows, ["Kepala Kantor", "Tim Penyusunan"]))
    assert [s.role for s in sop.steps] == ["Kepala Kantor", "Tim Penyusunan",
                                           "Tim Penyusunan", "Kepala Kantor"]
    decision = sop.step(3).decision
    assert decision is not None
    assert decision.reject_to == 2
