"""The runtime API end to end, on SQLite and PostgreSQL: paths, loops, refusals, timers."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.errors import (
    AlreadyCompleted,
    BadInput,
    CommentRequired,
    ExecutionFailed,
    InvalidDecision,
    NotAllowed,
    NotFound,
    TaskNotReady,
)
from engine.store import definitions as definitions_table
from engine.store import utcnow

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SURAT = FIXTURES / "surat_keluar.bpmn"
SCRATCH = FIXTURES / "from_scratch.bpmn"
PROCESSES = [SURAT, SCRATCH, *sorted((ROOT / "bpmn").glob("*.bpmn"))]


def deploy_and_start(kit, path: Path, title: str = "Uji"):  # type: ignore[no-untyped-def]
    d = kit.definitions.deploy(path.read_bytes(), filename=path.name).definition
    lane_users = kit.user_per_lane(d.lanes)
    inst = kit.runtime.start(d.key, lane_users[d.first_lanes[0]], title=title)
    return d, lane_users, inst


@pytest.mark.parametrize("path", PROCESSES, ids=lambda p: p.stem)
def test_every_process_runs_to_its_end(kit, path: Path) -> None:  # type: ignore[no-untyped-def]
    d, lane_users, inst = deploy_and_start(kit, path)
    approve = kit.drive(inst.id, lane_users)
    assert kit.runtime.instance(inst.id).status == "completed"
    assert approve and all(n == 1 for n in approve.values())

    loop = kit.runtime.start(d.key, lane_users[d.first_lanes[0]], title="Tolak dua kali")
    done = kit.drive(loop.id, lane_users, reject_first=2)
    assert kit.runtime.instance(loop.id).status == "completed"
    assert kit.runtime.check_consistency(loop.id) == []

    cancelled = kit.runtime.start(d.key, lane_users[d.first_lanes[0]], title="Batal")
    kit.runtime.cancel(cancelled.id, "admin", "Salah input")
    after = kit.runtime.instance(cancelled.id)
    assert after.status == "cancelled" and after.cancel_reason == "Salah input"
    assert after.ended_at is not None
    assert all(t.state == "cancelled" for t in kit.runtime.instance_tasks(cancelled.id))
    assert kit.runtime.history(cancelled.id)[-1].action == "cancel"
    if path == SURAT:  # the reject loop goes back to step 1: twice round the same loop
        assert done["step_2"] == 3 and done["step_1"] == 3 and done["step_3"] == 1
    if kit.last_reject_at and path != SCRATCH:  # SOP rejects loop back: decided three times
        assert done[kit.last_reject_at] == 3
        history = kit.runtime.history(loop.id)
        decisions = [h.decision for h in history if h.element_id == kit.last_reject_at]
        assert decisions == [decisions[0], decisions[0], decisions[-1]] != decisions[::-1]


def test_reject_loop_writes_the_decision_on_every_pass(kit) -> None:  # type: ignore[no-untyped-def]
    _d, users, inst = deploy_and_start(kit, SURAT)
    rt = kit.runtime
    step1 = rt.instance_tasks(inst.id)[0]
    rt.complete(step1.id, users["Staf"])
    step2 = next(t for t in rt.instance_tasks(inst.id) if t.state == "ready")
    back = rt.complete(step2.id, users["Kasubbag Umum"], "tidak_setuju", "kurang lampiran",
                       attachments=["1/catatan.pdf"])  # fmt: skip
    assert [t.element_id for t in back.next_tasks] == ["step_1"]
    rt.complete(back.next_tasks[0].id, users["Staf"])
    second = next(t for t in rt.instance_tasks(inst.id) if t.state == "ready")
    forward = rt.complete(second.id, users["Kasubbag Umum"], "Setuju")  # label accepted too
    assert [t.element_id for t in forward.next_tasks] == ["step_3"]
    assert forward.task.decision == "setuju"
    status = rt.element_status(inst.id)
    assert status["step_2"].count == 2 and status["step_3"].state == "active"
    assert status["end"].state == "not_reached"
    actions = [(h.action, h.decision) for h in rt.history(inst.id)]
    assert actions == [
        ("start", None),
        ("complete", None),
        ("complete", "tidak_setuju"),
        ("complete", None),
        ("complete", "setuju"),
    ]
    assert rt.history(inst.id)[2].comment == "kurang lampiran"
    assert rt.history(inst.id)[2].attachments == ("1/catatan.pdf",)


def test_refusals_each_have_their_own_message(kit) -> None:  # type: ignore[no-untyped-def]
    _d, users, inst = deploy_and_start(kit, SURAT)
    rt = kit.runtime
    step1 = rt.instance_tasks(inst.id)[0]
    with pytest.raises(NotAllowed, match="peran Staf"):
        rt.complete(step1.id, users["Kepala Dinas"])
    with pytest.raises(InvalidDecision, match="tidak memerlukan keputusan"):
        rt.complete(step1.id, users["Staf"], "setuju")
    rt.complete(step1.id, users["Staf"])
    with pytest.raises(AlreadyCompleted, match=f"sudah diselesaikan oleh {users['Staf']}") as info:
        rt.complete(step1.id, users["Staf"])
    assert info.value.by == users["Staf"] and info.value.http_status == 409
    step2 = next(t for t in rt.instance_tasks(inst.id) if t.state == "ready")
    assert step2.allowed_decisions == ("setuju", "tidak_setuju")
    with pytest.raises(InvalidDecision, match="tidak dikenal") as bad:
        rt.complete(step2.id, users["Kasubbag Umum"], "mungkin")
    assert bad.value.allowed == ("setuju", "tidak_setuju")
    with pytest.raises(InvalidDecision, match="wajib dipilih"):
        rt.complete(step2.id, users["Kasubbag Umum"])
    with pytest.raises(CommentRequired, match="memerlukan komentar"):
        rt.complete(step2.id, users["Kasubbag Umum"], "tidak_setuju", "   ")
    with pytest.raises(NotFound, match="tidak ditemukan"):
        rt.complete("00000000-0000-0000-0000-000000000000", users["Staf"])
    with pytest.raises(NotFound, match="Pengguna"):
        rt.complete(step2.id, "hantu", "setuju")
    with pytest.raises(NotAllowed, match="memulai proses"):
        rt.start("sop_surat_keluar", users["Kepala Dinas"])
    with pytest.raises(NotAllowed, match="admin"):
        rt.cancel(inst.id, users["Staf"], "iseng")
    with pytest.raises(BadInput, match="Alasan"):
        rt.cancel(inst.id, "admin", " ")
    rt.cancel(inst.id, "admin", "Dibatalkan pemohon")
    with pytest.raises(TaskNotReady, match="dibatalkan"):
        rt.complete(step2.id, users["Kasubbag Umum"], "setuju")
    # nothing was recorded for the refused attempts
    assert [h.action for h in rt.history(inst.id)] == ["start", "complete", "cancel"]


def test_claim_unclaim_reassign(kit) -> None:  # type: ignore[no-untyped-def]
    _d, users, inst = deploy_and_start(kit, SURAT)
    rt = kit.runtime
    kit.users.add("staf2", ["Staf"])
    step1 = rt.instance_tasks(inst.id)[0]
    assert rt.claim(step1.id, users["Staf"]).assignee == users["Staf"]
    assert rt.claim(step1.id, users["Staf"]).assignee == users["Staf"]  # again: no change
    assert rt.inbox("staf2")[1] == 0  # claimed by someone else: off the role's list
    assert rt.inbox(users["Staf"], filter="mine")[1] == 1
    assert rt.count_inbox(users["Staf"]) == {"all": 1, "mine": 1, "overdue": 0}
    assert rt.count_inbox("staf2") == {"all": 0, "mine": 0, "overdue": 0}
    with pytest.raises(NotAllowed, match="sudah diambil"):
        rt.claim(step1.id, "staf2")
    with pytest.raises(NotAllowed, match="sedang ditangani"):
        rt.complete(step1.id, "staf2")
    with pytest.raises(NotAllowed, match="admin"):
        rt.reassign(step1.id, "staf2", users["Staf"])
    assert rt.reassign(step1.id, "staf2", "admin").assignee == "staf2"
    assert rt.unclaim(step1.id, "staf2").assignee is None
    with pytest.raises(NotAllowed, match="peran"):
        rt.claim(step1.id, users["Kepala Dinas"])
    rt.complete(step1.id, "staf2")
    actions = [h.action for h in rt.history(inst.id)]
    assert actions == ["start", "claim", "reassign", "unclaim", "complete"]


def test_due_dates_and_overdue(kit) -> None:  # type: ignore[no-untyped-def]
    _d, users, inst = deploy_and_start(kit, SURAT)
    rt = kit.runtime
    step1 = rt.instance_tasks(inst.id)[0]
    # "1 hari kerja" from Monday 09:00 WIB: Tuesday 09:00 WIB
    assert step1.due == kit.clock.now + timedelta(days=1)
    rt.complete(step1.id, users["Staf"])
    step2 = next(t for t in rt.instance_tasks(inst.id) if t.state == "ready")
    assert step2.due == kit.clock.now + timedelta(minutes=30)
    assert not step2.overdue and rt.tasks(overdue=True) == []
    kit.clock.advance(minutes=31)
    late = rt.tasks(overdue=True)
    assert [t.id for t in late] == [step2.id] and late[0].overdue
    assert rt.count_inbox(users["Kasubbag Umum"]) == {"all": 1, "mine": 0, "overdue": 1}
    assert [i.id for i in rt.instances(overdue=True)[0]] == [inst.id]
    assert rt.tasks(roles=["Kasubbag Umum"])[0].properties["waktu"] == "30 menit"


def test_inbox_sorts_by_due_and_pages(kit) -> None:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT.read_bytes())
    users = kit.user_per_lane(("Staf", "Kasubbag Umum", "Kepala Dinas"))
    rt = kit.runtime
    ids = []
    for n in range(5):
        ids.append(rt.start("sop_surat_keluar", users["Staf"], title=f"Surat {n}").id)
        kit.clock.advance(minutes=1)
    page, total = rt.inbox(users["Staf"], limit=2, offset=1)
    assert total == 5 and [t.instance_id for t in page] == ids[1:3]
    mine = rt.claim(rt.inbox(users["Staf"])[0][-1].id, users["Staf"])
    page, total = rt.inbox(users["Staf"])
    assert total == 5 and mine.id in [t.id for t in page]
    assert rt.inbox(users["Staf"], search="Surat 3")[1] == 1
    kit.clock.advance(days=3)
    counts = rt.count_inbox(users["Staf"])
    assert counts == {name: rt.inbox(users["Staf"], filter=name)[1] for name in counts}
    assert counts == {"all": 5, "mine": 1, "overdue": 5}
    assert rt.inbox(users["Staf"], process_key="lain")[1] == 0
    with pytest.raises(BadInput):
        rt.inbox(users["Staf"], filter="semua")


def test_boundary_timer_fires_through_the_worker(kit) -> None:  # type: ignore[no-untyped-def]
    from engine.worker import run_worker

    _d, users, inst = deploy_and_start(kit, SURAT)
    rt = kit.runtime
    kit.drive(inst.id, users, max_steps=3)  # step 1, 2, 3 approved: now the parallel split
    ready = {t.element_id: t for t in rt.instance_tasks(inst.id) if t.state == "ready"}
    assert set(ready) == {"step_4", "step_5"}
    assert rt.fire_timers(utcnow()) == 0  # the 3-day timer is not due yet
    kit.clock.now = utcnow() + timedelta(days=4)
    assert run_worker(rt, once=True) == 1
    assert run_worker(rt, once=True) == 0  # fired exactly once
    assert rt.task(ready["step_5"].id).state == "cancelled"
    rt.complete(ready["step_4"].id, users["Staf"])
    assert rt.instance(inst.id).status == "completed"
    timer = [h for h in rt.history(inst.id) if h.action == "timer"]
    assert [(h.element_id, h.task_name) for h in timer] == [("timer_5", "Batas waktu kirim")]
    assert rt.element_status(inst.id)["timer_5"].state == "completed"


def test_running_instances_stay_on_their_version(kit) -> None:  # type: ignore[no-untyped-def]
    d1, users, old = deploy_and_start(kit, SURAT)
    v2 = SURAT.read_bytes().replace(b"Menyusun konsep surat", b"Menyusun draf surat (v2)")
    d2 = kit.definitions.deploy(v2).definition
    new = kit.runtime.start("sop_surat_keluar", users["Staf"])
    assert (kit.runtime.instance(old.id).version, kit.runtime.instance(new.id).version) == (1, 2)
    assert kit.definitions.running_count(d1.id) == 1 and kit.definitions.running_count(d2.id) == 1
    kit.drive(old.id, users)
    kit.drive(new.id, users)
    names_old = {t.name for t in kit.runtime.instance_tasks(old.id)}
    names_new = {t.name for t in kit.runtime.instance_tasks(new.id)}
    assert "Menyusun konsep surat" in names_old and "Menyusun draf surat (v2)" in names_new
    assert kit.runtime.instance(old.id).status == "completed"


def test_code_in_a_tampered_definition_is_refused_at_evaluation(kit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d, users, inst = deploy_and_start(kit, SURAT)
    target = tmp_path / "x"
    evil = f"__import__('os').system('touch {target}')".encode()
    tampered = SURAT.read_bytes().replace(b'keputusan == "setuju"', evil)
    with kit.store.begin() as conn:  # as if someone edited the row behind the engine's back
        conn.execute(
            definitions_table.update()
            .where(definitions_table.c.id == d.id)
            .values(xml=tampered, sha256="0" * 64)
        )
    rt = kit.runtime
    fresh = type(rt)(kit.store, type(kit.definitions)(kit.store), clock=kit.clock)
    other = fresh.start("sop_surat_keluar", users["Staf"])
    step1 = fresh.instance_tasks(other.id)[0]
    fresh.complete(step1.id, users["Staf"])
    step2 = next(t for t in fresh.instance_tasks(other.id) if t.state == "ready")
    with pytest.raises(ExecutionFailed) as info:
        fresh.complete(step2.id, users["Kasubbag Umum"], "setuju")
    assert "Traceback" not in info.value.message
    assert not target.exists()
    assert fresh.task(step2.id).state == "ready"  # rolled back, nothing half-done
    assert fresh.check_consistency(other.id) == []
    assert inst.id != other.id


def test_from_scratch_process_with_timer_and_reject_end(kit) -> None:  # type: ignore[no-untyped-def]
    d, users, inst = deploy_and_start(kit, SCRATCH)
    rt = kit.runtime
    first = rt.instance_tasks(inst.id)[0]
    rt.complete(first.id, users["Pegawai"])
    check = next(t for t in rt.instance_tasks(inst.id) if t.state == "ready")
    assert check.allowed_decisions == ("yes", "no") and check.decision_labels["no"] == "Tidak"
    result = rt.complete(check.id, users["Atasan Langsung"], "Tidak", "kuota habis")
    assert result.instance_status == "completed" and result.next_tasks == ()
    status = rt.element_status(inst.id)
    assert status["Event_2ditolak"].state == "completed"
    assert status["Event_1selesai"].state == "not_reached"
    assert d.first_lanes == ("Pegawai",)


def test_the_store_keeps_spiff_versions_and_counts_changes(kit) -> None:  # type: ignore[no-untyped-def]
    from engine.serializer import SPIFF_VERSION
    from engine.store import instances

    _d, users, inst = deploy_and_start(kit, SURAT)
    kit.runtime.complete(kit.runtime.instance_tasks(inst.id)[0].id, users["Staf"])
    with kit.store.begin(write=False) as conn:
        row = conn.execute(sa.select(instances).where(instances.c.id == inst.id)).one()
    assert row.spiff_version == SPIFF_VERSION == "3.2.0"
    assert row.serializer_version and row.version_counter == 2


def test_lists_never_deserialize_a_workflow(kit, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _d, users, inst = deploy_and_start(kit, SURAT)
    rt = kit.runtime

    def forbidden(state: str, conn: object = None) -> None:
        raise AssertionError("a list deserialized a workflow")

    monkeypatch.setattr(rt.codec, "load", forbidden)
    assert len(rt.tasks()) == 1
    assert rt.inbox(users["Staf"])[1] == 1
    assert rt.count_inbox(users["Staf"])["all"] == 1
    assert rt.instances()[1] == 1
    assert [h.action for h in rt.history(inst.id)] == ["start"]
    assert rt.task(rt.tasks()[0].id).name == "Menyusun konsep surat"


BROKEN_TIMER = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D" targetNamespace="urn:t">
  <bpmn:process id="rusak" name="Timer rusak" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="L" name="Staf">
      <bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>t</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>b</bpmn:flowNodeRef><bpmn:flowNodeRef>g</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>e</bpmn:flowNodeRef><bpmn:flowNodeRef>e2</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="t" name="Tunggu"><bpmn:extensionElements><camunda:formData>
      <camunda:formField id="x" type="enum"><camunda:value id="a"/><camunda:value id="b"/>
      </camunda:formField></camunda:formData></bpmn:extensionElements></bpmn:userTask>
    <bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition>
      <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration>
    </bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:exclusiveGateway id="g"/>
    <bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
    <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="g"/>
    <bpmn:sequenceFlow id="f4" sourceRef="g" targetRef="e">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">x == "a"
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f5" sourceRef="g" targetRef="e2">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">x == "b"
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_timer_that_cannot_fire_does_not_block_the_others(kit) -> None:  # type: ignore[no-untyped-def]
    from engine.worker import run_worker

    kit.definitions.deploy(BROKEN_TIMER)
    _d, users, good = deploy_and_start(kit, SURAT)
    broken = kit.runtime.start("rusak", users["Staf"])
    kit.drive(good.id, users, max_steps=3)
    kit.clock.now = utcnow() + timedelta(days=4)
    logged: list[str] = []
    assert run_worker(kit.runtime, once=True, log=logged.append) == 1  # the good one fired
    assert [i for i, _ in kit.runtime.timer_errors] == [broken.id]
    assert any(f"#{broken.id}" in line and "gateway" in line for line in logged)
    assert kit.runtime.instance(broken.id).status == "running"
    assert kit.runtime.check_consistency(broken.id) == []
    assert run_worker(kit.runtime, once=True) == 0  # retried later, not in a tight loop


def test_a_corrupt_state_row_gives_a_message_not_a_traceback(kit) -> None:  # type: ignore[no-untyped-def]
    from engine.store import instances

    _d, users, inst = deploy_and_start(kit, SURAT)
    with kit.store.begin() as conn:  # moving the version on, as every writer of a state does
        conn.execute(instances.update().where(instances.c.id == inst.id).values(
            state="{rusak", version_counter=instances.c.version_counter + 1))  # fmt: skip
    task = kit.runtime.instance_tasks(inst.id)[0]
    with pytest.raises(ExecutionFailed, match="tidak dapat dibaca"):
        kit.runtime.complete(task.id, users["Staf"])
    assert kit.runtime.task(task.id).state == "ready"


def test_states_reference_the_cached_spec_and_full_states_still_load(kit) -> None:  # type: ignore[no-untyped-def]
    import json

    from engine import definitions as definitions_module
    from engine.serializer import SPEC_REF, workflow_serializer
    from engine.store import instances

    d, users, inst = deploy_and_start(kit, SURAT)
    with kit.store.begin(write=False) as conn:
        state = conn.execute(
            sa.select(instances.c.state).where(instances.c.id == inst.id)
        ).scalar_one()
    assert json.loads(state)["spec"] == {"typename": SPEC_REF, "sha256": d.sha256}
    # a new process (empty spec cache) reads the spec back from the definitions table
    definitions_module._SPEC_CACHE.clear()
    first = kit.runtime.instance_tasks(inst.id)[0]
    kit.runtime.complete(first.id, users["Staf"])
    # a state written by plain SpiffWorkflow (whole spec embedded) still loads and runs
    other = kit.runtime.start("sop_surat_keluar", users["Staf"])
    with kit.store.begin() as conn:
        own = conn.execute(
            sa.select(instances.c.state).where(instances.c.id == other.id)
        ).scalar_one()
        full = workflow_serializer().serialize_json(kit.runtime.codec.load(own))
        assert len(full) > 3 * len(own)
        conn.execute(instances.update().where(instances.c.id == other.id).values(
            state=full, version_counter=instances.c.version_counter + 1))  # fmt: skip
    kit.runtime.complete(kit.runtime.instance_tasks(other.id)[0].id, users["Staf"])
    assert kit.runtime.check_consistency(other.id) == []
    # a task row the state does not know is refused with a message, not an exception
    with kit.store.begin() as conn:
        conn.execute(instances.update().where(instances.c.id == other.id).values(
            state=state, version_counter=instances.c.version_counter + 1))  # fmt: skip
    stray = next(t for t in kit.runtime.instance_tasks(other.id) if t.state == "ready")
    with pytest.raises(TaskNotReady, match="status proses"):
        kit.runtime.complete(stray.id, users["Kasubbag Umum"], "setuju")
