"""Which of the planner's own rules collide: a minimal set of rule instances, found with
CP-SAT assumptions.

Every rule instance has an enforcement literal in a switchable model; assuming them all true
and asking CP-SAT for ``sufficient_assumptions_for_infeasibility`` gives *a* conflicting set,
which deletion then shrinks until dropping any one rule makes the rest solvable.

A switchable model over every slot of the year is large (each calendar rule forbids each
slot under its own literal), and presolve with assumptions must keep every solution, so the
search runs in two stages:

1. the slot-closing rules (calendar, windows, lead time …) stay hard — their slots are simply
   not candidates — and only the other rules are switchable: a small model whose core names
   the tempo, capacity and presenter rules that take part;
2. only those rules stay on, every slot-closing rule becomes switchable, and the core names the
   calendar rules that take part (a weekday, a blackout, a window …).

Deletion in stage 2 tests every key again, so the union is minimal: no key can be dropped.
Only keys of ``Model.switches`` are ever reported; rules without a switch (each session held
once, the order of a theme's occurrences, and whatever ``extra_rules`` add) are facts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from ..instance import Assignment, Instance, RuleKey
from ..options import SolveOptions, SolveStatus
from .model import Model
from .solve import build_model, feasibility, solver_for, status_of

Rule = Callable[[Model], None]


@dataclass(frozen=True)
class ConflictOptions:
    """How long to look.  One worker: CP-SAT runs assumptions sequentially anyway."""

    time_limit: float = 30.0
    """Seconds for the whole search (both stages, every shrinking step)."""
    step_limit: float = 5.0
    """Seconds for one solve; a step that runs out keeps its rule (the set stays sound)."""
    seed: int = 0
    deterministic: bool = False
    """Count both limits in CP-SAT's deterministic time (its measure of work done) instead of
    seconds: the same answer on a fast machine and a busy one, but no bound on wall time."""
    stop: threading.Event | None = field(default=None, compare=False, repr=False)
    """Set it from any thread to end the search at once (the running solve is stopped, no
    other starts); the answer is then what was proven so far, like one out of time."""


@dataclass(frozen=True)
class Conflict:
    """The outcome: ``INFEASIBLE`` with the colliding rule keys, ``FEASIBLE`` (nothing
    collides), or ``UNKNOWN`` (out of time before infeasibility was proven)."""

    status: SolveStatus
    keys: tuple[RuleKey, ...] = ()
    minimal: bool = False
    """True when dropping any one key was shown to make the rest solvable."""
    complete: bool = True
    """False when stage 2 ran out of time: the slot-closing rules were not narrowed down and
    ``keys`` collide only together with the calendar as written."""
    solves: int = 0
    wall_time: float = 0.0


def solve_stoppable(
    solver: cp_model.CpSolver, cp: cp_model.CpModel, stop: threading.Event | None
) -> tuple[Any, float]:
    """``solver.solve(cp)``, ended by ``stop`` (checked every 0.1 s) as by its time limit:
    what a search run in a background thread needs to end promptly on a stop button.
    Returns the status and the deterministic work done (0 when stopped before it began: the
    solver then has no response to read)."""
    if stop is not None and stop.is_set():
        return cp_model.UNKNOWN, 0.0
    if stop is None:
        return solver.solve(cp), solver.deterministic_time
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            if stop.is_set():
                solver.stop_search()

    watcher = threading.Thread(target=watch, name="cp-sat-stop", daemon=True)
    watcher.start()
    try:
        return solver.solve(cp), solver.deterministic_time
    finally:
        done.set()
        watcher.join()


def closing_keys(inst: Instance) -> frozenset[RuleKey]:
    """Every rule key that closes some slot to some session (``SessionSpec.exclusions``)."""
    return frozenset(k for s in inst.sessions for keys in s.exclusions.values() for k in keys)


class _Search:
    """Solves with assumptions on one model, counting solves against a shared budget."""

    def __init__(self, options: ConflictOptions, started: float) -> None:
        self.options = options
        self.deadline = started + options.time_limit
        self.work = 0.0
        self.solves = 0

    def left(self) -> float:
        if self.options.stop is not None and self.options.stop.is_set():
            return 0.0
        if self.options.deterministic:
            return self.options.time_limit - self.work
        return self.deadline - time.monotonic()

    def solve(
        self, m: Model, keys: Sequence[RuleKey], fixed: Sequence[cp_model.IntVar] = ()
    ) -> tuple[SolveStatus, list[RuleKey] | None]:
        """Status with ``keys`` on and every other switch off; on INFEASIBLE also a core
        (a subset of ``keys``), or ``None`` when CP-SAT's core cannot be trusted."""
        if self.options.stop is not None and self.options.stop.is_set():
            return SolveStatus.UNKNOWN, None
        wanted = set(keys)
        m.cp.clear_assumptions()
        m.cp.add_assumptions(
            [*fixed, *(m.switches[k] for k in keys), *(~v for k, v in m.switches.items() if k not in wanted)]
        )
        limit = max(0.05, min(self.options.step_limit, self.left()))
        step = SolveOptions(time_limit=limit, seed=self.options.seed)
        # counted in deterministic time, a step gives the same answer however busy the machine
        clock = (
            {"max_deterministic_time": limit, "max_time_in_seconds": float("inf")}
            if self.options.deterministic
            else {}
        )
        # presolve must keep every solution under assumptions; probing the whole year then
        # costs seconds and proves nothing the search does not find at once.
        solver = solver_for(step, preset=False, cp_model_probing_level=0, max_presolve_iterations=1, **clock)
        self.solves += 1
        raw, work = solve_stoppable(solver, m.cp, self.options.stop)
        status = feasibility(status_of(raw))
        self.work += work
        m.cp.clear_assumptions()
        if status != SolveStatus.INFEASIBLE:
            return status, None
        by_index = {m.switches[k].index: k for k in keys}
        allowed = set(by_index) | {v.index for v in m.switches.values()} | {v.index for v in fixed}
        core: list[RuleKey] = []
        for lit in solver.sufficient_assumptions_for_infeasibility():
            index = lit if lit >= 0 else -lit - 1
            if index not in allowed:
                return SolveStatus.INFEASIBLE, None  # a literal we never assumed: do not trust the core
            if lit >= 0 and lit in by_index:
                core.append(by_index[lit])
        return SolveStatus.INFEASIBLE, core

    def shrink(
        self,
        m: Model,
        start: Sequence[RuleKey],
        fixed: Sequence[cp_model.IntVar] = (),
        needed: Iterable[RuleKey] = (),
    ) -> tuple[list[RuleKey], set[RuleKey]]:
        """Deletion: drop one key, keep it out while the rest is still infeasible.

        Returns the kept keys and those *proven* needed (dropping them gave a plan); the set
        is minimal when both are equal.  ``needed`` keys are known to be needed already."""
        kept = list(dict.fromkeys(start))
        proven = set(needed) & set(kept)
        tested = set(proven)
        while True:
            untested = [k for k in kept if k not in tested]
            if not untested or self.left() <= 0.05:
                return kept, proven
            key = untested[0]
            trial = [k for k in kept if k != key]
            status, core = self.solve(m, trial, fixed)
            if status == SolveStatus.INFEASIBLE:
                inside = set(trial if core is None else core)
                kept = [k for k in trial if k in inside]
                continue
            tested.add(key)
            if status == SolveStatus.FEASIBLE:
                proven.add(key)


def model_with_hard_closures(
    inst: Instance, *, disabled: frozenset[RuleKey] = frozenset(), extra_rules: Sequence[Rule] = ()
) -> Model:
    """Stage 1: closed slots are not candidates; every other rule is switchable."""
    return build_model(
        inst, disabled=disabled, switchable=True, hard_closures=True, objective=False, extra_rules=extra_rules
    )


def model_all_switchable(
    inst: Instance, *, disabled: frozenset[RuleKey] = frozenset(), extra_rules: Sequence[Rule] = ()
) -> Model:
    """Stage 2: every slot a candidate, every rule not ``disabled`` switchable."""
    return build_model(inst, disabled=disabled, switchable=True, objective=False, extra_rules=extra_rules)


def find_conflict(
    inst: Instance,
    options: ConflictOptions | None = None,
    *,
    disabled: Iterable[RuleKey] = (),
    extra_rules: Sequence[Rule] = (),
    closures: bool = True,
) -> Conflict:
    """A minimal set of rule keys that cannot all hold (or FEASIBLE / UNKNOWN).

    ``disabled`` keys are off from the start; ``extra_rules`` add facts that are never
    blamed (pinned sessions, a forced slot).  With ``closures=False`` the slot-closing rules
    are facts too (stage 2 is skipped): right when every session's slot is already forced.
    """
    options = options or ConflictOptions()
    started = time.monotonic()
    search = _Search(options, started)
    off = frozenset(disabled)

    def done(status: SolveStatus, keys: Iterable[RuleKey] = (), **kw: bool) -> Conflict:
        return Conflict(
            status=status,
            keys=tuple(sorted(keys)),
            solves=search.solves,
            wall_time=round(time.monotonic() - started, 3),
            **kw,
        )

    if options.stop is not None and options.stop.is_set():
        return done(SolveStatus.UNKNOWN)
    m1 = model_with_hard_closures(inst, disabled=off, extra_rules=extra_rules)
    status, core = search.solve(m1, list(m1.switches))
    if status != SolveStatus.INFEASIBLE:
        return done(status)
    core1, proven1 = search.shrink(m1, list(m1.switches) if core is None else core)
    if not closures:
        return done(SolveStatus.INFEASIBLE, core1, minimal=proven1 == set(core1))

    if options.stop is not None and options.stop.is_set():
        return done(SolveStatus.INFEASIBLE, core1, minimal=False, complete=False)
    closing = closing_keys(inst) - off
    others_off = (frozenset(m1.switches) - frozenset(core1) - closing) | off
    m2 = model_all_switchable(inst, disabled=others_off, extra_rules=extra_rules)
    status, core = search.solve(m2, list(m2.switches))
    if status != SolveStatus.INFEASIBLE:
        # out of time: core1 collides with the calendar as written, not narrowed down
        return done(SolveStatus.INFEASIBLE, core1, minimal=False, complete=False)
    # a key proven needed with every closing rule on is needed with fewer of them too
    keys, proven = search.shrink(m2, list(m2.switches) if core is None else core, needed=proven1)
    return done(SolveStatus.INFEASIBLE, keys, minimal=proven == set(keys))


def feasible(
    inst: Instance,
    *,
    time_limit: float,
    seed: int = 0,
    disabled: frozenset[RuleKey] = frozenset(),
    extra_rules: Sequence[Rule] = (),
    deterministic: bool = False,
) -> SolveStatus:
    """FEASIBLE, INFEASIBLE or UNKNOWN: does any plan exist (no objective)?

    Tuned for a yes/no answer on one core (light presolve, default linearization), which is
    what checking a relaxation needs; several can run at once in threads.  With
    ``deterministic`` the limit is CP-SAT's deterministic time (see :func:`decide`)."""
    status, _ = decide(
        inst,
        time_limit=time_limit,
        seed=seed,
        disabled=disabled,
        extra_rules=extra_rules,
        deterministic=deterministic,
    )
    return status


def decide(
    inst: Instance,
    *,
    time_limit: float,
    seed: int = 0,
    disabled: frozenset[RuleKey] = frozenset(),
    extra_rules: Sequence[Rule] = (),
    deterministic: bool = False,
    stop: threading.Event | None = None,
) -> tuple[SolveStatus, float]:
    """:func:`feasible`, and the deterministic time the solve took.  With ``deterministic``
    the limit counts CP-SAT's deterministic time instead of seconds: the same answer on a
    fast machine and a busy one.  ``stop`` ends it at once (UNKNOWN)."""
    if stop is not None and stop.is_set():
        return SolveStatus.UNKNOWN, 0.0
    m = build_model(inst, disabled=disabled, objective=False, extra_rules=extra_rules)
    limit = max(0.05, time_limit)
    options = SolveOptions(time_limit=limit, seed=seed)
    clock = {"max_deterministic_time": limit, "max_time_in_seconds": float("inf")} if deterministic else {}
    solver = solver_for(options, preset=False, cp_model_probing_level=0, **clock)
    raw, work = solve_stoppable(solver, m.cp, stop)
    return feasibility(status_of(raw)), work


# -- one session moved, everything else pinned -------------------------------------------


def pin_assignment(assignment: Assignment, *, free: str | None = None) -> Rule:
    """A fact (never blamed): every session except ``free`` sits where ``assignment`` has it,
    with the same presenters."""

    def pinned(m: Model) -> None:
        for s in m.instance.sessions:
            if s.id == free or s.id not in assignment.slot:
                continue
            t = assignment.slot[s.id]
            if (s.id, t) in m.x:
                m.cp.add(m.x[s.id, t] == 1)
            else:
                m.cp.add_bool_or([])  # pinned into a slot its rules close: no plan at all
            chosen = assignment.presenters.get(s.id, ())
            for u in s.units:
                m.cp.add(m.p[s.id, u] == int(u in chosen))

    return pinned


def best_move(
    inst: Instance,
    assignment: Assignment,
    session_id: str,
    slot: int,
    *,
    time_limit: float = 5.0,
    seed: int = 0,
) -> tuple[SolveStatus, int | None, tuple[str, ...]]:
    """Everything else pinned, ``session_id`` forced into ``slot``, its presenters free:
    (status, objective, presenters) of the best plan found."""

    def force(m: Model) -> None:
        m.cp.add(m.x[session_id, slot] == 1)

    m = build_model(inst, extra_rules=[pin_assignment(assignment, free=session_id), force])
    solver = solver_for(SolveOptions(time_limit=max(0.05, time_limit), seed=seed), preset=False)
    status = status_of(solver.solve(m.cp))
    if not status.found:
        return feasibility(status), None, ()
    spec = inst.session(session_id)
    chosen = tuple(u for u in spec.units if solver.boolean_value(m.p[session_id, u]))
    return status, round(solver.objective_value), chosen


class MoveProbe:
    """Why one session cannot sit in a given slot while everything else stays put.

    Built once per session (stage-1 model: every other session pinned, this one free among its
    open slots with free presenters); each question assumes the session into one slot and
    asks for a minimal set of rules that forbid it.
    """

    def __init__(
        self, inst: Instance, assignment: Assignment, session_id: str, options: ConflictOptions | None = None
    ) -> None:
        self.options = options or ConflictOptions(time_limit=10.0, step_limit=2.0)
        self.session_id = session_id
        self.model = model_with_hard_closures(inst, extra_rules=[pin_assignment(assignment, free=session_id)])

    def why_not(self, slot: int) -> Conflict:
        """Rules that forbid ``slot`` (FEASIBLE when it is possible after all)."""
        started = time.monotonic()
        search = _Search(self.options, started)
        m = self.model
        if (self.session_id, slot) not in m.x:
            return Conflict(SolveStatus.UNKNOWN)
        fixed = [m.x[self.session_id, slot]]
        status, core = search.solve(m, list(m.switches), fixed)
        if status != SolveStatus.INFEASIBLE:
            return Conflict(status, solves=search.solves, wall_time=round(time.monotonic() - started, 3))
        keys, proven = search.shrink(m, list(m.switches) if core is None else core, fixed)
        return Conflict(
            SolveStatus.INFEASIBLE,
            keys=tuple(sorted(keys)),
            minimal=proven == set(keys),
            solves=search.solves,
            wall_time=round(time.monotonic() - started, 3),
        )


__all__ = [
    "Conflict",
    "ConflictOptions",
    "MoveProbe",
    "best_move",
    "closing_keys",
    "feasible",
    "find_conflict",
    "model_all_switchable",
    "model_with_hard_closures",
    "pin_assignment",
]
