"""Login, logout and the language switch."""

from __future__ import annotations

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

from webui.access import back, safe_next
from webui.backend import backend

bp = Blueprint("auth", __name__)


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> Any:
    next_url = safe_next(request.values.get("next"), url_for("tasks.inbox"))
    if g.get("user") is not None and request.method == "GET":
        return redirect(next_url)
    if request.method == "GET":
        return render_template("login.html", next=next_url, username="")

    username = (request.form.get("username") or "").strip()
    password = request.form.get("password") or ""
    limiter = current_app.extensions["alur.login_limiter"]
    keys = (f"ip:{request.remote_addr}", f"user:{username.lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        minutes = max(1, (wait + 59) // 60)
        flash(
            _("Terlalu banyak percobaan masuk. Coba lagi dalam %(n)s menit.", n=minutes), "error"
        )
        return render_template("login.html", next=next_url, username=username), 429
    if not username or not password:
        flash(_("Isi nama pengguna dan kata sandi."), "error")
        return render_template("login.html", next=next_url, username=username), 400

    user = backend().users.authenticate(username, password)
    if user is None:
        limiter.fail(*keys)
        flash(_("Nama pengguna atau kata sandi salah."), "error")
        return render_template("login.html", next=next_url, username=username), 401
    limiter.succeed(*keys)
    lang = session.get("lang")
    session.clear()  # a fresh session on login: nothing carried over from before
    session.permanent = True
    session["uid"] = user.id
    session["gen"] = user.session_generation
    if lang:
        session["lang"] = lang
    flash(_("Selamat datang, %(name)s.", name=user.full_name or user.username), "success")
    return redirect(next_url)


@bp.route("/keluar", methods=["POST"])
def logout() -> Any:
    """End the session on the server too: the user's session generation is bumped, so this
    cookie (and any copy of it) no longer logs anyone in."""
    _end_sessions()
    flash(_("Anda telah keluar."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/keluar-semua", methods=["POST"])
def logout_everywhere() -> Any:
    """"Keluar dari semua perangkat": every session of the user, on every device, ends."""
    _end_sessions()
    flash(_("Anda telah keluar dari semua perangkat."), "success")
    return redirect(url_for("auth.login"))


def _end_sessions() -> None:
    user = g.get("user")
    if user is not None:
        backend().users.end_sessions(user.username)
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.route("/bahasa", methods=["POST"])
def language() -> Any:
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(back(url_for("tasks.inbox")))
