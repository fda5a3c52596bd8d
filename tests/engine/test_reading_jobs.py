"""Reading jobs in the database (SQLite and PostgreSQL): a job's life, its bytes dropped when
it ends, a silent job taken for stopped, old jobs cleaned, and migration 0010 from 0009."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.errors import NotFound
from engine.reading_jobs import KEEP_FINISHED, STALE_AFTER, JobState, ReadingJobs
from engine.store import Store, utcnow
from tests.engine.conftest import FakeClock


def test_a_job_runs_reports_and_ends_with_its_drafts(store: Store) -> None:
    jobs = ReadingJobs(store)
    job = jobs.create(b"%PDF-1.4 pindaian", filename="cuti.pdf", uploader="analis")
    assert (job.state, job.stage, job.pages_done, job.pages_total) == (JobState.QUEUED, "", 0, 0)
    assert job.uploader == "analis" and job.filename == "cuti.pdf" and job.draft_ids == ()
    assert jobs.data(job.id) == b"%PDF-1.4 pindaian"
    jobs.start(job.id)
    jobs.progress(job.id, "ocr", 3, 10)
    running = jobs.get(job.id)
    assert (running.state, running.stage, running.pages_done, running.pages_total) == (
        JobState.RUNNING,
        "ocr",
        3,
        10,
    )
    assert not running.state.finished and not running.stopped(utcnow())
    jobs.finish(job.id, [7, 8])
    done = jobs.get(job.id)
    assert done.state is JobState.DONE and done.state.finished and done.draft_ids == (7, 8)
    assert jobs.data(job.id) is None  # the upload is not kept once read
    assert done.updated_at >= running.updated_at >= job.created_at


def test_a_failed_job_keeps_the_readers_message_not_the_bytes(store: Store) -> None:
    jobs = ReadingJobs(store)
    job = jobs.create(b"rusak", filename="rusak.pdf", uploader="analis")
    jobs.fail(job.id, "PDF rusak atau tidak dapat dibaca (corrupt PDF: PSEOF)")
    failed = jobs.get(job.id)
    assert failed.state is JobState.FAILED and failed.message.startswith("PDF rusak")
    assert jobs.data(job.id) is None
    with pytest.raises(NotFound):
        jobs.get(job.id + 1000)


def test_a_silent_running_job_is_stopped_and_a_beat_keeps_it_alive(store: Store) -> None:
    clock = FakeClock(utcnow())
    jobs = ReadingJobs(store, clock=clock)
    job = jobs.create(b"x", filename="a.png", uploader="analis")
    jobs.start(job.id)
    clock.advance(seconds=STALE_AFTER.total_seconds() - 5)
    jobs.beat(job.id)
    clock.advance(seconds=STALE_AFTER.total_seconds() - 5)
    assert not jobs.get(job.id).stopped(clock())
    clock.advance(seconds=10)
    assert jobs.get(job.id).stopped(clock())
    jobs.finish(job.id, [1])
    assert not jobs.get(job.id).stopped(clock() + timedelta(days=3))  # finished: never stopped


def _at(store: Store, when: datetime) -> ReadingJobs:
    return ReadingJobs(store, clock=lambda: when)


def test_old_jobs_are_cleaned_and_a_stopped_jobs_bytes_dropped(store: Store) -> None:
    now = utcnow()
    old = now - KEEP_FINISHED - timedelta(hours=1)
    recent = _at(store, now - timedelta(hours=1)).create(b"4", filename="baru.txt", uploader="a")
    _at(store, now - timedelta(hours=1)).finish(recent.id, [2])
    stopped = _at(store, now - STALE_AFTER * 2).create(b"3", filename="henti.png", uploader="a")
    running = _at(store, now).create(b"5", filename="jalan.png", uploader="analis")
    # made last: a job's creation cleans with its own clock, which would delete them earlier
    finished = _at(store, old).create(b"1", filename="lama.txt", uploader="analis")
    _at(store, old).finish(finished.id, [1])
    abandoned = _at(store, old).create(b"2", filename="mati.png", uploader="analis")
    jobs = _at(store, now)
    assert jobs.clean() == 2
    for gone in (finished, abandoned):
        with pytest.raises(NotFound):
            jobs.get(gone.id)
    assert jobs.get(stopped.id).stopped(now) and jobs.data(stopped.id) is None
    assert jobs.get(recent.id).draft_ids == (2,)
    assert jobs.data(running.id) == b"5"
    # a new job cleans on its way in
    _at(store, old).finish(_at(store, old).create(b"6", filename="x", uploader="a").id, [3])
    jobs.create(b"7", filename="y", uploader="a")
    with store.begin(write=False) as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM reading_jobs")).scalar()
    assert count == 4


def test_migration_0010_adds_the_table_to_a_0009_database(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'lama.db'}")
    try:
        store.upgrade("0009")
        assert "reading_jobs" not in sa.inspect(store.engine).get_table_names()
        store.upgrade()
        assert "reading_jobs" in sa.inspect(store.engine).get_table_names()
        jobs = ReadingJobs(store)
        job = jobs.create(b"abc", filename="a.txt", uploader="analis")
        assert jobs.get(job.id).state is JobState.QUEUED
    finally:
        store.dispose()
