"""The Python API scripts use: load a scenario, change it, solve, check, read the plan."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .check import CheckReport, check
from .cpsat import Progress, SolveOptions, SolveResult
from .cpsat import solve as cpsat_solve
from .instance import Instance, RuleKey, build_instance
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
    disabled: Iterable[RuleKey] = (),
    progress: Callable[[Progress], None] | None = None,
) -> Plan:
    """Propose a year.  Always returns a plan; ``plan.status`` says whether it holds sessions.

    ``disabled`` switches rule instances off by key, e.g. ``[("region_invitation_cap", "SE-I")]``.
    """
    inst = scenario if isinstance(scenario, Instance) else build_instance(scenario)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, log=log, gap=gap)
    result = cpsat_solve(inst, options, disabled=frozenset(disabled), progress=progress)
    plan = result_plan(inst, result, seed=seed)
    if plan.found:
        plan.terms = check(inst, plan).weighted
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
    return plan


def check_plan(scenario: Scenario | Instance, plan: Plan) -> CheckReport:
    """Judge any plan against a scenario, independently of the solver."""
    inst = scenario if isinstance(scenario, Instance) else build_instance(scenario)
    return check(inst, plan)
