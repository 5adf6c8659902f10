"""Where else: every other slot a session could move to with everything else fixed, the rule
that forbids each slot it cannot use, and the dialogs a region could join."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..check import Violation, check
from ..cpsat.conflicts import MoveProbe, best_move
from ..i18n import _, cli_day, ngettext
from ..instance import Assignment, Instance, RuleKey, SessionSpec, SlotTime
from ..plan import Plan
from ..realize import from_plan, to_plan
from .words import _listed, _violation_dict, rule_text

PRESENTER_RULES = frozenset(
    {
        "presenter_available",
        "region_presentation_cap",
        "region_presentation_gap",
        "region_theme_once",
        "joint_presentation",
    }
)
"""Rules a dialog can meet by changing who presents (invitation rules too, under the
``presenters`` invitation policy)."""

INVITATION_RULES = frozenset({"region_invitation_cap", "region_daily_cap", "region_double_booking"})


@dataclass(frozen=True)
class MoveOption:
    """A slot the session can move to, everything else fixed, and what it costs there."""

    slot: int
    date: dt.date
    slot_id: str
    start: dt.datetime
    objective: int
    delta: int
    """Objective there minus the plan's objective (negative: better)."""
    presenters: tuple[str, ...]
    dropped: tuple[str, ...] = ()
    """Presenters who cannot present on that date (the rule is in ``reasons``)."""
    added: tuple[str, ...] = ()
    """Presenters added to keep the dialog at its min_presenters."""
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Blocked:
    """A slot the session cannot move to, and the rules that forbid it."""

    slot: int
    date: dt.date
    slot_id: str
    rules: tuple[RuleKey, ...]
    message: str
    sessions: tuple[str, ...] = ()
    """Other sessions taking part (e.g. the one too close for host_tempo)."""
    source: str = "closed"
    """``closed`` (the slot is closed to the session), ``checker`` (the moved plan breaks
    these rules whoever presents) or ``solver`` (no choice of presenters works)."""


@dataclass
class Alternatives:
    """Answer to *where else could this session go?*"""

    session_id: str
    title: str
    current: tuple[dt.date, str]
    objective: int
    options: list[MoveOption]
    blocked: list[Blocked]
    presenters_policy: str = (
        "the session keeps its presenters; one who cannot present on a date is dropped (and "
        "replaced when the dialog would fall below min_presenters); everything else stays fixed"
    )
    solves: int = 0
    wall_time: float = 0.0

    def lines(self, limit: int = 15) -> list[str]:
        """For the terminal, in the command line's language (the policy and the checker's
        reasons stay English)."""
        out = [
            _("'{title}' ({session}) is on {day} ({slot}); plan penalty {objective}.").format(
                title=self.title,
                session=self.session_id,
                day=cli_day(self.current[0]),
                slot=self.current[1],
                objective=self.objective,
            ),
            _("Presenters: {policy}.").format(policy=self.presenters_policy),
            "",
            ngettext(
                "{count} other slot is possible; best first:",
                "{count} other slots are possible; best first:",
                len(self.options),
            ).format(count=len(self.options)),
        ]
        for o in sorted(self.options, key=lambda o: (o.delta, o.start))[:limit]:
            change = []
            if o.dropped:
                change.append(_("without {regions}").format(regions=", ".join(o.dropped)))
            if o.added:
                change.append(_("with {regions}").format(regions=", ".join(o.added)))
            extra = f" ({'; '.join(change)})" if change else ""
            penalty = _("penalty {objective}").format(objective=o.objective)
            out.append(f"  {cli_day(o.date)} {o.slot_id:<10} {penalty} ({o.delta:+d}){extra}")
        if len(self.options) > limit:
            out.append(
                "  " + _("… and {count} more (--json lists them all)").format(count=len(self.options) - limit)
            )
        out.append("")
        out.append(
            ngettext(
                "{count} slot is not possible:", "{count} slots are not possible:", len(self.blocked)
            ).format(count=len(self.blocked))
        )
        by_rule: dict[str, list[Blocked]] = defaultdict(list)
        for b in self.blocked:
            label = ", ".join(sorted({r for r, _subject in b.rules}))
            by_rule[label].append(b)
        groups = sorted(by_rule.items(), key=lambda kv: -len(kv[1]))
        for label, items in groups[:limit]:
            subjects = sorted({s for b in items for _rule, s in b.rules})
            example = items[0]
            message = example.message if len(example.message) <= 160 else example.message[:159] + "…"
            slots = ngettext("{count} slot", "{count} slots", len(items)).format(count=len(items))
            example_text = _("e.g. {example}").format(example=f"{example.date} {example.slot_id}: {message}")
            out.append(f"  {label} ({slots}): {_listed(subjects, 4)}\n      {example_text}")
        if len(groups) > limit:
            rest = sum(len(items) for _label, items in groups[limit:])
            out.append(
                "  "
                + ngettext(
                    "… {count} more slot by other combinations of rules (--json lists them all)",
                    "… {count} more slots by other combinations of rules (--json lists them all)",
                    rest,
                ).format(count=rest)
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "title": self.title,
            "current": {"date": self.current[0].isoformat(), "slot": self.current[1]},
            "objective": self.objective,
            "presenters_policy": self.presenters_policy,
            "options": [
                {
                    "slot": o.slot,
                    "date": o.date.isoformat(),
                    "slot_id": o.slot_id,
                    "start": o.start.isoformat(),
                    "objective": o.objective,
                    "delta": o.delta,
                    "presenters": list(o.presenters),
                    "dropped": list(o.dropped),
                    "added": list(o.added),
                    "reasons": list(o.reasons),
                }
                for o in sorted(self.options, key=lambda o: (o.delta, o.start))
            ],
            "blocked": [
                {
                    "slot": b.slot,
                    "date": b.date.isoformat(),
                    "slot_id": b.slot_id,
                    "rules": [list(k) for k in b.rules],
                    "message": b.message,
                    "sessions": list(b.sessions),
                    "source": b.source,
                }
                for b in self.blocked
            ],
            "solves": self.solves,
            "wall_time": self.wall_time,
        }


def _key(v: Violation) -> tuple[str, str]:
    return (v.rule, v.subject)


class _Mover:
    """Re-checks a plan with one session changed (plain Python, about a millisecond)."""

    def __init__(self, inst: Instance, plan: Plan) -> None:
        self.inst = inst
        self.plan = plan
        self.assignment = from_plan(inst, plan)
        self.base = {_key(v) for v in check(inst, plan).violations}

    def moved(
        self, session_id: str, slot: int, presenters: tuple[str, ...] | None = None
    ) -> tuple[Plan, list[Violation], int]:
        a = self.assignment
        pres = dict(a.presenters)
        if presenters is not None:
            pres[session_id] = presenters
        plan = to_plan(
            self.inst, Assignment(slot={**a.slot, session_id: slot}, presenters=pres), status="FEASIBLE"
        )
        report = check(self.inst, plan)
        new = [v for v in report.violations if _key(v) not in self.base]
        return plan, new, report.objective


def _presenter_bound(
    inst: Instance, spec: SessionSpec, v: Violation, units: tuple[str, ...], slot: SlotTime
) -> set[str]:
    """Presenting units of ``spec`` that cause ``v``; empty when changing presenters cannot help."""
    if spec.kind != "dialog":
        return set()
    if v.rule == "dialog_max_presenters" and v.subject == spec.id:
        # a shorter slot: the least interested presenters beyond its capacity step down
        theme = inst.themes[spec.theme or ""]
        by_interest = sorted(
            units,
            key=lambda u: (
                -sum(theme.interest.get(c, 0) for c in inst.units[u].regions),
                inst.units[u].order,
            ),
        )
        return set(by_interest[spec.capacity(slot) :])
    rule_ok = v.rule in PRESENTER_RULES or (v.rule in INVITATION_RULES and spec.invite_presenters)
    if not rule_ok:
        return set()
    if v.rule in INVITATION_RULES and any(c in spec.invited for c in v.regions):
        return set()
    codes = set(v.regions) or ({v.subject} if v.subject in inst.regions else set())
    if v.rule == "joint_presentation":
        return {v.subject} & set(units)
    return {u for u in units if codes & set(inst.units[u].regions)}


def alternatives(
    inst: Instance,
    plan: Plan,
    session_id: str,
    *,
    probe_limit: int = 4,
    time_limit: float = 10.0,
) -> Alternatives:
    """Every other slot ``session_id`` could move to with everything else fixed, with the
    objective there, and for every other slot the rules that forbid it.

    Presenters stay as they are (the objective change is exact, computed by the checker);
    one who cannot present on the new date is dropped, and the dialog is topped up from the
    interested regions when it falls below its minimum.  Closed slots are named from the
    instance's exclusions; an open slot that breaks a rule whatever the presenters is named by
    the checker on the moved plan; only when no choice of presenters was found is the solver
    asked, for at most ``probe_limit`` slots, which rules forbid it.
    """
    started = time.monotonic()
    spec = inst.session(session_id)
    mover = _Mover(inst, plan)
    base_objective = check(inst, plan).objective
    current = mover.assignment.slot.get(session_id)
    units = mover.assignment.presenters.get(session_id, ())
    session = plan.session(session_id)
    options: list[MoveOption] = []
    blocked: list[Blocked] = []
    unresolved: list[tuple[int, list[Violation]]] = []

    for t, slot in enumerate(inst.slots):
        if t == current:
            continue
        keys = spec.exclusions.get(t)
        if keys:
            blocked.append(
                Blocked(t, slot.date, slot.slot, tuple(keys), _closed_message(inst, keys), source="closed")
            )
            continue
        _, new, objective = mover.moved(session_id, t)
        if not new:
            options.append(
                MoveOption(t, slot.date, slot.slot, slot.start, objective, objective - base_objective, units)
            )
            continue
        culprits = [_presenter_bound(inst, spec, v, units, slot) for v in new]
        if not all(culprits):
            fixed = [v for v, c in zip(new, culprits, strict=True) if not c]
            blocked.append(_blocked_by(t, slot, fixed, "checker"))
            continue
        option = _repair(inst, mover, spec, t, units, new, culprits, base_objective)
        if option is not None:
            options.append(option)
        else:
            unresolved.append((t, new))

    probe: MoveProbe | None = None
    solves = 0
    for k, (t, new) in enumerate(unresolved):
        slot = inst.slots[t]
        if k < probe_limit and time.monotonic() - started < time_limit:
            if probe is None:
                probe = MoveProbe(inst, mover.assignment, session_id)
            conflict = probe.why_not(t)
            solves += conflict.solves
            if conflict.status == "FEASIBLE":
                # other presenters than the repair tried make it work: take the best set
                _, best, chosen = best_move(inst, mover.assignment, session_id, t)
                solves += 1
                if best is not None:
                    options.append(
                        MoveOption(
                            t,
                            slot.date,
                            slot.slot,
                            slot.start,
                            best,
                            best - base_objective,
                            tuple(sorted(chosen, key=lambda u: inst.units[u].order)),
                            tuple(u for u in units if u not in chosen),
                            tuple(u for u in chosen if u not in units),
                            tuple(f"{v.rule} [{v.subject}]" for v in new),
                        )
                    )
                    continue
            if conflict.status == "INFEASIBLE" and conflict.keys:
                blocked.append(
                    Blocked(
                        t,
                        slot.date,
                        slot.slot,
                        conflict.keys,
                        "no choice of presenters works: " + _keys_text(conflict.keys),
                        source="solver",
                    )
                )
                continue
        blocked.append(_blocked_by(t, slot, new, "checker"))

    blocked.sort(key=lambda b: b.slot)
    return Alternatives(
        session_id=session_id,
        title=session.title,
        current=(session.date, session.slot),
        objective=base_objective,
        options=options,
        blocked=blocked,
        solves=solves,
        wall_time=round(time.monotonic() - started, 3),
    )


def _closed_message(inst: Instance, keys: Sequence[RuleKey]) -> str:
    parts = []
    for rule, subject in keys:
        if rule == "calendar_weekday":
            parts.append(f"not a meeting weekday ({subject})")
        elif rule in ("calendar_holiday", "calendar_bridge_day", "calendar_half_day"):
            parts.append(f"{rule_text(rule).split(' (')[0]}: {subject}")
        elif rule == "calendar_blackout":
            parts.append(f"blackout '{subject}'")
        else:
            parts.append(f"{rule_text(rule).split(' (')[0]} [{subject}]")
    return "; ".join(parts)


def _blocked_by(t: int, slot: SlotTime, violations: Sequence[Violation], source: str) -> Blocked:
    keys = tuple(dict.fromkeys(_key(v) for v in violations))
    others = tuple(dict.fromkeys(sid for v in violations for sid in v.sessions))
    first: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for v in violations:
        first.setdefault(v.rule, v.message)
        counts[v.rule] += 1
    message = "; ".join(
        msg + (f" (and {counts[rule] - 1} more like it)" if counts[rule] > 1 else "")
        for rule, msg in first.items()
    )
    return Blocked(t, slot.date, slot.slot, keys, message, others, source)


def _keys_text(keys: Iterable[RuleKey]) -> str:
    """``rule [subject, subject]; rule [subject]`` — keys grouped by rule."""
    by_rule: dict[str, list[str]] = defaultdict(list)
    for rule, subject in keys:
        by_rule[rule].append(subject)
    return "; ".join(f"{rule} [{', '.join(subjects)}]" for rule, subjects in by_rule.items())


def _repair(
    inst: Instance,
    mover: _Mover,
    spec: SessionSpec,
    t: int,
    units: tuple[str, ...],
    new: list[Violation],
    culprits: list[set[str]],
    base_objective: int,
) -> MoveOption | None:
    """Drop the presenters who break a rule on the new date; top up from the interested
    regions if the dialog falls below its minimum.  ``None`` when that does not work."""
    drop = set().union(*culprits)
    keep = tuple(u for u in units if u not in drop)
    reasons = tuple(f"{v.rule} [{v.subject}]" for v in new)
    slot = inst.slots[t]
    _, still, objective = mover.moved(spec.id, t, keep)
    added: list[str] = []
    if any(v.rule == "dialog_min_presenters" for v in still):
        theme = inst.themes[spec.theme or ""]
        candidates = sorted(
            (u for u in spec.units if u not in units),
            key=lambda u: (
                -sum(theme.interest.get(c, 0) for c in inst.units[u].regions),
                inst.units[u].order,
            ),
        )
        for u in candidates:
            trial = (*keep, *added, u)
            _, broken, _ = mover.moved(spec.id, t, trial)
            if all(v.rule == "dialog_min_presenters" for v in broken):
                added.append(u)
                if not broken:
                    break
        _, still, objective = mover.moved(spec.id, t, (*keep, *added))
    if still:
        return None
    final = (*keep, *added)
    return MoveOption(
        t,
        slot.date,
        slot.slot,
        slot.start,
        objective,
        objective - base_objective,
        tuple(sorted(final, key=lambda u: inst.units[u].order)),
        tuple(sorted(drop)),
        tuple(added),
        reasons,
    )


@dataclass(frozen=True)
class JoinOption:
    """A dialog a region could be added to as presenter, and what that breaks or costs."""

    session_id: str
    title: str
    date: dt.date
    objective: int
    delta: int
    broken: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.broken


@dataclass
class RegionAlternatives:
    """Answer to *where else could this region present?*"""

    code: str
    name: str
    objective: int
    presents_in: tuple[str, ...]
    options: list[JoinOption]
    not_interested: tuple[str, ...]
    """Dialogs of themes the region is not interested in (presenter_eligible)."""

    def lines(self) -> list[str]:
        """For the terminal, in the command line's language (the checker's reasons stay English)."""
        n = len(self.presents_in)
        dialogs = ngettext("{count} dialog", "{count} dialogs", n).format(count=n)
        if self.presents_in:
            dialogs += ": " + ", ".join(self.presents_in)
        out = [
            _("{region} ({code}) presents in {dialogs}; plan penalty {objective}.").format(
                region=self.name, code=self.code, dialogs=dialogs, objective=self.objective
            )
        ]
        ok = [o for o in self.options if o.ok]
        out.append(
            ngettext(
                "It could be added to {count} dialog without breaking a rule:",
                "It could be added to {count} dialogs without breaking a rule:",
                len(ok),
            ).format(count=len(ok))
        )
        for o in sorted(ok, key=lambda o: o.delta):
            penalty = _("penalty {objective}").format(objective=o.objective)
            out.append(f"  {o.date} {o.title} ({o.session_id}): {penalty} ({o.delta:+d})")
        bad = [o for o in self.options if not o.ok]
        if bad:
            out.append(_("Adding it elsewhere breaks a rule:"))
            for o in bad:
                rules = "; ".join(str(v) for v in o.broken)
                out.append(f"  {o.date} {o.title} ({o.session_id}): {rules}")
        if self.not_interested:
            m = len(self.not_interested)
            out.append(
                ngettext(
                    "Not interested (presenter_eligible) in {count} other dialog.",
                    "Not interested (presenter_eligible) in {count} other dialogs.",
                    m,
                ).format(count=m)
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.code,
            "name": self.name,
            "objective": self.objective,
            "presents_in": list(self.presents_in),
            "options": [
                {
                    "session_id": o.session_id,
                    "title": o.title,
                    "date": o.date.isoformat(),
                    "objective": o.objective,
                    "delta": o.delta,
                    "ok": o.ok,
                    "broken": [_violation_dict(v) for v in o.broken],
                }
                for o in self.options
            ],
            "not_interested": list(self.not_interested),
        }


def region_alternatives(
    inst: Instance, plan: Plan, code: str, *, session_id: str | None = None
) -> RegionAlternatives:
    """Every dialog ``code`` could be added to as a presenter (itself, not its group), with
    the rules that breaks and the objective change, everything else fixed.  Plain Python."""
    if code not in inst.regions:
        raise KeyError(code)
    mover = _Mover(inst, plan)
    base = check(inst, plan).objective
    options: list[JoinOption] = []
    not_interested: list[str] = []
    presents_in = tuple(s.id for s in plan.sessions if code in s.presenting_regions)
    for s in plan.sessions:
        if s.kind != "dialog" or (session_id is not None and s.id != session_id):
            continue
        if code in s.presenting_regions:
            continue
        spec = inst.session(s.id)
        if code not in spec.units:
            not_interested.append(s.id)
            continue
        t = mover.assignment.slot.get(s.id)
        if t is None:
            continue
        units = (*mover.assignment.presenters.get(s.id, ()), code)
        _, new, objective = mover.moved(s.id, t, units)
        options.append(JoinOption(s.id, s.title, s.date, objective, objective - base, tuple(new)))
    return RegionAlternatives(
        code=code,
        name=inst.regions[code].name,
        objective=base,
        presents_in=presents_in,
        options=options,
        not_interested=tuple(not_interested),
    )
