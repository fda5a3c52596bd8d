"""The drawing reader held to reviewed truth on the 30 ``more/`` SOPs it was not tuned on.

Each ``tests/golden/more/NN.json`` was written by looking at the rendered pages (its ``note``
says what was checked and every judgement call), and only then compared with the reader. Where
the reader is wrong the case is ``xfail(strict=True)`` with the step and the cause, so this
file doubles as the list of what the reader still gets wrong; a fix turns the case into an
XPASS, which fails until its entry in ``WRONG`` is removed. The SOP name (checked on page 1)
and the role columns in order are held apart from the steps, with their own lists
``WRONG_NAME`` and ``WRONG_ROLES``, so that a wrong header does not hide behind a wrong step.
Skipped without the corpus.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from converters.model import Sop
from converters.reading.sop_file import read_sop
from tests.support.corpus import ABSENT, CORPUS
from tests.support.drawn_golden import load, numbers, score

FOLDER = "more"

# Known reader failures, one line each: file, step, what goes wrong.
WRONG: dict[str, str] = {
}

QUICK = {"22", "28", "38"}  # the default run: one decision loop, a tie rule, a four-role row

# Known failures of the SOP name (the identity block's "Nama SOP" cell, as on page 1).
WRONG_NAME: dict[str, str] = {
}

# Known failures of the role list (the Pelaksana columns' headers, left to right).
WRONG_ROLES: dict[str, str] = {
}


def _pdf(name: str) -> Path:
    path = CORPUS / FOLDER / name
    if not path.is_file():
        pytest.skip(ABSENT)
    return path


@cache
def _read(number: str) -> Sop:
    """One reading per file for the three checks (a raster file takes seconds)."""
    return read_sop(_pdf(load(FOLDER, number).file))


def _case(number: str, wrong: dict[str, str] = WRONG) -> object:
    marks = [] if number in QUICK else [pytest.mark.bench]
    if number in wrong:
        marks.append(pytest.mark.xfail(strict=True, reason=wrong[number]))
    return pytest.param(number, marks=marks, id=number)


def test_goldens_are_reviewed_and_name_their_file() -> None:
    for number in numbers(FOLDER):
        golden = load(FOLDER, number)
        assert golden.reviewed, f"{number}: truth only once a person checked it on the page"
        assert golden.file.startswith(f"{number}_"), number
        assert golden.name and golden.roles, number
        # the printed numbers: rising from 1, with a gap where the page skips one (24 has no 8)
        steps = [s.number for s in golden.steps]
        assert steps[0] == 1 and steps == sorted(set(steps)), number
        for s in golden.steps:
            assert s.role in golden.roles and set(s.other_roles) <= set(golden.roles), number
            assert s.role not in s.other_roles, f"{number} step {s.number}"


@pytest.mark.parametrize("number", [_case(n) for n in numbers(FOLDER)])
def test_reader_matches_truth(number: str) -> None:
    golden = load(FOLDER, number)
    sop = _read(number)
    assert sop.source_format in ("pdf-vector", "pdf-raster")
    result = score(golden, sop)
    assert not result.differences, f"{golden.file}:\n" + "\n".join(result.differences)


@pytest.mark.parametrize("number", [_case(n, WRONG_NAME) for n in numbers(FOLDER)])
def test_reader_reads_the_sop_name(number: str) -> None:
    assert _read(number).identity.name == load(FOLDER, number).name


@pytest.mark.parametrize("number", [_case(n, WRONG_ROLES) for n in numbers(FOLDER)])
def test_reader_reads_the_role_columns_in_order(number: str) -> None:
    assert _read(number).roles == load(FOLDER, number).roles
