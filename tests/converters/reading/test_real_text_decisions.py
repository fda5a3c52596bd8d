"""Decisions and rows in ``pdftotext -layout`` text of the shapes real signed SOPs give.

Each text here is small and made up, in the *form* the shared corpus showed (issue 11): a
numbered list written inside an activity cell, a justified activity line whose last word
reaches into a role column, a check followed by its own correction step, a choice among named
ways whose labels float beside the step and below it, and branch labels midway between two
rows. They go through the public entry point as an uploaded ``.txt`` would.
"""

from __future__ import annotations

from converters.model import END
from converters.reading.readers import pdftext_layout as layout
from converters.reading.sop_file import read_sop


def _sop(text: str):
    return read_sop(text.encode("utf-8"), "sop.txt")


_LIST_IN_CELL = """\
No    Kegiatan                                  Operator      Approver      Waktu      Output

1     Mencetak dokumen opname                                               1 jam      Dokumen

2     Melakukan opname fisik barang di gudang                               1 minggu   Hasil
      Ketentuan Tambahan :
      1. Sisa barang kegiatan diinput sebagai
      persediaan
      2. Belanja habis pakai diinput dengan
      menu pembelian

3     Menyusun berita acara opname                                          1 hari     Berita acara
"""


def test_a_numbered_list_inside_an_activity_cell_is_no_row():
    """ "1." and "2." stand at the activity text's left edge, right of the row numbers: the
    step keeps them and the numbers after it are not shifted."""
    doc = layout.read(_LIST_IN_CELL)
    assert [r.number for r in doc.rows] == [1, 2, 3]
    assert "1. Sisa barang kegiatan" in doc.rows[1].activity
    assert doc.rows[1].activity.endswith("menu pembelian")
    sop = _sop(_LIST_IN_CELL)
    assert [s.number for s in sop.steps] == [1, 2, 3]
    assert not [w for w in sop.warnings if w.code == "number-guessed"]


_JUSTIFIED = """\
No    Kegiatan                            Pemohon       Petugas         Waktu      Output

1     Mengajukan permintaan barang                                      5 menit    Bon

2     Menyetujui    permintaan    barang    sesuai                      5 menit    Bon disetujui
      ketersediaan di gudang

3     Menyerahkan barang                                                10 menit   Barang
"""


def test_a_justified_word_reaching_into_a_role_column_stays_in_the_sentence():
    """ "sesuai" is no "Sesuai" branch label: it is no farther from the sentence than the
    sentence's own gaps, and it is lower case."""
    doc = layout.read(_JUSTIFIED)
    assert doc.rows[1].marks == {}
    assert doc.rows[1].activity == "Menyetujui permintaan barang sesuai ketersediaan di gudang"
    assert all(s.decision is None for s in _sop(_JUSTIFIED).steps)


def test_a_capitalised_label_beside_a_justified_line_is_still_a_label():
    text = _JUSTIFIED.replace("barang    sesuai   ", "barang    Sesuai   ")
    assert layout.read(text).rows[1].marks == {"Pemohon": "Sesuai"}


_CHECK_AND_FIX = """\
No    Kegiatan                                  Operator      Approver      Waktu      Output

1     Menginput data transaksi                                              1 jam      Data

                                                              Tidak
2     Memverifikasi data transaksi                                          1 jam      Data
                                                              Ya

3     Melakukan perbaikan inputan data                                      1 jam      Data

4     Menyetujui data transaksi                                             5 menit    Data
"""


def test_a_check_followed_by_its_correction_step_rejects_to_it_and_approves_past_it():
    step = _sop(_CHECK_AND_FIX).steps[1]
    assert step.decision is not None
    assert step.decision.labels == ("Ya", "Tidak")
    assert (step.decision.approve_to, step.decision.reject_to) == (4, 3)
    assert step.decision.provenance.confidence < 0.9  # the targets are read from the order


def test_without_a_correction_step_the_reject_branch_goes_back():
    text = _CHECK_AND_FIX.replace("Melakukan perbaikan inputan data", "Mencetak laporan data    ")
    step = _sop(text).steps[1]
    assert step.decision is not None
    assert (step.decision.approve_to, step.decision.reject_to) == (3, 1)


def test_the_correction_step_at_the_end_approves_to_the_end():
    text = _CHECK_AND_FIX.split("\n4 ")[0] + "\n"
    step = _sop(text).steps[1]
    assert step.decision is not None
    assert (step.decision.approve_to, step.decision.reject_to) == (END, 3)


_CHOICE = """\
No    Kegiatan                                Pengguna       Resepsionis    Waktu      Output

1     Resepsionis mengarahkan pengguna                                      5 menit    Registrasi
      untuk registrasi

2     Resepsionis mengarahkan pengguna
      untuk memilih sarana pengaduan                         Kotak Surat
      yang diinginkan


3     Petugas menerima pengaduan                                            1 jam      Pengaduan
                                              Tatap muka
4     Petugas menelaah pengaduan                                            1 hari     Telaah
"""


def test_a_choice_with_named_labels_beside_it_and_below_is_a_decision():
    """No question mark and no Ya/Tidak: the step chooses ("memilih") and two named labels
    float beside it and on the row below."""
    sop = _sop(_CHOICE)
    step = sop.steps[1]
    assert step.decision is not None
    assert step.decision.labels == ("Kotak Surat", "Tatap muka")
    assert step.decision.approve_to == 3
    assert [s.number for s in sop.steps if s.decision] == [2]


def test_named_labels_without_a_choice_make_no_decision():
    text = _CHOICE.replace("untuk memilih sarana pengaduan", "untuk mengisi formulir aduan  ")
    assert all(s.decision is None for s in _sop(text).steps)


def test_one_named_label_is_no_choice():
    text = _CHOICE.replace("Tatap muka", "          ")
    assert all(s.decision is None for s in _sop(text).steps)


_MIDWAY_LABELS = """\
No    Kegiatan                                Ketua Tim      Anggota        Waktu      Output

1     Mengikuti briefing petugas                                            3 hari     Petugas

      Melakukan pendataan                                    Tidak
2                                                                           1 bulan    Data
      lapangan


      Memonitoring pendataan
3                                                                           1 bulan    Data
      lapangan

                                              Ya
                                                             Tidak
4     Memeriksa anomali data                                                2 minggu   Data

                                              Ya
5     Menyusun laporan                                                      1 minggu   Laporan
"""


def test_a_label_midway_between_two_rows_hangs_below_the_upper_ones_diamond():
    """ "Ya" stands two lines below step 3's text and two above step 4's number: it leaves
    step 3's diamond, whose "Tidak" loops back above it; step 4 has its own pair."""
    sop = _sop(_MIDWAY_LABELS)
    assert [s.number for s in sop.steps if s.decision] == [3, 4]
