"""``alur document`` (the official SOP AP document) and ``alur diagram`` (the process view).

Both write next to the input by default (same name, the format's suffix) and write atomically:
a half-written PDF must never replace a good one, since reviewers print these files.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from webui.cli import CliError
from webui.cli.files import write_atomically

DOCUMENT_FORMATS = ("pdf", "svg", "png", "docx", "html")
DIAGRAM_FORMATS = ("svg", "png", "pdf")
_OUT_HELP = "berkas keluaran (bawaan: di samping FILE, akhiran sesuai format)"


def register(subparsers: Any) -> None:
    doc = _add_command(
        subparsers,
        "document",
        help="buat dokumen SOP AP resmi (identitas + tabel bagan alir)",
        description="Dokumen SOP AP (Permenpan RB 35/2012) dari dokumen SOP atau berkas .bpmn.",
        file=("FILE", "dokumen SOP (txt/html/yaml/docx) atau .bpmn"),
        formats=DOCUMENT_FORMATS,
        default_format="pdf",
    )
    doc.add_argument("--paper", choices=("a4", "f4"), default="a4", help="ukuran kertas (lanskap)")
    doc.set_defaults(func=run_document)

    dia = _add_command(
        subparsers,
        "diagram",
        help="gambar proses BPMN dengan Graphviz (lajur per jabatan)",
        description="Gambar proses dari berkas .bpmn (lajur sebagai pita, urutan lajur BPMN).",
        file=("FILE.bpmn", "berkas BPMN 2.0"),
        formats=DIAGRAM_FORMATS,
        default_format="svg",
    )
    dia.set_defaults(func=run_diagram)


def _add_command(
    subparsers: Any,
    name: str,
    *,
    help: str,
    description: str,
    file: tuple[str, str],
    formats: tuple[str, ...],
    default_format: str,
) -> Any:
    """A subcommand taking one input FILE, ``-o OUT`` and ``--format``: the arguments both
    commands share, so their meaning (and the default-from-suffix rule) is written once."""
    parser = subparsers.add_parser(name, help=help, description=description)
    metavar, file_help = file
    parser.add_argument("file", metavar=metavar, help=file_help)
    parser.add_argument("-o", "--output", metavar="OUT", help=_OUT_HELP)
    parser.add_argument(
        "--format",
        choices=formats,
        default=None,
        help=f"format keluaran (bawaan: dari akhiran OUT, atau {default_format})",
    )
    return parser


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


def run_document(args: argparse.Namespace) -> int:
    """One official document per SOP: a file that holds several SOPs (a compilation) gives
    ``NAME-1.pdf``, ``NAME-2.pdf`` ... (or ``OUT-1.pdf`` ... with ``-o OUT``), written all or
    none, as ``alur convert`` writes its BPMN files; a reviewer must not sign the first SOP
    believing it is the whole file."""
    from converters.drawing.document import render_document
    from converters.reading.sop_file import read_sops

    source = _input(args.file)
    sops = read_sops(source)
    if len(sops) == 1:
        return _write(
            args,
            DOCUMENT_FORMATS,
            "pdf",
            lambda _source, fmt: render_document(sops[0], fmt=fmt, paper=args.paper),
        )
    fmt = _format(args, DOCUMENT_FORMATS, "pdf")
    first = _output(args, source, fmt)
    outs = [first.with_name(f"{first.stem}-{k}{first.suffix}") for k in range(1, len(sops) + 1)]
    if any(out.resolve() == source.resolve() for out in outs):
        raise CliError(f"berkas keluaran sama dengan masukan: {source}")
    rendered = [render_document(sop, fmt=fmt, paper=args.paper) for sop in sops]
    print(f"{source}: berkas ini memuat {len(sops)} SOP; satu dokumen per SOP:")
    for k, (sop, out, data) in enumerate(zip(sops, outs, rendered, strict=True), 1):
        write_atomically(out, data)
        name = sop.identity.name or "(tanpa nama)"
        print(f"  SOP {k}/{len(sops)} {name}: {out} ({fmt}, {len(data)} byte)")
    return 0


def run_diagram(args: argparse.Namespace) -> int:
    from converters.drawing.process_view import render_process

    return _write(
        args,
        DIAGRAM_FORMATS,
        "svg",
        lambda source, fmt: render_process(_bpmn_bytes(source), fmt=fmt),
    )


def _bpmn_bytes(source: Path) -> bytes:
    """The BPMN, size-checked before reading, like ``validate`` and ``deploy`` do."""
    from converters.bpmn.xml import TooLarge
    from webui.cli.convert import read_bpmn

    try:
        return read_bpmn(source)
    except TooLarge as exc:
        raise CliError(str(exc)) from None


def _write(
    args: argparse.Namespace,
    formats: tuple[str, ...],
    default_format: str,
    render: Callable[[Path, str], bytes],
) -> int:
    """Render the input FILE to OUT in the chosen format, atomically, never over the input
    (a reviewer's printout must not be lost to a half-written file or a typo)."""
    source = _input(args.file)
    fmt = _format(args, formats, default_format)
    out = _output(args, source, fmt)
    if out.resolve() == source.resolve():
        raise CliError(f"berkas keluaran sama dengan masukan: {out}")
    data = render(source, fmt)
    write_atomically(out, data)
    print(f"{out} ({fmt}, {len(data)} byte)")
    return 0
