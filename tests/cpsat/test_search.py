"""How the search runs and stops: presets, the stall rule, the penalty-free shortcut, and
the one set of options every solve takes."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import arshjul
from arshjul import api
from arshjul.check import check
from arshjul.cli import main
from arshjul.cpsat import PRESETS, SolveOptions, SolveResult, preset_of
from arshjul.cpsat.solve import ONE_WORKER, Progress, _stalled, _Watcher, penalty_floor, solver_for
from arshjul.errors import PlanFileError
from arshjul.greedy import greedy_assignment
from arshjul.instance import build_instance
from arshjul.options import PRESET_NAMES, SolveStatus, options_from
from arshjul.plan import Plan
from arshjul.realize import to_plan
from arshjul.scenario import from_data
from conftest import SCENARIOS, base, merge


def test_auto_preset_follows_the_workers() -> None:
    assert preset_of(SolveOptions(workers=1)) == "prove"
    assert preset_of(SolveOptions(workers=2)) == "portfolio"
    assert preset_of(SolveOptions(preset="first-plan", workers=2)) == "first-plan"
    assert set(PRESETS) == {"prove", "portfolio", "first-plan"}


def test_two_workers_run_the_one_worker_search_beside_cp_sats_others() -> None:
    """The portfolio's first full-problem worker is the one-worker search: the same base
    settings as ``prove`` and a subsolver that changes none of them."""
    solvers = [solver_for(SolveOptions(workers=n)) for n in (1, 2, 4)]  # the parameters live in them
    one, two, four = (solver.parameters for solver in solvers)
    for name in PRESETS["prove"]:
        assert getattr(two, name) == getattr(one, name)
    assert list(two.subsolvers) == [ONE_WORKER]
    # its settings are its name alone (read as text: OR-Tools' Python cannot hand out the
    # nested message itself)
    assert str(two).endswith(f'subsolver_params {{\n  name: "{ONE_WORKER}"\n}}')
    assert list(four.subsolvers) == [ONE_WORKER, "default_lp", "max_lp"]
    assert not list(one.subsolvers) and "subsolver_params" not in str(one)


def test_two_workers_find_the_one_worker_optimum() -> None:
    inst = build_instance(from_data(base(), "tiny.yaml"))
    one = arshjul.solve(inst, time_limit=20, workers=1, seed=0)
    two = arshjul.solve(inst, time_limit=20, workers=2, seed=0)
    assert one.status == two.status == "OPTIMAL"
    assert one.objective == two.objective


def test_the_preset_names_are_the_solvers_presets_in_order() -> None:
    assert tuple(PRESETS) == PRESET_NAMES  # --preset lists PRESET_NAMES without loading CP-SAT


def test_keyword_overrides_replace_single_options() -> None:
    given = SolveOptions(time_limit=5, seed=3)
    assert options_from(given, {"seed": 4}) == SolveOptions(time_limit=5, seed=4)
    assert options_from(None, {}) == SolveOptions()
    assert arshjul.SolveOptions is arshjul.cpsat.SolveOptions  # one class, re-exported
    with pytest.raises(TypeError, match="unknown solve option 'timelimit'"):
        options_from(given, {"timelimit": 3})


def test_options_and_overrides_solve_the_same() -> None:
    inst = build_instance(from_data(base(), "tiny.yaml"))
    options = SolveOptions(time_limit=1, workers=1)
    by_options = arshjul.solve(inst, dataclasses.replace(options, time_limit=10))
    by_override = arshjul.solve(inst, options, time_limit=10)
    assert by_options.status == by_override.status == "OPTIMAL"
    assert by_options == by_override


def test_a_status_is_its_name() -> None:
    assert SolveStatus.OPTIMAL == "OPTIMAL" and f"{SolveStatus.INFEASIBLE}" == "INFEASIBLE"
    assert SolveStatus.FEASIBLE.found and not SolveStatus.UNKNOWN.found
    inst = build_instance(from_data(base(), "tiny.yaml"))
    plan = to_plan(inst, greedy_assignment(inst), status="FEASIBLE")
    assert plan.status is SolveStatus.FEASIBLE
    data = json.loads(plan.to_json())
    assert data["status"] == "FEASIBLE"
    assert Plan.from_json(plan.to_json()).status is SolveStatus.FEASIBLE
    data["status"] = "SOMETHING"  # not a status arshjul writes: an error naming the field
    with pytest.raises(PlanFileError, match=r"status: unknown status 'SOMETHING'"):
        Plan.from_dict(data)


SRC = Path(arshjul.__file__).parent


def _imports(module: str) -> set[str]:
    """What ``arshjul.<module>`` imports, following arshjul's own modules: their dotted names
    inside arshjul (``cpsat.solve``) and the top-level names of everything else."""
    seen: set[str] = set()
    outside: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = SRC / (name.replace(".", "/") + ".py")
        package = name.split(".")[:-1]
        if not path.exists():
            path = SRC / name.replace(".", "/") / "__init__.py"
            package = name.split(".")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                outside.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                outside.add((node.module or "").split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                here = package[: len(package) - node.level + 1]
                if node.module:
                    todo.append(".".join([*here, node.module]))
                else:
                    todo.extend(".".join([*here, a.name]) for a in node.names)
    return seen | outside


def test_options_plans_and_change_scores_need_no_solver() -> None:
    assert "cpsat.solve" in _imports("api") and "ortools" in _imports("api")  # the check sees it
    for module in ("options", "plan", "changes"):
        imported = _imports(module)
        assert "ortools" not in imported and not any(m.startswith("cpsat") for m in imported), module


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
    assert Plan.from_json(plan.to_json()).to_json() == plan.to_json()  # its file reads back as written
    assert [(p.objective, p.bound) for p in seen] == [(0, 0)]
    report = check(build_instance(sc), plan)
    assert report.ok and report.objective == 0
    # with penalties the same year goes to the solver, which proves its own optimum
    priced = arshjul.solve(from_data(_placement(5), "placement.yaml"))
    assert priced.status == "OPTIMAL" and priced.objective is not None and priced.objective > 0


def test_a_feasible_plan_reports_the_checkers_score_not_a_loose_peak(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan the search has not proven optimal may carry a peak variable (spread, balance)
    above what the plan has; found in a benchmark (solver 3,861, checker 3,858).  The plan
    reports its own score."""
    inst = build_instance(from_data(base(), "tiny.yaml"))
    optimal = arshjul.solve(inst, time_limit=20, workers=1, seed=0, warm_start=False)
    assert optimal.status == "OPTIMAL"
    real = api.cpsat_solve

    def loose(*args: object, **kwargs: object) -> SolveResult:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        return dataclasses.replace(result, status=SolveStatus.FEASIBLE, objective=(result.objective or 0) + 3)

    monkeypatch.setattr(api, "cpsat_solve", loose)
    plan = arshjul.solve(inst, time_limit=20, workers=1, seed=0, warm_start=False)
    assert plan.status == "FEASIBLE"
    assert plan.objective == optimal.objective == check(inst, plan).objective


def test_a_bound_below_zero_is_reported_as_zero() -> None:
    """CP-SAT's first bound comes from the variables' domains alone; a tree search stopped
    before its first LP left -25,215 as the bound of a 240-region year (2026-12-07).  Every
    term is a penalty of at least 0, so the heartbeats and the result say 0."""
    watcher = _Watcher(0.0, None, Progress(1.0, 10_466, None, 1))
    watcher.log("#Bound  35.73s best:inf   next:[-25215,39066] initial_domain")
    assert watcher.bound == 0.0 and watcher.heartbeat().bound == 0.0
    watcher.log("#Bound  36.05s best:10466 next:[791,10465] main")
    assert watcher.heartbeat().bound == 791.0
    assert penalty_floor(-0.5) == 0.0 and penalty_floor(3.0) == 3.0
