"""Hand-edited plan.json files for ``arshjul check SCENARIO PLAN`` and ``arshjul report PLAN``.

A planner (or a script, or a bad merge) edits plan.json.  What each command owes them:

- a file that is not a plan (not UTF-8, not JSON, NaN or Infinity, nested too deep, too
  large, a JSON array, a window of 0 days or fewer, a period that ends
  before it starts, integers no calendar can hold, two sessions with one id) is bad input:
  exactly one line on stderr naming the file, exit 2, no traceback, nothing written;
- a status arshjul never writes (``HACKED``) is bad input too: a report must not present a
  plan under a status no solver gave it (one line, exit 2, nothing written);
- a well-formed plan that breaks the scenario's rules (a presenter that is no region) is
  the checker's business: ``check`` exits 1 and prints its findings; ``report`` draws
  what the file says (a report is a picture of the plan, not a verdict on it) and exits 0.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import arshjul
from arshjul.cli import main
from conftest import base, merge

SCENARIO = merge(
    base(),
    **{
        "hosts": [
            {
                "id": "vinnova",
                "name": "Vinnova",
                "themes": [{"id": "halsa", "name": "Hälsa", "interested": ["SE-E", "SE-M"]}],
            }
        ],
    },
)

Edit = Callable[[dict[str, Any]], bytes]


def _json(change: Callable[[dict[str, Any]], Any]) -> Edit:
    def edit(plan: dict[str, Any]) -> bytes:
        data = copy.deepcopy(plan)
        data = change(data) or data
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    return edit


def _set(**fields: Any) -> Edit:
    return _json(lambda d: d.update(fields))


def _session(**fields: Any) -> Edit:
    return _json(lambda d: d["sessions"][0].update(fields))


def _presenter(d: dict[str, Any]) -> None:
    p = d["sessions"][0]["presentations"][0]
    p.update(presenter="SE-ZZ", name="Nowhere", regions=["SE-ZZ"])


def _duplicate(d: dict[str, Any]) -> None:
    d["sessions"].append(copy.deepcopy(d["sessions"][0]))


def _replace(raw: bytes, old: bytes, new: bytes) -> bytes:
    assert old in raw
    return raw.replace(old, new)


def _text(text: str) -> Edit:
    return lambda _plan: text.encode("utf-8")


BAD_INPUT: dict[str, Edit] = {
    # the plan file's own sanity (arshjul.plan): its sessions lie in its own period
    "a session outside the period": _session(date="2028-03-01"),
    "window 0": _set(window_days=0),
    "window negative": _set(window_days=-28),
    "reversed period": _set(period_start="2027-10-01", period_end="2027-09-06"),
    "huge window": _set(window_days=10**30),
    "huge sequence": _session(sequence=10**30),
    "huge occurrence": _session(occurrence=-(10**30)),
    "a 5000-digit integer": lambda plan: _replace(
        json.dumps(plan).encode(), b'"seed": 0', b'"seed": ' + b"9" * 5000
    ),
    "NaN": lambda plan: json.dumps({**plan, "bound": float("nan")}).encode(),
    "Infinity": lambda plan: json.dumps({**plan, "objective": float("inf")}).encode(),
    "-Infinity in a term": lambda plan: json.dumps({**plan, "terms": {"spread": float("-inf")}}).encode(),
    "deeply nested": _text("[" * 100_000 + "]" * 100_000),
    "deeply nested inside": lambda plan: _replace(
        json.dumps({**plan, "labels": {}}).encode(),
        b'"labels": {}',
        b'"labels": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
    ),
    "6 MB": lambda plan: json.dumps({**plan, "padding": "x" * (6 * 1024 * 1024)}).encode(),
    "not UTF-8": lambda plan: _replace(json.dumps(plan).encode(), b'"Tiny"', b'"T\xe4ny"'),
    "Latin-1": lambda plan: json.dumps(plan, ensure_ascii=False).encode("latin-1", errors="replace"),
    "JSON array": _text("[]"),
    "JSON string": _text('"plan"'),
    "empty file": _text(""),
}
"""Files that are no plan: exit 2 from check and from report."""

BROKEN_RULES: dict[str, Edit] = {
    "a presenter that is no region": _json(_presenter),
    "duplicated session ids": _json(_duplicate),
}
"""Plans that read, but break the scenario's rules: check exits 1, report draws them."""


@pytest.fixture(scope="module")
def plan_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("hostile")
    sc = folder / "tiny.yaml"
    sc.write_text(yaml.safe_dump(SCENARIO, allow_unicode=True), encoding="utf-8")
    plan = arshjul.solve(arshjul.load_scenario(sc), time_limit=10, workers=1, seed=0)
    assert plan.found and plan.sessions[0].presentations
    return sc, json.loads(plan.to_json())


def _run(args: list[str]) -> Any:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def _one_line(result: Any, plan: Path) -> None:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {plan}"), lines[0]


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_a_file_that_is_no_plan_is_one_line_and_exit_2(
    tmp_path: Path, plan_data: tuple[Path, dict[str, Any]], case: str
) -> None:
    sc, data = plan_data
    plan = tmp_path / "plan.json"
    plan.write_bytes(BAD_INPUT[case](data))
    out = tmp_path / "out"
    for args in (["check", str(sc), str(plan)], ["report", str(plan), "-o", str(out)]):
        result = _run(args)
        assert result.exit_code == 2, (args[0], result.output)
        _one_line(result, plan)
        assert result.stdout == ""
    assert not out.exists(), "report wrote something for a bad plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


@pytest.mark.parametrize("case", list(BROKEN_RULES))
def test_a_plan_that_breaks_rules_is_checked_and_drawn(
    tmp_path: Path, plan_data: tuple[Path, dict[str, Any]], case: str
) -> None:
    sc, data = plan_data
    plan = tmp_path / "plan.json"
    plan.write_bytes(BROKEN_RULES[case](data))
    checked = _run(["check", str(sc), str(plan)])
    assert checked.exit_code == 1, checked.output
    assert "BROKEN" in checked.stdout and checked.stderr == ""
    out = tmp_path / "out"
    drawn = _run(["report", str(plan), "-o", str(out)])
    assert drawn.exit_code == 0, drawn.output
    assert {"wheel.svg", "heatmap.svg", "report.html", "report.md"} <= {p.name for p in out.iterdir()}


def test_the_unedited_plan_checks_and_draws(tmp_path: Path, plan_data: tuple[Path, dict[str, Any]]) -> None:
    sc, data = plan_data
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    assert _run(["check", str(sc), str(plan)]).exit_code == 0
    assert _run(["report", str(plan), "-o", str(tmp_path / "out")]).exit_code == 0


def test_an_unknown_status_is_refused(tmp_path: Path, plan_data: tuple[Path, dict[str, Any]]) -> None:
    sc, data = plan_data
    plan = tmp_path / "plan.json"
    plan.write_bytes(_set(status="HACKED")(data))
    checked = _run(["check", str(sc), str(plan)])
    assert checked.exit_code == 2 and "HACKED" in checked.stderr
    assert len(checked.stderr.strip().splitlines()) == 1
    out = tmp_path / "out"
    assert _run(["report", str(plan), "-o", str(out)]).exit_code == 2
    assert not out.exists()
