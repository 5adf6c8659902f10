"""Tell the planner why: which rules collide, what a plan's penalty is made of, and where
else a session could go.

Three questions, one vocabulary (the rule names of :mod:`arshjul.cpsat.constraints`,
:mod:`arshjul.check` and :mod:`arshjul.instance`):

- **why not** — :func:`why_not` finds a minimal set of the scenario's own rules that cannot
  all hold, says each in the scenario's words with its numbers and field path, and offers
  edits of the scenario file that make it solvable, each checked by solving the edited copy;
- **why this** — :func:`breakdown` splits a plan's objective into its terms, per session and
  per region, and lists the hard rules the plan sits exactly at;
- **where else** — :func:`alternatives` lists every other slot a session could move to with
  everything else fixed (and the objective there), and for each slot it cannot use, the rule
  that forbids it; :func:`region_alternatives` lists the dialogs a region could join.

Only :mod:`arshjul.cpsat` touches the solver; this module decides what to ask and how to
say it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .check import TERM_NAMES, Violation, check, host_neighbours
from .cpsat.conflicts import Conflict, ConflictOptions, MoveProbe, best_move, feasible, find_conflict
from .errors import ScenarioError
from .instance import Assignment, Instance, RuleKey, SessionSpec, SlotTime, build_instance
from .plan import Plan, worst_window
from .realize import from_plan, slot_of, to_plan
from .scenario import WEEKDAYS, Scenario

# -- the rules, in words -------------------------------------------------------------------

RULE_TEXT: dict[str, str] = {
    "session_once": "each session is held exactly once",
    "calendar_weekday": "meetings only on the scenario's weekdays (weekdays)",
    "calendar_holiday": "no meetings on Swedish holidays (calendar.holidays)",
    "calendar_bridge_day": "no meetings on bridge days (calendar.close_bridge_days)",
    "calendar_half_day": (
        "no afternoons on the half days before holidays (calendar.close_half_day_afternoons)"
    ),
    "calendar_blackout": "no meetings in a blackout period (calendar.blackouts)",
    "lead_time": "no session before the publication date plus the lead time (limits.lead_time_days)",
    "session_slots": "a session only in the meeting slots it allows (slots)",
    "session_fits_slot": "a session fits inside its meeting slot",
    "session_window": "a session inside its window (window)",
    "theme_forbidden": "no dialog of a theme in its forbidden periods (forbidden)",
    "dialog_followup": "each dialog followed up at a later network meeting (network.followup_weeks)",
    "network_fixed": "network meetings on their fixed dates (network.dates)",
    "dialog_min_presenters": "at least min_presenters presenters in every dialog",
    "dialog_max_presenters": "no more presenters than max_presenters and than fit the slot",
    "joint_presentation": "a region presents alone or with its group, not both",
    "presenter_available": "a region presents only on days it is available (unavailable, school holidays)",
    "presenter_eligible": "only regions interested in a theme present in its dialogs",
    "region_theme_once": "a region presents at most once on each theme",
    "region_presentation_cap": "at most max_presentations presentations per region",
    "region_presentation_gap": "at least presentation_gap_days between two presentations of a region",
    "region_invitation_cap": "at most window_max invitations per region in any window_days days",
    "region_daily_cap": "at most daily_max invitations per region on one day",
    "region_double_booking": "a region is never invited to two sessions at the same time",
    "host_tempo": "a host's sessions at least gap_days apart",
    "learning_first": "the learning meeting at least days_before_first_dialog days before every dialog",
    "session_pinned": "a session already sent keeps its date and presenters",
    "session_invited": "invitations follow the theme's invitation policy (invite)",
    "running_order": "times follow the running order: host first, then each presenter",
}
"""One sentence per hard rule, by the name the model, the checker and the explanations share."""

CALENDAR_GROUPS = ("calendar_weekday", "calendar_holiday", "calendar_bridge_day", "calendar_half_day")
"""Rules with one key per day or weekday: shown as one item with all its subjects."""


def rule_text(rule: str) -> str:
    """The general sentence of a rule (its name when it has none)."""
    return RULE_TEXT.get(rule, rule.replace("_", " "))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _listed(items: Sequence[str], limit: int = 6) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" … and {len(items) - limit} more"


class _Where:
    """Finds things of the scenario by the ids an instance uses, with their field paths."""

    def __init__(self, sc: Scenario, inst: Instance) -> None:
        self.sc = sc
        self.inst = inst

    def region_limit(self, code: str, name: str) -> tuple[int, str]:
        """A region's effective limit and the field that sets it."""
        region = self.sc.region(code)
        own = getattr(region.limits, name)
        if own is not None:
            return int(own), f"regions[{code}].limits.{name}"
        return int(getattr(self.sc.limits, name)), f"limits.{name}"

    def theme(self, theme_id: str) -> tuple[str, Any]:
        for host, theme in self.sc.themes():
            if theme.id == theme_id:
                return f"hosts[{host.id}].themes[{theme.id}]", theme
        raise KeyError(theme_id)

    def owner(self, key: str) -> tuple[str, str, Any]:
        """Path, label and object of the scenario item a session-level subject names: a
        theme id, a hybrid id, ``learning`` or a network session id."""
        for host, theme in self.sc.themes():
            if theme.id == key:
                return f"hosts[{host.id}].themes[{theme.id}]", f"theme '{theme.name}'", theme
        for hybrid in self.sc.hybrids:
            if hybrid.id == key:
                return f"hybrids[{hybrid.id}]", f"hybrid '{hybrid.topic}'", hybrid
        if key == "learning" and self.sc.learning_meeting is not None:
            return "learning_meeting", "the learning meeting", self.sc.learning_meeting
        if self.sc.network is not None and ".network." in key:
            return "network", f"the network meeting of {key.rsplit('.', 1)[-1]}", self.sc.network
        return key, f"'{key}'", None

    def dialog(self, session_id: str) -> tuple[str, Any, SessionSpec]:
        spec = self.inst.session(session_id)
        path, theme = self.theme(spec.theme or "")
        return path, theme, spec

    def network_date(self, session_id: str) -> tuple[int, dt.date]:
        assert self.sc.network is not None
        day = dt.date.fromisoformat(session_id.rsplit(".", 1)[-1])
        return self.sc.network.dates.index(day), day

    def blackout(self, label: str) -> int:
        for k, span in enumerate(self.sc.calendar.blackouts):
            if (span.name or f"blackouts[{k}]") == label:
                return k
        raise KeyError(label)


# -- why not: conflict items and their relaxations -----------------------------------------


@dataclass(frozen=True)
class ConflictItem:
    """One planner-level rule taking part in a conflict (a weekday or holiday group is one)."""

    rule: str
    subjects: tuple[str, ...]
    text: str
    """The rule in the scenario's words, with its numbers and field path."""
    fields: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[RuleKey, ...]:
        return tuple((self.rule, s) for s in self.subjects)


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


@dataclass
class ConflictReport:
    """Answer to *why is there no plan?*"""

    status: str
    """``INFEASIBLE`` (items say why), ``FEASIBLE`` (nothing collides) or ``UNKNOWN``."""
    items: list[ConflictItem] = field(default_factory=list)
    keys: tuple[RuleKey, ...] = ()
    minimal: bool = False
    complete: bool = True
    fixes: list[Relaxation] = field(default_factory=list)
    """Edits that were solved and give a plan, cheapest first."""
    tried: list[Relaxation] = field(default_factory=list)
    """Edits that were solved and are not enough on their own."""
    solves: int = 0
    wall_time: float = 0.0

    def lines(self) -> list[str]:
        """Plain English for the terminal."""
        if self.status == "FEASIBLE":
            return ["Every hard rule can hold together: the scenario has a plan."]
        if self.status != "INFEASIBLE":
            return [
                "Could not tell within the time limit whether the rules can all hold; "
                "try a longer --time-limit."
            ]
        out = ["No plan: these rules of the scenario cannot all hold together"]
        if self.minimal and self.complete:
            out[0] += " (drop any one of them and the rest fits):"
        else:
            out[0] += " (out of time before the set was made as small as possible):"
        for k, item in enumerate(self.items, 1):
            out.append(f"  {k}. {item.text}")
            out.append(f"     [{item.rule} {', '.join(item.subjects)}]")
        if not self.items:
            out.append("  the built-in rules alone (each session once, one theme's dialogs in order)")
        if not self.complete:
            out.append("  … together with the calendar as written (holidays, weekdays, windows).")
        if self.fixes:
            out.append("Ways out, each checked by solving the edited scenario:")
            out.extend(f"  - {r.edit}" + (f" ({r.note})" if r.note else "") for r in self.fixes)
        else:
            out.append("No single edit found that gives a plan on its own.")
        if self.tried:
            out.append("Tried, not enough on its own (edit and run explain again to see what remains):")
            out.extend(f"  - {r.edit}: {r.note}" for r in self.tried)
        return out

    def to_dict(self) -> dict[str, Any]:
        def relax(r: Relaxation) -> dict[str, Any]:
            return {
                "edit": r.edit,
                "rule": r.rule,
                "subjects": list(r.subjects),
                "works": r.works,
                "note": r.note,
            }

        return {
            "status": self.status,
            "minimal": self.minimal,
            "complete": self.complete,
            "rules": [
                {"rule": i.rule, "subjects": list(i.subjects), "text": i.text, "fields": list(i.fields)}
                for i in self.items
            ],
            "keys": [list(k) for k in self.keys],
            "fixes": [relax(r) for r in self.fixes],
            "tried": [relax(r) for r in self.tried],
            "solves": self.solves,
            "wall_time": self.wall_time,
        }


def group_keys(keys: Iterable[RuleKey]) -> list[tuple[str, tuple[str, ...]]]:
    """Planner-level rules: one per key, but one per calendar group (weekdays, holidays …)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    out: list[tuple[str, tuple[str, ...]]] = []
    for rule, subject in sorted(keys):
        if rule in CALENDAR_GROUPS:
            grouped[rule].append(subject)
        else:
            out.append((rule, (subject,)))
    calendar: list[tuple[str, tuple[str, ...]]] = []
    for rule in CALENDAR_GROUPS:
        if rule in grouped:
            subjects = grouped[rule]
            if rule == "calendar_weekday":
                subjects.sort(key=WEEKDAYS.index)
            calendar.append((rule, tuple(subjects)))
    return calendar + out


def describe(sc: Scenario, inst: Instance, rule: str, subjects: Sequence[str]) -> ConflictItem:
    """One rule (or calendar group) in the scenario's own words, with its numbers."""
    w = _Where(sc, inst)
    subject = subjects[0]
    fields: list[str] = []
    try:
        text = _describe(w, rule, subjects, fields)
    except (KeyError, ValueError, AssertionError, StopIteration):
        text = f"{rule_text(rule)} [{', '.join(subjects)}]"
    if not text:
        text = f"{rule_text(rule)} [{subject}]"
    return ConflictItem(rule=rule, subjects=tuple(subjects), text=text, fields=tuple(fields))


def _region_name(w: _Where, code: str) -> str:
    return w.inst.regions[code].name


def _invited_always(inst: Instance, code: str) -> int:
    return sum(1 for s in inst.sessions if code in s.invited)


def _away(inst: Instance, code: str) -> list[str]:
    """A region's away periods, each once, in date order."""
    seen: dict[str, None] = {}
    for day in sorted(inst.regions[code].unavailable):
        seen.setdefault(inst.regions[code].unavailable[day], None)
    return list(seen)


def _describe(w: _Where, rule: str, subjects: Sequence[str], fields: list[str]) -> str:
    sc, inst = w.sc, w.inst
    subject = subjects[0]
    if rule == "region_invitation_cap":
        cap, f = w.region_limit(subject, "window_max")
        fields.append(f)
        n = _invited_always(inst, subject)
        return (
            f"{_region_name(w, subject)}: at most {_plural(cap, 'invitation')} in any "
            f"{inst.window_days} days ({f}); {n} sessions of the {inst.n_days}-day period invite it "
            "whoever presents"
        )
    if rule == "region_daily_cap":
        cap, f = w.region_limit(subject, "daily_max")
        fields.append(f)
        return f"{_region_name(w, subject)}: at most {_plural(cap, 'invitation')} on one day ({f})"
    if rule == "region_presentation_cap":
        cap, f = w.region_limit(subject, "max_presentations")
        fields.append(f)
        return f"{_region_name(w, subject)}: at most {_plural(cap, 'presentation')} in the period ({f})"
    if rule == "region_presentation_gap":
        gap, f = w.region_limit(subject, "presentation_gap_days")
        fields.append(f)
        return f"{_region_name(w, subject)}: at least {gap} days between two of its presentations ({f})"
    if rule == "region_theme_once":
        return f"{_region_name(w, subject)} presents at most once on each theme (built-in rule)"
    if rule == "region_double_booking":
        return f"{_region_name(w, subject)} is never invited to two sessions in the same slot (built-in rule)"
    if rule == "presenter_available":
        fields.extend([f"regions[{subject}].unavailable", f"regions[{subject}].school_holidays"])
        away = _away(inst, subject)
        return (
            f"{_region_name(w, subject)} cannot present while away: {_listed(away, 8)} "
            f"(regions[{subject}].unavailable, school holidays)"
        )
    if rule == "joint_presentation":
        group = next(g for g in sc.groups if g.id == subject)
        fields.append(f"groups[{subject}]")
        return f"a region of '{group.name}' presents alone or with the group, not both (groups[{subject}])"
    if rule == "dialog_min_presenters":
        path, theme, spec = w.dialog(subject)
        fields.append(f"{path}.min_presenters")
        able = sorted({c for u in spec.units for c in inst.units[u].regions})
        need = _plural(spec.min_presenters, "presenter")
        return (
            f"dialog {spec.occurrence} of '{theme.name}' needs at least {need} "
            f"({path}.min_presenters); {_plural(len(able), 'region')} may present: {_listed(able, 8)}"
        )
    if rule == "dialog_max_presenters":
        path, theme, spec = w.dialog(subject)
        fields.append(f"{path}.max_presenters")
        return (
            f"dialog {spec.occurrence} of '{theme.name}' takes at most {spec.max_presenters} presenters "
            f"({path}.max_presenters), and only as many as fit the slot after the host's "
            f"{spec.host_minutes} minutes ({spec.presenter_minutes} minutes each)"
        )
    if rule == "host_tempo":
        host = inst.hosts[subject]
        own = sc.host(subject).gap_days
        f = f"hosts[{subject}].gap_days" if own is not None else "limits.host_gap_days"
        fields.append(f)
        n = sum(1 for s in inst.sessions if s.host == subject)
        return f"{host.name}: its sessions at least {host.gap_days} days apart ({f}); it holds {n} sessions"
    if rule == "learning_first":
        fields.append("learning_meeting.days_before_first_dialog")
        return (
            f"the learning meeting at least {inst.learning_gap_days} days before every dialog "
            "(learning_meeting.days_before_first_dialog)"
        )
    if rule == "session_pinned":
        return f"'{subject}' was already sent and keeps its date and presenters"
    if rule == "calendar_weekday":
        fields.append("weekdays")
        closed = list(subjects)
        label = "weekends" if set(closed) == {"sat", "sun"} else "closed weekdays"
        return f"{label} ({', '.join(closed)}) are not meeting days (weekdays: [{', '.join(sc.weekdays)}])"
    if rule == "calendar_holiday":
        fields.append("calendar.holidays")
        return f"{_plural(len(subjects), 'holiday')} closed (calendar.holidays): {_listed(list(subjects))}"
    if rule == "calendar_bridge_day":
        fields.append("calendar.close_bridge_days")
        days = _listed(list(subjects))
        return f"{_plural(len(subjects), 'bridge day')} closed (calendar.close_bridge_days): {days}"
    if rule == "calendar_half_day":
        fields.append("calendar.close_half_day_afternoons")
        return (
            f"afternoons from 14:00 closed on {_plural(len(subjects), 'half day')} "
            f"(calendar.close_half_day_afternoons): {_listed(list(subjects))}"
        )
    if rule == "calendar_blackout":
        k = w.blackout(subject)
        span = sc.calendar.blackouts[k]
        fields.append(f"calendar.blackouts[{k}]")
        what = span.describe().strip()
        return f"blackout '{subject}' (calendar.blackouts[{k}], {what.removeprefix(subject).strip(' ()')})"
    if rule == "lead_time":
        fields.append("limits.lead_time_days")
        pub = sc.publication_date or sc.period.start
        return (
            f"no session before {sc.first_open_day}: invitations go out {pub} and need "
            f"{sc.limits.lead_time_days} days of lead time (publication_date, limits.lead_time_days)"
        )
    if rule == "session_slots":
        path, label, obj = w.owner(subject)
        fields.append(f"{path}.slots")
        return f"{label} may only use the slots {', '.join(obj.slots)} ({path}.slots)"
    if rule == "session_fits_slot":
        path, label, obj = w.owner(subject)
        if path.startswith("hosts["):
            need = obj.host_minutes + obj.min_presenters * obj.presenter_minutes
            fields.append(f"{path}.min_presenters")
            return (
                f"{label} needs {need} minutes ({obj.host_minutes} for the host and "
                f"{obj.min_presenters} × {obj.presenter_minutes} for presenters), more than some slots give"
            )
        fields.append(f"{path}.duration_minutes")
        return (
            f"{label} lasts {obj.duration_minutes} minutes, longer than some meeting slots "
            f"({path}.duration_minutes)"
        )
    if rule == "session_window":
        path, label, obj = w.owner(subject)
        fields.append(f"{path}.window")
        return f"{label} must be held within {obj.window.describe().strip()} ({path}.window)"
    if rule == "theme_forbidden":
        theme_id, _, nth = subject.partition("#")
        path, theme = w.theme(theme_id)
        span = theme.forbidden[int(nth)]
        fields.append(f"{path}.forbidden[{nth}]")
        return f"theme '{theme.name}' may not be held in {span.describe().strip()} ({path}.forbidden[{nth}])"
    if rule == "dialog_followup":
        assert sc.network is not None
        fields.append("network.followup_weeks")
        last = max(sc.network.dates)
        weeks = sc.network.followup_weeks or 0
        return (
            f"each dialog is followed up at a network meeting at least {weeks} weeks later; the last "
            f"meeting is {last}, so no dialog after {last - dt.timedelta(weeks=weeks)} "
            "(network.followup_weeks)"
        )
    if rule == "network_fixed":
        k, day = w.network_date(subject)
        assert sc.network is not None
        fields.append(f"network.dates[{k}]")
        return f"the network meeting on {day:%a %Y-%m-%d} ({sc.network.slot}) is fixed (network.dates[{k}])"
    return ""


# -- relaxations -----------------------------------------------------------------------------

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


def why_not(
    scenario: Scenario,
    *,
    time_limit: float = 30.0,
    step_limit: float = 5.0,
    relax_limit: float = 3.0,
    relax_rules: bool = True,
    workers: int = 1,
    seed: int = 0,
) -> ConflictReport:
    """Why the scenario has no plan: a minimal set of its rules that collide, in its own
    words, and edits of the scenario file (each solved) that give a plan.

    ``FEASIBLE`` when every rule can hold.  ``time_limit`` bounds the conflict search (each
    solve at most ``step_limit`` s, one core: assumptions run sequentially); the relaxations
    get the same again, each edited copy solved for at most ``relax_limit`` s, ``workers``
    copies at a time.  A limit value that is not decided in time counts as not working, so
    an offered limit may be a little higher than strictly needed (its note says so).
    """
    started = time.monotonic()
    inst = build_instance(scenario)
    conflict: Conflict = find_conflict(
        inst, ConflictOptions(time_limit=time_limit, step_limit=step_limit, seed=seed)
    )
    report = ConflictReport(
        status=conflict.status,
        keys=conflict.keys,
        minimal=conflict.minimal,
        complete=conflict.complete,
        solves=conflict.solves,
    )
    if conflict.status != "INFEASIBLE":
        report.wall_time = round(time.monotonic() - started, 3)
        return report
    report.items = [describe(scenario, inst, rule, subjects) for rule, subjects in group_keys(conflict.keys)]
    if relax_rules:
        verifier = _Verifier(scenario, time.monotonic() + time_limit, relax_limit, workers)
        for item in report.items:
            ok, no = relax(scenario, inst, item, verifier)
            report.fixes.extend(ok)
            report.tried.extend(no)
        report.fixes.sort(key=lambda r: r.cost)
        report.solves += verifier.solves
    report.wall_time = round(time.monotonic() - started, 3)
    return report


# -- why this: the score breakdown ---------------------------------------------------------


@dataclass(frozen=True)
class TermLine:
    """One objective term: raw value × weight = weighted value."""

    name: str
    raw: int
    weight: int
    weighted: int
    detail: str


@dataclass(frozen=True)
class Binding:
    """A hard rule the plan sits exactly at: one more and it would break."""

    rule: str
    subject: str
    value: int
    limit: int
    message: str
    sessions: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionScore:
    id: str
    title: str
    date: dt.date
    slot: str
    presenters: int
    capacity: int
    penalty: dict[str, int]
    """Weighted terms this session alone causes (preferred_month)."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionScore:
    code: str
    name: str
    presentations: int
    invitations: int
    worst_window: int
    window_max: int
    unmatched: tuple[str, ...]
    """Theme ids the region is interested in but presents on in no dialog."""
    penalty: dict[str, int]
    """Weighted terms this region alone causes (match, coverage)."""


@dataclass
class Breakdown:
    """Answer to *why this plan?*: its penalty term by term, per session and per region."""

    objective: int
    terms: list[TermLine]
    sessions: list[SessionScore]
    regions: list[RegionScore]
    months: dict[str, int]
    busiest: list[str]
    fullest: list[tuple[str, int]]
    emptiest: list[tuple[str, int]]
    bindings: list[Binding]
    violations: list[Violation] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Penalty {self.objective} = " + " + ".join(f"{t.name} {t.weighted}" for t in self.terms)]
        if self.violations:
            out.append(f"Warning: the plan breaks {_plural(len(self.violations), 'hard rule')}:")
            out.extend(f"  BROKEN {v}" for v in self.violations)
        out.append("")
        out.append(f"{'term':<16} {'raw':>5} {'weight':>7} {'penalty':>8}  what")
        for t in self.terms:
            out.append(f"{t.name:<16} {t.raw:>5} {t.weight:>7} {t.weighted:>8}  {t.detail}")
        charged = [r for r in self.regions if r.penalty]
        if charged:
            out.append("")
            out.append("By region (match, coverage):")
            for r in sorted(charged, key=lambda r: -sum(r.penalty.values())):
                parts = ", ".join(f"{k} {v}" for k, v in r.penalty.items())
                themes = f" — not presenting on: {', '.join(r.unmatched)}" if r.unmatched else ""
                out.append(f"  {r.name} ({r.code}): {parts}{themes}")
        missed = [s for s in self.sessions if s.penalty]
        if missed:
            out.append("")
            out.append("By session (preferred_month):")
            for s in missed:
                terms = ", ".join(f"{k} {v}" for k, v in s.penalty.items())
                out.append(f"  {s.date} {s.title}: {terms}; {'; '.join(s.notes)}")
        if self.bindings:
            out.append("")
            out.append("Hard rules the plan sits exactly at (one more and they break):")
            by_rule: dict[str, list[Binding]] = defaultdict(list)
            for bind in self.bindings:
                by_rule[bind.rule].append(bind)
            for rule, items in by_rule.items():
                if len(items) <= 3:
                    out.extend(f"  {rule} [{b.subject}]: {b.message}" for b in items)
                else:
                    subjects = list(dict.fromkeys(b.subject for b in items))
                    out.append(f"  {rule}: {_plural(len(items), 'time')}, {_listed(subjects, 8)}")
                    out.append(f"      e.g. {items[0].message}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective,
            "terms": [t.__dict__ for t in self.terms],
            "sessions": [
                {**s.__dict__, "date": s.date.isoformat(), "notes": list(s.notes)} for s in self.sessions
            ],
            "regions": [{**r.__dict__, "unmatched": list(r.unmatched)} for r in self.regions],
            "months": self.months,
            "busiest": self.busiest,
            "fullest": [list(x) for x in self.fullest],
            "emptiest": [list(x) for x in self.emptiest],
            "bindings": [
                {**b.__dict__, "sessions": list(b.sessions), "regions": list(b.regions)}
                for b in self.bindings
            ],
            "violations": [_violation_dict(v) for v in self.violations],
        }


def _violation_dict(v: Violation) -> dict[str, Any]:
    return {
        "rule": v.rule,
        "subject": v.subject,
        "message": v.message,
        "sessions": list(v.sessions),
        "regions": list(v.regions),
    }


def breakdown(inst: Instance, plan: Plan) -> Breakdown:
    """A plan's objective term by term (raw × weight), per session and per region, and the
    hard rules it sits exactly at.  Plain Python: the same arithmetic as the checker."""
    report = check(inst, plan)
    weights = inst.weights
    presents: dict[str, set[str]] = defaultdict(set)
    for s in plan.sessions:
        for code in s.presenting_regions:
            presents[code].add(s.id)
    dialog_ids = {s.id for s in inst.dialogs()}
    interested = {c for t in inst.themes.values() for c in t.interest}

    unmatched: dict[str, list[str]] = defaultdict(list)
    match_by_region: Counter[str] = Counter()
    for theme in inst.themes.values():
        for code, weight in theme.interest.items():
            if not presents[code] & set(theme.sessions):
                unmatched[code].append(theme.id)
                match_by_region[code] += weight
    uncovered = [c for c in inst.regions if c in interested and not presents[c] & dialog_ids]

    months = plan.sessions_per_month()
    peak = max(months.values(), default=0)
    busiest = [m for m, n in months.items() if n == peak and peak > 0]

    dialogs = [s for s in plan.sessions if s.kind == "dialog"]
    counts = {s.id: len(s.presentations) for s in dialogs}
    top = max(counts.values(), default=0)
    low = min(counts.values(), default=0)
    fullest = [(sid, n) for sid, n in counts.items() if n == top]
    emptiest = [(sid, n) for sid, n in counts.items() if n == low]

    sessions: list[SessionScore] = []
    missed: list[str] = []
    for s in plan.sessions:
        penalty: dict[str, int] = {}
        notes: list[str] = []
        capacity = 0
        if s.kind == "dialog" and s.theme in inst.themes:
            pref = inst.themes[s.theme].preferred_months
            if pref and s.date.month not in pref:
                penalty["preferred_month"] = weights.get("preferred_month", 0)
                wanted = ", ".join(dt.date(2000, m, 1).strftime("%b") for m in sorted(pref))
                notes.append(f"held in {s.date:%b}, preferred {wanted}")
                missed.append(f"{s.title} ({s.date:%b}; preferred {wanted})")
            slot = slot_of(inst, s)
            spec = inst.session(s.id) if s.id in dialog_ids else None
            if spec is not None and slot is not None:
                capacity = spec.capacity(slot)
        sessions.append(
            SessionScore(
                id=s.id,
                title=s.title,
                date=s.date,
                slot=s.slot,
                presenters=len(s.presentations),
                capacity=capacity,
                penalty={k: v for k, v in penalty.items() if v},
                notes=tuple(notes),
            )
        )

    loads = {load.code: load for load in plan.load()}
    regions: list[RegionScore] = []
    for code, region in inst.regions.items():
        penalty = {}
        if match_by_region[code] and weights.get("match", 0):
            penalty["match"] = match_by_region[code] * weights["match"]
        if code in uncovered and weights.get("coverage", 0):
            penalty["coverage"] = weights["coverage"]
        load = loads.get(code)
        regions.append(
            RegionScore(
                code=code,
                name=region.name,
                presentations=len(presents[code] & dialog_ids),
                invitations=load.invitations if load else 0,
                worst_window=load.worst_window if load else 0,
                window_max=region.window_max,
                unmatched=tuple(unmatched[code]),
                penalty=penalty,
            )
        )

    def names(codes: Iterable[str]) -> str:
        return _listed([inst.regions[c].name if c in inst.regions else c for c in codes], 5)

    detail = {
        "match": (
            f"{sum(len(v) for v in unmatched.values())} unmet interests of "
            f"{_plural(len(unmatched), 'region')}"
            if unmatched
            else "every interest met"
        ),
        "coverage": f"presenting nowhere: {names(uncovered)}"
        if uncovered
        else "every interested region presents",
        "spread": f"busiest month(s) {', '.join(busiest)} with {_plural(peak, 'session')}"
        if busiest
        else "no sessions",
        "preferred_month": f"outside their preferred months: {_listed(missed, 4)}"
        if missed
        else "every dialog in a preferred month",
        "balance": (
            f"fullest {top} presenters ({_listed([a for a, _ in fullest], 3)}), emptiest {low} "
            f"({_listed([a for a, _ in emptiest], 3)})"
            if len(dialogs) >= 2
            else "a single dialog"
        ),
    }
    terms = [
        TermLine(name, report.terms[name], weights.get(name, 0), report.weighted[name], detail[name])
        for name in TERM_NAMES
    ]
    return Breakdown(
        objective=report.objective,
        terms=terms,
        sessions=sessions,
        regions=regions,
        months=months,
        busiest=busiest,
        fullest=fullest,
        emptiest=emptiest,
        bindings=bindings(inst, plan),
        violations=report.violations,
    )


def bindings(inst: Instance, plan: Plan) -> list[Binding]:
    """The hard rules a plan meets with nothing to spare: worst window == window_max,
    presentations == max_presentations, gaps == the minimum, full dialogs …"""
    out: list[Binding] = []
    by_region_days: dict[str, list[dt.date]] = defaultdict(list)
    presented: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for s in plan.sessions:
        for code in s.invited:
            by_region_days[code].append(s.date)
        for code in s.presenting_regions:
            presented[code].append((s.date, s.id))
    for code, region in inst.regions.items():
        days = sorted(by_region_days[code])
        worst, start = worst_window(days, inst.window_days)
        if days and worst == region.window_max and start is not None:
            end = start + dt.timedelta(days=inst.window_days - 1)
            out.append(
                Binding(
                    "region_invitation_cap",
                    code,
                    worst,
                    region.window_max,
                    f"{region.name}: {worst} invitations in the {inst.window_days} days {start}..{end}, "
                    f"the most allowed",
                    tuple(s.id for s in plan.sessions if code in s.invited and start <= s.date <= end),
                    (code,),
                )
            )
        if region.daily_max > 1:
            for day, n in sorted(Counter(days).items()):
                if n == region.daily_max:
                    out.append(
                        Binding(
                            "region_daily_cap",
                            code,
                            n,
                            region.daily_max,
                            f"{region.name}: {n} invitations on {day}, the most allowed",
                            (),
                            (code,),
                        )
                    )
        mine = sorted(presented[code])
        if mine and len(mine) == region.max_presentations:
            out.append(
                Binding(
                    "region_presentation_cap",
                    code,
                    len(mine),
                    region.max_presentations,
                    f"{region.name} presents {len(mine)} times, the most allowed",
                    tuple(sid for _, sid in mine),
                    (code,),
                )
            )
        gap = region.presentation_gap_days
        for (d1, a), (d2, b) in itertools.pairwise(mine):
            if gap > 0 and (d2 - d1).days == gap:
                out.append(
                    Binding(
                        "region_presentation_gap",
                        code,
                        gap,
                        gap,
                        f"{region.name} presents exactly {_plural(gap, 'day')} apart ({d1} and {d2})",
                        (a, b),
                        (code,),
                    )
                )
    for host, earlier, later in host_neighbours(inst, plan.sessions):
        if (later.date - earlier.date).days == host.gap_days:
            out.append(
                Binding(
                    "host_tempo",
                    host.id,
                    host.gap_days,
                    host.gap_days,
                    f"{host.name} holds two sessions exactly {_plural(host.gap_days, 'day')} apart "
                    f"({earlier.date} and {later.date})",
                    (earlier.id, later.id),
                )
            )
    specs = {s.id: s for s in inst.dialogs()}
    for s in plan.sessions:
        spec = specs.get(s.id)
        slot = slot_of(inst, s)
        if spec is None or slot is None:
            continue
        n = len(s.presentations)
        cap = spec.capacity(slot)
        if n == cap and cap > 0:
            out.append(
                Binding(
                    "dialog_max_presenters",
                    s.id,
                    n,
                    cap,
                    f"'{s.title}' on {s.date} is full: {n} presenters",
                    (s.id,),
                )
            )
        if n == spec.min_presenters and n > 0:
            out.append(
                Binding(
                    "dialog_min_presenters",
                    s.id,
                    n,
                    spec.min_presenters,
                    f"'{s.title}' on {s.date} has the fewest presenters allowed ({n})",
                    (s.id,),
                )
            )
    if inst.learning is not None:
        learning = next((s for s in plan.sessions if s.id == inst.learning), None)
        firsts = [s for s in plan.sessions if s.kind == "dialog"]
        if learning is not None and firsts:
            first = min(firsts, key=lambda s: s.date)
            gap = (first.date - learning.date).days
            if gap == inst.learning_gap_days:
                out.append(
                    Binding(
                        "learning_first",
                        "learning",
                        gap,
                        inst.learning_gap_days,
                        f"the learning meeting is exactly {gap} days before the first dialog ({first.date})",
                        (learning.id, first.id),
                    )
                )
    return out


# -- where else: alternatives for a session, and dialogs a region could join ---------------

PRESENTER_RULES = frozenset(
    {
        "presenter_available",
        "region_presentation_cap",
        "region_presentation_gap",
        "region_theme_once",
        "joint_presentation",
    }
)
"""Rules a dialog can meet by changing who presents (invitation rules too, under the
``presenters`` invitation policy)."""

INVITATION_RULES = frozenset({"region_invitation_cap", "region_daily_cap", "region_double_booking"})


@dataclass(frozen=True)
class MoveOption:
    """A slot the session can move to, everything else fixed, and what it costs there."""

    slot: int
    date: dt.date
    slot_id: str
    start: dt.datetime
    objective: int
    delta: int
    """Objective there minus the plan's objective (negative: better)."""
    presenters: tuple[str, ...]
    dropped: tuple[str, ...] = ()
    """Presenters who cannot present on that date (the rule is in ``reasons``)."""
    added: tuple[str, ...] = ()
    """Presenters added to keep the dialog at its min_presenters."""
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Blocked:
    """A slot the session cannot move to, and the rules that forbid it."""

    slot: int
    date: dt.date
    slot_id: str
    rules: tuple[RuleKey, ...]
    message: str
    sessions: tuple[str, ...] = ()
    """Other sessions taking part (e.g. the one too close for host_tempo)."""
    source: str = "closed"
    """``closed`` (the slot is closed to the session), ``checker`` (the moved plan breaks
    these rules whoever presents) or ``solver`` (no choice of presenters works)."""


@dataclass
class Alternatives:
    """Answer to *where else could this session go?*"""

    session_id: str
    title: str
    current: tuple[dt.date, str]
    objective: int
    options: list[MoveOption]
    blocked: list[Blocked]
    presenters_policy: str = (
        "the session keeps its presenters; one who cannot present on a date is dropped (and "
        "replaced when the dialog would fall below min_presenters); everything else stays fixed"
    )
    solves: int = 0
    wall_time: float = 0.0

    def lines(self, limit: int = 15) -> list[str]:
        out = [
            f"'{self.title}' ({self.session_id}) is on {self.current[0]:%a %Y-%m-%d} ({self.current[1]}); "
            f"plan penalty {self.objective}.",
            f"Presenters: {self.presenters_policy}.",
            "",
            f"{len(self.options)} other slots are possible; best first:",
        ]
        for o in sorted(self.options, key=lambda o: (o.delta, o.start))[:limit]:
            change = []
            if o.dropped:
                change.append(f"without {', '.join(o.dropped)}")
            if o.added:
                change.append(f"with {', '.join(o.added)}")
            extra = f" ({'; '.join(change)})" if change else ""
            out.append(f"  {o.date:%a %Y-%m-%d} {o.slot_id:<10} penalty {o.objective} ({o.delta:+d}){extra}")
        if len(self.options) > limit:
            out.append(f"  … and {len(self.options) - limit} more (--json lists them all)")
        out.append("")
        out.append(f"{len(self.blocked)} slots are not possible:")
        by_rule: dict[str, list[Blocked]] = defaultdict(list)
        for b in self.blocked:
            label = ", ".join(sorted({r for r, _ in b.rules}))
            by_rule[label].append(b)
        groups = sorted(by_rule.items(), key=lambda kv: -len(kv[1]))
        for label, items in groups[:limit]:
            subjects = sorted({s for b in items for _, s in b.rules})
            example = items[0]
            message = example.message if len(example.message) <= 160 else example.message[:159] + "…"
            out.append(
                f"  {label} ({_plural(len(items), 'slot')}): {_listed(subjects, 4)}\n"
                f"      e.g. {example.date} {example.slot_id}: {message}"
            )
        if len(groups) > limit:
            rest = sum(len(items) for _, items in groups[limit:])
            out.append(f"  … {rest} more slots by other combinations of rules (--json lists them all)")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "title": self.title,
            "current": {"date": self.current[0].isoformat(), "slot": self.current[1]},
            "objective": self.objective,
            "presenters_policy": self.presenters_policy,
            "options": [
                {
                    "slot": o.slot,
                    "date": o.date.isoformat(),
                    "slot_id": o.slot_id,
                    "start": o.start.isoformat(),
                    "objective": o.objective,
                    "delta": o.delta,
                    "presenters": list(o.presenters),
                    "dropped": list(o.dropped),
                    "added": list(o.added),
                    "reasons": list(o.reasons),
                }
                for o in sorted(self.options, key=lambda o: (o.delta, o.start))
            ],
            "blocked": [
                {
                    "slot": b.slot,
                    "date": b.date.isoformat(),
                    "slot_id": b.slot_id,
                    "rules": [list(k) for k in b.rules],
                    "message": b.message,
                    "sessions": list(b.sessions),
                    "source": b.source,
                }
                for b in self.blocked
            ],
            "solves": self.solves,
            "wall_time": self.wall_time,
        }


def _key(v: Violation) -> tuple[str, str]:
    return (v.rule, v.subject)


class _Mover:
    """Re-checks a plan with one session changed (plain Python, about a millisecond)."""

    def __init__(self, inst: Instance, plan: Plan) -> None:
        self.inst = inst
        self.plan = plan
        self.assignment = from_plan(inst, plan)
        self.base = {_key(v) for v in check(inst, plan).violations}

    def moved(
        self, session_id: str, slot: int, presenters: tuple[str, ...] | None = None
    ) -> tuple[Plan, list[Violation], int]:
        a = self.assignment
        pres = dict(a.presenters)
        if presenters is not None:
            pres[session_id] = presenters
        plan = to_plan(
            self.inst, Assignment(slot={**a.slot, session_id: slot}, presenters=pres), status="FEASIBLE"
        )
        report = check(self.inst, plan)
        new = [v for v in report.violations if _key(v) not in self.base]
        return plan, new, report.objective


def _presenter_bound(
    inst: Instance, spec: SessionSpec, v: Violation, units: tuple[str, ...], slot: SlotTime
) -> set[str]:
    """Presenting units of ``spec`` that cause ``v``; empty when changing presenters cannot help."""
    if spec.kind != "dialog":
        return set()
    if v.rule == "dialog_max_presenters" and v.subject == spec.id:
        # a shorter slot: the least interested presenters beyond its capacity step down
        theme = inst.themes[spec.theme or ""]
        by_interest = sorted(
            units,
            key=lambda u: (
                -sum(theme.interest.get(c, 0) for c in inst.units[u].regions),
                inst.units[u].order,
            ),
        )
        return set(by_interest[spec.capacity(slot) :])
    rule_ok = v.rule in PRESENTER_RULES or (v.rule in INVITATION_RULES and spec.invite_presenters)
    if not rule_ok:
        return set()
    if v.rule in INVITATION_RULES and any(c in spec.invited for c in v.regions):
        return set()
    codes = set(v.regions) or ({v.subject} if v.subject in inst.regions else set())
    if v.rule == "joint_presentation":
        return {v.subject} & set(units)
    return {u for u in units if codes & set(inst.units[u].regions)}


def alternatives(
    inst: Instance,
    plan: Plan,
    session_id: str,
    *,
    probe_limit: int = 4,
    time_limit: float = 10.0,
) -> Alternatives:
    """Every other slot ``session_id`` could move to with everything else fixed, with the
    objective there, and for every other slot the rules that forbid it.

    Presenters stay as they are (the objective change is exact, computed by the checker);
    one who cannot present on the new date is dropped, and the dialog is topped up from the
    interested regions when it falls below its minimum.  Closed slots are named from the
    instance's exclusions; an open slot that breaks a rule whatever the presenters is named by
    the checker on the moved plan; only when no choice of presenters was found is the solver
    asked, for at most ``probe_limit`` slots, which rules forbid it.
    """
    started = time.monotonic()
    spec = inst.session(session_id)
    mover = _Mover(inst, plan)
    base_objective = check(inst, plan).objective
    current = mover.assignment.slot.get(session_id)
    units = mover.assignment.presenters.get(session_id, ())
    session = plan.session(session_id)
    options: list[MoveOption] = []
    blocked: list[Blocked] = []
    unresolved: list[tuple[int, list[Violation]]] = []

    for t, slot in enumerate(inst.slots):
        if t == current:
            continue
        keys = spec.exclusions.get(t)
        if keys:
            blocked.append(
                Blocked(t, slot.date, slot.slot, tuple(keys), _closed_message(inst, keys), source="closed")
            )
            continue
        _, new, objective = mover.moved(session_id, t)
        if not new:
            options.append(
                MoveOption(t, slot.date, slot.slot, slot.start, objective, objective - base_objective, units)
            )
            continue
        culprits = [_presenter_bound(inst, spec, v, units, slot) for v in new]
        if not all(culprits):
            fixed = [v for v, c in zip(new, culprits, strict=True) if not c]
            blocked.append(_blocked_by(t, slot, fixed, "checker"))
            continue
        option = _repair(inst, mover, spec, t, units, new, culprits, base_objective)
        if option is not None:
            options.append(option)
        else:
            unresolved.append((t, new))

    probe: MoveProbe | None = None
    solves = 0
    for k, (t, new) in enumerate(unresolved):
        slot = inst.slots[t]
        if k < probe_limit and time.monotonic() - started < time_limit:
            if probe is None:
                probe = MoveProbe(inst, mover.assignment, session_id)
            conflict = probe.why_not(t)
            solves += conflict.solves
            if conflict.status == "FEASIBLE":
                # other presenters than the repair tried make it work: take the best set
                _, best, chosen = best_move(inst, mover.assignment, session_id, t)
                solves += 1
                if best is not None:
                    options.append(
                        MoveOption(
                            t,
                            slot.date,
                            slot.slot,
                            slot.start,
                            best,
                            best - base_objective,
                            tuple(sorted(chosen, key=lambda u: inst.units[u].order)),
                            tuple(u for u in units if u not in chosen),
                            tuple(u for u in chosen if u not in units),
                            tuple(f"{v.rule} [{v.subject}]" for v in new),
                        )
                    )
                    continue
            if conflict.status == "INFEASIBLE" and conflict.keys:
                blocked.append(
                    Blocked(
                        t,
                        slot.date,
                        slot.slot,
                        conflict.keys,
                        "no choice of presenters works: " + _keys_text(conflict.keys),
                        source="solver",
                    )
                )
                continue
        blocked.append(_blocked_by(t, slot, new, "checker"))

    blocked.sort(key=lambda b: b.slot)
    return Alternatives(
        session_id=session_id,
        title=session.title,
        current=(session.date, session.slot),
        objective=base_objective,
        options=options,
        blocked=blocked,
        solves=solves,
        wall_time=round(time.monotonic() - started, 3),
    )


def _closed_message(inst: Instance, keys: Sequence[RuleKey]) -> str:
    parts = []
    for rule, subject in keys:
        if rule == "calendar_weekday":
            parts.append(f"not a meeting weekday ({subject})")
        elif rule in ("calendar_holiday", "calendar_bridge_day", "calendar_half_day"):
            parts.append(f"{rule_text(rule).split(' (')[0]}: {subject}")
        elif rule == "calendar_blackout":
            parts.append(f"blackout '{subject}'")
        else:
            parts.append(f"{rule_text(rule).split(' (')[0]} [{subject}]")
    return "; ".join(parts)


def _blocked_by(t: int, slot: SlotTime, violations: Sequence[Violation], source: str) -> Blocked:
    keys = tuple(dict.fromkeys(_key(v) for v in violations))
    others = tuple(dict.fromkeys(sid for v in violations for sid in v.sessions))
    first: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for v in violations:
        first.setdefault(v.rule, v.message)
        counts[v.rule] += 1
    message = "; ".join(
        msg + (f" (and {counts[rule] - 1} more like it)" if counts[rule] > 1 else "")
        for rule, msg in first.items()
    )
    return Blocked(t, slot.date, slot.slot, keys, message, others, source)


def _keys_text(keys: Iterable[RuleKey]) -> str:
    """``rule [subject, subject]; rule [subject]`` — keys grouped by rule."""
    by_rule: dict[str, list[str]] = defaultdict(list)
    for rule, subject in keys:
        by_rule[rule].append(subject)
    return "; ".join(f"{rule} [{', '.join(subjects)}]" for rule, subjects in by_rule.items())


def _repair(
    inst: Instance,
    mover: _Mover,
    spec: SessionSpec,
    t: int,
    units: tuple[str, ...],
    new: list[Violation],
    culprits: list[set[str]],
    base_objective: int,
) -> MoveOption | None:
    """Drop the presenters who break a rule on the new date; top up from the interested
    regions if the dialog falls below its minimum.  ``None`` when that does not work."""
    drop = set().union(*culprits)
    keep = tuple(u for u in units if u not in drop)
    reasons = tuple(f"{v.rule} [{v.subject}]" for v in new)
    slot = inst.slots[t]
    _, still, objective = mover.moved(spec.id, t, keep)
    added: list[str] = []
    if any(v.rule == "dialog_min_presenters" for v in still):
        theme = inst.themes[spec.theme or ""]
        candidates = sorted(
            (u for u in spec.units if u not in units),
            key=lambda u: (
                -sum(theme.interest.get(c, 0) for c in inst.units[u].regions),
                inst.units[u].order,
            ),
        )
        for u in candidates:
            trial = (*keep, *added, u)
            _, broken, _ = mover.moved(spec.id, t, trial)
            if all(v.rule == "dialog_min_presenters" for v in broken):
                added.append(u)
                if not broken:
                    break
        _, still, objective = mover.moved(spec.id, t, (*keep, *added))
    if still:
        return None
    final = (*keep, *added)
    return MoveOption(
        t,
        slot.date,
        slot.slot,
        slot.start,
        objective,
        objective - base_objective,
        tuple(sorted(final, key=lambda u: inst.units[u].order)),
        tuple(sorted(drop)),
        tuple(added),
        reasons,
    )


@dataclass(frozen=True)
class JoinOption:
    """A dialog a region could be added to as presenter, and what that breaks or costs."""

    session_id: str
    title: str
    date: dt.date
    objective: int
    delta: int
    broken: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.broken


@dataclass
class RegionAlternatives:
    """Answer to *where else could this region present?*"""

    code: str
    name: str
    objective: int
    presents_in: tuple[str, ...]
    options: list[JoinOption]
    not_interested: tuple[str, ...]
    """Dialogs of themes the region is not interested in (presenter_eligible)."""

    def lines(self) -> list[str]:
        out = [
            f"{self.name} ({self.code}) presents in {len(self.presents_in)} dialog(s)"
            + (f": {', '.join(self.presents_in)}" if self.presents_in else "")
            + f"; plan penalty {self.objective}.",
        ]
        ok = [o for o in self.options if o.ok]
        out.append(f"It could be added to {len(ok)} dialog(s) without breaking a rule:")
        for o in sorted(ok, key=lambda o: o.delta):
            out.append(f"  {o.date} {o.title} ({o.session_id}): penalty {o.objective} ({o.delta:+d})")
        bad = [o for o in self.options if not o.ok]
        if bad:
            out.append("Adding it elsewhere breaks a rule:")
            for o in bad:
                rules = "; ".join(str(v) for v in o.broken)
                out.append(f"  {o.date} {o.title} ({o.session_id}): {rules}")
        if self.not_interested:
            out.append(f"Not interested (presenter_eligible) in {len(self.not_interested)} other dialog(s).")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.code,
            "name": self.name,
            "objective": self.objective,
            "presents_in": list(self.presents_in),
            "options": [
                {
                    "session_id": o.session_id,
                    "title": o.title,
                    "date": o.date.isoformat(),
                    "objective": o.objective,
                    "delta": o.delta,
                    "ok": o.ok,
                    "broken": [_violation_dict(v) for v in o.broken],
                }
                for o in self.options
            ],
            "not_interested": list(self.not_interested),
        }


def region_alternatives(
    inst: Instance, plan: Plan, code: str, *, session_id: str | None = None
) -> RegionAlternatives:
    """Every dialog ``code`` could be added to as a presenter (itself, not its group), with
    the rules that breaks and the objective change, everything else fixed.  Plain Python."""
    if code not in inst.regions:
        raise KeyError(code)
    mover = _Mover(inst, plan)
    base = check(inst, plan).objective
    options: list[JoinOption] = []
    not_interested: list[str] = []
    presents_in = tuple(s.id for s in plan.sessions if code in s.presenting_regions)
    for s in plan.sessions:
        if s.kind != "dialog" or (session_id is not None and s.id != session_id):
            continue
        if code in s.presenting_regions:
            continue
        spec = inst.session(s.id)
        if code not in spec.units:
            not_interested.append(s.id)
            continue
        t = mover.assignment.slot.get(s.id)
        if t is None:
            continue
        units = (*mover.assignment.presenters.get(s.id, ()), code)
        _, new, objective = mover.moved(s.id, t, units)
        options.append(JoinOption(s.id, s.title, s.date, objective, objective - base, tuple(new)))
    return RegionAlternatives(
        code=code,
        name=inst.regions[code].name,
        objective=base,
        presents_in=presents_in,
        options=options,
        not_interested=tuple(not_interested),
    )


__all__ = [
    "RULE_TEXT",
    "Alternatives",
    "Binding",
    "Blocked",
    "Breakdown",
    "ConflictItem",
    "ConflictReport",
    "JoinOption",
    "MoveOption",
    "RegionAlternatives",
    "Relaxation",
    "alternatives",
    "bindings",
    "breakdown",
    "describe",
    "group_keys",
    "region_alternatives",
    "rule_text",
    "why_not",
]
