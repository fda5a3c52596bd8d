"""People in the browser (issue 13): a returned task is marked in the inbox and says who sent
it back and why; the task page with its delegation and note forms, the profile page and the
admin's open tasks fit a phone (375 px) and a laptop (1366 px), under the strict CSP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_responsive import WIDTHS, Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REASON = "Target kinerja 3 belum terukur"


@pytest.fixture(scope="module")
def returned_case(chromium_browser: Any, alur_server: Server) -> Iterator[str]:
    """An IKU case whose recapitulation Kasubbag PEKK sent back; yields its title."""
    title = "IKU dikembalikan untuk diperbaiki"
    kasubbag = Browser(chromium_browser, alur_server, 1366).login("kasubbag-pekk")
    pengadm = Browser(chromium_browser, alur_server, 1366).login("pengadministrasian-umum")
    try:
        kasubbag.go("/mulai")
        heading = kasubbag.page.get_by_role("heading", name="Penyusunan IKU", exact=True)
        card = kasubbag.page.locator("section.card").filter(has=heading)
        card.locator("input[name=title]").fill(title)
        with kasubbag.page.expect_navigation():
            card.get_by_role("button", name="Mulai").click()
        with kasubbag.page.expect_navigation():
            kasubbag.page.get_by_role("button", name="Selesai", exact=True).click()
        for who, name in ((pengadm, "Merekapitulasi"), (kasubbag, "Meneliti")):
            who.go("/kotak-masuk")
            row = who.page.locator("table.grid tbody tr").filter(has_text=title)
            with who.page.expect_navigation():
                row.get_by_role("link", name=re.compile(name)).click()
            if who is kasubbag:
                who.page.fill("#comment", REASON)
            button = "Tidak setuju" if who is kasubbag else "Selesai"
            with who.page.expect_navigation():
                who.page.get_by_role("button", name=button, exact=True).click()
    finally:
        kasubbag.close()
        pengadm.close()
    yield title


@pytest.mark.parametrize("width", WIDTHS)
def test_returned_work_is_visible_and_fits(chromium_browser: Any, alur_server: Server,
                                          returned_case: str, width: int) -> None:
    b = Browser(chromium_browser, alur_server, width).login("pengadministrasian-umum")
    try:
        row = b.page.locator("table.grid tbody tr.returned").filter(has_text=returned_case)
        assert row.count() == 1 and "dikembalikan" in row.inner_text()
        b.fits("people-inbox-returned")
        with b.page.expect_navigation():
            row.get_by_role("link").first.click()
        banner = b.page.locator(".returned-banner").inner_text()
        assert "Dikembalikan oleh" in banner and "(Kasubbag PEKK)" in banner
        assert REASON in banner and "WIB" in banner
        assert b.page.is_visible("textarea#note")  # a note without completing
        b.fits("people-task-returned")
        b.go("/profil")
        assert b.page.is_visible("input#current")
        b.fits("people-profile")
    finally:
        b.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_open_tasks_fit(chromium_browser: Any, alur_server: Server,
                              returned_case: str, width: int) -> None:
    b = Browser(chromium_browser, alur_server, width).login("admin", "admin-demo")
    try:
        b.go("/admin/tugas")
        assert returned_case in b.page.inner_text("main")
        b.fits("people-admin-tasks")
    finally:
        b.close()
