"""How far a plan is from another one, in plain Python: the change costs of replanning and the
pull towards last year's months.

- ``moved``: a session not in its previous slot (date and slot id);
- ``presenters_changed``: presenter units added to or dropped from a dialog;
- ``same_month`` (given last year's plan, also for ordinary planning): a dialog held in
  another month than its theme's dialog last year — the *årshjul*, each area in the same
  season every year.

The solver counts the same (:mod:`arshjul.cpsat.replan`), so a plan's recomputed terms
(:func:`plan_terms`) sum to its objective.  No solver import.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import rules
from .check import check
from .instance import Assignment, Instance
from .plan import Plan, Session

CHANGE_TERMS = (rules.MOVED, rules.PRESENTERS_CHANGED)
"""The change terms every replan scores (``same_month`` only when last year is given)."""


@dataclass(frozen=True)
class ChangeWeights:
    """Weights of the change costs, against the scenario's own weights (coverage 40, …)."""

    moved: int = 50
    """Per session not in its previous slot: people already put it in their calendars."""
    presenters_changed: int = 10
    """Per presenter added to or dropped from a dialog: a region must be told."""
    same_month: int = 15
    """Per dialog held in another month than its theme's dialog last year."""


DEFAULT_WEIGHTS = ChangeWeights()


def _units(s: Session) -> set[str]:
    return {p.presenter for p in s.presentations}


def score_changes(previous: Plan, plan: Plan) -> dict[str, int]:
    """Unweighted change terms of ``plan`` against ``previous``, as the model counts them."""
    before = {s.id: s for s in previous.sessions}
    moved = changed = 0
    for s in plan.sessions:
        old = before.get(s.id)
        if old is None:
            continue
        moved += (s.date, s.slot) != (old.date, old.slot)
        changed += len(_units(s) ^ _units(old))
    return {rules.MOVED: moved, rules.PRESENTERS_CHANGED: changed}


def _theme_months(last_year: Plan) -> dict[str, dict[int, int]]:
    """Theme → occurrence → month of that dialog last year."""
    out: dict[str, dict[int, int]] = {}
    for s in last_year.sessions:
        if s.kind == "dialog" and s.theme:
            out.setdefault(s.theme, {})[s.occurrence] = s.date.month
    return out


def months_wanted(last_year: Plan, theme: str | None, occurrence: int) -> frozenset[int]:
    """The month(s) a dialog should keep: its own occurrence's month last year, else every
    month the theme had; empty when the theme is new."""
    by_occurrence = _theme_months(last_year).get(theme or "", {})
    if occurrence in by_occurrence:
        return frozenset({by_occurrence[occurrence]})
    return frozenset(by_occurrence.values())


def score_same_month(last_year: Plan, plan: Plan) -> int:
    """Dialogs held in another month than their theme's dialog last year."""
    n = 0
    for s in plan.sessions:
        if s.kind != "dialog":
            continue
        wanted = months_wanted(last_year, s.theme, s.occurrence)
        n += bool(wanted) and s.date.month not in wanted
    return n


def themes_kept_month(last_year: Plan, plan: Plan) -> tuple[int, int]:
    """(themes whose every dialog kept last year's month, themes held in both years)."""
    themes: dict[str, bool] = {}
    for s in plan.sessions:
        if s.kind != "dialog" or not s.theme:
            continue
        wanted = months_wanted(last_year, s.theme, s.occurrence)
        if not wanted:
            continue
        themes[s.theme] = themes.get(s.theme, True) and s.date.month in wanted
    return sum(themes.values()), len(themes)


def plan_terms(
    inst: Instance,
    plan: Plan,
    *,
    weights: ChangeWeights = DEFAULT_WEIGHTS,
    previous: Plan | None = None,
    last_year: Plan | None = None,
) -> dict[str, int]:
    """Weighted terms of a plan: the scenario's, then the change and rhythm terms in use."""
    terms = dict(check(inst, plan).weighted)
    if previous is not None:
        for name, value in score_changes(previous, plan).items():
            w = getattr(weights, name)
            if w:
                terms[name] = w * value
    if last_year is not None and weights.same_month:
        terms[rules.SAME_MONTH] = weights.same_month * score_same_month(last_year, plan)
    return terms


# -- a previous plan in an instance's terms ---------------------------------------------------


@dataclass(frozen=True)
class Placed:
    """Where a previous plan had each session of an instance: what a change is counted
    against, and where a replan's search starts."""

    slot: dict[str, int | None]
    """Session → the slot index it had (``None`` when that slot is no longer in the
    scenario); sessions the instance no longer has are left out, new ones are not in it."""
    units: dict[str, tuple[str, ...]]
    """Dialog → the presenter units it had."""

    def start(self) -> Assignment:
        """The previous plan as a search start: with the change costs it is usually optimal
        or close, so the search begins near the answer."""
        return Assignment(
            slot={sid: t for sid, t in self.slot.items() if t is not None},
            presenters=dict(self.units),
        )


def placed(inst: Instance, previous: Plan) -> Placed:
    """The sessions of ``previous`` that ``inst`` still has, by slot index and presenters."""
    specs = {s.id: s for s in inst.sessions}
    index = {(t.date, t.slot): t.index for t in inst.slots}
    sessions = [s for s in previous.sessions if s.id in specs]
    return Placed(
        slot={s.id: index.get((s.date, s.slot)) for s in sessions},
        units={
            s.id: tuple(p.presenter for p in s.presentations)
            for s in sessions
            if specs[s.id].kind == "dialog"
        },
    )


__all__ = [
    "CHANGE_TERMS",
    "DEFAULT_WEIGHTS",
    "ChangeWeights",
    "Placed",
    "months_wanted",
    "placed",
    "plan_terms",
    "score_changes",
    "score_same_month",
    "themes_kept_month",
]
