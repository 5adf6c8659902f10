"""What every command shares: loading files with one-line errors, exit codes, the solver
options and writing a plan's files.  :mod:`arshjul.cli` and the command modules here all use
these, so each command says the same things the same way."""

from __future__ import annotations

import datetime as dt
import functools
import math
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

import click

from ..errors import ScenarioError
from ..exporters.ics import write_calendars, write_invitations
from ..exporters.report import write_report
from ..exporters.xlsx import plan_xlsx
from ..fileio import OutputFolderError, os_reason, staged, write_atomic
from ..i18n import N_, _
from ..instance import Instance, build_instance
from ..options import OPTION_NAMES, PRESET_NAMES, SolveOptions
from ..plan import Plan
from ..scenario import Scenario, bundled, load, read_text

EXIT_OK, EXIT_NO_PLAN, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130

DTSTAMP_YEARS = (1970, 2200)
"""The years a --dtstamp may fall in (calendar programs choke outside them)."""

F = TypeVar("F", bound=Callable[..., Any])


class Murmur:
    """Progress lines on stderr for as long as someone reads them.

    When the reader goes away (``arshjul sweep … 2>&1 | head``) the pipe breaks; the
    work goes on unseen, since its files are what the command is for."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled

    def __call__(self, text: str, nl: bool = True) -> bool:
        """Say ``text``; ``False`` once nobody reads any more."""
        if not self.enabled:
            return False
        try:
            click.echo(text, nl=nl, err=True)
        except BrokenPipeError:
            self.enabled = False
        return self.enabled


def fail_input(err: ScenarioError) -> NoReturn:
    """Bad input: one line naming file, field and problem, exit code 2."""
    click.echo(_("error: {problem}").format(problem=err.line()), err=True)
    sys.exit(EXIT_BAD_INPUT)


def load_scenario(path: str | None) -> tuple[Scenario, str]:
    """A scenario file (the bundled year when ``None``) and its name for messages, or exit 2."""
    try:
        p = Path(path) if path else bundled()
        return load(p), str(p)
    except ScenarioError as err:
        fail_input(err)


def instance_of(sc: Scenario, source: str) -> Instance:
    """The instance of a validated scenario, or exit 2 naming the file."""
    try:
        return build_instance(sc)
    except ScenarioError as err:
        fail_input(err.located(source))


def load_instance(path: str) -> tuple[Scenario, Instance, str]:
    """Scenario file → validated scenario and its instance, or exit 2."""
    sc, source = load_scenario(path)
    return sc, instance_of(sc, source), source


def read_plan(path: str) -> Plan:
    """A plan JSON file, or exit 2 with the file, field and problem."""
    p = Path(path)
    try:
        return Plan.from_json(read_text(p), source=str(p))
    except ScenarioError as err:
        fail_input(err)


def parse_dtstamp(value: str) -> dt.datetime:
    """A ``--dtstamp`` value as an aware UTC date-time, or exit 2 (before any solving)."""
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        fail_input(ScenarioError(f"'{value}' is not an ISO date-time", field="--dtstamp"))
    first, last = DTSTAMP_YEARS
    if not first <= stamp.year <= last:
        fail_input(ScenarioError(f"'{value}' is not between {first} and {last}", field="--dtstamp"))
    return stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def dtstamp(value: str | None, plan: Plan) -> dt.datetime:
    """DTSTAMP for calendars: given, else the publication date (or period start) at 00:00
    UTC, so two runs write the same bytes."""
    if value:
        return parse_dtstamp(value)
    day = plan.publication_date or plan.period_start
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def no_plan_line(status: str, time_limit: float, source: str) -> str:
    """Why there is no plan when the solver neither found one nor proved there is none."""
    if status == "MODEL_INVALID":
        return (
            f"No plan: the solver rejected the model built from {source} (MODEL_INVALID). "
            "This is a bug in arshjul, not in your scenario; please report it with the scenario file."
        )
    return _("No plan found within {seconds} s (status {status}). Try a longer --time-limit.").format(
        seconds=f"{time_limit:g}", status=status
    )


class Finite(click.FloatRange):
    """A float range that also refuses ``nan`` and ``inf`` (which pass every comparison test
    or none) and says so in one line."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


SEED_MAX = 2**31 - 1
"""CP-SAT's random seed is a 32-bit signed integer."""


def solve_options(*, time_limit: float = 60.0, per: str = "scenario", log: bool = False) -> Callable[[F], F]:
    """``--time-limit``, ``--seed``, ``--workers``, ``--gap``, ``--stall``, ``--preset``,
    ``--warm-start`` and ``--lns`` (and ``--log`` when asked), the same on every command (a sweep gives
    each variant a shorter default time).  The command receives them as one
    ``options: SolveOptions``."""

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def command(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in OPTION_NAMES if name in kwargs}
            return f(*args, options=SolveOptions(**given), **kwargs)

        for option in reversed(_solve_options(time_limit, per, log)):
            command = option(command)
        return cast(F, command)

    return decorate


_TIME_LIMIT_HELP = {
    # whole sentences, so each translates as one (``--help`` translates them when shown)
    "scenario": N_("Seconds the solver may search (per scenario)."),
    "variant": N_("Seconds the solver may search (per variant)."),
}


def _solve_options(time_limit: float, per: str, log: bool) -> list[Callable[[Any], Any]]:
    options = [
        click.option(
            "--time-limit",
            type=Finite(min=0.1, max=7 * 24 * 3600.0),
            default=time_limit,
            show_default=True,
            help=_TIME_LIMIT_HELP[per],
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0, max=SEED_MAX),
            default=0,
            show_default=True,
            help=N_("Random seed (same seed, same plan)."),
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1, max=64),
            default=1,
            show_default=True,
            help=N_("Solver threads (1 is deterministic and fastest for a national year)."),
        ),
        click.option(
            "--gap",
            type=Finite(min=0.0, max=1.0),
            default=None,
            help=N_("Stop once the plan is within this relative gap of the bound (e.g. 0.01)."),
        ),
        click.option(
            "--stall",
            type=Finite(min=0.1, max=7 * 24 * 3600.0),
            default=None,
            metavar="SECONDS",
            help=N_("Stop when the best plan has not improved for this many seconds."),
        ),
        click.option(
            "--preset",
            type=click.Choice(["auto", *PRESET_NAMES]),
            default="auto",
            show_default=True,
            help=N_(
                "Solver settings: 'prove' (one worker, strongest bound), 'portfolio' (for many "
                "workers), 'first-plan' (stop at the first plan that keeps every rule); 'auto' picks "
                "prove or portfolio from --workers."
            ),
        ),
        click.option(
            "--warm-start/--no-warm-start",
            default=True,
            show_default=True,
            help=N_(
                "Start from a first plan (when replanning the previous one, else a quick greedy "
                "one); one that keeps every rule is the search's first solution."
            ),
        ),
        click.option(
            "--lns/--no-lns",
            default=True,
            show_default=True,
            help=N_(
                "With one worker, improve the plan piece by piece once the solver's own search "
                "stops improving it (the plan keeps the solver's bound)."
            ),
        ),
    ]
    if log:
        options.append(
            click.option("--log/--no-log", default=False, help=N_("Show CP-SAT's own search log."))
        )
    return options


def output_option(help: str) -> Callable[[F], F]:
    """``-o/--output FOLDER``, with what goes there and where it goes by default."""
    return click.option("-o", "--output", "output", type=click.Path(file_okay=False), default=None, help=help)


def last_year_option(f: F) -> F:
    """``--last-year PLAN.json`` and its weight, for any command that plans a year."""
    f = click.option(
        "--same-month-weight",
        type=click.IntRange(min=0),
        default=15,
        show_default=True,
        help=N_("Penalty per dialog held in another month than its theme's dialog last year."),
    )(f)
    return click.option(
        "--last-year",
        "last_year",
        type=click.Path(dir_okay=False),
        default=None,
        help=N_("Last year's plan.json: hold each theme in the same month as last year (årshjul)."),
    )(f)


def fail_output(out: Path, err: OSError | OutputFolderError) -> NoReturn:
    """The output folder cannot take the set: one line, exit 2; the previous set is intact."""
    if isinstance(err, OutputFolderError):
        click.echo(_("error: {problem}").format(problem=err.translated(_)), err=True)
    else:
        where = err.filename or out
        click.echo(
            _("error: {where}: cannot write: {why}; the previous outputs are as they were").format(
                where=where, why=os_reason(err, _)
            ),
            err=True,
        )
    sys.exit(EXIT_BAD_INPUT)


def write_outputs(
    plan: Plan,
    out: Path,
    *,
    dtstamp: dt.datetime,
    report: bool = True,
    closures: bool = False,
    invitations: bool = False,
    previous: Plan | None = None,
    inputs: Iterable[Path] = (),
    extra: Callable[[Path], list[Path]] | None = None,
) -> list[Path]:
    """Plan JSON, calendars and report, written as one set: all of them or none.

    Everything is written into a new version of ``out`` and published by one atomic switch
    (:func:`arshjul.fileio.staged`), so an interrupted or killed run leaves the previous
    outputs as they were.  ``extra(stage)`` writes further files of the set (a replan's
    change report).  ``inputs`` (the files the run read) may not lie inside ``out``.  A
    folder that cannot take the set ends the run with one line and exit code 2.
    """
    try:
        with staged(out, inputs=inputs) as stage:
            written = write_calendars(plan, stage, dtstamp=dtstamp, include_closures=closures)
            if invitations:
                written += write_invitations(plan, previous, stage / "invitations", dtstamp=dtstamp)
            if report:
                written += write_report(plan, stage)
            written.append(write_atomic(stage / "plan.json", plan.to_json()))
            written.append(write_atomic(stage / "plan.xlsx", plan_xlsx(plan, dtstamp=dtstamp)))
            if extra is not None:
                written += extra(stage)
    except (OutputFolderError, OSError) as err:
        fail_output(out, err)
    except ScenarioError as err:  # data a file cannot carry: one line, and nothing was published
        fail_input(err)
    return [out / p.relative_to(stage) for p in written]


__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NO_PLAN",
    "EXIT_OK",
    "Finite",
    "dtstamp",
    "fail_input",
    "fail_output",
    "instance_of",
    "last_year_option",
    "load_instance",
    "load_scenario",
    "no_plan_line",
    "output_option",
    "parse_dtstamp",
    "read_plan",
    "solve_options",
    "write_outputs",
]
