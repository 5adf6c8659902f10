"""The greedy warm start: a plan in plain Python that keeps every rule, accepted by the
model exactly when the independent checker accepts it, and the search's first solution."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from test_properties import scenarios

import arshjul
from arshjul import rules
from arshjul.check import check
from arshjul.cpsat.solve import (
    Progress,
    SolveOptions,
    build_model,
    complete_hint,
    run,
    solve,
    with_best_presenters,
)
from arshjul.greedy import _State, greedy_assignment
from arshjul.instance import Assignment, build_instance
from arshjul.realize import to_plan
from arshjul.scenario import from_data
from conftest import SCENARIOS, scenario

VALID = ["sweden-2027", "multi-agency-2027", "tight-2027", "variant-tight-cap"]


@pytest.mark.parametrize("name", VALID)
def test_greedy_plans_of_the_bundled_scenarios_keep_every_rule(name: str) -> None:
    inst = build_instance(arshjul.load_scenario(SCENARIOS / f"{name}.yaml"))
    first = greedy_assignment(inst)
    assert set(first.slot) == {s.id for s in inst.sessions}
    report = check(inst, to_plan(inst, first, status="FEASIBLE"))
    assert report.violations == []
    # the model agrees, and puts the same price on it
    warm = complete_hint(build_model(inst), first, SolveOptions())
    assert warm is not None and warm.objective == report.objective


def test_greedy_numbers_a_themes_occurrences_in_date_order() -> None:
    # the solver numbers interchangeable occurrences by date (dialog_order); a start that
    # numbers them otherwise would be refused by the model although the checker accepts it
    inst = build_instance(arshjul.load_scenario(SCENARIOS / "sweden-2027.yaml"))
    first = greedy_assignment(inst)
    repeated = [t for t in inst.themes.values() if len(t.sessions) > 1]
    assert repeated
    for theme in repeated:
        slots = [first.slot[sid] for sid in theme.sessions]
        assert slots == sorted(slots)


def test_each_greedy_test_names_the_rule_it_keeps() -> None:
    # The tiny base with a morning and an afternoon slot: slot t is day t // 2 (0 = Mon 6 Sep).
    # Invitations: at most 1 a day and 2 in any 14 days; one host, sessions 7 days apart; a
    # dialog with room for one presenter, which Gotland cannot take (away all of week 36).
    slots = [
        {"id": "morning", "start": "09:00", "end": "12:00"},
        {"id": "afternoon", "start": "13:00", "end": "16:00"},
    ]
    sc = scenario(
        **{
            "slots": slots,
            "limits.daily_max": 1,
            "limits.window_days": 14,
            "limits.window_max": 2,
            "limits.host_gap_days": 7,
            "regions": [
                {"code": "SE-E", "name": "Region Östergötland"},
                {"code": "SE-I", "name": "Region Gotland", "unavailable": ["2027-W36"]},
            ],
            "hybrids": [{"id": f"h{k}", "host": "vinnova", "topic": f"H{k}"} for k in (1, 2)],
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [{"id": "halsa", "name": "Hälsa", "max_presenters": 1}],
                }
            ],
        }
    )
    inst = build_instance(sc)
    state = _State(inst)
    dialog = inst.session("vinnova.dialog.halsa.1")
    h1, h2 = inst.session("vinnova.hybrid.h1"), inst.session("vinnova.hybrid.h2")
    state.place(h1, 0, [])  # Mon 6 Sep morning, inviting both regions
    assert state.holding_breaks(h2, 2) == rules.HOST_TEMPO  # two days later, same host
    assert state.inviting_breaks("SE-E", 0) == rules.REGION_DOUBLE_BOOKING
    assert state.inviting_breaks("SE-E", 1) == rules.REGION_DAILY_CAP  # the same afternoon
    state.place(h2, 14, [])  # Mon 13 Sep: two invitations in 14 days
    assert state.inviting_breaks("SE-E", 20) == rules.REGION_INVITATION_CAP  # Thu 16 Sep
    assert state.holding_breaks(dialog, 20) == rules.HOST_TEMPO
    assert state.inviting_breaks("SE-E", 28) is None  # Mon 20 Sep: 6 Sep has left the window
    assert state.presenting_breaks(dialog, "SE-I", 8, []) == rules.PRESENTER_AVAILABLE  # week 36
    assert state.presenting_breaks(dialog, "SE-E", 8, ["SE-I"]) == rules.DIALOG_MAX_PRESENTERS
    assert state.presenting_breaks(dialog, "SE-E", 8, []) is None


def test_a_start_that_breaks_a_rule_is_refused() -> None:
    inst = build_instance(arshjul.load_scenario(SCENARIOS / "sweden-2027.yaml"))
    first = greedy_assignment(inst)
    dialog = next(s for s in inst.dialogs() if s.min_presenters > 0)
    broken = Assignment(slot=first.slot, presenters={**first.presenters, dialog.id: ()})
    assert check(inst, to_plan(inst, broken, status="FEASIBLE")).violations
    assert complete_hint(build_model(inst), broken, SolveOptions()) is None


def test_the_warm_plan_stands_when_the_search_stops_before_any_plan() -> None:
    inst = build_instance(arshjul.load_scenario(SCENARIOS / "multi-agency-2027.yaml"))
    m = build_model(inst)
    warm = complete_hint(m, greedy_assignment(inst), SolveOptions())
    assert warm is not None
    m.cp.clear_hints()  # CP-SAT starts from nothing and gets no time to find anything
    result = run(m, SolveOptions(time_limit=1e-6), warm=warm)
    assert result.status == "FEASIBLE"
    assert result.assignment == warm.assignment and result.objective == warm.objective
    plan = to_plan(inst, warm.assignment, status="FEASIBLE", objective=warm.objective)
    report = check(inst, plan)
    assert report.ok and report.objective == warm.objective


def test_solve_starts_from_the_greedy_plan_with_its_best_presenters_and_reports_it_first() -> None:
    inst = build_instance(arshjul.load_scenario(SCENARIOS / "tight-2027.yaml"))
    seen: list[Progress] = []
    result = solve(inst, SolveOptions(time_limit=60), progress=seen.append)
    greedy = check(inst, to_plan(inst, greedy_assignment(inst), status="FEASIBLE")).objective
    start = with_best_presenters(inst, greedy_assignment(inst), SolveOptions(), started=time.monotonic())
    chosen = check(inst, to_plan(inst, start, status="FEASIBLE")).objective
    assert chosen < greedy  # this year's greedy presenters are not the best for its days
    plans = [p for p in seen if p.objective is not None]
    assert plans[0].objective == chosen and plans[0].solutions == 1
    assert result.status == "OPTIMAL" and result.assignment is not None
    assert result.objective is not None and result.objective <= greedy
    plan = to_plan(inst, result.assignment, status="OPTIMAL", objective=result.objective)
    report = check(inst, plan)
    assert report.ok and report.objective == result.objective


def test_without_warm_start_the_same_optimum() -> None:
    inst = build_instance(arshjul.load_scenario(SCENARIOS / "tight-2027.yaml"))
    warm = solve(inst, SolveOptions(time_limit=60))
    cold = solve(inst, SolveOptions(time_limit=60, warm_start=False))
    assert warm.status == cold.status == "OPTIMAL"
    assert warm.objective == cold.objective


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_model_and_checker_agree_on_every_greedy_plan(data: dict[str, Any]) -> None:
    inst = build_instance(from_data(data, "random.yaml"))
    first = greedy_assignment(inst)
    complete = set(first.slot) == {s.id for s in inst.sessions}
    report = check(inst, to_plan(inst, first, status="FEASIBLE")) if complete else None
    warm = complete_hint(build_model(inst), first, SolveOptions(time_limit=40))
    event(f"greedy plan complete: {complete}, accepted: {warm is not None}")
    if warm is not None:
        # a partial plan is completed by the solver with the placed sessions fixed
        assert all(warm.assignment.slot[sid] == t for sid, t in first.slot.items())
        accepted = check(inst, to_plan(inst, warm.assignment, status="FEASIBLE"))
        assert accepted.violations == [] and accepted.objective == warm.objective
        if report is not None:
            assert report.objective == warm.objective
    elif report is not None:
        assert report.violations, "the checker accepts a plan the model refuses"
