"""Plain calendars (``METHOD:PUBLISH``): the master, one per region, theme and host.

They import into Outlook as ordinary appointments, without ORGANIZER or ATTENDEE, into a
calendar folder named by X-WR-CALNAME.  Updating what people already imported is
:mod:`.itip`'s job.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ...fileio import write_atomic
from ...plan import Plan
from .events import EventCache, calendar_bytes
from .files import inside, safe_name
from .text import clean


def master_calendar(
    plan: Plan, *, dtstamp: dt.datetime, include_closures: bool = False, cache: EventCache | None = None
) -> bytes:
    """Every session of the plan, for the planner's own Outlook (plain appointments)."""
    return calendar_bytes(
        plan,
        plan.sessions,
        dtstamp=dtstamp,
        name=plan.scenario_name,
        closures=plan.closures if include_closures else (),
        cache=cache,
    )


def region_calendar(plan: Plan, code: str, *, dtstamp: dt.datetime, cache: EventCache | None = None) -> bytes:
    """Only what one region is invited to: the file sent to that region."""
    if code not in plan.regions and not any(code in s.invited for s in plan.sessions):
        raise ValueError(f"unknown region {code!r}")
    name = f"{plan.scenario_name} — {plan.regions.get(code, code)}"
    return calendar_bytes(plan, plan.sessions_for(code), dtstamp=dtstamp, name=name, cache=cache)


def theme_calendar(
    plan: Plan, theme_id: str, *, dtstamp: dt.datetime, cache: EventCache | None = None
) -> bytes:
    """One thematic area's sessions, for whoever runs that area."""
    sessions = [s for s in plan.sessions if s.theme == theme_id]
    if not sessions:
        raise ValueError(f"no session of theme {theme_id!r} in the plan")
    first = min(sessions, key=lambda s: (s.start, s.id))
    name = f"{plan.scenario_name} — {clean(first.title)}"
    return calendar_bytes(plan, sessions, dtstamp=dtstamp, name=name, cache=cache)


def host_calendar(
    plan: Plan, host_id: str, *, dtstamp: dt.datetime, cache: EventCache | None = None
) -> bytes:
    """One host's sessions: each agency imports only its own meetings."""
    sessions = [s for s in plan.sessions if s.host == host_id]
    if not sessions and host_id not in plan.hosts:
        raise ValueError(f"unknown host {host_id!r}")
    name = plan.hosts.get(host_id) or (sessions[0].host_name if sessions else host_id)
    return calendar_bytes(
        plan, sessions, dtstamp=dtstamp, name=f"{plan.scenario_name} — {clean(name)}", cache=cache
    )


def _themes(plan: Plan) -> list[str]:
    return sorted({s.theme for s in plan.sessions if s.theme})


def _hosts(plan: Plan) -> list[str]:
    return sorted(set(plan.hosts) | {s.host for s in plan.sessions})


def write_calendars(
    plan: Plan, out_dir: Path, *, dtstamp: dt.datetime, include_closures: bool = False
) -> list[Path]:
    """Master, per-region, per-theme and per-host PUBLISH calendars, each written atomically."""
    out_dir = Path(out_dir)
    cache: EventCache = {}
    jobs: list[tuple[Path, bytes]] = [
        (
            inside(out_dir, "calendar.ics"),
            master_calendar(plan, dtstamp=dtstamp, include_closures=include_closures, cache=cache),
        )
    ]
    for code in plan.regions:
        path = inside(out_dir, "regions", f"{safe_name(code)}.ics")
        jobs.append((path, region_calendar(plan, code, dtstamp=dtstamp, cache=cache)))
    for theme in _themes(plan):
        path = inside(out_dir, "themes", f"{safe_name(theme)}.ics")
        jobs.append((path, theme_calendar(plan, theme, dtstamp=dtstamp, cache=cache)))
    for host in _hosts(plan):
        path = inside(out_dir, "hosts", f"{safe_name(host)}.ics")
        jobs.append((path, host_calendar(plan, host, dtstamp=dtstamp, cache=cache)))
    # Everything is built (and every name checked) before the first file is written.
    return [write_atomic(path, data) for path, data in jobs]


__all__ = ["host_calendar", "master_calendar", "region_calendar", "theme_calendar", "write_calendars"]
