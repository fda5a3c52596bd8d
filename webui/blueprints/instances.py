"""Cases (process instances): the list, one case with its coloured diagram and audit trail,
and cancelling a case (admin)."""

from __future__ import annotations

import math
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
    url_for,
)
from flask_babel import gettext as _

from engine.status import InstanceStatus
from webui import attachments, diagrams
from webui.access import admin_required, can_see_instance, instance_scope, login_required
from webui.backend import backend
from webui.routing import query_int

bp = Blueprint("instances", __name__, url_prefix="/kasus")

STATUSES = tuple(InstanceStatus)
SEARCH_MAX = 100
"""Longest search text taken from the case list's search box."""


@bp.route("/")
@login_required
def index() -> Any:
    be = backend()
    process_key = request.args.get("proses") or None
    status = request.args.get("status") or None
    if status not in STATUSES:
        status = None
    overdue = request.args.get("terlambat") == "1"
    search = (request.args.get("cari") or "").strip()[:SEARCH_MAX]
    size = current_app.config["ALUR_PAGE_SIZE"]
    page = query_int("hal", 1, lenient=True) or 1
    # staff see the cases their roles work on: filtered in the query, so that the count
    # and the pages count only what the user can see
    rows, total = be.runtime.instances(
        process_key=process_key,
        status=status,
        overdue=overdue,
        search=search or None,
        scope=instance_scope(g.user),
        limit=size,
        offset=(page - 1) * size,
    )
    return render_template(
        "instances.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, math.ceil(total / size)),
        process_key=process_key or "",
        status=status or "",
        overdue=overdue,
        search=search,
        processes=be.definitions.list(),
    )


def _visible(instance_id: int) -> Any:
    instance = backend().runtime.instance(instance_id)
    if not can_see_instance(g.user, instance):
        abort(403)
    return instance


@bp.route("/<int:instance_id>")
@login_required
def instance(instance_id: int) -> Any:
    be = backend()
    inst = _visible(instance_id)
    history = be.runtime.history(instance_id)
    open_tasks = [t for t in be.runtime.instance_tasks(instance_id) if t.state == "ready"]
    status = be.runtime.element_status(instance_id)
    return render_template(
        "instance.html",
        instance=inst,
        history=history,
        open_tasks=open_tasks,
        status=status,
        display_name=attachments.display_name,
    )


@bp.route("/<int:instance_id>/diagram.svg")
@login_required
def diagram(instance_id: int) -> Any:
    be = backend()
    inst = _visible(instance_id)
    status = {k: (v.state, v.count) for k, v in be.runtime.element_status(instance_id).items()}
    svg = diagrams.process_svg(inst.definition_id, be.definitions.xml, status)
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/<int:instance_id>/batalkan", methods=["POST"])
@admin_required
def cancel(instance_id: int) -> Any:
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        flash(_("Isi alasan pembatalan."), "error")
        return redirect(url_for("instances.instance", instance_id=instance_id))
    backend().runtime.cancel(instance_id, g.user.username, reason)
    flash(_("Kasus dibatalkan."), "success")
    return redirect(url_for("instances.instance", instance_id=instance_id))
