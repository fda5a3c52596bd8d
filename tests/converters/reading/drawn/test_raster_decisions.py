"""Decisions read from what a picture keeps of them, on small tables drawn here: the end
capsule beside a diamond, a "Y" beside a label the scan spoilt, the way on that a picture
lost, a line into the diamond whose head and tail were both lost."""

from __future__ import annotations

import itertools

from converters.model import END
from converters.reading.drawn.interpret.interpreter import interpret
from converters.reading.drawn.picture import Box, Page, Picture, Shape, ShapeKind, TextRun

XS = (40.0, 60.0, 200.0, 280.0, 360.0, 420.0, 470.0, 530.0)  # No | Kegiatan | A | B | Mutu
HEAD, ROW = 60.0, 60.0  # the header's bottom, a row's height


def _cells(rows: int) -> list[Box]:
    out = [Box(a, 20, b, HEAD) for a, b in itertools.pairwise(XS)]
    for i in range(rows):
        top = HEAD + i * ROW
        out += [Box(a, top, b, top + ROW) for a, b in itertools.pairwise(XS)]
    return out


def _word(text: str, x: float, y: float) -> TextRun:
    return TextRun(text, Box(x, y, x + 3 * len(text), y + 5))


def _page(rows: int, shapes: list[Shape], labels: list[TextRun]) -> Picture:
    texts = [
        _word("No", 42, 35),
        _word("Kegiatan", 100, 35),
        _word("Pemohon", 215, 35),
        _word("Petugas", 295, 35),
        _word("Kelengkapan", 362, 35),
        _word("Waktu", 430, 35),
        _word("Output", 480, 35),
    ]
    for i in range(rows):
        top = HEAD + i * ROW
        texts += [_word(str(i + 1), 45, top + 5), _word(f"Langkah{i + 1}", 65, top + 5)]
    return Picture(
        "scan", (Page(1, 600, 400, tuple(_cells(rows)), tuple(texts + labels), tuple(shapes)),)
    )


def _box(cx: float, row: int) -> Shape:
    top = HEAD + row * ROW + 20
    return Shape(ShapeKind.PROCESS, Box(cx - 20, top, cx + 20, top + 20))


def _diamond(cx: float, row: int) -> Shape:
    top = HEAD + row * ROW + 15
    return Shape(ShapeKind.DECISION, Box(cx - 20, top, cx + 20, top + 30))


def _arrow(*path: tuple[float, float], head: bool = True) -> Shape:
    xs, ys = [p[0] for p in path], [p[1] for p in path]
    return Shape(
        ShapeKind.ARROW,
        Box(min(xs), min(ys), max(xs), max(ys)),
        tuple(path),
        path[-1] if head else None,
    )


def test_a_branch_into_the_end_capsule_beside_the_diamond_ends_the_process() -> None:
    box = _box(240, 0)
    diamond = _diamond(320, 1)  # row 2: B's diamond
    stop = Shape(ShapeKind.TERMINATOR, Box(220, 143, 260, 157))  # row 2, in A: the end
    shapes = [
        box,
        diamond,
        stop,
        _arrow((260, 90), (320, 90), (320, 135)),  # step 1 -> the diamond
        _arrow((300, 150), (260, 150)),  # "Y" left into the end capsule
        _arrow((340, 150), (350, 150), (350, 90), (260, 90), head=True),
    ]  # "T" back up
    labels = [_word("Y", 285, 143), _word("T", 343, 143)]
    sop = interpret(_page(2, shapes, labels))
    decision = sop.steps[1].decision
    assert decision is not None
    assert (decision.approve_to, decision.reject_to) == (END, 1)


def test_an_end_capsule_alone_in_its_row_is_that_row_s_step() -> None:
    box = _box(240, 0)
    diamond = _diamond(320, 1)
    stop = Shape(ShapeKind.TERMINATOR, Box(300, 200, 340, 215))  # row 3: its own step
    shapes = [
        box,
        diamond,
        stop,
        _arrow((260, 90), (320, 90), (320, 135)),
        _arrow((320, 165), (320, 200)),  # "Y" down into the capsule of step 3
        _arrow((300, 150), (240, 150), (240, 100)),
    ]  # "T" back to step 1
    labels = [_word("Y", 323, 180), _word("T", 280, 143)]
    decision = interpret(_page(3, shapes, labels)).steps[1].decision
    assert decision is not None and (decision.approve_to, decision.reject_to) == (3, 1)


def test_a_yes_beside_a_spoilt_label_is_the_approving_way() -> None:
    box = _box(240, 0)
    diamond = _diamond(320, 1)
    shapes = [
        box,
        diamond,
        _box(320, 2),
        _arrow((260, 90), (320, 90), (320, 135)),
        _arrow((300, 150), (240, 150), (240, 100)),  # back to step 1, label read "I"
        _arrow((320, 165), (320, 200)),
    ]  # down to step 3, label "Y"
    labels = [_word("I", 280, 143), _word("Y", 323, 175)]
    decision = interpret(_page(3, shapes, labels)).steps[1].decision
    assert decision is not None
    assert (decision.approve_to, decision.reject_to) == (3, 1)
    assert decision.labels == ("Y", "I")


def test_the_way_on_a_picture_lost_goes_to_the_next_step() -> None:
    box = _box(240, 0)
    diamond = _diamond(320, 1)
    shapes = [
        box,
        diamond,
        _box(320, 2),
        _arrow((260, 90), (320, 90), (320, 135)),
        _arrow((300, 150), (240, 150), (240, 100)),
    ]  # only the loop back is drawn
    sop = interpret(_page(3, shapes, []))
    decision = sop.steps[1].decision
    assert decision is not None
    assert (decision.approve_to, decision.reject_to) == (3, 1)
    assert any(w.code == "decision-target-guessed" for w in sop.warnings)


def test_a_line_into_the_diamond_that_lost_head_and_tail_is_no_third_way() -> None:
    box = _box(240, 0)
    diamond = _diamond(320, 1)
    shapes = [
        box,
        diamond,
        _box(320, 2),
        _box(240, 1),
        _arrow((260, 90), (320, 90), (320, 135)),
        _arrow((340, 150), (350, 150), (350, 90), (260, 95)),  # up to step 1
        _arrow((320, 165), (320, 200)),  # down to step 3
        _arrow((285, 150), (300, 150), head=False),
    ]  # a stub into the left vertex
    decision = interpret(_page(3, shapes, [])).steps[1].decision
    assert decision is not None
    assert sorted(map(str, (decision.approve_to, decision.reject_to))) == ["1", "3"]
    assert decision.more == ()
