"""The SOP editor on a phone (375 px), found wanting in the walk-through of issue 12: the
page head's four buttons ran off the screen and the roles' name fields shrank to a sliver
inside a table that scrolled. Now the buttons wrap and each role is a card of its own."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, Server
from tests.e2e.test_responsive import Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"


def test_the_sop_editor_fits_a_phone(chromium_browser: Any, alur_server: Server) -> None:
    b = Browser(chromium_browser, alur_server, 375).login("analis")
    b.go("/proses/sop")
    b.page.set_input_files("#sop", str(SAMPLE))
    with b.page.expect_navigation():
        b.page.click("button.primary[type=submit]")
    assert re.search(r"/proses/sop/\d+$", b.page.url), b.page.url
    b.fits("sop-editor")
    widths = b.page.eval_on_selector_all(
        "#pelaksana input[name=new_name]", "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= 120, widths  # a jabatan name can be read and typed
    b.close()
