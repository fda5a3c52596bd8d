"""Where a traced branch ends when the picture lost the arrowhead on the end capsule, on small
tables drawn here: the head merges with the capsule's outline, so the line joins the capsule
without saying which way it runs."""

from __future__ import annotations

import itertools

from converters.model import END
from converters.reading.drawn.interpret.interpreter import _ends_flow, interpret
from converters.reading.drawn.picture import Box, Page, Picture, Shape, ShapeKind, TextRun

XS = (40.0, 60.0, 200.0, 280.0, 360.0, 420.0, 470.0, 530.0)  # No | Kegiatan | A | B | Mutu
HEAD, ROW = 60.0, 60.0  # the header's bottom, a row's height


def _word(text: str, x: float, y: float) -> TextRun:
    return TextRun(text, Box(x, y, x + 3 * len(text), y + 5))


def _picture(rows: int, shapes: list[Shape], labels: list[TextRun]) -> Picture:
    cells = [Box(a, 20, b, HEAD) for a, b in itertools.pairwise(XS)]
    texts = [_word("No", 42, 35), _word("Kegiatan", 100, 35), _word("Pemohon", 215, 35),
             _word("Petugas", 295, 35), _word("Kelengkapan", 362, 35), _word("Waktu", 430, 35),
             _word("Output", 480, 35)]  # fmt: skip
    for i in range(rows):
        top = HEAD + i * ROW
        cells += [Box(a, top, b, top + ROW) for a, b in itertools.pairwise(XS)]
        texts += [_word(str(i + 1), 45, top + 5), _word(f"Langkah{i + 1}", 65, top + 5)]
    page = Page(1, 600, 400, tuple(cells), tuple(texts + labels), tuple(shapes))
    return Picture("scan", (page,))


def _arrow(*path: tuple[float, float], head: bool = True) -> Shape:
    xs, ys = [p[0] for p in path], [p[1] for p in path]
    return Shape(ShapeKind.ARROW, Box(min(xs), min(ys), max(xs), max(ys)), tuple(path),
                 path[-1] if head else None)  # fmt: skip


BOX_1 = Shape(ShapeKind.PROCESS, Box(220, 80, 260, 100))  # step 1, column A
DIAMOND_2 = Shape(ShapeKind.DECISION, Box(300, 135, 340, 165))  # step 2, column B
STOP_2 = Shape(ShapeKind.TERMINATOR, Box(220, 143, 260, 157))  # step 2, column A: the end
BOX_3 = Shape(ShapeKind.PROCESS, Box(300, 200, 340, 220))  # step 3, column B


def test_a_headless_line_from_a_diamond_into_the_capsule_beside_it_ends_the_process() -> None:
    """The "T" way runs left into the end capsule of the diamond's own row, its head lost:
    the branch ends the process (it was read as a way back into its own step)."""
    shapes = [
        BOX_1, DIAMOND_2, STOP_2, BOX_3,
        _arrow((260, 90), (320, 90), (320, 135)),  # step 1 -> the diamond
        _arrow((300, 150), (260, 150), head=False),  # "T" into the capsule, head lost
        _arrow((320, 165), (320, 200)),  # "Y" down to step 3
    ]  # fmt: skip
    labels = [_word("T", 280, 143), _word("Y", 323, 175)]
    decision = interpret(_picture(3, shapes, labels)).steps[1].decision
    assert decision is not None
    assert (decision.approve_to, decision.reject_to) == (3, END)


def test_a_capsule_the_flow_leaves_with_its_head_shown_is_no_end() -> None:
    """The same capsule with a line whose head stands on the box beside it: the flow leaves
    the capsule (a start), so it is no end; a line with its head on the capsule enters it."""
    leaves = _arrow((240, 157), (240, 175), (300, 175))
    enters = _arrow((300, 150), (260, 150))
    assert not _ends_flow(STOP_2, Page(1, 600, 400, shapes=(STOP_2, leaves, enters)))
    assert _ends_flow(STOP_2, Page(1, 600, 400, shapes=(STOP_2, enters)))
    assert not _ends_flow(STOP_2, Page(1, 600, 400, shapes=(STOP_2,)))


def test_a_way_over_other_steps_into_the_closing_capsule_ends_the_process() -> None:
    """The table draws a branch to the end into the last step's capsule: the "T" way that
    jumps there over step 3 is the end; the activity does not say so (OCR lost it)."""
    stop_4 = Shape(ShapeKind.TERMINATOR, Box(220, 260, 260, 275))  # step 4: the capsule alone
    shapes = [
        BOX_1, DIAMOND_2, BOX_3, stop_4,
        _arrow((260, 90), (320, 90), (320, 135)),  # step 1 -> the diamond
        _arrow((320, 165), (320, 200)),  # "Y" down to step 3
        _arrow((300, 150), (240, 150), (240, 260)),  # "T" down into the closing capsule
        _arrow((320, 220), (320, 240), (250, 240), (250, 260)),  # step 3 -> step 4
    ]  # fmt: skip
    labels = [_word("T", 280, 143), _word("Y", 323, 175)]
    decision = interpret(_picture(4, shapes, labels)).steps[1].decision
    assert decision is not None
    assert (decision.approve_to, decision.reject_to) == (3, END)


def test_the_approving_way_into_the_closing_capsule_below_is_the_last_step() -> None:
    stop_3 = Shape(ShapeKind.TERMINATOR, Box(300, 200, 340, 215))
    shapes = [
        BOX_1, DIAMOND_2, stop_3,
        _arrow((260, 90), (320, 90), (320, 135)),
        _arrow((320, 165), (320, 200)),  # "Y" down into the capsule of step 3, the next
        _arrow((300, 150), (240, 150), (240, 100)),  # "T" back to step 1
    ]  # fmt: skip
    labels = [_word("Y", 323, 180), _word("T", 280, 143)]
    decision = interpret(_picture(3, shapes, labels)).steps[1].decision
    assert decision is not None and (decision.approve_to, decision.reject_to) == (3, 1)
