"""The planner's pages beyond the plan, in-process: why there is no plan and a way out in one
click, scenario edits written back with their comments and undone byte for byte, two plans
compared, and the files that go out."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from icalendar import Calendar

from arshjul.web import Workspace, edits, jobs
from arshjul.web import library as lib
from web_support import SESSION, client, open_workspace, sign_in, workspace_with_plan

DIFF = re.compile(r'<span class="(add|del)">([^<]*)</span>')


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_infeasible_why_apply_a_fix_solve_and_undo(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "ws")
    c = client(ws)
    csrf = sign_in(c)
    original = (ws.root / "scenario.yaml").read_bytes()
    # -- an edit that leaves no plan: Gotland may get no invitation at all
    r = c.post("/scenario/region/SE-I", data={"csrf": csrf, "limit_window_max": "0"})
    assert r.status_code == 200 and str(r.url).endswith("/scenario#last-edit")
    assert DIFF.findall(r.text) == [("del", "-      window_max: 3"), ("add", "+      window_max: 0")]
    edited = (ws.root / "scenario.yaml").read_text(encoding="utf-8")
    assert _comments(edited) == _comments(original.decode())  # every comment kept
    assert ws.scenario()[0].region("SE-I").limits.window_max == 0
    assert len(edits.history(ws)) == 1
    # -- solve: no plan; the job page offers to ask why
    c.post("/solve", data={"csrf": csrf, "time_limit": "10"})
    job = jobs.wait(ws, 60)
    assert job is not None and job.state == "failed"
    assert 'id="ask-why"' in c.get("/job").text
    # -- why: the colliding rules in the planner's words with their fields, and the ways out
    r = c.post("/why", data={"csrf": csrf})
    assert r.status_code == 200
    job = jobs.wait(ws, 180)
    assert job is not None and job.kind == "why" and job.state == "done", job and job.message
    page = c.get("/why").text
    assert 'data-rule="region_invitation_cap"' in page
    assert "<code>regions[SE-I].limits.window_max</code>" in page and "Region Gotland" in page
    assert job.conflict is not None and job.conflict.fixes
    fix = job.conflict.fixes[0]
    assert fix.changes == (("regions[SE-I].limits.window_max", 3),)
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page)
    assert digest
    # a wrong fix or a stale answer is refused, nothing written
    assert (
        c.post("/why/apply", data={"csrf": csrf, "fix": "99", "digest": digest.group(1)}).status_code == 409
    )
    assert c.post("/why/apply", data={"csrf": csrf, "fix": "0", "digest": "0" * 64}).status_code == 409
    assert len(edits.history(ws)) == 1
    # -- one click: the way out becomes a scenario edit, shown as a diff
    r = c.post("/why/apply", data={"csrf": csrf, "fix": "0", "digest": digest.group(1)})
    assert r.status_code == 200
    assert DIFF.findall(r.text) == [("del", "-      window_max: 0"), ("add", "+      window_max: 3")]
    assert "way out: set regions[SE-I].limits.window_max: 3" in r.text and 'id="undo"' in r.text
    assert (ws.root / "scenario.yaml").read_bytes() == original  # this fix is the file as it was
    assert "The scenario changed since this answer" in c.get("/why").text
    # -- and it solves
    c.post("/solve", data={"csrf": csrf, "time_limit": "10"})
    job = jobs.wait(ws, 60)
    assert job is not None and job.state == "done" and ws.current_id() == job.result
    # -- undo, twice: back to the version before each edit, byte for byte
    c.post("/scenario/undo", data={"csrf": csrf})
    assert ws.scenario()[0].region("SE-I").limits.window_max == 0
    c.post("/scenario/undo", data={"csrf": csrf})
    assert (ws.root / "scenario.yaml").read_bytes() == original
    assert edits.history(ws) == []
    assert c.post("/scenario/undo", data={"csrf": csrf}).status_code == 200  # nothing left: no-op


@pytest.mark.parametrize(
    ("url", "form", "field", "message"),
    [
        ("/scenario/limits", {"window_days": "0"}, "limits-window_days", "greater than or equal to 1"),
        ("/scenario/limits", {"window_max": "four"}, "limits-window_max", "'four' is not a whole number."),
        (
            "/scenario/region/SE-K",
            {"cannot_present": "2027-03-01..2027-02-12"},
            "region-SE-K-cannot_present",
            "ends (2027-02-12) before it starts (2027-03-01)",
        ),
        ("/scenario/region/SE-K", {"away": "someday"}, "region-SE-K-away", "regions[SE-K].away[0]"),
        ("/scenario/theme/precisionshalsa", {"months": "2, 13"}, "theme-precisionshalsa-months", "to 12"),
        ("/scenario/theme/precisionshalsa", {"months": "feb"}, "theme-precisionshalsa-months", "'feb'"),
    ],
)
def test_a_bad_edit_is_one_line_next_to_its_field_and_saves_nothing(
    tmp_path: Path, url: str, form: dict[str, str], field: str, message: str
) -> None:
    ws = open_workspace(tmp_path / "ws")
    c = client(ws)
    csrf = sign_in(c)
    before = (ws.root / "scenario.yaml").read_bytes()
    r = c.post(url, data={"csrf": csrf, **form})
    assert r.status_code == 400
    shown = re.search(rf'id="error-{re.escape(field)}">([^<]*)</span>', r.text)
    assert shown, r.text[:2000]
    assert message.replace("'", "&#39;") in shown.group(1) and "\n" not in shown.group(1)
    assert "Nothing was saved." in r.text
    assert (ws.root / "scenario.yaml").read_bytes() == before and edits.history(ws) == []


def test_edits_keep_the_files_style_and_comments(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "ws")
    c = client(ws)
    csrf = sign_in(c)
    before = (ws.root / "scenario.yaml").read_text(encoding="utf-8")
    away = "Almedalsveckan: 2027-06-28..2027-07-02\n2027-W44"
    c.post("/scenario/region/SE-I", data={"csrf": csrf, "away": away})
    c.post("/scenario/theme/precisionshalsa", data={"csrf": csrf, "months": "2, 4"})
    c.post("/scenario/limits", data={"csrf": csrf, "daily_max": "2"})
    c.post("/scenario/region/SE-K", data={"csrf": csrf, "cannot_present": "Mässa: 2027-03-01..2027-03-12"})
    after = (ws.root / "scenario.yaml").read_text(encoding="utf-8")
    assert _comments(after) == _comments(before)
    assert "      - {name: Almedalsveckan, from: 2027-06-28, to: 2027-07-02}\n      - 2027-W44\n\n" in after
    assert "preferred_months: [2, 4]" in after and "  daily_max: 2\n" in after
    sc = ws.scenario()[0]
    assert sc.region("SE-K").cannot_present[0].name == "Mässa" and sc.limits.daily_max == 2
    assert len(edits.history(ws)) == 4
    for _ in range(4):
        c.post("/scenario/undo", data={"csrf": csrf})
    assert (ws.root / "scenario.yaml").read_text(encoding="utf-8") == before


def _two_plans(ws: Workspace, pid: str) -> str:
    """A second plan with one session moved, made from ``pid`` and current."""
    sc, inst = ws.scenario()
    plan = ws.plan(pid)
    choices = lib.alternatives(inst, plan, SESSION)
    o = choices.options[0]
    moved = lib.move(sc, inst, plan, SESSION, o.date, o.slot, o.presenters)
    assert moved is not None and moved.verdict.ok
    info = ws.save_plan(moved.plan, origin="move", status="edited", parent=pid)
    ws.set_current(info.id)
    return info.id


def test_compare_two_plans_side_by_side(tmp_path: Path) -> None:
    ws, pid = workspace_with_plan(tmp_path / "ws")
    other = _two_plans(ws, pid)
    c = client(ws)
    sign_in(c)
    assert 'id="compare-form"' in c.get("/compare").text
    page = c.get(f"/compare?a={pid}&b={other}").text
    table = re.search(r'<table class="compare" id="compare-table">.*?</table>', page, re.S)
    assert table
    labels = re.findall(r'<th scope="row">([^<]*)</th>', table.group(0))
    assert "objective" in labels and "coverage (regions presenting)" in labels
    moved = re.search(r'<th scope="row">vs [^<]*: moved</th><td>–</td><td>(\d+)</td>', table.group(0))
    assert moved and int(moved.group(1)) >= 1
    assert page.count('class="arshjul-wheel"') == 2
    assert c.get(f"/compare?a={pid}&b=20270101T000000.000000Z-optimal").status_code == 404
    assert c.get(f"/compare?a={pid}&b=..%2fscenario").status_code == 404


def test_the_files_that_go_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, pid = workspace_with_plan(tmp_path / "ws")
    current = _two_plans(ws, pid)
    c = client(ws)
    sign_in(c)
    # -- the invitations: only what changed against the plan it was made from
    r = c.get("/out/invitations.zip")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(r.content))
    names = set(files.namelist())
    assert "calendar.ics" in names and any(n.startswith("regions/") for n in names)
    master = Calendar.from_ical(files.read("calendar.ics"))
    assert str(master["method"]) == "REQUEST"
    events = {str(e["uid"]): e for e in master.walk("VEVENT")}
    moved = next(e for uid, e in events.items() if uid.startswith(f"{SESSION}@"))
    assert int(moved["sequence"]) >= 1  # raised: Outlook updates the meeting in place
    r = c.get("/out/calendar.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert Calendar.from_ical(r.content)["method"] == "REQUEST"
    assert c.get("/out/cancel.ics").status_code == 404  # nothing cancelled: nothing to send
    # -- plan.xlsx and report.html
    r = c.get("/out/plan.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert len(book.sheetnames) >= 3
    r = c.get("/out/report.html")
    assert r.status_code == 200 and "<html" in r.text and ws.plan(current).scenario_name in r.text
    assert "attachment" in r.headers["content-disposition"]

    # -- report.pdf without Chromium: a clear message, not a 500
    def no_browser(*args: Any, **kw: Any) -> Any:
        raise lib.ChromiumMissing("report.pdf")

    monkeypatch.setattr(lib, "export_report", no_browser)
    r = c.get("/out/report.pdf")
    assert r.status_code == 503 and "needs headless Chromium" in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/out/../scenario.yaml",
        "/out/%2e%2e/scenario.yaml",
        "/out/regions/..%2f..%2fscenario.yaml",
        "/out/regions/SE-I.ics%00.json",
        "/out/scenario.yaml",
        "/out//etc/passwd",
        "/out/regions/",
        "/scenario/..%2fscenario.yaml",
    ],
)
def test_no_out_path_leaves_the_workspace(tmp_path: Path, path: str) -> None:
    ws, _ = workspace_with_plan(tmp_path / "ws")
    c = client(ws)
    sign_in(c)
    r = c.get(path)
    assert r.status_code in (400, 404, 405), (path, r.status_code)
    assert "limits:" not in r.text and "BEGIN:VCALENDAR" not in r.text


def test_why_runs_off_the_request_thread_shows_its_stage_and_stops(tmp_path: Path) -> None:
    """The bundled year with Gotland's cap at 0 takes about a minute to explain on a busy
    machine (10 s to find the rules, the rest to try ways out): stop it while it tries them."""
    ws = open_workspace(tmp_path / "ws")
    c = client(ws)
    csrf = sign_in(c)
    c.post("/scenario/region/SE-I", data={"csrf": csrf, "limit_window_max": "0"})
    r = c.post("/why", data={"csrf": csrf})
    assert r.status_code == 200 and 'id="stop-why"' in r.text  # the request is back at once
    assert c.post("/solve", data={"csrf": csrf}).status_code == 409  # one job at a time
    status = c.get("/job/status").json()
    assert status["kind"] == "why" and status["state"] == "running"
    stages = set()
    for _ in range(1200):  # the conflict search is bounded by deterministic time, not by this
        status = c.get("/job/status").json()
        stages.add(status["stage_text"])
        if status["stage"] == "ways_out" or status["state"] != "running":
            break
        time.sleep(0.1)
    assert status["state"] == "running" and status["stage"] == "ways_out", status
    assert "Finding the rules that collide…" in stages
    ways_out = r"Trying ways out: 0 of 2 colliding rules done, [0-9]+ edits decided…"
    assert re.search(ways_out, c.get("/why").text)
    r = c.post("/why/stop", data={"csrf": csrf})
    assert str(r.url).endswith("/why")
    polls = 0
    while c.get("/job/status").json()["state"] == "running" and polls < 100:
        polls += 1
        time.sleep(0.1)
    print(f"the why job ended {polls} polls (0.1 s apart) after stop")
    assert polls < 100, "the why job did not end after stop"
    job = jobs.current(ws)
    assert job is not None and job.state == "done" and job.conflict is not None, job and job.message
    assert job.conflict.stopped and job.conflict.status == "INFEASIBLE"
    assert job.conflict.tried == []  # nothing left undecided is reported as "not enough"
    page = c.get("/why").text
    assert 'id="why-stopped"' in page and "Stopped by the planner" in page
    assert 'data-rule="region_invitation_cap"' in page  # what it had found stays
    assert 'id="ask-why"' in page and 'id="stop-why"' not in page
