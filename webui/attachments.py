"""Output documents attached to a task: type check, size limit, safe storage.

A file's extension must be on the allowed list *and* its first bytes must match that type, so
a renamed executable or an HTML page posing as a PDF is refused. Stored names are generated
(never the uploader's path) under the case's own folder.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from webui import limits


class AttachmentRejected(ValueError):
    """One-line reason for the user, in Bahasa Indonesia."""


@dataclass(frozen=True)
class Checked:
    filename: str  # cleaned original name
    data: bytes


def _looks_like(ext: str, data: bytes) -> bool:
    if ext == ".pdf":
        return data.startswith(b"%PDF-")
    if ext == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in {".jpg", ".jpeg"}:
        return data.startswith(b"\xff\xd8\xff")
    if ext in {".docx", ".xlsx", ".odt", ".ods"}:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return False
        return "[Content_Types].xml" in names if ext in {".docx", ".xlsx"} else "mimetype" in names
    if ext in {".txt", ".csv"}:
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def check(file: FileStorage, allowed: dict[str, str], max_bytes: int) -> Checked:
    """Read and verify one uploaded file; raises :class:`AttachmentRejected`."""
    original = file.filename or ""
    name = secure_filename(original) or "lampiran"
    ext = Path(name).suffix.lower()
    if ext not in allowed:
        kinds = ", ".join(sorted(e.lstrip(".") for e in allowed))
        raise AttachmentRejected(
            f"Jenis berkas {original or name!r} tidak diizinkan (yang diizinkan: {kinds})."
        )
    data = file.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AttachmentRejected(limits.too_large(repr(original), limits.attachment_rule()))
    if not data:
        raise AttachmentRejected(f"Berkas {original!r} kosong.")
    if not _looks_like(ext, data):
        raise AttachmentRejected(f"Isi berkas {original!r} tidak sesuai dengan jenis {ext}.")
    return Checked(filename=name, data=data)


def save(folder: Path, instance_id: int, checked: Checked) -> str:
    """Write the file under ``folder/<instance_id>/``; returns its stored name
    ``<instance_id>/<random>-<name>`` (what the engine records in the audit trail)."""
    target = folder / str(instance_id)
    target.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(4)}-{checked.filename}"
    (target / stored).write_bytes(checked.data)
    return f"{instance_id}/{stored}"


def resolve(folder: Path, instance_id: int, stored: str) -> Path | None:
    """The file of a stored name of this case, or None (also for path tricks)."""
    name = secure_filename(stored)
    if not name or name != stored:
        return None
    path = folder / str(instance_id) / name
    return path if path.is_file() else None


def display_name(stored: str) -> str:
    """``12/ab12cd34-laporan.pdf`` → ``laporan.pdf``."""
    base = stored.rsplit("/", 1)[-1]
    head, sep, rest = base.partition("-")
    return rest if sep and len(head) == 8 else base
