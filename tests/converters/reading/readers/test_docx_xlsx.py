"""Word and Excel SOPs, built in the test (no binary fixtures in the repository)."""

import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from openpyxl import Workbook

from converters.model import ConversionError
from converters.reading.readers import read_raw
from converters.reading.readers.docx_reader import docx_to_text

_SHAPE = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:drawing><wp:anchor>'
    '<a:graphic><a:graphicData><a:prstGeom prst="{prst}"/></a:graphicData></a:graphic>'
    "</wp:anchor></w:drawing></w:r>"
)


def _docx(tmp_path: Path) -> bytes:
    doc = Document()
    doc.add_paragraph("PEMERINTAH KABUPATEN SUKA MAJU")
    doc.add_paragraph("DINAS PERHUBUNGAN")
    ident = doc.add_table(rows=3, cols=2)
    for row, (label, value) in zip(
        ident.rows,
        [("Nomor SOP", "551/07/SOP-DISHUB/2024"), ("Tanggal Pembuatan", "5 Agustus 2024"),
         ("Nama SOP", "Penerbitan Izin Trayek")],
        strict=True,
    ):  # fmt: skip
        row.cells[0].text, row.cells[1].text = label, value
    grid = doc.add_table(rows=2, cols=2)
    grid.cell(0, 0).text, grid.cell(0, 1).text = "Dasar Hukum", "Kualifikasi Pelaksana"
    grid.cell(1, 0).text = "1. Undang-Undang Nomor 22 Tahun 2009 tentang Lalu Lintas"
    grid.cell(1, 1).text = "1. Memahami perizinan"
    table = doc.add_table(rows=5, cols=8)
    head = table.rows[0].cells
    head[0].text, head[1].text, head[2].text, head[5].text = (
        "No",
        "Kegiatan",
        "Pelaksana",
        "Mutu Baku",
    )
    head[2].merge(head[4])
    head[5].merge(head[7])
    sub = table.rows[1].cells
    for i, t in enumerate(["Kadis", "Kabid", "Staf", "Kelengkapan", "Waktu", "Output"], start=2):
        sub[i].text = t
    data = [
        ["1", "Menerima permohonan", "", "", "", "Formulir", "10 menit", "Berkas"],
        ["2", "Memeriksa berkas", "", "", "", "Berkas", "1 hari", "Telaah"],
        ["", "Menandatangani izin", "", "", "", "Telaah", "1 hari", "Izin"],
    ]
    for r, values in enumerate(data, start=2):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(2, 4).paragraphs[0]._p.append(parse_xml(_SHAPE.format(prst="flowChartTerminator")))
    table.cell(3, 3).paragraphs[0]._p.append(parse_xml(_SHAPE.format(prst="flowChartDecision")))
    table.cell(3, 3).paragraphs[0]._p.append(parse_xml(_SHAPE.format(prst="straightConnector1")))
    path = tmp_path / "sop.docx"
    doc.save(str(path))
    return path.read_bytes()


def test_docx_tables_read_like_tabbed_text(tmp_path: Path) -> None:
    doc = read_raw(_docx(tmp_path), "sop.docx")
    assert doc.source_format == "docx"
    assert doc.identity.number == "551/07/SOP-DISHUB/2024"
    assert doc.identity.name == "Penerbitan Izin Trayek"
    assert doc.identity.created is not None and doc.identity.created.value is not None
    assert doc.identity.agency == "PEMERINTAH KABUPATEN SUKA MAJU, DINAS PERHUBUNGAN"
    assert doc.legal_basis == ("Undang-Undang Nomor 22 Tahun 2009 tentang Lalu Lintas",)
    assert doc.qualifications == ("Memahami perizinan",)
    assert doc.roles == ["Kadis", "Kabid", "Staf"]
    assert [(r.number, r.activity) for r in doc.rows] == [
        (1, "Menerima permohonan"),
        (2, "Memeriksa berkas"),
        (None, "Menandatangani izin"),
    ]
    assert doc.rows[0].marks == {"Staf": "○"}
    assert doc.rows[1].marks == {"Kabid": "◇"}
    assert (doc.rows[2].duration, doc.rows[2].output) == ("1 hari", "Izin")


_VML = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>{shape}</w:pict></w:r>'
)


def test_docx_vml_shapes_mark_their_kind_and_connector_lines_mark_nothing(
    tmp_path: Path,
) -> None:
    """Word 2003 / converted .doc files draw with VML: a ``v:shape`` is a decision, a process
    or a connector line by its type or path; a line must not put a symbol in a role column."""
    data = _docx(tmp_path)
    doc = Document(io.BytesIO(data))
    table = doc.tables[-1]
    decision = '<v:shape type="#_x0000_t110" style="width:40pt;height:30pt"/>'
    bent = '<v:shape type="#_x0000_t34" style="width:40pt;height:30pt"/>'
    free_line = '<v:shape path="m0,0l100,200e" style="width:40pt;height:30pt"/>'
    process = '<v:rect style="width:40pt;height:30pt"/>'
    table.cell(4, 2).paragraphs[0]._p.append(parse_xml(_VML.format(shape=decision)))
    table.cell(4, 3).paragraphs[0]._p.append(parse_xml(_VML.format(shape=bent)))
    table.cell(4, 3).paragraphs[0]._p.append(parse_xml(_VML.format(shape=free_line)))
    table.cell(2, 2).paragraphs[0]._p.append(parse_xml(_VML.format(shape=process)))
    out = io.BytesIO()
    doc.save(out)
    read = read_raw(out.getvalue(), "sop.docx")
    assert read.rows[2].marks == {"Kadis": "◇"}  # the lines in Kabid's cell: no symbol
    assert read.rows[0].marks == {"Kadis": "□", "Staf": "○"}


def test_docx_merged_header_cells_keep_columns_aligned(tmp_path: Path) -> None:
    lines = docx_to_text(_docx(tmp_path)).split("\n")
    header = next(ln for ln in lines if ln.startswith("No\t"))
    assert header.split("\t") == ["No", "Kegiatan", "Pelaksana", "", "", "Mutu Baku", "", ""]


def test_xlsx_rows_read_like_tabbed_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Catatan"
    ws.append(["bukan SOP"])
    ws2 = wb.create_sheet("SOP")
    ws2.append(["Nomor SOP", "12/SOP/2024"])
    ws2.append(["Nama SOP", "Pengelolaan Arsip"])
    ws2.append([])
    ws2.append(["No", "Uraian Kegiatan", "Pelaksana", None, "Mutu Baku", None, None, "Ket"])
    ws2.append([None, None, "Kasubbag", "Arsiparis", "Kelengkapan", "Waktu", "Output"])
    ws2.append([1, "Menerima arsip", None, "v", "Arsip", "15 menit", "Daftar arsip"])
    ws2.append([2.0, "Menata arsip", None, None, "Daftar arsip", "2 hari", "Arsip tertata", "rak"])
    path = tmp_path / "sop.xlsx"
    wb.save(str(path))
    doc = read_raw(path.read_bytes(), "sop.xlsx")
    assert doc.source_format == "xlsx"
    assert doc.identity.name == "Pengelolaan Arsip"
    assert doc.roles == ["Kasubbag", "Arsiparis"]
    assert [(r.number, r.marks, r.duration) for r in doc.rows] == [
        (1, {"Arsiparis": "v"}, "15 menit"),
        (2, {}, "2 hari"),
    ]
    assert doc.rows[1].notes == "rak"


def test_broken_zip_and_foreign_zip_are_conversion_errors(tmp_path: Path) -> None:
    import zipfile

    with pytest.raises(ConversionError, match="ZIP"):
        read_raw(b"PK\x03\x04" + b"\x00" * 40, "x.docx")
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ConversionError, match="bukan DOCX"):
        read_raw(path.read_bytes())


def test_docx_without_a_table_is_not_an_sop(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Surat undangan rapat biasa.")
    path = tmp_path / "surat.docx"
    doc.save(str(path))
    with pytest.raises(ConversionError, match="Bukan dokumen SOP"):
        read_raw(path.read_bytes(), "surat.docx")


def test_docx_automatic_list_numbers_and_bullets_in_the_header_grid(tmp_path: Path) -> None:
    doc = Document()
    grid = doc.add_table(rows=2, cols=2)
    grid.cell(0, 0).text, grid.cell(0, 1).text = "Dasar Hukum", "Kualifikasi Pelaksana"
    left = grid.cell(1, 0)
    left.paragraphs[0].text = "Undang-Undang Nomor 5 Tahun 2014 tentang ASN"
    left.paragraphs[0].style = "List Number"
    left.add_paragraph("Peraturan Pemerintah Nomor 11 Tahun 2017", style="List Number")
    right = grid.cell(1, 1)
    right.paragraphs[0].text = "Memahami tugas"
    right.paragraphs[0].style = "List Bullet"
    right.add_paragraph("Mampu menyusun laporan", style="List Bullet")
    table = doc.add_table(rows=3, cols=4)
    for c, t in enumerate(["No", "Kegiatan", "Staf", "Waktu"]):
        table.cell(0, c).text = t
    for r, act in enumerate(["Menerima berkas", "Mengarsipkan berkas"], start=1):
        table.cell(r, 0).text, table.cell(r, 1).text, table.cell(r, 3).text = str(r), act, "5 menit"
    path = tmp_path / "lists.docx"
    doc.save(str(path))
    raw = read_raw(path.read_bytes(), "lists.docx")
    assert raw.legal_basis == (
        "Undang-Undang Nomor 5 Tahun 2014 tentang ASN",
        "Peraturan Pemerintah Nomor 11 Tahun 2017",
    )
    assert raw.qualifications == ("Memahami tugas", "Mampu menyusun laporan")
    assert [r.activity for r in raw.rows] == ["Menerima berkas", "Mengarsipkan berkas"]
