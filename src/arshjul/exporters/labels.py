"""The words the pictures, the report and plan.xlsx share: months, weekdays, meeting kinds,
and dates and times as a planner writes them (``tis 23 feb 2027`` / ``Tue, Feb 23, 2027``,
``09:10``), in the plan's language (:class:`arshjul.i18n.Catalogue`).

The one home for these labels: the wheel, the heat map, the report and the workbook all take
them from here.  Month names are CLDR's (Babel), which are the words a Swedish planner
writes (``januari``).  The abbreviations are the catalogue's: CLDR's Swedish ones carry a
period and say ``mars``, ``tors`` (``jan.``, ``tors``), where the table heads and dates keep
the short, even look ``jan``, ``mar``, ``tor``; the English msgids are CLDR's English
abbreviations, so English needs no translation.  The scenario's ``labels`` (the agency's own
word for a meeting kind) replace the catalogue's kind names here too.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from ..i18n import KIND_LABELS, Catalogue

KINDS: tuple[str, ...] = tuple(KIND_LABELS)
"""The meeting kinds in the order the legend and the tables list them."""


@cache
def month_names(cat: Catalogue) -> tuple[str, ...]:
    """``januari`` … ``december`` / ``January`` … ``December`` (CLDR, as in running text)."""
    names = get_month_names("wide", "format", cat.language)
    return tuple(names[m] for m in range(1, 13))


@cache
def month_abbreviations(cat: Catalogue) -> tuple[str, ...]:
    """``jan`` … ``dec`` / ``Jan`` … ``Dec``: table heads and short dates."""
    # TRANSLATORS: month abbreviations for table heads and short dates
    # ("23 feb 2027"): keep them short and without a period
    return (
        cat.pgettext("month", "Jan"),
        cat.pgettext("month", "Feb"),
        cat.pgettext("month", "Mar"),
        cat.pgettext("month", "Apr"),
        cat.pgettext("month", "May"),
        cat.pgettext("month", "Jun"),
        cat.pgettext("month", "Jul"),
        cat.pgettext("month", "Aug"),
        cat.pgettext("month", "Sep"),
        cat.pgettext("month", "Oct"),
        cat.pgettext("month", "Nov"),
        cat.pgettext("month", "Dec"),
    )


@cache
def weekday_abbreviations(cat: Catalogue) -> tuple[str, ...]:
    """``mån`` … ``sön`` / ``Mon`` … ``Sun``, Monday first (as :meth:`date.weekday`)."""
    # TRANSLATORS: weekday abbreviations for short dates ("tis 23 feb"),
    # without a period
    return (
        cat.pgettext("weekday", "Mon"),
        cat.pgettext("weekday", "Tue"),
        cat.pgettext("weekday", "Wed"),
        cat.pgettext("weekday", "Thu"),
        cat.pgettext("weekday", "Fri"),
        cat.pgettext("weekday", "Sat"),
        cat.pgettext("weekday", "Sun"),
    )


def kind_name(cat: Catalogue, kind: str) -> str:
    """A meeting kind in full (the wheel's legend and tooltips, plan.xlsx)."""
    own = dict(cat.labels).get(kind)
    if own:
        return own
    names = {
        # TRANSLATORS: a meeting kind in full, in the wheel's legend and in plan.xlsx
        "dialog": cat.pgettext("kind in full", "Strategic quick dialog"),
        "hybrid": cat.pgettext("kind in full", "Hybrid meeting (information/identification)"),
        "learning": cat.pgettext("kind in full", "Learning meeting"),
        "network": cat.pgettext("kind in full", "Network meeting (RND)"),
    }
    return names.get(kind, kind)


def kind_short(cat: Catalogue, kind: str) -> str:
    """A meeting kind as a table column shows it (the full names: :func:`kind_name`)."""
    own = dict(cat.labels).get(kind)
    if own:
        return own
    names = {
        # TRANSLATORS: a meeting kind in a narrow table column of the report
        "dialog": cat.pgettext("kind in short", "Quick dialog"),
        "hybrid": cat.pgettext("kind in short", "Hybrid meeting"),
        "learning": cat.pgettext("kind in short", "Learning meeting"),
        "network": cat.pgettext("kind in short", "Network meeting"),
    }
    return names.get(kind, kind)


def day_text(cat: Catalogue, day: dt.date, *, year: bool = True, weekday: bool = False) -> str:
    """``tis 23 feb 2027`` / ``Tue, Feb 23, 2027``: a date in running text and tables."""
    if weekday and year:
        # TRANSLATORS: a short date; {weekday} and {month} are the abbreviations above
        pattern = cat.gettext("{weekday}, {month} {day}, {year}")
    elif weekday:
        # TRANSLATORS: a short date within the year
        pattern = cat.gettext("{weekday}, {month} {day}")
    elif year:
        # TRANSLATORS: a short date
        pattern = cat.gettext("{month} {day}, {year}")
    else:
        # TRANSLATORS: a short date within the year
        pattern = cat.gettext("{month} {day}")
    return pattern.format(
        weekday=weekday_abbreviations(cat)[day.weekday()],
        month=month_abbreviations(cat)[day.month - 1],
        day=day.day,
        year=day.year,
    )


def clock(t: dt.datetime, tz: str) -> str:
    """Local wall-clock time in the plan's zone (times are stored zone-aware), 24-hour."""
    return f"{t.astimezone(ZoneInfo(tz)):%H:%M}"


__all__ = [
    "KINDS",
    "clock",
    "day_text",
    "kind_name",
    "kind_short",
    "month_abbreviations",
    "month_names",
    "weekday_abbreviations",
]
