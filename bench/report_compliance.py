"""Render time of the compliance report for 10,000 cases (issue 15; target < 2 s).

Prints the time to compute the figures, to draw the two SVG charts, and to serve the whole
report page (figures + charts + template) through the Flask test client, on a store holding a
generated history (tests/support/compliance_history.py: ~45,000 step executions). Each figure
is the median of ``--rounds`` runs (after one warm-up), since the machine may be shared.

    .venv/bin/python bench/report_compliance.py [CASES] [--url URL] [--rounds N]

Default store: a temporary SQLite file. For PostgreSQL pass e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test (the database must exist; the script creates
its tables in a fresh schema and drops it afterwards).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch_store import drop_schemas, fresh_store  # noqa: E402

from engine.calendar import WorkingCalendar  # noqa: E402
from engine.compliance import Compliance, ReportFilter  # noqa: E402
from engine.definitions import Definitions  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.users import Users  # noqa: E402
from tests.support.compliance_history import generate  # noqa: E402
from webui import report_charts  # noqa: E402

KEY = "sop_penyusunan_iku"


def median_s(samples: list[float]) -> str:
    return f"median {statistics.median(samples):.2f} s (min {min(samples):.2f}, n={len(samples)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=int, default=10_000)
    parser.add_argument("--url", help="SQLAlchemy URL of a PostgreSQL database (default: SQLite)")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per figure")
    args = parser.parse_args()
    cases = args.cases
    with tempfile.TemporaryDirectory() as tmp:
        store, schema = fresh_store(args.url, Path(tmp) / "alur.db")
        try:
            definitions = Definitions(store)
            definitions.deploy((ROOT / "tests/webui/fixtures/iku.bpmn").read_bytes(),
                               "iku.bpmn", "a")  # fmt: skip
            users = Users(store)
            users.add("analis", ["Analis"], is_admin=True)
            t0 = time.perf_counter()
            generate(store, KEY, cases, per_day=20)
            print(f"{store.dialect}: generated {cases} cases in {time.perf_counter() - t0:.1f} s")
            compliance = Compliance(store, WorkingCalendar())
            report = compliance.report(ReportFilter(KEY))  # warm-up
            figures, charts = [], []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                report = compliance.report(ReportFilter(KEY))
                figures.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                report_charts.steps_chart(report)
                report_charts.trend_chart(report)
                charts.append(time.perf_counter() - t0)
            print(f"figures: {median_s(figures)} ({report.tasks_total} task rows, "
                  f"{len(report.cases)} cases); charts: "
                  f"{statistics.median(charts) * 1000:.0f} ms")  # fmt: skip
            from webui.app import create_app
            from webui.backend import Backend

            backend = Backend(store, users, definitions, Runtime(store, definitions))
            app = create_app({"TESTING": True, "SECRET_KEY": "x", "ALUR_BACKEND": backend,
                              "INSTANCE_PATH": tmp, "SESSION_COOKIE_SECURE": False})  # fmt: skip
            client = app.test_client()
            with client.session_transaction() as s:
                s["uid"] = users.get("analis").id
            client.get(f"/laporan/{KEY}")  # warm the templates
            pages = []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                response = client.get(f"/laporan/{KEY}")
                pages.append(time.perf_counter() - t0)
                assert response.status_code == 200, response.status_code
            print(f"report page for {cases} cases: {median_s(pages)} (target < 2 s)")
        finally:
            store.dispose()
            if schema and args.url:
                drop_schemas(args.url, [schema])
    return 0


if __name__ == "__main__":
    sys.exit(main())
