"""Click commands kept apart from :mod:`arshjul.cli`, which registers them with
``main.add_command(...)``.  The helpers here give every command the same exit codes and the
same one-line errors as the rest of the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from ..errors import ScenarioError
from ..instance import Instance, build_instance
from ..scenario import Scenario, load

EXIT_OK, EXIT_NO_PLAN, EXIT_BAD_INPUT = 0, 1, 2


def fail_input(err: ScenarioError) -> NoReturn:
    """Bad input: one line naming file, field and problem, exit code 2."""
    click.echo(f"error: {err.line()}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def load_instance(path: str) -> tuple[Scenario, Instance, str]:
    """Scenario file → validated scenario and its instance, or exit 2."""
    try:
        sc = load(Path(path))
    except ScenarioError as err:
        fail_input(err)
    try:
        return sc, build_instance(sc), path
    except ScenarioError as err:
        fail_input(err.located(path))


__all__ = ["EXIT_BAD_INPUT", "EXIT_NO_PLAN", "EXIT_OK", "fail_input", "load_instance"]
