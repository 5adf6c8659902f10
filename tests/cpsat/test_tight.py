"""The tight benchmark family (3 invitations in 28 days): the first plan holds every rule.

No timing is asserted here (benchmarks/README.md has the numbers); each test is
deterministic: one worker, a fixed seed, budgets far beyond what the steps need.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

import arshjul
from arshjul import repair
from arshjul.check import check
from arshjul.instance import SessionSpec, build_instance
from arshjul.options import SolveStatus
from arshjul.realize import to_plan
from arshjul.repair import repaired_assignment
from arshjul.scenario import from_data

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
    assert plan.status.found
    report = check(build_instance(scenario), plan)
    assert report.ok, report.violations[:3]
    assert report.objective == plan.objective


def test_repair_places_every_session_where_the_greedy_cannot() -> None:
    inst = build_instance(tight("M", 1))
    plan = repaired_assignment(inst, seed=0, budget=60)
    assert len(plan.slot) == len(inst.sessions)
    report = check(inst, to_plan(inst, plan, status=SolveStatus.FEASIBLE, objective=0, bound=0))
    assert report.ok, report.violations[:3]


def test_a_time_limit_spent_before_the_search_still_answers() -> None:
    scenario = tight("S", 0)
    plan = arshjul.solve(scenario, time_limit=0.001, workers=1, seed=0)
    assert plan.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL, SolveStatus.UNKNOWN)
    if plan.found:
        report = check(build_instance(scenario), plan)
        assert report.ok
        assert report.objective == plan.objective


class _BusyClock:
    """A clock that runs ``step`` seconds between any two looks: a machine so busy that
    hardly any work is done while the time passes."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_the_repair_budget_counts_work_not_a_busy_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    inst = build_instance(tight("M", 1))
    monkeypatch.setattr(repair.time, "monotonic", _BusyClock(10.0))
    # 10 s pass per repair (a clock budget of 60 s would allow 6), 1,000 s of clock allowed:
    # the CPU budget decides, and suffices
    plan = repaired_assignment(inst, seed=0, budget=60, wall=1000)
    assert len(plan.slot) == len(inst.sessions)


def test_the_repair_stops_at_its_clock_limit_and_at_its_cpu_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    inst = build_instance(tight("M", 1))
    repairs: list[str] = []
    real = repair._Repairer.repair

    def counted(self: repair._Repairer, s: SessionSpec, wanted: Counter[str]) -> list[str] | None:
        repairs.append(s.id)
        return real(self, s, wanted)

    monkeypatch.setattr(repair._Repairer, "repair", counted)
    monkeypatch.setattr(repair.time, "monotonic", _BusyClock(1.0))
    partial = repaired_assignment(inst, seed=0, budget=60, wall=5)  # the caller's time limit holds
    assert 0 < len(repairs) <= 5 and len(partial.slot) < len(inst.sessions)
    repairs.clear()
    none = repaired_assignment(inst, seed=0, budget=0, wall=1000)  # no work allowed: no repair
    assert not repairs and len(none.slot) < len(inst.sessions)
