"""Comparing scenarios: the same measures for every plan, and what differs between plans."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from arshjul.commands.variants import compare as compare_command
from arshjul.compare import compare, measure, table, to_csv, to_json
from arshjul.scenario import from_data
from arshjul.variants import variant
from conftest import base


def tiny() -> dict[str, Any]:
    """Three themes, one dialog each; A and B want SE-E, C wants SE-M; SE-I wants nothing.
    The window cap is loose, and coverage is the only soft rule (weight 40)."""
    d = base()
    d["hosts"][0]["themes"] = [
        {"id": "a", "name": "A", "interested": ["SE-E"]},
        {"id": "b", "name": "B", "interested": ["SE-E"]},
        {"id": "c", "name": "C", "interested": ["SE-M"]},
    ]
    d["weights"]["coverage"] = 40
    return d


def test_compare_two_scenarios() -> None:
    loose = from_data(tiny(), "loose.yaml")
    # At most one presentation per region: SE-E can present on A or B, not both; the other
    # dialog has nobody (min_presenters 0 lets it run with the host only).
    strict = variant(
        loose,
        {
            "limits.max_presentations": 1,
            "hosts[vinnova].themes[a].min_presenters": 0,
            "hosts[vinnova].themes[b].min_presenters": 0,
        },
    )
    c = compare([("loose", loose), ("strict", strict)], time_limit=10, workers=1)
    a, b = (e.metrics for e in c.entries)
    assert a.status == b.status == "OPTIMAL"
    assert (a.objective, b.objective) == (0, 0)  # SE-E and SE-M both present: coverage 0
    assert (a.coverage, a.regions) == (2, 3)  # SE-I presents nowhere (it wants nothing)
    assert (a.presentations_min, a.presentations_max) == (0, 2)
    assert (b.presentations_min, b.presentations_max) == (0, 1)
    assert a.worst_window == 2 and a.at_cap == 0  # SE-E invited to A and B; cap 100
    assert sum(a.per_month.values()) == a.sessions == 3
    diff = c.diffs[1]
    assert diff is not None and len(diff.presenters) >= 1  # SE-E left one of its dialogs

    text = table(c)
    assert "coverage (regions presenting)" in text and "2/3" in text
    assert "presentations per region" in text and "0–2" in text and "0–1" in text
    data = json.loads(to_json(c))
    assert [d["name"] for d in data] == ["loose", "strict"]
    assert data[1]["against_first"]["presenters"]
    rows = list(csv.DictReader(io.StringIO(to_csv(c))))
    assert [r["name"] for r in rows] == ["loose", "strict"]
    assert rows[0]["coverage"] == "2" and "sessions_2027-09" in rows[0]


def test_measure_of_a_plan_without_sessions() -> None:
    sc = from_data(tiny(), "x.yaml")
    infeasible = variant(sc, {"limits.max_presentations": 0})  # min_presenters 1 everywhere
    c = compare([("x", sc), ("none", infeasible)], time_limit=10, workers=1)
    assert c.entries[1].metrics.status == "INFEASIBLE"
    assert c.diffs == [None, None]
    assert measure(c.entries[1].plan).coverage == 0
    line = next(row for row in table(c).splitlines() if row.startswith("coverage"))
    assert line.split()[-1] == "–"  # no plan: a dash, not a zero


def test_compare_command(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text(yaml.safe_dump(tiny()), encoding="utf-8")
    b = tmp_path / "b.yaml"
    b.write_text(
        yaml.safe_dump({"extends": "a.yaml", "id": "b", "limits": {"window_max": 2}}), encoding="utf-8"
    )
    runner = CliRunner()
    result = runner.invoke(
        compare_command, [str(a), str(b), "--time-limit", "10", "--workers", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["name"] for d in data] == ["a", "b"]
    assert data[1]["worst_window"] <= 2

    # a bad file is one line naming it, exit 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: a.yaml\nlimits: {window_max: -1}\n", encoding="utf-8")
    result = runner.invoke(compare_command, [str(a), str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: limits.window_max:" in result.stderr
