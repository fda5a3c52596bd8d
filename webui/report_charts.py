"""Server-side SVG charts of the compliance report (issue 15).

Why drawn here, by hand: the web UI's CSP allows no scripts and no CDN, and the report must
print. So each chart is a small SVG built from the figures with presentation attributes only
(``fill=``, ``stroke=``; no ``style`` attribute, which the CSP would block), every bar carries
its value as text (a grey-scale print still reads), and sizes come from a ``viewBox`` so the
chart scales with the page.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from lxml import etree

from engine.compliance import ComplianceReport, StepFigures, format_minutes

ACTUAL = "#1565c0"
P90 = "#90caf9"
MUTU = "#616161"
LEVELS = {
    # level: (fill, border) — good ≥ 90 % on time, fair ≥ 70 %, poor below, none: no data
    "good": ("#dcefdc", "#2e7d32"),
    "fair": ("#fff1c2", "#e08a00"),
    "poor": ("#f8d7d7", "#c62828"),
    "none": ("#ffffff", "#a0a0a0"),
}
FONT = 'font-family="Liberation Sans, Arial, sans-serif"'


def lateness_level(step: StepFigures) -> str:
    """The diagram colour of a step: by its on-time share (overdue open work counts late)."""
    timed = step.with_due + step.open_overdue
    if not timed:
        return "none"
    share = step.on_time / timed
    return "good" if share >= 0.9 else "fair" if share >= 0.7 else "poor"


def _text(x: float, y: float, text: str, size: float = 11, anchor: str = "start",
          fill: str = "#111", bold: bool = False) -> str:  # fmt: skip
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}" {FONT}{weight}>{escape(text)}</text>')  # fmt: skip


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>'
        + "".join(body)
        + "</svg>"
    )


def _short(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def steps_chart(report: ComplianceReport, gettext: Callable[[str], str] = str) -> str:
    """A bar per step: median actual office time (p90 lighter behind it) against the Mutu
    Baku time (a dark bar under it)."""
    _ = gettext
    steps = [s for s in report.steps if s.duration.count or s.mutu_baku_minutes is not None]
    label_w, bar_w, right = 300.0, 420.0, 150.0
    row_h, top = 34.0, 44.0
    height = top + row_h * max(1, len(steps)) + 16
    width = label_w + bar_w + right
    values = [v for s in steps for v in (s.duration.p90, s.mutu_baku_minutes) if v is not None]
    scale = bar_w / max(values) if values and max(values) > 0 else 0.0
    day = report.office_day_minutes
    body = [
        f'<rect x="{label_w:.0f}" y="10" width="12" height="10" fill="{ACTUAL}"/>',
        _text(label_w + 16, 19, _("Median waktu nyata"), 10),
        f'<rect x="{label_w + 140:.0f}" y="10" width="12" height="10" fill="{P90}"/>',
        _text(label_w + 156, 19, "p90", 10),
        f'<rect x="{label_w + 200:.0f}" y="12" width="12" height="6" fill="{MUTU}"/>',
        _text(label_w + 216, 19, _("Mutu Baku waktu"), 10),
    ]
    if not steps:
        body.append(_text(width / 2, top + 20, _("Belum ada data pada periode ini"), 12,
                          "middle", "#52606d"))  # fmt: skip
    for i, s in enumerate(steps):
        y = top + i * row_h
        body.append(_text(label_w - 8, y + 14, _short(s.label), 11, "end"))
        body.append(_text(label_w - 8, y + 27, _short(s.role, 48), 9, "end", "#52606d"))
        if s.duration.p90 is not None:
            body.append(f'<rect x="{label_w:.0f}" y="{y + 4:.1f}" '
                        f'width="{max(1.0, s.duration.p90 * scale):.1f}" height="16" '
                        f'fill="{P90}"/>')  # fmt: skip
        if s.duration.median is not None:
            body.append(f'<rect x="{label_w:.0f}" y="{y + 4:.1f}" '
                        f'width="{max(1.0, s.duration.median * scale):.1f}" height="16" '
                        f'fill="{ACTUAL}"/>')  # fmt: skip
        if s.mutu_baku_minutes is not None:
            body.append(f'<rect x="{label_w:.0f}" y="{y + 22:.1f}" '
                        f'width="{max(1.0, s.mutu_baku_minutes * scale):.1f}" height="6" '
                        f'fill="{MUTU}"/>')  # fmt: skip
        late = s.duration.median is not None and s.mutu_baku_minutes is not None and (
            s.duration.median > s.mutu_baku_minutes)
        figure = f"{format_minutes(s.duration.median, day)} / {s.mutu_baku_text or '–'}"
        body.append(_text(label_w + bar_w + 8, y + 16, _short(figure, 30), 10,
                          fill="#c62828" if late else "#111", bold=late))  # fmt: skip
    title = _("Waktu nyata per langkah dibanding Mutu Baku")
    return _svg(width, height, title, body)


def trend_chart(report: ComplianceReport, gettext: Callable[[str], str] = str) -> str:
    """Per month: the share of steps done within Mutu Baku (bar) and how many were done."""
    _ = gettext
    months = list(report.months)[-24:]
    left, top, plot_h, col = 44.0, 26.0, 160.0, 44.0
    width = left + col * max(1, len(months)) + 20
    height = top + plot_h + 44
    body = []
    for pct in (0, 50, 100):
        y = top + plot_h * (1 - pct / 100)
        body.append(f'<line x1="{left:.0f}" y1="{y:.1f}" x2="{width - 10:.0f}" y2="{y:.1f}" '
                    f'stroke="#cbd2d9" stroke-width="1"/>')  # fmt: skip
        body.append(_text(left - 6, y + 4, f"{pct}%", 9, "end", "#52606d"))
    body.append(_text(left, 14, _("Tepat waktu per bulan (jumlah langkah selesai di bawah)"), 10))
    if not months:
        body.append(_text(width / 2, top + 60, _("Belum ada data"), 12, "middle", "#52606d"))
    for i, m in enumerate(months):
        x = left + i * col + 8
        share = m.on_time_share
        if share is not None:
            h = plot_h * share
            colour = LEVELS["good" if share >= 0.9 else "fair" if share >= 0.7 else "poor"]
            body.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{col - 16:.0f}" '
                        f'height="{h:.1f}" fill="{colour[0]}" stroke="{colour[1]}"/>')  # fmt: skip
            body.append(_text(x + (col - 16) / 2, top + plot_h - h - 3, f"{round(share * 100)}",
                              9, "middle"))  # fmt: skip
        body.append(_text(x + (col - 16) / 2, top + plot_h + 14, m.month[2:], 9, "middle"))
        body.append(_text(x + (col - 16) / 2, top + plot_h + 27, str(m.completed), 9, "middle",
                          "#52606d"))  # fmt: skip
    return _svg(width, height, _("Tren kepatuhan per bulan"), body)


_SVG_NS = "http://www.w3.org/2000/svg"


def colour_by_lateness(svg: bytes, report: ComplianceReport) -> bytes:
    """Recolour the process view's step boxes by lateness (:func:`lateness_level`).

    The drawing's own status colours mean "reached / active"; here the same boxes (whose SVG
    ``id`` is the BPMN element id) get the lateness palette and a class ``late-LEVEL``.
    """
    levels = {s.element_id: lateness_level(s) for s in report.steps}
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(svg, parser)
    except etree.XMLSyntaxError:
        return svg
    for g in root.iter(f"{{{_SVG_NS}}}g"):
        level = levels.get(g.get("id", ""))
        if level is None or "node" not in (g.get("class") or ""):
            continue
        fill, border = LEVELS[level]
        g.set("class", f"{g.get('class')} late-{level}")
        for shape in g:
            if etree.QName(shape).localname in ("polygon", "path", "ellipse", "rect"):
                if shape.get("fill") not in (None, "none", "transparent"):
                    shape.set("fill", fill)
                shape.set("stroke", border)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def inline(svg: str | bytes) -> str:
    """An SVG for embedding in a page: without the XML prologue and DOCTYPE."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
