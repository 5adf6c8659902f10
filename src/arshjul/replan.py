"""Replanning mid-year without breaking what was sent, and the pull towards last year's rhythm.

Mid-year some invitations are out.  :func:`replan` keeps every session of the previous plan
that starts before a date (and every pinned one) exactly as it was — date, slot,
presenters — and re-solves the rest with the normal objective plus change costs:

- ``moved``: a session not in its previous slot (date and slot id);
- ``presenters_changed``: presenter units added to or dropped from a dialog;
- ``same_month`` (given last year's plan, also for ordinary planning): a dialog held in
  another month than its theme's dialog last year — the *årshjul*, each area in the same
  season every year.

Freezing works through the instance, so the model and the independent checker both see it:
a frozen session's every other slot is closed by the rule key ``("session_frozen", id)``
and its presenters are pinned.  A frozen session whose slot the new scenario closes (a new
blackout, say) cannot stay; it is *released* — free to move — and reported.  Lead time does
not apply to frozen sessions (they were announced long ago); sessions that are not frozen
cannot be placed before the freeze date.

No solver import at module level: :func:`score_changes` and the reports are plain Python.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .check import check
from .errors import ScenarioError
from .instance import Instance, RuleKey, build_instance
from .plan import Plan, Session
from .revision import Move, PlanDiff, carry_sequences, diff_plans
from .scenario import Scenario

if TYPE_CHECKING:
    from .cpsat import Progress

FROZEN = "session_frozen"
"""Rule key name that closes every other slot to a frozen session."""
PINNED = "session_pinned"
"""Rule key name that pins a frozen dialog's presenters (see ``cpsat.constraints``)."""
BEFORE_FREEZE = "replan_frozen_until"
"""Rule key name that closes the days before the freeze date to sessions not frozen."""

CHANGE_TERMS = ("moved", "presenters_changed")


@dataclass(frozen=True)
class ChangeWeights:
    """Weights of the change costs, against the scenario's own weights (coverage 40, …)."""

    moved: int = 50
    """Per session not in its previous slot: people already put it in their calendars."""
    presenters_changed: int = 10
    """Per presenter added to or dropped from a dialog: a region must be told."""
    same_month: int = 15
    """Per dialog held in another month than its theme's dialog last year."""


# -- plain-Python scores --------------------------------------------------------------------


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
    return {"moved": moved, "presenters_changed": changed}


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


# -- freezing ---------------------------------------------------------------------------------


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
    previous_slot: dict[str, int | None] = field(default_factory=dict)
    previous_units: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _slot_index(inst: Instance) -> dict[tuple[dt.date, str], int]:
    return {(t.date, t.slot): t.index for t in inst.slots}


def freeze(
    inst: Instance,
    previous: Plan,
    *,
    frozen_until: dt.date | None = None,
    pins: Iterable[str] = (),
) -> Freeze:
    """Fix every previous session before ``frozen_until`` and every pinned one in a copy of
    ``inst``; record previous slots and presenters for the change costs."""
    before = {s.id: s for s in previous.sessions}
    pins = list(dict.fromkeys(pins))
    for sid in pins:
        if sid not in before:
            raise ScenarioError(f"no session '{sid}' in the previous plan", field="--pin")
    specs = {s.id: s for s in inst.sessions}
    index = _slot_index(inst)
    wanted = [
        sid
        for sid, s in before.items()
        if sid in pins or (frozen_until is not None and s.date < frozen_until)
    ]
    missing = tuple(sid for sid in wanted if sid not in specs)
    out = Freeze(instance=inst, missing=missing)
    out.previous_slot = {sid: index.get((s.date, s.slot)) for sid, s in before.items() if sid in specs}
    out.previous_units = {
        sid: tuple(p.presenter for p in s.presentations)
        for sid, s in before.items()
        if sid in specs and specs[sid].kind == "dialog"
    }
    frozen: list[str] = []
    released: list[tuple[str, str]] = []
    new_specs = []
    for spec in inst.sessions:
        old = before.get(spec.id)
        t = out.previous_slot.get(spec.id)
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
        exclusions = {u: (*spec.exclusions.get(u, ()), key) for u in range(len(inst.slots)) if u != t}
        fixed = None
        keys: tuple[RuleKey, ...] = (key,)
        if spec.kind == "dialog":
            units = out.previous_units.get(spec.id, ())
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


# -- solving ----------------------------------------------------------------------------------


def _extra_terms(
    inst: Instance,
    weights: ChangeWeights,
    fz: Freeze | None,
    last_year: Plan | None,
) -> dict[str, Any]:
    from .cpsat.replan import moved_term, presenters_changed_term, same_month_term

    extra: dict[str, Any] = {}
    if fz is not None:
        extra["moved"] = (weights.moved, moved_term(fz.previous_slot))
        extra["presenters_changed"] = (
            weights.presenters_changed,
            presenters_changed_term(fz.previous_units),
        )
    if last_year is not None:
        months = {s.id: months_wanted(last_year, s.theme, s.occurrence) for s in inst.dialogs()}
        extra["same_month"] = (
            weights.same_month,
            same_month_term({k: v for k, v in months.items() if v}),
        )
    return extra


def _options(time_limit: float, workers: int, seed: int, gap: float | None, **search: Any) -> Any:
    from .cpsat import SolveOptions

    return SolveOptions(time_limit=time_limit, workers=workers, seed=seed, gap=gap, **search)


def plan_terms(
    inst: Instance,
    plan: Plan,
    *,
    weights: ChangeWeights = ChangeWeights(),
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
        terms["same_month"] = weights.same_month * score_same_month(last_year, plan)
    return terms


def _solve(
    inst: Instance,
    *,
    fz: Freeze | None,
    previous: Plan | None,
    last_year: Plan | None,
    weights: ChangeWeights,
    options: Any,
    progress: Callable[[Progress], None] | None,
    hint: bool = False,
) -> Plan:
    from .cpsat import solve as cpsat_solve

    start = None
    if fz is not None and hint:
        from .cpsat.replan import previous_assignment

        start = previous_assignment(fz.previous_slot, fz.previous_units)
    result = cpsat_solve(
        inst,
        options,
        progress=progress,
        hint=start,
        extra_terms=_extra_terms(inst, weights, fz, last_year),
    )
    from .api import result_plan

    plan = result_plan(inst, result, seed=options.seed)
    if not plan.found:
        return plan
    if previous is not None:
        plan = carry_sequences(plan, previous)
    plan.terms = plan_terms(inst, plan, weights=weights, previous=previous, last_year=last_year)
    return plan


def solve_year(
    scenario: Scenario | Instance,
    *,
    last_year: Plan | None = None,
    weights: ChangeWeights = ChangeWeights(),
    time_limit: float = 60.0,
    workers: int = 1,
    seed: int = 0,
    gap: float | None = None,
    stall: float | None = None,
    preset: str = "auto",
    warm_start: bool = True,
    progress: Callable[[Progress], None] | None = None,
) -> Plan:
    """Plan a year like ``arshjul.solve``, pulled towards last year's months when given."""
    inst = scenario if isinstance(scenario, Instance) else build_instance(scenario)
    return _solve(
        inst,
        fz=None,
        previous=None,
        last_year=last_year,
        weights=weights,
        options=_options(time_limit, workers, seed, gap, stall=stall, preset=preset, warm_start=warm_start),
        progress=progress,
    )


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
    *,
    frozen_until: dt.date | None = None,
    pins: Iterable[str] = (),
    last_year: Plan | None = None,
    weights: ChangeWeights = ChangeWeights(),
    time_limit: float = 60.0,
    workers: int = 1,
    seed: int = 0,
    gap: float | None = None,
    stall: float | None = None,
    preset: str = "auto",
    explain: bool = True,
    hint: bool = True,
    progress: Callable[[Progress], None] | None = None,
) -> ReplanResult:
    """Re-solve the year keeping the frozen part exactly; see the module docstring.

    With no plan and ``explain``, names the frozen sessions that collide and the rules they
    collide with (at most ``time_limit / 2`` seconds per search).  ``hint`` starts the
    search from the previous plan; without it, the search starts from nothing.
    """
    inst = scenario if isinstance(scenario, Instance) else build_instance(scenario)
    fz = freeze(inst, previous, frozen_until=frozen_until, pins=pins)
    notes: list[str] = []
    if previous.scenario_id != inst.scenario_id:
        notes.append(
            f"the previous plan is of scenario '{previous.scenario_id}', this one is "
            f"'{inst.scenario_id}': calendar UIDs differ, so invitations would arrive as "
            "new meetings"
        )
    options = _options(time_limit, workers, seed, gap, stall=stall, preset=preset, warm_start=hint)
    plan = _solve(
        fz.instance,
        fz=fz,
        previous=previous,
        last_year=last_year,
        weights=weights,
        options=options,
        progress=progress,
        hint=hint,
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
    elif plan.status == "INFEASIBLE" and explain and fz.keys:
        from .cpsat.replan import frozen_conflicts

        check_options = dataclasses.replace(options, time_limit=max(1.0, time_limit / 2))
        found = frozen_conflicts(fz.instance, fz.keys, check_options)
        if found is not None:
            out.conflicts = found.sessions
            out.conflict_rules = found.rules
            out.conflicts_complete = found.complete
    return out


# -- telling people -----------------------------------------------------------------------------


def _when(s: Session) -> str:
    return f"{s.date:%a %Y-%m-%d} {s.start:%H:%M}–{s.end:%H:%M}"


def region_notices(previous: Plan, plan: Plan) -> dict[str, list[str]]:
    """Region code → the sentences its contact must be told, in session order."""
    before = {s.id: s for s in previous.sessions}
    after = {s.id: s for s in plan.sessions}
    out: dict[str, list[str]] = {}
    for code in dict.fromkeys([*previous.regions, *plan.regions]):
        lines: list[str] = []
        for sid in dict.fromkeys([*before, *after]):
            old, new = before.get(sid), after.get(sid)
            was = old is not None and code in old.invited
            now = new is not None and code in new.invited
            if not was and not now:
                continue
            title = (new or old).title  # type: ignore[union-attr]
            if was and not now:
                gone = "cancelled" if new is None else "you are no longer invited"
                lines.append(f"{title} on {_when(old)}: {gone}")  # type: ignore[arg-type]
                continue
            assert new is not None
            if not was:
                role = "to present" if code in new.presenting_regions else "to listen"
                lines.append(f"{title} on {_when(new)}: new invitation ({role})")
                continue
            assert old is not None
            if old.start != new.start:
                lines.append(f"{title}: moved from {_when(old)} to {_when(new)}")
            elif old.end != new.end:
                lines.append(f"{title} on {_when(new)}: now ends {new.end:%H:%M} (was {old.end:%H:%M})")
            if code in new.presenting_regions and code not in old.presenting_regions:
                lines.append(f"{title} on {_when(new)}: you now present")
            elif code in old.presenting_regions and code not in new.presenting_regions:
                lines.append(f"{title} on {_when(new)}: you no longer present (still invited to listen)")
        if lines:
            out[code] = lines
    return out


def split_moves(diff: PlanDiff) -> tuple[list[Move], list[Move]]:
    """(sessions that start at another time, sessions that only end at another time —
    a dialog gets shorter or longer when its presenters change)."""
    moved = [m for m in diff.moved if m.from_start != m.to_start]
    return moved, [m for m in diff.moved if m.from_start == m.to_start]


def report_lines(result: ReplanResult) -> list[str]:
    """The replan report a planner reads: what was kept, what changed, who must be told."""
    prev, plan = result.previous, result.plan
    lines = [f"Frozen: {len(result.frozen)} session(s) kept exactly as sent."]
    for sid in result.missing:
        lines.append(f"  not in the new scenario (cancel it): {sid}")
    for sid, why in result.released:
        lines.append(f"  released, {sid}: {why}")
    lines.extend(f"Note: {n}" for n in result.notes)
    if not plan.found:
        return lines
    diff = result.diff
    moved, retimed = split_moves(diff)
    lines.append(
        f"Changes: {len(moved)} moved, {len(diff.added)} added, {len(diff.removed)} removed, "
        f"{len(diff.presenters)} with other presenters; {len(diff.changed)} calendar "
        "entries to update (SEQUENCE raised)"
    )
    for m in moved:
        lines.append(
            f"  moved    {m.title} ({m.session_id}): "
            f"{m.from_start:%Y-%m-%d %H:%M} → {m.to_start:%Y-%m-%d %H:%M}"
        )
    for m in retimed:
        lines.append(
            f"  retimed  {m.title} ({m.session_id}): same start, now ends {m.to_end:%H:%M} "
            f"(was {m.from_end:%H:%M})"
        )
    for sid in diff.added:
        s = plan.session(sid)
        lines.append(f"  added    {s.title} ({sid}): {_when(s)}")
    for sid in diff.removed:
        s = prev.session(sid)
        lines.append(f"  removed  {s.title} ({sid}): was {_when(s)}")
    for pc in diff.presenters:
        parts = []
        if pc.added:
            parts.append("+" + ", +".join(pc.added))
        if pc.dropped:
            parts.append("-" + ", -".join(pc.dropped))
        lines.append(f"  presenters {pc.session_id}: {' '.join(parts)}")
    notices = region_notices(prev, plan)
    if notices:
        lines.append("")
        lines.append("Tell each region:")
        for code, items in notices.items():
            name = plan.regions.get(code) or prev.regions.get(code, code)
            contact = plan.contacts.get(code) or prev.contacts.get(code)
            lines.append(f"  {name} ({code}){f' <{contact}>' if contact else ''}:")
            lines.extend(f"    - {item}" for item in items)
    return lines


def report_data(result: ReplanResult) -> dict[str, Any]:
    """The replan report as JSON-ready data."""
    data: dict[str, Any] = {
        "status": result.plan.status,
        "objective": result.plan.objective,
        "frozen": list(result.frozen),
        "missing": list(result.missing),
        "released": [{"session": s, "why": w} for s, w in result.released],
        "notes": list(result.notes),
        "changes": result.changes,
        "conflicts": None if result.conflicts is None else list(result.conflicts),
    }
    if result.plan.found:
        diff = result.diff
        moved, retimed = split_moves(diff)
        data["moved"] = [
            {
                "session": m.session_id,
                "from": m.from_start.isoformat(),
                "to": m.to_start.isoformat(),
            }
            for m in moved
        ]
        data["retimed"] = [
            {
                "session": m.session_id,
                "end_was": m.from_end.isoformat(),
                "end": m.to_end.isoformat(),
            }
            for m in retimed
        ]
        data["added"] = list(diff.added)
        data["removed"] = list(diff.removed)
        data["presenters"] = [
            {"session": p.session_id, "added": list(p.added), "dropped": list(p.dropped)}
            for p in diff.presenters
        ]
        data["changed"] = list(diff.changed)
        data["regions"] = region_notices(result.previous, result.plan)
    return data


def conflict_lines(result: ReplanResult) -> list[str]:
    """Why a replan has no plan, naming the frozen sessions involved."""
    if result.conflicts is None:
        return [
            "No plan, and unfreezing every session gives none either (or not within the time "
            "limit): the scenario's own rules collide; run 'arshjul explain' on it."
        ]
    prev = {s.id: s for s in result.previous.sessions}
    lines = [
        "No plan: the frozen sessions below, kept as they were, leave the rest of the year no "
        "valid plan"
        + (
            ""
            if result.conflicts_complete
            else " (some checks ran out of time; the list may be longer than needed)"
        )
        + ":"
    ]
    for sid in result.conflicts:
        s = prev.get(sid)
        pres = ", ".join(p.presenter for p in s.presentations) if s else ""
        lines.append(f"  {sid}: {_when(s) if s else ''}{f' (presenters {pres})' if pres else ''}")
    if result.conflict_rules:
        lines.append("They collide with these rules of the scenario:")
        for rule, subject in result.conflict_rules:
            lines.append(f"  {rule} [{subject}]: {_rule_text(rule)}")
    lines.append(
        "Unfreeze one of them (an earlier --frozen-until, or drop its --pin), or change the scenario."
    )
    return lines


def _rule_text(rule: str) -> str:
    """The explanations' sentence for a rule, when that module is there."""
    try:
        from .explain import rule_text
    except ImportError:  # pragma: no cover - explanations are another module's job
        return rule
    return rule_text(rule)


def frozen_json(plan: Plan, ids: Iterable[str]) -> dict[str, Any]:
    """The JSON of the given sessions as the plan file holds them (to prove they did not change)."""
    wanted = set(ids)
    return {s["id"]: s for s in plan.to_dict()["sessions"] if s["id"] in wanted}


def disabled_for(freeze_keys: Mapping[str, Iterable[RuleKey]], sessions: Iterable[str]) -> frozenset[RuleKey]:
    """The rule keys that unfreeze ``sessions`` (for callers exploring conflicts themselves)."""
    return frozenset(k for sid in sessions for k in freeze_keys.get(sid, ()))


__all__ = [
    "ChangeWeights",
    "Freeze",
    "ReplanResult",
    "conflict_lines",
    "disabled_for",
    "freeze",
    "months_wanted",
    "plan_terms",
    "region_notices",
    "replan",
    "report_data",
    "report_lines",
    "score_changes",
    "score_same_month",
    "solve_year",
    "split_moves",
    "themes_kept_month",
]
