"""The command line: a thin shell over the library that speaks plain English to planners.

Exit codes: 0 a plan was written (or the check passed), 1 no plan (infeasible, out of time)
or the check found broken rules, 2 bad input (one line naming file, field and problem).
"""

from __future__ import annotations

import sys

import click

from .commands import EXIT_BAD_INPUT
from .commands.explain import COMMANDS as EXPLAIN_COMMANDS
from .commands.inspect import calendar, check, report_command, schema, validate
from .commands.plan import plan
from .commands.variants import COMMANDS as VARIANT_COMMANDS
from .commands.workbook import workbook


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="arshjul")
def main() -> None:
    """Plan a year of strategic quick dialogs between an agency and Sweden's regions.

    \b
    Start with:
      arshjul plan                      plan the bundled Sweden 2027 scenario
      arshjul plan my-year.yaml -o out  plan your own scenario into folder out/
    """


for _command in [
    plan,
    validate,
    check,
    report_command,
    schema,
    calendar,
    *EXPLAIN_COMMANDS,
    *VARIANT_COMMANDS,
    workbook,
]:  # the commands in arshjul.commands
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
