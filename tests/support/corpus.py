"""Where the shared SOP corpus lives, and what its README says about each document.

The corpus (real signed SOPs) is never copied into the project: it sits in ``shared/`` beside
the checkout (``../shared/sop-corpus``), or where ``ALUR_SOP_CORPUS`` points. Every test that
reads it skips with a message when it is absent, so one definition of the place keeps all of
them looking in the same folder.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("ALUR_SOP_CORPUS") or ROOT.parent / "shared" / "sop-corpus")
CORPUS_TEXT = CORPUS / "text"
ABSENT = f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}"

# The corpus README's table: SOP number, number of steps, role columns in order.
CORPUS_TABLE = {
    "01": ("SOP-025/17000/2025", 11, ["Tim Teknis", "Bagian Umum", "Sekretaris",
                                      "Kepala BPS Provinsi"]),
    "02": ("SOP-041/17000/2025", 9, ["Ketua Tim", "Ketua Proyek", "Supplier Data", "Layouter"]),
    "03": ("SOP-054/17000/2025", 14, ["BPS Kab/Kota", "Aplikasi FRS MFD Online level kab/kota",
                                      "Aplikasi FRS MFD Online level provinsi"]),
    "04": ("SOP-1-107/17000/2025", 8, ["Pengguna Layanan", "Resepsionis", "Petugas Layanan",
                                        "Sarana Pelayanan"]),
    "05": ("SOP-036/17000/2025", 5, ["Ketua Tim Metodologi dan Analisis Statistik",
                                     "Ketua Project Analisis Sektor", "Anggota",
                                     "Tim Diseminasi"]),
    "06": ("SOP-275/17000/2025", 7, ["PA/KPA", "PPK"]),
    "07": ("SOP-076/17000/2025", 3, ["Ketua Tim Statistik Sosial", "Anggota Tim Statistik Sosial",
                                     "Kepala Bagian Umum", "BPS Kabupaten/Kota"]),
    "08": ("SOP-078/17000/2025", 3, ["Ketua Tim Statistik Sosial", "Anggota Tim Statistik Sosial",
                                     "Ketua Tim Neraca Wilayah", "BPS RI"]),
}  # fmt: skip
