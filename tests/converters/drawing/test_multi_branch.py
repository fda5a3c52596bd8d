"""Decisions with three or more branches in the drawings: the official SOP table draws one
labelled arrow per branch out of the diamond, and the Graphviz process view (which draws any
BPMN) shows every branch flow with its name."""

from __future__ import annotations

import itertools

import pytest

from converters.bpmn.writer import decision_values, write_bpmn
from converters.drawing.document import render_document
from converters.drawing.process_view import render_process
from converters.drawing.sop_table import flows_of, layout_table
from tests.converters.bpmn.multi_branch_sops import MULTI_BRANCH
from tests.converters.drawing.test_document_svg_inspect import Drawing, near_box, segment_hits_box

NAMES = sorted(MULTI_BRANCH)


@pytest.fixture(scope="module")
def drawings() -> dict[str, Drawing]:
    return {name: Drawing(render_document(MULTI_BRANCH[name], "svg")) for name in NAMES}


def _segments(points):  # type: ignore[no-untyped-def]
    on_curve = [points[0], *points[3::3]]  # straight pieces: every third point is on the path
    return list(itertools.pairwise(on_curve))


def test_three_labelled_arrows_leave_the_diamond(drawings: dict[str, Drawing]) -> None:
    d = drawings["tiga-cabang-maju"]
    diamond = d.boxes["step-2"]
    assert "symbol-decision" in diamond.classes
    for target, kind, label in ((3, "approve", "Teknis"), (4, "reject", "Administratif"),
                                (5, "branch", "Keuangan")):  # fmt: skip
        line = d.lines[f"arrow-2-{target}"]
        assert f"arrow-{kind}" in line.classes
        assert near_box(line.points[0], diamond), label
        assert near_box(line.tip, d.boxes[f"step-{target}"]), label
        assert " ".join(d.node_texts(f"label-arrow-2-{target}")) == label
    starts = {d.lines[f"arrow-2-{t}"].points[0] for t in (3, 4, 5)}
    assert len(starts) == 3  # each arrow leaves by its own corner of the diamond


def test_every_branch_of_every_decision_is_drawn(drawings: dict[str, Drawing]) -> None:
    for name in NAMES:
        sop, d = MULTI_BRANCH[name], drawings[name]
        table = layout_table(sop, "a4", first_page=2)
        for step in sop.steps:
            if step.decision is None:
                continue
            drawn = [f for f in flows_of(sop) if f.source == step.number]
            assert [f.label for f in drawn] == [b.label for b in step.decision.branches], name
        # whole arrows and their labels (all these SOPs fit one page)
        assert not table.connectors
        labels = [f.label for f in flows_of(sop) if f.label]
        texts = " ".join(d.texts())
        assert all(label.split()[0] in texts for label in labels), name


def test_no_arrow_crosses_a_symbol_and_labels_do_not_overlap(
    drawings: dict[str, Drawing],
) -> None:
    for name, d in drawings.items():
        symbols = d.with_class("symbol")
        for line in d.lines.values():
            ends = {b.id for b in symbols if near_box(line.points[0], b) or near_box(line.tip, b)}
            for a, b in _segments([*line.points, line.tip]):
                for sym in symbols:
                    if sym.id not in ends:
                        assert not segment_hits_box(a, b, sym), (name, line.id, sym.id)
            for a, b in _segments(line.points):
                assert abs(a[0] - b[0]) < 0.05 or abs(a[1] - b[1]) < 0.05, (name, line.id)
        labels = d.with_class("branch-label")
        for x, y in itertools.combinations(labels, 2):
            overlap = x.x0 < y.x1 and y.x0 < x.x1 and x.y0 < y.y1 and y.y0 < x.y1
            assert not overlap, (name, x.id, y.id)


def test_four_branches_each_get_an_arrow_and_a_distinct_id(drawings: dict[str, Drawing]) -> None:
    d = drawings["empat-cabang"]
    ids = {f"arrow-2-{t}" for t in ("3", "4", "5", "6")}  # "Surel" ends: at the last step
    assert ids <= set(d.lines)
    for ident, label in (("arrow-2-3", "Kotak Pengaduan"), ("arrow-2-4", "Tatap muka"),
                         ("arrow-2-5", "Telepon"), ("arrow-2-6", "Surel")):  # fmt: skip
        assert " ".join(d.node_texts(f"label-{ident}")) == label


def test_process_view_draws_every_branch_flow_with_its_name() -> None:
    for name in NAMES:
        sop = MULTI_BRANCH[name]
        d = Drawing(render_process(write_bpmn(sop)))
        for step in sop.steps:
            if step.decision is None:
                continue
            gateway = f"Gateway_Langkah_{step.number}"
            assert gateway in d.boxes
            for value, branch in zip(decision_values(step.decision), step.decision.branches,
                                     strict=True):  # fmt: skip
                flow = f"Flow_{step.number}_{value}"
                assert flow in d.lines, (name, flow)
                assert " ".join(d.node_texts(flow)) == branch.label, (name, flow)
