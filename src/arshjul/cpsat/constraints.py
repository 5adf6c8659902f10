"""Hard rules of the year, one function per rule family, named after the rule.

Every function reads the :class:`~arshjul.cpsat.model.Model`'s variables and adds the
constraints of one rule, each instance under its :data:`~arshjul.instance.RuleKey` so it can
be switched off (``Model.on`` returns ``None``) or carry an enforcement literal.  The same
names are used by :mod:`arshjul.check` and by the explanations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from .model import Model

LinearTerms = list[cp_model.IntVar]


def add_all(m: Model) -> None:
    """Every hard rule, in the order a reader meets them in the scenario file."""
    for rule in RULES:
        rule(m)


def session_once(m: Model) -> None:
    """Each session is held exactly once (structural: never switched off)."""
    for s in m.instance.sessions:
        m.cp.add_exactly_one(m.x[s.id, t] for t in m.candidates[s.id])


def closed_slots(m: Model) -> None:
    """Slots closed to a session by the calendar, lead time, windows, forbidden periods,
    allowed slots, follow-up and fixed dates.  In strict mode these are already left out of
    the candidates; switchable, each closing rule forbids the slot under its own literal."""
    if not m.switchable:
        return
    for s in m.instance.sessions:
        for t, keys in s.exclusions.items():
            for key in keys:
                lits = m.on(key)
                if lits is not None:
                    m.cp.add(m.x[s.id, t] == 0).only_enforce_if(lits)


def dialog_min_presenters(m: Model) -> None:
    """At least ``min_presenters`` presenter slots filled in every dialog."""
    for s in m.instance.dialogs():
        lits = m.on(("dialog_min_presenters", s.id))
        if lits is None or s.min_presenters == 0:
            continue
        m.cp.add(sum(m.p[s.id, u] for u in s.units) >= s.min_presenters).only_enforce_if(lits)


def dialog_max_presenters(m: Model) -> None:
    """No more presenters than ``max_presenters`` and than fit the slot after the host."""
    inst = m.instance
    for s in inst.dialogs():
        lits = m.on(("dialog_max_presenters", s.id))
        if lits is None:
            continue
        fit = sum(s.capacity(inst.slots[t]) * m.x[s.id, t] for t in m.candidates[s.id])
        m.cp.add(sum(m.p[s.id, u] for u in s.units) <= fit).only_enforce_if(lits)


def joint_presentation(m: Model) -> None:
    """A region presents alone or with its group in a dialog, not both."""
    inst = m.instance
    for s in inst.dialogs():
        for u in s.units:
            unit = inst.units[u]
            if len(unit.regions) < 2:
                continue
            lits = m.on(("joint_presentation", u))
            if lits is None:
                continue
            for code in unit.regions:
                if code in s.units:
                    m.cp.add(m.p[s.id, u] + m.p[s.id, code] <= 1).only_enforce_if(lits)


def presenter_available(m: Model) -> None:
    """A region presents only on a day it is available (own unavailability, school holidays)."""
    inst = m.instance
    for s in inst.dialogs():
        for u in s.units:
            for code in inst.units[u].regions:
                away = inst.regions[code].unavailable
                bad = [t for t in m.candidates[s.id] if inst.slots[t].day in away]
                if not bad:
                    continue
                lits = m.on(("presenter_available", code))
                if lits is None:
                    continue
                good = [m.x[s.id, t] for t in m.candidates[s.id] if inst.slots[t].day not in away]
                m.cp.add(m.p[s.id, u] <= sum(good)).only_enforce_if(lits)


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
            lits = m.on(("region_theme_once", code))
            if lits is not None:
                m.cp.add(sum(terms) <= 1).only_enforce_if(lits)


def region_presentation_cap(m: Model) -> None:
    """At most ``max_presentations`` presentations per region in the period."""
    inst = m.instance
    for code, region in inst.regions.items():
        terms = [v for s in inst.dialogs() for v in m.presents(s, code)]
        if len(terms) <= region.max_presentations:
            continue
        lits = m.on(("region_presentation_cap", code))
        if lits is not None:
            m.cp.add(sum(terms) <= region.max_presentations).only_enforce_if(lits)


def region_presentation_gap(m: Model) -> None:
    """At least ``presentation_gap_days`` between two presentations by the same region."""
    inst = m.instance
    dialogs = inst.dialogs()
    for code, region in inst.regions.items():
        gap = region.presentation_gap_days
        if gap <= 0:
            continue
        mine = [(s, m.presents(s, code)) for s in dialogs]
        mine = [(s, v) for s, v in mine if v]
        for i, (s1, v1) in enumerate(mine):
            days1 = {inst.slots[t].day for t in m.candidates[s1.id]}
            for s2, v2 in mine[i + 1 :]:
                days2 = {inst.slots[t].day for t in m.candidates[s2.id]}
                if not days1 or not days2 or min(abs(a - b) for a in days1 for b in days2) >= gap:
                    continue
                lits = m.on(("region_presentation_gap", code))
                if lits is None:
                    continue
                both = m.cp.new_bool_var(f"both[{code},{s1.id},{s2.id}]")
                m.cp.add(both >= sum(v1) + sum(v2) - 1)
                first = m.cp.new_bool_var(f"first[{code},{s1.id},{s2.id}]")
                d1, d2 = m.day[s1.id], m.day[s2.id]
                m.cp.add(d2 - d1 >= gap).only_enforce_if([both, first, *lits])
                m.cp.add(d1 - d2 >= gap).only_enforce_if([both, ~first, *lits])


def _windows(
    m: Model,
    daily: dict[int, list[cp_model.IntVar]],
    window: int,
    cap: int,
    name: str,
    lits: list[cp_model.IntVar],
) -> None:
    """``cap`` on the sum of ``daily`` counts over every ``window``-day span.

    Each day's count becomes one integer variable (shared by all windows that cover it), and
    only windows that could hold more than ``cap`` events are written.
    """
    days = sorted(daily)
    count: dict[int, cp_model.LinearExprT] = {}
    for d in days:
        terms = daily[d]
        if len(terms) == 1:
            count[d] = terms[0]
            continue
        var = m.cp.new_int_var(0, len(terms), f"{name}[{d}]")
        m.cp.add(var == sum(terms))
        count[d] = var
    lo = 0
    for i, d in enumerate(days):
        while days[lo] < d - window + 1:
            lo += 1
        # windows ending at day d: [d - window + 1, d]; only the one starting at days[lo] matters
        inside = days[lo : i + 1]
        possible = sum(len(daily[k]) for k in inside)
        if possible <= cap:
            continue
        # skip a window whose successor (ending later, same start) covers it
        if i + 1 < len(days) and days[i + 1] - days[lo] < window:
            continue
        m.cp.add(sum(count[k] for k in inside) <= cap).only_enforce_if(lits)


def _invitation_days(m: Model, code: str) -> dict[int, list[cp_model.IntVar]]:
    """Day → literals of a region's possible invitations on that day."""
    inst = m.instance
    daily: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for s in inst.sessions:
        if code in s.invited:
            for d, xs in m.on_day(s.id).items():
                daily[d].extend(xs)
        elif s.invite_presenters:
            pres = m.presents(s, code)
            if not pres:
                continue
            for d, xs in m.on_day(s.id).items():
                q = m.cp.new_bool_var(f"inv[{s.id},{code},{d}]")
                m.cp.add(q >= sum(pres) + sum(xs) - 1)
                daily[d].append(q)
    return daily


def region_invitation_cap(m: Model) -> None:
    """At most ``window_max`` invitations per region in any ``window_days`` days, and at
    most ``daily_max`` on one day (``region_daily_cap``)."""
    inst = m.instance
    for code, region in inst.regions.items():
        daily = _invitation_days(m, code)
        day_lits = m.on(("region_daily_cap", code))
        if day_lits is not None:
            for d, terms in daily.items():
                if len(terms) > region.daily_max:
                    m.cp.add(sum(terms) <= region.daily_max).only_enforce_if(day_lits)
        lits = m.on(("region_invitation_cap", code))
        if lits is not None:
            _windows(m, daily, inst.window_days, region.window_max, f"inv[{code}]", lits)


def region_double_booking(m: Model) -> None:
    """A region is never invited to two sessions in the same slot."""
    inst = m.instance
    for code in inst.regions:
        per_slot: dict[int, list[tuple[str, bool]]] = defaultdict(list)
        for s in inst.sessions:
            fixed = code in s.invited
            if not fixed and not (s.invite_presenters and m.presents(s, code)):
                continue
            for t in m.candidates[s.id]:
                per_slot[t].append((s.id, fixed))
        clashes = {t: items for t, items in per_slot.items() if len(items) > 1}
        if not clashes:
            continue
        lits = m.on(("region_double_booking", code))
        if lits is None:
            continue
        for t, items in clashes.items():
            terms = []
            for sid, fixed in items:
                if fixed:
                    terms.append(m.x[sid, t])
                else:
                    z = m.cp.new_bool_var(f"book[{sid},{code},{t}]")
                    m.cp.add(z >= m.x[sid, t] + sum(m.presents(inst.session(sid), code)) - 1)
                    terms.append(z)
            m.cp.add(sum(terms) <= 1).only_enforce_if(lits)


def host_tempo(m: Model) -> None:
    """Sessions of one host at least ``gap_days`` apart (so also at most one a day)."""
    inst = m.instance
    for host in inst.hosts.values():
        lits = m.on(("host_tempo", host.id))
        if lits is None:
            continue
        daily: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for s in inst.sessions:
            if s.host == host.id:
                for d, xs in m.on_day(s.id).items():
                    daily[d].extend(xs)
        _windows(m, daily, host.gap_days, 1, f"host[{host.id}]", lits)


def learning_first(m: Model) -> None:
    """The learning meeting at least ``days_before_first_dialog`` days before every dialog."""
    inst = m.instance
    if inst.learning is None:
        return
    lits = m.on(("learning_first", "learning"))
    if lits is None:
        return
    for s in inst.dialogs():
        m.cp.add(m.day[inst.learning] + inst.learning_gap_days <= m.day[s.id]).only_enforce_if(lits)


def session_pinned(m: Model) -> None:
    """Presenters of a pinned session stay as they were (its slot is pinned by exclusions)."""
    for s in m.instance.dialogs():
        if s.fixed_presenters is None:
            continue
        lits = m.on(("session_pinned", s.id))
        if lits is None:
            continue
        for u in s.units:
            m.cp.add(m.p[s.id, u] == int(u in s.fixed_presenters)).only_enforce_if(lits)


def dialog_order(m: Model) -> None:
    """Occurrences of one theme are interchangeable: number them in date order (symmetry).

    Not when any occurrence is pinned: then they are no longer interchangeable."""
    inst = m.instance
    for theme in inst.themes.values():
        specs = [inst.session(sid) for sid in theme.sessions]
        if any(s.fixed_presenters is not None for s in specs):
            continue
        for a, b in zip(theme.sessions, theme.sessions[1:], strict=False):
            m.cp.add(m.day[a] <= m.day[b])


RULES: list[Callable[[Model], None]] = [
    session_once,
    closed_slots,
    dialog_min_presenters,
    dialog_max_presenters,
    joint_presentation,
    presenter_available,
    region_theme_once,
    region_presentation_cap,
    region_presentation_gap,
    region_invitation_cap,
    region_double_booking,
    host_tempo,
    learning_first,
    session_pinned,
    dialog_order,
]
