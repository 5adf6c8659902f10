"""Soft rules: the weighted penalties the plan minimises, one function per term.

Each term is registered in :data:`TERMS` under its catalogue name (:data:`arshjul.rules.TERMS`)
and is the same quantity :func:`arshjul.check.score` recomputes in plain Python, so the
solver's objective and the checker's always agree.  A term whose weight is 0 is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from ortools.sat.python import cp_model

from .. import rules
from ..instance import SessionSpec
from .model import Model

TermBuilder = Callable[[Model], cp_model.LinearExprT]

TERMS: dict[str, TermBuilder] = {}
"""Term name → the function that builds it, in the catalogue's order of terms."""


def term(name: str) -> Callable[[TermBuilder], TermBuilder]:
    """Register a term builder under its catalogue name."""

    def register(build: TermBuilder) -> TermBuilder:
        if name not in rules.TERMS or name in TERMS:
            raise ValueError(f"'{name}' cannot be registered as an objective term")
        TERMS[name] = build
        return build

    return register


@term(rules.MATCH)
def match(m: Model) -> cp_model.LinearExprT:
    """Interest weight left unpresented: Σ over (theme, interested region) of the weight
    when the region presents on none of the theme's dialogs."""
    inst = m.instance
    total: list[cp_model.LinearExprT] = []
    for theme in inst.themes.values():
        for code, weight in theme.interest.items():
            terms = [v for sid in theme.sessions for v in m.presents(inst.session(sid), code)]
            if not terms:
                total.append(weight)
                continue
            if len(theme.sessions) == 1 or _theme_once_holds(m, code):
                # at most one presentation per theme: the sum itself is 0 or 1, and as a plain
                # linear term it stays in the LP relaxation (a helper literal would become a
                # clause that the default linearization leaves out).
                total.append(weight * (1 - sum(terms)))
                continue
            met = m.cp.new_bool_var(f"match[{theme.id},{code}]")
            m.cp.add(met <= sum(terms))
            total.append(weight * (1 - met))
    return sum(total)


def _theme_once_holds(m: Model, code: str) -> bool:
    key = (rules.REGION_THEME_ONCE, code)
    return key not in m.disabled and not m.switchable


@term(rules.COVERAGE)
def coverage(m: Model) -> cp_model.LinearExprT:
    """Regions interested in some theme that present nowhere."""
    inst = m.instance
    total: list[cp_model.LinearExprT] = []
    for code in covered_regions(m):
        terms = [v for s in inst.dialogs() for v in m.presents(s, code)]
        if not terms:
            total.append(1)
            continue
        met = m.cp.new_bool_var(f"cover[{code}]")
        m.cp.add(met <= sum(terms))
        total.append(1 - met)
    return sum(total)


def covered_regions(m: Model) -> list[str]:
    inst = m.instance
    return [c for c in inst.regions if any(c in t.interest for t in inst.themes.values())]


@term(rules.SPREAD)
def spread(m: Model) -> cp_model.LinearExprT:
    """Sessions in the busiest month (all kinds): an even spread keeps this low."""
    inst = m.instance
    by_month: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for s in inst.sessions:
        for t in m.candidates[s.id]:
            d = inst.slots[t].date
            by_month[d.year, d.month].append(m.x[s.id, t])
    peak = m.cp.new_int_var(0, len(inst.sessions), "spread")
    for xs in by_month.values():
        m.cp.add(peak >= sum(xs))
    return peak


@term(rules.PREFERRED_MONTH)
def preferred_month(m: Model) -> cp_model.LinearExprT:
    """Dialogs held outside their theme's preferred months."""
    inst = m.instance
    total: list[cp_model.LinearExprT] = []
    for s in inst.dialogs():
        if not inst.themes[s.theme or ""].preferred_months:
            continue
        inside = [m.x[s.id, t] for t in m.candidates[s.id] if not outside_preferred_month(m, s, t)]
        total.append(1 - sum(inside))
    return sum(total)


def outside_preferred_month(m: Model, s: SessionSpec, slot: int) -> bool:
    """A dialog in ``slot`` is outside its theme's preferred months (:func:`preferred_month`;
    the neighbourhood search aims pieces at such dialogs)."""
    if s.kind != "dialog":
        return False
    months = m.instance.themes[s.theme or ""].preferred_months
    return bool(months) and m.instance.slots[slot].date.month not in months


@term(rules.BALANCE)
def balance(m: Model) -> cp_model.LinearExprT:
    """Presenters in the fullest dialog minus presenters in the emptiest one."""
    dialogs = m.instance.dialogs()
    if len(dialogs) < 2:
        return 0
    top = max(s.max_presenters for s in dialogs)
    hi = m.cp.new_int_var(0, top, "balance_hi")
    lo = m.cp.new_int_var(0, top, "balance_lo")
    for s in dialogs:
        n = sum(m.p[s.id, u] for u in s.units)
        m.cp.add(hi >= n)
        m.cp.add(lo <= n)
    return hi - lo


def add_objective(m: Model, extra: Mapping[str, tuple[int, TermBuilder]] | None = None) -> None:
    """Minimise Σ weight × term over the terms with a non-zero weight.

    ``extra`` adds named terms with their weights (replanning adds its change costs here).
    """
    weights = m.instance.weights
    builders: dict[str, tuple[int, TermBuilder]] = {
        name: (weights.get(name, 0), build) for name, build in TERMS.items()
    }
    builders.update(extra or {})
    parts = []
    for name, (weight, build) in builders.items():
        if weight == 0:
            continue
        term = build(m)
        m.terms[name] = term
        parts.append(weight * term)
    m.cp.minimize(sum(parts))
