"""Language and time: Bahasa Indonesia by default, English on request, times in WIB.

Message ids in the code and templates are the Indonesian text itself, so the default
language needs no catalog; ``translations/en`` holds the English one. The ``.mo`` file is
compiled from the ``.po`` when it is missing or older (and is not tracked in git), so a
translator only edits the ``.po``.
"""

from __future__ import annotations

import functools
import os
import tempfile
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations
from flask import Flask, current_app, g, request, session
from flask_babel import Babel, get_babel, get_locale, get_timezone, get_translations
from jinja2 import pass_context, pass_eval_context
from jinja2.ext import _make_new_ngettext  # Jinja's newstyle wrapper
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup

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


def select_locale() -> Locale:
    """The request's language: ``?lang=``, else the session's, else the first of the app's.

    Given as the language's one :class:`Locale` of the process (:func:`_locale`), which
    Flask-Babel takes as it is: parsing the code again on every request (Flask-Babel's
    ``Locale.parse`` of a code) cost a request some tens of microseconds."""
    languages = _app_languages()
    args = request.args  # ``in`` first: a missing key's ``get`` raises inside (BadRequestKeyError)
    chosen = (args.get("lang") if "lang" in args else None) or session.get("lang")
    return _locale(chosen if chosen in languages else languages[0])


def _app_languages() -> tuple[str, ...]:
    return tuple(current_app.config.get("LANGUAGES") or ("id",))


@functools.cache
def _locale(code: str) -> Locale:
    """One :class:`Locale` per language code and process (a ``Locale`` is not changed by
    its users: Babel's own ``Locale.parse`` hands an instance back as it is)."""
    return Locale.parse(code)


def select_zone() -> tzinfo:
    """The configured zone (``BABEL_DEFAULT_TIMEZONE``): Flask-Babel's own default zone,
    made once per zone name (Flask-Babel looked the name up in pytz on every request)."""
    babel = get_babel()
    zone = _zones.get(babel.default_timezone)
    if zone is None:
        zone = _zones[babel.default_timezone] = babel.instance.default_timezone
    return zone


_zones: dict[str, tzinfo] = {}


def _aware(value: datetime) -> datetime:
    """The engine stores UTC; a naive value is taken as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Calendar:
    """What dates of one request are written with: its locale's month names (format
    context, ``abbreviated`` = CLDR ``MMM``, ``wide`` = ``MMMM``) and the user's time zone.

    Why not Babel's ``format_datetime``: it parses the locale and the pattern and walks a
    formatter object on every call, ~0.1 ms; an inbox page writes some forty dates."""

    locale: Locale
    zone: tzinfo
    short_months: Mapping[int, str]
    long_months: Mapping[int, str]


def _calendar() -> _Calendar:
    """The request's :class:`_Calendar`, kept while its locale object stays the same
    (``flask_babel.refresh()`` makes new locale and zone objects)."""
    locale = get_locale() or Locale("id")
    memo: _Calendar | None = g.get("alur_calendar")
    if memo is not None and memo.locale is locale:
        return memo
    short, wide = _month_names(str(locale))
    memo = _Calendar(locale, get_timezone(), short, wide)
    g.alur_calendar = memo
    return memo


_DATES_KEPT = 4096
"""Dates kept as written, per language and zone: a few pages' worth (past this, all start
again); a date is a dict lookup while it stays."""

_written_dates: dict[tuple[str, str], dict[datetime, str]] = {}


def datetime_writer() -> Callable[[datetime | None], str]:
    """:func:`fmt_datetime` on the request's calendar, for a view that writes many dates at
    once (the inbox's rows), each date's text kept for the next request.

    Why kept: the same tasks' dates come back on every view of an inbox, and writing one
    converts it to the user's zone through pytz (``fromutc``, in Python), most of a row's
    cost; the text depends on nothing but the instant, the language and the zone."""
    calendar = _calendar()
    kept = _written_dates.setdefault((str(calendar.locale), str(calendar.zone)), {})

    def write(value: datetime | None) -> str:
        if value is None:
            return "–"
        text = kept.get(value)
        if text is None:
            text = fmt_datetime(value, calendar)
            if len(kept) >= _DATES_KEPT:
                kept.clear()
            kept[value] = text
        return text

    return write


@functools.cache
def _month_names(locale: str) -> tuple[Mapping[int, str], Mapping[int, str]]:
    """A locale's (abbreviated, wide) month names in the format context, read from Babel's
    CLDR data once per process."""
    months = Locale.parse(locale).months["format"]
    return MappingProxyType(dict(months["abbreviated"])), MappingProxyType(dict(months["wide"]))


def _local(value: datetime, calendar: _Calendar) -> datetime:
    """``value`` in the user's zone, as ``flask_babel.to_user_timezone`` puts it, without its
    pytz ``normalize``: ``astimezone`` calls the zone's ``fromutc``, which already gives the
    offset of that instant, and ``normalize`` only does it again (half of a date's cost)."""
    return _aware(value).astimezone(calendar.zone)


def fmt_datetime(value: datetime | None, calendar: _Calendar | None = None) -> str:
    """``22 Nov 2026 10.00 WIB`` (CLDR ``d MMM y HH.mm``) — the zone name keeps offices in
    WITA/WIT from guessing.

    The zone's own abbreviation (WIB, WITA, WIT from the time-zone database) in every
    language: CLDR names Indonesian zones only in Indonesian, so English pages read "+0700"."""
    if value is None:
        return "–"
    calendar = calendar or _calendar()
    local = _local(value, calendar)
    month = calendar.short_months[local.month]
    return f"{local.day} {month} {local.year} {local.hour:02d}.{local.minute:02d} {local.tzname()}"


def fmt_date(value: datetime | None, calendar: _Calendar | None = None) -> str:
    """``18 Agustus 2026`` (CLDR ``d MMMM y``), the day in the user's time zone."""
    if value is None:
        return "–"
    calendar = calendar or _calendar()
    local = _local(value, calendar)
    return f"{local.day} {calendar.long_months[local.month]} {local.year}"


@pass_context
def _dt_filter(context: Context, value: datetime | None) -> str:
    """``|dt`` with the render's calendar (:func:`_render_context`), else the request's."""
    return fmt_datetime(value, context.get("alur_calendar"))


@pass_context
def _date_filter(context: Context, value: datetime | None) -> str:
    return fmt_date(value, context.get("alur_calendar"))


def request_translations() -> NullTranslations:
    """The catalogue of this request's language, looked up once per request.

    Flask-Babel's own template ``gettext`` asks for the domain, the locale and a cache keyed
    by the locale's name on every string (~80 strings on a task page); this keeps the answer
    for as long as the request's locale object stays the same (``flask_babel.refresh()``
    makes a new one, so a language switched mid-request is still honoured). Each language's
    catalogue is kept per app by its locale object (:func:`_locale`: one per language): it
    is Flask-Babel's catalogue, which Flask-Babel itself keeps for the life of the app, but
    found without its domain and context lookups and the locale's name made again."""
    locale = get_locale()
    if locale is None:
        return get_translations()
    memo: tuple[Locale, NullTranslations] | None = g.get("alur_translations")
    if memo is not None and memo[0] is locale:
        return memo[1]
    kept: dict[Locale, NullTranslations] = current_app.extensions.setdefault("alur.catalogues", {})
    translations = kept.get(locale)
    if translations is None:  # Flask-Babel's catalogue of the language, asked for once
        translations = kept[locale] = get_translations()
    g.alur_translations = (locale, translations)
    return translations


def N_(text: str) -> str:
    """Marks a message for extraction (``update_catalog`` looks for ``N_``); it is translated
    where it is shown."""
    return text


def page_word(translations: NullTranslations, msgid: str) -> Markup:
    """``msgid`` exactly as Jinja's newstyle, autoescaped ``_()`` renders it without
    variables: the translation marked safe, then ``%`` with no variables (``%%`` → ``%``)."""
    return Markup(translations.ugettext(msgid)) % {}


_WORDS_KEPT = 4096
"""Translated words kept per catalogue: the templates' literal ``_()`` strings, a few
hundred; past this (a template translating data) the rest is translated each time."""


@dataclass(frozen=True)
class _PageGettext:
    """A catalogue's ``gettext``/``ngettext`` for templates, made once per catalogue."""

    gettext: Callable[..., str]
    ngettext: Callable[..., str]


_page_gettexts: weakref.WeakKeyDictionary[NullTranslations, _PageGettext] = (
    weakref.WeakKeyDictionary()
)


def _page_gettext(translations: NullTranslations) -> _PageGettext:
    """The template ``_()`` of ``translations``: Jinja's newstyle ``gettext`` (the same text:
    the translation marked safe under autoescape, then ``%`` with the variables, which are
    escaped), with each literal word kept once it was formatted, since a page asks for the
    same few dozen words on every render (~80 on a task page)."""
    found = _page_gettexts.get(translations)
    if found is not None:
        return found
    words: dict[str, str] = {}
    ugettext = translations.ugettext

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, __string: str, **variables: Any) -> str:
        if not variables and eval_ctx.autoescape:
            word = words.get(__string)
            if word is None:
                word = page_word(translations, __string)
                if len(words) < _WORDS_KEPT:
                    words[__string] = word
            return word
        rv = ugettext(__string)
        if eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    found = _PageGettext(gettext, _make_new_ngettext(translations.ungettext))
    _page_gettexts[translations] = found
    return found


def _render_context() -> dict[str, Any]:
    """Each page render's own ``_()``, ``gettext``/``ngettext`` and calendar, looked up once:
    a template's ``_()`` resolves from its context first (before the environment's global,
    which would look ``gettext`` up again on every call), and the date filters read
    ``alur_calendar`` from it, so a page's strings and dates skip even the per-request
    lookup (macros imported without context fall back to the globals)."""
    page = _page_gettext(request_translations())
    return {
        "_": page.gettext,
        "gettext": page.gettext,
        "ngettext": page.ngettext,
        "alur_calendar": _calendar(),
    }


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
    Babel(app, locale_selector=select_locale, timezone_selector=select_zone)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    app.context_processor(_render_context)
    app.jinja_env.filters["dt"] = _dt_filter
    app.jinja_env.filters["date"] = _date_filter
    app.jinja_env.filters["size"] = fmt_size
    app.jinja_env.filters["decision"] = fmt_decision
    app.jinja_env.filters["plain_message"] = converter_text.plain_message
    app.jinja_env.filters["provenance_source"] = converter_text.provenance_source
    app.jinja_env.filters["branch_target"] = converter_text.branch_target
    app.jinja_env.filters["source_format"] = converter_text.source_format
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
