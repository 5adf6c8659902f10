"""Warnings about a valid scenario: things it says that a planner may not mean.

Plain data in, sentences out (no solver).  ``arshjul validate`` is the place to show them;
each names the field, like an error, but the scenario stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal

from .i18n import cli_language, ngettext
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
                        ngettext(
                            "{count} dialog in the whole {days}-day period (about {years} years), not per "
                            "year; write {total} for {count} a year",
                            "{count} dialogs in the whole {days}-day period (about {years} years), not per "
                            "year; write {total} for {count} a year",
                            theme.dialogs,
                        ).format(
                            count=theme.dialogs,
                            days=days,
                            years=format_decimal(Decimal(f"{years:.1f}"), "0.0", locale=cli_language()),
                            total=theme.dialogs * round(years),
                        ),
                    )
                )
    return out
