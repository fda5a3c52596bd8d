"""Vector-PDF SOP AP tables drawn from an Sop model (the truth), in the templates real SOPs use.

The drawn reader (:mod:`converters.reading.drawn`) is built against a corpus the project may
not ship; these fixtures are the project's own, with known truth. :func:`draw` lays the SOP
out as the Permenpan RB 35/2012 table (``No`` | activity | one column per role | Mutu Baku |
Keterangan) and paints it with reportlab as real documents are painted: rulings as lines (or
rectangles), symbols as closed outlines (capsule for the first and last step, box, diamond,
pentagon off-page connectors), arrows as open polylines with filled triangle heads, branch
labels as free text beside each branch's first stretch. A :class:`Template` picks the
variations the corpus README lists (titles, Mutu Buku, a numbered header row, no Pelaksana
title, page size, font, page breaks with or without a repeated header, an unnumbered row).

Routing keeps every arrow end on a symbol or on the head of another arrow, so the truth of
every branch is exactly the Sop's: forward to the next row goes down from the bottom, anything
else runs along a lane inside the source column and enters its target from above; a branch to
the end is a short stub into empty space. Page breaks fall where no branch crosses (only the
plain flow does, through a pair of connectors with one label).

:func:`random_sop` makes a seeded SOP (3–30 steps, 2–8 real jabatan); :data:`HAND` holds a few
written by hand; :func:`cases` pairs them with templates for the tests and the bench.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from converters.model import END, Decision, Identity, Sop, Step, StepRef
from converters.reading.durations import parse_duration

Pt = tuple[float, float]
SOPS = Path(__file__).resolve().parents[1] / "fixtures" / "sops"

ROLES = ("Kepala Dinas", "Sekretaris", "Kepala Bidang", "Kasubbag Umum", "Kepala Seksi", "Staf",
         "Pengadministrasi Umum", "Bendahara", "Pejabat Pembuat Komitmen", "Pemohon",
         "Kepala Sub Bagian Keuangan", "Arsiparis", "Kasi Pelayanan", "Kabid Anggaran")
LABELS = (("Ya", "Tidak"), ("Y", "T"), ("Ada", "Tidak"), ("Lengkap", "Tidak lengkap"),
          ("Setuju", "Tidak setuju"), ("Teknis", "Administratif"), ("Sesuai", "Tidak"))
QUESTIONS = ("Sesuai?", "Lengkap?", "Setuju?", "Benar?", "Jenis?", "Ada?")
VERBS = ("Menerima", "Memeriksa", "Mengagendakan", "Mendisposisikan", "Menyusun", "Memverifikasi",
         "Menandatangani", "Mengarsipkan", "Menyampaikan", "Mengoreksi", "Mencatat", "Menelaah")
OBJECTS = ("surat masuk", "berkas permohonan", "konsep laporan", "nota dinas", "dokumen SPJ",
           "usulan kegiatan", "draf keputusan", "rekapitulasi data", "lembar disposisi")
TIMES = ("5 menit", "10 menit", "15 Menit", "30 menit", "1 jam", "2 jam", "1 hari", "2 hari kerja",
         "5-10 menit", "1 minggu")
OUTPUTS = ("Surat", "Disposisi", "Berkas", "Laporan", "Nota dinas", "Dokumen", "Agenda", "SPJ")


@dataclass(frozen=True)
class Template:
    """How the table is drawn: titles, page, font and page breaks (the corpus's variants)."""

    name: str
    activity: str = "Kegiatan"
    mutu: str = "Mutu Baku"
    requirements: str = "Kelengkapan"
    pelaksana: bool = True  # a "Pelaksana" title over the role columns
    index_row: bool = False  # a numbered header row (1)…(n)
    page: tuple[float, float] = (841.89, 595.28)  # A4 landscape
    font: str = "Helvetica"
    rows_per_page: int = 0  # 0: as many as fit
    repeat_header: bool = True  # continuation pages repeat the header rows
    rect_cells: bool = False  # rulings drawn as one rectangle per cell instead of lines
    unnumbered_after: int = 0  # an unnumbered continuation row after this step (0: none)


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("a4-kegiatan"),
    Template("letter-aktivitas", activity="Aktivitas", requirements="Persyaratan/Perlengkapan",
             page=(792.0, 612.0), font="Times-Roman", pelaksana=False),
    Template("f4-uraian", activity="Uraian Prosedur", mutu="Mutu Buku", index_row=True,
             page=(935.43, 609.45), rect_cells=True),
    Template("legal-paged", page=(1008.0, 612.0), rows_per_page=4, font="Times-Roman",
             requirements="Persyaratan/Kelengkapan"),
    Template("a4-paged-bare", rows_per_page=5, repeat_header=False, index_row=True,
             mutu="Mutu Buku", pelaksana=False),
)}


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"


def random_sop(seed: int) -> Sop:
    """A seeded SOP: 3–30 steps over 2–8 roles, decisions with every label style, reject
    loops 1–3 steps back, jumps ahead, branches to the end, joint work (``other_roles``)."""
    rng = random.Random(seed)
    n_roles = rng.randint(2, 8)
    roles = tuple(rng.sample(ROLES, n_roles))
    n = rng.randint(3, 30)
    steps: list[Step] = []
    for i in range(1, n + 1):
        col = rng.randrange(n_roles)
        decision = None
        if 2 < i < n and n_roles >= 2 and rng.random() < 0.25 and not (
                steps and steps[-1].decision):
            col = rng.randrange(n_roles - 1)  # never the last column: labels go right
            labels = rng.choice(LABELS)
            nxt: StepRef = i + 1
            kind = rng.random()
            if kind < 0.5:
                other: StepRef = max(1, i - rng.randint(1, 3))  # the reject loop back
            elif kind < 0.75 and i + 2 < n:
                other = i + 2  # a jump ahead
            else:
                other = END
            approve, reject = (nxt, other) if rng.random() < 0.7 else (other, nxt)
            decision = Decision(approve, reject, labels, rng.choice(QUESTIONS))
        others: tuple[str, ...] = ()
        if decision is None and rng.random() < 0.15 and n_roles >= 3:
            others = tuple(r for r in rng.sample(roles, 2) if r != roles[col])[:1]
        steps.append(Step(
            number=i, activity=_sentence(rng) if i > 1 else "Mulai: " + _sentence(rng),
            role=roles[col], other_roles=others,
            requirements=rng.choice(("Surat", "Berkas lengkap", "Formulir", "-")),
            duration=parse_duration(rng.choice(TIMES)), output=rng.choice(OUTPUTS),
            notes=rng.choice(("", "", "Arsip", "Paraf")), decision=decision))
    return Sop(Identity(number=f"SOP-{seed:03d}", name=f"Prosedur Uji {seed}"), roles,
               tuple(steps))


def _step(n: int, role: str, act: str, waktu: str, out: str, decision: Decision | None = None,
          others: tuple[str, ...] = ()) -> Step:
    return Step(n, act, role, others, requirements="Berkas", duration=parse_duration(waktu),
                output=out, decision=decision)


HAND: dict[str, Sop] = {
    "surat-masuk": Sop(Identity(name="Pengelolaan Surat Masuk"), (
        "Pengadministrasi Umum", "Kasubbag Umum", "Sekretaris", "Kepala Dinas"), (
        _step(1, "Pengadministrasi Umum", "Menerima dan mencatat surat masuk", "5 menit",
              "Agenda"),
        _step(2, "Kasubbag Umum", "Memeriksa kelengkapan surat", "10 menit", "Surat",
              Decision(3, 1, ("Lengkap", "Tidak lengkap"), "Lengkap?")),
        _step(3, "Sekretaris", "Menelaah surat dan memberi catatan", "15 menit", "Catatan",
              others=("Kasubbag Umum",)),
        _step(4, "Sekretaris", "Menentukan jenis tindak lanjut", "10 menit", "Catatan",
              Decision(5, 6, ("Teknis", "Administratif"), "Jenis?")),
        _step(5, "Kepala Dinas", "Mendisposisikan surat ke bidang teknis", "1 hari",
              "Disposisi"),
        _step(6, "Pengadministrasi Umum", "Mengarsipkan surat", "5 menit", "Arsip"),
    )),
    "persetujuan": Sop(Identity(name="Persetujuan Cuti"), (
        "Pemohon", "Staf", "Kepala Seksi", "Kepala Bidang"), (
        _step(1, "Pemohon", "Mengajukan permohonan cuti", "5 menit", "Formulir"),
        _step(2, "Staf", "Memverifikasi berkas permohonan", "30 menit", "Berkas",
              Decision(3, END, ("Ada", "Tidak"), "Ada?")),
        _step(3, "Kepala Seksi", "Memberi paraf persetujuan", "1 jam", "Paraf"),
        _step(4, "Kepala Bidang", "Menyetujui permohonan", "1 hari", "Surat",
              Decision(5, 2, ("Setuju", "Tidak setuju"), "Setuju?")),
        _step(5, "Staf", "Menyampaikan surat cuti kepada pemohon", "2 hari kerja",
              "Surat cuti", others=("Pemohon",)),
    )),
    "yt-long": Sop(Identity(name="Penyusunan Laporan"), (
        "Kepala Bidang", "Kepala Seksi", "Staf", "Bendahara"), tuple(
        _step(i, ("Staf", "Kepala Seksi", "Kepala Bidang", "Bendahara")[i % 4],
              f"Langkah {i}: menyusun bagian laporan", "1 jam", "Laporan",
              Decision(i + 1, i - 1, ("Y", "T"), "Benar?") if i in (4, 9) else None)
        for i in range(1, 14))),
}


# --- layout ---------------------------------------------------------------------------------

MARGIN = 28.0
NO_W, NOTES_W = 22.0, 52.0
MUTU_W = (62.0, 44.0, 54.0)
HEAD_H, ROW_MIN = 18.0, 60.0
FS = 6.5  # body font size
SYM_H = {"terminator": 18.0, "process": 20.0, "decision": 26.0}
CON_W, CON_H = 12.0, 10.0
HEAD_LEN = 4.5


@dataclass
class _Sym:
    step: int
    role: str
    kind: str
    x: float  # centre
    y: float  # centre, page coordinates from the top
    w: float
    h: float
    page: int
    text: str = ""

    @property
    def top(self) -> float:
        return self.y - self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h / 2

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2


@dataclass
class _Arrow:
    page: int
    points: list[Pt]
    head: bool = True
    label: str = ""


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        elif stringWidth(word, font, size) > width and "/" in word.strip("/"):
            # a word wider than its cell breaks after its slash ("Persyaratan/ Kelengkapan"),
            # as a word processor wraps it: never drawn over the neighbouring cell
            head, _, tail = word.partition("/")
            lines += _wrap(f"{head}/", width, font, size) + _wrap(tail, width, font, size)
        else:
            lines.append(word)
    return lines


def normalised(sop: Sop) -> Sop:
    """The SOP as the drawing states it: a decision whose labels say nothing of yes or no
    (Teknis / Administratif) is read in reading order, so its first branch is the one drawn
    first (left, right, then down). The truth is adjusted, never the reader."""
    from converters.reading.drawn.interpret.interpreter import _NEGATIVE

    steps = []
    for s in sop.steps:
        d = s.decision
        if d is not None:
            neg = [bool(_NEGATIVE.match(label)) for label in d.labels]
            exits = _exits(sop, s)
            order = {"left": 0, "right": 1, "bottom": 2}
            if (neg[0] == neg[1] and order[exits[0]] > order[exits[1]]) or (neg[0] and not neg[1]):
                d = replace(d, approve_to=d.reject_to, reject_to=d.approve_to,
                            labels=(d.labels[1], d.labels[0]))
            s = replace(s, decision=d)
        steps.append(s)
    return replace(sop, steps=tuple(steps))


def _exits(sop: Sop, s: Step) -> tuple[str, str]:
    """Which vertex each branch (approve, reject) leaves from."""
    assert s.decision is not None
    col = sop.roles.index(s.role)
    nxt = s.number + 1
    targets = (s.decision.approve_to, s.decision.reject_to)
    kinds = ["end" if t == END else "next" if t == nxt else "other" for t in targets]
    out = ["", ""]
    for i, k in enumerate(kinds):
        if k == "next":
            out[i] = "bottom"
        elif k == "other":
            out[i] = "right"
    for i, k in enumerate(kinds):
        if k == "end":
            free = [e for e in (("left",) if col > 0 else ()) + ("bottom", "right")
                    if e not in out]
            out[i] = free[0]
    return out[0], out[1]


def _page_breaks(sop: Sop, capacity: int, most: int) -> list[int]:
    """Indices of the first step of each page: at most ``capacity`` rows a page, where no
    branch (other than the plain next-row flow) crosses when such a break exists within
    ``most`` rows; else at ``capacity``, and the branches cut go over off-page connectors."""
    spans = []
    for s in sop.steps:
        if s.decision is not None:
            for t in (s.decision.approve_to, s.decision.reject_to):
                if t != END and t != s.number + 1:
                    spans.append((min(s.number, int(t)), max(s.number, int(t))))
    numbers = [s.number for s in sop.steps]
    starts = [0]
    while len(numbers) - starts[-1] > capacity:
        start = starts[-1]
        cut = None
        for k in range(start + capacity, start, -1):  # first step on the next page: numbers[k]
            a, b = numbers[k - 1], numbers[k]
            if not any(lo <= a and b <= hi for lo, hi in spans):
                cut = k
                break
        for k in range(start + capacity + 1, min(start + most + 1, len(numbers))):
            if cut is not None:
                break
            a, b = numbers[k - 1], numbers[k]
            if not any(lo <= a and b <= hi for lo, hi in spans):
                cut = k  # a longer page rather than a branch crossing pages
        if cut is None:
            cut = start + capacity  # every break cuts a branch: it goes over connectors
        starts.append(cut)
    return starts


@dataclass
class _Layout:
    widths: list[float]
    x0: float
    syms: list[_Sym]
    arrows: list[_Arrow]
    connectors: list[tuple[int, float, float, str, bool]]  # page, cx, cy, label, points down
    pages: list[list[tuple[int, float, float]]]  # per page: (step index or -1, top, bottom)
    heads: list[tuple[float, float]]  # per page: (table top, header bottom)


def _layout(sop: Sop, t: Template) -> _Layout:
    n = len(sop.roles)
    pw, ph = t.page
    usable = pw - 2 * MARGIN
    fixed = NO_W + sum(MUTU_W) + NOTES_W
    role_w = min(78.0, max(46.0, (usable - fixed - 120) / n))
    act_w = usable - fixed - role_w * n
    widths = [NO_W, act_w, *([role_w] * n), *MUTU_W, NOTES_W]
    x0 = MARGIN
    col_x = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
    head_rows = 2 + (1 if t.index_row else 0)
    role_lines = max([len(_wrap(r, role_w - 4, t.font, FS)) for r in sop.roles]
                     + [len(_wrap(t.requirements, MUTU_W[0] - 4, t.font, FS))])
    head_h = HEAD_H * (head_rows - 1) + max(HEAD_H, role_lines * (FS + 1.5) + 6)
    heights = []
    for s in sop.steps:
        lines = max(len(_wrap(s.activity, act_w - 4, t.font, FS)),
                    len(_wrap(s.requirements, MUTU_W[0] - 4, t.font, FS)),
                    len(_wrap(s.output, MUTU_W[2] - 4, t.font, FS)))
        heights.append(max(ROW_MIN, lines * (FS + 1.5) + 8))
    top0 = MARGIN + 30  # the title above the table on the first page
    fit = int((ph - top0 - MARGIN - head_h) // ROW_MIN)
    capacity = min(t.rows_per_page or fit, fit)
    starts = _page_breaks(sop, max(capacity - (1 if t.unnumbered_after else 0), 2),
                          fit - (1 if t.unnumbered_after else 0))
    pages: list[list[tuple[int, float, float]]] = []
    heads: list[tuple[float, float]] = []
    for p, start in enumerate(starts):
        end = starts[p + 1] if p + 1 < len(starts) else len(sop.steps)
        top = top0 if p == 0 else MARGIN
        header = p == 0 or t.repeat_header
        y = top + (head_h if header else 0)
        heads.append((top, y))
        rows = []
        for i in range(start, end):
            rows.append((i, y, y + heights[i]))
            y += heights[i]
            if sop.steps[i].number == t.unnumbered_after:
                rows.append((-1, y, y + 30))
                y += 30
        pages.append(rows)
    where: dict[int, tuple[int, float, float]] = {}
    for p, rows in enumerate(pages):
        for i, a, b in rows:
            if i >= 0:
                where[i] = (p, a, b)
    syms: list[_Sym] = []
    main: dict[int, _Sym] = {}
    last = len(sop.steps) - 1
    for i, s in enumerate(sop.steps):
        kind = "decision" if s.decision else "terminator" if i in (0, last) else "process"
        p, a, b = where[i]
        h = SYM_H[kind]
        w = min(role_w - 16, 40.0 if kind == "decision" else 36.0)
        for role in (s.role, *s.other_roles):
            c = 2 + sop.roles.index(role)
            first_on_page = p > 0 and pages[p][0][0] == i  # leaves room for a connector
            sym = _Sym(s.number, role, kind, (col_x[c] + col_x[c + 1]) / 2,
                       a + (36 if first_on_page else 26), w, h, p,
                       s.decision.question if s.decision and role == s.role else "")
            syms.append(sym)
            if role == s.role:
                main[s.number] = sym
    arrows: list[_Arrow] = []
    connectors: list[tuple[int, float, float, str, bool]] = []
    lane = 0
    labels = _letters()
    for i, s in enumerate(sop.steps):
        src = main[s.number]
        col_right = col_x[3 + sop.roles.index(s.role)]
        col_left = col_x[2 + sop.roles.index(s.role)]
        if s.decision is None:
            if i < last:
                arrows += _forward(src, main[sop.steps[i + 1].number], connectors, labels)
            continue
        d = s.decision
        for target, exit_, label in zip((d.approve_to, d.reject_to), _exits(sop, s), d.labels,
                                        strict=True):
            lane += 1
            if target == END:
                stub = {"left": [(src.left, src.y), (src.left - 12, src.y)],
                        "right": [(src.right, src.y), (src.right + 12, src.y)],
                        "bottom": [(src.x, src.bottom), (src.x, src.bottom + 12)]}[exit_]
                arrows.append(_Arrow(src.page, stub, True, label))
                continue
            dst = main[int(target)]
            if exit_ != "bottom" and dst.page != src.page:
                arrows += _off_page(sop, src, dst, exit_, label, connectors, next(labels))
                continue
            if exit_ == "bottom":
                arr = _forward(src, dst, connectors, labels)
                arr[0].label = label
                arrows += arr
                continue
            offset = 3.0 + 2.0 * (lane % 3)
            lx = col_right - offset if exit_ == "right" else col_left + offset
            start = (src.right, src.y) if exit_ == "right" else (src.left, src.y)
            above = dst.top - 10.0 - 1.5 * (lane % 3)  # clear of the head
            arrows.append(_Arrow(src.page, [start, (lx, src.y), (lx, above), (dst.x, above),
                                            (dst.x, dst.top)], True, label))
    return _Layout(widths, x0, syms, arrows, connectors, pages, heads)


def _letters() -> Iterator[str]:
    """Connector labels: A, B, ... Z, then AA, AB, ..."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    yield from alphabet
    for a in alphabet:
        for b in alphabet:
            yield a + b


def _off_page(sop: Sop, src: _Sym, dst: _Sym, exit_: str, label: str,
              connectors: list[tuple[int, float, float, str, bool]], letter: str,
              ) -> list[_Arrow]:
    """A branch to a step on another page (no page break avoided it): out of the diamond's
    side and down into a connector in the diamond's row; on the target's page, from a
    connector with the same letter beside the target into its free side."""
    side = 1 if exit_ == "right" else -1
    start = (src.right, src.y) if side > 0 else (src.left, src.y)
    lx = start[0] + 10 * side
    connectors.append((src.page, lx, src.y + 8 + CON_H / 2, letter, True))
    out = [_Arrow(src.page, [start, (lx, src.y), (lx, src.y + 8)], True, label)]
    target = next(s for s in sop.steps if s.number == dst.step)
    free = "right"
    if target.decision is not None:
        used = _exits(sop, target)
        free = "left" if "left" not in used else "right" if "right" not in used else "top"
    elif sop.roles.index(target.role) > 0:
        free = "left"
    into = {"left": (dst.left, dst.y), "right": (dst.right, dst.y),
            "top": (dst.left + dst.w / 4, dst.top + dst.h / 4)}[free]
    into_side = 1 if free == "right" else -1
    cx = into[0] + into_side * (8 + CON_W / 2)
    connectors.append((dst.page, cx, into[1], letter, True))
    out.append(_Arrow(dst.page, [(cx - into_side * CON_W / 2, into[1]), into], True))
    return out


def _forward(src: _Sym, dst: _Sym, connectors: list[tuple[int, float, float, str, bool]],
             labels: Iterator[str]) -> list[_Arrow]:
    """The plain flow to the next row: down, across in the gap above the target, down into
    it; through a pair of off-page connectors when the target is on the next page."""
    if dst.page != src.page:
        label = next(labels)
        cy = src.bottom + 4 + CON_H / 2 + HEAD_LEN
        connectors.append((src.page, src.x, cy, label, True))
        connectors.append((dst.page, dst.x, dst.top - 8 - CON_H / 2, label, True))
        return [_Arrow(src.page, [(src.x, src.bottom), (src.x, cy - CON_H / 2)]),
                _Arrow(dst.page, [(dst.x, dst.top - 8), (dst.x, dst.top)])]
    if abs(src.x - dst.x) < 0.5 and dst.top > src.bottom:
        return [_Arrow(src.page, [(src.x, src.bottom), (dst.x, dst.top)])]
    gap = dst.top - 7.0
    return [_Arrow(src.page, [(src.x, src.bottom), (src.x, gap), (dst.x, gap),
                              (dst.x, dst.top)])]


# --- painting -------------------------------------------------------------------------------


def draw(sop: Sop, template: Template) -> bytes:
    """The SOP AP table as a vector PDF in ``template``'s form."""
    from reportlab.pdfgen.canvas import Canvas

    t = template
    lay = _layout(sop, t)
    _pw, ph = t.page
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=t.page, invariant=True)
    c.setTitle(sop.identity.name)
    col_x = [lay.x0 + sum(lay.widths[:i]) for i in range(len(lay.widths) + 1)]
    n = len(sop.roles)

    def Y(y: float) -> float:
        return ph - y

    def text(s: str, x: float, y: float, size: float = FS, centre: bool = False) -> None:
        c.setFont(t.font, size)
        if centre:
            c.drawCentredString(x, Y(y), s)
        else:
            c.drawString(x, Y(y), s)

    def cell_text(s: str, i: int, top: float, centre: bool = False) -> None:
        w = col_x[i + 1] - col_x[i] - 4
        for k, line in enumerate(_wrap(s, w, t.font, FS)):
            if centre:
                text(line, (col_x[i] + col_x[i + 1]) / 2, top + 4 + FS + k * (FS + 1.5), FS,
                     True)
            else:
                text(line, col_x[i] + 2, top + 4 + FS + k * (FS + 1.5))

    def box(x0: float, top: float, x1: float, bottom: float) -> None:
        if t.rect_cells:
            c.rect(x0, Y(bottom), x1 - x0, bottom - top, stroke=1, fill=0)
        else:
            c.line(x0, Y(top), x1, Y(top))
            c.line(x0, Y(bottom), x1, Y(bottom))
            c.line(x0, Y(top), x0, Y(bottom))
            c.line(x1, Y(top), x1, Y(bottom))

    for p, rows in enumerate(lay.pages):
        c.setLineWidth(0.6)
        top, hbot = lay.heads[p]
        if p == 0:
            text("STANDAR OPERASIONAL PROSEDUR", MARGIN, MARGIN + 8, 9)
            text(f"Nama SOP: {sop.identity.name}", MARGIN, MARGIN + 20, 8)
        if hbot > top:
            _header(sop, t, lay, col_x, top, hbot, box, cell_text, text)
        for i, a, b in rows:
            for k in range(len(lay.widths)):
                box(col_x[k], a, col_x[k + 1], b)
            if i < 0:
                cell_text("(lanjutan) beserta lampiran pendukung", 1, a)
                continue
            s = sop.steps[i]
            cell_text(str(s.number), 0, a, centre=True)
            cell_text(s.activity, 1, a)
            for k, v in enumerate((s.requirements, s.duration.text, s.output, s.notes)):
                cell_text(v, 2 + n + k, a)
        c.setLineWidth(0.8)
        for sym in lay.syms:
            if sym.page == p:
                _symbol(c, sym, Y, t.font)
        for page, cx, cy, label, _down in lay.connectors:
            if page == p:
                pts = [(cx - CON_W / 2, cy - CON_H / 2), (cx + CON_W / 2, cy - CON_H / 2),
                       (cx + CON_W / 2, cy + 1), (cx, cy + CON_H / 2),
                       (cx - CON_W / 2, cy + 1)]
                _polygon(c, pts, Y)
                text(label, cx, cy + 1.5, 5.5, True)
        for arr in lay.arrows:
            if arr.page == p:
                _arrow(c, arr, Y)
                if arr.label:
                    _label(c, arr, Y, t.font)
        c.showPage()
    c.save()
    return buf.getvalue()


def _header(sop: Sop, t: Template, lay: _Layout, col_x: list[float], top: float, hbot: float,
            box, cell_text, text) -> None:  # type: ignore[no-untyped-def]
    n = len(sop.roles)
    idx = HEAD_H if t.index_row else 0.0
    body = hbot - idx
    mid = top + HEAD_H
    box(col_x[0], top, col_x[1], body)
    cell_text("No", 0, top + (body - top) / 2 - 6, centre=True)
    box(col_x[1], top, col_x[2], body)
    cell_text(t.activity, 1, top + (body - top) / 2 - 6, centre=True)
    if t.pelaksana:
        box(col_x[2], top, col_x[2 + n], mid)
        text("Pelaksana", (col_x[2] + col_x[2 + n]) / 2, top + 12, FS, True)
        role_top = mid
    else:
        role_top = top
    for k, role in enumerate(sop.roles):
        box(col_x[2 + k], role_top, col_x[3 + k], body)
        cell_text(role, 2 + k, role_top + 2, centre=True)
    m0 = 2 + n
    box(col_x[m0], top, col_x[m0 + 3], mid)
    text(t.mutu, (col_x[m0] + col_x[m0 + 3]) / 2, top + 12, FS, True)
    for k, title in enumerate((t.requirements, "Waktu", "Output")):
        box(col_x[m0 + k], mid, col_x[m0 + k + 1], body)
        cell_text(title, m0 + k, mid + 2, centre=True)
    box(col_x[m0 + 3], top, col_x[m0 + 4], body)
    cell_text("Keterangan", m0 + 3, top + (body - top) / 2 - 6, centre=True)
    if t.index_row:
        for k in range(len(lay.widths)):
            box(col_x[k], body, col_x[k + 1], hbot)
            cell_text(f"({k + 1})", k, body + 2, centre=True)


def _polygon(c, pts: list[Pt], Y) -> None:  # type: ignore[no-untyped-def]
    path = c.beginPath()
    path.moveTo(pts[0][0], Y(pts[0][1]))
    for x, y in pts[1:]:
        path.lineTo(x, Y(y))
    path.close()
    c.setFillGray(1)
    c.drawPath(path, stroke=1, fill=1)
    c.setFillGray(0)


def _symbol(c, s: _Sym, Y, font: str) -> None:  # type: ignore[no-untyped-def]
    if s.kind == "terminator":
        c.setFillGray(1)
        c.roundRect(s.left, Y(s.bottom), s.w, s.h, s.h / 2, stroke=1, fill=1)
        c.setFillGray(0)
    elif s.kind == "process":
        c.setFillGray(1)
        c.rect(s.left, Y(s.bottom), s.w, s.h, stroke=1, fill=1)
        c.setFillGray(0)
    else:
        _polygon(c, [(s.x, s.top), (s.right, s.y), (s.x, s.bottom), (s.left, s.y)], Y)
        if s.text:
            c.setFont(font, 5.5)
            c.drawCentredString(s.x, Y(s.y + 2), s.text)


def _arrow(c, a: _Arrow, Y) -> None:  # type: ignore[no-untyped-def]
    pts = list(a.points)
    (x0, y0), (x1, y1) = pts[-2], pts[-1]
    length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 0.01)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    base = (x1 - ux * HEAD_LEN, y1 - uy * HEAD_LEN)
    line = [*pts[:-1], base] if a.head else pts
    path = c.beginPath()
    path.moveTo(line[0][0], Y(line[0][1]))
    for x, y in line[1:]:
        path.lineTo(x, Y(y))
    c.drawPath(path, stroke=1, fill=0)
    if a.head:
        px, py = -uy * 2.2, ux * 2.2
        tri = c.beginPath()
        tri.moveTo(x1, Y(y1))
        tri.lineTo(base[0] + px, Y(base[1] + py))
        tri.lineTo(base[0] - px, Y(base[1] - py))
        tri.close()
        c.drawPath(tri, stroke=0, fill=1)


def _label(c, a: _Arrow, Y, font: str) -> None:  # type: ignore[no-untyped-def]
    (x0, y0), (x1, _y1) = a.points[0], a.points[1]
    c.setFont(font, 6)
    if abs(x1 - x0) < 0.5:  # leaves downwards: right of the line, below the vertex
        c.drawString(x0 + 2, Y(y0 + 7), a.label)
    elif x1 > x0:  # leaves to the right: above the line
        c.drawString(x0 + 1.5, Y(y0 - 2), a.label)
    else:
        c.drawRightString(x0 - 1.5, Y(y0 - 2), a.label)


# --- the cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One fixture: its name, its truth, its template and how it is made."""

    name: str
    template: str
    sop: Sop

    def pdf(self) -> bytes:
        return _pdf(self.name)


ALUR = "alur-document"
"""The template of the PDFs Alur itself draws (``alur document``, neato -n2 through
:func:`converters.drawing.document.render_document`)."""
SAMPLES = ("a1-example.yaml", "f-25-steps.yaml", "f-singkawang-iku.yaml")


def _sample(name: str) -> Sop:
    import yaml

    from converters.reading.sop_file import read_sop

    path = SOPS / name
    if name.startswith("f-"):
        return Sop.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
    return read_sop(path)


def _as_alur_draws(sop: Sop) -> Sop:
    """The truth of Alur's own drawing: it draws no question in the diamond and no symbol
    for ``other_roles``, and a branch to the end goes into the closing terminator (the last
    step, or an unnumbered "Selesai" row joined to it)."""
    last = sop.steps[-1].number
    steps = []
    for s in sop.steps:
        d = s.decision
        if d is not None:
            d = replace(d, question="", approve_to=last if d.approve_to == END else d.approve_to,
                        reject_to=last if d.reject_to == END else d.reject_to)
        steps.append(replace(s, decision=d, other_roles=()))
    return replace(sop, steps=tuple(steps))


def compare(truth: Sop, got: Sop) -> tuple[list[str], dict[str, int]]:
    """Every difference that matters, and the counts the bench prints.

    Checked per step: role (and that it came from a symbol), other roles, the decision's
    targets and labels (as a set when neither or both labels are negative: their order is
    then the drawing's reading order, which the truth of Alur's own drawing does not fix),
    the question, the Waktu text and the Output."""
    from converters.reading.drawn.interpret.interpreter import _NEGATIVE

    errs: list[str] = []
    counts = {"steps": len(truth.steps), "symbol": 0, "roles": 0, "decisions": 0,
              "decisions_right": 0}
    if got.roles != truth.roles:
        errs.append(f"roles {got.roles} != {truth.roles}")
    if [s.number for s in got.steps] != [s.number for s in truth.steps]:
        errs.append(f"steps {[s.number for s in got.steps]}")
    by_number = {s.number: s for s in got.steps}
    for a in truth.steps:
        b = by_number.get(a.number)
        if a.decision is not None:
            counts["decisions"] += 1
        if b is None:
            continue
        counts["symbol"] += b.role_provenance.source == "symbol"
        if (a.role, a.other_roles) == (b.role, b.other_roles):
            counts["roles"] += 1
        else:
            errs.append(f"step {a.number}: role {a.role} {a.other_roles}, read {b.role} "
                        f"{b.other_roles}")
        if b.role_provenance.source != "symbol":
            errs.append(f"step {a.number}: role from {b.role_provenance.source}")
        da, db = a.decision, b.decision
        if da is None or db is None:
            if da is not db:
                errs.append(f"step {a.number}: decision {da}, read {db}")
            continue
        want = [(br.label, br.target) for br in da.branches]
        have = [(br.label, br.target) for br in db.branches]
        polar = len({bool(_NEGATIVE.match(x)) for x in da.labels}) == 2
        same = want == have if polar else sorted(want, key=str) == sorted(have, key=str)
        if same and da.question == db.question:
            counts["decisions_right"] += 1
        else:
            errs.append(f"step {a.number}: decision {want} {da.question!r}, read {have} "
                        f"{db.question!r}")
        if (a.duration.text, a.output) != (b.duration.text, b.output):
            errs.append(f"step {a.number}: waktu/output {a.duration.text!r}/{a.output!r}, "
                        f"read {b.duration.text!r}/{b.output!r}")
    return errs, counts


def _make(name: str) -> tuple[Sop, Template]:
    kind, _, rest = name.partition(":")
    tname, _, ident = rest.partition(":")
    if tname == ALUR:
        sop = _sample(ident) if kind == "hand" else random_sop(int(ident))
        return _as_alur_draws(sop), Template(ALUR)
    t = TEMPLATES[tname]
    sop = HAND[ident] if kind == "hand" else random_sop(int(ident))
    if kind == "hand" and ident == "surat-masuk":
        t = replace(t, unnumbered_after=3)
    return normalised(sop), t


@cache
def _pdf(name: str) -> bytes:
    sop, t = _make(name)
    if t.name == ALUR:
        from converters.drawing.document import render_document

        return render_document(sop, "pdf")
    return draw(sop, t)


def case(name: str) -> Case:
    """A case by name: ``"hand:<template>:<sop>"`` or ``"seed:<template>:<n>"``."""
    sop, t = _make(name)
    return Case(name, t.name, sop)


def cases(seeds: int = 0, alur: bool = True) -> list[Case]:
    """Every hand case in every template, and ``seeds`` seeded SOPs per template; with
    ``alur`` also the sample SOPs (and the seeded ones) as Alur's own document draws them."""
    out = [case(f"hand:{t}:{h}") for t in TEMPLATES for h in HAND]
    out += [case(f"seed:{t}:{k}") for t in TEMPLATES for k in range(seeds)]
    if alur:
        out += [case(f"hand:{ALUR}:{s}") for s in SAMPLES]
        out += [case(f"seed:{ALUR}:{k}") for k in range(seeds)]
    return out


__all__ = ["ALUR", "HAND", "TEMPLATES", "Case", "Template", "case", "cases", "compare", "draw",
           "normalised", "random_sop"]
