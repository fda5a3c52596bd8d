"""The reading's progress channel: nobody listening costs nothing, blocks nest, a listener's
failure never breaks a reading, and the readers' page loops report their pages."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from converters.reading.progress import Progress, Stage, listening, report, reporting


def test_no_listener_means_nothing_happens() -> None:
    assert not listening()
    report(Stage.OCR, 1, 3)  # no listener: returns, raises nothing


def test_a_listener_hears_the_reports_of_its_block_only() -> None:
    heard: list[Progress] = []
    with reporting(heard.append):
        assert listening()
        report(Stage.OPEN)
        report(Stage.OCR, 2, 5, "halaman 3")
    report(Stage.OCR, 3, 5)
    assert heard == [Progress(Stage.OPEN), Progress(Stage.OCR, 2, 5, "halaman 3")]
    assert not listening()


def test_blocks_nest_and_every_enclosing_listener_hears() -> None:
    outer: list[Progress] = []
    inner: list[Progress] = []
    with reporting(outer.append):
        report(Stage.OPEN)
        with reporting(inner.append):
            report(Stage.PAGES, 1, 2)
        report(Stage.DRAWING)
    assert [p.stage for p in outer] == [Stage.OPEN, Stage.PAGES, Stage.DRAWING]
    assert inner == [Progress(Stage.PAGES, 1, 2)]


def test_a_failing_listener_never_breaks_the_reading(caplog: pytest.LogCaptureFixture) -> None:
    heard: list[Progress] = []

    def broken(progress: Progress) -> None:
        raise RuntimeError("basis data hilang")

    with reporting(heard.append), reporting(broken):
        report(Stage.OCR, 1, 2)  # must not raise
    assert heard == [Progress(Stage.OCR, 1, 2)]
    assert "progress listener failed" in caplog.text


def test_counts_are_never_negative_nor_more_done_than_in_all() -> None:
    heard: list[Progress] = []
    with reporting(heard.append):
        report(Stage.PAGES, -1, 0)
        report(Stage.PAGES, 4, 0)  # the page count unknown (a PDF that does not say it)
    assert [(p.done, p.total) for p in heard] == [(0, 0), (4, 4)]


def test_another_thread_does_not_hear_this_context() -> None:
    heard: list[Progress] = []
    with reporting(heard.append):
        thread = threading.Thread(target=report, args=(Stage.OCR, 1, 1))
        thread.start()
        thread.join()
    assert heard == []


def test_the_scan_page_loop_reports_every_page() -> None:
    from converters.reading.drawn.scan.extractor import extract_rasters
    from converters.reading.drawn.scan.raster import Raster

    blank = Raster(np.full((400, 300), 255, dtype=np.uint8), 300.0)
    heard: list[Progress] = []
    with reporting(heard.append):
        extract_rasters([blank, blank, blank], ocr=False)
    assert [(p.stage, p.done, p.total) for p in heard] == [
        (Stage.PAGES, 0, 3),
        (Stage.PAGES, 1, 3),
        (Stage.PAGES, 2, 3),
        (Stage.PAGES, 3, 3),
    ]


def test_a_drawn_pdf_reports_its_pages_then_the_drawing() -> None:
    from converters.reading.drawn.reading import read_drawn
    from tests.support.drawn_fixtures import case

    heard: list[Progress] = []
    with reporting(heard.append):
        sop = read_drawn(case("hand:a4-kegiatan:persetujuan").pdf())
    assert sop is not None and sop.steps
    pages = [p for p in heard if p.stage is Stage.PAGES]
    assert pages and pages[0].done == 0 and pages[0].total >= 1
    assert heard[-1].stage is Stage.DRAWING
