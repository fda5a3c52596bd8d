"""The web UI's settings: defaults, then ``ALUR_*`` environment variables, then the caller's.

Kept apart from the factory so that ``alur serve`` and the tests build the same settings the
same way, and so every knob an operator may turn is listed in one place.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from engine.mail import SETTING_NAMES as MAIL_SETTING_NAMES
from webui import limits

REPO_ROOT = Path(__file__).resolve().parent.parent

ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
"""Output documents a staff member may attach: extension → media type served back."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "ya", "on"}


def _env_int(name: str, default: int) -> int:
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    try:
        return max(0, int(value))
    except ValueError:
        raise ValueError(f"{name} harus bilangan bulat (must be an integer): {value!r}") from None


def _secret_key(instance_path: Path) -> str:
    """A stable secret: from ALUR_SECRET_KEY, else one generated once into the instance folder.

    Generating and keeping it means sessions survive a restart without the operator having to
    invent a key, while no key is ever shipped in the repository.
    """
    env = os.environ.get("ALUR_SECRET_KEY")
    if env:
        return env
    path = instance_path / "secret_key"
    try:
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        instance_path.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
        return key
    except OSError:
        return secrets.token_hex(32)


def build_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """All settings for :func:`webui.app.create_app`."""
    overrides = dict(overrides or {})
    cfg: dict[str, Any] = {
        "ALUR_DATABASE_URL": os.environ.get("ALUR_DATABASE_URL") or None,
        "ALUR_BPMN_DIR": os.environ.get("ALUR_BPMN_DIR") or str(REPO_ROOT / "bpmn"),
        "ALUR_UPLOAD_FOLDER": os.environ.get("ALUR_UPLOAD_FOLDER")
        or str(instance_path / "uploads"),
        "ALUR_TIMEZONE": os.environ.get("ALUR_TIMEZONE") or "Asia/Jakarta",
        "ALUR_ANALYST_ROLE": os.environ.get("ALUR_ANALYST_ROLE") or "Analis",
        "ALUR_ATTACHMENT_MAX_BYTES": _env_int("ALUR_ATTACHMENT_MAX_BYTES", limits.ATTACHMENT_BYTES),
        "ALUR_ATTACHMENT_TYPES": ATTACHMENT_TYPES,
        "ALUR_LOGIN_MAX_FAILURES": int(os.environ.get("ALUR_LOGIN_MAX_FAILURES") or 5),
        "ALUR_LOGIN_WINDOW_SECONDS": int(os.environ.get("ALUR_LOGIN_WINDOW_SECONDS") or 300),
        # reverse proxies in front of Alur that may be trusted to set X-Forwarded-For/-Proto/
        # -Host (0: none, the default; see docs/operations.md). Off, the login limiter keys on
        # the connecting address and a client cannot spoof one.
        "ALUR_TRUSTED_PROXIES": _env_int("ALUR_TRUSTED_PROXIES", 0),
        # notifications (README, "Notifikasi"): the address links in e-mails point to, the
        # local hour of the daily digest, how often a page view may derive new notifications
        # (seconds; 0: only the worker does), and the SMTP server (engine.mail.SETTING_NAMES)
        "ALUR_BASE_URL": os.environ.get("ALUR_BASE_URL") or "",
        "ALUR_DIGEST_HOUR": os.environ.get("ALUR_DIGEST_HOUR") or "7",
        "ALUR_NOTIFY_WEB_SECONDS": _env_int("ALUR_NOTIFY_WEB_SECONDS", 30),
        **{name: os.environ.get(name) or "" for name in MAIL_SETTING_NAMES},
        "ALUR_PAGE_SIZE": 20,
        "ALUR_BACKEND": None,  # an object with users/definitions/runtime (tests may inject one)
        "MAX_CONTENT_LENGTH": _env_int("ALUR_MAX_UPLOAD_BYTES", limits.DOCUMENT_BYTES),
        "SESSION_COOKIE_SECURE": _env_bool("ALUR_SECURE_COOKIES", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "alur_session",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,  # one working day
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "BABEL_DEFAULT_LOCALE": "id",
        "LANGUAGES": ("id", "en"),
    }
    cfg.update(overrides)
    cfg.setdefault("BABEL_DEFAULT_TIMEZONE", cfg["ALUR_TIMEZONE"])
    if "BABEL_DEFAULT_TIMEZONE" not in overrides:
        cfg["BABEL_DEFAULT_TIMEZONE"] = cfg["ALUR_TIMEZONE"]
    if not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _secret_key(instance_path)
    return cfg
