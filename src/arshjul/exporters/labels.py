"""The Swedish words the pictures and the report show: months, weekdays, meeting kinds, and
dates and times as a Swedish planner writes them (``tis 23 feb 2027``, ``09:10``).

The one home for these labels: the wheel, the heat map and the report all take them from
here.  (The calendar files stay in English: see :data:`arshjul.plan.KIND_LABELS`.)
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MONTHS_SV = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
MONTHS_SV_SHORT = (
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
)  # fmt: skip
WEEKDAYS_SV_SHORT = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
KIND_SV: dict[str, str] = {
    "dialog": "Strategisk snabbdialog",
    "hybrid": "Hybridmöte (information/identifiering)",
    "learning": "Lärmöte",
    "network": "Nätverksmöte (RND)",
}
KIND_SV_SHORT: dict[str, str] = {
    "dialog": "Snabbdialog",
    "hybrid": "Hybridmöte",
    "learning": "Lärmöte",
    "network": "Nätverksmöte",
}
"""The kinds as a table column shows them (the long names are in :data:`KIND_SV`)."""


def day_sv(day: dt.date, *, year: bool = True, weekday: bool = False) -> str:
    """``tis 23 feb 2027``: how a Swedish planner writes a date in running text."""
    text = f"{day.day} {MONTHS_SV_SHORT[day.month - 1]}"
    if year:
        text += f" {day.year}"
    if weekday:
        text = f"{WEEKDAYS_SV_SHORT[day.weekday()]} {text}"
    return text


def clock(t: dt.datetime, tz: str) -> str:
    """Local wall-clock time in the plan's zone (times are stored zone-aware)."""
    return f"{t.astimezone(ZoneInfo(tz)):%H:%M}"


__all__ = [
    "KIND_SV",
    "KIND_SV_SHORT",
    "MONTHS_SV",
    "MONTHS_SV_SHORT",
    "WEEKDAYS_SV_SHORT",
    "clock",
    "day_sv",
]
