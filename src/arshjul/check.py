"""The independent checker: every hard rule and every objective term, in plain Python.

It never looks at the solver.  It judges any plan against the scenario's instance — a plan
just solved, one read back from JSON, or one a planner edited by hand — and names each broken
rule with the same name the model's constraint and the explanations use.

Each rule of the catalogue (:mod:`arshjul.rules`) has one check here, a function named after
it and registered in :data:`CHECKS`; each objective term has one in :data:`SCORES`.  A check
belongs to a *pass*, one walk over the plan (its sessions, its presenting regions, …), and is
called for each item of it.  :func:`check` runs the passes in order and, within a pass, the
checks in the order they are registered below: that order is the order of the report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from babel.dates import format_date

from . import realize, rules
from .i18n import N_, _, cli_language, ngettext
from .instance import HostSpec, Instance, SessionSpec, SlotTime
from .plan import Plan, Presentation, Session, worst_window

TERM_NAMES: tuple[str, ...] = tuple(rules.TERMS)
"""The objective terms, in the order a plan reports them."""


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


# -- the objective terms -----------------------------------------------------------------------

Presents = Mapping[str, set[str]]
"""Region → ids of the sessions it presents in."""
TermScore = Callable[[Instance, Plan, Presents], int]

SCORES: dict[str, TermScore] = {}
"""Term name → its value for a plan, the same quantity the model minimises."""


def _scores(name: str) -> Callable[[TermScore], TermScore]:
    def register(score: TermScore) -> TermScore:
        if name not in rules.TERMS or name in SCORES:
            raise ValueError(f"'{name}' cannot be registered as an objective term")
        SCORES[name] = score
        return score

    return register


def score(inst: Instance, plan: Plan) -> dict[str, int]:
    """Unweighted objective terms of a plan, the same quantities the model minimises."""
    presents: dict[str, set[str]] = {}
    for s in plan.sessions:
        for code in s.presenting_regions:
            presents.setdefault(code, set()).add(s.id)
    return {name: SCORES[name](inst, plan, presents) for name in TERM_NAMES}


@_scores(rules.MATCH)
def match(inst: Instance, plan: Plan, presents: Presents) -> int:
    """Interest weight of (theme, region) pairs where the region presents on no dialog of it."""
    total = 0
    for theme in inst.themes.values():
        ids = set(theme.sessions)
        for code, weight in theme.interest.items():
            if not presents.get(code, set()) & ids:
                total += weight
    return total


@_scores(rules.COVERAGE)
def coverage(inst: Instance, plan: Plan, presents: Presents) -> int:
    """Regions interested in some theme that present in no dialog."""
    interested = {c for t in inst.themes.values() for c in t.interest}
    dialog_ids = {s.id for s in inst.dialogs()}
    return sum(1 for c in inst.regions if c in interested and not presents.get(c, set()) & dialog_ids)


@_scores(rules.SPREAD)
def spread(inst: Instance, plan: Plan, presents: Presents) -> int:
    """Sessions in the busiest month."""
    months = Counter((s.date.year, s.date.month) for s in plan.sessions)
    return max(months.values(), default=0)


@_scores(rules.PREFERRED_MONTH)
def preferred_month(inst: Instance, plan: Plan, presents: Presents) -> int:
    """Dialogs outside their theme's preferred months."""
    total = 0
    for s in plan.sessions:
        if s.kind == "dialog" and s.theme in inst.themes:
            pref = inst.themes[s.theme].preferred_months
            if pref and s.date.month not in pref:
                total += 1
    return total


@_scores(rules.BALANCE)
def balance(inst: Instance, plan: Plan, presents: Presents) -> int:
    """Presenters in the fullest dialog minus presenters in the emptiest one."""
    counts = [len(s.presentations) for s in plan.sessions if s.kind == "dialog"]
    if len(inst.dialogs()) >= 2 and counts:
        return max(counts) - min(counts)
    return 0


# -- what every check looks at ------------------------------------------------------------------


class _Judged:
    """A plan read once against the instance."""

    def __init__(self, inst: Instance, plan: Plan) -> None:
        self.inst = inst
        self.plan = plan
        self.specs = {s.id: s for s in inst.sessions}
        self.by_id: dict[str, Session] = {}
        """The first entry of each session of the scenario (``session_once`` reports the rest)."""
        for s in plan.sessions:
            if s.id in self.specs and s.id not in self.by_id:
                self.by_id[s.id] = s
        self.slots: dict[str, SlotTime] = {}
        """Sessions that lie inside a meeting slot → that slot."""
        for sid, s in self.by_id.items():
            slot = realize.slot_of(inst, s)
            if slot is not None:
                self.slots[sid] = slot
        self.days = {sid: slot.day for sid, slot in self.slots.items()}
        self.presented: dict[str, list[str]] = {}
        """Region → the dialogs it presents in (through known units), in plan order."""
        self.invitations: dict[str, list[tuple[dt.date, str]]] = {}
        """Region → (date, session) of every invitation the scenario's policy gives it, sorted."""
        self.invited: dict[str, tuple[str, ...]] = {}
        """Session → the regions the scenario's policy invites on the session's date."""
        for sid, s in self.by_id.items():
            spec = self.specs[sid]
            known = self.known_units(sid)
            presenting = {c for u in known for c in inst.units[u].regions}
            if spec.kind == "dialog":
                for code in sorted(presenting):
                    self.presented.setdefault(code, []).append(sid)
            self.invited[sid] = _invited_on(inst, spec, presenting, s.date)
            for code in self.invited[sid]:
                self.invitations.setdefault(code, []).append((s.date, sid))
        for items in self.invitations.values():
            items.sort()
        self.followups = realize.followup_targets(inst, self.days)

    def units(self, sid: str) -> tuple[str, ...]:
        """The presenters a session lists, as listed."""
        return tuple(p.presenter for p in self.by_id[sid].presentations)

    def known_units(self, sid: str) -> tuple[str, ...]:
        """The presenters a session lists that are units of the scenario."""
        return tuple(u for u in self.units(sid) if u in self.inst.units)

    def dialog(self, sid: str) -> SessionSpec | None:
        """The session's spec when it is a dialog (only dialogs have presenters)."""
        spec = self.specs[sid]
        return spec if spec.kind == "dialog" else None


def _invited_on(inst: Instance, spec: SessionSpec, presenting: set[str], date: dt.date) -> tuple[str, ...]:
    """Who the policy invites to a session held on ``date``, in scenario order: the invited
    regions (with the ``presenters`` policy, its presenting regions), less every region away
    that day — a region away is not invited, so the session does not count toward its caps."""
    wanted = set(spec.invited) | (presenting if spec.invite_presenters else set())
    day = (date - inst.period_start).days
    return tuple(c for c, r in inst.regions.items() if c in wanted and day not in r.away)


# -- the registry -----------------------------------------------------------------------------

Check = Callable[..., Iterable[Violation]]
"""``check(judged)`` in a whole-plan pass, ``check(judged, item)`` in the others."""


@dataclass(frozen=True, eq=False)
class Pass:
    """One walk over the plan: each of its checks is called for every item, in turn."""

    name: str
    items: Callable[[_Judged], Iterable[str]] | None = None
    """What the checks are called with; ``None``: once, for the whole plan."""


# Passes over the same items stay apart: the report lists every slot problem before any
# presenter problem, as it always has.
ENTRIES = Pass("the plan's entries")
SLOTS = Pass("each session's slot", lambda j: j.by_id)
PRESENTERS = Pass("each session's presenters", lambda j: j.by_id)
PRESENTATIONS = Pass("each presenting region", lambda j: j.presented)
INVITATIONS = Pass("each session's invitations", lambda j: j.by_id)
INVITED = Pass("each invited region", lambda j: j.invitations)
YEAR = Pass("the whole year")
PASSES = (ENTRIES, SLOTS, PRESENTERS, PRESENTATIONS, INVITATIONS, INVITED, YEAR)


@dataclass(frozen=True)
class RuleCheck:
    """One check of a rule: a function called in one pass."""

    rule: str
    over: Pass
    run: Check


CHECKS: dict[str, tuple[RuleCheck, ...]] = {}
"""Rule name → its checks (one, or two in different passes: a closing rule's slot check and
what else it says)."""

_IN_ORDER: list[RuleCheck] = []
"""Every check, in the order they are registered: within a pass, the order they run in."""


def _checks(rule: str, over: Pass) -> Callable[[Check], Check]:
    """Register a check of a rule, under its catalogue name, in one pass."""

    def register(run: Check) -> Check:
        mine = CHECKS.get(rule, ())
        if not rules.RULES[rule].hard or any(c.over is over for c in mine):
            raise ValueError(f"'{rule}' cannot be registered as a check of {over.name}")
        part = RuleCheck(rule, over, run)
        CHECKS[rule] = (*mine, part)
        _IN_ORDER.append(part)
        return run

    return register


def check(inst: Instance, plan: Plan) -> CheckReport:
    """Judge a plan: every broken hard rule, and the objective terms."""
    judged = _Judged(inst, plan)
    v: list[Violation] = []
    for p in PASSES:
        runs = [c.run for c in _IN_ORDER if c.over is p]
        if p.items is None:
            for run in runs:
                v.extend(run(judged))
            continue
        for item in p.items(judged):
            for run in runs:
                v.extend(run(judged, item))
    terms = score(inst, plan)
    weighted = {name: inst.weights.get(name, 0) * value for name, value in terms.items()}
    return CheckReport(violations=v, terms=terms, weighted=weighted)


# -- the plan's entries -----------------------------------------------------------------------


@_checks(rules.SESSION_ONCE, ENTRIES)
def session_once(j: _Judged) -> Iterator[Violation]:
    seen: set[str] = set()
    for s in j.plan.sessions:
        if s.id not in j.specs:
            yield Violation(
                rules.SESSION_ONCE,
                s.id,
                _("'{session}' is not a session of this scenario").format(session=s.id),
                (s.id,),
            )
        elif s.id in seen:
            yield Violation(
                rules.SESSION_ONCE, s.id, _("'{session}' is planned twice").format(session=s.id), (s.id,)
            )
        else:
            seen.add(s.id)
    for sid in j.specs:
        if sid not in seen:
            yield Violation(
                rules.SESSION_ONCE, sid, _("'{session}' is missing from the plan").format(session=sid), (sid,)
            )


# -- each session's slot: the rules that close slots, then its times ---------------------------


def _closed_reason(rule: str, subject: str, s: Session) -> str:
    """Why a closing rule closes the slot a session sits in."""
    text = _CLOSED_REASONS.get(rule, N_("{when} is closed by {rule}"))
    return _(text).format(
        when=f"{s.date} ({s.slot})",
        weekday=format_date(s.date, "EEEE", locale=cli_language()),
        subject=subject,
        theme=subject.split("#")[0],
        slot=s.slot,
        rule=rule,
    )


_CLOSED_REASONS = {
    rules.CALENDAR_WEEKDAY: N_("{when} falls on a {weekday}, not a meeting weekday"),
    rules.CALENDAR_HOLIDAY: N_("{when} is a holiday: {subject}"),
    rules.CALENDAR_BRIDGE_DAY: N_("{when} is a bridge day (klämdag) the scenario closes"),
    rules.CALENDAR_HALF_DAY: N_("{when}: the afternoon before a holiday is closed ({subject})"),
    rules.CALENDAR_BLACKOUT: N_("{when} lies in the blackout period '{subject}'"),
    rules.LEAD_TIME: N_("{when} is earlier than the lead time after the publication date allows"),
    rules.SESSION_SLOTS: N_("{when}: slot '{slot}' is not allowed for '{subject}'"),
    rules.SESSION_FITS_SLOT: N_("{when}: the session does not fit the slot"),
    rules.SESSION_WINDOW: N_("{when} is outside the window of '{subject}'"),
    rules.THEME_FORBIDDEN: N_("{when} lies in a forbidden period of theme '{theme}'"),
    rules.DIALOG_FOLLOWUP: N_("{when} leaves no network meeting late enough for the follow-up"),
    rules.NETWORK_FIXED: N_("{when} is not the fixed date and slot of '{subject}'"),
}
"""Closing rule → why it closes a session's slot (msgids, translated when a plan is checked)."""


def _closed(j: _Judged, sid: str, rule: str) -> Iterator[Violation]:
    """The keys of ``rule`` that close the slot a session sits in."""
    slot = j.slots.get(sid)
    if slot is None:
        return
    s = j.by_id[sid]
    for closing, subject in j.specs[sid].exclusions.get(slot.index, ()):
        if closing == rule:
            yield Violation(rule, subject, _closed_reason(rule, subject, s), (sid,))


def _closes(rule: str) -> Check:
    """The check of a rule that only closes slots."""

    def closes(j: _Judged, sid: str) -> Iterator[Violation]:
        return _closed(j, sid, rule)

    closes.__name__ = closes.__qualname__ = rule
    closes.__doc__ = f"The session's slot is not closed by {rule}."
    return closes


def session_fits_slot(j: _Judged, sid: str) -> Iterator[Violation]:
    """The session lies inside a meeting slot of the period, and one long enough."""
    if sid not in j.slots:
        s = j.by_id[sid]
        yield Violation(
            rules.SESSION_FITS_SLOT,
            sid,
            _("{start}–{end} is not inside a meeting slot of the period").format(
                start=f"{s.start:%Y-%m-%d %H:%M}", end=f"{s.end:%H:%M}"
            ),
            (sid,),
        )
        return
    yield from _closed(j, sid, rules.SESSION_FITS_SLOT)


for _rule in rules.CLOSING:  # in catalogue order: the order the instance closes one slot in
    _checks(_rule, SLOTS)(session_fits_slot if _rule == rules.SESSION_FITS_SLOT else _closes(_rule))


@_checks(rules.RUNNING_ORDER, SLOTS)
def running_order(j: _Judged, sid: str) -> Iterator[Violation]:
    """Start, end and running order agree with the slot and the session's durations."""
    slot = j.slots.get(sid)
    if slot is None:
        return
    spec, s = j.specs[sid], j.by_id[sid]
    if spec.kind == "dialog":
        units = j.units(sid)
        if any(u not in j.inst.units for u in units):
            return  # reported as presenter_eligible
        _start, end, order = realize.running_order(j.inst, spec, slot.start, units)
        if s.start != slot.start or s.end != end or tuple(s.presentations) != order:
            problem = _order_problem(s, order, s.start == slot.start and s.end == end)
            yield Violation(rules.RUNNING_ORDER, s.id, problem, (s.id,))
    elif s.end - s.start != dt.timedelta(minutes=spec.duration):
        yield Violation(
            rules.RUNNING_ORDER,
            s.id,
            _("should last {minutes} minutes").format(minutes=spec.duration),
            (s.id,),
        )


def _order_problem(s: Session, order: tuple[Presentation, ...], times_right: bool) -> str:
    """What is wrong with a running order: its times, or (times right) the focus area a slot
    says it presents, which must be the scenario's: calendars show it to every invitee."""
    if times_right and len(s.presentations) == len(order):
        for p, want in zip(s.presentations, order, strict=True):
            if p.focus != want.focus and dataclasses.replace(p, focus=want.focus) == want:
                says = f"'{want.focus}'" if want.focus else _("no focus area")
                return _("{name} presents '{focus}' by the plan, but the scenario says {says}").format(
                    name=p.name, focus=p.focus or "", says=says
                )
    return _("times do not follow the running order (host first, then each presenter in turn)")


# -- each session's presenters ------------------------------------------------------------------


@_checks(rules.PRESENTER_ELIGIBLE, PRESENTERS)
def presenter_eligible(j: _Judged, sid: str) -> Iterator[Violation]:
    units = j.units(sid)
    spec = j.dialog(sid)
    if spec is None:
        if units:
            yield Violation(rules.PRESENTER_ELIGIBLE, sid, _("only dialogs have presenters"), (sid,))
        return
    for u in units:
        if u not in spec.units:
            yield Violation(
                rules.PRESENTER_ELIGIBLE,
                u,
                _("'{unit}' may not present in '{session}' (unknown, or not interested in the theme)").format(
                    unit=u, session=sid
                ),
                (sid,),
            )
    if len(set(units)) != len(units):
        yield Violation(rules.PRESENTER_ELIGIBLE, sid, _("a presenter is listed twice"), (sid,))


@_checks(rules.SESSION_PINNED, PRESENTERS)
def session_pinned(j: _Judged, sid: str) -> Iterator[Violation]:
    spec = j.dialog(sid)
    if spec is None or spec.fixed_presenters is None:
        return
    if sorted(j.units(sid)) != sorted(spec.fixed_presenters):
        yield Violation(
            rules.SESSION_PINNED,
            sid,
            _("presenters of pinned '{session}' changed from {presenters}").format(
                session=sid, presenters=", ".join(spec.fixed_presenters) or _("none")
            ),
            (sid,),
        )


@_checks(rules.DIALOG_MIN_PRESENTERS, PRESENTERS)
def dialog_min_presenters(j: _Judged, sid: str) -> Iterator[Violation]:
    spec = j.dialog(sid)
    n = len(j.units(sid))
    if spec is not None and n < spec.min_presenters:
        yield Violation(
            rules.DIALOG_MIN_PRESENTERS,
            sid,
            _("{count} presenters, at least {least} needed").format(count=n, least=spec.min_presenters),
            (sid,),
        )


@_checks(rules.DIALOG_MAX_PRESENTERS, PRESENTERS)
def dialog_max_presenters(j: _Judged, sid: str) -> Iterator[Violation]:
    spec = j.dialog(sid)
    slot = j.slots.get(sid)
    if spec is None or slot is None:
        return
    n = len(j.units(sid))
    cap = spec.capacity(slot)
    if n > cap:
        yield Violation(
            rules.DIALOG_MAX_PRESENTERS,
            sid,
            _("{count} presenters, at most {cap} fit").format(count=n, cap=cap),
            (sid,),
        )


@_checks(rules.JOINT_PRESENTATION, PRESENTERS)
def joint_presentation(j: _Judged, sid: str) -> Iterator[Violation]:
    if j.dialog(sid) is None:
        return
    known = j.known_units(sid)
    for u in known:
        unit = j.inst.units[u]
        if len(unit.regions) > 1:
            for code in unit.regions:
                if code in known:
                    yield Violation(
                        rules.JOINT_PRESENTATION,
                        u,
                        _("{region} presents both alone and with '{unit}' in '{session}'").format(
                            region=code, unit=u, session=sid
                        ),
                        (sid,),
                        (code,),
                    )


@_checks(rules.PRESENTER_AVAILABLE, PRESENTERS)
def presenter_available(j: _Judged, sid: str) -> Iterator[Violation]:
    if j.dialog(sid) is None or sid not in j.days:
        return
    inst, day = j.inst, j.days[sid]
    for code in sorted({c for u in j.known_units(sid) for c in inst.units[u].regions}):
        region = inst.regions[code]
        for days, state in (
            (region.away, N_("{region} presents in '{session}' on {day} but is away: {why}")),
            (
                region.cannot_present,
                N_("{region} presents in '{session}' on {day} but cannot present that day: {why}"),
            ),
        ):
            if day in days:
                yield Violation(
                    rules.PRESENTER_AVAILABLE,
                    code,
                    _(state).format(region=region.name, session=sid, day=j.by_id[sid].date, why=days[day]),
                    (sid,),
                    (code,),
                )
                break


# -- each presenting region -----------------------------------------------------------------------


@_checks(rules.REGION_PRESENTATION_CAP, PRESENTATIONS)
def region_presentation_cap(j: _Judged, code: str) -> Iterator[Violation]:
    region, sids = j.inst.regions[code], j.presented[code]
    if len(sids) > region.max_presentations:
        yield Violation(
            rules.REGION_PRESENTATION_CAP,
            code,
            ngettext(
                "{region} presents {count} times, at most {most} allowed",
                "{region} presents {count} times, at most {most} allowed",
                len(sids),
            ).format(region=region.name, count=len(sids), most=region.max_presentations),
            tuple(sids),
            (code,),
        )


@_checks(rules.REGION_THEME_ONCE, PRESENTATIONS)
def region_theme_once(j: _Judged, code: str) -> Iterator[Violation]:
    region, sids = j.inst.regions[code], j.presented[code]
    per_theme = Counter(j.specs[sid].theme for sid in sids)
    for theme, k in per_theme.items():
        if k > 1:
            yield Violation(
                rules.REGION_THEME_ONCE,
                code,
                ngettext(
                    "{region} presents {count} times on theme '{theme}'",
                    "{region} presents {count} times on theme '{theme}'",
                    k,
                ).format(region=region.name, count=k, theme=theme),
                tuple(sid for sid in sids if j.specs[sid].theme == theme),
                (code,),
            )


@_checks(rules.REGION_PRESENTATION_GAP, PRESENTATIONS)
def region_presentation_gap(j: _Judged, code: str) -> Iterator[Violation]:
    region = j.inst.regions[code]
    placed = sorted((j.days[sid], sid) for sid in j.presented[code] if sid in j.days)
    for (d1, a), (d2, b) in itertools.pairwise(placed):
        if d2 - d1 < region.presentation_gap_days:
            yield Violation(
                rules.REGION_PRESENTATION_GAP,
                code,
                ngettext(
                    "{region} presents {count} days apart ('{a}', '{b}'); at least {least} needed",
                    "{region} presents {count} days apart ('{a}', '{b}'); at least {least} needed",
                    d2 - d1,
                ).format(region=region.name, count=d2 - d1, a=a, b=b, least=region.presentation_gap_days),
                (a, b),
                (code,),
            )


# -- each session's invitations, then each invited region ---------------------------------------


@_checks(rules.SESSION_INVITED, INVITATIONS)
def session_invited(j: _Judged, sid: str) -> Iterator[Violation]:
    if tuple(j.by_id[sid].invited) != j.invited[sid]:
        yield Violation(
            rules.SESSION_INVITED,
            sid,
            _("the invited regions differ from the scenario's invitation policy"),
            (sid,),
        )


@_checks(rules.REGION_DOUBLE_BOOKING, INVITED)
def region_double_booking(j: _Judged, code: str) -> Iterator[Violation]:
    region = j.inst.regions[code]
    times = sorted((j.by_id[sid].start, j.by_id[sid].end, sid) for _, sid in j.invitations[code])
    for (_s1, e1, a), (s2, _e2, b) in itertools.pairwise(times):
        if s2 < e1:
            yield Violation(
                rules.REGION_DOUBLE_BOOKING,
                code,
                _("{region} is invited to '{a}' and '{b}' at the same time").format(
                    region=region.name, a=a, b=b
                ),
                (a, b),
                (code,),
            )


@_checks(rules.REGION_DAILY_CAP, INVITED)
def region_daily_cap(j: _Judged, code: str) -> Iterator[Violation]:
    region, items = j.inst.regions[code], j.invitations[code]
    per_day = Counter(d for d, _ in items)
    for d, k in sorted(per_day.items()):
        if k > region.daily_max:
            yield Violation(
                rules.REGION_DAILY_CAP,
                code,
                ngettext(
                    "{region} is invited {count} times on {day}, at most {most} allowed",
                    "{region} is invited {count} times on {day}, at most {most} allowed",
                    k,
                ).format(region=region.name, count=k, day=d, most=region.daily_max),
                tuple(sid for day, sid in items if day == d),
                (code,),
            )


@_checks(rules.REGION_INVITATION_CAP, INVITED)
def region_invitation_cap(j: _Judged, code: str) -> Iterator[Violation]:
    inst, region, items = j.inst, j.inst.regions[code], j.invitations[code]
    worst, start = worst_window([d for d, _ in items], inst.window_days)
    if worst > region.window_max and start is not None:
        end = start + dt.timedelta(days=inst.window_days - 1)
        yield Violation(
            rules.REGION_INVITATION_CAP,
            code,
            ngettext(
                "{region} is invited {count} times in the {days} days {start}..{end}, at most {most} allowed",
                "{region} is invited {count} times in the {days} days {start}..{end}, at most {most} allowed",
                worst,
            ).format(
                region=region.name,
                count=worst,
                days=inst.window_days,
                start=start,
                end=end,
                most=region.window_max,
            ),
            tuple(sid for day, sid in items if start <= day <= end),
            (code,),
        )


# -- the whole year ----------------------------------------------------------------------------

Neighbours = Iterator[tuple[HostSpec, Session, Session]]


def host_neighbours(inst: Instance, sessions: Iterable[Session]) -> Neighbours:
    """Each host's sessions two by two in date order: the pairs ``host_tempo`` looks at."""
    per_host: dict[str, list[Session]] = {}
    for s in sessions:
        per_host.setdefault(s.host, []).append(s)
    for host_id, mine in per_host.items():
        host = inst.hosts.get(host_id)
        if host is not None:
            mine.sort(key=lambda s: (s.date, s.id))
            yield from ((host, a, b) for a, b in itertools.pairwise(mine))


@_checks(rules.HOST_TEMPO, YEAR)
def host_tempo(j: _Judged) -> Iterator[Violation]:
    for host, a, b in host_neighbours(j.inst, j.by_id.values()):
        apart = (b.date - a.date).days
        if apart < host.gap_days:
            yield Violation(
                rules.HOST_TEMPO,
                host.id,
                ngettext(
                    "{host} holds '{a}' and '{b}' {count} days apart; at least {least} needed",
                    "{host} holds '{a}' and '{b}' {count} days apart; at least {least} needed",
                    apart,
                ).format(host=host.name, a=a.id, b=b.id, count=apart, least=host.gap_days),
                (a.id, b.id),
            )


@_checks(rules.LEARNING_FIRST, YEAR)
def learning_first(j: _Judged) -> Iterator[Violation]:
    inst, days = j.inst, j.days
    if inst.learning is None or inst.learning not in days:
        return
    for s in inst.dialogs():
        if s.id in days and days[inst.learning] + inst.learning_gap_days > days[s.id]:
            yield Violation(
                rules.LEARNING_FIRST,
                "learning",
                _("the learning meeting must come at least {days} days before '{session}' ({day})").format(
                    days=inst.learning_gap_days, session=s.id, day=j.by_id[s.id].date
                ),
                (inst.learning, s.id),
            )


@_checks(rules.DIALOG_FOLLOWUP, YEAR)
def dialog_followup(j: _Judged) -> Iterator[Violation]:
    """Each dialog is followed up on the first network meeting late enough (its slot leaving
    one at all is the rule's slot check)."""
    for sid, s in j.by_id.items():
        expected = j.followups.get(sid)
        if s.kind == "dialog" and s.followup_on != expected:
            yield Violation(
                rules.DIALOG_FOLLOWUP,
                sid,
                _("follow-up should be on '{expected}', the plan says '{planned}'").format(
                    expected=expected, planned=s.followup_on
                ),
                (sid,),
            )
