"""The Python API scripts use: load a scenario, change it, solve, check, read the plan."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .check import CheckReport, check
from .cpsat import Progress, SolveOptions
from .cpsat import solve as cpsat_solve
from .instance import Instance, RuleKey, build_instance
from .plan import Plan
from .realize import to_plan
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
    status = result.status
    if result.assignment is None:
        if status not in ("INFEASIBLE", "MODEL_INVALID"):
            status = "UNKNOWN"
        empty = Plan(
            scenario_id=inst.scenario_id,
            scenario_name=inst.name,
            timezone=inst.timezone,
            period_start=inst.period_start,
            period_end=inst.period_end,
            window_days=inst.window_days,
            status=status,  # type: ignore[arg-type]
            wall_time=round(result.wall_time, 3),
            seed=seed,
        )
        empty.interrupted = result.interrupted
        return empty
    if result.interrupted and status == "OPTIMAL":
        status = "FEASIBLE"
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
    plan.terms = check(inst, plan).weighted
    return plan


def check_plan(scenario: Scenario | Instance, plan: Plan) -> CheckReport:
    """Judge any plan against a scenario, independently of the solver."""
    inst = scenario if isinstance(scenario, Instance) else build_instance(scenario)
    return check(inst, plan)
