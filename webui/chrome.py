"""The frame every page shares (header, navigation, footer): its links and words, built once
per language and mount point, and which navigation entry the request is under.

Why: ``base.html`` built seventeen addresses (``url_for``) and sixteen words (``_()``) on
every page, each some tens of Python calls through Jinja's context and Werkzeug's URL
builder: a large part of rendering a page such as an empty inbox. None of them depends on
the user or on data, only on the language and on where the app is mounted (the request's
script root), so they are built once per (language, script root) in each process and the
template reads plain attributes. Each value is what the template's own expression gave (a
translation as ``Markup``, the way Jinja's autoescaped ``_()`` returns it; an address as
``str``, escaped by the template as before), so every page stays byte-identical.

Nothing here is data: the URL map and the catalogues are fixed for the life of the process,
so no other process can make these values stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from babel.support import NullTranslations
from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from webui.i18n import N_, page_word, request_translations

_MOUNTS_KEPT = 32
"""Chromes kept per app: languages × script roots (one or two of each in a deployment)."""


@dataclass(frozen=True)
class Links:
    """The addresses in the frame, as ``url_for`` gives them under one script root."""

    css: str
    favicon: str
    script: str
    diagram_script: str
    home: str
    inbox: str
    start: str
    instances: str
    processes: str
    reports: str
    users: str
    open_tasks: str
    language: str
    notifications: str
    profile: str
    logout: str
    logout_everywhere: str


@dataclass(frozen=True)
class Words:
    """The frame's words in one language, as the template's ``_()`` gives them."""

    main_nav: Markup
    inbox: Markup
    inbox_count: Markup
    late: Markup
    start: Markup
    instances: Markup
    processes: Markup
    reports: Markup
    users: Markup
    open_tasks: Markup
    notifications: Markup
    profile: Markup
    logout: Markup
    logout_everywhere_hint: Markup
    logout_everywhere: Markup
    footer: Markup


@dataclass(frozen=True)
class Chrome:
    """The frame of every page in one language under one script root."""

    locale: str
    links: Links
    words: Words


@dataclass(frozen=True)
class Active:
    """Which navigation entry the request is under (its link is drawn as the current one)."""

    inbox: bool = False
    start: bool = False
    instances: bool = False
    processes: bool = False
    reports: bool = False
    users: bool = False
    open_tasks: bool = False
    notifications: bool = False


def active_for(endpoint: str | None, blueprint: str | None) -> Active:
    """The entry of ``endpoint``: the rule the navigation has always drawn, said once."""
    return Active(
        inbox=blueprint == "tasks" and endpoint != "tasks.start_list",
        start=endpoint == "tasks.start_list",
        instances=blueprint == "instances",
        processes=blueprint == "processes",
        reports=blueprint == "reports",
        users=bool(endpoint)
        and endpoint.startswith("admin.")  # type: ignore[union-attr]
        and endpoint != "admin.open_tasks",
        open_tasks=endpoint == "admin.open_tasks",
        notifications=blueprint == "notifications",
    )


def _build(locale: str, translations: NullTranslations) -> Chrome:
    def w(msgid: str) -> Markup:
        return page_word(translations, msgid)

    links = Links(
        css=url_for("static", filename="alur.css"),
        favicon=url_for("static", filename="favicon.svg"),
        script=url_for("static", filename="alur.js"),
        diagram_script=url_for("static", filename="diagram.js"),
        home=url_for("index"),
        inbox=url_for("tasks.inbox"),
        start=url_for("tasks.start_list"),
        instances=url_for("instances.index"),
        processes=url_for("processes.index"),
        reports=url_for("reports.index"),
        users=url_for("admin.users"),
        open_tasks=url_for("admin.open_tasks"),
        language=url_for("auth.language"),
        notifications=url_for("notifications.index"),
        profile=url_for("profile.profile"),
        logout=url_for("auth.logout"),
        logout_everywhere=url_for("auth.logout_everywhere"),
    )
    words = Words(
        main_nav=w(N_("Navigasi utama")),
        inbox=w(N_("Kotak masuk")),
        inbox_count=w(N_("Tugas di kotak masuk")),
        late=w(N_("Terlambat")),
        start=w(N_("Mulai kasus")),
        instances=w(N_("Kasus")),
        processes=w(N_("Proses")),
        reports=w(N_("Laporan")),
        users=w(N_("Pengguna")),
        open_tasks=w(N_("Tugas terbuka")),
        notifications=w(N_("Notifikasi")),
        profile=w(N_("Profil saya")),
        logout=w(N_("Keluar")),
        logout_everywhere_hint=w(N_("Akhiri sesi Anda di semua perangkat")),
        logout_everywhere=w(N_("Keluar dari semua perangkat")),
        footer=w(N_("SOP Administrasi Pemerintahan sebagai proses BPMN")),
    )
    return Chrome(locale=locale, links=links, words=words)


def chrome() -> Chrome:
    """The request's frame, built on the first page of its language and mount point."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    kept: dict[tuple[str, str], Chrome] = app.extensions.setdefault("alur.chrome", {})
    locale = str(get_locale())
    key = (locale, request.script_root)
    found = kept.get(key)
    if found is None:
        found = _build(locale, request_translations())
        if len(kept) >= _MOUNTS_KEPT:
            kept.clear()
        kept[key] = found
    return found


_LINKS_KEPT = 4096
"""Addresses kept per app by :func:`link` (a search typed into the inbox makes new ones; past
this, all start again)."""


def link(endpoint: str, **values: str | int | None) -> str:
    """``url_for(endpoint, **values)`` of a page's own links (the inbox's filter tabs and
    sort headers), each address built once per script root and kept (a template global).

    Why: Werkzeug's URL builder took some ten microseconds an address, six on every inbox
    page, for addresses that depend on nothing but the endpoint, the values (in their
    order: the query's order) and where the app is mounted. Only a full endpoint name and
    relative addresses (no ``_external``, ``_anchor`` or other ``_`` options); the URL map
    is fixed for the life of the process, so no other process can make one stale."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    kept: dict[tuple[object, ...], str] = app.extensions.setdefault("alur.links", {})
    key = (request.script_root, endpoint, *values.items())
    found = kept.get(key)
    if found is None:
        if endpoint.startswith(".") or any(name.startswith("_") for name in values):
            raise ValueError(f"link() takes a full endpoint and no url_for options: {key}")
        found = url_for(endpoint, **cast(dict[str, Any], values))
        if len(kept) >= _LINKS_KEPT:
            kept.clear()
        kept[key] = found
    return found


def template_context() -> dict[str, object]:
    """``chrome`` and ``nav_active`` for every template (a context processor)."""
    return {"chrome": chrome(), "nav_active": active_for(request.endpoint, request.blueprint)}


def init_app(app: Flask) -> None:
    app.context_processor(template_context)
    app.jinja_env.globals["link"] = link
