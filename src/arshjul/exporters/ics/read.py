"""Reading calendars back: which arshjul session each event is, and when it now is.

A planner moves meetings around in a calendar program and exports the calendar again;
the events are found by the UID arshjul wrote (:func:`.events.session_uid`,
``<session id>@<scenario id>.arshjul``), the one pattern :data:`SESSION_UID` reads.
:mod:`arshjul.edited` builds a plan from what is read here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component

from ...errors import PlanFileError
from .events import UID_DOMAIN

SESSION_UID = re.compile(rf"^(?P<id>[^@\s]+)@(?P<scenario>[^@\s]+)\.{UID_DOMAIN}$")
"""A UID arshjul wrote: ``id`` is the session's (``closure-…`` for a closure), ``scenario``
the scenario's."""


@dataclass(frozen=True)
class SessionEvent:
    """A VEVENT whose UID arshjul wrote."""

    index: int
    """Its place among the file's VEVENTs, from 0 (error messages count from 1)."""
    uid: str
    session_id: str
    scenario_id: str
    event: Component


def session_events(cal: Calendar) -> Iterator[SessionEvent]:
    """The VEVENTs of ``cal`` whose UID arshjul wrote, closures included, in file order."""
    for k, ev in enumerate(cal.walk("VEVENT")):
        uid = str(ev.get("uid", "")).strip()
        m = SESSION_UID.match(uid)
        if m:
            yield SessionEvent(k, uid, m.group("id"), m.group("scenario"), ev)


def session_ids(data: bytes, scenario_id: str) -> set[str]:
    """Ids of the events whose UID names this scenario (``<id>@<scenario>.arshjul``),
    cancelled ones included."""
    cal = Calendar.from_ical(bytes(data).decode("utf-8-sig"))
    return {found.session_id for found in session_events(cal) if found.scenario_id == scenario_id}


def _one_line(text: object, limit: int = 120) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def read_ics_sessions(
    data: bytes, source: str, *, timezone: str | None = None
) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Session id → (start, end) from a calendar the planner edited in a calendar program.

    Events are matched by the UID arshjul wrote; other events (the planner's own, closures)
    are ignored.  Times are converted to ``timezone`` (pass ``plan.timezone``), which also
    reads floating times; a TZID unknown to zoneinfo is read through the file's VTIMEZONE.
    Anything unreadable is one :class:`PlanFileError` line naming ``source``.
    """
    try:
        return _read_ics_sessions(data, source, timezone)
    except PlanFileError:
        raise
    except Exception as exc:  # any parser failure is the file's fault, said in one line
        raise PlanFileError(
            f"not a readable calendar ({_one_line(exc) or type(exc).__name__})",
            source=source,
            field="(file)",
        ) from None


def _read_ics_sessions(
    data: bytes, source: str, timezone: str | None
) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    def fail(field: str, problem: str) -> PlanFileError:
        return PlanFileError(_one_line(problem, 200), source=source, field=_one_line(field))

    if not isinstance(data, bytes | bytearray):
        raise fail("(file)", "calendar data must be bytes")
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail("(file)", f"not UTF-8 text (byte {exc.start})") from None
    if "BEGIN:VCALENDAR" not in text.upper():
        raise fail("(file)", "no BEGIN:VCALENDAR: not an iCalendar file")
    zone: ZoneInfo | None = None
    if timezone is not None:
        try:
            zone = ZoneInfo(timezone)
        except Exception:
            raise fail("timezone", f"unknown time zone {timezone!r}") from None
    try:
        cal = Calendar.from_ical(text)
    except Exception as exc:
        raise fail("(file)", f"not a readable calendar: {exc}") from None

    def moment(ev: Component, name: str, where: str) -> dt.datetime | None:
        if name not in ev:
            return None
        errors = [msg for prop, msg in getattr(ev, "errors", []) if str(prop).upper() == name]
        if errors:
            raise fail(f"{where} {name}", f"malformed value ({errors[0]})")
        value = ev.decoded(name)
        if isinstance(value, dt.datetime):
            tzid = ev[name].params.get("TZID") if hasattr(ev[name], "params") else None
            if tzid and (value.tzinfo is None or value.utcoffset() is None):
                problem = f"TZID {tzid!r} is no known zone and has no VTIMEZONE"
                raise fail(f"{where} {name}", problem)
            if value.tzinfo is None or value.utcoffset() is None:
                if zone is None:
                    raise fail(f"{where} {name}", "floating time without TZID (pass the plan's time zone)")
                value = value.replace(tzinfo=zone)
            return value.astimezone(zone) if zone is not None else value
        if isinstance(value, dt.date):
            raise fail(f"{where} {name}", "is a date: a session must have a start and end time")
        raise fail(f"{where} {name}", f"malformed value {str(ev.get(name))!r}")

    out: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    for found in session_events(cal):
        if found.session_id.startswith("closure-"):
            continue
        sid, ev = found.session_id, found.event
        where = f"VEVENT {found.index + 1} (UID {found.uid})"
        if "RRULE" in ev or "RDATE" in ev or "RECURRENCE-ID" in ev:
            raise fail(where, "repeats (RRULE/RDATE/RECURRENCE-ID); a session is one meeting")
        if str(ev.get("status", "")).upper() == "CANCELLED":
            continue
        start = moment(ev, "DTSTART", where)
        if start is None:
            raise fail(where, "has no DTSTART")
        end = moment(ev, "DTEND", where)
        if end is None:
            if "DURATION" not in ev:
                raise fail(where, "has neither DTEND nor DURATION")
            duration = ev.decoded("DURATION")
            if not isinstance(duration, dt.timedelta):
                raise fail(f"{where} DURATION", "malformed value")
            end = start + duration
        if end <= start:
            raise fail(where, "ends before it starts")
        if sid in out:
            raise fail(where, f"session {sid!r} appears twice")
        out[sid] = (start, end)
    return out


__all__ = ["SESSION_UID", "SessionEvent", "read_ics_sessions", "session_events", "session_ids"]
