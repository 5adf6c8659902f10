"""Our own check of a calendar file against the Outlook rules, on the raw bytes.

A second opinion beside icalendar's own parser: it reads the file line by line as Outlook
would meet it, so what it reports is what a planner would see go wrong after an import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .events import UID_MAX_BYTES


def _unfold(text: str) -> list[tuple[int, str]]:
    """Logical content lines with the physical line number each starts on (any line break)."""
    lines: list[tuple[int, str]] = []
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for no, raw in enumerate(physical, start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw:
            lines.append((no, raw))
    return lines


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=value;...:VALUE, honouring quoted parameter values."""
    quoted = False
    head_end = len(line)
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head_end = i
            break
    head, value = line[:head_end], line[head_end + 1 :]
    pieces: list[str] = []
    cur, quoted = "", False
    for ch in head:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            pieces.append(cur)
            cur = ""
        else:
            cur += ch
    pieces.append(cur)
    params: dict[str, str] = {}
    for p in pieces[1:]:
        key, _, val = p.partition("=")
        params[key.upper()] = val.strip('"')
    return pieces[0].upper(), params, value


@dataclass
class _Comp:
    name: str
    line: int
    props: list[tuple[str, dict[str, str], str]]
    children: list[_Comp]

    def get(self, name: str) -> list[tuple[str, dict[str, str], str]]:
        return [p for p in self.props if p[0] == name]


def outlook_problems(data: bytes) -> list[str]:
    """What in a calendar file Outlook would get wrong, as readable lines; [] when none.

    Checks the raw bytes (CRLF, 75-octet lines, UTF-8) and the rules in
    ``shared/outlook-ics.md``: one STANDARD and at most one DAYLIGHT per VTIMEZONE, no
    RDATE, YEARLY RRULEs with a single BYDAY, TZOFFSETTO present, no TZID without its
    VTIMEZONE, unique UIDs of at most 202 bytes, DTSTAMP in UTC, ORGANIZER in iTIP and not
    in PUBLISH, no X-WR-CALNAME on a single appointment, all-day DTEND exclusive.
    """
    problems: list[str] = []
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"not valid UTF-8 (byte {exc.start})"]
    if text.startswith("\ufeff"):
        problems.append("starts with a byte-order mark")
        text = text[1:]
    if not text.endswith("\r\n"):
        problems.append("last line does not end with CRLF")
    for no, raw in enumerate(text.split("\r\n"), start=1):
        if "\n" in raw or "\r" in raw:
            problems.append(f"line {no}: line break other than CRLF")
        if len(raw.encode("utf-8")) > 75:
            problems.append(f"line {no}: {len(raw.encode('utf-8'))} octets, longer than 75")

    # Structure.
    root = _Comp("(file)", 0, [], [])
    stack = [root]
    for no, line in _unfold(text):
        name, params, value = _split(line)
        if name == "BEGIN":
            comp = _Comp(value.upper(), no, [], [])
            stack[-1].children.append(comp)
            stack.append(comp)
        elif name == "END":
            if len(stack) == 1 or stack[-1].name != value.upper():
                problems.append(f"line {no}: END:{value} does not close {stack[-1].name}")
                return problems
            stack.pop()
        else:
            stack[-1].props.append((name, params, value))
    if len(stack) != 1:
        problems.append(f"{stack[-1].name} opened on line {stack[-1].line} is never closed")
        return problems
    cals = [c for c in root.children if c.name == "VCALENDAR"]
    if len(cals) != 1 or len(root.children) != 1:
        problems.append("the file must hold exactly one VCALENDAR")
        if not cals:
            return problems

    for cal in cals:
        method = cal.get("METHOD")[0][2].upper() if cal.get("METHOD") else ""
        declared: set[str] = set()
        for tz in (c for c in cal.children if c.name == "VTIMEZONE"):
            tzids = tz.get("TZID")
            if not tzids:
                problems.append(f"line {tz.line}: VTIMEZONE without TZID")
                continue
            tzid = tzids[0][2]
            if tzid in declared:
                problems.append(f"VTIMEZONE {tzid}: declared twice")
            declared.add(tzid)
            std = [c for c in tz.children if c.name == "STANDARD"]
            dst = [c for c in tz.children if c.name == "DAYLIGHT"]
            if len(std) != 1:
                problems.append(f"VTIMEZONE {tzid}: {len(std)} STANDARD blocks (Outlook reads one)")
            if len(dst) > 1:
                problems.append(f"VTIMEZONE {tzid}: {len(dst)} DAYLIGHT blocks (Outlook reads one)")
            for obs in std + dst:
                where = f"VTIMEZONE {tzid} {obs.name}"
                if obs.get("RDATE"):
                    problems.append(f"{where}: RDATE (Outlook shifts DST events by an hour)")
                for prop in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                    if not obs.get(prop):
                        problems.append(f"{where}: no {prop}")
                rrules = obs.get("RRULE")
                if len(rrules) > 1:
                    problems.append(f"{where}: {len(rrules)} RRULEs")
                if not rrules and dst:
                    problems.append(f"{where}: no RRULE (a DST rule must repeat yearly)")
                for _, _, rule in rrules:
                    parts = dict(p.partition("=")[::2] for p in rule.upper().split(";") if p)
                    if parts.get("FREQ") != "YEARLY":
                        problems.append(f"{where}: RRULE is not FREQ=YEARLY")
                    if len([d for d in parts.get("BYDAY", "").split(",") if d]) != 1:
                        problems.append(f"{where}: RRULE needs exactly one BYDAY")
                    if len([m for m in parts.get("BYMONTH", "").split(",") if m]) != 1:
                        problems.append(f"{where}: RRULE needs exactly one BYMONTH")
                    if "UNTIL" in parts or "COUNT" in parts:
                        problems.append(f"{where}: RRULE ends (UNTIL/COUNT); Outlook keeps one rule")

        def walk(comp: _Comp) -> Iterable[_Comp]:
            yield comp
            for child in comp.children:
                yield from walk(child)

        for comp in walk(cal):
            for name, params, _ in comp.props:
                ref = params.get("TZID")
                if ref is not None and ref not in declared:
                    problems.append(f"{comp.name} {name}: TZID={ref} has no VTIMEZONE in the file")

        events = [c for c in cal.children if c.name == "VEVENT"]
        seen: dict[str, int] = {}
        for ev in events:
            uids = ev.get("UID")
            where = f"VEVENT on line {ev.line}"
            if len(uids) != 1:
                problems.append(f"{where}: {len(uids)} UID properties")
                continue
            uid = uids[0][2]
            if len(uid.encode("utf-8")) > UID_MAX_BYTES:
                problems.append(f"{where}: UID longer than {UID_MAX_BYTES} bytes")
            if not ev.get("RECURRENCE-ID"):
                if uid in seen:
                    problems.append(f"{where}: UID {uid} already used on line {seen[uid]}")
                seen[uid] = ev.line
            stamps = ev.get("DTSTAMP")
            if len(stamps) != 1:
                problems.append(f"{where}: {len(stamps)} DTSTAMP properties")
            for _, params, value in stamps:
                if "TZID" in params or not re.fullmatch(r"\d{8}T\d{6}Z", value):
                    problems.append(f"{where}: DTSTAMP {value} is not UTC")
            if method in ("REQUEST", "CANCEL") and not ev.get("ORGANIZER"):
                problems.append(f"{where}: METHOD:{method} without ORGANIZER (Outlook will not update)")
            if method in ("PUBLISH", "") and (ev.get("ORGANIZER") or ev.get("ATTENDEE")):
                problems.append(f"{where}: ORGANIZER/ATTENDEE in a PUBLISH calendar (not plain appointments)")
            starts, ends = ev.get("DTSTART"), ev.get("DTEND")
            all_day = bool(starts) and starts[0][1].get("VALUE", "").upper() == "DATE"
            if all_day and (not ends or ends[0][2] <= starts[0][2]):
                problems.append(f"{where}: all-day event needs an exclusive DTEND after DTSTART")
        if len(events) == 1 and cal.get("X-WR-CALNAME"):
            problems.append("X-WR-CALNAME on a file with a single appointment (creates a folder for it)")
    return problems


__all__ = ["outlook_problems"]
