"""The command line: a thin shell over the library that speaks plain English to planners.

Exit codes: 0 a plan was written (or the check passed), 1 no plan (infeasible, out of time)
or the check found broken rules, 2 bad input (one line naming file, field and problem).

The commands live in :mod:`arshjul.commands`, grouped by what they load; :data:`COMMANDS`
names each one, and the group imports a command's module only when that command runs (or
shows its own ``--help``; ``arshjul --help`` lists them from :data:`SUMMARIES`), so
``arshjul validate`` and ``arshjul --help`` never load the solver.  Help texts are English
msgids translated when shown (:class:`HelpCommand`), so ``--lang sv`` reaches ``--help`` too.
This module imports nothing of arshjul at the top but :mod:`arshjul.fileio` (standard library only), so Ctrl-C
while the rest is still loading ends in one line, not a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from .fileio import InterruptedAfterWrite, sigint_deferred

EXIT_BAD_INPUT, EXIT_INTERRUPTED = 2, 130  # the same numbers as arshjul.commands (tests hold them)
LANGUAGES = ("sv", "en")  # arshjul.i18n.LANGUAGES (a test holds them equal)


def N_(message: str) -> str:
    """Marks a message for extraction (as :func:`arshjul.i18n.N_`, without importing it)."""
    return message


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

SUMMARIES: dict[str, str] = {
    "alternatives": N_(
        "Where else: every slot SESSION_ID could move to in PLAN with everything else fixed (and "
        "the penalty there), and the rule that rules out each other slot. With --region, the "
        "dialogs that region could be added to as presenter, and what that breaks or costs."
    ),
    "calendar": N_("Show which days and slots of the period are open, and why the others are closed."),
    "check": N_("Check PLAN against SCENARIO's hard rules and recompute its objective."),
    "compare": N_("Solve each SCENARIO and compare the plans in one table."),
    "explain": N_(
        "Say why: which rules collide when SCENARIO has no plan, or what the plan's penalty is made"
        " of (term by term, per region and session) and which hard rules it sits exactly at."
    ),
    "links": N_("Links for the regions: each person of a region gets their own, expiring and revocable."),
    "plan": N_("Solve SCENARIO and write the plan, calendars and summary."),
    "replan": N_("Replan the rest of the year, keeping what was sent, with as few changes as possible."),
    "report": N_("Rebuild the wheel, heatmap and report from a saved plan."),
    "schema": N_("Print the JSON Schema of scenario files (for editor autocompletion)."),
    "serve": N_(
        "Open the planner's workspace in the browser: see the year, move and check sessions, pin "
        "and re-solve, download calendars."
    ),
    "sweep": N_("Solve many variants of BASE in parallel and write a results table."),
    "validate": N_("Check a scenario file without solving it."),
    "workbook": N_("The planning workbook: a scenario as a Swedish Excel file (.xlsx)."),
}
"""Each command's first paragraph (as in its help; a test holds them equal): what
``arshjul --help`` lists, so listing the commands loads none of them (nor the solver)."""


CLICK_MESSAGES: tuple[str, ...] = (
    # TRANSLATORS: click's own words (the library that reads arshjul's command line), exactly
    # as click 8 writes them: its help's "[default: 60.0; required]", its usage errors.  A
    # message of click's that is not here stays in English.  In "{name} {filename!r} …",
    # {name} is click's English word for the kind of path ("Directory"): "{name:.0}" keeps
    # the placeholder and shows nothing of it.
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("deprecated"),
    N_("Usage:"),
    N_("Positional arguments"),
    N_("Aborted!"),
    N_("Error: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing parameter: {param_name}"),
    N_("Missing {param_type}"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Did you mean {possibility}?"),
    N_("(Did you mean one of: {possibilities}?)"),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("Option {name!r} does not take a value."),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} requires {nargs} arguments."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Takes {nargs} values but 1 was given."),
    N_("Takes {nargs} values but {len} were given."),
    N_("{len_type} values are required, but {len_value} was given."),
    N_("{len_type} values are required, but {len_value} were given."),
    N_("Invalid start character for option ({option})"),
    N_("Try '{command} {option}' for help."),
    N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not {choice}."),
    N_("{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    N_("{value!r} does not match the format {format}."),
    N_("{value!r} does not match the formats {formats}."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("Could not open file {filename!r}: {message}"),
    N_("Value must be an iterable."),
    N_("Confirm the action without prompting."),
    N_("Do you want to continue?"),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("Press any key to continue..."),
    N_("unknown error"),
)
"""click's messages a planner can meet, as msgids of arshjul's catalogue (each form of a
plural on its own: Swedish counts as English does, one or more).  Not here: click's words for
the kind of a path ("file", "directory"), which click reads when a command is defined, not
when it speaks, and its messages for the developer of a command."""

_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")
"""click's modules that say something, each with its own ``from gettext import gettext as _``."""

_click_own: dict[str, tuple[Any, Any]] = {}
"""Each of those modules' own ``_`` and ``ngettext`` while ours stand in (:func:`_click_speaks`)."""


def _click_gettext(message: str) -> str:
    return translated(message) or message


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _click_gettext(singular if n == 1 else plural)


def _click_speaks(language: str) -> None:
    """click's own words in ``language``: for Swedish, arshjul's catalogue stands in for the
    ``_`` and ``ngettext`` click's modules took from :mod:`gettext`; for English, click's own
    are back, so what English prints is click's exactly."""
    modules = [m for name in _CLICK_MODULES if (m := sys.modules.get(f"click.{name}")) is not None]
    for module in modules:
        name = module.__name__
        if language == "en":
            if name in _click_own:
                own = _click_own.pop(name)
                for attribute, function in zip(("_", "ngettext"), own, strict=True):
                    if function is not None:
                        setattr(module, attribute, function)
        elif name not in _click_own and hasattr(module, "_"):
            _click_own[name] = (module.__dict__["_"], module.__dict__.get("ngettext"))
            module.__dict__["_"] = _click_gettext
            if "ngettext" in module.__dict__:
                module.__dict__["ngettext"] = _click_ngettext


def _said(message: str) -> str:
    """``message`` in the command line's language when the catalogues are loaded already
    (never loading them: this runs on Ctrl-C)."""
    i18n = sys.modules.get("arshjul.i18n")
    return i18n._(message) if i18n is not None else message


def _i18n() -> Any:
    """:mod:`arshjul.i18n`, loaded like a command (Ctrl-C while it loads is one line too)."""
    with sigint_deferred() as caught:
        module = importlib.import_module("arshjul.i18n")
    if caught:
        raise KeyboardInterrupt
    return module


def translated(text: str | None) -> str | None:
    """``text`` (an English help text, marked ``N_`` where it is written) in the command
    line's language *now*: click reads help texts at import, before ``--lang`` is known."""
    return _i18n()._(text) if text else text


@contextmanager
def _help_in_language(command: click.Command) -> Iterator[None]:
    """The command's help, epilog and its options' help translated while the block runs."""
    params = [p for p in command.params if isinstance(p, click.Option | click.Argument)]
    saved = (command.help, command.short_help, command.epilog, [p.help for p in params])
    command.help, command.short_help, command.epilog = map(translated, saved[:3])
    for param in params:
        param.help = translated(param.help)
    try:
        yield
    finally:
        command.help, command.short_help, command.epilog = saved[:3]
        for param, text in zip(params, saved[3], strict=True):
            param.help = text


class HelpInLanguage(click.Command):
    """A command whose ``--help`` is in the command line's language, translated when shown.

    Every command of :data:`COMMANDS` is one (``cls=HelpCommand``; a test holds it): its
    docstring and options' ``help=`` are English msgids marked ``N_``, and the usage line's
    metavars and option names stay as they are."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_in_language(self):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _help_in_language(self):
            return super().get_short_help_str(limit)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=translated(N_("Usage: ")))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            rv
            for param in self.get_params(ctx)
            if (rv := param.get_help_record(ctx)) is not None and not isinstance(param, click.Argument)
        ]
        if rows:
            with formatter.section(translated(N_("Options")) or ""):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = translated(N_("Show this message and exit."))
        return option


class HelpCommand(HelpInLanguage):
    """A command of arshjul: ``@click.command(cls=HelpCommand)``."""


class HelpGroup(HelpInLanguage, click.Group):
    """A group of arshjul's (``arshjul links``): its subcommands are :class:`HelpCommand` too."""

    command_class = HelpCommand

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _cmd in rows)
            with formatter.section(translated(N_("Commands")) or ""):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


HelpGroup.group_class = HelpGroup


class LazyGroup(HelpGroup):
    """A click group whose commands are imported on first use (click's documented pattern)."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Lists the commands from :data:`SUMMARIES`, without importing them."""
        names = self.list_commands(ctx)
        if names:
            limit = formatter.width - 6 - max(len(name) for name in names)
            rows = [(name, summary(name, limit)) for name in names]
            with formatter.section(translated(N_("Commands")) or ""):
                formatter.write_dl(rows)

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

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Sets the language from ``--lang`` (or the locale) first: ``--help`` is eager, and
        click would print it before the group's own options are read."""
        if ctx.parent is None:
            lang = None
            for i, arg in enumerate(args):
                if arg == "--lang" and i + 1 < len(args):
                    lang = args[i + 1]
                elif arg.startswith("--lang="):
                    lang = arg.partition("=")[2]
                elif not arg.startswith("-") and (i == 0 or args[i - 1] != "--lang"):
                    break  # the command's name: what follows is the command's
            _click_speaks(_i18n().set_cli_language(lang if lang in LANGUAGES else None))
        return super().parse_args(ctx, args)

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
                click.echo(
                    _said(N_("Interrupted after the new outputs were written to {folder}/.")).format(
                        folder=done.folder
                    ),
                    err=True,
                )
            else:
                click.echo(_said(N_("Interrupted; nothing was changed in the output folder.")), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as err:
            problem = " ".join(err.format_message().split())
            click.echo(_said(N_("error: {problem}")).format(problem=problem), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except BrokenPipeError:
            # whoever read the output has gone (`arshjul plan | head`): nobody is left to tell,
            # and Python's own last flush would fail the same way, so say nothing more
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.dup2(devnull, sys.stderr.fileno())
            sys.exit(1)
        sys.exit(value if isinstance(value, int) else 0)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help=N_(
        """Plan a year of strategic quick dialogs between an agency and Sweden's regions.

    \b
    Start with:
      arshjul plan                      plan the bundled Sweden 2027 scenario
      arshjul plan my-year.yaml -o out  plan your own scenario into folder out/
    """
    ),
)
@click.version_option(package_name="arshjul", help=N_("Show the version and exit."))
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help=N_(
        "Language of these messages (default: Swedish when LC_ALL, LC_MESSAGES or LANG starts "
        "with sv, else English).  Calendars are in the scenario's own language."
    ),
)
def main(lang: str | None) -> None:
    """Reads ``--lang`` (the group's help is its ``help=`` above, translated when shown)."""
    _click_speaks(_i18n().set_cli_language(lang))


def summary(name: str, limit: int = 45) -> str:
    """The short help of command ``name`` as ``arshjul --help`` lists it (in the command
    line's language), from :data:`SUMMARIES`: what click would make of the command's help."""
    return HelpCommand(name, help=SUMMARIES[name]).get_short_help_str(limit)


def every_command() -> dict[str, click.Command]:
    """Every command, loaded (for tests and documentation; this loads the solver too)."""
    ctx = click.Context(main)
    return {name: cmd for name in main.list_commands(ctx) if (cmd := main.get_command(ctx, name))}


def run() -> None:
    """Entry point (``arshjul``): the group's own ``main``, which ends every fault in one line."""
    main()


if __name__ == "__main__":  # pragma: no cover
    run()
