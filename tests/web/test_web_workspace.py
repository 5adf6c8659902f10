"""The planner's path through the workspace, in-process: solve the bundled year, move a
session where it breaks the invitation cap and where it fits, save, pin, re-solve, accept,
and take the calendars out."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

import arshjul
from arshjul.web import Workspace, WorkspaceError, jobs
from arshjul.web import library as lib
from web_support import SESSION, cap_breaking_move, client, open_workspace, sign_in, workspace_with_plan

ROOT = Path(__file__).resolve().parents[2]


def _session(plan: arshjul.Plan, sid: str) -> arshjul.Session:
    return plan.session(sid)


def test_solve_move_pin_resolve_accept_download(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "ws")
    assert (ws.root / "scenario.yaml").is_file() and ws.current_id() is None
    c = client(ws, time_limit=10)
    csrf = sign_in(c)  # the start page: no plan yet, a solve form
    # -- solve the year (a short time limit; the bundled year is proven optimal in seconds)
    r = c.post("/solve", data={"csrf": csrf, "time_limit": "10"})
    assert r.status_code == 200 and str(r.url).endswith("/job")
    job = jobs.wait(ws, 60)
    assert job is not None and job.state == "done", job and job.message
    first = ws.current_id()
    assert first == job.result and first.endswith(("-optimal", "-feasible"))
    status = c.get("/job/status").json()
    assert status["state"] == "done" and status["best"] is not None and status["result"] == first
    page = c.get("/").text
    assert 'class="arshjul-wheel"' in page and f'href="/session/{SESSION}"' in page
    assert "January 2027" in page and "December 2027" in page
    plan = ws.plan(first)

    # -- a move onto a day where the invitation cap breaks: shown, named, not saved
    day, slot, n = cap_breaking_move(ws, plan, SESSION)
    r = c.post(f"/session/{SESSION}/check", data={"csrf": csrf, "date": day.isoformat(), "slot": slot})
    assert r.status_code == 200
    assert re.findall(r'data-rule="([a-z_]+)"', r.text) == ["region_invitation_cap"] * n
    assert "invitations in any 28 days" in r.text  # the rule in the planner's words
    assert f"Save anyway, breaking {n} rule(s)" in r.text
    assert len(ws.plans()) == 1
    # saving it needs the explicit confirmation, with the right count
    form = {"csrf": csrf, "base": first, "date": day.isoformat(), "slot": slot}
    for confirm in ({}, {"confirm_broken": "0"}, {"confirm_broken": str(n + 1)}):
        r = c.post(f"/session/{SESSION}/save", data={**form, **confirm})
        assert r.status_code == 400 and "save anyway" in r.text
    assert len(ws.plans()) == 1 and ws.current_id() == first

    # -- a move where it fits: the best other slot the alternatives offer
    r = c.get(f"/session/{SESSION}")
    where = re.search(r'<option value="([0-9-]+ [a-z]+)">', r.text)
    assert where, "no alternative offered"
    r = c.post(f"/session/{SESSION}/check", data={"csrf": csrf, "where": where.group(1)})
    assert "Every rule holds" in r.text and 'id="save"' in r.text
    r = c.post(f"/session/{SESSION}/save", data={"csrf": csrf, "base": first, "where": where.group(1)})
    assert r.status_code == 200
    edited = ws.current_id()
    assert edited != first and edited is not None and edited.endswith("-edited")
    info = ws.info(edited)
    assert info.origin == "move" and info.parent == first and info.broken == ()
    moved = _session(ws.plan(edited), SESSION)
    want_day, want_slot = where.group(1).split(" ")
    assert (moved.date.isoformat(), moved.slot) == (want_day, want_slot)
    assert arshjul.check_plan(ws.scenario()[1], ws.plan(edited)).ok
    # a save against a plan that is no longer current is refused
    r = c.post(f"/session/{SESSION}/save", data={"csrf": csrf, "base": first, "where": where.group(1)})
    assert r.status_code == 409

    # -- pin the moved session and re-solve the rest
    r = c.post(f"/session/{SESSION}/pin", data={"csrf": csrf, "pinned": "1"})
    assert "This session is pinned." in r.text and ws.pins() == [SESSION]
    assert json.loads((ws.root / "pins.json").read_text()) == {"pins": [SESSION]}
    started = time.monotonic()
    r = c.post("/resolve", data={"csrf": csrf, "time_limit": "10"})
    assert str(r.url).endswith("/job") and "Re-solving the rest (1 pinned kept)" in r.text
    job = jobs.wait(ws, 60)
    took = time.monotonic() - started
    assert job is not None and job.state == "done", job and job.message
    print(f"re-solve of the bundled year with one pin: {took:.1f} s")
    result = job.result
    assert result is not None and ws.current_id() == edited  # not current until accepted
    kept = _session(ws.plan(result), SESSION)
    assert (kept.date, kept.slot, kept.presentations) == (moved.date, moved.slot, moved.presentations)
    assert ws.info(result).origin == "resolve" and ws.info(result).pins == (SESSION,)
    assert arshjul.check_plan(ws.scenario()[1], ws.plan(result)).ok
    page = c.get(f"/plans/{result}").text
    assert "Against the current plan" in page and 'id="accept"' in page
    # -- accept
    r = c.post(f"/plans/{result}/accept", data={"csrf": csrf})
    assert r.status_code == 200 and ws.current_id() == result
    assert json.loads((ws.root / "current.json").read_text()) == {"plan": result}
    assert "This is the current plan." in c.get(f"/plans/{result}").text
    # every plan is kept, with its time and status
    assert [i.id for i in ws.plans()] == sorted([first, edited, result])

    # -- the calendars and plan.json of the current plan
    current = ws.plan(result)
    r = c.get("/download/calendar.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert "attachment" in r.headers["content-disposition"]
    master = Calendar.from_ical(r.content)
    assert len(master.walk("VEVENT")) == len(current.sessions)
    r = c.get("/download/regions/SE-E.ics")
    region = Calendar.from_ical(r.content)
    uids = {str(e["uid"]) for e in region.walk("VEVENT")}
    assert len(uids) == len(current.sessions_for("SE-E")) > 0
    r = c.get("/download/plan.json")
    assert arshjul.Plan.from_json(r.text) == current
    assert (ws.root / "exports" / result / "calendar.ics").is_file()


def test_saving_a_move_that_breaks_rules_marks_the_plan(tmp_path: Path) -> None:
    ws, pid = workspace_with_plan(tmp_path / "ws")
    c = client(ws)
    csrf = sign_in(c)
    day, slot, n = cap_breaking_move(ws, ws.plan(pid), SESSION)
    form = {"csrf": csrf, "base": pid, "date": day.isoformat(), "slot": slot, "confirm_broken": str(n)}
    r = c.post(f"/session/{SESSION}/save", data=form)
    assert r.status_code == 200
    saved = ws.current_id()
    assert saved is not None and saved.endswith("-broken")
    info = ws.info(saved)
    assert len(info.broken) == n and all(b.startswith("region_invitation_cap [") for b in info.broken)
    assert f"saved breaking {n} rule(s)" in c.get("/").text
    assert "region_invitation_cap" in c.get("/plans").text


def test_every_page_of_a_plan_reads_as_html(tmp_path: Path) -> None:
    ws, pid = workspace_with_plan(tmp_path / "ws")
    c = client(ws)
    sign_in(c)
    plan = ws.plan(pid)
    heat = c.get("/heatmap").text
    assert 'class="arshjul-heatmap' in heat or "<svg" in heat
    assert heat.count('<a href="/region/') == len(plan.regions)
    s = plan.session(SESSION)
    page = c.get(f"/session/{SESSION}").text
    for p in s.presentations:
        assert f"{p.start:%H:%M}–{p.end:%H:%M}" in page and p.name in page
    assert f"Invited regions ({len(s.invited)})" in page
    assert s.followup_on is not None and f'href="/session/{s.followup_on}"' in page
    network = c.get(f"/session/{s.followup_on}").text
    assert "Follows up" in network and f'href="/session/{SESSION}"' in network
    region = c.get("/region/SE-I").text
    assert "Region Gotland&#39;s year" in region and "(cap 3)" in region
    assert region.count('class="kind-') == len(plan.sessions_for("SE-I"))
    assert c.get("/region/SE-QQ").status_code == 404
    assert c.get("/session/no.such.session").status_code == 404
    assert c.get("/plans/20270101T000000.000000Z-optimal").status_code == 404


def test_a_second_solve_is_told_one_is_running_and_stop_keeps_the_best(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, pid = workspace_with_plan(tmp_path / "ws")
    c = client(ws)
    csrf = sign_in(c)
    release = threading.Event()
    best = ws.plan(pid)

    def slow_replan(*args: Any, report: Any, stop: threading.Event, **kw: Any) -> lib.ReplanOutcome:
        report(lib.SolveProgress(0.5, 500.0, 480.0, 1))
        while not (stop.is_set() or release.wait(0.05)):
            pass
        best.interrupted = stop.is_set()
        return lib.ReplanOutcome(best, (), (), ["kept"])

    monkeypatch.setattr(lib, "replan", slow_replan)
    assert c.post("/resolve", data={"csrf": csrf, "time_limit": "30"}).status_code == 200
    for route in ("/resolve", "/solve"):
        r = c.post(route, data={"csrf": csrf, "time_limit": "5"})
        assert r.status_code == 409 and "A solve is already running in this workspace" in r.text
    status = c.get("/job/status").json()
    assert (status["state"], status["best"], status["bound"], status["gap"]) == ("running", 500, 480, 4.0)
    r = c.post("/job/stop", data={"csrf": csrf})
    job = jobs.wait(ws, 10)
    assert job is not None and job.state == "done"
    assert "stopped by the planner" in ws.info(job.result or "").note
    release.set()


def test_stop_keeps_the_best_plan_of_a_real_search(tmp_path: Path) -> None:
    """The benchmarks' M year (four agencies, 58 sessions) has a first plan within a second
    and needs about 17 s to prove its optimum: stop it after the first plan."""
    made = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "M"], capture_output=True, check=True
    )
    (tmp_path / "m.yaml").write_bytes(made.stdout + b"language: en\n")  # the note is read in English
    ws = Workspace.open(tmp_path / "ws", tmp_path / "m.yaml")
    c = client(ws)
    csrf = sign_in(c)
    c.post("/solve", data={"csrf": csrf, "time_limit": "60"})
    deadline = time.monotonic() + 30
    while c.get("/job/status").json()["solutions"] < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    started = time.monotonic()
    c.post("/job/stop", data={"csrf": csrf})
    job = jobs.wait(ws, 30)
    assert job is not None and job.state == "done", job and job.message
    print(f"stop took {time.monotonic() - started:.1f} s")
    info = ws.info(job.result or "")
    assert "stopped by the planner" in info.note and info.status == "feasible"
    assert ws.current_id() == job.result  # a workspace's first plan becomes current
    assert arshjul.check_plan(ws.scenario()[1], ws.plan(info.id)).ok


def test_a_workspace_keeps_its_scenario(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", ROOT / "scenarios" / "variant-tight-cap.yaml")
    sc, _ = ws.scenario()
    assert sc.id == "sweden-2027-tight-cap" and sc.limits.window_max == 3  # the extends chain merged
    assert Workspace.open(tmp_path / "ws").scenario()[0].id == sc.id  # reopened as it is
    with pytest.raises(WorkspaceError, match=r"another scenario\.yaml"):
        Workspace.open(tmp_path / "ws", ROOT / "scenarios" / "tight-2027.yaml")
    with pytest.raises(arshjul.ScenarioError):
        bad = tmp_path / "bad.yaml"
        bad.write_text("id: x\nperiod: 3\n")
        Workspace.open(tmp_path / "other", bad)
    assert not (tmp_path / "other" / "scenario.yaml").exists()


def test_a_move_dropped_on_the_timeline_goes_back_to_the_timeline(tmp_path: Path) -> None:
    ws, first = workspace_with_plan(tmp_path / "ws")
    c = client(ws)
    csrf = sign_in(c)
    r = c.get(f"/session/{SESSION}")
    where = re.search(r'<option value="([0-9-]+ [a-z]+)">', r.text)
    assert where, "no alternative offered"
    day, slot = where.group(1).split(" ")
    dropped = {"csrf": csrf, "date": day, "slot": slot, "from": "timeline"}
    r = c.post(f"/session/{SESSION}/check", data=dropped)
    assert r.status_code == 200 and "Every rule holds" in r.text
    assert 'href="/#timeline" id="back"' in r.text and 'name="from" value="timeline"' in r.text
    r = c.post(f"/session/{SESSION}/save", data={**dropped, "base": first}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/#timeline"
    # from the session page (or any other 'from'), back to the session: no open redirect
    edited = ws.current_id()
    r = c.post(f"/session/{SESSION}/check", data={**dropped, "from": "https://evil.example/"})
    assert f'href="/session/{SESSION}" id="back"' in r.text and 'name="from"' not in r.text
    r = c.post(
        f"/session/{SESSION}/save",
        data={**dropped, "base": edited, "from": "https://evil.example/"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/session/{SESSION}"
