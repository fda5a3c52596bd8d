"""Deploy with care: the preview of a staged BPMN and its confirmation.

Whatever staged the file (a BPMN upload, an SOP draft, the embedded modeler), the analyst
lands on the same preview (webui.deploying) and only the POST of its button deploys. The form
carries the version the preview was compared with: if another analyst deployed in between,
the confirmation shows the preview again against the new version instead of deploying on a
diff nobody read.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from webui import deploying, diagrams
from webui.access import analyst_required
from webui.backend import backend

bp = Blueprint("deploy", __name__, url_prefix="/proses/terapkan")
bp.add_app_template_global(deploying.describe_source, "deploy_source")


def _close_draft(source: str) -> None:
    """An SOP draft whose content is now the version in use leaves the list of open drafts."""
    from engine.errors import NotFound
    from engine.sop_drafts import DraftState, SopDrafts

    draft_id = deploying.draft_of(source)
    if draft_id is None:
        return
    drafts = SopDrafts(backend().store)
    try:
        if drafts.get(draft_id).state is DraftState.OPEN:
            drafts.set_state(draft_id, DraftState.DEPLOYED, user=g.user.username)
    except NotFound:  # the draft was removed meanwhile: nothing to close
        pass


def _staged(token: str) -> deploying.Staged:
    found = deploying.staged(token, g.user.username)
    if found is None:
        abort(404)
    return found


def source_url(source: str) -> str | None:
    """The page a deploy's origin can be seen on: the SOP draft, or the process the modeler
    edited; None for an upload (the file is kept as the version itself)."""
    draft_id = deploying.draft_of(source)
    kind, _sep, rest = source.partition(":")
    try:
        if draft_id is not None:
            return url_for("sop_editor.edit", draft_id=draft_id)
        if kind == "modeler" and "/" in rest:
            return url_for("processes.detail", key=rest.rsplit("/", 1)[0])
    except BuildError:  # pragma: no cover - an app without that page
        pass
    return None


bp.add_app_template_global(source_url, "deploy_source_url")


def _back(staged: deploying.Staged) -> str:
    """Where "Batal" leads: back to the draft or the process the file came from, else to
    the upload page."""
    return source_url(staged.source) or url_for("processes.upload")


def _page(staged: deploying.Staged, shown: deploying.Preview, status: int = 200) -> Any:
    return (
        render_template("deploy_preview.html", staged=staged, preview=shown, back=_back(staged)),
        status,
    )


@bp.route("/<token>")
@analyst_required
def preview(token: str) -> Any:
    staged = _staged(token)
    return _page(staged, deploying.preview(staged, backend().definitions))


@bp.route("/<token>/diagram.svg")
@analyst_required
def diagram(token: str) -> Any:
    """The staged file drawn (not cached: it is looked at once)."""
    staged = _staged(token)
    return Response(diagrams.render_uncached(staged.xml), mimetype="image/svg+xml")


@bp.route("/<token>", methods=["POST"])
@analyst_required
def confirm(token: str) -> Any:
    from engine.deployments import DeployNote
    from engine.errors import DefinitionInvalid

    staged = _staged(token)
    definitions = backend().definitions
    shown = deploying.preview(staged, definitions)
    compared = shown.current.version if shown.current is not None else 0
    if request.form.get("versi", type=int) != compared:
        flash(
            _("Versi yang berlaku berubah sejak pratinjau dibuka; periksa perbedaannya lagi."),
            "warning",
        )
        return _page(staged, shown, 409)
    if shown.problems:
        return _page(staged, shown, 400)
    if shown.identical and shown.current is not None:
        deploying.drop(token)
        _close_draft(staged.source)
        flash(
            _("Isi berkas sama dengan versi %(v)s; tidak ada versi baru.", v=shown.current.version),
            "info",
        )
        return redirect(url_for("processes.detail", key=shown.key))
    note = DeployNote(source=staged.source, changes=shown.changes)
    try:
        result = definitions.deploy(
            staged.xml, filename=staged.filename, user=g.user.username, note=note
        )
    except DefinitionInvalid as exc:  # the engine found more than the check did
        return _page(staged, dataclasses.replace(shown, problems=tuple(exc.problems)), 400)
    deploying.drop(token)
    _close_draft(staged.source)
    d = result.definition
    if result.created:
        flash(_("%(name)s versi %(v)s diterapkan.", name=d.name, v=d.version), "success")
    else:  # someone deployed the same content a moment ago
        flash(_("Isi berkas sama dengan versi %(v)s; tidak ada versi baru.", v=d.version), "info")
    return redirect(url_for("processes.detail", key=d.key))
