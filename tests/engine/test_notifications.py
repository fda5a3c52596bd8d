"""Notifications derived from what the engine records: each kind fires when it should, once,
for the right people, as they chose; on SQLite and PostgreSQL (the ``kit`` fixture).

Mail itself (a real SMTP server, the outbox's retries) is tested in
test_notifications_mail.py; here the outbox is only looked at.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.errors import BadInput, NotFound
from engine.mail import MailSettings, Security
from engine.notifications import Channel, Kind, Notifications
from engine.notifier import Notifier, NotifySettings, runtime_inbox
from engine.outbox import Outbox
from engine.store import notifications, tasks
from tests.engine.conftest import SURAT, EngineKit

BASE = "https://alur.contoh.go.id"
MAIL = MailSettings("127.0.0.1", 1, Security.NONE, "alur@contoh.go.id")
LANES = ("Staf", "Kasubbag Umum", "Kepala Dinas")


def notifier(kit: EngineKit, mail: bool = True, digest: bool = False) -> Notifier:
    settings = NotifySettings(BASE, "Asia/Jakarta", 7, MAIL if mail else None)
    inbox = runtime_inbox(kit.runtime) if digest else None
    return Notifier(kit.store, settings, inbox, kit.clock)


def setup(kit: EngineKit) -> dict[str, str]:
    kit.definitions.deploy(SURAT.read_bytes(), SURAT.name, "admin")
    people = kit.user_per_lane(LANES)  # u1 Staf, u2 Kasubbag Umum, u3 Kepala Dinas
    with kit.store.begin() as conn:  # everyone has an address
        from engine.store import users

        conn.execute(users.update().values(email=users.c.username + "@contoh.go.id"))
    return people


def rows(
    kit: EngineKit, kind: Kind | None = None, sentinels: bool = False
) -> list[tuple[str, str, str]]:
    """(kind, user, ref) of the notifications recorded (with ``sentinels``: also the rows
    under no user that mark a task nobody was told about as seen)."""
    query = sa.select(notifications.c.kind, notifications.c.username, notifications.c.ref)
    if not sentinels:
        query = query.where(notifications.c.username != "")
    if kind is not None:
        query = query.where(notifications.c.kind == kind)
    with kit.store.begin(write=False) as conn:
        return sorted(tuple(r) for r in conn.execute(query.order_by(notifications.c.id)))


def ready(kit: EngineKit, instance_id: int) -> list:  # type: ignore[type-arg]
    return [t for t in kit.runtime.instance_tasks(instance_id) if t.state == "ready"]


def test_a_new_task_is_announced_to_its_lane_once(kit: EngineKit) -> None:
    people = setup(kit)
    kit.users.add("staf2", ["Staf"])
    inst = kit.runtime.start("sop_surat_keluar", "admin", title="Surat A")
    first = ready(kit, inst.id)[0]
    n = notifier(kit)
    assert n.derive(kit.clock.now) == 2
    assert n.derive(kit.clock.now) == 0  # the second pass finds nothing new
    assert rows(kit) == [
        ("new_task", "staf2", first.id),
        ("new_task", people["Staf"], first.id),
    ]
    mine = Notifications(kit.store).list(people["Staf"])
    assert [(x.kind, x.title, x.case_title, x.task_id) for x in mine] == [
        (Kind.NEW_TASK, "Menyusun konsep surat", "Surat A", first.id)
    ]
    # the next step's lane hears of it when it comes; whoever handed it on does not
    kit.runtime.complete(first.id, people["Staf"])
    second = ready(kit, inst.id)[0]
    assert n.derive(kit.clock.now) == 1
    assert rows(kit, Kind.NEW_TASK)[-1] == ("new_task", people["Kasubbag Umum"], second.id)


def test_returned_work_goes_to_who_did_it_with_the_reason(kit: EngineKit) -> None:
    people = setup(kit)
    kit.users.add("staf2", ["Staf"], full_name="Siti Staf")
    kit.users.add("kasubbag", ["Kasubbag Umum"], full_name="Budi Kasubbag")
    inst = kit.runtime.start("sop_surat_keluar", "staf2", title="Surat B")
    kit.runtime.complete(ready(kit, inst.id)[0].id, people["Staf"])  # u1 drafts
    check = ready(kit, inst.id)[0]
    n = notifier(kit)
    n.derive(kit.clock.now)
    kit.runtime.complete(check.id, "kasubbag", "tidak_setuju", "Nomor surat salah")
    again = ready(kit, inst.id)[0]
    assert again.element_id == "step_1"
    n.derive(kit.clock.now)
    about_again = [r for r in rows(kit) if r[2] == again.id]
    assert about_again == [("new_task", "staf2", again.id), ("returned", people["Staf"], again.id)]
    returned = Notifications(kit.store).list(people["Staf"])[0]
    assert returned.kind == Kind.RETURNED
    assert returned.actor == "Budi Kasubbag" and returned.comment == "Nomor surat salah"
    letter = next(e for e in Outbox(kit.store).entries() if e.recipient.startswith("u1@"))
    assert letter.subject == "Dikembalikan kepada Anda: Menyusun konsep surat"
    assert "Budi Kasubbag" in letter.body and "Nomor surat salah" in letter.body
    assert f"{BASE}/tugas/{again.id}" in letter.body


def test_due_soon_and_overdue_each_once_and_only_when_due(kit: EngineKit) -> None:
    people = setup(kit)
    inst = kit.runtime.start("sop_surat_keluar", people["Staf"])
    task = ready(kit, inst.id)[0]
    due = kit.clock.now + timedelta(days=3)  # a three-day step
    with kit.store.begin() as conn:
        conn.execute(tasks.update().where(tasks.c.id == task.id).values(due=due, due_order=due))
    n = notifier(kit)
    n.derive(kit.clock.now)
    kit.clock.advance(days=1)
    n.derive(kit.clock.now)
    assert rows(kit, Kind.DUE_SOON) == [] and rows(kit, Kind.OVERDUE) == []
    kit.clock.advance(days=1, hours=1)  # 23 hours left
    assert n.derive(kit.clock.now) == 1
    assert rows(kit, Kind.DUE_SOON) == [("due_soon", people["Staf"], task.id)]
    kit.runtime.claim(task.id, people["Staf"])
    kit.clock.advance(hours=23, minutes=1)  # past due
    assert n.derive(kit.clock.now) == 1
    assert n.derive(kit.clock.now) == 0
    assert rows(kit, Kind.OVERDUE) == [("overdue", people["Staf"], task.id)]
    assert rows(kit, Kind.DUE_SOON) == [("due_soon", people["Staf"], task.id)]


def test_a_task_born_with_a_day_or_less_is_not_announced_as_due_soon(kit: EngineKit) -> None:
    people = setup(kit)
    inst = kit.runtime.start("sop_surat_keluar", people["Staf"])
    kit.runtime.complete(ready(kit, inst.id)[0].id, people["Staf"])
    check = ready(kit, inst.id)[0]  # 30 minutes for Kasubbag Umum
    n = notifier(kit)
    n.derive(kit.clock.now)
    assert [r for r in rows(kit) if r[1] == people["Kasubbag Umum"]] == [
        ("new_task", people["Kasubbag Umum"], check.id)
    ]
    kit.clock.advance(hours=1)
    n.derive(kit.clock.now)
    assert ("overdue", people["Kasubbag Umum"], check.id) in rows(kit)


def test_the_starter_hears_when_the_case_is_finished(kit: EngineKit) -> None:
    people = setup(kit)
    kit.users.add("pemohon", ["Staf"], full_name="Pemohon")
    Notifications(kit.store).set_preferences("pemohon", {}, "pemohon@contoh.go.id")
    inst = kit.runtime.start("sop_surat_keluar", "pemohon", title="Surat C")
    n = notifier(kit)
    kit.drive(inst.id, people, max_steps=4)
    n.derive(kit.clock.now)
    assert rows(kit, Kind.CASE_FINISHED) == []  # still running
    kit.drive(inst.id, people)
    assert kit.runtime.instance(inst.id).status == "completed"
    assert n.derive(kit.clock.now) >= 1
    assert rows(kit, Kind.CASE_FINISHED) == [("case_finished", "pemohon", str(inst.id))]
    n.derive(kit.clock.now)
    assert len(rows(kit, Kind.CASE_FINISHED)) == 1
    finished = Notifications(kit.store).list("pemohon")[0]
    assert finished.instance_id == inst.id and finished.task_id is None
    letter = [e for e in Outbox(kit.store).entries() if e.subject.startswith("Kasus")]
    assert [e.recipient for e in letter] == ["pemohon@contoh.go.id"]
    assert [e.subject for e in letter] == ["Kasus selesai: Surat C"]
    assert f"{BASE}/kasus/{inst.id}" in letter[0].body


def test_a_cancelled_case_is_not_reported_finished(kit: EngineKit) -> None:
    people = setup(kit)
    inst = kit.runtime.start("sop_surat_keluar", people["Staf"])
    kit.runtime.cancel(inst.id, "admin", "salah buat")
    notifier(kit).derive(kit.clock.now)
    assert rows(kit, Kind.CASE_FINISHED) == []


@pytest.mark.parametrize(
    ("channel", "in_app", "mailed"),
    [(Channel.NONE, False, False), (Channel.APP, True, False), (Channel.EMAIL, False, True),
     (Channel.BOTH, True, True)],
)  # fmt: skip
def test_the_users_choice_decides_where_it_goes(
    kit: EngineKit, channel: Channel, in_app: bool, mailed: bool
) -> None:
    people = setup(kit)
    staf = people["Staf"]
    box = Notifications(kit.store)
    box.set_preferences(staf, {Kind.NEW_TASK: channel}, f"{staf}@contoh.go.id")
    kit.runtime.start("sop_surat_keluar", "admin")
    notifier(kit).derive(kit.clock.now)
    assert (box.unread_count(staf) == 1) is in_app
    assert (len(box.list(staf)) == 1) is in_app
    assert (len(Outbox(kit.store).entries()) == 1) is mailed


def test_no_address_or_no_mail_server_means_in_app_only(kit: EngineKit) -> None:
    people = setup(kit)
    staf = people["Staf"]
    Notifications(kit.store).set_preferences(staf, {}, "")
    kit.runtime.start("sop_surat_keluar", "admin")
    notifier(kit).derive(kit.clock.now)
    assert Outbox(kit.store).entries() == []
    assert Notifications(kit.store).unread_count(staf) == 1
    kit.runtime.start("sop_surat_keluar", "admin")
    notifier(kit, mail=False).derive(kit.clock.now)  # no SMTP set up: nothing queued
    assert Outbox(kit.store).entries() == []


def test_a_lane_without_people_is_seen_once_and_shown_to_nobody(kit: EngineKit) -> None:
    kit.definitions.deploy(SURAT.read_bytes(), SURAT.name, "admin")
    kit.users.add("admin", [], is_admin=True)
    inst = kit.runtime.start("sop_surat_keluar", "admin")
    n = notifier(kit)
    assert n.derive(kit.clock.now) == 0
    task = ready(kit, inst.id)[0]
    seen = rows(kit, sentinels=True)
    assert ("new_task", "", task.id) in seen and rows(kit) == []
    assert n.derive(kit.clock.now) == 0 and rows(kit, sentinels=True) == seen


def test_two_passes_at_once_record_each_notification_once(kit: EngineKit) -> None:
    for i in range(3):
        kit.users.add(f"staf{i}", ["Staf"], full_name=f"Staf {i}")
    setup(kit)
    for i in range(5):
        kit.runtime.start("sop_surat_keluar", "admin", title=f"Surat {i}")
    passes = [notifier(kit), notifier(kit)]
    counts: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(n: Notifier) -> None:
        try:
            barrier.wait()
            counts.append(n.derive(kit.clock.now))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in passes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sum(counts) == 20  # 5 tasks × 4 Staf users, whichever pass wrote them
    assert len(rows(kit)) == 20 == len(set(rows(kit)))
    assert len(Outbox(kit.store).entries()) == 20  # and each letter queued once


def test_read_and_unread(kit: EngineKit) -> None:
    people = setup(kit)
    staf = people["Staf"]
    for i in range(3):
        kit.runtime.start("sop_surat_keluar", "admin", title=f"Surat {i}")
        notifier(kit).derive(kit.clock.advance(minutes=1))
    box = Notifications(kit.store)
    listed = box.list(staf)
    assert [x.case_title for x in listed] == ["Surat 2", "Surat 1", "Surat 0"]  # newest first
    assert box.unread_count(staf) == 3 and box.unread_count(staf, limit=2) == 3
    assert box.mark_read(staf, [listed[0].id]) == 1
    assert box.unread_count(staf) == 2 and box.get(staf, listed[0].id).read
    assert box.mark_read(people["Kasubbag Umum"], [listed[1].id]) == 0  # not theirs
    with pytest.raises(NotFound):
        box.get(people["Kasubbag Umum"], listed[1].id)
    assert box.mark_read(staf) == 2 and box.unread_count(staf) == 0


def test_preferences_are_checked_and_kept(kit: EngineKit) -> None:
    setup(kit)
    box = Notifications(kit.store)
    assert box.preferences("u1").channel(Kind.NEW_TASK) == Channel.BOTH
    assert box.preferences("u1").channel(Kind.DIGEST) == Channel.NONE
    with pytest.raises(BadInput, match="surel tidak sah"):
        box.set_preferences("u1", {}, "bukan-alamat")
    with pytest.raises(BadInput, match="Ringkasan"):
        box.set_preferences("u1", {Kind.DIGEST: Channel.APP}, "")
    with pytest.raises(NotFound):
        box.set_preferences("siapa", {}, "")
    kept = box.set_preferences("u1", {Kind.OVERDUE: Channel.APP, Kind.DIGEST: Channel.EMAIL},
                               " u1@contoh.go.id ")  # fmt: skip
    assert kept.email == "u1@contoh.go.id"
    assert kept.channel(Kind.OVERDUE) == Channel.APP and kept.channel(Kind.DIGEST) == Channel.EMAIL
    assert box.set_preferences("u1", {Kind.OVERDUE: Channel.NONE}, "").channel(
        Kind.OVERDUE
    ) == Channel.NONE


def test_the_daily_digest_goes_once_a_day_after_its_hour(kit: EngineKit) -> None:
    people = setup(kit)
    staf = people["Staf"]
    Notifications(kit.store).set_preferences(staf, {Kind.DIGEST: Channel.EMAIL},
                                             f"{staf}@contoh.go.id")  # fmt: skip
    for i in range(2):
        kit.runtime.start("sop_surat_keluar", "admin", title=f"Surat {i}")
    n = notifier(kit, digest=True)
    kit.clock.now = kit.clock.now.replace(hour=23, minute=30) - timedelta(days=1)  # 06.30 WIB
    n.derive(kit.clock.now)
    assert rows(kit, Kind.DIGEST) == []
    kit.clock.advance(hours=1)  # 07.30 WIB
    n.derive(kit.clock.now)
    n.derive(kit.clock.now)
    assert rows(kit, Kind.DIGEST) == [("digest", staf, "2026-11-23")]
    digest = [e for e in Outbox(kit.store).entries() if "Ringkasan" in e.subject]
    assert len(digest) == 1 and digest[0].recipient == f"{staf}@contoh.go.id"
    assert "2 tugas terbuka" in digest[0].subject
    assert "Surat 0" in digest[0].body and "Surat 1" in digest[0].body
    assert Notifications(kit.store).list(staf)[0].kind != Kind.DIGEST  # not under the bell
    kit.clock.advance(days=1)
    n.derive(kit.clock.now)
    assert len(rows(kit, Kind.DIGEST)) == 2  # the next day's


def test_english_users_get_english_mail(kit: EngineKit) -> None:
    setup(kit)
    with kit.store.begin() as conn:
        from engine.store import users

        conn.execute(users.update().where(users.c.username == "u1").values(language="en"))
    kit.runtime.start("sop_surat_keluar", "admin", title="Letter")
    notifier(kit).derive(kit.clock.now)
    (letter,) = Outbox(kit.store).entries()
    assert letter.subject == "New task: Menyusun konsep surat"
    assert "Dear" in letter.body and "Open the task" in letter.body


def test_backup_carries_notifications_outbox_and_choices(kit: EngineKit, tmp_path: Path) -> None:
    from engine.backup import export_archive, import_archive
    from engine.store import Store

    people = setup(kit)
    staf = people["Staf"]
    Notifications(kit.store).set_preferences(staf, {Kind.OVERDUE: Channel.APP},
                                             f"{staf}@contoh.go.id")  # fmt: skip
    kit.runtime.start("sop_surat_keluar", "admin", title="Surat D")
    notifier(kit).derive(kit.clock.now)
    summary = export_archive(kit.store, tmp_path / "cadangan.zip", None)
    assert summary.rows["notifications"] >= 1 and summary.rows["outbox"] == 1
    restored = Store.from_url(f"sqlite:///{tmp_path / 'pulih.db'}")
    restored.upgrade()
    try:
        import_archive(restored, tmp_path / "cadangan.zip", None)
        box = Notifications(restored)
        assert [x.case_title for x in box.list(staf)] == ["Surat D"]
        prefs = box.preferences(staf)
        assert prefs.email == f"{staf}@contoh.go.id" and prefs.channel(Kind.OVERDUE) == Channel.APP
        assert [e.recipient for e in Outbox(restored).entries()] == [f"{staf}@contoh.go.id"]
    finally:
        restored.dispose()
