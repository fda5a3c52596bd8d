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
    photo: bool = False,
    faint: bool = False,
    yellow: bool = False,
    turn: int = 0,
    seed: int = 0,
) -> ScanFixture:
    """The SOP document as page images at ``dpi``, rotated by ``rotate``°, JPEG at quality
    ``jpeg`` (PNG when ``None``), with a red round stamp over the role columns if ``stamp``.

    The damages of other agencies' documents, each seeded by ``seed`` and the page's index:
    ``yellow`` (aged two-tone paper, :func:`_yellowed`), ``faint`` (a worn photocopy,
    :func:`_faint`), ``photo`` (a phone photograph of the page, :func:`_photo`; saved as
    JPEG at quality 85 unless ``jpeg`` says otherwise) and ``turn`` (the page scanned
    turned by 90, 180 or 270° counter-clockwise), applied in that order after the stamp and
    the rotation."""
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
        rng = np.random.default_rng((seed, index))
        if yellow:
            img = _yellowed(img, dpi, rng)
        if faint:
            img = _faint(img, dpi, rng)
        if photo:
            img = _photo(img, dpi, rng)
        if turn % 360:
            img = np.ascontiguousarray(np.rot90(img, k=(turn % 360) // 90))
        quality = jpeg if jpeg is not None or not photo else 85
        images.append(_encode(img, dpi, quality))
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


def _field(shape: tuple[int, int], rng: np.random.Generator, cells: int) -> np.ndarray:
    """Smooth random field in [0, 1] of ``shape``: noise on a ``cells``-wide grid, blown up
    bicubically (the slow variation of paper tone, toner density or light)."""
    h, w = shape
    small = rng.random((cells, max(int(cells * w / h), 2))).astype(np.float32)
    big = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    lo, hi = float(big.min()), float(big.max())
    return (big - lo) / max(hi - lo, 1e-6)


def _yellowed(img: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """Aged paper, two-toned: a yellowed sheet whose part that lay in a folder's open edge
    (or under the light) went darker, brownish towards the edges, with blotches.

    Paper ageing tints the whole sheet (blue falls most: yellow), unevenly (foxing blotches a
    few percent darker), and the exposed part more than the rest, with a soft boundary: two
    tones on one page. Print stays dark; ink multiplies with the paper as on a real sheet.
    """
    h, w = img.shape[:2]
    f = img.astype(np.float32) / 255.0
    tone_a = np.array([0.74, 0.89, 0.96], np.float32)  # BGR: pale yellow
    tone_b = np.array([0.60, 0.80, 0.90], np.float32)  # darker, browner
    # the boundary between the two tones: a soft edge across the page at a random place
    horizontal = bool(rng.integers(2))
    pos = 0.25 + 0.5 * rng.random()
    ramp = np.linspace(0.0, 1.0, h if horizontal else w, dtype=np.float32)
    soft = 1.0 / (1.0 + np.exp(-(ramp - pos) * 40.0))
    mix = (soft[:, None] if horizontal else soft[None, :]) * np.ones((h, w), np.float32)
    paper = tone_a[None, None, :] * (1 - mix[..., None]) + tone_b[None, None, :] * mix[..., None]
    blotch = 1.0 - 0.06 * _field((h, w), rng, 6)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    edge = np.minimum(np.minimum(xx, w - 1 - xx), np.minimum(yy, h - 1 - yy)) / (0.6 * dpi)
    vignette = 0.88 + 0.12 * np.clip(edge, 0, 1)
    out = f * paper * (blotch * vignette)[..., None]
    return np.clip(out * 255.0, 0, 255).astype(np.uint8)


def _faint(img: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """A worn photocopy of a photocopy: faint grey print, broken thin lines, speckles.

    A copier low on toner lays too little of it: black comes out mid-grey (here 120–165 of
    255, varying slowly over the page with the drum), and where toner is missing a thin
    stroke breaks (small round drop-outs, dense enough to cut 1-pt rulings and arrow shafts
    every few millimetres). The paper is copied grey-ish, and dust on the glass and drum
    leaves speckles: dark dots of one to a few pixels scattered over the page.
    """
    h, w = img.shape[:2]
    s = dpi / 200.0
    gray = img.astype(np.float32)
    darkness = 255.0 - gray  # 0 paper … 255 black
    strength = 0.35 + 0.17 * _field((h, w), rng, 5)  # black → 120..165
    # toner drop-outs: small discs where nothing is laid
    holes = np.zeros((h, w), np.uint8)
    count = int(h * w * 0.003 / (s * s))
    for x, y, r in zip(
        rng.integers(0, w, count),
        rng.integers(0, h, count),
        rng.integers(1, max(int(3 * s), 2) + 1, count),
        strict=True,
    ):
        cv2.circle(holes, (int(x), int(y)), int(r), 255, -1)
    # and thin patches a millimetre or two across, where the drum laid half as much
    thin = _field((h, w), rng, max(int(h / (8 * s)), 8)) > 0.8
    keep = (1.0 - 0.85 * (holes > 0).astype(np.float32)) * (1.0 - 0.5 * thin)
    out = 255.0 - darkness * strength[..., None] * keep[..., None]
    out -= 18.0 + 6.0 * _field((h, w), rng, 4)[..., None]  # grey copy of white paper
    out = np.asarray(cv2.GaussianBlur(out, (0, 0), 0.6 * s), np.float64)
    # speckles: dust and drum scratches
    spots = int(h * w * 0.00025 / (s * s))
    for x, y, r, v in zip(
        rng.integers(0, w, spots),
        rng.integers(0, h, spots),
        rng.integers(0, max(int(1.5 * s), 1) + 1, spots),
        rng.integers(40, 140, spots),
        strict=True,
    ):
        cv2.circle(out, (int(x), int(y)), int(r), (float(v),) * 3, -1)
    out += rng.normal(0.0, 5.0, out.shape[:2])[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _photo(img: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """The page photographed with a phone on a desk instead of scanned.

    The camera is held a little off the page's normal: the page is a keystoned quadrilateral
    (its far edge a few percent shorter, each corner moved by up to 2 % of the page's size,
    so its sides slant by 1–3°), turned a little, and smaller than the frame, which shows the
    desk around it (a dark, uneven brown). Room light falls off across the page (a gradient
    to about 70 %) and the phone or the hand casts a soft shadow over one part. The lens
    blurs slightly, the sensor adds noise, and the phone saves a JPEG (see
    :func:`render_scan`).
    """
    h, w = img.shape[:2]
    s = dpi / 200.0
    margin = 0.05 + 0.04 * rng.random()
    ch, cw = int(h * (1 + 2 * margin)), int(w * (1 + 2 * margin))
    desk_tone = np.array([55, 80, 110], np.float32)  # BGR brown
    desk = desk_tone[None, None, :] * (0.75 + 0.5 * _field((ch, cw), rng, 8))[..., None]
    desk += rng.normal(0.0, 6.0, (ch, cw))[..., None]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    ox, oy = (cw - w) / 2, (ch - h) / 2
    far = 0.02 + 0.02 * rng.random()  # keystone: the top edge shorter by 4–8 %
    dst = np.array(
        [[ox + far * w, oy], [ox + w - far * w, oy], [ox + w, oy + h], [ox, oy + h]], np.float32
    )
    dst += rng.uniform(-0.012, 0.012, (4, 2)).astype(np.float32) * np.array([w, h], np.float32)
    turn = np.radians(rng.uniform(-2.0, 2.0))
    centre = np.array([cw / 2, ch / 2], np.float32)
    rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]], np.float32)
    dst = np.asarray((dst - centre) @ rot.T + centre, np.float32)
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    page = cv2.warpPerspective(
        img,
        m,
        (cw, ch),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    inside = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (cw, ch)) > 127
    out = np.where(inside[..., None], page.astype(np.float32), desk)
    # light: a linear fall-off in a random direction and a soft shadow
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    a = rng.uniform(0, 2 * np.pi)
    along = (np.cos(a) * (xx - cw / 2) + np.sin(a) * (yy - ch / 2)) / max(cw, ch)
    light = 0.85 - 0.3 * along
    sx, sy = rng.uniform(0.2, 0.8) * cw, rng.uniform(0.2, 0.8) * ch
    shadow = np.zeros((ch, cw), np.float32)
    cv2.ellipse(
        shadow,
        (int(sx), int(sy)),
        (int(0.35 * cw), int(0.2 * ch)),
        float(rng.uniform(0, 180)),
        0,
        360,
        1.0,
        -1,
    )
    shadow = _soft(shadow, 0.08 * max(cw, ch))
    light = light * (1.0 - 0.25 * shadow)
    out = out * np.clip(light, 0.45, 1.05)[..., None]
    out = np.asarray(cv2.GaussianBlur(out, (0, 0), 0.8 * s), out.dtype)
    out += rng.normal(0.0, 4.0, out.shape[:2])[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _soft(field: np.ndarray, sigma: float, k: int = 8) -> np.ndarray:
    """``field`` blurred with a Gaussian of ``sigma`` px, worked on a ``k`` times smaller copy.

    Why: the shadow's blur is a fifth of the page wide; at full size its kernel cost a minute
    a photographed page at 200 dpi (most of the test suite's slowest test). The field is
    smooth, so the small copy gives the same light to within a fifth of a grey level."""
    h, w = field.shape[:2]
    small = cv2.resize(field, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / k)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), np.float32)


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

MORE_DAMAGES: dict[str, dict[str, object]] = {
    "skewed": {"rotate": -3.7},
    "yellow": {"yellow": True},
    "faint": {"faint": True},
    "photo": {"photo": True},
    "upside": {"turn": 180},
    "sideways": {"turn": 90},
}
"""What other agencies' documents look like beyond :data:`DAMAGES` (the bench runs both; the
test slice a few): a page laid crooked on the scanner (2–5°, past ``rotated``'s 1.2°), aged
two-tone paper, a faint worn photocopy, a phone photograph (keystone, uneven light, desk
around the page, blur, JPEG), and a page scanned upside down or on its side. Low resolution
is not a damage but a dpi: the bench runs 100 and 150 dpi as well."""


def as_tiff(fixture: ScanFixture) -> bytes:
    """The fixture's pages as one multi-page TIFF (what office scanners write)."""
    from PIL import Image

    frames = [Image.open(io.BytesIO(b)).convert("RGB") for b in fixture.images]
    out = io.BytesIO()
    frames[0].save(
        out,
        format="TIFF",
        save_all=True,
        append_images=frames[1:],
        compression="tiff_deflate",
        dpi=(fixture.dpi, fixture.dpi),
    )
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
        return (
            f"columns {self.role_names_right}/{self.role_names} "
            f"roles {self.roles_right}/{self.steps} "
            f"decisions {self.decisions_right}/{self.decisions} "
            f"targets {self.targets_right}/{self.targets}"
        )


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
        have = (
            (None, None)
            if mine is None or mine.decision is None
            else (mine.decision.approve_to, mine.decision.reject_to)
        )
        decisions_right += want == have
        targets += 2
        targets_right += sum(a == b for a, b in zip(want, have, strict=True))
    names_right = sum(1 for r in truth.roles if r in got.roles)
    return EndToEnd(
        len(truth.roles),
        names_right,
        len(truth.steps),
        roles_right,
        decisions,
        decisions_right,
        targets,
        targets_right,
    )
