"""People (issue 13): profiles, returned work, delegation, notes, the admin's open tasks.

On SQLite and PostgreSQL (the ``kit`` fixture). The process is the web UI's Penyusunan IKU:
Kasubbag PEKK receives (step_1), Pengadministrasian Umum recapitulates (step_2, here with a
form), Kasubbag PEKK checks (step_3, "Tidak setuju" goes back to step_2), Kepala Dinas signs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import BadInput, NotAllowed
from engine.open_tasks import UNCLAIMED, OpenTaskFilter
from engine.users import Profile
from tests.engine.conftest import make_kit

IKU = Path(__file__).resolve().parents[1] / "webui" / "fixtures" / "iku.bpmn"
FORM = b"""<camunda:property name="output" value="Rekapitulasi IKU"/>
        </camunda:properties>
        <camunda:formData>
          <camunda:formField id="nomor_rekap" label="Nomor rekap" type="string"/>
          <camunda:formField id="jumlah_iku" label="Jumlah IKU" type="long"/>
        </camunda:formData>"""
KASUBBAG, PENGADM, KADIS = "Kasubbag PEKK", "Pengadministrasian Umum", "Kepala Dinas"


def iku_with_form() -> bytes:
    xml = IKU.read_bytes()
    old = b"""<camunda:property name="output" value="Rekapitulasi IKU"/>
        </camunda:properties>"""
    assert xml.count(old) == 1
    return xml.replace(old, FORM)


@pytest.fixture
def iku(kit):  # type: ignore[no-untyped-def]
    kit.definitions.deploy(iku_with_form(), filename="iku.bpmn")
    kit.users.add("rina", [KASUBBAG], profile=Profile(full_name="Rina Kasubbag",
                                                      jabatan="Kasubbag PEKK"))  # fmt: skip
    kit.users.add("rudi", [KASUBBAG])
    kit.users.add("ana", [PENGADM], full_name="Ana Pengadm")
    kit.users.add("kadis", [KADIS])
    kit.users.add("admin", [], is_admin=True)
    return kit


def ready(kit, instance_id: int):  # type: ignore[no-untyped-def]
    return next(t for t in kit.runtime.instance_tasks(instance_id) if t.state == "ready")


def reject_once(kit):  # type: ignore[no-untyped-def]
    """A case whose recapitulation was sent back once by rina; returns (instance, task)."""
    rt = kit.runtime
    inst = rt.start("sop_penyusunan_iku", "rina", title="IKU 2027")
    rt.complete(ready(kit, inst.id).id, "rina")
    kit.clock.advance(minutes=5)
    rt.complete(ready(kit, inst.id).id, "ana", form={"nomor_rekap": "R-7", "jumlah_iku": "12"})
    kit.clock.advance(minutes=5)
    rt.complete(ready(kit, inst.id).id, "rina", "tidak_setuju", "Angka IKU 3 salah")
    return inst, ready(kit, inst.id)


def test_profile_fields_are_kept_and_checked(store) -> None:  # type: ignore[no-untyped-def]
    from engine.users import Users

    users = Users(store)
    users.add("sari", ["Staf"], password="rahasia-1",
              profile=Profile(full_name=" Sari  Dewi ", nip="1985 0101 2010 01 2 003",
                              jabatan="Staf Umum", language="en"))  # fmt: skip
    sari = users.get("sari")
    assert (sari.full_name, sari.nip, sari.jabatan, sari.language) == (
        "Sari Dewi", "198501012010012003", "Staf Umum", "en")  # fmt: skip
    assert sari.display_name == "Sari Dewi"
    users.set_profile("sari", Profile(full_name="Sari D.", jabatan="Analis", language="id"))
    assert users.get("sari").nip == "" and users.get("sari").jabatan == "Analis"
    with pytest.raises(BadInput, match="NIP harus 18 angka"):
        users.set_profile("sari", Profile(nip="12345"))
    with pytest.raises(BadInput, match="Bahasa tidak dikenal"):
        users.set_language("sari", "fr")
    assert users.directory()["sari"].display_name == "Sari D."


def test_own_password_change_checks_the_current_one_and_ends_sessions(store) -> None:  # type: ignore[no-untyped-def]
    from engine.users import Users

    users = Users(store)
    before = users.add("sari", ["Staf"], password="rahasia-1")
    with pytest.raises(BadInput, match="saat ini salah"):
        users.change_password("sari", "salah-sekali", "rahasia-2")
    with pytest.raises(BadInput, match="minimal 8"):
        users.change_password("sari", "rahasia-1", "pendek")
    after = users.change_password("sari", "rahasia-1", "rahasia-2")
    assert after.session_generation == before.session_generation + 1
    assert users.authenticate("sari", "rahasia-2") is not None
    assert users.authenticate("sari", "rahasia-1") is None


def test_a_rejection_marks_the_task_it_sends_back(iku) -> None:  # type: ignore[no-untyped-def]
    rt = iku.runtime
    inst, back = reject_once(iku)
    assert back.element_id == "step_2"
    found = rt.returned([back])[back.id]
    assert (found.by, found.role, found.comment) == ("rina", KASUBBAG, "Angka IKU 3 salah")
    assert found.decision == "tidak_setuju" and found.decision_label == "Tidak setuju"
    assert found.at == back.created
    # the first pass of the same step, and an approval's next task, are not "returned"
    other = rt.start("sop_penyusunan_iku", "rina", title="Lain")
    rt.complete(ready(iku, other.id).id, "rina")
    first_pass = ready(iku, other.id)
    assert first_pass.element_id == "step_2" and rt.returned([first_pass]) == {}
    rt.complete(back.id, "ana", form={"nomor_rekap": "R-8", "jumlah_iku": "12"})
    check = ready(iku, inst.id)
    rt.complete(check.id, "rina", "setuju")
    assert rt.returned([ready(iku, inst.id)]) == {}  # forward to Kepala Dinas
    # every step at one instant (a stopped clock): still the rejection that sent it back
    same = rt.start("sop_penyusunan_iku", "rina", title="Sekejap")
    for user, decision in (("rina", None), ("ana", None), ("rina", "tidak_setuju")):
        rt.complete(ready(iku, same.id).id, user, decision, "ulang" if decision else "",
                    form={"jumlah_iku": "1"} if user == "ana" else None)  # fmt: skip
    again = ready(iku, same.id)
    assert rt.returned([again])[again.id].comment == "ulang"


def test_a_returned_form_comes_back_with_the_values_typed_last_time(iku) -> None:  # type: ignore[no-untyped-def]
    rt = iku.runtime
    _inst, back = reject_once(iku)
    assert rt.previous_values(back) == {"nomor_rekap": "R-7", "jumlah_iku": "12"}
    other = rt.start("sop_penyusunan_iku", "rina", title="Lain")
    rt.complete(ready(iku, other.id).id, "rina")
    assert rt.previous_values(ready(iku, other.id)) == {}  # first pass: nothing to pre-fill


def test_delegation_to_a_colleague_of_the_same_role_only(iku) -> None:  # type: ignore[no-untyped-def]
    rt = iku.runtime
    inst = rt.start("sop_penyusunan_iku", "rina", title="IKU")
    task = ready(iku, inst.id)
    with pytest.raises(NotAllowed, match="pemegang tugas"):
        rt.delegate(task.id, "rina", "rudi")  # not claimed yet
    rt.claim(task.id, "rina")
    with pytest.raises(NotAllowed, match="tidak memegang peran Kasubbag PEKK"):
        rt.delegate(task.id, "rina", "ana")
    with pytest.raises(NotAllowed, match="pemegang tugas"):
        rt.delegate(task.id, "rudi", "rudi")  # only the holder hands it on
    with pytest.raises(BadInput, match="rekan lain"):
        rt.delegate(task.id, "rina", "rina")
    assert rt.task(task.id).assignee == "rina"
    entry = rt.delegate(task.id, "rina", "rudi")
    assert rt.task(task.id).assignee == "rudi"
    last = rt.history(inst.id)[-1]
    assert last == entry
    assert (last.action, last.user, last.target_user, last.task_id) == (
        "delegate", "rina", "rudi", task.id)  # fmt: skip
    rt.reassign(task.id, "rina", "admin")  # an admin's reassignment names its target too
    assert rt.history(inst.id)[-1].target_user == "rina"
    rt.reassign(task.id, "rudi", "admin")
    rt.complete(task.id, "rudi")  # the colleague can finish it
    assert rt.task(task.id).completed_by == "rudi"


def test_a_note_without_completing(iku) -> None:  # type: ignore[no-untyped-def]
    rt = iku.runtime
    inst = rt.start("sop_penyusunan_iku", "rina", title="IKU")
    task = ready(iku, inst.id)
    entry = rt.add_comment(task.id, "rudi", "Menunggu data Seksi B", ["1/data.xlsx"])
    assert (entry.action, entry.user, entry.comment, entry.attachments) == (
        "comment", "rudi", "Menunggu data Seksi B", ("1/data.xlsx",))  # fmt: skip
    assert rt.task(task.id).state == "ready" and ready(iku, inst.id).id == task.id
    assert rt.check_consistency(inst.id) == []  # the note left the workflow alone
    with pytest.raises(NotAllowed, match="pemegang peran"):
        rt.add_comment(task.id, "ana", "bukan peran saya")
    with pytest.raises(BadInput, match="Tulis catatan"):
        rt.add_comment(task.id, "rudi", "   ")
    assert rt.add_comment(task.id, "admin", "dipantau").user == "admin"


def test_admin_open_tasks_filters(iku) -> None:  # type: ignore[no-untyped-def]
    rt = iku.runtime
    a = rt.start("sop_penyusunan_iku", "rina", title="A")
    b = rt.start("sop_penyusunan_iku", "rina", title="B")
    rt.complete(ready(iku, b.id).id, "rina")  # B now waits for Pengadministrasian Umum
    rt.claim(ready(iku, a.id).id, "rina")
    everything, total = rt.open_tasks(OpenTaskFilter())
    assert total == 2 and {t.instance_id for t in everything} == {a.id, b.id}
    by_role, n = rt.open_tasks(OpenTaskFilter(role=PENGADM))
    assert n == 1 and by_role[0].instance_id == b.id
    mine, n = rt.open_tasks(OpenTaskFilter(assignee="rina"))
    assert n == 1 and mine[0].instance_id == a.id
    free, n = rt.open_tasks(OpenTaskFilter(assignee=UNCLAIMED, process_key="sop_penyusunan_iku"))
    assert n == 1 and free[0].instance_id == b.id
    assert rt.open_tasks(OpenTaskFilter(process_key="lain"))[1] == 0
    assert rt.open_tasks(OpenTaskFilter(overdue=True))[1] == 0
    iku.clock.advance(days=7)
    late, n = rt.open_tasks(OpenTaskFilter(overdue=True))
    assert n == 2 and all(t.overdue for t in late)


def test_cli_user_add_takes_nip_jabatan_language(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from webui.cli import main

    monkeypatch.setenv("ALUR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["db", "upgrade"]) == 0
    assert main(["user", "add", "sari", "--role", "Staf", "--full-name", "Sari Dewi",
                 "--nip", "198501012010012003", "--jabatan", "Staf Umum",
                 "--language", "en"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["user", "list", "--json"]) == 0
    (sari,) = json.loads(capsys.readouterr().out)["users"]
    assert (sari["nip"], sari["jabatan"], sari["language"]) == (
        "198501012010012003", "Staf Umum", "en")  # fmt: skip
    assert main(["user", "add", "budi", "--nip", "12"]) == 2  # bad input
    assert "NIP harus 18 angka" in capsys.readouterr().err


def test_inbox_sorts_by_due_received_or_process(iku) -> None:  # type: ignore[no-untyped-def]
    rt = iku.runtime
    other = iku_with_form().replace(b"sop_penyusunan_iku", b"sop_arsip_iku").replace(
        b'name="Penyusunan IKU"', b'name="Arsip IKU"')  # fmt: skip
    iku.definitions.deploy(other, filename="arsip.bpmn")
    a = rt.start("sop_penyusunan_iku", "rina", title="A")  # step_1: due in a working day
    rt.claim(ready(iku, a.id).id, "rina")  # A is in rina's own branch, the others in the role's
    iku.clock.advance(minutes=10)
    b = rt.start("sop_penyusunan_iku", "rina", title="B")
    rt.complete(ready(iku, b.id).id, "rina")
    rt.complete(ready(iku, b.id).id, "ana", form={"jumlah_iku": "3"})  # B: step_3, due in 30 min
    iku.clock.advance(minutes=10)
    rt.start("sop_arsip_iku", "rina", title="C")

    def titles(sort: str, **kw: object) -> list[str]:
        return [t.instance_title for t in rt.inbox("rina", sort=sort, **kw)[0]]  # type: ignore[arg-type]

    assert titles("due") == ["B", "A", "C"]
    assert titles("received") == ["A", "B", "C"]
    assert titles("process") == ["C", "B", "A"]  # Arsip IKU first, then by due date
    assert titles("received", limit=1, offset=1) == ["B"]  # paging follows the order
    with pytest.raises(BadInput, match="Urutan tidak dikenal"):
        rt.inbox("rina", sort="acak")


def test_export_and_import_carry_profiles_and_delegations(iku, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from engine.backup import export_archive, import_archive
    from engine.users import Users
    from tests.engine.conftest import make_store

    rt = iku.runtime
    iku.users.set_profile("rina", Profile(full_name="Rina", nip="198501012010012003",
                                          jabatan="Kasubbag PEKK", language="en"))  # fmt: skip
    inst = rt.start("sop_penyusunan_iku", "rina", title="IKU")
    rt.claim(ready(iku, inst.id).id, "rina")
    rt.delegate(ready(iku, inst.id).id, "rina", "rudi")
    archive = tmp_path / "cadangan.zip"
    export_archive(iku.store, archive, None)
    (tmp_path / "restored").mkdir()
    restored, _schema = make_store("sqlite", tmp_path / "restored")
    try:
        import_archive(restored, archive, None)
        rina = Users(restored).get("rina")
        assert (rina.nip, rina.jabatan, rina.language) == (
            "198501012010012003", "Kasubbag PEKK", "en")  # fmt: skip
        again = make_kit(restored)
        assert again.runtime.history(inst.id)[-1].target_user == "rudi"
    finally:
        restored.dispose()
