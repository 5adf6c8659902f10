"""Large-neighbourhood search: better plans once one worker's tree search has done its work.

With one worker, CP-SAT's own search improved the tight 60-region year's first plan by 0 to
40 points in a minute (of some 11,000).  Here the best plan is improved piece by piece: all
but a few sessions stay exactly as they are (slot and presenters fixed), and CP-SAT solves
the whole model for the sessions left free, starting from where they are.  A piece is the
sessions nearest a random day, or those that touch one region, filled up with the sessions
nearest them in time.  A better plan is taken at once.  A piece solved to its optimum
quickly grows the next one; one that runs out of time shrinks it.

Who presents where is tied across the whole year (four presentations a region, 35 days
apart, each one an invitation under the cap), which a piece of 20 sessions cannot see.  So
on a year of many dialogs and a model of moderate size (:func:`_presenters_free`) every
piece also frees every dialog's presenters: a dialog then moves even where its presenters
must change elsewhere in the year to let it.  Where a piece is much of the year, or the
model is big, that costs more than it gives: there the first piece, and the one after every
better plan, is *wide* instead, every slot kept and every dialog's presenters free (with the
slots fixed CP-SAT solves it to its optimum in seconds).

Every piece is solved on the full model (a copy with the other sessions' variables fixed),
so every plan it returns keeps every rule the model has, and its objective is the model's.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model, cp_model_helper

from ..instance import Assignment
from .model import Model, assignment_of
from .objective import outside_preferred_month

PIECE = 20
"""Sessions freed in the first piece (on the tight 60-region year most 20-session pieces
were solved to their optimum, one worker)."""
PIECE_WORK = 0.4
"""CP-SAT's deterministic time for one piece of a model of :data:`PIECE_VARIABLES` variables
(0.3–0.4 of it solved a 20-session piece of the tight 60-region year, 39,709 variables, to its
optimum, 1.2–2 s on the clock); a bigger model gets proportionally more, since every piece
presolves the whole copy (0.76 and 5.5 s for a 20-session piece of the 240-region two-year
benchmark, 244,442 variables).  Counted in work, not seconds, so the same piece from the same
plan gives the same answer however busy the machine is."""
PIECE_VARIABLES = 40_000
PIECE_SECONDS = 5.0
"""…and at most this long on the clock per :data:`PIECE_VARIABLES` variables (and never past
the time limit)."""
MAX_VARIABLES = 1_000_000
"""Above this many model variables a copy of the model per piece would cost more memory than
the search itself (the 240-region benchmark has 244,442 and peaked at 1.0 GB with a copy)."""


def scale(m: Model) -> float:
    """How many times :data:`PIECE_VARIABLES` the model is (at least once)."""
    return max(1.0, len(m.cp.proto.variables) / PIECE_VARIABLES)


@dataclass(frozen=True)
class Best:
    """The best plan so far, with the model's objective and unweighted terms."""

    assignment: Assignment
    objective: int
    terms: dict[str, int]
    values: tuple[int, ...] = ()
    """Every variable's value in the model the pieces copy, when the plan came from it (else
    empty): a piece hinted with all of them starts from this plan itself."""


class Incumbent:
    """The best plan of neighbourhood searches running side by side (two workers): every
    better plan goes to it, and the searches that follow it start every piece from it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._best: Best | None = None

    def offer(self, best: Best) -> Best:
        """Keep ``best`` if it is better than the shared plan; return the better of the two."""
        with self._lock:
            if self._best is None or best.objective < self._best.objective:
                self._best = best
            return self._best


def piece(m: Model, plan: Assignment, rng: random.Random, size: int) -> set[str]:
    """The sessions to free: nearest a random day, or touching a random region, or a dialog
    held outside its preferred months with the sessions nearest a day inside them (then the
    nearest to those in time) — ``size`` of them, never one whose slot is fixed anyway."""
    inst = m.instance
    movable = [s for s in inst.sessions if len(m.candidates[s.id]) > 1]
    if not movable:
        return set()
    day = {s.id: inst.slots[plan.slot[s.id]].day for s in movable}
    draw = rng.random()
    outside = [s for s in movable if outside_preferred_month(m, s, plan.slot[s.id])]
    if len(outside) > MONTH_OUTSIDE * len(inst.dialogs()):
        outside = []
    if draw < REGION_SHARE:
        code = rng.choice(sorted(inst.regions))
        touching = [
            s.id for s in movable if code in s.invited or any(code in inst.units[u].regions for u in s.units)
        ]
        centre = day[rng.choice(touching)] if touching else rng.randrange(inst.n_days)
        chosen = set(touching[:size])
    elif outside and draw < REGION_SHARE + MONTH_SHARE:
        dialog = rng.choice(outside)
        inside = [t for t in m.candidates[dialog.id] if not outside_preferred_month(m, dialog, t)]
        centre = inst.slots[rng.choice(inside)].day if inside else day[dialog.id]
        chosen = {dialog.id}
    else:
        centre = rng.randrange(inst.n_days)
        chosen = set()
    for s in sorted(movable, key=lambda s: (abs(day[s.id] - centre), s.id)):
        if len(chosen) >= size:
            break
        chosen.add(s.id)
    return chosen


REGION_SHARE = 0.34
"""The share of pieces around a region's sessions…"""
MONTH_SHARE = 0.33
"""…and around a dialog held outside its preferred months, while there is one and at most
:data:`MONTH_OUTSIDE` of the dialogs are (the rest are around a day).  Measured with the
whole search, one worker, tight families, seeds 0-2, 60 s (benchmarks/README.md,
2026-12-07, fourth): at 44 sessions, with 1-2 of 38 dialogs outside, 3,648 / 3,178 /
3,018 against 3,658 / 3,178 / 3,048 without them; at 106, with 12-20 of 100 outside,
9,416 / 9,646 / 9,036 against 9,326 / 9,598 / 8,966.  So many dialogs outside their months
are there by the trade-off with who presents, which a piece around one of them does not
undo."""
MONTH_OUTSIDE = 0.1


FIXED_VARIABLES = 100_000
"""From this many model variables a piece starts from :class:`Fixed` (the other sessions
fixed by their variables' domains) instead of a copy with an equality per fixed session.
Measured piece by piece, the same pieces from the same plan (benchmarks/README.md,
2026-12-07, seventh): at the 240-region two-year benchmark (244,433 variables) six pieces
took 14.1-19.6 s against 24.4-25.0 s, with the same optimum each; at the 60-region year
(39,631) ten pieces took 38.6-39.9 s against 35.6-42.8 s, 5 of them at their work limit
either way, so below this size the equalities stay."""
PRESENTERS_FREE_DIALOGS = 50
"""From this many dialogs every piece frees every dialog's presenters as well as its own
sessions (a 20-session piece then holds at most two-fifths of the dialogs)…"""
PRESENTERS_FREE_VARIABLES = 100_000
"""…on a model of at most this many variables.  Measured with the whole search, one worker,
60 s, seed by seed against the pieces that free only their own presenters with a wide piece
after every better plan (benchmarks/README.md, 2026-12-08, second): on the 60-region years
(100 dialogs, 39,631 variables) 9,286 / 9,553 / 8,856 against 9,376 / 9,556 / 8,821 at 3 in
28, 10,141 / 9,741 / 9,046 against 10,236 / 9,766 / 9,031 at 2 in 28; on the 44-session
years (38 dialogs) worse at all three seeds (3,668 / 3,218 / 3,013 against 3,651 / 3,181 /
3,008); at the 240-region two-year year (244,442 variables) a piece took 4.5 s against
3.0 s for the same gain."""
FIXED_START = 5.0
"""Seconds the search must have left to make its :class:`Fixed` copy (1.0 s at 244,433
variables), so that making it never runs past the time limit."""


class Fixed:
    """The model with every session where the plan has it, by its variables' domains: the
    slot's variable at 1, the session's other slots and its presenters at their values.

    CP-SAT's presolve then starts a piece from fixed variables instead of deriving them from
    an equality per session and the session's exactly-one, which on the 240-region
    benchmark took a quarter to two-fifths off the time of a piece.  The domains follow the
    best plan session by session (:meth:`follow`), so a better plan costs only the sessions
    it moved; a piece copies this model and reopens the sessions it frees (:meth:`opened`).
    Fixing every session the first time takes a while (1.0 s there), so the search makes
    this copy only with :data:`FIXED_START` seconds left."""

    def __init__(self, m: Model) -> None:
        self._m = m
        self._cp = m.cp.clone()
        self._cp.clear_hints()
        self._plan: Assignment | None = None

    def follow(self, plan: Assignment) -> None:
        """Fix every session where ``plan`` has it (only those that moved since the last plan)."""
        m, old = self._m, self._plan
        variables = self._cp.proto.variables
        for s in m.instance.sessions:
            slot, chosen = plan.slot[s.id], plan.presenters.get(s.id, ())
            if old is not None and old.slot.get(s.id) == slot and old.presenters.get(s.id, ()) == chosen:
                continue
            for t in m.candidates[s.id]:
                value = int(t == slot)
                _set_domain(variables[m.x[s.id, t].index], (value, value))
            for u in s.units:
                value = int(u in chosen)
                _set_domain(variables[m.p[s.id, u].index], (value, value))
        self._plan = plan

    def opened(self, free: set[str], loose: set[str]) -> cp_model.CpModel:
        """A copy with the sessions in ``free`` open (slot and presenters) and the presenters
        of those in ``loose``, each variable back to its domain in the model."""
        m = self._m
        sub = self._cp.clone()
        variables, original = sub.proto.variables, m.cp.proto.variables
        for sid in sorted(free | loose):
            indices = [m.p[sid, u].index for u in m.instance.session(sid).units]
            if sid in free:
                indices += [m.x[sid, t].index for t in m.candidates[sid]]
            for i in indices:
                _set_domain(variables[i], original[i].domain)
        return sub


def _presenters_free(m: Model, dialogs: set[str]) -> bool:
    """Every piece frees every dialog's presenters (:data:`PRESENTERS_FREE_DIALOGS`)."""
    return (
        len(dialogs) >= PRESENTERS_FREE_DIALOGS
        and len(m.cp.proto.variables) <= PRESENTERS_FREE_VARIABLES
    )


def _set_domain(variable: cp_model_helper.IntegerVariableProto, domain: Iterable[int]) -> None:
    """Give a variable of a copied model the domain ``domain`` (bounds in pairs)."""
    variable.domain.clear()
    variable.domain.extend(domain)


def _fixed_but(
    m: Model, best: Best, free: set[str], loose: set[str], fixed: Fixed | None = None
) -> cp_model.CpModel:
    """A copy of the model with every session where ``best`` has it, but the sessions in
    ``free`` (slot and presenters open) and the presenters of those in ``loose`` (slot kept),
    hinted with the plan: every variable when ``best`` knows them all, so the piece starts
    from the plan itself (hinted with the slots and presenters alone, 9 of 22 pieces of a
    tight 44-session year ended at their work limit on a plan worse than the one they
    started from), else the slots and presenters.  The other sessions are fixed by an
    equality each, or, with ``fixed`` (which follows ``best``), by their domains."""
    plan = best.assignment
    if fixed is not None:
        fixed.follow(plan)
        sub = fixed.opened(free, loose)
    else:
        sub = m.cp.clone()
    sub.clear_hints()
    whole = len(best.values) == len(m.cp.proto.variables)
    if whole:
        hint = sub.proto.solution_hint
        hint.vars.extend(range(len(best.values)))
        hint.values.extend(best.values)
    for s in m.instance.sessions:
        chosen = set(plan.presenters.get(s.id, ()))
        if s.id in free:
            if not whole:
                for t in m.candidates[s.id]:
                    sub.add_hint(m.x[s.id, t], t == plan.slot[s.id])
        elif fixed is None:
            sub.add(m.x[s.id, plan.slot[s.id]] == 1)
        for u in s.units:
            if s.id in free or s.id in loose:
                if not whole:
                    sub.add_hint(m.p[s.id, u], u in chosen)
            elif fixed is None:
                sub.add(m.p[s.id, u] == int(u in chosen))
    return sub


def _piece_solver(m: Model, seed: int, left: float, settings: dict[str, object]) -> cp_model.CpSolver:
    """A one-worker solver with a piece's budget: :data:`PIECE_WORK` of work and
    :data:`PIECE_SECONDS` on the clock per :data:`PIECE_VARIABLES` variables, ``left`` at most."""
    grown = scale(m)
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = seed
    p.max_deterministic_time = PIECE_WORK * grown
    p.max_time_in_seconds = min(PIECE_SECONDS * grown, left)
    p.catch_sigint_signal = False
    for key, value in settings.items():
        setattr(p, key, value)
    return solver


def improve(
    m: Model,
    best: Best,
    *,
    until: float,
    seed: int,
    halt: threading.Event,
    current: list[cp_model.CpSolver],
    better: Callable[[Best], None],
    bound: float | None,
    settings: dict[str, object],
    shared: Incumbent | None = None,
    follow: bool = True,
) -> Best:
    """Improve ``best`` piece by piece until the clock reaches ``until`` or ``halt`` is set;
    each better plan goes to ``better`` as it is found.  The solver of the piece being solved
    is kept in ``current`` so another thread can stop it.  Stops early at ``bound``.  With
    ``shared``, every better plan goes there too, and (``follow``) each piece starts from
    the best plan of every search sharing it."""
    inst = m.instance
    rng = random.Random(seed)
    size = min(PIECE, max(1, len(inst.sessions) // 2))
    dialogs = {s.id for s in inst.dialogs()}
    big = len(m.cp.proto.variables) >= FIXED_VARIABLES
    fixed: Fixed | None = None
    # every piece re-chooses the year's presenters on a year of many dialogs and a model of
    # moderate size; else the year's presenters first (wide), and again after every better plan
    loose = dialogs if _presenters_free(m, dialogs) else set()
    wide = bool(dialogs) and not loose

    def meet(plan: Best) -> Best:
        """Report ``plan`` to the shared one; the better of the two when following it."""
        if shared is None:
            return plan
        ahead = shared.offer(plan)
        return ahead if follow else plan

    step = 0
    while not halt.is_set():
        best = meet(best)
        left = until - time.monotonic()
        if left < 0.3 or (bound is not None and best.objective <= bound + 1e-6):
            break
        step += 1
        free = set() if wide else piece(m, best.assignment, rng, size)
        if not free and not wide and not (loose and step == 1):
            break  # nothing left to move (with loose presenters: once they have been chosen)
        if big and fixed is None and left >= FIXED_START:
            fixed = Fixed(m)
        sub = _fixed_but(m, best, free, dialogs if wide else loose, fixed)
        solver = _piece_solver(m, seed + step, left, settings)
        current[:] = [solver]
        code = solver.solve(sub)
        current[:] = []
        del sub
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if not wide:  # a piece solved to its optimum grows the next one; else it shrinks
            size = min(len(inst.sessions), size + 2) if code == cp_model.OPTIMAL else max(4, size - 2)
        was_wide, wide = wide, False
        if not found:
            continue
        value = round(solver.objective_value)
        if value < best.objective:
            best = Best(
                assignment=assignment_of(m, solver),
                objective=value,
                terms={name: int(solver.value(expr)) for name, expr in m.terms.items()},
                values=tuple(solver.response_proto.solution),
            )
            better(best)
            wide = bool(dialogs) and not was_wide and not loose
    return meet(best)
