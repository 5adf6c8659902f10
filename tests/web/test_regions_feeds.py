"""Feeds and follow-up end to end: a region's feed carries its homework deadlines and each
network meeting's agenda, passes our Outlook lint, parses back with icalendar, and imports
into khal twice (before and after a replan) without a duplicate.  Region changes show up on
the planner's proposals page and apply to scenario.yaml with its comments kept."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest
from icalendar import Calendar
from test_ics_programs import Khal

from arshjul.exporters.ics import outlook_problems
from arshjul.web import library as lib
from regions_support import client, region_client, world
from web_support import sign_in


def _events(data: bytes) -> list[object]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_region_feed_has_homework_and_agendas(tmp_path: Path) -> None:
    w = world(tmp_path)
    plan = w.ws.plan(w.pid)
    dialog = next(s for s in plan.sessions if w.a in s.presenting_regions and s.followup_on)
    w.store.record_outcome(dialog.id, "joint test bed for hydrogen", who="planner")
    w.store.add_action(
        dialog.id, "draft a joint call", owner="Vinnova", due=dt.date(2027, 9, 1), who="planner"
    )
    c = client(w)
    data = c.get(f"/feed/{w.a_feed}.ics").content
    assert outlook_problems(data) == []
    events = _events(data)
    homework = [e for e in events if str(e["uid"]).startswith("homework-")]  # type: ignore[index]
    presenting = [s for s in plan.sessions if s.kind == "dialog" and w.a in s.presenting_regions]
    assert len(homework) == len(presenting) > 0
    for e in homework:
        assert isinstance(e["dtstart"].dt, dt.date) and not isinstance(e["dtstart"].dt, dt.datetime)  # type: ignore[index]
        assert str(e["x-microsoft-cdo-busystatus"]) == "FREE"  # type: ignore[index]
    meeting = next(e for e in events if dialog.followup_on in str(e["uid"]))  # type: ignore[index, operator]
    assert "draft a joint call" in str(meeting["description"])  # type: ignore[index]
    # the planner's agenda page and its Markdown say the same
    p = client(w)
    sign_in(p)
    md = p.get(f"/agenda/{dialog.followup_on}/md").text
    assert "joint test bed for hydrogen" in md and "- [ ] draft a joint call (Vinnova, due 2027-09-01)" in md
    results = p.get("/results?today=2027-12-31").text
    assert "followed up" in results


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed (apt-get install khal)")
def test_feed_imported_twice_after_a_replan_has_no_duplicates(tmp_path: Path) -> None:
    w = world(tmp_path)
    c = client(w)
    first = tmp_path / "first.ics"
    first.write_bytes(c.get(f"/feed/{w.a_feed}.ics").content)
    plan = w.ws.plan(w.pid)
    sc, inst = w.ws.scenario()
    mine = next(s for s in plan.sessions_for(w.a) if s.kind == "dialog")
    options = lib.alternatives(inst, plan, mine.id).options
    assert options
    moved = lib.move(sc, inst, plan, mine.id, options[0].date, options[0].slot, options[0].presenters)
    assert moved is not None
    info = w.ws.save_plan(moved.plan, origin="move", status="edited")
    w.ws.set_current(info.id)
    second = tmp_path / "second.ics"
    second.write_bytes(c.get(f"/feed/{w.a_feed}.ics").content)
    khal = Khal(tmp_path / "khal", ["feed"])
    khal.import_file("feed", first)
    khal.import_file("feed", second)
    rows = khal.listing("feed")
    uids = Counter(uid for _, uid, *_ in rows)
    assert set(uids.values()) == {1}, uids
    assert set(uids) == {str(e["uid"]) for e in _events(second.read_bytes())}  # type: ignore[index]


def test_region_changes_become_proposals_the_planner_applies(tmp_path: Path) -> None:
    w = world(tmp_path)
    rc, csrf = region_client(w, w.a_token)
    assert (
        rc.post("/r/away", data={"csrf": csrf, "span": "2027-W18"}, follow_redirects=False).status_code == 303
    )
    bad = rc.post("/r/away", data={"csrf": csrf, "span": "fredag"})
    assert bad.status_code == 400 and "is not a date, a date range" in bad.text
    assert rc.post("/r/interest", data={"csrf": csrf, "w_rymd": "101"}).status_code == 400
    assert (
        rc.post("/r/interest", data={"csrf": csrf, "w_rymd": "60"}, follow_redirects=False).status_code == 303
    )
    p = client(w)
    sign_in(p)
    page = p.get("/proposals").text
    assert "away 2027-W18" in page and "interest in rymd: 60" in page and "Anna A" in page
    csrf_p = sign_in(p)
    before_plan = w.ws.current_id()
    r = p.post(
        "/proposals/apply",
        data={"csrf": csrf_p, "c": [f"{w.a}|away|2027-W18", f"{w.a}|interest|rymd"]},
    )
    assert r.status_code == 200 and "Applied 2 changes" in r.text
    text = (w.ws.root / "scenario.yaml").read_text(encoding="utf-8")
    assert "2027-W18" in text and "# Days this region cannot take part at all" in text  # comments kept
    sc, _ = w.ws.scenario()
    assert lib.interest_by_theme(sc)["rymd"][w.a] == 60
    assert w.ws.current_id() == before_plan  # the plan already sent is not touched
    assert 'id="no-proposals"' in p.get("/proposals").text  # nothing left to apply
