"""Shared fixtures: tiny scenarios built from a small base, and a solve that always checks."""

from __future__ import annotations

import copy
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

import arshjul
from arshjul.check import check
from arshjul.instance import build_instance
from arshjul.plan import Plan
from arshjul.scenario import Scenario, from_data

sys.path.insert(0, str(Path(__file__).parent))
# tests share helpers across the folders that mirror the package (test file names are unique)
for _folder in sorted(p for p in Path(__file__).parent.iterdir() if p.is_dir() and p.name != "bad"):
    sys.path.insert(1, str(_folder))

# The Ctrl-C tests send SIGINT to the programs they start, as a terminal would.  A test run
# started in the background of a script (`.ci/run &`) ignores SIGINT, and an ignored signal
# stays ignored in every child: two Ctrl-C tests then failed (exit 2 where 130 was due, and a
# run that never stopped) in a background run of the suite, and passed in the foreground.
# With a handler here, the children start with SIGINT at its default.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

NO_WEIGHTS = {"match": 0, "coverage": 0, "spread": 0, "preferred_month": 0, "balance": 0}


def base() -> dict[str, Any]:
    """Four working weeks in September 2027 (no Swedish holidays), one 09–12 slot a day,
    no blackouts, no school holidays, no lead time, no host tempo: every rule is off
    unless a test turns it on."""
    return {
        "id": "tiny",
        "name": "Tiny",
        "period": {"start": "2027-09-06", "end": "2027-10-01"},
        "slots": [{"id": "morning", "start": "09:00", "end": "12:00"}],
        "calendar": {"blackouts": [], "school_holidays": False},
        "limits": {
            "window_days": 28,
            "window_max": 100,
            "daily_max": 5,
            "max_presentations": 10,
            "presentation_gap_days": 0,
            "lead_time_days": 0,
            "host_gap_days": 1,
        },
        "weights": dict(NO_WEIGHTS),
        "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": []}],
        "regions": [
            {"code": "SE-E", "name": "Region Östergötland"},
            {"code": "SE-M", "name": "Region Skåne"},
            {"code": "SE-I", "name": "Region Gotland"},
        ],
    }


def merge(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``data`` with dotted keys replaced: ``merge(d, **{"limits.window_max": 2})``."""
    out = copy.deepcopy(data)
    for dotted, value in changes.items():
        node = out
        *path, last = dotted.split(".")
        for key in path:
            node = node.setdefault(key, {})
        node[last] = value
    return out


def scenario(**changes: Any) -> Scenario:
    return from_data(merge(base(), **changes), "tiny.yaml")


def solve_checked(sc: Scenario, **kwargs: Any) -> Plan:
    """Solve, then hold the plan to the independent checker and the recomputed objective."""
    kwargs.setdefault("time_limit", 20)
    kwargs.setdefault("workers", 1)
    plan = arshjul.solve(sc, **kwargs)
    if plan.found:
        report = check(build_instance(sc), plan)
        assert report.violations == [], report.violations
        assert report.objective == plan.objective
        assert sum(plan.terms.values()) == plan.objective
    return plan


@pytest.fixture(scope="session")
def default_scenario() -> Scenario:
    return arshjul.load_scenario(SCENARIOS / "sweden-2027.yaml")


@pytest.fixture(scope="session")
def default_plan(default_scenario: Scenario) -> Plan:
    """The bundled year, solved once per test session (time-limited; status may be FEASIBLE)."""
    return solve_checked(default_scenario, time_limit=60)
