"""Branch labels of a picture kept for the OCR and read, on small drawings made here: a
label standing on a row's rule, an open arrowhead that is no letter, one-letter labels read
alone."""

from __future__ import annotations

import shutil

import cv2
import numpy as np
import pytest

from converters.reading.drawn.scan.extractor import _text_only
from converters.reading.drawn.scan.raster import binarise
from converters.reading.drawn.scan.rulings import find_rulings, remove_rulings
from converters.reading.drawn.scan.symbols import PxArrow
from converters.reading.drawn.scan.words import ocr_marks

SCALE = 200 / 72


def _table() -> np.ndarray:
    gray = np.full((600, 900), 255, np.uint8)
    for y in (50, 200, 350, 500):
        gray[y : y + 3, 50:851] = 0
    for x in (50, 250, 450, 650, 850):
        gray[50:503, x : x + 3] = 0
    return gray


def test_a_letter_standing_on_a_rule_keeps_its_stroke() -> None:
    gray = _table()
    gray[330:375, 300:304] = 0  # a "Y"'s stem, down across the rule at y = 350
    cv2.line(gray, (290, 315), (302, 330), 0, 3)  # its arms above
    cv2.line(gray, (314, 315), (302, 330), 0, 3)
    ink = binarise(gray)
    rulings = find_rulings(ink, SCALE)
    bare = remove_rulings(ink, rulings, SCALE)
    text = _text_only(gray, ink, bare, rulings.mask, np.zeros(gray.shape, np.int32), [], SCALE)
    assert np.all(text[345:357, 301:303] < 128)  # the stem where it crosses the rule
    assert np.all(text[351, 500:600] == 255)  # the rule itself is gone


def test_an_open_arrowhead_is_whitened_with_its_line() -> None:
    gray = _table()
    gray[220:330, 349:351] = 0  # an arrow down a cell, into a box below
    cv2.line(gray, (350, 330), (340, 318), 0, 2)  # its open head: a "V" one could read
    cv2.line(gray, (350, 330), (360, 318), 0, 2)
    ink = binarise(gray)
    rulings = find_rulings(ink, SCALE)
    bare = remove_rulings(ink, rulings, SCALE)
    labels = np.zeros(gray.shape, np.int32)
    labels[ink > 0] = 1
    labels[rulings.mask > 0] = 0
    arrow = PxArrow(((350.0, 220.0), (350.0, 330.0)), (350.0, 330.0), (340, 220, 361, 331), (1,))
    text = _text_only(gray, ink, bare, rulings.mask, labels, [], SCALE, [arrow])
    assert np.all(text[315:332, 336:365] == 255)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_one_letter_labels_are_read_alone() -> None:
    crops = []
    for letter in ("T", "Y", "Ya"):
        crop = np.full((40, 30 * len(letter) + 10), 255, np.uint8)
        cv2.putText(crop, letter, (6, 30), cv2.FONT_HERSHEY_COMPLEX, 0.8, 0, 2)
        crops.append(crop)
    read = ocr_marks(crops, 200.0, zoom=2.0)
    assert [r[0] if r else None for r in read] == ["T", "Y", "Ya"]
