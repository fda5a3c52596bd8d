"""The OCR reader on the damage Tesseract's automatic page mode (``--psm 3``, and ``--psm 4``)
does at 150 dpi, as the fidelity harness's failures showed it (issue 11): a page header read
as blocks running into the first row, a last row's number read as its look-alike digit, a
number read as a letter with the rule read as an "I" glued to the verb, a Waktu's wrapped
unit taken for a verb, a Waktu's number read as letters ("TO mnt", "T5 menit", "Tx 24 Jam"),
a whole value with its "ri" read as "n" ("sehan"), a cell's rule read as a letter glued to it
("JLaporan", "Jarsip"), and an activity's branch wrapped below the row's cells. Each text is
shaped like the harness's OCR texts, not copied from one document; each repair is checked
beside a value it must leave alone."""

from __future__ import annotations

import pytest

from converters.reading.readers import ocr
from converters.reading.readers.ocr import waktu
from converters.reading.readers.ocr.cells import KnownCells
from tests.support.ocr_text import ocr_rows

_BLOCKS_HEADER = (
    "SOP Pengelolaan Surat Masuk\n\nNo\n\nKegiatan\n\nKadis\n\nStaf\n\nMutu Baku\n\n"
    "Kelengkapan\n\nWaktu\n\nOutput\n\nKeterangan\n\n"
)


def _blocks_page(first_activity: str) -> str:
    """A first page read as blocks, every number lost (a cell a block), then a page whose
    rows keep their numbers."""
    return (
        _BLOCKS_HEADER
        + f"{first_activity}\n\nDisposisi\n\n2 jam\n\nArsip\n\n"
        + "Menyampaikan surat masuk kepada\nKadis untuk didisposisi\n\nNota Dinas\n\n"
        "1 jam\n\nArsip\n\n"
        + "Kadis Staf Mutu Baku\nNo Kegiatan Keterangan\nKelengkapan Waktu Output\n"
        "3 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "4 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
    )


def test_a_header_read_as_blocks_ends_at_a_short_row_opening_with_a_verb() -> None:
    rows = ocr.read(_blocks_page("Mengarsipkan surat masuk")).rows
    assert [r.activity for r in rows][:2] == [
        "Mengarsipkan surat masuk",
        "Menyampaikan surat masuk kepada Kadis untuk didisposisi",
    ]
    assert [r.number for r in rows][2:] == [3, 4]
    assert rows[0].duration == "2 jam" and rows[0].output == "Arsip"


def test_a_header_title_read_as_a_block_is_no_row() -> None:
    rows = ocr.read(_blocks_page("Mengarsipkan surat masuk")).rows
    assert not any(r.activity.startswith(("Keterangan", "Kelengkapan", "Kadis")) for r in rows)
    assert len(rows) == 4


def _five_rows() -> str:
    return "".join(
        f"{n} | Mencatat surat masuk nomor {n} ke buku agenda Disposisi 2 jam Arsip\n"
        for n in range(1, 6)
    )


def test_the_last_rows_number_read_as_its_look_alike_is_the_next_one() -> None:
    rows = ocr_rows(
        _five_rows() + "Sesuai?\nAda\n"
        "8 (Kadis menyampaikan surat keluar beserta lampiran Nota Dinas 60 Menit\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "last",
    [
        "9 | Kadis menyampaikan surat keluar beserta lampiran Nota Dinas 60 Menit\n",  # no
        # look-alike of 6: rows 6 to 8 were lost
        "DN ATA TN DA Ce GE Na\n8 | Kadis menyampaikan surat keluar Nota Dinas 60 Menit\n",
        # the debris of lost rows before it
    ],
)
def test_a_last_number_past_lost_rows_stays(last: str) -> None:
    rows = ocr_rows(_five_rows() + last)
    assert rows[-1].number in (8, 9) and rows[-1].number != 6


def test_a_number_read_as_a_letter_with_the_rule_read_as_an_i_opens_its_row() -> None:
    rows = ocr_rows(
        _five_rows() + "G IMemverifikasi draf laporan kinerja dalam KTP dan KK 2 jam | Draf Surat\n"
        "rangka tertib administrasi\n"
        "7 | Menginput nota dinas untuk dibahas Surat Edaran 30 menit | Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert rows[5].activity.startswith("Memverifikasi draf laporan kinerja")


def test_a_wrapped_time_unit_is_no_verb_that_opens_a_row() -> None:
    rows = ocr_rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "2 (Menerima dan memeriksa draf laporan kinerja Draf Surat 1jam30 (SPM\n"
        "\n"
        "Y menit\n"
        "3 (kepala Seksi memaraf laporan realisasi anggaran untuk dibahas Surat Edaran Sesuai "
        "Paraf\n"
        "\n"
        "kebutuhan\n"
        "\n"
        "4 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 4]
    assert rows[1].duration == "1 jam 30 menit"
    assert rows[2].activity.startswith("kepala Seksi memaraf")  # (the capital lost, as read)
    assert (rows[2].duration, rows[2].output) == ("Sesuai kebutuhan", "Paraf")


@pytest.mark.parametrize(
    ("tokens", "value"),
    [
        (["Laporan", "IKU", "TO", "mnt", "Arsip"], "10 mnt"),  # "1" and "0" read as letters
        (["Disposisi", "T5", "menit", "Arsip"], "15 menit"),
        (["Buku", "agenda", "Tx", "24", "Jam"], "1 x 24 Jam"),
        (["Surat", "Edaran", "sehan", "Nota", "Dinas"], "sehari"),  # "ri" read as "n"
    ],
)
def test_a_waktu_whose_number_low_resolution_read_as_letters(tokens: list[str], value: str) -> None:
    found = waktu.find(tokens, [])
    assert found is not None and found.text == value


@pytest.mark.parametrize(
    "tokens",
    [
        ["Surat", "TO", "Arsip"],  # no unit after it: no number
        ["Lo", "menit"],  # a symbol's remnant ("Lo") before a unit whose number was lost
        ["Laporan", "tahunan", "Arsip"],  # a word with an "n" that spells no value
    ],
)
def test_letters_that_are_no_waktu_number_stay(tokens: list[str]) -> None:
    assert waktu.find(tokens, []) is None


def test_a_row_whose_whole_value_lost_its_ri_keeps_its_place() -> None:
    rows = ocr_rows(
        "Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "Kadis memverifikasi surat undangan melalui aplikasi Surat Edaran sehan Nota Dinas\n"
        "Menyampaikan surat masuk kepada Staf beserta lampiran Disposisi 1 jam Arsip\n"
        "4 | Mengarsipkan surat masuk Disposisi 2 jam Arsip\n"
    )
    assert len(rows) == 4
    assert rows[1].duration == "sehari" and rows[1].output == "Nota Dinas"


def test_a_cells_rule_read_as_a_letter_glued_to_it_goes() -> None:
    known = KnownCells(["Arsip", "Arsip", "Nota Dinas", "Nota Dinas"])
    assert known.tidy("Jarsip") == "Arsip"
    assert known.tidy("Jam") == "Jam"  # no known cell after its first letter
    rows = ocr_rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "2 | Mengoreksi surat undangan Buku agenda 60 Menit — JLaporan IKU | Melalui aplikasi\n"
    )
    assert rows[1].output == "Laporan IKU"


def test_an_activitys_branch_wrapped_below_its_cells_stays_in_the_activity() -> None:
    rows = ocr_rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "2 | Memeriksa surat masuk: jika ya diteruskan kepada Kadis, jika Tidar Buku agenda - "
        "Nota Dinas\n"
        "idah\n"
        "\n"
        "tidak kembali ke langkah 1\n"
        "3 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
    )
    assert rows[1].output == "Nota Dinas"
    assert rows[1].activity.endswith("tidak kembali ke langkah 1")


def test_a_wrapped_cell_below_a_branch_stays_a_cell() -> None:
    rows = ocr_rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "2 | Memeriksa surat masuk: jika ya diteruskan kepada Kadis, jika Buku agenda 1 jam "
        "Nota Dinas Paling lambat\n"
        "tidak kembali ke langkah 1\n"
        "hari Jumat\n"
        "3 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
    )
    assert rows[1].output == "Nota Dinas"
    assert "kembali ke langkah 1" in rows[1].activity
    assert rows[1].notes.startswith("Paling lambat") and rows[1].notes.endswith("Jumat")


def test_a_number_read_as_an_ampersand_before_a_lower_case_verb_is_the_next_one() -> None:
    rows = ocr_rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "2 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
        "3 | menggandakan surat masuk untuk dibahas bersama tim Nota Dinas 1 jam Paraf\n"
        "& | memarat draf laporan kinerja dalam rangka tertib administrasi, Segera Disposisi\n"
        "kemudian diserahkan kepada Staf\n"
        "5 | menginput draf laporan kinerja dalam rangka tertib administrasi Nota Dinas 2 jam "
        "Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3, 4, 5]
    assert rows[3].duration == "Segera" and rows[3].output == "Disposisi"


def _blocks_rows(*rows: tuple[str, ...]) -> str:
    """Rows read as blocks, every cell a block of its own and every number lost."""
    return "".join("".join(f"{cell}\n\n" for cell in row) for row in rows)


def test_a_block_row_whose_subject_is_a_jabatan_named_in_full_opens_a_row() -> None:
    rows = ocr.read(
        _BLOCKS_HEADER
        + _blocks_rows(
            (
                "Kepala Sub Bagian Kepegawaian\nmenggandakan rencana kerja anggaran",
                "Surat Edaran",
                "Segera",
                "Arsip",
            ),
            (
                "Menandatangani notulen rapat sesuai\ndengan ketentuan peraturan",
                "Nota Dinas",
                "2 jam",
                "Paraf",
            ),
        )
        + "Kadis Staf Mutu Baku\nNo Kegiatan Keterangan\nKelengkapan Waktu Output\n"
        "3 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
    ).rows
    assert [r.activity for r in rows][:2] == [
        "Kepala Sub Bagian Kepegawaian menggandakan rencana kerja anggaran",
        "Menandatangani notulen rapat sesuai dengan ketentuan peraturan",
    ]
    assert rows[0].output == "Arsip"


def test_a_last_row_read_as_blocks_after_the_last_number_is_a_row_when_it_has_a_waktu() -> None:
    rows = ocr_rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "2 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
        "\n"
        + _blocks_rows(
            (
                "Menerima dan memeriksa laporan\nrealisasi anggaran beserta lampiran",
                "KTP dan KK",
                "Segera",
                "Nota Dinas",
            )
        )
    )
    assert len(rows) == 3
    assert rows[2].activity.startswith("Menerima dan memeriksa laporan")
    assert (rows[2].duration, rows[2].output) == ("Segera", "Nota Dinas")


def test_a_block_after_the_last_number_without_a_waktu_is_no_row() -> None:
    rows = ocr_rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "2 | Menyampaikan surat masuk kepada Kadis Disposisi 3 jam Arsip\n"
        "\n" + _blocks_rows(("Mengetahui,\nKepala Dinas Kominfo",), ("Budi Santoso",))
    )
    assert len(rows) == 2


def test_the_column_numbers_read_a_block_each_are_no_rows() -> None:
    index = _blocks_rows(
        *(
            ((piece,))
            for piece in ("d)", "Ie)", "(S1", "@", "2)", "&)", "@", "8", "»", "(10)", "1)", "(12)")
        )
    )
    rows = ocr_rows(
        _five_rows()
        + "\n\n"
        + _BLOCKS_HEADER.split("\n\n", 1)[1]
        + index
        + _blocks_rows(
            (
                "Kadis merekapitulasi konsep\nIndikator Kinerja Utama",
                "Nota Dinas",
                "2 jam",
                "Arsip",
            ),
            ("Menandatangani konsep Indikator\nKinerja Utama", "Draf Surat", "60 Menit", "Paraf"),
        )
        + "8 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
    )
    assert [r.activity.split()[0] for r in rows][5:] == ["Kadis", "Menandatangani", "Mencatat"]
    assert rows[-1].number == 8


def test_rows_that_lost_their_numbers_above_a_page_header_are_no_orphan_block() -> None:
    text = (
        "SOP Pengelolaan Surat Masuk\n\nPelaksana Mutu Baku\nKegiatan Keterangan\n"
        "Kadis PPK Kabid Staf Kelengkapan Waktu Output\n"
        "Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "Mengarsipkan surat masuk, kemudian diserahkan kepada Y Draf Surat 1jam 30 Arsip\n"
        "menit\n"
        "Mencetak surat undangan untuk dibahas bersama tim Nota Dinas 2 jam Paraf\n"
        "Memeriksa rekapitulasi data: jika lengkap diteruskan kepada Kadis, Draf Surat SPM\n"
        "jika tidak lengkap kembali ke langkah 1\n"
        "\f"
        "Pelaksana Mutu Baku\nNo Kegiatan Keterangan\n"
        "Kadis PPK Kabid Staf Kelengkapan Waktu Output\n"
        "5 | Kabid memverifikasi notulen rapat, kemudian diserahkan kepada Kadis Nota Dinas "
        "2 jam Arsip\n"
    )
    rows = ocr.read(text).rows
    assert len(rows) == 5
    assert rows[1].duration == "1 jam 30 menit"
    assert rows[3].activity.endswith("jika tidak lengkap kembali ke langkah 1")
    assert rows[2].activity == "Mencetak surat undangan untuk dibahas bersama tim"


@pytest.mark.parametrize(
    ("tokens", "value"),
    [
        (["Disposisi", "Than", "kera", "Rekap", "data"], "1 hari kerja"),  # its "j" lost
        (["Disposisi", "1", "hari", "kerja", "Arsip"], "1 hari kerja"),
    ],
)
def test_a_working_day_whose_kerja_lost_a_letter(tokens: list[str], value: str) -> None:
    found = waktu.find(tokens, [])
    assert found is not None and found.text == value


def test_a_working_days_kerja_wrapped_among_the_activitys_words_completes_the_waktu() -> None:
    rows = ocr_rows(
        "1 | Menyusun rencana kerja anggaran Disposisi 2 jam Arsip\n"
        "2 | Menandatangani rekapitulasi data sesuai Disposisi 1 hari Berkas Melalui aplikasi\n"
        "dengan ketentuan peraturan kerja\n"
        "3 | Menyampaikan rencana kerja anggaran Disposisi 1 hari Arsip\n"
        "kepada Kadis beserta rencana kerja\n"
    )
    assert rows[1].duration == "1 hari kerja"
    assert rows[1].activity.endswith("dengan ketentuan peraturan")
    # "rencana kerja" is how the running text writes it: no Waktu's wrapped end
    assert rows[2].duration == "1 hari" and rows[2].activity.endswith("rencana kerja")


def test_an_orphan_block_never_takes_rows_whose_numbers_were_lost() -> None:
    text = (
        "SOP Pengelolaan Surat Masuk\n\nPelaksana Mutu Baku\nKegiatan Keterangan\n"
        "Kadis PPK Kabid Staf Kelengkapan Waktu Output\n"
        "Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "Mengarsipkan surat masuk, kemudian diserahkan kepada Y Draf Surat 2 jam Arsip\n"
        "Mencetak surat undangan untuk dibahas bersama tim, kemudian Nota Dinas 2 jam Paraf\n"
        "diserahkan kepada Staf\n"
        "Memeriksa rekapitulasi data: jika lengkap diteruskan kepada Kadis, Draf Surat 1 jam "
        "SPM\n"
        "jika tidak lengkap kembali ke langkah 1\n"
        "\n"
        "SOP Pengelolaan Surat Masuk\n"
        "Pelaksana Mutu Baku\nNo Kegiatan Keterangan\n"
        "Kadis PPK Kabid Staf Kelengkapan Waktu Output\n"
        "5 | Kabid memverifikasi notulen rapat, kemudian diserahkan kepada Kadis Nota Dinas "
        "2 jam Arsip\n"
    )
    rows = ocr.read(text).rows
    assert len(rows) == 5
    assert rows[1].activity == "Mengarsipkan surat masuk, kemudian diserahkan kepada"
    assert rows[2].activity.endswith("kemudian diserahkan kepada Staf")
    assert rows[3].activity.endswith("jika tidak lengkap kembali ke langkah 1")


_NAMES_HEADER = "SOP Pengelolaan Surat Masuk\n\nPelaksana Mutu Baku\nKegiatan Keterangan\n"
_NAMES_TITLES = "Kadis PPK Kabid Staf Kelengkapan Waktu Output\n"


def test_a_name_cut_at_a_lines_end_is_no_row_that_lost_its_number() -> None:
    # rows whose first lines hold no Waktu (a page read by blocks of lines): any line that
    # opens with a Capitalised verb may be a row whose number was lost
    rows = ocr.read(
        _NAMES_HEADER
        + _NAMES_TITLES
        + "Memeriksa Surat Perintah Membayar, jika ya diteruskan kepada Kadis Nota Dinas\n"
        "Menerima dan memeriksa Surat Perintah Draf Surat Rekap data Rangkap dua\n"
        "Membayar beserta lampiran dan data i\n"
        "\n"
        "dukung, kemudian diserahkan kepada Staf\n"
        "\n"
        "Mencetak surat undangan untuk dibahas bersama tim Nota Dinas Paraf\n"
        "4 | Kabid memverifikasi notulen rapat Nota Dinas 2 jam Arsip\n"
    ).rows
    assert len(rows) == 4
    assert "Membayar beserta lampiran" in rows[1].activity


def test_a_row_whose_verb_the_document_writes_after_a_subject_stays_a_row() -> None:
    rows = ocr.read(
        _NAMES_HEADER
        + _NAMES_TITLES
        + "Kabid Menyusun rencana kerja anggaran beserta lampiran Nota Dinas Arsip\n"
        "Menerima dan memeriksa surat masuk dari Kabid Draf Surat Rekap data\n"
        "Menyusun laporan realisasi anggaran beserta lampiran Nota Dinas Arsip\n"
        "4 | Kabid memverifikasi notulen rapat Nota Dinas 2 jam Arsip\n"
    ).rows
    assert len(rows) == 4
    assert rows[2].activity.startswith("Menyusun laporan")


def test_a_row_whose_waktu_sesuai_kebutuhan_wrapped_keeps_its_place() -> None:
    rows = ocr.read(
        _NAMES_HEADER
        + _NAMES_TITLES
        + "Mencatat surat masuk ke buku agenda beserta lampiran dan data dukung Disposisi 2 jam "
        "Arsip Melalui aplikasi\n"
        "Menyampaikan surat masuk kepada Kadis beserta lampiran dan data Nota Dinas 1 jam "
        "Arsip Rangkap dua\n"
        "Mengarsipkan surat masuk ke dalam map arsip beserta lampiran Disposisi 3 jam Arsip "
        "Melalui aplikasi\n"
        "Menginput laporan Disposisi Sesuai Nota Dinas\n"
        "kebutuhan\n"
        "Menggandakan konsep surat keluar beserta lampiran dan 1 Minggu Nota Dinas\n"
        "6 | Kabid memverifikasi notulen rapat Nota Dinas 2 jam Arsip\n"
    ).rows
    assert len(rows) == 6
    assert (rows[3].duration, rows[3].output) == ("Sesuai kebutuhan", "Nota Dinas")


def test_a_wrapped_line_holding_sesuai_without_kebutuhan_below_is_no_row() -> None:
    rows = ocr.read(
        _NAMES_HEADER
        + _NAMES_TITLES
        + "Mencatat surat masuk ke buku agenda beserta lampiran Disposisi 2 jam Arsip\n"
        "Menyampaikan surat masuk kepada Kadis beserta lampiran Nota Dinas 1 jam Arsip\n"
        "Menetapkan Sesuai Indikator Kinerja dan Sasaran\n"
        "dengan ketentuan yang berlaku\n"
        "Mengarsipkan surat masuk ke dalam map arsip Disposisi 3 jam Arsip\n"
        "4 | Kabid memverifikasi notulen rapat Nota Dinas 2 jam Arsip\n"
    ).rows
    assert len(rows) == 4


def test_a_step_number_wrapped_alone_under_its_langkah_is_no_row() -> None:
    rows = ocr_rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "2 | Memilah surat masuk sesuai jenisnya: jika teknis diteruskan ke langkah 3, jika "
        "tatap muka diteruskan ke langkah\n"
        "4\n"
        "\n"
        "Tatap muka\n"
        "\n"
        "Draf Surat\n"
        "\n"
        "Menyampaikan surat masuk kepada Kadis beserta lampiran Disposisi 3 jam Arsip\n"
        "Mengarsipkan surat masuk ke dalam map arsip Disposisi 2 jam Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, None, None]  # (inference numbers them 3, 4)
    assert rows[1].activity.endswith("ke langkah 4")


def test_a_lone_number_after_a_row_read_as_blocks_is_still_a_row() -> None:
    rows = ocr_rows(
        "1 | Mencatat surat masuk ke buku agenda Disposisi 2 jam Arsip\n"
        "\n"
        "2\n"
        "\n"
        "Menyampaikan surat masuk kepada Kadis\n"
        "\n"
        "Disposisi\n"
        "\n"
        "3 jam\n"
        "\n"
        "3 | Mengarsipkan surat masuk Disposisi 2 jam Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3]
