"""Relaxations: edits of the scenario file that switch a colliding rule off or move its limit
just far enough, each checked by solving the edited copy.

An edit is data: the changes of :func:`arshjul.variants.variant`, dotted field paths (list
items by id or index) to new values, :data:`~arshjul.variants.REMOVE` to delete::

    {"regions[SE-I].limits.window_max": 3}
    {"calendar.blackouts[0]": REMOVE}

Each :class:`Relaxation` carries its changes, to show or to apply with :func:`apply_changes`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..check import check
from ..cpsat.conflicts import decide
from ..errors import ScenarioError
from ..greedy import greedy_assignment
from ..i18n import _, every_translation
from ..instance import Instance, build_instance
from ..options import SolveStatus
from ..realize import to_plan
from ..scenario import WEEKDAYS, Scenario, keep_availability
from ..variants import REMOVE, variant
from .words import ConflictItem, _Where

Changes = Mapping[str, Any]
"""An edit of the scenario file: dotted field path → new value, applied in order."""


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
    changes: Changes = field(default_factory=dict, compare=False)
    """The edit itself, e.g. ``{"regions[SE-I].limits.window_max": 3}``: what :func:`apply_changes`
    (and :func:`arshjul.variants.variant`) apply to the scenario to get ``scenario``."""


def scenario_data(sc: Scenario) -> dict[str, Any]:
    """Plain data of every field of ``sc``, defaults included, to apply changes to.

    (:func:`arshjul.variants.data_of` writes only what the file set or what differs from a
    default, like a file: it would leave no items to address in a default list such as the
    blackouts.)"""
    return sc.model_dump(mode="python", by_alias=True)


def apply_changes(sc: Scenario, changes: Changes) -> Scenario:
    """A validated copy of ``sc`` with ``changes`` applied (a ``ScenarioError`` when they
    do not fit)."""
    return keep_availability(sc, variant(scenario_data(sc), changes))


class _Verifier:
    """Solves edited copies of the scenario (feasibility only) within a time budget,
    ``width`` at a time: each solve runs on one core, so two cores check two edits at once.

    An edit works when the greedy's plan of the edited copy keeps every rule (the checker
    says so) or CP-SAT finds a plan; it does not when CP-SAT proves there is none.  With
    ``deterministic`` the budget and each solve count CP-SAT's deterministic time instead
    of seconds, so the same edits are decided on a fast machine and a busy one."""

    def __init__(
        self,
        sc: Scenario,
        deadline: float,
        step: float,
        width: int,
        *,
        deterministic: bool = False,
        stop: threading.Event | None = None,
        checked: Callable[[int], None] | None = None,
    ) -> None:
        self.sc = sc
        self.data = scenario_data(sc)
        self.deadline = deadline
        self.budget = deadline - time.monotonic()
        self.step = step
        self.width = 1 if deterministic else max(1, width)
        self.deterministic = deterministic
        self.work = 0.0
        """Deterministic time spent so far (the budget, when ``deterministic``)."""
        self.solves = 0
        self.undecided: set[int] = set()
        self._lock = threading.Lock()
        self.stop = stop
        """Set: no more edits are decided (each undecided from then on)."""
        self.checked = checked
        """Told how many edits have been decided so far (progress for a waiting page)."""
        self.decided = 0

    @property
    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def left(self) -> float:
        if self.stopped:
            return 0.0
        if self.deterministic:
            return self.budget - self.work
        return self.deadline - time.monotonic()

    def edited(self, changes: Changes) -> Scenario | None:
        """The scenario with ``changes`` applied, or ``None`` when they do not validate."""
        try:
            return keep_availability(self.sc, variant(self.data, changes))
        except ScenarioError:
            return None

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
        if _greedy_keeps_every_rule(inst):
            return self._decided(True)
        with self._lock:
            self.solves += 1
        status, work = decide(
            inst,
            time_limit=min(limit or self.step, self.left()),
            deterministic=self.deterministic,
            stop=self.stop,
        )
        with self._lock:
            self.work += work
        if self.stopped:
            return None
        return self._decided(True if status == "FEASIBLE" else False if status == "INFEASIBLE" else None)

    def _decided(self, outcome: bool | None) -> bool | None:
        with self._lock:
            self.decided += 1
            decided = self.decided
        if self.checked is not None:
            self.checked(decided)
        return outcome

    def works_many(self, scenarios: Sequence[Scenario | None]) -> list[bool | None]:
        if self.width == 1 or len(scenarios) == 1:
            return [self.works(sc) for sc in scenarios]
        with ThreadPoolExecutor(max_workers=self.width) as pool:
            return list(pool.map(self.works, scenarios))


def _greedy_keeps_every_rule(inst: Instance) -> bool:
    """The greedy places every session and the checker finds nothing broken: a plan exists
    (plain Python, no solve; shown by the same checker every plan passes)."""
    a = greedy_assignment(inst)
    if len(a.slot) < len(inst.sessions):
        return False
    return check(inst, to_plan(inst, a, status=SolveStatus.FEASIBLE)).ok


@dataclass(frozen=True)
class _Found:
    """The outcome of a search along one limit."""

    value: int | None
    """The nearest value shown to give a plan (``None``: none was)."""
    undecided: tuple[int, ...] = ()
    """Values nearer than ``value`` (or, without one, any value) neither shown to give a plan
    nor proven to give none within the time limit, nearest first."""
    proven: bool = False
    """Without a value: the farthest value was proven to give no plan, so none nearer does."""


def _nearest_working(
    values: Sequence[int],
    works_many: Callable[[Sequence[int]], list[bool | None]],
    width: int = 1,
    retry: Callable[[int], bool | None] | None = None,
) -> _Found:
    """The nearest value (``values`` run from the current one outward, toward the relaxed
    side) that was shown to give a plan.  Relaxing further never loses a plan, so once one
    value works every farther one does, and once one is proven to give none every nearer one
    gives none: gallop outward, then bisect, ``width`` values at a time, so a limit far away
    costs a handful of solves.  A value not decided in time (``None``) is no proof either
    way: the values between the last proven failure and the value found that stayed
    undecided are given a second, longer look through ``retry``, nearest first, and those
    still undecided are returned."""
    n = len(values)
    if n == 0:
        return _Found(None)
    seen: dict[int, bool | None] = {}

    def probe(ks: Sequence[int]) -> None:
        seen.update(zip(ks, works_many([values[k] for k in ks]), strict=True))

    order: list[int] = []
    i, step = 0, 1
    while i < n - 1:
        order.append(i)
        i, step = i + step, step * 2
    order.append(n - 1)
    hi: int | None = None
    for b in range(0, len(order), width):
        batch = order[b : b + width]
        probe(batch)
        ok = [k for k in batch if seen[k]]
        if ok:
            hi = min(ok)
            break
    if hi is None:
        undecided = tuple(values[k] for k in range(n) if seen.get(k) is not False)
        proven = seen.get(n - 1) is False
        return _Found(None, () if proven else undecided, proven)

    def floor(hi: int) -> int:
        """The farthest value below ``hi`` proven to give no plan (-1: none)."""
        return max([-1, *(k for k, r in seen.items() if k < hi and r is False)])

    while True:
        gap = [k for k in range(floor(hi) + 1, hi) if k not in seen]
        if not gap:
            break
        picks = sorted({gap[len(gap) * (j + 1) // (width + 1)] for j in range(width)})
        probe(picks)
        ok = [k for k in picks if seen[k]]
        if ok:
            hi = min(ok)
    if retry is not None:
        for k in range(floor(hi) + 1, hi):
            outcome = retry(values[k])
            if outcome is None:
                continue
            seen[k] = outcome
            if outcome:
                hi = k
                break
    return _Found(values[hi], tuple(values[k] for k in range(floor(hi) + 1, hi)))


@dataclass(frozen=True)
class _Numeric:
    """A limit to move: the field path, its value now, the values to try in order."""

    path: str
    current: int
    values: Sequence[int]

    def at(self, value: int) -> dict[str, Any]:
        """The edit that sets the limit to ``value``."""
        return {self.path: value}


_OWN_CANNOT_PRESENT = tuple(
    sorted(m.split("{period}")[0].strip() for m in every_translation("cannot present {period}"))
)
"""How a day the region's own ``cannot_present`` names starts, in every language (the
instance words it in the language it was built in)."""


def _set(path: str, value: str) -> str:
    """An edit of a field: ``set calendar.holidays: false``."""
    # TRANSLATORS: an edit 'arshjul explain' proposes; the field path and the value are the
    # scenario file's own (YAML), never translated
    return _("set {field}: {value}").format(field=path, value=value)


def _now(path: str, value: str, current: object) -> str:
    """A limit moved: ``set regions[SE-I].limits.window_max: 2 (now 1)``."""
    return _("set {field}: {value} (now {current})").format(field=path, value=value, current=current)


def _remove(path: str, what: str = "") -> str:
    """``remove calendar.blackouts[0] 'Höst'``: the entry, and what it is when that helps."""
    if what:
        return _("remove {field} {what}").format(field=path, what=what)
    return _("remove {field}").format(field=path)


@dataclass(frozen=True)
class _Edit:
    """An edit that switches a rule off: as said to the planner, its rough size, the changes."""

    phrase: str
    cost: int
    changes: Changes


_REGION_LIMITS = {
    "region_invitation_cap": "window_max",
    "region_daily_cap": "daily_max",
    "region_presentation_cap": "max_presentations",
    "region_presentation_gap": "presentation_gap_days",
}
"""Region rules with a numeric limit, and the limit's field name."""


def _numeric_for(w: _Where, rule: str, subject: str) -> _Numeric | None:
    sc, inst = w.sc, w.inst
    if rule in _REGION_LIMITS:
        name = _REGION_LIMITS[rule]
        value, _ = w.region_limit(subject, name)
        path = f"regions[{subject}].limits.{name}"
        if name == "presentation_gap_days":
            return _Numeric(path, value, range(value - 1, -1, -1))
        top = {
            "window_max": max(inst.window_days, len(inst.sessions)),
            "daily_max": max(len(sc.slots), 1) * 2,
            "max_presentations": len(inst.dialogs()),
        }[name]
        return _Numeric(path, value, range(value + 1, max(top, value + 1) + 1))
    if rule == "host_tempo":
        gap = inst.hosts[subject].gap_days
        return _Numeric(f"hosts[{subject}].gap_days", gap, range(gap - 1, 0, -1))
    if rule in ("dialog_min_presenters", "dialog_max_presenters") or (
        rule == "session_fits_slot" and subject in inst.themes
    ):
        theme_id = subject if subject in inst.themes else inst.session(subject).theme or ""
        path, theme = w.theme(theme_id)
        if rule == "dialog_max_presenters":
            return _Numeric(
                f"{path}.max_presenters", theme.max_presenters, range(theme.max_presenters + 1, 101)
            )
        return _Numeric(
            f"{path}.min_presenters", theme.min_presenters, range(theme.min_presenters - 1, -1, -1)
        )
    if rule == "session_fits_slot":
        path, _, obj = w.owner(subject)
        if obj is None or not hasattr(obj, "duration_minutes"):
            return None
        return _Numeric(
            f"{path}.duration_minutes", obj.duration_minutes, range(obj.duration_minutes - 5, 14, -5)
        )
    if rule == "lead_time":
        lead = sc.limits.lead_time_days
        return _Numeric("limits.lead_time_days", lead, range(lead - 1, -1, -1))
    if rule == "learning_first":
        days = inst.learning_gap_days
        return _Numeric("learning_meeting.days_before_first_dialog", days, range(days - 1, -1, -1))
    if rule == "dialog_followup" and sc.network is not None and sc.network.followup_weeks:
        weeks = sc.network.followup_weeks
        return _Numeric("network.followup_weeks", weeks, range(weeks - 1, -1, -1))
    return None


def _removals(w: _Where, rule: str, subjects: Sequence[str]) -> list[_Edit]:
    """Edits that switch a rule off in the scenario file."""
    sc, inst = w.sc, w.inst
    subject = subjects[0]
    if rule == "calendar_weekday":
        days = [d for d in WEEKDAYS if d in set(sc.weekdays) | set(subjects)]
        return [_Edit(_set("weekdays", f"[{', '.join(days)}]"), 20, {"weekdays": days})]
    if rule in ("calendar_holiday", "calendar_bridge_day", "calendar_half_day"):
        attr = {
            "calendar_holiday": "holidays",
            "calendar_bridge_day": "close_bridge_days",
            "calendar_half_day": "close_half_day_afternoons",
        }[rule]
        return [_Edit(_set(f"calendar.{attr}", "false"), 15, {f"calendar.{attr}": False})]
    if rule == "calendar_blackout":
        k = w.blackout(subject)
        return [
            _Edit(
                _remove(f"calendar.blackouts[{k}]", f"'{subject}'"), 8, {f"calendar.blackouts[{k}]": REMOVE}
            )
        ]
    if rule == "session_slots":
        path, _, _ = w.owner(subject)
        return [
            _Edit(
                _("remove {field} (allow every slot)").format(field=f"{path}.slots"),
                4,
                {f"{path}.slots": None},
            )
        ]
    if rule == "session_window":
        path, _, _ = w.owner(subject)
        return [_Edit(_remove(f"{path}.window"), 6, {f"{path}.window": None})]
    if rule == "theme_forbidden":
        theme_id, _sep, nth = subject.partition("#")
        path, theme = w.theme(theme_id)
        index = int(nth)
        what = theme.forbidden[index].describe().strip()
        return [_Edit(_remove(f"{path}.forbidden[{index}]", what), 5, {f"{path}.forbidden[{index}]": REMOVE})]
    if rule == "dialog_followup":
        return [
            _Edit(
                _("set {field}: {value} (no follow-up)").format(field="network.followup_weeks", value="null"),
                10,
                {"network.followup_weeks": None},
            )
        ]
    if rule == "network_fixed" and sc.network is not None:
        k, day = w.network_date(subject)
        if len(sc.network.dates) == 1:
            return [
                _Edit(_("remove {field} (its only date)").format(field="network"), 12, {"network": REMOVE})
            ]
        return [_Edit(_remove(f"network.dates[{k}]", str(day)), 6, {f"network.dates[{k}]": REMOVE})]
    if rule == "learning_first" and sc.learning_meeting is not None:
        return [_Edit(_remove("learning_meeting"), 12, {"learning_meeting": REMOVE})]
    if rule == "presenter_available":
        region = sc.region(subject)
        spans = [
            *region.away_spans(),
            *(("cannot_present", k, sp) for k, sp in enumerate(region.cannot_present)),
        ]
        out = [
            _Edit(
                _remove(f"regions[{subject}].{name}[{k}]", span.describe().strip()),
                5,
                {f"regions[{subject}].{name}[{k}]": REMOVE},
            )
            for name, k, span in spans
        ]
        # days it cannot present that no span of its own gives are school holidays
        if sc.calendar.school_holidays and any(
            not why.startswith(_OWN_CANNOT_PRESENT) for why in inst.regions[subject].cannot_present.values()
        ):
            out.append(
                _Edit(
                    _("set {field}: {value} (ignore its school holidays)").format(
                        field=f"regions[{subject}].school_holidays", value="[]"
                    ),
                    7,
                    {f"regions[{subject}].school_holidays": []},
                )
            )
        return out
    if rule == "joint_presentation":
        return [_Edit(_remove(f"groups[{subject}]"), 10, {f"groups[{subject}]": REMOVE})]
    return []


def _search_numeric(
    num: _Numeric, item: ConflictItem, verifier: _Verifier
) -> tuple[Relaxation | None, Relaxation | None]:
    """The nearest move of a numeric limit shown to give a plan (each candidate solved), or
    what was learnt about the values tried when none was: proven to give no plan, or not
    shown within the time limit."""
    found: dict[int, Scenario] = {}

    def attempt(values: Sequence[int]) -> list[bool | None]:
        if verifier.stopped:
            return [None] * len(values)
        copies = [verifier.edited(num.at(v)) for v in values]
        results = verifier.works_many(copies)
        for v, c, r in zip(values, copies, results, strict=True):
            if r and c is not None:
                found[v] = c
        return results

    def retry(v: int) -> bool | None:
        """One value again, with four times the time (proving "no plan" is what takes long)."""
        if verifier.stopped:
            return None
        copy = verifier.edited(num.at(v))
        outcome = verifier.works(copy, limit=4 * verifier.step)
        if outcome and copy is not None:
            found[v] = copy
        return outcome

    result = _nearest_working(num.values, attempt, verifier.width, retry)
    clock = _("deterministic time") if verifier.deterministic else "s"
    if result.value is not None:
        note = (
            _(
                "nearer {values} not shown within the time limit ({step} {clock} each): "
                "one of them may be enough"
            ).format(values=", ".join(map(str, result.undecided)), step=f"{verifier.step:g}", clock=clock)
            if result.undecided
            else ""
        )
        return (
            Relaxation(
                _now(num.path, str(result.value), num.current),
                item.rule,
                item.subjects,
                True,
                cost=abs(result.value - num.current),
                note=note,
                scenario=found[result.value],
                changes=num.at(result.value),
            ),
            None,
        )
    if not num.values:
        return None, None
    first, last = num.values[0], num.values[-1]
    span = f"{first}" if first == last else _("any of {first}…{last}").format(first=first, last=last)
    if result.proven:
        note = _("no plan with any of them: proven (even {last} gives none)").format(last=last)
    else:
        note = _("no plan shown within the time limit, none proven impossible")
    return None, Relaxation(
        _now(num.path, span, num.current),
        item.rule,
        item.subjects,
        False,
        cost=99,
        note=note,
        changes=num.at(last),
    )


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
    return _Numeric(path, value, region_wide.values)


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

    if verifier.stopped:
        return works, tried
    edits = _removals(w, item.rule, item.subjects)
    if item.rule == "presenter_available" and len(edits) > 1:
        # all at once first: if even that is not enough, no single one is (the last first,
        # so that removing an away period does not shift the index of the next)
        every = {path: value for e in reversed(edits) for path, value in e.changes.items()}
        phrase = _(
            "remove every day {field} cannot present (away, cannot_present and school holidays)"
        ).format(field=f"regions[{item.subjects[0]}]")
        copy = verifier.edited(every)
        outcome = verifier.works(copy)
        if not outcome:
            tried.append(
                Relaxation(
                    phrase,
                    item.rule,
                    item.subjects,
                    False,
                    cost=99,
                    note=_why_no(outcome, verifier),
                    changes=every,
                )
            )
            return works, tried
        ok, no = _try_edits(verifier, item, edits)
        if ok:
            return ok, no
        works.append(
            Relaxation(phrase, item.rule, item.subjects, True, cost=12, scenario=copy, changes=every)
        )
        return works, no
    ok, no = _try_edits(verifier, item, edits)
    return works + ok, tried + no


def _why_no(outcome: bool | None, verifier: _Verifier) -> str:
    if outcome is None:
        return _("not decided within {step} s").format(step=f"{verifier.step:g}")
    return _("still no plan: another conflict remains")


def _try_edits(
    verifier: _Verifier, item: ConflictItem, edits: list[_Edit]
) -> tuple[list[Relaxation], list[Relaxation]]:
    works: list[Relaxation] = []
    tried: list[Relaxation] = []
    if verifier.stopped:
        return works, tried
    copies = [verifier.edited(e.changes) for e in edits]
    results = verifier.works_many(copies)
    for e, copy, ok in zip(edits, copies, results, strict=True):
        if copy is None:
            continue
        if ok:
            works.append(
                Relaxation(
                    e.phrase, item.rule, item.subjects, True, cost=e.cost, scenario=copy, changes=e.changes
                )
            )
        else:
            tried.append(
                Relaxation(
                    e.phrase,
                    item.rule,
                    item.subjects,
                    False,
                    cost=e.cost,
                    note=_why_no(ok, verifier),
                    changes=e.changes,
                )
            )
    return works, tried
