"""The speed work of issue 14 keeps the behaviour: bounded counts say "at least", cached
statements answer for each query shape, and the optimistic completion still refuses what the
locked one refused (checked here without any timing assertion)."""

from __future__ import annotations

import pytest

from engine.errors import AlreadyCompleted, NotAllowed
from engine.records import AtLeast
from engine.runtime import Runtime
from tests.engine.conftest import SURAT


def _staff(kit, n: int = 2) -> list[str]:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT.read_bytes())
    names = [f"staf{i}" for i in range(n)]
    for name in names:
        kit.users.add(name, ["Staf"])
    return names


def test_capped_counts_say_at_least_and_exact_below_the_cap(kit) -> None:  # type: ignore[no-untyped-def]
    (staf, _other) = _staff(kit)
    for _ in range(12):
        kit.runtime.start("sop_surat_keluar", staf)
    capped = Runtime(kit.store, kit.definitions, clock=kit.clock, count_limit=3)
    # the cap is never below what the pages need: offset + 10 pages of the page size
    rows, total = capped.inbox(staf, limit=2)
    assert len(rows) == 2 and total == 12 and not isinstance(total, AtLeast)
    rows, total = capped.inbox(staf, limit=1)
    assert len(rows) == 1 and isinstance(total, AtLeast) and str(total) == "10+"
    counts = capped.count_inbox(staf)
    assert isinstance(counts["all"], AtLeast) and str(counts["all"]) == "3+"
    assert counts["mine"] == 0 and counts["overdue"] == 0
    assert str(counts["all"] - counts["mine"]) == "3+"  # the "roles" badge of the inbox page
    # the exact runtime (CLI, reports) keeps exact numbers
    assert kit.runtime.count_inbox(staf) == {"all": 12, "mine": 0, "overdue": 0}
    assert kit.runtime.inbox(staf, limit=1)[1] == 12


def test_cached_statements_answer_each_shape(kit) -> None:  # type: ignore[no-untyped-def]
    staf, other = _staff(kit)
    rt = kit.runtime
    ids = [rt.start("sop_surat_keluar", staf, title=f"Surat {i}").id for i in range(3)]
    first = rt.instance_tasks(ids[0])[0]
    rt.claim(first.id, other)
    for _ in range(2):  # the second round runs the cached statements
        assert rt.inbox(staf)[1] == 2
        assert rt.inbox(other, filter="mine")[1] == 1
        assert rt.inbox(other, filter="roles")[1] == 2
        assert rt.inbox(staf, search="Surat 2")[1] == 1
        assert rt.inbox(staf, process_key="lain")[1] == 0
        assert rt.count_inbox(other) == {"all": 3, "mine": 1, "overdue": 0}
        assert len(rt.tasks(roles=["Staf"])) == 3
        assert len(rt.tasks()) == 3


def test_a_claim_between_read_and_write_is_not_overwritten(kit, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The optimistic completion reads without the lock; a colleague claiming the task before
    the write makes the write lose, and the retry (under the lock) refuses as before."""
    staf, other = _staff(kit)
    rt = kit.runtime
    task = rt.instance_tasks(rt.start("sop_surat_keluar", staf).id)[0]
    advance = rt.commands._advance
    calls = []

    def claim_meanwhile(work):  # type: ignore[no-untyped-def]
        if not calls:
            rt.claim(task.id, other)
        calls.append(1)
        advance(work)

    monkeypatch.setattr(rt.commands, "_advance", claim_meanwhile)
    with pytest.raises(NotAllowed, match=other):
        rt.complete(task.id, staf)
    assert rt.task(task.id).state == "ready" and rt.task(task.id).assignee == other
    result = rt.complete(task.id, other)
    assert result.task.completed_by == other and rt.check_consistency(task.instance_id) == []


def test_a_completion_between_read_and_write_wins_once(kit, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    staf, other = _staff(kit)
    rt = kit.runtime
    task = rt.instance_tasks(rt.start("sop_surat_keluar", staf).id)[0]
    advance = rt.commands._advance
    calls = []

    def complete_meanwhile(work):  # type: ignore[no-untyped-def]
        if not calls:
            calls.append(1)
            rt.complete(task.id, other)
        advance(work)

    monkeypatch.setattr(rt.commands, "_advance", complete_meanwhile)
    with pytest.raises(AlreadyCompleted):
        rt.complete(task.id, staf)
    history = [e for e in rt.history(task.instance_id) if e.action == "complete"]
    assert [e.user for e in history] == [other]
    assert rt.check_consistency(task.instance_id) == []
