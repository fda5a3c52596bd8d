"""The flow and role checks the SOP editor shows on every save."""

from __future__ import annotations

from converters.model import END, Branch, Decision, Identity, Sop, Step
from converters.model_checks import CheckCode, check, successors
from converters.reading.sop_file import read_sop
from tests.conftest import EXAMPLES


def sop(*steps: Step, roles: tuple[str, ...] = ("A", "B")) -> Sop:
    return Sop(Identity(name="Uji"), roles, steps)


def codes(s: Sop) -> list[CheckCode]:
    return [p.code for p in check(s)]


def test_a_straight_sop_has_no_problems() -> None:
    assert check(sop(Step(1, "Satu", "A"), Step(2, "Dua", "B"))) == ()


def test_the_examples_have_no_flow_problems() -> None:
    for path in EXAMPLES:
        flow = [p for p in check(read_sop(path)) if p.code is not CheckCode.UNUSED_ROLE]
        assert flow == [], path.name


def test_successors_follow_the_table_rule() -> None:
    s = sop(Step(1, "Satu", "A"), Step(2, "Dua", "B", decision=Decision(3, 1)),
            Step(3, "Tiga", "A"))  # fmt: skip
    assert successors(s) == {1: (2,), 2: (3, 1), 3: (END,)}


def test_branch_to_a_missing_step() -> None:
    s = sop(Step(1, "Satu", "A", decision=Decision(2, 9, ("Ya", "Tidak"))), Step(2, "Dua", "B"))
    (problem,) = check(s)
    assert problem.code is CheckCode.MISSING_TARGET
    assert (problem.steps, problem.target, problem.label) == ((1,), 9, "Tidak")
    assert "langkah 9" in problem.message


def test_a_loop_with_no_way_out() -> None:
    # 2 sends back to 1 or to 3; 3 only back to 2: after 1 the process can never end
    s = sop(
        Step(1, "Satu", "A"),
        Step(2, "Dua", "B", decision=Decision(3, 1)),
        Step(3, "Tiga", "A", decision=Decision(2, 2)),
        Step(4, "Empat", "B"),
    )
    problems = check(s)
    stuck = [p for p in problems if p.code is CheckCode.NO_WAY_OUT]
    assert [p.steps for p in stuck] == [(1, 2, 3)]
    assert [p.steps for p in problems if p.code is CheckCode.UNREACHABLE] == [(4,)]


def test_a_loop_with_an_exit_is_fine() -> None:
    s = sop(Step(1, "Satu", "A"), Step(2, "Dua", "B", decision=Decision(END, 1)))
    assert check(s) == ()


def test_a_branch_to_a_missing_step_counts_as_a_way_out_but_is_reported() -> None:
    s = sop(Step(1, "Satu", "A"), Step(2, "Dua", "B", decision=Decision(1, 7)))
    assert codes(s) == [CheckCode.MISSING_TARGET]


def test_more_branches_are_followed() -> None:
    s = sop(
        Step(1, "Satu", "A", decision=Decision.of_branches(
            [Branch("x", 1), Branch("y", 1), Branch("z", 2)])),
        Step(2, "Dua", "B"),
    )  # fmt: skip
    assert check(s) == ()
    s2 = sop(
        Step(1, "Satu", "A", decision=Decision.of_branches(
            [Branch("x", 1), Branch("y", 1), Branch("z", 5)])),
        Step(2, "Dua", "B"),
    )  # fmt: skip
    assert codes(s2) == [CheckCode.MISSING_TARGET, CheckCode.UNREACHABLE]


def test_a_role_with_no_steps_and_an_unknown_role() -> None:
    s = sop(Step(1, "Satu", "A"), Step(2, "Dua", "C"), roles=("A", "B"))
    problems = check(s)
    assert [(p.code, p.role) for p in problems] == [
        (CheckCode.UNKNOWN_ROLE, "C"), (CheckCode.UNUSED_ROLE, "B")]
    assert "'B'" in problems[1].message


def test_other_roles_count_as_use() -> None:
    assert check(sop(Step(1, "Satu", "A", other_roles=("B",)))) == ()


def test_duplicate_numbers_say_only_that() -> None:
    s = sop(Step(1, "Satu", "A"), Step(1, "Dua", "B", decision=Decision(9, 9)))
    assert codes(s) == [CheckCode.DUPLICATE_NUMBER]
