"""A fixed slice of the office fidelity harness (bench/office_fidelity.py): generated SOPs
saved as Word and Excel files the ways people and programs save them, read back exactly.

The seeds are ones every form reads exactly today; the rules they lean on (lines drawn a
stretch at a time, page-positioned shapes outside ``layoutInCell``, turned symbols, canvas
and group coordinate spaces) are pinned by the focused tests below as well.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from converters.reading.drawn.office.docx_shapes import read_docx_picture
from converters.reading.drawn.office.package import join_lines
from converters.reading.drawn.picture import Box, Shape, ShapeKind
from tests.support.office_fixtures import layout
from tests.support.office_forms import (
    CONNECTOR_STYLES,
    FORMS,
    Pick,
    connector,
    docx_on_page,
    docx_vml,
    drawn_truth,
    read_office,
    run_seed,
    xlsx_form,
)
from tests.support.sop_generator import METRICS, generate, score

SEEDS = (1100, 1101, 1102, 1103, 1104)


@pytest.mark.parametrize(
    "form", [f.name for f in FORMS if f.stride == 1 and f.make_many is None]
)  # compilations: test_several.py; pictures (OCR, seconds a page): test_pictures.py
def test_every_form_reads_the_slice_exactly(form: str) -> None:
    for r in run_seed_all(form):
        assert not r.error and not r.crash, (r.seed, r.error, r.crash)
        missed = {m: (r.tally.hits[m], r.tally.totals[m]) for m in METRICS
                  if r.tally.hits[m] != r.tally.totals[m]}  # fmt: skip
        assert not missed, (r.seed, form, missed)


def run_seed_all(form: str) -> list[Any]:
    return [run_seed(seed, [form])[0] for seed in SEEDS]




def _exact(data: bytes, filename: str, seed: int) -> None:
    read, error, crash = read_office(data, filename)
    assert read is not None, (error, crash)
    tally = score(drawn_truth(generate(seed)), read)
    for m in METRICS:
        assert tally.hits[m] == tally.totals[m], (m, tally.hits[m], tally.totals[m])


@pytest.mark.parametrize("style", CONNECTOR_STYLES)
def test_connector_styles_read_in_excel(style: str) -> None:
    """straight/bent connectors with adjust values, a line per stretch, lines drawn
    backwards with ``headEnd``: every arrow lands where it was drawn."""
    g = generate(1100)
    data = xlsx_form(layout(g.sop), Pick(style, "twoCell"), "twoCellAnchor")
    _exact(data, "sop.xlsx", 1100)


def test_page_positioned_shapes_held_above_the_table_stand_where_their_offsets_say() -> None:
    """``layoutInCell`` off: a shape positioned from the page, held by the first header cell,
    is not pulled into that cell (all of them would pile up in it)."""
    g = generate(1102)
    data = docx_on_page(layout(g.sop), Pick("connector", "page", below=0.4))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = z.read("word/document.xml").decode()
    assert 'layoutInCell="0"' in document and 'relativeFrom="page"' in document
    _exact(data, "sop.docx", 1102)
    notes = read_docx_picture(data).notes
    assert not any("kept in its anchoring cell" in n for n in notes)


def test_lines_meeting_off_symbols_are_one_arrow() -> None:
    box = Shape(ShapeKind.PROCESS, Box(0, 0, 40, 20))
    target = Shape(ShapeKind.PROCESS, Box(100, 80, 140, 100))
    first = Shape(ShapeKind.ARROW, Box(40, 10, 120, 10), ((40.0, 10.0), (120.0, 10.0)))
    second = Shape(
        ShapeKind.ARROW, Box(120, 10, 120, 80), ((120.0, 80.0), (120.4, 10.3)), head=(120.0, 80.0)
    )  # drawn from the head end, the arrowhead at its start
    out = join_lines((box, target, first, second))
    arrows = [s for s in out if s.kind is ShapeKind.ARROW]
    assert len(arrows) == 1
    assert arrows[0].path[0] == (40.0, 10.0) and arrows[0].head == arrows[0].path[-1] == (
        120.0, 80.0)  # fmt: skip


def test_lines_leaving_one_symbol_at_one_point_stay_two_arrows() -> None:
    box = Shape(ShapeKind.DECISION, Box(0, 0, 40, 20))
    a = Shape(ShapeKind.ARROW, Box(40, 10, 80, 10), ((40.0, 10.0), (80.0, 10.0)), (80.0, 10.0))
    b = Shape(ShapeKind.ARROW, Box(40, 10, 40, 60), ((40.0, 10.0), (40.0, 60.0)), (40.0, 60.0))
    assert len([s for s in join_lines((box, a, b)) if s.kind is ShapeKind.ARROW]) == 2


def test_an_arrowhead_at_the_junction_ends_the_arrow_there() -> None:
    a = Shape(ShapeKind.ARROW, Box(0, 0, 50, 0), ((0.0, 0.0), (50.0, 0.0)), (50.0, 0.0))
    b = Shape(ShapeKind.ARROW, Box(50, 0, 50, 40), ((50.0, 0.0), (50.0, 40.0)), (50.0, 40.0))
    assert len([s for s in join_lines((a, b)) if s.kind is ShapeKind.ARROW]) == 2


def test_bent_connector_geometry_keeps_its_bend() -> None:
    """A Z-shaped route written as ``bentConnector3`` with ``adj1`` (flipped when it runs
    left or up) and a hook as ``bentConnector4``."""
    z = ((10.0, 10.0), (30.0, 10.0), (30.0, 50.0), (70.0, 50.0))
    (g,) = connector(z, "bent")
    assert 'prst="bentConnector3"' in g.geom and 'name="adj1" fmla="val 33333"' in g.geom
    back = tuple((100 - x, y) for x, y in z)
    (gb,) = connector(back, "bent")
    assert 'flipH="1"' in gb.flips
    hook = ((10.0, 10.0), (60.0, 10.0), (60.0, -5.0), (30.0, -5.0), (30.0, 0.0))
    (gh,) = connector(hook, "bent")
    assert 'prst="bentConnector4"' in gh.geom


def test_a_turned_oval_is_read_by_the_shape_it_shows() -> None:
    """``rot`` a quarter turn: the stored box is tall, the drawn oval wide (a start/end
    capsule, not an on-page connector circle), over the same centre."""
    from lxml import etree

    from converters.reading.drawn.office.package import drawing_items

    wsp = etree.fromstring(
        '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><wps:cNvSpPr/>'
        '<wps:spPr><a:xfrm rot="5400000"><a:off x="0" y="0"/><a:ext cx="279400" cy="762000"/>'
        '</a:xfrm><a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom></wps:spPr></wps:wsp>'
    )
    (shape,) = drawing_items(wsp, Box(100, 100, 122, 160))
    assert isinstance(shape, Shape) and shape.kind is ShapeKind.TERMINATOR
    assert shape.box == Box(81, 119, 141, 141)


def test_a_bend_inside_a_symbol_the_line_crosses_is_still_a_bend() -> None:
    crossed = Shape(ShapeKind.PROCESS, Box(20, 0, 60, 20))
    a = Shape(ShapeKind.ARROW, Box(80, 10, 100, 10), ((100.0, 10.0), (40.0, 10.0)))
    b = Shape(ShapeKind.ARROW, Box(40, 10, 40, 70), ((40.0, 10.0), (40.0, 70.0)), (40.0, 70.0))
    (arrow,) = [s for s in join_lines((crossed, a, b)) if s.kind is ShapeKind.ARROW]
    assert arrow.path == ((100.0, 10.0), (40.0, 10.0), (40.0, 70.0))


def test_one_vml_group_in_rows_of_at_least_a_height_sizes_no_row() -> None:
    """The whole flowchart as one ``v:group`` held by the first step row: the group spans
    every row by design, so it must not stretch the row that holds it."""
    g = generate(1114)  # cell texts short enough for rows of at least a height
    data = docx_vml(layout(g.sop), Pick("atLeast", 20.0, below=0.1))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = z.read("word/document.xml").decode()
    assert "<v:group" in document and 'w:hRule="atLeast"' in document
    _exact(data, "sop.docx", 1114)


@pytest.mark.parametrize("form", ["docx in cells", "xlsx twoCell"])
def test_a_role_column_named_pelaksana_keeps_its_name(form: str) -> None:
    """"Pelaksana" over the role columns is the group title and is dropped, but a column
    whose only title is "Pelaksana" (a jabatan of its own) is that role: seed 1105 has one,
    and before, its steps went to no role and its decisions were lost."""
    g = generate(1105)
    assert any(s.role.strip().lower() == "pelaksana" for s in g.sop.steps)
    (r,) = run_seed(1105, [form])
    assert not r.error and not r.crash, (r.error, r.crash)
    for m in ("roles", "decision recall"):
        assert r.tally.hits[m] == r.tally.totals[m], (m, r.tally.hits[m], r.tally.totals[m])
