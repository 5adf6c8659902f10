"""``arshjul workbook new`` and ``arshjul workbook export``: the planning workbook.

Planners live in Excel: ``new`` writes a scenario (the bundled Sweden 2027 year unless
``--from`` names one) as a Swedish workbook, and every command that reads a scenario reads
the ``.xlsx`` as it is (``arshjul plan year.xlsx``).  ``export`` writes the workbook back as
a YAML scenario file.

Exit codes as everywhere: 0 written, 2 bad input (one line naming the file, the sheet and
cell or the field, and the problem; nothing is written).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
import yaml

from ..cli import HelpGroup
from ..errors import ScenarioError
from ..fileio import os_reason, write_atomic
from ..i18n import N_, _, ngettext
from ..scenario import Scenario
from ..workbook.writer import workbook_bytes
from . import fail_input, load_scenario


@click.group(
    "workbook",
    cls=HelpGroup,
    help=N_(
        """\
    The planning workbook: a scenario as a Swedish Excel file (.xlsx).

    \b
    Examples:
      arshjul workbook new year.xlsx                       start from the Sweden 2027 year
      arshjul workbook new year.xlsx --from my-year.yaml   start from your own scenario
      arshjul plan year.xlsx                               every command reads .xlsx as well
      arshjul workbook export year.xlsx -o year.yaml       the workbook as a YAML scenario
    """
    ),
)
def workbook() -> None:
    """Only a group: its help is the ``help=`` above, translated when shown."""


def _refuse_existing(target: Path, force: bool) -> None:
    if target.exists() and not force:
        fail_input(ScenarioError(_("exists already; add --force to replace it"), source=str(target)))


def _write(target: Path, data: bytes | str) -> None:
    try:
        write_atomic(target, data)
    except OSError as exc:
        fail_input(
            ScenarioError(_("cannot write: {problem}").format(problem=os_reason(exc, _)), source=str(target))
        )


@workbook.command(
    "new",
    help=N_("""Write a planning workbook (WORKBOOK.xlsx) to edit in Excel.

    \b
    Example:
      arshjul workbook new year.xlsx --from scenarios/sweden-2027.yaml
    """),
)
@click.argument("path", metavar="WORKBOOK", type=click.Path(dir_okay=False))
@click.option(
    "--from",
    "origin",
    type=click.Path(dir_okay=False),
    default=None,
    help=N_("The scenario to start from (YAML or .xlsx; default: the bundled Sweden 2027 year)."),
)
@click.option("--force", is_flag=True, help=N_("Replace WORKBOOK if it exists."))
def new(path: str, origin: str | None, force: bool) -> None:
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        fail_input(ScenarioError(_("a workbook's name must end in .xlsx"), source=path))
    _refuse_existing(target, force)
    sc, source = load_scenario(origin)
    try:
        data = workbook_bytes(sc)
    except ScenarioError as err:
        fail_input(err.located(source))
    _write(target, data)
    themes = sum(1 for _theme in sc.themes())
    counts = ", ".join(
        [
            ngettext("{count} region", "{count} regions", len(sc.regions)).format(count=len(sc.regions)),
            ngettext("{count} host", "{count} hosts", len(sc.hosts)).format(count=len(sc.hosts)),
            ngettext("{count} theme", "{count} themes", themes).format(count=themes),
        ]
    )
    click.echo(
        _("Wrote {target} from {source}: {counts}.  Edit it, then: arshjul validate {target}").format(
            target=target, source=source, counts=counts
        )
    )


@workbook.command(
    "export",
    help=N_("""Write WORKBOOK (a planning workbook) as a YAML scenario file.

    \b
    Example:
      arshjul workbook export year.xlsx -o year.yaml
    """),
)
@click.argument("path", metavar="WORKBOOK", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help=N_("The YAML file to write (default: print the YAML)."),
)
@click.option("--force", is_flag=True, help=N_("Replace the output file if it exists."))
def export(path: str, output: str | None, force: bool) -> None:
    target = Path(output) if output else None
    if target is not None:
        _refuse_existing(target, force)
    sc, source = load_scenario(path)
    text = scenario_yaml(sc, source)
    if target is None:
        click.echo(text, nl=False)
        return
    _write(target, text)
    click.echo(_("Wrote {target} from {source}").format(target=target, source=source))


def scenario_yaml(sc: Scenario, source: str) -> str:
    """The scenario as a YAML scenario file (defaults left out) that loads back to it."""
    data = _plain(sc.model_dump(mode="python", by_alias=True, exclude_defaults=True))
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None)
    return f"# {sc.name}\n# Exported from {Path(source).name} by 'arshjul workbook export'.\n\n{body}"


def _plain(value: Any) -> Any:
    """Plain YAML data: times as 'HH:MM' text, tuples as lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if not value.second else value.isoformat()
    return value
