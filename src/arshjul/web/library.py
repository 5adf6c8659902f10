"""Every call the workspace makes into the arshjul library, in this one module.

The web package never imports another arshjul module: it imports this one.  When the library
moves a name (the explain package, one ``arshjul.solve(scenario, options)`` path, split
exporters), the call sites to fix are all here.  Each function says which library entry
point it stands on.

Two things the library does not offer as a public call are done here, on the library's own
functions, so they are easy to find and replace:

- *moving one session* (:func:`move`): ``arshjul.realize.from_plan`` / ``to_plan`` rebuild
  the plan with one session in another slot, so running order, invitations and follow-ups
  are derived again exactly as for a solved plan;
- *stopping a solve from another thread* (:class:`StopSignal`): ``arshjul.solve`` and
  ``arshjul.replan.replan`` stop on Ctrl-C and keep the best plan.  The progress callback
  raises that same interrupt (a subclass of ``KeyboardInterrupt``) in the thread that
  called the solve, which CP-SAT's wait loop catches as Ctrl-C.  The wait loop calls
  progress at least every 5 s, so a stop lands within about 5 s.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from icalendar import Calendar, Event

import arshjul
from arshjul import explain as explain_mod
from arshjul import replan as replan_mod
from arshjul import replan_report
from arshjul import scenario as scenario_mod
from arshjul.errors import PlanFileError, ScenarioError
from arshjul.exporters.heatmap import heatmap_svg
from arshjul.exporters.ics import (
    host_calendar,
    outlook_problems,
    region_calendar,
    session_uid,
    theme_calendar,
    write_calendars,
)
from arshjul.exporters.svg import strip_xml_declaration
from arshjul.exporters.wheel import wheel_svg
from arshjul.instance import Assignment, Instance
from arshjul.plan import KIND_LABELS, Plan, RegionLoad, Session
from arshjul.realize import from_plan, to_plan
from arshjul.revision import PlanDiff, diff_plans
from arshjul.scenario import Scenario
from arshjul.store import Action, FeedInfo, LinkInfo, Outcome, RegionState, Store, default_url
from arshjul.variants import resolve

__all__ = [
    "KIND_LABELS",
    "Action",
    "Alternative",
    "BlockedGroup",
    "Broken",
    "Choices",
    "FeedExtras",
    "FeedInfo",
    "Instance",
    "LinkInfo",
    "Moved",
    "Outcome",
    "Plan",
    "PlanDiff",
    "PlanFileError",
    "RegionLoad",
    "RegionState",
    "ReplanOutcome",
    "Scenario",
    "ScenarioError",
    "Session",
    "SolveProgress",
    "StopSignal",
    "Store",
    "Verdict",
    "alternatives",
    "bundled_scenario",
    "check",
    "default_url",
    "diff",
    "feed_calendar",
    "heatmap",
    "instance",
    "interest_by_theme",
    "load_scenario",
    "move",
    "outlook_problems",
    "plan_from_json",
    "plan_to_json",
    "replan",
    "scenario_data",
    "scenario_from_data",
    "scenario_text",
    "slot_names",
    "solve",
    "wheel",
    "write_calendar_files",
]


# -- scenarios and plans ------------------------------------------------------------------------


def bundled_scenario() -> Path:
    """The bundled Sweden 2027 scenario (``arshjul.bundled``)."""
    return arshjul.bundled("sweden-2027")


def load_scenario(path: Path) -> Scenario:
    """A scenario file, validated (``arshjul.load_scenario``); ScenarioError names the problem."""
    return arshjul.load_scenario(path)


def scenario_text(path: Path) -> str:
    """The text a workspace keeps as its ``scenario.yaml``: the file as it is, or — when it
    ``extends`` another file, which would not be beside the copy — the merged scenario
    (``arshjul.variants.resolve``)."""
    text = path.read_text(encoding="utf-8-sig")
    data = yaml.safe_load(text)
    if not (isinstance(data, dict) and "extends" in data):
        return text
    merged, _ = resolve(path)
    head = f"# {path.name} with its 'extends' chain merged by arshjul serve\n"
    return head + yaml.safe_dump(merged, allow_unicode=True, sort_keys=False)


def instance(scenario: Scenario) -> Instance:
    """The scenario's instance (``arshjul.build_instance``): days, slots and rules."""
    return arshjul.build_instance(scenario)


def slot_names(inst: Instance) -> list[str]:
    """The meeting slots of one day, in order (``morning``, ``afternoon``)."""
    return list(dict.fromkeys(t.slot for t in inst.slots))


def plan_from_json(text: str, source: str) -> Plan:
    """``arshjul.Plan.from_json``; PlanFileError names the file and field."""
    return Plan.from_json(text, source=source)


def plan_to_json(plan: Plan) -> str:
    """``arshjul.Plan.to_json``: stable JSON with a trailing newline."""
    return plan.to_json()


# -- solving ----------------------------------------------------------------------------------


class StopSignal(KeyboardInterrupt):
    """Raised from the progress callback to stop a search as Ctrl-C does (best plan kept)."""


@dataclass(frozen=True)
class SolveProgress:
    """What the progress page shows: seconds, best penalty, proven bound, plans found."""

    elapsed: float
    best: float | None
    bound: float | None
    solutions: int

    @property
    def gap(self) -> float | None:
        if self.best is None or self.bound is None:
            return None
        return max(0.0, (self.best - self.bound) / max(1.0, abs(self.best)))


def _watch(report: Callable[[SolveProgress], None], stop: threading.Event) -> Callable[[Any], None]:
    """A progress callback for the library: forwards progress, and raises :class:`StopSignal`
    in the calling thread (never in CP-SAT's own callback thread) once ``stop`` is set."""
    caller = threading.current_thread()

    def progress(p: Any) -> None:
        report(SolveProgress(p.elapsed, p.objective, p.bound, p.solutions))
        if stop.is_set() and threading.current_thread() is caller:
            raise StopSignal

    return progress


def solve(
    scenario: Scenario,
    *,
    time_limit: float,
    report: Callable[[SolveProgress], None],
    stop: threading.Event,
) -> Plan:
    """A whole new year (``arshjul.solve``).  ``plan.found`` says whether it has sessions;
    StopSignal escapes only when the stop came before the search had started."""
    return arshjul.solve(scenario, time_limit=time_limit, progress=_watch(report, stop))


@dataclass
class ReplanOutcome:
    """A minimal-change re-solve: the plan, what was frozen, and why there is none."""

    plan: Plan
    frozen: tuple[str, ...]
    released: tuple[tuple[str, str], ...]
    report: list[str]
    """The library's own report lines (kept, released, moved, who to tell) or, with no
    plan, why not."""


def replan(
    scenario: Scenario,
    previous: Plan,
    *,
    pins: Iterable[str],
    frozen_until: dt.date | None,
    time_limit: float,
    report: Callable[[SolveProgress], None],
    stop: threading.Event,
) -> ReplanOutcome:
    """Re-solve the rest with the pinned sessions frozen, as few changes as possible
    (``arshjul.replan.replan``)."""
    result = replan_mod.replan(
        scenario,
        previous,
        pins=list(pins),
        frozen_until=frozen_until,
        time_limit=time_limit,
        progress=_watch(report, stop),
    )
    lines = replan_report.report_lines(result) if result.plan.found else replan_report.conflict_lines(result)
    return ReplanOutcome(result.plan, result.frozen, result.released, lines)


# -- checking and moving --------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """One broken rule: its name, the rule in the planner's words, and what breaks it."""

    rule: str
    subject: str
    sentence: str
    detail: str
    sessions: tuple[str, ...] = ()


@dataclass
class Verdict:
    """The plain-Python checker's judgement of a plan (``arshjul.check_plan``)."""

    broken: list[Broken]
    objective: int
    terms: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.broken


def _sentence(scenario: Scenario, inst: Instance, rule: str, subject: str) -> str:
    """The rule in the scenario's own words, with its numbers and field
    (``arshjul.explain.describe``); the rule's general sentence when that cannot say it."""
    try:
        return explain_mod.describe(scenario, inst, rule, [subject]).text
    except (KeyError, ValueError, IndexError, AttributeError, AssertionError):
        return explain_mod.rule_text(rule)


def check(scenario: Scenario, inst: Instance, plan: Plan) -> Verdict:
    """Every broken hard rule of ``plan`` in the planner's words, and its penalty."""
    report = arshjul.check_plan(inst, plan)
    broken = [
        Broken(v.rule, v.subject, _sentence(scenario, inst, v.rule, v.subject), v.message, v.sessions)
        for v in report.violations
    ]
    return Verdict(broken, report.objective, dict(report.weighted))


@dataclass
class Moved:
    """A copy of a plan with one session moved, and the checker's verdict on it."""

    plan: Plan
    verdict: Verdict
    presenters_before: tuple[str, ...]
    presenters_after: tuple[str, ...]


def move(
    scenario: Scenario,
    inst: Instance,
    plan: Plan,
    session_id: str,
    date: dt.date,
    slot: str,
    presenters: Sequence[str] | None = None,
) -> Moved | None:
    """``plan`` with ``session_id`` at ``date``/``slot`` (and ``presenters`` when given),
    everything else as it was, re-checked; ``None`` when that is no meeting slot of the
    period.  The plan is marked FEASIBLE with the checker's penalty (``arshjul.realize``)."""
    index = next((t.index for t in inst.slots if t.date == date and t.slot == slot), None)
    if index is None:
        return None
    a = from_plan(inst, plan)
    before = a.presenters.get(session_id, ())
    chosen = dict(a.presenters)
    if presenters is not None:
        chosen[session_id] = tuple(presenters)
    moved = to_plan(
        inst,
        Assignment(slot={**a.slot, session_id: index}, presenters=chosen),
        status="FEASIBLE",
        seed=plan.seed,
        sequences={s.id: s.sequence for s in plan.sessions},
    )
    verdict = check(scenario, inst, moved)
    moved.objective = verdict.objective
    moved.terms = verdict.terms
    return Moved(moved, verdict, before, chosen.get(session_id, ()))


@dataclass(frozen=True)
class Alternative:
    """Another slot the session can take with everything else fixed, and the penalty there."""

    date: dt.date
    slot: str
    start: dt.datetime
    objective: int
    delta: int
    presenters: tuple[str, ...]
    dropped: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class BlockedGroup:
    """Slots the session cannot take, grouped by the rules that forbid them."""

    rules: tuple[str, ...]
    sentence: str
    slots: int
    example: str


@dataclass
class Choices:
    options: list[Alternative] = field(default_factory=list)
    blocked: list[BlockedGroup] = field(default_factory=list)


def alternatives(inst: Instance, plan: Plan, session_id: str) -> Choices:
    """Where else the session could go, best first, and why not elsewhere
    (``arshjul.explain.alternatives``).  No solver probes: the checker and the library's
    presenter repair answer in about 2 s on the bundled year, where each probe of a slot
    the repair could not fix added seconds to the page (and found no more options there)."""
    found = explain_mod.alternatives(inst, plan, session_id, probe_limit=0)
    options = [
        Alternative(o.date, o.slot_id, o.start, o.objective, o.delta, o.presenters, o.dropped, o.added)
        for o in sorted(found.options, key=lambda o: (o.delta, o.start))
    ]
    groups: dict[tuple[str, ...], list[Any]] = {}
    for b in found.blocked:
        groups.setdefault(tuple(sorted({r for r, _ in b.rules})), []).append(b)
    blocked = [
        BlockedGroup(
            rules,
            "; ".join(explain_mod.rule_text(r) for r in rules),
            len(items),
            f"{items[0].date:%a %Y-%m-%d} {items[0].slot_id}: {items[0].message}",
        )
        for rules, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    ]
    return Choices(options, blocked)


def diff(before: Plan, after: Plan) -> PlanDiff:
    """What changed from ``before`` to ``after``: moved, added, removed, presenters
    (``arshjul.revision.diff_plans``)."""
    return diff_plans(before, after)


# -- pictures and files -----------------------------------------------------------------------------


def wheel(plan: Plan) -> str:
    """The annual wheel as inline SVG (``arshjul.exporters.wheel.wheel_svg``)."""
    return strip_xml_declaration(wheel_svg(plan))


def heatmap(plan: Plan) -> str:
    """Invitations per region and month against the cap, as inline SVG
    (``arshjul.exporters.heatmap.heatmap_svg``)."""
    return strip_xml_declaration(heatmap_svg(plan))


def write_calendar_files(plan: Plan, folder: Path) -> list[Path]:
    """Master, per-region, per-theme and per-host calendars and ``plan.json`` into ``folder``
    (``arshjul.exporters.ics.write_calendars``).  DTSTAMP is the publication date (or the
    period start) at 00:00 UTC, as ``arshjul plan`` writes it, so the bytes depend only on
    the plan."""
    day = plan.publication_date or plan.period_start
    stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    written = write_calendars(plan, folder, dtstamp=stamp)
    target = folder / "plan.json"
    target.write_text(plan.to_json(), encoding="utf-8")
    return [*written, target]


# -- the regions' side ----------------------------------------------------------------------------


def scenario_data(text: str, source: str) -> Any:
    """A scenario file's plain data, read as ``arshjul`` reads it (``arshjul.scenario.parse_yaml``)."""
    return scenario_mod.parse_yaml(text, source)


def scenario_from_data(data: Any, source: str) -> Scenario:
    """Plain data validated as a scenario file is (``arshjul.scenario.from_data``): a region's
    change is checked by the same rules, and refused with the same one-line message."""
    sc = scenario_mod.from_data(data, source)
    scenario_mod.cross_check(sc)
    return sc


def interest_by_theme(sc: Scenario) -> dict[str, dict[str, int]]:
    """Theme id → region → weight, as the instance reads it (``arshjul.instance._interest``:
    the explicit ``interested`` list, else the regions whose S3 tags meet the theme's, else
    every region)."""
    tags_of = {r.code: {t.casefold() for a in r.s3 for t in a.tags} for r in sc.regions}
    out: dict[str, dict[str, int]] = {}
    for _, theme in sc.themes():
        if theme.interested is not None:
            out[theme.id] = {i.region: i.weight for i in theme.interest()}
        elif theme.tags:
            wanted = {t.casefold() for t in theme.tags}
            out[theme.id] = {r.code: theme.interest_weight for r in sc.regions if tags_of[r.code] & wanted}
        else:
            out[theme.id] = {r.code: theme.interest_weight for r in sc.regions}
    return out


@dataclass
class FeedExtras:
    """What a feed shows besides the plan's own events."""

    homework: list[tuple[Session, dt.date, str]] = field(default_factory=list)
    """(presentation's dialog, deadline, text) for the presenting region's feed."""
    agendas: dict[str, str] = field(default_factory=dict)
    """Network meeting id → its follow-up agenda, added to its DESCRIPTION."""


def homework_uid(plan: Plan, session: Session, code: str) -> str:
    """A homework reminder's UID: the dialog's and the region's, stable across replans."""
    return f"homework-{code}-{session_uid(plan, session)}"


def feed_calendar(plan: Plan, kind: str, subject: str, extras: FeedExtras) -> bytes:
    """A subscribed calendar: the published region, theme or host file
    (``arshjul.exporters.ics.region_calendar`` …, stable UIDs and SEQUENCE), with each network
    meeting's follow-up agenda in its DESCRIPTION and, in a region's feed, an all-day reminder
    on each homework deadline.  All-day VEVENTs, not VALARMs: Outlook drops the alarms of a
    subscribed calendar, and shows an all-day entry (free, not busy) at the top of that day."""
    day = plan.publication_date or plan.period_start
    stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    if kind == "region":
        data = region_calendar(plan, subject, dtstamp=stamp)
    elif kind == "theme":
        data = theme_calendar(plan, subject, dtstamp=stamp)
    else:
        data = host_calendar(plan, subject, dtstamp=stamp)
    if not extras.agendas and not extras.homework:
        return data
    cal = Calendar.from_ical(data)
    uids = {session_uid(plan, s): s.id for s in plan.sessions}
    for ev in cal.walk("VEVENT"):
        sid = uids.get(str(ev.get("uid")))
        if sid in extras.agendas:
            before = str(ev.get("description", ""))
            ev.pop("description", None)
            ev.add("description", (before + "\n\n" if before else "") + extras.agendas[sid])
    for s, deadline, text_ in extras.homework:
        ev = Event()
        ev.add("uid", homework_uid(plan, s, subject))
        ev.add("dtstamp", stamp)
        ev.add("sequence", s.sequence)
        ev.add("dtstart", deadline)
        ev.add("dtend", deadline + dt.timedelta(days=1))
        ev.add("summary", text_.splitlines()[0])
        ev.add("description", text_)
        ev.add("transp", "TRANSPARENT")
        ev.add("x-microsoft-cdo-busystatus", "FREE")
        cal.add_component(ev)
    return bytes(cal.to_ical())
