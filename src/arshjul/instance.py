"""The normalized problem: plain data with day indices, no solver import.

``build_instance(scenario)`` resolves everything the planner wrote into the facts the model
and the checker share: the grid of meeting slots in the period, for every session the slots
that are open to it and *which rule closes each of the others*, who may present where, who
is invited, and every limit per region and host.  Each rule instance is named by a
:data:`RuleKey` ``(rule, subject)``; the same key switches it off in the model, reports it in
the checker and names it in explanations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from . import rules, swedish
from .errors import ScenarioError
from .i18n import DEFAULT_LANGUAGE, N_, Language, cli_day
from .i18n import _ as gettext  # `_` is this module's throwaway name
from .plan import Closure
from .scenario import WEEKDAYS, Scenario, Span

RuleKey = tuple[str, str]
"""``(rule name, subject)``, e.g. ``("region_invitation_cap", "SE-I")``; the names are those
of the catalogue (:mod:`arshjul.rules`)."""


@dataclass(frozen=True)
class SlotTime:
    """One meeting slot on one day of the period."""

    index: int
    day: int
    """Days since the period start."""
    date: dt.date
    slot: str
    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Unit:
    """Who may take a presenter slot: one region, or a group presenting jointly."""

    id: str
    name: str
    regions: tuple[str, ...]
    order: int
    """Position in the running order (scenario order of the first member)."""


@dataclass
class RegionSpec:
    code: str
    name: str
    contact: str | None
    window_max: int
    daily_max: int
    max_presentations: int
    presentation_gap_days: int
    away: dict[int, str] = field(default_factory=dict)
    """Day index → why the region takes no part that day (``away``, ``unavailable``): it
    neither presents nor is invited, so a session held that day does not count for it."""
    cannot_present: dict[int, str] = field(default_factory=dict)
    """Day index → why the region cannot present that day, though it may listen
    (``cannot_present``, school holidays): invited and counted as on any other day."""

    @property
    def unavailable(self) -> dict[int, str]:
        """Day index → why the region cannot present that day: away, or unable to present."""
        return {**self.cannot_present, **self.away}

    def can_present(self, day: int) -> bool:
        """The region may present on this day (neither away nor unable to present)."""
        return day not in self.away and day not in self.cannot_present

    def invitable(self, day: int) -> bool:
        """The region can be invited to a session held on this day (it is not away)."""
        return day not in self.away


@dataclass
class ThemeSpec:
    id: str
    name: str
    host: str
    interest: dict[str, int]
    """Region code → interest weight."""
    sessions: list[str] = field(default_factory=list)
    preferred_months: frozenset[int] = frozenset()
    focus: dict[str, str] = field(default_factory=dict)
    """Region code → the S3 focus area it presents on this theme (its ``interested`` entry's
    ``focus``), where the scenario says; the running order shows it, the model ignores it."""

    def focus_of(self, regions: Iterable[str]) -> str | None:
        """What a slot speaking for ``regions`` presents: its regions' focus areas in order,
        each once, joined with "; " (``None`` when none has one)."""
        areas = list(dict.fromkeys(self.focus[c] for c in regions if self.focus.get(c)))
        return "; ".join(areas) or None


@dataclass
class HostSpec:
    id: str
    name: str
    email: str | None
    gap_days: int
    location: str | None
    meeting_link: str | None


@dataclass
class SessionSpec:
    """A session to place: its open slots, its presenters, its invitations."""

    id: str
    kind: str
    host: str
    title: str
    theme: str | None = None
    occurrence: int = 1
    description: str = ""
    location: str | None = None
    meeting_link: str | None = None
    duration: int = 60
    """Minutes for sessions without presenters."""
    host_minutes: int = 0
    presenter_minutes: int = 0
    min_presenters: int = 0
    max_presenters: int = 0
    units: tuple[str, ...] = ()
    """Units that may present here (dialogs only)."""
    invited: frozenset[str] = frozenset()
    """Regions invited whoever presents — except on a day a region is away
    (:meth:`RegionSpec.invitable`): a session held then does not invite it."""
    invite_presenters: bool = False
    """With the ``presenters`` policy, presenting regions are invited too (and only they)."""
    exclusions: dict[int, tuple[RuleKey, ...]] = field(default_factory=dict)
    """Slot index → every rule that closes that slot to this session."""
    fixed_presenters: tuple[str, ...] | None = None

    def closed_but(self, slot: int, key: RuleKey, n_slots: int) -> dict[int, tuple[RuleKey, ...]]:
        """Every other slot closed to this session by ``key`` too (a frozen session, or one
        whose day is kept): the exclusions of every slot but ``slot``."""
        return {u: (*self.exclusions.get(u, ()), key) for u in range(n_slots) if u != slot}

    def candidates(self, n_slots: int, disabled: frozenset[RuleKey] = frozenset()) -> list[int]:
        """Slots open to this session once the ``disabled`` rules are switched off."""
        closed = self.exclusions
        if not disabled:  # the usual case, and a hot one: a slot is open when nothing closes it
            return [t for t in range(n_slots) if not closed.get(t)]
        return [t for t in range(n_slots) if all(key in disabled for key in closed.get(t, ()))]

    def capacity(self, slot: SlotTime) -> int:
        """Most presenters that fit the slot after the host's own minutes."""
        if self.presenter_minutes <= 0:
            return 0
        return max(0, min(self.max_presenters, (slot.minutes - self.host_minutes) // self.presenter_minutes))


@dataclass
class Instance:
    """Everything the model and the checker need, resolved from one scenario."""

    scenario_id: str
    name: str
    timezone: str
    period_start: dt.date
    period_end: dt.date
    publication_date: dt.date | None
    window_days: int
    slots: list[SlotTime]
    sessions: list[SessionSpec]
    units: dict[str, Unit]
    regions: dict[str, RegionSpec]
    themes: dict[str, ThemeSpec]
    hosts: dict[str, HostSpec]
    weights: dict[str, int]
    learning: str | None = None
    learning_gap_days: int = 0
    followup_days: int | None = None
    closed_days: dict[int, list[tuple[RuleKey, str]]] = field(default_factory=dict)
    """Day index → why the day is closed (rule and a planner-readable reason)."""
    closed_slots: dict[int, list[tuple[RuleKey, str]]] = field(default_factory=dict)
    """Slot index → why a slot on an otherwise open day is closed."""
    closures: list[Closure] = field(default_factory=list)
    language: Language = DEFAULT_LANGUAGE
    """Language of what the regions receive (the scenario's ``language``)."""
    labels: dict[str, str] = field(default_factory=dict)
    """Meeting kind → the agency's own word for it, where the scenario gives one."""

    @property
    def n_days(self) -> int:
        return (self.period_end - self.period_start).days + 1

    def date(self, day: int) -> dt.date:
        return self.period_start + dt.timedelta(days=day)

    def region_days(self, code: str) -> list[str]:
        """One line per day the region is away or cannot present, with why and where from
        (``Tue 2027-03-02  away dalarna-busy.ics: "Regionfullmäktige" (2027-03-02)``); a
        ``ScenarioError`` for a code the scenario has no region for."""
        region = self.regions.get(code)
        if region is None:
            raise ScenarioError(
                gettext("no region {code} in the scenario (its regions: {regions})").format(
                    code=repr(code), regions=", ".join(self.regions)
                ),
                field="--region",
            )
        return [f"{cli_day(self.date(day))}  {why}" for day, why in sorted(region.unavailable.items())]

    def day(self, date: dt.date) -> int:
        return (date - self.period_start).days

    def session(self, session_id: str) -> SessionSpec:
        for s in self.sessions:
            if s.id == session_id:
                return s
        raise KeyError(session_id)

    def dialogs(self) -> list[SessionSpec]:
        return [s for s in self.sessions if s.kind == "dialog"]


def _days(spans: Iterable[Span], first: dt.date, last: dt.date) -> set[dt.date]:
    return {d for span in spans for d in span.days(first, last)}


def _interest(scenario: Scenario) -> dict[str, dict[str, int]]:
    """Theme id → region code → weight: explicit lists, else tag matches, else everyone."""
    tags_of = {r.code: {t.casefold() for a in r.s3 for t in a.tags} for r in scenario.regions}
    out: dict[str, dict[str, int]] = {}
    for _, theme in scenario.themes():
        if theme.interested is not None:
            out[theme.id] = {i.region: i.weight for i in theme.interest()}
        elif theme.tags:
            wanted = {t.casefold() for t in theme.tags}
            out[theme.id] = {
                r.code: theme.interest_weight for r in scenario.regions if tags_of[r.code] & wanted
            }
        else:
            out[theme.id] = {r.code: theme.interest_weight for r in scenario.regions}
    return out


def _focus(scenario: Scenario) -> dict[str, dict[str, str]]:
    """Theme id → region code → focus area, from explicit ``interested`` entries only."""
    return {
        theme.id: {i.region: i.focus for i in theme.interest() if i.focus}
        for _, theme in scenario.themes()
        if theme.interested is not None
    }


_NOT_MEETING_DAYS = (
    N_("Mondays are not meeting days"),
    N_("Tuesdays are not meeting days"),
    N_("Wednesdays are not meeting days"),
    N_("Thursdays are not meeting days"),
    N_("Fridays are not meeting days"),
    N_("Saturdays are not meeting days"),
    N_("Sundays are not meeting days"),
)
"""Why a day of the week is closed (Monday first, as ``date.weekday()``)."""


def build_instance(scenario: Scenario) -> Instance:
    """Resolve a validated scenario into day-indexed plain data."""
    s = scenario
    tz = ZoneInfo(s.timezone)
    first, last = s.period.start, s.period.end
    n_days = (last - first).days + 1
    weekdays = {WEEKDAYS.index(w) for w in s.weekdays}

    # -- the calendar: which days and slots are closed, and why ---------------------------
    closed_days: dict[int, list[tuple[RuleKey, str]]] = {}
    closures: list[Closure] = []
    hol = swedish.holidays_in(first.year, last.year) if s.calendar.holidays else ()
    half_days: dict[dt.date, str] = {}
    for h in hol:
        if not first <= h.day <= last:
            continue
        if h.half_day:
            if s.calendar.close_half_day_afternoons:
                half_days[h.day] = h.name
            continue
        if h.bridge and not s.calendar.close_bridge_days:
            continue
        rule = rules.CALENDAR_BRIDGE_DAY if h.bridge else rules.CALENDAR_HOLIDAY
        closed_days.setdefault((h.day - first).days, []).append(((rule, f"{h.day} {h.name}"), h.name))
        closures.append(Closure(name=h.name, start=h.day, end=h.day, kind="holiday"))
    # the reasons are what the planner reads (calendar, explain, check): in the command line's
    # (or the page's) language when the instance is built; no file is written from them
    blackout = gettext("blackout {label}")
    for k, span in enumerate(s.calendar.blackouts):
        label = span.name or f"blackouts[{k}]"
        days = sorted(span.days(first, last))
        for d in days:
            closed_days.setdefault((d - first).days, []).append(
                ((rules.CALENDAR_BLACKOUT, label), blackout.format(label=label))
            )
        for a, b in _runs(days):
            closures.append(Closure(name=label, start=a, end=b, kind="blackout"))
    not_weekday = [gettext(m) for m in _NOT_MEETING_DAYS]
    for i in range(n_days):
        d = first + dt.timedelta(days=i)
        if d.weekday() not in weekdays:
            closed_days.setdefault(i, []).insert(
                0, ((rules.CALENDAR_WEEKDAY, WEEKDAYS[d.weekday()]), not_weekday[d.weekday()])
            )
    closures.sort(key=lambda c: (c.start, c.name))

    # -- the slot grid ----------------------------------------------------------------------
    slots: list[SlotTime] = []
    closed_slots: dict[int, list[tuple[RuleKey, str]]] = {}
    closes = gettext("{day}: closes at 14:00")
    for i in range(n_days):
        d = first + dt.timedelta(days=i)
        for sl in s.slots:
            t = SlotTime(
                index=len(slots),
                day=i,
                date=d,
                slot=sl.id,
                start=dt.datetime.combine(d, sl.start, tzinfo=tz),
                end=dt.datetime.combine(d, sl.end, tzinfo=tz),
            )
            if d in half_days and sl.end > swedish.HALF_DAY_CLOSES_AT:
                closed_slots[t.index] = [
                    ((rules.CALENDAR_HALF_DAY, f"{d} {half_days[d]}"), closes.format(day=half_days[d]))
                ]
            slots.append(t)

    base_keys = [
        tuple(key for key, _ in closed_days.get(t.day, []) + closed_slots.get(t.index, [])) for t in slots
    ]
    """Per slot index, what closes it to every session (each session's exclusions start here)."""
    slot_minutes = [t.minutes for t in slots]

    # -- regions, groups, units -----------------------------------------------------------------
    lim = s.limits
    regions: dict[str, RegionSpec] = {}
    away_why, cannot_why = gettext("away {period}"), gettext("cannot present {period}")
    school_why, week_why = gettext("school holiday {period}"), gettext("{name} (week {week})")
    for r in s.regions:
        away: dict[int, str] = {}
        for _, _, span in r.away_spans():
            for d in span.days(first, last):
                away.setdefault((d - first).days, away_why.format(period=span.describe()).strip())
        cannot_present: dict[int, str] = {}
        for _, _, span in r.cannot_present_spans():
            for d in span.days(first, last):
                cannot_present.setdefault((d - first).days, cannot_why.format(period=span.describe()).strip())
        # school holidays: staff take them, the region does not close — it cannot present,
        # but may listen and is invited (and counted) as on any other day
        if s.calendar.school_holidays:
            if r.school_holidays is not None:
                for span in r.school_holidays:
                    for d in span.days(first, last):
                        cannot_present.setdefault((d - first).days, school_why.format(period=span.describe()))
            else:
                for year in range(first.isocalendar().year, last.isocalendar().year + 1):
                    for name, week_from, week_to in swedish.school_holiday_weeks(r.code, year):
                        for week in range(week_from, week_to + 1):
                            for weekday in range(1, 8):
                                d = dt.date.fromisocalendar(year, week, weekday)
                                if first <= d <= last:
                                    cannot_present.setdefault(
                                        (d - first).days, week_why.format(name=name, week=week)
                                    )
        rl = r.limits
        regions[r.code] = RegionSpec(
            code=r.code,
            name=r.name,
            contact=r.contact,
            window_max=lim.window_max if rl.window_max is None else rl.window_max,
            daily_max=lim.daily_max if rl.daily_max is None else rl.daily_max,
            max_presentations=lim.max_presentations if rl.max_presentations is None else rl.max_presentations,
            presentation_gap_days=lim.presentation_gap_days
            if rl.presentation_gap_days is None
            else rl.presentation_gap_days,
            away=away,
            cannot_present=cannot_present,
        )
    order = {r.code: k for k, r in enumerate(s.regions)}
    units: dict[str, Unit] = {
        r.code: Unit(id=r.code, name=r.name, regions=(r.code,), order=order[r.code]) for r in s.regions
    }
    for g in s.groups:
        members = tuple(sorted(g.members, key=order.__getitem__))
        units[g.id] = Unit(id=g.id, name=g.name, regions=members, order=order[members[0]])

    # -- hosts ----------------------------------------------------------------------------------
    hosts = {
        h.id: HostSpec(
            id=h.id,
            name=h.name,
            email=h.email,
            gap_days=h.gap_days or lim.host_gap_days,
            location=h.location,
            meeting_link=h.meeting_link,
        )
        for h in s.hosts
    }

    every_region = frozenset(regions)
    lead_first = s.first_open_day
    net_days: list[int] = []
    followup_days: int | None = None
    if s.network:
        net_days = sorted((d - first).days for d in s.network.dates)
        if s.network.followup_weeks is not None:
            followup_days = 7 * s.network.followup_weeks

    followup_by: int | None = None
    """The last day a dialog may be held and still be followed up at a network meeting (-1:
    none can; ``None``: no follow-up asked for)."""
    if followup_days is not None:
        followup_by = net_days[-1] - followup_days if net_days else -1  # net_days is sorted

    def exclusions_for(
        session_key: str,
        allowed_slots: list[str] | None,
        window: Span | None,
        forbidden: list[tuple[str, Span]] = (),  # type: ignore[assignment]
        *,
        minutes: int,
        lead_time: bool = True,
        followup: bool = False,
    ) -> dict[int, tuple[RuleKey, ...]]:
        window_days = None if window is None else {(d - first).days for d in window.days(first, last)}
        forbid = [(sub, {(d - first).days for d in span.days(first, last)}) for sub, span in forbidden]
        out: dict[int, tuple[RuleKey, ...]] = {}
        for t in slots:
            keys = list(base_keys[t.index])
            if lead_time and t.date < lead_first:
                keys.append((rules.LEAD_TIME, "publication"))
            if allowed_slots is not None and t.slot not in allowed_slots:
                keys.append((rules.SESSION_SLOTS, session_key))
            if slot_minutes[t.index] < minutes:
                keys.append((rules.SESSION_FITS_SLOT, session_key))
            if window_days is not None and t.day not in window_days:
                keys.append((rules.SESSION_WINDOW, session_key))
            for sub, days in forbid:
                if t.day in days:
                    keys.append((rules.THEME_FORBIDDEN, sub))
            if followup and followup_by is not None and t.day > followup_by:
                keys.append((rules.DIALOG_FOLLOWUP, "network"))
            if keys:
                out[t.index] = tuple(keys)
        return out

    sessions: list[SessionSpec] = []
    themes: dict[str, ThemeSpec] = {}
    interest = _interest(s)
    focus = _focus(s)
    for host, theme in s.themes():
        wanted = interest[theme.id]
        unit_ids = tuple(
            u.id
            for u in sorted(units.values(), key=lambda u: (u.order, len(u.regions)))
            if any(code in wanted for code in u.regions)
        )
        if theme.invite == "all":
            invited = every_region
        elif theme.invite == "interested":
            invited = frozenset(wanted) | {c for u in unit_ids for c in units[u].regions}
        else:
            invited = frozenset()
        spec = ThemeSpec(
            id=theme.id,
            name=theme.name,
            host=host.id,
            interest=dict(wanted),
            preferred_months=frozenset(theme.preferred_months),
            focus=dict(focus.get(theme.id, {})),
        )
        excl = exclusions_for(
            theme.id,
            theme.slots,
            theme.window,
            [(f"{theme.id}#{k}", span) for k, span in enumerate(theme.forbidden)],
            minutes=theme.host_minutes + theme.min_presenters * theme.presenter_minutes,
            followup=True,
        )
        for k in range(1, theme.dialogs + 1):
            sid = f"{host.id}.dialog.{theme.id}.{k}"
            spec.sessions.append(sid)
            sessions.append(
                SessionSpec(
                    id=sid,
                    kind="dialog",
                    host=host.id,
                    title=theme.name,
                    theme=theme.id,
                    occurrence=k,
                    description=theme.description,
                    location=host.location,
                    meeting_link=host.meeting_link,
                    host_minutes=theme.host_minutes,
                    presenter_minutes=theme.presenter_minutes,
                    min_presenters=theme.min_presenters,
                    max_presenters=theme.max_presenters,
                    units=unit_ids,
                    invited=invited,
                    invite_presenters=theme.invite == "presenters",
                    exclusions=excl,
                )
            )
        themes[theme.id] = spec

    tags_of = {r.code: {t.casefold() for a in r.s3 for t in a.tags} for r in s.regions}

    def hosted(sid: str, kind: str, host: str, title: str, description: str, duration: int) -> SessionSpec:
        """A session without presenters (hybrid, learning, network), held where its host
        meets; the caller sets ``invited`` and ``exclusions``."""
        return SessionSpec(
            id=sid,
            kind=kind,
            host=host,
            title=title,
            description=description,
            location=hosts[host].location,
            meeting_link=hosts[host].meeting_link,
            duration=duration,
        )

    for hy in s.hybrids:
        wanted_tags = {t.casefold() for t in hy.tags}
        held = hosted(
            f"{hy.host}.hybrid.{hy.id}", "hybrid", hy.host, hy.topic, hy.description, hy.duration_minutes
        )
        held.invited = (
            every_region
            if hy.invite == "all" or not wanted_tags
            else frozenset(c for c in regions if tags_of[c] & wanted_tags)
        )
        held.exclusions = exclusions_for(hy.id, hy.slots, hy.window, minutes=hy.duration_minutes)
        sessions.append(held)

    learning_id = None
    learning_gap = 0
    if s.learning_meeting:
        lm = s.learning_meeting
        learning_id = f"{lm.host}.learning"
        learning_gap = lm.days_before_first_dialog
        held = hosted(learning_id, "learning", lm.host, lm.name, lm.description, lm.duration_minutes)
        held.invited = every_region
        held.exclusions = exclusions_for("learning", lm.slots, lm.window, minutes=lm.duration_minutes)
        sessions.append(held)

    if s.network:
        net = s.network
        for d in sorted(net.dates):
            sid = f"{net.host}.network.{d.isoformat()}"
            fixed: dict[int, tuple[RuleKey, ...]] = {}
            for t in slots:
                keys = list(base_keys[t.index])
                if t.date != d or t.slot != net.slot:
                    keys = [(rules.NETWORK_FIXED, sid)]
                elif slot_minutes[t.index] < net.duration_minutes:
                    keys.append((rules.SESSION_FITS_SLOT, sid))
                if keys:
                    fixed[t.index] = tuple(keys)
            held = hosted(sid, "network", net.host, net.name, net.description, net.duration_minutes)
            held.invited = every_region
            held.exclusions = fixed
            sessions.append(held)

    for sess in sessions:
        if sess.kind != "dialog" and sess.duration > max(t.minutes for t in slots[: len(s.slots)]):
            raise ScenarioError(
                f"session '{sess.id}' lasts {sess.duration} minutes, longer than every meeting slot",
                field="slots",
            )

    return Instance(
        scenario_id=s.id,
        name=s.name,
        timezone=s.timezone,
        period_start=first,
        period_end=last,
        publication_date=s.publication_date,
        window_days=lim.window_days,
        slots=slots,
        sessions=sessions,
        units=units,
        regions=regions,
        themes=themes,
        hosts=hosts,
        weights=s.weights.model_dump(),
        learning=learning_id,
        learning_gap_days=learning_gap,
        followup_days=followup_days if net_days else None,
        closed_days=closed_days,
        closed_slots=closed_slots,
        closures=closures,
        language=s.language,
        labels=s.labels.model_dump(exclude_none=True),
    )


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive runs of sorted days, as (first, last) pairs."""
    out: list[tuple[dt.date, dt.date]] = []
    for d in days:
        if out and (d - out[-1][1]).days == 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


@dataclass(frozen=True)
class Assignment:
    """A solution in instance terms: where each session sits and who presents."""

    slot: dict[str, int]
    """Session id → slot index."""
    presenters: dict[str, tuple[str, ...]]
    """Session id → presenting unit ids (dialogs)."""
