"""Where calendar files go: names checked, and never a path out of the output folder."""

from __future__ import annotations

from pathlib import Path

from .text import CONTROL


def safe_name(name: str) -> str:
    """``name`` as a file name inside an output folder, or ValueError: never a path out of it."""
    if (
        not name
        or "/" in name
        or "\\" in name
        or ".." in name
        or name.startswith(".")
        or ":" in name
        or CONTROL.search(name)
        or "\n" in name
        or "\t" in name
    ):
        raise ValueError(f"{name!r} cannot be used as a file name")
    return name


def inside(out_dir: Path, *parts: str) -> Path:
    """``out_dir/parts…``, or ValueError when that would resolve outside ``out_dir``."""
    path = out_dir.joinpath(*parts)
    if not path.resolve().is_relative_to(out_dir.resolve()):
        raise ValueError(f"{path} would be written outside {out_dir}")
    return path


__all__ = ["inside", "safe_name"]
