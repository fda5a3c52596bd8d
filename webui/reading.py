"""An uploaded SOP read in a thread of the process that received it, its progress in the job row.

The upload request stores a :class:`~engine.reading_jobs.ReadingJob` and calls :func:`start`;
the reading runs in a daemon thread, so the request can answer (at once with the draft when
the reading is quick, else with the job page) while the reading goes on. Two threads per
job: the *reading* thread reads and makes the drafts, and its *reporter* thread writes the
latest progress to the database at most :data:`WRITES_PER_SECOND` times a second and beats
the heartbeat while a page takes long, so the reading never waits for the database and a
slow OCR page is not taken for a dead process. Whatever happens, the job ends done or failed
with a message for people (an unexpected error is logged with its traceback here, and the
page says only that the reading failed). :func:`view` is the job as its page and its status
JSON show it, in the viewer's language (stage words, "halaman 3 dari 10", time so far).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from converters.model import ConversionError
from converters.reading.progress import Progress, Stage, reporting
from engine.reading_jobs import HEARTBEAT, JobState, ReadingJob, ReadingJobs
from engine.sop_drafts import SopDrafts
from engine.store import utcnow
from webui.converter_text import plain_message

log = logging.getLogger(__name__)

WAIT_SECONDS = 2.0
"""How long the upload request waits for its reading: a text or Word file is read by then and
goes straight to its draft, as before jobs existed (``ALUR_READING_WAIT`` overrides)."""
WRITES_PER_SECOND = 4
"""At most this many progress writes per job and second (each is one short UPDATE)."""


class _Reporter:
    """The latest progress of one reading, written by its own thread (throttled), with the
    heartbeat between writes."""

    def __init__(self, jobs: ReadingJobs, job_id: int) -> None:
        self.jobs = jobs
        self.job_id = job_id
        self._latest: Progress | None = None
        self._written: Progress | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"alur-reading-{job_id}-progress", daemon=True
        )

    def __call__(self, progress: Progress) -> None:  # the reading's listener: no I/O here
        with self._lock:
            self._latest = progress

    def __enter__(self) -> _Reporter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        last_write = time.monotonic()
        while not self._stop.wait(1 / WRITES_PER_SECOND):
            with self._lock:
                latest = self._latest
            try:
                if latest is not None and latest != self._written:
                    self.jobs.progress(self.job_id, latest.stage.value, latest.done,
                                       latest.total)  # fmt: skip
                    self._written = latest
                elif time.monotonic() - last_write >= HEARTBEAT.total_seconds():
                    self.jobs.beat(self.job_id)
                else:
                    continue
                last_write = time.monotonic()
            except Exception:  # a lost write costs the page a step, never the reading
                log.warning("kemajuan pembacaan %s tidak tersimpan", self.job_id, exc_info=True)


MAX_READINGS = 2
"""Readings one process runs at once: an OCR page keeps a core busy, so a burst of scans
uploaded together would otherwise slow every page of the site and each other; the others
wait their turn, queued ("Menunggu giliran"), their heartbeat kept."""
_SLOTS = threading.BoundedSemaphore(MAX_READINGS)


@contextlib.contextmanager
def _turn(jobs: ReadingJobs, job_id: int) -> Iterator[None]:
    """One of the process's :data:`MAX_READINGS` reading slots, the job's heartbeat beaten
    while it waits (a queued job is not a stopped one)."""
    slots = _SLOTS
    while not slots.acquire(timeout=HEARTBEAT.total_seconds()):
        jobs.beat(job_id)
    try:
        yield
    finally:
        slots.release()


def start(app: Flask, job: ReadingJob, data: bytes, locale: str) -> threading.Event:
    """Read ``data`` for ``job`` in a daemon thread; the event is set when the job ended (its
    row says done or failed). ``locale``: the uploader's, for the drafts' history lines."""
    ended = threading.Event()
    thread = threading.Thread(
        target=_run, args=(app, job, data, locale, ended), name=f"alur-reading-{job.id}",
        daemon=True)  # fmt: skip
    thread.start()
    return ended


def _run(app: Flask, job: ReadingJob, data: bytes, locale: str, ended: threading.Event) -> None:
    from webui.backend import backend

    jobs = ReadingJobs(backend(app).store)
    try:
        with app.app_context(), force_locale(locale), _turn(jobs, job.id):
            _read(jobs, job, data)
    except Exception:
        log.exception("pembacaan %s (%s) gagal", job.id, job.filename)
        try:
            with app.app_context(), force_locale(locale):
                jobs.fail(job.id, _("Terjadi kesalahan saat membaca dokumen ini."))
        except Exception:
            log.exception("pembacaan %s: status gagal tidak tersimpan", job.id)
    finally:
        ended.set()


def _read(jobs: ReadingJobs, job: ReadingJob, data: bytes) -> None:
    # looked up at call time: the tests put a slow reading in its place
    from converters.reading import sop_file

    jobs.start(job.id)
    read: Callable[[bytes, str], list] = sop_file.read_sops
    try:
        with _Reporter(jobs, job.id) as reporter, reporting(reporter):
            sops = read(data, job.filename)
    except ConversionError as exc:
        jobs.fail(job.id, str(exc))  # worded for people at display (plain_message)
        return
    drafts = SopDrafts(jobs.store)
    name = job.filename
    if len(sops) == 1:
        summaries = [_("Diunggah dari %(name)s", name=name)]
    else:
        summaries = [_("Diunggah dari %(name)s (SOP %(k)s dari %(n)s)", name=name, k=k,
                       n=len(sops)) for k in range(1, len(sops) + 1)]  # fmt: skip
    ids = [drafts.create(sop, filename=name, user=job.uploader, summary=summary).id
           for sop, summary in zip(sops, summaries, strict=True)]  # fmt: skip
    jobs.finish(job.id, ids)


def failure(job: ReadingJob) -> str:
    """A failed reading's reason as the upload page says it."""
    return _("Dokumen %(name)s tidak dapat dibaca: %(why)s", name=job.filename,
             why=plain_message(job.message))  # fmt: skip


_STAGES = {
    "": _l("Menunggu giliran"),
    Stage.OPEN.value: _l("Membuka berkas"),
    Stage.PAGES.value: _l("Membaca halaman"),
    Stage.OCR.value: _l("Mengenali teks halaman (OCR)"),
    Stage.DRAWING.value: _l("Menafsirkan bagan alir"),
}
"""The reading's stages in words (the codes are :class:`converters.reading.progress.Stage`)."""


@dataclass(frozen=True)
class JobView:
    """A job as its page and its status JSON show it."""

    job: ReadingJob
    stopped: bool
    stage: str
    pages: str
    elapsed: str
    message: str

    def as_json(self) -> dict[str, Any]:
        job = self.job
        return {
            "id": job.id, "state": "stopped" if self.stopped else job.state.value,
            "finished": job.state.finished or self.stopped, "stage": job.stage,
            "stage_text": self.stage, "pages_done": job.pages_done,
            "pages_total": job.pages_total, "pages_text": self.pages,
            "elapsed_text": self.elapsed, "message": self.message,
        }  # fmt: skip


def _elapsed(seconds: float) -> str:
    whole = max(int(seconds), 0)
    if whole < 60:
        return _("%(s)s detik", s=whole)
    return _("%(m)s menit %(s)s detik", m=whole // 60, s=whole % 60)


def view(job: ReadingJob) -> JobView:
    """The job as its page and its status JSON show it (a silent unfinished job: stopped)."""
    now = utcnow()
    stopped = job.stopped(now)
    pages = (_("halaman %(done)s dari %(total)s", done=job.pages_done, total=job.pages_total)
             if job.pages_total else "")  # fmt: skip
    end = job.updated_at if job.state.finished else now
    if stopped:
        message = _(
            "Pembacaan terhenti karena proses server yang membacanya berhenti. "
            "Unggah dokumen ini sekali lagi."
        )
    elif job.state is JobState.FAILED:
        message = failure(job)
    else:
        message = ""
    stage = (_STAGES.get(job.stage, job.stage) if job.stage or job.state is JobState.QUEUED
             else _("Membaca dokumen"))  # fmt: skip
    return JobView(job, stopped, str(stage), pages,
                   _elapsed((end - job.created_at).total_seconds()), message)  # fmt: skip


__all__ = ["WAIT_SECONDS", "WRITES_PER_SECOND", "JobView", "failure", "start", "view"]
