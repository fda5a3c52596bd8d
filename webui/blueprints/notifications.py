"""The bell: in-app notifications, opening one (marks it read), and each user's choices.

The notifications are derived by the engine (:mod:`engine.notifier`); this blueprint shows a
user their own and nobody else's. Pages also run the deriving pass now and then (at most
every ``ALUR_NOTIFY_WEB_SECONDS``, one request at a time, never sending mail), so the bell
is current even where no ``alur worker`` runs; that pass failing never fails the page.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from engine.errors import BadInput, NotFound
from engine.notifications import EVENT_KINDS, Channel, Kind, Notification, Notifications
from engine.notifier import Notifier, NotifySettings
from webui.access import login_required
from webui.backend import backend
from webui.i18n import N_
from webui.routing import query_int

bp = Blueprint("notifications", __name__, url_prefix="/notifikasi")

PAGE_SIZE = 30
BELL_LIMIT = 99


KIND_LABELS = {
    Kind.NEW_TASK: N_("Tugas baru"),
    Kind.RETURNED: N_("Pekerjaan dikembalikan"),
    Kind.DUE_SOON: N_("Segera jatuh tempo"),
    Kind.OVERDUE: N_("Terlambat"),
    Kind.CASE_FINISHED: N_("Kasus selesai"),
    Kind.DIGEST: N_("Ringkasan harian lewat surel"),
}
KIND_HINTS = {
    Kind.NEW_TASK: N_("Tugas masuk ke peran Anda."),
    Kind.RETURNED: N_("Tugas yang pernah Anda kerjakan dikembalikan karena tidak disetujui."),
    Kind.DUE_SOON: N_("Tugas Anda jatuh tempo dalam 24 jam."),
    Kind.OVERDUE: N_("Tugas Anda melewati tenggat."),
    Kind.CASE_FINISHED: N_("Kasus yang Anda mulai telah selesai."),
    Kind.DIGEST: N_("Satu surel setiap pagi berisi tugas yang terbuka dan tenggatnya."),
}
CHANNEL_LABELS = {
    Channel.BOTH: N_("Aplikasi dan surel"),
    Channel.APP: N_("Aplikasi saja"),
    Channel.EMAIL: N_("Surel saja"),
    Channel.NONE: N_("Tidak usah"),
}


def _box() -> Notifications:
    return Notifications(backend().store)


@bp.route("/")
@login_required
def index() -> Any:
    page = query_int("hal", 1, lenient=True) or 1
    items = _box().list(g.user.username, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return render_template(
        "notifications.html",
        items=items[:PAGE_SIZE],
        page=page,
        more=len(items) > PAGE_SIZE,
        kind_labels=KIND_LABELS,
    )


@bp.route("/<int:notification_id>")
@login_required
def follow(notification_id: int) -> Any:
    """Go to what the notification is about, marking it read on the way (it is the user's
    own: another user's id is a 404, the same as one that does not exist)."""
    box = _box()
    try:
        item = box.get(g.user.username, notification_id)
    except NotFound:
        abort(404)
    box.mark_read(g.user.username, [item.id])
    return redirect(target(item))


@bp.route("/baca-semua", methods=["POST"])
@login_required
def read_all() -> Any:
    n = _box().mark_read(g.user.username)
    flash(_("%(n)s notifikasi ditandai sudah dibaca.", n=n), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/pengaturan", methods=["GET", "POST"])
@login_required
def settings() -> Any:
    box = _box()
    username = g.user.username
    if request.method == "POST":
        chosen: dict[Kind, Channel] = {}
        allowed = {kind: _choices(kind) for kind in Kind}
        for kind in Kind:
            value = request.form.get(f"kind_{kind.value}", "")
            try:
                channel = Channel(value)
            except ValueError:
                channel = None
            if channel is None or channel not in allowed[kind]:
                flash(_("Pilihan notifikasi tidak dikenal."), "error")
                return render_settings(box, request.form.get("email", ""), 400)
            chosen[kind] = channel
        try:
            box.set_preferences(username, chosen, request.form.get("email", ""))
        except BadInput:
            flash(_("Alamat surel tidak sah. Contoh: nama@instansi.go.id"), "error")
            return render_settings(box, request.form.get("email", ""), 400)
        flash(_("Pengaturan notifikasi disimpan."), "success")
        return redirect(url_for("notifications.settings"))
    return render_settings(box)


def render_settings(box: Notifications, email: str | None = None, status: int = 200) -> Any:
    prefs = box.preferences(g.user.username)
    rows = [
        (kind, KIND_LABELS[kind], KIND_HINTS[kind], prefs.channel(kind), _choices(kind))
        for kind in Kind
    ]
    mail_on = bool(current_app.config.get("ALUR_SMTP_HOST"))
    return (
        render_template(
            "notifications_settings.html",
            rows=rows,
            email=prefs.email if email is None else email,
            channel_labels=CHANNEL_LABELS,
            mail_on=mail_on,
        ),
        status,
    )


def _choices(kind: Kind) -> tuple[Channel, ...]:
    if kind in EVENT_KINDS:
        return (Channel.BOTH, Channel.APP, Channel.EMAIL, Channel.NONE)
    return (Channel.EMAIL, Channel.NONE)  # the digest is a mail


def target(item: Notification) -> str:
    if item.task_id:
        return url_for("tasks.task", task_id=item.task_id)
    if item.instance_id is not None:
        return url_for("instances.instance", instance_id=item.instance_id)
    return url_for("tasks.inbox")


# -- the cheap pass behind the bell (webui.header counts it on every page) -----------------

_pass_lock = threading.Lock()


def maybe_derive(app: Flask) -> None:
    """Run the deriving pass if the last one is older than ``ALUR_NOTIFY_WEB_SECONDS``; one
    request at a time (the others do not wait: they show what is there)."""
    every = int(app.config.get("ALUR_NOTIFY_WEB_SECONDS") or 0)
    if every <= 0:
        return
    state = app.extensions.setdefault("alur.notify", {"last": float("-inf")})
    if time.monotonic() - state["last"] < every or not _pass_lock.acquire(blocking=False):
        return
    try:
        state["last"] = time.monotonic()
        notifier = state.get("notifier")
        if notifier is None:
            values = dict(app.config)
            values["ALUR_BASE_URL"] = values.get("ALUR_BASE_URL") or request.url_root
            notifier = Notifier(backend().store, NotifySettings.from_mapping(values))
            state["notifier"] = notifier
        notifier.derive()
    finally:
        _pass_lock.release()
