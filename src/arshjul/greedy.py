"""A greedy first plan, in plain Python: the solver's warm start.

Large scenarios (many agencies sharing hundreds of regions) give CP-SAT a hard time finding
any plan at all; a plan that already keeps every rule lets it start improving at once.  The
greedy places the most constrained sessions first, each in the open slot that keeps every
calendar, tempo and fatigue rule, has enough presenters who may present that day, and lands
in the emptiest month.  Each dialog gets its minimum of presenters as it is placed (regions
that present nowhere yet first, then the most interested); once every session has a date,
dialogs are filled up to capacity with the most interested presenters left.  Each test the
greedy makes returns the name of the rule it would break (:data:`TESTED`), so the greedy
speaks the catalogue's words (:mod:`arshjul.rules`) like the model and the checker.

It may leave a session unplaced or a rule unkept: the solver checks the plan before it
starts from it (:func:`arshjul.cpsat.solve.add_hint`) and ignores one it cannot use.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter, defaultdict

from . import rules
from .instance import Assignment, Instance, SessionSpec

TESTED: tuple[str, ...] = (
    rules.HOST_TEMPO,
    rules.LEARNING_FIRST,
    rules.REGION_DOUBLE_BOOKING,
    rules.REGION_DAILY_CAP,
    rules.REGION_INVITATION_CAP,
    rules.DIALOG_MAX_PRESENTERS,
    rules.JOINT_PRESENTATION,
    rules.PRESENTER_AVAILABLE,
    rules.REGION_PRESENTATION_CAP,
    rules.REGION_PRESENTATION_GAP,
    rules.REGION_THEME_ONCE,
)
"""The rules the greedy tests before each step, the names its tests return.  The others it
keeps by construction: the closing rules (it only uses open slots), ``session_once``,
``dialog_min_presenters`` and ``session_pinned`` (it picks a dialog's presenters to them);
the structural ones follow from :func:`~arshjul.realize.to_plan`."""


class _State:
    """What is placed so far, indexed the way the rules look at it."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.slot: dict[str, int] = {}
        self.invites: dict[str, list[int]] = defaultdict(list)  # region → days, sorted
        self.host_days: dict[str, list[int]] = defaultdict(list)
        """Per host, the days it holds a session on, sorted (the tempo reads the nearest)."""
        self.booked: set[tuple[str, int]] = set()  # (region, slot)
        self.month_load: Counter[tuple[int, int]] = Counter()
        self.presents: dict[str, list[tuple[int, str]]] = defaultdict(list)  # region → (day, theme)
        self.count: Counter[str] = Counter()  # region → presentations
        self.chosen: dict[str, list[str]] = defaultdict(list)  # session → units

    # -- sessions ---------------------------------------------------------------------------

    def holding_breaks(self, s: SessionSpec, t: int) -> str | None:
        """The rule holding the session in slot t would break, or ``None``: host tempo,
        learning meeting first, and every invited region's invitation rules."""
        inst = self.inst
        day = inst.slots[t].day
        gap = inst.hosts[s.host].gap_days
        held = self.host_days[s.host]
        at = bisect_left(held, day)
        if (at < len(held) and held[at] - day < gap) or (at > 0 and day - held[at - 1] < gap):
            return rules.HOST_TEMPO
        if inst.learning is not None:
            placed = self.slot.get(inst.learning)
            earliest = None if placed is None else inst.slots[placed].day + inst.learning_gap_days
            if s.kind == "dialog" and earliest is not None and earliest > day:
                return rules.LEARNING_FIRST
            if s.id == inst.learning:
                for other, u in self.slot.items():
                    if (
                        inst.session(other).kind == "dialog"
                        and day + inst.learning_gap_days > inst.slots[u].day
                    ):
                        return rules.LEARNING_FIRST
        for code in self.invitees(s, t):
            broken = self.inviting_breaks(code, t)
            if broken is not None:
                return broken
        return None

    def invitees(self, s: SessionSpec, t: int) -> list[str]:
        """The regions the session invites whoever presents when held in slot t: none that is
        away that day (it is not invited, so the session does not count for it)."""
        day = self.inst.slots[t].day
        return [code for code in s.invited if self.inst.regions[code].invitable(day)]

    def inviting_breaks(self, code: str, t: int) -> str | None:
        """The rule one more invitation for the region in slot t would break, or ``None``:
        never two in one slot, its daily cap, its window cap."""
        region = self.inst.regions[code]
        day = self.inst.slots[t].day
        if (code, t) in self.booked:
            return rules.REGION_DOUBLE_BOOKING
        days, window = self.invites[code], self.inst.window_days
        if bisect_right(days, day) - bisect_left(days, day) + 1 > region.daily_max:
            return rules.REGION_DAILY_CAP
        near = days[bisect_left(days, day - window + 1) : bisect_right(days, day + window - 1)]
        insort(near, day)
        if not _window_ok(near, window, region.window_max):
            return rules.REGION_INVITATION_CAP
        return None

    def place(self, s: SessionSpec, t: int, units: list[str]) -> None:
        slot = self.inst.slots[t]
        self.slot[s.id] = t
        insort(self.host_days[s.host], slot.day)
        self.month_load[slot.date.year, slot.date.month] += 1
        for code in self.invitees(s, t):
            self._invite(code, t)
        for u in units:
            self.add_presenter(s, u)

    def _invite(self, code: str, t: int) -> None:
        insort(self.invites[code], self.inst.slots[t].day)
        self.booked.add((code, t))

    # -- presenters -------------------------------------------------------------------------

    def presenting_breaks(self, s: SessionSpec, u: str, t: int, picked: list[str]) -> str | None:
        """The rule the unit joining the dialog in slot t beside those already chosen or
        ``picked`` would break, or ``None``: room left, no member presenting twice in it,
        every member available, under its cap, far from its other presentations and new to
        the theme; with the ``presenters`` policy, its invitation keeps the invitation rules."""
        inst = self.inst
        slot = inst.slots[t]
        regions = inst.units[u].regions
        others = [*self.chosen[s.id], *picked]
        if len(others) >= s.capacity(slot):
            return rules.DIALOG_MAX_PRESENTERS
        if any(set(regions) & set(inst.units[v].regions) for v in others):
            return rules.JOINT_PRESENTATION
        theme = s.theme or ""
        for code in regions:
            region = inst.regions[code]
            if not region.can_present(slot.day):
                return rules.PRESENTER_AVAILABLE
            if self.count[code] >= region.max_presentations:
                return rules.REGION_PRESENTATION_CAP
            gap = region.presentation_gap_days
            for d, th in self.presents[code]:
                if abs(slot.day - d) < gap:
                    return rules.REGION_PRESENTATION_GAP
                if th == theme:
                    return rules.REGION_THEME_ONCE
            if s.invite_presenters:
                broken = self.inviting_breaks(code, t)
                if broken is not None:
                    return broken
        return None

    def pick(self, s: SessionSpec, t: int, need: int, order: list[str]) -> list[str] | None:
        """``need`` units that may present together in slot t, in the given preference."""
        picked: list[str] = []
        for u in order:
            if len(picked) >= need:
                break
            if self.presenting_breaks(s, u, t, picked) is None:
                picked.append(u)
        return picked if len(picked) >= need else None

    def add_presenter(self, s: SessionSpec, u: str) -> None:
        day = self.inst.slots[self.slot[s.id]].day
        self.chosen[s.id].append(u)
        for code in self.inst.units[u].regions:
            self.count[code] += 1
            self.presents[code].append((day, s.theme or ""))
            if s.invite_presenters:
                self._invite(code, self.slot[s.id])


def _window_ok(near: list[int], window: int, cap: int) -> bool:
    """No ``window``-day span holds more than ``cap`` of ``near`` (sorted; the caller passes
    the days less than ``window`` from the one it adds, so only spans touching it count)."""
    lo = 0
    for hi, d in enumerate(near):
        while d - near[lo] >= window:
            lo += 1
        if hi - lo + 1 > cap:
            return False
    return True


def greedy_assignment(inst: Instance) -> Assignment:
    """A first plan; sessions the greedy cannot place are left out."""
    n = len(inst.slots)
    state = _State(inst)
    candidates = {s.id: s.candidates(n) for s in inst.sessions}
    # fixed dates first, then the fewest open slots, then the fewest possible presenters
    order = sorted(
        inst.sessions,
        key=lambda s: (s.kind != "network", s.id != inst.learning, len(candidates[s.id]), len(s.units), s.id),
    )
    wanted: Counter[str] = Counter(u for s in inst.dialogs() for u in s.units)
    for s in order:
        ranks = {t: _slot_rank(inst, state, s, t) for t in candidates[s.id]}
        for t in sorted(candidates[s.id], key=ranks.__getitem__):
            if state.holding_breaks(s, t) is not None:
                continue
            units = _minimum(inst, state, wanted, s, t)
            if units is not None:
                state.place(s, t, units)
                break
        wanted.subtract(s.units)
    placed = sorted((s for s in inst.dialogs() if s.id in state.slot), key=lambda s: (state.slot[s.id], s.id))
    for s in placed:
        _fill(inst, state, s)
    presenters = {
        s.id: tuple(sorted(state.chosen[s.id], key=lambda u: (inst.units[u].order, u))) for s in placed
    }
    return _in_date_order(inst, Assignment(slot=dict(state.slot), presenters=presenters))


def _slot_rank(inst: Instance, state: _State, s: SessionSpec, t: int) -> tuple[int, int, int, int]:
    """Preferred months first, then the emptiest month; the learning meeting early."""
    preferred = inst.themes[s.theme].preferred_months if s.theme else frozenset()
    slot = inst.slots[t]
    return (
        0 if not preferred or slot.date.month in preferred else 1,
        state.month_load[slot.date.year, slot.date.month],
        slot.day if s.id == inst.learning else 0,
        t,
    )


def _interest(inst: Instance, s: SessionSpec, u: str) -> int:
    theme = inst.themes[s.theme or ""]
    return sum(theme.interest.get(c, 0) for c in inst.units[u].regions)


def _minimum(inst: Instance, state: _State, wanted: Counter[str], s: SessionSpec, t: int) -> list[str] | None:
    """The presenters a dialog needs at least, in slot t (``None`` when too few may):
    a pinned session's own; else regions that present nowhere yet, then those with the most
    presentations to spare beyond what the dialogs still to place may ask, then the most
    interested."""
    if s.fixed_presenters is not None:
        fixed = list(s.fixed_presenters)
        kept = all(state.presenting_breaks(s, u, t, fixed[:k]) is None for k, u in enumerate(fixed))
        return fixed if kept else None
    if s.min_presenters <= 0:
        return []

    def rank(u: str) -> tuple[bool, int, int, int, str]:
        regions = inst.units[u].regions
        left = min(inst.regions[c].max_presentations - state.count[c] for c in regions)
        return (
            any(state.count[c] for c in regions),
            wanted[u] - left,
            -_interest(inst, s, u),
            inst.units[u].order,
            u,
        )

    return state.pick(s, t, s.min_presenters, sorted(s.units, key=rank))


def _fill(inst: Instance, state: _State, s: SessionSpec) -> None:
    """Up to capacity with the most interested units that may still present (not a pinned
    session: its presenters stay as they were)."""
    if s.fixed_presenters is not None:
        return
    for u in sorted(s.units, key=lambda u: (-_interest(inst, s, u), inst.units[u].order, u)):
        if u not in state.chosen[s.id] and state.presenting_breaks(s, u, state.slot[s.id], []) is None:
            state.add_presenter(s, u)


def _in_date_order(inst: Instance, a: Assignment) -> Assignment:
    """Number each theme's occurrences in date order, as the solver's symmetry breaking does
    (``cpsat.constraints.dialog_order``): they are interchangeable, and a hint that breaks the
    solver's numbering is no hint."""
    slot = dict(a.slot)
    presenters = dict(a.presenters)
    for theme in inst.themes.values():
        if any(inst.session(sid).fixed_presenters is not None for sid in theme.sessions):
            continue
        ids = [sid for sid in theme.sessions if sid in a.slot]
        ordered = sorted(ids, key=lambda sid: (a.slot[sid], sid))
        for sid, source in zip(ids, ordered, strict=True):
            slot[sid] = a.slot[source]
            if source in a.presenters:
                presenters[sid] = a.presenters[source]
    return Assignment(slot=slot, presenters=presenters)
