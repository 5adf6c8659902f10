"""The ``arshjul`` command's entry point: Ctrl-C while the command line is still loading
(click, pydantic, OR-Tools: the first second) ends in one line and exit code 130, never in a
traceback.  Ctrl-C while a module loads is held back until it has loaded (an import cut short can
fail in odd ways inside other libraries), then ends the run."""

from __future__ import annotations

import importlib
import sys

from .fileio import sigint_deferred


def run() -> None:
    with sigint_deferred() as caught:  # an import cut short by Ctrl-C can fail in odd ways
        cli = importlib.import_module("arshjul.cli")
    if caught:
        sys.stderr.write("Interrupted; nothing was changed in the output folder.\n")
        sys.exit(130)
    cli.run()
