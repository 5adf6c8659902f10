"""Runs as a planner's machine sees them: fresh processes, Ctrl-C, kill -9, same bytes twice."""

from __future__ import annotations

import filecmp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_cli_faults import visible

from arshjul.plan import Plan
from conftest import SCENARIOS

WRAPPER = """
import sys, time
import arshjul.exporters.report as report
original = report.write_report
def slow(*args, **kwargs):
    written = original(*args, **kwargs)
    print("WRITING", flush=True)
    time.sleep(60)
    return written
report.write_report = slow
from arshjul.cli import run
sys.argv = ["arshjul", *sys.argv[1:]]
run()
"""


def arshjul(*args: str, wrapper: bool = False) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-c", WRAPPER, *args] if wrapper else [sys.executable, "-m", "arshjul.cli", *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def files(folder: Path) -> dict[str, bytes]:
    """The set of outputs a reader sees in ``folder`` (through its links into the current version)."""
    return visible(folder)


def test_two_fresh_processes_write_byte_identical_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        with arshjul("plan", str(SCENARIOS / "sweden-2027.yaml"), "-o", str(out), "--quiet") as proc:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
    left, right = files(a), files(b)
    assert len(left) > 30
    assert left.keys() == right.keys()
    different = [name for name in left if left[name] != right[name]]
    assert different == []
    assert filecmp.cmp(a / "plan.json", b / "plan.json", shallow=False)


def _run_once(out: Path) -> dict[str, bytes]:
    with arshjul("plan", str(SCENARIOS / "tight-2027.yaml"), "-o", str(out), "--quiet") as proc:
        proc.communicate(timeout=300)
        assert proc.returncode == 0
    return files(out)


def test_ctrl_c_while_writing_leaves_the_previous_outputs_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _run_once(out)
    with arshjul(
        "plan", str(SCENARIOS / "sweden-2027.yaml"), "-o", str(out), "--quiet", wrapper=True
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "WRITING"  # calendars and report are staged
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Interrupted" in err
    assert files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert sorted(p.name for p in (out / ".arshjul").iterdir()) == ["lock", "v-1"]  # no staging left


def test_kill_minus_9_while_writing_leaves_the_previous_outputs_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _run_once(out)
    with arshjul(
        "plan", str(SCENARIOS / "sweden-2027.yaml"), "-o", str(out), "--quiet", wrapper=True
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "WRITING"
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
    assert files(out) == before


def test_ctrl_c_during_the_solve_keeps_the_best_plan(tmp_path: Path) -> None:
    # Two interleaved workers on the four-agency year: the first plans come within seconds,
    # the proof takes longer.  Ctrl-C after the first improvement keeps the best plan.
    out = tmp_path / "out"
    args = ("plan", str(SCENARIOS / "multi-agency-2027.yaml"), "-o", str(out), "--workers", "2")
    with arshjul(*args, "--time-limit", "120") as proc:
        assert proc.stderr is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if "best" in line or not line:
                break
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=120)
    assert proc.returncode == 0, rest
    plan = Plan.from_json((out / "plan.json").read_text(encoding="utf-8"))
    assert plan.status in ("FEASIBLE", "OPTIMAL")  # OPTIMAL only if the proof won the race
    if plan.status == "FEASIBLE":
        assert "keeping the best plan" in rest
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "arshjul.cli",
            "check",
            str(SCENARIOS / "multi-agency-2027.yaml"),
            str(out / "plan.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
