"""Role names: abbreviations, OCR breaks and unit words matched to the header's columns."""

import pytest

from converters.reading.roles import (
    RoleBook,
    display_name,
    insert_by_rank,
    is_staff_like,
    normalize,
    parse_role,
    role_rank,
)

KEMENKO = RoleBook(("Sesdep", "Kabag Program & Evaluasi", "Kasubbag Penyusunan Program",
                    "Pelaksana (JP)"))
MENTAWAI = RoleBook(("Kasubag Program", "Staf", "Kabid/ Kasubag Terkait", "Sekretaris",
                     "Kepala Dinas"))
SINGKAWANG = RoleBook(("Kasubbag PEKK", "Pengadministrasian Umum", "Staf"))
REJANG = RoleBook(("Kepala Dinas", "Sekretaris", "Kabid", "Kasi", "Staf"))


def test_normalize_repairs_ocr_and_punctuation() -> None:
    assert normalize("I;epala  Badan") == "kepala badan"
    assert normalize("Kabag Program & Evaluasi") == "kabag program dan evaluasi"
    assert normalize("Kabid/ Kasubag") == "kabid / kasubag"


@pytest.mark.parametrize(
    ("book", "mention", "column"),
    [
        (KEMENKO, "Kabag", "Kabag Program & Evaluasi"),
        (KEMENKO, "Kasubbag", "Kasubbag Penyusunan Program"),
        (KEMENKO, "Pelaksana", "Pelaksana (JP)"),
        (KEMENKO, "Deputi", None),
        (MENTAWAI, "bagian penyusunan program", "Kasubag Program"),
        (MENTAWAI, "kasubbag penyusunan program", "Kasubag Program"),
        (MENTAWAI, "semua bidang", "Kabid/ Kasubag Terkait"),
        (MENTAWAI, "kepala dinas", "Kepala Dinas"),
        (SINGKAWANG, "Kasubag PEKK", "Kasubbag PEKK"),
        (SINGKAWANG, "staf", "Staf"),
        (SINGKAWANG, "Kepala Kantor", None),
        (REJANG, "Perencana Ahli Muda", "Kasi"),
        (RoleBook(("Kabid Program", "Kabid Umum")), "Kabid", None),
        (RoleBook(("Kepala Badan", "Staf")), "Kaban", "Kepala Badan"),
    ],
)
def test_mentions_match_header_columns(book: RoleBook, mention: str, column: str | None) -> None:
    assert book.match(mention) == column


def test_ranks_follow_the_hierarchy() -> None:
    names = ["Deputi", "Kepala Dinas", "Sekretaris", "Kabid", "Kasubbag PEKK", "Analis", "Staf"]
    assert [role_rank(n) for n in names] == [0, 1, 2, 3, 4, 5, 6]
    assert role_rank("Perencana Ahli Madya") == 3
    assert role_rank("Pemohon") is None
    assert is_staff_like("Pengadministrasian Umum") and not is_staff_like("Kasi")


def test_combined_column_keeps_both_kinds() -> None:
    p = parse_role("Kabid/ Kasubag Terkait")
    assert p.kinds == {"kabid", "kasubbag"} and p.rank == 3


def test_mentions_are_found_left_to_right_with_their_units() -> None:
    text = "jika benar maka kasubbag penyusunan program memberikan laporan ke staf"
    found = MENTAWAI.mentions(text)
    assert [(m.text, m.column) for m in found] == [
        ("kasubbag penyusunan program", "Kasubag Program"),
        ("staf", "Staf"),
    ]


def test_column_name_written_out_wins_over_the_kind_word() -> None:
    found = SINGKAWANG.mentions("mengajukan Pengadministrasian Umum untuk merekapitulasi")
    assert [m.column for m in found] == ["Pengadministrasian Umum"]


def test_added_roles_get_readable_names_and_a_rank_position() -> None:
    assert display_name("kaban") == "Kepala Badan"
    assert display_name("Kepala Kantor") == "Kepala Kantor"
    assert insert_by_rank(SINGKAWANG.columns, "Kepala Kantor")[0] == "Kepala Kantor"
    assert insert_by_rank(("Staf", "Kasi", "Kepala Dinas"), "Sekretaris") == (
        "Staf", "Kasi", "Sekretaris", "Kepala Dinas")


def test_the_office_a_head_heads_belongs_to_the_mention() -> None:
    # "dinas" has a verb's shape (di-) but names the office: the mention runs over it, so the
    # word after it is the verb of a sentence whose subject no column names
    book = RoleBook(("Tim Data", "Staf"))
    (m,) = book.mentions("Kepala Dinas menandatangani konsep")
    assert (m.text, m.column, m.name.rank, m.name.units) == ("kepala dinas", None, 1, frozenset())
    assert display_name(m.text) == "Kepala Dinas"
    # a column of that office still takes the mention
    (m,) = RoleBook(("Kadis", "Staf")).mentions("Kepala Dinas menandatangani konsep")
    assert m.column == "Kadis"
