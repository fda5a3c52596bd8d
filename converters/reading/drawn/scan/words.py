"""Words of a scanned page with their boxes, from the Tesseract program.

Tesseract is called as a program (``tesseract stdin stdout -l ind --psm 11 tsv``) and its TSV
parsed here: no Python binding to install, and the same binary the system's packages keep up
to date. It reads a page from which rulings, symbol outlines and arrows were whitened out:
table rules glued to letters and arrows crossing labels are what make it misread, and
sparse-text mode (psm 11) then finds each cell's words without trying to flow the
multi-column table into paragraphs.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from converters.model import ConversionError
from converters.reading.drawn.scan.raster import Gray

TESSERACT_TIMEOUT = 90
MIN_CONFIDENCE = 20.0
"""Below this Tesseract is mostly naming specks and stroke fragments."""

PAPER = 200
"""Grey levels lighter than this are paper: in a sheet of cell crops, JPEG ringing and the
faint remains of whitened rulings at a crop's edge are set to white."""


@dataclass(frozen=True)
class PxWord:
    """A word in pixels, with Tesseract's line key (block, paragraph, line) for reading order."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    line: tuple[int, int, int]
    confidence: float


def ocr_words(gray: Gray, dpi: float, psm: int = 11, whitelist: str = "") -> list[PxWord]:
    """Words Tesseract reads on ``gray`` (Indonesian model), in its reading order.

    ``whitelist`` limits the characters it may read (digits for the step-number column).
    """
    ok, png = cv2.imencode(".png", gray)
    if not ok:
        raise ConversionError(
            "halaman pindaian tidak dapat disiapkan untuk OCR "
            "(page could not be prepared for OCR)"
        )
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per page: the machine is shared
    try:
        done = subprocess.run(
            [
                "tesseract",
                "stdin",
                "stdout",
                "-l",
                "ind",
                "--psm",
                str(psm),
                "--dpi",
                str(round(dpi)),
                *(["-c", f"tessedit_char_whitelist={whitelist}"] if whitelist else []),
                "tsv",
            ],
            input=png.tobytes(),
            capture_output=True,
            timeout=TESSERACT_TIMEOUT,
            check=False,
            env=env,
        )
    except FileNotFoundError as exc:
        raise ConversionError(
            "program tesseract tidak ditemukan: pasang tesseract-ocr dan tesseract-ocr-ind "
            "(tesseract not found)"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ConversionError("OCR terlalu lama (OCR timed out)") from exc
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConversionError(
            f"tesseract gagal: {lines[-1] if lines else done.returncode} "
            "(OCR failed)"
        )
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def ocr_cells(
    gray: Gray, boxes: Sequence[tuple[int, int, int, int]], dpi: float, whitelist: str = "",
    zoom: float = 1.0, psm: int = 6,
) -> list[PxWord]:
    """Words of a few cells read in one Tesseract call, in page pixels.

    Sparse-text mode drops a lone short word in a wide page: the step numbers ``1``, ``2``...
    alone in their narrow ``No`` cells are what it misses most, and without them there are no
    steps. The cells' contents are stacked into one small image (white gaps between them) and
    read as a block of lines, which keeps them; one call, so a 25-row table costs one OCR run.
    ``zoom`` enlarges the crops first (small print in a header cell reads better larger);
    the words come back in page pixels all the same.
    """
    pad, gap = 12, 24
    crops = []
    for x0, top, x1, bottom in boxes:
        crop = gray[max(top, 0) : max(bottom, 0), max(x0, 0) : max(x1, 0)]
        if crop.size and zoom != 1.0:
            crop = cv2.resize(crop, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
        if crop.size:
            crops.append(((x0, top), crop))
    if not crops:
        return []
    width = max(c.shape[1] for _, c in crops) + 2 * pad
    height = sum(c.shape[0] + gap for _, c in crops) + 2 * pad
    sheet = np.full((height, width), 255, np.uint8)
    spans: list[tuple[int, int, tuple[int, int]]] = []
    y = pad
    for origin, crop in crops:
        h, w = crop.shape
        sheet[y : y + h, pad : pad + w] = crop
        spans.append((y, y + h, origin))
        y += h + gap
    # a crop is a few words in much paper: there, the paper's noise (a speck, a grey line left
    # of a rule) is what Tesseract's line finder groups with a lone digit and then drops whole
    sheet[sheet > PAPER] = 255
    out: list[PxWord] = []
    for word in ocr_words(sheet, dpi * zoom, psm=psm, whitelist=whitelist):
        cy = (word.top + word.bottom) / 2
        for a, b, (ox, oy) in spans:
            if a - gap / 2 <= cy < b + gap / 2:
                def back(v: float, at: int, origin: int) -> int:
                    return origin + round((v - at) / zoom)
                out.append(PxWord(word.text, back(word.x0, pad, ox), back(word.top, a, oy),
                                  back(word.x1, pad, ox), back(word.bottom, a, oy),
                                  word.line, word.confidence))
                break
    return out


def ocr_marks(crops: Sequence[Gray], dpi: float, zoom: float = 1.0, in_a_row: bool = False,
              ) -> list[tuple[str, float] | None]:
    """Each crop (a mark cut out alone on white paper) read on its own line of one sheet, in
    one Tesseract call: the text and confidence found for each crop (``None``: nothing).

    ``in_a_row``: the crops set side by side on one line instead, read as a line of text: a
    lone capital on a sheet read as a block is often not seen at all ("B"), on a line it is."""
    gap = 24
    scaled = [cv2.resize(c, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
              if zoom != 1.0 else c for c in crops if c.size]
    if len(scaled) != len(crops) or not scaled:
        return [None] * len(crops)
    along = 1 if in_a_row else 0  # the axis the crops follow each other on
    if in_a_row:  # a crop's width apart: Tesseract joins letters closer than that in a word
        gap = max(gap, max(c.shape[1] for c in scaled))
    across = max(c.shape[1 - along] for c in scaled) + 2 * gap
    length = sum(c.shape[along] + gap for c in scaled) + gap
    sheet = np.full((across, length) if in_a_row else (length, across), 255, np.uint8)
    spans = []
    at = gap
    for c in scaled:
        side = (across - c.shape[1 - along]) // 2 if in_a_row else gap
        h, w = c.shape
        if in_a_row:
            sheet[side:side + h, at:at + w] = c
        else:
            sheet[at:at + h, side:side + w] = c
        spans.append((at - gap / 2, at + c.shape[along] + gap / 2))
        at += c.shape[along] + gap
    sheet[sheet > PAPER] = 255
    found: list[list[PxWord]] = [[] for _ in scaled]
    for word in ocr_words(sheet, dpi * zoom, psm=7 if in_a_row else 6):
        centre = (word.x0 + word.x1) / 2 if in_a_row else (word.top + word.bottom) / 2
        for k, (a, b) in enumerate(spans):
            if a <= centre < b:
                found[k].append(word)
                break
    return [(" ".join(w.text for w in sorted(ws, key=lambda w: w.x0)),
             min(w.confidence for w in ws)) if ws else None for ws in found]


def parse_tsv(tsv: str) -> list[PxWord]:
    """Word rows (level 5) of Tesseract's TSV with a confidence worth keeping."""
    out: list[PxWord] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        try:
            conf = float(cols[10])
            block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
            left, top, width, height = (int(c) for c in cols[6:10])
        except ValueError:
            continue
        if not text or conf < MIN_CONFIDENCE:
            continue
        out.append(PxWord(text, left, top, left + width, top + height, (block, par, line), conf))
    return out
