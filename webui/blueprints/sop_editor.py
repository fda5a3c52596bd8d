"""The SOP editor: an uploaded SOP becomes a stored draft that analysts correct, then deploy.

Upload (``/proses/sop``) reads the document and stores the parsed model as a draft
(:mod:`engine.sop_drafts`), one draft per SOP when the file holds several (a compilation;
the upload page then lists them); the editor page shows every step as a small form (activity, role,
Mutu Baku, decision and its branches), the roles and the identity block, the BPMN diagram and
the official SOP table of the current model, and the problems found. Each form posts one
change, which is saved with who and when (the draft's history) and redirects back, so the
page works without JavaScript and a reload never repeats a change. "Terapkan" stages the
draft's BPMN for the deploy preview (:mod:`webui.deploying`), the one road to a deploy.
"""

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
from engine.sop_drafts import Draft, DraftState, SopDrafts
from webui import deploying, sop_forms, sop_previews
from webui.access import analyst_required
from webui.backend import backend
from webui.blueprints.processes import SOP_EXTENSIONS, _uploaded
from webui.converter_text import plain_message

bp = Blueprint("sop_editor", __name__, url_prefix="/proses/sop")


def _drafts() -> SopDrafts:
    return SopDrafts(backend().store)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "sop"


def _draft(draft_id: int) -> Draft:
    from engine.errors import NotFound

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
    """Upload an SOP document; it becomes a stored draft. The page lists the open drafts."""
    if request.method == "GET":
        return render_template("sop_upload.html", drafts=_drafts().in_state())
    got = _uploaded("sop", SOP_EXTENSIONS)
    if isinstance(got, str):
        flash(got, "error")
        return render_template("sop_upload.html", drafts=_drafts().in_state()), 400
    name, data = got
    from converters.reading.sop_file import read_sops

    try:
        sops = read_sops(data, name)
    except ConversionError as exc:
        why = plain_message(exc)
        flash(_("Dokumen %(name)s tidak dapat dibaca: %(why)s", name=name, why=why), "error")
        return render_template("sop_upload.html", drafts=_drafts().in_state()), 400
    if len(sops) == 1:
        summary = _("Diunggah dari %(name)s", name=name)
        draft = _drafts().create(sops[0], filename=name, user=g.user.username, summary=summary)
        return redirect(url_for("sop_editor.edit", draft_id=draft.id))
    # a compilation: one draft per SOP, each corrected and deployed on its own; the list of
    # open drafts shows them all (a merged SOP would be wrong where no one looks)
    titles = []
    for k, sop in enumerate(sops, 1):
        summary = _("Diunggah dari %(name)s (SOP %(k)s dari %(n)s)", name=name, k=k,
                    n=len(sops))
        draft = _drafts().create(sop, filename=name, user=g.user.username, summary=summary)
        titles.append(draft.title)
    flash(_("Berkas %(name)s memuat %(n)s SOP; dibuat %(n)s draf, satu per SOP: %(titles)s.",
            name=name, n=len(sops), titles="; ".join(titles)), "success")
    return redirect(url_for("sop_editor.upload") + "#draf-terbuka")


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
