"""``arshjul compare``, ``arshjul sweep`` and ``arshjul replan``: alternatives and mid-year changes.

A thin shell over :mod:`arshjul.compare`, :mod:`arshjul.sweep` and :mod:`arshjul.replan`.
Exit codes as elsewhere: 0 done, 1 no plan (replan) or an interrupted sweep, 2 bad input
(one line naming file, field and problem).  Registered in ``arshjul.cli`` with
``main.add_command``.

What the commands say comes through the message catalogues (``--lang``, as ``plan``'s
does); the tables and change reports the library builds (:mod:`arshjul.compare`,
:mod:`arshjul.replan_report`) and the files written stay as they are.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
from babel.numbers import format_decimal

from .. import compare as cmp
from .. import sweep as sw
from ..changes import ChangeWeights
from ..check import check
from ..cli import HelpCommand
from ..errors import ScenarioError
from ..exporters.ics import write_invitations
from ..fileio import os_reason, write_atomic
from ..i18n import N_, _, cli_language, ngettext, speaking
from ..options import SolveOptions, SolveStatus
from ..plan import Plan
from ..replan import replan as run_replan
from ..replan_report import conflict_lines, report_data, report_lines
from ..scenario import read_availability
from ..variants import resolve, validate
from . import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_NO_PLAN,
    Murmur,
    last_year_option,
    load_scenario,
    no_plan_line,
    output_option,
    parse_dtstamp,
    read_plan,
    solve_options,
    write_outputs,
)
from . import dtstamp as _dtstamp
from . import fail_input as _fail_input
from . import instance_of as _instance
from .plan import _invitations_line


def _load(path: str) -> Any:
    return load_scenario(path)[0]


def _read_plan(path: str | None) -> Plan | None:
    return None if path is None else read_plan(path)


# -- compare ---------------------------------------------------------------------------------------


MANY_VARIANTS = 1000
"""A sweep larger than this needs ``--yes``: 10,000 variants can run for days."""


@click.command(
    cls=HelpCommand,
    help=N_("""Solve each SCENARIO and compare the plans in one table.

    Shows status, objective and bound, coverage (regions that present at least once), the
    worst rolling-window invitations (and regions at their cap), presentations per region,
    sessions per month and solve time, then which sessions moved or changed presenters
    against the first scenario.

    \b
    Example:
      arshjul compare scenarios/sweden-2027.yaml scenarios/variant-tight-cap.yaml --time-limit 30
    """),
)
@click.argument("scenarios", nargs=-1, required=True)  # read_text refuses folders, pipes, NUL in one line
@solve_options()
@last_year_option
@click.option("--json", "as_json", is_flag=True, help=N_("Print every measure and difference as JSON."))
@click.option("--csv", "as_csv", is_flag=True, help=N_("Print one CSV row per scenario."))
def compare(
    scenarios: tuple[str, ...],
    options: SolveOptions,
    last_year: str | None,
    same_month_weight: int,
    as_json: bool,
    as_csv: bool,
) -> None:
    if as_json and as_csv:
        _fail_input(ScenarioError(_("give --json or --csv, not both"), field="--json/--csv"))
    loaded = [(path, _load(path)) for path in scenarios]
    instances = [_instance(sc, path) for path, sc in loaded]
    previous = _read_plan(last_year)
    stems = [cmp.name_of(p) for p in scenarios]
    names = stems if len(set(stems)) == len(stems) else list(scenarios)

    say = Murmur()

    def progress(name: str, plan: Plan) -> None:
        what = _("penalty {objective}").format(objective=plan.objective) if plan.found else _("no plan")
        # TRANSLATORS: one scenario of a comparison solved: "  tight: OPTIMAL, penalty 40 in 3.2s"
        line = _("{name}: {status}, {what} in {seconds}s").format(
            name=name, status=plan.status, what=what, seconds=f"{plan.wall_time:.1f}"
        )
        say(f"  {line}")

    result = cmp.compare(
        list(zip(names, instances, strict=True)),
        options,
        last_year=previous,
        weights=ChangeWeights(same_month=same_month_weight),
        progress=progress,
    )
    if as_json:
        click.echo(cmp.to_json(result))
    elif as_csv:
        click.echo(cmp.to_csv(result), nl=False)
    else:
        click.echo(cmp.table(result))


# -- sweep --------------------------------------------------------------------------------


@click.command(
    cls=HelpCommand,
    help=N_("""Solve many variants of BASE in parallel and write a results table.

    Rows are appended to results.csv and results.jsonl as variants finish, so an
    interrupted sweep keeps what finished; a variant with bad input or no plan in time says
    so in its status column.

    \b
    Examples:
      arshjul sweep base.yaml --vary limits.window_max=3,4,5 --vary weights.coverage=20,40
      arshjul sweep scenarios/sweden-2027.yaml --variants what-if.yaml --cluster tcp://scheduler:8786
    """),
)
@click.argument("base")  # read_text refuses folders, pipes, NUL in one line
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="PATH=V1,V2,…",
    help=N_("A field and its values; several --vary make a grid (e.g. limits.window_max=2,3,4)."),
)
@click.option(
    "--variants",
    "variants_file",
    type=click.Path(dir_okay=False),
    default=None,
    help=N_("YAML list of named change sets: [{name: …, set: {PATH: VALUE}}]."),
)
@output_option(N_("Folder for results.csv and results.jsonl (default: out/sweep-<scenario id>)."))
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=1024),
    default=None,
    help=N_("Variants solved at once locally (default: the number of cores)."),
)
@click.option(
    "--cluster",
    default=None,
    metavar="ADDRESS",
    help=N_("Run on an existing Dask distributed scheduler, e.g. tcp://10.0.0.5:8786."),
)
@click.option("--yes", is_flag=True, help=f"Run more than {MANY_VARIANTS:,} variants without asking.")
@solve_options(time_limit=sw.DEFAULT_OPTIONS.time_limit, per="variant")
@last_year_option
def sweep(
    base: str,
    varies: tuple[str, ...],
    variants_file: str | None,
    output: str | None,
    jobs: int | None,
    cluster: str | None,
    yes: bool,
    options: SolveOptions,
    last_year: str | None,
    same_month_weight: int,
) -> None:
    if varies and variants_file:
        _fail_input(ScenarioError(_("give --vary or --variants, not both"), field="--vary/--variants"))
    try:
        data, origin = resolve(base)
        # the regions' availability files are read here, beside the scenario that names them
        sc = read_availability(validate(data, origin), base, (data, origin))
    except ScenarioError as err:
        _fail_input(err)
    _instance(sc, base)
    try:
        variants = (
            sw.read_variants(Path(variants_file))
            if variants_file
            else sw.grid([sw.parse_vary(v) for v in varies])
        )
    except ScenarioError as err:
        _fail_input(err)
    previous = _read_plan(last_year)
    out = Path(output) if output else Path("out") / f"sweep-{sc.id}"
    if len(variants) > MANY_VARIANTS and not yes:
        _fail_input(
            ScenarioError(
                _("{count} variants would be solved (more than {most}); add --yes to run them all").format(
                    count=len(variants), most=format_decimal(MANY_VARIANTS, locale=cli_language())
                ),
                field="--vary/--variants",
            )
        )
    if cluster:
        where = _("cluster {address}").format(address=cluster)
    elif jobs:
        where = ngettext("{count} local process", "{count} local processes", jobs).format(count=jobs)
    else:
        where = _("all local processes")
    click.echo(
        ngettext(
            "Sweeping {count} variant of '{name}' on {where}, {seconds} s each",
            "Sweeping {count} variants of '{name}' on {where}, {seconds} s each",
            len(variants),
        ).format(count=len(variants), name=sc.name, where=where, seconds=f"{options.time_limit:g}"),
        err=True,
    )

    say = Murmur()

    def progress(row: dict[str, Any], done: int, total: int) -> None:
        objective = (
            ""
            if row.get("objective") is None
            else " " + _("penalty {objective}").format(objective=row["objective"])
        )
        message = f" — {row['message']}" if row.get("message") else ""
        say(
            f"  [{done}/{total}] {row['status']:<10}{objective:<14} {row['variant']} "
            f"({row.get('wall_time') or 0:.1f}s){message}"
        )

    try:
        result = sw.sweep(
            sc,
            variants,
            out,
            options,
            jobs=jobs,
            cluster=cluster,
            last_year=previous,
            same_month_weight=same_month_weight,
            progress=progress,
        )
    except ScenarioError as err:
        _fail_input(err)
    except OSError as err:  # an unreachable scheduler, or the results folder
        if cluster:
            _fail_input(
                ScenarioError(_("cannot reach the cluster: {problem}").format(problem=err), field="--cluster")
            )
        _fail_input(
            ScenarioError(
                _("cannot write the results: {problem}").format(problem=os_reason(err, _)), source=str(out)
            )
        )
    counts: dict[str, int] = {}
    for row in result.rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    click.echo(
        ngettext(
            "{done} of {count} variant finished: {summary}",
            "{done} of {count} variants finished: {summary}",
            len(variants),
        ).format(done=len(result.rows), count=len(variants), summary=summary)
    )
    click.echo(_("Results: {csv} and {jsonl}").format(csv=result.csv_path, jsonl=result.jsonl_path))
    if result.interrupted:
        click.echo(_("Interrupted: the files hold the variants that finished."), err=True)
        sys.exit(EXIT_INTERRUPTED)
    if result.rows and all(row["status"] == sw.BAD_INPUT for row in result.rows):
        first = _("every variant is bad input; the first: {message}").format(
            message=result.rows[0]["message"]
        )
        click.echo(_("error: {problem}").format(problem=first), err=True)
        sys.exit(EXIT_BAD_INPUT)


# -- replan -------------------------------------------------------------------------------


@click.command(
    cls=HelpCommand,
    help=N_(
        """\
    Replan the rest of the year, keeping what was sent, with as few changes as possible.

    Every session of the previous plan before --frozen-until, and every --pin, keeps its
    date, slot and presenters.  The rest is solved again with extra penalties for moving a
    session and for changing presenters.  Writes the new plan, calendars, changes.txt (what
    each region's contact must be told) and changes.json.

    \b
    Example:
      arshjul replan scenarios/replan-may-2027.yaml --previous out/sweden-2027/plan.json \\
          --frozen-until 2027-04-01 -o out/replan --invitations
    """
    ),
)
@click.argument("scenario")  # read_text refuses folders, pipes, NUL in one line
@click.option(
    "--previous",
    "previous_file",
    required=True,
    type=click.Path(dir_okay=False),
    help=N_("The plan.json whose invitations were sent."),
)
@click.option(
    "--frozen-until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help=N_("Sessions of the previous plan before this date stay exactly as they were."),
)
@click.option(
    "--pin",
    "pins",
    multiple=True,
    metavar="SESSION_ID",
    help=N_("Also keep this session exactly as it was (repeatable)."),
)
@output_option(N_("Folder for the new plan, calendars and change report (default: out/<id>-replan)."))
@click.option(
    "--invitations",
    is_flag=True,
    help=N_("Write iTIP REQUEST/CANCEL (same UIDs, raised SEQUENCE) to <output>/invitations."),
)
@click.option(
    "--moved-weight",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help=N_("Penalty per session not in its previous slot."),
)
@click.option(
    "--presenters-weight",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help=N_("Penalty per presenter added to or dropped from a dialog."),
)
@last_year_option
@solve_options()
@click.option(
    "--dtstamp",
    default=None,
    help=N_("DTSTAMP for calendars (ISO date-time; default: publication date)."),
)
@click.option("--quiet", is_flag=True, help=N_("Only the one-line outcome."))
def replan(
    scenario: str,
    previous_file: str,
    frozen_until: dt.datetime | None,
    pins: tuple[str, ...],
    output: str | None,
    invitations: bool,
    moved_weight: int,
    presenters_weight: int,
    last_year: str | None,
    same_month_weight: int,
    options: SolveOptions,
    dtstamp: str | None,
    quiet: bool,
) -> None:
    if dtstamp:
        parse_dtstamp(dtstamp)  # a bad --dtstamp is bad input before, not after, the solve
    sc = _load(scenario)
    inst = _instance(sc, scenario)
    previous = _read_plan(previous_file)
    assert previous is not None
    if previous.scenario_id != sc.id:
        _fail_input(
            ScenarioError(
                _("is a plan of scenario '{plan}', not of '{scenario}' ({source})").format(
                    plan=previous.scenario_id, scenario=sc.id, source=scenario
                ),
                source=previous_file,
                field="scenario_id",
            )
        )
    before = _read_plan(last_year)
    weights = ChangeWeights(
        moved=moved_weight, presenters_changed=presenters_weight, same_month=same_month_weight
    )
    echo = (lambda _t: None) if quiet else click.echo
    try:
        result = run_replan(
            inst,
            previous,
            options,
            frozen_until=frozen_until.date() if frozen_until else None,
            pins=pins,
            last_year=before,
            weights=weights,
        )
    except ScenarioError as err:
        _fail_input(err)
    plan = result.plan
    if not plan.found:
        for line in report_lines(result):
            click.echo(line, err=True)
        if plan.status == SolveStatus.INFEASIBLE:
            for line in conflict_lines(result):
                click.echo(line, err=True)
        else:
            click.echo(no_plan_line(plan.status, options.time_limit, scenario), err=True)
        sys.exit(EXIT_NO_PLAN)
    report = check(result.instance, plan)
    if not report.ok:  # pragma: no cover - the model and the checker agree
        for v in report.violations:
            click.echo(_("BROKEN {violation}").format(violation=v), err=True)
    out = Path(output) if output else Path("out") / f"{sc.id}-replan"
    stamp = _dtstamp(dtstamp, plan)
    # changes.txt is what is printed, in the command line's language (the planner's copy);
    # changes.json is data for scripts: always English, whatever the terminal speaks
    lines = report_lines(result)
    with speaking("en"):
        data = report_data(result)

    def change_report(stage: Path) -> list[Path]:
        files = [
            write_atomic(stage / "changes.txt", "\n".join(lines) + "\n"),
            write_atomic(stage / "changes.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n"),
        ]
        if invitations:
            files.extend(write_invitations(plan, previous, stage / "invitations", dtstamp=stamp))
        return files

    inputs = [Path(f) for f in (scenario, previous_file, last_year) if f]
    try:
        written = write_outputs(plan, out, dtstamp=stamp, inputs=inputs, extra=change_report)
    except ScenarioError as err:
        _fail_input(err)
    terms = ", ".join(f"{k} {v}" for k, v in plan.terms.items())
    click.echo(
        _("Status: {status}").format(status=plan.status)
        + "   "
        + _("penalty {objective}").format(objective=plan.objective)
        + f" ({terms})   "
        + _("solved in {seconds}s").format(seconds=f"{plan.wall_time:.1f}")
    )
    for line in lines:
        echo(line)
    echo("")
    # invitations/ is named only when something was written into it, as plan says
    sent = any(out / "invitations" in p.parents for p in written)
    files = "plan.json, changes.txt, changes.json, " + _("calendars") + (", invitations/" if sent else "")
    click.echo(
        ngettext(
            "Wrote {count} file to {out}/ ({files})", "Wrote {count} files to {out}/ ({files})", len(written)
        ).format(count=len(written), out=out, files=files)
    )
    if invitations:
        click.echo(_invitations_line(plan, previous, previous_file))


COMMANDS = [compare, sweep, replan]
"""Register with ``for c in COMMANDS: main.add_command(c)``."""

__all__ = ["COMMANDS", "compare", "last_year_option", "replan", "sweep"]
