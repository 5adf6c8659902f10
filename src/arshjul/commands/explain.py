"""``arshjul explain`` and ``arshjul alternatives``: why there is no plan, what a plan's
penalty is made of, and where else a session (or a region) could go.

Exit codes as everywhere: 0 answered, 1 no plan (the rules collide, or out of time),
2 bad input (one line naming file, field and problem).

The command's own lines come through the message catalogues (``--lang``, as ``plan``'s do);
the explanations themselves (:mod:`arshjul.explain`) and every ``--json`` answer stay
English: the rule names and field paths they quote are the scenario file's.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..api import solve
from ..cli import HelpCommand
from ..edited import read_plan_file
from ..errors import ScenarioError
from ..explain import alternatives as find_alternatives
from ..explain import breakdown, region_alternatives, why_not
from ..i18n import N_, _
from . import EXIT_NO_PLAN, EXIT_OK, Finite, fail_input, load_instance


def _emit(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.command(
    "explain",
    cls=HelpCommand,
    help=N_(
        """\
    Say why: which rules collide when SCENARIO has no plan, or what the plan's penalty is
    made of (term by term, per region and session) and which hard rules it sits exactly at.

    \b
    Examples:
      arshjul explain my-year.yaml                      solve, then explain
      arshjul explain my-year.yaml --plan out/plan.json explain a plan you have
    """
    ),
)
@click.argument("scenario")  # read_text refuses folders, pipes, NUL in one line
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False),
    default=None,
    help=N_("Explain this plan (plan JSON, or an .ics exported back from a calendar) instead of solving."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the answer as JSON (for scripts)."))
@click.option(
    "--time-limit",
    type=Finite(min=0.1, max=7 * 24 * 3600.0),
    default=30.0,
    show_default=True,
    help=(
        N_(
            "Seconds for solving; with no plan, as much again for finding the colliding rules "
            "and again for checking the edits that fix them."
        )
    ),
)
@click.option(
    "--workers", type=click.IntRange(min=1, max=64), default=1, show_default=True, help=N_("Solver threads.")
)
def explain(scenario: str, plan_file: str | None, as_json: bool, time_limit: float, workers: int) -> None:
    sc, inst, _source = load_instance(scenario)
    if plan_file is not None:
        try:
            plan = read_plan_file(plan_file, inst)
        except ScenarioError as err:
            fail_input(err)
        result = breakdown(inst, plan)
        if as_json:
            _emit({"kind": "breakdown", "plan": plan_file, "breakdown": result.to_dict()})
        else:
            click.echo(f"{plan_file}:")
            for line in result.lines():
                click.echo(line)
        sys.exit(EXIT_OK)

    plan = solve(inst, time_limit=time_limit, workers=workers)
    if plan.found:
        result = breakdown(inst, plan)
        if as_json:
            _emit(
                {
                    "kind": "breakdown",
                    "status": plan.status,
                    "objective": plan.objective,
                    "breakdown": result.to_dict(),
                }
            )
        else:
            click.echo(
                _("Solved '{name}': {status}, penalty {objective}.").format(
                    name=sc.name, status=plan.status, objective=plan.objective
                )
            )
            for line in result.lines():
                click.echo(line)
        sys.exit(EXIT_OK)
    if plan.status != "INFEASIBLE":
        message = f"No plan found within {time_limit:g} s (status {plan.status}); try a longer --time-limit."
        if as_json:
            _emit({"kind": "unknown", "status": plan.status, "message": message})
        else:
            click.echo(
                _("No plan found within {seconds} s (status {status}). Try a longer --time-limit.").format(
                    seconds=f"{time_limit:g}", status=plan.status
                ),
                err=True,
            )
        sys.exit(EXIT_NO_PLAN)
    report = why_not(sc, time_limit=time_limit, workers=workers)
    if as_json:
        _emit({"kind": "conflict", **report.to_dict()})
    else:
        for line in report.lines():
            click.echo(line)
    sys.exit(EXIT_NO_PLAN)


@click.command(
    "alternatives",
    cls=HelpCommand,
    help=N_(
        """\
    Where else: every slot SESSION_ID could move to in PLAN with everything else fixed
    (and the penalty there), and the rule that rules out each other slot.  With --region,
    the dialogs that region could be added to as presenter, and what that breaks or costs.

    \b
    Examples:
      arshjul alternatives my-year.yaml out/plan.json vinnova.dialog.rymd.1
      arshjul alternatives my-year.yaml out/plan.json --region SE-I
    """
    ),
)
@click.argument("scenario")  # read_text refuses folders, pipes, NUL in one line
@click.argument("plan_file", metavar="PLAN")  # read_text refuses folders, pipes, NUL in one line
@click.argument("session_id", required=False)
@click.option("--region", "region", default=None, help=N_("Region code: the dialogs it could be added to."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the answer as JSON (for scripts)."))
@click.option(
    "--time-limit",
    type=Finite(min=0.1, max=7 * 24 * 3600.0),
    default=20.0,
    show_default=True,
    help=N_("Seconds for asking the solver about slots no presenter change opens."),
)
def alternatives(
    scenario: str,
    plan_file: str,
    session_id: str | None,
    region: str | None,
    as_json: bool,
    time_limit: float,
) -> None:
    if session_id is None and region is None:
        raise click.UsageError(_("give a SESSION_ID, or --region CODE (or both)"))
    _sc, inst, _source = load_instance(scenario)
    try:
        plan = read_plan_file(plan_file, inst)
    except ScenarioError as err:
        fail_input(err)
    ids = {s.id for s in plan.sessions}
    if session_id is not None and session_id not in ids:
        known = ", ".join(sorted(ids)[:5])
        fail_input(
            ScenarioError(
                _("session '{session}' is not in the plan (e.g. {known})").format(
                    session=session_id, known=known
                ),
                source=plan_file,
                field="SESSION_ID",
            )
        )
    if region is not None and region not in inst.regions:
        fail_input(
            ScenarioError(
                _("unknown region '{region}' (regions are: {codes})").format(
                    region=region, codes=", ".join(inst.regions)
                ),
                source=scenario,
                field="--region",
            )
        )
    out: dict[str, Any] = {}
    lines: list[str] = []
    if region is not None:
        joins = region_alternatives(inst, plan, region, session_id=session_id)
        out["region"] = joins.to_dict()
        lines += joins.lines()
    elif session_id is not None:
        moves = find_alternatives(inst, plan, session_id, time_limit=time_limit)
        out["session"] = moves.to_dict()
        lines += moves.lines()
    if as_json:
        _emit(out)
    else:
        for line in lines:
            click.echo(line)
    sys.exit(EXIT_OK)


COMMANDS = [explain, alternatives]
"""The commands of this module (``arshjul.cli.COMMANDS`` names each one to load it lazily)."""

__all__ = ["COMMANDS", "alternatives", "explain"]
