"""The SOP editor in Debian's chromium: an analyst uploads a text SOP, corrects a guessed
role and a branch target, sees the preview change, deploys through the preview; the case then
starts in the corrected lane and its first step waits in that lane's inbox.

The test runs its own ``alur serve`` (the IKU fixture as the library, so the demo accounts of
its lanes exist) because it deploys a new process, which must not change what the other
browser tests find on the shared server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, Server, serving
from tests.e2e.test_webui import Session

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE = ROOT / "examples" / "singkawang-kominfo-penyusunan-iku.txt"
PROCESS = "Penyusunan Indikator Kinerja Utama (IKU)"
CORRECTED_LANE = "Pengadministrasian Umum"  # step 1 was guessed as Kasubbag PEKK (38 %)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("alur-sop-editor")
    library = folder / "bpmn"
    library.mkdir()
    fixture = ROOT / "tests" / "webui" / "fixtures" / "iku.bpmn"
    (library / "penyusunan-iku.bpmn").write_bytes(fixture.read_bytes())
    with serving(folder, library) as running:
        yield running


def diagram(s: Session) -> tuple[str, bytes]:
    src = s.page.locator("#preview-diagram").get_attribute("src") or ""
    return src, s.page.request.get(s.server.url + src).body()


def save_step(s: Session, number: int) -> None:
    with s.page.expect_navigation():
        s.page.get_by_role("button", name=f"Simpan langkah {number}", exact=True).click()
    assert "Tersimpan" in s.flash(), s.flash()


def test_correct_deploy_and_run_in_the_corrected_lane(chromium_browser: Any, server: Server,
                                                      tmp_path: Path) -> None:  # fmt: skip
    analis = Session(chromium_browser, server).login("analis")
    clerk = None
    try:
        analis.go("/proses/sop")
        analis.page.set_input_files("#sop", str(SAMPLE))
        with analis.page.expect_navigation():
            analis.page.get_by_role("button", name="Baca dokumen").click()
        assert re.search(r"/proses/sop/\d+$", analis.page.url), analis.page.url
        step1 = analis.page.locator("#langkah-1")
        assert "guessed" in (step1.get_attribute("class") or "")
        assert "Pelaksana ditebak" in step1.inner_text()
        src_before, svg_before = diagram(analis)
        analis.shot("sop-editor-uploaded")

        # a guessed role corrected: the highlight goes, the preview is drawn again
        step1.locator("select[name=role]").select_option(CORRECTED_LANE)
        save_step(analis, 1)
        step1 = analis.page.locator("#langkah-1")
        assert "guessed" not in (step1.get_attribute("class") or "")
        assert step1.locator("select[name=role]").input_value() == CORRECTED_LANE
        src_after, svg_after = diagram(analis)
        assert src_after != src_before and svg_after != svg_before
        assert analis.image_loaded("#preview-diagram")

        # a branch target corrected: Kepala Kantor's "Tidak setuju" goes back to step 3
        step6 = analis.page.locator("#langkah-6")
        step6.locator("select[name=branch_to_1]").select_option("3")
        save_step(analis, 6)
        assert analis.page.locator("#langkah-6 select[name=branch_to_1]").input_value() == "3"
        assert diagram(analis)[1] != svg_after
        history = analis.page.inner_text("#riwayat")
        assert "Langkah 1 diubah" in history and "Langkah 6 diubah" in history
        analis.shot("sop-editor-corrected")

        with analis.page.expect_navigation():
            analis.page.locator("#deploy").click()
        assert "/proses/terapkan/" in analis.page.url
        analis.shot("sop-editor-deploy-preview")
        with analis.page.expect_navigation():
            analis.page.locator("#confirm-deploy").click()
        assert "diterapkan" in analis.flash(), analis.flash()

        # the corrected lane starts the case and finds the corrected step in its inbox
        clerk = Session(chromium_browser, server).login("pengadministrasian-umum")
        clerk.start_case(PROCESS, "IKU hasil koreksi", "KOR-1")
        clerk.go("/kotak-masuk?cari=KOR-1")
        inbox = clerk.page.inner_text("main")
        assert "Menerima konsep IKU" in inbox, inbox
        clerk.shot("sop-editor-corrected-lane-inbox")
        assert not analis.errors and not clerk.errors, (analis.errors, clerk.errors)
    finally:
        analis.close()
        if clerk is not None:
            clerk.close()
