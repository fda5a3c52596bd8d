"""People on the pages: a user name becomes the person's name, looked up once per request.

Why one place: the inbox, the task page, the case history, the case list, the reports and
the admin pages all name people. Each shows the ``person`` macro (templates/macros.html),
which asks :func:`person_of` here; the whole user directory is read once per request (an
office has hundreds of users, not millions), so a page of fifty history rows costs one query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import g

from webui.backend import backend

if TYPE_CHECKING:
    from engine.users import User


def person_of(username: str | None) -> User | None:
    """The user called ``username`` (None: nobody, the operator, or a deleted user)."""
    if not username:
        return None
    directory: dict[str, User] | None = g.get("alur_people")
    if directory is None:
        try:
            directory = backend().users.directory()
        except Exception:  # a page must still render; the user name is shown instead
            directory = {}
        g.alur_people = directory
    return directory.get(username)


def display_name(username: str | None) -> str:
    """The name to write in a sentence (flash messages): the full name, else the user name."""
    person = person_of(username)
    return person.display_name if person is not None else (username or "")
