"""The one reader of a header laid out as text columns (identity block | sections).

``pdftotext -layout`` text and the words of a drawn SOP outside its table both reach
:func:`converters.reading.header_layout.read_layout_header`; these tests pin what it reads from
the side-by-side shape and that both callers get the same answer from the same lines.
"""

from __future__ import annotations

from converters.reading.drawn.interpret.header_text import read_header
from converters.reading.header_layout import read_layout_header
from converters.reading.readers import pdftext_layout as layout

_HEADER = """\
                                                            NOMOR SOP            012/UM/2024
                    BADAN PUSAT STATISTIK                   TANGGAL PEMBUATAN    2 Januari 2024
                    PROVINSI CONTOH                         TANGGAL EFEKTIF      5 Januari 2024
                                                            DISAHKAN OLEH        Kepala BPS Provinsi
                                                            NAMA SOP             Pengelolaan Arsip
DASAR HUKUM                                                 KUALIFIKASI PELAKSANA
1. Undang-Undang Nomor 43 Tahun 2009 tentang Kearsipan      1. Memahami tata naskah dinas
2. Peraturan Kepala Nomor 7 Tahun 2020                      2. Mampu mengoperasikan komputer
KETERKAITAN                                                 PERALATAN/PERLENGKAPAN
1. SOP Pengelolaan Surat Masuk                              1. Komputer
PERINGATAN                                                  PENCATATAN DAN PENDATAAN
Jika SOP tidak dilaksanakan, arsip hilang                   Buku agenda arsip
* Dokumen ini telah ditandatangani secara elektronik
"""

_TABLE = """
No    Kegiatan                          Arsiparis      Waktu      Output
1     Menerima arsip                                   1 hari     Arsip
2     Menyimpan arsip                                  1 hari     Arsip tersimpan
"""


def test_identity_and_sections_are_read_from_the_two_columns():
    head = read_layout_header(_HEADER.splitlines())
    assert head.identity.number == "012/UM/2024"
    assert head.identity.name == "Pengelolaan Arsip"
    assert head.qualifications == ("Memahami tata naskah dinas", "Mampu mengoperasikan komputer")
    assert head.legal_basis[0].startswith("Undang-Undang Nomor 43 Tahun 2009")
    assert head.related_sops == ("SOP Pengelolaan Surat Masuk",)
    assert head.equipment == ("Komputer",)
    assert head.records == ("Buku agenda arsip",)
    assert not any("ditandatangani" in c for c in head.cautions)


def test_the_layout_reader_and_the_drawn_interpreter_read_one_header_alike():
    lines = _HEADER.splitlines()
    doc = layout.read(_HEADER + _TABLE)
    drawn = read_header(lines)
    assert doc.identity == drawn.identity == read_layout_header(lines).identity
    assert doc.qualifications == drawn.qualifications
    assert doc.records == drawn.records


def test_a_name_centred_on_its_label_is_joined_only_when_asked():
    lines = [
        "                                   NOMOR SOP    1/2024",
        "                                                Standar Evaluasi",
        "                                   NAMA SOP",
        "                                                Survei Sosial",
    ]
    assert read_layout_header(lines, name_around_label=True).identity.name == (
        "Standar Evaluasi Survei Sosial"
    )
    assert read_layout_header(lines).identity.name != "Standar Evaluasi Survei Sosial"
