"""The command line: a thin shell over the library that speaks plain English to planners.

Exit codes: 0 a plan was written (or the check passed), 1 no plan (infeasible, out of time)
or the check found broken rules, 2 bad input (one line naming file, field and problem).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import advice as advice_mod
from . import counting
from . import scenario as scenario_mod
from .api import solve
from .changes import ChangeWeights
from .check import check as run_check
from .commands import (
    EXIT_BAD_INPUT,
    EXIT_NO_PLAN,
    EXIT_OK,
    instance_of,
    last_year_option,
    output_option,
    solve_options,
    write_outputs,
)
from .commands import dtstamp as _dtstamp
from .commands import fail_input as _fail_input
from .commands import load_scenario as _load
from .commands import read_plan as _read_plan
from .commands.explain import COMMANDS as EXPLAIN_COMMANDS
from .commands.serve import serve as serve_command
from .commands.variants import COMMANDS as VARIANT_COMMANDS
from .commands.workbook import workbook
from .edited import read_plan_file
from .errors import ScenarioError, ScenarioWarning
from .exporters.report import ChromiumMissing, write_report
from .i18n import LANGUAGES, _, cli_day, ngettext, set_cli_language
from .options import SolveOptions, SolveStatus
from .plan import Plan
from .revision import carry_sequences


class _ProgressLine:
    """Prints solver progress on stderr: one rewritten line on a terminal, else a line per
    improvement."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.shown = False

    def __call__(self, p: Any) -> None:
        if not self.enabled:
            return
        if p.objective is None:
            bound = "" if p.bound is None else f", bound {p.bound:.0f}"
            text = f"  searching… {p.elapsed:5.1f}s, no plan yet{bound}"
        else:
            if p.bound is None:
                bound = "  bound not yet known"
            else:
                gap = abs(p.objective - p.bound) / max(1.0, abs(p.objective))
                bound = f"  bound {p.bound:.0f}, gap {100 * gap:.1f}%"
            text = f"  {p.elapsed:5.1f}s  best {p.objective:.0f}{bound}  ({p.solutions} plans)"
        if self.tty:
            click.echo("\r" + text.ljust(78), nl=False, err=True)
            self.shown = True
        elif p.solutions:
            click.echo(text, err=True)

    def done(self) -> None:
        if self.shown:
            click.echo("", err=True)


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
        pres = ", ".join(p.presenter for p in s.presentations)
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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="arshjul")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of these messages (default: Swedish when LC_ALL, LC_MESSAGES or LANG starts "
    "with sv, else English).  Calendars are in the scenario's own language.",
)
def main(lang: str | None) -> None:
    """Plan a year of strategic quick dialogs between an agency and Sweden's regions.

    \b
    Start with:
      arshjul plan                      plan the bundled Sweden 2027 scenario
      arshjul plan my-year.yaml -o out  plan your own scenario into folder out/
    """
    set_cli_language(lang)


@main.command()
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@output_option("Folder for the plan, calendars and report (default: out/<scenario id>).")
@solve_options(log=True)
@click.option("--quiet", is_flag=True, help="No progress line and no tables.")
@click.option(
    "--dtstamp", default=None, help="DTSTAMP for calendars (ISO date-time; default: publication date)."
)
@click.option(
    "--report/--no-report",
    default=True,
    show_default=True,
    help="Also write the wheel (wheel.svg), heatmap and report (report.html, report.md).",
)
@click.option(
    "--closures", is_flag=True, help="Mark holidays and blackouts as all-day free events in calendar.ics."
)
@click.option(
    "--invitations",
    is_flag=True,
    help="Also write Outlook meeting requests (METHOD:REQUEST/CANCEL) into invitations/.",
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False),
    default=None,
    help="The plan JSON sent out before: invitations raise SEQUENCE only for what changed.",
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
    last_year: str | None,
    same_month_weight: int,
) -> None:
    """Solve SCENARIO and write the plan, calendars and summary.

    With no SCENARIO the bundled Sweden 2027 scenario is planned.

    \b
    Example:
      arshjul plan scenarios/sweden-2027.yaml -o out/2027 --time-limit 30
    """
    sc, source = _load(scenario)
    inst = instance_of(sc, source)
    before = _read_plan(previous) if previous else None
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
            click.echo(
                _("No plan found within {seconds} s (status {status}). Try a longer --time-limit.").format(
                    seconds=f"{options.time_limit:g}", status=result.status
                ),
                err=True,
            )
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
    )
    _summary(result, echo)
    echo("")
    echo(
        ngettext(
            "Wrote {count} file to {out}/ (plan.json, calendar.ics, regions/*.ics, …)",
            "Wrote {count} files to {out}/ (plan.json, calendar.ics, regions/*.ics, …)",
            len(written),
        ).format(count=len(written), out=out)
    )


@main.command()
@click.argument("scenario")  # not click.Path: scenario.read_text refuses folders, pipes, NUL in one line
def validate(scenario: str) -> None:
    """Check a scenario file without solving it.

    \b
    Example:
      arshjul validate scenarios/sweden-2027.yaml
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScenarioWarning)
        sc, source = _load(scenario)
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    inst = instance_of(sc, source)
    for err in counting.problems(sc, inst)[:1]:
        _fail_input(err.located(source))
    dialogs = len(inst.dialogs())
    click.echo(
        f"{source}: valid — {len(inst.regions)} regions, {len(inst.hosts)} hosts, "
        f"{len(inst.themes)} themes, {len(inst.sessions)} sessions ({dialogs} dialogs)"
    )
    for advice in advice_mod.warnings(sc):
        click.echo(f"warning: {source}: {advice}")


# -- check: plan JSON or an edited calendar (.ics); see arshjul.edited --------------------
@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False))
@click.option(
    "--plan",
    "base_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="The plan JSON the edited PLAN came from: presenters for an .ics, and the proposed penalty.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(scenario: str, plan_file: str, base_file: str | None, as_json: bool) -> None:
    """Check PLAN against SCENARIO's hard rules and recompute its objective.

    PLAN is a plan JSON, or a master calendar (.ics) moved around in a calendar program and
    exported back.  For an .ics, presenters come from --plan when given, else from the
    running order in each dialog's description.  Exit code 0 when every hard rule holds,
    1 when some are broken.

    \b
    Examples:
      arshjul check scenarios/sweden-2027.yaml out/sweden-2027/plan.json
      arshjul check scenarios/sweden-2027.yaml edited.ics --plan out/sweden-2027/plan.json
    """
    sc, source = _load(scenario)
    inst = instance_of(sc, source)
    base = _read_plan(base_file) if base_file else None
    try:
        plan = read_plan_file(plan_file, inst, base=base)
    except ScenarioError as err:
        _fail_input(err)
    report = run_check(inst, plan)
    proposed = base.objective if base is not None else plan.objective
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": report.ok,
                    "objective": report.objective,
                    "proposed_objective": proposed,
                    "terms": report.weighted,
                    "violations": [
                        {
                            "rule": v.rule,
                            "subject": v.subject,
                            "message": v.message,
                            "sessions": list(v.sessions),
                            "regions": list(v.regions),
                        }
                        for v in report.violations
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for v in report.violations:
            click.echo(f"BROKEN {v}")
            touched = [f"sessions: {', '.join(v.sessions)}"] if v.sessions else []
            touched += [f"regions: {', '.join(v.regions)}"] if v.regions else []
            if touched:
                click.echo(f"       ({'; '.join(touched)})")
        verdict = "every hard rule holds" if report.ok else f"{len(report.violations)} broken rule(s)"
        click.echo(
            f"{plan_file}: {verdict}; penalty {report.objective} "
            f"({', '.join(f'{k} {v}' for k, v in report.weighted.items())})"
        )
        if proposed is not None:
            click.echo(f"proposed plan: penalty {proposed} (edited {report.objective - proposed:+d})")
    sys.exit(EXIT_OK if report.ok else EXIT_NO_PLAN)


# -- end of check ----------------------------------------------------------------------------


@main.command(name="report")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False))
@output_option("Folder for wheel.svg, heatmap.svg, report.html, report.md (default: beside PLAN).")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Draw a hand on the wheel at this date (e.g. the freeze date of a replan).",
)
@click.option("--png", is_flag=True, help="Also render wheel.png (needs Chromium).")
@click.option("--pdf", is_flag=True, help="Also print report.pdf on A4 (needs Chromium).")
def report_command(
    plan_file: str, output: str | None, today: dt.datetime | None, png: bool, pdf: bool
) -> None:
    """Rebuild the wheel, heatmap and report from a saved plan.

    \b
    Example:
      arshjul report out/sweden-2027/plan.json --today 2027-05-01
    """
    plan = _read_plan(plan_file)
    out = Path(output) if output else Path(plan_file).parent
    try:
        written = write_report(plan, out, today=today.date() if today else None, png=png, pdf=pdf)
    except ChromiumMissing as err:  # checked before anything is written
        click.echo(_("error: {problem}").format(problem=err), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except RuntimeError as err:  # Chromium failed to render the PNG or PDF
        click.echo(_("error: {problem}").format(problem=err), err=True)
        sys.exit(EXIT_NO_PLAN)
    click.echo(f"Wrote {', '.join(p.name for p in written)} to {out}/")


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion).

    \b
    Example:
      arshjul schema > arshjul-scenario.schema.json
    """
    click.echo(json.dumps(scenario_mod.json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option("--closed-only", is_flag=True, help="List only closed days and slots.")
@click.option("--region", default=None, help="List only the days this region is away or cannot present.")
def calendar(scenario: str | None, closed_only: bool, region: str | None) -> None:
    """Show which days and slots of the period are open, and why the others are closed.

    \b
    Example:
      arshjul calendar scenarios/sweden-2027.yaml --closed-only
    """
    sc, source = _load(scenario)
    inst = instance_of(sc, source)
    if region is not None:  # each day the region is out, and the file or field that says so
        try:
            click.echo("\n".join(inst.region_days(region)) or f"{region}: no days away")
        except ScenarioError as err:
            _fail_input(err.located(source))
        return
    per_day = len(inst.slots) // inst.n_days
    open_days = 0
    for day in range(inst.n_days):
        date = inst.date(day)
        reasons = [text for _, text in inst.closed_days.get(day, [])]
        away = sorted((r.name, r.unavailable[day]) for r in inst.regions.values() if day in r.unavailable)
        away_text = ""
        if away:
            kinds: dict[str, list[str]] = {}
            for name, why in away:
                kinds.setdefault(why.split(" (")[0], []).append(name)
            away_text = "; away: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in kinds.items())
        if reasons:
            click.echo(f"{date:%a %Y-%m-%d}  closed: {', '.join(reasons)}")
            continue
        slots = inst.slots[day * per_day : (day + 1) * per_day]
        shut = [
            f"{t.slot} ({inst.closed_slots[t.index][0][1]})" for t in slots if t.index in inst.closed_slots
        ]
        open_slots = [t.slot for t in slots if t.index not in inst.closed_slots]
        open_days += 1
        if shut:
            click.echo(
                f"{date:%a %Y-%m-%d}  open: {', '.join(open_slots)}; closed: {', '.join(shut)}{away_text}"
            )
        elif not closed_only or away_text:
            click.echo(f"{date:%a %Y-%m-%d}  open: {', '.join(open_slots)}{away_text}")
    click.echo(f"{open_days} open days of {inst.n_days} in {inst.period_start}..{inst.period_end}")


for _command in [*EXPLAIN_COMMANDS, *VARIANT_COMMANDS, workbook, serve_command]:  # arshjul.commands
    main.add_command(_command)


def run() -> None:
    """Entry point: Ctrl-C outside a solve ends quietly, never with a traceback."""
    try:
        main(standalone_mode=False)
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing was changed in the output folder.", err=True)
        sys.exit(130)
    except click.exceptions.Abort:
        click.echo("Interrupted; nothing was changed in the output folder.", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(EXIT_BAD_INPUT)


if __name__ == "__main__":  # pragma: no cover
    run()
