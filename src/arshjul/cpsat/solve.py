"""Run CP-SAT on an instance: parameters, progress, Ctrl-C, and a status that is never an
exception.

The solver runs in a worker thread while the main thread waits, so Ctrl-C reaches Python at
once: it stops the search and the best plan found so far comes back with status FEASIBLE.
"""

from __future__ import annotations

import dataclasses
import math
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from ortools.sat.python import cp_model

from .. import rules
from ..greedy import greedy_assignment
from ..instance import Assignment, Instance, RuleKey
from ..options import Progress, ProgressCallback, SolveOptions, SolveStatus, preset_of
from ..tabu import tabu_assignment
from . import lns
from .constraints import add_all
from .lns import Best
from .model import Model, assignment_of, build_variables
from .objective import TERMS, TermBuilder, add_objective

STATUS_NAMES = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}
"""CP-SAT's status codes as arshjul names them."""


def status_of(code: Any) -> SolveStatus:
    """The status of a CP-SAT status code (UNKNOWN for anything else)."""
    return STATUS_NAMES.get(code, SolveStatus.UNKNOWN)


def feasibility(status: SolveStatus) -> SolveStatus:
    """Whether any plan exists: FEASIBLE (an optimum included), INFEASIBLE, or UNKNOWN."""
    if status.found:
        return SolveStatus.FEASIBLE
    return status if status == SolveStatus.INFEASIBLE else SolveStatus.UNKNOWN


@dataclass
class SolveResult:
    status: SolveStatus
    objective: int | None
    bound: float | None
    wall_time: float
    assignment: Assignment | None
    terms: dict[str, int] = field(default_factory=dict)
    """Unweighted term values the solver reports (checked against plain Python)."""
    interrupted: bool = False
    stalled: bool = False
    """Stopped because the plan had not improved for ``SolveOptions.stall`` seconds."""
    variables: int = 0
    constraints: int = 0


def build_model(
    instance: Instance,
    *,
    disabled: frozenset[RuleKey] = frozenset(),
    switchable: bool = False,
    hard_closures: bool = False,
    objective: bool = True,
    extra_rules: Sequence[Callable[[Model], None]] = (),
    extra_terms: Mapping[str, tuple[int, TermBuilder]] | None = None,
    short_held: bool | None = True,
) -> Model:
    """The CP-SAT model: variables, hard rules and, with ``objective``, the weighted terms.

    ``switchable`` gives every rule instance not ``disabled`` its own enforcement literal
    (to find which rules collide); with ``hard_closures`` as well, the slot-closing rules
    (calendar, windows, lead time …) stay hard — a closed slot is simply not a candidate —
    which keeps the model small.  ``extra_rules`` and ``extra_terms`` let callers
    (replanning, explanations) add their own constraints and weighted terms.
    ``short_held`` chooses the form of one sum (:attr:`Model.short_held`); ``None`` chooses
    by the model's size (:data:`LONG_HELD_VARIABLES`).
    """
    m = Model(instance=instance, switchable=switchable and not hard_closures, disabled=disabled)
    build_variables(m)  # strict unless switchable: slots closed by rules not disabled are left out
    m.short_held = len(m.x) + len(m.p) < LONG_HELD_VARIABLES if short_held is None else short_held
    if switchable and hard_closures:
        m.instance = _without_exclusions(instance)
        m.switchable = True
    add_all(m)
    for rule in extra_rules:
        rule(m)
    if objective:
        add_objective(m, extra_terms)
    return m


LONG_HELD_VARIABLES = 30_000
"""From this many slot and presenter variables the tree search's model writes "held while
the region is there" in its long form (:attr:`Model.short_held`), and the pieces copy a
second model in the short one (:class:`Beside`).  Measured with the whole search, one
worker, tight families, seeds 0-2 (benchmarks/README.md, 2026-12-07, fourth): at 60
regions (38,401 such variables) the same plans and the bound at seed 0 8,844 against 8,791,
at 240 regions over two years bounds 0.3-0.7 % higher (median gap 5.3 → 4.6 %) with the
plans within 0.2 %; at 44 sessions (14,550) the same bounds and worse plans at all three
seeds (3,738 / 3,248 / 3,068 against 3,658 / 3,178 / 3,043), so there the short form
serves both."""


def _without_exclusions(inst: Instance) -> Instance:
    """The same instance with no slot-closing rules left to state."""
    return dataclasses.replace(inst, sessions=[dataclasses.replace(s, exclusions={}) for s in inst.sessions])


PRESETS: dict[str, dict[str, Any]] = {
    # Measured on the bundled scenarios and the benchmark sizes (benchmarks/README.md): the
    # strongest LP (no-overlap/cumulative rules and coverage in it) proves a national year
    # fastest; probing and symmetry detection cost more presolve time than they save
    # (sweden-2027 2.2 s -> 1.1 s, four agencies 7.2 s -> 4.0 s, 200 events 6.4 s -> 1.8 s).
    "prove": {"linearization_level": 2, "cp_model_probing_level": 0, "symmetry_level": 0},
    # Several workers (:func:`duo`): the one-worker search itself in one thread beside a
    # second search; with three or more workers that second search is CP-SAT's portfolio
    # with these settings, whose first full-problem subsolver is the one-worker search
    # (:data:`ONE_WORKER`) before CP-SAT's LNS and first-solution workers (CP-SAT's own default
    # portfolio ran its ``default_lp`` worker instead: weaker LP, probing and symmetry on).
    # The plan may differ run to run.  (Its deterministic interleaved mode crashed inside
    # OR-Tools 9.15 on the 10-agency benchmark, so it is not offered.)
    "portfolio": {"linearization_level": 2, "cp_model_probing_level": 0, "symmetry_level": 0},
    # The first plan that keeps every rule (with the warm start: the greedy plan, checked by
    # the model), e.g. to see quickly whether a variant has a plan at all.
    "first-plan": {"stop_after_first_solution": True},
}
"""The CP-SAT settings of each name in :data:`arshjul.options.PRESET_NAMES` (same order),
chosen with ``SolveOptions.preset`` or ``--preset``."""


def solver_for(options: SolveOptions, *, preset: bool = True, **settings: Any) -> cp_model.CpSolver:
    """A CP-SAT solver set up from ``options``: time limit, workers, seed, log and gap, then
    the preset's settings (unless ``preset`` is false) and ``settings`` on top.  Ctrl-C is
    left to the caller: it stops the search and keeps the plan."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = float(options.time_limit)
    p.num_workers = max(1, int(options.workers))
    p.random_seed = int(options.seed)
    p.log_search_progress = bool(options.log)
    p.catch_sigint_signal = False
    if options.gap is not None:
        p.relative_gap_limit = float(options.gap)
    name = preset_of(options) if preset else None
    tuned = PRESETS[name] if name is not None else {}
    for key, value in {**tuned, **settings}.items():
        setattr(p, key, value)
    if name == "portfolio" and p.num_workers >= 2:
        p.merge_text_format(portfolio_text(p.num_workers))
    return solver


ONE_WORKER = "one_worker"
"""The subsolver that is the one-worker search: no setting of its own, so it runs with the
base settings (the ``portfolio`` preset's, which are ``prove``'s)."""

FULL_SUBSOLVERS = ("default_lp", "max_lp", "core", "no_lp", "quick_restart", "reduced_costs", "pseudo_costs")
"""CP-SAT's own full-problem subsolvers, after :data:`ONE_WORKER`, for machines with more
than two workers (CP-SAT gives one worker to its first-solution and LNS searches)."""


def portfolio_text(workers: int) -> str:
    """The subsolver settings of the ``portfolio`` preset with ``workers`` workers (text
    format: this OR-Tools' Python parameters cannot build a nested message field by field)."""
    names = [ONE_WORKER, *FULL_SUBSOLVERS][: max(1, workers - 1)]
    return f'subsolver_params {{ name: "{ONE_WORKER}" }} ' + " ".join(f'subsolvers: "{n}"' for n in names)


_NEXT = re.compile(r"^#(?:Bound|\d+)\s.*next:\[(-?[0-9.e+]+),")


def penalty_floor(bound: float) -> float:
    """A proven bound as arshjul reports it: every term of the objective is a penalty of at
    least 0, and CP-SAT's first bound (from the variables' domains alone) can be far below
    that (-25,215 on a 240-region year whose tree search stopped before its first LP)."""
    return max(0.0, bound)


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(
        self, started: float, progress: ProgressCallback | None, first: Progress | None = None
    ) -> None:
        super().__init__()
        self.started = started
        self.progress = progress
        self.last: Progress = first or Progress(0.0, None, None, 0)
        self.bound: float | None = None
        """The proven bound as CP-SAT logs it, also between improved plans."""

    def log(self, line: str) -> None:
        """CP-SAT's log lines (when asked for, also printed): keep the latest bound."""
        found = _NEXT.match(line)
        if found:
            self.bound = penalty_floor(float(found.group(1)))

    def heartbeat(self) -> Progress:
        last = self.last
        bound = self.bound if self.bound is not None else last.bound
        return Progress(time.monotonic() - self.started, last.objective, bound, last.solutions)

    def improved(self, objective: float) -> None:
        """A better plan found outside CP-SAT's own search (the neighbourhood search)."""
        bound = self.bound if self.bound is not None else self.last.bound
        self.last = Progress(
            elapsed=time.monotonic() - self.started,
            objective=objective,
            bound=bound,  # floored where it was read
            solutions=self.last.solutions + 1,
        )
        if self.progress:
            self.progress(self.last)

    def on_solution_callback(self) -> None:
        if self.last.objective is not None and self.objective_value >= self.last.objective:
            return  # the warm start coming back as CP-SAT's first solution: not a new plan
        self.last = Progress(
            elapsed=time.monotonic() - self.started,
            objective=self.objective_value,
            bound=penalty_floor(self.best_objective_bound),
            solutions=self.last.solutions + 1,
        )
        if self.progress:
            self.progress(self.last)


def run(
    m: Model,
    options: SolveOptions,
    *,
    progress: ProgressCallback | None = None,
    heartbeat: float = 5.0,
    warm: WarmStart | None = None,
    started: float | None = None,
    shared: lns.Incumbent | None = None,
    follow: bool = True,
    pieces: Beside | None = None,
) -> SolveResult:
    """Solve a built model; Ctrl-C stops the search and keeps the best plan.

    ``warm`` is the plan the model was hinted with (:func:`complete_hint`): it is the
    answer when the search ends before CP-SAT reports any plan.  ``started`` is when the
    caller's clock began (progress and wall time count from it).

    With one worker and ``options.lns``, the tree search hands over to the neighbourhood
    search (:mod:`arshjul.cpsat.lns`) after :func:`tree_work` of CP-SAT's deterministic time
    (or half the time, :func:`_hand_over`); the plan that comes back carries the tree
    search's bound.  A tree search that stops there with no plan at all, and no warm plan to
    fall back on, goes on to the deadline (:func:`_planless`).
    The pieces copy ``pieces``' model when given (the same plans written shorter), else
    ``m``.  Searches side by side (:func:`duo`) pass one ``shared`` plan to their
    neighbourhood searches; one that does not ``follow`` it only reports to it."""
    solver = solver_for(options)
    started = time.monotonic() if started is None else started
    # since the start, as every other progress line counts (the warm start's own seconds
    # made its line seem older than the first plan shown before the model was built)
    first = None if warm is None else Progress(time.monotonic() - started, warm.objective, None, 1)
    watcher = _Watcher(started, progress, first)
    improving = _lns_wanted(m, options)
    if improving:
        solver.parameters.max_deterministic_time = tree_work(m)
    if progress is not None or improving:
        # read the bound from CP-SAT's log so progress shows it between improved plans
        solver.parameters.log_to_stdout = bool(options.log)
        solver.parameters.log_search_progress = True
        solver.log_callback = watcher.log
    outcome: dict[str, Any] = {}
    halt = threading.Event()
    handed = threading.Event()
    current: list[cp_model.CpSolver] = []
    deadline = time.monotonic() + options.time_limit  # as CP-SAT counts its own limit

    done = threading.Event()

    def work() -> None:
        try:
            outcome["status"] = solver.solve(m.cp, watcher)
            while improving and _planless(outcome["status"], warm, halt, deadline):
                # its work done (or its half of the clock) and still no plan: the pieces need
                # one, so the tree search goes on, without a work limit, to the deadline
                handed.set()
                outcome["floor"] = max(outcome.get("floor", -math.inf), solver.best_objective_bound)
                solver.parameters.max_deterministic_time = math.inf
                solver.parameters.max_time_in_seconds = deadline - time.monotonic()
                outcome["status"] = solver.solve(m.cp, watcher)
            if improving and not halt.is_set():  # its work done, or handed over by the clock
                outcome["lns"] = _neighbourhoods(
                    m, solver, outcome["status"], warm, options, watcher, halt, current, deadline,
                    shared, follow, pieces,
                )
        except BaseException as err:  # e.g. the caller's progress callback: raised below
            outcome["error"] = err
        finally:
            done.set()

    # Wait on an Event, not on Thread.join: a Ctrl-C that lands inside join() can leave
    # Python believing the thread ended while CP-SAT still runs in it.
    thread = threading.Thread(target=work, name="cp-sat", daemon=True)
    interrupted = stalled = False
    search_started = time.monotonic()

    def stop() -> None:
        halt.set()
        solver.stop_search()
        for sub in list(current):
            sub.stop_search()

    thread.start()
    next_beat = started + heartbeat
    try:
        if first is not None and progress is not None:
            progress(first)  # here, where Ctrl-C keeps it
        while not done.wait(timeout=0.2):
            now = time.monotonic()
            if progress and now >= next_beat:
                progress(watcher.heartbeat())
                next_beat = now + heartbeat
            if _stalled(watcher.last, options.stall, now - started):
                stalled = True
                stop()
            if options.stop is not None and options.stop.is_set():
                interrupted = True
                stop()
            if improving and not handed.is_set() and _hand_over(now, search_started, deadline):
                handed.set()
                solver.stop_search()
    except KeyboardInterrupt:
        interrupted = True
        stop()
        while not done.wait(timeout=0.2):
            stop()
    except BaseException:  # the progress callback failed here: end the search before raising
        stop()
        while not done.wait(timeout=0.2):
            stop()
        raise
    thread.join()
    if "error" in outcome:
        # an error in the search thread (the progress callback, in CP-SAT's solution
        # callback) is the caller's to see, never a silently worse plan (the warm one)
        raise outcome["error"]
    wall = time.monotonic() - started
    status = status_of(outcome.get("status", cp_model.UNKNOWN))
    proto = m.cp.proto
    result = SolveResult(
        status=status,
        objective=None,
        bound=None,
        wall_time=wall,
        assignment=None,
        interrupted=interrupted,
        stalled=stalled,
        variables=len(proto.variables),
        constraints=len(proto.constraints),
    )
    if status.found:
        result.objective = round(solver.objective_value)
        result.bound = penalty_floor(max(solver.best_objective_bound, outcome.get("floor", -math.inf)))
        result.assignment = assignment_of(m, solver)
        result.terms = {name: int(solver.value(expr)) for name, expr in m.terms.items()}
    elif warm is not None and status == SolveStatus.UNKNOWN:
        # stopped (time, Ctrl-C) before CP-SAT reported the hint back: the warm plan stands
        result.status = SolveStatus.FEASIBLE
        result.objective = warm.objective
        result.bound = watcher.bound
        result.assignment = warm.assignment
        result.terms = dict(warm.terms)
    better: Best | None = outcome.get("lns")
    if better is not None and result.objective is not None and better.objective < result.objective:
        result.objective = better.objective
        result.assignment = better.assignment
        result.terms = dict(better.terms)
        result.status = SolveStatus.FEASIBLE
    if _meets_its_bound(result):
        result.status = SolveStatus.OPTIMAL  # a neighbourhood's plan reached the proven bound
    return result


def _planless(code: Any, warm: WarmStart | None, halt: threading.Event, deadline: float) -> bool:
    """The tree search stopped with no plan at all (none from the warm start either) and
    with time left: stopping now would return nothing before the deadline."""
    return (
        warm is None
        and status_of(code) == SolveStatus.UNKNOWN
        and not halt.is_set()
        and deadline - time.monotonic() > PLANLESS_MIN_SECONDS
    )


PLANLESS_MIN_SECONDS = 0.5
"""A tree search without a plan is started again only with at least this much time left."""


def _meets_its_bound(result: SolveResult) -> bool:
    """A FEASIBLE plan whose objective reaches the proven bound: it is optimal."""
    return (
        result.status == SolveStatus.FEASIBLE
        and result.objective is not None
        and result.bound is not None
        and result.objective <= result.bound + 1e-6
    )


TREE_WORK = 5.0
"""CP-SAT's deterministic time for the tree search before it hands over to the pieces, per
:data:`arshjul.cpsat.lns.PIECE_VARIABLES` variables (:func:`arshjul.cpsat.lns.scale`).
Counted in work, not seconds, so a search cut off by the time limit repeats itself on the
same machine, and the first of two workers is the one-worker search itself.  It replaced a
hand-over after so many seconds of a quiet bound, which spent 2.9–5.8 of this time on the
tight 44- and 106-session years and ended the same code up to 1.5 % apart from run to run;
with 5 the 44-session years ended 3,701 / 3,208 / 3,038 twice over (the clock rule:
3,688–3,721 / 3,191–3,238 / 3,038–3,058 in three runs), the 106-session ones 9,456 / 9,603
/ 9,056 (benchmarks/README.md, 2026-12-04)."""
HAND_OVER_SHARE = 0.5
"""…and it keeps at most this share of the time left when it starts (a slow machine)."""


def tree_work(m: Model) -> float:
    """The tree search's deterministic time on this model (:data:`TREE_WORK`)."""
    return TREE_WORK * lns.scale(m)


def _lns_wanted(m: Model, options: SolveOptions) -> bool:
    """Neighbourhood search after the tree search: one worker, a search for the best plan
    (not the first), a model small enough to copy per piece."""
    return (
        _lns_by_options(options)
        and not m.switchable
        and bool(m.terms)
        and len(m.cp.proto.variables) <= lns.MAX_VARIABLES
    )


def _lns_by_options(options: SolveOptions) -> bool:
    """The options' part of :func:`_lns_wanted`."""
    return options.lns and options.workers <= 1 and preset_of(options) == "prove"


def _hand_over(now: float, search_started: float, deadline: float) -> bool:
    """The tree search has had its share of the clock (:data:`HAND_OVER_SHARE`); it
    normally stops sooner, at its deterministic time (:func:`tree_work`)."""
    total = max(0.0, deadline - search_started)
    return now - search_started >= HAND_OVER_SHARE * total


def _neighbourhoods(
    m: Model,
    solver: cp_model.CpSolver,
    code: Any,
    warm: WarmStart | None,
    options: SolveOptions,
    watcher: _Watcher,
    halt: threading.Event,
    current: list[cp_model.CpSolver],
    deadline: float,
    shared: lns.Incumbent | None = None,
    follow: bool = True,
    pieces: Beside | None = None,
) -> Best | None:
    """The neighbourhood search from the tree search's best plan (or the warm one), on
    ``pieces``' model once it is built (else on ``m``)."""
    if status_of(code) == SolveStatus.OPTIMAL:
        return None
    if status_of(code).found:
        start = Best(
            assignment_of(m, solver),
            round(solver.objective_value),
            {name: int(solver.value(expr)) for name, expr in m.terms.items()},
        )
        bound: float | None = solver.best_objective_bound
    elif warm is not None:
        start = Best(warm.assignment, warm.objective, dict(warm.terms))
        bound = watcher.bound
    else:
        return None

    def better(best: Best) -> None:
        watcher.improved(best.objective)

    copied = m if pieces is None else pieces.wait(halt, deadline)
    if copied is None:
        return None
    if copied is m and status_of(code).found:  # the pieces can start from every value of it
        start = replace(start, values=tuple(solver.response_proto.solution))
    return lns.improve(
        copied,
        start,
        until=deadline,
        seed=options.seed,
        halt=halt,
        current=current,
        better=better,
        bound=bound,
        settings=pieces_settings(m),
        shared=shared,
        follow=follow,
    )


FULL_LP_VARIABLES = 30_000
"""From this many model variables a piece keeps ``prove``'s full LP (level 2).  Measured
with the whole search, one worker, tight families, three seeds, 2026-12-03/04
(``benchmarks/README.md``, "fourth stop"): at the 44-session year (14,978 variables) level 2
was worse at all three seeds (3,711 / 3,228 / 3,058 against 3,688 / 3,191 / 3,038, 60 s);
at the 60-region year (39,631) better at all three (9,446 / 9,603 / 9,026 against 9,526 /
9,693 / 9,186, 60 s), and at the 240-region two-year one far better (6,576 / 6,106 / 5,841
against 7,146 / 6,621 / 6,311, 120 s); the loose L and XL years ended equal."""


def pieces_settings(m: Model) -> dict[str, Any]:
    """CP-SAT settings of a neighbourhood piece: ``prove``'s, with the default LP (level 1)
    below :data:`FULL_LP_VARIABLES`.  A piece's bound does not matter (the rest of the year
    is fixed), its plans do; on a small model the lighter LP gives more search per unit of
    work."""
    settings = dict(PRESETS["prove"])
    if len(m.cp.proto.variables) < FULL_LP_VARIABLES:
        settings["linearization_level"] = 1
    return settings


def _stalled(last: Progress, stall: float | None, elapsed: float) -> bool:
    """A plan exists and has not improved for ``stall`` seconds."""
    return stall is not None and last.objective is not None and elapsed - last.elapsed >= stall


def add_hint(m: Model, hint: Assignment) -> None:
    """Start the search from a given plan (the previous one, or the greedy one): slots that
    are still open to their session, and the presenters of every session the plan has."""
    for s in m.instance.sessions:
        t = hint.slot.get(s.id)
        if t is not None and t in m.candidates[s.id]:
            for u in m.candidates[s.id]:
                m.cp.add_hint(m.x[s.id, u], u == t)
        if s.id in hint.presenters:
            chosen = set(hint.presenters[s.id])
            for unit in s.units:
                m.cp.add_hint(m.p[s.id, unit], unit in chosen)


@dataclass(frozen=True)
class WarmStart:
    """A plan the model accepts, with every variable's value: the search's first solution."""

    assignment: Assignment
    objective: int
    terms: dict[str, int]
    seconds: float


def complete_hint(
    m: Model, start: Assignment, options: SolveOptions, *, started: float | None = None
) -> WarmStart | None:
    """Hint every variable of the model from a plan, when the plan keeps every rule.

    A hint of the slots and presenters alone leaves CP-SAT to rebuild the rest (days,
    coverage, the objective's own variables) branch by branch; on a 240-region scenario that
    took longer than a minute.  So the plan is first solved with its slots and presenters
    fixed, which is quick and proves it keeps every rule of *this* model, and then every
    variable is hinted: CP-SAT checks a complete hint in presolve and reports it as its
    first solution.  Returns ``None``, leaving no hint, when the plan breaks a rule or the
    check runs out of time.  A plan of every session may use the whole time limit for its
    check (with nothing to search, it is quick; if it cannot finish, neither could the
    search); a partial plan, whose missing sessions are searched for, a quarter of it.
    The warm start's seconds count from ``started`` (default: now)."""
    started = time.monotonic() if started is None else started
    m.cp.clear_hints()
    add_hint(m, start)
    whole = len(start.slot) == len(m.instance.sessions)
    check = SolveOptions(
        time_limit=options.time_limit if whole else max(0.5, options.time_limit / 4), seed=options.seed
    )
    solver = solver_for(check, preset=False, fix_variables_to_their_hinted_value=True)
    code = solver.solve(m.cp)
    m.cp.clear_hints()
    if not status_of(code).found:
        return None
    return _hinted(m, solver, started)


def _hinted(m: Model, solver: cp_model.CpSolver, started: float) -> WarmStart:
    """Hint every variable with the solver's solution: the search's first solution."""
    hint = m.cp.proto.solution_hint
    values = solver.response_proto.solution
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)
    return WarmStart(
        assignment=assignment_of(m, solver),
        objective=round(solver.objective_value),
        terms={name: int(solver.value(expr)) for name, expr in m.terms.items()},
        seconds=time.monotonic() - started,
    )


def solve(
    instance: Instance,
    options: SolveOptions | None = None,
    *,
    disabled: frozenset[RuleKey] = frozenset(),
    progress: ProgressCallback | None = None,
    extra_rules: Sequence[Callable[[Model], None]] = (),
    extra_terms: Mapping[str, tuple[int, TermBuilder]] | None = None,
    hint: Assignment | None = None,
    greedy: Assignment | Callable[[], Assignment] | None = None,
    started: float | None = None,
) -> SolveResult:
    """Build and solve; the status says whether a plan came back.

    ``options.time_limit`` counts from ``started`` (default: now; :func:`arshjul.solve`
    passes its own start, so building the instance, the greedy plan, the model and the warm
    start all count against it).

    The search starts from ``hint`` (e.g. the previous plan when replanning) or, with
    ``options.warm_start``, from the greedy plan completed by tabu search (``greedy`` when
    the caller has made and completed it already, :func:`complete_start`; or a function
    that gives it once the model is built, so that the caller can choose its presenters
    beside the build).  A start that keeps every rule is the search's first solution
    (:func:`complete_hint`); one that breaks some rule is only a direction to search in
    (``hint``) or dropped (the greedy one: as a partial hint it slowed the search down)."""
    options = options or SolveOptions()
    started = time.monotonic() if started is None else started
    build = partial(
        build_model, instance, disabled=disabled, extra_rules=extra_rules, extra_terms=extra_terms
    )
    m = build(short_held=None if _pieces_planned(options) else True)
    pieces = None if m.short_held else Beside(build)
    deadline = started + options.time_limit
    try:
        if callable(greedy):
            greedy = greedy()
        left = options.time_limit - (time.monotonic() - started)
        warm = start_from(m, replace(options, time_limit=max(0.1, left)), hint=hint, greedy=greedy)
        spent = time.monotonic() - started
        options = replace(options, time_limit=max(0.1, options.time_limit - spent))
        if _duo_wanted(m, options):
            result = duo(m, options, progress=progress, warm=warm, started=started, pieces=pieces)
        else:
            result = run(m, options, progress=progress, warm=warm, started=started, pieces=pieces)
    except BaseException as err:
        if pieces is not None and not isinstance(err, KeyboardInterrupt):
            pieces.finish(deadline)
        raise
    if pieces is not None and not result.interrupted:
        # nothing of the solve left running once it has returned, within its time limit
        # (after Ctrl-C the build ends on its own and its model is dropped)
        pieces.finish(deadline)
    return result


def _pieces_planned(options: SolveOptions) -> bool:
    """A neighbourhood search will follow the tree search (:func:`_lns_wanted`, as far as
    the options tell): on a big model the tree search then gets the long form of the model,
    whose presolved LP gives the higher bound, and the pieces the short one, which they
    copy and presolve faster (:data:`LONG_HELD_VARIABLES`, :class:`Beside`)."""
    return _lns_by_options(options) or (options.lns and _duo_by_options(options))


class Beside:
    """A model built in a thread beside the search, for the neighbourhood search's pieces.

    CP-SAT leaves Python's lock while it searches, so the build runs on the other core
    while the tree search runs on this one (at 240 regions over two years the short form
    took 4.8-5.9 s to build, the tree search's long form 7.5-8.4 s).  The model is built
    the same whatever the timing, so the pieces, and the plans, are as deterministic as
    before."""

    def __init__(self, build: Callable[[], Model]) -> None:
        self._ready = threading.Event()
        self._model: Model | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._build, args=(build,), name="pieces-model", daemon=True)
        self._thread.start()

    def _build(self, build: Callable[[], Model]) -> None:
        try:
            self._model = build()
        except BaseException as err:  # raised to the search that asks for the model
            self._error = err
        finally:
            self._ready.set()

    def wait(self, halt: threading.Event, deadline: float) -> Model | None:
        """The model once built; ``None`` when ``halt`` is set or ``deadline`` passes first."""
        while not self._ready.wait(timeout=0.05):
            if halt.is_set() or time.monotonic() >= deadline:
                return None
        if self._error is not None:
            raise self._error
        return self._model

    def finish(self, deadline: float) -> None:
        """Wait for the build to end, until ``deadline`` at most."""
        self._thread.join(timeout=max(0.0, deadline - time.monotonic()))


def _duo_wanted(m: Model, options: SolveOptions) -> bool:
    return _duo_by_options(options) and not m.switchable


def _duo_by_options(options: SolveOptions) -> bool:
    return options.workers >= 2 and preset_of(options) == "portfolio"


def duo(
    m: Model,
    options: SolveOptions,
    *,
    progress: ProgressCallback | None = None,
    warm: WarmStart | None = None,
    started: float | None = None,
    pieces: Beside | None = None,
) -> SolveResult:
    """Several workers: the one-worker search itself in one thread, and a second search in
    the others (with two workers, the one-worker search again with the next seed; with
    more, CP-SAT's portfolio on the rest), each from the same warm start; the better plan
    and the higher bound win.  With two workers the second neighbourhood search starts
    every piece from the better plan of the two (:class:`arshjul.cpsat.lns.Incumbent`);
    the first only reports to it, so it stays the one-worker search (both following the
    shared plan ended 0.8 % worse than one worker on one tight year).  Not a guarantee: its
    hand-over goes by the clock on a machine it now shares, and 2 of 12 tight years ended
    0.1–0.24 % worse than one worker (benchmarks/README.md 2026-12-03); on 2026-12-07
    (fifth) the tight 106-session year at seed 0 ended 0.1 and 1.1 % worse than one worker
    in two runs, since beside a second search the first reaches each plan a little later.
    A second search that skips its tree search and goes to its pieces at once was worse
    still at all five years it was run beside this one, and a lower priority for it was no
    better.  CP-SAT's own portfolio replaced the one-worker search and ended worse on the
    tight 44-session year (2026-12-02)."""
    stop = threading.Event()
    outer = options.stop
    searches = [
        replace(options, workers=1, preset="prove", stop=stop),
        replace(
            options,
            workers=options.workers - 1,
            seed=(options.seed + 1) % (2**31 - 1),
            preset="prove" if options.workers == 2 else "portfolio",
            stop=stop,
        ),
    ]
    results: list[SolveResult | None] = [None, None]
    seen: list[Progress | None] = [None, None]
    lock = threading.Lock()

    def relay(i: int) -> ProgressCallback:
        def tell(p: Progress) -> None:
            with lock:
                before = _merged(seen)
                seen[i] = p
                now = _merged(seen)
            if progress is None or now is None:
                return
            improved = before is None or (now.objective is not None and now.objective != before.objective)
            if i == 0 or improved:
                progress(now)

        return tell

    shared = lns.Incumbent()

    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = run(
                m, searches[i], progress=relay(i), warm=warm, started=started, shared=shared,
                follow=i == 1, pieces=pieces,
            )
        except BaseException as err:  # raised once both searches have ended, as run raises it
            errors.append(err)
            stop.set()

    threads = [threading.Thread(target=work, args=(i,), name=f"search-{i}", daemon=True) for i in (0, 1)]
    interrupted = False
    try:
        # started inside the try: the first thread reports its warm plan at once, and a
        # Ctrl-C then (while the second starts) must stop it too, not escape past it
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            for thread in threads:
                thread.join(timeout=0.1)
            if outer is not None and outer.is_set():
                interrupted = True
                stop.set()
    except KeyboardInterrupt:
        interrupted = True
        stop.set()
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.1)
    if errors:
        raise errors[0]
    done = [r for r in results if r is not None]
    if not done:  # stopped before either search could begin
        return SolveResult(SolveStatus.UNKNOWN, None, None, 0.0, None, interrupted=True)
    return _better(done, interrupted)


def _merged(seen: list[Progress | None]) -> Progress | None:
    """One progress line of several searches: the best plan, the highest bound."""
    known = [p for p in seen if p is not None]
    if not known:
        return None
    plans = [p.objective for p in known if p.objective is not None]
    bounds = [p.bound for p in known if p.bound is not None]
    return Progress(
        elapsed=max(p.elapsed for p in known),
        objective=min(plans) if plans else None,
        bound=max(bounds) if bounds else None,
        solutions=sum(p.solutions for p in known),
    )


def _better(results: list[SolveResult], interrupted: bool) -> SolveResult:
    """The result with the better plan (the first on a tie), with the highest bound of all."""
    found = [r for r in results if r.status.found and r.objective is not None]
    best = min(found, key=lambda r: r.objective or 0) if found else results[0]
    out = replace(best, interrupted=interrupted or any(r.interrupted for r in results))
    bounds = [r.bound for r in results if r.bound is not None]
    if bounds:
        out.bound = max(bounds)
    if any(r.status == SolveStatus.INFEASIBLE for r in results):
        out.status = SolveStatus.INFEASIBLE
    elif _meets_its_bound(out):
        out.status = SolveStatus.OPTIMAL  # the other search proved the bound this plan meets
    out.wall_time = max(r.wall_time for r in results)
    return out


def start_from(
    m: Model, options: SolveOptions, *, hint: Assignment | None = None, greedy: Assignment | None = None
) -> WarmStart | None:
    """Hint the model with ``hint``, else (``options.warm_start``) the greedy plan: see
    :func:`solve`.  The warm start's seconds include making the greedy plan, and completing
    it (:func:`complete_start`) and choosing its presenters (:func:`with_best_presenters`)
    unless the caller passed ``greedy``, which it has done already."""
    if hint is None and not options.warm_start:
        return None
    started = time.monotonic()
    start = hint or greedy
    chosen = None
    if start is None:
        start = complete_start(m.instance, greedy_assignment(m.instance), options, started=started)
        if set(m.terms) <= set(TERMS):  # the scenario's own objective, which it improves
            chosen = with_best_presenters(m.instance, start, options, started=started)
    if hint is None and len(start.slot) < len(m.instance.sessions):
        # the tabu search did not complete it either: let CP-SAT look for a plan
        return first_plan(m, options, start, started=started)
    warm = complete_hint(m, chosen or start, options, started=started)
    if warm is None and chosen not in (None, start):
        # a caller's own rules may forbid what the presenters' model allowed
        warm = complete_hint(m, start, options, started=started)
    if warm is None and hint is not None:
        add_hint(m, hint)
    return warm


TABU_SECONDS = 6.0
"""CPU time to complete a greedy plan by tabu search (:mod:`arshjul.tabu`) for
:data:`TABU_SESSIONS` sessions; in proportion below that, with the square of how many times
that there are above it (more sessions need more steps, and each step scores more), never
more than :data:`TABU_MAX_SHARE` of the time limit.  A scenario the tabu search cannot
complete (one with no plan at all) spends the whole budget before CP-SAT's own first-plan
search, which took 20–30 s for 106 sessions where the tabu search took 0.4–2.5 s, and at 312
outgrew 2 GB without a plan.  Measured at 2 invitations in 28 days, seeds 0–2, on two
machines of the same kind, the second about twice as slow (Python's imports 1.3 s against
0.66 s): 106 sessions took 0.4–2.5 s on the first and 0.68 / 2.75 / 5.14 s on the second,
312 took 3.3–13.3 s and 39.2 / 33.5 / 8.3 s.  The budget was 3 s for up to 100 sessions (a
tenth of the time limit at most, a fifth for the largest years): on the slow machine two
of the three 106-session years came back with no plan (benchmarks/README.md, 2026-12-07).
At 3 in 28, 106 sessions take 0.1–0.3 s (0.45–0.5 s on the slow machine); in the tests, 3–44
sessions up to 0.15 s."""
TABU_SESSIONS = 100
TABU_MIN_SECONDS = 0.25
"""…but at least this much CPU time, however small the year."""
TABU_MAX_SHARE = 0.4
"""The tabu search's CPU time is at most this share of the time limit (a first plan matters
more than time to improve it)."""
TABU_WALL_SECONDS = 20.0
"""…and at most this long on the clock for :data:`TABU_SESSIONS` sessions, scaled the same,
however busy the machine is, and never more than :data:`TABU_WALL_SHARE` of the limit."""
TABU_WALL_SHARE = 0.5


def complete_start(
    instance: Instance, start: Assignment, options: SolveOptions, *, started: float
) -> Assignment:
    """The greedy plan ``start``, completed by tabu search (:mod:`arshjul.tabu`) when tight caps
    made the greedy leave sessions out, within :func:`tabu_budget` of what is left of
    ``options.time_limit`` since ``started``.  It needs no model: :func:`arshjul.solve` calls it
    before the model is built, so that a plan it completes can be shown at once (and then
    :func:`with_best_presenters`)."""
    sessions = len(instance.sessions)
    if len(start.slot) >= sessions:
        return start
    budget, wall = tabu_budget(sessions, max(0.1, options.time_limit - (time.monotonic() - started)))
    return tabu_assignment(instance, start, seed=options.seed, budget=budget, wall=wall)


PRESENTERS_WORK = 2.0
"""CP-SAT's deterministic time to choose the presenters of a first plan with its days kept
(:func:`with_best_presenters`)."""
PRESENTERS_SHARE = 0.1
"""…and at most this share of the time left on the clock."""


def with_best_presenters(
    instance: Instance,
    start: Assignment,
    options: SolveOptions,
    *,
    started: float,
    current: list[cp_model.CpSolver] | None = None,
) -> Assignment:
    """The plan ``start`` with the best presenters for its days, when CP-SAT finds better
    ones within :data:`PRESENTERS_WORK` (else ``start`` itself).

    The greedy and tabu plans place the sessions well but choose presenters one session at a
    time.  With every session's day kept, the model is small (at 240 regions over two years
    3,380 variables against 244,502), built in about a second and solved to its optimum in
    seconds, so the first plan shown is already as good as the whole search's first
    neighbourhood piece (which frees every presenter) used to make it a minute later.
    The solver at work is kept in ``current`` so another thread can stop it."""
    if (
        preset_of(options) == "first-plan"  # which promises the first plan, as it comes
        or len(start.slot) < len(instance.sessions)
        or not any(s.units for s in instance.sessions)
    ):
        return start
    left = options.time_limit - (time.monotonic() - started)
    if left <= 0:
        return start
    m = build_model(_days_kept(instance, start), short_held=True)
    limit = max(0.1, PRESENTERS_SHARE * left)
    clock = replace(options, time_limit=limit, workers=1, preset="prove", gap=None)
    warm = complete_hint(m, start, clock)
    if warm is None:  # the plan breaks a rule: the caller's checker will say which
        return start
    solver = solver_for(clock, max_deterministic_time=PRESENTERS_WORK)
    if current is not None:
        current.append(solver)
    code = solver.solve(m.cp)
    if status_of(code).found and round(solver.objective_value) < warm.objective:
        return assignment_of(m, solver)
    return start


def _days_kept(instance: Instance, plan: Assignment) -> Instance:
    """The instance with every session's slot closed but the one ``plan`` gives it (which
    keeps its own exclusions: a plan in a closed slot finds no model)."""
    n = len(instance.slots)
    sessions = []
    for s in instance.sessions:
        kept = plan.slot[s.id]
        closed = s.closed_but(kept, (rules.SESSION_FROZEN, s.id), n)
        if kept in s.exclusions:
            closed[kept] = s.exclusions[kept]
        sessions.append(dataclasses.replace(s, exclusions=closed))
    return dataclasses.replace(instance, sessions=sessions)


def tabu_budget(sessions: int, time_limit: float) -> tuple[float, float]:
    """The tabu search's CPU time and clock time for a year of ``sessions`` sessions."""
    size = sessions / TABU_SESSIONS
    grow = max(size, size * size)
    cpu = min(max(TABU_MIN_SECONDS, TABU_SECONDS * grow), time_limit * TABU_MAX_SHARE)
    wall = min(max(2 * TABU_MIN_SECONDS, TABU_WALL_SECONDS * grow), time_limit * TABU_WALL_SHARE)
    return cpu, wall


FIRST_PLAN: dict[str, Any] = {
    "linearization_level": 0,
    "cp_model_probing_level": 0,
    "symmetry_level": 0,
    "stop_after_first_solution": True,
}
"""CP-SAT settings of the search for a first plan: ``prove`` without its LP relaxation (it
finds a plan of the tight 60-region year in 11 s against 27 s with the LP, one worker; with
CP-SAT's default probing and symmetry it found none in 28 s), stop at the first plan."""


def first_plan(
    m: Model, options: SolveOptions, start: Assignment, *, started: float | None = None
) -> WarmStart | None:
    """A first plan of the whole model by CP-SAT, hinted with a partial one (``start``), in
    half the time limit at most; ``None`` when there is none in that time.  The search
    looks for any plan (the objective set aside: on the tight 60-region year that found one
    in 11 s where the same search with the objective had none in 15 s); the plan is then
    hinted like any complete start (:func:`complete_hint`)."""
    started = time.monotonic() if started is None else started
    m.cp.clear_hints()
    search = m.cp.clone()  # same variables, same indices: the plan reads back through m
    search.clear_objective()
    only = Model(instance=m.instance, cp=search, candidates=m.candidates)
    only.x, only.p = m.x, m.p
    add_hint(only, start)
    budget = SolveOptions(time_limit=max(0.5, options.time_limit / 2), seed=options.seed)
    solver = solver_for(budget, preset=False, **FIRST_PLAN)
    code = solver.solve(search)
    del search, only
    if not status_of(code).found:
        return None
    left = options.time_limit - (time.monotonic() - started)
    return complete_hint(
        m, assignment_of(m, solver), replace(options, time_limit=max(0.5, left)), started=started
    )
