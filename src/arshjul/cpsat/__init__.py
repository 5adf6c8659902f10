"""The CP-SAT model: the only package that imports OR-Tools.

:class:`SolveOptions`, :class:`Progress` and :func:`preset_of` live in :mod:`arshjul.options`
(no OR-Tools there); they are re-exported here.
"""

from ..options import Progress, SolveOptions, preset_of
from .solve import PRESETS, SolveResult, build_model, run, solve, solver_for, status_of

__all__ = [
    "PRESETS",
    "Progress",
    "SolveOptions",
    "SolveResult",
    "build_model",
    "preset_of",
    "run",
    "solve",
    "solver_for",
    "status_of",
]
