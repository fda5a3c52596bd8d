"""Staff pages: the inbox, starting a case, the task page and its actions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from engine.errors import EngineError
from engine.status import ElementState
from webui import access, agencies, attachments, diagrams, engine_text, header, people
from webui.access import can_see_instance, can_see_task, login_required
from webui.backend import backend
from webui.blueprints.notifications import BELL_LIMIT
from webui.chrome import link
from webui.i18n import datetime_writer, request_translations
from webui.inbox_rows import PageParts, inbox_rows, printed_rows, waited
from webui.routing import query_int

bp = Blueprint("tasks", __name__)
bp.add_app_template_global(people.person_of, "person_of")
bp.add_app_template_global(people.display_name, "person_name")
bp.add_app_template_global(agencies.agency_of, "agency_of")
bp.add_app_template_global(printed_rows, "printed_rows")

INBOX_FILTERS = ("all", "mine", "roles", "overdue")
INBOX_SORTS = {"tenggat": "due", "diterima": "received", "proses": "process"}
"""``?urut=`` of the inbox (Indonesian, as the address bar shows it) → the engine's order."""


@bp.app_template_filter("age")
def received_age(when: datetime | None) -> str:
    """How long a task has waited (:func:`webui.inbox_rows.waited`), in the request's language.

    The request's catalogue, looked up once (a call per row through Flask-Babel's ngettext
    asked for the domain, locale and catalogue again each time); same text."""
    return waited(when, datetime.now(UTC), request_translations())


@bp.app_template_global()
def decision_goes_back(definition_id: int, element_id: str | None, decision: str | None) -> bool:
    """Whether a recorded decision sent the case back (the history shows it as a return)."""
    from engine.returns import backward_option

    try:
        meta = backend().definitions.meta(definition_id)
    except Exception:  # an unknown definition: shown as a plain decision
        return False
    return backward_option(meta, element_id, decision) is not None


def _page_arg() -> int:
    return query_int("hal", 1, lenient=True) or 1


@bp.route("/kotak-masuk")
@login_required
def inbox() -> Any:
    be = backend()
    flt = request.args.get("filter", "all")
    if flt not in INBOX_FILTERS:
        flt = "all"
    process_key = request.args.get("proses") or None
    search = (request.args.get("cari") or "").strip() or None
    sort = request.args.get("urut", "tenggat")
    if sort not in INBOX_SORTS:
        sort = "tenggat"
    size = current_app.config["ALUR_PAGE_SIZE"]
    page = _page_arg()
    header.notification_pass()  # before the bell is counted with the page
    found = be.runtime.inbox_and_counts(
        g.user.username,
        filter=flt,
        process_key=process_key,
        search=search,
        limit=size,
        offset=(page - 1) * size,
        sort=INBOX_SORTS[sort],
        unread_limit=BELL_LIMIT,
    )
    header.keep(found.counts)
    tasks, total = found.rows, found.total
    stamp = found.counts.definition_rows if found.counts is not None else None
    return render_template(
        "inbox.html",
        rows=inbox_rows(tasks, found.returned, _page_parts()) if tasks else [],
        total=total,
        page=page,
        pages=max(1, math.ceil(total / size)),
        flt=flt,
        process_key=process_key or "",
        search=search or "",
        sort=sort,
        processes=be.definitions.list(stamp),  # known current from the page's own read
    )


def _page_parts() -> PageParts:
    """What the inbox's rows share on this request (:mod:`webui.inbox_rows`). The task page's
    address is made once; its route takes any path segment, quoted as ``url_for`` quotes it."""
    return PageParts(
        task_prefix=link("tasks.task", task_id="-")[:-1],
        now=datetime.now(UTC),
        translations=request_translations(),
        datetime_text=datetime_writer(),
        agency_of=agencies.agency_of,
        person_of=people.person_of,
        display_name=people.display_name,
        viewer=g.user,
    )


def _startable() -> list[Any]:
    """The processes the user may start. The header's counts (read once per request in any
    case) are read first: their process list stamp says whether the memoised list is current."""
    defs = backend().definitions.list(header.counts().definition_rows)
    if g.user.is_admin:
        return defs
    roles = set(g.user.roles)
    return [d for d in defs if roles & set(d.first_lanes)]


@bp.route("/mulai")
@login_required
def start_list() -> Any:
    return render_template("start.html", definitions=_startable())


@bp.route("/mulai/<key>", methods=["POST"])
@login_required
def start(key: str) -> Any:
    title = (request.form.get("title") or "").strip()
    business_key = (request.form.get("business_key") or "").strip()
    if not title:
        flash(_("Isi judul kasus."), "error")
        return redirect(url_for("tasks.start_list"))
    if len(title) > 200 or len(business_key) > 100:
        flash(_("Judul paling panjang 200 karakter, nomor berkas 100 karakter."), "error")
        return redirect(url_for("tasks.start_list"))
    instance = backend().runtime.start(key, g.user.username, title=title, business_key=business_key)
    flash(_("Kasus \u201c%(title)s\u201d dimulai.", title=instance.title or title), "success")
    mine = backend().runtime.tasks(user=g.user.username, roles=g.user.roles, limit=200)
    first = [t for t in mine if t.instance_id == instance.id]
    if first:
        return redirect(url_for("tasks.task", task_id=first[0].id))
    return redirect(url_for("instances.instance", instance_id=instance.id))


def _visible_task(task_id: str) -> Any:
    task = backend().runtime.task(task_id)
    if not can_see_task(g.user, task):
        abort(403)
    return task


def can_act(user: Any, task: Any) -> bool:
    """Whether to offer the completion form: exactly the engine's rule (the assignee, or when
    nobody holds the task, a holder of its lane), so nobody is shown a form that ends in 403.
    Being admin is not enough: an admin reassigns a task to someone who holds the lane."""
    if task.state != "ready":
        return False
    if task.assignee:
        return bool(task.assignee == user.username)
    return task.role in user.roles


def can_note(user: Any, task: Any) -> bool:
    """Whether to offer "add a note": the engine's rule (engine.task_notes)."""
    if task.state != "ready":
        return False
    return bool(user.is_admin or task.assignee == user.username or task.role in user.roles)


@dataclass(frozen=True)
class Typed:
    """What the user typed into the task page when a submit was refused: shown again, so a
    refused attachment or a missing reason never costs the typed Catatan or form."""

    comment: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    note: str = ""


def _typed_completion(task: Any, comment: str) -> Typed:
    fields = {f.id: request.form.get(f"field-{f.id}", "") for f in task.form_fields
              if not f.readonly}  # fmt: skip
    return Typed(comment=comment, fields=fields)


@bp.route("/tugas/<task_id>")
@login_required
def task(task_id: str) -> Any:
    return _task_page(_visible_task(task_id))


def _task_page(task: Any, typed: Typed | None = None, status: int = 200) -> Any:
    """The task page (``status`` 4xx when a submit was refused and is shown again with what
    was ``typed``). A form that comes round again in a loop starts from last time's values."""
    be = backend()
    instance = be.runtime.instance(task.instance_id)
    history = be.runtime.history(task.instance_id)
    ready = task.state == "ready"
    reassign_to: list[Any] = []
    colleagues: list[Any] = []
    if ready and (g.user.is_admin or task.assignee == g.user.username):
        same_role = [u for u in be.users.list() if u.active and task.role in u.roles]
        if g.user.is_admin:
            reassign_to = same_role
        if task.assignee == g.user.username:  # delegation: the holder hands it on
            colleagues = [u for u in same_role if u.username != g.user.username]
    acting = can_act(g.user, task)
    values = be.runtime.previous_values(task) if acting else {}
    if typed is not None:
        values.update(typed.fields)
    page = render_template(
        "task.html",
        task=task,
        instance=instance,
        history=history,
        can_act=acting,
        can_note=can_note(g.user, task),
        returned=be.runtime.returned([task]).get(task.id) if ready else None,
        values=values,
        typed=typed or Typed(),
        reassign_to=reassign_to,
        colleagues=colleagues,
        allowed_types=", ".join(
            sorted(e.lstrip(".") for e in current_app.config["ALUR_ATTACHMENT_TYPES"])
        ),
        max_attachment=current_app.config["ALUR_ATTACHMENT_MAX_BYTES"],
        display_name=attachments.display_name,
    )
    return page, status


@bp.route("/tugas/<task_id>/diagram.svg")
@login_required
def task_diagram(task_id: str) -> Any:
    task = _visible_task(task_id)
    be = backend()
    status = {k: (v.state, v.count) for k, v in be.runtime.element_status(task.instance_id).items()}
    if task.state == "ready":
        count = status[task.element_id][1] if task.element_id in status else 0
        status[task.element_id] = (ElementState.ACTIVE, count)
    svg = diagrams.process_svg(task.definition_id, be.definitions.xml, status)
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/tugas/<task_id>/ambil", methods=["POST"])
@login_required
def claim(task_id: str) -> Any:
    task = _visible_task(task_id)
    try:
        backend().runtime.claim(task.id, g.user.username)
    except Exception as exc:
        return _lost_race(exc, task)
    flash(_("Tugas \u201c%(name)s\u201d Anda ambil.", name=task.name), "success")
    return redirect(url_for("tasks.task", task_id=task.id))


@bp.route("/tugas/<task_id>/lepas", methods=["POST"])
@login_required
def unclaim(task_id: str) -> Any:
    task = _visible_task(task_id)
    backend().runtime.unclaim(task.id, g.user.username)
    flash(_("Tugas dikembalikan ke kotak masuk peran %(role)s.", role=task.role), "success")
    return redirect(url_for("tasks.inbox"))


@bp.route("/tugas/<task_id>/alihkan", methods=["POST"])
@login_required
def reassign(task_id: str) -> Any:
    if not g.user.is_admin:
        abort(403)
    task = _visible_task(task_id)
    to_user = (request.form.get("to_user") or "").strip()
    if not to_user:
        flash(_("Pilih pengguna tujuan."), "error")
        return redirect(url_for("tasks.task", task_id=task.id))
    backend().runtime.reassign(task.id, to_user, g.user.username)
    flash(_("Tugas dialihkan ke %(user)s.", user=people.display_name(to_user)), "success")
    return redirect(access.back(url_for("tasks.task", task_id=task.id)))


@bp.route("/tugas/<task_id>/serahkan", methods=["POST"])
@login_required
def delegate(task_id: str) -> Any:
    """Hand a claimed task to a colleague of the same role (the engine checks both)."""
    task = _visible_task(task_id)
    to_user = (request.form.get("to_user") or "").strip()
    try:
        backend().runtime.delegate(task.id, g.user.username, to_user)
    except EngineError as exc:
        flash(engine_text.shown(exc.message), "error")
        return _task_page(task, status=exc.http_status)
    flash(_("Tugas diserahkan kepada %(user)s.", user=people.display_name(to_user)), "success")
    return redirect(url_for("tasks.inbox"))


@bp.route("/tugas/<task_id>/catatan", methods=["POST"])
@login_required
def note(task_id: str) -> Any:
    """A note and attachments on an open task, without completing it (no workflow step)."""
    task = _visible_task(task_id)
    text = (request.form.get("note") or "").strip()
    typed = Typed(note=text)
    try:
        checked = _checked_files()
    except attachments.AttachmentRejected as exc:
        flash(str(exc), "error")
        return _task_page(task, typed, 400)
    folder = Path(current_app.config["ALUR_UPLOAD_FOLDER"])
    stored = [attachments.save(folder, task.instance_id, c) for c in checked]
    try:
        backend().runtime.add_comment(task.id, g.user.username, text, stored)
    except EngineError as exc:
        _discard(folder, stored)
        flash(engine_text.shown(exc.message), "error")
        return _task_page(task, typed, exc.http_status)
    flash(_("Catatan ditambahkan ke riwayat kasus."), "success")
    return redirect(url_for("tasks.task", task_id=task.id))


def _checked_files() -> list[Any]:
    """The uploaded attachments, each checked (type, size); AttachmentRejected otherwise."""
    files = [f for f in request.files.getlist("attachments") if f and f.filename]
    return [
        attachments.check(
            f,
            current_app.config["ALUR_ATTACHMENT_TYPES"],
            current_app.config["ALUR_ATTACHMENT_MAX_BYTES"],
        )
        for f in files
    ]


def _discard(folder: Path, stored: list[str]) -> None:
    """The step did not happen: keep no orphan files."""
    for name in stored:
        (folder / name).unlink(missing_ok=True)


@bp.route("/tugas/<task_id>/selesai", methods=["POST"])
@login_required
def complete(task_id: str) -> Any:
    be = backend()
    # read once for the checks here and for the completion (engine: ``opened``)
    opened = be.runtime.open_task(task_id, g.user.username)
    task = opened.task
    if not can_see_task(g.user, task):
        abort(403)
    if task.state == "completed":  # a double submit or another tab: say so, no error page
        who = task.completed_by or "-"
        flash(_("Tugas ini sudah diselesaikan oleh %(who)s.", who=who), "warning")
        return redirect(url_for("tasks.inbox"))
    if task.state != "ready":
        flash(_("Tugas ini tidak dapat dikerjakan lagi: kasusnya dibatalkan."), "warning")
        return redirect(url_for("tasks.inbox"))
    decision = request.form.get("decision") or None
    comment = (request.form.get("comment") or "").strip()
    if len(comment) > 4000:
        flash(_("Catatan paling panjang 4000 karakter."), "error")
        return _task_page(task, _typed_completion(task, comment), 400)
    try:
        checked = _checked_files()
    except attachments.AttachmentRejected as exc:  # shown again with what was typed
        flash(str(exc), "error")
        return _task_page(task, _typed_completion(task, comment), 400)
    folder = Path(current_app.config["ALUR_UPLOAD_FOLDER"])
    stored = [attachments.save(folder, task.instance_id, c) for c in checked]
    extra: dict[str, Any] = {}
    fields = getattr(task, "form_fields", ())
    if fields:  # the task's Camunda form: raw texts, validated and typed by the engine
        extra["form"] = {
            f.id: request.form.get(f"field-{f.id}", "") for f in fields if not f.readonly
        }
    try:
        result = be.runtime.complete(
            task.id,
            g.user.username,
            decision=decision,
            comment=comment,
            attachments=stored,
            opened=opened,
            **extra,
        )
    except Exception as exc:
        _discard(folder, stored)
        status = getattr(exc, "http_status", None)
        if status == 400:  # invalid decision or missing comment: fix it on the same page
            flash(engine_text.shown(str(exc)), "error")
            return _task_page(task, _typed_completion(task, comment), 400)
        return _lost_race(exc, task)
    flash(_where_it_went(result), "success")
    return redirect(link("tasks.inbox"))


def _lost_race(exc: Exception, task: Any) -> Any:
    """A colleague of the same role got there first (claimed or finished the task): tell the
    user and go back to the inbox. Anything else is re-raised for the error pages."""
    status = getattr(exc, "http_status", None)
    same_role = task.role in g.user.roles
    if status == 409 or (status == 403 and same_role and task.assignee != g.user.username):
        flash(engine_text.shown(str(exc)), "warning")
        return redirect(url_for("tasks.inbox"))
    raise exc


def _where_it_went(result: Any) -> str:
    """The flash after a completion: what was done and where the case went.

    Said through the request's catalogue (:func:`request_translations`, the same text as
    Flask-Babel's ``gettext``): every completion says it, and Flask-Babel's ``gettext`` asks
    for the domain, the locale and the catalogue again on each of its two to four strings."""
    t = request_translations()
    name = result.task.name
    if result.instance_status == "completed" or not result.next_tasks:
        if result.instance_status == "completed":
            return t.ugettext("\u201c%(name)s\u201d selesai. Kasus telah selesai.") % {"name": name}
        return t.ugettext("\u201c%(name)s\u201d selesai.") % {"name": name}
    # a task with a fixed camunda:assignee and no lane has no role: name the person instead
    pair = t.ugettext("%(task)s (%(role)s)")
    nxt = "; ".join(
        pair % {"task": n.name, "role": n.role or n.assignee} if n.role or n.assignee else n.name
        for n in result.next_tasks
    )
    went = t.ugettext("\u201c%(name)s\u201d selesai. Kasus diteruskan ke: %(next)s.")
    return went % {"name": name, "next": nxt}


@bp.route("/lampiran/<int:instance_id>/<name>")
@login_required
def attachment(instance_id: int, name: str) -> Any:
    instance = backend().runtime.instance(instance_id)
    if not can_see_instance(g.user, instance):
        abort(403)
    path = attachments.resolve(Path(current_app.config["ALUR_UPLOAD_FOLDER"]), instance_id, name)
    if path is None:
        abort(404)
    mimetype = current_app.config["ALUR_ATTACHMENT_TYPES"].get(path.suffix.lower())
    return send_file(
        path,
        mimetype=mimetype or "application/octet-stream",
        as_attachment=True,
        download_name=attachments.display_name(name),
    )
