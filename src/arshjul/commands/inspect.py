"""``arshjul validate``, ``check``, ``report``, ``schema`` and ``calendar``: the commands
that read a scenario or a plan and never solve (so they never load OR-Tools).

What they print comes through the message catalogues (:func:`arshjul.i18n._`), as
``plan``'s does: English by default, Swedish with ``--lang sv`` or a Swedish locale.  The
problems and reasons the library words (a broken rule, a closed day's reason) stay English.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
import sys
import warnings
from contextlib import closing
from pathlib import Path

import click

from .. import advice as advice_mod
from .. import counting
from .. import scenario as scenario_mod
from ..check import check as run_check
from ..cli import HelpCommand
from ..edited import read_plan_file
from ..errors import ScenarioError, ScenarioWarning
from ..exporters.report import ChromiumMissing, write_report
from ..fileio import OWN, OutputFolderError, staged
from ..followup_results import Results, tally
from ..i18n import N_, _, cli_day, every_translation, ngettext
from ..plan import Plan
from . import (
    EXIT_BAD_INPUT,
    EXIT_NO_PLAN,
    EXIT_OK,
    fail_output,
    instance_of,
    output_option,
)
from . import fail_input as _fail_input
from . import load_scenario as _load
from . import read_plan as _read_plan


@click.command(
    cls=HelpCommand,
    help=N_("""Check a scenario file without solving it.

    \b
    Example:
      arshjul validate scenarios/sweden-2027.yaml
    """),
)
@click.argument("scenario")  # read_text refuses folders, pipes, NUL in one line
def validate(scenario: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScenarioWarning)
        sc, source = _load(scenario)
    for warning in caught:
        click.echo(_("warning: {problem}").format(problem=warning.message), err=True)
    inst = instance_of(sc, source)
    for err in counting.problems(sc, inst)[:1]:
        _fail_input(err.located(source))
    counts = ", ".join(
        [
            ngettext("{count} region", "{count} regions", len(inst.regions)).format(count=len(inst.regions)),
            ngettext("{count} host", "{count} hosts", len(inst.hosts)).format(count=len(inst.hosts)),
            ngettext("{count} theme", "{count} themes", len(inst.themes)).format(count=len(inst.themes)),
            ngettext("{count} session", "{count} sessions", len(inst.sessions)).format(
                count=len(inst.sessions)
            ),
        ]
    )
    dialogs = ngettext("{count} dialog", "{count} dialogs", len(inst.dialogs())).format(
        count=len(inst.dialogs())
    )
    # TRANSLATORS: "year.yaml: valid — 21 regions, 1 host, 12 themes, 26 sessions (24 dialogs)"
    click.echo(
        _("{source}: valid — {counts} ({dialogs})").format(source=source, counts=counts, dialogs=dialogs)
    )
    for advice in advice_mod.warnings(sc):
        click.echo(_("warning: {problem}").format(problem=f"{source}: {advice}"))


# -- check: plan JSON or an edited calendar (.ics); see arshjul.edited --------------------
@click.command(
    cls=HelpCommand,
    help=N_(
        """\
    Check PLAN against SCENARIO's hard rules and recompute its objective.

    PLAN is a plan JSON, or a master calendar (.ics) moved around in a calendar program and
    exported back.  For an .ics, presenters come from --plan when given, else from the
    running order in each dialog's description.  Exit code 0 when every hard rule holds,
    1 when some are broken.

    \b
    Examples:
      arshjul check scenarios/sweden-2027.yaml out/sweden-2027/plan.json
      arshjul check scenarios/sweden-2027.yaml edited.ics --plan out/sweden-2027/plan.json
    """
    ),
)
@click.argument("scenario")  # read_text refuses folders, pipes, NUL in one line
@click.argument("plan_file", metavar="PLAN")  # read_text refuses folders, pipes, NUL in one line
@click.option(
    "--plan",
    "base_file",
    type=click.Path(dir_okay=False),
    default=None,
    help=N_("The plan JSON the edited PLAN came from: presenters for an .ics, and the proposed penalty."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the result as JSON."))
def check(scenario: str, plan_file: str, base_file: str | None, as_json: bool) -> None:
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
            # TRANSLATORS: a hard rule the plan breaks, then the checker's own (English) words
            click.echo(_("BROKEN {violation}").format(violation=v))
            touched = [_("sessions: {ids}").format(ids=", ".join(v.sessions))] if v.sessions else []
            touched += [_("regions: {codes}").format(codes=", ".join(v.regions))] if v.regions else []
            if touched:
                click.echo(f"       ({'; '.join(touched)})")
        n = len(report.violations)
        verdict = (
            _("every hard rule holds")
            if report.ok
            else ngettext("{count} broken rule", "{count} broken rules", n).format(count=n)
        )
        terms = ", ".join(f"{k} {v}" for k, v in report.weighted.items())
        click.echo(
            _("{plan}: {verdict}; penalty {objective} ({terms})").format(
                plan=plan_file, verdict=verdict, objective=report.objective, terms=terms
            )
        )
        if proposed is not None:
            click.echo(
                _("proposed plan: penalty {objective} (edited {change})").format(
                    objective=proposed, change=f"{report.objective - proposed:+d}"
                )
            )
    sys.exit(EXIT_OK if report.ok else EXIT_NO_PLAN)


# -- end of check ----------------------------------------------------------------------------


@click.command(
    name="report",
    cls=HelpCommand,
    help=N_(
        """\
    Rebuild the wheel, heatmap and report from a saved plan.

    \b
    Example:
      arshjul report out/sweden-2027/plan.json --today 2027-05-01
      arshjul report out/sweden-2027/plan.json --followup ws-2027
    """
    ),
)
@click.argument("plan_file", metavar="PLAN")  # read_text refuses folders, pipes, NUL in one line
@output_option(N_("Folder for wheel.svg, heatmap.svg, report.html, report.md (default: beside PLAN)."))
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help=N_("Draw a hand on the wheel at this date (e.g. the freeze date of a replan)."),
)
@click.option("--png", is_flag=True, help=N_("Also render wheel.png (needs Chromium)."))
@click.option("--pdf", is_flag=True, help=N_("Also print report.pdf on A4 (needs Chromium)."))
@click.option(
    "--followup",
    metavar="WORKSPACE",
    default=None,
    help=N_(
        "Add the results of the dialogs (held before --today, else today; followed up; actions "
        "open and done) from this workspace folder or its arshjul.db."
    ),
)
def report_command(
    plan_file: str,
    output: str | None,
    today: dt.datetime | None,
    png: bool,
    pdf: bool,
    followup: str | None,
) -> None:
    plan = _read_plan(plan_file)
    out = Path(output) if output else Path(plan_file).parent
    day = today.date() if today else None
    results = _followup_results(plan, followup, day or dt.date.today()) if followup else None
    try:
        if (out / OWN).is_dir() or not out.exists() or not any(out.iterdir()):
            # arshjul's folder (or a new one): a new version of the set, the rest carried over
            with staged(out, carry=True) as stage:
                written = [
                    out / p.relative_to(stage)
                    for p in write_report(plan, stage, today=day, png=png, pdf=pdf, results=results)
                ]
        else:  # a folder of the planner's own: the report's files beside the plan, each whole
            written = write_report(plan, out, today=day, png=png, pdf=pdf, results=results)
    except ChromiumMissing as err:  # checked before anything is written
        click.echo(_("error: {problem}").format(problem=err), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except RuntimeError as err:  # Chromium failed to render the PNG or PDF
        click.echo(_("error: {problem}").format(problem=err), err=True)
        sys.exit(EXIT_NO_PLAN)
    except (OutputFolderError, OSError) as err:
        fail_output(out, err)
    click.echo(_("Wrote {files} to {out}/").format(files=", ".join(p.name for p in written), out=out))


WORKSPACE_DB = "arshjul.db"
"""The workspace's embedded database file (``arshjul.store.DB_FILE``; a test keeps them equal)."""


def _followup_results(plan: Plan, where: str, day: dt.date) -> Results:
    """The follow-up recorded in a workspace's SQLite file, read-only with the standard
    library: the store's SQLAlchemy and Alembic would add seconds to the start of every
    command of this module, and a report must not migrate (or create) a database.  Only
    the two columns the results count are read (``arshjul.store.models``: the outcomes' and
    actions' ``session_id``, the actions' ``done``).  Exit 2 with one line when it is none."""
    path = Path(where)
    db = path / WORKSPACE_DB if path.is_dir() else path
    if not db.is_file():
        click.echo(
            _(
                "error: {file}: no arshjul database there (give the workspace folder that "
                "'arshjul serve' uses, or its arshjul.db)"
            ).format(file=db),
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
    try:
        with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as con:
            outcomes = {str(r[0]) for r in con.execute("SELECT session_id FROM dialog_outcomes")}
            actions = [
                (str(r[0]), bool(r[1])) for r in con.execute("SELECT session_id, done FROM dialog_actions")
            ]
    except sqlite3.Error as err:
        problem = " ".join(str(err).split())
        click.echo(
            _("error: {file}: not an arshjul database ({problem})").format(file=db, problem=problem),
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
    return tally(plan, outcomes, actions, day)


@click.command(
    cls=HelpCommand,
    help=N_(
        """\
    Print the JSON Schema of scenario files (for editor autocompletion).

    \b
    Example:
      arshjul schema > arshjul-scenario.schema.json
    """
    ),
)
def schema() -> None:
    click.echo(json.dumps(scenario_mod.json_schema(), ensure_ascii=False, indent=2))


def _away_group(line: str, who: list[tuple[str, str]]) -> str:
    """One kind of absence on a day, its regions grouped by reason: ``away: Region Skåne``
    (a day with no name), ``cannot present: sportlov: Region Dalarna, Region Gotland``.
    Away (not invited) and cannot present (invited, may listen) are never mixed: they count
    differently against the caps."""
    if not who:
        return ""
    kinds: dict[str, list[str]] = {}
    for name, why in who:
        kinds.setdefault(_reason_kind(why), []).append(name)
    return line.format(
        regions="; ".join(f"{k}: {', '.join(v)}" if k else ", ".join(v) for k, v in kinds.items())
    )


@functools.cache
def _bare_reasons() -> frozenset[str]:
    """The words a reason with no name of its own is, in every shipped language: ``away``,
    ``borta``, ``cannot present``, ``kan inte presentera`` (the line already says them)."""
    return frozenset(
        m.format(period="").strip()
        for message in ("away {period}", "cannot present {period}")
        for m in every_translation(message)
    )


def _reason_kind(why: str) -> str:
    """``sportlov`` of ``sportlov (week 9)``; nothing of ``away (2027-03-03)`` or ``cannot
    present (…)``, whose word the line already says."""
    kind = why.split(" (")[0].strip()
    return "" if kind in _bare_reasons() else kind


@click.command(
    cls=HelpCommand,
    help=N_(
        """\
    Show which days and slots of the period are open, and why the others are closed.

    \b
    Example:
      arshjul calendar scenarios/sweden-2027.yaml --closed-only
    """
    ),
)
@click.argument("scenario", required=False)  # read_text refuses folders, pipes, NUL in one line
@click.option("--closed-only", is_flag=True, help=N_("List only closed days and slots."))
@click.option("--region", default=None, help=N_("List only the days this region is away or cannot present."))
def calendar(scenario: str | None, closed_only: bool, region: str | None) -> None:
    sc, source = _load(scenario)
    inst = instance_of(sc, source)
    if region is not None:  # each day the region is out, and the file or field that says so
        try:
            click.echo(
                "\n".join(inst.region_days(region)) or _("{region}: no days away").format(region=region)
            )
        except ScenarioError as err:
            _fail_input(err.located(source))
        return
    per_day = len(inst.slots) // inst.n_days
    open_days = 0
    regions = list(inst.regions.values())
    for day in range(inst.n_days):
        date = inst.date(day)
        reasons = [text for _, text in inst.closed_days.get(day, [])]
        away_text = "".join(
            "; " + line
            for line in (
                _away_group(
                    _("away: {regions}"), sorted((r.name, r.away[day]) for r in regions if day in r.away)
                ),
                _away_group(
                    _("cannot present: {regions}"),
                    sorted(
                        (r.name, r.cannot_present[day])
                        for r in regions
                        if day in r.cannot_present and day not in r.away
                    ),
                ),
            )
            if line
        )
        if reasons:
            click.echo(f"{cli_day(date)}  " + _("closed: {what}").format(what=", ".join(reasons)))
            continue
        slots = inst.slots[day * per_day : (day + 1) * per_day]
        shut = [
            f"{t.slot} ({inst.closed_slots[t.index][0][1]})" for t in slots if t.index in inst.closed_slots
        ]
        open_slots = [t.slot for t in slots if t.index not in inst.closed_slots]
        open_days += 1
        opened = _("open: {slots}").format(slots=", ".join(open_slots))
        closed = _("closed: {what}").format(what=", ".join(shut))
        if shut and closed_only:  # only what is closed: the slots, not the day's open ones
            click.echo(f"{cli_day(date)}  {closed}")
        elif shut:
            click.echo(f"{cli_day(date)}  {opened}; {closed}{away_text}")
        elif not closed_only:
            click.echo(f"{cli_day(date)}  {opened}{away_text}")
    click.echo(
        ngettext(
            "{count} open day of {days} in {start}..{end}",
            "{count} open days of {days} in {start}..{end}",
            open_days,
        ).format(count=open_days, days=inst.n_days, start=inst.period_start, end=inst.period_end)
    )
