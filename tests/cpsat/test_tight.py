"""The tight benchmark family (3 invitations in 28 days): the first plan holds every rule.

No timing is asserted here (benchmarks/README.md has the numbers); each test is
deterministic: one worker, a fixed seed, budgets far beyond what the steps need.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import arshjul
from arshjul.check import check
from arshjul.instance import build_instance
from arshjul.options import SolveStatus
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
