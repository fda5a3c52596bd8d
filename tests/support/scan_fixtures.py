"""Scanned SOP pages with known truth: Alur's own SOP AP drawing, rasterised and degraded.

The official document drawn from an Sop model (:mod:`converters.drawing.document`) knows where
every symbol, role column and row is, in points. Rendering its pages at a scanner's dpi and
then spoiling them the way photocopies and phone scans do (a slight rotation, JPEG blocks, a
coloured round stamp over the table) gives scans whose truth is exact, written by this
project, with no third-party document to copy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import yaml

from converters.drawing.document import document_pages
from converters.drawing.page import Page as DrawnPage
from converters.drawing.page import render_pages
from converters.model import Sop
from converters.reading.drawn.picture import ShapeKind
from converters.reading.sop_file import read_sop

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = (
    ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt",
    ROOT / "examples" / "jateng-kesbangpol-penyusunan-iku.txt",
    ROOT / "tests" / "fixtures" / "sops" / "f-25-steps.yaml",
)
"""SOPs drawn as fixtures: a short one with two decisions, another agency's, a 25-step one."""

KINDS = {
    "rounded": ShapeKind.TERMINATOR,
    "box": ShapeKind.PROCESS,
    "diamond": ShapeKind.DECISION,
    "house": ShapeKind.CONNECTOR,
    "invhouse": ShapeKind.CONNECTOR,
}


@dataclass(frozen=True)
class TruthSymbol:
    """A drawn symbol: its kind, its step (0 for an off-page connector), role column, box (pt)."""

    kind: ShapeKind
    step: int
    column: int
    box: tuple[float, float, float, float]  # x0, top, x1, bottom
    cell: tuple[float, float, float, float]  # the (row, role column) cell it stands in


@dataclass(frozen=True)
class TruthPage:
    """What one flowchart page holds: its symbols and the number of arrows."""

    number: int
    symbols: tuple[TruthSymbol, ...]
    arrows: int


@dataclass(frozen=True)
class ScanFixture:
    """Encoded page images (PNG or JPEG, one per page) with the truth of each flowchart page."""

    sop: Sop
    images: tuple[bytes, ...]
    truth: tuple[TruthPage, ...]
    dpi: int


def load_sample(path: Path) -> Sop:
    """A sample SOP: YAML fixtures are model dumps (``Sop.from_dict``), texts are read."""
    if path.suffix == ".yaml":
        return Sop.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
    return read_sop(path)


def truth_of(page: DrawnPage) -> TruthPage:
    """The symbols of a drawn flowchart page, each with the cell of its row and role column."""
    boxes = {s.id: s for s in page.shapes}
    symbols: list[TruthSymbol] = []
    for s in page.shapes:
        if "symbol" in s.classes and s.id.startswith("step-") and s.id[5:].isdigit():
            step = int(s.id[5:])
            col = next(int(c[4:]) for c in s.classes if c.startswith("col-"))
            cell = boxes.get(f"cell-{step}-role-{col}")
            cbox = (cell.x, cell.y, cell.x + cell.w, cell.y + cell.h) if cell else (0, 0, 0, 0)
            symbols.append(
                TruthSymbol(KINDS[s.kind], step, col, (s.x, s.y, s.x + s.w, s.y + s.h), cbox)
            )
        elif "offpage" in s.classes:
            symbols.append(
                TruthSymbol(
                    ShapeKind.CONNECTOR, 0, -1, (s.x, s.y, s.x + s.w, s.y + s.h), (0, 0, 0, 0)
                )
            )
    return TruthPage(page.number, tuple(symbols), len(page.arrows))


def render_scan(
    sop: Sop,
    dpi: int = 200,
    rotate: float = 0.0,
    jpeg: int | None = None,
    stamp: bool = False,
    flow_only: bool = False,
) -> ScanFixture:
    """The SOP document as page images at ``dpi``, rotated by ``rotate``°, JPEG at quality
    ``jpeg`` (PNG when ``None``), with a red round stamp over the role columns if ``stamp``."""
    pages = document_pages(sop)
    if flow_only:
        pages = tuple(p for p in pages if p.kind == "flow")
    images: list[bytes] = []
    truths: list[TruthPage] = []
    for index, page in enumerate(pages):
        png = render_pages([page], "png", dpi=dpi)
        img = np.asarray(cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR))
        if stamp and page.kind == "flow":
            img = _stamp(img, dpi, seed=index)
        if rotate:
            img = _rotate(img, rotate)
        images.append(_encode(img, dpi, jpeg))
        if page.kind == "flow":
            truths.append(truth_of(page))
    return ScanFixture(sop, tuple(images), tuple(truths), dpi)


def as_pdf(fixture: ScanFixture) -> bytes:
    """The fixture's pages as an image-only PDF (no text layer), like a scanner makes."""
    from PIL import Image  # Pillow comes with pdfplumber

    frames = [Image.open(io.BytesIO(b)).convert("RGB") for b in fixture.images]
    out = io.BytesIO()
    frames[0].save(
        out, format="PDF", save_all=True, append_images=frames[1:], resolution=float(fixture.dpi)
    )
    return out.getvalue()


def _rotate(img: np.ndarray, degrees: float) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))


def _stamp(img: np.ndarray, dpi: int, seed: int) -> np.ndarray:
    """A red agency stamp (two rings and letters) over the role columns.

    Stamp ink is translucent: it tints the paper but leaves black print black, so it is
    blended by multiplication, as ink on paper does.
    """
    s = dpi / 72
    h, w = img.shape[:2]
    rng = np.random.default_rng(seed)
    cx = int(w * (0.35 + 0.1 * rng.random()))
    cy = int(h * (0.3 + 0.3 * rng.random()))
    ink = np.full_like(img, 255)
    colour = (70, 60, 220)  # BGR red
    cv2.circle(ink, (cx, cy), int(45 * s), colour, max(int(2 * s), 2))
    cv2.circle(ink, (cx, cy), int(32 * s), colour, max(int(1 * s), 1))
    cv2.putText(
        ink,
        "SATPOL PP",
        (cx - int(26 * s), cy + int(4 * s)),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.3 * s,
        colour,
        max(int(0.8 * s), 1),
    )
    return (img.astype(np.uint16) * ink.astype(np.uint16) // 255).astype(np.uint8)


def _encode(img: np.ndarray, dpi: int, jpeg: int | None) -> bytes:
    """PNG or JPEG bytes that state the dpi (a scanner writes it; the extractor reads it)."""
    from PIL import Image

    rgb = Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
    out = io.BytesIO()
    if jpeg is None:
        rgb.save(out, format="PNG", dpi=(dpi, dpi))
    else:
        rgb.save(out, format="JPEG", quality=jpeg, dpi=(dpi, dpi))
    return out.getvalue()


@dataclass(frozen=True)
class Score:
    """How many drawn symbols the extractor found of the right kind in the right cell."""

    symbols: int
    symbols_right: int
    decisions: int
    decisions_right: int
    arrows: int
    arrows_found: int
    arrows_with_head: int

    @property
    def symbol_rate(self) -> float:
        return self.symbols_right / self.symbols if self.symbols else 1.0

    @property
    def decision_rate(self) -> float:
        return self.decisions_right / self.decisions if self.decisions else 1.0


def score(fixture: ScanFixture, picture_pages: list) -> Score:
    """Compare the extracted pages (``Picture.pages`` of the flowchart pages) with the truth.

    A step symbol is right when a shape of its kind has its centre in the symbol's
    (row, role column) cell; that is what gives the step its role.
    """
    sym = right = dec = dec_right = arrows = found = heads = 0
    for truth, page in zip(fixture.truth, picture_pages, strict=True):
        arrows += truth.arrows
        drawn = [s for s in page.shapes if s.kind is ShapeKind.ARROW]
        found += len(drawn)
        heads += sum(1 for s in drawn if s.head is not None)
        for t in truth.symbols:
            if t.step == 0:
                continue
            x0, y0, x1, y1 = t.cell
            ok = any(
                s.kind is t.kind and x0 <= s.box.cx <= x1 and y0 <= s.box.cy <= y1
                for s in page.shapes
            )
            sym += 1
            right += ok
            if t.kind is ShapeKind.DECISION:
                dec += 1
                dec_right += ok
    return Score(sym, right, dec, dec_right, arrows, found, heads)


# -- end to end: the file read back to an Sop ------------------------------------------------

DAMAGES: dict[str, dict[str, object]] = {
    "clean": {},
    "rotated": {"rotate": 1.2},
    "jpeg": {"jpeg": 45},
    "stamp": {"stamp": True},
    "all": {"rotate": -0.8, "jpeg": 50, "stamp": True},
}
"""The degradations the end-to-end test and bench run: a scanner's skew (0.5–2°), heavy JPEG,
a red stamp over the role columns, and all three at once."""


def as_tiff(fixture: ScanFixture) -> bytes:
    """The fixture's pages as one multi-page TIFF (what office scanners write)."""
    from PIL import Image

    frames = [Image.open(io.BytesIO(b)).convert("RGB") for b in fixture.images]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:],
                   compression="tiff_deflate", dpi=(fixture.dpi, fixture.dpi))
    return out.getvalue()


@dataclass(frozen=True)
class EndToEnd:
    """How much of the drawn SOP came back: role columns, each step's role, its decision."""

    role_names: int
    role_names_right: int
    steps: int
    roles_right: int
    decisions: int
    decisions_right: int
    targets: int
    targets_right: int

    @property
    def role_rate(self) -> float:
        return self.roles_right / self.steps if self.steps else 1.0

    @property
    def decision_rate(self) -> float:
        return self.decisions_right / self.decisions if self.decisions else 1.0

    def __str__(self) -> str:
        return (f"columns {self.role_names_right}/{self.role_names} "
                f"roles {self.roles_right}/{self.steps} "
                f"decisions {self.decisions_right}/{self.decisions} "
                f"targets {self.targets_right}/{self.targets}")


def score_sop(truth: Sop, got: Sop) -> EndToEnd:
    """``got`` (read from the scan) against ``truth`` (the model it was drawn from).

    A step's role is right when it names the same column; a decision is right when both
    branch targets are (approve and reject, in that order); targets count each branch.
    """
    by_number = {s.number: s for s in got.steps}
    roles_right = decisions = decisions_right = targets = targets_right = 0
    for step in truth.steps:
        mine = by_number.get(step.number)
        roles_right += mine is not None and mine.role == step.role
        if step.decision is None:
            continue
        decisions += 1
        want = (step.decision.approve_to, step.decision.reject_to)
        have = (None, None) if mine is None or mine.decision is None else (
            mine.decision.approve_to, mine.decision.reject_to)
        decisions_right += want == have
        targets += 2
        targets_right += sum(a == b for a, b in zip(want, have, strict=True))
    names_right = sum(1 for r in truth.roles if r in got.roles)
    return EndToEnd(len(truth.roles), names_right, len(truth.steps), roles_right, decisions,
                    decisions_right, targets, targets_right)
