"""Sweeps: a grid or a list of variants, solved in parallel locally or on a Dask cluster,
with the same rows either way, and rows that survive bad variants and interruptions."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from arshjul import sweep as sweep_module
from arshjul.commands.variants import sweep as sweep_command
from arshjul.errors import ScenarioError
from arshjul.sweep import (
    COLUMNS,
    Variant,
    comparable,
    grid,
    parse_vary,
    read_variants,
    sweep,
)
from conftest import base


def tiny() -> dict[str, Any]:
    """Three themes and three regions over four weeks: solved to optimality in well under a
    second, so every row is deterministic."""
    d = base()
    d["hosts"][0]["themes"] = [
        {"id": "a", "name": "A", "interested": ["SE-E", "SE-M"]},
        {"id": "b", "name": "B", "interested": ["SE-E", "SE-I"]},
        {"id": "c", "name": "C", "interested": ["SE-M", "SE-I"], "dialogs": 2},
    ]
    d["weights"].update(coverage=40, match=10, spread=5)
    return d


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_parse_vary_and_grid() -> None:
    assert parse_vary("limits.window_max=2,3,4") == ("limits.window_max", [2, 3, 4])
    assert parse_vary("calendar.holidays=true,false") == ("calendar.holidays", [True, False])
    path, values = parse_vary("regions[SE-I].unavailable=[2027-09-13, 2027-09-14],[]")
    assert path == "regions[SE-I].unavailable" and len(values) == 2 and values[1] == []
    variants = grid([parse_vary("limits.window_max=2,3"), parse_vary("weights.coverage=20,40")])
    assert [v.name for v in variants] == [
        "limits.window_max=2 weights.coverage=20",
        "limits.window_max=2 weights.coverage=40",
        "limits.window_max=3 weights.coverage=20",
        "limits.window_max=3 weights.coverage=40",
    ]
    with pytest.raises(ScenarioError, match="PATH=V1,V2"):
        parse_vary("limits.window_max")


def test_read_variants(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text("- {name: tight, set: {limits.window_max: 2}}\n- {name: loose}\n", encoding="utf-8")
    assert read_variants(path) == [Variant("tight", {"limits.window_max": 2}), Variant("loose", {})]
    path.write_text("- {name: x}\n- {name: x}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"v\.yaml: \[1\]\.name: variant 'x' is listed twice"):
        read_variants(path)


def test_bad_variant_is_a_row_and_the_others_finish(tmp_path: Path) -> None:
    variants = [
        Variant("ok", {"limits.window_max": 3}),
        Variant("negative cap", {"limits.window_max": -1}),  # bad input
        Variant("unknown field", {"limits.window_mx": 3}),  # bad input
        Variant("no room", {"limits.max_presentations": 0}),  # valid, but no plan
    ]
    seen: list[str] = []
    result = sweep(
        tiny(),
        variants,
        tmp_path,
        time_limit=5,
        jobs=2,
        progress=lambda row, done, total: seen.append(f"{done}/{total}"),
    )
    assert not result.interrupted
    assert [r["status"] for r in result.rows] == ["OPTIMAL", "BAD_INPUT", "BAD_INPUT", "INFEASIBLE"]
    assert "limits.window_max" in result.rows[1]["message"]
    assert "unknown field" in result.rows[2]["message"]
    assert seen == ["1/4", "2/4", "3/4", "4/4"]
    on_disk = rows_of(tmp_path / "results.csv")
    assert [r["variant"] for r in on_disk] == [v.name for v in variants]  # rewritten in order
    assert list(on_disk[0]) == list(COLUMNS)
    lines = (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["status"] for line in lines] == [r["status"] for r in result.rows]


def test_interrupted_sweep_keeps_finished_rows(tmp_path: Path) -> None:
    def stop_after_first(row: dict[str, Any], done: int, total: int) -> None:
        raise KeyboardInterrupt

    variants = [Variant(f"v{k}", {"limits.window_max": k}) for k in (2, 3, 4)]
    result = sweep(tiny(), variants, tmp_path, time_limit=5, jobs=1, progress=stop_after_first)
    assert result.interrupted
    assert len(result.rows) == 1
    assert len(rows_of(tmp_path / "results.csv")) == 1  # appended and flushed before the stop
    assert len((tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_local_and_dask_cluster_give_the_same_table(tmp_path: Path) -> None:
    distributed = pytest.importorskip(
        "distributed", reason="Dask distributed is not installed (pip install 'arshjul[cluster]')"
    )
    variants = grid([parse_vary("limits.window_max=3,4"), parse_vary("weights.coverage=0,40")])
    local = sweep(tiny(), variants, tmp_path / "local", time_limit=5, jobs=2)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        remote = sweep(
            tiny(), variants, tmp_path / "cluster", time_limit=5, cluster=cluster.scheduler_address
        )
    assert [r["status"] for r in local.rows] == ["OPTIMAL"] * 4
    assert comparable(local.rows) == comparable(remote.rows)
    assert comparable(rows_of(tmp_path / "local" / "results.csv")) == comparable(
        rows_of(tmp_path / "cluster" / "results.csv")
    )


def test_sweep_command(tmp_path: Path) -> None:
    scenario = tmp_path / "base.yaml"
    scenario.write_text(yaml.safe_dump(tiny()), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        sweep_command,
        [
            str(scenario),
            "--vary",
            "limits.window_max=3,4",
            "-o",
            str(out),
            "--jobs",
            "2",
            "--time-limit",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "[2/2]" in result.stderr
    assert [r["status"] for r in rows_of(out / "results.csv")] == ["OPTIMAL", "OPTIMAL"]


def test_a_first_plan_sweep_answers_whether_each_variant_has_a_plan(tmp_path: Path) -> None:
    # --preset first-plan: each variant stops at its first plan that keeps every rule, the
    # quick way to see which variants are possible at all; an impossible one still says so
    variants = grid([parse_vary("limits.window_max=0,3")])
    result = sweep(tiny(), variants, tmp_path, time_limit=5, jobs=1, preset="first-plan")
    statuses = {row["variant"]: row["status"] for row in result.rows}
    assert statuses == {"limits.window_max=0": "INFEASIBLE", "limits.window_max=3": "FEASIBLE"}


def _run(tmp_path: Path, *args: str) -> Any:
    scenario = tmp_path / "base.yaml"
    scenario.write_text(yaml.safe_dump(tiny()), encoding="utf-8")
    return CliRunner().invoke(sweep_command, [str(scenario), *args, "--jobs", "1", "--time-limit", "5"])


def test_a_sweep_of_only_bad_variants_is_bad_input(tmp_path: Path) -> None:
    result = _run(tmp_path, "--vary", "limits.window_max=-1,-2", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1].startswith("error: every variant is bad input; the first:")


def test_a_huge_sweep_needs_yes_and_nothing_is_written(tmp_path: Path) -> None:
    values = ",".join(str(v) for v in range(1, 34))  # 33 × 33 = 1,089 variants
    out = tmp_path / "out"
    result = _run(
        tmp_path,
        "--vary",
        f"limits.window_max={values}",
        "--vary",
        f"limits.daily_max={values}",
        "-o",
        str(out),
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --vary/--variants: 1089 variants would be solved (more than 1,000); add --yes to run them all"
    )
    assert not out.exists()


def test_a_results_folder_that_cannot_be_written_does_not_blame_a_cluster(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = _run(tmp_path, "--vary", "limits.window_max=3", "-o", str(blocker / "out"))
    assert result.exit_code == 2
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"error: {blocker / 'out'}: cannot write the results") and "cluster" not in line


def test_an_unreachable_cluster_leaves_the_results_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sweep_module, "CONNECT_TIMEOUT", "1s")
    (tmp_path / "results.csv").write_text("kept\n", encoding="utf-8")
    variants = grid([parse_vary("limits.window_max=3")])
    with pytest.raises(OSError):
        sweep(tiny(), variants, tmp_path, time_limit=5, cluster="tcp://127.0.0.1:1")
    assert (tmp_path / "results.csv").read_text(encoding="utf-8") == "kept\n"
