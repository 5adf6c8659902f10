"""Answers a planner can trust: no trap, no crash, no half-written output.

Every fault below ends with its exit code, exactly one line on stderr and no traceback, and
with nothing written or the previous set of outputs intact.  One class per mechanism.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from arshjul import fileio
from arshjul.cli import main
from arshjul.commands import no_plan_line
from arshjul.fileio import CURRENT, OWN
from conftest import base, merge

# -- helpers --------------------------------------------------------------------------------


def one_line(err: str) -> str:
    """The one line on stderr (and no traceback)."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err, err
    assert len(lines) == 1, err
    return lines[0]


def refused(result: Result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    return one_line(result.stderr)


def visible(out: Path) -> dict[str, bytes]:
    """The set a reader sees through ``out`` (following its links; a dangling link is absent)."""
    found: dict[str, bytes] = {}
    if not out.is_dir():
        return found
    for root, dirs, names in os.walk(out, followlinks=True):
        rel = Path(root).relative_to(out)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if d not in (OWN, CURRENT)]
        for name in names:
            path = Path(root) / name
            if path.exists():
                found[str(rel / name)] = path.read_bytes()
    return found


def leftovers(out: Path) -> list[str]:
    """What is in ``out/.arshjul`` besides the lock and the current version."""
    current = os.readlink(out / CURRENT).split("/")[-1]
    return sorted(p.name for p in (out / OWN).iterdir() if p.name not in ("lock", current))


def year(regions: int = 3, email: bool = True, **changes: Any) -> dict[str, Any]:
    """A small year: two themes, a hybrid; ``regions`` of the base's three (or more)."""
    codes = [
        ("SE-E", "Region Östergötland"),
        ("SE-M", "Region Skåne"),
        ("SE-I", "Region Gotland"),
        ("SE-K", "Region Blekinge"),
        ("SE-N", "Region Halland"),
    ][:regions]
    host: dict[str, Any] = {
        "id": "vinnova",
        "name": "Vinnova",
        "themes": [
            {"id": "halsa", "name": "Hållbar precisionshälsa"},
            {"id": "industri", "name": "Hållbar industri", "interested": [codes[0][0]]},
        ],
    }
    if email:
        host["email"] = "snabbdialoger@vinnova.example"
    data = merge(
        base(),
        hosts=[host],
        regions=[{"code": c, "name": n} for c, n in codes],
        hybrids=[{"id": "ekosystem", "host": "vinnova", "topic": "Ekosystem"}],
    )
    return merge(data, **changes) if changes else data


def write(folder: Path, data: dict[str, Any], name: str = "year.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def plan(*args: str) -> Result:
    return CliRunner().invoke(main, ["plan", *args, "--time-limit", "10", "--quiet"])


@pytest.fixture
def planned(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A scenario (outside the output folder) planned once into out/: (scenario, out, set)."""
    sc = write(tmp_path / "in", year(regions=5))
    out = tmp_path / "out"
    result = plan(str(sc), "-o", str(out))
    assert result.exit_code == 0, result.output
    return sc, out, visible(out)


# -- 1. outputs as a real set ---------------------------------------------------------------


class TestOutputsAsASet:
    def test_the_readme_paths_open_and_the_set_is_versioned(
        self, planned: tuple[Path, Path, dict[str, bytes]]
    ) -> None:
        _, out, files = planned
        assert (out / "calendar.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
        assert (out / "regions" / "SE-N.ics").is_file()
        assert os.readlink(out / CURRENT) == f"{OWN}/v-1"
        assert os.readlink(out / "regions") == f"{CURRENT}/regions"
        assert "plan.json" in files and "regions/SE-E.ics" in files
        assert leftovers(out) == []

    def test_a_smaller_plan_leaves_no_stale_calendars(
        self, planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
    ) -> None:
        _, out, before = planned
        small = write(tmp_path / "in", year(regions=3), "small.yaml")
        assert plan(str(small), "-o", str(out), "--no-report").exit_code == 0
        after = visible(out)
        assert "regions/SE-N.ics" in before and "regions/SE-N.ics" not in after
        assert "wheel.svg" in before and "wheel.svg" not in after and not (out / "wheel.svg").is_symlink()
        assert {p.split("/")[0] for p in after} == {p.name for p in (out / CURRENT).iterdir()}
        assert leftovers(out) == []

    def test_a_symlinked_sub_folder_is_refused_and_never_written_through(
        self, planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
    ) -> None:
        sc, out, _ = planned
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (out / "regions").unlink()
        (out / "regions").symlink_to(elsewhere)
        line = refused(plan(str(sc), "-o", str(out)))
        assert "regions" in line and "link arshjul did not make" in line
        assert list(elsewhere.iterdir()) == []

    def test_a_link_in_a_new_folder_is_refused(self, tmp_path: Path) -> None:
        sc = write(tmp_path / "in", year())
        out = tmp_path / "out"
        out.mkdir()
        (out / "regions").symlink_to(tmp_path)
        refused(plan(str(sc), "-o", str(out)))
        assert (out / "regions").is_symlink() and not (out / OWN).exists()

    def test_its_own_folder_as_a_link_is_refused(
        self, planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
    ) -> None:
        sc, out, _ = planned
        shutil.move(out / OWN, tmp_path / "moved")
        (out / OWN).symlink_to(tmp_path / "moved")
        assert "not arshjul's own folder" in refused(plan(str(sc), "-o", str(out)))

    @pytest.mark.parametrize("which", ["scenario", "--last-year", "--previous"])
    def test_an_input_inside_the_output_folder_is_refused(
        self, planned: tuple[Path, Path, dict[str, bytes]], which: str
    ) -> None:
        sc, out, before = planned
        inside = write(out, year(), "year.yaml") if which == "scenario" else sc
        args = {
            "scenario": [str(inside), "-o", str(out)],
            "--last-year": [str(sc), "-o", str(out), "--last-year", str(out / "plan.json")],
            "--previous": [str(sc), "-o", str(out), "--previous", str(out / "plan.json"), "--allow-moves"],
        }[which]
        line = refused(plan(*args))
        assert "lies inside the output folder" in line
        if which == "scenario":
            (out / "year.yaml").unlink()
        assert visible(out) == before

    def test_a_folder_of_other_files_is_refused(self, tmp_path: Path) -> None:
        sc = write(tmp_path / "in", year())
        out = tmp_path / "out"
        out.mkdir()
        (out / "notes.txt").write_text("mine", encoding="utf-8")
        assert "did not write" in refused(plan(str(sc), "-o", str(out)))
        assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]

    def test_an_output_path_that_is_a_file_is_refused(self, tmp_path: Path) -> None:
        sc = write(tmp_path / "in", year())
        out = tmp_path / "out"
        out.write_text("not a folder", encoding="utf-8")
        assert "is a file" in refused(plan(str(sc), "-o", str(out)))
        assert out.read_text(encoding="utf-8") == "not a folder"

    def test_a_second_writer_gives_up_when_the_first_never_finishes(
        self, planned: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        sc, out, before = planned
        monkeypatch.setattr(fileio, "LOCK_WAIT", 0.3)
        with open(out / OWN / "lock", "w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            line = refused(plan(str(sc), "-o", str(out)))
        assert "another arshjul is writing this folder (waited 0.3 s)" in line
        assert visible(out) == before

    def test_a_second_writer_waits_for_the_first_to_finish(
        self, planned: tuple[Path, Path, dict[str, bytes]]
    ) -> None:
        sc, out, before = planned
        with open(out / OWN / "lock", "w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            released = threading.Timer(0.5, fcntl.flock, (held, fcntl.LOCK_UN))
            released.start()
            try:
                result = plan(str(sc), "-o", str(out))
            finally:
                released.join()
        assert result.exit_code == 0, result.output
        assert visible(out) == before and os.readlink(out / CURRENT) == f"{OWN}/v-2"

    def test_leftovers_of_a_killed_run_are_cleared_on_the_next_run(
        self, planned: tuple[Path, Path, dict[str, bytes]]
    ) -> None:
        sc, out, before = planned
        (out / OWN / "tmp-killed").mkdir()
        (out / OWN / "tmp-killed" / "plan.json").write_text("{", encoding="utf-8")
        (out / OWN / "v-7").mkdir()
        (out / "invitations").symlink_to(f"{CURRENT}/invitations")  # made, then killed
        assert plan(str(sc), "-o", str(out)).exit_code == 0
        assert leftovers(out) == [] and visible(out) == before
        assert not (out / "invitations").is_symlink()

    def test_report_into_the_folder_is_a_new_version_of_the_same_set(
        self, planned: tuple[Path, Path, dict[str, bytes]]
    ) -> None:
        _, out, before = planned
        result = CliRunner().invoke(main, ["report", str(out / "plan.json"), "--today", "2027-09-20"])
        assert result.exit_code == 0, result.output
        after = visible(out)
        assert after.keys() == before.keys()
        assert after["plan.json"] == before["plan.json"] and after["wheel.svg"] != before["wheel.svg"]
        assert os.readlink(out / CURRENT) == f"{OWN}/v-2" and leftovers(out) == []


# -- 1b. kill -9, full disk, read-only: in fresh processes ----------------------------------

PAUSING = """
import os, sys, time
import arshjul.fileio as fileio
steps = []
kill_at = int(os.environ["ARSHJUL_TEST_PAUSE_AT"])
def pause(step):
    steps.append(step)
    print("STEP", step, flush=True)
    if len(steps) - 1 == kill_at:
        print("PAUSED", flush=True)
        time.sleep(60)
    elif kill_at < 0:
        time.sleep(float(os.environ.get("ARSHJUL_TEST_SLOW", "0")))
fileio._pause = pause
from arshjul.cli import run
sys.argv = ["arshjul", *sys.argv[1:]]
run()
"""


def spawn(args: list[str], pause_at: int, slow: float = 0.0) -> subprocess.Popen[str]:
    env = {**os.environ, "ARSHJUL_TEST_PAUSE_AT": str(pause_at), "ARSHJUL_TEST_SLOW": str(slow)}
    return subprocess.Popen(
        [sys.executable, "-c", PAUSING, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def lines_until(proc: subprocess.Popen[str], marker: str) -> Iterator[str]:
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            return
        yield line.strip()
        if line.strip() == marker:
            return


@pytest.fixture(scope="class")
def two_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An old set (five regions, with report) in a template folder, the new run's arguments
    (three regions, no report, invitations: other names, other bytes) and its set."""
    root = tmp_path_factory.mktemp("kill")
    old_sc = write(root / "in", year(regions=5), "old.yaml")
    new_sc = write(root / "in", year(regions=3), "new.yaml")
    template = root / "template"
    assert plan(str(old_sc), "-o", str(template)).exit_code == 0
    reference = root / "reference"
    new_args = [str(new_sc), "--quiet", "--time-limit", "10", "--no-report", "--invitations"]
    assert CliRunner().invoke(main, ["plan", *new_args, "-o", str(reference)]).exit_code == 0
    shutil.copytree(template, root / "steps", symlinks=True)
    with spawn(["plan", *new_args, "-o", str(root / "steps")], pause_at=-1) as proc:
        steps = [line[5:] for line in lines_until(proc, "") if line.startswith("STEP ")]
        proc.communicate(timeout=120)
    assert proc.returncode == 0
    return {
        "root": root,
        "template": template,
        "old": visible(template),
        "new": visible(reference),
        "args": new_args,
        "steps": steps,
    }


class TestKillAndDiskFaults:
    def test_kill_minus_9_at_every_step_of_publishing_leaves_one_whole_set(
        self, two_sets: dict[str, Any]
    ) -> None:
        steps = two_sets["steps"]
        assert steps[0] == "staged" and "switched" in steps and any(s.startswith("unlink") for s in steps)
        seen = {"old": 0, "new": 0}
        for k, step in enumerate(steps):
            out = two_sets["root"] / f"step-{k}"
            shutil.copytree(two_sets["template"], out, symlinks=True)
            with spawn(["plan", *two_sets["args"], "-o", str(out)], pause_at=k) as proc:
                assert "PAUSED" in list(lines_until(proc, "PAUSED")), step
                proc.kill()
                proc.communicate(timeout=60)
            now = visible(out)
            assert now in (two_sets["old"], two_sets["new"]), f"a mixed set after a kill at {step!r}"
            seen["old" if now == two_sets["old"] else "new"] += 1
            assert (now == two_sets["new"]) == (steps.index("switched") <= k), step
            done = CliRunner().invoke(main, ["plan", *two_sets["args"], "-o", str(out)])
            assert done.exit_code == 0 and visible(out) == two_sets["new"] and leftovers(out) == []
        assert seen["old"] >= 2 and seen["new"] >= 2

    def test_kill_minus_9_at_random_moments_of_a_slowed_publish(self, two_sets: dict[str, Any]) -> None:
        rng = random.Random(2027)
        for k in range(8):
            out = two_sets["root"] / f"random-{k}"
            shutil.copytree(two_sets["template"], out, symlinks=True)
            with spawn(["plan", *two_sets["args"], "-o", str(out)], pause_at=-1, slow=0.05) as proc:
                assert "STEP staged" in list(lines_until(proc, "STEP staged"))
                time.sleep(rng.uniform(0.0, 0.05 * len(two_sets["steps"])))
                proc.kill()
                proc.communicate(timeout=60)
            assert visible(out) in (two_sets["old"], two_sets["new"]), f"a mixed set after kill {k}"

    @staticmethod
    def _mount(where: Path, options: str) -> None:
        where.mkdir()
        if os.geteuid() != 0 or not shutil.which("mount"):
            pytest.skip("mounting a tmpfs needs root and mount(8)")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")

    def test_a_full_disk_leaves_the_previous_set(self, two_sets: dict[str, Any], tmp_path: Path) -> None:
        disk = tmp_path / "disk"
        size = sum(len(b) for b in two_sets["old"].values())
        self._mount(disk, f"size={size + 96 * 1024}")
        try:
            out = disk / "out"
            shutil.copytree(two_sets["template"], out, symlinks=True)
            result = CliRunner().invoke(main, ["plan", *two_sets["args"], "-o", str(out)])
            line = refused(result)
            assert "No space left on device" in line and "previous outputs are as they were" in line
            assert visible(out) == two_sets["old"]
            assert leftovers(out) == []
        finally:
            subprocess.run(["umount", str(disk)], check=True)

    def test_a_read_only_folder_leaves_the_previous_set(
        self, two_sets: dict[str, Any], tmp_path: Path
    ) -> None:
        disk = tmp_path / "ro"
        self._mount(disk, "size=4m")
        try:
            out = disk / "out"
            shutil.copytree(two_sets["template"], out, symlinks=True)
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
            line = refused(CliRunner().invoke(main, ["plan", *two_sets["args"], "-o", str(out)]))
            assert "Read-only file system" in line
            assert visible(out) == two_sets["old"]
        finally:
            subprocess.run(["umount", str(disk)], check=True)


# -- 2. the plan --previous trap ------------------------------------------------------------


class TestPreviousTrap:
    def test_plan_with_previous_refuses_and_names_replan(
        self, planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
    ) -> None:
        sc, out, before = planned
        sent = tmp_path / "sent.json"
        shutil.copy(out / "plan.json", sent)
        line = refused(plan(str(sc), "-o", str(out), "--invitations", "--previous", str(sent)))
        assert "arshjul replan" in line and "--allow-moves" in line
        assert visible(out) == before

    def test_allow_moves_plans_anew(
        self, planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
    ) -> None:
        sc, out, _ = planned
        sent = tmp_path / "sent.json"
        shutil.copy(out / "plan.json", sent)
        args = [str(sc), "-o", str(out), "--invitations", "--previous", str(sent), "--allow-moves"]
        result = plan(*args)
        assert result.exit_code == 0, result.output
        # the same scenario planned anew gives the same plan: nothing to send
        # (tests/commands/test_invitations.py has the changed sessions and their SEQUENCE)
        assert "invitations/: nothing changed since" in result.output
        assert not (out / "invitations").exists()

    def test_a_previous_plan_of_another_scenario_is_refused(
        self, planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
    ) -> None:
        _, out, before = planned
        other = write(tmp_path / "in", year(id="other-year"), "other.yaml")
        sent = tmp_path / "sent.json"
        shutil.copy(out / "plan.json", sent)
        line = refused(plan(str(other), "-o", str(out), "--previous", str(sent), "--allow-moves"))
        assert "scenario_id" in line and "'tiny'" in line and "'other-year'" in line
        assert visible(out) == before

    def test_replan_refuses_a_previous_plan_of_another_scenario(
        self, planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
    ) -> None:
        _, out, _ = planned
        other = write(tmp_path / "in", year(id="other-year"), "other.yaml")
        sent = tmp_path / "sent.json"
        shutil.copy(out / "plan.json", sent)
        result = CliRunner().invoke(
            main, ["replan", str(other), "--previous", str(sent), "-o", str(tmp_path / "re")]
        )
        assert "scenario_id" in refused(result)
        assert not (tmp_path / "re").exists()


# -- 3. numbers -----------------------------------------------------------------------------


class TestNumbers:
    @pytest.mark.parametrize(
        "option",
        [
            ["--time-limit", "nan"],
            ["--time-limit", "inf"],
            ["--time-limit", "-1"],
            ["--gap", "nan"],
            ["--stall", "nan"],
            ["--stall", "inf"],
            ["--seed", str(2**64)],
            ["--seed", "-1"],
            ["--workers", "0"],
        ],
    )
    def test_a_bad_solver_number_is_one_line(self, tmp_path: Path, option: list[str]) -> None:
        sc = write(tmp_path / "in", year())
        out = tmp_path / "out"
        result = CliRunner().invoke(main, ["plan", str(sc), "-o", str(out), *option])
        assert option[0] in refused(result)
        assert not out.exists()

    @pytest.mark.parametrize("command", ["compare", "sweep", "explain"])
    def test_every_solving_command_refuses_nan(self, tmp_path: Path, command: str) -> None:
        sc = write(tmp_path / "in", year())
        result = CliRunner().invoke(main, [command, str(sc), "--time-limit", "nan"])
        assert "--time-limit" in refused(result)

    @pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "not-a-date"])
    def test_a_dtstamp_out_of_range_is_one_line_before_solving(self, tmp_path: Path, stamp: str) -> None:
        sc = write(tmp_path / "in", year())
        out = tmp_path / "out"
        result = plan(str(sc), "-o", str(out), "--dtstamp", stamp)
        assert "--dtstamp" in refused(result)
        assert not out.exists()

    def test_model_invalid_is_called_a_bug_not_a_time_limit(self) -> None:
        line = no_plan_line("MODEL_INVALID", 60, "year.yaml")
        assert "bug" in line and "year.yaml" in line and "report" in line
        assert "--time-limit" not in line
        assert "--time-limit" in no_plan_line("UNKNOWN", 60, "year.yaml")


# -- 5. hostile plan.json -------------------------------------------------------------------


def _hostile(data: dict[str, Any], case: str) -> dict[str, Any]:
    bad = json.loads(json.dumps(data))
    if case == "status":
        bad["status"] = "HACKED"
    elif case == "window-zero":
        bad["window_days"] = 0
    elif case == "window-negative":
        bad["window_days"] = -28
    elif case == "reversed-period":
        bad["period_start"], bad["period_end"] = bad["period_end"], bad["period_start"]
    elif case == "missing-sessions":
        del bad["sessions"]
    elif case == "missing-timezone":
        del bad["timezone"]
    elif case == "huge-objective":
        bad["objective"] = 10**400
    elif case == "huge-sequence":
        bad["sessions"][0]["sequence"] = 10**30
    elif case == "huge-period":
        bad["period_end"] = "9999-12-31"
    elif case == "nan-bound":
        bad["bound"] = float("nan")
    elif case == "not-an-object":
        return [1, 2, 3]  # type: ignore[return-value]
    return bad


HOSTILE = [
    "status",
    "window-zero",
    "window-negative",
    "reversed-period",
    "missing-sessions",
    "missing-timezone",
    "huge-objective",
    "huge-sequence",
    "huge-period",
    "nan-bound",
    "not-an-object",
]


class TestHostilePlanFile:
    @pytest.mark.parametrize("case", HOSTILE)
    @pytest.mark.parametrize("command", ["check", "report"])
    def test_a_hostile_plan_is_one_line_and_exit_2(
        self, planned: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, case: str, command: str
    ) -> None:
        sc, out, before = planned
        data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
        bad = tmp_path / "bad" / "plan.json"
        bad.parent.mkdir()
        bad.write_text(json.dumps(_hostile(data, case)), encoding="utf-8")
        args = [str(sc), str(bad)] if command == "check" else [str(bad), "-o", str(out)]
        line = refused(CliRunner().invoke(main, [command, *args]))
        assert line.startswith(f"error: {bad}"), line
        assert visible(out) == before


# -- 4. Ctrl-C ------------------------------------------------------------------------------


class TestCtrlC:
    @pytest.mark.parametrize("delay", [0.15, 0.3, 0.5, 0.8])
    def test_ctrl_c_in_the_first_second_is_one_line(self, tmp_path: Path, delay: float) -> None:
        sc = write(tmp_path / "in", year())
        out = tmp_path / "out"
        args = [sys.executable, "-m", "arshjul", "plan", str(sc), "-o", str(out), "--quiet"]
        with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
            time.sleep(delay)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=120)
        line = one_line(err) if err.strip() else ""
        if proc.returncode == 130:
            assert line == "Interrupted; nothing was changed in the output folder."
            assert not out.exists()
        else:  # the signal came once the search had started: it keeps the best plan, or says none
            assert proc.returncode in (0, 1), err

    def test_ctrl_c_while_publishing_says_the_new_set_was_written(self, two_sets: dict[str, Any]) -> None:
        out = two_sets["root"] / "ctrl-c"
        shutil.copytree(two_sets["template"], out, symlinks=True)
        with spawn(["plan", *two_sets["args"], "-o", str(out)], pause_at=-1, slow=0.3) as proc:
            assert "STEP renamed" in list(lines_until(proc, "STEP renamed"))
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130
        assert one_line(err) == f"Interrupted after the new outputs were written to {out}/."
        assert visible(out) == two_sets["new"] and leftovers(out) == []


# -- 7. small things ------------------------------------------------------------------------


class TestSmallThings:
    def test_quiet_still_says_where_the_files_went(self, tmp_path: Path) -> None:
        sc = write(tmp_path / "in", year())
        out = tmp_path / "out"
        result = plan(str(sc), "-o", str(out))
        assert result.exit_code == 0
        assert result.stdout.strip().splitlines() == [
            f"Wrote {len(visible(out))} files to {out}/ (plan.json, calendar.ics, regions/*.ics, …)"
        ]
