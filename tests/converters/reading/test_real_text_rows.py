"""Rows and roles of real SOP tables read from text (issue 11, helper realtext).

* The form's column index row ("1 2 ... 9" under the titles) comes out of plain
  ``pdftotext`` as lone numbers among the header's title cells, before the rows: a step's
  number is the sighting an activity follows, not the index cell.
* Columns named for the work they do in one application ("(Operator)", "(Approver)") carry no
  jabatan rank; checking what the operator entered is the approver's work.

The texts are small and made up, in the shape the form produces.
"""

from __future__ import annotations

from converters.reading.inference import infer
from converters.reading.raw import RawDocument, RawRow
from converters.reading.readers import pdftext_raw


def _text(*blocks: str) -> str:
    """Blocks as plain pdftotext writes them; "|" inside a block breaks its lines."""
    return "\n\n".join(b.replace("|", "\n") for b in blocks) + "\n"


_ROWS = (
    "1", "Mencetak dokumen bahan opname", "Aplikasi", "5 menit", "Dokumen",
    "2", "Melakukan opname fisik barang di gudang", "Dokumen", "1 minggu", "Hasil opname",
    "3", "Menyusun berita acara opname fisik", "Hasil opname", "1 hari", "Berita acara",
    "4", "Menginput data hasil opname fisik", "Berita acara", "1 jam", "Data terinput",
    "5", "Memverifikasi data hasil opname fisik", "Data terinput", "1 jam", "Terverifikasi",
    "6", "Mencatat data hasil opname pada kartu kendali", "Kartu kendali", "1 hari", "Kartu",
    "7", "Menyusun laporan persediaan", "Kartu", "1 hari", "Laporan",
    "8", "Mengarsipkan laporan persediaan", "Laporan", "10 menit", "Arsip",
)


def _indexed_header() -> tuple[str, ...]:
    """A header whose index cells (1..8) pdftotext wrote among the title cells, as lone
    numbers: 1 and 2 beside "No." and "Kegiatan", 3 to 5 after role titles, 6 to 8 after
    the Mutu Baku titles."""
    return ("Nomor SOP", "800/12/2024", "Nama SOP", "Opname Persediaan",
            "\fPelaksana|No.", "1", "Kegiatan", "2", "Petugas Gudang|Operator|3", "4",
            "Mutu Baku|Approver|5", "Kelengkapan", "Waktu", "Output", "6", "7", "8")


def test_the_header_index_row_is_no_step_number() -> None:
    """Every step is anchored at its own number, the one its activity follows (the line the
    row starts on), and nothing is reported as guessed."""
    text = _text(*_indexed_header(), *_ROWS)
    doc = pdftext_raw.read(text)
    header_end = text.split("\n").index("8")  # the index row's last cell
    assert [r.number for r in doc.rows] == list(range(1, 9))
    starts = [r.line or 0 for r in doc.rows]
    assert starts == sorted(starts) and min(starts) > header_end
    assert doc.rows[5].activity == "Mencatat data hasil opname pada kartu kendali"
    assert (doc.rows[5].duration, doc.rows[5].output) == ("1 hari", "Kartu")
    codes = {w.code for w in doc.warnings}
    assert "activity-guessed" not in codes and "mutu-guessed" not in codes


def test_a_header_without_an_index_row_reads_as_before() -> None:
    text = _text("Nomor SOP", "800/12/2024", "Nama SOP", "Opname Persediaan",
                 "\fPelaksana|No.", "Kegiatan", "Petugas Gudang|Operator", "Mutu Baku|Approver",
                 "Kelengkapan", "Waktu", "Output", *_ROWS)
    doc = pdftext_raw.read(text)
    assert [r.number for r in doc.rows] == list(range(1, 9))
    assert [r.activity for r in doc.rows] == [_ROWS[k] for k in range(1, len(_ROWS), 5)]


def _raw(rows: list[tuple[int, str]], roles: list[str]) -> RawDocument:
    return RawDocument(source_format="raw", roles=roles,
                       rows=[RawRow(n, a, {}, line=i + 1) for i, (n, a) in enumerate(rows)])


_APP_ROWS = [
    (1, "Melakukan opname fisik barang di gudang"),
    (2, "Menginput data hasil opname pada aplikasi"),
    (3, "Memverifikasi data hasil opname pada aplikasi"),
    (4, "Menyusun laporan persediaan"),
]


def test_the_approver_checks_what_the_operator_entered() -> None:
    """"Memverifikasi" after the operator's entry goes to the approver's column, not to the
    ranked unit column a review would otherwise pick (a superior of the operator's)."""
    roles = ["Tim Gudang/Subbagian Umum", "Tim Persediaan (Operator)",
             "Tim Persediaan (Approver)"]
    sop = infer(_raw(_APP_ROWS, roles))
    assert sop.step(2).role == "Tim Persediaan (Operator)"
    assert sop.step(3).role == "Tim Persediaan (Approver)"
    assert any("isian Tim Persediaan (Operator)" in e
               for e in sop.step(3).role_provenance.evidence)


def test_a_verifier_column_keeps_its_own_checking() -> None:
    """What was right is left alone: with a column named for verifying, the verifying step
    is that column's (its own function title), not the approver's."""
    roles = ["Operator", "Verifikator", "Approver"]
    sop = infer(_raw(_APP_ROWS[1:3], roles))
    assert [s.role for s in sop.steps] == ["Operator", "Verifikator"]



def test_a_run_of_lone_numbers_takes_the_activities_after_it_in_order() -> None:
    """pdftotext may write a page's number cells one after another ("3", "4", "5") and then
    the activity cells in the same order, branch labels between them: the k-th number takes
    the k-th activity, not the first activity the last number happens to stand before."""
    doc = pdftext_raw.read(_text(
        "Nomor SOP", "800/12/2024", "Nama SOP", "Pengajuan Cuti",
        "\f No.", "Kegiatan", "Kepala Dinas", "Staf", "Mutu Baku", "Kelengkapan", "Waktu",
        "Output",
        "1", "Menerima berkas permohonan cuti", "Formulir isian", "5 menit", "Berkas",
        "2", "Menyusun draf surat cuti", "Berkas", "1 hari", "Draf Surat",
        "3", "4", "5",
        "Memeriksa draf surat cuti; jika sesuai diteruskan kepada Kepala Dinas, jika tidak"
        "|sesuai dikembalikan kepada Staf",
        "Menandatangani surat cuti", "Tidak|sesuai", "Sesuai",
        "Mengarsipkan surat cuti",
    ))
    assert [r.activity.split(";")[0] for r in doc.rows] == [
        "Menerima berkas permohonan cuti", "Menyusun draf surat cuti",
        "Memeriksa draf surat cuti", "Menandatangani surat cuti", "Mengarsipkan surat cuti"]
