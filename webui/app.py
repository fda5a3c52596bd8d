"""The Flask application factory.

``create_app`` wires settings, language, security, CSRF, the engine backend and the five
blueprints. It opens no database connection: the backend is built on first use, so
``create_app`` is cheap for tests and for ``alur serve`` to call before the schema upgrade.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from flask import Flask, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from engine.store import Store
from webui import (
    access,
    backend,
    chrome,
    engine_text,
    header,
    i18n,
    limits,
    routing,
    security,
    sessions,
)
from webui.config import build_config
from webui.i18n import N_

csrf = CSRFProtect()

ERROR_TITLES = {
    400: N_("Permintaan tidak dapat diproses"),
    403: N_("Akses ditolak"),
    404: N_("Halaman tidak ditemukan"),
    405: N_("Metode tidak diizinkan"),
    409: N_("Terjadi bentrokan"),
    413: N_("Berkas terlalu besar"),
    429: N_("Terlalu banyak percobaan"),
    500: N_("Terjadi kesalahan pada server"),
    503: N_("Server sedang sibuk"),
}
ERROR_TEXTS = {
    400: N_("Permintaan Anda tidak lengkap atau tidak sah."),
    403: N_("Anda tidak memiliki hak untuk membuka halaman atau melakukan tindakan ini."),
    404: N_("Halaman yang Anda cari tidak ada atau sudah dipindahkan."),
    405: N_("Alamat ini tidak menerima cara pengiriman tersebut."),
    409: N_("Data sudah diubah oleh orang lain. Muat ulang halaman dan coba lagi."),
    413: N_("Berkas yang diunggah melebihi batas ukuran."),
    429: N_("Tunggu beberapa saat sebelum mencoba lagi."),
    500: N_("Maaf, terjadi kesalahan. Coba lagi nanti atau hubungi admin."),
    503: N_("Server sedang sibuk. Tidak ada yang berubah; coba lagi sebentar lagi."),
}

# engine errors that mean "the world moved on": tell the user and go on, no error page
_GO_ON_STATUSES = {400, 409}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Alur web app. ``config`` overrides defaults and ``ALUR_*`` variables."""
    app = Flask(__name__, instance_relative_config=True)
    instance = Path(
        (config or {}).get("INSTANCE_PATH")
        or os.environ.get("ALUR_INSTANCE_PATH")
        or app.instance_path
    )
    app.config.update(build_config(instance, config))
    hops = int(app.config.get("ALUR_TRUSTED_PROXIES") or 0)
    if hops > 0:  # behind N trusted proxies: the client address is theirs to tell
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    routing.init_app(app)
    i18n.init_app(app)
    chrome.init_app(app)
    security.init_app(app)
    limits.init_app(app)
    csrf.init_app(app)
    sessions.init_app(app)  # after CSRFProtect: its template csrf_token() is replaced
    backend.init_app(app)
    app.before_request(_share_reads)  # before the first read: the user's
    app.teardown_request(_end_shared_reads)
    app.before_request(access.load_user)
    app.teardown_request(access.forget_user)
    app.context_processor(_template_context)
    header.init_app(app)
    _register_errors(app)

    from webui.blueprints import admin, auth, instances, processes, reports, tasks

    for bp in (auth.bp, tasks.bp, processes.bp, instances.bp, admin.bp, reports.bp):
        app.register_blueprint(bp)
    from webui.blueprints import deploy

    app.register_blueprint(deploy.bp)
    from webui.blueprints import sop_editor

    app.register_blueprint(sop_editor.bp)
    from webui.blueprints import modeler

    app.register_blueprint(modeler.bp)
    from webui.blueprints import profile

    app.register_blueprint(profile.bp)
    from webui.blueprints import notifications

    app.register_blueprint(notifications.bp)
    app.add_url_rule("/", "index", lambda: redirect(url_for("tasks.inbox")))
    app.add_url_rule("/healthz", "healthz", lambda: ("ok", 200, {"Content-Type": "text/plain"}))
    return app


def _share_reads() -> None:
    """Before each request: its reads (the user, the page's queries, the header's counts)
    share one pooled connection (:meth:`engine.store.Store.one_reader`: each read is still its
    own statement or transaction and sees everything committed before it), given back at the
    request's end; writes take their own. Static files and /healthz read nothing."""
    if request.endpoint in access.NO_DATABASE:
        return
    store = getattr(backend.backend(), "store", None)
    if isinstance(store, Store):  # a test's injected backend may have none
        stack = ExitStack()
        stack.enter_context(store.one_reader())
        g.alur_one_reader = stack


def _end_shared_reads(_exc: BaseException | None = None) -> None:
    stack = g.pop("alur_one_reader", None)
    if stack is not None:
        stack.close()


def _template_context() -> dict[str, Any]:
    user = g.get("user")
    return {"current_user": user, "is_analyst": access.is_analyst(user)}


def render_error(
    status: int, message: str | None = None, back: str | None = None
) -> tuple[str, int]:
    """The error page; ``back`` adds a link to the page the user came from."""
    return (
        render_template(
            "error.html",
            status=status,
            title=_(ERROR_TITLES.get(status, ERROR_TITLES[500])),
            message=message or _(ERROR_TEXTS.get(status, ERROR_TEXTS[500])),
            back=back,
        ),
        status,
    )


def _too_large() -> tuple[str, int]:
    """The 413 page, a normal page of the app: it states the limit of the upload the view
    takes (webui.limits) and links back. The body was refused before the user was loaded
    (CSRF protection reads the form first), so the user is loaded here: the page keeps its
    navigation and the user stays visibly logged in."""
    if g.get("user") is None:
        access.load_user()
    message = _("Berkas melebihi batas. %(rule)s", rule=limits.rule_for(request.endpoint))
    return render_error(413, message, back=access.back(url_for("tasks.inbox")))


def _register_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if status == 413:
            return _too_large()
        return render_error(status)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        return render_error(
            400,
            _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim kembali."),
        )

    @app.errorhandler(Exception)
    def any_error(exc: Exception) -> Any:
        status = getattr(exc, "http_status", None)
        if status is None or not _is_engine_error(exc):
            app.logger.exception("kesalahan tak terduga")
            return render_error(500)
        if request.method == "POST" and status in _GO_ON_STATUSES:
            flash(engine_text.shown(str(exc)), "warning")
            return redirect(access.back(url_for("tasks.inbox")))
        return render_error(int(status), engine_text.shown(str(exc)))


def _is_engine_error(exc: Exception) -> bool:
    from engine.errors import EngineError

    return isinstance(exc, EngineError)
