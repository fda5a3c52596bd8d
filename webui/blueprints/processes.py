"""Analyst pages: process definitions, their versions and diagrams, BPMN and SOP uploads."""

from __future__ import annotations

import re
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

from webui import diagrams, documents, drafts
from webui.access import analyst_required, login_required
from webui.backend import backend
from webui.routing import query_int

bp = Blueprint("processes", __name__, url_prefix="/proses")

SOP_EXTENSIONS = (".txt", ".html", ".htm", ".yaml", ".yml", ".docx", ".xlsx", ".pdf",
                  ".png", ".jpg", ".jpeg", ".tif", ".tiff")
"""What "Unggah dokumen SOP" takes: text and office SOPs, PDFs (a drawn flowchart is read
from its symbols, a text PDF through pdftotext) and scans as images."""
BPMN_EXTENSIONS = (".bpmn", ".xml")


@bp.route("/")
@login_required
def index() -> Any:
    be = backend()
    rows = []
    for d in be.definitions.list():
        versions = be.definitions.versions(d.key)
        running = sum(be.definitions.running_count(v.id) for v in versions)
        rows.append({"definition": d, "versions": len(versions), "running": running})
    return render_template("processes.html", rows=rows)


def _definition(key: str) -> Any:
    version = query_int("versi")
    return backend().definitions.get(key, version)


@bp.route("/<key>")
@login_required
def detail(key: str) -> Any:
    be = backend()
    definition = _definition(key)
    versions = [
        {"definition": v, "running": be.definitions.running_count(v.id)}
        for v in be.definitions.versions(key)
    ]
    return render_template("process.html", definition=definition, versions=versions)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "proses"


@bp.route("/<key>/v<int:version>.bpmn")
@login_required
def download(key: str, version: int) -> Any:
    be = backend()
    definition = be.definitions.get(key, version)
    return Response(
        be.definitions.xml(definition.id),
        mimetype="application/xml",
        headers={
            "Content-Disposition": f'attachment; filename="{_slug(key)}-v{version}.bpmn"'
        },
    )


@bp.route("/<key>/v<int:version>/diagram.svg")
@login_required
def diagram(key: str, version: int) -> Any:
    be = backend()
    definition = be.definitions.get(key, version)
    svg = diagrams.process_svg(definition.id, be.definitions.xml)
    return Response(svg, mimetype="image/svg+xml")


DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}
# The HTML preview is a self-contained page (inline SVG and styles, no scripts): it gets its
# own policy that allows its inline styles and nothing that can run.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


@bp.route("/<key>/v<int:version>/dokumen.<fmt>")
@login_required
def document(key: str, version: int, fmt: str) -> Any:
    """The official SOP AP document (Permenpan RB 35/2012) of one deployed version."""
    if fmt not in DOCUMENT_TYPES:
        abort(404)
    paper = request.args.get("kertas", "a4")
    if paper not in ("a4", "f4"):
        abort(400)
    be = backend()
    definition = be.definitions.get(key, version)
    try:
        data = documents.sop_document(definition.id, be.definitions.xml, fmt, paper)
    except documents.DocumentError as exc:
        flash(_("Dokumen SOP tidak dapat dibuat: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for("processes.detail", key=key, versi=version))
    response = Response(data, mimetype=DOCUMENT_TYPES[fmt])
    if fmt == "html":
        response.headers["Content-Security-Policy"] = PREVIEW_CSP
    else:
        name = f"SOP-{_slug(key)}-v{version}.{fmt}"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _uploaded(field: str, extensions: tuple[str, ...]) -> tuple[str, bytes] | str:
    """(filename, bytes) of the posted file, or a one-line reason it is refused."""
    f = request.files.get(field)
    if f is None or not f.filename:
        return _("Pilih berkas untuk diunggah.")
    name = Path(f.filename).name
    if not name.lower().endswith(extensions):
        return _(
            "Jenis berkas %(name)s tidak didukung (yang didukung: %(kinds)s).",
            name=name,
            kinds=", ".join(e.lstrip(".") for e in extensions),
        )
    data = f.read()
    if not data.strip():
        return _("Berkas %(name)s kosong.", name=name)
    return name, data


@bp.route("/unggah", methods=["GET", "POST"])
@analyst_required
def upload() -> Any:
    if request.method == "GET":
        return render_template("process_upload.html", problems=None, filename="")
    got = _uploaded("bpmn", BPMN_EXTENSIONS)
    if isinstance(got, str):
        flash(got, "error")
        return render_template("process_upload.html", problems=None, filename=""), 400
    name, data = got
    try:
        result = backend().definitions.deploy(data, filename=name, user=g.user.username)
    except Exception as exc:
        problems = getattr(exc, "problems", None)
        if problems is None:
            raise
        return (
            render_template(
                "process_upload.html", problems=list(problems), filename=name, message=str(exc)
            ),
            400,
        )
    d = result.definition
    if result.created:
        flash(_("%(name)s versi %(v)s diterapkan.", name=d.name, v=d.version), "success")
    else:
        flash(
            _("Isi berkas sama dengan versi %(v)s; tidak ada versi baru.", v=d.version), "info"
        )
    return redirect(url_for("processes.detail", key=d.key))


def _drafts_root() -> Path:
    return Path(current_app.config["ALUR_UPLOAD_FOLDER"])


@bp.route("/sop", methods=["GET", "POST"])
@analyst_required
def sop_upload() -> Any:
    if request.method == "GET":
        return render_template("sop_upload.html")
    got = _uploaded("sop", SOP_EXTENSIONS)
    if isinstance(got, str):
        flash(got, "error")
        return render_template("sop_upload.html"), 400
    name, data = got
    from converters.model import ConversionError
    from converters.reading.sop_file import read_sop

    try:
        sop = read_sop(data, name)
    except ConversionError as exc:
        flash(_("Dokumen %(name)s tidak dapat dibaca: %(why)s", name=name, why=str(exc)), "error")
        return render_template("sop_upload.html"), 400
    token = drafts.put(_drafts_root(), name, sop.to_dict(), g.user.username)
    return redirect(url_for("processes.sop_review", token=token))


def _draft(token: str) -> tuple[dict[str, Any], Any]:
    from converters.model import Sop

    draft = drafts.get(_drafts_root(), token)
    if draft is None:
        abort(404)
    return draft, Sop.from_dict(draft["sop"])


@bp.route("/sop/<token>")
@analyst_required
def sop_review(token: str) -> Any:
    draft, sop = _draft(token)
    return render_template("sop_review.html", token=token, filename=draft["filename"], sop=sop)


def _bpmn_of(sop: Any) -> bytes:
    from converters.bpmn.writer import write_bpmn

    return write_bpmn(sop)


@bp.route("/sop/<token>/bpmn")
@analyst_required
def sop_bpmn(token: str) -> Any:
    draft, sop = _draft(token)
    stem = _slug(Path(draft["filename"]).stem)
    return Response(
        _bpmn_of(sop),
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{stem}.bpmn"'},
    )


@bp.route("/sop/<token>/diagram.svg")
@analyst_required
def sop_diagram(token: str) -> Any:
    """The draft drawn as it would be deployed (not cached: a draft is looked at once)."""
    _draft_data, sop = _draft(token)
    try:
        xml = _bpmn_of(sop)
    except Exception:  # an SOP the writer cannot express: the table still shows it
        return Response(diagrams.placeholder("Diagram tidak dapat digambar"),
                        mimetype="image/svg+xml")
    return Response(diagrams.render_uncached(xml), mimetype="image/svg+xml")


@bp.route("/sop/<token>/terapkan", methods=["POST"])
@analyst_required
def sop_deploy(token: str) -> Any:
    draft, sop = _draft(token)
    name = Path(draft["filename"]).stem + ".bpmn"
    try:
        result = backend().definitions.deploy(_bpmn_of(sop), filename=name, user=g.user.username)
    except Exception as exc:
        problems = getattr(exc, "problems", None)
        if problems is None:
            raise
        return (
            render_template(
                "sop_review.html",
                token=token,
                filename=draft["filename"],
                sop=sop,
                problems=list(problems),
            ),
            400,
        )
    drafts.drop(_drafts_root(), token)
    d = result.definition
    flash(_("%(name)s versi %(v)s diterapkan.", name=d.name, v=d.version), "success")
    return redirect(url_for("processes.detail", key=d.key))
