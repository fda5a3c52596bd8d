"""Every page renders for the people who may see it, with the content the page is for."""

from __future__ import annotations

from typing import Any

from tests.webui.conftest import text


def start_case(client: Any, title: str = "IKU 2026", business_key: str = "000.8/1/2026") -> Any:
    return client.post(
        "/mulai/penyusunan-iku", data={"title": title, "business_key": business_key}
    )


def first_task(backend: Any) -> Any:
    return next(iter(backend.runtime.rows.values()))


def test_inbox_lists_tasks_of_my_role_with_counts(as_user: Any, backend: Any) -> None:
    kasubbag = as_user("kasubbag")
    start_case(kasubbag)
    page = kasubbag.get("/kotak-masuk")
    assert page.status_code == 200
    body = text(page)
    assert "Menerima konsep IKU" in body
    assert "IKU 2026" in body and "000.8/1/2026" in body
    # the navigation count shows one task
    assert 'title="Tugas di kotak masuk">1</span>' in page.get_data(as_text=True)


def test_inbox_of_another_role_does_not_show_the_task(as_user: Any) -> None:
    start_case(as_user("kasubbag"))
    body = text(as_user("kadis").get("/kotak-masuk"))
    assert "Menerima konsep IKU" not in body
    assert "Tidak ada tugas di sini." in body


def test_inbox_search_and_filters(as_user: Any) -> None:
    c = as_user("kasubbag")
    start_case(c, "IKU Dinas", "AAA-1")
    start_case(c, "Renstra", "BBB-2")
    c.get("/kotak-masuk")  # shows (and so drops) the "dimulai" flashes
    body = text(c.get("/kotak-masuk?cari=BBB"))
    assert "Renstra" in body and "IKU Dinas" not in body
    assert "Tidak ada tugas" in text(c.get("/kotak-masuk?filter=mine"))
    assert "2 tugas" in text(c.get("/kotak-masuk?filter=bogus"))


def test_start_page_lists_only_processes_my_role_starts(as_user: Any) -> None:
    assert "Penyusunan IKU" in text(as_user("kasubbag").get("/mulai"))
    assert "Tidak ada proses yang dapat Anda mulai." in text(as_user("kadis").get("/mulai"))


def test_start_redirects_to_the_first_task_when_it_is_mine(as_user: Any, backend: Any) -> None:
    r = start_case(as_user("kasubbag"))
    assert r.status_code == 302
    assert r.headers["Location"] == f"/tugas/{first_task(backend).id}"


def test_start_without_title_is_refused_with_a_message(as_user: Any, backend: Any) -> None:
    c = as_user("kasubbag")
    r = c.post("/mulai/penyusunan-iku", data={"title": "  "}, follow_redirects=True)
    assert "Isi judul kasus." in text(r)
    assert backend.runtime.insts == {}


def test_task_page_shows_mutu_baku_history_and_diagram(as_user: Any, backend: Any) -> None:
    c = as_user("kasubbag")
    start_case(c)
    t = first_task(backend)
    page = c.get(f"/tugas/{t.id}")
    body = text(page)
    for expected in ("Menerima konsep IKU", "Konsep IKU", "Paraf", "1 jam", "Kasubbag PEKK",
                     "Kasubbag memulai", "Ambil tugas"):  # the person by name
        assert expected in body
    html = page.get_data(as_text=True)
    assert f'src="/tugas/{t.id}/diagram.svg"' in html
    assert "&lt;b&gt;dokumen&lt;/b&gt;" in html  # task text is escaped, never raw HTML
    svg = c.get(f"/tugas/{t.id}/diagram.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_processes_pages(as_user: Any) -> None:
    c = as_user("analis")
    body = text(c.get("/proses/"))
    assert "Penyusunan IKU" in body and "Unggah BPMN" in body
    detail = c.get("/proses/penyusunan-iku")
    assert "Kasubbag PEKK" in text(detail)
    assert "/proses/penyusunan-iku/v1.bpmn" in detail.get_data(as_text=True)
    dl = c.get("/proses/penyusunan-iku/v1.bpmn")
    assert dl.data.startswith(b"<definitions")
    assert "attachment" in dl.headers["Content-Disposition"]
    assert c.get("/proses/penyusunan-iku/v1/diagram.svg").mimetype == "image/svg+xml"
    assert c.get("/proses/tidak-ada").status_code == 404
    assert c.get("/proses/penyusunan-iku/v9.bpmn").status_code == 404


def test_instances_pages(as_user: Any, backend: Any) -> None:
    c = as_user("kasubbag")
    start_case(c)
    inst = next(iter(backend.runtime.insts.values()))
    assert "IKU 2026" in text(c.get("/kasus/"))
    assert "IKU 2026" in text(c.get("/kasus/?status=running&proses=penyusunan-iku"))
    assert "Tidak ada kasus" in text(c.get("/kasus/?status=completed"))
    page = text(c.get(f"/kasus/{inst.id}"))
    assert "Jejak audit" in page and "Menerima konsep IKU" in page
    assert c.get(f"/kasus/{inst.id}/diagram.svg").mimetype == "image/svg+xml"
    assert c.get("/kasus/999").status_code == 404


def test_admin_pages(as_user: Any) -> None:
    c = as_user("admin")
    body = text(c.get("/admin/pengguna"))
    assert "kasubbag" in body and "Kepala Dinas" in body
    assert "Analis" in text(c.get("/admin/pengguna/kadis"))
    assert c.get("/admin/pengguna/nobody").status_code == 404


def test_index_redirects_to_inbox_or_login(client: Any, as_user: Any) -> None:
    assert client.get("/").headers["Location"] == "/kotak-masuk"
    assert client.get("/kotak-masuk").headers["Location"].startswith("/masuk?next=")


def test_inbox_pagination(tmp_path: Any, backend: Any) -> None:
    from tests.webui.conftest import make_app, session_client

    app = make_app(tmp_path, backend, ALUR_PAGE_SIZE=3)
    for n in range(7):
        backend.runtime.start("penyusunan-iku", "kasubbag", title=f"Kasus {n}")
    c = session_client(app, "kasubbag")
    first = text(c.get("/kotak-masuk"))
    assert "Halaman 1 dari 3" in first and "7 tugas" in first
    assert "Kasus 0" in first and "Kasus 3" not in first
    third = text(c.get("/kotak-masuk?hal=3"))
    assert "Kasus 6" in third and "Kasus 0" not in third
    assert "Halaman 1 dari 3" in text(c.get("/kotak-masuk?hal=abc"))


def test_overdue_task_is_marked(as_user: Any, backend: Any) -> None:
    from dataclasses import replace

    c = as_user("kasubbag")
    start_case(c)
    t = first_task(backend)
    backend.runtime.rows[t.id] = replace(t, overdue=True)
    html = c.get("/kotak-masuk").get_data(as_text=True)
    assert '<tr class="overdue">' in html and "terlambat" in html
    assert 'class="count late" title="Terlambat">1</span>' in html
    assert "Menerima konsep IKU" in text(c.get("/kotak-masuk?filter=overdue"))


def test_staff_see_only_cases_of_their_lanes(as_user: Any) -> None:
    start_case(as_user("kasubbag"))
    assert "IKU 2026" in text(as_user("kadis").get("/kasus/"))
    assert "IKU 2026" not in text(as_user("bendahara").get("/kasus/"))
    assert "IKU 2026" in text(as_user("analis").get("/kasus/"))
