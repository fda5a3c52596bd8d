"""BPMN waiting for an analyst's confirmation before it is deployed.

Every road to a new process version (a BPMN upload, a stored SOP draft, an edit in the
embedded modeler) goes through one place: the BPMN is *staged* here under a random token, the
analyst reads the preview (what changes against the version in use, how many cases stay on
the old version, what the validator says), and only the confirmation deploys it. The staged
file is kept on disk (not in the cookie, which is too small, nor in a hidden field, so the
confirmed file is exactly the one previewed), with who staged it and where it came from.

``source`` names the origin as the deploy record keeps it: ``upload:<filename>``,
``draft:<id>``, ``modeler:<key>/v<n>``.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _

if TYPE_CHECKING:
    from converters.bpmn.validate import Problem
    from converters.model_diff import ModelDiff
    from engine.definitions import Definition

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
MAX_AGE_SECONDS = 24 * 3600
"""A staged file not confirmed within a day is dropped (the preview would be stale anyway)."""


@dataclass(frozen=True)
class Staged:
    """One BPMN file waiting for confirmation."""

    token: str
    xml: bytes
    filename: str
    source: str
    user: str
    staged_at: float


def draft_of(source: str) -> int | None:
    """The SOP draft a ``draft:<id>`` source names (None for any other source)."""
    kind, _sep, rest = source.partition(":")
    return int(rest) if kind == "draft" and rest.isdigit() else None


def describe_source(source: str, filename: str = "") -> str:
    """The origin of a deploy in words, for the deploy history (the shapes named above)."""
    kind, _sep, rest = source.partition(":")
    if kind == "upload" and rest:
        return _("Unggahan %(name)s", name=rest)
    if kind == "draft" and rest:
        return _("Draf SOP %(id)s", id=rest)
    if kind == "modeler" and rest:
        return _("Modeler (%(what)s)", what=rest)
    return source or filename or "–"


def _folder(root: Path | None = None) -> Path:
    base = root if root is not None else Path(current_app.config["ALUR_UPLOAD_FOLDER"])
    folder = base / "_staged"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path, now: float) -> None:
    """Keep the folder small: drop what is older than a day."""
    for old in folder.iterdir():
        try:
            if now - old.stat().st_mtime > MAX_AGE_SECONDS:
                old.unlink()
        except OSError:
            pass


def stage(xml: bytes, *, filename: str, source: str, user: str) -> str:
    """Keep ``xml`` for ``user``'s confirmation; the token opens its preview
    (``url_for("deploy.preview", token=...)``)."""
    return keep(xml, filename=filename, source=source, user=user).token


def keep(xml: bytes, *, filename: str, source: str, user: str) -> Staged:
    """:func:`stage`, returning the staged file itself."""
    folder = _folder()
    now = time.time()
    _sweep(folder, now)
    token = secrets.token_hex(16)
    (folder / f"{token}.bpmn").write_bytes(xml)
    meta = {"filename": filename, "source": source, "user": user, "staged_at": now}
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    return Staged(token, xml, filename, source, user, now)


def staged(token: str, user: str) -> Staged | None:
    """The file staged under ``token`` by ``user``; None when the token is malformed,
    unknown, expired or someone else's (all of which the pages answer with 404)."""
    if not _TOKEN.match(token):
        return None
    folder = _folder()
    meta_path, xml_path = folder / f"{token}.json", folder / f"{token}.bpmn"
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        xml = xml_path.read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user") != user or time.time() - float(meta["staged_at"]) > MAX_AGE_SECONDS:
        return None
    return Staged(
        token=token,
        xml=xml,
        filename=str(meta["filename"]),
        source=str(meta["source"]),
        user=str(meta["user"]),
        staged_at=float(meta["staged_at"]),
    )


def drop(token: str) -> None:
    """Forget a staged file (after it was deployed)."""
    if _TOKEN.match(token):
        folder = _folder()
        for suffix in (".json", ".bpmn"):
            (folder / f"{token}{suffix}").unlink(missing_ok=True)


@dataclass(frozen=True)
class Preview:
    """What the analyst reads before confirming: the process the file is, the version in
    use (None: a new process), whether the content is the same as that version, what
    changes (None: not computable, ``diff_error`` says why), how many running cases stay on
    the older versions, and every problem that would stop the deploy."""

    key: str
    name: str
    current: Definition | None
    identical: bool
    diff: ModelDiff | None
    diff_error: str
    running: int
    problems: tuple[Problem, ...]

    @property
    def deployable(self) -> bool:
        return not self.problems and not self.identical

    @property
    def changes(self) -> int | None:
        """The number of differences shown, for the deploy record (None: not computed)."""
        return None if self.diff is None else len(self.diff.changes)


def preview(staged: Staged, definitions: Any) -> Preview:
    """The preview of a staged file against the version in use of its process key."""
    from converters.model import ConversionError
    from converters.model_diff import diff_bpmn
    from engine.definitions import analyse
    from engine.errors import NotFound

    problems = tuple(definitions.check(staged.xml))
    meta, _found = analyse(staged.xml, bool(getattr(definitions, "allow_scripts", False)))
    if meta is None:
        return Preview("", "", None, False, None, "", 0, problems)
    try:
        versions = definitions.versions(meta.key)
    except NotFound:
        versions = []
    current = versions[-1] if versions else None
    if current is None:
        return Preview(meta.key, meta.name, None, False, None, "", 0, problems)
    identical = current.sha256 == hashlib.sha256(staged.xml).hexdigest()
    running = sum(definitions.running_count(v.id) for v in versions)
    diff, why = None, ""
    try:
        diff = diff_bpmn(definitions.xml(current.id), staged.xml)
    except ConversionError as exc:  # a BPMN Alur cannot read as an SOP: no diff, still valid
        why = str(exc)
    return Preview(meta.key, meta.name, current, identical, diff, why, running, problems)
