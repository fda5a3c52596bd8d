"""Scans as other agencies make them: a phone photo, aged paper, a faint copy, a low dpi, a
page fed upside down or on its side (``tests.support.scan_fixtures.MORE_DAMAGES``).

The pieces that mend each damage are tested on their own, without OCR (page quad, paper
flattening, stroke mending, enlarging); an upside-down page is read end to end (a sideways
page and a phone photo on the bench). The full dpi × damage grid runs on the bench
(``bench/scan_reading.py``).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from converters.model import Sop
from converters.reading.drawn.scan.orientation import upright_turn
from converters.reading.drawn.scan.raster import (
    LOW_DPI_TARGET,
    Raster,
    binarise,
    enlarged,
    flatten,
    mend,
    page_quad,
    unwarp,
)
from converters.reading.sop_file import read_sop
from tests.support.scan_fixtures import (
    MORE_DAMAGES,
    SAMPLES,
    load_sample,
    render_scan,
    score_sop,
)


@pytest.fixture(scope="module")
def iku() -> Sop:
    return load_sample(SAMPLES[0])


def _gray(png: bytes) -> np.ndarray:
    return np.asarray(cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE))


def _flow_page(sop: Sop, dpi: int, **damage: object) -> np.ndarray:
    fx = render_scan(sop, dpi=dpi, flow_only=True, **damage)  # type: ignore[arg-type]
    return _gray(fx.images[0])


def test_a_photographed_page_is_cut_from_the_desk_and_squared(iku: Sop) -> None:
    clean = _flow_page(iku, 100)
    photo = _flow_page(iku, 100, **MORE_DAMAGES["photo"])
    assert page_quad(clean) is None  # a scan is paper to its edges
    quad = page_quad(photo)
    assert quad is not None
    page = unwarp(Raster(photo, 100.0))
    h, w = page.gray.shape
    # the sheet comes back at about its own size (the photo's frame is 10-18 % larger)
    assert abs(w - clean.shape[1]) < 0.06 * clean.shape[1], (w, clean.shape)
    assert abs(h - clean.shape[0]) < 0.06 * clean.shape[0], (h, clean.shape)
    # no desk left: the squared page's rim is paper, not the dark backdrop
    rim = np.concatenate([page.gray[:3].ravel(), page.gray[-3:].ravel()])
    assert float(np.median(rim)) > 120


def test_yellowed_paper_is_flattened_to_white_and_a_clean_page_left_alone(iku: Sop) -> None:
    clean = _flow_page(iku, 100)
    same, faint = flatten(clean, 100 / 72)
    assert same is clean and not faint
    yellow = _flow_page(iku, 100, **MORE_DAMAGES["yellow"])
    flat, faint = flatten(yellow, 100 / 72)
    assert not faint
    assert float(np.percentile(yellow, 50)) < 225  # the sheet was tinted
    assert float(np.percentile(flat, 50)) >= 245  # and is paper-white now
    # the print is still there: as much ink as on the clean page, within a few percent
    ink_clean = np.count_nonzero(binarise(clean))
    assert abs(np.count_nonzero(binarise(flat)) - ink_clean) < 0.1 * ink_clean


def test_a_faint_copy_is_darkened_and_its_broken_rules_mended(iku: Sop) -> None:
    faint_page = _flow_page(iku, 200, **MORE_DAMAGES["faint"])
    flat, faint = flatten(faint_page, 200 / 72)
    assert faint
    assert float(np.percentile(flat[flat < 200], 10)) < float(
        np.percentile(faint_page[faint_page < 200], 10)
    )
    # a 1-pt rule broken by a few 4-px drop-outs is whole again; letters apart stay apart
    ink = np.zeros((60, 400), np.uint8)
    ink[30:33, 10:390] = 255
    for x in (80, 170, 260):
        ink[29:34, x : x + 4] = 0
    ink[5:15, 100:103] = 255
    ink[5:15, 140:143] = 255
    mended = mend(ink, 200 / 72)
    assert mended[30:33, 10:390].all()
    assert not mended[10, 110:135].any()


def test_a_low_resolution_page_is_enlarged_before_reading() -> None:
    small = Raster(np.full((300, 200), 255, np.uint8), 100.0)
    big = enlarged(small)
    assert big.dpi == LOW_DPI_TARGET
    assert big.gray.shape == (600, 400)
    fine = Raster(np.full((300, 200), 255, np.uint8), 200.0)
    assert enlarged(fine) is fine


@pytest.mark.slow
def test_an_upside_down_page_is_turned_and_an_upright_one_left(iku: Sop) -> None:
    upright = _flow_page(iku, 200)
    assert upright_turn(upright, 200.0) == 0
    assert upright_turn(np.ascontiguousarray(np.rot90(upright, 2)), 200.0) == 180


@pytest.mark.slow
@pytest.mark.parametrize(
    "damage",
    [
        "upside",
        pytest.param("sideways", marks=pytest.mark.bench),
        pytest.param("photo", marks=pytest.mark.bench),
    ],
)
def test_damaged_scans_read_back_end_to_end(iku: Sop, damage: str) -> None:
    fx = render_scan(iku, dpi=200, flow_only=True, **MORE_DAMAGES[damage])  # type: ignore[arg-type]
    sc = score_sop(iku, read_sop(fx.images[0]))
    assert sc.role_names_right == sc.role_names, sc
    assert sc.role_rate >= 0.95 and sc.decision_rate == 1.0, sc
