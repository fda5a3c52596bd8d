"""The SOP editor through the Flask client: upload → draft, every editing action, previews,
downloads, "Terapkan" into the deploy preview, bad input, and who may do it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from converters.model import END, Sop, Step
from converters.reading.sop_file import read_sop
from engine.sop_drafts import DraftState, SopDrafts
from tests.conftest import ROOT
from tests.webui.conftest import session_client, text

SAMPLE = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"


def drafts(app: Flask) -> SopDrafts:
    return SopDrafts(app.config["ALUR_BACKEND"].store)


def upload(client: FlaskClient, data: bytes | None = None, name: str = SAMPLE.name) -> Any:
    body = SAMPLE.read_bytes() if data is None else data
    return client.post("/proses/sop", data={"sop": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")  # fmt: skip


@pytest.fixture()
def analis(real_app: Flask) -> FlaskClient:
    return session_client(real_app, "analis")


@pytest.fixture()
def draft_id(analis: FlaskClient) -> int:
    r = upload(analis)
    assert r.status_code == 302
    found = re.fullmatch(r"/proses/sop/(\d+)", r.headers["Location"])
    assert found, r.headers["Location"]
    return int(found.group(1))


def sop_of(app: Flask, draft_id: int) -> Sop:
    return drafts(app).get(draft_id).sop


def step_form(app: Flask, draft_id: int, step: Step, **changes: Any) -> dict[str, Any]:
    """The editor's step form as the page fills it, with ``changes`` applied."""
    form: dict[str, Any] = {
        "revision": str(drafts(app).get(draft_id).revision),
        "activity": step.activity, "role": step.role, "new_role": "",
        "other_roles": list(step.other_roles), "requirements": step.requirements,
        "duration": step.duration.text, "output": step.output, "notes": step.notes,
    }  # fmt: skip
    if step.decision is not None:
        form["decision"] = "1"
        form["question"] = step.decision.question
        for i, b in enumerate(step.decision.branches):
            form[f"branch_label_{i}"] = b.label
            form[f"branch_to_{i}"] = str(b.target)
    form.update(changes)
    return form


def post_step(app: Flask, client: FlaskClient, draft_id: int, number: int, **changes: Any) -> Any:
    step = sop_of(app, draft_id).step(number)
    return client.post(f"/proses/sop/{draft_id}/langkah/{number}",
                       data=step_form(app, draft_id, step, **changes))  # fmt: skip


def rev(app: Flask, draft_id: int) -> str:
    return str(drafts(app).get(draft_id).revision)


# -- upload and the page ---------------------------------------------------------------------


def test_upload_stores_a_draft_that_other_analysts_see(real_app: Flask, analis: FlaskClient,
                                                       draft_id: int) -> None:  # fmt: skip
    d = drafts(real_app).get(draft_id)
    assert d.state is DraftState.OPEN and d.created_by == "analis"
    assert d.sop == read_sop(SAMPLE)
    page = analis.get(f"/proses/sop/{draft_id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Menghimpun hasil pembahasan IKU" in body
    # step 1's role is a 38 % guess: highlighted with its evidence and a confirm button
    step1 = body.split('id="langkah-1"')[1].split('id="langkah-2"')[0]
    assert "step guessed" in body.split('id="langkah-1"')[0][-80:]
    assert "Pelaksana ditebak" in step1 and f"/proses/sop/{draft_id}/langkah/1/konfirmasi" in step1
    assert "Pelaksana ditebak" not in body.split('id="langkah-2"')[1].split('id="langkah-3"')[0]
    listing = session_client(real_app, "admin").get("/proses/sop")
    assert f'href="/proses/sop/{draft_id}"' in listing.get_data(as_text=True)


def test_upload_of_junk_or_wrong_type_says_why(analis: FlaskClient, real_app: Flask) -> None:
    r = upload(analis, b"\x00\x01\x02 ini bukan SOP", "acak.txt")
    assert r.status_code == 400 and "tidak dapat dibaca" in text(r)
    r = upload(analis, b"MZ\x90\x00", "sop.exe")
    assert r.status_code == 400 and "tidak didukung" in text(r)
    assert drafts(real_app).in_state() == []


# -- steps -----------------------------------------------------------------------------------


def test_changing_a_role_saves_confirms_and_records_who(real_app: Flask, analis: FlaskClient,
                                                       draft_id: int) -> None:  # fmt: skip
    r = post_step(real_app, analis, draft_id, 1, role="Staf")
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/proses/sop/{draft_id}#langkah-1")
    step = sop_of(real_app, draft_id).step(1)
    assert step.role == "Staf" and step.role_provenance.source == "author"
    assert "dikonfirmasi oleh analis" in step.role_provenance.evidence
    history = drafts(real_app).history(draft_id)
    assert (history[0].user, history[0].summary) == ("analis", "Langkah 1 diubah")
    body = analis.get(f"/proses/sop/{draft_id}").get_data(as_text=True)
    assert "Pelaksana ditebak" not in body.split('id="langkah-1"')[1].split('id="langkah-2"')[0]


def test_a_new_role_typed_beside_the_lanes_is_added(real_app: Flask, analis: FlaskClient,
                                                    draft_id: int) -> None:  # fmt: skip
    assert post_step(real_app, analis, draft_id, 2, new_role="Bendahara").status_code == 302
    sop = sop_of(real_app, draft_id)
    assert sop.step(2).role == "Bendahara" and sop.roles[-1] == "Bendahara"


def test_mutu_baku_other_roles_and_activity(real_app: Flask, analis: FlaskClient,
                                            draft_id: int) -> None:  # fmt: skip
    r = post_step(real_app, analis, draft_id, 3, activity="  Menerima   hasil IKU ",
                  requirements="Konsep IKU", duration="2 hari kerja", output="Rekap",
                  notes="catatan", other_roles=["Staf", "Bukan Pelaksana"])  # fmt: skip
    assert r.status_code == 302
    s = sop_of(real_app, draft_id).step(3)
    assert (s.activity, s.requirements, s.output, s.notes) == (
        "Menerima hasil IKU", "Konsep IKU", "Rekap", "catatan")
    assert s.duration.text == "2 hari kerja" and s.duration.working_days
    assert s.duration.max_minutes == 2 * 480 and s.other_roles == ("Staf",)


def test_an_unchanged_step_is_not_a_save(real_app: Flask, analis: FlaskClient,
                                         draft_id: int) -> None:  # fmt: skip
    r = post_step(real_app, analis, draft_id, 5)
    assert r.status_code == 302 and drafts(real_app).get(draft_id).revision == 1


def test_branch_target_change_updates_the_preview(real_app: Flask, analis: FlaskClient,
                                                  draft_id: int) -> None:  # fmt: skip
    before_bpmn = analis.get(f"/proses/sop/{draft_id}/bpmn").data
    before_svg = analis.get(f"/proses/sop/{draft_id}/diagram.svg").data
    r = post_step(real_app, analis, draft_id, 6, branch_to_1="3")
    assert r.status_code == 302
    assert sop_of(real_app, draft_id).step(6).decision.reject_to == 3  # type: ignore[union-attr]
    after_bpmn = analis.get(f"/proses/sop/{draft_id}/bpmn").data
    after_svg = analis.get(f"/proses/sop/{draft_id}/diagram.svg").data
    assert after_bpmn != before_bpmn and after_svg != before_svg
    assert b"<svg" in after_svg and b"placeholder" not in after_svg


def test_three_branches_end_and_decision_off(real_app: Flask, analis: FlaskClient,
                                             draft_id: int) -> None:  # fmt: skip
    r = post_step(real_app, analis, draft_id, 5, question="Sesuai?", branch_label_2="Batal",
                  branch_to_2="end")  # fmt: skip
    assert r.status_code == 302
    d = sop_of(real_app, draft_id).step(5).decision
    assert d is not None and d.question == "Sesuai?"
    assert [(b.label, b.target) for b in d.branches] == [
        ("Setuju", 6), ("Tidak setuju", 4), ("Batal", END)]
    assert d.provenance.source == "author"
    r = post_step(real_app, analis, draft_id, 5, decision="")
    assert r.status_code == 302 and sop_of(real_app, draft_id).step(5).decision is None
    r = post_step(real_app, analis, draft_id, 2, decision="1", branch_label_0="Ya",
                  branch_to_0="3", branch_label_1="Tidak", branch_to_1="1")  # fmt: skip
    assert r.status_code == 302
    assert sop_of(real_app, draft_id).step(2).decision.branches[1].target == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"branch_to_1": "99"}, "Langkah tujuan 99 tidak ada"),
        ({"branch_to_1": "x; drop"}, "tidak ada"),
        ({"activity": "   "}, "Kegiatan tidak boleh kosong"),
        ({"branch_label_1": "", "branch_to_1": ""}, "paling sedikit dua cabang"),
        ({"branch_label_1": ""}, "perlu label"),
        ({"role": "Tidak Ada"}, "Pilih pelaksana"),
        ({"notes": "x" * 2001}, "terlalu panjang"),
    ],
)
def test_bad_step_input_is_400_and_saves_nothing(
    real_app: Flask, analis: FlaskClient, draft_id: int, changes: dict[str, str], message: str
) -> None:
    r = post_step(real_app, analis, draft_id, 5, **changes)
    assert r.status_code == 400 and message in text(r)
    assert drafts(real_app).get(draft_id).revision == 1


def test_a_stale_form_does_not_overwrite_anothers_save(real_app: Flask, analis: FlaskClient,
                                                       draft_id: int) -> None:  # fmt: skip
    step = sop_of(real_app, draft_id).step(1)
    stale = step_form(real_app, draft_id, step, role="Staf")
    other = session_client(real_app, "admin")
    assert post_step(real_app, other, draft_id, 1, role="Kepala Kantor").status_code == 302
    r = analis.post(f"/proses/sop/{draft_id}/langkah/1", data=stale, follow_redirects=True)
    assert "telah diubah oleh admin" in text(r)
    assert sop_of(real_app, draft_id).step(1).role == "Kepala Kantor"


def test_add_move_remove_steps_keep_branches_on_their_steps(
    real_app: Flask, analis: FlaskClient, draft_id: int
) -> None:
    url = f"/proses/sop/{draft_id}"
    added = {"revision": rev(real_app, draft_id), "after": "3", "activity": "Memeriksa berkas",
             "role": "Staf"}  # fmt: skip
    r = analis.post(f"{url}/langkah", data=added)
    assert r.status_code == 302
    sop = sop_of(real_app, draft_id)
    assert len(sop.steps) == 9 and sop.step(4).activity == "Memeriksa berkas"
    assert sop.step(6).decision.branches[1].target == 5  # was 4 → 4, now 5  # type: ignore[union-attr]
    r = analis.post(f"{url}/langkah/4/pindah", data={"revision": rev(real_app, draft_id),
                                                     "arah": "naik"})  # fmt: skip
    assert r.status_code == 302
    sop = sop_of(real_app, draft_id)
    assert sop.step(3).activity == "Memeriksa berkas"
    assert sop.step(4).activity.startswith("Menerima hasil")
    r = analis.post(f"{url}/langkah/3/hapus", data={"revision": rev(real_app, draft_id)})
    assert r.status_code == 302
    after = sop_of(real_app, draft_id)
    original = read_sop(SAMPLE)
    assert [s.activity for s in after.steps] == [s.activity for s in original.steps]
    assert [s.decision for s in after.steps] == [s.decision for s in original.steps]
    sideways = {"revision": rev(real_app, draft_id), "arah": "samping"}
    assert analis.post(f"{url}/langkah/1/pindah", data=sideways).status_code == 400


def test_removing_a_branch_target_sends_the_branch_to_the_next_row(
    real_app: Flask, analis: FlaskClient, draft_id: int
) -> None:
    r = analis.post(f"/proses/sop/{draft_id}/langkah/4/hapus",
                    data={"revision": rev(real_app, draft_id)})  # fmt: skip
    assert r.status_code == 302
    d = sop_of(real_app, draft_id).step(4).decision  # old step 5
    assert d is not None and (d.approve_to, d.reject_to) == (5, 4)


def test_add_step_bad_input(real_app: Flask, analis: FlaskClient, draft_id: int) -> None:
    url = f"/proses/sop/{draft_id}/langkah"
    base = {"revision": rev(real_app, draft_id), "activity": "x", "role": "Staf"}
    assert analis.post(url, data={**base, "after": "42"}).status_code == 400
    assert analis.post(url, data={**base, "after": "1", "activity": ""}).status_code == 400
    assert drafts(real_app).get(draft_id).revision == 1


def test_confirm_marks_the_guess_without_changing_it(real_app: Flask, analis: FlaskClient,
                                                    draft_id: int) -> None:  # fmt: skip
    r = analis.post(f"/proses/sop/{draft_id}/langkah/1/konfirmasi",
                    data={"revision": rev(real_app, draft_id)})  # fmt: skip
    assert r.status_code == 302
    s = sop_of(real_app, draft_id).step(1)
    original = read_sop(SAMPLE).step(1)
    assert s.role == original.role and s.role_provenance.source == "author"
    assert s.role_provenance.evidence[:-1] == original.role_provenance.evidence
    assert drafts(real_app).history(draft_id)[0].summary == "Langkah 1 dikonfirmasi"


# -- identity and roles ----------------------------------------------------------------------


def test_identity_and_lists(real_app: Flask, analis: FlaskClient, draft_id: int) -> None:
    r = analis.post(f"/proses/sop/{draft_id}/identitas", data={
        "revision": rev(real_app, draft_id), "number": "800/1/SOP", "name": "IKU Kantor",
        "agency": "Kota Singkawang", "unit": "Subbag PEKK", "effective": "7 Mei 2018",
        "approver_position": "Kepala Kantor", "approver_name": "Budi",
        "approver_id_number": "1970 01", "approver_id_kind": "nip",
        "legal_basis": "UU 1\n\n  PP 2  \n",
    })  # fmt: skip
    assert r.status_code == 302
    d = drafts(real_app).get(draft_id)
    i = d.sop.identity
    assert (i.number, i.name, i.unit, d.title) == ("800/1/SOP", "IKU Kantor", "Subbag PEKK",
                                                   "IKU Kantor")  # fmt: skip
    assert i.effective is not None and str(i.effective.value) == "2018-05-07"
    assert i.approved_by is not None and i.approved_by.id_kind == "NIP"
    assert d.sop.legal_basis == ("UU 1", "PP 2") and d.sop.equipment == ()


def roles_post(app: Flask, client: FlaskClient, draft_id: int, **data: str) -> Any:
    return client.post(f"/proses/sop/{draft_id}/pelaksana",
                       data={"revision": rev(app, draft_id), **data})  # fmt: skip


def test_roles_rename_reorder_merge_add_remove(real_app: Flask, analis: FlaskClient,
                                               draft_id: int) -> None:  # fmt: skip
    def ok(**data: str) -> Sop:
        r = roles_post(real_app, analis, draft_id, **data)
        assert r.status_code == 302, text(r)
        return sop_of(real_app, draft_id)

    sop = ok(aksi="ganti-nama", role="Kasubbag PEKK", new_name="Kasubbag Program")
    assert "Kasubbag PEKK" not in sop.roles and sop.step(5).role == "Kasubbag Program"
    sop = ok(aksi="naik", role="Staf")
    assert sop.roles[-2:] == ("Staf", "Pengadministrasian Umum")
    sop = ok(aksi="gabung", role="Pengadministrasian Umum", into="Staf")
    assert "Pengadministrasian Umum" not in sop.roles
    assert {sop.step(n).role for n in (2, 4, 8)} == {"Staf"}
    sop = ok(aksi="tambah", new_name="Bendahara")
    assert sop.roles[-1] == "Bendahara"
    sop = ok(aksi="hapus", role="Bendahara")
    assert "Bendahara" not in sop.roles
    summaries = [h.summary for h in drafts(real_app).history(draft_id)]
    assert "Pelaksana Pengadministrasian Umum digabung ke Staf" in summaries


@pytest.mark.parametrize(
    "data",
    [
        {"aksi": "hapus", "role": "Staf"},  # still performs steps
        {"aksi": "ganti-nama", "role": "Staf", "new_name": "Kepala Kantor"},  # taken
        {"aksi": "ganti-nama", "role": "Staf", "new_name": "  "},
        {"aksi": "gabung", "role": "Staf", "into": "Staf"},
        {"aksi": "gabung", "role": "Staf", "into": "Tidak Ada"},
        {"aksi": "naik", "role": "Tidak Ada"},
        {"aksi": "tambah", "new_name": "Staf"},
    ],
)
def test_bad_role_edits_are_400(real_app: Flask, analis: FlaskClient, draft_id: int,
                                data: dict[str, str]) -> None:  # fmt: skip
    post_step(real_app, analis, draft_id, 2, role="Staf")
    before = drafts(real_app).get(draft_id).revision
    assert roles_post(real_app, analis, draft_id, **data).status_code == 400
    assert drafts(real_app).get(draft_id).revision == before


def test_problems_show_at_once(real_app: Flask, analis: FlaskClient, draft_id: int) -> None:
    body = text(analis.get(f"/proses/sop/{draft_id}"))
    assert 'Pelaksana "Staf" tidak melaksanakan langkah apa pun' in body
    # step 6 now only loops back: 5 → 6 → 5 with no way to step 7
    post_step(real_app, analis, draft_id, 6, branch_to_0="5")
    body = text(analis.get(f"/proses/sop/{draft_id}"))
    assert "tanpa jalan keluar" in body and "tidak pernah dicapai" in body


# -- previews, downloads, deploy -------------------------------------------------------------


def test_table_preview_and_downloads(real_app: Flask, analis: FlaskClient, draft_id: int) -> None:
    table = analis.get(f"/proses/sop/{draft_id}/tabel.svg")
    assert table.mimetype == "image/svg+xml" and b"step&#45;1" in table.data
    y = analis.get(f"/proses/sop/{draft_id}/yaml")
    assert 'filename="singkawang-kominfo-penyusunan-iku.yaml"' in y.headers["Content-Disposition"]
    assert read_sop(y.data, "d.yaml").essence() == read_sop(SAMPLE).essence()
    b = analis.get(f"/proses/sop/{draft_id}/bpmn")
    assert b.mimetype == "application/xml" and b"<bpmn:definitions" in b.data


def test_terapkan_stages_for_the_deploy_preview(real_app: Flask, analis: FlaskClient,
                                                draft_id: int) -> None:  # fmt: skip
    post_step(real_app, analis, draft_id, 1, role="Staf")
    r = analis.post(f"/proses/sop/{draft_id}/terapkan")
    assert r.status_code == 302 and r.headers["Location"].startswith("/proses/terapkan/")
    preview = analis.get(r.headers["Location"])
    assert preview.status_code == 200
    be = real_app.config["ALUR_BACKEND"]
    before = len(be.definitions.list())
    shown = re.search(r'name="versi" value="(\d+)"', preview.get_data(as_text=True))
    assert shown is not None
    assert drafts(real_app).get(draft_id).state is DraftState.OPEN  # a preview changes nothing
    done = analis.post(r.headers["Location"], data={"versi": shown.group(1)})
    assert done.status_code == 302 and len(be.definitions.list()) == before + 1
    # the deployed draft leaves the open list, its history says so
    assert drafts(real_app).get(draft_id).state is DraftState.DEPLOYED
    assert drafts(real_app).in_state() == []


def test_discard_closes_the_draft(real_app: Flask, analis: FlaskClient, draft_id: int) -> None:
    r = analis.post(f"/proses/sop/{draft_id}/buang")
    assert r.status_code == 302 and drafts(real_app).in_state() == []
    assert drafts(real_app).get(draft_id).state is DraftState.DISCARDED
    page = analis.get(f"/proses/sop/{draft_id}")
    assert page.status_code == 200
    assert '<fieldset class="editor" disabled>' in page.get_data(as_text=True)
    post_step(real_app, analis, draft_id, 1, role="Staf")
    assert sop_of(real_app, draft_id).step(1).role == "Kasubbag PEKK"
    assert analis.post(f"/proses/sop/{draft_id}/terapkan").status_code == 400


# -- access ----------------------------------------------------------------------------------

ROUTES = [
    ("get", "/proses/sop/{d}"), ("get", "/proses/sop/{d}/diagram.svg"),
    ("get", "/proses/sop/{d}/tabel.svg"), ("get", "/proses/sop/{d}/bpmn"),
    ("get", "/proses/sop/{d}/yaml"), ("post", "/proses/sop/{d}/langkah/1"),
    ("post", "/proses/sop/{d}/langkah/1/konfirmasi"), ("post", "/proses/sop/{d}/langkah/1/pindah"),
    ("post", "/proses/sop/{d}/langkah/1/hapus"), ("post", "/proses/sop/{d}/langkah"),
    ("post", "/proses/sop/{d}/identitas"), ("post", "/proses/sop/{d}/pelaksana"),
    ("post", "/proses/sop/{d}/terapkan"), ("post", "/proses/sop/{d}/buang"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_unknown_draft_is_404_and_non_analysts_403(
    real_app: Flask, analis: FlaskClient, draft_id: int, method: str, url: str
) -> None:
    for missing in ("999", "2147483647", "99999999999"):
        r = getattr(analis, method)(url.format(d=missing), data={"revision": "1"})
        assert r.status_code == 404, (missing, url)
    kadis = session_client(real_app, "kadis")
    assert getattr(kadis, method)(url.format(d=draft_id), data={"revision": "1"}).status_code == 403
    assert drafts(real_app).get(draft_id).revision == 1


def test_an_unknown_step_is_404(analis: FlaskClient, draft_id: int) -> None:
    r = analis.post(f"/proses/sop/{draft_id}/langkah/42", data={"revision": "1"})
    assert r.status_code == 404
