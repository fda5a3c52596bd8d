"""Plain ``pdftotext`` text: the role titles of the header and the step numbers, in the shapes
pdftotext gives them (issue 11). Each text is a minimal hand-written plain-pdftotext text:
one block per cell, blocks apart by a blank line, pages by a form feed."""

from __future__ import annotations

from converters.reading.readers import ocr, pdftext_raw


def _text(*blocks: str) -> str:
    """Blocks as plain pdftotext writes them; "|" inside a block breaks its lines."""
    return "\n\n".join(b.replace("|", "\n") for b in blocks) + "\n"


_IDENTITY = ("Nomor SOP", "800/12/2024", "Nama SOP", "Pengajuan Cuti")
_ROWS = (
    "1", "Menerima berkas permohonan cuti", "Formulir isian", "5 menit", "Berkas lengkap",
    "2", "Memeriksa berkas permohonan cuti", "Berkas lengkap", "1 jam", "Disposisi",
    "3", "Menandatangani surat cuti", "Draf Surat", "1 hari", "Surat Cuti",
)


def test_a_second_pelaksana_on_the_page_is_a_role_column() -> None:
    """The group title "Pelaksana" stands once above the role cells; the jabatan
    "Pelaksana" is the second block of that word on the page."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Pelaksana", "Kegiatan", "Kepala Dinas", "Sekretaris",
        "Pelaksana", "Mutu Baku", "Kelengkapan", "Waktu", "Output", *_ROWS,
    ))
    assert doc.roles == ["Kepala Dinas", "Sekretaris", "Pelaksana"]


def test_the_group_title_alone_is_no_role() -> None:
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Pelaksana", "Kegiatan", "Kepala Dinas", "Sekretaris",
        "Mutu Baku", "Kelengkapan", "Waktu", "Output", *_ROWS,
    ))
    assert doc.roles == ["Kepala Dinas", "Sekretaris"]


def test_role_joined_to_the_mutu_title_beside_it_is_split() -> None:
    """Two header cells on one baseline come out as one line: "Sekretaris
    Persyaratan/Kelengkapan"."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Pelaksana", "Kegiatan", "Kepala Dinas",
        "Sekretaris Persyaratan/Kelengkapan", "Mutu Baku", "Waktu", "Output", *_ROWS,
    ))
    assert doc.roles == ["Kepala Dinas", "Sekretaris"]
    assert doc.rows[0].requirements == "Formulir isian"


def test_role_titles_written_after_the_rows_over_a_connector_letter() -> None:
    """pdftotext may write a page's role titles after its rows, with an off-page connector's
    letter among them; the Output that ends the last row ("Nota Dinas" after its Waktu) is
    no role, and keeps its row."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f SOP Pengajuan Cuti|Pelaksana", "Mutu Baku", "No.", "Kegiatan",
        "1", "Menerima berkas permohonan cuti", "Formulir isian", "5 menit", "Berkas lengkap",
        "2", "Memeriksa berkas permohonan cuti", "Berkas lengkap", "1 jam", "Nota Dinas",
        "Kepala|Dinas", "Pelaksana", "Bendahara", "T", "Staf", "Kelengkapan", "Waktu",
        "Output",
    ))
    assert doc.roles == ["Kepala Dinas", "Pelaksana", "Bendahara", "Staf"]
    assert [r.output for r in doc.rows] == ["Berkas lengkap", "Nota Dinas"]


def test_role_title_cut_inside_a_word_is_mended() -> None:
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Pelaksana", "Kegiatan", "Kepala Dinas",
        "Pengadministra|si Umum", "Mutu Baku", "Kelengkapan", "Waktu", "Output", *_ROWS,
    ))
    assert doc.roles == ["Kepala Dinas", "Pengadministrasi Umum"]


def test_two_words_on_two_lines_stay_two_words() -> None:
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Pelaksana", "Kegiatan", "Kepala|Dinas", "Tim|teknis",
        "Mutu Baku", "Kelengkapan", "Waktu", "Output", *_ROWS,
    ))
    assert doc.roles == ["Kepala Dinas", "Tim teknis"]


def test_wider_step_numbers_on_the_activity_line_are_steps() -> None:
    """Numbers 1-9 stand alone, "10. PPK menerbitkan SPMK." keeps its number on the line;
    a numbered list inside a cell ("1. Kontrak ...") is no step."""
    rows: list[str] = []
    for n in range(1, 10):
        rows += [str(n) + ".", f"Memeriksa dokumen tahap {n}", "1 hari kerja", "Dokumen"]
    rows += ["10. PPK menerbitkan SPMK.", "1. Kontrak yang telah|ditandatangani;|2. SPMK.",
             "1 hari kerja", "SPMK"]
    rows += ["11. PPK (PA/KPA dapat menetapkan tim) memeriksa pekerjaan", "2 hari kerja",
             "Berita Acara"]
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Kegiatan", "PPK", "Penyedia", "Mutu Baku", "Kelengkapan",
        "Waktu", "Output", *rows,
    ))
    assert [r.number for r in doc.rows] == list(range(1, 12))
    assert doc.rows[9].activity == "PPK menerbitkan SPMK."
    assert doc.rows[10].activity.startswith("PPK (PA/KPA dapat")


def test_a_waktu_value_is_no_step_number() -> None:
    """"2 Hari kerja Surat" after step 1 is a Waktu cell, not step 2's line."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Kegiatan", "Kepala Dinas", "Mutu Baku", "Kelengkapan",
        "Waktu", "Output", "1", "Menerima berkas permohonan cuti", "Formulir isian",
        "2 Hari kerja Surat", "3", "Memeriksa berkas",
    ))
    assert [r.number for r in doc.rows] == [1]


def test_a_row_without_waktu_written_whole_keeps_its_output() -> None:
    """A row whose cells all follow its activity, none of them a Waktu: the cell after the
    Kelengkapan is the Output, a remark after it the Keterangan."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Kegiatan", "Kepala Dinas", "Mutu Baku", "Kelengkapan",
        "Waktu", "Output", "Keterangan",
        "1", "Menerima berkas permohonan cuti", "Formulir isian", "5 menit", "Berkas lengkap",
        "2", "Merekapitulasi surat undangan", "Laporan IKU", "Berkas lengkap",
        "Melalui aplikasi",
        "3", "Menandatangani surat cuti", "Draf Surat", "1 hari", "Surat Cuti",
    ))
    row = doc.rows[1]
    assert (row.requirements, row.duration, row.output) == ("Laporan IKU", "", "Berkas lengkap")
    assert row.notes == "Melalui aplikasi"


def test_plain_shape_rates_above_the_ocr_reader() -> None:
    """Header titles and step numbers each on a whole line are pdftotext's shape, even when
    Waktu values ("1 minggu") look like OCR's numbered rows."""
    rows: list[str] = []
    for n in range(1, 8):
        rows += [f"{n}.", f"Menyusun bahan tahap {n}", f"{n} minggu", "Draft"]
    text = _text(*_IDENTITY, "\f Pelaksana", "No.", "Kegiatan", "Ketua Tim", "Mutu Baku",
                 "Kelengkapan", "Waktu", "Output", *rows)
    assert pdftext_raw.sniff(text) > ocr.sniff(text)


def test_flipbook_text_keeps_its_own_reader() -> None:
    """A flipbook page has the same whole-line titles and numbers but no form feed: the
    plain reader rates it no higher than the flipbook reader."""
    from converters.reading.readers import flipbook
    from tests.support.sop_generator import generate
    from tests.support.text_forms import flipbook_text

    g = generate(1106)
    text = flipbook_text(g.sop, g.header, g.seed)
    assert pdftext_raw.sniff(text) <= flipbook.sniff(text)


# -- Mutu Baku cells and branch labels ---------------------------------------------------------


def test_waktu_in_words_and_the_output_on_one_line() -> None:
    """"setengah jam Surat Edaran": the fewest words that read as a Waktu, then the Output
    (the duration parser would read "setengah jam Surat" as a value too)."""
    assert pdftext_raw._split_waktu("setengah jam Surat Edaran") == [
        "setengah jam", "Surat Edaran"]
    assert pdftext_raw._split_waktu("dua hari kerja Nota Dinas") == [
        "dua hari kerja", "Nota Dinas"]


def test_a_diamond_question_is_no_part_of_a_cell() -> None:
    block = pdftext_raw._Block(["Disposisi", "Setuju?"], 1)
    assert pdftext_raw._cells(block) == ["Disposisi"]


_CHECKING_ROWS = (
    "1", "Menerima berkas permohonan cuti", "Formulir isian", "5 menit", "Berkas",
    "2", "Melakukan Pemeriksaan Kewajaran isi berkas", "Berkas", "1 hari", "Hasil Pemeriksaan",
    "3", "Menandatangani surat cuti", "Draf Surat", "1 hari", "Surat Cuti",
    "T", "Y",
)


def test_floating_yes_no_labels_go_to_the_checking_step() -> None:
    """When no activity says its condition, a "Y" / "T" pair floating in the text marks the
    checking step as the diamond's row (marks without a column), with a warning."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Kegiatan", "Kepala Dinas", "Staf", "Mutu Baku", "Kelengkapan",
        "Waktu", "Output", *_CHECKING_ROWS,
    ))
    assert doc.rows[1].marks == {pdftext_raw.UNPLACED: "Y\nT"}
    assert not doc.rows[0].marks and not doc.rows[2].marks
    assert "labels-guessed" in {w.code for w in doc.warnings}


def test_floating_labels_become_a_decision_through_the_public_reader() -> None:
    from converters.reading.sop_file import read_sop

    text = _text(*_IDENTITY, "\f No.", "Kegiatan", "Kepala Dinas", "Staf", "Mutu Baku",
                 "Kelengkapan", "Waktu", "Output", *_CHECKING_ROWS)
    sop = read_sop(text.encode(), "sop.txt")
    decisions = {s.number: s.decision for s in sop.steps if s.decision}
    assert list(decisions) == [2]
    assert decisions[2].labels == ("Y", "T")
    assert decisions[2].approve_to == 3


def test_labels_stay_off_when_the_text_states_the_conditions() -> None:
    rows = list(_CHECKING_ROWS)
    rows[6] = "Memeriksa berkas; jika lengkap diteruskan kepada Kepala Dinas"
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Kegiatan", "Kepala Dinas", "Staf", "Mutu Baku", "Kelengkapan",
        "Waktu", "Output", *rows,
    ))
    assert not any(r.marks for r in doc.rows)


def test_a_condition_naming_no_branch_leaves_the_labels_to_the_checking_step() -> None:
    """"jika ditemukan ..." says when a step happens, not where a decision goes: the
    floating labels still mark the checking step (a real SOP lost both decisions so)."""
    rows = list(_CHECKING_ROWS)
    rows[1] = "Menerima berkas permohonan cuti jika ditemukan kekurangan data"
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Kegiatan", "Kepala Dinas", "Staf", "Mutu Baku", "Kelengkapan",
        "Waktu", "Output", *rows,
    ))
    assert doc.rows[1].marks == {pdftext_raw.UNPLACED: "Y\nT"}


_MENDED_ROWS = (
    "1", "Memeriksa kelengkapan berkas masuk", "Formulir isian", "5 menit", "Berkas",
    "2", "Menginput data permohonan cuti", "Berkas", "1 jam", "Data",
    "3", "Memverifikasi data permohonan pada aplikasi", "Data", "1 jam", "Data terverifikasi",
    "4", "Melakukan perbaikan data permohonan", "Data", "1 jam", "Data",
    "5", "Menandatangani surat cuti", "Draf Surat", "1 hari", "Surat Cuti",
    "Tidak", "Ya",
)


def test_floating_labels_go_to_the_check_whose_failure_the_next_step_mends() -> None:
    """Labels floating after the page's last row: of two checking steps, the one a
    correcting step follows ("Melakukan perbaikan ...") is the diamond, not the row the
    labels happen to follow."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Kegiatan", "Kepala Dinas", "Staf", "Mutu Baku", "Kelengkapan",
        "Waktu", "Output", *_MENDED_ROWS,
    ))
    assert {r.number: r.marks for r in doc.rows if r.marks} == {
        3: {pdftext_raw.UNPLACED: "Ya\nTidak"}}


def test_columns_written_in_two_passes_over_the_rows() -> None:
    """Kelengkapan and Waktu row by row, then the Output column: each Output goes back to
    the top row, not to the row after the last Waktu."""
    from converters.reading.raw import RawRow

    rows = [RawRow(number=1, activity="Menerima berkas"),
            RawRow(number=2, activity="Memeriksa berkas")]
    pieces = [pdftext_raw._Piece(t, pdftext_raw._kind(t), None) for t in (
        "Buku agenda", "1 hari", "Formulir isian", "2 hari", "Surat Tugas", "Nota Dinas")]
    cells = pdftext_raw._align(rows, pieces)
    assert [(c.requirements, c.duration, c.output) for c in cells] == [
        ("Buku agenda", "1 hari", "Surat Tugas"), ("Formulir isian", "2 hari", "Nota Dinas")]


def test_one_pass_when_the_rows_come_whole() -> None:
    from converters.reading.raw import RawRow

    rows = [RawRow(number=1, activity="Menerima berkas"),
            RawRow(number=2, activity="Memeriksa berkas")]
    pieces = [pdftext_raw._Piece(t, pdftext_raw._kind(t), None) for t in (
        "Buku agenda", "1 hari", "Surat Tugas", "Formulir isian", "2 hari", "Nota Dinas")]
    cells = pdftext_raw._align(rows, pieces)
    assert [(c.requirements, c.duration, c.output) for c in cells] == [
        ("Buku agenda", "1 hari", "Surat Tugas"), ("Formulir isian", "2 hari", "Nota Dinas")]


def test_a_named_branch_under_a_cell_is_dropped_but_a_yes_word_stays() -> None:
    block = pdftext_raw._Block
    body = [
        block(["Memilah berkas; jika teknis diteruskan ke langkah 3, jika administratif",
               "diteruskan ke langkah 5"], 1),
        block(["Disposisi", "Administratif"], 3),
        block(["Memeriksa berkas; jika sesuai diteruskan ke langkah 4"], 5),
        block(["Sesuai", "kebutuhan"], 7),
    ]
    out = pdftext_raw._without_branch_lines(body, set())
    assert out[1].lines == ["Disposisi"]
    assert out[3].lines == ["Sesuai", "kebutuhan"]


def test_a_lowercase_title_word_in_a_wrapped_cell_keeps_its_step() -> None:
    """"perlengkapan" wrapped onto a line of its own inside the cell after step 2's number is
    a word of the cell, not the Perlengkapan title: step 2 is still a step."""
    doc = pdftext_raw.read(_text(
        *_IDENTITY, "\f No.", "Kegiatan", "Kepala Dinas", "Mutu Baku", "Kelengkapan",
        "Waktu", "Output",
        "1", "Menerima berkas permohonan cuti", "Formulir isian", "5 menit", "Berkas",
        "2|Daftar kebutuhan|bahan dan|perlengkapan", "Memenuhi kebutuhan dapur",
        "3", "Menandatangani surat cuti", "Draf Surat", "1 hari", "Surat Cuti",
    ))
    assert [r.number for r in doc.rows] == [1, 2, 3]


def test_the_end_capsule_word_is_no_cell() -> None:
    """"Selesai" written among a page's left-over cells is the flowchart's end capsule."""
    assert not pdftext_raw._mutu_piece(pdftext_raw._Block(["Selesai"], 1))
    assert pdftext_raw._mutu_piece(pdftext_raw._Block(["Surat Edaran"], 1))
