"""The year as a timeline: one row a month, one column a day, one cell a meeting slot, with
the sessions placed in their cells.  Every cell names its day and slot, so a session dragged
onto it (static/app.js) is checked with the same move form the session page has.

Plain data for the template, no HTML here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import library as lib
from . import views
from .strings import WEEKDAYS, text


@dataclass(frozen=True)
class Chip:
    """A session in its cell: a link to its page, and what a drag carries."""

    id: str
    title: str
    kind: str
    letter: str
    """The first letter of its kind (D dialog, L learning …): the chip is small."""
    when: str
    pinned: bool


@dataclass
class Cell:
    """One meeting slot of one day: where a session can be dropped."""

    date: str
    slot: str
    label: str
    """``Mon 1 Feb 2027 (morning)``."""
    closed: str = ""
    """Why no session may be held in it for every session (a weekday, a holiday), or ``""``."""
    chips: list[Chip] = field(default_factory=list)


@dataclass
class Day:
    number: int
    weekday: str
    """One letter: M T W T F S S."""
    weekend: bool
    cells: list[Cell] = field(default_factory=list)


@dataclass
class MonthRow:
    key: str
    label: str
    days: list[Day] = field(default_factory=list)


def _closed(inst: lib.Instance, t: lib.SlotTime) -> str:
    """Why the calendar closes the slot to every session, in the planner's words."""
    closing = [*inst.closed_days.get(t.day, []), *inst.closed_slots.get(t.index, [])]
    return "; ".join(dict.fromkeys(why or rule for (rule, _), why in closing))


def timeline(plan: lib.Plan, inst: lib.Instance, pins: Iterable[str]) -> list[MonthRow]:
    """Every month of the plan's period, every day in it, every slot of the day, with the
    plan's sessions in the slot they are held in."""
    pinned = set(pins)
    held: dict[tuple[dt.date, str], list[Chip]] = {}
    for s in sorted(plan.sessions, key=lambda s: (s.date, s.start, s.id)):
        label = lib.KIND_LABELS.get(s.kind, s.kind)
        chip = Chip(s.id, s.title, s.kind, label[:1].upper(), views.when(s), s.id in pinned)
        held.setdefault((s.date, s.slot), []).append(chip)
    rows: dict[str, MonthRow] = {}
    days: dict[dt.date, Day] = {}
    for t in inst.slots:
        key = f"{t.date:%Y-%m}"
        row = rows.get(key)
        if row is None:
            row = rows[key] = MonthRow(key, views.month_label(key))
        day = days.get(t.date)
        if day is None:
            day = days[t.date] = Day(t.date.day, WEEKDAYS[t.date.weekday()][:1], t.date.weekday() >= 5)
            row.days.append(day)
        closed = _closed(inst, t)
        day.cells.append(
            Cell(
                t.date.isoformat(),
                t.slot,
                views.slot_text(t.date, t.slot),
                text("timeline_closed", why=closed) if closed else "",
                held.pop((t.date, t.slot), []),
            )
        )
    return list(rows.values())
