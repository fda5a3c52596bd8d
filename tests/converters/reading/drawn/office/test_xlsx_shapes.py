"""Excel flowcharts read as drawn: the drawing part's shapes on the sheet grid.

Workbooks are generated from sample SOPs (``tests/support/office_fixtures.py``): cells by
openpyxl, the drawing part (``xl/drawings/drawing1.xml`` + relationships + content type) added
to the zip, so the truth is known.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from converters.model import ConversionError, Sop
from converters.reading.drawn.office.xlsx_shapes import col_points, read_xlsx_picture
from converters.reading.drawn.picture import ShapeKind
from tests.support.office_fixtures import (
    SAMPLES,
    layout,
    lying_zip,
    placed,
    sample,
    sample_file,
    truth,
)

IDS = [p.stem for p in SAMPLES]


def _sop(path: Path) -> Sop:
    return sample(path)


def _xlsx(path: Path) -> bytes:
    return sample_file(path, "xlsx")


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_every_symbol_in_its_cell(path: Path) -> None:
    sop = _sop(path)
    data = _xlsx(path)
    load_workbook(io.BytesIO(data))  # openpyxl opens what we generate
    picture = read_xlsx_picture(data)
    assert picture.extractor == "xlsx-shapes"
    assert len(picture.pages) == 1
    assert Counter(placed(picture, sop)) == Counter(truth(sop))


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_arrows_join_the_symbols_and_labels_are_texts(path: Path) -> None:
    sop = _sop(path)
    lay = layout(sop)
    page = read_xlsx_picture(_xlsx(path)).pages[0]
    arrows = [s for s in page.shapes if s.kind is ShapeKind.ARROW]
    symbols = [s for s in page.shapes if s.kind is not ShapeKind.ARROW]
    assert len(arrows) == len(lay.lines)
    assert all(a.head == a.path[-1] for a in arrows)
    # every arrow leaves a symbol's outline; all but the branches "to the end" reach one
    assert all(any(s.box.contains(*a.path[0], slack=0.5) for s in symbols) for a in arrows)
    reach = sum(any(s.box.contains(*a.path[-1], slack=0.5) for s in symbols) for a in arrows)
    ends = sum(not any(s.box.contains(*ln.points[-1], slack=0.5) for s in lay.symbols)
               for ln in lay.lines)  # fmt: skip
    assert reach == len(arrows) - ends
    labels = Counter(t.text for t in page.texts if any(t.text == ln.label for ln in lay.lines))
    assert labels == Counter(ln.label for ln in lay.lines if ln.label)


def test_identity_rows_are_header_text_and_table_cells_are_cells() -> None:
    path = next(p for p in SAMPLES if p.name == "a1-example.yaml")
    sop = _sop(path)
    picture = read_xlsx_picture(_xlsx(path))
    assert f"Nomor SOP\t\t{sop.identity.number}" in picture.header_text
    page = picture.pages[0]
    columns = 2 + len(sop.roles) + 3 + 1
    # merged header cells are one box each; every grid cell of the table is a cell
    assert len(page.cells) == 5 + len(sop.roles) + 3 + len(sop.steps) * columns
    texts = {t.text for t in page.texts}
    assert {"Pelaksana", "Mutu Baku", *sop.roles} <= texts


def test_column_width_in_points_as_excel_rounds_it() -> None:
    assert col_points(9.140625) == 48.0  # stored width of the default 8.43 column: 64 px
    assert col_points(0) == 0.0


def test_zip_guard_applies_to_workbooks() -> None:
    with pytest.raises(ConversionError, match="zip bomb"):
        read_xlsx_picture(lying_zip("xl/workbook.xml", 51 * 1024 * 1024))


def test_workbook_without_drawing_gives_cells_only() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"] = "No", "Kegiatan", "Pelaksana"
    ws["A2"], ws["B2"] = 1, "Menerima berkas"
    buf = io.BytesIO()
    wb.save(buf)
    picture = read_xlsx_picture(buf.getvalue())
    page = picture.pages[0]
    assert page.shapes == ()
    assert {t.text for t in page.texts} == {"No", "Kegiatan", "Pelaksana", "1", "Menerima berkas"}
    assert picture.notes
