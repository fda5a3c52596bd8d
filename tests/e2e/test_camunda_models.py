"""Issue 17 in the browser: processes drawn from scratch in Camunda Modeler run in the web UI.

Both models of tests/engine/camunda_models.py are drawn through the bpmn-js modeling API (as an
analyst does in Camunda Modeler: JUEL conditions, no Alur properties, lanes or candidate
groups, a generated task form), then, in Debian's chromium against one ``alur serve`` for this
module (its library empty, so nothing but the drawn models runs):

- the analyst uploads each file on the BPMN upload page and it is deployed;
- the administrator creates one account per role (lane / candidate group) and the assignee;
- each person logs in, finds the task in the inbox, fills the form and presses the buttons
  drawn as the outgoing flows, until every branch has reached its end: for the leave request
  Tidak (back to the start, a reason required), Ya, the two branches routed by the form's data
  (number of days, the urgent checkbox) and the head's Setuju / Tolak (the default flow); for
  the letter its revision loop;
- the case history shows the form values and the decisions; the official SOP document (PDF)
  of each deployed process names its tasks (pdftotext).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server, serving
from tests.e2e.test_webui import DEMO, Session
from tests.engine.camunda_models import CUTI, SURAT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CUTI_NAME = CUTI["name"]
SURAT_NAME = SURAT["name"]
PEOPLE = {  # username: roles, as the administrator creates them
    "pegawai": ["Pegawai"],
    "kasubag": ["Kasubag Umum"],
    "kadis": ["Kepala Dinas"],  # also the fixed camunda:assignee of "Menandatangani surat"
    "staf": ["Staf"],
    "sekretaris": ["Sekretaris"],
}
DRAWN = {"cuti.bpmn": CUTI, "surat-grup.bpmn": SURAT}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, bpmnjs: Any) -> Iterator[Server]:
    """``alur serve --demo`` on an empty process library: only admin and analis exist.

    While it starts, both models are drawn in bpmn-js into ``folder/drawn/`` (the two take
    seconds each; done side by side the module is faster)."""
    folder = tmp_path_factory.mktemp("alur-camunda")
    (folder / "bpmn").mkdir()

    def draw() -> None:
        (folder / "drawn").mkdir()
        for filename, spec in DRAWN.items():
            (folder / "drawn" / filename).write_text(bpmnjs.build(spec), encoding="utf-8")

    with serving(folder, folder / "bpmn", while_starting=draw) as started:
        yield started


class Person(Session):
    """A Session with the helpers these flows need."""

    def send_login(self, username: str, password: str = DEMO) -> None:
        """Submit the login form without waiting: several people log in side by side (each
        login costs a deliberately slow scrypt on the server)."""
        self.go("/masuk")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]", no_wait_after=True)

    def open_case_task(self, name: str, case: str) -> None:
        """Open task ``name`` of the case numbered ``case`` from the inbox (searched by number)."""
        self.go(f"/kotak-masuk?cari={case}")
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=name, exact=True).first.click()
        assert "/tugas/" in self.page.url, self.page.url
        assert self.page.locator("h1").inner_text() == name

    def buttons(self) -> list[str]:
        return [b.strip() for b in self.page.locator(".decisions button").all_inner_texts()]

    def fill(self, values: dict[str, str | bool]) -> None:
        for field, value in values.items():
            box = self.page.locator(f"#field-{field}")
            if isinstance(value, bool):
                box.set_checked(value)
            elif box.evaluate("e => e.tagName") == "SELECT":
                box.select_option(value)
            else:
                box.fill(value)

    def submit(self, button: str, comment: str = "") -> str:
        """Press ``button`` (a decision or Selesai), with ``comment``; return the flash."""
        if comment:
            self.page.fill("#comment", comment)
        path = self.press(button)
        assert path.startswith("/kotak-masuk"), (path, self.flash())
        return self.flash()


@pytest.fixture(scope="module")
def people(chromium_browser: Any, server: Server) -> Iterator[dict[str, Person]]:
    opened: dict[str, Person] = {}

    class People(dict[str, Person]):
        def log_in(self, *usernames: str) -> None:
            for username in usernames:
                person = opened[username] = self[username] = Person(chromium_browser, server)
                person.send_login(username, "admin-demo" if username == "admin" else DEMO)
            for username in usernames:
                self[username].page.wait_for_url(re.compile(r".*/kotak-masuk.*"))

    yield People()
    for person in opened.values():
        person.close()


@pytest.fixture(scope="module")
def deployed(server: Server, people: Any) -> dict[str, str]:
    """Both models drawn in bpmn-js, uploaded and deployed by the analyst; the administrator
    then creates an account for every role the drawings introduced. Process name → key."""
    people.log_in("analis", "admin")
    analis = people["analis"]
    keys: dict[str, str] = {}
    for filename, spec in DRAWN.items():
        path = server.folder / "drawn" / filename
        analis.go("/proses/unggah")
        analis.page.set_input_files("#bpmn", str(path))
        with analis.page.expect_navigation():
            analis.page.get_by_role("button", name="Unggah dan periksa").click()
        assert "proses baru" in analis.page.inner_text("#deploy-status")  # the preview first
        with analis.page.expect_navigation():
            analis.page.click("#confirm-deploy")
        assert re.search(r"/proses/[^/]+$", analis.page.url), analis.page.inner_text("main")
        assert f"{spec['name']} versi 1 diterapkan." in analis.flash()
        assert analis.page.locator("h1").inner_text().startswith(spec["name"])
        keys[spec["name"]] = analis.page.url.rsplit("/", 1)[-1]
    facts = analis.page.inner_text("dl.facts")  # the letter: roles from candidate groups
    assert "Staf, Sekretaris" in facts
    analis.shot("camunda-process-deployed")

    admin = people["admin"]
    admin.go("/admin/pengguna")
    for username, roles in PEOPLE.items():
        admin.page.fill("#new-username", username)
        admin.page.fill("#new-password", DEMO)
        for role in roles:
            admin.page.locator(f"fieldset.roles input[value='{role}']").check()
        with admin.page.expect_navigation():
            admin.page.get_by_role("button", name="Buat pengguna").click()
        assert f"Pengguna {username} dibuat." in admin.flash()
    people.log_in(*PEOPLE)
    return keys


def _history(person: Person, case_title: str) -> str:
    """The audit trail of the case titled ``case_title``, as text (rows joined by |)."""
    person.go(f"/kasus/?cari={case_title}&status=")
    with person.page.expect_navigation():
        person.page.get_by_role("link", name=case_title, exact=True).click()
    rows = person.page.locator("table.history tbody tr").all_inner_texts()
    return " | ".join(" ".join(r.split()) for r in rows)


def test_leave_request_every_branch_in_the_browser(
    deployed: dict[str, str], people: dict[str, Person]
) -> None:
    pegawai, kasubag, kadis = people["pegawai"], people["kasubag"], people["kadis"]

    def apply(case: str, title: str, days: str, urgent: bool = False, again: bool = False) -> None:
        if not again:
            pegawai.start_case(CUTI_NAME, title, case)
            assert "/tugas/" in pegawai.page.url and "dimulai" in pegawai.flash()
        else:
            pegawai.open_case_task("Mengajukan cuti", case)
        assert pegawai.buttons() == ["Selesai"]  # no gateway decides after this task
        kind = "sakit" if urgent else "tahunan"
        pegawai.fill({"jenis": kind, "jumlah_hari": days, "mulai": "2026-12-01",
                      "mendesak": urgent, "alasan": f"{title} alasan"})  # fmt: skip
        message = pegawai.submit("Selesai")
        assert "Kasus diteruskan ke: Memeriksa kelengkapan (Kasubag Umum)." in message

    # A: incomplete (Tidak, back to the start), then 3 days → Ya → straight to recording
    pegawai.start_case(CUTI_NAME, "Cuti A", "CUTI-A")
    page = pegawai.page
    assert page.locator("#field-jenis option:checked").inner_text() == "Cuti tahunan"
    assert page.get_attribute("#field-jumlah_hari", "max") == "12"
    pegawai.fill({"jumlah_hari": "20"})  # the browser refuses what the form's max forbids
    assert not page.locator("#field-jumlah_hari").evaluate("e => e.checkValidity()")
    pegawai.fill({"jenis": "tahunan", "jumlah_hari": "4", "mulai": "2026-11-02",
                  "alasan": "acara keluarga"})  # fmt: skip
    pegawai.shot("camunda-cuti-form")
    assert "Memeriksa kelengkapan (Kasubag Umum)" in pegawai.submit("Selesai")

    kasubag.open_case_task("Memeriksa kelengkapan", "CUTI-A")
    assert kasubag.buttons() == ["Ya", "Tidak"]
    trail = " ".join(kasubag.page.inner_text("table.history").split())
    assert "Jumlah hari: 4" in trail and "Jenis cuti: Cuti tahunan" in trail
    kasubag.page.get_by_role("button", name="Tidak", exact=True).click()  # no reason: stopped
    assert kasubag.page.is_visible("#comment-error") and "/tugas/" in kasubag.page.url
    kasubag.shot("camunda-cuti-decision")
    message = kasubag.submit("Tidak", "Lampirkan surat keterangan")
    assert "Kasus diteruskan ke: Mengajukan cuti (Pegawai)." in message

    apply("CUTI-A", "Cuti A", "3", again=True)
    kasubag.open_case_task("Memeriksa kelengkapan", "CUTI-A")
    assert "Kasus diteruskan ke: Mencatat cuti (Kasubag Umum)." in kasubag.submit("Ya")
    kasubag.open_case_task("Mencatat cuti", "CUTI-A")
    due = kasubag.page.inner_text("dl.facts").split("Tenggat", 1)[1].split("\n")[1]
    assert re.search(r"\d{4}", due), due  # camunda:dueDate P2D
    assert kasubag.buttons() == ["Selesai"]
    assert "Kasus telah selesai." in kasubag.submit("Selesai")

    # B: 10 days → the head approves → recorded
    apply("CUTI-B", "Cuti B", "10")
    kasubag.open_case_task("Memeriksa kelengkapan", "CUTI-B")
    assert "Kasus diteruskan ke: Menyetujui cuti (Kepala Dinas)." in kasubag.submit("Ya")
    kadis.open_case_task("Menyetujui cuti", "CUTI-B")
    assert kadis.buttons() == ["Setuju", "Tolak"]
    assert "Kasus diteruskan ke: Mencatat cuti (Kasubag Umum)." in kadis.submit("Setuju")
    kasubag.open_case_task("Mencatat cuti", "CUTI-B")
    assert "Kasus telah selesai." in kasubag.submit("Selesai")

    # C: 2 days but urgent (a form checkbox in a JUEL condition) → the head → Tolak (default)
    apply("CUTI-C", "Cuti C", "2", urgent=True)
    kasubag.open_case_task("Memeriksa kelengkapan", "CUTI-C")
    assert "Kasus diteruskan ke: Menyetujui cuti (Kepala Dinas)." in kasubag.submit("Ya")
    kadis.open_case_task("Menyetujui cuti", "CUTI-C")
    assert "Kasus telah selesai." in kadis.submit("Tolak", "Kuota cuti habis")
    assert not kadis.errors, kadis.errors

    # the audit trails: form values and the decisions taken
    a = _history(kasubag, "Cuti A")
    assert "Jumlah hari: 4" in a and "Jumlah hari: 3" in a and "Alasan: acara keluarga" in a
    assert re.search(r"Memeriksa kelengkapan Tidak Lampirkan surat keterangan", a), a
    assert re.search(r"Memeriksa kelengkapan Ya", a), a
    assert "Mencatat cuti" in a and "Menyetujui cuti" not in a
    assert "selesai" in kasubag.page.inner_text(".pagehead")
    kasubag.shot("camunda-cuti-history")
    b = _history(kadis, "Cuti B")
    assert "Jumlah hari: 10" in b and re.search(r"Menyetujui cuti Setuju", b), b
    c = _history(kadis, "Cuti C")
    assert "Mendesak: ya" in c and "Jenis cuti: Cuti sakit" in c
    assert re.search(r"Menyetujui cuti Tolak Kuota cuti habis", c), c
    assert "Mencatat cuti" not in c


def test_letter_without_lanes_revision_loop_in_the_browser(
    deployed: dict[str, str], people: dict[str, Person]
) -> None:
    staf, sekretaris, kadis = people["staf"], people["sekretaris"], people["kadis"]
    staf.start_case(SURAT_NAME, "Surat undangan", "SURAT-1")
    assert "/tugas/" in staf.page.url
    assert staf.page.get_attribute("#field-perihal", "maxlength") == "120"
    staf.fill({"perihal": "Undangan rapat"})
    assert "Kasus diteruskan ke: Memaraf konsep (Sekretaris)." in staf.submit("Selesai")

    sekretaris.open_case_task("Memaraf konsep", "SURAT-1")
    assert sekretaris.buttons() == ["Perlu revisi", "Tidak perlu revisi"]
    assert "2030" in sekretaris.page.inner_text("dl.facts")  # camunda:dueDate 2030-01-31
    sekretaris.page.get_by_role("button", name="Perlu revisi", exact=True).click()
    assert sekretaris.page.is_visible("#comment-error")  # the branch back needs a reason
    message = sekretaris.submit("Perlu revisi", "Sebutkan tanggal rapat")
    assert "Kasus diteruskan ke: Menulis konsep surat (Staf)." in message

    staf.open_case_task("Menulis konsep surat", "SURAT-1")
    staf.fill({"perihal": "Undangan rapat 5 Mei"})
    assert "Memaraf konsep (Sekretaris)" in staf.submit("Selesai")
    sekretaris.open_case_task("Memaraf konsep", "SURAT-1")
    message = sekretaris.submit("Tidak perlu revisi")
    assert "Kasus diteruskan ke: Menandatangani surat (kadis)." in message  # no role: the person

    kadis.go("/kotak-masuk")
    assert "Menandatangani surat" in kadis.page.inner_text("main")  # camunda:assignee kadis
    kadis.open_case_task("Menandatangani surat", "SURAT-1")
    kadis.shot("camunda-surat-assignee")
    task_url = kadis.page.url
    with kadis.page.expect_navigation():  # the case it belongs to, though kadis holds no lane
        kadis.page.locator("dl.facts").get_by_role("link", name="Surat undangan").click()
    assert "Menandatangani surat (kadis)" in kadis.page.inner_text("dl.facts")
    kadis.page.goto(task_url)
    assert "Kasus telah selesai." in kadis.submit("Selesai")

    trail = _history(staf, "Surat undangan")
    assert "Perihal: Undangan rapat" in trail and "Perihal: Undangan rapat 5 Mei" in trail
    assert re.search(r"Memaraf konsep Perlu revisi Sebutkan tanggal rapat", trail), trail
    assert re.search(r"Memaraf konsep Tidak perlu revisi", trail), trail
    assert "Menandatangani surat" in trail
    staf.shot("camunda-surat-history")


@pytest.mark.parametrize(
    ("process", "tasks"),
    [
        (CUTI_NAME, ["Mengajukan cuti", "Memeriksa kelengkapan", "Menyetujui cuti",
                     "Mencatat cuti"]),
        (SURAT_NAME, ["Menulis konsep surat", "Memaraf konsep", "Menandatangani surat"]),
    ],
)
def test_official_sop_document_of_the_drawn_process(
    deployed: dict[str, str], people: dict[str, Person], process: str, tasks: list[str],
    tmp_path: Path,
) -> None:  # fmt: skip
    analis = people["analis"]
    analis.go(f"/proses/{deployed[process]}")
    card = analis.page.locator("section.card").filter(
        has=analis.page.get_by_role("heading", name="Dokumen SOP")
    )
    with analis.page.expect_download() as info:
        card.get_by_role("link", name="Unduh PDF (A4)").click()
    download = info.value
    assert download.suggested_filename.endswith("-v1.pdf")
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert process in flat or process.upper() in flat.upper()
    for task in tasks:
        assert task in flat, (task, flat[:2000])
