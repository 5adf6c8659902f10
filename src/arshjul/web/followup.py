"""After a dialog: its outcome and actions, each network meeting's follow-up agenda, the
homework of presenting regions, and the results section (plain data; pages render it).

:func:`results` is the report's results section as data (:mod:`arshjul.followup_results`):
dialogs held, followed up, and actions open and done, per region and per theme.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from arshjul.followup_results import Results, Tally, tally

from . import library as lib
from .strings import HOMEWORK_QUESTIONS, text

__all__ = [
    "AgendaItem",
    "Results",
    "Tally",
    "agenda",
    "agenda_markdown",
    "agenda_text",
    "feed_extras",
    "focus_areas",
    "homework",
    "report_results",
    "results",
    "today",
]


@dataclass
class AgendaItem:
    dialog: lib.Session
    outcome: lib.Outcome | None
    open_actions: list[lib.Action]


def agenda(plan: lib.Plan, store: lib.Store, network_id: str) -> list[AgendaItem]:
    """The dialogs a network meeting follows up, with their outcome and open actions."""
    meeting = next((s for s in plan.sessions if s.id == network_id), None)
    if meeting is None:
        return []
    outcomes = store.outcomes()
    actions = store.actions()
    by_id = {s.id: s for s in plan.sessions}
    return [
        AgendaItem(
            by_id[d],
            outcomes.get(d),
            [a for a in actions if a.session_id == d and not a.done],
        )
        for d in meeting.followups
        if d in by_id
    ]


def agenda_markdown(plan: lib.Plan, meeting: lib.Session, items: list[AgendaItem]) -> str:
    """The agenda as Markdown (also the text added to the meeting's DESCRIPTION in feeds)."""
    lines = [f"# {meeting.title} {meeting.date.isoformat()}", "", f"## {text('agenda_dialogs')}", ""]
    if not items:
        lines.append(text("agenda_none"))
    for item in items:
        d = item.dialog
        regions = ", ".join(plan.regions.get(c, c) for c in d.presenting_regions)
        lines.append(f"- **{d.title}** ({d.date.isoformat()}): {regions}")
        if item.outcome is not None:
            lines.append(f"  - {text('md_synergies', synergies=item.outcome.synergies)}")
        else:
            lines.append(f"  - {text('md_no_outcome')}")
        for a in item.open_actions:
            due = text("md_due", date=a.due.isoformat()) if a.due else ""
            lines.append(f"  - [ ] {a.text} ({a.owner}{due})")
    return "\n".join(lines) + "\n"


def agenda_text(plan: lib.Plan, meeting: lib.Session, items: list[AgendaItem]) -> str:
    """The agenda for a calendar DESCRIPTION (plain lines, no Markdown emphasis)."""
    return agenda_markdown(plan, meeting, items).replace("**", "").replace("# ", "")


def focus_areas(sc: lib.Scenario, code: str) -> dict[str, str]:
    """Theme id → the focus area the region presents on it (the scenario's ``interested``
    entry's ``focus``, which an accepted sign-up writes)."""
    return {t.id: i.focus for _, t in sc.themes() for i in t.interest() if i.region == code and i.focus}


def feed_extras(
    plan: lib.Plan,
    store: lib.Store,
    kind: str,
    subject: str,
    days: int,
    focus: dict[str, str] | None = None,
) -> lib.FeedExtras:
    """Agendas of the feed's network meetings, and a region's homework deadlines (with the
    focus area it presents, theme id → area, when known)."""
    extras = lib.FeedExtras()
    for s in plan.sessions:
        if s.kind == "network" and s.followups:
            extras.agendas[s.id] = agenda_text(plan, s, agenda(plan, store, s.id))
    if kind == "region":
        done = store.state(subject).homework
        for s, deadline in homework(plan, subject, days):
            state = text("homework_state_done" if done.get(s.id) else "homework_state_todo")
            body = "\n".join(f"- {q}" for q in HOMEWORK_QUESTIONS)
            area = (focus or {}).get(s.theme or "")
            if area:
                body = text("homework_focus", area=area) + "\n" + body
            due = text("homework_feed", state=state, title=s.title, date=s.date.isoformat())
            extras.homework.append((s, deadline, f"{due}\n{body}"))
    return extras


def homework(plan: lib.Plan, code: str, days: int) -> list[tuple[lib.Session, dt.date]]:
    """The region's presentations and the homework deadline of each."""
    return [
        (s, s.date - dt.timedelta(days=days))
        for s in sorted(plan.sessions, key=lambda s: (s.start, s.id))
        if s.kind == "dialog" and code in s.presenting_regions
    ]


def results(plan: lib.Plan, store: lib.Store, today: dt.date) -> Results:
    """Dialogs held (before ``today``), followed up (an outcome recorded), and their actions
    open and done, in total, per presenting region and per theme: the store's follow-up as
    the plain numbers the report renders (:mod:`arshjul.followup_results`)."""
    return tally(plan, set(store.outcomes()), [(a.session_id, a.done) for a in store.actions()], today)


def today() -> dt.date:
    """The day the workspace's report counts dialogs as held before (one place, for tests)."""
    return dt.date.today()


def report_results(plan: lib.Plan, store: lib.Store) -> Results | None:
    """The report's results section as of :func:`today`, or ``None`` while nothing is
    followed up yet (no outcome, no action recorded): the report is then byte for byte the
    one without follow-up."""
    if not store.outcomes() and not store.actions():
        return None
    return results(plan, store, today())
