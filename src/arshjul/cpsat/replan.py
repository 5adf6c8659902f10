"""Change costs for replanning, the yearly-rhythm pull, and which frozen sessions collide.

The term builders return :data:`~arshjul.cpsat.objective.TermBuilder` functions for
``build_model(extra_terms=...)``.  Each counts exactly what :mod:`arshjul.changes` recomputes
in plain Python (``score_changes``, ``score_same_month``), so the solver's objective and the
plan's recomputed one agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..instance import Instance, RuleKey
from ..options import SolveOptions, SolveStatus
from .conflicts import ConflictOptions, find_conflict
from .model import Model
from .objective import TermBuilder
from .solve import build_model, feasibility, run


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
    extra_rules: Sequence[Callable[[Model], None]],
) -> bool | None:
    """True/False when the solver proves it, None when it runs out of time."""
    m = build_model(instance, disabled=disabled, objective=False, extra_rules=extra_rules)
    status = feasibility(run(m, options).status)
    if status == SolveStatus.UNKNOWN:
        return None
    return status == SolveStatus.FEASIBLE


@dataclass(frozen=True)
class FrozenConflict:
    """Frozen sessions that leave the rest of the year no plan, and what they collide with."""

    sessions: tuple[str, ...]
    rules: tuple[RuleKey, ...] = ()
    """The other rule instances in the collision (empty when the fallback search ran)."""
    complete: bool = True
    """False when some check ran out of time: the lists may be longer than needed."""


def frozen_conflicts(
    instance: Instance,
    frozen: Mapping[str, Iterable[RuleKey]],
    options: SolveOptions,
    *,
    extra_rules: Sequence[Callable[[Model], None]] = (),
) -> FrozenConflict | None:
    """Which frozen sessions collide with the rest, or ``None`` when the freeze is not the
    cause (the year has no plan even with nothing frozen, or that is not proven in time).

    ``frozen`` maps each frozen session to the rule keys that freeze it.  The general
    conflict finder (:mod:`.conflicts`) names a minimal set of rules that cannot all hold;
    every such set contains a freezing key once the year is solvable without them.  If it
    is missing or gives no answer, a deletion filter over the frozen sessions does.
    """
    keys = {sid: frozenset(ks) for sid, ks in frozen.items()}
    every = frozenset(k for ks in keys.values() for k in ks)
    if _feasible(instance, every, options, extra_rules) is not True:
        return None
    owner = {k: sid for sid, ks in keys.items() for k in ks}
    try:
        found = find_conflict(
            instance,
            ConflictOptions(time_limit=options.time_limit, seed=options.seed),
            extra_rules=list(extra_rules),
        )
    except Exception:  # pragma: no cover - fall back to the deletion filter below
        found = None
    if found is not None and found.status == SolveStatus.INFEASIBLE:
        sessions = tuple(dict.fromkeys(owner[k] for k in found.keys if k in owner))
        if sessions:
            rules = tuple(k for k in found.keys if k not in owner)
            return FrozenConflict(sessions, rules, found.minimal and found.complete)
    return _deletion_filter(instance, keys, options, extra_rules)


def _deletion_filter(
    instance: Instance,
    keys: Mapping[str, frozenset[RuleKey]],
    options: SolveOptions,
    extra_rules: Sequence[Callable[[Model], None]],
) -> FrozenConflict:
    """Unfreeze one session at a time; keep it unfrozen when the rest stays infeasible."""
    kept = list(keys)
    complete = True
    for sid in list(kept):
        trial = [k for k in kept if k != sid]
        off = frozenset(k for other, ks in keys.items() if other not in trial for k in ks)
        verdict = _feasible(instance, off, options, extra_rules)
        if verdict is False:
            kept = trial  # still infeasible without freezing sid: sid is not needed
        elif verdict is None:
            complete = False
    return FrozenConflict(tuple(kept), (), complete)


__all__ = [
    "FrozenConflict",
    "frozen_conflicts",
    "moved_term",
    "presenters_changed_term",
    "same_month_term",
]
