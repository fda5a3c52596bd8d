"""``alur inspect FILE [--json]``: show what Alur read from an SOP, and what it guessed.

The table is for an analyst checking a conversion: each step's role comes with the reader's
confidence, decisions show where each branch goes, and the warnings list names the steps and
lines that were guessed or skipped. ``--json`` prints :meth:`converters.model.Sop.to_dict`,
the public contract documented in ``docs/json.md``. A file of several SOPs shows its first
(with the ``several-sops`` warning); ``--all`` shows each, and ``--all --json`` prints a JSON
list of those objects (always a list, one element for a file of one SOP).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from pathlib import Path

from converters.model import Sop, SopDate, Step


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "inspect",
        help="tampilkan SOP hasil baca: langkah, pelaksana, keputusan, peringatan",
        description="Baca dokumen SOP (teks, HTML, OCR, DOCX, XLSX, YAML, BPMN) dan tampilkan "
        "hasilnya sebagai tabel, atau sebagai JSON dengan --json (lihat docs/json.md).",
    )
    p.add_argument("file", help="berkas SOP, atau - untuk membaca dari stdin")
    p.add_argument("--json", action="store_true", help="cetak model SOP sebagai JSON")
    p.add_argument("--all", action="store_true",
                   help="berkas berisi beberapa SOP: tampilkan semuanya (dengan --json: "
                        "daftar JSON, satu objek per SOP)")
    p.add_argument("--width", type=int, default=0, help="lebar tabel (bawaan: lebar terminal)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from converters.reading.sop_file import first_sop, read_sops
    from webui.cli.convert import page_progress

    with page_progress("stdin" if args.file == "-" else Path(args.file).name):
        if args.file == "-":
            sops = read_sops(sys.stdin.buffer.read(), "stdin")
        else:
            sops = read_sops(Path(args.file))
    every = args.all
    if args.json:
        doc = [s.to_dict() for s in sops] if every else first_sop(sops).to_dict()
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    width = max(args.width or shutil.get_terminal_size((120, 24)).columns, 60)
    if len(sops) == 1:
        print(render(sops[0], width))
    elif not every:
        print(f"Berkas ini memuat {len(sops)} SOP; ditampilkan SOP pertama "
              "(--all untuk semuanya).\n")
        print(render(first_sop(sops), width))
    else:
        print(f"Berkas ini memuat {len(sops)} SOP.")
        for k, sop in enumerate(sops, 1):
            print(f"\n{'=' * min(width, 72)}\nSOP {k} dari {len(sops)}\n")
            print(render(sop, width))
    return 0


# -- the readable form -----------------------------------------------------------------------


def _decision_text(step: Step) -> str:
    d = step.decision
    if d is None:
        return ""

    def target(t: int | str) -> str:
        return "selesai" if t == "end" else str(t)

    return " / ".join(f"{b.label}\u2192{target(b.target)}" for b in d.branches)


def _cell(text: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1] if len(last) >= width else last) + "\u2026"
    return lines


def render_table(sop: Sop, width: int = 120) -> str:
    """The steps as a fixed-width table whose Kegiatan column takes the spare width."""
    heads = ["No", "Kegiatan", "Pelaksana", "Waktu", "Output", "Keputusan"]
    decisions = [len(_decision_text(s)) for s in sop.steps]
    fixed = {"No": 3, "Pelaksana": 22, "Waktu": 10, "Output": 16,
             "Keputusan": min(34, max([len("Keputusan"), *decisions]))}
    sep = " \u2502 "
    act = max(20, width - sum(fixed.values()) - len(sep) * (len(heads) - 1))
    widths = [fixed["No"], act, fixed["Pelaksana"], fixed["Waktu"], fixed["Output"],
              fixed["Keputusan"]]
    out = [sep.join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip()]
    out.append("\u2500\u253c\u2500".join("\u2500" * w for w in widths))
    for s in sop.steps:
        role = f"{s.role} ({s.role_confidence:.2f})"
        if s.other_roles:
            role += " + " + ", ".join(s.other_roles)
        cells = [
            _cell(str(s.number), widths[0], 1),
            _cell(s.activity, widths[1], 3),
            _cell(role, widths[2], 3),
            _cell(s.duration.text or "-", widths[3], 2),
            _cell(s.output or "-", widths[4], 2),
            _cell(_decision_text(s), widths[5], 3),
        ]
        for k in range(max(len(c) for c in cells)):
            row = [(c[k] if k < len(c) else "").ljust(w) for c, w in zip(cells, widths,
                                                                         strict=True)]
            out.append(sep.join(row).rstrip())
    return "\n".join(out)


def _date(d: SopDate | None) -> str:
    if d is None or not d.text:
        return "-"
    return d.text + (f" ({d.value.isoformat()})" if d.value else "")


def render_identity(sop: Sop) -> str:
    i = sop.identity
    ab = i.approved_by
    approver = "-"
    if ab is not None:
        parts = [ab.position, ab.name, f"{ab.id_kind} {ab.id_number}".strip(), ab.rank]
        approver = ", ".join(p for p in parts if p) or "-"
    rows = [
        ("Nomor SOP", i.number or "-"),
        ("Nama SOP", i.name or "-"),
        ("Instansi", i.agency or "-"),
        ("Unit", i.unit or "-"),
        ("Tanggal pembuatan", _date(i.created)),
        ("Tanggal revisi", _date(i.revised)),
        ("Tanggal efektif", _date(i.effective)),
        ("Disahkan oleh", approver),
        ("Pelaksana", ", ".join(sop.roles) or "-"),
        ("Format sumber", _source(sop.source_format)),
        ("Isi kepala", f"{len(sop.legal_basis)} dasar hukum, {len(sop.qualifications)} "
                       f"kualifikasi, {len(sop.related_sops)} keterkaitan, "
                       f"{len(sop.equipment)} peralatan, {len(sop.cautions)} peringatan, "
                       f"{len(sop.records)} pencatatan"),
    ]
    return "\n".join(f"{k:<18} {v}" for k, v in rows)


_EXTRACTORS = {
    "pdf-vector": "gambar vektor PDF (pdf-vector)",
    "pdf-raster": "gambar tempelan dalam PDF (pdf-raster)",
    "scan": "pindaian (scan)",
    "docx-shapes": "bentuk Word (docx-shapes)",
    "xlsx-shapes": "bentuk Excel (xlsx-shapes)",
}


def _source(fmt: str) -> str:
    """The reader, and for a drawn SOP the extractor that read the drawing."""
    if fmt in _EXTRACTORS:
        return f"dibaca dari gambar, ekstraktor {_EXTRACTORS[fmt]}"
    return fmt or "-"


def render_warnings(sop: Sop) -> str:
    if not sop.warnings:
        return "Tidak ada peringatan pembacaan."
    lines = [f"Peringatan pembacaan ({len(sop.warnings)}):"]
    for w in sop.warnings:
        where = []
        if w.step is not None:
            where.append(f"langkah {w.step}")
        if w.line is not None:
            where.append(f"baris {w.line}")
        loc = f" ({', '.join(where)})" if where else ""
        lines.append(f"  [{w.code}]{loc} {w.message}")
    return "\n".join(lines)


def render_evidence(sop: Sop, width: int = 120) -> str:
    """Why each step got its role: the reader's evidence, strongest reasons first."""
    lines = ["Bukti pelaksana (sumber, keyakinan: alasan):"]
    for s in sop.steps:
        p = s.role_provenance
        text = f"  {s.number:>2}. {s.role} ({p.source}, {p.confidence:.2f}): " + "; ".join(
            p.evidence or ("-",))
        lines.extend(textwrap.wrap(text, width, subsequent_indent=" " * 6))
        if s.decision is not None and s.decision.provenance.evidence:
            text = "      keputusan: " + "; ".join(s.decision.provenance.evidence)
            lines.extend(textwrap.wrap(text, width, subsequent_indent=" " * 8))
    return "\n".join(lines)


def render(sop: Sop, width: int = 120) -> str:
    """Table, identity summary and warnings, as ``alur inspect`` prints them."""
    title = sop.identity.name or "SOP"
    n_dec = sum(1 for s in sop.steps if s.decision)
    head = f"{title} \u2014 {len(sop.steps)} langkah, {len(sop.roles)} pelaksana, {n_dec} keputusan"
    return "\n\n".join([head, render_table(sop, width), render_identity(sop),
                        render_evidence(sop, width), render_warnings(sop)])


__all__ = [
    "register",
    "render",
    "render_evidence",
    "render_identity",
    "render_table",
    "render_warnings",
    "run",
]
