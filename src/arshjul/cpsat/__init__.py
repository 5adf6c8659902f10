"""The CP-SAT model: the only package that imports OR-Tools."""

from .solve import PRESETS, Progress, SolveOptions, SolveResult, build_model, preset_of, run, solve

__all__ = ["PRESETS", "Progress", "SolveOptions", "SolveResult", "build_model", "preset_of", "run", "solve"]
