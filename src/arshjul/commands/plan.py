"""``arshjul plan``: solve a scenario and write the plan, calendars and report.

Moved here from :mod:`arshjul.cli` unchanged; it loads the solver (through :mod:`arshjul.api`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..api import solve
from ..changes import ChangeWeights
from ..cli import HelpCommand
from ..errors import ScenarioError
from ..exporters.ics.itip import check_previous, what_to_send
from ..i18n import N_, _, cli_day, ngettext
from ..options import SolveOptions, SolveStatus
from ..plan import Plan
from ..revision import carry_sequences
from . import (
    EXIT_NO_PLAN,
    Murmur,
    instance_of,
    last_year_option,
    no_plan_line,
    output_option,
    parse_dtstamp,
    solve_options,
    write_outputs,
)
from . import dtstamp as _dtstamp
from . import fail_input as _fail_input
from . import load_scenario as _load
from . import read_plan as _read_plan


class _ProgressLine:
    """Prints solver progress on stderr: one rewritten line on a terminal, else a line per
    improvement."""

    def __init__(self, enabled: bool) -> None:
        self.say = Murmur(enabled)
        self.tty = sys.stderr.isatty()
        self.shown = False

    def __call__(self, p: Any) -> None:
        if not self.say.enabled:
            return
        if p.objective is None:
            bound = "" if p.bound is None else ", " + _("bound {bound}").format(bound=f"{p.bound:.0f}")
            text = "  " + _("searching… {seconds}s, no plan yet").format(seconds=f"{p.elapsed:5.1f}") + bound
        else:
            if p.bound is None:
                bound = "  " + _("bound not yet known")
            else:
                gap = abs(p.objective - p.bound) / max(1.0, abs(p.objective))
                bound = "  " + _("bound {bound}, gap {gap}%").format(
                    bound=f"{p.bound:.0f}", gap=f"{100 * gap:.1f}"
                )
            best = _("{seconds}s  best {objective}").format(
                seconds=f"{p.elapsed:5.1f}", objective=f"{p.objective:.0f}"
            )
            plans = ngettext("({count} plan)", "({count} plans)", p.solutions).format(count=p.solutions)
            text = f"  {best}{bound}  {plans}"
        if self.tty:
            self.shown = self.say("\r" + text.ljust(78), nl=False)
        elif p.solutions:
            self.say(text)

    def done(self) -> None:
        if self.shown:
            self.say("")


def _summary(plan: Plan, echo: Callable[[str], None]) -> None:
    gap = plan.gap
    line = _("Status: {status}").format(status=plan.status)
    if plan.objective is not None:
        line += "   " + _("penalty {objective}").format(objective=plan.objective)
        if plan.bound is not None:
            line += " " + _("(bound {bound}, gap {gap}%)").format(
                bound=f"{plan.bound:.0f}", gap=f"{100 * (gap or 0):.1f}"
            )
    line += "   " + _("solved in {seconds}s").format(seconds=f"{plan.wall_time:.1f}")
    echo(line)
    if not plan.sessions:
        return
    echo("")
    date, time, kind, session, presenters = _("date"), _("time"), _("kind"), _("session"), _("presenters")
    echo(f"{date:<15} {time:<11} {kind:<9} {session:<46} {presenters}")
    for s in plan.sessions:
        # a region by its code, a group (whose id says little) by its name
        pres = ", ".join(p.presenter if len(p.regions) == 1 else p.name for p in s.presentations)
        title = s.title if len(s.title) <= 45 else s.title[:44] + "…"
        echo(f"{cli_day(s.date):<15} {s.start:%H:%M}–{s.end:%H:%M} {s.kind:<9} {title:<46} {pres}".rstrip())
    echo("")
    heads = [_("invitations"), _("worst {days}d").format(days=plan.window_days), _("cap"), _("presents")]
    w = [max(width, len(head)) for width, head in zip((11, 9, 4, 9), heads, strict=True)]
    region = _("region")
    echo(f"{region:<30} " + " ".join(f"{head:>{width}}" for head, width in zip(heads, w, strict=True)))
    for load in plan.load():
        cap = plan.window_max.get(load.code)
        mark = " " + _("at cap") if cap is not None and load.worst_window >= cap else ""
        echo(
            f"{load.name[:30]:<30} {load.invitations:>{w[0]}} {load.worst_window:>{w[1]}} "
            f"{'' if cap is None else cap:>{w[2]}} {load.presentations:>{w[3]}}{mark}"
        )
    if plan.terms:
        echo("")
        echo(_("Penalty by rule: {terms}").format(terms=", ".join(f"{k} {v}" for k, v in plan.terms.items())))


@click.command(
    cls=HelpCommand,
    help=N_("""Solve SCENARIO and write the plan, calendars and summary.

    With no SCENARIO the bundled Sweden 2027 scenario is planned.

    \b
    Example:
      arshjul plan scenarios/sweden-2027.yaml -o out/2027 --time-limit 30
    """),
)
@click.argument("scenario", required=False)  # read_text refuses folders, pipes, NUL in one line
@output_option(N_("Folder for the plan, calendars and report (default: out/<scenario id>)."))
@solve_options(log=True)
@click.option("--quiet", is_flag=True, help=N_("No progress line and no tables."))
@click.option(
    "--dtstamp", default=None, help=N_("DTSTAMP for calendars (ISO date-time; default: publication date).")
)
@click.option(
    "--report/--no-report",
    default=True,
    show_default=True,
    help=N_("Also write the wheel (wheel.svg), heatmap and report (report.html, report.md)."),
)
@click.option(
    "--closures", is_flag=True, help=N_("Mark holidays and blackouts as all-day free events in calendar.ics.")
)
@click.option(
    "--invitations",
    is_flag=True,
    help=N_("Also write Outlook meeting requests (METHOD:REQUEST/CANCEL) into invitations/."),
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False),
    default=None,
    help=N_(
        "The plan JSON sent out before: invitations raise SEQUENCE only for what changed. "
        "Plans the whole year anew, so needs --allow-moves; to keep what was sent, use 'arshjul replan'."
    ),
)
@click.option(
    "--allow-moves",
    is_flag=True,
    help=N_("With --previous: plan the whole year anew even though sessions already sent may move."),
)
@last_year_option
def plan(
    scenario: str | None,
    output: str | None,
    options: SolveOptions,
    quiet: bool,
    dtstamp: str | None,
    report: bool,
    closures: bool,
    invitations: bool,
    previous: str | None,
    allow_moves: bool,
    last_year: str | None,
    same_month_weight: int,
) -> None:
    if previous and not allow_moves:
        _fail_input(
            ScenarioError(
                "plans the whole year anew and may move sessions already sent; use "
                f"'arshjul replan {scenario or '<scenario>'} --previous {previous} --frozen-until DATE' "
                "to keep them (or add --allow-moves)",
                field="--previous",
            )
        )
    if dtstamp:
        parse_dtstamp(dtstamp)  # a bad --dtstamp is bad input before, not after, the solve
    sc, source = _load(scenario)
    inst = instance_of(sc, source)
    before = _read_plan(previous) if previous else None
    if before is not None and before.scenario_id != sc.id:
        _fail_input(
            ScenarioError(
                f"is a plan of scenario '{before.scenario_id}', not of '{sc.id}' ({source})",
                source=previous,
                field="scenario_id",
            )
        )
    if before is not None:
        ids = [s.id for s in before.sessions]
        twice = next((k for k, sid in enumerate(ids) if sid in ids[:k]), None)
        if twice is not None:  # one UID, two meetings: which one was sent?
            _fail_input(
                ScenarioError(
                    f"session '{ids[twice]}' is listed twice", source=previous, field=f"sessions[{twice}]"
                )
            )
    if invitations and before is not None:
        try:  # a cancellation may need any of the previous plan's addresses
            check_previous(
                before,
                {h.id: h.email for h in sc.hosts if h.email},
                {r.code: r.contact for r in sc.regions if r.contact},
            )
        except ScenarioError as err:
            _fail_input(err.located(str(previous)))
    if invitations:
        missing = [h.id for h in sc.hosts if not h.email]
        if missing:
            k = [h.id for h in sc.hosts].index(missing[0])
            _fail_input(
                ScenarioError(
                    "an e-mail is needed to send invitations", source=source, field=f"hosts[{k}].email"
                )
            )
    out = Path(output) if output else Path("out") / sc.id
    echo = (lambda _text: None) if quiet else click.echo
    sessions = ngettext("{count} session", "{count} sessions", len(inst.sessions)).format(
        count=len(inst.sessions)
    )
    regions = ngettext("{count} region", "{count} regions", len(inst.regions)).format(count=len(inst.regions))
    echo(
        _("Planning '{name}' ({source}): {sessions}, {regions}").format(
            name=sc.name, source=source, sessions=sessions, regions=regions
        )
    )
    progress = _ProgressLine(enabled=not quiet)
    watch = progress if not quiet else None  # no progress wanted: no solver log to read
    result = solve(
        inst,
        options,
        progress=watch,
        last_year=_read_plan(last_year) if last_year else None,
        weights=ChangeWeights(same_month=same_month_weight),
    )
    progress.done()
    if not result.found:
        if result.status == SolveStatus.INFEASIBLE:
            click.echo(
                _(
                    "No plan: the scenario's hard rules cannot all hold. "
                    "Run 'arshjul explain {source}' to see which rules collide."
                ).format(source=source),
                err=True,
            )
        elif result.interrupted:
            click.echo(_("Interrupted before any plan was found; nothing was written."), err=True)
        else:
            click.echo(no_plan_line(result.status, options.time_limit, source), err=True)
        sys.exit(EXIT_NO_PLAN)
    if before is not None:
        result = carry_sequences(result, before)
    if result.interrupted:
        click.echo(_("Interrupted: keeping the best plan found so far."), err=True)
    elif result.stalled:
        click.echo(
            _("Stopped: the plan had not improved for {seconds} s.").format(seconds=f"{options.stall:g}"),
            err=True,
        )
    written = write_outputs(
        result,
        out,
        dtstamp=_dtstamp(dtstamp, result),
        report=report,
        closures=closures,
        invitations=invitations,
        previous=before,
        inputs=[Path(source), *(Path(f) for f in (previous, last_year) if f)],
    )
    _summary(result, echo)
    echo("")
    click.echo(
        ngettext(
            "Wrote {count} file to {out}/ (plan.json, calendar.ics, regions/*.ics, …)",
            "Wrote {count} files to {out}/ (plan.json, calendar.ics, regions/*.ics, …)",
            len(written),
        ).format(count=len(written), out=out)
    )
    if invitations:
        click.echo(_invitations_line(result, before, previous))


def _invitations_line(plan: Plan, before: Plan | None, previous: str | None) -> str:
    """What ``invitations/`` holds: only what changed since the plan sent before, so the
    planner knows how many meetings to send (and that none need sending)."""
    sending = what_to_send(plan, before)
    if sending.nothing and before is not None:
        return _("invitations/: nothing changed since {previous}; no invitation was written").format(
            previous=previous
        )
    return _("invitations/: {moved} moved, {changed} changed, {new} new, {cancelled} cancelled").format(
        moved=len(sending.moved),
        changed=len(sending.changed),
        new=len(sending.new),
        cancelled=len(sending.cancelled),
    )
