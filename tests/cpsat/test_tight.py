"""The tight benchmark family (3 invitations in 28 days): the first plan holds every rule.

No timing is asserted here (benchmarks/README.md has the numbers); each test is
deterministic: one worker, a fixed seed, budgets far beyond what the steps need.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from pathlib import Path
from typing import Any

import pytest

import arshjul
from arshjul.check import check
from arshjul.cpsat.solve import complete_start
from arshjul.greedy import greedy_assignment
from arshjul.instance import build_instance
from arshjul.options import Progress, SolveOptions, SolveStatus
from arshjul.realize import to_plan
from arshjul.scenario import from_data

solve_mod = importlib.import_module("arshjul.cpsat.solve")  # the package re-exports solve()

_spec = importlib.util.spec_from_file_location(
    "bench_generate", Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
)
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


def tight(size: str, seed: int) -> arshjul.Scenario:
    return from_data(generate.generate_family("tight", size, seed), f"tight {size} {seed}")


def test_tight_s_solves_and_the_checker_agrees() -> None:
    scenario = tight("S", 0)
    plan = arshjul.solve(scenario, time_limit=30, workers=1, seed=0)
    # proven by the search and recomputed by the checker (benchmarks: 296 at every run)
    assert plan.status == SolveStatus.OPTIMAL and plan.objective == 296
    report = check(build_instance(scenario), plan)
    assert report.ok, report.violations[:3]
    assert report.objective == plan.objective


def test_a_time_limit_spent_before_the_search_still_answers() -> None:
    scenario = tight("S", 0)
    plan = arshjul.solve(scenario, time_limit=0.001, workers=1, seed=0)
    assert plan.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL, SolveStatus.UNKNOWN)
    if plan.found:
        report = check(build_instance(scenario), plan)
        assert report.ok
        assert report.objective == plan.objective


def test_the_first_plan_is_shown_before_the_model_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """The completed first plan is shown (checked) before the model is built: at 312
    sessions the build took 8-10 s, the greedy plan about 1 s."""
    scenario = tight("M", 0)
    inst = build_instance(scenario)
    greedy = greedy_assignment(inst)
    assert len(greedy.slot) < len(inst.sessions)  # the tabu search completes it
    seen: list[tuple[str, float | None]] = []
    real = solve_mod.build_model

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(("build", None))
        return real(*args, **kwargs)

    monkeypatch.setattr(solve_mod, "build_model", watched)
    elapsed: list[float] = []

    def progress(p: Progress) -> None:
        seen.append(("plan", p.objective))
        elapsed.append(p.elapsed)

    plan = arshjul.solve(scenario, time_limit=10, workers=1, seed=0, progress=progress)
    assert seen[0][0] == "plan" and seen[1] == ("build", None)
    assert elapsed == sorted(elapsed)  # every line counts from the start, the first one too
    first = complete_start(inst, greedy, SolveOptions(time_limit=10, seed=0), started=time.monotonic())
    assert seen[0][1] == check(inst, to_plan(inst, first, status="FEASIBLE")).objective
    assert plan.found and plan.objective is not None and plan.objective <= seen[0][1]
    assert check(inst, plan).ok


def test_ctrl_c_while_the_model_is_built_keeps_the_first_plan_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = tight("M", 0)
    shown: list[float | None] = []

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(solve_mod, "build_model", interrupted)
    plan = arshjul.solve(
        scenario, time_limit=10, workers=1, seed=0, progress=lambda p: shown.append(p.objective)
    )
    assert plan.status == SolveStatus.FEASIBLE and plan.interrupted
    assert shown == [plan.objective]
    report = check(build_instance(scenario), plan)
    assert report.ok and report.objective == plan.objective
    with pytest.raises(KeyboardInterrupt):  # no plan shown yet: nothing to keep
        arshjul.solve(scenario, time_limit=10, workers=1, seed=0, warm_start=False)


def test_ctrl_c_as_the_first_plan_is_shown_keeps_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C right after the first line is printed, before the model's build has begun
    (a test's Ctrl-C did so on a loaded machine, and the run ended with nothing)."""
    scenario = tight("M", 0)
    built: list[bool] = []
    real = solve_mod.build_model

    def watched(*args: Any, **kwargs: Any) -> Any:
        built.append(True)
        return real(*args, **kwargs)

    def shown(p: Progress) -> None:
        raise KeyboardInterrupt  # as if it landed while the line was printed

    monkeypatch.setattr(solve_mod, "build_model", watched)
    plan = arshjul.solve(scenario, time_limit=10, workers=2, seed=0, progress=shown)
    assert not built  # the search never began
    assert plan.status == SolveStatus.FEASIBLE and plan.interrupted
    report = check(build_instance(scenario), plan)
    assert report.ok and report.objective == plan.objective


def test_the_model_writes_each_sum_over_the_smaller_side_of_the_slots() -> None:
    """A session sits in exactly one slot, so "held on a day the region is there" is "not
    held on one of the days it is away", and a slot's capacity is the common one plus the
    slots that differ: both forms hold the same plans.  At 44 sessions the long forms made
    142,170 linear terms, the short ones 33,405."""
    inst = build_instance(tight("M", 0))
    m = solve_mod.build_model(inst)
    longest = max(len(m.candidates[s.id]) for s in inst.sessions)
    defining = {v.index for v in m.held_vars.values()}
    held = 0
    for c in m.cp.proto.constraints:
        if not c.has_linear() or len(c.enforcement_literal):
            continue
        terms = set(c.linear.vars)
        if terms & defining:
            held += 1
            assert len(terms) <= longest // 2 + 1
    assert held == len(m.held_vars) > 0
    # the capacity rule of each dialog names only the slots whose capacity is not the common one
    for s in inst.dialogs():
        units = {m.p[s.id, u].index for u in s.units}
        caps = [s.capacity(inst.slots[t]) for t in m.candidates[s.id]]
        common = max(set(caps), key=caps.count)
        rows = [c for c in m.cp.proto.constraints if c.has_linear() and units <= set(c.linear.vars)]
        slots = {m.x[s.id, t].index for t in m.candidates[s.id]}
        named = {v for c in rows for v in c.linear.vars if v in slots}
        assert len(named) == sum(1 for c in caps if c != common)


def test_the_tree_search_gets_the_long_held_form_and_the_pieces_the_short_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a big model the long form of "held while the region is there" presolves into the
    LP with the higher bound (tight 106 sessions: 8,844 against 8,791), the short one is
    quicker for the pieces to copy: the tree search's model is the long one, the pieces copy
    the short one, built beside the search, and both forms hold the same plans."""
    lns_mod = importlib.import_module("arshjul.cpsat.lns")
    inst = build_instance(tight("S", 0))
    built: list[Any] = []
    copied: list[Any] = []
    real_build, real_improve = solve_mod.build_model, lns_mod.improve

    def watched_build(*args: Any, **kwargs: Any) -> Any:
        m = real_build(*args, **kwargs)
        if m.instance is inst:  # not the small model that chooses the first plan's presenters
            built.append(m)
        return m

    def watched_improve(m: Any, *args: Any, **kwargs: Any) -> Any:
        copied.append(m)
        return real_improve(m, *args, **kwargs)

    monkeypatch.setattr(solve_mod, "build_model", watched_build)
    monkeypatch.setattr(lns_mod, "improve", watched_improve)
    # the tree search's work is cut short so that the pieces run too
    monkeypatch.setattr(solve_mod, "TREE_WORK", 0.01)
    small = solve_mod.solve(inst, SolveOptions(time_limit=6, seed=0))
    # a small model: one model, the short form, for both
    assert [m.short_held for m in built] == [True] and copied and copied[0] is built[0]
    assert small.status.found and small.assignment is not None and (small.objective or 0) >= 296
    built.clear()
    copied.clear()
    monkeypatch.setattr(solve_mod, "LONG_HELD_VARIABLES", 0)  # this year counts as a big one
    result = solve_mod.solve(inst, SolveOptions(time_limit=6, seed=0))
    assert [m.short_held for m in built] == [False, True]
    assert copied and all(m is built[1] for m in copied)
    def longest_held(m: Any) -> int:
        defining = {v.index for v in m.held_vars.values()}
        return max(
            len(c.linear.vars)
            for c in m.cp.proto.constraints
            if c.has_linear() and not len(c.enforcement_literal) and defining & set(c.linear.vars)
        )

    assert longest_held(built[0]) > max(len(m) for m in built[1].candidates.values()) // 2 + 1
    assert longest_held(built[1]) <= max(len(m) for m in built[1].candidates.values()) // 2 + 1
    assert result.status.found and result.assignment is not None and (result.objective or 0) >= 296
    report = check(inst, to_plan(inst, result.assignment, status="FEASIBLE"))
    assert report.ok and report.objective == result.objective
    # the same plans: each form alone proves the same optimum
    for short in (False, True):
        model = real_build(inst, short_held=short)
        alone = solve_mod.run(model, SolveOptions(time_limit=30, seed=0, lns=False))
        assert alone.status == SolveStatus.OPTIMAL and alone.objective == 296
