"""The Python API scripts use: load a scenario, change it, solve, check, read the plan.

:func:`solve` is the one way to solve: ``arshjul plan``, ``compare``, ``sweep``, ``replan``
and scripts all come through it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from .changes import DEFAULT_WEIGHTS, ChangeWeights, Placed, months_wanted, placed, plan_terms
from .check import CheckReport, check
from .cpsat import SolveResult
from .cpsat import solve as cpsat_solve
from .cpsat.objective import TermBuilder
from .cpsat.replan import moved_term, presenters_changed_term, same_month_term
from .cpsat.solve import complete_start, with_best_presenters
from .greedy import greedy_assignment
from .instance import Assignment, Instance, RuleKey, build_instance
from .options import Progress, ProgressCallback, SolveOptions, SolveStatus, options_from
from .plan import Plan
from .realize import blank_plan, to_plan
from .revision import carry_sequences
from .scenario import Scenario


def solve(
    scenario: Scenario | Instance,
    options: SolveOptions | None = None,
    *,
    disabled: Iterable[RuleKey] = (),
    progress: ProgressCallback | None = None,
    last_year: Plan | None = None,
    previous: Plan | None = None,
    weights: ChangeWeights = DEFAULT_WEIGHTS,
    **overrides: Any,
) -> Plan:
    """Propose a year.  Always returns a plan; ``plan.status`` says whether it holds sessions.

    ``options`` says how to search (:class:`~arshjul.options.SolveOptions`); keyword
    overrides replace single fields of it, e.g. ``solve(sc, time_limit=30, seed=0)``.  The
    search stops at ``time_limit`` seconds, at a relative ``gap`` (e.g. 0.01), or when the
    best plan has not improved for ``stall`` seconds.  ``disabled`` switches rule instances
    off by key, e.g. ``[("region_invitation_cap", "SE-I")]``.

    Besides the scenario's own weights the plan may be pulled towards ``last_year``'s months
    (``same_month``) and, when replanning, held close to ``previous``: each session not in
    its slot there costs ``weights.moved``, each presenter added or dropped
    ``weights.presenters_changed``; the search starts from ``previous`` (with
    ``warm_start``) and calendar SEQUENCE numbers carry over from it.
    """
    options = options_from(options, overrides)
    started = time.monotonic()  # the time limit bounds the whole solve, building included
    inst = scenario if isinstance(scenario, Instance) else build_instance(scenario)
    before = None if previous is None else placed(inst, previous)
    goal = _goal_terms(inst, weights, before, last_year)
    first = None
    early = None
    if options.warm_start and not goal:
        first = complete_start(inst, greedy_assignment(inst), options, started=started)
        # the first plan, shown before the model is built (at 312 sessions the build takes
        # 8-10 s, the greedy plan about 1 s): the checker vouches for it
        early = _checked_start(inst, first, seed=options.seed, started=started)
        # every term is a penalty of at least 0, so a plan with none is optimal as it stands
        # (pure placement problems, all weights 0, end here without the solver)
        if early is not None and early.objective == 0:
            early.status, early.bound = SolveStatus.OPTIMAL, 0.0  # a float, as a file reads back
    try:
        if early is not None:
            # inside the try: a Ctrl-C that lands as soon as this line is shown keeps its plan
            # (a test's Ctrl-C on a loaded machine once came before the model's build began)
            if progress is not None:
                progress(Progress(early.wall_time, early.objective, early.bound, 1))
            if early.status == SolveStatus.OPTIMAL:
                return early
            first, better = _presented(inst, first, early, options, started=started)
            if better is not early:
                early = better
                if progress is not None:
                    progress(Progress(early.wall_time, early.objective, early.bound, 1))
        result = cpsat_solve(
            inst,
            options,
            disabled=frozenset(disabled),
            progress=progress,
            extra_terms=goal,
            hint=before.start() if before is not None and options.warm_start else None,
            greedy=first,
            started=started,
        )
    except KeyboardInterrupt:
        if early is None:
            raise
        # Ctrl-C once the first plan is shown, while the model is built: it is the answer
        # (once the search runs, the search itself keeps its best plan)
        early.interrupted = True
        early.wall_time = time.monotonic() - started
        return early
    plan = result_plan(inst, result, seed=options.seed)
    if not plan.found and early is not None and result.status == SolveStatus.UNKNOWN:
        early.wall_time = time.monotonic() - started
        plan = early
    if not plan.found:
        return plan
    if previous is not None:
        plan = carry_sequences(plan, previous)
    plan.terms = plan_terms(inst, plan, weights=weights, previous=previous, last_year=last_year)
    exact = sum(plan.terms.values())
    if plan.status == SolveStatus.FEASIBLE and plan.objective is not None and exact < plan.objective:
        # a plan the search has not proven optimal may carry a peak (spread, balance) above
        # its own: its score is what the checker counts
        plan.objective = exact
    return plan


def _goal_terms(
    inst: Instance, weights: ChangeWeights, before: Placed | None, last_year: Plan | None
) -> dict[str, tuple[int, TermBuilder]]:
    """The weighted terms a solve adds to the scenario's: change costs and last year's pull."""
    extra: dict[str, tuple[int, TermBuilder]] = {}
    if before is not None:
        extra["moved"] = (weights.moved, moved_term(before.slot))
        extra["presenters_changed"] = (weights.presenters_changed, presenters_changed_term(before.units))
    if last_year is not None:
        months = {s.id: months_wanted(last_year, s.theme, s.occurrence) for s in inst.dialogs()}
        extra["same_month"] = (weights.same_month, same_month_term({k: v for k, v in months.items() if v}))
    return extra


def _checked_start(inst: Instance, first: Assignment, *, seed: int, started: float) -> Plan | None:
    """The greedy plan (completed by tabu search) as a plan of its own: FEASIBLE when the
    checker finds it complete and keeping every rule, with the checker's objective and terms
    and no bound.  It is the answer when the time runs out before the solver has a plan (e.g.
    during the model build)."""
    if len(first.slot) < len(inst.sessions):
        return None
    plan = to_plan(inst, first, status=SolveStatus.FEASIBLE, objective=0, bound=None, seed=seed)
    report = check(inst, plan)
    if not report.ok:
        return None
    plan.objective = report.objective
    plan.terms = report.weighted
    plan.wall_time = time.monotonic() - started
    return plan


def _presented(
    inst: Instance, first: Assignment | None, early: Plan, options: SolveOptions, *, started: float
) -> tuple[Assignment | None, Plan]:
    """The first plan with the best presenters for its days (a small model, solved in
    seconds), when the checker finds it better; else ``first`` and ``early`` as they were."""
    if first is None or early.objective is None:
        return first, early
    chosen = with_best_presenters(inst, first, options, started=started)
    if chosen is first:
        return first, early
    better = _checked_start(inst, chosen, seed=options.seed, started=started)
    if better is None or better.objective is None or better.objective >= early.objective:
        return first, early
    return chosen, better


def result_plan(inst: Instance, result: SolveResult, *, seed: int) -> Plan:
    """The plan a solve gives: its sessions when one was found, else just the status.

    A search stopped by Ctrl-C is never reported OPTIMAL; terms are left to the caller,
    who knows which objective was solved."""
    if result.assignment is None:
        status = result.status
        if status not in (SolveStatus.INFEASIBLE, SolveStatus.MODEL_INVALID):
            status = SolveStatus.UNKNOWN
        plan = blank_plan(inst, status=status, wall_time=result.wall_time, seed=seed)
    else:
        status = result.status
        if result.interrupted and status == SolveStatus.OPTIMAL:
            status = SolveStatus.FEASIBLE
        plan = to_plan(
            inst,
            result.assignment,
            status=status,
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
