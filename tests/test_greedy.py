"""The greedy warm start: fast, in plain Python, and a plan the solver can start from."""

from __future__ import annotations

from collections import Counter

import arshjul
from arshjul.check import check
from arshjul.cpsat.solve import SolveOptions, solve
from arshjul.greedy import greedy_assignment
from arshjul.instance import build_instance
from arshjul.realize import to_plan
from conftest import SCENARIOS


def test_greedy_places_every_session_of_the_bundled_year_keeping_the_calendar_and_fatigue_rules() -> None:
    inst = build_instance(arshjul.load_scenario(SCENARIOS / "sweden-2027.yaml"))
    first = greedy_assignment(inst)
    assert set(first.slot) == {s.id for s in inst.sessions}
    broken = Counter(v.rule for v in check(inst, to_plan(inst, first, status="FEASIBLE")).violations)
    # the greedy keeps every calendar, tempo and fatigue rule; it may leave a dialog short
    assert set(broken) <= {"dialog_min_presenters"}


def test_solver_started_from_the_greedy_plan_returns_a_checked_optimum() -> None:
    inst = build_instance(arshjul.load_scenario(SCENARIOS / "tight-2027.yaml"))
    result = solve(inst, SolveOptions(time_limit=60), hint=greedy_assignment(inst))
    assert result.status == "OPTIMAL" and result.assignment is not None
    plan = to_plan(inst, result.assignment, status="OPTIMAL", objective=result.objective)
    report = check(inst, plan)
    assert report.ok and report.objective == result.objective
