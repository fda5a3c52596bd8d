"""Reading jobs: an uploaded SOP being read, its progress kept in the database.

Reading a scanned SOP takes seconds per page, too long to hold a web request silently. The
web upload stores a job here, reads in a thread of the process that received the file and
writes the reading's progress to the job's row; the browser polls whichever ``alur serve``
process answers it. That is why the job lives in the database and not in the process's
memory: several processes answer one user (``docs/deployment.md``), and the one asked for
the status is seldom the one reading.

A process that stops (restart, crash) takes its running readings with it; nothing can
resume them, since the reading itself holds the only state. The reading thread's
*heartbeat* tells: a job still queued or running whose heartbeat is older than
:data:`STALE_AFTER` is shown as stopped, and the uploader is asked to upload again. The
uploaded bytes stay in the row only while the job runs, and finished jobs are deleted after
:data:`KEEP_FINISHED`, so the table does not grow without bound.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from engine.errors import NotFound
from engine.store import Store, inserted_id, reading_jobs, utcnow

STALE_AFTER = timedelta(minutes=1)
"""A running job whose thread has not beaten for this long is taken for stopped."""
HEARTBEAT = timedelta(seconds=15)
"""How often a reading thread beats while a page takes long (well under :data:`STALE_AFTER`)."""
KEEP_FINISHED = timedelta(days=1)
"""Finished (and stopped) jobs are deleted after this; their drafts stay, of course."""
MAX_MESSAGE = 2000
MAX_FILENAME = 300
MAX_STAGE = 20


class JobState(StrEnum):
    """Where a reading job is: waiting for its thread, reading, or finished either way."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED)


@dataclass(frozen=True)
class ReadingJob:
    """One job as stored (the uploaded bytes are read apart: :meth:`ReadingJobs.data`)."""

    id: int
    uploader: str
    filename: str
    state: JobState
    stage: str
    pages_done: int
    pages_total: int
    message: str
    draft_ids: tuple[int, ...]
    created_at: datetime
    updated_at: datetime
    heartbeat_at: datetime

    def stopped(self, now: datetime) -> bool:
        """Unfinished, and its thread silent for longer than :data:`STALE_AFTER` (its process
        stopped): it will never finish."""
        return not self.state.finished and now - self.heartbeat_at > STALE_AFTER


_COLUMNS = [c for c in reading_jobs.c if c.name != "data"]


def _job(row: Any) -> ReadingJob:
    m = row._mapping
    return ReadingJob(
        id=m["id"],
        uploader=m["uploader"],
        filename=m["filename"],
        state=JobState(m["state"]),
        stage=m["stage"],
        pages_done=m["pages_done"],
        pages_total=m["pages_total"],
        message=m["message"],
        draft_ids=tuple(int(x) for x in m["draft_ids"].split(",") if x),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        heartbeat_at=m["heartbeat_at"],
    )


class ReadingJobs:
    """The reading jobs of one store."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self._clock = clock

    def create(self, data: bytes, *, filename: str, uploader: str) -> ReadingJob:
        """A queued job holding ``data``; old finished jobs are cleaned on the way."""
        now = self._clock()
        self.clean()
        with self.store.begin() as conn:
            job_id = inserted_id(
                conn.execute(
                    reading_jobs.insert().values(
                        uploader=uploader, filename=filename[:MAX_FILENAME],
                        state=JobState.QUEUED.value, stage="", pages_done=0, pages_total=0,
                        message="", draft_ids="", data=data, created_at=now,
                        updated_at=now, heartbeat_at=now,
                    )
                )
            )  # fmt: skip
        return self.get(job_id)

    def get(self, job_id: int) -> ReadingJob:
        with self.store.begin(write=False, snapshot=False) as conn:
            row = conn.execute(sa.select(*_COLUMNS).where(reading_jobs.c.id == job_id)).first()
        if row is None:
            raise NotFound(f"Pembacaan {job_id} tidak ada")
        return _job(row)

    def data(self, job_id: int) -> bytes | None:
        """The uploaded bytes, while the job has not ended (``None`` after)."""
        with self.store.begin(write=False, snapshot=False) as conn:
            value = conn.execute(
                sa.select(reading_jobs.c.data).where(reading_jobs.c.id == job_id)
            ).scalar()
        return bytes(value) if value is not None else None

    def _update(self, job_id: int, **values: object) -> None:
        now = self._clock()
        with self.store.begin() as conn:
            conn.execute(
                reading_jobs.update()
                .where(reading_jobs.c.id == job_id)
                .values(updated_at=now, heartbeat_at=now, **values)
            )

    def start(self, job_id: int) -> None:
        """The reading thread took the job."""
        self._update(job_id, state=JobState.RUNNING.value)

    def progress(self, job_id: int, stage: str, done: int, total: int) -> None:
        """Where the reading is (also a heartbeat). Callers throttle: one write per call."""
        self._update(job_id, stage=stage[:MAX_STAGE], pages_done=max(done, 0),
                     pages_total=max(total, done, 0))  # fmt: skip

    def beat(self, job_id: int) -> None:
        """Still alive (a long page gives no progress to write)."""
        with self.store.begin() as conn:
            conn.execute(
                reading_jobs.update()
                .where(reading_jobs.c.id == job_id)
                .values(heartbeat_at=self._clock())
            )

    def finish(self, job_id: int, draft_ids: Sequence[int]) -> None:
        """Read: the drafts it made; the uploaded bytes are dropped."""
        self._update(job_id, state=JobState.DONE.value, data=None,
                     draft_ids=",".join(str(i) for i in draft_ids))  # fmt: skip

    def fail(self, job_id: int, message: str) -> None:
        """Not read, with the reader's one-line reason; the uploaded bytes are dropped."""
        self._update(job_id, state=JobState.FAILED.value, data=None,
                     message=message[:MAX_MESSAGE])  # fmt: skip

    def clean(self) -> int:
        """Delete jobs finished (or stopped) longer than :data:`KEEP_FINISHED` ago, and drop
        the bytes of stopped ones at once; the number of rows deleted."""
        now = self._clock()
        unfinished = reading_jobs.c.state.in_([JobState.QUEUED.value, JobState.RUNNING.value])
        with self.store.begin() as conn:
            deleted = conn.execute(
                reading_jobs.delete().where(
                    reading_jobs.c.updated_at < now - KEEP_FINISHED,
                    sa.or_(~unfinished, reading_jobs.c.heartbeat_at < now - STALE_AFTER),
                )
            ).rowcount
            conn.execute(
                reading_jobs.update()
                .where(unfinished, reading_jobs.c.heartbeat_at < now - STALE_AFTER,
                       reading_jobs.c.data.is_not(None))
                .values(data=None)
            )  # fmt: skip
        return int(deleted or 0)


__all__ = ["HEARTBEAT", "KEEP_FINISHED", "STALE_AFTER", "JobState", "ReadingJob", "ReadingJobs"]
