"""Dates and strings written the fast way (webui/i18n.py) read exactly as Babel writes them.

The date filters skip Babel's per-call pattern parsing and the template ``gettext`` keeps
the catalogue for a request; these tests hold them to Babel's own output for every month,
both languages and several zones, and to a language switched in the middle of a request.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import render_template_string
from flask_babel import format_date, format_datetime, refresh, to_user_timezone

from webui.i18n import fmt_date, fmt_datetime

from .conftest import make_app


def _babel_datetime(value: datetime) -> str:
    local = to_user_timezone(value)
    return f"{format_datetime(local, 'd MMM y HH.mm')} {local.tzname()}"


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_every_month_reads_as_babel_writes_it(tmp_path: Any, backend: Any, lang: str,
                                              zone: str) -> None:  # fmt: skip
    app = make_app(tmp_path, backend, ALUR_TIMEZONE=zone)
    with app.test_request_context(f"/?lang={lang}"):
        for month in range(1, 13):
            # late in the UTC day, so the local date rolls over into the next day or month
            value = datetime(2026, month, 28, 22, 7, tzinfo=UTC) + timedelta(days=3)
            assert fmt_datetime(value) == _babel_datetime(value)
            assert fmt_date(value) == format_date(value, "d MMMM y")
        assert fmt_datetime(datetime(2027, 1, 5, 1, 2)) == _babel_datetime(
            datetime(2027, 1, 5, 1, 2, tzinfo=UTC))  # naive = UTC  # fmt: skip


def test_a_language_switched_mid_request_changes_dates_and_strings(app: Any) -> None:
    page = "{{ _('Kotak masuk') }} {{ when|dt }}"
    when = datetime(2026, 8, 17, 3, 5, tzinfo=UTC)
    with app.test_request_context("/"):
        assert render_template_string(page, when=when) == "Kotak masuk 17 Agu 2026 10.05 WIB"
        from flask import session

        session["lang"] = "en"
        refresh()  # a new locale object: neither the catalogue nor the month names are kept
        assert render_template_string(page, when=when) == "Inbox 17 Aug 2026 10.05 WIB"


def test_template_strings_stay_escaped_and_formatted(app: Any) -> None:
    page = "{{ _('%(n)s tugas', n=value) }}|{{ ngettext('%(num)s jam', '%(num)s jam', 3) }}"
    with app.test_request_context("/?lang=en"):
        refresh()
        got = render_template_string(page, value="<b>")
    assert got.startswith("&lt;b&gt; task"), got
    assert got.endswith("|3 hours"), got
