"""What a calendar event says: its title, description and location, as Outlook shows them.

Every word arshjul adds (the dialog's label, the running order's heading, "(host)", the
follow-up lines, dates) is in the plan's language, from the message catalogue
(:mod:`arshjul.i18n`); the agency's own labels replace the catalogue's words for its
meeting kinds.  Names from the scenario (titles, regions, hosts) are written as they are.

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

from ...i18n import N_, Catalogue, catalogue
from ...plan import FOCUS_MARK, Plan, Session

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters no calendar field (and no file name) may carry."""


def clean(text: str) -> str:
    """Text as iCalendar may carry it: newlines kept (escaped later), other controls dropped."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def param(text: str) -> str:
    """A parameter value (CN): one line, no double quotes, carets or backslashes.  Outlook
    (and vobject) read no RFC 6868, which icalendar writes: a ``"`` would become ``^'`` and
    a ``^`` would show doubled, so they become an apostrophe and a modifier circumflex.
    icalendar's reader takes a backslash in a parameter for an escape (a CN ending in one
    swallows the parameters after it), so it becomes a fullwidth reverse solidus."""
    return one_line_text(text).replace('"', "'").replace("^", "\u02c6").replace("\\", "\uff3c")


def one_line_text(text: str) -> str:
    """Text for a one-line field (Outlook's Subject and Location; calcurse skips an event
    whose SUMMARY has a line break): line breaks become spaces, nothing else changes."""
    return clean(text).replace("\n", " ")


def _hhmm(t: dt.datetime, tz: ZoneInfo) -> str:
    return t.astimezone(tz).strftime("%H:%M")


def words(plan: Plan) -> Catalogue:
    """The catalogue of a plan's calendars: its language and the agency's labels."""
    return catalogue(plan.language, plan.labels)


def summary(plan: Plan, session: Session) -> str:
    """What a calendar shows as the title (one line); dialogs say what they are, in the
    agency's word for them ("Snabbdialog: Hållbar precisionshälsa")."""
    title = one_line_text(session.title)
    if session.kind != "dialog":
        return title
    t = words(plan)
    # TRANSLATORS: a dialog's calendar title: its label, then the theme
    return t.gettext("{kind}: {title}").format(kind=one_line_text(t.kind("dialog")), title=title)


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


RUNNING_ORDER = N_("Running order:")
"""The msgid of the running order's heading (:mod:`arshjul.edited` reads it back)."""
# TRANSLATORS: the host's own line in a running order:
# "09:00–09:10 Vinnova (värd)"
HOST_MARK = N_("{name} (host)")
"""The msgid of the host's line in a running order (read back too)."""


def event_description(plan: Plan, session: Session, note: str | None = None) -> str:
    """DESCRIPTION text: ``note`` first (why a meeting is cancelled), the link (Outlook makes
    no online meeting from a property), then the running order, follow-ups and the session's
    own description."""
    t = words(plan)
    _ = t.gettext
    tz = ZoneInfo(plan.timezone)
    parts: list[str] = []
    if note:
        parts.append(note)
    if session.meeting_link:
        parts.append(_("Meeting link: {link}").format(link=clean(session.meeting_link)))
    if session.kind == "dialog" and (session.presentations or session.host_start):
        lines = [_(RUNNING_ORDER)]
        if session.host_start is not None and session.host_end is not None:
            span = f"{_hhmm(session.host_start, tz)}–{_hhmm(session.host_end, tz)}"
            lines.append(f"{span} {_(HOST_MARK).format(name=clean(session.host_name))}")
        for p in session.presentations:
            label = clean(_region_label(plan, p.name, p.regions))
            if p.focus:
                label += FOCUS_MARK + one_line_text(p.focus)
            lines.append(f"{_hhmm(p.start, tz)}–{_hhmm(p.end, tz)} {label}")
        parts.append("\n".join(lines))
    if session.followup_on:
        net = _other(plan, session.followup_on)
        if net is None:
            where = session.followup_on
        else:
            # TRANSLATORS: where a dialog is followed up: the meeting,
            # its weekday and date, a 24-hour time:
            # "RND-nätverksmöte, tisdag 20 april 2027 kl. 09:00"
            where = _("{meeting}, {day} at {time}").format(
                meeting=clean(net.title),
                day=t.weekday_date(net.start.astimezone(tz).date()),
                time=_hhmm(net.start, tz),
            )
        parts.append(_("Followed up at: {where}").format(where=where))
    if session.followups:
        # TRANSLATORS: heading of a network meeting's list of dialogs
        # to follow up
        lines = [_("Follow-up items:")]
        for fid in session.followups:
            d = _other(plan, fid)
            lines.append(f"- {clean(d.title)} ({t.date(d.date)})" if d is not None else f"- {fid}")
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


__all__ = [
    "CONTROL",
    "FOCUS_MARK",
    "HOST_MARK",
    "RUNNING_ORDER",
    "clean",
    "event_description",
    "event_location",
    "one_line_text",
    "param",
    "summary",
    "words",
]
