"""The SOP editor: an uploaded SOP becomes a stored draft that analysts correct, then deploy.

Upload (``/proses/sop``) reads the document (a reading job, :mod:`webui.reading`, whose page
shows a long reading's progress) and stores the parsed model as a draft
(:mod:`engine.sop_drafts`), one draft per SOP when the file holds several (a compilation;
the upload page then lists them); the editor page shows every step as a small form (activity, role,
Mutu Baku, decision and its branches), the roles and the identity block, the BPMN diagram and
the official SOP table of the current model, and the problems found. Each form posts one
change, which is saved with who and when (the draft's history) and redirects back, so the
page works without JavaScript and a reload never repeats a change. "Terapkan" stages the
draft's BPMN for the deploy preview (:mod:`webui.deploying`), the one road to a deploy.
"""

from __future__ import annotations

import contextlib
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
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from converters.model import ConversionError, Sop
from converters.model_edits import (
    EditError,
    add_role,
    add_step,
    confirm_step,
    merge_roles,
    move_role,
    move_step,
    needs_review,
    remove_role,
    remove_step,
    rename_role,
    replace_step,
)
from engine.errors import NotFound
from engine.reading_jobs import JobState, ReadingJob, ReadingJobs
from engine.sop_drafts import Draft, DraftState, SopDrafts
from webui import deploying, reading, sop_forms, sop_previews
from webui.access import analyst_required
from webui.backend import backend
from webui.blueprints.processes import SOP_EXTENSIONS, _uploaded

bp = Blueprint("sop_editor", __name__, url_prefix="/proses/sop")


def _drafts() -> SopDrafts:
    return SopDrafts(backend().store)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "sop"


def _draft(draft_id: int) -> Draft:
    try:
        return _drafts().get(draft_id)
    except NotFound:
        abort(404)


def _revision() -> int:
    """The revision the posted form was made from (the draft's optimistic lock)."""
    raw = (request.form.get("revision") or "").strip()
    if not raw.isdigit() or len(raw) > 9:
        abort(400)
    return int(raw)


@bp.route("", methods=["GET", "POST"])
@analyst_required
def upload() -> Any:
    """Upload an SOP document; it becomes a stored draft. The page lists the open drafts.

    The reading runs as a job (:mod:`webui.reading`): a reading done within a moment goes
    straight to its draft, a longer one (a scan: seconds per page) to the job's page, which
    shows its progress and goes on to the draft when done."""
    if request.method == "GET":
        return render_template("sop_upload.html", drafts=_drafts().in_state())
    got = _uploaded("sop", SOP_EXTENSIONS)
    if isinstance(got, str):
        flash(got, "error")
        return render_template("sop_upload.html", drafts=_drafts().in_state()), 400
    name, data = got
    job = _jobs().create(data, filename=name, uploader=g.user.username)
    locale = str(get_locale() or "id")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ended = reading.start(app, job, data, locale)
    ended.wait(float(current_app.config.get("ALUR_READING_WAIT", reading.WAIT_SECONDS)))
    job = _jobs().get(job.id)
    if job.state is JobState.FAILED:
        flash(reading.failure(job), "error")
        return render_template("sop_upload.html", drafts=_drafts().in_state()), 400
    if job.state is JobState.DONE:
        return _read(job)
    return redirect(url_for("sop_editor.reading_job", job_id=job.id))


def _jobs() -> ReadingJobs:
    return ReadingJobs(backend().store)


def _read(job: ReadingJob) -> Any:
    """Where a finished reading goes: its draft, or for a compilation (one draft per SOP) the
    list of open drafts, which shows them all (a merged SOP would be wrong where no one
    looks)."""
    if len(job.draft_ids) == 1:
        return redirect(url_for("sop_editor.edit", draft_id=job.draft_ids[0]))
    titles = []
    for draft_id in job.draft_ids:
        with contextlib.suppress(NotFound):
            titles.append(_drafts().get(draft_id).title)
    flash(_("Berkas %(name)s memuat %(n)s SOP; dibuat %(n)s draf, satu per SOP: %(titles)s.",
            name=job.filename, n=len(job.draft_ids), titles="; ".join(titles)), "success")
    return redirect(url_for("sop_editor.upload") + "#draf-terbuka")


def _job(job_id: int) -> ReadingJob:
    """The job, seen only by its uploader and the admins (404 for anyone else: whether a job
    exists is none of their business)."""
    try:
        job = _jobs().get(job_id)
    except NotFound:
        abort(404)
    if job.uploader != g.user.username and not g.user.is_admin:
        abort(404)
    return job


@bp.route("/baca/<int:job_id>")
@analyst_required
def reading_job(job_id: int) -> Any:
    """The job's page: its progress while it reads (polled by ``static/reading.js``, a meta
    refresh without JavaScript), then on to the draft; a failure's reason, or a stopped job."""
    job = _job(job_id)
    if job.state is JobState.DONE:
        return _read(job)
    return render_template("sop_reading.html", view=reading.view(job))


@bp.route("/baca/<int:job_id>/status")
@analyst_required
def reading_status(job_id: int) -> Any:
    """The job's progress as JSON, answered by whichever process the poll reaches."""
    response = jsonify(reading.view(_job(job_id)).as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(draft: Draft, status: int = 200) -> Any:
    sop = draft.sop
    return (
        render_template(
            "sop_editor.html",
            draft=draft,
            sop=sop,
            editable=draft.state is DraftState.OPEN,
            findings=sop_previews.findings(sop),
            history=_drafts().history(draft.id),
            needs_review=needs_review,
            max_branches=sop_forms.MAX_BRANCHES,
            list_fields=sop_forms.LIST_FIELDS,
        ),
        status,
    )


@bp.route("/<int:draft_id>")
@analyst_required
def edit(draft_id: int) -> Any:
    return _page(_draft(draft_id))


def _save(draft: Draft, sop: Sop, summary: str, anchor: str = "") -> Any:
    _drafts().save(draft.id, sop, user=g.user.username, summary=summary, revision=_revision())
    flash(_("Tersimpan: %(what)s", what=summary), "success")
    return redirect(url_for("sop_editor.edit", draft_id=draft.id) + anchor)


def _refused(draft: Draft, message: str) -> Any:
    flash(message, "error")
    return _page(draft, 400)


def _step_or_404(draft: Draft, number: int) -> Any:
    try:
        return draft.sop.step(number)
    except KeyError:
        abort(404)


@bp.route("/<int:draft_id>/langkah/<int:number>", methods=["POST"])
@analyst_required
def save_step(draft_id: int, number: int) -> Any:
    draft = _draft(draft_id)
    current = _step_or_404(draft, number)
    try:
        changed = sop_forms.step(request.form, draft.sop, current, g.user.username)
    except sop_forms.FormError as exc:
        return _refused(draft, _("Langkah %(n)s tidak disimpan: %(why)s", n=number, why=exc))
    if changed == current:
        flash(_("Langkah %(n)s tidak berubah.", n=number), "info")
        return redirect(url_for("sop_editor.edit", draft_id=draft.id) + f"#langkah-{number}")
    sop = replace_step(draft.sop, changed)
    return _save(draft, sop, _("Langkah %(n)s diubah", n=number), f"#langkah-{number}")


@bp.route("/<int:draft_id>/langkah/<int:number>/konfirmasi", methods=["POST"])
@analyst_required
def confirm(draft_id: int, number: int) -> Any:
    draft = _draft(draft_id)
    _step_or_404(draft, number)
    sop = confirm_step(draft.sop, number, g.user.username)
    return _save(draft, sop, _("Langkah %(n)s dikonfirmasi", n=number), f"#langkah-{number}")


@bp.route("/<int:draft_id>/langkah/<int:number>/pindah", methods=["POST"])
@analyst_required
def move(draft_id: int, number: int) -> Any:
    draft = _draft(draft_id)
    _step_or_404(draft, number)
    offset = {"naik": -1, "turun": 1}.get(request.form.get("arah", ""))
    if offset is None:
        abort(400)
    sop = move_step(draft.sop, number, offset)
    summary = (_("Langkah %(n)s dipindah ke atas", n=number) if offset < 0
               else _("Langkah %(n)s dipindah ke bawah", n=number))  # fmt: skip
    return _save(draft, sop, summary, "#langkah")


@bp.route("/<int:draft_id>/langkah/<int:number>/hapus", methods=["POST"])
@analyst_required
def remove(draft_id: int, number: int) -> Any:
    draft = _draft(draft_id)
    _step_or_404(draft, number)
    try:
        sop = remove_step(draft.sop, number)
    except EditError:
        return _refused(draft, _("Langkah terakhir tidak dapat dihapus."))
    return _save(draft, sop, _("Langkah %(n)s dihapus", n=number), "#langkah")


@bp.route("/<int:draft_id>/langkah", methods=["POST"])
@analyst_required
def add(draft_id: int) -> Any:
    draft = _draft(draft_id)
    after_raw = (request.form.get("after") or "").strip()
    numbers = {s.number for s in draft.sop.steps}
    if not after_raw.isdigit() or (int(after_raw) != 0 and int(after_raw) not in numbers):
        return _refused(draft, _("Langkah tujuan %(n)s tidak ada.", n=after_raw[:12]))
    try:
        activity = sop_forms.activity(request.form)
        role = sop_forms.role_choice(request.form, draft.sop)
    except sop_forms.FormError as exc:
        return _refused(draft, _("Langkah tidak ditambahkan: %(why)s", why=exc))
    after = int(after_raw)
    sop = add_step(draft.sop, after, activity, role)
    return _save(draft, sop, _("Langkah baru setelah langkah %(n)s", n=after),
                 f"#langkah-{after + 1}")  # fmt: skip


@bp.route("/<int:draft_id>/identitas", methods=["POST"])
@analyst_required
def identity(draft_id: int) -> Any:
    draft = _draft(draft_id)
    try:
        sop = sop_forms.identity(request.form, draft.sop)
    except sop_forms.FormError as exc:
        return _refused(draft, _("Identitas tidak disimpan: %(why)s", why=exc))
    return _save(draft, sop, _("Identitas SOP diubah"), "#identitas")


def _role_edit(sop: Sop, action: str, role: str) -> tuple[Sop, str]:
    """The roles edit ``action`` on ``role``; EditError / FormError when it cannot apply."""
    form = request.form
    if action == "ganti-nama":
        new = sop_forms.text(form, "new_name", sop_forms.MAX_NAME)
        if not new:
            raise sop_forms.FormError(_("Nama pelaksana tidak boleh kosong."))
        return rename_role(sop, role, new), _("Pelaksana %(a)s menjadi %(b)s", a=role, b=new)
    if action in ("naik", "turun"):
        return move_role(sop, role, -1 if action == "naik" else 1), _(
            "Urutan pelaksana %(a)s diubah", a=role)
    if action == "gabung":
        into = sop_forms.text(form, "into", sop_forms.MAX_NAME)
        return merge_roles(sop, role, into), _("Pelaksana %(a)s digabung ke %(b)s", a=role,
                                                b=into)  # fmt: skip
    if action == "hapus":
        return remove_role(sop, role), _("Pelaksana %(a)s dihapus", a=role)
    if action == "tambah":
        new = sop_forms.text(form, "new_name", sop_forms.MAX_NAME)
        if not new:
            raise sop_forms.FormError(_("Nama pelaksana tidak boleh kosong."))
        return add_role(sop, new), _("Pelaksana %(a)s ditambahkan", a=new)
    abort(400)


@bp.route("/<int:draft_id>/pelaksana", methods=["POST"])
@analyst_required
def roles(draft_id: int) -> Any:
    draft = _draft(draft_id)
    action = request.form.get("aksi", "")
    role = sop_forms.text(request.form, "role", sop_forms.MAX_NAME)
    if action != "tambah" and role not in draft.sop.roles:
        return _refused(draft, _("Pelaksana %(a)s tidak ada.", a=role))
    try:
        sop, summary = _role_edit(draft.sop, action, role)
    except sop_forms.FormError as exc:
        return _refused(draft, str(exc))
    except EditError:
        return _refused(draft, _(
            "Perubahan pelaksana tidak dapat diterapkan: nama sudah dipakai, pelaksana masih "
            "melaksanakan langkah, atau pelaksana tujuan tidak ada."))
    return _save(draft, sop, summary, "#pelaksana")


@bp.route("/<int:draft_id>/diagram.svg")
@analyst_required
def diagram(draft_id: int) -> Any:
    """The BPMN of the draft drawn as it would be deployed."""
    return Response(sop_previews.diagram_svg(_draft(draft_id).sop), mimetype="image/svg+xml")


@bp.route("/<int:draft_id>/tabel.svg")
@analyst_required
def table(draft_id: int) -> Any:
    """The official SOP AP document (identity page, flowchart table) of the draft."""
    return Response(sop_previews.table_svg(_draft(draft_id).sop), mimetype="image/svg+xml")


def _download(draft: Draft, data: bytes, ext: str, mimetype: str) -> Response:
    name = f"{_slug(Path(draft.filename).stem)}.{ext}"
    return Response(
        data, mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


@bp.route("/<int:draft_id>/bpmn")
@analyst_required
def download_bpmn(draft_id: int) -> Any:
    draft = _draft(draft_id)
    try:
        xml = sop_previews.bpmn(draft.sop)
    except ConversionError as exc:
        return _refused(draft, _("BPMN tidak dapat ditulis: %(why)s", why=str(exc)))
    return _download(draft, xml, "bpmn", "application/xml")


@bp.route("/<int:draft_id>/yaml")
@analyst_required
def download_yaml(draft_id: int) -> Any:
    from converters.yaml_writer import write_yaml

    draft = _draft(draft_id)
    return _download(draft, write_yaml(draft.sop).encode("utf-8"), "yaml",
                     "application/yaml; charset=utf-8")  # fmt: skip


@bp.route("/<int:draft_id>/terapkan", methods=["POST"])
@analyst_required
def deploy(draft_id: int) -> Any:
    """Stage the draft's BPMN for the deploy preview (nothing is deployed here)."""
    draft = _draft(draft_id)
    if draft.state is not DraftState.OPEN:
        return _refused(draft, _("Draf ini sudah tidak terbuka."))
    try:
        xml = sop_previews.bpmn(draft.sop)
    except ConversionError as exc:
        return _refused(draft, _("BPMN tidak dapat ditulis: %(why)s", why=str(exc)))
    token = deploying.stage(
        xml,
        filename=_slug(Path(draft.filename).stem) + ".bpmn",
        source=f"draft:{draft.id}",
        user=g.user.username,
    )
    return redirect(url_for("deploy.preview", token=token))


@bp.route("/<int:draft_id>/buang", methods=["POST"])
@analyst_required
def discard(draft_id: int) -> Any:
    draft = _draft(draft_id)
    if draft.state is not DraftState.OPEN:
        return _refused(draft, _("Draf ini sudah tidak terbuka."))
    _drafts().set_state(draft.id, DraftState.DISCARDED, user=g.user.username)
    flash(_("Draf %(title)s dibuang.", title=draft.title), "info")
    return redirect(url_for("sop_editor.upload"))
