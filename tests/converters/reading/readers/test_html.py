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
