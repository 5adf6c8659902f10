"""One fixed, RRULE-based VTIMEZONE per IANA zone — the only shape Outlook reads right.

Outlook keeps one STANDARD/DAYLIGHT rule pair per zone, each an ``RRULE:FREQ=YEARLY`` with a
single ``BYDAY``; RDATE lists (what ``icalendar``'s ``add_missing_timezones()`` writes) shift
events by an hour in Outlook desktop.  So Europe/Stockholm is written as the classic block,
and any other zone gets a rule pair *derived* from ``zoneinfo``'s transitions in the planned
years and checked against ``zoneinfo`` at instants around every one of them.  A zone whose
changes follow no such yearly rule is refused with a :class:`~arshjul.errors.ScenarioError`
rather than written wrong.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from ..errors import ScenarioError

UTC = dt.UTC
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_EPOCH_YEAR = 1970
"""Observance DTSTARTs fall in 1970, as Outlook's and most published blocks do."""


@dataclass(frozen=True)
class Observance:
    """One side of a zone's yearly rule: when it starts (local wall time) and its offsets."""

    kind: Literal["STANDARD", "DAYLIGHT"]
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    tzname: str | None = None
    month: int | None = None
    """Month of the yearly change; ``None`` for a zone without DST (no RRULE)."""
    week: int = -1
    """Which ``weekday`` of the month: 1..5, or -1 for the last."""
    weekday: int = 6
    """0 = Monday … 6 = Sunday."""
    time: dt.time = dt.time(0, 0)
    """Local wall time of the change, read with ``offset_from``."""

    def onset(self, year: int) -> dt.datetime:
        """The local (naive) wall time this observance starts in ``year``."""
        if self.month is None:
            return dt.datetime(_EPOCH_YEAR, 1, 1)
        return dt.datetime.combine(nth_weekday(year, self.month, self.weekday, self.week), self.time)

    def onset_utc(self, year: int) -> dt.datetime:
        """The UTC instant this observance starts in ``year``."""
        return (self.onset(year) - self.offset_from).replace(tzinfo=UTC)

    @property
    def byday(self) -> str:
        return f"{self.week}{_WEEKDAYS[self.weekday]}"


@dataclass(frozen=True)
class ZoneRule:
    """A zone as Outlook sees it: one STANDARD and at most one DAYLIGHT observance."""

    tzid: str
    standard: Observance
    daylight: Observance | None = None

    def utcoffset(self, instant: dt.datetime) -> dt.timedelta:
        """The offset this rule gives at an aware ``instant`` — what a client would compute."""
        if self.daylight is None:
            return self.standard.offset_to
        utc = instant.astimezone(UTC)
        onsets = [
            (obs.onset_utc(year), obs)
            for year in (utc.year - 1, utc.year, utc.year + 1)
            for obs in (self.standard, self.daylight)
        ]
        latest = max((o for o in onsets if o[0] <= utc), key=lambda o: o[0])
        return latest[1].offset_to


def nth_weekday(year: int, month: int, weekday: int, week: int) -> dt.date:
    """The ``week``-th (1..5, or -1 = last) ``weekday`` of a month."""
    last_day = calendar.monthrange(year, month)[1]
    if week < 0:
        day = dt.date(year, month, last_day)
        return day - dt.timedelta(days=(day.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    if day.month != month:
        raise ValueError(f"no {week}. weekday {weekday} in {year}-{month:02d}")
    return day


STOCKHOLM = ZoneRule(
    tzid="Europe/Stockholm",
    daylight=Observance(
        kind="DAYLIGHT",
        offset_from=dt.timedelta(hours=1),
        offset_to=dt.timedelta(hours=2),
        tzname="CEST",
        month=3,
        week=-1,
        weekday=6,
        time=dt.time(2, 0),
    ),
    standard=Observance(
        kind="STANDARD",
        offset_from=dt.timedelta(hours=2),
        offset_to=dt.timedelta(hours=1),
        tzname="CET",
        month=10,
        week=-1,
        weekday=6,
        time=dt.time(3, 0),
    ),
)
FIXED: dict[str, ZoneRule] = {STOCKHOLM.tzid: STOCKHOLM}
"""Zones written as a known block rather than derived (still checked against zoneinfo)."""


def _cannot(tzid: str) -> ScenarioError:
    return ScenarioError(
        f"time zone {tzid!r} has no fixed yearly DST rule arshjul can write for Outlook",
        field="timezone",
    )


def _zone(tzid: str) -> ZoneInfo:
    try:
        return ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ScenarioError(f"unknown time zone {tzid!r}", field="timezone") from None


@dataclass(frozen=True)
class Transition:
    """One change of UTC offset found in ``zoneinfo``."""

    at: dt.datetime
    """First UTC instant of the new offset."""
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    tzname: str | None


def transitions(tzid: str, years: Iterable[int]) -> list[Transition]:
    """Every UTC-offset change of ``tzid`` in the given years, to the second."""
    zone = _zone(tzid)

    def offset(t: dt.datetime) -> dt.timedelta:
        off = t.astimezone(zone).utcoffset()
        assert off is not None
        return off

    found: list[Transition] = []
    for year in sorted(set(years)):
        t = dt.datetime(year, 1, 1, tzinfo=UTC)
        end = dt.datetime(year + 1, 1, 1, tzinfo=UTC)
        step = dt.timedelta(hours=6)
        while t < end:
            nxt = t + step
            before, after = offset(t), offset(nxt)
            if before != after:
                lo, hi = t, nxt  # offset(lo) == before, offset(hi) != before
                while hi - lo > dt.timedelta(seconds=1):
                    mid = lo + (hi - lo) / 2
                    mid = mid.replace(microsecond=0)
                    if mid <= lo:
                        break
                    if offset(mid) == before:
                        lo = mid
                    else:
                        hi = mid
                found.append(Transition(hi, before, offset(hi), hi.astimezone(zone).tzname()))
            t = nxt
    return found


def _observance(tzid: str, kind: Literal["STANDARD", "DAYLIGHT"], changes: list[Transition]) -> Observance:
    """One yearly rule that fits every change of one kind, or the ScenarioError."""
    first = changes[0]
    weeks: set[int] | None = None
    for ch in changes:
        local = (ch.at + ch.offset_from).replace(tzinfo=None)
        same = (
            local.month,
            local.weekday(),
            local.time(),
            ch.offset_from,
            ch.offset_to,
        )
        ref_local = (first.at + first.offset_from).replace(tzinfo=None)
        if same != (
            ref_local.month,
            ref_local.weekday(),
            ref_local.time(),
            first.offset_from,
            first.offset_to,
        ):
            raise _cannot(tzid)
        fits = {(local.day - 1) // 7 + 1}
        if local.day + 7 > calendar.monthrange(local.year, local.month)[1]:
            fits.add(-1)
        weeks = fits if weeks is None else weeks & fits
        if not weeks:
            raise _cannot(tzid)
    assert weeks
    ref_local = (first.at + first.offset_from).replace(tzinfo=None)
    return Observance(
        kind=kind,
        offset_from=first.offset_from,
        offset_to=first.offset_to,
        tzname=first.tzname,
        month=ref_local.month,
        week=-1 if -1 in weeks else min(weeks),
        weekday=ref_local.weekday(),
        time=ref_local.time(),
    )


def derive_rule(tzid: str, years: Iterable[int]) -> ZoneRule:
    """Read one STANDARD and at most one DAYLIGHT yearly rule off ``zoneinfo``'s transitions."""
    year_list = sorted(set(years))
    if not year_list:
        raise ValueError("derive_rule needs at least one year")
    zone = _zone(tzid)
    changes = transitions(tzid, year_list)
    if not changes:
        mid = dt.datetime(year_list[0], 7, 1, tzinfo=UTC).astimezone(zone)
        off = mid.utcoffset()
        assert off is not None
        return ZoneRule(tzid, Observance("STANDARD", off, off, mid.tzname()))
    by_year: dict[int, list[Transition]] = {y: [] for y in year_list}
    for ch in changes:
        by_year[ch.at.year].append(ch)
    for found in by_year.values():
        ups = [c for c in found if c.offset_to > c.offset_from]
        downs = [c for c in found if c.offset_to < c.offset_from]
        if len(ups) != 1 or len(downs) != 1:
            raise _cannot(tzid)
    daylight = _observance(tzid, "DAYLIGHT", [c for c in changes if c.offset_to > c.offset_from])
    standard = _observance(tzid, "STANDARD", [c for c in changes if c.offset_to < c.offset_from])
    if daylight.offset_from != standard.offset_to or standard.offset_from != daylight.offset_to:
        raise _cannot(tzid)
    return ZoneRule(tzid, standard=standard, daylight=daylight)


def check_rule(rule: ZoneRule, years: Iterable[int]) -> list[str]:
    """Instants (as text) where ``rule`` and ``zoneinfo`` disagree; [] when it is faithful.

    Looks just before, at, and after every transition of the given years, and at the middle
    of every month, so a rule off by an hour or a week cannot pass.
    """
    zone = _zone(rule.tzid)
    year_list = sorted(set(years))
    probes: list[dt.datetime] = []
    for ch in transitions(rule.tzid, year_list):
        for delta in (-3600, -60, -1, 0, 1, 60, 3600):
            probes.append(ch.at + dt.timedelta(seconds=delta))
    for year in year_list:
        for month in range(1, 13):
            probes.append(dt.datetime(year, month, 15, 12, tzinfo=UTC))
    if rule.daylight is not None:
        for year in year_list:
            for obs in (rule.standard, rule.daylight):
                for delta in (-3600, -1, 0, 1, 3600):
                    probes.append(obs.onset_utc(year) + dt.timedelta(seconds=delta))
    wrong = []
    for t in sorted(set(probes)):
        if rule.utcoffset(t) != t.astimezone(zone).utcoffset():
            wrong.append(t.isoformat())
    return wrong


def zone_rule(tzid: str, years: Iterable[int]) -> ZoneRule:
    """The rule pair to write for ``tzid``, faithful to ``zoneinfo`` in the given years."""
    return _zone_rule(tzid, tuple(sorted(set(years))))


@functools.lru_cache(maxsize=64)
def _zone_rule(tzid: str, year_list: tuple[int, ...]) -> ZoneRule:
    # Cached: every calendar of a plan asks for the same zone and years.
    fixed = FIXED.get(tzid)
    if fixed is not None and not check_rule(fixed, year_list):
        return fixed
    rule = derive_rule(tzid, year_list)
    if check_rule(rule, year_list):
        raise _cannot(tzid)
    return rule


class _OrderedRecur(vRecur):
    """An RRULE written in the order given (``FREQ;BYMONTH;BYDAY``), like the classic block."""

    def sorted_items(self) -> list[tuple[str, Any]]:
        return list(self.items())


def _component(obs: Observance) -> TimezoneStandard | TimezoneDaylight:
    comp = TimezoneDaylight() if obs.kind == "DAYLIGHT" else TimezoneStandard()
    start = obs.onset(_EPOCH_YEAR)
    comp.add("dtstart", start)  # naive: local wall time, read with TZOFFSETFROM
    comp.add("tzoffsetfrom", obs.offset_from)
    comp.add("tzoffsetto", obs.offset_to)
    if obs.month is not None:
        recur = _OrderedRecur()
        recur["FREQ"] = ["YEARLY"]
        recur["BYMONTH"] = [obs.month]
        recur["BYDAY"] = [obs.byday]
        comp.add("rrule", recur)
    if obs.tzname:
        comp.add("tzname", obs.tzname)
    return comp


def vtimezone(tzid: str, years: Iterable[int]) -> Timezone:
    """The VTIMEZONE component for ``tzid``: DAYLIGHT (if any) then STANDARD, no RDATE."""
    rule = zone_rule(tzid, years)
    tz = Timezone()
    tz.add("tzid", rule.tzid)
    if rule.daylight is not None:
        tz.add_component(_component(rule.daylight))
    tz.add_component(_component(rule.standard))
    return tz


__all__ = [
    "FIXED",
    "STOCKHOLM",
    "Observance",
    "ZoneRule",
    "check_rule",
    "derive_rule",
    "nth_weekday",
    "transitions",
    "vtimezone",
    "zone_rule",
]
