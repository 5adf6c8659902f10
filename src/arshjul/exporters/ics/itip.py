"""Invitation mode (iTIP): files that *update* the meetings people already have.

``METHOD:REQUEST`` with an ORGANIZER and a raised SEQUENCE makes Outlook update a meeting
in place instead of adding a second one; ``METHOD:CANCEL`` removes what is gone.  The UIDs
are the PUBLISH calendars' (:func:`.events.session_uid`), so both kinds of file name the
same meetings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...fileio import write_atomic
from ...plan import Plan, Session
from ...revision import carry_sequences, diff_plans
from .events import Itip, _mailto, calendar_bytes, host_email
from .files import inside, safe_name
from .text import words


def _all_invited(session: Session) -> Sequence[str]:
    return session.invited


def _only(code: str) -> Callable[[Session], Sequence[str]]:
    """Attendees for one region's file: that region alone (its own contact)."""

    def attendees(session: Session) -> Sequence[str]:
        return (code,)

    return attendees


def _cancelled(plan: Plan) -> Callable[[Session], str | None]:
    """The first line of a cancelled meeting's description, in the plan's language."""
    text = words(plan).gettext("This meeting is cancelled.")
    return lambda session: text


def _uninvited(plan: Plan, code: str, current: dict[str, Session]) -> Callable[[Session], str | None]:
    """For one region's cancel file: a meeting gone from the plan is cancelled; one still
    held no longer invites this region."""
    t = words(plan)
    gone = t.gettext("This meeting is cancelled.")
    # TRANSLATORS: first line of a cancelled entry in one region's
    # calendar when the meeting is still held but that region is no
    # longer invited; {region} is the region's name
    dropped = t.gettext("The meeting is still held, but {region} is no longer invited to it.")
    region = plan.regions.get(code, code)

    def note(session: Session) -> str:
        return gone if session.id not in current else dropped.format(region=region)

    return note


@dataclass(frozen=True)
class Sending:
    """What a set of invitations sends against the plan sent before: the sessions to request
    (new, moved, otherwise changed) and the ones to cancel.  Without a previous plan (the
    first sending) every session is new."""

    new: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    """Still at the same time, but something its calendar entry shows changed (title,
    presenters, who is invited, a contact …)."""
    cancelled: tuple[str, ...] = ()

    @property
    def requested(self) -> frozenset[str]:
        """The sessions whose REQUEST goes out (SEQUENCE raised for all but the new)."""
        return frozenset((*self.new, *self.moved, *self.changed))

    @property
    def nothing(self) -> bool:
        """Nothing to send: not one file is written."""
        return not (self.requested or self.cancelled)


def what_to_send(plan: Plan, previous: Plan | None) -> Sending:
    """The sessions :func:`write_invitations` sends, by kind: one answer for the command
    line's ``invitations/`` folder, its summary line and the web's ``invitations.zip``."""
    if previous is None:
        return Sending(new=tuple(s.id for s in plan.sessions))
    diff = diff_plans(previous, plan)
    moved = tuple(m.session_id for m in diff.moved)
    return Sending(
        new=diff.added,
        moved=moved,
        changed=tuple(sid for sid in diff.changed if sid not in moved),
        cancelled=diff.removed,
    )


def check_previous(previous: Plan, host_emails: Mapping[str, str], contacts: Mapping[str, str]) -> None:
    """Every address a cancellation of ``previous``'s sessions could carry: the organizers and
    the invited regions' contacts (the current scenario's ``host_emails`` and ``contacts``
    first, as :func:`write_invitations` takes them).  A plan sent before with a host that
    has no usable address is then one line before solving, not a failure while writing."""
    emails = {**previous.host_emails, **host_emails}
    known = {**previous.contacts, **contacts}
    for host in sorted({s.host for s in previous.sessions}):
        host_email(emails, host)
    for code in sorted({c for s in previous.sessions for c in s.invited}):
        if known.get(code):
            _mailto(known[code], f"regions[{code}].contact")


def write_invitations(
    plan: Plan, previous: Plan | None, out_dir: Path, *, dtstamp: dt.datetime
) -> list[Path]:
    """iTIP files that *update* calendars people already imported, instead of duplicating:
    only what changed since ``previous`` (every session when there is none).

    ``calendar.ics`` and ``regions/<CODE>.ics`` are METHOD:REQUEST with ORGANIZER (the host,
    also listed as CHAIR attendee) and the regions' contacts as ATTENDEEs, for the sessions
    that are new, moved or otherwise changed (:func:`what_to_send`): a planner imports the
    three meetings that changed, not the 26 of the year.  ``cancel.ics`` and
    ``regions/<CODE>-cancel.ics`` are METHOD:CANCEL for sessions of ``previous`` that are
    gone (a region's cancel file also covers sessions it is no longer invited to).  SEQUENCE
    is carried over from ``previous`` and raised on every session whose calendar entry
    changed, so Outlook applies the update.  When nothing changed, nothing is written.
    """
    out_dir = Path(out_dir)
    sending = what_to_send(plan, previous)
    if previous is not None:
        plan = carry_sequences(plan, previous)
    emails = {**(previous.host_emails if previous else {}), **plan.host_emails}
    for host in sorted({s.host for s in plan.sessions}):
        host_email(emails, host)  # every problem before the first file is written
    request = Itip("REQUEST", _all_invited)
    jobs: list[tuple[Path, bytes]] = []
    sent = [s for s in plan.sessions if s.id in sending.requested]
    if sent:
        jobs.append(
            (
                inside(out_dir, "calendar.ics"),
                calendar_bytes(
                    plan,
                    sent,
                    dtstamp=dtstamp,
                    name=plan.scenario_name,
                    itip=request,
                    host_emails=emails,
                ),
            )
        )
    for code in plan.regions:
        mine = [s for s in sent if code in s.invited]
        if not mine:
            continue  # a REQUEST must carry at least one event
        only_me = Itip("REQUEST", _only(code))
        path = inside(out_dir, "regions", f"{safe_name(code)}.ics")
        jobs.append(
            (
                path,
                calendar_bytes(plan, mine, dtstamp=dtstamp, name="", itip=only_me, host_emails=emails),
            )
        )

    if previous is not None:
        current = {s.id: s for s in plan.sessions}
        gone = [s for s in previous.sessions if s.id not in current]
        for host in sorted({s.host for s in gone}):
            host_email(emails, host)
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
            language=plan.language,
            labels=plan.labels,
        )
        cancel = Itip("CANCEL", _all_invited, _cancelled(merged))
        if gone:
            seqs = {s.id: s.sequence + 1 for s in gone}
            jobs.append(
                (
                    inside(out_dir, "cancel.ics"),
                    calendar_bytes(
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
            only_me = Itip("CANCEL", _only(code), _uninvited(merged, code, current))
            path = inside(out_dir, "regions", f"{safe_name(code)}-cancel.ics")
            jobs.append(
                (
                    path,
                    calendar_bytes(
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


__all__ = ["Sending", "check_previous", "what_to_send", "write_invitations"]
