"""The year's timeline, in-process: every slot of the period a cell that names its day and
slot, every session in its own cell, the calendar's closed slots saying why, and the form the
drag posts (static/app.js) checking the move as the session page's form does."""

from __future__ import annotations

import re
from pathlib import Path

from arshjul.web import library as lib
from web_support import SESSION, client, sign_in, workspace_with_plan

CELL = re.compile(
    r'<div class="tl-cell( closed)?" data-date="([0-9-]+)" data-slot="([a-z]+)"[^>]*title="([^"]*)">'
)
CHIP = re.compile(r'<a class="chip kind-[a-z]+( pinned)?" href="/session/([^"]+)" data-session="\2"')


def _cells(page: str) -> dict[tuple[str, str], tuple[bool, str, list[str]]]:
    """(date, slot) → (closed, title, the sessions in the cell), read from the page."""
    out = {}
    parts = CELL.split(page)
    # split gives: text, closed, date, slot, title, text, closed, ...
    for k in range(1, len(parts), 5):
        closed, date, slot, title, after = parts[k : k + 5]
        inside = after.split("</div>", 1)[0]
        out[(date, slot)] = (bool(closed), title, [m.group(2) for m in CHIP.finditer(inside)])
    return out


def test_the_timeline_shows_every_slot_with_its_sessions(tmp_path: Path) -> None:
    ws, pid = workspace_with_plan(tmp_path / "ws")
    c = client(ws)
    csrf = sign_in(c)
    ws.set_pinned(SESSION, True)
    page = c.get("/").text
    assert 'id="timeline"' in page and 'id="timeline-form"' in page
    cells = _cells(page)
    _, inst = ws.scenario()
    plan = ws.plan(pid)
    assert sorted(cells) == sorted((t.date.isoformat(), t.slot) for t in inst.slots)  # 365 days × 2
    for s in plan.sessions:
        assert s.id in cells[(s.date.isoformat(), s.slot)][2], s.id
    assert sum(len(v[2]) for v in cells.values()) == len(plan.sessions)
    assert f'<a class="chip kind-dialog pinned" href="/session/{SESSION}"' in page
    # the calendar's closed slots, in the planner's words; an open weekday is not closed
    saturday = cells[("2027-03-06", "morning")]
    assert saturday[0] and "Saturdays are not meeting days" in saturday[1]
    assert cells[("2027-12-24", "afternoon")][0]  # Christmas Eve
    assert not cells[("2027-03-03", "morning")][0]  # a Wednesday
    assert cells[("2027-03-03", "morning")][1] == "Wed 3 Mar 2027 (morning)"

    # what a drop posts is the move form's check: the same verdict, nothing saved
    day, slot = "2027-03-06", "morning"
    r = c.post(f"/session/{SESSION}/check", data={"csrf": csrf, "date": day, "slot": slot})
    assert r.status_code == 200
    assert "calendar_weekday" in re.findall(r'data-rule="([a-z_]+)"', r.text)
    assert "Save anyway" in r.text and len(ws.plans()) == 1
    assert lib.slot_names(inst) == ["morning", "afternoon"]
