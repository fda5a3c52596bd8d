"""The embedded BPMN modeler: edit a deployed version in the browser, keep a draft, validate
it with Alur's own checks, and send it to the deploy preview as a new version.

bpmn-js (the engine inside Camunda Modeler) runs in the page from files Alur serves itself
(webui/static/modeler/, built at set-up from the npm packages by ``npm run build:modeler``).
The page posts the diagram it holds as a file field ``xml`` to one of the routes below; all
decisions stay on the server: the draft is stored by :mod:`engine.bpmn_drafts`, the checks are
the deploy checks of :mod:`engine.definitions`, and a deploy goes through
:mod:`webui.deploying`'s preview and confirmation like every other road to a new version.
"""

from __future__ import annotations

import base64
import hashlib
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
    url_for,
)
from flask_babel import gettext as _

from webui import deploying
from webui.access import analyst_required, is_analyst
from webui.backend import backend

bp = Blueprint("modeler", __name__, url_prefix="/proses")

BUNDLE = Path("modeler") / "modeler.js"
"""The built bundle under the app's static folder; the page says so when it is missing."""

PANEL_STYLES = ("height: 100%", "flex: none; height: auto")
"""The only inline styles the modeler writes: the ``style`` attributes of two containers of the
properties panel (@bpmn-io/properties-panel builds them from HTML strings). Every other style
bpmn-js sets goes through the CSSOM, which the policy does not restrict."""


def _style_hash(style: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"


MODELER_CSP = (
    "default-src 'self'; script-src 'self'; "
    f"style-src 'self' 'unsafe-hashes' {' '.join(_style_hash(s) for s in PANEL_STYLES)}; "
    "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""The modeler page's policy: the app's strict one (webui.security), plus exactly the
:data:`PANEL_STYLES` attribute values by their hashes (``'unsafe-hashes'`` allows a listed
hash in a ``style`` attribute, nothing else): no ``'unsafe-inline'``, scripts ``'self'`` only."""


def _drafts() -> Any:
    from engine.bpmn_drafts import BpmnDrafts

    return BpmnDrafts(backend().store)


def _definition(key: str, version: int) -> Any:
    return backend().definitions.get(key, version)


def _posted_xml() -> bytes:
    """The diagram the page posted (a file field, so no form-field size limit cuts it)."""
    from engine.bpmn_drafts import checked_xml

    upload = request.files.get("xml")
    data = upload.read() if upload is not None else request.form.get("xml", "").encode()
    return checked_xml(data)


def bundle_built() -> bool:
    return (Path(current_app.static_folder or "") / BUNDLE).is_file()


def _page(definition: Any, *, source: str, xml: bytes | None = None,
          problems: list[Any] | None = None, status: int = 200) -> Any:
    draft = _drafts().get(definition.id)
    body = render_template(
        "modeler.html",
        definition=definition,
        draft=draft,
        source=source,
        xml=xml.decode("utf-8", "replace") if xml is not None else None,
        problems=problems,
        built=bundle_built(),
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = MODELER_CSP
    return response


@bp.route("/<key>/v<int:version>/ubah")
@analyst_required
def edit(key: str, version: int) -> Any:
    """The version in the modeler: its stored draft when there is one (``?asli=1``: the
    deployed version itself)."""
    definition = _definition(key, version)
    use_draft = request.args.get("asli") != "1" and _drafts().get(definition.id) is not None
    endpoint = "modeler.draft_xml" if use_draft else "processes.download"
    return _page(definition, source=url_for(endpoint, key=key, version=version))


@bp.route("/<key>/v<int:version>/draf.bpmn")
@analyst_required
def draft_xml(key: str, version: int) -> Any:
    draft = _drafts().get(_definition(key, version).id)
    if draft is None:
        abort(404)
    return Response(draft.xml, mimetype="application/xml")


@bp.route("/<key>/v<int:version>/draf", methods=["POST"])
@analyst_required
def save(key: str, version: int) -> Any:
    definition = _definition(key, version)
    _drafts().save(definition.id, _posted_xml(), g.user.username)
    flash(_("Draf disimpan. Versi %(v)s yang berjalan tidak berubah.", v=version), "success")
    return redirect(url_for("modeler.edit", key=key, version=version))


@bp.route("/<key>/v<int:version>/draf/hapus", methods=["POST"])
@analyst_required
def discard(key: str, version: int) -> Any:
    definition = _definition(key, version)
    if _drafts().discard(definition.id):
        flash(_("Draf dibuang."), "info")
    return redirect(url_for("processes.detail", key=key, versi=version))


@bp.route("/<key>/v<int:version>/validasi", methods=["POST"])
@analyst_required
def validate(key: str, version: int) -> Any:
    """Alur's deploy checks on the posted diagram; the page comes back with the diagram as it
    was posted (nothing is stored) and the same problem table a BPMN upload shows."""
    from converters.bpmn.validate import validate_bpmn

    definition = _definition(key, version)
    xml = _posted_xml()
    errors = list(backend().definitions.check(xml))
    problems = errors + [p for p in validate_bpmn(xml) if p.severity == "warning"]
    if not errors:
        flash(_("Tidak ada masalah: diagram ini dapat diterapkan."), "success")
    source = url_for("modeler.edit", key=key, version=version)
    return _page(definition, source=source, xml=xml, problems=problems)


@bp.route("/<key>/v<int:version>/terapkan", methods=["POST"])
@analyst_required
def apply(key: str, version: int) -> Any:
    """Keep the edit as the draft (a preview left without confirming loses nothing) and stage
    it: the deploy preview shows the diff and asks for the confirmation."""
    definition = _definition(key, version)
    xml = _posted_xml()
    user = g.user.username
    _drafts().save(definition.id, xml, user)
    token = deploying.stage(
        xml, filename=f"{key}-v{version}-modeler.bpmn", source=f"modeler:{key}/v{version}",
        user=user,
    )
    return redirect(url_for("deploy.preview", token=token))


@bp.app_context_processor
def _draft_lookup() -> dict[str, Any]:
    """``bpmn_draft(definition)`` for the process page: the stored draft of that version, for
    analysts only (None for everyone else, or when it cannot be read)."""

    def bpmn_draft(definition: Any) -> Any:
        if not is_analyst(g.get("user")):
            return None
        try:
            return _drafts().get(definition.id)
        except Exception:  # the process page must render even if the lookup fails
            return None

    return {"bpmn_draft": bpmn_draft}
