"""The user's own page: who they are (name, NIP, jabatan, roles), their password, their language.

The name, NIP and jabatan are the office's record and only an admin changes them (admin
pages); the password and the language are the person's own. A password change ends every
other session of the user (engine.users bumps the session generation) but keeps this one.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from engine.errors import BadInput
from engine.users import LANGUAGES, MIN_PASSWORD, WrongPassword
from webui import engine_text
from webui.access import login_required
from webui.backend import backend

bp = Blueprint("profile", __name__)

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
"""Each language in its own name (the menu must be readable whatever the current one is)."""
bp.add_app_template_global(lambda: LANGUAGE_NAMES, "language_names")


@bp.before_app_request
def apply_language() -> None:
    """The user's own language, once per session (a fresh login starts from it); the
    language switch in the header still changes it for the rest of the session."""
    user = g.get("user")
    if user is None or session.get("lang_of") == user.id:
        return
    session["lang"] = user.language
    session["lang_of"] = user.id


@bp.route("/profil")
@login_required
def profile() -> Any:
    return _page()


def _page(status: int = 200) -> Any:
    return render_template("profile.html", user=g.user, languages=LANGUAGE_NAMES,
                           min_password=MIN_PASSWORD), status  # fmt: skip


@bp.route("/profil/kata-sandi", methods=["POST"])
@login_required
def password() -> Any:
    current = request.form.get("current") or ""
    new = request.form.get("new") or ""
    if new != (request.form.get("repeat") or ""):
        flash(_("Ulangan kata sandi baru tidak sama."), "error")
        return _page(400)
    try:
        changed = backend().users.change_password(g.user.username, current, new)
    except WrongPassword:
        flash(_("Kata sandi saat ini salah."), "error")
        return _page(400)
    except BadInput as exc:  # too short, or the same as before: the engine's words
        flash(engine_text.shown(exc.message), "error")
        return _page(400)
    session["gen"] = changed.session_generation  # this session goes on, the others end
    flash(_("Kata sandi diganti. Sesi di perangkat lain telah diakhiri."), "success")
    return redirect(url_for("profile.profile"))


@bp.route("/profil/bahasa", methods=["POST"])
@login_required
def language() -> Any:
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        flash(_("Bahasa tidak dikenal."), "error")
        return _page(400)
    backend().users.set_language(g.user.username, lang)
    session["lang"] = lang
    session["lang_of"] = g.user.id
    flash(_("Bahasa disimpan."), "success")
    return redirect(url_for("profile.profile"))
