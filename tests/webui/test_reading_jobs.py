"""A long reading is a job: the upload answers with the job's page, which shows the stage and
the pages, then goes on to the draft; a failure shows the reader's reason, a job whose process
stopped says so, only its uploader and the admins see it, and another process on the same
database answers its status (the web tier keeps no state).

The reading is replaced by a slow fake that reports pages and waits for the test's signal, so
each test takes well under a second of reading."""

from __future__ import annotations

import io
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from converters.model import ConversionError, Sop
from converters.reading.progress import Stage, report
from converters.reading.sop_file import read_sop
from engine.reading_jobs import JobState, ReadingJobs
from engine.sop_drafts import SopDrafts
from engine.store import utcnow
from tests.conftest import ROOT
from tests.webui.conftest import PASSWORD, make_app, session_client, text
from webui.backend import Backend
from webui.converter_text import plain_message

SAMPLE = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"
JOB = re.compile(r"/proses/sop/baca/(\d+)")


@pytest.fixture(scope="module")
def sample() -> Sop:
    return read_sop(SAMPLE)


class SlowReading:
    """A reading that reports page 3 of 10 of its OCR, then waits for :attr:`go`."""

    def __init__(self, sops: list[Sop]) -> None:
        self.sops = sops
        self.go = threading.Event()
        self.refusal = ""

    def __call__(self, data: bytes, filename: str) -> list[Sop]:
        report(Stage.OPEN)
        report(Stage.OCR, 3, 10)
        if not self.go.wait(10):
            raise RuntimeError("the test never let the reading go on")
        if self.refusal:
            raise ConversionError(self.refusal)
        return self.sops


@pytest.fixture()
def app(tmp_path: Path, real_backend: Backend) -> Flask:
    return make_app(tmp_path, real_backend, ALUR_READING_WAIT=0.3)


@pytest.fixture()
def patient_app(tmp_path: Path, real_backend: Backend) -> Flask:
    """An upload that waits long enough for any quick reading, even on a busy machine."""
    return make_app(tmp_path, real_backend, ALUR_READING_WAIT=10)


@pytest.fixture()
def slow(monkeypatch: pytest.MonkeyPatch, sample: Sop) -> Iterator[SlowReading]:
    reading = SlowReading([sample])
    monkeypatch.setattr("converters.reading.sop_file.read_sops", reading)
    yield reading
    reading.go.set()  # never leave a thread waiting


def upload(client: FlaskClient, name: str = "pindaian.pdf") -> Any:
    return client.post("/proses/sop", data={"sop": (io.BytesIO(b"%PDF-1.4 pindaian"), name)},
                       content_type="multipart/form-data")  # fmt: skip


def job_of(response: Any) -> int:
    assert response.status_code == 302, text(response)
    found = JOB.fullmatch(response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def status(client: FlaskClient, job_id: int) -> dict[str, Any]:
    r = client.get(f"/proses/sop/baca/{job_id}/status")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    return dict(r.get_json())


def until(
    client: FlaskClient, job_id: int, ok: Callable[[dict[str, Any]], bool], seconds: float = 10
) -> dict:
    """The status once ``ok`` holds (progress is written by a thread, four times a second)."""
    deadline = time.monotonic() + seconds
    while True:
        found = status(client, job_id)
        if ok(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def through_reading(client: FlaskClient, response: Any, seconds: float = 120) -> Any:
    """The upload's answer once its reading ended: an upload answered with its job's page (a
    scan read longer than the upload waits) is followed as the page's script does, to the
    job page's own answer (the draft, or the failure)."""
    found = (
        JOB.fullmatch(response.headers.get("Location", "")) if response.status_code == 302 else None
    )
    if found is None:
        return response
    job_id = int(found.group(1))
    until(client, job_id, lambda s: s["finished"], seconds)
    return client.get(f"/proses/sop/baca/{job_id}")


def test_a_slow_reading_shows_its_pages_then_opens_the_draft(app: Flask, slow: SlowReading) -> None:
    analis = session_client(app, "analis")
    job_id = job_of(upload(analis))
    now = until(analis, job_id, lambda s: s["pages_done"] == 3)
    assert now["state"] == "running" and now["stage"] == "ocr" and not now["finished"]
    assert now["pages_text"] == "halaman 3 dari 10" and now["pages_total"] == 10
    page = analis.get(f"/proses/sop/baca/{job_id}")
    assert page.status_code == 200
    said, html = text(page), page.get_data(as_text=True)
    assert "Mengenali teks halaman (OCR)" in said and "halaman 3 dari 10" in said
    assert "Waktu berjalan:" in said and "pindaian.pdf" in said
    assert '<script src="/static/reading.js" defer></script>' in html
    assert '<meta http-equiv="refresh"' in html  # in <noscript>: works without JavaScript
    assert f'data-status="/proses/sop/baca/{job_id}/status"' in html
    slow.go.set()
    done = until(analis, job_id, lambda s: s["finished"])
    assert done["state"] == "done" and done["message"] == ""
    r = analis.get(f"/proses/sop/baca/{job_id}")
    draft_id = int(re.fullmatch(r"/proses/sop/(\d+)", r.headers["Location"]).group(1))  # type: ignore[union-attr]
    draft = SopDrafts(app.config["ALUR_BACKEND"].store).get(draft_id)
    assert draft.filename == "pindaian.pdf" and draft.created_by == "analis"
    assert ReadingJobs(app.config["ALUR_BACKEND"].store).data(job_id) is None


def test_progress_is_written_a_few_times_a_second_at_most(
    patient_app: Flask, monkeypatch: pytest.MonkeyPatch, sample: Sop
) -> None:
    import sqlalchemy as sa

    def busy(data: bytes, filename: str) -> list[Sop]:
        for page in range(100):  # a hundred reports in about a second
            report(Stage.OCR, page, 100)
            time.sleep(0.01)
        return [sample]

    monkeypatch.setattr("converters.reading.sop_file.read_sops", busy)
    store = patient_app.config["ALUR_BACKEND"].store
    writes: list[float] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("UPDATE reading_jobs SET") and "pages_done" in statement:
            writes.append(time.monotonic())

    sa.event.listen(store.engine, "before_cursor_execute", count)
    try:
        started = time.monotonic()
        r = upload(session_client(patient_app, "analis"))
        took = time.monotonic() - started
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", count)
    assert r.status_code == 302 and re.fullmatch(r"/proses/sop/\d+", r.headers["Location"])
    assert 1 <= len(writes) <= 4 * took + 2, (len(writes), took)


def test_a_compilation_read_slowly_lists_its_drafts(app: Flask, slow: SlowReading,
                                                    sample: Sop) -> None:  # fmt: skip
    slow.sops = [sample, sample]
    analis = session_client(app, "analis")
    job_id = job_of(upload(analis, "kumpulan.pdf"))
    slow.go.set()
    until(analis, job_id, lambda s: s["finished"])
    r = analis.get(f"/proses/sop/baca/{job_id}")
    assert r.status_code == 302 and r.headers["Location"].endswith("/proses/sop#draf-terbuka")
    said = text(analis.get("/proses/sop"))
    assert "Berkas kumpulan.pdf memuat 2 SOP; dibuat 2 draf, satu per SOP" in said


def test_a_failed_reading_shows_the_readers_reason(app: Flask, slow: SlowReading) -> None:
    slow.refusal = "PDF rusak atau tidak dapat dibaca (corrupt PDF: PSEOF)"
    analis = session_client(app, "analis")
    job_id = job_of(upload(analis))
    slow.go.set()
    failed = until(analis, job_id, lambda s: s["finished"])
    assert failed["state"] == "failed"
    # worded as the upload page words it (webui.converter_text.plain_message)
    why = plain_message(slow.refusal)
    assert why.startswith("PDF rusak atau tidak dapat dibaca")
    assert failed["message"] == f"Dokumen pindaian.pdf tidak dapat dibaca: {why}"
    page = analis.get(f"/proses/sop/baca/{job_id}")
    assert page.status_code == 200 and failed["message"] in text(page)
    assert "reading.js" not in page.get_data(as_text=True)  # nothing left to follow


def test_a_quick_failure_is_refused_on_the_upload_page_as_before(
    patient_app: Flask, slow: SlowReading
) -> None:
    slow.refusal = "bukan dokumen SOP (no SOP table)"
    slow.go.set()
    r = upload(session_client(patient_app, "analis"))
    assert r.status_code == 400
    assert "Dokumen pindaian.pdf tidak dapat dibaca: bukan dokumen SOP" in text(r)


def test_only_the_uploader_and_admins_see_a_job(app: Flask, slow: SlowReading) -> None:
    backend = app.config["ALUR_BACKEND"]
    backend.users.add("analis2", ("Analis",), password=PASSWORD, full_name="Analis Dua")
    job_id = job_of(upload(session_client(app, "analis")))
    other = session_client(app, "analis2")
    assert other.get(f"/proses/sop/baca/{job_id}").status_code == 404
    assert other.get(f"/proses/sop/baca/{job_id}/status").status_code == 404
    assert other.get(f"/proses/sop/baca/{job_id + 99}").status_code == 404
    assert session_client(app, "kadis").get(f"/proses/sop/baca/{job_id}").status_code == 403
    admin = session_client(app, "admin")
    assert admin.get(f"/proses/sop/baca/{job_id}").status_code == 200
    assert status(admin, job_id)["id"] == job_id


def test_another_process_on_the_same_database_answers_the_status(
    app: Flask, slow: SlowReading, tmp_path: Path
) -> None:
    from engine.definitions import Definitions
    from engine.runtime import Runtime
    from engine.store import Store
    from engine.users import Users

    analis = session_client(app, "analis")
    job_id = job_of(upload(analis))
    until(analis, job_id, lambda s: s["pages_done"] == 3)
    store = Store.from_url(app.config["ALUR_BACKEND"].store.url)  # a second process's own
    try:
        definitions = Definitions(store)
        second = make_app(tmp_path / "kedua", Backend(
            store=store, users=Users(store), definitions=definitions,
            runtime=Runtime(store, definitions)))  # fmt: skip
        there = session_client(second, "analis")
        seen = status(there, job_id)
        assert (seen["stage"], seen["pages_done"], seen["pages_total"]) == ("ocr", 3, 10)
        slow.go.set()
        assert until(there, job_id, lambda s: s["finished"])["state"] == "done"
        assert there.get(f"/proses/sop/baca/{job_id}").status_code == 302
    finally:
        store.dispose()


def test_a_job_whose_process_stopped_says_to_upload_again(app: Flask) -> None:
    long_ago = utcnow() - timedelta(minutes=5)
    jobs = ReadingJobs(app.config["ALUR_BACKEND"].store, clock=lambda: long_ago)
    job = jobs.create(b"x", filename="pindaian.png", uploader="analis")
    jobs.start(job.id)
    analis = session_client(app, "analis")
    seen = status(analis, job.id)
    assert seen["state"] == "stopped" and seen["finished"]
    page = analis.get(f"/proses/sop/baca/{job.id}")
    said = text(page)
    assert "Pembacaan terhenti" in said and "Unggah dokumen ini sekali lagi" in said
    assert "reading.js" not in page.get_data(as_text=True)
    assert JobState(jobs.get(job.id).state) is JobState.RUNNING  # shown stopped, not rewritten


def test_a_quick_reading_goes_straight_to_its_draft_and_leaves_no_bytes(
    patient_app: Flask,
) -> None:
    app = patient_app
    analis = session_client(app, "analis")
    r = analis.post("/proses/sop", data={"sop": (io.BytesIO(SAMPLE.read_bytes()), SAMPLE.name)},
                    content_type="multipart/form-data")  # fmt: skip
    assert r.status_code == 302 and re.fullmatch(r"/proses/sop/\d+", r.headers["Location"])
    jobs = ReadingJobs(app.config["ALUR_BACKEND"].store)
    with jobs.store.begin(write=False) as conn:
        ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM reading_jobs")]
    assert len(ids) == 1 and jobs.get(ids[0]).state is JobState.DONE
    assert jobs.data(ids[0]) is None


# -- the command line --------------------------------------------------------------------------


class Terminal(io.StringIO):
    """stderr as a terminal shows it (``isatty``), kept for the asserts."""

    def isatty(self) -> bool:
        return True


def test_the_cli_shows_page_progress_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    sample: Sop,
) -> None:
    import json
    import sys

    from webui.cli import main

    def reading(source: Any, filename: str = "") -> list[Sop]:
        report(Stage.OCR, 3, 10)
        return [sample]

    monkeypatch.setattr("converters.reading.sop_file.read_sops", reading)
    doc = tmp_path / "cuti.pdf"
    doc.write_bytes(b"%PDF-1.4 pindaian")
    assert main(["inspect", str(doc), "--json"]) == 0
    piped = capsys.readouterr()
    assert piped.err == "" and json.loads(piped.out)["steps"]  # a script's output unchanged
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["inspect", str(doc), "--json"]) == 0
    assert "\rcuti.pdf: OCR halaman 3/10" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")  # the line is cleared before the output
    assert json.loads(capsys.readouterr().out)["steps"]
    terminal.truncate(0)
    assert main(["convert", str(doc), "-o", str(tmp_path / "bpmn")]) == 0
    assert "\rcuti.pdf: OCR halaman 3/10" in terminal.getvalue()
    assert (tmp_path / "bpmn" / "cuti.bpmn").exists()


def test_readings_beyond_the_processs_slots_wait_queued_then_run(
    app: Flask, slow: SlowReading, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst of scans does not run all at once: with one slot, the second upload's job
    waits queued (its page says so) until the first ends, then reads to its draft."""
    from webui import reading

    monkeypatch.setattr(reading, "_SLOTS", threading.BoundedSemaphore(1))
    analis = session_client(app, "analis")
    first = job_of(upload(analis, "pertama.pdf"))
    assert until(analis, first, lambda s: s["pages_done"] == 3)["state"] == "running"
    second = job_of(upload(analis, "kedua.pdf"))
    time.sleep(0.6)  # the reporter would have written the second's pages by now
    waiting = status(analis, second)
    assert waiting["state"] == "queued" and waiting["pages_done"] == 0
    assert waiting["stage_text"] == "Menunggu giliran" and not waiting["finished"]
    slow.go.set()
    assert until(analis, first, lambda s: s["finished"])["state"] == "done"
    assert until(analis, second, lambda s: s["finished"])["state"] == "done"
