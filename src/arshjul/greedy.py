"""A greedy first plan, in plain Python: a warm start (hint) for the solver.

Large scenarios (several agencies sharing the regions) give CP-SAT a hard time finding any
plan at all; a plan that already keeps most rules lets it start improving at once.  The
greedy places the most constrained sessions first, each in the open slot that keeps every
calendar, tempo and fatigue rule and lands in the emptiest month, then fills dialogs with
the most interested presenters that keep the presentation rules.  It may leave a session
unplaced; the solver repairs what the greedy could not do.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .instance import Assignment, Instance, SessionSpec


class _State:
    """What is placed so far, indexed the way the rules look at it."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.slot: dict[str, int] = {}
        self.invites: dict[str, list[int]] = defaultdict(list)  # region → days
        self.host_days: dict[str, list[int]] = defaultdict(list)
        self.booked: set[tuple[str, int]] = set()  # (region, slot)
        self.month_load: Counter[tuple[int, int]] = Counter()
        self.presents: dict[str, list[tuple[int, str]]] = defaultdict(list)  # region → (day, theme)

    def fits(self, s: SessionSpec, t: int) -> bool:
        inst = self.inst
        slot = inst.slots[t]
        day = slot.day
        gap = inst.hosts[s.host].gap_days
        if any(abs(day - d) < gap for d in self.host_days[s.host]):
            return False
        if inst.learning is not None:
            placed = self.slot.get(inst.learning)
            earliest = None if placed is None else inst.slots[placed].day + inst.learning_gap_days
            if s.kind == "dialog" and earliest is not None and earliest > day:
                return False
            if s.id == inst.learning:
                for other, u in self.slot.items():
                    if (
                        inst.session(other).kind == "dialog"
                        and day + inst.learning_gap_days > inst.slots[u].day
                    ):
                        return False
        for code in s.invited:
            region = inst.regions[code]
            if (code, t) in self.booked:
                return False
            days = self.invites[code]
            if sum(1 for d in days if d == day) + 1 > region.daily_max:
                return False
            if not _window_ok([*days, day], inst.window_days, region.window_max, day):
                return False
        return True

    def place(self, s: SessionSpec, t: int) -> None:
        slot = self.inst.slots[t]
        self.slot[s.id] = t
        self.host_days[s.host].append(slot.day)
        self.month_load[slot.date.year, slot.date.month] += 1
        for code in s.invited:
            self.invites[code].append(slot.day)
            self.booked.add((code, t))


def _window_ok(days: list[int], window: int, cap: int, around: int) -> bool:
    """No ``window``-day span touching ``around`` holds more than ``cap`` of ``days``."""
    near = sorted(d for d in days if abs(d - around) < window)
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
    order = sorted(
        inst.sessions,
        key=lambda s: (
            s.kind != "network",
            s.id != inst.learning,
            len(candidates[s.id]),
            s.id,
        ),
    )
    for s in order:
        preferred = inst.themes[s.theme].preferred_months if s.theme else frozenset()
        best: tuple[tuple[int, int, int], int] | None = None
        for t in candidates[s.id]:
            slot = inst.slots[t]
            key = (
                0 if not preferred or slot.date.month in preferred else 1,
                state.month_load[slot.date.year, slot.date.month],
                slot.day if s.id == inst.learning else 0,
            )
            if best is not None and key >= best[0]:
                continue
            if state.fits(s, t):
                best = (key, t)
        if best is not None:
            state.place(s, best[1])
    return Assignment(slot=dict(state.slot), presenters=_presenters(inst, state))


def _presenters(inst: Instance, state: _State) -> dict[str, tuple[str, ...]]:
    """Fill the placed dialogs: first every dialog up to its minimum (scarcest dialogs and
    least-wanted units first), then up to capacity with the most interested units."""
    chosen: dict[str, list[str]] = defaultdict(list)
    count: Counter[str] = Counter()
    dialogs = [s for s in inst.dialogs() if s.id in state.slot]
    demand: Counter[str] = Counter(u for s in dialogs for u in s.units)

    def interest(s: SessionSpec, u: str) -> int:
        theme = inst.themes[s.theme or ""]
        return sum(theme.interest.get(c, 0) for c in inst.units[u].regions)

    def try_add(s: SessionSpec, u: str) -> bool:
        slot = inst.slots[state.slot[s.id]]
        regions = inst.units[u].regions
        taken = {c for v in chosen[s.id] for c in inst.units[v].regions}
        if len(chosen[s.id]) >= s.capacity(slot) or taken & set(regions):
            return False
        theme = s.theme or ""
        if not all(_may_present(inst, state, count, c, slot.day, theme) for c in regions):
            return False
        if s.invite_presenters and not all(
            _window_ok([*state.invites[c], slot.day], inst.window_days, inst.regions[c].window_max, slot.day)
            for c in regions
        ):
            return False
        chosen[s.id].append(u)
        for c in regions:
            count[c] += 1
            state.presents[c].append((slot.day, theme))
            if s.invite_presenters:
                state.invites[c].append(slot.day)
        return True

    for s in sorted(dialogs, key=lambda s: (len(s.units), s.id)):
        for u in sorted(s.units, key=lambda u: (demand[u], -interest(s, u), u)):
            if len(chosen[s.id]) >= s.min_presenters:
                break
            try_add(s, u)
    for s in sorted(dialogs, key=lambda s: (state.slot[s.id], s.id)):
        for u in sorted(s.units, key=lambda u: (-interest(s, u), inst.units[u].order, u)):
            try_add(s, u)
    return {s.id: tuple(sorted(chosen[s.id], key=lambda u: (inst.units[u].order, u))) for s in dialogs}


def _may_present(inst: Instance, state: _State, count: Counter[str], code: str, day: int, theme: str) -> bool:
    region = inst.regions[code]
    if day in region.unavailable or count[code] >= region.max_presentations:
        return False
    return all(abs(day - d) >= region.presentation_gap_days and t != theme for d, t in state.presents[code])
