"""Parsed SOP documents waiting for an analyst's review, kept as JSON files.

Between "upload an SOP document" and "deploy it" the analyst reads the parsed table; the
parsed model is kept on disk under a random token (not in the cookie, which is too small, and
not in a hidden field, so the reviewed model is exactly the one parsed).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
MAX_AGE_SECONDS = 24 * 3600


def _folder(root: Path) -> Path:
    folder = root / "_drafts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def put(root: Path, filename: str, sop: dict[str, Any], user: str) -> str:
    folder = _folder(root)
    now = time.time()
    for old in folder.glob("*.json"):  # keep the folder small: drop day-old drafts
        try:
            if now - old.stat().st_mtime > MAX_AGE_SECONDS:
                old.unlink()
        except OSError:
            pass
    token = secrets.token_hex(16)
    payload = {"filename": filename, "user": user, "sop": sop}
    (folder / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
    return token


def get(root: Path, token: str) -> dict[str, Any] | None:
    if not _TOKEN.match(token):
        return None
    path = _folder(root) / f"{token}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text("utf-8"))


def drop(root: Path, token: str) -> None:
    if _TOKEN.match(token):
        (_folder(root) / f"{token}.json").unlink(missing_ok=True)
