"""iCalendar files that Outlook imports as they are, and reading edited times back.

Written for what Outlook really does (see ``shared/outlook-ics.md``): every TZID ships its
own fixed RRULE VTIMEZONE (:mod:`.vtimezone`), UIDs are stable and short, DTSTAMP is UTC,
and a plain calendar is ``METHOD:PUBLISH`` without ORGANIZER/ATTENDEE so the planner gets
ordinary appointments.  Updating calendars people already imported needs iTIP instead —
``METHOD:REQUEST`` with an ORGANIZER and a raised SEQUENCE, ``METHOD:CANCEL`` for what is
gone — which :func:`write_invitations` writes.  Events are sorted and properties written
in a fixed order, so the same plan and DTSTAMP always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Event, vCalAddress

from ..errors import PlanFileError, ScenarioError
from ..fileio import write_atomic
from ..plan import KIND_LABELS, Closure, Plan, Session
from ..revision import carry_sequences
from .vtimezone import vtimezone

PRODID = "-//arshjul//arshjul//EN"
UID_MAX_BYTES = 202
"""Outlook may not tell apart UIDs longer than this."""
UID_DOMAIN = "arshjul"

Method = Literal["PUBLISH", "REQUEST", "CANCEL"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s:;,\"<>()\[\]\\]+@[^@\s:;,\"<>()\[\]\\]+$")


# -- small helpers ---------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Text as iCalendar may carry it: newlines kept (escaped later), other controls dropped."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _param(text: str) -> str:
    """A parameter value (CN): one line, no double quotes (Outlook reads no RFC 6868)."""
    return _one_line_text(text).replace('"', "'")


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


def _hhmm(t: dt.datetime, tz: ZoneInfo) -> str:
    return t.astimezone(tz).strftime("%H:%M")


def _one_line_text(text: str) -> str:
    """Text for a one-line field (Outlook's Subject and Location; calcurse skips an event
    whose SUMMARY has a line break): line breaks become spaces, nothing else changes."""
    return _clean(text).replace("\n", " ")


def summary(session: Session) -> str:
    """What a calendar shows as the title (one line); dialogs say what they are."""
    title = _one_line_text(session.title)
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
        parts.append(f"Meeting link: {_clean(session.meeting_link)}")
    if session.kind == "dialog" and (session.presentations or session.host_start):
        lines = ["Running order:"]
        if session.host_start is not None and session.host_end is not None:
            span = f"{_hhmm(session.host_start, tz)}–{_hhmm(session.host_end, tz)}"
            lines.append(f"{span} {_clean(session.host_name)} (host)")
        for p in session.presentations:
            label = _clean(_region_label(plan, p.name, p.regions))
            lines.append(f"{_hhmm(p.start, tz)}–{_hhmm(p.end, tz)} {label}")
        parts.append("\n".join(lines))
    if session.followup_on:
        net = _other(plan, session.followup_on)
        where = (
            f"{_clean(net.title)}, {net.start.astimezone(tz):%Y-%m-%d %H:%M}"
            if net is not None
            else session.followup_on
        )
        parts.append(f"Followed up at: {where}")
    if session.followups:
        lines = ["Follow-up items:"]
        for fid in session.followups:
            d = _other(plan, fid)
            lines.append(f"- {_clean(d.title)} ({d.date:%Y-%m-%d})" if d is not None else f"- {fid}")
        parts.append("\n".join(lines))
    if session.description:
        parts.append(_clean(session.description))
    return "\n\n".join(parts)


def event_location(session: Session) -> str | None:
    """LOCATION: the place, and the meeting link so it is one click away in Outlook."""
    place = _one_line_text(session.location) if session.location else None
    link = _one_line_text(session.meeting_link) if session.meeting_link else None
    if place and link and link not in place:
        return f"{place} – {link}"
    return place or link


def _mailto(email: str, field: str) -> str:
    if not _EMAIL.match(email):
        raise ScenarioError(f"{email!r} is not an e-mail address arshjul can write", field=field)
    return f"mailto:{email}"


# -- building --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Itip:
    """What an iTIP file adds to each event: the organizer and which regions attend."""

    method: Method
    attendees: Callable[[Session], Sequence[str]]


def _host_email(emails: dict[str, str], host: str) -> str:
    """The organizer address, or the one-line error naming the scenario field to fill in."""
    email = emails.get(host)
    if not email:
        raise ScenarioError(
            f"host {host!r} has no e-mail address; invitation mode needs one as ORGANIZER",
            field=f"hosts[{host}].email",
        )
    return _mailto(email, f"hosts[{host}].email")


def _organizer(plan: Plan, session: Session, emails: dict[str, str]) -> vCalAddress:
    org = vCalAddress(_host_email(emails, session.host))
    org.params["CN"] = _param(plan.hosts.get(session.host, session.host_name))
    return org


def _session_event(
    plan: Plan,
    session: Session,
    dtstamp: dt.datetime,
    itip: _Itip | None,
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
    ev.add("summary", summary(session))
    location = event_location(session)
    if location:
        ev.add("location", location)
    description = event_description(plan, session)
    if description:
        ev.add("description", description)
    categories = [KIND_LABELS[session.kind]]
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
            att.params["CN"] = _param(plan.regions.get(code, code))
            att.params["CUTYPE"] = "INDIVIDUAL"
            att.params["ROLE"] = "REQ-PARTICIPANT" if code in presenting else "OPT-PARTICIPANT"
            if not cancelled:
                att.params["PARTSTAT"] = "NEEDS-ACTION"
                att.params["RSVP"] = "TRUE"
            ev.add("attendee", att)
    return ev


def _closure_event(plan: Plan, closure: Closure, dtstamp: dt.datetime) -> Event:
    ev = Event()
    ev.add("uid", closure_uid(plan, closure))
    ev.add("dtstamp", dtstamp)
    ev.add("sequence", 0)
    ev.add("dtstart", closure.start)
    ev.add("dtend", closure.end + dt.timedelta(days=1))  # all-day DTEND is exclusive
    ev.add("summary", _one_line_text(closure.name))
    ev.add("categories", ["Holiday" if closure.kind == "holiday" else "Blackout"])
    ev.add("transp", "TRANSPARENT")
    ev.add("x-microsoft-cdo-busystatus", "FREE")
    return ev


_EventCache = dict[tuple[str, int | None, dt.datetime], bytes]
"""(session id, SEQUENCE override, DTSTAMP) → the session's PUBLISH VEVENT as bytes."""


def _calendar(
    plan: Plan,
    sessions: Iterable[Session],
    *,
    dtstamp: dt.datetime,
    name: str,
    itip: _Itip | None = None,
    closures: Iterable[Closure] = (),
    host_emails: dict[str, str] | None = None,
    sequences: dict[str, int] | None = None,
    cache: _EventCache | None = None,
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
        cal.add("x-wr-calname", _param(name))
    cal.add_component(vtimezone(plan.timezone, _years(plan)))
    head = bytes(cal.to_ical(sorted=False))
    end = b"END:VCALENDAR\r\n"
    if not head.endswith(end):
        raise AssertionError("icalendar ended a calendar unexpectedly")
    # the events go where icalendar itself would put its subcomponents: before the end line
    return head[: -len(end)] + b"".join(data for _, _, data in keyed) + end


# -- public: PUBLISH calendars ---------------------------------------------------------------


def master_calendar(
    plan: Plan, *, dtstamp: dt.datetime, include_closures: bool = False, cache: _EventCache | None = None
) -> bytes:
    """Every session of the plan, for the planner's own Outlook (plain appointments)."""
    return _calendar(
        plan,
        plan.sessions,
        dtstamp=dtstamp,
        name=plan.scenario_name,
        closures=plan.closures if include_closures else (),
        cache=cache,
    )


def region_calendar(
    plan: Plan, code: str, *, dtstamp: dt.datetime, cache: _EventCache | None = None
) -> bytes:
    """Only what one region is invited to: the file sent to that region."""
    if code not in plan.regions and not any(code in s.invited for s in plan.sessions):
        raise ValueError(f"unknown region {code!r}")
    name = f"{plan.scenario_name} — {plan.regions.get(code, code)}"
    return _calendar(plan, plan.sessions_for(code), dtstamp=dtstamp, name=name, cache=cache)


def theme_calendar(
    plan: Plan, theme_id: str, *, dtstamp: dt.datetime, cache: _EventCache | None = None
) -> bytes:
    """One thematic area's sessions, for whoever runs that area."""
    sessions = [s for s in plan.sessions if s.theme == theme_id]
    if not sessions:
        raise ValueError(f"no session of theme {theme_id!r} in the plan")
    first = min(sessions, key=lambda s: (s.start, s.id))
    name = f"{plan.scenario_name} — {_clean(first.title)}"
    return _calendar(plan, sessions, dtstamp=dtstamp, name=name, cache=cache)


def host_calendar(
    plan: Plan, host_id: str, *, dtstamp: dt.datetime, cache: _EventCache | None = None
) -> bytes:
    """One host's sessions: each agency imports only its own meetings."""
    sessions = [s for s in plan.sessions if s.host == host_id]
    if not sessions and host_id not in plan.hosts:
        raise ValueError(f"unknown host {host_id!r}")
    name = plan.hosts.get(host_id) or (sessions[0].host_name if sessions else host_id)
    return _calendar(
        plan, sessions, dtstamp=dtstamp, name=f"{plan.scenario_name} — {_clean(name)}", cache=cache
    )


def safe_name(name: str) -> str:
    """``name`` as a file name inside an output folder, or ValueError: never a path out of it."""
    if (
        not name
        or "/" in name
        or "\\" in name
        or ".." in name
        or name.startswith(".")
        or ":" in name
        or _CONTROL.search(name)
        or "\n" in name
        or "\t" in name
    ):
        raise ValueError(f"{name!r} cannot be used as a file name")
    return name


def _inside(out_dir: Path, *parts: str) -> Path:
    path = out_dir.joinpath(*parts)
    if not path.resolve().is_relative_to(out_dir.resolve()):
        raise ValueError(f"{path} would be written outside {out_dir}")
    return path


def _themes(plan: Plan) -> list[str]:
    return sorted({s.theme for s in plan.sessions if s.theme})


def _hosts(plan: Plan) -> list[str]:
    return sorted(set(plan.hosts) | {s.host for s in plan.sessions})


def write_calendars(
    plan: Plan, out_dir: Path, *, dtstamp: dt.datetime, include_closures: bool = False
) -> list[Path]:
    """Master, per-region, per-theme and per-host PUBLISH calendars, each written atomically."""
    out_dir = Path(out_dir)
    cache: _EventCache = {}
    jobs: list[tuple[Path, bytes]] = [
        (
            _inside(out_dir, "calendar.ics"),
            master_calendar(plan, dtstamp=dtstamp, include_closures=include_closures, cache=cache),
        )
    ]
    for code in plan.regions:
        path = _inside(out_dir, "regions", f"{safe_name(code)}.ics")
        jobs.append((path, region_calendar(plan, code, dtstamp=dtstamp, cache=cache)))
    for theme in _themes(plan):
        path = _inside(out_dir, "themes", f"{safe_name(theme)}.ics")
        jobs.append((path, theme_calendar(plan, theme, dtstamp=dtstamp, cache=cache)))
    for host in _hosts(plan):
        path = _inside(out_dir, "hosts", f"{safe_name(host)}.ics")
        jobs.append((path, host_calendar(plan, host, dtstamp=dtstamp, cache=cache)))
    # Everything is built (and every name checked) before the first file is written.
    return [write_atomic(path, data) for path, data in jobs]


# -- public: invitation mode (iTIP) ----------------------------------------------------------


def _all_invited(session: Session) -> Sequence[str]:
    return session.invited


def _only(code: str) -> Callable[[Session], Sequence[str]]:
    """Attendees for one region's file: that region alone (its own contact)."""

    def attendees(session: Session) -> Sequence[str]:
        return (code,)

    return attendees


def write_invitations(
    plan: Plan, previous: Plan | None, out_dir: Path, *, dtstamp: dt.datetime
) -> list[Path]:
    """iTIP files that *update* calendars people already imported, instead of duplicating.

    ``calendar.ics`` and ``regions/<CODE>.ics`` are METHOD:REQUEST with ORGANIZER (the host,
    also listed as CHAIR attendee) and the regions' contacts as ATTENDEEs.  ``cancel.ics``
    and ``regions/<CODE>-cancel.ics`` are METHOD:CANCEL for sessions of ``previous`` that
    are gone (a region's cancel file also covers sessions it is no longer invited to).
    SEQUENCE is carried over from ``previous`` and raised on every session whose calendar
    entry changed, so Outlook applies the update.
    """
    out_dir = Path(out_dir)
    if previous is not None:
        plan = carry_sequences(plan, previous)
    emails = {**(previous.host_emails if previous else {}), **plan.host_emails}
    for host in sorted({s.host for s in plan.sessions}):
        _host_email(emails, host)  # every problem before the first file is written
    request = _Itip("REQUEST", _all_invited)
    jobs: list[tuple[Path, bytes]] = []
    if plan.sessions:
        jobs.append(
            (
                _inside(out_dir, "calendar.ics"),
                _calendar(
                    plan,
                    plan.sessions,
                    dtstamp=dtstamp,
                    name=plan.scenario_name,
                    itip=request,
                    host_emails=emails,
                ),
            )
        )
    for code in plan.regions:
        mine = plan.sessions_for(code)
        if not mine:
            continue  # a REQUEST must carry at least one event
        only_me = _Itip("REQUEST", _only(code))
        path = _inside(out_dir, "regions", f"{safe_name(code)}.ics")
        jobs.append(
            (
                path,
                _calendar(plan, mine, dtstamp=dtstamp, name="", itip=only_me, host_emails=emails),
            )
        )

    if previous is not None:
        current = {s.id: s for s in plan.sessions}
        gone = [s for s in previous.sessions if s.id not in current]
        for host in sorted({s.host for s in gone}):
            _host_email(emails, host)
        # The cancelled events are the previous generation's, with contacts and names from
        # whichever plan knows them, and SEQUENCE above anything sent before.
        merged = Plan(
            scenario_id=plan.scenario_id,
            scenario_name=plan.scenario_name,
            timezone=plan.timezone,
            period_start=min(plan.period_start, previous.period_start),
            period_end=max(plan.period_end, previous.period_end),
            window_days=plan.window_days,
            status=plan.status,
            sessions=list(previous.sessions),
            regions={**previous.regions, **plan.regions},
            contacts={**previous.contacts, **plan.contacts},
            hosts={**previous.hosts, **plan.hosts},
            host_emails=emails,
        )
        cancel = _Itip("CANCEL", _all_invited)
        if gone:
            seqs = {s.id: s.sequence + 1 for s in gone}
            jobs.append(
                (
                    _inside(out_dir, "cancel.ics"),
                    _calendar(
                        merged,
                        gone,
                        dtstamp=dtstamp,
                        name="",
                        itip=cancel,
                        host_emails=emails,
                        sequences=seqs,
                    ),
                )
            )
        for code in merged.regions:
            dropped = [
                s
                for s in previous.sessions
                if code in s.invited and (s.id not in current or code not in current[s.id].invited)
            ]
            if not dropped:
                continue
            seqs = {
                s.id: max(s.sequence + 1, current[s.id].sequence if s.id in current else 0) for s in dropped
            }
            only_me = _Itip("CANCEL", _only(code))
            path = _inside(out_dir, "regions", f"{safe_name(code)}-cancel.ics")
            jobs.append(
                (
                    path,
                    _calendar(
                        merged,
                        dropped,
                        dtstamp=dtstamp,
                        name="",
                        itip=only_me,
                        host_emails=emails,
                        sequences=seqs,
                    ),
                )
            )
    return [write_atomic(path, data) for path, data in jobs]


# -- reading back ----------------------------------------------------------------------------

_SESSION_UID = re.compile(rf"^(?P<id>[^@\s]+)@(?P<scenario>[^@\s]+)\.{UID_DOMAIN}$")


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
    for k, ev in enumerate(cal.walk("VEVENT")):
        uid = str(ev.get("uid", "")).strip()
        m = _SESSION_UID.match(uid)
        if not m or m.group("id").startswith("closure-"):
            continue
        sid = m.group("id")
        where = f"VEVENT {k + 1} (UID {uid})"
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


# -- our own Outlook rules check ---------------------------------------------------------------


def _unfold(text: str) -> list[tuple[int, str]]:
    """Logical content lines with the physical line number each starts on (any line break)."""
    lines: list[tuple[int, str]] = []
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for no, raw in enumerate(physical, start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw:
            lines.append((no, raw))
    return lines


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=value;...:VALUE, honouring quoted parameter values."""
    quoted = False
    head_end = len(line)
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head_end = i
            break
    head, value = line[:head_end], line[head_end + 1 :]
    pieces: list[str] = []
    cur, quoted = "", False
    for ch in head:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            pieces.append(cur)
            cur = ""
        else:
            cur += ch
    pieces.append(cur)
    params: dict[str, str] = {}
    for p in pieces[1:]:
        key, _, val = p.partition("=")
        params[key.upper()] = val.strip('"')
    return pieces[0].upper(), params, value


@dataclass
class _Comp:
    name: str
    line: int
    props: list[tuple[str, dict[str, str], str]]
    children: list[_Comp]

    def get(self, name: str) -> list[tuple[str, dict[str, str], str]]:
        return [p for p in self.props if p[0] == name]


def outlook_problems(data: bytes) -> list[str]:
    """What in a calendar file Outlook would get wrong, as readable lines; [] when none.

    Checks the raw bytes (CRLF, 75-octet lines, UTF-8) and the rules in
    ``shared/outlook-ics.md``: one STANDARD and at most one DAYLIGHT per VTIMEZONE, no
    RDATE, YEARLY RRULEs with a single BYDAY, TZOFFSETTO present, no TZID without its
    VTIMEZONE, unique UIDs of at most 202 bytes, DTSTAMP in UTC, ORGANIZER in iTIP and not
    in PUBLISH, no X-WR-CALNAME on a single appointment, all-day DTEND exclusive.
    """
    problems: list[str] = []
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"not valid UTF-8 (byte {exc.start})"]
    if text.startswith("\ufeff"):
        problems.append("starts with a byte-order mark")
        text = text[1:]
    if not text.endswith("\r\n"):
        problems.append("last line does not end with CRLF")
    for no, raw in enumerate(text.split("\r\n"), start=1):
        if "\n" in raw or "\r" in raw:
            problems.append(f"line {no}: line break other than CRLF")
        if len(raw.encode("utf-8")) > 75:
            problems.append(f"line {no}: {len(raw.encode('utf-8'))} octets, longer than 75")

    # Structure.
    root = _Comp("(file)", 0, [], [])
    stack = [root]
    for no, line in _unfold(text):
        name, params, value = _split(line)
        if name == "BEGIN":
            comp = _Comp(value.upper(), no, [], [])
            stack[-1].children.append(comp)
            stack.append(comp)
        elif name == "END":
            if len(stack) == 1 or stack[-1].name != value.upper():
                problems.append(f"line {no}: END:{value} does not close {stack[-1].name}")
                return problems
            stack.pop()
        else:
            stack[-1].props.append((name, params, value))
    if len(stack) != 1:
        problems.append(f"{stack[-1].name} opened on line {stack[-1].line} is never closed")
        return problems
    cals = [c for c in root.children if c.name == "VCALENDAR"]
    if len(cals) != 1 or len(root.children) != 1:
        problems.append("the file must hold exactly one VCALENDAR")
        if not cals:
            return problems

    for cal in cals:
        method = cal.get("METHOD")[0][2].upper() if cal.get("METHOD") else ""
        declared: set[str] = set()
        for tz in (c for c in cal.children if c.name == "VTIMEZONE"):
            tzids = tz.get("TZID")
            if not tzids:
                problems.append(f"line {tz.line}: VTIMEZONE without TZID")
                continue
            tzid = tzids[0][2]
            if tzid in declared:
                problems.append(f"VTIMEZONE {tzid}: declared twice")
            declared.add(tzid)
            std = [c for c in tz.children if c.name == "STANDARD"]
            dst = [c for c in tz.children if c.name == "DAYLIGHT"]
            if len(std) != 1:
                problems.append(f"VTIMEZONE {tzid}: {len(std)} STANDARD blocks (Outlook reads one)")
            if len(dst) > 1:
                problems.append(f"VTIMEZONE {tzid}: {len(dst)} DAYLIGHT blocks (Outlook reads one)")
            for obs in std + dst:
                where = f"VTIMEZONE {tzid} {obs.name}"
                if obs.get("RDATE"):
                    problems.append(f"{where}: RDATE (Outlook shifts DST events by an hour)")
                for prop in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                    if not obs.get(prop):
                        problems.append(f"{where}: no {prop}")
                rrules = obs.get("RRULE")
                if len(rrules) > 1:
                    problems.append(f"{where}: {len(rrules)} RRULEs")
                if not rrules and dst:
                    problems.append(f"{where}: no RRULE (a DST rule must repeat yearly)")
                for _, _, rule in rrules:
                    parts = dict(p.partition("=")[::2] for p in rule.upper().split(";") if p)
                    if parts.get("FREQ") != "YEARLY":
                        problems.append(f"{where}: RRULE is not FREQ=YEARLY")
                    if len([d for d in parts.get("BYDAY", "").split(",") if d]) != 1:
                        problems.append(f"{where}: RRULE needs exactly one BYDAY")
                    if len([m for m in parts.get("BYMONTH", "").split(",") if m]) != 1:
                        problems.append(f"{where}: RRULE needs exactly one BYMONTH")
                    if "UNTIL" in parts or "COUNT" in parts:
                        problems.append(f"{where}: RRULE ends (UNTIL/COUNT); Outlook keeps one rule")

        def walk(comp: _Comp) -> Iterable[_Comp]:
            yield comp
            for child in comp.children:
                yield from walk(child)

        for comp in walk(cal):
            for name, params, _ in comp.props:
                ref = params.get("TZID")
                if ref is not None and ref not in declared:
                    problems.append(f"{comp.name} {name}: TZID={ref} has no VTIMEZONE in the file")

        events = [c for c in cal.children if c.name == "VEVENT"]
        seen: dict[str, int] = {}
        for ev in events:
            uids = ev.get("UID")
            where = f"VEVENT on line {ev.line}"
            if len(uids) != 1:
                problems.append(f"{where}: {len(uids)} UID properties")
                continue
            uid = uids[0][2]
            if len(uid.encode("utf-8")) > UID_MAX_BYTES:
                problems.append(f"{where}: UID longer than {UID_MAX_BYTES} bytes")
            if not ev.get("RECURRENCE-ID"):
                if uid in seen:
                    problems.append(f"{where}: UID {uid} already used on line {seen[uid]}")
                seen[uid] = ev.line
            stamps = ev.get("DTSTAMP")
            if len(stamps) != 1:
                problems.append(f"{where}: {len(stamps)} DTSTAMP properties")
            for _, params, value in stamps:
                if "TZID" in params or not re.fullmatch(r"\d{8}T\d{6}Z", value):
                    problems.append(f"{where}: DTSTAMP {value} is not UTC")
            if method in ("REQUEST", "CANCEL") and not ev.get("ORGANIZER"):
                problems.append(f"{where}: METHOD:{method} without ORGANIZER (Outlook will not update)")
            if method in ("PUBLISH", "") and (ev.get("ORGANIZER") or ev.get("ATTENDEE")):
                problems.append(f"{where}: ORGANIZER/ATTENDEE in a PUBLISH calendar (not plain appointments)")
            starts, ends = ev.get("DTSTART"), ev.get("DTEND")
            all_day = bool(starts) and starts[0][1].get("VALUE", "").upper() == "DATE"
            if all_day and (not ends or ends[0][2] <= starts[0][2]):
                problems.append(f"{where}: all-day event needs an exclusive DTEND after DTSTART")
        if len(events) == 1 and cal.get("X-WR-CALNAME"):
            problems.append("X-WR-CALNAME on a file with a single appointment (creates a folder for it)")
    return problems


__all__ = [
    "PRODID",
    "UID_MAX_BYTES",
    "closure_uid",
    "event_description",
    "event_location",
    "host_calendar",
    "master_calendar",
    "outlook_problems",
    "read_ics_sessions",
    "region_calendar",
    "safe_name",
    "session_uid",
    "summary",
    "theme_calendar",
    "write_calendars",
    "write_invitations",
]
