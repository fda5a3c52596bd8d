"""LibreOffice, when installed: an old .doc/.xls converted to .docx/.xlsx first.

Our own readers of the old formats read the text only (:mod:`.word`, :mod:`.excel`); the
drawn flowchart of a .doc or .xls is OfficeArt, which LibreOffice turns into the DrawingML
shapes the drawn readers read (:mod:`converters.reading.drawn.office`). So where ``soffice``
is on ``PATH`` it converts the file headless in a temporary directory, with its own
throw-away profile (two conversions at once must not share one) and a time limit; without
it, or when it fails, the caller falls back to the text readers and says so.

``ALUR_SOFFICE`` overrides the look-up: ``off`` never converts (the text path only), a path
names the program.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from converters.reading.readers.legacy.ole import Kind

TIMEOUT = 120
"""Seconds a conversion may take; a first start of LibreOffice takes a few."""

_TARGETS: dict[Kind, tuple[str, str]] = {
    "word": ("doc", "docx:MS Word 2007 XML"),
    "excel": ("xls", "xlsx:Calc MS Excel 2007 XML"),
}


@dataclass(frozen=True)
class Converted:
    """The outcome of one conversion: the new file (``None`` when it failed) and why not."""

    data: bytes | None
    filename: str
    problem: str = ""


def program() -> str | None:
    """The ``soffice`` to convert with, ``None`` when there is none (or it is switched off)."""
    chosen = os.environ.get("ALUR_SOFFICE", "").strip()
    if chosen.lower() in {"off", "0", "no", "false"}:
        return None
    return shutil.which(chosen or "soffice")


def convert(data: bytes, kind: Kind, exe: str) -> Converted:
    """``data`` (a .doc or .xls) as .docx or .xlsx by ``exe``; never raises."""
    suffix, target = _TARGETS[kind]
    return convert_as(data, suffix, target, exe)


def convert_as(data: bytes, suffix: str, target: str, exe: str) -> Converted:
    """``data``, a file of type ``suffix`` (doc, xls, odt, ods), converted by ``exe`` to
    ``target`` (LibreOffice's "ext:Filter name"); never raises."""
    wanted = target.split(":")[0]
    with tempfile.TemporaryDirectory(prefix="alur-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"sop.{suffix}"
        source.write_bytes(data)
        out = work / "out"
        command = [exe, "--headless", "--norestore", "--nolockcheck", "--nologo",
                   f"-env:UserInstallation={(work / 'profile').as_uri()}",
                   "--convert-to", target, "--outdir", str(out), str(source)]  # fmt: skip
        env = {**os.environ, "HOME": tmp}
        try:
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    env=env, cwd=tmp, start_new_session=True)  # fmt: skip
        except OSError as exc:
            return Converted(None, "", f"soffice tidak dapat dijalankan ({exc.strerror or exc})")
        try:
            _out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # LibreOffice starts helpers: end them all
            proc.communicate()
            return Converted(None, "", f"soffice melewati batas {TIMEOUT} detik")
        result = out / f"sop.{wanted}"
        if proc.returncode != 0 or not result.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()
            return Converted(
                None, "", "soffice gagal" + (f": {detail[-1][:120]}" if detail else "")
            )
        return Converted(result.read_bytes(), result.name)


__all__ = ["TIMEOUT", "Converted", "convert", "convert_as", "program"]
