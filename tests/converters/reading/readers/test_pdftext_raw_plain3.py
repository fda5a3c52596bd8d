"""Plain ``pdftotext`` text: a header section's title and the first row's number written
among the role titles (issue 11, real documents whose section boxes stand beside the table).
Each text is a minimal hand-written plain-pdftotext text: one block per cell, blocks apart
by a blank line, pages by a form feed."""

from __future__ import annotations

from converters.reading.readers import pdftext_raw


def _text(*blocks: str) -> str:
    """Blocks as plain pdftotext writes them; "|" inside a block breaks its lines."""
    return "\n\n".join(b.replace("|", "\n") for b in blocks) + "\n"


_IDENTITY = ("Nomor SOP", "800/12/2024", "Nama SOP", "Pengajuan Cuti")
_FIRST_ROW = ("Menerima berkas permohonan cuti", "Formulir isian", "5 menit", "Berkas lengkap")
_ROWS = (
    "2", "Memeriksa berkas permohonan cuti", "Berkas lengkap", "1 jam", "Disposisi",
    "3", "Menandatangani surat cuti", "Draf Surat", "1 hari", "Surat Cuti",
)


def test_the_first_number_among_the_role_titles_keeps_the_run_going() -> None:
    """The "No" column's first cell shares the role titles' baseline: pdftotext writes it
    between the step column title and the role titles, which are still the header."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\fPelaksana|No", "Kegiatan", "1", "Kepala Dinas", "Sekretaris|Daerah",
        "Staf", "Mutu Baku|Kelengkapan", "Waktu", "Output", *_FIRST_ROW, *_ROWS,
    ))
    assert doc.roles == ["Kepala Dinas", "Sekretaris Daerah", "Staf"]
    assert [r.number for r in doc.rows] == [1, 2, 3]
    assert doc.rows[0].activity == "Menerima berkas permohonan cuti"


def test_a_section_title_among_the_role_titles_is_no_role_and_no_activity() -> None:
    """"PENCATATAN DAN PENDATAAN" stands in a box beside the table: pdftotext writes it
    among the role titles; it names no column and no step (its first word is a process
    noun, so it would otherwise pass for the first step's activity)."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\fPelaksana|No", "Kegiatan", "1", "Kepala Dinas", "Sekretaris|Daerah",
        "Staf", "PENCATATAN DAN PENDATAAN", "Mutu Baku|Kelengkapan", "Waktu", "Output",
        *_FIRST_ROW, *_ROWS,
    ))
    assert doc.roles == ["Kepala Dinas", "Sekretaris Daerah", "Staf"]
    assert doc.rows[0].activity == "Menerima berkas permohonan cuti"
    assert all("PENCATATAN" not in r.activity for r in doc.rows)


def test_role_titles_after_the_rows_reach_over_a_section_title() -> None:
    """Role titles written after the page's rows stand next to the Mutu Baku title only
    across the section title and a branch label: they are still the header's."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\fPelaksana|No", "Kegiatan", "1", *_FIRST_ROW[:1], *_ROWS[:2],
        "Kepala Dinas", "Sekretaris|Daerah", "T", "PENCATATAN DAN PENDATAAN", "Mutu Baku",
        "Staf", "Kelengkapan", "Waktu", "Output",
        *_FIRST_ROW[1:], *_ROWS[2:5], *_ROWS[6:],
    ))
    assert doc.roles == ["Kepala Dinas", "Sekretaris Daerah", "Staf"]



def test_a_section_box_written_among_the_rows_is_no_activity() -> None:
    """A section box beside the table ("PERALATAN/ PERLENGKAPAN" over its numbered list)
    that pdftotext writes between the rows is not an activity left without a number."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\fPelaksana|No", "Kegiatan", "Kepala Dinas", "Sekretaris", "Staf",
        "Mutu Baku|Kelengkapan", "Waktu", "Output",
        "1", "2", "PERALATAN/ PERLENGKAPAN|1. Alat Tulis|2. Komputer",
        "Menerima berkas permohonan cuti", "Memeriksa berkas permohonan cuti",
        "3", "Menandatangani surat cuti", "Draf Surat", "1 hari", "Surat Cuti",
    ))
    assert [r.activity for r in doc.rows] == [
        "Menerima berkas permohonan cuti",
        "Memeriksa berkas permohonan cuti",
        "Menandatangani surat cuti",
    ]


_HEAD = (
    *_IDENTITY, "\fPelaksana|No", "Kegiatan", "Kepala Dinas", "Sekretaris", "Staf",
    "Mutu Baku|Kelengkapan", "Waktu", "Output",
)


def test_labels_after_one_rows_cells_belong_to_that_row() -> None:
    """Both labels of a diamond follow the cells of the row whose diamond asks, with no
    checking step beside it: that row decides, not a checking step further down."""
    doc = pdftext_raw.read(_text(
        *_HEAD,
        "1", "Menyusun daftar usulan kegiatan", "Formulir", "1 hari", "Daftar usulan",
        "2", "Menyelesaikan identifikasi usulan", "Daftar usulan", "5 menit", "Laporan",
        "Tidak", "Ada",
        "3", "Mengirim usulan ke bagian program", "Laporan", "1 jam", "Surat",
        "4", "Memeriksa usulan yang diterima", "Surat", "1 jam", "Usulan terperiksa",
        "5", "Mengarsipkan usulan", "Usulan", "5 menit", "Arsip",
    ))
    marks = {r.number: r.marks.get(pdftext_raw.UNPLACED) for r in doc.rows}
    assert marks[2] == "Ada\nTidak"
    assert marks[4] is None


def test_labels_beside_a_checking_step_still_go_to_it() -> None:
    """Labels that follow the row before a checking step stay the checking step's."""
    doc = pdftext_raw.read(_text(
        *_HEAD,
        "1", "Menyusun daftar usulan kegiatan", "Formulir", "1 hari", "Daftar usulan",
        "Tidak", "Ya",
        "2", "Memeriksa usulan yang diterima", "Surat", "1 jam", "Usulan terperiksa",
        "3", "Mengarsipkan usulan", "Usulan", "5 menit", "Arsip",
    ))
    marks = {r.number: r.marks.get(pdftext_raw.UNPLACED) for r in doc.rows}
    assert marks == {1: None, 2: "Ya\nTidak", 3: None}


def test_role_titles_before_the_step_title_under_the_no_title_are_roles() -> None:
    """pdftotext may write the "No." title and the role cells beside it before the Mutu
    Baku and step column titles: the table starts at the "No." title, not at the Mutu
    Baku title just above the step column title."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\fNo.", "Sekretaris", "Kepala Seksi", "Mutu Baku", "Kegiatan",
        "Kepala Dinas", "Kelengkapan", "Waktu", "Output",
        "1", "Menerima berkas permohonan cuti", "Formulir isian", "5 menit", "Berkas lengkap",
        *_ROWS,
    ))
    assert set(doc.roles) == {"Sekretaris", "Kepala Seksi", "Kepala Dinas"}


_TWO_ROWS = (
    "Menerima berkas permohonan cuti", "Formulir isian", "5 menit", "Berkas lengkap",
    "Memeriksa berkas permohonan cuti", "Berkas lengkap", "1 jam", "Disposisi",
)


def test_a_document_that_skips_one_number_keeps_the_rows_after_it() -> None:
    """Steps 1, 2, 4, 5: the document skipped "3"; the rows after the gap are still rows."""
    doc = pdftext_raw.read(_text(
        *_HEAD,
        "1.", *_TWO_ROWS[:4], "2.", *_TWO_ROWS[4:],
        "4.", "Menandatangani surat cuti", "Draf Surat", "1 hari", "Surat Cuti",
        "5.", "Mengarsipkan surat cuti", "Surat Cuti", "5 menit", "Arsip",
    ))
    assert [r.number for r in doc.rows] == [1, 2, 4, 5]
    assert doc.rows[3].activity == "Mengarsipkan surat cuti"


def test_one_stray_number_after_a_gap_is_no_row() -> None:
    """A lone number after a gap ("9" of a remark) stays outside the steps."""
    doc = pdftext_raw.read(_text(
        *_HEAD, "1.", *_TWO_ROWS[:4], "2.", *_TWO_ROWS[4:], "4", "Catatan tambahan",
    ))
    assert [r.number for r in doc.rows] == [1, 2]
