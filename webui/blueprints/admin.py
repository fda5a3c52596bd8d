"""Admin pages: users and their roles (the lane names of deployed processes)."""

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

from webui.access import admin_required
from webui.backend import backend

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 8


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
    full_name = (request.form.get("full_name") or "").strip()[:120]
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
            backend().users.add(
                username,
                roles,
                password=password,
                full_name=full_name,
                is_admin=request.form.get("is_admin") == "1",
            )
            flash(_("Pengguna %(u)s dibuat.", u=username), "success")
    return redirect(url_for("admin.users"))


@bp.route("/pengguna/<username>", methods=["GET", "POST"])
@admin_required
def edit_user(username: str) -> Any:
    be = backend()
    user = be.users.get(username)
    choices = _role_choices(user.roles)
    if request.method == "GET":
        return render_template("admin_user.html", user=user, roles=choices)
    action = request.form.get("action")
    if action == "roles":
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
    elif action == "sessions":
        be.users.end_sessions(username)
        flash(_("Semua sesi %(u)s diakhiri.", u=username), "success")
    else:
        flash(_("Tindakan tidak dikenal."), "error")
    return redirect(url_for("admin.edit_user", username=username))
