"""Hard rules of the year: one constraint function per rule, registered under its name.

Every function reads the :class:`~arshjul.cpsat.model.Model`'s variables and adds the
constraints of one rule of the catalogue (:mod:`arshjul.rules`), each instance under its
:data:`~arshjul.instance.RuleKey` so it can be switched off (``Model.on`` returns ``None``) or
carry an enforcement literal.  :data:`CONSTRAINTS` maps each rule's name to its function,
in the order :func:`add_all` adds them (the order is part of the model: same order, same
plan); the same names are used by :mod:`arshjul.check` and by the explanations.

The rules that close slots share one implementation, :class:`ClosedSlots`, parametrised by
the rule's name.  Structural rules hold by how the variables are made (a presenter variable
exists only for an eligible unit); ``session_once`` is the one of them with a constraint.
``dialog_order`` is no rule: it is the symmetry breaking added after them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .. import rules
from ..instance import RegionSpec, RuleKey, SessionSpec
from .model import Model

Constraint = Callable[[Model], None]

CONSTRAINTS: dict[str, Constraint] = {}
"""Rule name → the function that adds its constraints, in the order they are added."""


def constraint(rule: str) -> Callable[[Constraint], Constraint]:
    """Register a constraint function under its rule's catalogue name."""

    def register(build: Constraint) -> Constraint:
        if not rules.RULES[rule].hard or rule in CONSTRAINTS:
            raise ValueError(f"'{rule}' cannot be registered as a constraint")
        CONSTRAINTS[rule] = build
        return build

    return register


def add_all(m: Model) -> None:
    """Every rule of :data:`CONSTRAINTS` in its order (the order a reader meets them in the
    scenario file), then the symmetry breaking.  Consecutive slot-closing rules are added in
    one pass over the sessions' closed slots, so their constraints and switches come in the
    order the instance closed each slot (the model does not depend on how many of them the
    registry lists one by one)."""
    for build in _passes(CONSTRAINTS.values()):
        build(m)
    dialog_order(m)


def _passes(builds: Iterable[Constraint]) -> list[Constraint]:
    """The constraint functions in order, each run of :class:`ClosedSlots` fused into one."""
    out: list[Constraint] = []
    for build in builds:
        last = out[-1] if out else None
        if isinstance(build, ClosedSlots) and isinstance(last, ClosedSlots):
            out[-1] = ClosedSlots(last.names | build.names)
        else:
            out.append(build)
    return out


@constraint(rules.SESSION_ONCE)
def session_once(m: Model) -> None:
    """Each session is held exactly once (structural: never switched off)."""
    for s in m.instance.sessions:
        m.cp.add_exactly_one(m.x[s.id, t] for t in m.candidates[s.id])


@dataclass(frozen=True)
class ClosedSlots:
    """The constraint of rules that close slots (calendar, lead time, windows, forbidden
    periods, allowed slots, follow-up, fixed dates, freezing).  In strict mode those slots
    are already left out of the candidates; switchable, each closing key forbids its slots
    under its own literal."""

    names: frozenset[str]

    def __call__(self, m: Model) -> None:
        if not m.switchable:
            return
        for s in m.instance.sessions:
            for t, keys in s.exclusions.items():
                for key in keys:
                    if key[0] not in self.names:
                        continue
                    lits = m.on(key)
                    if lits is not None:
                        m.cp.add(m.x[s.id, t] == 0).only_enforce_if(lits)


for _rule in rules.CLOSING:
    constraint(_rule)(ClosedSlots(frozenset({_rule})))


@constraint(rules.DIALOG_MIN_PRESENTERS)
def dialog_min_presenters(m: Model) -> None:
    """At least ``min_presenters`` presenter slots filled in every dialog."""
    for s in m.instance.dialogs():
        lits = m.on((rules.DIALOG_MIN_PRESENTERS, s.id))
        if lits is None or s.min_presenters == 0:
            continue
        m.cp.add(sum(m.p[s.id, u] for u in s.units) >= s.min_presenters).only_enforce_if(lits)


@constraint(rules.DIALOG_MAX_PRESENTERS)
def dialog_max_presenters(m: Model) -> None:
    """No more presenters than ``max_presenters`` and than fit the slot after the host."""
    inst = m.instance
    for s in inst.dialogs():
        lits = m.on((rules.DIALOG_MAX_PRESENTERS, s.id))
        if lits is None or not s.units:
            continue
        m.cp.add(sum(m.p[s.id, u] for u in s.units) <= _fit(m, s)).only_enforce_if(lits)


def _fit(m: Model, s: SessionSpec) -> cp_model.LinearExprT:
    """How many presenters the session's slot holds: Σ capacity × x, written as the most
    common capacity plus the slots that differ from it (the session sits in exactly one
    slot, so both are the same; most slots hold the same, and 312 dialogs over two years
    had 241,000 terms).  The bound after 15 s was the same either way (tight L seed 0)."""
    caps = {t: s.capacity(m.instance.slots[t]) for t in m.candidates[s.id]}
    if not caps:
        return 0
    common = Counter(caps.values()).most_common(1)[0][0]
    return common + sum((c - common) * m.x[s.id, t] for t, c in caps.items() if c != common)


@constraint(rules.JOINT_PRESENTATION)
def joint_presentation(m: Model) -> None:
    """A region presents alone or with its group in a dialog, not both."""
    inst = m.instance
    for s in inst.dialogs():
        for u in s.units:
            unit = inst.units[u]
            if len(unit.regions) < 2:
                continue
            lits = m.on((rules.JOINT_PRESENTATION, u))
            if lits is None:
                continue
            for code in unit.regions:
                if code in s.units:
                    m.cp.add(m.p[s.id, u] + m.p[s.id, code] <= 1).only_enforce_if(lits)


@constraint(rules.PRESENTER_AVAILABLE)
def presenter_available(m: Model) -> None:
    """A region presents only on a day it is available (own unavailability, school holidays).

    Written over the smaller side: "presenting, or one of the slots the region is away" at
    most one, or "presenting implies one of the slots it is there" — both exact because the
    slots are exactly-one, both tight in the LP."""
    inst = m.instance
    for s in inst.dialogs():
        for u in s.units:
            for code in inst.units[u].regions:
                region = inst.regions[code]
                if not region.away and not region.cannot_present:
                    continue
                bad = [m.x[s.id, t] for t in m.candidates[s.id] if not region.can_present(inst.slots[t].day)]
                if not bad:
                    continue
                lits = m.on((rules.PRESENTER_AVAILABLE, code))
                if lits is None:
                    continue
                if 2 * len(bad) <= len(m.candidates[s.id]):
                    m.cp.add_at_most_one([m.p[s.id, u], *bad]).only_enforce_if(lits)
                else:
                    good = [m.x[s.id, t] for t in m.candidates[s.id] if region.can_present(inst.slots[t].day)]
                    m.cp.add(m.p[s.id, u] <= sum(good)).only_enforce_if(lits)


@constraint(rules.REGION_THEME_ONCE)
def region_theme_once(m: Model) -> None:
    """A region presents at most once on each theme."""
    inst = m.instance
    for theme in inst.themes.values():
        if len(theme.sessions) < 2:
            continue
        for code in inst.regions:
            terms = [v for sid in theme.sessions for v in m.presents(inst.session(sid), code)]
            if len(terms) < 2:
                continue
            lits = m.on((rules.REGION_THEME_ONCE, code))
            if lits is not None:
                m.cp.add(sum(terms) <= 1).only_enforce_if(lits)


@constraint(rules.REGION_PRESENTATION_CAP)
def region_presentation_cap(m: Model) -> None:
    """At most ``max_presentations`` presentations per region in the period."""
    inst = m.instance
    for code, region in inst.regions.items():
        terms = [v for s in inst.dialogs() for v in m.presents(s, code)]
        if len(terms) <= region.max_presentations:
            continue
        lits = m.on((rules.REGION_PRESENTATION_CAP, code))
        if lits is not None:
            m.cp.add(sum(terms) <= region.max_presentations).only_enforce_if(lits)


@constraint(rules.REGION_PRESENTATION_GAP)
def region_presentation_gap(m: Model) -> None:
    """At least ``presentation_gap_days`` between two presentations by the same region.

    Each possible presentation occupies ``[day, day + gap)``; the intervals may not overlap.
    Absent when the region does not present there."""
    inst = m.instance
    for code, region in inst.regions.items():
        gap = region.presentation_gap_days
        mine = [(s, m.presents(s, code)) for s in inst.dialogs()]
        mine = [(s, v) for s, v in mine if v]
        if gap <= 0 or len(mine) < 2:
            continue
        lits = m.on((rules.REGION_PRESENTATION_GAP, code))
        if lits is None:
            continue
        intervals = [
            m.interval(s.id, gap, m.both(m.presenting(s, code), lits), f"gap[{code}]") for s, _ in mine
        ]
        m.cp.add_no_overlap(intervals)


def _invitations(m: Model, code: str) -> list[tuple[str, cp_model.IntVar | None]]:
    """Sessions that may invite a region, each with the literal that says it does
    (``None``: invited wherever it is held and whoever presents).

    A session held on a day the region is away does not invite it: its invitation is then
    the session sitting in one of the slots of the days the region is there (and, with the
    ``presenters`` policy, the region presenting); held only on such days, never."""
    inst = m.instance
    region = inst.regions[code]
    out: list[tuple[str, cp_model.IntVar | None]] = []
    for s in inst.sessions:
        fixed = code in s.invited
        if not fixed and not (s.invite_presenters and m.presents(s, code)):
            continue
        there: cp_model.IntVar | None = None
        if region.away:
            cand = m.candidates[s.id]
            here = [t for t in cand if region.invitable(inst.slots[t].day)]
            if not here:
                continue
            if len(here) < len(cand):
                there = m.held_in(s.id, here)
        if fixed:
            out.append((s.id, there))
        else:
            out.append(
                (s.id, m.presenting(s, code) if there is None else m.both(m.presenting(s, code), [there]))
            )
    return out


@constraint(rules.REGION_INVITATION_CAP)
def region_invitation_cap(m: Model) -> None:
    """At most ``window_max`` invitations per region in any ``window_days`` days.

    Each invitation occupies ``[day, day + window_days)``: at most ``window_max`` of them
    may overlap at any day, which is exactly the rolling-window cap (a cumulative)."""
    _invitations_per_span(
        m, rules.REGION_INVITATION_CAP, m.instance.window_days, "inv", lambda r: r.window_max
    )


@constraint(rules.REGION_DAILY_CAP)
def region_daily_cap(m: Model) -> None:
    """At most ``daily_max`` invitations per region on one day."""
    _invitations_per_span(m, rules.REGION_DAILY_CAP, 1, "day", lambda r: r.daily_max)


def _invitations_per_span(
    m: Model, rule: str, days: int, tag: str, cap_of: Callable[[RegionSpec], int]
) -> None:
    """At most ``cap_of(region)`` of a region's invitations overlap when each occupies
    ``days`` days from its session's day: a no-overlap for a cap of one, else a cumulative."""
    for code, region in m.instance.regions.items():
        invites = _invitations(m, code)
        cap = cap_of(region)
        if len(invites) <= cap:
            continue
        lits = m.on((rule, code))
        if lits is None:
            continue
        intervals = [m.interval(sid, days, m.both(lit, lits), f"{tag}[{code}]") for sid, lit in invites]
        if cap == 1:
            m.cp.add_no_overlap(intervals)
        else:
            m.cp.add_cumulative(intervals, [1] * len(intervals), cap)


CLIQUE_REGIONS = 30
"""Up to this many regions with distinct sets of sessions, double booking is written as
at-most-one per slot (tight; exactly the matching when one region is shared); beyond it, as
one no-overlap per region on the slot timeline (compact: 240 regions built in 20 s the
other way, under 1 s this way)."""


@constraint(rules.REGION_DOUBLE_BOOKING)
def region_double_booking(m: Model) -> None:
    """A region is never invited to two sessions in the same slot.

    Two sessions of one host cannot share a day while its tempo rule holds, so a region
    whose sessions all come from one such host needs nothing; nor does a region invited at
    most once a day (``region_daily_cap`` with ``daily_max`` 1, the default).  Presolving
    the rule cost 35 s and 1.4 GB on the 240-region benchmark, all of it redundant there."""
    inst = m.instance
    tempo_on = {h for h in inst.hosts if not m.switchable and (rules.HOST_TEMPO, h) not in m.disabled}
    needed: dict[str, list[tuple[str, cp_model.IntVar | None]]] = {}
    for code, region in inst.regions.items():
        invites = _invitations(m, code)
        hosts = {inst.session(sid).host for sid, _ in invites}
        if len(invites) < 2 or (len(hosts) == 1 and hosts <= tempo_on):
            continue
        one_a_day = region.daily_max == 1 and (rules.REGION_DAILY_CAP, code) not in m.disabled
        if one_a_day and not m.switchable:
            continue  # at most one invitation a day already rules out two in one slot
        if (rules.REGION_DOUBLE_BOOKING, code) not in m.disabled:
            needed[code] = invites
    distinct = {tuple(sid for sid, _ in invites) for invites in needed.values()}
    if len(distinct) <= CLIQUE_REGIONS:
        _double_booking_cliques(m, needed)
        return
    for code, invites in needed.items():
        lits = m.on((rules.REGION_DOUBLE_BOOKING, code))
        assert lits is not None
        m.cp.add_no_overlap(
            [m.slot_interval(sid, m.both(lit, lits), f"book[{code}]") for sid, lit in invites]
        )


def _double_booking_cliques(m: Model, needed: dict[str, list[tuple[str, cp_model.IntVar | None]]]) -> None:
    """For each slot, the sessions that may invite one region form a clique: at most one of
    them sits there.  Each clique is written once, and none inside another region's."""
    per_slot: dict[int, dict[frozenset[tuple[str, str | None]], list[RuleKey]]] = {}
    inst = m.instance
    for code, invites in needed.items():
        key = (rules.REGION_DOUBLE_BOOKING, code)
        region = inst.regions[code]
        by_slot: dict[int, list[tuple[str, str | None]]] = {}
        for sid, _ in invites:
            # invited whoever presents (None), or only when presenting (the region's code);
            # never in a slot of a day the region is away
            who = None if code in inst.session(sid).invited else code
            for t in m.candidates[sid]:
                if region.invitable(inst.slots[t].day):
                    by_slot.setdefault(t, []).append((sid, who))
        for t, items in by_slot.items():
            if len(items) > 1:
                per_slot.setdefault(t, {}).setdefault(frozenset(items), []).append(key)
    for t, cliques in per_slot.items():
        kept: list[frozenset[tuple[str, str | None]]] = []
        for c in sorted(cliques, key=len, reverse=True):
            if not m.switchable and any(c <= k for k in kept):
                continue
            kept.append(c)
            for key in cliques[c] if m.switchable else cliques[c][:1]:
                lits = m.on(key) if m.switchable else []
                assert lits is not None
                terms = [m.x[sid, t] if code is None else _booked(m, sid, code, t) for sid, code in sorted(c)]
                m.cp.add_at_most_one(terms).only_enforce_if(lits)


def _booked(m: Model, session_id: str, code: str, t: int) -> cp_model.IntVar:
    """The region is invited to the session in slot t (presenters-only invitations)."""
    z = m.cp.new_bool_var(f"book[{session_id},{code},{t}]")
    m.cp.add(z >= m.x[session_id, t] + m.presenting(m.instance.session(session_id), code) - 1)
    return z


@constraint(rules.HOST_TEMPO)
def host_tempo(m: Model) -> None:
    """Sessions of one host at least ``gap_days`` apart (so also at most one a day): each
    occupies ``[day, day + gap_days)`` and they may not overlap."""
    inst = m.instance
    for host in inst.hosts.values():
        mine = [s.id for s in inst.sessions if s.host == host.id]
        if len(mine) < 2:
            continue
        lits = m.on((rules.HOST_TEMPO, host.id))
        if lits is None:
            continue
        m.cp.add_no_overlap(
            [m.interval(sid, host.gap_days, m.both(None, lits), f"host[{host.id}]") for sid in mine]
        )


@constraint(rules.LEARNING_FIRST)
def learning_first(m: Model) -> None:
    """The learning meeting at least ``days_before_first_dialog`` days before every dialog."""
    inst = m.instance
    if inst.learning is None:
        return
    lits = m.on((rules.LEARNING_FIRST, "learning"))
    if lits is None:
        return
    for s in inst.dialogs():
        m.cp.add(m.day(inst.learning) + inst.learning_gap_days <= m.day(s.id)).only_enforce_if(lits)


@constraint(rules.SESSION_PINNED)
def session_pinned(m: Model) -> None:
    """Presenters of a pinned session stay as they were (its slot is pinned by exclusions)."""
    for s in m.instance.dialogs():
        if s.fixed_presenters is None:
            continue
        lits = m.on((rules.SESSION_PINNED, s.id))
        if lits is None:
            continue
        for u in s.units:
            m.cp.add(m.p[s.id, u] == int(u in s.fixed_presenters)).only_enforce_if(lits)


# -- symmetry breaking (not a rule: it excludes no plan up to renaming) -----------------------


def dialog_order(m: Model) -> None:
    """Occurrences of one theme are interchangeable: number them in date order.

    Not when any occurrence is pinned: then they are no longer interchangeable.  The greedy
    numbers its plans the same way (``greedy._in_date_order``), or its start would be no
    hint."""
    inst = m.instance
    for theme in inst.themes.values():
        specs = [inst.session(sid) for sid in theme.sessions]
        if any(s.fixed_presenters is not None for s in specs):
            continue
        for a, b in zip(theme.sessions, theme.sessions[1:], strict=False):
            m.cp.add(m.day(a) <= m.day(b))
