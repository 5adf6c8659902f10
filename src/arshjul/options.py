"""How to solve, and what a solve can end in: the solver's vocabulary without the solver.

:class:`SolveOptions` is what every command and every script hands to :func:`arshjul.solve`;
:class:`Progress` is what comes back while it searches; :class:`SolveStatus` is what a plan
says about itself.  Plain Python (no OR-Tools import), so commands build options and plan
files name their status without loading CP-SAT; :mod:`arshjul.cpsat` turns the preset names
into CP-SAT parameters.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any


class SolveStatus(StrEnum):
    """The outcome of a solve, as plan files write it (the members equal these strings)."""

    OPTIMAL = "OPTIMAL"
    """A plan, proven the best."""
    FEASIBLE = "FEASIBLE"
    """A plan that keeps every rule; a better one may exist."""
    INFEASIBLE = "INFEASIBLE"
    """Proven: the hard rules cannot all hold."""
    UNKNOWN = "UNKNOWN"
    """No plan, and no proof that there is none (out of time, interrupted)."""
    MODEL_INVALID = "MODEL_INVALID"

    @property
    def found(self) -> bool:
        """A plan came back (OPTIMAL or FEASIBLE)."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


PRESET_NAMES = ("prove", "portfolio", "first-plan")
"""Named CP-SAT settings (``arshjul.cpsat.PRESETS`` holds their parameters); ``auto`` picks
``prove`` with one worker and ``portfolio`` with more."""


@dataclass(frozen=True)
class SolveOptions:
    """How hard and how to search."""

    time_limit: float = 60.0
    """Seconds of wall time at most."""
    workers: int = 1
    """One worker searches with the strongest LP relaxation, which proves the bundled
    scenarios fastest, then improves the plan piece by piece (``lns``); same seed, same plan
    when the search ends by proof.  More workers run that one-worker search itself beside a
    second one whose neighbourhood search starts from the better plan of the two
    (``arshjul.cpsat.solve.duo``); not reproducible."""
    seed: int = 0
    log: bool = False
    """Print CP-SAT's own search log."""
    gap: float | None = None
    """Stop when the relative gap between plan and bound is at most this (e.g. 0.01)."""
    stall: float | None = None
    """Stop when the best plan has not improved for this many seconds (once there is one)."""
    preset: str = "auto"
    """Named CP-SAT settings (:data:`PRESET_NAMES`); ``auto`` is ``prove`` with one worker
    and ``portfolio`` with more."""
    warm_start: bool = True
    """Start from a first plan: the previous one when replanning, else the greedy plan
    (:mod:`arshjul.greedy`).  One that keeps every rule is the search's first solution,
    which is what lets a European-scale scenario have a plan at all within a minute."""
    lns: bool = True
    """With one worker, hand over from CP-SAT's tree search to a neighbourhood search after
    a fixed amount of its work (:mod:`arshjul.cpsat.lns`): on the tight 60-region year it cut the
    plan's penalty by about a seventh in a minute (11,056 to 9,526) where the tree search
    alone found nothing better.  Off, the tree search has the whole time."""
    stop: threading.Event | None = field(default=None, compare=False, repr=False)
    """Set it from any thread to stop the search as Ctrl-C does (the best plan is kept,
    ``interrupted`` is true): how a program that runs the solve in a thread stops it."""


OPTION_NAMES = tuple(f.name for f in fields(SolveOptions))
"""The fields of :class:`SolveOptions`, which are also the keyword overrides of a solve."""


def options_from(options: SolveOptions | None, overrides: Mapping[str, Any]) -> SolveOptions:
    """``options`` (default: :class:`SolveOptions`) with ``overrides`` (e.g. ``time_limit=30``)
    in place; an unknown preset is the caller's mistake and says so before any solving."""
    unknown = sorted(set(overrides) - set(OPTION_NAMES))
    if unknown:
        raise TypeError(f"unknown solve option '{unknown[0]}' (options are: {', '.join(OPTION_NAMES)})")
    out = replace(options or SolveOptions(), **overrides)
    preset_of(out)
    return out


def preset_of(options: SolveOptions) -> str:
    """The preset a solve uses: ``auto`` resolved from the workers; ValueError when unknown."""
    if options.preset == "auto":
        return "prove" if options.workers <= 1 else "portfolio"
    if options.preset not in PRESET_NAMES:
        raise ValueError(f"unknown preset '{options.preset}' (choose from auto, {', '.join(PRESET_NAMES)})")
    return options.preset


@dataclass(frozen=True)
class Progress:
    """One line of progress: sent on every improved plan and every few seconds."""

    elapsed: float
    objective: float | None
    bound: float | None
    solutions: int


ProgressCallback = Callable[[Progress], None]
"""Called with each :class:`Progress` while a solve searches."""


__all__ = [
    "OPTION_NAMES",
    "PRESET_NAMES",
    "Progress",
    "ProgressCallback",
    "SolveOptions",
    "SolveStatus",
    "options_from",
    "preset_of",
]
