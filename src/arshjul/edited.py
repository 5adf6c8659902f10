"""Plans the planner changed by hand: a plan JSON, or a master calendar moved around in a
calendar program and exported back as ``.ics``.

A calendar carries each session's times (matched by the UID arshjul wrote) but not, in a
machine-readable form, who presents.  Presenters therefore come from a *base plan* — the
plan JSON the calendar was exported from — when one is given; without it they are read back
from the running order arshjul writes into each dialog's DESCRIPTION ("Talarordning:" or
"Running order:", in whichever language the calendar was written), matching the region and
group names exactly; a focus area written after a name ("Region Stockholm — Life science") is
passed over.  Everything else (running order times, focus areas, invitations,
follow-ups) is derived again from the scenario, so the checker judges what the calendar
now says.  Sessions missing from the calendar (deleted or cancelled there) are missing from
the plan, and the checker reports them.  No solver import.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from icalendar import Calendar

from .errors import PlanFileError
from .exporters.ics.events import UID_DOMAIN
from .exporters.ics.read import read_ics_sessions, session_events, session_ids
from .exporters.ics.text import FOCUS_MARK, HOST_MARK, RUNNING_ORDER
from .fileio import os_reason
from .i18n import _ as gettext
from .i18n import every_translation
from .instance import Instance, SlotTime
from .plan import Plan
from .realize import blank_plan, build_sessions
from .scenario import MAX_FILE_BYTES, read_text

_LINE = re.compile(r"^\s*\d{1,2}:\d{2}\s*[–—-]\s*\d{1,2}:\d{2}\s+(?P<label>.+?)\s*$")


def read_plan_file(path: str | Path, inst: Instance, *, base: Plan | None = None) -> Plan:
    """A plan from a file: plan JSON as written by ``arshjul plan``, or an ``.ics`` calendar
    (presenters from ``base`` when given, else from the running orders in the calendar).

    Any problem is one :class:`~arshjul.errors.PlanFileError` line naming the file."""
    p = Path(path)
    if p.suffix.lower() in (".ics", ".ical", ".ifb", ".icalendar"):
        return plan_from_ics(_read_bytes(p), inst, source=str(p), base=base)
    return Plan.from_json(read_text(p), source=str(p))


def _read_bytes(p: Path) -> bytes:
    source = str(p)
    try:
        if p.is_dir():
            raise PlanFileError(gettext("is a folder, not a file"), source=source)
        if p.stat().st_size > MAX_FILE_BYTES:
            raise PlanFileError(
                gettext("is larger than {size} MB").format(size=MAX_FILE_BYTES // (1024 * 1024)),
                source=source,
            )
        return p.read_bytes()
    except FileNotFoundError:
        raise PlanFileError(gettext("no such file"), source=source) from None
    except OSError as exc:
        raise PlanFileError(
            gettext("cannot read: {why}").format(why=os_reason(exc, gettext)), source=source
        ) from None


def unit_labels(inst: Instance) -> dict[str, str]:
    """How a running order names each unit: a region's name, or a group's name followed by
    its members' names (as :func:`arshjul.exporters.ics.text.event_description` writes it)."""
    out: dict[str, str] = {}
    for u in inst.units.values():
        if len(u.regions) <= 1:
            out[u.name] = u.id
        else:
            members = ", ".join(inst.regions[c].name for c in u.regions)
            out[f"{u.name} ({members})"] = u.id
    return out


def running_orders(data: bytes, inst: Instance, source: str) -> dict[str, tuple[str, ...] | None]:
    """Session id → presenting unit ids read from each dialog's DESCRIPTION (``None`` when a
    dialog has no running order there)."""
    try:
        cal = Calendar.from_ical(bytes(data).decode("utf-8-sig"))
    except Exception as exc:  # the times were read already; this is the same file
        raise PlanFileError(
            gettext("not a readable calendar ({detail})").format(detail=exc), source=source, field="(file)"
        ) from None
    labels = unit_labels(inst)
    headings = every_translation(RUNNING_ORDER)
    host_lines = {
        mark.format(name=h.name) for mark in every_translation(HOST_MARK) for h in inst.hosts.values()
    }
    dialogs = {s.id for s in inst.dialogs()}
    out: dict[str, tuple[str, ...] | None] = {}
    for found in session_events(cal):
        if found.scenario_id != inst.scenario_id or found.session_id not in dialogs:
            continue
        sid = found.session_id
        text = str(found.event.get("description", "")).replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        start = next((k + 1 for k, line in enumerate(lines) if line.strip() in headings), None)
        if start is None:
            out[sid] = None
            continue
        units: list[str] = []
        for line in lines[start:]:
            if not line.strip():
                break
            hit = _LINE.match(line)
            if not hit:
                break
            label = hit.group("label")
            if label in host_lines:
                continue
            label = _without_focus(label, labels)
            if label not in labels:
                raise PlanFileError(
                    gettext(
                        "running order names '{label}', which is no region or group of the scenario "
                        "(pass the plan JSON it came from with --plan)"
                    ).format(label=label),
                    source=source,
                    field=f"VEVENT {found.index + 1} ({sid}) DESCRIPTION",
                )
            units.append(labels[label])
        out[sid] = tuple(units)
    return out


def _without_focus(label: str, labels: dict[str, str]) -> str:
    """A running-order label less the focus area written after it ("Region Stockholm —
    Life science" → "Region Stockholm"): the longest known label the line starts with and
    the focus mark follows.  The focus itself is not read back; it comes from the scenario."""
    if label in labels:
        return label
    known = [k for k in labels if label.startswith(k + FOCUS_MARK.rstrip())]
    return max(known, key=len) if known else label


def _slot_containing(inst: Instance, start: dt.datetime, end: dt.datetime) -> SlotTime | None:
    day = start.date()
    if not inst.period_start <= day <= inst.period_end:
        return None
    per_day = len(inst.slots) // inst.n_days
    first = inst.day(day) * per_day
    for t in inst.slots[first : first + per_day]:
        if t.start <= start and end <= t.end:
            return t
    return None


def plan_from_ics(data: bytes, inst: Instance, *, source: str, base: Plan | None = None) -> Plan:
    """Rebuild a plan from calendar times (see the module docstring for presenters)."""
    times = read_ics_sessions(data, source, timezone=inst.timezone)
    known = {s.id for s in inst.sessions} & session_ids(data, inst.scenario_id)
    times = {sid: t for sid, t in times.items() if sid in known}
    if not times:
        raise PlanFileError(
            gettext(
                "no session of scenario '{id}' in this calendar (UIDs end "
                "@{id}.{domain}; export the master calendar)"
            ).format(id=inst.scenario_id, domain=UID_DOMAIN),
            source=source,
            field="(file)",
        )
    base_sessions = {s.id: s for s in base.sessions} if base is not None else {}
    if base is not None:
        presenters = {s.id: tuple(p.presenter for p in s.presentations) for s in base.sessions}
    else:
        read = running_orders(data, inst, source)
        missing = [sid for sid in times if sid in read and read[sid] is None]
        if missing:
            raise PlanFileError(
                gettext(
                    "dialog '{session}' has no running order in its DESCRIPTION; pass the plan "
                    "JSON the calendar came from with --plan"
                ).format(session=missing[0]),
                source=source,
                field="DESCRIPTION",
            )
        presenters = {sid: units for sid, units in read.items() if units is not None}

    placed = {}
    days = {}
    for sid, (start, end) in times.items():
        slot = _slot_containing(inst, start, end)
        placed[sid] = (start, end, slot.slot if slot is not None else "")
        if slot is not None:
            days[sid] = inst.day(start.date())
    sequences = {sid: s.sequence for sid, s in base_sessions.items()}
    sessions = build_sessions(inst, placed, presenters, days=days, sequences=sequences)
    return blank_plan(inst, status="FEASIBLE", sessions=sessions)


__all__ = ["plan_from_ics", "read_plan_file", "running_orders", "unit_labels"]
