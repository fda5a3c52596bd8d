"""Issue 14: the parts of the workers bench (``bench/issue14_workers.py``) whose mistakes would
not show as an error but as a wrong figure: the server settings given to the workers'
sessions, the worker program itself, and the bound the WAL flush puts on 2 workers / 1."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import issue14_workers as workers  # noqa: E402


def test_session_settings_join_the_scratch_schema_option() -> None:
    """The scratch store's search_path stays (else the workers would write into another
    schema) and the new settings reach the server as ``-c`` options."""
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_x"
    got = workers.session_url(url, {"track_wal_io_timing": "on", "synchronous_commit": "off"})
    options = conninfo_to_dict(got.replace("postgresql+psycopg://", "postgresql://"))["options"]
    assert str(options).split() == [
        "-csearch_path=bench_x",
        "-ctrack_wal_io_timing=on",
        "-csynchronous_commit=off",
    ]
    assert workers.session_url(url, {}) == url


def test_session_settings_on_a_url_without_options() -> None:
    got = workers.session_url("postgresql://u@h/db", {"commit_delay": "100"})
    assert conninfo_to_dict(got)["options"] == "-ccommit_delay=100"


def test_worker_program_is_valid_python_for_any_path() -> None:
    """The worker is a template: doubled braces and the quoted root and URL must survive."""
    code = workers.WORKER.format(root="/tmp/a 'b'", url="sqlite:////tmp/x y.db")
    compile(code, "worker", "exec")
    assert "sys.path.insert(0, \"/tmp/a 'b'\")" in code


@pytest.mark.parametrize(
    ("cycle", "flush", "expected"),
    [
        (3.3, 0.0, 2.0),  # nothing shared: 2 workers do twice the work
        (3.3, 1.0, 2 * 3.3 / (3.3 + 1 / 3.3)),  # the 1-worker figures of a quiet machine
        (4.0, 4.0, 1.0),  # a worker that only flushes: the second adds nothing
    ],
)
def test_flush_bound(cycle: float, flush: float, expected: float) -> None:
    assert workers.flush_bound(cycle, flush) == pytest.approx(expected)


def test_flush_bound_falls_as_the_flush_takes_more_of_a_completion() -> None:
    bounds = [workers.flush_bound(4.0, f) for f in (0.3, 1.0, 2.0, 3.0)]
    assert bounds == sorted(bounds, reverse=True)
    assert bounds[0] > 1.95 and bounds[-1] < 1.5
