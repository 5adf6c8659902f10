"""A first plan that holds under tight caps: the greedy's placement, then repair by ejection.

Under a tight fatigue cap (3 or 2 invitations in 28 days) the plain greedy
(:mod:`arshjul.greedy`) leaves the dialogs that invite the most regions without a slot: by
the time their turn comes, every slot has some invited region's window full.  Here the
sessions are placed hardest first (fixed dates, then the most invitations to regions that
are invited most), and each session still without a slot is *repaired in*: for a few of its
slots, the placed sessions near it that share a region or its host are taken out, the
session goes in, and as many of them as still fit go back where they were; the slot that
ejects the fewest wins, and the ejected sessions are placed again (anywhere, or repaired in
themselves).  A short tabu tenure keeps a session just repaired in from being ejected
straight away.  Every test is the greedy's own (:class:`arshjul.greedy._State`), so the
repair keeps exactly the rules the greedy keeps, under the same names.

The result may still be partial when the time budget runs out; the solver checks it like
the greedy plan before starting from it.
"""

from __future__ import annotations

import random
import time
from collections import Counter

from .greedy import _fill, _in_date_order, _minimum, _slot_rank, _State
from .instance import Assignment, Instance, SessionSpec

TRIAL_SLOTS = 12
"""Slots tried per repair: those with the fewest placed sessions in the way."""
TENURE = 6
"""Repairs during which a session just repaired in may not be ejected."""


def repaired_assignment(
    inst: Instance, *, seed: int = 0, budget: float = 5.0, wall: float | None = None
) -> Assignment:
    """A first plan: hardest sessions first, then repairs for ``budget`` seconds of this
    thread's CPU time at most, and ``wall`` seconds on the clock (default: ``budget``).

    The budget counts work, not the clock, so a busy machine does not cut the repair short
    (on the shared two-core machine a 3-s clock budget left sessions out of the 44-session
    year that 0.1–1.5 s of work places); ``wall`` keeps the caller's time limit.
    Deterministic for a given ``seed`` as long as neither runs out."""
    cpu_deadline = time.thread_time() + budget
    deadline = time.monotonic() + (budget if wall is None else wall)
    n = len(inst.slots)
    cands = {s.id: s.candidates(n) for s in inst.sessions}
    load = Counter(c for s in inst.sessions for c in s.invited)
    order = sorted(
        inst.sessions,
        key=lambda s: (
            s.kind != "network",
            s.id != inst.learning,
            -sum(load[c] for c in s.invited),
            len(cands[s.id]),
            s.id,
        ),
    )
    state = _State(inst)
    wanted: Counter[str] = Counter(u for s in inst.dialogs() for u in s.units)
    unplaced: list[SessionSpec] = []
    for s in order:
        if _insert(inst, state, wanted, s, cands[s.id]) is None:
            unplaced.append(s)
        wanted.subtract(s.units)
    fixer = _Repairer(inst, state, cands, seed)
    while unplaced and time.thread_time() < cpu_deadline and time.monotonic() < deadline:
        s = unplaced.pop(0)
        wanted = Counter(u for other in unplaced for u in other.units)
        ejected = fixer.repair(s, wanted)
        if ejected is None:
            unplaced.append(s)
            continue
        for b in ejected:
            spec = inst.session(b)
            if _insert(inst, state, wanted, spec, cands[b]) is None:
                unplaced.append(spec)
    for s in sorted(
        (s for s in inst.dialogs() if s.id in state.slot), key=lambda s: (state.slot[s.id], s.id)
    ):
        _fill(inst, state, s)
    presenters = {
        s.id: tuple(sorted(state.chosen[s.id], key=lambda u: (inst.units[u].order, u)))
        for s in inst.dialogs()
        if s.id in state.slot
    }
    return _in_date_order(inst, Assignment(slot=dict(state.slot), presenters=presenters))


def _insert(
    inst: Instance, state: _State, wanted: Counter[str], s: SessionSpec, cands: list[int]
) -> tuple[int, list[str]] | None:
    """The greedy's step: the best-ranked open slot that keeps every rule, with the
    presenters the dialog needs at least; placed in ``state``."""
    for t in sorted(cands, key=lambda t: _slot_rank(inst, state, s, t)):
        if state.holding_breaks(s, t) is not None:
            continue
        units = _minimum(inst, state, wanted, s, t)
        if units is not None:
            state.place(s, t, units)
            return t, units
    return None


def _unplace(inst: Instance, state: _State, s: SessionSpec) -> tuple[int, list[str]]:
    """Take a placed session out of ``state`` (the inverse of ``_State.place``); returns its
    slot and presenters so it can be put back."""
    t = state.slot.pop(s.id)
    slot = inst.slots[t]
    state.host_days[s.host].remove(slot.day)
    state.month_load[slot.date.year, slot.date.month] -= 1
    for code in state.invitees(s, t):  # as place() invited them: none away that day
        state.invites[code].remove(slot.day)
        state.booked.discard((code, t))
    units = state.chosen.pop(s.id, [])
    for u in units:
        for code in inst.units[u].regions:
            state.count[code] -= 1
            state.presents[code].remove((slot.day, s.theme or ""))
            if s.invite_presenters:
                state.invites[code].remove(slot.day)
                state.booked.discard((code, t))
    return t, list(units)


def _fits(state: _State, s: SessionSpec, t: int, units: list[str]) -> bool:
    """The session keeps every rule in slot t with these presenters, beside what is placed."""
    if state.holding_breaks(s, t) is not None:
        return False
    return all(state.presenting_breaks(s, u, t, units[:k]) is None for k, u in enumerate(units))


def _regions(inst: Instance, s: SessionSpec) -> frozenset[str]:
    """Regions a session touches: invited, or able to present there."""
    return frozenset(s.invited) | {c for u in s.units for c in inst.units[u].regions}


class _Repairer:
    """The placed plan as one mutable greedy state, and the repair step over it."""

    def __init__(self, inst: Instance, state: _State, cands: dict[str, list[int]], seed: int) -> None:
        self.inst = inst
        self.state = state
        self.cands = cands
        self.rng = random.Random(seed)
        self.regions = {s.id: _regions(inst, s) for s in inst.sessions}
        self.tabu: dict[str, int] = {}
        self.step = 0

    def in_the_way(self, s: SessionSpec, t: int) -> list[str]:
        """Placed sessions that may keep ``s`` out of slot t: near it in time and sharing
        its host or a region (within the longest of the window, the tempo and the gap)."""
        inst, state = self.inst, self.state
        day = inst.slots[t].day
        mine = self.regions[s.id]
        host_gap = inst.hosts[s.host].gap_days
        gap = max((inst.regions[c].presentation_gap_days for c in mine), default=0)
        reach = max(inst.window_days, host_gap, gap)
        # regions that could present here but are at their cap: their presentations anywhere
        spent = {
            c
            for u in s.units
            for c in inst.units[u].regions
            if state.count[c] >= inst.regions[c].max_presentations
        }
        out = []
        for sid, u in state.slot.items():
            if len(self.cands[sid]) < 2 or self.tabu.get(sid, 0) > self.step:
                continue
            apart = abs(inst.slots[u].day - day)
            other = inst.session(sid)
            near = apart < reach and (
                (other.host == s.host and apart < host_gap) or bool(self.regions[sid] & mine)
            )
            if near or (spent and any(set(inst.units[v].regions) & spent for v in state.chosen[sid])):
                out.append(sid)
        return out

    def trial(self, s: SessionSpec, t: int, wanted: Counter[str], commit: bool) -> list[str] | None:
        """Put ``s`` in slot t by taking out what is in the way and putting back what still
        fits; the sessions left out, or ``None`` when ``s`` cannot go there even so.  Without
        ``commit`` the state is restored afterwards."""
        inst, state = self.inst, self.state
        blockers = self.in_the_way(s, t)
        taken = {b: _unplace(inst, state, inst.session(b)) for b in blockers}
        ejected: list[str] | None = None
        units = None
        if state.holding_breaks(s, t) is None:
            units = _minimum(inst, state, wanted, s, t)
        if units is not None:
            state.place(s, t, units)
            ejected = []
            # the hardest to place elsewhere go back first
            for b in sorted(blockers, key=lambda b: (len(self.cands[b]), -len(inst.session(b).invited), b)):
                bt, bunits = taken[b]
                spec = inst.session(b)
                if _fits(state, spec, bt, bunits):
                    state.place(spec, bt, bunits)
                else:
                    ejected.append(b)
        if commit and ejected is not None:
            return ejected
        # restore
        if units is not None:
            for b in blockers:
                if b in state.slot:
                    _unplace(inst, state, inst.session(b))
            _unplace(inst, state, s)
        for b in blockers:
            bt, bunits = taken[b]
            state.place(inst.session(b), bt, bunits)
        return ejected

    def repair(self, s: SessionSpec, wanted: Counter[str]) -> list[str] | None:
        """Put ``s`` in the slot that ejects the fewest placed sessions (see the module);
        the ejected sessions, or ``None`` when no slot tried takes it."""
        self.step += 1
        cands = self.cands[s.id]
        ways = {t: len(self.in_the_way(s, t)) for t in cands}
        trials = sorted(cands, key=lambda t: (ways[t], self.rng.random()))[:TRIAL_SLOTS]
        best: tuple[tuple[int, float], int] | None = None
        for t in trials:
            ejected = self.trial(s, t, wanted, commit=False)
            if ejected is None:
                continue
            score = (len(ejected), self.rng.random())
            if best is None or score < best[0]:
                best = (score, t)
            if not ejected:
                break
        if best is None:
            return None
        out = self.trial(s, best[1], wanted, commit=True)
        self.tabu[s.id] = self.step + TENURE
        return out
