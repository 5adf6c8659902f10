"""Replanning mid-year: the frozen part stays byte for byte, the rest changes as little as
it must, and the plain-Python change costs agree with the solver's objective."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import arshjul
from arshjul.changes import ChangeWeights, score_changes, score_same_month, themes_kept_month
from arshjul.check import check
from arshjul.commands.variants import replan as replan_command
from arshjul.exporters.ics import session_uid, write_invitations
from arshjul.instance import build_instance
from arshjul.plan import Plan
from arshjul.replan import ReplanResult, freeze, replan
from arshjul.replan_report import conflict_lines, report_data, report_lines
from arshjul.scenario import Scenario, from_data
from conftest import base, merge
from plans import sample_plan

DTSTAMP = dt.datetime(2027, 9, 1, tzinfo=dt.UTC)
EMAILS = {"SE-E": "e@region.example.se", "SE-M": "m@region.example.se", "SE-I": "i@region.example.se"}


def data(themes: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    """The tiny base (no soft weights: only change costs count) with these themes."""
    d = base()
    d["hosts"][0]["themes"] = themes
    d["hosts"][0]["email"] = "dialog@vinnova.example.se"
    for r in d["regions"]:
        r["contact"] = EMAILS[r["code"]]
    return merge(d, **changes)


def one_each() -> list[dict[str, Any]]:
    """Five themes, each with exactly one interested region: a dialog cannot swap its
    presenter, so an unavailable presenter forces a move."""
    return [
        {"id": "a", "name": "A", "interested": ["SE-I"]},
        {"id": "b", "name": "B", "interested": ["SE-E"]},
        {"id": "c", "name": "C", "interested": ["SE-M"]},
        {"id": "d", "name": "D", "interested": ["SE-E"]},
        {"id": "e", "name": "E", "interested": ["SE-M"]},
    ]


def away(d: dict[str, Any], code: str, *days: dt.date) -> dict[str, Any]:
    out = merge(d)
    for r in out["regions"]:
        if r["code"] == code:
            r["unavailable"] = [day.isoformat() for day in days]
    return out


def checked(result: ReplanResult) -> Plan:
    """The checker, told the frozen part through the instance, finds nothing broken, and the
    recomputed objective (scenario terms + change terms) is the solver's."""
    plan = result.plan
    assert plan.found, plan.status
    report = check(result.instance, plan)
    assert report.violations == [], report.violations
    assert sum(plan.terms.values()) == plan.objective
    w = ChangeWeights()
    changes = score_changes(result.previous, plan)
    assert (
        report.objective + w.moved * changes["moved"] + w.presenters_changed * changes["presenters_changed"]
        == plan.objective
    )
    return plan


@pytest.fixture(scope="module")
def previous() -> tuple[Scenario, Plan]:
    sc = from_data(data(one_each()), "tiny.yaml")
    plan = arshjul.solve(sc, time_limit=10, workers=1)
    assert plan.status == "OPTIMAL"
    return sc, plan


def test_new_unavailability_moves_exactly_one_dialog(previous: tuple[Scenario, Plan]) -> None:
    # SE-I alone may present on A; it is now away on A's day.  Moving A costs 50; nothing
    # else needs to change, so the optimum is exactly one move: objective 50*1 + 10*0 = 50.
    _, prev = previous
    a = prev.session("vinnova.dialog.a.1")
    new = from_data(away(data(one_each()), "SE-I", a.date), "tiny.yaml")
    result = replan(new, prev, time_limit=10, workers=1)
    plan = checked(result)
    assert result.changes == {"moved": 1, "presenters_changed": 0}
    assert plan.objective == 50
    moved = [m.session_id for m in result.diff.moved]
    assert moved == ["vinnova.dialog.a.1"]
    notices = report_data(result)["regions"]
    assert any("moved from" in line for line in notices["SE-I"])


def vevents(path: Path) -> dict[str, bytes]:
    raw = path.read_bytes()
    out = {}
    for block in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", raw, flags=re.S):
        uid = re.search(rb"\r\nUID:(.*?)\r\n", block)
        assert uid is not None
        out[uid.group(1).decode()] = block
    return out


def test_frozen_and_pinned_sessions_stay_byte_identical(
    previous: tuple[Scenario, Plan], tmp_path: Path
) -> None:
    _, prev = previous
    by_date = sorted(prev.sessions, key=lambda s: s.start)
    until = by_date[1].date + dt.timedelta(days=1)  # the first two are frozen by date
    pinned = by_date[-1]  # and the last one by --pin
    frozen_ids = {s.id for s in prev.sessions if s.date < until} | {pinned.id}
    assert len(frozen_ids) == 3
    # lead time now closes the first session's day: frozen sessions stay anyway; a session
    # that is not frozen loses its presenter's day and must move (one move is enough)
    lead = (by_date[0].date - prev.period_start).days + 1
    free = next(s for s in by_date if s.id not in frozen_ids)
    d = data(one_each(), **{"limits.lead_time_days": lead})
    new = from_data(away(d, free.presenting_regions[0], free.date), "tiny.yaml")
    result = replan(new, prev, frozen_until=until, pins=[pinned.id], time_limit=10, workers=1)
    assert set(result.frozen) == frozen_ids
    assert not result.released and not result.missing
    plan = checked(result)
    assert result.changes["moved"] == 1 and plan.session(free.id).date != free.date
    unfrozen = {v.rule for v in check(build_instance(new), plan).violations}
    assert "lead_time" in unfrozen  # only the freeze exempts the early sessions
    before, after = prev.to_dict()["sessions"], plan.to_dict()["sessions"]
    for sid in frozen_ids:
        old = json.dumps(next(s for s in before if s["id"] == sid), sort_keys=True)
        assert json.dumps(next(s for s in after if s["id"] == sid), sort_keys=True) == old

    write_invitations(prev, None, tmp_path / "sent", dtstamp=DTSTAMP)
    write_invitations(plan, prev, tmp_path / "update", dtstamp=DTSTAMP)
    sent, update = vevents(tmp_path / "sent" / "calendar.ics"), vevents(tmp_path / "update" / "calendar.ics")
    for sid in frozen_ids:
        uid = session_uid(plan, plan.session(sid))
        assert b"\r\nSEQUENCE:0\r\n" in sent[uid]
        assert uid not in update  # unchanged: nothing to send (the update holds only changes)
    assert b"\r\nSEQUENCE:1\r\n" in update[session_uid(plan, plan.session(free.id))]
    changed = {s.id for s in plan.sessions if s.sequence > prev.session(s.id).sequence}
    assert set(update) == {session_uid(plan, plan.session(sid)) for sid in changed}


def test_frozen_presenter_away_is_infeasible_and_names_the_session(
    previous: tuple[Scenario, Plan],
) -> None:
    _, prev = previous
    a = prev.session("vinnova.dialog.a.1")
    new = from_data(away(data(one_each()), "SE-I", a.date), "tiny.yaml")
    result = replan(new, prev, frozen_until=a.date + dt.timedelta(days=1), time_limit=10, workers=1)
    assert result.plan.status == "INFEASIBLE"
    assert result.conflicts == ("vinnova.dialog.a.1",)
    assert ("presenter_available", "SE-I") in result.conflict_rules
    text = "\n".join(conflict_lines(result))
    assert "vinnova.dialog.a.1" in text and "presenter_available" in text


def test_new_blackout_releases_a_frozen_session(previous: tuple[Scenario, Plan]) -> None:
    _, prev = previous
    first = min(prev.sessions, key=lambda s: s.start)
    d = data(
        one_each(),
        **{"calendar.blackouts": [{"name": "Flytt", "from": str(first.date), "to": str(first.date)}]},
    )
    result = replan(
        from_data(d, "tiny.yaml"),
        prev,
        frozen_until=first.date + dt.timedelta(days=1),
        time_limit=10,
        workers=1,
    )
    assert [sid for sid, _ in result.released] == [first.id]
    assert "calendar_blackout" in result.released[0][1]
    plan = checked(result)
    assert plan.session(first.id).date > first.date  # not before the freeze date
    assert result.changes["moved"] == 1


def test_frozen_session_gone_from_the_scenario_is_reported(previous: tuple[Scenario, Plan]) -> None:
    _, prev = previous
    a = prev.session("vinnova.dialog.a.1")
    themes = [t for t in one_each() if t["id"] != "a"]
    result = replan(from_data(data(themes), "tiny.yaml"), prev, pins=[a.id], time_limit=10, workers=1)
    assert result.missing == (a.id,)
    checked(result)
    assert result.diff.removed == (a.id,)
    assert any("not in the new scenario" in line for line in report_lines(result))


def test_unknown_pin_is_bad_input(previous: tuple[Scenario, Plan]) -> None:
    sc, prev = previous
    with pytest.raises(arshjul.ScenarioError, match=r"--pin: no session 'nope'"):
        freeze(build_instance(sc), prev, pins=["nope"])


def test_score_changes_by_hand() -> None:
    old = sample_plan()
    dialog = next(s for s in old.sessions if s.kind == "dialog" and len(s.presentations) >= 2)
    other = next(s for s in old.sessions if s.id != dialog.id)
    day = dt.timedelta(days=1)
    sessions = []
    for s in old.sessions:
        if s.id == dialog.id:  # one presenter dropped: 1 change
            s = dataclasses.replace(s, presentations=s.presentations[1:])
        if s.id == other.id:  # one session a day later: 1 move
            s = dataclasses.replace(s, date=s.date + day, start=s.start + day, end=s.end + day)
        sessions.append(s)
    new = dataclasses.replace(old, sessions=sessions)
    assert score_changes(old, new) == {"moved": 1, "presenters_changed": 1}
    assert score_changes(old, old) == {"moved": 0, "presenters_changed": 0}


def test_same_month_pull_by_hand() -> None:
    # Last year theme A was held in October (the other themes are new).  The tiny period has
    # one October day (Fri 1 Oct 2027); with every other weight 0 the pull puts A there:
    # same_month 0, objective 0.  Anywhere in September it would cost 15.
    sc = from_data(data(one_each()), "tiny.yaml")
    last = arshjul.solve(sc, time_limit=10, workers=1)
    a = last.session("vinnova.dialog.a.1")
    oct1 = dt.date(2027, 10, 1)
    shift = dt.datetime.combine(oct1, dt.time()) - dt.datetime.combine(a.date, dt.time())
    moved_a = dataclasses.replace(a, date=oct1, start=a.start + shift, end=a.end + shift)
    last_year = dataclasses.replace(last, sessions=[moved_a])  # only A has a month to keep
    plan = arshjul.solve(sc, last_year=last_year, time_limit=10, workers=1)
    assert plan.session("vinnova.dialog.a.1").date == oct1
    assert plan.terms["same_month"] == 0 == score_same_month(last_year, plan)
    assert plan.objective == sum(plan.terms.values()) == 0
    assert themes_kept_month(last_year, plan) == (1, 1)
    assert check(build_instance(sc), plan).violations == []


def test_replan_command_writes_plan_report_and_invitations(
    previous: tuple[Scenario, Plan], tmp_path: Path
) -> None:
    _, prev = previous
    a = prev.session("vinnova.dialog.a.1")
    scenario_file = tmp_path / "new.yaml"
    scenario_file.write_text(yaml.safe_dump(away(data(one_each()), "SE-I", a.date)), encoding="utf-8")
    prev_file = tmp_path / "plan.json"
    prev_file.write_text(prev.to_json(), encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    args = [
        str(scenario_file),
        "--previous",
        str(prev_file),
        "--frozen-until",
        "2027-09-06",
        "-o",
        str(out),
        "--invitations",
        "--time-limit",
        "10",
        "--workers",
        "1",
    ]
    result = runner.invoke(replan_command, args)
    assert result.exit_code == 0, result.output
    assert "1 moved" in result.output
    plan = Plan.from_json((out / "plan.json").read_text(encoding="utf-8"))
    assert plan.session(a.id).sequence == 1  # moved: SEQUENCE raised for Outlook
    assert (out / "changes.txt").is_file() and (out / "invitations" / "calendar.ics").is_file()
    # the invitations hold only what changed: the moved session (and any other whose entry changed)
    raised = {s.id for s in plan.sessions if s.sequence > prev.session(s.id).sequence}
    assert a.id in raised and len(raised) < len(plan.sessions)
    sent = vevents(out / "invitations" / "calendar.ics")
    assert set(sent) == {session_uid(plan, plan.session(sid)) for sid in raised}
    assert json.loads((out / "changes.json").read_text(encoding="utf-8"))["changes"]["moved"] == 1

    # the same answer when the search starts from nothing, stopping once it stops improving
    cold = tmp_path / "cold"
    again = runner.invoke(
        replan_command, [*args[:5], "-o", str(cold), *args[7:], "--no-warm-start", "--stall", "5"]
    )
    assert again.exit_code == 0, again.output
    assert Plan.from_json((cold / "plan.json").read_text(encoding="utf-8")).objective == plan.objective

    # freezing A on its old day: no plan, exit 1, and the message names the session
    args[4] = (a.date + dt.timedelta(days=1)).isoformat()
    result = runner.invoke(replan_command, args)
    assert result.exit_code == 1
    assert a.id in result.output
