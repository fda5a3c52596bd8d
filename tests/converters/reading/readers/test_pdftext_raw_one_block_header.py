"""Plain ``pdftotext`` of a table whose header it wrote as one block, baseline by baseline,
with the section box above the table in the same block (the shape of a real signed SOP,
written here with invented names): the section's lines are parted from the titles, every
line between the step column title and the first Mutu Baku title is a role's first line, and
the lines after the Mutu Baku titles continue the long names from the left."""

from __future__ import annotations

from converters.reading.readers import pdftext_raw

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

1

Menyusun daftar penerima bantuan

Data kelompok tani

2 hari

Daftar penerima

2

Memeriksa daftar penerima bantuan

Daftar penerima

1 hari

Daftar terperiksa

3

Menyiapkan bibit di gudang

Daftar terperiksa

3 hari

Bibit siap

4

Menyerahkan bibit kepada kelompok tani

Bibit siap

1 hari

Berita acara
"""


def test_the_role_titles_of_a_one_block_header_are_read_whole() -> None:
    doc = pdftext_raw.read(TEXT)
    assert doc.roles == [
        "Kepala Bidang Tanaman Pangan Provinsi",
        "Tim Verifikasi Bantuan Provinsi",
        "Tim Gudang Dinas Provinsi",
        "Penyuluh Lapangan",
    ]
    assert [r.number for r in doc.rows] == [1, 2, 3, 4]

