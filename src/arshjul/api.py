"""The Python API scripts use: load a scenario, change it, solve, check, read the plan.

:func:`solve` is the one way to solve: ``arshjul plan``, ``compare``, ``sweep``, ``replan``
and scripts all come through it.
"""

from __future__ import annotations

import threading
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
    presenters: _Presenters | None = None
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
            if first is not None:  # (it is: the early plan is made of it)
                presenters = _Presenters(inst, first, early, options, started=started, progress=progress)
        result = cpsat_solve(
            inst,
            options,
            disabled=frozenset(disabled),
            progress=progress,
            extra_terms=goal,
            hint=before.start() if before is not None and options.warm_start else None,
            greedy=first if presenters is None else presenters.assignment,
            started=started,
        )
    except KeyboardInterrupt:
        if presenters is not None:
            early = presenters.early
        if early is None:
            raise
        # Ctrl-C once the first plan is shown, while the model is built: it is the answer
        # (once the search runs, the search itself keeps its best plan)
        early.interrupted = True
        early.wall_time = time.monotonic() - started
        return early
    finally:
        if presenters is not None:  # nothing of the choice left running once solve returns
            presenters.stop()
    if presenters is not None:
        early = presenters.early
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


class _Presenters:
    """The first plan with the best presenters for its days (a small model,
    :func:`with_best_presenters`), chosen in a thread beside the year's model build: CP-SAT
    leaves Python's lock while it solves, so at 240 regions over two years most of the 5-6 s
    it takes runs on the other core (done before the build, it put off the tree search by as
    much, and its bound with it).  A better plan the checker vouches for is shown at once,
    is where the search starts, and is the answer if Ctrl-C comes before the search has one.
    """

    def __init__(
        self,
        inst: Instance,
        first: Assignment,
        early: Plan,
        options: SolveOptions,
        *,
        started: float,
        progress: ProgressCallback | None,
    ) -> None:
        self.first, self.early = first, early
        self._done = threading.Event()
        self._error: BaseException | None = None
        self._current: list[Any] = []
        self._thread = threading.Thread(
            target=self._choose, args=(inst, options, started, progress), name="presenters", daemon=True
        )
        self._thread.start()

    def _choose(
        self, inst: Instance, options: SolveOptions, started: float, progress: ProgressCallback | None
    ) -> None:
        try:
            chosen = with_best_presenters(inst, self.first, options, started=started, current=self._current)
            if chosen is self.first or self.early.objective is None:
                return
            better = _checked_start(inst, chosen, seed=options.seed, started=started)
            if better is None or better.objective is None or better.objective >= self.early.objective:
                return
            self.first, self.early = chosen, better
            if progress is not None:
                progress(Progress(better.wall_time, better.objective, better.bound, 1))
        except BaseException as err:  # raised to the search that asks for the plan
            self._error = err
        finally:
            self._done.set()

    def assignment(self) -> Assignment:
        """Where the search starts, once chosen (the year's model build normally takes longer)."""
        while not self._done.wait(timeout=0.05):  # an Event, so that Ctrl-C lands at once
            pass
        if self._error is not None:
            raise self._error
        return self.first

    def stop(self) -> None:
        """Stop the choice (Ctrl-C): the plan shown last stands."""
        for solver in list(self._current):
            solver.stop_search()


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
