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
- *editing scenario.yaml in place* (:func:`edit_scenario_text`): ``arshjul.variants.set_path``
  applies the same dotted-path changes as :func:`arshjul.variants.variant` (and the fixes of
  ``why_not``), here on the file's ruamel.yaml round-trip tree, so its comments stay.

A solve started here is stopped with ``SolveOptions.stop`` (a :class:`threading.Event` the
solver's wait loop checks every 0.2 s): the search ends as on Ctrl-C and keeps its best plan.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from icalendar import Calendar, Event

import arshjul
from arshjul import compare as compare_mod
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
    write_invitations,
)
from arshjul.exporters.png import ChromiumMissing
from arshjul.exporters.report import write_report
from arshjul.exporters.svg import strip_xml_declaration
from arshjul.exporters.wheel import wheel_svg
from arshjul.exporters.xlsx import plan_xlsx
from arshjul.followup_results import Results
from arshjul.instance import Assignment, Instance, SlotTime
from arshjul.plan import KIND_LABELS, Plan, RegionLoad, Session
from arshjul.realize import from_plan, to_plan
from arshjul.revision import PlanDiff, diff_plans
from arshjul.scenario import Scenario, from_data, parse_yaml
from arshjul.store import Action, FeedInfo, LinkInfo, Outcome, RegionState, Store, default_url
from arshjul.variants import REMOVE, resolve, set_path

__all__ = [
    "KIND_LABELS",
    "REMOVE",
    "Action",
    "Alternative",
    "BlockedGroup",
    "Broken",
    "Choices",
    "ChromiumMissing",
    "Conflict",
    "ConflictRule",
    "FeedExtras",
    "FeedInfo",
    "Fix",
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
    "SlotTime",
    "SolveProgress",
    "Store",
    "Verdict",
    "alternatives",
    "bundled_scenario",
    "check",
    "compare_rows",
    "default_url",
    "diff",
    "edit_scenario_text",
    "export_invitations",
    "export_report",
    "export_xlsx",
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
    "scenario_copy",
    "scenario_data",
    "scenario_from_data",
    "scenario_from_text",
    "slot_names",
    "solve",
    "wheel",
    "why_not",
    "write_calendar_files",
]


# -- scenarios and plans ------------------------------------------------------------------------


def bundled_scenario() -> Path:
    """The bundled Sweden 2027 scenario (``arshjul.bundled``)."""
    return arshjul.bundled("sweden-2027")


def load_scenario(path: Path) -> Scenario:
    """A scenario file, validated (``arshjul.load_scenario``); ScenarioError names the problem."""
    return arshjul.load_scenario(path)


WORKSPACE_NAMES = frozenset(
    {
        "scenario.yaml",
        "plans",
        "current.json",
        "pins.json",
        "exports",
        "scenarios",
        "source",
        "files",
        "arshjul.db",
        "serve.lock",
    }
)
"""Names a workspace keeps for itself: a scenario's file by one of these names goes to files/."""


def _kept_relative(ref: str) -> str | None:
    """``ref`` as the same relative path inside a workspace, or ``None`` when it would leave
    the folder (absolute, ``..``) or take a name the workspace keeps for itself."""
    parts = ref.replace("\\", "/").split("/")
    if not ref or ref.startswith(("/", "\\")) or ":" in parts[0] or any(p in ("", ".", "..") for p in parts):
        return None
    return None if parts[0] in WORKSPACE_NAMES else "/".join(parts)


def _chain(path: Path) -> list[Path]:
    """The scenario file and every file its ``extends`` chain reads, child first."""
    out = [path]
    while len(out) < 50:
        data = yaml.safe_load(out[-1].read_text(encoding="utf-8-sig"))
        target = data.get("extends") if isinstance(data, dict) else None
        if not isinstance(target, str) or not target.strip():
            break
        out.append(out[-1].parent / target.strip())
    return out


def _yaml_plain(value: Any) -> Any:
    """A scenario's model dump as YAML can write it: times as ``HH:MM``, tuples as lists."""
    if isinstance(value, dict):
        return {k: _yaml_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_yaml_plain(v) for v in value]
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if not value.second else value.isoformat()
    return value


def scenario_copy(path: Path) -> tuple[str, dict[str, Path]]:
    """What a workspace keeps of the scenario ``path``, so that nothing it reads lies outside
    the folder: the text of its ``scenario.yaml``, and the files to copy beside it (name in
    the workspace → the file now).

    - The availability files its regions name (``away_from``, ``cannot_present_from``) keep
      their relative path; one outside the scenario's folder (``../x.ics``, absolute) goes to
      ``files/<name>`` and the scenario names it there.
    - A file that ``extends`` another is kept merged (the edit forms and the ways out write
      one file), and the chain as it was under ``source/`` (relative paths kept).
    - A workbook (``.xlsx``) is kept as YAML (what ``arshjul workbook export`` writes), the
      workbook itself under ``source/``.
    Otherwise the file is copied as it is, comments and all."""
    sc = load_scenario(path)
    files: dict[str, Path] = {}
    moved: dict[str, str] = {}
    for region in sc.regions:
        for ref in [*region.away_from, *region.cannot_present_from]:
            kept = _kept_relative(ref)
            if kept is None:
                name = Path(ref.replace("\\", "/")).name
                kept, k = f"files/{name}", 1
                while kept in files and files[kept] != path.parent / ref:
                    k += 1
                    kept = f"files/{k}-{name}"
                moved[ref] = kept
            files[kept] = path.parent / ref
    if path.suffix.lower() == ".xlsx":
        files[f"source/{path.name}"] = path
        data = _yaml_plain(sc.model_dump(mode="python", by_alias=True, exclude_defaults=True))
        head = f"# {sc.name}\n# {path.name} as YAML, made by arshjul serve (the workbook is in source/)\n\n"
    else:
        text = path.read_text(encoding="utf-8-sig")
        chain = _chain(path)
        if len(chain) == 1 and not moved:
            return text, files
        for k, link in enumerate(chain):
            rel = Path(os.path.relpath(link, path.parent)).as_posix() if k else path.name
            kept = _kept_relative(rel)
            files[f"source/{kept or link.name}"] = link
        data = resolve(path)[0] if len(chain) > 1 else yaml.safe_load(text)
        head = (
            f"# {path.name} with its 'extends' chain merged by arshjul serve (the chain is in source/)\n"
            if len(chain) > 1
            else f"# {path.name} as arshjul serve keeps it (its files outside its folder are in files/)\n"
        )
    for region in data.get("regions") or []:
        for name in ("away_from", "cannot_present_from"):
            if isinstance(region, dict) and isinstance(region.get(name), list):
                region[name] = [moved.get(ref, ref) for ref in region[name]]
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), files


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


def _watch(report: Callable[[SolveProgress], None]) -> Callable[[Any], None]:
    """A progress callback for the library that forwards progress."""

    def progress(p: Any) -> None:
        report(SolveProgress(p.elapsed, p.objective, p.bound, p.solutions))

    return progress


def solve(
    scenario: Scenario,
    *,
    time_limit: float,
    report: Callable[[SolveProgress], None],
    stop: threading.Event,
) -> Plan:
    """A whole new year (``arshjul.solve``).  ``plan.found`` says whether it has sessions;
    setting ``stop`` ends the search with the best plan so far (``SolveOptions.stop``)."""
    return arshjul.solve(scenario, time_limit=time_limit, progress=_watch(report), stop=stop)


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
        progress=_watch(report),
        stop=stop,
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


def _stamp(plan: Plan) -> dt.datetime:
    day = plan.publication_date or plan.period_start
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def export_invitations(plan: Plan, previous: Plan | None, folder: Path) -> list[Path]:
    """The only-changes invitations (iTIP REQUEST for new and moved sessions, CANCEL for
    the ones gone) of ``plan`` against ``previous`` into ``folder``
    (``arshjul.exporters.ics.write_invitations``), DTSTAMP as the calendars'."""
    return write_invitations(plan, previous, folder, dtstamp=_stamp(plan))


def export_xlsx(plan: Plan) -> bytes:
    """plan.xlsx (``arshjul.exporters.xlsx.plan_xlsx``)."""
    return plan_xlsx(plan, dtstamp=_stamp(plan))


def export_report(plan: Plan, folder: Path, *, pdf: bool, results: Results | None = None) -> list[Path]:
    """report.html (and report.pdf with ``pdf``) into ``folder``
    (``arshjul.exporters.report.write_report``), with the dialogs' follow-up ``results``
    when given; :class:`ChromiumMissing` when the PDF needs a browser that is not there,
    before anything is written."""
    return write_report(plan, folder, pdf=pdf, results=results)


# -- comparing ----------------------------------------------------------------------------------


def compare_rows(named: Sequence[tuple[str, Plan]]) -> list[tuple[str, list[str]]]:
    """The comparison table of already solved plans, one column each, against the first
    (``arshjul.compare.measure`` / ``rows``: measures, months, then what moved)."""
    entries = [compare_mod.Entry(n, n, p, compare_mod.measure(p)) for n, p in named]
    c = compare_mod.Comparison(entries, compare_mod.diffs_against_first([p for _, p in named]))
    return compare_mod.rows(c)


# -- why not, and editing the scenario ----------------------------------------------------------


@dataclass(frozen=True)
class ConflictRule:
    """One rule of the colliding set, in the scenario's words, with its field paths."""

    rule: str
    subjects: tuple[str, ...]
    text: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Fix:
    """A verified way out: the edit in words and as dotted-path changes."""

    edit: str
    note: str
    rule: str
    changes: tuple[tuple[str, Any], ...]


@dataclass
class Conflict:
    """``why_not``'s answer, shaped for the page."""

    status: str
    minimal: bool
    complete: bool
    rules: list[ConflictRule]
    fixes: list[Fix]
    tried: list[Fix]
    wall_time: float
    stopped: bool = False
    """The planner stopped it: what was found by then."""


WHY_TIME_LIMIT = 10.0
"""Deterministic time units for the conflict search (and again for the ways out)."""


def why_not(
    scenario: Scenario,
    *,
    time_limit: float = WHY_TIME_LIMIT,
    stop: threading.Event | None = None,
    progress: Callable[[str, int, int, int], None] | None = None,
) -> Conflict:
    """Why the scenario has no plan, and verified edits that give one
    (``arshjul.explain.why_not`` with ``deterministic=True``: the same rules and fixes on a
    busy machine as on a fast one).  ``stop`` ends it promptly with what was found so far;
    ``progress`` hears the stage (``conflict``, ``ways_out``) and how far it got
    (colliding rules relaxed, of how many; edits decided)."""
    report = explain_mod.why_not(
        scenario,
        time_limit=time_limit,
        step_limit=5.0,
        relax_limit=3.0,
        deterministic=True,
        stop=stop,
        progress=progress,
    )

    def fix(r: Any) -> Fix:
        return Fix(r.edit, r.note, r.rule, tuple(r.changes.items()))

    return Conflict(
        status=report.status,
        minimal=report.minimal,
        complete=report.complete,
        rules=[ConflictRule(i.rule, tuple(i.subjects), i.text, tuple(i.fields)) for i in report.items],
        fixes=_distinct([fix(r) for r in report.fixes if r.changes]),
        tried=[fix(r) for r in report.tried],
        wall_time=report.wall_time,
        stopped=report.stopped,
    )


def _distinct(fixes: list[Fix]) -> list[Fix]:
    """One of each edit (several colliding rules often share a way out), cheapest first."""
    seen: set[str] = set()
    out = []
    for f in fixes:
        if repr(f.changes) not in seen:
            seen.add(repr(f.changes))
            out.append(f)
    return out


def scenario_from_text(text: str, source: str = "scenario.yaml") -> tuple[Scenario, Instance]:
    """A scenario file's text validated as ``arshjul.load_scenario`` does, and its instance
    (both can refuse it: ScenarioError, one line)."""
    sc = from_data(parse_yaml(text, source), source)
    return sc, arshjul.build_instance(sc)


def _plain(value: Any) -> Any:
    """A change's value as YAML can hold it (pydantic models as their file form)."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, tuple | list):
        items = [_plain(v) for v in value]
        same = isinstance(value, list) and all(a is b for a, b in zip(items, value, strict=True))
        return value if same else items  # a ruamel list stays itself (its style, its comments)
    if isinstance(value, dict):
        items_ = {k: _plain(v) for k, v in value.items()}
        return value if all(items_[k] is v for k, v in value.items()) else items_
    return value


def edit_scenario_text(tree: Any, scenario: Scenario, changes: Iterable[tuple[str, Any]]) -> None:
    """Apply dotted-path changes (``regions[SE-I].limits.window_max``, items by id or index,
    :data:`REMOVE` to delete) to a round-trip tree of the scenario file, in place
    (``arshjul.variants.set_path``).  A field the file leaves at its default (the default
    blackouts, say) is first written out from ``scenario`` so the change has it to act on."""
    full = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    for path, value in changes:
        _materialize(tree, full, path)
        plain = value if value is REMOVE else _plain(value)
        set_path(tree, path, plain)
        if plain is not REMOVE:
            _put(tree, path, plain)


_STEP = re.compile(r"\.?([^.\[\]]+)|\[([^\[\]]+)\]")


def _put(tree: Any, path: str, value: Any) -> None:
    """Put ``value`` itself (not set_path's deep copy, which drops ruamel's flow style and
    the comments kept on a list's items) where set_path has just put its copy."""
    steps = [(m.group(1), m.group(2)) for m in _STEP.finditer(path)]
    node = tree
    for k, (key, item) in enumerate(steps):
        last = k == len(steps) - 1
        where: Any = key if key is not None else _item(node, item)
        if where is None:
            return
        if last:
            node[where] = value
            return
        node = node[where]


def _materialize(tree: Any, full: Any, path: str) -> None:
    """Copy the defaults on ``path`` from ``full`` into ``tree`` where the file has no key."""
    node, whole = tree, full
    for m in _STEP.finditer(path):
        key, item = m.group(1), m.group(2)
        if key is not None:
            if not isinstance(node, dict) or not isinstance(whole, dict) or key not in whole:
                return
            if key not in node:
                node[key] = copy.deepcopy(whole[key])
                return
            node, whole = node[key], whole[key]
            continue
        if not isinstance(node, list) or not isinstance(whole, list):
            return
        k = _item(node, item)
        j = _item(whole, item)
        if k is None or j is None:
            return
        node, whole = node[k], whole[j]


def _item(items: list[Any], ident: str) -> int | None:
    for i, entry in enumerate(items):
        if isinstance(entry, dict) and ident in (entry.get("code"), entry.get("id")):
            return i
    if ident.isdigit() and int(ident) < len(items):
        return int(ident)
    return None


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
