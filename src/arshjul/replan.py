"""Replanning mid-year without breaking what was sent.

Mid-year some invitations are out.  :func:`replan` keeps every session of the previous plan
that starts before a date (and every pinned one) exactly as it was — date, slot,
presenters — and re-solves the rest with the normal objective plus the change costs of
:mod:`arshjul.changes` (``moved``, ``presenters_changed``, and ``same_month`` given last
year's plan).  What to tell whom is :mod:`arshjul.replan_report`.

Freezing works through the instance, so the model and the independent checker both see it:
a frozen session's every other slot is closed by the rule key ``("session_frozen", id)``
and its presenters are pinned.  A frozen session whose slot the new scenario closes (a new
blackout, say) cannot stay; it is *released* — free to move — and reported.  Lead time does
not apply to frozen sessions (they were announced long ago); sessions that are not frozen
cannot be placed before the freeze date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import rules
from .api import solve
from .changes import DEFAULT_WEIGHTS, ChangeWeights, placed, score_changes
from .cpsat.replan import frozen_conflicts
from .errors import ScenarioError
from .instance import Instance, RuleKey, build_instance
from .options import ProgressCallback, SolveOptions, SolveStatus, options_from
from .plan import Plan
from .revision import PlanDiff, diff_plans
from .scenario import Scenario

FROZEN = rules.SESSION_FROZEN
"""Closes every other slot to a frozen session (the catalogue's name)."""
PINNED = rules.SESSION_PINNED
"""Pins a frozen dialog's presenters (see ``cpsat.constraints``)."""
BEFORE_FREEZE = rules.REPLAN_FROZEN_UNTIL
"""Closes the days before the freeze date to sessions not frozen."""


@dataclass
class Freeze:
    """An instance with the frozen part fixed, and what could not be frozen."""

    instance: Instance
    frozen: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    """Frozen or pinned sessions of the previous plan that the new scenario no longer has."""
    released: tuple[tuple[str, str], ...] = ()
    """(session, why) for frozen sessions that cannot stay as they were."""
    keys: dict[str, tuple[RuleKey, ...]] = field(default_factory=dict)
    """Frozen session → the rule keys that freeze it (switched off to find conflicts)."""


def freeze(
    inst: Instance,
    previous: Plan,
    *,
    frozen_until: dt.date | None = None,
    pins: Iterable[str] = (),
) -> Freeze:
    """Fix every previous session before ``frozen_until`` and every pinned one in a copy of
    ``inst``."""
    before = {s.id: s for s in previous.sessions}
    pins = list(dict.fromkeys(pins))
    for sid in pins:
        if sid not in before:
            raise ScenarioError(f"no session '{sid}' in the previous plan", field="--pin")
    specs = {s.id: s for s in inst.sessions}
    wanted = [
        sid
        for sid, s in before.items()
        if sid in pins or (frozen_until is not None and s.date < frozen_until)
    ]
    out = Freeze(instance=inst, missing=tuple(sid for sid in wanted if sid not in specs))
    was = placed(inst, previous)
    frozen: list[str] = []
    released: list[tuple[str, str]] = []
    new_specs = []
    for spec in inst.sessions:
        old = before.get(spec.id)
        t = was.slot.get(spec.id)
        if old is None or spec.id not in wanted:
            new_specs.append(_not_frozen(inst, spec, frozen_until))
            continue
        if t is None:
            released.append((spec.id, f"its slot ({old.date} {old.slot}) is no longer in the scenario"))
            new_specs.append(_not_frozen(inst, spec, frozen_until))
            continue
        closing = [k for k in spec.exclusions.get(t, ()) if k[0] != "lead_time"]
        if closing:
            why = ", ".join(f"{rule} {subject}" for rule, subject in closing)
            released.append((spec.id, f"its slot ({old.date} {old.slot}) is now closed: {why}"))
            new_specs.append(_not_frozen(inst, spec, frozen_until))
            continue
        key: RuleKey = (FROZEN, spec.id)
        exclusions = spec.closed_but(t, key, len(inst.slots))
        fixed = None
        keys: tuple[RuleKey, ...] = (key,)
        if spec.kind == "dialog":
            units = was.units.get(spec.id, ())
            gone = [u for u in units if u not in spec.units]
            if gone:
                released.append(
                    (spec.id, f"presenter(s) {', '.join(gone)} may no longer present here; dropped")
                )
            fixed = tuple(u for u in units if u in spec.units)
            keys = (key, (PINNED, spec.id))
        new_specs.append(dataclasses.replace(spec, exclusions=exclusions, fixed_presenters=fixed))
        frozen.append(spec.id)
        out.keys[spec.id] = keys
    out.instance = dataclasses.replace(inst, sessions=new_specs)
    out.frozen = tuple(frozen)
    out.released = tuple(released)
    return out


def _not_frozen(inst: Instance, spec: Any, frozen_until: dt.date | None) -> Any:
    """A session that is re-planned: not before the freeze date (network dates are fixed)."""
    if frozen_until is None or spec.kind == "network":
        return spec
    key: RuleKey = (BEFORE_FREEZE, frozen_until.isoformat())
    exclusions = dict(spec.exclusions)
    for t in inst.slots:
        if t.date >= frozen_until:
            break
        exclusions[t.index] = (*exclusions.get(t.index, ()), key)
    return dataclasses.replace(spec, exclusions=exclusions)


def disabled_for(freeze_keys: Mapping[str, Iterable[RuleKey]], sessions: Iterable[str]) -> frozenset[RuleKey]:
    """The rule keys that unfreeze ``sessions`` (for callers exploring conflicts themselves)."""
    return frozenset(k for sid in sessions for k in freeze_keys.get(sid, ()))


# -- replanning -------------------------------------------------------------------------------


@dataclass
class ReplanResult:
    """A replanned year and everything the planner must be told about it."""

    plan: Plan
    """The new plan (SEQUENCE carried over from the previous one), or one without sessions."""
    instance: Instance
    """The instance with the frozen sessions fixed: check the plan against this one."""
    previous: Plan
    frozen: tuple[str, ...]
    missing: tuple[str, ...]
    released: tuple[tuple[str, str], ...]
    changes: dict[str, int] = field(default_factory=dict)
    """Unweighted change terms (``moved``, ``presenters_changed``)."""
    conflicts: tuple[str, ...] | None = None
    """When there is no plan: frozen sessions that together leave the rest infeasible
    (``None`` when the freeze is not the cause, or there is a plan)."""
    conflict_rules: tuple[RuleKey, ...] = ()
    """The scenario's rules the frozen sessions collide with (when the finder names them)."""
    conflicts_complete: bool = True
    notes: tuple[str, ...] = ()

    @property
    def diff(self) -> PlanDiff:
        return diff_plans(self.previous, self.plan)


def replan(
    scenario: Scenario | Instance,
    previous: Plan,
    options: SolveOptions | None = None,
    *,
    frozen_until: dt.date | None = None,
    pins: Iterable[str] = (),
    last_year: Plan | None = None,
    weights: ChangeWeights = DEFAULT_WEIGHTS,
    explain: bool = True,
    progress: ProgressCallback | None = None,
    **overrides: Any,
) -> ReplanResult:
    """Re-solve the year keeping the frozen part exactly; see the module docstring.

    ``options`` and keyword overrides as for :func:`arshjul.solve`; ``warm_start`` starts
    the search from the previous plan (without it, from nothing).  With no plan and
    ``explain``, names the frozen sessions that collide and the rules they collide with (at
    most ``time_limit / 2`` seconds per search).
    """
    options = options_from(options, overrides)
    inst = scenario if isinstance(scenario, Instance) else build_instance(scenario)
    fz = freeze(inst, previous, frozen_until=frozen_until, pins=pins)
    notes: list[str] = []
    if previous.scenario_id != inst.scenario_id:
        notes.append(
            f"the previous plan is of scenario '{previous.scenario_id}', this one is "
            f"'{inst.scenario_id}': calendar UIDs differ, so invitations would arrive as "
            "new meetings"
        )
    plan = solve(
        fz.instance,
        options,
        progress=progress,
        previous=previous,
        last_year=last_year,
        weights=weights,
    )
    out = ReplanResult(
        plan=plan,
        instance=fz.instance,
        previous=previous,
        frozen=fz.frozen,
        missing=fz.missing,
        released=fz.released,
        notes=tuple(notes),
    )
    if plan.found:
        out.changes = score_changes(previous, plan)
    elif plan.status == SolveStatus.INFEASIBLE and explain and fz.keys:
        check_options = dataclasses.replace(options, time_limit=max(1.0, options.time_limit / 2))
        found = frozen_conflicts(fz.instance, fz.keys, check_options)
        if found is not None:
            out.conflicts = found.sessions
            out.conflict_rules = found.rules
            out.conflicts_complete = found.complete
    return out


__all__ = [
    "BEFORE_FREEZE",
    "FROZEN",
    "PINNED",
    "Freeze",
    "ReplanResult",
    "disabled_for",
    "freeze",
    "replan",
]
