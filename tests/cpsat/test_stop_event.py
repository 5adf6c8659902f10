"""A solve run in a thread stops cleanly when ``SolveOptions.stop`` is set: no Ctrl-C, the
best plan kept and marked interrupted (what ``arshjul serve``'s stop button uses)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

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
