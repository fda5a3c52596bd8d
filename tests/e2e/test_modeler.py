"""The embedded modeler end to end, in Debian's chromium against ``alur serve``: an analyst
opens a deployed version from the process page, moves a task to another lane and renames it,
presses Terapkan, reads the preview (its diff lists exactly those two changes) and confirms;
a case of the new version then reaches the renamed task in the new lane's inbox.

The server has its own library (bpmn/mentawai-...: an empty "Sekretaris" lane), so the new
version does not disturb the other browser tests. Screenshots go to /tmp/alur-shots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, SHOTS, Server, serving
from tests.support import modeler_page
from tests.support.bpmnjs import MoveToLane, Rename

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE = ROOT / "bpmn" / "mentawai-kominfo-penyusunan-iku.bpmn"
KEY = "Proses_PENYUSUNAN_IKU_11_SOP_KOMINFO_2020"
PROCESS = "PENYUSUNAN IKU"
TASK, NEW_NAME, NEW_LANE = "Task_Langkah_2", "Menyiapkan draf surat edaran", "Sekretaris"
DEMO = "alur-demo"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE.name} belum dibuat / not generated yet")
    folder = tmp_path_factory.mktemp("alur-e2e-modeler")
    library = folder / "bpmn"
    library.mkdir()
    (library / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    with serving(folder, library) as running:
        yield running


class Person:
    """One demo user at one browser, every console error recorded (a CSP refusal is one)."""

    def __init__(self, browser: Any, server: Server, username: str) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.go("/masuk")
        self.page.fill("#username", username)
        self.page.fill("#password", DEMO)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/kotak-masuk.*"))

    def go(self, path: str) -> None:
        self.page.goto(self.server.url + path)

    def flash(self) -> str:
        return " ".join(self.page.locator(".flash").all_inner_texts())

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"modeler-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


@pytest.fixture()
def people(chromium_browser: Any, server: Server) -> Iterator[Any]:
    opened: list[Person] = []

    def make(username: str) -> Person:
        opened.append(Person(chromium_browser, server, username))
        return opened[-1]

    yield make
    for person in opened:
        person.close()


def test_edit_in_the_modeler_deploy_and_run_the_new_version(people: Any) -> None:
    analis = people("analis")
    analis.go(f"/proses/{KEY}")
    with analis.page.expect_navigation():
        analis.page.get_by_role("link", name="Ubah di modeler").click()
    modeler_page.wait_ready(analis.page)
    modeler_page.install_edits(analis.page)
    modeler_page.apply(analis.page, [MoveToLane(TASK, NEW_LANE), Rename(TASK, NEW_NAME)])
    analis.shot("edited")
    modeler_page.press(analis.page, "Terapkan")
    assert re.search(r"/proses/terapkan/[0-9a-f]{32}$", analis.page.url), analis.page.url

    # the preview lists exactly the two changes, both on step 2
    rows = analis.page.locator("table.diff tbody tr")
    kinds = sorted(
        (rows.nth(i).get_attribute("data-kind"), rows.nth(i).locator("td").first.inner_text())
        for i in range(rows.count())
    )
    assert kinds == [("activity", "2"), ("role", "2")], kinds
    changes = analis.page.inner_text("#changes")
    assert NEW_NAME in changes and "Membuat draft surat" in changes
    assert NEW_LANE in changes and "Staf" in changes
    assert f"Modeler ({KEY}/v1)" in analis.page.inner_text("#deploy-facts")
    analis.shot("preview")
    with analis.page.expect_navigation():
        analis.page.click("#confirm-deploy")
    assert "versi 2 diterapkan" in analis.flash()

    # a case of version 2: step 1 done, the renamed step waits in the new lane
    kasubag = people("kasubag-program")
    kasubag.go("/mulai")
    card = kasubag.page.locator("section.card").filter(
        has=kasubag.page.get_by_role("heading", name=PROCESS, exact=True)
    )
    card.locator("input[name=title]").fill("IKU Mentawai 2027")
    with kasubag.page.expect_navigation():
        card.get_by_role("button", name="Mulai").click()
    assert "/tugas/" in kasubag.page.url
    with kasubag.page.expect_navigation():
        kasubag.page.get_by_role("button", name="Selesai", exact=True).click()
    assert f"Kasus diteruskan ke: {NEW_NAME} ({NEW_LANE})" in kasubag.flash()

    sekretaris = people("sekretaris")
    sekretaris.go("/kotak-masuk")
    assert sekretaris.page.get_by_role("link", name=NEW_NAME).count() >= 1
    sekretaris.shot("inbox-new-lane")
    staf = people("staf")
    staf.go("/kotak-masuk")
    assert staf.page.get_by_role("link", name=NEW_NAME).count() == 0
