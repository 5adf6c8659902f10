"""Compare alternative scenarios: solve each, measure the plans the same way, show the table.

The measures are what planners argue about: does every region get to present (coverage),
how hard is the worst-loaded region pushed (rolling-window invitations against its cap),
how even are presentations and the months, and how long the solve took.  Then what differs
between the plans, session by session (:func:`arshjul.revision.diff_plans`).  The same
:func:`measure` fills the rows of a sweep (:mod:`arshjul.sweep`).  Every scenario is solved
by :func:`arshjul.solve` with the same options.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .api import solve
from .changes import DEFAULT_WEIGHTS, ChangeWeights, themes_kept_month
from .i18n import _
from .instance import Instance
from .options import SolveOptions, SolveStatus, options_from
from .plan import Plan
from .replan_report import split_moves
from .revision import PlanDiff, diff_plans
from .scenario import Scenario


@dataclass
class Metrics:
    """One plan, measured.  Empty plans (no solution) keep zeros and ``None``s."""

    status: SolveStatus
    objective: int | None = None
    bound: float | None = None
    gap: float | None = None
    regions: int = 0
    coverage: int = 0
    """Regions that present at least once."""
    worst_window: int = 0
    """Most invitations any region gets in one rolling window."""
    at_cap: int = 0
    """Regions whose worst window reaches their cap."""
    presentations_min: int = 0
    presentations_max: int = 0
    sessions: int = 0
    per_month: dict[str, int] = field(default_factory=dict)
    wall_time: float = 0.0
    themes_kept_month: int | None = None
    """With last year's plan: themes whose dialogs kept last year's month …"""
    themes_both_years: int | None = None
    """… out of the themes held in both years."""
    terms: dict[str, int] = field(default_factory=dict)


def measure(plan: Plan, last_year: Plan | None = None) -> Metrics:
    """The comparison measures of one plan."""
    m = Metrics(status=plan.status, objective=plan.objective, bound=plan.bound, wall_time=plan.wall_time)
    m.gap = None if plan.gap is None else round(plan.gap, 6)
    m.regions = len(plan.regions)
    m.terms = dict(plan.terms)
    if not plan.found:
        return m
    loads = plan.load()
    m.coverage = sum(1 for load in loads if load.presentations > 0)
    m.worst_window = max((load.worst_window for load in loads), default=0)
    m.at_cap = sum(
        1
        for load in loads
        if load.code in plan.window_max and load.worst_window >= plan.window_max[load.code]
    )
    pres = [load.presentations for load in loads]
    m.presentations_min, m.presentations_max = min(pres, default=0), max(pres, default=0)
    m.sessions = len(plan.sessions)
    m.per_month = plan.sessions_per_month()
    if last_year is not None:
        m.themes_kept_month, m.themes_both_years = themes_kept_month(last_year, plan)
    return m


@dataclass
class Entry:
    """One compared scenario: its name, where it came from, its plan and measures."""

    name: str
    source: str
    plan: Plan
    metrics: Metrics


@dataclass
class Comparison:
    entries: list[Entry]
    diffs: list[PlanDiff | None]
    """Plan of each entry against the first one's (``None`` for the first, or without plans)."""


def compare(
    scenarios: Sequence[tuple[str, Scenario | Instance]],
    options: SolveOptions | None = None,
    *,
    last_year: Plan | None = None,
    weights: ChangeWeights = DEFAULT_WEIGHTS,
    progress: Callable[[str, Plan], None] | None = None,
    **overrides: Any,
) -> Comparison:
    """Solve each ``(name, scenario)`` the same way and compare against the first.

    ``options`` and keyword overrides (``time_limit=30``) as for :func:`arshjul.solve`."""
    options = options_from(options, overrides)
    entries = []
    for name, sc in scenarios:
        plan = solve(sc, options, last_year=last_year, weights=weights)
        entries.append(Entry(name=name, source=name, plan=plan, metrics=measure(plan, last_year)))
        if progress:
            progress(name, plan)
    return Comparison(entries=entries, diffs=diffs_against_first([e.plan for e in entries]))


def diffs_against_first(plans: Sequence[Plan]) -> list[PlanDiff | None]:
    """Each plan's differences from the first plan (``None`` where either has no sessions)."""
    if not plans:
        return []
    first = plans[0]
    return [None] + [diff_plans(first, p) if first.found and p.found else None for p in plans[1:]]


# -- output -------------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def rows(c: Comparison) -> list[tuple[str, list[str]]]:
    """The table as (label, one cell per scenario) rows: measures, then months, then diffs.

    The labels are in the command line's language (or the current context's: the web page's)."""
    es = c.entries
    # TRANSLATORS: the row labels of the comparison table ('arshjul compare', the web's compare page)
    out: list[tuple[str, list[str]]] = [
        (_("status"), [e.metrics.status for e in es]),
        (_("objective"), [_fmt(e.metrics.objective) for e in es]),
        (_("bound"), [_fmt(e.metrics.bound) for e in es]),
        (_("gap %"), [_fmt(None if e.metrics.gap is None else 100 * e.metrics.gap) for e in es]),
        (
            _("coverage (regions presenting)"),
            [f"{e.metrics.coverage}/{e.metrics.regions}" for e in es],
        ),
        (_("worst window invitations"), [str(e.metrics.worst_window) for e in es]),
        (_("regions at cap"), [str(e.metrics.at_cap) for e in es]),
        (
            _("presentations per region"),
            [f"{e.metrics.presentations_min}–{e.metrics.presentations_max}" for e in es],
        ),
        (_("sessions"), [str(e.metrics.sessions) for e in es]),
    ]
    if any(e.metrics.themes_both_years is not None for e in es):
        out.append(
            (
                _("themes in last year's month"),
                [
                    "–"
                    if e.metrics.themes_both_years is None
                    else f"{e.metrics.themes_kept_month}/{e.metrics.themes_both_years}"
                    for e in es
                ],
            )
        )
    months = sorted({m for e in es for m in e.metrics.per_month})
    for month in months:
        out.append(
            (
                _("sessions {month}").format(month=month),
                [str(e.metrics.per_month.get(month, "–")) for e in es],
            )
        )
    # a scenario without a plan has no measures: a dash, not a misleading zero (but its status)
    out = [
        (
            label,
            [v if e.plan.found or row == 0 else "–" for v, e in zip(cells, es, strict=True)],
        )
        for row, (label, cells) in enumerate(out)
    ]
    out.append((_("solve time s"), [f"{e.metrics.wall_time:.1f}" for e in es]))
    if len(es) > 1:
        out.append(
            (
                _("vs {name}: moved").format(name=es[0].name),
                [_fmt(None if d is None else len(split_moves(d)[0])) for d in c.diffs],
            )
        )
        out.append(
            (
                _("presenters changed"),
                [_fmt(None if d is None else len(d.presenters)) for d in c.diffs],
            )
        )
        out.append(
            (
                _("added / removed"),
                ["–" if d is None else f"{len(d.added)} / {len(d.removed)}" for d in c.diffs],
            )
        )
    return out


def table(c: Comparison) -> str:
    """A plain-text table: one column per scenario, then the sessions that differ."""
    labels = [e.name for e in c.entries]
    body = rows(c)
    lw = max(len(label) for label, _ in body)
    widths = [max(len(labels[i]), *(len(cells[i]) for _, cells in body)) for i in range(len(labels))]
    lines = [" " * lw + "  " + "  ".join(n.rjust(w) for n, w in zip(labels, widths, strict=True))]
    for label, cells in body:
        lines.append(
            label.ljust(lw) + "  " + "  ".join(v.rjust(w) for v, w in zip(cells, widths, strict=True))
        )
    first = c.entries[0] if c.entries else None
    for e, d in zip(c.entries[1:], c.diffs[1:], strict=True):
        if d is None or d.empty or first is None:
            continue
        lines.append("")
        lines.append(_("{name} against {first}:").format(name=e.name, first=first.name))
        moved, retimed = split_moves(d)
        for m in moved:
            lines.append(
                "  "
                + _("moved      {session}: {was} → {now}").format(
                    session=m.session_id,
                    was=f"{m.from_start:%Y-%m-%d %H:%M}",
                    now=f"{m.to_start:%Y-%m-%d %H:%M}",
                )
            )
        for m in retimed:
            lines.append(
                "  "
                + _("retimed    {session}: ends {end} (not {was})").format(
                    session=m.session_id, end=f"{m.to_end:%H:%M}", was=f"{m.from_end:%H:%M}"
                )
            )
        for pc in d.presenters:
            change = " ".join([*("+" + a for a in pc.added), *("-" + r for r in pc.dropped)])
            lines.append(
                "  " + _("presenters {session}: {change}").format(session=pc.session_id, change=change)
            )
        for sid in d.added:
            lines.append("  " + _("only in {name}: {session}").format(name=e.name, session=sid))
        for sid in d.removed:
            lines.append("  " + _("only in {name}: {session}").format(name=first.name, session=sid))
    return "\n".join(lines)


def _diff_data(d: PlanDiff | None) -> dict[str, Any] | None:
    if d is None:
        return None
    moved, retimed = split_moves(d)
    return {
        "retimed": [m.session_id for m in retimed],
        "moved": [
            {
                "session": m.session_id,
                "from": m.from_start.isoformat(),
                "to": m.to_start.isoformat(),
            }
            for m in moved
        ],
        "presenters": [
            {"session": p.session_id, "added": list(p.added), "dropped": list(p.dropped)}
            for p in d.presenters
        ],
        "added": list(d.added),
        "removed": list(d.removed),
    }


def to_json(c: Comparison) -> str:
    """Every measure and every difference, one object per scenario."""
    data = [
        {"name": e.name, **asdict(e.metrics), "against_first": _diff_data(d)}
        for e, d in zip(c.entries, c.diffs, strict=True)
    ]
    return json.dumps(data, ensure_ascii=False, indent=2)


def flat(m: Metrics, months: Sequence[str] = ()) -> dict[str, Any]:
    """A measure as one flat row (months as ``sessions_YYYY-MM`` columns, terms as text)."""
    row = {k: v for k, v in asdict(m).items() if k not in ("per_month", "terms")}
    row["terms"] = " ".join(f"{k}={v}" for k, v in m.terms.items())
    for month in months:
        row[f"sessions_{month}"] = m.per_month.get(month, 0)
    return row


def to_csv(c: Comparison) -> str:
    """One row per scenario, months as columns, the difference counts at the end."""
    months = sorted({m for e in c.entries for m in e.metrics.per_month})
    buf = io.StringIO()
    out_rows = []
    for e, d in zip(c.entries, c.diffs, strict=True):
        row = {"name": e.name, **flat(e.metrics, months)}
        row["moved_vs_first"] = "" if d is None else len(split_moves(d)[0])
        row["presenters_changed_vs_first"] = "" if d is None else len(d.presenters)
        out_rows.append(row)
    if out_rows:
        writer = csv.DictWriter(buf, fieldnames=list(out_rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(out_rows)
    return buf.getvalue()


def name_of(path: str | Path) -> str:
    """A short column name for a scenario file."""
    return Path(path).stem


__all__ = [
    "Comparison",
    "Entry",
    "Metrics",
    "compare",
    "diffs_against_first",
    "flat",
    "measure",
    "name_of",
    "rows",
    "table",
    "to_csv",
    "to_json",
]
