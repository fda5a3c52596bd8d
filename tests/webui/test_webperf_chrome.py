"""The page frame built once per language and mount point (webui.chrome), and the templates'
``_()`` kept per catalogue (webui.i18n): the same words, links and escaping as the template
expressions they replace, in each language and under each script root.
"""

from __future__ import annotations

import pytest
from babel.support import Translations
from flask import Flask
from jinja2 import Environment
from markupsafe import Markup

from tests.webui.conftest import session_client
from webui.chrome import Active, active_for
from webui.i18n import _page_gettext, request_translations


@pytest.mark.parametrize(
    ("endpoint", "blueprint", "expected"),
    [
        ("tasks.inbox", "tasks", Active(inbox=True)),
        ("tasks.task", "tasks", Active(inbox=True)),
        ("tasks.start_list", "tasks", Active(start=True)),
        ("instances.index", "instances", Active(instances=True)),
        ("processes.index", "processes", Active(processes=True)),
        ("reports.index", "reports", Active(reports=True)),
        ("admin.users", "admin", Active(users=True)),
        ("admin.open_tasks", "admin", Active(open_tasks=True)),
        ("notifications.index", "notifications", Active(notifications=True)),
        ("auth.login", "auth", Active()),
        (None, None, Active()),
    ],
)
def test_the_current_entry_of_the_navigation(
    endpoint: str | None, blueprint: str | None, expected: Active
) -> None:
    assert active_for(endpoint, blueprint) == expected


def test_the_frame_in_each_language_and_the_current_entry(app: Flask) -> None:
    client = session_client(app, "admin")
    page = client.get("/mulai").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert '<a href="/mulai" class="active">Mulai kasus</a>' in page
    assert '<a href="/kotak-masuk" class="">Kotak masuk' in page
    assert '<a href="/admin/pengguna" class="">Pengguna</a>' in page
    assert ">Keluar</button>" in page and "SOP Administrasi Pemerintahan" in page
    english = client.get("/mulai?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert ">Log out</button>" in english and ">Keluar</button>" not in english
    assert '<button name="lang" value="id"' in english
    back = client.get("/kotak-masuk?lang=id").get_data(as_text=True)  # the language comes back
    assert ">Keluar</button>" in back
    assert '<a href="/kotak-masuk" class="active">Kotak masuk' in back


def test_the_frame_follows_the_mount_point(app: Flask) -> None:
    """Behind a proxy that mounts the app under a prefix (SCRIPT_NAME), every frame link
    carries it; a request without the prefix, in the same process, gets its own links."""
    client = session_client(app, "admin")
    mounted = client.get("/kotak-masuk", environ_overrides={"SCRIPT_NAME": "/alur"})
    html = mounted.get_data(as_text=True)
    assert 'href="/alur/static/alur.css"' in html
    assert 'action="/alur/keluar"' in html and 'href="/alur/notifikasi/"' in html
    plain = client.get("/kotak-masuk").get_data(as_text=True)
    assert 'href="/static/alur.css"' in plain and "/alur/" not in plain


def _catalogue(app: Flask, lang: str) -> Translations:
    with app.test_request_context(f"/?lang={lang}"):
        return request_translations()  # type: ignore[return-value]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    ("source", "variables"),
    [
        ("{{ _('Keluar') }}", {}),
        ("{{ _('Keluar') }}{{ _('Keluar') }}", {}),  # the second from the kept words
        ("{{ _('100%% selesai & <b>rapi</b>') }}", {}),  # not in the catalogue
        ("{{ _('%(n)s tugas', n=total) }}", {"total": 3}),
        ("{{ _('oleh %(u)s', u=who) }}", {"who": "<Budi & Sri>"}),
        ("<a title=\"{{ _('Notifikasi') }}\">{{ _('Notifikasi') }}</a>", {}),
    ],
)
def test_template_words_are_jinjas_own(
    app: Flask, lang: str, source: str, variables: dict[str, object]
) -> None:
    """The kept ``_()`` gives what Jinja's newstyle ``gettext`` gives, escaping included,
    with and without autoescape."""
    translations = _catalogue(app, lang)
    for autoescape in (True, False):
        reference = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        reference.install_gettext_callables(  # type: ignore[attr-defined]
            translations.ugettext, translations.ungettext, newstyle=True
        )
        expected = reference.from_string(source).render(**variables)
        ours = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
        page = _page_gettext(translations)
        got = ours.from_string(source).render(_=page.gettext, gettext=page.gettext, **variables)
        assert got == expected


def test_kept_words_are_per_catalogue(app: Flask) -> None:
    indonesian = _page_gettext(_catalogue(app, "id"))
    english = _page_gettext(_catalogue(app, "en"))
    assert english is _page_gettext(_catalogue(app, "en"))  # made once per catalogue
    env = Environment(autoescape=True)
    words = env.from_string("{{ _('Keluar') }}")
    assert words.render(_=english.gettext) == "Log out"
    assert words.render(_=indonesian.gettext) == "Keluar"
    assert isinstance(english.gettext(env.from_string("").new_context().eval_ctx, "Keluar"),
                      Markup)  # fmt: skip
