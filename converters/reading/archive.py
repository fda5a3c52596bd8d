"""Opening untrusted Office zips (.docx, .xlsx) without being blown up by them.

A few hundred kilobytes of zip can declare, or simply inflate to, gigabytes (a zip bomb): a
308 KB .docx expanding to 200 MB of paragraphs once ran past three minutes at 4.7 GB. Every
reader of an Office file (the text readers and the drawing extractors) opens it through
:func:`open_zip`, which refuses too many members and too large a *declared* size before
anything is inflated, and then inflates every member once, streaming in chunks with a cap, so
a member whose header lies about its size is refused too, without ever being held in memory.
"""

from __future__ import annotations

import io
import zipfile

from converters.model import ConversionError

MAX_UNCOMPRESSED = 50 * 1024 * 1024
"""Bytes all members may inflate to together (declared and actual)."""
MAX_ENTRIES = 2000
"""Members a package may hold (a real .docx has a few dozen)."""
MAX_XML_PART = 20 * 1024 * 1024
"""Bytes one XML part may inflate to: XML is what the readers build trees from; a real
document.xml is well under a megabyte, images (not parsed) may be larger."""

_CHUNK = 1024 * 1024


def _mb(n: int) -> int:
    return n // (1024 * 1024)


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """The checked zip of ``data``; a one-line :class:`ConversionError` when it is broken,
    has too many members, or declares or inflates to too much."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ConversionError(f"Berkas {what} rusak atau bukan zip (bad {what})") from exc
    if len(infos) > MAX_ENTRIES:
        raise ConversionError(
            f"Berkas {what} berisi terlalu banyak bagian: {len(infos)} > {MAX_ENTRIES}"
            " (too many zip entries)"
        )
    declared = sum(max(0, i.file_size) for i in infos)
    if declared > MAX_UNCOMPRESSED:
        raise _bomb(what, declared)
    for info in infos:
        if _is_xml(info.filename) and info.file_size > MAX_XML_PART:
            raise _bomb(what, info.file_size, part=info.filename)
    _check_actual(archive, infos, what)
    return archive


def _check_actual(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], what: str) -> None:
    """Inflate every member once in chunks, counting: declared sizes can lie."""
    total = 0
    for info in infos:
        cap = MAX_XML_PART if _is_xml(info.filename) else MAX_UNCOMPRESSED
        size = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > cap:
                        raise _bomb(what, size, part=info.filename)
                    if total > MAX_UNCOMPRESSED:
                        raise _bomb(what, total)
        except ConversionError:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ConversionError(
                f"Bagian {info.filename} dari berkas {what} rusak (bad zip member)"
            ) from exc


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _bomb(what: str, size: int, part: str = "") -> ConversionError:
    where = f" (bagian {part})" if part else ""
    limit = MAX_XML_PART if part else MAX_UNCOMPRESSED
    return ConversionError(
        f"Berkas {what} terlalu besar setelah dibuka{where}: lebih dari {_mb(size)} MB,"
        f" batas {_mb(limit)} MB (zip bomb guard)"
    )


def check_archive(data: bytes, what: str) -> None:
    """:func:`open_zip` for callers that hand the bytes to another library afterwards."""
    open_zip(data, what).close()


__all__ = ["MAX_ENTRIES", "MAX_UNCOMPRESSED", "MAX_XML_PART", "check_archive", "open_zip"]
