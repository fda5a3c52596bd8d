"""The plain ``pdftotext`` reader: cells in content-stream order, steps put back in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.model import ConversionError
from converters.reading.readers import pdftext_raw
from tests.converters.reading.readers.robustness import robustness_tests
from tests.support.corpus import CORPUS_TABLE
from tests.support.corpus import CORPUS_TEXT as CORPUS

FIXTURE = (Path(__file__).resolve().parents[3] / "fixtures" / "sops"
           / "a2-raw-rsud-pendaftaran.txt")


@pytest.fixture(scope="module")
def rsud():
    return pdftext_raw.read(FIXTURE.read_text(encoding="utf-8"))


def test_roles_from_header_blocks(rsud):
    assert rsud.roles == ["Pasien", "Petugas Pendaftaran", "Perawat Poli", "Dokter Spesialis"]
    assert rsud.source_format == "raw"


def test_identity_labels_paired_with_their_value_block(rsud):
    assert rsud.identity.number == "440/27/SOP-RSUD/2024"
    assert rsud.identity.name == "Pendaftaran Pasien Rawat Jalan"
    assert rsud.identity.created is not None and rsud.identity.created.text == "4 Maret 2024"
    assert len(rsud.legal_basis) == 2


def test_steps_in_number_order_with_their_activities(rsud):
    assert [r.number for r in rsud.rows] == [1, 2, 3, 4, 5, 6]
    assert [r.activity for r in rsud.rows] == [
        "Mengambil nomor antrian di anjungan mandiri",
        "Petugas pendaftaran memanggil pasien dan memeriksa identitas",
        "Menginput data kunjungan ke SIMRS",
        "Mengukur tanda vital pasien di poliklinik",
        "Memeriksa pasien dan menulis resep",
        "Menyerahkan resep dan surat kontrol",
    ]


def test_mutu_baku_where_it_follows_its_activity(rsud):
    r2 = rsud.rows[1]
    assert (r2.requirements, r2.duration, r2.output) == (
        "KTP, kartu BPJS",
        "5 menit",
        "Data pasien terverifikasi",
    )
    assert rsud.rows[3].duration == "10 menit"
    assert rsud.rows[4].duration == ""


def test_guesses_are_reported(rsud):
    codes = {w.code: w for w in rsud.warnings}
    assert "5, 6" in codes["activity-guessed"].message
    assert "5, 6" in codes["mutu-unassigned"].message


def test_sniff():
    text = FIXTURE.read_text(encoding="utf-8")
    assert pdftext_raw.sniff(text) >= 0.7
    assert pdftext_raw.sniff("No\tKegiatan\tWaktu\tOutput\n1\tMenerima\t5 menit\tx\n") < 0.3
    assert pdftext_raw.sniff("") == 0.0


def test_no_table_is_refused():
    with pytest.raises(ConversionError, match="Tabel SOP"):
        pdftext_raw.read("Nomor SOP\n\n12/2024\n\nDasar Hukum\n1. UU\n")


def test_table_without_numbers_is_refused():
    with pytest.raises(ConversionError, match="langkah"):
        pdftext_raw.read("No\n\nKegiatan\n\nStaf\n\nWaktu\n\nOutput\n\nMenerima surat\n")




@pytest.mark.parametrize("key", sorted(CORPUS_TABLE))
def test_corpus_document(key):
    if not CORPUS.is_dir():
        pytest.skip(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
    path = next(CORPUS.glob(f"{key}_*.raw.txt"))
    doc = pdftext_raw.read(path.read_text(encoding="utf-8"))
    number, steps, roles = CORPUS_TABLE[key]
    assert doc.identity.number == number
    assert doc.roles == roles
    assert [r.number for r in doc.rows] == list(range(1, steps + 1))


def test_corpus_01_out_of_order_steps_10_and_11():
    if not CORPUS.is_dir():
        pytest.skip(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
    doc = pdftext_raw.read(next(CORPUS.glob("01_*.raw.txt")).read_text(encoding="utf-8"))
    acts = {r.number: r.activity for r in doc.rows}
    assert acts[1] == "Menerima surat Masuk"
    assert acts[10] == "Menindaklanjuti Perintah Disposisi"
    assert acts[11].startswith("Update status disposisi")


# -- robustness: mutated documents and random text -------------------------------------------


test_mutated_document_reads_or_refuses, test_random_text_reads_or_refuses = robustness_tests(
    pdftext_raw, FIXTURE
)


def test_corpus_activities_agree_with_the_layout_extraction():
    """The layout text keeps positions, so its activities serve as the reference."""
    if not CORPUS.is_dir():
        pytest.skip(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
    from converters.reading.readers import pdftext_layout as layout

    def norm(text: str) -> str:
        return "".join(text.split()).replace("\u2022", "")

    agree = total = 0
    for path in sorted(CORPUS.glob("*.raw.txt")):
        raw = pdftext_raw.read(path.read_text(encoding="utf-8"))
        ref_path = path.with_name(path.name.replace(".raw.", ".layout."))
        ref = layout.read(ref_path.read_text(encoding="utf-8"))
        expected = {r.number: norm(r.activity) for r in ref.rows if r.number is not None}
        for row in raw.rows:
            total += 1
            agree += bool(row.activity) and norm(row.activity) == expected.get(row.number)
    assert total == 60
    assert agree >= 55  # 04 (one text run holding three activities) and 05 step 3 differ


def test_corpus_names_paired_with_their_label():
    if not CORPUS.is_dir():
        pytest.skip(f"korpus SOP tidak ada / SOP corpus absent: {CORPUS}")
    names = {}
    for key in ("01", "02", "04"):
        path = next(CORPUS.glob(f"{key}_*.raw.txt"))
        names[key] = pdftext_raw.read(path.read_text(encoding="utf-8")).identity.name
    assert names == {
        "01": "Pengelolaan Surat Masuk",
        "02": "Unit Kerja Pimpinan BPS Provinsi Bengkulu",
        "04": "Layanan Pengaduan",
    }


# -- Mutu Baku cells written apart from their rows (issue 11) ---------------------------------

_HEAD = "No\n\nKegiatan\n\nStaf\n\nKasubbag\n\nMutu Baku\n\nKelengkapan\n\nWaktu\n\nOutput\n\n"


def _cells_of(text: str) -> list[tuple[str, str, str]]:
    doc = pdftext_raw.read(text)
    return [(r.requirements, r.duration, r.output) for r in doc.rows]


def test_a_page_written_column_by_column_is_aligned_at_its_waktu_values():
    """pdftotext gives the activities first, then the Mutu Baku cells in row order; row 2
    has no Kelengkapan and row 3 no Waktu: the Waktu values still tell the rows apart."""
    text = _HEAD + (
        "1\n\nMenerima surat masuk\n\n2\n\nMengagendakan surat\n\n3\n\nMemaraf nota dinas\n\n"
        "4\n\nMengarsipkan surat\n\n"
        "Buku agenda\n\n5 menit\n\nDisposisi\n\n10 menit\n\nAgenda\n\nParaf\n\n"
        "Paling lambat hari Jumat\n\nNota Dinas\n\n1 hari kerja\n\nArsip\n"
    )
    assert _cells_of(text) == [
        ("Buku agenda", "5 menit", "Disposisi"),
        ("", "10 menit", "Agenda"),
        ("", "", "Paraf"),
        ("Nota Dinas", "1 hari kerja", "Arsip"),
    ]
    doc = pdftext_raw.read(text)
    assert doc.rows[2].notes == "Paling lambat hari Jumat"
    assert "mutu-guessed" in {w.code for w in doc.warnings}


def test_the_cell_beside_an_activity_stays_its_kelengkapan():
    """Row 2's Waktu and Output went to the run of row 1; its Kelengkapan stayed beside its
    activity, so the run's cell after row 1's Output is row 2's Waktu group, not a Kelengkapan."""
    text = _HEAD + (
        "1\n\nMenerima surat masuk\n\nBuku agenda\n\n5 menit\n\nLembar disposisi\n\n"
        "Catatan\n\n10 menit\n\nAgenda\n\n2\n\nMengagendakan surat\n\nDisposisi\n"
    )
    assert _cells_of(text) == [
        ("Buku agenda", "5 menit", "Lembar disposisi"),
        ("Disposisi", "10 menit", "Agenda"),
    ]


def test_a_waktu_joined_to_its_output_or_broken_after_its_number():
    text = _HEAD + (
        "1\n\nMenerima surat masuk\n\nBuku agenda\n\n2 menit/berkas Surat Edaran\n\n"
        "2\n\nMengagendakan surat\n\nDisposisi\n\n1 - 5 hari Kerja\nSurat keluar\n\n"
        "3\n\nMemaraf nota dinas\n\nNota Dinas\n\n2\nmenit/berkas\n\nParaf\n"
    )
    assert _cells_of(text) == [
        ("Buku agenda", "2 menit/berkas", "Surat Edaran"),
        ("Disposisi", "1 - 5 hari Kerja", "Surat keluar"),
        ("Nota Dinas", "2 menit/berkas", "Paraf"),
    ]


def test_repeated_role_titles_and_branch_labels_are_no_cells():
    text = _HEAD + (
        "1\n\nMenerima surat masuk\n\n2\n\nMemeriksa surat; jika lengkap diteruskan ke "
        "langkah 3, jika tidak lengkap kembali ke langkah 1\n\n3\n\nMengarsipkan surat\n\n"
        "Staf\n\nKasubbag\n\nBuku agenda\n\n5 menit\n\nDisposisi\n\nTidak lengkap\n\n"
        "Surat\n\n10 menit\n\nParaf\n\nLengkap\n\nArsip\n\n1 jam\n\nBerkas\n"
    )
    assert _cells_of(text) == [
        ("Buku agenda", "5 menit", "Disposisi"),
        ("Surat", "10 menit", "Paraf"),
        ("Arsip", "1 jam", "Berkas"),
    ]


def test_a_branch_label_beside_a_connector_letter_is_no_cell():
    """A diamond's label with the letter of the off-page connector drawn next to it
    ("Tidak" / "E") is no Output: the row's own Output after it stays its Output."""
    text = _HEAD + (
        "1\n\nMenerima surat masuk\n\n2\n\nMemeriksa surat; jika ya diteruskan ke langkah 3, "
        "jika tidak kembali ke langkah 1\n\n3\n\nMengarsipkan surat\n\n"
        "Buku agenda\n\n5 menit\n\nDisposisi\n\nSurat\n\n10 menit\n\nTidak\nE\n\nYa\nD\n\n"
        "Paraf\n\nArsip\n\n1 jam\n\nBerkas\n"
    )
    assert _cells_of(text) == [
        ("Buku agenda", "5 menit", "Disposisi"),
        ("Surat", "10 menit", "Paraf"),
        ("Arsip", "1 jam", "Berkas"),
    ]
