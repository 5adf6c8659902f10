"""The fixed VTIMEZONE blocks against zoneinfo, read three ways: our rule, icalendar, vobject.

icalendar's ``Timezone.to_tz(lookup_tzid=False)`` and vobject both build a tzinfo from the
VTIMEZONE *body* (not from the TZID name), so a block off by an hour or a week fails here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import vobject

from arshjul.errors import ScenarioError
from arshjul.exporters.ics import outlook_problems
from arshjul.exporters.vtimezone import (
    STOCKHOLM,
    derive_rule,
    nth_weekday,
    transitions,
    vtimezone,
    zone_rule,
)

UTC = dt.UTC
YEARS = [2027, 2028]
ZONES = ["Europe/Stockholm", "America/New_York", "Europe/London", "Asia/Tokyo"]

STOCKHOLM_BLOCK = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Stockholm",
    "BEGIN:DAYLIGHT",
    "DTSTART:19700329T020000",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "TZNAME:CEST",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "DTSTART:19701025T030000",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "TZNAME:CET",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def _block(tzid: str, years: list[int] = YEARS) -> str:
    return vtimezone(tzid, years).to_ical(sorted=False).decode()


def _wrap(block: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//test//EN\r\n" + block + "END:VCALENDAR\r\n"
    ).encode()


def _changes_by_scan(tzid: str, years: list[int]) -> list[dt.datetime]:
    """UTC instants where zoneinfo's offset changes, found by a plain 15-minute scan —
    independent of the bisection in :func:`transitions`."""
    zone = ZoneInfo(tzid)
    found = []
    t = dt.datetime(min(years), 1, 1, tzinfo=UTC)
    end = dt.datetime(max(years) + 1, 1, 1, tzinfo=UTC)
    prev = t.astimezone(zone).utcoffset()
    while t < end:
        t += dt.timedelta(minutes=15)
        off = t.astimezone(zone).utcoffset()
        if off != prev:
            found.append(t)
        prev = off
    return found


def _probes(tzid: str) -> list[dt.datetime]:
    probes = []
    for change in _changes_by_scan(tzid, YEARS):
        for minutes in (-90, -61, -60, -59, -1, 0, 1, 59, 60, 61, 90, 24 * 60):
            probes.append(change + dt.timedelta(minutes=minutes))
    for year in YEARS:
        for month in range(1, 13):
            probes.append(dt.datetime(year, month, 1, 0, 30, tzinfo=UTC))
    return probes


def test_stockholm_block_is_the_classic_rrule_block() -> None:
    assert _block("Europe/Stockholm").split("\r\n")[:-1] == STOCKHOLM_BLOCK
    assert zone_rule("Europe/Stockholm", YEARS) is STOCKHOLM


@pytest.mark.parametrize("tzid", ZONES)
def test_block_agrees_with_zoneinfo_read_three_ways(tzid: str) -> None:
    zone = ZoneInfo(tzid)
    block = _block(tzid)
    rule = zone_rule(tzid, YEARS)
    from_icalendar = vtimezone(tzid, YEARS).to_tz(lookup_tzid=False)
    from_vobject = vobject.readOne(_wrap(block).decode()).vtimezone.gettzinfo()
    probes = _probes(tzid)
    assert len(probes) >= 24
    for t in probes:
        want = t.astimezone(zone).utcoffset()
        assert rule.utcoffset(t) == want, (tzid, t)
        assert t.astimezone(from_icalendar).utcoffset() == want, (tzid, t, "icalendar")
        assert t.astimezone(from_vobject).utcoffset() == want, (tzid, t, "vobject")
    # Local wall times just after each change read back to the right instant too.
    for change in _changes_by_scan(tzid, YEARS):
        local = (change + dt.timedelta(hours=2)).astimezone(zone)
        naive = local.replace(tzinfo=None)
        for tz in (from_icalendar, from_vobject):
            assert naive.replace(tzinfo=tz).astimezone(UTC) == local.astimezone(UTC), (tzid, naive)
    assert outlook_problems(_wrap(block)) == []


def test_derived_rules_for_other_zones() -> None:
    ny = derive_rule("America/New_York", YEARS)
    assert ny.daylight is not None
    assert (ny.daylight.month, ny.daylight.byday, ny.daylight.time) == (3, "2SU", dt.time(2))
    assert (ny.standard.month, ny.standard.byday, ny.standard.time) == (11, "1SU", dt.time(2))
    london = derive_rule("Europe/London", YEARS)
    assert london.daylight is not None
    assert (london.daylight.byday, london.daylight.time) == ("-1SU", dt.time(1))
    assert (london.standard.byday, london.standard.time) == ("-1SU", dt.time(2))
    # Derivation reproduces the hand-written Stockholm block exactly.
    assert derive_rule("Europe/Stockholm", YEARS) == STOCKHOLM
    text = _block("America/New_York")
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU" in text
    assert "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU" in text
    assert "RDATE" not in text


def test_southern_hemisphere_zone() -> None:
    rule = zone_rule("Australia/Sydney", YEARS)
    assert rule.daylight is not None and rule.daylight.month == 10
    assert rule.standard.month == 4
    zone = ZoneInfo("Australia/Sydney")
    for t in _probes("Australia/Sydney"):
        assert rule.utcoffset(t) == t.astimezone(zone).utcoffset()


def test_zone_without_dst_is_one_standard_without_rrule() -> None:
    text = _block("Asia/Tokyo")
    assert text.count("BEGIN:STANDARD") == 1
    assert "DAYLIGHT" not in text
    assert "RRULE" not in text
    assert "TZOFFSETFROM:+0900" in text and "TZOFFSETTO:+0900" in text


def test_zone_with_no_fixed_yearly_rule_is_refused() -> None:
    # Morocco's changes follow Ramadan: a different month and week every year.
    with pytest.raises(ScenarioError) as info:
        vtimezone("Africa/Casablanca", YEARS)
    assert info.value.field == "timezone"
    assert str(info.value) == (
        "timezone: time zone 'Africa/Casablanca' has no fixed yearly DST rule arshjul can write for Outlook"
    )
    assert "\n" not in str(info.value)


def test_unknown_zone_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError) as info:
        vtimezone("Europe/Atlantis", YEARS)
    assert info.value.field == "timezone"


def test_transitions_found_to_the_second() -> None:
    found = transitions("Europe/Stockholm", [2027, 2028])
    assert [t.at for t in found] == [
        dt.datetime(2027, 3, 28, 1, tzinfo=UTC),
        dt.datetime(2027, 10, 31, 1, tzinfo=UTC),
        dt.datetime(2028, 3, 26, 1, tzinfo=UTC),
        dt.datetime(2028, 10, 29, 1, tzinfo=UTC),
    ]
    assert [t.at for t in found] == _changes_by_scan("Europe/Stockholm", [2027, 2028])


def test_nth_weekday() -> None:
    assert nth_weekday(2027, 3, 6, -1) == dt.date(2027, 3, 28)
    assert nth_weekday(2028, 10, 6, -1) == dt.date(2028, 10, 29)
    assert nth_weekday(2027, 3, 6, 2) == dt.date(2027, 3, 14)
    assert nth_weekday(2027, 11, 6, 1) == dt.date(2027, 11, 7)
    with pytest.raises(ValueError):
        nth_weekday(2027, 2, 6, 5)
