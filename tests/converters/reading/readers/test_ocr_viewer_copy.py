"""The OCR reader on text copied out of a PDF viewer (``pdftotext -raw``): each cell in the
content stream's order, a row's cells that share a baseline joined by single spaces.

A row whose activity wraps gives its Mutu Baku cells (Kelengkapan, Waktu, Output, Keterangan)
on a line of their own after the activity's last line, and their wrapped ends after that; OCR
gives the same shape when it reads the activity's block before the cells' block. The text
below is written in that shape (a generated SOP's rows, names invented); the reader once gave
each row's cells to the row after it (the line looked like the next row's first line above a
centred number) or to the activity.
"""

from __future__ import annotations

import pytest

from converters.reading.readers import ocr
from tests.support.sop_generator import generate, score, truth_of
from tests.support.text_forms import FORM_BY_NAME, read_contract, render_pdf

VIEWER_COPY = """\
SOP Pengajuan Cuti Pegawai
No. Uraian Prosedur Keterangan
Pelaksana Mutu Baku
Staf Bendahara Kelengkapan Waktu Output
1 Bendahara mencetak nota dinas sesuai dengan ketentuan
peraturan perundang-undangan yang berlaku
KTP dan KK Segera Arsip
2 Mengagendakan rekapitulasi data beserta lampiran dan
data dukung, kemudian diserahkan kepada Staf
Berkas permohonan 5 s.d 10
menit
Paraf
3 Staf memaraf dokumen pertanggungjawaban beserta
lampiran dan data dukung, kemudian diserahkan kepada
Bendahara
Laporan IKU 2 menit/berkas Surat keluar Paling lambat
hari Jumat
4 Memverifikasi draf laporan kinerja Buku agenda 1 x 24 Jam Draf Surat
5 Menyampaikan daftar hadir sesuai dengan ketentuan
peraturan perundang-undangan yang berlaku
Surat Edaran 1 jam 30 menit Arsip Melalui aplikasi
"""


def test_cells_after_the_activity_stay_with_their_row() -> None:
    raw = ocr.read(VIEWER_COPY)
    assert [r.number for r in raw.rows] == [1, 2, 3, 4, 5]
    assert [r.duration for r in raw.rows] == [
        "Segera",
        "5 s.d 10 menit",
        "2 menit/berkas",
        "1 x 24 Jam",
        "1 jam 30 menit",
    ]
    assert [r.requirements for r in raw.rows] == [
        "KTP dan KK",
        "Berkas permohonan",
        "Laporan IKU",
        "Buku agenda",
        "Surat Edaran",
    ]
    assert [r.output for r in raw.rows] == ["Arsip", "Paraf", "Surat keluar", "Draf Surat", "Arsip"]
    assert [r.notes for r in raw.rows] == [
        "",
        "",
        "Paling lambat hari Jumat",
        "",
        "Melalui aplikasi",
    ]


def test_the_activity_ends_before_its_cells() -> None:
    raw = ocr.read(VIEWER_COPY)
    assert raw.rows[0].activity.endswith("yang berlaku")
    assert raw.rows[2].activity.endswith("kepada Bendahara")
    assert "hari" not in raw.rows[2].activity.split()


WRAPPED_CELLS = """\
SOP Penyusunan Laporan Kinerja
No. Uraian Prosedur Keterangan
Pelaksana Mutu Baku
Staf Bendahara Kelengkapan Waktu Output
1 Menelaah konsep surat keluar beserta
lampiran dan data dukung bersama Staf
KTP dan KK 1 minggu
2 hari
Draf Surat Paling lambat
hari Jumat
2 Mencetak rekapitulasi data melalui aplikasi
SRIKANDI, kemudian diserahkan kepada
Bendahara
Surat Edaran 15 menit
per
dokumen
Arsip
3 Menyusun draf laporan kinerja sesuai dengan
ketentuan peraturan perundang-undangan
Nota Dinas - Surat Edaran
4 Memverifikasi draf laporan kinerja Surat Edaran 2 jam Nota Dinas
"""


def test_a_waktu_on_lines_of_its_own_is_followed_by_the_output() -> None:
    """The Waktu cell wraps ("1 minggu" / "2 hari", "15 menit" / "per" / "dokumen") or
    holds "-": the line after it is the Output (and a Keterangan from its opening word)."""
    raw = ocr.read(WRAPPED_CELLS)
    assert [r.number for r in raw.rows] == [1, 2, 3, 4]
    assert [r.duration for r in raw.rows] == [
        "1 minggu 2 hari",
        "15 menit per dokumen",
        "-",
        "2 jam",
    ]
    assert [r.output for r in raw.rows] == ["Draf Surat", "Arsip", "Surat Edaran", "Nota Dinas"]
    assert raw.rows[0].notes == "Paling lambat hari Jumat"
    assert [r.requirements for r in raw.rows[:3]] == ["KTP dan KK", "Surat Edaran", "Nota Dinas"]


@pytest.mark.parametrize("seed", [1100, 1108])
def test_a_generated_viewer_copy_keeps_waktu_and_output(seed: int) -> None:
    """One generated SOP drawn as a PDF and copied as a viewer does (``pdftotext -raw``)."""
    form = FORM_BY_NAME["pdftotext -raw (viewer copy)"]
    g = generate(seed)
    text = form.make(render_pdf(g)[1])
    tally = score(truth_of(g), read_contract(text, form.filename).data)
    assert tally.percent("steps") == 100.0
    waktu, output = tally.percent("waktu"), tally.percent("output")
    assert waktu is not None and waktu >= 90.0
    assert output is not None and output >= 80.0
