"""What a calendar event says: its title, description and location, as Outlook shows them.

Text from the scenario goes into fields that programs read differently: Outlook's Subject
and Location hold one line, calcurse skips an event whose SUMMARY has a line break, and a
CN parameter may not hold a double quote (Outlook reads no RFC 6868).  Newlines in a
DESCRIPTION are kept (icalendar escapes them), other control characters are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from ...plan import Plan, Session

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters no calendar field (and no file name) may carry."""


def clean(text: str) -> str:
    """Text as iCalendar may carry it: newlines kept (escaped later), other controls dropped."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def param(text: str) -> str:
    """A parameter value (CN): one line, no double quotes (Outlook reads no RFC 6868)."""
    return one_line_text(text).replace('"', "'")


def one_line_text(text: str) -> str:
    """Text for a one-line field (Outlook's Subject and Location; calcurse skips an event
    whose SUMMARY has a line break): line breaks become spaces, nothing else changes."""
    return clean(text).replace("\n", " ")


def _hhmm(t: dt.datetime, tz: ZoneInfo) -> str:
    return t.astimezone(tz).strftime("%H:%M")


def summary(session: Session) -> str:
    """What a calendar shows as the title (one line); dialogs say what they are."""
    title = one_line_text(session.title)
    return f"Snabbdialog: {title}" if session.kind == "dialog" else title


def _region_label(plan: Plan, presenter_name: str, regions: Sequence[str]) -> str:
    if len(regions) <= 1:
        return presenter_name
    members = ", ".join(plan.regions.get(code, code) for code in regions)
    return f"{presenter_name} ({members})"


def _other(plan: Plan, session_id: str) -> Session | None:
    try:
        return plan.session(session_id)
    except KeyError:
        return None


def event_description(plan: Plan, session: Session) -> str:
    """DESCRIPTION text: link first (Outlook makes no online meeting from a property), then
    the running order, follow-ups and the session's own description."""
    tz = ZoneInfo(plan.timezone)
    parts: list[str] = []
    if session.meeting_link:
        parts.append(f"Meeting link: {clean(session.meeting_link)}")
    if session.kind == "dialog" and (session.presentations or session.host_start):
        lines = ["Running order:"]
        if session.host_start is not None and session.host_end is not None:
            span = f"{_hhmm(session.host_start, tz)}–{_hhmm(session.host_end, tz)}"
            lines.append(f"{span} {clean(session.host_name)} (host)")
        for p in session.presentations:
            label = clean(_region_label(plan, p.name, p.regions))
            lines.append(f"{_hhmm(p.start, tz)}–{_hhmm(p.end, tz)} {label}")
        parts.append("\n".join(lines))
    if session.followup_on:
        net = _other(plan, session.followup_on)
        where = (
            f"{clean(net.title)}, {net.start.astimezone(tz):%Y-%m-%d %H:%M}"
            if net is not None
            else session.followup_on
        )
        parts.append(f"Followed up at: {where}")
    if session.followups:
        lines = ["Follow-up items:"]
        for fid in session.followups:
            d = _other(plan, fid)
            lines.append(f"- {clean(d.title)} ({d.date:%Y-%m-%d})" if d is not None else f"- {fid}")
        parts.append("\n".join(lines))
    if session.description:
        parts.append(clean(session.description))
    return "\n\n".join(parts)


def event_location(session: Session) -> str | None:
    """LOCATION: the place, and the meeting link so it is one click away in Outlook."""
    place = one_line_text(session.location) if session.location else None
    link = one_line_text(session.meeting_link) if session.meeting_link else None
    if place and link and link not in place:
        return f"{place} – {link}"
    return place or link


__all__ = ["CONTROL", "clean", "event_description", "event_location", "one_line_text", "param", "summary"]
