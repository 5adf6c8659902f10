"""The Swedish working calendar: holidays, half days, bridge days and school holidays.

Holidays come from the ``holidays`` package (Sweden, categories ``public`` and ``de_facto``,
Swedish names).  Half days ("från kl. 14.00") and klämdagar come from its ``bank`` and
``optional`` categories.  School-holiday weeks are shipped tables a scenario can override.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from dateutil.easter import easter

HALF_DAY_CLOSES_AT = dt.time(14, 0)
"""Half days before holidays close at 14:00: slots ending after that are closed."""

SPORTLOV_WEEKS: dict[str, tuple[int, int]] = {
    # Sportlov by county as published for 2020/21 (domain page); each municipality decides,
    # the pattern tends to repeat.  Västra Götaland differs by municipality: weeks 7-10.
    "SE-F": (7, 7),
    "SE-E": (7, 8),
    "SE-N": (7, 8),
    "SE-O": (7, 10),
    "SE-D": (8, 8),
    "SE-G": (8, 8),
    "SE-H": (8, 8),
    "SE-K": (8, 8),
    "SE-M": (8, 8),
    "SE-T": (8, 8),
    "SE-C": (8, 9),
    "SE-AB": (9, 9),
    "SE-I": (9, 9),
    "SE-S": (9, 9),
    "SE-U": (9, 9),
    "SE-W": (9, 9),
    "SE-X": (9, 10),
    "SE-Y": (10, 10),
    "SE-Z": (10, 10),
    "SE-AC": (10, 10),
    "SE-BD": (10, 10),
}
HOSTLOV_WEEK = 44
"""Höstlov is week 44 in the whole country."""


@dataclass(frozen=True)
class Holiday:
    day: dt.date
    name: str
    half_day: bool = False
    """Closes at 14:00 rather than all day."""
    bridge: bool = False
    """A klämdag (closed only when the scenario says so)."""


@lru_cache(maxsize=64)
def holidays_in(first_year: int, last_year: int) -> tuple[Holiday, ...]:
    """Swedish holidays, half days and klämdagar for the years, in date order."""
    years = list(range(first_year, last_year + 1))
    full = holidays.country_holidays("SE", years=years, categories=("public", "de_facto"), language="sv")
    extra = holidays.country_holidays("SE", years=years, categories=("bank", "optional"), language="sv")
    english = holidays.country_holidays("SE", years=years, categories=("bank", "optional"), language="en_US")
    out: dict[dt.date, Holiday] = {}
    for day, name in full.items():
        out[day] = Holiday(day, name)
    for day, name in extra.items():
        if day in out:
            continue
        en = english.get(day) or ""
        if "2pm" in en or "14.00" in name:
            out[day] = Holiday(day, name, half_day=True)
        elif "Squeeze" in en or "Klämdag" in name:
            out[day] = Holiday(day, name, bridge=True)
    return tuple(sorted(out.values(), key=lambda h: h.day))


def sportlov_weeks(code: str) -> tuple[int, int] | None:
    """The shipped sportlov weeks (first, last) of a Swedish county by its ISO 3166-2 code,
    or ``None`` when none are shipped for that code (the region then keeps only påsklov and
    höstlov unless the scenario lists its school holidays)."""
    return SPORTLOV_WEEKS.get(code)


def school_holiday_weeks(code: str, year: int) -> list[tuple[str, int, int]]:
    """Shipped school-holiday weeks for a Swedish region: (name, first week, last week).

    The tables are Swedish; a region outside Sweden gets none (give its own in the scenario).
    """
    out: list[tuple[str, int, int]] = []
    if not code.startswith("SE-"):
        return out
    sportlov = sportlov_weeks(code)
    if sportlov is not None:
        out.append(("sportlov", *sportlov))
    easter_monday = easter(year) + dt.timedelta(days=1)
    week = easter_monday.isocalendar().week
    out.append(("påsklov", week, week))
    out.append(("höstlov", HOSTLOV_WEEK, HOSTLOV_WEEK))
    return out
