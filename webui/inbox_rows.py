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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from babel.support import NullTranslations

from engine.records import TaskRow
from engine.returns import ReturnedWork
from engine.users import User

_PATH_SAFE = "!$&'()*+,/:;=@"
"""What a route's default converter leaves unquoted in a path segment (werkzeug's
``BaseConverter.to_url``), so a task's address written here is the one ``url_for`` writes."""


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


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One task of the inbox, every cell ready to write (plain text; the template escapes)."""

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
        rows.append(
            InboxRow(
                css=css,
                href=parts.task_prefix + quote(t.id, safe=_PATH_SAFE),
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
        )
    return rows
