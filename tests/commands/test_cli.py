"""The command line as a planner uses it: exit codes, one-line errors, files written."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

import arshjul
from arshjul.cli import every_command, main
from arshjul.plan import Plan
from conftest import base, merge


def write(tmp_path: Path, data: dict[str, object], name: str = "year.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def small() -> dict[str, object]:
    """Two themes, a hybrid and a network meeting in four September weeks."""
    return merge(
        base(),
        **{
            "weights.match": 10,
            "weights.coverage": 40,
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "email": "snabbdialoger@vinnova.example",
                    "themes": [
                        {"id": "halsa", "name": "Hållbar precisionshälsa"},
                        {"id": "industri", "name": "Hållbar industri", "interested": ["SE-E", "SE-I"]},
                    ],
                }
            ],
            "hybrids": [{"id": "ekosystem", "host": "vinnova", "topic": "Ekosystem"}],
            "network": {"host": "vinnova", "dates": ["2027-09-28"], "followup_weeks": 1},
        },
    )


def test_plan_writes_plan_calendars_and_summary(tmp_path: Path) -> None:
    sc = write(tmp_path, small())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["plan", str(sc), "-o", str(out), "--time-limit", "10", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "Status: OPTIMAL" in result.output
    assert "Region Östergötland" in result.output  # the load table
    plan = Plan.from_json((out / "plan.json").read_text(encoding="utf-8"))
    assert plan.status == "OPTIMAL" and len(plan.sessions) == 4
    assert (out / "calendar.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    for code in ("SE-E", "SE-M", "SE-I"):
        assert (out / "regions" / f"{code}.ics").is_file()


def test_check_passes_on_a_solved_plan_and_names_the_rule_a_hand_edit_breaks(tmp_path: Path) -> None:
    sc = write(tmp_path, small())
    out = tmp_path / "out"
    assert (
        CliRunner().invoke(main, ["plan", str(sc), "-o", str(out), "--workers", "1", "--quiet"]).exit_code
        == 0
    )
    ok = CliRunner().invoke(main, ["check", str(sc), str(out / "plan.json")])
    assert ok.exit_code == 0, ok.output
    assert "every hard rule holds" in ok.output

    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    hybrid = next(s for s in data["sessions"] if s["kind"] == "hybrid")
    # move the hybrid to Saturday 11 September 2027, 09:00–11:00
    hybrid["date"] = "2027-09-11"
    hybrid["start"] = "2027-09-11T09:00:00+02:00"
    hybrid["end"] = "2027-09-11T11:00:00+02:00"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    bad = CliRunner().invoke(main, ["check", str(sc), str(edited)])
    assert bad.exit_code == 1
    assert "calendar_weekday" in bad.output


def test_infeasible_is_exit_1_with_a_reason_and_nothing_written(tmp_path: Path) -> None:
    data = merge(small(), **{"limits.window_days": 28, "limits.window_max": 1})
    sc = write(tmp_path, data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["plan", str(sc), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 1
    assert "cannot all hold" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path: Path) -> None:
    data = small()
    data["limits"]["window_max"] = -1  # type: ignore[index]
    sc = write(tmp_path, data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["plan", str(sc), "-o", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {sc}: limits.window_max: ")
    assert not out.exists()


def test_unknown_region_and_missing_file(tmp_path: Path) -> None:
    data = small()
    data["hosts"][0]["themes"][1]["interested"] = ["SE-E", "SE-QQ"]  # type: ignore[index]
    sc = write(tmp_path, data)
    result = CliRunner().invoke(main, ["validate", str(sc)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {sc}: hosts[vinnova].themes[industri].interested[SE-QQ]: unknown region 'SE-QQ'"
    )
    missing = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
    assert missing.stderr.strip() == f"error: {tmp_path / 'nope.yaml'}: no such file"


def test_broken_plan_file_is_exit_2(tmp_path: Path) -> None:
    sc = write(tmp_path, small())
    plan = tmp_path / "plan.json"
    plan.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(sc), str(plan)])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"error: {plan}: line 1: not valid JSON")


def test_validate_schema_and_calendar(tmp_path: Path) -> None:
    sc = write(tmp_path, small())
    ok = CliRunner().invoke(main, ["validate", str(sc)])
    assert ok.exit_code == 0 and "valid" in ok.output
    schema = CliRunner().invoke(main, ["schema"])
    assert schema.exit_code == 0
    assert json.loads(schema.output)["title"] == "arshjul scenario"
    cal = CliRunner().invoke(main, ["calendar", str(sc), "--closed-only"])
    assert cal.exit_code == 0
    assert "Sat 2027-09-11  closed: Saturdays are not meeting days" in cal.output


def test_help_has_an_example_on_every_command() -> None:
    for name, _command in every_command().items():
        text = CliRunner().invoke(main, [name, "--help"]).output
        assert "Example" in text, name


def test_last_year_holds_each_theme_in_its_month(tmp_path: Path) -> None:
    sc = write(tmp_path, small())
    first, second = tmp_path / "first", tmp_path / "second"
    assert CliRunner().invoke(main, ["plan", str(sc), "-o", str(first), "--quiet"]).exit_code == 0
    result = CliRunner().invoke(
        main, ["plan", str(sc), "-o", str(second), "--quiet", "--last-year", str(first / "plan.json")]
    )
    assert result.exit_code == 0, result.output
    plan = Plan.from_json((second / "plan.json").read_text(encoding="utf-8"))
    assert plan.terms.get("same_month") == 0  # every theme kept last year's month


def test_every_solving_command_takes_the_one_option_block() -> None:
    """plan, compare, sweep and replan list the same solver options, in the same order; the
    command itself receives them as one SolveOptions."""
    wanted = ["time_limit", "seed", "workers", "gap", "stall", "preset", "warm_start"]
    for name in ("plan", "compare", "sweep", "replan"):
        command = every_command()[name]
        names = [p.name for p in command.params if p.name in (*wanted, "log")]
        assert names == wanted + (["log"] if name == "plan" else []), name
    sweep = {p.name: p.default for p in every_command()["sweep"].params}
    assert sweep["time_limit"] == 10.0  # a sweep gives each variant less time by default


def test_closed_only_lists_only_what_is_closed_and_counts_read_as_english() -> None:
    # the bundled year: its weekdays are open (some with an afternoon closed before a
    # holiday), its weekends and holidays closed; --closed-only names no open slot at all
    sweden = str(arshjul.bundled("sweden-2027"))
    cal = CliRunner().invoke(main, ["calendar", sweden, "--closed-only"])
    assert cal.exit_code == 0
    lines = cal.output.strip().splitlines()
    assert all("open:" not in line for line in lines[:-1]), [line for line in lines if "open:" in line][:3]
    assert any(line.startswith("Wed 2027-01-06  closed:") for line in lines)  # trettondedag jul
    assert any("closed: afternoon" in line for line in lines)  # a half day before a holiday
    full = CliRunner().invoke(main, ["calendar", sweden])
    assert "open: morning, afternoon" in full.output
    valid = CliRunner().invoke(main, ["validate", sweden])
    assert valid.exit_code == 0
    assert "1 host," in valid.output and "1 hosts" not in valid.output


def test_the_plan_table_names_a_group_by_its_name(tmp_path: Path) -> None:
    # one presenter slot, both members interested: the group "Duo" takes it (as in
    # test_rules.test_joint_group_presents_in_one_slot); the table says "Duo", not "duo"
    data = merge(
        base(),
        **{
            "weights.match": 10,
            "groups": [{"id": "duo", "name": "Duo", "members": ["SE-E", "SE-M"]}],
            "hosts": [
                {
                    "id": "vinnova",
                    "name": "Vinnova",
                    "themes": [
                        {"id": "halsa", "name": "Hälsa", "max_presenters": 1, "interested": ["SE-E", "SE-M"]}
                    ],
                }
            ],
        },
    )
    result = CliRunner().invoke(main, ["plan", str(write(tmp_path, data)), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "Hälsa" in line)
    assert row.rstrip().endswith("Duo")
