"""A drawn Word SOP saved as HTML ("Simpan sebagai Halaman Web"), with known truth.

Word writes each table as ``<table class=MsoTableGrid>`` with ``rowspan``/``colspan``
header cells and ``<p class=MsoNormal>`` paragraphs, and each shape anchored in a cell as
VML inside a conditional comment in that cell's paragraph, followed by a picture for other
browsers::

    <!--[if gte vml 1]><v:shape id="Flowchart_x0020_Decision_x0020_7" o:spid="_x0000_s1031"
     type="#_x0000_t110" style='position:absolute;...'><v:textbox>...</v:textbox></v:shape>
    <![endif]--><![if !vml]><span style='mso-ignore:vglayout;...'><img width=61 height=41
     src="sop_files/image007.png" v:shapes="Flowchart_x0020_Decision_x0020_7"></span><![endif]>

The *filtered* export ("Halaman Web, Difilter") drops the VML and keeps only the pictures.
Each step's symbol is anchored in its role cell (Word anchors a shape drawn over a table to
the paragraph under it); a decision's "Ya"/"Tidak" text boxes and the connectors are anchored
where they start, which is often another role's cell: real noise for a reader.
"""

from __future__ import annotations

import html
import random

from converters.model import Sop, Step
from tests.support.sop_generator import GeneratedSop

_TERMINATOR, _PROCESS, _DECISION, _TEXT_BOX, _CONNECTOR = 116, 109, 110, 202, 32
_NAMES = {_TERMINATOR: "Flowchart: Terminator", _PROCESS: "Flowchart: Process",
          _DECISION: "Flowchart: Decision", _TEXT_BOX: "Text Box",
          _CONNECTOR: "Straight Arrow Connector"}  # fmt: skip


class _Shapes:
    """Numbers the shapes and pictures of one document as Word does (``_x0000_s1026`` on)."""

    def __init__(self, filtered: bool, alt: bool) -> None:
        self.filtered = filtered
        self.alt = alt
        self.count = 0

    def shape(self, kind: int, text: str = "") -> str:
        self.count += 1
        n = self.count
        name = f"{_NAMES[kind]} {n}"
        vml_id = name.replace(" ", "_x0020_").replace(":", "_x003a_")
        width, height = {_CONNECTOR: (13, 40 + 7 * (n % 9)), _TEXT_BOX: (34, 21)}.get(
            kind, (61, 41)
        )
        alt = f' alt="{_NAMES[kind]}"' if self.alt else ""
        shapes_ref = "" if self.filtered else f' v:shapes="{vml_id}"'
        picture = (
            f"<span style='mso-ignore:vglayout;position:absolute;z-index:{n};left:0px;"
            f"margin-left:{10 + n % 7}px;margin-top:{3 + n % 5}px;width:{width}px;"
            f"height:{height}px'><img width={width} height={height} "
            f'src="sop_files/image{n:03d}.png"{alt}'
            f"{shapes_ref}>"
            "</span>"
        )
        if self.filtered:
            return picture
        box = (
            '<v:textbox><![if !mso]><table cellpadding=0 cellspacing=0 width="100%"><tr><td>'
            f"<![endif]><div><p class=MsoNormal align=center>{html.escape(text)}</p></div>"
            "<![if !mso]></td></tr></table><![endif]></v:textbox>"
            if text
            else ""
        )
        vml = (
            f'<!--[if gte vml 1]><v:shape id="{vml_id}" o:spid="_x0000_s{1025 + n}" '
            f'type="#_x0000_t{kind}" style=\'position:absolute;margin-left:12pt;'
            f"margin-top:4pt;width:45.75pt;height:30.75pt;z-index:{n}'>{box}</v:shape>"
            "<![endif]-->"
        )
        return f"{vml}<![if !vml]>{picture}<![endif]>"


def _p(text: str, bold: bool = False, align: str = "left") -> str:
    body = html.escape(text) if text else "<o:p>&nbsp;</o:p>"
    if bold and text:
        body = f"<b><span lang=IN>{body}</span></b>"
    return f"<p class=MsoNormal align={align}>{body}</p>"


def _td(inner: str, *, rowspan: int = 1, colspan: int = 1, width: int = 60) -> str:
    spans = (f" rowspan={rowspan}" if rowspan > 1 else "") + (
        f" colspan={colspan}" if colspan > 1 else ""
    )
    return (
        f"<td width={width} valign=top{spans} style='border:solid windowtext 1.0pt;"
        f"padding:0cm 5.4pt 0cm 5.4pt'>{inner}</td>"
    )


def _symbol_kind(sop: Sop, step: Step) -> int:
    if step.decision is not None:
        return _DECISION
    if step.number in (sop.steps[0].number, sop.steps[-1].number):
        return _TERMINATOR
    return _PROCESS


def word_html(g: GeneratedSop, *, filtered: bool = False, alt: bool = True, seed: int = 0) -> str:
    """The SOP as Word's HTML export of a table with the flowchart drawn over it; ``alt``:
    the pictures carry the shapes' names as alt text (not every Word version writes it)."""
    rng = random.Random(seed)
    sop, h = g.sop, g.header
    shapes = _Shapes(filtered, alt)
    roles = list(sop.roles)
    k = len(roles)
    i = sop.identity
    identity = "".join(
        f"<tr>{_td(_p(label, bold=True), width=150)}{_td(_p(value), width=300)}</tr>"
        for label, value in (("Nomor SOP", i.number),
                             ("Tanggal Pembuatan", i.created.text if i.created else ""),
                             ("Tanggal Efektif", i.effective.text if i.effective else ""),
                             ("Nama SOP", i.name))
    )  # fmt: skip
    head = (
        "<tr>"
        + _td(_p(h.no, True, "center"), rowspan=2, width=30)
        + _td(_p(h.activity, True, "center"), rowspan=2, width=200)
        + _td(_p("Pelaksana" if h.pelaksana_text else "", True, "center"), colspan=k)
        + _td(_p(h.mutu, True, "center"), colspan=3)
        + _td(_p(h.notes, True, "center"), rowspan=2)
        + "</tr><tr>"
        + "".join(_td(_p(r, True, "center")) for r in roles)
        + "".join(_td(_p(t, True, "center")) for t in (h.requirements, "Waktu", "Output"))
        + "</tr>"
    )
    body = []
    for step in sop.steps:
        cells = [""] * k
        col = roles.index(step.role)
        cells[col] += shapes.shape(_symbol_kind(sop, step))
        if step.decision is not None:
            yes, no = step.decision.labels
            # the labels' text boxes and the connectors start at the diamond: anchored in its
            # cell, or in the neighbouring role's cell the arrow runs into
            for label in (yes, no):
                where = col if rng.random() < 0.6 or k == 1 else min(k - 1, col + 1)
                cells[where] += shapes.shape(_TEXT_BOX, label)
        if step is not sop.steps[-1]:
            following = sop.steps[sop.steps.index(step) + 1]
            where = col if rng.random() < 0.7 else roles.index(following.role)
            cells[where] += shapes.shape(_CONNECTOR)
        role_cells = "".join(_td(f"<p class=MsoNormal>{c}<o:p>&nbsp;</o:p></p>") for c in cells)
        body.append(
            "<tr>"
            + _td(_p(f"{step.number}.", align="center"), width=30)
            + _td(_p(step.activity), width=200)
            + role_cells
            + "".join(_td(_p(v)) for v in (step.requirements, step.duration.text, step.output,
                                           step.notes))
            + "</tr>"
        )  # fmt: skip
    return (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word">'
        '<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">'
        '<meta name=Generator content="Microsoft Word 15 (filtered)">'
        '<style><!-- p.MsoNormal {margin:0cm;font-size:11.0pt;font-family:"Calibri"} --></style>'
        "</head><body lang=IN><div class=WordSection1>"
        f"{_p(i.agency, bold=True)}<table class=MsoTableGrid border=1>{identity}</table>"
        f"{_p('')}{_p(f'SOP {i.name}', bold=True)}"
        f"<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0>{head}{''.join(body)}"
        "</table></div></body></html>"
    )


__all__ = ["word_html"]
