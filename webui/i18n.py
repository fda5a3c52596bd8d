"""Language and time: Bahasa Indonesia by default, English on request, times in WIB.

Message ids in the code and templates are the Indonesian text itself, so the default
language needs no catalog; ``translations/en`` holds the English one. The ``.mo`` file is
compiled from the ``.po`` when it is missing or older (and is not tracked in git), so a
translator only edits the ``.po``.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request, session
from flask_babel import Babel, format_date, format_datetime, get_locale, to_user_timezone

from webui import converter_text

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def compile_catalogs(root: Path = TRANSLATIONS, target: Path | None = None) -> Path:
    """Compile every stale ``messages.po`` under ``root`` into ``target`` (default: beside the
    ``.po``); returns the directory that holds the compiled catalogues.

    Compiled ``.mo`` files are not tracked in git (``.gitignore``): another Babel version
    writes other bytes, and running the app must never change the checkout. ``scripts/setup``
    compiles them, and the app compiles a missing or stale one at start. Where ``root`` is
    read-only (an installed package), they go to a per-user cache directory instead.
    """
    out = target or root
    try:
        _compile_into(root, out)
    except OSError:
        if target is not None:
            raise
        out = Path(tempfile.gettempdir()) / f"alur-translations-{os.getuid()}"
        _compile_into(root, out)
    return out


def _compile_into(root: Path, out: Path) -> None:
    for po in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo = out / po.relative_to(root).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f)
        mo.parent.mkdir(parents=True, exist_ok=True)
        partial = mo.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as f:
            write_mo(f, catalog)
        partial.replace(mo)  # atomic: a second worker starting at once never reads half a file


def select_locale() -> str:
    languages = tuple(_app_languages())
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in languages:
        return chosen
    return languages[0]


def _app_languages() -> tuple[str, ...]:
    from flask import current_app

    return tuple(current_app.config.get("LANGUAGES") or ("id",))


def _aware(value: datetime) -> datetime:
    """The engine stores UTC; a naive value is taken as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def fmt_datetime(value: datetime | None) -> str:
    """``22 Nov 2026 10.00 WIB`` — the zone name keeps offices in WITA/WIT from guessing.

    The zone's own abbreviation (WIB, WITA, WIT from the time-zone database) in every
    language: CLDR names Indonesian zones only in Indonesian, so English pages read "+0700"."""
    if value is None:
        return "–"
    local = to_user_timezone(_aware(value))
    return f"{format_datetime(local, 'd MMM y HH.mm')} {local.tzname()}"


def fmt_date(value: datetime | None) -> str:
    if value is None:
        return "–"
    return format_date(_aware(value), "d MMMM y")


def fmt_size(n: int | None) -> str:
    if n is None:
        return ""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")


def fmt_decision(value: str | None) -> str:
    """A stored decision id as a label: ``tidak_setuju`` → ``Tidak setuju``."""
    if not value:
        return ""
    text = value.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(compile_catalogs()))
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["dt"] = fmt_datetime
    app.jinja_env.filters["date"] = fmt_date
    app.jinja_env.filters["size"] = fmt_size
    app.jinja_env.filters["decision"] = fmt_decision
    app.jinja_env.filters["plain_message"] = converter_text.plain_message
    app.jinja_env.filters["provenance_source"] = converter_text.provenance_source
    app.jinja_env.filters["branch_target"] = converter_text.branch_target
    app.jinja_env.filters["source_format"] = converter_text.source_format
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
