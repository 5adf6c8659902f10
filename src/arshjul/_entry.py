"""The ``arshjul`` command's entry point: Ctrl-C while the command line is still loading
(click, pydantic, OR-Tools: the first second) ends in one line and exit code 130, never in a
traceback.  Ctrl-C while a module loads is held back until it has loaded (an import cut short can
fail in odd ways inside other libraries), then ends the run.

The holding back starts before this module imports anything that takes time: the C module
``_signal`` is built in, so installing the handler needs no import Ctrl-C could cut short
(``import signal`` alone builds enums for milliseconds, long enough on a busy machine).

Once the command has ended (its exit code chosen, its last line said), Ctrl-C is ignored:
Python's own shutdown puts Ctrl-C back to the system default before it unloads the modules
(a fifth of a second with OR-Tools loaded), and a Ctrl-C then would end the process silently
by the signal instead of with the exit code it had already chosen.
"""

from __future__ import annotations

import sys
from typing import Any

_signal: Any = __import__("_signal")
_early: list[int] = []
_signal.signal(_signal.SIGINT, lambda signum, _frame: _early.append(signum))

import importlib  # noqa: E402  (after the handler: see above)

from .fileio import sigint_deferred  # noqa: E402


def run() -> None:
    with sigint_deferred() as caught:  # an import cut short by Ctrl-C can fail in odd ways
        cli = importlib.import_module("arshjul.cli")
    _signal.signal(_signal.SIGINT, _signal.default_int_handler)  # Ctrl-C is KeyboardInterrupt again
    if caught or _early:
        sys.stderr.write("Interrupted; nothing was changed in the output folder.\n")
        sys.exit(130)
    try:
        cli.run()
    finally:
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)  # nothing left to interrupt: see above
