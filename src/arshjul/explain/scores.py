"""Why this: a plan's objective split into its terms, per session and per region, and the
hard rules the plan sits exactly at."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..check import TERM_NAMES, Violation, check, host_neighbours
from ..i18n import _, ngettext
from ..instance import Instance
from ..plan import Plan, worst_window
from ..realize import slot_of
from .words import _listed, _plural, _violation_dict


@dataclass(frozen=True)
class TermLine:
    """One objective term: raw value × weight = weighted value."""

    name: str
    raw: int
    weight: int
    weighted: int
    detail: str


@dataclass(frozen=True)
class Binding:
    """A hard rule the plan sits exactly at: one more and it would break."""

    rule: str
    subject: str
    value: int
    limit: int
    message: str
    sessions: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionScore:
    id: str
    title: str
    date: dt.date
    slot: str
    presenters: int
    capacity: int
    penalty: dict[str, int]
    """Weighted terms this session alone causes (preferred_month)."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionScore:
    code: str
    name: str
    presentations: int
    invitations: int
    worst_window: int
    window_max: int
    unmatched: tuple[str, ...]
    """Theme ids the region is interested in but presents on in no dialog."""
    penalty: dict[str, int]
    """Weighted terms this region alone causes (match, coverage)."""


@dataclass
class Breakdown:
    """Answer to *why this plan?*: its penalty term by term, per session and per region."""

    objective: int
    terms: list[TermLine]
    sessions: list[SessionScore]
    regions: list[RegionScore]
    months: dict[str, int]
    busiest: list[str]
    fullest: list[tuple[str, int]]
    emptiest: list[tuple[str, int]]
    bindings: list[Binding]
    violations: list[Violation] = field(default_factory=list)

    def lines(self) -> list[str]:
        """For the terminal, in the command line's language (:func:`arshjul.i18n._`)."""
        total = " + ".join(f"{t.name} {t.weighted}" for t in self.terms)
        out = [_("Penalty {objective} = {terms}").format(objective=self.objective, terms=total)]
        if self.violations:
            n = len(self.violations)
            out.append(
                ngettext(
                    "Warning: the plan breaks {count} hard rule:",
                    "Warning: the plan breaks {count} hard rules:",
                    n,
                ).format(count=n)
            )
            out.extend("  " + _("BROKEN {violation}").format(violation=v) for v in self.violations)
        out.append("")
        # TRANSLATORS: the heads of explain's table of objective terms
        heads = (_("term"), _("raw"), _("weight"), _("penalty"), _("what"))
        out.append(f"{heads[0]:<16} {heads[1]:>5} {heads[2]:>7} {heads[3]:>8}  {heads[4]}")
        for t in self.terms:
            out.append(f"{t.name:<16} {t.raw:>5} {t.weight:>7} {t.weighted:>8}  {t.detail}")
        charged = [r for r in self.regions if r.penalty]
        if charged:
            out.append("")
            out.append(_("By region (match, coverage):"))
            for r in sorted(charged, key=lambda r: -sum(r.penalty.values())):
                parts = ", ".join(f"{k} {v}" for k, v in r.penalty.items())
                themes = (
                    " — " + _("not presenting on: {themes}").format(themes=", ".join(r.unmatched))
                    if r.unmatched
                    else ""
                )
                out.append(f"  {r.name} ({r.code}): {parts}{themes}")
        missed = [s for s in self.sessions if s.penalty]
        if missed:
            out.append("")
            out.append(_("By session (preferred_month):"))
            for s in missed:
                terms = ", ".join(f"{k} {v}" for k, v in s.penalty.items())
                out.append(f"  {s.date} {s.title}: {terms}; {'; '.join(s.notes)}")
        if self.bindings:
            out.append("")
            out.append(_("Hard rules the plan sits exactly at (one more and they break):"))
            by_rule: dict[str, list[Binding]] = defaultdict(list)
            for bind in self.bindings:
                by_rule[bind.rule].append(bind)
            for rule, items in by_rule.items():
                if len(items) <= 3:
                    out.extend(f"  {rule} [{b.subject}]: {b.message}" for b in items)
                else:
                    subjects = list(dict.fromkeys(b.subject for b in items))
                    times = ngettext("{count} time", "{count} times", len(items)).format(count=len(items))
                    out.append(f"  {rule}: {times}, {_listed(subjects, 8)}")
                    out.append("      " + _("e.g. {example}").format(example=items[0].message))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective,
            "terms": [t.__dict__ for t in self.terms],
            "sessions": [
                {**s.__dict__, "date": s.date.isoformat(), "notes": list(s.notes)} for s in self.sessions
            ],
            "regions": [{**r.__dict__, "unmatched": list(r.unmatched)} for r in self.regions],
            "months": self.months,
            "busiest": self.busiest,
            "fullest": [list(x) for x in self.fullest],
            "emptiest": [list(x) for x in self.emptiest],
            "bindings": [
                {**b.__dict__, "sessions": list(b.sessions), "regions": list(b.regions)}
                for b in self.bindings
            ],
            "violations": [_violation_dict(v) for v in self.violations],
        }


def breakdown(inst: Instance, plan: Plan) -> Breakdown:
    """A plan's objective term by term (raw × weight), per session and per region, and the
    hard rules it sits exactly at.  Plain Python: the same arithmetic as the checker."""
    report = check(inst, plan)
    weights = inst.weights
    presents: dict[str, set[str]] = defaultdict(set)
    for s in plan.sessions:
        for code in s.presenting_regions:
            presents[code].add(s.id)
    dialog_ids = {s.id for s in inst.dialogs()}
    interested = {c for t in inst.themes.values() for c in t.interest}

    unmatched: dict[str, list[str]] = defaultdict(list)
    match_by_region: Counter[str] = Counter()
    for theme in inst.themes.values():
        for code, weight in theme.interest.items():
            if not presents[code] & set(theme.sessions):
                unmatched[code].append(theme.id)
                match_by_region[code] += weight
    uncovered = [c for c in inst.regions if c in interested and not presents[c] & dialog_ids]

    months = plan.sessions_per_month()
    peak = max(months.values(), default=0)
    busiest = [m for m, n in months.items() if n == peak and peak > 0]

    dialogs = [s for s in plan.sessions if s.kind == "dialog"]
    counts = {s.id: len(s.presentations) for s in dialogs}
    top = max(counts.values(), default=0)
    low = min(counts.values(), default=0)
    fullest = [(sid, n) for sid, n in counts.items() if n == top]
    emptiest = [(sid, n) for sid, n in counts.items() if n == low]

    sessions: list[SessionScore] = []
    missed: list[str] = []
    for s in plan.sessions:
        penalty: dict[str, int] = {}
        notes: list[str] = []
        capacity = 0
        if s.kind == "dialog" and s.theme in inst.themes:
            pref = inst.themes[s.theme].preferred_months
            if pref and s.date.month not in pref:
                penalty["preferred_month"] = weights.get("preferred_month", 0)
                wanted = ", ".join(dt.date(2000, m, 1).strftime("%b") for m in sorted(pref))
                notes.append(f"held in {s.date:%b}, preferred {wanted}")
                missed.append(f"{s.title} ({s.date:%b}; preferred {wanted})")
            slot = slot_of(inst, s)
            spec = inst.session(s.id) if s.id in dialog_ids else None
            if spec is not None and slot is not None:
                capacity = spec.capacity(slot)
        sessions.append(
            SessionScore(
                id=s.id,
                title=s.title,
                date=s.date,
                slot=s.slot,
                presenters=len(s.presentations),
                capacity=capacity,
                penalty={k: v for k, v in penalty.items() if v},
                notes=tuple(notes),
            )
        )

    loads = {load.code: load for load in plan.load()}
    regions: list[RegionScore] = []
    for code, region in inst.regions.items():
        penalty = {}
        if match_by_region[code] and weights.get("match", 0):
            penalty["match"] = match_by_region[code] * weights["match"]
        if code in uncovered and weights.get("coverage", 0):
            penalty["coverage"] = weights["coverage"]
        load = loads.get(code)
        regions.append(
            RegionScore(
                code=code,
                name=region.name,
                presentations=len(presents[code] & dialog_ids),
                invitations=load.invitations if load else 0,
                worst_window=load.worst_window if load else 0,
                window_max=region.window_max,
                unmatched=tuple(unmatched[code]),
                penalty=penalty,
            )
        )

    def names(codes: Iterable[str]) -> str:
        return _listed([inst.regions[c].name if c in inst.regions else c for c in codes], 5)

    unmet = sum(len(v) for v in unmatched.values())
    detail = {
        "match": (
            ngettext(
                "{count} unmet interest of {regions}", "{count} unmet interests of {regions}", unmet
            ).format(
                count=unmet,
                regions=ngettext("{count} region", "{count} regions", len(unmatched)).format(
                    count=len(unmatched)
                ),
            )
            if unmatched
            else _("every interest met")
        ),
        "coverage": _("presenting nowhere: {regions}").format(regions=names(uncovered))
        if uncovered
        else _("every interested region presents"),
        "spread": _("busiest month(s) {months} with {sessions}").format(
            months=", ".join(busiest),
            sessions=ngettext("{count} session", "{count} sessions", peak).format(count=peak),
        )
        if busiest
        else _("no sessions"),
        "preferred_month": _("outside their preferred months: {dialogs}").format(dialogs=_listed(missed, 4))
        if missed
        else _("every dialog in a preferred month"),
        "balance": (
            _("fullest {top} presenters ({fullest}), emptiest {low} ({emptiest})").format(
                top=top,
                fullest=_listed([a for a, _n in fullest], 3),
                low=low,
                emptiest=_listed([a for a, _n in emptiest], 3),
            )
            if len(dialogs) >= 2
            else _("a single dialog")
        ),
    }
    terms = [
        TermLine(name, report.terms[name], weights.get(name, 0), report.weighted[name], detail[name])
        for name in TERM_NAMES
    ]
    return Breakdown(
        objective=report.objective,
        terms=terms,
        sessions=sessions,
        regions=regions,
        months=months,
        busiest=busiest,
        fullest=fullest,
        emptiest=emptiest,
        bindings=bindings(inst, plan),
        violations=report.violations,
    )


def bindings(inst: Instance, plan: Plan) -> list[Binding]:
    """The hard rules a plan meets with nothing to spare: worst window == window_max,
    presentations == max_presentations, gaps == the minimum, full dialogs …"""
    out: list[Binding] = []
    by_region_days: dict[str, list[dt.date]] = defaultdict(list)
    presented: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for s in plan.sessions:
        for code in s.invited:
            by_region_days[code].append(s.date)
        for code in s.presenting_regions:
            presented[code].append((s.date, s.id))
    for code, region in inst.regions.items():
        days = sorted(by_region_days[code])
        worst, start = worst_window(days, inst.window_days)
        if days and worst == region.window_max and start is not None:
            end = start + dt.timedelta(days=inst.window_days - 1)
            out.append(
                Binding(
                    "region_invitation_cap",
                    code,
                    worst,
                    region.window_max,
                    f"{region.name}: {worst} invitations in the {inst.window_days} days {start}..{end}, "
                    f"the most allowed",
                    tuple(s.id for s in plan.sessions if code in s.invited and start <= s.date <= end),
                    (code,),
                )
            )
        if region.daily_max > 1:
            for day, n in sorted(Counter(days).items()):
                if n == region.daily_max:
                    out.append(
                        Binding(
                            "region_daily_cap",
                            code,
                            n,
                            region.daily_max,
                            f"{region.name}: {n} invitations on {day}, the most allowed",
                            (),
                            (code,),
                        )
                    )
        mine = sorted(presented[code])
        if mine and len(mine) == region.max_presentations:
            out.append(
                Binding(
                    "region_presentation_cap",
                    code,
                    len(mine),
                    region.max_presentations,
                    f"{region.name} presents {len(mine)} times, the most allowed",
                    tuple(sid for _, sid in mine),
                    (code,),
                )
            )
        gap = region.presentation_gap_days
        for (d1, a), (d2, b) in itertools.pairwise(mine):
            if gap > 0 and (d2 - d1).days == gap:
                out.append(
                    Binding(
                        "region_presentation_gap",
                        code,
                        gap,
                        gap,
                        f"{region.name} presents exactly {_plural(gap, 'day')} apart ({d1} and {d2})",
                        (a, b),
                        (code,),
                    )
                )
    for host, earlier, later in host_neighbours(inst, plan.sessions):
        if (later.date - earlier.date).days == host.gap_days:
            out.append(
                Binding(
                    "host_tempo",
                    host.id,
                    host.gap_days,
                    host.gap_days,
                    f"{host.name} holds two sessions exactly {_plural(host.gap_days, 'day')} apart "
                    f"({earlier.date} and {later.date})",
                    (earlier.id, later.id),
                )
            )
    specs = {s.id: s for s in inst.dialogs()}
    for s in plan.sessions:
        spec = specs.get(s.id)
        slot = slot_of(inst, s)
        if spec is None or slot is None:
            continue
        n = len(s.presentations)
        cap = spec.capacity(slot)
        if n == cap and cap > 0:
            out.append(
                Binding(
                    "dialog_max_presenters",
                    s.id,
                    n,
                    cap,
                    f"'{s.title}' on {s.date} is full: {n} presenters",
                    (s.id,),
                )
            )
        if n == spec.min_presenters and n > 0:
            out.append(
                Binding(
                    "dialog_min_presenters",
                    s.id,
                    n,
                    spec.min_presenters,
                    f"'{s.title}' on {s.date} has the fewest presenters allowed ({n})",
                    (s.id,),
                )
            )
    if inst.learning is not None:
        learning = next((s for s in plan.sessions if s.id == inst.learning), None)
        firsts = [s for s in plan.sessions if s.kind == "dialog"]
        if learning is not None and firsts:
            first = min(firsts, key=lambda s: s.date)
            gap = (first.date - learning.date).days
            if gap == inst.learning_gap_days:
                out.append(
                    Binding(
                        "learning_first",
                        "learning",
                        gap,
                        inst.learning_gap_days,
                        f"the learning meeting is exactly {gap} days before the first dialog ({first.date})",
                        (learning.id, first.id),
                    )
                )
    return out
