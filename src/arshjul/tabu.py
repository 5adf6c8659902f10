"""A first plan under tight caps: tabu search over how many rule breaks the plan has.

The greedy (:mod:`arshjul.greedy`) only ever holds plans that keep every rule, so the sessions
it cannot fit stay out; under a cap of 3 invitations in 28 days a 60-region year kept 12–14 of
its 106 sessions out, and the repair by ejection that came before this module still 6–7
however long it ran (benchmarks/README.md, 2026-12-02).
Here every session always has a slot and its minimum of presenters, and the search lowers
the *excess*: by how much, summed over every day, the plan breaks the rules that tie sessions
together (the rolling invitation window, the daily cap, double booking, the host's tempo, the
presentation gap, cap and theme-once, the learning meeting first).  The rules of one session
alone are kept by construction: only open slots, only presenters who may present that day,
between the minimum and what the slot holds, never a region twice in one dialog, a pinned
session's own presenters.  A plan with no excess keeps every rule.

Each step takes a session that shares in some excess and moves it to the slot, with the
presenters, that leaves the least excess (every open slot is scored at once with numpy); a
slot it just left is tabu for a while, and a session just moved is not taken again straight
away.  Excess that stays where it is grows dearer step by step (each position of a rolling
window, day or gap carries a weight, :data:`BUMP_EVERY`), so the search does not circle round
one plateau of the same few breaks.  The plan it returns is re-tested rule by rule with the
greedy's own tests (:class:`arshjul.greedy._State`): a session that fails them is left out, so
what comes back keeps every rule those tests know, like the greedy's and the repair's plans,
and the solver checks it again before starting from it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .greedy import _fill, _in_date_order, _State
from .instance import Assignment, Instance, SessionSpec

BIG = 10_000
"""The score of a slot a session cannot have (no presenter may present, too little room)."""
TENURE = 20
"""Steps (this many to twice as many) during which a session may not go back to a slot it just
left; with :data:`BUMP_EVERY` tuned on the 60-region year at 2 in 28, 12 runs (3 years × 4
seeds): median CPU time to a plan 0.9 s against 1.8 s with 7 and 3."""
REST = 3
"""Steps during which a session just moved is not picked again."""
BUMP_EVERY = 5
"""Every this many steps, or as many steps as sessions share in the excess when that is more,
each position over its capacity costs moves one more from then on (breakout weighting):
excess that stays put grows dearer until the search moves it.  On the 60-region year at 2
invitations in 28 days the unweighted search was stuck at an excess of 77–86 after 3 s and
left 7–12 of 106 sessions out; weighted, 12 of 12 runs kept every rule, in 0.4–2.5 s of CPU.
Counting the sessions matters on the 240-region two-year year (312 sessions): raised every 5
steps, the weights pushed the excess from 189 up to 700 and the search needed 32 s to come
down to 1; raised once per session sharing in it, it reached 0 in 3.3–13.3 s
(benchmarks/README.md, 2026-12-02 fourth stop)."""


@dataclass
class _Line:
    """A count per position (day, window, slot) with a capacity: what exceeds it is excess.
    Each occupancy covers ``length`` positions from its start."""

    cnt: np.ndarray
    cap: int
    length: int
    occupants: dict[str, int] = field(default_factory=dict)
    """Session id → where its occupancy starts (one per session at most)."""
    over: int = 0
    """The excess now (kept as occupancies come and go)."""
    weight: np.ndarray | None = None
    """Per position, what excess there costs a move (1 until :meth:`bump` raises it)."""
    _cost: np.ndarray | None = None
    """:meth:`cost` until the counts or weights change (most lines stay as they are)."""
    _sharers: list[str] | None = None
    """:meth:`sharers` until the counts change (a step moves one session: a few lines)."""
    _scratch: np.ndarray | None = None

    def _sums(self) -> np.ndarray:
        """A scratch row for running sums: 0, then one place per position (made once)."""
        if self._scratch is None:
            self._scratch = np.zeros(len(self.cnt) + 1, np.int64)
        return self._scratch

    def bump(self) -> None:
        """Make every position now over its capacity cost one more (see :data:`BUMP_EVERY`)."""
        if self.over:
            if self.weight is None:
                self.weight = np.ones(len(self.cnt), np.int64)
            self.weight[self.cnt > self.cap] += 1
            self._cost = None

    def add(self, sid: str, start: int) -> int:
        """Occupy from ``start``; returns the excess this adds."""
        if self.length == 1:  # a day or a slot: one number, no slice (most lines are such)
            n = int(self.cnt[start])
            added = int(n >= self.cap)
            self.cnt[start] = n + 1
        else:
            part = self.cnt[start : start + self.length]
            added = int(np.count_nonzero(part >= self.cap))
            part += 1
        self._cost = self._sharers = None
        self.occupants[sid] = start
        self.over += added
        return added

    def remove(self, sid: str) -> int:
        """Free the session's occupancy; returns the excess this takes away."""
        start = self.occupants.pop(sid)
        if self.length == 1:
            n = int(self.cnt[start])
            taken = int(n > self.cap)
            self.cnt[start] = n - 1
        else:
            part = self.cnt[start : start + self.length]
            taken = int(np.count_nonzero(part > self.cap))
            part -= 1
        self._cost = self._sharers = None
        self.over -= taken
        return taken

    def sharers(self) -> list[str]:
        """The occupants that cover some position over capacity (read only: it is kept for
        the next call)."""
        if self._sharers is None and self.length == 1:
            cnt, cap = self.cnt, self.cap
            self._sharers = [sid for sid, at in self.occupants.items() if cnt[at] > cap]
        elif self._sharers is None:
            over = self._sums()
            (self.cnt > self.cap).cumsum(out=over[1:])
            sids = list(self.occupants)
            starts = np.fromiter(self.occupants.values(), np.int64, len(sids))
            hit = over[starts + self.length] > over[starts]
            self._sharers = [sid for sid, h in zip(sids, hit.tolist(), strict=True) if h]
        return self._sharers

    def cost(self) -> np.ndarray:
        """Per start position: how much excess one more occupancy starting there adds,
        each position counted with its weight (read only: it is kept for the next call)."""
        if self._cost is not None:
            return self._cost
        if self.length == 1:
            at_cap = (self.cnt >= self.cap).astype(np.int64)
            self._cost = at_cap if self.weight is None else at_cap * self.weight
        else:
            full_at = self.cnt >= self.cap
            full = self._sums()
            (full_at if self.weight is None else full_at * self.weight).cumsum(out=full[1:])
            n = len(self.cnt) - self.length + 1
            self._cost = full[self.length : self.length + n] - full[:n]
        return self._cost


@dataclass
class _Count:
    """A plain count with a capacity (presentations a year, presentations on a theme)."""

    n: int
    cap: int
    occupants: set[str] = field(default_factory=set)

    @property
    def over(self) -> int:
        return max(0, self.n - self.cap)


class _Search:
    """The plan as counts per rule, and the tabu steps over it."""

    def __init__(self, inst: Instance, seed: int) -> None:
        self.inst = inst
        self.rng = random.Random(seed)
        n_days = inst.n_days
        self.n_days = n_days
        self.cands = {s.id: s.candidates(len(inst.slots)) for s in inst.sessions}
        self.slot_day = np.array([t.day for t in inst.slots], dtype=np.int64)
        w = inst.window_days
        self.window: dict[str, _Line] = {}
        self.daily: dict[str, _Line] = {}
        self.booked: dict[str, _Line] = {}
        self.gap: dict[str, _Line] = {}
        self.total: dict[str, _Count] = {}
        self.theme: dict[tuple[str, str], _Count] = {}
        self.invitable: dict[str, np.ndarray] = {}
        self.presentable: dict[str, np.ndarray] = {}
        n_regions = len(inst.regions)
        self.region_row = {code: i for i, code in enumerate(inst.regions)}
        self.invites = np.zeros((n_regions, n_days + w), np.int64)
        self.invites_daily = np.zeros((n_regions, n_days), np.int64)
        self.invites_weight = np.ones_like(self.invites)
        self.invites_daily_weight = np.ones_like(self.invites_daily)
        """Every region's window and daily line, one row each: each line's counts and weights
        are views of its row, so :meth:`invitation_cost` scores a session's invited regions
        in one pass over their rows."""
        self.open_to = np.zeros((n_regions, n_days), bool)
        """Per region (row) and day, whether it may be invited (``invitable`` holds the rows)."""
        self.window_cap = np.array([[r.window_max] for r in inst.regions.values()], np.int64)
        self.daily_cap = np.array([[r.daily_max] for r in inst.regions.values()], np.int64)
        for code, r in inst.regions.items():
            i = self.region_row[code]
            self.window[code] = _Line(self.invites[i], r.window_max, w, weight=self.invites_weight[i])
            daily_weight = self.invites_daily_weight[i]
            self.daily[code] = _Line(self.invites_daily[i], r.daily_max, 1, weight=daily_weight)
            if r.daily_max > 1:
                self.booked[code] = _Line(np.zeros(len(inst.slots), np.int64), 1, 1)
            if r.presentation_gap_days > 1:
                g = r.presentation_gap_days
                self.gap[code] = _Line(np.zeros(n_days + g, np.int64), 1, g)
            self.total[code] = _Count(0, r.max_presentations)
            self.open_to[i] = _open_days(n_days, r.away)
            self.invitable[code] = self.open_to[i]
            self.presentable[code] = self.invitable[code] & _open_days(n_days, r.cannot_present)
        self.host: dict[str, _Line] = {
            h.id: _Line(np.zeros(n_days + max(1, h.gap_days), np.int64), 1, max(1, h.gap_days))
            for h in inst.hosts.values()
        }
        self.dialog_ids = [s.id for s in inst.dialogs()]
        self.slot: dict[str, int] = {}
        self.chosen: dict[str, tuple[str, ...]] = {}
        self.tabu_until = {sid: np.zeros(len(c), np.int64) for sid, c in self.cands.items()}
        """Per session and candidate slot: the step until which it may not go back there."""
        self.index = {sid: {t: j for j, t in enumerate(c)} for sid, c in self.cands.items()}
        self.rested: dict[str, int] = {}
        self.step = 0
        self.shared = 0
        """How many sessions shared in the excess at the last step."""
        self.barred: dict[str, np.ndarray] = {}
        """Per unit, BIG on each day for each of its regions that may not present (:meth:`scores`)."""
        for u, unit in inst.units.items():
            barred = np.zeros(n_days, np.int64)
            for c in unit.regions:
                barred += BIG * ~self.presentable[c]
            self.barred[u] = barred
        minutes = np.array([t.minutes for t in inst.slots], np.int64)
        lengths = {int(m): inst.slots[t] for t, m in enumerate(minutes)}
        """One slot of each length: a session's capacity in a slot depends on its length alone."""
        self.rooms = {}
        """Per dialog and candidate slot, how many presenters the slot holds."""
        for s in inst.dialogs():
            by_length = np.zeros(int(minutes.max(initial=0)) + 1, np.int64)
            for m, slot in lengths.items():
                by_length[m] = s.capacity(slot)
            self.rooms[s.id] = by_length[minutes[self.cands[s.id]]]
        self.apart = {
            s.id: _apart([inst.units[u].regions for u in (s.fixed_presenters or s.units)])
            for s in inst.dialogs()
        }
        """Per dialog: no two of the units that may present share a region."""
        self.broken = 0
        """The excess of the rules kept in lines and counts (the learning meeting apart)."""
        self.specs = {s.id: s for s in inst.sessions}
        self.invited = {s.id: sorted(s.invited) for s in inst.sessions}
        """Per session, the regions it invites whoever presents, sorted (a step reads them twice)."""
        self.invited_rows = {
            sid: np.array([self.region_row[c] for c in codes], np.int64)
            for sid, codes in self.invited.items()
        }
        """…and their rows (:meth:`invitation_cost`)."""
        self.over_lines: dict[int, _Line] = {}
        self.over_counts: dict[int, _Count] = {}
        """The lines and counts over their capacity now, by ``id`` (kept by :meth:`place` and
        :meth:`unplace`: a step changes a few of some thousand, and :meth:`sharing` and
        :meth:`bump` need only these)."""

    # -- what a session occupies ----------------------------------------------------------------

    def _invited(self, s: SessionSpec, t: int, units: tuple[str, ...]) -> list[str]:
        """The regions the session invites in slot t with these presenters (none away)."""
        inst = self.inst
        day = inst.slots[t].day
        out = [c for c in self.invited[s.id] if inst.regions[c].invitable(day)]
        if s.invite_presenters:
            fixed = set(out)
            out += [c for u in units for c in inst.units[u].regions if c not in fixed]
        return out

    def _lines(self, s: SessionSpec, t: int, units: tuple[str, ...]) -> list[tuple[_Line, int]]:
        day = self.inst.slots[t].day
        lines: list[tuple[_Line, int]] = [(self.host[s.host], day)]
        for c in self._invited(s, t, units):
            lines.append((self.window[c], day))
            lines.append((self.daily[c], day))
            if c in self.booked:
                lines.append((self.booked[c], t))
        for u in units:
            for c in self.inst.units[u].regions:
                if c in self.gap:
                    lines.append((self.gap[c], day))
        return lines

    def _counts(self, s: SessionSpec, units: tuple[str, ...]) -> list[_Count]:
        out: list[_Count] = []
        for u in units:
            for c in self.inst.units[u].regions:
                out.append(self.total[c])
                key = (c, s.theme or "")
                if key not in self.theme:
                    self.theme[key] = _Count(0, 1)
                out.append(self.theme[key])
        return out

    def place(self, s: SessionSpec, t: int, units: tuple[str, ...]) -> None:
        self.slot[s.id] = t
        self.chosen[s.id] = units
        for line, start in self._lines(s, t, units):
            added = line.add(s.id, start)
            if added:  # only then may the line have gone over its capacity
                self.broken += added
                self._note_line(line)
        for count in self._counts(s, units):
            self.broken += int(count.n >= count.cap)
            count.n += 1
            count.occupants.add(s.id)
            self._note_count(count)

    def unplace(self, s: SessionSpec) -> None:
        t = self.slot.pop(s.id)
        units = self.chosen.pop(s.id)
        for line, _ in self._lines(s, t, units):
            taken = line.remove(s.id)
            if taken:  # only then may the line have come back within its capacity
                self.broken -= taken
                self._note_line(line)
        for count in self._counts(s, units):
            self.broken -= int(count.n > count.cap)
            count.n -= 1
            count.occupants.discard(s.id)
            self._note_count(count)

    def _note_line(self, line: _Line) -> None:
        if line.over:
            self.over_lines[id(line)] = line
        else:
            self.over_lines.pop(id(line), None)

    def _note_count(self, count: _Count) -> None:
        if count.over:
            self.over_counts[id(count)] = count
        else:
            self.over_counts.pop(id(count), None)

    # -- excess -----------------------------------------------------------------------------------

    def bump(self) -> None:
        """Raise the weight of every position over its capacity (:data:`BUMP_EVERY`)."""
        for line in self.over_lines.values():
            line.bump()

    def learning_excess(self) -> int:
        inst = self.inst
        if inst.learning is None or inst.learning not in self.slot:
            return 0
        first = inst.slots[self.slot[inst.learning]].day + inst.learning_gap_days
        days = [inst.slots[self.slot[sid]].day for sid in self.dialog_ids if sid in self.slot]
        return sum(1 for d in days if d < first)

    def excess(self) -> int:
        return self.broken + self.learning_excess()

    def sharing(self) -> list[str]:
        """Sessions that share in some excess (sorted, so the search is deterministic)."""
        out: set[str] = set()
        for line in self.over_lines.values():
            out.update(line.sharers())
        for count in self.over_counts.values():
            out |= count.occupants
        inst = self.inst
        if inst.learning is not None and self.learning_excess():
            out.add(inst.learning)
            first = inst.slots[self.slot[inst.learning]].day + inst.learning_gap_days
            days = {sid: inst.slots[t].day for sid, t in self.slot.items()}
            out |= {sid for sid in self.dialog_ids if sid in days and days[sid] < first}
        return sorted(out)

    # -- scoring every slot of one session at once ------------------------------------------------

    def invite_cost(self, code: str) -> np.ndarray:
        """Per day, the excess one more invitation of region ``code`` adds (its rolling window
        and its daily cap, nothing on a day it cannot be invited)."""
        return (self.window[code].cost()[: self.n_days] + self.daily[code].cost()) * self.invitable[code]

    def invitation_cost(self, sid: str) -> np.ndarray:
        """Per day, the excess the session's invitations of the regions it invites whoever
        presents add: :meth:`invite_cost` summed over them, from their rows at once (it is
        most of what scoring a session costs)."""
        rows = self.invited_rows[sid]
        n_days, w = self.n_days, self.inst.window_days
        full = (self.invites[rows] >= self.window_cap[rows]) * self.invites_weight[rows]
        sums = np.zeros((len(rows), full.shape[1] + 1), np.int64)
        full.cumsum(axis=1, out=sums[:, 1:])
        window = sums[:, w : w + n_days] - sums[:, :n_days]
        daily = (self.invites_daily[rows] >= self.daily_cap[rows]) * self.invites_daily_weight[rows]
        out: np.ndarray = ((window + daily) * self.open_to[rows]).sum(axis=0)
        return out

    def scores(self, s: SessionSpec) -> tuple[np.ndarray, Callable[[int], tuple[str, ...]]]:
        """The excess the session adds in each of its open slots (``s`` taken out), and the
        presenters it would have in the slot of each index (asked only for the slot chosen);
        the score is BIG where it cannot be held."""
        inst = self.inst
        cands = self.cands[s.id]
        days = self.slot_day[cands]
        per_day = self.host[s.host].cost()[: self.n_days] + self.invitation_cost(s.id)
        learning = inst.learning
        if learning is not None and learning in self.slot and s.kind == "dialog" and s.id != learning:
            first = inst.slots[self.slot[learning]].day + inst.learning_gap_days
            per_day = per_day + (np.arange(self.n_days) < first)
        if s.id == inst.learning:
            placed = np.zeros(self.n_days + 1, np.int64)
            for sid in self.dialog_ids:
                if sid in self.slot:
                    placed[inst.slots[self.slot[sid]].day] += 1
            below = np.cumsum(placed)  # dialogs on or before each day
            ahead = np.minimum(np.arange(self.n_days) + inst.learning_gap_days - 1, self.n_days)
            per_day = per_day + below[np.clip(ahead, 0, self.n_days)] * (ahead >= 0)
        score = per_day[days].copy()
        for c in self.invited[s.id]:
            if c in self.booked:
                score += (self.booked[c].cost()[cands]) * self.invitable[c][days]
        need = s.min_presenters
        if s.kind != "dialog" or (need <= 0 and s.fixed_presenters is None):
            return score, _nobody
        units = list(s.fixed_presenters) if s.fixed_presenters is not None else list(s.units)
        rows = np.zeros((len(units), len(cands)), np.int64)
        theme = s.theme or ""
        for i, u in enumerate(units):
            row = self.barred[u]
            flat = 0  # the same in every slot: a count at its cap
            for c in inst.units[u].regions:
                if c in self.gap:
                    row = row + self.gap[c].cost()[: self.n_days]
                flat += int(self.total[c].n >= self.total[c].cap)
                on_theme = self.theme.get((c, theme))
                flat += int(on_theme is not None and on_theme.n >= 1)
                if s.invite_presenters and c not in s.invited:
                    row = row + self.invite_cost(c)
            rows[i] = row[days]
            if flat:
                rows[i] += flat
        room = self.rooms[s.id]
        if s.fixed_presenters is not None:
            score += rows.sum(axis=0) + BIG * (room < len(units))
            fixed = tuple(units)
            return score, lambda j: fixed
        k = min(need, len(units))
        if k < need:
            return score + BIG, _nobody
        order = np.argsort(rows, axis=0, kind="stable")
        if self.apart[s.id]:
            # no two units share a region: the k cheapest of each slot, all slots at once
            best = order[:k]
            score += np.take_along_axis(rows, best, axis=0).sum(axis=0) + BIG * (room < k)
            return score, lambda j: tuple(units[int(i)] for i in best[:, j])
        chosen: dict[int, tuple[str, ...]] = {}
        for j in range(len(cands)):
            picked: list[str] = []
            taken: set[str] = set()
            cost = 0
            for i in order[:, j]:
                u = units[int(i)]
                members = set(inst.units[u].regions)
                if members & taken:
                    continue
                picked.append(u)
                taken |= members
                cost += int(rows[i, j])
                if len(picked) == k:
                    break
            if len(picked) < k or room[j] < k:
                cost += BIG
            score[j] += cost
            chosen[j] = tuple(picked)
        return score, chosen.__getitem__

    # -- the search -------------------------------------------------------------------------------

    def start(self, first: Assignment) -> None:
        """Every session of ``first`` where it is; the others where they add the least (a
        dialog too few may present in anywhere stays out)."""
        inst = self.inst
        for s in inst.sessions:
            if s.id in first.slot:
                units = tuple(first.presenters.get(s.id, ()))
                self.place(s, first.slot[s.id], units)
        for s in inst.sessions:
            if s.id not in self.slot:
                score, chosen = self.scores(s)
                j = int(np.argmin(score)) if len(score) else -1
                if j < 0 or score[j] >= BIG:
                    continue  # no slot holds it (too few may present): it stays out
                self.place(s, self.cands[s.id][j], chosen(j))

    def move(self, best: int) -> bool:
        """One step: a session sharing in the excess goes where it adds the least, not back
        to a slot it just left (unless that beats the best plan yet).  ``False`` when no
        session shares in any excess."""
        self.step += 1
        sharing = self.sharing()
        self.shared = len(sharing)
        if not sharing:
            return False
        pick = [sid for sid in sharing if self.rested.get(sid, 0) <= self.step and len(self.cands[sid]) > 1]
        if not pick:
            pick = [sid for sid in sharing if len(self.cands[sid]) > 1]
        if not pick:
            return True  # only sessions with one slot share the excess: nothing to move
        sid = self.rng.choice(pick)
        s = self.specs[sid]
        here, mine = self.slot[sid], self.chosen[sid]
        self.unplace(s)
        score, chosen = self.scores(s)
        rest = self.excess()
        cands = self.cands[sid]
        open_ = score < BIG
        # a weighted score is at least the excess it adds, so a tabu slot is let through only
        # when it surely beats the best plan yet
        open_ &= (self.tabu_until[sid] <= self.step) | (rest + score < best)
        j_here = self.index[sid][here]
        if open_[j_here] and chosen(j_here) == mine:
            open_[j_here] = False
        if not open_.any():
            self.place(s, here, mine)
            self.rested[sid] = self.step + REST
            return True
        value = np.where(open_, score, np.iinfo(np.int64).max)
        ties = np.flatnonzero(value == value.min())
        j = int(ties[self.rng.randrange(len(ties))])
        self.place(s, cands[j], chosen(j))
        self.tabu_until[sid][j_here] = self.step + TENURE + self.rng.randrange(TENURE)
        self.rested[sid] = self.step + REST
        return True


def _open_days(n_days: int, closed: Iterable[int]) -> np.ndarray:
    """Per day of the year, whether it is not one of ``closed``."""
    out = np.ones(n_days, bool)
    days = [d for d in closed if 0 <= d < n_days]
    out[days] = False
    return out


def _nobody(j: int) -> tuple[str, ...]:
    """No presenters, in any slot."""
    return ()


def _apart(groups: list[tuple[str, ...]]) -> bool:
    """No region in two of the groups."""
    seen: set[str] = set()
    for group in groups:
        if seen & set(group):
            return False
        seen |= set(group)
    return True


def tabu_assignment(
    inst: Instance, first: Assignment, *, seed: int = 0, budget: float = 3.0, wall: float | None = None
) -> Assignment:
    """A plan from ``first`` (e.g. the greedy's, perhaps partial): tabu steps until no rule
    is broken, or ``budget`` seconds of this thread's CPU time (``wall`` on the clock,
    default the same) have gone.  Only the sessions that keep every rule the greedy tests
    come back (see the module): the whole plan when the search ended with no excess, and
    never fewer than ``first`` has (``first`` itself then: it is assumed to keep them)."""
    cpu_deadline = time.thread_time() + budget
    deadline = time.monotonic() + (budget if wall is None else wall)
    search = _Search(inst, seed)
    search.start(first)
    best = search.excess()
    best_plan = (dict(search.slot), dict(search.chosen))
    since = 0  # steps since the weights were last raised
    while best > 0 and time.thread_time() < cpu_deadline and time.monotonic() < deadline:
        if not search.move(best):
            break
        since += 1
        if since >= max(BUMP_EVERY, search.shared):
            search.bump()
            since = 0
        now = search.excess()
        if now < best:
            best = now
            best_plan = (dict(search.slot), dict(search.chosen))
    kept = _kept(inst, *best_plan)
    # a search that did not end with every rule kept may keep fewer sessions than it began with
    return kept if len(kept.slot) >= len(first.slot) else first


def _kept(inst: Instance, slot: dict[str, int], chosen: dict[str, tuple[str, ...]]) -> Assignment:
    """The plan re-tested with the greedy's tests, session by session in date order: one
    that breaks a rule beside those before it is left out.  Dialogs are then filled up to
    what their slot holds, as the greedy does."""
    state = _State(inst)
    order = sorted((s for s in inst.sessions if s.id in slot), key=lambda s: (slot[s.id], s.id))
    for s in order:
        t, units = slot[s.id], list(chosen[s.id])
        if len(units) < s.min_presenters or state.holding_breaks(s, t) is not None:
            continue
        state.slot[s.id] = t  # presenting_breaks reads the session's slot
        ok = all(state.presenting_breaks(s, u, t, units[:k]) is None for k, u in enumerate(units))
        del state.slot[s.id]
        if ok:
            state.place(s, t, units)
    placed = [s for s in inst.dialogs() if s.id in state.slot]
    for s in sorted(placed, key=lambda s: (state.slot[s.id], s.id)):
        _fill(inst, state, s)
    presenters = {
        s.id: tuple(sorted(state.chosen[s.id], key=lambda u: (inst.units[u].order, u)))
        for s in inst.dialogs()
        if s.id in state.slot
    }
    return _in_date_order(inst, Assignment(slot=dict(state.slot), presenters=presenters))
