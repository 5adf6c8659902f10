"""A region's availability from the files it already keeps: a calendar export (.ics) or a
list of dates (.csv, .xlsx).

A region names them in its scenario entry (``away_from: [dalarna-busy.ics, dalarna.csv]``,
``cannot_present_from: [...]``); :func:`arshjul.scenario.load` reads them with the same
guards as a scenario file and this module turns their bytes into :class:`Entry` items, each
a stretch of days with the note it came with.  Nothing here reads a file or knows the
scenario: the caller gives bytes, the period and the time zone.

**What counts in an .ics** (the rule, :func:`counts`):

- only events (VEVENT); a cancelled one (``STATUS:CANCELLED``) never counts;
- an event counts when it blocks time: ``TRANSP:OPAQUE``, the default, and not marked free by
  Outlook (``X-MICROSOFT-CDO-BUSYSTATUS:FREE``);
- an event marked free (``TRANSP:TRANSPARENT``) counts only when its SUMMARY names an
  absence: one of :data:`ABSENCE_WORDS` (ledig, upptagen, borta, semester, away, busy, …) as
  a whole word, in any case — calendar programs often export an all-day "Semester" as free;
- a timed event takes every day it touches in the scenario's time zone (22:00–01:00 touches
  two days; an end at exactly midnight does not touch the next day); an all-day event takes
  its dates (DTEND is the day after the last);
- recurring events (RRULE, RDATE, EXDATE, moved occurrences with RECURRENCE-ID) are expanded
  with the ``recurring-ical-events`` package, only inside the period, and at most
  :data:`MAX_OCCURRENCES` of them; a rule repeating every minute or second is refused.

**A list** (.csv, or the first sheet of an .xlsx) has one span a row in its first column, in
the scenario's span syntax (``2027-05-03``, ``2027-05-03..2027-05-14``, ``2027-W07``,
``W07`` every year, ``W07..W08``; a real date cell in a workbook), and an optional note in
the second.  A first row whose first cell has no digit is a heading (``Datum;Anteckning``);
empty rows and rows starting with ``#`` are skipped; a .csv may use ``,``, ``;`` or tabs.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from .errors import ScenarioError
from .i18n import _ as gettext
from .workbook.reader import workbook_sheets

SUFFIXES = (".ics", ".csv", ".xlsx")
"""The kinds of file a region may give, by their name's ending."""

ABSENCE_WORDS = ("ledig", "ledighet", "upptagen", "borta", "semester", "away", "busy", "out of office", "ooo")
"""Words in an event's SUMMARY that make it count even when it is marked free."""

_ABSENCE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ABSENCE_WORDS) + r")\b", re.IGNORECASE)

MAX_OCCURRENCES = 50_000
"""Most event occurrences read from one calendar inside the period (a daily meeting over the
longest period, three years, is about 1,100)."""

MAX_NOTE = 80
"""Longest note kept from an event's SUMMARY or a list's second column."""


@dataclass(frozen=True)
class Entry:
    """One stretch of days a file gives: a span text (a list's row) or dates (a calendar's
    event), with its note and where in the file it is."""

    where: str
    """``line 12`` (a .csv or .ics line) or ``row 3`` (an .xlsx row)."""
    note: str
    text: str | None = None
    """The span as the list wrote it, for the scenario's span syntax to read."""
    first: dt.date | None = None
    last: dt.date | None = None


def _line(n: int) -> str:
    """``line 12`` in the language messages are in."""
    return gettext("line {line}").format(line=n)


def note_of(value: Any) -> str:
    """A note fit for one line of a message: control characters and runs of space become one
    space, and a long one is cut."""
    text = " ".join("".join(c if c.isprintable() else " " for c in str(value or "")).split())
    return text if len(text) <= MAX_NOTE else text[: MAX_NOTE - 1] + "…"


# -- lists ------------------------------------------------------------------------------------------


def _rows(rows: list[tuple[str, list[Any]]]) -> Iterator[Entry]:
    for k, (where, cells) in enumerate(rows):
        values = list(cells)
        if not values or all(v is None or not str(v).strip() for v in values):
            continue
        head = values[0]
        if isinstance(head, dt.datetime):
            head = head.date()
        note = note_of(values[1]) if len(values) > 1 else ""
        if isinstance(head, dt.date):
            yield Entry(where, note, first=head, last=head)
            continue
        text = "" if head is None else str(head).strip()
        if text.startswith("#"):
            continue
        if k == 0 and not any(c.isdigit() for c in text):
            continue  # a heading
        yield Entry(where, note, text=text)


def read_csv(text: str) -> list[Entry]:
    """The rows of a list saved as CSV (``,``, ``;`` or tab between the columns)."""
    lines = text.splitlines()
    written = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    delimiter = next((d for d in (";", "\t", ",") if d in written), ",")
    reader = csv.reader(lines, delimiter=delimiter)
    rows = [(_line(reader.line_num), list(cells)) for cells in reader]
    return list(_rows(rows))


def read_xlsx(raw: bytes, source: str) -> list[Entry]:
    """The rows of the first sheet of a workbook."""
    sheets = workbook_sheets(raw, source)
    grid = next(iter(sheets.values()), [])
    return list(
        _rows([(gettext("row {row}").format(row=r), list(cells)) for r, cells in enumerate(grid, start=1)])
    )


# -- calendars --------------------------------------------------------------------------------------


def counts(event: Any) -> bool:
    """Whether a calendar event makes its days unavailable (the rule in the module's text)."""
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    free = str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT" or (
        str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE"
    )
    return not free or bool(_ABSENCE.search(str(event.get("SUMMARY", ""))))


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the number of the line each starts on."""
    start, current = 0, None
    for n, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and current is not None:
            current += line[1:]
            continue
        if current is not None:
            yield start, current
        start, current = n, line
    if current is not None:
        yield start, current


_NAME = re.compile(r"^[A-Za-z0-9-]+[;:]")


def _check_form(text: str) -> None:
    """An .ics must be a VCALENDAR of well-formed content lines; the first bad line is named."""
    lines = [(n, line) for n, line in _content_lines(text) if line.strip()]
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        where = lines[0][0] if lines else 1
        raise ScenarioError(
            gettext("not an iCalendar file (it must start with BEGIN:VCALENDAR)"), field=_line(where)
        )
    depth: list[str] = []
    for n, line in lines:
        if not _NAME.match(line) or ":" not in line:
            raise ScenarioError(
                gettext("not an iCalendar content line {line!r} (NAME:value)").format(
                    line=note_of(line)[:40]
                ),
                field=_line(n),
            )
        name, _, value = line.partition(":")
        key = name.split(";")[0].upper()
        if key == "BEGIN":
            depth.append(value.strip().upper())
        elif key == "END":
            if not depth or depth[-1] != value.strip().upper():
                raise ScenarioError(
                    gettext("END:{name} without its BEGIN").format(name=value.strip()), field=_line(n)
                )
            depth.pop()
    if depth:
        raise ScenarioError(
            gettext("BEGIN:{name} is never ended (END:{name})").format(name=depth[-1]),
            field=_line(lines[-1][0]),
        )


def _check_rules(text: str) -> None:
    """A rule repeating every minute or second is refused before it is expanded (three years
    of it would be over a million events); arshjul reads days, so hourly is the finest."""
    for n, line in _content_lines(text):
        if line.upper().startswith(("RRULE:", "RRULE;")) and re.search(
            r"FREQ=(SECONDLY|MINUTELY)", line, re.IGNORECASE
        ):
            raise ScenarioError(
                gettext(
                    "an event repeats every minute or second; export it as one event over the time it takes"
                ),
                field=_line(n),
            )


def _uid_lines(text: str) -> dict[str, str]:
    """Where each event's UID is first written (``line 12``), for messages."""
    out: dict[str, str] = {}
    for n, line in _content_lines(text):
        if line.upper().startswith(("UID:", "UID;")):
            out.setdefault(line.partition(":")[2].strip(), _line(n))
    return out


def _local(value: dt.date | dt.datetime, zone: ZoneInfo) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    return value


def _days_of(event: Any, zone: ZoneInfo) -> tuple[dt.date, dt.date] | None:
    """The first and last day an occurrence touches, in ``zone``."""
    start_prop = event.get("DTSTART")
    if start_prop is None:
        return None
    start = _local(start_prop.dt, zone)
    end_prop = event.get("DTEND")
    if end_prop is not None:
        end = _local(end_prop.dt, zone)
    elif event.get("DURATION") is not None:
        end = start + event["DURATION"].dt
    else:
        end = start if isinstance(start, dt.datetime) else start + dt.timedelta(days=1)
    if isinstance(start, dt.datetime):
        first = start.date()
        if not isinstance(end, dt.datetime) or end <= start:
            return first, first
        return first, max(first, (end - dt.timedelta(microseconds=1)).date())
    end_day = end.date() if isinstance(end, dt.datetime) else end
    return start, max(start, end_day - dt.timedelta(days=1))


def read_ics(text: str, first: dt.date, last: dt.date, timezone: str) -> list[Entry]:
    """The busy days of a calendar inside ``first..last``: one entry per occurrence that
    :func:`counts`, with its SUMMARY as the note."""
    _check_form(text)
    try:
        cal = icalendar.Calendar.from_ical(text)
    except Exception as exc:  # icalendar raises ValueError and others for a damaged line
        detail = note_of(str(exc))[:MAX_NOTE]
        found = re.search(r"'([^']{4,})'", str(exc))
        where = _line(1)
        if found:
            where = next((_line(n) for n, line in _content_lines(text) if found.group(1)[:40] in line), where)
        raise ScenarioError(
            gettext("not a valid iCalendar file ({detail})").format(detail=detail), field=where
        ) from None
    zone = ZoneInfo(timezone)
    uid_lines = _uid_lines(text)
    entries: list[Entry] = []
    _check_rules(text)
    try:
        occurrences = recurring_ical_events.of(cal).between(
            first - dt.timedelta(days=1), last + dt.timedelta(days=2)
        )
        if len(occurrences) > MAX_OCCURRENCES:
            raise ScenarioError(
                gettext("has more than {most} events inside the period; export a shorter stretch").format(
                    most=MAX_OCCURRENCES
                ),
                field=_line(1),
            )
        for event in occurrences:
            days = _days_of(event, zone)
            if days is None or days[0] > last or days[1] < first or not counts(event):
                continue
            where = uid_lines.get(str(event.get("UID", "")).strip(), _line(1))
            entries.append(Entry(where, note_of(event.get("SUMMARY", "")), first=days[0], last=days[1]))
    except ScenarioError:
        raise
    except Exception as exc:  # a rule the recurrence package cannot expand
        raise ScenarioError(
            gettext("cannot expand its events ({kind}: {detail})").format(
                kind=type(exc).__name__, detail=note_of(str(exc))[:MAX_NOTE]
            ),
            field=_line(1),
        ) from None
    return entries


def read_entries(
    raw: bytes, text: str | None, name: str, first: dt.date, last: dt.date, timezone: str
) -> list[Entry]:
    """The entries of one file, by its name's ending (``text`` is its UTF-8 text, ``None``
    for a workbook)."""
    suffix = name.lower().rsplit(".", 1)[-1]
    if suffix == "xlsx":
        return read_xlsx(raw, name)
    assert text is not None
    if suffix == "ics":
        return read_ics(text, first, last, timezone)
    return read_csv(text)
