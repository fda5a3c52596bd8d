"""Admin pages: users (their roles, the lane names of deployed processes, and who they are:
name, NIP, jabatan, language, the address notification mail goes to) and every open task of the
office, to find and move stuck work."""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from engine.errors import BadInput
from engine.notifications import Notifications
from engine.open_tasks import UNCLAIMED, OpenTaskFilter
from engine.users import LANGUAGES, MIN_PASSWORD, Profile
from webui import engine_text
from webui.access import admin_required
from webui.backend import backend
from webui.routing import query_int

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


def _posted_profile() -> Profile:
    """Name, NIP, jabatan and language from the form (checked by the engine)."""
    lang = request.form.get("language") or "id"
    return Profile(
        full_name=(request.form.get("full_name") or "")[:200],
        nip=(request.form.get("nip") or "")[:40],
        jabatan=(request.form.get("jabatan") or "")[:200],
        language=lang if lang in LANGUAGES else "id",
    )


def _role_choices(extra: tuple[str, ...] = ()) -> list[str]:
    roles = list(backend().definitions.roles())
    analyst = current_app.config["ALUR_ANALYST_ROLE"]
    for r in (*extra, analyst):
        if r and r not in roles:
            roles.append(r)
    return roles


def _posted_roles(choices: list[str]) -> tuple[str, ...] | None:
    picked = request.form.getlist("roles")
    if any(r not in choices for r in picked):
        return None
    return tuple(r for r in choices if r in picked)


@bp.route("/pengguna")
@admin_required
def users() -> Any:
    return render_template("admin_users.html", users=backend().users.list(), roles=_role_choices())


@bp.route("/pengguna/baru", methods=["POST"])
@admin_required
def create_user() -> Any:
    username = (request.form.get("username") or "").strip().lower()
    password = request.form.get("password") or ""
    roles = _posted_roles(_role_choices())
    if not USERNAME.match(username):
        flash(
            _("Nama pengguna 2–40 karakter: huruf kecil, angka, titik, garis bawah, tanda hubung."),
            "error",
        )
    elif len(password) < MIN_PASSWORD:
        flash(_("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD), "error")
    elif roles is None:
        flash(_("Peran yang dipilih tidak dikenal."), "error")
    else:
        if backend().users.find(username) is not None:
            flash(_("Nama pengguna %(u)s sudah dipakai.", u=username), "error")
        else:
            try:
                backend().users.add(
                    username,
                    roles,
                    password=password,
                    is_admin=request.form.get("is_admin") == "1",
                    profile=_posted_profile(),
                )
            except BadInput as exc:  # a malformed NIP: said in the engine's words
                flash(engine_text.shown(exc.message), "error")
            else:
                flash(_("Pengguna %(u)s dibuat.", u=username), "success")
    return redirect(url_for("admin.users"))


@bp.route("/pengguna/<username>", methods=["GET", "POST"])
@admin_required
def edit_user(username: str) -> Any:
    be = backend()
    user = be.users.get(username)
    choices = _role_choices(user.roles)
    if request.method == "GET":
        email = _notifications().preferences(username).email
        return render_template("admin_user.html", user=user, roles=choices, email=email)
    action = request.form.get("action")
    if action == "profile":
        try:
            be.users.set_profile(username, _posted_profile())
        except BadInput as exc:
            flash(engine_text.shown(exc.message), "error")
        else:
            flash(_("Data diri %(u)s disimpan.", u=username), "success")
    elif action == "roles":
        roles = _posted_roles(choices)
        if roles is None:
            flash(_("Peran yang dipilih tidak dikenal."), "error")
        else:
            be.users.set_roles(username, roles)
            if username != g.user.username:  # an admin cannot remove their own admin right
                be.users.set_admin(username, request.form.get("is_admin") == "1")
            flash(_("Peran %(u)s disimpan.", u=username), "success")
    elif action == "password":
        password = request.form.get("password") or ""
        if len(password) < MIN_PASSWORD:
            flash(_("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD), "error")
        else:
            changed = be.users.set_password(username, password)  # ends that user's sessions
            if username == g.user.username:  # ... except the one that changed it
                session["gen"] = changed.session_generation
            flash(_("Kata sandi %(u)s diganti.", u=username), "success")
    elif action in ("deactivate", "activate"):
        if username == g.user.username:
            flash(_("Anda tidak dapat menonaktifkan akun Anda sendiri."), "error")
        else:
            be.users.set_active(username, action == "activate")
            msg = _("%(u)s diaktifkan.") if action == "activate" else _("%(u)s dinonaktifkan.")
            flash(msg % {"u": username}, "success")
    elif action == "email":
        _set_email(username, request.form.get("email") or "")
    elif action == "sessions":
        be.users.end_sessions(username)
        flash(_("Semua sesi %(u)s diakhiri.", u=username), "success")
    else:
        flash(_("Tindakan tidak dikenal."), "error")
    return redirect(url_for("admin.edit_user", username=username))


def _notifications() -> Notifications:
    return Notifications(backend().store)


def _set_email(username: str, email: str) -> None:
    """The address a user's notification mail goes to, set by the admin (staff who never open
    their own settings still get mail); the user's channel choices stay as they were."""
    box = _notifications()
    try:
        box.set_preferences(username, box.preferences(username).channels, email)
    except BadInput:
        flash(_("Alamat surel tidak sah. Contoh: nama@instansi.go.id"), "error")
    else:
        flash(_("Alamat surel %(u)s disimpan.", u=username), "success")


@bp.route("/tugas")
@admin_required
def open_tasks() -> Any:
    """Every open task, filtered by process, role, holder and lateness; reassigned from here
    through the task page's own route (``tasks.reassign``)."""
    be = backend()
    flt = OpenTaskFilter(
        process_key=(request.args.get("proses") or "").strip(),
        role=(request.args.get("peran") or "").strip(),
        assignee=(request.args.get("pemegang") or "").strip(),
        overdue=request.args.get("terlambat") == "1",
    )
    size = current_app.config["ALUR_PAGE_SIZE"]
    page = query_int("hal", 1, lenient=True) or 1
    rows, total = be.runtime.open_tasks(flt, limit=size, offset=(page - 1) * size)
    people = [u for u in be.users.list() if u.active]
    return render_template(
        "admin_tasks.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // size)),
        flt=flt,
        unclaimed=UNCLAIMED,
        processes=be.definitions.list(),
        roles=_role_choices(),
        people=people,
        holders={r: [u for u in people if r in u.roles] for r in {t.role for t in rows}},
    )
