"""The independent checker: every hard rule and every objective term, in plain Python.

It never looks at the solver.  It judges any plan against the scenario's instance — a plan
just solved, one read back from JSON, or one a planner edited by hand — and names each broken
rule with the same name the model's constraint and the explanations use.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .instance import HostSpec, Instance, SessionSpec
from .plan import Plan, Session, worst_window
from .realize import followup_targets, invited_regions, running_order, slot_of

TERM_NAMES = ("match", "coverage", "spread", "preferred_month", "balance")


@dataclass(frozen=True)
class Violation:
    """One broken hard rule, with what it touches."""

    rule: str
    subject: str
    message: str
    sessions: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.rule} [{self.subject}]: {self.message}"


@dataclass
class CheckReport:
    violations: list[Violation] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)
    """Unweighted objective terms."""
    weighted: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def objective(self) -> int:
        return sum(self.weighted.values())


def score(inst: Instance, plan: Plan) -> dict[str, int]:
    """Unweighted objective terms of a plan, the same quantities the model minimises."""
    presents: dict[str, set[str]] = defaultdict(set)  # region → session ids it presents in
    for s in plan.sessions:
        for code in s.presenting_regions:
            presents[code].add(s.id)
    terms = dict.fromkeys(TERM_NAMES, 0)
    for theme in inst.themes.values():
        ids = set(theme.sessions)
        for code, weight in theme.interest.items():
            if not presents[code] & ids:
                terms["match"] += weight
    interested = {c for t in inst.themes.values() for c in t.interest}
    dialog_ids = {s.id for s in inst.dialogs()}
    terms["coverage"] = sum(1 for c in inst.regions if c in interested and not presents[c] & dialog_ids)
    months = Counter((s.date.year, s.date.month) for s in plan.sessions)
    terms["spread"] = max(months.values(), default=0)
    for s in plan.sessions:
        if s.kind == "dialog" and s.theme in inst.themes:
            pref = inst.themes[s.theme].preferred_months
            if pref and s.date.month not in pref:
                terms["preferred_month"] += 1
    counts = [len(s.presentations) for s in plan.sessions if s.kind == "dialog"]
    if len(dialog_ids) >= 2 and counts:
        terms["balance"] = max(counts) - min(counts)
    return terms


def check(inst: Instance, plan: Plan) -> CheckReport:
    """Judge a plan: every broken hard rule, and the objective terms."""
    v: list[Violation] = []
    specs = {s.id: s for s in inst.sessions}
    by_id: dict[str, Session] = {}
    for s in plan.sessions:
        if s.id not in specs:
            v.append(Violation("session_once", s.id, f"'{s.id}' is not a session of this scenario", (s.id,)))
        elif s.id in by_id:
            v.append(Violation("session_once", s.id, f"'{s.id}' is planned twice", (s.id,)))
        else:
            by_id[s.id] = s
    for sid in specs:
        if sid not in by_id:
            v.append(Violation("session_once", sid, f"'{sid}' is missing from the plan", (sid,)))

    days: dict[str, int] = {}
    for sid, s in by_id.items():
        spec = specs[sid]
        slot = slot_of(inst, s)
        if slot is None:
            v.append(
                Violation(
                    "session_fits_slot",
                    sid,
                    f"{s.start:%Y-%m-%d %H:%M}–{s.end:%H:%M} is not inside a meeting slot of the period",
                    (sid,),
                )
            )
            continue
        days[sid] = slot.day
        for key in spec.exclusions.get(slot.index, ()):
            v.append(Violation(key[0], key[1], _closed_reason(inst, key, slot.index, s), (sid,)))
        v.extend(_session_shape(inst, spec, s, slot.index))

    v.extend(_presenters(inst, by_id, days))
    v.extend(_invitations(inst, by_id))
    v.extend(_host_tempo(inst, by_id))
    v.extend(_learning_first(inst, by_id, days))
    v.extend(_followups(inst, by_id, days))

    terms = score(inst, plan)
    weighted = {name: inst.weights.get(name, 0) * value for name, value in terms.items()}
    return CheckReport(violations=v, terms=terms, weighted=weighted)


def _closed_reason(inst: Instance, key: tuple[str, str], t: int, s: Session) -> str:
    rule, subject = key
    when = f"{s.date} ({s.slot})"
    texts = {
        "calendar_weekday": f"{when} falls on a {s.date:%A}, not a meeting weekday",
        "calendar_holiday": f"{when} is a holiday: {subject}",
        "calendar_bridge_day": f"{when} is a bridge day (klämdag) the scenario closes",
        "calendar_half_day": f"{when}: the afternoon before a holiday is closed ({subject})",
        "calendar_blackout": f"{when} lies in the blackout period '{subject}'",
        "lead_time": f"{when} is earlier than the lead time after the publication date allows",
        "session_slots": f"{when}: slot '{s.slot}' is not allowed for '{subject}'",
        "session_fits_slot": f"{when}: the session does not fit the slot",
        "session_window": f"{when} is outside the window of '{subject}'",
        "theme_forbidden": f"{when} lies in a forbidden period of theme '{subject.split('#')[0]}'",
        "dialog_followup": f"{when} leaves no network meeting late enough for the follow-up",
        "network_fixed": f"{when} is not the fixed date and slot of '{subject}'",
    }
    return texts.get(rule, f"{when} is closed by {rule}")


def _session_shape(inst: Instance, spec: SessionSpec, s: Session, t: int) -> list[Violation]:
    """Start, end and running order agree with the slot and the session's durations."""
    slot = inst.slots[t]
    out: list[Violation] = []
    if spec.kind == "dialog":
        units = tuple(p.presenter for p in s.presentations)
        if any(u not in inst.units for u in units):
            return out  # reported as presenter_eligible
        _, end, order = running_order(inst, spec, slot.start, units)
        if s.start != slot.start or s.end != end or tuple(s.presentations) != order:
            out.append(
                Violation(
                    "running_order",
                    s.id,
                    "times do not follow the running order (host first, then each presenter in turn)",
                    (s.id,),
                )
            )
    elif s.end - s.start != dt.timedelta(minutes=spec.duration):
        out.append(Violation("running_order", s.id, f"should last {spec.duration} minutes", (s.id,)))
    return out


def _presenters(inst: Instance, by_id: dict[str, Session], days: dict[str, int]) -> list[Violation]:
    out: list[Violation] = []
    presented: dict[str, list[str]] = defaultdict(list)  # region → dialog ids
    for sid, s in by_id.items():
        spec = inst.session(sid)
        units = [p.presenter for p in s.presentations]
        if spec.kind != "dialog":
            if units:
                out.append(Violation("presenter_eligible", sid, "only dialogs have presenters", (sid,)))
            continue
        for u in units:
            if u not in spec.units:
                out.append(
                    Violation(
                        "presenter_eligible",
                        u,
                        f"'{u}' may not present in '{sid}' (unknown, or not interested in the theme)",
                        (sid,),
                    )
                )
        if spec.fixed_presenters is not None and sorted(units) != sorted(spec.fixed_presenters):
            out.append(
                Violation(
                    "session_pinned",
                    sid,
                    f"presenters of pinned '{sid}' changed from {', '.join(spec.fixed_presenters) or 'none'}",
                    (sid,),
                )
            )
        if len(set(units)) != len(units):
            out.append(Violation("presenter_eligible", sid, "a presenter is listed twice", (sid,)))
        n = len(units)
        if n < spec.min_presenters:
            out.append(
                Violation(
                    "dialog_min_presenters",
                    sid,
                    f"{n} presenters, at least {spec.min_presenters} needed",
                    (sid,),
                )
            )
        if sid in days:
            slot = slot_of(inst, s)
            cap = spec.capacity(slot) if slot else spec.max_presenters
            if n > cap:
                out.append(
                    Violation("dialog_max_presenters", sid, f"{n} presenters, at most {cap} fit", (sid,))
                )
        known = [u for u in units if u in inst.units]
        for u in known:
            unit = inst.units[u]
            if len(unit.regions) > 1:
                for code in unit.regions:
                    if code in known:
                        out.append(
                            Violation(
                                "joint_presentation",
                                u,
                                f"{code} presents both alone and with '{u}' in '{sid}'",
                                (sid,),
                                (code,),
                            )
                        )
        for code in sorted({c for u in known for c in inst.units[u].regions}):
            presented[code].append(sid)
            if sid in days and days[sid] in inst.regions[code].unavailable:
                out.append(
                    Violation(
                        "presenter_available",
                        code,
                        f"{inst.regions[code].name} presents in '{sid}' on {s.date} but is away: "
                        f"{inst.regions[code].unavailable[days[sid]]}",
                        (sid,),
                        (code,),
                    )
                )

    for code, sids in presented.items():
        region = inst.regions[code]
        if len(sids) > region.max_presentations:
            out.append(
                Violation(
                    "region_presentation_cap",
                    code,
                    f"{region.name} presents {len(sids)} times, at most {region.max_presentations} allowed",
                    tuple(sids),
                    (code,),
                )
            )
        per_theme = Counter(inst.session(sid).theme for sid in sids)
        for theme, k in per_theme.items():
            if k > 1:
                out.append(
                    Violation(
                        "region_theme_once",
                        code,
                        f"{region.name} presents {k} times on theme '{theme}'",
                        tuple(sid for sid in sids if inst.session(sid).theme == theme),
                        (code,),
                    )
                )
        placed = sorted((days[sid], sid) for sid in sids if sid in days)
        for (d1, a), (d2, b) in itertools.pairwise(placed):
            if d2 - d1 < region.presentation_gap_days:
                out.append(
                    Violation(
                        "region_presentation_gap",
                        code,
                        f"{region.name} presents {d2 - d1} days apart ('{a}', '{b}'); "
                        f"at least {region.presentation_gap_days} needed",
                        (a, b),
                        (code,),
                    )
                )
    return out


def _invitations(inst: Instance, by_id: dict[str, Session]) -> list[Violation]:
    out: list[Violation] = []
    dates: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for sid, s in by_id.items():
        spec = inst.session(sid)
        units = tuple(p.presenter for p in s.presentations if p.presenter in inst.units)
        expected = invited_regions(inst, spec, units)
        if tuple(s.invited) != expected:
            out.append(
                Violation(
                    "session_invited",
                    sid,
                    "the invited regions differ from the scenario's invitation policy",
                    (sid,),
                )
            )
        for code in expected:
            dates[code].append((s.date, sid))
    for code, items in dates.items():
        region = inst.regions[code]
        items.sort()
        times = sorted((by_id[sid].start, by_id[sid].end, sid) for _, sid in items)
        for (_s1, e1, a), (s2, _e2, b) in itertools.pairwise(times):
            if s2 < e1:
                out.append(
                    Violation(
                        "region_double_booking",
                        code,
                        f"{region.name} is invited to '{a}' and '{b}' at the same time",
                        (a, b),
                        (code,),
                    )
                )
        per_day = Counter(d for d, _ in items)
        for d, k in sorted(per_day.items()):
            if k > region.daily_max:
                out.append(
                    Violation(
                        "region_daily_cap",
                        code,
                        f"{region.name} is invited {k} times on {d}, at most {region.daily_max} allowed",
                        tuple(sid for day, sid in items if day == d),
                        (code,),
                    )
                )
        worst, start = worst_window([d for d, _ in items], inst.window_days)
        if worst > region.window_max and start is not None:
            end = start + dt.timedelta(days=inst.window_days - 1)
            out.append(
                Violation(
                    "region_invitation_cap",
                    code,
                    f"{region.name} is invited {worst} times in the {inst.window_days} days "
                    f"{start}..{end}, at most {region.window_max} allowed",
                    tuple(sid for day, sid in items if start <= day <= end),
                    (code,),
                )
            )
    return out


Neighbours = Iterator[tuple[HostSpec, Session, Session]]


def host_neighbours(inst: Instance, sessions: Iterable[Session]) -> Neighbours:
    """Each host's sessions two by two in date order: the pairs ``host_tempo`` looks at."""
    per_host: dict[str, list[Session]] = defaultdict(list)
    for s in sessions:
        per_host[s.host].append(s)
    for host_id, mine in per_host.items():
        host = inst.hosts.get(host_id)
        if host is not None:
            mine.sort(key=lambda s: (s.date, s.id))
            yield from ((host, a, b) for a, b in itertools.pairwise(mine))


def _host_tempo(inst: Instance, by_id: dict[str, Session]) -> list[Violation]:
    out: list[Violation] = []
    for host, a, b in host_neighbours(inst, by_id.values()):
        apart = (b.date - a.date).days
        if apart < host.gap_days:
            out.append(
                Violation(
                    "host_tempo",
                    host.id,
                    f"{host.name} holds '{a.id}' and '{b.id}' {apart} days apart; "
                    f"at least {host.gap_days} needed",
                    (a.id, b.id),
                )
            )
    return out


def _learning_first(inst: Instance, by_id: dict[str, Session], days: dict[str, int]) -> list[Violation]:
    if inst.learning is None or inst.learning not in days:
        return []
    out = []
    for s in inst.dialogs():
        if s.id in days and days[inst.learning] + inst.learning_gap_days > days[s.id]:
            out.append(
                Violation(
                    "learning_first",
                    "learning",
                    f"the learning meeting must come at least {inst.learning_gap_days} days before "
                    f"'{s.id}' ({by_id[s.id].date})",
                    (inst.learning, s.id),
                )
            )
    return out


def _followups(inst: Instance, by_id: dict[str, Session], days: dict[str, int]) -> list[Violation]:
    expected = followup_targets(inst, days)
    out = []
    for sid, s in by_id.items():
        if s.kind == "dialog" and s.followup_on != expected.get(sid):
            out.append(
                Violation(
                    "dialog_followup",
                    sid,
                    f"follow-up should be on '{expected.get(sid)}', the plan says '{s.followup_on}'",
                    (sid,),
                )
            )
    return out
