"""OCR damage at low resolution that the reader mends (issue 11, the 150 dpi and psm 6 forms).

Each text is written the way Tesseract reads a rasterised SOP table at 150 dpi (the fidelity
harness's ``tesseract 150dpi`` forms): a Waktu's "/" read as a letter or lost ("2 menitvberkas",
"2 menitberkas"), a "5" read as a lone "S" ("1- S hari Kerja"), a quote glued to a unit
("60 Menit”"), the "jika" of a decision's second clause losing its "j" ("ika tidak"), an empty
Waktu cell with a dash after the Output, a wrapped activity line that opens with the performer
"Pelaksana", and a row whose number was lost but whose column rule was read as a bar.
"""

from __future__ import annotations

from converters.reading.raw import RawRow
from converters.reading.readers import ocr
from converters.reading.readers.ocr.rows import unnumbered_start
from converters.reading.readers.ocr.waktu import find
from converters.reading.readers.ocr.words import mend_conditions

_HEADER = """STANDAR OPERASIONAL PROSEDUR
Nama SOP: Pengelolaan Surat Masuk

Kadis Kabid Staf Mutu Baku
No Kegiatan Keterangan
Kelengkapan Waktu Output
"""


def _rows(body: str) -> list[RawRow]:
    return list(ocr.read(_HEADER + body).rows)


def test_waktu_with_its_slash_misread_or_lost() -> None:
    for token in ("menitvberkas", "menitiberkas", "menitberkas"):
        found = find(["Nota", "Dinas", "2", token, "|", "Disposisi"], [])
        assert found is not None and found.text == "2 menit/berkas", token
    assert find(["Surat", "2", "menitkan"], []) is None  # no noun after the unit
    assert find([], []) is None and find(["S"], []) is None


def test_waktu_unit_with_a_quote_glued() -> None:
    found = find(["Laporan", "IKU", "60", "Menit”", "(spm"], [])
    assert found is not None and found.text == "60 Menit"


def test_rows_read_their_damaged_waktu() -> None:
    rows = _rows(
        "1 | Menerima surat masuk dari pemohon Nota Dinas 1- S hari Kerja | Surat keluar "
        "Melalui aplikasi\n"
        "2 | Mencetak surat keluar beserta lampiran Surat Edaran 60 Menit” | Arsip\n"
        "3 | Mengarsipkan surat keluar beserta lampiran Nota Dinas 2 menitberkas | Surat keluar\n"
    )
    assert [(r.duration, r.requirements, r.output) for r in rows] == [
        ("1 - 5 hari Kerja", "Nota Dinas", "Surat keluar"),
        ("60 Menit", "Surat Edaran", "Arsip"),
        ("2 menit/berkas", "Nota Dinas", "Surat keluar"),
    ]
    assert rows[0].notes == "Melalui aplikasi"


def test_second_clause_jika_mended() -> None:
    assert mend_conditions("Memeriksa berkas, ika tidak ada dikembalikan") == (
        "Memeriksa berkas, jika tidak ada dikembalikan"
    )
    assert mend_conditions("Memeriksa surat: Jka sesuai proses selesai") == (
        "Memeriksa surat: jika sesuai proses selesai"
    )
    # the comma lost too: before the no-branch's "tidak"
    assert mend_conditions("diteruskan kepada Staf jka tidak ada") == (
        "diteruskan kepada Staf jika tidak ada"
    )
    # a word that only looks alike, or one not after a clause's comma, stays
    assert mend_conditions("Memeriksa berkas, ikan segar") == "Memeriksa berkas, ikan segar"
    assert mend_conditions("menyusun ika sesuai") == "menyusun ika sesuai"


def test_wrapped_line_opening_with_pelaksana_is_no_header() -> None:
    """A decision's wrapped line that opens with the performer "Pelaksana" near an activity
    naming "usulan kegiatan" once started a repeated header there, and the rows after it
    were lost."""
    rows = _rows(
        "1 | Memeriksa rekapitulasi data: jika lengkap diteruskan kepada Nota Dinas 2 Hari | "
        "Disposisi\n"
        "Pelaksana, jika tidak lengkap dikembalikan kepada Kadis untuk\n"
        "diperbaiki\n"
        "2 | Menyusun usulan kegiatan beserta lampiran Surat Edaran 1 jam | Arsip\n"
        "3 | Mencetak usulan kegiatan beserta lampiran Nota Dinas 2 Hari | Surat keluar\n"
    )
    assert [r.number for r in rows] == [1, 2, 3]
    assert "jika tidak lengkap dikembalikan kepada Kadis" in rows[0].activity


def test_dash_after_two_known_cells_is_no_waktu() -> None:
    """An empty Waktu cell: "Nota Dinas" and "Berkas lengkap", cells the other rows hold,
    stand before a dash; they are the Kelengkapan and the Output, not one Kelengkapan."""
    rows = _rows(
        "1 | Menyusun konsep surat keluar Nota Dinas 2 Hari | Berkas lengkap\n"
        "2 | Mencetak konsep surat keluar Surat Edaran 1 jam | Berkas lengkap\n"
        "3 | Mengarsipkan konsep surat keluar Nota Dinas Berkas lengkap — | Melalui aplikasi\n"
    )
    assert (rows[2].requirements, rows[2].output) == ("Nota Dinas", "Berkas lengkap")
    assert rows[2].notes == "Melalui aplikasi"


def test_unnumbered_row_start_by_its_ruled_cells() -> None:
    assert unnumbered_start(
        "Pelaksana memverifikasi konsep Indikator Kinerja | Buku agenda Surat Edaran Rangkap dua"
    )
    # a wrapped activity line naming a performer has no cells after a bar
    assert not unnumbered_start("Pelaksana menerima dan memeriksa berkas permohonan")
    assert not unnumbered_start("Pelaksana memeriksa | berkas")


def test_unnumbered_row_start_by_a_remnant_before_cells() -> None:
    assert unnumbered_start("Fungsional menggandakan surat LoL —D Suratedaan — Jiom— (sem")
    # a remnant at the end of a wrapped line, no cell after it
    assert not unnumbered_start("Fungsional menggandakan surat undangan kepada Lo")


def test_row_whose_acronym_subject_lost_its_capitals() -> None:
    """ "2 pp mengarsipkan": the row's number before "PPK" read as "pp" still starts row 2."""
    rows = _rows(
        "1 | Menyusun konsep surat keluar Nota Dinas 2 Hari | Arsip\n"
        "2 pp mengarsipkan rekapitulasi data KTP dan KK 2x24jam Arsip Melalui aplikasi\n"
        "dalam rangka tertib administrasi\n"
        "3 | Mencetak konsep surat keluar Surat Edaran 1 jam | Arsip\n"
    )
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[1].activity.startswith("pp mengarsipkan rekapitulasi data")
    assert rows[1].duration == "2 x 24 jam"


def test_headerless_short_table_with_a_row_that_lost_its_number() -> None:
    """A three-row page whose header OCR lost, one row without its number: two numbered
    rows and a row that opens with a verb and holds its Waktu are a table."""
    text = (
        "STANDAR OPERASIONAL PROSEDUR\n"
        "Nama SOP: Pengajuan Cuti Pegawai\n\n"
        "Menyampaikan notulen rapat, kemudian diserahkan kepada Pelaksana Disposisi dua hari "
        "Disposisi\n\n"
        "4 | Menerima dan memeriksa usulan kegiatan dalam rangka tertib administrasi b "
        "Formulir isian 2 Hari Rekap data\n\n"
        "5 | Menyusun laporan realisasi anggaran untuk dibahas bersama tim Laporan IKU "
        "5 Menit Laporan IKU\n"
    )
    assert ocr.sniff(text) >= 0.25
    # the row above the first number read is a row too (its number lost with the header)
    assert [r.number for r in ocr.read(text).rows] == [None, 4, 5]
