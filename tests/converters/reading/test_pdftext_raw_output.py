"""Plain ``pdftotext`` text: the Output column and the rows at the table's start (issue 11,
"text extractions"). poppler's plain mode keeps a cell in its table, written row by row,
only when the cell is a corner of a grid of four aligned cells; the lone cells (their
neighbours in the column empty) come after the page's last row. These tests write the
shapes that follow from that by hand: one block per cell, blocks apart by a blank line."""

from __future__ import annotations

from converters.reading.raw import RawRow
from converters.reading.readers import pdftext_raw
from converters.reading.readers.pdftext_raw.cells import _Cells


def _text(*blocks: str) -> str:
    """Blocks as plain pdftotext writes them; "|" inside a block breaks its lines."""
    return "\n\n".join(b.replace("|", "\n") for b in blocks) + "\n"


def _rows(outputs: dict[int, str], count: int) -> list[RawRow]:
    """Rows that kept their Kelengkapan and Waktu in place, and the given Outputs."""
    rows = []
    for n in range(1, count + 1):
        row = RawRow(number=n, activity=f"Memeriksa berkas {n}")
        row.requirements, row.duration, row.output = "Formulir isian", "1 jam", outputs.get(n, "")
        rows.append(row)
    return rows


def _tail(*texts: str, home: int) -> list[pdftext_raw._Piece]:
    return [pdftext_raw._Piece(t, pdftext_raw._kind(t), home, tail=True) for t in texts]


def _output_rows(rows: list[RawRow], cells: list[_Cells]) -> list[int]:
    return [r.number or 0 for r, c in zip(rows, cells, strict=True) if c.output]


def test_a_tail_output_does_not_go_beside_a_row_that_kept_its_output() -> None:
    """Row 4 kept its Output in place: had row 3 or 5 an Output, the two would form a grid
    with their Waktu and stand in the table. The lone Output after the last row belongs to
    a row whose neighbours have none."""
    rows = _rows({4: "Nota Dinas"}, 5)
    cells = pdftext_raw._align(rows, _tail("Surat Keluar", home=5))
    assert _output_rows(rows, cells) in ([1], [2])


def test_two_tail_outputs_do_not_go_to_neighbouring_rows() -> None:
    rows = _rows({}, 6)
    cells = pdftext_raw._align(rows, _tail("Surat Keluar", "Laporan", home=6))
    first, second = _output_rows(rows, cells)
    assert second - first > 1


def test_an_output_joined_to_its_waktu_is_no_grid_corner() -> None:
    """Row 4's Output shares a block with its Waktu ("1 jam Nota Dinas"): one block to
    poppler, so the row beside it may still have a lone Output."""
    rows = _rows({4: "Nota Dinas"}, 5)
    cells = pdftext_raw._align(rows, _tail("Surat Keluar", home=5), joined={4})
    assert _output_rows(rows, cells) == [5]


_HEADER = ("Kelengkapan", "Waktu", "Output")


def test_the_first_row_under_the_index_cell_is_a_step() -> None:
    """A table with an index row: pdftotext joins the index cell "(1)" and the first step
    number below it, and writes the role titles after them, before "Kegiatan"."""
    doc = pdftext_raw.read(
        _text(
            "STANDAR OPERASIONAL PROSEDUR|Nama SOP: Pengelolaan Surat Masuk|Kepala Badan|No",
            "(1)|1",
            "Sekretaris",
            "Mutu Baku",
            "Staf",
            "Kegiatan",
            "(2)",
            "Keterangan",
            "(3)",
            "Menerima surat masuk dari pengirim, kemudian diserahkan kepada Sekretaris",
            "(4)",
            "(5)",
            *_HEADER,
            "Surat masuk",
            "10 menit",
            "2",
            "Memeriksa surat masuk, kemudian diserahkan kepada Staf",
            "Disposisi",
            "5 menit",
            "3",
            "Mengarsipkan surat masuk",
            "Arsip",
            "1 hari",
        )
    )
    assert [(r.number, r.activity.split()[0]) for r in doc.rows] == [
        (1, "Menerima"),
        (2, "Memeriksa"),
        (3, "Mengarsipkan"),
    ]
    assert doc.rows[0].duration == "10 menit"


def test_rows_written_before_the_step_column_title_are_steps() -> None:
    """pdftotext may write the first rows' numbers and activities after the "No" title and
    before "Kegiatan": the table starts at "No"."""
    doc = pdftext_raw.read(
        _text(
            "Nama SOP",
            "Penyusunan Laporan Keuangan",
            "SOP Penyusunan Laporan Keuangan|Pelaksana|No",
            "Keterangan|Kepala Badan",
            "1",
            "Menelaah notulen rapat",
            "2",
            "Kepala Badan menelaah surat undangan, kemudian diserahkan kepada Kepala Bagian",
            "3",
            "Memeriksa konsep laporan keuangan",
            "Mutu Baku",
            "Kegiatan",
            "Kabag",
            *_HEADER,
            "Draf Surat",
            "2 Hari",
            "Surat Edaran",
            "2 x 24 jam",
            "Arsip",
            "Draf Surat",
            "2 menit/berkas",
            "Surat keluar",
        )
    )
    assert [r.number for r in doc.rows] == [1, 2, 3]
    assert doc.rows[0].activity == "Menelaah notulen rapat"


_TABLE = (
    "Nomor SOP",
    "800/12/2024",
    "Nama SOP",
    "Pengajuan Cuti",
    "No.",
    "Kegiatan",
    "Kepala Dinas",
    "Mutu Baku",
    *_HEADER,
)


def test_two_named_branch_labels_in_one_block_are_no_cell() -> None:
    """The labels beside a diamond that the decision names ("jika teknis ..., jika
    administratif ...") joined in one block are no Output of a row."""
    doc = pdftext_raw.read(
        _text(
            *_TABLE,
            "1",
            "Menerima berkas permohonan",
            "Formulir isian",
            "5 menit",
            "2",
            "Memilah berkas sesuai jenisnya; jika teknis diteruskan ke langkah 3, jika "
            "administratif diteruskan ke langkah 3",
            "Berkas permohonan",
            "1 jam",
            "3",
            "Menandatangani surat",
            "Draf Surat",
            "1 hari",
            "Administratif|Teknis",
            "Surat Cuti",
        )
    )
    cells = {c for r in doc.rows for c in (r.requirements, r.output, r.notes)}
    assert not any("Administratif" in c or "Teknis" in c for c in cells)


def test_a_cell_and_a_remark_alone_after_an_activity_are_output_and_keterangan() -> None:
    """Columns go Kelengkapan, Waktu, Output, Keterangan: a single cell with the remark
    right after it, then the next row, is the Output; the Kelengkapan and Waktu went to
    the run."""
    doc = pdftext_raw.read(
        _text(
            *_TABLE,
            "1",
            "Menerima berkas permohonan",
            "Formulir isian",
            "5 menit",
            "Berkas lengkap",
            "2",
            "Memeriksa berkas permohonan",
            "Surat Cuti",
            "Rangkap dua",
            "3",
            "Menandatangani surat",
            "Draf Surat",
            "1 hari",
            "Surat Keputusan",
        )
    )
    row = doc.rows[1]
    assert (row.requirements, row.output, row.notes) == ("", "Surat Cuti", "Rangkap dua")


def test_a_step_named_at_the_end_of_a_wrapped_activity_is_no_row_number() -> None:
    """pdftotext wraps "... diteruskan ke langkah" / "4" inside the activity's block: the
    4 is the step the decision names; row 4 is the number further down, on the next page,
    and its cells are that page's."""
    doc = pdftext_raw.read(
        _text(
            *_TABLE,
            "1",
            "Menerima berkas permohonan",
            "Formulir isian",
            "5 menit",
            "Berkas lengkap",
            "2",
            "Memilah berkas sesuai jenisnya; jika teknis diteruskan ke langkah 3, jika "
            "administratif diteruskan ke langkah|4",
            "Berkas permohonan",
            "1 jam",
            "Disposisi",
            "3",
            "Menandatangani surat teknis",
            "Draf Surat",
            "1 hari",
            "Surat Cuti",
            "\f4",
            "Mengarsipkan surat administratif",
            "Surat Cuti",
            "10 menit",
            "Arsip",
        )
    )
    row = doc.rows[3]
    assert (row.number, row.activity) == (4, "Mengarsipkan surat administratif")
    assert (row.duration, row.output) == ("10 menit", "Arsip")


def test_a_cell_and_a_remark_before_a_decisions_labels_are_output_and_keterangan() -> None:
    """The branch labels beside a decision's diamond may come between the row's cells and
    the next number: they are no cells, so the cell and the remark are still the whole
    rest of the row, its Output and Keterangan (the Kelengkapan and Waktu went to the
    page's run, written before)."""
    doc = pdftext_raw.read(
        _text(
            *_TABLE,
            "Formulir isian",
            "5 menit",
            "Berkas lengkap",
            "Surat Edaran",
            "1 jam",
            "1",
            "Menerima berkas permohonan",
            "2",
            "Memeriksa berkas permohonan; jika ada diteruskan ke langkah 3, jika tidak ada "
            "dikembalikan ke langkah 1",
            "Surat Cuti",
            "Rangkap dua",
            "Tidak",
            "Ada",
            "3",
            "Menandatangani surat",
            "Draf Surat",
            "1 hari",
            "Surat Keputusan",
        )
    )
    row = doc.rows[1]
    assert (row.output, row.notes) == ("Surat Cuti", "Rangkap dua")
    assert (row.requirements, row.duration) == ("Surat Edaran", "1 jam")


def test_a_cell_between_a_wrapped_waktus_lines_is_split_out() -> None:
    """A Waktu of two lines ("Sesuai" / "kebutuhan") beside a one-line Output: the
    Output's baseline lies between the Waktu's, and pdftotext joins the three lines into
    one block in baseline order."""
    doc = pdftext_raw.read(
        _text(
            *_TABLE,
            "1",
            "Menerima berkas permohonan",
            "Formulir isian",
            "Sesuai|Surat keluar|kebutuhan",
            "2",
            "Memeriksa berkas permohonan",
            "Berkas permohonan",
            "1 jam 30|menit",
            "Disposisi",
        )
    )
    first, second = doc.rows
    assert (first.duration, first.output) == ("Sesuai kebutuhan", "Surat keluar")
    assert (second.duration, second.output) == ("1 jam 30 menit", "Disposisi")


def test_a_cell_joined_to_a_column_index_above_the_first_row_is_that_rows() -> None:
    """A table with an index row "(1) (2) ...": pdftotext may join the first row's Output
    to the index cell above it ("(6)" / "Berkas lengkap"), before the first step number."""
    doc = pdftext_raw.read(
        _text(
            "Nomor SOP",
            "800/12/2024",
            "Nama SOP",
            "Pengajuan Cuti",
            "No.",
            "Kegiatan",
            "Kepala Dinas",
            "Mutu Baku",
            *_HEADER,
            "(1)",
            "(2)",
            "(3)",
            "(4)",
            "(5)",
            "(6)|Berkas lengkap",
            "(7)",
            "1",
            "Menerima berkas permohonan",
            "Formulir isian",
            "5 menit",
            "2",
            "Memeriksa berkas permohonan",
            "Berkas permohonan",
            "1 jam",
            "Disposisi",
        )
    )
    assert [r.output for r in doc.rows] == ["Berkas lengkap", "Disposisi"]


def test_a_cell_joined_to_its_column_title_is_the_first_rows_wherever_written() -> None:
    """The Output title and the cell right below it form one block ("Output" / "SPM");
    pdftotext may write that block after the page's run of cells. The cell is the first
    row's Output, and the run's cells go to the rows in order."""
    doc = pdftext_raw.read(
        _text(
            "Nomor SOP",
            "800/12/2024",
            "Nama SOP",
            "Pengajuan Cuti",
            "No.",
            "Kegiatan",
            "Kepala Dinas",
            "Mutu Baku",
            "Kelengkapan",
            "Waktu",
            "1",
            "Menerima berkas permohonan",
            "2",
            "Memeriksa berkas permohonan",
            "3",
            "Menandatangani surat",
            "Nota Dinas",
            "10 mnt",
            "KTP dan KK",
            "1 - 5 hari kerja",
            "Berkas lengkap",
            "Formulir isian",
            "5-10 menit",
            "Output|SPM",
        )
    )
    assert [r.output for r in doc.rows] == ["SPM", "Berkas lengkap", ""]
    assert [r.requirements for r in doc.rows] == ["Nota Dinas", "KTP dan KK", "Formulir isian"]


def test_the_last_rows_lone_output_at_the_page_end_is_its_output() -> None:
    """The page's last row kept no cell in place: its Kelengkapan and Waktu are in the run,
    and its Output and Keterangan, lone cells, are written after its activity at the page's
    end (past an off-page connector's letter). The cell is the Output, not a Kelengkapan
    that would push the run's Kelengkapan out."""
    doc = pdftext_raw.read(
        _text(
            *_TABLE,
            "1",
            "Menerima berkas permohonan",
            "2",
            "Memeriksa berkas permohonan",
            "Formulir isian",
            "1 jam",
            "Surat Cuti",
            "KTP dan KK",
            "2 jam",
            "Disposisi",
            "Draf Surat",
            "15 menit",
            "3",
            "Menandatangani surat",
            "E",
            "Berkas lengkap",
            "Melalui aplikasi",
        )
    )
    row = doc.rows[2]
    assert (row.requirements, row.duration, row.output, row.notes) == (
        "Draf Surat",
        "15 menit",
        "Berkas lengkap",
        "Melalui aplikasi",
    )


def test_a_lone_kelengkapan_in_the_tail_follows_its_rows_run_cells() -> None:
    """poppler writes the lone cells after its whole table, so the last row's lone
    Kelengkapan may come after that row's Waktu and Output in the run: the tail's cells
    start the column order again."""
    rows = [RawRow(number=n, activity=f"Memeriksa berkas {n}") for n in (1, 2, 3)]
    run = ["Formulir isian", "1 jam", "Nota Dinas", "2 jam", "Disposisi", "3 jam", "Surat Cuti"]
    pieces = [pdftext_raw._Piece(t, pdftext_raw._kind(t), None) for t in run]
    cells = pdftext_raw._align(rows, pieces + _tail("KTP dan KK", "Rangkap dua", home=3))
    assert [(c.requirements, c.duration, c.output) for c in cells] == [
        ("Formulir isian", "1 jam", "Nota Dinas"),
        ("", "2 jam", "Disposisi"),
        ("KTP dan KK", "3 jam", "Surat Cuti"),
    ]
    assert cells[2].notes == ["Rangkap dua"]
