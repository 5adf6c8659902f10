"""The CP-SAT model: the only package that imports OR-Tools."""

from .solve import Progress, SolveOptions, SolveResult, build_model, run, solve

__all__ = ["Progress", "SolveOptions", "SolveResult", "build_model", "run", "solve"]
