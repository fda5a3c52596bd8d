"""The inbox's rows as its page shows them, each built in Python once.

Why not the template's own loop: each row called ``url_for``, the ``|dt`` filter twice, the
``|age`` filter, ``agency_of`` and the ``person`` and ``task_state`` macros, each call a
lookup of the request, its locale or its catalogue again; a full page of twenty rows cost a
request more than the completion it followed (issue 14, the HTTP completion row). What is the
same for every row is made once per page here: the task address's prefix, the calendar the
dates are written with, the time now, the catalogue, the agencies of the page's processes,
the person who holds the claimed tasks. The words of the page stay in the template.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from babel.support import NullTranslations
from flask import Flask, current_app
from markupsafe import Markup

from engine.records import TaskRow, filled
from engine.returns import ReturnedWork
from engine.users import User
from webui.i18n import request_translations

_PATH_SAFE = "!$&'()*+,/:;=@"
"""What a route's default converter leaves unquoted in a path segment (werkzeug's
``BaseConverter.to_url``), so a task's address written here is the one ``url_for`` writes."""
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~\-" + re.escape(_PATH_SAFE) + "]*")
"""A text ``quote(text, safe=_PATH_SAFE)`` leaves as it is (its always-safe characters and
``_PATH_SAFE``): a task id (a UUID) is written without quoting it."""


def waited(when: datetime | None, now: datetime, translations: NullTranslations) -> str:
    """How long a task has waited, as people say it: "2 hari", "3 jam", "baru saja" (a naive
    time is taken as UTC, as the engine stores it)."""
    if when is None:
        return "–"
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    minutes = max(0, int((now - aware).total_seconds() // 60))
    if minutes < 1:
        return translations.gettext("baru saja")
    if minutes < 60:
        return translations.ngettext("%(num)s menit", "%(num)s menit", minutes) % {"num": minutes}
    hours = minutes // 60
    if minutes < 24 * 60:
        return translations.ngettext("%(num)s jam", "%(num)s jam", hours) % {"num": hours}
    days = minutes // (24 * 60)
    return translations.ngettext("%(num)s hari", "%(num)s hari", days) % {"num": days}


@dataclass(frozen=True, slots=True)
class Holder:
    """Who claimed a task, as the ``person`` macro names them: the full name with the user
    name and jabatan on hover (``title``), else the bare user name (``full_name`` empty)."""

    username: str
    full_name: str
    title: str


def holder(username: str, person: User | None) -> Holder:
    if person is None or not person.full_name:
        return Holder(username, "", "")
    title = " · ".join(part for part in (username, person.jabatan) if part)
    return Holder(username, person.full_name, title)


@dataclass(frozen=True, slots=True)
class Returned:
    """Why a task is back: the rejection's reason (shown on hover) and who rejected it,
    by the name a sentence uses."""

    comment: str
    by: str


@dataclass(frozen=True)
class InboxRow:
    """One task of the inbox, every cell ready to write (plain text; the template escapes).

    Hashable (a row is the key of its HTML, :class:`PrintedRows`); made by
    :func:`inbox_rows` with every field at once (:func:`engine.records.filled`)."""

    css: str  # the row's classes: "overdue", "returned", both or none
    href: str
    name: str
    instance_title: str
    business_key: str
    process_name: str
    agency: str
    role: str
    received: str  # the date and time it arrived (the hover of the age)
    waited: str  # how long it has waited
    due: str  # the due date and time, "–" when the step has no Waktu
    overdue: bool
    returned: Returned | None
    holder: Holder | None


@dataclass(frozen=True)
class PageParts:
    """What every row of one page shares, made once per page by the view."""

    task_prefix: str  # the task page's address up to the task id ("/tugas/")
    now: datetime
    translations: NullTranslations
    datetime_text: Callable[[datetime | None], str]  # ``|dt``: "22 Nov 2026 10.00 WIB"
    agency_of: Callable[[int], str]
    person_of: Callable[[str], User | None]
    display_name: Callable[[str], str]
    viewer: User | None = None  # the user whose inbox it is: the holder of its claimed tasks


def inbox_rows(
    tasks: Iterable[TaskRow], returned: Mapping[str, ReturnedWork], parts: PageParts
) -> list[InboxRow]:
    """The page's rows in order. Each agency and each holder is looked up once per page;
    the people are read only for a row that names someone other than the viewer."""
    agencies: dict[int, str] = {}
    holders: dict[str, Holder] = {}
    viewer = parts.viewer
    rows: list[InboxRow] = []
    for t in tasks:
        agency = agencies.get(t.definition_id)
        if agency is None:
            agency = agencies[t.definition_id] = parts.agency_of(t.definition_id)
        back = returned.get(t.id)
        held: Holder | None = None
        if t.assignee:
            held = holders.get(t.assignee)
            if held is None:
                known = viewer if viewer is not None and viewer.username == t.assignee else None
                held = holders[t.assignee] = holder(
                    t.assignee, known or parts.person_of(t.assignee)
                )
        css = ("overdue" if t.overdue else "") + (" returned" if back else "")
        task_id = t.id
        row = filled(
            InboxRow,
            css=css,
            href=parts.task_prefix
            + (task_id if _UNQUOTED.fullmatch(task_id) else quote(task_id, safe=_PATH_SAFE)),
            name=t.name,
            instance_title=t.instance_title,
            business_key=t.business_key,
            process_name=t.process_name,
            agency=agency,
            role=t.role,
            received=parts.datetime_text(t.created),
            waited=waited(t.created, parts.now, parts.translations),
            due=parts.datetime_text(t.due) if t.due else "–",
            overdue=t.overdue,
            returned=Returned(back.comment, parts.display_name(back.by)) if back else None,
            holder=held,
        )
        rows.append(row)
    return rows


_ROWS_KEPT = 2048
"""Rows' HTML kept per language: about a hundred full pages (past this, all start again)."""


class PrintedRows(dict[InboxRow, Markup]):
    """Each inbox row's HTML as the inbox template's row loop wrote it, kept by the row.

    Why: the loop writes a row in about thirty pieces, each escaped and passed up through
    three of Jinja's generators (the row's block, the page, the frame), twenty rows a page:
    a large part of a page's rendering, and the same rows come back on every view of an
    inbox (a completion takes one row away, the rest stay). A row's HTML depends on nothing
    but its :class:`InboxRow` (every value the row shows, read by this request) and the
    language of its words (one :class:`PrintedRows` per catalogue), so a kept row is current
    by construction: what another process changes in the database changes the row read, and
    the changed row is written anew. ``rows[row]`` is the kept HTML or None (not kept)."""

    __slots__ = ("keeps",)

    def __init__(self, keeps: bool = True) -> None:
        super().__init__()
        self.keeps = keeps

    def __missing__(self, row: InboxRow) -> None:
        return None

    def keep(self, row: InboxRow, html: Markup) -> Markup:
        """``html``, the row as the template just wrote it, kept for the next page."""
        if self.keeps:
            if len(self) >= _ROWS_KEPT:
                self.clear()
            self[row] = html
        return html


def printed_rows() -> PrintedRows:
    """The kept rows of the request's language (a template global). None are kept while
    templates are reloaded when changed (development): a changed row loop writes anew."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.jinja_env.auto_reload:
        return PrintedRows(keeps=False)
    kept: weakref.WeakKeyDictionary[NullTranslations, PrintedRows] = app.extensions.setdefault(
        "alur.printed_rows", weakref.WeakKeyDictionary()
    )
    translations = request_translations()
    found = kept.get(translations)
    if found is None:
        found = kept[translations] = PrintedRows()
    return found
