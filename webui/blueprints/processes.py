"""Analyst pages: process definitions, their versions and diagrams, BPMN and SOP uploads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from webui import deploying, diagrams, documents, limits
from webui.access import analyst_required, login_required
from webui.backend import backend
from webui.routing import query_int

bp = Blueprint("processes", __name__, url_prefix="/proses")

BPMN_EXTENSIONS = (".bpmn", ".xml")
SOP_EXTENSIONS = (".txt", ".csv", ".tsv", ".md", ".html", ".htm", ".xhtml", ".hocr", ".yaml",
                  ".yml", ".docx", ".xlsx", ".doc", ".xls", ".odt", ".ods", ".pdf", ".png",
                  ".jpg", ".jpeg", ".tif", ".tiff", *BPMN_EXTENSIONS)
"""What "Unggah dokumen SOP" takes: every input the command line reads. Text (tab text, a
table saved as CSV or Markdown, OCR or pdftotext word boxes: hOCR, ALTO .xml, TSV, .xhtml)
and office SOPs (Word/Excel 97-2003 too; LibreOffice's .odt/.ods through LibreOffice), PDFs (a drawn
flowchart is read from its symbols, a text PDF through pdftotext), scans as images, and BPMN
(read back into the SOP model, so it opens in the SOP editor)."""


@bp.app_template_global("upload_accept")
def upload_accept(kind: str) -> str:
    """The ``accept`` attribute of an upload field: ``"sop"`` or ``"bpmn"``."""
    return ",".join(SOP_EXTENSIONS if kind == "sop" else BPMN_EXTENSIONS)


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
    from engine.deployments import Deployments

    return render_template(
        "process.html",
        definition=definition,
        versions=versions,
        deploys=Deployments(be.store).of_process(key),
    )


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
    data = f.read(limits.current().document_bytes + 1)
    if len(data) > limits.current().document_bytes:  # a request limit raised by hand
        return limits.too_large(name, limits.document_rule())
    if not data.strip():
        return _("Berkas %(name)s kosong.", name=name)
    return name, data


@bp.route("/unggah", methods=["GET", "POST"])
@analyst_required
def upload() -> Any:
    if request.method == "GET":
        return render_template("process_upload.html")
    got = _uploaded("bpmn", SOP_EXTENSIONS)
    if isinstance(got, str):
        flash(got, "error")
        return render_template("process_upload.html"), 400
    name, data = got
    from converters.reading.sop_file import looks_like_bpmn

    if not looks_like_bpmn(data, name):  # an SOP document: its own page reads it
        flash(
            _(
                "%(name)s bukan berkas BPMN. Dokumen SOP (teks, PDF, pindaian, DOCX, XLSX, "
                "YAML) diunggah di halaman “Unggah dokumen SOP”: hasil bacaannya dapat "
                "diperiksa dan diperbaiki sebelum diterapkan.",
                name=name,
            ),
            "error",
        )
        return render_template("process_upload.html"), 400
    staged = deploying.keep(data, filename=name, source=f"upload:{name}", user=g.user.username)
    shown = deploying.preview(staged, backend().definitions)
    if shown.problems:  # refused at once: the problem table answers the upload (400)
        return render_template("deploy_preview.html", staged=staged, preview=shown), 400
    return redirect(url_for("deploy.preview", token=staged.token))
