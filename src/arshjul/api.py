"""The Python API scripts use: load a scenario, change it, solve, check, read the plan."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from .check import CheckReport, check
from .cpsat import Progress, SolveOptions, SolveResult, preset_of
from .cpsat import solve as cpsat_solve
from .greedy import greedy_assignment
from .instance import Assignment, Instance, RuleKey, build_instance
from .plan import Plan
from .realize import blank_plan, to_plan
from .scenario import Scenario


def solve(
    scenario: Scenario | Instance,
    *,
    time_limit: float = 60.0,
    workers: int = 1,
    seed: int = 0,
    log: bool = False,
    gap: float | None = None,
    stall: float | None = None,
    preset: str = "auto",
    warm_start: bool = True,
    disabled: Iterable[RuleKey] = (),
    progress: Callable[[Progress], None] | None = None,
) -> Plan:
    """Propose a year.  Always returns a plan; ``plan.status`` says whether it holds sessions.

    The search stops at ``time_limit`` seconds, at a relative ``gap`` (e.g. 0.01), or when
    the best plan has not improved for ``stall`` seconds.  ``preset`` names CP-SAT settings
    (``arshjul.cpsat.solve.PRESETS``); ``warm_start`` starts from the greedy plan.
    ``disabled`` switches rule instances off by key, e.g. ``[("region_invitation_cap", "SE-I")]``.
    """
    inst = scenario if isinstance(scenario, Instance) else build_instance(scenario)
    options = SolveOptions(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        log=log,
        gap=gap,
        stall=stall,
        preset=preset,
        warm_start=warm_start,
    )
    preset_of(options)  # an unknown preset is the caller's mistake: say so before solving
    started = time.monotonic()
    first = greedy_assignment(inst) if options.warm_start else None
    if first is not None:
        done = _penalty_free(inst, first, seed=seed, started=started)
        if done is not None:
            if progress is not None:
                progress(Progress(done.wall_time, 0, 0, 1))
            return done
    result = cpsat_solve(inst, options, disabled=frozenset(disabled), progress=progress, greedy=first)
    plan = result_plan(inst, result, seed=seed)
    if plan.found:
        plan.terms = check(inst, plan).weighted
    return plan


def _penalty_free(inst: Instance, first: Assignment, *, seed: int, started: float) -> Plan | None:
    """The greedy plan, when it keeps every rule (by the checker) and has no penalty at all:
    every term is a penalty of at least 0, so no plan is better and it is optimal as it
    stands.  Pure placement problems (all weights 0) end here without the solver."""
    if len(first.slot) < len(inst.sessions):
        return None
    plan = to_plan(inst, first, status="OPTIMAL", objective=0, bound=0, seed=seed)
    report = check(inst, plan)
    if not report.ok or report.objective != 0:
        return None
    plan.terms = report.weighted
    plan.wall_time = time.monotonic() - started
    return plan


def result_plan(inst: Instance, result: SolveResult, *, seed: int) -> Plan:
    """The plan a solve gives: its sessions when one was found, else just the status.

    A search stopped by Ctrl-C is never reported OPTIMAL; terms are left to the caller,
    who knows which objective was solved."""
    if result.assignment is None:
        status = result.status if result.status in ("INFEASIBLE", "MODEL_INVALID") else "UNKNOWN"
        plan = blank_plan(inst, status=status, wall_time=result.wall_time, seed=seed)  # type: ignore[arg-type]
    else:
        status = "FEASIBLE" if result.interrupted and result.status == "OPTIMAL" else result.status
        plan = to_plan(
            inst,
            result.assignment,
            status=status,  # type: ignore[arg-type]
            objective=result.objective,
            bound=result.bound,
            wall_time=result.wall_time,
            seed=seed,
        )
    plan.interrupted = result.interrupted
    plan.stalled = result.stalled
    return plan


def check_plan(scenario: Scenario | Instance, plan: Plan) -> CheckReport:
    """Judge any plan against a scenario, independently of the solver."""
    inst = scenario if isinstance(scenario, Instance) else build_instance(scenario)
    return check(inst, plan)
