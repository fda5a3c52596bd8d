"""The counts in every page's header: the inbox badges and the bell, read once per request.

Why one place: the badges (``runtime.count_inbox``) and the bell (unread notifications) were
two statements on two connections on every page, and the bell's was repeated on every
render. Both are now one statement (:meth:`engine.queries.Queries.count_desk`), read once
per request after the page view's notification pass (so the bell shows what that pass just
derived); the inbox reads them in its own transaction (:func:`keep`). Nothing is kept past
the request: another process's completion or notification shows on the next page.
"""

from __future__ import annotations

import contextlib
from typing import Any

from flask import Flask, current_app, g

from engine.queries import DeskCounts
from webui.backend import backend
from webui.blueprints import notifications

NOBODY = DeskCounts(all=0, mine=0, overdue=0, unread=0)
"""What the header shows when nobody is logged in, or when counting failed."""


def counts() -> DeskCounts:
    """The logged-in user's header counts, read on the request's first page render (unless
    the page already read them with its own data: :func:`keep`)."""
    found: DeskCounts | None = g.get("alur_desk")
    if found is not None:
        return found
    found = NOBODY
    user = g.get("user")
    if user is not None:
        notification_pass()
        with contextlib.suppress(Exception):  # the navigation must render whatever happens
            found = backend().runtime.count_desk(user.username, notifications.BELL_LIMIT)
    g.alur_desk = found
    return found


def notification_pass() -> None:
    """The page view's notification pass (throttled; at most once per request), run before
    the bell is counted so that it shows what the pass just derived."""
    if g.get("alur_notified"):
        return
    g.alur_notified = True
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        notifications.maybe_derive(app)
    except Exception:  # e.g. a wrong ALUR_SMTP_* setting: said in the log, page goes on
        app.logger.warning("notifikasi: penurunan gagal", exc_info=True)


def keep(desk: DeskCounts | None) -> None:
    """The header counts a page read in its own transaction (the inbox): not read again."""
    if desk is not None:
        g.alur_desk = desk


def template_context() -> dict[str, Any]:
    desk = counts()
    return {
        "nav_counts": desk,
        "notification_unread": desk.unread,
        "notification_bell_limit": notifications.BELL_LIMIT,
    }


def init_app(app: Flask) -> None:
    app.context_processor(template_context)
