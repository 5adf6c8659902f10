"""Warnings about a valid scenario: things it says that a planner may not mean.

Plain data in, sentences out (no solver).  ``arshjul validate`` is the place to show them;
each names the field, like an error, but the scenario stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scenario import Scenario

YEAR_DAYS = 366
"""A period longer than this spans more than one year."""


@dataclass(frozen=True)
class Advice:
    """One warning: the field it is about and what to check."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def warnings(sc: Scenario) -> list[Advice]:
    """Every warning about a valid scenario, in file order."""
    out: list[Advice] = []
    days = (sc.period.end - sc.period.start).days + 1
    if days > YEAR_DAYS:
        years = days / 365.25
        for host in sc.hosts:
            for theme in host.themes:
                out.append(
                    Advice(
                        f"hosts[{host.id}].themes[{theme.id}].dialogs",
                        f"{theme.dialogs} dialog{'s' if theme.dialogs != 1 else ''} in the whole "
                        f"{days}-day period (about {years:.1f} years), not per year; "
                        f"write {theme.dialogs * round(years)} for {theme.dialogs} a year",
                    )
                )
    return out
