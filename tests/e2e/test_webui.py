"""The web UI in Debian's chromium against ``alur serve``: each role in turn takes the IKU
case from start to end, including a Tidak setuju loop; an analyst uploads a broken BPMN and
sees every problem; the case diagram is opened. Screenshots of every page go to
/tmp/alur-shots/ (ALUR_SHOTS) for a human to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, SAMPLE_BPMN, SHOTS, Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMO = "alur-demo"
CASE = "IKU Dinas Kominfo 2026"  # the title of the case the reject-loop test works
FIXTURES = ROOT / "tests" / "webui" / "fixtures"


class Session:
    """One person at one browser: own cookies, a page, and a record of console errors."""

    counter = 0

    def __init__(self, browser: Any, server: Server) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="id-ID")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "console", lambda m: self.errors.append(m.text) if m.type == "error" else None
        )
        self.page.on("dialog", lambda d: d.accept())

    def go(self, path: str) -> Any:
        return self.page.goto(self.server.url + path)

    def login(self, username: str, password: str = DEMO) -> Session:
        self.go("/masuk")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/kotak-masuk.*"))
        return self

    def shot(self, name: str) -> Path:
        Session.counter += 1
        path = SHOTS / f"{Session.counter:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def start_case(self, process: str, title: str, business_key: str = "") -> None:
        """Fill the start card of ``process`` (exact heading) and submit it."""
        self.go("/mulai")
        heading = self.page.get_by_role("heading", name=process, exact=True)
        card = self.page.locator("section.card").filter(has=heading)
        card.locator("input[name=title]").fill(title)
        card.locator("input[name=business_key]").fill(business_key)
        with self.page.expect_navigation():
            card.get_by_role("button", name="Mulai").click()

    def flash(self) -> str:
        return " ".join(self.page.locator(".flash").all_inner_texts())

    def open_task(self, name: str, case: str = "") -> None:
        """Open the inbox task ``name`` (of the case titled ``case``: other modules leave
        cases of the same process in the same lanes of this shared server)."""
        self.go("/kotak-masuk")
        rows = self.page.locator("table.grid tbody tr")
        if case:
            rows = rows.filter(has_text=case)
        with self.page.expect_navigation():
            rows.get_by_role("link", name=name).first.click()
        assert "/tugas/" in self.page.url

    def press(self, button: str) -> str:
        """Click a submit button, wait for the page it leads to, return its path."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        return self.page.url.removeprefix(self.server.url)

    def image_loaded(self, selector: str = ".diagram img") -> bool:
        return bool(
            self.page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")
        )

    def close(self) -> None:
        csp = [e for e in self.errors if "Content Security Policy" in e or "Refused" in e]
        self.context.close()
        assert not csp, csp


@pytest.fixture()
def people(chromium_browser: Any, alur_server: Server) -> Iterator[Any]:
    opened: list[Session] = []

    def make(username: str, password: str = DEMO) -> Session:
        s = Session(chromium_browser, alur_server).login(username, password)
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


def test_login_page_and_wrong_password(chromium_browser: Any, alur_server: Server) -> None:
    s = Session(chromium_browser, alur_server)
    s.go("/masuk")
    s.shot("login")
    s.page.fill("#username", "kepala-dinas")
    s.page.fill("#password", "salah")
    s.page.click("button[type=submit]")
    assert "Nama pengguna atau kata sandi salah." in s.flash()
    s.close()


def test_case_from_start_to_end_with_a_reject_loop(people: Any, tmp_path: Path) -> None:
    kasubbag = people("kasubbag-pekk")
    kasubbag.shot("inbox-empty")
    kasubbag.go("/mulai")
    kasubbag.shot("start")
    kasubbag.start_case("Penyusunan IKU", CASE, "000.8.3.3/46/2026")
    assert "/tugas/" in kasubbag.page.url
    assert "Kasus “IKU Dinas Kominfo 2026” dimulai." in kasubbag.flash()
    assert kasubbag.image_loaded()
    kasubbag.shot("task-first-step")
    assert kasubbag.press("Selesai") == "/kotak-masuk"
    assert "Kasus diteruskan ke: Merekapitulasi hasil pembahasan IKU" in kasubbag.flash()
    kasubbag.shot("inbox-after-submit")

    pengadm = people("pengadministrasian-umum")
    pengadm.shot("inbox-pengadm")
    pengadm.open_task("Merekapitulasi hasil pembahasan IKU", CASE)
    pengadm.page.get_by_role("button", name="Ambil tugas").click()
    assert "Anda ambil" in pengadm.flash()
    attachment = tmp_path / "rekap-iku.txt"
    attachment.write_text("Rekapitulasi IKU 2026\n", encoding="utf-8")
    pengadm.page.set_input_files("#attachments", str(attachment))
    pengadm.shot("task-claimed-with-attachment")
    assert pengadm.press("Selesai") == "/kotak-masuk"
    assert "Meneliti dan memaraf konsep IKU (Kasubbag PEKK)" in pengadm.flash()

    # Tidak setuju needs a comment: the browser stops the submit, then the loop goes back
    kasubbag.open_task("Meneliti dan memaraf konsep IKU", CASE)
    kasubbag.page.get_by_role("button", name="Tidak setuju").click()
    assert kasubbag.page.is_visible("#comment-error")
    assert "/tugas/" in kasubbag.page.url
    kasubbag.shot("task-decision-comment-required")
    kasubbag.page.fill("#comment", "Target kinerja belum terukur, mohon diperbaiki")
    assert kasubbag.press("Tidak setuju") == "/kotak-masuk"
    assert "Kasus diteruskan ke: Merekapitulasi hasil pembahasan IKU" in kasubbag.flash()

    pengadm.open_task("Merekapitulasi hasil pembahasan IKU", CASE)
    assert pengadm.press("Selesai") == "/kotak-masuk"

    kasubbag.open_task("Meneliti dan memaraf konsep IKU", CASE)
    assert kasubbag.press("Setuju") == "/kotak-masuk"
    assert "Menandatangani IKU (Kepala Dinas)" in kasubbag.flash()

    kadis = people("kepala-dinas")
    kadis.open_task("Menandatangani IKU", CASE)
    kadis.shot("task-kadis-decision")
    assert kadis.press("Setuju") == "/kotak-masuk"
    assert "Kasus telah selesai." in kadis.flash()

    kadis.go("/kasus/?cari=Kominfo+2026")  # other modules' cases share this server
    kadis.shot("instances")
    kadis.page.get_by_role("link", name="IKU Dinas Kominfo 2026", exact=True).click()
    kadis.page.wait_for_selector(".diagram img")
    assert kadis.image_loaded()
    body = kadis.page.inner_text("main")
    assert "Target kinerja belum terukur" in body and "rekap-iku.txt" in body
    assert "selesai" in body
    kadis.shot("instance-completed")

    # the Graphviz view of the case, fetched on its own
    src = kadis.page.get_attribute(".diagram img", "src")
    response = kadis.context.request.get(kadis.server.url + str(src))
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert b"Menandatangani IKU" in response.body()


def test_invalid_bpmn_upload_lists_the_problems(people: Any) -> None:
    analis = people("analis")
    analis.go("/proses/")
    analis.shot("processes")
    analis.page.get_by_role("link", name="Penyusunan IKU").first.click()
    analis.page.wait_for_selector(".diagram img")
    assert analis.image_loaded()
    analis.shot("process-detail")
    analis.go("/proses/unggah")
    analis.page.set_input_files("#bpmn", str(FIXTURES / "invalid.bpmn"))
    analis.page.get_by_role("button", name="Unggah dan periksa").click()
    analis.page.wait_for_selector("#problems")  # on the deploy preview, with no button
    assert analis.page.locator("#confirm-deploy").count() == 0
    problems = analis.page.inner_text("#problems")
    assert "tidak diterapkan" in problems
    assert "tidak_ada" in problems and "Tanpa lane" in problems
    analis.shot("process-upload-invalid")


def test_sop_document_upload_review(people: Any) -> None:
    analis = people("analis")
    analis.go("/proses/sop")
    analis.shot("sop-upload")
    sample = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"
    analis.page.set_input_files("#sop", str(sample))
    analis.page.get_by_role("button", name="Baca dokumen").click()
    analis.page.wait_for_selector("#langkah")  # the SOP editor (tests/e2e/test_sop_editor.py)
    assert "Menghimpun hasil pembahasan IKU" in analis.page.locator("#langkah-2").inner_html()
    analis.shot("sop-review")


def test_admin_pages(people: Any) -> None:
    admin = people("admin", "admin-demo")
    admin.go("/admin/pengguna")
    assert "kepala-dinas" in admin.page.inner_text("main")
    admin.shot("admin-users")
    admin.go("/admin/pengguna/kepala-dinas")
    admin.shot("admin-user")
    admin.go("/tidak-ada")
    assert "Halaman tidak ditemukan" in admin.page.inner_text("main")
    admin.shot("error-404")


def test_other_roles_task_is_forbidden(people: Any, alur_server: Server) -> None:
    kasubbag = people("kasubbag-pekk")
    kasubbag.start_case("Penyusunan IKU", "Kasus kedua")
    assert "/tugas/" in kasubbag.page.url
    task_url = kasubbag.page.url
    kadis = people("kepala-dinas")
    response = kadis.page.goto(task_url)
    assert response is not None and response.status == 403
    assert "Akses ditolak" in kadis.page.inner_text("main")
    kadis.shot("error-403")


NEXT = re.compile(r"Kasus diteruskan ke: (.+)\.$")
ITEM = re.compile(r"^(.+) \(([^()]+)\)$")


def slug(role: str) -> str:
    from webui.demo import slug as demo_slug

    return demo_slug(role)


def test_library_sample_sop_end_to_end_following_the_messages(
    chromium_browser: Any, alur_server: Server
) -> None:
    """The process bpmn/ holds for the Singkawang sample SOP, driven only by what the UI says:
    each flash names the next task and role; that role's demo account takes it. The first
    decision is answered Tidak setuju once (with a reason), every later one Setuju."""
    if not (ROOT / "bpmn" / SAMPLE_BPMN).exists():
        pytest.skip(f"bpmn/{SAMPLE_BPMN} not generated yet")
    sessions: dict[str, Session] = {}

    def person(role: str) -> Session:
        user = slug(role)
        if user not in sessions:
            sessions[user] = Session(chromium_browser, alur_server).login(user)
        return sessions[user]

    try:
        first = person("Kasubbag PEKK")
        first.start_case("Penyusunan Indikator Kinerja Utama (IKU)", "IKU Singkawang 2026",
                         "SGK-2026-01")
        queue: list[tuple[str, str]] = [("", "Kasubbag PEKK")]
        rejected = False
        steps = 0
        while queue:
            name, role = queue.pop(0)
            s = person(role)
            if name:
                s.go("/kotak-masuk?cari=SGK-2026-01")
                with s.page.expect_navigation():
                    s.page.get_by_role("link", name=name).first.click()
            assert "/tugas/" in s.page.url, (name, role, s.page.url)
            reject = s.page.locator("button[data-needs-comment]")
            if reject.count() and not rejected:
                s.page.fill("#comment", "Belum sesuai format, mohon diperbaiki")
                with s.page.expect_navigation():
                    reject.first.click()
                rejected = True
            else:
                with s.page.expect_navigation():
                    s.page.locator(".decisions button").first.click()
            steps += 1
            message = s.flash()
            assert steps < 30, message
            found = NEXT.search(message)
            if found is None:
                assert "Kasus telah selesai." in message, message
                break
            for item in found.group(1).split("; "):
                match = ITEM.match(item)
                assert match, item
                queue.append((match.group(1), match.group(2)))
        assert rejected, "the sample has a decision with a reject branch"
        viewer = person("Kasubbag PEKK")
        viewer.go("/kasus/?cari=&status=completed")
        with viewer.page.expect_navigation():
            viewer.page.get_by_role("link", name="IKU Singkawang 2026").click()
        assert viewer.image_loaded()
        body = viewer.page.inner_text("main")
        assert "Belum sesuai format" in body and "Tidak setuju" in body
        viewer.shot("sample-sop-instance-completed")
    finally:
        for session in sessions.values():
            session.close()
