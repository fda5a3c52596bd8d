"""The HTTP completion row of issue 14 with and without webui/i18n.py's fast dates and strings,
in one process and interleaved (one sample of each per round): A/B on a shared machine.

"B" swaps the template ``gettext``/``ngettext`` and the ``dt``/``date`` filters back to
Flask-Babel's own (per-string catalogue lookup, Babel's ``format_datetime``), so the
difference is exactly this change. Prints wall and CPU (thread time) medians, each against the
raw SpiffWorkflow cycle of the same rounds.

Usage: python bench/issue14_i18n_ab.py [--url URL] [--rounds N] [--rows N]
``--rows``: open tasks left in the user's inbox (the page after the redirect shows up to 20).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import issue14 as bench


def babel_only(app: Any) -> Callable[[bool], None]:
    """A switch between the fast callables (True) and Flask-Babel's own (False)."""
    from flask_babel import format_date, format_datetime, get_translations, to_user_timezone
    from jinja2 import pass_context
    from jinja2.ext import _make_new_gettext, _make_new_ngettext

    from webui import i18n

    env = app.jinja_env
    fast = {k: env.globals[k] for k in ("gettext", "ngettext")}
    fast_filters = {k: env.filters[k] for k in ("dt", "date")}
    slow = {
        "gettext": _make_new_gettext(lambda s: get_translations().ugettext(s)),
        "ngettext": _make_new_ngettext(lambda s, p, n: get_translations().ungettext(s, p, n)),
    }

    # the fast filters take the render context; a compiled template passes it to whichever
    # filter holds the name, so Babel's are wrapped to take (and ignore) it too
    @pass_context
    def slow_dt(_context: Any, value: datetime | None) -> str:
        if value is None:
            return "–"
        local = to_user_timezone(i18n._aware(value))
        return f"{format_datetime(local, 'd MMM y HH.mm')} {local.tzname()}"

    @pass_context
    def slow_date(_context: Any, value: datetime | None) -> str:
        return "–" if value is None else format_date(i18n._aware(value), "d MMMM y")

    processors = app.template_context_processors[None]
    render_gettext = i18n._render_context

    def switch(on: bool) -> None:
        env.globals.update(fast if on else slow)
        env.filters.update(fast_filters if on else {"dt": slow_dt, "date": slow_date})
        if on and render_gettext not in processors:
            processors.append(render_gettext)
        if not on and render_gettext in processors:
            processors.remove(render_gettext)

    return switch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--rows", type=int, default=0)
    args = parser.parse_args()
    stores = bench.Stores(args.url)
    try:
        store = stores.new()
        runtime = bench.setup(store)
        raw = bench.Raw(runtime)
        client = bench.web_client(store, runtime, "staf")
        switch = babel_only(client.application)
        for _ in range(args.rows):
            runtime.start(bench.KEY, "staf")
        samples: dict[str, list[tuple[float, float]]] = {"raw": [], "fast": [], "babel": []}

        def both(call: Callable[[], Any]) -> tuple[float, float]:
            w, c = time.perf_counter(), time.thread_time()
            call()
            return time.perf_counter() - w, time.thread_time() - c

        def post(task_id: str) -> None:
            got = client.post(f"/tugas/{task_id}/selesai", data={"csrf_token": client.csrf},
                              follow_redirects=True)  # fmt: skip
            assert got.status_code == 200 and "/kotak-masuk" in got.request.path

        for n in range(args.rounds + 5):
            for mode in ("fast", "babel"):
                switch(mode == "fast")
                task_id = bench.first_task(runtime, runtime.start(bench.KEY, "staf").id)
                sample = both(lambda: post(task_id))  # noqa: B023
                if n >= 5:
                    samples[mode].append(sample)
            if n >= 5:
                samples["raw"].append(both(raw.cycle))
        switch(True)
        print(f"store: {store.dialect}; {args.rows} other open tasks in the inbox; "
              f"n={args.rounds}")  # fmt: skip
        for i, what in ((0, "wall"), (1, "CPU")):
            base = statistics.median(s[i] for s in samples["raw"])
            for mode in ("babel", "fast"):
                m = statistics.median(s[i] for s in samples[mode])
                print(f"  {what:<4} HTTP POST+redirect, {mode:<5} i18n: {m * 1000:7.2f} ms "
                      f"= {m / base:5.2f}x raw cycle ({base * 1000:.2f} ms)")  # fmt: skip
    finally:
        stores.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
