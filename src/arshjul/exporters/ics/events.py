"""The bytes of one calendar file: stable UIDs, a VEVENT per session or closure, and the
VCALENDAR around them with its own VTIMEZONE.

Written for what Outlook really does (see ``shared/outlook-ics.md``): every TZID ships its
own fixed RRULE VTIMEZONE (:mod:`..vtimezone`), UIDs are stable and short, DTSTAMP is UTC,
and a plain calendar is ``METHOD:PUBLISH`` without ORGANIZER/ATTENDEE.  An iTIP file
(:class:`Itip`) adds the ORGANIZER and the ATTENDEEs.  Events are sorted and properties
written in a fixed order, so the same plan and DTSTAMP always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from ...errors import ScenarioError
from ...i18n import N_
from ...plan import Closure, Plan, Session
from ..vtimezone import vtimezone
from .text import event_description, event_location, one_line_text, param, summary, words

PRODID = "-//arshjul//arshjul//EN"
UID_MAX_BYTES = 202
"""Outlook may not tell apart UIDs longer than this."""
UID_DOMAIN = "arshjul"

Method = Literal["PUBLISH", "REQUEST", "CANCEL"]

_EMAIL = re.compile(r"^[^@\s:;,\"<>()\[\]\\]+@[^@\s:;,\"<>()\[\]\\]+$")


# -- UIDs and times -------------------------------------------------------------------------


def session_uid(plan: Plan, session: Session) -> str:
    """The stable UID: re-importing or updating finds the same meeting by it."""
    uid = f"{session.id}@{plan.scenario_id}.{UID_DOMAIN}"
    if len(uid.encode("utf-8")) > UID_MAX_BYTES:
        raise ValueError(f"UID {uid!r} is longer than {UID_MAX_BYTES} bytes; Outlook may confuse it")
    return uid


def closure_uid(plan: Plan, closure: Closure) -> str:
    """A closure's UID: its dates and a digest of its name, stable across runs."""
    digest = hashlib.sha1(f"{closure.name}|{closure.kind}".encode()).hexdigest()[:10]
    days = f"{closure.start:%Y%m%d}-{closure.end:%Y%m%d}"
    return f"closure-{days}-{digest}@{plan.scenario_id}.{UID_DOMAIN}"


def _utc(dtstamp: dt.datetime) -> dt.datetime:
    if dtstamp.tzinfo is None or dtstamp.utcoffset() is None:
        raise ValueError("dtstamp must be timezone-aware (it is written in UTC)")
    return dtstamp.astimezone(dt.UTC).replace(microsecond=0)


def _years(plan: Plan) -> list[int]:
    """The years the VTIMEZONE must be right in: the period and everything on the calendar."""
    years = set(range(plan.period_start.year, plan.period_end.year + 1))
    years.update(s.start.year for s in plan.sessions)
    years.update(s.end.year for s in plan.sessions)
    for c in plan.closures:
        years.update((c.start.year, c.end.year))
    return sorted(years)


def _wall_time(t: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Local time with TZID, except the second of two equal wall times on the night clocks go
    back: iCalendar reads an ambiguous TZID time as the first, so that one is written in UTC."""
    local = t.astimezone(tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return local.astimezone(dt.UTC)
    return local


# -- events ----------------------------------------------------------------------------------


def _mailto(email: str, field: str) -> str:
    if not _EMAIL.match(email):
        raise ScenarioError(f"{email!r} is not an e-mail address arshjul can write", field=field)
    return f"mailto:{email}"


@dataclass(frozen=True)
class Itip:
    """What an iTIP file adds to each event: the organizer and which regions attend."""

    method: Method
    attendees: Callable[[Session], Sequence[str]]
    note: Callable[[Session], str | None] | None = None
    """A first line for each event's DESCRIPTION (why a meeting is cancelled)."""


def host_email(emails: dict[str, str], host: str) -> str:
    """The organizer address, or the one-line error naming the scenario field to fill in."""
    email = emails.get(host)
    if not email:
        raise ScenarioError(
            f"host {host!r} has no e-mail address; invitation mode needs one as ORGANIZER",
            field=f"hosts[{host}].email",
        )
    return _mailto(email, f"hosts[{host}].email")


def _organizer(plan: Plan, session: Session, emails: dict[str, str]) -> vCalAddress:
    org = vCalAddress(host_email(emails, session.host))
    org.params["CN"] = param(plan.hosts.get(session.host, session.host_name))
    return org


def _session_event(
    plan: Plan,
    session: Session,
    dtstamp: dt.datetime,
    itip: Itip | None,
    host_emails: dict[str, str],
    sequence: int | None = None,
) -> Event:
    tz = ZoneInfo(plan.timezone)
    ev = Event()
    ev.add("uid", session_uid(plan, session))
    ev.add("dtstamp", dtstamp)
    ev.add("sequence", session.sequence if sequence is None else sequence)
    ev.add("dtstart", _wall_time(session.start, tz))
    ev.add("dtend", _wall_time(session.end, tz))
    ev.add("summary", summary(plan, session))
    location = event_location(session)
    if location:
        ev.add("location", location)
    note = itip.note(session) if itip is not None and itip.note is not None else None
    description = event_description(plan, session, note)
    if description:
        ev.add("description", description)
    categories = [one_line_text(words(plan).kind(session.kind))]
    if session.theme:
        categories.append(session.theme)
    ev.add("categories", categories)
    cancelled = itip is not None and itip.method == "CANCEL"
    ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    ev.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    ev.add("x-microsoft-cdo-busystatus", "FREE" if cancelled else "BUSY")
    if itip is not None:
        organizer = _organizer(plan, session, host_emails)
        ev.add("organizer", organizer)
        # The organizer also attends, as CHAIR: an iTIP REQUEST needs at least one ATTENDEE
        # (RFC 5546; libical flags it) even when no invited region has a contact address.
        chair = vCalAddress(str(organizer))
        chair.params["CN"] = organizer.params["CN"]
        chair.params["ROLE"] = "CHAIR"
        if not cancelled:
            chair.params["PARTSTAT"] = "ACCEPTED"
        ev.add("attendee", chair)
        presenting = set(session.presenting_regions)
        for code in itip.attendees(session):
            email = plan.contacts.get(code)
            if not email:
                continue
            att = vCalAddress(_mailto(email, f"regions[{code}].contact"))
            att.params["CN"] = param(plan.regions.get(code, code))
            att.params["CUTYPE"] = "INDIVIDUAL"
            att.params["ROLE"] = "REQ-PARTICIPANT" if code in presenting else "OPT-PARTICIPANT"
            if not cancelled:
                att.params["PARTSTAT"] = "NEEDS-ACTION"
                att.params["RSVP"] = "TRUE"
            ev.add("attendee", att)
    return ev


CLOSURE_CATEGORIES = {
    # TRANSLATORS: the category of an all-day marker of a public holiday
    "holiday": N_("Holiday"),
    # TRANSLATORS: the category of an all-day marker of a named period
    # without meetings (summer, Christmas)
    "blackout": N_("Blackout"),
}


def _closure_event(plan: Plan, closure: Closure, dtstamp: dt.datetime) -> Event:
    ev = Event()
    ev.add("uid", closure_uid(plan, closure))
    ev.add("dtstamp", dtstamp)
    ev.add("sequence", 0)
    ev.add("dtstart", closure.start)
    ev.add("dtend", closure.end + dt.timedelta(days=1))  # all-day DTEND is exclusive
    ev.add("summary", one_line_text(closure.name))
    ev.add("categories", [words(plan).gettext(CLOSURE_CATEGORIES[closure.kind])])
    ev.add("transp", "TRANSPARENT")
    ev.add("x-microsoft-cdo-busystatus", "FREE")
    return ev


# -- the calendar around them ---------------------------------------------------------------


EventCache = dict[tuple[str, int | None, dt.datetime], bytes]
"""(session id, SEQUENCE override, DTSTAMP) → the session's PUBLISH VEVENT as bytes."""


def calendar_bytes(
    plan: Plan,
    sessions: Iterable[Session],
    *,
    dtstamp: dt.datetime,
    name: str,
    itip: Itip | None = None,
    closures: Iterable[Closure] = (),
    host_emails: dict[str, str] | None = None,
    sequences: dict[str, int] | None = None,
    cache: EventCache | None = None,
) -> bytes:
    """One calendar file.  ``cache`` holds PUBLISH events already serialised for another
    file of the same run: a session appears in every invited region's file (22,000 times
    over 240 regions), and its VEVENT is the same bytes in each."""
    stamp = _utc(dtstamp)
    tz = ZoneInfo(plan.timezone)
    keyed: list[tuple[tuple[dt.datetime, str], str, bytes]] = []
    for s in sessions:
        sequence = (sequences or {}).get(s.id)
        key = (s.id, sequence, stamp)
        data = None if cache is None or itip is not None else cache.get(key)
        if data is None:
            ev = _session_event(plan, s, stamp, itip, host_emails or plan.host_emails, sequence)
            data = ev.to_ical(sorted=False)
            if cache is not None and itip is None:
                cache[key] = data
        keyed.append(((s.start.astimezone(dt.UTC), s.id), session_uid(plan, s), data))
    for c in closures:
        start = dt.datetime.combine(c.start, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
        uid = closure_uid(plan, c)
        keyed.append(((start, uid), uid, _closure_event(plan, c, stamp).to_ical(sorted=False)))
    keyed.sort(key=lambda item: item[0])
    uids = [uid for _, uid, _ in keyed]
    if len(set(uids)) != len(uids):
        raise ValueError("two events in one calendar share a UID (duplicate session ids?)")

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", itip.method if itip else "PUBLISH")
    # The import creates a calendar folder named by X-WR-CALNAME: not for a single meeting,
    # and not for iTIP messages, which update meetings where they already are.
    if itip is None and len(keyed) != 1:
        # as TEXT (RFC 5545 3.8.8.2): icalendar writes an X- property's str unescaped, and
        # readers that unescape it (vobject, Apple, Google) cut the name at a comma
        cal.add("x-wr-calname", vText(param(name)))
    cal.add_component(vtimezone(plan.timezone, _years(plan)))
    head = bytes(cal.to_ical(sorted=False))
    end = b"END:VCALENDAR\r\n"
    if not head.endswith(end):
        raise AssertionError("icalendar ended a calendar unexpectedly")
    # the events go where icalendar itself would put its subcomponents: before the end line
    return head[: -len(end)] + b"".join(data for _, _, data in keyed) + end


__all__ = [
    "PRODID",
    "UID_DOMAIN",
    "UID_MAX_BYTES",
    "EventCache",
    "Itip",
    "Method",
    "calendar_bytes",
    "closure_uid",
    "host_email",
    "session_uid",
]
