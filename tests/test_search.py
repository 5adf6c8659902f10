"""How the search runs and stops: presets, the stall rule, the penalty-free shortcut."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import arshjul
from arshjul.check import check
from arshjul.cli import main
from arshjul.cpsat import PRESETS, SolveOptions, preset_of
from arshjul.cpsat.solve import Progress, _stalled
from arshjul.greedy import greedy_assignment
from arshjul.instance import build_instance
from arshjul.plan import Plan
from arshjul.realize import to_plan
from arshjul.scenario import from_data
from conftest import SCENARIOS, base, merge


def test_auto_preset_follows_the_workers() -> None:
    assert preset_of(SolveOptions(workers=1)) == "prove"
    assert preset_of(SolveOptions(workers=2)) == "portfolio"
    assert preset_of(SolveOptions(preset="first-plan", workers=2)) == "first-plan"
    assert set(PRESETS) == {"prove", "portfolio", "first-plan"}


def test_an_unknown_preset_is_refused_before_solving() -> None:
    with pytest.raises(ValueError, match="unknown preset 'fastest'"):
        arshjul.solve(arshjul.load_scenario(SCENARIOS / "sweden-2027.yaml"), preset="fastest")


def test_the_first_plan_preset_returns_the_checked_greedy_plan() -> None:
    inst = build_instance(arshjul.load_scenario(SCENARIOS / "sweden-2027.yaml"))
    greedy = check(inst, to_plan(inst, greedy_assignment(inst), status="FEASIBLE"))
    plan = arshjul.solve(inst, preset="first-plan", time_limit=30)
    assert plan.status == "FEASIBLE" and plan.objective == greedy.objective
    report = check(inst, plan)
    assert report.ok and report.objective == plan.objective


def test_stalled_means_a_plan_that_has_not_improved_for_that_long() -> None:
    assert not _stalled(Progress(1.0, None, None, 0), 5.0, 100.0)  # no plan yet: keep searching
    assert not _stalled(Progress(1.0, 700.0, 650.0, 1), None, 100.0)  # no stall rule
    assert not _stalled(Progress(1.0, 700.0, 650.0, 1), 5.0, 5.9)
    assert _stalled(Progress(1.0, 700.0, 650.0, 1), 5.0, 6.0)


def test_plan_with_stall_stops_with_a_checked_plan(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sc = SCENARIOS / "multi-agency-2027.yaml"
    result = CliRunner().invoke(
        main, ["plan", str(sc), "-o", str(out), "--stall", "0.1", "--no-report", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    plan = Plan.from_json((out / "plan.json").read_text(encoding="utf-8"))
    assert plan.status in ("FEASIBLE", "OPTIMAL")
    if plan.status == "FEASIBLE":  # stopped by the stall rule, not by the 60 s limit
        assert "had not improved for 0.1 s" in result.output
    report = check(build_instance(arshjul.load_scenario(sc)), plan)
    assert report.ok and report.objective == plan.objective


def test_cli_refuses_an_unknown_preset(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["plan", "--preset", "fastest", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert not (tmp_path / "o").exists()


def _placement(weights: int) -> dict[str, object]:
    """Three one-dialog themes for one region; nothing to present, only dates to find."""
    themes = [{"id": f"t{k}", "name": f"Tema {k}", "min_presenters": 0} for k in range(3)]
    return merge(
        base(),
        **{
            "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": themes}],
            "weights": {n: weights for n in ("match", "coverage", "spread", "preferred_month", "balance")},
        },
    )


def test_a_penalty_free_greedy_plan_is_optimal_without_the_solver() -> None:
    seen: list[Progress] = []
    sc = from_data(_placement(0), "placement.yaml")
    plan = arshjul.solve(sc, progress=seen.append)
    assert plan.status == "OPTIMAL" and plan.objective == 0 and plan.bound == 0
    assert [(p.objective, p.bound) for p in seen] == [(0, 0)]
    report = check(build_instance(sc), plan)
    assert report.ok and report.objective == 0
    # with penalties the same year goes to the solver, which proves its own optimum
    priced = arshjul.solve(from_data(_placement(5), "placement.yaml"))
    assert priced.status == "OPTIMAL" and priced.objective is not None and priced.objective > 0
