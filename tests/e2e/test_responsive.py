"""Every page fits the screen, phone (375 px) to laptop (1366 px): nothing wider than the
viewport (tables scroll inside their own box), with screenshots under test-results/ for a
human to look at. The diagram viewer opens at the readable natural size, zooms, and scrolls
the current step into view."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "test-results" / "responsive"
DEMO = "alur-demo"
WIDTHS = (375, 1366)

# Offenders when a page is too wide: the widest elements whose right edge passes the viewport.
_WIDE = """() => {
  const w = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.diagram'))
    .slice(0, 5)
    .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
}"""


class Browser:
    def __init__(self, browser: Any, server: Server, width: int) -> None:
        self.server = server
        self.width = width
        self.context = browser.new_context(viewport={"width": width, "height": 800},
                                           locale="id-ID")
        self.page = self.context.new_page()
        self.refused: list[str] = []  # the CSP refusing a script or style: a broken page
        self.page.on("console", lambda m: self.refused.append(m.text)
                     if m.type == "error" and "Content Security Policy" in m.text else None)

    def close(self) -> None:
        self.context.close()
        assert not self.refused, self.refused

    def go(self, path: str) -> None:
        self.page.goto(self.server.url + path)
        self.page.wait_for_load_state("load")

    def login(self, username: str, password: str = DEMO) -> Browser:
        self.go("/masuk")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/kotak-masuk.*"))
        return self

    def fits(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.width}-{name}.png"), full_page=True)
        scroll = self.page.evaluate("document.scrollingElement.scrollWidth")
        viewport = self.page.evaluate("window.innerWidth")
        assert scroll <= viewport, (name, self.width, scroll, self.page.evaluate(_WIDE))
        # and nothing pokes out of the page's column (a table wider than <main>)
        inner = self.page.evaluate("""() => {
          const m = document.querySelector('main'), r = m.getBoundingClientRect();
          const clipped = e => {  // inside a box that scrolls (or clips) it
            for (let p = e.parentElement; p && p !== m; p = p.parentElement) {
              if (getComputedStyle(p).overflowX !== 'visible') { return true; }
            }
            return false;
          };
          return Math.max(0, ...[...m.querySelectorAll('*')]
            .filter(e => getComputedStyle(e).display !== 'none' && !clipped(e))
            .map(e => e.getBoundingClientRect().right - r.right));
        }""")
        assert inner <= 1, (name, self.width, inner)


@pytest.fixture(scope="module")
def case_id(chromium_browser: Any, alur_server: Server) -> Iterator[int]:
    """One running case of the IKU process, waiting at its second step (pengadministrasian)."""
    b = Browser(chromium_browser, alur_server, 1366).login("kasubbag-pekk")
    b.go("/mulai")
    heading = b.page.get_by_role("heading", name="Penyusunan IKU", exact=True)
    card = b.page.locator("section.card").filter(has=heading)
    card.locator("input[name=title]").fill("IKU tampilan ponsel dengan judul yang cukup panjang")
    card.locator("input[name=business_key]").fill("000.8.3.3/46/2026-PANJANG-SEKALI-NOMORNYA")
    with b.page.expect_navigation():
        card.get_by_role("button", name="Mulai").click()
    with b.page.expect_navigation():
        b.page.get_by_role("button", name="Selesai", exact=True).click()
    b.go("/kasus/")
    href = b.page.get_attribute("table.grid tbody a", "href") or ""
    b.context.close()
    yield int(href.rstrip("/").rsplit("/", 1)[-1])


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_pages_fit_the_screen(chromium_browser: Any, alur_server: Server, case_id: int,
                                   width: int) -> None:
    b = Browser(chromium_browser, alur_server, width).login("pengadministrasian-umum")
    try:
        b.fits("inbox")
        b.page.locator("table.grid tbody a, .task-list a").first.click()
        b.page.wait_for_url(re.compile(r".*/tugas/.*"))
        b.fits("task")
        b.go(f"/kasus/{case_id}")
        b.fits("case")
        b.go("/kasus/")
        b.fits("cases")
    finally:
        b.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_start_forms_and_process_list_fit_the_screen(chromium_browser: Any,
                                                     alur_server: Server, width: int) -> None:
    b = Browser(chromium_browser, alur_server, width).login("admin", "admin-demo")
    try:
        b.go("/mulai")
        b.fits("start-forms")
        b.go("/proses/")
        b.fits("processes")
    finally:
        b.close()


def test_case_diagram_opens_readable_and_scrolls_to_the_current_step(
        chromium_browser: Any, alur_server: Server, case_id: int) -> None:
    b = Browser(chromium_browser, alur_server, 375).login("pengadministrasian-umum")
    try:
        b.go(f"/kasus/{case_id}")
        viewer = b.page.locator(".diagram-viewer")
        b.page.wait_for_selector(".diagram-viewer[data-focused='1']", timeout=10000)
        assert b.page.is_visible(".diagram-bar")
        img = b.page.locator(".diagram-viewer img")
        natural, shown = img.evaluate("i => [i.naturalWidth, i.clientWidth]")
        assert shown == natural  # natural size: the 9-10 pt text is 12-13 px on the page
        # the current step's centre is inside the scrolled box
        inside = viewer.evaluate("""v => {
          const box = v.querySelector('.diagram'), img = box.querySelector('img');
          const x = Number(v.dataset.focusX) * img.clientWidth - box.scrollLeft;
          const y = Number(v.dataset.focusY) * img.clientHeight - box.scrollTop;
          return [x, y, box.clientWidth, box.clientHeight, box.scrollLeft];
        }""")
        x, y, w, h, left = inside
        assert 0 <= x <= w and 0 <= y <= h, inside
        assert left > 0  # the step is right of the first screen: the box did scroll
        b.page.click(".diagram-bar [data-zoom='out']")
        assert float(viewer.get_attribute("data-scale") or 0) < 1
        b.page.click(".diagram-bar [data-zoom='fit']")
        assert img.evaluate("i => i.clientWidth") <= b.page.evaluate("window.innerWidth")
        b.page.click(".diagram-bar [data-zoom='1']")
        assert viewer.get_attribute("data-scale") == "1.000"
        b.fits("case-diagram")
    finally:
        b.close()
