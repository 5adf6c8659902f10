"""The plan as a workbook (plan.xlsx): sessions, running orders, invitations, load, penalty.

Sheets, all with frozen, filterable headers and real date and time cells:

- **Sessioner** (Sessions): one row per session (date, time, kind, host, theme, running order);
- **Talarordning** (Running order): one row per slot of every dialog's running order, the host first;
- **Inbjudningar** (Invitations): regions × sessions, ``P`` presents, ``x`` is invited to listen;
- **Belastning** (Load): invitations per region and month, the worst rolling window against the cap;
- **Straff** (Penalty): the penalty by rule (the plan's weighted objective terms), status and bound;
- one sheet per region (its code): the sessions it is invited to, and its own slot.

Sheet names, column heads and the words in the cells are in the plan's ``language`` (Swedish
by default), through the message catalogues; the objective terms' and statuses' words are
the report's (:func:`.report.text`).

The same plan gives the same bytes: the workbook's timestamps are the DTSTAMP the
calendars use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..fileio import write_atomic
from ..i18n import N_, Catalogue, catalogue
from ..plan import FOCUS_MARK, Plan, Session
from ..workbook.files import HEADER_FILL, HEADER_FONT, MARK_FILL, WRAP, autofilter, header, put, xlsx_bytes
from ..workbook.layout import DATE_FORMAT, TIME_FORMAT
from .heatmap import cap_months
from .labels import kind_name, month_abbreviations, weekday_abbreviations
from .report import text as report_text

PRESENTS, LISTENS = "P", "x"
SHEETS: dict[str, str] = {
    # TRANSLATORS: the sheets of plan.xlsx (at most 31 characters)
    "sessions": N_("Sessions"),
    "order": N_("Running order"),
    "invitations": N_("Invitations"),
    "load": N_("Load"),
    "penalty": N_("Penalty"),
}
"""The workbook's sheets (English msgids); the plan's language names them."""
# TRANSLATORS: plan.xlsx's column with the S3 focus area a region presents
FOCUS_COLUMN = N_("Focus area")


def sheet_names(plan: Plan) -> dict[str, str]:
    """The sheets' names in the plan's language, by key: ``{"sessions": "Sessioner", …}``."""
    cat = _cat(plan)
    return {key: cat.gettext(name) for key, name in SHEETS.items()}


def _cat(plan: Plan) -> Catalogue:
    return catalogue(plan.language, plan.labels)


SESSIONS, ORDER, INVITATIONS, LOAD, PENALTY = (catalogue().gettext(name) for name in SHEETS.values())
"""The sheets' names in the default language (Swedish): ``Sessioner``, ``Talarordning``…"""


def plan_xlsx(plan: Plan, *, dtstamp: dt.datetime) -> bytes:
    """The plan as .xlsx bytes; ``dtstamp`` (the calendars' DTSTAMP) dates the workbook."""
    return xlsx_bytes(build(plan), dtstamp)


def write_plan_xlsx(plan: Plan, path: Path, *, dtstamp: dt.datetime) -> Path:
    """Write plan.xlsx atomically."""
    return write_atomic(path, plan_xlsx(plan, dtstamp=dtstamp))


def build(plan: Plan) -> Workbook:
    wb = Workbook()
    wb.properties.title = plan.scenario_name
    tz = ZoneInfo(plan.timezone)
    names = sheet_names(plan)
    wb.active.title = names["sessions"]
    _sessions(wb.active, plan, tz)
    _order(wb.create_sheet(names["order"]), plan, tz)
    _invitations(wb.create_sheet(names["invitations"]), plan)
    _load(wb.create_sheet(names["load"]), plan)
    _penalty(wb.create_sheet(names["penalty"]), plan)
    for code, name in plan.regions.items():
        _region(wb.create_sheet(code), plan, code, name, tz)
    return wb


def _local(moment: dt.datetime | None, tz: ZoneInfo) -> dt.time | None:
    if moment is None:
        return None
    return (moment.astimezone(tz) if moment.tzinfo else moment).time().replace(tzinfo=None)


def _rows(ws: Worksheet, columns: Sequence[tuple[str, int]], rows: list[list[Any]]) -> None:
    """A table: header, rows (dates and times formatted as such), filter on the header."""
    header(ws, [c[0] for c in columns], [c[1] for c in columns])
    for r, values in enumerate(rows, start=2):
        for k, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            fmt = (
                DATE_FORMAT
                if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
                else TIME_FORMAT
                if isinstance(value, dt.time)
                else None
            )
            cell = put(ws, r, k, value, fmt)
            if isinstance(value, str) and "\n" in value:
                cell.alignment = WRAP
    autofilter(ws, len(columns), len(rows))


def _running_order(cat: Catalogue, s: Session, tz: ZoneInfo) -> str:
    lines = []
    if s.host_start is not None and s.host_end is not None:
        span = f"{_local(s.host_start, tz):%H:%M}–{_local(s.host_end, tz):%H:%M}"
        lines.append(cat.gettext("{span} {host} (host)").format(span=span, host=s.host_name))
    for p in s.presentations:
        focus = FOCUS_MARK + p.focus if p.focus else ""
        lines.append(f"{_local(p.start, tz):%H:%M}–{_local(p.end, tz):%H:%M} {p.name} ({p.presenter}){focus}")
    return "\n".join(lines)


def _has_focus(plan: Plan) -> bool:
    """Whether any slot names a focus area: only then do the sheets get a column for it (a
    plan without focus areas keeps its workbook as it was)."""
    return any(p.focus for s in plan.sessions for p in s.presentations)


def _sessions(ws: Worksheet, plan: Plan, tz: ZoneInfo) -> None:
    cat = _cat(plan)
    titles = {s.id: s for s in plan.sessions}
    rows = []
    for s in plan.sessions:
        followup = titles.get(s.followup_on or "")
        rows.append(
            [
                s.date,
                weekday_abbreviations(cat)[s.date.weekday()],
                s.date.isocalendar().week,
                _local(s.start, tz),
                _local(s.end, tz),
                kind_name(cat, s.kind),
                s.title,
                s.host_name,
                s.theme,
                s.slot,
                _running_order(cat, s, tz),
                len(s.presentations),
                len(s.invited),
                f"{followup.date} {followup.title}" if followup else None,
                s.id,
            ]
        )
    _rows(
        ws,
        [
            (cat.gettext("Date"), 12),
            (cat.gettext("Day"), 6),
            (cat.gettext("Week"), 7),
            (cat.gettext("Start"), 8),
            (cat.gettext("End"), 8),
            (cat.gettext("Type"), 22),
            (cat.gettext("Title"), 44),
            (cat.gettext("Host"), 14),
            (cat.gettext("Theme"), 20),
            (cat.gettext("Slot"), 11),
            (cat.gettext("Running order"), 52),
            (cat.gettext("Presenters"), 13),
            (cat.gettext("Invited"), 10),
            (cat.gettext("Followed up at"), 36),
            (cat.gettext("Id"), 36),
        ],
        rows,
    )


def _order(ws: Worksheet, plan: Plan, tz: ZoneInfo) -> None:
    cat = _cat(plan)
    # TRANSLATORS: a role in plan.xlsx's running order
    presents, host = cat.gettext("presents"), cat.gettext("host")
    focus = _has_focus(plan)
    rows: list[list[Any]] = []
    for s in plan.sessions:
        slots: list[tuple[Any, ...]] = [
            (p.start, p.end, presents, p.presenter, p.name, ", ".join(p.regions), *[p.focus] * focus)
            for p in s.presentations
        ]
        if s.host_start is not None and s.host_end is not None:
            slots.insert(0, (s.host_start, s.host_end, host, s.host, s.host_name, None, *[None] * focus))
        rows += [[s.date, _local(a, tz), _local(b, tz), s.title, *who, s.id] for a, b, *who in slots]
    _rows(
        ws,
        [
            (cat.gettext("Date"), 12),
            (cat.gettext("Start"), 8),
            (cat.gettext("End"), 8),
            (cat.gettext("Session"), 44),
            (cat.gettext("Role"), 12),
            (cat.gettext("Presenter"), 22),
            (cat.gettext("Name"), 30),
            (cat.gettext("Regions"), 28),
            *([(cat.gettext(FOCUS_COLUMN), 36)] if focus else []),
            (cat.gettext("Session id"), 36),
        ],
        rows,
    )


def _invitations(ws: Worksheet, plan: Plan) -> None:
    """Regions down, sessions across: row 1 the session's date, row 2 its title."""
    cat = _cat(plan)
    sessions = plan.sessions
    first = 3
    end = first + len(sessions)
    for k, (title, width) in enumerate([(cat.gettext("Code"), 9), (cat.gettext("Region"), 28)], start=1):
        for row in (1, 2):
            cell = put(ws, row, k, title if row == 2 else cat.gettext("Date") if k == 2 else None)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[get_column_letter(k)].width = width
    for k, s in enumerate(sessions, start=first):
        day = put(ws, 1, k, s.date, DATE_FORMAT)
        title = put(ws, 2, k, s.title)
        for cell in (day, title):
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        title.alignment = Alignment(text_rotation=90, vertical="bottom", horizontal="center")
        ws.column_dimensions[get_column_letter(k)].width = 5
    for k, title in enumerate((cat.gettext("Invitations"), cat.gettext("Presentations")), start=end):
        cell = put(ws, 2, k, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        put(ws, 1, k, None).fill = HEADER_FILL
        cell.alignment = Alignment(text_rotation=90, vertical="bottom", horizontal="center")
        ws.column_dimensions[get_column_letter(k)].width = 7
    ws.row_dimensions[2].height = 180
    marks = cat.gettext("{presents} = presents, {listens} = invited to listen")
    ws.cell(row=2, column=1).comment = Comment(
        marks.format(presents=PRESENTS, listens=LISTENS), "arshjul", width=240, height=50
    )
    center = Alignment(horizontal="center")
    for r, (code, name) in enumerate(plan.regions.items(), start=3):
        put(ws, r, 1, code)
        put(ws, r, 2, name)
        invited = presents = 0
        for k, s in enumerate(sessions, start=first):
            if code in s.presenting_regions:
                put(ws, r, k, PRESENTS).alignment = center
                presents += 1
            elif code in s.invited:
                put(ws, r, k, LISTENS).alignment = center
            invited += code in s.invited
        put(ws, r, end, invited)
        put(ws, r, end + 1, presents)
    ws.freeze_panes = "C3"
    autofilter(ws, end + 1, len(plan.regions), top=2)


def _load(ws: Worksheet, plan: Plan) -> None:
    cat = _cat(plan)
    loads = plan.load()
    months = list(loads[0].by_month) if loads else list(plan.sessions_per_month())
    month_year = cat.gettext("{month} {year}")
    labels = [month_year.format(month=month_abbreviations(cat)[int(m[5:]) - 1], year=m[:4]) for m in months]
    columns = [(cat.gettext("Code"), 9), (cat.gettext("Region"), 28), *((label, 9) for label in labels)]
    columns += [
        (cat.gettext("Total"), 8),
        (cat.gettext("Worst {days} days").format(days=plan.window_days), 10),
        (cat.gettext("Window starts"), 12),
        (cat.gettext("Cap"), 6),
        (cat.gettext("Presentations"), 10),
    ]
    rows = [
        [
            load.code,
            load.name,
            *(load.by_month[m] for m in months),
            load.invitations,
            load.worst_window,
            load.worst_window_start,
            plan.window_max.get(load.code),
            load.presentations,
        ]
        for load in loads
    ]
    _rows(ws, columns, rows)
    ws.freeze_panes = "C2"
    worst = 3 + len(months) + 1
    for r, load in enumerate(loads, start=2):
        cap = plan.window_max.get(load.code)
        if cap is None:
            continue
        days = sorted(s.date for s in plan.sessions if load.code in s.invited)
        crowded = cap_months(days, plan.window_days, cap)
        for k, m in enumerate(months, start=3):
            if m in crowded:
                ws.cell(row=r, column=k).fill = MARK_FILL
        if load.worst_window >= cap:
            ws.cell(row=r, column=worst).fill = MARK_FILL
    ws.cell(row=1, column=worst).comment = Comment(
        cat.gettext("The most invitations in any rolling window; marked when the region is at the cap."),
        "arshjul",
        width=240,
        height=60,
    )


def _penalty(ws: Worksheet, plan: Plan) -> None:
    cat = _cat(plan)
    total = plan.objective or 0
    rows: list[list[Any]] = [
        [name, report_text(cat, f"term.{name}"), value, round(value / total, 4) if total else None]
        for name, value in plan.terms.items()
    ]
    heads = [
        (cat.gettext("Rule"), 18),
        (cat.gettext("Description"), 62),
        (cat.gettext("Penalty"), 10),
        (cat.gettext("Share"), 9),
    ]
    _rows(ws, heads, rows)
    for r in range(2, len(rows) + 2):
        ws.cell(row=r, column=4).number_format = "0.0%"
    r = len(rows) + 3
    gap = plan.gap
    summary: list[tuple[str, Any, str | None, str | None]] = [
        (cat.gettext("Total"), plan.objective, None, None),
        (cat.gettext("Status"), plan.status, report_text(cat, f"status.{plan.status}") or None, None),
        (
            cat.gettext("Lower bound"),
            plan.bound,
            cat.gettext("No plan can have a lower penalty than this."),
            None,
        ),
        (cat.gettext("Gap"), gap, None, "0.0%"),
    ]
    for k, (label, value, note, fmt) in enumerate(summary):
        put(ws, r + k, 1, label).font = Font(bold=True)
        if value is not None:
            put(ws, r + k, 3, value, fmt)
        if note:
            put(ws, r + k, 2, note)


def _region(ws: Worksheet, plan: Plan, code: str, name: str, tz: ZoneInfo) -> None:
    cat = _cat(plan)
    focus = _has_focus(plan)
    rows = []
    for s in plan.sessions_for(code):
        own = next((p for p in s.presentations if code in p.regions), None)
        if own is None:
            # TRANSLATORS: a region's role at a session in plan.xlsx
            role = cat.gettext("listens")
        elif own.presenter == code:
            role = cat.gettext("presents")
        else:
            role = cat.gettext("presents with {name}").format(name=own.name)
        rows.append(
            [
                s.date,
                weekday_abbreviations(cat)[s.date.weekday()],
                _local(s.start, tz),
                _local(s.end, tz),
                kind_name(cat, s.kind),
                s.title,
                s.host_name,
                role,
                _local(own.start, tz) if own else None,
                _local(own.end, tz) if own else None,
                *([own.focus if own else None] if focus else []),
                s.location,
                s.meeting_link,
            ]
        )
    _rows(
        ws,
        [
            (cat.gettext("Date"), 12),
            (cat.gettext("Day"), 6),
            (cat.gettext("Start"), 8),
            (cat.gettext("End"), 8),
            (cat.gettext("Type"), 22),
            (cat.gettext("Session"), 44),
            (cat.gettext("Host"), 14),
            (cat.gettext("Role"), 24),
            (cat.gettext("Own time from"), 10),
            (cat.gettext("Own time to"), 10),
            *([(cat.gettext(FOCUS_COLUMN), 36)] if focus else []),
            (cat.gettext("Place"), 26),
            (cat.gettext("Meeting link"), 40),
        ],
        rows,
    )
    ws.oddHeader.center.text = name
