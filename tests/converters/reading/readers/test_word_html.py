"""Word's HTML export of a drawn SOP: the shapes in the role cells are the roles' evidence."""

from __future__ import annotations

import pytest

from converters.reading.readers import read_text
from converters.reading.readers.markup import drawings_as_marks
from converters.reading.sop_file import read_sop
from tests.support.sop_generator import generate
from tests.support.word_html import word_html

SEEDS = range(1100, 1110)

DECISION_VML = (
    '<p class=MsoNormal><!--[if gte vml 1]><v:shapetype id="_x0000_t110" o:spt="110" '
    'path="m10800,l,10800,10800,21600,21600,10800xe"></v:shapetype><v:shape '
    'id="Flowchart_x0020_Decision_x0020_3" type="#_x0000_t110" style=\'position:absolute\'>'
    "<v:textbox><![if !mso]><table><tr><td><![endif]><div><p class=MsoNormal>Lengkap?</p>"
    "</div><![if !mso]></td></tr></table><![endif]></v:textbox></v:shape><![endif]-->"
    "<![if !vml]><span style='mso-ignore:vglayout'><img width=60 height=40 "
    'src="x_files/image003.png" v:shapes="Flowchart_x0020_Decision_x0020_3"></span>'
    "<![endif]><o:p>&nbsp;</o:p></p>"
)


def test_a_vml_shape_becomes_its_mark_and_text_and_its_picture_goes() -> None:
    out = drawings_as_marks(DECISION_VML)
    assert "◇ Lengkap?" in out
    assert "<img" not in out and "<table" not in out and "<![" not in out


@pytest.mark.parametrize(
    ("img", "mark"),
    [
        ('<img width=60 height=40 src="a.png" alt="Flowchart: Decision 7">', "◇"),
        ('<img width=60 height=40 src="a.png" alt="Flowchart: Terminator 1">', "○"),
        ('<img width=13 height=60 src="a.png">', "→"),  # a thin picture: a drawn line
        ('<img width=60 height=40 src="a.png">', "□"),
        ('<img width=34 height=21 src="a.png" alt="Text Box 9">', ""),
    ],
)
def test_a_picture_without_vml_is_marked_by_its_name_or_shape(img: str, mark: str) -> None:
    assert drawings_as_marks(f"<td>{img}</td>") == f"<td> {mark} </td>"


def test_list_numbers_in_downlevel_conditionals_stay() -> None:
    text = "<p><![if !supportLists]>1.<![endif]>Menerima surat</p>"
    assert drawings_as_marks(text) == "<p>1.Menerima surat</p>"


@pytest.mark.parametrize("filtered", [False, True], ids=["web-page", "filtered"])
def test_roles_come_from_the_drawn_symbols(filtered: bool) -> None:
    right = total = 0
    for seed in SEEDS:
        g = generate(seed)
        sop = read_sop(word_html(g, filtered=filtered, alt=False, seed=seed).encode(), "s.htm")
        assert sop.source_format == "html"
        assert [s.number for s in sop.steps] == [s.number for s in g.sop.steps]
        right += sum(a.role == b.role for a, b in zip(sop.steps, g.sop.steps, strict=True))
        total += len(g.sop.steps)
    assert right / total >= 0.99, (right, total)


def test_the_raw_row_carries_the_symbol_in_the_role_column() -> None:
    g = generate(1101)
    doc = read_text(word_html(g, seed=1101))
    first = doc.rows[0]
    assert "○" in first.marks.get(g.sop.steps[0].role, "")
