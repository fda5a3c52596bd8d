"""``alur document`` (the official SOP AP document) and ``alur diagram`` (the process view).

Both write next to the input by default (same name, the format's suffix) and write atomically:
a half-written PDF must never replace a good one, since reviewers print these files.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from webui.cli import CliError
from webui.cli.files import write_atomically

DOCUMENT_FORMATS = ("pdf", "svg", "png", "docx", "html")
DIAGRAM_FORMATS = ("svg", "png", "pdf")
_OUT_HELP = "berkas keluaran (bawaan: di samping FILE, akhiran sesuai format)"


def register(subparsers: Any) -> None:
    doc = subparsers.add_parser(
        "document",
        help="buat dokumen SOP AP resmi (identitas + tabel bagan alir)",
        description="Dokumen SOP AP (Permenpan RB 35/2012) dari dokumen SOP atau berkas .bpmn.",
    )
    doc.add_argument("file", metavar="FILE", help="dokumen SOP (txt/html/yaml/docx) atau .bpmn")
    doc.add_argument("-o", "--output", metavar="OUT", help=_OUT_HELP)
    doc.add_argument("--format", choices=DOCUMENT_FORMATS, default=None,
                     help="format keluaran (bawaan: dari akhiran OUT, atau pdf)")
    doc.add_argument("--paper", choices=("a4", "f4"), default="a4", help="ukuran kertas (lanskap)")
    doc.set_defaults(func=run_document)

    dia = subparsers.add_parser(
        "diagram",
        help="gambar proses BPMN dengan Graphviz (lajur per jabatan)",
        description="Gambar proses dari berkas .bpmn (lajur sebagai pita, urutan lajur BPMN).",
    )
    dia.add_argument("file", metavar="FILE.bpmn", help="berkas BPMN 2.0")
    dia.add_argument("-o", "--output", metavar="OUT", help=_OUT_HELP)
    dia.add_argument("--format", choices=DIAGRAM_FORMATS, default=None,
                     help="format keluaran (bawaan: dari akhiran OUT, atau svg)")
    dia.set_defaults(func=run_diagram)


def _format(args: argparse.Namespace, allowed: tuple[str, ...], default: str) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        if suffix in allowed:
            return suffix
    return default


def _input(path_text: str) -> Path:
    path = Path(path_text)
    if not path.exists():
        raise CliError(f"berkas tidak ditemukan: {path_text}")
    if not path.is_file():
        raise CliError(f"bukan berkas: {path_text}")
    return path


def _output(args: argparse.Namespace, source: Path, fmt: str) -> Path:
    if args.output:
        return Path(args.output)
    return source.with_suffix(f".{fmt}")


def load_sop(path: Path) -> Any:
    """The SOP model of ``path`` (an SOP document or a ``.bpmn``), read lazily so that
    ``alur --help`` does not import the readers."""
    from converters.reading.sop_file import read_sop

    return read_sop(path)


def run_document(args: argparse.Namespace) -> int:
    from converters.drawing.document import render_document

    source = _input(args.file)
    fmt = _format(args, DOCUMENT_FORMATS, "pdf")
    out = _output(args, source, fmt)
    if out.resolve() == source.resolve():
        raise CliError(f"berkas keluaran sama dengan masukan: {out}")
    sop = load_sop(source)
    data = render_document(sop, fmt=fmt, paper=args.paper)
    write_atomically(out, data)
    print(f"{out} ({fmt}, {len(data)} byte)")
    return 0


def run_diagram(args: argparse.Namespace) -> int:
    from converters.drawing.process_view import render_process

    source = _input(args.file)
    fmt = _format(args, DIAGRAM_FORMATS, "svg")
    out = _output(args, source, fmt)
    if out.resolve() == source.resolve():
        raise CliError(f"berkas keluaran sama dengan masukan: {out}")
    data = render_process(source.read_bytes(), fmt=fmt)
    write_atomically(out, data)
    print(f"{out} ({fmt}, {len(data)} byte)")
    return 0
