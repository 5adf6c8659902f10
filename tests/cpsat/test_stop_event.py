"""A solve run in a thread stops cleanly when ``SolveOptions.stop`` is set: no Ctrl-C, the
best plan kept and marked interrupted (what ``arshjul serve``'s stop button uses)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import arshjul
from arshjul.options import Progress, SolveOptions
from arshjul.scenario import load
from conftest import ROOT


def test_setting_the_stop_event_ends_the_search_and_keeps_the_best_plan(tmp_path: Path) -> None:
    """The benchmarks' M year has a first plan within a second and needs about 17 s to
    prove its optimum: stop once the first plan is there."""
    made = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "M"], capture_output=True, check=True
    )
    (tmp_path / "m.yaml").write_bytes(made.stdout)
    sc = load(tmp_path / "m.yaml")
    stop = threading.Event()
    stopped_at: list[float] = []

    def progress(p: Progress) -> None:  # CP-SAT's thread or the waiting one: only sets the event
        if p.solutions >= 1 and not stop.is_set():
            stopped_at.append(time.monotonic())
            stop.set()

    plan = arshjul.solve(sc, SolveOptions(time_limit=60, stop=stop), progress=progress)
    took = time.monotonic() - stopped_at[0]
    assert plan.found and plan.interrupted and plan.status == "FEASIBLE"
    assert took < 2.0, f"the stop took {took:.1f} s"
    assert arshjul.check_plan(arshjul.build_instance(sc), plan).ok


def test_an_unset_event_changes_nothing() -> None:
    sc = load(ROOT / "scenarios" / "sweden-2027.yaml")
    plan = arshjul.solve(sc, SolveOptions(time_limit=20, stop=threading.Event()))
    assert plan.found and not plan.interrupted
    assert SolveOptions(stop=threading.Event()) == SolveOptions()  # not part of what a solve is


def test_a_stop_set_just_before_a_conflict_solve_reads_no_missing_response() -> None:
    """A stop that lands between the search's own check and the solve: CP-SAT never ran, so
    there is no response to read the work from (it raised 'solve() has not been called' and
    failed the workspace's why job instead of ending it as stopped)."""
    from ortools.sat.python import cp_model

    from arshjul.cpsat.conflicts import solve_stoppable

    cp = cp_model.CpModel()
    x = cp.new_bool_var("x")
    cp.add(x == 1)
    stop = threading.Event()
    stop.set()
    assert solve_stoppable(cp_model.CpSolver(), cp, stop) == (cp_model.UNKNOWN, 0.0)
    status, work = solve_stoppable(cp_model.CpSolver(), cp, threading.Event())
    assert status == cp_model.OPTIMAL and work >= 0.0
    status, work = solve_stoppable(cp_model.CpSolver(), cp, None)
    assert status == cp_model.OPTIMAL and work >= 0.0


@pytest.mark.parametrize("workers", [1, 2])
def test_a_progress_callback_that_fails_fails_the_solve_and_leaves_no_search_running(workers: int) -> None:
    """The callback runs in CP-SAT's thread too: its error must reach the caller, not end the
    search quietly with the warm plan as the answer (648 on this year, the optimum is 496)."""
    sc = load(ROOT / "scenarios" / "sweden-2027.yaml")
    calls: list[Progress] = []

    def progress(p: Progress) -> None:
        calls.append(p)
        if len(calls) == 3:
            raise RuntimeError("the caller's own fault")

    before = threading.active_count()
    with pytest.raises(RuntimeError, match="the caller's own fault"):
        arshjul.solve(sc, SolveOptions(time_limit=20, workers=workers), progress=progress)
    assert threading.active_count() == before
