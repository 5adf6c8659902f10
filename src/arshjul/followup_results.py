"""What the dialogs brought, as plain numbers: dialogs held, followed up (an outcome
recorded), and their actions open and done — in total, per presenting region, per theme.

Plan-level on purpose: the report (:mod:`arshjul.exporters.report`) renders these numbers and
must import neither the store nor the web app, so they meet here.  Whoever holds the
follow-up (the web workspace's store, or ``arshjul report --followup``) passes in which dialogs
have an outcome and each action's dialog and state; this module never reads a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from .plan import Plan


@dataclass
class Tally:
    """One row of the results: how many dialogs, and what came of them."""

    held: int = 0
    followed_up: int = 0
    actions_open: int = 0
    actions_done: int = 0


@dataclass
class Results:
    """The results section: totals, and the same per region code and per theme id."""

    today: dt.date
    """Dialogs before this day count as held."""
    total: Tally = field(default_factory=Tally)
    regions: dict[str, Tally] = field(default_factory=dict)
    themes: dict[str, Tally] = field(default_factory=dict)


def tally(
    plan: Plan,
    followed_up: Collection[str],
    actions: Iterable[tuple[str, bool]],
    today: dt.date,
) -> Results:
    """The results of ``plan``'s dialogs held before ``today``: ``followed_up`` are the ids of
    the dialogs with an outcome, ``actions`` each action's (dialog id, done)."""
    by_dialog: dict[str, list[bool]] = {}
    for session_id, done in actions:
        by_dialog.setdefault(session_id, []).append(bool(done))
    out = Results(today)
    for s in sorted(plan.sessions, key=lambda s: (s.start, s.id)):
        if s.kind != "dialog" or s.date >= today:
            continue
        mine = by_dialog.get(s.id, [])
        rows = [out.total, out.themes.setdefault(s.theme or "", Tally())]
        rows += [out.regions.setdefault(c, Tally()) for c in s.presenting_regions]
        for t in rows:
            t.held += 1
            t.followed_up += s.id in followed_up
            t.actions_open += sum(not d for d in mine)
            t.actions_done += sum(mine)
    return out
