"""What changed between two plans, and the SEQUENCE numbers that make Outlook apply it.

Mid-year the planner replans and must be told exactly what moved, and calendars that were
already sent must be *updated*: Outlook applies an iTIP update only when SEQUENCE is higher
than the one it holds, and ignores a re-sent meeting whose SEQUENCE it has seen.  So a
session keeps its SEQUENCE while nothing a calendar shows of it changed, and gets one more
when anything did.  Sessions are matched by id (their UID).  No solver import.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field

from .plan import Plan, Session


@dataclass(frozen=True)
class Move:
    """A session that is still there but at another time."""

    session_id: str
    title: str
    from_start: dt.datetime
    from_end: dt.datetime
    to_start: dt.datetime
    to_end: dt.datetime


@dataclass(frozen=True)
class PresenterChange:
    """Regions that now present in a session, and regions that no longer do."""

    session_id: str
    added: tuple[str, ...]
    dropped: tuple[str, ...]


@dataclass(frozen=True)
class RegionChange:
    """What changed for one region: the sessions of its own calendar that moved, came or went."""

    code: str
    moved: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    """Sessions the region is newly invited to (new sessions, or newly invited)."""
    removed: tuple[str, ...] = ()
    """Sessions the region is no longer invited to (removed, or uninvited)."""


@dataclass(frozen=True)
class PlanDiff:
    """Everything a planner needs to tell people after a replan."""

    moved: tuple[Move, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    presenters: tuple[PresenterChange, ...] = ()
    changed: tuple[str, ...] = ()
    """Sessions whose calendar entry changed in any way (moves included): SEQUENCE goes up."""
    regions: dict[str, RegionChange] = field(default_factory=dict)
    """Region code → its changes, only for regions with any."""

    @property
    def empty(self) -> bool:
        return not (self.moved or self.added or self.removed or self.presenters or self.changed)


def _by_id(plan: Plan) -> dict[str, Session]:
    return {s.id: s for s in plan.sessions}


def _instant(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC)


def _moved(old: Session, new: Session) -> bool:
    return _instant(old.start) != _instant(new.start) or _instant(old.end) != _instant(new.end)


def shown(plan: Plan, session: Session) -> Hashable:
    """Everything a calendar entry of ``session`` shows, as one comparable value.

    The session itself (minus SEQUENCE, times compared as instants) and what its entry
    borrows from the plan: region and host names, contacts and organizer e-mail, the title
    and time of the sessions it follows up or is followed up at, and the language and the
    agency's word for its kind that its text is written in.
    """
    others = _by_id(plan)

    def ref(sid: str | None) -> Hashable:
        if sid is None:
            return None
        other = others.get(sid)
        return (sid, None) if other is None else (sid, other.title, _instant(other.start), other.date)

    regions = set(session.invited) | set(session.presenting_regions)
    own = dataclasses.replace(
        session,
        sequence=0,
        start=_instant(session.start),
        end=_instant(session.end),
        host_start=None if session.host_start is None else _instant(session.host_start),
        host_end=None if session.host_end is None else _instant(session.host_end),
        presentations=tuple(
            dataclasses.replace(p, start=_instant(p.start), end=_instant(p.end))
            for p in session.presentations
        ),
    )
    return (
        own,
        tuple(sorted((code, plan.regions.get(code), plan.contacts.get(code)) for code in regions)),
        (plan.hosts.get(session.host), plan.host_emails.get(session.host)),
        ref(session.followup_on),
        tuple(ref(f) for f in session.followups),
        (plan.language, plan.labels.get(session.kind)),
    )


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """What moved, came, went and changed between two plans of the same scenario."""
    before, after = _by_id(old), _by_id(new)
    moved: list[Move] = []
    presenters: list[PresenterChange] = []
    changed: list[str] = []
    for sid, n in after.items():
        o = before.get(sid)
        if o is None:
            continue
        if _moved(o, n):
            moved.append(Move(sid, n.title, o.start, o.end, n.start, n.end))
        was, now = o.presenting_regions, n.presenting_regions
        added_p = tuple(c for c in now if c not in was)
        dropped_p = tuple(c for c in was if c not in now)
        if added_p or dropped_p:
            presenters.append(PresenterChange(sid, added_p, dropped_p))
        if shown(old, o) != shown(new, n):
            changed.append(sid)
    added = tuple(sid for sid in after if sid not in before)
    removed = tuple(sid for sid in before if sid not in after)
    moved_ids = {m.session_id for m in moved}

    regions: dict[str, RegionChange] = {}
    for code in list(dict.fromkeys([*old.regions, *new.regions])):
        was_in = {s.id for s in old.sessions if code in s.invited}
        now_in = {s.id for s in new.sessions if code in s.invited}
        rc = RegionChange(
            code,
            moved=tuple(sid for sid in after if sid in was_in and sid in now_in and sid in moved_ids),
            added=tuple(sid for sid in after if sid in now_in and sid not in was_in),
            removed=tuple(sid for sid in before if sid in was_in and sid not in now_in),
        )
        if rc.moved or rc.added or rc.removed:
            regions[code] = rc
    return PlanDiff(
        moved=tuple(moved),
        added=added,
        removed=removed,
        presenters=tuple(presenters),
        changed=tuple(changed),
        regions=regions,
    )


def carry_sequences(new: Plan, old: Plan) -> Plan:
    """A copy of ``new`` whose sessions carry ``old``'s SEQUENCE, plus one where they changed.

    A session unchanged in everything a calendar shows keeps ``old``'s number (re-sending it
    is harmless); a changed one gets ``old + 1`` so Outlook applies the update; a new
    session keeps its own.  Applying it twice with the same ``old`` gives the same plan.
    """
    before = _by_id(old)
    sessions = []
    for s in new.sessions:
        o = before.get(s.id)
        if o is None:
            sessions.append(s)
            continue
        seq = o.sequence if shown(old, o) == shown(new, s) else o.sequence + 1
        sessions.append(dataclasses.replace(s, sequence=seq))
    out = copy.deepcopy(new)
    out.sessions = sessions
    return out


__all__ = [
    "Move",
    "PlanDiff",
    "PresenterChange",
    "RegionChange",
    "carry_sequences",
    "diff_plans",
    "shown",
]
