"""Change costs for replanning, the yearly-rhythm pull, and which frozen sessions collide.

The term builders return :data:`~arshjul.cpsat.objective.TermBuilder` functions for
``build_model(extra_terms=...)``.  Each counts exactly what :mod:`arshjul.replan` recomputes
in plain Python (``score_changes``, ``score_same_month``), so the solver's objective and the
plan's recomputed one agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ortools.sat.python import cp_model

from ..instance import Instance, RuleKey
from .model import Model
from .objective import TermBuilder
from .solve import SolveOptions, build_model, run


def moved_term(previous_slot: Mapping[str, int | None]) -> TermBuilder:
    """Sessions not in their previous slot.

    ``previous_slot`` maps a session id to the slot index it had (``None`` when that slot no
    longer exists); sessions not in the map are new and cost nothing.
    """

    def build(m: Model) -> cp_model.LinearExprT:
        total: list[cp_model.LinearExprT] = []
        for s in m.instance.sessions:
            if s.id not in previous_slot:
                continue
            t = previous_slot[s.id]
            if t is not None and t in m.candidates[s.id]:
                total.append(1 - m.x[s.id, t])
            else:
                total.append(1)  # its slot is closed or gone: it moves whatever we do
        return sum(total)

    return build


def presenters_changed_term(previous_units: Mapping[str, Iterable[str]]) -> TermBuilder:
    """Presenter units added to or dropped from each dialog, against the previous plan."""

    def build(m: Model) -> cp_model.LinearExprT:
        total: list[cp_model.LinearExprT] = []
        for s in m.instance.dialogs():
            if s.id not in previous_units:
                continue
            before = set(previous_units[s.id])
            for u in s.units:
                total.append(1 - m.p[s.id, u] if u in before else m.p[s.id, u])
            total.append(len(before - set(s.units)))  # no longer eligible: dropped for sure
        return sum(total)

    return build


def same_month_term(months: Mapping[str, frozenset[int]]) -> TermBuilder:
    """Dialogs held outside the month(s) their theme had last year (``months``: dialog id →
    last year's months; dialogs not in the map have no such pull)."""

    def build(m: Model) -> cp_model.LinearExprT:
        inst = m.instance
        total: list[cp_model.LinearExprT] = []
        for s in inst.dialogs():
            wanted = months.get(s.id)
            if not wanted:
                continue
            inside = [m.x[s.id, t] for t in m.candidates[s.id] if inst.slots[t].date.month in wanted]
            total.append(1 - sum(inside))
        return sum(total)

    return build


def _feasible(
    instance: Instance,
    disabled: frozenset[RuleKey],
    options: SolveOptions,
    extra_rules: Iterable[Callable[[Model], None]],
) -> bool | None:
    """True/False when the solver proves it, None when it runs out of time."""
    m = build_model(instance, disabled=disabled, objective=False, extra_rules=list(extra_rules))
    status = run(m, options).status
    if status in ("OPTIMAL", "FEASIBLE"):
        return True
    if status == "INFEASIBLE":
        return False
    return None


def frozen_conflicts(
    instance: Instance,
    frozen: Mapping[str, Iterable[RuleKey]],
    options: SolveOptions,
    *,
    extra_rules: Iterable[Callable[[Model], None]] = (),
) -> tuple[list[str] | None, bool]:
    """Which frozen sessions together leave the rest no plan (a deletion filter).

    ``frozen`` maps each frozen session to the rule keys that freeze it.  Returns
    ``(sessions, complete)``: ``sessions`` is ``None`` when the year has no plan even with
    nothing frozen (the freeze is not the cause; ``complete`` says whether that is proven),
    else a set of frozen sessions that alone already leaves the rest infeasible, minimal
    when ``complete`` (no check ran out of time).
    """
    keys = {sid: frozenset(ks) for sid, ks in frozen.items()}
    every = frozenset(k for ks in keys.values() for k in ks)
    verdict = _feasible(instance, every, options, extra_rules)
    if verdict is not True:
        return None, verdict is False
    kept = list(keys)
    complete = True
    for sid in list(kept):
        trial = [k for k in kept if k != sid]
        off = frozenset(k for other, ks in keys.items() if other not in trial for k in ks)
        trial_verdict = _feasible(instance, off, options, extra_rules)
        if trial_verdict is False:
            kept = trial  # still infeasible without freezing sid: sid is not needed
        elif trial_verdict is None:
            complete = False
    return kept, complete


__all__ = ["frozen_conflicts", "moved_term", "presenters_changed_term", "same_month_term"]
