"""From a solution in instance terms to a :class:`~arshjul.plan.Plan`, and back.

Times, running orders, invitations and follow-ups are derived here in plain Python, so a plan
read back from JSON (or edited by hand) can be turned into the same instance terms for
checking and replanning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .instance import Assignment, Instance, SessionSpec, SlotTime
from .options import SolveStatus
from .plan import Plan, Presentation, Session, Status


def invited_regions(
    inst: Instance, spec: SessionSpec, units: tuple[str, ...], day: int | None = None
) -> tuple[str, ...]:
    """Who a session held on ``day`` invites, in scenario order: its fixed list, plus
    presenters when the theme invites presenters only — but no region that is away that
    day (``regions[].away``).  Without a day, the policy alone."""
    codes = set(spec.invited)
    if spec.invite_presenters:
        codes |= {c for u in units for c in inst.units[u].regions}
    return tuple(c for c in inst.regions if c in codes and (day is None or inst.regions[c].invitable(day)))


def running_order(
    inst: Instance, spec: SessionSpec, start: dt.datetime, units: tuple[str, ...]
) -> tuple[dt.datetime, dt.datetime, tuple[Presentation, ...]]:
    """Host first, then presenters in scenario order, each in its own minutes, from ``start``;
    each slot carries the focus area its regions present on the theme (the scenario's)."""
    host_end = start + dt.timedelta(minutes=spec.host_minutes)
    t = host_end
    out = []
    theme = inst.themes.get(spec.theme) if spec.theme is not None else None
    for u in sorted(units, key=lambda u: (inst.units[u].order, u)):
        unit = inst.units[u]
        end = t + dt.timedelta(minutes=spec.presenter_minutes)
        focus = theme.focus_of(unit.regions) if theme is not None else None
        out.append(
            Presentation(presenter=u, name=unit.name, regions=unit.regions, start=t, end=end, focus=focus)
        )
        t = end
    return host_end, t, tuple(out)


def followup_targets(inst: Instance, days: dict[str, int]) -> dict[str, str]:
    """Dialog id → the first network meeting at least the follow-up time after it."""
    if inst.followup_days is None:
        return {}
    meetings = sorted((days[s.id], s.id) for s in inst.sessions if s.kind == "network" and s.id in days)
    out = {}
    for s in inst.dialogs():
        if s.id not in days:
            continue
        for d, mid in meetings:
            if d >= days[s.id] + inst.followup_days:
                out[s.id] = mid
                break
    return out


def blank_plan(
    inst: Instance,
    *,
    status: SolveStatus | Status,
    objective: int | None = None,
    bound: float | None = None,
    wall_time: float = 0.0,
    seed: int = 0,
    sessions: list[Session] | None = None,
) -> Plan:
    """A plan of this instance: everything but the sessions comes from the scenario."""
    return Plan(
        scenario_id=inst.scenario_id,
        scenario_name=inst.name,
        timezone=inst.timezone,
        period_start=inst.period_start,
        period_end=inst.period_end,
        window_days=inst.window_days,
        status=SolveStatus(status),
        objective=objective,
        bound=bound,
        wall_time=round(wall_time, 3),
        seed=seed,
        sessions=sorted(sessions or [], key=lambda s: (s.start, s.id)),
        regions={c: r.name for c, r in inst.regions.items()},
        contacts={c: r.contact for c, r in inst.regions.items() if r.contact},
        hosts={h.id: h.name for h in inst.hosts.values()},
        host_emails={h.id: h.email for h in inst.hosts.values() if h.email},
        window_max={c: r.window_max for c, r in inst.regions.items()},
        publication_date=inst.publication_date,
        closures=list(inst.closures),
        language=inst.language,
        labels=dict(inst.labels),
    )


def build_sessions(
    inst: Instance,
    placed: Mapping[str, tuple[dt.datetime, dt.datetime | None, str]],
    presenters: Mapping[str, tuple[str, ...]],
    *,
    days: dict[str, int] | None = None,
    sequences: dict[str, int] | None = None,
) -> list[Session]:
    """Sessions of the instance placed at ``start`` (and ``end``, else from the running
    order or the duration) in a named slot, with invitations and follow-ups derived.

    ``days`` says which sessions count for follow-ups (default: all placed ones)."""
    if days is None:
        days = {sid: inst.day(start.date()) for sid, (start, _, _) in placed.items()}
    follow = followup_targets(inst, days)
    followed: dict[str, list[str]] = {}
    for dialog_id, mid in follow.items():
        followed.setdefault(mid, []).append(dialog_id)
    sessions = []
    for spec in inst.sessions:
        if spec.id not in placed:
            continue
        start, given_end, slot = placed[spec.id]
        units = tuple(u for u in presenters.get(spec.id, ()) if u in inst.units)
        host_start = host_end = None
        presentations: tuple[Presentation, ...] = ()
        if spec.kind == "dialog":
            host_end, end, presentations = running_order(inst, spec, start, units)
            host_start = start
        else:
            end = start + dt.timedelta(minutes=spec.duration)
        sessions.append(
            Session(
                id=spec.id,
                kind=spec.kind,  # type: ignore[arg-type]
                host=spec.host,
                host_name=inst.hosts[spec.host].name,
                title=spec.title,
                date=start.date(),
                slot=slot,
                start=start,
                end=given_end or end,
                theme=spec.theme,
                occurrence=spec.occurrence,
                host_start=host_start,
                host_end=host_end,
                presentations=presentations,
                invited=invited_regions(inst, spec, units, inst.day(start.date())),
                followup_on=follow.get(spec.id),
                followups=tuple(sorted(followed.get(spec.id, []), key=lambda i: (days[i], i))),
                description=spec.description,
                location=spec.location,
                meeting_link=spec.meeting_link,
                sequence=(sequences or {}).get(spec.id, 0),
            )
        )
    return sessions


def to_plan(
    inst: Instance,
    a: Assignment,
    *,
    status: SolveStatus | Status,
    objective: int | None = None,
    bound: float | None = None,
    wall_time: float = 0.0,
    seed: int = 0,
    sequences: dict[str, int] | None = None,
) -> Plan:
    """Build the plan of an assignment (terms are filled in by the checker's score)."""
    placed = {sid: (inst.slots[t].start, None, inst.slots[t].slot) for sid, t in a.slot.items()}
    sessions = build_sessions(inst, placed, a.presenters, sequences=sequences)
    return blank_plan(
        inst,
        status=status,
        objective=objective,
        bound=bound,
        wall_time=wall_time,
        seed=seed,
        sessions=sessions,
    )


def slot_of(inst: Instance, session: Session) -> SlotTime | None:
    """The meeting slot a (possibly hand-edited) session lies in, if any."""
    if not inst.period_start <= session.date <= inst.period_end:
        return None
    day = inst.day(session.date)
    per_day = len(inst.slots) // inst.n_days
    for t in inst.slots[day * per_day : (day + 1) * per_day]:
        if t.start <= session.start and session.end <= t.end:
            return t
    return None


def from_plan(inst: Instance, plan: Plan) -> Assignment:
    """A plan's sessions in instance terms (sessions outside every slot are left out)."""
    slot: dict[str, int] = {}
    presenters: dict[str, tuple[str, ...]] = {}
    for s in plan.sessions:
        t = slot_of(inst, s)
        if t is not None:
            slot[s.id] = t.index
        if s.presentations:
            presenters[s.id] = tuple(p.presenter for p in s.presentations)
    return Assignment(slot=slot, presenters=presenters)
