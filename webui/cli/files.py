"""Writing CLI outputs so that a reader never sees a half-written file.

Shared by ``alur convert`` and ``alur document``/``diagram``: the data goes to a temporary
file beside the target, is flushed to disk, gets the permissions a plain ``open()`` would have
given it (mkstemp makes 0600, but library files are shared) and is renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from webui.cli import CliError


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically; a one-line :class:`CliError` on failure."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CliError(f"folder keluaran tidak ada: {folder}")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CliError(f"{target} tidak dapat ditulis: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
