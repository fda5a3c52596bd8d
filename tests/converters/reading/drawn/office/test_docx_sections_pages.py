"""Word SOPs laid out the way long real documents are: several sections (a portrait identity
page, a landscape flowchart), a flowchart table running over a page break with off-page
connectors joining its halves, and branch labels standing across another branch's lane."""

from __future__ import annotations

import io
import zipfile

import pytest

from converters.reading.drawn.interpret.arrows import label_text, page_branches
from converters.reading.drawn.office.docx_shapes import WP14, read_docx_picture
from converters.reading.drawn.picture import Box, Page, Shape, ShapeKind, TextRun
from tests.support.office_fixtures import layout
from tests.support.office_forms import (
    Pick,
    docx_pages,
    docx_sections,
    drawn_truth,
    read_office,
    split_layout,
)
from tests.support.sop_generator import METRICS, generate, score


def _exact(data: bytes, seed: int) -> None:
    read, error, crash = read_office(data, "sop.docx")
    assert read is not None, (error, crash)
    tally = score(drawn_truth(generate(seed)), read)
    missed = {m: (tally.hits[m], tally.totals[m]) for m in METRICS
              if tally.hits[m] != tally.totals[m]}  # fmt: skip
    assert not missed, missed


def _document(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode()


# -- sections ------------------------------------------------------------------------------

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       f'xmlns:wp14="{WP14}"')  # fmt: skip


def _sect(width: float, height: float, margin: float) -> str:
    m = round(margin * 20)
    return (
        f'<w:sectPr><w:pgSz w:w="{round(width * 20)}" w:h="{round(height * 20)}"/>'
        f'<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}"/></w:sectPr>'
    )


def _box_para(h: str, v: str, x: float, y: float, align: str = "") -> str:
    """A paragraph holding one process box (40 x 20 pt) positioned from ``h``/``v``."""
    pos_h = (
        f"<wp:align>{align}</wp:align>"
        if align
        else f"<wp:posOffset>{round(x * 12700)}</wp:posOffset>"
    )
    return (
        f'<w:p><w:r><w:drawing><wp:anchor layoutInCell="1"><wp:positionH relativeFrom="{h}">'
        f'{pos_h}</wp:positionH><wp:positionV relativeFrom="{v}"><wp:posOffset>'
        f'{round(y * 12700)}</wp:posOffset></wp:positionV><wp:extent cx="508000" cy="254000"/>'
        '<a:graphic><a:graphicData uri="wps"><wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm>'
        '<a:off x="0" y="0"/><a:ext cx="508000" cy="254000"/></a:xfrm><a:prstGeom '
        'prst="flowChartProcess"><a:avLst/></a:prstGeom><a:ln><a:solidFill><a:srgbClr '
        'val="000000"/></a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"
    )


def _wrap(body: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {_NS}><w:body>{body}</w:body></w:document>")
    return buf.getvalue()


def _process_boxes(data: bytes) -> list[Box]:
    page = read_docx_picture(data).pages[0]
    return [s.box for s in page.shapes if s.kind is ShapeKind.PROCESS]


def test_a_shape_in_a_later_section_stands_on_that_sections_page() -> None:
    """A portrait first section (72 pt margins), then a landscape one (36 pt margins): a box
    offset from the second section's margin and page stands on the page after the portrait
    one, from the landscape margins, not the portrait page's."""
    body = (f"<w:p><w:pPr>{_sect(595.3, 841.9, 72)}</w:pPr><w:r><w:t>Identitas</w:t></w:r></w:p>"
            + _box_para("margin", "page", 10, 100) + _sect(841.9, 595.3, 36))  # fmt: skip
    (box,) = _process_boxes(_wrap(body))
    assert box.x0 == pytest.approx(46.0, abs=0.1)
    assert box.top == pytest.approx(841.9 + 100, abs=0.1)


def test_an_earlier_section_keeps_its_own_margins() -> None:
    """The flowchart's landscape section first, a portrait closing section last: the body's
    final ``sectPr`` is the portrait one, yet the box in the first section is placed from
    the first section's 36 pt margin and vertical margin."""
    body = (_box_para("margin", "margin", 10, 20)
            + f"<w:p><w:pPr>{_sect(841.9, 595.3, 36)}</w:pPr></w:p>"
            + "<w:p><w:r><w:t>Catatan</w:t></w:r></w:p>" + _sect(595.3, 841.9, 72))  # fmt: skip
    (box,) = _process_boxes(_wrap(body))
    assert (box.x0, box.top) == (pytest.approx(46.0, abs=0.1), pytest.approx(56.0, abs=0.1))


def test_alignment_is_within_the_sections_margins() -> None:
    """``wp:align`` right within the margin of the section the shape stands in (the first,
    landscape one), not the body's final (portrait) section."""
    body = (
        _box_para("margin", "page", 0, 100, align="right")
        + f"<w:p><w:pPr>{_sect(841.9, 595.3, 36)}</w:pPr></w:p>"
        + _sect(595.3, 841.9, 72)
    )
    (box,) = _process_boxes(_wrap(body))
    assert box.x1 == pytest.approx(841.9 - 36, abs=0.1)


@pytest.mark.parametrize("frame", ["page", "margin", "column"])
def test_sop_with_a_portrait_identity_and_a_landscape_flowchart_reads_exactly(
    frame: str,
) -> None:
    """Shapes in the flowchart's own section: in their cells, or from its page or margin
    (as shares of the frame, ``wp14:pctPos*Offset``, with the absolute fallback dropped)."""
    g = generate(1102)
    on_page = frame != "column"
    rng = Pick("connector", frame, 28.35, below=0.4 if on_page else 0.99)
    data = docx_sections(layout(g.sop), rng)
    document = _document(data)
    assert document.count("<w:sectPr>") == (3 if on_page else 2)
    sizes = {part.split("/>")[0] for part in document.split("<w:pgSz")[1:]}
    margins = {part.split("/>")[0] for part in document.split("<w:pgMar")[1:]}
    assert len(sizes) == 2 and len(margins) == 2  # each section its own page
    assert ("<wp14:pctPosHOffset>" in document) == on_page
    _exact(data, 1102)


def _pct_para(h: str, v: str, h_share: float, v_share: float) -> str:
    """``_box_para`` with both positions given as shares of their frames, as Word 2010
    writes them (``mc:AlternateContent``, a wrong absolute fallback that must be dropped)."""
    para = _box_para(h, v, 999, 999)
    for axis, frame, share in (("H", h, h_share), ("V", v, v_share)):
        start = para.index(f"<wp:position{axis} ")
        end = para.index(f"</wp:position{axis}>") + len(f"</wp:position{axis}>")
        pct = (
            f'<wp:position{axis} relativeFrom="{frame}"><wp14:pctPos{axis}Offset>'
            f"{round(share * 100000)}</wp14:pctPos{axis}Offset></wp:position{axis}>"
        )
        para = (
            para[:start] + f'<mc:AlternateContent><mc:Choice Requires="wp14">{pct}'
            f"</mc:Choice><mc:Fallback>{para[start:end]}</mc:Fallback>"
            f"</mc:AlternateContent>" + para[end:]
        )
    return para


def test_percentage_positions_are_shares_of_their_frame() -> None:
    """40 % across the margin area, 10 % down the page; 50 % across the right margin."""
    body = (_pct_para("margin", "page", 0.4, 0.1) + _pct_para("rightMargin", "topMargin", 0.5, 0.0)
            + _sect(841.9, 595.3, 36))  # fmt: skip
    first, second = sorted(_process_boxes(_wrap(body)), key=lambda b: b.x0)
    assert first.x0 == pytest.approx(36 + 0.4 * (841.9 - 72), abs=0.05)
    assert first.top == pytest.approx(59.53, abs=0.05)
    assert second.x0 == pytest.approx(841.9 - 36 + 18, abs=0.05)
    assert second.top == pytest.approx(0.0, abs=0.05)


# -- a table over a page break ------------------------------------------------------------


@pytest.mark.parametrize("two_tables", [False, True])
def test_a_flowchart_over_a_page_break_joins_through_its_off_page_connectors(
    two_tables: bool,
) -> None:
    """Every line crossing the break ends on an off-page connector, its twin (same letter)
    goes on on the next page. As two tables, the second repeats the header rows, whose
    titles must not be read as one more line of the step above the break."""
    seed = 1123  # step 2's branch back over the break runs through a pair of connectors
    g = generate(seed)
    rng = Pick("connector", "exact", below=0.99 if two_tables else 0.4)
    split = split_layout(layout(g.sop), Pick("connector", "exact", below=0.99 if two_tables
                                              else 0.4))  # fmt: skip
    assert split is not None and len(split[2]) == 4  # two lines cross: two pairs
    data = docx_pages(layout(g.sop), rng)
    document = _document(data)
    assert document.count("<w:tbl>") == (3 if two_tables else 2)  # with the identity table
    assert "flowChartOffpageConnector" in document
    _exact(data, seed)
    read, _, _ = read_office(data, "sop.docx")
    assert read is not None
    assert all("Output" not in (s["output"] or "") for s in read["steps"])


def test_connector_text_is_the_shapes_own() -> None:
    """A Word connector's letter is its text box's: the twin is found by it."""
    page = Page(1, 100, 100, shapes=(Shape(ShapeKind.CONNECTOR, Box(0, 0, 10, 10), text=" B "),))
    assert label_text(page.shapes[0], page) == "B"


# -- labels --------------------------------------------------------------------------------


def test_a_label_across_a_branchs_lane_further_on_is_not_that_branchs() -> None:
    """ "Tidak" stands by the start of the branch leaving the right vertex; far down, another
    diamond's label ("Lengkap") lies right across that branch's long lane. The branch's
    label is the one by its first stretch, though the other lies nearer to its line."""
    diamond = Shape(ShapeKind.DECISION, Box(100, 100, 146, 136))
    left_box = Shape(ShapeKind.PROCESS, Box(32, 200, 88, 228))
    back = Shape(ShapeKind.PROCESS, Box(74, 386, 130, 414))
    left = Shape(ShapeKind.ARROW, Box(60, 118, 100, 200), ((100, 118), (60, 118), (60, 200)),
                 (60, 200))  # fmt: skip
    lane = ((146, 118), (153.5, 118), (153.5, 400), (130, 400))
    right = Shape(ShapeKind.ARROW, Box(130, 118, 153.5, 400), lane, (130, 400))
    texts = (TextRun("Ya", Box(70, 106, 98, 117)), TextRun("Tidak", Box(148, 106, 175, 117)),
             TextRun("Lengkap", Box(135, 250, 172, 261)))  # fmt: skip
    page = Page(1, 400, 500, (), texts, (diamond, left_box, back, left, right))
    found = page_branches([page], page, [diamond], Box(0, 0, 400, 500))[id(diamond)]
    assert {b.label: b.target for b in found} == {"Ya": left_box, "Tidak": back}
