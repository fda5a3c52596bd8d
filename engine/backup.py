"""Backup and restore: the whole store, plus the attachment files, as one portable archive.

``alur export`` writes a zip holding ``alur-export.json`` (every row of users, definitions,
instances, tasks, audit, the SOP drafts with their saves and the modeler's BPMN drafts, the
notifications with their outbox and preferences, with their ids, in the column types'
portable forms) and the
attachment files the audit trail names (``attachments/<instance>/<name>``). ``alur import``
loads such an archive into an *empty*, migrated database in one transaction, so a failed
import leaves nothing behind, and the restored store continues every open case: the
serialized workflows, the task rows and the ids that link them are the same. Because rows are
written through SQLAlchemy, an export from SQLite restores into PostgreSQL and back.
"""

from __future__ import annotations

import base64
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from engine.errors import BadInput
from engine.store import (
    Store,
    UTCDateTime,
    audit,
    bpmn_drafts,
    definitions,
    deployments,
    instances,
    notification_preferences,
    notifications,
    outbox,
    sop_draft_saves,
    sop_drafts,
    tasks,
    users,
)

FORMAT = 1
"""Version of the archive layout; an import refuses any other."""
MANIFEST = "alur-export.json"
TABLES: tuple[sa.Table, ...] = (
    users, definitions, deployments, instances, tasks, audit, sop_drafts, sop_draft_saves,
    bpmn_drafts, notifications, outbox, notification_preferences,
)
"""In foreign-key order: an import inserts them in this order."""
_ATTACHMENT = re.compile(r"^(\d{1,10})/([A-Za-z0-9][A-Za-z0-9._-]{0,250})$")
"""What webui.attachments stores: ``<instance id>/<random>-<secure file name>``; nothing
else is read from or written to the attachment folder (no path tricks through an archive)."""
MAX_ARCHIVE_MEMBER = 512 * 1024 * 1024


@dataclass(frozen=True)
class BackupSummary:
    """What an export wrote or an import restored: rows per table and attachment files."""

    rows: Mapping[str, int]
    attachments: int
    missing_attachments: tuple[str, ...] = ()


def _encode(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.LargeBinary):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(column.type, UTCDateTime) or isinstance(value, datetime):
        return value.isoformat()
    return value


def _decode(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.LargeBinary):
        return base64.b64decode(value)
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, sa.Boolean):
        return bool(value)
    return value


def _attachment_names(rows: list[dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for row in rows:
        for name in json.loads(row.get("attachments") or "[]"):
            if isinstance(name, str) and _ATTACHMENT.match(name) and name not in names:
                names.append(name)
    return names


def export_archive(store: Store, target: Path, attachments: Path | None) -> BackupSummary:
    """Write every row and the named attachment files to the zip ``target``.

    One read transaction, so the rows are one consistent snapshot. The zip is written to a
    temporary name and renamed, so an interrupted export never leaves a truncated backup
    under the real name."""
    data: dict[str, list[dict[str, Any]]] = {}
    with store.begin(write=False) as conn:
        revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        for table in TABLES:
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            data[table.name] = [
                {c.name: _encode(c, row._mapping[c.name]) for c in table.columns} for row in rows
            ]
    names = _attachment_names(data["audit"])
    missing: list[str] = []
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            manifest = {"format": FORMAT, "revision": revision, "tables": data}
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False))
            for name in names:
                path = attachments / name if attachments is not None else None
                if path is not None and path.is_file():
                    archive.write(path, f"attachments/{name}")
                else:
                    missing.append(name)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupSummary(
        {t: len(r) for t, r in data.items()}, len(names) - len(missing), tuple(missing)
    )


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise BadInput(
            f"Arsip bukan ekspor Alur: {MANIFEST} tidak ada (not an Alur export)"
        ) from None
    if info.file_size > MAX_ARCHIVE_MEMBER:
        raise BadInput("Arsip terlalu besar (export too large)")
    try:
        manifest = json.loads(archive.read(info))
    except (ValueError, zipfile.BadZipFile) as exc:
        raise BadInput(f"{MANIFEST} rusak (bad manifest): {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadInput(f"Format ekspor tidak dikenal (unknown export format, expected {FORMAT})")
    return manifest


def import_archive(store: Store, source: Path, attachments: Path | None) -> BackupSummary:
    """Restore an :func:`export_archive` zip into the empty, migrated ``store``.

    Refuses a database that already holds rows (a restore must not merge two histories).
    All rows go in one transaction; attachment files are written only after it committed,
    and never outside ``attachments``."""
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BadInput(
            f"Arsip tidak dapat dibuka: {source} ({exc}) (cannot open archive)"
        ) from None
    with archive:
        manifest = _read_manifest(archive)
        tables = manifest.get("tables") or {}
        counts: dict[str, int] = {}
        with store.begin() as conn:
            for table in TABLES:
                if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
                    raise BadInput(
                        f"Basis data tujuan tidak kosong (tabel {table.name}); impor hanya ke "
                        "basis data baru (target database is not empty)"
                    )
            for table in TABLES:
                rows = tables.get(table.name) or []
                known = {c.name: c for c in table.columns}
                decoded = [
                    {k: _decode(known[k], v) for k, v in row.items() if k in known}
                    for row in rows
                ]
                if decoded:
                    conn.execute(table.insert(), decoded)
                counts[table.name] = len(decoded)
            if store.dialect == "postgresql":
                _reset_sequences(conn)
        restored = 0
        if attachments is not None:
            for name in _attachment_names(tables.get("audit") or []):
                member = f"attachments/{name}"
                try:
                    info = archive.getinfo(member)
                except KeyError:
                    continue
                if info.file_size > MAX_ARCHIVE_MEMBER:
                    continue
                path = attachments / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(archive.read(info))
                restored += 1
    return BackupSummary(counts, restored)


def _reset_sequences(conn: sa.Connection) -> None:
    """Explicit ids were inserted: move each serial sequence past them (PostgreSQL)."""
    for table in TABLES:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
            )
        )


__all__ = ["FORMAT", "BackupSummary", "export_archive", "import_archive"]
