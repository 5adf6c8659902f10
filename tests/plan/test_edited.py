"""Plans edited by hand: plan JSON, and master calendars moved around in a calendar program
and exported back (.ics), checked against the scenario."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from arshjul.check import check
from arshjul.cli import main
from arshjul.edited import plan_from_ics, read_plan_file, running_orders
from arshjul.errors import PlanFileError, ScenarioError
from arshjul.exporters.ics import master_calendar
from arshjul.instance import Instance, build_instance
from arshjul.plan import Plan
from arshjul.scenario import Scenario
from conftest import scenario, solve_checked

STAMP = dt.datetime(2027, 8, 1, tzinfo=dt.UTC)
HALSA = "vinnova.dialog.halsa.1"


@pytest.fixture(scope="module")
def solved() -> tuple[Scenario, Instance, Plan]:
    """A dialog with a group presenting jointly and a region alone, a hybrid, a network
    meeting carrying the follow-up."""
    sc = scenario(
        **{
            "weights.match": 10,
            "groups": [{"id": "duo", "name": "Duo", "members": ["SE-E", "SE-M"]}],
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [{"id": "halsa", "name": "Hälsa", "max_presenters": 2}],
                }
            ],
            "hybrids": [{"id": "h1", "host": "vinnova", "topic": "Ekosystem"}],
            "network": {"host": "vinnova", "dates": ["2027-09-29"], "followup_weeks": 1},
        }
    )
    plan = solve_checked(sc)
    assert plan.found
    return sc, build_instance(sc), plan


def _moved(plan: Plan, sid: str, day: dt.date) -> Plan:
    """The plan with one session dragged to another day, same time of day (as in Outlook)."""
    out = Plan.from_dict(plan.to_dict())
    for k, s in enumerate(out.sessions):
        if s.id == sid:
            shift = day - s.date
            out.sessions[k] = dataclasses.replace(
                s,
                date=day,
                start=s.start + shift,
                end=s.end + shift,
                host_start=None if s.host_start is None else s.host_start + shift,
                host_end=None if s.host_end is None else s.host_end + shift,
                presentations=tuple(
                    dataclasses.replace(p, start=p.start + shift, end=p.end + shift) for p in s.presentations
                ),
            )
    return out


def test_json_plan_reads_back(tmp_path: Path, solved: tuple[Scenario, Instance, Plan]) -> None:
    _, inst, plan = solved
    path = tmp_path / "plan.json"
    path.write_text(plan.to_json())
    assert read_plan_file(path, inst) == plan


def test_calendar_round_trip_without_and_with_base(
    tmp_path: Path, solved: tuple[Scenario, Instance, Plan]
) -> None:
    _, inst, plan = solved
    path = tmp_path / "master.ics"
    path.write_bytes(master_calendar(plan, dtstamp=STAMP))
    # the group and Gotland fill both places and meet all three interests (match 0)
    assert [p.presenter for p in plan.session(HALSA).presentations] == ["duo", "SE-I"]
    from_running_order = read_plan_file(path, inst)
    assert from_running_order.sessions == plan.sessions
    with_base = read_plan_file(path, inst, base=plan)
    assert with_base.sessions == plan.sessions
    report = check(inst, from_running_order)
    assert report.ok and report.objective == plan.objective


def test_running_orders_read_groups_by_their_full_label(solved: tuple[Scenario, Instance, Plan]) -> None:
    _, inst, plan = solved
    orders = running_orders(master_calendar(plan, dtstamp=STAMP), inst, "x.ics")
    dialog = plan.session(HALSA)
    assert orders[HALSA] == tuple(p.presenter for p in dialog.presentations)


def test_a_session_dragged_to_a_saturday_breaks_the_weekday_rule(
    solved: tuple[Scenario, Instance, Plan],
) -> None:
    _, inst, plan = solved
    edited = plan_from_ics(
        master_calendar(_moved(plan, "vinnova.hybrid.h1", dt.date(2027, 9, 18)), dtstamp=STAMP),
        inst,
        source="e.ics",
    )
    report = check(inst, edited)
    broken = {(v.rule, v.subject) for v in report.violations}
    assert ("calendar_weekday", "sat") in broken
    assert all(v.sessions == ("vinnova.hybrid.h1",) for v in report.violations)


def test_dragged_dialog_keeps_its_presenters_and_recomputes_the_follow_up(
    solved: tuple[Scenario, Instance, Plan],
) -> None:
    _, inst, plan = solved
    # the network meeting is on Wed 29 Sep with one week of follow-up: a dialog on Mon 27 Sep
    # has no meeting late enough (dialog_followup closes that slot)
    edited_plan = _moved(plan, HALSA, dt.date(2027, 9, 27))
    edited = plan_from_ics(master_calendar(edited_plan, dtstamp=STAMP), inst, source="e.ics", base=plan)
    dialog = edited.session(HALSA)
    assert dialog.presenting_regions == plan.session(HALSA).presenting_regions
    assert dialog.followup_on is None
    assert ("dialog_followup", "network") in {(v.rule, v.subject) for v in check(inst, edited).violations}


def test_a_deleted_session_is_reported_missing(solved: tuple[Scenario, Instance, Plan]) -> None:
    _, inst, plan = solved
    fewer = Plan.from_dict(plan.to_dict())
    fewer.sessions = [s for s in fewer.sessions if s.id != "vinnova.hybrid.h1"]
    edited = plan_from_ics(master_calendar(fewer, dtstamp=STAMP), inst, source="e.ics")
    missing = [v for v in check(inst, edited).violations if v.rule == "session_once"]
    assert [v.subject for v in missing] == ["vinnova.hybrid.h1"]


def test_unreadable_calendars_are_one_line(tmp_path: Path, solved: tuple[Scenario, Instance, Plan]) -> None:
    _, inst, plan = solved
    data = master_calendar(plan, dtstamp=STAMP)
    # a presenter name the scenario does not know (as if typed into the description)
    other = Plan.from_dict(plan.to_dict())
    other.sessions = [
        dataclasses.replace(
            s,
            presentations=tuple(
                dataclasses.replace(p, name="Region Atlantis", regions=()) for p in s.presentations
            ),
        )
        for s in other.sessions
    ]
    renamed = master_calendar(other, dtstamp=STAMP)
    with pytest.raises(PlanFileError, match=r"running order names 'Region Atlantis.*--plan"):
        plan_from_ics(renamed, inst, source="e.ics")
    # the same calendar with the base plan is fine: presenters come from the base
    assert plan_from_ics(renamed, inst, source="e.ics", base=plan).session(HALSA).presentations
    # no running order at all
    stripped = data.replace(b"Talarordning:", b"Talare:")
    with pytest.raises(PlanFileError, match="has no running order"):
        plan_from_ics(stripped, inst, source="e.ics")
    # another scenario's calendar
    foreign = data.replace(b"@tiny.arshjul", b"@other.arshjul")
    with pytest.raises(PlanFileError, match="no session of scenario 'tiny'"):
        plan_from_ics(foreign, inst, source="e.ics")
    with pytest.raises(ScenarioError, match="no such file"):
        read_plan_file(tmp_path / "none.ics", inst)


# -- arshjul check ---------------------------------------------------------------------------


def _files(tmp_path: Path, sc: Scenario, plan: Plan, edited: Plan) -> tuple[str, str, str]:
    import yaml

    sc_path = tmp_path / "s.yaml"
    sc_path.write_text(yaml.safe_dump(json.loads(sc.model_dump_json(by_alias=True, exclude_none=True))))
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(plan.to_json())
    ics = tmp_path / "edited.ics"
    ics.write_bytes(master_calendar(edited, dtstamp=STAMP))
    return str(sc_path), str(plan_path), str(ics)


def test_cli_check_reads_an_edited_calendar(tmp_path: Path, solved: tuple[Scenario, Instance, Plan]) -> None:
    sc, _, plan = solved
    sc_path, plan_path, ics = _files(
        tmp_path, sc, plan, _moved(plan, "vinnova.hybrid.h1", dt.date(2027, 9, 18))
    )
    runner = CliRunner()
    result = runner.invoke(main, ["check", sc_path, ics, "--plan", plan_path])
    assert result.exit_code == 1, result.output
    assert "BROKEN calendar_weekday [sat]" in result.output
    assert "(sessions: vinnova.hybrid.h1)" in result.output
    assert f"proposed plan: penalty {plan.objective}" in result.output
    data = json.loads(runner.invoke(main, ["check", sc_path, ics, "--json"]).output)
    assert data["ok"] is False and data["proposed_objective"] is None
    assert {"rule": "calendar_weekday", "subject": "sat"}.items() <= data["violations"][0].items()


def test_cli_check_unchanged_calendar_passes(tmp_path: Path, solved: tuple[Scenario, Instance, Plan]) -> None:
    sc, _, plan = solved
    sc_path, plan_path, ics = _files(tmp_path, sc, plan, plan)
    result = CliRunner().invoke(main, ["check", sc_path, ics, "--plan", plan_path])
    assert result.exit_code == 0, result.output
    assert "every hard rule holds" in result.output and "(edited +0)" in result.output


def test_cli_check_bad_calendar_is_one_line(tmp_path: Path, solved: tuple[Scenario, Instance, Plan]) -> None:
    sc, _, plan = solved
    sc_path, _, _ = _files(tmp_path, sc, plan, plan)
    bad = tmp_path / "bad.ics"
    bad.write_text("hello")
    result = CliRunner().invoke(main, ["check", sc_path, str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {bad}: (file): ") and result.output.count("\n") == 1
