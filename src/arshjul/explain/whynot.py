"""Why not: a minimal set of the scenario's rules that cannot all hold, in its own words, and
the edits (each solved) that give a plan."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..cpsat.conflicts import Conflict, ConflictOptions, find_conflict
from ..i18n import _
from ..instance import RuleKey, build_instance
from ..scenario import WEEKDAYS, Scenario
from .relaxations import Relaxation, _Verifier, relax
from .words import CALENDAR_GROUPS, ConflictItem, describe


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
    stopped: bool = False
    """Stopped from outside (``why_not(stop=...)``) before it had finished: the answer is
    what was found by then (``UNKNOWN``, a set not yet minimal, fewer ways out)."""

    def lines(self) -> list[str]:
        """For the terminal, in the command line's language (:func:`arshjul.i18n._`)."""
        if self.status == "FEASIBLE":
            return [_("Every hard rule can hold together: the scenario has a plan.")]
        if self.status != "INFEASIBLE":
            return [
                _(
                    "Could not tell within the time limit whether the rules can all hold; "
                    "try a longer --time-limit."
                )
            ]
        if self.minimal and self.complete:
            out = [
                _(
                    "No plan: these rules of the scenario cannot all hold together "
                    "(drop any one of them and the rest fits):"
                )
            ]
        else:
            out = [
                _(
                    "No plan: these rules of the scenario cannot all hold together (out of time before "
                    "the set was made as small as possible):"
                )
            ]
        for k, item in enumerate(self.items, 1):
            out.append(f"  {k}. {item.text}")
            out.append(f"     [{item.rule} {', '.join(item.subjects)}]")
        if not self.items:
            out.append("  " + _("the built-in rules alone (each session once, one theme's dialogs in order)"))
        if not self.complete:
            out.append("  " + _("… together with the calendar as written (holidays, weekdays, windows)."))
        if self.fixes:
            out.append(_("Ways out, each checked by solving the edited scenario:"))
            out.extend(f"  - {r.edit}" + (f" ({r.note})" if r.note else "") for r in self.fixes)
        else:
            out.append(_("No single edit found that gives a plan on its own."))
        if self.tried:
            out.append(_("Tried, not enough on its own (edit and run explain again to see what remains):"))
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


def why_not(
    scenario: Scenario,
    *,
    time_limit: float = 30.0,
    step_limit: float = 5.0,
    relax_limit: float = 3.0,
    relax_rules: bool = True,
    workers: int = 1,
    seed: int = 0,
    deterministic: bool = False,
    stop: threading.Event | None = None,
    progress: Callable[[str, int, int, int], None] | None = None,
) -> ConflictReport:
    """Why the scenario has no plan: a minimal set of its rules that collide, in its own
    words, and edits of the scenario file (each solved) that give a plan.

    ``FEASIBLE`` when every rule can hold.  ``time_limit`` bounds the conflict search (each
    solve at most ``step_limit`` s, one core: assumptions run sequentially); the relaxations
    get the same again, each edited copy solved for at most ``relax_limit`` s, ``workers``
    copies at a time.  An offered limit is the nearest value shown to give a plan; nearer
    values not decided in time are named in its note.  "No value works" is said only when
    it was proven; otherwise the edit says no plan was shown within the time limit.

    With ``deterministic`` the conflict search counts ``time_limit`` and ``step_limit``, and
    the relaxations ``time_limit`` and ``relax_limit``, in CP-SAT's deterministic time
    instead of seconds (the relaxations then one at a time), so which rules it names,
    whether it proves the set minimal and which edits it offers do not depend on how fast
    or busy the machine is.

    ``stop`` (a :class:`threading.Event` set from another thread) ends it promptly: the solve
    running is stopped, no other starts, and the report says ``stopped``.  ``progress`` is
    told the stage (``conflict``, then ``ways_out``), the colliding rules relaxed so far,
    their number and the edits decided so far, each time one of them changes (for a page
    that waits).
    """
    started = time.monotonic()

    def tell(stage: str, done: int = 0, total: int = 0, edits: int = 0) -> None:
        if progress is not None:
            progress(stage, done, total, edits)

    tell("conflict")
    inst = build_instance(scenario)
    conflict: Conflict = find_conflict(
        inst,
        ConflictOptions(
            time_limit=time_limit, step_limit=step_limit, seed=seed, deterministic=deterministic, stop=stop
        ),
    )
    report = ConflictReport(
        status=conflict.status,
        keys=conflict.keys,
        minimal=conflict.minimal,
        complete=conflict.complete,
        solves=conflict.solves,
        stopped=stop is not None and stop.is_set(),
    )
    if conflict.status != "INFEASIBLE":
        report.wall_time = round(time.monotonic() - started, 3)
        return report
    report.items = [describe(scenario, inst, rule, subjects) for rule, subjects in group_keys(conflict.keys)]
    if relax_rules and not report.stopped:
        relaxed = 0
        total = len(report.items)
        verifier = _Verifier(
            scenario,
            time.monotonic() + time_limit,
            relax_limit,
            workers,
            deterministic=deterministic,
            stop=stop,
            checked=lambda n: tell("ways_out", relaxed, total, n),
        )
        tell("ways_out", 0, total)
        for item in report.items:
            if verifier.stopped:
                break
            ok, no = relax(scenario, inst, item, verifier)
            report.fixes.extend(ok)  # each solved: true however the search ended
            if not verifier.stopped:  # "not enough" from an interrupted item is undecided
                report.tried.extend(no)
            relaxed += 1
            tell("ways_out", relaxed, total, verifier.decided)
        report.fixes.sort(key=lambda r: r.cost)
        report.solves += verifier.solves
        report.stopped = verifier.stopped
    report.wall_time = round(time.monotonic() - started, 3)
    return report
