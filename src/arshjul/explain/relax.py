"""Relaxations: edits of the scenario file that switch a colliding rule off or move its limit
just far enough, each checked by solving the edited copy."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..cpsat.conflicts import feasible
from ..errors import ScenarioError
from ..instance import Instance, build_instance
from ..scenario import WEEKDAYS, Scenario
from .words import ConflictItem, _Where


@dataclass(frozen=True)
class Relaxation:
    """An edit of the scenario file, and whether solving the edited copy found a plan."""

    edit: str
    """Phrased as the change to make, e.g. ``set regions[SE-I].limits.window_max: 3``."""
    rule: str
    subjects: tuple[str, ...]
    works: bool
    cost: int = 0
    """Rough size of the change, for ordering: a limit moved by one is cheapest."""
    note: str = ""
    """Why an edit was not enough, or which smaller values stayed undecided."""
    scenario: Scenario | None = field(default=None, compare=False, repr=False)
    """The edited copy that was solved (to apply or re-check it)."""


Edit = Callable[[Scenario], None]


class _Verifier:
    """Solves edited copies of the scenario (feasibility only) within a time budget,
    ``width`` at a time: each solve runs on one core, so two cores check two edits at once."""

    def __init__(self, sc: Scenario, deadline: float, step: float, width: int) -> None:
        self.sc = sc
        self.deadline = deadline
        self.step = step
        self.width = max(1, width)
        self.solves = 0
        self.undecided: set[int] = set()
        self._lock = threading.Lock()

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def edited(self, edit: Edit) -> Scenario | None:
        copy = self.sc.model_copy(deep=True)
        try:
            edit(copy)
        except (ValidationError, ValueError):
            return None
        return copy

    def works(self, sc: Scenario | None, limit: float | None = None) -> bool | None:
        """True: a plan exists; False: proven none; None: not decided in time."""
        if sc is None:
            return False
        if self.left() <= 0.1:
            return None
        try:
            inst = build_instance(sc)
        except ScenarioError:
            return False
        with self._lock:
            self.solves += 1
        status = feasible(inst, time_limit=min(limit or self.step, self.left()))
        return True if status == "FEASIBLE" else False if status == "INFEASIBLE" else None

    def works_many(self, scenarios: Sequence[Scenario | None]) -> list[bool | None]:
        if self.width == 1 or len(scenarios) == 1:
            return [self.works(sc) for sc in scenarios]
        with ThreadPoolExecutor(max_workers=self.width) as pool:
            return list(pool.map(self.works, scenarios))


def _first_working(
    values: Sequence[int], works_many: Callable[[Sequence[int]], list[bool | None]], width: int = 1
) -> tuple[int | None, list[int]]:
    """The first value that works, assuming once one works every later one does: gallop,
    then bisect, ``width`` values at a time, so a limit far away costs a handful of solves.
    Also returns the values below it that could not be decided in time."""
    n = len(values)
    if n == 0:
        return None, []
    order: list[int] = []
    i, step = 0, 1
    while i < n - 1:
        order.append(i)
        i, step = i + step, step * 2
    order.append(n - 1)
    lo, hi = -1, None
    undecided: set[int] = set()
    for b in range(0, len(order), width):
        batch = order[b : b + width]
        results = works_many([values[k] for k in batch])
        undecided |= {k for k, r in zip(batch, results, strict=True) if r is None}
        ok = [k for k, r in zip(batch, results, strict=True) if r]
        if ok:
            hi = min(ok)
            lo = max([lo, *(k for k in batch if k < hi)])
            break
        lo = batch[-1]
    if hi is None:
        return None, []
    while hi - lo > 1:
        picks = sorted({lo + (hi - lo) * (j + 1) // (width + 1) for j in range(width)} - {lo, hi})
        results = works_many([values[k] for k in picks])
        undecided |= {k for k, r in zip(picks, results, strict=True) if r is None}
        ok = [k for k, r in zip(picks, results, strict=True) if r]
        new_hi = min(ok) if ok else hi
        lo = max([lo, *(k for k in picks if k < new_hi)])
        hi = new_hi
    return values[hi], [values[k] for k in sorted(undecided) if k < hi]


@dataclass(frozen=True)
class _Numeric:
    """A limit to move: the field path, its value now, the values to try in order."""

    path: str
    current: int
    values: Sequence[int]
    apply: Callable[[Scenario, int], None]


def _set_region_limit(code: str, name: str) -> Callable[[Scenario, int], None]:
    def edit(sc: Scenario, value: int) -> None:
        setattr(sc.region(code).limits, name, value)

    return edit


def _numeric_for(w: _Where, rule: str, subject: str) -> _Numeric | None:
    sc, inst = w.sc, w.inst
    if rule in (
        "region_invitation_cap",
        "region_daily_cap",
        "region_presentation_cap",
        "region_presentation_gap",
    ):
        name = {
            "region_invitation_cap": "window_max",
            "region_daily_cap": "daily_max",
            "region_presentation_cap": "max_presentations",
            "region_presentation_gap": "presentation_gap_days",
        }[rule]
        value, _ = w.region_limit(subject, name)
        path = f"regions[{subject}].limits.{name}"
        edit = _set_region_limit(subject, name)
        if name == "presentation_gap_days":
            return _Numeric(path, value, range(value - 1, -1, -1), edit)
        top = {
            "window_max": max(inst.window_days, len(inst.sessions)),
            "daily_max": max(len(sc.slots), 1) * 2,
            "max_presentations": len(inst.dialogs()),
        }[name]
        return _Numeric(path, value, range(value + 1, max(top, value + 1) + 1), edit)
    if rule == "host_tempo":
        gap = inst.hosts[subject].gap_days

        def set_gap(s: Scenario, v: int) -> None:
            s.host(subject).gap_days = v

        return _Numeric(f"hosts[{subject}].gap_days", gap, range(gap - 1, 0, -1), set_gap)
    if rule in ("dialog_min_presenters", "dialog_max_presenters") or (
        rule == "session_fits_slot" and subject in inst.themes
    ):
        theme_id = subject if subject in inst.themes else inst.session(subject).theme or ""
        path, theme = w.theme(theme_id)

        def set_theme(attr: str) -> Callable[[Scenario, int], None]:
            def edit(s: Scenario, v: int) -> None:
                for _, t in s.themes():
                    if t.id == theme_id:
                        setattr(t, attr, v)

            return edit

        if rule == "dialog_max_presenters":
            return _Numeric(
                f"{path}.max_presenters",
                theme.max_presenters,
                range(theme.max_presenters + 1, 101),
                set_theme("max_presenters"),
            )
        return _Numeric(
            f"{path}.min_presenters",
            theme.min_presenters,
            range(theme.min_presenters - 1, -1, -1),
            set_theme("min_presenters"),
        )
    if rule == "session_fits_slot":
        path, _, obj = w.owner(subject)
        if obj is None or not hasattr(obj, "duration_minutes"):
            return None

        def set_duration(s: Scenario, v: int) -> None:
            target = (
                s.network
                if path == "network"
                else s.learning_meeting
                if path == "learning_meeting"
                else next(h for h in s.hybrids if h.id == subject)
            )
            assert target is not None
            target.duration_minutes = v

        return _Numeric(
            f"{path}.duration_minutes",
            obj.duration_minutes,
            range(obj.duration_minutes - 5, 14, -5),
            set_duration,
        )
    if rule == "lead_time":

        def set_lead(s: Scenario, v: int) -> None:
            s.limits.lead_time_days = v

        lead = sc.limits.lead_time_days
        return _Numeric("limits.lead_time_days", lead, range(lead - 1, -1, -1), set_lead)
    if rule == "learning_first":

        def set_days(s: Scenario, v: int) -> None:
            assert s.learning_meeting is not None
            s.learning_meeting.days_before_first_dialog = v

        days = inst.learning_gap_days
        return _Numeric("learning_meeting.days_before_first_dialog", days, range(days - 1, -1, -1), set_days)
    if rule == "dialog_followup" and sc.network is not None and sc.network.followup_weeks:

        def set_weeks(s: Scenario, v: int) -> None:
            assert s.network is not None
            s.network.followup_weeks = v

        weeks = sc.network.followup_weeks
        return _Numeric("network.followup_weeks", weeks, range(weeks - 1, -1, -1), set_weeks)
    return None


def _removals(w: _Where, rule: str, subjects: Sequence[str]) -> list[tuple[str, int, Edit]]:
    """Edits that switch a rule off in the scenario file: (phrase, cost, edit)."""
    sc, inst = w.sc, w.inst
    subject = subjects[0]
    if rule == "calendar_weekday":
        days = [d for d in WEEKDAYS if d in set(sc.weekdays) | set(subjects)]

        def add_days(s: Scenario) -> None:
            s.weekdays = days  # type: ignore[assignment]

        return [(f"set weekdays: [{', '.join(days)}]", 20, add_days)]
    if rule in ("calendar_holiday", "calendar_bridge_day", "calendar_half_day"):
        attr = {
            "calendar_holiday": "holidays",
            "calendar_bridge_day": "close_bridge_days",
            "calendar_half_day": "close_half_day_afternoons",
        }[rule]

        def flag_off(s: Scenario) -> None:
            setattr(s.calendar, attr, False)

        return [(f"set calendar.{attr}: false", 15, flag_off)]
    if rule == "calendar_blackout":
        k = w.blackout(subject)

        def drop_blackout(s: Scenario) -> None:
            s.calendar.blackouts = [b for i, b in enumerate(s.calendar.blackouts) if i != k]

        return [(f"remove calendar.blackouts[{k}] '{subject}'", 8, drop_blackout)]
    if rule == "session_slots":
        path, _, _ = w.owner(subject)

        def all_slots(s: Scenario) -> None:
            _owner_object(s, subject).slots = None

        return [(f"remove {path}.slots (allow every slot)", 4, all_slots)]
    if rule == "session_window":
        path, _, _ = w.owner(subject)

        def no_window(s: Scenario) -> None:
            _owner_object(s, subject).window = None

        return [(f"remove {path}.window", 6, no_window)]
    if rule == "theme_forbidden":
        theme_id, _, nth = subject.partition("#")
        path, theme = w.theme(theme_id)
        index = int(nth)

        def drop_forbidden(s: Scenario) -> None:
            t = _owner_object(s, theme_id)
            t.forbidden = [span for i, span in enumerate(t.forbidden) if i != index]

        what = theme.forbidden[index].describe().strip()
        return [(f"remove {path}.forbidden[{index}] {what}", 5, drop_forbidden)]
    if rule == "dialog_followup":

        def no_followup(s: Scenario) -> None:
            assert s.network is not None
            s.network.followup_weeks = None

        return [("set network.followup_weeks: null (no follow-up)", 10, no_followup)]
    if rule == "network_fixed" and sc.network is not None:
        k, day = w.network_date(subject)
        if len(sc.network.dates) == 1:

            def no_network(s: Scenario) -> None:
                s.network = None

            return [("remove network (its only date)", 12, no_network)]

        def drop_date(s: Scenario) -> None:
            assert s.network is not None
            s.network.dates = [d for i, d in enumerate(s.network.dates) if i != k]

        return [(f"remove network.dates[{k}] {day}", 6, drop_date)]
    if rule == "learning_first" and sc.learning_meeting is not None:

        def no_learning(s: Scenario) -> None:
            s.learning_meeting = None

        return [("remove learning_meeting", 12, no_learning)]
    if rule == "presenter_available":
        region = sc.region(subject)
        out: list[tuple[str, int, Edit]] = []
        for k, span in enumerate(region.unavailable):

            def drop_away(s: Scenario, k: int = k) -> None:
                r = s.region(subject)
                r.unavailable = [x for i, x in enumerate(r.unavailable) if i != k]

            out.append(
                (f"remove regions[{subject}].unavailable[{k}] {span.describe().strip()}", 5, drop_away)
            )
        if sc.calendar.school_holidays and any(
            "unavailable" not in why for why in inst.regions[subject].unavailable.values()
        ):

            def no_school(s: Scenario) -> None:
                s.region(subject).school_holidays = []

            out.append(
                (f"set regions[{subject}].school_holidays: [] (ignore its school holidays)", 7, no_school)
            )
        return out
    if rule == "joint_presentation":

        def drop_group(s: Scenario) -> None:
            s.groups = [g for g in s.groups if g.id != subject]

        return [(f"remove groups[{subject}]", 10, drop_group)]
    return []


def _owner_object(sc: Scenario, key: str) -> Any:
    for _, theme in sc.themes():
        if theme.id == key:
            return theme
    for hybrid in sc.hybrids:
        if hybrid.id == key:
            return hybrid
    if key == "learning" and sc.learning_meeting is not None:
        return sc.learning_meeting
    raise KeyError(key)


def _search_numeric(
    num: _Numeric, item: ConflictItem, verifier: _Verifier
) -> tuple[Relaxation | None, Relaxation | None]:
    """The smallest move of a numeric limit that gives a plan (each candidate solved), or
    the farthest move tried that did not."""
    found: dict[int, Scenario] = {}

    def copy_with(value: int) -> Scenario | None:
        def edit(s: Scenario) -> None:
            num.apply(s, value)

        return verifier.edited(edit)

    def attempt(values: Sequence[int]) -> list[bool | None]:
        copies = [copy_with(v) for v in values]
        results = verifier.works_many(copies)
        for v, c, r in zip(values, copies, results, strict=True):
            if r and c is not None:
                found[v] = c
        return results

    value, undecided = _first_working(num.values, attempt, verifier.width)
    # proving "no plan" is what takes long; give the undecided values below the found
    # one a second, longer look (smallest first) while the budget lasts
    for v in list(undecided):
        if value is None or v >= value or verifier.left() <= 0.1:
            break
        copy = copy_with(v)
        outcome = verifier.works(copy, limit=4 * verifier.step)
        if outcome is not None:
            undecided.remove(v)
        if outcome and copy is not None:
            found[v] = copy
            value = v
            undecided = [u for u in undecided if u < v]
            break
    if value is not None:
        note = (
            f"{', '.join(map(str, undecided))} could not be decided in {verifier.step:g} s"
            if undecided
            else ""
        )
        return (
            Relaxation(
                f"set {num.path}: {value} (now {num.current})",
                item.rule,
                item.subjects,
                True,
                cost=abs(value - num.current),
                note=note,
                scenario=found[value],
            ),
            None,
        )
    if num.values:
        return None, Relaxation(
            f"set {num.path}: {num.values[-1]} (now {num.current})",
            item.rule,
            item.subjects,
            False,
            cost=99,
            note="no value up to this one was shown to give a plan",
        )
    return None, None


def _global_limit_for(w: _Where, rule: str, code: str) -> _Numeric | None:
    """The scenario-wide limit behind a region's rule, when the region has no own value."""
    name = {
        "region_invitation_cap": "window_max",
        "region_daily_cap": "daily_max",
        "region_presentation_cap": "max_presentations",
    }.get(rule)
    if name is None:
        return None
    value, path = w.region_limit(code, name)
    if path != f"limits.{name}":
        return None
    region_wide = _numeric_for(w, rule, code)
    assert region_wide is not None

    def edit(sc: Scenario, v: int) -> None:
        setattr(sc.limits, name, v)

    return _Numeric(path, value, region_wide.values, edit)


def relax(
    sc: Scenario, inst: Instance, item: ConflictItem, verifier: _Verifier
) -> tuple[list[Relaxation], list[Relaxation]]:
    """Try the edits that switch ``item`` off or move its limit just far enough; each is
    solved.  Returns (edits that give a plan, edits tried that do not or were undecided)."""
    w = _Where(sc, inst)
    works: list[Relaxation] = []
    tried: list[Relaxation] = []

    numeric = _numeric_for(w, item.rule, item.subjects[0]) if len(item.subjects) == 1 else None
    if numeric is not None:
        good, bad = _search_numeric(numeric, item, verifier)
        if good is not None:
            return [good], tried
        if bad is not None:
            tried.append(bad)
        # the region's limit is the scenario-wide one: raising it for one region may not be
        # enough when the others share it, so try the scenario-wide limit too
        wide = _global_limit_for(w, item.rule, item.subjects[0])
        if wide is not None:
            good, bad = _search_numeric(wide, item, verifier)
            if good is not None:
                return [good], tried
            if bad is not None:
                tried.append(bad)

    edits = _removals(w, item.rule, item.subjects)
    if item.rule == "presenter_available" and len(edits) > 1:
        # all at once first: if even that is not enough, no single one is
        def all_away(s: Scenario) -> None:
            for _, _, e in reversed(edits):
                e(s)

        phrase = f"remove every away period of regions[{item.subjects[0]}] (unavailable and school holidays)"
        copy = verifier.edited(all_away)
        outcome = verifier.works(copy)
        if not outcome:
            tried.append(
                Relaxation(phrase, item.rule, item.subjects, False, cost=99, note=_why_no(outcome, verifier))
            )
            return works, tried
        ok, no = _try_edits(verifier, item, edits)
        if ok:
            return ok, no
        works.append(Relaxation(phrase, item.rule, item.subjects, True, cost=12, scenario=copy))
        return works, no
    ok, no = _try_edits(verifier, item, edits)
    return works + ok, tried + no


def _why_no(outcome: bool | None, verifier: _Verifier) -> str:
    if outcome is None:
        return f"not decided within {verifier.step:g} s"
    return "still no plan: another conflict remains"


def _try_edits(
    verifier: _Verifier, item: ConflictItem, edits: list[tuple[str, int, Edit]]
) -> tuple[list[Relaxation], list[Relaxation]]:
    works: list[Relaxation] = []
    tried: list[Relaxation] = []
    copies = [verifier.edited(edit) for _, _, edit in edits]
    results = verifier.works_many(copies)
    for (phrase, cost, _), copy, ok in zip(edits, copies, results, strict=True):
        if copy is None:
            continue
        if ok:
            works.append(Relaxation(phrase, item.rule, item.subjects, True, cost=cost, scenario=copy))
        else:
            tried.append(
                Relaxation(phrase, item.rule, item.subjects, False, cost=cost, note=_why_no(ok, verifier))
            )
    return works, tried
