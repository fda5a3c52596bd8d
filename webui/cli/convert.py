"""``alur convert FILE... [-o DIR]`` and ``alur validate FILE.bpmn...``.

``convert`` turns SOP documents into BPMN files for the process library; a file that holds
several SOPs (a compilation) gives one BPMN file per SOP, ``NAME-1.bpmn``, ``NAME-2.bpmn`` ...
in document order, each listed in the output. One bad document
must not cost the analyst the others: each file is converted on its own, failures are listed
at the end and make the exit code 2, and a file is written only whole (a temporary file
renamed into place), so an interrupted run never leaves half a diagram behind. Every BPMN is
validated before it is written: a file Alur wrote must never fail ``alur validate``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from webui.cli import CliError
from webui.cli.files import write_atomically

MAX_WARNINGS_SHOWN = 8


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "convert",
        help="ubah dokumen SOP menjadi BPMN 2.0 (.bpmn)",
        description="Baca dokumen SOP (teks, HTML, OCR, DOCX, XLSX, YAML, BPMN) dan tulis "
        "satu berkas .bpmn per dokumen, siap dibuka di Camunda Modeler. Dokumen yang memuat "
        "beberapa SOP (kumpulan SOP) menjadi NAMA-1.bpmn, NAMA-2.bpmn, ... satu per SOP.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="dokumen SOP")
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="folder keluaran (bawaan: folder tiap dokumen); dibuat bila belum ada",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="jangan tampilkan peringatan")
    p.set_defaults(func=run_convert)

    v = subparsers.add_parser(
        "validate",
        help="periksa berkas BPMN: skema BPMN 2.0, rujukan, alur",
        description="Periksa berkas BPMN terhadap skema OMG BPMN 2.0 dan aturan struktur "
        "(rujukan id, incoming/outgoing). Kode keluar 2 bila ada kesalahan.",
    )
    v.add_argument("files", nargs="+", metavar="FILE.bpmn", help="berkas BPMN")
    v.set_defaults(func=run_validate)


# -- convert ---------------------------------------------------------------------------------


def run_convert(args: argparse.Namespace) -> int:
    from converters.bpmn.validate import errors, validate_bpmn
    from converters.bpmn.writer import write_bpmn
    from converters.model import ConversionError
    from converters.reading.sop_file import read_sops

    out_dir = Path(args.output) if args.output else None
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            raise CliError(f"{out_dir} bukan folder (-o harus menunjuk folder)")
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"Folder {out_dir} tidak dapat dibuat: {exc.strerror}") from None

    total = len(args.files)
    failed: list[tuple[str, str]] = []
    claimed: dict[Path, str] = {}
    for i, name in enumerate(args.files, 1):
        src = Path(name)
        if total > 1:
            _progress(i, total, src.name)
        folder = out_dir or src.parent
        try:
            if (folder / (src.stem + ".bpmn")).resolve() == src.resolve():
                raise ConversionError(
                    "keluaran akan menimpa masukan; pakai -o DIR untuk folder lain"
                )
            with page_progress(src.name):
                sops = read_sops(src)
            targets = [folder / (src.stem + ".bpmn")] if len(sops) == 1 else [
                folder / f"{src.stem}-{k}.bpmn" for k in range(1, len(sops) + 1)]
            for target in targets:
                if target.resolve() in claimed:
                    raise ConversionError(
                        f"{target} sudah ditulis dari {claimed[target.resolve()]} (nama sama)"
                    )
            written = []
            for sop, target in zip(sops, targets, strict=True):
                data = write_bpmn(sop)
                problems = errors(validate_bpmn(data))
                if problems:  # a writer bug: say so rather than write a broken file
                    raise ConversionError(f"BPMN hasil tidak valid: {problems[0]}")
                written.append((sop, target, data))
            for _, target, data in written:  # all or none of a file's SOPs
                write_atomically(target, data)
        except (ConversionError, CliError) as exc:
            failed.append((name, str(exc)))
            continue
        if len(written) > 1:
            print(f"{name}: berkas ini memuat {len(written)} SOP; satu berkas BPMN per SOP:")
        for k, (sop, target, _) in enumerate(written, 1):
            claimed[target.resolve()] = name
            label = name if len(written) == 1 else (
                f"  SOP {k}/{len(written)} {sop.identity.name or '(tanpa nama)'}")
            _report(label, target, sop.warnings, quiet=args.quiet)
    if total > 1:
        print(file=sys.stderr)
    for name, message in failed:
        print(f"gagal: {name}: {message}", file=sys.stderr)
    if failed:
        print(
            f"{total - len(failed)} dari {total} berkas dikonversi; {len(failed)} gagal.",
            file=sys.stderr,
        )
        return 2
    return 0


def _progress(i: int, total: int, name: str) -> None:
    """A one-line progress bar on stderr (rewritten in place on a terminal)."""
    width = 24
    done = round(width * i / total)
    bar = "#" * done + "." * (width - done)
    line = f"[{bar}] {i}/{total} {name}"
    if sys.stderr.isatty():
        print("\r" + line[:100].ljust(100), end="", file=sys.stderr, flush=True)
    else:
        print(line, file=sys.stderr)


_STAGE_WORDS = {
    "open": "membuka berkas",
    "pages": "membaca halaman",
    "ocr": "OCR halaman",
    "drawing": "menafsirkan bagan alir",
}
"""The reading's stages (:class:`converters.reading.progress.Stage`) as the terminal says them."""


@contextmanager
def page_progress(name: str) -> Iterator[None]:
    """While a document is read: on a terminal, its stage and pages on stderr ("cuti.pdf: OCR
    halaman 3/10"), one line rewritten in place and cleared at the end, so a scan of many
    pages is seen to move; elsewhere nothing (scripts and tests read the output)."""
    if not sys.stderr.isatty():
        yield
        return
    from converters.reading.progress import Progress, reporting

    shown = False

    def show(progress: Progress) -> None:
        nonlocal shown
        pages = f" {progress.done}/{progress.total}" if progress.total else ""
        line = f"{name}: {_STAGE_WORDS.get(progress.stage.value, progress.stage.value)}{pages}"
        print("\r" + line[:100].ljust(100), end="", file=sys.stderr, flush=True)
        shown = True

    try:
        with reporting(show):
            yield
    finally:
        if shown:
            print("\r" + " " * 100 + "\r", end="", file=sys.stderr, flush=True)


def _report(name: str, target: Path, warnings: tuple, quiet: bool) -> None:
    count = len(warnings)
    note = f" ({count} peringatan)" if count else ""
    print(f"{name} → {target}{note}")
    if quiet:
        return
    for w in warnings[:MAX_WARNINGS_SHOWN]:
        where = []
        if w.line:
            where.append(f"baris {w.line}")
        if w.step:
            where.append(f"langkah {w.step}")
        prefix = (", ".join(where) + ": ") if where else ""
        print(f"  - {prefix}{w.message}")
    if count > MAX_WARNINGS_SHOWN:
        print(f"  … dan {count - MAX_WARNINGS_SHOWN} peringatan lain (lihat `alur inspect`)")


def read_bpmn(path: Path) -> bytes:
    """A BPMN file's bytes, its size checked before it is read (every BPMN command uses this:
    ``validate``, ``deploy``, ``diagram``). Raises TooLarge; other failures are CliErrors."""
    from converters.bpmn.xml import read_bpmn_file

    try:
        return read_bpmn_file(path)
    except IsADirectoryError:
        raise CliError(f"{path} adalah folder, bukan berkas BPMN (a directory)") from None
    except OSError as exc:
        raise CliError(
            f"Berkas tidak dapat dibaca: {path} ({exc.strerror}) (cannot read file)"
        ) from None


# -- validate --------------------------------------------------------------------------------


def run_validate(args: argparse.Namespace) -> int:
    from converters.bpmn.validate import validate_bpmn
    from converters.bpmn.xml import TooLarge

    status = 0
    for name in args.files:
        path = Path(name)
        try:
            data = read_bpmn(path)
        except TooLarge as exc:
            print(f"{path}: kesalahan: {exc}")
            print(f"{path}: tidak valid (1 kesalahan)", file=sys.stderr)
            status = 2
            continue
        problems = validate_bpmn(data)
        errors = [p for p in problems if p.severity == "error"]
        for p in problems:
            where = f"{path}:{p.line}" if p.line else str(path)
            level = "kesalahan" if p.severity == "error" else "peringatan"
            element = ""
            if p.element_id:
                element = f" [{p.element_id}" + (f" “{p.element_name}”" if p.element_name else "")
                element += "]"
            print(f"{where}: {level}: {p.message}{element}")
        if errors:
            print(f"{path}: tidak valid ({len(errors)} kesalahan)", file=sys.stderr)
            status = 2
        else:
            print(f"{path}: valid (BPMN 2.0)")
    return status
