"""HTML fragments inside SOP text, and whole HTML tables."""

from converters.reading.readers import html, markup


def test_clean_keeps_tabs_and_lines_and_marks_underline_as_piece_break() -> None:
    text = '<p style="x">A &amp; B</p>\tNomor\nKepala <u>Eva, S.Kom</u> NIP.1'
    assert markup.clean_html(text) == "A & B\tNomor\nKepala  Eva, S.Kom  NIP.1"


def test_list_items_get_numbers_only_when_missing() -> None:
    assert markup.clean_html("<ol><li>Satu</li><li>Dua</li></ol>") == "1. Satu 2. Dua"
    assert markup.clean_html("<ol><li>1. Satu</li><li>2. Dua</li></ol>") == "1. Satu 2. Dua"
    assert markup.clean_html("<ul><li>Satu</li><li>Dua</li></ul>") == "- Satu - Dua"


def test_checkboxes_disappear() -> None:
    text = 'Rabu, 02 Mei 2018 <input checked="" type="checkbox"/>'
    assert markup.clean_html(text) == "Rabu, 02 Mei 2018"


def test_text_with_angle_brackets_that_are_not_tags_is_kept() -> None:
    assert markup.clean_html("_< > <> a<b") == "_< > <> a<b"


def test_catv_and_mojibake_repair() -> None:
    assert markup.decode_catv("M-PM-^S") == "Г"
    assert markup.decode_catv("_<") == "_<"
    assert markup.fix_mojibake("Ð“") == "Г"
    assert markup.fix_mojibake("Kepala Dinas") == "Kepala Dinas"


def test_html_table_document_reads_through_the_tab_reader() -> None:
    page = """<html><body><p>Nomor SOP: 12/SOP/2024</p><p>Nama SOP: Cuti Pegawai</p>
    <table><tr><th>No</th><th>Kegiatan</th><th colspan="2">Pelaksana</th>
    <th>Waktu</th><th>Output</th></tr>
    <tr><td></td><td></td><td>Kabag</td><td>Staf</td><td></td><td></td></tr>
    <tr><td>1</td><td>Mengajukan<br>cuti</td><td></td><td>v</td><td>5 menit</td><td>Form</td></tr>
    <tr><td>2</td><td>Menyetujui cuti</td><td>Ya</td><td></td><td>1 hari</td><td>SK</td></tr>
    </table></body></html>"""
    assert html.sniff(page) > 0.9
    doc = html.read(page)
    assert doc.source_format == "html"
    assert doc.identity.number == "12/SOP/2024"
    assert doc.roles == ["Kabag", "Staf"]
    assert [(r.number, r.activity, r.marks, r.duration) for r in doc.rows] == [
        (1, "Mengajukan cuti", {"Staf": "v"}, "5 menit"),
        (2, "Menyetujui cuti", {"Kabag": "Ya"}, "1 hari"),
    ]


def test_rowspan_cells_hold_their_columns_in_the_rows_below() -> None:
    """"No" and "Kegiatan" span the two header rows; the role names stand in the second row
    under "Pelaksana". Without the held columns they would land under "No" and "Kegiatan"."""
    table = (
        "<table><tr><td rowspan=2>No</td><td rowspan='2'>Kegiatan</td>"
        "<td colspan=2>Pelaksana</td><td colspan=3>Mutu Baku</td><td rowspan=2>Ket</td></tr>"
        "<tr><td>Kepala Dinas</td><td>Staf</td><td>Kelengkapan</td><td>Waktu</td>"
        "<td>Output</td></tr>"
        "<tr><td>1</td><td>Menerima surat</td><td></td><td></td><td>Surat</td>"
        "<td>1 jam</td><td>Agenda</td><td></td></tr></table>"
    )
    lines = markup.table_to_tabbed(table).split("\n")
    assert lines[1].split("\t") == ["", "", "Kepala Dinas", "Staf", "Kelengkapan", "Waktu",
                                    "Output", ""]  # fmt: skip
    doc = html.read(f"<html><body>{table}</body></html>")
    assert doc.roles == ["Kepala Dinas", "Staf"]
    assert [(r.number, r.activity, r.duration, r.output) for r in doc.rows] == [
        (1, "Menerima surat", "1 jam", "Agenda")
    ]


def test_a_rowspan_in_the_body_keeps_the_next_rows_cells_in_place() -> None:
    table = (
        "<table><tr><td>A</td><td rowspan=3>B</td><td>C</td></tr>"
        "<tr><td>D</td><td>E</td></tr><tr><td>F</td><td>G</td></tr>"
        "<tr><td>H</td><td>I</td><td>J</td></tr></table>"
    )
    assert markup.table_to_tabbed(table).split("\n") == [
        "A\tB\tC", "D\t\tE", "F\t\tG", "H\tI\tJ",
    ]  # fmt: skip
