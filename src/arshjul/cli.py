"""The command line: a thin shell over the library that speaks plain English to planners.

Exit codes: 0 a plan was written (or the check passed), 1 no plan (infeasible, out of time)
or the check found broken rules, 2 bad input (one line naming file, field and problem).

The commands live in :mod:`arshjul.commands`, grouped by what they load; :data:`COMMANDS`
names each one, and the group imports a command's module only when that command runs (or
``--help`` lists it), so ``arshjul validate`` never loads the solver.  This module imports
nothing of arshjul at the top but :mod:`arshjul.fileio` (standard library only), so Ctrl-C
while the rest is still loading ends in one line, not a traceback.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from .fileio import InterruptedAfterWrite, sigint_deferred

EXIT_BAD_INPUT, EXIT_INTERRUPTED = 2, 130  # the same numbers as arshjul.commands (tests hold them)
LANGUAGES = ("sv", "en")  # arshjul.i18n.LANGUAGES (a test holds them equal)

COMMANDS: dict[str, str] = {
    # reads a scenario or a plan, never solves (no OR-Tools)
    "validate": "arshjul.commands.inspect:validate",
    "calendar": "arshjul.commands.inspect:calendar",
    "check": "arshjul.commands.inspect:check",
    "report": "arshjul.commands.inspect:report_command",
    "schema": "arshjul.commands.inspect:schema",
    "workbook": "arshjul.commands.workbook:workbook",
    # solves
    "plan": "arshjul.commands.plan:plan",
    "replan": "arshjul.commands.variants:replan",
    "compare": "arshjul.commands.variants:compare",
    "sweep": "arshjul.commands.variants:sweep",
    "explain": "arshjul.commands.explain:explain",
    "alternatives": "arshjul.commands.explain:alternatives",
    # serves the planner's workspace in the browser
    "serve": "arshjul.commands.serve:serve",
    "links": "arshjul.commands.links:links",
}
"""Every command: its name → ``module:attribute`` of its click command (the one registry)."""


class LazyGroup(click.Group):
    """A click group whose commands are imported on first use (click's documented pattern)."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name].split(":")
            with sigint_deferred() as caught:  # an import cut short can fail in odd ways
                command = getattr(importlib.import_module(module), attribute)
            if caught:
                raise KeyboardInterrupt
            if not isinstance(command, click.Command):  # pragma: no cover - the registry test holds it
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """As click's, but a usage error is one line (``error: …``, exit 2) and Ctrl-C ends
        with one line and exit 130, never a traceback."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            value = super().main(args, prog_name, complete_var, False, **extra)
        except (KeyboardInterrupt, click.exceptions.Abort) as err:
            done = err if isinstance(err, InterruptedAfterWrite) else err.__cause__  # click wraps it
            if isinstance(done, InterruptedAfterWrite):
                click.echo(f"Interrupted after the new outputs were written to {done.folder}/.", err=True)
            else:
                click.echo("Interrupted; nothing was changed in the output folder.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as err:
            click.echo("error: " + " ".join(err.format_message().split()), err=True)
            sys.exit(EXIT_BAD_INPUT)
        sys.exit(value if isinstance(value, int) else 0)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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
    with sigint_deferred() as caught:  # loaded like a command: Ctrl-C here is one line too
        i18n = importlib.import_module("arshjul.i18n")
    if caught:
        raise KeyboardInterrupt
    i18n.set_cli_language(lang)


def every_command() -> dict[str, click.Command]:
    """Every command, loaded (for tests and documentation; this loads the solver too)."""
    ctx = click.Context(main)
    return {name: cmd for name in main.list_commands(ctx) if (cmd := main.get_command(ctx, name))}


def run() -> None:
    """Entry point (``arshjul``): the group's own ``main``, which ends every fault in one line."""
    main()


if __name__ == "__main__":  # pragma: no cover
    run()
