"""A scenario as a planning workbook: one Swedish sheet per concern, drop-downs, real dates.

Everything a scenario file can say is written out explicitly (defaults too), so reading the
workbook back gives the same scenario.  What a workbook cannot carry (a tag with a comma in
it, a control character) is refused with one line naming the field, before anything is
written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import ScenarioError
from ..fileio import write_atomic
from ..scenario import Scenario, Span, Theme
from . import layout as L
from .files import (
    HEADER_FILL,
    HEADER_FONT,
    HELP_FONT,
    SHADE_FILL,
    WRAP,
    autofilter,
    header,
    illegal_text,
    put,
    xlsx_bytes,
)

SPARE_ROWS = 200
"""Rows below the data that still get the drop-downs, for the planner's new rows."""


def workbook_bytes(sc: Scenario) -> bytes:
    """The scenario as .xlsx bytes: the same scenario gives the same bytes."""
    day = sc.publication_date or sc.period.start
    return xlsx_bytes(build(sc), dt.datetime(day.year, day.month, day.day))


def write_workbook(sc: Scenario, path: Path) -> Path:
    """Write the scenario's workbook to ``path`` (atomically: the whole file or none)."""
    return write_atomic(path, workbook_bytes(sc))


def build(sc: Scenario) -> Workbook:
    """The scenario as an openpyxl workbook (raises :class:`ScenarioError` for what the
    workbook cannot carry)."""
    _check(sc)
    wb = Workbook()
    wb.properties.title = sc.name
    _instructions(wb.active)
    _scenario_sheet(wb.create_sheet(L.SCENARIO), sc)
    _table(
        wb,
        L.SLOTS,
        L.SLOT_COLUMNS,
        [[sl.id, sl.name, sl.start, sl.end] for sl in sc.slots],
    )
    _table(wb, L.CLOSED, L.SPAN_COLUMNS, [_span_cells(sp) for sp in sc.calendar.blackouts])
    _table(
        wb,
        L.REGIONS,
        L.REGION_COLUMNS,
        [
            [
                r.code,
                r.name,
                r.county,
                r.contact,
                "standard" if r.school_holidays is None else "egna",
                _joined(r.away_from),
                _joined(r.cannot_present_from),
            ]
            for r in sc.regions
        ],
    )
    _table(
        wb,
        L.S3,
        L.S3_COLUMNS,
        [[r.code, area.name, _joined(area.tags)] for r in sc.regions for area in r.s3],
    )
    away = {value: word for word, value in L.AWAY.items()}
    _table(
        wb,
        L.AVAILABILITY,
        L.AVAILABILITY_COLUMNS,
        [
            [r.code, away[kind], *_span_cells(sp)]
            for r in sc.regions
            for kind, spans in (
                ("away", r.away),
                ("cannot_present", r.cannot_present),
                ("unavailable", r.unavailable),
                ("school_holidays", r.school_holidays or []),
            )
            for sp in spans
        ],
    )
    _limits_sheet(wb, sc)
    _table(
        wb,
        L.HOSTS,
        L.HOST_COLUMNS,
        [[h.id, h.name, h.email, h.location, h.meeting_link, h.gap_days] for h in sc.hosts],
    )
    _table(wb, L.THEMES, L.THEME_COLUMNS, [_theme_cells(host.id, t) for host, t in sc.themes()])
    _interest_sheet(wb.create_sheet(L.INTEREST), sc)
    _table(wb, L.GROUPS, L.GROUP_COLUMNS, [[g.id, g.name, _joined(g.members)] for g in sc.groups])
    _table(
        wb,
        L.HYBRIDS,
        L.HYBRID_COLUMNS,
        [
            [
                h.id,
                h.host,
                h.topic,
                h.description,
                *_window_cells(h.window),
                _joined(h.slots),
                h.duration_minutes,
                _word(L.HYBRID_INVITE, h.invite),
                _joined(h.tags),
            ]
            for h in sc.hybrids
        ],
    )
    lm = sc.learning_meeting
    _field_sheet(
        wb.create_sheet(L.LEARNING),
        L.LEARNING_FIELDS,
        {}
        if lm is None
        else {
            "host": lm.host,
            "name": lm.name,
            "description": lm.description,
            **_window_values(lm.window),
            "slots": _joined(lm.slots),
            "duration_minutes": lm.duration_minutes,
            "days_before_first_dialog": lm.days_before_first_dialog,
        },
    )
    _network_sheet(wb.create_sheet(L.NETWORK), sc)
    return wb


# -- what a workbook cannot carry ----------------------------------------------------------


def _check(sc: Scenario) -> None:
    def fail(field: str, problem: str) -> None:
        raise ScenarioError(problem, field=field)

    def texts(value: Any, path: str) -> Iterable[tuple[str, str]]:
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from texts(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, list | tuple):
            for k, v in enumerate(value):
                yield from texts(v, f"{path}[{k}]")

    for path, text in texts(sc.model_dump(by_alias=True), ""):
        if illegal_text(text):
            fail(path, "holds a control character that an .xlsx cell cannot store")

    def tags(path: str, values: Sequence[str]) -> None:
        for k, tag in enumerate(values):
            if "," in tag:
                fail(f"{path}[{k}]", f"'{tag}' has a comma; the workbook separates tags with commas")

    for ri, r in enumerate(sc.regions):
        for ai, area in enumerate(r.s3):
            tags(f"regions[{ri}].s3[{ai}].tags", area.tags)
    for hi, h in enumerate(sc.hosts):
        for key in ("location", "meeting_link"):
            if getattr(h, key) == "":
                fail(
                    f"hosts[{hi}].{key}",
                    "is empty text, which a workbook cannot tell from no value; leave it out",
                )
        for ti, t in enumerate(h.themes):
            tags(f"hosts[{hi}].themes[{ti}].tags", t.tags)
            for k, sp in enumerate(t.forbidden):
                if sp.name and ";" in sp.name:
                    fail(
                        f"hosts[{hi}].themes[{ti}].forbidden[{k}].name",
                        f"'{sp.name}' has a ';', which separates the spans in the workbook's cell",
                    )
    for hi, hy in enumerate(sc.hybrids):
        tags(f"hybrids[{hi}].tags", hy.tags)


# -- values --------------------------------------------------------------------------------


def _joined(values: Sequence[str] | None) -> str | None:
    return ", ".join(values) if values else None


def _yes(value: bool) -> str:
    return L.YES if value else L.NO


def _word(choices: dict[str, Any], value: Any) -> str:
    return next(word for word, v in choices.items() if v == value)


def _ends(sp: Span) -> tuple[Any, Any]:
    if sp.weeks is not None:
        a, b = sp.weeks
        return f"W{a:02d}", f"W{b:02d}"
    return sp.start, sp.end


def _span_cells(sp: Span) -> list[Any]:
    return [sp.name, *_ends(sp)]


def _window_cells(sp: Span | None) -> list[Any]:
    if sp is None:
        return [None, None, None]
    start, end = _ends(sp)
    return [start, end, sp.name]


def _window_values(sp: Span | None) -> dict[str, Any]:
    return dict(zip(("window.from", "window.to", "window.name"), _window_cells(sp), strict=True))


def _span_text(sp: Span) -> str:
    """A span in the scenario's short text form, ``name: from..to`` (name optional)."""
    if sp.weeks is not None:
        a, b = sp.weeks
        spec = f"W{a:02d}" if a == b else f"W{a:02d}..W{b:02d}"
    else:
        spec = f"{sp.start}" if sp.start == sp.end else f"{sp.start}..{sp.end}"
    return f"{sp.name}: {spec}" if sp.name else spec


def _months(values: list[int]) -> Any:
    if len(values) == 1:
        return values[0]
    return ", ".join(str(m) for m in values) or None


def _theme_cells(host: str, t: Theme) -> list[Any]:
    return [
        host,
        t.id,
        t.name,
        t.description,
        t.dialogs,
        _months(t.preferred_months),
        _joined(t.slots),
        t.min_presenters,
        t.max_presenters,
        t.presenter_minutes,
        t.host_minutes,
        _word(L.INVITE, t.invite),
        "taggar" if t.interested is None else "lista",
        t.interest_weight,
        _joined(t.tags),
        "; ".join(_span_text(sp) for sp in t.forbidden) or None,
        *_window_cells(t.window),
    ]


# -- sheets --------------------------------------------------------------------------------


def _format(kind: str) -> str | None:
    return {"date": L.DATE_FORMAT, "from": L.DATE_FORMAT, "to": L.DATE_FORMAT, "time": L.TIME_FORMAT}.get(
        kind
    )


def _table(wb: Workbook, title: str, columns: Sequence[L.Col], rows: list[list[Any]]) -> Worksheet:
    ws = wb.create_sheet(title)
    header(ws, [c.header for c in columns], [c.width for c in columns])
    for k, col in enumerate(columns, start=1):
        if col.help:
            ws.cell(row=1, column=k).comment = Comment(col.help, "arshjul", width=260, height=90)
    for r, values in enumerate(rows, start=2):
        for k, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            if value is not None and value != "":
                put(ws, r, k, value, _format(col.kind))
    for k, col in enumerate(columns, start=1):
        letter = get_column_letter(k)
        _validate(ws, col, f"{letter}2:{letter}{len(rows) + 1 + SPARE_ROWS}")
        if col.kind in ("date", "from", "to"):
            for r in range(len(rows) + 2, len(rows) + 2 + SPARE_ROWS):
                ws.cell(row=r, column=k).number_format = L.DATE_FORMAT
    autofilter(ws, len(columns), len(rows))
    return ws


def _validate(ws: Worksheet, col: L.Col, ref: str) -> None:
    """The column's drop-down (or number check), over ``ref``."""
    dv: DataValidation | None = None
    if col.kind == "bool":
        dv = DataValidation(type="list", formula1=f'"{L.YES},{L.NO}"', allow_blank=True)
    elif col.kind == "choice":
        dv = DataValidation(type="list", formula1=f'"{",".join(col.choices)}"', allow_blank=True)
    elif col.dropdown:
        sheet = {"regions": L.REGIONS, "hosts": L.HOSTS, "slots": L.SLOTS}[col.dropdown]
        dv = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(sheet)}!$A$2:$A${2 + 1000}",
            allow_blank=True,
            showErrorMessage=col.kind != "list",  # a list cell takes several slots
        )
    elif col.kind == "int":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "Ett heltal, 0 eller större."
    elif col.kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
        dv.error = "Ett datum, t.ex. 2027-05-03."
    if dv is None:
        return
    if dv.error is None:
        dv.error = "Välj ett värde i listan."
    dv.showInputMessage = False
    ws.add_data_validation(dv)
    dv.add(ref)


def _field_sheet(ws: Worksheet, fields: Sequence[L.Col], values: dict[str, Any]) -> None:
    header(ws, L.FIELD_HEADERS, [34, 46, 70])
    for r, col in enumerate(fields, start=2):
        put(ws, r, 1, col.header).font = Font(bold=True)
        value = values.get(col.key)
        if value is not None and value != "":
            put(ws, r, 2, value, _format(col.kind)).alignment = Alignment(horizontal="left")
        elif col.kind in ("date", "from", "to"):
            ws.cell(row=r, column=2).number_format = L.DATE_FORMAT
        if col.help:
            put(ws, r, 3, col.help).font = HELP_FONT
        _validate(ws, col, f"B{r}")
    for r in range(2, len(fields) + 2):
        ws.cell(row=r, column=2).alignment = Alignment(horizontal="left", wrap_text=True, vertical="top")


def _instructions(ws: Worksheet) -> None:
    ws.title = L.INSTRUCTIONS
    ws.column_dimensions["A"].width = 110
    for r, (text, style) in enumerate(L.INSTRUCTION_TEXT, start=1):
        cell = put(ws, r, 1, text)
        cell.alignment = WRAP
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "heading":
            cell.font = Font(bold=True, size=12)


def _scenario_sheet(ws: Worksheet, sc: Scenario) -> None:
    values: dict[str, Any] = {
        "id": sc.id,
        "name": sc.name,
        "description": sc.description,
        "period.start": sc.period.start,
        "period.end": sc.period.end,
        "timezone": sc.timezone,
        "publication_date": sc.publication_date,
    }
    values |= {f"weekday.{day}": _yes(day in sc.weekdays) for day, _ in L.WEEKDAYS}
    for key, value in sc.calendar.model_dump().items():
        if isinstance(value, bool):
            values[f"calendar.{key}"] = _yes(value)
    values |= {f"weights.{key}": value for key, value in sc.weights.model_dump().items()}
    _field_sheet(ws, L.SCENARIO_FIELDS, values)


def _limits_sheet(wb: Workbook, sc: Scenario) -> None:
    keys = [c.key for c in L.LIMIT_COLUMNS[1:]]
    rows: list[list[Any]] = [[L.GLOBAL, *(getattr(sc.limits, k) for k in keys)]]
    for r in sc.regions:
        own = r.limits.model_dump()
        rows.append([r.code, *(own.get(k) for k in keys)])
    ws = _table(wb, L.LIMITS, L.LIMIT_COLUMNS, rows)
    for row in range(3, len(rows) + 2):
        for k, key in enumerate(keys, start=2):
            if key not in L.REGION_LIMIT_KEYS:
                ws.cell(row=row, column=k).fill = SHADE_FILL
    letter = get_column_letter(1)
    _validate(
        ws,
        L.Col("", "", dropdown="regions"),
        f"{letter}3:{letter}{len(rows) + 1 + SPARE_ROWS}",
    )


def _interest_sheet(ws: Worksheet, sc: Scenario) -> None:
    themes = [t for _, t in sc.themes()]
    header(
        ws, [*L.INTEREST_FIXED, *(t.id for t in themes)], [9, 28, *(max(8, len(t.id) + 2) for t in themes)]
    )
    ws.freeze_panes = "C2"
    for k, t in enumerate(themes, start=3):
        source = "taggar (S3)" if t.interested is None else "x eller vikt 1–100"
        ws.cell(row=1, column=k).comment = Comment(f"{t.name}\nIntresse: {source}", "arshjul", width=260)
    weights: dict[str, dict[str, Any]] = {
        t.id: {
            (i if isinstance(i, str) else i.region): (L.INTERESTED if isinstance(i, str) else i.weight)
            for i in t.interested or []
        }
        for t in themes
    }
    for r, region in enumerate(sc.regions, start=2):
        put(ws, r, 1, region.code)
        put(ws, r, 2, region.name)
        for k, t in enumerate(themes, start=3):
            value = weights[t.id].get(region.code)
            if value is not None:
                put(ws, r, k, value).alignment = Alignment(horizontal="center")
            elif t.interested is None:
                ws.cell(row=r, column=k).fill = SHADE_FILL
    if themes:
        last = get_column_letter(len(themes) + 2)
        dv = DataValidation(
            type="custom",
            formula1=f'OR(C2="{L.INTERESTED}",AND(ISNUMBER(C2),C2>=1,C2<=100))',
            allow_blank=True,
        )
        dv.error = "Skriv x eller en vikt 1–100."
        ws.add_data_validation(dv)
        dv.add(f"C2:{last}{len(sc.regions) + 1 + SPARE_ROWS}")
    autofilter(ws, len(themes) + 2, len(sc.regions))


def _network_sheet(ws: Worksheet, sc: Scenario) -> None:
    net = sc.network
    values: dict[str, Any] = {}
    if net is not None:
        values = {
            "host": net.host,
            "name": net.name,
            "description": net.description,
            "slot": net.slot,
            "duration_minutes": net.duration_minutes,
            "followup_weeks": L.NO_FOLLOWUP if net.followup_weeks is None else net.followup_weeks,
        }
    _field_sheet(ws, L.NETWORK_FIELDS, values)
    column = L.NETWORK_DATES_COLUMN
    cell = put(ws, 1, column, L.NETWORK_DATES)
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    ws.column_dimensions[get_column_letter(column)].width = 14
    dates = net.dates if net else []
    for r, day in enumerate(dates, start=2):
        put(ws, r, column, day, L.DATE_FORMAT)
    for r in range(len(dates) + 2, len(dates) + 2 + SPARE_ROWS):
        ws.cell(row=r, column=column).number_format = L.DATE_FORMAT
    letter = get_column_letter(column)
    _validate(ws, L.Col("", "", "date"), f"{letter}2:{letter}{len(dates) + 1 + SPARE_ROWS}")
