"""The plain ``pdftotext`` reader, second round (issue 11): cells a run writes out of their
column order, a Waktu wrapped beside its Output, a step number joined to a role title."""

from __future__ import annotations

from converters.reading.readers import pdftext_raw

_HEAD = "No\n\nKegiatan\n\nStaf\n\nKasubbag\n\nMutu Baku\n\nKelengkapan\n\nWaktu\n\nOutput\n\n"


def _cells_of(text: str) -> list[tuple[str, str, str]]:
    doc = pdftext_raw.read(text)
    return [(r.requirements, r.duration, r.output) for r in doc.rows]


def test_an_output_written_after_the_rows_remark_is_still_its_output():
    """The page's cells come after its activities; row 2's one-line remark comes before its
    Output (the Output wraps, so its first baseline is lower): the document name after the
    remark is the row's Output, not a second remark."""
    text = _HEAD + (
        "1\n\nMenerima surat masuk\n\n2\n\nMengagendakan surat\n\n"
        "Buku agenda\n\n5 menit\n\nDisposisi\n\n"
        "Nota Dinas\n\n10 menit\n\nMelalui aplikasi\n\nLembar\ndisposisi\n"
    )
    doc = pdftext_raw.read(text)
    assert _cells_of(text) == [
        ("Buku agenda", "5 menit", "Disposisi"),
        ("Nota Dinas", "10 menit", "Lembar disposisi"),
    ]
    assert doc.rows[1].notes == "Melalui aplikasi"


def test_a_run_gives_its_cells_to_the_earlier_rows_on_a_tie():
    """Rows 1 and 2 have no cell beside their activity, rows 3 to 5 have theirs, row 5
    without an Output; the run before the first number gives two Waktu groups, the second
    with an Output. That Output is row 2's, the row of the Waktu before it, not row 5's:
    between equal readings every cell goes to the earlier row."""
    text = _HEAD + (
        "Nota Dinas\n\n5 menit\n\nDisposisi\n\n15 menit per\ndokumen\n\nRekap data\n\n"
        "1\n\nMenerima surat masuk\n\n2\n\nMengagendakan surat\n\n"
        "3\n\nMemaraf nota dinas\n\nNota Dinas\n\n2 jam\n\nDraf Surat\n\n"
        "4\n\nMencetak surat\n\nSurat Edaran\n\n1 hari\n\nArsip\n\n"
        "5\n\nMenyusun konsep\n\nBuku agenda\n\n1 minggu\n\nA\n\nRangkap dua\n\n"
        "6\n\nMengirim surat\n\nBuku agenda\n\n2 jam\n\nSurat keluar\n"
    )
    cells = _cells_of(text)
    assert cells[1] == ("", "15 menit per dokumen", "Rekap data")
    assert cells[4] == ("Buku agenda", "1 minggu", "")


def test_a_wrapped_waktu_joined_to_the_output_beside_it():
    """"1 minggu 2 hari" wraps after "2"; pdftotext joins its first line with the Output on
    the same baseline ("1 minggu 2 SPM") and writes "hari" below."""
    text = _HEAD + (
        "1\n\nMenerima surat masuk\n\nBuku agenda\n\n1 minggu 2 SPM\nhari\n\n"
        "2\n\nMengagendakan surat\n\nDisposisi\n\n15 menit per Nota Dinas\ndokumen\n"
    )
    assert _cells_of(text) == [
        ("Buku agenda", "1 minggu 2 hari", "SPM"),
        ("Disposisi", "15 menit per dokumen", "Nota Dinas"),
    ]


def test_a_wrapped_waktu_alone_stays_whole():
    text = _HEAD + "1\n\nMenerima surat masuk\n\nBuku agenda\n\n1 minggu 2\nhari\n\nArsip\n"
    assert _cells_of(text) == [("Buku agenda", "1 minggu 2 hari", "Arsip")]


def test_a_step_number_joined_to_the_role_title_above_it():
    """The first step number shares a block with the last role title ("Ketua Tim" / "1"):
    the number opens step 1 and the title stays a role."""
    text = (
        "No\n\nKegiatan\n\nMutu Baku\n\nStaf\n\nKetua Tim\n1\n\nMenerima surat masuk\n\n"
        "2\n\nMengagendakan surat\n\nKelengkapan\n\nWaktu\n\nOutput\n\n"
        "Buku agenda\n\n5 menit\n\nDisposisi\n\nNota Dinas\n\n10 menit\n\nArsip\n"
    )
    doc = pdftext_raw.read(text)
    assert [r.number for r in doc.rows] == [1, 2]
    assert doc.rows[0].activity == "Menerima surat masuk"
    assert "Ketua Tim" in doc.roles


def test_the_cell_joined_to_the_output_title_is_the_first_rows():
    """The page gives its Kelengkapan and Waktu row by row, then the Output column starting
    with the cell joined to its title ("Output" / "Paraf"): that cell is the first row's
    Output, and the document names between the Waktu values are Kelengkapan."""
    text = (
        "No\n\nKegiatan\n\nStaf\n\nKasubbag\n\nMutu Baku\n\nKelengkapan\n\n"
        "1\n\nMenerima surat masuk\n\nWaktu\n\nFormulir isian\n\n1 x 24 Jam\n\n"
        "Buku agenda\n\n1 Minggu\n\nNota Dinas\n\n15 menit\n\nOutput\nParaf\n\n"
        "2\n\nMengagendakan surat\n\n3\n\nMemaraf nota dinas\n"
    )
    assert _cells_of(text) == [
        ("Formulir isian", "1 x 24 Jam", "Paraf"),
        ("Buku agenda", "1 Minggu", ""),
        ("Nota Dinas", "15 menit", ""),
    ]


def test_a_label_joined_below_a_cell_is_no_part_of_it():
    """The decision's text names its branches ("jika tidak lengkap ..."); the label drawn
    below the next row's Kelengkapan ("KTP dan KK" / "Tidak lengkap") is no part of the
    cell, but a cell that wraps onto a lower-case label word ("Berkas" / "lengkap") is one
    cell."""
    text = _HEAD + (
        "1\n\nMemeriksa berkas; jika lengkap diteruskan ke langkah 2, jika tidak lengkap "
        "kembali ke langkah 1\n\nBuku agenda\n\n5 menit\n\nBerkas\nlengkap\n\n"
        "2\n\nMengagendakan surat\n\nKTP dan KK\nTidak lengkap\n\n10 menit\n\nArsip\n"
    )
    assert _cells_of(text) == [
        ("Buku agenda", "5 menit", "Berkas lengkap"),
        ("KTP dan KK", "10 menit", "Arsip"),
    ]
