"""Plain ``pdftotext`` of a table whose header it wrote as one block, baseline by baseline,
with the section box above the table in the same block (the shape of a real signed SOP,
written here with invented names): the section's lines are parted from the titles, every
line between the step column title and the first Mutu Baku title is a role's first line, and
the lines after the Mutu Baku titles continue the long names from the left."""

from __future__ import annotations

from converters.reading.readers import pdftext_raw


def rows(*cells: tuple[str, str, str, str]) -> str:
    """The table's rows as plain pdftotext writes them: each cell a block of its own."""
    return "".join(f"\n{n}\n\n" + "\n\n".join(row) + "\n" for n, row in enumerate(cells, 1))


TEXT = """NOMOR SOP
TGL. PEMBUATAN

SOP-001/2025
2 Januari 2025

DINAS CONTOH

NAMA SOP
Penyaluran Bantuan Bibit

PERINGATAN
Jika SOP tidak dilaksanakan, maka penyaluran bantuan terlambat
Pelaksana
Mutu Baku
No
Kegiatan
Kepala Bidang Tanaman
Tim Verifikasi Bantuan
Tim Gudang Dinas
Penyuluh Lapangan
Kelengkapan
Waktu
Pangan Provinsi
Provinsi
Provinsi

""" + rows(
    ("Menyusun daftar penerima bantuan", "Data kelompok tani", "2 hari", "Daftar penerima"),
    ("Memeriksa daftar penerima bantuan", "Daftar penerima", "1 hari", "Daftar terperiksa"),
    ("Menyiapkan bibit di gudang", "Daftar terperiksa", "3 hari", "Bibit siap"),
    ("Menyerahkan bibit kepada kelompok tani", "Bibit siap", "1 hari", "Berita acara"),
)


def test_the_role_titles_of_a_one_block_header_are_read_whole() -> None:
    doc = pdftext_raw.read(TEXT)
    assert doc.roles == [
        "Kepala Bidang Tanaman Pangan Provinsi",
        "Tim Verifikasi Bantuan Provinsi",
        "Tim Gudang Dinas Provinsi",
        "Penyuluh Lapangan",
    ]
    assert [r.number for r in doc.rows] == [1, 2, 3, 4]



INTERLEAVED = """NOMOR SOP
TGL. PEMBUATAN

SOP-002/2025
3 Januari 2025

DINAS CONTOH

NAMA SOP
Pelaporan Stok Benih

Pelaksana
No.

1

Kegiatan

2

Tim Layanan
Tim Laporan
Gudang/Bagian
Stok Benih
Umum/Subbagian
(Operator)
Umum
3

4

Mutu Baku
Tim Laporan
Stok Benih
(Approver )
5

Ket.
Kelengkapan

Waktu

Output

6

7

8

9

""" + rows(
    ("Mencatat benih yang keluar dari gudang", "Kartu stok", "1 hari", "Catatan benih"),
    ("Menyusun laporan stok benih bulanan", "Catatan benih", "2 hari", "Laporan stok"),
    ("Menyetujui laporan stok benih", "Laporan stok", "1 hari", "Laporan disetujui"),
)


def test_title_cells_written_line_by_line_in_turn_are_dealt_back_by_the_numbered_row() -> None:
    # two cells side by side: pdftotext wrote one line of each in turn, then "3" and "4"
    doc = pdftext_raw.read(INTERLEAVED)
    assert doc.roles == [
        "Tim Layanan Gudang/Bagian Umum/Subbagian Umum",
        "Tim Laporan Stok Benih (Operator)",
        "Tim Laporan Stok Benih (Approver)",
    ]
    assert [r.number for r in doc.rows] == [1, 2, 3]
