"""What the pages show, shaped from a plan: plain data for the templates, no HTML here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import library as lib
from .strings import MONTHS, WEEKDAYS, kind_label, plan_status, text


def day_text(day: dt.date) -> str:
    """``Mon 1 Feb 2027``."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def when(s: lib.Session) -> str:
    """``Mon 1 Feb 2027, 13:00–13:50``."""
    return f"{day_text(s.date)}, {s.start:%H:%M}–{s.end:%H:%M}"


def slot_text(day: dt.date, slot: str) -> str:
    return f"{day_text(day)} ({slot})"


def plan_label(created: str, status: str) -> str:
    """A plan as a planner names it: when it was made (this machine's time) and its status."""
    status = plan_status(status)
    try:
        at = dt.datetime.fromisoformat(created).astimezone()
    except ValueError:
        return status
    return f"{day_text(at.date())} {at:%H:%M:%S} · {status}"


@dataclass(frozen=True)
class Row:
    """One session in a list."""

    id: str
    title: str
    kind: str
    kind_label: str
    when: str
    presenters: str
    pinned: bool
    role: str = ""


@dataclass
class Month:
    key: str
    label: str
    rows: list[Row] = field(default_factory=list)


def row(plan: lib.Plan, s: lib.Session, pins: Iterable[str], role: str = "") -> Row:
    return Row(
        id=s.id,
        title=s.title,
        kind=s.kind,
        kind_label=kind_label(s.kind, plan.labels),
        when=when(s),
        presenters=", ".join(p.name for p in s.presentations),
        pinned=s.id in set(pins),
        role=role,
    )


def _month_keys(plan: lib.Plan) -> list[str]:
    return list(plan.sessions_per_month())


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def months(plan: lib.Plan, pins: Iterable[str]) -> list[Month]:
    """Every month of the period with its sessions (empty months too: the year at a glance)."""
    pins = list(pins)
    out = {key: Month(key, month_label(key)) for key in _month_keys(plan)}
    for s in plan.sessions:
        out[f"{s.date:%Y-%m}"].rows.append(row(plan, s, pins))
    return list(out.values())


@dataclass(frozen=True)
class OrderLine:
    start: str
    end: str
    who: str
    regions: str
    host: bool = False
    focus: str = ""
    """The focus area the slot presents (empty: the scenario names none)."""


def running_order(plan: lib.Plan, s: lib.Session) -> list[OrderLine]:
    """Host first, then each presenter, with times."""
    lines = []
    if s.host_start is not None and s.host_end is not None:
        lines.append(OrderLine(f"{s.host_start:%H:%M}", f"{s.host_end:%H:%M}", s.host_name, "", True))
    for p in s.presentations:
        names = ", ".join(plan.regions.get(c, c) for c in p.regions)
        lines.append(
            OrderLine(
                f"{p.start:%H:%M}",
                f"{p.end:%H:%M}",
                p.name,
                "" if names == p.name else names,
                focus=p.focus or "",
            )
        )
    return lines


@dataclass(frozen=True)
class Invitee:
    code: str
    name: str
    presents: bool


def invited(plan: lib.Plan, s: lib.Session) -> list[Invitee]:
    presenting = set(s.presenting_regions)
    return [Invitee(c, plan.regions.get(c, c), c in presenting) for c in s.invited]


def linked(plan: lib.Plan, ids: Iterable[str]) -> list[tuple[str, str]]:
    """(id, "title, when") of sessions that exist in the plan."""
    by_id = {s.id: s for s in plan.sessions}
    return [(i, f"{by_id[i].title}, {when(by_id[i])}") for i in ids if i in by_id]


@dataclass(frozen=True)
class RegionMonth:
    label: str
    invitations: int


@dataclass
class RegionYear:
    code: str
    name: str
    load: lib.RegionLoad
    cap: int | None
    months: list[RegionMonth]
    rows: list[Row]


def region_year(plan: lib.Plan, code: str, pins: Iterable[str]) -> RegionYear:
    load = next(r for r in plan.load() if r.code == code)
    rows = [
        row(plan, s, pins, "presents" if code in s.presenting_regions else "listens")
        for s in plan.sessions_for(code)
    ]
    return RegionYear(
        code=code,
        name=plan.regions[code],
        load=load,
        cap=plan.window_max.get(code),
        months=[RegionMonth(month_label(k), v) for k, v in load.by_month.items()],
        rows=rows,
    )


@dataclass(frozen=True)
class HeatRow:
    code: str
    name: str
    cells: list[int]
    total: int
    worst: int
    cap: int | None
    presentations: int

    @property
    def at_cap(self) -> bool:
        return self.cap is not None and self.worst >= self.cap


def heat_rows(plan: lib.Plan) -> tuple[list[str], list[HeatRow]]:
    """Month labels and, per region, invitations by month (the heat map as a table)."""
    keys = _month_keys(plan)
    rows = [
        HeatRow(
            r.code,
            r.name,
            [r.by_month.get(k, 0) for k in keys],
            r.invitations,
            r.worst_window,
            plan.window_max.get(r.code),
            r.presentations,
        )
        for r in plan.load()
    ]
    return [MONTHS[int(k[5:]) - 1][:3] for k in keys], rows


@dataclass(frozen=True)
class Change:
    id: str
    title: str
    text: str


@dataclass
class Changes:
    moved: list[Change]
    added: list[Change]
    cancelled: list[Change]
    presenters: list[Change]

    @property
    def empty(self) -> bool:
        return not (self.moved or self.added or self.cancelled or self.presenters)


def changes(before: lib.Plan, after: lib.Plan) -> Changes:
    """What the planner must look at before accepting ``after`` in place of ``before``."""
    d = lib.diff(before, after)
    old = {s.id: s for s in before.sessions}
    new = {s.id: s for s in after.sessions}
    moved = [
        Change(
            m.session_id,
            m.title,
            f"{day_text(m.from_start.date())} {m.from_start:%H:%M} → {day_text(m.to_start.date())} "
            f"{m.to_start:%H:%M}"
            if m.from_start != m.to_start
            else text("same_start", end=f"{m.to_end:%H:%M}", was=f"{m.from_end:%H:%M}"),
        )
        for m in d.moved
    ]
    added = [Change(i, new[i].title, when(new[i])) for i in d.added if i in new]
    cancelled = [Change(i, old[i].title, when(old[i])) for i in d.removed if i in old]

    def names(plan: lib.Plan, units: Iterable[str]) -> str:
        return ", ".join(plan.regions.get(u, u) for u in units)

    presenters = []
    for pc in d.presenters:
        parts = []
        if pc.added:
            parts.append("+ " + names(after, pc.added))
        if pc.dropped:
            parts.append("− " + names(before, pc.dropped))
        title = (new.get(pc.session_id) or old[pc.session_id]).title
        presenters.append(Change(pc.session_id, title, "; ".join(parts)))
    return Changes(moved, added, cancelled, presenters)
