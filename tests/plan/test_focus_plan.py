"""A region's focus area (#17) from the scenario into the plan: the instance, the running
order, plan.json (optional: old files load), a calendar edited in Outlook read back, and the
checker when plan.json names a focus the scenario does not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from icalendar import Calendar, vText

from arshjul.check import check
from arshjul.cli import main
from arshjul.edited import plan_from_ics, running_orders
from arshjul.exporters.ics import master_calendar
from arshjul.instance import Instance, build_instance
from arshjul.plan import Plan
from arshjul.scenario import Scenario
from conftest import scenario, solve_checked

STAMP = dt.datetime(2027, 8, 1, tzinfo=dt.UTC)
HALSA = "vinnova.dialog.halsa.1"
FOCUS = "Life science — precisionshälsa för åäö ÅÄÖ"
"""With the mark the running order puts before it (" — ") inside it, and å ä ö."""


def focus_scenario(language: str = "en") -> Scenario:
    """Östergötland presents its focus area, Skåne none; both fit in the one dialog."""
    return scenario(
        **{
            "language": language,
            "weights.match": 10,
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [
                        {
                            "id": "halsa",
                            "name": "Hälsa",
                            "max_presenters": 2,
                            "interested": [{"region": "SE-E", "focus": FOCUS}, "SE-M"],
                        }
                    ],
                }
            ],
        }
    )


@pytest.fixture(scope="module")
def solved() -> tuple[Scenario, Instance, Plan]:
    sc = focus_scenario()
    plan = solve_checked(sc, time_limit=10)
    assert plan.found
    return sc, build_instance(sc), plan


def test_the_instance_carries_the_focus_per_theme_and_region(solved: tuple[Scenario, Instance, Plan]) -> None:
    _, inst, _ = solved
    theme = inst.themes["halsa"]
    assert theme.focus == {"SE-E": FOCUS}
    assert theme.focus_of(("SE-E",)) == FOCUS
    assert theme.focus_of(("SE-M",)) is None
    # a group speaks for its members' areas, each once, in order
    two = dataclasses.replace(theme, focus={"SE-E": "A", "SE-M": "B", "SE-I": "A"})
    assert two.focus_of(("SE-E", "SE-M", "SE-I")) == "A; B"


def test_each_presentation_carries_its_focus(solved: tuple[Scenario, Instance, Plan]) -> None:
    _, _, plan = solved
    focus = {p.presenter: p.focus for p in plan.session(HALSA).presentations}
    assert focus == {"SE-E": FOCUS, "SE-M": None}


def test_plan_json_has_the_focus_and_reads_it_back(solved: tuple[Scenario, Instance, Plan]) -> None:
    _, _, plan = solved
    text = plan.to_json()
    data = json.loads(text)
    slots = {p["presenter"]: p for s in data["sessions"] for p in s["presentations"]}
    assert slots["SE-E"]["focus"] == FOCUS
    assert "focus" not in slots["SE-M"], "no focus: no key, as before"
    assert FOCUS in text, "å ä ö written as they are (ensure_ascii off)"
    back = Plan.from_json(text)
    assert back == plan
    assert back.session(HALSA).presentations[0].focus == FOCUS


def test_a_plan_json_from_before_the_focus_still_loads(solved: tuple[Scenario, Instance, Plan]) -> None:
    _, _, plan = solved
    data: dict[str, Any] = json.loads(plan.to_json())
    for s in data["sessions"]:
        for p in s["presentations"]:
            p.pop("focus", None)
    old = Plan.from_dict(data)
    assert all(p.focus is None for s in old.sessions for p in s.presentations)
    # the same format number: the field is optional, not a new format
    assert json.loads(old.to_json())["format"] == data["format"]


def test_a_plan_without_focus_writes_the_bytes_it_always_did() -> None:
    sc = scenario(
        **{
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [{"id": "halsa", "name": "Hälsa", "interested": ["SE-E"]}],
                }
            ]
        }
    )
    plan = solve_checked(sc, time_limit=10)
    assert plan.session(HALSA).presentations
    assert '"focus"' not in plan.to_json()


def test_an_edited_calendar_reads_back_with_a_focus_in_the_running_order(
    solved: tuple[Scenario, Instance, Plan],
) -> None:
    _, inst, plan = solved
    data = master_calendar(plan, dtstamp=STAMP)
    orders = running_orders(data, inst, "master.ics")
    assert orders[HALSA] == tuple(p.presenter for p in plan.session(HALSA).presentations)
    back = plan_from_ics(data, inst, source="master.ics")
    assert back.sessions == plan.sessions, "the focus comes from the scenario again"
    assert check(inst, back).ok


def test_a_focus_the_running_order_only_half_shows_still_reads_back(
    solved: tuple[Scenario, Instance, Plan],
) -> None:
    """Outlook users edit text: a focus shortened, or without the space after the dash."""
    _, inst, plan = solved
    cal = Calendar.from_ical(master_calendar(plan, dtstamp=STAMP))
    event = next(e for e in cal.walk("VEVENT") if HALSA in str(e["uid"]))
    text = str(event["description"])
    assert f"Region Östergötland — {FOCUS}" in text
    event["description"] = vText(text.replace(f"Region Östergötland — {FOCUS}", "Region Östergötland —Life"))
    orders = running_orders(cal.to_ical(), inst, "master.ics")
    assert orders[HALSA] == tuple(p.presenter for p in plan.session(HALSA).presentations)


def _with_focus(plan: Plan, focus: str | None) -> Plan:
    out = Plan.from_dict(plan.to_dict())
    k = next(k for k, s in enumerate(out.sessions) if s.id == HALSA)
    s = out.sessions[k]
    slots = tuple(
        dataclasses.replace(p, focus=focus) if p.presenter == "SE-E" else p for p in s.presentations
    )
    out.sessions[k] = dataclasses.replace(s, presentations=slots)
    return out


@pytest.mark.parametrize("focus", ["Rymdteknik", None])
def test_a_plan_json_whose_focus_disagrees_with_the_scenario_breaks_the_running_order(
    solved: tuple[Scenario, Instance, Plan], focus: str | None
) -> None:
    """Calendars show every invitee the plan's focus: a hand-edited (or stale) plan.json
    that says another one than the scenario is the checker's business, named as such."""
    _, inst, plan = solved
    report = check(inst, _with_focus(plan, focus))
    assert [(v.rule, v.subject) for v in report.violations] == [("running_order", HALSA)]
    message = report.violations[0].message
    assert "Region Östergötland" in message and FOCUS in message
    assert f"'{focus or ''}'" in message
    assert check(inst, _with_focus(plan, FOCUS)).ok


def _plan_file(tmp_path: Path, plan: Plan, focus: object) -> Path:
    data = json.loads(plan.to_json())
    dialog = next(s for s in data["sessions"] if s["id"] == HALSA)
    next(p for p in dialog["presentations"] if p["presenter"] == "SE-E")["focus"] = focus
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _scenario_file(tmp_path: Path, sc: Scenario) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(
        yaml.safe_dump(sc.model_dump(mode="json", exclude_none=True), allow_unicode=True), "utf-8"
    )
    return path


def test_cli_check_names_a_hand_edited_focus_and_report_draws_it(
    tmp_path: Path, solved: tuple[Scenario, Instance, Plan]
) -> None:
    sc, _, plan = solved
    scenario_file = _scenario_file(tmp_path, sc)
    assert (
        CliRunner()
        .invoke(main, ["check", str(scenario_file), str(_plan_file(tmp_path, plan, FOCUS))])
        .exit_code
        == 0
    )
    edited = _plan_file(tmp_path, plan, "Rymd\nteknik")
    checked = CliRunner().invoke(main, ["check", str(scenario_file), str(edited)])
    assert checked.exit_code == 1 and "running_order" in checked.stdout, checked.output
    out = tmp_path / "out"
    drawn = CliRunner().invoke(main, ["report", str(edited), "-o", str(out)])
    assert drawn.exit_code == 0, drawn.output
    assert "Region Östergötland — Rymd teknik" in (out / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("focus", [42, ["Rymd"], {"a": 1}])
def test_a_focus_that_is_no_text_is_one_line_and_exit_2(
    tmp_path: Path, solved: tuple[Scenario, Instance, Plan], focus: object
) -> None:
    sc, _, plan = solved
    path = _plan_file(tmp_path, plan, focus)
    result = CliRunner().invoke(main, ["check", str(_scenario_file(tmp_path, sc)), str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {path}"), result.stderr
    assert "Traceback" not in result.output
